"""Plausible worlds: parameter sets sampled from the declared plausible ranges of the
uncertainties and of the uncertain community facts, kept or rejected by filters taken from the
study and the literature (pattern-oriented modelling, Grimm et al. 2005): the specification
(:mod:`~resettle.experiments.worlds.spec`), its filters
(:mod:`~resettle.experiments.worlds.filters`) and the evaluated ensemble with its tables
(:mod:`~resettle.experiments.worlds.ensemble`). The ensemble runs as a sweep
(``resettle.experiments.sweep``); ``resettle worlds`` is its command.
"""

from resettle.experiments.worlds.ensemble import Ensemble, evaluate_worlds, load_worlds
from resettle.experiments.worlds.spec import WorldsSpec, load_worlds_spec

__all__ = ["Ensemble", "WorldsSpec", "evaluate_worlds", "load_worlds", "load_worlds_spec"]
