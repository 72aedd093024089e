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


MAP_TABLE = """() => Array.from(document.querySelectorAll('#map-table tbody tr'))
    .map(tr => ({cells: Array.from(tr.cells).map(td => td.textContent),
                 current: tr.getAttribute('aria-current')}))"""
MAP_DATA = """() => document.querySelector('#map-graph .js-plotly-plot').data
    .map(t => ({locations: t.locations, z: t.z, text: t.text, geo: !!t.geojson}))"""


def test_map_year_change_patches_the_map_and_reranks_the_table(page, boundaries, dash_app):
    from views import charts, map_table

    kazaly = "434400000"
    p = page.goto(
        f"/map?level=district&parent=430000000&indicator=population&area={kazaly}&lang=en"
    )
    p.wait_for_selector("#map-table tbody tr", timeout=20000)
    before = p.evaluate(MAP_TABLE)
    assert [r["current"] for r in before].count("true") == 1
    assert p.get_attribute("#map-table", "aria-labelledby") == "map-rank-heading"
    assert p.locator("#map-table thead th[scope=col]").count() == 4
    answers: list[str] = []
    p.on(
        "response",
        lambda r: answers.append(r.text()) if "_dash-update-component" in r.url else None,
    )
    year = int(p.get_attribute("#map-year [role=slider]", "aria-valuenow"))
    p.focus("#map-year [role=slider]")
    p.keyboard.press("ArrowLeft")
    p.wait_for_function(
        f"document.querySelector('#map-rank-heading').textContent.includes('{year - 1}')",
        timeout=20000,
    )
    p.wait_for_function(  # the map patched too: its hover text names the new year
        f"document.querySelector('#map-graph .js-plotly-plot').data[0].text[0]"
        f".includes('{year - 1}')",
        timeout=20000,
    )
    with dash_app.server.app_context():
        q = charts.map_query(
            {"level": "district", "parent": "430000000", "indicator": "population"}
            | {"year": str(year - 1), "area": kazaly, "lang": "en"}
        )
        rows = map_table.table_rows(q)
        names = charts.map_names(q)
        traces, _ = charts.map_parts(q)
    after = p.evaluate(MAP_TABLE)
    assert [r["cells"][1] for r in after] == [names[r[0]] for r in rows["rows"]]
    assert [r["cells"][2] for r in after if r["cells"][0] != "–"] == [
        r[2] for r in rows["rows"] if r[1] is not None
    ]
    assert [r["current"] for r in after].count("true") == 1
    drawn = p.evaluate(MAP_DATA)
    assert all(t["geo"] for t in drawn)  # the geometry is kept
    # the browser's patch gives the same map as the server draws for that year
    assert [t["text"] for t in drawn] == [t["text"] for t in traces]
    assert [t["z"] for t in drawn] == [t["z"] for t in traces]
    assert answers and not [a for a in answers if "coordinates" in a or "namespace" in a]
    p.locator("#map-table tbody a").first.click()
    p.wait_for_url(re.compile(r"/explore\?.*area=\d{9}.*lang=en"), timeout=20000)
    assert page.blocked == [] and page.errors == []


def test_map_table_in_russian_with_the_change_column(page, dash_app):
    from views import charts

    with dash_app.server.app_context():
        q = charts.map_query({"level": "district", "parent": "430000000", "lang": "ru"})
    if len(q.years) < 2:
        pytest.skip("the default indicator has one year only")
    p = page.goto(
        f"/map?level=district&parent=430000000&indicator={q.indicator}"
        f"&year={q.years[-1]}&since={q.years[0]}&lang=ru"
    )
    p.wait_for_selector("#map-table tbody tr", timeout=20000)
    heads = p.locator("#map-table thead th").all_inner_texts()
    assert heads[0] == "Место", heads
    assert len(heads) == 5 and str(q.years[0]) in heads[3], heads
    cells = p.evaluate(MAP_TABLE)
    assert {len(r["cells"]) for r in cells} == {5}
    assert p.locator("#map-table tbody a").first.get_attribute("href").endswith("lang=ru")
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
