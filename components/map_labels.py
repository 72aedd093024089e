"""Names written on a map picture: the largest areas, each at the centre of its largest
polygon. Pure: boundaries (``area, geojson``) and sizes (``area, km2``) come as arguments."""

from __future__ import annotations

import json

import pandas as pd

LABELS = 12  # areas named on a picture of the map, the largest first
LABEL_COLOUR = "#1a1a1a"
WIDTH, HEIGHT = 0.12, 0.06  # a label's room, as shares of the labelled points' span


def _ring_centre(ring: list[list[float]]) -> tuple[float, float, float]:
    """(|area|, lon, lat) of a closed ring's centroid, in degrees (planar: for a label)."""
    a = cx = cy = 0.0
    for (x0, y0), (x1, y1) in zip(ring, ring[1:], strict=False):
        cross = x0 * y1 - x1 * y0
        a += cross
        cx += (x0 + x1) * cross
        cy += (y0 + y1) * cross
    if a == 0:
        xs, ys = [p[0] for p in ring], [p[1] for p in ring]
        return 0.0, sum(xs) / len(xs), sum(ys) / len(ys)
    return abs(a) / 2, cx / (3 * a), cy / (3 * a)


def label_point(geojson: str | dict) -> tuple[float, float] | None:
    """(lon, lat) of the centre of a (Multi)Polygon's largest exterior ring."""
    geometry = json.loads(geojson) if isinstance(geojson, str) else geojson
    kind = (geometry or {}).get("type")
    polygons = {"Polygon": lambda c: [c], "MultiPolygon": lambda c: c}.get(kind)
    if polygons is None:
        return None
    rings = [p[0] for p in polygons(geometry["coordinates"]) if p and len(p[0]) > 2]
    if not rings:
        return None
    _, lon, lat = max((_ring_centre(r) for r in rings), key=lambda c: c[0])
    return lon, lat


def largest_labels(
    boundaries: pd.DataFrame, sizes: pd.DataFrame, names: dict[str, str], n: int = LABELS
) -> dict | None:
    """A text-only ``scattergeo`` trace naming the ``n`` largest areas (by ``sizes``' km²)
    of ``boundaries`` whose names do not overlap a larger one's, or None when none can be
    placed."""
    drawn = boundaries[["area", "geojson"]].drop_duplicates("area")
    km2 = sizes.drop_duplicates("area", keep="last").set_index("area")["km2"]
    drawn = drawn.assign(km2=drawn["area"].map(km2)).dropna(subset=["km2"])
    drawn = drawn.sort_values("km2", ascending=False, kind="stable")
    points = {a: label_point(g) for a, g in zip(drawn["area"], drawn["geojson"], strict=True)}
    placed = [p for p in points.values() if p is not None]
    if not placed:
        return None
    # a label takes about a tenth of the map's width and a twentieth of its height
    wide = (max(p[0] for p in placed) - min(p[0] for p in placed)) * WIDTH
    high = (max(p[1] for p in placed) - min(p[1] for p in placed)) * HEIGHT
    lon, lat, text = [], [], []
    for area, point in points.items():
        if point is None or len(text) >= n:
            continue
        if any(
            abs(point[0] - x) < wide and abs(point[1] - y) < high
            for x, y in zip(lon, lat, strict=True)
        ):
            continue  # it would overlap a larger area's name
        lon.append(point[0])
        lat.append(point[1])
        text.append(names.get(area, area))
    if not text:
        return None
    return {
        "type": "scattergeo",
        "mode": "text",
        "lon": lon,
        "lat": lat,
        "text": text,
        "textfont": {"size": 11, "color": LABEL_COLOUR},
        "hoverinfo": "skip",
        "showlegend": False,
        "name": "",
    }
