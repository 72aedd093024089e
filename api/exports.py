"""Exports of what the dashboard shows: data (CSV, Excel, JSON) with its metadata and
citation, images (PNG, SVG, PDF) of the same figures, and the whole database as a zip.

No Flask here: :mod:`api.downloads` turns these into HTTP responses. A chart's data is a
:class:`ChartData`: its observations as stored (values exactly as in the database) and a
metadata dict saying what they are, in the chosen language, where they come from (every
source with its address and license), when they were exported and how to cite them.

Images are rendered by kaleido in a headless Chromium that is started once, lazily, and
kept warm (:class:`ImageRenderer`); it renders offline: MathJax is off, plotly.js comes
from the installed plotly package and the world topojson from ``assets/topojson``, and the
browser's network goes to a closed local port, so nothing is fetched from a CDN.
"""

from __future__ import annotations

import asyncio
import atexit
import datetime as dt
import io
import json
import logging
import math
import re
import tempfile
import threading
import unicodedata
import zipfile
from dataclasses import dataclass
from html import escape
from pathlib import Path
from typing import Any

import pandas as pd
import plotly.graph_objects as go
import plotly.io as pio

from components import maps
from components.figures import transform
from components.geo import feature_collection
from components.i18n import LANGS, localized, publisher_name, strings, t
from store import queries, schema
from views import changes
from views.charts import (
    COUNTRY,
    ExploreQuery,
    MapQuery,
    area_name,
    explore_data,
    map_caption,
    map_formula,
    map_meta,
    map_names,
    map_units,
    map_values,
    reading_notes,
)

log = logging.getLogger(__name__)

ROOT = Path(__file__).resolve().parents[1]
TOPOJSON_DIR = ROOT / "assets" / "topojson"
TOPOJSON_URL = TOPOJSON_DIR.as_uri() + "/"  # plotly.js appends "world_110m.json"
IMAGE_FORMATS = ("png", "svg", "pdf")
DATA_FORMATS = ("csv", "xlsx", "json")
# CSV variants (``format=`` on a .csv download): the standard one, and one for Excel in a
# Russian or Kazakh locale, which expects ";" between fields and "," before decimals.
CSV_VARIANTS = ("csv", "csv-excel")
IMAGE_WIDTH, IMAGE_HEIGHT = 1200, 675  # 16:9, for slides and papers
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


@dataclass
class ChartData:
    """A chart's observations (columns :data:`COLUMNS`, plus ``value_change_pct`` or
    ``value_index`` in those modes and ``rank`` for a map) and its metadata."""

    df: pd.DataFrame
    meta: dict[str, Any]


# --- building the data and its metadata ---------------------------------------------------


def utc_now() -> dt.datetime:
    """Now in UTC, to the second: the export date."""
    return dt.datetime.now(dt.UTC).replace(microsecond=0)


def _plain(value: Any) -> Any:
    """A JSON/Excel-safe Python value: NaN/NA -> None, numpy scalars -> Python."""
    if value is None or value is pd.NA or value is pd.NaT:
        return None
    if hasattr(value, "item") and not isinstance(value, (str, bytes)):
        value = value.item()
    if isinstance(value, float) and math.isnan(value):
        return None
    return value


def _indicator_meta(code: str, lang: str) -> dict[str, Any]:
    info = queries.indicator(code) or {"code": code}
    return {
        "code": code,
        "name": info.get(f"name_{lang}"),
        "names": {k: info.get(f"name_{k}") for k in LANGS},
        "unit": info.get(f"unit_{lang}"),
        "units": {k: info.get(f"unit_{k}") for k in LANGS},
        "description": _plain(info.get("description")),
        "category": info.get("category"),
        "direction": info.get("direction"),
        "sdg_id": _plain(info.get("sdg_id")),
        "decimals": _plain(info.get("decimals")),
        "preferred_source": _plain(info.get("preferred_source")),
    }


def _area_meta(kato: str, lang: str) -> dict[str, Any]:
    info = queries.area(kato) or {}
    return {
        "kato": kato,
        "name": info.get(f"name_{lang}", kato),
        "name_en": info.get("name_en", kato),
        "level": info.get("level"),
    }


def _sources_meta(codes: list[str], lang: str) -> list[dict[str, Any]]:
    out = []
    for code in dict.fromkeys(c for c in codes if isinstance(c, str)):
        info = queries.source(code) or {}
        tier = info.get("tier")
        out.append(
            {
                "code": code,
                "title": _plain(info.get("title")),
                "publisher": _plain(localized(info, "publisher", lang) or None),
                "address": _plain(info.get("address")),
                "license": _plain(localized(info, "license", lang) or None),
                "tier": _plain(tier),
                "tier_label": t(f"dl.tier.{tier}", lang) if tier in ("A", "B", "C", "S") else None,
                "retrieved": _plain(info.get("retrieved")),
            }
        )
    return out


def _notes(obs: pd.DataFrame, names: dict[str, str]) -> list[dict[str, Any]]:
    """:func:`views.charts.reading_notes`, with None for an empty field."""
    return [
        {"where": n["where"]} | {k: n[k] or None for k in ("source", "note", "excerpt", "location")}
        for n in reading_notes(obs, names)
    ]


def _revisions(indicator: str, df: pd.DataFrame) -> list[dict[str, Any]]:
    """The revisions of the exported figures (a later load of the same source replaced or
    withdrew a value): area, year, series, source, revised_at, kind, old and new value."""
    if df.empty:
        return []
    history = changes.history_records(indicator, tuple(dict.fromkeys(df["area"])))
    out = []
    for r in df[["area", "year", "series", "source"]].drop_duplicates().itertuples(index=False):
        for h in history.get((r.area, int(r.year), r.series, r.source), []):
            out.append(
                {"area": r.area, "year": int(r.year), "series": r.series, "source": r.source}
                | {k: _plain(h[k]) for k in ("revised_at", "kind", "old_value", "new_value")}
            )
    return out


def _frame(obs: pd.DataFrame, indicator: str, unit: str, names: dict[str, str]) -> pd.DataFrame:
    """Store rows -> the export's columns, values untouched."""
    return pd.DataFrame(
        {
            "indicator": indicator,
            "area": obs["area"].astype(str),
            "area_name": [names.get(a, a) for a in obs["area"]],
            "year": obs["year"].astype("Int64"),
            "series": obs["series"].fillna("").astype(str),
            "value": obs["value"].astype(float),
            "unit": unit,
            "status": obs["status"],
            "year_approx": obs["year_approx"].astype(bool),
            "source": obs["source"],
            "note": obs["note"].where(obs["note"].notna(), None),
        },
        index=obs.index,
        columns=COLUMNS,
    )


def _years(df: pd.DataFrame) -> dict[str, int | None]:
    if df.empty:
        return {"first": None, "last": None}
    return {"first": int(df["year"].min()), "last": int(df["year"].max())}


def _finish(meta: dict[str, Any], url: str | None) -> dict[str, Any]:
    """Add the export date, data version, URL, citation and BibTeX to ``meta``."""
    lang = meta["lang"]
    meta["publisher"] = t("app.title", lang)
    meta["url"] = url
    meta["data_version"] = queries.data_version()
    meta["citation"] = citation(meta, lang, url, meta["exported"])
    meta["bibtex"] = bibtex(meta, lang, url, meta["exported"])
    return meta


def explore_chart_data(
    q: ExploreQuery, *, url: str | None = None, exported: dt.datetime | None = None
) -> ChartData:
    """The observations of the Explore chart for ``q``, with their metadata.

    ``url`` is the address of the view (it goes into the metadata and the citation).
    """
    d = explore_data(q)
    lang = q.lang
    unit = d.meta[f"unit_{lang}"]
    df = _frame(d.observations, q.indicator, unit, d.names)
    if q.mode in MODE_COLUMNS:
        by = ("area", "series", "source") if q.source == "all" else ("area", "series")
        moded = transform(d.observations, q.mode, by)["value"]
        df.insert(
            COLUMNS.index("value") + 1, MODE_COLUMNS[q.mode], moded.reindex(df.index).astype(float)
        )
    df = df.reset_index(drop=True)
    years = _years(df)
    span = f", {years['first']}–{years['last']}" if years["first"] is not None else ""
    if years["first"] is not None and years["first"] == years["last"]:
        span = f", {years['first']}"
    targets = d.targets.sort_values(["area", "target_year"])
    meta: dict[str, Any] = {
        "view": "explore",
        "title": f"{d.meta[f'name_{lang}']}: {', '.join(d.names.values())}{span}",
        "lang": lang,
        "indicator": _indicator_meta(q.indicator, lang),
        "unit": unit,
        "areas": [_area_meta(k, lang) for k in q.areas],
        "years": years,
        "mode": q.mode,
        "mode_label": t(f"mode.{q.mode}", lang),
        "source_mode": q.source,
        "sources": _sources_meta([*df["source"], *targets["source"]], lang),
        "notes": _notes(d.observations, d.names),
        "revisions": _revisions(q.indicator, df),
        "targets": [
            {
                "area": tg.area,
                "program": tg.program,
                "program_name": getattr(tg, f"program_{lang}"),
                "target_year": int(tg.target_year),
                "comparator": tg.comparator,
                "value": float(tg.value),
                "baseline_year": _plain(tg.baseline_year),
                "baseline_value": _plain(tg.baseline_value),
                "source": tg.source,
                "note": _plain(tg.note),
            }
            for tg in targets.itertuples()
        ],
        "query": {
            "indicator": q.indicator,
            "area": q.area,
            "compare": list(q.compare),
            "mode": q.mode,
            "source": q.source,
            "lang": lang,
        },
        "exported": (exported or utc_now()).isoformat(),
    }
    return ChartData(df, _finish(meta, url))


def map_chart_data(
    q: MapQuery, *, url: str | None = None, exported: dt.datetime | None = None
) -> ChartData:
    """The values of the Map view for ``q`` (one row per area with a value, ranked) and
    their metadata; areas without a value are listed in ``meta["areas_without_data"]``."""
    lang = q.lang
    info = map_meta(q)
    names = map_names(q)
    values = map_values(q)
    now = maps.year_values(values, q.year)
    ranked = maps.ranking(values, [], names, info, q.year, q.since)
    now = now.set_index("area").loc[ranked["area"]].reset_index()
    df = _frame(now, q.indicator, info[f"unit_{lang}"], names)
    at = COLUMNS.index("value") + 1
    df.insert(at, "rank", ranked["rank"].to_numpy())
    if q.since is not None:
        df.insert(at + 1, f"change_since_{q.since}", ranked["change"].to_numpy())
        df.insert(at + 2, f"change_pct_since_{q.since}", ranked["change_pct"].to_numpy())
    if q.normalize:
        raw = queries.indicator(q.indicator)
        per = "persons" if q.normalize == "per_capita" else "km2"
        extra = {
            "raw_value": now["raw_value"].astype(float).to_numpy(),
            "raw_unit": raw[f"unit_{lang}"],
            f"denominator_{per}": now["denominator"].astype(float).to_numpy(),
            "denominator_year": now["denominator_year"].to_numpy(),
            "denominator_source": now["denominator_source"].to_numpy(),
        }
        at = df.columns.get_loc("unit") + 1
        for i, (name, col) in enumerate(extra.items()):
            df.insert(at + i, name, col)
    missing = [k for k in map_units(q) if k not in set(df["area"])]
    meta: dict[str, Any] = {
        "view": "map",
        "title": map_caption(q),
        "lang": lang,
        "indicator": _indicator_meta(q.indicator, lang),
        "unit": info[f"unit_{lang}"],
        "level": q.level,
        "scope": _area_meta(q.scope, lang)
        if q.scope != COUNTRY
        else {
            "kato": COUNTRY,
            "name": area_name(COUNTRY, lang),
            "name_en": "Kazakhstan",
            "level": "country",
        },
        "areas": [_area_meta(k, lang) for k in df["area"]],
        "areas_without_data": [_area_meta(k, lang) for k in missing],
        "years": {"first": q.year, "last": q.year},
        "years_available": list(q.years),
        "normalize": q.normalize,
        "formula": map_formula(q) or None,
        "scale": q.scale,
        "since": q.since,
        "mode": "absolute",
        "source_mode": "preferred",
        "sources": _sources_meta(
            list(df["source"]) + list(now.get("denominator_source", pd.Series(dtype=str))),
            lang,
        ),
        "notes": _notes(now, names),
        "targets": [],
        "query": {
            "indicator": q.indicator,
            "level": q.level,
            "parent": q.parent,
            "year": q.year,
            "lang": lang,
            "area": q.area,
            "normalize": q.normalize,
            "scale": q.scale,
            "since": q.since,
        },
        "exported": (exported or utc_now()).isoformat(),
    }
    return ChartData(df.reset_index(drop=True), _finish(meta, url))


# --- names and citations ------------------------------------------------------------------


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


def _date(value: dt.date | dt.datetime | str) -> dt.date:
    if isinstance(value, str):
        return dt.datetime.fromisoformat(value).date()
    return value.date() if isinstance(value, dt.datetime) else value


def _publishers(meta: dict[str, Any], lang: str, limit: int = 3) -> str:
    """The sources' publishers (up to the first parenthesis), official statistics first;
    past ``limit``, "and others"."""
    tiers = {"A": 0, "B": 1, "C": 2, "S": 3}
    ranked = sorted(meta.get("sources", []), key=lambda s: tiers.get(s.get("tier"), 9))
    names = [publisher_name(s.get("publisher") or s.get("title") or s["code"]) for s in ranked]
    names = list(dict.fromkeys(n for n in names if n))
    if len(names) > limit:
        names = [*names[:limit], t("dl.and_others", lang)]
    return "; ".join(names)


def citation(
    meta: dict[str, Any], lang: str, url: str | None, accessed: dt.date | dt.datetime | str
) -> str:
    """A reference to the exported view: title, publisher, year, sources, URL, access date.

    Russian and Kazakh follow GOST R 7.0.100 ("[Электронный ресурс] … URL: … (дата
    обращения: 26.11.2025)"); English an author-date style with an ISO date.
    """
    day = _date(accessed)
    url = url or meta.get("url")
    return t(
        "dl.cite",
        lang,
        title=meta["title"],
        publisher=t("app.title", lang),
        year=day.year,
        sources=_publishers(meta, lang).rstrip(".") or "–",
        url=f" — URL: {url}" if url and lang != "en" else (f" {url}" if url else ""),
        accessed=day.isoformat() if lang == "en" else day.strftime("%d.%m.%Y"),
    )


_BIB_SPECIAL = {
    "\\": r"\textbackslash{}",
    "{": r"\{",
    "}": r"\}",
    "&": r"\&",
    "%": r"\%",
    "$": r"\$",
    "#": r"\#",
    "_": r"\_",
    "~": r"\textasciitilde{}",
    "^": r"\textasciicircum{}",
}
_BIB_LANG = {"kk": "kazakh", "ru": "russian", "en": "english"}


def _bib(text: str) -> str:
    text = "".join(_BIB_SPECIAL.get(c, c) for c in text)
    return text.replace("–", "--").replace("—", "---")


def bibtex(
    meta: dict[str, Any], lang: str, url: str | None, accessed: dt.date | dt.datetime | str
) -> str:
    """A BibTeX ``@misc`` entry for the exported view (biblatex reads url and urldate;
    classic styles the howpublished and note fields)."""
    day = _date(accessed)
    url = url or meta.get("url")
    publisher = _bib(t("app.title", lang))
    sources = _publishers(meta, "en")
    note = (
        f"Data sources: {sources.rstrip('.')}. Data version {meta.get('data_version', '?')}."
        if sources
        else f"Data version {meta.get('data_version', '?')}."
    )
    code = (meta.get("indicator") or {}).get("code") or "data"
    key = re.sub(r"[^a-z0-9_]+", "_", f"{PROJECT}_{code}_{day.year}")
    fields = [
        ("title", "{" + _bib(meta["title"]) + "}"),
        ("author", "{" + publisher + "}"),
        ("organization", publisher),
        ("year", str(day.year)),
    ]
    if url:
        fields += [("url", url), ("howpublished", r"\url{" + url + "}")]
    fields += [
        ("urldate", day.isoformat()),
        ("note", _bib(note)),
        ("language", _BIB_LANG.get(lang, "english")),
    ]
    body = ",\n".join(f"  {name} = {{{value}}}" for name, value in fields)
    return f"@misc{{{key},\n{body}\n}}\n"


# --- data formats -------------------------------------------------------------------------


def to_csv(df: pd.DataFrame, meta: dict[str, Any] | None = None, *, excel: bool = False) -> bytes:
    """UTF-8 with a byte-order mark (so Excel reads Cyrillic); floats as stored (the
    shortest text that reads back to the same number: 2609.1, not 2609.0999999).

    ``excel``: ";" between fields and "," as the decimal mark (2609,1), as Excel expects
    in a Russian or Kazakh locale.
    """
    options = {"sep": ";", "decimal": ","} if excel else {}
    return ("\ufeff" + df.to_csv(index=False, lineterminator="\r\n", **options)).encode("utf-8")


def _records(df: pd.DataFrame) -> list[dict[str, Any]]:
    return [{k: _plain(v) for k, v in row.items()} for row in df.to_dict("records")]


def to_json(df: pd.DataFrame, meta: dict[str, Any]) -> bytes:
    """``{"data": [one object per row], "meta": {...}}``, UTF-8."""
    doc = {"data": _records(df), "meta": meta}
    return json.dumps(doc, ensure_ascii=False, indent=1, allow_nan=False).encode("utf-8")


def _metadata_rows(meta: dict[str, Any]) -> list[tuple[str, list[Any]]]:
    """The metadata sheet as (kind, cells): "field" label/value pairs, then small tables
    (areas, sources, notes, targets), each a "heading", a "header" and its "row"s; labels
    in the export's language."""
    lang = meta["lang"]

    def L(key: str) -> str:  # noqa: N802
        return t(f"dl.sheet.{key}", lang)

    ind = meta["indicator"]
    first, last = meta["years"]["first"], meta["years"]["last"]
    fields = [
        ("title", meta["title"]),
        ("indicator", ind["name"]),
        ("code", ind["code"]),
        ("unit", meta["unit"]),
        ("description" if lang == "en" else "description_en", ind.get("description")),
        ("years", first if first == last else f"{first}–{last}"),
        ("mode", meta.get("mode_label") or t("mode.absolute", lang)),
        ("source_mode", L(f"source_mode.{meta.get('source_mode', 'preferred')}")),
        ("exported", meta["exported"]),
        ("data_version", meta.get("data_version")),
        ("url", meta.get("url")),
        ("citation", meta.get("citation")),
    ]
    rows: list[tuple[str, list[Any]]] = [("field", [L(k), v]) for k, v in fields]
    rows.append(("field", ["BibTeX", meta.get("bibtex")]))

    def table(key: str, header: list[str], body: list[list[Any]]) -> None:
        rows.extend([("blank", []), ("heading", [L(key)]), ("header", header)])
        rows.extend(("row", r) for r in body)

    table(
        "areas",
        [L("code"), L("name"), L("level")],
        [[a["kato"], a["name"], _level(a["level"], lang)] for a in meta["areas"]],
    )
    table(
        "sources",
        [
            L("code"),
            L("title"),
            L("publisher"),
            L("address"),
            L("license"),
            L("tier"),
            L("retrieved"),
        ],
        [
            [
                s["code"],
                s["title"],
                s["publisher"],
                s["address"],
                s["license"] or L("license_none"),
                f"{s['tier']} — {s['tier_label']}" if s.get("tier_label") else s.get("tier"),
                s["retrieved"],
            ]
            for s in meta["sources"]
        ],
    )
    if meta.get("notes"):
        table(
            "notes",
            [L("where"), L("note"), L("excerpt"), L("location"), t("word.source", lang)],
            [
                [n["where"], n["note"], n["excerpt"], n["location"], n["source"]]
                for n in meta["notes"]
            ],
        )
    if meta.get("revisions"):
        table(
            "revisions",
            [
                t("word.area", lang),
                t("word.year", lang),
                t("word.source", lang),
                L("revised_at"),
                L("old_value"),
                L("new_value"),
            ],
            [
                [
                    r["area"] + (f" — {r['series']}" if r["series"] else ""),
                    r["year"],
                    r["source"],
                    r["revised_at"][:10],
                    r["old_value"],
                    r["new_value"] if r["kind"] == "revised" else t("ch.kind.withdrawn", lang),
                ]
                for r in meta["revisions"]
            ],
        )
    table("codes", [L("column"), L("value_code"), L("meaning")], _code_rows(meta, lang))
    if meta.get("targets"):
        table(
            "targets",
            [
                t("word.area", lang),
                L("program"),
                L("target_year"),
                L("target"),
                t("word.source", lang),
            ],
            [
                [
                    tg["area"],
                    tg["program_name"],
                    tg["target_year"],
                    f"{tg['comparator']} {tg['value']!r}",
                    tg["source"],
                ]
                for tg in meta["targets"]
            ],
        )
    return rows


def _level(level: object, lang: str) -> object:
    """An area level ("district") in ``lang``, its code after it: "район (district)"."""
    if not isinstance(level, str) or f"dl.level.{level}" not in strings():
        return level
    text = t(f"dl.level.{level}", lang)
    return text if lang == "en" else f"{text} ({level})"


def _code_rows(meta: dict[str, Any], lang: str) -> list[list[Any]]:
    """What the data sheet's codes mean, in ``lang``: status, year_approx and the levels."""
    rows: list[list[Any]] = [
        ["status", s, t(f"obs.{s}", lang)] for s in ("actual", "estimate", "derived", "provisional")
    ]
    rows += [
        ["year_approx", str(v), t(f"dl.year_approx.{str(v).lower()}", lang)] for v in (True, False)
    ]
    levels = dict.fromkeys(a.get("level") for a in meta.get("areas", []) if a.get("level"))
    rows += [
        ["level", lv, t(f"dl.level.{lv}", lang)] for lv in levels if f"dl.level.{lv}" in strings()
    ]
    return rows


def to_xlsx(df: pd.DataFrame, meta: dict[str, Any]) -> bytes:
    """An Excel workbook: sheet "data" (the rows, numbers as numbers) and sheet
    "metadata" (indicator, unit, areas, every source with address and license, notes,
    export date, URL, citation)."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font

    wb = Workbook()
    data = wb.active
    data.title = "data"
    data.append(list(df.columns))
    for row in df.itertuples(index=False):
        data.append([_plain(v) for v in row])
    for cell in data[1]:
        cell.font = Font(bold=True)
    data.freeze_panes = "A2"
    data.auto_filter.ref = data.dimensions
    widths = {"area_name": 28, "source": 32, "note": 60, "status": 11, "unit": 24}
    for i, name in enumerate(df.columns, start=1):
        data.column_dimensions[data.cell(1, i).column_letter].width = widths.get(name, 13)

    sheet = wb.create_sheet("metadata")
    for kind, cells in _metadata_rows(meta):
        sheet.append([_plain(v) for v in cells])
        for cell in sheet[sheet.max_row] if cells else ():
            cell.alignment = Alignment(wrap_text=True, vertical="top")
            if kind in ("heading", "header") or (kind == "field" and cell.column == 1):
                cell.font = Font(bold=True, size=13 if kind == "heading" else 11)
            if isinstance(cell.value, str) and re.fullmatch(r"https?://\S+", cell.value):
                cell.hyperlink = cell.value
    for col, width in zip("ABCDEFG", (26, 60, 40, 40, 30, 30, 30), strict=True):
        sheet.column_dimensions[col].width = width
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def render_data(chart: ChartData, fmt: str, variant: str = "csv") -> bytes:
    """``chart`` in ``fmt`` (csv, xlsx or json); ``variant`` "csv-excel" for Excel's CSV."""
    if fmt == "csv":
        return to_csv(chart.df, chart.meta, excel=variant == "csv-excel")
    writers = {"xlsx": to_xlsx, "json": to_json}
    return writers[fmt](chart.df, chart.meta)


# --- images -------------------------------------------------------------------------------


def data_date(meta: dict[str, Any]) -> dt.date:
    """The date of the data: the last load into the database, else the export date."""
    runs = queries.load_runs()
    if len(runs) and runs["finished_at"].notna().any():
        return pd.Timestamp(runs["finished_at"].max()).date()
    return _date(meta["exported"])


def standalone(fig: go.Figure, meta: dict[str, Any]) -> go.Figure:
    """The figure as a picture that says what and whence when pasted alone: its title (with
    the area and years), the unit, the sources, the data date and the dashboard's name, in
    the export's language."""
    from components.slides import fmt_date

    lang = meta["lang"]
    out = go.Figure(fig)
    heading = f"<b>{escape(meta['title'])}</b>"
    if meta.get("unit"):
        heading += f"<br><span style='font-size:14px'>{escape(str(meta['unit']))}</span>"
    sources = _publishers(meta, lang) or "–"
    foot = f"{t('word.sources', lang)}: {escape(sources)}<br>" + " · ".join(
        [
            t("dl.data_as_of", lang, date=fmt_date(data_date(meta), lang)),
            escape(t("app.title", lang)),
        ]
    )
    margin = out.layout.margin
    bottom = margin.b or 0
    out.update_layout(
        title={
            "text": heading,
            "x": 0.01,
            "xanchor": "left",
            "y": 0.965,
            "yref": "container",
            "yanchor": "top",
            "pad": {"t": 0},
        },
        margin={"t": (margin.t or 0) + 95, "b": bottom + 55, "l": margin.l, "r": margin.r},
    )
    out.update_xaxes(automargin=False)  # the footer's place below the plot stays fixed
    out.add_annotation(
        text=foot,
        xref="paper",
        yref="paper",
        x=0,
        y=0,
        yshift=-bottom - 12,
        xanchor="left",
        yanchor="top",
        showarrow=False,
        align="left",
        font={"size": 11, "color": "#444"},
    )
    return out


class ImageExportError(RuntimeError):
    """An image could not be rendered (see the message)."""


def image_export_unavailable() -> str | None:
    """Why images cannot be exported here (kaleido or Chromium missing), or None."""
    try:
        import kaleido  # noqa: F401
        from choreographer.browsers.chromium import Chromium
    except ImportError as exc:
        return f"image export needs the kaleido package ({exc})"
    import os

    path = os.environ.get("BROWSER_PATH") or Chromium.find_browser(skip_local=False)
    if not path or not Path(path).is_file():
        return "image export needs Chromium or Chrome (Debian: apt-get install chromium)"
    return None


class ImageRenderer:
    """One warm kaleido (headless Chromium) for the process, started on first use.

    Renders run on the renderer's own event loop thread; any thread may call
    :meth:`render` concurrently (calls queue for the browser's tab). A render that fails
    for a reason other than the figure itself restarts the browser on the next call.
    """

    START_TIMEOUT = 60.0
    RENDER_TIMEOUT = 60.0
    # Chromium's proxy: a closed local port, so nothing can be fetched from the network
    # (file:// addresses, the local plotly.js and topojson, are not proxied).
    SEALED_PROXY = "127.0.0.1:9"

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._loop: asyncio.AbstractEventLoop | None = None
        self._thread: threading.Thread | None = None
        self._kaleido: Any = None
        self.starts = 0

    def _ensure(self) -> tuple[asyncio.AbstractEventLoop, Any]:
        with self._lock:
            if self._kaleido is not None and self._loop is not None:
                return self._loop, self._kaleido
            reason = image_export_unavailable()
            if reason:
                raise ImageExportError(reason)
            import kaleido

            loop = asyncio.new_event_loop()
            thread = threading.Thread(target=loop.run_forever, name="kaleido", daemon=True)
            thread.start()

            async def _open() -> Any:
                k = kaleido.Kaleido(
                    n=1, timeout=self.RENDER_TIMEOUT, mathjax=False, proxy_server=self.SEALED_PROXY
                )
                await k.open()
                return k

            try:
                k = asyncio.run_coroutine_threadsafe(_open(), loop).result(self.START_TIMEOUT)
            except Exception as exc:
                loop.call_soon_threadsafe(loop.stop)
                thread.join(5)
                raise ImageExportError(f"could not start the image renderer: {exc}") from exc
            self._loop, self._thread, self._kaleido = loop, thread, k
            self.starts += 1
            log.info("image renderer started (kaleido, headless Chromium)")
            return loop, k

    def render(self, fig: dict[str, Any], fmt: str, width: int, height: int, scale: float) -> bytes:
        """The figure (a plotly figure dict) as ``fmt`` bytes."""
        from kaleido.errors import KaleidoError

        loop, k = self._ensure()
        opts = {"format": fmt, "width": width, "height": height, "scale": scale}
        future = asyncio.run_coroutine_threadsafe(
            k.calc_fig(fig, opts=opts, topojson=TOPOJSON_URL), loop
        )
        try:
            return future.result(self.RENDER_TIMEOUT + 10)
        except KaleidoError as exc:
            raise ImageExportError(f"plotly could not render the figure: {exc}") from exc
        except Exception as exc:
            future.cancel()
            log.warning("image renderer failed (%s); it restarts on the next export", exc)
            self.close()
            raise ImageExportError(f"the image renderer failed: {exc!r}") from exc

    def close(self) -> None:
        """Stop the browser and the loop (a later render starts them again)."""
        with self._lock:
            loop, k, thread = self._loop, self._kaleido, self._thread
            self._loop = self._kaleido = self._thread = None
        if loop is None:
            return
        try:
            asyncio.run_coroutine_threadsafe(k.close(), loop).result(15)
        except Exception as exc:  # noqa: BLE001 - closing a broken browser
            log.debug("closing the image renderer: %s", exc)
        loop.call_soon_threadsafe(loop.stop)
        if thread is not None:
            thread.join(5)


renderer = ImageRenderer()
atexit.register(renderer.close)


def figure_image(
    fig: go.Figure | dict,
    fmt: str,
    scale: float = 2,
    *,
    width: int = IMAGE_WIDTH,
    height: int = IMAGE_HEIGHT,
) -> bytes:
    """The figure as PNG, SVG or PDF, ``width`` x ``height`` CSS pixels (PNG pixels are
    ``scale`` times more), offline, with the figure's own language and separators."""
    if fmt not in IMAGE_FORMATS:
        raise ValueError(f"unknown image format {fmt!r}; use one of {', '.join(IMAGE_FORMATS)}")
    fig = go.Figure(fig)
    fig.update_layout(width=width, height=height, autosize=False)
    return renderer.render(fig.to_plotly_json(), fmt, width, height, scale)


# --- everything: the database as a zip ----------------------------------------------------


def _column_meta(column: Any) -> dict[str, Any]:
    return {
        "name": column.name,
        "type": str(column.type),
        "nullable": bool(column.nullable),
        "primary_key": bool(column.primary_key),
        "comment": column.comment,
    }


def _readme(meta: dict[str, Any], url: str | None) -> str:
    files = [
        ("README.txt", "this file"),
        ("metadata.json", "every table's columns (type, description) and row count"),
        *[(tb["file"], f"{tb['rows']} rows") for tb in meta["tables"] if tb["file"]],
        *[
            (b["file"], f"{b['features']} areas ({b['level']}, {b['vintage']})")
            for b in meta["boundaries"]
        ],
    ]
    if meta.get("database"):
        files.append((meta["database"], "the SQLite database itself (open with sqlite3)"))
    lines = [
        meta["title"],
        "=" * len(meta["title"]),
        "",
        f"Exported: {meta['exported']}   Data version: {meta['data_version']}",
        f"From: {url}" if url else "",
        "",
        "District and oblast economic and ecological indicators of Kazakhstan with their",
        "sources and the government program targets they are measured against. Where",
        "sources disagree every reading is kept with its source (see observations.source).",
        "",
        "Files",
        "-----",
        *[f"{name:<36} {what}" for name, what in files],
        "",
        "CSV files are UTF-8 with a byte-order mark, comma-separated, one header row;",
        "areas are joined on their 9-digit KATO code; numbers are written exactly as stored.",
        "",
        "How to cite",
        "-----------",
        *[meta["citations"][lang] for lang in ("en", "ru", "kk")],
        "",
        "BibTeX:",
        meta["bibtex"],
        "Licenses and sources",
        "--------------------",
        "The figures remain under the terms of their sources; each is listed below with its",
        'address and license ("not stated" where the source gives none: cite the',
        "publisher).",
        "",
        BOUNDARY_ATTRIBUTION,
        "",
    ]
    for s in meta["sources"]:
        tier = f"{s['tier']} ({s['tier_label']})" if s.get("tier_label") else s.get("tier")
        lines += [
            f"* {s['code']}: {s['title']}",
            f"  Publisher: {s['publisher']}",
            f"  Address:   {s.get('address') or '-'}",
            f"  License:   {s.get('license') or 'not stated'}",
            f"  Tier:      {tier or '-'}",
            "",
        ]
    return "\n".join(lines)


def data_archive(*, url: str | None = None, exported: dt.datetime | None = None) -> bytes:
    """A zip of every table as CSV (boundaries as GeoJSON, one file per level and
    vintage), ``metadata.json``, ``README.txt`` (citation and every source's license) and,
    when the database is SQLite, the database file itself."""
    exported = exported or utc_now()
    buf = io.BytesIO()
    tables, boundaries = [], []
    with zipfile.ZipFile(buf, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        for tb in schema.public_tables():
            df = queries.table(tb.name)
            if tb.name == "boundaries":
                areas = queries.table("areas").set_index("kato")
                for (level, vintage), g in df.groupby(["level", "vintage"], sort=True):
                    g = g.assign(**{f"name_{k}": g["area"].map(areas[f"name_{k}"]) for k in LANGS})
                    name = f"boundaries/{level}_{int(vintage)}.geojson"
                    zf.writestr(name, json.dumps(feature_collection(g), ensure_ascii=False))
                    boundaries.append(
                        {"file": name, "level": level, "vintage": int(vintage), "features": len(g)}
                    )
                tables.append(
                    {
                        "name": tb.name,
                        "rows": len(df),
                        "file": None,
                        "comment": "exported as GeoJSON under boundaries/",
                        "columns": [_column_meta(c) for c in tb.columns],
                    }
                )
                continue
            zf.writestr(f"tables/{tb.name}.csv", to_csv(df))
            tables.append(
                {
                    "name": tb.name,
                    "rows": len(df),
                    "file": f"tables/{tb.name}.csv",
                    "columns": [_column_meta(c) for c in tb.columns],
                }
            )
        db_name = None
        with tempfile.TemporaryDirectory() as tmp:
            copy = Path(tmp) / "indicators.db"
            if queries.copy_sqlite(str(copy)):
                db_name = "indicators.db"
                zf.write(copy, db_name)
        sources = queries.table("sources")
        meta: dict[str, Any] = {
            "title": t("dl.title_all", "en"),
            "exported": exported.isoformat(),
            "data_version": queries.data_version(),
            "url": url,
            "database": db_name,
            "tables": tables,
            "boundaries": boundaries,
            "boundaries_attribution": BOUNDARY_ATTRIBUTION,
            "sources": _sources_meta(list(sources["code"]), "en"),
        }
        meta["citations"] = {
            lang: citation(meta | {"title": t("dl.title_all", lang)}, lang, url, exported)
            for lang in LANGS
        }
        meta["citation"] = meta["citations"]["en"]
        meta["bibtex"] = bibtex(meta, "en", url, exported)
        zf.writestr("metadata.json", json.dumps(meta, ensure_ascii=False, indent=1))
        zf.writestr("README.txt", _readme(meta, url))
    return buf.getvalue()


def archive_filename(exported: dt.datetime | None = None) -> str:
    """``aral-indicators_v<data version>_<date>.zip``."""
    day = (exported or utc_now()).date().isoformat()
    return f"{PROJECT}_v{slug(queries.data_version()) or '0'}_{day}.zip"
