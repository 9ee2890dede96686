"""Write the planners' notebooks (without outputs): `python tools/make_notebooks.py`."""

from pathlib import Path

import nbformat
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

ROOT = Path(__file__).resolve().parents[1]

COMPARE = [
    new_markdown_cell("""# Comparing the schemes: a planner's walk-through

This notebook answers the planners' question — *which scheme, and when do we switch?* — with
numbers and their uncertainty. It runs the Dongyu community (4 villages, 1,750 households)
under the study's two schemes and variations you choose, many times each, and reads the
differences with 95% confidence intervals.

* **Scheme 1** (transitional, BRIEF §4): village party branches kept, the village collectives
  pay residents' property fees, the general branch appointed from above.
* **Scheme 2** (normative, BRIEF §5): branches by apartment building, cooperatives run as
  companies, an independent property company paid by the owners, elected leadership.

You do not need to know Python: change the values in the cells marked **✏️ change me** and run
the notebook from top to bottom (*Run → Run All Cells*)."""),
    new_code_cell("""import os
import tempfile
from pathlib import Path

from IPython.display import Image, Markdown, display

import resettle
from resettle.experiments.compare import run_comparison
from resettle.reports.compare import milestone_table, precision_paragraph, summary_sentences
from resettle.reports.figures import metric_over_time, paired_differences

SCENARIOS = Path("..") / "scenarios"
FIGURES = Path(tempfile.mkdtemp(prefix="resettle-notebook-"))
# Replications per scenario: 100 for decisions; the tests run this notebook with fewer.
REPS = int(os.environ.get("RESETTLE_NOTEBOOK_REPS", 40))
HORIZON = int(os.environ.get("RESETTLE_NOTEBOOK_YEARS", 15))"""),
    new_markdown_cell("""## 1. The scenarios

Each scheme is a file of *levers* — the choices a planner makes. Here they are side by side."""),
    new_code_cell("""scheme1 = resettle.load_scenario(SCENARIOS / "scheme1.toml").replace(horizon_years=HORIZON)
scheme2 = resettle.load_scenario(SCENARIOS / "scheme2.toml").replace(horizon_years=HORIZON)
import dataclasses
import pandas as pd
levers = pd.DataFrame({"Scheme 1": dataclasses.asdict(scheme1.levers),
                       "Scheme 2": dataclasses.asdict(scheme2.levers)})
levers[levers["Scheme 1"] != levers["Scheme 2"]]"""),
    new_markdown_cell("""## 2. ✏️ change me: your variations

* **Who pays the property fee?** What if, under Scheme 1, households paid their own property
  fee (`"households"`) instead of the village collective (`"collective"`)?
* **When to switch?** Scheme 1 first, then Scheme 2 after `SWITCH_AFTER_YEAR` years (the study
  says "when conditions are mature")."""),
    new_code_cell("""FEE_PAYER = "households"      # "collective" or "households"
SWITCH_AFTER_YEAR = min(3, HORIZON)  # 0 = Scheme 2 from the start

variant = scheme1.replace(name="scheme1, households pay", property_fee_payer=FEE_PAYER)
phased = resettle.load_scenario(SCENARIOS / "phased.toml").replace(
    horizon_years=HORIZON, switch_year=SWITCH_AFTER_YEAR,
    name=f"switch after year {SWITCH_AFTER_YEAR}")
scenarios = [scheme1, variant, phased, scheme2]
[s.name for s in scenarios]"""),
    new_markdown_cell("""## 3. Run

Every scenario runs `REPS` times. Replication *i* of every scenario uses the same random seed,
so the differences between scenarios are paired and precise."""),
    new_code_cell("""comparison = run_comparison(scenarios, reps=REPS, seed=2026, progress=False)
print(f"{len(comparison.monthly):,} monthly rows from {REPS} replications x "
      f"{len(scenarios)} scenarios in {comparison.seconds:.1f} s")"""),
    new_markdown_cell("""## 4. What the numbers say

Generated from the results; each difference is against the first scenario (Scheme 1)."""),
    new_code_cell("""display(Markdown("\\n".join("* " + s for s in summary_sentences(
    comparison.summary, comparison.early, comparison.baseline))))"""),
    new_markdown_cell("""## 5. The figures

Organisational maturity over the years (line: median; shading: the middle 50% and 90% of
replications), and the paired difference in stability against Scheme 1 — reforms that
outrun residents' readiness show up as dips."""),
    new_code_cell("""display(Image(filename=metric_over_time(comparison.monthly, "maturity",
                                       FIGURES / "maturity.png")))
display(Image(filename=paired_differences(comparison.monthly, "stability", comparison.baseline,
                                          FIGURES / "stability_diff.png")))"""),
    new_markdown_cell("""## 6. The paired table

Fee collection (all fees due that get paid, by anyone) at the milestone years: each
scenario's mean with its 95% CI, the paired difference against Scheme 1 with its CI, the
Wilcoxon test and the effect size."""),
    new_code_cell("""milestone_table(comparison, "fee_collection")"""),
    new_markdown_cell("""## 7. Is it precise enough?"""),
    new_code_cell("""print(precision_paragraph(comparison))"""),
    new_markdown_cell("""For a report to decision-makers, run the same comparison from the command line, which
writes a full report with every assumption used:

```bash
resettle compare scenarios/scheme1.toml scenarios/scheme2.toml scenarios/phased.toml
resettle switch-year scenarios/phased.toml
```"""),
    new_markdown_cell("""## 8. Explore it live

The dashboard below runs one replication month by month: pick a scheme and levers in the sidebar,
press Reset to apply them, then Step or ▶. `dashboard(lang="zh")` shows it in Chinese;
`resettle dashboard` serves the same page in a browser tab."""),
    new_code_cell("""from resettle.app import dashboard

dashboard(lang="en")"""),
]


SWEEP_SETUP = new_code_cell("""import os
import tempfile
from pathlib import Path

import matplotlib.pyplot as plt
from IPython.display import Image, display

from resettle.experiments.sweep.analyse import analyse_sweep
from resettle.experiments.sweep.runner import sweep_file

# A finished sweep to read: RESETTLE_NOTEBOOK_SWEEP, or a small one run here.
SPEC_TEMPLATE = Path("..") / "scenarios" / "sweeps" / "{spec}"
SAMPLES = int(os.environ.get("RESETTLE_NOTEBOOK_SAMPLES", {samples}))
YEARS = int(os.environ.get("RESETTLE_NOTEBOOK_YEARS", 15))
sweep_dir = os.environ.get("RESETTLE_NOTEBOOK_SWEEP")
if sweep_dir is None:
    work = Path(tempfile.mkdtemp(prefix="resettle-sweep-"))
    text = SPEC_TEMPLATE.read_text()
    text = text.replace('"../', '"' + str(SPEC_TEMPLATE.parent.parent.resolve()) + "/")
    text = text.replace("samples = {spec_samples}", f"samples = {{SAMPLES}}")
    text = text.replace("[sweep]", f"[sweep]\\nhorizon_years = {{YEARS}}", 1)
    text = "\\n".join(line for line in text.splitlines() if not line.startswith("years ="))
    (work / "spec.toml").write_text(text)
    sweep_dir = work / "sweep"
    outcome = sweep_file(work / "spec.toml", sweep_dir)
    print(f"ran {{outcome.runs}} runs in {{outcome.seconds:.0f}} s")
analysis = analyse_sweep(Path(sweep_dir))
print(f"design {{analysis.spec.design}}: {{len(analysis.points)}} points, "
      f"{{analysis.spec.replications}} replications, year {{analysis.year}}")""")

SWEEP = [
    new_markdown_cell("""# Reading a parameter sweep: response surfaces and Sobol indices

Which assumptions drive the difference between the schemes? A sweep runs Scheme 1 and
Scheme 2 at many combinations of uncertain parameters (a Sobol design), each several times;
here we read it. Run a large sweep from the command line
(`resettle sweep scenarios/sweeps/sobol_uncertainties.toml`) and point
`RESETTLE_NOTEBOOK_SWEEP` at its folder; without that, this notebook runs a small one."""),
    SWEEP_SETUP.copy(),
    new_markdown_cell("""## Response surfaces

Each dot is one design point: the Scheme 2 − Scheme 1 difference in organisational maturity
(left) and fee collection (right) against two of the varied parameters, the colour the
difference."""),
    new_code_cell("""x = analysis.points.set_index("point").loc[analysis.means.index]
a, b = analysis.factors[:2]
fig, axes = plt.subplots(1, 2, figsize=(10, 4), constrained_layout=True)
for ax, target in zip(axes, ["maturity|difference", "fee_compliance|difference"]):
    sc = ax.scatter(x[a], x[b], c=analysis.means[target], cmap="RdBu", s=25)
    fig.colorbar(sc, ax=ax, label=target)
    ax.set_xlabel(a)
    ax.set_ylabel(b)
plt.show()"""),
    new_markdown_cell("""## Sobol indices

First order: the share of the target's variance a parameter explains alone; total order:
including its interactions. With 95% bootstrap intervals."""),
    new_code_cell("""table = analysis.sensitivity
table[table["target"].str.endswith("difference")].round(3)"""),
    new_code_cell("""from resettle.reports.sweep_figures import sobol_bars
targets = [t for t in analysis.means.columns if t.endswith("difference")]
display(Image(filename=sobol_bars(table, targets, Path(tempfile.mkdtemp()) / "sobol.png")))"""),
]

DISCOVERY = [
    new_markdown_cell("""# Scenario discovery: where does Scheme 2 beat Scheme 1?

PRIM (the patient rule induction method) looks for a box of parameter values — ranges of the
levers and uncertainties — inside which Scheme 2 does better than Scheme 1 on a chosen
metric. *Coverage* is the share of all winning cases inside the box; *density* the share of
cases inside the box that win. Planners read the box as "conditions under which Scheme 2 is
the better choice"."""),
    SWEEP_SETUP.copy(),
    new_markdown_cell("""## ✏️ change me: the metric to win on"""),
    new_code_cell("""METRIC = "fee_compliance"
from resettle.experiments.sweep.analyse import discover
found = discover(analysis, METRIC)
wins = (analysis.means[f"{METRIC}|difference"] > 0).mean()
print(f"Scheme 2 beats Scheme 1 on {METRIC} at {wins:.0%} of the design points")"""),
    new_markdown_cell("""## The peeling trajectory and the chosen box"""),
    new_code_cell("""if found is None:
    print("Scheme 2 wins everywhere or nowhere: nothing to discover on this metric")
else:
    chosen = found.select()
    plt.scatter(found.trajectory["coverage"], found.trajectory["density"])
    plt.scatter([found.trajectory["coverage"][chosen]], [found.trajectory["density"][chosen]],
                s=150, facecolors="none", edgecolors="red")
    plt.xlabel("coverage"); plt.ylabel("density"); plt.show()
    display(found.table(chosen))"""),
]


WHEN = [
    new_markdown_cell("""# When are conditions mature? Triggers, plausible worlds and a robust choice

The study's advice is *Scheme 1 now, Scheme 2 "when conditions are mature"* (BRIEF §3–§5).
This notebook turns that into numbers in three steps:

1. **A switch on signposts** (`scenarios/triggered.toml`): the community office watches what
   it can observe — here households' willingness to pay their own fee and how many raise a
   matter — and switches when both have held six months, not before year 3, at the latest
   after year 10.
2. **Plausible worlds** (`scenarios/worlds/dongyu.toml`): most behavioural constants are
   assumptions, so the model is run in many worlds drawn from their plausible ranges, and only
   those that show what the study reports (its initial state and patterns) are kept.
3. **A robust choice** (`scenarios/decide/when_to_switch.toml`): every policy runs in every
   kept world; the recommendation is the policy whose shortfall from the best policy is
   smallest in the worst world (least maximum regret), with where it fails.

The same steps run from the command line: `resettle compare`, `resettle worlds`,
`resettle decide`. The tests run this notebook on a small ensemble and a short horizon."""),
    new_code_cell("""import os
import tempfile
from pathlib import Path

import json
import matplotlib.pyplot as plt
import pandas as pd
from IPython.display import Image, display

import resettle
from resettle import cli
from resettle.experiments.compare import run_comparison, switch_months, switch_spread

SCENARIOS = (Path("..") / "scenarios").resolve()
WORK = Path(tempfile.mkdtemp(prefix="resettle-when-"))
REPS = int(os.environ.get("RESETTLE_NOTEBOOK_REPS", 40))        # replications per scenario
HORIZON = int(os.environ.get("RESETTLE_NOTEBOOK_YEARS", 15))
SAMPLES = int(os.environ.get("RESETTLE_NOTEBOOK_SAMPLES", 200))  # worlds sampled
MAX_WORLDS = int(os.environ.get("RESETTLE_NOTEBOOK_MAX_WORLDS", 6))  # worlds decided over"""),
    new_markdown_cell("""## 1. A switch on signposts

Scheme 1 against the triggered switch, paired by seed. The switch month differs between
replications because each replication's signposts differ."""),
    new_code_cell("""scheme1 = resettle.load_scenario(SCENARIOS / "scheme1.toml").replace(horizon_years=HORIZON)
triggered = resettle.load_scenario(SCENARIOS / "triggered.toml").replace(horizon_years=HORIZON)
comp = run_comparison([scheme1, triggered], reps=REPS, seed=7, progress=False)
spread = switch_spread(switch_months(comp))
print(f"{int(spread.switched[0])} of {int(spread.replications[0])} replications switched "
      f"within {HORIZON} years")
spread"""),
    new_markdown_cell("""The signposts of the first replication against their thresholds (dashed); the grey line is
where its switch came, if it came."""),
    new_code_cell("""run = comp.monthly[(comp.monthly.scenario == "triggered") & (comp.monthly.replication == 0)]
fig, ax = plt.subplots(figsize=(7, 3.5))
for i, c in enumerate(triggered.switch_trigger.conditions):
    ax.plot(run.month / 12, run[c.indicator], color=f"C{i}", label=c.indicator)
    ax.axhline(c.at_least, color=f"C{i}", ls="--", lw=1)
switched = run.loc[run.switched == 1, "month"]
if len(switched):
    ax.axvline((switched.iloc[0] - 1) / 12, color="grey", ls="--")
ax.set_xlabel("year"); ax.set_ylim(0, 1); ax.legend(); plt.show()"""),
    new_markdown_cell("""## 2. Plausible worlds

`SAMPLES` worlds from the plausible ranges, each run under Scheme 1 and kept only if it passes
every filter of `scenarios/worlds/dongyu.toml`. About 7% pass with the shipped filters, so a
small ensemble keeps few."""),
    new_code_cell("""spec = (SCENARIOS / "worlds" / "dongyu.toml").read_text()
spec = spec.replace('"../', '"' + str(SCENARIOS) + "/").replace("samples = 200",
                                                                 f"samples = {SAMPLES}")
(WORK / "worlds.toml").write_text(spec)
worlds_dir = WORK / "worlds"
assert cli.main(["worlds", str(WORK / "worlds.toml"), "--out", str(worlds_dir), "--quiet"]) == 0
filters = pd.read_csv(worlds_dir / "filters.csv")
plausible = int(pd.read_csv(worlds_dir / "worlds.csv")["plausible"].sum())
print(f"{plausible} of {SAMPLES} worlds pass every filter")
filters[["filter", "conditions", "passing", "share"]]"""),
    new_markdown_cell("""## 3. A robust choice over the worlds

Scheme 1, Scheme 2, fixed switch years, the triggered switch and a grid over its thresholds,
each in every kept world (at most `MAX_WORLDS`), replications paired by seed. Regret is a policy's
shortfall from the best policy in a world; the spread is over the worlds, the half-widths are
Monte-Carlo noise only."""),
    new_code_cell("""spec = (SCENARIOS / "decide" / "when_to_switch.toml").read_text()
years = [y for y in (3, 8) if y < HORIZON] or [HORIZON - 1]
spec = (spec.replace('"../../outputs/worlds-dongyu-worlds"', json.dumps(str(worlds_dir)))
        .replace('"../', '"' + str(SCENARIOS) + "/")
        .replace("horizon_years = 15", f"horizon_years = {HORIZON}")
        .replace("years = [3, 8]", f"years = {years}")
        .replace("max_worlds = 6", f"max_worlds = {MAX_WORLDS}"))
(WORK / "decide.toml").write_text(spec)
decide_dir = WORK / "decide"
assert cli.main(["decide", str(WORK / "decide.toml"), "--out", str(decide_dir), "--quiet"]) == 0
report = (decide_dir / "report" / "report.md").read_text()
print(report.split("## Policies compared")[0])"""),
    new_code_cell("""policies = pd.read_csv(decide_dir / "policies.csv")
policies[policies.metric == "combined"][["policy", "mean", "p10", "p90", "max_regret",
                                          "satisficing"]].round(3)"""),
    new_code_cell("""display(Image(filename=decide_dir / "report" / "max_regret.png"))"""),
]


def write(cells: list, name: str) -> None:
    nb = new_notebook(cells=cells, metadata={
        "kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"},
        "language_info": {"name": "python"}})
    nbformat.write(nb, ROOT / "notebooks" / name)


def main() -> None:
    write(COMPARE, "01_compare_schemes.ipynb")
    SWEEP[1].source = SWEEP[1].source.format(spec="sobol_uncertainties.toml", samples=32,
                                             spec_samples=32)
    DISCOVERY[1].source = DISCOVERY[1].source.format(spec="fees_lhs.toml", samples=64,
                                                     spec_samples=64)
    write(SWEEP, "02_sweep_analysis.ipynb")
    write(DISCOVERY, "03_scenario_discovery.ipynb")
    write(WHEN, "04_when_to_switch.ipynb")


if __name__ == "__main__":
    main()
