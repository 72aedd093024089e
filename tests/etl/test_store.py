"""The store: read-only access, preferred series, cache invalidated by a new load."""

from __future__ import annotations

import shutil

import pytest
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError

from store import queries
from tests.conftest import FIXTURES, cached_server, run_etl

MINI = FIXTURES / "curated_min"
pytestmark = pytest.mark.postgres


@pytest.fixture
def mini_db(databases):
    url = databases.new("mini")
    assert run_etl("build", "--no-boundaries", "--db", url, "--data", str(MINI))[0] == 0
    yield url
    queries.use()  # back to the default settings


def test_web_engine_cannot_write(mini_db):
    engine = queries.use(mini_db)
    with engine.connect() as conn:
        assert conn.execute(text("SELECT count(*) FROM observations")).scalar() == 6
        with pytest.raises(DBAPIError, match="readonly|read-only"):
            conn.execute(text("DELETE FROM observation_values"))


def test_preferred_series_counts_other_readings(mini_db):
    queries.use(mini_db)
    df = queries.observations("industrial_output", "433200000")
    row_2008 = df[df.year == 2008].iloc[0]
    assert (row_2008.value, row_2008.source, row_2008.other_sources) == (1946.0, "fx-bns", 1)
    every = queries.observations("industrial_output", "433200000", source="all")
    assert sorted(every[every.year == 2008].value) == [1946.0, 2609.1]


@pytest.mark.parametrize("source", ["preferred", "all"])
def test_observations_of_every_area_are_those_of_the_areas_listed(mini_db, source):
    queries.use(mini_db)
    katos = tuple(queries.indicator_areas("industrial_output")["kato"])
    assert len(katos) > 1
    listed = queries.observations.uncached("industrial_output", katos, source=source)
    every = queries.observations.uncached("industrial_output", None, source=source)
    assert len(every) and every.equals(listed)


def test_cache_is_invalidated_by_a_new_load(mini_db, tmp_path, monkeypatch):
    queries.use(mini_db)
    server = cached_server("t", monkeypatch)
    with server.app_context():
        before = queries.observations("fish_processed", "433200000")
        assert before.value.tolist() == [308.0]
        # A write that bypasses the ETL does not bump the data version: the cache still answers.
        from store.db import writable_engine

        with writable_engine(mini_db).begin() as conn:
            conn.execute(
                text(
                    "UPDATE observation_values SET value = 999 WHERE indicator_id = "
                    "(SELECT id FROM indicator_ids WHERE code = 'fish_processed')"
                )
            )
        assert queries.observations("fish_processed", "433200000").value.tolist() == [308.0]
        changed = tmp_path / "demo"
        shutil.copytree(MINI / "curated" / "demo", changed)
        obs = changed / "observations.csv"
        obs.write_text(obs.read_text(encoding="utf-8").replace(",308,", ",310,"), encoding="utf-8")
        assert run_etl("load", "--db", mini_db, str(changed))[0] == 0
        after = queries.observations("fish_processed", "433200000")
        assert after.value.tolist() == [310.0]


def test_missing_database_is_reported_not_raised(databases):
    queries.use(databases.new("nothing"))  # no file / a database without the schema
    assert queries.is_ready() is False


def test_cached_queries_do_not_share_keys(mini_db, monkeypatch):
    queries.use(mini_db)
    server = cached_server("t2", monkeypatch)
    with server.app_context():
        programs = queries.programs()
        targets = queries.targets()
        assert "target_year" in targets.columns and "target_year" not in programs.columns
        assert queries.sources().columns.tolist() != queries.indicators().columns.tolist()


def test_indicators_under_a_parent_and_an_areas_readings_match_the_observations(mini_db):
    queries.use(mini_db)
    with queries.engine().connect() as conn:
        rows = conn.execute(
            text(
                "SELECT o.indicator, a.parent, o.area, o.year, o.source FROM observations o "
                "JOIN areas a ON a.kato = o.area"
            )
        ).all()
    parents = {r.parent for r in rows}
    assert parents
    for parent in parents:
        expected = sorted({r.indicator for r in rows if r.parent == parent})
        assert queries.indicators_under.uncached(parent) == expected
    assert queries.indicators_under.uncached("999999999") == []
    area = rows[0].area
    readings = queries.area_observations.uncached(area)
    got = set(zip(readings["indicator"], readings["year"], readings["source"], strict=True))
    assert got == {(r.indicator, r.year, r.source) for r in rows if r.area == area}
    assert readings["year_approx"].dtype == bool
