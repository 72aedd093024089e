"""The embed routes (/embed/explore, /embed/map): chart-only HTML pages for iframes."""

from __future__ import annotations

import json
import re

import pytest

from store import queries

ARAL, KYZYLORDA = "433200000", "430000000"


def figure(body: str) -> dict:
    """The figure JSON embedded in the page."""
    found = re.search(
        r'<script type="application/json" id="embed-figure">(.*?)</script>', body, re.S
    )
    assert found, body[:2000]
    return json.loads(found.group(1))


def config(body: str) -> dict:
    found = re.search(
        r'<script type="application/json" id="embed-config">(.*?)</script>', body, re.S
    )
    assert found
    return json.loads(found.group(1))


def get(client, url: str):  # noqa: ANN001, ANN201
    resp = client.get(url)
    return resp, resp.get_data(as_text=True)


@pytest.mark.parametrize(
    ("lang", "dashboard", "sources"),
    [
        ("kk", "Арал өңірі көрсеткіштерінің дашборды", "Дереккөздер"),
        ("ru", "Дашборд показателей Приаралья", "Источники"),
        ("en", "Aral indicators dashboard", "Sources"),
    ],
)
def test_embed_explore_is_a_chart_page_with_attribution(client, lang, dashboard, sources):
    resp, body = get(client, f"/embed/explore?indicator=industrial_output&area={ARAL}&lang={lang}")
    assert resp.status_code == 200
    assert resp.mimetype == "text/html"
    assert "X-Frame-Options" not in resp.headers  # any page may frame it
    assert "frame-ancestors" not in resp.headers["Content-Security-Policy"]  # any page may
    assert f'<html lang="{lang}">' in body
    assert "_dash-config" not in body and "dash_renderer" not in body  # no Dash shell
    fig = figure(body)
    assert fig["data"] and any(tr.get("mode") == "lines+markers" for tr in fig["data"])
    assert "height" not in fig["layout"]  # fills the iframe
    name = queries.indicator.uncached("industrial_output")[f"name_{lang}"]
    area = queries.area.uncached(ARAL)[f"name_{lang}"]
    assert f"<title>{name}: {area}" in body
    assert re.search(r'<p id="embed-summary" class="summary">[^<]*\S', body)
    assert dashboard in body and f"{sources}:" in body
    assert f'href="/explore?indicator=industrial_output&amp;area={ARAL}&amp;lang={lang}"' in body
    assert 'src="/embed/static/plotly.min.js' in body
    assert "cdn" not in body.lower()
    cfg = config(body)
    assert cfg["topojsonURL"] == "/assets/topojson/"
    assert cfg["responsive"] is True
    assert cfg["locale"] == ("en" if lang == "en" else lang)
    assert fig["layout"]["separators"] == (".," if lang == "en" else ",\u00a0")


def test_embed_explore_follows_compare_mode_and_sources(client):
    url = (
        f"/embed/explore?indicator=industrial_output&area={ARAL}&compare=433600000"
        "&mode=index&source=all&lang=en"
    )
    resp, body = get(client, url)
    assert resp.status_code == 200
    fig = figure(body)
    names = " ".join(tr.get("name") or "" for tr in fig["data"])
    assert "Aral district" in names
    assert queries.area.uncached("433600000")["name_en"] in names
    assert "compare=433600000" in body and "mode=index" in body and "source=all" in body


def test_embed_explore_defaults_without_parameters(client):
    resp, body = get(client, "/embed/explore?lang=en")
    assert resp.status_code == 200
    assert figure(body)["data"]


def test_embed_map_has_the_choropleth_and_boundary_attribution(client):
    resp, body = get(
        client, f"/embed/map?indicator=population&level=district&parent={KYZYLORDA}&lang=en"
    )
    assert resp.status_code == 200
    fig = figure(body)
    assert "height" not in fig["layout"]
    if queries.has_boundaries.uncached():
        assert any(tr["type"] == "choropleth" for tr in fig["data"])
        assert ARAL in {loc for tr in fig["data"] for loc in tr["locations"]}
    assert "Boundaries: geokz v1.0.2" in body
    assert "Aral indicators dashboard" in body
    assert 'href="/map?indicator=population' in body and f"parent={KYZYLORDA}" in body
    assert re.search(r'<p id="embed-summary" class="summary">[^<]*ranks first', body)


@pytest.mark.parametrize("lang", ["kk", "ru"])
def test_embed_map_in_other_languages(client, lang):
    resp, body = get(client, f"/embed/map?level=oblast&lang={lang}")
    assert resp.status_code == 200
    assert figure(body)["data"]
    assert ("Шекаралар" if lang == "kk" else "Границы") in body


@pytest.mark.parametrize(
    ("url", "text"),
    [
        (
            "/embed/explore?indicator=no_such_thing&lang=en",
            "Indicator “no_such_thing” was not found",
        ),
        (
            "/embed/explore?indicator=industrial_output&area=999999999&lang=en",
            "Area “999999999” was not found",
        ),
        (
            "/embed/explore?indicator=industrial_output&compare=Atlantis&lang=ru",
            "Территория «Atlantis» не найдена",
        ),
        ("/embed/map?indicator=no_such_thing&lang=en", "Indicator “no_such_thing” was not found"),
        ("/embed/map?parent=999999999&lang=kk", "«999999999» аумағы табылмады"),
        ("/embed/map?indicator=population&year=1066&lang=en", "This chart cannot be shown"),
    ],
)
def test_unknown_codes_get_a_friendly_404(client, url, text):
    resp, body = get(client, url)
    assert resp.status_code == 404
    assert resp.mimetype == "text/html"
    assert text in body
    assert "Traceback" not in body and "embed-figure" not in body
    assert 'href="/?lang=' in body


def test_malformed_parameters_get_a_friendly_400(client):
    resp, body = get(client, "/embed/explore?indicator=industrial_output&mode=sideways")
    assert resp.status_code == 400
    assert "This chart cannot be shown" in body or "Бұл графикті" in body
    assert "Traceback" not in body


def test_plotly_is_served_locally(client):
    resp = client.get("/embed/static/plotly.min.js")
    assert resp.status_code == 200
    assert "javascript" in resp.mimetype
    head = resp.get_data()[:2000].decode("utf-8", "replace")
    resp.close()
    assert "plotly" in head.lower()


def test_script_content_cannot_break_out_of_the_json_block():
    import plotly.graph_objects as go

    from api.embed import figure_json

    text = str(figure_json(go.Figure(layout={"title": {"text": "</script><b>&"}})))
    assert "<" not in text and ">" not in text and "&" not in text
    assert json.loads(text)["layout"]["title"]["text"] == "</script><b>&"
