"""The overview page, rendered through the Flask test client in each language."""

from __future__ import annotations

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
