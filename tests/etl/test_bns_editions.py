"""Real-world details of Bureau tables: the Kazakh-language edition, «…» cells, «2022*» years.

Each test writes a table with openpyxl in the structure of the real stat.gov.kz emissions table
(title in A1, unit in the last column of row 2, years in row 3, a row per territory) with that
table's published figures for a few territories.
"""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pandas as pd
import pytest

from etl.adapters import bns_table
from etl.areas import default_resolver, norm
from etl.batch import LoadError

YEARS = [2005, 2021, 2022]
KK_TITLE = "Стационарлық көздерден атмосфераға шығарындылар"  # a Kazakh title (test text)


def write_table(path: Path, title: str, unit: str, years: list, rows: list[list]) -> Path:
    book = openpyxl.Workbook()
    ws = book.active
    ws.append([title])
    ws.append([None] * len(years) + [unit])
    ws.append([None, *years])
    for row in rows:
        ws.append(row)
    book.save(path)
    return path


def read(path: Path, **options):
    return bns_table.read(path, resolver=default_resolver(), options=options)


def by_area_year(batch) -> dict:
    obs = batch.observations
    return {(a, int(y)): v for a, y, v in zip(obs["area"], obs["year"], obs["value"], strict=True)}


def test_kazakh_edition_names_and_unit(tmp_path):
    path = write_table(
        tmp_path / "kk.xlsx",
        KK_TITLE,
        "мың тонна",
        YEARS,
        [
            ["Қазақстан Республикасы", 2968.8, 2407.455791, 2314.8],
            ["Оңтүстік Қазақстан облысы", 36.8, "-", "-"],
            ["Солтүстік Қазақстан облысы", 65.5, 61.2, 52.7],
            ["Қызылорда облысы", 40.0, 29.2, 23.4],
        ],
    )
    batch = read(path, indicator="air_emissions_stationary")
    assert batch.errors == []
    got = by_area_year(batch)
    assert got[("000000000", 2022)] == 2314.8
    assert got[("510000000", 2005)] == 36.8  # South Kazakhstan, up to 2017
    assert got[("590000000", 2021)] == 61.2  # North Kazakhstan
    assert got[("430000000", 2022)] == 23.4
    assert len(got) == 10


def test_a_unit_that_is_neither_language_of_the_indicator_is_refused(tmp_path):
    path = write_table(
        tmp_path / "kk.xlsx", KK_TITLE, "мың теңге", YEARS, [["Қызылорда облысы", 1, 2, 3]]
    )
    batch = read(path, indicator="air_emissions_stationary")
    assert [e.message for e in batch.errors] == [
        "unit 'мың теңге' is not 'тыс. тонн', the unit of air_emissions_stationary"
    ]


def test_latin_i_in_a_kazakh_name_is_the_same_name():
    # the alias data spells «Солтүстiк» with a Latin i; the Bureau with a Cyrillic і
    latin, cyrillic = "Солтүстiк Қазақстан облысы", "Солтүстік Қазақстан облысы"
    assert latin != cyrillic
    assert norm(latin) == norm(cyrillic)
    assert default_resolver().resolve(cyrillic) == "590000000"
    assert norm("district") == "district"  # Latin words stay Latin


@pytest.mark.parametrize("mark", ["…", "..."])
def test_ellipsis_is_no_figure(tmp_path, mark):
    path = write_table(
        tmp_path / "t.xlsx",
        KK_TITLE,
        "тыс. тонн",
        YEARS,
        [["Кызылординская", 40.0, mark, 23.4]],
    )
    batch = read(path, indicator="air_emissions_stationary")
    assert batch.errors == []
    assert by_area_year(batch) == {("430000000", 2005): 40.0, ("430000000", 2022): 23.4}
    assert "1 '-' (no figure) cells skipped" in batch.warnings


def test_footnote_mark_on_a_year(tmp_path):
    path = write_table(
        tmp_path / "t.xlsx",
        KK_TITLE,
        "тыс. тонн",
        [2005, 2021, "2022*"],
        [["Кызылординская", 40.0, 29.2, 23.4], [], ["* предварительные данные"]],
    )
    batch = read(path, indicator="air_emissions_stationary")
    assert batch.errors == []
    obs = batch.observations.set_index("year")
    assert obs.loc[2022, "value"] == 23.4
    assert obs.loc[2022, "note"] == "* предварительные данные"
    assert pd.isna(obs.loc[2021, "note"])


def test_a_bad_year_header_names_its_cell(tmp_path):
    path = write_table(
        tmp_path / "t.xlsx",
        KK_TITLE,
        "тыс. тонн",
        [2005, 2021, "2O22"],
        [["Кызылординская", 40.0, 29.2, 23.4]],
    )
    batch = read(path, indicator="air_emissions_stationary")
    assert batch.errors == [
        LoadError(
            str(path), 3, "D", "year header '2O22' is not a year (a row of years has this cell)"
        )
    ]
