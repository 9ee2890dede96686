"""Write docs/ODD.md's Appendix A (every parameter) from the parameter catalogue:
`python tools/odd_appendix.py` rewrites it in place; tests/test_odd.py checks that it is
current, so the ODD's parameter tables never drift from the code."""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
ODD = ROOT / "docs" / "ODD.md"
START, END = "## Appendix A. All parameters", "## Appendix B."
TITLES = {"community": "### A.1 Community: the initial state (BRIEF §2)",
          "levers": "### A.2 Levers: the planner's choices (defaults = Scheme 1)",
          "uncertainties": "### A.3 Uncertainties: behavioural constants"}


def cell(value: object) -> str:
    """A default or a range, as the tables show it."""
    if isinstance(value, tuple):
        return "(" + ", ".join(cell(v) for v in value) + ")"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return f"{value:g}"
    return str(value).replace("|", "/")


def appendix() -> str:
    """The whole of Appendix A, from the catalogue."""
    sys.path.insert(0, str(ROOT / "model"))
    from resettle.params.catalogue import catalogue

    cat = catalogue()
    counts = cat.groupby("section", sort=False).size()
    lines = [START, "",
             "Generated from `params/sections.py` by `tools/odd_appendix.py` (the same catalogue "
             f"that `resettle params` prints): {counts['community']} community parameters, "
             f"{counts['levers']} levers and {counts['uncertainties']} uncertainties. "
             "\"valid\" is the domain a scenario may set (checked on load); \"plausible\" is "
             "the range sweeps and ensembles of worlds sample by default. "
             "`collective_retained_per_capita` is read by no monthly process: it is the book "
             "value of the collective share (§7.10), shown by `resettle describe`.", ""]
    for section, title in TITLES.items():
        lines += [title, "",
                  "| parameter | default | unit | source | valid | plausible | note |",
                  "|---|---|---|---|---|---|---|"]
        rows = cat[cat["section"] == section]
        lines += [f"| `{r.name}` | {cell(r.default)} | {cell(r.unit)} | {cell(r.source)} | "
                  f"{shown_range(r.valid)} | {shown_range(r.plausible)} | {cell(r.doc)} |"
                  for r in rows.itertuples()]
        lines.append("")
    return "\n".join(lines) + "\n"


def shown_range(text: str) -> str:
    """A catalogue range as a table cell: without "a value in" and "one of"."""
    text = text.replace("a value in ", "").replace("one of ", "")
    return "—" if text == "any value" else cell(text)


def replaced(text: str) -> str:
    """``text`` (the ODD) with its Appendix A regenerated."""
    head, rest = text.split(START, 1)
    _, tail = rest.split(END, 1)
    return head + appendix() + END + tail


if __name__ == "__main__":
    ODD.write_text(replaced(ODD.read_text("utf-8")), "utf-8")
    print(f"wrote {ODD}", file=sys.stderr)
