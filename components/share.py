"""The share bar's words, and its "Add to deck" menu.

The share bar of a view (:mod:`components.share_bar`) offers its downloads, link, embed code
and citation (their addresses: :mod:`components.share_links`), and, to whoever may change
decks, "Add to deck": the slide that shows the view (:func:`deck_slide`), the deck chooser
and buttons (:func:`deck_menu`, :func:`deck_card_button`), all pure pieces that receive
their links, texts and deck flags as arguments. What reads the store or the deck store (the
citation metadata, the deck list, adding a slide) and the bar's callbacks are in
:mod:`views.share`.
"""

from __future__ import annotations

import logging

from dash import dcc, html

from components.i18n import dropdown_labels, t
from components.urlstate import DEFAULT_AREA, query_string, split_list

KINDS = ("explore", "map", "overview")
NEW_DECK = "__new__"  # the deck chooser's "New deck…" option
DEFAULT_DECK = "aral-default"  # seeded by store/decks.py


_registered: set[str] = set()
log = logging.getLogger(__name__)


# --- "Add to deck" ---------------------------------------------------------------------------


def deck_slide(kind: str, params: dict, *, as_target: bool = False) -> dict:
    """The slide ``{kind, params}`` that shows a view of ``kind`` with the page's ``params``.

    Explore -> a ``chart`` slide (indicator, area, compare, mode, source), or with
    ``as_target`` a ``target`` slide (indicator against its targets for the area); Map -> a
    ``map`` slide (indicator, level, parent, year, the outlined area as highlight); an
    overview card -> ``target`` with ``as_target`` (the card has targets), else ``chart``.
    Defaults are left out, as in the page's own address.
    """
    indicator, area = params.get("indicator"), params.get("area") or DEFAULT_AREA
    if kind == "map":
        level = params.get("level") or "district"
        out = {
            "indicator": indicator,
            "level": level,
            "parent": params.get("parent") if level == "district" else None,
            "year": params.get("year"),
            "highlight": params.get("area"),
        }
        slide_kind = "map"
    elif as_target:
        out, slide_kind = {"indicator": indicator, "area": area}, "target"
    elif kind in ("explore", "overview"):
        mode, source = params.get("mode"), params.get("source")
        out = {
            "indicator": indicator,
            "area": area,
            "compare": [c for c in split_list(params.get("compare")) if c != area],
            "mode": mode if mode in ("change", "index") else None,
            "source": "all" if source == "all" else None,
        }
        slide_kind = "chart"
    else:
        raise ValueError(f"no slide for a {kind!r} view; use one of {', '.join(KINDS)}")
    return {"kind": slide_kind, "params": {k: v for k, v in out.items() if v not in (None, "", [])}}


def default_deck(summaries: list[dict]) -> str | None:
    """The deck a slide goes to when none is chosen: the seeded default deck, else the most
    recently changed one (``summaries`` as :func:`store.decks.list_decks` gives them)."""
    slugs = [d["slug"] for d in summaries]
    if DEFAULT_DECK in slugs:
        return DEFAULT_DECK
    return slugs[0] if slugs else None


def _editor_link(slug: str, lang: str) -> dcc.Link:
    return dcc.Link(t("deck.open", lang), href="/decks" + query_string(lang=lang, deck=slug))


def _problem(text: str) -> html.Span:
    return html.Span(text, role="alert", className="deck-message deck-error")


def before_closing(deck: dict, slide: dict) -> dict:
    """``slide`` placed before the deck's closing slide when the deck ends with one."""
    ordered = deck.get("slides") or []
    if ordered and ordered[-1]["kind"] == "closing" and slide.get("kind") != "closing":
        return {**slide, "position": ordered[-1]["position"]}
    return slide


# --- the deck chooser and buttons -------------------------------------------------------------


def _card_id(prefix: str, indicator: object, kind: object) -> dict:
    return {"type": "deck-card-add", "prefix": prefix, "indicator": indicator, "kind": kind}


def _card_status_id(prefix: str, indicator: object) -> dict:
    return {"type": "deck-card-status", "prefix": prefix, "indicator": indicator}


def deck_menu(
    prefix: str, kind: str, params: dict, lang: str, targets: bool = False
) -> html.Details:
    """ "Add to deck": a deck chooser (filled when the menu is opened; "New deck…" asks for
    a title) and the Add button(s); on the overview, the chooser for the cards' buttons.
    ``targets``: the view has program targets (the indicator-vs-target button is shown)."""
    choice, new = f"{prefix}-deck-choice", f"{prefix}-deck-new-title"
    panel: list = [
        html.Label(t("deck.choose", lang), htmlFor=choice),
        dcc.Dropdown(
            id=choice,
            options=[],
            value=None,
            clearable=False,
            searchable=False,
            labels=dropdown_labels(lang),
            placeholder=t("deck.default", lang),
            className="deck-choice",
        ),
        html.Div(
            [
                html.Label(t("deck.new_title", lang), htmlFor=new),
                dcc.Input(id=new, type="text", maxLength=300, value="", className="deck-new-title"),
            ],
            id=f"{prefix}-deck-new-box",
            hidden=True,
            className="deck-new",
        ),
    ]
    if kind == "overview":
        panel.append(html.P(t("deck.overview_hint", lang), className="muted"))
    else:
        buttons = [
            html.Button(
                t("deck.add_slide", lang),
                id=f"{prefix}-deck-add",
                type="button",
                className="share-button",
            )
        ]
        if kind == "explore":
            buttons.append(
                html.Button(
                    t("deck.add_target", lang),
                    id=f"{prefix}-deck-add-target",
                    type="button",
                    className="share-button",
                    hidden=not targets,
                )
            )
        panel.append(html.Div(buttons, className="share-actions"))
    panel += [
        html.Div(
            id=f"{prefix}-deck-status",
            className="deck-status",
            role="status",
            **{"aria-live": "polite"},
        ),
        dcc.Store(id=f"{prefix}-deck-params", data=params),
    ]
    return html.Details(
        [
            html.Summary(
                t("deck.add", lang), id=f"{prefix}-deck-summary", className="share-button"
            ),
            html.Div(panel, className="share-panel deck-panel"),
        ],
        id=f"{prefix}-deck",
        className="share-menu",
    )


def deck_card_button(
    prefix: str, indicator: str, name: str, lang: str, targets: bool = False
) -> html.Div:
    """A card's "+ To deck" button: adds a ``target`` slide (``targets``: the card has
    program targets) or a ``chart`` slide of ``indicator`` to the deck chosen in the
    page's :func:`deck_menu`, and says so beside it."""
    return html.Div(
        [
            html.Button(
                t("deck.card_add", lang),
                type="button",
                id=_card_id(prefix, indicator, "target" if targets else "chart"),
                className="share-button deck-card-add",
                **{"aria-label": t("deck.card_add_label", lang, name=name)},
            ),
            html.Span(
                id=_card_status_id(prefix, indicator),
                className="deck-card-status",
                role="status",
                **{"aria-live": "polite"},
            ),
        ],
        className="deck-card",
    )
