"""The list of decks (with their present and export links) and the form for a new deck."""

from __future__ import annotations

import logging
from urllib.parse import urlencode

from dash import dcc, html

from components.i18n import LANG_NAMES, LANGS, t
from components.slides import deck_title
from components.urlstate import query_string
from pages.deck_ids import btn, field
from pages.deck_texts import frozen_text, notice
from store import deck_access, decks

log = logging.getLogger(__name__)


def deck_links(slug: str, lang: str) -> list:
    q = urlencode({"deck": slug, "lang": lang})
    links = [
        ("dk.present", f"/present?{q}"),
        ("dk.presenter", f"/present/notes?{q}"),
        ("dk.export_html", f"/present/export.html?{q}"),
        ("dk.export_pdf", f"/present/export.pdf?{q}"),
    ]
    out: list = []
    for i, (key, href) in enumerate(links):
        if i:
            out.append(" · ")
        out.append(html.A(t(key, lang), href=href))
    return out


def deck_list(current: str | None, lang: str) -> html.Section:
    """Every deck: title (opens it in the editor), language, slides, frozen or live data,
    and links to present and export it."""
    heading = html.H2(t("dk.list", lang), id="dk-list-heading", tabIndex="-1")
    try:
        summaries = decks.list_decks()
    except Exception:  # noqa: BLE001
        log.exception("decks: could not list the decks")
        return html.Section(
            [heading, notice(t("dk.err_list", lang), "warning", alert=True)], className="dk-list"
        )
    if not summaries:
        return html.Section([heading, html.P(t("dk.no_decks", lang))], className="dk-list")
    head = html.Tr(
        [
            html.Th(t(f"dk.col_{c}", lang), scope="col", className="num" if c == "slides" else None)
            for c in ("title", "lang", "slides", "data", "links")
        ]
    )
    rows = []
    for d in summaries:
        here = d["slug"] == current
        title: list = [
            dcc.Link(deck_title(d, lang), href="/decks" + query_string(lang=lang, deck=d["slug"]))
        ]
        if here and deck_access.writable():
            title += [" ", html.Span(t("dk.editing", lang), className="muted")]
        rows.append(
            html.Tr(
                [
                    html.Th(title, scope="row"),
                    html.Td(LANG_NAMES.get(d["lang"], d["lang"]), lang=d["lang"]),
                    html.Td(str(d["slides"]), className="num"),
                    html.Td(frozen_text(d["frozen_at"], lang)),
                    html.Td(deck_links(d["slug"], lang)),
                ],
                id=f"dk-row-{d['slug']}",
                className="current" if here else None,
                **({"aria-current": "true"} if here else {}),
            )
        )
    return html.Section(
        [
            heading,
            html.Div(
                html.Table([html.Thead(head), html.Tbody(rows)], className="data dk-decks"),
                className="table-wrap",
            ),
        ],
        className="dk-list",
    )


def lang_choice(id_: dict, value: str) -> dcc.RadioItems:
    return dcc.RadioItems(
        id=id_,
        value=value,
        inline=True,
        options=[{"label": LANG_NAMES[code], "value": code} for code in LANGS],
        labelStyle={"fontWeight": "normal", "marginRight": "1em"},
    )


def create_form(lang: str) -> html.Section:
    """Title and language of a new deck."""
    return html.Section(
        [
            html.H2(t("dk.create", lang)),
            html.Div(
                [
                    html.Label(
                        [
                            t("dk.title_label", lang),
                            dcc.Input(
                                id=field("new-title"),
                                type="text",
                                value="",
                                maxLength=300,
                                className="dk-input",
                            ),
                        ],
                        className="dk-label",
                    ),
                    html.Fieldset(
                        [
                            html.Legend(t("dk.lang_label", lang)),
                            lang_choice(field("new-lang"), lang),
                        ],
                        className="dk-fieldset",
                    ),
                    html.Button(
                        t("dk.create_button", lang),
                        id=btn("create"),
                        type="button",
                        className="share-button",
                        **{"data-control": "create"},
                    ),
                ],
                className="dk-form",
            ),
        ],
        className="dk-create",
    )
