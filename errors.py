"""Errors that every layer may raise, each with the exit code DESIGN.md gives it.

Kept at the top level (not in db/ or usecases/) so that scheduler/, db/ and stationdef/
can raise them without importing each other.
"""
from __future__ import annotations

from dataclasses import dataclass, field


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
    """Base class: a message for the user and an exit code."""

    exit_code = ExitCode.UNEXPECTED

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message

    def to_json(self) -> dict:
        return {"error": type(self).__name__, "message": self.message, "exit_code": self.exit_code}


@dataclass(frozen=True)
class InputProblem:
    """One thing wrong with an input file, named by place."""

    file: str
    message: str
    line: int | None = None      # line in a text file or row in a table (1-based, as an editor shows it)
    column: str | None = None    # column header or letter for tables
    field: str | None = None     # the field / key being read

    def where(self) -> str:
        parts = [self.file]
        if self.line is not None:
            parts.append(f"line {self.line}" if self.column is None else f"row {self.line}")
        if self.column is not None:
            parts.append(f"column {self.column}")
        if self.field is not None:
            parts.append(f"field '{self.field}'")
        return ", ".join(parts)

    def __str__(self) -> str:
        return f"{self.where()}: {self.message}"

    def to_json(self) -> dict:
        return {k: v for k, v in self.__dict__.items() if v is not None}


class InputError(DutydeskError):
    """Bad input (exit 65). Carries every problem found, not only the first."""

    exit_code = ExitCode.BAD_INPUT

    def __init__(self, problems: list[InputProblem] | InputProblem | str, *, file: str = "input"):
        if isinstance(problems, str):
            problems = [InputProblem(file=file, message=problems)]
        elif isinstance(problems, InputProblem):
            problems = [problems]
        self.problems: list[InputProblem] = list(problems)
        n = len(self.problems)
        head = f"{n} problem{'s' if n != 1 else ''} found; nothing was written:"
        super().__init__("\n".join([head] + [f"  - {p}" for p in self.problems]))

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
