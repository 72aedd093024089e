"""A year change on the map sends only the values (a Dash Patch, no geometry); the year the
map already shows sends nothing; another indicator still sends the whole figure."""

from __future__ import annotations

import json

import pytest

from tests.web.conftest import callback
from tests.web.test_map import (
    KYZYLORDA,
    PLAIN_OPTIONS,
    VIEW_OUTPUT,
    VIEW_OUTPUTS,
    find,
    page,
    with_boundaries,  # noqa: F401 - fixture
)


def view(client, year: int, indicator: str, drawn: dict | None):
    """The on_view callback's answer for a state of Kyzylorda's districts (the response)."""
    payload_inputs = [
        {"id": "map-year", "property": "value", "value": year},
        {"id": "map-indicator", "property": "value", "value": indicator},
        {"id": "map-level", "property": "value", "value": "district"},
        {"id": "map-parent", "property": "value", "value": KYZYLORDA},
        *PLAIN_OPTIONS,
    ]
    state = [
        {"id": "map-state", "property": "data", "value": {"lang": "en"}},
        {"id": "map-drawn", "property": "data", "value": drawn},
    ]
    payload = {
        "output": VIEW_OUTPUT,
        "outputs": VIEW_OUTPUTS,
        "inputs": payload_inputs,
        "state": state,
        "changedPropIds": ["map-year.value"],
    }
    return client.post(
        "/_dash-update-component", data=json.dumps(payload), content_type="application/json"
    )


@pytest.fixture(scope="module")
def drawn_map(client, with_boundaries):  # noqa: F811
    """The page as first rendered: its indicator, year, the years with the same boundaries
    as that year's, and the map-drawn state it holds."""
    rendered = page(client, f"?level=district&parent={KYZYLORDA}&lang=en")
    indicator = find(rendered, "map-indicator")["props"]["value"]
    year = find(rendered, "map-year")["props"]["value"]
    drawn = find(rendered, "map-drawn")["props"]["data"]
    fig = find(rendered, "map-graph")["props"]["figure"]
    return indicator, year, drawn, fig


def test_the_first_render_holds_what_it_draws(drawn_map):
    indicator, year, drawn, fig = drawn_map
    assert drawn["year"] == year and drawn["key"][0] == indicator
    assert all("geojson" in trace for trace in fig["data"])


def test_a_year_change_is_a_patch_without_geometry(client, drawn_map):
    indicator, year, drawn, full = drawn_map
    patched = None
    for other in range(year - 1, year - 4, -1):  # a year with the same shapes drawn
        r = view(client, other, indicator, drawn)
        assert r.status_code == 200
        out = r.get_json()["response"]
        if out["map-graph"]["figure"].get("__dash_patch_update"):
            patched = out
            break
    if patched is None:
        pytest.skip("no earlier year of the default indicator draws the same shapes")
    patch = patched["map-graph"]["figure"]
    text = json.dumps(patch)
    paths = {tuple(op["location"]) for op in patch["operations"]}
    assert not [p for p in paths if p[-1] in ("geojson", "locations", "featureidkey")], paths
    assert '"coordinates"' not in text and '"geojson"' not in text
    assert len(text) < len(json.dumps(full)) / 3
    assert ("data", 0, "z") in paths and ("data", 0, "text") in paths
    assert patched["map-drawn"]["data"]["year"] == other
    assert str(other) in patched["map-caption"]["children"]
    assert f"year={other}" in patched["map-url"]["data"]


def test_the_same_year_again_sends_no_update(client, drawn_map):
    indicator, year, drawn, _ = drawn_map
    r = view(client, year, indicator, drawn)
    assert r.status_code == 204 and r.get_data() == b""


def test_without_a_drawn_map_the_whole_figure_is_sent(client, drawn_map):
    indicator, year, _, _ = drawn_map
    out = view(client, year, indicator, None).get_json()["response"]
    assert "geojson" in out["map-graph"]["figure"]["data"][0]


def test_another_indicator_sends_the_whole_figure(client, drawn_map):
    _, year, drawn, _ = drawn_map
    other = dict(drawn, key=["population_total_other", *drawn["key"][1:]])
    out = callback(
        client,
        VIEW_OUTPUT,
        VIEW_OUTPUTS,
        [
            {"id": "map-year", "property": "value", "value": year},
            {"id": "map-indicator", "property": "value", "value": drawn["key"][0]},
            {"id": "map-level", "property": "value", "value": "district"},
            {"id": "map-parent", "property": "value", "value": KYZYLORDA},
            *PLAIN_OPTIONS,
        ],
        state=[
            {"id": "map-state", "property": "data", "value": {"lang": "en"}},
            {"id": "map-drawn", "property": "data", "value": other},
        ],
    )["response"]
    assert "geojson" in out["map-graph"]["figure"]["data"][0]
