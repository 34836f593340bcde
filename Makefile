# leaflet: `make` sets up and builds every leaflet; `make test` runs the whole suite.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
SOURCES := $(wildcard source/*.yaml)
# Languages `make po` starts a catalogue for (existing catalogues are always updated).
LANGS ?= cy pl ar
MAINTAIN := $(BIN)/python -m leaflet.i18n.maintain
AXE := node_modules/axe-core/axe.min.js

.PHONY: all build setup system test-system test bench check audit clean pot po mo translations
.DEFAULT_GOAL := all

all: build

build: setup mo
	$(BIN)/leaflet build $(SOURCES)

pot: setup
	$(MAINTAIN) pot

po: pot
	$(MAINTAIN) po $(LANGS)

mo: setup
	$(MAINTAIN) mo

translations: setup
	$(BIN)/leaflet translations $(SOURCES)

check: setup
	$(BIN)/leaflet check $(SOURCES)

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
	npm ci --no-audit --no-fund --silent
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
