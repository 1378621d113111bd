"""Messages about the short labels of shifts and posts (station file `label`, roster legends)."""
from __future__ import annotations

MESSAGES: dict[str, tuple[str, str]] = {
    "label.space": ("标签“{label}”不能含空格或“/”（格中写作 班次/岗位）；请写一个词，例如“夜”",
                    "the label '{label}' may not hold spaces or '/' (a cell reads shift/post); write one word, "
                    "e.g. 夜"),
    "label.wide": ("标签“{label}”太长：最多 {chars} 个汉字或 {limit} 个字母",
                   "the label '{label}' is too long: at most {chars} Chinese characters or {limit} letters"),
    "label.twice": ("标签“{label}”重复（{first} 已使用）；每个标签只能用一次",
                    "the label '{label}' is used twice (first in {first}); each label may be used once"),
    # legends of the roster grid (terminal) and of the prints
    "legend.shifts": ("班次", "Shifts"),
    "legend.posts": ("岗位", "Posts"),
    "legend.leave": ("请假", "Leave"),
}
