"""The load path on a small curated fixture: build, export, reload, failures."""

from __future__ import annotations

import io
import json
import shutil
from pathlib import Path

import pandas as pd
import pytest
from sqlalchemy import create_engine, text

from tests.conftest import FIXTURES, fingerprint, run_etl

MINI = FIXTURES / "curated_min"
pytestmark = pytest.mark.postgres


def table(url: str, name: str, order: str) -> pd.DataFrame:
    engine = create_engine(url)
    try:
        with engine.connect() as conn:
            return pd.read_sql(text(f"SELECT * FROM {name} ORDER BY {order}"), conn)
    finally:
        engine.dispose()


@pytest.fixture
def built(databases) -> str:
    url = databases.new("t")
    code, _, err = run_etl("build", "--no-boundaries", "--db", url, "--data", str(MINI))
    assert code == 0, err
    return url


def test_build_loads_every_row_with_its_source(built):
    url = built
    obs = table(url, "observations", "indicator, area, year, source")
    assert len(obs) == 6
    seed_2008 = obs[
        (obs.year == 2008) & (obs.source == "fx-seed") & (obs.indicator == "industrial_output")
    ]
    assert seed_2008.value.tolist() == [2609.1]
    assert seed_2008.excerpt.tolist() == ["2008 жылы ... 2609,1 млн теңге"]
    assert table(url, "targets", "id").value.tolist() == [5000.0]
    runs = table(url, "load_runs", "id")
    assert runs.status.tolist() == ["loaded"] and runs.rows_read.tolist() == [22]


def test_export_round_trip_gives_the_source_figures(built):
    url = built
    code, out, _ = run_etl(
        "export",
        "--db",
        url,
        "--indicator",
        "industrial_output",
        "--area",
        "433200000",
        "--source",
        "all",
    )
    assert code == 0
    exported = pd.read_csv(io.StringIO(out), dtype={"area": str})
    source = pd.read_csv(MINI / "curated" / "demo" / "observations.csv", dtype={"area": str})
    source = source[(source.indicator == "industrial_output") & (source.area == "433200000")]
    key = ["year", "source"]
    merged = exported.merge(source, on=key, suffixes=("_out", "_src"))
    assert len(merged) == len(source) == 4
    assert (merged.value_out == merged.value_src).all()
    assert set(exported.columns) >= {
        "indicator",
        "area",
        "year",
        "value",
        "unit",
        "status",
        "source",
    }
    assert (exported.unit == "million tenge").all()


def test_export_preferred_gives_one_value_a_year_official_first(built):
    url = built
    code, out, _ = run_etl(
        "export",
        "--db",
        url,
        "--indicator",
        "industrial_output",
        "--area",
        "Аральский",
        "--format",
        "json",
    )
    assert code == 0
    rows = json.loads(out)
    by_year = {r["year"]: (r["value"], r["source"]) for r in rows}
    assert by_year == {
        2007: (1863.0, "fx-bns"),
        2008: (1946.0, "fx-bns"),
        2009: (2452.2, "fx-seed"),
    }


def test_export_keeps_stored_figures_exactly(built):
    url = built
    _, out, _ = run_etl(
        "export",
        "--db",
        url,
        "--indicator",
        "industrial_output",
        "--area",
        "433200000",
        "--source",
        "fx-seed",
    )
    assert "2609.1," in out and "2609.09" not in out


def test_reload_is_idempotent(built):
    url = built
    before = table(url, "observations", "indicator, area, year, series, source")
    code, _, err = run_etl("build", "--no-boundaries", "--db", url, "--data", str(MINI))
    assert code == 0, err
    code, _, err = run_etl("load", "--db", url, str(MINI / "curated" / "demo"))
    assert code == 0, err
    after = table(url, "observations", "indicator, area, year, series, source")
    pd.testing.assert_frame_equal(before, after)
    assert len(table(url, "targets", "id")) == 1


def test_reload_of_a_corrected_file_leaves_no_stale_rows(built, tmp_path):
    url = built
    fixed = tmp_path / "demo"
    shutil.copytree(MINI / "curated" / "demo", fixed)
    obs = (fixed / "observations.csv").read_text(encoding="utf-8").splitlines()
    kept = [line for line in obs if ",2009," not in line]
    (fixed / "observations.csv").write_text("\n".join(kept) + "\n", encoding="utf-8")
    code, _, err = run_etl("load", "--db", url, str(fixed))
    assert code == 0, err
    years = table(url, "observations", "year").query("source == 'fx-seed'").year.tolist()
    assert 2009 not in years and 2008 in years


def _broken_copy(tmp_path: Path, old: str, new: str) -> Path:
    broken = tmp_path / "broken"
    shutil.copytree(MINI / "curated" / "demo", broken)
    f = broken / "observations.csv"
    f.write_text(f.read_text(encoding="utf-8").replace(old, new, 1), encoding="utf-8")
    return broken


def test_bad_value_names_file_row_column_and_writes_nothing(built, tmp_path):
    url = built
    before = fingerprint(url)
    broken = _broken_copy(tmp_path, ",1946,", ",19x6,")
    code, _, err = run_etl("load", "--db", url, str(broken))
    assert code == 1
    assert f"{broken / 'observations.csv'}, row 3, column value: '19x6' is not a number" in err
    assert "nothing was written" in err
    assert fingerprint(url) == before


def test_unknown_area_and_indicator_are_reported(built, tmp_path):
    url = built
    broken = _broken_copy(tmp_path, "fish_processed,433200000", "fish_caught,999999999")
    code, _, err = run_etl("validate", "--db", url, str(broken))
    assert code == 1
    assert "row 6, column indicator: unknown indicator 'fish_caught'" in err
    assert "row 6, column area: unknown area '999999999'" in err


def test_failure_while_writing_rolls_back_byte_for_byte(built, tmp_path, monkeypatch):
    url = built
    before = fingerprint(url)
    changed = _broken_copy(tmp_path, ",1946,", ",1950,")
    import etl.load

    real = etl.load._upsert

    def failing(conn, table, rows, keys):
        if table.name == "targets":
            raise RuntimeError("disk full (simulated)")
        return real(conn, table, rows, keys)

    monkeypatch.setattr(etl.load, "_upsert", failing)
    from etl.cli import read_path
    from store.db import writable_engine

    batch = read_path(changed, "curated", {})
    with pytest.raises(RuntimeError, match="simulated"):
        etl.load.load(writable_engine(url), [batch])
    assert fingerprint(url) == before


def test_validate_writes_nothing(built):
    url = built
    before = fingerprint(url)
    code, _, err = run_etl("validate", "--db", url, str(MINI / "curated" / "demo"))
    assert code == 0, err
    assert fingerprint(url) == before


@pytest.mark.parametrize(
    "args",
    [
        ["load", "does/not/exist.csv"],
        ["load", "--format", "no-such-format", str(MINI)],
        ["export", "--indicator", "x"],
        ["frobnicate"],
    ],
)
def test_usage_errors_exit_2(args, databases):
    code, _, _ = (
        run_etl(*args[:1], "--db", databases.new("x"), *args[1:])
        if args[0] in {"load", "export"}
        else run_etl(*args)
    )
    assert code == 2


def test_export_unknown_codes_exit_2(built):
    url = built
    code, _, err = run_etl("export", "--db", url, "--indicator", "nope", "--area", "433200000")
    assert code == 2 and "unknown indicator 'nope'" in err
    code, _, err = run_etl(
        "export", "--db", url, "--indicator", "fish_processed", "--area", "Atlantis"
    )
    assert code == 2 and "Atlantis" in err


def test_status_lists_runs_and_sources(built):
    url = built
    code, out, _ = run_etl("status", "--db", url)
    assert code == 0
    assert "fx-bns" in out and "fx-seed" in out and "curated" in out


def test_too_long_code_is_a_clear_error(built, tmp_path):
    url = built
    broken = _broken_copy(tmp_path, "fx-seed,,", "fx-seed,,")
    sources = broken / "sources.csv"
    long_code = "x" * 81
    sources.write_text(
        sources.read_text(encoding="utf-8") + f"{long_code},T,P,,,,C,,\n", encoding="utf-8"
    )
    code, _, err = run_etl("validate", "--db", url, str(broken))
    assert code == 1
    assert "row 5, column code: is 81 characters long; at most 80 allowed" in err
