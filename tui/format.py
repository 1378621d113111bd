"""How the screens write the records they share: skills with their expiry, people, styles."""
from __future__ import annotations

from rich.text import Text

import messages as i18n
from messages import t

DIM = "#8a8a8a"
OK = "#6cc36c"
SHORT = "bold white on #a02828"
EXPIRED = "bold #ff6060"
EXPIRING = "#e0b050"
SHIFT_STYLE = {"day": "bold #e0b050", "evening": "bold #d080e0", "night": "bold #6fa8ff", "24h": "bold #ff6b6b"}
TYPE_STYLE = {"sworn": "#7fb2ff", "duty_aux": "#e0b050", "civil_aux": "#e0b050", "assistant": "#c39be0"}


def skill_chip(sk: dict, names: dict, mode: str = "mark") -> Text:
    """One skill: ``mark`` (short, ! expired, ~ expiring), ``month`` (expiry as MM-DD) or ``date``."""
    label = i18n.name(names["skills"].get(sk["skill"]), sk["skill"])
    when = sk["expires"] or ""
    if mode == "month":
        when = when[5:]
    if sk["state"] == "expired":
        return Text(f"{label}!" if mode == "mark" else f"{label}({t('skill.expired')} {when})", style=EXPIRED)
    if sk["state"] == "expiring":
        return Text(f"{label}~" if mode == "mark" else f"{label}({when})", style=EXPIRING)
    return Text(f"{label}({when})" if when and mode == "date" else label)


def skills_line(skills: list[dict], names: dict, mode: str = "mark", sep: str = " ") -> Text:
    return Text(sep).join(skill_chip(sk, names, mode) for sk in skills)


def person_type(p: dict, names: dict, *, short: bool = False) -> Text:
    label = i18n.ptype_short(p["person_type"]) if short else i18n.name(names["person_types"].get(p["person_type"]),
                                                                          p["person_type"])
    return Text(label, style=TYPE_STYLE.get(p["person_type"], ""))


def team_name(p: dict, names: dict) -> str:
    return i18n.name(names["teams"].get(p["team"]), p["team"] or "-")


# -- units and incidents ------------------------------------------------------------------------
UNIT_STYLE = {"available": "bold #6cc36c", "dispatched": "bold #e0b050", "en_route": "bold #e0b050",
              "on_scene": "bold #ff8c5a", "patrol": "#7fb2ff", "off_duty": DIM}
INCIDENT_STYLE = {"received": "bold #ff7070", "dispatched": "#e0b050", "en_route": "#e0b050", "on_scene": "#ff8c5a",
                  "cleared": OK, "closed": DIM}
PRIORITY_STYLE = {1: "bold white on #a02828", 2: "bold #ff7070", 3: "#e0b050"}
LATE = "bold white on #a02828"
WARN = "bold #e0b050"


def minutes(n: int | None) -> str:
    """A duration in minutes: 12分 / 1时05分 (12m / 1h05m)."""
    if n is None:
        return "-"
    n = max(0, int(n))
    return t("dur.min", n=n) if n < 60 else t("dur.hm", h=n // 60, m=f"{n % 60:02d}")


def hms(seconds: float) -> str:
    s = max(0, int(seconds))
    return f"{s // 3600:02d}:{s % 3600 // 60:02d}:{s % 60:02d}"


def unit_status(status: str) -> Text:
    return Text(t(f"unit.{status}"), style=UNIT_STYLE.get(status, ""))


def incident_status(status: str) -> Text:
    return Text(t(f"inc.{status}"), style=INCIDENT_STYLE.get(status, ""))


def priority(p: int) -> Text:
    return Text(f"P{p}", style=PRIORITY_STYLE.get(p, ""))


def type_name(code: str, names: dict) -> str:
    return i18n.name(names["types"].get(code), code)


def unit_names(codes: str | list[str], names: dict) -> str:
    """One unit or several together: 巡逻1+备勤."""
    codes = codes.split("+") if isinstance(codes, str) else codes
    return "+".join(i18n.name(names["units"].get(c), c) for c in codes) or "-"


def checkin_cell(u: dict) -> Text:
    """The check-in timer of a unit on scene or on patrol: quiet minutes, late from 30."""
    timer = u.get("checkin_timer")
    if timer is None:
        return Text("-", style=DIM)
    quiet = minutes(u["checkin_quiet_min"])
    if timer == "critical":
        return Text(t("checkin.late", t=quiet), style=LATE)
    return Text(quiet, style=WARN if timer == "warning" else DIM)


def said(record: dict, key: str):
    """A scheduler message in the current language (``key_zh`` holds the Chinese one)."""
    from messages import lang
    return record.get(f"{key}_zh", record[key]) if lang() == "zh" else record[key]
