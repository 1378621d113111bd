"""Messages of the terminal app added beside messages/tui.py: the quit prompt, solver phases:
(Simplified Chinese, English)."""
from __future__ import annotations

MESSAGES: dict[str, tuple[str, str]] = {
    "app.quit_title": ("要退出吗？", "Do you want to quit?"),
    "app.quit_how": ("按 {key} 退出值班台", "Press {key} to quit the app"),
    # phases of a solve, as the progress line names them (scheduler/engine.py Progress.phase)
    "phase.first": ("首个解", "first solution"),
    "phase.initial": ("初始解", "initial"),
    "phase.lns": ("局部改进", "improving (LNS)"),
    "phase.bound": ("下界", "bound"),
    "phase.done": ("完成", "done"),
}
