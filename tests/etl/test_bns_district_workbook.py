"""The bns-district-workbook adapter on the real Kyzylorda_All.xls and on a small made-up workbook.

The real file (../shared/sources/kyzylorda-district-stats/Kyzylorda_All.xls) is checked cell by
cell against every official row of ../shared/data-sources/district_figures.csv, and for the
awkward cells: footnotes glued to figures, numbers stored as text, "х", "N раза", a shifted block.
"""

from __future__ import annotations

import csv
from pathlib import Path

import openpyxl
import pandas as pd
import pytest

from etl import adapters
from etl.adapters import bns_district_workbook as workbook
from etl.areas import default_resolver
from etl.batch import Batch
from tests.conftest import ROOT

WORKBOOK = "sources/kyzylorda-district-stats/Kyzylorda_All.xls"
FIGURES = "data-sources/district_figures.csv"
ARAL, ZHALAGASH, ZHANAKORGAN, KAZALY = "433200000", "433600000", "434000000", "434400000"
KYZYLORDA_CITY, BAIKONUR = "431000000", "431900000"

# district_figures.csv's indicator names -> the codes of data/mappings/bns_district_rows.csv
FIGURES_CODES = {
    "Population, end of year": "population",
    "Crude birth rate": "birth_rate",
    "Crude death rate": "death_rate",
    "Infant mortality rate": "infant_mortality_rate",
    "Net migration (all flows)": "net_migration",
    "Registered unemployed, share of labour force (end of year)": "registered_unemployment_share",
    "Unemployment rate (labour force survey)": "unemployment_rate",
    "Average monthly nominal wage per employee": "wage_nominal_monthly",
    "Investment in fixed capital": "investment_fixed_capital",
    "Industrial output (all industry)": "industrial_output",
    "Industrial output: mining and quarrying": "industrial_output_mining",
    "Industrial output: manufacturing": "industrial_output_manufacturing",
    "Industrial output: water supply, sewerage, waste management": "industrial_output_water",
    "Gross output of agriculture, forestry and fishery": "agri_output_gross",
    "Gross crop output": "agri_output_crop",
    "Gross livestock output": "agri_output_livestock",
    "Harvest: cereals (incl. rice) and pulses": "harvest_cereals",
    "Yield: cereals (incl. rice) and pulses": "yield_cereals",
    "Cattle, end of year": "cattle_head",
    "Sheep and goats, end of year": "sheep_goats_head",
    "Horses, end of year": "horses_head",
    "Housing commissioned (total floor area)": "housing_commissioned",
}
# the other rows DISTRICT_NOTES.md asks for, beyond those in district_figures.csv
ALSO_REQUIRED = {
    "industrial_output_electricity",
    "industrial_production_index",
    "births",
    "labour_force",
    "employed",
    "unemployed",
    "subsistence_minimum",
    "schools",
}


@pytest.fixture(scope="module")
def batch(shared) -> Batch:
    return workbook.read(shared / WORKBOOK, resolver=default_resolver(), options={})


@pytest.fixture(scope="module")
def obs(batch) -> pd.DataFrame:
    return batch.observations.set_index(["indicator", "area", "year"])


def cell(obs: pd.DataFrame, indicator: str, area: str, year: int) -> pd.Series:
    return obs.loc[(indicator, area, year)]


# --- the real workbook -------------------------------------------------------------------------


def test_reads_without_errors(batch):
    assert batch.errors == []
    assert batch.format == "bns-district-workbook"
    assert set(batch.observations["source"]) == {"bns-kyzylorda-district-workbook"}
    assert set(batch.observations["area"]) == {
        "430000000",  # the oblast: the derived sums of the nine units (no sheet of its own)
        "431000000",
        "431900000",
        "433200000",
        "433600000",
        "434000000",
        "434400000",
        "434600000",
        "434800000",
        "435200000",
    }
    assert not batch.observations.duplicated(["indicator", "area", "year"]).any()


def test_every_official_row_of_district_figures_matches(shared, obs):
    with (shared / FIGURES).open(encoding="utf-8") as fh:
        rows = [r for r in csv.DictReader(fh) if "Kyzylorda_All.xls" in r["source_address"]]
    assert len(rows) == 5098
    assert {r["indicator"] for r in rows} == set(FIGURES_CODES)
    wrong = []
    for r in rows:
        key = (FIGURES_CODES[r["indicator"]], r["area_kato"], int(r["year"]))
        got = obs["value"].get(key)
        if got != float(r["value"]):
            wrong.append(f"{key}: csv {r['value']}, read {got}")
        sheet_row = r["source_address"].rsplit("row ", 1)[1].rstrip(")")
        if got is not None and f"row {sheet_row}, column" not in obs.loc[key, "location"]:
            wrong.append(f"{key}: csv row {sheet_row}, read at {obs.loc[key, 'location']}")
    assert not wrong, "\n".join(wrong[:20])


def test_required_rows_are_all_read(batch):
    read = set(batch.observations["indicator"])
    assert set(FIGURES_CODES.values()) | ALSO_REQUIRED <= read


def test_specific_cells(obs):
    row = cell(obs, "industrial_output", ARAL, 2008)
    assert row["value"] == 1946.0
    assert row["location"] == "sheet «Арал», row 87, column S"
    assert cell(obs, "population", ARAL, 1991)["value"] == 70.9
    assert cell(obs, "industrial_output_mining", KYZYLORDA_CITY, 2013)["value"] == 1032490.0
    assert cell(obs, "industrial_production_index", ARAL, 2023)["value"] == 110.0
    assert cell(obs, "cattle_head", ARAL, 2023)["value"] == 41.4


def test_footnoted_figures_are_split_from_their_footnote(obs):
    share = cell(obs, "registered_unemployment_share", ARAL, 2023)  # '1,613)'
    assert share["value"] == 1.6
    assert share["note"] == "footnote 13) на 1-ое число отчетного месяца"
    assert share["excerpt"].endswith("| 2023 | 1,613)")
    assert cell(obs, "registered_unemployed", KYZYLORDA_CITY, 2023)["value"] == 3.3  # '3,313)'
    labour = cell(obs, "labour_force", ARAL, 2015)  # '32,59)'
    assert labour["value"] == 32.5 and labour["note"].startswith("footnote 9) Данные итогов")
    # no decimals written: the footnote still is the last digit
    assert cell(obs, "self_employed", ZHANAKORGAN, 2015)["value"] == 16.0  # '169)'
    assert cell(obs, "employed", KYZYLORDA_CITY, 2015)["value"] == 117.0  # '1179)'
    # 4) and 14) are both footnotes of the sheet: 8071 + 4) fits the neighbours (9 000s)
    minimum = cell(obs, "subsistence_minimum", ZHALAGASH, 2006)  # '80714)'
    assert minimum["value"] == 8071.0
    assert minimum["note"] == "footnote 4) Изменена методология расчета с 1 января 2006г."


@pytest.mark.parametrize(
    ("text", "neighbours", "footnotes", "expected"),
    [
        ("1,613)", [0.9, 1.6, 1.8], {"3", "13"}, (1.6, "13")),  # not 1,61 + 3): one decimal
        ("32,59)", [32.8, 33.1], {"9"}, (32.5, "9")),
        ("80714)", [9383.0, 12099.0], {"4", "14"}, (8071.0, "4")),  # not 807 + 14)
        ("169)", [15.3, 15.0], {"9"}, (16.0, "9")),
        ("19)", [1.0, 1.0], {"9"}, (1.0, "9")),
        ("1,613)", [0.9, 1.6], set(), (1.6, "13")),  # no footnote list: precision decides
        ("32,59)", [], set(), (32.5, "9")),
        ("1,6", [1.0], {"9"}, None),
    ],
)
def test_split_footnote(text, neighbours, footnotes, expected):
    assert workbook.split_footnote(text, neighbours, footnotes) == expected


def test_numbers_stored_as_text(obs):
    works = cell(obs, "construction_works", ARAL, 2011)  # '9 479 '
    assert works["value"] == 9479.0
    assert (
        works["excerpt"]
        == "Объем выполненных строительных работ (услуг) / млн. тенге | 2011 | 9 479"
    )
    assert cell(obs, "marriage_rate", ARAL, 2021)["value"] == 6.69  # '6,69'


def test_dash_and_confidential_cells_are_skipped_and_counted(batch, obs):
    assert ("registered_unemployment_share", ARAL, 1991) not in obs.index  # '-'
    assert ("rnd_expenditure", ARAL, 2018) not in obs.index  # 'Х'
    assert cell(obs, "rnd_expenditure", ARAL, 2022)["value"] == 8.0
    (conf,) = [w for w in batch.warnings if "confidential" in w]
    assert conf.startswith(
        "12 confidential cells ('х') skipped: «Арал» AC71 (rnd_expenditure 2018)"
    )
    assert any(
        w.endswith("'-' or '…' (no figure) cells skipped in mapped rows") for w in batch.warnings
    )


def test_times_in_an_index_row_become_percent_and_derived(obs):
    row = cell(obs, "industrial_production_index", ZHANAKORGAN, 2010)  # '2,3 есе'
    assert row["value"] == 230.0 and row["status"] == "derived"
    assert row["note"].startswith("derived: the Bureau writes «2,3 есе»")
    assert cell(obs, "investment_fixed_capital_index", ARAL, 2012)["value"] == 290.0  # '2,9 раза'
    assert cell(obs, "industrial_output", ARAL, 2008)["status"] == "actual"


def test_shifted_block_is_not_read(batch, obs):
    # «Безработное население» of Жалагаш holds 0.8 in 2023 on its label row, and 101.1 (the
    # index) on its «тыс. человек» row: the block is shifted, so 2023 is not read.
    assert ("unemployed", ZHALAGASH, 2023) not in obs.index
    assert cell(obs, "unemployed", ZHALAGASH, 2022)["value"] == 0.7
    assert any("«Жалагаш» AH51 (unemployed 2023)" in w for w in batch.warnings)


def test_mislabelled_rows_are_mapped_with_a_note(obs):
    births = cell(obs, "births", KAZALY, 2023)  # labelled «тыс. человек», figures are persons
    assert births["value"] == 1894.0 and "persons" in births["note"]
    assert cell(obs, "births", ARAL, 2023)["value"] == 1985.0
    assert pd.isna(cell(obs, "births", ARAL, 2023)["note"])
    assert cell(obs, "legal_entities_active", ZHALAGASH, 2023)["value"] == 354.0  # «юрилических»


def test_baikonur_has_no_agriculture_and_population_from_2009(batch, obs):
    baikonur = batch.observations[batch.observations["area"] == BAIKONUR]
    assert not baikonur["indicator"].str.startswith(("agri_", "harvest_", "yield_")).any()
    assert baikonur[baikonur["indicator"] == "population"]["year"].min() == 2009
    assert cell(obs, "population", BAIKONUR, 2009)["value"] == 36.9


def test_source_row(batch):
    (src,) = batch.sources
    assert src["code"] == "bns-kyzylorda-district-workbook"
    assert "Бюро национальной статистики" in src["publisher"]
    assert src["address"] == "https://stat.gov.kz/api/iblock/element/region/291836/file/ru/"
    assert src["copy_address"].startswith(
        "https://github.com/askhat-omar/FDI_crowding_effects/blob/29a0c4ded046c372d74963c9fbe862e6cb3219fe/"
    )
    assert "29a0c4ded046c372d74963c9fbe862e6cb3219fe" in src["retrieved"]
    assert "дата актуализации июля 2024г." in src["note"]


def test_detect(shared):
    assert workbook.detect(shared / WORKBOOK)
    assert adapters.detect(shared / WORKBOOK).FORMAT == "bns-district-workbook"
    assert not workbook.detect(
        shared / "sources/stat-gov-kz/air_emissions_stationary_sources_2005_2022.xls"
    )
    assert not workbook.detect(shared / "sources/kyzylorda-district-stats/Kyzylorda_Employment.xls")


# --- the mapping and the catalogue -------------------------------------------------------------


def test_every_mapped_indicator_is_in_the_catalogue_once():
    catalogue = pd.concat(
        [
            pd.read_csv(ROOT / "data/indicators" / f, dtype=str, keep_default_na=False).assign(
                file=f
            )
            for f in ("core.csv", "bns_districts.csv")
        ]
    )
    assert not catalogue["code"].duplicated().any(), "bns_districts.csv redefines a code"
    mapping = pd.read_csv(workbook.MAPPING_FILE, dtype=str, keep_default_na=False)
    assert set(mapping["indicator"]) <= set(catalogue["code"])
    ours = catalogue[catalogue["file"] == "bns_districts.csv"]
    regions = pd.read_csv(workbook.SOURCES_FILE, dtype=str, keep_default_na=False)
    assert set(ours["preferred_source"]) <= {"bns-kyzylorda-employment", *regions["code"]}
    assert ours["category"].isin(["economic", "ecological", "social"]).all()
    assert ours["direction"].isin(["higher", "lower", "neutral"]).all()
    assert (
        (ours[["name_kk", "name_ru", "name_en", "unit_kk", "unit_ru", "unit_en"]] != "").all().all()
    )
    description = ours.set_index("code")["description"]
    assert "census" in description["population"]
    assert "registered" in description["industrial_output_mining"]


def test_mapping_keys_are_unique():
    assert len(workbook.load_rules()) == len(pd.read_csv(workbook.MAPPING_FILE))


# --- a small made-up workbook ------------------------------------------------------------------


def make_workbook(path: Path, sheets: dict[str, list[list]]) -> Path:
    book = openpyxl.Workbook()
    book.remove(book.active)
    for name, rows in sheets.items():
        ws = book.create_sheet(name)
        for row in rows:
            ws.append(row)
    book.save(path)
    return path


SMALL = [
    [None],
    ["Основные социально-экономические показатели Аральского района"],
    [None, 1991, 1992, 1993],
    ["Численность населения на конец периода (года)"],
    ["тыс. человек", 70.9, "72,7", "-"],
    ["в процентах к предыдущему году", 100.0, 102.5, 102.0],
    ["Уровень безработицы, в процентах9)", "х", "4,99)", 5.0],
    ["Инвестиции в основной капитал"],
    ["млн. тенге", "1 234 ", "n/a", 3.0],
    ["9) Данные выборочного обследования"],
]


def test_small_workbook(tmp_path):
    path = make_workbook(tmp_path / "small.xlsx", {"Арал": SMALL, "Атлантида": SMALL})
    batch = workbook.read(path, resolver=default_resolver(), options={})
    got = batch.observations[["indicator", "area", "year", "value", "location"]]
    expected = pd.DataFrame(
        [
            ("population", ARAL, 1991, 70.9, "sheet «Арал», row 5, column B"),
            ("population", ARAL, 1992, 72.7, "sheet «Арал», row 5, column C"),
            ("unemployment_rate", ARAL, 1992, 4.9, "sheet «Арал», row 7, column C"),
            ("unemployment_rate", ARAL, 1993, 5.0, "sheet «Арал», row 7, column D"),
            ("investment_fixed_capital", ARAL, 1991, 1234.0, "sheet «Арал», row 9, column B"),
            ("investment_fixed_capital", ARAL, 1993, 3.0, "sheet «Арал», row 9, column D"),
        ],
        columns=got.columns,
    )
    pd.testing.assert_frame_equal(got.reset_index(drop=True), expected, check_dtype=False)
    note = batch.observations.set_index(["indicator", "year"]).loc[
        ("unemployment_rate", 1992), "note"
    ]
    assert note == "footnote 9) Данные выборочного обследования"
    errors = {(e.file, e.row, e.column): e.message for e in batch.errors}
    assert set(errors) == {(str(path), None, None)}
    assert "sheet «Атлантида»" in errors[str(path), None, None]
    assert "unknown area 'Атлантида'" in errors[str(path), None, None]
    assert "1 cells are not a figure and were skipped: «Арал» C9 'n/a'" in batch.warnings
    assert any(
        w.startswith("1 confidential cells ('х') skipped: «Арал» B7") for w in batch.warnings
    )
