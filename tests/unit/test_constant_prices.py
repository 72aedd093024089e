"""Money in constant prices of a base year, chained from the Bureau's volume indices.

The expected figures are worked out by hand from the rows of
data/curated/bns-kyzylorda-districts/observations.csv (Aral district, 433200000, source
bns-kyzylorda-district-workbook, sheet «Арал»):

    industrial_output            2020 15716   2021 17407   2022 24219   2023 33679  (row 87)
    industrial_production_index  2021 100.4   2022 119.7   2023 110.0              (row 88)
    investment_fixed_capital     2021 15744   2022 16786   2023 25047              (row 67)
    investment_fixed_capital_index            2022 102.6   2023 144.0              (row 68)

In 2023 prices: 2022 = 33679 / 1.100 = 30617.27; 2021 = 30617.27 / 1.197 = 25578.34;
2020 = 25578.34 / 1.004 = 25476.43. In 2020 prices: 2021 = 15716 × 1.004 = 15778.86;
2022 = 15778.86 × 1.197 = 18887.30; 2023 = 18887.30 × 1.100 = 20776.03.
"""

from __future__ import annotations

import io

import pandas as pd
import pytest

from tests.conftest import ROOT
from views.constant_prices import VOLUME_INDICES, bureau_readings, chain, derive

ARAL = "433200000"
OUTPUT = {2020: 15716.0, 2021: 17407.0, 2022: 24219.0, 2023: 33679.0}
INDEX = {2021: 100.4, 2022: 119.7, 2023: 110.0}


def test_chain_back_from_the_latest_year_of_aral_industrial_output():
    got = chain(OUTPUT, INDEX, 2023)
    assert got == pytest.approx(
        {2020: 25476.43, 2021: 25578.34, 2022: 30617.27, 2023: 33679.0}, abs=0.01
    )


def test_chain_forward_from_an_earlier_base_year():
    got = chain(OUTPUT, INDEX, 2020)
    assert got == pytest.approx(
        {2020: 15716.0, 2021: 15778.86, 2022: 18887.30, 2023: 20776.03}, abs=0.01
    )


def test_a_gap_in_the_index_ends_the_chain():
    without_2022 = {2021: 100.4, 2023: 110.0}
    # back from 2023: 2022 needs I(2023) (given), 2021 needs I(2022) (missing): stop there
    assert chain(OUTPUT, without_2022, 2023) == pytest.approx({2022: 30617.27, 2023: 33679.0})
    # forward from 2020: 2021 needs I(2021), 2022 needs I(2022) (missing): stop there
    assert chain(OUTPUT, without_2022, 2020) == pytest.approx({2020: 15716.0, 2021: 15778.86})


def test_no_base_value_no_series_and_a_zero_index_is_no_link():
    assert chain(OUTPUT, INDEX, 2019) == {}
    assert chain(OUTPUT, {**INDEX, 2022: 0.0}, 2023) == pytest.approx(
        {2022: 30617.27, 2023: 33679.0}
    )


def frame(text: str) -> pd.DataFrame:
    df = pd.read_csv(io.StringIO(text), dtype={"area": str, "series": str, "source": str})
    df["series"] = df["series"].fillna("")
    return df


# investment in Aral: the Bureau's workbook, and another source's reading of 2023 that the
# chain must not use (only the Bureau's own figures are chained)
MONEY = frame(
    """indicator,area,year,series,value,status,year_approx,source,note,excerpt,location,tier
investment_fixed_capital,433200000,2021,,15744,actual,False,bns-kyzylorda-district-workbook,,,,A
investment_fixed_capital,433200000,2022,,16786,actual,False,bns-kyzylorda-district-workbook,,,,A
investment_fixed_capital,433200000,2023,,99999,actual,False,akimat-report,,,,B
investment_fixed_capital,433200000,2023,,25047,actual,False,bns-kyzylorda-district-workbook,,,,A
"""
)
RATES = frame(
    """indicator,area,year,series,value,status,year_approx,source,note,excerpt,location,tier
investment_fixed_capital_index,433200000,2022,,102.6,actual,False,bns-kyzylorda-district-workbook,,,,A
investment_fixed_capital_index,433200000,2023,,144.0,actual,False,bns-kyzylorda-district-workbook,,,,A
"""
)
META = {
    "name_en": "Investment in fixed capital",
    "unit_en": "million tenge, current prices",
    "decimals": 0,
}
INDEX_META = {
    "name_en": "Investment in fixed capital, real index",
    "unit_en": "% of the previous year",
}


def test_derived_rows_are_flagged_rounded_and_carry_the_formula_and_both_sources():
    got = derive(bureau_readings(MONEY), bureau_readings(RATES), 2023, META, INDEX_META, "en")
    # 2022 = 25047 / 1.440 = 17393.75 -> 17394; 2021 = 17393.75 / 1.026 = 16952.97 -> 16953
    assert list(got["year"]) == [2021, 2022, 2023]
    assert list(got["value"]) == [16953.0, 17394.0, 25047.0]
    assert set(got["status"]) == {"derived"}
    assert set(got["source"]) == {"bns-kyzylorda-district-workbook"}
    note = got["note"].iloc[0]
    assert "25,047 million tenge, current prices" in note
    assert "«Investment in fixed capital, real index»" in note
    assert "V(t) = V(t−1) × I(t) / 100" in note and "V(t−1) = V(t) ÷ (I(t) / 100)" in note
    assert "source bns-kyzylorda-district-workbook" in note


def test_every_money_series_is_in_current_prices_and_its_index_in_percent_of_last_year():
    """The declared pairs, against the catalogue: a money series in current prices and an
    index of the previous year = 100 (the sources' own row titles are in the module's doc)."""
    catalogue = pd.concat(
        pd.read_csv(p, dtype=str) for p in sorted((ROOT / "data" / "indicators").glob("*.csv"))
    ).set_index("code")
    for money, index in VOLUME_INDICES.items():
        assert catalogue.loc[money, "unit_en"] == "million tenge, current prices", money
        assert catalogue.loc[index, "unit_en"] == "% of the previous year", index


def test_a_link_restated_from_n_times_is_named_in_the_note():
    """Aral's crop output index 2012 is the Bureau's «4,4 раза», stored as 440 with status
    derived (observations.csv, sheet «Арал», row 117); crop output 2011 = 206.3, 2012 = 993.7."""
    money = frame(
        """indicator,area,year,series,value,status,year_approx,source,note,excerpt,location,tier
agri_output_crop,433200000,2011,,206.3,actual,False,bns-kyzylorda-district-workbook,,,,A
agri_output_crop,433200000,2012,,993.7,actual,False,bns-kyzylorda-district-workbook,,,,A
"""
    )
    rates = frame(
        """indicator,area,year,series,value,status,year_approx,source,note,excerpt,location,tier
agri_production_index_crop,433200000,2012,,440,derived,False,bns-kyzylorda-district-workbook,,,,A
"""
    )
    meta = {
        "name_en": "Gross crop output",
        "unit_en": "million tenge, current prices",
        "decimals": 1,
    }
    got = derive(
        money, rates, 2012, meta, {"name_en": "Crop output, real index", "unit_en": "%"}, "en"
    )
    assert list(got["value"]) == [225.8, 993.7]  # 993.7 / 4.40 = 225.84
    assert "The index of 2012 is the Bureau's «N times the previous year»" in got["note"].iloc[0]
