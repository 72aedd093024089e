"""Data as CSV: UTF-8 with a byte-order mark, floats as stored."""

from __future__ import annotations

from typing import Any

import pandas as pd


def to_csv(df: pd.DataFrame, meta: dict[str, Any] | None = None, *, excel: bool = False) -> bytes:
    """UTF-8 with a byte-order mark (so Excel reads Cyrillic); floats as stored (the
    shortest text that reads back to the same number: 2609.1, not 2609.0999999).

    ``excel``: ";" between fields and "," as the decimal mark (2609,1), as Excel expects
    in a Russian or Kazakh locale.
    """
    options = {"sep": ";", "decimal": ","} if excel else {}
    return ("\ufeff" + df.to_csv(index=False, lineterminator="\r\n", **options)).encode("utf-8")
