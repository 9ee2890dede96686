"""Agents as views on the model's arrays: a field of a Mesa agent that reads one entry of an
array held by the model (``model.people`` or ``model.homes``) at the agent's ``index``."""

from __future__ import annotations

from collections.abc import Callable


class ArrayField:
    """Read-only attribute: ``cast(model.<table>.<column>[agent.index])``."""

    def __init__(self, table: str, column: str, cast: Callable, doc: str) -> None:
        self.table, self.column, self.cast, self.__doc__ = table, column, cast, doc

    def __get__(self, agent, owner=None):
        if agent is None:
            return self
        return self.cast(getattr(getattr(agent.model, self.table), self.column)[agent.index])

    def __set__(self, agent, value) -> None:
        raise AttributeError(f"{type(agent).__name__}.{self.column} is read from the model's "
                             f"arrays (model.{self.table}.{self.column}); it cannot be set")
