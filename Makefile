#################################################################################
# GLOBALS                                                                       #
#################################################################################

.DEFAULT_GOAL := help
SHELL := /bin/bash

# The interpreter that creates .venv: python3.11, else python3 (checked to be 3.11+).
# Override with `make PYTHON=/path/to/python3.12 ...`.
PYTHON ?= $(shell command -v python3.11 2>/dev/null || command -v python3 2>/dev/null)
VENV := .venv
VENV_PY := $(VENV)/bin/python
VC := $(VENV)/bin/villagecon

# .venv is installed once per content of these two files: the sentinel's name carries their checksum,
# so editing either (or `make lock`) reinstalls, and nothing else does.
INSTALL_INPUTS := requirements.lock pyproject.toml
INSTALLED := $(VENV)/.installed-$(firstword $(shell cat $(INSTALL_INPUTS) 2>/dev/null | cksum))
KERNEL := $(VENV)/share/jupyter/kernels/villagecon/kernel.json

# Report year, e.g. `make report YEAR=2022`; empty means the latest year in the data.
YEAR ?=
REGISTER := $(wildcard data/raw/register.csv)

export PIP_DISABLE_PIP_VERSION_CHECK := 1

# Fails, saying what to do, unless $(PYTHON) exists and is 3.11+.
CHECK_PYTHON = if [ -z "$(PYTHON)" ]; then \
		echo "error: no python3.11 or python3 on PATH; install Python 3.11+ or run make PYTHON=/path/to/python" >&2; \
		exit 1; fi; \
	$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 11))' || { \
		echo "error: $(PYTHON) is $$($(PYTHON) -V 2>&1); villagecon needs Python 3.11+." \
			"Install python3.11 or run make PYTHON=/path/to/python3.11" >&2; exit 1; }

#################################################################################
# COMMANDS                                                                      #
#################################################################################

.PHONY: venv
## Create .venv, install villagecon with the pinned dependencies, and its "Python (villagecon)" Jupyter kernel
venv: $(INSTALLED) $(KERNEL)

.PHONY: test
## Check the style, then run every test on every core (pytest -n auto; mypy, the docs build and the notebooks run as tests)
test: export MPLBACKEND := Agg
test: style $(KERNEL)
	$(VENV)/bin/pytest -n auto --dist worksteal

.PHONY: lint
## Check the code: ruff check, ruff format --check and mypy (strict on parse/, vocab/ and the schemas)
lint: style
	$(VENV)/bin/mypy

.PHONY: style
## Check the code with ruff: lint rules and formatting (ruff check ., ruff format --check .)
style: $(INSTALLED)
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

.PHONY: docs
## Build the documentation site into site/ (mkdocs build --strict: any warning fails)
docs: export NO_MKDOCS_2_WARNING := 1
docs: $(INSTALLED)
	$(VENV)/bin/mkdocs build --strict

.PHONY: data
## Clean data/raw into data/processed (ledger, accounts, rejects, manifest)
data: $(INSTALLED)
	$(VC) clean data/raw --out data/processed $(if $(REGISTER),--register $(REGISTER))

.PHONY: report
## Clean the data and build reports/<year> (YEAR=2022 for one year; default the latest); installs the kernel too
report: export MPLBACKEND := Agg
report: data $(KERNEL)
	$(VC) report $(if $(YEAR),--year $(YEAR))

.PHONY: lab
## Open JupyterLab on notebooks/ with the "Python (villagecon)" kernel
lab: $(KERNEL)
	$(VENV)/bin/jupyter lab notebooks/

.PHONY: bench
## Run every benchmarks/bench_*.py; each writes benchmarks/results/<name>.json
bench: export MPLBACKEND := Agg
bench: $(INSTALLED)
	@set -e; benches="$(wildcard benchmarks/bench_*.py)"; \
	if [ -z "$$benches" ]; then echo "no benchmarks/bench_*.py to run"; exit 0; fi; \
	for bench in $$benches; do echo "== $$bench"; $(VENV_PY) "$$bench"; done

.PHONY: lock
## Regenerate requirements.lock: pip install '.[dev]' in a fresh venv, then pip freeze
lock:
	@$(CHECK_PYTHON)
	@set -euo pipefail; \
	tmp=$$(mktemp -d); trap 'rm -rf "$$tmp"' EXIT; \
	mkdir "$$tmp/src"; cp -R pyproject.toml README.md villagecon "$$tmp/src/"; \
	$(PYTHON) -m venv "$$tmp/venv"; \
	(cd "$$tmp/src" && ../venv/bin/pip install --quiet '.[dev]'); \
	{ echo "# Every package villagecon and its dev extra need, pinned. Do not edit: run \`make lock\`."; \
	  echo "# Made by pip freeze in a fresh $$("$$tmp/venv/bin/python" -V) venv ($$(uname -sm))."; \
	  "$$tmp/venv/bin/pip" freeze --exclude villagecon; } > "$$tmp/requirements.lock"; \
	mv "$$tmp/requirements.lock" requirements.lock
	@echo "requirements.lock: $$(grep -c '==' requirements.lock) packages pinned"

.PHONY: sample
## Write the synthetic sample ledgers into data/raw
sample: $(INSTALLED)
	$(VC) sample --out data/raw

.PHONY: clean
## Remove .venv, caches, the built site and data/processed outputs (never data/raw)
clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache .mypy_cache .hypothesis build site villagecon.egg-info
	find . \( -path ./.git -o -path ./data/raw \) -prune -o -type d -name __pycache__ -prune -exec rm -rf {} +
	find data/processed -mindepth 1 ! -name .gitkeep -exec rm -rf {} +

#################################################################################
# PROJECT RULES                                                                 #
#################################################################################

$(VENV_PY):
	@$(CHECK_PYTHON)
	$(PYTHON) -m venv $(VENV) || { rm -rf $(VENV); \
		echo "error: could not create $(VENV) (on Debian/Ubuntu: apt-get install python3-venv)" >&2; exit 1; }

$(INSTALLED): | $(VENV_PY)
	$(VENV)/bin/pip install -r requirements.lock
	$(VENV)/bin/pip install --no-deps -e .
	rm -f $(VENV)/.installed-*
	touch $@

$(KERNEL): | $(INSTALLED)
	$(VENV_PY) -m ipykernel install --sys-prefix --name villagecon --display-name "Python (villagecon)"

#################################################################################
# Self Documenting Commands                                                     #
#################################################################################

.PHONY: help
## List the targets (make YEAR=2022 report, make PYTHON=python3.12 venv)
help:
	@$(or $(PYTHON),python3) -c "import re, sys; [print(f'  {t:8} {d}') for d, t in \
		re.findall(r'^## (.+)\n(?:[.].*\n)*([a-z_-]+):', sys.stdin.read(), re.M)]" < $(firstword $(MAKEFILE_LIST))
