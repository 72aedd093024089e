"""Whole answers of pure callbacks kept in the cache (views/response_cache.py): a repeated
request gets the same bytes without touching the store; a new load, another language or
another encoding gets an answer of its own; callbacks not declared pure are never kept."""

from __future__ import annotations

import contextlib
import gzip
import json
from collections.abc import Iterator

import pytest
from sqlalchemy import event

from benchmarks.web_perf import page_payload
from tests.web.test_webperf import ARAL, KAZALY, OUTPUTS, UPDATE, change_and_bump, copy_of

EXPLORE_OUTPUT = ".." + "...".join(f"explore-{o}" for o in OUTPUTS) + ".."
EXPLORE_PAGE = f"?indicator=industrial_output&area={ARAL}&compare={KAZALY}"


@pytest.fixture
def emptied(dash_app):  # noqa: ANN001, ANN201
    """The app's cache emptied before and after the test."""
    from store.cache import cache

    # in the app's own context: a context of another app left pushed by an earlier test
    # would have the cache of that app cleared instead
    with dash_app.server.app_context():
        cache.clear()
    yield cache
    with dash_app.server.app_context():
        cache.clear()


def explore_body(indicator: str = "industrial_output") -> dict:
    """The Explore callback's request for Aral and Kazaly (the indicator changed)."""
    return {
        "output": EXPLORE_OUTPUT,
        "outputs": [
            {"id": f"explore-{o.split('.')[0]}", "property": o.split(".")[1]} for o in OUTPUTS
        ],
        "inputs": [
            {"id": "explore-indicator", "property": "value", "value": indicator},
            {"id": "explore-compare", "property": "value", "value": [KAZALY]},
            {"id": "explore-mode", "property": "value", "value": "absolute"},
            {"id": "explore-source", "property": "value", "value": []},
        ],
        "state": [
            {"id": "explore-state", "property": "data", "value": {"area": ARAL, "lang": "en"}}
        ],
        "changedPropIds": ["explore-indicator.value"],
    }


def post(client, body: dict, **headers: str):  # noqa: ANN001, ANN201
    resp = client.post(
        "/_dash-update-component",
        data=json.dumps(body),
        content_type="application/json",
        headers={k.replace("_", "-"): v for k, v in headers.items()},
    )
    assert resp.status_code == 200, resp.get_data(as_text=True)[:500]
    return resp


def decoded(resp) -> dict:  # noqa: ANN001
    data = resp.data
    if resp.headers.get("Content-Encoding") == "gzip":
        data = gzip.decompress(data)
    return json.loads(data)


@contextlib.contextmanager
def store_reads() -> Iterator[list[str]]:
    """The SQL statements the store runs while the block runs, but the data version's."""
    from store import queries

    seen: list[str] = []

    def count(conn, cursor, statement, *args) -> None:  # noqa: ANN001, ANN002
        if "data_version" not in str(args) and "meta" not in statement:
            seen.append(statement)

    engine = queries.engine()
    event.listen(engine, "before_cursor_execute", count)
    try:
        yield seen
    finally:
        event.remove(engine, "before_cursor_execute", count)


def test_a_repeated_explore_callback_gets_the_same_bytes_without_the_store(client, emptied):
    with store_reads() as first_reads:
        first = post(client, explore_body(), Accept_Encoding="gzip")
    assert first_reads  # computed
    assert first.headers["Content-Encoding"] == "gzip"
    with store_reads() as again_reads:
        again = post(client, explore_body(), Accept_Encoding="gzip")
    assert again_reads == []  # answered from the kept answer
    assert again.data == first.data
    assert again.headers["Content-Encoding"] == "gzip"
    assert again.headers["Content-Type"] == first.headers["Content-Type"]
    emptied.clear()
    uncached = post(client, explore_body(), Accept_Encoding="gzip")
    assert decoded(uncached) == decoded(first)


def test_another_indicator_is_not_answered_with_the_kept_one(client, emptied):
    one = decoded(post(client, explore_body("industrial_output")))
    other = decoded(post(client, explore_body("population")))
    assert one["response"]["explore-graph"] != other["response"]["explore-graph"]
    assert decoded(post(client, explore_body("industrial_output"))) == one


def test_a_new_load_misses_the_kept_answer(client, web_db, tmp_path, emptied):
    sql = UPDATE.format(change="value * 1000")
    with copy_of(web_db, tmp_path) as db:
        before = post(client, explore_body()).data
        change_and_bump(db, sql, ("industrial_output", ARAL), bump=True)
        with store_reads() as reads:
            after = post(client, explore_body()).data
    assert reads  # computed again
    assert after != before
    graph = json.loads(after)["response"]["explore-graph"]["figure"]
    old = json.loads(before)["response"]["explore-graph"]["figure"]
    assert graph["data"] != old["data"]


def test_the_language_and_the_encoding_have_answers_of_their_own(client, emptied):
    body = page_payload("/explore", EXPLORE_PAGE)  # no lang: Accept-Language decides
    ru = post(client, body, Accept_Language="ru").get_data(as_text=True)
    en = post(client, body, Accept_Language="en").get_data(as_text=True)
    assert ru != en
    assert post(client, body, Accept_Language="ru").get_data(as_text=True) == ru
    plain = post(client, body, Accept_Language="en")
    packed = post(client, body, Accept_Language="en", Accept_Encoding="gzip")
    assert "Content-Encoding" not in plain.headers
    assert packed.headers["Content-Encoding"] == "gzip"
    assert decoded(packed) == decoded(plain) == json.loads(en)


def test_only_callbacks_declared_pure_are_kept(dash_app):
    from views import response_cache

    server = dash_app.server
    with server.test_request_context("/_dash-update-component", method="POST", data=b"{}"):
        assert response_cache._key(explore_body()) is not None
        assert response_cache._key(page_payload("/explore", "")) is not None
        assert response_cache._key(page_payload("/", "")) is not None
        assert response_cache._key(page_payload("/decks", "")) is None  # per account
        assert response_cache._key(page_payload("/changes", "")) is None
        deck_menu = {**explore_body(), "output": "explore-deck-choice.options"}
        assert response_cache._key(deck_menu) is None


OBSERVATIONS = f"/api/v1/observations?indicator=industrial_output&area={ARAL}"


@pytest.fixture
def frames(monkeypatch) -> list[tuple]:  # noqa: ANN001
    """The observation frames the API endpoint builds (its work beyond the store's cache)."""
    from api import v1_observations

    built: list[tuple] = []
    real = v1_observations.observation_frame

    def counted(*args, **kwargs):  # noqa: ANN002, ANN003, ANN202
        built.append(args)
        return real(*args, **kwargs)

    monkeypatch.setattr(v1_observations, "observation_frame", counted)
    return built


@pytest.mark.parametrize("fmt", ["json", "csv"])
def test_a_repeated_api_read_gets_the_same_bytes_without_the_work(client, emptied, frames, fmt):
    url = f"{OBSERVATIONS}&format={fmt}"
    first = client.get(url, headers={"Accept-Encoding": "gzip"})
    assert first.status_code == 200 and len(frames) == 1
    with store_reads() as again_reads:
        again = client.get(url, headers={"Accept-Encoding": "gzip"})
    assert again_reads == [] and len(frames) == 1  # answered from the kept answer
    assert again.data == first.data
    for header in ("Content-Type", "Content-Encoding", "Content-Disposition", "ETag"):
        assert again.headers.get(header) == first.headers.get(header)
    # another address has an answer of its own
    other = client.get(f"{url}&from=2005", headers={"Accept-Encoding": "gzip"})
    assert other.status_code == 200 and other.data != first.data


def test_a_kept_api_answer_still_answers_if_none_match_with_304(client, emptied, frames):
    url = f"{OBSERVATIONS}&format=csv&from=2000"  # an address no other test asks
    first = client.get(url)
    etag = first.headers["ETag"]
    again = client.get(url, headers={"If-None-Match": etag})
    assert len(frames) == 1 and again.status_code == 304 and again.data == b""


def test_a_new_load_misses_the_kept_api_answer(client, web_db, tmp_path, emptied):
    sql = UPDATE.format(change="value * 1000")
    url = f"{OBSERVATIONS}&format=json"
    with copy_of(web_db, tmp_path) as db:
        before = client.get(url).get_json()
        change_and_bump(db, sql, ("industrial_output", ARAL), bump=True)
        after = client.get(url).get_json()
    assert [r["value"] * 1000 for r in before["data"]] == pytest.approx(
        [r["value"] for r in after["data"]]
    )


def test_only_api_reads_declared_pure_are_kept(dash_app):
    from views import response_cache

    server = dash_app.server
    update = "/_dash-update-component"
    with server.test_request_context(OBSERVATIONS):
        assert response_cache._request_key(update) is not None
    with server.test_request_context(OBSERVATIONS, method="POST"):
        assert response_cache._request_key(update) is None
    for path in ("/api/v1/changes", "/api/v1/indicators", "/present/api/decks"):
        with server.test_request_context(path):
            assert response_cache._request_key(update) is None
