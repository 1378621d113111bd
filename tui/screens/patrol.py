"""The night's patrol plan (F4): one timeline per team (hot-spot visits, breaks, fixed tasks,
the time now), the stops in order with planned against done from the check-ins, the plan's seed
and metrics (risk-weighted coverage, longest gap per hot spot, utilisation).

Keys: n makes tonight's plan (usecases.patrol.plan in a worker), c records a check-in for the
selected stop (usecases.patrol.checkin at the app's clock), p writes the printable sheet
(usecases.patrol.sheet_html) to a file, m shows the metrics in full, g goes to the stop now.
"""
from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path

from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.widgets import DataTable, Static

import messages as i18n
from tui.format import DIM, OK, SHORT, minutes, unit_names
from messages import t
from tui.screens.base import KeyBar, ViewScreen
from tui.screens.dialogs import Field, FormScreen, InfoScreen
from tui.widgets import clip, cursor_key, fit_parts, move_to_key, set_columns, sync_rows
from usecases import board as board_uc
from usecases import patrol as patrol_uc

PLANNED, DONE, MISSED, BREAK, TASK = "on #2f6fb0", "on #2e8b3e", "on #a02828", "on #5a5a5a", "on #8a4fb0"
NOW = "bold #ffd75f"
GAP_LIMIT = 120        # minutes: the station's longest acceptable gap between visits (rule default)


def at(iso: str) -> datetime:
    return datetime.fromisoformat(iso)


def stops_of(team: dict) -> list[dict]:
    """A team's visits, breaks and fixed tasks in time order, each with a row key."""
    out = [dict(v, kind="visit", key=f"{team['team']}:v{i}") for i, v in enumerate(team["visits"])]
    out += [dict(b, kind="break", key=f"{team['team']}:b{i}") for i, b in enumerate(team["breaks"])]
    out += [dict(c, kind="task", key=f"{team['team']}:c{i}") for i, c in enumerate(team["commitments"])]
    return sorted(out, key=lambda s: at(s["arrive"]))


def stop_state(stop: dict, now: datetime) -> str:
    """done / missed / here / ahead / past (a break or task)."""
    a, b = at(stop["arrive"]), at(stop["leave"])
    if stop["kind"] == "visit" and stop.get("done"):
        return "done"
    if a <= now < b:
        return "here"
    if b <= now:
        return "missed" if stop["kind"] == "visit" else "past"
    return "ahead"


def timeline(plan: dict, now: datetime, width: int, label_w: int, names: dict) -> Text:
    """An hour ruler and one line per team: a cell is a slice of the night, coloured by what the
    team does then (visit planned, checked in, missed, break, fixed task); | marks now."""
    start, end = at(plan["night_start"]), at(plan["night_end"])
    span = (end - start).total_seconds() / 60
    cells = max(10, width - label_w - 1)
    per = span / cells

    def cell_of(when: datetime) -> int:
        return int(((when - start).total_seconds() / 60) / per)
    now_cell = cell_of(now) if start <= now < end else None
    ruler = [" "] * cells
    first = start.replace(minute=0, second=0, microsecond=0)
    first += timedelta(hours=1) if first < start else timedelta(0)
    step = 1 if cells >= 3 * span / 60 else 2
    k = 0
    while (hour := first + timedelta(hours=k)) < end:
        c = cell_of(hour)
        if k % step == 0 and c <= cells - 2 and all(x == " " for x in ruler[max(0, c - 1):c + 2]):
            ruler[c:c + 2] = list(f"{hour:%H}")
        k += 1
    out = Text(" " * (label_w + 1)) + Text("".join(ruler), style=DIM)
    for team in plan["teams"]:
        line = [(" ", "")] * cells
        for stop in stops_of(team):
            state = stop_state(stop, now)
            style = {"visit": {"done": DONE, "missed": MISSED}.get(state, PLANNED), "break": BREAK,
                     "task": TASK}[stop["kind"]]
            for c in range(max(0, cell_of(at(stop["arrive"]))), min(cells, max(cell_of(at(stop["leave"])),
                                                                                  cell_of(at(stop["arrive"])) + 1))):
                line[c] = (" ", style)
        if now_cell is not None:
            line[now_cell] = ("|", NOW + " " + line[now_cell][1])
        row = Text("\n")
        row.append_text(clip(unit_names(team["team"], names), label_w))
        row.append(" " * (label_w - row.cell_len + 2))
        for ch, style in line:
            row.append(ch, style=style)
        out.append_text(row)
    legend = Text("\n" + " " * (label_w + 1))
    for style, key in ((PLANNED, "patrol.lg_planned"), (DONE, "patrol.lg_done"), (MISSED, "patrol.lg_missed"),
                       (BREAK, "patrol.lg_break"), (TASK, "patrol.lg_task")):
        legend.append("  ", style=style)
        legend.append(" " + t(key) + "  ", style=DIM)
    legend.append("|", style=NOW)
    legend.append(" " + t("patrol.lg_now"), style=DIM)
    out.append_text(legend)
    return out


def metrics_body(view: dict, names: dict) -> Table:
    """Per hot spot: risk, visits, longest gap; then what could not be covered and teams left out."""
    plan, spots = view["plan"], view["hot_spots"]
    m = plan["metrics"]
    grid = Table(box=None, pad_edge=False, padding=(0, 1, 0, 0), show_edge=False)
    for label in (t("patrol.spot"), t("patrol.risk"), t("patrol.visits"), t("patrol.gap")):
        grid.add_column(Text(label, style="bold"), no_wrap=True, overflow="crop")
    for code, spot in sorted(spots.items(), key=lambda kv: -kv[1]["risk"]):
        gap = m["longest_gap_min"].get(code)
        grid.add_row(spot["name"], f"{spot['risk']:g}", str(m["visits"].get(code, 0)),
                     Text(minutes(gap), style=SHORT if gap and gap > GAP_LIMIT else "") if gap is not None
                     else Text("-", style=DIM))
    out = Table.grid()
    out.add_row(grid)
    for e in plan.get("excluded_teams", []):
        out.add_row(Text(t("patrol.excluded", team=unit_names(e["team"], names), why=e["why"]), style="#e0b050"))
    if plan["uncovered"]:
        out.add_row(Text("\n" + t("patrol.uncovered", n=len(plan["uncovered"])), style="bold"))
        by_why: dict[str, list[str]] = {}
        for u in plan["uncovered"]:       # one reason, the spans it holds for
            name = spots.get(u["hot_spot"], {}).get("name", u["hot_spot"])
            by_why.setdefault(u["why"], []).append(f"{name} {at(u['from']):%H:%M}-{at(u['to']):%H:%M}")
        for why, spans in by_why.items():
            out.add_row(Text(why, style=DIM))
            out.add_row(Text("  " + ", ".join(spans)))
    return out


class PatrolScreen(ViewScreen):
    """巡逻 (F4): tonight's plan."""

    AUTO_FOCUS = "#stops"
    BINDINGS = [
        Binding("n", "plan", "key.plan", id="patrol.plan"),
        Binding("c", "checkin", "key.checkin", id="patrol.checkin"),
        Binding("p", "sheet", "key.sheet", id="patrol.sheet"),
        Binding("m", "metrics", "key.metrics", id="patrol.metrics"),
        Binding("g", "now", "key.now", id="patrol.now"),
    ]
    MODE = "patrol"
    FOOTER = ("patrol.checkin", "patrol.plan", "patrol.sheet", "patrol.metrics", "patrol.now")
    PERMS = {"plan": "patrol_plan", "checkin": "checkin"}
    ACTIONS = {"plan": "cmd.plan", "checkin": "cmd.checkin", "sheet": "cmd.sheet", "metrics": "cmd.metrics",
               "now": "cmd.now"}

    def __init__(self) -> None:
        super().__init__()
        self.data: dict | None = None
        self._placed = False

    def compose(self) -> ComposeResult:
        yield Static(id="patrol-header", classes="topline")
        yield Static(id="patrol-metrics", classes="topline")
        with Vertical(id="timeline-box", classes="panel"):
            yield Static(id="timeline")
        yield Static(id="patrol-empty", classes="panel")
        with Horizontal(id="patrol-main"):
            yield DataTable(id="stops", cursor_type="row", zebra_stripes=True, classes="panel")
            with VerticalScroll(id="gaps-box", classes="panel"):
                yield Static(id="gaps")
        yield KeyBar()

    def relabel_static(self) -> None:
        self.query_one("#timeline-box").border_title = t("patrol.timeline_title")
        self.query_one("#stops").border_title = t("patrol.stops_title")
        self.query_one("#gaps-box").border_title = t("patrol.gaps_title")

    # -- data ------------------------------------------------------------------------------
    def read(self) -> tuple:
        return board_uc.patrol_view, {"now": self.app.now()}

    @property
    def plan(self) -> dict | None:
        return self.data["plan"] if self.data else None

    # -- rendering ---------------------------------------------------------------------------
    def render_all(self) -> None:
        data = self.data
        if data is None:
            return
        plan, now = data["plan"], self.app.now()
        self.set_class(plan is None, "-empty")
        names = {"units": data["names"]["posts"]}
        header = [Text(" " + t("patrol.title", day=data["day"]), style="bold")]
        if plan is None:
            self.query_one("#patrol-header", Static).update(fit_parts(header, self.size.width or 80))
            self.query_one("#patrol-metrics", Static).update("")
            why = t("patrol.no_plan", day=data["day"]) if data["live_roster"] else t("patrol.no_roster", day=data["day"])
            self.query_one("#patrol-empty", Static).update(Text(why, style="#e0b050"))
            return
        shift = data["names"]["shifts"].get(plan["shift"], {})
        header += [Text(f"{i18n.name(shift, plan['shift'])} {at(plan['night_start']):%H:%M}-{at(plan['night_end']):%H:%M}"),
                   Text(t("patrol.plan_id", id=plan["id"], seed=plan["seed"]), style="bold #7fd0ff"),
                   Text(t("patrol.made", who=plan["created_by"], at=plan["created_at"][:16].replace("T", " ")),
                        style=DIM)]
        self.query_one("#patrol-header", Static).update(fit_parts(header, self.size.width or 80))
        m, done = plan["metrics"], plan["done"]
        util = "  ".join(f"{unit_names(c, names)} {v['utilisation'] * 100:.0f}%" for c, v in m["teams"].items())
        parts = [Text(" " + t("patrol.coverage", v=f"{m['risk_weighted_coverage'] * 100:.1f}")),
                 Text(t("patrol.done", done=done["done"], planned=done["planned"],
                        share=f"{(done['share'] or 0) * 100:.0f}"), style=OK if done["done"] else ""),
                 Text(t("patrol.utilisation", v=util)),
                 Text(t("patrol.uncovered_n", n=len(plan["uncovered"])), style="#e0b050" if plan["uncovered"] else DIM)]
        self.query_one("#patrol-metrics", Static).update(fit_parts(parts, self.size.width or 80))
        label_w = max([4] + [clip(unit_names(tm["team"], names), 12).cell_len for tm in plan["teams"]])
        box = self.query_one("#timeline")
        self.query_one("#timeline", Static).update(timeline(plan, now, (box.size.width or (self.size.width or 80) - 4),
                                                            label_w, names))
        self.render_stops(names, now)
        self.query_one("#gaps", Static).update(metrics_body(data, names))

    def render_stops(self, names: dict, now: datetime) -> None:
        table = self.query_one("#stops", DataTable)
        keep = (cursor_key(table), 0)
        spec = [("team", t("col.team_unit"), max(6, max(clip(unit_names(tm["team"], names), 12).cell_len
                                                       for tm in self.plan["teams"]))),
                ("time", t("patrol.time"), 11), ("spot", t("patrol.spot"), 12), ("travel", t("patrol.travel"), 6),
                ("state", t("patrol.state"), 8)]
        set_columns(table, [(k, Text(label, style="bold"), w) for k, label, w in spec])
        rows, upcoming = [], None
        for team in self.plan["teams"]:
            for stop in stops_of(team):
                state = stop_state(stop, now)
                if stop["kind"] == "visit":
                    spot = stop["name"]
                else:
                    spot = t("patrol.break") if stop["kind"] == "break" else stop["name"]
                if upcoming is None and state in ("here", "ahead"):
                    upcoming = stop["key"]
                label = {"done": (t("patrol.st_done"), OK), "missed": (t("patrol.st_missed"), "#ff7070"),
                         "here": (t("patrol.st_here"), "bold #ffd75f"), "past": ("", DIM),
                         "ahead": ("", "")}[state]
                rows.append((stop["key"], [clip(unit_names(team["team"], names), spec[0][2]),
                                           Text(f"{at(stop['arrive']):%H:%M}-{at(stop['leave']):%H:%M}",
                                                style=DIM if state in ("past", "missed", "done") else ""),
                                           clip(spot, 12, style="" if stop["kind"] == "visit" else DIM),
                                           Text(t("dur.min", n=stop["travel_min"]) if "travel_min" in stop else ""),
                                           Text(label[0], style=label[1])]))
        sync_rows(table, rows, keep=keep if self._placed else (upcoming, 0))
        if not self._placed and rows:
            self._placed = True
            move_to_key(table, upcoming)

    # -- actions ------------------------------------------------------------------------------
    def selected_stop(self) -> tuple[dict, dict] | None:
        key = cursor_key(self.query_one("#stops", DataTable))
        for team in (self.plan or {}).get("teams", []):
            for stop in stops_of(team):
                if stop["key"] == key:
                    return team, stop
        return None

    def action_now(self) -> None:
        if self.plan:
            now = self.app.now()
            key = next((s["key"] for tm in self.plan["teams"] for s in stops_of(tm)
                        if stop_state(s, now) in ("here", "ahead")), None)
            move_to_key(self.query_one("#stops", DataTable), key)

    def action_plan(self) -> None:
        if self.data is None:
            return
        day = datetime.fromisoformat(self.data["day"]).date()

        def run(session, v: dict) -> dict:
            from tui.screens.roster import parse_number
            seed = int(parse_number(v["seed"], t("patrol.seed"))) if v["seed"] else None
            return patrol_uc.plan(session, day, seed=seed, time_limit=15)
        note = t("patrol.replace", id=self.plan["id"]) if self.plan else t("patrol.plan_note")
        self.app.push_screen(FormScreen(t("patrol.plan_title", day=self.data["day"]),
                                        [Field("seed", t("patrol.seed"), hint=t("patrol.seed_hint"))], run=run,
                                        note=note), self._planned)

    def _planned(self, result: dict | None) -> None:
        if result:
            self._placed = False
            self.app.notify(t("patrol.planned", id=result["id"], seed=result["seed"], teams=len(result["teams"])),
                            timeout=6, markup=False)

    def action_checkin(self) -> None:
        picked = self.selected_stop()
        if picked is None or picked[1]["kind"] != "visit":
            self.app.notify(t("patrol.pick_visit"), severity="warning", timeout=5, markup=False)
            return
        team, stop = picked
        now = self.app.now()
        names = {"units": self.data["names"]["posts"]}

        def done(r: dict) -> None:
            self.app.notify(t("patrol.checked_in", team=unit_names(team["team"], names), spot=stop["name"],
                              at=f"{now:%H:%M}"), timeout=5, markup=False)
        day = datetime.fromisoformat(self.data["day"]).date()

        def answered(ok: bool | None) -> None:      # a check-in on record is a safety fact: ask first
            if ok:
                self.app.run_uc(patrol_uc.checkin, day, team["team"], stop["hot_spot"], at=now, done=done)
        from tui.screens.dialogs import ConfirmScreen
        self.app.push_screen(ConfirmScreen(t("confirm.checkin", team=unit_names(team["team"], names),
                                             spot=stop["name"], at=f"{now:%H:%M}")), answered)

    def action_sheet(self) -> None:
        plan = self.plan
        if plan is None:
            self.app.notify(t("patrol.no_plan_short"), severity="warning", timeout=5, markup=False)
            return
        station = self.app.info["name"]

        def run(session, v: dict) -> str:
            path = Path(v["path"]).expanduser()
            path.write_text(patrol_uc.sheet_html(plan, station), encoding="utf-8")
            return str(path)
        default = str(Path.cwd() / f"patrol-{plan['date']}.html")
        self.app.push_screen(FormScreen(t("patrol.sheet_title", day=plan["date"]), [Field("path", t("patrol.path"), default)],
                                        run=run),
                             lambda p: p and self.app.notify(t("patrol.sheet_done", path=p), timeout=8, markup=False))

    def action_metrics(self) -> None:
        if self.plan:
            self.app.push_screen(InfoScreen(t("patrol.gaps_title"),
                                            metrics_body(self.data, {"units": self.data["names"]["posts"]})))
