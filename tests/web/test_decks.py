"""Slide decks: the deck store, the JSON API, the present page, and frozen figures."""

from __future__ import annotations

import base64
import json
import re
import shutil
from datetime import date

import numpy as np
import pytest

from components import slide_figures, slide_kinds, slides
from components.i18n import fmt_date
from components.slide_kinds.target import headline_target
from store import deck_access, deck_database, deck_kinds, deck_slides, decks, queries
from tests.conftest import FIXTURES, run_etl

DEFAULT_KINDS = [
    "title",
    "chart",
    "chart",
    "target",
    "target",
    "target",
    "target",
    "map",
    "compare",
    "text",
    "closing",
]
CHART = {"kind": "chart", "params": {"indicator": "industrial_output", "area": "433200000"}}


@pytest.fixture(autouse=True)
def deck_db(tmp_path, monkeypatch, dash_app):
    """A deck database of the test's own (never data/decks.db), inside an app context."""
    url = f"sqlite:///{tmp_path / 'decks.db'}"
    monkeypatch.setenv("DECKS_DATABASE_URL", url)
    deck_database.use(url)
    with dash_app.server.app_context():
        yield url
    deck_database.dispose()


def api(client, method: str, path: str, body: object = None, raw: str | None = None):
    kwargs = (
        {"data": raw, "content_type": "application/json"}
        if raw is not None
        else ({"json": body} if body is not None else {})
    )
    resp = getattr(client, method)("/present/api" + path, **kwargs)
    assert resp.is_json, resp.get_data(as_text=True)[:500]
    return resp.status_code, resp.get_json()


def config_of(page: str) -> dict:
    """The deck-config JSON the present page hands to its script."""
    m = re.search(r'<script type="application/json" id="deck-config">(.*?)</script>', page, re.S)
    return json.loads(m.group(1))


def values(v: object) -> list:
    """A Plotly array: a list, or typed-array JSON {dtype, bdata}."""
    if isinstance(v, dict) and "bdata" in v:
        return np.frombuffer(base64.b64decode(v["bdata"]), dtype=v["dtype"]).tolist()
    return list(v or [])


def points(figure: dict) -> dict[int, float]:
    """Year -> value of a figure's first trace."""
    tr = figure["data"][0]
    return {
        int(x): y
        for x, y in zip(values(tr["x"]), values(tr["y"]), strict=True)
        if y is not None and y == y
    }


# --- the store ---------------------------------------------------------------------------


def test_the_default_aral_deck_is_seeded_on_first_use():
    listed = {d["slug"]: d for d in decks.list_decks()}
    assert listed["aral-default"]["slides"] == len(DEFAULT_KINDS)
    deck = decks.get_deck("aral-default")
    assert [s["kind"] for s in deck["slides"]] == DEFAULT_KINDS
    assert [s["position"] for s in deck["slides"]] == list(range(1, len(DEFAULT_KINDS) + 1))
    assert deck["lang"] == "kk" and deck["translations"]["ru"]["title"]
    assert all(set(s["translations"]) == {"ru", "en"} for s in deck["slides"])


def test_a_deleted_default_deck_is_not_seeded_again(deck_db):
    decks.delete_deck("aral-default")
    deck_database.use(deck_db)
    assert decks.list_decks() == []


def test_create_edit_and_delete_a_deck():
    deck = decks.create_deck({"title": "Арал ауданы: тыңдау 2025", "lang": "kk"})
    assert deck["slug"] == "aral-audany-tyndau-2025" and deck["slides"] == []
    again = decks.create_deck({"title": "Арал ауданы: тыңдау 2025"})
    assert again["slug"] == "aral-audany-tyndau-2025-2"
    changed = decks.update_deck(
        deck["slug"],
        {
            "title": "Hearing",
            "lang": "en",
            "slug": "hearing",
            "translations": {"ru": {"title": "Слушания"}},
        },
    )
    assert (changed["slug"], changed["title"], changed["lang"]) == ("hearing", "Hearing", "en")
    assert slides.deck_title(changed, "ru") == "Слушания"
    assert slides.deck_title(changed, "kk") == "Hearing"
    decks.delete_deck("hearing")
    with pytest.raises(deck_access.DeckError) as err:
        decks.get_deck("hearing")
    assert err.value.status == 404


@pytest.mark.parametrize(
    "doc, message",
    [
        ({}, "title is required"),
        ({"title": "x", "lang": "de"}, "lang must be one of kk, ru, en"),
        ({"title": "x", "slug": "Not OK"}, "slug 'Not OK' is not valid"),
        ({"title": "x", "colour": "red"}, "unknown deck field 'colour'"),
        ({"title": "x", "slides": [{"kind": "poem"}]}, "slides[0]: kind 'poem' is not known"),
        ({"title": "x", "slides": [{"kind": "chart"}]}, "needs 'indicator'"),
        ({"title": "x", "translations": {"ru": {"subtitle": "y"}}}, "unknown field"),
    ],
)
def test_bad_decks_are_refused_with_a_message(doc, message):
    with pytest.raises(deck_access.DeckError, match=re.escape(message)):
        decks.create_deck(doc)


def test_add_update_reorder_and_delete_slides():
    decks.create_deck({"title": "Order", "slug": "order"})
    a = deck_slides.add_slide("order", {"kind": "text", "title": "A"})
    b = deck_slides.add_slide("order", {"kind": "text", "title": "B"})
    c = deck_slides.add_slide("order", {**CHART, "title": "C", "notes": "say this"})
    first = deck_slides.add_slide("order", {"kind": "title", "position": 1})
    titles = lambda: [s["title"] for s in decks.get_deck("order")["slides"]]  # noqa: E731
    assert titles() == ["", "A", "B", "C"]
    deck_slides.move_slide("order", c["id"], 2)
    assert titles() == ["", "C", "A", "B"]
    deck_slides.move_slide("order", first["id"], 99)  # clamped to the end
    assert titles() == ["C", "A", "B", ""]
    deck_slides.reorder_slides("order", [b["id"], a["id"], c["id"], first["id"]])
    assert titles() == ["B", "A", "C", ""]
    updated = deck_slides.update_slide(
        "order",
        c["id"],
        {
            "params": {
                "indicator": "industrial_output",
                "area": "Арал",
                "compare": ["434400000"],
                "mode": "index",
            }
        },
    )
    assert updated["kind"] == "chart" and updated["notes"] == "say this"
    assert updated["params"] == {
        "indicator": "industrial_output",
        "area": "433200000",
        "compare": ["434400000"],
        "mode": "index",
    }
    deck = deck_slides.delete_slide("order", a["id"])
    assert [s["position"] for s in deck["slides"]] == [1, 2, 3]
    assert titles() == ["B", "C", ""]


@pytest.mark.parametrize(
    "params, message",
    [
        ({"indicator": "industrial_output", "area": "433200000", "colour": 1}, "unknown parameter"),
        ({"indicator": "no_such_thing", "area": "433200000"}, "not in the catalogue"),
        ({"indicator": "industrial_output", "area": "Atlantis"}, "area 'Atlantis' is not known"),
        ({"indicator": "industrial_output", "area": "433200000", "mode": "log"}, "must be one of"),
        ({"indicator": "industrial_output", "area": "433200000", "compare": 7}, "list of KATO"),
    ],
)
def test_slide_params_are_checked_against_the_catalogue(params, message):
    with pytest.raises(deck_access.DeckError, match=re.escape(message)):
        deck_kinds.check_params("chart", params)


def test_target_program_must_exist():
    with pytest.raises(deck_access.DeckError, match="program 'nope' is not known"):
        deck_kinds.check_params(
            "target", {"indicator": "nas_water_volume", "area": "433200000", "program": "nope"}
        )


def test_map_and_compare_params():
    assert deck_kinds.check_params("map", {"indicator": "population", "year": "2020"}) == {
        "indicator": "population",
        "year": 2020,
    }
    with pytest.raises(deck_access.DeckError, match="must be a year"):
        deck_kinds.check_params("compare", {"indicator": "population", "year": "soon"})


# --- the JSON API ------------------------------------------------------------------------


def test_api_creates_edits_reorders_freezes_and_deletes(client):
    status, kinds = api(client, "get", "/kinds")
    assert status == 200 and set(kinds["kinds"]) == set(deck_kinds.KINDS)
    status, deck = api(
        client, "post", "/decks", {"title": "Hearing", "lang": "en", "slides": [{"kind": "title"}]}
    )
    assert status == 201 and deck["slug"] == "hearing"
    assert deck["urls"]["present"] == "/present?deck=hearing"
    status, slide = api(client, "post", "/decks/hearing/slides", CHART)
    assert status == 201 and slide["position"] == 2
    status, slide = api(
        client,
        "put",
        f"/decks/hearing/slides/{slide['id']}",
        {"notes": "Mention the akim's figure", "title": "Output"},
    )
    assert status == 200 and slide["notes"] == "Mention the akim's figure"
    status, deck = api(client, "post", f"/decks/hearing/slides/{slide['id']}/move", {"position": 1})
    assert [s["kind"] for s in deck["slides"]] == ["chart", "title"]
    ids = [s["id"] for s in deck["slides"]]
    status, deck = api(client, "post", "/decks/hearing/order", {"order": ids[::-1]})
    assert [s["kind"] for s in deck["slides"]] == ["title", "chart"]
    status, deck = api(client, "post", "/decks/hearing/freeze", {"as_of": "2025-03-14"})
    assert status == 200 and deck["frozen_at"] == "2025-03-14"
    status, err = api(client, "post", "/decks/hearing/slides", CHART)
    assert status == 409 and "frozen" in err["error"]
    status, ok = api(client, "post", "/decks/hearing/slides", {"kind": "text", "text": "Q&A"})
    assert status == 201
    status, deck = api(client, "post", "/decks/hearing/unfreeze")
    assert deck["frozen"] is False and deck["frozen_at"] is None
    status, deck = api(client, "put", "/decks/hearing", {"title": "Hearing 2"})
    assert deck["title"] == "Hearing 2"
    status, copy = api(client, "post", "/decks/hearing/copy", {"slug": "hearing-ru"})
    assert status == 201 and len(copy["slides"]) == 3
    status, exported = api(client, "get", "/decks/hearing/export")
    assert exported["slides"][1]["params"]["indicator"] == "industrial_output"
    status, deck = api(client, "delete", f"/decks/hearing/slides/{ok['id']}")
    assert len(deck["slides"]) == 2
    status, gone = api(client, "delete", "/decks/hearing")
    assert status == 200 and gone == {"deleted": "hearing"}
    status, listed = api(client, "get", "/decks")
    assert "hearing" not in {d["slug"] for d in listed["decks"]}


@pytest.mark.parametrize(
    "method, path, body, raw, status, message",
    [
        ("post", "/decks", None, "{not json", 400, "must be JSON"),
        ("post", "/decks", None, "[1, 2]", 400, "must be a JSON object"),
        ("post", "/decks", {"lang": "en"}, None, 400, "title is required"),
        ("post", "/decks", {"title": "x", "slug": "aral-default"}, None, 409, "already"),
        ("get", "/decks/nope", None, None, 404, "there is no deck 'nope'"),
        ("put", "/decks/aral-default", {"slides": []}, None, 400, "unknown deck field"),
        ("get", "/decks/aral-default/slides/999999", None, None, 404, "no slide"),
        ("delete", "/decks/aral-default/slides/abc", None, None, 404, "no slide"),
        (
            "post",
            "/decks/aral-default/slides",
            {"kind": "chart", "params": {"area": "1"}},
            None,
            400,
            "needs 'indicator'",
        ),
        (
            "post",
            "/decks/aral-default/slides",
            {"kind": "map", "params": {"indicator": "population", "level": "village"}},
            None,
            400,
            "must be one of",
        ),
        ("post", "/decks/aral-default/order", {"order": [1]}, None, 400, "every slide id"),
        ("post", "/decks/aral-default/freeze", {"as_of": "2999-01-01"}, None, 400, "future"),
        ("post", "/decks/aral-default/freeze", {"as_of": "14.03.2025"}, None, 400, "YYYY-MM-DD"),
    ],
)
def test_api_errors_are_json_with_a_clear_message(client, method, path, body, raw, status, message):
    got, data = api(client, method, path, body, raw)
    assert got == status and message in data["error"]


def test_api_move_needs_a_position(client):
    first = decks.get_deck("aral-default")["slides"][0]["id"]
    status, data = api(client, "post", f"/decks/aral-default/slides/{first}/move", {})
    assert status == 400 and "position" in data["error"]
    status, data = api(
        client, "post", f"/decks/aral-default/slides/{first}/move", {"position": "top"}
    )
    assert status == 400 and "whole number" in data["error"]


# --- the present page --------------------------------------------------------------------


def test_present_page_has_every_slide_numbered_and_titled(client):
    page = client.get("/present?deck=aral-default&slide=3&lang=en").get_data(as_text=True)
    assert '<html lang="en">' in page
    assert page.count('aria-roledescription="slide"') == 11
    for n in range(1, 12):
        assert f'<span class="slide-no">{n} / 11</span>' in page
    assert (
        page.count('<span class="deck-title">Aral district: sustainability indicators</span>') == 11
    )
    cfg = config_of(page)
    assert cfg["start"] == 2 and cfg["total"] == 11 and cfg["lang"] == "en"
    assert cfg["presenterUrl"] == "/present/notes?deck=aral-default&lang=en"
    assert cfg["plotlyConfig"]["topojsonURL"] == "/assets/topojson/"
    assert "/present/static/plotly.min.js" in page
    # protected areas: the 2030 target is met by the 2025 reading, so it has no pace needed
    assert "Target for 2030" in page and "✔ Achieved (in 2025)" in page
    assert "Sources:" in page and "Bureau of National Statistics" in page
    assert cfg["notes"][5].startswith("Protected-area share")
    assert cfg["notes"][4].startswith("Protected-area share of Aral district")


@pytest.mark.parametrize(
    "lang, words",
    [
        (
            "kk",
            ["Соңғы мән", "Қажетті қарқын", "Деректер әлі не айтпайды", "Назарларыңызға рақмет"],
        ),
        (
            "ru",
            [
                "Последнее значение",
                "Необходимый темп",
                "Чего данные пока не говорят",
                "Спасибо за внимание",
            ],
        ),
    ],
)
def test_present_page_speaks_the_deck_language(client, lang, words):
    page = client.get(f"/present?deck=aral-default&lang={lang}").get_data(as_text=True)
    assert f'<html lang="{lang}">' in page
    for word in words:
        assert word in page
    assert "Pace needed" not in page and "Latest value" not in page
    cfg = config_of(page)
    assert cfg["plotlyConfig"]["locale"] == lang
    target = cfg["figures"][1]
    assert target["layout"]["separators"] == ",\u00a0"


def test_closing_slide_has_a_qr_code_to_the_live_view(client, monkeypatch):
    page = client.get("/present?deck=aral-default&lang=ru").get_data(as_text=True)
    assert "http://localhost/present?deck=aral-default&amp;lang=ru" in page
    assert slide_figures.qr_svg("http://localhost/present?deck=aral-default&lang=ru") in page
    monkeypatch.setenv("PUBLIC_BASE_URL", "https://aral.example.kz/")
    page = client.get("/present?deck=aral-default&lang=ru").get_data(as_text=True)
    assert "https://aral.example.kz/present?deck=aral-default&amp;lang=ru" in page


def test_presenter_view_and_deck_list(client):
    page = client.get("/present/notes?deck=aral-default&lang=en").get_data(as_text=True)
    assert 'class="present mode-presenter"' in page and config_of(page)["mode"] == "presenter"
    listing = client.get("/present?lang=ru").get_data(as_text=True)
    assert "Аральский район: показатели устойчивого развития" in listing
    assert "/present/export.pdf?deck=aral-default" in listing


def test_unknown_and_empty_decks_are_friendly_404s(client):
    resp = client.get("/present?deck=nope&lang=en")
    assert resp.status_code == 404 and "There is no presentation “nope”" in resp.get_data(
        as_text=True
    )
    decks.create_deck({"title": "Empty", "lang": "en"})
    resp = client.get("/present?deck=empty")
    assert resp.status_code == 404 and "no slides" in resp.get_data(as_text=True)


def test_static_files_are_served_and_nothing_else(client):
    assert client.get("/present/static/plotly.min.js").status_code == 200
    assert client.get("/present/static/present.js").status_code == 200
    assert client.get("/present/static/config.py").status_code == 404


def test_export_html_is_self_contained(client):
    resp = client.get("/present/export.html?deck=aral-default&lang=kk")
    assert resp.status_code == 200
    assert "attachment" in resp.headers["Content-Disposition"]
    page = resp.get_data(as_text=True)
    assert not re.search(r"<script[^>]+src=|<link[^>]+href=|<img[^>]+src=\"http", page)
    assert "Plotly" in page and config_of(page)["export"] is True


# --- frozen figures ----------------------------------------------------------------------


def test_a_frozen_deck_keeps_its_figures_after_the_data_are_reloaded(client, tmp_path, web_db):
    data = tmp_path / "data"
    shutil.copytree(FIXTURES / "curated_min", data)
    url = f"sqlite:///{tmp_path / 'indicators.db'}"
    assert run_etl("build", "--no-boundaries", "--db", url, "--data", str(data))[0] == 0
    queries.use(url)
    try:
        spec = {"lang": "en", "slides": [CHART, {"kind": "target", "params": CHART["params"]}]}
        assert api(client, "post", "/decks", {"title": "Frozen", **spec})[0] == 201
        assert api(client, "post", "/decks", {"title": "Live", **spec})[0] == 201
        status, deck = api(client, "post", "/decks/frozen/freeze", {"as_of": "2025-03-14"})
        assert status == 200, deck

        before = config_of(client.get("/present?deck=frozen").get_data(as_text=True))
        assert points(before["figures"][0])[2008] == 1946

        observations = data / "curated" / "demo" / "observations.csv"
        text = observations.read_text(encoding="utf-8")
        observations.write_text(text.replace(",2008,,1946,", ",2008,,2222,"), encoding="utf-8")
        assert run_etl("build", "--no-boundaries", "--db", url, "--data", str(data))[0] == 0
        queries.use(url)
        assert queries.observations("industrial_output", "433200000")["value"].tolist()[1] == 2222

        frozen = client.get("/present?deck=frozen").get_data(as_text=True)
        assert points(config_of(frozen)["figures"][0])[2008] == 1946
        assert config_of(frozen)["figures"] == before["figures"]
        assert frozen.count('<span class="as-of">Data as of 14 March 2025</span>') == 2
        live = client.get("/present?deck=live").get_data(as_text=True)
        assert points(config_of(live)["figures"][0])[2008] == 2222
        assert "Data as of" not in live
        api(client, "post", "/decks/frozen/unfreeze")
        thawed = client.get("/present?deck=frozen").get_data(as_text=True)
        assert points(config_of(thawed)["figures"][0])[2008] == 2222
    finally:
        queries.use(web_db)


def test_freezing_needs_the_indicator_database(client, tmp_path, web_db):
    queries.use(f"sqlite:///{tmp_path / 'missing.db'}")
    try:
        status, data = api(client, "post", "/decks/aral-default/freeze")
        assert status == 409 and "not built" in data["error"]
        page = client.get("/present?deck=aral-default&lang=en").get_data(as_text=True)
        assert "The database has not been built yet" in page
    finally:
        queries.use(web_db)


# --- slide models (pure) -----------------------------------------------------------------


def test_dates_in_three_languages():
    d = date(2025, 3, 14)
    assert fmt_date(d, "kk") == "2025\u202fж. 14 наурыз"  # CLDR kk (was "2025 жылғы ...")
    assert fmt_date(d, "ru") == "14 марта 2025\u202fг."  # CLDR: a narrow no-break space
    assert fmt_date(d, "en") == "14 March 2025"


def test_pace_needed_and_headline_target():
    from components import status as st

    a = st.assess([(2023, 19.7)], st.Target(">=", 24.1, 2029))
    assert a.needed_pace == pytest.approx(0.7333, abs=1e-3)
    assert st.assess([(2025, 24.1)], st.Target(">=", 27.0, 2025)).needed_pace is None
    import pandas as pd

    targets = pd.DataFrame({"target_year": [2025, 2029, 2030], "value": [20.6, 24.1, 27.0]})
    assert targets.loc[headline_target(targets, 2026), "target_year"] == 2029
    assert targets.loc[headline_target(targets, 2031), "target_year"] == 2030
    assert targets.loc[headline_target(targets, 2026, 2025), "target_year"] == 2025
    assert headline_target(targets.iloc[0:0], 2026) is None


def test_a_map_slide_draws_its_boundaries_large():
    square = {
        "type": "Polygon",
        "coordinates": [[[60, 45], [61, 45], [61, 46], [60, 46], [60, 45]]],
    }
    data = {
        "indicator": {
            "code": "population",
            "name_en": "Population",
            "unit_en": "thousand",
            "direction": "neutral",
            "decimals": 1,
        },
        "values": [
            {
                "area": "433200000",
                "year": 2023,
                "series": "",
                "value": 79.1,
                "status": "actual",
                "year_approx": False,
                "source": "bns",
            }
        ],
        "year": 2023,
        "units": ["433200000", "434400000"],
        "boundaries": [{"area": "433200000", "geojson": json.dumps(square)}],
        "areas": {
            "433200000": {"en": "Aral district"},
            "434400000": {"en": "Kazaly"},
            "430000000": {"en": "Kyzylorda oblast"},
        },
        "sources": {"bns": {"publisher": "Bureau", "title": "Workbook"}},
    }
    slide = {
        "kind": "map",
        "params": {"indicator": "population", "highlight": "433200000"},
        "title": "",
        "text": "",
        "notes": "",
        "translations": {},
    }
    model = slide_kinds.build(slide, data, {"title": "D", "slug": "d"}, "en")
    assert model.title == "Population, 2023: districts and cities of Kyzylorda oblast"
    assert model.figure["data"][0]["type"] == "choropleth"
    assert model.ranking[0] == ("1", "Aral district", "79.1", True)
    assert model.ranking[1][1:3] == ("Kazaly", "No data")
    assert model.sources == ["Bureau — Workbook"]
