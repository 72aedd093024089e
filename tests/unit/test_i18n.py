"""Language helpers: display decimals of an indicator."""

from __future__ import annotations

import pytest


@pytest.mark.parametrize(
    ("meta", "expected"),
    [
        ({"decimals": 1}, 1),
        ({"decimals": 2.0}, 2),
        ({"decimals": None}, None),
        ({"decimals": float("nan")}, None),
        ({}, None),
        (None, None),
    ],
)
def test_decimals_of(meta, expected):
    import pandas as pd

    from components.i18n import decimals_of

    assert decimals_of(meta) == expected
    if meta:
        assert decimals_of(pd.Series(meta, dtype=object)) == expected


@pytest.mark.parametrize(
    ("value", "lang", "decimals", "expected"),
    [
        (2609.1, "kk", None, "2\u00a0609,1"),
        (2609.1, "ru", None, "2\u00a0609,1"),
        (2609.1, "en", None, "2,609.1"),
        (-1234567.891, "ru", 1, "-1\u00a0234\u00a0567,9"),
        (1234567.891, "en", 0, "1,234,568"),
        (0.5, "kk", 2, "0,50"),
        (12, "en", None, "12"),
        (1e20, "en", None, "100,000,000,000,000,000,000"),
        (None, "kk", None, "–"),
        (float("nan"), "en", 1, "–"),
    ],
)
def test_numbers_follow_cldr(value, lang, decimals, expected):
    import numpy as np

    from components.i18n import fmt_number

    assert fmt_number(value, lang, decimals) == expected
    if isinstance(value, float):
        assert fmt_number(np.float64(value), lang, decimals) == expected


def test_percentages_follow_cldr():
    from components.i18n import fmt_percent

    assert fmt_percent(0.125, "ru", 1) == "12,5\u00a0%"
    assert fmt_percent(0.125, "kk", 1) == "12,5%"
    assert fmt_percent(-0.125, "en", 1) == "-12.5%"
    assert fmt_percent(0.95, "ru") == "95\u00a0%"
    assert fmt_percent(0.015, "kk") == "1,5%"
    assert fmt_percent(None, "en") == "–"


def test_dates_and_plotly_follow_cldr():
    from datetime import date

    from components.i18n import fmt_date, plotly_locales, plotly_separators, separators

    assert fmt_date(date(2025, 3, 14), "ru") == "14 марта 2025\u202fг."  # narrow no-break space
    assert fmt_date(date(2025, 3, 14), "en") == "14 March 2025"
    assert separators("kk") == (",", "\u00a0") and plotly_separators("en") == ".,"
    ru, kk = plotly_locales()["ru"], plotly_locales()["kk"]
    assert ru["format"]["months"][0] == "январь" and kk["format"]["months"][2] == "Наурыз"
    assert ru["format"]["days"][:2] == ["воскресенье", "понедельник"]  # Plotly: Sunday first
    assert kk["format"]["date"] == "%d.%m.%Y" and kk["format"]["thousands"] == "\u00a0"
    assert ru["dictionary"]["Zoom in"] == "Увеличить"
