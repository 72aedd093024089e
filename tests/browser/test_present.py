"""Presenting a deck in a real browser, offline: keys, presenter view, export, PDF, screenshots."""

from __future__ import annotations

import json
import re
import time

import pytest
from sqlalchemy import select, update

from store import deck_database, deck_freeze, deck_tables, decks
from tests.browser.conftest import ARTIFACTS, OfflinePage

DECK = "aral-default"
READY = "window.deckReady === true"
KYZYLORDA = [
    "431000000",
    "431900000",
    "433200000",
    "433600000",
    "434000000",
    "434400000",
    "434600000",
    "434800000",
    "435200000",
]


@pytest.fixture(autouse=True)
def deck_db(tmp_path, monkeypatch):
    url = f"sqlite:///{tmp_path / 'decks.db'}"
    monkeypatch.setenv("DECKS_DATABASE_URL", url)
    deck_database.use(url)
    yield url
    deck_database.dispose()


def open_deck(p, base: str, query: str):
    p.goto(f"{base}/present?{query}")
    p.wait_for_function(READY, timeout=30000)
    return p


def current(p) -> int:
    return p.evaluate("Number(document.querySelector('.slide.current').dataset.index) + 1")


def test_keys_move_the_slides_and_the_url_follows(page, live_server):
    p = open_deck(page.page, live_server, f"deck={DECK}&lang=en")
    assert current(p) == 1
    steps = [
        ("ArrowRight", 2),
        ("PageDown", 3),
        ("ArrowLeft", 2),
        ("PageUp", 1),
        ("PageUp", 1),
        ("End", 11),
        ("ArrowRight", 11),
        ("Home", 1),
        ("Space", 2),
    ]
    for key, n in steps:
        p.keyboard.press(key)
        assert current(p) == n, key
        assert re.search(rf"[?&]slide={n}(&|$)", p.url), (key, p.url)
        assert p.locator(".slide.current .slide-no").inner_text() == f"{n} / 11"
        assert (
            p.locator(".slide.current .deck-title").inner_text()
            == "Aral district: sustainability indicators"
        )
    p.reload()
    p.wait_for_function(READY, timeout=30000)
    assert current(p) == 2  # the URL reopens the slide
    p.keyboard.press("f")
    p.wait_for_function("document.fullscreenElement !== null", timeout=5000)
    p.keyboard.press("Escape")
    p.wait_for_function("document.fullscreenElement === null", timeout=5000)
    p.keyboard.press("b")
    assert p.locator("#blackout").is_visible()
    p.keyboard.press("Escape")
    assert not p.locator("#blackout").is_visible()
    p.keyboard.press("?")
    assert p.locator("#help").is_visible() and "PageDown" in p.locator("#help").inner_text()
    p.keyboard.press("Escape")
    assert not p.locator("#help").is_visible()
    assert page.blocked == [] and page.errors == []


def test_type_is_large_on_a_1080p_screen(browser, live_server):
    context = browser.new_context(viewport={"width": 1920, "height": 1080}, bypass_csp=True)
    page = OfflinePage(context.new_page(), live_server)
    p = open_deck(page.page, live_server, f"deck={DECK}&lang=kk")
    sizes = p.evaluate("""() => {
        const out = {};
        for (const s of document.querySelectorAll('.slide')) {
            for (const el of s.querySelectorAll(
                    '.slide-body p, .slide-body li, .slide-body dd, .slide-body dt')) {
                if (!el.textContent.trim()) continue;
                const px = parseFloat(getComputedStyle(el).fontSize);
                const scale = document.querySelector('.deck').getBoundingClientRect().width / 1920;
                out[el.textContent.trim().slice(0, 40)] = px * scale;
            }
            const h = s.querySelector('.slide-title');
            out['title:' + h.textContent.slice(0, 30)] = parseFloat(getComputedStyle(h).fontSize);
        }
        return out;
    }""")
    body = {k: v for k, v in sizes.items() if not k.startswith("title:")}
    titles = {k: v for k, v in sizes.items() if k.startswith("title:")}
    assert body and min(body.values()) >= 28, sorted(body.items(), key=lambda kv: kv[1])[:3]
    assert min(titles.values()) >= 56
    assert page.blocked == [] and page.errors == []
    context.close()


def test_the_presenter_view_follows_the_audience_and_leads_it(browser, live_server):
    context = browser.new_context(viewport={"width": 1366, "height": 800}, bypass_csp=True)
    audience = OfflinePage(context.new_page(), live_server)
    presenter = OfflinePage(context.new_page(), live_server)
    a = open_deck(audience.page, live_server, f"deck={DECK}&lang=en")
    presenter.page.goto(f"{live_server}/present/notes?deck={DECK}&lang=en")
    s = presenter.page
    s.wait_for_function(READY, timeout=30000)
    assert s.locator(".presenter-notes").inner_text().count("Welcome") == 1
    assert "Next slide" in s.locator(".presenter-next").inner_text()
    assert re.fullmatch(r"\d+:\d\d", s.locator(".presenter-timer .time").first.inner_text())
    a.bring_to_front()
    a.keyboard.press("ArrowRight")
    s.wait_for_function("window.deck.current() === 1", timeout=5000)
    assert "akim's report" in s.locator(".presenter-notes").inner_text()
    assert s.locator(".presenter-next .slide .slide-no").inner_text() == "3 / 11"
    s.screenshot(path=str(_artifact("present-presenter-en.png")))
    s.bring_to_front()
    s.keyboard.press("PageDown")
    a.wait_for_function("window.deck.current() === 2", timeout=5000)
    assert "slide=3" in a.url
    s.keyboard.press("End")
    a.wait_for_function("window.deck.current() === 10", timeout=5000)
    assert s.locator(".presenter-next").inner_text().count("End of the presentation") == 1
    assert audience.blocked == presenter.blocked == []
    assert audience.errors == presenter.errors == []
    context.close()


def _with_map_boundaries(slug: str) -> None:
    """Freeze ``slug`` and give its map slide square boundaries (the test database is
    built without ../shared/geo), so the export must draw a choropleth with no network."""
    deck_freeze.freeze(slug)
    with deck_database.engine().begin() as conn:
        snap = conn.execute(
            select(deck_tables.decks.c.snapshot).where(deck_tables.decks.c.slug == slug)
        ).scalar()
        for data in snap["slides"].values():
            if "boundaries" in data:
                data["boundaries"] = [
                    {
                        "area": k,
                        "geojson": json.dumps(
                            {
                                "type": "Polygon",
                                "coordinates": [
                                    [
                                        [60 + i, 45],
                                        [61 + i, 45],
                                        [61 + i, 46],
                                        [60 + i, 46],
                                        [60 + i, 45],
                                    ]
                                ],
                            }
                        ),
                    }
                    for i, k in enumerate(KYZYLORDA)
                ]
        conn.execute(
            update(deck_tables.decks).where(deck_tables.decks.c.slug == slug).values(snapshot=snap)
        )


def test_the_exported_file_presents_with_no_network(browser, dash_app, tmp_path):
    client = dash_app.server.test_client()
    with dash_app.server.app_context():
        decks.create_deck({**decks.export_deck(DECK), "slug": "aral-map"}, check_refs=False)
        _with_map_boundaries("aral-map")
    resp = client.get("/present/export.html?deck=aral-map&lang=en")
    assert resp.status_code == 200
    path = tmp_path / "aral-map-en.html"
    path.write_bytes(resp.data)

    context = browser.new_context(
        viewport={"width": 1600, "height": 900}, offline=True, bypass_csp=True
    )
    requests: list[str] = []

    def route(r):
        if not r.request.url.startswith(("file:", "data:")):
            requests.append(r.request.url)
            return r.abort()
        return r.continue_()

    context.route("**/*", route)
    p = context.new_page()
    errors: list[str] = []
    p.on("pageerror", lambda e: errors.append(str(e)))
    p.goto(path.as_uri())
    p.wait_for_function(READY, timeout=30000)
    figures = p.evaluate("""() => [...document.querySelectorAll('.slide')].map(s => {
        const f = s.querySelector('.figure');
        return f ? {svg: !!f.querySelector('.main-svg'), error: f.dataset.error || null,
                    geo: !!f.querySelector('.geo .choroplethlocation')} : null; })""")
    assert len(figures) == 11
    drawn = [f for f in figures if f]
    assert len(drawn) == 8 and all(f["svg"] and not f["error"] for f in drawn), figures
    assert figures[7]["geo"], "the map slide draws its areas offline"
    assert p.locator(".slide.current .slide-no").inner_text() == "1 / 11"
    for key, n in [("ArrowRight", 2), ("PageDown", 3), ("End", 11), ("PageUp", 10), ("Home", 1)]:
        p.keyboard.press(key)
        assert current(p) == n, key
        assert p.evaluate("location.hash") == f"#slide={n}"
    assert "Data as of" in p.locator(".slide.current .as-of").inner_text()
    p.goto(path.as_uri() + "#slide=6")
    p.wait_for_function(READY, timeout=30000)
    assert current(p) == 6
    assert requests == [] and errors == []
    context.close()


def fetch_pdf(client, url: str, rounds: int = 600):
    """GET a deck's PDF as a browser does: while it is being made (202), wait and ask again."""
    for _ in range(rounds):
        resp = client.get(url)
        if resp.status_code != 202:
            return resp
        assert int(resp.headers["Retry-After"]) > 0
        time.sleep(0.25)
    raise AssertionError(f"{url} was still being made after {rounds} tries")


def test_the_pdf_has_one_page_per_slide(dash_app):
    client = dash_app.server.test_client()
    url = f"/present/export.pdf?deck={DECK}&lang=ru"
    first = client.get(url)
    assert first.status_code == 202, first.get_data(as_text=True)[:500]
    assert 'http-equiv="refresh"' in first.get_data(as_text=True)
    resp = fetch_pdf(client, url)
    assert resp.status_code == 200, resp.get_data(as_text=True)[:500]
    assert resp.mimetype == "application/pdf" and resp.data.startswith(b"%PDF")
    pages = re.findall(rb"/Type\s*/Page(?![a-zA-Z])", resp.data)
    assert len(pages) == 11
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    (ARTIFACTS / f"present-{DECK}-ru.pdf").write_bytes(resp.data)
    again = client.get(url)  # the same deck and data: the same file, at once
    assert again.status_code == 200 and again.data == resp.data


def test_a_full_pdf_pool_answers_503_with_retry_after(dash_app, monkeypatch):
    monkeypatch.setenv("PDF_WORKERS", "1")
    monkeypatch.setenv("PDF_QUEUE", "0")
    client = dash_app.server.test_client()
    urls = [
        f"/present/export.pdf?deck={DECK}&lang={lang}&slide={n}"
        for lang, n in [("kk", 2), ("en", 3)]
    ]
    assert client.get(urls[0]).status_code == 202
    busy = client.get(urls[1])
    assert busy.status_code == 503 and int(busy.headers["Retry-After"]) > 0
    assert "busy making other PDFs" in busy.get_data(as_text=True)
    assert client.get(urls[0]).status_code == 202  # the first is still being made
    assert fetch_pdf(client, urls[0]).status_code == 200
    assert fetch_pdf(client, urls[1]).status_code == 200  # room again


@pytest.mark.parametrize("lang", ["kk", "ru"])
def test_screenshots_of_the_deck(browser, live_server, lang):
    context = browser.new_context(viewport={"width": 1920, "height": 1080}, bypass_csp=True)
    page = OfflinePage(context.new_page(), live_server)
    p = open_deck(page.page, live_server, f"deck={DECK}&lang={lang}")
    assert p.evaluate("document.documentElement.lang") == lang
    for n in range(1, 9):
        assert current(p) == n
        p.screenshot(path=str(_artifact(f"present-{lang}-{n}.png")))
        p.keyboard.press("ArrowRight")
    assert page.blocked == [] and page.errors == []
    context.close()


def _artifact(name: str):
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    return ARTIFACTS / name
