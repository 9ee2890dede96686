"""The submodels' contract: each function takes the state it acts on (arrays, or the model
for processes that add or remove Mesa agents or move money), its parameters and an ``rng``
(the influence functions take the ``influence`` process's counter-based key and the month
instead: ``Streams.counter_key``); returns its result; draws only from that ``rng`` or key;
and changes nothing but what it declares with :func:`writes`
(``tests/test_submodel_contract.py`` checks every function)."""

from __future__ import annotations

from collections.abc import Callable

WRITES = "writes"  # the attribute that holds a function's declared writes


def writes[F: Callable](*paths: str) -> Callable[[F], F]:
    """Declare what a function changes in place, as paths from its arguments: ``"x"`` (the
    array ``x`` itself), ``"r.employed"`` (a column of the residents ``r``),
    ``"model.ledger"``, ``"model.agents.Cadre"`` (which cadres exist, and their state)."""
    def mark(fn: F) -> F:
        setattr(fn, WRITES, tuple(paths))
        return fn
    return mark


def declared_writes(fn: Callable) -> tuple[str, ...]:
    """What ``fn`` declares it changes (nothing, when it declares nothing)."""
    return getattr(fn, WRITES, ())
