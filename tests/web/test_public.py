"""What the public sees: decks keep their closing slide last, the deck editor warns about a
missing PUBLIC_BASE_URL, and the load history shows file names and checksums, never paths."""

from __future__ import annotations

import base64
import io
import json
import re

import numpy as np
import pandas as pd
import pytest

from components import share_links
from store import deck_database, deck_slides, decks, queries
from tests.web.conftest import render, texts
from views import share as share_views

CHART = {"kind": "chart", "params": {"indicator": "industrial_output", "area": "433200000"}}


@pytest.fixture
def deck_db(tmp_path, monkeypatch, dash_app):
    """A deck database of the test's own, inside an app context."""
    url = f"sqlite:///{tmp_path / 'decks.db'}"
    monkeypatch.setenv("DECKS_DATABASE_URL", url)
    deck_database.use(url)
    with dash_app.server.app_context():
        yield url
    deck_database.dispose()


def test_add_to_deck_puts_the_slide_before_the_closing_slide(deck_db):
    before = decks.get_deck("aral-default")["slides"]
    assert before[-1]["kind"] == "closing"
    message, slug = share_views.add_to_deck("aral-default", None, CHART, "en")
    assert slug == "aral-default"
    after = decks.get_deck("aral-default")["slides"]
    assert len(after) == len(before) + 1
    assert after[-1]["kind"] == "closing"
    assert after[-2]["kind"] == "chart" and after[-2]["params"] == CHART["params"]
    assert f"slide {len(after) - 1}" in json.dumps(message.to_plotly_json(), default=str)


def test_add_to_a_deck_without_closing_slide_appends(deck_db):
    decks.create_deck({"title": "Plain", "lang": "en"})
    deck_slides.add_slide("plain", {"kind": "text", "title": "A"})
    share_views.add_to_deck("plain", None, CHART, "en")
    assert [s["kind"] for s in decks.get_deck("plain")["slides"]] == ["text", "chart"]


@pytest.mark.parametrize("lang", ["kk", "ru", "en"])
def test_deck_editor_warns_when_public_base_url_is_not_set(client, deck_db, monkeypatch, lang):
    monkeypatch.delenv("PUBLIC_BASE_URL", raising=False)
    page = texts(render(client, "/decks", f"?deck=aral-default&lang={lang}"))
    assert "dk-public-url" in page and "PUBLIC_BASE_URL" in page
    monkeypatch.setenv("PUBLIC_BASE_URL", "https://aral.example.kz")
    page = texts(render(client, "/decks", f"?deck=aral-default&lang={lang}"))
    assert "dk-public-url" not in page


def test_load_history_shows_file_names_and_checksums_not_paths(client):
    runs = queries.load_runs()
    page = texts(render(client, "/about", "?lang=en"))
    for r in runs.itertuples():
        if "/" in r.file:
            assert r.file not in page
        assert r.checksum[:12] in page
    # no absolute path of this machine anywhere on the page
    assert not re.search(r"(/tmp/|/home/|/work/)", page)


ARAL = "433200000"


@pytest.mark.parametrize("path", ["data.csv", "map-data.csv"])
def test_csv_names_its_charset_once(client, path):
    query = f"indicator=industrial_output&area={ARAL}" if path == "data.csv" else "lang=ru"
    resp = client.get(f"/download/{path}?{query}")
    assert resp.status_code == 200
    assert resp.headers["Content-Type"] == "text/csv; charset=utf-8"


def test_csv_for_excel_uses_semicolons_and_decimal_commas(client):
    base = f"/download/data.csv?indicator=industrial_output&area={ARAL}&source=all&lang=ru"
    plain = client.get(base)
    excel = client.get(base + "&format=csv-excel")
    assert excel.status_code == 200
    assert excel.headers["Content-Type"] == "text/csv; charset=utf-8"
    assert excel.headers["Content-Disposition"].endswith('_ru_excel.csv"')
    text = excel.get_data(as_text=True)
    assert text.startswith("\ufeffindicator;area;area_name;oblast;oblast_name;year;")
    assert ";2008;;2609,1;" in text and ";2609.1;" not in text
    df = pd.read_csv(io.BytesIO(excel.data), sep=";", decimal=",", encoding="utf-8-sig")
    ref = pd.read_csv(io.BytesIO(plain.data), encoding="utf-8-sig")
    pd.testing.assert_frame_equal(df, ref)


@pytest.mark.parametrize(
    "query", ["format=xlsx", "format=csv;excel", "format=tsv"], ids=["xlsx", "odd", "tsv"]
)
def test_csv_variant_must_be_known(client, query):
    resp = client.get(f"/download/data.csv?indicator=industrial_output&area={ARAL}&{query}")
    assert resp.status_code == 400 and resp.get_json()["parameter"] == "format"
    assert client.get(f"/download/data.json?area={ARAL}&format=csv-excel").status_code == 400


def test_share_bar_offers_csv_for_excel_beside_csv():
    for kind, params in (
        ("explore", {"indicator": "industrial_output", "area": ARAL}),
        ("map", {"indicator": "population", "level": "oblast"}),
    ):
        links = share_links.download_links(kind, params, "kk")
        keys = list(links)
        assert keys.index("csv-excel") == keys.index("csv") + 1
        assert links["csv-excel"] == links["csv"] + "&format=csv-excel"


@pytest.mark.parametrize(
    ("lang", "words"),
    [
        (
            "ru",
            [
                "Отчёт акима района (2008), 2008 год: 2\u00a0609,1 млн тенге",
                "2007 год: 2\u00a0452,2",
            ],
        ),
        ("kk", ["Аудан әкімінің есебі (2008), 2008 жыл: 2\u00a0609,1 млн теңге"]),
        ("en", ["District akim's report (2008), 2008: 2,609.1 million tenge"]),
    ],
)
def test_other_readings_name_the_value_and_who_reported_it(client, lang, words):
    page = texts(
        render(client, "/explore", f"?indicator=industrial_output&area={ARAL}&lang={lang}")
    )
    for w in words:
        assert w in page
    derived = {"ru": "расчёт кураторов", "kk": "кураторлардың есебі", "en": "curators' calculation"}
    assert derived[lang] in page
    assert "seed thesis" not in page and "The project's" not in page


def xs(trace: dict) -> list:
    """A trace's x values (Plotly sends long arrays base64-encoded)."""
    x = trace.get("x") or []
    if isinstance(x, dict):
        return np.frombuffer(base64.b64decode(x["bdata"]), dtype=x["dtype"]).tolist()
    return list(x)


def test_required_pace_only_for_targets_ahead_from_the_latest_value(client):
    """The water volume chart: targets already met or past draw no required-pace line."""
    out = json.loads(render(client, "/explore", f"?indicator=nas_water_volume&area={ARAL}&lang=en"))
    blob = json.dumps(out)
    traces = []

    def walk(node):
        if isinstance(node, dict):
            if node.get("type") == "Graph":
                traces.extend(node["props"]["figure"]["data"])
            for v in node.values():
                walk(v)
        elif isinstance(node, list):
            for v in node:
                walk(v)

    walk(out)
    assert traces, blob[:200]
    readings = [tr for tr in traces if tr.get("mode", "").startswith("lines+markers")]
    latest = max(max(x for x in xs(tr) if x is not None) for tr in readings)
    targets = [tr for tr in traces if tr.get("marker", {}).get("symbol") == "star"]
    assert targets  # the targets keep their markers
    for tr in traces:
        if (tr.get("name") or "").startswith("Required pace"):
            assert xs(tr)[0] == latest and xs(tr)[1] > latest


def test_growth_in_current_prices_says_it_includes_inflation(client):
    page = texts(render(client, "/explore", f"?indicator=industrial_output&area={ARAL}&lang=ru"))
    assert re.search(r"рост на [\d\u00a0,]+%, в текущих ценах, то есть вместе с инфляцией", page)
    page = texts(render(client, "/explore", f"?indicator=population&area={ARAL}&lang=ru"))
    assert "инфляц" not in page  # people are not in current prices


def test_status_names_the_year_it_was_judged_on(client):
    # North Aral volume >= 27 bn m3 by 2030 (programs/targets.csv); latest reading 2025, 24.1
    page = texts(render(client, "/programs", "?lang=kk"))
    assert "Жоспар бойынша (2025 жылғы дерек бойынша)" in page


@pytest.mark.parametrize(
    ("path", "words"),
    [
        (
            f"/download/chart.svg?indicator=industrial_output&area={ARAL}&lang=ru",
            [
                "Объем промышленного производства: Аральский район",
                "млн тенге, в текущих ценах",
                "Источники: Бюро национальной статистики",
                "Данные на ",
                "Показатели устойчивого развития Приаралья",
            ],
        ),
        (
            "/download/map.svg?indicator=industrial_output&level=district&parent=430000000&lang=kk",
            [
                "Өнеркәсіп өнімінің көлемі",
                "Қызылорда облысы",
                "млн теңге, ағымдағы бағамен",
                "Дереккөздер: ",
                "жағдайы бойынша",
            ],
        ),
    ],
    ids=["chart", "map"],
)
def test_exported_images_say_what_and_whence(client, path, words):
    if "map" in path and not queries.has_boundaries():
        pytest.skip("no boundaries in the test database (../shared/geo/original is missing)")
    resp = client.get(path)
    if resp.status_code == 503:
        pytest.skip(resp.get_json().get("error", "image export unavailable"))
    assert resp.status_code == 200
    svg = resp.get_data(as_text=True).replace("\u00a0", " ")
    for w in words:
        assert w in svg, w
