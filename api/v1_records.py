"""The REST API's answers: database rows as JSON-ready records (numpy unboxed, missing as
null, integers kept as integers), JSON responses and errors, and file attachments."""

from __future__ import annotations

import json
import math
from collections.abc import Iterable
from typing import Any

import numpy as np
import pandas as pd
from flask import Response
from sqlalchemy import Integer, Table

from store import queries, schema

NAMES = ("name_kk", "name_ru", "name_en")
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


def plain(value: Any, integer: bool = False) -> Any:
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


def records(df: pd.DataFrame, columns: Iterable[str]) -> list[dict[str, Any]]:
    """The rows of ``df`` as JSON-ready dicts of ``columns``."""
    columns = list(columns)
    return [
        {c: plain(row[c], c in INT_COLUMNS) for c in columns}
        for row in df[columns].to_dict("records")
    ]


def json_response(obj: Any, status: int = 200, mimetype: str = "application/json") -> Response:
    """``obj`` as compact UTF-8 JSON (no NaN)."""
    text = json.dumps(obj, ensure_ascii=False, allow_nan=False, separators=(",", ":"))
    return Response(text, status=status, mimetype=mimetype)


def error_response(status: int, message: str, parameter: str | None = None) -> Response:
    """The API's error answer: ``{"error": message, "parameter": parameter}``."""
    return json_response({"error": message, "parameter": parameter}, status)


def list_response(rows: list[dict[str, Any]]) -> Response:
    """A list answer: ``{"data": rows, "meta": {count, data_version}}``."""
    return json_response(
        {"data": rows, "meta": {"count": len(rows), "data_version": queries.data_version()}}
    )


def attachment(body: bytes, content_type: str, filename: str) -> Response:
    """``body`` as a file to save, named ``filename``."""
    response = Response(body, content_type=content_type)
    response.headers["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def table_columns(table: Table) -> list[str]:
    """The column names of ``table``, in the schema's order."""
    return [c.name for c in table.columns]


def area_info() -> dict[str, dict[str, str]]:
    """{KATO: {name_kk, name_ru, name_en, level}} of every area."""
    cols = ["kato", *NAMES, "level"]
    return {r.pop("kato"): r for r in queries.areas()[cols].to_dict("records")}
