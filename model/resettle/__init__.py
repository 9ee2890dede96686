"""resettle: an agent-based simulator of governance schemes for wholesale-resettlement communities.

    >>> import resettle
    >>> model = resettle.CommunityModel(resettle.load_scenario("scenarios/scheme1.toml"), rng=1)
    >>> table = model.run()            # one row per month

The package is layered (docs/ODD.md §7.0; ``tests/test_layers.py`` enforces it):
``cli`` → ``reports``, ``dashboard`` → ``experiments`` → ``sim`` → ``params``, with the leaves
``analysis``, ``store`` and ``text``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from resettle._version import __version__
from resettle.errors import ResettleError, ScenarioError
from resettle.params.scenario import Scenario, load_scenario

if TYPE_CHECKING:
    from resettle.sim.model import CommunityModel

__all__ = ["CommunityModel", "ResettleError", "Scenario", "ScenarioError", "__version__",
           "load_scenario"]


def __getattr__(name: str):
    """``resettle.CommunityModel`` on first use: importing the model (Mesa, networkx, numba)
    takes about a second, which a command that only hands jobs to worker processes, or only
    reads results, need not pay."""
    if name == "CommunityModel":
        from resettle.sim.model import CommunityModel
        return CommunityModel
    raise AttributeError(f"module 'resettle' has no attribute {name!r}")
