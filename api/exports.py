"""Exports of what the dashboard shows: what they all share.

The formats and their media types, the data columns, a chart's data with its metadata
(:class:`ChartData`), the labels of the metadata (the ``dl.*`` strings), the local world
topojson that every image uses, the export date and file names. The writers live beside this
module: :mod:`api.export_chart` (a chart's data with its metadata and citation),
:mod:`api.export_csv`, :mod:`api.export_json`, :mod:`api.export_xlsx` (data with its
metadata sheet), :mod:`api.export_citation` (text and BibTeX), :mod:`api.export_images`
(PNG, SVG, PDF of the same figures) and :mod:`api.export_archive` (the whole database as a
zip).

No Flask here: :mod:`api.downloads` turns these into HTTP responses.
"""

from __future__ import annotations

import datetime as dt
import math
import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd
import plotly.io as pio

from components.i18n import register

ROOT = Path(__file__).resolve().parents[1]
TOPOJSON_DIR = ROOT / "assets" / "topojson"
TOPOJSON_URL = TOPOJSON_DIR.as_uri() + "/"  # plotly.js appends "world_110m.json"
IMAGE_FORMATS = ("png", "svg", "pdf")
DATA_FORMATS = ("csv", "xlsx", "json")
# CSV variants (``format=`` on a .csv download): the standard one, and one for Excel in a
# Russian or Kazakh locale, which expects ";" between fields and "," before decimals.
CSV_VARIANTS = ("csv", "csv-excel")
MEDIA_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "json": "application/json",
    "png": "image/png",
    "svg": "image/svg+xml",
    "pdf": "application/pdf",
    "zip": "application/zip",
}
COLUMNS = [
    "indicator",
    "area",
    "area_name",
    "year",
    "series",
    "value",
    "unit",
    "status",
    "year_approx",
    "source",
    "note",
]
MODE_COLUMNS = {"change": "value_change_pct", "index": "value_index"}
PROJECT = "aral-indicators"
BOUNDARY_ATTRIBUTION = (
    "Boundaries: geokz v1.0.2 by Alexander Rodionov (https://github.com/arodionoff/geokz), "
    "CC BY 4.0 (https://creativecommons.org/licenses/by/4.0/), based on OCHA HDX COD-AB "
    "administrative boundaries of Kazakhstan (UNHCR); some city polygons "
    "© OpenStreetMap contributors (ODbL). Simplified by this project."
)

# Every plotly image export in this process uses the local topojson, never the CDN.
pio.defaults.topojson = TOPOJSON_URL

register(
    {
        "dl.title_all": {
            "kk": "Арал өңірінің тұрақты даму көрсеткіштері: барлық деректер",
            "ru": "Показатели устойчивого развития Приаралья: все данные",
            "en": "Aral region sustainability indicators: all data",
        },
        "dl.cite": {
            "kk": "{title} [Электрондық ресурс] // {publisher}. — {year}. — Дереккөздер: "
            "{sources}.{url} (қаралған күні: {accessed}).",
            "ru": "{title} [Электронный ресурс] // {publisher}. — {year}. — Источники: "
            "{sources}.{url} (дата обращения: {accessed}).",
            "en": "{publisher} ({year}). {title} [Data set]. Sources: {sources}.{url} "
            "Accessed {accessed}.",
        },
        "dl.and_others": {"kk": "т.б.", "ru": "и др.", "en": "and others"},
        "dl.sheet.field": {"kk": "Өріс", "ru": "Поле", "en": "Field"},
        "dl.sheet.title": {"kk": "Атауы", "ru": "Название", "en": "Title"},
        "dl.sheet.indicator": {"kk": "Көрсеткіш", "ru": "Показатель", "en": "Indicator"},
        "dl.sheet.code": {"kk": "Коды", "ru": "Код", "en": "Code"},
        "dl.sheet.unit": {"kk": "Өлшем бірлігі", "ru": "Единица", "en": "Unit"},
        "dl.sheet.description": {"kk": "Сипаттамасы", "ru": "Описание", "en": "Description"},
        "dl.sheet.description_en": {
            "kk": "Сипаттамасы (ағылшынша)",
            "ru": "Описание (на английском)",
            "en": "Description",
        },
        "dl.sheet.codes": {
            "kk": "«data» парағындағы кодтар",
            "ru": "Коды на листе «data»",
            "en": "Codes in the data sheet",
        },
        "dl.sheet.column": {"kk": "Баған", "ru": "Столбец", "en": "Column"},
        "dl.sheet.value_code": {"kk": "Код", "ru": "Код", "en": "Code"},
        "dl.sheet.meaning": {"kk": "Мағынасы", "ru": "Значение", "en": "Meaning"},
        "dl.level.country": {"kk": "ел", "ru": "страна", "en": "country"},
        "dl.level.oblast": {
            "kk": "облыс (республикалық маңызы бар қала)",
            "ru": "область (город республиканского значения)",
            "en": "oblast (city of republican significance)",
        },
        "dl.level.district": {"kk": "аудан", "ru": "район", "en": "district"},
        "dl.level.city": {"kk": "қала", "ru": "город", "en": "city"},
        "dl.year_approx.true": {
            "kk": "жылы шамамен (мәтіннен анықталған)",
            "ru": "год приблизителен (выведен из текста)",
            "en": "year approximate (inferred from the text)",
        },
        "dl.year_approx.false": {
            "kk": "жылы дереккөзде көрсетілген",
            "ru": "год указан в источнике",
            "en": "year stated in the source",
        },
        "dl.sheet.mode": {"kk": "Көрсету тәсілі", "ru": "Показать как", "en": "Values shown as"},
        "dl.sheet.source_mode": {"kk": "Мәндер", "ru": "Значения", "en": "Readings"},
        "dl.sheet.source_mode.preferred": {
            "kk": "әр жылға бір мән (негізгі дереккөз)",
            "ru": "одно значение за год (основной источник)",
            "en": "one reading a year (the preferred source)",
        },
        "dl.sheet.source_mode.all": {
            "kk": "әр дереккөздің мәні",
            "ru": "значения всех источников",
            "en": "every source's reading",
        },
        "dl.sheet.areas": {"kk": "Аумақтар", "ru": "Территории", "en": "Areas"},
        "dl.sheet.name": {"kk": "Атауы", "ru": "Название", "en": "Name"},
        "dl.sheet.level": {"kk": "Деңгейі", "ru": "Уровень", "en": "Level"},
        "dl.sheet.years": {"kk": "Жылдар", "ru": "Годы", "en": "Years"},
        "dl.sheet.sources": {"kk": "Дереккөздер", "ru": "Источники", "en": "Sources"},
        "dl.sheet.publisher": {"kk": "Жариялаушы", "ru": "Издатель", "en": "Publisher"},
        "dl.sheet.address": {"kk": "Мекенжайы", "ru": "Адрес", "en": "Address"},
        "dl.sheet.license": {"kk": "Лицензия", "ru": "Лицензия", "en": "License"},
        "dl.sheet.tier": {"kk": "Деңгейі", "ru": "Уровень", "en": "Tier"},
        "dl.sheet.retrieved": {
            "kk": "Алынған нұсқа",
            "ru": "Использованная версия",
            "en": "Version used",
        },
        "dl.sheet.notes": {"kk": "Ескертпелер", "ru": "Примечания", "en": "Notes"},
        "dl.sheet.where": {"kk": "Қай мәндерге", "ru": "К каким значениям", "en": "Applies to"},
        "dl.sheet.note": {"kk": "Ескертпе", "ru": "Примечание", "en": "Note"},
        "dl.sheet.excerpt": {"kk": "Дереккөздегі мәтін", "ru": "Текст источника", "en": "Excerpt"},
        "dl.sheet.location": {
            "kk": "Дереккөздегі орны",
            "ru": "Место в источнике",
            "en": "Location in source",
        },
        "dl.sheet.targets": {"kk": "Мақсаттар", "ru": "Цели", "en": "Targets"},
        "dl.sheet.revisions": {
            "kk": "Түзетулер (кейінгі жүктеу ауыстырған мәндер)",
            "ru": "Исправления (значения, заменённые более поздней загрузкой)",
            "en": "Revisions (values a later load replaced)",
        },
        "dl.sheet.revised_at": {"kk": "Түзетілді", "ru": "Исправлено", "en": "Revised on"},
        "dl.sheet.old_value": {"kk": "Бұрын", "ru": "Было", "en": "Old value"},
        "dl.sheet.new_value": {"kk": "Қазір", "ru": "Стало", "en": "New value"},
        "dl.sheet.program": {"kk": "Бағдарлама", "ru": "Программа", "en": "Program"},
        "dl.sheet.target_year": {"kk": "Мақсат жылы", "ru": "Год цели", "en": "Target year"},
        "dl.sheet.target": {"kk": "Мақсат", "ru": "Цель", "en": "Target"},
        "dl.sheet.exported": {"kk": "Экспорт күні", "ru": "Дата выгрузки", "en": "Exported"},
        "dl.sheet.data_version": {
            "kk": "Деректер нұсқасы",
            "ru": "Версия данных",
            "en": "Data version",
        },
        "dl.sheet.url": {"kk": "Мекенжай (URL)", "ru": "Адрес (URL)", "en": "URL"},
        "dl.sheet.citation": {
            "kk": "Сілтеме жасау үлгісі",
            "ru": "Как цитировать",
            "en": "How to cite",
        },
        "dl.sheet.license_none": {"kk": "көрсетілмеген", "ru": "не указана", "en": "not stated"},
        "dl.tier.A": {
            "kk": "ресми статистика",
            "ru": "официальная статистика",
            "en": "official statistics",
        },
        "dl.tier.B": {
            "kk": "мемлекеттік орган немесе агенттік",
            "ru": "госорган или агентство",
            "en": "government body or agency",
        },
        "dl.tier.C": {
            "kk": "баспасөз немесе анықтамалық",
            "ru": "пресса или справочник",
            "en": "press or reference work",
        },
        "dl.data_as_of": {
            "kk": "Деректер {date} жағдайы бойынша",
            "ru": "Данные на {date}",
            "en": "Data as of {date}",
        },
        "dl.tier.S": {
            "kk": "жарияланбаған қолжазба (аудан әкімінің есебін баяндайды)",
            "ru": "неопубликованная рукопись (пересказ отчёта акима района)",
            "en": "unpublished manuscript (restates the district akim's report)",
        },
    }
)


@dataclass
class ChartData:
    """A chart's observations (columns :data:`COLUMNS`, plus ``value_change_pct`` or
    ``value_index`` in those modes and ``rank`` for a map) and its metadata."""

    df: pd.DataFrame
    meta: dict[str, Any]


def utc_now() -> dt.datetime:
    """Now in UTC, to the second: the export date."""
    return dt.datetime.now(dt.UTC).replace(microsecond=0)


def plain(value: Any) -> Any:
    """A JSON/Excel-safe Python value: NaN/NA -> None, numpy scalars -> Python."""
    if value is None or value is pd.NA or value is pd.NaT:
        return None
    if hasattr(value, "item") and not isinstance(value, (str, bytes)):
        value = value.item()
    if isinstance(value, float) and math.isnan(value):
        return None
    return value


def slug(text: str) -> str:
    """'Aral district' -> 'aral-district': ASCII, lower case, hyphens."""
    ascii_ = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_.lower()).strip("-")


def filename(meta: dict[str, Any], ext: str, variant: str | None = None) -> str:
    """What the file is, e.g. ``industrial_output_aral-district_2000-2023_ru.csv``.

    Explore: indicator, areas (up to three, then "and-N-more"), years, the mode and
    "all-sources" when not the default, language. Map: indicator, the oblasts or the
    oblast's districts, year, language; "excel" for the CSV for Excel.
    """
    code = meta["indicator"]["code"]
    if meta.get("view") == "map":
        scope = meta["scope"]
        where = (
            "kazakhstan-oblasts"
            if meta.get("level") == "oblast"
            else f"{slug(scope['name_en']) or scope['kato']}-districts"
        )
        parts = [code, where, str(meta["years"]["first"])]
    else:
        slugs = [slug(a["name_en"]) or a["kato"] for a in meta["areas"]]
        if len(slugs) > 3:
            slugs = [*slugs[:3], f"and-{len(slugs) - 3}-more"]
        parts = [code, "_".join(slugs)]
        first, last = meta["years"]["first"], meta["years"]["last"]
        if first is not None:
            parts.append(str(first) if first == last else f"{first}-{last}")
        if meta.get("mode", "absolute") != "absolute":
            parts.append(meta["mode"])
        if meta.get("source_mode") == "all":
            parts.append("all-sources")
    parts.append(meta["lang"])
    if variant == "csv-excel":
        parts.append("excel")
    return "_".join(parts) + "." + ext
