"""Reports: a small document model rendered to Markdown and to self-contained HTML.

The plain-language summary is generated from the numbers (``summary_sentences``); the rest of
the report is the evidence: milestone tables, precision, figures, and every assumption used.
"""

from __future__ import annotations

import base64
import html
import math
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from resettle.labels import metric_label

CSS = ("body{font-family:sans-serif;max-width:60em;margin:2em auto;line-height:1.45;color:#222}"
       "table{border-collapse:collapse;font-size:.85em;margin:.5em 0 1.5em}"
       "td,th{border:1px solid #bbb;padding:.2em .5em;text-align:right}"
       "th{background:#eee}td:first-child,th:first-child{text-align:left}"
       "img{max-width:100%}figcaption{font-size:.85em;color:#555}")


@dataclass
class Document:
    """Headings, paragraphs, bullet lists, tables and images, in order."""

    title: str
    blocks: list[tuple[str, object]] = field(default_factory=list)

    def heading(self, text: str, level: int = 2) -> None:
        """Add a section heading."""
        self.blocks.append(("heading", (level, text)))

    def paragraph(self, text: str) -> None:
        """Add a paragraph."""
        self.blocks.append(("paragraph", text))

    def bullets(self, items: list[str]) -> None:
        """Add a bullet list."""
        self.blocks.append(("bullets", items))

    def table(self, frame: pd.DataFrame) -> None:
        """Add a table (numbers formatted to 3 significant decimals)."""
        self.blocks.append(("table", frame))

    def image(self, path: Path, caption: str) -> None:
        """Add a figure (a PNG file next to the report)."""
        self.blocks.append(("image", (Path(path), caption)))

    def markdown(self) -> str:
        """The document as Markdown (images linked by file name)."""
        out = [f"# {self.title}", ""]
        for kind, value in self.blocks:
            out += [*MARKDOWN[kind](value), ""]
        return "\n".join(out)

    def html(self) -> str:
        """The document as one self-contained HTML page (images embedded)."""
        body = [f"<h1>{html.escape(self.title)}</h1>"]
        body += [HTML[kind](value) for kind, value in self.blocks]
        return (f"<!DOCTYPE html><html lang='en'><head><meta charset='utf-8'><title>"
                f"{html.escape(self.title)}</title><style>{CSS}</style></head><body>"
                + "\n".join(body) + "</body></html>")


def fmt(value: object) -> str:
    """A table cell: floats to 3 decimals (p-values in scientific notation when tiny)."""
    if isinstance(value, float):
        if math.isnan(value):
            return "–"
        return f"{value:.2e}" if 0 < abs(value) < 1e-3 else f"{value:.3f}"
    return str(value)


def md_table(frame: pd.DataFrame) -> list[str]:
    """A Markdown pipe table."""
    head = "| " + " | ".join(str(c) for c in frame.columns) + " |"
    rule = "|" + "|".join("---" for _ in frame.columns) + "|"
    rows = ["| " + " | ".join(fmt(v) for v in row) + " |" for row in frame.itertuples(False)]
    return [head, rule, *rows]


def html_table(frame: pd.DataFrame) -> str:
    """An HTML table."""
    head = "".join(f"<th>{html.escape(str(c))}</th>" for c in frame.columns)
    rows = "".join("<tr>" + "".join(f"<td>{html.escape(fmt(v))}</td>" for v in row) + "</tr>"
                   for row in frame.itertuples(False))
    return f"<table><tr>{head}</tr>{rows}</table>"


def html_image(value: tuple[Path, str]) -> str:
    """An embedded PNG with its caption."""
    path, caption = value
    data = base64.b64encode(path.read_bytes()).decode("ascii")
    return (f"<figure><img alt='{html.escape(caption)}' src='data:image/png;base64,{data}'>"
            f"<figcaption>{html.escape(caption)}</figcaption></figure>")


MARKDOWN = {
    "heading": lambda v: ["#" * v[0] + " " + v[1]],
    "paragraph": lambda v: [v],
    "bullets": lambda v: [f"- {item}" for item in v],
    "table": md_table,
    "image": lambda v: [f"![{v[1]}]({v[0].name})", f"*{v[1]}*"],
}
HTML = {
    "heading": lambda v: f"<h{v[0]}>{html.escape(v[1])}</h{v[0]}>",
    "paragraph": lambda v: f"<p>{html.escape(v)}</p>",
    "bullets": lambda v: "<ul>" + "".join(f"<li>{html.escape(i)}</li>" for i in v) + "</ul>",
    "table": html_table,
    "image": html_image,
}


def effect_sentence(metric: str, year: str, scenario: str, baseline: str, diff: float,
                    low: float, high: float) -> str:
    """One plain-language sentence about a paired difference and its 95% CI."""
    label = metric_label(metric).lower()
    ci = f"(95% CI {low:+.3f} to {high:+.3f})"
    if low > 0 or high < 0:
        verb = "raises" if diff > 0 else "lowers"
        return (f"{year}, {scenario} {verb} {label} by {abs(diff):.3f} {ci} "
                f"compared with {baseline}.")
    return (f"{year}, {scenario} and {baseline} do not differ clearly in {label} "
            f"(difference {diff:+.3f}, 95% CI {low:+.3f} to {high:+.3f}).")


def summary_sentences(summary: pd.DataFrame, early: pd.DataFrame, baseline: str) -> list[str]:
    """Sentences for the last milestone year, and for early-years effects that are clear."""
    last = summary["year"].max()
    rows = summary[(summary["year"] == last) & (summary["scenario"] != baseline)]
    sentences = [effect_sentence(r.metric, f"By year {last}", r.scenario, baseline, r.diff,
                                 r.diff_low, r.diff_high) for r in rows.itertuples()]
    sentences += [effect_sentence(r.metric, f"In years {r.years}", r.scenario, baseline,
                                  r.diff, r.diff_low, r.diff_high)
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
