"""A progress bar drawn with coloured spaces: no box-drawing or block characters, so it keeps
its width in CJK terminals (textual's ProgressBar draws with ambiguous-width glyphs)."""
from __future__ import annotations

from rich.text import Text
from textual.reactive import reactive
from textual.widget import Widget


class SolveBar(Widget):
    """``fraction`` from 0 to 1; the percentage is written in the middle of the bar."""

    DEFAULT_CSS = "SolveBar { height: 1; width: 1fr; }"
    fraction: reactive[float] = reactive(0.0)

    def render(self) -> Text:
        width = max(1, self.size.width)
        frac = min(1.0, max(0.0, self.fraction))
        done = int(round(width * frac))
        label = f"{frac * 100:3.0f}%"
        line = list(" " * width)
        at = max(0, (width - len(label)) // 2)
        for i, ch in enumerate(label):
            if at + i < width:
                line[at + i] = ch
        text = Text()
        text.append("".join(line[:done]), style="bold white on #2f6fb0")
        text.append("".join(line[done:]), style="white on #3a3a3a")
        return text
