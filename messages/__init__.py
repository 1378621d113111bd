"""The one message catalogue of dutydesk: every text a user reads, in Simplified Chinese and English.

Messages live in the modules of this package, one per domain (``tui``, ``roster``, ``dispatch``,
``errors``, ...), each a dict ``MESSAGES`` of ``key -> (zh, en)``; every module in the package is
merged into one catalogue at import, and a key may be defined only once
(``tests/test_messages.py`` checks that, and that both languages use the same placeholders).

``t(key, **values)`` renders a message in the current language (set from ``--lang`` or the
locale by the CLI and the terminal app); ``Msg(key, **values)`` is a message kept as key and
values, rendered when it is shown. Lower layers (scheduler/, stationdef/, db/, usecases/) raise
and return keys and values; the edges render them.
"""
from __future__ import annotations

import importlib
import pkgutil


def _load() -> dict[str, tuple[str, str]]:
    merged: dict[str, tuple[str, str]] = {}
    for info in sorted(pkgutil.iter_modules(__path__), key=lambda m: m.name):
        module = importlib.import_module(f"{__name__}.{info.name}")
        for key, pair in getattr(module, "MESSAGES", {}).items():
            if key in merged:
                raise RuntimeError(f"message key {key!r} is defined twice (second time in messages/{info.name}.py)")
            merged[key] = pair
    return merged


class Msg:
    """A message as key and values; ``str()`` renders it in the current language."""

    __slots__ = ("key", "values")

    def __init__(self, key: str, **values):
        self.key = key
        self.values = values

    def render(self, lang_: str | None = None) -> str:
        return t(self.key, _lang_override=lang_, **self.values)

    def __str__(self) -> str:
        return self.render()

    def __repr__(self) -> str:
        return f"Msg({self.key!r}, **{self.values!r})"

    def __eq__(self, other) -> bool:
        return isinstance(other, Msg) and (self.key, self.values) == (other.key, other.values)

    def __hash__(self) -> int:
        return hash(self.key)


_lang = "zh"


def set_lang(lang: str) -> None:
    global _lang
    _lang = "zh" if lang == "zh" else "en"


def lang() -> str:
    return _lang


def t(key: str, _lang_override: str | None = None, **values) -> str:
    """The message ``key`` in the current language, its placeholders filled from ``values``
    (values that are ``Msg`` are rendered in the same language)."""
    pair = MESSAGES.get(key)
    if pair is None:
        return key
    use = _lang_override or _lang
    text = pair[0] if use == "zh" else pair[1]
    if not values:
        return text
    filled = {k: (v.render(use) if isinstance(v, Msg) else v) for k, v in values.items()}
    return text.format(**filled)


def name(names: dict | None, fallback: str = "") -> str:
    """A record's name in the current language ({"zh": ..., "en": ...})."""
    if not names:
        return fallback or ""
    return (names.get("zh") if _lang == "zh" else names.get("en")) or names.get("zh") or fallback


def weekday(i: int) -> str:
    return t(f"weekday.{i}")


def weekday_short(i: int) -> str:
    return t(f"wd.{i}")


def ptype_short(person_type: str) -> str:
    return t(f"ptype.{person_type}")


def leave_kind(kind: str | None) -> str:
    from stationdef.leave_file import LEAVE_KINDS
    if not kind:
        return ""
    return _pick(LEAVE_KINDS.get(kind), kind)


def leave_short(kind: str | None) -> str:
    return t(f"leave_short.{kind}") if f"leave_short.{kind}" in MESSAGES else t("leave_short.other")


def status(s: str) -> str:
    return t(f"status.{s}")


def day_kind(k: str) -> str:
    from stationdef.model import DAY_KINDS
    return _pick(DAY_KINDS.get(k), k)


def _pick(pair: tuple[str, str] | None, fallback: str) -> str:
    """(zh, en) names kept with the records they name (stationdef), in the current language."""
    if not pair:
        return fallback
    return pair[0] if _lang == "zh" else pair[1]


def shift_kind(k: str) -> str:
    return t(f"shiftkind.{k}")


def role(r: str) -> str:
    return t(f"role.{r}")


def fair_short(c: str) -> str:
    return t(f"fair_short.{c}")


MESSAGES: dict[str, tuple[str, str]] = _load()
