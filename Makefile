# Two commands do everything on a fresh clone:
#   make run    set up, build the embedded default database if it is missing or data/ changed
#               (figures added with `python -m etl load` are kept), serve the dashboard
#   make test   set up and run the test suite
# `make test-pg` runs the store, ETL and API tests again on a throwaway PostgreSQL and Redis.
# `make rebuild` drops the database and builds it from scratch.
VENV    ?= .venv
PY      := $(VENV)/bin/python
# The real source files beside the project; INDICATORS_SHARED_DIR points elsewhere (the tests
# read the same setting; an empty folder reproduces a clone with nothing beside it).
export INDICATORS_SHARED_DIR ?= ../shared
SHARED  := $(INDICATORS_SHARED_DIR)
# Boundaries: a local folder of geokz shapefiles when one is around, else `etl build` downloads them.
export INDICATORS_BOUNDARIES_DIR ?= $(wildcard $(SHARED)/geo/original)

.PHONY: setup build rebuild run test test-pg lint clean curate-national

setup: $(VENV)/.installed

$(VENV)/.installed: pyproject.toml
	python3 -m venv $(VENV)
	$(VENV)/bin/pip install -q --disable-pip-version-check uv
	$(VENV)/bin/uv pip install -q -p $(PY) -e '.[test]'
	touch $@

build: setup
	$(PY) -m etl build

rebuild: setup
	$(PY) -m etl build --fresh

# Regenerate the curated Bureau datasets (data/curated/bns-*) from the real files in $(SHARED).
curate-national: setup
	$(PY) -m etl.curate_bns $(SHARED)

run: build
	$(PY) app.py

test: setup
	$(PY) -m pytest

# The tests marked `postgres` (store, ETL load/export/build/backup, API v1, the cache) on a
# PostgreSQL cluster and a redis-server that tests/servers.py starts on 127.0.0.1 on free ports
# (PostgreSQL as the `postgres` user when run as root) and stops by PID however pytest ends.
test-pg: setup
	$(PY) -m tests.servers -- $(PY) -m pytest -m postgres -p no:cacheprovider

lint: setup
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

clean:
	rm -rf $(VENV) data/indicators.db data/cache
