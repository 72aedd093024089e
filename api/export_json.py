"""Data as JSON: ``{"data": [...], "meta": {...}}``."""

from __future__ import annotations

import json
from typing import Any

import pandas as pd

from api.exports import plain


def _records(df: pd.DataFrame) -> list[dict[str, Any]]:
    return [{k: plain(v) for k, v in row.items()} for row in df.to_dict("records")]


def to_json(df: pd.DataFrame, meta: dict[str, Any]) -> bytes:
    """``{"data": [one object per row], "meta": {...}}``, UTF-8."""
    doc = {"data": _records(df), "meta": meta}
    return json.dumps(doc, ensure_ascii=False, indent=1, allow_nan=False).encode("utf-8")
