"""REST API endpoint of the boundaries, as GeoJSON."""

from __future__ import annotations

from flask import Response

from api.v1_endpoints import ApiError, api_route
from api.v1_params import (
    BOUNDARY_LEVELS,
    P_BLEVEL,
    P_BPARENT,
    P_VINTAGE,
    choice,
    one_area,
    year_arg,
)
from api.v1_records import NAMES, area_info, json_response
from components.geo import feature_collection
from store import queries


@api_route(
    "/boundaries",
    summary="Boundaries as GeoJSON",
    description="A GeoJSON FeatureCollection of oblast or district boundaries "
    "(simplified, exterior rings clockwise as Plotly expects), each "
    "feature's `id` and `properties.kato` its KATO code, with its names. "
    "When no boundaries are installed the answer is a 404 saying so.",
    params=(P_BLEVEL, P_BPARENT, P_VINTAGE),
    ok={"application/geo+json": "FeatureCollection"},
    errors=(400, 404),
    examples=("/boundaries?level=district&parent=430000000", "/boundaries?level=oblast"),
)
def get_boundaries() -> Response:
    """Oblast or district boundaries as a GeoJSON FeatureCollection."""
    level = choice("level", BOUNDARY_LEVELS, required=True)
    assert level is not None
    parent = one_area("parent")
    vintage = year_arg("vintage")
    if not queries.has_boundaries():
        raise ApiError(
            404,
            "boundaries are not installed in this database: run `python -m "
            "etl build --boundaries DIR` (see the README)",
        )
    if vintage is not None:
        vintages = queries.boundary_vintages(level)
        if vintage not in vintages:
            raise ApiError(
                400,
                f"no {level} boundaries of vintage {vintage}; stored: "
                f"{', '.join(map(str, vintages)) or 'none'}",
                "vintage",
            )
    rows = queries.boundaries(level, parent, vintage)
    areas = area_info()
    collection = feature_collection(
        {
            "area": r["area"],
            **{k: areas[r["area"]][k] for k in NAMES},
            "level": r["level"],
            "vintage": int(r["vintage"]),
            "source": r["source"],
            "geojson": r["geojson"],
        }
        for r in rows.to_dict("records")
    )
    for feature in collection["features"]:
        feature["properties"] = {"kato": feature["properties"].pop("area"), **feature["properties"]}
    return json_response(collection, mimetype="application/geo+json")
