"""How long the dashboard takes per month: stepping the model and drawing each panel.

The dashboard draws its four matplotlib panels again after every month, so the drawing, not
the model, sets how fast "play" can go. This times, after a warm-up, over ``--months`` months
of Scheme 1 (the headline and maturity charts grow with the months shown):

* ``DashboardModel()`` (building the model, what Reset costs);
* one ``step()``;
* each panel's figure built and saved as PNG (what ``solara.FigureMatplotlib`` does), in
  English and in Chinese (the Chinese font is larger to rasterise).

    .venv/bin/python benchmarks/bench_dashboard.py               # about half a minute
    .venv/bin/python benchmarks/bench_dashboard.py --out benchmarks/results_dashboard.json
"""

from __future__ import annotations

import argparse
import io
import json
import platform
import statistics
import time
from datetime import date

from resettle.dashboard.model import DashboardModel
from resettle.dashboard.page import (
    headline_lines,
    lines_figure,
    maturity_lines,
    organisations_figure,
    residents_figure,
)
from resettle.text.fonts import use_font

PANELS = {"headline": lambda m, lang: lines_figure(m, lang, headline_lines(), "headline"),
          "maturity": lambda m, lang: lines_figure(m, lang, maturity_lines(), "maturity"),
          "residents": lambda m, lang: residents_figure(m, "attitude", lang),
          "organisations": organisations_figure}


def seconds(fn, repeats: int) -> float:
    """Median wall time of ``fn()`` over ``repeats`` calls."""
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def draw(panel, model: DashboardModel, lang: str) -> None:
    with use_font(lang):
        fig = panel(model, lang)
        fig.savefig(io.BytesIO(), format="png")


def measure(months: int, repeats: int) -> dict:
    DashboardModel()  # warm-up: imports, numba
    build = seconds(DashboardModel, repeats)
    model = DashboardModel()
    for _ in range(months):
        model.step()
    step = seconds(model.step, repeats * 5)
    panels = {f"{name} ({lang})": seconds(lambda p=panel, lg=lang: draw(p, model, lg), repeats)
              for name, panel in PANELS.items() for lang in ("en", "zh")}
    return {"date": date.today().isoformat(), "machine": platform.platform(),
            "processor": platform.processor() or platform.machine(), "months_shown": months,
            "build_s": build, "step_s": step, "panel_s": panels}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--months", type=int, default=120, help="months run before timing")
    parser.add_argument("--repeats", type=int, default=5, help="timed calls per case")
    parser.add_argument("--out", help="also write the results as JSON here")
    args = parser.parse_args()
    result = measure(args.months, args.repeats)
    print(f"| case | median seconds ({result['months_shown']} months shown) |\n|---|---|")
    print(f"| build the model (Reset) | {result['build_s']:.3f} |")
    print(f"| one month (step) | {result['step_s']:.4f} |")
    for name, s in result["panel_s"].items():
        print(f"| draw {name} | {s:.3f} |")
    if args.out:
        with open(args.out, "w") as f:
            json.dump(result, f, indent=1)


if __name__ == "__main__":
    main()
