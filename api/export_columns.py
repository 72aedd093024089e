"""What a downloaded table needs beside the stored readings to be read alone: each area's
oblast, the status words in the reader's language, values at their published precision and
each target's status.

Precision (issue 22): a reading is written as its source printed it (the stored value, float
noise cut at 12 significant digits, so nothing published is lost); a value the dashboard
computes is rounded: per person or per km² to the indicator's ``decimals`` plus two (a total
published in whole million tenge gives 21.95 million tenge per person, not
21.953485526315788), and never to fewer than three significant digits (0.000794 thousand
heads per person stays 0.000794); a change in per cent and an index to one decimal; a
population denominator to whole persons, an area to 0.1 km².
"""

from __future__ import annotations

import math
from typing import Any

import pandas as pd

from components import target_text as tt
from components.i18n import t
from store import queries

COUNTRY = "000000000"
PCT_DECIMALS = 1  # change in per cent, index (previous = 100 or first = 100)
PER_UNIT_EXTRA = 2  # decimals a per-person or per-km² value keeps beyond the indicator's
SIGNIFICANT = 3  # digits a computed value keeps at the least
DENOMINATOR_DECIMALS = {"persons": 0, "km2": 1}


def published(values: pd.Series) -> pd.Series:
    """Stored readings without float noise: 2407.4557910000003 -> 2407.455791."""
    return values.astype(float).map(lambda v: v if math.isnan(v) else float(f"{v:.12g}"))


def per_unit(values: pd.Series, indicator_decimals: Any, factor: float = 1.0) -> pd.Series:
    """Per-person or per-km² values rounded: the indicator's decimals plus
    :data:`PER_UNIT_EXTRA`, less the power of ten ``factor`` that put them in a readable unit
    (million tenge -> tenge: 6), and at least :data:`SIGNIFICANT` significant digits each."""
    given = indicator_decimals is not None and not pd.isna(indicator_decimals)
    shift = round(math.log10(factor)) if factor and factor > 0 else 0
    base = max(0, (int(indicator_decimals) if given else 0) + PER_UNIT_EXTRA - shift)

    def one(v: float) -> float:
        if math.isnan(v) or v == 0:
            return v
        return round(v, max(base, SIGNIFICANT - 1 - math.floor(math.log10(abs(v)))))

    return values.astype(float).map(one)


def oblast_of(katos: pd.Series, lang: str) -> tuple[list[str | None], list[str | None]]:
    """(KATO code, name in ``lang``) of the oblast (or city of republican status) each area
    is in; an oblast is its own, the country has none."""
    areas = queries.areas().set_index("kato")
    parent = areas["parent"].to_dict()
    names = areas[f"name_{lang}"].to_dict()

    def top(kato: str) -> str | None:
        seen = 0
        while kato in parent and seen < 10:  # district -> (city ->) oblast -> country
            up = parent[kato]
            if up is None or pd.isna(up) or up == COUNTRY:
                return None if kato == COUNTRY else kato
            kato, seen = up, seen + 1
        return None

    codes = [top(k) for k in katos]
    return codes, [names.get(c) if c else None for c in codes]


def status_labels(status: pd.Series, lang: str) -> list[str]:
    """A reading's status (actual, estimate, derived, provisional) in ``lang``."""
    return [t(f"obs.{s}", lang) if isinstance(s, str) else s for s in status]


def target_status(tg: Any, indicator: str, lang: str) -> dict[str, Any]:
    """The target's status judged on the area's preferred total series, as the cards and
    Programs judge it: its code and its words in ``lang`` (components/target_text.py)."""
    a = tt.judge(queries.observations(indicator, tg.area), tg)
    return {"status": a.status, "status_label": tt.badge(a, lang)}


__all__ = [
    "DENOMINATOR_DECIMALS",
    "PCT_DECIMALS",
    "oblast_of",
    "per_unit",
    "published",
    "status_labels",
    "target_status",
]
