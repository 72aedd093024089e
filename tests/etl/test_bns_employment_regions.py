"""The labour-market tables of every region (``bns-employment``), read from their structure."""

from __future__ import annotations

import pandas as pd
import pytest
from sqlalchemy import create_engine, text

from etl.adapters import bns_employment as employment
from etl.adapters import detect
from etl.areas import default_resolver
from etl.curate_bns import EMPLOYMENT_FILES
from tests.conftest import run_etl


@pytest.fixture(scope="module")
def files(shared):
    found = sorted(
        p for p in (shared / EMPLOYMENT_FILES).iterdir() if p.suffix.lower() in (".xls", ".xlsx")
    )
    assert len(found) == 16
    return found


@pytest.fixture(scope="module")
def batches(files):
    resolver = default_resolver()
    return {f.name: employment.read(f, resolver=resolver, options={}) for f in files}


def value(batches, name, indicator, area, year, series=""):
    obs = batches[name].observations
    hit = obs[
        (obs.indicator == indicator)
        & (obs.area == area)
        & (obs.year == year)
        & (obs.series == series)
    ]
    assert len(hit) == 1, (name, indicator, area, year, len(hit))
    return hit.iloc[0]


def test_every_table_is_detected_and_reads_without_errors(files, batches):
    for f in files:
        assert detect(f) is employment, f.name
        batch = batches[f.name]
        assert batch.errors == [], f"{f.name}: {batch.errors[:3]}"
        assert len(batch.sources) == 1 and batch.sources[0]["address"], f.name
        assert len(batch.observations) > 100, f.name
        assert not batch.observations.duplicated(["indicator", "area", "year", "series"]).any()
        assert batch.observations["location"].notna().all()


# Figures read by hand from the files, one or two per layout.
@pytest.mark.parametrize(
    ("file", "indicator", "area", "year", "expected", "where"),
    [
        # unit row under a title in column B, «год» row under the years (Akmola)
        ("Akmola.xlsx", "employed", "111000000", 2022, 98.9, "row 33, column J"),
        ("Akmola.xlsx", "employed", "110000000", 2014, 422.7, "row 32, column B"),
        # region total named «Абай»; a figure stored as text «147,0»; years 2022–2024 (Abay)
        ("Abay.xlsx", "employed", "100000000", 2022, 287.096, "row 22, column B"),
        ("Abay.xlsx", "employed", "101000000", 2022, 147.0, "row 23, column B"),
        # persons, «2015 год²⁾» headers, «Занятое население³⁾» (Turkistan)
        ("Turkistan.xls", "employed_population", "611000000", 2023, 79424.0, "row 30, column K"),
        # a year column after hidden columns (Shymkent: 2023 in column R)
        ("Shymkent-city.xlsx", "employed", "790000000", 2023, 433.5, "row 15, column R"),
        # the unit stated once at the top of the table (Karagandy)
        ("Karagandy.xls", "employed", "350000000", 2014, 678.387, "row 30, column B"),
        # persons (Zhetisu, Kostanay)
        ("Zhetisu.xlsx", "employed_population", "331000000", 2023, 92184.0, "row 22, column C"),
        ("Kostanay.xlsx", "labour_force_persons", "391000000", 2014, 133355.0, "row 7, column B"),
        # a rate
        ("Almaty-city.xls", "employed", "751210000", 2024, 180.0, "row 21, column L"),
    ],
)
def test_figures_read_by_hand(batches, file, indicator, area, year, expected, where):
    row = value(batches, file, indicator, area, year)
    assert row["value"] == expected
    assert row["location"].endswith(where)


def test_units_moved_in_2022_are_stored_under_their_current_codes(batches):
    # Almaty oblast's table lists Taldykorgan (Zhetisu since 2022): 81.3 thousand in 2014.
    row = value(batches, "Almaty.xlsx", "employed", "331000000", 2014)
    assert row["value"] == 81.3
    assert "since 2022" in row["note"]
    assert batches["Almaty.xlsx"].sources[0]["code"] == "bns-employment-almaty"


def test_table_without_units_loads_only_its_rates(batches):
    batch = batches["Atyrau.xlsx"]
    assert set(batch.observations["indicator"]) <= {
        "unemployment_rate",
        "youth_unemployment_rate_15_24",
        "youth_unemployment_rate_15_34",
    }
    assert any("states no unit" in w and "Занятое население" in w for w in batch.warnings)


def test_non_areas_and_before_the_region_existed_are_skipped_and_reported(batches):
    warnings = batches["Turkistan.xls"].warnings
    assert any("Сауран" in w and "not in data/areas.csv" in w for w in warnings)
    assert any("«Туркестанская» 2014: before 610000000 existed" in w for w in warnings)
    obs = batches["Turkistan.xls"].observations
    assert obs[obs.area == "610000000"]["year"].min() == 2018
    # Shymkent's row in Turkistan's table is Shymkent city, 2014–2017
    assert (
        value(batches, "Turkistan.xls", "employed_population", "790000000", 2014)["value"]
        == 286313.0
    )


def test_unknown_territory_stops_the_load_with_nearest_names(files, tmp_path):
    import openpyxl

    book = openpyxl.Workbook()
    ws = book.active
    ws.title = "Районы"
    ws.append(["Занятое население"])
    ws.append([None, None, "тыс.человек"])
    ws.append(["Наименование", 2022, 2023])
    ws.append(["Акмолинская область", 421.4, 407.1])
    ws.append(["Аккольскый", 12.8, 13.1])
    path = tmp_path / "t.xlsx"
    book.save(path)
    batch = employment.read(path, resolver=default_resolver(), options={})
    assert len(batch.errors) == 1
    message = str(batch.errors[0])
    assert "t.xlsx" in message and "«Районы»" in message and "row 5" in message
    assert "nearest known names" in message and "акколь" in message


def test_quarter_columns_are_a_series_apart_from_the_annual_figures(tmp_path):
    import openpyxl

    book = openpyxl.Workbook()
    ws = book.active
    ws.title = "кварталы"
    ws.append(["Занятое население"])
    ws.append([None, None, None, None, None, "тыс.человек"])
    ws.append(["Наименование", 2023, 2024, None, None, None])
    ws.append([None, "год", "I квартал", "II квартал", "III квартал", "IV квартал"])
    ws.append(["Акмолинская область", 407.1, 401.0, 402.5, 403.0, 404.4])
    ws.append(["Аккольский", 13.1, 12.0, 12.1, 12.2, 12.3])
    path = tmp_path / "q.xlsx"
    book.save(path)
    batch = employment.read(path, resolver=default_resolver(), options={})
    assert batch.errors == []
    obs = batch.observations.set_index(["area", "year", "series"])["value"]
    assert obs["110000000", 2023, ""] == 407.1
    assert ("110000000", 2024, "") not in obs.index  # quarters never become the annual figure
    assert obs["110000000", 2024, "Q1"] == 401.0
    assert obs["110000000", 2024, "Q4"] == 404.4
    assert set(batch.observations["series"]) == {"", "Q1", "Q2", "Q3", "Q4"}


def test_load_and_reload_changes_nothing(files, tmp_path):
    url = f"sqlite:///{tmp_path / 'e.db'}"
    assert run_etl("build", "--no-boundaries", "--db", url)[0] == 0
    engine = create_engine(url)

    def snapshot():
        with engine.connect() as conn:
            return pd.read_sql(
                text(
                    "SELECT indicator, area, year, series, value, source FROM observations "
                    "WHERE source LIKE 'bns-employment-%' ORDER BY 1, 2, 3, 4, 6"
                ),
                conn,
            )

    built = snapshot()
    assert len(built) > 15000  # the default build holds the curated employment figures
    picked = [str(f) for f in files if f.name.startswith(("Zhambyl", "Karagandy"))]
    code, _, err = run_etl("load", *picked, "--db", url)
    assert code == 0, err
    assert run_etl("load", *picked, "--db", url)[0] == 0
    pd.testing.assert_frame_equal(snapshot(), built)
