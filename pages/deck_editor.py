"""The deck page's body: the chosen deck in the editor (its settings, frozen figures and
slides, each editable, movable and deletable) or, with DECKS_READONLY, in a viewer without
editing controls; then the list of decks and the form for a new one.
"""

from __future__ import annotations

import logging
from datetime import date

import flask
from dash import dcc, html

import config
from components.i18n import LANG_NAMES, t
from components.slides import deck_title, slide_texts
from components.urlstate import query_string
from pages.deck_ids import btn, confirm, date_field, field
from pages.deck_list import create_form, deck_links, deck_list, lang_choice
from pages.deck_texts import SLIDE_FIELDS, TEXT_KINDS, describe, frozen_text, notice, slide_heading
from store import deck_access, decks
from views import changes

log = logging.getLogger(__name__)


def body(slug: str | None, lang: str) -> list:
    """The page under its heading: the chosen deck's editor (or why it cannot be shown), the
    list of decks and the form for a new one (with DECKS_READONLY: the deck without
    editing controls, and the list)."""
    read_only = not deck_access.writable()
    out: list = []
    if slug:
        try:
            deck = decks.get_deck(slug)
            out += _changed_notice(deck, lang)
            out.append(viewer(deck, lang) if read_only else editor(deck, lang))
        except deck_access.DeckError:
            out.append(notice(t("dk.unknown", lang, slug=slug), "warning"))
        except Exception:  # noqa: BLE001 - the page answers whatever the store does
            log.exception("decks: could not read deck %r", slug)
            out.append(notice(t("dk.err_list", lang), "warning", alert=True))
    out.append(deck_list(slug, lang))
    if not read_only:
        out.append(create_form(lang))
    return out


def _changed_notice(deck: dict, lang: str) -> list:
    """A frozen deck whose figures loads revised since: how many, with the list's link."""
    if not deck.get("frozen"):
        return []
    text = changes.deck_notice(decks.get_deck(deck["slug"], snapshot=True), lang)
    if not text:
        return []
    link = dcc.Link(
        t("nav.changes", lang), href="/changes" + query_string(deck=deck["slug"], lang=lang)
    )
    return [
        html.Div(
            html.P([text, " ", link]),
            className="notice notice-warning",
            role="status",
            id="dk-changed",
        )
    ]


def _deck_head(deck: dict, lang: str) -> list:
    return [
        html.H2(deck_title(deck, lang), id="dk-editor-heading", tabIndex="-1"),
        html.P(
            t(
                "dk.summary",
                lang,
                language=LANG_NAMES.get(deck["lang"], deck["lang"]),
                n=len(deck["slides"]),
                data=frozen_text(deck["frozen_at"], lang),
            ),
            className="muted",
        ),
        html.P(deck_links(deck["slug"], lang), className="dk-links"),
    ]


def viewer(deck: dict, lang: str) -> html.Section:
    """The deck with no editing controls (DECKS_READONLY): its summary, present and export
    links, and what each slide shows."""
    items = []
    for n, s in enumerate(deck["slides"], start=1):
        what = describe(s["kind"], s["params"], lang)
        items.append(
            html.Li(
                [
                    html.H4(slide_heading(s, n, lang), className="dk-slide-heading"),
                    *([html.P(what, className="muted dk-params")] if what else []),
                ],
                id=f"dk-slide-{s['id']}",
                className=f"dk-slide dk-kind-{s['kind']}",
            )
        )
    return html.Section(
        [
            *_deck_head(deck, lang),
            html.H3(t("dk.slides", lang), id="dk-slides-heading"),
            html.Ol(items, className="dk-slides", **{"aria-labelledby": "dk-slides-heading"})
            if items
            else html.P(t("dk.no_slides", lang)),
        ],
        id="dk-editor",
        className="dk-editor dk-readonly",
        **{"aria-labelledby": "dk-editor-heading"},
    )


def _public_url_warning(lang: str) -> list:
    """A warning when PUBLIC_BASE_URL is not set (the closing QR code would point here)."""
    if config.get("PUBLIC_BASE_URL"):
        return []
    here = flask.request.url_root if flask.has_request_context() else "http://127.0.0.1"
    text = t("dk.no_public_url", lang, here=here.rstrip("/"))
    return [
        html.Div(html.P(text), id="dk-public-url", className="notice notice-warning", role="alert")
    ]


def editor(deck: dict, lang: str) -> html.Section:
    """The deck's settings, frozen figures, slides (editable, movable) and deletion."""
    slides = deck["slides"]
    today = date.today().isoformat()
    frozen = deck["frozen"]
    return html.Section(
        [
            *_deck_head(deck, lang),
            *_public_url_warning(lang),
            html.Section(
                [
                    html.H3(t("dk.settings", lang)),
                    html.Div(
                        [
                            html.Label(
                                [
                                    t("dk.deck_title_label", lang, language=LANG_NAMES[lang]),
                                    dcc.Input(
                                        id=field("deck-title"),
                                        type="text",
                                        maxLength=300,
                                        value=deck_title(deck, lang),
                                        className="dk-input",
                                    ),
                                ],
                                className="dk-label",
                            ),
                            html.Fieldset(
                                [
                                    html.Legend(t("dk.lang_label", lang)),
                                    lang_choice(field("deck-lang"), deck["lang"]),
                                ],
                                className="dk-fieldset",
                            ),
                            html.Button(
                                t("dk.save_deck", lang),
                                id=btn("save-deck"),
                                type="button",
                                className="share-button",
                                **{"data-control": "save-deck"},
                            ),
                        ],
                        className="dk-form",
                    ),
                ],
                className="dk-settings",
            ),
            html.Section(
                [
                    html.H3(t("dk.freeze_heading", lang)),
                    html.P(
                        [
                            t("dk.freeze_help", lang),
                            " ",
                            html.Strong(frozen_text(deck["frozen_at"], lang), id="dk-frozen-state"),
                        ]
                    ),
                    html.Div(
                        [
                            html.Label(
                                [
                                    t("dk.as_of_label", lang),
                                    dcc.DatePickerSingle(
                                        id=date_field("freeze-date"),
                                        date=deck["frozen_at"] or today,
                                        max_date_allowed=today,
                                        clearable=False,
                                        display_format="YYYY-MM-DD"
                                        if lang == "en"
                                        else "DD.MM.YYYY",
                                        first_day_of_week=0 if lang == "en" else 1,
                                    ),
                                ],
                                className="dk-label",
                            ),
                            html.Button(
                                t("dk.refreeze" if frozen else "dk.freeze", lang),
                                id=btn("freeze"),
                                type="button",
                                className="share-button",
                                **{"data-control": "freeze"},
                            ),
                            *(
                                [
                                    html.Button(
                                        t("dk.unfreeze", lang),
                                        id=btn("unfreeze"),
                                        type="button",
                                        className="share-button",
                                        **{"data-control": "unfreeze"},
                                    )
                                ]
                                if frozen
                                else []
                            ),
                        ],
                        className="dk-form",
                    ),
                ],
                className="dk-freeze",
            ),
            html.Section(
                [
                    html.H3(t("dk.slides", lang), id="dk-slides-heading", tabIndex="-1"),
                    html.P(t("dk.slides_lang", lang, language=LANG_NAMES[lang]), className="muted"),
                    html.Ol(
                        [
                            slide_item(s, i, len(slides), deck, lang)
                            for i, s in enumerate(slides, start=1)
                        ],
                        className="dk-slides",
                        **{"aria-labelledby": "dk-slides-heading"},
                    )
                    if slides
                    else html.P(t("dk.no_slides", lang)),
                    html.H4(t("dk.add_heading", lang)),
                    html.Div(
                        [
                            html.Button(
                                t(f"dk.add_{kind}", lang),
                                id=btn(f"add-{kind}"),
                                type="button",
                                className="share-button",
                                **{"data-control": f"add-{kind}"},
                            )
                            for kind in ("title", "text")
                        ],
                        className="share-actions",
                    ),
                    html.P(t("dk.add_hint", lang), className="muted"),
                ],
                className="dk-slides-box",
            ),
            html.Section(
                [
                    html.H3(t("dk.danger", lang)),
                    dcc.ConfirmDialogProvider(
                        html.Button(
                            t("dk.delete_deck", lang),
                            type="button",
                            className="share-button dk-danger",
                            **{"data-control": "delete-deck"},
                        ),
                        id=confirm("delete-deck"),
                        message=t("dk.confirm_deck", lang, deck=deck_title(deck, lang)),
                    ),
                ],
                className="dk-delete",
            ),
        ],
        id="dk-editor",
        className="dk-editor",
        **{"aria-labelledby": "dk-editor-heading"},
    )


def slide_item(slide: dict, n: int, total: int, deck: dict, lang: str) -> html.Li:
    """One slide: kind, title and what it shows; its texts, Save, Up, Down, Delete."""
    sid, kind = slide["id"], slide["kind"]
    texts = slide_texts(slide, lang)
    own = (slide.get("translations") or {}).get(lang) or {}
    fallback = lang != deck["lang"] and any(
        texts[f] and f not in own for f in SLIDE_FIELDS if f != "text" or kind in TEXT_KINDS
    )
    heading = slide_heading(slide, n, lang)
    what = describe(kind, slide["params"], lang)
    fields: list = [
        html.Label(
            [
                t("dk.field_title", lang),
                dcc.Input(
                    id=field("title", sid),
                    type="text",
                    maxLength=300,
                    value=texts["title"],
                    className="dk-input",
                ),
            ],
            className="dk-label",
        )
    ]
    if kind in TEXT_KINDS:
        fields.append(
            html.Label(
                [
                    t("dk.field_text", lang),
                    dcc.Textarea(
                        id=field("text", sid), value=texts["text"], rows=3, className="dk-textarea"
                    ),
                ],
                className="dk-label",
            )
        )
    fields.append(
        html.Label(
            [
                t("dk.field_notes", lang),
                dcc.Textarea(
                    id=field("notes", sid), value=texts["notes"], rows=3, className="dk-textarea"
                ),
            ],
            className="dk-label",
        )
    )
    buttons = [
        html.Button(
            t("dk.save", lang),
            id=btn("save", sid),
            type="button",
            className="share-button",
            **{"data-control": "save", "aria-label": t("dk.save_label", lang, n=n)},
        ),
        html.Button(
            t("dk.up", lang),
            id=btn("up", sid),
            type="button",
            disabled=n == 1,
            className="share-button",
            **{"data-control": "up", "aria-label": t("dk.up_label", lang, n=n)},
        ),
        html.Button(
            t("dk.down", lang),
            id=btn("down", sid),
            type="button",
            disabled=n == total,
            className="share-button",
            **{"data-control": "down", "aria-label": t("dk.down_label", lang, n=n)},
        ),
        dcc.ConfirmDialogProvider(
            html.Button(
                t("dk.delete", lang),
                type="button",
                className="share-button dk-danger",
                **{"data-control": "delete", "aria-label": t("dk.delete_label", lang, n=n)},
            ),
            id=confirm("delete-slide", sid),
            message=t("dk.confirm_slide", lang, n=n),
        ),
    ]
    return html.Li(
        [
            html.H4(heading, className="dk-slide-heading"),
            *([html.P(what, className="muted dk-params")] if what else []),
            *([html.P(t("dk.fallback", lang), className="muted dk-fallback")] if fallback else []),
            html.Div(fields, className="dk-fields"),
            html.Div(buttons, className="share-actions dk-slide-actions"),
        ],
        id=f"dk-slide-{sid}",
        className=f"dk-slide dk-kind-{kind}",
        tabIndex="-1",
        **{"data-slide": str(sid)},
    )
