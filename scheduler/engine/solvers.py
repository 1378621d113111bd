"""CP-SAT solvers of one solve: their parameters, the clock, and stopping them all.

Every CP-SAT call of the engine (full model, first roster, sub-solves, construction windows)
goes through :meth:`Solvers.run`, which registers the solver so that a stop (the caller's
:class:`~scheduler.stop.StopToken`, or a proof of optimality) reaches it, and adds its
deterministic time to the clock.
"""
from __future__ import annotations

import threading
import time

from ortools.sat.python import cp_model

from scheduler.engine.options import SolveOptions


class Solvers:
    def __init__(self, options: SolveOptions):
        self.options = options
        self._lock = threading.RLock()
        self._running: set[cp_model.CpSolver] = set()
        self._halted = lambda: False
        self.t0 = time.monotonic()
        self.dtime = 0.0

    def start(self, halted) -> None:
        """A new solve: the clock restarts; ``halted()`` says when no solver may start."""
        self.t0 = time.monotonic()
        self.dtime = 0.0
        self._halted = halted

    # -- clock ---------------------------------------------------------------------------
    def elapsed(self) -> float:
        return time.monotonic() - self.t0

    def spent(self) -> float:
        """What the limits count: deterministic time in deterministic mode, else seconds."""
        return self.dtime if self.options.deterministic else self.elapsed()

    # -- solvers -------------------------------------------------------------------------
    def make(self, limit: float, workers: int) -> cp_model.CpSolver:
        o = self.options
        solver = cp_model.CpSolver()
        p = solver.parameters
        p.num_workers = workers
        p.random_seed = o.seed
        p.log_search_progress = o.log
        if o.deterministic:
            p.max_deterministic_time = max(0.01, limit)
            if workers > 1:
                p.interleave_search = True
        else:
            p.max_time_in_seconds = max(0.01, limit)
        if workers == 1:
            # one worker: the strongest LP (clauses and sequences in the relaxation); the
            # multi-worker portfolio picks its own linearization per subsolver
            p.linearization_level = 2
        for k, v in o.params.items():
            setattr(p, k, v)
        return solver

    def run(self, solver: cp_model.CpSolver, model: cp_model.CpModel,
            callback: cp_model.CpSolverSolutionCallback | None = None) -> int:
        """Solve unless the solve is halted (then UNKNOWN without starting)."""
        with self._lock:
            if self._halted():
                return cp_model.UNKNOWN
            self._running.add(solver)
        try:
            status = solver.solve(model, callback)
        finally:
            with self._lock:
                self._running.discard(solver)
                self.dtime += solver.response_proto.deterministic_time
        return status

    def stop_all(self) -> None:
        with self._lock:
            for solver in self._running:
                solver.stop_search()
