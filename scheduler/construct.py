"""A first roster for long horizons, one person at a time (every hard rule of the standard
families is a per-person rule; only the soft cover couples people).

For each person a dynamic programme over the days chooses the work / off pattern: blocks of
worked days between the minimum and maximum run, blocks of days off of the minimum length
(blocks touching either end exempt, as in ``Problem.edge_exempt``), no work on days off,
at most ``max_weekends`` worked weekends, and a number of worked days from which the minimum
and maximum total minutes can be reached.  It maximises the value of the worked days against
the cover still missing (and the requests).  Then the shift types, block by
block (successions only link the days of one block), by a small DP over each block within
the per-type maxima and the minutes left, with a "safe" type (shortest, may follow itself)
that keeps the later blocks fillable, and swaps to longer types if the minimum minutes are
not met yet.  The exact count of worked days is what rolling windows could not
plan around long leave; the DP plans the whole horizon at once.

Only for problems without history and fixed cells and with the edge exemption (the
benchmark's long instances); :func:`applicable` says whether it applies.
"""
from __future__ import annotations

import math
import random
import threading

import numpy as np

from scheduler.lits import OFF
from scheduler.problem import Problem

NEG = -1e18


def applicable(problem: Problem) -> bool:
    return (problem.edge_exempt and not problem.fixed
            and all(e.history is None for e in problem.employees))


def count_range(problem: Problem, e: int, allowed_row: list[list[int]]) -> tuple[int, int]:
    """Numbers of worked days from which the total-minutes window may be reachable."""
    emp = problem.employees[e]
    H = problem.horizon
    types = sorted({s for row in allowed_row for s in row})
    if not types:
        return 0, 0
    mins = [problem.shift_types[s].minutes for s in types]
    def cap_of(ts) -> int:
        return sum(min(H, emp.max_shifts.get(problem.shift_types[s].id, H)) for s in ts)

    cap = cap_of(types)
    lo = 0 if emp.min_minutes is None else math.ceil(emp.min_minutes / max(mins))
    hi = H if emp.max_minutes is None else emp.max_minutes // min(mins)
    # prefer counts that the shortest shifts alone can fill: the types are then easy to pick
    short = min(mins)
    short_types = [s for s in types if problem.shift_types[s].minutes == short]
    lo1 = 0 if emp.min_minutes is None else math.ceil(emp.min_minutes / short)
    hi1 = min(hi, cap_of(short_types), H)
    if lo1 <= hi1:
        return lo1, hi1
    return max(0, lo), min(hi, cap, H)


BAND_MIN_DAYS = 112     # horizons from this long: the banded DP first
BAND = 28               # ... worked days the count may lead or lag its even pace


_local = threading.local()


def _buffer(size: int) -> np.ndarray:
    """A float buffer of at least ``size`` for the pattern DP, kept per thread and reused
    (up to 128 MB; a larger one, for an unbanded year, is not kept)."""
    buf = getattr(_local, "buf", None)
    if buf is None or buf.size < size:
        buf = np.empty(max(size, 1))
        if size <= 1 << 24:
            _local.buf = buf
    return buf[:size]


def pattern(problem: Problem, e: int, allowed_row: list[list[int]], value: list[float],
            n_lo: int, n_hi: int) -> list[bool] | None:
    """Worked days (True) of person e maximising ``sum(value[d])`` over worked days, with the
    run, days-off and weekend rules and n_lo <= worked days <= n_hi; None if impossible.

    Long horizons: first with the count of worked days by each day kept within ``BAND`` of
    an even pace over the days the person may work (a few times faster, the year's plan
    rarely wants more), then, if no pattern fits that band, without it."""
    H = problem.horizon
    if H >= BAND_MIN_DAYS:
        avail = np.cumsum([1 if r else 0 for r in allowed_row])
        total = max(1, int(avail[-1]))
        mid = (n_lo + n_hi) / 2
        pace = [mid * int(a) / total for a in avail]
        band = max(BAND, n_hi - n_lo)
        out = _pattern(problem, e, allowed_row, value, n_lo, n_hi,
                       [(math.floor(t - band), math.ceil(t + band)) for t in pace])
        if out is not None:
            return out
    return _pattern(problem, e, allowed_row, value, n_lo, n_hi, None)


def _pattern(problem: Problem, e: int, allowed_row: list[list[int]], value: list[float],
             n_lo: int, n_hi: int, band: list[tuple[int, int]] | None) -> list[bool] | None:
    """:func:`pattern`, with the counts of worked days by day d kept within ``band[d]``.

    States: work runs of length 1..Lw (normal, or started on day 0 and so exempt from the
    minimum), off runs of length 1..K (K = at least the minimum); each state carries a
    table over (worked weekends, worked days).  The transitions are fixed, so each day is a
    handful of whole-array operations."""
    emp = problem.employees[e]
    H = problem.horizon
    m = max(1, emp.min_consecutive or 1)
    M = emp.max_consecutive
    K = max(1, emp.min_days_off or 1)
    Lw = M if M else m
    weekends = problem.weekends()
    W = emp.max_weekends
    track = W is not None and W < len(weekends)
    Wn = W + 1 if track else 1
    wend = {g[-1]: len(g) for g in weekends} if track else {}
    # states: work (normal) 0..Lw-1 (length l+1); off: Lw..Lw+K-1; work from day 0 (exempt
    # from the minimum): Lw+K..2Lw+K-1.  With a maximum run the last ones are dead from day
    # Lw on, and the days after that work on the first nA states only
    nS = 2 * Lw + K
    OF, WS = Lw, Lw + K
    nA = nS if not M else WS

    def is_work(s: int) -> bool:
        return s < OF or s >= WS

    # sources of each target, in ascending order (ties go to the lowest source)
    off_src: dict[int, list[int]] = {}
    on_src: dict[int, list[int]] = {}
    for s in range(nS):
        if is_work(s):
            length = s + 1 if s < OF else s - WS + 1
            if s >= WS or length >= m:
                off_src.setdefault(OF, []).append(s)
            if not (M and length >= M):
                base_s = WS if s >= WS else 0
                on_src.setdefault(base_s + min(length, Lw - 1), []).append(s)
        else:
            off_src.setdefault(min(s + 1, OF + K - 1), []).append(s)
            if s == OF + K - 1:
                on_src.setdefault(0, []).append(s)

    def transitions(limit: int):
        """The transitions among states < limit, as steps of whole-array work: runs of
        consecutive targets with one consecutive source each (one copy), and targets
        with several sources (one reduction); which states no step writes (they stay
        NEG), on a day that may be worked and on one that may not; and, for the way back,
        every target's sources."""
        single: dict[int, int] = {}
        sources: dict[int, tuple[list[int], bool]] = {}
        steps = []
        for srcs, on in ((off_src, False), (on_src, True)):
            pairs = []
            for t, ss in sorted(srcs.items()):
                ss = [q for q in ss if q < limit]
                if t >= limit or not ss:
                    continue
                if len(ss) == 1:
                    single[t] = ss[0]
                    pairs.append((t, ss[0]))
                    continue
                sources[t] = (ss, on)
                sel = (slice(ss[0], ss[-1] + 1) if ss == list(range(ss[0], ss[-1] + 1))
                       else np.array(ss, dtype=np.intp))
                kinds = {is_work(q) for q in ss}     # both only with one off state (K = 1)
                steps.append((t, sel, True, on, is_work(ss[0]) if len(kinds) == 1 else None))
            run: list[tuple[int, int]] = []
            for t, q in pairs + [(-9, -9)]:
                if run and (t != run[-1][0] + 1 or q != run[-1][1] + 1
                            or is_work(q) != is_work(run[-1][1])):
                    t0, q0 = run[0]
                    steps.append((slice(t0, t0 + len(run)), slice(q0, q0 + len(run)), False,
                                  on, is_work(q0)))
                    run = []
                run.append((t, q))
        fills = {}
        for can in (True, False):
            written = set()
            for t, _, red, on, _ in steps:
                if on and not can:
                    continue
                written.update([t] if red else range(t.start, t.stop))
            fills[can] = np.array(sorted(set(range(limit)) - written), dtype=np.intp)
        return steps, fills, single, sources

    early = transitions(nS)
    late = transitions(nA)

    # tables[d]: state x worked weekends x worked days lo_d - 1 .. hi_d + 1 (the two edge
    # columns stay NEG, so the next day's slices never leave the table)
    tables: list[np.ndarray] = []
    hi0 = min(1, n_hi)
    # every day's window of counts first (a count grows by at most one a day), then all
    # tables in one reused buffer (fresh arrays each day cost more in page faults than work)
    windows = [(0, hi0)]
    for d in range(1, H):
        lo_p, hi_p = windows[-1]
        # only the counts of worked days that are possible by now and can still reach n_lo,
        # and reachable from yesterday's
        lo, hi = max(0, n_lo - (H - 1 - d), lo_p), min(d + 1, n_hi, hi_p + 1)
        if band is not None:
            lo, hi = max(lo, band[d][0]), min(hi, band[d][1])
        if lo > hi:
            return None
        windows.append((lo, hi))
    width = max(hi - lo for lo, hi in windows) + 3
    buf = _buffer(H * nS * Wn * width).reshape(H, nS, Wn, width)
    cur = buf[0, :, :, :hi0 + 3]
    cur.fill(NEG)
    cur[OF + K - 1, 0, 1] = 0.0                 # before day 0: a satisfied off block
    if allowed_row[0]:
        dw = 1 if wend.get(0) is not None else 0
        if dw < Wn and hi0 >= 1:
            cur[WS, dw, 2] = value[0]
    tables.append(cur)
    lo_p, hi_p = 0, hi0
    for d in range(1, H):
        lo, hi = windows[d]
        can_work = bool(allowed_row[d])
        g = wend.get(d)
        n = nA if d > Lw else nS
        steps, fills, _, sources = late if d > Lw else early
        nxt = buf[d, :n, :, :hi - lo + 3]
        nxt[:, :, 0] = NEG
        nxt[:, :, -1] = NEG
        out = nxt[:, :, 1:-1]
        if len(fills[can_work]):
            out[fills[can_work]] = NEG
        base = lo - lo_p + 1                # column of count lo in the previous table
        same = cur[:n, :, base:base + hi - lo + 1]          # a day off: same count
        prev = cur[:n, :, base - 1:base + hi - lo]          # a worked day: one count less
        for t, sel, red, on, work in steps:
            if on and not can_work:
                continue
            # the worked weekends move by one when a worked day ends a weekend, or a day
            # off does and the day before was worked (sources of both kinds: apiece)
            if work is None and not on and g == 2:
                tmp = np.full((len(sources[t][0]), Wn, hi - lo + 1), NEG)
                for i, q in enumerate(sources[t][0]):
                    dq = 1 if is_work(q) else 0
                    if dq < Wn:
                        tmp[i, dq:] = same[q, :Wn - dq]
                np.max(tmp, axis=0, out=out[t])
                continue
            dw = (1 if g is not None else 0) if on else (1 if g == 2 and work else 0)
            if dw >= Wn:
                out[t] = NEG
                continue
            if dw:
                out[t, 0] = NEG
            src = (prev if on else same)[sel, :Wn - dw]
            dst = out[t, dw:]
            if red:
                np.max(src, axis=0, out=dst)
            else:
                np.copyto(dst, src)
            if on:
                dst += value[d]
        tables.append(nxt)
        cur, lo_p, hi_p = nxt, lo, hi
    # best final state with count in range
    best, arg = NEG / 2, None
    for s in range(len(cur)):
        sub = cur[s][:, 1:-1]
        if sub.size == 0:
            continue
        i = int(np.argmax(sub))
        w, c = divmod(i, sub.shape[1])
        if sub[w, c] > best:
            best, arg = sub[w, c], (s, w, c + lo_p)
    if arg is None:
        return None
    s, w, c = arg
    out = [False] * H
    for d in range(H - 1, -1, -1):
        g = wend.get(d)
        single, sources = (late if d > Lw else early)[2:]
        if d == 0:
            src = -1
        elif s in sources:
            # the first source that gives this cell its value (as the forward step did)
            lst, on = sources[s]
            prev_t, col = tables[d - 1], c - windows[d - 1][0] + 1
            best_v, src = None, lst[0]
            for q in lst:
                if on:
                    wq = w - (1 if g is not None else 0)
                    v = NEG if wq < 0 else prev_t[q, wq, col - 1] + value[d]
                else:
                    wq = w - 1 if (g == 2 and is_work(q)) else w
                    v = NEG if wq < 0 else prev_t[q, wq, col]
                if best_v is None or v > best_v:
                    best_v, src = v, q
        else:
            src = single[s]
        on = is_work(s)
        out[d] = on
        prev_on = src >= 0 and is_work(src)
        inc = g is not None and (on or (g == 2 and prev_on))
        if on:
            c -= 1
        if inc:
            w -= 1
        s = src
    return out


def day_values(problem: Problem, e: int, allowed_row, need: dict[tuple[int, int], int],
               rng: random.Random,
               wish: dict[tuple[int, int], float] | None = None) -> list[float]:
    """Value of a worked day for person e: the cover still missing on the types the person
    may work that day (weighted; a little more where more is missing, so the people planned
    later still find the days they can fill), minus over-cover, plus on-request weights."""
    H = problem.horizon
    out = []
    for d in range(H):
        best = -1.0
        for s in allowed_row[d]:
            n = need.get((d, s), 0)
            w = wish.get((d, s), 0.0) if wish else 0.0
            best = max(best, (100.0 + 2.0 * min(n, 10) if n > 0 else -1.0) + w)
        out.append(best + rng.random() * 0.01)
    return out


def reduce_need(need: dict[tuple[int, int], int], values: dict[tuple[int, int], int],
                e: int, H: int) -> None:
    for d in range(H):
        v = values.get((e, d), OFF)
        if v >= 0 and (d, v) in need:
            need[(d, v)] -= 1


def simple_type(problem: Problem, e: int, allowed_row, n: int) -> int | None:
    """A shift type of the shortest length that person e may work n times in a row of days
    (it may follow itself): a complete, valid hint for the type assignment."""
    emp = problem.employees[e]
    bad = problem.forbidden_successions()
    types = sorted({s for row in allowed_row for s in row})
    if not types:
        return None
    short = min(problem.shift_types[s].minutes for s in types)
    for s in types:
        st = problem.shift_types[s]
        if (st.minutes == short and (st.id, st.id) not in bad
                and emp.max_shifts.get(st.id, n) >= n
                and all(s in allowed_row[d] or not allowed_row[d]
                        for d in range(problem.horizon))):
            return s
    return None


def wishes(problem: Problem) -> dict[int, dict[tuple[int, int], float]]:
    """Per person index: (day, shift index) -> request weight (+ on, - off)."""
    eidx = {e.id: i for i, e in enumerate(problem.employees)}
    sidx = {s.id: i for i, s in enumerate(problem.shift_types)}
    out: dict[int, dict[tuple[int, int], float]] = {}
    for r in problem.requests:
        e, s = eidx.get(r.employee), sidx.get(r.shift)
        if e is None or s is None:
            continue
        w = out.setdefault(e, {})
        w[(r.day, s)] = w.get((r.day, s), 0.0) + (r.weight if r.on else -r.weight)
    return out


def assign_types_blocks(problem: Problem, e: int, allowed_row, pat: list[bool], safe: int,
                        need: dict[tuple[int, int], int],
                        wish: dict[tuple[int, int], float]) -> dict[int, int] | None:
    """Shift types for the worked days of ``pat``, block by block (successions only link
    the days of one block): in each block the best sequence of types by a small DP over the
    block, within the per-type counts left and the minutes the later days leave; the
    ``safe`` type (shortest, follows itself, enough of it) keeps every later block fillable."""
    emp = problem.employees[e]
    H = problem.horizon
    bad = problem.forbidden_successions()
    ids = [s.id for s in problem.shift_types]
    mins = [s.minutes for s in problem.shift_types]
    S = len(mins)
    mins_a = np.array(mins, dtype=float)
    short = mins[safe]
    sidx = {i: k for k, i in enumerate(ids)}
    succ_pen = np.zeros((S, S))               # previous type x type: NEG where forbidden
    for x, y in bad:
        if x in sidx and y in sidx:
            succ_pen[sidx[x], sidx[y]] = NEG
    left = [min(H, emp.max_shifts.get(i, H)) for i in ids]
    hi = emp.max_minutes if emp.max_minutes is not None else 10 ** 12
    rest = sum(pat)
    total = 0
    out: dict[int, int] = {}
    d = 0
    while d < H:
        if not pat[d]:
            d += 1
            continue
        end = d
        while end < H and pat[end]:
            end += 1
        days = list(range(d, end))
        L = len(days)
        rest -= L
        reserve = left[safe] - rest          # safe shifts this block may use

        # value of each (day, type) of the block: cover still missing, wishes, and a
        # little for shorter shifts
        vals = np.array([[(100.0 if need.get((day, s), 0) > 0 else -1.0)
                          + wish.get((day, s), 0.0) for s in range(S)] for day in days])
        vals -= (mins_a - short) / 1000.0
        avail = np.zeros((L, S), dtype=bool)
        for i, day in enumerate(days):
            avail[i, allowed_row[day]] = True
        avail &= np.array(left) > 0
        if reserve <= 0:
            avail[:, safe] = False

        for slack_ok in (True, False):
            slack = hi - total - (rest + L) * short
            ok = avail & ((mins_a - short <= slack) if slack_ok else (mins_a == short))
            # DP over the block: state = type of the previous day (ties to the lowest type)
            score = np.where(ok[0], vals[0], NEG)
            back = []
            for i in range(1, L):
                cand = score[:, None] + succ_pen          # previous type x type
                arg = cand.argmax(axis=0)
                best = cand[arg, np.arange(S)]
                score = np.where(ok[i] & (best > NEG / 2), best + vals[i], NEG)
                back.append(arg)
            if not (score > NEG / 2).any():
                continue
            s = int(score.argmax())
            seq = [s]
            for arg in reversed(back):
                s = int(arg[s])
                seq.append(s)
            seq.reverse()
            use: dict[int, int] = {}
            for s in seq:
                use[s] = use.get(s, 0) + 1
            extra = sum(mins[s] for s in seq) - L * short
            if (all(use[s] <= left[s] for s in use) and use.get(safe, 0) <= max(0, reserve)
                    and extra <= max(0, slack)):
                break
        else:
            # fall back to the safe type alone
            if left[safe] < L:
                return None
            seq = [safe] * L
        for day, s in zip(days, seq):
            out[day] = s
            left[s] -= 1
            total += mins[s]
        d = end
    if emp.min_minutes is not None and total < emp.min_minutes:
        total = _upgrade(problem, e, allowed_row, out, left, total, emp.min_minutes, hi,
                         need, wish)
        if total < emp.min_minutes:
            return None
    if total > hi:
        return None
    return out


def _upgrade(problem: Problem, e: int, allowed_row, out: dict[int, int], left: list[int],
             total: int, lo: int, hi: int, need, wish) -> int:
    """Swap worked days to longer types (successions with both neighbours kept, counts left)
    until the minimum minutes hold; the most wanted swaps first."""
    bad = problem.forbidden_successions()
    ids = [s.id for s in problem.shift_types]
    mins = [s.minutes for s in problem.shift_types]

    def val(day: int, s: int) -> float:
        return (100.0 if need.get((day, s), 0) > 0 else -1.0) + wish.get((day, s), 0.0)

    cands = []
    for d, cur in out.items():
        for s in allowed_row[d]:
            if mins[s] > mins[cur]:
                cands.append((val(d, cur) - val(d, s), -(mins[s] - mins[cur]), d, s))
    cands.sort()
    for _, _, d, s in cands:
        if total >= lo:
            break
        cur = out[d]
        delta = mins[s] - mins[cur]
        if delta <= 0 or left[s] <= 0 or total + delta > hi:
            continue
        p_ = out.get(d - 1)
        n_ = out.get(d + 1)
        if p_ is not None and (ids[p_], ids[s]) in bad:
            continue
        if n_ is not None and (ids[s], ids[n_]) in bad:
            continue
        out[d] = s
        left[s] -= 1
        left[cur] += 1
        total += delta
    return total


def target_range(problem: Problem, e: int, allowed_row, need: dict[tuple[int, int], int],
                 spread: int = 2) -> tuple[int, int] | None:
    """Counts of worked days around the minimum minutes over the mean length of the cover
    still missing on the types person e may work (fewer, longer shifts when the missing
    cover is of long shifts); None when it is the shortest length anyway."""
    emp = problem.employees[e]
    if emp.min_minutes is None:
        return None
    types = sorted({s for row in allowed_row for s in row})
    if not types:
        return None
    mins = [problem.shift_types[s].minutes for s in types]
    tot = cnt = 0
    for (d, s), n in need.items():
        if n > 0 and s in types and allowed_row[d]:
            tot += n * problem.shift_types[s].minutes
            cnt += n
    if not cnt:
        return None
    mean = tot / cnt
    if mean <= min(mins) + 1:
        return None
    n = round(emp.min_minutes / mean)
    wide_lo = math.ceil(emp.min_minutes / max(mins))
    wide_hi = (problem.horizon if emp.max_minutes is None
               else emp.max_minutes // min(mins))
    lo, hi = max(wide_lo, n - spread), min(wide_hi, n + spread)
    return (lo, hi) if lo <= hi else None
