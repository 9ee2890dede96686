"""``resettle analyze``'s output: report (Markdown + HTML), tables and figures."""

from __future__ import annotations

from pathlib import Path

from resettle import sweep_figures as sf
from resettle.analyze import DIFFERENCE, SweepAnalysis
from resettle.labels import metric_label
from resettle.outputs import write_atomically
from resettle.report import Document


def headline_targets(analysis: SweepAnalysis) -> list[str]:
    """The targets shown in figures: differences if the sweep compares scenarios."""
    targets = list(analysis.means.columns)
    diffs = [t for t in targets if t.endswith(f"|{DIFFERENCE}")]
    return diffs or targets[: len(analysis.spec.metrics)]


def sensitivity_section(doc: Document, analysis: SweepAnalysis, tmp: Path) -> None:
    """Sobol or Morris results, or why there are none."""
    doc.heading("Global sensitivity")
    if analysis.sensitivity.empty:
        doc.paragraph(f"The design is {analysis.spec.design}; Sobol indices need design = "
                      "\"sobol\" and Morris screening design = \"morris\".")
        return
    targets = headline_targets(analysis)
    if analysis.spec.design == "sobol":
        doc.paragraph("Sobol first-order (alone) and total-order (with interactions) indices "
                      "of each target, with 95% bootstrap CIs, on replication means "
                      f"(N = {analysis.spec.samples} base samples). A parameter with a total "
                      "index near zero does not matter for that target.")
        doc.image(sf.sobol_bars(analysis.sensitivity, targets, tmp / "sobol.png"),
                  "Sobol indices (bars) with 95% CIs")
    else:
        doc.paragraph("Morris screening: μ* (mean absolute elementary effect, in unit "
                      "parameter ranges) ranks importance; σ flags non-linearity or "
                      "interaction.")
        doc.image(sf.morris_scatter(analysis.sensitivity, targets, tmp / "morris.png"),
                  "Morris μ* and σ")
    doc.table(analysis.sensitivity)


def discovery_section(doc: Document, analysis: SweepAnalysis, tmp: Path) -> None:
    """PRIM boxes where the second scenario beats the first."""
    doc.heading("Scenario discovery: where the second scenario wins")
    if not analysis.discovery:
        doc.paragraph("No PRIM boxes: the sweep compares no scenarios, or one scenario wins "
                      "everywhere on every metric.")
        return
    names = [s.name for s in analysis.spec.scenarios]
    for metric, found in analysis.discovery.items():
        chosen = found.select()
        box = found.table(chosen)
        row = found.trajectory.iloc[chosen]
        doc.heading(f"{metric_label(metric)}: {names[1]} > {names[0]}", 3)
        doc.paragraph(f"PRIM box (knee of the peeling trajectory): coverage "
                      f"{row['coverage']:.2f} (share of all winning points inside), density "
                      f"{row['density']:.2f} (share of points inside that win), support "
                      f"{row['support']:.2f}.")
        doc.table(box if not box.empty else box.assign(note="no restriction"))
        doc.image(sf.prim_tradeoff(found.trajectory, chosen, metric_label(metric),
                                   tmp / f"prim_{metric}.png"), "PRIM coverage and density")


def write_analysis(analysis: SweepAnalysis, out: Path, force: bool) -> Path:
    """Write the analysis directory atomically."""
    def fill(tmp: Path) -> None:
        doc = Document(f"Sweep {analysis.spec.name}: sensitivity and scenario discovery")
        doc.paragraph(f"Design {analysis.spec.design}, {len(analysis.points)} points, "
                      f"{analysis.spec.replications} replications, scenarios "
                      f"{', '.join(s.name for s in analysis.spec.scenarios)}; values at year "
                      f"{analysis.year}, averaged over replications.")
        sensitivity_section(doc, analysis, tmp)
        discovery_section(doc, analysis, tmp)
        doc.heading("Responses")
        for target in headline_targets(analysis):
            name = target.replace("|", "_")
            doc.image(sf.response_scatter(analysis.points, analysis.means[target],
                                          analysis.factors, sf.target_label(target),
                                          tmp / f"response_{name}.png"),
                      f"{sf.target_label(target)} at each design point")
        (tmp / "report.md").write_text(doc.markdown(), "utf-8")
        (tmp / "report.html").write_text(doc.html(), "utf-8")
        analysis.means.to_csv(tmp / "point_means.csv")
        if not analysis.sensitivity.empty:
            analysis.sensitivity.to_csv(tmp / "sensitivity.csv", index=False)
        for metric, found in analysis.discovery.items():
            found.trajectory.to_csv(tmp / f"prim_{metric}.csv", index=False)

    return write_atomically(out, fill, force)
