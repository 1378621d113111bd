"""How the screens write the records they share: skills with their expiry, people, styles."""
from __future__ import annotations

from rich.text import Text

from tui import i18n
from tui.i18n import t

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
