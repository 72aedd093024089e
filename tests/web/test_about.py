"""The sources-and-method page, rendered through the Flask test client, and its helpers."""

from __future__ import annotations

import csv
import importlib

import pytest

from components import status as st
from tests.conftest import ROOT
from tests.web.conftest import render, texts

CURATED = ROOT / "data" / "curated"


def _sources() -> list[dict]:
    rows = []
    for path in sorted(CURATED.glob("*/sources.csv")):
        with path.open(encoding="utf-8", newline="") as f:
            rows += list(csv.DictReader(f))
    return rows


@pytest.fixture(scope="module")
def page_module(dash_app):
    """pages.about as the app loaded it (its strings and page are registered)."""
    return importlib.import_module("pages.about")


@pytest.mark.parametrize(
    ("lang", "heading", "no_license", "tier_a"),
    [
        (
            "kk",
            "Дереккөздер мен әдіс",
            "лицензия көрсетілмеген",
            "A — ресми статистика немесе құқықтық акт",
        ),
        (
            "ru",
            "Источники и метод",
            "лицензия не указана",
            "A — официальная статистика или правовой акт",
        ),
        ("en", "Sources and method", "license not stated", "A — official statistics or legal act"),
    ],
)
def test_every_source_in_each_language(client, lang, heading, no_license, tier_a):
    page = texts(render(client, "/about", f"?lang={lang}"))
    assert heading in page
    for source in _sources():
        assert source["title"] in page
        assert f"source-{source['code']}" in page  # the anchor other pages link to
    assert no_license in page and "CC BY 4.0" in page
    assert tier_a in page
    assert "Traceback" not in page


@pytest.mark.parametrize(
    ("lang", "on_track", "off_track"),
    [
        ("kk", "Жоспар бойынша", "Артта қалуда"),
        ("ru", "В графике", "Отстаёт"),
        ("en", "On track", "Off track"),
    ],
)
def test_method_states_the_thresholds_from_the_constants(client, lang, on_track, off_track):
    page = texts(render(client, "/about", f"?lang={lang}"))
    ratio = round(st.ON_TRACK_RATIO * 100)
    tolerance = round(st.EQUAL_TOLERANCE * 100)
    percent = "{}\u00a0%" if lang == "ru" else "{}%"  # CLDR: ru puts a no-break space before %
    assert percent.format(ratio) in page
    assert percent.format(tolerance) in page
    assert on_track in page and off_track in page
    for symbol in st.SYMBOLS.values():
        assert symbol in page
    assert "A > B > C > S" in page  # the preferred-source rule, from the store's ranking


def test_sections_have_anchors(client):
    page = texts(render(client, "/about", "?lang=en"))
    for anchor in ("sources", "method", "preferred", "gaps", "loads", "boundaries"):
        assert f'"id": "{anchor}"' in page


def test_what_a_source_supports(client):
    page = texts(render(client, "/about", "?lang=en"))
    # Decree 848 states the Concept's targets; the seed thesis has the 2008 observations.
    assert (
        "Concept of transition of the Republic of Kazakhstan to sustainable development "
        "for 2007–2024: Environmental sustainability index"
    ) in page
    assert "Salt extraction: 2008 (values: 1)" in page
    assert "Observations — indicators: " in page
    assert "/programs?program=synas-2&lang=en" in page


def test_gaps_loads_and_boundaries(client):
    page = texts(render(client, "/about", "?lang=ru"))
    assert "не удалось проверить по тексту самой Концепции" in page  # the 10 % target
    assert "по месту регистрации предприятия" in page
    assert "История загрузок" in page and "curated" in page
    assert "geokz v1.0.2" in page and "OCHA HDX COD-AB" in page
    assert "Границы установлены в базе данных" in page or "Границы не установлены" in page


@pytest.mark.parametrize(
    ("fraction", "lang", "expected"),
    [
        (0.95, "en", "95%"),
        (0.01, "ru", "1\u00a0%"),  # CLDR ru: a no-break space before the sign
        (0.015, "kk", "1,5%"),
        (0.125, "en", "12.5%"),
    ],
)
def test_percent(page_module, fraction, lang, expected):
    assert page_module.percent(fraction, lang) == expected


def test_years_span(page_module):
    assert page_module.years_span(2005, 2022) == "2005–2022"
    assert page_module.years_span(2008.0, 2008) == "2008"


def test_tier_order(page_module):
    assert page_module.tier_order() == ["A", "B", "C", "S"]


def test_linkify_makes_each_address_a_link(page_module):
    parts = page_module.linkify("https://stat.gov.kz/ (copy read: https://github.com/o/r/a.xls).")
    assert [getattr(p, "href", p) for p in parts] == [
        "https://stat.gov.kz/",
        " (copy read: ",
        "https://github.com/o/r/a.xls",
        ").",
    ]
    assert page_module.linkify("no address") == ["no address"]


def test_regions_list_the_topic_tables(client):
    page = texts(render(client, "/about", "?lang=en"))
    for name in ("Atyrau_Production.xls", "Almaty-city_Retail.xlsx", "Karagandy_Agriculture.xls"):
        assert name in page
    assert "горнодоб!A1:AI82" in page  # the table address of a sheet
    assert "no row of years: a title page" in page  # the summary's title sheet, skipped
