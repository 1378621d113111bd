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


_NOT_CATALOGUE = {"po", "help"}   # the .po tool; the command line's Chinese help (read by cli/help.py)


def _load() -> dict[str, tuple[str, str]]:
    merged: dict[str, tuple[str, str]] = {}
    for info in sorted(pkgutil.iter_modules(__path__), key=lambda m: m.name):
        if info.name in _NOT_CATALOGUE:
            continue
        module = importlib.import_module(f"{__name__}.{info.name}")
        for key, pair in getattr(module, "MESSAGES", {}).items():
            if key in merged:
                raise RuntimeError(f"message key {key!r} is defined twice (second time in messages/{info.name}.py)")
            merged[key] = pair
    return merged


class Msg:
    """A message as key and values; ``str()`` renders it in the current language."""

    __slots__ = ("key", "values")

    def __init__(self, key: str, /, **values):
        self.key = key
        self.values = values

    def render(self, lang_: str | None = None) -> str:
        return t(self.key, _lang_override=lang_, **self.values)

    def to_json(self) -> dict:
        """The stable key and the values as shown (for --json output and logs)."""
        return {"key": self.key, "values": {k: _plain(v) for k, v in self.values.items()}}

    def __str__(self) -> str:
        return self.render()

    def __repr__(self) -> str:
        return f"Msg({self.key!r}, **{self.values!r})"

    def __contains__(self, text: str) -> bool:
        """``"expired" in msg``: looks in the text as rendered now (as in a plain string)."""
        return text in self.render()

    def __add__(self, other) -> str:
        """``msg + "\n"`` and ``"..." + msg``: the text as rendered now (code that joins texts keeps working)."""
        return self.render() + str(other)

    def __radd__(self, other) -> str:
        return str(other) + self.render()

    def __eq__(self, other) -> bool:
        return isinstance(other, Msg) and (self.key, self.values) == (other.key, other.values)

    def __hash__(self) -> int:
        return hash(self.key)


class Name:
    """A name kept in both languages, as a message value: rendered in the message's language
    (a record's zh name and its English name; the zh name when there is no English one)."""

    __slots__ = ("zh", "en")

    def __init__(self, zh: str, en: str | None = None):
        self.zh, self.en = zh, en or zh

    def render(self, lang_: str | None = None) -> str:
        return self.zh if (lang_ or _lang) == "zh" else self.en

    def __str__(self) -> str:
        return self.render()

    def __repr__(self) -> str:
        return f"Name({self.zh!r}, {self.en!r})"

    def __eq__(self, other) -> bool:
        return isinstance(other, Name) and (self.zh, self.en) == (other.zh, other.en)

    def __hash__(self) -> int:
        return hash((self.zh, self.en))


class Items:
    """A list as a message value, joined the way each language writes lists (、 or , )."""

    __slots__ = ("items", "sep")

    def __init__(self, items, sep: str = "list"):
        self.items = list(items)
        self.sep = sep              # "list": 、 / ", "; "clause": ； / "; "; "or": 或 / " or "; "plus": +;
                                    # "bullets": one per line, after "  - "

    def render(self, lang_: str | None = None) -> str:
        use = lang_ or _lang
        joiner = {("list", "zh"): "、", ("list", "en"): ", ", ("clause", "zh"): "；",
                  ("clause", "en"): "; ", ("or", "zh"): "或", ("or", "en"): " or ",
                  ("plus", "zh"): "+", ("plus", "en"): "+", ("bullets", "zh"): "\n  - ",
                  ("bullets", "en"): "\n  - ", ("slash", "zh"): "/", ("slash", "en"): "/",
                  ("alternatives", "zh"): " / ", ("alternatives", "en"): " / "}[(self.sep, "zh" if use == "zh" else "en")]
        return joiner.join(_render(x, use) for x in self.items)

    def __str__(self) -> str:
        return self.render()

    def __repr__(self) -> str:
        return f"Items({self.items!r})"

    def __eq__(self, other) -> bool:
        return isinstance(other, Items) and self.items == other.items

    def __len__(self) -> int:
        return len(self.items)


def _render(value, lang_: str):
    return value.render(lang_) if isinstance(value, (Msg, Name, Items)) else value


def _plain(value):
    if isinstance(value, (Msg, Name, Items)):
        return value.render()
    if isinstance(value, (str, int, float, bool)) or value is None:
        return value
    return str(value)


def locale_lang() -> str:
    """zh when the locale says Chinese (LC_ALL, LC_MESSAGES, LANG, LANGUAGE: zh*), else en."""
    import locale
    import os
    for var in ("LC_ALL", "LC_MESSAGES", "LANG", "LANGUAGE"):
        value = os.environ.get(var)
        if value:
            return "zh" if value.lower().startswith("zh") else "en"
    try:
        loc = locale.getlocale()[0] or ""
    except ValueError:
        loc = ""
    return "zh" if loc.lower().startswith("zh") else "en"


_lang = locale_lang()       # until the front end sets it from --lang or its context
_front = "cli"
FRONTS = ("cli", "tui")


def set_lang(lang: str) -> None:
    global _lang
    _lang = "zh" if lang == "zh" else "en"


def lang() -> str:
    return _lang


def set_front(front_: str) -> None:
    """Which front end shows the messages: "cli" (they name command-line flags) or "tui" (they
    name form fields and keys). Set by the edge that shows them."""
    global _front
    if front_ not in FRONTS:
        raise ValueError(f"front end {front_!r} is not one of {FRONTS}")
    _front = front_


def front() -> str:
    return _front


def t(key: str, /, _lang_override: str | None = None, **values) -> str:
    """The message ``key`` in the current language, its placeholders filled from ``values``
    (values that are ``Msg``, ``Name`` or ``Items`` are rendered in the same language).

    A key may have a variant for one front end, ``<key>@cli`` or ``<key>@tui``: a text that
    names a command-line flag on the command line and a form field or a key in the terminal app."""
    pair = MESSAGES.get(f"{key}@{_front}") or MESSAGES.get(key)
    if pair is None:
        return key
    use = _lang_override or _lang
    text = pair[0] if use == "zh" else pair[1]
    if not values:
        return text
    filled = {k: _render(v, use) for k, v in values.items()}
    return text.format(**filled)


def name(names: dict | None, fallback: str = "") -> str:
    """A record's name in the current language ({"zh": ..., "en": ...})."""
    if not names:
        return fallback or ""
    return (names.get("zh") if _lang == "zh" else names.get("en")) or names.get("zh") or fallback


def zone_name(zone: str) -> "Name":
    """A time zone as a label for times (Asia/Shanghai is 北京时间 / Beijing time)."""
    return Name(*ZONE_NAMES[zone]) if zone in ZONE_NAMES else Name(zone)


ZONE_NAMES = {"Asia/Shanghai": ("北京时间", "Beijing time"), "Asia/Urumqi": ("乌鲁木齐时间", "Urumqi time"),
              "Asia/Hong_Kong": ("香港时间", "Hong Kong time"), "Asia/Macau": ("澳门时间", "Macau time")}


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


def person_type(code: str | None) -> str:
    """A person type in full (民警, 勤务辅警, ...; sworn officer, ...)."""
    from stationdef.model import PERSON_TYPES
    return _pick(PERSON_TYPES.get(code or ""), code or "")


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


def said(record: dict, key: str):
    """A text of a use case's record in the current language: a Msg (or a list of them)
    rendered; a scheduler text kept as English ``key`` beside Chinese ``key_zh`` picked."""
    value = record[key]
    if _lang == "zh" and record.get(f"{key}_zh") is not None:
        value = record[f"{key}_zh"]
    return [_text(x) for x in value] if isinstance(value, list) else _text(value)


def _text(value) -> str:
    return value.render() if isinstance(value, (Msg, Name, Items)) else ("" if value is None else str(value))


def phase(p: str) -> str:
    """A solver phase (first, initial, lns, bound, done) in words."""
    return t(f"phase.{p}") if f"phase.{p}" in MESSAGES else p


def shift_kind(k: str) -> str:
    return t(f"shiftkind.{k}")


def role(r: str) -> str:
    return t(f"role.{r}")


def fair_short(c: str) -> str:
    return t(f"fair_short.{c}")


MESSAGES: dict[str, tuple[str, str]] = _load()
