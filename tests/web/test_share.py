"""The share bar (download, copy link, embed, cite) on Explore, Map and the overview."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from components import share_links
from store import queries
from tests.web.conftest import callback, render
from views import share as share_views

ARAL, KYZYLORDA = "433200000", "430000000"
YEAR = str(dt.date.today().year)
FORMATS = ("csv", "xlsx", "json", "png", "svg", "pdf")
COPY_LINK = {"kk": "Сілтемені көшіру", "ru": "Копировать ссылку", "en": "Copy link"}
DOWNLOAD = {"kk": "Жүктеу", "ru": "Скачать", "en": "Download"}
CITE = {"kk": "Дәйексөз", "ru": "Цитировать", "en": "Cite"}
EXCEL = {
    "kk": "Excel (деректер + метадеректер парағы)",
    "ru": "Excel (данные + лист метаданных)",
    "en": "Excel (data + metadata sheet)",
}


def tree(client, path: str, search: str) -> dict:
    """The page's component tree, as the Pages router returns it."""
    return json.loads(render(client, path, search))["response"]["_pages_content"]["children"]


def find(node: object, id_: object) -> dict | None:
    if isinstance(node, list):
        return next((r for r in (find(n, id_) for n in node) if r is not None), None)
    if isinstance(node, dict):
        props = node.get("props", {})
        if props.get("id") == id_:
            return node
        return next((r for r in (find(v, id_) for v in props.values()) if r is not None), None)
    return None


def text(node: object) -> str:
    if isinstance(node, list):
        return " ".join(text(n) for n in node)
    if isinstance(node, dict):
        props = node.get("props", {})
        return text(props.get("children"))
    return "" if node is None else str(node)


def links(node: object, prefix: str) -> dict[str, dict]:
    """The share bar's links by key: {key: props}."""
    out = {}

    def walk(n: object) -> None:
        if isinstance(n, list):
            for x in n:
                walk(x)
        elif isinstance(n, dict):
            props = n.get("props", {})
            id_ = props.get("id")
            if (
                isinstance(id_, dict)
                and id_.get("type") == "share-link"
                and id_.get("prefix") == prefix
            ):
                out[id_["key"]] = props
            for v in props.values():
                walk(v)

    walk(node)
    return out


# --- Explore ------------------------------------------------------------------------------


@pytest.mark.parametrize("lang", ["kk", "ru", "en"])
def test_explore_share_bar_links_follow_the_url_state(client, lang):
    page = tree(client, "/explore", f"?indicator=industrial_output&area={ARAL}&lang={lang}")
    bar = find(page, "explore-share")
    assert bar is not None
    assert bar["props"]["role"] == "group" and bar["props"]["aria-label"]
    found = links(bar, "explore")
    query = f"?indicator=industrial_output&area={ARAL}&lang={lang}"
    for fmt in ("csv", "xlsx", "json"):
        assert found[fmt]["href"] == f"/download/data.{fmt}{query}"
        assert found[fmt]["download"] == ""
    for fmt in ("png", "svg", "pdf"):
        assert found[fmt]["href"] == f"/download/chart.{fmt}{query}"
    assert found["all"]["href"] == "/download/all.zip"
    assert found["preview"]["href"] == f"/embed/explore{query}"
    labels = text(find(bar, "explore-share-download"))
    assert DOWNLOAD[lang] in labels and EXCEL[lang] in labels
    assert COPY_LINK[lang] in text(find(bar, "explore-share-link"))
    assert CITE[lang] in text(find(bar, "explore-share-cite"))


def test_explore_links_carry_compare_mode_and_sources(client):
    page = tree(
        client,
        "/explore",
        f"?indicator=industrial_output&area={ARAL}&compare=433600000&mode=index&source=all&lang=ru",
    )
    found = links(find(page, "explore-share"), "explore")
    assert found["csv"]["href"] == (
        f"/download/data.csv?indicator=industrial_output&area={ARAL}"
        "&compare=433600000&mode=index&lang=ru&source=all"
    )
    assert found["png"]["href"].startswith("/download/chart.png?indicator=industrial_output")


def test_explore_embed_code_and_citation(client):
    page = tree(client, "/explore", f"?indicator=industrial_output&area={ARAL}&lang=en")
    code = text(find(page, "explore-share-embed-code"))
    assert code.startswith(
        '<iframe src="http://localhost/embed/explore?indicator='
        'industrial_output&area=433200000&lang=en"'
    )
    assert 'width="800" height="500"' in code and "title=" in code
    cite = text(find(page, "explore-share-cite-text"))
    name = queries.indicator.uncached("industrial_output")["name_en"]
    assert name in cite and "Aral district" in cite
    assert "Aral region sustainability indicators" in cite  # the publisher
    assert YEAR in cite
    assert f"http://localhost/explore?indicator=industrial_output&area={ARAL}&lang=en" in cite
    assert dt.date.today().isoformat() in cite  # accessed
    bib = text(find(page, "explore-share-bibtex"))
    assert bib.startswith("@misc{") and f"year = {{{YEAR}}}" in bib
    assert f"url = {{http://localhost/explore?indicator=industrial_output&area={ARAL}" in bib


def test_explore_controls_update_the_share_bar(client):
    """The page writes its new query string to explore-url; the bar follows it."""
    search = f"?indicator=air_emissions&area={ARAL}&compare=433600000&mode=change&lang=kk"
    out = callback(
        client,
        "explore-share-data.data",
        [{"id": "explore-share-data", "property": "data"}],
        [{"id": "explore-url", "property": "data", "value": search}],
        [{"id": "explore-heading", "property": "children", "value": "X"}],
    )
    data = out["response"]["explore-share-data"]["data"]
    assert data["links"]["csv"] == (
        "/download/data.csv?indicator=air_emissions&area="
        f"{ARAL}&compare=433600000&mode=change&lang=kk"
    )
    assert data["links"]["pdf"].startswith("/download/chart.pdf?indicator=air_emissions")
    assert data["origin"] == "http://localhost"
    assert "/embed/explore?indicator=air_emissions" in data["texts"]["embed-code"]
    assert f"http://localhost/explore{search}" in data["texts"]["cite-text"]


# --- Map ----------------------------------------------------------------------------------


@pytest.mark.parametrize("lang", ["kk", "ru", "en"])
def test_map_share_bar_links(client, lang):
    page = tree(
        client,
        "/map",
        f"?indicator=population&level=district&parent={KYZYLORDA}&year=2023&lang={lang}",
    )
    bar = find(page, "map-share")
    assert bar is not None
    found = links(bar, "map")
    query = f"?indicator=population&year=2023&level=district&parent={KYZYLORDA}&lang={lang}"
    for fmt in ("csv", "xlsx", "json"):
        assert found[fmt]["href"] == f"/download/map-data.{fmt}{query}"
    for fmt in ("png", "svg", "pdf"):
        assert found[fmt]["href"] == f"/download/map.{fmt}{query}"
    assert found["all"]["href"] == "/download/all.zip"
    assert found["preview"]["href"] == f"/embed/map{query}"
    assert COPY_LINK[lang] in text(find(bar, "map-share-link"))
    cite = text(find(bar, "map-share-cite-text"))
    assert "2023" in cite and YEAR in cite and "/map?indicator=population" in cite


def test_map_controls_update_the_share_bar(client):
    page = tree(client, "/map", "?level=oblast&lang=ru")
    code = find(page, "map-indicator")["props"]["value"]
    year = find(page, "map-year")["props"]["value"]
    search = f"?indicator={code}&year={year}&level=oblast&lang=ru&area={ARAL}"
    out = callback(
        client,
        "map-share-data.data",
        [{"id": "map-share-data", "property": "data"}],
        [{"id": "map-url", "property": "data", "value": search}],
        [{"id": "map-caption", "property": "children", "value": "caption"}],
    )
    data = out["response"]["map-share-data"]["data"]
    query = f"?indicator={code}&year={year}&level=oblast&lang=ru"  # no area, no parent
    assert data["links"]["csv"] == f"/download/map-data.csv{query}"
    assert data["links"]["png"] == f"/download/map.png{query}"
    assert f'src="http://localhost/embed/map{query}"' in data["texts"]["embed-code"]
    cite = data["texts"]["cite-text"]
    assert f"http://localhost/map?indicator={code}&area={ARAL}&year={year}" in cite
    assert str(year) in cite.split("[")[0]  # the map's title names its year


# --- Overview -----------------------------------------------------------------------------


@pytest.mark.parametrize("lang", ["kk", "ru", "en"])
def test_overview_offers_the_zip_the_link_and_the_citation_only(client, lang):
    page = tree(client, "/", f"?area={ARAL}&lang={lang}")
    bar = find(page, "overview-share")
    assert bar is not None
    found = links(bar, "overview")
    assert set(found) == {"all"}
    assert found["all"]["href"] == "/download/all.zip" and found["all"]["download"] == ""
    assert find(bar, "overview-share-embed") is None
    assert COPY_LINK[lang] in text(find(bar, "overview-share-link"))
    cite = text(find(bar, "overview-share-cite-text"))
    heading = {
        "kk": "Арал ауданы: көрсеткіштер мен мақсаттар",
        "ru": "Аральский район: показатели и цели",
        "en": "Aral district: indicators and targets",
    }[lang]
    assert heading in cite and YEAR in cite
    assert f"http://localhost/?area={ARAL}&lang={lang}" in cite


# --- the pure parts -----------------------------------------------------------------------


def test_download_links_leave_defaults_and_page_only_keys_out():
    params = {
        "indicator": "x",
        "area": ARAL,
        "mode": "absolute",
        "source": "preferred",
        "year": "2020",
        "lang": "en",
    }
    assert (
        share_links.download_links("explore", params, "en")["csv"]
        == f"/download/data.csv?indicator=x&area={ARAL}&lang=en"
    )
    assert share_links.download_links("overview", {"area": ARAL}, "ru") == {
        "all": "/download/all.zip"
    }
    assert share_links.embed_path("overview", {"area": ARAL}, "ru") is None
    assert (
        share_links.download_links("map", {"indicator": "x"}, "kk")["svg"]
        == "/download/map.svg?indicator=x&lang=kk"
    )


def test_embed_snippet_escapes_the_title_and_address():
    code = share_links.embed_snippet('https://h/embed/explore?a=1&b="2"', 'A "quoted" <title>')
    assert 'src="https://h/embed/explore?a=1&b=%222%22"' in code
    assert 'title="A &quot;quoted&quot; &lt;title&gt;"' in code


def test_parse_query_takes_the_last_value():
    assert share_links.parse_query("?a=1&a=2&b=x%2Cy") == {"a": "2", "b": "x,y"}
    assert share_links.parse_query(None) == {}


def test_unknown_kind_is_an_error():
    with pytest.raises(ValueError, match="kind"):
        share_views.share_bar("p", "programs", {}, "en")


@pytest.mark.parametrize(
    ("path", "search", "prefix"),
    [
        (
            "/explore",
            f"?indicator=industrial_output&area={ARAL}&compare=433600000&mode=index&lang=ru",
            "explore",
        ),
        ("/map", f"?indicator=population&level=district&parent={KYZYLORDA}&lang=en", "map"),
    ],
)
def test_the_data_links_are_served_by_the_download_routes(client, path, search, prefix):
    pytest.importorskip("api.downloads", reason="the download routes are not installed")
    found = links(find(tree(client, path, search), f"{prefix}-share"), prefix)
    for fmt in ("csv", "json"):
        resp = client.get(found[fmt]["href"])
        assert resp.status_code == 200, (found[fmt]["href"], resp.get_data(as_text=True)[:500])
        resp.close()
