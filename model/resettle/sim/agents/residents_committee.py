"""The residents' committee (居委会): takes over the management committee's administrative role,
elected by the residents' (owners') representative congress, chaired by the general-branch
secretary ('one shoulder', BRIEF §4)."""

from __future__ import annotations

import mesa

from resettle.sim.ledger import COMMUNITY


class ResidentsCommittee(mesa.Agent):
    """The community's self-government body; funded by community business and fees."""

    account = COMMUNITY  # its ledger account

    def __init__(self, model: mesa.Model, founded_month: int) -> None:
        super().__init__(model)
        self.founded_month = founded_month
        self.elections_due = 0
        self.elections_on_time = 0
        self.elections_contested = 0
        self.last_election_month = founded_month
        self.last_turnout = 0.0  # of the representatives' congress's last election
        self.residents_groups = False  # replacing the villagers' committees (§4)
