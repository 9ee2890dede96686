"""Writing a comparison: report (Markdown + self-contained HTML), figures, tables, manifest."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from resettle import figures
from resettle.catalogue import as_flat_dict, catalogue
from resettle.compare import TARGET_HALF_WIDTH, Comparison
from resettle.labels import check_lang, metric_label
from resettle.metrics import HEADLINE
from resettle.outputs import git_commit, now, versions, write_atomically, write_json
from resettle.report import Document, summary_sentences, write_reports
from resettle.report_text import effect_word, localise_table, scenario_name, text
from resettle.submodels.maturity import SUBSCORES


def make_figures(comp: Comparison, folder: Path, lang: str = "en") -> list[tuple[Path, str]]:
    """Every figure of the report, with captions, in ``lang``."""
    out = []
    for metric in comp.metrics:
        out.append((figures.metric_over_time(comp.monthly, metric, folder / f"fig_{metric}.png",
                                             lang=lang),
                    text("caption.over_time", lang, metric=metric_label(metric, lang),
                         reps=comp.reps)))
    if len(comp.scenarios) > 1:
        for metric in comp.metrics:
            out.append((figures.paired_differences(comp.monthly, metric, comp.baseline,
                                                   folder / f"diff_{metric}.png", lang=lang),
                        text("caption.diff", lang, metric=metric_label(metric, lang),
                             baseline=scenario_name(comp.baseline, lang))))
    out.append((figures.maturity_subscores(comp.monthly, [f"maturity_{s}" for s in SUBSCORES],
                                           folder / "maturity_subscores.png", lang=lang),
                text("caption.subscores", lang)))
    out.append((figures.end_distributions(comp.monthly, comp.metrics,
                                          folder / "horizon_distributions.png", lang=lang),
                text("caption.horizon", lang)))
    return out


def milestone_table(comp: Comparison, metric: str, lang: str = "en") -> pd.DataFrame:
    """The evidence table of one metric: means, CIs, paired differences, tests, effects."""
    rows = comp.summary[comp.summary["metric"] == metric]
    baseline = scenario_name(comp.baseline, lang)
    return pd.DataFrame({
        text("col.year", lang): rows["year"],
        text("col.scenario", lang): [scenario_name(s, lang) for s in rows["scenario"]],
        text("col.mean", lang): rows["mean"],
        text("col.ci", lang): [f"{lo:.3f}–{hi:.3f}" for lo, hi in zip(rows["low"], rows["high"],
                                                                      strict=True)],
        text("col.diff_vs", lang, baseline=baseline): rows["diff"],
        text("col.diff_ci", lang): ["–" if pd.isna(lo) else text("diff_ci", lang, low=lo, high=hi)
                                    for lo, hi in zip(rows["diff_low"], rows["diff_high"],
                                                      strict=True)],
        text("col.p", lang): rows["p_value"], text("col.dz", lang): rows["effect_size"],
        text("col.effect", lang): [effect_word(v, lang) for v in rows["effect_label"]]})


def precision_paragraph(comp: Comparison, lang: str = "en") -> str:
    """Monte-Carlo precision in words: widest half-width, and the N the target needs."""
    p = comp.precision.dropna(subset=["half_width"])
    worst = p.loc[p["half_width"].idxmax()]
    enough = bool(p["enough"].all())
    need = int(p["required_n"].max())
    verdict = (text("precision.enough", lang) if enough else
               text("precision.short", lang, need=need))
    return text("precision", lang, reps=comp.reps, width=worst["half_width"],
                metric=metric_label(worst["metric"], lang), year=worst["year"],
                scenario=scenario_name(worst["scenario"], lang), target=TARGET_HALF_WIDTH,
                verdict=verdict)


def assumptions_table(comp: Comparison, lang: str = "en") -> pd.DataFrame:
    """Every parameter's value in every scenario, with unit and source."""
    cat = catalogue().set_index("name")
    frame = pd.DataFrame({s.name: as_flat_dict(s) for s in comp.scenarios})
    frame["differs"] = frame.astype(str).nunique(axis=1) > 1
    frame["unit"] = cat.loc[frame.index, "unit"].values
    frame["source"] = cat.loc[frame.index, "source"].values
    frame = frame.reset_index(names="parameter")
    frame = frame.sort_values("differs", ascending=False, kind="stable")
    if lang == "en":
        return frame
    names = {s.name: scenario_name(s.name, lang) for s in comp.scenarios}
    return localise_table(frame, lang).rename(columns=names)


def scenario_line(s, lang: str = "en") -> str:
    """One scenario in the report's list: name, description, files, switch year."""
    name = s.name if lang == "en" else f"{scenario_name(s.name, lang)} [{s.name}]"
    switch = ("" if s.switch_year is None else text("compare.switch", lang, year=s.switch_year))
    return text("compare.scenario", lang, name=name, description=description(s, lang),
                files=", ".join(s.files) or text("compare.built_in", lang), switch=switch)


def description(s, lang: str = "en") -> str:
    """A scenario's description in ``lang`` when its file gives one, else the English one."""
    return (s.description_zh if lang == "zh" and s.description_zh else s.description)


def build_document(comp: Comparison, figs: list[tuple[Path, str]], lang: str = "en") -> Document:
    """The whole report, in ``lang``."""
    check_lang(lang)
    names = text("sep", lang).join(scenario_name(s.name, lang) for s in comp.scenarios)
    doc = Document(text("compare.title", lang, names=names), lang=lang)
    doc.heading(text("h.summary", lang))
    doc.bullets(summary_sentences(comp.summary, comp.early, comp.baseline, lang))
    doc.paragraph(text("compare.method", lang, reps=comp.reps, seed=comp.root_seed))
    first = ", ".join(str(s) for s in comp.seeds[:3]) + ("…" if comp.reps > 3 else "")
    doc.paragraph(text("compare.seeds", lang, seed=comp.root_seed, reps=comp.reps, first=first))
    doc.heading(text("h.scenarios", lang))
    doc.bullets([scenario_line(s, lang) for s in comp.scenarios])
    doc.heading(text("h.evidence", lang))
    for metric in comp.metrics:
        doc.heading(metric_label(metric, lang), 3)
        doc.table(milestone_table(comp, metric, lang))
    if not comp.early.empty:
        doc.heading(text("h.early", lang, years=comp.early["years"].iloc[0]))
        doc.table(localise_table(comp.early, lang))
    doc.heading(text("h.precision", lang))
    doc.paragraph(precision_paragraph(comp, lang))
    doc.heading(text("h.figures", lang))
    for path, caption in figs:
        doc.image(path, caption)
    doc.heading(text("h.assumptions", lang))
    doc.paragraph(text("compare.differ_first", lang))
    doc.table(assumptions_table(comp, lang))
    return doc


def comparison_manifest(comp: Comparison, argv: list[str] | None,
                        reports: dict[str, str] | None = None) -> dict:
    """Provenance: scenario files and values, seeds, versions, timing; ``reports`` maps each
    report language to its Markdown file."""
    reports = reports or {"en": "report.md"}
    return {"created": now(), "command": argv, "root_seed": comp.root_seed,
            "replications": comp.reps, "seeds": comp.seeds, "metrics": comp.metrics,
            "milestones": comp.milestones,
            "scenarios": [{"name": s.name, "files": list(s.files), "description": s.description,
                           "switch_year": s.switch_year, "parameters": as_flat_dict(s)}
                          for s in comp.scenarios],
            "versions": versions(), "git_commit": git_commit(),
            "seconds": round(comp.seconds, 2), "languages": list(reports), "reports": reports}


def write_comparison(comp: Comparison, out: Path, force: bool = False,
                     argv: list[str] | None = None,
                     langs: list[str] | tuple[str, ...] = ("en",)) -> Path:
    """Write the comparison directory atomically, with a report in each of ``langs`` (see
    :func:`resettle.report.write_reports` for the file names)."""
    def fill(tmp: Path) -> None:
        reports = write_reports(tmp, langs, lambda lang, folder: build_document(
            comp, make_figures(comp, folder, lang), lang))
        comp.monthly.to_parquet(tmp / "monthly.parquet", index=False)
        comp.summary.to_csv(tmp / "summary.csv", index=False)
        comp.early.to_csv(tmp / "early_years.csv", index=False)
        comp.precision.to_csv(tmp / "precision.csv", index=False)
        write_json(tmp / "manifest.json", comparison_manifest(comp, argv, reports))

    return write_atomically(out, fill, force)


__all__ = ["HEADLINE", "write_comparison"]
