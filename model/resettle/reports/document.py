"""Reports: a small document model rendered to Markdown and to self-contained HTML, and the
writing of one report per language (:func:`write_reports`). Each study's report
(``resettle.reports.compare``, ``switch_year``, ``sweep``) builds a :class:`Document`."""

from __future__ import annotations

import base64
import html
import math
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

CSS = ("body{font-family:sans-serif;max-width:60em;margin:2em auto;line-height:1.45;color:#222}"
       "table{border-collapse:collapse;font-size:.85em;margin:.5em 0 1.5em}"
       "td,th{border:1px solid #bbb;padding:.2em .5em;text-align:right}"
       "th{background:#eee}td:first-child,th:first-child{text-align:left}"
       "img{max-width:100%}figcaption{font-size:.85em;color:#555}")


@dataclass
class Document:
    """Headings, paragraphs, bullet lists, tables and images, in order. ``lang`` is the
    language of the text; ``root`` the folder the report is written to (images are linked
    relative to it; by file name when it is not set)."""

    title: str
    blocks: list[tuple[str, object]] = field(default_factory=list)
    lang: str = "en"
    root: Path | None = None

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
            if kind == "image":
                path, caption = value
                out += [f"![{caption}]({self.link(path)})", f"*{caption}*", ""]
            else:
                out += [*MARKDOWN[kind](value), ""]
        return "\n".join(out)

    def link(self, path: Path) -> str:
        """Where the Markdown finds an image: relative to ``root``, or the file name."""
        if self.root is not None and path.is_relative_to(self.root):
            return path.relative_to(self.root).as_posix()
        return path.name

    def html(self) -> str:
        """The document as one self-contained HTML page (images embedded)."""
        body = [f"<h1>{html.escape(self.title)}</h1>"]
        body += [HTML[kind](value) for kind, value in self.blocks]
        lang = "zh-CN" if self.lang == "zh" else self.lang
        return (f"<!DOCTYPE html><html lang='{lang}'><head><meta charset='utf-8'><title>"
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
}
HTML = {
    "heading": lambda v: f"<h{v[0]}>{html.escape(v[1])}</h{v[0]}>",
    "paragraph": lambda v: f"<p>{html.escape(v)}</p>",
    "bullets": lambda v: "<ul>" + "".join(f"<li>{html.escape(i)}</li>" for i in v) + "</ul>",
    "table": html_table,
    "image": html_image,
}


def report_stem(index: int, lang: str) -> str:
    """File name (without extension) of the ``index``-th language's report: ``report`` for
    the first language, ``report.<lang>`` for the others."""
    return "report" if index == 0 else f"report.{lang}"


def write_reports(tmp: Path, langs: list[str] | tuple[str, ...],
                  build: Callable[[str, Path], Document]) -> dict[str, str]:
    """Write one report per language into ``tmp``: the first language's as report.md and
    report.html with its figures beside them, each other language L's as report.L.md and
    report.L.html with its figures in ``L/``. ``build(lang, folder)`` draws the figures into
    ``folder`` and returns the document. Returns {language: Markdown file name}."""
    written = {}
    for i, lang in enumerate(langs):
        folder = tmp if i == 0 else tmp / lang
        folder.mkdir(exist_ok=True)
        doc = build(lang, folder)
        doc.lang, doc.root = lang, tmp
        stem = report_stem(i, lang)
        (tmp / f"{stem}.md").write_text(doc.markdown(), "utf-8")
        (tmp / f"{stem}.html").write_text(doc.html(), "utf-8")
        written[lang] = f"{stem}.md"
    return written
