# Ratusz — the two commands a newcomer needs are `make start` and `make test`.
# Everything else is for developers; `make help` lists it.

SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PIP := $(BIN)/pip --disable-pip-version-check
CONSTRAINTS := constraints.txt
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

.DEFAULT_GOAL := help
.PHONY: help start test test-deps lint format i18n lock bench bench-bip bench-cases bench-eservices bench-gis \
        wheel-check \
        buildout-check check-python clean

help: ## List the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-15s %s\n", $$1, $$2}'

check-python:
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 10) else 1)' 2>/dev/null || { \
	  echo "Ratusz needs Python 3.10 or newer; '$(PYTHON)' is $$($(PYTHON) --version 2>&1 || echo missing)."; \
	  echo "Install a newer Python (Debian: apt-get install python3) or choose one: make start PYTHON=python3.11"; \
	  exit 1; }
	@$(PYTHON) -c 'import ensurepip, venv' 2>/dev/null || { \
	  echo "Python's venv module is missing. On Debian/Ubuntu: apt-get install python3-venv"; exit 1; }

$(BIN)/ratusz-instance: setup.py $(CONSTRAINTS) | check-python
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(PIP) install -q -c $(CONSTRAINTS) pip setuptools wheel
	$(PIP) install -q -c $(CONSTRAINTS) -e .
	@touch $@

start: $(BIN)/ratusz-instance ## Install and serve the demo site at http://localhost:$${PORT:-8080}/$${SITE_ID:-Plone}
	$(BIN)/ratusz-instance start

$(VENV)/.test-deps: $(BIN)/ratusz-instance package.json package-lock.json
	$(PIP) install -q -c $(CONSTRAINTS) -e '.[test,dev]'
	@command -v npm >/dev/null || { \
	  echo "Installing Debian's nodejs and npm for axe-core"; \
	  $(SUDO) apt-get update -qq && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq nodejs npm >/dev/null; }
	npm ci --no-audit --no-fund --loglevel=error
	@touch $@

test-deps: $(VENV)/.test-deps
	@command -v chromium >/dev/null || { \
	  echo "Installing Debian's chromium for the browser tests"; \
	  $(SUDO) apt-get update -qq && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq chromium >/dev/null; }

test: test-deps ## Run the whole suite: unit, integration, functional and browser tests
	$(BIN)/pytest $(PYTEST_ARGS)

lint: $(VENV)/.test-deps ## ruff on Python, zpretty --check on ZCML/XML/page templates
	$(BIN)/ruff check src tests benchmarks scripts setup.py
	$(BIN)/ruff format --check src tests benchmarks scripts setup.py
	$(BIN)/zpretty --check $$(find src/ratusz profiles theme -name '*.zcml' -o -name '*.xml' -o -name '*.pt' | grep -v '/var/')

format: $(VENV)/.test-deps ## Apply ruff and zpretty formatting
	$(BIN)/ruff check --fix src tests benchmarks scripts setup.py
	$(BIN)/ruff format src tests benchmarks scripts setup.py
	$(BIN)/zpretty -i $$(find src/ratusz profiles theme -name '*.zcml' -o -name '*.xml' -o -name '*.pt' | grep -v '/var/')

i18n: $(VENV)/.test-deps ## Extract the ratusz domain and sync the pl/en/uk catalogues
	$(BIN)/i18ndude rebuild-pot --pot src/ratusz/locales/ratusz.pot --create ratusz src/ratusz profiles theme
	$(BIN)/i18ndude sync --pot src/ratusz/locales/ratusz.pot src/ratusz/locales/*/LC_MESSAGES/ratusz.po

lock: check-python ## Regenerate constraints.txt and versions.cfg from one fresh resolution
	rm -rf .venv-lock
	$(PYTHON) -m venv .venv-lock
	.venv-lock/bin/pip install -q -U pip setuptools wheel
	.venv-lock/bin/pip install -q -c lock-bounds.txt -e '.[test,dev,buildout]'
	.venv-lock/bin/python scripts/lock.py --venv .venv-lock
	rm -rf .venv-lock

bench: $(BIN)/ratusz-instance ## Requests/s of Ratusz beside vanilla Plone 6.2 (needs wrk)
	@command -v wrk >/dev/null || { $(SUDO) apt-get update -qq && $(SUDO) apt-get install -y -qq wrk >/dev/null; }
	$(BIN)/python benchmarks/run.py $(BENCH_ARGS)

bench-bip: $(BIN)/ratusz-instance ## BIP item page and change register beside vanilla Plone 6.2 (needs wrk)
	@command -v wrk >/dev/null || { $(SUDO) apt-get update -qq && $(SUDO) apt-get install -y -qq wrk >/dev/null; }
	$(BIN)/python benchmarks/bip.py $(BENCH_ARGS)

bench-cases: $(BIN)/ratusz-instance ## Dashboards and case creation with 100,000 cases beside vanilla Plone 6.2
	$(BIN)/python benchmarks/cases.py $(BENCH_ARGS)

bench-eservices: $(BIN)/ratusz-instance ## E-service form submissions (8 clients) and the catalogue beside vanilla Plone 6.2 (needs wrk)
	@command -v wrk >/dev/null || { $(SUDO) apt-get update -qq && $(SUDO) apt-get install -y -qq wrk >/dev/null; }
	$(BIN)/python benchmarks/eservices.py $(BENCH_ARGS)

bench-gis: $(BIN)/ratusz-instance ## @geojson with 10,000 places beside @search?fullobjects and vanilla Plone 6.2
	$(BIN)/python benchmarks/gis.py $(BENCH_ARGS)

wheel-check: $(VENV)/.test-deps ## Build the wheel, install it non-editable in a fresh venv, serve a site
	scripts/check-wheel.sh

buildout-check: check-python ## Build bin/instance with zc.buildout and check it serves the site
	scripts/check-buildout.sh

clean: ## Remove virtualenvs, build output and caches (instance/var, the database, stays)
	rm -rf $(VENV) .venv-* build dist *.egg-info src/*.egg-info node_modules .pytest_cache .ruff_cache \
	       bin parts develop-eggs eggs .installed.cfg .buildout-venv
