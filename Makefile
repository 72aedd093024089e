# Two commands do everything on a fresh clone:
#   make run    set up, build the embedded default database if it is missing or data/ changed
#               (figures added with `python -m etl load` are kept), serve the dashboard
#   make test   set up and run the test suite
# `make test-pg` runs the store, ETL and API tests again on a throwaway PostgreSQL and Redis.
# `make rebuild` drops the database and builds it from scratch.
# `make translations` extracts the message keys from the code, updates the catalogs in
# translations/ and compiles them (setup compiles them too; the .mo files are not committed).
VENV    ?= .venv
PY      := $(VENV)/bin/python
# The real source files beside the project; INDICATORS_SHARED_DIR points elsewhere (the tests
# read the same setting; an empty folder reproduces a clone with nothing beside it).
export INDICATORS_SHARED_DIR ?= ../shared
SHARED  := $(INDICATORS_SHARED_DIR)
# Boundaries: a local folder of geokz shapefiles when one is around, else `etl build` downloads them.
export INDICATORS_BOUNDARIES_DIR ?= $(wildcard $(SHARED)/geo/original)

.PHONY: setup build rebuild run test test-pg lint clean curate-national translations

# The compiled message catalogs, one per language, rebuilt when their .po changes.
MO := $(patsubst %.po,%.mo,$(wildcard translations/*/LC_MESSAGES/messages.po))

setup: $(VENV)/.installed $(MO)

$(VENV)/.installed: pyproject.toml
	python3 -m venv $(VENV)
	$(VENV)/bin/pip install -q --disable-pip-version-check uv
	$(VENV)/bin/uv pip install -q -p $(PY) -e '.[test]'
	touch $@

translations/%/LC_MESSAGES/messages.mo: translations/%/LC_MESSAGES/messages.po $(VENV)/.installed
	$(VENV)/bin/pybabel -q compile -i $< -o $@

# Extract, update (kk, ru and en get every new key), annotate (the English text beside each kk
# and ru entry; kk and ru turn fuzzy when it changed) and compile; then list what is missing.
translations: setup
	$(PY) -m tools.translations

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
	rm -rf $(VENV) data/indicators.db data/cache $(MO)
