"""The roster screen (F3): people x days with shift/post codes coloured by shift kind, a coverage
row per day, a side panel explaining the selected cell, the fairness ledger, filters, and the
actions of review and approval (generate, repair, candidates, edit, swap, diff, submit, approve,
reject, publish). Every action goes through the use cases; their refusals are shown as they are.
"""
from __future__ import annotations

from contextlib import contextmanager
from dataclasses import replace
from datetime import date, datetime

from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.widgets import ContentSwitcher, DataTable, Static

from errors import ARGS, CellChanged, InputError, InputProblem, msg_of
import messages as i18n
from tui.format import said
from messages import t
from tui.format import DIM, OK, SHIFT_STYLE, SHORT, roster_legend, skills_line, slot_code
from tui.screens.base import DeskScreen, KeyBar, PeopleFilter
from tui.screens.dialogs import Field, FormScreen, PickerScreen, ProgressScreen, TableScreen
from tui.widgets import clip, cursor_key, fit_parts, set_columns, sync_rows
from usecases import approval as approval_uc
from usecases import board as board_uc
from usecases import roster as roster_uc

COV = "__cov__"
WHO = "who"


def parse_day(text: str, label: str) -> date:
    from stationdef.leave_file import parse_leave_date
    try:
        return parse_leave_date(text)
    except ValueError as exc:
        raise InputError(InputProblem(file=ARGS, field=label, message=msg_of(exc))) from None


def day_check(text: str):
    """A form field check: a date (2026-12-09, 2026/12/9, 12-09 ...)."""
    return parse_day(text, "")


def parse_number(text: str, label: str, kind=int):
    try:
        value = kind(text)
    except ValueError:
        raise InputError(InputProblem(file="form", field=label, message=t("form.not_a_number", v=text))) from None
    if value <= 0:
        raise InputError(InputProblem(file="form", field=label, message=t("form.positive")))
    return value


def slot_label(names: dict, shift: str | None, post: str | None) -> str:
    if not shift:
        return t("roster.off")
    s = names["shifts"].get(shift, {})
    return f"{i18n.name(s, shift)} {s.get('start', '')}-{s.get('end', '')} {i18n.name(names['posts'].get(post), post)}"



class RosterScreen(PeopleFilter, DeskScreen):
    AUTO_FOCUS = "#grid"
    BINDINGS = [
        Binding("escape", "back", "key.back", show=False, id="desk.escape"),
        Binding("n", "generate", "key.generate", id="roster.generate"),
        Binding("c", "candidates", "key.candidates", id="roster.candidates"),
        Binding("e", "edit", "key.edit", id="roster.edit"),
        Binding("s", "swap", "key.swap", id="roster.swap"),
        Binding("r", "repair", "key.repair", id="roster.repair"),
        Binding("d", "diff", "key.diff", id="roster.diff"),
        Binding("u", "submit", "key.submit_roster", id="roster.submit"),
        Binding("a", "approve", "key.approve", id="roster.approve"),
        Binding("j", "reject", "key.reject", id="roster.reject"),
        Binding("p", "publish", "key.publish", id="roster.publish"),
        Binding("f", "fairness", "key.fairness", id="roster.fairness"),
        Binding("t", "team", "key.team", id="roster.team"),
        Binding("k", "skill", "key.skill", id="roster.skill"),
        Binding("o", "open", "key.open", id="roster.open"),
        Binding("g", "today", "key.today", id="roster.today"),
    ]
    MODE = "roster"
    FOOTER = ("roster.approve", "roster.publish", "roster.submit", "roster.reject", "roster.edit", "roster.candidates",
              "roster.diff", "roster.generate", "roster.repair", "roster.swap", "roster.fairness", "roster.open",
              "roster.today", "roster.team", "roster.skill")
    PERMS = {"generate": "generate", "repair": "repair", "edit": "edit", "swap": "swap", "submit": "submit",
             "approve": "approve", "reject": "reject", "publish": "publish"}
    ACTIONS = {"generate": "cmd.generate", "repair": "cmd.repair", "candidates": "cmd.candidates",
                "edit": "cmd.edit", "swap": "cmd.swap", "diff": "cmd.diff", "submit": "cmd.submit",
                "approve": "cmd.approve", "reject": "cmd.reject", "publish": "cmd.publish",
                "fairness": "cmd.fairness", "team": "cmd.team", "skill": "cmd.skill", "open": "cmd.open",
                "today": "cmd.today"}

    def __init__(self) -> None:
        super().__init__()
        self.view: dict | None = None
        self.roster_id: int | None = None
        self.version: int | None = None          # None: follow the newest version
        self._shown: tuple | None = None          # the roster the grid shows (id, start)
        self.busy = False
        self._typed: dict = {}                     # what the last generate / repair form held

    def compose(self) -> ComposeResult:
        yield Static(id="roster-header", classes="topline")
        yield Static(id="roster-subheader", classes="topline")
        with Horizontal(id="roster-main"):
            with ContentSwitcher(initial="grid", id="roster-switch", classes="panel"):
                yield DataTable(id="grid", cursor_type="cell", fixed_columns=1, header_height=2, cell_padding=0)
                yield DataTable(id="fair", cursor_type="row", fixed_columns=1, zebra_stripes=True)
            with VerticalScroll(id="explain", classes="panel"):
                yield Static(id="explain-body")
        yield Static(id="roster-legend")
        yield KeyBar()

    def on_mount(self) -> None:
        self.relabel_static()
        self.query_one("#grid", DataTable).focus()
        self.reload()

    def on_resize(self, event) -> None:
        narrow = self.size.width < 120
        if narrow != self.narrow:
            self.set_class(narrow, "-narrow")
            self.render_legend()
            self.explain()

    # -- loading -------------------------------------------------------------------------
    def today(self) -> date:
        return self.app.now().date()

    def reload(self) -> None:
        super().reload()
        if self.roster_id is None:
            pick = board_uc.default_roster(self.app.session, self.today())
            if pick is None:
                self.view = None
                self.render_all()
                return
            self.roster_id = pick["roster_id"]
        self.busy = True
        self.render_header()
        self.app.run_uc(board_uc.roster_view, self.roster_id, self.version, today=self.today(),
                        done=self.show_view, failed=self._load_failed, group="roster-view", exclusive=True)

    def _load_failed(self, exc: BaseException) -> None:
        self.busy = False
        if self.version is not None or self.roster_id is not None:
            self.roster_id, self.version = None, None      # the roster went away: fall back to the default
        self.app.show_error(exc)

    def show_view(self, view: dict) -> None:
        self.busy = False
        if view["roster_id"] != self.roster_id:
            return                 # an older request for another roster
        self.view = view
        self.render_all()

    def open_roster(self, roster_id: int, version: int | None = None) -> None:
        self.roster_id, self.version = roster_id, version
        self.reload()

    # -- rendering -----------------------------------------------------------------------
    def relabel_static(self) -> None:
        self.query_one("#roster-switch").border_title = t("roster.grid_title")
        self.query_one("#explain").border_title = t("roster.explain_title")

    def render_all(self) -> None:
        self.render_header()
        self.render_legend()
        self.render_grid()
        self.render_fairness()
        self.explain()

    def render_header(self) -> None:
        v = self.view
        width = self.size.width or 160
        if v is None:
            parts = [Text(" " + (t("roster.none") if not self.busy else t("roster.loading")), style="bold")]
        else:
            hard = len(v["hard_violations"])
            missing = sum(s["missing"] for s in v["shortfalls"])
            pub = v["published_version"]
            parts = [Text.assemble(" ", (t("roster.title", id=v["roster_id"], v=v["version"]), "bold"), " ",
                                   (f"[{i18n.status(v['status'])}]", self.status_style(v["status"]))),
                     Text(f"{v['start']} .. {v['end']} ({t('roster.days', n=v['days'])})"),
                     Text(t("roster.hard", n=hard), style=SHORT if hard else OK),
                     Text(t("roster.shortfalls", n=missing), style=SHORT if missing else OK),
                     Text(t("roster.published_v", v=pub) if pub else t("roster.not_published"), style=DIM)]
            unofficial = len((v.get("calendar") or {}).get("days_without_official_data") or [])
            if unofficial:     # plainly, right after the title: the holidays of these days may be wrong
                parts.insert(1, Text(t("cal.header_short", n=unofficial), style=SHORT))
            solver = v.get("solver") or {}
            if solver.get("objective") is not None:
                parts.append(Text(t("roster.solver", obj=solver["objective"], bound=solver.get("bound", "-")), style=DIM))
            if self.busy:
                parts.append(Text(t("roster.loading"), style=DIM))
        self.query_one("#roster-header", Static).update(fit_parts(parts, width, sep="  "))
        legend = Text()
        for kind in ("day", "evening", "night", "24h"):
            legend.append(i18n.shift_kind(kind) + " ", style=SHIFT_STYLE[kind])
        sub = [Text(" " + self.filter_line()), legend]
        denied = [a for a in ("generate", "approve", "edit") if self.app.refusal(a)]
        if denied:
            sub.append(Text(t("roster.readonly", actions=" ".join(t(f"key.{a}") for a in denied),
                              roles="/".join(i18n.role(r) for r in self.app.info["roles"]) or t("role.none")),
                            style="#e0b050"))
        self.query_one("#roster-subheader", Static).update(fit_parts(sub, width))

    def render_legend(self) -> None:
        legend = self.query_one("#roster-legend", Static)
        legend.display = self.view is not None and not self.narrow
        if self.view is not None:
            legend.update(roster_legend(self.view["names"]))

    @staticmethod
    def status_style(status: str) -> str:
        return {"draft": "bold #e0b050", "submitted": "bold #7fd0ff", "approved": "bold #6cc36c",
                "published": "bold #6cc36c", "rejected": "bold #ff7070"}.get(status, "bold")

    def filter_names(self) -> dict | None:
        return self.view["names"] if self.view else None

    def people(self) -> list[dict]:
        return [p for p in (self.view or {}).get("people", []) if self.keep(p)]

    def day_label(self, d: dict) -> Text:
        day = date.fromisoformat(d["date"])
        style = ""
        if d["kind"] == "holiday":
            style = "bold #ff6060"
        elif d["kind"] == "weekend":
            style = "#ff9090"
        elif d["kind"] == "adjusted_workday":
            style = "#e0b050"
        if d["today"]:
            style = "bold reverse"
        return Text(f"{day:%m-%d}\n{i18n.weekday_short(day.weekday())}", style=style)

    def who_cell(self, p: dict) -> Text:
        out = Text(p["name"])
        out.append(" " + i18n.ptype_short(p["person_type"]), style=DIM)
        return clip(out, 10)

    def cell(self, p: dict, day: str) -> Text:
        a = p["cells"].get(day)
        leave = p["leave"].get(day)
        if a is None:
            return Text(i18n.leave_short(leave), style="italic #9a9a9a") if leave else Text("")
        kind = self.view["names"]["shifts"].get(a["shift"], {}).get("kind", "day")
        text = clip(slot_code(self.view["names"], a["shift"], a["post"]), 7)
        text.stylize("bold white on #a02828" if leave else SHIFT_STYLE.get(kind, ""))
        return text

    def cov_cell(self, d: dict) -> Text:
        if d["missing"]:
            return Text(t("board.short", n=d["missing"]), style=SHORT)
        return Text(f"{d['staffed']}/{d['need']}", style=OK)

    def render_grid(self) -> None:
        table = self.query_one("#grid", DataTable)
        v = self.view
        if v is None:
            table.fixed_rows = 0          # a fixed row that does not exist breaks DataTable's rendering
            table.clear(columns=True)
            return
        keep = (cursor_key(table), table.cursor_column)
        days = v["day_list"]
        set_columns(table, [(WHO, Text(t("col.person") + "\n", style="bold"), 11)]
                    + [(d["date"], self.day_label(d), 8) for d in days])
        rows = [(COV, [Text(t("roster.coverage"), style="bold")] + [self.cov_cell(d) for d in days])]
        rows += [(p["badge"], [self.who_cell(p)] + [self.cell(p, d["date"]) for d in days]) for p in self.people()]
        shown = (v["roster_id"], v["start"])
        with self.app.batch_update():
            sync_rows(table, rows, keep=keep)
            table.fixed_rows = 1              # the cover row stays in view
        if (keep[0] is None or shown != self._shown) and v["day_list"]:
            self.goto_today()                 # another roster: start on today (or its first day)
        self._shown = shown

    def render_fairness(self) -> None:
        table = self.query_one("#fair", DataTable)
        if self.view is None:
            table.clear(columns=True)
            return
        cols = [(WHO, "col.person", 11), ("team", "col.team", 12), ("nights", "fair.nights", 8),
                ("weekends", "fair.weekends", 8), ("holidays", "fair.holidays", 8), ("duty24", "fair.duty24", 8),
                ("hours", "fair.hours", 11), ("vs", "fair.vs_team", 24)]
        set_columns(table, [(k, Text(t(label), style="bold"), w) for k, label, w in cols])
        names = self.view["names"]
        rows = []
        for p in self.people():
            f = p.get("fairness")
            if not f:
                continue
            cells = [self.who_cell(p), clip(i18n.name(names["teams"].get(p["team"]), p["team"] or "-"), 12)]
            for c in ("nights", "weekends", "holidays", "duty24"):
                cells.append(Text(f"{f['period'][c]}/{f['year'][c]}"))
            hours = Text(f"{f['hours']:g}/{f['target_hours']:g}")
            if f["hours"] > f["target_hours"] + 8:
                hours.stylize("#e0b050")
            cells.append(hours)
            vs = Text()
            for c in ("nights", "weekends", "duty24"):
                x = f["vs_team"][c]
                vs.append(f"{i18n.fair_short(c)}{x:+.1f} ", style="#e0b050" if abs(x) >= 1.5 else "")
            cells.append(vs)
            rows.append((p["badge"], cells))
        sync_rows(table, rows)

    # -- the side panel ------------------------------------------------------------------
    def selection(self) -> tuple[str | None, str | None]:
        """(row key, date) under the grid cursor; in the fairness view, (badge, None)."""
        if self.view is None:
            return None, None
        if self.query_one(ContentSwitcher).current == "fair":
            return cursor_key(self.query_one("#fair", DataTable)), None
        table = self.query_one("#grid", DataTable)
        if not table.row_count or not table.is_valid_coordinate(table.cursor_coordinate):
            return None, None
        key = table.coordinate_to_cell_key(table.cursor_coordinate)
        col = key.column_key.value
        return key.row_key.value, (None if col == WHO else col)

    def person(self, badge: str | None) -> dict | None:
        return next((p for p in (self.view or {}).get("people", []) if p["badge"] == badge), None)

    def explain(self) -> None:
        body = self.query_one("#explain-body", Static)
        if self.view is None:
            body.update(Text(t("roster.none_hint") if not self.busy else t("roster.loading"), style=DIM))
            return
        row, day = self.selection()
        if self.query_one(ContentSwitcher).current == "fair":
            out = self.explain_fairness(row)
        elif row == COV:
            out = self.explain_day(day)
        elif row is not None:
            out = self.explain_person(self.person(row), day)
        else:
            out = Text()
        if self.narrow:          # no room for the legend under the grid: it ends the side panel
            out.append("\n\n")
            out.append_text(roster_legend(self.view["names"]))
        body.update(out)

    @property
    def narrow(self) -> bool:
        return self.has_class("-narrow")

    def explain_day(self, day: str | None) -> Text:
        v = self.view
        out = Text()
        if day is None:
            missing = sum(s["missing"] for s in v["shortfalls"])
            out.append(t("explain.coverage_all", n=missing, days=len({s['date'] for s in v['shortfalls']})) + "\n")
            for w in v.get("warnings", []):
                out.append(str(w) + "\n", style="#e0b050")
            return out
        d = next(x for x in v["day_list"] if x["date"] == day)
        when = date.fromisoformat(day)
        out.append(f"{day} {i18n.weekday(when.weekday())} {i18n.day_kind(d['kind'])}\n", style="bold")
        out.append(t("explain.day_need", need=d["need"], staffed=d["staffed"]) + "\n")
        shorts = [s for s in v["shortfalls"] if s["date"] == day]
        if not shorts:
            out.append(t("explain.day_ok") + "\n", style=OK)
        names = v["names"]
        for s in shorts:
            out.append("\n")
            out.append(f"{slot_label(names, s['shift'], s['post'])}: ", style="bold")
            out.append(t("explain.slot_short", n=s["missing"], need=s["need"], got=s["assigned"]) + "\n", style=SHORT)
            out.append(said(s, "explanation") + "\n")
            for q in s["qualified"][:8]:
                out.append(f"  {q['name']} {q['badge']}: ", style="bold")
                out.append("; ".join(said(q, "why")) + "\n", style=DIM)
            if len(s["qualified"]) > 8:
                out.append(f"  +{len(s['qualified']) - 8}\n", style=DIM)
        if shorts:
            out.append("\n" + t("explain.day_keys") + "\n", style=DIM)
        return out

    def explain_person(self, p: dict | None, day: str | None) -> Text:
        if p is None:
            return Text("")
        v = self.view
        names = v["names"]
        out = Text()
        out.append(f"{p['name']} {p['badge']}", style="bold")
        out.append(f"  {i18n.name(names['person_types'].get(p['person_type']), p['person_type'])}"
                   f"  {i18n.name(names['teams'].get(p['team']), p['team'] or '-')}"
                   f"  {'女' if p['sex'] == 'F' and i18n.lang() == 'zh' else ('F' if p['sex'] == 'F' else '')}\n")
        out.append(t("explain.skills") + ": ")
        out.append_text(skills_line(p["skills"], names, "date"))
        out.append("\n")
        if day is not None:
            when = date.fromisoformat(day)
            a = p["cells"].get(day)
            out.append(f"\n{day} {i18n.weekday(when.weekday())}: ", style="bold")
            if a:
                kind = names["shifts"].get(a["shift"], {}).get("kind", "day")
                out.append(slot_label(names, a["shift"], a["post"]) + "\n", style=SHIFT_STYLE.get(kind, ""))
                rules = v["post_rules"].get(a["post"], {})
                need = [i18n.name(names["skills"].get(s), s) for s in rules.get("required_skills", [])]
                crew = [i18n.name(names["skills"].get(s), s) for s in rules.get("crew_skills", [])]
                types = [i18n.name(names["person_types"].get(x), x) for x in rules.get("allowed_types", [])]
                out.append(t("explain.post_rules", need=" ".join(need) or "-", crew=" ".join(crew) or "-",
                             sworn=rules.get("min_sworn", 0), types="/".join(types)) + "\n", style=DIM)
                key = f"{day}|{a['shift']}|{a['post']}"
                if key in v.get("compositions", {}):      # the staffing alternative this crew meets
                    out.append(t("explain.composition", name=v["compositions"][key] or t("explain.composition_none"))
                               + "\n", style=DIM)
                if rules.get("description"):
                    out.append(rules["description"] + "\n", style=DIM)
            else:
                out.append(t("roster.off") + "\n")
            if p["leave"].get(day):
                out.append(t("explain.on_leave", kind=i18n.leave_kind(p["leave"][day])) + "\n", style="bold #ff7070")
        f = p.get("fairness")
        if f:
            out.append("\n" + t("explain.fairness") + "\n", style="bold")
            for c in ("nights", "weekends", "holidays", "duty24"):
                out.append(f"  {t('fair.' + c)}: {f['period'][c]} / {f['year'][c]}  ({t('fair.vs_team')} "
                           f"{f['vs_team'][c]:+.1f})\n")
            out.append(f"  {t('fair.hours')}: {f['hours']:g} / {f['target_hours']:g} h\n")
            if f.get("community_share") is not None:
                out.append(f"  {t('fair.community')}: {f['community_share'] * 100:.0f}%\n")
        out.append("\n" + t("explain.person_keys") + "\n", style=DIM)
        return out

    def explain_fairness(self, badge: str | None) -> Text:
        v = self.view
        out = Text(t("fair.summary") + "\n", style="bold")
        for c, s in v["fairness_summary"].items():
            if c == "community_share":
                out.append(t("fair.community_summary", n=s["officers"], mean=f"{s['mean'] * 100:.0f}",
                             low=s["below_target"]) + "\n")
            else:
                out.append(f"  {t('fair.' + c)}: {t('fair.range', pool=s['pool'], lo=s['min'], mean=s['mean'], hi=s['max'])}\n")
        out.append("\n" + t("fair.legend") + "\n", style=DIM)
        p = self.person(badge)
        if p:
            out.append("\n")
            out.append_text(self.explain_person(p, None))
        return out

    def on_data_table_cell_highlighted(self, event: DataTable.CellHighlighted) -> None:
        self.explain()

    def on_data_table_row_highlighted(self, event: DataTable.RowHighlighted) -> None:
        self.explain()

    # -- small actions ---------------------------------------------------------------------
    def action_back(self) -> None:
        if self.query_one(ContentSwitcher).current == "fair":
            self.action_fairness()
        else:
            self.action_stay()

    def action_fairness(self) -> None:
        switch = self.query_one(ContentSwitcher)
        switch.current = "fair" if switch.current == "grid" else "grid"
        self.query_one(f"#{switch.current}", DataTable).focus()
        self.query_one("#roster-switch").border_title = t("roster.fair_title" if switch.current == "fair"
                                                          else "roster.grid_title")
        self.explain()

    def goto_today(self) -> None:
        table = self.query_one("#grid", DataTable)
        today = self.today().isoformat()
        cols = [c.key.value for c in table.ordered_columns]
        if today in cols:
            table.move_cursor(column=cols.index(today), animate=False)
        elif len(cols) > 1:
            table.move_cursor(column=1, animate=False)

    def action_today(self) -> None:
        self.goto_today()

    def action_open(self) -> None:
        self.app.run_uc(board_uc.roster_choices, done=self._choose_roster)

    def _choose_roster(self, choices: list[dict]) -> None:
        if not choices:
            self.app.notify(t("roster.none"), markup=False)
            return
        options = []
        for c in choices:
            label = Text(f"#{c['roster_id']} v{c['version']}  ")
            label.append(f"{i18n.status(c['status'])}", style=self.status_style(c["status"]))
            made = datetime.fromisoformat(c["created_at"].replace("Z", "+00:00")).astimezone(self.app.zone)
            label.append(f"  {c['start']} +{c['days']}  {c['created_by']}  {made:%Y-%m-%d %H:%M}")
            if c["comment"]:
                label.append(f"  {c['comment']}", style=DIM)
            options.append((f"{c['roster_id']}:{c['version']}:{int(c['newest'])}", label))
        current = f"{self.view['roster_id']}:{self.view['version']}:" if self.view else None
        selected = next((o for o, _ in options if current and o.startswith(current)), None)
        self.app.push_screen(PickerScreen(t("roster.pick"), options, selected), self._opened)

    def _opened(self, choice: str | None) -> None:
        if choice:
            rid, ver, newest = choice.split(":")
            self.open_roster(int(rid), None if newest == "1" else int(ver))

    # -- the actions of review and approval -------------------------------------------------
    def ref(self) -> roster_uc.RosterRef | None:
        if self.view is None:
            self.app.notify(t("roster.none"), severity="warning", markup=False)
            return None
        return roster_uc.RosterRef(self.view["roster_id"], self.view["version"])

    def follow_newest(self, result: dict, message: str) -> None:
        for w in result.get("warnings") or []:
            message += "\n" + str(w)
        self.app.notify(message, title=t("app.name"), timeout=8, markup=False)
        self.roster_id, self.version = result["roster_id"], None
        self.reload()

    def action_generate(self) -> None:
        start = board_uc.suggested_start(self.app.session, self.today())
        fields = [Field("start", t("gen.start"), start.isoformat()), Field("days", t("gen.days"), "14"),
                  Field("limit", t("gen.limit"), "15", hint=t("gen.limit_hint")),
                  Field("over", t("gen.over_draft"), "refuse", hint=t("gen.over_draft_hint"))]

        self.open_generate(fields)

    def open_generate(self, fields: list, error: BaseException | None = None) -> None:
        def check(v: dict) -> dict:
            self._typed = dict(v)
            return {"start": parse_day(v["start"], t("gen.start")), "days": parse_number(v["days"], t("gen.days")),
                    "limit": parse_number(v["limit"], t("gen.limit"), float),
                    "over": roster_uc.parse_over_draft(v.get("over"))}
        fields[0] = replace(fields[0], check=day_check)
        self.app.push_screen(FormScreen(t("gen.title"), fields, check=check, error=error),
                             lambda values: self._generate(values, fields))

    def _generate(self, values: dict | None, fields: list | None = None) -> None:
        if not values:
            return
        start, days, limit, over = values["start"], values["days"], values["limit"], values.get("over", "refuse")
        typed = dict(self._typed)

        def again(exc: BaseException) -> None:      # refused: the form again, with what was typed
            self.open_generate([replace(f, value=typed.get(f.name, f.value)) for f in fields], error=exc)

        def job(session, on_progress, stop):
            return roster_uc.generate(session, start, days, time_limit=limit, on_progress=on_progress,
                                      stop=stop, today=self.today(), over_draft=over)
        self.solve(t("gen.progress", start=start.isoformat(), days=days), job, limit,
                   lambda r: t("gen.done", id=r["roster_id"], v=r["version"], obj=r["solver"]["objective"],
                               bound=r["solver"]["bound"], n=r["solver"]["shortfalls"]),
                   failed=again if fields else None)

    def solve(self, title: str, job, limit: float, message, failed=None) -> None:
        """Run a solve with its progress dialog; then show the new draft version. A refusal goes
        to ``failed`` (the form again, with what was typed) or is shown."""
        def finished(outcome: dict | None) -> None:
            if not outcome:
                return
            if "error" in outcome:
                (failed or self.app.show_error)(outcome["error"])
                return
            r = outcome["result"]
            self.follow_newest(r, (t("gen.stopped") + "\n" if outcome.get("stopped") else "") + message(r))
        self.app.push_screen(ProgressScreen(title, job, limit), finished)

    def selected_slot(self) -> tuple[str, str, str] | None:
        """(date, shift, post) of the selected assignment, or of the biggest shortfall of the
        selected day on the coverage row."""
        row, day = self.selection()
        if self.view is None or day is None or row is None:
            return None
        if row == COV:
            shorts = sorted((s for s in self.view["shortfalls"] if s["date"] == day), key=lambda s: -s["missing"])
            return (day, shorts[0]["shift"], shorts[0]["post"]) if shorts else None
        a = (self.person(row) or {}).get("cells", {}).get(day)
        return (day, a["shift"], a["post"]) if a else None

    def action_candidates(self) -> None:
        slot = self.selected_slot()
        ref = self.ref()
        if ref is None:
            return
        if slot is None:
            self.app.notify(t("cand.select"), severity="warning", markup=False)
            return
        day, shift, post = slot
        row, _ = self.selection()
        holder = self.person(row) if row != COV else None
        self.app.run_uc(roster_uc.candidates, ref, date.fromisoformat(day), shift, post,
                        done=lambda out: self._candidates(out, holder))

    def _candidates(self, out: dict, holder: dict | None = None) -> None:
        """Candidates for a slot. For a slot already fully staffed, asked from a person's cell,
        picking one replaces that person (a swap: the candidate takes the slot, the person takes
        the candidate's day, off when the candidate was off); otherwise picking adds them."""
        names = self.view["names"]
        rows = []
        for c in out["candidates"]:
            rows.append((f"c:{c['badge']}", [Text(str(c["rank"])), Text(c["name"]), Text(c["badge"]),
                                             Text(i18n.ptype_short(c["person_type"])), Text(f"{c['hours']:g}"),
                                             Text(f"{c['below_target_h']:+g}", style=OK), Text("")]))
        for c in out["unavailable"]:
            if "skills" in c["codes"]:
                continue
            rows.append((f"u:{c['badge']}", [Text("-", style=DIM), Text(c["name"], style=DIM), Text(c["badge"], style=DIM),
                                             Text(i18n.ptype_short(c["person_type"]), style=DIM),
                                             Text(f"{c['hours']:g}", style=DIM), Text(""),
                                             Text("; ".join(said(c, "why")), style=DIM)]))
        title = Text(t("cand.title", slot=slot_label(names, out["shift"], out["post"]), date=out["date"]), style="bold")
        note = t("cand.note", need=out["demand"], on=len(out["on_slot"]), free=len(out["candidates"]))
        replace_holder = holder is not None and out["demand"] and len(out["on_slot"]) >= out["demand"]
        if replace_holder:
            note += "\n" + t("cand.replace_note", name=holder["name"], badge=holder["badge"])
        cols = [t("cand.rank"), t("col.name"), t("col.badge"), t("col.type"), t("cand.hours"), t("cand.below"),
                t("cand.why")]

        def picked(key: str | None) -> None:
            if not key:
                return
            badge = key.split(":", 1)[1]
            if replace_holder:
                self.open_swap(out["date"], holder["badge"], badge)
            else:
                self.open_edit(out["date"], badge, out["shift"], out["post"])
        self.app.push_screen(TableScreen(title, cols, rows, note=note, pick=lambda k: True,
                                         hint=t("cand.hint_replace" if replace_holder else "cand.hint")), picked)

    def open_edit(self, day: str, badge: str, shift: str, post: str) -> None:
        ref = self.ref()
        if ref is None:
            return
        if (why := self.app.refusal("edit")):
            self.app.say_refused(why)
            return
        names = self.view["names"]
        shifts = " ".join(f"{c}={i18n.name(s, c)}" for c, s in names["shifts"].items())
        posts = " ".join(f"{c}={i18n.name(p, c)}" for c, p in names["posts"].items())
        fields = [Field("date", t("edit.date"), day, check=day_check),
                  Field("badge", t("edit.person"), badge, people=self.view["people"], hint=t("edit.person_hint")),
                  Field("shift", t("edit.shift"), shift, hint=t("edit.shift_hint", shifts=shifts),
                        suggestions=tuple(names["shifts"])),
                  Field("post", t("edit.post"), post, hint=posts, suggestions=tuple(names["posts"])),
                  Field("reason", t("edit.reason"), "", hint=t("edit.reason_hint"))]
        seen = self.seen_cells([badge], day)     # as the user saw them when deciding

        def run(session, v: dict) -> dict:
            day = parse_day(v["date"], t("edit.date"))
            with self.reloading_on_conflict():
                return approval_uc.edit(session, ref, day, badge=v["badge"],
                                        shift=v["shift"] or None, post=(v["post"] or None) if v["shift"] else None,
                                        reason=v["reason"] or None, expected=seen.get((v["badge"], day),
                                                                                      self.shown_cell(v["badge"], day)))
        self.app.push_screen(FormScreen(t("edit.title", id=ref.roster_id, v=ref.version), fields, run=run),
                             self._changed)

    def shown_cell(self, badge: str, day: date) -> str | None:
        """The cell as this screen shows it ("SHIFT@POST", or None for off): an edit made from
        it is refused if someone else changed the cell meanwhile."""
        a = ((self.person(badge) or {}).get("cells") or {}).get(day.isoformat())
        return f"{a['shift']}@{a['post']}" if a else None

    def seen_cells(self, badges, day: str) -> dict:
        try:
            d = date.fromisoformat(day)
        except ValueError:
            return {}
        return {(b, d): self.shown_cell(b, d) for b in badges if b}

    @contextmanager
    def reloading_on_conflict(self):
        """Inside a use case's worker thread: when another terminal changed the cell, show the
        refusal (the form does) and reload the grid so the user sees what is there now."""
        try:
            yield
        except CellChanged:
            self.app.call_from_thread(self.reload)
            raise

    def _changed(self, result: dict | None) -> None:
        if result:
            key = "change.new_version" if result.get("new_version") else "change.done"
            self.follow_newest(result, t(key, id=result["roster_id"], v=result["version"]))

    def action_edit(self) -> None:
        row, day = self.selection()
        if self.view is None:
            self.ref()
            return
        p = self.person(row)
        a = (p or {}).get("cells", {}).get(day or "") or {}
        self.open_edit(day or self.today().isoformat(), p["badge"] if p else "", a.get("shift", ""), a.get("post", ""))

    def target(self) -> tuple[roster_uc.RosterRef, dict | None, str | None] | None:
        """What a change acts on: the version shown, the selected person and day."""
        ref = self.ref()
        if ref is None:
            return None
        row, day = self.selection()
        return ref, self.person(row), day

    def action_swap(self) -> None:
        if (target := self.target()) is None:
            return
        ref, p, day = target
        self.open_swap(day or self.today().isoformat(), p["badge"] if p else "", "")

    def open_swap(self, day: str, a: str, b: str) -> None:
        ref = self.ref()
        if ref is None:
            return
        if (why := self.app.refusal("swap")):
            self.app.say_refused(why)
            return
        people = self.view["people"]
        fields = [Field("date", t("edit.date"), day, check=day_check),
                  Field("a", t("swap.a"), a, people=people, hint=t("edit.person_hint")),
                  Field("b", t("swap.b"), b, people=people, hint=t("edit.person_hint")),
                  Field("reason", t("edit.reason"), "", hint=t("edit.reason_hint"))]
        seen = self.seen_cells([x["badge"] for x in people], day or self.today().isoformat())

        def run(session, v: dict) -> dict:
            day = parse_day(v["date"], t("edit.date"))
            with self.reloading_on_conflict():
                return approval_uc.swap(session, ref, day, v["a"], v["b"], reason=v["reason"] or None,
                                        expected={x: seen.get((x, day), self.shown_cell(x, day))
                                                  for x in (v["a"], v["b"])})
        self.app.push_screen(FormScreen(t("swap.title", id=ref.roster_id, v=ref.version), fields, run=run),
                             self._changed)

    def action_repair(self) -> None:
        if (target := self.target()) is None:
            return
        ref, p, day = target
        first = day or self.today().isoformat()
        fields = [Field("badge", t("edit.person"), p["badge"] if p else "", people=self.view["people"],
                        hint=t("edit.person_hint")),
                  Field("from", t("repair.from"), first, check=day_check),
                  Field("to", t("repair.to"), first, check=day_check),
                  Field("reason", t("repair.reason"), "", hint=t("repair.reason_hint")),
                  Field("limit", t("gen.limit"), "10")]

        def check(v: dict) -> dict:
            self._typed = dict(v)
            if not v["reason"]:
                raise InputError(InputProblem(file="form", field=t("repair.reason"), message=t("repair.reason_hint")))
            return {"badge": v["badge"], "from": parse_day(v["from"], t("repair.from")),
                    "to": parse_day(v["to"], t("repair.to")), "reason": v["reason"],
                    "limit": parse_number(v["limit"], t("gen.limit"), float)}
        self.app.push_screen(FormScreen(t("repair.title", id=ref.roster_id, v=ref.version), fields, check=check,
                                        note=t("repair.note")),
                             lambda values: self._repair(ref, values, fields, check))

    def _repair(self, ref, values: dict | None, fields=None, check=None) -> None:
        if not values:
            return
        typed = {f.name: self._typed.get(f.name, f.value) for f in fields or []}

        def again(exc: BaseException) -> None:      # refused: the form again, as it was typed
            kept = [replace(f, value=typed.get(f.name, f.value)) for f in fields]
            self.app.push_screen(FormScreen(t("repair.title", id=ref.roster_id, v=ref.version), kept, check=check,
                                            note=t("repair.note"), error=exc),
                                 lambda v: self._repair(ref, v, kept, check))

        def job(session, on_progress, stop):
            return roster_uc.repair(session, ref, values["badge"], values["from"], values["to"],
                                    reason=values["reason"], time_limit=values["limit"], on_progress=on_progress,
                                    stop=stop, today=self.today())
        self.solve(t("repair.progress", badge=values["badge"]), job, values["limit"],
                   lambda r: t("repair.done", id=r["roster_id"], v=r["version"], n=len(r["changes"]),
                               short=r["solver"]["shortfalls"]), failed=again if fields else None)

    def changes_table(self, cmp: dict) -> Table:
        names = self.view["names"]
        table = Table(box=None, pad_edge=False, header_style="bold")
        for key in ("col.date", "col.name", "col.badge", "diff.before", "diff.after"):
            table.add_column(t(key), overflow="fold")       # never an ellipsis (ambiguous width)
        for c in cmp["changes"]:
            before, after = c["before"] or {}, c["after"] or {}
            table.add_row(c["date"], c["name"], c["badge"], slot_label(names, before.get("shift"), before.get("post")),
                          slot_label(names, after.get("shift"), after.get("post")))
        return table

    def diff_title(self, cmp: dict) -> str:
        if cmp["base"] is None:
            return t("diff.none", v=cmp["version"])
        key = "diff.title_published" if cmp.get("base_status") == "published" else "diff.title_previous"
        return t(key, v=cmp["version"], base=cmp["base"], n=len(cmp["changes"]))

    def action_diff(self) -> None:
        ref = self.ref()
        if ref is not None:
            self.app.run_uc(board_uc.compare_with_published, ref.roster_id, ref.version, done=self._show_diff)

    def _show_diff(self, cmp: dict) -> None:
        names = self.view["names"]
        rows = []
        for c in cmp["changes"]:
            before, after = c["before"] or {}, c["after"] or {}
            rows.append((f"{c['date']}:{c['badge']}",
                         [Text(c["date"]), Text(c["name"]), Text(c["badge"]),
                          Text(slot_label(names, before.get("shift"), before.get("post")), style="#ff9090"),
                          Text(slot_label(names, after.get("shift"), after.get("post")), style=OK)]))
        cols = [t("col.date"), t("col.name"), t("col.badge"), t("diff.before"), t("diff.after")]
        self.app.push_screen(TableScreen(self.diff_title(cmp), cols, rows))

    def blocked(self, action: str) -> bool:
        """Say so (without asking the use case) when the version's status does not allow it."""
        allowed, _ = approval_uc.TRANSITIONS[action]
        status = self.view["status"]
        if status in allowed:
            return False
        self.app.notify(t("transition.not_now", v=self.view["version"], status=i18n.status(status),
                          action=t(f"action.{action}"), hint=t(f"hint.{status}")),
                        title=t("app.refused"), severity="warning", timeout=8, markup=False)
        return True

    def action_submit(self) -> None:
        ref = self.ref()
        if ref is not None and not self.blocked("submit"):
            self.app.run_uc(approval_uc.transition, ref, "submit", done=self._transitioned)

    def _transitioned(self, r: dict) -> None:
        self.app.notify(t("transition.done", id=r["roster_id"], v=r["version"], status=i18n.status(r["status"])),
                        title=t("app.name"), markup=False)
        self.reload()

    def action_approve(self) -> None:
        self._ask_to_sign("approve")

    def action_publish(self) -> None:
        self._ask_to_sign("publish")

    def _ask_to_sign(self, action: str) -> None:
        """Read the changes against the published version and what the chief signs for, then ask."""
        ref = self.ref()
        if ref is None or self.blocked(action):
            return

        def read(session) -> dict:
            return {"cmp": board_uc.compare_with_published(session, ref.roster_id, ref.version),
                    "signing": approval_uc.signing_for(session, ref, action)}
        self.app.run_uc(read, done=lambda r: self._confirm(action, ref, r["cmp"], r["signing"]))

    def signing_body(self, action: str, cmp: dict, signing: dict) -> Table:
        """What the sign dialog shows: hard rules and gaps, what the chief accepts by signing
        (empty seats, soft-rule breaks, days without official holiday data, the capacity verdict),
        notes, and the changes against the published version."""
        v = self.view
        body = Table.grid()
        body.add_row(Text(t(f"confirm.{action}_body", hard=len(v["hard_violations"]),
                            short=sum(s["missing"] for s in v["shortfalls"]))))
        items = [str(x) for x in signing["items"]]          # catalogue messages, in the app's language
        if items:
            body.add_row(Text(t("sign.items_title"), style="bold #e0b050"))
            for item in items:
                body.add_row(Text("  - " + item, style="#e0b050"))
        else:
            body.add_row(Text(t("sign.nothing"), style=OK))
        if signing.get("notes"):
            body.add_row(Text(t("sign.notes"), style=DIM))
            for note in signing["notes"]:
                body.add_row(Text("  - " + str(note), style=DIM))
        body.add_row(Text(self.diff_title(cmp), style="bold"))
        if cmp["changes"]:
            body.add_row(self.changes_table(cmp))
        return body

    def _confirm(self, action: str, ref, cmp: dict, signing: dict) -> None:
        """The sign dialog: what is signed for, and a reason, required when there is anything to
        sign for (publish keeps the reason given at approval unless another is typed)."""
        required = signing["reason_required"]
        items = signing["items"]
        if signing.get("approved_reason"):
            hint = t("sign.reason_from_approval", reason=signing["approved_reason"])
        else:
            hint = t("sign.reason_required") if required else t("sign.reason_optional")

        def check(values: dict) -> dict:
            if required and not values["reason"]:
                raise InputError(InputProblem(file="form", field=t("sign.reason"),
                                              message=t("sign.reason_needed", n=len(items))))
            return values

        def run(session, values: dict) -> dict:
            return approval_uc.transition(session, ref, action, reason=values["reason"] or None)
        self.app.push_screen(FormScreen(t(f"confirm.{action}", id=ref.roster_id, v=ref.version),
                                        [Field("reason", t("sign.reason"), "", hint=hint)], run=run, check=check,
                                        body=self.signing_body(action, cmp, signing)),
                             lambda r: r and self._transitioned(r))

    def action_reject(self) -> None:
        ref = self.ref()
        if ref is None or self.blocked("reject"):
            return

        def run(session, v: dict) -> dict:
            return approval_uc.transition(session, ref, "reject", comment=v["comment"])
        self.app.push_screen(FormScreen(t("reject.title", id=ref.roster_id, v=ref.version),
                                        [Field("comment", t("reject.comment"), "")], run=run),
                             lambda r: r and self._transitioned(r))
