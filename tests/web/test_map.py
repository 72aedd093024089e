"""The map page, rendered and called through the Flask test client."""

from __future__ import annotations

import json
import re

import pytest
from sqlalchemy import create_engine, text

from store import queries
from tests.conftest import run_etl
from tests.web.conftest import callback, render, texts

KYZYLORDA = "430000000"
KYZYLORDA_UNITS = {
    "431000000",
    "431900000",
    "433200000",
    "433600000",
    "434000000",
    "434400000",
    "434600000",
    "434800000",
    "435200000",
}
REPUBLICAN_CITIES = {"710000000", "750000000", "790000000"}

VIEW_OUTPUT = (
    "..map-graph.figure...map-caption.children...map-colours.children"
    "...map-rows.data...map-table-view.data...map-notice.children...map-url.data"
    "...map-formula.children...map-since.options...map-drawn.data.."
)
VIEW_OUTPUTS = [
    {"id": "map-graph", "property": "figure"},
    {"id": "map-caption", "property": "children"},
    {"id": "map-colours", "property": "children"},
    {"id": "map-rows", "property": "data"},
    {"id": "map-table-view", "property": "data"},
    {"id": "map-notice", "property": "children"},
    {"id": "map-url", "property": "data"},
    {"id": "map-formula", "property": "children"},
    {"id": "map-since", "property": "options"},
    {"id": "map-drawn", "property": "data"},
]
NOTHING_DRAWN = {"id": "map-drawn", "property": "data", "value": None}
PLAIN_OPTIONS = [
    {"id": "map-normalize", "property": "value", "value": "none"},
    {"id": "map-scale", "property": "value", "value": "linear"},
    {"id": "map-since", "property": "value", "value": None},
]


def find(node: object, component_id: str) -> dict | None:
    """The component with ``component_id`` in a rendered layout (JSON), or None."""
    if isinstance(node, dict):
        if node.get("props", {}).get("id") == component_id:
            return node
        children = node.values()
    elif isinstance(node, list):
        children = node
    else:
        return None
    for child in children:
        hit = find(child, component_id)
        if hit is not None:
            return hit
    return None


def page(client, search: str) -> dict:
    return json.loads(render(client, "/map", search))


def view_indicator(rendered: dict) -> str:
    return find(rendered, "map-indicator")["props"]["value"]


def figure(rendered: dict) -> dict:
    graph = find(rendered, "map-graph")
    assert graph is not None
    return graph["props"]["figure"]


def locations(fig: dict) -> set[str]:
    return {loc for trace in fig["data"] for loc in trace["locations"]}


def db_values(url: str, indicator: str, year: int) -> dict[str, float]:
    """The preferred source's total values of one year, straight from the database."""
    sql = text("""
        select o.area, o.value from observations o join indicators i on i.code = o.indicator
        where o.indicator = :ind and o.year = :year and o.series = ''
          and o.source = coalesce(i.preferred_source, o.source)""")
    with create_engine(url).connect() as conn:
        return {a: v for a, v in conn.execute(sql, {"ind": indicator, "year": year})}


@pytest.fixture(scope="module")
def with_boundaries(client):
    if not queries.has_boundaries():
        pytest.skip("the web database was built without boundaries (../shared/geo absent)")


@pytest.mark.parametrize(
    ("lang", "heading"),
    [
        ("kk", "Көрсеткіштер картада"),
        ("ru", "Показатели на карте"),
        ("en", "Indicators on the map"),
    ],
)
def test_map_in_each_language(client, lang, heading):
    rendered = render(client, "/map", f"?lang={lang}")
    assert heading in texts(rendered)
    assert "Traceback" not in rendered
    graph = find(json.loads(rendered), "map-graph")
    assert graph["props"]["config"]["locale"] == ("en" if lang == "en" else lang)
    assert graph["props"]["config"]["topojsonURL"] == "/assets/topojson/"


def test_kyzylorda_districts_with_the_database_values(client, with_boundaries, web_db):
    rendered = page(client, f"?level=district&parent={KYZYLORDA}&lang=en")
    fig = figure(rendered)
    assert [tr["type"] for tr in fig["data"]][0] == "choropleth"
    assert locations(fig) == KYZYLORDA_UNITS
    indicator = find(rendered, "map-indicator")["props"]["value"]
    year = find(rendered, "map-year")["props"]["value"]
    expected = db_values(web_db, indicator, year)
    data = fig["data"][0]
    got = dict(zip(data["locations"], data["z"], strict=True))
    assert got == {a: v for a, v in expected.items() if a in KYZYLORDA_UNITS}
    no_data = [tr for tr in fig["data"] if tr.get("showscale") is False]
    for trace in no_data:
        assert not set(trace["locations"]) & set(expected)


def test_default_is_kyzylorda_districts_population_latest_year(client, with_boundaries):
    rendered = page(client, "?lang=en")
    assert locations(figure(rendered)) == KYZYLORDA_UNITS
    indicator = find(rendered, "map-indicator")["props"]
    if "population" in [o["value"] for o in indicator["options"]]:
        assert indicator["value"] == "population"
    year = find(rendered, "map-year")["props"]
    assert year["value"] == year["max"] == max(int(y) for y in year["marks"])


def test_national_level_has_the_oblasts_and_republican_cities(client, with_boundaries):
    fig = figure(page(client, "?level=oblast&lang=ru"))
    drawn = locations(fig)
    assert KYZYLORDA in drawn and REPUBLICAN_CITIES <= drawn
    assert not drawn & KYZYLORDA_UNITS
    assert fig["layout"]["separators"] == ",\u00a0"


def test_the_year_callback_changes_z(client, with_boundaries):
    rendered = page(client, f"?level=district&parent={KYZYLORDA}&lang=en")
    indicator = find(rendered, "map-indicator")["props"]["value"]
    years = sorted(int(y) for y in find(rendered, "map-year")["props"]["marks"])
    if len(years) < 2:
        pytest.skip("the default indicator has one year only")

    def z(year: int) -> tuple[list, dict]:
        out = callback(
            client,
            VIEW_OUTPUT,
            VIEW_OUTPUTS,
            [
                {"id": "map-year", "property": "value", "value": year},
                {"id": "map-indicator", "property": "value", "value": indicator},
                {"id": "map-level", "property": "value", "value": "district"},
                {"id": "map-parent", "property": "value", "value": KYZYLORDA},
                *PLAIN_OPTIONS,
            ],
            state=[{"id": "map-state", "property": "data", "value": {"lang": "en"}}, NOTHING_DRAWN],
        )
        resp = out["response"]
        data = resp["map-graph"]["figure"]["data"]
        return (data[0]["z"] if data[0].get("showscale") is not False else []), resp

    first, _ = z(years[0])
    last, resp = z(years[-1])
    assert first != last
    assert resp["map-url"]["data"] == (
        f"?indicator={indicator}&year={years[-1]}&level=district&parent={KYZYLORDA}&lang=en"
    )
    assert str(years[-1]) in resp["map-caption"]["children"]


def test_ranked_table_lists_no_data_last(client):
    rendered = page(client, f"?level=district&parent={KYZYLORDA}&lang=en")
    rows = find(rendered, "map-rows")["props"]["data"]["rows"]
    ranks = [r[1] for r in rows]
    assert len(rows) >= 9
    numbered = [r for r in ranks if r is not None]
    assert ranks[: len(numbered)] == numbered  # no-data rows (rank None) come last
    assert numbered == sorted(numbered)
    view = find(rendered, "map-table-view")["props"]["data"]
    assert set(KYZYLORDA_UNITS) <= set(view["names"])
    assert view["href"] == f"/explore?indicator={view_indicator(rendered)}&area=__AREA__&lang=en"


def test_the_figure_fetches_nothing_from_a_cdn(client, with_boundaries):
    for search in ("?lang=en", "?level=oblast&lang=en"):
        fig = json.dumps(figure(page(client, search)))
        assert not re.search(r"https?://", fig)


@pytest.mark.parametrize(
    ("search", "says"),
    [
        ("?indicator=no_such_thing&lang=en", "Indicator “no_such_thing” was not found"),
        ("?parent=999999999&lang=en", "Area “999999999” was not found"),
        ("?parent=433200000&lang=en", "“433200000” is not an oblast"),
    ],
)
def test_unknown_codes_give_a_friendly_message(client, search, says):
    rendered = render(client, "/map", search)
    assert says in texts(rendered)
    assert "Traceback" not in rendered


def play(client, dash_app, trigger: str, paused: bool, year: int) -> dict:
    """Call the Play/Pause callback as if ``trigger`` (map-play or map-interval) fired."""
    key = next(k for k in dash_app.callback_map if k.startswith("..map-interval.disabled"))
    prop = {"map-play": "n_clicks", "map-interval": "n_intervals"}
    payload = {
        "output": key,
        "outputs": [
            {"id": "map-interval", "property": "disabled"},
            {"id": "map-play", "property": "children"},
            {"id": "map-play", "property": "aria-pressed"},
            {"id": "map-year", "property": key.rsplit("map-year.", 1)[1][:-2]},
        ],
        "inputs": [
            {"id": "map-play", "property": "n_clicks", "value": 1},
            {"id": "map-interval", "property": "n_intervals", "value": 1},
        ],
        "state": [
            {"id": "map-interval", "property": "disabled", "value": paused},
            {"id": "map-year", "property": "value", "value": year},
            {
                "id": "map-state",
                "property": "data",
                "value": {"lang": "en", "years": [2020, 2021, 2023]},
            },
        ],
        "changedPropIds": [f"{trigger}.{prop[trigger]}"],
    }
    resp = client.post(
        "/_dash-update-component", data=json.dumps(payload), content_type="application/json"
    )
    assert resp.status_code == 200, resp.get_data(as_text=True)[:2000]
    out = resp.get_json()["response"]
    return {
        "paused": out["map-interval"]["disabled"],
        "label": out["map-play"]["children"],
        "pressed": out["map-play"]["aria-pressed"],
        "year": out.get("map-year", {}).get("value"),
    }


def test_play_steps_through_the_years_then_stops(client, dash_app):
    assert play(client, dash_app, "map-play", True, 2023) == {
        "paused": False,
        "label": "Pause",
        "pressed": "true",
        "year": 2020,
    }  # from the start
    assert play(client, dash_app, "map-interval", False, 2020)["year"] == 2021
    assert play(client, dash_app, "map-interval", False, 2021) == {
        "paused": True,
        "label": "Play",
        "pressed": "false",
        "year": 2023,
    }  # the last year
    assert play(client, dash_app, "map-play", False, 2021) == {
        "paused": True,
        "label": "Play",
        "pressed": "false",
        "year": None,
    }  # pause


def test_click_opens_explore(client):
    out = callback(
        client,
        "map-go.data",
        [{"id": "map-go", "property": "data"}],
        [
            {
                "id": "map-graph",
                "property": "clickData",
                "value": {"points": [{"location": "434400000"}]},
            },
        ],
        state=[
            {"id": "map-indicator", "property": "value", "value": "population"},
            {"id": "map-state", "property": "data", "value": {"lang": "ru"}},
        ],
    )
    assert out["response"]["map-go"]["data"] == (
        "/explore?indicator=population&area=434400000&lang=ru"
    )


def test_without_boundaries_the_page_says_so(client, dash_app, web_db, tmp_path):
    from store.cache import cache

    url = f"sqlite:///{tmp_path / 'nogeo.db'}"
    code, _, err = run_etl("build", "--no-boundaries", "--db", url)
    assert code == 0, err
    try:
        queries.use(url)
        with dash_app.server.app_context():
            cache.clear()
        rendered = page(client, "?lang=en")
        said = texts(render(client, "/map", "?lang=ru"))
    finally:
        queries.use(web_db)
        with dash_app.server.app_context():
            cache.clear()
    assert "Boundaries are not installed" in json.dumps(rendered, ensure_ascii=False)
    assert "Границы не установлены" in said
    assert find(rendered, "map-graph-box")["props"]["hidden"] is True
    ranked = find(rendered, "map-rows")["props"]["data"][
        "rows"
    ]  # the ranked values are still there
    assert [r for r in ranked if r[1] is not None]


def test_area_picks_its_oblast_and_is_outlined(client, with_boundaries):
    rendered = page(client, "?area=Kazaly&lang=en")
    assert find(rendered, "map-parent")["props"]["value"] == KYZYLORDA
    data = figure(rendered)["data"][0]
    widths = dict(zip(data["locations"], data["marker"]["line"]["width"], strict=True))
    assert widths.pop("434400000") == 3 and set(widths.values()) == {1}


def test_per_capita_map_data_equals_value_over_population(client):
    base = f"indicator=industrial_output&level=district&parent={KYZYLORDA}&year=2023&lang=en"
    resp = client.get(f"/download/map-data.json?{base}&normalize=per_capita&scale=quantile")
    assert resp.status_code == 200, resp.get_data(as_text=True)
    body = resp.get_json()
    rows = body["data"]
    pop = queries.observations("population", tuple(r["area"] for r in rows))
    pop = pop[(pop["series"] == "") & (pop["year"] == 2023)].set_index("area")["value"]
    out = queries.observations("industrial_output", tuple(r["area"] for r in rows))
    out = out[(out["series"] == "") & (out["year"] == 2023)].set_index("area")["value"]
    assert rows
    for r in rows:
        assert r["denominator_persons"] == pop[r["area"]] * 1000  # thousand persons
        # million tenge per person, shown in tenge per person (the unit's million moved in)
        tenge = out[r["area"]] * 1e6 / (pop[r["area"]] * 1000)
        assert r["value"] == round(tenge)  # whole tenge: the published precision
        assert r["unit"] == "tenge per person, current prices"
    meta = body["meta"]
    assert meta["normalize"] == "per_capita" and "population" in meta["formula"].lower()
    linear = client.get(f"/download/map-data.json?{base}&normalize=per_capita").get_json()
    assert [r["value"] for r in linear["data"]] == [r["value"] for r in rows]  # scale: colours only


@pytest.mark.parametrize(
    ("query", "says"),
    [
        ("indicator=employed_population&normalize=per_capita&year=2024", "no population for 2024"),
        ("indicator=unemployment_rate&normalize=per_capita", "not a total"),
        ("indicator=industrial_output&normalize=per_head", "unknown normalize"),
        ("indicator=industrial_output&scale=rainbow", "unknown scale"),
    ],
)
def test_map_data_refuses_what_it_cannot_compute(client, query, says):
    resp = client.get(f"/download/map-data.csv?level=district&parent={KYZYLORDA}&{query}")
    assert resp.status_code == 400
    assert says in resp.get_json()["error"]


def test_the_page_says_per_person_and_shows_the_formula(client, with_boundaries):
    rendered = render(
        client,
        "/map",
        f"?indicator=industrial_output&parent={KYZYLORDA}&normalize=per_capita&since=2015&lang=en",
    )
    page_text = texts(rendered)
    assert "per person" in page_text and "Per person = " in page_text
    assert "Change since 2015" in page_text
