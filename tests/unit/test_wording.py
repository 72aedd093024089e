"""Summaries and cards in words (issue 22): the last turn of a series is said, rates change in
percentage points, large amounts are compact in the reader's language, money in current
prices says it includes inflation. The series are read from the curated CSVs; the expected
words are written out here from those files' figures."""

from __future__ import annotations

import pandas as pd
import pytest

from components.figures import summary, time_series_parts
from components.kinds import is_rate
from components.wording import card_change, last_turn
from tests.conftest import ROOT

CURATED = ROOT / "data" / "curated"
ARAL = "433200000"


def catalogue(code: str) -> dict:
    for path in sorted((ROOT / "data" / "indicators").glob("*.csv")):
        rows = pd.read_csv(path, dtype=str, keep_default_na=False)
        found = rows[rows["code"] == code]
        if len(found):
            meta = found.iloc[0].to_dict()
            meta["decimals"] = int(meta["decimals"]) if meta.get("decimals") else None
            return meta
    raise KeyError(code)


def curated(folder: str, code: str, area: str = ARAL, series: str = "") -> pd.DataFrame:
    """The curated readings of ``code`` in ``area`` (one series), as the store returns them."""
    path = next((CURATED / folder).glob("observations.csv*"))
    df = pd.read_csv(path, dtype={"area": str, "series": str}, keep_default_na=False)
    df = df[(df["indicator"] == code) & (df["area"] == area) & (df["series"] == series)]
    return df.assign(
        value=df["value"].astype(float),
        year=df["year"].astype(int),
        year_approx=df["year_approx"].eq("true"),
    ).sort_values("year")


def points(df: pd.DataFrame) -> list[tuple[int, float]]:
    return list(zip(df["year"], df["value"], strict=True))


@pytest.mark.parametrize(
    ("lang", "words"),
    [
        ("en", "down 10.7%, but rose in 2022–2025: 18.5 → 24.1)."),
        ("ru", "снижение на 10,7\u00a0%, но в 2022–2025 гг. рост: 18,5 → 24,1)."),
        ("kk", "10,7% төмендеу, бірақ 2022–2025 жылдары өсім: 18,5 → 24,1)."),
    ],
)
def test_summary_says_the_last_turn(lang, words):
    # North Aral Sea: 27.0 in 2010, 18.5 in 2022, 24.1 in 2025 (published/observations.csv)
    df = curated("published", "nas_water_volume")
    meta = catalogue("nas_water_volume")
    (text,) = summary(df, meta, lang, {ARAL: "Aral"})
    assert text.endswith(words), text


def test_a_series_that_goes_one_way_has_no_turn():
    assert last_turn([(2022, 18.5), (2023, 19.7), (2024, 21.4)]) is None  # one run
    assert last_turn([(2000, 415.0), (2001, 637.0), (2002, 669.0)]) is None
    turn = last_turn(points(curated("published", "nas_water_volume")))
    assert (turn.start, turn.end, turn.up) == ((2022, 18.5), (2025, 24.1), True)


def test_the_card_says_the_last_turn():
    df = curated("published", "nas_water_volume")
    meta = catalogue("nas_water_volume")
    assert card_change(points(df), meta, "en") == ["Since 2010: −10.7%; rose in 2022–2025"]
    assert card_change(points(df), meta, "ru") == [
        "К 2010 году: −10,7\u00a0%; рост в 2022–2025 гг."
    ]


@pytest.mark.parametrize(
    ("lang", "words"),
    [
        ("en", "down 0.2 percentage points)."),
        ("ru", "снижение на 0,2 п. п.)."),
        ("kk", "0,2 пайыздық тармақ төмендеу)."),
    ],
)
def test_a_rate_changes_in_percentage_points(lang, words):
    # Aral district's unemployment rate: 5.2 % in 2014, 5.0 % in 2023 (the district workbook)
    df = curated("bns-kyzylorda-districts", "unemployment_rate")
    meta = catalogue("unemployment_rate")
    assert is_rate(meta)  # declared in the catalogue
    (text,) = summary(df, meta, lang, {ARAL: "Aral"})
    assert text.endswith(words), text
    assert "3,8" not in text and "3.8" not in text  # not a per cent of a per cent
    card = card_change(points(df), meta, lang)
    assert card[0].endswith(
        {"en": "−0.2 percentage points", "ru": "−0,2 п. п."}.get(lang, "−0,2 пайыздық тармақ")
    )


def test_the_declared_kind_decides_points():
    assert is_rate(catalogue("protected_area_share"))  # share, % of territory
    assert not is_rate(catalogue("grp_index"))  # an index: a change in per cent
    assert not is_rate(catalogue("industrial_output"))
    # a rate per 1,000 changes in its own unit, not in percentage points
    meta = {"kind": "rate", "unit_en": "per 1,000 population"}
    assert card_change([(2014, 20.5), (2023, 20.0)], meta, "en") == [
        "Since 2014: −0.5 per 1,000 population"
    ]


@pytest.mark.parametrize(
    ("lang", "first", "last"),
    [
        ("ru", "415 млн тенге, в текущих ценах в 2000", "33,7 млрд тенге, в текущих ценах в 2023"),
        ("kk", "415 млн теңге, ағымдағы бағамен", "33,7 млрд теңге, ағымдағы бағамен"),
        ("en", "415 million tenge, current prices in 2000", "33.7 billion tenge, current prices"),
    ],
)
def test_large_money_is_compact_and_says_inflation(lang, first, last):
    # Aral district's industrial output: 415 million tenge in 2000, 33 679 in 2023
    df = curated("bns-kyzylorda-districts", "industrial_output")
    meta = catalogue("industrial_output")
    (text,) = summary(df, meta, lang, {ARAL: "Aral"})
    assert first in text and last in text, text
    card = card_change(points(df), meta, lang)
    assert (
        card[-1]
        == {
            "en": "in current prices, so including inflation",
            "ru": "в текущих ценах, то есть вместе с инфляцией",
            "kk": "ағымдағы бағамен, яғни инфляцияны қоса алғанда",
        }[lang]
    )


# Aral's protected-area share is derived in the ETL from data/mappings/
# protected_area_share_derived.csv: 160 826 ha / 5 536 351 ha = 2.90 % (its note), 2024.
DERIVED_SHARE = pd.DataFrame(
    {
        "area": [ARAL],
        "series": [""],
        "year": [2024],
        "value": [2.9],
        "status": ["derived"],
        "year_approx": [True],
        "source": ["kazmab-barsakelmes"],
    }
)


@pytest.mark.parametrize(
    ("code", "readings", "kinds"),
    [
        ("salt_extraction", lambda: curated("published-2", "salt_extraction"), {"legend-approx"}),
        ("nas_water_volume", lambda: curated("published", "nas_water_volume"), {"legend-approx"}),
        ("protected_area_share", lambda: DERIVED_SHARE, {"legend-derived"}),
    ],
)
def test_every_reading_is_a_visible_marker_with_its_legend(code, readings, kinds):
    df = readings()
    if code == "salt_extraction":  # 2008 from the akim's report, 2018-2019 from NewTimes
        df = pd.concat([curated("seed-aral-2008", code), df]).sort_values("year")
    fig = time_series_parts(df, catalogue(code), "en")
    roles = {(tr.get("meta") or {}).get("role") for tr in fig["data"]}
    assert kinds | {"readings"} <= roles
    drawn = [
        (x, y, size)
        for tr in fig["data"]
        if (tr.get("meta") or {}).get("role") == "readings"
        for x, y, size in zip(tr["x"], tr["y"], tr["marker"]["size"], strict=True)
        if y is not None and y == y
    ]
    assert sorted((int(x), float(y)) for x, y, _ in drawn) == points(df)
    assert all(size >= 9 for *_, size in drawn)  # none hidden
    for tr in fig["data"]:  # an open symbol is drawn in the marker's colour: never white
        colours = (tr.get("marker") or {}).get("color")
        assert "white" not in (colours if isinstance(colours, list) else [colours])
    assert all(tr["marker"].get("opacity", 1) == 1 for tr in fig["data"] if "marker" in tr)
    if len(df) == 1:
        (trace,) = [tr for tr in fig["data"] if (tr.get("meta") or {}).get("role") == "readings"]
        assert trace["mode"] == "markers"  # one point is a point, not an empty line


def test_the_map_rankings_change_of_a_rate_is_in_points_alone():
    from views.map_table import _change

    # Aral's unemployment rate 2014 -> 2023: 5.2 -> 5.0 (the district workbook)
    row = {"change": 5.0 - 5.2, "change_pct": (5.0 / 5.2 - 1) * 100}
    assert _change(row, catalogue("unemployment_rate"), "en") == "-0.2"
    # a total keeps its per cent: 415 -> 33 679 million tenge
    row = {"change": 33679 - 415, "change_pct": (33679 / 415 - 1) * 100}
    assert _change(row, catalogue("industrial_output"), "en") == "+33,264.0 (+8,015.4 %)"
