"""First paint of the terminal app in a real terminal (tmux): from starting `dutydesk tui` to the
duty board drawn with its data (header, posts, alerts and footer on the screen).

    python benchmarks/tui_paint_bench.py [--runs 5] [--size 160x48] [--db PATH] [--lang zh]

Without --db it builds the demo station (62 people) with a published roster around today and a
few calls, as the smoke test does, in a temporary directory. Each run starts a fresh tmux
session whose pane already has its size (a shell waits for Enter), starts the clock when the
command is sent, polls `tmux capture-pane` every 5 ms until the board shows, then quits the app
with Ctrl+Q. Prints each run and min / median / max (and, with --baseline, the same for a minimal
Textual DataTable app, to see what the machine allows at the moment). With --compare DIR, the
same for another checkout (e.g. `git worktree add /tmp/before <commit>`), on a demo database
its own code builds, its runs interleaved with this checkout's so both see the same load.
With --floor, a bare Python that prints one line (the interpreter's start and the harness).
The apps run with Python's bytecode cache (PYTHONDONTWRITEBYTECODE unset; the warm-up run writes
the checkout's __pycache__), as an installed package starts. Needs tmux.
"""
from __future__ import annotations

import argparse
import inspect
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

MARKERS = {"zh": ("值班台", "巡逻1", "提醒", "F2 新警情"), "en": ("Patrol car 1", "Alerts", "F2 new call")}


def tmux(*args: str, check: bool = True) -> str:
    return subprocess.run(["tmux", *args], capture_output=True, text=True, check=check).stdout


def demo_db(directory: Path) -> Path:
    from tests.test_tui_support import build_station
    from usecases import dispatch
    from usecases.context import AppContext, os_login
    from usecases.users import add_user
    path = directory / "demo.db"
    today = datetime.now(ZoneInfo("Asia/Shanghai")).date()
    build_station(path, start=today - timedelta(days=1), days=4, troubles=None)
    with AppContext(login="clerk", db_path=path, db_explicit=True).open() as s:
        add_user(s, os_login(), roles=["duty", "chief"])
        now = datetime.now(ZoneInfo("Asia/Shanghai"))
        for i, (kind, place) in enumerate((("noise", "幸福小区"), ("dispute", "夜市"), ("traffic", "人民路口"))):
            dispatch.new_incident(s, kind, place, now=now - timedelta(minutes=10 * (i + 1)))
    return path


BASELINE = """
from textual.app import App
from textual.widgets import DataTable, Footer
class Minimal(App):
    BINDINGS = [("ctrl+q", "quit", "quit")]
    def compose(self):
        yield DataTable()
        yield Footer()
    def on_mount(self):
        t = self.query_one(DataTable)
        t.add_columns("post", "crew")
        t.add_rows([(f"BASELINE{i}", "x") for i in range(10)])
Minimal().run()
"""


def other_demo_db(repo: Path, directory: Path) -> Path:
    """The demo database built by another checkout's own code (its schema may differ)."""
    code = (f"import sys\nsys.path.insert(0, {str(repo)!r})\nfrom pathlib import Path\n"
            "from datetime import datetime, timedelta\nfrom zoneinfo import ZoneInfo\n"
            + inspect.getsource(demo_db) + f"\ndemo_db(Path({str(directory)!r}))\n")
    subprocess.run([sys.executable, "-c", code], check=True, cwd=repo)
    return directory / "demo.db"


# a bare Python that writes one line and waits: the floor of the harness (interpreter start, tmux)
FLOOR = "print('FLOOR' + 'MARK'); input()"


def one_run(db: Path | str | None, size: tuple[int, int], lang: str, timeout: float = 20.0,
            repo: Path = REPO) -> float:
    """Seconds from starting the app (of the checkout ``repo``) to its board on the screen (db
    None: the minimal app; "floor": a bare Python printing a line)."""
    name = f"paint-{uuid.uuid4().hex[:8]}"
    if db is None:
        script = Path(tempfile.gettempdir()) / "dutydesk_paint_baseline.py"
        script.write_text(BASELINE, encoding="utf-8")
        command = f"{sys.executable} {script}"
    elif db == "floor":
        command = f'{sys.executable} -c "{FLOOR}"'
    else:
        command = f"{sys.executable} {repo / 'main.py'} --db {db} --lang {lang} tui"
    # Python may write its bytecode cache (the warm-up run does), as an installed package has it:
    # under PYTHONDONTWRITEBYTECODE the checkout's modules would be compiled at every start
    env = "env -u PYTHONDONTWRITEBYTECODE"
    for attempt in range(5):     # the tmux server of the last run may be exiting just now: try again
        started = subprocess.run(["tmux", "new-session", "-d", "-s", name, "-x", str(size[0]), "-y", str(size[1]),
                                  f"cd {REPO} && read go && exec {env} LANG=zh_CN.UTF-8 {command}"],
                                 capture_output=True, text=True)
        if started.returncode == 0:
            break
        time.sleep(0.3)
    else:
        raise RuntimeError(f"tmux new-session failed: {started.stderr.strip()}")
    try:
        time.sleep(0.5)                          # the pane has its size before the app starts
        markers = (MARKERS[lang] if isinstance(db, Path) else ("FLOORMARK",) if db == "floor"
                   else ("BASELINE9", "quit"))
        tmux("send-keys", "-t", name, "Enter")
        t0 = time.perf_counter()
        while True:
            out = tmux("capture-pane", "-p", "-t", name, check=False)
            if all(m in out for m in markers):
                return time.perf_counter() - t0
            if time.perf_counter() - t0 > timeout:
                raise RuntimeError(f"the board did not show within {timeout} s:\n{out}")
            time.sleep(0.005)
    finally:
        tmux("send-keys", "-t", name, "C-q", check=False)
        time.sleep(0.3)
        tmux("kill-session", "-t", name, check=False)


def summary(times: list[float]) -> str:
    return f"min {min(times):.3f} s, median {statistics.median(times):.3f} s, max {max(times):.3f} s"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--size", default="160x48")
    ap.add_argument("--db", type=Path)
    ap.add_argument("--lang", default="zh", choices=("zh", "en"))
    ap.add_argument("--baseline", action="store_true",
                    help="also time a minimal Textual DataTable app the same way (what the machine allows now)")
    ap.add_argument("--floor", action="store_true",
                    help="also time a bare Python that prints a line (interpreter start and the harness)")
    ap.add_argument("--compare", type=Path, metavar="DIR",
                    help="also time another checkout of dutydesk (e.g. before a change), runs interleaved")
    args = ap.parse_args()
    if shutil.which("tmux") is None:
        sys.exit("tmux is not installed")
    size = tuple(int(x) for x in args.size.split("x"))
    with tempfile.TemporaryDirectory() as tmp:
        subjects = {"this checkout": (args.db or demo_db(Path(tmp)), REPO)}
        if args.compare:
            other = Path(tmp) / "other"
            other.mkdir()
            subjects[f"{args.compare}"] = (other_demo_db(args.compare.resolve(), other), args.compare.resolve())
        if args.baseline:
            subjects["minimal Textual DataTable app"] = (None, REPO)
        if args.floor:
            subjects["bare Python printing a line"] = ("floor", REPO)
        for db, repo in subjects.values():     # warm the file cache (and write the bytecode cache) once
            one_run(db, size, args.lang, repo=repo)
        times: dict[str, list[float]] = {name: [] for name in subjects}
        for i in range(args.runs):
            for name, (db, repo) in subjects.items():
                times[name].append(one_run(db, size, args.lang, repo=repo))
            print(f"run {i + 1}: " + ", ".join(f"{name} {xs[-1]:.3f} s" for name, xs in times.items()))
        for name, xs in times.items():
            print(f"first paint at {args.size} ({args.lang}), {args.runs} runs, {name}: {summary(xs)}")
    print(f"load average: {' '.join(f'{x:.2f}' for x in os.getloadavg())} on {os.cpu_count()} cores")


if __name__ == "__main__":
    main()
