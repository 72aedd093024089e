"""How observations are stored: integer keys, repeated texts once, the observations view
giving back exactly what the file said; an old text-key database is rebuilt by `etl build`."""

from __future__ import annotations

import sqlite3

import pandas as pd
import pytest

from etl.write_obs import split_location
from tests.conftest import FIXTURES, run_etl

MINI = FIXTURES / "curated_min"


@pytest.mark.parametrize(
    "location",
    [
        "Abay_All.xls!Семей!I153",
        "sheet «Арал», row 87, column S",
        "article text: the sentence quoted in excerpt",
        "a!b, row 3",
        "ends with a bang!",
        "",
    ],
)
def test_a_location_splits_into_place_and_cell_losslessly(location):
    place, cell = split_location(location)
    assert (place or "") + (cell or "") == location


def test_the_view_gives_back_every_text_of_the_file_stored_once(tmp_path):
    db = tmp_path / "s.db"
    code, _, err = run_etl(
        "build", "--no-boundaries", "--db", f"sqlite:///{db}", "--data", str(MINI)
    )
    assert code == 0, err
    csv = pd.read_csv(
        MINI / "curated" / "demo" / "observations.csv", dtype=str, keep_default_na=False
    )
    conn = sqlite3.connect(db)
    try:
        view = pd.read_sql(
            "SELECT indicator, area, year, series, source, note, excerpt, location "
            "FROM observations",
            conn,
        )
        stored = conn.execute(
            "SELECT typeof(indicator_id), typeof(area_id), typeof(source_id) "
            "FROM observation_values"
        ).fetchall()
        places = conn.execute("SELECT place FROM observation_notes").fetchall()
        cells = conn.execute("SELECT cell FROM observation_values").fetchall()
    finally:
        conn.close()
    assert set(stored) == {("integer", "integer", "integer")}
    key = ["indicator", "area", "year", "source"]
    merged = csv.merge(view.astype({"year": str}), on=key, suffixes=("_file", "_db"))
    assert len(merged) == len(csv) == len(view)
    for col in ("note", "excerpt", "location"):
        assert merged[f"{col}_db"].fillna("").tolist() == merged[f"{col}_file"].tolist()
    # «sheet «Арал»» is stored once, each row keeps only its cell (", row 87, column S")
    assert places.count(("sheet «Арал»",)) == 1
    assert (", row 87, column S",) in cells


def test_a_text_key_database_is_refused_by_load_and_rebuilt_by_build(tmp_path, caplog):
    db = tmp_path / "old.db"
    conn = sqlite3.connect(db)
    conn.executescript(
        "CREATE TABLE meta (key VARCHAR(64) PRIMARY KEY, value TEXT NOT NULL);"
        "CREATE TABLE boundaries (area TEXT, vintage INTEGER);"
        "INSERT INTO meta VALUES ('data_checksum', 'x'), ('schema', 'old');"
        "CREATE TABLE observations (indicator TEXT, area TEXT, year INTEGER, value FLOAT);"
    )
    conn.close()
    url = f"sqlite:///{db}"
    code, _, err = run_etl("load", "--db", url, str(MINI / "curated" / "demo"))
    assert code == 1 and "older version" in err and "python -m etl build" in err
    code, _, err = run_etl("build", "--no-boundaries", "--db", url, "--data", str(MINI))
    assert code == 0, err
    assert "rebuilding it from scratch" in caplog.text
    conn = sqlite3.connect(db)
    try:
        kind = conn.execute("SELECT type FROM sqlite_master WHERE name = 'observations'").fetchone()
        n = conn.execute("SELECT count(*) FROM observations").fetchone()[0]
    finally:
        conn.close()
    assert kind == ("view",) and n > 0
