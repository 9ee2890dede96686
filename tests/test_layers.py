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


def imported(path: Path, name: str | None = None) -> list[tuple[int, str]]:
    """(line, module) of every import of a resettle module in the file (relative imports
    resolved against ``name``, the file's module name)."""
    name = name or module_name(path)
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found = []
    for node in ast.walk(ast.parse(path.read_text("utf-8"))):
        if isinstance(node, ast.Import):
            found += [(node.lineno, a.name) for a in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = _absolute(node, package)
            names = [f"{base}.{a.name}" for a in node.names]
            # "from resettle import x" imports the module resettle.x when there is one
            found += [(node.lineno, n if _is_module(n) else base) for n in names]
    return [(line, m) for line, m in found if m == "resettle" or m.startswith("resettle.")]


def _absolute(node: ast.ImportFrom, package: str) -> str:
    """The module a ``from ... import`` names, with leading dots resolved."""
    if node.level == 0:
        return node.module or ""
    parts = package.split(".")[: len(package.split(".")) - (node.level - 1)]
    return ".".join([*parts, *([node.module] if node.module else [])])


def violations(path: Path, name: str | None = None) -> list[str]:
    """The imports of ``path`` that its layer may not make."""
    own = layer(name or module_name(path))
    allowed = ALLOWED[own] | {own, "base"}
    return [f"{path.name}:{line} imports {m} ({layer(m)}; {own} may import only "
            f"{sorted(allowed)})" for line, m in imported(path, name) if layer(m) not in allowed]


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
    wrong = violations(path)
    assert not wrong, "; ".join(wrong)


def test_the_base_imports_nothing_of_the_package() -> None:
    for name in BASE:
        assert imported(PACKAGE / f"{name}.py") == []


@pytest.mark.parametrize("line", [
    "from resettle.reports import figures",  # absolute, inside a function below
    "from ..reports import figures",  # relative
    "from resettle import reports",
    "import resettle.text.labels",
], ids=["absolute", "relative", "from the package", "import"])
def test_the_checker_sees_a_violation(tmp_path: Path, line: str) -> None:
    """The test itself can fail: a sim module importing a report or a word is caught."""
    fake = tmp_path / "model.py"
    fake.write_text(f"import numpy\n\n\ndef _f():\n    {line}\n", "utf-8")
    found = violations(fake, name="resettle.sim.model")
    assert len(found) == 1 and "sim may import only" in found[0]


def test_the_checker_passes_an_allowed_import(tmp_path: Path) -> None:
    fake = tmp_path / "model.py"
    fake.write_text("from ..params.sections import Levers\nfrom resettle.errors import X\n",
                    "utf-8")
    assert violations(fake, name="resettle.sim.model") == []
