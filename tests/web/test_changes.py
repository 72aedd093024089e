"""What changed: /api/v1/changes, ?history=true, the /changes page, Explore's revision note
and the frozen deck's notice, on a database built from tests/fixtures/curated_min in
tmp_path and built again after one figure was corrected and one added."""

from __future__ import annotations

import csv
import io
import json
import re
import shutil
from pathlib import Path

import pytest

from store import deck_database, deck_freeze, decks, queries
from tests.conftest import FIXTURES, run_etl
from tests.web.conftest import render, texts
from tests.web.visible_text import english_words, visible_strings

ARAL = "433200000"
CHART = {"kind": "chart", "params": {"indicator": "industrial_output", "area": ARAL}}


def build(data: Path, url: str) -> None:
    code, _, err = run_etl("build", "--no-boundaries", "--db", url, "--data", str(data))
    assert code == 0, err


def correct(data: Path) -> None:
    """The newer file of the same source: 2008 corrected (1946 -> 1950), 2010 added."""
    obs = data / "curated" / "demo" / "observations.csv"
    text = obs.read_text(encoding="utf-8").replace(",2008,,1946,", ",2008,,1950,")
    text += f"industrial_output,{ARAL},2010,,2001.5,actual,,fx-bns,,,\n"
    obs.write_text(text, encoding="utf-8")


@pytest.fixture(scope="module")
def history_url(tmp_path_factory) -> str:
    """A database with one revision and one added figure."""
    tmp = tmp_path_factory.mktemp("changes")
    data = tmp / "data"
    shutil.copytree(FIXTURES / "curated_min", data)
    url = f"sqlite:///{tmp / 'indicators.db'}"
    build(data, url)
    correct(data)
    build(data, url)
    return url


@pytest.fixture
def history_db(history_url, dash_app, web_db):
    """The app pointed, for one test, at that database."""
    queries.use(history_url)
    yield history_url
    queries.use(web_db)


@pytest.fixture(autouse=True)
def deck_db(tmp_path, monkeypatch, dash_app):
    url = f"sqlite:///{tmp_path / 'decks.db'}"
    monkeypatch.setenv("DECKS_DATABASE_URL", url)
    deck_database.use(url)
    with dash_app.server.app_context():
        yield url
    deck_database.dispose()


def get(client, path: str, status: int = 200) -> dict:
    resp = client.get("/api/v1" + path)
    assert resp.status_code == status, resp.get_data(as_text=True)[:500]
    return resp.get_json()


def test_changes_since_a_date_lists_added_and_revised_figures(client, history_db):
    doc = get(client, "/changes?since=2000-01-01")
    rows = {(r["year"], r["kind"]): r for r in doc["data"]}
    assert set(rows) == {(2008, "revised"), (2010, "added")}
    revised = rows[2008, "revised"]
    assert (revised["old_value"], revised["new_value"]) == (1946, 1950)
    assert revised["source"] == "fx-bns" and revised["source_title"]
    assert revised["old_location"] == "sheet «Арал», row 87, column T"
    assert revised["indicator"] == "industrial_output" and revised["area"] == ARAL
    added = rows[2010, "added"]
    assert (added["old_value"], added["new_value"]) == (None, 2001.5)
    assert doc["meta"]["history_from"] and doc["meta"]["count"] == 2
    # the last data release is the second build; a later date has nothing yet
    assert {(r["year"], r["kind"]) for r in get(client, "/changes")["data"]} == set(rows)
    assert get(client, "/changes?since=2999-01-01")["data"] == []
    assert len(get(client, f"/changes?since=2000-01-01&area={ARAL}")["data"]) == 2
    assert get(client, "/changes?since=2000-01-01&area=434400000")["data"] == []
    assert get(client, "/changes?since=2000-01-01&indicator=fish_processed")["data"] == []


def test_changes_as_csv(client, history_db):
    resp = client.get("/api/v1/changes?since=2000-01-01&format=csv")
    assert resp.status_code == 200 and resp.mimetype == "text/csv"
    rows = list(csv.DictReader(io.StringIO(resp.get_data(as_text=True).lstrip("\ufeff"))))
    revised = [r for r in rows if r["kind"] == "revised"]
    assert [(r["old_value"], r["new_value"], r["source"]) for r in revised] == [
        ("1946.0", "1950.0", "fx-bns")
    ]


@pytest.mark.parametrize(
    ("query", "parameter"),
    [
        ("since=yesterday", "since"),
        ("since=2024-02-30", "since"),
        ("since=2024-1-1", "since"),
        ("since=", "since"),
        ("since=2024-01-01&since=2024-02-01", "since"),
        ("indicator=nope", "indicator"),
        ("area=Atlantis", "area"),
        ("deck=nope", "deck"),
        ("format=xml", "format"),
        ("when=2024-01-01", "when"),
    ],
)
def test_bad_parameters_answer_400_naming_them(client, history_db, query, parameter):
    err = get(client, f"/changes?{query}", 400)
    assert err["parameter"] == parameter and err["error"]


def test_history_true_gives_each_figures_revisions(client, history_db):
    path = f"/observations?indicator=industrial_output&area={ARAL}&source=all&history=true"
    rows = {(r["year"], r["source"]): r for r in get(client, path)["data"]}
    (revision,) = rows[2008, "fx-bns"]["history"]
    assert (revision["kind"], revision["old_value"], revision["new_value"]) == (
        "revised",
        1946,
        1950,
    )
    assert revision["revised_at"] and revision["old_status"] == "actual"
    assert rows[2008, "fx-seed"]["history"] == [] and rows[2010, "fx-bns"]["history"] == []
    plain = get(client, path.replace("&history=true", ""))["data"]
    assert all("history" not in r for r in plain)
    resp = client.get("/api/v1" + path + "&format=csv")
    table = list(csv.DictReader(io.StringIO(resp.get_data(as_text=True).lstrip("\ufeff"))))
    cell = next(r["history"] for r in table if r["year"] == "2008" and r["source"] == "fx-bns")
    assert "1946.0 -> 1950.0" in cell
    assert get(client, path.replace("true", "yes"), 400)["parameter"] == "history"


def test_explore_table_says_revised_from_to(client, history_db):
    page = texts(
        render(client, "/explore", f"?indicator=industrial_output&area={ARAL}&source=all&lang=en")
    )
    assert "revised on " in page and "from 1,946.0 to 1,950.0" in page
    ru = texts(
        render(client, "/explore", f"?indicator=industrial_output&area={ARAL}&source=all&lang=ru")
    )
    assert "было 1 946,0, стало 1 950,0" in ru.replace("\u00a0", " ")


@pytest.mark.parametrize("lang", ["kk", "ru", "en"])
def test_changes_page_lists_old_and_new_values(client, history_db, lang):
    page = texts(render(client, "/changes", f"?since=2000-01-01&lang={lang}"))
    assert '"id": "ch-table"' in page
    flat = page.replace("\u00a0", " ")
    assert ("1 946" if lang != "en" else "1,946") in flat
    assert ("1 950" if lang != "en" else "1,950") in flat
    if lang != "en":
        content = json.loads(page)["response"]["_pages_content"]["children"]
        shown = english_words(list(visible_strings(content, lang)))
        assert {w.lower() for w in shown} <= {"bureau", "of", "national", "statistics"}  # fixture
    csv_link = next(h for h in re.findall(r'"href": "([^"]+)"', page) if "format=csv" in h)
    assert csv_link.startswith("/api/v1/changes?") and "since=2000-01-01" in csv_link


def test_changes_page_answers_bad_parameters_with_a_message(client, history_db):
    page = texts(render(client, "/changes", "?since=tomorrow&lang=en"))
    assert "since must be a date" in page and "ch-table" not in page


def test_a_frozen_decks_title_slide_says_how_many_figures_changed(client, tmp_path, web_db):
    data = tmp_path / "data"
    shutil.copytree(FIXTURES / "curated_min", data)
    url = f"sqlite:///{tmp_path / 'indicators.db'}"
    build(data, url)
    queries.use(url)
    try:
        decks.create_deck({"title": "Hearing", "lang": "en", "slides": [{"kind": "title"}, CHART]})
        deck_freeze.freeze("hearing")
        before = client.get("/present?deck=hearing").get_data(as_text=True)
        assert "changed since it was frozen" not in before
        correct(data)
        build(data, url)
        queries.use(url)
        page = client.get("/present?deck=hearing").get_data(as_text=True)
        title_slide = page[page.index('id="slide-1"') : page.index('id="slide-2"')]
        assert "1 figure(s) in this deck changed since it was frozen on " in title_slide
        doc = get(client, "/changes?deck=hearing")
        assert [(r["year"], r["kind"]) for r in doc["data"]] == [(2008, "revised")]
        editor = texts(render(client, "/decks", "?deck=hearing&lang=en"))
        assert "1 figure(s) in this deck changed since it was frozen" in editor
        assert re.search(r'"href": "/changes\?[^"]*deck=hearing', editor)
        assert get(client, "/changes?deck=hearing&since=2000-01-01", 400)["parameter"] == "since"
        deck_freeze.unfreeze("hearing")
        assert get(client, "/changes?deck=hearing", 400)["parameter"] == "deck"
        assert "changed since" not in client.get("/present?deck=hearing").get_data(as_text=True)
    finally:
        queries.use(web_db)


def test_openapi_declares_the_changes_endpoint(client):
    doc = get(client, "/openapi.json")
    assert "/api/v1/changes" in json.dumps(list(doc["paths"])) or "/changes" in doc["paths"]


def test_exports_carry_the_revisions(client, history_db):
    query = f"indicator=industrial_output&area={ARAL}&source=all&lang=en"
    doc = client.get(f"/download/data.json?{query}").get_json()
    assert [
        (r["year"], r["source"], r["kind"], r["old_value"], r["new_value"])
        for r in doc["meta"]["revisions"]
    ] == [(2008, "fx-bns", "revised", 1946, 1950)]
    import openpyxl

    body = client.get(f"/download/data.xlsx?{query}").get_data()
    sheet = openpyxl.load_workbook(io.BytesIO(body))["metadata"]
    cells = [[c for c in row if c is not None] for row in sheet.iter_rows(values_only=True)]
    start = cells.index(["Revisions (values a later load replaced)"])
    assert cells[start + 2][:2] == ["433200000", 2008] and cells[start + 2][4:] == [1946, 1950]
