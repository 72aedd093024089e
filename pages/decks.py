"""Decks (/decks): the slide decks shown at /present — list, create, edit, freeze, delete.

``/decks?deck=SLUG&lang=`` opens a deck in the editor: its slides in order (kind, title,
what they show), each with its title, text and speaker notes editable inline, buttons to
move it up or down and to delete it (after a confirmation); title and text slides can be
added; the deck can be renamed, given another language, frozen "as of" a date, unfrozen or
deleted. Charts, maps and overview cards come in through "Add to deck"
(:mod:`views.share`).

Texts are edited in the page's language: in the deck's own fields when that is the deck's
language (and the slide has no translation into it), otherwise as the slide's translation
into the page's language, which is what /present shows in that language.

Every action is one callback (:func:`pages.deck_actions.act`) that calls the deck store (the
deck database is writable by design) and re-renders the page body
(:func:`pages.deck_editor.body`) from it; a store error becomes a message in the page's
language, never a traceback. The ids of the page's controls are in :mod:`pages.deck_ids`,
its words about decks and slides in :mod:`pages.deck_texts`, the list of decks and the form
for a new one in :mod:`pages.deck_list`.

With DECKS_READONLY on, the page says why decks cannot be changed here and shows the decks,
their slides and their present and export links, with no editing controls.
"""

from __future__ import annotations

import dash
from dash import dcc, html

import pages.deck_actions  # noqa: F401 - registers the page's callbacks
from components import urlstate
from components.i18n import page_title, request_lang, t
from components.urlstate import url_sync
from pages.deck_editor import body
from pages.deck_ids import PREFIX
from pages.deck_texts import notice
from store import deck_access

dash.register_page(__name__, path="/decks", name="decks", title=page_title("dk.heading"))

urlstate.register(PREFIX)  # at import, so the URL sync exists before the first request


def layout(deck: str | list | None = None, lang: str | list | None = None, **_: object) -> html.Div:
    deck = deck[-1] if isinstance(deck, list) else deck
    lang = request_lang(lang[-1] if isinstance(lang, list) else lang)
    if deck_access.read_only():
        intro = notice(t("dk.readonly", lang))
    elif (refusal := deck_access.write_refusal(csrf=False)) is not None:
        locked = isinstance(refusal, deck_access.DecksNeedAccount)
        intro = notice(t("dk.sign_in" if locked else "dk.locked", lang))
    else:
        intro = html.P(t("dk.intro", lang), className="lead")
    return html.Div(
        [
            html.H1(t("dk.heading", lang)),
            intro,
            html.Div(
                id="dk-status", className="dk-status", role="status", **{"aria-live": "polite"}
            ),
            html.Div(body(deck or None, lang), id="dk-body"),
            dcc.Store(id="dk-state", data={"deck": deck or None, "lang": lang}),
            dcc.Store(id="dk-focus"),
            html.Span(id="dk-focus-sink", hidden=True),
            url_sync(PREFIX),
        ],
        className="page decks",
    )
