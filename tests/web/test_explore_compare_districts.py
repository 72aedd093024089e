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


def test_namesake_districts_are_labelled_with_their_oblast_in_each_language(client):
    # Abay district: of Abay oblast, of Karagandy oblast and of Shymkent city
    expected = {
        "en": {
            "103200000": "Abay district (Abay oblast)",
            "353200000": "Abay district (Karagandy oblast)",
            "791110000": "Abay district (Shymkent city)",
        },
        "ru": {
            "353200000": "Абайский район (Карагандинская область)",
            "791110000": "Абайский район (г. Шымкент)",
        },
        "kk": {"353200000": "Абай ауданы (Қарағанды облысы)"},
    }
    for lang, labels in expected.items():
        tree = page(client, f"?indicator=population&area={ARAL}&lang={lang}")
        options = find(tree, "explore-compare")["props"]["options"]
        by_code = {o["value"]: o["label"] for o in options}
        for code, label in labels.items():
            assert by_code[code] == label, (lang, code, by_code[code])
        districts = [o["label"] for o in options if o["value"][2:4] != "00"]
        assert len(districts) == len(set(districts)), lang  # no two look alike
        oblasts = [o["label"] for o in options if o["value"].endswith("0000000")]
        assert all("(" not in label for label in oblasts)  # regions keep their own names
