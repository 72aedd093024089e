"""`python -m etl backup` and `restore` on SQLite: restore gives back every row of every table."""

from __future__ import annotations

import sqlite3

import pandas as pd
import pytest

from store import schema
from tests.conftest import FIXTURES, run_etl

MINI = FIXTURES / "curated_min"


def tables(db) -> dict[str, pd.DataFrame]:
    """Every table's rows in a stable order; meta apart (restore moves the data version on)."""
    conn = sqlite3.connect(db)
    try:
        return {
            name: pd.read_sql(f"SELECT * FROM {name} ORDER BY 1, 2", conn)
            for name in [*schema.metadata.tables, schema.observations.name]
            if name != "meta"
        }
    finally:
        conn.close()


def version(db) -> int:
    conn = sqlite3.connect(db)
    try:
        return int(conn.execute("SELECT value FROM meta WHERE key='data_version'").fetchone()[0])
    finally:
        conn.close()


@pytest.fixture
def built(tmp_path):
    db = tmp_path / "live.db"
    url = f"sqlite:///{db}"
    assert run_etl("build", "--no-boundaries", "--db", url, "--data", str(MINI))[0] == 0
    return db, url


def test_backup_then_restore_gives_back_every_row(built, tmp_path):
    db, url = built
    before = tables(db)
    saved = tmp_path / "saved.db"
    code, _, err = run_etl("backup", "--db", url, str(saved))
    assert code == 0, err
    for name, frame in tables(saved).items():
        pd.testing.assert_frame_equal(frame, before[name])

    fixed = tmp_path / "fixed"
    fixed.mkdir()
    src = (MINI / "curated" / "demo" / "observations.csv").read_text(encoding="utf-8")
    (fixed / "observations.csv").write_text(src.replace(",1946,", ",1950,"), encoding="utf-8")
    assert run_etl("load", "--db", url, str(fixed))[0] == 0
    assert not tables(db)["observations"].equals(before["observations"])
    loaded_version = version(db)

    code, _, err = run_etl("restore", "--db", url, str(saved))
    assert code == 0, err
    after = tables(db)
    for name, frame in before.items():
        pd.testing.assert_frame_equal(after[name], frame)
    assert version(db) == loaded_version + 1  # past both: no cached result survives


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
