"""resettle: an agent-based simulator of governance schemes for wholesale-resettlement communities.

    >>> import resettle
    >>> model = resettle.CommunityModel(resettle.load_scenario("scenarios/scheme1.toml"), rng=1)
    >>> table = model.run()            # one row per month
"""

__version__ = "0.1.0"

from resettle.errors import ScenarioError
from resettle.model import CommunityModel
from resettle.scenario import Scenario, load_scenario

__all__ = ["CommunityModel", "Scenario", "ScenarioError", "__version__", "load_scenario"]
