"""The two Aktogay districts (KATO 353600000 in Karaganda oblast, 553200000 in Pavlodar oblast:
data/areas.csv) as a reader sees them in the browser, in kk, ru and en: told apart by their
oblast in Explore's area picker, the national map's ranking and the district report."""

from __future__ import annotations

import io

import pytest

NAMESAKES = {
    "kk": ["Ақтоғай ауданы (Қарағанды облысы)", "Ақтоғай ауданы (Павлодар облысы)"],
    "ru": [
        "Актогайский район (Карагандинская область)",
        "Актогайский район (Павлодарская область)",
    ],
    "en": ["Aktogay district (Karagandy oblast)", "Aktogay district (Pavlodar oblast)"],
}


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
    # every district of the country: the heaviest map, given a minute on a busy machine
    p.goto(f"{page.base}/map?indicator=industrial_output&level=district&parent=all&lang={lang}")
    p.wait_for_selector("#map-table-box table", timeout=60000)
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
