"""Large curated files are checked and written chunk by chunk, with a log line per chunk."""

from __future__ import annotations

import logging
import shutil
import sqlite3

import pandas as pd
import pytest

from etl.adapters import curated
from tests.conftest import FIXTURES, run_etl

MINI = FIXTURES / "curated_min"
DEMO = MINI / "curated" / "demo"


def observations(db) -> pd.DataFrame:
    conn = sqlite3.connect(db)
    try:
        return pd.read_sql(
            "SELECT * FROM observations ORDER BY indicator, area, year, source", conn
        )
    finally:
        conn.close()


@pytest.fixture
def small_chunks(monkeypatch):
    """Every observations.csv counts as large, read two rows at a time."""
    monkeypatch.setattr(curated, "STREAM_BYTES", 0)
    monkeypatch.setattr(curated, "CHUNK_ROWS", 2)


def test_streamed_load_stores_what_a_whole_read_stores(tmp_path, small_chunks, caplog):
    whole, streamed = tmp_path / "whole.db", tmp_path / "streamed.db"
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(curated, "STREAM_BYTES", 1 << 40)
        assert (
            run_etl("build", "--no-boundaries", "--db", f"sqlite:///{whole}", "--data", str(MINI))[
                0
            ]
            == 0
        )
    caplog.set_level(logging.INFO)
    code, _, err = run_etl(
        "build", "--no-boundaries", "--db", f"sqlite:///{streamed}", "--data", str(MINI)
    )
    assert code == 0, err
    pd.testing.assert_frame_equal(observations(streamed), observations(whole))
    rows = len(pd.read_csv(DEMO / "observations.csv"))
    checked = [r.getMessage() for r in caplog.records if "rows checked" in r.getMessage()]
    written = [r.getMessage() for r in caplog.records if "rows written" in r.getMessage()]
    assert len(checked) == len(written) == -(-rows // 2)  # a line per chunk, both passes
    assert checked[-1].endswith(f"{rows} rows checked, 0 error(s)")


def test_a_duplicate_in_another_chunk_is_found(tmp_path, small_chunks):
    db = tmp_path / "s.db"
    assert (
        run_etl("build", "--no-boundaries", "--db", f"sqlite:///{db}", "--data", str(MINI))[0] == 0
    )
    folder = tmp_path / "demo"
    shutil.copytree(DEMO, folder)
    lines = (folder / "observations.csv").read_text(encoding="utf-8").splitlines()
    (folder / "observations.csv").write_text("\n".join([*lines, lines[1]]) + "\n", encoding="utf-8")
    before = db.read_bytes()
    code, _, err = run_etl("load", "--db", f"sqlite:///{db}", str(folder))
    assert code == 1
    assert (
        f"{folder / 'observations.csv'}, row {len(lines) + 1}: duplicate observation: the same "
        "indicator, area, year, series and source as row 2"
    ) in err
    assert db.read_bytes() == before
