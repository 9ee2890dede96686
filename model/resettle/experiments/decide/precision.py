"""``resettle decide --precision H``: a study's replications in rounds, by the rule of
:mod:`resettle.experiments.precision` (Chow & Robbins 1965), until every Monte-Carlo 95%
half-width of a regret in ``regret.csv`` is at most H: each policy in each world, on each
metric and the combined score, the world's best policy left out (its regret is 0 in every
replication, by construction, so its half-width of 0 says nothing about noise).

The study's sweep is planned at the most N (``--max-reps``): its ``spec.toml`` and
``sweep.json`` say so once and for all. Seeds are spawned by index, so a round of N runs the
first N replications of every policy and world (keys ``p…-s…-r…`` below N) and the next
round runs only those it adds; the tables at the N where the rounds stop are those of a plain
study whose spec has ``replications = N``. The spec's own ``replications`` is not used: the
first round is ``--min-reps``, the same option, default and meaning as ``compare``'s.

``precision.json`` in the study's directory holds the target, the bounds and every round done
(N, the widest half-width and where it is), written when the directory is made and after
each round; a resumed study reads them and goes on from the last round, so an interrupted
study ends with the tables an uninterrupted one writes. ``precision.csv`` is the same rounds
as a table. The half-widths are replication noise only, not the spread over the worlds.
"""

from __future__ import annotations

import dataclasses
import json
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from resettle.errors import SweepError
from resettle.experiments.decide.spec import DecideSpec
from resettle.experiments.decide.study import noisy_regret
from resettle.experiments.precision import reached
from resettle.experiments.sweep.runner import write_file
from resettle.experiments.sweep.spec import SweepSpec

PRECISION_FILE = "precision.json"  # the target, bounds and rounds (a resume reads it)


@dataclass
class Rounds:
    """``--precision``'s target and bounds, and the rounds done: per round its N
    (``replications``), ``widest_halfwidth`` and where that is (policy, world, metric)."""

    target: float
    least: int
    most: int
    done: list[dict] = field(default_factory=list)

    @property
    def pairs(self) -> list[tuple[int, float]]:
        """(N, widest half-width) of each round done."""
        return [(r["replications"], r["widest_halfwidth"]) for r in self.done]

    @property
    def final(self) -> int:
        """The last round's N."""
        return self.done[-1]["replications"]

    @property
    def reached(self) -> bool:
        """Whether the last round met the target."""
        return reached(self.pairs, self.target)

    def options(self) -> str:
        """The options as typed: ``--precision H --min-reps L --max-reps M``."""
        return f"--precision {self.target:g} --min-reps {self.least} --max-reps {self.most}"

    def to_json(self) -> str:
        """``precision.json``'s text."""
        return json.dumps({"target": self.target, "min_reps": self.least,
                           "max_reps": self.most, "rounds": self.done}, indent=2) + "\n"

    def table(self) -> pd.DataFrame:
        """``precision.csv``: one row per round."""
        table = pd.DataFrame(self.done, columns=["replications", "widest_halfwidth", "policy",
                                                 "world", "metric"])
        table.insert(0, "round", range(1, len(table) + 1))
        table["target"] = self.target
        table["met"] = table["widest_halfwidth"] <= self.target
        return table


def with_replications(sweep: SweepSpec, n: int) -> SweepSpec:
    """``sweep`` with ``n`` replications (its kept tables too, as spec.toml shows them)."""
    raw = {**sweep.raw, "sweep": {**sweep.raw["sweep"], "replications": n}}
    return dataclasses.replace(sweep, replications=n, raw=raw)


def at_replications(spec: DecideSpec, n: int) -> DecideSpec:
    """``spec`` as a plain study of ``n`` replications: what a round of N is evaluated with."""
    return dataclasses.replace(spec, sweep=with_replications(spec.sweep, n))


def widest(regret: pd.DataFrame) -> dict:
    """The widest half-width of ``regret.csv``'s rows (the world's best policy left out, NaN
    half-widths too) and where it is; 0 where no row is left (one policy)."""
    rows = noisy_regret(regret).dropna(subset=["halfwidth"])
    if rows.empty:
        return {"widest_halfwidth": 0.0, "policy": "", "world": -1, "metric": ""}
    top = rows.loc[rows["halfwidth"].idxmax()]
    return {"widest_halfwidth": float(top["halfwidth"]), "policy": str(top["policy"]),
            "world": int(top["world"]), "metric": str(top["metric"])}


def record_round(out: Path, rounds: Rounds, n: int, regret: pd.DataFrame) -> None:
    """Add the round of ``n`` replications (its ``regret.csv`` table) to ``rounds`` and to
    ``out/precision.json``."""
    rounds.done.append({"replications": n, **widest(regret)})
    write_file(out / PRECISION_FILE, lambda p: p.write_text(rounds.to_json(), "utf-8"))


def read_rounds(out: Path) -> Rounds | None:
    """The rounds recorded in the study directory ``out`` (None: not a --precision study)."""
    path = out / PRECISION_FILE
    if not path.is_file():
        return None
    try:
        record = json.loads(path.read_text("utf-8"))
        return Rounds(float(record["target"]), int(record["min_reps"]),
                      int(record["max_reps"]), list(record["rounds"]))
    except (OSError, ValueError, KeyError, TypeError) as err:
        raise SweepError(f"{path}: not readable ({type(err).__name__}); the study directory "
                         "is damaged") from None


def resumed_rounds(out: Path, given: Rounds | None) -> Rounds | None:
    """The rounds a resumed study goes on with: those recorded in ``out``; options given on
    the command line (``given``) must be the recorded ones."""
    stored = read_rounds(out)
    if given is None:
        return stored
    if stored is None:
        raise SweepError(f"--precision: {out} was started without --precision; continue it "
                         f"with 'resettle decide --resume {out}', or start a new study")
    if (given.target, given.least, given.most) != (stored.target, stored.least, stored.most):
        raise SweepError(f"{given.options()}: {out} was started with {stored.options()}; "
                         f"continue it with those, or with 'resettle decide --resume {out}'")
    return stored
