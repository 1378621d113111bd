from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from usecases.context import AppContext

REPO = Path(__file__).resolve().parent.parent
SHARED = REPO.parent / "shared"


@pytest.fixture(autouse=True)
def english_command_line():
    """Every test starts with messages in English for the command line (the language and the
    front end are process-wide settings that the CLI and the terminal app set at their start;
    a test that opened the app in Chinese must not change what the next test reads)."""
    import messages
    messages.set_lang("en")
    messages.set_front("cli")
    yield
    messages.set_lang("en")
    messages.set_front("cli")


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


@pytest.fixture(scope="session")
def roster_template(tmp_path_factory):
    """One demo station with users (clerk admin, zhao chief, li duty, wu viewer) and one
    generated 7-day draft roster, built once per test session; tests get a copy."""
    from datetime import timedelta

    import arrow
    from click.testing import CliRunner

    from main import cli
    path = tmp_path_factory.mktemp("template") / "station.db"

    def run(*args, login="clerk"):
        r = CliRunner().invoke(cli, list(args), obj=AppContext(login=login, db_path=path, db_explicit=True),
                               catch_exceptions=False)
        assert r.exit_code == 0, r.output
        return r
    run("init", "--demo")
    for login, role in (("zhao", "chief"), ("li", "duty"), ("wu", "viewer")):
        run("user", "add", login, "--role", role)
    start = arrow.now("Asia/Shanghai").date() + timedelta(days=3)
    r = run("roster", "generate", "--start", start.isoformat(), "--days", "7", "--time-limit", "4", "--workers", "2",
            "--json", login="zhao")
    import sqlite3
    con = sqlite3.connect(path)
    con.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    con.close()
    return path, json.loads(r.stdout), start


@pytest.fixture
def roster_db(roster_template, db_path):
    """A private copy of the template station with its draft roster: (roster JSON, start date)."""
    import shutil
    shutil.copy(roster_template[0], db_path)
    return roster_template[1], roster_template[2]
