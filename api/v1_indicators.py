"""REST API endpoints of the catalogue: indicators, program targets, programs and
sources."""

from __future__ import annotations

from flask import Response

from api.v1_endpoints import PREFIX, ApiError, api_route
from api.v1_params import (
    P_AREA_ONE,
    P_CODE,
    P_INDICATOR_OPT,
    P_PROGRAM,
    arg,
    indicator_arg,
    one_area,
)
from api.v1_records import json_response, list_response, records, table_columns
from store import queries, schema

TARGET_EXTRA = ("program_kk", "program_ru", "program_en", "legal_ref")


@api_route(
    "/indicators",
    summary="The indicator catalogue",
    description="Every indicator: names and units in Kazakh, Russian and English, "
    "category, direction (whether higher is better), SDG indicator, "
    "preferred source and description.",
    ok={"application/json": "IndicatorList"},
    examples=("/indicators",),
)
def list_indicators() -> Response:
    """Every indicator of the catalogue."""
    return list_response(records(queries.indicators(), table_columns(schema.indicators)))


@api_route(
    "/indicators/{code}",
    summary="One indicator",
    params=(P_CODE,),
    ok={"application/json": "IndicatorItem"},
    errors=(404,),
    examples=("/indicators/industrial_output",),
)
def get_indicator(code: str) -> Response:
    """One indicator by its code (404 when unknown)."""
    if code not in set(queries.indicators()["code"]):
        raise ApiError(404, f"unknown indicator {code!r} (see {PREFIX}/indicators)", "code")
    df = queries.indicators()
    record = records(df[df["code"] == code], table_columns(schema.indicators))[0]
    return json_response({"data": record, "meta": {"data_version": queries.data_version()}})


@api_route(
    "/targets",
    summary="Program targets",
    description="Targets of government programs: indicator, area, target year, "
    "comparator and value, baseline, source and the verbatim excerpt, with "
    "the program's names and legal reference.",
    params=(P_INDICATOR_OPT, P_AREA_ONE, P_PROGRAM),
    ok={"application/json": "TargetList"},
    examples=("/targets?indicator=nas_fish_catch", "/targets?area=433200000"),
)
def list_targets() -> Response:
    """Program targets, by indicator, area and program."""
    code = indicator_arg()
    kato = one_area("area")
    program = arg("program")
    if program is not None and program not in set(queries.programs()["code"]):
        raise ApiError(400, f"unknown program {program!r} (see {PREFIX}/programs)", "program")
    df = queries.targets(code, kato, program)
    return list_response(records(df, [*table_columns(schema.targets), *TARGET_EXTRA]))


@api_route(
    "/programs",
    summary="Government programs",
    ok={"application/json": "ProgramList"},
    examples=("/programs",),
)
def list_programs() -> Response:
    """Every government program."""
    return list_response(records(queries.programs(), table_columns(schema.programs)))


@api_route(
    "/sources",
    summary="Sources of the figures",
    description="Every source: title, publisher, address (the official one), copy_address "
    "(the copy that was read, if another), license, retrieval, tier "
    "(A official statistics or legal act, B agency or ministry, C press or "
    "reference, S seed document) and the curators' notes.",
    ok={"application/json": "SourceList"},
    examples=("/sources",),
)
def list_sources() -> Response:
    """Every source of the figures."""
    return list_response(records(queries.sources(), table_columns(schema.sources)))
