"""``resettle worlds``'s report (``report.md``): how many worlds were sampled, how, and how
many pass each filter and all of them, which thresholds are assumptions, and what was not
sampled. English only; the tables beside it (``resettle.experiments.worlds``) hold the data."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from resettle.experiments.sweep.spec import declared
from resettle.experiments.worlds.ensemble import Ensemble
from resettle.experiments.worlds.spec import unsampled_lists
from resettle.reports.document import Document
from resettle.store.atomic import write_atomically

FILES = {  # what each file of a worlds directory holds
    "worlds.csv": "one row per world: sampled values, a true/false column per filter, "
                  "plausible, failed",
    "filters.csv": "one row per filter: conditions, source, assumption, passing, share, missing",
    "checks.csv": "every value a filter read: world, filter, condition, year, since, value, "
                  "holds",
    "worlds.toml": "the specification (resume reads it)",
    "points.parquet, results.parquet, sweep.json": "the sweep that ran the worlds: design "
                                                   "points, the kept outcomes of every run, "
                                                   "provenance and seeds",
}


def summary(ensemble: Ensemble) -> str:
    """The opening paragraph: design, seed, runs, and how many worlds pass every filter."""
    spec, sweep = ensemble.spec, ensemble.spec.sweep
    n, kept = len(ensemble.worlds), ensemble.plausible
    files = spec.scenario.files[-1] if spec.scenario.files else spec.scenario.name
    return (f"{n} worlds were sampled by a {sweep.design} design (seed {sweep.seed}) over the "
            f"plausible ranges of {len(spec.uncertain)} uncertain parameters, and each was run "
            f"under the scenario `{spec.scenario.name}` ({files}) to year {max(sweep.years)}, "
            f"{sweep.replications} replication(s) each (seeds spawned from the seed, the same "
            "in every world). A filter reads the mean over the replications; a missing value "
            f"never passes. **{kept} of {n} worlds "
            f"({kept / n:.0%}) pass every filter.** The rejected worlds are kept in worlds.csv "
            "(plausible = false; `failed` names the filters they failed), and every value a "
            "filter read is in checks.csv.")


def filters_section(doc: Document, ensemble: Ensemble) -> None:
    """Each filter: its conditions, source, worlds passing; the assumed thresholds."""
    table = ensemble.filters
    doc.heading("Filters")
    doc.table(table[["filter", "conditions", "source", "passing", "share", "missing"]])
    doc.paragraph(f"Every filter together: {ensemble.plausible} of {len(ensemble.worlds)}.")
    assumed = table.loc[table["assumption"], "filter"].tolist()
    if assumed:
        doc.paragraph("The thresholds of " + ", ".join(f"`{a}`" for a in assumed) + " are "
                      "assumptions (their source says so and why): the sources give the rule, "
                      "not the number. The others come from their source.")
    else:
        doc.paragraph("Every threshold comes from its source.")
    missing = table.loc[table["missing"] > 0, "filter"].tolist()
    if missing:
        doc.paragraph("Some worlds had no value (NaN) for " + ", ".join(f"`{m}`" for m in missing)
                      + " (a group with nobody left in it, a fee before the first bill); a "
                      "missing value never passes, so they fail it (column `missing`).")


def sampled_section(doc: Document, ensemble: Ensemble) -> None:
    """The ranges sampled, and what was left out."""
    doc.heading("What was sampled")
    factors = ensemble.spec.sweep.factors
    doc.table(pd.DataFrame({"parameter": [f.name for f in factors],
                            "range": [f"{f.low:g} – {f.high:g}" for f in factors],
                            "unit": [declared(f.name)[1]["unit"] for f in factors]}))
    doc.paragraph("Not sampled: the levers (the planner's choices, compared over the worlds), "
                  "the facts the seed fixes, and the lists of values, which keep the "
                  "scenario's values (a world samples single values): "
                  + ", ".join(f"`{name}`" for name in unsampled_lists()) + ".")


def worlds_document(ensemble: Ensemble) -> Document:
    """The report of an evaluated ensemble."""
    doc = Document(f"Plausible worlds: {ensemble.spec.name}")
    doc.paragraph(summary(ensemble))
    filters_section(doc, ensemble)
    sampled_section(doc, ensemble)
    doc.heading("Files")
    doc.bullets([f"`{name}`: {what}" for name, what in FILES.items()])
    return doc


def write_worlds_report(out: Path, ensemble: Ensemble) -> Path:
    """``out/report.md``, written atomically."""
    text = worlds_document(ensemble).markdown()
    return write_atomically(out / "report.md", lambda p: p.write_text(text, "utf-8"),
                            directory=False)
