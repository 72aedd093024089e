"""The deck editor and "Add to deck" in a real browser, offline, keyboard first."""

from __future__ import annotations

import time

import pytest

from components.slides import slide_texts
from store import deck_database, deck_slides, decks, queries

DECK = "aral-default"
ARAL = "433200000"
RU_TITLE = "Аральский район: показатели устойчивого развития"


@pytest.fixture(autouse=True)
def deck_db(tmp_path, monkeypatch):
    """A deck database of the test's own (never data/decks.db)."""
    url = f"sqlite:///{tmp_path / 'decks.db'}"
    monkeypatch.setenv("DECKS_DATABASE_URL", url)
    deck_database.use(url)
    yield url
    deck_database.dispose()


def wait_for(p, check, timeout: float = 15.0) -> None:
    """Poll ``check()`` (the deck store, written by the server's thread) until it is true.

    Waits with Playwright, not time.sleep: the blocked-request router runs only then.
    """
    end = time.monotonic() + timeout
    while not check():
        if time.monotonic() > end:
            raise AssertionError("timed out waiting for the deck store")
        p.wait_for_timeout(100)


def focused(p) -> str:
    """data-control and slide of the focused element: 'up@12'."""
    return p.evaluate("""() => {
        const el = document.activeElement;
        const li = el && el.closest('[data-slide]');
        return (el.dataset.control || el.tagName) + '@' + (li ? li.dataset.slide : '');
    }""")


def test_add_from_explore_reorder_edit_and_present(page, live_server):
    p = page.goto(f"/explore?indicator=industrial_output&area={ARAL}&lang=ru")
    p.locator("#explore-deck-summary").click()
    p.wait_for_function(
        "document.querySelector('#explore-deck-choice').textContent.includes('слайдов: 11')",
        timeout=15000,
    )
    p.locator("#explore-deck-add").click()
    status = p.locator("#explore-deck-status")
    status.get_by_text(f"Добавлено в «{RU_TITLE}» как слайд 11.").wait_for(timeout=15000)
    slide = decks.get_deck(DECK)["slides"][-2]  # the closing slide stays last
    assert (slide["kind"], slide["position"]) == ("chart", 11)
    assert slide["params"] == {"indicator": "industrial_output", "area": ARAL}
    sid = slide["id"]

    status.get_by_role("link").click()  # "Open in the editor"
    p.wait_for_url(f"**/decks?lang=ru&deck={DECK}", timeout=15000)
    item = p.locator(f"#dk-slide-{sid}")
    item.wait_for(timeout=15000)
    assert "Слайд 11 · График" in item.locator("h4").inner_text()

    # Move it up with the keyboard: focus stays on its "Up" button.
    item.locator('[data-control="up"]').focus()
    p.keyboard.press("Enter")
    wait_for(p, lambda: deck_slides.get_slide(DECK, sid)["position"] == 10)
    p.locator("#dk-status").get_by_text("Слайд 11 теперь на месте 10.").wait_for(timeout=15000)
    p.wait_for_function(f"document.activeElement.closest('#dk-slide-{sid}') !== null", timeout=5000)
    assert focused(p) == f"up@{sid}"
    assert "Слайд 10 · График" in p.locator(f"#dk-slide-{sid} h4").inner_text()

    # Speaker notes, saved with the keyboard.
    notes = p.locator(f"#dk-slide-{sid} textarea")
    notes.fill("Сравнить с отчётом акима за 2008 год.")
    p.locator(f'#dk-slide-{sid} [data-control="save"]').focus()
    p.keyboard.press("Enter")
    p.locator("#dk-status").get_by_text("Слайд 10 сохранён.").wait_for(timeout=15000)
    saved = deck_slides.get_slide(DECK, sid)
    assert slide_texts(saved, "ru")["notes"] == "Сравнить с отчётом акима за 2008 год."

    # The deck as presented: the new chart is slide 10, its notes in the presenter view.
    p.goto(f"{live_server}/present?deck={DECK}&lang=ru&slide=10")
    p.wait_for_function("window.deckReady === true", timeout=30000)
    current = p.locator(".slide.current")
    assert current.get_attribute("data-index") == "9"
    name = queries.indicator("industrial_output")["name_ru"]
    assert current.locator("h2, h1").first.inner_text() == f"{name}: Аральский район"
    assert current.locator(".js-plotly-plot, .plot-container, svg").count() > 0
    p.goto(f"{live_server}/present/notes?deck={DECK}&lang=ru&slide=10")
    p.wait_for_function("window.deckReady === true", timeout=30000)
    assert "Сравнить с отчётом акима" in p.content()
    assert page.blocked == [] and page.errors == []


def test_overview_card_and_the_editor_in_kazakh_and_russian(page, live_server):
    p = page.goto(f"/?area={ARAL}&lang=kk")
    button = p.locator('[id*="deck-card-add"][id*="nas_water_volume"]')
    button.focus()
    p.keyboard.press("Enter")
    p.locator('[id*="deck-card-status"][id*="nas_water_volume"]').get_by_text(
        "11-слайд ретінде қосылды"
    ).wait_for(timeout=15000)
    slide = decks.get_deck(DECK)["slides"][-2]
    assert (slide["kind"], slide["params"]) == (
        "target",
        {"indicator": "nas_water_volume", "area": ARAL},
    )

    for lang in ("kk", "ru"):
        p = page.goto(f"/decks?deck={DECK}&lang={lang}")
        p.locator("#dk-editor").wait_for(timeout=15000)
        p.locator(f"#dk-slide-{slide['id']}").wait_for(timeout=15000)
        page.shot(f"decks-editor-{lang}")

    # Deleting asks first; cancelling keeps the slide, accepting deletes it.
    delete = p.locator(f'#dk-slide-{slide["id"]} [data-control="delete"]')
    p.once("dialog", lambda d: d.dismiss())
    delete.click()
    p.wait_for_timeout(500)
    assert len(decks.get_deck(DECK)["slides"]) == 12
    p.once("dialog", lambda d: d.accept())
    delete.click()
    wait_for(p, lambda: len(decks.get_deck(DECK)["slides"]) == 11)
    p.locator("#dk-status").get_by_text("Слайд 11 удалён.").wait_for(timeout=15000)

    # An unknown deck is a friendly message, and the list.
    p = page.goto("/decks?deck=no-such-deck&lang=ru")
    p.get_by_text("Презентация «no-such-deck» не найдена.").wait_for(timeout=15000)
    assert p.locator(f"#dk-row-{DECK}").is_visible()
    assert page.blocked == [] and page.errors == []


def test_create_freeze_and_delete_a_deck(page, live_server):
    p = page.goto("/decks?lang=en")
    title = p.get_by_label("Title")
    title.wait_for(timeout=15000)
    title.fill("Budget hearing")
    p.locator('[data-control="create"]').click()
    p.locator("#dk-editor-heading").get_by_text("Budget hearing").wait_for(timeout=15000)
    slug = next(d["slug"] for d in decks.list_decks() if d["title"] == "Budget hearing")
    p.wait_for_url(f"**/decks?lang=en&deck={slug}", timeout=5000)
    p.locator('[data-control="add-text"]').click()
    wait_for(p, lambda: [s["kind"] for s in decks.get_deck(slug)["slides"]] == ["text"])
    p.locator('[data-control="freeze"]').click()
    p.locator("#dk-frozen-state").get_by_text("Frozen as of").wait_for(timeout=15000)
    assert decks.get_deck(slug)["frozen"]
    p.locator('[data-control="unfreeze"]').click()
    p.locator("#dk-frozen-state").get_by_text("Live data").wait_for(timeout=15000)
    p.once("dialog", lambda d: d.accept())
    p.locator('[data-control="delete-deck"]').click()
    p.locator("#dk-status").get_by_text("Deleted the deck “Budget hearing”.").wait_for(
        timeout=15000
    )
    assert slug not in [d["slug"] for d in decks.list_decks()]
    assert p.evaluate("window.location.search") == "?lang=en"
    assert page.blocked == [] and page.errors == []
