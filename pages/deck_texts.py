"""What the deck page says about decks and slides, and the edits that make a slide read a text.

:func:`describe` puts what a slide shows in a line; :func:`text_changes` and
:func:`title_changes` turn the texts typed in the page's language into the
:func:`store.deck_slides.update_slide` and :func:`store.decks.update_deck` changes that store
them (in the deck's own fields or as a translation).
"""

from __future__ import annotations

from datetime import date

from dash import html

from components.i18n import fmt_date, t
from components.slides import deck_title, slide_texts
from store import deck_kinds, queries
from store.area_labels import area_label

TEXT_KINDS = ("title", "text", "closing")  # the kinds whose slide shows its text
SLIDE_FIELDS = ("title", "text", "notes")


def _indicator_name(code: str, lang: str) -> str:
    info = queries.indicator(code) if queries.is_ready() else None
    return info[f"name_{lang}"] if info else code


def _area_name(kato: str, lang: str) -> str:
    return area_label(kato, lang) if queries.is_ready() else kato


def describe(kind: str, params: dict, lang: str) -> str:
    """What a slide shows, in a line: 'Industrial output · Aral district · every source'."""
    p = params or {}
    parts: list[str] = []
    if p.get("indicator"):
        parts.append(_indicator_name(p["indicator"], lang))
    if kind in ("title", "target", "chart") and p.get("area"):
        parts.append(_area_name(p["area"], lang))
    if kind == "title" and p.get("date"):
        parts.append(fmt_date(date.fromisoformat(p["date"]), lang))
    if kind == "target":
        if p.get("program"):
            parts.append(t("dk.p_program", lang, program=p["program"]))
        if p.get("target_year"):
            parts.append(t("dk.p_target_year", lang, year=p["target_year"]))
    if kind == "chart":
        if p.get("compare"):
            parts.append(
                t("dk.p_compare", lang, areas=", ".join(_area_name(a, lang) for a in p["compare"]))
            )
        if p.get("mode") in ("change", "index"):
            parts.append(t(f"mode.{p['mode']}", lang))
        if p.get("source") == "all":
            parts.append(t("dk.p_all_sources", lang))
    if kind in ("map", "compare"):
        if kind == "map" and p.get("level") == "oblast":
            parts.append(t("dk.p_oblasts", lang))
        elif kind == "compare" and p.get("areas"):
            parts.append(", ".join(_area_name(a, lang) for a in p["areas"]))
        else:
            parts.append(
                t(
                    "dk.p_districts",
                    lang,
                    parent=_area_name(p.get("parent") or deck_kinds.DEFAULT_PARENT, lang),
                )
            )
        parts.append(
            t("dk.p_year", lang, year=p["year"]) if p.get("year") else t("dk.p_latest", lang)
        )
        if p.get("highlight"):
            parts.append(t("dk.p_highlight", lang, area=_area_name(p["highlight"], lang)))
    if kind == "closing":
        parts.append(t("dk.p_qr", lang, url=p["url"]) if p.get("url") else t("dk.p_qr_deck", lang))
    return " · ".join(parts)


def text_changes(slide: dict, deck_lang: str, lang: str, values: dict[str, str | None]) -> dict:
    """The :func:`store.deck_slides.update_slide` changes that make the slide read ``values``
    ({field: text}) in ``lang``: the slide's own fields when ``lang`` is the deck's language
    and the slide has no translation of that field into it, else its translation."""
    shown = slide_texts(slide, lang)
    translations = {k: dict(v) for k, v in (slide.get("translations") or {}).items()}
    own = set(translations.get(lang, {}))
    changes: dict = {}
    for field, value in values.items():
        if value is None:
            continue
        value = value.strip()
        if value == shown[field]:
            continue
        if lang == deck_lang and field not in own:
            changes[field] = value
        else:
            translations.setdefault(lang, {})[field] = value
            changes["translations"] = translations
    return changes


def title_changes(deck: dict, lang: str, title: str) -> dict:
    """The :func:`store.decks.update_deck` changes that title the deck ``title`` in ``lang``
    (its own title, or its translation, as :func:`text_changes` decides for slides)."""
    if title == deck_title(deck, lang):
        return {}
    translations = {k: dict(v) for k, v in (deck.get("translations") or {}).items()}
    if lang == deck["lang"] and "title" not in translations.get(lang, {}):
        return {"title": title}
    translations.setdefault(lang, {})["title"] = title
    return {"translations": translations}


def frozen_text(frozen_at: str | None, lang: str) -> str:
    if not frozen_at:
        return t("dk.live", lang)
    return t("dk.frozen_as_of", lang, date=fmt_date(date.fromisoformat(frozen_at), lang))


def notice(text: str, kind: str = "info", alert: bool = False) -> html.Div:
    return html.Div(
        html.P(text), className=f"notice notice-{kind}", role="alert" if alert else "status"
    )


def slide_heading(slide: dict, n: int, lang: str) -> str:
    heading = t("dk.slide_heading", lang, n=n, kind=t(f"dk.kind.{slide['kind']}", lang))
    title = slide_texts(slide, lang)["title"]
    return f"{heading}: {title}" if title else heading
