"""The bns-employment adapter on the real Kyzylorda_Employment.xls, and the curated datasets.

The employment figures are checked against the 97 official rows of
../shared/data-sources/district_figures.csv; the curated folders under data/curated/ are checked
against what the adapters read from the real files now (so that they are reproducible with
`python -m etl.curate_bns ../shared`).
"""

from __future__ import annotations

import csv
from pathlib import Path

import pandas as pd
import pytest

from etl import adapters
from etl.adapters import bns_district_workbook, bns_employment, bns_table
from etl.areas import default_resolver
from etl.batch import Batch
from etl.curate import CURATED_OBSERVATION_COLUMNS
from tests.conftest import ROOT

EMPLOYMENT = "sources/kyzylorda-district-stats/Kyzylorda_Employment.xls"
FIGURES = "data-sources/district_figures.csv"
CURATED = ROOT / "data" / "curated"
OBLAST, KYZYLORDA_CITY, BAIKONUR, ARAL, SHIELI = (
    "430000000",
    "431000000",
    "431900000",
    "433200000",
    "435200000",
)

SHIELI_ALIAS_MISSING = default_resolver().get("Шиелийский", OBLAST) is None
needs_shieli_alias = pytest.mark.xfail(
    SHIELI_ALIAS_MISSING,
    strict=True,
    reason="data/area_aliases.csv has no «Шиелийский» (435200000, the Bureau's adjectival name "
    "of Shieli district); add it to etl/curate_areas.EXTRA_ALIASES",
)


@pytest.fixture(scope="module")
def batch(shared) -> Batch:
    return bns_employment.read(shared / EMPLOYMENT, resolver=default_resolver(), options={})


@pytest.fixture(scope="module")
def obs(batch) -> pd.DataFrame:
    return batch.observations.set_index(["area", "year"])


def test_reads_the_table(batch):
    assert batch.format == "bns-employment"
    assert set(batch.observations["indicator"]) == {"employed_population"}
    assert set(batch.observations["source"]) == {"bns-kyzylorda-employment"}
    assert batch.observations["year"].between(2014, 2024).all()


@needs_shieli_alias
def test_every_row_resolves(batch):
    assert batch.errors == []
    assert len(batch.observations) == 108  # 10 rows x 11 years, less Baikonur 2014-2015


def test_an_unresolved_row_is_an_error_naming_file_row_and_column(batch, shared):
    for err in batch.errors:  # only «Шиелийский» while its alias is missing
        assert (err.file, err.row, err.column) == (str(shared / EMPLOYMENT), 13, "A")
        assert "'Шиелийский'" in err.message


def test_cells(obs):
    assert obs.loc[(OBLAST, 2014), "value"] == 311144.0  # «Кызылординская область»
    assert obs.loc[(OBLAST, 2024), "value"] == 334499.0
    assert obs.loc[(KYZYLORDA_CITY, 2014), "value"] == 117188.0  # «Кызылорда г.а.»
    assert obs.loc[(ARAL, 2016), "value"] == 33117.0  # «Аральский»
    assert obs.loc[(BAIKONUR, 2016), "value"] == 19322.0  # «Байконыр г.а.»
    assert obs.loc[(ARAL, 2014), "location"] == "sheet «Районы по годам», row 7, column B"


def test_dash_cells_are_skipped(batch, obs):
    assert (BAIKONUR, 2014) not in obs.index and (BAIKONUR, 2015) not in obs.index
    assert "2 '-' (no figure) cells skipped" in batch.warnings


def test_year_header_footnotes_become_notes(obs):
    # '20143)' and '20152)3)': 3) the 2014-2015 figures exclude Baikonur
    # ... and every figure carries the title's footnote 1) (a labour force survey).
    survey = "1) Данные сформированы на основании итогов выборочного обследования"
    assert obs.loc[(OBLAST, 2014), "note"].startswith(survey)
    assert obs.loc[(OBLAST, 2014), "note"].endswith("; 3) Без г.Байконыр")
    assert "2) Здесь и далее данные сформированы" in obs.loc[(OBLAST, 2015), "note"]
    assert obs.loc[(OBLAST, 2015), "note"].endswith("3) Без г.Байконыр")
    assert "Байконыр" not in obs.loc[(OBLAST, 2016), "note"]


@needs_shieli_alias
def test_matches_district_figures(shared, obs):
    with (shared / FIGURES).open(encoding="utf-8") as fh:
        rows = [
            r for r in csv.DictReader(fh) if "Data/Employment/Kyzylorda.xls" in r["source_address"]
        ]
    assert len(rows) == 97
    wrong = [
        r for r in rows if obs["value"].get((r["area_kato"], int(r["year"]))) != float(r["value"])
    ]
    assert not wrong, wrong[:5]


def test_source_row(batch):
    (src,) = batch.sources
    assert src["code"] == "bns-kyzylorda-employment"
    assert "Бюро национальной статистики" in src["publisher"]
    assert src["address"] == "https://stat.gov.kz/api/iblock/element/region/166508/file/ru/"
    assert src["copy_address"] == (
        "https://github.com/askhat-omar/FDI_crowding_effects/blob/"
        "394aaea2ae44e6da3818979134b8b9347ac8cd98/Data/Employment/Kyzylorda.xls"
    )
    assert "394aaea2ae44e6da3818979134b8b9347ac8cd98" in src["retrieved"]


def test_detect(shared):
    path = shared / EMPLOYMENT
    assert bns_employment.detect(path)
    assert adapters.detect(path).FORMAT == "bns-employment"
    assert not bns_employment.detect(
        shared / "sources/stat-gov-kz/air_emissions_stationary_sources_2005_2022.xls"
    )


def test_catalogue_row():
    catalogue = pd.read_csv(
        ROOT / "data/indicators/bns_districts.csv", dtype=str, keep_default_na=False
    ).set_index("code")
    row = catalogue.loc["employed_population"]
    assert (row["unit_en"], row["unit_ru"]) == ("persons", "человек")
    assert row["preferred_source"] == "bns-kyzylorda-employment"


# --- the curated datasets ----------------------------------------------------------------------


def curated(name: str, file: str) -> pd.DataFrame:
    path = CURATED / name / file
    if not path.is_file():
        pytest.fail(f"{path} is missing: run python -m etl.curate_bns ../shared")
    return pd.read_csv(path, dtype=str, keep_default_na=False)


def as_curated(batch: Batch) -> pd.DataFrame:
    """Observations as etl.curate.write_batch writes them, keyed for comparison."""
    obs = batch.observations[CURATED_OBSERVATION_COLUMNS].copy()
    obs = obs.assign(
        year=obs["year"].astype(str),
        value=obs["value"].map(lambda v: f"{v:.12g}"),
        note=obs["note"].fillna(""),
        excerpt=obs["excerpt"].fillna(""),
    )
    return obs[
        ["indicator", "area", "year", "value", "source", "status", "note", "excerpt", "location"]
    ]


def same_rows(expected: pd.DataFrame, got: pd.DataFrame) -> None:
    cols = list(expected.columns)
    key = ["indicator", "area", "year", "source"]
    pd.testing.assert_frame_equal(
        got[cols].sort_values(key).reset_index(drop=True),
        expected.sort_values(key).reset_index(drop=True),
        check_dtype=False,
    )


def test_curated_oblast_tables_are_up_to_date(shared):
    batches = [
        bns_table.read(shared / "sources/stat-gov-kz" / f, resolver=default_resolver(), options={})
        for f in (
            "air_emissions_stationary_sources_2005_2022.xls",
            "environmental_protection_current_expenditure_2005_2022.xls",
        )
    ]
    obs = curated("bns-oblast-tables", "observations.csv")
    same_rows(pd.concat([as_curated(b) for b in batches]), obs)
    sources = curated("bns-oblast-tables", "sources.csv")
    assert sources["code"].tolist() == [
        "bns-air-emissions-stationary",
        "bns-env-protection-expenditure",
    ]
    assert (
        obs.loc[
            (obs["area"] == "000000000")
            & (obs["year"] == "2021")
            & (obs["indicator"] == "air_emissions_stationary"),
            "value",
        ].item()
        == "2407.455791"
    )


def test_curated_districts_are_up_to_date(shared):
    book = bns_district_workbook.read(
        shared / "sources/kyzylorda-district-stats/Kyzylorda_All.xls",
        resolver=default_resolver(),
        options={},
    )
    obs = curated("bns-kyzylorda-districts", "observations.csv")
    same_rows(as_curated(book), obs[obs["source"] == "bns-kyzylorda-district-workbook"])
    sources = curated("bns-kyzylorda-districts", "sources.csv")
    assert sources["code"].tolist() == [
        "bns-kyzylorda-district-workbook",
        "bns-kyzylorda-employment",
    ]


def test_curated_employment_matches_district_figures(shared):
    obs = curated("bns-kyzylorda-districts", "observations.csv")
    obs = obs[obs["source"] == "bns-kyzylorda-employment"].set_index(["area", "year"])
    assert len(obs) == 108
    with (shared / FIGURES).open(encoding="utf-8") as fh:
        rows = [
            r for r in csv.DictReader(fh) if "Data/Employment/Kyzylorda.xls" in r["source_address"]
        ]
    assert {(r["area_kato"], r["year"]): float(r["value"]) for r in rows} == {
        key: float(v) for key, v in obs["value"].items() if key[0] != OBLAST
    }
    assert obs.loc[(SHIELI, "2024"), "value"] == "34799"


@pytest.mark.parametrize("name", ["bns-kyzylorda-districts", "bns-oblast-tables"])
def test_curated_readme(name):
    text = (CURATED / name / "README.md").read_text(encoding="utf-8")
    assert "python -m etl.curate_bns ../shared" in text
    assert "skipped" in text.lower()


def test_curated_columns_are_the_documented_ones():
    for name in ("bns-kyzylorda-districts", "bns-oblast-tables"):
        assert list(curated(name, "observations.csv").columns) == CURATED_OBSERVATION_COLUMNS
        assert Path(CURATED / name / "sources.csv").is_file()
