"""``resettle analyze``'s output: report (Markdown + HTML, in one or more languages), tables,
figures and a manifest."""

from __future__ import annotations

from pathlib import Path

from resettle.experiments.sweep.analyse import DIFFERENCE, SweepAnalysis
from resettle.params.catalogue import scenario_record
from resettle.reports import sweep_figures as sf
from resettle.reports.document import Document, write_reports
from resettle.store.atomic import write_atomically
from resettle.store.provenance import provenance, write_json
from resettle.text.labels import metric_label
from resettle.text.messages import localise_table, scenario_name, target_label, text


def headline_targets(analysis: SweepAnalysis) -> list[str]:
    """The targets shown in figures: differences if the sweep compares scenarios."""
    targets = list(analysis.means.columns)
    diffs = [t for t in targets if t.endswith(f"|{DIFFERENCE}")]
    return diffs or targets[: len(analysis.spec.metrics)]


def sensitivity_section(doc: Document, analysis: SweepAnalysis, folder: Path,
                        lang: str = "en") -> None:
    """Sobol or Morris results, or why there are none."""
    doc.heading(text("h.sensitivity", lang))
    if analysis.sensitivity.empty:
        doc.paragraph(text("analyze.no_sensitivity", lang, design=analysis.spec.design))
        return
    targets = headline_targets(analysis)
    if analysis.spec.design == "sobol":
        doc.paragraph(text("analyze.sobol", lang, samples=analysis.spec.samples))
        doc.image(sf.sobol_bars(analysis.sensitivity, targets, folder / "sobol.png", lang=lang),
                  text("caption.sobol", lang))
    else:
        doc.paragraph(text("analyze.morris", lang))
        doc.image(sf.morris_scatter(analysis.sensitivity, targets, folder / "morris.png",
                                    lang=lang), text("caption.morris", lang))
    doc.table(localise_table(analysis.sensitivity, lang))


def discovery_section(doc: Document, analysis: SweepAnalysis, folder: Path,
                      lang: str = "en") -> None:
    """PRIM boxes where the second scenario beats the first."""
    doc.heading(text("h.discovery", lang))
    if not analysis.discovery:
        doc.paragraph(text("analyze.no_boxes", lang))
        return
    names = [scenario_name(s.name, lang) for s in analysis.spec.scenarios]
    for metric, found in analysis.discovery.items():
        chosen = found.select()
        box = found.table(chosen)
        row = found.trajectory.iloc[chosen]
        label = metric_label(metric, lang)
        doc.heading(text("h.box", lang, metric=label, second=names[1], first=names[0]), 3)
        doc.paragraph(text("analyze.box", lang, coverage=row["coverage"],
                           density=row["density"], support=row["support"]))
        if box.empty:
            box = box.assign(note=text("analyze.no_restriction", lang))
        doc.table(localise_table(box, lang))
        doc.image(sf.prim_tradeoff(found.trajectory, chosen, label,
                                   folder / f"prim_{metric}.png", lang=lang),
                  text("caption.prim", lang))


def analysis_document(analysis: SweepAnalysis, folder: Path, lang: str = "en") -> Document:
    """The analysis report in ``lang``; its figures are drawn into ``folder``."""
    spec = analysis.spec
    doc = Document(text("analyze.title", lang, name=spec.name), lang=lang)
    doc.paragraph(text("analyze.intro", lang, design=spec.design, points=len(analysis.points),
                       reps=spec.replications, year=analysis.year,
                       names=text("sep", lang).join(scenario_name(s.name, lang)
                                                      for s in spec.scenarios)))
    sensitivity_section(doc, analysis, folder, lang)
    discovery_section(doc, analysis, folder, lang)
    doc.heading(text("h.responses", lang))
    for target in headline_targets(analysis):
        name = target.replace("|", "_")
        title = target_label(target, lang)
        doc.image(sf.response_scatter(analysis.points, analysis.means[target],
                                      analysis.factors, title,
                                      folder / f"response_{name}.png", lang=lang),
                  text("caption.response", lang, target=title))
    return doc


def analysis_manifest(analysis: SweepAnalysis, argv: list[str] | None,
                      reports: dict[str, str]) -> dict:
    """Provenance of an analysis: the sweep's seeds and scenarios as the sweep recorded them
    when it started (sweep.json), the design and the year analysed."""
    spec, started = analysis.spec, analysis.started
    scenarios = started.get("scenarios") or [scenario_record(s) for s in spec.scenarios]
    return provenance(command=argv, root_seed=spec.seed, seeds=started.get("seeds", []),
                      scenarios=scenarios, seconds=analysis.seconds, sweep=spec.name,
                      sweep_dir=str(analysis.sweep_dir),
                      sweep_git_commit=started.get("git_commit"), design=spec.design,
                      year=analysis.year, languages=list(reports), reports=reports)


def write_analysis(analysis: SweepAnalysis, out: Path, *, force: bool = False,
                   langs: list[str] | tuple[str, ...] = ("en",),
                   argv: list[str] | None = None) -> Path:
    """Write the analysis directory atomically, with a report in each of ``langs`` (file
    names: :func:`resettle.reports.document.write_reports`)."""
    def fill(tmp: Path) -> None:
        reports = write_reports(tmp, langs, lambda lang, folder: analysis_document(
            analysis, folder, lang))
        analysis.means.to_csv(tmp / "point_means.csv")
        if not analysis.sensitivity.empty:
            analysis.sensitivity.to_csv(tmp / "sensitivity.csv", index=False)
        for metric, found in analysis.discovery.items():
            found.trajectory.to_csv(tmp / f"prim_{metric}.csv", index=False)
        write_json(tmp / "manifest.json", analysis_manifest(analysis, argv, reports))

    return write_atomically(out, fill, force)
