"""Writing a comparison: report (Markdown + self-contained HTML), figures, tables, manifest.

The plain-language summary is generated from the numbers (:func:`summary_sentences`); the rest
of the report is the evidence: milestone tables, precision, figures, and every assumption used.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from resettle.experiments.compare import (
    TARGET_HALF_WIDTH,
    Comparison,
    switch_months,
    switch_spread,
)
from resettle.experiments.precision import MAX_GROWTH
from resettle.experiments.precision import reached as precision_reached
from resettle.outcomes import BY_DEFINITION, SUBSCORES, WHOLLY_BY_DEFINITION
from resettle.params.catalogue import as_flat_dict, catalogue, scenario_record
from resettle.reports import figures
from resettle.reports.document import Document, write_reports
from resettle.store.atomic import write_atomically
from resettle.store.provenance import provenance, write_json
from resettle.text.labels import check_lang, metric_label
from resettle.text.messages import (
    effect_word,
    localise_table,
    metric_in_sentence,
    scenario_name,
    text,
)


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
    paragraph = text("precision", lang, reps=comp.reps, width=worst["half_width"],
                     metric=metric_label(worst["metric"], lang), year=worst["year"],
                     scenario=scenario_name(worst["scenario"], lang), target=TARGET_HALF_WIDTH,
                     verdict=verdict)
    return text("sentence.sep", lang).join([paragraph, *rounds_sentences(comp, lang),
                                            text("precision.mc_only", lang)])


def rounds_sentences(comp: Comparison, lang: str = "en") -> list[str]:
    """``--precision``: the rounds of replications, where they stopped and by what rule."""
    if comp.target is None:
        return []
    rounds = text("list.sep", lang).join(text("precision.round", lang, n=n, width=w)
                                         for n, w in comp.rounds)
    least, most = comp.reps_bounds
    reached = precision_reached(comp.rounds, comp.target)
    return [text("precision.rounds", lang, target=comp.target, least=least, most=most,
                 rounds=rounds),
            text("precision.reached" if reached else "precision.not_reached", lang,
                 n=comp.reps, target=comp.target),
            text("precision.rule", lang, growth=MAX_GROWTH), text("precision.plain", lang)]


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
    """One scenario in the report's list: name, description, files, switch year or trigger."""
    name = s.name if lang == "en" else f"{scenario_name(s.name, lang)} [{s.name}]"
    switch = ("" if s.switch_year is None else text("compare.switch", lang, year=s.switch_year))
    if s.switch_trigger is not None:
        switch = text("compare.trigger", lang, rule=trigger_text(s.switch_trigger, lang))
    return text("compare.scenario", lang, name=name, description=description(s, lang),
                files=", ".join(s.files) or text("compare.built_in", lang), switch=switch)


def trigger_text(trigger, lang: str = "en") -> str:
    """A trigger in words: its conditions (with the indicators' labels), hold and window."""
    conditions = text("trigger.and", lang).join(
        c.describe().replace(c.indicator, metric_label(c.indicator, lang))
        for c in trigger.conditions)
    latest = ("" if trigger.latest_year is None
              else text("trigger.latest", lang, year=trigger.latest_year))
    return text("trigger.rule", lang, conditions=conditions, hold=trigger.hold_months,
                earliest=trigger.earliest_year, latest=latest)


def switch_section(doc: Document, comp: Comparison, lang: str = "en") -> None:
    """When each scenario with a switch switched, over the replications."""
    spread = switch_spread(switch_months(comp))
    if spread.empty:
        return
    doc.heading(text("h.switch", lang))
    doc.bullets([switch_sentence(r, lang) for r in spread.itertuples()])
    doc.paragraph(text("switch.note", lang))


def switch_sentence(r, lang: str = "en") -> str:
    """One scenario's switch months in words."""
    name = scenario_name(r.scenario, lang)
    if not r.switched:
        return text("switch.never", lang, scenario=name, reps=r.replications)
    return text("switch.spread", lang, scenario=name, switched=r.switched,
                reps=r.replications, median=r.median, year=int((r.median + 11) // 12),
                p10=r.p10, p90=r.p90, earliest=r.first, latest=r.last)


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
    switch_section(doc, comp, lang)
    doc.heading(text("h.evidence", lang))
    for metric in comp.metrics:
        doc.heading(metric_label(metric, lang), 3)
        doc.table(milestone_table(comp, metric, lang))
    if not comp.early.empty:
        doc.heading(text("h.early", lang, years=comp.early["years"].iloc[0]))
        doc.table(localise_table(comp.early, lang))
    if len(comp.scenarios) > 1:
        sources_section(doc, comp, lang)
    doc.heading(text("h.precision", lang))
    doc.paragraph(precision_paragraph(comp, lang))
    doc.heading(text("h.figures", lang))
    for path, caption in figs:
        doc.image(path, caption)
    doc.heading(text("h.assumptions", lang))
    doc.paragraph(text("compare.differ_first", lang))
    doc.table(assumptions_table(comp, lang))
    return doc


def maturity_decomposition(comp: Comparison, year: int) -> pd.DataFrame:
    """Each scenario's maturity difference against the baseline at ``year`` (paired means),
    split into the sub-scores' weighted contributions (they add up to the difference)."""
    at = comp.monthly[comp.monthly["month"] == 12 * year]
    means = at.groupby("scenario", sort=False)[[f"maturity_{s}" for s in SUBSCORES]].mean()
    weights = np.asarray(comp.scenarios[0].uncertainties.maturity_weights, float)
    share = weights / weights.sum()
    rows = []
    for s in comp.scenarios[1:]:
        diff = (means.loc[s.name] - means.loc[comp.baseline]).to_numpy()
        rows += [{"scenario": s.name, "subscore": sub, "contribution": float(w * d)}
                 for sub, w, d in zip(SUBSCORES, share, diff, strict=True)]
    return pd.DataFrame(rows)


def sources_section(doc: Document, comp: Comparison, lang: str = "en") -> None:
    """Where the differences come from: maturity by sub-score, and what follows from the
    schemes' definitions rather than from behaviour."""
    year = comp.milestones[-1]
    doc.heading(text("h.sources", lang))
    doc.paragraph(text("sources.intro", lang, baseline=scenario_name(comp.baseline, lang),
                       year=year))
    doc.bullets([text(f"definition.{reason}", lang) for reason in
                 dict.fromkeys(r for reasons in BY_DEFINITION.values() for r in reasons)])
    table = maturity_decomposition(comp, year)
    marked = table["subscore"].map(lambda s: f"maturity_{s}" in BY_DEFINITION)
    doc.table(pd.DataFrame({
        text("col.scenario", lang): [scenario_name(s, lang) for s in table["scenario"]],
        text("col.subscore", lang): [metric_label(f"maturity_{s}", lang)
                                     for s in table["subscore"]],
        text("col.contribution", lang): table["contribution"],
        text("col.source", lang): [text(source_key(f"maturity_{s}"), lang)
                                   for s in table["subscore"]]}))
    for name, part in table.assign(marked=marked).groupby("scenario", sort=False):
        doc.paragraph(text("sources.summary", lang, scenario=scenario_name(name, lang),
                           total=part["contribution"].sum(),
                           marked=part.loc[part["marked"], "contribution"].sum(),
                           behaviour=part.loc[~part["marked"], "contribution"].sum()))
    doc.paragraph(text("sources.assumptions", lang))


def source_key(metric: str) -> str:
    """The message naming where a difference in ``metric`` comes from."""
    if metric in WHOLLY_BY_DEFINITION:
        return "source.definition"
    return "source.definition_part" if metric in BY_DEFINITION else "source.behaviour"


def comparison_manifest(comp: Comparison, argv: list[str] | None,
                        reports: dict[str, str] | None = None) -> dict:
    """Provenance (``resettle.store.provenance``) with the comparison's metrics and milestones;
    ``reports`` maps each report language to its Markdown file."""
    reports = reports or {"en": "report.md"}
    return provenance(command=argv, root_seed=comp.root_seed, seeds=comp.seeds,
                      scenarios=[scenario_record(s) for s in comp.scenarios],
                      seconds=comp.seconds, replications=comp.reps, metrics=comp.metrics,
                      milestones=comp.milestones, languages=list(reports), reports=reports,
                      precision_target=comp.target,
                      precision_rounds=[{"n": n, "widest_half_width": w} for n, w in comp.rounds],
                      precision_reps_bounds=comp.reps_bounds)


def write_comparison(comp: Comparison, out: Path, *, force: bool = False,
                     langs: list[str] | tuple[str, ...] = ("en",),
                     argv: list[str] | None = None) -> Path:
    """Write the comparison directory atomically, with a report in each of ``langs`` (see
    :func:`resettle.reports.document.write_reports` for the file names)."""
    def fill(tmp: Path) -> None:
        reports = write_reports(tmp, langs, lambda lang, folder: build_document(
            comp, make_figures(comp, folder, lang), lang))
        comp.monthly.to_parquet(tmp / "monthly.parquet", index=False)
        comp.summary.to_csv(tmp / "summary.csv", index=False)
        comp.early.to_csv(tmp / "early_years.csv", index=False)
        comp.precision.to_csv(tmp / "precision.csv", index=False)
        months = switch_months(comp)
        if not months.empty:
            months.to_csv(tmp / "switch_months.csv", index=False)
        write_json(tmp / "manifest.json", comparison_manifest(comp, argv, reports))

    return write_atomically(out, fill, force)


# ---- the summary: sentences generated from the numbers -----------------------------------
def effect_sentence(metric: str, when: str, scenario: str, baseline: str, diff: float,
                    low: float, high: float, lang: str = "en") -> str:
    """One plain-language sentence about a paired difference and its 95% CI (``when``, e.g.
    "By year 15", is already in ``lang``; scenario names are translated here)."""
    values = {"when": when, "scenario": scenario_name(scenario, lang),
              "baseline": scenario_name(baseline, lang),
              "label": metric_in_sentence(metric, lang), "low": low, "high": high}
    if low > 0 or high < 0:
        verb = text("effect.raises" if diff > 0 else "effect.lowers", lang)
        return text("effect.clear", lang, verb=verb, size=abs(diff), **values)
    return text("effect.unclear", lang, diff=diff, **values)


def summary_sentences(summary: pd.DataFrame, early: pd.DataFrame, baseline: str,
                      lang: str = "en") -> list[str]:
    """Sentences for the last milestone year, and for early-years effects that are clear."""
    check_lang(lang)
    last = summary["year"].max()
    rows = summary[(summary["year"] == last) & (summary["scenario"] != baseline)]
    sentences = [effect_sentence(r.metric, text("when.by_year", lang, year=last), r.scenario,
                                 baseline, r.diff, r.diff_low, r.diff_high, lang)
                 for r in rows.itertuples()]
    sentences += [effect_sentence(r.metric, text("when.in_years", lang, years=r.years),
                                  r.scenario, baseline, r.diff, r.diff_low, r.diff_high, lang)
                  for r in transition_costs(early, rows).itertuples()]
    return sentences


def clear_sign(low: float, high: float) -> int:
    """+1 / -1 when a CI excludes zero above / below, else 0."""
    return 1 if low > 0 else -1 if high < 0 else 0


EARLY_DOMINANCE = 2.0  # display rule: an early effect this many times the horizon one is news


def transition_costs(early: pd.DataFrame, horizon: pd.DataFrame) -> pd.DataFrame:
    """Early-years effects that are clear and not simply the horizon effect arriving early:
    opposite in sign to the horizon effect, with no clear horizon effect, or at least
    ``EARLY_DOMINANCE`` times as large as it."""
    if early.empty:
        return early
    end = {(r.metric, r.scenario): (clear_sign(r.diff_low, r.diff_high), abs(r.diff))
           for r in horizon.itertuples()}

    def newsworthy(r) -> bool:
        sign = clear_sign(r.diff_low, r.diff_high)
        end_sign, end_size = end.get((r.metric, r.scenario), (0, 0.0))
        return sign != 0 and (sign != end_sign or abs(r.diff) >= EARLY_DOMINANCE * end_size)

    return early[[newsworthy(r) for r in early.itertuples()]]
