"""Property-based: no 5xx from any page route, any callback, any download, embed or deck URL.

The REST API has its own runs (schemathesis and hypothesis) in test_api.py. Here hypothesis
generates:

* page loads: every registered page with random and plausible query strings, through the
  page router callback as the browser calls it, and the plain GET;
* callback calls: a body for every server callback in the app's callback map (its inputs
  and state, with wildcard ids expanded to 0-2 concrete ids), the values random JSON or
  plausible ones (indicator codes, KATO codes, years, languages);
* /download, /embed and /present URLs and /present/api bodies with random parameters.

Every answer must be below 500; callbacks answer 200, 204 or a 4xx with a JSON message.
"""

from __future__ import annotations

import json
import tempfile
from pathlib import Path
from urllib.parse import urlencode

import dash
import pytest
from dash._utils import stringify_id
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis.configuration import set_hypothesis_home_dir

from store import deck_database

set_hypothesis_home_dir(Path(tempfile.gettempdir()) / "aral-indicators-hypothesis")

SETTINGS = settings(
    max_examples=40, deadline=None, database=None, suppress_health_check=list(HealthCheck)
)
PLAUSIBLE = [
    "industrial_output",
    "population",
    "sdg_15_1_2",
    "433200000",
    "430000000",
    "000000000",
    "Aral",
    "2008",
    "2023",
    "2024-01-01",
    "2024-02-30",
    "last",
    "true",
    2015,
    "kk",
    "ru",
    "en",
    "oblast",
    "district",
    "absolute",
    "change",
    "index",
    "all",
    "preferred",
    "aral-default",
    "?indicator=industrial_output&area=433200000",
    "/explore",
    {"points": [{"location": "433200000", "customdata": ["433200000"]}]},
    {"points": [{}]},
    {"deck": "aral-default", "lang": "en"},
]
QUERY_KEYS = [
    "indicator",
    "area",
    "year",
    "compare",
    "mode",
    "level",
    "parent",
    "source",
    "lang",
    "deck",
    "slide",
    "width",
    "height",
    "scale",
    "program",
    "since",
    "history",
]

scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-(10**12), 10**12),
    st.floats(allow_nan=False, allow_infinity=False),
    st.text(max_size=16),
)
json_values = st.recursive(
    scalars,
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner, max_size=3)
    ),
    max_leaves=8,
)
values = st.one_of(st.sampled_from(PLAUSIBLE), json_values)
query_values = st.one_of(
    st.sampled_from([str(v) for v in PLAUSIBLE if not isinstance(v, dict)]), st.text(max_size=12)
)
queries_ = st.dictionaries(
    st.one_of(st.sampled_from(QUERY_KEYS), st.text(max_size=6)), query_values, max_size=5
)


@pytest.fixture(autouse=True)
def deck_db(tmp_path_factory, monkeypatch, dash_app):
    url = f"sqlite:///{tmp_path_factory.mktemp('fuzz') / 'decks.db'}"
    monkeypatch.setenv("DECKS_DATABASE_URL", url)
    deck_database.use(url)
    with dash_app.server.app_context():
        yield url
    deck_database.dispose()


def server_callbacks(app: dash.Dash) -> list[tuple[str, dict]]:
    return sorted((k, v) for k, v in app.callback_map.items() if v.get("callback") is not None)


def _split_outputs(output: str) -> list[tuple[str, str]]:
    parts = output[2:-2].split("...") if output.startswith("..") else [output]
    return [tuple(p.rsplit(".", 1)) for p in parts]  # type: ignore[misc]


def _concrete(pattern: dict, draw) -> dict:  # noqa: ANN001
    return {
        k: (
            draw(st.one_of(st.integers(0, 3), st.sampled_from(["a", "save", "433200000"])))
            if isinstance(v, list)
            else v
        )
        for k, v in pattern.items()
    }


def _prop(id_: str, prop: str, draw) -> dict | list:  # noqa: ANN001
    if id_.startswith("{"):
        pattern = json.loads(id_)
        n = draw(st.integers(0, 2))
        return [
            {"id": _concrete(pattern, draw), "property": prop, "value": draw(values)}
            for _ in range(n)
        ]
    return {"id": id_, "property": prop, "value": draw(values)}


def callback_body(output: str, spec: dict, draw) -> dict:  # noqa: ANN001
    outs = []
    for id_, prop in _split_outputs(output):
        if id_.startswith("{"):
            pattern = json.loads(id_)
            outs.append(
                [
                    {"id": _concrete(pattern, draw), "property": prop}
                    for _ in range(draw(st.integers(0, 2)))
                ]
            )
        else:
            outs.append({"id": id_, "property": prop})
    inputs = [_prop(i["id"], i["property"], draw) for i in spec["inputs"]]
    state = [_prop(s["id"], s["property"], draw) for s in spec.get("state", [])]
    flat = [p for i in inputs for p in (i if isinstance(i, list) else [i])]
    changed = [f"{stringify_id(p['id'])}.{p['property']}" for p in flat if draw(st.booleans())]
    return {
        "output": output,
        "outputs": outs if output.startswith("..") else outs[0],
        "inputs": inputs,
        "state": state,
        "changedPropIds": changed,
    }


def _post(client, body: dict):  # noqa: ANN001
    return client.post(
        "/_dash-update-component", data=json.dumps(body), content_type="application/json"
    )


@pytest.fixture(scope="module")
def callbacks(dash_app, client):
    client.get("/")  # Dash merges the pages' callbacks on the first request
    found = server_callbacks(dash_app)
    assert len(found) >= 10
    return found


def _fuzz(client, output: str, spec: dict):  # noqa: ANN001, ANN202
    @SETTINGS
    @given(data=st.data())
    def run(data) -> None:  # noqa: ANN001
        body = callback_body(output, spec, data.draw)
        resp = _post(client, body)
        assert resp.status_code < 500, (
            json.dumps(body)[:1500],
            resp.get_data(as_text=True)[:300],
        )
        if resp.status_code >= 400:
            assert resp.is_json and resp.get_json()["error"]

    return run


def test_every_server_callback_with_generated_bodies_never_5xx(client, callbacks):
    failures = []
    for output, spec in callbacks:
        try:
            _fuzz(client, output, spec)()
        except AssertionError as exc:
            failures.append(f"{spec['callback'].__module__}.{spec['callback'].__name__}: {exc}")
    assert failures == [], "\n\n".join(failures)


@SETTINGS
@given(
    path=st.sampled_from(
        ["/", "/explore", "/map", "/programs", "/about", "/decks", "/changes", "/nope"]
    ),
    query=queries_,
)
def test_every_page_route_with_any_query_never_5xx(client, path, query):
    search = "?" + urlencode(query) if query else ""
    body = {
        "output": ".._pages_content.children..._pages_store.data..",
        "outputs": [
            {"id": "_pages_content", "property": "children"},
            {"id": "_pages_store", "property": "data"},
        ],
        "inputs": [
            {"id": "_pages_location", "property": "pathname", "value": path},
            {"id": "_pages_location", "property": "search", "value": search},
        ],
        "changedPropIds": ["_pages_location.pathname", "_pages_location.search"],
        "state": [],
    }
    resp = _post(client, body)
    assert resp.status_code == 200, (path, search, resp.get_data(as_text=True)[:1000])
    assert client.get(path + search).status_code < 500


URLS = [
    "/api/v1/changes",
    "/api/v1/observations",
    "/download/data.csv",
    "/download/data.json",
    "/download/map-data.csv",
    "/download/chart.svg",
    "/download/map.svg",
    "/embed/explore",
    "/embed/map",
    "/present",
    "/present/notes",
    "/present/export.html",
    "/present/api/decks/aral-default",
    "/present/api/decks/aral-default/slides/1",
    "/present/api/kinds",
]


@SETTINGS
@given(path=st.sampled_from(URLS), query=queries_)
def test_downloads_embeds_and_decks_with_any_query_never_5xx(client, path, query):
    resp = client.get(path, query_string=query)
    assert resp.status_code < 500, (path, query, resp.get_data(as_text=True)[:1000])


@SETTINGS
@given(
    route=st.sampled_from(
        [
            ("post", "/present/api/decks"),
            ("put", "/present/api/decks/aral-default"),
            ("post", "/present/api/decks/aral-default/slides"),
            ("post", "/present/api/decks/aral-default/order"),
            ("post", "/present/api/decks/aral-default/freeze"),
            ("post", "/present/api/decks/aral-default/copy"),
            ("post", "/present/api/decks/aral-default/slides/1/move"),
        ]
    ),
    body=st.one_of(
        json_values,
        st.fixed_dictionaries(
            {},
            optional={
                k: values
                for k in (
                    "title",
                    "lang",
                    "slug",
                    "slides",
                    "kind",
                    "params",
                    "notes",
                    "order",
                    "as_of",
                    "position",
                    "translations",
                )
            },
        ),
    ),
)
def test_deck_api_with_any_body_never_5xx(client, route, body):
    method, path = route
    resp = getattr(client, method)(path, json=body)
    assert resp.status_code < 500, (route, body, resp.get_data(as_text=True)[:1000])
    assert resp.is_json
