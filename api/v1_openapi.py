"""The REST API as an OpenAPI 3.0 document, built from the declared endpoints
(:data:`api.v1_endpoints.ENDPOINTS`) and the database schema (enums read from the
database)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from sqlalchemy import Boolean, DateTime, Float, Integer, Table

from api.v1_endpoints import ENDPOINTS, PREFIX, Endpoint
from api.v1_params import BOUNDARY_LEVELS, FORMATS
from components import status as st
from components.i18n import LANGS
from store import schema

COLUMN_ENUMS = {
    "category": schema.CATEGORIES,
    "direction": schema.DIRECTIONS,
    "kind": schema.KINDS,
    "level": schema.AREA_LEVELS,
    "status": schema.STATUSES,
    "comparator": schema.COMPARATORS,
}


def _column_schema(column: Any) -> dict[str, Any]:
    if isinstance(column.type, Integer):
        out: dict[str, Any] = {"type": "integer"}
    elif isinstance(column.type, Float):
        out = {"type": "number"}
    elif isinstance(column.type, Boolean):
        out = {"type": "boolean"}
    elif isinstance(column.type, DateTime):
        out = {"type": "string", "format": "date-time"}
    else:
        out = {"type": "string"}
    if column.name in COLUMN_ENUMS and not column.nullable:
        out["enum"] = list(COLUMN_ENUMS[column.name])
    if column.nullable and not column.primary_key:
        out["nullable"] = True
    if column.comment:
        out["description"] = column.comment
    return out


def _object(properties: Mapping[str, dict[str, Any]], description: str = "") -> dict[str, Any]:
    out: dict[str, Any] = {
        "type": "object",
        "properties": dict(properties),
        "required": list(properties),
    }
    if description:
        out["description"] = description
    return out


def _table_schema(
    table: Table, extra: Mapping[str, dict[str, Any]] | None = None, description: str = ""
) -> dict[str, Any]:
    props = {c.name: _column_schema(c) for c in table.columns}
    return _object({**props, **(extra or {})}, description)


def _ref(name: str) -> dict[str, str]:
    return {"$ref": f"#/components/schemas/{name}"}


def _list_schema(item: str) -> dict[str, Any]:
    return _object({"data": {"type": "array", "items": _ref(item)}, "meta": _ref("ListMeta")})


def _components() -> dict[str, Any]:
    string, nstring = {"type": "string"}, {"type": "string", "nullable": True}
    integer, ninteger = {"type": "integer"}, {"type": "integer", "nullable": True}
    names = {f"name_{lang}": string for lang in LANGS}
    langs = _object(dict.fromkeys(LANGS, string))
    observation = _object(
        {
            "indicator": string,
            "area": {"type": "string", "description": "KATO code"},
            "area_name_kk": string,
            "area_name_ru": string,
            "area_name_en": string,
            "year": integer,
            "series": {"type": "string", "description": "disaggregation; empty = total"},
            "value": {"type": "number", "description": "as stored"},
            "unit": {"type": "string", "description": "in the language `lang`"},
            "status": {"type": "string", "enum": list(schema.STATUSES)},
            "year_approx": {"type": "boolean", "description": "the year was inferred"},
            "source": {"type": "string", "description": "source code"},
            "note": nstring,
        }
    )
    observation["properties"]["history"] = {
        "type": "array",
        "items": _ref("Revision"),
        "description": "with `history=true` only: the figure's revisions, oldest first",
    }
    return {
        "Error": _object(
            {
                "error": {"type": "string", "description": "what is wrong"},
                "parameter": {
                    "type": "string",
                    "nullable": True,
                    "description": "the offending parameter, if any",
                },
            }
        ),
        "ListMeta": _object({"count": integer, "data_version": string}),
        "Index": _object(
            {
                "name": string,
                "version": string,
                "openapi": string,
                "docs": string,
                "data_version": string,
                "endpoints": {
                    "type": "array",
                    "items": _object({"path": string, "summary": string}),
                },
            }
        ),
        "Indicator": _table_schema(schema.indicators),
        "Area": _table_schema(schema.areas),
        "Source": _table_schema(schema.sources),
        "Program": _table_schema(schema.programs),
        "Target": _table_schema(
            schema.targets,
            {
                **{f"program_{lang}": string for lang in LANGS},
                "legal_ref": nstring,
                "status": {"type": "string", "enum": list(st.STATUSES)},
                "status_year": ninteger,
                "status_text": string,
                "benchmark": nstring,
            },
        ),
        "IndicatorList": _list_schema("Indicator"),
        "IndicatorItem": _object(
            {"data": _ref("Indicator"), "meta": _object({"data_version": string})}
        ),
        "AreaList": _list_schema("Area"),
        "SourceList": _list_schema("Source"),
        "ProgramList": _list_schema("Program"),
        "TargetList": _list_schema("Target"),
        "Observation": observation,
        "Revision": _object(
            {
                "revised_at": {"type": "string", "format": "date-time"},
                "kind": {"type": "string", "enum": ["revised", "withdrawn"]},
                "old_value": {"type": "number"},
                "new_value": {"type": "number", "nullable": True},
                **{
                    f"old_{k}": nstring
                    for k in (
                        "status",
                        "note",
                        "excerpt",
                        "location",
                        "source_title",
                        "source_address",
                        "source_retrieved",
                    )
                },
            }
        ),
        "Change": _object(
            {
                "changed_at": {"type": "string", "format": "date-time"},
                "kind": {"type": "string", "enum": list(schema.CHANGE_KINDS)},
                "indicator": string,
                "indicator_name": nstring,
                "area": {"type": "string", "description": "KATO code"},
                "area_name": nstring,
                "year": integer,
                "series": string,
                "old_value": {"type": "number", "nullable": True},
                "new_value": {"type": "number", "nullable": True},
                "unit": nstring,
                "source": string,
                "source_title": nstring,
                **{
                    f"old_{k}": nstring
                    for k in (
                        "status",
                        "note",
                        "excerpt",
                        "location",
                        "source_title",
                        "source_address",
                        "source_retrieved",
                    )
                },
                "load_run": integer,
                "file": nstring,
            }
        ),
        "Changes": _object(
            {
                "data": {"type": "array", "items": _ref("Change")},
                "meta": _object(
                    {
                        "count": integer,
                        "data_version": string,
                        "since": nstring,
                        "deck": nstring,
                        "after": {"type": "string", "nullable": True, "format": "date-time"},
                        "history_from": {
                            "type": "string",
                            "nullable": True,
                            "format": "date-time",
                        },
                        "query": {"type": "object"},
                    }
                ),
            }
        ),
        "SourceRef": _object(
            {
                "code": string,
                "title": string,
                "publisher": string,
                "address": {
                    "type": "string",
                    "nullable": True,
                    "format": "uri",
                    "description": "the official address, where the publisher offers it",
                },
                "copy_address": {
                    "type": "string",
                    "nullable": True,
                    "format": "uri",
                    "description": "the address of the copy that was read, if another",
                },
                "license": nstring,
                "tier": nstring,
                "retrieved": nstring,
                "tier_label": nstring,
            }
        ),
        "Observations": _object(
            {
                "data": {"type": "array", "items": _ref("Observation")},
                "meta": _object(
                    {
                        "title": string,
                        "lang": {"type": "string", "enum": list(LANGS)},
                        "indicator": _object(
                            {
                                "code": string,
                                "name": string,
                                "names": langs,
                                "unit": string,
                                "units": langs,
                                "description": nstring,
                                "category": {"type": "string", "enum": list(schema.CATEGORIES)},
                                "direction": {"type": "string", "enum": list(schema.DIRECTIONS)},
                                "sdg_id": nstring,
                                "decimals": ninteger,
                                "kind": nstring,
                                "preferred_source": nstring,
                            }
                        ),
                        "unit": {"type": "string", "description": "in the language `lang`"},
                        "areas": {
                            "type": "array",
                            "items": _object(
                                {
                                    "kato": string,
                                    "name": string,
                                    "name_en": string,
                                    "level": nstring,
                                }
                            ),
                        },
                        "years": _object(
                            {"first": ninteger, "last": ninteger}, "first and last year of the rows"
                        ),
                        "source_mode": {"type": "string", "enum": ["preferred", "all"]},
                        "sources": {"type": "array", "items": _ref("SourceRef")},
                        "query": _object(
                            {
                                "indicator": string,
                                "area": {"type": "array", "items": string},
                                "from": ninteger,
                                "to": ninteger,
                                "series": nstring,
                                "source": string,
                                "format": {"type": "string", "enum": list(FORMATS)},
                                "lang": {"type": "string", "enum": list(LANGS)},
                            },
                            "the request, areas resolved to KATO codes",
                        ),
                        "count": integer,
                        "exported": {"type": "string", "format": "date-time"},
                        "data_version": string,
                        "url": string,
                        "citation": string,
                        "bibtex": string,
                    }
                ),
            }
        ),
        "FeatureCollection": _object(
            {
                "type": {"type": "string", "enum": ["FeatureCollection"]},
                "features": {
                    "type": "array",
                    "items": _object(
                        {
                            "type": {"type": "string", "enum": ["Feature"]},
                            "id": {"type": "string", "description": "KATO code"},
                            "geometry": {"type": "object", "description": "GeoJSON (Multi)Polygon"},
                            "properties": _object(
                                {
                                    "kato": string,
                                    **names,
                                    "level": {"type": "string", "enum": list(BOUNDARY_LEVELS)},
                                    "vintage": integer,
                                    "source": string,
                                }
                            ),
                        }
                    ),
                },
            }
        ),
    }


ERROR_TEXT = {
    400: "A parameter is wrong; `parameter` names it.",
    404: "Not found: an unknown route or indicator, or (for /boundaries) no boundaries installed.",
    500: "Unexpected error (logged).",
    503: "No database: the indicator database has not been built.",
}


def _operation(e: Endpoint) -> dict[str, Any]:
    content = {media: {"schema": _ref(s) if isinstance(s, str) else s} for media, s in e.ok.items()}
    responses: dict[str, Any] = {"200": {"description": e.ok_description, "content": content}}
    for status in (*e.errors, 500, 503):
        responses[str(status)] = {
            "description": ERROR_TEXT[status],
            "content": {"application/json": {"schema": _ref("Error")}},
        }
    op: dict[str, Any] = {
        "operationId": e.operation_id,
        "summary": e.summary,
        "tags": [e.tag],
        "parameters": [p.openapi() for p in e.params],
        "responses": responses,
    }
    if e.description:
        op["description"] = e.description
    if e.examples:
        op["x-examples"] = [PREFIX + x for x in e.examples]
    return op


def openapi_document(script_root: str = "") -> dict[str, Any]:
    """The OpenAPI 3.0 document of every declared endpoint (enums read from the database)."""
    doc: dict[str, Any] = {
        "openapi": "3.0.3",
        "info": {
            "title": "Aral indicators API",
            "version": "1.0.0",
            "description": (
                "Economic and ecological indicators of Kazakhstan's districts and oblasts "
                "(first Aral district, KATO 433200000, of Kyzylorda oblast, 430000000), each "
                "figure with its source, and the targets of government programs. Read-only: "
                "GET only; every response allows any origin (CORS). Errors are JSON "
                '`{"error": ..., "parameter": ...}` naming the bad parameter; unknown '
                "parameters are errors too."
            ),
            "license": {"name": "Each source's own license: see /api/v1/sources"},
        },
        "tags": [
            {"name": "data", "description": "The indicator database"},
            {"name": "about", "description": "This API"},
        ],
        "paths": {PREFIX + e.path: {"get": _operation(e)} for e in ENDPOINTS},
        "components": {"schemas": _components()},
    }
    if script_root:
        doc["servers"] = [{"url": script_root}]
    return doc
