"""Wide (CJK) characters under overlays: a fix for Textual's compositor.

Textual paints a screen line in pieces ("chops") cut at every x where a widget starts or ends,
front to back. A widget drawn over others (a toast, a dialog) has its line divided at the edges
of the widgets *under* it as well; when such an edge falls in the middle of a double-width
character, ``Strip.divide`` replaces that character with two spaces. That is the toast over the
roster grid that read ``草稿：改动 2   ，缺口 0`` (``处`` lost at the grid panel's edge). Upstream:
https://github.com/Textualize/textual/issues/6357 (open for Textual 8.x).

``install()`` wraps ``Compositor._render_chops``: for a widget whose line has a wide character
across an inner cut, and which is in front on both sides of that cut, the line is not divided
there; the piece to the left of the cut holds the whole span and the piece to its right is left
empty (so no widget behind claims it). Lines without such a character are divided as before.
"""
from __future__ import annotations

from typing import Callable, Iterable

from rich.cells import get_character_cell_size
from textual import _compositor
from textual.geometry import Region
from textual.strip import Strip

_installed = False
ORIGINAL = _compositor.Compositor._render_chops        # kept for the test that shows the cause


def _straddled(strip: Strip, offsets: Iterable[int]) -> set[int]:
    """The offsets (relative to the strip) that fall inside a double-width character."""
    wanted = set(offsets)
    if not wanted:
        return set()
    out, x = set(), 0
    for segment in strip:
        text = segment.text
        if text.isascii():
            x += len(text)
            continue
        for ch in text:
            w = get_character_cell_size(ch)
            if w == 2 and (x + 1) in wanted:
                out.add(x + 1)
            x += w
    return out


def _render_chops(self, crop: Region, is_rendered_line: Callable[[int], bool]):
    cuts = self.cuts
    chops = [dict.fromkeys(cut_set[:-1]) for cut_set in cuts]
    intersection = Region.intersection
    for region, clip, strips in self._get_renders(crop):
        render_region = intersection(region, clip)
        render_x = render_region.x
        first_cut, last_cut = render_region.column_span
        for y, strip in zip(render_region.line_range, strips):
            if not is_rendered_line(y):
                continue
            chops_line = chops[y]
            final_cuts = [cut for cut in cuts[y] if last_cut >= cut >= first_cut]
            inner = final_cuts[1:-1]
            keep_whole = set()
            if inner:
                split = _straddled(strip, (c - render_x for c in inner))
                for rel in split:
                    cut = rel + render_x
                    i = final_cuts.index(cut)
                    # only where this widget is in front on both sides of the cut
                    if chops_line.get(final_cuts[i - 1]) is None and chops_line.get(cut) is None:
                        keep_whole.add(cut)
            if keep_whole:
                divide_at = [c for c in final_cuts if c not in keep_whole]
                pieces = strip.divide([c - render_x for c in divide_at[1:]])
                for cut, piece in zip(divide_at, pieces):
                    if chops_line.get(cut) is None:
                        chops_line[cut] = piece
                for cut in keep_whole:
                    if chops_line.get(cut) is None:
                        chops_line[cut] = Strip([], 0)      # painted by the piece on its left
                continue
            cut_strips = strip.divide([cut - render_x for cut in final_cuts[1:]])
            get = chops_line.get
            for cut, piece in zip(final_cuts, cut_strips):
                if get(cut) is None:
                    chops_line[cut] = piece
    return chops


def install() -> None:
    """Use the wide-character-safe chops in every Compositor (idempotent)."""
    global _installed
    if _installed or not hasattr(_compositor.Compositor, "_render_chops"):
        return
    _compositor.Compositor._render_chops = _render_chops
    _installed = True
