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

The JSON API for the deck editor, under /present/api (JSON in and out; errors are
``{"error": "..."}`` with 400 bad input, 404 unknown deck or slide, 409 conflict, and 403
for every POST, PUT and DELETE while DECKS_READONLY is on):

    GET    /present/api/kinds                              slide kinds and their parameters
    GET    /present/api/decks                              {"decks": [summary, ...]}
    POST   /present/api/decks                              create {title, lang?, slug?,
                                                           translations?, slides?} -> 201 deck
    GET    /present/api/decks/SLUG                         the deck with its slides
    PUT    /present/api/decks/SLUG                         change {title?, lang?, slug?,
                                                           translations?}
    DELETE /present/api/decks/SLUG                         -> {"deleted": SLUG}
    POST   /present/api/decks/SLUG/copy                    copy {slug?, title?} -> 201 deck
    GET    /present/api/decks/SLUG/export                  the deck as a file to import
    POST   /present/api/decks/SLUG/slides                  add {kind, params?, title?, text?,
                                                           notes?, translations?, position?}
                                                           -> 201 slide
    GET    /present/api/decks/SLUG/slides/ID               one slide
    PUT    /present/api/decks/SLUG/slides/ID               change a slide (same fields)
    DELETE /present/api/decks/SLUG/slides/ID               -> the deck
    POST   /present/api/decks/SLUG/slides/ID/move          {position} -> the deck
    POST   /present/api/decks/SLUG/order                   {order: [ID, ...]} -> the deck
    POST   /present/api/decks/SLUG/freeze                  {as_of?: YYYY-MM-DD} -> the deck
    POST   /present/api/decks/SLUG/unfreeze                -> the deck
"""

from __future__ import annotations

import functools
import html
import json
import logging
import shutil
from collections.abc import Callable
from datetime import date
from pathlib import Path
from urllib.parse import urlencode

import plotly
from flask import Blueprint, Response, jsonify, request, send_file, url_for

import config
from api import pdfjobs, security
from components import slide_html, slide_kinds, slides
from components.i18n import LANGS, register, request_lang, t
from store import deck_access, deck_freeze, deck_kinds, deck_slides, decks
from views import changes

log = logging.getLogger(__name__)

blueprint = Blueprint("present", __name__, url_prefix="/present")

PLOTLY_JS = Path(plotly.__file__).resolve().parent / "package_data" / "plotly.min.js"
TOPOJSON = config.ROOT / "assets" / "topojson" / "world_110m.json"
STATIC = {
    "present.css": slide_html.STATIC_DIR / "present.css",
    "present.js": slide_html.STATIC_DIR / "present.js",
    "plotly.min.js": PLOTLY_JS,
}
PDF_TIMEOUT_MS = 90_000
PDF_RETRY_AFTER = 5  # seconds the "being made" page waits before it asks again

register(
    {
        "pr.decks": {"kk": "Презентациялар", "ru": "Презентации", "en": "Presentations"},
        "pr.decks_intro": {
            "kk": "Қоғамдық тыңдауларға арналған слайдтар. Көрсету үшін презентацияны ашып, "
            "F пернесін басыңыз; S — баяндамашы көрінісі.",
            "ru": "Слайды для общественных слушаний. Откройте презентацию и нажмите F для "
            "полного экрана; S — режим докладчика.",
            "en": "Slides for public hearings. Open a presentation and press F for full screen; "
            "S opens the presenter view.",
        },
        "pr.no_decks": {
            "kk": "Презентациялар әлі жоқ.",
            "ru": "Презентаций пока нет.",
            "en": "There are no presentations yet.",
        },
        "pr.show": {"kk": "Көрсету", "ru": "Показать", "en": "Present"},
        "pr.html_file": {
            "kk": "HTML файл (интернетсіз)",
            "ru": "HTML-файл (без интернета)",
            "en": "HTML file (offline)",
        },
        "pr.pdf_file": {"kk": "PDF", "ru": "PDF", "en": "PDF"},
        "pr.n_slides": {"kk": "слайдтар: {n}", "ru": "слайдов: {n}", "en": "{n} slides"},
        "pr.unknown_deck": {
            "kk": "«{slug}» презентациясы табылмады.",
            "ru": "Презентация «{slug}» не найдена.",
            "en": "There is no presentation “{slug}”.",
        },
        "pr.empty_deck": {
            "kk": "Бұл презентацияда слайдтар жоқ.",
            "ru": "В этой презентации нет слайдов.",
            "en": "This presentation has no slides.",
        },
        "pr.pdf_wait": {
            "kk": "PDF дайындалып жатыр (жарты минутқа дейін). Бет өзі жаңарады.",
            "ru": "PDF готовится (до полуминуты). Страница обновится сама.",
            "en": "The PDF is being made (up to half a minute). This page reloads by itself.",
        },
        "pr.pdf_busy": {
            "kk": "Сервер қазір басқа PDF файлдарын жасап жатыр. Жарты минуттан кейін қайталаңыз.",
            "ru": "Сервер сейчас занят другими PDF. Попробуйте через полминуты.",
            "en": "The server is busy making other PDFs. Try again in half a minute.",
        },
        "pr.pdf_failed": {
            "kk": "PDF жасалмады. Бір минуттан кейін қайталаңыз немесе HTML файлын алыңыз.",
            "ru": "PDF не получился. Попробуйте через минуту или скачайте HTML-файл.",
            "en": "The PDF could not be made. Try again in a minute, or take the HTML file.",
        },
        "pr.pdf_unavailable": {
            "kk": "PDF жасау үшін Chromium қажет; ол табылмады.",
            "ru": "Для PDF нужен Chromium; он не найден.",
            "en": "Making the PDF needs Chromium, which was not found.",
        },
    }
)


# --- presenting ----------------------------------------------------------------------------


def _lang(deck: dict) -> str:
    wanted = request.args.get("lang")
    return wanted if wanted in LANGS else deck["lang"]


def _start() -> int:
    try:
        return max(int(request.args.get("slide", "1")) - 1, 0)
    except ValueError:
        return 0


def public_base() -> str:
    """The dashboard's public address: PUBLIC_BASE_URL, else the request's."""
    return (config.get("PUBLIC_BASE_URL") or request.url_root).rstrip("/")


def live_url(slug: str, lang: str) -> str:
    """The address of the deck's live view (behind the closing slide's QR code)."""
    return f"{public_base()}/present?{urlencode({'deck': slug, 'lang': lang})}"


def models(deck: dict, lang: str) -> list[slides.SlideModel]:
    """Every slide of ``deck`` (read with its snapshot) as a model in ``lang``."""
    data = deck_freeze.deck_data(deck)
    link = live_url(deck["slug"], lang)
    ms = [
        slide_kinds.build(
            s, data[s["id"]], deck, lang, as_of=deck["frozen_at"], link=link, base=public_base()
        )
        for s in deck["slides"]
    ]
    notice = changes.deck_notice(deck, lang)
    if notice and ms:  # on the title slide (else the first): the frozen figures were revised
        first = next((m for m in ms if m.kind == "title"), ms[0])
        first.message = f"{first.message} {notice}" if first.message else notice
    return ms


def _deck_or_page(lang_hint: str | None = None) -> dict | Response:
    slug = request.args.get("deck", "")
    try:
        deck = decks.get_deck(slug, snapshot=True)
    except deck_access.DeckError:
        lang = request_lang(lang_hint)
        return _page(
            t("pr.decks", lang),
            f'<p role="alert">'
            f"{html.escape(t('pr.unknown_deck', lang, slug=slug))}</p>" + _deck_list(lang),
            lang,
            404,
        )
    if not deck["slides"]:
        lang = _lang(deck)
        return _page(
            slides.deck_title(deck, lang),
            f"<p>{html.escape(t('pr.empty_deck', lang))}</p>",
            lang,
            404,
        )
    return deck


def _document(deck: dict, lang: str, mode: str, *, inline: bool) -> str:
    ms = models(deck, lang)
    has_map = any(m.kind == "map" and m.figure for m in ms)
    if inline:
        head = f"<style>{slide_html.static_text('present.css')}</style>"
        scripts = (
            f"<script>{PLOTLY_JS.read_text(encoding='utf-8')}</script>"
            f"<script>{slide_html.static_text('present.js')}</script>"
        )
        options: dict = {"export": True}
        if has_map and TOPOJSON.exists():
            options["topojson"] = {"world_110m": json.loads(TOPOJSON.read_text("utf-8"))}
    else:
        head = f'<link rel="stylesheet" href="{url_for(".static_file", name="present.css")}">'
        scripts = (
            f'<script src="{url_for(".static_file", name="plotly.min.js")}"></script>'
            f'<script src="{url_for(".static_file", name="present.js")}"></script>'
        )
        options = {
            "presenterUrl": url_for(".notes", deck=deck["slug"], lang=lang),
            "plotlyConfig": {"topojsonURL": f"{request.script_root}/assets/topojson/"},
        }
    return slide_html.document(
        deck, ms, lang, mode=mode, start=_start(), head=head, scripts=scripts, options=options
    )


@blueprint.get("/")
@blueprint.get("")
def present() -> Response:
    """The deck full screen; without ``deck``, the list of decks."""
    if not request.args.get("deck"):
        lang = request_lang(request.args.get("lang"))
        return _page(
            t("pr.decks", lang),
            f"<p>{html.escape(t('pr.decks_intro', lang))}</p>" + _deck_list(lang),
            lang,
        )
    deck = _deck_or_page(request.args.get("lang"))
    if isinstance(deck, Response):
        return deck
    return Response(_document(deck, _lang(deck), "audience", inline=False), mimetype="text/html")


@blueprint.get("/notes")
def notes() -> Response:
    """The presenter view: current and next slide, speaker notes, timer."""
    deck = _deck_or_page(request.args.get("lang"))
    if isinstance(deck, Response):
        return deck
    return Response(_document(deck, _lang(deck), "presenter", inline=False), mimetype="text/html")


@blueprint.get("/export.html")
def export_html() -> Response:
    """The deck as one self-contained HTML file that presents with no server or network."""
    deck = _deck_or_page(request.args.get("lang"))
    if isinstance(deck, Response):
        return deck
    lang = _lang(deck)
    body = _document(deck, lang, "audience", inline=True)
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
    document = _document(deck, lang, "audience", inline=True)
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
        resp = _page(t("pr.pdf_file", lang), f'<p role="alert">{html.escape(text)}</p>', lang, 503)
        resp.headers["Retry-After"] = str(int(pdfjobs.FAILURE_TTL))
        return resp
    state = pdf_jobs.submit(key, document)
    if state == "full":
        resp = _page(
            t("pr.pdf_file", lang),
            f'<p role="alert">{html.escape(t("pr.pdf_busy", lang))}</p>',
            lang,
            503,
        )
        resp.headers["Retry-After"] = "30"
        return resp
    resp = _page(
        t("pr.pdf_file", lang),
        f'<p role="status">{html.escape(t("pr.pdf_wait", lang))}</p>',
        lang,
        202,
        refresh=PDF_RETRY_AFTER,
    )
    resp.headers["Retry-After"] = str(PDF_RETRY_AFTER)
    return resp


class PdfUnavailable(RuntimeError):
    """No Chromium (or no Playwright) to print the PDF with."""


def chromium_path() -> str | None:
    """The Chromium to print with: CHROMIUM, else `chromium` on the PATH, else None
    (Playwright's own browser)."""
    return config.get("CHROMIUM") or shutil.which("chromium") or None


def render_pdf(
    document: str,
    *,
    width: str = "1920px",
    height: str = "1080px",
    ready: str | None = "window.deckReady === true",
) -> bytes:
    """Print an HTML document (self-contained) to PDF, ``width`` × ``height`` pages (1920 ×
    1080 px slides by default), no network; ``ready`` is the script condition to wait for."""
    try:
        from playwright.sync_api import Error as PlaywrightError
        from playwright.sync_api import sync_playwright
    except ImportError as exc:
        raise PdfUnavailable("playwright is not installed") from exc
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(
                executable_path=chromium_path(),
                headless=True,
                args=[
                    "--no-sandbox",
                    "--disable-gpu",
                    "--disable-dev-shm-usage",
                    "--disable-background-networking",
                    "--no-first-run",
                ],
            )
            try:
                page = browser.new_page(viewport={"width": 1920, "height": 1080})
                page.route(
                    "**/*",
                    lambda r: (
                        r.continue_()
                        if r.request.url.startswith(("data:", "about:"))
                        else r.abort()
                    ),
                )
                page.set_content(document, wait_until="load", timeout=PDF_TIMEOUT_MS)
                if ready:
                    page.wait_for_function(ready, timeout=PDF_TIMEOUT_MS)
                return page.pdf(
                    width=width,
                    height=height,
                    print_background=True,
                    prefer_css_page_size=True,
                    margin={"top": "0", "right": "0", "bottom": "0", "left": "0"},
                )
            finally:
                browser.close()
    except PlaywrightError as exc:
        if "Executable doesn't exist" in str(exc) or "ENOENT" in str(exc):
            raise PdfUnavailable(str(exc).splitlines()[0]) from exc
        raise


pdf_jobs = pdfjobs.PdfJobs(lambda document: render_pdf(document))


@blueprint.get("/static/<name>")
def static_file(name: str) -> Response:
    """The present page's style sheet and scripts (Plotly from the plotly package)."""
    path = STATIC.get(name)
    if path is None:
        return Response("not found", status=404, mimetype="text/plain")
    return send_file(path, max_age=3600)


def _deck_list(lang: str) -> str:
    items = []
    for d in decks.list_decks():
        title = ((d["translations"] or {}).get(lang) or {}).get("title") or d["title"]
        q = {"deck": d["slug"], "lang": lang}
        links = " · ".join(
            f'<a href="{url_for(endpoint)}?{urlencode(q)}">{html.escape(label)}</a>'
            for endpoint, label in (
                (".present", t("pr.show", lang)),
                (".notes", t("pr.presenter", lang)),
                (".export_html", t("pr.html_file", lang)),
                (".export_pdf", t("pr.pdf_file", lang)),
            )
        )
        frozen = ""
        if d["frozen_at"]:
            when = slides.fmt_date(date.fromisoformat(d["frozen_at"]), lang)
            frozen = f" — {html.escape(t('pr.as_of', lang, date=when))}"
        items.append(
            f"<li><strong>{html.escape(title)}</strong> "
            f"({html.escape(t('pr.n_slides', lang, n=d['slides']))}{frozen})"
            f"<br>{links}</li>"
        )
    if not items:
        return f"<p>{html.escape(t('pr.no_decks', lang))}</p>"
    return f'<ul class="decks">{"".join(items)}</ul>'


def _page(
    title: str, body: str, lang: str, status: int = 200, refresh: int | None = None
) -> Response:
    reload = f'<meta http-equiv="refresh" content="{refresh}">' if refresh else ""
    doc = (
        f'<!DOCTYPE html><html lang="{lang}"><head><meta charset="utf-8">{reload}'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{html.escape(title)}</title><style>"
        "body{font:22px/1.45 'Liberation Sans',Arial,sans-serif;max-width:60em;"
        "margin:2em auto;padding:0 1em;color:#000;background:#fff}"
        "li{margin-bottom:1em}a{color:#0b3d91}</style></head><body><main>"
        f"<h1>{html.escape(title)}</h1>{body}</main></body></html>"
    )
    return Response(doc, status=status, mimetype="text/html")


# --- the JSON API ------------------------------------------------------------------------


def _api(fn: Callable) -> Callable:
    """Answer a DeckError as JSON ``{"error": message}`` with its status; refuse a write
    (403) before reading the request while DECKS_READONLY is on, or when the client may
    not write or fails the CSRF check (see api/security.py)."""

    @functools.wraps(fn)
    def wrapper(*args: object, **kwargs: object) -> Response | tuple:
        try:
            if request.method not in ("GET", "HEAD", "OPTIONS"):
                refusal = deck_access.write_refusal()
                if refusal is not None:
                    raise refusal
            return fn(*args, **kwargs)
        except deck_access.DeckError as exc:
            return jsonify({"error": exc.message}), exc.status

    return wrapper


def _body() -> dict:
    raw = request.get_data()
    if not raw:
        return {}
    try:
        data = json.loads(raw)
    except (ValueError, RecursionError):
        data = None
    if data is None or not request.is_json:
        raise deck_access.DeckError(
            "the request body must be JSON (Content-Type: application/json)"
        )
    if security.json_depth(data, security.MAX_JSON_DEPTH) > security.MAX_JSON_DEPTH:
        raise deck_access.DeckError(f"the JSON nests deeper than {security.MAX_JSON_DEPTH} levels")
    if not isinstance(data, dict):
        raise deck_access.DeckError("the request body must be a JSON object")
    return data


def _slide_id(value: str) -> int:
    if not value.isdigit():
        raise deck_access.DeckError(f"there is no slide {value!r}", 404)
    return int(value)


def _with_urls(deck: dict) -> dict:
    q = urlencode({"deck": deck["slug"]})
    deck["urls"] = {
        "present": f"{url_for('.present')}?{q}",
        "presenter": f"{url_for('.notes')}?{q}",
        "html": f"{url_for('.export_html')}?{q}",
        "pdf": f"{url_for('.export_pdf')}?{q}",
    }
    return deck


@blueprint.get("/api/kinds")
@_api
def api_kinds() -> Response:
    return jsonify({"kinds": deck_kinds.kinds(), "langs": list(LANGS)})


@blueprint.get("/api/decks")
@_api
def api_decks() -> Response:
    return jsonify({"decks": decks.list_decks()})


@blueprint.post("/api/decks")
@_api
def api_create() -> tuple:
    return jsonify(_with_urls(decks.create_deck(_body()))), 201


@blueprint.get("/api/decks/<slug>")
@_api
def api_deck(slug: str) -> Response:
    return jsonify(_with_urls(decks.get_deck(slug)))


@blueprint.put("/api/decks/<slug>")
@_api
def api_update(slug: str) -> Response:
    return jsonify(_with_urls(decks.update_deck(slug, _body())))


@blueprint.delete("/api/decks/<slug>")
@_api
def api_delete(slug: str) -> Response:
    decks.delete_deck(slug)
    return jsonify({"deleted": slug})


@blueprint.post("/api/decks/<slug>/copy")
@_api
def api_copy(slug: str) -> tuple:
    body = _body()
    unknown = [k for k in body if k not in ("slug", "title")]
    if unknown:
        raise deck_access.DeckError(f"unknown field {unknown[0]!r}; allowed: slug, title")
    doc = decks.export_deck(slug)
    doc.pop("slug")
    doc.update({k: v for k, v in body.items() if v})
    return jsonify(_with_urls(decks.create_deck(doc, check_refs=False))), 201


@blueprint.get("/api/decks/<slug>/export")
@_api
def api_export(slug: str) -> Response:
    return jsonify(decks.export_deck(slug))


@blueprint.post("/api/decks/<slug>/slides")
@_api
def api_add_slide(slug: str) -> tuple:
    return jsonify(deck_slides.add_slide(slug, _body())), 201


@blueprint.get("/api/decks/<slug>/slides/<slide_id>")
@_api
def api_slide(slug: str, slide_id: str) -> Response:
    return jsonify(deck_slides.get_slide(slug, _slide_id(slide_id)))


@blueprint.put("/api/decks/<slug>/slides/<slide_id>")
@_api
def api_update_slide(slug: str, slide_id: str) -> Response:
    return jsonify(deck_slides.update_slide(slug, _slide_id(slide_id), _body()))


@blueprint.delete("/api/decks/<slug>/slides/<slide_id>")
@_api
def api_delete_slide(slug: str, slide_id: str) -> Response:
    return jsonify(_with_urls(deck_slides.delete_slide(slug, _slide_id(slide_id))))


@blueprint.post("/api/decks/<slug>/slides/<slide_id>/move")
@_api
def api_move_slide(slug: str, slide_id: str) -> Response:
    body = _body()
    if "position" not in body:
        raise deck_access.DeckError('give the new position: {"position": 1} (1 = first)')
    return jsonify(_with_urls(deck_slides.move_slide(slug, _slide_id(slide_id), body["position"])))


@blueprint.post("/api/decks/<slug>/order")
@_api
def api_order(slug: str) -> Response:
    return jsonify(_with_urls(deck_slides.reorder_slides(slug, _body().get("order"))))


@blueprint.post("/api/decks/<slug>/freeze")
@_api
def api_freeze(slug: str) -> Response:
    return jsonify(_with_urls(deck_freeze.freeze(slug, _body().get("as_of"))))


@blueprint.post("/api/decks/<slug>/unfreeze")
@_api
def api_unfreeze(slug: str) -> Response:
    return jsonify(_with_urls(deck_freeze.unfreeze(slug)))
