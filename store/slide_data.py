"""What a slide needs to be drawn, gathered from the indicator store as plain JSON.

:func:`slide_data` gives, per slide kind, the observations, targets, the indicator's
metadata, area names, sources and boundaries; a frozen deck keeps it (:mod:`store.deck_freeze`).
"""

from __future__ import annotations

import json
import logging

import pandas as pd

from store import queries
from store.area_labels import LANGS, area_names, labels_of
from store.deck_kinds import COUNTRY, DEFAULT_PARENT

log = logging.getLogger(__name__)


def slide_data(kind: str, params: dict) -> dict:
    """Everything a slide needs to be drawn, from the indicator store, as plain JSON."""
    try:
        if not queries.is_ready():
            return {"missing_database": True}
        return _GATHER[kind](params)
    except Exception:  # noqa: BLE001 - one slide's failure must not take the deck down
        log.exception("decks: could not gather data for a %s slide %s", kind, params)
        return {"error": True}


def _records(df: pd.DataFrame, columns: list[str] | None = None) -> list[dict]:
    if columns is not None:
        df = df[[c for c in columns if c in df]]
    return json.loads(df.to_json(orient="records", double_precision=15)) if len(df) else []


def _plain(row: dict | None) -> dict | None:
    if row is None:
        return None
    return json.loads(pd.Series(row, dtype=object).to_json(double_precision=15))


OBS_COLUMNS = [
    "area",
    "year",
    "series",
    "value",
    "status",
    "year_approx",
    "source",
    "other_sources",
]
TARGET_COLUMNS = [
    "program",
    "area",
    "target_year",
    "comparator",
    "value",
    "baseline_year",
    "baseline_value",
    "source",
    "program_kk",
    "program_ru",
    "program_en",
    "set_for",
    "legal_ref",
    "legal_ref_kk",
    "legal_ref_ru",
    "source_publisher",
    "source_publisher_kk",
    "source_publisher_ru",
]


def _names(codes: list[str]) -> dict[str, dict]:
    """{KATO: its display label per language (with its oblast when the name is not unique),
    level and parent} of the known areas among ``codes``."""
    df = area_names()
    labels = {lang: labels_of(df, lang) for lang in LANGS}
    info = df.set_index("kato")
    return {
        kato: {lang: labels[lang][kato] for lang in LANGS}
        | {"level": info.at[kato, "level"], "parent": _plain_value(info.at[kato, "parent"])}
        for kato in dict.fromkeys(codes)
        if kato in info.index
    }


def _plain_value(value: object) -> object:
    return None if pd.isna(value) else value


def _sources(codes: list[str]) -> dict[str, dict]:
    out = {}
    for code in dict.fromkeys(c for c in codes if isinstance(c, str)):
        info = queries.source(code) or {}
        keys = ("title", "publisher", "publisher_kk", "publisher_ru", "address", "copy_address")
        keys += ("tier", "license")
        out[code] = {k: info.get(k) for k in keys}
    return _plain(out) or {}


def _series_data(
    indicator: str, areas: tuple[str, ...], source: str = "preferred", program: str | None = None
) -> dict:
    obs = queries.observations(indicator, areas, source)
    targets = queries.targets(indicator_code=indicator)
    targets = targets[targets["area"].isin(areas)]
    if program:
        targets = targets[targets["program"] == program]
    return {
        "indicator": _plain(queries.indicator(indicator)),
        "observations": _records(obs, OBS_COLUMNS),
        "targets": _records(targets, TARGET_COLUMNS),
        "areas": _names(list(areas)),
        "sources": _sources([*obs["source"], *targets["source"]]),
    }


def _gather_title(params: dict) -> dict:
    return {"areas": _names([params["area"]]) if params.get("area") else {}}


def _gather_target(params: dict) -> dict:
    return _series_data(params["indicator"], (params["area"],), program=params.get("program"))


def _gather_chart(params: dict) -> dict:
    areas = (params["area"], *[a for a in params.get("compare", []) if a != params["area"]])
    return _series_data(params["indicator"], areas, params.get("source", "preferred"))


def _gather_map(params: dict) -> dict:
    level = params.get("level", "district")
    parent = params.get("parent", DEFAULT_PARENT)
    scope = COUNTRY if level == "oblast" else parent
    values = queries.observations_in(params["indicator"], scope)
    years = sorted(int(y) for y in values["year"].unique())
    year = params.get("year") if params.get("year") in years else (years[-1] if years else None)
    vintages = queries.boundary_vintages(level)
    before = [v for v in vintages if year is not None and v <= year]
    vintage = before[-1] if before else (vintages[0] if vintages else None)
    shapes = (
        queries.boundaries(level, parent=scope, vintage=vintage)
        if vintage
        else pd.DataFrame(columns=["area", "geojson"])
    )
    kids = queries.areas(parent=scope)
    return {
        "indicator": _plain(queries.indicator(params["indicator"])),
        "values": _records(values, OBS_COLUMNS),
        "year": year,
        "boundaries": _records(shapes, ["area", "geojson"]),
        "units": list(kids["kato"]),
        "areas": _names([scope, *kids["kato"]]),
        "sources": _sources(list(values["source"])),
    }


def _gather_compare(params: dict) -> dict:
    areas = params.get("areas") or list(
        queries.areas(parent=params.get("parent", DEFAULT_PARENT))["kato"]
    )
    obs = queries.observations(params["indicator"], tuple(areas))
    return {
        "indicator": _plain(queries.indicator(params["indicator"])),
        "observations": _records(obs, OBS_COLUMNS),
        "units": list(areas),
        "areas": _names(list(areas)),
        "sources": _sources(list(obs["source"])),
    }


def _gather_nothing(params: dict) -> dict:
    return {}


_GATHER = {
    "title": _gather_title,
    "target": _gather_target,
    "chart": _gather_chart,
    "map": _gather_map,
    "compare": _gather_compare,
    "text": _gather_nothing,
    "closing": _gather_nothing,
}
