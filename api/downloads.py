"""/download/...: what the Explore and Map pages show, as data files and images, and
everything in one zip.

    GET /download/data.<csv|xlsx|json|zip>   ?indicator=&area=&compare=&mode=&source=&lang=
                                         (zip: the CSV with its datapackage.json)
    GET /download/chart.<png|svg|pdf>    the same parameters (+ width, height, pixel_ratio)
    GET /download/map-data.<csv|xlsx|json|zip>  ?indicator=&level=&parent=&year=&lang=&area=
    GET /download/map.<png|svg|pdf>      the same parameters (+ width, height, pixel_ratio)
    GET /download/all.zip                every table (CSV, GeoJSON), metadata, README, database

The parameters are the pages' own URL state, so a page's download link is its path under
/download with the page's query string. Files are attachments named by
:func:`api.exports.filename`. A parameter that cannot be used answers 400 with JSON
``{"error": ..., "parameter": ...}``; images and the zip are cached per data version.

An image's pixel scale is ``pixel_ratio`` (PNG pixels per CSS pixel): on the map ``scale`` is
the colour scale (linear, quantile, log), as in the page's address. The chart has no colour
scale, so there a number in ``scale`` still means the pixel scale, as it did before.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from typing import Any, NamedTuple

import plotly.graph_objects as go
from flask import Blueprint, Response, jsonify, request

import config
from api import export_archive, export_chart, export_images, export_package, exports
from store import queries
from store.cache import remember
from views import charts as views
from views import map_image
from views.charts import BadParameter

log = logging.getLogger(__name__)

blueprint = Blueprint("downloads", __name__, url_prefix="/download")

SIZE_LIMITS = {"width": (200, 4000), "height": (200, 4000), "pixel_ratio": (0.5, 4.0)}
IMAGE_RETRY_AFTER = 5  # seconds


class RenderersBusy(RuntimeError):
    """Every image render slot of this process is taken (503 with Retry-After)."""


class _Slots:
    """At most IMAGE_RENDERS uncached images rendered (or waiting for the browser) at once
    in this process; the rest are told to come back instead of holding a web worker."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self.busy = 0

    def __enter__(self) -> None:
        with self._lock:
            if self.busy >= int(config.get("IMAGE_RENDERS")):
                raise RenderersBusy("every image renderer is busy")
            self.busy += 1

    def __exit__(self, *_: object) -> None:
        with self._lock:
            self.busy -= 1


image_slots = _Slots()


# --- errors -------------------------------------------------------------------------------


def _error(status: int, message: str, parameter: str | None = None) -> tuple[Response, int]:
    body: dict[str, Any] = {"error": message, "status": status}
    if parameter:
        body["parameter"] = parameter
    return jsonify(body), status


@blueprint.errorhandler(BadParameter)
def _bad_parameter(exc: BadParameter) -> tuple[Response, int]:
    return _error(400, f"bad parameter {exc.name!r}: {exc.message}", exc.name)


@blueprint.errorhandler(export_images.ImageExportError)
def _image_unavailable(exc: export_images.ImageExportError) -> tuple[Response, int]:
    log.warning("image export failed: %s", exc)
    return _error(503, f"the image could not be made: {exc}")


@blueprint.errorhandler(RenderersBusy)
def _busy(exc: RenderersBusy) -> tuple[Response, int]:
    resp, status = _error(503, f"{exc}; try again in a few seconds")
    resp.headers["Retry-After"] = str(IMAGE_RETRY_AFTER)
    return resp, status


@blueprint.before_request
def _need_database() -> tuple[Response, int] | None:
    if not queries.is_ready():
        return _error(
            503, "the database has not been built yet: run `make run` or `python -m etl build`"
        )
    return None


# --- helpers ------------------------------------------------------------------------------


def _params() -> dict[str, list[str]]:
    return request.args.to_dict(flat=False)


def _format(fmt: str, allowed: tuple[str, ...]) -> str:
    if fmt not in allowed:
        raise BadParameter("format", f"unknown format {fmt!r}; use one of {', '.join(allowed)}")
    return fmt


def _number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True


def _size(fmt: str, colour_scale: bool) -> dict[str, float]:
    """width, height (CSS pixels) and pixel_ratio of an image, within :data:`SIZE_LIMITS`;
    PNG defaults to pixel_ratio 2 (sharp on slides), SVG and PDF to 1 (vector, true size).

    Without a ``colour_scale`` parameter of its own (the chart), a number in ``scale`` is the
    pixel ratio, its old name; on the map a number there is refused, naming the new one."""
    given = {name: request.args.get(name) for name in SIZE_LIMITS}
    old = request.args.get("scale")
    if old and _number(old):
        if colour_scale:
            raise BadParameter(
                "scale",
                f"scale={old} is a number, but on the map scale is the colour scale "
                "(linear, quantile or log); the image's pixel scale is pixel_ratio "
                f"(pixel_ratio={old})",
            )
        given["pixel_ratio"] = given["pixel_ratio"] or old
    named = {"pixel_ratio": "scale" if given["pixel_ratio"] == old else "pixel_ratio"}
    out = {
        "width": export_images.IMAGE_WIDTH,
        "height": export_images.IMAGE_HEIGHT,
        "pixel_ratio": 2 if fmt == "png" else 1,
    }
    for name, (low, high) in SIZE_LIMITS.items():
        raw = given[name]
        if not raw:
            continue
        asked = named.get(name, name)  # the parameter as the address wrote it
        try:
            value = float(raw) if name == "pixel_ratio" else int(raw)
        except ValueError:
            raise BadParameter(asked, f"{raw!r} is not a number") from None
        if not low <= value <= high:
            raise BadParameter(asked, f"{raw} is out of range {low}–{high}")
        out[name] = value
    return out


def _page_url(path: str, query: str) -> str:
    """The address of the page showing the exported view."""
    return request.host_url.rstrip("/") + path + query


def _attachment(body: bytes, name: str, ext: str) -> Response:
    resp = Response(body, content_type=exports.MEDIA_TYPES[ext])  # names its charset once
    resp.headers["Content-Disposition"] = f'attachment; filename="{name}"'
    resp.headers["X-Content-Type-Options"] = "nosniff"
    return resp


def _cached(key: tuple, build: Callable[[], Any]) -> Any:
    """``build()``, kept in the app's cache (when it has one) under ``key`` and the data
    version, so a new ETL load invalidates it."""
    return remember(("download", key), queries.cache_version(), build)


# --- the views ----------------------------------------------------------------------------


class _View(NamedTuple):
    """A page whose view is exported: its path, strict parser, data and figure."""

    name: str
    path: str
    query: Callable[[views.Params], Any]
    data: Callable[..., exports.ChartData]
    figure: Callable[[Any], go.Figure]
    needs_boundaries: bool = False
    colour_scale: bool = False  # its own ``scale`` parameter is the colour scale


EXPLORE = _View(
    "explore",
    "/explore",
    views.explore_query,
    export_chart.explore_chart_data,
    views.explore_figure,
)
MAP = _View(
    "map",
    "/map",
    views.map_query,
    export_chart.map_chart_data,
    map_image.map_image_figure,
    needs_boundaries=True,
    colour_scale=True,
)


def _csv_variant(fmt: str) -> str:
    """The ``format`` parameter of a .csv download: "csv" (default) or "csv-excel"."""
    given = request.args.getlist("format")
    if not given:
        return "csv"
    if fmt != "csv" or given[-1] not in exports.CSV_VARIANTS:
        allowed = ", ".join(exports.CSV_VARIANTS)
        raise BadParameter(
            "format", f"format={given[-1]!r} is for .csv files: use one of {allowed}"
        )
    return given[-1]


def _data_file(view: _View, fmt: str) -> Response:
    _format(fmt, (*exports.DATA_FORMATS, "zip"))
    variant = _csv_variant(fmt)
    params = {k: v for k, v in _params().items() if k != "format"}
    q = view.query(params)
    chart = view.data(q, url=_page_url(view.path, q.query_string()))
    if fmt == "zip":  # the CSV and its datapackage.json: readable alone
        name = exports.filename(chart.meta, "csv")
        body = export_package.csv_zip(chart.df, chart.meta, name)
        return _attachment(body, exports.filename(chart.meta, "zip"), "zip")
    body = export_chart.render_data(chart, fmt, variant)
    return _attachment(body, exports.filename(chart.meta, fmt, variant), fmt)


def _image_file(view: _View, fmt: str) -> Response | tuple[Response, int]:
    _format(fmt, exports.IMAGE_FORMATS)
    size = _size(fmt, view.colour_scale)
    params = _params()
    if not view.colour_scale:
        params.pop("scale", None)
    q = view.query(params)
    if view.needs_boundaries and not queries.has_boundaries():
        return _error(
            404,
            "boundaries are not installed, so there is no map to export; "
            "the map's data is at /download/map-data.csv",
        )
    meta = view.data(q).meta

    def render() -> bytes:
        with image_slots:
            return export_images.figure_image(
                export_images.standalone(view.figure(q), meta),
                fmt,
                size["pixel_ratio"],
                width=size["width"],
                height=size["height"],
            )

    body = _cached((view.name, tuple(q), fmt, tuple(size.items()), "standalone"), render)
    return _attachment(body, exports.filename(meta, fmt), fmt)


@blueprint.get("/data.<fmt>")
def explore_data(fmt: str) -> Response:
    """The Explore chart's observations as CSV, Excel, JSON, or a zip of the CSV with its
    datapackage.json."""
    return _data_file(EXPLORE, fmt)


@blueprint.get("/chart.<fmt>")
def explore_chart(fmt: str) -> Response | tuple[Response, int]:
    """The Explore chart as PNG, SVG or PDF (1200x675 unless width/height are given)."""
    return _image_file(EXPLORE, fmt)


@blueprint.get("/map-data.<fmt>")
def map_data(fmt: str) -> Response:
    """The Map view's values (one row per area, ranked) as CSV, Excel, JSON, or a zip of
    the CSV with its datapackage.json."""
    return _data_file(MAP, fmt)


@blueprint.get("/map.<fmt>")
def map_image(fmt: str) -> Response | tuple[Response, int]:
    """The Map view as PNG, SVG or PDF."""
    return _image_file(MAP, fmt)


# --- everything ---------------------------------------------------------------------------


@blueprint.get("/all.zip")
def everything() -> Response:
    """Every table as CSV (boundaries as GeoJSON), metadata.json, README.txt with the
    citation and every source's license, and the SQLite database file."""

    def build() -> tuple[bytes, str]:
        now = exports.utc_now()
        body = export_archive.data_archive(url=request.host_url.rstrip("/") + "/", exported=now)
        return body, export_archive.archive_filename(now)

    body, name = _cached(("all.zip",), build)
    return _attachment(body, name, "zip")
