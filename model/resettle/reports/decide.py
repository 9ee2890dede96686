"""``resettle decide``'s report (Markdown + HTML, in one or more languages) and manifest.

The report opens with the recommendation (least maximum regret on the combined score) and
its conditions: the thresholds it meets and in how many worlds, where it fails (its PRIM box
over the uncertainties), when it switches, whether the most satisficing policy agrees, the
best trigger of the search, and what the spread means (worlds) against the half-widths
(Monte-Carlo only). Then the policies, the regret table, the choice by metric, where the
recommended policy fails, the trigger search, the rounds of replications (``--precision``)
and the method, with figures. It is written as one directory, ``report/`` in the study's
directory (replaced whole on a resume), and the manifest as ``manifest.json`` beside the
tables.
"""

from __future__ import annotations

import json
import math
import time
from pathlib import Path

import pandas as pd

from resettle.analysis import decision_sensitivity as ds
from resettle.experiments.decide.policies import TRIGGER_SEARCH, Policy
from resettle.experiments.decide.spec import DEFAULT_REPLICATIONS
from resettle.experiments.decide.study import COMBINED, Decision, noisy_regret
from resettle.experiments.precision import MAX_GROWTH
from resettle.experiments.sweep.runner import write_file
from resettle.outcomes import BY_DEFINITION, SUBSCORES
from resettle.params.catalogue import scenario_record
from resettle.reports import decide_figures as df
from resettle.reports.compare import description, trigger_text
from resettle.reports.document import Document, write_reports
from resettle.store.atomic import write_atomically
from resettle.store.provenance import provenance, write_json
from resettle.text.messages import localise_table, metric_in_sentence, scenario_name, text

REPORT_DIR = "report"
REGRET_COLUMNS = ["policy", "mean", "p10", "p90", "mean_regret", "max_regret", "halfwidth",
                  "satisficing", "fails"]
SENSITIVITY_COLUMNS = ["parameter", "dummy", "margin_index", "margin_low", "margin_high",
                       "margin_above", "rho", "flips_low", "flips_high"]
TOP_DRIVERS = 5  # the parameters above the noise floor the report names (the table has all)
SEARCH_COLUMNS = ["max_regret", "mean_regret", "satisficing", "fails", "switched",
                  "switch_year", "best"]


def _halfwidth(value: float) -> str:
    return "–" if math.isnan(value) else f"{value:.3f}"


# ---- the opening -------------------------------------------------------------------------
def recommendation(doc: Document, decision: Decision, lang: str) -> None:
    """The recommendation and its conditions."""
    spec, best = decision.spec, decision.row(decision.recommended)
    worlds = len(spec.world_ids)
    doc.heading(text("h.recommendation", lang))
    lines = [text("decide.recommend", lang, policy=scenario_name(decision.recommended, lang),
                  policies=len(spec.policies), worlds=worlds, max=best["max_regret"],
                  mean=best["mean_regret"])]
    if spec.satisficing:
        met = round(best["satisficing"] * worlds)
        lines.append(text("decide.meets", lang, thresholds=best["threshold"], met=met,
                          worlds=worlds, share=best["satisficing"]))
    else:
        lines.append(text("decide.no_thresholds", lang))
    lines += failure_sentences(decision, decision.recommended, lang)
    lines += timing_sentence(decision, decision.recommended, lang)
    lines += lead_sentence(decision, lang)
    lines += choice_sentences(decision, lang)
    lines += search_noise_sentence(decision, lang)
    lines.append(text("decide.spread", lang, reps=spec.sweep.replications,
                      halfwidth=_halfwidth(typical_halfwidth(decision))))
    lines += reached_sentence(decision, lang)
    doc.bullets(lines)


def reached_sentence(decision: Decision, lang: str) -> list[str]:
    """--precision: whether the rounds reached the target (nothing without --precision)."""
    rounds = decision.precision
    if rounds is None:
        return []
    return [text("precision.reached" if rounds.reached else "precision.not_reached", lang,
                 n=rounds.final, target=f"{rounds.target:g}")]


def failure_sentences(decision: Decision, policy: str, lang: str) -> list[str]:
    """How often ``policy`` fails and where (its PRIM box)."""
    spec = decision.spec
    outcomes = decision.outcomes[decision.outcomes["policy"] == policy]
    failing, worlds = int(outcomes["fails"].sum()), len(outcomes)
    lines = [text("decide.fails", lang, tolerance=f"{spec.tolerance:g}", failing=failing,
                  worlds=worlds)]
    if failing == 0:
        return [*lines, text("decide.fails_nowhere", lang)]
    if failing == worlds:
        return [*lines, text("decide.fails_everywhere", lang)]
    box = decision.boxes[decision.boxes["policy"] == policy]
    if box.empty or not box["parameter"].astype(bool).any():
        return [*lines, text("decide.fails_unseparated", lang)]
    return [*lines, text("decide.fails_where", lang, box=box_phrase(box, decision, lang),
                         coverage=box["coverage"].iloc[0], density=box["density"].iloc[0])]


def box_phrase(box: pd.DataFrame, decision: Decision, lang: str) -> str:
    """A PRIM box as conditions: ``fee_base >= 0.4 and mortality_b <= 0.09``."""
    full = decision.spec.worlds
    parts = []
    for row in box.itertuples():
        if row.allowed:
            parts.append(text("box.among", lang, name=row.parameter, values=row.allowed))
            continue
        low, high = float(full[row.parameter].min()), float(full[row.parameter].max())
        if row.low > low and row.high < high:
            parts.append(text("box.between", lang, name=row.parameter, low=row.low,
                              high=row.high))
        elif row.low > low:
            parts.append(text("box.at_least", lang, name=row.parameter, value=row.low))
        else:
            parts.append(text("box.at_most", lang, name=row.parameter, value=row.high))
    return text("trigger.and", lang).join(parts)


def timing_sentence(decision: Decision, policy: str, lang: str) -> list[str]:
    """When ``policy`` switched (nothing for a policy that never does)."""
    mine = decision.outcomes[decision.outcomes["policy"] == policy]
    if not mine["switched"].any() or mine["switch_year"].isna().all():
        return []
    runs = mine["switched"].mean()
    weights = mine["switched"] / mine["switched"].sum()
    return [text("decide.timing", lang, share=runs, year=float((mine["switch_year"].fillna(0)
                                                                * weights).sum()),
                 low=mine["switch_year"].min(), high=mine["switch_year"].max())]


def typical_halfwidth(decision: Decision) -> float:
    """The median half-width of the combined regret over the (policy, world) pairs where the
    policy is not the world's best: there its regret is 0 in every replication, a half-width
    of 0 that says nothing about noise (NaN with one replication, or none such)."""
    rows = noisy_regret(decision.regret)
    rows = rows[rows["metric"] == COMBINED]
    return float(rows["halfwidth"].median()) if len(rows) else math.nan


def lead_sentence(decision: Decision, lang: str) -> list[str]:
    """Whether the recommendation's lead over the next policy is within Monte-Carlo noise."""
    combined = decision.policies[decision.policies["metric"] == COMBINED]
    ranked = combined.sort_values("max_regret", kind="stable")
    width = typical_halfwidth(decision)
    gap = float(ranked["max_regret"].iloc[1] - ranked["max_regret"].iloc[0]) \
        if len(ranked) > 1 else math.inf
    if math.isnan(width) or gap >= width:
        return []
    return [text("decide.close", lang, policy=scenario_name(ranked["policy"].iloc[1], lang),
                 gap=gap, halfwidth=width)]


def search_noise_sentence(decision: Decision, lang: str) -> list[str]:
    """Whether the trigger search's grid points differ by less than Monte-Carlo noise."""
    search, width = decision.trigger_search, typical_halfwidth(decision)
    if len(search) < 2 or math.isnan(width) or \
            float(search["max_regret"].max() - search["max_regret"].min()) >= width:
        return []
    return [text("decide.search_noise", lang, halfwidth=width)]


def choice_sentences(decision: Decision, lang: str) -> list[str]:
    """Whether satisficing agrees; the best trigger of the search."""
    lines = []
    shares = decision.policies.loc[decision.policies["metric"] == COMBINED, "satisficing"]
    if decision.most_satisficing is not None and not shares.any():
        lines.append(text("decide.none_satisfice", lang))
    elif decision.most_satisficing == decision.recommended:
        lines.append(text("decide.agree", lang))
    elif decision.most_satisficing is not None:
        other = decision.row(decision.most_satisficing)
        lines.append(text("decide.disagree", lang,
                          policy=scenario_name(decision.most_satisficing, lang),
                          share=other["satisficing"], max=other["max_regret"]))
    search = decision.trigger_search
    if not search.empty:
        top = search[search["best"]].iloc[0]
        keys = [k for k, _ in next(p.settings for p in decision.spec.policies
                                   if p.name == top["policy"])]
        lines.append(text("decide.search", lang, points=len(search), keys=", ".join(keys),
                          policy=scenario_name(top["policy"], lang), max=top["max_regret"]))
    return lines


# ---- the sections ------------------------------------------------------------------------
def policies_section(doc: Document, decision: Decision, lang: str) -> None:
    """Each policy: its name, kind, description (a variant: its base) and its switch."""
    doc.heading(text("h.policies", lang))
    doc.bullets([policy_line(p, lang) for p in decision.spec.policies])


def policy_line(policy: Policy, lang: str) -> str:
    """One policy in words, its switch as ``compare``'s report words it."""
    s = policy.scenario
    switch = "" if s.switch_year is None else text("compare.switch", lang, year=s.switch_year)
    if s.switch_trigger is not None:
        switch = text("compare.trigger", lang, rule=trigger_text(s.switch_trigger, lang))
    described = (text("decide.variant", lang, base=scenario_name(policy.base, lang),
                      switch=switch) if policy.base else description(s, lang) + switch)
    return text("decide.policy", lang, name=scenario_name(policy.name, lang),
                kind=text(f"kind.{policy.kind}", lang), description=described)


def regret_section(doc: Document, decision: Decision, folder: Path, lang: str) -> None:
    """The combined score's regret table and the outcomes over the worlds."""
    doc.heading(text("h.regret", lang))
    doc.paragraph(text("decide.regret_note", lang))
    rows = decision.policies[decision.policies["metric"] == COMBINED][REGRET_COLUMNS]
    doc.table(_localised(rows, lang))
    metrics = [*decision.spec.metrics, COMBINED]
    doc.image(df.outcomes_by_world(decision.outcomes, metrics, _order(decision),
                                   folder / "outcomes.png", lang=lang),
              text("caption.decide_outcomes", lang, horizon=decision.spec.horizon))
    if decision.spec.satisficing:
        doc.image(df.satisficing_bars(decision.policies, _order(decision),
                                      folder / "satisficing.png", lang=lang),
                  text("caption.decide_satisficing", lang))


def metric_section(doc: Document, decision: Decision, folder: Path, lang: str) -> None:
    """The least maximum regret on each metric, and the heat map of maximum regret."""
    doc.heading(text("h.by_metric", lang))
    table = decision.policies
    lines = []
    for metric in decision.spec.metrics:
        rows = table[table["metric"] == metric]
        top = rows.loc[rows["max_regret"].idxmin()]
        lines.append(text("decide.metric_choice", lang, metric=metric_in_sentence(metric, lang),
                          better=text(f"better.{top['better']}", lang),
                          policy=scenario_name(top["policy"], lang), max=top["max_regret"]))
    doc.bullets(lines)
    reasons = dict.fromkeys(why for m in decision.spec.metrics for why in definition_reasons(m))
    if reasons:
        doc.paragraph(text("decide.definition", lang))
        doc.bullets([text(f"definition.{why}", lang) for why in reasons])
    doc.image(df.regret_heatmap(table, _order(decision), [*decision.spec.metrics, COMBINED],
                                folder / "max_regret.png", lang=lang),
              text("caption.decide_regret", lang))


def definition_reasons(metric: str) -> tuple[str, ...]:
    """Why a difference in ``metric`` follows (partly) from the schemes' definitions: its own
    reasons, and for the maturity index those of its sub-scores."""
    if metric == "maturity":
        return tuple(why for sub in SUBSCORES for why in BY_DEFINITION.get(f"maturity_{sub}", ()))
    return BY_DEFINITION.get(metric, ())


def failure_section(doc: Document, decision: Decision, lang: str) -> None:
    """Where the recommended policy fails: its sentences and its box."""
    doc.heading(text("h.failure", lang))
    doc.paragraph(text("decide.prim", lang, parameters=decision.spec.worlds.shape[1],
                       worlds=len(decision.spec.world_ids)))
    doc.bullets(failure_sentences(decision, decision.recommended, lang))
    box = decision.boxes[decision.boxes["policy"] == decision.recommended]
    if not box.empty:
        doc.table(_localised(box.drop(columns="policy"), lang))


def sensitivity_section(doc: Document, decision: Decision, lang: str) -> None:
    """Which assumptions flip the ranking: the flip share, the parameters above the noise
    floor, the dummy, the caveats (nothing with a single policy: no ranking)."""
    if len(decision.spec.policies) < 2:
        return
    doc.heading(text("h.flips", lang))
    worlds, table = len(decision.spec.world_ids), decision.sensitivity
    lines = [flip_sentence(decision, lang)]
    if worlds < ds.MIN_WORLDS:
        doc.bullets([*lines, text("decide.too_few_worlds", lang, worlds=worlds,
                                  minimum=ds.MIN_WORLDS)])
        return
    if table["margin_index"].isna().all():
        doc.bullets([*lines, text("decide.constant_margin", lang)])
        return
    doc.bullets([*lines, *driver_sentences(table, lang), noise_sentence(table, lang)])
    doc.paragraph(text("decide.sensitivity_method", lang, worlds=worlds,
                       bins=ds.bin_count(worlds)))
    shown = table[(table.index < TOP_DRIVERS) | table["dummy"]]
    doc.table(_localised(shown[SENSITIVITY_COLUMNS], lang))


def flip_sentence(decision: Decision, lang: str) -> str:
    """In how many worlds the recommended policy is not the best (its margin below 0), and in
    how many the margin is within the typical Monte-Carlo half-width (not said with one
    replication, which has none)."""
    outcomes = decision.outcomes.set_index(["policy", "world"])
    margin = ds.ranking_margin(outcomes[COMBINED], decision.recommended)
    typical = typical_halfwidth(decision)
    flips = text("decide.flips", lang, flips=int((margin < 0).sum()), worlds=len(margin),
                 share=ds.flip_share(margin))
    if math.isnan(typical):
        return flips
    return text("sentence.sep", lang).join([flips, text(
        "decide.flips_close", lang, close=int((margin.abs() < typical).sum()),
        worlds=len(margin), halfwidth=_halfwidth(typical))])


def driver_sentences(table: pd.DataFrame, lang: str) -> list[str]:
    """One sentence per parameter above the noise floor (the first TOP_DRIVERS)."""
    above = table[table["margin_above"] & ~table["dummy"]].head(TOP_DRIVERS)
    if above.empty:
        return [text("decide.no_driver", lang)]
    return [text("decide.driver", lang, name=row.parameter, index=row.margin_index,
                 low=row.margin_low, high=row.margin_high, rho=row.rho,
                 direction=text(f"direction.{direction(row.rho)}", lang),
                 below=row.flips_low, above=row.flips_high) for row in above.itertuples()]


def direction(rho: float) -> str:
    """up, down or none: the sign of Spearman's rho."""
    return "none" if math.isnan(rho) or rho == 0 else ("up" if rho > 0 else "down")


def noise_sentence(table: pd.DataFrame, lang: str) -> str:
    """What the dummy scored, and the noise floor."""
    dummy = table[table["dummy"]].iloc[0]
    return text("decide.noise", lang, dummy=dummy["margin_index"], floor=dummy["margin_floor"],
                parameters=int((~table["dummy"] & table["margin_index"].notna()).sum()))


def search_section(doc: Document, decision: Decision, folder: Path, lang: str) -> None:
    """The trigger search's grid, when there is one."""
    search = decision.trigger_search
    if search.empty:
        return
    keys = [k for k, _ in next(p.settings for p in decision.spec.policies
                               if p.kind == TRIGGER_SEARCH)]
    doc.heading(text("h.search", lang))
    doc.paragraph(text("decide.search_note", lang))
    doc.table(_localised(search[["policy", *keys, *SEARCH_COLUMNS]], lang))
    doc.image(df.search_figure(search, keys, folder / "trigger_search.png", lang=lang),
              text("caption.decide_search", lang))


def precision_section(doc: Document, decision: Decision, lang: str) -> None:
    """--precision: the target, each round's N and widest half-width, whether the target was
    reached, the stopping rule, and what the half-widths are (nothing without --precision)."""
    rounds = decision.precision
    if rounds is None:
        return
    listed = text("list.sep", lang).join(text("precision.round", lang, n=n, width=w)
                                         for n, w in rounds.pairs)
    spec_reps = decision.spec.raw.get("decide", {}).get("replications", DEFAULT_REPLICATIONS)
    doc.heading(text("h.precision", lang))
    doc.paragraph(text("sentence.sep", lang).join([
        text("decide.precision_rounds", lang, target=f"{rounds.target:g}", least=rounds.least,
             most=rounds.most, rounds=listed),
        *reached_sentence(decision, lang),
        text("precision.rule", lang, growth=MAX_GROWTH),
        text("decide.precision_plain", lang, n=rounds.final, spec_reps=spec_reps),
        text("decide.precision_mc", lang)]))


def method_section(doc: Document, decision: Decision, lang: str) -> None:
    """How the study was run and scored; the files."""
    spec = decision.spec
    weights = text("sep", lang).join(f"{metric_in_sentence(m, lang)} {w:g}"
                                     for m, w in spec.weights)
    doc.heading(text("h.method", lang))
    doc.paragraph(text("decide.method", lang, worlds=len(spec.world_ids),
                       folder=spec.worlds_dir, reps=spec.sweep.replications,
                       seed=spec.sweep.seed, horizon=spec.horizon, weights=weights,
                       tolerance=f"{spec.tolerance:g}"))
    doc.heading(text("h.files", lang))
    doc.paragraph(text("decide.files", lang))


def _order(decision: Decision) -> list[str]:
    return [p.name for p in decision.spec.policies]


def _localised(frame: pd.DataFrame, lang: str) -> pd.DataFrame:
    """A table for the report: policy names in ``lang``, flags (best, dummy, above the noise
    floor) as ✓, headers in ``lang``."""
    out = frame.copy()
    if "policy" in out:
        out["policy"] = [scenario_name(p, lang) for p in out["policy"]]
    for flag in ("best", "dummy", "margin_above"):
        if flag in out:
            out[flag] = ["✓" if b else "" for b in out[flag]]
    return localise_table(out, lang)


def decide_document(decision: Decision, folder: Path, lang: str = "en") -> Document:
    """The report in ``lang``; its figures are drawn into ``folder``."""
    doc = Document(text("decide.title", lang, name=decision.spec.name), lang=lang)
    recommendation(doc, decision, lang)
    policies_section(doc, decision, lang)
    regret_section(doc, decision, folder, lang)
    metric_section(doc, decision, folder, lang)
    failure_section(doc, decision, lang)
    sensitivity_section(doc, decision, lang)
    search_section(doc, decision, folder, lang)
    precision_section(doc, decision, lang)
    method_section(doc, decision, lang)
    return doc


# ---- writing -----------------------------------------------------------------------------
def decide_manifest(out: Path, decision: Decision, argv: list[str] | None,
                    reports: dict[str, str], seconds: float) -> dict:
    """Provenance of the study: the common keys, then what was compared and chosen."""
    spec = decision.spec
    sweep = json.loads((out / "sweep.json").read_text("utf-8"))
    return provenance(
        command=argv, root_seed=spec.sweep.seed,
        seeds=sweep.get("seeds", [])[:spec.sweep.replications],  # --precision: planned more
        scenarios=[scenario_record(p.scenario) for p in spec.policies],
        seconds=float(sweep.get("seconds") or 0) + seconds, decide=spec.name,
        worlds_dir=spec.worlds_dir, worlds=list(spec.world_ids), horizon_years=spec.horizon,
        metrics={m: "higher" if spec.sign(m) > 0 else "lower" for m in spec.metrics},
        weights=dict(spec.weights), satisficing=[c.describe() for c in spec.satisficing],
        regret_tolerance=spec.tolerance, recommended=decision.recommended,
        most_satisficing=decision.most_satisficing,
        trigger_search_best=None if decision.trigger_search.empty else
        str(decision.trigger_search.loc[decision.trigger_search["best"], "policy"].iloc[0]),
        languages=list(reports), reports={k: f"{REPORT_DIR}/{v}" for k, v in reports.items()},
        replications=spec.sweep.replications, **precision_record(decision))


def precision_record(decision: Decision) -> dict:
    """--precision's keys of the manifest, as compare's (none without --precision)."""
    rounds = decision.precision
    if rounds is None:
        return {}
    return {"precision_target": rounds.target, "precision_reps_bounds": [rounds.least,
                                                                         rounds.most],
            "precision_rounds": [{"n": n, "widest_half_width": w} for n, w in rounds.pairs],
            "precision_reached": rounds.reached}


def write_decide_report(out: Path, decision: Decision, langs: list[str] | tuple[str, ...],
                        argv: list[str] | None = None) -> Path:
    """``out/report/`` (a report per language, replaced whole) and ``out/manifest.json``."""
    start, reports = time.perf_counter(), {}

    def fill(tmp: Path) -> None:
        reports.update(write_reports(tmp, langs, lambda lang, folder: decide_document(
            decision, folder, lang)))

    write_atomically(out / REPORT_DIR, fill, force=True)
    record = decide_manifest(out, decision, argv, reports, time.perf_counter() - start)
    write_file(out / "manifest.json", lambda p: write_json(p, record))
    return out / REPORT_DIR
