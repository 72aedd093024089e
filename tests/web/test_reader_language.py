"""Every word in the reader's language: each page rendered in kk and ru shows no English word
outside proper names and codes (tests/web/visible_text.py), and its tab title is translated."""

from __future__ import annotations

import json

import pytest
from plotly.utils import PlotlyJSONEncoder

from tests.web.conftest import render
from tests.web.visible_text import english_words, html_strings, visible_strings
from views import shell

ARAL, KYZYLORDA = "433200000", "430000000"
PAGES = [
    ("/", f"area={ARAL}"),
    ("/explore", f"indicator=industrial_output&area={ARAL}&source=all"),
    ("/explore", f"indicator=nas_water_volume&area={ARAL}"),
    ("/explore", f"indicator=industrial_output&area={ARAL}&compare=433210000&mode=index"),
    ("/map", f"indicator=industrial_output&level=district&parent={KYZYLORDA}"),
    ("/map", "indicator=population&level=oblast"),
    ("/programs", ""),
    ("/changes", ""),
    ("/changes", "since=2000-01-01"),
    ("/about", ""),
    ("/decks", "deck=aral-default"),
]
TITLES = {
    "kk": "Арал өңірінің тұрақты даму көрсеткіштері",
    "ru": "Показатели устойчивого развития Приаралья",
}


def _plain(component: object) -> object:
    return json.loads(json.dumps(component, cls=PlotlyJSONEncoder))


@pytest.mark.parametrize("lang", ["kk", "ru"])
@pytest.mark.parametrize(("path", "query"), PAGES, ids=[f"{p}?{q}" for p, q in PAGES])
def test_page_has_no_english_words(client, path, query, lang):
    out = json.loads(render(client, path, f"?{query}&lang={lang}".replace("?&", "?")))
    content = out["response"]["_pages_content"]["children"]
    shown = list(visible_strings(content, lang))
    assert len(" ".join(shown)) > 200, "the page shows its content"
    assert english_words(shown) == set()
    title = out["response"]["_pages_store"]["data"]["title"]
    assert title.endswith(TITLES[lang]) and english_words([title]) == set()


@pytest.mark.parametrize("lang", ["kk", "ru"])
def test_header_and_footer_have_no_english_words(dash_app, lang):
    with dash_app.server.test_request_context(f"/?lang={lang}"):
        header, footer, *_ = shell.render_shell("/map", f"?lang={lang}")
    shown = list(visible_strings(_plain([header, footer]), lang))
    assert english_words(shown) == set()
    dropdown = json.dumps(_plain(header), ensure_ascii=False)
    assert '"search": "Іздеу"' in dropdown or '"search": "Поиск"' in dropdown
    assert f"/api/v1/docs?lang={lang}" in dropdown + json.dumps(_plain(footer))


def test_the_scanner_finds_english():
    """The check can fail: an untranslated label is found, a marked quotation is not."""
    tree = {
        "type": "Div",
        "namespace": "dash_html_components",
        "props": {
            "children": [
                "Отчёт акима района (2008) — annual mean",
                {"type": "Q", "props": {"children": "The volume has increased", "lang": "en"}},
                {"type": "Span", "props": {"children": "Kazinform, KATO 433200000, CC BY 4.0"}},
            ]
        },
    }
    assert english_words(list(visible_strings(tree, "ru"))) == {"annual", "mean"}


@pytest.mark.parametrize("lang", ["kk", "ru"])
def test_api_docs_in_the_readers_language(client, lang):
    resp = client.get(f"/api/v1/docs?lang={lang}")
    assert resp.status_code == 200
    page = resp.get_data(as_text=True)
    assert f'<html lang="{lang}">' in page
    shown = html_strings(page)
    assert english_words(shown) == set()
    assert client.get("/api/v1/docs?lang=de").status_code == 400
    assert '<html lang="en">' in client.get("/api/v1/docs?lang=en").get_data(as_text=True)


@pytest.mark.parametrize(
    ("query", "accept", "lang"),
    [
        ("?lang=kk", None, "kk"),
        ("?lang=ru", None, "ru"),
        ("?area=433200000&lang=en", None, "en"),
        ("", "ru-RU,ru;q=0.9", "ru"),
        ("/explore?lang=ru", "en", "ru"),
    ],
)
def test_the_html_says_the_readers_language_from_the_first_byte(client, query, accept, lang):
    path = query if query.startswith("/") else "/" + query
    headers = {"Accept-Language": accept} if accept else {}
    html = client.get(path, headers=headers).get_data(as_text=True)
    assert f'<html lang="{lang}">' in html[:200], html[:200]
