# Two commands do everything on a fresh machine:
#   make demo   set up .venv and run Scheme 1 and Scheme 2 on the built-in defaults
#   make test   set up .venv (with test extras), lint, and run the test suite
SHELL := /bin/bash
VENV  := .venv
PY    := $(VENV)/bin/python
STAMP := $(VENV)/.installed

.PHONY: demo test lint bench clean venv

venv: $(STAMP)

$(STAMP): pyproject.toml tools/find_python.sh
	@PYBIN=$$(bash tools/find_python.sh) || exit 1; \
	 echo "using $$PYBIN ($$($$PYBIN --version))"; \
	 $$PYBIN -m venv $(VENV) && \
	 $(PY) -m pip install --quiet --upgrade pip && \
	 $(PY) -m pip install --quiet -e ".[test]"
	@touch $(STAMP)

demo: $(STAMP)
	$(VENV)/bin/resettle run scenarios/scheme1.toml scenarios/scheme2.toml --reps 5 --out outputs/demo --force

lint: $(STAMP)
	$(VENV)/bin/ruff check model tests benchmarks tools

test: $(STAMP) lint
	$(PY) -m pytest -q

bench: $(STAMP)
	$(PY) benchmarks/bench_run.py

clean:
	rm -rf $(VENV) outputs/demo
