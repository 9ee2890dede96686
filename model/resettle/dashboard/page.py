"""The dashboard: Mesa's SolaraViz over :class:`~resettle.dashboard.model.DashboardModel`.

Start it with ``resettle dashboard [--lang zh]`` or ``solara run resettle.app``; in a notebook,
make ``dashboard(lang="zh")`` the last line of a cell. The sidebar holds Mesa's controls
(Reset, play, Step) and ours: the scenario, the main levers, the switch to Scheme 2, a few key
uncertainties and the seed. As in every Mesa dashboard, changed controls take effect on Reset.
Settings that scenario validation rejects show the message on the page and stop the model.
"""

from __future__ import annotations

import inspect

import numpy as np
import solara
from matplotlib.colors import ListedColormap, to_rgba
from matplotlib.figure import Figure
from matplotlib.patches import Rectangle
from mesa.visualization import SolaraViz
from mesa.visualization.utils import update_counter

from resettle.dashboard.model import (
    AS_SCENARIO,
    COMMON_CONTROLS,
    HORIZON,
    LANG_ENV,
    LEVER_CONTROLS,
    SCHEME_CONTROLS,
    SWITCH_CHOICES,
    SWITCH_YEAR,
    UNCERTAINTY_CONTROLS,
    Control,
    DashboardModel,
    default_lang,
    scenario_choices,
)
from resettle.outcomes import FOUR_MEASURES, SUBSCORES
from resettle.sim.population import working_age
from resettle.text.dashboard import choice_label, organisation_label, text, village_label
from resettle.text.fonts import check_fonts, names_shown, use_font
from resettle.text.labels import check_lang, metric_label, scenario_label

COLOUR_MODES = ("attitude", "employment", "village")
FIG_SIZE = (6.4, 3.6)  # inches: two charts side by side on a laptop screen
DOT_SIZE = 5  # points², one resident (display choice)
PLAY_INTERVAL_MS = 50  # pause between months while playing (display choice)


def model_params(lang: str) -> dict:
    """SolaraViz's ``model_params``: one entry per control, labelled in ``lang``."""
    names = list(scenario_choices())
    params = {"scenario_name": {"type": "Select", "label": text("scenario_name", lang),
                                "value": scenario_label(names[0], lang),
                                "values": [scenario_label(n, lang) for n in names]}}
    for control in SCHEME_CONTROLS:
        params[control.name] = _input(control, lang)
    params["switch"] = {"type": "Select", "label": text("switch", lang),
                        "value": choice_label(AS_SCENARIO, lang),
                        "values": [choice_label(c, lang) for c in SWITCH_CHOICES]}
    params["switch_year"] = _input(SWITCH_YEAR, lang)
    params["use_sliders"] = {"type": "Checkbox", "label": text("use_sliders", lang),
                             "value": _default("use_sliders")}
    for control in (*COMMON_CONTROLS, HORIZON, *UNCERTAINTY_CONTROLS):
        params[control.name] = _input(control, lang)
    params["seed"] = {"type": "InputText", "label": text("seed", lang),
                      "value": _default("seed")}
    return params


def _input(control: Control, lang: str) -> dict:
    """A Select or slider for ``control``, starting at DashboardModel's default."""
    default = _default(control.name)
    label = text(control.name, lang)
    if control.kind == "choice":
        return {"type": "Select", "label": label, "value": choice_label(default, lang),
                "values": [choice_label(c, lang) for c in control.choices]}
    kind = "SliderInt" if control.kind == "int" else "SliderFloat"
    return {"type": kind, "label": label, "value": default, "min": control.low,
            "max": control.high, "step": control.step}


def _default(name: str):
    """DashboardModel's default for argument ``name``."""
    return inspect.signature(DashboardModel.__init__).parameters[name].default


# ---- components ---------------------------------------------------------------------------
@solara.component
def Status(model: DashboardModel, lang: str):
    """Where the run is, the four headline values, and any validation message."""
    update_counter.get()
    if model.invalid:
        solara.Error(text("invalid", lang, message=model.invalid))
    row = model.rows[-1]
    values = text("list_separator", lang).join(
        f"{metric_label(m, lang)} {_value(row[m])}" for m in FOUR_MEASURES)
    solara.Text(text("status", lang, month=row["month"], months=model.params.months,
                       year=row["year"], scenario=scenario_label(model.params.name, lang),
                       values=values))
    solara.Text(text("in_force", lang, settings=settings_in_force(model, lang)))


def settings_in_force(model: DashboardModel, lang: str) -> str:
    """The values the running model uses for every control (sliders do not show theirs)."""
    p, levers = model.params, model.levers  # the levers in force (Scheme 2's after a switch)
    values = {c.name: choice_label(getattr(levers, c.name), lang) if c.kind == "choice"
              else getattr(levers, c.name) for c in LEVER_CONTROLS}
    values["switch_year"] = "–" if p.switch_year is None else p.switch_year
    values["horizon_years"] = p.horizon_years
    values |= {c.name: f"{getattr(p.uncertainties, c.name):g}" for c in UNCERTAINTY_CONTROLS}
    values["seed"] = model.seed
    settings = text("list_separator", lang).join(
        text("key_value", lang, name=text(name, lang), value=value)
        for name, value in values.items())
    return text("after_switch", lang) + settings if model.switched else settings


def _value(x: float) -> str:
    """A metric as shown: three decimals, a dash where there is no value yet (month 0)."""
    return "–" if x != x else f"{x:.3f}"


def headline_lines() -> list[tuple[str, dict]]:
    """(column, line style) of the headline chart."""
    return [(m, {"color": f"C{i}"}) for i, m in enumerate(FOUR_MEASURES)]


def maturity_lines() -> list[tuple[str, dict]]:
    """(column, line style) of the maturity chart: the score bold, its sub-scores thin."""
    return [("maturity", {"color": "black", "lw": 2.2})] + [
        (f"maturity_{sub}", {"color": f"C{i}", "lw": 1.2}) for i, sub in enumerate(SUBSCORES)]


def lines_figure(model: DashboardModel, lang: str, lines: list[tuple[str, dict]],
                 title: str) -> Figure:
    """Monthly columns of the model's table as lines over the years (0..1 scale)."""
    rows = list(model.rows)  # one snapshot: with Mesa's "Use Threads" a step may append a row
    fig = Figure(figsize=FIG_SIZE)
    ax = fig.subplots()
    years = np.array([r["month"] for r in rows]) / 12
    for column, style in lines:
        ax.plot(years, [r[column] for r in rows], label=metric_label(column, lang), **style)
    _axes(ax, title, lang, model.params.horizon_years)
    return fig


CHARTS = {"headline": headline_lines, "maturity": maturity_lines}  # title key → lines


def signposts_figure(model: DashboardModel, lang: str) -> Figure:
    """A triggered switch's signposts over the years, each with its threshold(s) dashed, the
    window in which it may switch shaded, and the switch month when it has come."""
    rows, trigger = list(model.rows), model.params.switch_trigger
    fig = Figure(figsize=FIG_SIZE)
    ax = fig.subplots()
    years = np.array([r["month"] for r in rows]) / 12
    for i, c in enumerate(trigger.conditions):
        ax.plot(years, [r[c.indicator] for r in rows], color=f"C{i}",
                label=metric_label(c.indicator, lang))
        for bound in (c.at_least, c.at_most):
            if bound is not None:
                ax.axhline(bound, color=f"C{i}", ls="--", lw=1)
    latest = model.params.horizon_years if trigger.latest_year is None else trigger.latest_year
    ax.axvspan(trigger.earliest_year, latest, color="grey", alpha=0.08)
    if switch_line(model) is not None:
        ax.axvline(switch_line(model) / 12, color="grey", ls="--", lw=1,
                   label=text("switch", lang))
    _axes(ax, text("signposts", lang), lang, model.params.horizon_years)
    return fig


def switch_line(model: DashboardModel) -> int | None:
    """The month after which the switch's levers apply: planned (a year) or come (a
    trigger); None while a trigger has not fired or there is no switch."""
    if model.switch_month is not None:
        return model.switch_month - 1
    year = model.params.switch_year
    return None if year is None else 12 * year


@solara.component
def SignpostsChart(model: DashboardModel, lang: str):
    """The signposts of a triggered switch against their thresholds, monthly."""
    update_counter.get()
    with use_font(lang):
        fig = signposts_figure(model, lang)
    solara.FigureMatplotlib(fig, format="png", dependencies=[model, model.steps, lang])


@solara.component
def LinesChart(model: DashboardModel, lang: str, chart: str):
    """A chart of CHARTS (the headline metrics, or maturity and its sub-scores), monthly."""
    update_counter.get()
    with use_font(lang):
        fig = lines_figure(model, lang, CHARTS[chart](), text(chart, lang))
    solara.FigureMatplotlib(fig, format="png", dependencies=[model, model.steps, lang])


def _axes(ax, title: str, lang: str, horizon_years: int) -> None:
    ax.set_title(title, fontsize=11)
    ax.set_xlabel(text("year", lang))
    ax.set_ylabel(text("share", lang))
    ax.set_xlim(0, horizon_years)
    ax.set_ylim(0, 1)
    ax.grid(alpha=0.3)
    ax.legend(fontsize=7, loc="upper left", ncol=2)


@solara.component
def ResidentsView(model: DashboardModel, lang: str):
    """Every resident as a dot inside its building, coloured by attitude, work or village."""
    update_counter.get()
    shown = {text(m, lang): m for m in COLOUR_MODES}
    label, set_label = solara.use_state(text(COLOUR_MODES[0], lang))
    solara.ToggleButtonsSingle(value=label, on_value=set_label, values=list(shown))
    mode = shown.get(label, COLOUR_MODES[0])
    with use_font(lang):
        fig = residents_figure(model, mode, lang)
    solara.FigureMatplotlib(fig, format="png", dependencies=[model, model.steps, mode, lang])


def residents_figure(model: DashboardModel, mode: str, lang: str) -> Figure:
    """Buildings on a grid (in building order, which follows the villages' blocks)."""
    p = model.people
    cols = int(np.ceil(np.sqrt(model.n_buildings * 1.6)))
    per_building = np.bincount(p.building, minlength=model.n_buildings).max()
    side = int(np.ceil(np.sqrt(per_building)))
    rank = _rank_within(p.building)
    bx, by = p.building % cols, p.building // cols
    x = bx + (rank % side + 0.5) / (side + 1) + 0.05
    y = by + (rank // side + 0.5) / (side + 1) + 0.05
    fig = Figure(figsize=(6.4, 4.4))
    ax = fig.subplots()
    colours, cmap, legend = _colours(model, mode, lang)
    dots = ax.scatter(x, -y, c=colours, cmap=cmap, s=DOT_SIZE, vmin=0, vmax=1 if mode == "attitude"
                      else len(legend) - 1, linewidths=0)
    _outline_buildings(ax, model, cols)
    if mode == "attitude":
        fig.colorbar(dots, ax=ax, label=metric_label("attitude", lang), shrink=0.8)
    else:
        for i, name in enumerate(legend):
            ax.scatter([], [], color=cmap(i), label=name, s=12)
        ax.legend(fontsize=7, loc="lower right", framealpha=0.9)
    ax.set_title(text("residents", lang) + f" — {text(mode, lang)}", fontsize=10)
    ax.set_axis_off()
    return fig


def _rank_within(groups: np.ndarray) -> np.ndarray:
    """Each element's position among the elements of its group (0, 1, 2… in index order)."""
    order = np.argsort(groups, kind="stable")
    sorted_groups = groups[order]
    starts = np.flatnonzero(np.r_[True, sorted_groups[1:] != sorted_groups[:-1]])
    counts = np.diff(np.r_[starts, len(groups)])
    rank = np.empty(len(groups), int)
    rank[order] = np.arange(len(groups)) - np.repeat(starts, counts)
    return rank


def _colours(model: DashboardModel, mode: str, lang: str):
    p = model.people
    if mode == "attitude":
        return p.attitude, "viridis", []
    if mode == "village":
        names = [village_label(v, lang) for v in model.village_names]
        return p.village, ListedColormap([f"C{i}" for i in range(len(names))]), names
    working = working_age(p.age, p.female, model.params.community)  # the employment metric's
    state = np.where(~working, 2, np.where(p.employed, 0, 1))
    names = [text(k, lang) for k in ("employed", "not_employed", "not_working_age")]
    return state, ListedColormap(["tab:green", "tab:red", "lightgrey"]), names


def _outline_buildings(ax, model: DashboardModel, cols: int) -> None:
    p = model.people
    for b in range(model.n_buildings):
        villages = p.village[p.building == b]
        main = int(np.bincount(villages).argmax()) if len(villages) else 0
        ax.add_patch(Rectangle((b % cols + 0.02, -(b // cols) - 1.02), 0.96, 0.96, fill=False,
                               edgecolor=f"C{main}", lw=1.2))
    ax.set_xlim(-0.1, cols + 0.1)
    ax.set_ylim(-(model.n_buildings // cols) - 1.2, 0.2)


@solara.component
def OrganisationsView(model: DashboardModel, lang: str):
    """Each organisation as a bar from its founding to its dissolution (or now)."""
    update_counter.get()
    with use_font(lang):
        fig = organisations_figure(model, lang)
    solara.FigureMatplotlib(fig, format="png", dependencies=[model, model.steps, lang])


def organisations_figure(model: DashboardModel, lang: str) -> Figure:
    """The organisation log as a timeline (month on x); dissolved ones are paler."""
    entries = sorted(model.org_log.values(), key=lambda e: (e["founded"], e["kind"]))
    fig = Figure(figsize=(6.4, 0.8 + 0.22 * len(entries)), layout="constrained")
    ax = fig.subplots()
    kinds = sorted({e["kind"] for e in entries})
    now = max(model.rows[-1]["month"], 1)
    start = np.array([e["founded"] for e in entries])
    end = np.array([now if e["dissolved"] is None else e["dissolved"] for e in entries])
    colours = [to_rgba(f"C{kinds.index(e['kind'])}", 0.9 if e["dissolved"] is None else 0.45)
               for e in entries]
    ax.barh(np.arange(len(entries)), end - start, left=start, height=0.7, color=colours)
    switch = switch_line(model)
    if switch is not None:
        ax.axvline(switch, color="grey", ls="--", lw=1,
                   label=text("switch", lang))
        ax.legend(fontsize=7, loc="lower right")
    ax.set_yticks(range(len(entries)), [organisation_label(e, lang) for e in entries],
                  fontsize=7)
    ax.invert_yaxis()
    ax.set_xlim(0, model.params.months)
    ax.set_xlabel(text("month", lang))
    ax.set_title(text("organisations", lang), fontsize=10)
    return fig


# ---- the page -----------------------------------------------------------------------------
@solara.component
def Panels(model: solara.Reactive, lang: str):
    """The main area: status, charts, residents and organisations of the current model.

    Laid out here rather than in SolaraViz's draggable grid, whose JavaScript (vue-grid-layout
    2.3.13-alpha.2) fails under the Vue 3 front end of Solara 1.64 with ipyvue 3
    ("GlobalVue.use is not a function"), leaving the grid empty.
    """
    update_counter.get()
    current = model.value
    Status(current, lang)
    with solara.Columns([1, 1]):
        LinesChart(current, lang, "headline")
        LinesChart(current, lang, "maturity")
    with solara.Columns([1, 1]):
        ResidentsView(current, lang)
        OrganisationsView(current, lang)
    if current.params.switch_trigger is not None:
        SignpostsChart(current, lang)


@solara.component
def Dashboard(lang: str = "en"):
    """The whole dashboard in ``lang`` ("en" or "zh")."""
    first = solara.use_memo(DashboardModel, dependencies=[])
    model = solara.use_reactive(first)
    SolaraViz(model, components=[], model_params=model_params(lang), name=text("title", lang),
              play_interval=PLAY_INTERVAL_MS)
    Panels(model, lang)


def dashboard(lang: str = "en"):
    """The dashboard as a notebook cell's last line: ``dashboard(lang="zh")``. Raises
    ValueError for an unknown language and FontError (saying what to install) for Chinese
    without a Chinese font, before anything is drawn."""
    check_fonts([check_lang(lang)], names_shown(scenario_choices().values()))
    return Dashboard(lang=lang)


@solara.component
def Page():
    """What ``solara run resettle.app`` serves (language from $RESETTLE_LANG); a bad language
    or a missing Chinese font is shown as a message instead of a traceback."""
    try:
        lang = default_lang()
        check_fonts([lang], names_shown(scenario_choices().values()))
    except ValueError as err:  # FontError is a ValueError too
        solara.Error(f"{LANG_ENV}: {err}")
        return
    Dashboard(lang=lang)
