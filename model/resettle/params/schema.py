"""Declaring parameters: every field carries its unit, its source and its allowed range.

A parameter section is a frozen dataclass whose fields are made with :func:`param`.
Validation (type, range, choices) runs in ``__post_init__`` so an invalid object cannot exist,
whether it came from a TOML file, ``dataclasses.replace`` or a notebook.
"""

from __future__ import annotations

import dataclasses
import difflib
import math
import numbers
from dataclasses import field, fields
from typing import Any

import numpy as np

from resettle.errors import ScenarioError

ASSUMPTION = "assumption"


def param(
    default: Any,
    *,
    unit: str,
    source: str,
    low: float | None = None,
    high: float | None = None,
    choices: tuple[str, ...] | None = None,
    doc: str = "",
) -> Any:
    """A dataclass field with its unit, source (BRIEF § / paper / ``assumption``) and range.

    ``low``/``high`` bound numbers (and every element of a tuple); ``choices`` lists the
    allowed strings. A field whose source is an assumption must state a range or choices,
    so sweeps know what they may vary.
    """
    meta = {"unit": unit, "source": source, "low": low, "high": high,
            "choices": choices, "doc": doc}
    if isinstance(default, tuple):
        return field(default_factory=lambda: default, metadata=meta)
    return field(default=default, metadata=meta)


def describe_range(meta: dict) -> str:
    """Human-readable allowed values of one parameter."""
    if meta["choices"]:
        return "one of " + ", ".join(repr(c) for c in meta["choices"])
    low, high = meta["low"], meta["high"]
    if low is not None and high is not None:
        return f"a value in [{low:g}, {high:g}]"
    if low is not None:
        return f"a value >= {low:g}"
    if high is not None:
        return f"a value <= {high:g}"
    return "any value"


def _check_type(name: str, value: Any, default: Any) -> Any:
    """Coerce ``value`` to the type of ``default`` or raise ScenarioError."""
    if isinstance(default, bool):
        value = bool(value) if isinstance(value, np.bool_) else value
        if not isinstance(value, bool):
            raise ScenarioError(f"{name}: expected true or false, got {value!r}")
        return value
    if isinstance(default, int | float):
        return _check_number(name, value, default)
    if isinstance(default, str):
        if not isinstance(value, str):
            raise ScenarioError(f"{name}: expected text, got {value!r}")
        return value
    if isinstance(default, tuple):
        return _check_tuple(name, value, default)
    raise TypeError(f"unsupported parameter type for {name}")  # programming error


def _check_number(name: str, value: Any, default: int | float) -> int | float:
    """Whole numbers for int parameters; any finite number (as float) for float ones.
    numpy scalars are accepted and converted to Python numbers; booleans are not numbers."""
    if isinstance(value, bool | np.bool_) or not isinstance(value, numbers.Real):
        kind = "a whole number" if isinstance(default, int) else "a number"
        raise ScenarioError(f"{name}: expected {kind}, got {value!r}")
    if isinstance(default, int) and not isinstance(value, numbers.Integral):
        raise ScenarioError(f"{name}: expected a whole number, got {value!r}")
    if not math.isfinite(value):
        raise ScenarioError(f"{name}: expected a finite number, got {value!r}")
    return int(value) if isinstance(default, int) else float(value)


def _check_tuple(name: str, value: Any, default: tuple) -> tuple:
    if not isinstance(value, list | tuple) or len(value) != len(default):
        raise ScenarioError(f"{name}: expected a list of {len(default)} values, got {value!r}")
    pairs = enumerate(zip(value, default, strict=True))
    return tuple(_check_type(f"{name}[{i}]", v, d) for i, (v, d) in pairs)


def _check_range(name: str, value: Any, meta: dict) -> None:
    if meta["choices"] and value not in meta["choices"]:
        raise ScenarioError(f"{name}: {value!r} is not allowed; use {describe_range(meta)}")
    items = value if isinstance(value, tuple) else (value,)
    for item in items:
        if isinstance(item, str | bool):
            continue
        too_low = meta["low"] is not None and item < meta["low"]
        too_high = meta["high"] is not None and item > meta["high"]
        if too_low or too_high:
            raise ScenarioError(f"{name}: {item!r} is out of range; use {describe_range(meta)}")


class Section:
    """Base of the frozen parameter sections: validates every field on construction."""

    section_name = ""

    def __post_init__(self) -> None:
        for f in fields(self):
            name = f"[{self.section_name}] {f.name}"
            default = f.default if f.default is not dataclasses.MISSING else f.default_factory()
            value = _check_type(name, getattr(self, f.name), default)
            _check_range(name, value, f.metadata)
            object.__setattr__(self, f.name, value)
        self.check()

    def check(self) -> None:
        """Cross-field checks; sections override this."""

    @classmethod
    def from_mapping(cls, data: dict, base: Section | None = None) -> Section:
        """Build from a TOML table, starting from ``base`` (or the defaults)."""
        known = {f.name for f in fields(cls)}
        for key in data:
            if key not in known:
                raise ScenarioError(unknown_key_message(f"[{cls.section_name}]", key, known))
        start = dataclasses.asdict(base) if base is not None else {}
        return cls(**{**start, **data})

    @classmethod
    def catalogue(cls) -> list[dict]:
        """One row per parameter: name, default, unit, source, range, doc."""
        rows = []
        for f in fields(cls):
            default = f.default if f.default is not dataclasses.MISSING else f.default_factory()
            rows.append({"section": cls.section_name, "name": f.name, "default": default,
                         "unit": f.metadata["unit"], "source": f.metadata["source"],
                         "range": describe_range(f.metadata), "low": f.metadata["low"],
                         "high": f.metadata["high"], "choices": f.metadata["choices"],
                         "doc": f.metadata["doc"]})
        return rows


def unknown_key_message(where: str, key: str, known: set[str]) -> str:
    """'unknown key' with the closest known key suggested, as a single line."""
    close = difflib.get_close_matches(key, sorted(known), n=1, cutoff=0.6)
    hint = f"; did you mean '{close[0]}'?" if close else f"; allowed: {', '.join(sorted(known))}"
    shown = key if key.isidentifier() else repr(key)
    return f"{where} {shown}: unknown key{hint}"
