"""REST API endpoint of the administrative units (KATO codes and names)."""

from __future__ import annotations

from flask import Response

from api.v1_endpoints import api_route
from api.v1_params import P_LEVEL, P_PARENT, choice, one_area
from api.v1_records import list_response, records, table_columns
from store import queries, schema


@api_route(
    "/areas",
    summary="Administrative units",
    description="Kazakhstan, its oblasts and republican cities, districts and cities "
    "of oblast significance, by KATO code, with names in three languages, "
    "ISO 3166-2 code and the years a unit existed (when it did not always).",
    params=(P_LEVEL, P_PARENT),
    ok={"application/json": "AreaList"},
    examples=("/areas?level=oblast", "/areas?parent=430000000"),
)
def list_areas() -> Response:
    """Administrative units, by level and parent."""
    level = choice("level", schema.AREA_LEVELS)
    parent = one_area("parent")
    return list_response(records(queries.areas(level, parent), table_columns(schema.areas)))
