"""A decide specification (TOML): policies × plausible worlds × replications, and what the
planner asks of the outcomes::

    [decide]
    name = "when-to-switch"
    worlds = "../../outputs/worlds-dongyu-worlds"  # a finished `resettle worlds` directory
    max_worlds = 50            # optional: its first N plausible worlds (by world id)
    replications = 4           # per policy and world; replication r uses one seed everywhere
    seed = 2026
    horizon_years = 15         # optional: the policy files' (common) horizon otherwise
    metrics = ["fee_collection", "stability", "attitude", "employment", "maturity"]
    weights = { fee_collection = 2, stability = 1 }   # optional: the combined score's
    regret_tolerance = 0.01    # optional (0): a policy fails in a world where its combined
                               # regret is above this, or where it misses a threshold

    [policies]                 # resettle.experiments.decide.policies
    files = ["../scheme1.toml", "../scheme2.toml", "../triggered.toml"]
    switch_years = { base = "../phased.toml", years = [3, 5, 8] }
    [policies.trigger_search]
    base = "../triggered.toml"
    fee_willingness = [0.4, 0.5, 0.6]

    [satisficing]              # optional: thresholds the planner states, on the metrics
    fee_collection = { at_least = 0.85 }
    stability = { at_least = 0.9 }

Metrics are scored at the horizon, as the mean over the replications of each policy in each
world. Each has a direction (:data:`BETTER`): higher is better for shares such as
``fee_collection`` or ``stability``, lower for ``complaints``, ``petitions``, ``evasion``...;
a metric without a plain direction (counts, money, ages, ``scheme_conformity``) is refused.
The **combined score** is the weighted mean of the metrics' scores (a lower-is-better metric
enters with its sign turned), weights as stated; without ``weights`` every metric weighs 1,
and a metric the table leaves out weighs 0. Paths are relative to this file.

The study runs as a sweep (``resettle.experiments.sweep``): its scenarios are the policies,
written out as complete scenario files, and its design points the worlds' parameter values
(design ``points``), so replication r of world w runs with the same seed under every policy
(common random numbers) and the study is resumable. A policy's own value of a parameter the
worlds sample is replaced by the world's. Every problem is one ScenarioError line naming the
file and the key, before anything runs.
"""

from __future__ import annotations

import math
import re
from dataclasses import asdict, dataclass, field
from pathlib import Path

import pandas as pd

from resettle.errors import ResettleError, ScenarioError, SweepError
from resettle.experiments.decide.policies import Policy, policy_path, read_policies
from resettle.experiments.sweep.runner import difference
from resettle.experiments.sweep.spec import Factor, SweepSpec, built_spec, read_spec_file
from resettle.experiments.worlds.ensemble import load_worlds
from resettle.outcomes import COMPARABLE
from resettle.params.catalogue import toml_value
from resettle.params.conditions import Condition, comparable_domains, parse_conditions
from resettle.params.scenario import check_name
from resettle.params.schema import unknown_key_message

DECIDE_FILE = "decide.toml"  # the specification, kept in the study's directory
SECTIONS = {"decide", "policies", "satisficing"}
DECIDE_KEYS = {"name", "worlds", "max_worlds", "replications", "seed", "horizon_years",
               "metrics", "weights", "regret_tolerance"}
HIGHER, LOWER = 1, -1
# The direction a planner prefers each metric in (ODD Appendix B): shares and scores the study
# wants up, and the signs of trouble it wants down.
BETTER = {
    **dict.fromkeys(("attitude", "attitude_under40", "attitude_40_59", "attitude_60plus",
                     "employment", "employment_under40", "employment_prime",
                     "employment_4050", "trained_share", "maturity", "maturity_participation",
                     "maturity_self_government", "maturity_cadres", "maturity_separation",
                     "maturity_democracy", "stability", "service_quality", "turnout",
                     "meeting_attendance", "petitions_resolved", "fee_compliance",
                     "own_fee_share", "fee_collection", "fee_willingness"), HIGHER),
    **dict.fromkeys(("complaints", "grievance", "petitions", "petitions_escalated", "evasion",
                     "arrears", "on_behalf_shortfall"), LOWER),
}
TIMING = "switched"  # kept beside the metrics, every year: when each run switched
DEFAULT_REPLICATIONS, DEFAULT_SEED = 1, 0  # as a sweep's
DEFAULT_TOLERANCE = 0.0  # any regret counts as failing unless the spec says how much may


@dataclass(frozen=True)
class DecideSpec:
    """A validated decide specification, its policies, its worlds and the sweep that runs
    them."""

    name: str
    sweep: SweepSpec
    policies: tuple[Policy, ...]
    worlds_dir: str
    worlds: pd.DataFrame = field(compare=False)  # one row per world (index ``world``)
    metrics: tuple[str, ...] = ()
    weights: tuple[tuple[str, float], ...] = ()
    satisficing: tuple[Condition, ...] = ()
    tolerance: float = DEFAULT_TOLERANCE
    source: str = ""
    raw: dict = field(default_factory=dict, compare=False)  # as kept (decide_toml)

    @property
    def world_ids(self) -> tuple[int, ...]:
        """The worlds compared, in the sweep's point order (point i is world_ids[i])."""
        return tuple(int(w) for w in self.worlds.index)

    @property
    def horizon(self) -> int:
        """The year every metric is scored at."""
        return self.sweep.horizon

    def sign(self, metric: str) -> int:
        """+1 where higher is better, -1 where lower is."""
        return BETTER[metric]

    def fingerprint(self) -> dict:
        """What identifies the study's results: its sweep (policies, worlds' values, seeds),
        the worlds' ids and what the planner asks of the outcomes."""
        return {"sweep": self.sweep.fingerprint(), "worlds": list(self.world_ids),
                "metrics": list(self.metrics), "weights": dict(self.weights),
                "satisficing": [asdict(c) for c in self.satisficing],
                "regret_tolerance": self.tolerance,
                "policies": [[p.name, p.kind, [list(s) for s in p.settings]]
                             for p in self.policies]}


def load_decide_spec(path: str | Path) -> DecideSpec:
    """Read and validate a decide file; errors name the file and the key."""
    path = Path(path)
    return built_spec(path, read_spec_file(path, "decide"), SECTIONS, _build)


def _build(path: Path, raw: dict) -> DecideSpec:
    table = raw.get("decide")
    if not isinstance(table, dict):
        raise ScenarioError("[decide]: missing required section")
    for key in table:
        if key not in DECIDE_KEYS:
            raise ScenarioError(unknown_key_message("[decide]", key, DECIDE_KEYS))
    name = check_name("[decide] name", _text(table, "name"))
    metrics = _metrics(table.get("metrics"))
    weights = _weights(table.get("weights"), metrics)
    satisficing = _satisficing(raw.get("satisficing"), metrics)
    tolerance = _tolerance(table.get("regret_tolerance", DEFAULT_TOLERANCE))
    horizon = _int(table, "horizon_years", 1, None)
    worlds_dir = (path.parent / _text(table, "worlds")).resolve()
    worlds = _worlds(worlds_dir, _int(table, "max_worlds", 1, None))
    policies = read_policies(path, raw.get("policies"), horizon)
    sweep = policy_sweep(name, policies, worlds, _int(table, "replications", 1,
                                                      DEFAULT_REPLICATIONS),
                         _int(table, "seed", 0, DEFAULT_SEED), metrics, str(path))
    return DecideSpec(name, sweep, policies, str(worlds_dir), worlds, metrics, weights,
                      satisficing, tolerance, str(path), kept_tables(path, raw, worlds_dir))


def _text(table: dict, key: str) -> str:
    value = table.get(key)
    if not isinstance(value, str) or not value.strip():
        raise ScenarioError(f"[decide] {key}: missing required key; give a non-empty text")
    return value


def _int(table: dict, key: str, minimum: int, default: int | None) -> int | None:
    value = table.get(key, default)
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int) or value < minimum:
        raise ScenarioError(f"[decide] {key}: {value!r} is not allowed; use a whole number "
                            f">= {minimum}")
    return value


def _metrics(metrics: object) -> tuple[str, ...]:
    if not isinstance(metrics, list) or not metrics or not all(isinstance(m, str)
                                                               for m in metrics):
        raise ScenarioError("[decide] metrics: missing required key; give a list of metrics, "
                            "e.g. [\"fee_collection\", \"stability\"]")
    for metric in metrics:
        if metric in COMPARABLE and metric not in BETTER:
            raise ScenarioError(f"[decide] metrics: {metric} has no plain better direction "
                                "(a count, money, an age or a scheme's label); decide scores "
                                "metrics where higher or lower is plainly better: "
                                + ", ".join(sorted(BETTER)))
        if metric not in BETTER:
            raise ScenarioError(unknown_key_message("[decide] metrics:", metric, set(BETTER)))
    if len(set(metrics)) != len(metrics):
        raise ScenarioError(f"[decide] metrics: {metrics} lists a metric twice")
    return tuple(metrics)


def _weights(weights: object, metrics: tuple[str, ...]) -> tuple[tuple[str, float], ...]:
    """Every metric's weight in the combined score (1 each when not given; 0 for a metric a
    given table leaves out)."""
    if weights is None:
        return tuple((m, 1.0) for m in metrics)
    if not isinstance(weights, dict) or not weights:
        raise ScenarioError("[decide] weights: give a table of metric = weight, e.g. "
                            "{ fee_collection = 2, stability = 1 }")
    for metric, weight in weights.items():
        if metric not in metrics:
            raise ScenarioError(unknown_key_message("[decide] weights", metric, set(metrics))
                                + " (a weight is for one of [decide] metrics)")
        if isinstance(weight, bool) or not isinstance(weight, int | float) \
                or not math.isfinite(weight) or weight < 0:
            raise ScenarioError(f"[decide] weights {metric}: {weight!r} is not allowed; use a "
                                "number >= 0")
    if not any(weights.values()):
        raise ScenarioError("[decide] weights: every weight is 0; give at least one above 0")
    return tuple((m, float(weights.get(m, 0.0))) for m in metrics)


def _satisficing(table: object, metrics: tuple[str, ...]) -> tuple[Condition, ...]:
    if table is None:
        return ()
    if isinstance(table, dict):
        for key in table:
            if key in BETTER and key not in metrics:
                raise ScenarioError(f"[satisficing] {key}: not one of [decide] metrics; add it "
                                    "there to state a threshold on it")
    domains = comparable_domains()
    return parse_conditions("[satisficing]", table, {m: domains[m] for m in metrics})


def _tolerance(value: object) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float) \
            or not math.isfinite(value) or value < 0:
        raise ScenarioError(f"[decide] regret_tolerance: {value!r} is not allowed; use a "
                            "number >= 0 (in units of the combined score)")
    return float(value)


def _worlds(folder: Path, most: int | None) -> pd.DataFrame:
    """The plausible worlds of a worlds directory (the first ``most``)."""
    if not folder.is_dir():
        raise ScenarioError(f"[decide] worlds: {folder}: not found; make it with 'resettle "
                            "worlds SPEC' (e.g. scenarios/worlds/dongyu.toml)")
    try:
        worlds = load_worlds(folder)
    except ResettleError as err:
        raise ScenarioError(f"[decide] worlds: {err}") from None
    if worlds.empty:
        raise ScenarioError(f"[decide] worlds: {folder}: no plausible world (no world passes "
                            "every filter; see its report.md); sample more worlds")
    return worlds.sort_index().iloc[:most]


def policy_sweep(name: str, policies: tuple[Policy, ...], worlds: pd.DataFrame,
                 replications: int, seed: int, metrics: tuple[str, ...],
                 source: str) -> SweepSpec:
    """The sweep that runs every policy in every world: design ``points`` (point i is the
    i-th world), the metrics and ``switched`` kept at the end of every year."""
    horizon = policies[0].scenario.horizon_years
    factors = tuple(Factor(name=str(c), values=tuple(worlds[c].tolist())) for c in worlds)
    kept, years = (*metrics, TIMING), tuple(range(horizon + 1))
    table = {"name": name, "scenarios": [policy_path(i, p) for i, p in enumerate(policies)],
             "design": "points", "samples": len(worlds), "replications": replications,
             "seed": seed, "horizon_years": horizon, "metrics": list(kept),
             "years": list(years)}
    raw = {"sweep": table, "parameters": {f.name: {"values": list(f.values)} for f in factors}}
    return SweepSpec(name, tuple(p.scenario for p in policies), factors, "points",
                     len(worlds), replications, seed, kept, years, source=source, raw=raw)


# ---- the specification kept in the study's directory -------------------------------------
def kept_tables(path: Path, raw: dict, worlds_dir: Path) -> dict:
    """The spec's tables with every path absolute, so that decide.toml stands alone."""
    def absolute(file: object) -> object:
        return str((path.parent / file).resolve()) if isinstance(file, str) else file

    policies = dict(raw.get("policies", {}))
    if isinstance(policies.get("files"), list):
        policies["files"] = [absolute(f) for f in policies["files"]]
    for key in ("switch_years", "trigger_search"):
        if isinstance(policies.get(key), dict):
            policies[key] = {**policies[key], "base": absolute(policies[key].get("base"))}
    return {**raw, "decide": {**raw["decide"], "worlds": str(worlds_dir)},
            "policies": policies}


def decide_toml(spec: DecideSpec) -> str:
    """The specification as TOML (paths absolute), headed by where it was copied from."""
    lines = [f"# copied from {spec.source}"]
    for section, table in spec.raw.items():
        lines += ["", f"[{section}]", *(f"{_key(k)} = {_inline(v)}" for k, v in table.items())]
    return "\n".join(lines) + "\n"


def _key(key: str) -> str:
    return key if re.fullmatch(r"[A-Za-z0-9_-]+", key) else toml_value(key)


def _inline(value: object) -> str:
    if isinstance(value, dict):
        return "{ " + ", ".join(f"{_key(k)} = {_inline(v)}" for k, v in value.items()) + " }"
    return toml_value(value)


def stored_decide(out: Path, given: DecideSpec | None = None) -> DecideSpec:
    """The specification of the study directory ``out``; a ``given`` one must be the same."""
    if not (out / DECIDE_FILE).is_file():
        if (out / "sweep.json").is_file():
            raise SweepError(f"{out}: a sweep directory, not a decide directory (no "
                             f"{DECIDE_FILE})")
        raise SweepError(f"{out}: not a decide directory (no {DECIDE_FILE})")
    stored = load_decide_spec(out / DECIDE_FILE)
    if given is not None and given.fingerprint() != stored.fingerprint():
        raise SweepError(f"{out}: made by a different decide spec: "
                         f"{difference(stored.fingerprint(), given.fingerprint())}")
    return stored
