"""REST API endpoints of the catalogue: indicators, program targets, programs and
sources."""

from __future__ import annotations

from flask import Response

from api.v1_endpoints import PREFIX, ApiError, Param, api_route, fixed
from api.v1_params import (
    P_AREA_ONE,
    P_CODE,
    P_INDICATOR_OPT,
    P_PROGRAM,
    arg,
    choice,
    indicator_arg,
    one_area,
)
from api.v1_records import json_response, list_response, records, table_columns
from components import target_text as tt
from components.i18n import LANGS
from store import queries, schema

TARGET_EXTRA = ("program_kk", "program_ru", "program_en", "legal_ref")
# The status of each target, as the pages, slides and reports word it (components.target_text)
TARGET_STATUS = ("status", "status_year", "status_text", "benchmark")
P_STATUS_LANG = Param(
    "lang",
    "Language of `status_text` and `benchmark`.",
    fixed({"type": "string", "enum": list(LANGS), "default": "en"}),
    example="ru",
)


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
    "the program's names and legal reference, and the target's status today: `status` "
    "(achieved, not_achieved, no_reading, on_track, off_track, insufficient), `status_year` "
    "(the year of the reading it was judged on), `status_text` (the one-line wording of the "
    "pages) and `benchmark` (set when a target of another level, `set_for`, is applied to the "
    "area as a benchmark).",
    params=(P_INDICATOR_OPT, P_AREA_ONE, P_PROGRAM, P_STATUS_LANG),
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
    lang = choice("lang", LANGS, default="en")
    df = queries.targets(code, kato, program)
    rows = records(df, [*table_columns(schema.targets), *TARGET_EXTRA])
    for row, tg in zip(rows, df.itertuples(), strict=True):
        a = tt.judge(queries.observations(tg.indicator, tg.area), tg)
        row.update(
            status=a.status,
            status_year=a.judged_year,
            status_text=tt.badge(a, lang),
            benchmark=tt.benchmark(tg, lang),
        )
    return list_response(rows)


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
