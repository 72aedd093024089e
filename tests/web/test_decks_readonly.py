"""DECKS_READONLY: a public server shows, presents and exports decks but never changes them."""

from __future__ import annotations

import importlib
import json

import pytest
from dash._utils import stringify_id

import config
from components import share
from store import deck_access, deck_database, deck_freeze, deck_slides, decks
from tests.web.conftest import render, texts
from tests.web.test_deck_editor import ACT, ACT_OUTPUTS, find, page, post

DECK = "aral-default"
ARAL = "433200000"
CHART = {"kind": "chart", "params": {"indicator": "industrial_output", "area": ARAL}}
MESSAGE = "decks are read-only on this server (DECKS_READONLY)"


@pytest.fixture(autouse=True)
def deck_db(tmp_path, monkeypatch, dash_app):
    """A deck database of the test's own, seeded while writable, then DECKS_READONLY=true."""
    url = f"sqlite:///{tmp_path / 'decks.db'}"
    monkeypatch.setenv("DECKS_DATABASE_URL", url)
    monkeypatch.delenv("DECKS_READONLY", raising=False)
    deck_database.use(url)
    monkeypatch.setenv("DECKS_READONLY", "true")
    with dash_app.server.app_context():
        yield url
    deck_database.dispose()


@pytest.fixture(scope="module")
def editor(dash_app):
    return importlib.import_module("pages.decks")


def slide_id() -> int:
    return decks.get_deck(DECK)["slides"][0]["id"]


@pytest.mark.parametrize(
    "value, on",
    [
        ("true", True),
        ("1", True),
        ("yes", True),
        ("TRUE", True),
        (" Yes ", True),
        ("false", False),
        ("0", False),
        ("no", False),
        ("", False),
    ],
)
def test_the_setting_is_a_flag(monkeypatch, value, on):
    monkeypatch.setenv("DECKS_READONLY", value)
    assert deck_access.read_only() is on


def test_the_default_is_off(monkeypatch):
    monkeypatch.delenv("DECKS_READONLY")
    assert config.get("DECKS_READONLY") == "false" and deck_access.read_only() is False


# --- the store ----------------------------------------------------------------------------

WRITES = {
    "create_deck": lambda sid: decks.create_deck({"title": "New"}),
    "update_deck": lambda sid: decks.update_deck(DECK, {"title": "Changed"}),
    "delete_deck": lambda sid: decks.delete_deck(DECK),
    "add_slide": lambda sid: deck_slides.add_slide(DECK, {"kind": "text", "text": "x"}),
    "update_slide": lambda sid: deck_slides.update_slide(DECK, sid, {"notes": "changed"}),
    "move_slide": lambda sid: deck_slides.move_slide(DECK, sid, 3),
    "reorder_slides": lambda sid: deck_slides.reorder_slides(DECK, []),
    "delete_slide": lambda sid: deck_slides.delete_slide(DECK, sid),
    "freeze": lambda sid: deck_freeze.freeze(DECK, "2025-01-01"),
    "unfreeze": lambda sid: deck_freeze.unfreeze(DECK),
}


@pytest.mark.parametrize("name", sorted(WRITES))
def test_every_store_write_raises_and_changes_nothing(name):
    before = decks.export_deck(DECK), decks.list_decks()
    with pytest.raises(deck_access.DecksReadOnly, match="read-only") as err:
        WRITES[name](slide_id())
    assert err.value.status == 403 and err.value.message == MESSAGE
    assert isinstance(err.value, deck_access.DeckError)
    assert (decks.export_deck(DECK), decks.list_decks()) == before


def test_the_setting_is_read_at_call_time(monkeypatch):
    with pytest.raises(deck_access.DecksReadOnly):
        decks.create_deck({"title": "Later"})
    monkeypatch.setenv("DECKS_READONLY", "false")
    assert decks.create_deck({"title": "Later"})["slug"] == "later"
    monkeypatch.setenv("DECKS_READONLY", "1")
    with pytest.raises(deck_access.DecksReadOnly):
        decks.delete_deck("later")
    assert {d["slug"] for d in decks.list_decks()} == {DECK, "later"}


def test_a_never_used_database_serves_the_shipped_decks_without_writing(tmp_path, monkeypatch):
    path = tmp_path / "fresh" / "decks.db"
    monkeypatch.setenv("DECKS_DATABASE_URL", f"sqlite:///{path}")
    deck_database.dispose()
    assert [d["slug"] for d in decks.list_decks()] == [DECK]
    assert len(decks.get_deck(DECK)["slides"]) == 11
    with pytest.raises(deck_access.DecksReadOnly):
        deck_slides.add_slide(DECK, {"kind": "text"})
    assert not path.exists() and not path.parent.exists()


def test_an_existing_database_is_read_as_it_is(deck_db, monkeypatch):
    monkeypatch.setenv("DECKS_READONLY", "false")
    decks.delete_deck(DECK)
    decks.create_deck({"title": "Ours", "slug": "ours"})
    monkeypatch.setenv("DECKS_READONLY", "true")
    deck_database.use(deck_db)
    assert [d["slug"] for d in decks.list_decks()] == ["ours"]  # no seeding


# --- the JSON API -------------------------------------------------------------------------


def test_every_api_write_is_refused_with_403(client):
    sid = slide_id()
    calls = [
        ("post", "/decks", {"title": "New"}),
        ("put", f"/decks/{DECK}", {"title": "x"}),
        ("delete", f"/decks/{DECK}", None),
        ("post", f"/decks/{DECK}/copy", {}),
        ("post", f"/decks/{DECK}/slides", CHART),
        ("put", f"/decks/{DECK}/slides/{sid}", {"notes": "x"}),
        ("delete", f"/decks/{DECK}/slides/{sid}", None),
        ("post", f"/decks/{DECK}/slides/{sid}/move", {"position": 2}),
        ("post", f"/decks/{DECK}/order", {"order": []}),
        ("post", f"/decks/{DECK}/freeze", {}),
        ("post", f"/decks/{DECK}/unfreeze", None),
        ("delete", "/decks/no-such-deck", None),
        ("post", "/decks", "not json"),
    ]
    before = decks.export_deck(DECK)
    for method, path, body in calls:
        kwargs = (
            {"data": body, "content_type": "application/json"}
            if isinstance(body, str)
            else ({"json": body} if body is not None else {})
        )
        resp = getattr(client, method)("/present/api" + path, **kwargs)
        assert resp.status_code == 403, (method, path)
        assert resp.get_json() == {"error": MESSAGE}
    assert decks.export_deck(DECK) == before


def test_api_reads_and_presenting_still_work(client):
    sid = slide_id()
    for path in (
        "/kinds",
        "/decks",
        f"/decks/{DECK}",
        f"/decks/{DECK}/export",
        f"/decks/{DECK}/slides/{sid}",
    ):
        resp = client.get("/present/api" + path)
        assert resp.status_code == 200 and resp.is_json, path
    for path in ("/present", f"/present?deck={DECK}&lang=ru", f"/present/notes?deck={DECK}"):
        resp = client.get(path)
        assert resp.status_code == 200, path
    resp = client.get(f"/present/export.html?deck={DECK}&lang=en")
    assert resp.status_code == 200 and "attachment" in resp.headers["Content-Disposition"]
    assert "Aral district" in resp.get_data(as_text=True)


# --- the editor and "Add to deck" ---------------------------------------------------------

CONTROLS = ('"dk-btn"', '"dk-confirm"', '"dk-field"', '"dk-date"')


@pytest.mark.parametrize("lang", ["kk", "ru", "en"])
@pytest.mark.parametrize("search", ["", f"&deck={DECK}"])
def test_the_deck_page_has_the_notice_and_no_editing_controls(client, editor, lang, search):
    rendered = render(client, "/decks", f"?lang={lang}{search}")
    text = texts(rendered)
    assert editor.t("dk.readonly", lang) in text and "Traceback" not in text
    assert not any(c in rendered for c in CONTROLS)
    assert editor.t("dk.create_button", lang) not in text
    assert editor.t("dk.editing", lang) not in text
    for route in ("/present?", "/present/notes?", "/present/export.html?", "/present/export.pdf?"):
        assert f"{route}deck={DECK}&lang={lang}" in text


def test_the_read_only_deck_view_lists_its_slides(client, editor):
    content = page(client, "/decks", f"?deck={DECK}&lang=en")
    view = find(content, "dk-editor")
    assert view is not None
    text = texts(json.dumps(view))
    for n, s in enumerate(decks.get_deck(DECK)["slides"], start=1):
        assert find(view, f"dk-slide-{s['id']}") is not None
        assert (
            editor.t("dk.slide_heading", "en", n=n, kind=editor.t(f"dk.kind.{s['kind']}", "en"))
            in text
        )


def test_an_editor_action_is_refused_with_the_notice(client, editor):
    trigger = {"type": "dk-btn", "action": "add-text", "slide": 0}
    out = post(
        client,
        ACT,
        ACT_OUTPUTS,
        [[{"id": trigger, "property": "n_clicks", "value": 1}], []],
        [[], [], {"id": "dk-state", "property": "data", "value": {"deck": DECK, "lang": "ru"}}],
        f"{stringify_id(trigger)}.n_clicks",
    )
    assert editor.t("dk.readonly", "ru") in json.dumps(out["dk-status"], ensure_ascii=False)
    assert len(decks.get_deck(DECK)["slides"]) == 11


@pytest.mark.parametrize(
    "path, search, prefix",
    [
        ("/explore", f"?indicator=industrial_output&area={ARAL}&lang=kk", "explore"),
        ("/map", "?lang=ru", "map"),
        ("/", f"?area={ARAL}&lang=en", "overview"),
    ],
)
def test_pages_offer_no_add_to_deck(client, monkeypatch, path, search, prefix):
    content = page(client, path, search)
    assert find(content, f"{prefix}-share") is not None  # the share bar itself stays
    dumped = json.dumps(content, ensure_ascii=False)
    assert find(content, f"{prefix}-deck") is None and "deck-card-add" not in dumped
    assert share.t("deck.add", "kk") not in dumped and share.t("deck.card_add", "en") not in dumped
    monkeypatch.setenv("DECKS_READONLY", "false")
    assert find(page(client, path, search), f"{prefix}-deck") is not None
