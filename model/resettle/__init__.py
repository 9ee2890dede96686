"""resettle: an agent-based simulator of governance schemes for wholesale-resettlement communities.

    >>> import resettle
    >>> model = resettle.CommunityModel(resettle.load_scenario("scenarios/scheme1.toml"), rng=1)
    >>> table = model.run()            # one row per month

The package is layered (docs/ODD.md §7.0; ``tests/test_layers.py`` enforces it):
``cli`` → ``reports``, ``dashboard`` → ``experiments`` → ``sim`` → ``params``, with the leaves
``analysis``, ``store`` and ``text``.
"""

from resettle._version import __version__
from resettle.errors import ResettleError, ScenarioError
from resettle.params.scenario import Scenario, load_scenario
from resettle.sim.model import CommunityModel

__all__ = ["CommunityModel", "ResettleError", "Scenario", "ScenarioError", "__version__",
           "load_scenario"]
