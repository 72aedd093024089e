"""The Content-Security-Policy: every page still renders, and the browser reports no violation."""

from __future__ import annotations

import json

import pytest

from store import deck_database

ARAL = "433200000"


@pytest.fixture(autouse=True)
def deck_db(tmp_path, monkeypatch):
    url = f"sqlite:///{tmp_path / 'decks.db'}"
    monkeypatch.setenv("DECKS_DATABASE_URL", url)
    deck_database.use(url)
    yield url
    deck_database.dispose()


WATCH = """
window.__csp = [];
document.addEventListener("securitypolicyviolation", (e) => {
    window.__csp.push(`${e.violatedDirective} ${e.blockedURI} ${e.sourceFile}:${e.lineNumber}`);
});
"""
DASH_PAGES = [
    ("/", ".card"),
    (f"/explore?indicator=industrial_output&area={ARAL}", "#explore-graph .main-svg"),
    ("/map?indicator=population&level=oblast", "#map-graph .main-svg"),
    # the ranked table is drawn by a clientside callback: it runs under the policy
    ("/map?indicator=population&level=district", "#map-table tbody tr"),
    ("/programs", "table"),
    ("/changes", "#ch-form"),
    ("/about", "table"),
    (f"/coverage?area={ARAL}&indicator=schools#cov-regions", "#cov-region-table"),
    ("/decks?deck=aral-default", "#dk-body li"),
]
PLAIN_PAGES = [
    (f"/embed/explore?indicator=industrial_output&area={ARAL}", "#chart .main-svg"),
    ("/embed/map?indicator=industrial_output", "#chart .main-svg"),
    ("/present?deck=aral-default", ".slide"),
    ("/api/v1/docs", "h1"),
]


@pytest.mark.parametrize(("path", "drawn"), DASH_PAGES + PLAIN_PAGES)
def test_pages_render_under_the_policy(strict_page, path, drawn):
    page = strict_page
    p = page.page
    p.add_init_script(WATCH)
    console: list[str] = []
    p.on("console", lambda m: console.append(m.text))
    resp = p.goto(page.base + path)
    assert resp is not None and resp.status == 200
    policy = resp.headers["content-security-policy"]
    assert "script-src 'self'" in policy and "'unsafe-inline'" not in policy.split("style-src")[0]
    p.wait_for_selector(drawn, timeout=30000)
    p.wait_for_timeout(500)
    violations = p.evaluate("window.__csp")
    assert violations == [], violations
    assert not [c for c in console if "Content Security Policy" in c], console
    assert page.errors == [] and page.blocked == []


def test_an_editor_write_carries_the_csrf_token(strict_page):
    page = strict_page
    """The editor's buttons work in a real browser: Dash sends X-CSRFToken from the cookie."""
    p = page.page
    p.add_init_script(WATCH)
    page.goto("/decks?lang=en")
    assert any(c["name"] == "_csrf_token" for c in p.context.cookies())
    field = json.dumps({"name": "new-title", "slide": 0, "type": "dk-field"}, separators=(",", ":"))
    p.locator(f"[id='{field}']").fill("CSP check")
    p.click('[data-control="create"]')
    p.wait_for_selector("#dk-editor-heading", timeout=20000)
    assert "CSP check" in p.inner_text("#dk-body")
    assert p.evaluate("window.__csp") == []
