"""Revisions keep history: a re-load of the same source keeps the values it replaces.

A database built from tests/fixtures/curated_min (SQLite in tmp_path, or PostgreSQL under
`make test-pg`), then a dataset folder of one source (four figures restating the Bureau's
district workbook, sheet «Арал», row 10) loaded, re-loaded unchanged and re-loaded with one
figure changed, one dropped and one added; also with the file streamed chunk by chunk.
"""

from __future__ import annotations

import logging
from pathlib import Path

import pytest
from sqlalchemy import create_engine, inspect, text

from etl.adapters import curated
from tests.conftest import FIXTURES, run_etl

MINI = FIXTURES / "curated_min"
INDICATOR = (
    "code,name_kk,name_ru,name_en,unit_kk,unit_ru,unit_en,category,direction,description,"
    "sdg_id,preferred_source,decimals,kind\n"
    "my_birth_rate,Туу коэффициенті,Коэффициент рождаемости,Crude birth rate (mine),"
    "1000 адамға,на 1000 человек,per 1000 population,social,neutral,,,my-bns-aral,2,rate\n"
)
FIGURES = {2020: 25.86, 2021: 28.19, 2022: 25.52, 2023: 25.16}
pytestmark = pytest.mark.postgres


def write_dataset(folder: Path, figures: dict[int, float], retrieved: str = "2024-07") -> Path:
    """One source's dataset folder (curated format)."""
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "indicators.csv").write_text(INDICATOR, encoding="utf-8")
    (folder / "sources.csv").write_text(
        "code,title,publisher,address,license,retrieved,tier,excerpt,note\n"
        "my-bns-aral,District workbook,Bureau of National Statistics,"
        f"https://stat.gov.kz/api/iblock/element/region/291836/file/ru/,,{retrieved},A,,\n",
        encoding="utf-8",
    )
    obs = "indicator,area,year,series,value,status,year_approx,source,note,excerpt,location\n"
    for year, value in figures.items():
        obs += f"my_birth_rate,433200000,{year},,{value},actual,,my-bns-aral,,,row 10\n"
    (folder / "observations.csv").write_text(obs, encoding="utf-8")
    return folder


def rows(db: str, sql: str) -> list[tuple]:
    engine = create_engine(db)
    try:
        with engine.connect() as conn:
            return [tuple(r) for r in conn.execute(text(sql))]
    finally:
        engine.dispose()


@pytest.fixture(scope="module")
def mini_db(module_databases) -> str:
    db = module_databases.new("mini")
    code, _, err = run_etl("build", "--no-boundaries", "--data", str(MINI), "--db", db)
    assert code == 0, err
    return db


@pytest.fixture
def db(mini_db, databases) -> str:
    return databases.copy(mini_db, "rev")


def load(db: str, folder: Path) -> str:
    code, _, err = run_etl("load", str(folder), "--db", db)
    assert code == 0, err
    return err


REVISIONS = "select year, kind, old_value, new_value from revisions order by load_run, year, kind"


def test_the_first_build_is_the_baseline(mini_db):
    assert rows(mini_db, "select count(*) from revisions") == [(0,)]


def test_a_new_source_is_added_and_an_identical_reload_records_nothing(db, tmp_path):
    folder = write_dataset(tmp_path / "mine", FIGURES)
    err = load(db, folder)
    assert "changes: 4 figure(s)" in err
    assert rows(db, REVISIONS) == [(y, "added", None, v) for y, v in FIGURES.items()]
    err = load(db, folder)
    assert "changes:" not in err
    assert rows(db, "select count(*) from revisions") == [(4,)]
    assert rows(db, "select count(*) from load_runs") == [(3,)]


def test_a_reload_with_a_changed_figure_keeps_the_earlier_value(db, tmp_path):
    load(db, write_dataset(tmp_path / "v1", FIGURES))
    newer = {**FIGURES, 2021: 28.2, 2024: 24.9}
    del newer[2020]
    load(db, write_dataset(tmp_path / "v2", newer, retrieved="2025-03"))
    run = rows(db, "select max(id) from load_runs")[0][0]
    got = rows(
        db,
        "select year, kind, old_value, new_value, old_status, old_location, "
        f"old_source_retrieved, old_source_address from revisions where load_run = {run} "
        "order by year",
    )
    address = "https://stat.gov.kz/api/iblock/element/region/291836/file/ru/"
    assert got == [
        (2020, "withdrawn", 25.86, None, "actual", "row 10", "2024-07", address),
        (2021, "revised", 28.19, 28.2, "actual", "row 10", "2024-07", address),
        (2024, "added", None, 24.9, None, None, None, None),
    ]
    # the new value is what the database holds; the old one only in revisions
    assert rows(
        db, "select value from observations where indicator = 'my_birth_rate' and year = 2021"
    ) == [(28.2,)]


def test_a_refused_load_records_nothing(db, tmp_path):
    load(db, write_dataset(tmp_path / "v1", FIGURES))
    bad = write_dataset(tmp_path / "bad", {**FIGURES, 2021: 28.5})
    text = (bad / "observations.csv").read_text(encoding="utf-8")
    (bad / "observations.csv").write_text(text.replace("433200000,2023", "999999999,2023"))
    code, _, _ = run_etl("load", str(bad), "--db", db)
    assert code != 0
    assert rows(db, "select count(*) from revisions where kind = 'revised'") == [(0,)]


def test_a_streamed_reload_records_revisions_like_a_small_one(db, tmp_path, monkeypatch, caplog):
    """observations.csv over the stream threshold (lowered here), read two rows at a time: its
    pairs become known chunk by chunk, and what it replaces is still recorded."""
    load(db, write_dataset(tmp_path / "v1", FIGURES))
    monkeypatch.setattr(curated, "STREAM_BYTES", 0)
    monkeypatch.setattr(curated, "CHUNK_ROWS", 2)
    before = rows(db, "select count(*) from revisions")[0][0]
    caplog.set_level(logging.INFO)
    err = load(db, write_dataset(tmp_path / "same", FIGURES))
    written = [r.getMessage() for r in caplog.records if "rows written" in r.getMessage()]
    assert len(written) == 2  # streamed: four rows, two chunks
    assert "changes:" not in err
    assert rows(db, "select count(*) from revisions")[0][0] == before
    load(db, write_dataset(tmp_path / "v2", {**FIGURES, 2022: 25.5}, retrieved="2025-03"))
    run = rows(db, "select max(id) from load_runs")[0][0]
    assert rows(
        db,
        "select year, kind, old_value, new_value, old_source_retrieved from revisions "
        f"where load_run = {run}",
    ) == [(2022, "revised", 25.52, 25.5, "2024-07")]


def _submit(db: str, organisation: str, number: int, figures: dict[int, float]) -> None:
    """Load an approved submission of ``organisation`` the way /review does."""
    from etl import submission as sub

    figures_rows = [
        {"indicator": "my_birth_rate", "area": "433200000", "year": y, "series": "", "value": v}
        | {"status": "actual", "note": None, "_row": i, "_column": "C", "_file": "form"}
        for i, (y, v) in enumerate(figures.items(), start=1)
    ]
    note = sub.figure_note(
        {"title": "District register"},
        submission=number,
        submitter="planner",
        organisation=organisation,
        when="2026-01-0" + str(number),
    )
    engine = create_engine(db)
    try:
        source = sub.source_row(organisation, "2026-01-0" + str(number))
        sub.load_submission(engine, figures_rows, source, f"submission {number}", note)
    finally:
        engine.dispose()


def test_submissions_revise_their_organisations_figures_only(db, tmp_path):
    """An organisation's later submission revises its own earlier figure and leaves its
    others; the Bureau's readings and another organisation's are never touched."""
    load(db, write_dataset(tmp_path / "v1", FIGURES))
    _submit(db, "Аралтұз", 1, {2021: 30.0, 2022: 26.0})
    _submit(db, "Аралтұз", 2, {2021: 31.0})
    _submit(db, "Other org", 3, {2021: 32.0})
    readings = "select year, source, value from observations where indicator = 'my_birth_rate'"
    assert sorted(rows(db, readings + " and year in (2021, 2022)")) == [
        (2021, "my-bns-aral", 28.19),
        (2021, "submitted-araltuz", 31.0),
        (2021, "submitted-other-org", 32.0),
        (2022, "my-bns-aral", 25.52),
        (2022, "submitted-araltuz", 26.0),
    ]
    changed = (
        "select year, source, kind, old_value, new_value, old_note from revisions "
        "where kind != 'added' order by load_run"
    )
    ((year, source, kind, old, new, old_note),) = rows(db, changed)
    assert (year, source, kind, old, new) == (2021, "submitted-araltuz", "revised", 30.0, 31.0)
    assert old_note.startswith("submission 1 by planner (Аралтұз) on 2026-01-01")
    runs = rows(db, "select file from load_runs where file like 'submission%' order by id")
    assert runs == [("submission 1",), ("submission 2",), ("submission 3",)]


@pytest.mark.parametrize(
    ("organisation", "code"),
    [
        ("Kamystybas hatchery", "submitted-kamystybas-hatchery"),
        ("ТОО «Аралтұз»", "submitted-too-araltuz"),
        ("  Aral  akimat ", "submitted-aral-akimat"),
    ],
)
def test_an_organisations_source_code(organisation, code):
    from etl.submission import source_code

    assert source_code(organisation) == code


def test_an_added_figure_is_a_narrow_row_and_old_details_are_kept_out_of_line(db, tmp_path):
    """revision_values keys figures by integer ids (a wholly new pair is one revision_pairs
    row); only revised and withdrawn figures have a revision_details row; readers see codes
    and texts through the revisions view."""
    load(db, write_dataset(tmp_path / "v1", FIGURES))
    assert rows(db, "select figures from revision_pairs") == [(4,)]
    assert rows(db, "select count(*) from revision_values") == [(0,)]
    assert rows(db, "select count(*) from revision_details") == [(0,)]
    load(db, write_dataset(tmp_path / "v2", {**FIGURES, 2021: 28.2}, retrieved="2025-03"))
    assert rows(db, "select count(*) from revision_details") == [(1,)]
    assert rows(
        db, "select kind, detail_id is null from revision_values order by load_run, kind"
    ) == [("added", True), ("revised", False)]
    assert rows(
        db,
        "select d.location, d.source_retrieved from revision_values v "
        "join revision_details d on d.id = v.detail_id where v.kind = 'revised'",
    ) == [("row 10", "2024-07")]
    engine = create_engine(db)
    try:
        tables = set(inspect(engine).get_table_names())
    finally:
        engine.dispose()
    assert "revisions" not in tables and {"revision_values", "revision_details"} <= tables


OLD_REVISIONS = """
CREATE TABLE revisions (
    id INTEGER PRIMARY KEY, indicator VARCHAR(80) NOT NULL, area VARCHAR(9) NOT NULL,
    year INTEGER NOT NULL, series TEXT NOT NULL, source VARCHAR(80) NOT NULL,
    kind VARCHAR(10) NOT NULL, load_run INTEGER NOT NULL, old_value FLOAT, new_value FLOAT,
    old_status VARCHAR(12), old_year_approx BOOLEAN, old_note TEXT, old_excerpt TEXT,
    old_location TEXT, old_source_title TEXT, old_source_address TEXT,
    old_source_retrieved TEXT)"""
EVERYTHING = (
    "select indicator, area, year, series, source, kind, load_run, old_value, new_value, "
    "old_status, old_year_approx, old_note, old_excerpt, old_location, old_source_title, "
    "old_source_address, old_source_retrieved from revisions order by load_run, year"
)


@pytest.mark.parametrize("command", ["load", "build"])
def test_a_history_in_the_older_revisions_table_is_moved_not_lost(db, tmp_path, caplog, command):
    """A database whose revisions are still the text-key table (before revision_values): the
    next load, or the next build (instead of a rebuild from scratch), moves every row into the
    new tables; the view reads them as they were."""
    from etl import build

    load(db, write_dataset(tmp_path / "v1", FIGURES))
    newer = {**FIGURES, 2021: 28.2}
    del newer[2020]
    load(db, write_dataset(tmp_path / "v2", newer, retrieved="2025-03"))
    history = rows(db, EVERYTHING)
    engine = create_engine(db)
    try:
        with engine.begin() as conn:
            conn.execute(text("DROP VIEW revisions"))
            conn.execute(text("DROP TABLE revision_values"))
            conn.execute(text("DROP TABLE revision_details"))
            conn.execute(text(OLD_REVISIONS))
            columns = EVERYTHING.split("select ")[1].split(" from")[0]
            marks = ", ".join(f":p{i}" for i in range(len(history[0])))
            conn.execute(
                text(f"INSERT INTO revisions (id, {columns}) VALUES (:id, {marks})"),
                [
                    {"id": n, **{f"p{i}": v for i, v in enumerate(r)}}
                    for n, r in enumerate(history, start=1)
                ],
            )
            conn.execute(  # as the code before revision_values stamped it
                text("UPDATE meta SET value = :v WHERE key = :k"),
                {"v": build._signature_before_revision_values(), "k": build.SCHEMA_KEY},
            )
    finally:
        engine.dispose()
    if command == "load":
        load(db, write_dataset(tmp_path / "v3", newer, retrieved="2025-03"))
    else:
        code, _, err = run_etl("build", "--no-boundaries", "--data", str(MINI), "--db", db)
        assert code == 0, err
        assert "rebuilding it from scratch" not in caplog.text
        assert rows(db, "select value from meta where key = 'schema'") == [
            (build.schema_signature(),)
        ]
    assert "moving the revision history" in caplog.text
    assert rows(db, EVERYTHING) == history
    assert rows(db, "select count(*) from revision_details") == [(2,)]
