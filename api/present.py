"""/present: slide decks for public hearings, shown full screen, exported, and edited by API.

Pages (``lang`` = kk, ru or en overrides the deck's language; ``slide`` counts from 1):

    GET /present                                   the decks, with links to show and export them
    GET /present?deck=SLUG&slide=N&lang=           the deck, full screen (keys: ← → PageUp
                                                   PageDown Home End, F, S, B, Esc, ?)
    GET /present/notes?deck=SLUG&slide=N&lang=     the presenter view: current and next
                                                   slide, speaker notes, timer
    GET /present/export.html?deck=SLUG&lang=       one self-contained file (scripts, styles,
                                                   data, maps inline) that presents offline
    GET /present/export.pdf?deck=SLUG&lang=        one slide a page, by headless Chromium

The JSON API for the deck editor (under /present/api) is :mod:`api.present_api`; the pages
are written by :mod:`api.present_render` and printed to PDF by :mod:`api.present_pdf`.
"""

from __future__ import annotations

import html
import logging

from flask import Blueprint, Response, request, send_file

from api import pdfjobs
from api.present_pdf import PdfUnavailable, render_pdf
from api.present_render import PLOTLY_JS, deck_document, deck_list, page
from components import slide_html, slides
from components.i18n import LANGS, request_lang, t
from store import deck_access, decks

log = logging.getLogger(__name__)

blueprint = Blueprint("present", __name__, url_prefix="/present")

STATIC = {
    "present.css": slide_html.STATIC_DIR / "present.css",
    "present.js": slide_html.STATIC_DIR / "present.js",
    "plotly.min.js": PLOTLY_JS,
}
PDF_RETRY_AFTER = 5  # seconds the "being made" page waits before it asks again


# --- presenting ----------------------------------------------------------------------------


def _lang(deck: dict) -> str:
    wanted = request.args.get("lang")
    return wanted if wanted in LANGS else deck["lang"]


def _start() -> int:
    try:
        return max(int(request.args.get("slide", "1")) - 1, 0)
    except ValueError:
        return 0


def _deck_or_page(lang_hint: str | None = None) -> dict | Response:
    slug = request.args.get("deck", "")
    try:
        deck = decks.get_deck(slug, snapshot=True)
    except deck_access.DeckError:
        lang = request_lang(lang_hint)
        return page(
            t("pr.decks", lang),
            f'<p role="alert">'
            f"{html.escape(t('pr.unknown_deck', lang, slug=slug))}</p>" + deck_list(lang),
            lang,
            404,
        )
    if not deck["slides"]:
        lang = _lang(deck)
        return page(
            slides.deck_title(deck, lang),
            f"<p>{html.escape(t('pr.empty_deck', lang))}</p>",
            lang,
            404,
        )
    return deck


@blueprint.get("/")
@blueprint.get("")
def present() -> Response:
    """The deck full screen; without ``deck``, the list of decks."""
    if not request.args.get("deck"):
        lang = request_lang(request.args.get("lang"))
        return page(
            t("pr.decks", lang),
            f"<p>{html.escape(t('pr.decks_intro', lang))}</p>" + deck_list(lang),
            lang,
        )
    deck = _deck_or_page(request.args.get("lang"))
    if isinstance(deck, Response):
        return deck
    return Response(
        deck_document(deck, _lang(deck), "audience", inline=False, start=_start()),
        mimetype="text/html",
    )


@blueprint.get("/notes")
def notes() -> Response:
    """The presenter view: current and next slide, speaker notes, timer."""
    deck = _deck_or_page(request.args.get("lang"))
    if isinstance(deck, Response):
        return deck
    return Response(
        deck_document(deck, _lang(deck), "presenter", inline=False, start=_start()),
        mimetype="text/html",
    )


@blueprint.get("/export.html")
def export_html() -> Response:
    """The deck as one self-contained HTML file that presents with no server or network."""
    deck = _deck_or_page(request.args.get("lang"))
    if isinstance(deck, Response):
        return deck
    lang = _lang(deck)
    body = deck_document(deck, lang, "audience", inline=True, start=_start())
    return Response(
        body,
        mimetype="text/html",
        headers={"Content-Disposition": f'attachment; filename="{deck["slug"]}-{lang}.html"'},
    )


@blueprint.get("/export.pdf")
def export_pdf() -> Response:
    """The deck as a PDF, one slide a page, printed by headless Chromium (offline) in the
    background (see api/pdfjobs.py): the PDF when it is ready, else 202 (being made) or
    503 (no room) with Retry-After and a page that reloads itself."""
    deck = _deck_or_page(request.args.get("lang"))
    if isinstance(deck, Response):
        return deck
    lang = _lang(deck)
    document = deck_document(deck, lang, "audience", inline=True, start=_start())
    key = pdfjobs.document_key(document)
    done = pdf_jobs.result(key)
    if done is not None:
        return send_file(
            done,
            mimetype="application/pdf",
            as_attachment=True,
            download_name=f"{deck['slug']}-{lang}.pdf",
            max_age=0,
        )
    failed = pdf_jobs.failure(key)
    if failed:
        unavailable = failed.startswith(PdfUnavailable.__name__)
        log.warning("present: PDF export failed: %s", failed)
        text = t("pr.pdf_unavailable" if unavailable else "pr.pdf_failed", lang)
        resp = page(t("pr.pdf_file", lang), f'<p role="alert">{html.escape(text)}</p>', lang, 503)
        resp.headers["Retry-After"] = str(int(pdfjobs.FAILURE_TTL))
        return resp
    state = pdf_jobs.submit(key, document)
    if state == "full":
        resp = page(
            t("pr.pdf_file", lang),
            f'<p role="alert">{html.escape(t("pr.pdf_busy", lang))}</p>',
            lang,
            503,
        )
        resp.headers["Retry-After"] = "30"
        return resp
    resp = page(
        t("pr.pdf_file", lang),
        f'<p role="status">{html.escape(t("pr.pdf_wait", lang))}</p>',
        lang,
        202,
        refresh=PDF_RETRY_AFTER,
    )
    resp.headers["Retry-After"] = str(PDF_RETRY_AFTER)
    return resp


pdf_jobs = pdfjobs.PdfJobs(lambda document: render_pdf(document))


@blueprint.get("/static/<name>")
def static_file(name: str) -> Response:
    """The present page's style sheet and scripts (Plotly from the plotly package)."""
    path = STATIC.get(name)
    if path is None:
        return Response("not found", status=404, mimetype="text/plain")
    return send_file(path, max_age=3600)
