"""Errors that every layer may raise, each with the exit code DESIGN.md gives it.

Kept at the top level (not in db/ or usecases/) so that scheduler/, db/ and stationdef/
can raise them without importing each other.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from messages import Msg


class ExitCode:
    OK = 0
    UNEXPECTED = 1
    USAGE = 2
    INFEASIBLE = 3
    NO_SOLUTION = 4
    PARTIAL = 5
    REFUSED = 6
    BAD_INPUT = 65
    BUSY = 75
    NOT_AUTHORISED = 77


class DutydeskError(Exception):
    """Base class: a message for the user and an exit code.

    The message is a ``messages.Msg`` (a catalogue key and its values), rendered in the user's
    language when it is shown (``render()``, ``message``, ``str()``); ``key`` stays the same in
    every language (``--json`` output carries it)."""

    exit_code = ExitCode.UNEXPECTED

    def __init__(self, message: "Msg | str"):
        self.msg: Msg | None = message if isinstance(message, Msg) else None
        self._text = None if self.msg is not None else str(message)
        super().__init__(self.msg.key if self.msg is not None else self._text)

    @property
    def key(self) -> str | None:
        return self.msg.key if self.msg is not None else None

    def render(self, lang: str | None = None) -> str:
        return self.msg.render(lang) if self.msg is not None else self._text

    @property
    def message(self) -> str:
        return self.render()

    def __str__(self) -> str:
        return self.render()

    def __reduce__(self):
        """Picklable with its message and problems (errors cross process pools)."""
        return (_restore, (type(self), self.args, dict(self.__dict__)))

    def to_json(self) -> dict:
        d = {"error": type(self).__name__, "key": self.key, "message": self.message, "exit_code": self.exit_code}
        if self.msg is not None:
            d["values"] = self.msg.to_json()["values"]
        return d


def _restore(cls, args, state):
    exc = cls.__new__(cls)
    Exception.__init__(exc, *args)
    exc.__dict__.update(state)
    return exc


ARGS = "command line"
"""The ``file`` of an InputProblem about what the user typed: the command line's flags and
arguments, or the fields of a form in the terminal app. Its ``field`` is then a field id of the
catalogue (``handover_to``: ``--to`` on the command line, 接班人 in the app; see ``field_label``),
or a flag name the catalogue does not know (shown as it is)."""


@dataclass(frozen=True)
class InputProblem:
    """One thing wrong with an input file, named by place."""

    file: str
    message: "Msg | str"
    line: int | None = None      # line in a text file or row in a table (1-based, as an editor shows it)
    column: str | None = None    # column header or letter for tables
    field: str | None = None     # the field / key being read

    def where(self, lang: str | None = None) -> str:
        from messages import front, t
        if self.file == ARGS:
            if self.field is None:
                return t("where.args", _lang_override=lang)
            where = "where.form_field" if front() == "tui" else "where.args_field"
            return t(where, _lang_override=lang, field=field_label(self.field, lang))
        parts = [self.file]
        if self.line is not None:
            parts.append(t("where.line" if self.column is None else "where.row", _lang_override=lang, n=self.line))
        if self.column is not None:
            parts.append(t("where.column", _lang_override=lang, column=self.column))
        if self.field is not None:
            parts.append(t("where.field", _lang_override=lang, field=self.field))
        return t("where.sep", _lang_override=lang).join(parts)

    def text(self, lang: str | None = None) -> str:
        """The problem itself, in the language asked (without the place)."""
        m = self.message
        return m.render(lang) if isinstance(m, Msg) else str(m)

    def render(self, lang: str | None = None) -> str:
        from messages import t
        return t("where.problem", _lang_override=lang, where=self.where(lang), problem=self.text(lang))

    def __str__(self) -> str:
        return self.render()

    def to_json(self) -> dict:
        d = {k: v for k, v in self.__dict__.items() if v is not None}
        if isinstance(self.message, Msg):
            d["message"] = self.message.render()
            d["key"] = self.message.key
        return d


def field_label(name: str, lang: str | None = None) -> str:
    """How the front end names the field ``name`` of an InputProblem about what the user typed:
    ``field.<name>`` of the catalogue, whose ``@cli`` variant is the command-line flag (``--to``)
    and whose plain text the form field's label (接班人); a name the catalogue does not know is
    shown as it is (a flag on the command line, without its dashes in the app)."""
    from messages import MESSAGES, front, t
    key = f"field.{name}"
    if key in MESSAGES or f"{key}@{front()}" in MESSAGES:
        return t(key, _lang_override=lang)
    return name if front() == "cli" else name.lstrip("-")


class BadValue(ValueError):
    """One value that cannot be read (a date, a number, a code), with its catalogue message:
    the parsers of stationdef/ raise it; whoever knows the file, row and field wraps it in an
    InputProblem (``message=msg_of(exc)``)."""

    def __init__(self, msg: Msg):
        super().__init__(msg.key)
        self.msg = msg

    def __str__(self) -> str:
        return self.msg.render()


def msg_of(exc: BaseException) -> "Msg | str":
    """The message of a parser's error: its Msg (rendered where it is shown), else its text."""
    return exc.msg if isinstance(exc, BadValue) else str(exc)


class InputError(DutydeskError):
    """Bad input (exit 65). Carries every problem found, not only the first."""

    exit_code = ExitCode.BAD_INPUT

    def __init__(self, problems: "list[InputProblem] | InputProblem | Msg | str", *, file: str = "input"):
        if isinstance(problems, (str, Msg)):
            problems = [InputProblem(file=file, message=problems)]
        elif isinstance(problems, InputProblem):
            problems = [problems]
        self.problems: list[InputProblem] = list(problems)
        n = len(self.problems)
        super().__init__(Msg("input.problem_one" if n == 1 else "input.problems", n=n))

    def render(self, lang: str | None = None) -> str:
        head = self.msg.render(lang)
        return "\n".join([head] + [f"  - {p.render(lang)}" for p in self.problems])

    def to_json(self) -> dict:
        d = super().to_json()
        d["problems"] = [p.to_json() for p in self.problems]
        return d


class NotAuthorised(DutydeskError):
    exit_code = ExitCode.NOT_AUTHORISED


class DatabaseBusy(DutydeskError):
    exit_code = ExitCode.BUSY


class ReadOnly(DutydeskError):
    """The station database can only be read by this login (file or folder permissions): a write
    is refused before it starts (exit 77, like any other action this login may not do)."""

    exit_code = ExitCode.NOT_AUTHORISED


class NotFound(DutydeskError):
    exit_code = ExitCode.USAGE


class Refused(DutydeskError):
    """A well-formed request that the current state does not allow: an illegal transition, an
    edit that breaks a hard rule, a busy unit, a cell changed by someone else, already done."""

    exit_code = ExitCode.REFUSED


class CellChanged(Refused):
    """A roster cell changed under the user's feet (another terminal edited it): reload, then decide."""


class Infeasible(DutydeskError):
    exit_code = ExitCode.INFEASIBLE


class NoSolution(DutydeskError):
    exit_code = ExitCode.NO_SOLUTION


@dataclass
class Warnings:
    """Collects non-fatal remarks a use case wants shown (e.g. no official holiday data)."""

    items: list[str] = field(default_factory=list)

    def add(self, msg: str) -> None:
        self.items.append(msg)
