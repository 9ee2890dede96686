"""A mass organisation founded in the community (BRIEF §4): women's congress, elderly
association, trade union or youth-league branch."""

from __future__ import annotations

import mesa

KINDS = ("women's congress", "elderly association", "trade union", "youth league")


class MassOrganisation(mesa.Agent):
    """One mass organisation and when it was founded."""

    def __init__(self, model: mesa.Model, kind: str, founded_month: int) -> None:
        super().__init__(model)
        self.kind = kind
        self.founded_month = founded_month
