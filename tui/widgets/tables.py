"""Keyed updates for live DataTables: change only the cells that changed, add and remove rows by
key, keep the cursor on the same row key; only a change of row order rebuilds the table."""
from __future__ import annotations

from typing import Iterable, Sequence

from rich.text import Text
from textual.widgets import DataTable


def cursor_key(table: DataTable) -> str | None:
    """The key of the row under the cursor (None for an empty table)."""
    if not table.row_count or not table.is_valid_coordinate(table.cursor_coordinate):
        return None
    return table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value


def row_keys(table: DataTable) -> list[str]:
    return [row.key.value for row in table.ordered_rows]


def move_to_key(table: DataTable, key: str | None, column: int | None = None) -> None:
    """Put the cursor on the row ``key`` (and ``column``), if the row exists."""
    if key is None or key not in table.rows:
        return
    row = table.get_row_index(key)
    column = table.cursor_column if column is None else column
    if (row, column) != tuple(table.cursor_coordinate):
        table.move_cursor(row=row, column=column, animate=False)


def sync_rows(table: DataTable, rows: Sequence[tuple[str, Sequence]], *, height: int = 1,
              keep: tuple[str | None, int] | None = None) -> int:
    """Make ``table`` show ``rows`` ((key, cells) in order) with as few changes as possible.
    ``keep``: the (row key, column) to put the cursor back on, when the caller rebuilt the columns.

    Returns the number of cells written (0: nothing changed, nothing redrawn)."""
    want = [k for k, _ in rows]
    have = row_keys(table)
    want_set, have_set = set(want), set(have)
    kept = [k for k in have if k in want_set]
    same_order = kept == [k for k in want if k in have_set] and want[:len(kept)] == kept
    keep_key, keep_col = keep or (cursor_key(table), table.cursor_column)
    columns = [c.key for c in table.ordered_columns]
    written = 0
    with table.app.batch_update():
        if not same_order:
            table.clear()
            have_set = set()
        else:
            for k in have_set - want_set:
                table.remove_row(k)
                written += 1
        for key, cells in rows:
            if key in have_set:
                current = table.get_row(key)
                for col, old, new in zip(columns, current, cells):
                    if old != new:
                        table.update_cell(key, col, new)
                        written += 1
            else:
                table.add_row(*cells, key=key, height=height)
                written += len(cells)
        move_to_key(table, keep_key, keep_col)
    return written


def set_columns(table: DataTable, columns: Iterable[tuple[str, object, int | None]]) -> bool:
    """(Re)define the columns (key, label, width); rebuilds only when they differ. True if rebuilt."""
    columns = [(k, Text(label) if isinstance(label, str) else label, w) for k, label, w in columns]
    current = [(c.key.value, c.label, None if c.auto_width else c.width) for c in table.ordered_columns]
    if current == columns:
        return False
    table.clear(columns=True)
    for key, label, width in columns:
        table.add_column(label, key=key, width=width)
    return True
