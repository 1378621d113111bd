from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from usecases.context import AppContext

REPO = Path(__file__).resolve().parent.parent
SHARED = REPO.parent / "shared"


@pytest.fixture
def db_path(tmp_path) -> Path:
    return tmp_path / "station.db"


@pytest.fixture
def make_ctx(db_path):
    def make(login: str = "clerk", path: Path | None = None, lang: str = "en") -> AppContext:
        return AppContext(login=login, db_path=path or db_path, lang=lang, db_explicit=True)
    return make


@pytest.fixture
def cli_run(make_ctx):
    """Run the dutydesk CLI through click's runner as an injected OS user."""
    from main import cli

    def run(*args: str, login: str = "clerk", path: Path | None = None):
        runner = CliRunner()
        return runner.invoke(cli, list(args), obj=make_ctx(login, path), catch_exceptions=False)
    return run


@pytest.fixture
def demo_db(cli_run, db_path) -> Path:
    r = cli_run("init", "--demo")
    assert r.exit_code == 0, r.output
    return db_path


def load_json(result) -> dict:
    return json.loads(result.stdout)
