"""What the station rules of issue 22 change, counted from the roster without the validators:
people working all 4 weekends of a 28-day roster, shifts of `needs_woman` posts without a woman,
empty seats, the most hours a 辅警 works in a calendar month.

    python benchmarks/rule_effects_bench.py urban 60 [--plain]
    PYTHONPATH=/path/to/other/checkout python benchmarks/rule_effects_bench.py urban 60 --plain

The dutydesk code measured is whatever comes first on sys.path (so an older checkout can be
compared with PYTHONPATH); the station files and the people generator are read from this
checkout's stationdef/ by path. ``--plain`` removes the station-file keys an older parser does
not know (enforcement, staffing, several active windows).
"""
from __future__ import annotations

import re
import sys
import time
import types
from collections import Counter
from datetime import date, timedelta
from pathlib import Path

HERE = Path(__file__).resolve().parent.parent / "stationdef"


def main() -> None:
    import stationdef.toml_file as tf
    from scheduler.engine import SolveOptions
    from scheduler.station.build import solve_station
    from usecases.roster_input import plain_day_kinds, to_problem
    name, limit, plain = sys.argv[1], float(sys.argv[2]), "--plain" in sys.argv
    samples = types.ModuleType("samples_copy")     # this checkout's people generator, by path
    src = (HERE / "samples.py").read_text(encoding="utf-8").replace("from importlib import resources\n", "")
    exec(compile(src, str(HERE / "samples.py"), "exec"), samples.__dict__)
    text = (HERE / f"{name}_station.toml").read_text(encoding="utf-8")
    if plain:
        text = re.sub(r"enforcement = false.*\nmin_sworn = 0", "min_sworn = 1", text)
        text = re.sub(r"# 《交通警察.*?\n\]\n", "", text, flags=re.S)
        text = text.replace('["07:00-09:30", "17:00-19:30"]', '"07:00-09:30"')
    sd = tf.parse_station_text(text)
    groups = samples.URBAN_GROUPS if name == "urban" else samples.RURAL_GROUPS
    people = samples.people_from_groups(groups, 0, "0611" if name == "urban" else "0615")
    start = date(2027, 1, 4)                           # a Monday: 4 whole weekends in 28 days
    sp = to_problem(sd, people, start, 28, plain_day_kinds(start, 28))
    t0 = time.time()
    res = solve_station(sp, SolveOptions(time_limit=limit, num_workers=2, seed=0))
    a = res.solution.assignment
    shifts = {s.code: s for s in sd.shifts}
    person = {p.badge: p for p in people}
    sat_sun = [d for d in range(28) if (start + timedelta(days=d)).weekday() >= 5]
    weekends = [sat_sun[i:i + 2] for i in range(0, len(sat_sun), 2)]
    all4 = sum(1 for p in people if all(any(a.get((p.badge, d)) for d in w) for w in weekends))
    woman_posts = {p.code for p in sd.posts if p.needs_woman}
    with_woman = Counter((d, code) for (b, d), code in a.items()
                         if code and code.split("@")[1] in woman_posts and person[b].sex == "F")
    demanded = [(d, f"{s}@{p}") for (d, s, p), n in sp.demand.items() if p in woman_posts and n > 0]
    no_woman = sum(1 for k in demanded if not with_woman.get(k))
    staffed = Counter((d, code) for (b, d), code in a.items() if code)
    short = sum(max(0, n - staffed[(d, f"{s}@{p}")]) for (d, s, p), n in sp.demand.items())
    aux_hours: Counter = Counter()
    for (b, d), code in a.items():
        if code and person[b].person_type != "sworn":
            aux_hours[(b, (start + timedelta(days=d)).strftime("%Y-%m"))] += shifts[code.split("@")[0]].minutes / 60
    print(f"{name} {'plain' if plain else 'full'}: status {res.solution.status} objective {res.solution.objective} "
          f"wall {time.time() - t0:.1f} s; people working all 4 weekends: {all4} of {len(people)}; "
          f"needs_woman shifts without a woman: {no_woman} of {len(demanded)}; empty seats {short}; "
          f"most 辅警 hours in a month {max(aux_hours.values(), default=0):g}", flush=True)


if __name__ == "__main__":
    main()
