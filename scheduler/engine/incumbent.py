"""The incumbent of one solve: the best roster, the bound, progress reports.

Shared by every thread of a solve (full model, search threads, construction); every read
and write goes through its lock.  A roster is ``values``: (person index, day) -> shift index
or :data:`scheduler.lits.OFF`.

    inc.offer(objective, values, "lns", iteration)   # True when it became the best
    best, values = inc.snapshot()
    inc.raise_bound(b)                               # True when the bound rose
    inc.done.is_set()                                # proved optimal (or infeasible)
"""
from __future__ import annotations

import math
import threading
from typing import Callable

from scheduler.problem import Progress

Values = dict[tuple[int, int], int]


class Incumbent:
    def __init__(self, elapsed: Callable[[], float],
                 on_progress: Callable[[Progress], None] | None = None,
                 on_done: Callable[[], None] = lambda: None):
        self._elapsed = elapsed
        self._on_progress = on_progress
        self._on_done = on_done
        self.lock = threading.RLock()
        self.done = threading.Event()    # proved optimal or infeasible: every solver stops
        self.best: int | None = None
        self.values: Values | None = None
        self.bound: int | None = None
        self.first: tuple[int, float] | None = None   # (objective, seconds) of the first roster

    def better(self, objective: int) -> bool:
        return self.best is None or objective < self.best

    def snapshot(self) -> tuple[int | None, Values | None]:
        with self.lock:
            return self.best, self.values

    def offer(self, objective: int, values: Values, phase: str, iteration: int = 0) -> bool:
        """Keep the roster if it is better than the best; report progress; finish the solve
        when it reaches the bound."""
        with self.lock:
            if not self.better(objective):
                return False
            self.best = objective
            self.values = values
            if self.first is None:
                self.first = (objective, round(self._elapsed(), 3))
        self.progress(phase, iteration)
        if self.bound is not None and objective <= self.bound:
            self.finish()
        return True

    def sideways(self, expected: int, values: Values) -> None:
        """Another roster of the same cost, kept while the best is still ``expected``."""
        with self.lock:
            if self.best == expected:
                self.values = values

    def raise_bound(self, bound: float) -> bool:
        """A lower bound from the full model; True when it rose.  Finishes the solve when the
        best roster reaches it."""
        b = int(math.ceil(bound - 1e-6))
        with self.lock:
            raised = self.bound is None or b > self.bound
            if raised:
                self.bound = b
            proved = self.best is not None and self.best <= self.bound
        if raised and self.best is not None:
            self.progress("bound")
        if proved:
            self.finish()
        return raised

    def proved_optimal(self, objective: int) -> None:
        """The full model was solved to optimality at ``objective``."""
        with self.lock:
            self.bound = max(self.bound or objective, objective)
        self.done.set()

    def finish(self) -> None:
        self.done.set()
        self._on_done()

    def progress(self, phase: str, iteration: int = 0) -> None:
        if self._on_progress is not None:
            self._on_progress(Progress(self.best, self.bound, self._elapsed(), phase, iteration))
