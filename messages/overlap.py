"""Messages of generating next to or over other rosters (issue 23 item 6): overlaps with
drafts, the seam with the neighbouring rosters."""
from __future__ import annotations

MESSAGES: dict[str, tuple[str, str]] = {
    # the seam (scheduler/station/seam.py)
    "seam.next_shift": ("次日{date}在下一排班表中上{shift}，本班次与其衔接不符合休息规定",
                        "the next roster has them on {shift} on {date}; this shift may not come right before it"),
    "seam.rest_24h": ("24小时值班后需休息{days}天，但下一排班表{date}已安排其上班",
                      "a 24 h duty needs {days} day(s) of rest after it, and the next roster has them working on {date}"),
    "seam.too_many_days": ("{name}：与下一排班表衔接后连续上班{n}天（至{date}起的班次），最多{most}天",
                           "{name}: {n} consecutive working days across the seam with the next roster (from {date} "
                           "on), at most {most}"),
    "seam.too_many_nights": ("{name}：与下一排班表衔接后连续夜班{n}个（至{date}起的班次），最多{most}个",
                             "{name}: {n} nights in a row across the seam with the next roster (from {date} on), "
                             "at most {most}"),
    # generating over an open draft (usecases/roster.py)
    "overlap.roster": ("排班表{id} v{version}（{status}，{start}起{days}天）", "roster {id} v{version} ({status}, "
                       "from {start} for {days} days)"),
    "overlap.refuse": ("{start}起{days}天与{rosters}重叠（{first}至{last}）；未生成。请选择：\n"
                       "  --over-draft use-as-history  保留原草稿，其在{start}之前的排班作为历史，其后的排班在衔接处检查；"
                       "两者都批准后，重叠日期以新排班表为准\n"
                       "  --over-draft replace  将原草稿标记为已被取代（记入审计日志），重新排这些日期\n"
                       "  或从{after}开始（其结束之后）",
                       "{start} + {days} days overlaps {rosters} ({first} to {last}); nothing was generated. Choose:\n"
                       "  --over-draft use-as-history  keep that draft: its days before {start} are taken as "
                       "history and its days after this period are checked at the seam; once both are approved, "
                       "this roster wins on the days both cover\n"
                       "  --over-draft replace  mark that draft superseded (audited) and plan these days anew\n"
                       "  or start on {after} (after it ends)"),
    "overlap.history": ("{rosters}与本期重叠（{first}至{last}）：其在{start}之前的排班作为历史，其后的排班在衔接处检查；"
                        "两者都批准后，重叠日期以本排班表为准",
                        "{rosters} overlaps this period ({first} to {last}): its days before {start} are taken as "
                        "history and its days after this period are checked at the seam; once both are approved, "
                        "this roster wins on the days both cover"),
    "overlap.replace": ("{rosters}与本期重叠（{first}至{last}）：保存时将其标记为已被取代",
                        "{rosters} overlaps this period ({first} to {last}): it is marked superseded when this "
                        "roster is stored"),
    "overlap.neighbour_draft": ("相邻的未批准排班表{rosters}：其排班作为历史和衔接检查的依据；若其再改动，提交时会再次检查衔接",
                                "next to an unapproved roster {rosters}: its cells are taken as history and checked "
                                "at the seam; if it changes, the seam is checked again at submit"),
    "overlap.bad_choice": ("“{value}”不是可选项；可选：refuse（拒绝）、use-as-history（作为历史）、replace（取代）",
                           "'{value}' is not a choice; use refuse, use-as-history or replace"),
    "overlap.changed": ("{what}在求解期间被改动；未保存。请重新生成", "{what} changed while this roster was solved; "
                        "nothing was written. Generate again"),
    "overlap.new_draft": ("求解期间有人生成了与本期重叠的{rosters}；未保存。请重新生成并选择 --over-draft",
                          "{rosters}, overlapping this period, was generated while this roster was solved; nothing "
                          "was written. Generate again and choose --over-draft"),
    "overlap.seam_broken": ("求解期间相邻排班表有变动，新排班表在衔接处违反{n}条硬性规则；未保存。请重新生成：\n  - {lines}",
                            "a neighbouring roster changed while this roster was solved, and the new roster breaks "
                            "{n} hard rule(s) at the seam; nothing was written. Generate again:\n  - {lines}"),
    "overlap.superseded_by": ("被排班表{id}取代（生成时选择 --over-draft replace）",
                              "superseded by roster {id} (generated with --over-draft replace)"),
    "gen.over_draft": ("与草稿重叠时", "over a draft"),
    "gen.over_draft_hint": ("refuse 拒绝 / use-as-history 作为历史 / replace 取代",
                            "refuse / use-as-history / replace"),
}
