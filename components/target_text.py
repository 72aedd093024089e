"""The words of a target's status: one wording for the Overview cards, the Programs page,
slides, the district report, charts and the API.

:func:`judge` assesses a target (a row of :func:`store.queries.targets`) against an area's
readings with the method of :mod:`components.status`; :func:`badge` is the one short line (the
status and the year it was judged on); :func:`details` are the lines that go under it (the
reading it was judged on, a benchmark's origin, the paces); :func:`benchmark` says when a target
set for another level (a national target) is applied to the area as a benchmark.
"""

from __future__ import annotations

from datetime import date

import pandas as pd
from dash import html

from components import status as st
from components.i18n import fmt_number, t

COUNTRY = "000000000"


def _opt(v: object) -> float | None:
    return None if v is None or pd.isna(v) else float(v)


def _get(row: object, name: str) -> object:
    return row.get(name) if isinstance(row, dict | pd.Series) else getattr(row, name, None)


def target_of(row: object) -> st.Target:
    """The status method's Target from a target row (a namedtuple, Series or dict)."""
    base_year = _opt(_get(row, "baseline_year"))
    return st.Target(
        str(_get(row, "comparator")),
        float(_get(row, "value")),
        int(_get(row, "target_year")),
        None if base_year is None else int(base_year),
        _opt(_get(row, "baseline_value")),
    )


def points_of(obs: pd.DataFrame) -> list[tuple[int, float]]:
    """(year, value) of the series a target is judged on: the total ('') when there is one,
    else the first series; one reading a year, the first as the store orders them (its
    preferred source first)."""
    if obs is None or obs.empty:
        return []
    series = "" if (obs["series"] == "").any() else sorted(obs["series"])[0]
    one = obs[obs["series"] == series].drop_duplicates("year", keep="first").sort_values("year")
    return list(zip(one["year"].astype(int), one["value"].astype(float), strict=True))


def judge(
    obs: pd.DataFrame | list[tuple[int, float]], row: object, today: int | None = None
) -> st.Assessment:
    """The assessment of the target ``row`` against the readings ``obs`` (a frame of
    observations or (year, value) pairs) in the year ``today`` (the current year by default)."""
    points = obs if isinstance(obs, list) else points_of(obs)
    return st.assess(points, target_of(row), date.today().year if today is None else today)


def badge(a: st.Assessment, lang: str) -> str:
    """The status in one short line: 'Achieved (in 2020)', 'Not achieved (deadline 2024
    passed)', 'No reading for 2022 — deadline passed', 'On track (judged on 2025)'."""
    if a.status == st.ACHIEVED:
        return t("st.achieved_in", lang, year=a.judged_year)
    if a.status == st.NOT_ACHIEVED:
        return t("st.not_achieved", lang, year=a.target_year)
    if a.status == st.NO_READING:
        return t("st.no_reading", lang, year=a.target_year)
    if a.status in (st.ON_TRACK, st.OFF_TRACK) and a.judged_year is not None:
        return t(f"st.{a.status}", lang, year=a.judged_year)
    return t(f"status.{a.status}", lang)


def badge_line(a: st.Assessment, lang: str) -> str:
    """:func:`badge` after the status's symbol (for text: slides, reports, tables)."""
    return f"{st.SYMBOLS[a.status]} {badge(a, lang)}"


def badge_html(a: st.Assessment, lang: str, element: type = html.Span) -> object:
    """:func:`badge` as a Dash element: the symbol (hidden from screen readers) and the text,
    framed in the status's colour (never colour alone)."""
    return element(
        [html.Span(st.SYMBOLS[a.status], **{"aria-hidden": "true"}), " " + badge(a, lang)],
        className=f"status status-{a.status}",
        style={"borderColor": st.COLOURS[a.status]},
    )


def benchmark(row: object, lang: str, area_names: dict[str, str] | None = None) -> str | None:
    """'National target, applied as a benchmark: <legal reference>' for a target set for
    another level (``set_for``) and applied to its area; None for the area's own target."""
    set_for = _get(row, "set_for")
    if set_for is None or pd.isna(set_for) or not str(set_for).strip():
        return None
    legal = (
        _get(row, f"legal_ref_{lang}")
        or _get(row, "legal_ref")
        or _get(row, f"source_publisher_{lang}")
        or _get(row, "source_publisher")
        or _get(row, "source")
    )
    legal = "" if legal is None or (isinstance(legal, float) and pd.isna(legal)) else str(legal)
    if str(set_for) == COUNTRY:
        text = t("st.benchmark_national", lang)
    else:
        name = (area_names or {}).get(str(set_for), str(set_for))
        text = t("st.benchmark_other", lang, area=name)
    return t("st.benchmark_source", lang, text=text, source=legal) if legal else text


def details(
    a: st.Assessment,
    row: object,
    lang: str,
    unit: str,
    decimals: int | None = None,
    area_names: dict[str, str] | None = None,
    paces: bool = True,
) -> list[tuple[str, bool]]:
    """The lines under the badge as (text, decides the status): a benchmark's origin, the
    reading the status was judged on (for a past or met target), then (``paces``) the paces
    of :func:`components.status.pace_lines` (the pace needed only while it matters)."""
    out: list[tuple[str, bool]] = []
    origin = benchmark(row, lang, area_names)
    if origin:
        out.append((origin, False))

    def value(v: float | None) -> str:
        return f"{fmt_number(v, lang, decimals)} {unit}".strip()

    if a.status == st.NO_READING and a.latest_year is not None:
        text = t("st.last_reading", lang, year=a.latest_year, value=value(a.latest_value))
        out.append((text, False))
    elif a.status in (st.ACHIEVED, st.NOT_ACHIEVED):
        late = a.judged_year is not None and a.judged_year > a.target_year
        text = (
            t(
                "st.judged_late",
                lang,
                target_year=a.target_year,
                year=a.judged_year,
                value=value(a.judged_value),
            )
            if late
            else t("st.judged", lang, year=a.judged_year, value=value(a.judged_value))
        )
        out.append((text, False))
    for label, value, decides in st.pace_lines(a, lang, unit) if paces else []:
        out.append((f"{label}: {value}" if value else label, decides))
    return out
