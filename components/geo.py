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
