"""REST API v1 (/api/v1/): the indicator database as JSON, CSV, Excel and GeoJSON.

Built on the same store functions as the pages (so on the same cache). Every endpoint is
declared once, with :func:`api_route`: its parameters, what it returns and curl examples.
The OpenAPI document (``/api/v1/openapi.json``), the HTML docs (``/api/v1/docs``) and the
check that rejects unknown parameters all come from that declaration.

Errors are JSON ``{"error": "...", "parameter": "name" | null}``: 400 for a bad parameter
(naming it), 404 for an unknown route or indicator and for ``/boundaries`` when no boundaries
are installed, 405 for methods other than GET/HEAD/OPTIONS, 503 when there is no database.
Every response carries ``Access-Control-Allow-Origin: *``.

Figures are exported exactly as stored: JSON and CSV write Python's shortest ``repr`` of
each float (2609.1 stays 2609.1).
"""

from __future__ import annotations

import datetime as dt
import functools
import html
import json
import logging
import math
import re
import shlex
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd
from flask import Blueprint, Response, current_app, request
from sqlalchemy import Boolean, DateTime, Float, Integer, Table
from werkzeug.exceptions import HTTPException

from api import exports
from api.docs_text import translate
from api.exports import MEDIA_TYPES
from components.geo import feature_collection
from components.i18n import LANGS, request_lang, t
from store import queries, schema

logger = logging.getLogger(__name__)

PREFIX = "/api/v1"
DOCS_PATH = f"{PREFIX}/docs"
OPENAPI_PATH = f"{PREFIX}/openapi.json"
FORMATS = ("json", "csv", "xlsx")
BOUNDARY_LEVELS = ("oblast", "district")
MAX_ARG_LENGTH = 2000
MAX_AREAS = 300
YEAR = re.compile(r"[0-9]{1,4}")
XLSX_TYPE = MEDIA_TYPES["xlsx"]
TIERS = ("A", "B", "C", "S")
METHODS = ("GET", "HEAD", "OPTIONS")

blueprint = Blueprint("api_v1", __name__, url_prefix=PREFIX)

OBSERVATION_COLUMNS = (
    "indicator",
    "area",
    "area_name_kk",
    "area_name_ru",
    "area_name_en",
    "year",
    "series",
    "value",
    "unit",
    "status",
    "year_approx",
    "source",
    "note",
)
NAMES = ("name_kk", "name_ru", "name_en")
SOURCE_REF_COLUMNS = ("code", "title", "publisher", "address", "license")
TARGET_EXTRA = ("program_kk", "program_ru", "program_en", "legal_ref")
EXPOSED_TABLES = (
    schema.indicators,
    schema.areas,
    schema.sources,
    schema.programs,
    schema.targets,
    schema.boundaries,
    schema.observations,
)
INT_COLUMNS = frozenset(
    c.name for t in EXPOSED_TABLES for c in t.columns if isinstance(c.type, Integer)
)
COLUMN_ENUMS = {
    "category": schema.CATEGORIES,
    "direction": schema.DIRECTIONS,
    "level": schema.AREA_LEVELS,
    "status": schema.STATUSES,
    "comparator": schema.COMPARATORS,
}


class ApiError(Exception):
    """An error answered as JSON ``{"error": message, "parameter": parameter}``."""

    def __init__(self, status: int, message: str, parameter: str | None = None) -> None:
        super().__init__(message)
        self.status = status
        self.message = message
        self.parameter = parameter


# ---------------------------------------------------------------------------------------
# Declarations: parameters and endpoints
# ---------------------------------------------------------------------------------------

SchemaFn = Callable[[], dict[str, Any]]


def _fixed(schema_: dict[str, Any]) -> SchemaFn:
    return lambda: schema_


@dataclass(frozen=True)
class Param:
    """One parameter: its OpenAPI schema is a function, as enums may come from the database."""

    name: str
    description: str
    schema: SchemaFn
    required: bool = False
    example: str | int | None = None
    location: str = "query"

    def openapi(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "name": self.name,
            "in": self.location,
            "required": self.required or self.location == "path",
            "description": self.description,
            "schema": self.schema(),
        }
        if self.example is not None:
            out["example"] = self.example
        return out


@dataclass(frozen=True)
class Endpoint:
    """One GET operation: path (OpenAPI style, under the prefix), parameters, responses."""

    path: str
    operation_id: str
    summary: str
    description: str
    params: tuple[Param, ...]
    ok: Mapping[str, str | dict[str, Any]]  # media type -> component name or schema
    errors: tuple[int, ...]
    examples: tuple[str, ...] = ()
    tag: str = "data"
    ok_description: str = "OK"


ENDPOINTS: list[Endpoint] = []


def _indicator_codes() -> list[str]:
    return sorted(queries.indicators()["code"])


def _source_codes() -> list[str]:
    return sorted(queries.sources()["code"])


P_INDICATOR = Param(
    "indicator",
    "Indicator code (see `GET /api/v1/indicators`).",
    lambda: {"type": "string", "enum": _indicator_codes()},
    required=True,
    example="industrial_output",
)
P_INDICATOR_OPT = Param(
    "indicator",
    "Only targets of this indicator (code, see `GET /api/v1/indicators`).",
    lambda: {"type": "string", "enum": _indicator_codes()},
    example="industrial_output",
)
P_CODE = Param(
    "code",
    "Indicator code.",
    lambda: {"type": "string", "enum": _indicator_codes()},
    example="industrial_output",
    location="path",
)
P_AREA = Param(
    "area",
    "One area or several, comma-separated: 9-digit KATO codes (000000000 = Kazakhstan) or "
    "names in Kazakh, Russian or English and their spelling variants (e.g. `Aral`, "
    "`Аральский район`). Default: every area with observations of the indicator.",
    _fixed({"type": "string", "maxLength": MAX_ARG_LENGTH}),
    example="433200000,430000000",
)
P_AREA_ONE = Param(
    "area",
    "Only targets for this area (KATO code or name).",
    _fixed({"type": "string", "maxLength": MAX_ARG_LENGTH}),
    example="433200000",
)
P_FROM = Param(
    "from",
    "First year (inclusive).",
    _fixed({"type": "integer", "minimum": 0, "maximum": 9999}),
    example=2000,
)
P_TO = Param(
    "to",
    "Last year (inclusive); not before `from`.",
    _fixed({"type": "integer", "minimum": 0, "maximum": 9999}),
    example=2023,
)
P_SERIES = Param(
    "series",
    "Only this disaggregation (e.g. `annual mean`); an empty value keeps the totals only. "
    "Default: every series.",
    _fixed({"type": "string", "maxLength": MAX_ARG_LENGTH}),
)
P_SOURCE = Param(
    "source",
    "`preferred` (default): one value per area, year and series, from the indicator's "
    "preferred source, else the most authoritative one; `all`: every source's value, so a "
    "year may have several; or a source code (see `GET /api/v1/sources`): that source only.",
    lambda: {
        "type": "string",
        "enum": ["preferred", "all", *_source_codes()],
        "default": "preferred",
    },
    example="all",
)
P_FORMAT = Param(
    "format",
    "`json` (default): `{data, meta}`; `csv`: UTF-8 with a byte-order mark; `xlsx`: an Excel "
    "workbook with a `data` sheet and a `metadata` sheet (indicator, unit, query, citation "
    "and sources).",
    _fixed({"type": "string", "enum": list(FORMATS), "default": "json"}),
    example="csv",
)
P_LANG = Param(
    "lang",
    "Language of `unit`, of the names in `meta` and of the Excel metadata sheet.",
    _fixed({"type": "string", "enum": list(LANGS), "default": "en"}),
    example="ru",
)
P_LEVEL = Param(
    "level",
    "Only areas of this level.",
    _fixed({"type": "string", "enum": list(schema.AREA_LEVELS)}),
    example="district",
)
P_PARENT = Param(
    "parent",
    "Only areas directly under this one (KATO code or name).",
    _fixed({"type": "string", "maxLength": MAX_ARG_LENGTH}),
    example="430000000",
)
P_BLEVEL = Param(
    "level",
    "Boundaries of oblasts (and republican cities) or of districts.",
    _fixed({"type": "string", "enum": list(BOUNDARY_LEVELS)}),
    required=True,
    example="district",
)
P_BPARENT = Param(
    "parent",
    "Only the units directly under this area (KATO code or name), e.g. the "
    "districts of one oblast.",
    _fixed({"type": "string", "maxLength": MAX_ARG_LENGTH}),
    example="430000000",
)
P_VINTAGE = Param(
    "vintage",
    "Boundary vintage (year of the administrative division); default the latest.",
    _fixed({"type": "integer", "minimum": 0, "maximum": 9999}),
    example=2024,
)
P_PROGRAM = Param(
    "program",
    "Only targets of this program (code, see `GET /api/v1/programs`).",
    lambda: {"type": "string", "enum": sorted(queries.programs()["code"])},
)


def api_route(
    path: str,
    *,
    summary: str,
    description: str = "",
    params: Iterable[Param] = (),
    ok: Mapping[str, str | dict[str, Any]] | None = None,
    errors: Iterable[int] = (400,),
    examples: Iterable[str] = (),
    tag: str = "data",
    ok_description: str = "OK",
) -> Callable:
    """Declare a GET endpoint at ``PREFIX + path`` (``{name}`` for path parameters).

    The view gets path parameters as keyword arguments; query parameters other than the
    declared ones are answered with a 400 naming them.
    """
    params = tuple(params)
    query_names = frozenset(p.name for p in params if p.location == "query")

    def decorate(view: Callable[..., Response]) -> Callable[..., Response]:
        ENDPOINTS.append(
            Endpoint(
                path=path,
                operation_id=view.__name__,
                summary=summary,
                description=description,
                params=params,
                ok=ok or {"application/json": {"type": "object"}},
                errors=tuple(errors),
                examples=tuple(examples),
                tag=tag,
                ok_description=ok_description,
            )
        )

        @functools.wraps(view)
        def checked(**kwargs: str) -> Response:
            for key in request.args:
                if key not in query_names:
                    takes = ", ".join(sorted(query_names)) or "no parameters"
                    raise ApiError(
                        400, f"unknown parameter {key!r}; this endpoint takes {takes}", key
                    )
            return view(**kwargs)

        rule = re.sub(r"\{(\w+)\}", r"<\1>", path)
        blueprint.add_url_rule(rule, view.__name__, checked, methods=["GET"])
        return view

    return decorate


# ---------------------------------------------------------------------------------------
# Parameters: reading and checking
# ---------------------------------------------------------------------------------------


def _arg(
    name: str, *, required: bool = False, keep_empty: bool = False, repeatable: bool = False
) -> str | None:
    """The query parameter ``name`` (stripped), None if absent; empty is an error unless
    ``keep_empty``."""
    values = request.args.getlist(name)
    if len(values) > 1 and not repeatable:
        raise ApiError(400, f"{name} is given more than once", name)
    raw = ",".join(values) if values else None
    value = raw.strip() if raw is not None else None
    if raw is not None:
        if len(raw) > MAX_ARG_LENGTH:  # as sent: the schema's maxLength counts every character
            raise ApiError(400, f"{name} is longer than {MAX_ARG_LENGTH} characters", name)
        if any(ord(ch) < 32 for ch in value):
            raise ApiError(400, f"{name} contains a control character", name)
    if value == "" and not keep_empty:
        raise ApiError(400, f"{name} is empty", name)
    if value is None and required:
        raise ApiError(400, f"{name} is required", name)
    return value


def _choice(
    name: str, allowed: Iterable[str], *, default: str | None = None, required: bool = False
) -> str | None:
    value = _arg(name, required=required)
    if value is None:
        return default
    allowed = tuple(allowed)
    if value not in allowed:
        raise ApiError(400, f"{name} must be one of {', '.join(allowed)}; got {value!r}", name)
    return value


def _year(name: str) -> int | None:
    value = _arg(name)
    if value is None:
        return None
    if not YEAR.fullmatch(value):
        raise ApiError(
            400, f"{name} must be a year (an integer from 0 to 9999); got {value!r}", name
        )
    return int(value)


def _indicator(name: str = "indicator", *, required: bool = False) -> str | None:
    value = _arg(name, required=required)
    if value is None:
        return None
    if value not in set(queries.indicators()["code"]):
        raise ApiError(400, f"unknown indicator {value!r} (see {PREFIX}/indicators)", name)
    return value


def _kato(value: str, name: str) -> str:
    """A KATO code or a name/alias -> KATO code, or a 400 naming ``name``."""
    if len(value) == 9 and value.isascii() and value.isdigit():
        if value in set(queries.areas()["kato"]):
            return value
        raise ApiError(400, f"unknown area code {value!r} (see {PREFIX}/areas)", name)
    kato = queries.resolve_area(value)
    if kato is None:
        raise ApiError(
            400,
            f"unknown or ambiguous area {value!r}: give its 9-digit KATO code (see {PREFIX}/areas)",
            name,
        )
    return kato


def _one_area(name: str) -> str | None:
    value = _arg(name)
    return None if value is None else _kato(value, name)


def _many_areas(name: str = "area") -> tuple[str, ...] | None:
    value = _arg(name, repeatable=True)
    if value is None:
        return None
    parts = [p.strip() for p in value.split(",") if p.strip()]
    if not parts:
        raise ApiError(400, f"{name} names no area", name)
    if len(parts) > MAX_AREAS:
        raise ApiError(400, f"{name} names more than {MAX_AREAS} areas", name)
    return tuple(dict.fromkeys(_kato(p, name) for p in parts))


def _source_arg() -> str:
    value = _arg("source")
    if value is None:
        return "preferred"
    if value not in ("preferred", "all") and value not in set(queries.sources()["code"]):
        raise ApiError(
            400,
            f"source must be preferred, all or a source code (see {PREFIX}/sources); got {value!r}",
            "source",
        )
    return value


# ---------------------------------------------------------------------------------------
# Responses
# ---------------------------------------------------------------------------------------


def _plain(value: Any, integer: bool = False) -> Any:
    """A JSON-ready Python value: numpy scalars unboxed, missing -> None, ints kept as int."""
    if value is None or value is pd.NA or value is pd.NaT:
        return None
    if isinstance(value, np.generic):
        value = value.item()
    if isinstance(value, float):
        if math.isnan(value):
            return None
        if integer and value.is_integer():
            return int(value)
    return value


def _records(df: pd.DataFrame, columns: Iterable[str]) -> list[dict[str, Any]]:
    columns = list(columns)
    return [
        {c: _plain(row[c], c in INT_COLUMNS) for c in columns}
        for row in df[columns].to_dict("records")
    ]


def _json(obj: Any, status: int = 200, mimetype: str = "application/json") -> Response:
    text = json.dumps(obj, ensure_ascii=False, allow_nan=False, separators=(",", ":"))
    return Response(text, status=status, mimetype=mimetype)


def _error(status: int, message: str, parameter: str | None = None) -> Response:
    return _json({"error": message, "parameter": parameter}, status)


def _list(records: list[dict[str, Any]]) -> Response:
    return _json(
        {"data": records, "meta": {"count": len(records), "data_version": queries.data_version()}}
    )


@blueprint.errorhandler(ApiError)
def _api_error(exc: ApiError) -> Response:
    return _error(exc.status, exc.message, exc.parameter)


@blueprint.errorhandler(HTTPException)
def _http_error(exc: HTTPException) -> Response:
    return _error(exc.code or 500, exc.description or exc.name)


@blueprint.errorhandler(Exception)
def _unexpected(exc: Exception) -> Response:
    logger.exception("API request %s failed", request.full_path)
    if not queries.is_ready():
        return _error(503, "no indicator database: run `python -m etl build`")
    return _error(500, "internal error (logged); please report the URL")


@blueprint.after_request
def _cors(response: Response) -> Response:
    """Let notebooks and other sites read every API response."""
    response.headers["Access-Control-Allow-Origin"] = "*"
    response.headers["Access-Control-Expose-Headers"] = "Content-Disposition"
    if request.method == "OPTIONS":
        response.headers["Allow"] = ", ".join(METHODS)
        response.headers["Access-Control-Allow-Methods"] = ", ".join(METHODS)
        response.headers["Access-Control-Allow-Headers"] = "*"
        response.headers["Access-Control-Max-Age"] = "86400"
    return response


@blueprint.route("/<path:path>", methods=["GET", "POST", "PUT", "PATCH", "DELETE", "TRACE"])
def _no_route(path: str) -> Response:
    """Unknown routes under the prefix (404), other methods on known ones (405), as JSON."""
    adapter = current_app.url_map.bind_to_environ(request.environ)
    try:
        rule, _ = adapter.match(method="GET", return_rule=True)
    except HTTPException:
        rule = None
    if rule is not None and rule.endpoint != request.endpoint:
        response = _error(
            405, f"method {request.method} not allowed: the API is read-only ({', '.join(METHODS)})"
        )
        response.headers["Allow"] = ", ".join(METHODS)
        return response
    return _error(404, f"no such endpoint: {request.path} (see {DOCS_PATH})")


# ---------------------------------------------------------------------------------------
# Endpoints
# ---------------------------------------------------------------------------------------


@api_route(
    "/",
    summary="What the API offers",
    tag="about",
    errors=(),
    ok={"application/json": "Index"},
    examples=("/",),
)
def index() -> Response:
    """Links to the documents and the list of endpoints."""
    root = request.script_root
    return _json(
        {
            "name": "Aral indicators API",
            "version": "1",
            "openapi": root + OPENAPI_PATH,
            "docs": root + DOCS_PATH,
            "data_version": queries.data_version(),
            "endpoints": [{"path": PREFIX + e.path, "summary": e.summary} for e in ENDPOINTS],
        }
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
    return _list(_records(queries.indicators(), _columns(schema.indicators)))


@api_route(
    "/indicators/{code}",
    summary="One indicator",
    params=(P_CODE,),
    ok={"application/json": "IndicatorItem"},
    errors=(404,),
    examples=("/indicators/industrial_output",),
)
def get_indicator(code: str) -> Response:
    if code not in set(queries.indicators()["code"]):
        raise ApiError(404, f"unknown indicator {code!r} (see {PREFIX}/indicators)", "code")
    df = queries.indicators()
    record = _records(df[df["code"] == code], _columns(schema.indicators))[0]
    return _json({"data": record, "meta": {"data_version": queries.data_version()}})


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
    level = _choice("level", schema.AREA_LEVELS)
    parent = _one_area("parent")
    return _list(_records(queries.areas(level, parent), _columns(schema.areas)))


@api_route(
    "/observations",
    summary="Observations of one indicator",
    description="The values of one indicator for one or several areas, each with its "
    "source, status and note. Several sources may report the same year: "
    "`source=all` returns every reading, `source=preferred` one a year. "
    "Values are exactly as stored. Each row names its area in three "
    "languages; `unit` is in the language `lang`. `meta` says what the "
    "rows are (indicator, unit, areas, years), lists every source with its "
    "address and license and gives a citation and BibTeX entry for the "
    "request's URL; the Excel workbook has it on its `metadata` sheet.",
    params=(P_INDICATOR, P_AREA, P_FROM, P_TO, P_SERIES, P_SOURCE, P_FORMAT, P_LANG),
    ok={
        "application/json": "Observations",
        "text/csv": {"type": "string"},
        XLSX_TYPE: {"type": "string", "format": "binary"},
    },
    examples=(
        "/observations?indicator=industrial_output&area=433200000&source=all",
        "/observations?indicator=industrial_output&area=Aral,430000000"
        "&from=2005&to=2015&format=csv",
        "/observations?indicator=industrial_output&area=433200000&format=xlsx",
    ),
)
def list_observations() -> Response:
    code = _indicator(required=True)
    assert code is not None
    katos = _many_areas()
    year_from, year_to = _year("from"), _year("to")
    if year_from is not None and year_to is not None and year_from > year_to:
        raise ApiError(400, f"from ({year_from}) is after to ({year_to})", "from")
    series = _arg("series", keep_empty=True)
    source = _source_arg()
    fmt = _choice("format", FORMATS, default="json")
    lang = _choice("lang", LANGS, default="en")
    assert lang is not None

    if katos is None:
        katos = tuple(queries.indicator_areas(code)["kato"])
    areas = _area_info()
    unit = (queries.indicator(code) or {}).get(f"unit_{lang}")
    rows = _observation_rows(code, katos, source, year_from, year_to, series, unit, areas)
    query = {
        "indicator": code,
        "area": list(katos),
        "from": year_from,
        "to": year_to,
        "series": series,
        "source": source,
        "format": fmt,
        "lang": lang,
    }
    meta = _observations_meta(code, katos, rows, query, areas)
    stem = f"{code}_{'-'.join(katos) if 0 < len(katos) <= 3 else f'{len(katos)}-areas'}"
    if fmt in ("csv", "xlsx"):
        df = pd.DataFrame(rows, columns=list(OBSERVATION_COLUMNS))
        body = exports.to_csv(df) if fmt == "csv" else exports.to_xlsx(df, meta)
        return _attachment(body, MEDIA_TYPES[fmt], f"{stem}.{fmt}")
    return _json({"data": rows, "meta": meta})


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
    code = _indicator()
    kato = _one_area("area")
    program = _arg("program")
    if program is not None and program not in set(queries.programs()["code"]):
        raise ApiError(400, f"unknown program {program!r} (see {PREFIX}/programs)", "program")
    df = queries.targets(code, kato, program)
    return _list(_records(df, [*_columns(schema.targets), *TARGET_EXTRA]))


@api_route(
    "/programs",
    summary="Government programs",
    ok={"application/json": "ProgramList"},
    examples=("/programs",),
)
def list_programs() -> Response:
    return _list(_records(queries.programs(), _columns(schema.programs)))


@api_route(
    "/sources",
    summary="Sources of the figures",
    description="Every source: title, publisher, address, license, retrieval, tier "
    "(A official statistics or legal act, B agency or ministry, C press or "
    "reference, S seed document) and the curators' notes.",
    ok={"application/json": "SourceList"},
    examples=("/sources",),
)
def list_sources() -> Response:
    return _list(_records(queries.sources(), _columns(schema.sources)))


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
    level = _choice("level", BOUNDARY_LEVELS, required=True)
    assert level is not None
    parent = _one_area("parent")
    vintage = _year("vintage")
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
    areas = _area_info()
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
    return _json(collection, mimetype="application/geo+json")


@api_route(
    "/openapi.json",
    summary="This API as an OpenAPI 3.0 document",
    tag="about",
    errors=(),
    ok={"application/json": {"type": "object"}},
    examples=("/openapi.json",),
)
def openapi_json() -> Response:
    return _json(openapi_document(request.script_root))


P_DOCS_LANG = Param(
    "lang",
    "Language of the page (`kk`, `ru` or `en`); default: the browser's Accept-Language.",
    _fixed({"type": "string", "enum": list(LANGS)}),
    example="kk",
)


@api_route(
    "/docs",
    summary="This documentation, as HTML",
    tag="about",
    params=(P_DOCS_LANG,),
    ok={"text/html": {"type": "string"}},
    examples=("/docs?lang=ru",),
)
def docs() -> Response:
    given = request.args.get("lang")
    if given is not None and given not in LANGS:
        raise ApiError(400, f"lang must be one of {', '.join(LANGS)}, not {given!r}", "lang")
    lang = request_lang(given)
    doc = openapi_document(request.script_root)
    page = docs_html(doc, request.host_url.rstrip("/"), lang)
    return Response(page, mimetype="text/html")


# ---------------------------------------------------------------------------------------
# Observations: rows, metadata (sources, citation), files
# ---------------------------------------------------------------------------------------


def _columns(table: Table) -> list[str]:
    return [c.name for c in table.columns]


def _area_info() -> dict[str, dict[str, str]]:
    """{KATO: {name_kk, name_ru, name_en, level}} of every area."""
    cols = ["kato", *NAMES, "level"]
    return {r.pop("kato"): r for r in queries.areas()[cols].to_dict("records")}


def _observation_rows(
    code: str,
    katos: tuple[str, ...],
    source: str,
    year_from: int | None,
    year_to: int | None,
    series: str | None,
    unit: str | None,
    areas: Mapping[str, Mapping[str, str]],
) -> list[dict[str, Any]]:
    """Observation rows in :data:`OBSERVATION_COLUMNS` order, filtered by year and series."""
    if not katos:
        return []
    df = queries.observations(code, katos, source=source)
    if year_from is not None:
        df = df[df["year"] >= year_from]
    if year_to is not None:
        df = df[df["year"] <= year_to]
    if series is not None:
        df = df[df["series"] == series]
    rows = []
    for rec in _records(
        df,
        ("indicator", "area", "year", "series", "value", "status", "year_approx", "source", "note"),
    ):
        area = areas.get(rec["area"], {})
        rec.update(
            {f"area_{k}": area.get(k) for k in NAMES},
            unit=unit,
            year_approx=bool(rec["year_approx"]),
        )
        rows.append({c: rec.get(c) for c in OBSERVATION_COLUMNS})
    return rows


def _sources_meta(codes: Iterable[str], lang: str) -> list[dict[str, Any]]:
    """Each source (first-seen order): code, title, publisher, address, license, tier."""
    wanted = list(dict.fromkeys(codes))
    df = queries.sources()
    by_code = {
        r["code"]: r
        for r in _records(df[df["code"].isin(wanted)], (*SOURCE_REF_COLUMNS, "tier", "retrieved"))
    }
    out = []
    for code in wanted:
        if code in by_code:
            ref = by_code[code]
            tier = ref.get("tier")
            ref["tier_label"] = t(f"dl.tier.{tier}", lang) if tier in TIERS else None
            out.append(ref)
    return out


def _observations_meta(
    code: str,
    katos: tuple[str, ...],
    rows: list[dict[str, Any]],
    query: dict[str, Any],
    areas: Mapping[str, Mapping[str, str]],
) -> dict[str, Any]:
    """What the rows are and where they come from, in the shape :mod:`api.exports` writes
    into its Excel metadata sheet; with a citation and BibTeX for the request's URL."""
    lang = query["lang"]
    ind = queries.indicator(code) or {}
    years = sorted({r["year"] for r in rows})
    span = (
        ""
        if not years
        else f", {years[0]}"
        if years[0] == years[-1]
        else f", {years[0]}–{years[-1]}"
    )
    shown = [areas.get(k, {}).get(f"name_{lang}", k) for k in katos[:3]]
    if len(katos) > 3:
        shown.append(f"+{len(katos) - 3}")
    exported = dt.datetime.now(dt.UTC).replace(microsecond=0)
    meta: dict[str, Any] = {
        "title": f"{ind.get(f'name_{lang}')}: {', '.join(shown)}{span}",
        "lang": lang,
        "indicator": {
            "code": code,
            "name": ind.get(f"name_{lang}"),
            "names": {k: ind.get(f"name_{k}") for k in LANGS},
            "unit": ind.get(f"unit_{lang}"),
            "units": {k: ind.get(f"unit_{k}") for k in LANGS},
            **{
                k: _plain(ind.get(k), k in INT_COLUMNS)
                for k in (
                    "description",
                    "category",
                    "direction",
                    "sdg_id",
                    "decimals",
                    "preferred_source",
                )
            },
        },
        "unit": ind.get(f"unit_{lang}"),
        "areas": [
            {
                "kato": k,
                "name": areas.get(k, {}).get(f"name_{lang}", k),
                "name_en": areas.get(k, {}).get("name_en", k),
                "level": areas.get(k, {}).get("level"),
            }
            for k in katos
        ],
        "years": {"first": years[0] if years else None, "last": years[-1] if years else None},
        "source_mode": "all" if query["source"] == "all" else "preferred",
        "sources": _sources_meta((r["source"] for r in rows), lang),
        "query": query,
        "count": len(rows),
        "exported": exported.isoformat(),
        "data_version": queries.data_version(),
        "url": request.url,
    }
    meta["citation"] = exports.citation(meta, lang, request.url, exported)
    meta["bibtex"] = exports.bibtex(meta, lang, request.url, exported)
    return meta


def _attachment(body: bytes, content_type: str, filename: str) -> Response:
    response = Response(body, content_type=content_type)
    response.headers["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


# ---------------------------------------------------------------------------------------
# The OpenAPI document and the HTML docs
# ---------------------------------------------------------------------------------------


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
            schema.targets, {**{f"program_{lang}": string for lang in LANGS}, "legal_ref": nstring}
        ),
        "IndicatorList": _list_schema("Indicator"),
        "IndicatorItem": _object(
            {"data": _ref("Indicator"), "meta": _object({"data_version": string})}
        ),
        "AreaList": _list_schema("Area"),
        "SourceList": _list_schema("Source"),
        "ProgramList": _list_schema("Program"),
        "TargetList": _list_schema("Target"),
        "Observation": _object(
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
        ),
        "SourceRef": _object(
            {
                "code": string,
                "title": string,
                "publisher": string,
                "address": nstring,
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


ENUM_SHOWN = 10
DOCS_CSS = """
body{font:15px/1.5 system-ui,sans-serif;max-width:960px;margin:2em auto;padding:0 1em;color:#222}
code,pre{font:13px/1.4 ui-monospace,monospace;background:#f4f4f4}
pre{padding:.6em;overflow-x:auto}code{padding:0 .2em}
table{border-collapse:collapse;width:100%;margin:.5em 0}
th,td{border:1px solid #ddd;padding:.3em .5em;text-align:left;vertical-align:top}
th{background:#f0f0f0}h2{border-top:2px solid #ccc;padding-top:.8em;margin-top:2em}
.method{font-weight:bold;color:#064}
"""


def _md(text: str) -> str:
    """Escape, then render `code` spans (the only markup the descriptions use)."""
    return re.sub(r"`([^`]+)`", r"<code>\1</code>", html.escape(text))


def _schema_text(s: Mapping[str, Any], lang: str = "en") -> str:
    if "$ref" in s:
        return f"<code>{html.escape(s['$ref'].rsplit('/', 1)[-1])}</code>"
    text = f"<code>{html.escape(str(s.get('type', 'object')))}</code>"
    if "enum" in s:
        values = [f"<code>{html.escape(str(v))}</code>" for v in s["enum"]]
        more = len(values) - ENUM_SHOWN
        shown = ", ".join(values[:ENUM_SHOWN])
        if more > 0:
            shown += f", … ({len(values)} {t('api.values', lang)})"
        text += f": {t('api.one_of', lang)} {shown}"
    if "default" in s:
        text += f"; {t('api.default', lang)} <code>{html.escape(str(s['default']))}</code>"
    return text


def _curl(base: str, path: str) -> str:
    url = base + path
    out = ""
    if "format=xlsx" in path or "format=csv" in path:
        out = " -o data." + ("xlsx" if "format=xlsx" in path else "csv")
    return f"curl -sS {shlex.quote(url)}{out}"


def docs_html(doc: Mapping[str, Any], base_url: str, lang: str = "en") -> str:
    """A self-contained HTML page (no scripts, no CDN) describing the OpenAPI document, in
    ``lang``: the page's words and the summaries translated, the parameters' reference
    descriptions as the document gives them (English, marked ``lang="en"``)."""
    info = doc["info"]
    en = ' lang="en"' if lang != "en" else ""

    def T(key: str, **fmt: object) -> str:  # noqa: N802
        return html.escape(t(key, lang, **fmt))

    def say(text: str) -> str:
        return _md(translate(text, lang))

    title = html.escape(info["title"]) if lang == "en" else T("api.title")
    intro = _md(info["description"]) if lang == "en" else T("api.intro")
    parts = [
        f'<!DOCTYPE html><html lang="{lang}"><head><meta charset="utf-8">',
        f"<title>{title}</title>",
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<style>{DOCS_CSS}</style></head><body>",
        f"<h1>{title} <small>{html.escape(info['version'])}</small></h1>",
        f"<p>{intro}</p>",
        f'<p>{T("api.machine")} <a href="{html.escape(base_url + OPENAPI_PATH)}">'
        f"<code>{OPENAPI_PATH}</code></a> (OpenAPI {html.escape(doc['openapi'])}).</p>",
        f"<p>{T('api.python')}</p><pre>import pandas as pd\n"
        + html.escape(
            f'df = pd.read_csv("{base_url}{PREFIX}/observations'
            '?indicator=industrial_output&area=433200000&source=all&format=csv")'
        )
        + "</pre>",
        f"<h3>{T('api.endpoints')}</h3><ul>",
    ]
    for path, item in doc["paths"].items():
        op = item["get"]
        parts.append(
            f'<li><a href="#{op["operationId"]}"><code>GET {html.escape(path)}'
            f"</code></a> — {say(op['summary'])}</li>"
        )
    parts.append("</ul>")
    error_json = '<code>{"error": "…", "parameter": "name"}</code>'
    parts.append(
        f"<h3>{T('api.errors')}</h3><p>"
        + _md(t("api.errors_intro", lang, json="\x00")).replace("\x00", error_json)
        + f"</p><table><tr><th>{T('api.status')}</th><th>{T('api.when')}</th></tr>"
    )
    errors = {**ERROR_TEXT, 405: "A method other than GET, HEAD or OPTIONS."}
    for status, text in sorted(errors.items()):
        parts.append(f"<tr><td>{status}</td><td>{say(text)}</td></tr>")
    parts.append("</table>")
    for path, item in doc["paths"].items():
        op = item["get"]
        parts.append(
            f'<h2 id="{op["operationId"]}"><span class="method">GET</span> '
            f"<code>{html.escape(path)}</code></h2><p><b>{say(op['summary'])}</b></p>"
        )
        if op.get("description"):
            parts.append(f"<p{en}>{_md(op['description'])}</p>")
        if op["parameters"]:
            described = T("api.description_en" if lang != "en" else "api.description")
            parts.append(
                f"<table><tr><th>{T('api.parameter')}</th><th>{T('api.in')}</th>"
                f"<th>{T('api.required')}</th><th>{T('api.type')}</th>"
                f"<th>{described}</th></tr>"
            )
            for p in op["parameters"]:
                example = (
                    f"<br>{T('api.example')} <code>{html.escape(str(p['example']))}</code>"
                    if "example" in p
                    else ""
                )
                parts.append(
                    f"<tr><td><code>{html.escape(p['name'])}</code></td>"
                    f"<td><code>{p['in']}</code></td>"
                    f"<td>{T('api.yes') if p['required'] else T('api.no')}</td>"
                    f"<td>{_schema_text(p['schema'], lang)}</td>"
                    f"<td><span{en}>{_md(p['description'])}</span>{example}</td></tr>"
                )
            parts.append("</table>")
        else:
            parts.append(f"<p>{T('api.none')}</p>")
        parts.append(
            f"<table><tr><th>{T('api.status')}</th><th>{T('api.content')}</th>"
            f"<th>{T('api.description')}</th></tr>"
        )
        for status, resp in op["responses"].items():
            content = ", ".join(
                f"<code>{html.escape(media)}</code> ({_schema_text(c['schema'], lang)})"
                for media, c in resp.get("content", {}).items()
            )
            parts.append(
                f"<tr><td>{status}</td><td>{content}</td><td>{say(resp['description'])}</td></tr>"
            )
        parts.append("</table>")
        examples = op.get("x-examples", [])
        if examples:
            parts.append(
                f"<p>{T('api.examples')}</p><pre>"
                + "\n".join(html.escape(_curl(base_url, x)) for x in examples)
                + "</pre>"
            )
    parts.append("</body></html>")
    return "\n".join(parts)
