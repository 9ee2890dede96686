"""Decisions over plausible worlds (``resettle decide``): the rules of regret and satisficing on
synthetic tables, the policies as scenario files, the points design, and the command end to
end (tables, reports in two languages, the same tables whatever the workers, a resumed run,
refusals of bad specs), and ``--precision``'s rounds (2 policies, 2 worlds, 1 year).

Studies here are tiny: 3 worlds of a 200-resident community (a 1-year worlds ensemble), 7
policies run 2 years, 2 replications. A failure is injected by ``tests/fault_injection.py`` in
a real subprocess; the rest call ``resettle.cli.main`` in-process.
"""

from __future__ import annotations

import dataclasses
import json
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from cli_helpers import call, listing, md_sections, numbers, one_error_line
from resettle.analysis import decision_sensitivity as ds
from resettle.analysis import regret as rg
from resettle.experiments.decide import load_decide_spec
from resettle.experiments.decide.policies import Policy, policy_files
from resettle.experiments.sweep.design import design_points
from resettle.experiments.sweep.runner import run_key
from resettle.experiments.sweep.spec import load_sweep, parse_sweep
from resettle.params.scenario import load_scenario

UNCERTAIN = ["confidence_bound", "fee_base", "community_income_per_year",
             "community_running_cost_per_year"]
SMALL = "[community]\nresidents = 200\nhouseholds = 80\nparty_members = 5\ncadres = 8\n"
TABLES = ("outcomes", "regret", "policies", "trigger_search", "boxes", "worlds", "sensitivity")
POLICIES = ["s1", "s2", "tr", "ph-y00", "ph-y01", "tr-fee_willingness0.2",
            "tr-fee_willingness0.6"]
WORLDS, REPS = 3, 2
EIGHT = 8  # the worlds of the study that estimates which assumptions flip the ranking
WAIT_S = 180  # upper bound for the subprocess (never reached when all is well)


# --------------------------------------------------------------------------------------------
# Synthetic tables: the rules
# --------------------------------------------------------------------------------------------

def table(values: dict[str, list[float]], worlds: list[int] | None = None) -> pd.DataFrame:
    """Scores indexed by (policy, world): ``values`` maps a policy to one score per world."""
    worlds = worlds or list(range(len(next(iter(values.values())))))
    index = pd.MultiIndex.from_product([list(values), worlds], names=rg.INDEX)
    return pd.DataFrame({"score": [v for vs in values.values() for v in vs]}, index=index)


def test_regret_is_zero_for_the_best_policy_in_each_world() -> None:
    rng = np.random.default_rng(3)
    scores = table({f"p{i}": list(rng.normal(size=6)) for i in range(5)})
    regrets = rg.regret(scores)["score"]
    best = rg.best_policy(scores)["score"]
    for world, policy in best.items():
        assert regrets.loc[(policy, world)] == 0.0
        assert scores["score"].loc[(policy, world)] == scores["score"].xs(world, level=1).max()
    assert (regrets >= 0).all()
    assert (regrets.groupby(level="world").min() == 0).all()


def test_max_regret_picks_a_planted_robust_policy() -> None:
    """The planted policy is best in no world but never far from the best: minimax regret
    picks it, although each of the others wins somewhere."""
    scores = table({"a": [1.0, 0.0, 0.5], "b": [0.0, 1.0, 0.5], "c": [0.4, 0.4, 1.0],
                    "planted": [0.8, 0.8, 0.8]})
    regrets = rg.regret(scores)["score"]
    assert rg.least_max_regret(regrets) == "planted"
    assert "planted" not in set(rg.best_policy(scores)["score"])
    worst = rg.max_regret(rg.regret(scores))["score"]
    assert worst.to_dict() == pytest.approx({"a": 1.0, "b": 1.0, "c": 0.6, "planted": 0.2})


def test_ties_go_to_the_policy_listed_first() -> None:
    scores = table({"z": [1.0, 0.0], "a": [0.0, 1.0], "m": [1.0, 0.0]})
    assert rg.least_max_regret(rg.regret(scores)["score"]) == "z"
    assert rg.best_policy(scores)["score"].tolist() == ["z", "a"]


def test_satisficing_shares_and_the_most_satisficing_policy() -> None:
    meets = table({"a": [1, 1, 0, 0], "b": [1, 1, 1, 0], "c": [1, 1, 1, 0]})["score"] \
        .astype(bool)
    assert rg.satisficing_share(meets).to_dict() == {"a": 0.5, "b": 0.75, "c": 0.75}
    regrets = table({"a": [0.0, 0.0, 0.0, 0.0], "b": [0.3, 0, 0, 0], "c": [0.2, 0, 0, 0]})
    assert rg.most_satisficing(meets, regrets["score"]) == "c"  # tie: less maximum regret


def test_paired_halfwidth_is_students_t_over_the_paired_differences() -> None:
    index = pd.MultiIndex.from_product([["a", "b"], [0], [0, 1]],
                                       names=[*rg.INDEX, "replication"])
    runs = pd.DataFrame({"score": [5.0, 7.0, 4.0, 4.0]}, index=index)  # a: 6, b: 4
    best = rg.best_policy(runs.groupby(level=rg.INDEX).mean())
    width = rg.paired_halfwidth(runs, best)["score"]
    assert width.loc[("a", 0)] == 0.0
    assert width.loc[("b", 0)] == pytest.approx(12.7062047 * np.std([1, 3], ddof=1)
                                                 / np.sqrt(2))


def test_spread_is_over_the_worlds() -> None:
    scores = table({"a": [0.0, 1.0, 2.0, 3.0, 4.0]})
    spread = rg.spread(scores)
    assert spread.loc["a", ("mean", "score")] == 2.0
    assert spread.loc["a", ("p10", "score")] == pytest.approx(0.4)
    assert spread.loc["a", ("p90", "score")] == pytest.approx(3.6)


# --------------------------------------------------------------------------------------------
# Policies as scenario files; the points design
# --------------------------------------------------------------------------------------------

def without_files(scenario) -> dict:
    return {k: v for k, v in scenario.to_dict().items() if k not in ("files", "file_hashes")}


PARTIAL = ('[switch]\nyear = 2\n[switch.levers]\nproperty_fee_payer = "households"\n'
           "training_capacity = 40\n")


@pytest.mark.parametrize("name", ["scheme1", "scheme2", "phased", "triggered", "baseline",
                                  "partial"])
def test_a_policy_file_loads_back_as_the_same_scenario(name: str, scenarios_dir: Path,
                                                       tmp_path: Path, make_scenario) -> None:
    scenario = load_scenario(make_scenario(PARTIAL, name) if name == "partial"
                             else scenarios_dir / f"{name}.toml")
    assert (name == "partial") == bool(scenario.switch_only)
    files = policy_files((Policy(scenario),))
    for relative, text in files.items():
        (tmp_path / relative).parent.mkdir(exist_ok=True)
        (tmp_path / relative).write_text(text, "utf-8")
    loaded = load_scenario(tmp_path / next(iter(files)))
    assert without_files(loaded) == without_files(scenario)


def points_spec(tmp_path: Path, scenarios_dir: Path, parameters: str, **sweep: object):
    table = {"name": "pts", "scenarios": [(scenarios_dir / "scheme1.toml").as_posix()],
             "design": "points", "horizon_years": 1, **sweep}
    raw = tomllib.loads("[sweep]\n" + "\n".join(f"{k} = {json.dumps(v)}"
                                                for k, v in table.items()) + parameters)
    return parse_sweep(tmp_path / "s.toml", raw)


def test_a_points_design_runs_the_points_as_given(tmp_path: Path, scenarios_dir: Path) -> None:
    spec = points_spec(tmp_path, scenarios_dir, "\n[parameters.fee_base]\nvalues = [0.1, -2.0, "
                       "0.5]\n[parameters.cadres]\nvalues = [8, 9, 40]\n")
    points = design_points(spec)
    assert spec.samples == 3 and points["point"].tolist() == [0, 1, 2]
    assert points["fee_base"].tolist() == [0.1, -2.0, 0.5]
    assert points["cadres"].tolist() == [8, 9, 40]


@pytest.mark.parametrize(("parameters", "sweep", "words"), [
    ("\n[parameters.fee_base]\nvalues = [0.1, 0.2]\n[parameters.cadres]\nvalues = [8]\n", {},
     ["one value per point", "fee_base 2, cadres 1"]),
    ("\n[parameters.fee_base]\nrange = [0, 1]\n", {}, ["[parameters.fee_base]", "values"]),
    ("\n[parameters.fee_base]\nvalues = [0.1, 0.2]\n", {"samples": 3},
     ["[sweep] samples", "3", "the 2 points"]),
    ("\n[parameters.cadres]\nvalues = [8, 0]\n", {}, ["[parameters.cadres]", "cadres"]),
    ("\n[parameters.cadres]\nvalues = [8, 9.5, 10]\n", {},
     ["[parameters.cadres] values", "9.5", "not a whole number"]),
], ids=["lengths-differ", "a-range", "samples-differ", "out-of-domain", "not-whole"])
def test_a_bad_points_design_is_refused(tmp_path: Path, scenarios_dir: Path, parameters: str,
                                        sweep: dict, words: list[str]) -> None:
    from resettle.errors import ScenarioError

    with pytest.raises(ScenarioError) as caught:
        points_spec(tmp_path, scenarios_dir, parameters, **sweep)
    for word in words:
        assert word in str(caught.value), caught.value


# --------------------------------------------------------------------------------------------
# The study: files, a worlds directory, the command
# --------------------------------------------------------------------------------------------

def scenario_file(folder: Path, name: str, extends: Path, body: str = "") -> Path:
    path = folder / f"{name}.toml"
    path.write_text(f'[scenario]\nname = "{name}"\nextends = "{extends.as_posix()}"\n'
                    f"{SMALL}{body}", "utf-8")
    return path


def trigger_body(scenarios_dir: Path) -> str:
    """A trigger that can come within two years (triggered.toml's waits for year 3)."""
    return (f'[switch]\nto = "{(scenarios_dir / "scheme2.toml").as_posix()}"\n'
            "earliest_year = 0\nhold_months = 2\nphase_months = 6\n"
            "[switch.when]\nfee_willingness = { at_least = 0.3 }\n"
            "stability = { at_least = 0.9 }\n")


DECIDE = {  # the tiny study's tables: section -> key -> value (TOML by json.dumps)
    "decide": {"name": "tiny", "worlds": "worlds", "replications": REPS, "seed": 5,
               "horizon_years": 2,
               "metrics": ["fee_collection", "stability", "attitude", "complaints"],
               "regret_tolerance": 0.005},
    "policies": {"files": ["s1.toml", "s2.toml", "tr.toml"],
                 "switch_years": {"base": "ph.toml", "years": [0, 1]},
                 "trigger_search": {"base": "tr.toml", "fee_willingness": [0.2, 0.6]}},
    "satisficing": {"fee_collection": {"at_least": 0.5}, "stability": {"at_least": 0.9}},
}


def _toml(value: object) -> str:
    if isinstance(value, dict):
        return "{ " + ", ".join(f"{k} = {_toml(v)}" for k, v in value.items()) + " }"
    return json.dumps(value, ensure_ascii=False)


def write_decide(path: Path, changes: dict | None = None) -> Path:
    """The tiny study's spec with ``changes`` (section -> key -> value; None drops a key, a
    section given as None is dropped)."""
    tables = {s: dict(t) for s, t in DECIDE.items()}
    for section, keys in (changes or {}).items():
        if keys is None:
            tables.pop(section, None)
            continue
        tables.setdefault(section, {}).update(keys)
    text = "\n".join(f"[{s}]\n" + "".join(f"{k} = {_toml(v)}\n" for k, v in t.items()
                                          if v is not None)
                     for s, t in tables.items())
    path.write_text(text, "utf-8")
    return path


def decide(spec: Path | None, out: Path | None, *extra: str) -> int:
    """``resettle decide`` in-process (quiet; one local worker unless told otherwise)."""
    argv = ["decide"] + ([str(spec)] if spec else []) + (["--out", str(out)] if out else [])
    if "--workers" not in extra:
        argv += ["--workers", "1"]
    return call([*argv, *extra, "--quiet"])


def tables(out: Path) -> dict[str, bytes]:
    return {name: (out / f"{name}.csv").read_bytes() for name in TABLES}


@pytest.fixture(scope="module")
def root(tmp_path_factory: pytest.TempPathFactory, scenarios_dir: Path) -> Path:
    """A folder with the policies' files and a finished 3-world ensemble (``worlds/``)."""
    folder = tmp_path_factory.mktemp("decide")
    scenario_file(folder, "small", scenarios_dir / "scheme1.toml")
    for name, base in (("s1", "scheme1"), ("s2", "scheme2"), ("ph", "phased")):
        scenario_file(folder, name, scenarios_dir / f"{base}.toml")
    scenario_file(folder, "tr", scenarios_dir / "triggered.toml", trigger_body(scenarios_dir))
    (folder / "worlds.toml").write_text(
        '[worlds]\nname = "tiny"\nscenario = "small.toml"\ndesign = "latin_hypercube"\n'
        f"samples = {WORLDS}\nseed = 11\nreplications = 2\nhorizon_years = 1\n"
        f"uncertain = {json.dumps(UNCERTAIN)}\n[filters.always]\nsource = \"a test\"\n"
        "years = [0, 1]\nattitude = { at_least = 0, at_most = 1 }\n", "utf-8")
    assert call(["worlds", str(folder / "worlds.toml"), "--out", str(folder / "worlds"),
                 "--workers", "1", "--quiet"]) == 0
    return folder


@pytest.fixture(scope="module")
def study(root: Path) -> tuple[Path, Path]:
    """(spec, directory) of the tiny study, on one worker, reports in English and Chinese."""
    spec = write_decide(root / "decide.toml")
    assert decide(spec, root / "out", "--lang", "en,zh") == 0
    return spec, root / "out"


@pytest.fixture(scope="module")
def eight(root: Path) -> tuple[Path, Path]:
    """(spec, directory) of a study of Scheme 1 against Scheme 2 in 8 worlds (1 replication,
    2 years): enough worlds for decide's sensitivity indices."""
    (root / "worlds8.toml").write_text(
        (root / "worlds.toml").read_text("utf-8").replace(f"samples = {WORLDS}\n",
                                                          f"samples = {EIGHT}\n"), "utf-8")
    assert call(["worlds", str(root / "worlds8.toml"), "--out", str(root / "worlds8"),
                 "--workers", "1", "--quiet"]) == 0
    spec = write_decide(root / "eight.toml", {
        "decide": {"name": "eight", "worlds": "worlds8", "replications": 1},
        "policies": {"files": ["s1.toml", "s2.toml"], "switch_years": None,
                     "trigger_search": None}})
    assert decide(spec, root / "out8", "--lang", "en,zh") == 0
    return spec, root / "out8"


def test_the_study_writes_its_tables_and_reports(study: tuple[Path, Path]) -> None:
    _, out = study
    for name in (*(f"{t}.csv" for t in TABLES), "decide.toml", "manifest.json",
                 "results.parquet", "report/report.md", "report/report.html",
                 "report/report.zh.md", "report/report.zh.html", "report/max_regret.png",
                 "report/zh/max_regret.png"):
        assert (out / name).is_file(), name
    names = {p.name for p in (out / "policies").iterdir()}
    assert {n for n in names if not n.endswith(".switch-levers.toml")} == {
        f"{i:02d}-{name}.toml" for i, name in enumerate(POLICIES)}
    assert len(names) == len(POLICIES) + 5  # the levers after every switch but Scheme 1's
    outcomes = pd.read_csv(out / "outcomes.csv")
    assert outcomes["policy"].tolist() == [p for p in POLICIES for _ in range(WORLDS)]
    assert list(outcomes.columns) == ["policy", "world", "fee_collection", "stability",
                                      "attitude", "complaints", "combined", "switched",
                                      "switch_year", "satisfices", "fails"]
    assert outcomes.loc[outcomes["policy"] == "ph-y00", "switch_year"].eq(0).all()
    assert outcomes.loc[outcomes["policy"] == "s1", "switched"].eq(0).all()


def test_outcomes_are_replication_means_at_the_horizon(study: tuple[Path, Path]) -> None:
    _, out = study
    results = pd.read_parquet(out / "results.parquet")
    worlds = pd.read_csv(out / "worlds.csv").set_index("point")["world"]
    at = results[results["year"] == 2].assign(world=lambda f: f["point"].map(worlds))
    means = at.groupby(["scenario", "world"])["stability"].mean()
    outcomes = pd.read_csv(out / "outcomes.csv").set_index(["policy", "world"])
    for (policy, world), value in outcomes["stability"].items():
        assert value == pytest.approx(means.loc[(policy, world)], abs=1e-12)


def test_replication_r_of_a_world_has_one_seed_under_every_policy(
        study: tuple[Path, Path]) -> None:
    _, out = study
    results = pd.read_parquet(out / "results.parquet")
    seeds = results.groupby(["point", "replication"])["seed"].nunique()
    assert (seeds == 1).all()
    assert results.groupby("replication")["seed"].nunique().eq(1).all()
    assert results["scenario"].nunique() == len(POLICIES)


def test_regret_is_zero_for_each_worlds_best_and_the_choice_is_least_max_regret(
        study: tuple[Path, Path]) -> None:
    _, out = study
    regret = pd.read_csv(out / "regret.csv")
    assert (regret["regret"] >= 0).all()
    best = regret[regret["policy"] == regret["best"]]
    assert best["regret"].eq(0).all()
    assert set(best.groupby("metric")["world"].nunique()) == {WORLDS}
    policies = pd.read_csv(out / "policies.csv")
    assert policies["policy"].unique().tolist() == POLICIES
    assert policies["metric"].unique().tolist() == [*DECIDE["decide"]["metrics"], "combined"]
    combined = policies[policies["metric"] == "combined"].set_index("policy")
    manifest = json.loads((out / "manifest.json").read_text("utf-8"))
    assert manifest["recommended"] == combined["max_regret"].idxmin()
    worst = regret[regret["metric"] == "combined"].groupby("policy")["regret"].max()
    assert combined["max_regret"].to_dict() == pytest.approx(worst.to_dict())
    outcomes = pd.read_csv(out / "outcomes.csv")
    shares = outcomes.groupby("policy")["satisfices"].mean()
    assert combined["satisficing"].to_dict() == pytest.approx(shares.to_dict())
    meets = (outcomes["fee_collection"] >= 0.5) & (outcomes["stability"] >= 0.9)
    assert (outcomes["satisfices"] == meets).all()
    fails = ~meets | (outcomes["combined"] - outcomes.groupby("world")["combined"]
                      .transform("max") < -0.005)
    assert (outcomes["fails"] == fails).all()


def test_the_trigger_search_names_its_least_max_regret(study: tuple[Path, Path]) -> None:
    _, out = study
    search = pd.read_csv(out / "trigger_search.csv")
    assert search["policy"].tolist() == POLICIES[-2:]
    assert search["fee_willingness"].tolist() == [0.2, 0.6]
    assert search["best"].sum() == 1
    assert search.loc[search["best"], "max_regret"].iloc[0] == search["max_regret"].min()
    report = (out / "report" / "report.md").read_text("utf-8")
    top = search.loc[search["best"], "policy"].iloc[0]
    assert f"trigger thresholds searched (fee_willingness), {top} has the least" in report


def test_the_report_opens_with_the_recommendation_in_both_languages(
        study: tuple[Path, Path]) -> None:
    _, out = study
    manifest = json.loads((out / "manifest.json").read_text("utf-8"))
    en = md_sections((out / "report" / "report.md").read_text("utf-8"))
    zh = md_sections((out / "report" / "report.zh.md").read_text("utf-8"))
    assert en[1][0] == "Recommendation and its conditions" and zh[1][0] == "建议及其适用条件"
    assert f"Recommended: {manifest['recommended']}." in en[1][1]
    assert "replication noise only" in en[1][1] and "over the plausible worlds" in en[1][1]
    assert numbers(en[1][1]) == numbers(zh[1][1])
    assert [h for h, _ in en] and len(en) == len(zh)
    assert manifest["languages"] == ["en", "zh"]


def test_every_chinese_figure_of_the_study_has_its_glyphs(study: tuple[Path, Path],
                                                          tmp_path: Path) -> None:
    import re
    import warnings

    from resettle.experiments.decide.study import evaluate_decision
    from resettle.reports.decide import decide_document

    spec, out = study
    decision = evaluate_decision(out, load_decide_spec(spec))
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        decide_document(decision, tmp_path, "zh")
    missing = [str(w.message) for w in caught
               if re.search(r"glyph|missing from font", str(w.message), re.I)]
    assert not missing, missing[:3]
    assert {p.name for p in tmp_path.glob("*.png")} == {
        "outcomes.png", "satisficing.png", "max_regret.png", "trigger_search.png"}


def test_results_missing_a_replication_are_refused_not_averaged(study: tuple[Path, Path],
                                                                tmp_path: Path) -> None:
    """A results.parquet that lacks one run at the horizon (a damaged directory: no state of a
    sweep leaves it) is refused in one line instead of averaged over fewer replications."""
    from resettle.errors import SweepError
    from resettle.experiments.decide.study import evaluate_decision

    spec, out = study
    damaged = tmp_path / "damaged"
    damaged.mkdir()
    results = pd.read_parquet(out / "results.parquet")
    results[results["key"] != results["key"].iloc[-1]].to_parquet(damaged / "results.parquet")
    with pytest.raises(SweepError, match=r"results.parquet has \d+ of the study's \d+ runs"):
        evaluate_decision(damaged, load_decide_spec(spec))


def test_boxes_describe_where_a_policy_fails(study: tuple[Path, Path]) -> None:
    _, out = study
    boxes = pd.read_csv(out / "boxes.csv")
    outcomes = pd.read_csv(out / "outcomes.csv")
    failing = outcomes.groupby("policy")["fails"].agg(["sum", "size"])
    some = failing[(failing["sum"] > 0) & (failing["sum"] < failing["size"])].index
    assert set(boxes["policy"]) == set(some)
    assert boxes["coverage"].between(0, 1).all() and boxes["density"].between(0, 1).all()
    worlds = pd.read_csv(out / "worlds.csv")
    for row in boxes.dropna(subset=["low"]).itertuples():
        assert worlds[row.parameter].min() <= row.low <= row.high <= worlds[row.parameter].max()


def test_sensitivity_names_the_assumptions_that_flip_the_ranking(
        eight: tuple[Path, Path]) -> None:
    _, out = eight
    table = pd.read_csv(out / "sensitivity.csv", keep_default_na=False, na_values=[""])
    assert list(table.columns) == ds.COLUMNS
    assert set(table["parameter"]) == {*UNCERTAIN, ds.DUMMY}
    assert table["dummy"].tolist() == [p == ds.DUMMY for p in table["parameter"]]
    assert table["margin_index"].notna().all() and table["margin_floor"].nunique() == 1
    assert table["margin_index"].is_monotonic_decreasing
    assert (table["margin_above"] == (table["margin_index"] > table["margin_floor"])).all()
    manifest = json.loads((out / "manifest.json").read_text("utf-8"))
    outcomes = pd.read_csv(out / "outcomes.csv").set_index(["policy", "world"])["combined"]
    wide = outcomes.unstack("policy")
    margin = wide[manifest["recommended"]] - wide.drop(columns=manifest["recommended"]).max(
        axis=1)
    worlds = pd.read_csv(out / "worlds.csv").set_index("world")
    for row in table[~table["dummy"]].itertuples():
        lower = worlds[row.parameter] <= worlds[row.parameter].median()
        assert row.flips_low == pytest.approx((margin[lower] < 0).mean())
        assert row.flips_high == pytest.approx((margin[~lower] < 0).mean())
    en = dict(md_sections((out / "report" / "report.md").read_text("utf-8")))
    zh = dict(md_sections((out / "report" / "report.zh.md").read_text("utf-8")))
    section = en["Which assumptions flip the ranking"]
    flips = int((margin < 0).sum())
    assert f"is not the best in {flips} of {EIGHT} worlds" in section
    assert "dummy column of random numbers" in section and "need not sum to 1" in section
    assert numbers(section) == numbers(zh["哪些假设会改变策略排序"])


def test_too_few_worlds_for_the_sensitivity_indices_is_said(study: tuple[Path, Path]) -> None:
    _, out = study
    table = pd.read_csv(out / "sensitivity.csv", keep_default_na=False, na_values=[""])
    assert set(table["parameter"]) == {*UNCERTAIN, ds.DUMMY}
    assert table["margin_index"].isna().all() and (table["note"] == ds.NOTES["few"]).all()
    section = dict(md_sections((out / "report" / "report.md").read_text("utf-8")))[
        "Which assumptions flip the ranking"]
    assert f"With {WORLDS} worlds (fewer than {ds.MIN_WORLDS}) there are too few" in section


def test_a_resumed_sensitivity_study_writes_the_same_tables(eight: tuple[Path, Path],
                                                            tmp_path: Path) -> None:
    spec, reference = eight
    out = tmp_path / "again"
    shutil.copytree(reference, out)
    for name in (*(f"{t}.csv" for t in TABLES), "manifest.json"):
        (out / name).unlink()
    shutil.rmtree(out / "report")
    assert decide(spec, None, "--resume", str(out)) == 0
    assert tables(out) == tables(reference)


def test_the_sweep_reads_back_the_policies_it_started_with(study: tuple[Path, Path]) -> None:
    spec, out = study
    assert load_sweep(out / "spec.toml").digest() == load_decide_spec(spec).sweep.digest()
    stored = load_decide_spec(out / "decide.toml")
    assert stored.fingerprint() == load_decide_spec(spec).fingerprint()


def test_two_workers_write_the_same_tables(study: tuple[Path, Path], tmp_path: Path) -> None:
    spec, reference = study
    out = tmp_path / "two"
    assert decide(spec, out, "--workers", "2") == 0
    assert tables(out) == tables(reference)


def test_a_failed_run_is_retried_on_resume_to_the_same_tables(
        study: tuple[Path, Path], tmp_path: Path) -> None:
    spec, reference = study
    out = tmp_path / "failed"
    proc = subprocess.run(
        [sys.executable, str(Path(__file__).parent / "fault_injection.py"), run_key(1, 3, 0),
         "decide", str(spec), "--workers", "1", "--out", str(out), "--quiet"],
        cwd=tmp_path, capture_output=True, text=True, timeout=WAIT_S, check=False)
    assert proc.returncode == 1, proc.stderr
    lines = proc.stderr.splitlines()
    assert len(lines) == 1, proc.stderr
    assert f"'resettle decide --resume {out} --retry-failed'" in lines[0]
    assert not (out / "outcomes.csv").exists() and not (out / "report").exists()
    assert decide(None, None, "--resume", str(out), "--retry-failed") == 0
    assert tables(out) == tables(reference)


def test_an_interrupted_study_resumes_to_the_same_tables(study: tuple[Path, Path],
                                                         tmp_path: Path) -> None:
    """As if killed mid-run: the last shards and every table gone, a shard half-written."""
    spec, reference = study
    out = tmp_path / "killed"
    shutil.copytree(reference, out)
    for name in ("results.parquet", *(f"{t}.csv" for t in TABLES), "manifest.json"):
        (out / name).unlink()
    shutil.rmtree(out / "report")
    shards = sorted((out / "shards").glob("part-*.parquet"))
    whole = shards[-1].read_bytes()
    for shard in shards[len(shards) // 2:]:
        shard.unlink()
    (out / "shards" / "part-0001.parquet").write_bytes(whole[: len(whole) // 2])
    assert decide(spec, None, "--resume", str(out)) == 0
    assert tables(out) == tables(reference)
    assert (out / "report" / "report.md").is_file()


# --------------------------------------------------------------------------------------------
# Refusals: one line, exit 2, nothing written
# --------------------------------------------------------------------------------------------

def unfinished(root: Path, tmp_path: Path) -> str:
    """A copy of the worlds directory without its worlds.csv."""
    shutil.copytree(root / "worlds", tmp_path / "half")
    (tmp_path / "half" / "worlds.csv").unlink()
    return str(tmp_path / "half")


def implausible(root: Path, tmp_path: Path) -> str:
    """A copy of the worlds directory in which no world is plausible."""
    shutil.copytree(root / "worlds", tmp_path / "none")
    worlds = pd.read_csv(tmp_path / "none" / "worlds.csv").assign(plausible=False)
    worlds.to_csv(tmp_path / "none" / "worlds.csv", index=False)
    return str(tmp_path / "none")


def empty(root: Path, tmp_path: Path) -> str:
    """An empty directory."""
    (tmp_path / "empty").mkdir()
    return str(tmp_path / "empty")


def another_world(root: Path, _tmp: Path) -> list[str]:
    """Policy files of which one changes a behavioural constant, not only levers."""
    (root / "odd.toml").write_text('[scenario]\nname = "odd"\nextends = "s1.toml"\n'
                                   "[uncertainties]\nconfidence_bound = 0.3\n", "utf-8")
    return ["s1.toml", "odd.toml"]


BAD_SPECS = [  # (changes, words the error line must contain)
    ({"decide": {"metrics": ["fee_colection"]}},
     ["[decide] metrics: fee_colection", "did you mean 'fee_collection'"]),
    ({"decide": {"metrics": ["residents"]}}, ["[decide] metrics", "residents",
                                              "no plain better direction"]),
    ({"decide": {"replicatons": 2}}, ["[decide] replicatons", "did you mean 'replications'"]),
    ({"decide": {"worlds": "absent"}}, ["[decide] worlds", "absent: not found",
                                        "resettle worlds"]),
    ({"decide": {"worlds": unfinished}}, ["[decide] worlds", "not finished"]),
    ({"decide": {"worlds": implausible}}, ["[decide] worlds", "no plausible world"]),
    ({"decide": {"worlds": empty}}, ["[decide] worlds", "empty: not a worlds directory"]),
    ({"policies": {"files": ["s1.toml", "absent.toml"]}},
     ["[policies] files", "absent.toml", "not found"]),
    ({"policies": {"trigger_search": {"base": "tr.toml", "employment": [0.5]}}},
     ["[policies.trigger_search] employment", "not a signpost of the base's trigger",
      "fee_willingness, stability"]),
    ({"policies": {"trigger_search": {"base": "tr.toml", "fee_willingness": [1.5]}}},
     ["[policies.trigger_search] fee_willingness", "1.5", "[0, 1]"]),
    ({"policies": {"trigger_search": {"base": "s1.toml", "fee_willingness": [0.5]}}},
     ["[policies.trigger_search] base", "no [switch.when] trigger"]),
    ({"policies": {"switch_years": {"base": "ph.toml", "years": [0, 3]}}},
     ["[policies.switch_years] years", "[0, 2]"]),
    ({"policies": {"switch_years": {"base": "tr.toml", "years": [0]}}},
     ["[policies.switch_years] base", "switches on signposts"]),
    ({"policies": {"files": ["s1.toml", "s1.toml"]}}, ["[policies]", "named 's1'"]),
    ({"policies": {"file": ["s1.toml"]}}, ["[policies] file", "did you mean 'files'"]),
    ({"satisficing": {"employment": {"at_least": 0.5}}},
     ["[satisficing] employment", "not one of [decide] metrics"]),
    ({"satisficing": {"stability": {"at_least": 1.2}}}, ["[satisficing] stability", "1.2"]),
    ({"decide": {"weights": {"maturity": 1}}}, ["[decide] weights maturity", "unknown key"]),
    ({"decide": {"weights": {"stability": -1}}}, ["[decide] weights stability", "-1"]),
    ({"decide": {"regret_tolerance": -0.1}}, ["[decide] regret_tolerance", "-0.1"]),
    ({"decide": {"horizon_years": 0}}, ["[decide] horizon_years", "0"]),
    ({"decide": {"name": None}}, ["[decide] name", "missing"]),
    ({"satisfising": {}}, ["section satisfising", "did you mean 'satisficing'"]),
    ({"policies": {"files": another_world}},
     ["[policies]: odd", "[uncertainties] confidence_bound = 0.3", "differ only in their levers"]),
]


@pytest.mark.parametrize(("changes", "words"), BAD_SPECS, ids=[
    "unknown-metric", "metric-without-direction", "unknown-key", "missing-worlds",
    "unfinished-worlds", "no-plausible-world", "not-a-worlds-directory", "policy-not-found",
    "not-a-signpost", "impossible-threshold", "base-without-trigger", "year-beyond-horizon",
    "switch-years-of-a-trigger", "policy-twice", "unknown-policies-key",
    "threshold-on-no-metric", "threshold-out-of-range", "weight-of-no-metric",
    "negative-weight", "negative-tolerance", "zero-horizon", "no-name", "unknown-section",
    "policy-in-another-world"])
def test_bad_spec_is_one_line_and_writes_nothing(root: Path, tmp_path: Path,
                                                 capsys: pytest.CaptureFixture[str],
                                                 changes: dict, words: list[str]) -> None:
    changes = {s: {k: (v(root, tmp_path) if callable(v) else v) for k, v in t.items()}
               for s, t in changes.items()}
    spec = write_decide(root / f"bad-{tmp_path.name}.toml", changes)
    before, outputs = listing(tmp_path), listing(root)
    assert decide(spec, tmp_path / "out") == 2
    line = one_error_line(capsys)
    assert line.startswith(f"resettle: error: {spec}: "), line
    for word in words:
        assert word in line, line
    assert listing(tmp_path) == before and listing(root) == outputs
    spec.unlink()


def test_resume_with_a_different_spec_is_refused(study: tuple[Path, Path], root: Path,
                                                 tmp_path: Path,
                                                 capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "out"
    shutil.copytree(study[1], out)
    before = listing(out)
    other = write_decide(root / "other.toml", {"satisficing": {"stability": {"at_least": 0.8}}})
    assert decide(other, None, "--resume", str(out)) == 2
    line = one_error_line(capsys)
    assert str(out) in line and "different decide spec" in line and "satisficing" in line
    assert listing(out) == before


def test_resume_of_what_is_no_decide_directory(tmp_path: Path, root: Path,
                                               capsys: pytest.CaptureFixture[str]) -> None:
    assert decide(None, None, "--resume", str(tmp_path / "typo")) == 2
    assert "not a decide directory" in one_error_line(capsys)
    assert decide(None, None, "--resume", str(root / "worlds")) == 2
    assert "a sweep directory, not a decide directory" in one_error_line(capsys)
    assert list(tmp_path.iterdir()) == []
    assert call(["decide", "--quiet"]) == 2
    assert "give a SPEC file, or --resume DIR" in one_error_line(capsys)


def test_an_existing_directory_needs_resume(study: tuple[Path, Path], tmp_path: Path,
                                            capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "out"
    shutil.copytree(study[1], out)
    before = listing(tmp_path)
    assert decide(study[0], out) == 2
    line = one_error_line(capsys)
    assert str(out) in line and "--resume" in line
    assert listing(tmp_path) == before


# --------------------------------------------------------------------------------------------
# The shipped specification
# --------------------------------------------------------------------------------------------

def test_the_shipped_spec_loads(scenarios_dir: Path, root: Path, tmp_path: Path) -> None:
    """With the tiny ensemble in place of the Dongyu worlds (which may not be made here)."""
    shipped = scenarios_dir / "decide" / "when_to_switch.toml"
    raw = tomllib.loads(shipped.read_text("utf-8"))
    assert raw["decide"]["worlds"] == "../../outputs/worlds-dongyu-worlds"
    copy = tmp_path / "decide" / "when_to_switch.toml"
    copy.parent.mkdir()
    text = shipped.read_text("utf-8").replace("../../outputs/worlds-dongyu-worlds",
                                              (root / "worlds").as_posix())
    copy.write_text(text.replace('"../', f'"{scenarios_dir.as_posix()}/'), "utf-8")
    spec = load_decide_spec(copy)
    assert [p.name for p in spec.policies] == [
        "scheme1", "scheme2", "triggered", "phased-y03", "phased-y08",
        *(f"triggered-fee_willingness{f}-stability{s}" for f in (0.25, 0.4)
          for s in (0.6, 0.75))]
    assert spec.horizon == 15 and spec.sweep.replications == 2
    assert len(spec.world_ids) == WORLDS  # fewer than max_worlds: all of them
    assert [c.describe() for c in spec.satisficing] == ["fee_collection >= 0.85",
                                                        "stability >= 0.75"]
    grid = spec.policies[-1].scenario.switch_trigger
    assert [c.describe() for c in grid.conditions] == ["fee_willingness >= 0.4",
                                                       "stability >= 0.75"]
    assert dataclasses.replace(grid, conditions=()) == dataclasses.replace(
        spec.policies[2].scenario.switch_trigger, conditions=())


# --------------------------------------------------------------------------------------------
# --precision H: replications in rounds (issue 13, item 5)
# --------------------------------------------------------------------------------------------

PRECISE = {"decide": {"name": "prec", "max_worlds": 2, "horizon_years": 1,
                      "metrics": ["fee_collection", "stability"]},
           "policies": {"files": ["s1.toml", "s2.toml"], "switch_years": None,
                        "trigger_search": None}}
PRECISE_TABLES = ("outcomes", "regret", "policies", "worlds", "boxes", "sensitivity")  # no search
ROUNDS = ["--min-reps", "2", "--max-reps", "5"]


def precise_spec(root: Path, replications: int = REPS) -> Path:
    """Two policies in two worlds over one year: a round of N is 4N one-year runs."""
    changes = {**PRECISE, "decide": {**PRECISE["decide"], "replications": replications}}
    return write_decide(root / f"precise-{replications}.toml", changes)


def precise_tables(out: Path) -> dict[str, bytes]:
    return {name: (out / f"{name}.csv").read_bytes() for name in PRECISE_TABLES}


@pytest.fixture(scope="module")
def rounds_study(root: Path) -> Path:
    """A target no N reaches (1e-9): the rounds run 2, then 5 (the most), and stop there."""
    out = root / "rounds"
    assert decide(precise_spec(root), out, "--precision", "1e-9", *ROUNDS,
                  "--lang", "en,zh") == 0
    return out


def test_the_rounds_grow_by_the_rule_and_stop_at_the_most(rounds_study: Path) -> None:
    from resettle.experiments.precision import next_reps

    rounds = pd.read_csv(rounds_study / "precision.csv")
    assert rounds["round"].tolist() == [1, 2]
    assert rounds["replications"].tolist() == [2, next_reps(2, rounds["widest_halfwidth"][0],
                                                            1e-9, 5)] == [2, 5]
    assert not rounds["met"].any() and (rounds["widest_halfwidth"] > 0).all()
    regret = pd.read_csv(rounds_study / "regret.csv")
    noisy = regret[regret["policy"] != regret["best"]]
    assert rounds["widest_halfwidth"].iloc[-1] == pytest.approx(noisy["halfwidth"].max())
    results = pd.read_parquet(rounds_study / "results.parquet")
    assert sorted(results["replication"].unique()) == [0, 1, 2, 3, 4]
    sessions = json.loads((rounds_study / "sweep.json").read_text("utf-8"))["sessions"]
    assert [s["runs"] for s in sessions] == [2 * 2 * 2, 2 * 2 * 3]  # round 2 reran nothing
    manifest = json.loads((rounds_study / "manifest.json").read_text("utf-8"))
    assert manifest["replications"] == 5 and manifest["precision_target"] == 1e-9
    assert [r["n"] for r in manifest["precision_rounds"]] == [2, 5]
    assert manifest["precision_reps_bounds"] == [2, 5] and not manifest["precision_reached"]
    assert len(manifest["seeds"]) == 5


def test_the_rounds_end_with_the_tables_of_a_plain_study_at_the_final_n(
        rounds_study: Path, root: Path, tmp_path: Path) -> None:
    out = tmp_path / "plain"
    assert decide(precise_spec(root, replications=5), out) == 0
    assert precise_tables(out) == precise_tables(rounds_study)
    pd.testing.assert_frame_equal(pd.read_parquet(out / "results.parquet"),
                                  pd.read_parquet(rounds_study / "results.parquet"))


def test_the_report_states_the_rounds_and_the_rule_in_both_languages(
        rounds_study: Path) -> None:
    en = dict(md_sections((rounds_study / "report" / "report.md").read_text("utf-8")))
    zh = dict(md_sections((rounds_study / "report" / "report.zh.md").read_text("utf-8")))
    section, zh_section = en["Monte-Carlo precision"], zh["蒙特卡洛精度"]
    assert "at most 1e-09, with N between 2 and 5" in section
    assert "N = 2 (widest" in section and "N = 5 (widest" in section
    assert "The target 1e-09 was not reached" in section and "Chow & Robbins 1965" in section
    assert "Monte-Carlo (replication) noise only" in section and "replications = 5" in section
    assert numbers(section) == numbers(zh_section)
    opening = en["Recommendation and its conditions"]
    assert "The target 1e-09 was not reached" in opening and "5 replication(s)" in opening


def test_a_target_met_at_once_is_one_round(root: Path, tmp_path: Path,
                                          capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "once"
    assert call(["decide", str(precise_spec(root)), "--out", str(out), "--workers", "1",
                 "--precision", "100", "--min-reps", "2"]) == 0  # not quiet: the round's line
    said = [line for line in capsys.readouterr().err.splitlines() if "precision round" in line]
    assert len(said) == 1 and said[0].startswith("precision round 1: N = 2, widest 95% ")
    assert said[0].endswith("(target 100; Monte-Carlo noise only): target reached")
    rounds = pd.read_csv(out / "precision.csv")
    assert rounds["replications"].tolist() == [2] and rounds["met"].all()
    assert "The target was reached at N = 2." in (out / "report" / "report.md").read_text(
        "utf-8")


def test_an_interrupted_precision_study_resumes_to_the_same_tables(
        rounds_study: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """As if killed in round 2: its record, its last shard and every table gone."""
    out = tmp_path / "killed"
    shutil.copytree(rounds_study, out)
    record = json.loads((out / "precision.json").read_text("utf-8"))
    (out / "precision.json").write_text(json.dumps({**record, "rounds": record["rounds"][:1]}),
                                        "utf-8")
    for name in ("results.parquet", "precision.csv", *(f"{t}.csv" for t in PRECISE_TABLES),
                 "trigger_search.csv", "manifest.json"):
        (out / name).unlink()
    shutil.rmtree(out / "report")
    max(sorted((out / "shards").glob("part-*.parquet"))).unlink()
    before = listing(out)
    assert decide(None, None, "--resume", str(out), "--precision", "0.5", *ROUNDS) == 2
    line = one_error_line(capsys)
    assert "--precision 0.5 --min-reps 2 --max-reps 5" in line
    assert "was started with --precision 1e-09 --min-reps 2 --max-reps 5" in line
    assert listing(out) == before
    assert decide(None, None, "--resume", str(out)) == 0
    sessions = json.loads((out / "sweep.json").read_text("utf-8"))["sessions"]
    assert 0 < sessions[-1]["runs"] <= 2 * 2 * 3  # only what the lost shard held
    assert precise_tables(out) == precise_tables(rounds_study)
    assert (out / "precision.csv").read_bytes() == (rounds_study / "precision.csv").read_bytes()


def test_precision_on_resume_of_a_plain_study_is_refused(
        study: tuple[Path, Path], tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "out"
    shutil.copytree(study[1], out)
    before = listing(out)
    assert decide(None, None, "--resume", str(out), "--precision", "0.01") == 2
    assert "was started without --precision" in one_error_line(capsys)
    assert listing(out) == before


@pytest.mark.parametrize(("extra", "words"), [
    (["--precision", "0.01", "--min-reps", "20", "--max-reps", "10"], "--max-reps 10"),
    (["--precision", "0"], "must be a number > 0"),
    (["--precision", "inf"], "must be a number > 0"),
    (["--precision", "x"], "expected a number"),
    (["--min-reps", "5"], "only with --precision"),
    (["--max-reps", "50"], "only with --precision"),
    (["--precision", "0.01", "--max-reps", "100000"], "--max-reps: 400,000 runs exceed"),
], ids=["min-above-max", "zero", "inf", "not-a-number", "min-alone", "max-alone", "too-many"])
def test_bad_precision_options_are_one_line_and_write_nothing(
        extra: list[str], words: str, root: Path, tmp_path: Path,
        capsys: pytest.CaptureFixture[str]) -> None:
    spec = precise_spec(root)
    before = listing(tmp_path)
    assert decide(spec, tmp_path / "out", *extra) == 2
    assert words in one_error_line(capsys)
    assert listing(tmp_path) == before
