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

The endpoints live by resource beside this module: :mod:`api.v1_indicators` (indicators,
targets, programs, sources), :mod:`api.v1_areas`, :mod:`api.v1_observations`,
:mod:`api.v1_changes` and :mod:`api.v1_geo` (boundaries); they are declared with
:func:`api.v1_endpoints.api_route`, read their parameters with :mod:`api.v1_params` and
answer with :mod:`api.v1_records`. This module holds the blueprint's error handling, CORS
and the "about" endpoints (index, :mod:`api.v1_openapi`, :mod:`api.v1_docs_html`).
"""

from __future__ import annotations

import logging

from flask import Response, current_app, request
from werkzeug.exceptions import HTTPException

from api import v1_areas, v1_changes, v1_geo, v1_indicators, v1_observations
from api.v1_docs_html import docs_html
from api.v1_endpoints import (
    DOCS_PATH,
    ENDPOINTS,
    OPENAPI_PATH,
    PREFIX,
    ApiError,
    Param,
    api_route,
    blueprint,
    fixed,
)
from api.v1_openapi import openapi_document
from api.v1_records import error_response, json_response
from components.i18n import LANGS, request_lang
from store import queries

logger = logging.getLogger(__name__)

METHODS = ("GET", "HEAD", "OPTIONS")
RESOURCES = (v1_indicators, v1_areas, v1_observations, v1_changes, v1_geo)  # their endpoints
# The order in which the index, the OpenAPI document and the docs list the endpoints.
PATH_ORDER = (
    "/",
    "/indicators",
    "/indicators/{code}",
    "/areas",
    "/observations",
    "/changes",
    "/targets",
    "/programs",
    "/sources",
    "/boundaries",
    "/openapi.json",
    "/docs",
)


@blueprint.errorhandler(ApiError)
def _api_error(exc: ApiError) -> Response:
    return error_response(exc.status, exc.message, exc.parameter)


@blueprint.errorhandler(HTTPException)
def _http_error(exc: HTTPException) -> Response:
    return error_response(exc.code or 500, exc.description or exc.name)


@blueprint.errorhandler(Exception)
def _unexpected(exc: Exception) -> Response:
    logger.exception("API request %s failed", request.full_path)
    if not queries.is_ready():
        return error_response(503, "no indicator database: run `python -m etl build`")
    return error_response(500, "internal error (logged); please report the URL")


@blueprint.after_request
def _cors(response: Response) -> Response:
    """Let notebooks and other sites read every API response."""
    response.headers["Access-Control-Allow-Origin"] = "*"
    response.headers["Access-Control-Expose-Headers"] = "Content-Disposition, ETag, Last-Modified"
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
        response = error_response(
            405, f"method {request.method} not allowed: the API is read-only ({', '.join(METHODS)})"
        )
        response.headers["Allow"] = ", ".join(METHODS)
        return response
    return error_response(404, f"no such endpoint: {request.path} (see {DOCS_PATH})")


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
    return json_response(
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
    "/openapi.json",
    summary="This API as an OpenAPI 3.0 document",
    tag="about",
    errors=(),
    ok={"application/json": {"type": "object"}},
    examples=("/openapi.json",),
)
def openapi_json() -> Response:
    """The OpenAPI document."""
    return json_response(openapi_document(request.script_root))


P_DOCS_LANG = Param(
    "lang",
    "Language of the page (`kk`, `ru` or `en`); default: the browser's Accept-Language.",
    fixed({"type": "string", "enum": list(LANGS)}),
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
    """The HTML documentation, in the asked or the browser's language."""
    given = request.args.get("lang")
    if given is not None and given not in LANGS:
        raise ApiError(400, f"lang must be one of {', '.join(LANGS)}, not {given!r}", "lang")
    lang = request_lang(given)
    doc = openapi_document(request.script_root)
    page = docs_html(doc, request.host_url.rstrip("/"), lang)
    return Response(page, mimetype="text/html")


ENDPOINTS.sort(key=lambda e: PATH_ORDER.index(e.path) if e.path in PATH_ORDER else len(PATH_ORDER))
