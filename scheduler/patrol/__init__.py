"""Night patrol plans: risk-weighted, randomised hot-spot visits with auditable seeds.

:mod:`scheduler.patrol.model` holds the plain data, :mod:`scheduler.patrol.planner` builds
and solves an OR-Tools routing model, :mod:`scheduler.patrol.validate` checks a finished plan
independently of the solver.
"""
