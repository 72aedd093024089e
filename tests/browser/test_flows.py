"""Planner flows in a real browser, offline; screenshots of every page in every language."""

from __future__ import annotations

import re

import pytest

GRAPH_TRACES = """
sel => { const g = document.querySelector(sel + ' .js-plotly-plot');
         return g && g.data ? g.data.map(t => ({type: t.type || 'scatter',
             symbol: t.marker && t.marker.symbol, n: (t.locations || t.x || []).length,
             locations: t.locations || null})) : null; }
"""


def traces(p, graph_id: str):
    p.wait_for_function(
        f"document.querySelector('#{graph_id} .js-plotly-plot')"
        f" && document.querySelector('#{graph_id} .js-plotly-plot').data",
        timeout=20000,
    )
    return p.evaluate(GRAPH_TRACES, f"#{graph_id}")


def test_overview_card_to_explore_with_target_then_russian_and_reload(page):
    p = page.goto("/?lang=en")
    card = p.locator("#card-nas_water_volume")
    card.wait_for(timeout=20000)
    card.click()
    p.wait_for_url(re.compile(r"/explore\?.*indicator=nas_water_volume"), timeout=20000)
    assert any(t["symbol"] == "star" for t in traces(p, "explore-graph"))
    p.get_by_role("link", name="Русский").click()
    p.wait_for_url(re.compile(r"lang=ru"), timeout=20000)
    p.wait_for_selector("#explore-graph .js-plotly-plot", timeout=20000)
    url = p.url
    p.reload()
    p.wait_for_selector("#explore-graph .js-plotly-plot", timeout=20000)
    assert p.url == url
    assert "indicator=nas_water_volume" in url and "area=433200000" in url
    assert any(t["symbol"] == "star" for t in traces(p, "explore-graph"))
    assert p.evaluate("document.documentElement.lang") == "ru"
    page.shot("flow-explore-target-ru")
    assert page.blocked == [] and page.errors == []


def test_explore_mode_change_is_kept_in_the_url(page):
    p = page.goto("/explore?indicator=industrial_output&area=433200000&lang=en")
    p.wait_for_selector("#explore-graph .js-plotly-plot", timeout=20000)
    p.get_by_label("Index (first year = 100)").check()
    p.wait_for_url(re.compile(r"mode=index"), timeout=20000)
    p.reload()
    p.wait_for_selector("#explore-graph .js-plotly-plot", timeout=20000)
    assert p.get_by_label("Index (first year = 100)").is_checked()
    assert page.errors == []


def test_map_draws_kyzylorda_districts_offline_and_a_click_opens_explore(page, boundaries):
    p = page.goto("/map?level=district&parent=430000000&indicator=population&lang=en")
    found = traces(p, "map-graph")
    locations = {loc for t in found if t["locations"] for loc in t["locations"]}
    assert {"433200000", "434400000", "431000000"} <= locations
    assert len(locations) == 9
    p.wait_for_selector("#map-graph .choroplethlocation", timeout=20000)
    paths = p.locator("#map-graph .choroplethlocation")
    assert paths.count() >= 9
    box = paths.nth(0).bounding_box()
    p.mouse.click(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    p.wait_for_url(re.compile(r"/explore\?.*area=\d{9}"), timeout=20000)
    assert "indicator=population" in p.url
    assert page.blocked == []
    assert page.errors == []


PAGES = [
    ("overview", "/"),
    ("explore", "/explore?indicator=protected_area_share&area=000000000"),
    ("map", "/map?level=district&parent=430000000"),
    ("programs", "/programs"),
    ("about", "/about"),
]


@pytest.mark.parametrize("lang", ["kk", "ru", "en"])
@pytest.mark.parametrize(("name", "path"), PAGES)
def test_screenshot_of_each_page(page, name, path, lang, request):
    if name == "map":
        request.getfixturevalue("boundaries")  # the map's graph is drawn only with boundaries
    sep = "&" if "?" in path else "?"
    p = page.goto(f"{path}{sep}lang={lang}")
    p.wait_for_load_state("networkidle")
    if name in ("explore", "map"):
        p.wait_for_selector(f"#{name}-graph .js-plotly-plot .main-svg", timeout=20000)
    shot = page.shot(f"{name}-{lang}")
    assert shot.stat().st_size > 10_000
    assert p.evaluate("document.documentElement.lang") == lang
    assert page.blocked == [] and page.errors == []
