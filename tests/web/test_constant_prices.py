"""Money in constant prices in the API, the downloads and the Explore page: derived values,
flagged and explained, never stored over the Bureau's figures.

Expected values by hand from data/curated/bns-kyzylorda-districts/observations.csv (Aral
district, sheet «Арал»): industrial output 2023 = 33679 (row 87, column AH), industrial
production index 2023 = 110.0 % of 2022 (row 88), so 2022 in 2023 prices = 33679 / 1.1 =
30617.27 -> 30617.3 (the indicator has one decimal); the stored 2022 value is 24219.
"""

from __future__ import annotations

import io
import json

import pandas as pd

from tests.web.conftest import render, texts

ARAL = "433200000"
FORMULA = "V(t) = V(t−1) × I(t) / 100"
WORKBOOK = "bns-kyzylorda-district-workbook"


def csv(body: bytes) -> pd.DataFrame:
    return pd.read_csv(io.BytesIO(body), encoding="utf-8-sig", dtype={"area": str})


def test_api_csv_of_constant_prices_carries_the_derived_flag_and_the_formula(client):
    resp = client.get(
        f"/api/v1/observations?indicator=industrial_output&area={ARAL}&prices=constant&format=csv"
    )
    assert resp.status_code == 200, resp.get_data(as_text=True)
    df = csv(resp.data).set_index("year")
    assert df.loc[2022, "value"] == 30617.3
    assert df.loc[2023, "value"] == 33679.0
    assert set(df["status"]) == {"derived"}
    assert set(df["unit"]) == {"million tenge, constant 2023 prices"}
    note = df.loc[2022, "note"]
    assert FORMULA in note and "V(t−1) = V(t) ÷ (I(t) / 100)" in note
    assert "33,679.0 million tenge, current prices" in note
    assert f"source {WORKBOOK}" in note and "«Industrial production index (real)»" in note


def test_api_json_says_the_base_year_and_formula_and_the_stored_values_are_untouched(client):
    url = f"/api/v1/observations?indicator=industrial_output&area={ARAL}"
    derived = client.get(url + "&prices=constant&base=2022").get_json()
    prices = derived["meta"]["prices"]
    assert prices["base"] == 2022 and prices["status"] == "derived"
    assert prices["index"] == "industrial_production_index"
    assert "I(t)" in prices["formula"]
    assert derived["meta"]["unit"] == "million tenge, constant 2022 prices"
    by_year = {r["year"]: r for r in derived["data"]}
    assert by_year[2022]["value"] == 24219.0  # the base year keeps its current-price value
    assert by_year[2023]["value"] == 26640.9  # 24219 × 110.0 / 100 = 26640.9
    stored = client.get(url + "&source=" + WORKBOOK).get_json()["data"]
    assert {r["year"]: r["value"] for r in stored}[2023] == 33679.0
    assert {r["status"] for r in stored} == {"actual"}


def test_api_refuses_constant_prices_without_an_index_or_with_a_base_without_a_value(client):
    resp = client.get(f"/api/v1/observations?indicator=population&area={ARAL}&prices=constant")
    assert resp.status_code == 400 and resp.get_json()["parameter"] == "prices"
    resp = client.get(
        f"/api/v1/observations?indicator=industrial_output&area={ARAL}&prices=constant&base=1990"
    )
    assert resp.status_code == 400 and resp.get_json()["parameter"] == "base"
    resp = client.get(f"/api/v1/observations?indicator=industrial_output&area={ARAL}&base=2020")
    assert resp.status_code == 400 and resp.get_json()["parameter"] == "base"


def test_explore_download_in_russian_carries_the_flag_formula_and_both_sources(client):
    query = f"indicator=industrial_output&area={ARAL}&mode=constant&lang=ru"
    resp = client.get(f"/download/data.csv?{query}")
    assert resp.status_code == 200, resp.get_data(as_text=True)
    df = csv(resp.data).set_index("year")
    assert df.loc[2022, "value"] == 30617.3
    assert set(df["status"]) == {"derived"}
    assert set(df["unit"]) == {"млн тенге, в постоянных ценах 2023 года"}
    assert "Рассчитано на этом дашборде" in df.loc[2022, "note"]
    assert FORMULA in df.loc[2022, "note"]
    meta = json.loads(client.get(f"/download/data.json?{query}").data)["meta"]
    assert meta["prices"]["label"] == (
        "в постоянных ценах 2023 года (рассчитано по индексам физического объёма Бюро)"
    )
    assert meta["mode"] == "constant" and meta["query"]["base"] == 2023
    assert meta["title"].startswith("Объем промышленного производства, в постоянных ценах 2023")
    assert WORKBOOK in [s["code"] for s in meta["sources"]]
    assert meta["targets"] == []  # targets are set in current prices: not against these


def test_explore_download_answers_400_for_constant_prices_that_cannot_be_shown(client):
    resp = client.get(f"/download/data.csv?indicator=population&area={ARAL}&mode=constant")
    assert resp.status_code == 400 and resp.get_json()["parameter"] == "mode"
    resp = client.get(
        f"/download/data.csv?indicator=industrial_output&area={ARAL}&mode=constant&base=1800"
    )
    assert resp.status_code == 400 and resp.get_json()["parameter"] == "base"


def test_explore_page_offers_constant_prices_only_where_there_is_an_index(client):
    page = texts(render(client, "/explore", f"?indicator=industrial_output&area={ARAL}&lang=kk"))
    assert "2023 жылғы тұрақты бағамен (Бюроның нақты көлем индекстері бойынша есептелген)" in page
    page = texts(render(client, "/explore", f"?indicator=population&area={ARAL}&lang=kk"))
    assert "тұрақты бағамен" not in page
    # asked for where it cannot be: the page says so and shows current prices
    page = texts(render(client, "/explore", f"?indicator=population&area={ARAL}&mode=constant"))
    assert "Бюро бұл көрсеткіш үшін нақты көлем индексін жарияламайды" in page


def test_explore_page_in_constant_prices_explains_the_formula(client):
    page = texts(
        render(
            client,
            "/explore",
            f"?indicator=investment_fixed_capital&area={ARAL}&mode=constant&lang=ru",
        )
    )
    # 2022 = 25047 / 1.440 = 17393.75 -> 17 394 (no decimals); sheet «Арал», rows 67-68
    assert "17 394" in page.replace("\u00a0", " ").replace("\u202f", " ")
    assert "в постоянных ценах 2023 года (рассчитано по индексам физического объёма Бюро)" in page
    assert "V(t−1) = V(t) ÷ (I(t) / 100)" in page
    assert "Индекс физического объема инвестиций в основной капитал" in page


def test_explore_notice_names_the_years_and_offers_other_base_years(client):
    page = texts(
        render(client, "/explore", f"?indicator=industrial_output&area={ARAL}&mode=constant")
    )
    assert "Арал ауданы: 2000–2023" in page  # Aral's index runs from 2000 (sheet «Арал», row 88)
    assert "mode=constant&lang=kk&base=2015" in page.replace("&amp;", "&")


def test_about_page_explains_constant_prices_in_three_languages(client):
    expected = {
        "kk": "Ақшалай көрсеткіштер тұрақты бағамен",
        "ru": "Денежные показатели в постоянных ценах",
        "en": "Money in constant prices",
    }
    for lang, heading in expected.items():
        page = texts(render(client, "/about", f"?lang={lang}"))
        assert heading in page
        assert "× I / 100" in page and "÷ (I / 100)" in page


def test_constant_prices_are_offered_only_where_the_area_has_the_index(client):
    """Pavlodar's workbook gives industrial output in money but no industrial production
    index, and investment with its index (Pavlodar_All.xlsx; 551600000 is Aksu city)."""
    pavlodar = "551600000"
    page = texts(render(client, "/explore", f"?indicator=industrial_output&area={pavlodar}"))
    assert "тұрақты бағамен" not in page
    page = texts(render(client, "/explore", f"?indicator=investment_fixed_capital&area={pavlodar}"))
    assert "жылғы тұрақты бағамен (Бюроның нақты көлем индекстері бойынша есептелген)" in page


def test_explore_zip_datapackage_says_the_values_are_derived_and_how(client):
    import zipfile

    query = f"indicator=industrial_output&area={ARAL}&mode=constant&lang=en"
    resp = client.get(f"/download/data.zip?{query}")
    assert resp.status_code == 200, resp.get_data(as_text=True)[:500]
    with zipfile.ZipFile(io.BytesIO(resp.data)) as z:
        package = json.loads(z.read("datapackage.json"))
        name = next(n for n in z.namelist() if n.endswith(".csv"))
        df = csv(z.read(name)).set_index("year")
    assert package["prices"]["base"] == 2023 and package["prices"]["status"] == "derived"
    assert (
        "in constant prices of 2023 (derived from the Bureau's volume indices)"
        in (package["description"])
    )
    assert "I(t)" in package["description"]
    assert df.loc[2022, "value"] == 30617.3 and df.loc[2022, "status"] == "derived"
    assert FORMULA in df.loc[2022, "note"]


def test_the_modes_callback_follows_the_indicator_and_refuses_a_forged_state_without_5xx(client):
    from tests.web.conftest import callback

    outputs = [
        {"id": "explore-mode", "property": "options"},
        {"id": "explore-mode", "property": "value"},
    ]

    def modes(indicator: str, mode: object, page: dict) -> dict:
        return callback(
            client,
            "..explore-mode.options...explore-mode.value..",
            outputs,
            [
                {"id": "explore-indicator", "property": "value", "value": indicator},
                {"id": "explore-compare", "property": "value", "value": []},
            ],
            [
                {"id": "explore-mode", "property": "value", "value": mode},
                {"id": "explore-state", "property": "data", "value": page},
            ],
        )

    out = modes("population", "constant", {"area": ARAL, "lang": "en"})["response"]
    assert "constant" not in [o["value"] for o in out["explore-mode"]["options"]]
    assert out["explore-mode"]["value"] == "absolute"
    out = modes("industrial_output", "absolute", {"area": ARAL, "lang": "en", "base": 2015})
    labels = [o["label"] for o in out["response"]["explore-mode"]["options"]]
    assert "in constant prices of 2015 (derived from the Bureau's volume indices)" in labels
    assert modes("industrial_output", "constant", {"area": 5, "base": {"a": 1}}) == {}
    # a mode no page of ours sends (a list, found by the generated bodies): reset, no 500
    out = modes("industrial_output", ["constant"], {"area": ARAL, "lang": "en"})["response"]
    assert out["explore-mode"]["value"] == "absolute"
