"""A newcomer's first hour (issue 16): the README's "Load your own data" runs as written, a
current database and the user's loads survive `etl build`, the CLI's counts and refusals.

Databases are built from tests/fixtures/curated_min (or the project's data/) in tmp_path; the
boundary file here is a code-generated TEST FIXTURE (two rectangles), never real boundaries.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from etl.adapters import curated
from tests.conftest import FIXTURES, ROOT, run_etl

MINI = FIXTURES / "curated_min"
README = (ROOT / "README.md").read_text(encoding="utf-8")


def readme_section(title: str) -> str:
    start = README.index(f"\n## {title}\n")
    end = README.find("\n## ", start + 1)
    return README[start : end if end > 0 else None]


def code_blocks(text: str) -> list[tuple[str, str]]:
    """(language, body) of every fenced code block, in order."""
    return re.findall(r"^```(\w*)\n(.*?)^```$", text, re.S | re.M)


def rows(db: Path, sql: str) -> list[tuple]:
    with sqlite3.connect(db) as conn:
        return conn.execute(sql).fetchall()


def write_dataset(folder: Path, *, indicators: str | None) -> Path:
    """A user's dataset folder: one indicator, Aral district, four years, one source.

    The figures restate the Bureau's district workbook (sheet «Арал», row 10), as in the README.
    """
    folder.mkdir(parents=True, exist_ok=True)
    if indicators is not None:
        (folder / "indicators.csv").write_text(indicators, encoding="utf-8")
    (folder / "sources.csv").write_text(
        "code,title,publisher,address,license,retrieved,tier,excerpt,note\n"
        "my-bns-aral,District workbook,Bureau of National Statistics,"
        "https://stat.gov.kz/api/iblock/element/region/291836/file/ru/,,2024-07,A,,\n",
        encoding="utf-8",
    )
    obs = "indicator,area,year,series,value,status,year_approx,source,note,excerpt,location\n"
    for year, value in ((2020, 25.86), (2021, 28.19), (2022, 25.52), (2023, 25.16)):
        obs += f"my_birth_rate,433200000,{year},,{value},actual,,my-bns-aral,,,row 10\n"
    (folder / "observations.csv").write_text(obs, encoding="utf-8")
    return folder


INDICATORS_CSV = (
    ",".join(curated.COLUMNS["indicators"]) + "\n"
    "my_birth_rate,Туу коэффициенті,Коэффициент рождаемости,Crude birth rate (mine),"
    "1000 адамға,на 1000 человек,per 1000 population,social,neutral,,,my-bns-aral,2,rate\n"
)


@pytest.fixture(scope="module")
def mini_db(tmp_path_factory) -> Path:
    db = tmp_path_factory.mktemp("own") / "mini.db"
    code, _, err = run_etl(
        "build", "--no-boundaries", "--data", str(MINI), "--db", f"sqlite:///{db}"
    )
    assert code == 0, err
    return db


@pytest.fixture
def db(mini_db, tmp_path) -> Path:
    """A private copy of the built fixture database."""
    return Path(shutil.copy(mini_db, tmp_path / "own.db"))


def etl(db: Path, *args: str) -> tuple[int, str, str]:
    return run_etl(*args, "--db", f"sqlite:///{db}")


# --- the README's worked example -------------------------------------------------------------


def test_readme_load_your_own_data_runs_exactly_as_written(tmp_path):
    """The README's commands, run by bash from a project folder; the output is the README's."""
    section = readme_section("Load your own data")
    (lang, script), (_, expected) = code_blocks(section)
    assert lang == "sh"
    work = tmp_path / "project"
    work.mkdir()
    (work / ".venv").symlink_to(Path(sys.prefix))
    db = tmp_path / "readme.db"
    code, _, err = run_etl("build", "--no-boundaries", "--db", f"sqlite:///{db}")
    assert code == 0, err
    env = {**os.environ, "DATABASE_URL": f"sqlite:///{db}", "PYTHONPATH": str(ROOT)}
    done = subprocess.run(
        ["bash", "-e", "-c", script], cwd=work, env=env, capture_output=True, text=True
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout == expected
    assert "valid: 3 file(s), 6 rows read, 4 observations, 0 rows rejected" in done.stderr
    assert "loaded: 3 file(s), 6 rows read, 4 observations, 0 rows rejected" in done.stderr
    # ... and the indicator survives the build that `make run` does.
    code, _, err = run_etl("build", "--no-boundaries", "--db", f"sqlite:///{db}")
    assert code == 0 and "database is current" in err
    assert rows(db, "select count(*) from observations where indicator = 'my_birth_rate'") == [(4,)]


# --- a dataset folder's own indicators.csv ---------------------------------------------------


def test_a_dataset_folder_defines_its_own_indicator(db, tmp_path):
    folder = write_dataset(tmp_path / "mine", indicators=INDICATORS_CSV)
    code, _, err = etl(db, "load", str(folder))
    assert code == 0, err
    assert rows(db, "select name_en, unit_en from indicators where code = 'my_birth_rate'") == [
        ("Crude birth rate (mine)", "per 1000 population")
    ]
    code, out, _ = etl(db, "export", "--indicator", "my_birth_rate", "--area", "433200000")
    assert code == 0 and out.count("\n") == 5 and "2023,25.16" in out


def test_unknown_indicator_error_says_how_to_define_one(db, tmp_path):
    folder = write_dataset(tmp_path / "mine", indicators=None)
    code, _, err = etl(db, "load", str(folder))
    assert code == 1
    line = next(x for x in err.splitlines() if "unknown indicator 'my_birth_rate'" in x)
    assert "observations.csv, row 2, column indicator" in line
    assert "indicators.csv" in line and "Load your own data" in line
    assert rows(db, "select count(*) from observations where source = 'my-bns-aral'") == [(0,)]


def test_a_dataset_indicators_csv_is_validated_like_the_catalogue(db, tmp_path):
    bad = INDICATORS_CSV.replace(",social,neutral,", ",social,upwards,")
    folder = write_dataset(tmp_path / "mine", indicators=bad)
    code, _, err = etl(db, "load", str(folder))
    assert code == 1
    assert f"{folder / 'indicators.csv'}, row 2, column direction: 'upwards' is not one of" in err
    missing = INDICATORS_CSV.replace(",Crude birth rate (mine),", ",,")
    write_dataset(folder, indicators=missing)
    code, _, err = etl(db, "validate", str(folder))
    assert code == 1 and "indicators.csv, row 2, column name_en: is empty" in err
    assert rows(db, "select count(*) from indicators where code = 'my_birth_rate'") == [(0,)]


def test_an_indicator_defined_twice_differently_is_refused(db, tmp_path):
    clash = INDICATORS_CSV.replace("my_birth_rate,", "industrial_output,", 1)
    folder = write_dataset(tmp_path / "mine", indicators=clash)
    code, _, err = etl(db, "validate", str(folder))
    assert code == 1 and "industrial_output" in err


# --- `etl build` keeps a current database ----------------------------------------------------


def test_build_keeps_a_current_database_and_the_users_loads(db, tmp_path):
    data = Path(shutil.copytree(MINI, tmp_path / "data"))
    write_dataset(tmp_path / "mine", indicators=INDICATORS_CSV)
    assert etl(db, "load", str(tmp_path / "mine"))[0] == 0
    version = rows(db, "select value from meta where key = 'data_version'")

    # The same files elsewhere are the same data: nothing to do, nothing lost.
    code, _, err = etl(db, "build", "--no-boundaries", "--data", str(data))
    assert code == 0 and "database is current" in err and "make rebuild" in err
    assert rows(db, "select value from meta where key = 'data_version'") == version

    # A changed curated figure is loaded again; the user's readings stay.
    obs = data / "curated" / "demo" / "observations.csv"
    obs.write_text(obs.read_text(encoding="utf-8").replace(",2008,,1946,", ",2008,,1947,"))
    code, _, err = etl(db, "build", "--no-boundaries", "--data", str(data))
    assert code == 0 and "built:" in err
    assert rows(
        db,
        "select value from observations where indicator = 'industrial_output' "
        "and area = '433200000' and year = 2008 and source = 'fx-bns'",
    ) == [(1947.0,)]
    assert rows(db, "select count(*) from observations where source = 'my-bns-aral'") == [(4,)]

    # --fresh (make rebuild) starts from scratch: the user's load is gone.
    assert etl(db, "build", "--no-boundaries", "--fresh", "--data", str(data))[0] == 0
    assert rows(db, "select count(*) from observations where source = 'my-bns-aral'") == [(0,)]


def test_build_counts_every_file_it_reads(tmp_path):
    code, _, err = run_etl(
        "build", "--no-boundaries", "--data", str(MINI), "--db", f"sqlite:///{tmp_path / 'n.db'}"
    )
    files = curated.files(MINI)
    assert code == 0 and len(files) == 7
    assert f"built: {len(files)} file(s)," in err


def test_validate_counts_the_observations_it_checked(db, tmp_path):
    folder = write_dataset(tmp_path / "mine", indicators=INDICATORS_CSV)
    code, _, err = etl(db, "validate", str(folder))
    assert code == 0
    assert "valid: 3 file(s), 6 rows read, 4 observations, 0 rows rejected" in err
    assert rows(db, "select count(*) from observations where source = 'my-bns-aral'") == [(0,)]


# --- `etl export` refuses what it does not know ----------------------------------------------


@pytest.mark.parametrize(
    ("args", "message", "choices"),
    [
        (
            ["--indicator", "nope", "--area", "433200000"],
            "unknown indicator 'nope'; known: fish_processed, industrial_output",
            [],
        ),
        (
            ["--indicator", "industrial_output", "--area", "Atlantis"],
            "unknown or ambiguous area 'Atlantis'",
            ["433200000 (Aral district)"],
        ),
        (
            ["--indicator", "industrial_output", "--area", "433200000", "--source", "nosuch"],
            "unknown source 'nosuch'; use preferred, all or one of:",
            ["fx-bns"],
        ),
    ],
)
def test_export_refuses_unknown_choices_with_exit_2(mini_db, args, message, choices):
    code, out, err = run_etl("export", *args, "--db", f"sqlite:///{mini_db}")
    assert code == 2 and out == ""
    assert message in err
    assert all(c in err for c in choices)


# --- boundaries: counts and warnings said once -------------------------------------------------


def square(x: float, y: float) -> list:
    return [[[x, y], [x + 1, y], [x + 1, y + 1], [x, y + 1], [x, y]]]


def test_status_and_warnings_of_a_boundaries_load(db, tmp_path):
    """TEST FIXTURE: two code-generated rectangles, one drawn as a bow tie (invalid)."""
    bowtie = [[[62, 46], [63, 47], [63, 46], [62, 47], [62, 46]]]
    features = [
        {"KATO": "433200000", "Year": 2024, "ADM2_PCODE": "TEST", "rings": bowtie},
        {"KATO": "434400000", "Year": 2024, "ADM2_PCODE": "TEST", "rings": square(63, 46)},
    ]
    geojson = {
        "type": "FeatureCollection",
        "features": [
            {
                "type": "Feature",
                "properties": {k: v for k, v in f.items() if k != "rings"},
                "geometry": {"type": "Polygon", "coordinates": f["rings"]},
            }
            for f in features
        ],
    }
    path = tmp_path / "test-fixture-rectangles.geojson"
    path.write_text(json.dumps(geojson), encoding="utf-8")
    done = subprocess.run(
        [sys.executable, "-m", "etl", "load", str(path), "--format", "boundaries"]
        + ["--db", f"sqlite:///{db}"],
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    assert done.returncode == 0, done.stderr
    assert done.stderr.count("was invalid") == 1, done.stderr
    assert "loaded: 1 file(s), 2 rows read" in done.stderr
    code, out, _ = etl(db, "status")
    line = next(x for x in out.splitlines() if "boundaries" in x and "read" in x)
    assert re.search(r"read\s+2\s+loaded\s+2\s+rejected\s+0", line), line
