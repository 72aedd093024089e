"""Nothing leaves the server: no chart offers Plotly's cloud buttons ("Edit in Chart Studio",
"Share chart"), and pressing every toolbar button sends no request beyond 127.0.0.1."""

from __future__ import annotations

import pytest

ARAL, KYZYLORDA = "433200000", "430000000"
CHARTS = [
    f"/explore?indicator=industrial_output&area={ARAL}&lang=ru",
    f"/map?indicator=population&level=district&parent={KYZYLORDA}&lang=kk",
    f"/embed/explore?indicator=industrial_output&area={ARAL}&lang=en",
    f"/embed/map?indicator=population&level=district&parent={KYZYLORDA}&lang=ru",
]
CLOUD_WORDS = ("chart studio", "cloud", "share", "edit chart", "plotly")


@pytest.mark.parametrize("path", CHARTS)
def test_no_cloud_button_and_every_toolbar_button_stays_local(page, path):
    p = page.page
    p.goto(page.base + path)
    p.wait_for_selector(".js-plotly-plot .main-svg", timeout=20000)
    p.hover(".js-plotly-plot")
    p.wait_for_selector(".modebar-btn", state="attached", timeout=10000)
    buttons = p.locator(".modebar-btn")
    titles = [buttons.nth(i).get_attribute("data-title") or "" for i in range(buttons.count())]
    assert titles, "the chart has a toolbar"
    assert not [t for t in titles if any(w in t.lower() for w in CLOUD_WORDS)], titles
    assert p.locator("a.modebar-btn[href], .js-plotly-plot a[href*='plot']").count() == 0
    for i in range(buttons.count()):
        p.hover(".js-plotly-plot")
        button = buttons.nth(i)
        if button.is_visible():
            button.click()
            p.wait_for_timeout(300)
    assert page.blocked == [] and page.errors == []


def test_decks_render_charts_without_a_toolbar(page):
    p = page.page
    p.goto(page.base + "/present?deck=aral-default&slide=2&lang=ru")
    p.wait_for_selector(".js-plotly-plot .main-svg", timeout=20000)
    assert p.locator(".modebar-btn").count() == 0
    config = p.evaluate("document.querySelector('.js-plotly-plot')._context")
    assert config["showSendToCloud"] is False
    assert config["plotlyServerURL"] == ""
    assert page.blocked == [] and page.errors == []
