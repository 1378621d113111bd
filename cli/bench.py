"""`dutydesk bench ...`: roster engine benchmarks (Curtois & Qu instances)."""
from __future__ import annotations

import click


@click.group()
def bench():
    """Measure the roster engine on public benchmarks."""
