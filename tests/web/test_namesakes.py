"""The two Aktogay districts (KATO 353600000 in Karaganda oblast and 553200000 in Pavlodar
oblast, data/areas.csv) are told apart by their oblast wherever a page names them: a slide, the
Changes page's area list, the Overview's heading and Explore's chart and export."""

from __future__ import annotations

import html
import json

import pytest

from store import deck_database
from tests.web.conftest import render, texts

KARAGANDA, PAVLODAR = "353600000", "553200000"
NAMES = {
    "kk": ("Ақтоғай ауданы (Қарағанды облысы)", "Ақтоғай ауданы (Павлодар облысы)"),
    "ru": (
        "Актогайский район (Карагандинская область)",
        "Актогайский район (Павлодарская область)",
    ),
    "en": ("Aktogay district (Karagandy oblast)", "Aktogay district (Pavlodar oblast)"),
}
UNIQUE = {"kk": "Арал ауданы", "ru": "Аральский район", "en": "Aral district"}


@pytest.fixture
def deck_db(tmp_path, monkeypatch, dash_app):
    url = f"sqlite:///{tmp_path / 'decks.db'}"
    monkeypatch.setenv("DECKS_DATABASE_URL", url)
    deck_database.use(url)
    with dash_app.server.app_context():
        yield url
    deck_database.dispose()


@pytest.mark.parametrize("lang", ["kk", "ru", "en"])
def test_a_chart_slide_of_both_aktogay_districts_names_their_oblasts(client, deck_db, lang):
    slide = {
        "kind": "chart",
        "params": {"indicator": "industrial_output", "area": KARAGANDA, "compare": [PAVLODAR]},
    }
    resp = client.post("/present/api/decks", json={"title": "Aktogay", "lang": lang})
    assert resp.status_code == 201, resp.get_json()
    slug = resp.get_json()["slug"]
    assert client.post(f"/present/api/decks/{slug}/slides", json=slide).status_code == 201
    page = html.unescape(client.get(f"/present?deck={slug}&lang={lang}").get_data(as_text=True))
    for name in NAMES[lang]:
        assert name in page, name


@pytest.mark.parametrize("lang", ["kk", "ru", "en"])
def test_the_changes_page_lists_both_aktogay_districts_apart(client, lang):
    page = texts(render(client, "/changes", f"?lang={lang}"))
    for name in NAMES[lang]:
        assert page.count(f'"{name}"') == 1, name
    assert f'"{UNIQUE[lang]}"' in page  # a unique name stays alone


@pytest.mark.parametrize("lang", ["kk", "ru", "en"])
def test_the_overview_heading_and_explore_legend_name_the_oblast(client, lang):
    pavlodar = NAMES[lang][1]
    overview = texts(render(client, "/", f"?area={PAVLODAR}&lang={lang}"))
    assert pavlodar in overview
    explore = json.loads(
        render(
            client,
            "/explore",
            f"?indicator=industrial_output&area={PAVLODAR}&compare={KARAGANDA}&lang={lang}",
        )
    )
    figure = json.dumps(explore, ensure_ascii=False)
    for name in NAMES[lang]:
        assert f'"name": "{name}"' in figure, name  # a legend entry per district


def test_the_explore_download_names_each_aktogay_district_with_its_oblast(client):
    resp = client.get(
        f"/download/data.json?indicator=industrial_output&area={PAVLODAR}"
        f"&compare={KARAGANDA}&lang=ru"
    )
    assert resp.status_code == 200
    body = json.dumps(resp.get_json(), ensure_ascii=False)
    for name in NAMES["ru"]:
        assert name in body, name
