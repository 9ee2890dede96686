"""Declaring parameters: every field carries its unit, its source, its valid domain and its
plausible range.

A parameter section is a frozen dataclass whose fields are made with :func:`param`. Two ranges
are declared, and they do different jobs:

- the **valid domain** (``low``/``high``, or ``choices``): what makes sense at all (a share in
  [0, 1], a count >= 1, an age in [0, 120]). A scenario may set any value in it; validation
  (type, domain, choices) runs in ``__post_init__`` so an invalid object cannot exist, whether
  it came from a TOML file, ``dataclasses.replace`` or a notebook.
- the **plausible range** (``plausible=(lo, hi)``): what sweeps and ensembles of worlds sample
  by default. For the community it is what is plausible for Dongyu; for levers and
  uncertainties, what the study or the literature supports. A value outside it but inside the
  valid domain is accepted.

:func:`param` checks the declaration itself when the section classes are defined: the
plausible range lies inside the valid domain, the default inside the plausible range (every
element of a tuple), and a parameter whose source is an assumption has a plausible range or
choices.
"""

from __future__ import annotations

import dataclasses
import difflib
import math
import numbers
import unicodedata
from dataclasses import field, fields
from typing import Any

import numpy as np

from resettle.errors import ScenarioError

ASSUMPTION = "assumption"
MAX_NAME_LENGTH = 80  # assumption: a name (a village's, a scenario's) is a label, not a text


def param(
    default: Any,
    *,
    unit: str,
    source: str,
    low: float | None = None,
    high: float | None = None,
    plausible: tuple[float, float] | None = None,
    choices: tuple[str, ...] | None = None,
    per_village: bool = False,
    measures: bool = False,
    doc: str = "",
) -> Any:
    """A dataclass field with its unit, source (BRIEF § / paper / ``assumption``), valid
    domain and plausible range.

    ``low``/``high`` bound the valid domain of numbers (and of every element of a tuple;
    None: unbounded on that side); ``choices`` lists the allowed strings. ``plausible`` is the
    ``(lo, hi)`` range sweeps sample by default (for a tuple: the same range for each element).
    ``per_village`` marks a tuple with one value per village: any length (the section checks
    that it matches the villages), each element of the default's type. ``measures`` marks a
    setting of how an outcome is measured (the observer's convention, not a property of the
    community): sweeps may vary it, but a world of ``resettle worlds`` does not sample it. Every
    number needs a
    plausible range (a single value, ``(x, x)``, for a figure the seed gives); a field whose
    source is an assumption must state a plausible range or choices, so sweeps know what they
    may vary. Raises TypeError on a declaration that breaks these rules (a
    programming error, found when the module is imported).
    """
    meta = {"unit": unit, "source": source, "low": low, "high": high,
            "plausible": None if plausible is None else tuple(plausible),
            "choices": choices, "per_village": per_village, "measures": measures, "doc": doc}
    check_declaration(default, meta)
    if isinstance(default, tuple):
        return field(default_factory=lambda: default, metadata=meta)
    return field(default=default, metadata=meta)


def name_problem(name: object) -> str | None:
    """What is wrong with a name (a village's, a scenario's, a sweep's), as advice, or None.
    A name is non-blank text of at most ``MAX_NAME_LENGTH`` characters with no control
    character (no Unicode category C*: newlines, tabs, format and unassigned characters)."""
    if not isinstance(name, str) or not name.strip():
        return "give a non-empty text"
    if any(unicodedata.category(ch).startswith("C") for ch in name):
        return "remove the control characters (newlines, tabs and the like)"
    if len(name) > MAX_NAME_LENGTH:
        return f"use at most {MAX_NAME_LENGTH} characters"
    return None


def shown_name(name: object) -> str:
    """A name as error messages quote it: escaped (one line), long ones cut short."""
    text = repr(name)
    return text if len(text) <= 40 else text[:37] + "..."


def _numbers(value: Any) -> list:
    """The numbers in a default: itself, or each element of a tuple (text and switches skipped)."""
    items = value if isinstance(value, tuple) else (value,)
    return [v for v in items if isinstance(v, int | float) and not isinstance(v, bool)]


def _inside(value: float, low: float | None, high: float | None) -> bool:
    return (low is None or value >= low) and (high is None or value <= high)


def check_declaration(default: Any, meta: dict) -> None:
    """The rules of a declaration (see :func:`param`); TypeError naming the broken rule."""
    low, high = meta["low"], meta["high"]
    where = f"param({default!r}, source={meta['source']!r})"
    if low is not None and high is not None and low > high:
        raise TypeError(f"{where}: valid domain [{low}, {high}] is empty")
    values = _numbers(default)
    if not all(_inside(v, low, high) for v in values):
        raise TypeError(f"{where}: the default lies outside the valid domain")
    if values and meta["plausible"] is None:
        raise TypeError(f"{where}: a number needs a plausible range")
    if meta["plausible"] is not None:
        _check_plausible(where, values, meta)
    if ASSUMPTION in meta["source"].lower() and meta["plausible"] is None \
            and not meta["choices"]:
        raise TypeError(f"{where}: an assumption needs a plausible range or choices")


def _check_plausible(where: str, values: list, meta: dict) -> None:
    """The plausible range: two bounds, in order, inside the valid domain, around the default
    (whole numbers for a whole-number parameter). A single value (lo == hi) is a fact."""
    plausible, low, high = meta["plausible"], meta["low"], meta["high"]
    if not values or len(plausible) != 2:
        raise TypeError(f"{where}: plausible=(lo, hi) is for numbers")
    lo, hi = plausible
    if not lo <= hi:
        raise TypeError(f"{where}: plausible range {plausible} is empty")
    if isinstance(values[0], int) and not all(float(b).is_integer() for b in plausible):
        raise TypeError(f"{where}: the plausible range of a whole number needs whole bounds")
    if not (_inside(lo, low, high) and _inside(hi, low, high)):
        raise TypeError(f"{where}: plausible range {plausible} is not inside the valid "
                        f"domain [{low}, {high}]")
    if not all(lo <= v <= hi for v in values):
        raise TypeError(f"{where}: the default is outside the plausible range {plausible}")


def _bound(value: float) -> str:
    """A bound as messages show it: whole numbers below ten million in full, others by %g."""
    if float(value).is_integer() and abs(value) < 1e7:
        return str(int(value))
    return f"{value:g}"


def describe_range(meta: dict) -> str:
    """Human-readable valid domain of one parameter (what a scenario may set)."""
    if meta["choices"]:
        return "one of " + ", ".join(repr(c) for c in meta["choices"])
    low, high = meta["low"], meta["high"]
    if low is not None and high is not None:
        return f"a value in [{_bound(low)}, {_bound(high)}]"
    if low is not None:
        return f"a value >= {_bound(low)}"
    if high is not None:
        return f"a value <= {_bound(high)}"
    return "any value"


def describe_plausible(meta: dict) -> str:
    """Human-readable plausible range (what sweeps sample by default): ``[lo, hi]``, ``fixed
    at x`` for a figure the seed gives (sweeps vary it only over a range they give), the
    choices, or '—' (text and switches)."""
    if meta["choices"]:
        return "one of " + ", ".join(repr(c) for c in meta["choices"])
    if meta["plausible"] is None:
        return "—"
    lo, hi = meta["plausible"]
    return f"fixed at {_bound(lo)}" if lo == hi else f"[{_bound(lo)}, {_bound(hi)}]"


def _check_type(name: str, value: Any, default: Any, per_village: bool = False) -> Any:
    """Coerce ``value`` to the type of ``default`` or raise ScenarioError (a ``per_village``
    tuple may have any length of one or more)."""
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
        return _check_tuple(name, value, default, per_village)
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


def _check_tuple(name: str, value: Any, default: tuple, per_village: bool) -> tuple:
    if per_village:
        if not isinstance(value, list | tuple) or not value:
            raise ScenarioError(f"{name}: expected a list of one value per village, "
                                f"got {value!r}")
        default = (default[0],) * len(value)
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
    """Base of the frozen parameter sections: validates every field on construction (type,
    valid domain, choices; the plausible range is not enforced)."""

    section_name = ""

    def __post_init__(self) -> None:
        for f in fields(self):
            name = f"[{self.section_name}] {f.name}"
            default = f.default if f.default is not dataclasses.MISSING else f.default_factory()
            value = _check_type(name, getattr(self, f.name), default,
                                f.metadata["per_village"])
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
        """One row per parameter: name, default, unit, source, the valid domain (``valid``
        as text, ``low``/``high`` as bounds), the plausible range (``plausible``,
        ``plausible_low``/``plausible_high``), choices and doc."""
        rows = []
        for f in fields(cls):
            meta = f.metadata
            default = f.default if f.default is not dataclasses.MISSING else f.default_factory()
            lo, hi = meta["plausible"] or (None, None)
            valid = describe_range(meta)
            if isinstance(default, bool):
                valid = "true or false"
            elif isinstance(default, tuple) and isinstance(default[0], str):
                valid = f"distinct names of at most {MAX_NAME_LENGTH} characters"
            rows.append({"section": cls.section_name, "name": f.name, "default": default,
                         "unit": meta["unit"], "source": meta["source"], "valid": valid,
                         "plausible": describe_plausible(meta),
                         "low": meta["low"], "high": meta["high"], "plausible_low": lo,
                         "plausible_high": hi, "choices": meta["choices"], "doc": meta["doc"]})
        return rows


def unknown_key_message(where: str, key: str, known: set[str]) -> str:
    """'unknown key' with the closest known key suggested, as a single line."""
    close = difflib.get_close_matches(key, sorted(known), n=1, cutoff=0.6)
    hint = f"; did you mean '{close[0]}'?" if close else f"; allowed: {', '.join(sorted(known))}"
    shown = key if key.isidentifier() else repr(key)
    return f"{where} {shown}: unknown key{hint}"
