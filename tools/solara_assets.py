"""Put the browser files the dashboard needs into Solara's asset cache, from the npm registry.

Solara's server hands the browser a few JavaScript/CSS packages (its Vue app, RequireJS, Font
Awesome, the draggable grid Mesa's SolaraViz uses) which it normally fetches from a CDN on first
use and caches in ``<venv>/share/solara/cdn/``. A machine that reaches only the package
registries (CI, a cluster) cannot fetch them, so the page never loads. This script reads the
versions the installed Solara asks for, and unpacks each package from the npm registry
(``npm pack``) into that cache. Run it with the venv's Python; it is idempotent. Without npm it
prints one line and exits 0 (the dashboard then fetches the files itself when online), except
under CI (``CI`` set), where the browser test needs them: there it exits 1.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import tarfile
import tempfile
from pathlib import Path

import solara

PACKAGES = ("@widgetti/solara-vuetify3-app", "requirejs", "font-awesome",
            "@widgetti/vue-grid-layout")


def wanted() -> list[str]:
    """``name@version`` of each package, as the installed Solara's sources name them."""
    found: dict[str, str] = {}
    root = Path(solara.__file__).parent
    for path in [p for ext in ("py", "j2", "vue") for p in root.rglob(f"*.{ext}")]:
        source = path.read_text("utf-8", errors="ignore")
        for name in PACKAGES:
            for version in re.findall(re.escape(name) + r"@([0-9][0-9A-Za-z.\-]*)", source):
                found.setdefault(name, version)
    return [f"{name}@{found[name]}" for name in PACKAGES if name in found]


def unpack(spec: str, cache: Path, npm: str) -> None:
    """``npm pack`` one package and unpack its files into ``cache/spec``."""
    with tempfile.TemporaryDirectory() as tmp:
        out = subprocess.run([npm, "pack", "--silent", spec, "--pack-destination", tmp],
                             capture_output=True, text=True, check=True).stdout.split()
        staging = Path(tmp) / "unpacked"
        with tarfile.open(Path(tmp) / out[-1]) as tar:
            tar.extractall(staging, filter="data")
        target = cache / spec
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.move(str(staging / "package"), str(target))


def main() -> int:
    cache = Path(sys.prefix) / "share" / "solara" / "cdn"
    missing = [s for s in wanted() if not (cache / s).is_dir()]
    if not missing:
        return 0
    npm = shutil.which("npm")
    if npm is None:
        print("solara_assets: npm not found; the dashboard will fetch "
              + ", ".join(missing) + " from the CDN when it has internet"
              + ("; CI needs them offline: install npm (Debian: apt-get install npm)"
                 if os.environ.get("CI") else ""), file=sys.stderr)
        return 1 if os.environ.get("CI") else 0
    for spec in missing:
        unpack(spec, cache, npm)
    print(f"solara_assets: {len(missing)} package(s) into {cache}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
