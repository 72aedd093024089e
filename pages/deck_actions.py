"""The deck page's actions: one callback (:func:`act`) for every button and confirmed deletion.

Each action calls the deck store (the deck database is writable by design) and re-renders
the page body from it; a store error becomes a message in the page's language, never a
traceback. Keyboard focus then goes where the action says (a clientside callback).
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from datetime import date
from typing import NamedTuple

import dash
from dash import ALL, Input, Output, State, clientside_callback, html
from dash.exceptions import PreventUpdate

from components.i18n import LANGS, fmt_date, request_lang, t
from components.slides import deck_title
from components.urlstate import query_string
from pages.deck_editor import body
from pages.deck_ids import PREFIX, btn, confirm, date_field, field
from pages.deck_texts import SLIDE_FIELDS, text_changes, title_changes
from store import deck_access, deck_freeze, deck_slides, decks

log = logging.getLogger(__name__)


class Outcome(NamedTuple):
    """What an action did: the message, where keyboard focus goes (CSS selectors, the first
    that is there and enabled), the deck chosen afterwards, and whether to re-render."""

    note: str
    focus: list[str]
    deck: str | None
    render: bool = True


class Request(NamedTuple):
    """An action's input: the deck, the slide (0: none), the fields' values, the language."""

    deck: str | None
    slide: int
    fields: dict[tuple[str, int], object]
    lang: str


def _control(sid: int, control: str) -> str:
    return f'#dk-slide-{sid} [data-control="{control}"]'


def _slide_values(req: Request, sid: int) -> dict[str, str | None]:
    return {
        f: req.fields.get((f, sid))
        for f in SLIDE_FIELDS
        if isinstance(req.fields.get((f, sid)), str)
    }


def _position(deck: dict, sid: int) -> int:
    for s in deck["slides"]:
        if s["id"] == sid:
            return s["position"]
    raise deck_access.DeckError(f"this deck has no slide {sid!r}", 404)


def save_pending(req: Request, skip: int | None = None) -> None:
    """Keep the texts typed into the slides (all but ``skip``) before the page re-renders."""
    deck = decks.get_deck(req.deck or "")
    for s in deck["slides"]:
        if s["id"] == skip:
            continue
        changes = text_changes(s, deck["lang"], req.lang, _slide_values(req, s["id"]))
        if changes:
            deck_slides.update_slide(deck["slug"], s["id"], changes, check_refs=False)


def _create(req: Request) -> Outcome:
    title = str(req.fields.get(("new-title", 0)) or "").strip()
    if not title:
        return Outcome(
            t("dk.err_title", req.lang), ['[data-control="create"]'], req.deck, render=False
        )
    lang = req.fields.get(("new-lang", 0))
    deck = decks.create_deck({"title": title, "lang": lang if lang in LANGS else req.lang})
    log.info("decks: created %s", deck["slug"])
    return Outcome(t("dk.created", req.lang, deck=title), ["#dk-editor-heading"], deck["slug"])


def _save_deck(req: Request) -> Outcome:
    deck = decks.get_deck(req.deck or "")
    title = str(req.fields.get(("deck-title", 0)) or "").strip()
    if not title:
        return Outcome(
            t("dk.err_title", req.lang), ['[data-control="save-deck"]'], req.deck, render=False
        )
    save_pending(req)
    changes = title_changes(deck, req.lang, title)
    lang = req.fields.get(("deck-lang", 0))
    if lang in LANGS and lang != deck["lang"]:
        changes["lang"] = lang
    if changes:
        decks.update_deck(deck["slug"], changes)
    return Outcome(t("dk.deck_saved", req.lang), ['[data-control="save-deck"]'], req.deck)


def _freeze(req: Request) -> Outcome:
    as_of = req.fields.get(("freeze-date", 0)) or date.today().isoformat()
    try:
        when = date.fromisoformat(str(as_of)[:10])
    except ValueError:
        when = None
    if when is None or when > date.today():
        return Outcome(
            t("dk.err_date", req.lang), ['[data-control="freeze"]'], req.deck, render=False
        )
    save_pending(req)
    deck_freeze.freeze(req.deck or "", when)
    return Outcome(
        t("dk.frozen_done", req.lang, date=fmt_date(when, req.lang)),
        ['[data-control="unfreeze"]'],
        req.deck,
    )


def _unfreeze(req: Request) -> Outcome:
    save_pending(req)
    deck_freeze.unfreeze(req.deck or "")
    return Outcome(t("dk.unfrozen_done", req.lang), ['[data-control="freeze"]'], req.deck)


def _delete_deck(req: Request) -> Outcome:
    deck = decks.get_deck(req.deck or "")
    decks.delete_deck(deck["slug"])
    log.info("decks: deleted %s", deck["slug"])
    return Outcome(
        t("dk.deck_deleted", req.lang, deck=deck_title(deck, req.lang)), ["#dk-list-heading"], None
    )


def _add(kind: str) -> Callable[[Request], Outcome]:
    def add(req: Request) -> Outcome:
        save_pending(req)
        slide = deck_slides.add_slide(req.deck or "", {"kind": kind, "params": {}})
        return Outcome(
            t("dk.slide_added", req.lang, n=slide["position"]),
            [f"#dk-slide-{slide['id']} input", f"#dk-slide-{slide['id']}"],
            req.deck,
        )

    return add


def _save(req: Request) -> Outcome:
    deck = decks.get_deck(req.deck or "")
    n = _position(deck, req.slide)
    slide = deck["slides"][n - 1]
    changes = text_changes(slide, deck["lang"], req.lang, _slide_values(req, req.slide))
    if changes:
        deck_slides.update_slide(deck["slug"], req.slide, changes, check_refs=False)
    return Outcome(
        t("dk.slide_saved", req.lang, n=n), [_control(req.slide, "save")], req.deck, render=False
    )


def _move(step: int) -> Callable[[Request], Outcome]:
    def move(req: Request) -> Outcome:
        save_pending(req)
        old = _position(decks.get_deck(req.deck or ""), req.slide)
        deck = deck_slides.move_slide(req.deck or "", req.slide, old + step)
        new = _position(deck, req.slide)
        control = "up" if step < 0 else "down"
        return Outcome(
            t("dk.slide_moved", req.lang, old=old, n=new),
            [
                _control(req.slide, control),
                _control(req.slide, "down" if control == "up" else "up"),
                f"#dk-slide-{req.slide}",
            ],
            req.deck,
        )

    return move


def _delete_slide(req: Request) -> Outcome:
    save_pending(req, skip=req.slide)
    n = _position(decks.get_deck(req.deck or ""), req.slide)
    deck = deck_slides.delete_slide(req.deck or "", req.slide)
    rest = deck["slides"]
    focus = [f"#dk-slide-{rest[min(n, len(rest)) - 1]['id']}"] if rest else []
    return Outcome(t("dk.slide_deleted", req.lang, n=n), [*focus, "#dk-slides-heading"], req.deck)


ACTIONS: dict[str, Callable[[Request], Outcome]] = {
    "create": _create,
    "save-deck": _save_deck,
    "freeze": _freeze,
    "unfreeze": _unfreeze,
    "delete-deck": _delete_deck,
    "add-title": _add("title"),
    "add-text": _add("text"),
    "save": _save,
    "up": _move(-1),
    "down": _move(1),
    "delete-slide": _delete_slide,
}


def error_text(exc: deck_access.DeckError, lang: str) -> str:
    """A store error in ``lang``: read-only, gone, frozen, no indicator database, or its own
    words."""
    if isinstance(exc, deck_access.DecksLocked):
        return t("dk.locked", lang)
    if isinstance(exc, deck_access.DecksNeedAccount):
        return t("dk.sign_in", lang)
    if exc.status == 403 and exc.message.startswith("CSRF"):
        return t("dk.err_invalid", lang, detail=exc.message)
    if exc.status == 403:
        return t("dk.readonly", lang)
    if exc.status == 404:
        return t("dk.err_missing", lang)
    if exc.status == 409 and "frozen" in exc.message:
        return t("dk.err_frozen", lang)
    if exc.status == 409 and "not built" in exc.message:
        return t("msg.no_database", lang)
    return t("dk.err_invalid", lang, detail=exc.message)


def run(action: str, req: Request) -> tuple[Outcome, bool]:
    """Do ``action``; returns its outcome and whether it went wrong. Never raises."""
    try:
        return ACTIONS[action](req), False
    except deck_access.DeckError as exc:
        log.info("decks: %s on %r failed: %s", action, req.deck, exc.message)
        return Outcome(error_text(exc, req.lang), [], req.deck, render=exc.status == 404), True
    except Exception:  # noqa: BLE001 - a message, never a traceback
        log.exception("decks: %s on %r failed", action, req.deck)
        return Outcome(t("dk.err_store", req.lang), [], req.deck, render=False), True


@dash.callback(
    Output("dk-body", "children"),
    Output("dk-status", "children"),
    Output("dk-focus", "data"),
    Output("dk-state", "data"),
    Output(f"{PREFIX}-url", "data"),
    Input(btn(ALL, ALL), "n_clicks"),
    Input(confirm(ALL, ALL), "submit_n_clicks"),
    State(field(ALL, ALL), "value"),
    State(date_field(ALL), "date"),
    State("dk-state", "data"),
    prevent_initial_call=True,
)
def act(_clicks: list, _confirms: list, _values: list, _dates: list, state: dict | None) -> tuple:
    """A button (or a confirmed deletion) -> the store changed, the page re-rendered, a
    message, focus, and the URL (``deck``, ``lang``)."""
    trigger = dash.ctx.triggered_id
    if (
        not isinstance(trigger, dict)
        or not dash.ctx.triggered
        or not dash.ctx.triggered[0]["value"]
        or trigger.get("action") not in ACTIONS
    ):
        raise PreventUpdate
    state = state or {}
    lang = request_lang(state.get("lang"))
    fields = {(s["id"]["name"], s["id"]["slide"]): s.get("value") for s in dash.ctx.states_list[0]}
    fields.update({(s["id"]["name"], 0): s.get("value") for s in dash.ctx.states_list[1]})
    req = Request(state.get("deck"), trigger.get("slide") or 0, fields, lang)
    outcome, failed = run(trigger["action"], req)
    note = html.P(
        outcome.note,
        role="alert" if failed else None,
        className="dk-error" if failed else "dk-done",
    )
    focus = {"targets": outcome.focus, "at": time.time()} if outcome.focus else dash.no_update
    return (
        body(outcome.deck, lang) if outcome.render else dash.no_update,
        note,
        focus,
        {"deck": outcome.deck, "lang": lang},
        query_string(lang=lang, deck=outcome.deck),
    )


# Focus the first of the given elements that is there and enabled, once the page has drawn.
clientside_callback(
    """
    function(focus) {
        const targets = focus && focus.targets;
        if (!Array.isArray(targets)) { return window.dash_clientside.no_update; }
        setTimeout(() => {
            for (const selector of targets) {
                const el = document.querySelector(selector);
                if (el && !el.disabled) { el.focus(); break; }
            }
        }, 80);
        return window.dash_clientside.no_update;
    }
    """,
    Output("dk-focus-sink", "children"),
    Input("dk-focus", "data"),
)
