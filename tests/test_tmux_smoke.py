"""The terminal app in a real terminal (tmux): it starts, draws the board, F3 opens the roster,
F5 the people, F4 the patrol plan, F2 the call-intake form (Esc closes it), Ctrl+Q quits; at 160x48 in Chinese through `dutydesk tui` and at 80x24 in English
through `dutydesk demo` (which reuses the live roster instead of solving). And a call taken
end to end under LANG=zh_CN.UTF-8 at 80x24 and 160x48: F2, a place completed to its hot spot,
dispatched from the recommendations, cleared and closed from the board (issue 25)."""
from __future__ import annotations

import shutil
import subprocess
import sys
import time
import uuid
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from tests.test_tui_support import build_station

pytestmark = pytest.mark.skipif(shutil.which("tmux") is None, reason="tmux is not installed")
REPO = Path(__file__).resolve().parent.parent


def tmux(*args: str, check: bool = True) -> str:
    return subprocess.run(["tmux", *args], capture_output=True, text=True, check=check).stdout


def screen(name: str) -> str:
    return tmux("capture-pane", "-p", "-t", name, check=False)


def wait_for_text(name: str, *texts: str, timeout: float = 15) -> str:
    t0 = time.monotonic()
    while True:
        out = screen(name)
        if all(t in out for t in texts):
            return out
        if time.monotonic() - t0 > timeout:
            raise AssertionError(f"{texts} not on the screen after {timeout} s:\n{out}")
        time.sleep(0.2)


@pytest.fixture
def live_station(tmp_path) -> Path:
    """The fixed station with a published roster around today (real clock in a real terminal);
    the user running the terminal is a duty officer there."""
    path = tmp_path / "station.db"
    today = datetime.now(ZoneInfo("Asia/Shanghai")).date()
    build_station(path, start=today - timedelta(days=1), days=4, troubles=None)
    from usecases.context import AppContext, os_login
    from usecases.users import add_user
    with AppContext(login="clerk", db_path=path, db_explicit=True).open() as s:
        add_user(s, os_login(), roles=["duty"])          # who runs the terminal takes calls
    return path


def run_app(size: tuple[int, int], *args: str, env: str = ""):
    name = f"dutydesk-{uuid.uuid4().hex[:8]}"
    command = " ".join([sys.executable, str(REPO / "main.py"), *args])
    if env:
        command = f"env {env} {command}"
    # a fresh tmux server gives its first pane its size a moment after starting the command: wait
    # for it, or the app starts at 80x24 and draws the narrow layout in a wide window
    tmux("new-session", "-d", "-s", name, "-x", str(size[0]), "-y", str(size[1]),
         f"sleep 0.5; cd {REPO} && {command}")
    return name


def quit_app(name: str) -> None:
    tmux("send-keys", "-t", name, "C-q", check=False)
    t0 = time.monotonic()
    while time.monotonic() - t0 < 5:
        if subprocess.run(["tmux", "has-session", "-t", name], capture_output=True).returncode != 0:
            return
        time.sleep(0.2)
    tmux("kill-session", "-t", name, check=False)
    raise AssertionError("Ctrl+Q did not quit the app")


def test_tui_in_tmux_160x48_chinese(live_station):
    name = run_app((160, 48), "--db", str(live_station), "--lang", "zh", "tui")
    try:
        board = wait_for_text(name, "城关派出所 值班台", "岗位 当前/下一班", "巡逻1", "F3 排班", "处警单元", "提醒")
        assert "警情" in board and "尚未开放" not in board
        tmux("send-keys", "-t", name, "F4")
        wait_for_text(name, "夜巡方案", "还没有巡逻方案", "dutydesk patrol plan")
        tmux("send-keys", "-t", name, "F2")
        wait_for_text(name, "新警情 (接警登记)", "1打架斗殴")
        tmux("send-keys", "-t", name, "Escape")
        wait_for_text(name, "夜巡方案")
        tmux("send-keys", "-t", name, "F3")
        roster = wait_for_text(name, "排班 #1 v1", "覆盖", "说明")
        assert "已发布" in roster
        tmux("send-keys", "-t", name, "F5")
        wait_for_text(name, "人员 62/62", "警号")
        tmux("send-keys", "-t", name, "F1")
        wait_for_text(name, "帮助：快捷键")
        tmux("send-keys", "-t", name, "Escape")
    finally:
        quit_app(name)


def test_demo_in_tmux_80x24_english(live_station):
    name = run_app((80, 24), "--db", str(live_station), "--lang", "en", "demo")
    try:
        board = wait_for_text(name, "Posts now / next", "Patrol car 1", "F2 new call", "^Q quit")
        lines = board.splitlines()
        assert len(lines) <= 24 and all(len(line) <= 80 for line in lines)
        assert "not yet available" not in board and "w next panel" in board
        tmux("send-keys", "-t", name, "F4")
        patrol = wait_for_text(name, "Night patrol", "No patrol plan")
        assert all(len(line) <= 80 for line in patrol.splitlines())
        tmux("send-keys", "-t", name, "F2")
        intake = wait_for_text(name, "New call", "1Fight")
        assert len(intake.splitlines()) <= 24 and "Esc cancel" in intake
        tmux("send-keys", "-t", name, "Escape")
        wait_for_text(name, "Night patrol")
        tmux("send-keys", "-t", name, "F3")
        roster = wait_for_text(name, "Roster #1 v1", "Cover")
        assert "[published]" in roster
    finally:
        quit_app(name)


def keys(name: str, *presses: str) -> None:
    for key in presses:
        tmux("send-keys", "-t", name, key)
        time.sleep(0.15)


def fits(out: str, size: tuple[int, int]) -> None:
    from rich.cells import cell_len
    lines = out.splitlines()
    assert len(lines) <= size[1] and all(cell_len(line) <= size[0] for line in lines), out


@pytest.mark.parametrize("size", [(80, 24), (160, 48)])
def test_a_call_from_intake_to_closed_in_tmux_zh_cn(live_station, size):
    """F2 -> 8 (纠纷), Tab, 酒 -> the completion 酒吧街 is offered -> Enter takes it and shows the
    recommendations (the hot spot matched: a travel time or "-", never "None") -> Enter sends
    the first -> on the board the call is selected with w, c (完毕), x and y (结案): it is gone."""
    name = run_app(size, "--db", str(live_station), "tui", env="LANG=zh_CN.UTF-8 LC_ALL=zh_CN.UTF-8")
    try:
        board = wait_for_text(name, "城关派出所 值班台", "F2 新警情", "^Q 退出")
        fits(board, size)
        tmux("send-keys", "-t", name, "F2")
        wait_for_text(name, "新警情 (接警登记)")
        keys(name, "8", "Tab")
        tmux("send-keys", "-t", name, "酒")
        wait_for_text(name, "Enter 取补全 酒吧街")
        tmux("send-keys", "-t", name, "Enter")
        rec = wait_for_text(name, "警情 #1 派警", "酒吧街", "的理由")      # the ranking is shown
        assert "None" not in rec
        fits(rec, size)
        tmux("send-keys", "-t", name, "Enter")
        sent = wait_for_text(name, "已派")
        keys(name, "w", "w")                         # the calls panel, focused
        wait_for_text(name, "#1 已派: e 途中  o 到场  c 处置完毕")
        tmux("send-keys", "-t", name, "c")
        wait_for_text(name, "#1 完毕: x 结案")
        tmux("send-keys", "-t", name, "x")
        wait_for_text(name, "结案 警情 #1")
        tmux("send-keys", "-t", name, "y")
        done = wait_for_text(name, "没有未结警情")
        fits(done, size)
        assert sent
    finally:
        quit_app(name)
