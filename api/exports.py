"""Exports of what the dashboard shows: what they all share.

The formats and their media types, the data columns, a chart's data with its metadata
(:class:`ChartData`), the labels of the metadata (the ``dl.*`` strings), the local world
topojson that every image uses, the export date and file names. The writers live beside this
module: :mod:`api.export_chart` (a chart's data with its metadata and citation),
:mod:`api.export_csv`, :mod:`api.export_json`, :mod:`api.export_xlsx` (data with its
metadata sheet), :mod:`api.export_citation` (text and BibTeX), :mod:`api.export_images`
(PNG, SVG, PDF of the same figures) and :mod:`api.export_archive` (the whole database as a
zip).

No Flask here: :mod:`api.downloads` turns these into HTTP responses.
"""

from __future__ import annotations

import datetime as dt
import math
import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd
import plotly.io as pio

ROOT = Path(__file__).resolve().parents[1]
TOPOJSON_DIR = ROOT / "assets" / "topojson"
TOPOJSON_URL = TOPOJSON_DIR.as_uri() + "/"  # plotly.js appends "world_110m.json"
IMAGE_FORMATS = ("png", "svg", "pdf")
DATA_FORMATS = ("csv", "xlsx", "json")
# CSV variants (``format=`` on a .csv download): the standard one, and one for Excel in a
# Russian or Kazakh locale, which expects ";" between fields and "," before decimals.
CSV_VARIANTS = ("csv", "csv-excel")
MEDIA_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "json": "application/json",
    "png": "image/png",
    "svg": "image/svg+xml",
    "pdf": "application/pdf",
    "zip": "application/zip",
}
# oblast, oblast_name: the oblast (or city of republican status) the area is in, which also
# tells apart districts of one name; status_label: the status in the export's language.
COLUMNS = [
    "indicator",
    "area",
    "area_name",
    "oblast",
    "oblast_name",
    "year",
    "series",
    "value",
    "unit",
    "status",
    "status_label",
    "year_approx",
    "source",
    "note",
]
MODE_COLUMNS = {"change": "value_change_pct", "index": "value_index"}
PROJECT = "aral-indicators"
BOUNDARY_ATTRIBUTION = (
    "Boundaries: geokz v1.0.2 by Alexander Rodionov (https://github.com/arodionoff/geokz), "
    "CC BY 4.0 (https://creativecommons.org/licenses/by/4.0/), based on OCHA HDX COD-AB "
    "administrative boundaries of Kazakhstan (UNHCR); some city polygons "
    "© OpenStreetMap contributors (ODbL). Simplified by this project."
)

# Every plotly image export in this process uses the local topojson, never the CDN.
pio.defaults.topojson = TOPOJSON_URL


@dataclass
class ChartData:
    """A chart's observations (columns :data:`COLUMNS`, plus ``value_change_pct`` or
    ``value_index`` in those modes and ``rank`` for a map) and its metadata."""

    df: pd.DataFrame
    meta: dict[str, Any]


def utc_now() -> dt.datetime:
    """Now in UTC, to the second: the export date."""
    return dt.datetime.now(dt.UTC).replace(microsecond=0)


def plain(value: Any) -> Any:
    """A JSON/Excel-safe Python value: NaN/NA -> None, numpy scalars -> Python."""
    if value is None or value is pd.NA or value is pd.NaT:
        return None
    if hasattr(value, "item") and not isinstance(value, (str, bytes)):
        value = value.item()
    if isinstance(value, float) and math.isnan(value):
        return None
    return value


def slug(text: str) -> str:
    """'Aral district' -> 'aral-district': ASCII, lower case, hyphens."""
    ascii_ = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_.lower()).strip("-")


def filename(meta: dict[str, Any], ext: str, variant: str | None = None) -> str:
    """What the file is, e.g. ``industrial_output_aral-district_2000-2023_ru.csv``.

    Explore: indicator, areas (up to three, then "and-N-more"), years, the mode and
    "all-sources" when not the default, language. Map: indicator, the oblasts or the
    oblast's districts, year, language; "excel" for the CSV for Excel.
    """
    code = meta["indicator"]["code"]
    if meta.get("view") == "map":
        scope = meta["scope"]
        where = (
            "kazakhstan-oblasts"
            if meta.get("level") == "oblast"
            else f"{slug(scope['name_en']) or scope['kato']}-districts"
        )
        parts = [code, where, str(meta["years"]["first"])]
    else:
        slugs = [slug(a["name_en"]) or a["kato"] for a in meta["areas"]]
        if len(slugs) > 3:
            slugs = [*slugs[:3], f"and-{len(slugs) - 3}-more"]
        parts = [code, "_".join(slugs)]
        first, last = meta["years"]["first"], meta["years"]["last"]
        if first is not None:
            parts.append(str(first) if first == last else f"{first}-{last}")
        if meta.get("mode", "absolute") != "absolute":
            parts.append(meta["mode"])
        if meta.get("source_mode") == "all":
            parts.append("all-sources")
    parts.append(meta["lang"])
    if variant == "csv-excel":
        parts.append("excel")
    return "_".join(parts) + "." + ext
