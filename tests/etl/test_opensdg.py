"""The Open SDG adapter, on a hand-made mini repository and on kazstat's real one."""

from __future__ import annotations

import io
import logging
import shutil
from pathlib import Path

import pandas as pd
import pytest
import sqlalchemy
from pandas.testing import assert_frame_equal

from etl.adapters import opensdg
from etl.areas import default_resolver
from etl.batch import OBSERVATION_COLUMNS, LoadError
from tests.conftest import FIXTURES

MINI = FIXTURES / "opensdg" / "mini"
log = logging.getLogger(__name__)


def _read(path: Path):
    return opensdg.read(path, resolver=default_resolver(), options={})


def _expected(csv: str) -> pd.DataFrame:
    return pd.read_csv(io.StringIO(csv), dtype={"area": str}, keep_default_na=False)


@pytest.fixture(scope="module")
def mini():
    return _read(MINI)


@pytest.fixture(scope="module")
def kazstat_dir(shared: Path) -> Path:
    path = shared / "sources" / "kazstat-sdg"
    if not (path / "data").is_dir():
        pytest.skip(f"real Open SDG repository not found at {path}")
    return path


@pytest.fixture(scope="module")
def kazstat(kazstat_dir: Path):
    return _read(kazstat_dir)


def _obs(batch, indicator: str) -> pd.DataFrame:
    obs = batch.observations
    return obs[obs["indicator"] == indicator].reset_index(drop=True)


def test_detect():
    assert opensdg.detect(MINI)
    assert opensdg.detect(MINI / "data" / "indicator_15-1-1.csv")
    assert not opensdg.detect(MINI / "data")
    assert not opensdg.detect(MINI / "meta" / "15-1-1.yml")
    assert not opensdg.detect(FIXTURES)


@pytest.mark.parametrize(
    ("sdg_id", "category"),
    [
        ("15.1.1", "ecological"),
        ("6.3.2", "ecological"),
        ("11.6.2", "ecological"),
        ("3.9.1", "ecological"),
        ("11.1.1", "social"),
        ("8.1.1", "economic"),
        ("17.3.1.2", "economic"),
        ("1.a.1", "social"),
        ("16.3.3.1", "social"),
    ],
)
def test_category_by_goal(sdg_id, category):
    assert opensdg.category(sdg_id) == category


def test_bom_trailing_column_country_and_resolved_areas(mini):
    expected = _expected(
        "area,year,series,value,location\n"
        '000000000,2010,,4.5,"data/indicator_15-1-1.csv, row 2"\n'
        '110000000,2010,,2.6,"data/indicator_15-1-1.csv, row 3"\n'
        '430000000,2010,,13.6,"data/indicator_15-1-1.csv, row 4"\n'
        '000000000,2011,,4.6,"data/indicator_15-1-1.csv, row 9"\n'
    )
    got = _obs(mini, "sdg_15_1_1")[expected.columns.tolist()]
    assert_frame_equal(got, expected, check_dtype=False)
    assert list(mini.observations.columns) == OBSERVATION_COLUMNS
    assert set(mini.observations["source"]) == {"kazstat-sdg"}


def test_one_file_of_a_repository_reads_alone():
    batch = _read(MINI / "data" / "indicator_15-1-1.csv")
    assert [i["code"] for i in batch.indicators] == ["sdg_15_1_1"]
    assert len(batch.observations) == 4
    assert batch.rows_read == 8
    assert batch.errors == []


def test_bad_cells_are_errors_naming_file_row_and_column(mini):
    assert mini.errors == [
        LoadError("data/indicator_1-2-1.csv", 4, "Year", "year '2O15' is not a whole number"),
        LoadError("data/indicator_1-2-1.csv", 5, "Value", "value 'n/a' is not a number"),
    ]


def test_series_keeps_unit_only_when_a_file_has_several(mini):
    expected = _expected(
        "area,year,series,value\n"
        "000000000,2015,UNIT_MEASURE=PT,2.7\n"
        "000000000,2015,SEX=F|UNIT_MEASURE=PT,2.6\n"
        "000000000,2016,UNIT_MEASURE=TH_PEOPLE,452.4\n"
    )
    got = _obs(mini, "sdg_1_2_1")[expected.columns.tolist()]
    assert_frame_equal(got, expected, check_dtype=False)
    assert set(_obs(mini, "sdg_15_1_1")["series"]) == {""}


def test_repeats_dropped_and_conflicts_skipped_with_warnings(mini):
    assert "data/indicator_15-1-1.csv: 1 repeated row(s) dropped" in mini.warnings
    assert any(
        w.startswith("data/indicator_1-2-1.csv: 2 row(s) skipped") and "rows 6 & 7" in w
        for w in mini.warnings
    )


def test_city_codes_are_warnings_not_guesses(mini):
    kzl = [w for w in mini.warnings if w.startswith("REF_AREA KZKZL")]
    assert kzl == [
        "REF_AREA KZKZL (г.Кызылорда) not resolved (no area with this code in "
        "data/area_aliases.csv): 1 row(s) skipped in data/indicator_15-1-1.csv"
    ]
    # KZZHT is ISO's Zhetysu, but on this platform it is the town of Zhanatas
    zht = [w for w in mini.warnings if w.startswith("REF_AREA KZZHT")]
    assert len(zht) == 1 and "г.Жанатас" in zht[0]
    assert "330000000" not in set(mini.observations["area"])
    assert mini.rows_skipped == 2 + 2  # two unresolved areas, one conflicting pair


def test_indicator_names_units_and_fallbacks(mini):
    by_code = {i["code"]: i for i in mini.indicators}
    assert set(by_code) == {"sdg_1_2_1", "sdg_14_c_1", "sdg_15_1_1"}
    forest = by_code["sdg_15_1_1"]
    assert forest["name_ru"] == "Площадь лесов в процентном отношении к общей площади суши"
    assert forest["name_en"] == "Forest area as a proportion of total land area"
    assert (forest["unit_kk"], forest["unit_ru"], forest["unit_en"]) == (
        "пайыз",
        "процент",
        "Percent",
    )
    assert forest["sdg_id"] == "15.1.1"
    assert forest["category"] == "ecological"
    assert forest["direction"] == "neutral"
    assert forest["preferred_source"] == "kazstat-sdg"
    assert forest["decimals"] == 1
    assert "Forestry and Wildlife Committee" in forest["description"]
    poverty = by_code["sdg_1_2_1"]
    assert poverty["name_en"] == poverty["name_ru"]
    assert "sdg_1_2_1: name: no en text, used ru" in mini.warnings
    assert poverty["unit_en"] == "Percent; thousand people"
    assert by_code["sdg_14_c_1"]["name_en"] == "Implementing the law of the sea"


def test_sources(mini):
    assert [s["code"] for s in mini.sources] == ["kazstat-sdg"]
    assert mini.sources[0]["retrieved"] == "commit 72277878d12502232b21c3d4b8ac459630b4f578"


# --- the real repository (../shared/sources/kazstat-sdg) ---------------------------------


def test_real_forest_area_by_oblast(kazstat):
    forest = _obs(kazstat, "sdg_15_1_1").set_index(["area", "year", "series"])["value"]
    assert forest[("000000000", 2010, "")] == 4.5
    assert forest[("110000000", 2010, "")] == 2.6  # KZAKM, Akmola
    assert forest[("430000000", 2010, "")] == 13.6  # KZKZY, Kyzylorda oblast
    assert forest[("430000000", 2019, "")] == 15.9
    rows = _obs(kazstat, "sdg_15_1_1")
    first = rows[(rows["area"] == "430000000") & (rows["year"] == 2010)].iloc[0]
    assert first["location"].startswith("data/indicator_15-1-1.csv, row ")


def test_real_names_differ_by_language(kazstat):
    forest = next(i for i in kazstat.indicators if i["code"] == "sdg_15_1_1")
    names = [forest[f"name_{lang}"] for lang in ("kk", "ru", "en")]
    assert all(names) and len(set(names)) == 3
    assert forest["sdg_id"] == "15.1.1"


def test_real_disaggregation_gives_distinct_series(kazstat):
    neet = _obs(kazstat, "sdg_8_6_1")  # youth not in education, employment or training
    assert set(neet["series"]) == {"", "SEX=F", "SEX=M", "URBANISATION=R", "URBANISATION=U"}
    kyzylorda_2020 = neet[(neet["area"] == "430000000") & (neet["year"] == 2020)]
    assert dict(zip(kyzylorda_2020["series"], kyzylorda_2020["value"], strict=True)) == {
        "": 5.5,
        "SEX=M": 2.8,
        "SEX=F": 6.6,
        "URBANISATION=U": 4.0,
        "URBANISATION=R": 5.8,
    }
    key = ["indicator", "area", "year", "series"]
    assert not kazstat.observations.duplicated(key).any()


def test_real_every_file_reads(kazstat, kazstat_dir):
    csv_files = sorted((kazstat_dir / "data").glob("indicator_*.csv"))
    assert len(kazstat.indicators) == len(csv_files) == 273
    assert any("indicator_3-1-1.xlsx: not read" in w for w in kazstat.warnings)
    for error in kazstat.errors:
        assert isinstance(error, LoadError)
        assert error.file.startswith("data/indicator_") and error.row and error.column
    assert kazstat.rows_read > 40_000
    assert len(kazstat.observations) > 40_000
    log.info(
        "kazstat-sdg: %d indicators (%d with data), %d observations, %d rows read, "
        "%d skipped, %d errors",
        len(kazstat.indicators),
        kazstat.observations["indicator"].nunique(),
        len(kazstat.observations),
        kazstat.rows_read,
        kazstat.rows_skipped,
        len(kazstat.errors),
    )


def test_real_city_codes_are_warnings(kazstat):
    skipped = [w for w in kazstat.warnings if w.startswith("REF_AREA ")]
    assert any(w.startswith("REF_AREA KZKZL (г.Кызылорда) not resolved") for w in skipped)
    assert not any(e.column == "REF_AREA" for e in kazstat.errors)
    areas = set(kazstat.observations["area"])
    assert {"710000000", "750000000", "790000000", "510000000"} <= areas  # KZNS, KZALA, ...
    assert {"100000000", "330000000", "620000000"} <= areas  # KZABY, KZZHS, KZULU (2022-)
    assert "431000000" not in areas  # Kyzylorda city akimat: never guessed from KZKZL


# --- whose repository: source, country, GeoCode (hand-made fixtures) -------------------


def test_kazstat_is_recognised_from_its_config():
    identity = opensdg.identify(MINI)
    assert identity.is_kazstat
    assert identity.site == "http://kazstat.github.io/sdg-site-kazstat"


@pytest.mark.parametrize(
    ("repo", "options", "message"),
    [
        ("starter", {}, "config_data.yml names no site (docs_indicator_url)"),
        ("starter", {"source": "starter-sdg"}, "not recognisably Kazakhstan's"),
        ("foreign", {}, "its REF_AREA codes are not Kazakhstan's (XX-AB, XX-CD)"),
        ("foreign", {"source": "kazstat-sdg", "country": "KZ"}, "give another --source"),
    ],
)
def test_repositories_that_are_not_kazakhstans_are_refused(repo, options, message):
    batch = opensdg.read(FIXTURES / "opensdg" / repo, resolver=default_resolver(), options=options)
    assert any(message in e.message for e in batch.errors), batch.errors


def test_a_foreign_repository_told_to_load_gets_a_source_of_its_own():
    batch = opensdg.read(
        FIXTURES / "opensdg" / "foreign", resolver=default_resolver(), options={"country": "KZ"}
    )
    assert batch.errors == []
    assert [s["code"] for s in batch.sources] == [
        "opensdg-example-stats-github-io-sdg-site-example"
    ]
    assert set(batch.observations["source"]) == {"opensdg-example-stats-github-io-sdg-site-example"}
    assert batch.indicators[0]["preferred_source"] == batch.sources[0]["code"]


def test_geocode_rows_without_ref_area_are_errors_not_national_figures():
    batch = _read(FIXTURES / "opensdg" / "geocode")
    assert [(e.row, e.column) for e in batch.errors] == [(3, "GeoCode"), (4, "GeoCode")]
    assert list(batch.observations["value"]) == [9.9]  # the headline row, no GeoCode


def test_a_foreign_load_never_touches_kazakhstans_readings(tmp_path):
    from tests.conftest import run_etl

    url = f"sqlite:///{tmp_path / 'k.db'}"
    assert run_etl("build", "--no-boundaries", "--db", url)[0] == 0
    kazstat = tmp_path / "kazstat"
    shutil.copytree(MINI, kazstat)
    (kazstat / "data" / "indicator_1-2-1.csv").unlink()  # the file with wrong cells
    assert run_etl("load", "--db", url, str(kazstat))[0] == 0
    engine = sqlalchemy.create_engine(url)
    query = "SELECT * FROM {} WHERE {} ORDER BY 1, 2, 3"
    tables = {
        "observations": "source = 'kazstat-sdg'",
        "sources": "code = 'kazstat-sdg'",
        "indicators": "code = 'sdg_15_1_1'",
    }
    with engine.connect() as conn:
        before = {t: pd.read_sql(query.format(t, w), conn) for t, w in tables.items()}
    repo = tmp_path / "foreign"
    shutil.copytree(FIXTURES / "opensdg" / "foreign", repo)
    (repo / "data" / "indicator_15-1-2.csv").rename(repo / "data" / "indicator_15-1-1.csv")
    code, _, err = run_etl("load", "--db", url, str(repo), "--country", "KZ")
    assert code == 0, err
    with engine.connect() as conn:
        for t, w in tables.items():
            assert_frame_equal(pd.read_sql(query.format(t, w), conn), before[t])
        foreign = pd.read_sql(
            "SELECT area, year, value FROM observations WHERE source LIKE 'opensdg-%' "
            "ORDER BY year",
            conn,
        )
    assert foreign.to_dict("list") == {
        "area": ["000000000", "000000000"],
        "year": [2019, 2020],
        "value": [31.0, 31.2],
    }
