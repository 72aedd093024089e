"""What makes the pages and the API fast, as behaviour (issue 9; no timings here, those are in
benchmarks/web_perf.py): one query for the Overview's cards, collapsed categories sent when
opened, sparklines without a figure, cached Explore and API answers equal to uncached ones
and invalidated by a new load, ETag and 304."""

from __future__ import annotations

import contextlib
import json
import re
import sqlite3
from collections.abc import Iterator
from urllib.parse import unquote

import pandas as pd
import pytest
from plotly.io.json import to_json_plotly
from sqlalchemy import event

from tests.web.conftest import callback, render

ARAL = "433200000"
KAZALY = "434400000"
CATEGORY_IDS = {f"overview-{c}" for c in ("ecological", "economic", "social")}
UPDATE = (  # the stored readings of one indicator in one area (keys are integers)
    "UPDATE observation_values SET value = {change} "
    "WHERE indicator_id = (SELECT id FROM indicator_ids WHERE code = ?) "
    "AND area_id = (SELECT id FROM area_ids WHERE code = ?)"
)
OBS_SQL = re.compile(r"\b(FROM|JOIN)\s+observations\b", re.IGNORECASE)


@pytest.fixture
def fresh_cache(dash_app):
    """The app's cache emptied, so the next answer is computed (and then kept)."""
    from store.cache import cache

    # this app's cache: outside an app context flask-caching clears the cache of the app it
    # was last initialised with, which another test's Flask app may be by now
    with dash_app.server.app_context():
        cache.clear()
    yield cache
    with dash_app.server.app_context():
        cache.clear()


@contextlib.contextmanager
def observation_queries() -> Iterator[list[str]]:
    """The SQL statements that read the observations table while the block runs."""
    from store import queries

    seen: list[str] = []

    def count(conn, cursor, statement, *args) -> None:  # noqa: ANN001, ANN002
        if OBS_SQL.search(statement):
            seen.append(statement)

    engine = queries.engine()
    event.listen(engine, "before_cursor_execute", count)
    try:
        yield seen
    finally:
        event.remove(engine, "before_cursor_execute", count)


@contextlib.contextmanager
def copy_of(web_db: str, tmp_path) -> Iterator[str]:  # noqa: ANN001
    """The app pointed at a copy of the test database (which the test may change)."""
    from store import queries

    src, dest = web_db.removeprefix("sqlite:///"), tmp_path / "copy.db"
    with sqlite3.connect(src) as a, sqlite3.connect(dest) as b:
        a.backup(b)
    url = f"sqlite:///{dest}"
    queries.use(url)
    try:
        yield str(dest)
    finally:
        queries.use(web_db)


def change_and_bump(db: str, sql: str, params: tuple, *, bump: bool) -> None:
    """Change the copy as a load would (a value), bumping data_version or not."""
    with sqlite3.connect(db) as conn:
        conn.execute(sql, params)
        if bump:
            conn.execute(
                "UPDATE meta SET value = CAST(value AS INTEGER) + 1 WHERE key = 'data_version'"
            )


def nodes(tree, pred) -> list[dict]:  # noqa: ANN001
    """Every component (as JSON) of a rendered tree for which ``pred(props)`` holds."""
    out = []
    if isinstance(tree, dict):
        props = tree.get("props")
        if isinstance(props, dict) and "type" in tree and pred(tree):
            out.append(tree)
        for v in tree.values():
            out.extend(nodes(v, pred))
    elif isinstance(tree, list):
        for v in tree:
            out.extend(nodes(v, pred))
    return out


def card_ids(tree) -> set[str]:  # noqa: ANN001
    return {
        n["props"]["id"]
        for n in nodes(tree, lambda n: str(n["props"].get("id", "")).startswith("card-"))
    }


# --- Overview -----------------------------------------------------------------------------


@pytest.mark.parametrize("area", [ARAL, KAZALY])
def test_overview_reads_the_observations_once_per_render(client, fresh_cache, area):
    with observation_queries() as seen:
        render(client, "/", f"?area={area}&lang=en")
    assert len(seen) == 1, seen
    with observation_queries() as again:  # the second render: from the cache
        render(client, "/", f"?area={area}&lang=en")
    assert again == []


def overview_tree(client, area: str = ARAL) -> dict:
    return json.loads(render(client, "/", f"?area={area}&lang=en"))


def collapsed(tree) -> list[dict]:  # noqa: ANN001
    """The category <details> elements that start closed."""
    return nodes(
        tree,
        lambda n: (
            n["type"] == "Details"
            and n["props"].get("id") in CATEGORY_IDS
            and not n["props"].get("open")
        ),
    )


def open_category(client, category: str, area: str = ARAL, filled: list | None = None) -> dict:
    """Click a category's summary: the pattern-matching callback's answer."""
    summary = {"category": category, "type": "overview-category"}
    cards = {"category": category, "type": "overview-category-cards"}
    wild = json.dumps({**cards, "category": ["MATCH"]}, separators=(",", ":"), sort_keys=True)
    payload = {
        "output": f"{wild}.children",
        "outputs": {"id": cards, "property": "children"},
        "inputs": [{"id": summary, "property": "n_clicks", "value": 1}],
        "state": [
            {"id": cards, "property": "children", "value": filled or []},
            {"id": summary, "property": "id", "value": summary},
            {"id": "overview-state", "property": "data", "value": {"area": area, "lang": "en"}},
        ],
        "changedPropIds": [
            json.dumps(summary, separators=(",", ":"), sort_keys=True) + ".n_clicks"
        ],
    }
    resp = client.post(
        "/_dash-update-component", data=json.dumps(payload), content_type="application/json"
    )
    assert resp.status_code in (200, 204), resp.get_data(as_text=True)[:500]
    return resp.get_json() if resp.status_code == 200 else {}


def test_collapsed_categories_are_sent_when_opened(client):
    from store import queries as q

    tree = overview_tree(client)
    closed = collapsed(tree)
    assert closed, "Aral district has a category long enough to start collapsed"
    first = card_ids(tree)
    catalogue = q.indicators().set_index("code")
    for details in closed:
        category = details["props"]["id"].removeprefix("overview-")
        container = nodes(details, lambda n: isinstance(n["props"].get("id"), dict))
        holder = [n for n in container if n["props"]["id"]["type"] == "overview-category-cards"]
        assert holder and holder[0]["props"]["children"] == []  # nothing sent yet
        answer = open_category(client, category)
        cards = answer["response"][next(iter(answer["response"]))]["children"]
        opened = card_ids(cards)
        assert opened and not opened & first  # the cards arrive now, and only now
        assert {catalogue.loc[c.removeprefix("card-"), "category"] for c in opened} == {category}
        # each card links to its Explore view; a second click (closing) sends nothing
        assert open_category(client, category, filled=cards) == {}


def test_open_categories_cards_are_in_the_first_response(client):
    tree = overview_tree(client, KAZALY)
    opened = nodes(
        tree,
        lambda n: (
            n["type"] == "Details"
            and n["props"].get("id") in CATEGORY_IDS
            and n["props"].get("open")
        ),
    )
    for details in opened:
        assert card_ids(details)


def test_sparklines_are_svg_paths_without_a_plotly_figure(client):
    tree = overview_tree(client)
    assert not nodes(tree, lambda n: n["type"] == "Graph")
    text = json.dumps(tree)
    assert '"data": [' not in text and "plotly" not in text.lower()
    sparks = nodes(tree, lambda n: n["props"].get("className") == "sparkline")
    assert sparks
    for img in sparks:
        src = img["props"]["src"]
        assert src.startswith("data:image/svg+xml,") and "base64" not in src
        svg = unquote(src.split(",", 1)[1])
        assert svg.startswith("<svg") and "<path" in svg and "h0" in svg


# --- Explore ------------------------------------------------------------------------------

OUTPUTS = ("heading.children", "intro.children", "graph.figure", "summary.children")
OUTPUTS += ("readings.children",)
OUTPUTS += ("table.children", "sources.children", "url.data")


def explore(client, indicator: str, mode: str = "absolute", changed: str | None = None) -> dict:
    """The Explore callback's answer (``changed``: the one control that changed)."""
    outputs = [{"id": f"explore-{o.split('.')[0]}", "property": o.split(".")[1]} for o in OUTPUTS]
    output = ".." + "...".join(f"explore-{o}" for o in OUTPUTS) + ".."
    inputs = [
        {"id": "explore-indicator", "property": "value", "value": indicator},
        {"id": "explore-compare", "property": "value", "value": [KAZALY]},
        {"id": "explore-mode", "property": "value", "value": mode},
        {"id": "explore-source", "property": "value", "value": []},
    ]
    state = [{"id": "explore-state", "property": "data", "value": {"area": ARAL, "lang": "en"}}]
    if changed is None:
        return callback(client, output, outputs, inputs, state)["response"]
    payload = {
        "output": output,
        "outputs": outputs,
        "inputs": inputs,
        "state": state,
        "changedPropIds": [f"explore-{changed}.value"],
    }
    resp = client.post(
        "/_dash-update-component", data=json.dumps(payload), content_type="application/json"
    )
    assert resp.status_code == 200, resp.get_data(as_text=True)[:500]
    return resp.get_json()["response"]


def test_cached_explore_answer_equals_the_uncached_one(client, fresh_cache):
    from pages import explore as page
    from store import queries
    from store.cache import cache

    with observation_queries() as seen:
        first = explore(client, "industrial_output")
    assert seen  # computed
    with observation_queries() as again:
        cached = explore(client, "industrial_output")
    assert again == []  # from the cache
    assert cached == first
    state = page.State("industrial_output", ARAL, (KAZALY,), "absolute", "preferred", "en")
    cache.clear()

    def as_json(view) -> str:  # noqa: ANN001 - components compare by identity, JSON by value
        return to_json_plotly(list(view))

    uncached = as_json(page._view(state))
    assert as_json(page.view(state)) == uncached  # computed, then kept
    assert as_json(page.view(state)) == uncached  # from the cache
    assert queries.cache_version()


def test_a_new_load_invalidates_the_cached_explore_answer(client, web_db, tmp_path, fresh_cache):
    sql = UPDATE.format(change="value * 1000")
    with copy_of(web_db, tmp_path) as db:
        before = explore(client, "industrial_output")
        change_and_bump(db, sql, ("industrial_output", ARAL), bump=False)
        assert explore(client, "industrial_output") == before  # kept: same data version
        change_and_bump(db, sql, ("industrial_output", ARAL), bump=True)
        after = explore(client, "industrial_output")
    assert after["explore-graph"] != before["explore-graph"]
    assert after["explore-table"] != before["explore-table"]


def test_a_mode_change_sends_only_what_changed(client):
    full = explore(client, "industrial_output", mode="index")
    assert {"explore-heading", "explore-sources"} <= set(full)
    only = explore(client, "industrial_output", mode="index", changed="mode")
    assert "explore-heading" not in only and "explore-sources" not in only
    assert only["explore-graph"] == full["explore-graph"]
    assert only["explore-url"] == full["explore-url"]


# --- API CSV ------------------------------------------------------------------------------

CSV = "/api/v1/observations?indicator=population&format=csv"


def test_cached_csv_equals_the_uncached_and_the_json_rows(client, fresh_cache):
    from api import export_csv, v1_observations

    first = client.get(CSV)
    assert first.status_code == 200 and first.headers["ETag"]
    assert first.headers["Last-Modified"]
    cached = client.get(CSV)
    assert cached.data == first.data and cached.headers["ETag"] == first.headers["ETag"]
    rows = client.get(CSV.replace("format=csv", "format=json")).get_json()["data"]
    built = export_csv.to_csv(pd.DataFrame(rows, columns=list(v1_observations.OBSERVATION_COLUMNS)))
    assert first.data == built  # the same rows as the JSON, as the CSV always wrote them
    assert first.data.decode("utf-8-sig").count("\r\n") == len(rows) + 1


def test_csv_answers_304_to_its_etag(client, fresh_cache):
    first = client.get(CSV)
    etag = first.headers["ETag"]
    again = client.get(CSV, headers={"If-None-Match": etag})
    assert again.status_code == 304 and again.data == b""
    assert again.headers["ETag"] == etag
    since = client.get(CSV, headers={"If-Modified-Since": first.headers["Last-Modified"]})
    assert since.status_code == 304
    other = client.get(CSV, headers={"If-None-Match": '"not-this-one"'})
    assert other.status_code == 200 and other.data == first.data


def test_a_new_load_changes_the_csv_and_its_etag(client, web_db, tmp_path, fresh_cache):
    sql = UPDATE.format(change="value + 1")
    with copy_of(web_db, tmp_path) as db:
        before = client.get(CSV)
        change_and_bump(db, sql, ("population", ARAL), bump=True)
        after = client.get(CSV)
        stale = client.get(CSV, headers={"If-None-Match": before.headers["ETag"]})
    assert after.data != before.data and after.headers["ETag"] != before.headers["ETag"]
    assert stale.status_code == 200
