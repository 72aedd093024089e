"""What the public sees: decks keep their closing slide last, the deck editor warns about a
missing PUBLIC_BASE_URL, and the load history shows file names and checksums, never paths."""

from __future__ import annotations

import json
import re

import pytest

from components import share
from store import decks, queries
from tests.web.conftest import render, texts

CHART = {"kind": "chart", "params": {"indicator": "industrial_output", "area": "433200000"}}


@pytest.fixture
def deck_db(tmp_path, monkeypatch, dash_app):
    """A deck database of the test's own, inside an app context."""
    url = f"sqlite:///{tmp_path / 'decks.db'}"
    monkeypatch.setenv("DECKS_DATABASE_URL", url)
    decks.use(url)
    with dash_app.server.test_request_context("/"):
        yield url
    decks.dispose()


def test_add_to_deck_puts_the_slide_before_the_closing_slide(deck_db):
    before = decks.get_deck("aral-default")["slides"]
    assert before[-1]["kind"] == "closing"
    message, slug = share.add_to_deck("aral-default", None, CHART, "en")
    assert slug == "aral-default"
    after = decks.get_deck("aral-default")["slides"]
    assert len(after) == len(before) + 1
    assert after[-1]["kind"] == "closing"
    assert after[-2]["kind"] == "chart" and after[-2]["params"] == CHART["params"]
    assert f"slide {len(after) - 1}" in json.dumps(message.to_plotly_json(), default=str)


def test_add_to_a_deck_without_closing_slide_appends(deck_db):
    decks.create_deck({"title": "Plain", "lang": "en"})
    decks.add_slide("plain", {"kind": "text", "title": "A"})
    share.add_to_deck("plain", None, CHART, "en")
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
    assert runs["file"].str.contains("/").any()  # the database does keep the full path
    page = texts(render(client, "/about", "?lang=en"))
    for r in runs.itertuples():
        assert r.file not in page
        assert r.checksum[:12] in page
    # no absolute path of this machine anywhere on the page
    assert not re.search(r"(/tmp/|/home/|/work/|[A-Z]:\\\\)", page)
