"""Values derived during `etl build` from what is already stored.

The protected-area share of a district: the legal area of the protected areas it holds
(`data/mappings/protected_area_share_derived.csv`, each with its source and excerpt) divided
by the district's area computed from its stored boundary in an equal-area projection.
Without a stored boundary nothing is derived and the build says so: the area is never guessed.
"""

from __future__ import annotations

import json
import logging
from pathlib import Path

import geopandas as gpd
import pandas as pd
import shapely.geometry
from sqlalchemy import Engine, func, select

from etl.batch import Batch, file_checksum, observations_frame
from store import schema

log = logging.getLogger(__name__)

FORMAT = "derived"
EQUAL_AREA_CRS = "EPSG:6933"  # WGS 84 / NSIDC EASE-Grid 2.0 Global (equal-area)
RECIPE_COLUMNS = [
    "indicator",
    "area",
    "protected_ha",
    "protected_name",
    "source",
    "excerpt",
    "location",
    "note",
]


def boundary_area_ha(geojson: str) -> float:
    """Area in hectares of a GeoJSON geometry (WGS 84 lon/lat), computed in EPSG:6933."""
    geom = shapely.geometry.shape(json.loads(geojson))
    series = gpd.GeoSeries([geom], crs="EPSG:4326").to_crs(EQUAL_AREA_CRS)
    return float(series.area.iloc[0]) / 10_000


def stored_boundary(engine: Engine, kato: str) -> tuple[int, str, str] | None:
    """(vintage, geojson, source) of the latest stored boundary of an area, or None."""
    b = schema.boundaries
    with engine.connect() as conn:
        vintage = conn.execute(select(func.max(b.c.vintage)).where(b.c.area == kato)).scalar()
        if vintage is None:
            return None
        row = conn.execute(
            select(b.c.geojson, b.c.source).where(b.c.area == kato, b.c.vintage == vintage)
        ).one()
    return int(vintage), row.geojson, row.source


def protected_share_batch(engine: Engine, recipe: Path) -> Batch:
    """A batch of derived protected-area shares, one per recipe row whose area has a boundary.

    Rows whose area has no stored boundary are not derived; each gets a warning on the batch.
    """
    batch = Batch(file=str(recipe), format=FORMAT, checksum=file_checksum(recipe))
    df = pd.read_csv(recipe, dtype=str, keep_default_na=False, encoding="utf-8-sig")
    missing = [c for c in RECIPE_COLUMNS if c not in df.columns]
    if missing:
        batch.error(1, None, f"missing column(s) {', '.join(missing)} (expected {RECIPE_COLUMNS})")
        return batch
    batch.rows_read = len(df)
    rows = []
    for i, r in enumerate(df.to_dict("records"), start=2):
        try:
            protected_ha = float(r["protected_ha"])
        except ValueError:
            batch.error(i, "protected_ha", f"{r['protected_ha']!r} is not a number")
            continue
        found = stored_boundary(engine, r["area"])
        if found is None:
            batch.rows_skipped += 1
            batch.warnings.append(
                f"{recipe.name}, row {i}: no stored boundary for {r['area']}: its derived "
                f"{r['indicator']} is not stored (the area is never guessed)"
            )
            continue
        vintage, geojson, boundary_source = found
        area_ha = boundary_area_ha(geojson)
        share = protected_ha / area_ha * 100
        rows.append(
            {
                "indicator": r["indicator"],
                "area": r["area"],
                "year": vintage,
                "series": "",
                "value": round(share, 2),
                "status": "derived",
                "year_approx": True,
                "source": r["source"],
                "note": (
                    f"Derived: {protected_ha:,.0f} ha ({r['protected_name']}; source "
                    f"{r['source']}) / {area_ha:,.0f} ha (the area's boundary, vintage {vintage}, "
                    f"source {boundary_source}, area computed in {EQUAL_AREA_CRS}) x 100 = "
                    f"{share:.4f} %, rounded to 0.01. The year is the boundary's vintage: the "
                    f"protected area's own figure is undated. {r['note']}"
                ),
                "excerpt": r["excerpt"],
                "location": r["location"],
                "_row": i,
            }
        )
    batch.observations = observations_frame(rows)
    return batch


__all__ = ["EQUAL_AREA_CRS", "boundary_area_ha", "protected_share_batch", "stored_boundary"]
