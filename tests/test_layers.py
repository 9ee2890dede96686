"""The package's layers, read from every module's imports (``ast``; imports inside functions
included), against the direction the folders promise (docs/ODD.md §7.0):

    cli → reports, dashboard → experiments → sim → params → errors, outcomes, _version

with ``analysis``, ``store`` and ``text`` as leaves. In particular ``sim`` never imports
experiments, reports, text, the dashboard or the command line; ``analysis`` never imports
``sim``; ``experiments`` never imports reports or text.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "model" / "resettle"
BASE = {"errors", "outcomes", "_version"}  # modules every layer may use
ALLOWED = {
    "base": set(),
    "params": set(),
    "sim": {"params"},
    "analysis": set(),
    "store": set(),
    "text": set(),
    "experiments": {"params", "sim", "analysis", "store"},
    "reports": {"params", "experiments", "analysis", "store", "text"},
    "dashboard": {"params", "sim", "experiments", "text"},
    "cli": {"params", "sim", "analysis", "experiments", "store", "text", "reports",
            "dashboard"},
    "face": {"params", "sim", "dashboard"},  # resettle/__init__.py and the app.py shim
}


def layer(module: str) -> str:
    """The layer of a dotted module name inside the package (``resettle.sim.model`` → sim)."""
    parts = module.split(".")
    if parts == ["resettle"] or parts[1:] == ["app"]:
        return "face"
    return "base" if parts[1] in BASE else parts[1]


def module_name(path: Path) -> str:
    """``model/resettle/sim/model.py`` → ``resettle.sim.model`` (packages by their folder)."""
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def imported(path: Path) -> list[tuple[int, str]]:
    """(line, module) of every import of a resettle module in the file."""
    found = []
    for node in ast.walk(ast.parse(path.read_text("utf-8"))):
        if isinstance(node, ast.Import):
            found += [(node.lineno, a.name) for a in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names = [f"{node.module}.{a.name}" for a in node.names]
            # "from resettle import x" imports the module resettle.x when there is one
            found += [(node.lineno, n if _is_module(n) else node.module) for n in names]
    return [(line, m) for line, m in found if m == "resettle" or m.startswith("resettle.")]


def _is_module(name: str) -> bool:
    rel = Path(*name.split(".")[1:])
    return (PACKAGE / rel).is_dir() or (PACKAGE / rel).with_suffix(".py").is_file()


MODULES = sorted(PACKAGE.rglob("*.py"))


def test_every_module_has_a_layer() -> None:
    assert len(MODULES) > 40
    for path in MODULES:
        assert layer(module_name(path)) in ALLOWED, path


@pytest.mark.parametrize("path", MODULES, ids=lambda p: module_name(p))
def test_imports_follow_the_layers(path: Path) -> None:
    own = layer(module_name(path))
    allowed = ALLOWED[own] | {own, "base"}
    wrong = [f"{path.relative_to(PACKAGE)}:{line} imports {m} ({layer(m)})"
             for line, m in imported(path) if layer(m) not in allowed]
    assert not wrong, f"{own} may import only {sorted(allowed)}: " + "; ".join(wrong)


def test_the_base_imports_nothing_of_the_package() -> None:
    for name in BASE:
        assert imported(PACKAGE / f"{name}.py") == []


def test_the_checker_sees_a_violation(tmp_path: Path) -> None:
    """The test itself can fail: a sim module importing a report is caught."""
    bad = PACKAGE / "sim" / "model.py"
    code = bad.read_text("utf-8") + "\n\ndef _f():\n    from resettle.reports import figures\n"
    fake = tmp_path / "model.py"
    fake.write_text(code, "utf-8")
    assert ("resettle.reports.figures" in {m for _, m in imported(fake)})
    assert layer("resettle.reports.figures") not in ALLOWED["sim"]
