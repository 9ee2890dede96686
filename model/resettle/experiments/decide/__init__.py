"""Decisions over plausible worlds (``resettle decide``): policies (scenario files, fixed
switch years, a grid over a trigger's thresholds) run in every accepted world of a
``resettle worlds`` directory, replications under common random numbers, as one resumable
sweep; then regret against the best policy in each world, maximum regret, satisficing the
planner's thresholds, the robust choice, and PRIM boxes where it fails. The specification
(:mod:`~resettle.experiments.decide.spec`), the policies
(:mod:`~resettle.experiments.decide.policies`) and the tables
(:mod:`~resettle.experiments.decide.study`); the rules themselves are
:mod:`resettle.analysis.regret`'s.
"""

from resettle.experiments.decide.spec import DecideSpec, load_decide_spec
from resettle.experiments.decide.study import Decision, evaluate_decision

__all__ = ["DecideSpec", "Decision", "evaluate_decision", "load_decide_spec"]
