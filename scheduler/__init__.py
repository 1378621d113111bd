"""Pure solving: problem and solution dataclasses in and out; no Textual, no SQLite.

Roster engine (importing ``scheduler.engine`` loads OR-Tools; the data classes do not):

    from scheduler.problem import Problem, ShiftType, Employee, History, Request, Cover
    from scheduler.engine import RosterEngine, SolveOptions, solve
    from scheduler.rules import standard_rules, Rule
    from scheduler.validate import validate, penalty

    engine = RosterEngine(problem, standard_rules() + my_rules, SolveOptions(time_limit=30))
    solution = engine.solve(hint=old_roster, on_progress=callback)   # engine.stop() elsewhere

The Curtois & Qu benchmark adapter is ``scheduler.curtois`` (``load(path) -> Problem``).
"""
