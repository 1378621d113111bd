"""The engine's options (one dataclass; every field has a default)."""
from __future__ import annotations

import os
from dataclasses import dataclass, field

@dataclass
class SolveOptions:
    time_limit: float = 60.0
    num_workers: int | None = None          # default: os.cpu_count()
    seed: int = 0
    deterministic: bool = False
    first_fraction: float = 0.3             # sequential mode: share of the first full solve
    lns: bool = True
    lns_time: float | None = None           # limit of one sub-solve (default from budget)
    lns_min_cells: int = 40                 # smallest neighbourhood (free person-days)
    adaptive_kinds: bool = True             # draw neighbourhood kinds by recent success
    kind_weights: dict = field(default_factory=dict)   # kind -> base weight instead of
                                            # the one in neighbourhoods.KINDS (0: never)
    rebuild_weight: float = 0.15            # ruin-and-recreate by the construction (if used)
    retype_weight: float = 0.1              # exact day re-typing of the incumbent (if used)
    lns_start_cells: int | None = None
    complete_hint: bool = True              # sub-solves start from the incumbent, every
                                            # variable hinted (not only the cells)
    full_share: float = 0.4                 # portfolio: share of the full-model solve
    weak_after: float = 0.25                # ... cut short after this share while its bound
    weak_bound: float = 0.5                 # is below this fraction of the best roster
    full_stall: float = 0.2                 # ... or after this share without a new bound or
                                            # roster of its own (it will not prove in time)
    construct_min_days: int = 56
    construct_share: float = 0.7            # per-person construction: passes within this
    construct_share_long: float = 0.85      # ... (long horizons: the passes are the search)
    construct_stall: int = 6                # ... or until this many passes find nothing better
    construct_hold: bool = True             # long horizons: other cores wait for the passes
    construct_chains: int | None = None     # ... and run chains of passes of their own, each
                                            # in a child process (default and at most:
                                            # workers - 1; 0: none, they idle meanwhile)
    retype: bool = True                     # per-person construction: re-type whole
                                            # days exactly (min-cost flow) after
                                            # passes/rebuilds, and as a search move
    retype_chunk: int = 25                  # ... and within a pass after this many rows
    construct_always: bool = True           # per-person construction as the first roster
                                            # whenever it applies (not only long horizons)
    restart_stall: float = 0.1             # search thread 0: after this share of the budget
                                            # without a better roster, restart from the best
                                            # with a share of its rows rebuilt (0: never;
                                            # wall-clock mode only, not ``deterministic``)
    restart_rows: float = 0.15              # ... the share of people rebuilt
    restart_penalty: float = 0.0            # ... every other restart instead searches the
                                            # best with the requests' weights times this
                                            # (0: never), for ``restart_penalty_share`` of
                                            # the budget, then with the true weights
    restart_penalty_share: float = 0.05
    half_weekend_weight: int = 0            # search: sub-models also cost this per two-day
                                            # weekend worked on one day (a guide between
                                            # rosters of equal cost; 0: off)
    construct_cells: int = 30_000           # above: no full model; first roster by rolling
                                            # construction, then LNS on every core
    log: bool = False                       # CP-SAT search log on stderr
    params: dict = field(default_factory=dict)   # extra CP-SAT parameters

    def workers(self) -> int:
        return max(1, self.num_workers or os.cpu_count() or 1)

