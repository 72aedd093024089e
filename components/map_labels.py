"""Names written on a map picture: the largest areas, each at the centre of its largest
polygon. Pure: boundaries (``area, geojson``) and sizes (``area, km2``) come as arguments."""

from __future__ import annotations

import json
import math

import pandas as pd

from components.geo import bounds

LABELS = 12  # areas named on a picture of the map, the largest first
LABEL_COLOUR = "#1a1a1a"
# A label's room: 11 px type is about 6.5 px a character and 16 px a line, on a map about
# 900 x 480 px (the 1200 x 675 picture less its title, footer and colour bar).
CHAR_PX, LINE_PX, MAP_PX = 6.5, 16, (900, 480)
SMALLEST = 0.02  # areas under 2 % of the largest one's km² (cities) are not named


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


def _y(lat: float) -> float:
    """Mercator's y of a latitude, in degrees (as plotly's mercator draws it)."""
    return math.degrees(math.log(math.tan(math.pi / 4 + math.radians(lat) / 2)))


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
    drawn = drawn[drawn["km2"] >= drawn["km2"].max() * SMALLEST]  # no city inside a district
    frame = bounds(boundaries["geojson"], pad=0)
    if frame is None:
        return None
    (x0, x1), (y0, y1) = frame["lonaxis"]["range"], frame["lataxis"]["range"]
    # pixels per degree of the Mercator map fitted into MAP_PX (y in Mercator degrees)
    px = min(MAP_PX[0] / max(x1 - x0, 1e-9), MAP_PX[1] / max(_y(y1) - _y(y0), 1e-9))
    per_char, high = CHAR_PX / px, LINE_PX / px
    lon, lat, text = [], [], []
    for area, geojson in zip(drawn["area"], drawn["geojson"], strict=True):
        point = label_point(geojson) if isinstance(geojson, str | dict) else None
        name = names.get(area, area)
        if point is None or len(text) >= n:
            continue
        half = len(name) * per_char / 2
        if any(
            abs(point[0] - x) < half + len(other) * per_char / 2
            and abs(_y(point[1]) - _y(y)) < high
            for x, y, other in zip(lon, lat, text, strict=True)
        ):
            continue  # it would overlap a larger area's name
        lon.append(point[0])
        lat.append(point[1])
        text.append(name)
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
