"""The roster engine: one CP-SAT core, a list of rule modules, a large-neighbourhood search.

    engine = RosterEngine(problem, rules=standard_rules(), options=SolveOptions(time_limit=60),
                          stop=token)                  # token.stop() from another thread
    solution = engine.solve(hint=None, on_progress=print)

Flow: build the full model, find a quick first roster, solve the full model for a share of
the budget (it stops early at optimality) and improve the incumbent by large-neighbourhood
search: free a block of people x days, freeze the rest to the incumbent, re-solve briefly
with the incumbent as hint, keep improvements.  Every sub-model is built by the same rule
modules (frozen cells become constants).  The bound comes from the full model.  The result
is validated by the rule modules' own validators.

Where things are (read them in this order):

    orchestrator.py    RosterEngine: which model runs on which core, for how long; the result
    incumbent.py       Incumbent: the best roster, the bound, progress (thread-safe)
    neighbourhoods.py  Neighbourhoods: how the search picks a block (the kinds)
    search.py          Search: one search thread's loop (sub-models, sizes, success rates)
    construction.py    Construction: first rosters, the rebuild and retype moves
    chains.py          PassChains: more chains of passes in child processes (long horizons)
    run.py             Run: what one solve shares (domains, rules, clock, stop); roster helpers
    solvers.py         Solvers: CP-SAT parameters, the clock, stopping every solver
    options.py         SolveOptions
    ../stop.py         StopToken: what a caller holds to stop a solve (no OR-Tools)

Determinism: with ``deterministic=True`` every limit is a CP-SAT *deterministic time*
(``time_limit`` is then in deterministic units, roughly seconds), the LNS loop counts
deterministic time, and several workers run with ``interleave_search``; the same input,
options and seed then give the same roster.  Without it (the default, for products and
benchmarks) wall-clock limits and threads make runs with the same seed differ.
"""
from scheduler.engine.incumbent import Incumbent
from scheduler.engine.neighbourhoods import KINDS, Neighbourhoods
from scheduler.engine.options import SolveOptions
from scheduler.engine.orchestrator import ProgressCallback, RosterEngine, solve
from scheduler.stop import StopToken

__all__ = ["Incumbent", "KINDS", "Neighbourhoods", "ProgressCallback", "RosterEngine",
           "SolveOptions", "StopToken", "solve"]
