"""A series' values and change in words, the same on the cards, in the summaries and in a
chart's text alternative: rates change in percentage points, money in current prices says
that it includes inflation, large amounts are compact in the reader's language ("30,3 млрд
тенге"), and a change over the whole series does not hide its last turn.

Whether a change is a difference in points is the catalogue's declared kind
(:func:`components.kinds.is_rate`: a rate or a share); whether money is in current prices,
its unit (:func:`in_current_prices`).
"""

from __future__ import annotations

import math
from typing import NamedTuple

from components.i18n import decimals_of, fmt_compact, fmt_number, fmt_percent, t
from components.kinds import is_rate

# A number of at least this many of its own unit is written compact ("30,3 млрд тенге").
COMPACT_FROM = 10_000
# The scale words units start with, by language, and what they multiply by.
_SCALES = {
    "en": {"thousand ": 1e3, "million ": 1e6, "billion ": 1e9},
    "ru": {"тыс. ": 1e3, "млн ": 1e6, "млрд ": 1e9},
    "kk": {"мың ": 1e3, "млн ": 1e6, "млрд ": 1e9},
}


def _per_cent(meta: dict) -> bool:
    """Whether the indicator's unit is a per cent ('%', '% of territory')."""
    unit = str(meta.get("unit_en") or "").strip().lower()
    return unit.startswith(("%", "per cent", "percent"))


def in_current_prices(meta: dict) -> bool:
    """Whether the indicator is money in current prices (or a nominal figure), so that its
    growth includes inflation."""
    unit = str(meta.get("unit_en") or "").lower()
    return "current prices" in unit or "_nominal" in str(meta.get("code") or "")


def _scale(unit: str, lang: str) -> tuple[float, str]:
    """(what the unit's scale word multiplies by, the unit without it): ('млн тенге', 'ru')
    -> (1e6, 'тенге'); a unit without a scale word -> (1, unit)."""
    for word, factor in _SCALES.get(lang, {}).items():
        if unit.startswith(word):
            return factor, unit[len(word) :]
    return 1.0, unit


def amounts(
    values: list[float], meta: dict, lang: str, decimals: int | None
) -> tuple[list[str], str]:
    """``values`` in words and the unit to write after them: as they are, or, when one is
    large (:data:`COMPACT_FROM` of its unit) and the unit is a total, compact in the base
    unit ([30300] million tenge -> ['30,3 млрд'], 'тенге, в текущих ценах')."""
    unit = meta.get(f"unit_{lang}") or ""
    plain = [fmt_number(v, lang, decimals) for v in values]
    factor_en, _ = _scale(str(meta.get("unit_en") or ""), "en")
    factor, base = _scale(unit, lang)
    large = any(abs(v) >= COMPACT_FROM for v in values if not _missing(v))
    if not large or factor != factor_en or is_rate(meta) or _per_cent(meta) or "/" in unit:
        return plain, unit
    out = []
    for v in values:
        whole = v * factor
        out.append(fmt_compact(whole, lang) if abs(whole) >= 1e6 else fmt_number(whole, lang, 0))
    return out, base


def _missing(v: object) -> bool:
    return v is None or (isinstance(v, float) and math.isnan(v))


class Turn(NamedTuple):
    """The last run of the series: from ``start`` to ``end`` (year, value), ``up`` or not."""

    start: tuple[int, float]
    end: tuple[int, float]
    up: bool


def last_turn(points: list[tuple[int, float]]) -> Turn | None:
    """The most recent run of the series (years in order) when its direction differs from
    the change over the whole series; None when the series only goes one way (or is too
    short to turn)."""
    pts = sorted((int(y), float(v)) for y, v in points if not _missing(v))
    if len(pts) < 3:
        return None
    step = pts[-1][1] - pts[-2][1]
    if step == 0:
        return None
    i = len(pts) - 2
    while i > 0 and (pts[i][1] - pts[i - 1][1]) * step > 0:
        i -= 1
    if i == 0:
        return None  # one run from the first year: no turn
    overall = _direction(pts[0][1], pts[-1][1])
    up = step > 0
    if overall == (1 if up else -1):
        return None
    return Turn(pts[i], pts[-1], up)


def _direction(first: float, last: float) -> int:
    """1 up, -1 down, 0 flat (within 0.05 % of the first value, as the summaries say)."""
    if not first:
        return 0 if last == first else (1 if last > first else -1)
    pct = (last / first - 1) * 100
    return 1 if pct > 0.05 else (-1 if pct < -0.05 else 0)


def change(first: float, last: float, meta: dict, lang: str, signed: bool = False) -> str:
    """The change from ``first`` to ``last``: for a rate or a share the difference, in
    percentage points when its unit is a per cent ('+2,3 п. п.', else '+0,5 per 1,000
    population'); for the rest in per cent of the first value ('−10,7 %'). Signed, or as
    'up 2.3 …' / 'down …'. Empty when it cannot be said (a per-cent change from zero)."""
    if is_rate(meta):
        diff = last - first
        size = fmt_number(abs(diff), lang, 1)
        if _per_cent(meta):
            size = t("ch.pp", lang, value=size)
        else:
            size = f"{size} {meta.get(f'unit_{lang}') or ''}".strip()
    elif first:
        diff = (last / first - 1) * 100
        size = fmt_percent(abs(diff) / 100, lang, 1)
    else:
        return ""
    flat = abs(diff) < 0.05
    if signed:
        return ("" if flat else ("+" if diff > 0 else "−")) + size
    return t("sum.flat", lang) if flat else t("sum.up" if diff > 0 else "sum.down", lang, pct=size)


def series_change(points: list[tuple[int, float]], meta: dict, lang: str) -> str:
    """The summary's words for the change over ``points``: 'down 10.7 %, but rose in
    2022–2025: 18.5 → 24.1', with inflation named for money in current prices."""
    pts = sorted(points)
    (_, first), (_, last) = pts[0], pts[-1]
    words = change(first, last, meta, lang) or t("sum.flat", lang)
    if words != t("sum.flat", lang) and in_current_prices(meta):
        words += f", {t('sum.inflation', lang)}"
    turn = last_turn(pts)
    if turn:
        (y0, v0), (y1, v1) = turn.start, turn.end
        shown, _ = amounts([v0, v1], meta, lang, decimals_of(meta))
        words += ", " + t(
            "ch.turn_up" if turn.up else "ch.turn_down",
            lang,
            start_year=y0,
            end_year=y1,
            start=shown[0],
            end=shown[1],
        )
    return words


def card_change(points: list[tuple[int, float]], meta: dict, lang: str) -> list[str]:
    """An overview card's lines on the change since its first year: 'Since 2010: −10.7 %;
    rose in 2022–2025', then 'in current prices, so including inflation' for such money."""
    pts = sorted(points)
    (year, first), (_, last) = pts[0], pts[-1]
    size = change(first, last, meta, lang, signed=True)
    if not size:
        return []
    line = t("ov.change", lang, year=year, sign="", pct=size)
    turn = last_turn(pts)
    if turn:
        line += "; " + t(
            "ch.card_turn_up" if turn.up else "ch.card_turn_down",
            lang,
            start_year=turn.start[0],
            end_year=turn.end[0],
        )
    return [line, t("sum.inflation", lang)] if in_current_prices(meta) else [line]
