"""The pages draw with the partial plotly.js bundle from assets/plotly (offline): the map and
the Explore chart render, Plotly has only the bundle's trace types, plotly.py's full
plotly.min.js is never fetched, and a bar chart (the decks' trace type) draws too."""

from __future__ import annotations

import pytest

ARAL, KYZYLORDA = "433200000", "430000000"
PAGES = [
    f"/explore?indicator=industrial_output&area={ARAL}&lang=en",
    f"/map?indicator=population&level=district&parent={KYZYLORDA}&lang=en",
]
TRACES = ["bar", "choropleth", "scatter", "scattergeo"]


@pytest.mark.parametrize("path", PAGES)
def test_charts_render_with_the_partial_bundle(page, path):
    p = page.page
    fetched: list[str] = []
    p.on("request", lambda r: fetched.append(r.url))
    p.goto(page.base + path)
    p.wait_for_selector(".js-plotly-plot .main-svg", timeout=30000)
    drawn = ".js-plotly-plot .choroplethlayer path" if "/map" in path else ".scatterlayer path"
    p.wait_for_selector(drawn, state="attached", timeout=20000)
    assert p.locator(drawn).count() > 0
    assert sorted(p.evaluate("Object.keys(Plotly.PlotSchema.get().traces)")) == TRACES
    assert [u for u in fetched if "/assets/plotly/plotly-" in u]
    assert not [u for u in fetched if "plotly.min.js" in u], fetched
    assert page.blocked == [] and page.errors == []


def test_a_bar_chart_draws_with_the_bundle(page):
    p = page.page
    p.goto(page.base + "/explore?lang=en")
    p.wait_for_function("window.Plotly !== undefined", timeout=30000)
    p.evaluate(
        """() => {
            const div = document.createElement('div');
            div.id = 'bar-check';
            document.body.appendChild(div);
            return Plotly.newPlot(div, [{type: 'bar', x: ['a', 'b'], y: [1, 2]}]);
        }"""
    )
    assert p.locator("#bar-check .barlayer .point").count() == 2
    assert page.errors == []
