# Two commands do everything on a fresh clone:
#   make run    set up, build the embedded default database, serve the dashboard
#   make test   set up and run the test suite
VENV    ?= .venv
PY      := $(VENV)/bin/python
SHARED  ?= ../shared
# Boundaries: a local folder of geokz shapefiles when one is around, else `etl build` downloads them.
export INDICATORS_BOUNDARIES_DIR ?= $(wildcard $(SHARED)/geo/original)

.PHONY: setup build run test lint clean curate-national

setup: $(VENV)/.installed

$(VENV)/.installed: pyproject.toml
	python3 -m venv $(VENV)
	$(VENV)/bin/pip install -q --disable-pip-version-check uv
	$(VENV)/bin/uv pip install -q -p $(PY) -e '.[test]'
	touch $@

build: setup
	$(PY) -m etl build --fresh

# Regenerate the curated Bureau datasets (data/curated/bns-*) from the real files in $(SHARED).
curate-national: setup
	$(PY) -m etl.curate_bns $(SHARED)

run: build
	$(PY) app.py

test: setup
	$(PY) -m pytest

lint: setup
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

clean:
	rm -rf $(VENV) data/indicators.db data/cache
