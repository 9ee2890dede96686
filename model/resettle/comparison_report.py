"""Writing a comparison: report (Markdown + self-contained HTML), figures, tables, manifest."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from resettle import figures
from resettle.catalogue import as_flat_dict, catalogue
from resettle.compare import TARGET_HALF_WIDTH, Comparison
from resettle.labels import metric_label
from resettle.metrics import HEADLINE
from resettle.outputs import git_commit, now, versions, write_atomically, write_json
from resettle.report import Document, summary_sentences
from resettle.submodels.maturity import SUBSCORES


def make_figures(comp: Comparison, folder: Path) -> list[tuple[Path, str]]:
    """Every figure of the report, with captions."""
    out = []
    for metric in comp.metrics:
        out.append((figures.metric_over_time(comp.monthly, metric, folder / f"fig_{metric}.png"),
                    f"{metric_label(metric)}: median with 50% and 90% bands over "
                    f"{comp.reps} replications"))
    if len(comp.scenarios) > 1:
        for metric in comp.metrics:
            out.append((figures.paired_differences(comp.monthly, metric, comp.baseline,
                                                   folder / f"diff_{metric}.png"),
                        f"{metric_label(metric)}: paired difference against "
                        f"{comp.baseline} (same seeds), median with 50% and 90% bands"))
    out.append((figures.maturity_subscores(comp.monthly, [f"maturity_{s}" for s in SUBSCORES],
                                           folder / "maturity_subscores.png"),
                "Maturity sub-scores: median and 90% band"))
    out.append((figures.end_distributions(comp.monthly, comp.metrics,
                                          folder / "horizon_distributions.png"),
                "Distributions across replications at the horizon (box: quartiles; "
                "triangle: mean)"))
    return out


def milestone_table(comp: Comparison, metric: str) -> pd.DataFrame:
    """The evidence table of one metric: means, CIs, paired differences, tests, effects."""
    rows = comp.summary[comp.summary["metric"] == metric]
    return pd.DataFrame({
        "year": rows["year"], "scenario": rows["scenario"], "mean": rows["mean"],
        "95% CI": [f"{lo:.3f}–{hi:.3f}" for lo, hi in zip(rows["low"], rows["high"],
                                                            strict=True)],
        f"diff vs {comp.baseline}": rows["diff"],
        "diff 95% CI": ["–" if pd.isna(lo) else f"{lo:+.3f} to {hi:+.3f}"
                        for lo, hi in zip(rows["diff_low"], rows["diff_high"], strict=True)],
        "Wilcoxon p": rows["p_value"], "effect d_z": rows["effect_size"],
        "effect": rows["effect_label"].fillna("–")})


def precision_paragraph(comp: Comparison) -> str:
    """Monte-Carlo precision in words: widest half-width, and the N the target needs."""
    p = comp.precision.dropna(subset=["half_width"])
    worst = p.loc[p["half_width"].idxmax()]
    enough = bool(p["enough"].all())
    need = int(p["required_n"].max())
    verdict = ("N was enough for every mean." if enough else
               f"N was not enough for every mean: the target needs N = {need}.")
    return (f"With N = {comp.reps} replications per scenario, the widest 95% CI half-width of "
            f"a milestone mean is {worst['half_width']:.4f} ({metric_label(worst['metric'])}, "
            f"year {worst['year']}, {worst['scenario']}). Target half-width: "
            f"{TARGET_HALF_WIDTH} (assumption: one percentage point on 0..1 metrics). "
            f"{verdict} Paired differences are tighter than the means because replications "
            "share seeds (common random numbers).")


def assumptions_table(comp: Comparison) -> pd.DataFrame:
    """Every parameter's value in every scenario, with unit and source."""
    cat = catalogue().set_index("name")
    frame = pd.DataFrame({s.name: as_flat_dict(s) for s in comp.scenarios})
    frame["differs"] = frame.astype(str).nunique(axis=1) > 1
    frame["unit"] = cat.loc[frame.index, "unit"].values
    frame["source"] = cat.loc[frame.index, "source"].values
    frame = frame.reset_index(names="parameter")
    return frame.sort_values("differs", ascending=False, kind="stable")


def build_document(comp: Comparison, figs: list[tuple[Path, str]]) -> Document:
    """The whole report."""
    names = ", ".join(s.name for s in comp.scenarios)
    doc = Document(f"Comparison of {names}")
    doc.heading("Summary")
    doc.bullets(summary_sentences(comp.summary, comp.early, comp.baseline))
    doc.paragraph(f"{comp.reps} replications per scenario, root seed {comp.root_seed}; "
                  f"replication i uses the same seed in every scenario, so differences are "
                  f"paired. Intervals are 95% bootstrap CIs (BCa); tests are Wilcoxon "
                  f"signed-rank on the paired replications; effect sizes are Cohen's d_z.")
    doc.paragraph(f"Seeds: numpy.random.SeedSequence({comp.root_seed}).spawn({comp.reps}); "
                  f"every replication's seed is listed in manifest.json (seeds), and on every "
                  f"row of monthly.parquet. The first: "
                  + ", ".join(str(s) for s in comp.seeds[:3]) + ("…" if comp.reps > 3 else "")
                  + ".")
    doc.heading("Scenarios")
    doc.bullets([f"{s.name}: {s.description} (files: {', '.join(s.files) or 'built-in'}"
                 + (f"; switch after year {s.switch_year}" if s.switch_year is not None else "")
                 + ")" for s in comp.scenarios])
    doc.heading("Evidence by metric and milestone year")
    for metric in comp.metrics:
        doc.heading(metric_label(metric), 3)
        doc.table(milestone_table(comp, metric))
    if not comp.early.empty:
        doc.heading(f"Early years ({comp.early['years'].iloc[0]}): mean over the window")
        doc.table(comp.early)
    doc.heading("Monte-Carlo precision")
    doc.paragraph(precision_paragraph(comp))
    doc.heading("Figures")
    for path, caption in figs:
        doc.image(path, caption)
    doc.heading("Assumptions and every parameter used")
    doc.paragraph("Parameters that differ between scenarios come first.")
    doc.table(assumptions_table(comp))
    return doc


def comparison_manifest(comp: Comparison, argv: list[str] | None) -> dict:
    """Provenance: scenario files and values, seeds, versions, timing."""
    return {"created": now(), "command": argv, "root_seed": comp.root_seed,
            "replications": comp.reps, "seeds": comp.seeds, "metrics": comp.metrics,
            "milestones": comp.milestones,
            "scenarios": [{"name": s.name, "files": list(s.files), "description": s.description,
                           "switch_year": s.switch_year, "parameters": as_flat_dict(s)}
                          for s in comp.scenarios],
            "versions": versions(), "git_commit": git_commit(),
            "seconds": round(comp.seconds, 2)}


def write_comparison(comp: Comparison, out: Path, force: bool = False,
                     argv: list[str] | None = None) -> Path:
    """Write the comparison directory atomically."""
    def fill(tmp: Path) -> None:
        figs = make_figures(comp, tmp)
        doc = build_document(comp, figs)
        (tmp / "report.md").write_text(doc.markdown(), "utf-8")
        (tmp / "report.html").write_text(doc.html(), "utf-8")
        comp.monthly.to_parquet(tmp / "monthly.parquet", index=False)
        comp.summary.to_csv(tmp / "summary.csv", index=False)
        comp.early.to_csv(tmp / "early_years.csv", index=False)
        comp.precision.to_csv(tmp / "precision.csv", index=False)
        write_json(tmp / "manifest.json", comparison_manifest(comp, argv))

    return write_atomically(out, fill, force)


__all__ = ["HEADLINE", "write_comparison"]
