# leaflet: `make` sets up and builds every leaflet; `make test` runs the whole suite.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
# Languages `make catalogues` starts catalogues for (existing ones are always updated).
LANGS ?=
AXE := node_modules/axe-core/axe.min.js

.PHONY: all build setup system test-system test bench check audit clean catalogues labels translations
.DEFAULT_GOAL := all

all: build

# This repository is a leaflet project (leaflet.toml): its example leaflet, every format and language.
build: setup
	$(BIN)/leaflet build

# The translators' templates and catalogues of the project's leaflets.
catalogues: setup
	$(BIN)/leaflet catalogues $(LANGS)

# The tool's own labels, kept in the package (src/leaflet/locales).
labels: setup
	$(BIN)/python -m leaflet.i18n.upkeep labels $(LANGS)

translations: setup
	$(BIN)/leaflet translations

check: setup
	$(BIN)/leaflet check

setup: system $(VENV)/.installed

system:
	@scripts/system-packages build

test-system:
	@scripts/system-packages test

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --disable-pip-version-check --upgrade pip
	$(BIN)/pip install --quiet --disable-pip-version-check -e '.[test]'
	touch $@

# axe-core for the HTML checks, at the version package-lock.json pins.
$(AXE): package.json package-lock.json | test-system
	PUPPETEER_SKIP_DOWNLOAD=1 npm ci --no-audit --no-fund --silent
	touch $@

test: setup test-system $(AXE)
	$(BIN)/pytest

# Every accessibility check on every output of every leaflet, as one table.
audit: build test-system $(AXE)
	$(BIN)/leaflet check --outputs build

bench: setup
	@scripts/system-packages bench
	$(BIN)/python scripts/bench.py

clean:
	rm -rf build
