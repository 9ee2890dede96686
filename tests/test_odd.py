"""docs/ODD.md is true to the code where it can be checked mechanically: its Appendix A is the
parameter catalogue (regenerate with ``python tools/odd_appendix.py``), Appendix B names every
column of the monthly table, and §7.0 names every submodel file."""

from __future__ import annotations

import sys
from pathlib import Path

from resettle.outcomes import COMPARABLE, RUN_COLUMNS

ROOT = Path(__file__).resolve().parents[1]
ODD = (ROOT / "docs" / "ODD.md").read_text("utf-8")
sys.path.insert(0, str(ROOT / "tools"))

from odd_appendix import replaced  # noqa: E402


def test_appendix_a_is_the_parameter_catalogue() -> None:
    assert replaced(ODD) == ODD, "docs/ODD.md Appendix A is stale: python tools/odd_appendix.py"


def test_appendix_b_names_every_column() -> None:
    appendix = ODD.split("## Appendix B.", 1)[1]
    missing = [c for c in (*RUN_COLUMNS, *COMPARABLE) if f"`{c}`" not in appendix]
    assert not missing, missing


def test_every_submodel_file_is_described() -> None:
    submodels = ROOT / "model" / "resettle" / "sim" / "submodels"
    missing = [p.name for p in submodels.glob("*.py")
               if p.name != "__init__.py" and p.name not in ODD]
    assert not missing, missing
