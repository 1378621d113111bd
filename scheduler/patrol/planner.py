"""Plan a night of hot-spot patrols with the OR-Tools routing library.

Each hot spot's active time gets visit windows ``target +- spacing/4`` around targets
``spacing`` apart (random phase from the seed). The spacing shrinks with the spot's risk
(relative to the median, down to 40 minutes), so visits follow the risk weights; every k-th
window keeps the gap between visits under ``max_gap`` and dropping it costs ten times more
than dropping the windows in between. Every active window gets at least one such visit, however
short it is (a school's 21:30-22:30 dismissal); a dropped one is reported as uncovered. A visit leaves before the next window of its spot opens,
so no two teams stand at the same hot spot at once. Dropping a visit costs its risk weight, so
the teams' limited patrol time goes to the riskiest spots first.

Randomness (window phases, dwell times of 10-16 minutes, small perturbations of the arc
costs) comes from ``random.Random(seed)`` only, and the search stops after a fixed number of
solutions, so the same seed gives the same plan and another seed another order and timing.
"""
from __future__ import annotations

import math
import random
import time
from dataclasses import dataclass

from errors import Infeasible
from messages import Msg
from scheduler.patrol.model import DWELL_MAX, DWELL_MIN, PatrolProblem, Plan, Visit

BASE_PENALTY = 10_000      # per unit of risk, a visit that keeps the max gap
EXTRA_PENALTY = 1_000      # per unit of risk, an extra visit
SOLUTION_LIMIT = 400
MIN_SPACING = 40           # the riskiest spots: a visit window every 40 minutes


@dataclass
class _Node:
    kind: str                  # depot | visit | extra | break | commitment
    spot: str | None
    team: str | None           # only this team may serve it
    x: float
    y: float
    open: int                  # earliest arrival
    close: int                 # latest arrival
    service: int
    penalty: int | None        # None: mandatory
    segment: tuple[int, int] | None = None


def targets(start: int, end: int, spacing: int, rng: random.Random) -> list[tuple[int, int]]:
    """Arrival windows ``target +- spacing/4`` with targets ``spacing`` apart and a random phase.
    A visit leaves (at most 16 minutes after arriving) before the next window opens, since
    spacing > 32: two visits to one spot never overlap."""
    flex = spacing // 4
    if end - start < DWELL_MIN:
        return []
    t = start + rng.randint(flex, spacing)
    out = []
    while t - flex <= end - DWELL_MIN:
        lo, hi = max(start, t - flex), min(end - DWELL_MIN, t + flex)
        if lo <= hi:
            out.append((lo, hi))
        t += spacing
    return out


def spacing_for(risk: float, median: float, max_gap: int) -> tuple[int, int]:
    """(spacing of visits, every how many-th visit keeps the max gap) for a spot: riskier
    spots are visited more often, down to every 40 minutes."""
    base = int(max_gap * 2 / 3)                       # with flex = spacing/4 the gap stays <= max_gap
    spacing = max(MIN_SPACING, min(base, int(base * median / risk))) if risk > 0 else base
    return spacing, max(1, base // spacing)


def _nodes(p: PatrolProblem, rng: random.Random) -> list[_Node]:
    nodes = [_Node("depot", None, None, 0.0, 0.0, 0, p.minutes, 0, None)]
    active = sorted(s.risk for s in p.spots if s.windows)
    median = active[len(active) // 2] if active else 1.0
    for spot in sorted(p.spots, key=lambda s: s.code):
        spacing, every = spacing_for(spot.risk, median, p.max_gap)
        for w0, w1 in spot.windows:
            found = targets(w0, w1, spacing, rng)
            if not found and w1 - w0 >= DWELL_MIN:
                # a window shorter than the spacing (晚自习放学 21:30-22:30) still gets its one visit
                found = [(w0, w1 - DWELL_MIN)]
            for k, (lo, hi) in enumerate(found):
                dwell = min(rng.randint(DWELL_MIN, DWELL_MAX), w1 - lo)
                keeps_gap = k % every == 0
                nodes.append(_Node("visit" if keeps_gap else "extra", spot.code, None, spot.x_m, spot.y_m,
                                   lo, min(hi, w1 - dwell), dwell,
                                   int((BASE_PENALTY if keeps_gap else EXTRA_PENALTY) * spot.risk), (lo, hi)))
    for team in p.teams:
        if p.break_minutes > 0:
            lo, hi = p.break_window
            nodes.append(_Node("break", None, team.code, 0.0, 0.0, lo, max(lo, hi - p.break_minutes),
                               p.break_minutes, None))
    for c in p.commitments:
        nodes.append(_Node("commitment", c.name, c.team, c.x_m, c.y_m, c.start, c.start, c.end - c.start, None))
    return nodes


def plan_night(p: PatrolProblem, *, time_limit: float = 30.0, solution_limit: int = SOLUTION_LIMIT) -> Plan:
    from ortools.constraint_solver import pywrapcp, routing_enums_pb2

    if not p.teams:
        raise Infeasible(Msg("patrol.err_no_teams"))
    t0 = time.monotonic()
    rng = random.Random(p.seed)
    nodes = _nodes(p, rng)
    team_index = {t.code: i for i, t in enumerate(p.teams)}
    for n in nodes:
        if n.team is not None and n.team not in team_index:
            raise Infeasible(Msg("patrol.err_commitment_team", team=n.team))
    N, V = len(nodes), len(p.teams)
    travel = [[p.travel_minutes((a.x, a.y), (b.x, b.y)) for b in nodes] for a in nodes]
    noise = [[rng.randint(0, 3) for _ in range(N)] for _ in range(N)]

    manager = pywrapcp.RoutingIndexManager(N, V, 0)
    routing = pywrapcp.RoutingModel(manager)

    # transits as matrices (evaluated in C++): time = own service + travel, busy excludes breaks
    time_m = [[nodes[a].service + travel[a][b] for b in range(N)] for a in range(N)]
    busy_m = [[(0 if nodes[a].kind == "break" else nodes[a].service) + travel[a][b] for b in range(N)]
              for a in range(N)]
    cost_m = [[travel[a][b] + noise[a][b] for b in range(N)] for a in range(N)]
    t_idx = routing.RegisterTransitMatrix(time_m)
    routing.SetArcCostEvaluatorOfAllVehicles(routing.RegisterTransitMatrix(cost_m))
    routing.AddDimension(t_idx, p.minutes, p.minutes, False, "time")
    tdim = routing.GetDimensionOrDie("time")
    routing.AddDimension(routing.RegisterTransitMatrix(busy_m), 0, p.busy_cap(), True, "busy")
    for v in range(V):
        tdim.CumulVar(routing.Start(v)).SetRange(0, p.minutes)
        tdim.CumulVar(routing.End(v)).SetRange(0, p.minutes)
    for k, n in enumerate(nodes[1:], start=1):
        idx = manager.NodeToIndex(k)
        tdim.CumulVar(idx).SetRange(n.open, n.close)
        if n.team is not None:
            routing.VehicleVar(idx).SetValues([-1, team_index[n.team]] if n.penalty is not None else [team_index[n.team]])
        if n.penalty is not None:
            routing.AddDisjunction([idx], n.penalty)
    for v in range(V):
        routing.AddVariableMinimizedByFinalizer(tdim.CumulVar(routing.Start(v)))

    params = pywrapcp.DefaultRoutingSearchParameters()
    params.first_solution_strategy = routing_enums_pb2.FirstSolutionStrategy.PARALLEL_CHEAPEST_INSERTION
    params.local_search_metaheuristic = routing_enums_pb2.LocalSearchMetaheuristic.GUIDED_LOCAL_SEARCH
    params.solution_limit = solution_limit
    params.time_limit.FromMilliseconds(int(time_limit * 1000))
    solution = routing.SolveWithParameters(params)
    if solution is None:
        raise Infeasible(Msg("patrol.err_no_plan"))

    visits: list[Visit] = []
    served: set[int] = set()
    for v, team in enumerate(p.teams):
        idx = routing.Start(v)
        prev = 0
        while not routing.IsEnd(idx):
            node = manager.IndexToNode(idx)
            if node != 0:
                n = nodes[node]
                arrive = solution.Value(tdim.CumulVar(idx))
                kind = {"extra": "visit"}.get(n.kind, n.kind)
                visits.append(Visit(team=team.code, spot=n.spot or ("station" if n.kind == "break" else ""),
                                    arrive=arrive, leave=arrive + n.service, travel=travel[prev][node], kind=kind))
                served.add(node)
                prev = node
            idx = solution.Value(routing.NextVar(idx))
    dropped = [n for k, n in enumerate(nodes) if k and k not in served and n.kind == "visit"]
    uncovered = _explain_dropped(p, nodes, dropped)
    stopped = "time" if time.monotonic() - t0 >= time_limit * 0.98 else "solutions"
    return Plan(seed=p.seed, visits=visits, uncovered=uncovered,
                stats={"nodes": N, "teams": V, "wall_s": round(time.monotonic() - t0, 3),
                       "objective": solution.ObjectiveValue(), "stopped_by": stopped})


def _explain_dropped(p: PatrolProblem, nodes, dropped) -> list[dict]:
    if not dropped:
        return []
    base = [n for n in nodes if n.kind == "visit"]
    need = sum(n.service + 2 * p.travel_minutes((0, 0), (n.x, n.y)) // 2 for n in base)
    have = p.busy_cap() * len(p.teams)
    out = []
    for n in dropped:
        reach = p.travel_minutes((0, 0), (n.x, n.y))
        if n.close < reach:
            why = Msg("patrol.err_unreachable", reach=reach, open=n.open)
        elif need > have:
            why = Msg("patrol.err_not_enough_time", need=need, teams=len(p.teams), have=have, free=f"{p.free_share:.0%}")
        else:
            why = Msg("patrol.err_not_fitted")
        out.append({"spot": n.spot, "start": n.segment[0], "end": n.segment[1], "why": why})
    return out
