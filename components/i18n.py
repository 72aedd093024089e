"""Kazakh, Russian and English: UI strings, language choice and number formats.

Every string shown to a user goes through :func:`t`. The texts live in gettext message
catalogs, ``translations/<lang>/LC_MESSAGES/messages.po`` (the message id is the key the code
passes to :func:`t`), compiled to ``messages.mo`` by ``make setup`` / ``make translations``.
Numbers and dates follow Babel's CLDR data for each language.
"""

from __future__ import annotations

import decimal
import functools
import logging
import math
import numbers
import re
from collections.abc import Mapping
from datetime import date
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


def N_(key: str) -> str:  # the gettext name for "mark for extraction, do not translate"
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


# The CLDR locale of each language: numbers, percentages and dates follow its conventions
# (kk and ru: a decimal comma and a no-break space between thousands). English is the
# international English of CLDR ("14 March 2025"), not the US one ("March 14, 2025").
CLDR_LOCALES = {"kk": "kk_KZ", "ru": "ru_KZ", "en": "en_001"}


def cldr_locale(lang: str) -> str:
    """The CLDR locale of ``lang`` (English for a language the app does not have)."""
    return CLDR_LOCALES.get(lang, CLDR_LOCALES["en"])


def separators(lang: str) -> tuple[str, str]:
    """(decimal mark, thousands separator) of ``lang`` from CLDR: (',', '\u00a0') for kk."""
    from babel.numbers import get_decimal_symbol, get_group_symbol

    return get_decimal_symbol(cldr_locale(lang)), get_group_symbol(cldr_locale(lang))


def _number(value: object) -> int | float:
    return int(value) if isinstance(value, numbers.Integral) else float(value)


@functools.lru_cache(maxsize=64)
def _compiled(pattern: str, lang: str) -> tuple[object, object]:
    """The parsed CLDR ``pattern`` and the Locale of ``lang`` (parsed once: a table of a few
    hundred numbers formats them in a few milliseconds, not tens)."""
    from babel import Locale
    from babel.numbers import parse_pattern

    return parse_pattern(pattern), Locale.parse(cldr_locale(lang))


def _format(value: object, pattern: str, lang: str, percent: bool = False) -> str:
    """``value`` in ``pattern`` as Babel's format_decimal / format_percent give it (a percent
    pattern scales by 100 itself)."""
    parsed, locale = _compiled(pattern, lang)
    with decimal.localcontext() as ctx:
        ctx.prec = 60  # a large value at ten decimals needs more than the default 28 digits
        return parsed.apply(_number(value), locale, numbering_system="latn")


def _fraction(decimals: int | None) -> str:
    """The fraction part of a CLDR pattern: up to 10 digits, or exactly ``decimals``."""
    if decimals is None:
        return ".##########"
    return "." + "0" * decimals if decimals > 0 else ""


def _missing(value: object) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value))


def fmt_number(value: float | None, lang: str, decimals: int | None = None) -> str:
    """2609.1 -> '2 609,1' (kk, ru) or '2,609.1' (en), from CLDR. None/NaN -> '–'.

    ``decimals`` fixes the digits after the mark; without it, up to ten, trailing zeros dropped.
    """
    if _missing(value):
        return "–"
    return _format(value, "#,##0" + _fraction(decimals), lang)


def fmt_percent(value: float | None, lang: str, decimals: int | None = None) -> str:
    """A fraction as a percentage in the CLDR pattern of ``lang``: 0.125 -> '12,5 %' (ru),
    '12,5%' (kk), '12.5%' (en). None/NaN -> '–'."""
    if _missing(value):
        return "–"
    from babel import Locale

    pattern = Locale.parse(cldr_locale(lang)).percent_formats[None].pattern
    return _format(value, pattern.replace("#,##0", "#,##0" + _fraction(decimals), 1), lang, True)


def fmt_compact(value: float | None, lang: str) -> str:
    """A large number in the CLDR compact form of ``lang``: 30.3e9 -> '30,3 млрд' (kk, ru),
    '30.3 billion' (en: its short form, '30.3B', is not read as a word). None/NaN -> '–'."""
    if _missing(value):
        return "–"
    from babel.numbers import format_compact_decimal

    kind = "long" if lang == "en" else "short"
    text = format_compact_decimal(
        _number(value), format_type=kind, locale=cldr_locale(lang), fraction_digits=1
    )
    return text.replace("\u00a0", " ")


def fmt_date(d: date, lang: str) -> str:
    """A date in the long CLDR form of ``lang``: '2025 ж. 14 наурыз' (kk),
    '14 марта 2025 г.' (ru), '14 March 2025' (en)."""
    from babel.dates import format_date

    return format_date(d, "long", locale=cldr_locale(lang))


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


def plotly_separators(lang: str) -> str:
    """layout.separators for Plotly: the CLDR decimal then thousands character."""
    return "".join(separators(lang))


# Plotly's modebar strings (its English, the key of its locale dictionary) -> message keys.
_MODEBAR = {
    "Download plot as a png": N_("plotly.download_png"),
    "Download plot as a PNG": N_("plotly.download_png"),
    "Download plot": N_("plotly.download"),
    "Zoom in": N_("plotly.zoom_in"),
    "Zoom out": N_("plotly.zoom_out"),
    "Reset axes": N_("plotly.reset_axes"),
    "Autoscale": N_("plotly.autoscale"),
    "Pan": N_("plotly.pan"),
    "Zoom": N_("plotly.zoom"),
    "Reset view": N_("plotly.reset_view"),
}


def _d3_date(pattern: str) -> str:
    """A CLDR numeric date pattern ('dd.MM.y') as a d3 time format ('%d.%m.%Y')."""
    out = re.sub(r"y+", "%Y", pattern)
    out = re.sub(r"M+", "%m", out)
    return re.sub(r"d+", "%d", out)


@functools.cache
def plotly_locales() -> dict:
    """The ru and kk locale definitions for Plotly's config ``locales`` option: month and day
    names, the date format and the separators from CLDR, the modebar from the catalogs."""
    from babel import Locale
    from babel.dates import get_day_names, get_month_names

    locales = {}
    for lang in ("ru", "kk"):
        loc = cldr_locale(lang)
        dec, thousands = separators(lang)

        def names(get, width: str, loc: str = loc) -> list[str]:
            table = get(width, "stand-alone", loc)
            return [table[i] for i in sorted(table)]

        days = get_day_names("wide", "stand-alone", loc)
        short_days = get_day_names("abbreviated", "stand-alone", loc)
        sunday_first = [6, 0, 1, 2, 3, 4, 5]  # CLDR counts from Monday, Plotly from Sunday
        locales[lang] = {
            "dictionary": {en: t(key, lang) for en, key in _MODEBAR.items()},
            "format": {
                "days": [days[i] for i in sunday_first],
                "shortDays": [short_days[i] for i in sunday_first],
                "months": names(get_month_names, "wide"),
                "shortMonths": names(get_month_names, "abbreviated"),
                "date": _d3_date(Locale.parse(loc).date_formats["short"].pattern),
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


# The order of the letters in each language's alphabet (Kazakh's letters among the Russian
# ones, as Kazakh dictionaries order them): a list sorted by :func:`collation_key` reads in
# alphabetical order, which code points do not give (Ә, Қ, Ө, ... and Ё come last there).
ALPHABETS = {
    "kk": "аәбвгғдеёжзийкқлмнңоөпрстуұүфхһцчшщъыіьэюя",
    "ru": "абвгдеёжзийклмнопрстуфхцчшщъыьэюя",
}


def collation_key(text: object, lang: str) -> str:
    """A sort key for ``text`` in ``lang``'s alphabetical order (case-insensitive)."""
    order = ALPHABETS.get(lang, "")
    base = 0xE000  # letters of the alphabet after every other character, in their order
    return "".join(chr(base + order.index(c)) if c in order else c for c in str(text).casefold())
