"""The coverage page and the namesake districts, as a reader sees them in the browser: the page
fits a phone and a desktop in kk, ru and en; the two Aktogay districts (Karaganda and Pavlodar
oblasts, KATO codes from data/areas.csv) are told apart in Explore's area picker, the map's
ranking and the district report."""

from __future__ import annotations

import io

import pytest

from tests.browser.test_widths import OVERFLOWING
from tests.web.visible_text import english_words

ARAL = "433200000"
AKTOGAY = {"353600000": "Karaganda", "553200000": "Pavlodar"}  # data/areas.csv
NAMESAKES = {
    "kk": ["Ақтоғай ауданы (Қарағанды облысы)", "Ақтоғай ауданы (Павлодар облысы)"],
    "ru": [
        "Актогайский район (Карагандинская область)",
        "Актогайский район (Павлодарская область)",
    ],
    "en": ["Aktogay district (Karagandy oblast)", "Aktogay district (Pavlodar oblast)"],
}
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


@pytest.mark.parametrize("lang", ["kk", "ru", "en"])
def test_the_explore_area_picker_tells_the_aktogay_districts_apart(page, lang):
    p = page.page
    page.goto(f"/explore?indicator=industrial_output&area=553200000&lang={lang}")
    p.wait_for_selector("#explore-heading")
    p.wait_for_load_state("networkidle")
    karaganda, pavlodar = NAMESAKES[lang]
    assert pavlodar in p.inner_text("#shell-area")  # the area shown
    assert pavlodar in p.inner_text("#explore-heading")
    p.click("#shell-area")
    p.keyboard.type(pavlodar.split()[0][:5])
    for name in (karaganda, pavlodar):
        assert p.get_by_role("option", name=name, exact=True).count() == 1, name
    p.get_by_role("option", name=karaganda, exact=True).click()
    p.wait_for_url("**area=353600000**")
    p.wait_for_selector("#explore-heading")
    assert karaganda in p.inner_text("#explore-heading")


@pytest.mark.parametrize("lang", ["kk", "ru", "en"])
def test_the_national_map_ranking_tells_the_aktogay_districts_apart(page, lang):
    p = page.page
    page.goto(f"/map?indicator=industrial_output&level=district&parent=all&lang={lang}")
    p.wait_for_selector("#map-table-box table", timeout=30000)
    ranking = p.inner_text("#map-table-box")
    for name in NAMESAKES[lang]:
        assert ranking.count(name) == 1, name
    assert page.errors == []


@pytest.mark.parametrize("lang", ["kk", "ru", "en"])
def test_the_report_names_the_oblast_of_each_aktogay_district(page, lang):
    docx = pytest.importorskip("docx")
    karaganda, pavlodar = NAMESAKES[lang]
    for kato, name in (("353600000", karaganda), ("553200000", pavlodar)):
        resp = page.page.request.get(f"{page.base}/report?area={kato}&lang={lang}&format=docx")
        assert resp.status == 200, resp.text()
        doc = docx.Document(io.BytesIO(resp.body()))
        assert doc.paragraphs[0].text.startswith(name + ":"), doc.paragraphs[0].text
