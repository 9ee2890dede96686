#!/usr/bin/env bash
# Rewrite scenarios/baseline.toml from the built-in defaults (`resettle params --toml`), with the
# baseline's own name and descriptions: run after adding or changing a parameter.
set -euo pipefail
cd "$(dirname "$0")/.."
.venv/bin/resettle params --toml | sed \
  -e 's/^description = "Dongyu under Scheme 1 with the built-in defaults"$/description = "Dongyu (BRIEF §2) with the behavioural constants; levers at Scheme 1 (§4)"\ndescription_zh = "东裕社区（BRIEF §2）及行为常数；政策选项取方案一（§4）"/' \
  | sed '${/^$/d}' > scenarios/baseline.toml.new
mv scenarios/baseline.toml.new scenarios/baseline.toml
