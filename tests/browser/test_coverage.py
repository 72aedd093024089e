"""The coverage page as a reader sees it in the browser: it fits a phone and a desktop in kk, ru
and en, and its links open an indicator's coverage by region and Explore for an area."""

from __future__ import annotations

import pytest

from tests.browser.test_widths import OVERFLOWING
from tests.web.visible_text import english_words

ARAL = "433200000"
HEADING = {"kk": "Деректермен қамтылуы", "ru": "Покрытие данными", "en": "Data coverage"}
INDUSTRIAL_OUTPUT = {  # data/indicators: name_kk, name_ru, name_en of industrial_output
    "kk": "Өнеркәсіп өнімінің көлемі",
    "ru": "Объем промышленного производства",
    "en": "Industrial output",
}


@pytest.mark.parametrize("width", [390, 1440])
@pytest.mark.parametrize("lang", ["kk", "ru", "en"])
def test_the_coverage_page_fits_the_screen(page, lang, width):
    p = page.page
    p.set_viewport_size({"width": width, "height": 900})
    page.goto(f"/coverage?area={ARAL}&lang={lang}")
    p.wait_for_selector("#cov-indicator-table")
    p.wait_for_load_state("networkidle")
    assert p.inner_text("h1") == HEADING[lang]
    table = p.locator("#cov-indicator-table")
    assert table.get_by_role("link", name=INDUSTRIAL_OUTPUT[lang], exact=True).count() == 1
    scroll = p.evaluate("document.documentElement.scrollWidth")
    client = p.evaluate("document.documentElement.clientWidth")
    assert scroll <= client, (scroll, client, p.evaluate(OVERFLOWING))
    if lang == "kk":
        assert not english_words(p.inner_text("main"))
    page.shot(f"coverage-{lang}-{width}")
    assert page.blocked == [] and page.errors == []


def test_an_indicator_name_opens_its_coverage_by_region_and_an_area_link_opens_explore(page):
    p = page.page
    page.goto(f"/coverage?area={ARAL}&lang=ru")
    p.locator("#cov-indicator-table").get_by_role("link", name="Число школ", exact=True).click()
    p.wait_for_url("**indicator=schools**")
    heading = p.get_by_role("heading", name="Число школ: покрытие по регионам")
    heading.wait_for()
    p.wait_for_function("document.getElementById('cov-regions').getBoundingClientRect().top < 900")
    assert heading.is_visible()
    area_table = p.locator("#cov-area-table")
    area_table.get_by_role("link", name=INDUSTRIAL_OUTPUT["ru"], exact=True).click()
    p.wait_for_url(f"**/explore?indicator=industrial_output&area={ARAL}&lang=ru")
    p.wait_for_selector("#explore-heading")
    assert "Аральский район" in p.inner_text("#explore-heading")
