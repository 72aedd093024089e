"""The deck editor (/decks) and "Add to deck", through the Flask test client.

Every test has a deck database of its own (never data/decks.db), seeded with the default
Aral district deck; the callbacks are called as the browser calls them.
"""

from __future__ import annotations

import importlib
import json
from datetime import date, timedelta

import pytest
from dash._utils import stringify_id

from components import share
from components.slides import slide_texts
from pages import deck_texts
from store import deck_database, deck_freeze, deck_slides, decks, queries
from tests.web.conftest import callback, render, texts
from tests.web.test_layout_shapes import nested_lists

DECK = "aral-default"
ARAL, KYZYLORDA, KAZALY = "433200000", "430000000", "433600000"
TITLES = {
    "kk": "Арал ауданы: тұрақты даму көрсеткіштері",
    "ru": "Аральский район: показатели устойчивого развития",
    "en": "Aral district: sustainability indicators",
}
HEADINGS = {"kk": "Презентациялар", "ru": "Презентации", "en": "Presentations"}
ACT = "..dk-body.children...dk-status.children...dk-focus.data...dk-state.data...decks-url.data.."
ACT_OUTPUTS = [
    {"id": i, "property": p}
    for i, p in (
        ("dk-body", "children"),
        ("dk-status", "children"),
        ("dk-focus", "data"),
        ("dk-state", "data"),
        ("decks-url", "data"),
    )
]


@pytest.fixture(autouse=True)
def deck_db(tmp_path, monkeypatch, dash_app):
    """A deck database of the test's own (never data/decks.db), inside an app context."""
    url = f"sqlite:///{tmp_path / 'decks.db'}"
    monkeypatch.setenv("DECKS_DATABASE_URL", url)
    deck_database.use(url)
    with dash_app.server.app_context():
        yield url
    deck_database.dispose()


@pytest.fixture(scope="module")
def editor(dash_app):
    """pages.decks as the app loaded it (its strings and callbacks are registered)."""
    return importlib.import_module("pages.decks")


# --- helpers ------------------------------------------------------------------------------


def post(client, output: str, outputs: list, inputs: list, state: list, changed: str) -> dict:
    """One callback call as the browser makes it, with ``changed`` the prop that fired."""
    payload = {
        "output": output,
        "outputs": outputs,
        "inputs": inputs,
        "state": state,
        "changedPropIds": [changed],
    }
    resp = client.post(
        "/_dash-update-component", data=json.dumps(payload), content_type="application/json"
    )
    assert resp.status_code in (200, 204), resp.get_data(as_text=True)[:2000]
    return resp.get_json()["response"] if resp.status_code == 200 else {}


def act(
    client,
    action: str,
    slide: int = 0,
    *,
    deck: str | None = DECK,
    lang: str = "en",
    fields: dict | None = None,
    as_of: str | None = None,
    confirm: bool = False,
) -> dict:
    """Press an editor button (or confirm a deletion); returns the outputs by element id."""
    kind, prop = ("dk-confirm", "submit_n_clicks") if confirm else ("dk-btn", "n_clicks")
    trigger = {"type": kind, "action": action, "slide": slide}
    pressed = [{"id": trigger, "property": prop, "value": 1}]
    values = [
        {
            "id": {"type": "dk-field", "name": name, "slide": sid},
            "property": "value",
            "value": value,
        }
        for (name, sid), value in (fields or {}).items()
    ]
    dates = (
        [{"id": {"type": "dk-date", "name": "freeze-date"}, "property": "date", "value": as_of}]
        if as_of
        else []
    )
    out = post(
        client,
        ACT,
        ACT_OUTPUTS,
        [[] if confirm else pressed, pressed if confirm else []],
        [
            values,
            dates,
            {"id": "dk-state", "property": "data", "value": {"deck": deck, "lang": lang}},
        ],
        f"{stringify_id(trigger)}.{prop}",
    )
    return {k: v[next(iter(v))] for k, v in out.items()}


def status(out: dict) -> str:
    return texts(json.dumps(out["dk-status"]))


def kinds(slug: str = DECK) -> list[str]:
    return [s["kind"] for s in decks.get_deck(slug)["slides"]]


def slide_ids(slug: str = DECK) -> list[int]:
    return [s["id"] for s in decks.get_deck(slug)["slides"]]


def find(node: object, id_: object) -> dict | None:
    if isinstance(node, list):
        for n in node:
            hit = find(n, id_)
            if hit is not None:
                return hit
    elif isinstance(node, dict):
        props = node.get("props", {})
        if props.get("id") == id_:
            return node
        for v in props.values():
            hit = find(v, id_)
            if hit is not None:
                return hit
    return None


def page(client, path: str, search: str) -> dict:
    tree = json.loads(render(client, path, search))
    return tree["response"]["_pages_content"]["children"]


# --- the page -----------------------------------------------------------------------------


@pytest.mark.parametrize("lang", ["kk", "ru", "en"])
def test_the_deck_list_in_each_language(client, lang, editor):
    rendered = render(client, "/decks", f"?lang={lang}")
    text = texts(rendered)
    assert HEADINGS[lang] in text and TITLES[lang] in text and "Traceback" not in text
    assert f"/present?deck={DECK}&lang={lang}" in text
    assert f"/present/notes?deck={DECK}&lang={lang}" in text
    assert f"/present/export.html?deck={DECK}&lang={lang}" in text
    assert f"/present/export.pdf?deck={DECK}&lang={lang}" in text
    assert f"/decks?lang={lang}&deck={DECK}" in text  # opens it in the editor
    assert editor.t("dk.create_button", lang) in text
    assert editor.t("dk.live", lang) in text
    assert list(nested_lists(json.loads(rendered))) == []


@pytest.mark.parametrize("lang", ["kk", "ru", "en"])
def test_the_editor_in_each_language(client, lang, editor):
    rendered = render(client, "/decks", f"?deck={DECK}&lang={lang}")
    tree = json.loads(rendered)
    assert list(nested_lists(tree)) == []
    content = tree["response"]["_pages_content"]["children"]
    ed = find(content, "dk-editor")
    assert ed is not None
    text = texts(json.dumps(ed))
    ids = slide_ids()
    assert len(ids) == 11
    for n, sid in enumerate(ids, start=1):
        item = find(ed, f"dk-slide-{sid}")
        assert item is not None
        up = find(item, {"type": "dk-btn", "action": "up", "slide": sid})
        down = find(item, {"type": "dk-btn", "action": "down", "slide": sid})
        assert up["props"]["disabled"] is (n == 1) and down["props"]["disabled"] is (n == 11)
        assert up["props"]["aria-label"] == editor.t("dk.up_label", lang, n=n)
        assert find(item, {"type": "dk-confirm", "action": "delete-slide", "slide": sid})
        assert find(item, {"type": "dk-field", "name": "notes", "slide": sid})
    assert editor.t("dk.slide_heading", lang, n=1, kind=editor.t("dk.kind.title", lang)) in text
    chart = queries.indicator("industrial_output")[f"name_{lang}"]
    assert chart in text  # what the chart slide shows
    # the notes are shown in the page's language (the deck's own or a translation)
    notes = slide_texts(decks.get_deck(DECK)["slides"][0], lang)["notes"]
    assert notes and notes in text
    assert editor.t("dk.add_title", lang) in text and editor.t("dk.add_text", lang) in text
    assert find(ed, {"type": "dk-confirm", "action": "delete-deck", "slide": 0})


@pytest.mark.parametrize("lang", ["kk", "ru", "en"])
def test_an_unknown_deck_is_a_friendly_message_and_the_list(client, lang, editor):
    text = texts(render(client, "/decks", f"?deck=no-such-deck&lang={lang}"))
    assert editor.t("dk.unknown", lang, slug="no-such-deck") in text
    assert TITLES[lang] in text and "Traceback" not in text


def test_a_store_failure_while_rendering_is_a_message(client, monkeypatch, editor):
    def broken(*_a, **_k):
        raise RuntimeError("disk I/O error")

    monkeypatch.setattr(decks, "list_decks", broken)
    monkeypatch.setattr(decks, "get_deck", broken)
    text = texts(render(client, "/decks", f"?deck={DECK}&lang=ru"))
    assert editor.t("dk.err_list", "ru") in text and "disk I/O" not in text


# --- the actions --------------------------------------------------------------------------


def test_create_a_deck(client):
    out = act(
        client,
        "create",
        deck=None,
        lang="ru",
        fields={("new-title", 0): "  Слушания в Аральске 2025 ", ("new-lang", 0): "ru"},
    )
    slug = out["dk-state"]["deck"]
    deck = decks.get_deck(slug)
    assert deck["title"] == "Слушания в Аральске 2025" and deck["lang"] == "ru"
    assert deck["slides"] == [] and slug.startswith("slushaniia")
    assert out["decks-url"] == f"?lang=ru&deck={slug}"
    assert "Слушания в Аральске 2025" in status(out)
    assert find(out["dk-body"], "dk-editor") is not None
    assert out["dk-focus"]["targets"] == ["#dk-editor-heading"]


def test_a_deck_needs_a_title(client, editor):
    before = len(decks.list_decks())
    out = act(client, "create", deck=None, fields={("new-title", 0): "  ", ("new-lang", 0): "en"})
    assert editor.t("dk.err_title", "en") in status(out) and "dk-body" not in out
    assert len(decks.list_decks()) == before


def test_edit_title_and_notes_in_the_deck_language_and_in_a_translation(client, editor):
    first, chart = slide_ids()[0], slide_ids()[3]
    out = act(
        client,
        "save",
        chart,
        lang="kk",
        fields={("title", chart): "Өнеркәсіп", ("notes", chart): "Жаңа жазба"},
    )
    assert editor.t("dk.slide_saved", "kk", n=4) in status(out) and "dk-body" not in out
    slide = deck_slides.get_slide(DECK, chart)
    assert (slide["title"], slide["notes"]) == ("Өнеркәсіп", "Жаңа жазба")  # the deck's own
    assert slide["translations"]["ru"]["notes"]  # the translations are kept
    act(
        client,
        "save",
        first,
        lang="ru",
        fields={("title", first): "", ("text", first): "Слушания", ("notes", first): "Заметка"},
    )
    slide = deck_slides.get_slide(DECK, first)
    assert slide_texts(slide, "ru") == {"title": "", "text": "Слушания", "notes": "Заметка"}
    assert slide["notes"].startswith("Сәлемдесу")  # the Kazakh notes stay


def test_move_slides_up_and_down(client, editor):
    ids = slide_ids()
    out = act(client, "up", ids[3])
    assert slide_ids() == [ids[0], ids[1], ids[3], ids[2], *ids[4:]]
    assert editor.t("dk.slide_moved", "en", old=4, n=3) in status(out)
    assert out["dk-focus"]["targets"][0] == f'#dk-slide-{ids[3]} [data-control="up"]'
    act(client, "down", ids[0])
    assert slide_ids()[:2] == [ids[1], ids[0]]
    act(client, "up", ids[1])  # the first stays first
    act(client, "up", ids[1])
    assert slide_ids()[0] == ids[1]
    act(client, "down", ids[-1])  # the last stays last
    assert slide_ids()[-1] == ids[-1]


def test_moving_keeps_texts_typed_into_other_slides(client):
    ids = slide_ids()
    act(
        client,
        "down",
        ids[0],
        fields={("notes", ids[5]): "typed, not saved", ("title", ids[5]): ""},
    )
    assert deck_slides.get_slide(DECK, ids[5])["translations"]["en"]["notes"] == "typed, not saved"


def test_delete_a_slide_after_confirmation(client, editor):
    ids = slide_ids()
    out = act(client, "delete-slide", ids[4], confirm=True)
    assert slide_ids() == ids[:4] + ids[5:]
    assert editor.t("dk.slide_deleted", "en", n=5) in status(out)
    assert out["dk-focus"]["targets"][0] == f"#dk-slide-{ids[5]}"
    assert find(out["dk-body"], f"dk-slide-{ids[4]}") is None


def test_add_title_and_text_slides(client, editor):
    act(client, "add-title")
    out = act(client, "add-text")
    assert kinds()[-2:] == ["title", "text"]
    new = slide_ids()[-1]
    assert editor.t("dk.slide_added", "en", n=13) in status(out)
    assert find(out["dk-body"], {"type": "dk-field", "name": "text", "slide": new})
    act(
        client,
        "save",
        new,
        lang="kk",
        fields={("title", new): "Қорытынды", ("text", new): "- бір\n- екі"},
    )
    assert deck_slides.get_slide(DECK, new)["text"] == "- бір\n- екі"


def test_rename_the_deck_and_change_its_language(client, editor):
    out = act(
        client,
        "save-deck",
        lang="en",
        fields={("deck-title", 0): "Aral hearing", ("deck-lang", 0): "ru"},
    )
    deck = decks.get_deck(DECK)
    assert deck["lang"] == "ru" and deck["translations"]["en"]["title"] == "Aral hearing"
    assert deck["title"] == TITLES["kk"]  # the Kazakh title is not overwritten from English
    assert editor.t("dk.deck_saved", "en") in status(out)
    act(
        client,
        "save-deck",
        lang="kk",
        fields={("deck-title", 0): "Арал тыңдауы", ("deck-lang", 0): "ru"},
    )
    assert decks.get_deck(DECK)["translations"]["kk"]["title"] == "Арал тыңдауы"


def test_freeze_and_unfreeze(client, editor):
    yesterday = (date.today() - timedelta(days=1)).isoformat()
    out = act(client, "freeze", as_of=yesterday, lang="ru")
    deck = decks.get_deck(DECK, snapshot=True)
    assert deck["frozen_at"] == yesterday and len(deck["snapshot"]["slides"]) == 11
    assert "Данные зафиксированы на" in status(out)
    assert find(out["dk-body"], {"type": "dk-btn", "action": "unfreeze", "slide": 0})
    listed = texts(render(client, "/decks", "?lang=en"))
    assert "Frozen as of" in listed
    out = act(client, "unfreeze", lang="ru")
    assert decks.get_deck(DECK)["frozen_at"] is None
    assert editor.t("dk.unfrozen_done", "ru") in status(out)
    tomorrow = (date.today() + timedelta(days=1)).isoformat()
    out = act(client, "freeze", as_of=tomorrow)
    assert editor.t("dk.err_date", "en") in status(out)
    assert decks.get_deck(DECK)["frozen_at"] is None
    act(client, "freeze")  # no date: today
    assert decks.get_deck(DECK)["frozen_at"] == date.today().isoformat()


def test_delete_the_deck_after_confirmation(client):
    out = act(client, "delete-deck", confirm=True, lang="kk")
    assert DECK not in [d["slug"] for d in decks.list_decks()]
    assert out["dk-state"] == {"deck": None, "lang": "kk"} and out["decks-url"] == "?lang=kk"
    assert TITLES["kk"] in status(out)
    assert find(out["dk-body"], "dk-editor") is None


def test_an_action_on_a_deck_deleted_meanwhile_is_a_friendly_message(client, editor):
    ids = slide_ids()
    decks.delete_deck(DECK)
    out = act(client, "up", ids[2], lang="ru")
    text = status(out)
    assert editor.t("dk.err_missing", "ru") in text and "Traceback" not in text
    assert editor.t("dk.unknown", "ru", slug=DECK) in texts(json.dumps(out["dk-body"]))


def test_a_store_failure_is_a_message_not_a_traceback(client, monkeypatch, editor):
    def broken(*_a, **_k):
        raise RuntimeError("database is locked")

    monkeypatch.setattr(deck_slides, "move_slide", broken)
    out = act(client, "up", slide_ids()[2], lang="kk")
    assert editor.t("dk.err_store", "kk") in status(out) and "locked" not in status(out)


def test_an_unpressed_button_does_nothing(client):
    trigger = {"type": "dk-btn", "action": "up", "slide": slide_ids()[2]}
    out = post(
        client,
        ACT,
        ACT_OUTPUTS,
        [[{"id": trigger, "property": "n_clicks", "value": None}], []],
        [[], [], {"id": "dk-state", "property": "data", "value": {"deck": DECK}}],
        f"{stringify_id(trigger)}.n_clicks",
    )
    assert out == {} and slide_ids()[2] == trigger["slide"]


# --- the pure parts -----------------------------------------------------------------------


def test_text_changes_write_the_deck_language_or_a_translation(editor):
    slide = {"title": "Тақырып", "text": "", "notes": "kk", "translations": {"ru": {"notes": "ru"}}}
    assert deck_texts.text_changes(slide, "kk", "kk", {"title": "Жаңа", "notes": "kk"}) == {
        "title": "Жаңа"
    }
    assert deck_texts.text_changes(slide, "kk", "ru", {"notes": "новое"}) == {
        "translations": {"ru": {"notes": "новое"}}
    }
    assert deck_texts.text_changes(slide, "kk", "en", {"title": "Title", "notes": None}) == {
        "translations": {"ru": {"notes": "ru"}, "en": {"title": "Title"}}
    }
    # a deck whose language changed: its language's translation is what is shown
    assert deck_texts.text_changes(slide, "ru", "ru", {"notes": "x"}) == {
        "translations": {"ru": {"notes": "x"}}
    }


def test_describe_says_what_a_slide_shows(editor):
    line = deck_texts.describe(
        "chart",
        {"indicator": "industrial_output", "area": ARAL, "compare": [KAZALY], "source": "all"},
        "en",
    )
    assert line.startswith(queries.indicator("industrial_output")["name_en"])
    assert "Aral" in line and "compared with" in line and "every source" in line
    assert "districts of" in deck_texts.describe("map", {"indicator": "population"}, "en")
    assert deck_texts.describe("text", {}, "ru") == ""
    assert "QR" in deck_texts.describe("closing", {}, "kk")


# --- "Add to deck" ------------------------------------------------------------------------


def share_outputs(prefix: str, cards: list[str] | None = None) -> tuple[str, list]:
    names = [
        (f"{prefix}-deck-choice", "options"),
        (f"{prefix}-deck-choice", "value"),
        (f"{prefix}-deck-status", "children"),
        (f"{prefix}-deck-new-title", "value"),
    ]
    key = "...".join(f"{i}.{p}" for i, p in names)
    outputs = [{"id": i, "property": p} for i, p in names]
    if cards is not None:
        card = {"type": "deck-card-status", "prefix": prefix, "indicator": ["ALL"]}
        key += f"...{stringify_id(card)}.children"
        outputs.append([{"id": {**card, "indicator": c}, "property": "children"} for c in cards])
    return f"..{key}..", outputs


def add(
    client,
    prefix: str,
    trigger: str,
    search: str,
    *,
    choice: str | None = None,
    new_title: str = "",
) -> dict:
    """Press "Add" (or ``trigger``) in the share bar of an explore or map page."""
    key, outputs = share_outputs(prefix)
    buttons = ["summary", "add"] + (["add-target"] if prefix == "explore" else [])
    inputs = [
        {"id": f"{prefix}-deck-{b}", "property": "n_clicks", "value": 1 if b == trigger else None}
        for b in buttons
    ]
    state = [
        {"id": f"{prefix}-deck-choice", "property": "value", "value": choice},
        {"id": f"{prefix}-deck-new-title", "property": "value", "value": new_title},
        {"id": f"{prefix}-deck-params", "property": "data", "value": {"lang": "en"}},
        {"id": f"{prefix}-url", "property": "data", "value": search},
    ]
    out = post(client, key, outputs, inputs, state, f"{prefix}-deck-{trigger}.n_clicks")
    return {f"{k}.{p}": v for k, props in out.items() for p, v in props.items()}


def test_add_an_explore_chart_with_the_page_state(client):
    search = (
        f"?indicator=industrial_output&area={ARAL}&compare={KAZALY}&mode=index&source=all&lang=ru"
    )
    out = add(client, "explore", "add", search)
    slides = decks.get_deck(DECK)["slides"]
    slide = slides[-2]  # before the closing slide, which stays last
    assert slides[-1]["kind"] == "closing"
    assert slide["kind"] == "chart" and slide["position"] == 11
    assert slide["params"] == {
        "indicator": "industrial_output",
        "area": ARAL,
        "compare": [KAZALY],
        "mode": "index",
        "source": "all",
    }
    text = texts(json.dumps(out["explore-deck-status.children"]))
    assert f"Добавлено в «{TITLES['ru']}» как слайд 11." in text
    assert f"/decks?lang=ru&deck={DECK}" in text
    assert out["explore-deck-choice.value"] == DECK
    assert any(o["value"] == share.NEW_DECK for o in out["explore-deck-choice.options"])


def test_add_an_indicator_vs_target_slide_from_explore(client):
    code = str(queries.targets(area_code=ARAL)["indicator"].iloc[0])
    add(client, "explore", "add-target", f"?indicator={code}&area={ARAL}&lang=en")
    slide = decks.get_deck(DECK)["slides"][-2]
    assert (slide["kind"], slide["params"]) == ("target", {"indicator": code, "area": ARAL})


def test_the_target_button_is_offered_only_with_targets(client):
    with_target = str(queries.targets(area_code=ARAL)["indicator"].iloc[0])
    have = set(queries.targets(area_code=ARAL)["indicator"])
    without = next(c for c in queries.area_indicators(ARAL)["indicator"] if c not in have)
    for code, hidden in ((with_target, False), (without, True)):
        out = callback(
            client,
            "explore-deck-add-target.hidden",
            [{"id": "explore-deck-add-target", "property": "hidden"}],
            [
                {
                    "id": "explore-url",
                    "property": "data",
                    "value": f"?indicator={code}&area={ARAL}&lang=en",
                }
            ],
        )
        assert out["response"]["explore-deck-add-target"]["hidden"] is hidden
    bar = find(
        page(client, "/explore", f"?indicator={without}&area={ARAL}&lang=en"),
        "explore-deck-add-target",
    )
    assert bar["props"]["hidden"] is True


def test_add_a_map_slide_with_the_page_state(client):
    add(
        client,
        "map",
        "add",
        f"?indicator=population&level=district&parent={KYZYLORDA}&year=2020&lang=kk&area={ARAL}",
    )
    slide = decks.get_deck(DECK)["slides"][-2]
    assert slide["kind"] == "map"
    assert slide["params"] == {
        "indicator": "population",
        "level": "district",
        "parent": KYZYLORDA,
        "year": 2020,
        "highlight": ARAL,
    }
    add(client, "map", "add", "?indicator=population&level=oblast&year=2021&lang=kk")
    assert decks.get_deck(DECK)["slides"][-2]["params"] == {
        "indicator": "population",
        "level": "oblast",
        "year": 2021,
    }


def test_add_to_a_new_deck(client):
    out = add(
        client,
        "explore",
        "add",
        f"?indicator=industrial_output&area={ARAL}&lang=en",
        choice=share.NEW_DECK,
        new_title="Budget hearing",
    )
    slug = out["explore-deck-choice.value"]
    deck = decks.get_deck(slug)
    assert deck["title"] == "Budget hearing" and kinds(slug) == ["chart"]
    assert out["explore-deck-new-title.value"] == ""
    out = add(
        client, "explore", "add", "?indicator=industrial_output&lang=en", choice=share.NEW_DECK
    )
    assert share.t("deck.need_title", "en") in texts(json.dumps(out))


def test_a_frozen_deck_takes_no_new_figures(client):
    deck_freeze.freeze(DECK)
    out = add(client, "explore", "add", f"?indicator=industrial_output&area={ARAL}&lang=en")
    assert "is frozen as of" in texts(json.dumps(out["explore-deck-status.children"]))
    assert len(decks.get_deck(DECK)["slides"]) == 11


def test_a_deck_deleted_meanwhile_and_a_broken_store_are_messages(client, monkeypatch):
    out = add(client, "map", "add", "?indicator=population&lang=ru", choice="gone")
    assert share.t("deck.missing", "ru", slug="gone") in texts(json.dumps(out))

    def broken(*_a, **_k):
        raise RuntimeError("disk full")

    monkeypatch.setattr(deck_slides, "add_slide", broken)
    out = add(client, "map", "add", "?indicator=population&lang=ru")
    assert share.t("deck.unavailable", "ru") in texts(json.dumps(out))


def test_opening_the_menu_lists_the_decks(client):
    decks.create_deck({"title": "Second", "lang": "en"})
    out = add(client, "map", "summary", "?indicator=population&lang=en")
    labels = [o["label"] for o in out["map-deck-choice.options"]]
    assert labels[-1] == "New deck…" and f"{TITLES['en']} · slides: 11" in labels
    assert "Second · slides: 0" in labels and out["map-deck-choice.value"] == DECK


def test_rendering_a_page_never_reads_the_deck_store(client, monkeypatch):
    def untouchable(*_a, **_k):
        raise AssertionError("the deck store was read while rendering")

    monkeypatch.setattr(decks, "list_decks", untouchable)
    monkeypatch.setattr(deck_database, "engine", untouchable)
    for path, search in (
        ("/explore", f"?indicator=industrial_output&area={ARAL}&lang=kk"),
        ("/map", "?lang=kk"),
        ("/", "?lang=kk"),
    ):
        content = page(client, path, search)
        prefix = {"/explore": "explore", "/map": "map", "/": "overview"}[path]
        menu = find(content, f"{prefix}-deck")
        assert menu is not None and share.t("deck.add", "kk") in texts(json.dumps(menu))


def test_overview_cards_add_target_or_chart_slides(client):
    content = page(client, "/", f"?area={ARAL}&lang=ru")
    have = set(queries.targets(area_code=ARAL)["indicator"])
    with_target = sorted(have)[0]
    # the first card without a target among those drawn (collapsed categories come later)
    without = next(
        c
        for c in queries.area_indicators(ARAL)["indicator"]
        if c not in have and find(content, f"card-{c}") is not None
    )
    for code, kind in ((with_target, "target"), (without, "chart")):
        button_id = {"type": "deck-card-add", "prefix": "overview", "indicator": code, "kind": kind}
        button = find(content, button_id)
        assert button is not None and button["props"]["aria-label"].startswith("Добавить «")
        assert find(content, f"card-{code}") is not None  # the card's link is unchanged
        cards = [with_target, without]
        key, outputs = share_outputs("overview", cards)
        out = post(
            client,
            key,
            outputs,
            [
                {"id": "overview-deck-summary", "property": "n_clicks", "value": None},
                [
                    {
                        "id": {**button_id, "indicator": c, "kind": k},
                        "property": "n_clicks",
                        "value": 1 if c == code else None,
                    }
                    for c, k in ((with_target, "target"), (without, "chart"))
                ],
            ],
            [
                {"id": "overview-deck-choice", "property": "value", "value": DECK},
                {"id": "overview-deck-new-title", "property": "value", "value": ""},
                {
                    "id": "overview-deck-params",
                    "property": "data",
                    "value": {"area": ARAL, "lang": "ru"},
                },
            ],
            f"{stringify_id(button_id)}.n_clicks",
        )
        slide = decks.get_deck(DECK)["slides"][-2]
        assert (slide["kind"], slide["params"]) == (kind, {"indicator": code, "area": ARAL})
        for c in cards:  # only the pressed card says so
            said = texts(
                json.dumps(
                    out[
                        stringify_id(
                            {"type": "deck-card-status", "prefix": "overview", "indicator": c}
                        )
                    ]
                )
            )
            assert ("Добавлено в «" in said) is (c == code)


def test_deck_slide_follows_the_view():
    assert share.deck_slide(
        "explore",
        {
            "indicator": "x",
            "area": ARAL,
            "mode": "absolute",
            "source": "preferred",
            "compare": f"{ARAL},{KAZALY}",
        },
    ) == {"kind": "chart", "params": {"indicator": "x", "area": ARAL, "compare": [KAZALY]}}
    assert share.deck_slide("explore", {"indicator": "x"}, as_target=True) == {
        "kind": "target",
        "params": {"indicator": "x", "area": ARAL},
    }
    assert share.deck_slide("map", {"indicator": "x", "level": "oblast", "parent": KYZYLORDA}) == {
        "kind": "map",
        "params": {"indicator": "x", "level": "oblast"},
    }
    assert share.deck_slide("overview", {"indicator": "x", "area": KAZALY}) == {
        "kind": "chart",
        "params": {"indicator": "x", "area": KAZALY},
    }
    with pytest.raises(ValueError):
        share.deck_slide("programs", {})


def test_opening_the_overview_menu_lists_the_decks_and_leaves_the_cards(client):
    key, outputs = share_outputs("overview", ["nas_water_volume"])
    card = {
        "type": "deck-card-add",
        "prefix": "overview",
        "indicator": "nas_water_volume",
        "kind": "target",
    }
    out = post(
        client,
        key,
        outputs,
        [
            {"id": "overview-deck-summary", "property": "n_clicks", "value": 1},
            [{"id": card, "property": "n_clicks", "value": None}],
        ],
        [
            {"id": "overview-deck-choice", "property": "value", "value": None},
            {"id": "overview-deck-new-title", "property": "value", "value": ""},
            {
                "id": "overview-deck-params",
                "property": "data",
                "value": {"area": ARAL, "lang": "kk"},
            },
        ],
        "overview-deck-summary.n_clicks",
    )
    assert out["overview-deck-choice"]["value"] == DECK
    assert out["overview-deck-choice"]["options"][-1]["label"] == "Жаңа презентация…"
    assert set(out) == {"overview-deck-choice"}
    assert len(decks.get_deck(DECK)["slides"]) == 11
