"""A chart's data as exported: its observations as stored (values as published; computed
ones rounded, see :mod:`api.export_columns`), each area's oblast, and a metadata dict saying what they are, in the chosen language, where they come
from (every source with its address and license), when they were exported and how to cite
them; :func:`render_data` writes it as CSV, Excel or JSON."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

import pandas as pd

from api import export_columns as columns
from api.export_citation import bibtex, citation
from api.export_csv import to_csv
from api.export_json import to_json
from api.export_xlsx import to_xlsx
from api.exports import COLUMNS, MODE_COLUMNS, ChartData, plain, utc_now
from components import maps
from components.figures import transform
from components.i18n import LANGS, localized, t
from store import queries
from views import changes, constant_prices
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
    map_per_factor,
    map_units,
    map_values,
    reading_notes,
)


def _indicator_meta(code: str, lang: str) -> dict[str, Any]:
    info = queries.indicator(code) or {"code": code}
    return {
        "code": code,
        "name": info.get(f"name_{lang}"),
        "names": {k: info.get(f"name_{k}") for k in LANGS},
        "unit": info.get(f"unit_{lang}"),
        "units": {k: info.get(f"unit_{k}") for k in LANGS},
        "description": plain(info.get("description")),
        "category": info.get("category"),
        "direction": info.get("direction"),
        "sdg_id": plain(info.get("sdg_id")),
        "decimals": plain(info.get("decimals")),
        "kind": plain(info.get("kind")),
        "preferred_source": plain(info.get("preferred_source")),
    }


def _area_meta(kato: str, lang: str, info: dict | None = None) -> dict[str, Any]:
    """The area's code, names and level (``info``: its row of the area table, if at hand)."""
    info = info or queries.area(kato) or {}
    return {
        "kato": kato,
        "name": info.get(f"name_{lang}", kato),
        "name_en": info.get("name_en", kato),
        "level": info.get("level"),
    }


def _areas_meta(katos: Iterable[str], scope: str, lang: str) -> list[dict[str, Any]]:
    """:func:`_area_meta` of each of ``katos``, the areas under ``scope`` read in one query."""
    rows = queries.areas(parent=scope).set_index("kato").to_dict("index")
    return [_area_meta(k, lang, rows.get(k)) for k in katos]


def sources_meta(codes: list[str], lang: str) -> list[dict[str, Any]]:
    """Each source of ``codes`` (first-seen order): title, publisher, its two addresses
    (official, copy read), license, tier and its label, retrieval."""
    out = []
    for code in dict.fromkeys(c for c in codes if isinstance(c, str)):
        info = queries.source(code) or {}
        tier = info.get("tier")
        out.append(
            {
                "code": code,
                "title": plain(info.get("title")),
                "publisher": plain(localized(info, "publisher", lang) or None),
                "address": plain(info.get("address")),
                "copy_address": plain(info.get("copy_address")),
                "license": plain(localized(info, "license", lang) or None),
                "tier": plain(tier),
                "tier_label": t(f"dl.tier.{tier}", lang) if tier in ("A", "B", "C", "S") else None,
                "retrieved": plain(info.get("retrieved")),
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
                | {k: plain(h[k]) for k in ("revised_at", "kind", "old_value", "new_value")}
            )
    return out


def _frame(
    obs: pd.DataFrame, indicator: str, unit: str, names: dict[str, str], lang: str
) -> pd.DataFrame:
    """Store rows -> the export's columns, values as published (float noise cut), with each
    area's oblast and the status in ``lang``."""
    oblast, oblast_name = columns.oblast_of(obs["area"].astype(str), lang)
    return pd.DataFrame(
        {
            "indicator": indicator,
            "area": obs["area"].astype(str),
            "area_name": [names.get(a, a) for a in obs["area"]],
            "oblast": oblast,
            "oblast_name": oblast_name,
            "year": obs["year"].astype("Int64"),
            "series": obs["series"].fillna("").astype(str),
            "value": columns.published(obs["value"]),
            "unit": unit,
            "status": obs["status"],
            "status_label": columns.status_labels(obs["status"], lang),
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
    df = _frame(d.observations, q.indicator, unit, d.names, lang)
    if q.mode in MODE_COLUMNS:
        by = ("area", "series", "source") if q.source == "all" else ("area", "series")
        moded = transform(d.observations, q.mode, by)["value"]
        moded = moded.reindex(df.index).astype(float).round(columns.PCT_DECIMALS)
        df.insert(COLUMNS.index("value") + 1, MODE_COLUMNS[q.mode], moded)
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
        "sources": sources_meta(
            [*df["source"], *constant_prices.index_sources(d.observations), *targets["source"]],
            lang,
        ),
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
                "baseline_year": plain(tg.baseline_year),
                "baseline_value": plain(tg.baseline_value),
                "source": tg.source,
                "note": plain(tg.note),
                **columns.target_status(tg, q.indicator, lang),
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
    if q.prices == "constant" and q.base is not None:
        meta["prices"] = constant_prices.prices_meta(q.indicator, q.base, lang)
        meta["mode"], meta["mode_label"] = constant_prices.MODE, meta["prices"]["label"]
        meta["query"] |= {"mode": constant_prices.MODE, "base": q.base}
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
    df = _frame(now, q.indicator, info[f"unit_{lang}"], names, lang)
    raw = queries.indicator(q.indicator) or {}
    factor = map_per_factor(q)
    if q.normalize:  # a computed value: see api.export_columns for the precision
        df["value"] = columns.per_unit(df["value"], raw.get("decimals"), factor)
    at = COLUMNS.index("value") + 1
    df.insert(at, "rank", ranked["rank"].to_numpy())
    if q.since is not None:
        change = ranked["change"].astype(float)
        change = (
            columns.per_unit(change, raw.get("decimals"), factor)
            if q.normalize
            else columns.published(change)
        )
        pct = ranked["change_pct"].astype(float).round(columns.PCT_DECIMALS)
        df.insert(at + 1, f"change_since_{q.since}", change.to_numpy())
        df.insert(at + 2, f"change_pct_since_{q.since}", pct.to_numpy())
    if q.normalize:
        per = "persons" if q.normalize == "per_capita" else "km2"
        denominator = now["denominator"].astype(float).round(columns.DENOMINATOR_DECIMALS[per])
        extra = {
            "raw_value": columns.published(now["raw_value"]).to_numpy(),
            "raw_unit": raw[f"unit_{lang}"],
            f"denominator_{per}": denominator.to_numpy(),
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
        "areas": _areas_meta(df["area"], q.scope, lang),
        "areas_without_data": _areas_meta(missing, q.scope, lang),
        "years": {"first": q.year, "last": q.year},
        "years_available": list(q.years),
        "normalize": q.normalize,
        "formula": map_formula(q) or None,
        "scale": q.scale,
        "since": q.since,
        "mode": "absolute",
        "source_mode": "preferred",
        "sources": sources_meta(
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


def render_data(chart: ChartData, fmt: str, variant: str = "csv") -> bytes:
    """``chart`` in ``fmt`` (csv, xlsx or json); ``variant`` "csv-excel" for Excel's CSV."""
    if fmt == "csv":
        return to_csv(chart.df, chart.meta, excel=variant == "csv-excel")
    writers = {"xlsx": to_xlsx, "json": to_json}
    return writers[fmt](chart.df, chart.meta)
