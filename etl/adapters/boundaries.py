"""Administrative boundaries (geokz shapefiles, GeoJSON, GeoPackage) -> the ``boundaries`` table.

Each file (or GeoPackage layer) is one coverage: its features are joined on their
``KATO`` code, repaired with ``shapely.make_valid`` where invalid, simplified together
with ``shapely.coverage_simplify`` (shared borders are simplified once and stay identical),
rounded to 5 decimals (about 1 m) and oriented with clockwise exterior rings, the d3-geo
convention that Plotly's geo choropleths need (the opposite of RFC 7946).

The level is the file's: ``district`` when it has an ``ADM2_PCODE`` column, ``oblast`` when
it has ``ADM1_PCODE`` (ADM1 also holds the three republican cities), else the ``level``
option. The vintage is each feature's ``Year`` attribute, else the ``vintage`` option.
A folder is read when it holds geokz's ``kaz_admbnda_adm{1,2}_{2018,2024}.shp``.
"""

from __future__ import annotations

import hashlib
import logging
import re
import time
from collections.abc import Callable
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import pyogrio
import shapely

from etl.areas import Resolver
from etl.batch import Batch, LoadError
from etl.download import GEOKZ_COMMIT

logger = logging.getLogger(__name__)

FORMAT = "boundaries"
EXPECTS = "boundary files (.shp, .geojson, .gpkg) or a folder of geokz shapefiles"
SOURCE_CODE = "geokz-1.0.2"
TOLERANCE = 0.002  # degrees, for shapely.coverage_simplify
DECIMALS = 5  # about 1 m
LEVELS = ("oblast", "district")
GEOKZ_FILES = tuple(
    f"kaz_admbnda_adm{level}_{year}.shp" for level in (1, 2) for year in (2018, 2024)
)
SHAPEFILE_PARTS = (".shp", ".shx", ".dbf", ".prj", ".cpg")

SOURCE = {
    "code": SOURCE_CODE,
    "title": "geokz: administrative boundaries of Kazakhstan",
    "publisher": "Alexander Rodionov (geokz R package 1.0.2)",
    "address": "https://github.com/arodionoff/geokz",
    "license": "CC BY 4.0",
    "retrieved": f"commit {GEOKZ_COMMIT}",
    "tier": "C",
    "excerpt": None,
    "note": (
        "Administrative boundaries: geokz v1.0.2 by Alexander Rodionov "
        "(https://github.com/arodionoff/geokz), CC BY 4.0, based on OCHA HDX COD-AB Kazakhstan "
        "(https://data.humdata.org/dataset/cod-ab-kaz; source: UNHCR; some city polygons "
        "© OpenStreetMap contributors). Geometry simplified by the project's ETL "
        f"(coverage simplification, tolerance {TOLERANCE}°, coordinates rounded to "
        f"{DECIMALS} decimals). Scale 1:1 million: for thematic maps, not legal use."
    ),
}

_FEATURE_COLLECTION = re.compile(rb'"type"\s*:\s*"FeatureCollection"')
_KATO = re.compile(r"\d{9}")
_POLYGONAL = (shapely.GeometryType.POLYGON, shapely.GeometryType.MULTIPOLYGON)

ErrorFn = Callable[[int | None, str | None, str], None]


def detect(path: Path) -> bool:
    """True for a .shp/.geojson/.gpkg file, a GeoJSON .json, or a folder of geokz shapefiles."""
    path = Path(path)
    if path.is_dir():
        return any((path / name).is_file() for name in GEOKZ_FILES)
    suffix = path.suffix.lower()
    if suffix in (".shp", ".geojson", ".gpkg"):
        return path.is_file()
    if suffix == ".json" and path.is_file():
        with path.open("rb") as fh:
            return bool(_FEATURE_COLLECTION.search(fh.read(1 << 16)))
    return False


def read(path: Path, *, resolver: Resolver, options: dict) -> Batch:
    """Read, validate and simplify every boundary file under ``path`` into one Batch."""
    path = Path(path)
    batch = Batch(file=str(path), format=FORMAT, sources=[dict(SOURCE)])
    digest = hashlib.sha256()
    seen: dict[tuple[str, int], str] = {}  # (area, vintage) -> where it was first read
    for label, file, layer in _units(path, batch):
        for part in _parts(file):
            digest.update(part.name.encode())
            digest.update(part.read_bytes())
        gdf = pyogrio.read_dataframe(file, layer=layer)
        batch.rows_read += len(gdf)
        _read_coverage(batch, label, gdf, resolver, options, seen)
    batch.checksum = digest.hexdigest()
    return batch


def prepare(geoms: np.ndarray) -> np.ndarray:
    """Coverage-simplify valid (Multi)Polygons together, round to 5 decimals, orient clockwise.

    Rounding is that of a formatted number (like GDAL's COORDINATE_PRECISION); a feature
    whose rings collapse when rounded is snap-rounded with ``shapely.set_precision`` instead,
    which drops the collapsed rings and keeps it valid.
    """
    simplified = shapely.coverage_simplify(geoms, tolerance=TOLERANCE)
    rounded = shapely.transform(simplified, _round)
    broken = ~shapely.is_valid(rounded)
    rounded[broken] = shapely.set_precision(simplified[broken], 10.0**-DECIMALS)
    return shapely.orient_polygons(rounded, exterior_cw=True)


def _round(coords: np.ndarray) -> np.ndarray:
    # Correctly rounded decimals: np.round(x, 5) computes x * 1e5 and differs on near-halves.
    flat = [float(f"{v:.{DECIMALS}f}") for v in coords.ravel()]
    return np.array(flat, dtype=float).reshape(coords.shape)


def _units(path: Path, batch: Batch) -> list[tuple[str, Path, str | None]]:
    """(label for messages, file, layer) for every coverage to read."""
    if path.is_dir():
        found = [path / name for name in GEOKZ_FILES if (path / name).is_file()]
        missing = [name for name in GEOKZ_FILES if not (path / name).is_file()]
        if missing:
            batch.warnings.append(f"{path}: no {', '.join(missing)}; read the others only")
        return [(str(file), file, None) for file in found]
    if path.suffix.lower() == ".gpkg":
        layers = [str(name) for name, _ in pyogrio.list_layers(path)]
        if len(layers) > 1:
            return [(f"{path} (layer {layer})", path, layer) for layer in layers]
    return [(str(path), path, None)]


def _parts(file: Path) -> list[Path]:
    if file.suffix.lower() != ".shp":
        return [file]
    return [p for p in (file.with_suffix(s) for s in SHAPEFILE_PARTS) if p.is_file()]


def _read_coverage(
    batch: Batch,
    label: str,
    gdf: gpd.GeoDataFrame,
    resolver: Resolver,
    options: dict,
    seen: dict[tuple[str, int], str],
) -> None:
    """Validate one file's features and append its boundary rows to ``batch``."""
    started = time.perf_counter()
    errors_before = len(batch.errors)

    def error(row: int | None, column: str | None, message: str) -> None:
        batch.errors.append(LoadError(label, row, column, message))

    level = _level(gdf, options)
    if level is None:
        error(
            None,
            None,
            "cannot tell the level: no ADM2_PCODE or ADM1_PCODE column "
            "and no level option (oblast or district)",
        )
        return
    gdf = _to_wgs84(gdf, label, batch)
    if gdf is None:
        return

    katos = _katos(gdf, resolver, error)
    vintages = _vintages(gdf, options, error)
    geoms = np.array(gdf.geometry.values, dtype=object)
    usable = np.zeros(len(gdf), dtype=bool)
    for i, geom in enumerate(geoms):
        row = i + 1
        if geom is None or shapely.is_empty(geom):
            error(row, "geometry", "the feature has no geometry")
        elif shapely.get_type_id(geom) not in _POLYGONAL:
            error(row, "geometry", f"a {geom.geom_type}, not a (Multi)Polygon")
        else:
            if not shapely.is_valid(geom):
                reason = shapely.is_valid_reason(geom)
                geom = _polygonal(shapely.make_valid(geom))
                message = (
                    f"{label}: feature {row} ({_describe(gdf, i, katos[i])}) was invalid "
                    f"({reason}); repaired with make_valid"
                )
                batch.warnings.append(message)
                logger.warning(message)
            geoms[i] = geom
            usable[i] = True

    # Simplify every polygon of the file together, even those with a bad code, so that
    # the borders they share with good ones are simplified the same way.
    before = int(shapely.get_num_coordinates(geoms[usable]).sum())
    geoms[usable] = prepare(geoms[usable])
    after = int(shapely.get_num_coordinates(geoms[usable]).sum())

    bad_rows = {e.row for e in batch.errors[errors_before:]}
    rows = []
    for i, geom in enumerate(geoms):
        if not usable[i] or (i + 1) in bad_rows:
            continue
        if shapely.is_empty(geom):
            error(i + 1, "geometry", "the polygon vanished when simplified")
            continue
        key = (katos[i], vintages[i])
        if key in seen:
            error(i + 1, "KATO", f"KATO {key[0]} already has a {key[1]} boundary ({seen[key]})")
            continue
        seen[key] = f"{label}, row {i + 1}"
        rows.append(
            {
                "area": katos[i],
                "vintage": vintages[i],
                "level": level,
                "geojson": shapely.to_geojson(geom),
                "source": SOURCE_CODE,
            }
        )
    batch.boundaries.extend(rows)
    logger.info(
        "%s: %d features (%s), %d -> %d vertices, %d characters of GeoJSON, %.2f s",
        label,
        len(gdf),
        level,
        before,
        after,
        sum(len(r["geojson"]) for r in rows),
        time.perf_counter() - started,
    )


def _describe(gdf: pd.DataFrame, i: int, kato: str | None) -> str:
    names = [str(gdf[c].iloc[i]) for c in ("ADM2_EN", "ADM1_EN") if c in gdf.columns][:1]
    return ", ".join([f"KATO {kato}", *names])


def _level(gdf: pd.DataFrame, options: dict) -> str | None:
    if "ADM2_PCODE" in gdf.columns:
        return "district"
    if "ADM1_PCODE" in gdf.columns:
        return "oblast"
    level = options.get("level")
    return level if level in LEVELS else None


def _to_wgs84(gdf: gpd.GeoDataFrame, label: str, batch: Batch) -> gpd.GeoDataFrame | None:
    if gdf.crs is None:
        batch.warnings.append(f"{label}: no coordinate reference system; assumed EPSG:4326")
        gdf = gdf.set_crs(4326)
    elif gdf.crs.to_epsg() != 4326:
        logger.info("%s: reprojecting from %s to EPSG:4326", label, gdf.crs.to_string())
        gdf = gdf.to_crs(4326)
    minx, miny, maxx, maxy = gdf.total_bounds if len(gdf) else (0, 0, 0, 0)
    if not (-180 <= minx <= maxx <= 180 and -90 <= miny <= maxy <= 90):
        batch.errors.append(
            LoadError(
                label,
                None,
                "geometry",
                "coordinates are not longitude/latitude and the file "
                "declares no coordinate reference system",
            )
        )
        return None
    return gdf


def _katos(gdf: pd.DataFrame, resolver: Resolver, error: ErrorFn) -> list[str | None]:
    """Each feature's KATO code, or None after recording an error."""
    if "KATO" not in gdf.columns:
        columns = ", ".join(c for c in gdf.columns if c != "geometry") or "none"
        for row in range(1, len(gdf) + 1):
            error(row, "KATO", f"no KATO code: the file has no KATO column (columns: {columns})")
        return [None] * len(gdf)
    katos: list[str | None] = []
    for row, value in enumerate(gdf["KATO"], start=1):
        kato = _code(value)
        if kato is None:
            error(row, "KATO", "no KATO code")
        elif not _KATO.fullmatch(kato):
            error(row, "KATO", f"KATO {kato!r} is not a 9-digit code")
            kato = None
        elif kato not in resolver.parent_of:
            error(row, "KATO", f"unknown KATO {kato!r}: not in the areas table (data/areas.csv)")
            kato = None
        katos.append(kato)
    return katos


def _code(value: object) -> str | None:
    if value is None or (isinstance(value, float) and np.isnan(value)) or value is pd.NA:
        return None
    if isinstance(value, (int, np.integer)) or (isinstance(value, float) and value.is_integer()):
        return str(int(value))
    return str(value).strip() or None


def _vintages(gdf: pd.DataFrame, options: dict, error: ErrorFn) -> list[int | None]:
    option = options.get("vintage")
    if option is not None:
        option = int(option)
    values = gdf["Year"] if "Year" in gdf.columns else [None] * len(gdf)
    vintages: list[int | None] = []
    for row, value in enumerate(values, start=1):
        year = _code(value)
        if year is None:
            if option is None:
                error(row, "Year", "no Year and no vintage option")
            vintages.append(option)
        elif not re.fullmatch(r"\d{4}", year):
            error(row, "Year", f"Year {year!r} is not a year")
            vintages.append(None)
        elif option is not None and int(year) != option:
            error(row, "Year", f"Year {year} differs from the vintage option {option}")
            vintages.append(None)
        else:
            vintages.append(int(year))
    return vintages


def _polygonal(geom: shapely.Geometry) -> shapely.Geometry:
    """The (Multi)Polygon part of what make_valid returned (it may add lines or points)."""
    if shapely.get_type_id(geom) in _POLYGONAL:
        return geom
    polygons, pending = [], list(shapely.get_parts(geom))
    while pending:
        part = pending.pop(0)
        kind = shapely.get_type_id(part)
        if kind == shapely.GeometryType.POLYGON:
            polygons.append(part)
        elif kind in (shapely.GeometryType.MULTIPOLYGON, shapely.GeometryType.GEOMETRYCOLLECTION):
            pending.extend(shapely.get_parts(part))
    return polygons[0] if len(polygons) == 1 else shapely.multipolygons(polygons)
