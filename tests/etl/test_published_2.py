"""Issue 14: the published-2 figures, the new targets and the derived district protected-area share,
read back from a database built by `python -m etl build` (the session's web_db, with the real
boundaries from ../shared when they are there)."""

from __future__ import annotations

import csv
import json
import math
from pathlib import Path

import pytest
import shapely
import shapely.geometry
from pyproj import Geod, Transformer
from sqlalchemy import create_engine, select

from etl.derive import protected_share_batch
from etl.load import ensure_schema
from store import schema
from tests.conftest import ROOT, SHARED

CURATED = ROOT / "data" / "curated"
PUBLISHED_2 = CURATED / "published-2"
FIGURES_2 = SHARED / "data-sources" / "published_figures_2.csv"
RECIPE = ROOT / "data" / "mappings" / "protected_area_share_derived.csv"
ARAL, KZ = "433200000", "000000000"
# rows whose year was worked out, not stated: (indicator, area, year)
FLAGGED = {
    ("salt_extraction", ARAL, 2018),
    ("fish_fry_rescued", "430000000", 2025),
    ("fish_fry_rescued", "430000000", 2024),
    ("fish_exports_jan_jun", "430000000", 2019),
    ("fish_processed", ARAL, 2010),
    ("protected_area_share", KZ, 2016),
    ("industrial_output_manufacturing", "430000000", 2022),
}


def read(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8-sig", newline="") as fh:
        return list(csv.DictReader(fh))


def sources_by_code() -> dict[str, dict[str, str]]:
    return {r["code"]: r for f in CURATED.glob("*/sources.csv") for r in read(f)}


@pytest.fixture(scope="module")
def figures_2() -> list[dict[str, str]]:
    if not FIGURES_2.is_file():
        pytest.skip(f"published_figures_2.csv not found at {FIGURES_2} (../shared)")
    return read(FIGURES_2)


@pytest.fixture(scope="module")
def db(web_db: str):
    engine = create_engine(web_db)
    yield engine
    engine.dispose()


def stored(db, indicator: str, area: str, year: int, source: str) -> dict:
    o = schema.observations
    with db.connect() as conn:
        rows = conn.execute(
            select(o).where(
                o.c.indicator == indicator,
                o.c.area == area,
                o.c.year == year,
                o.c.source == source,
                o.c.series == "",
            )
        ).all()
    assert len(rows) == 1, (indicator, area, year, source, rows)
    return dict(rows[0]._mapping)


def test_every_new_figure_reads_back_exactly_with_its_excerpt(db, figures_2):
    sources = sources_by_code()
    rows = read(PUBLISHED_2 / "observations.csv")
    assert len(rows) == 12
    for r in rows:
        got = stored(db, r["indicator"], r["area"], int(r["year"]), r["source"])
        assert got["value"] == float(r["value"]), r
        assert got["excerpt"] == r["excerpt"] and got["note"] == r["note"], r
        # the excerpt is verbatim a row of published_figures_2.csv from the same page
        address = sources[r["source"]]["address"]
        matches = [
            p for p in figures_2 if p["excerpt"] == r["excerpt"] and p["source_address"] == address
        ]
        assert matches, f"{r['indicator']} {r['year']}: excerpt/address not in published_figures_2"
        factors = (1.0, 1000.0) if "converted" in r["note"] else (1.0,)
        assert any(
            math.isclose(float(r["value"]), float(p["value"]) * f) for p in matches for f in factors
        ), r


def test_worked_out_years_carry_their_flag_and_the_others_do_not(db):
    for r in read(PUBLISHED_2 / "observations.csv"):
        key = (r["indicator"], r["area"], int(r["year"]))
        got = stored(db, *key, r["source"])
        if key in FLAGGED:
            assert got["year_approx"] is True and got["status"] == "estimate", key
            assert "inferred" in got["note"], key
        else:
            assert got["year_approx"] is False, key
    assert FLAGGED <= {
        (r["indicator"], r["area"], int(r["year"])) for r in read(PUBLISHED_2 / "observations.csv")
    }


def test_partial_years_and_rescued_fry_stay_out_of_annual_and_hatchery_series(figures_2):
    rows = read(PUBLISHED_2 / "observations.csv")
    by_excerpt = {p["excerpt"]: p for p in figures_2}
    for r in rows:
        period = by_excerpt[r["excerpt"]]["year"]
        if "H1" in period or "6 aıynda" in r["note"] or "January-June" in r["note"]:
            assert r["indicator"].endswith("_jan_jun"), r
        if "Jan–Nov" in period:
            assert r["indicator"].endswith("_jan_nov"), r
    rescued = {p["excerpt"] for p in figures_2 if p["indicator"] == "fish_fry_rescued_released"}
    assert {r["indicator"] for r in rows if r["excerpt"] in rescued} == {"fish_fry_rescued"}


def test_the_new_targets_are_stored_with_source_and_excerpt(db, figures_2):
    t = schema.targets
    with db.connect() as conn:
        got = {
            (r.program, r.indicator, r.area, r.target_year): r
            for r in conn.execute(select(t)).all()
        }
    salt = got["araltuz-plan-2022", "salt_extraction", ARAL, 2022]
    assert (salt.comparator, salt.value, salt.baseline_year, salt.baseline_value) == (
        ">=",
        700,
        2019,
        500,
    )
    assert "plan of the enterprise" in salt.note
    for year, value in ((2020, 9), (2030, 10.3)):
        row = got["moa-protected-areas-plan", "protected_area_share", KZ, year]
        assert (row.comparator, row.value) == (">=", value)
    district = got["concept-sd-2007-2024", "protected_area_share", ARAL, 2024]
    assert (district.comparator, district.value) == (">=", 10)
    excerpts = {p["excerpt"] for p in figures_2 if p["indicator"].endswith("_target")}
    assert salt.excerpt in excerpts
    assert got["moa-protected-areas-plan", "protected_area_share", KZ, 2020].excerpt in excerpts


def _area_ha_equal_area(geojson: str) -> float:
    """Area in EPSG:6933 with pyproj + shapely (not the ETL's geopandas path)."""
    to_6933 = Transformer.from_crs("EPSG:4326", "EPSG:6933", always_xy=True).transform
    geom = shapely.geometry.shape(json.loads(geojson))
    return shapely.transform(geom, to_6933, interleaved=False).area / 1e4


def test_the_derived_share_equals_the_formula_on_the_stored_boundary(db):
    b = schema.boundaries
    with db.connect() as conn:
        rows = conn.execute(
            select(b.c.vintage, b.c.geojson).where(b.c.area == ARAL).order_by(b.c.vintage.desc())
        ).all()
    if not rows:
        pytest.skip("no boundaries in the test database (../shared/geo/original absent)")
    vintage, geojson = rows[0]
    recipe = read(RECIPE)[0]
    protected_ha = float(recipe["protected_ha"])
    assert protected_ha == 160826
    area_ha = _area_ha_equal_area(geojson)
    got = stored(db, "protected_area_share", ARAL, vintage, "kazmab-barsakelmes")
    assert got["value"] == round(protected_ha / area_ha * 100, 2)
    assert got["status"] == "derived" and got["year_approx"] is True
    for part in (
        "Derived",
        "160,826 ha",
        f"{area_ha:,.0f} ha",
        "geokz-1.0.2",
        "kazmab-barsakelmes",
    ):
        assert part in got["note"], part
    # a geodesic area on the WGS 84 ellipsoid agrees with the equal-area projection
    geodesic = (
        abs(
            Geod(ellps="WGS84").geometry_area_perimeter(
                shapely.geometry.shape(json.loads(geojson))
            )[0]
        )
        / 1e4
    )
    assert math.isclose(area_ha, geodesic, rel_tol=2e-3)
    assert got["excerpt"] == recipe["excerpt"] and "160,826 ha" in got["excerpt"]


def test_without_a_boundary_the_share_is_not_derived_and_the_build_says_so(tmp_path):
    engine = create_engine(f"sqlite:///{tmp_path / 'empty.db'}")
    ensure_schema(engine)
    batch = protected_share_batch(engine, RECIPE)
    assert batch.observations.empty and not batch.errors
    assert len(batch.warnings) == 1
    assert "no stored boundary for 433200000" in batch.warnings[0]
    assert "never guessed" in batch.warnings[0]
    engine.dispose()
