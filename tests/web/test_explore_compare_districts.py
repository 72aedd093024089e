"""Explore compares Aral district with a district of another oblast."""

from __future__ import annotations

from tests.web.test_explore import ARAL, area_traces, call, find, page

AKKOL = "113200000"  # Akkol district, Akmola oblast


def test_compare_picker_lists_the_districts_of_every_oblast(client):
    tree = page(client, f"?indicator=employed&area={ARAL}&lang=en")
    options = find(tree, "explore-compare")["props"]["options"]
    codes = {o["value"] for o in options}
    assert AKKOL in codes and ARAL not in codes
    districts = {c for c in codes if c[2:4] != "00" and c != "000000000"}
    assert len(districts) > 150
    assert len({c[:2] for c in districts}) >= 17  # every oblast and republican city


def test_aral_compared_with_a_district_of_akmola(client):
    tree = page(client, f"?indicator=employed&area={ARAL}&compare={AKKOL}&lang=en")
    names = {tr["name"] for tr in area_traces(find(tree, "explore-graph")["props"]["figure"])}
    assert {"Aral district", "Akkol district"} <= names
    out = call(client, "employed", [AKKOL], "absolute", [])
    assert {tr["name"] for tr in area_traces(out["explore-graph"]["figure"])} >= {
        "Aral district",
        "Akkol district",
    }
    assert out["explore-url"]["data"].startswith(f"?indicator=employed&area={ARAL}&compare={AKKOL}")
