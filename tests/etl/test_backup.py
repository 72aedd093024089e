"""`python -m etl backup` and `restore`: restore gives back every row of every table (SQLite's
backup API; pg_dump/pg_restore under `make test-pg`)."""

from __future__ import annotations

import sqlite3

import pandas as pd
import pytest
from sqlalchemy import create_engine, text

from store import schema
from store.db import sqlite_path
from tests.conftest import FIXTURES, run_etl

MINI = FIXTURES / "curated_min"


def tables(url: str) -> dict[str, pd.DataFrame]:
    """Every table's rows in a stable order; meta apart (restore moves the data version on)."""
    engine = create_engine(url)
    try:
        with engine.connect() as conn:
            return {
                name: pd.read_sql(text(f"SELECT * FROM {name} ORDER BY 1, 2"), conn)
                for name in [*schema.metadata.tables, schema.observations.name]
                if name != "meta"
            }
    finally:
        engine.dispose()


def version(url: str) -> int:
    engine = create_engine(url)
    try:
        with engine.connect() as conn:
            query = text("SELECT value FROM meta WHERE key='data_version'")
            return int(conn.execute(query).scalar())
    finally:
        engine.dispose()


@pytest.fixture
def built(databases):
    url = databases.new("live")
    assert run_etl("build", "--no-boundaries", "--db", url, "--data", str(MINI))[0] == 0
    return sqlite_path(url), url


@pytest.mark.postgres
def test_backup_then_restore_gives_back_every_row(built, tmp_path):
    db, url = built
    before = tables(url)
    saved = tmp_path / "saved.db"
    code, _, err = run_etl("backup", "--db", url, str(saved))
    assert code == 0, err
    if db is not None:  # a SQLite backup is a database of its own (pg_dump's is an archive)
        for name, frame in tables(f"sqlite:///{saved}").items():
            pd.testing.assert_frame_equal(frame, before[name])

    fixed = tmp_path / "fixed"
    fixed.mkdir()
    src = (MINI / "curated" / "demo" / "observations.csv").read_text(encoding="utf-8")
    (fixed / "observations.csv").write_text(src.replace(",1946,", ",1950,"), encoding="utf-8")
    assert run_etl("load", "--db", url, str(fixed))[0] == 0
    assert not tables(url)["observations"].equals(before["observations"])
    loaded_version = version(url)

    code, _, err = run_etl("restore", "--db", url, str(saved))
    assert code == 0, err
    after = tables(url)
    for name, frame in before.items():
        pd.testing.assert_frame_equal(after[name], frame)
    assert version(url) == loaded_version + 1  # past both: no cached result survives


@pytest.mark.postgres
def test_backup_refuses_to_overwrite(built, tmp_path):
    _, url = built
    existing = tmp_path / "there.db"
    existing.write_bytes(b"keep me")
    code, _, err = run_etl("backup", "--db", url, str(existing))
    assert code == 2
    assert f"error: {existing}: already exists" in err
    assert existing.read_bytes() == b"keep me"


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"not a database at all" * 100, "not a SQLite database backup"),
        (None, "not a backup of the indicator database: no table(s)"),
    ],
)
def test_restore_refuses_what_is_not_a_backup(built, tmp_path, content, message):
    db, url = built
    if db is None:
        pytest.skip("SQLite's checks of a backup file (pg_restore reads archives itself)")
    bad = tmp_path / "bad.db"
    if content is None:
        sqlite3.connect(bad).execute("CREATE TABLE other (x)").connection.commit()
    else:
        bad.write_bytes(content)
    before = db.read_bytes()
    code, _, err = run_etl("restore", "--db", url, str(bad))
    assert code == 1
    assert f"error: {bad}: {message}" in err
    assert db.read_bytes() == before


def test_a_backup_from_before_revision_values_is_restored_and_its_history_moved(
    built, databases, tmp_path
):
    """A SQLite backup whose revision history is the older text-key ``revisions`` table is
    accepted; the next build moves the history into revision_values (nothing lost)."""
    db, url = built
    if db is None:
        pytest.skip("SQLite backups only")
    from etl import build
    from tests.etl.test_revisions import EVERYTHING, OLD_REVISIONS

    old = tmp_path / "old.db"
    old.write_bytes(db.read_bytes())
    conn = sqlite3.connect(old)
    try:
        run = conn.execute("SELECT max(id) FROM load_runs").fetchone()[0]
        conn.executescript(
            "DROP VIEW revisions; DROP TABLE revision_values; DROP TABLE revision_details;"
            "DROP TABLE revision_pairs;" + OLD_REVISIONS
        )
        conn.execute(
            "INSERT INTO revisions VALUES (7, 'industrial_output', '433200000', 2020, '', "
            "(SELECT code FROM sources LIMIT 1), 'revised', ?, 1.0, 2.0, 'actual', 0, "
            "'a note', NULL, 'row 3', 'A title', NULL, '2024-07')",
            (run,),
        )
        conn.execute(
            "UPDATE meta SET value = ? WHERE key = ?",
            (build._signature_before_revision_values(), build.SCHEMA_KEY),
        )
        conn.commit()
    finally:
        conn.close()
    target = databases.new("restored")
    code, _, err = run_etl("restore", "--db", target, str(old))
    assert code == 0, err
    assert run_etl("build", "--no-boundaries", "--db", target, "--data", str(MINI))[0] == 0
    engine = create_engine(target)
    try:
        with engine.connect() as c:
            history = [tuple(r) for r in c.execute(text(EVERYTHING))]
            details = c.execute(text("SELECT id FROM revision_details")).scalars().all()
    finally:
        engine.dispose()
    assert [h[5:9] for h in history] == [("revised", run, 1.0, 2.0)]
    assert history[0][11] == "a note" and details == [7]
