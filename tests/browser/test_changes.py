"""/changes in a browser: its form opens the URL of the view it asks for."""

from __future__ import annotations

from urllib.parse import parse_qs, urlparse


def test_the_form_opens_the_changes_since_a_date(page):
    p = page.goto("/changes?lang=en")
    p.wait_for_selector("#ch-form")
    p.fill("#ch-since", "2000-01-01")
    p.select_option("#ch-form select[name=indicator]", "industrial_output")
    with p.expect_navigation():
        p.click("#ch-form button[type=submit]")
    p.wait_for_selector("#ch-count")
    query = parse_qs(urlparse(p.url).query)
    assert query["since"] == ["2000-01-01"] and query["indicator"] == ["industrial_output"]
    assert query["lang"] == ["en"]
    assert "Figures changed since 1 January 2000" in p.inner_text("#main")
    assert page.errors == [] and page.blocked == []
