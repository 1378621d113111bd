"""Text helpers for cells: cut to a width counted in terminal cells (a CJK character is two),
never with an ellipsis (an ambiguous-width character in CJK terminals)."""
from __future__ import annotations

from rich.cells import cell_len
from rich.text import Text


def clip(text: str | Text, width: int, style: str = "") -> Text:
    """``text`` cut to at most ``width`` cells."""
    out = text.copy() if isinstance(text, Text) else Text(text, style=style)
    if out.cell_len > width:
        out.truncate(max(0, width), overflow="crop")
    return out


def fit_list(parts: list[Text], width: int, sep: str = "  ") -> Text:
    """As many of ``parts`` as fit in ``width`` cells, then ``+N`` for the rest."""
    out = Text()
    for i, part in enumerate(parts):
        rest = len(parts) - i - 1
        tail = len(f"{sep}+{rest}") if rest else 0
        need = (len(sep) if i else 0) + part.cell_len
        if out.cell_len + need + tail > width:
            more = f"+{len(parts) - i}"
            if out.cell_len + (len(sep) if i else 0) + len(more) > width and i:
                return out
            if i:
                out.append(sep)
            out.append(more, style="bold")
            return out
        if i:
            out.append(sep)
        out.append_text(part)
    return out


def pad(text: str | Text, width: int) -> Text:
    """``text`` cut or padded with spaces to exactly ``width`` cells."""
    out = clip(text, width)
    out.append(" " * (width - out.cell_len))
    return out


def cells(text: str) -> int:
    return cell_len(text)


def fit_parts(parts: list[Text], width: int, sep: str = "   ") -> Text:
    """The parts, in order of importance, that fit whole in ``width`` cells (a part that does not
    fit is left out rather than cut)."""
    out = Text()
    for part in parts:
        gap = sep if out else ""
        if out.cell_len + len(gap) + part.cell_len > width:
            continue
        out.append(gap)
        out.append_text(part)
    return out
