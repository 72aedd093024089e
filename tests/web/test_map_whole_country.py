"""The map's "whole country" choice on the district level: every district at once."""

from __future__ import annotations

from tests.web.conftest import callback
from tests.web.test_map import (
    NOTHING_DRAWN,
    PLAIN_OPTIONS,
    VIEW_OUTPUT,
    VIEW_OUTPUTS,
    figure,
    find,
    page,
    with_boundaries,
)

KOSTANAY = "390000000"
ARAL, AKKOL = "433200000", "113200000"  # Aral (Kyzylorda), a district of Akmola
__all__ = ["with_boundaries"]


def _no_data(fig: dict) -> set[str]:
    return {loc for tr in fig["data"] if tr.get("showscale") is False for loc in tr["locations"]}


def _with_data(fig: dict) -> set[str]:
    return {
        loc for tr in fig["data"] if tr.get("showscale") is not False for loc in tr["locations"]
    }


def test_whole_country_page_shows_districts_of_several_oblasts(client, with_boundaries):
    rendered = page(client, "?level=district&parent=all&indicator=employed&year=2023&lang=ru")
    fig = figure(rendered)
    shown = _with_data(fig)
    assert ARAL not in _no_data(fig)
    regions = {k[:2] for k in shown}
    assert len(regions) >= 8, regions  # districts of many oblasts at once
    assert AKKOL in shown
    # Kostanay's districts have no `employed` (thousand) figures: drawn as "no data"
    kostanay = {k for k in _no_data(fig) if k.startswith("39")}
    assert kostanay and not {k for k in shown if k.startswith("39")}
    options = find(rendered, "map-parent")["props"]["options"]
    assert options[0] == {"label": "Вся страна (все районы)", "value": "all"}
    assert find(rendered, "map-parent")["props"]["value"] == "all"


def test_whole_country_callback_and_url(client, with_boundaries):
    out = callback(
        client,
        VIEW_OUTPUT,
        VIEW_OUTPUTS,
        [
            {"id": "map-year", "property": "value", "value": 2023},
            {"id": "map-indicator", "property": "value", "value": "employed"},
            {"id": "map-level", "property": "value", "value": "district"},
            {"id": "map-parent", "property": "value", "value": "all"},
            *PLAIN_OPTIONS,
        ],
        state=[{"id": "map-state", "property": "data", "value": {"lang": "en"}}, NOTHING_DRAWN],
    )
    resp = out["response"]
    assert "parent=all" in resp["map-url"]["data"]
    assert "Whole country" in resp["map-caption"]["children"]
    fig = resp["map-graph"]["figure"]
    assert len({k[:2] for k in _with_data(fig)}) >= 8
    # each district's geometry is sent once: the traces' GeoJSON features are disjoint
    ids = [f["id"] for tr in fig["data"] if tr.get("geojson") for f in tr["geojson"]["features"]]
    assert len(ids) == len(set(ids)) > 150


def test_whole_country_map_data_download(client):
    resp = client.get(
        "/download/map-data.csv?indicator=employed&level=district&parent=all&year=2023&lang=en"
    )
    assert resp.status_code == 200, resp.data[:300]
    body = resp.data.decode("utf-8-sig")
    areas = [line.split(",")[1] for line in body.splitlines()[1:] if line]
    assert ARAL in areas and AKKOL in areas
    assert len({a[:2] for a in areas}) >= 8  # districts of many oblasts
    assert not [a for a in areas if a.startswith("39")]  # Kostanay: no data, no rows
    bad = client.get("/download/map-data.csv?indicator=employed&level=district&parent=nowhere")
    assert 400 <= bad.status_code < 500
