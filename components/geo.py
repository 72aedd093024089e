"""Boundary rows -> a GeoJSON FeatureCollection for Plotly's geo choropleths."""

from __future__ import annotations

import json
import math
from collections.abc import Iterable, Mapping

import pandas as pd


def feature_collection(rows: pd.DataFrame | Iterable[Mapping]) -> dict:
    """A FeatureCollection with one Feature per row, its ``id`` the row's KATO code.

    Each row has ``area`` (KATO) and ``geojson`` (a geometry string, as stored in the
    ``boundaries`` table); any other keys become the feature's properties. Use it with
    ``featureidkey="id"`` and the KATO codes as ``locations``.
    """
    records = rows.to_dict("records") if isinstance(rows, pd.DataFrame) else rows
    features = []
    for row in records:
        properties = {k: _plain(v) for k, v in row.items() if k != "geojson"}
        features.append(
            {
                "type": "Feature",
                "id": str(row["area"]),
                "geometry": json.loads(row["geojson"]),
                "properties": properties,
            }
        )
    return {"type": "FeatureCollection", "features": features}


def _plain(value: object) -> object:
    """JSON-safe: missing values (NaN, NA, NaT) become None."""
    if value is None or value is pd.NA or value is pd.NaT:
        return None
    if isinstance(value, float) and math.isnan(value):
        return None
    return value


def bounds(geojsons: Iterable[str | dict | None], pad: float = 0.02) -> dict | None:
    """The ``lonaxis`` and ``lataxis`` ranges of a plotly geo that frame ``geojsons`` (GeoJSON
    geometries, text or parsed) with ``pad`` of their span on each side, or None without any
    coordinate: the map then fills its canvas (plotly's ``fitbounds`` leaves wide margins)."""
    lons: list[float] = []
    lats: list[float] = []

    def walk(c: object) -> None:
        if isinstance(c, list) and c and isinstance(c[0], int | float):
            lons.append(float(c[0]))
            lats.append(float(c[1]))
        elif isinstance(c, list):
            for part in c:
                walk(part)

    for g in geojsons:
        if isinstance(g, str):
            g = json.loads(g)
        if isinstance(g, dict):
            walk(g.get("coordinates"))
    if not lons:
        return None
    dx, dy = (max(lons) - min(lons)) * pad, (max(lats) - min(lats)) * pad
    return {
        "lonaxis": {"range": [min(lons) - dx, max(lons) + dx]},
        "lataxis": {"range": [min(lats) - dy, max(lats) + dy]},
    }
