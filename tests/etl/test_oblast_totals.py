"""The oblast and national comparisons (issue 22, "Comparisons that are filled").

An oblast whose «All» workbook has no sheet of its own (Pavlodar, Kyzylorda) gets its totals as
the derived sum of every one of its districts and cities, found from the workbook's sheets and
rows (never their positions); the unemployment rate of every oblast and the country comes from
the national SDG platform's 8.5.2; each region's own investment from its yearly bulletin. The expected figures were read by hand from the files: the
cells listed, added with a calculator; the platform's CSV rows «2023,PT,KZKZY,,,,4.9» etc.
Without ../shared the same rows are checked in the curated CSVs.
"""

from __future__ import annotations

import pandas as pd
import pytest

from config import DATA_DIR
from etl.adapters import bns_district_workbook as workbook
from etl.adapters import bns_investment_bulletin as bulletin
from etl.adapters import opensdg_restated
from etl.adapters.bns_oblast_sums import region_sums
from etl.areas import default_resolver

PAVLODAR, KYZYLORDA, AKMOLA, COUNTRY = "550000000", "430000000", "110000000", "000000000"
EAST_KAZAKHSTAN, KARAGANDY = "630000000", "350000000"
CURATED = DATA_DIR / "curated"
# Population at the end of 2023, thousand persons, sheet by sheet (row «тыс. человек» under
# «Численность населения на конец периода (года)», column of 2023).
PAVLODAR_2023 = {
    "Павлодар г.а. ": 368.4,
    "Аксу г.а. ": 72.5,
    "Экибастуз г.а.": 145.1,
    "Актогайский район": 12.7,
    "Баянаульский район": 23.5,
    "Железинский район": 15.0,
    "Иртышский район": 16.7,
    "Теренкөл район": 19.7,
    "Аққулы район": 12.3,
    "Майский район": 10.3,
    "Павлодарский район": 26.4,
    "Успенский район": 12.5,
    "Щербактинский район": 18.8,
}  # 753.9
KYZYLORDA_2023 = {
    "г.Кызылорда": 356.4,
    "г.Байконыр": 33.8,
    "Арал": 79.1,
    "Жалагаш": 36.0,
    "Жанакорган": 81.3,
    "Казалы": 79.1,
    "Кармакшы": 52.2,
    "Сырдария": 38.0,
    "Шиели": 85.9,
}  # 841.8


def curated(dataset: str) -> pd.DataFrame:
    folder = CURATED / dataset
    path = folder / "observations.csv.gz"
    path = path if path.exists() else folder / "observations.csv"
    return pd.read_csv(path, dtype={"area": str}, keep_default_na=False)


def one(obs: pd.DataFrame, indicator: str, area: str, year: int) -> pd.Series:
    hit = obs[(obs["indicator"] == indicator) & (obs["area"] == area) & (obs["year"] == year)]
    assert len(hit) == 1, hit
    return hit.iloc[0]


def sheets_in(location: str) -> list[str]:
    return [part.rsplit("!", 1)[0] for part in location.split(": sum of ", 1)[1].split(" + ")]


@pytest.fixture(scope="module")
def pavlodar(shared):
    path = shared / "sources/bns-regional-workbooks/all/Pavlodar_All.xlsx"
    return workbook.read(path, resolver=default_resolver(), options={}).observations


@pytest.fixture(scope="module")
def kyzylorda(shared):
    path = shared / "sources/kyzylorda-district-stats/Kyzylorda_All.xls"
    return workbook.read(path, resolver=default_resolver(), options={}).observations


@pytest.mark.parametrize("source", ["file", "curated"])
def test_pavlodar_oblast_population_is_the_sum_of_its_13_units(request, source):
    obs = (
        request.getfixturevalue("pavlodar")
        if source == "file"
        else curated("bns-regional-workbooks")
    )
    row = one(obs, "population", PAVLODAR, 2023)
    assert row["value"] == pytest.approx(753.9)
    assert row["value"] == pytest.approx(sum(PAVLODAR_2023.values()))
    assert row["status"] == "derived"
    assert "sum of the figures of the region's 13 districts and cities" in row["note"]
    assert row["location"].startswith("Pavlodar_All.xlsx: sum of ")
    assert sorted(sheets_in(row["location"])) == sorted(PAVLODAR_2023)
    assert row["source"] == "bns-regional-workbook-pavlodar"


@pytest.mark.parametrize("source", ["file", "curated"])
def test_kyzylorda_oblast_totals_add_up_its_nine_units(request, source):
    obs = (
        request.getfixturevalue("kyzylorda")
        if source == "file"
        else curated("bns-kyzylorda-districts")
    )
    row = one(obs, "population", KYZYLORDA, 2023)
    assert row["value"] == pytest.approx(841.8)
    assert sorted(sheets_in(row["location"])) == sorted(KYZYLORDA_2023)
    for indicator, value in (("industrial_output", 1036987), ("investment_fixed_capital", 514270)):
        got = one(obs, indicator, KYZYLORDA, 2023)
        assert (got["value"], got["status"]) == (value, "derived")
    # Baikonur's sheet has no agriculture block: no oblast sum is made up for it.
    assert obs[(obs["area"] == KYZYLORDA) & (obs["indicator"] == "agri_output_gross")].empty
    # The oblast's population before Baikonur's series starts (2009) is not summed either.
    years = obs[(obs["area"] == KYZYLORDA) & (obs["indicator"] == "population")]["year"]
    assert years.min() == 2009


def test_a_workbook_with_its_oblast_sheet_keeps_the_bureaus_total():
    obs = curated("bns-regional-workbooks")
    akmola = obs[(obs["area"] == AKMOLA) & (obs["indicator"] == "population")]
    assert set(akmola["status"]) == {"actual"}
    assert akmola["location"].str.contains("Акмолинская область").all()
    # Oblasts that gave districts to the oblasts created in 2022 are summed from 2022 on only:
    # their current units were not the oblast before.
    for oblast in (EAST_KAZAKHSTAN, KARAGANDY):
        sums = obs[(obs["area"] == oblast) & (obs["status"] == "derived")]
        assert len(sums) and sums["year"].min() == 2022, oblast


def _rows(areas: dict[str, float], region_row: bool = False) -> list[dict]:
    rows = [
        {
            "indicator": "population",
            "area": kato,
            "year": 2023,
            "value": value,
            "status": "actual",
            "location": f"sheet «{kato}», row 7, column AH",
        }
        for kato, value in areas.items()
    ]
    if region_row:
        rows.append(rows[0] | {"area": PAVLODAR, "value": 750.0})
    return rows


def test_no_sum_when_a_unit_is_missing_or_the_region_has_its_own_sheet():
    resolver = default_resolver()
    units = {k: 10.0 for k in sorted(resolver.areas.query("parent == @PAVLODAR")["kato"])}
    assert len(units) == 13
    summed = region_sums(_rows(units), PAVLODAR, resolver, "x.xlsx", "src")
    assert [(r["area"], r["value"], r["status"]) for r in summed] == [(PAVLODAR, 130.0, "derived")]
    missing = dict(list(units.items())[1:])
    assert region_sums(_rows(missing), PAVLODAR, resolver, "x.xlsx", "src") == []
    assert region_sums(_rows(units, region_row=True), PAVLODAR, resolver, "x.xlsx", "src") == []


@pytest.mark.parametrize("source", ["file", "curated"])
def test_unemployment_rate_of_every_oblast_and_the_country(request, source):
    if source == "file":
        shared = request.getfixturevalue("shared")
        path = shared / "sources/kazstat-sdg/data/indicator_8-5-2.csv"
        batch = opensdg_restated.read(path, resolver=default_resolver(), options={})
        assert batch.errors == [] and batch.indicators == []
        obs = batch.observations
    else:
        obs = curated("kazstat-sdg-oblasts")
    # data/indicator_8-5-2.csv: «2023,PT,,,,,4.7», «2023,PT,KZKZY,,,,4.9», «2023,PT,KZPAV,,,,4.8»
    for area, value in ((COUNTRY, 4.7), (KYZYLORDA, 4.9), (PAVLODAR, 4.8)):
        row = one(obs, "unemployment_rate", area, 2023)
        assert (row["value"], row["source"], row["series"] or "") == (value, "kazstat-sdg", "")
        assert "SDG 8.5.2" in row["note"]
    assert set(obs["indicator"]) == {"unemployment_rate"}
    assert obs["area"].nunique() >= 20  # the country, oblasts and the three cities


# --- the investment bulletins: the region's own total ------------------------------------------

# (file, region, year, value in million tenge, where): read by hand with openpyxl/xlrd; the
# bulletin prints thousand tenge («Павлодарская область» 1113909042 in sheet «2», C5).
BULLETINS = [
    ("Pavlodar/2024_Investments.xlsx", PAVLODAR, 2024, 1113909.042, "sheet «2», row 5, column C"),
    ("Kyzylorda/2023_Investments.xlsx", KYZYLORDA, 2023, 513730.912, "sheet «2», row 5, column C"),
    # bilingual, the year only in the header («В % к 2018году», «2018 жылға %-бен»)
    ("Kyzylorda/2019_Investments.xls", KYZYLORDA, 2019, 400053.894, "sheet «2.», row 7, column C"),
    # bilingual header cells («Негізгі капиталға жұмсалған инвестициялар Инвестиции в основной
    # капитал»), the Kazakh name of the oblast («Павлодар облысы»)
    ("Pavlodar/2019_Investments.xls", PAVLODAR, 2019, 494557.049, "sheet «2.», row 6, column C"),
    # the total row says «Область» alone: the region comes from the districts under it
    ("Akmola/2022_Investments.xlsx", AKMOLA, 2022, 579972.904, "sheet «2», row 5, column C"),
]


@pytest.mark.parametrize(("file", "region", "year", "value", "where"), BULLETINS)
@pytest.mark.parametrize("source", ["file", "curated"])
def test_bulletins_give_the_regions_own_investment(
    request, source, file, region, year, value, where
):
    if source == "file":
        shared = request.getfixturevalue("shared")
        path = shared / "sources/bns-investment-bulletins" / file
        batch = bulletin.read(path, resolver=default_resolver(), options={})
        assert batch.errors == []
        obs = batch.observations
        assert list(obs["area"]) == [region]  # the total only: districts are the workbooks'
    else:
        obs = curated("bns-investment-bulletins")
    row = one(obs, "investment_fixed_capital", region, year)
    assert (row["value"], row["status"], row["location"]) == (value, "derived", where)
    assert f"prints {value * 1000:.12g} thousand tenge" in row["note"]
    assert "preliminary" in row["note"]
    assert row["source"] == f"bns-investment-bulletin-{file.split('/')[0].lower()}-{year}"


def test_a_renamed_bulletin_reads_the_same(shared, tmp_path):
    copy = tmp_path / "table.xlsx"
    copy.write_bytes((shared / "sources/bns-investment-bulletins" / BULLETINS[0][0]).read_bytes())
    obs = bulletin.read(copy, resolver=default_resolver(), options={}).observations
    assert one(obs, "investment_fixed_capital", PAVLODAR, 2024)["value"] == 1113909.042


def test_every_region_has_a_bulletin_total():
    obs = curated("bns-investment-bulletins")
    assert obs["area"].nunique() == 17 and len(obs) >= 80  # 80 of the 91 bulletins
    sources = pd.read_csv(CURATED / "bns-investment-bulletins" / "sources.csv", dtype=str)
    assert set(obs["source"]) <= set(sources["code"])
    assert sources["address"].str.startswith("https://stat.gov.kz/").all()
