"""A wholly new (source, indicator) pair's additions are one revision_pairs row, and the
revisions view still lists every figure as a row per figure would (SQLite in tmp_path, or
PostgreSQL under `make test-pg`).

The dataset is tests/etl/test_revisions.py's: one source's four figures restating the
Bureau's district workbook (sheet «Арал», row 10), loaded, revised, withdrawn and re-added.
"""

from __future__ import annotations

import sqlite3

import pytest
from sqlalchemy import create_engine, func, inspect, select, text

from etl import build, revisions
from store import schema
from store.db import sqlite_path
from tests.conftest import run_etl
from tests.etl.test_revisions import FIGURES, MINI, load, rows, write_dataset

pytestmark = pytest.mark.postgres
HISTORY = (
    "select load_run, year, kind, old_value, new_value, old_source_retrieved from revisions "
    "order by load_run, year, kind"
)
SOURCE, INDICATOR = "my-bns-aral", "my_birth_rate"


@pytest.fixture(scope="module")
def mini_db(module_databases) -> str:
    db = module_databases.new("mini")
    code, _, err = run_etl("build", "--no-boundaries", "--data", str(MINI), "--db", db)
    assert code == 0, err
    return db


@pytest.fixture
def db(mini_db, databases) -> str:
    return databases.copy(mini_db, "pairs")


def last_run(db: str) -> int:
    return rows(db, "select max(id) from load_runs")[0][0]


def added(run: int, figures: dict[int, float]) -> list[tuple]:
    """The rows a row per added figure gives in HISTORY."""
    return [(run, y, "added", None, v, None) for y, v in sorted(figures.items())]


def test_a_wholly_new_pair_is_one_row_and_the_view_lists_every_figure(db, tmp_path):
    err = load(db, write_dataset(tmp_path / "v1", FIGURES))
    r1 = last_run(db)
    assert "changes: 4 figure(s)" in err  # the pair's figures are counted
    assert rows(db, "select load_run, figures from revision_pairs") == [(r1, 4)]
    assert rows(db, "select count(*) from revision_values") == [(0,)]
    assert rows(db, HISTORY) == added(r1, FIGURES)
    full = rows(
        db,
        "select indicator, area, series, source, old_status, old_year_approx, old_note, "
        "old_excerpt, old_location, old_source_title, old_source_address from revisions",
    )
    assert set(full) == {(INDICATOR, "433200000", "", SOURCE, *[None] * 7)}


def test_revising_then_withdrawing_keeps_the_addition_as_a_row_per_figure_would(db, tmp_path):
    """2021 revised then withdrawn: added (the value as added) -> revised -> withdrawn; 2024
    added later to the pair (an explicit row), then revised: added once, at its own run."""
    load(db, write_dataset(tmp_path / "v1", FIGURES))
    r1 = last_run(db)
    v2 = {**FIGURES, 2021: 28.2, 2024: 24.9}
    load(db, write_dataset(tmp_path / "v2", v2, retrieved="2025-03"))
    r2 = last_run(db)
    v3 = {y: v for y, v in v2.items() if y != 2021} | {2024: 25.0}
    err = load(db, write_dataset(tmp_path / "v3", v3, retrieved="2025-09"))
    r3 = last_run(db)
    assert "changes: 2 figure(s)" in err
    assert rows(db, HISTORY) == [
        *added(r1, FIGURES),
        (r2, 2021, "revised", 28.19, 28.2, "2024-07"),
        (r2, 2024, "added", None, 24.9, None),
        (r3, 2021, "withdrawn", 28.2, None, "2025-03"),
        (r3, 2024, "revised", 24.9, 25.0, "2025-03"),
    ]
    # only the revised figure's addition was written out; the others stay implicit
    assert rows(
        db, "select load_run, year from revision_values where kind = 'added' order by year"
    ) == [(r1, 2021), (r2, 2024)]


def withdraw_pair(db: str) -> int:
    """Withdraw every figure of the pair through the ETL's own recording (as a load that
    clears the pair and writes nothing for it would); returns the run."""
    engine = create_engine(db)
    try:
        with engine.begin() as conn:
            snap = revisions.snapshot(conn)
            snap.take({(SOURCE, INDICATOR)})
            conn.execute(
                text(
                    "DELETE FROM observation_values WHERE source_id = "
                    "(SELECT id FROM source_ids WHERE code = :s) AND indicator_id = "
                    "(SELECT id FROM indicator_ids WHERE code = :i)"
                ),
                {"s": SOURCE, "i": INDICATOR},
            )
            runs = schema.load_runs
            now = conn.execute(select(func.max(runs.c.finished_at))).scalar()
            run = conn.execute(
                runs.insert(),
                {
                    "file": "withdraw the pair",
                    "format": "test",
                    "checksum": "-",
                    "rows_read": 0,
                    "rows_loaded": 0,
                    "rows_rejected": 0,
                    "status": "loaded",
                    "started_at": now,
                    "finished_at": now,
                },
            ).inserted_primary_key[0]
            assert revisions.record(conn, snap, [run]) == len(FIGURES)
    finally:
        engine.dispose()
    return run


def test_a_pair_wholly_withdrawn_then_wholly_added_again(db, tmp_path):
    """Two revision_pairs rows; each figure listed once per addition, at the right run (2024,
    new in the second addition, only at the second)."""
    load(db, write_dataset(tmp_path / "v1", FIGURES))
    r1 = last_run(db)
    r2 = withdraw_pair(db)
    again = {y: v for y, v in FIGURES.items() if y != 2020} | {2024: 24.9}
    load(db, write_dataset(tmp_path / "v3", again, retrieved="2025-03"))
    r3 = last_run(db)
    assert rows(db, "select load_run, figures from revision_pairs order by load_run") == [
        (r1, 4),
        (r3, 4),
    ]
    withdrawn = [(r2, y, "withdrawn", v, None, "2024-07") for y, v in sorted(FIGURES.items())]
    assert rows(db, HISTORY) == [*added(r1, FIGURES), *withdrawn, *added(r3, again)]
    # a revision after the second addition writes out that addition, not the first
    load(db, write_dataset(tmp_path / "v4", {**again, 2022: 25.5}, retrieved="2025-09"))
    r4 = last_run(db)
    assert rows(db, HISTORY) == [
        *added(r1, FIGURES),
        *withdrawn,
        *added(r3, again),
        (r4, 2022, "revised", 25.52, 25.5, "2025-03"),
    ]


OLD_VIEW = """
CREATE VIEW revisions AS
SELECT i.code AS indicator, a.code AS area, r.year AS year, r.series AS series,
       s.code AS source, r.kind AS kind, r.load_run AS load_run, r.old_value AS old_value,
       r.new_value AS new_value, d.status AS old_status, d.year_approx AS old_year_approx,
       d.note AS old_note, d.excerpt AS old_excerpt, d.location AS old_location,
       d.source_title AS old_source_title, d.source_address AS old_source_address,
       d.source_retrieved AS old_source_retrieved
FROM revision_values r
JOIN indicator_ids i ON i.id = r.indicator_id
JOIN area_ids a ON a.id = r.area_id
JOIN source_ids s ON s.id = r.source_id
LEFT JOIN revision_details d ON d.id = r.detail_id
"""
# every addition written out as a row, as the code before revision_pairs kept it
WRITE_OUT = """
INSERT INTO revision_values (load_run, indicator_id, area_id, year, series, source_id, kind,
                             new_value)
SELECT p.load_run, o.indicator_id, o.area_id, o.year, o.series, o.source_id, 'added', o.value
FROM revision_pairs p
JOIN observation_values o ON o.indicator_id = p.indicator_id AND o.source_id = p.source_id
WHERE NOT EXISTS (
    SELECT 1 FROM revision_values e
    WHERE e.indicator_id = o.indicator_id AND e.area_id = o.area_id AND e.year = o.year
      AND e.series = o.series AND e.source_id = o.source_id AND e.load_run >= p.load_run)
"""
OLD_LAYOUT = [
    WRITE_OUT,
    "DROP VIEW revisions",
    "DROP TABLE revision_pairs",
    "DROP INDEX ix_revision_values_key",
    "CREATE INDEX ix_revision_values_figure ON revision_values (indicator_id, area_id) "
    "WHERE kind <> 'added'",
    OLD_VIEW,
]


@pytest.mark.parametrize("command", ["load", "build"])
def test_a_history_of_a_row_per_added_figure_is_kept(db, tmp_path, caplog, command):
    """A database of the layout before revision_pairs (a row per added figure, the partial
    index, the older view): the next load, or build (no rebuild from scratch), adds the table,
    the index and the view; the history reads as it was, nothing lost or doubled."""
    load(db, write_dataset(tmp_path / "v1", FIGURES))
    v2 = {**FIGURES, 2021: 28.2, 2024: 24.9}
    load(db, write_dataset(tmp_path / "v2", v2, retrieved="2025-03"))
    history = rows(db, HISTORY)
    engine = create_engine(db)
    try:
        with engine.begin() as conn:
            for statement in OLD_LAYOUT:
                conn.execute(text(statement))
            conn.execute(
                text("UPDATE meta SET value = :v WHERE key = :k"),
                {"v": build._signature_before_revision_pairs(), "k": build.SCHEMA_KEY},
            )
    finally:
        engine.dispose()
    assert rows(db, HISTORY) == history  # the old layout says the same
    if command == "load":
        assert "changes:" not in load(db, write_dataset(tmp_path / "v2", v2, retrieved="2025-03"))
    else:
        code, _, err = run_etl("build", "--no-boundaries", "--data", str(MINI), "--db", db)
        assert code == 0, err
        assert "rebuilding it from scratch" not in caplog.text
        assert rows(db, "select value from meta where key = 'schema'") == [
            (build.schema_signature(),)
        ]
    assert "adding revision_pairs" in caplog.text
    assert rows(db, HISTORY) == history
    engine = create_engine(db)
    try:
        indexes = {i["name"] for i in inspect(engine).get_indexes("revision_values")}
        assert "revision_pairs" in inspect(engine).get_table_names()
    finally:
        engine.dispose()
    assert "ix_revision_values_key" in indexes and "ix_revision_values_figure" not in indexes
    # the view of this code: a revision after the upgrade adds no second "added" row
    load(db, write_dataset(tmp_path / "v3", {**v2, 2022: 25.5}, retrieved="2025-09"))
    r3 = last_run(db)
    assert rows(db, HISTORY) == [*history, (r3, 2022, "revised", 25.52, 25.5, "2025-03")]


def test_a_backup_from_before_revision_pairs_is_restored_and_upgraded(
    db, databases, tmp_path, caplog
):
    """A SQLite backup of the layout before revision_pairs is accepted by restore; the next
    load adds the table and the view, and the history reads as it was."""
    path = sqlite_path(db)
    if path is None:
        pytest.skip("SQLite backups only")
    load(db, write_dataset(tmp_path / "v1", FIGURES))
    v2 = {**FIGURES, 2021: 28.2}
    load(db, write_dataset(tmp_path / "v2", v2, retrieved="2025-03"))
    history = rows(db, HISTORY)
    conn = sqlite3.connect(path)
    try:
        for statement in OLD_LAYOUT:
            conn.execute(statement)
        conn.commit()
    finally:
        conn.close()
    target = databases.new("restored")
    code, _, err = run_etl("restore", "--db", target, str(path))
    assert code == 0, err
    assert rows(target, HISTORY) == history  # the older view, as it was
    assert "changes:" not in load(target, write_dataset(tmp_path / "v2", v2, retrieved="2025-03"))
    assert "adding revision_pairs" in caplog.text
    assert rows(target, HISTORY) == history


def test_observation_values_has_no_foreign_keys_and_an_older_postgres_one_loses_them(db, tmp_path):
    """The ids of observation_values are the ETL's own (a foreign key would cost PostgreSQL a
    lookup per row per key on every load): none in a new database, and a PostgreSQL database
    created with them has them dropped by the next load, its readings kept."""
    engine = create_engine(db)
    try:
        assert inspect(engine).get_foreign_keys("observation_values") == []
        if engine.dialect.name == "postgresql":
            with engine.begin() as conn:
                conn.execute(
                    text(
                        "ALTER TABLE observation_values ADD CONSTRAINT "
                        "observation_values_indicator_id_fkey FOREIGN KEY (indicator_id) "
                        "REFERENCES indicator_ids (id)"
                    )
                )
            assert len(inspect(engine).get_foreign_keys("observation_values")) == 1
        before = rows(db, "select count(*) from observation_values")[0][0]
        load(db, write_dataset(tmp_path / "v1", FIGURES))
        assert inspect(engine).get_foreign_keys("observation_values") == []
        assert rows(db, "select count(*) from observation_values")[0][0] == before + len(FIGURES)
    finally:
        engine.dispose()
