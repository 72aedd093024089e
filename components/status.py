"""Where an indicator stands against its target: the status method.

The idea of Open SDG's progress measure, kept simple enough to explain on the Sources page:

1. **achieved** — the latest value already meets the target (``>=``, ``<=``; for ``=``,
   within :data:`EQUAL_TOLERANCE` of it).
2. **insufficient data** — no value, or no two values in different years to measure a pace
   (the baseline is the target's own baseline when it states one, else the first value).
3. **off track** — the target year has passed without the target being met, or the actual
   average annual pace since the baseline is below :data:`ON_TRACK_RATIO` of the pace
   required to reach the target by its year (both in units per year, linear).
4. **on track** — otherwise.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

ON_TRACK_RATIO = 0.95  # actual pace must be at least 95 % of the required pace
EQUAL_TOLERANCE = 0.01  # "=" targets: within 1 % of the target value

ACHIEVED, ON_TRACK, OFF_TRACK, INSUFFICIENT = "achieved", "on_track", "off_track", "insufficient"
STATUSES = (ACHIEVED, ON_TRACK, OFF_TRACK, INSUFFICIENT)
# Shape as well as colour, so status reads without colour vision (Okabe–Ito palette).
SYMBOLS = {ACHIEVED: "✔", ON_TRACK: "▲", OFF_TRACK: "▼", INSUFFICIENT: "?"}
COLOURS = {ACHIEVED: "#009E73", ON_TRACK: "#0072B2", OFF_TRACK: "#D55E00", INSUFFICIENT: "#6b6b6b"}


@dataclass(frozen=True)
class Target:
    comparator: str  # ">=", "<=" or "="
    value: float
    year: int
    baseline_year: int | None = None
    baseline_value: float | None = None


@dataclass(frozen=True)
class Assessment:
    status: str
    latest_year: int | None = None
    latest_value: float | None = None
    baseline_year: int | None = None
    baseline_value: float | None = None
    actual_pace: float | None = None  # units per year since the baseline
    required_pace: float | None = None  # units per year from the baseline to the target
    projected: float | None = None  # latest value carried forward at the actual pace


def met(value: float, target: Target) -> bool:
    if target.comparator == ">=":
        return value >= target.value
    if target.comparator == "<=":
        return value <= target.value
    return abs(value - target.value) <= EQUAL_TOLERANCE * max(abs(target.value), 1e-12)


def assess(points: list[tuple[int, float]], target: Target) -> Assessment:
    """Assess the series ``points`` [(year, value), ...] against ``target``."""
    points = sorted((int(y), float(v)) for y, v in points if v is not None and not math.isnan(v))
    if not points:
        return Assessment(INSUFFICIENT)
    latest_year, latest = points[-1]
    if target.baseline_year is not None and target.baseline_value is not None:
        base_year, base = target.baseline_year, target.baseline_value
    else:
        base_year, base = points[0]
    common = {
        "latest_year": latest_year,
        "latest_value": latest,
        "baseline_year": base_year,
        "baseline_value": base,
    }
    if met(latest, target):
        return Assessment(ACHIEVED, **common)
    if latest_year <= base_year:
        return Assessment(INSUFFICIENT, **common)
    actual = (latest - base) / (latest_year - base_year)
    projected = latest + actual * (target.year - latest_year)
    if latest_year >= target.year or target.year <= base_year:
        return Assessment(OFF_TRACK, **common, actual_pace=actual, projected=projected)
    required = (target.value - base) / (target.year - base_year)
    if target.comparator == "=":
        direction = 1.0 if target.value >= base else -1.0
    else:
        direction = 1.0 if target.comparator == ">=" else -1.0
    needed, achieved = required * direction, actual * direction
    if needed <= 0:  # the baseline met the target, the latest value no longer does
        status = OFF_TRACK
    else:
        status = ON_TRACK if achieved >= ON_TRACK_RATIO * needed else OFF_TRACK
    return Assessment(
        status, **common, actual_pace=actual, required_pace=required, projected=projected
    )
