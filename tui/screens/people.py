"""The people screen (F5): person type, team, skills with expiry, leave; add leave."""
from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.widgets import DataTable, Static

import messages as i18n
from messages import t
from tui.format import skill_chip
from tui.screens.base import KeyBar, PeopleFilter, ViewScreen
from tui.screens.dialogs import Field, FormScreen, InfoScreen
from tui.widgets import clip, cursor_key, fit_list, set_columns, sync_rows
from usecases import board as board_uc

DIM = "#8a8a8a"


def leave_chip(lv: dict) -> Text:
    end = lv["end"][8:] if lv["end"][:7] == lv["start"][:7] else lv["end"][5:]
    text = f"{i18n.leave_short(lv['kind'])} {lv['start'][5:]}" + (f"..{end}" if lv["end"] != lv["start"] else "")
    return Text(text, style="bold #ff9090" if lv["now"] else "")


class PeopleScreen(PeopleFilter, ViewScreen):
    AUTO_FOCUS = "#people"
    BINDINGS = [
        Binding("l", "leave", "key.leave", id="people.leave"),
        Binding("t", "team", "key.team", id="people.team"),
        Binding("k", "skill", "key.skill", id="people.skill"),
    ]
    MODE = "people"
    FOOTER = ("people.leave", "people.team", "people.skill")
    PERMS = {"leave": "leave"}
    ACTIONS = {"leave": "cmd.leave", "team": "cmd.team", "skill": "cmd.skill"}

    def __init__(self) -> None:
        super().__init__()
        self.data: dict | None = None

    def compose(self) -> ComposeResult:
        yield Static(id="people-header", classes="topline")
        with Horizontal(id="people-main"):
            yield DataTable(id="people", cursor_type="row", zebra_stripes=True, fixed_columns=2, classes="panel")
            with VerticalScroll(id="person-box", classes="panel"):
                yield Static(id="person-detail")
        yield KeyBar()

    def read(self) -> tuple:
        return board_uc.people_view, {"today": self.app.now().date()}

    def relabel_static(self) -> None:
        self.query_one("#people").border_title = t("people.title")
        self.query_one("#person-box").border_title = t("people.detail_title")

    def filter_names(self) -> dict | None:
        return self.data["names"] if self.data else None

    def people(self) -> list[dict]:
        return [p for p in (self.data or {}).get("people", []) if self.keep(p)]

    def render_all(self) -> None:
        data = self.data
        if data is None:
            return
        names = data["names"]
        people = self.people()
        head = Text(" ")
        head.append(t("people.count", n=len(people), total=len(data["people"])), style="bold")
        head.append("   " + self.filter_line())
        head.append("   " + t("people.legend"), style=DIM)
        self.query_one("#people-header", Static).update(clip(head, self.size.width or 160))
        table = self.query_one("#people", DataTable)
        keep = (cursor_key(table), 0)
        narrow = self.has_class("-narrow")
        width = table.size.width or self.size.width
        def widest(group: str, cap: int) -> int:
            return min(cap, max([4] + [Text(i18n.name(n, c)).cell_len for c, n in names[group].items()]))
        cols = [("badge", "col.badge", 7), ("name", "col.name", 8),
                ("type", "col.type", widest("person_types", 18) if not narrow else 4),
                ("team", "col.team", widest("teams", 14) if not narrow else 8)]
        rest = max(20, width - sum(w + 2 for _, _, w in cols) - 6)
        leave_w = max(16, rest * 4 // 10)
        cols += [("skills", "col.skills", rest - leave_w), ("leave", "col.leave", leave_w)]
        set_columns(table, [(k, Text(t(label), style="bold"), w) for k, label, w in cols])
        w = {k: width for k, _, width in cols}
        rows = []
        for p in people:
            ptype = (i18n.name(names["person_types"].get(p["person_type"]), p["person_type"]) if not narrow
                     else i18n.ptype_short(p["person_type"]))
            style = "" if p["active"] else DIM
            rows.append((p["badge"], [
                Text(p["badge"], style=style), clip(Text(p["name"], style=style), w["name"]),
                clip(Text(ptype, style=style), w["type"]),
                clip(Text(i18n.name(names["teams"].get(p["team"]), p["team"] or "-"), style=style), w["team"]),
                fit_list([skill_chip(s, names) for s in p["skills"]], w["skills"], sep=" "),
                fit_list([leave_chip(lv) for lv in p["leave"]], w["leave"], sep=" ")
                if p["active"] else Text(t("people.inactive"), style=DIM)]))
        sync_rows(table, rows, keep=keep)
        self.render_detail()

    def selected(self) -> dict | None:
        key = cursor_key(self.query_one("#people", DataTable))
        return next((p for p in (self.data or {}).get("people", []) if p["badge"] == key), None)

    def render_detail(self) -> None:
        p = self.selected()
        panel = self.query_one("#person-detail", Static)
        panel.update(self.detail(p) if p else "")

    def detail(self, p: dict) -> Text:
        names = self.data["names"]
        out = Text()
        out.append(f"{p['name']} {p['badge']}\n", style="bold")
        out.append(f"{i18n.name(names['person_types'].get(p['person_type']), p['person_type'])}  "
                   f"{i18n.name(names['teams'].get(p['team']), p['team'] or '-')}  "
                   f"{t('people.sex_' + p['sex'])}  {t('people.years', n=p['years_of_service'])}\n")
        if not p["active"]:
            out.append(t("people.inactive") + "\n", style=DIM)
        out.append("\n" + t("explain.skills") + "\n", style="bold")
        for sk in p["skills"]:
            out.append("  ")
            out.append_text(skill_chip(sk, names, "date"))
            out.append("\n")
        out.append("\n" + t("col.leave") + "\n", style="bold")
        if not p["leave"]:
            out.append("  " + t("people.no_leave") + "\n", style=DIM)
        for lv in p["leave"]:
            out.append(f"  {i18n.leave_kind(lv['kind'])} {lv['start']} .. {lv['end']}"
                       + (f"  {lv['note']}" if lv["note"] else "") + "\n",
                       style="bold #ff9090" if lv["now"] else "")
        out.append("\n" + t("people.keys") + "\n", style=DIM)
        return out

    def on_data_table_row_highlighted(self, event: DataTable.RowHighlighted) -> None:
        if self.data:
            self.render_detail()

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        """Enter: the person in full (the side panel is hidden on small terminals)."""
        p = self.selected()
        if p:
            self.app.push_screen(InfoScreen(Text(f"{p['name']} {p['badge']}", style="bold"), self.detail(p)))

    def action_leave(self) -> None:
        from stationdef.leave_file import LEAVE_KINDS
        from usecases.imports import add_leave
        p = self.selected()
        today = self.app.now().date().isoformat()
        kinds = " ".join(f"{code}={i18n.leave_kind(code)}" for code in LEAVE_KINDS)
        from tui.screens.roster import day_check
        fields = [Field("badge", t("edit.person"), p["badge"] if p else "", people=(self.data or {}).get("people", []),
                        hint=t("edit.person_hint")),
                  Field("from", t("repair.from"), today, check=day_check), Field("to", t("repair.to"), today,
                                                                                check=day_check),
                  Field("kind", t("leave.kind"), "", hint=kinds,
                        suggestions=tuple(LEAVE_KINDS) + tuple(zh for zh, _ in LEAVE_KINDS.values())),
                  Field("note", t("leave.note"), "")]

        def run(session, v: dict) -> dict:
            return add_leave(session, v["badge"], v["from"], v["to"], v["kind"], v["note"] or None)
        self.app.push_screen(FormScreen(t("leave.title"), fields, run=run, note=t("leave.note_hint")), self._added)

    def _added(self, r: dict | None) -> None:
        if not r:
            return
        if r.get("added"):
            msg = t("leave.done", name=r["name"], badge=r["badge"], kind=i18n.leave_kind(r["kind"]),
                    start=r["start"], end=r["end"])
        else:
            msg = t("leave.already", name=r["name"], badge=r["badge"])
        for w in r.get("warnings") or []:
            msg += "\n" + w
        self.app.notify(msg, title=t("app.name"), timeout=10, markup=False,
                        severity="warning" if r.get("warnings") else "information")
        self.reload()

