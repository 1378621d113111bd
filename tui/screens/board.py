"""The duty board (值班台): who is on which post now and next, demand against staffing, alerts.

It re-reads the board when the database changes (the app polls PRAGMA data_version through
usecases.board) and once a minute for shift changes; the posts table is updated cell by cell by
row key, with the cursor kept on its post.
"""
from __future__ import annotations

from datetime import datetime

from rich.console import Group
from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.widgets import DataTable, Footer, Static

from tui import i18n
from tui.i18n import t
from tui.format import DIM, OK, SHORT, TYPE_STYLE, skills_line
from tui.screens.base import DeskScreen
from tui.screens.dialogs import InfoScreen
from tui.widgets import clip, cursor_key, fit_list, fit_parts, set_columns, sync_rows
from usecases import board as board_uc



def hhmm(iso: str) -> str:
    return datetime.fromisoformat(iso).strftime("%H:%M")


def when(iso: str, today: str) -> str:
    """HH:MM, with the date (MM-DD) when it is not today."""
    dt = datetime.fromisoformat(iso)
    return dt.strftime("%H:%M") if dt.date().isoformat() == today else dt.strftime("%m-%d %H:%M")


def person_chip(p: dict) -> Text:
    out = Text(p["name"], style="strike #c06060" if p.get("leave") else "")
    out.append(" ")
    out.append(i18n.ptype_short(p["person_type"]), style=TYPE_STYLE.get(p["person_type"], ""))
    return out


def staffed_text(insts: list[dict]) -> Text:
    if not insts:
        return Text("-", style=DIM)
    need = sum(i["need"] for i in insts)
    got = sum(i["staffed"] for i in insts)
    missing = sum(i["missing"] for i in insts)
    out = Text(f"{got}/{need}", style=OK if not missing else "bold")
    if missing:
        out.append(" ")
        out.append(t("board.short", n=missing), style=SHORT)
    return out


def alert_text(a: dict, names: dict, today: str) -> Text:
    post = i18n.name(names["posts"].get(a.get("post")), a.get("post") or "")
    shift = i18n.name(names["shifts"].get(a.get("shift")), a.get("shift") or "")
    kind = a["kind"]
    if kind == "short":
        msg = t("alert.short", post=post, shift=shift, n=a["missing"], need=a["need"])
    elif kind == "short_next":
        msg = t("alert.short_next", post=post, shift=shift, n=a["missing"], at=when(a["start"], today))
    elif kind == "sworn":
        msg = t("alert.sworn", post=post, shift=shift, have=a["sworn"], need=a["min_sworn"])
    elif kind == "expired_skill":
        skill = i18n.name(names["skills"].get(a["skill"]), a["skill"])
        msg = t("alert.expired", name=a["name"], badge=a["badge"], post=post, skill=skill, date=a["expires"])
    elif kind == "on_leave":
        msg = t("alert.on_leave", name=a["name"], badge=a["badge"], post=post, leave=i18n.leave_kind(a["leave"]))
    elif kind == "no_woman":
        msg = t("alert.no_woman")
    else:
        msg = t("alert.no_roster")
    style = "bold #ff7070" if a["level"] == "error" else "#e0b050"
    return Text(("! " if a["level"] == "error" else "- ") + msg, style=style)


def post_detail(post: dict, names: dict, today: str) -> Group:
    """Everyone on the post now and on its next shift, with badge, type and the post's skills."""
    everyone = [p for inst in post["now"] + post["next"] for p in inst["people"]]

    def ptype(p: dict) -> str:
        return i18n.name(names["person_types"].get(p["person_type"]), p["person_type"])
    widths = [max([0] + [Text(f(p)).cell_len for p in everyone])
              for f in (lambda p: p["name"], lambda p: p["badge"], ptype)]
    parts = []
    for label, insts in ((t("board.now"), post["now"]), (t("board.next"), post["next"])):
        if not insts:
            parts.append(Text.assemble((label, "bold"), " ", (t("board.no_shift"), DIM)))
            continue
        for inst in insts:
            shift = names["shifts"].get(inst["shift"], {})
            head = Text(f"{label} {i18n.name(shift, inst['shift'])} {when(inst['start'], today)}-{hhmm(inst['end'])} ",
                        style="bold")
            head.append_text(staffed_text([inst]))
            parts.append(head)
            if not inst["people"]:
                parts.append(Text("  " + t("board.nobody"), style=SHORT))
                continue
            table = Table(box=None, show_header=False, pad_edge=False, padding=(0, 2, 0, 0))
            table.add_column(no_wrap=True, min_width=2)
            for w in widths:
                table.add_column(no_wrap=True, min_width=w)
            table.add_column(no_wrap=True)
            table.add_column(no_wrap=True)
            for p in inst["people"]:
                note = Text(i18n.leave_kind(p["leave"]), style="bold #ff7070") if p.get("leave") else Text("")
                table.add_row("", p["name"], p["badge"], Text(ptype(p), style=TYPE_STYLE.get(p["person_type"], "")),
                              skills_line(p["skills"], names, "month"), note)
            parts.append(table)
    return Group(*parts)


class BoardScreen(DeskScreen):
    """值班台: the default screen."""

    AUTO_FOCUS = "#posts"
    BINDINGS = [Binding("f2", "app.not_yet('incidents')", "key.incident", key_display="F2"),
                Binding("f4", "app.not_yet('patrol')", "key.patrol", key_display="F4"),
                Binding("f6", "app.goto('board')", "key.board", show=False, key_display="F6"),
                Binding("enter", "detail", "key.detail", show=False)]
    ACTIONS = {"detail": "cmd.post_detail"}

    def __init__(self) -> None:
        super().__init__()
        self.snap: dict | None = None
        self._minute: str | None = None
        self._detail_sig = None

    def compose(self) -> ComposeResult:
        yield Static(id="board-header", classes="topline")
        with Horizontal(id="board-main"):
            with Vertical(id="posts-box", classes="panel"):
                yield DataTable(id="posts", cursor_type="row", zebra_stripes=True)
                yield Static(id="post-detail")
            with Vertical(id="side"):
                yield Static(id="units", classes="panel")
                yield Static(id="incidents", classes="panel")
        yield Static(id="todo-line")
        yield Static(id="alerts", classes="panel")
        yield Footer(show_command_palette=False)

    def on_mount(self) -> None:
        self.set_interval(1.0, self.tick)
        self.relabel_static()
        self.reload()

    # -- data --------------------------------------------------------------------------
    def reload(self) -> None:
        super().reload()
        try:
            self.snap = board_uc.board_snapshot(self.app.session, now=self.app.now())
        except Exception as exc:  # noqa: BLE001 - the board must stay up; say what is wrong
            self.app.show_error(exc)
            return
        self._minute = self.app.now().strftime("%Y-%m-%d %H:%M")
        self.render_all()

    def tick(self) -> None:
        now = self.app.now()
        if now.strftime("%Y-%m-%d %H:%M") != self._minute:
            self.reload()          # shift changes happen on the minute
        else:
            self.render_header()

    # -- layout ------------------------------------------------------------------------
    def on_resize(self, event) -> None:
        self.set_class(self.size.width < 120, "-narrow")
        self.set_class(self.size.height < 34, "-short")
        self.render_all()

    def columns(self) -> list[tuple[str, str, int]]:
        width = self.query_one("#posts", DataTable).size.width or max(40, self.size.width - 44)
        names = (self.snap or {}).get("names", {}).get("posts", {})
        post_w = min(16, max([8] + [clip(i18n.name(n, c), 16).cell_len for c, n in names.items()]))
        narrow = self.has_class("-narrow")
        fixed = {"post": post_w if not narrow else min(post_w, 14), "now": 10, "staffed": 7,
                 "next": 16 if narrow else 22, "next_staffed": 7}
        keys = (["post", "crew", "staffed", "next", "next_staffed"] if narrow
                else ["post", "now", "crew", "staffed", "next", "next_crew", "next_staffed"])
        free = width - 2 * len(keys) - sum(fixed[k] for k in keys if k in fixed) - 2
        if narrow:
            widths = {"crew": max(12, free)}
        else:
            widths = {"crew": max(12, free * 55 // 100), "next_crew": max(10, free - free * 55 // 100)}
        labels = {"post": "col.post", "now": "col.shift_now", "crew": "col.crew_now", "staffed": "col.staffed",
                  "next": "col.shift_next", "next_crew": "col.crew_next", "next_staffed": "col.staffed"}
        return [(k, t(labels[k]), fixed.get(k) or widths[k]) for k in keys]

    # -- rendering ---------------------------------------------------------------------
    def relabel_static(self) -> None:
        self.query_one("#posts-box").border_title = t("board.posts_title")
        self.query_one("#units").border_title = t("board.units_title")
        self.query_one("#incidents").border_title = t("board.incidents_title")
        self.query_one("#alerts").border_title = t("board.alerts_title")
        self.query_one("#units", Static).update(Text(t("board.units_todo"), style=DIM))
        self.query_one("#incidents", Static).update(Text(t("board.incidents_todo"), style=DIM))
        self.query_one("#todo-line", Static).update(Text(t("board.todo_line"), style=DIM))

    def render_header(self) -> None:
        if not self.snap:
            return
        snap, info = self.snap, self.app.info
        now = self.app.now()
        names = snap["names"]
        station = i18n.name({"zh": snap["station"]["name"], "en": snap["station"]["name_en"]}, snap["station"]["name"])
        parts = [Text.assemble(" ", (station + " " + t("app.desk"), "bold")),
                 Text(f"{now:%Y-%m-%d} {i18n.weekday(now.weekday())} {now:%H:%M:%S}", style="bold #7fd0ff")]
        kind = snap.get("day_kind")
        if kind and kind != "workday":
            parts.append(Text(i18n.day_kind(kind), style="#ff8080"))
        shifts = [names["shifts"][c] for c in snap["shifts_now"] if c in names["shifts"]]
        for s in shifts[:2]:
            parts.append(Text(f"{i18n.name(s, '')} {s['start']}-{s['end']}"))
        parts.append(Text(t("board.on_duty", n=snap["on_duty"], women=snap["women_on_duty"])))
        roles = "/".join(i18n.role(r) for r in info["roles"]) or t("role.none")
        parts.append(Text(f"{info['login']} ({roles})", style=DIM))
        self.query_one("#board-header", Static).update(fit_parts(parts, self.size.width or 160))

    def render_all(self) -> None:
        snap = self.snap
        if snap is None:
            return
        names, today = snap["names"], snap["today"]
        self.render_header()
        table = self.query_one("#posts", DataTable)
        keep = (cursor_key(table), 0)
        cols = self.columns()
        set_columns(table, [(k, Text(label, style="bold"), w) for k, label, w in cols])
        width = dict((k, w) for k, _, w in cols)
        rows = []
        for post in snap["posts"]:
            cells = {"post": clip(i18n.name(names["posts"].get(post["post"]), post["post"]), width["post"],
                                  style="" if post["now"] else DIM)}
            if "now" in width:
                cells["now"] = self.shift_cell(post["now"], names, today, width["now"], start=False)
            cells["crew"] = self.crew_cell(post["now"], width["crew"])
            cells["staffed"] = staffed_text(post["now"])
            cells["next"] = self.shift_cell(post["next"], names, today, width["next"], start=True)
            if "next_crew" in width:
                cells["next_crew"] = self.crew_cell(post["next"], width["next_crew"])
            cells["next_staffed"] = staffed_text(post["next"])
            rows.append((post["post"], [cells[k] for k, _, _ in cols]))
        sync_rows(table, rows, keep=keep)
        self.render_detail()
        self.render_alerts()

    @staticmethod
    def shift_cell(insts: list[dict], names: dict, today: str, width: int, *, start: bool) -> Text:
        if not insts:
            return Text("-", style=DIM)
        parts = []
        for inst in insts:
            label = i18n.name(names["shifts"].get(inst["shift"]), inst["shift"])
            parts.append(f"{when(inst['start'], today)} {label}" if start else label)
        return clip(" / ".join(parts), width)

    @staticmethod
    def crew_cell(insts: list[dict], width: int) -> Text:
        if not insts:
            return Text(t("board.no_shift"), style=DIM)
        people = [p for inst in insts for p in inst["people"]]
        if not people:
            return Text(t("board.nobody"), style=SHORT)
        return fit_list([person_chip(p) for p in people], width)

    def selected_post(self) -> dict | None:
        if not self.snap:
            return None
        key = cursor_key(self.query_one("#posts", DataTable))
        return next((p for p in self.snap["posts"] if p["post"] == key), None)

    def detail_title(self, post: dict) -> Text:
        names = self.snap["names"]
        out = Text(i18n.name(names["posts"].get(post["post"]), post["post"]), style="bold")
        need = [i18n.name(names["skills"].get(s), s) for s in post["skills"]]
        out.append("   " + t("board.post_needs", skills=" ".join(need) or "-", sworn=post["min_sworn"]),
                   style=DIM)
        return out

    def render_detail(self) -> None:
        post = self.selected_post()
        panel = self.query_one("#post-detail", Static)
        if post is None:
            panel.update("")
            return
        sig = (post["post"], repr(post), i18n.lang())
        if sig == self._detail_sig:
            return
        self._detail_sig = sig
        body = Table.grid()
        body.add_row(self.detail_title(post))
        body.add_row(post_detail(post, self.snap["names"], self.snap["today"]))
        panel.update(body)

    def render_alerts(self) -> None:
        snap = self.snap
        alerts = snap["alerts"]
        panel = self.query_one("#alerts", Static)
        panel.border_title = t("board.alerts_title") + (f" ({len(alerts)})" if alerts else "")
        if not alerts:
            panel.update(Text(t("board.no_alerts"), style=OK))
            return
        lines = Text("\n").join(alert_text(a, snap["names"], snap["today"]) for a in alerts)
        panel.update(lines)

    # -- events and actions ------------------------------------------------------------
    def on_data_table_row_highlighted(self, event: DataTable.RowHighlighted) -> None:
        if self.snap:
            self.render_detail()

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        self.action_detail()

    def action_detail(self) -> None:
        post = self.selected_post()
        if post is None:
            return
        self.app.push_screen(InfoScreen(self.detail_title(post),
                                        post_detail(post, self.snap["names"], self.snap["today"])))
