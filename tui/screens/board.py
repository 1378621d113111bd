"""The duty board (值班台): who is on which post now and next, demand against staffing, the patrol
units on duty (status, check-in timer, next planned stop), the incident queue, alerts.

It re-reads the board when the database changes (the app polls PRAGMA data_version through
usecases.board) and once a minute for shift changes; the posts, units and incidents tables are
updated cell by cell by row key, with the cursor kept on its row. On narrow terminals one of the
three panels shows at a time (w switches).
"""
from __future__ import annotations

from datetime import datetime

from rich.console import Group
from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.widgets import DataTable, Static

import messages as i18n
from messages import t
from tui.format import (DIM, OK, SHORT, TYPE_STYLE, checkin_cell, hms, incident_status, minutes, priority,
                        skills_line, type_name, unit_names, unit_status)
from tui.screens.base import DeskScreen, KeyBar, effective_bindings, key_display
from tui.screens.dialogs import ConfirmScreen, Field, FormScreen, InfoScreen
from tui.widgets import clip, cursor_key, fit_list, fit_parts, set_columns, sync_rows
from usecases import board as board_uc
from usecases import dispatch as dispatch_uc



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


def desk_alert_text(a: dict, names: dict, now: datetime) -> Text:
    """An alert of the dispatch desk: a unit quiet too long, a call waiting, a legal clock."""
    kind = a["kind"]
    if kind == "checkin":
        unit = unit_names(a["unit"], names["desk"])
        msg = (t("alert.checkin_late", unit=unit, n=a["over"], quiet=a["quiet"]) if a["level"] == "error"
               else t("alert.checkin_warn", unit=unit, quiet=a["quiet"]))
    elif kind == "waiting":
        msg = t("alert.waiting", id=a["id"], p=a["priority"], type=type_name(a["type"], names["desk"]),
                place=a["place"], n=a["age"])
        style = WAITING_STYLE.get(a["priority"], "#b0a070")
        return Text(("! " if a["priority"] <= 2 else "- ") + msg, style=style)
    else:
        left = (datetime.fromisoformat(a["ends"]) - now).total_seconds()
        msg = t("alert.clock", kind=a["clock_kind"], id=a["id"], left=hms(left))
        return Text("! " + msg, style="bold #ff7070" if a["level"] == "error" else "bold #f0c060")
    style = "bold #ff7070" if a["level"] == "error" else "#e0b050"
    return Text(("! " if a["level"] == "error" else "- ") + msg, style=style)


ALERT_ROWS, ALERT_ROWS_SHORT = 10, 6      # lines of the alerts box (short: under 34 rows)

# a waiting call by its priority: one P2 nobody takes must not look like sixteen noise complaints
WAITING_STYLE = {1: "bold white on #a02828", 2: "bold #ff7070", 3: "#ff9f50", 4: "#c8b070", 5: "#a09878"}


def alert_text(a: dict, names: dict, today: str, now: datetime | None = None) -> Text:
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
    elif kind in ("checkin", "waiting", "clock"):
        return desk_alert_text(a, names, now)
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
            table.add_column(no_wrap=True, overflow="crop", min_width=2)
            for w in widths:
                table.add_column(no_wrap=True, overflow="crop", min_width=w)
            table.add_column(no_wrap=True, overflow="crop")
            table.add_column(no_wrap=True, overflow="crop")
            for p in inst["people"]:
                note = Text(i18n.leave_kind(p["leave"]), style="bold #ff7070") if p.get("leave") else Text("")
                table.add_row("", p["name"], p["badge"], Text(ptype(p), style=TYPE_STYLE.get(p["person_type"], "")),
                              skills_line(p["skills"], names, "month"), note)
            parts.append(table)
    return Group(*parts)


VIEWS = ("posts", "units", "incidents")
NEXT_STATUS = {"en_route": "en_route", "on_scene": "on_scene", "cleared": "cleared", "closed": "closed"}


def incident_detail(inc: dict, names: dict, zone) -> Table:
    """One call in full: type, place, priority, who called, notes, times, units, legal clock."""
    grid = Table.grid(padding=(0, 2))
    grid.add_column(style="bold", no_wrap=True, overflow="crop")
    grid.add_column()

    def local(iso: str | None) -> str:
        return datetime.fromisoformat(iso.replace("Z", "+00:00")).astimezone(zone).strftime("%m-%d %H:%M:%S") if iso else "-"
    grid.add_row(t("inc.f.type"), Text.assemble(priority(inc["priority"]), " ", type_name(inc["type"], names)))
    grid.add_row(t("inc.f.place"), inc["place_text"] or "-")
    grid.add_row(t("inc.f.status"), incident_status(inc["status"]))
    grid.add_row(t("inc.f.units"), unit_names(inc["units"], names) if inc["units"] else "-")
    grid.add_row(t("inc.f.reporter"), " ".join(x for x in (inc.get("reporter"), inc.get("reporter_phone")) if x) or "-")
    grid.add_row(t("inc.f.notes"), inc.get("notes") or "-")
    if inc.get("female_search"):
        grid.add_row(t("inc.f.female"), t("yes"))
    if inc.get("needs_woman") and not inc.get("female_search"):
        grid.add_row(t("inc.f.female"), t("inc.needs_woman"))
    for key in ("received_at", "dispatched_at", "en_route_at", "on_scene_at", "cleared_at"):
        grid.add_row(t(f"inc.f.{key}"), local(inc.get(key)))
    if inc.get("clock_kind"):
        grid.add_row(t("inc.f.clock"), f"{inc['clock_kind']} {hms(inc.get('clock_remaining_s') or 0)}")
    keys = next_keys(inc["status"])
    if keys:
        grid.add_row(t("inc.f.next"), Text(keys, style="bold"))
    return grid


# what can happen next to a call, and the board key for it
NEXT_KEYS = {"received": ("d", "x"), "dispatched": ("e", "o", "c"), "en_route": ("o", "c"), "on_scene": ("c",),
             "cleared": ("x",)}
KEY_LABEL = {"d": "key.dispatch", "e": "key.en_route", "o": "key.on_scene", "c": "key.cleared", "x": "key.closed"}


def next_keys(status: str, key_of=None) -> str:
    """``key_of(action)``: the key bound to a board action now (a user keymap may move it)."""
    return "  ".join(f"{key_of(KEY_ACTION[k]) if key_of else k} {t(KEY_LABEL[k])}" for k in NEXT_KEYS.get(status, ()))


KEY_ACTION = {"d": "dispatch", "e": "en_route", "o": "on_scene", "c": "cleared", "x": "closed"}


class BoardScreen(DeskScreen):
    """值班台: the default screen."""

    AUTO_FOCUS = "#posts"
    BINDINGS = [Binding("enter", "detail", "key.detail", show=False, id="board.detail"),
                Binding("d", "dispatch", "key.dispatch", id="board.dispatch"),
                Binding("a", "ack", "key.ack", id="board.ack"),
                Binding("w", "switch", "key.switch", id="board.switch"),
                Binding("e", "en_route", "key.en_route", id="board.en_route"),
                Binding("o", "on_scene", "key.on_scene", id="board.on_scene"),
                Binding("c", "cleared", "key.cleared", id="board.cleared"),
                Binding("x", "closed", "key.closed", id="board.closed"),
                Binding("l", "clock", "key.clock", id="board.clock")]
    MODE = "board"
    FOOTER = ("board.dispatch", "board.switch", "board.ack", "board.closed", "board.cleared", "board.en_route",
              "board.on_scene", "board.clock")
    PERMS = {"dispatch": "dispatch", "ack": "ack", "en_route": "update_incident", "on_scene": "update_incident",
             "cleared": "update_incident", "closed": "update_incident", "clock": "clock"}
    ACTIONS = {"detail": "cmd.post_detail", "dispatch": "cmd.dispatch", "ack": "cmd.ack", "en_route": "cmd.en_route",
               "on_scene": "cmd.on_scene", "cleared": "cmd.cleared", "closed": "cmd.closed", "clock": "cmd.clock",
               "incident_detail": "cmd.incident_detail", "switch": "cmd.switch"}

    def __init__(self) -> None:
        super().__init__()
        self.snap: dict | None = None
        self.desk: dict | None = None
        self.view = "posts"
        self._minute: str | None = None
        self._detail_sig = None

    def compose(self) -> ComposeResult:
        yield Static(id="board-header", classes="topline")
        with Horizontal(id="board-main"):
            with Vertical(id="posts-box", classes="panel"):
                yield DataTable(id="posts", cursor_type="row", zebra_stripes=True)
                yield Static(id="post-detail")
            with Vertical(id="side"):
                with Vertical(id="units-box", classes="panel"):
                    yield DataTable(id="units", cursor_type="row", zebra_stripes=True)
                    yield Static(id="standby-line")
                with Vertical(id="incidents-box", classes="panel"):
                    yield DataTable(id="incidents", cursor_type="row", zebra_stripes=True)
                    yield Static(id="incidents-empty")
        yield Static(id="desk-line")
        with Vertical(id="alerts-box", classes="panel"):
            yield Static(id="alerts-urgent")          # never scrolls: the urgent ones stay in view
            with VerticalScroll(id="alerts-scroll"):
                yield Static(id="alerts")
        yield KeyBar()

    def on_mount(self) -> None:
        self.set_interval(1.0, self.tick)
        self.set_class(True, "-view-posts")
        self.relabel_static()
        self.reload()

    # -- data --------------------------------------------------------------------------
    def reload(self) -> None:
        super().reload()
        now = self.app.now()
        try:
            self.snap = board_uc.board_snapshot(self.app.session, now=now)
        except Exception as exc:  # noqa: BLE001 - the board must stay up; say what is wrong
            self.app.show_error(exc)
            return
        try:
            self.desk = board_uc.dispatch_snapshot(self.app.session, now=now)
        except Exception as exc:  # noqa: BLE001 - a busy database: the posts still show
            self.app.show_error(exc)
        self._minute = now.strftime("%Y-%m-%d %H:%M")
        self.render_all()

    def tick(self) -> None:
        now = self.app.now()
        if now.strftime("%Y-%m-%d %H:%M") != self._minute:
            self.reload()          # shift changes happen on the minute
        else:
            self.render_header()
            if self.desk and self.desk["clocks"]:
                self.render_alerts()       # legal clocks count down by the second

    # -- layout ------------------------------------------------------------------------
    def on_resize(self, event) -> None:
        self.set_class(self.size.width < 120, "-narrow")
        self.set_class(self.size.height < 34, "-short")
        self.render_all()

    def columns(self) -> list[tuple[str, str, int]]:
        width = self.query_one("#posts", DataTable).size.width or max(40, self.size.width - 44)
        names = (self.snap or {}).get("names", {}).get("posts", {})
        post_w = min(16, max([8] + [clip(i18n.name(n, c), 16).cell_len for c, n in names.items()]))
        narrow = width < 110
        fixed = {"post": post_w if not narrow else min(post_w, 14), "now": 10, "staffed": 7,
                 "next": 16 if width < 84 else 22, "next_staffed": 7}
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

    @staticmethod
    def flex_columns(table: DataTable, spec: list[tuple[str, str, int | None]], fallback: int) -> list:
        """Columns of fixed widths and one flexible (width None) taking the rest of the table."""
        width = table.size.width or fallback
        rest = width - 2 * len(spec) - sum(w for _, _, w in spec if w) - 1
        return [(k, t(label), w if w else max(8, rest)) for k, label, w in spec]

    def name_width(self, codes, kind: str, most: int) -> int:
        names = self.desk["names"][kind] if self.desk else {}
        return min(most, max([4] + [Text(i18n.name(names.get(c), c)).cell_len for c in codes]))

    def unit_columns(self) -> list:
        units = (self.desk or {}).get("units", [])
        spec = [("unit", "col.unit", self.name_width([u["code"] for u in units], "units", 12)),
                ("status", "col.status", 4 if i18n.lang() == "zh" else 8), ("since", "col.since", 6),
                ("checkin", "col.checkin", 8), ("where", "col.where", 14), ("members", "col.members", None)]
        return self.flex_columns(self.query_one("#units", DataTable), spec, 60)

    def incident_columns(self) -> list:
        incs = (self.desk or {}).get("incidents", [])
        spec = [("p", "col.p", 2), ("age", "col.age", 6),
                ("type", "col.type", self.name_width([i["type"] for i in incs], "types", 12)
                 + (3 if any(i.get("needs_woman") for i in incs) else 0)),
                ("place", "col.place", None), ("status", "col.status", 4 if i18n.lang() == "zh" else 10),
                ("units", "col.units", max([4] + [Text(unit_names(i["units"], self.desk["names"])).cell_len
                                                   for i in incs if i["units"]]))]
        return self.flex_columns(self.query_one("#incidents", DataTable), spec, 60)

    # -- rendering ---------------------------------------------------------------------
    def relabel_static(self) -> None:
        self.query_one("#posts-box").border_title = t("board.posts_title")
        self.query_one("#units-box").border_title = t("board.units_title")
        self.query_one("#incidents-box").border_title = t("board.incidents_title")
        self.query_one("#alerts-box").border_title = t("board.alerts_title")

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
        parts.append(self.leader_text(snap))
        shifts = [names["shifts"][c] for c in snap["shifts_now"] if c in names["shifts"]]
        for s in shifts[:2]:
            parts.append(Text(f"{i18n.name(s, '')} {s['start']}-{s['end']}"))
        parts.append(Text(t("board.on_duty", n=snap["on_duty"], women=snap["women_on_duty"])))
        roles = "/".join(i18n.role(r) for r in info["roles"]) or t("role.none")
        parts.append(Text(f"{info['login']} ({roles})", style=DIM))
        self.query_one("#board-header", Static).update(fit_parts(parts, self.size.width or 160))

    @staticmethod
    def leader_text(snap: dict) -> Text:
        """带班领导 from the roster: who is on the leader post (or holds the leader skill) now."""
        lead = snap.get("leader") or {"source": None, "people": []}
        out = Text(t("board.leader") + " ", style="bold")
        if lead["people"]:
            out.append(" ".join(p["name"] for p in lead["people"]), style="bold #7fd0ff")
        elif lead["source"]:
            out.append(t("board.leader_none"), style=SHORT)
        else:
            out.append(t("board.leader_undefined"), style=DIM)
        return out

    def render_all(self) -> None:
        snap = self.snap
        if snap is None:
            return
        names, today = snap["names"], snap["today"]
        self.render_header()
        cols = self.columns()
        table, keep, width = self.prepare("posts", cols)
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
        self.render_units()
        self.render_incidents()
        self.render_desk_line()
        self.render_alerts()

    def prepare(self, table_id: str, cols: list) -> tuple[DataTable, tuple, dict]:
        """The table with its columns set; the cursor's row to keep; the width of each column."""
        table = self.query_one(f"#{table_id}", DataTable)
        keep = (cursor_key(table), 0)
        set_columns(table, [(k, Text(label, style="bold"), w) for k, label, w in cols])
        return table, keep, {k: w for k, _, w in cols}

    def render_units(self) -> None:
        if self.desk is None:
            return
        names = self.desk["names"]
        cols = self.unit_columns()
        table, keep, width = self.prepare("units", cols)
        rows = []
        for u in self.desk["units"]:
            if u["incident"]:
                where = Text(f"#{u['incident']['id']} {u['incident']['place']}", style="#ff8c5a")
            elif u["next_stop"]:
                stop = u["next_stop"]
                where = Text(f"{stop['name']} {hhmm(stop['arrive'])}")
            else:
                where = Text("-", style=DIM)
            members = [Text.assemble(m["name"], (i18n.ptype_short(m["person_type"]),
                                                 TYPE_STYLE.get(m["person_type"], ""))) for m in u["members"]]
            cells = {"unit": clip(unit_names(u["code"], names), width["unit"]), "status": unit_status(u["status"]),
                     "since": Text(minutes(u["minutes_in_status"])), "checkin": checkin_cell(u),
                     "where": clip(where, width["where"]), "members": fit_list(members, width["members"], sep=" ")}
            rows.append((u["code"], [cells[k] for k, _, _ in cols]))
        sync_rows(table, rows, keep=keep)
        self.render_standby()
        box = self.query_one("#units-box")
        box.border_title = t("board.units_title") + (f" ({len(rows)})" if rows else "")
        box.border_subtitle = t("board.units_keys") if rows else t("board.no_units")

    def render_standby(self) -> None:
        """备勤: how many are on standby now, who, and what their crew is doing."""
        line = self.query_one("#standby-line", Static)
        standby = (self.snap or {}).get("standby") or []
        if not standby:
            line.update("")
            return
        names = self.snap["names"]
        units = {u["code"]: u for u in (self.desk or {}).get("units", [])}
        out = Text()
        for sb in standby:
            if out:
                out.append("   ")
            out.append(i18n.name(names["posts"].get(sb["post"]), sb["post"]) + " ", style="bold")
            if not sb["shifts"]:
                out.append(t("board.no_shift"), style=DIM)
                continue
            n = len(sb["people"])
            out.append(t("board.standby_n", n=n), style=SHORT if n < sb["need"] else "")
            if n:
                out.append(" " + " ".join(p["name"] for p in sb["people"]))
            u = units.get(sb["post"])
            if u is not None:
                out.append(" ")
                out.append_text(unit_status(u["status"]))
                if u.get("incident"):
                    out.append(f" #{u['incident']['id']} {u['incident']['place']}", style="#ff8c5a")
                elif u["status"] == "available":
                    out.append(" " + t("board.standby_at"), style=DIM)
        line.update(out)

    def render_incidents(self) -> None:
        if self.desk is None:
            return
        names = self.desk["names"]
        cols = self.incident_columns()
        table, keep, width = self.prepare("incidents", cols)
        rows = []
        for inc in self.desk["incidents"]:
            late = inc["waiting_too_long"]
            kind = Text(type_name(inc["type"], names))
            if inc.get("needs_woman"):
                kind = Text.assemble((t("inc.woman_mark"), "bold #e080f0"), " ", kind)
            cells = {"p": priority(inc["priority"]),
                     "age": Text(minutes(inc["age_min"]), style="bold white on #a02828" if late else ""),
                     "type": clip(kind, width["type"]),
                     "place": clip(inc["place_text"] or "-", width["place"]),
                     "status": incident_status(inc["status"]),
                     "units": clip(unit_names(inc["units"], names), width["units"]) if inc["units"]
                     else Text("-", style=DIM)}
            rows.append((str(inc["id"]), [cells[k] for k, _, _ in cols]))
        sync_rows(table, rows, keep=keep)
        box = self.query_one("#incidents-box")
        box.border_title = t("board.incidents_title") + (f" ({len(rows)})" if rows else "")
        self.render_incident_keys()
        self.query_one("#incidents-empty", Static).update(Text(t("board.no_incidents"), style=DIM) if not rows else "")

    def render_incident_keys(self) -> None:
        """The keys that act on the selected call now, under the queue."""
        inc = self.selected_incident()
        box = self.query_one("#incidents-box")
        if inc is None:
            box.border_subtitle = ""
            return
        keys = next_keys(inc["status"], self.key_of)
        box.border_subtitle = f"#{inc['id']} {t('inc.' + inc['status'])}: {keys}" if keys else ""

    def render_desk_line(self) -> None:
        """On narrow terminals: what the hidden panels hold, in one line."""
        if self.desk is None:
            return
        by_unit: dict[str, int] = {}
        for u in self.desk["units"]:
            by_unit[u["status"]] = by_unit.get(u["status"], 0) + 1
        waiting = sum(i["status"] == "received" for i in self.desk["incidents"])
        to_close = sum(i["status"] == "cleared" for i in self.desk["incidents"])
        calls = Text(t("desk.line_incidents", n=len(self.desk["incidents"]) - to_close, waiting=waiting),
                     style="bold #ff7070" if waiting else "")
        if to_close:
            calls.append(" " + t("desk.line_to_close", n=to_close), style=DIM)
        parts = [Text(t("desk.line_units", units=" ".join(f"{t('unit.' + s)} {n}" for s, n in by_unit.items()) or "-")),
                 calls,
                 Text(t("desk.line_keys", view=t(f"view.{self.view}")), style=DIM)]
        self.query_one("#desk-line", Static).update(fit_parts(parts, max(40, (self.size.width or 80) - 2), sep="  "))

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

    def selected_unit(self) -> dict | None:
        key = cursor_key(self.query_one("#units", DataTable))
        return next((u for u in (self.desk or {}).get("units", []) if u["code"] == key), None)

    def selected_incident(self) -> dict | None:
        key = cursor_key(self.query_one("#incidents", DataTable))
        return next((i for i in (self.desk or {}).get("incidents", []) if str(i["id"]) == key), None)

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
        """Ranked alerts: the urgent ones (legal clocks, overdue check-ins, P1/P2 waiting) pinned
        at the top of the box, the rest below in a part that takes the focus and scrolls."""
        snap = self.snap
        if snap is None:
            return
        desk = self.desk["alerts"] if self.desk else []
        alerts = board_uc.rank_alerts(list(snap["alerts"]) + list(desk))
        box = self.query_one("#alerts-box")
        pinned = self.query_one("#alerts-urgent", Static)
        panel = self.query_one("#alerts", Static)
        urgent = [a for a in alerts if a["rank"] <= 1]
        rest = [a for a in alerts if a["rank"] > 1]
        box.border_title = t("board.alerts_title") + (t("board.alerts_count", n=len(alerts), urgent=len(urgent))
                                                      if alerts else "")
        self._alert_lines = []
        if not alerts:
            pinned.display = False
            panel.update(Text(t("board.no_alerts"), style=OK))
            box.border_subtitle = ""
            return
        names = dict(snap["names"], desk=self.desk["names"] if self.desk else {})
        now = self.app.now()
        top = [alert_text(a, names, snap["today"], now) for a in urgent]
        below = [alert_text(a, names, snap["today"], now) for a in rest]
        self._alert_lines = [x.plain for x in top + below]
        pinned.display = bool(top)
        pinned.update(Text("\n").join(top))
        panel.update(Text("\n").join(below))
        # the box holds ALERT_ROWS lines: the pinned ones, then as many of the rest as remain
        rows = ALERT_ROWS_SHORT if self.has_class("-short") else ALERT_ROWS
        pinned_rows = min(len(top), rows - 1)
        pinned.styles.max_height = pinned_rows
        scroll = self.query_one("#alerts-scroll")
        scroll.styles.max_height = max(1, rows - pinned_rows)
        scroll.display = bool(below) or not top
        visible = max(1, rows - pinned_rows)
        hidden = max(0, len(top) - pinned_rows) + max(0, len(below) - visible)
        box.border_subtitle = t("board.alerts_more", n=hidden) if hidden > 0 else ""

    def alerts_plain(self) -> str:
        """Every alert as shown, one a line, most urgent first (for tests and the handover)."""
        return "\n".join(getattr(self, "_alert_lines", []))

    # -- events and actions ------------------------------------------------------------
    def on_data_table_row_highlighted(self, event: DataTable.RowHighlighted) -> None:
        if self.snap and event.data_table.id == "posts":
            self.render_detail()
        elif event.data_table.id == "incidents" and self.desk:
            self.render_incident_keys()

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        if event.data_table.id == "incidents":
            self.action_incident_detail()
        elif event.data_table.id == "posts":
            self.action_detail()

    def on_descendant_focus(self, event) -> None:
        widget_id = getattr(event.widget, "id", None)
        if widget_id in VIEWS and widget_id != self.view:
            self.show_view(widget_id, focus=False)

    def show_view(self, view: str, *, focus: bool = True) -> None:
        for v in VIEWS:
            self.set_class(v == view, f"-view-{v}")
        self.view = view
        if focus:
            self.query_one(f"#{view}", DataTable).focus()
        self.call_after_refresh(self.render_all)      # the shown table has its width now

    def action_switch(self) -> None:
        self.show_view(VIEWS[(VIEWS.index(self.view) + 1) % len(VIEWS)])

    def action_detail(self) -> None:
        post = self.selected_post()
        if post is None:
            return
        self.app.push_screen(InfoScreen(self.detail_title(post),
                                        post_detail(post, self.snap["names"], self.snap["today"])))

    def action_incident_detail(self) -> None:
        inc = self.incident_or_say()
        if inc is not None:
            self.app.push_screen(InfoScreen(t("inc.title", id=inc["id"]),
                                            incident_detail(inc, self.desk["names"], self.app.zone)))

    def incident_or_say(self) -> dict | None:
        inc = self.selected_incident()
        if inc is None:
            self.app.notify(t("desk.no_incident"), severity="warning", timeout=5, markup=False)
        return inc

    def key_of(self, action: str) -> str:
        """The key that runs a board action now (the user's keymap may have moved it)."""
        for _key, binding in effective_bindings(self):
            if binding.action == action:
                return key_display(self.app, binding)
        return "?"

    def action_ack(self) -> None:
        """Acknowledge a unit's check-in: a safety action, so it asks first (the same letter
        approves a roster on F3)."""
        u = self.selected_unit()
        if u is None:
            self.app.notify(t("desk.no_unit"), severity="warning", timeout=5, markup=False)
            return
        name = unit_names(u["code"], self.desk["names"])
        code = u["code"]
        quiet = t("confirm.ack_quiet", n=u["checkin_quiet_min"]) if u.get("checkin_timer") else ""

        def answered(ok: bool | None) -> None:
            if ok:
                self.app.run_uc(dispatch_uc.ack_checkin, code, now=self.app.now(),
                                done=lambda r: self.app.notify(t("desk.acked", unit=name), timeout=5, markup=False))
        self.app.push_screen(ConfirmScreen(t("confirm.ack", unit=name), quiet), answered)

    def action_dispatch(self) -> None:
        inc = self.incident_or_say()
        if inc is None:
            return
        if inc["status"] != "received":
            self.app.notify(t("desk.not_received", id=inc["id"], status=t(f"inc.{inc['status']}")),
                            severity="warning", timeout=6, markup=False)
            return
        from tui.screens.dispatch import RecommendScreen
        self.app.push_screen(RecommendScreen(inc["id"]))

    def set_status(self, status: str) -> None:
        inc = self.incident_or_say()
        if inc is None:
            return

        def done(r: dict) -> None:
            self.app.notify(t("desk.status_set", id=r["id"], status=t(f"inc.{r['status']}")), timeout=5, markup=False)
        self.app.run_uc(dispatch_uc.update, inc["id"], status, now=self.app.now(), done=done)

    def action_en_route(self) -> None:
        self.set_status("en_route")

    def action_on_scene(self) -> None:
        self.set_status("on_scene")

    def action_cleared(self) -> None:
        self.set_status("cleared")

    def action_closed(self) -> None:
        """Close a call (it leaves the board for good): asks first."""
        inc = self.incident_or_say()
        if inc is None:
            return
        names = self.desk["names"]
        body = Text(f"P{inc['priority']} {type_name(inc['type'], names)} {inc['place_text'] or ''}  "
                    f"{t('inc.' + inc['status'])}")
        if inc["status"] not in ("cleared", "received"):
            body.append("\n" + t("confirm.close_open"), style="#e0b050")
        self.app.push_screen(ConfirmScreen(t("confirm.close", id=inc["id"]), body),
                             lambda ok: ok and self.set_status("closed"))

    def action_clock(self) -> None:
        inc = self.incident_or_say()
        if inc is None:
            return
        from tui.screens.roster import parse_number
        now = self.app.now()

        def run(session, v: dict) -> dict:
            hours = parse_number(v["hours"], t("clock.hours"), float)
            # the subject's name travels in the clock's kind text ("继续盘问 张某") until the
            # incidents table has a column for it (see docs/tui.md)
            kind = " ".join(x for x in ((v["kind"] or t("clock.default")), v["subject"]) if x)
            return dispatch_uc.start_clock(session, inc["id"], kind, hours, now=now)
        fields = [Field("kind", t("clock.kind"), t("clock.default"), hint=t("clock.kind_hint")),
                  Field("subject", t("clock.subject"), "", hint=t("clock.subject_hint")),
                  Field("hours", t("clock.hours"), "24")]
        self.app.push_screen(FormScreen(t("clock.title", id=inc["id"]), fields, run=run),
                             lambda r: r and self.app.notify(t("clock.started", id=r["id"], kind=r["clock_kind"],
                                                                 h=f"{r['clock_hours']:g}"), timeout=5, markup=False))
