"""The title slide: the deck's title, the text as subtitle, the area and the date."""

from __future__ import annotations

from datetime import date

from components.i18n import fmt_date
from components.slides import SlideModel, area_name, deck_title


def fill(
    model: SlideModel, slide: dict, data: dict, deck: dict, lang: str, texts: dict, ctx: dict
) -> None:
    """Fill ``model`` in as a title slide."""
    params = slide.get("params") or {}
    model.title = texts["title"] or deck_title(deck, lang)
    model.subtitle = texts["text"]
    when = date.fromisoformat(params.get("date") or ctx["as_of"] or ctx["today"].isoformat())
    area = area_name(data, params.get("area"), lang) if params.get("area") else ""
    model.paragraphs = [p for p in (area, fmt_date(when, lang)) if p]
