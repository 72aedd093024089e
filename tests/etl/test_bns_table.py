"""The bns-table adapter on the two real stat.gov.kz tables and on hand-made fixtures.

Real files: ../shared/sources/stat-gov-kz/*.xls (skipped when absent). Fixtures:
tests/fixtures/bns/*.csv, also written as .xlsx in tmp_path to check the three formats agree.
"""

from __future__ import annotations

import csv
from pathlib import Path

import openpyxl
import pandas as pd
import pytest

from etl import adapters
from etl.adapters import bns_table
from etl.areas import default_resolver
from etl.batch import Batch, LoadError
from tests.conftest import FIXTURES

BNS = FIXTURES / "bns"
EMISSIONS = "sources/stat-gov-kz/air_emissions_stationary_sources_2005_2022.xls"
EXPENDITURE = "sources/stat-gov-kz/environmental_protection_current_expenditure_2005_2022.xls"
KEY = ["indicator", "area", "year", "value", "source"]


def read(path: Path, **options) -> Batch:
    return bns_table.read(path, resolver=default_resolver(), options=options)


def values(batch) -> pd.DataFrame:
    """The observations' key columns, sorted, for comparing readings of the same table."""
    obs = batch.observations[KEY].sort_values(KEY[:3]).reset_index(drop=True)
    return obs.astype({"year": int, "value": float})


def value(batch, area: str, year: int) -> float:
    obs = batch.observations
    hit = obs[(obs["area"] == area) & (obs["year"] == year)]
    assert len(hit) == 1, f"{len(hit)} observations for {area} {year}"
    return hit["value"].iloc[0]


def write_xlsx(rows: list[list], path: Path, sheet: str = "ООС") -> Path:
    book = openpyxl.Workbook()
    ws = book.active
    ws.title = sheet
    for row in rows:
        ws.append(row)
    book.save(path)
    return path


def csv_rows(path: Path) -> list[list]:
    """A CSV fixture's cells, numbers as numbers (as a spreadsheet would hold them)."""

    def cell(text: str):
        try:
            return float(text)
        except ValueError:
            return text or None

    with path.open(encoding="utf-8") as fh:
        return [[cell(v) for v in row] for row in csv.reader(fh)]


@pytest.fixture(scope="module")
def emissions(shared):
    return read(shared / EMISSIONS)


@pytest.fixture(scope="module")
def expenditure(shared):
    return read(shared / EXPENDITURE)


# --- the real tables ---------------------------------------------------------------------------


def test_emissions_table_reads_without_errors(emissions):
    assert emissions.errors == []
    assert emissions.format == "bns-table"
    assert set(emissions.observations["indicator"]) == {"air_emissions_stationary"}
    assert set(emissions.observations["source"]) == {"bns-air-emissions-stationary"}
    assert len(emissions.observations) == 314
    assert emissions.observations["year"].between(2005, 2022).all()


def test_emissions_cells(emissions):
    assert value(emissions, "430000000", 2008) == 34.7  # Кызылординская
    assert value(emissions, "000000000", 2021) == 2407.455791  # stored as 2407.4557910000003
    assert value(emissions, "000000000", 2011) == 2346.3  # stored as 2346.2999999999997
    assert value(emissions, "710000000", 2005) == 43.9  # «г. Астана»
    assert value(emissions, "790000000", 2022) == 35.0  # «г.Шымкент»
    assert value(emissions, "610000000", 2018) == 30.0  # «Туркестанская » (trailing space)
    assert value(emissions, "330000000", 2022) == 13.08  # «Жетісу», Kazakh name


def test_emissions_location_names_sheet_row_and_column(emissions):
    obs = emissions.observations
    row = obs[(obs["area"] == "430000000") & (obs["year"] == 2008)].iloc[0]
    assert row["location"] == "sheet «ООС», row 15, column E"
    assert (row["_row"], row["_column"]) == (15, "E")
    last = obs[(obs["area"] == "000000000") & (obs["year"] == 2022)].iloc[0]
    assert last["location"] == "sheet «ООС», row 4, column S"


def test_dash_is_no_figure_and_is_skipped(emissions):
    obs = emissions.observations
    abai = obs[obs["area"] == "100000000"]
    assert abai["year"].tolist() == [2022] and abai["value"].tolist() == [39.0]
    south = obs[obs["area"] == "510000000"]  # Южно-Казахстанская, to 2017
    assert south["year"].max() == 2017
    assert "82 '-' (no figure) cells skipped" in emissions.warnings


def test_expenditure_table(expenditure):
    assert expenditure.errors == []
    assert set(expenditure.observations["indicator"]) == {"env_protection_expenditure"}
    assert value(expenditure, "430000000", 2022) == 3827088.0
    assert value(expenditure, "000000000", 2005) == 43558237.5
    assert len(expenditure.observations) == 314


def test_sources_cite_the_bureau_and_the_github_copy(emissions, expenditure):
    for batch, path in (
        (emissions, "Eco_drop/data/part2.xls"),
        (expenditure, "Eco_am/data/eco.xls"),
    ):
        (src,) = batch.sources
        assert "Бюро национальной статистики" in src["publisher"]
        assert "stat.gov.kz" in src["publisher"]
        assert src["address"] == "https://stat.gov.kz/"
        assert src["copy_address"] == (
            "https://github.com/open-data-kazakhstan/eco-spendings-and-emissions/blob/"
            f"794be2184ba83531ec072807e9abe11801425dc8/{path}"
        )
        assert src["retrieved"].startswith(
            "github.com/open-data-kazakhstan/eco-spendings-and-emissions@794be2184ba8"
        )
        assert src["tier"] == "A"


def test_title_with_latin_homoglyph_matches_the_mapping(shared):
    sheet = bns_table.read_sheets(shared / EMISSIONS)[0]
    title = bns_table.table_layout(sheet).title
    assert "c" in title  # «Выброcы» with a Latin c, as published
    mapping = bns_table.load_mapping()
    keys = set(mapping["title_ru"].map(bns_table.text_key))
    assert bns_table.text_key(title) in keys


def test_detect(shared):
    assert bns_table.detect(shared / EMISSIONS)
    assert adapters.detect(shared / EMISSIONS).FORMAT == "bns-table"
    assert not bns_table.detect(shared / "sources/kyzylorda-district-stats/Kyzylorda_All.xls")
    assert not bns_table.detect(BNS / "README.md")


def test_same_observations_from_xls_xlsx_and_csv(shared, emissions, tmp_path):
    grid = pd.read_excel(shared / EMISSIONS, header=None, dtype=object, engine="calamine")
    rows = [[None if pd.isna(v) else v for v in row] for row in grid.itertuples(index=False)]
    as_xlsx = read(write_xlsx(rows, tmp_path / "emissions.xlsx"))
    grid.to_csv(tmp_path / "emissions.csv", header=False, index=False)
    as_csv = read(tmp_path / "emissions.csv")
    for batch in (as_xlsx, as_csv):
        assert batch.errors == []
        pd.testing.assert_frame_equal(values(batch), values(emissions))
    assert as_csv.observations["location"].iloc[0] == "row 4, column B"


# --- hand-made fixtures ------------------------------------------------------------------------


def test_small_csv_fixture():
    batch = read(BNS / "air_emissions_small.csv")
    assert batch.errors == []
    expected = pd.DataFrame(
        [
            ("000000000", 2020, 2441.0),
            ("000000000", 2021, 2407.455791),
            ("000000000", 2022, 2314.8),
            ("100000000", 2022, 39.0),
            ("430000000", 2020, 28.3),
            ("430000000", 2021, 29.2),
            ("430000000", 2022, 23.4),
            ("790000000", 2020, 29.6),
            ("790000000", 2021, 33.2),
            ("790000000", 2022, 35.0),
        ],
        columns=["area", "year", "value"],
    )
    expected.insert(0, "indicator", "air_emissions_stationary")
    expected["source"] = "bns-air-emissions-stationary"
    pd.testing.assert_frame_equal(values(batch), expected)


def test_csv_and_xlsx_fixtures_agree(tmp_path):
    as_csv = read(BNS / "air_emissions_small.csv")
    as_xlsx = read(write_xlsx(csv_rows(BNS / "air_emissions_small.csv"), tmp_path / "small.xlsx"))
    assert as_xlsx.errors == []
    pd.testing.assert_frame_equal(values(as_xlsx), values(as_csv))
    assert as_xlsx.observations["location"].iloc[0] == "sheet «ООС», row 4, column B"


def test_unknown_territory_and_junk_cell_are_errors_naming_file_row_column():
    path = BNS / "air_emissions_bad.csv"
    batch = read(path)
    assert (
        LoadError(str(path), 5, "A", "territory 'Атлантида': unknown area 'Атлантида' in 000000000")
        in batch.errors
    )
    junk = [e for e in batch.errors if e.row == 6]
    assert [(e.file, e.column) for e in junk] == [(str(path), "C")]
    assert "'29.2 т' is not a number" in junk[0].message
    assert str(junk[0]).startswith(f"{path}, row 6, column C: cell C6 (Кызылординская, 2021)")
    assert len(batch.errors) == 2
    # the rest of the file is still read, so that every error is reported at once
    assert value(batch, "430000000", 2022) == 23.4


def test_year_row_is_found_by_scanning(tmp_path):
    rows = csv_rows(BNS / "air_emissions_small.csv")
    rows.insert(2, [None, None, None, None])  # a blank line between the unit and the years
    batch = read(write_xlsx(rows, tmp_path / "shifted.xlsx"))
    assert batch.errors == []
    assert value(batch, "000000000", 2021) == 2407.455791
    assert batch.observations["location"].iloc[0] == "sheet «ООС», row 5, column B"


def test_unit_must_match_the_mapping(tmp_path):
    rows = csv_rows(BNS / "air_emissions_small.csv")
    rows[1][3] = "тыс. тенге"
    path = write_xlsx(rows, tmp_path / "wrong_unit.xlsx")
    batch = read(path)
    assert batch.observations.empty
    (err,) = batch.errors
    assert (err.file, err.row, err.column) == (str(path), 2, "D")
    assert "'тыс. тенге'" in err.message and "air_emissions_stationary" in err.message


def test_unmapped_title_needs_an_indicator(tmp_path):
    rows = csv_rows(BNS / "air_emissions_small.csv")
    rows[0][0] = "Какая-то другая таблица"
    path = write_xlsx(rows, tmp_path / "other.xlsx")
    (err,) = read(path).errors
    assert (err.row, err.column) == (1, "A") and "no mapping for the title" in err.message
    batch = read(path, indicator="air_emissions_stationary")  # the option picks the mapping row
    assert batch.errors == []
    assert value(batch, "430000000", 2020) == 28.3


def test_indicator_option_outside_the_mapping_needs_a_source(tmp_path):
    path = BNS / "air_emissions_small.csv"
    assert "source" in read(path, indicator="some_new_code").errors[0].message
    batch = read(path, indicator="some_new_code", source="some-source", unit="тыс. тонн")
    assert batch.errors == [] and batch.sources == []
    assert set(batch.observations["indicator"]) == {"some_new_code"}


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        (2407.4557910000003, ("number", 2407.455791)),
        ("9 479 ", ("number", 9479.0)),
        ("6,69", ("number", 6.69)),
        ("-", ("missing", None)),
        ("х", ("confidential", None)),
        ("Х", ("confidential", None)),
        ("", ("empty", None)),
        (None, ("empty", None)),
        ("12a", ("junk", None)),
    ],
)
def test_classify(raw, expected):
    assert bns_table.classify(raw) == expected


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        (2016.0, (2016, [])),
        ("20143)", (2014, ["3"])),
        ("20152)3)", (2015, ["2", "3"])),
        ("тыс. тонн", None),
        (2016.5, None),
    ],
)
def test_parse_year(raw, expected):
    assert bns_table.parse_year(raw) == expected


def test_column_letters():
    assert [bns_table.column_letter(c) for c in (0, 18, 25, 26, 33)] == ["A", "S", "Z", "AA", "AH"]
