#!/usr/bin/env bash
# Print the path of a Python >= 3.12 (Mesa 3.5 needs it): $PYTHON, then PATH, then pyenv.
# Exits 1 with one line saying what to install when none is found.
ok() { "$1" -c 'import sys, venv; sys.exit(sys.version_info < (3, 12))' >/dev/null 2>&1; }
cands=()
[ -n "${PYTHON:-}" ] && cands+=("$PYTHON")
for v in 3.14 3.13 3.12; do cands+=("python$v"); done
cands+=(python3 python)
root="${PYENV_ROOT:-$HOME/.pyenv}"
for d in $(ls -d "$root"/versions/3.1[2-9]* 2>/dev/null | sort -rV); do cands+=("$d/bin/python3"); done
for c in "${cands[@]}"; do
  p=$(command -v "$c" 2>/dev/null) || continue
  if ok "$p"; then echo "$p"; exit 0; fi
done
echo "resettle needs Python >= 3.12 with venv: install python3.12 (or newer), e.g. 'apt-get install python3.12-venv' or 'pyenv install 3.12', or set PYTHON=/path/to/python3.12" >&2
exit 1
