"""The bns-district-workbook adapter on every region's «All» workbook in ../shared.

The figures compared here were read by hand from the files (xlrd/openpyxl, cell by cell); the
traps of ../shared/sources/bns-regional-workbooks/README.md each have a test.
"""

from __future__ import annotations

import gzip
import io

import pandas as pd
import pytest
from sqlalchemy import create_engine, text

from config import DATA_DIR
from etl.adapters import bns_district_workbook as workbook
from etl.areas import default_resolver
from etl.curate import short_location
from etl.curate_bns import REGIONAL_FILES, merge
from tests.conftest import run_etl

CURATED = DATA_DIR / "curated" / "bns-regional-workbooks"
ASTANA_ALMATY, ASTANA_BAIKONYR = "711110000", "711410000"
SHYMKENT, TURKISTAN_CITY = "790000000", "611000000"


@pytest.fixture(scope="module")
def files(shared):
    found = sorted(
        p for p in (shared / REGIONAL_FILES).iterdir() if p.suffix.lower() in (".xls", ".xlsx")
    )
    assert len(found) == 12
    return found


@pytest.fixture(scope="module")
def batches(files):
    resolver = default_resolver()
    return {f.name: workbook.read(f, resolver=resolver, options={}) for f in files}


def obs_of(batches, name: str) -> pd.DataFrame:
    return batches[name].observations.set_index(["indicator", "area", "year"])


def sheets_of(batches, name: str) -> dict[str, dict]:
    return {r["sheet"]: r for r in batches[name].sheet_reports}


# --- every workbook ------------------------------------------------------------------------------


def test_every_workbook_is_detected_and_reads_without_errors(files, batches):
    for f in files:
        assert workbook.detect(f), f.name
        batch = batches[f.name]
        assert batch.errors == [], f"{f.name}: {batch.errors[:3]}"
        assert len(batch.observations) > 500, f.name
        assert len(batch.sources) == 1
        assert not batch.observations.duplicated(["indicator", "area", "year"]).any()


def test_every_workbook_validates_against_the_default_build(files, web_db, caplog):
    with caplog.at_level("WARNING", logger="etl"):
        code, _, err = run_etl("validate", *map(str, files), "--db", web_db, "--accept-warnings")
    # One cell of all twelve is refused: 7471 in a per-cent row (curation leaves it out).
    assert code == 1, err
    assert "1 error(s)" in err and "value 7471 of youth_unemployment_rate_15_28" in err, err
    others = [f for f in files if f.name != "Akmola_All.xlsx"]
    caplog.clear()
    with caplog.at_level("WARNING", logger="etl"):
        code, _, err = run_etl("validate", *map(str, others), "--db", web_db, "--accept-warnings")
    assert code == 0, err
    listed = [r.getMessage() for r in caplog.records if "not in the mapping" in r.getMessage()]
    assert len(listed) == len(others)  # validate lists every workbook's unmapped labels


def test_regions_come_from_the_sheet_names(batches):
    regions = {name: b.sheet_reports[0]["region"] for name, b in batches.items()}
    assert regions == {
        "Abay_All.xls": "100000000",
        "Akmola_All.xlsx": "110000000",
        "Almaty_All.xls": "190000000",
        "Astana-city_All.xlsx": "710000000",
        "East-Kazakhstan_All.xls": "630000000",
        "Karagandy_All.xls": "350000000",
        "Pavlodar_All.xlsx": "550000000",
        "Shymkent-city_All.xls": "790000000",
        "Turkistan_All.xls": "610000000",
        "West-Kazakhstan_All.xls": "270000000",
        "Zhambyl_All.xls": "310000000",
        "Zhetisu_All.xls": "330000000",
    }


def test_a_renamed_copy_loads_the_same(files, tmp_path):
    """The region is read from the content, never from the file name."""
    source = next(f for f in files if f.name.startswith("Zhetisu"))
    copy = tmp_path / "table.xls"
    copy.write_bytes(source.read_bytes())
    batch = workbook.read(copy, resolver=default_resolver(), options={})
    assert batch.errors == []
    assert batch.sources[0]["code"] == "bns-regional-workbook-zhetisu"
    # 1227 figures read, and Zhetisu oblast's derived totals: 4 indicators, 2022–2024
    assert len(batch.observations) == 1227 + 12
    assert (batch.observations["status"] == "derived").sum() >= 12


# --- figures read by hand, per layout family ----------------------------------------------------


@pytest.mark.parametrize(
    ("file", "indicator", "area", "year", "value", "where"),
    [
        # title and section rows, unit on the row below (.xls, .xlsx)
        ("Turkistan_All.xls", "population", TURKISTAN_CITY, 1991, 164.4, "г.Туркестан!B5"),
        ("Turkistan_All.xls", "population", TURKISTAN_CITY, 2023, 228.2, "г.Туркестан!AH5"),
        ("Turkistan_All.xls", "population", TURKISTAN_CITY, 2024, 237.5, "г.Туркестан!AI5"),
        ("Zhambyl_All.xls", "population", "313600000", 2024, 106.5, "Байзакский район!AI6"),
        ("Pavlodar_All.xlsx", "population", "551600000", 1991, 85.5, "Аксу г.а. !B7"),
        ("Pavlodar_All.xlsx", "population", "551600000", 2024, 72.4, "Аксу г.а. !AI7"),
        ("Akmola_All.xlsx", "population", "111000000", 2023, 193.5, "г.а. Кокшетау!AH5"),
        # «Показатели» header
        ("Karagandy_All.xls", "population", "351600000", 1991, 100.9, "Балхаш г.а.!B5"),
        ("Karagandy_All.xls", "population", "351600000", 2024, 77.2, "Балхаш г.а.!AI5"),
        ("East-Kazakhstan_All.xls", "population", "632400000", 2023, 51.5, "Риддер!AH8"),
        # «№ п/п» numbered table, labels in column B
        ("Almaty_All.xls", "population", "193600000", 1991, 31.6, "Балхашский!C5"),
        ("Almaty_All.xls", "population", "193600000", 2023, 28.5, "Балхашский!AI5"),
        ("Astana-city_All.xlsx", "population", ASTANA_BAIKONYR, 2018, 227.4, "Байконыр!C5"),
        ("Zhetisu_All.xls", "population", "331800000", 2022, 31.3, "г.а.Текели!C5"),
        ("Zhetisu_All.xls", "birth_rate", "331800000", 2024, 12.79, "г.а.Текели!E14"),
    ],
)
def test_figures_read_by_hand(batches, file, indicator, area, year, value, where):
    row = obs_of(batches, file).loc[(indicator, area, year)]
    assert row["value"] == value
    assert short_location(file, row["location"]) == f"{file}!{where}"


def test_glued_footnotes_and_marked_years(batches):
    tekeli = obs_of(batches, "Zhetisu_All.xls").loc[("birth_rate", "331800000", 2024)]
    assert tekeli["note"].startswith("footnote 18)")  # '12,7918)' is 12,79 with footnote 18
    assert tekeli["excerpt"].endswith("| 2024 | 12,7918)")
    # '202426)' heads the 2024 column of every Karagandy sheet: year 2024, footnote 26
    balkhash = obs_of(batches, "Karagandy_All.xls").loc[("population", "351600000", 2024)]
    assert "year 26)" in balkhash["note"]
    # '2023**' heads Almaty's 2023 column
    assert "**" in obs_of(batches, "Almaty_All.xls").loc[("population", "193600000", 2023)]["note"]


@pytest.mark.parametrize(
    ("cell", "expected"),
    [
        (1991.0, (1991, [])),
        ("2023", (2023, [])),
        ("202411)", (2024, ["11"])),
        ("202426)", (2024, ["26"])),
        ("2023**", (2023, ["**"])),
        ("Январь-декабрь 2024 года15)", (2024, ["15"])),
        ("Январь-декабрь 2024 ", (2024, [])),
        ("тыс. человек", None),
        (1.5, None),
    ],
)
def test_year_cells(cell, expected):
    assert workbook.parse_year_cell(cell) == expected


@pytest.mark.parametrize(
    ("cells", "kind", "value", "footnote"),
    [
        (["1 280"], "number", 1280.0, None),
        (["6,69"], "number", 6.69, None),
        ([1.5, "1,613)", 1.7], "number", 1.6, "13"),
        (["1)"], "footnote_only", None, "1"),
        (["2)"], "footnote_only", None, "2"),
        (["-"], "missing", None, None),
        (["…"], "missing", None, None),
        (["...."], "missing", None, None),
        ([" - 7)"], "missing", None, None),
        (["х"], "confidential", None, None),
        (["14,4**"], "number", 14.4, None),
        ([930.0, "936,9511)12)", 950.0], "number", 936.95, "11,12"),
    ],
)
def test_cells(cells, kind, value, footnote):
    col = 1 if len(cells) == 3 else 0
    reading = workbook.read_cell(cells, col, {"1", "2", "7", "11", "12", "13"})
    assert (reading.kind, reading.value, reading.footnote) == (kind, value, footnote)


def test_footnote_only_cell_has_no_figure(batches, shared):
    import xlrd

    sheet = xlrd.open_workbook(str(shared / REGIONAL_FILES / "Turkistan_All.xls")).sheet_by_name(
        "г.Шымкент"
    )
    assert sheet.cell_value(24, 6) == "1)"  # G25, hospitals 1996
    assert sheet.cell_value(24, 0) == "Число больничных организаций, единиц"
    obs = obs_of(batches, "Turkistan_All.xls")
    assert ("hospitals", SHYMKENT, 1996) not in obs.index
    assert any(
        "cells holding only a footnote mark" in w for w in batches["Turkistan_All.xls"].warnings
    )


# --- the traps ----------------------------------------------------------------------------------


def test_astana_almaty_and_baikonyr_are_districts_of_astana(batches):
    sheets = sheets_of(batches, "Astana-city_All.xlsx")
    assert sheets["Алматы"]["area"] == ASTANA_ALMATY
    assert sheets["Байконыр"]["area"] == ASTANA_BAIKONYR
    obs = batches["Astana-city_All.xlsx"].observations
    areas = set(obs["area"])
    # the five districts, and Astana's own totals only as their derived sums
    assert areas <= {"710000000", "711110000", "711210000", "711310000", "711410000", "711510000"}
    assert set(obs.loc[obs["area"] == "710000000", "status"]) <= {"derived"}
    assert "750000000" not in areas and "431900000" not in areas  # Almaty city, Baikonur


def test_turkistan_shymkent_sheet_is_shymkent_city(batches):
    sheet = sheets_of(batches, "Turkistan_All.xls")["г.Шымкент"]
    assert sheet["area"] == SHYMKENT and sheet["status"] == "loaded"
    assert "republican significance" in sheet["reason"]
    row = obs_of(batches, "Turkistan_All.xls").loc[("population", SHYMKENT, 2017)]
    assert row["value"] == 935.7  # '935,714)' in AB5: 935,7 with footnote 14
    assert row["note"].startswith("footnote 14)")


def test_sheets_that_are_not_areas_are_skipped_with_a_reason(batches):
    skipped = {
        (name, r["sheet"]): r["reason"]
        for name, b in batches.items()
        for r in b.sheet_reports
        if r["status"] == "skipped"
    }
    monotowns = [k for k, why in skipped.items() if why.startswith("monotown")]
    assert len(monotowns) == 12
    assert ("Abay_All.xls", "моног.Курчатов") in monotowns
    assert ("Karagandy_All.xls", "Балхаш (моногород)") in monotowns
    assert ("East-Kazakhstan_All.xls", "Моногорода Риддер") in monotowns
    assert skipped["Almaty_All.xls", "вне районов"].startswith("outside the districts")
    assert skipped["Turkistan_All.xls", "Лист5"].startswith("an unnamed sheet")
    assert "not in data/areas.csv" in skipped["Turkistan_All.xls", "Сауран"]
    assert len(skipped) == 15


def test_oblast_total_sheet_is_the_oblast_and_is_compared(batches):
    batch = batches["Akmola_All.xlsx"]
    assert sheets_of(batches, "Akmola_All.xlsx")["Акмолинская область"]["area"] == "110000000"
    (check,) = [w for w in batch.warnings if w.startswith("region 110000000:")]
    assert "differ from the total sheet by more than 1%" in check


def test_2022_oblast_districts_carry_their_whole_series_under_the_current_code(batches):
    abay = obs_of(batches, "Abay_All.xls")
    assert abay.loc[("population", "103200000", 2015), "value"] > 0  # Abay district, Abay oblast
    assert not abay.index.get_level_values("area").str.startswith("63").any()


def test_a_sheet_resolving_to_nothing_stops_with_the_nearest_names(tmp_path):
    import openpyxl

    book = openpyxl.Workbook()
    book.remove(book.active)
    rows = [
        ["Основные показатели"],
        [None, 2022, 2023],
        ["Численность населения на конец периода (года)"],
        ["тыс. человек", 1.0, 2.0],
    ]
    for name in ("Аксуский", "Алакольский", "Аксуйский"):
        ws = book.create_sheet(name)
        for row in rows:
            ws.append(row)
    book.save(tmp_path / "x.xlsx")
    batch = workbook.read(tmp_path / "x.xlsx", resolver=default_resolver(), options={})
    (error,) = batch.errors
    assert "x.xlsx, sheet «Аксуйский»" in error.message
    assert "nearest known names: аксуский" in error.message


# --- loading and the curated dataset ------------------------------------------------------------


def test_reload_changes_nothing(files, tmp_path):
    url = f"sqlite:///{tmp_path / 'r.db'}"
    assert run_etl("build", "--no-boundaries", "--db", url)[0] == 0
    zhetisu = [str(f) for f in files if f.name.startswith(("Zhetisu", "Astana"))]
    assert run_etl("load", *zhetisu, "--db", url)[0] == 0
    engine = create_engine(url)

    def snapshot():
        with engine.connect() as conn:
            obs = pd.read_sql(text("SELECT * FROM observations ORDER BY 1, 2, 3, 4, 5"), conn)
            sheets = pd.read_sql(text("SELECT * FROM load_sheets ORDER BY 1, 2, 3"), conn)
        return obs, sheets

    first = snapshot()
    assert run_etl("load", *zhetisu, "--db", url)[0] == 0
    second = snapshot()
    pd.testing.assert_frame_equal(first[0], second[0])
    pd.testing.assert_frame_equal(first[1], second[1])


def test_curated_dataset_equals_a_fresh_read(batches):
    fresh = merge([batches[name] for name in sorted(batches)])
    with gzip.open(CURATED / "observations.csv.gz", "rt", encoding="utf-8") as fh:
        stored = pd.read_csv(io.StringIO(fh.read()), dtype=str, keep_default_na=False)
    got = fresh.observations.copy()
    got["location"] = [
        short_location(f, loc) for f, loc in zip(got["_file"], got["location"], strict=True)
    ]
    key = ["source", "indicator", "area", "year"]
    got = got.assign(year=got["year"].astype(str), value=got["value"].map(lambda v: f"{v:.12g}"))
    cols = [*key, "value", "status", "note", "location"]
    got = got[cols].fillna("").astype(str).sort_values(key).reset_index(drop=True)
    stored = stored[cols].astype(str).sort_values(key).reset_index(drop=True)
    pd.testing.assert_frame_equal(got, stored)
    sheets = pd.read_csv(CURATED / "sheets.csv", dtype=str, keep_default_na=False)
    assert len(sheets) == len(fresh.sheet_reports)
    assert set(pd.read_csv(CURATED / "sources.csv")["code"]) == {s["code"] for s in fresh.sources}


def test_default_build_has_130_districts_with_2023_population(web_db):
    engine = create_engine(web_db)
    with engine.connect() as conn:
        n = conn.execute(
            text(
                "SELECT count(DISTINCT o.area) FROM observations o JOIN areas a ON a.kato = o.area"
                " WHERE o.indicator = 'population' AND o.year = 2023"
                " AND a.level IN ('district', 'city') AND a.parent != '000000000'"
            )
        ).scalar()
        regions = conn.execute(
            text(
                "SELECT count(DISTINCT region) FROM load_sheets"
                " WHERE status = 'loaded' AND source LIKE '%workbook%'"
            )
        ).scalar()
    assert n >= 130
    assert regions == 13  # the 12 regional workbooks and Kyzylorda's


def test_2022_oblast_units_are_linked_to_their_former_codes(web_db):
    from store import queries

    queries.use(web_db)
    tekeli = queries.predecessors("331800000")
    assert list(zip(tekeli["predecessor"], tekeli["year"], strict=True)) == [("192600000", 2022)]
    assert queries.predecessors("103400000").empty  # Aksuat district: new in 2022
    linked = queries.observations_linked("population", "103200000")
    assert set(linked["area"]) == {"103200000"}  # the Abay workbook gives the whole series
    assert linked["year"].min() <= 2000 and linked["year"].is_monotonic_increasing
