"""A community cadre: ages, may be trained, retires; competence follows schooling and training."""

from __future__ import annotations

import mesa


class Cadre(mesa.Agent):
    """One cadre (village secretary, former village head, committee member, dispatched cadre)."""

    def __init__(self, model: mesa.Model, age: float, schooling: int, competence: float,
                 role: str, dispatched: bool = False, skill: str = "service") -> None:
        super().__init__(model)
        self.age = age
        self.schooling = schooling
        self.competence = competence
        self.role = role
        self.dispatched = dispatched
        self.skill = skill  # "business" (placed with the cooperatives) or "service" (§4)
        self.trainings = 0

    @property
    def post(self) -> str:
        """Where 'retain some' places the cadre (§4): business skills with the cooperatives,
        management and service skills (and the dispatched secretary) with the community."""
        return "cooperative" if self.skill == "business" and not self.dispatched else \
            "community"

    def age_one_month(self) -> None:
        """Grow a month older."""
        self.age += 1.0 / 12.0

    def train(self, gain: float) -> None:
        """Study visit or temporary post elsewhere (BRIEF §4 'train some')."""
        self.competence = min(1.0, self.competence + gain)
        self.trainings += 1

    def due_to_retire(self, retire_age: float) -> bool:
        """'Retire some': a local cadre reaching the retirement age leaves. (The dispatched
        secretary is not retired by age; it returns to the town when leadership is elected.)"""
        return self.age >= retire_age
