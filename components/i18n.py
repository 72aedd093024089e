"""Kazakh, Russian and English: UI strings, language choice and number formats.

Every string shown to a user goes through :func:`t`. The texts live in gettext message
catalogs, ``translations/<lang>/LC_MESSAGES/messages.po`` (the message id is the key the code
passes to :func:`t`), compiled to ``messages.mo`` by ``make setup`` / ``make translations``.
Numbers and dates follow Babel's CLDR data for each language.
"""

from __future__ import annotations

import logging
import math
import re
from collections.abc import Mapping
from pathlib import Path

import pandas as pd

log = logging.getLogger(__name__)

LANGS = ("kk", "ru", "en")
DEFAULT_LANG = "kk"
LANG_NAMES = {"kk": "Қазақша", "ru": "Русский", "en": "English"}
TRANSLATIONS_DIR = Path(__file__).resolve().parent.parent / "translations"


def load_catalogs(root: Path = TRANSLATIONS_DIR) -> dict[str, dict[str, str]]:
    """{key: {lang: text}} from the compiled catalogs (a catalog's .po when its .mo is
    missing or older, with a warning); fuzzy and empty entries are left out."""
    from babel.messages.mofile import read_mo
    from babel.messages.pofile import read_po

    found: dict[str, dict[str, str]] = {}
    for lang in LANGS:
        po = root / lang / "LC_MESSAGES" / "messages.po"
        mo = po.with_suffix(".mo")
        if mo.exists() and (not po.exists() or mo.stat().st_mtime >= po.stat().st_mtime):
            with mo.open("rb") as f:
                catalog = read_mo(f)
        elif po.exists():
            log.warning("%s is missing or older than its .po: run `make translations`", mo)
            with po.open("rb") as f:
                catalog = read_po(f, locale=lang)
        else:
            raise FileNotFoundError(f"no message catalog for {lang!r}: {po} is missing")
        for msg in catalog:
            if msg.id and isinstance(msg.string, str) and msg.string and not msg.fuzzy:
                found.setdefault(msg.id, {})[lang] = msg.string
    return found


_STRINGS: dict[str, dict[str, str]] = load_catalogs()


def N_(key: str) -> str:  # noqa: N802 - the gettext name for "mark, do not translate"
    """Mark a message key that the code uses later (``make translations`` extracts it)."""
    return key


def t(key: str, lang: str, **fmt: object) -> str:
    """The text of ``key`` in ``lang`` (English when that language lacks it), formatted
    with ``fmt``; KeyError for a key no catalog has."""
    texts = _STRINGS.get(key)
    if not texts:
        raise KeyError(
            f"no message {key!r} in {TRANSLATIONS_DIR}/*/LC_MESSAGES/messages.po: "
            "add it and run `make translations`"
        )
    text = texts.get(lang if lang in LANGS else DEFAULT_LANG) or texts.get("en")
    text = text or next(iter(texts.values()))
    return text.format(**fmt) if fmt else text


def strings() -> dict[str, dict[str, str]]:
    return dict(_STRINGS)


def choose_lang(query_lang: str | None, accept_language: str | None = None) -> str:
    """The URL's ``lang`` if valid, else the best match of an Accept-Language header."""
    if query_lang in LANGS:
        return query_lang  # type: ignore[return-value]
    best, best_q = None, -1.0
    for part in (accept_language or "").split(","):
        piece = part.strip()
        if not piece:
            continue
        tag, _, params = piece.partition(";")
        q = 1.0
        if params.strip().startswith("q="):
            try:
                q = float(params.strip()[2:])
            except ValueError:
                q = 0.0
        primary = tag.strip().lower().split("-")[0]
        if primary in LANGS and q > best_q:
            best, best_q = primary, q
    return best or DEFAULT_LANG


def request_lang(query_lang: str | None = None) -> str:
    """The language for the current Flask request (URL first, then Accept-Language)."""
    accept = None
    try:
        from flask import has_request_context, request

        if has_request_context():
            accept = request.headers.get("Accept-Language")
    except ImportError:  # pragma: no cover
        pass
    return choose_lang(query_lang, accept)


# Decimal and thousands separators; kk and ru use a comma and a no-break space.
SEPARATORS = {"kk": (",", "\u00a0"), "ru": (",", "\u00a0"), "en": (".", ",")}


def fmt_number(value: float | None, lang: str, decimals: int | None = None) -> str:
    """2609.1 -> '2 609,1' (kk, ru) or '2,609.1' (en). None/NaN -> '–'."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "–"
    if decimals is None:
        text = f"{value:,.10f}".rstrip("0").rstrip(".")
    else:
        text = f"{value:,.{decimals}f}"
    dec, thousands = SEPARATORS.get(lang, SEPARATORS["en"])
    return text.replace(",", "\x00").replace(".", dec).replace("\x00", thousands)


def decimals_of(meta: dict) -> int | None:
    """The indicator's display decimals (its ``decimals`` field), or None when not set."""
    d = None if meta is None else meta.get("decimals")
    return None if d is None or pd.isna(d) else int(d)


def localized(row: Mapping | object, field: str, lang: str) -> str:
    """A curated text in ``lang``: ``row[field_kk]`` / ``row[field_ru]`` when the curators
    translated it, else ``row[field]`` (the text as written, often English); "" if none."""

    def get(name: str) -> object:
        return row.get(name) if isinstance(row, Mapping) else getattr(row, name, None)

    for name in ((f"{field}_{lang}",) if lang in ("kk", "ru") else ()) + (field,):
        value = get(name)
        if isinstance(value, str) and value.strip():
            return value
    return ""


def publisher_name(text: str | None) -> str:
    """A publisher up to its first parenthesis ("Kazinform (kzinform.com)" -> "Kazinform"),
    keeping a year in parentheses ("District akim's report (2008)")."""
    return re.split(r" \((?!\d{4}\))", text or "", maxsplit=1)[0].strip()


def is_translated(row: Mapping | object, field: str, lang: str) -> bool:
    """Whether ``field`` of a curated row reads in ``lang`` (English, or translated)."""
    return lang == "en" or localized(row, field, lang) != localized(row, field, "en")


def curated_text(row: Mapping | object, field: str, lang: str, wrap=None):  # noqa: ANN001, ANN201
    """A Dash element (``wrap``, default html.Span) with the curated text in ``lang``; when
    the curators have not translated it, the English text marked ``lang="en"``."""
    from dash import html

    text = localized(row, field, lang)
    if is_translated(row, field, lang):
        return (wrap or html.Span)(text)
    # The curators write notes in English; a publisher's name is in its own language.
    marked = (text_lang(text) or "en") if field == "publisher" else "en"
    return (wrap or html.Span)(text, lang=marked)


# Letters that only Kazakh Cyrillic has, and those of Ukrainian (no Kazakh letter but і/ї/є/ґ).
_KK_CYRILLIC = set("әғқңөұүһӘҒҚҢӨҰҮҺ")
_UK_CYRILLIC = set("іїєґІЇЄҐ")
_KK_LATIN = set("áǵıńóúýşğñūÁǴŃÓÚÝŞĞÑŪ")
_DE_LATIN = set("äöüßÄÖÜ")


def text_lang(text: str | None) -> str | None:
    """The language tag of a quotation, from its script and letters (None if unsure).

    Kazakh Cyrillic ``kk``, Russian ``ru``, Ukrainian ``uk``, Kazakh Latin ``kk-Latn``,
    Kazakh Arabic script ``kk-Arab``, German ``de``, English ``en``.
    """
    if not isinstance(text, str) or not text.strip():
        return None
    letters = [c for c in text if c.isalpha()]
    arabic = sum("\u0600" <= c <= "\u06ff" for c in letters)
    cyrillic = sum("\u0400" <= c <= "\u04ff" for c in letters)
    latin = sum(c.isascii() or "\u00c0" <= c <= "\u024f" for c in letters)
    chars = set(text)
    if arabic and arabic >= max(cyrillic, latin):
        return "kk-Arab"
    if cyrillic and cyrillic >= latin:
        if chars & _KK_CYRILLIC:
            return "kk"
        return "uk" if chars & _UK_CYRILLIC else "ru"
    if not latin:
        return None
    if chars & _KK_LATIN:
        return "kk-Latn"
    if chars & _DE_LATIN:
        return "de"
    return "en" if all(c.isascii() for c in letters) else None


def series_label(series: str | None, lang: str) -> str:
    """A disaggregation ("annual mean") in ``lang``; a series without a translation as is."""
    if not series:
        return ""
    key = f"series.{series}"
    return t(key, lang) if key in _STRINGS else series


def status_text(status: str, lang: str, latest_year: int | None, target_year: int) -> str:
    """'Off track (judged on the 2023 value)': the status, and the year of the value it was
    judged on when that is not the target year."""
    text = t(f"status.{status}", lang)
    if latest_year is not None and int(latest_year) != int(target_year):
        text += f" ({t('status.judged_on', lang, year=int(latest_year))})"
    return text


def plotly_separators(lang: str) -> str:
    """layout.separators for Plotly: decimal then thousands character."""
    dec, thousands = SEPARATORS.get(lang, SEPARATORS["en"])
    return dec + thousands


# Plotly locales: month/day names and number format (passed in dcc.Graph config "locales").
_MONTHS = {
    "ru": [
        "январь",
        "февраль",
        "март",
        "апрель",
        "май",
        "июнь",
        "июль",
        "август",
        "сентябрь",
        "октябрь",
        "ноябрь",
        "декабрь",
    ],
    "kk": [
        "қаңтар",
        "ақпан",
        "наурыз",
        "сәуір",
        "мамыр",
        "маусым",
        "шілде",
        "тамыз",
        "қыркүйек",
        "қазан",
        "қараша",
        "желтоқсан",
    ],
}
_SHORT_MONTHS = {
    "ru": ["янв", "фев", "мар", "апр", "май", "июн", "июл", "авг", "сен", "окт", "ноя", "дек"],
    "kk": ["қаң", "ақп", "нау", "сәу", "мам", "мау", "шіл", "там", "қыр", "қаз", "қар", "жел"],
}
_DAYS = {
    "ru": ["воскресенье", "понедельник", "вторник", "среда", "четверг", "пятница", "суббота"],
    "kk": ["жексенбі", "дүйсенбі", "сейсенбі", "сәрсенбі", "бейсенбі", "жұма", "сенбі"],
}
_SHORT_DAYS = {
    "ru": ["вс", "пн", "вт", "ср", "чт", "пт", "сб"],
    "kk": ["жс", "дс", "сс", "ср", "бс", "жм", "сн"],
}
_MODEBAR = {
    "ru": {
        "Download plot as a png": "Скачать график (PNG)",
        "Download plot as a PNG": "Скачать график (PNG)",
        "Download plot": "Скачать график",
        "Zoom in": "Увеличить",
        "Zoom out": "Уменьшить",
        "Reset axes": "Сбросить оси",
        "Autoscale": "Автомасштаб",
        "Pan": "Сдвиг",
        "Zoom": "Масштаб",
        "Reset view": "Сбросить вид",
    },
    "kk": {
        "Download plot as a png": "Графикті жүктеу (PNG)",
        "Download plot as a PNG": "Графикті жүктеу (PNG)",
        "Download plot": "Графикті жүктеу",
        "Zoom in": "Үлкейту",
        "Zoom out": "Кішірейту",
        "Reset axes": "Осьтерді қалпына келтіру",
        "Autoscale": "Автомасштаб",
        "Pan": "Жылжыту",
        "Zoom": "Масштаб",
        "Reset view": "Көріністі қалпына келтіру",
    },
}


def plotly_locales() -> dict:
    """The ru and kk locale definitions for Plotly's config ``locales`` option."""
    locales = {}
    for lang in ("ru", "kk"):
        dec, thousands = SEPARATORS[lang]
        locales[lang] = {
            "dictionary": _MODEBAR[lang],
            "format": {
                "days": _DAYS[lang],
                "shortDays": _SHORT_DAYS[lang],
                "months": _MONTHS[lang],
                "shortMonths": _SHORT_MONTHS[lang],
                "date": "%d.%m.%Y",
                "decimal": dec,
                "thousands": thousands,
            },
        }
    return locales


# Nothing leaves the server: Plotly's "Edit in Chart Studio" / "Share chart" buttons (and
# the "Edit chart" link) would send the figure to Plotly's cloud service.
OFFLINE_PLOTLY_CONFIG = {
    "showSendToCloud": False,
    "showEditInChartStudio": False,
    "showLink": False,
    "sendData": False,
    "plotlyServerURL": "",
    "displaylogo": False,
}
_CLOUD_BUTTONS = ["sendDataToCloud", "editInChartStudio"]


def graph_config(lang: str, filename: str = "chart") -> dict:
    """dcc.Graph config: the language's locale, local topojson, a modebar with no cloud button."""
    return {
        **OFFLINE_PLOTLY_CONFIG,
        "locale": lang if lang in ("ru", "kk") else "en",
        "locales": plotly_locales(),
        "topojsonURL": "/assets/topojson/",
        "toImageButtonOptions": {"format": "png", "scale": 2, "filename": filename},
        "modeBarButtonsToRemove": ["lasso2d", "select2d", *_CLOUD_BUTTONS],
    }


_DROPDOWN_LABELS = (
    "search",
    "select_all",
    "deselect_all",
    "selected_count",
    "clear_search",
    "clear_selection",
    "no_options_found",
)


def dropdown_labels(lang: str) -> dict[str, str]:
    """dcc.Dropdown ``labels`` (its search box, "select all", "nothing found") in ``lang``."""
    return {k: t(f"dd.{k}", lang) for k in _DROPDOWN_LABELS}


def page_title(key: str):
    """A Dash Pages ``title`` function: the page's name (string ``key``) and the app's
    title, in the language of the request (the URL's ``lang``, else Accept-Language)."""

    def title(**_: object) -> str:
        query_lang = None
        try:
            from urllib.parse import parse_qs

            from dash import callback_context
            from flask import has_request_context, request

            if has_request_context():
                query_lang = request.args.get("lang")
                if query_lang is None and callback_context.inputs_list:
                    search = callback_context.inputs.get("_pages_location.search") or ""
                    query_lang = (parse_qs(search.lstrip("?")).get("lang") or [None])[-1]
        except Exception:  # noqa: BLE001 - outside a callback: the header decides
            query_lang = None
        lang = request_lang(query_lang)
        return f"{t(key, lang)} — {t('app.title', lang)}"

    return title
