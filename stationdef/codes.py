"""Codes a user types, in English or in Chinese: the one resolver.

Every code a user types (an incident type, a shift, a post or unit, a team, a skill, a person
type, a leave kind, a status, a role) may be typed as its code (``dispute``, ``N``, ``PAT1``) or
as one of its names (``纠纷``, ``夜班``, ``巡逻1``, ``Dispute``). The command line (cli/params.py
for fixed vocabularies), the use cases (for the station's own codes, read from the database),
the terminal app's forms (through the use cases) and the importers all call ``resolve``.

Matching, in order, and the first rule that finds anything decides:

1. the code itself (exactly, then ignoring case and full-width forms: ``ｐａｔ１`` is ``PAT1``);
2. a name, whole (same normalisation);
3. the start of a code or name (``巡逻`` for ``巡逻1``), or a name that contains the text.

One match is the answer. Several are refused with "did you mean" and the candidates; none is
refused with the list of what is known. Pure: no I/O.
"""
from __future__ import annotations

import unicodedata
from dataclasses import dataclass

from errors import ARGS, InputError, InputProblem
from messages import Items, Msg, Name


@dataclass(frozen=True)
class Choice:
    code: str
    zh: str | None = None          # the Chinese name
    en: str | None = None          # the English name
    aliases: tuple[str, ...] = ()  # other names people type (简称, an old code)

    @property
    def names(self) -> tuple[str, ...]:
        return tuple(n for n in (self.zh, self.en, *self.aliases) if n)

    def label(self) -> Name:
        """How a candidate is listed: ``纠纷 (dispute)`` in Chinese, ``dispute (Dispute)`` in English."""
        zh = f"{self.zh} ({self.code})" if self.zh and self.zh != self.code else self.code
        en = f"{self.code} ({self.en})" if self.en and self.en != self.code else self.code
        return Name(zh, en)


def norm(text: str) -> str:
    """What two spellings share: NFKC (full-width letters and digits as ASCII), no outer or inner
    blanks, case folded."""
    return "".join(unicodedata.normalize("NFKC", str(text)).split()).casefold()


def candidates(text: str, choices: list[Choice]) -> list[Choice]:
    """The choices ``text`` may mean, by the first matching rule of the module's docstring."""
    raw = str(text).strip()
    exact = [c for c in choices if c.code == raw]
    if exact:
        return exact
    n = norm(raw)
    if not n:
        return []
    for rule in (lambda c: norm(c.code) == n,
                 lambda c: any(norm(x) == n for x in c.names),
                 lambda c: any(norm(x).startswith(n) for x in (c.code, *c.names))
                 or any(n in norm(x) for x in c.names if len(n) >= 2)):
        found = [c for c in choices if rule(c)]
        if found:
            return list(dict.fromkeys(found))
    return []


def resolve(text: str, choices: list[Choice], *, what: str, field: str | None = None,
            file: str = ARGS, line: int | None = None, column: str | None = None) -> str:
    """The code ``text`` means among ``choices``; InputError (naming ``file``/``field``) when it
    means none or several. ``what`` is the catalogue key of the kind of code (``code.incident_type``)."""
    found = candidates(text, choices)
    if len(found) == 1:
        return found[0].code
    shown = str(text).strip()[:40]
    if found:
        message = Msg("code.ambiguous", text=shown, what=Msg(what), options=Items(c.label() for c in found))
    else:
        message = Msg("code.unknown", text=shown, what=Msg(what), options=Items(c.label() for c in choices))
    raise InputError(InputProblem(file=file, field=field, line=line, column=column, message=message))


def try_resolve(text: str, choices: list[Choice]) -> str | None:
    """The code when ``text`` means exactly one choice, else None (for forms that complete)."""
    found = candidates(text, choices)
    return found[0].code if len(found) == 1 else None


# -- the fixed vocabularies -------------------------------------------------------------------

def person_types() -> list[Choice]:
    from stationdef.model import PERSON_TYPES
    aliases = {"sworn": ("民", "民警", "police"), "duty_aux": ("勤务辅", "辅警勤务"), "civil_aux": ("文职辅", "文职"),
               "assistant": ("协理员", "协")}
    return [Choice(code, zh, en, aliases.get(code, ())) for code, (zh, en) in PERSON_TYPES.items()]


def leave_kinds() -> list[Choice]:
    from stationdef.leave_file import LEAVE_KINDS
    return [Choice(code, zh, en) for code, (zh, en) in LEAVE_KINDS.items()]


def incident_statuses(codes) -> list[Choice]:
    from messages import t
    return [Choice(c, t(f"istatus.{c}", _lang_override="zh"), t(f"istatus.{c}", _lang_override="en"))
            for c in codes]


def roles_from(codes) -> list[Choice]:
    """Roles (admin, chief, duty, viewer) with their names (管理员, 所长, 值班, 查看; 只读 too)."""
    from messages import t
    extra = {"chief": ("所长", "教导员"), "duty": ("值班民警", "值班员"), "viewer": ("只读", "查看员"), "admin": ("管理",)}
    return [Choice(c, t(f"role.{c}", _lang_override="zh"), t(f"role.{c}", _lang_override="en"), extra.get(c, ()))
            for c in codes]


def incident_types(rows) -> list[Choice]:
    """Incident types from the catalogue and the station's table ({code, name, name_en})."""
    return [Choice(r["code"], r.get("name"), r.get("name_en")) for r in rows]


def of_records(records) -> list[Choice]:
    """Station records with ``code``, ``name`` (Chinese) and ``name_en``: shifts, posts (units),
    teams, skills."""
    return [Choice(r.code, r.name, getattr(r, "name_en", None)) for r in records]
