"""The overview in a real browser, offline."""

from __future__ import annotations


def test_overview_renders_offline_in_russian(page):
    p = page.goto("/?lang=ru")
    p.wait_for_selector("text=Аральский район: показатели и цели", timeout=20000)
    assert p.evaluate("document.documentElement.lang") == "ru"
    page.shot("overview-ru")
    assert page.blocked == []
    assert page.errors == []
