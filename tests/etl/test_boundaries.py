"""The boundaries adapter on geokz's own shapefiles (../shared/geo) and on small files in tmp_path."""

from __future__ import annotations

import json

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
import shapely

from components.geo import feature_collection
from etl.adapters import boundaries, by_format, detect
from etl.areas import default_resolver
from tests.conftest import SHARED

SHARED_GEO = SHARED / "geo"
ORIGINAL = SHARED_GEO / "original"
REFERENCE_ADM2 = SHARED_GEO / "kaz_admbnda_adm2_2024_simplified.geojson"
# The equal-area projection SOURCE.md computed its areas in.
ALBERS = "+proj=aea +lat_1=45 +lat_2=51 +lon_0=67 +datum=WGS84 +units=m +no_defs"
KYZYLORDA_DISTRICTS = {
    "431000000",
    "431900000",
    "433200000",
    "433600000",
    "434000000",
    "434400000",
    "434600000",
    "434800000",
    "435200000",
}
SQUARE = {"type": "Polygon", "coordinates": [[[65, 44], [65, 45], [66, 45], [66, 44], [65, 44]]]}


def need(path):
    if not path.exists():
        pytest.skip(f"{path} is absent: the geokz files are read from ../shared/geo")


@pytest.fixture(scope="module")
def resolver():
    return default_resolver()


@pytest.fixture(scope="module")
def folder_batch(resolver):
    """All four geokz shapefiles, processed once for the module."""
    need(ORIGINAL / "kaz_admbnda_adm2_2024.shp")
    return boundaries.read(ORIGINAL, resolver=resolver, options={})


@pytest.fixture(scope="module")
def reference_adm2():
    need(REFERENCE_ADM2)
    return gpd.read_file(REFERENCE_ADM2)


def rows_of(batch, level, vintage):
    return [r for r in batch.boundaries if r["level"] == level and r["vintage"] == vintage]


def as_series(rows):
    geoms = shapely.from_geojson([r["geojson"] for r in rows])
    return gpd.GeoSeries(geoms, index=[r["area"] for r in rows], crs=4326)


def write_geojson(path, features):
    """A FeatureCollection of (properties, geometry) pairs."""
    collection = {
        "type": "FeatureCollection",
        "features": [{"type": "Feature", "properties": p, "geometry": g} for p, g in features],
    }
    path.write_text(json.dumps(collection), encoding="utf-8")
    return path


def test_detect(tmp_path):
    assert by_format("boundaries") is boundaries
    assert not boundaries.detect(tmp_path)
    collection = write_geojson(tmp_path / "areas.json", [({"KATO": "431000000"}, SQUARE)])
    assert boundaries.detect(collection)
    assert boundaries.detect(collection.rename(tmp_path / "areas.geojson"))
    other = tmp_path / "other.json"
    other.write_text('{"type": "Feature"}', encoding="utf-8")
    assert not boundaries.detect(other)
    assert not boundaries.detect(tmp_path / "missing.shp")


def test_detects_the_geokz_folder():
    need(ORIGINAL)
    assert detect(ORIGINAL) is boundaries
    assert detect(ORIGINAL / "kaz_admbnda_adm1_2024.shp") is boundaries


def test_folder_reads_all_four_files(folder_batch, resolver):
    counts = pd.Series([(r["level"], r["vintage"]) for r in folder_batch.boundaries]).value_counts()
    assert counts[("oblast", 2018)] == 17
    assert counts[("oblast", 2024)] == 20
    assert counts[("district", 2024)] == 224
    assert counts[("district", 2018)] + len(folder_batch.errors) == 216
    assert folder_batch.rows_read == 17 + 20 + 216 + 224
    assert {r["source"] for r in folder_batch.boundaries} == {"geokz-1.0.2"}
    assert folder_batch.sources == [boundaries.SOURCE]
    # The 2018 districts moved to Abay, Zhetysu and Ulytau oblasts in 2022 kept codes that
    # data/areas.csv may not list; each is reported, never loaded under a wrong code.
    for error in folder_batch.errors:
        assert error.file.endswith("kaz_admbnda_adm2_2018.shp")
        assert error.column == "KATO" and error.row is not None
        assert "unknown KATO" in error.message
    assert all(r["area"] in resolver.parent_of for r in folder_batch.boundaries)


def test_source_row():
    source = boundaries.SOURCE
    assert source["retrieved"] == "commit 41c1a00454ec9e01bda031b5074920bd82de02ce"
    assert source["license"] == "CC BY 4.0"
    assert source["address"] == "https://github.com/arodionoff/geokz"
    for credit in ("OCHA HDX COD-AB", "UNHCR", "OpenStreetMap", "Alexander Rodionov"):
        assert credit in source["note"]


def test_invalid_source_geometry_is_repaired_with_a_warning(folder_batch):
    [warning] = [w for w in folder_batch.warnings if "make_valid" in w]
    assert "kaz_admbnda_adm2_2024.shp: feature 195 (KATO 623800000, Ulytau)" in warning
    assert "Self-intersection" in warning


def test_every_geometry_is_a_valid_clockwise_polygon(folder_batch):
    geoms = shapely.from_geojson([r["geojson"] for r in folder_batch.boundaries])
    assert shapely.is_valid(geoms).all()
    assert set(shapely.get_type_id(geoms)) <= {3, 6}
    polygons = shapely.get_parts(geoms)
    assert not shapely.is_ccw(shapely.get_exterior_ring(polygons)).any()
    holes = [
        shapely.get_interior_ring(p, i)
        for p in polygons
        for i in range(shapely.get_num_interior_rings(p))
    ]
    assert shapely.is_ccw(holes).all()


def test_geojson_is_compact_with_five_decimals(folder_batch):
    for row in rows_of(folder_batch, "district", 2024):
        text = row["geojson"]
        assert ", " not in text and ": " not in text
        coords = shapely.get_coordinates(shapely.from_geojson(text))
        np.testing.assert_array_equal(coords, np.round(coords, 5))


def test_kyzylorda_districts_agree_with_the_reference_copy(folder_batch, reference_adm2):
    mine = as_series(
        [r for r in rows_of(folder_batch, "district", 2024) if r["area"] in KYZYLORDA_DISTRICTS]
    )
    assert set(mine.index) == KYZYLORDA_DISTRICTS
    reference = reference_adm2.set_index("KATO").geometry.loc[mine.index]
    mine_km2 = mine.to_crs(ALBERS).area / 1e6
    reference_km2 = reference.to_crs(ALBERS).area / 1e6
    assert ((mine_km2 - reference_km2).abs() / reference_km2 < 0.005).all()
    assert mine_km2.sum() == pytest.approx(226_318, rel=0.005)
    # They tile: shared borders were simplified once, so nothing overlaps.
    union_km2 = shapely.union_all(mine.to_crs(ALBERS).values).area / 1e6
    assert mine_km2.sum() - union_km2 < 0.01


def test_vertices_about_halved_as_in_the_reference(folder_batch, reference_adm2):
    vertices = shapely.get_num_coordinates(
        as_series(rows_of(folder_batch, "district", 2024)).values
    )
    reference = shapely.get_num_coordinates(reference_adm2.geometry.values)
    assert vertices.sum() == pytest.approx(reference.sum(), rel=0.01)  # 63,004 -> ~31,100


def test_unknown_kato_names_file_row_and_column(tmp_path, resolver):
    path = write_geojson(
        tmp_path / "bad.geojson",
        [
            ({"KATO": "431000000", "ADM2_PCODE": "KZ431000", "Year": 2024}, SQUARE),
            ({"KATO": "439900000", "ADM2_PCODE": "KZ439900", "Year": 2024}, SQUARE),
            ({"KATO": "4310", "ADM2_PCODE": "KZ4310", "Year": 2024}, SQUARE),
        ],
    )
    batch = boundaries.read(path, resolver=resolver, options={})
    assert [(e.file, e.row, e.column) for e in batch.errors] == [
        (str(path), 2, "KATO"),
        (str(path), 3, "KATO"),
    ]
    assert "unknown KATO '439900000'" in str(batch.errors[0])
    assert "not a 9-digit code" in batch.errors[1].message
    assert [(r["area"], r["vintage"], r["level"]) for r in batch.boundaries] == [
        ("431000000", 2024, "district"),
    ]


def test_missing_kato_column_names_file_row_and_column(tmp_path, resolver):
    path = write_geojson(
        tmp_path / "no_kato.geojson",
        [
            ({"name": "Aral", "ADM1_PCODE": "KZ43", "Year": 2024}, SQUARE),
        ],
    )
    batch = boundaries.read(path, resolver=resolver, options={})
    [error] = batch.errors
    assert (error.file, error.row, error.column) == (str(path), 1, "KATO")
    assert "no KATO column" in error.message
    assert batch.boundaries == []


def test_level_and_vintage_from_options(tmp_path, resolver):
    path = write_geojson(tmp_path / "plain.geojson", [({"KATO": "430000000"}, SQUARE)])
    batch = boundaries.read(path, resolver=resolver, options={})
    assert "cannot tell the level" in batch.errors[0].message
    batch = boundaries.read(path, resolver=resolver, options={"level": "oblast", "vintage": "2024"})
    assert not batch.errors
    assert [(r["area"], r["vintage"], r["level"]) for r in batch.boundaries] == [
        ("430000000", 2024, "oblast"),
    ]


def test_year_that_contradicts_the_vintage_option(tmp_path, resolver):
    path = write_geojson(tmp_path / "y.geojson", [({"KATO": "430000000", "Year": 2018}, SQUARE)])
    batch = boundaries.read(path, resolver=resolver, options={"level": "oblast", "vintage": 2024})
    assert [(e.row, e.column) for e in batch.errors] == [(1, "Year")]


def test_bowtie_is_repaired_and_named(tmp_path, resolver):
    bowtie = {
        "type": "Polygon",
        "coordinates": [[[65, 44], [66, 45], [66, 44], [65, 45], [65, 44]]],
    }
    path = write_geojson(
        tmp_path / "bowtie.geojson",
        [
            (
                {"KATO": "433200000", "ADM2_EN": "Aral", "ADM2_PCODE": "KZ433200", "Year": 2024},
                bowtie,
            ),
        ],
    )
    batch = boundaries.read(path, resolver=resolver, options={})
    assert not batch.errors
    [warning] = batch.warnings
    assert f"{path}: feature 1 (KATO 433200000, Aral) was invalid" in warning
    geom = shapely.from_geojson(batch.boundaries[0]["geojson"])
    assert geom.is_valid and geom.geom_type == "MultiPolygon"
    assert geom.area == pytest.approx(0.5)


def test_geopackage_is_reprojected_to_wgs84(tmp_path, resolver):
    square = shapely.from_geojson(json.dumps(SQUARE))
    gdf = gpd.GeoDataFrame(
        {"KATO": ["433200000"], "ADM2_PCODE": ["KZ433200"], "Year": [2024]},
        geometry=[square],
        crs=4326,
    ).to_crs(3857)
    path = tmp_path / "aral.gpkg"
    gdf.to_file(path, driver="GPKG")
    assert boundaries.detect(path)
    batch = boundaries.read(path, resolver=resolver, options={})
    assert not batch.errors
    geom = shapely.from_geojson(batch.boundaries[0]["geojson"])
    np.testing.assert_allclose(geom.bounds, (65, 44, 66, 45), atol=1e-5)
    assert not shapely.is_ccw(geom.exterior)


def test_feature_collection_from_rows():
    rows = [{"area": "433200000", "geojson": json.dumps(SQUARE), "name": "Aral", "value": 1.5}]
    collection = feature_collection(rows)
    assert collection == {
        "type": "FeatureCollection",
        "features": [
            {
                "type": "Feature",
                "id": "433200000",
                "geometry": SQUARE,
                "properties": {"area": "433200000", "name": "Aral", "value": 1.5},
            }
        ],
    }


def test_feature_collection_from_a_frame_is_json_safe(folder_batch):
    frame = pd.DataFrame(rows_of(folder_batch, "oblast", 2024))
    frame["value"] = np.where(frame["area"] == "430000000", 3.0, np.nan)
    collection = feature_collection(frame)
    assert len(collection["features"]) == 20
    feature = next(f for f in collection["features"] if f["id"] == "430000000")
    assert feature["properties"]["value"] == 3.0 and feature["properties"]["vintage"] == 2024
    assert "geojson" not in feature["properties"]
    assert all(f["properties"]["value"] is None for f in collection["features"] if f is not feature)
    json.dumps(collection, allow_nan=False)


def test_land_area_is_computed_once_in_an_equal_area_projection(folder_batch):
    sizes = pd.DataFrame(folder_batch.area_sizes)
    levels = pd.DataFrame(folder_batch.boundaries)[["area", "vintage", "level"]]
    sizes = sizes.merge(levels, on=["area", "vintage"])
    assert len(sizes) == len(folder_batch.boundaries)
    assert set(sizes["source"]) == {"geokz-1.0.2"} and sizes["method"].str.contains("Albers").all()
    # Kazakhstan is 2 724 900 km²; the 1:1 million boundaries give it within 0.5 %
    for (_, _), g in sizes.groupby(["level", "vintage"]):
        assert g["km2"].sum() == pytest.approx(2_724_900, rel=0.005)
    aral = sizes[(sizes["area"] == "433200000") & (sizes["vintage"] == 2024)]["km2"].item()
    assert aral == pytest.approx(55_290, rel=0.01)
