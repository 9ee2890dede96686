# Two commands do everything on a fresh machine:
#   make demo   set up .venv and compare Scheme 1, Scheme 2 and the phased scenario
#   make test   set up .venv (with test extras), lint, and run the test suite
SHELL := /bin/bash
VENV  := .venv
PY    := $(VENV)/bin/python
STAMP := $(VENV)/.installed

.PHONY: demo test lint bench clean venv sysdeps dashboard

venv: $(STAMP)

$(STAMP): pyproject.toml tools/find_python.sh tools/solara_assets.py
	@PYBIN=$$(bash tools/find_python.sh) || exit 1; \
	 echo "using $$PYBIN ($$($$PYBIN --version))"; \
	 $$PYBIN -m venv $(VENV) && \
	 $(PY) -m pip install --quiet --upgrade pip && \
	 $(PY) -m pip install --quiet -e ".[test]" && \
	 $(PY) tools/solara_assets.py
	@touch $(STAMP)

DEMO_REPS ?= 40

demo: $(STAMP)
	$(VENV)/bin/resettle compare scenarios/scheme1.toml scenarios/scheme2.toml \
	    scenarios/phased.toml --reps $(DEMO_REPS) --out outputs/demo --force

lint: $(STAMP)
	$(VENV)/bin/ruff check model tests benchmarks tools

# chromium (browser test) and Noto Sans CJK (Chinese figures), from Debian's packages
sysdeps:
	@bash tools/install_system_deps.sh

test: $(STAMP) sysdeps lint
	$(PY) -m pytest -q

dashboard: $(STAMP)
	$(VENV)/bin/resettle dashboard

bench: $(STAMP)
	$(PY) benchmarks/bench_run.py

clean:
	rm -rf $(VENV) outputs/demo
