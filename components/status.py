"""Where an indicator stands against its target: the status method.

The idea of Open SDG's progress measure, kept simple enough to explain on the Sources page.
Three paces are measured, all linear, in the indicator's units per year:

- the **pace since the baseline** (the program's own measure): (latest − baseline) ÷ years;
- the **recent trend**: the least-squares slope of the values of the last :data:`RECENT_YEARS`
  years up to the latest one, when there are at least :data:`RECENT_MIN_VALUES` of them;
- the **pace needed** from the latest value to reach the target by its year.

A value **meets** the target when it is at least (``>=``) or at most (``<=``) the target
value, or for ``=`` within :data:`EQUAL_TOLERANCE` of it. Every status names the reading it
was judged on (``judged_year``).

**The deadline has passed** when today's year is after the target year, or a reading exists
for the target year or a later one. Then no pace is measured against the target (none is
needed any more) and the status says what the readings show, never a guess:

1. **achieved (in YEAR)** — judged on the reading of the target year when there is one;
   without one, on the latest reading before the target year if it meets the target (the target
   was reached early); otherwise on the first reading after the target year, if it meets it.
2. **not achieved (deadline YEAR passed)** — the reading it is judged on (the target year's,
   else the first one after it) does not meet the target.
3. **no reading for YEAR, deadline passed** — the target year has passed, no reading of the
   target year or later exists, and the latest reading (before the target year) does not meet
   the target: that the target was missed is likely but not shown by any reading, so it is not
   said. E.g. salt: 700 thousand t by 2022, last reading 2019 (500) -> "No reading for 2022".

**Before the deadline** (every reading older than the target year, and the target year not
yet past), judged on the latest reading:

1. **achieved (in YEAR)** — the latest reading already meets the target.
2. **insufficient data** — no value, or neither a recent trend nor a pace since the baseline
   (the target's own baseline when it states one, else the first value).
3. **off track** — the deciding pace is below :data:`ON_TRACK_RATIO` of the pace needed from the
   latest value. The recent trend decides; where the recent years hold too few values, the pace
   since the baseline decides.
4. **on track** — otherwise.

Only a target still ahead and not met has a pace needed and a dashed pace line on the charts
(and, when on or off track, a deciding pace); a past or met target is judged by its reading. The wording of every status, on
every page, slide, report and in the API, comes from :mod:`components.target_text`.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date

from components.i18n import fmt_number, t

ON_TRACK_RATIO = 0.95  # the deciding pace must be at least 95 % of the pace needed
EQUAL_TOLERANCE = 0.01  # "=" targets: within 1 % of the target value
RECENT_YEARS = 5  # the recent trend looks at the last 5 years up to the latest value ...
RECENT_MIN_VALUES = 3  # ... and needs at least 3 values among them

ACHIEVED, ON_TRACK, OFF_TRACK, INSUFFICIENT = "achieved", "on_track", "off_track", "insufficient"
NOT_ACHIEVED, NO_READING = "not_achieved", "no_reading"  # the deadline has passed
STATUSES = (ACHIEVED, NOT_ACHIEVED, NO_READING, ON_TRACK, OFF_TRACK, INSUFFICIENT)
RECENT, BASELINE = "recent", "baseline"  # which pace decides the status
# Shape as well as colour, so status reads without colour vision (Okabe–Ito palette).
SYMBOLS = {
    ACHIEVED: "✔",
    NOT_ACHIEVED: "✘",
    NO_READING: "○",
    ON_TRACK: "▲",
    OFF_TRACK: "▼",
    INSUFFICIENT: "?",
}
COLOURS = {
    ACHIEVED: "#009E73",
    NOT_ACHIEVED: "#D55E00",
    NO_READING: "#6b6b6b",
    ON_TRACK: "#0072B2",
    OFF_TRACK: "#D55E00",
    INSUFFICIENT: "#6b6b6b",
}


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
    required_pace: float | None = None  # units per year from the baseline to the target (plan)
    needed_pace: float | None = None  # units per year from the latest value to the target
    recent_pace: float | None = None  # least-squares slope of the last RECENT_YEARS years
    recent_from: int | None = None  # first year of the recent trend
    basis: str | None = None  # RECENT or BASELINE: which pace decided
    projected: float | None = None  # latest value carried to the target year at that pace
    target_year: int | None = None
    judged_year: int | None = None  # the year of the reading the status was judged on
    judged_value: float | None = None
    deadline_passed: bool = False

    @property
    def pace_matters(self) -> bool:
        """Whether a pace is still needed: the target is ahead and not met yet."""
        return self.needed_pace is not None

    @property
    def deciding_pace(self) -> float | None:
        return self.recent_pace if self.basis == RECENT else self.actual_pace


def met(value: float, target: Target) -> bool:
    if target.comparator == ">=":
        return value >= target.value
    if target.comparator == "<=":
        return value <= target.value
    return abs(value - target.value) <= EQUAL_TOLERANCE * max(abs(target.value), 1e-12)


def clean(points: list[tuple[int, float]]) -> list[tuple[int, float]]:
    """(year, value) pairs sorted by year, without missing values."""
    return sorted(
        (int(y), float(v))
        for y, v in points
        if v is not None and not (isinstance(v, float) and math.isnan(v))
    )


def recent_window(points: list[tuple[int, float]]) -> list[tuple[int, float]]:
    """The values of the last :data:`RECENT_YEARS` years up to the latest one (sorted input)."""
    if not points:
        return []
    last = points[-1][0]
    return [(y, v) for y, v in points if y > last - RECENT_YEARS]


def recent_trend(points: list[tuple[int, float]]) -> tuple[float, int] | None:
    """(slope per year, first year) of the recent values by least squares, or None when
    fewer than :data:`RECENT_MIN_VALUES` values fall in the last :data:`RECENT_YEARS` years."""
    window = recent_window(clean(points))
    if len(window) < RECENT_MIN_VALUES:
        return None
    n = len(window)
    mx = sum(y for y, _ in window) / n
    my = sum(v for _, v in window) / n
    sxx = sum((y - mx) ** 2 for y, _ in window)
    sxy = sum((y - mx) * (v - my) for y, v in window)
    return sxy / sxx, window[0][0]


def deadline_passed(points: list[tuple[int, float]], target: Target, today: int) -> bool:
    """Whether the target's year has passed: ``today`` is later, or a reading exists for the
    target year or a later one (``points`` cleaned)."""
    return target.year < today or bool(points and points[-1][0] >= target.year)


def _judge_past(points: list[tuple[int, float]], target: Target) -> tuple[str, int, float] | None:
    """(status, year, value) of a target whose deadline has passed (see the module's rules);
    None when no reading of the target year or later exists and none before it meets it."""
    at = [p for p in points if p[0] == target.year]
    before = [p for p in points if p[0] < target.year]
    after = [p for p in points if p[0] > target.year]
    if at:
        reading = at[-1]
    elif before and met(before[-1][1], target):
        reading = before[-1]
    elif after:
        reading = after[0]
    else:
        return None
    return (ACHIEVED if met(reading[1], target) else NOT_ACHIEVED), *reading


def assess(points: list[tuple[int, float]], target: Target, today: int | None = None) -> Assessment:
    """Assess the series ``points`` [(year, value), ...] against ``target`` in the year
    ``today`` (the current year by default)."""
    today = date.today().year if today is None else today
    points = clean(points)
    past = deadline_passed(points, target, today)
    if not points:
        return Assessment(
            NO_READING if past else INSUFFICIENT, target_year=target.year, deadline_passed=past
        )
    latest_year, latest = points[-1]
    if target.baseline_year is not None and target.baseline_value is not None:
        base_year, base = target.baseline_year, target.baseline_value
    else:
        base_year, base = points[0]
    actual = (latest - base) / (latest_year - base_year) if latest_year > base_year else None
    trend = recent_trend(points)
    common = {
        "latest_year": latest_year,
        "latest_value": latest,
        "baseline_year": base_year,
        "baseline_value": base,
        "actual_pace": actual,
        "recent_pace": trend[0] if trend else None,
        "recent_from": trend[1] if trend else None,
        "target_year": target.year,
        "deadline_passed": past,
    }
    if past:
        judged = _judge_past(points, target)
        if judged is None:
            return Assessment(NO_READING, judged_year=latest_year, judged_value=latest, **common)
        status, year, value = judged
        return Assessment(status, judged_year=year, judged_value=value, **common)
    common["judged_year"], common["judged_value"] = latest_year, latest
    if met(latest, target):
        return Assessment(ACHIEVED, **common)
    common["required_pace"] = (
        (target.value - base) / (target.year - base_year) if target.year > base_year else None
    )
    common["needed_pace"] = (target.value - latest) / (target.year - latest_year)
    basis = RECENT if trend else (BASELINE if actual is not None else None)
    pace = trend[0] if trend else actual
    if pace is None:
        return Assessment(INSUFFICIENT, **common)
    common["basis"] = basis
    common["projected"] = latest + pace * (target.year - latest_year)
    needed = common["needed_pace"]
    if target.comparator == "=":
        direction = 1.0 if target.value >= latest else -1.0
    else:
        direction = 1.0 if target.comparator == ">=" else -1.0
    on_track = pace * direction >= ON_TRACK_RATIO * needed * direction
    return Assessment(ON_TRACK if on_track else OFF_TRACK, **common)


def projection(
    points: list[tuple[int, float]], to_year: int
) -> list[tuple[int, float, float, float]] | None:
    """The recent trend carried from the latest value to ``to_year``: [(year, value, low,
    high), ...], the latest year first. The band is ± the standard deviation of the recent
    year-to-year changes, widening with the square root of the years ahead. None without a
    recent trend or when ``to_year`` is not after the latest year."""
    points = clean(points)
    trend = recent_trend(points)
    if trend is None or to_year <= points[-1][0]:
        return None
    window = recent_window(points)
    changes = [(b - a) / (yb - ya) for (ya, a), (yb, b) in zip(window, window[1:], strict=False)]
    mean = sum(changes) / len(changes)
    spread = math.sqrt(sum((c - mean) ** 2 for c in changes) / max(len(changes) - 1, 1))
    last_year, last = points[-1]
    out = []
    for year in range(last_year, to_year + 1):
        h = year - last_year
        value = last + trend[0] * h
        out.append((year, value, value - spread * math.sqrt(h), value + spread * math.sqrt(h)))
    return out


def pace_lines(
    a: Assessment, lang: str, unit: str, decimals: int | None = None
) -> list[tuple[str, str, bool]]:
    """The paces as (label, value, decides the status) in the order cards, slides, the
    programs page and reports show them: needed from the latest value (only while the target
    is ahead and not met), the recent trend, the pace since the baseline. For a past or met
    target none decides. Empty when nothing can be said."""

    def per_year(v: float) -> str:
        sign = "+" if v > 0 else ""
        d = decimals if decimals is not None else pace_decimals(v)
        return t("pace.per_year", lang, value=sign + fmt_number(v, lang, d), unit=unit).strip()

    out: list[tuple[str, str, bool]] = []
    if a.pace_matters:
        out.append(
            (t("pace.needed", lang, target_year=a.target_year), per_year(a.needed_pace), False)
        )
    if a.recent_pace is not None:
        label = t("pace.recent", lang, first=a.recent_from, last=a.latest_year)
        out.append((label, per_year(a.recent_pace), a.basis == RECENT))
    if a.actual_pace is not None:
        label = t("pace.since", lang, year=a.baseline_year)
        out.append((label, per_year(a.actual_pace), a.basis == BASELINE))
    return out


def pace_decimals(value: float) -> int:
    """Decimals that show a pace to about three significant digits (0 to 4)."""
    if not value or not math.isfinite(value):
        return 0
    return max(0, min(4, 2 - math.floor(math.log10(abs(value)))))
