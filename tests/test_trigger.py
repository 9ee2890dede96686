"""A triggered switch (``[switch.when]``, ``resettle.params.switch``): it switches when, and
only when, its signposts have held, and what it then runs is the switch a year would make.

The runs use the 1,200-resident community of the pattern tests (``tests/replications.py``) and
the phased scenario's switch (Scheme 1 with corporatised cooperatives to Scheme 2, phased in
over 24 months), with the year replaced by a trigger.
"""

from __future__ import annotations

import dataclasses
import json

import numpy as np
import pandas as pd
import pytest

import resettle
from cli_helpers import call
from replications import MID, SEEDS, scheme
from resettle.params.conditions import Condition
from resettle.params.switch import Trigger
from resettle.text.labels import metric_label

YEARS = 4
COUNTED = "signposts_held"  # the one column a trigger adds to what a year's switch records


def phased(**kw) -> resettle.Scenario:
    """The phased scenario at the test size over ``YEARS`` years, switched by ``kw``."""
    return scheme("phased", years=YEARS, **{"switch_year": None, **kw})


def table(sc: resettle.Scenario, seed: int) -> pd.DataFrame:
    return resettle.CommunityModel(sc, rng=int(seed)).run().drop(columns=["scenario"])


def switch_month(t: pd.DataFrame) -> int | None:
    """The first month the switch's levers were in force (None: never)."""
    months = t.loc[t["switched"] == 1, "month"]
    return int(months.iloc[0]) if len(months) else None


ALWAYS = (Condition("attitude", at_least=0.0),)  # attitude is never below 0
NEVER = (Condition("attitude", at_least=0.99),)  # possible, but not within a few years


@pytest.mark.parametrize(("earliest", "hold"), [(0, 1), (2, 1), (2, 12)])
def test_a_trigger_met_at_once_switches_at_its_earliest_year(earliest: int, hold: int) -> None:
    by_year = scheme("phased", years=YEARS, switch_year=earliest)
    by_trigger = phased(switch_trigger=Trigger(ALWAYS, hold, earliest))
    for seed in SEEDS[:2]:
        a, b = table(by_year, seed), table(by_trigger, seed)
        assert switch_month(a) == switch_month(b) == 12 * earliest + 1
        pd.testing.assert_frame_equal(a.drop(columns=COUNTED), b.drop(columns=COUNTED))
        assert (b[COUNTED] == b["month"]).all()  # held in every month before this one


def test_a_trigger_that_cannot_be_met_never_switches() -> None:
    never = phased(switch_trigger=Trigger(NEVER, 1, 0))
    unswitched = phased(switch_levers=None)
    for seed in SEEDS[:2]:
        a, b = table(never, seed), table(unswitched, seed)
        assert switch_month(a) is None
        pd.testing.assert_frame_equal(a, b)


def test_a_deadline_switches_when_the_signposts_never_hold() -> None:
    late = phased(switch_trigger=Trigger(NEVER, 1, 1, latest_year=3))
    by_year = scheme("phased", years=YEARS, switch_year=3)
    a, b = table(late, SEEDS[0]), table(by_year, SEEDS[0])
    assert switch_month(a) == 37
    pd.testing.assert_frame_equal(a.drop(columns=COUNTED), b.drop(columns=COUNTED))


# Attitude starts near 0.27 and rises about 0.015 a year under Scheme 1 (ODD §7.8); these
# thresholds are crossed within the horizon, at months that differ with each run's residents.
LAX, STRICT = 0.30, 0.31
N_RUNS = 10


def crossing_runs(threshold: float) -> list[pd.DataFrame]:
    trigger = Trigger((Condition("attitude", at_least=threshold),), hold_months=3,
                      earliest_year=1)
    return [table(phased(switch_trigger=trigger), s) for s in SEEDS[:N_RUNS]]


@pytest.fixture(scope="module")
def lax_and_strict() -> tuple[list[pd.DataFrame], list[pd.DataFrame]]:
    return crossing_runs(LAX), crossing_runs(STRICT)


def first_due(t: pd.DataFrame, threshold: float, hold: int, first: int) -> int | None:
    """The month the rule says the switch comes, recomputed from the table's own attitude."""
    met = (t.set_index("month")["attitude"] >= threshold).to_numpy()
    for month in range(first, len(met)):
        if met[month - hold:month].all():
            return month
    return None


def test_the_switch_month_follows_the_signposts_in_each_run(lax_and_strict) -> None:
    for runs, threshold in zip(lax_and_strict, (LAX, STRICT), strict=True):
        months = [switch_month(t) for t in runs]
        assert months == [first_due(t, threshold, 3, 13) for t in runs]
        assert None not in months
        assert len(set(months)) >= 3, f"the switch month should vary across runs: {months}"


def test_a_stricter_trigger_never_switches_earlier(lax_and_strict) -> None:
    # before either switch the two runs of a seed are the same run, so the signposts agree
    lax = np.array([switch_month(t) for t in lax_and_strict[0]])
    strict = np.array([switch_month(t) for t in lax_and_strict[1]])
    assert (strict >= lax).all()
    assert (strict > lax).sum() >= N_RUNS - 2, (lax, strict)


def test_a_flow_is_not_read_at_month_zero() -> None:
    # the initial row shows stability 1 and no petitions: nothing has happened yet, so a
    # trigger on them cannot fire on it; stability that high is not reached in a few years
    calm = phased(switch_trigger=Trigger((Condition("stability", at_least=0.9999),), 1, 0))
    t = table(calm, SEEDS[0])
    assert t.loc[t["month"] == 0, "stability"].item() == 1.0
    assert switch_month(t) is None and (t["signposts_held"] == 0).all()


def partial_switch_file(make_scenario, extra: str = "") -> resettle.Scenario:
    """Scheme 1 where only the leadership is elected once stability holds two months; the
    cooperatives corporatised in ``extra``'s child file when given."""
    path = make_scenario('[switch]\nearliest_year = 1\nhold_months = 2\n[switch.levers]\n'
                         'leadership = "elected"\n[switch.when]\nstability = { at_least = 0.5 }\n',
                         name="partial", header="horizon_years = 2")
    if extra:
        child = path.with_name("child.toml")
        child.write_text(f'[scenario]\nname = "child"\nextends = "partial.toml"\n{extra}',
                         "utf-8")
        path = child
    return resettle.load_scenario(path).replace(**MID)


def levers_at(sc: resettle.Scenario, month: int) -> resettle.Scenario:
    model = resettle.CommunityModel(sc, rng=int(SEEDS[0]))
    model.run(months=month)
    return model.levers


def test_a_partial_switch_changes_only_its_levers(make_scenario) -> None:
    sc = partial_switch_file(make_scenario)
    assert sc.switch_only == ("leadership",)
    assert sc.switch_trigger == Trigger((Condition("stability", at_least=0.5),), 2, 1)
    assert levers_at(sc, 13) == dataclasses.replace(sc.levers, leadership="elected")


def test_a_partial_switch_keeps_later_changes_to_other_levers(make_scenario) -> None:
    child = partial_switch_file(make_scenario, '[levers]\ncooperative_mode = "corporate"\n')
    after = levers_at(child, 13)
    assert (after.leadership, after.cooperative_mode) == ("elected", "corporate")
    changed = partial_switch_file(make_scenario).replace(local_hiring_share=0.9)
    assert levers_at(changed, 13).local_hiring_share == 0.9


def test_compare_reports_each_replications_switch_month(tmp_path, scenarios_dir) -> None:
    size = "\n".join(f"{k} = {v}" for k, v in MID.items())
    path = tmp_path / "early.toml"
    path.write_text(
        f'[scenario]\nname = "early"\nextends = "{(scenarios_dir / "phased.toml").as_posix()}"\n'
        f'horizon_years = 3\n[community]\n{size}\n[switch]\n'
        f'to = "{(scenarios_dir / "scheme2.toml").as_posix()}"\nearliest_year = 1\n'
        f"hold_months = 3\n[switch.when]\nattitude = {{ at_least = {LAX} }}\n", "utf-8")
    out = tmp_path / "out"
    assert call(["compare", str(path), "--reps", "3", "--seed", "5", "--workers", "1",
                 "--quiet", "--out", str(out)]) == 0
    months = pd.read_csv(out / "switch_months.csv")
    monthly = pd.read_parquet(out / "monthly.parquet")
    first = monthly[monthly["switched"] == 1].groupby("replication")["month"].min()
    assert months["switch_month"].tolist() == first.tolist() and len(months) == 3
    report = (out / "report.md").read_text("utf-8")
    assert "## When the switch came" in report and "switched in 3 of 3 replications" in report
    assert f"switch when {metric_label('attitude')} >= {LAX:g} in each of 3 month(s)" in report
    manifest = json.loads((out / "manifest.json").read_text("utf-8"))
    trigger = manifest["scenarios"][0]["switch_trigger"]
    assert trigger["hold_months"] == 3 and trigger["conditions"][0]["at_least"] == LAX


# The sweep digests of the shipped schemes as a2f6eb1 (before triggers) computed them: a sweep
# started then must still resume (fields added since are left out of the digest at their
# defaults). A change to these scenario files changes them on purpose.
OLD_DIGESTS = {"scheme1": "729665bf01b54730", "scheme2": "c2fd18393220db2e",
               "phased": "5748807ea34535e0"}


def test_sweeps_started_before_triggers_still_resume(scenarios_dir) -> None:
    from resettle.experiments.sweep.spec import _scenario_digest

    for name, digest in OLD_DIGESTS.items():
        scenario = resettle.load_scenario(scenarios_dir / f"{name}.toml")
        assert _scenario_digest(scenario) == digest
        assert _scenario_digest(scenario.replace(maturity_window_months=6)) != digest
    triggered = resettle.load_scenario(scenarios_dir / "triggered.toml")
    assert _scenario_digest(triggered) != _scenario_digest(triggered.replace(switch_trigger=None,
                                                                             switch_year=5))
