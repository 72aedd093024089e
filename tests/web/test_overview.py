"""The overview page, rendered through the Flask test client in each language."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.web.conftest import render, texts


@pytest.mark.parametrize(
    ("lang", "heading"),
    [
        ("kk", "Арал ауданы: көрсеткіштер мен мақсаттар"),
        ("ru", "Аральский район: показатели и цели"),
        ("en", "Aral district: indicators and targets"),
    ],
)
def test_overview_in_each_language(client, lang, heading):
    page = texts(render(client, "/", f"?lang={lang}"))
    assert heading in page
    assert "Traceback" not in page


def test_language_from_accept_language(client):
    page = texts(render(client, "/", "", accept_language="ru-RU,ru;q=0.9,en;q=0.5"))
    assert "Аральский район: показатели и цели" in page


def test_unknown_area_gives_a_friendly_message(client):
    page = texts(render(client, "/", "?area=999999999&lang=en"))
    assert "Area “999999999” was not found" in page


def test_area_by_name_and_other_areas(client):
    page = texts(render(client, "/", "?area=Kazaly&lang=en"))
    assert "Kazaly district: indicators and targets" in page


HEADLINES = [
    "industrial_output",
    "fish_fingerlings_released",
    "salt_extraction",
    "protected_area_share",
]


def _ids_in_order(node, out: list[str]) -> list[str]:
    """Every component id of a rendered layout, in document order."""
    if isinstance(node, dict):
        props = node.get("props")
        if isinstance(props, dict) and isinstance(props.get("id"), str):
            out.append(props["id"])
        for v in node.values():
            _ids_in_order(v, out)
    elif isinstance(node, list):
        for v in node:
            _ids_in_order(v, out)
    return out


@pytest.mark.parametrize(
    ("lang", "heading", "thin", "readings"),
    [
        ("kk", "Басты көрсеткіштер", "Қатар қысқа", "Барлық мәндер және дереккөздері"),
        ("ru", "Главные показатели", "Короткий ряд", "Все значения и источники"),
        ("en", "Headline indicators", "Thin series", "Every reading and its source"),
    ],
)
def test_aral_overview_opens_with_the_four_headline_indicators(
    client, lang, heading, thin, readings
):
    rendered = render(client, "/", f"?lang={lang}")
    ids = [i for i in _ids_in_order(json.loads(rendered), []) if i.startswith("card-")]
    assert ids[:4] == [f"card-{c}" for c in HEADLINES]
    assert len(ids) == len(set(ids)), "a headline card is repeated further down"
    page = texts(rendered)
    assert page.index(heading) < page.index("card-industrial_output")
    for code in HEADLINES:
        assert f'"headline-{code}"' in page
    # fingerlings: one year, from the seed thesis; every reading with its source
    assert thin in page and readings in page
    assert "kazmab.kz" in page  # the derived share's source, linked
    assert "NewTimes.kz" in page  # the salt readings of 2018-2019


def test_other_areas_have_no_headline_section(client):
    page = texts(render(client, "/", "?area=Kazaly&lang=en"))
    assert "Headline indicators" not in page and '"headline-' not in page


def test_the_default_deck_opens_with_the_headline_indicators():
    deck = json.loads(
        (Path(__file__).parents[2] / "data" / "decks" / "aral-default.json").read_text("utf-8")
    )
    first = deck["slides"][1:5]
    assert [s["params"]["indicator"] for s in first] == HEADLINES
    assert {s["params"]["area"] for s in first} == {"433200000"}
    for s in first:
        assert s["notes"] and s["translations"]["ru"]["notes"] and s["translations"]["en"]["notes"]
