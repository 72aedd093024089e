"""REST API endpoint of the observations: the rows, their metadata (sources, citation)
and the files (CSV with an ETag, Excel); every answer is kept whole by the response cache."""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Iterable, Mapping
from typing import Any
from urllib.parse import urlencode

import pandas as pd
from flask import Response, request

from api import export_citation, export_csv, export_package, export_xlsx
from api.exports import MEDIA_TYPES
from api.v1_endpoints import PREFIX, ApiError, api_route
from api.v1_params import (
    FORMATS,
    P_AREA,
    P_BASE,
    P_FORMAT,
    P_FROM,
    P_HISTORY,
    P_INDICATOR,
    P_LANG,
    P_PRICES,
    P_SERIES,
    P_SOURCE,
    P_TO,
    arg,
    choice,
    indicator_arg,
    many_areas,
    prices_arg,
    source_arg,
    year_arg,
)
from api.v1_records import INT_COLUMNS, NAMES, area_info, attachment, json_response, plain, records
from components.i18n import LANGS, t
from store import queries
from store.area_labels import area_labels
from views import changes, response_cache
from views import constant_prices as cp

XLSX_TYPE = MEDIA_TYPES["xlsx"]
TIERS = ("A", "B", "C", "S")

OBSERVATION_COLUMNS = (
    "indicator",
    "area",
    "area_name_kk",
    "area_name_ru",
    "area_name_en",
    "year",
    "series",
    "value",
    "unit",
    "status",
    "year_approx",
    "source",
    "note",
)
SOURCE_REF_COLUMNS = ("code", "title", "publisher", "address", "copy_address", "license")


@api_route(
    "/observations",
    summary="Observations of one indicator",
    description="The values of one indicator for one or several areas, each with its "
    "source, status and note. Several sources may report the same year: "
    "`source=all` returns every reading, `source=preferred` one a year. "
    "Values are exactly as stored. Each row names its area in three "
    "languages; `unit` is in the language `lang`. `meta` says what the "
    "rows are (indicator, unit, areas, years), lists every source with its "
    "official address, the address of the copy read (if another) and license and gives a citation and BibTeX entry for the "
    "request's URL; the Excel workbook has it on its `metadata` sheet.",
    params=(
        P_INDICATOR,
        P_AREA,
        P_FROM,
        P_TO,
        P_SERIES,
        P_SOURCE,
        P_FORMAT,
        P_LANG,
        P_HISTORY,
        P_PRICES,
        P_BASE,
    ),
    ok={
        "application/json": "Observations",
        "text/csv": {"type": "string"},
        XLSX_TYPE: {"type": "string", "format": "binary"},
    },
    examples=(
        "/observations?indicator=industrial_output&area=433200000&source=all",
        "/observations?indicator=industrial_output&area=Aral,430000000"
        "&from=2005&to=2015&format=csv",
        "/observations?indicator=industrial_output&area=433200000&format=xlsx",
        "/observations?indicator=industrial_output&area=433200000&source=all&history=true",
        "/observations?indicator=industrial_output&area=433200000&prices=constant&base=2023",
    ),
)
def list_observations() -> Response:
    """One indicator's observations as JSON, CSV or Excel, with their metadata."""
    code = indicator_arg(required=True)
    assert code is not None
    katos = many_areas()
    year_from, year_to = year_arg("from"), year_arg("to")
    if year_from is not None and year_to is not None and year_from > year_to:
        raise ApiError(400, f"from ({year_from}) is after to ({year_to})", "from")
    series = arg("series", keep_empty=True)
    source = source_arg()
    fmt = choice("format", FORMATS, default="json")
    lang = choice("lang", LANGS, default="en")
    assert lang is not None
    history = choice("history", ("true", "false"), default="false") == "true"
    base = prices_arg(code, katos)

    if fmt == "csv" and not history:  # built column by column, answered 304 when unchanged
        return _observations_csv(code, katos, year_from, year_to, series, source, lang, base)
    if fmt == "datapackage" and history:
        raise ApiError(400, "the data package describes the CSV without history", "history")
    if katos is None:
        katos = tuple(queries.indicator_areas(code)["kato"])
    areas = area_info()
    frame = observation_frame(code, katos, source, year_from, year_to, series, lang, base)
    rows = records(frame, OBSERVATION_COLUMNS)
    columns = list(OBSERVATION_COLUMNS)
    if history:
        revisions = changes.history_records(code, katos)
        for r in rows:
            r["history"] = revisions.get((r["area"], r["year"], r["series"], r["source"]), [])
        columns.append("history")
    query = {
        "indicator": code,
        "area": list(katos),
        "from": year_from,
        "to": year_to,
        "series": series,
        "source": source,
        "format": fmt,
        "lang": lang,
        **({"history": True} if history else {}),
        **({"prices": "constant", "base": base} if base is not None else {}),
    }
    meta = _observations_meta(code, katos, rows, query, areas)
    if base is not None:
        meta |= _prices_meta(code, base, frame, lang)
    stem = _stem(code, katos)
    if fmt == "datapackage":
        df = pd.DataFrame(rows, columns=columns)
        return json_response(export_package.datapackage(df, meta, _format_url("csv")))
    if fmt in ("csv", "xlsx"):
        df = pd.DataFrame(rows, columns=columns)
        if history:
            df["history"] = df["history"].map(_history_text)
        body = export_csv.to_csv(df) if fmt == "csv" else export_xlsx.to_xlsx(df, meta)
        return attachment(body, MEDIA_TYPES[fmt], f"{stem}.{fmt}")
    return json_response({"data": rows, "meta": meta})


def _history_text(revisions: list[dict[str, Any]]) -> str:
    """A figure's revisions as one cell: "2026-11-29: 1946 -> 1950 (was: source retrieved
    2024-07)"; empty when never revised."""
    parts = []
    for r in revisions:
        old = "" if r["old_value"] is None else repr(r["old_value"])
        new = "withdrawn" if r["kind"] == "withdrawn" else repr(r["new_value"])
        retrieved = r.get("old_source_retrieved")
        was = f" (was: source retrieved {retrieved})" if retrieved else ""
        parts.append(f"{r['revised_at'][:10]}: {old} -> {new}{was}")
    return "; ".join(parts)


def _stem(code: str, katos: tuple[str, ...]) -> str:
    """The file name's stem: the indicator and up to three areas (else their count)."""
    return f"{code}_{'-'.join(katos) if 0 < len(katos) <= 3 else f'{len(katos)}-areas'}"


def observation_frame(
    code: str,
    katos: tuple[str, ...] | None,
    source: str,
    year_from: int | None,
    year_to: int | None,
    series: str | None,
    lang: str,
    base: int | None = None,
) -> pd.DataFrame:
    """Observations of one indicator as the API returns them: in :data:`OBSERVATION_COLUMNS`
    order (each area named in three languages, ``unit`` in ``lang``), filtered by year and
    series; built column by column, no dict per row. ``katos`` None: every area. ``base``:
    in constant prices of that year (views.constant_prices), derived."""
    if base is not None:
        df = cp.constant_observations(code, katos, base, lang)
    else:
        df = queries.observations(code, katos, source=source) if katos is None or katos else None
    if df is None or df.empty:
        return pd.DataFrame(columns=list(OBSERVATION_COLUMNS))
    if year_from is not None:
        df = df[df["year"] >= year_from]
    if year_to is not None:
        df = df[df["year"] <= year_to]
    if series is not None:
        df = df[df["series"] == series]
    names = queries.areas().set_index("kato")[list(NAMES)]
    named = names.reindex(df["area"])
    unit = (queries.indicator(code) or {}).get(f"unit_{lang}")
    if base is not None:
        unit = t("cp.unit", lang, year=base)
    out = df.assign(
        **{f"area_{k}": named[k].to_numpy() for k in NAMES},
        unit=unit,
        year_approx=df["year_approx"].astype(bool),
    )
    return out[list(OBSERVATION_COLUMNS)].reset_index(drop=True)


def _observations_csv(
    code: str,
    katos: tuple[str, ...] | None,
    year_from: int | None,
    year_to: int | None,
    series: str | None,
    source: str,
    lang: str,
    base: int | None = None,
) -> Response:
    """The observations as CSV, with an ETag (304 on ``If-None-Match``) and the last load's
    time as ``Last-Modified``; the whole answer is kept by the response cache (see the end
    of this module)."""
    df = observation_frame(code, katos, source, year_from, year_to, series, lang, base)
    if katos is None:  # the file name counts the indicator's areas
        katos = (
            tuple(queries.observations(code, None, source=source)["area"].unique())
            if source in ("preferred", "all")  # every source's readings: every area
            else tuple(queries.indicator_areas(code)["kato"])
        )
    body = export_csv.to_csv(df)
    response = attachment(body, MEDIA_TYPES["csv"], f"{_stem(code, katos)}.csv")
    response.set_etag(hashlib.sha256(body).hexdigest()[:32])
    package = _format_url("datapackage")
    response.headers["Link"] = f'<{package}>; rel="describedby"; type="application/json"'
    modified = _last_load()
    if modified is not None:
        response.last_modified = modified
    return response.make_conditional(request)


def _prices_meta(code: str, base: int, frame: pd.DataFrame, lang: str) -> dict[str, Any]:
    """What a constant-price answer adds to ``meta``: the base year, label, unit and formula,
    and the indices' sources among the sources."""
    derived = cp.constant_observations(code, tuple(dict.fromkeys(frame["area"])), base, lang)
    return {
        "prices": cp.prices_meta(code, base, lang),
        "unit": t("cp.unit", lang, year=base),
        "sources": _sources_meta([*frame["source"], *cp.index_sources(derived)], lang),
    }


def _format_url(fmt: str) -> str:
    """This request's address with ``format=fmt``."""
    args = [(k, v) for k, vs in request.args.lists() if k != "format" for v in vs]
    return f"{request.base_url}?{urlencode([*args, ('format', fmt)])}"


def _last_load() -> dt.datetime | None:
    """When the last load finished (UTC), the data's Last-Modified; None if unknown."""
    runs = queries.load_runs()
    if runs.empty:
        return None
    last = pd.to_datetime(runs["finished_at"], errors="coerce").max()
    return None if pd.isna(last) else last.to_pydatetime().replace(tzinfo=dt.UTC)


def _sources_meta(codes: Iterable[str], lang: str) -> list[dict[str, Any]]:
    """Each source (first-seen order): code, title, publisher, address, copy_address,
    license, tier."""
    wanted = list(dict.fromkeys(codes))
    df = queries.sources()
    by_code = {
        r["code"]: r
        for r in records(df[df["code"].isin(wanted)], (*SOURCE_REF_COLUMNS, "tier", "retrieved"))
    }
    out = []
    for code in wanted:
        if code in by_code:
            ref = by_code[code]
            tier = ref.get("tier")
            ref["tier_label"] = t(f"dl.tier.{tier}", lang) if tier in TIERS else None
            out.append(ref)
    return out


def _observations_meta(
    code: str,
    katos: tuple[str, ...],
    rows: list[dict[str, Any]],
    query: dict[str, Any],
    areas: Mapping[str, Mapping[str, str]],
) -> dict[str, Any]:
    """What the rows are and where they come from, in the shape :mod:`api.export_xlsx` writes
    into its Excel metadata sheet; with a citation and BibTeX for the request's URL."""
    lang = query["lang"]
    ind = queries.indicator(code) or {}
    years = sorted({r["year"] for r in rows})
    span = (
        ""
        if not years
        else f", {years[0]}"
        if years[0] == years[-1]
        else f", {years[0]}–{years[-1]}"
    )
    labels = area_labels(lang)
    shown = [labels.get(k, k) for k in katos[:3]]
    if len(katos) > 3:
        shown.append(f"+{len(katos) - 3}")
    exported = dt.datetime.now(dt.UTC).replace(microsecond=0)
    meta: dict[str, Any] = {
        "title": f"{ind.get(f'name_{lang}')}: {', '.join(shown)}{span}",
        "lang": lang,
        "indicator": {
            "code": code,
            "name": ind.get(f"name_{lang}"),
            "names": {k: ind.get(f"name_{k}") for k in LANGS},
            "unit": ind.get(f"unit_{lang}"),
            "units": {k: ind.get(f"unit_{k}") for k in LANGS},
            **{
                k: plain(ind.get(k), k in INT_COLUMNS)
                for k in (
                    "description",
                    "category",
                    "direction",
                    "sdg_id",
                    "decimals",
                    "kind",
                    "preferred_source",
                )
            },
        },
        "unit": ind.get(f"unit_{lang}"),
        "areas": [
            {
                "kato": k,
                "name": areas.get(k, {}).get(f"name_{lang}", k),
                "name_en": areas.get(k, {}).get("name_en", k),
                "level": areas.get(k, {}).get("level"),
            }
            for k in katos
        ],
        "years": {"first": years[0] if years else None, "last": years[-1] if years else None},
        "source_mode": "all" if query["source"] == "all" else "preferred",
        "sources": _sources_meta((r["source"] for r in rows), lang),
        "query": query,
        "count": len(rows),
        "exported": exported.isoformat(),
        "data_version": queries.data_version(),
        "url": request.url,
    }
    meta["citation"] = export_citation.citation(meta, lang, request.url, exported)
    meta["bibtex"] = export_citation.bibtex(meta, lang, request.url, exported)
    return meta


# The answer depends only on the address, the data and the day: kept whole (compressed), so a
# repeated request skips the query, the records, the JSON and the compression.
response_cache.cacheable_get(f"{PREFIX}/observations")
