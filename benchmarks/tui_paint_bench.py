"""First paint of the terminal app in a real terminal (tmux): from starting `dutydesk tui` to the
duty board drawn with its data (header, posts, alerts and footer on the screen).

    python benchmarks/tui_paint_bench.py [--runs 5] [--size 160x48] [--db PATH] [--lang zh]

Without --db it builds the demo station (62 people) with a published roster around today and a
few calls, as the smoke test does, in a temporary directory. Each run starts a fresh tmux
session whose pane already has its size (a shell waits for Enter), starts the clock when the
command is sent, polls `tmux capture-pane` every 5 ms until the board shows, then quits the app
with Ctrl+Q. Prints each run and min / median / max (and, with --baseline, the same for a minimal
Textual DataTable app, to see what the machine allows at the moment). Needs tmux.
"""
from __future__ import annotations

import argparse
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


def one_run(db: Path | None, size: tuple[int, int], lang: str, timeout: float = 20.0) -> float:
    """Seconds from starting the app to its board on the screen (db None: the minimal app)."""
    name = f"paint-{uuid.uuid4().hex[:8]}"
    if db is None:
        script = Path(tempfile.gettempdir()) / "dutydesk_paint_baseline.py"
        script.write_text(BASELINE, encoding="utf-8")
        command = f"{sys.executable} {script}"
    else:
        command = f"{sys.executable} {REPO / 'main.py'} --db {db} --lang {lang} tui"
    tmux("new-session", "-d", "-s", name, "-x", str(size[0]), "-y", str(size[1]),
         f"cd {REPO} && read go && exec env LANG=zh_CN.UTF-8 {command}")
    try:
        time.sleep(0.5)                          # the pane has its size before the app starts
        markers = MARKERS[lang] if db is not None else ("BASELINE9", "quit")
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


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--size", default="160x48")
    ap.add_argument("--db", type=Path)
    ap.add_argument("--lang", default="zh", choices=("zh", "en"))
    ap.add_argument("--baseline", action="store_true",
                    help="also time a minimal Textual DataTable app the same way (what the machine allows now)")
    args = ap.parse_args()
    if shutil.which("tmux") is None:
        sys.exit("tmux is not installed")
    size = tuple(int(x) for x in args.size.split("x"))
    with tempfile.TemporaryDirectory() as tmp:
        db = args.db or demo_db(Path(tmp))
        one_run(db, size, args.lang)             # warm the file cache and the bytecode once
        times = []
        for i in range(args.runs):
            s = one_run(db, size, args.lang)
            times.append(s)
            print(f"run {i + 1}: {s:.3f} s")
        print(f"first paint at {args.size} ({args.lang}), {args.runs} runs: min {min(times):.3f} s, "
              f"median {statistics.median(times):.3f} s, max {max(times):.3f} s")
        if args.baseline:
            one_run(None, size, args.lang)
            base = [one_run(None, size, args.lang) for _ in range(args.runs)]
            print(f"minimal Textual DataTable app, same harness: min {min(base):.3f} s, "
                  f"median {statistics.median(base):.3f} s, max {max(base):.3f} s")
    print(f"load average: {' '.join(f'{x:.2f}' for x in os.getloadavg())} on {os.cpu_count()} cores")


if __name__ == "__main__":
    main()
