"""The /present pages as HTML: a deck's slides as models (with its snapshot, the live
link and the notice of revised figures), the full-screen document (linked or self-contained
for export), the list of decks and the plain pages for errors and waiting."""

from __future__ import annotations

import html
import json
from datetime import date
from pathlib import Path
from urllib.parse import urlencode

import plotly
from flask import Response, request, url_for

import config
from components import slide_html, slide_kinds, slides
from components.i18n import fmt_date, t
from store import deck_freeze, decks
from views import changes

PLOTLY_JS = Path(plotly.__file__).resolve().parent / "package_data" / "plotly.min.js"
TOPOJSON = config.ROOT / "assets" / "topojson" / "world_110m.json"


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


def deck_document(deck: dict, lang: str, mode: str, *, inline: bool, start: int = 0) -> str:
    """The deck as an HTML document in ``mode`` ("audience" or "presenter"), opening at slide
    ``start`` (from 0); ``inline``: scripts, styles and map data inside (for export)."""
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
        head = (
            f'<link rel="stylesheet" href="{url_for("present.static_file", name="present.css")}">'
        )
        scripts = (
            f'<script src="{url_for("present.static_file", name="plotly.min.js")}"></script>'
            f'<script src="{url_for("present.static_file", name="present.js")}"></script>'
        )
        options = {
            "presenterUrl": url_for("present.notes", deck=deck["slug"], lang=lang),
            "plotlyConfig": {"topojsonURL": f"{request.script_root}/assets/topojson/"},
        }
    return slide_html.document(
        deck, ms, lang, mode=mode, start=start, head=head, scripts=scripts, options=options
    )


def deck_list(lang: str) -> str:
    """The decks as an HTML list, each with links to show, present and export it."""
    items = []
    for d in decks.list_decks():
        title = ((d["translations"] or {}).get(lang) or {}).get("title") or d["title"]
        q = {"deck": d["slug"], "lang": lang}
        links = " · ".join(
            f'<a href="{url_for(endpoint)}?{urlencode(q)}">{html.escape(label)}</a>'
            for endpoint, label in (
                ("present.present", t("pr.show", lang)),
                ("present.notes", t("pr.presenter", lang)),
                ("present.export_html", t("pr.html_file", lang)),
                ("present.export_pdf", t("pr.pdf_file", lang)),
            )
        )
        frozen = ""
        if d["frozen_at"]:
            when = fmt_date(date.fromisoformat(d["frozen_at"]), lang)
            frozen = f" — {html.escape(t('pr.as_of', lang, date=when))}"
        items.append(
            f"<li><strong>{html.escape(title)}</strong> "
            f"({html.escape(t('pr.n_slides', lang, n=d['slides']))}{frozen})"
            f"<br>{links}</li>"
        )
    if not items:
        return f"<p>{html.escape(t('pr.no_decks', lang))}</p>"
    return f'<ul class="decks">{"".join(items)}</ul>'


def page(
    title: str, body: str, lang: str, status: int = 200, refresh: int | None = None
) -> Response:
    """A plain page (a heading and ``body``), reloading itself after ``refresh`` seconds."""
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
