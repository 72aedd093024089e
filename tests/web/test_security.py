"""Web safety: who may change decks, CSRF, size limits, security headers, 400 for bad bodies."""

from __future__ import annotations

import json
import threading
import urllib.request

import pytest
from werkzeug.serving import make_server

from api.security import DevRequestHandler
from store import deck_database, decks
from tests.conftest import browser_like_client
from tests.web.conftest import render, texts
from tests.web.test_deck_editor import ACT, ACT_OUTPUTS, act, status

DECK = "aral-default"
REMOTE = "203.0.113.7"  # a documentation address: a client on another machine
EVIL = "https://evil.example"


@pytest.fixture(autouse=True)
def deck_db(tmp_path, monkeypatch, dash_app):
    url = f"sqlite:///{tmp_path / 'decks.db'}"
    monkeypatch.setenv("DECKS_DATABASE_URL", url)
    monkeypatch.delenv("DECKS_READONLY", raising=False)
    monkeypatch.delenv("DECKS_WRITE_TOKEN", raising=False)
    deck_database.use(url)
    with dash_app.server.app_context():
        yield url
    deck_database.dispose()


@pytest.fixture
def remote(dash_app):
    """A browser on another machine (its requests come from REMOTE)."""
    c = browser_like_client(dash_app.server)
    c.environ_base["REMOTE_ADDR"] = REMOTE
    return c


@pytest.fixture
def bare(dash_app):
    """A client on this machine that sends no CSRF token (a script, or another site's form)."""
    return dash_app.server.test_client()


def n_decks() -> int:
    return len(decks.list_decks())


# --- who may write -------------------------------------------------------------------------


def test_another_machine_cannot_write_without_the_token(remote):
    before = decks.get_deck(DECK)
    for method, path, body in [
        ("post", "/present/api/decks", {"title": "Mine"}),
        ("put", f"/present/api/decks/{DECK}", {"title": "Hacked"}),
        ("delete", f"/present/api/decks/{DECK}", None),
        ("post", f"/present/api/decks/{DECK}/freeze", {}),
        ("post", f"/present/api/decks/{DECK}/copy", {}),
    ]:
        resp = getattr(remote, method)(path, json=body)
        assert resp.status_code == 403, (path, resp.get_data(as_text=True))
        assert "own machine" in resp.get_json()["error"]
    assert decks.get_deck(DECK) == before and n_decks() == 1
    assert remote.get("/present/api/decks").status_code == 200  # reading stays open
    assert remote.get("/present/api/csrf").status_code == 403


def test_the_token_in_a_header_lets_another_machine_write(dash_app, monkeypatch):
    monkeypatch.setenv("DECKS_WRITE_TOKEN", "s3cret-token")
    c = dash_app.server.test_client()  # a script: no cookies, no CSRF token
    c.environ_base["REMOTE_ADDR"] = REMOTE
    wrong = c.post("/present/api/decks", json={"title": "A"}, headers={"X-Decks-Token": "nope"})
    assert wrong.status_code == 403
    resp = c.post(
        "/present/api/decks", json={"title": "A"}, headers={"Authorization": "Bearer s3cret-token"}
    )
    assert resp.status_code == 201, resp.get_data(as_text=True)
    resp = c.post(
        "/present/api/decks", json={"title": "B"}, headers={"X-Decks-Token": "s3cret-token"}
    )
    assert resp.status_code == 201 and n_decks() == 3


def test_unlock_sets_a_token_cookie_that_still_needs_csrf(remote, monkeypatch):
    assert remote.get("/present/unlock").status_code == 404  # no token set: nothing to unlock
    monkeypatch.setenv("DECKS_WRITE_TOKEN", "s3cret-token")
    form = remote.get("/present/unlock?lang=ru").get_data(as_text=True)
    assert "Ключ доступа" in form
    csrf = form.split('name="csrf_token" value="')[1].split('"')[0]
    bad = remote.post("/present/unlock", data={"csrf_token": csrf, "token": "guess"})
    assert bad.status_code == 403 and remote.get_cookie("decks_token") is None
    ok = remote.post("/present/unlock", data={"csrf_token": csrf, "token": "s3cret-token"})
    assert ok.status_code == 302 and remote.get_cookie("decks_token") is not None
    resp = remote.post("/present/api/decks", json={"title": "From afar"})  # browser-like: CSRF
    assert resp.status_code == 201, resp.get_data(as_text=True)
    raw = remote.post(
        "/present/api/decks", json={"title": "No CSRF"}, headers={"X-CSRFToken": "forged"}
    )
    assert raw.status_code == 403 and "CSRF" in raw.get_json()["error"]


def test_a_proxied_request_is_not_from_this_machine(client, monkeypatch):
    forwarded = {"X-Forwarded-For": REMOTE}
    resp = client.post("/present/api/decks", json={"title": "Via proxy"}, headers=forwarded)
    assert resp.status_code == 403 and n_decks() == 1


def test_a_cross_site_form_post_cannot_freeze_copy_or_delete(bare):
    before = decks.get_deck(DECK)
    for path in ("freeze", "unfreeze", "copy"):
        resp = bare.post(
            f"/present/api/decks/{DECK}/{path}",
            data="x=1",
            content_type="application/x-www-form-urlencoded",
            headers={"Origin": EVIL},
        )
        assert resp.status_code == 403, resp.get_data(as_text=True)
        assert "CSRF" in resp.get_json()["error"]
    assert bare.delete(f"/present/api/decks/{DECK}").status_code == 403
    assert decks.get_deck(DECK) == before and n_decks() == 1


def test_a_valid_csrf_token_from_another_origin_is_refused(client):
    resp = client.post("/present/api/decks", json={"title": "x"}, headers={"Origin": EVIL})
    assert resp.status_code == 403 and "another site" in resp.get_json()["error"]
    same = client.post(
        "/present/api/decks", json={"title": "x"}, headers={"Origin": "http://localhost"}
    )
    assert same.status_code == 201


def test_the_editor_callback_refuses_another_machine(remote, bare):
    out = act(remote, "create", fields={("new-title", 0): "Mine"})
    assert "own machine" in status(out) or "DECKS_WRITE_TOKEN" in status(out)
    out = act(bare, "create", fields={("new-title", 0): "Mine too"})
    assert "CSRF" in status(out)
    assert n_decks() == 1


def test_the_editor_shows_no_controls_to_another_machine(remote, client):
    text = texts(render(remote, "/decks", f"?lang=en&deck={DECK}"))
    assert "DECKS_WRITE_TOKEN" in text and "dk-btn" not in text
    here = texts(render(client, "/decks", f"?lang=en&deck={DECK}"))
    assert "dk-btn" in here


def test_pages_give_a_csrf_cookie_only_to_clients_that_may_write(dash_app, remote):
    local = dash_app.server.test_client()
    local.get("/decks")
    assert local.get_cookie("_csrf_token") is not None
    remote.get("/decks")
    assert remote.get_cookie("_csrf_token") is None


@pytest.mark.parametrize("path", ["/explore", "/decks"])
def test_the_first_request_without_secret_key_gets_the_deck_databases_key(
    dash_app, monkeypatch, path
):
    """No SECRET_KEY set: the session of a worker's first request is opened with the key
    kept in the deck database (it used to be opened keyless, and the CSRF cookie of that
    first page then failed with a 500)."""
    monkeypatch.setattr(dash_app.server, "secret_key", None)
    local = dash_app.server.test_client()
    resp = local.get(path)
    assert resp.status_code == 200
    assert dash_app.server.secret_key == deck_database.secret_key()
    assert local.get_cookie("_csrf_token") is not None


def test_a_callback_sets_the_csrf_cookie_only_when_the_client_lacks_a_current_one(dash_app):
    from tests.web.test_response_cache import explore_body

    local = dash_app.server.test_client()  # on this machine: may change decks

    def csrf_set() -> bool:
        resp = local.post("/_dash-update-component", json=explore_body())
        assert resp.status_code == 200
        return any(c.startswith("_csrf_token=") for c in resp.headers.getlist("Set-Cookie"))

    assert csrf_set()  # no cookie yet
    assert not csrf_set()  # the cookie sent is the session's: left as it is
    local.set_cookie("_csrf_token", "forged")
    assert csrf_set()  # one the session does not accept is replaced
    assert not csrf_set()


# --- limits --------------------------------------------------------------------------------


def test_size_limits(client, monkeypatch):
    monkeypatch.setenv("DECKS_MAX_TITLE", "10")
    resp = client.post("/present/api/decks", json={"title": "x" * 11})
    assert resp.status_code == 400 and "longer than 10" in resp.get_json()["error"]
    monkeypatch.setenv("DECKS_MAX_TEXT", "50")
    resp = client.post(
        f"/present/api/decks/{DECK}/slides", json={"kind": "text", "notes": "n" * 51}
    )
    assert resp.status_code == 400 and "notes is longer than 50" in resp.get_json()["error"]
    monkeypatch.setenv("DECKS_MAX_SLIDES", "8")  # the default deck has 8
    resp = client.post(f"/present/api/decks/{DECK}/slides", json={"kind": "text"})
    assert resp.status_code == 409 and "DECKS_MAX_SLIDES" in resp.get_json()["error"]
    resp = client.post("/present/api/decks", json={"title": "t", "slides": [{"kind": "text"}] * 9})
    assert resp.status_code == 400
    monkeypatch.setenv("DECKS_MAX_DECKS", "2")
    assert client.post("/present/api/decks", json={"title": "Second"}).status_code == 201
    resp = client.post("/present/api/decks", json={"title": "Third"})
    assert resp.status_code == 409 and "DECKS_MAX_DECKS" in resp.get_json()["error"]
    assert n_decks() == 2


def test_a_body_over_the_request_limit_is_413(client, dash_app):
    limit = dash_app.server.config["MAX_CONTENT_LENGTH"]
    resp = client.post(
        "/present/api/decks", data=b"{" + b" " * limit + b"}", content_type="application/json"
    )
    assert resp.status_code == 413


# --- bad bodies ----------------------------------------------------------------------------

DEEP = "[" * 100_000 + "]" * 100_000


def test_deeply_nested_json_is_400_not_a_recursion_error(client):
    resp = client.post("/present/api/decks", data=DEEP, content_type="application/json")
    assert resp.status_code == 400 and "JSON" in resp.get_json()["error"]
    nested = '{"title": ' + "[" * 100 + "]" * 100 + "}"
    resp = client.post("/present/api/decks", data=nested, content_type="application/json")
    assert resp.status_code == 400
    resp = client.post("/_dash-update-component", data=DEEP, content_type="application/json")
    assert resp.status_code == 400


@pytest.mark.parametrize(
    "body",
    [
        "",
        "not json",
        "[]",
        "null",
        '"text"',
        "{}",
        '{"output": "nope.children"}',
        '{"output": 5, "outputs": [], "inputs": []}',
        json.dumps({"output": ACT, "outputs": ACT_OUTPUTS, "inputs": "x"}),
        json.dumps({"output": ACT, "outputs": ACT_OUTPUTS, "inputs": [1, 2]}),
        json.dumps({"output": ACT, "outputs": 3, "inputs": [[], []]}),
        json.dumps({"output": ACT, "outputs": ACT_OUTPUTS, "inputs": [[], []], "state": {}}),
        json.dumps(
            {"output": ACT, "outputs": ACT_OUTPUTS, "inputs": [[], []], "changedPropIds": 7}
        ),
        json.dumps({"output": ACT, "outputs": ACT_OUTPUTS, "inputs": [], "state": []}),
    ],
)
def test_malformed_callback_bodies_are_400(client, body):
    resp = client.post("/_dash-update-component", data=body, content_type="application/json")
    assert resp.status_code == 400, resp.get_data(as_text=True)[:500]
    assert resp.is_json and resp.get_json()["error"]


# --- headers -------------------------------------------------------------------------------


def test_pages_send_security_headers(client, dash_app):
    resp = client.get("/explore")
    h = resp.headers
    csp = h["Content-Security-Policy"]
    assert "script-src 'self' 'sha256-" in csp and "'unsafe-eval'" not in csp
    assert "frame-ancestors 'self'" in csp and "object-src 'none'" in csp
    for expected in dash_app.csp_hashes():
        assert expected in csp
    assert h["X-Content-Type-Options"] == "nosniff"
    assert h["Referrer-Policy"] == "same-origin"
    assert h["X-Frame-Options"] == "SAMEORIGIN"
    api = client.get("/api/v1/indicators")
    assert api.headers["X-Content-Type-Options"] == "nosniff"


def test_embed_frame_ancestors_is_a_setting(client, monkeypatch):
    path = "/embed/explore?indicator=industrial_output&area=433200000"
    assert "frame-ancestors" not in client.get(path).headers["Content-Security-Policy"]
    monkeypatch.setenv("EMBED_FRAME_ANCESTORS", "https://akimat.example https://news.example")
    resp = client.get(path)
    assert (
        "frame-ancestors https://akimat.example https://news.example"
        in resp.headers["Content-Security-Policy"]
    )
    assert "X-Frame-Options" not in resp.headers


def test_the_development_server_does_not_name_its_version(dash_app):
    server = make_server(
        "127.0.0.1", 0, dash_app.server, threaded=True, request_handler=DevRequestHandler
    )
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{server.port}/api/v1/indicators") as r:
            assert r.status == 200
            servers = r.headers.get_all("Server")
    finally:
        server.shutdown()
    assert servers == ["aral-indicators"]
