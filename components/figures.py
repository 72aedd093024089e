"""Pure figure builders: DataFrame in, go.Figure out. No database access.

Conventions: observations come as a DataFrame with columns ``area, year, value, status,
year_approx, source`` (as :func:`store.queries.observations` returns them); targets with
``target_year, comparator, value, baseline_year, baseline_value, program``. Text is in
``lang``; numbers use the language's separators.
"""

from __future__ import annotations

import math

import pandas as pd
import plotly.graph_objects as go

from components import status as st
from components import target_text as tt
from components.i18n import (
    N_,
    decimals_of,
    fmt_number,
    plotly_separators,
    series_label,
    t,
)
from components.wording import amounts, series_change

# Okabe–Ito: distinguishable with the common colour-vision deficiencies.
PALETTE = ["#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#000000", "#F0E442"]
TARGET_COLOUR = "#000000"
FONT = "Liberation Sans, Arial, sans-serif"

_AXIS = {
    "gridcolor": "#EBF0F8",
    "linecolor": "#EBF0F8",
    "ticks": "",
    "title": {"standoff": 15},
    "zerolinecolor": "#EBF0F8",
    "automargin": True,
    "zerolinewidth": 2,
}
# The parts of plotly's "plotly_white" template these charts use, and nothing else: applying
# the named template costs ~25 ms a figure and adds ~7 kB of JSON (colour scales, 3-D scenes,
# polar axes) to every response.
TEMPLATE = go.layout.Template(
    layout={
        "xaxis": _AXIS,
        "yaxis": _AXIS,
        "plot_bgcolor": "white",
        "paper_bgcolor": "white",
        "hovermode": "closest",
        "hoverlabel": {"align": "left"},
    }
)
TEMPLATE_JSON = TEMPLATE.to_plotly_json()
MODES = ("absolute", "change", "index")
LEGEND_LINE = 26  # characters on a line of a target's, the pace's or a projection's legend entry
CMP_SIGNS = {">=": "≥", "<=": "≤", "=": "="}


SERIES_KEYS = ("area", "series")
# How a reading that is not a plain reading of its source is drawn (each with a legend entry):
# estimates, provisional figures and inferred years hollow, the curators' derived values as
# hollow diamonds.
FLAGGED_MARKERS = {
    "approx": (N_("ch.legend_approx"), {"symbol": "circle-open", "size": 11}),
    "derived": (N_("ch.legend_derived"), {"symbol": "diamond-open", "size": 13}),
}


def _reading_kind(status: object, year_approx: object) -> str | None:
    """ "actual", "approx" (estimate, provisional or inferred year), "derived", or None for
    a year without a reading."""
    if not isinstance(status, str):
        return None
    if status == "derived":
        return "derived"
    return "approx" if status != "actual" or _is_true(year_approx) else "actual"


def _is_true(flag: object) -> bool:
    """A flag read from a frame: True or numpy's True (a missing year's NaN is not)."""
    return bool(flag == True)  # noqa: E712 - numpy's bool is not ``True``


def preferred(df: pd.DataFrame) -> pd.DataFrame:
    """One reading per area, series and year: the first, as the store orders them (best first)."""
    if df.empty:
        return df
    return df.drop_duplicates(["area", "series", "year"], keep="first")


def transform(df: pd.DataFrame, mode: str, by: tuple[str, ...] = SERIES_KEYS) -> pd.DataFrame:
    """Values in the chosen mode, per group ``by``: absolute, % change on the previous year,
    or index (the group's first year = 100)."""
    if mode not in MODES or mode == "absolute" or df.empty:
        return df
    out = []
    for _, g in df.sort_values("year", kind="stable").groupby(list(by), sort=False):
        g = g.copy()
        if mode == "change":
            prev = g.set_index("year")["value"]
            prev_year = g["year"] - 1
            g["value"] = [
                (v / prev[y] - 1) * 100 if y in prev.index and prev[y] not in (0, None) else None
                for v, y in zip(g["value"], prev_year, strict=True)
            ]
            g = g[g["value"].notna()]
        else:
            first = g["value"].iloc[0]
            g["value"] = g["value"] / first * 100 if first else None
        out.append(g)
    return pd.concat(out) if out else df.iloc[0:0]


def _with_gaps(g: pd.DataFrame) -> pd.DataFrame:
    """Insert empty rows at missing years, so lines connect consecutive years only."""
    years = g["year"].astype(int)
    first, last = years.min(), years.max()
    if last - first + 1 == len(g) and years.is_monotonic_increasing and years.is_unique:
        cols = ["year", *[c for c in g.columns if c != "year"]]  # as the merge orders them
        return g.assign(year=years)[cols].reset_index(drop=True)  # no missing year
    full = pd.DataFrame({"year": range(first, last + 1)})
    return full.merge(g, on="year", how="left")


def time_series_parts(
    df: pd.DataFrame,
    meta: dict,
    lang: str,
    *,
    targets: pd.DataFrame | None = None,
    area_names: dict[str, str] | None = None,
    mode: str = "absolute",
    source_labels: dict[str, str] | None = None,
    height: int = 440,
) -> dict:
    """One indicator over time for one or several areas, with targets and the required pace,
    as the plain dict ``{"data": [...], "layout": {...}}`` that :func:`time_series` makes a
    figure of (the Explore page sends it as it is: building and validating plotly objects
    took half of its answer).

    Consecutive years are joined by a line; isolated years stand as points, so no line
    suggests values between years that have none. Estimates, derived values and inferred
    years are drawn as open markers and named in the hover text. With ``source_labels``
    (source code -> label) each source's readings are a series of their own; targets are
    then measured against the preferred reading of each year.
    """
    area_names = area_names or {}
    unit = meta.get(f"unit_{lang}") or ""
    decimals = decimals_of(meta)
    fig = _Parts()
    by = SERIES_KEYS + (("source",) if source_labels is not None else ())
    data = transform(df, mode, by)
    y_title = unit if mode == "absolute" else t(f"mode.{mode}", lang)
    groups = data.sort_values("year", kind="stable").groupby(list(by), sort=False)
    flagged_kinds: set[str] = set()  # the kinds of flagged reading drawn, for the legend
    for i, (key, g) in enumerate(groups):
        colour = PALETTE[i % len(PALETTE)]
        g = _with_gaps(g)
        kinds = [_reading_kind(s, a) for s, a in zip(g["status"], g["year_approx"], strict=True)]
        hover = [
            _hover(r, unit if mode == "absolute" else "", lang, decimals) for r in g.itertuples()
        ]
        readings = g["value"].notna()
        plain = "square" if key[1] else "circle"  # another series of the area, as its legend
        symbols = [
            FLAGGED_MARKERS[k][1]["symbol"] if k in FLAGGED_MARKERS else plain for k in kinds
        ]
        sizes = [FLAGGED_MARKERS[k][1]["size"] if k in FLAGGED_MARKERS else 9 for k in kinds]
        fig.add_trace(
            _scatter(
                x=g["year"].to_numpy(),
                y=g["value"].to_numpy(),
                name=_trace_name(key, area_names, source_labels, lang),
                # one reading alone is a point: a line of one point draws nothing
                mode="lines+markers" if readings.sum() > 1 else "markers",
                connectgaps=False,
                line={"color": colour, "width": 3, "dash": "dot" if key[1] else "solid"},
                # an open symbol's outline takes the marker's colour; a filled one is ringed
                marker={
                    "size": sizes,
                    "color": colour,
                    "symbol": symbols,
                    "line": {"color": colour, "width": 2},
                    "opacity": 1,  # sizes by point would make plotly fade them as bubbles
                },
                hovertext=hover,
                hoverinfo="text",
                legendgroup=key[0],
                meta={"role": "readings"},
            )
        )
        flagged_kinds.update(k for k in kinds if k in FLAGGED_MARKERS)
    for kind, (legend, marker) in FLAGGED_MARKERS.items():
        if kind in flagged_kinds:  # a legend entry only: the readings trace draws the markers
            fig.add_trace(
                _scatter(
                    x=[None],
                    y=[None],
                    name=_wrapped(t(legend, lang)),
                    mode="markers",
                    marker={**marker, "color": "#444444", "line": {"width": 2}},
                    hoverinfo="skip",
                    meta={"role": f"legend-{kind}"},
                )
            )
    if targets is not None and len(targets) and mode in ("absolute", "index"):
        _add_targets(fig, preferred(df), targets, meta, lang, mode, decimals)
    x_title = t("word.year", lang)
    if _annotate_sparse(fig, df, data, lang):
        # one year only: said under the axis, where it covers no marker or star
        x_title += " — " + t("msg.one_year", lang, year=int(df["year"].iloc[0]))
    years = list(data["year"]) + (list(targets["target_year"]) if targets is not None else [])
    fig.update_layout(
        height=max(height, _legend_room(fig.data)),
        separators=plotly_separators(lang),
        font={"family": FONT, "size": 15, "color": "#1a1a1a"},
        margin={"l": 70, "r": 20, "t": 30, "b": 50},
        legend={
            "orientation": "h",
            "yanchor": "bottom",
            "y": 1.02,
            "x": 0,
            "itemsizing": "constant",
            "maxheight": 0.75,  # a phone stacks the entries: shown whole, not scrolled
        },
        xaxis=_without_none(
            {"title": {"text": x_title}, "tickformat": "d", "dtick": _dtick(years)}
        ),
        yaxis={
            "title": {"text": y_title},
            "rangemode": "tozero" if mode == "absolute" else "normal",
            "tickformat": ",~f",
        },  # 33 679, not 33.7k: digits in the language's separators
        hoverlabel={"font": {"size": 15}},
    )
    return fig.to_dict()


def time_series(
    df: pd.DataFrame,
    meta: dict,
    lang: str,
    **options: object,
) -> go.Figure:
    """:func:`time_series_parts` (same arguments) as a plotly figure, validated: for the
    downloads, embeds, slides and reports, which change or export it."""
    return go.Figure(time_series_parts(df, meta, lang, **options))


class _Parts:
    """A figure being built as plain dicts: what go.Figure's add_trace, add_annotation and
    update_layout would hold, without plotly.py's objects and validation."""

    def __init__(self) -> None:
        self.data: list[dict] = []
        self.layout: dict = {}

    def add_trace(self, trace: dict) -> None:
        self.data.append(trace)

    def add_annotation(self, **props: object) -> None:
        self.layout.setdefault("annotations", []).append(props)

    def update_layout(self, **props: object) -> None:
        self.layout.update(props)

    def to_dict(self) -> dict:
        layout = {**self.layout, "template": TEMPLATE_JSON}
        return {"data": self.data, "layout": layout}


def _scatter(**props: object) -> dict:
    return {"type": "scatter", **props}


def _without_none(props: dict) -> dict:
    """``props`` without its None values (plotly leaves an unset property out)."""
    return {k: v for k, v in props.items() if v is not None}


def _trace_name(
    key: tuple, area_names: dict[str, str], source_labels: dict[str, str] | None, lang: str
) -> str:
    area, series = key[0], key[1]
    name = area_names.get(area, area) + (f" — {series_label(series, lang)}" if series else "")
    if source_labels is not None:
        name += f" — {source_labels.get(key[2], key[2])}"
    return name


def _annotate_sparse(fig: _Parts, raw: pd.DataFrame, data: pd.DataFrame, lang: str) -> bool:
    """Say "no data" or "no consecutive years" (for % change) on the chart; True when the
    chart has one year only (the caller says so under the axis)."""
    if raw.empty:
        text, size = t("fig.no_data", lang), 20
    elif data.empty:
        text, size = t("fig.no_consecutive", lang), 17
    else:
        return bool(raw["year"].nunique() == 1)
    fig.add_annotation(
        text=text, showarrow=False, font={"size": size}, xref="paper", yref="paper", x=0.5, y=0.5
    )
    return False


def _wrapped(text: str, width: int = LEGEND_LINE) -> str:
    """A long legend entry on lines of about ``width`` characters (plotly cuts a legend line
    at the chart's edge: on a phone a target's benchmark note or the pace's name was lost)."""
    lines: list[str] = []
    for word in text.split(" "):
        if lines and len(lines[-1]) + 1 + len(word) <= width:
            lines[-1] += " " + word
        else:
            lines.append(word)
    return "<br>".join(lines)


def _legend_room(traces: list[dict]) -> int:
    """A height that leaves the plot room under its legend where every entry takes a line
    (a phone): below it the legend covered the plot's top readings and stars."""
    names = [tr["name"] for tr in traces if tr.get("name") and tr.get("showlegend", True)]
    return 280 + 30 * len(names) + 20 * sum(name.count("<br>") for name in names)


def _dtick(years: list) -> int | None:
    years = [int(y) for y in years if not pd.isna(y)]
    if not years:
        return None
    span = max(years) - min(years)
    return 1 if span <= 12 else (2 if span <= 24 else 5)


def _hover(r, unit: str, lang: str, decimals: int | None) -> str:  # noqa: ANN001
    if r.value is None or (isinstance(r.value, float) and math.isnan(r.value)):
        return ""
    parts = [f"<b>{int(r.year)}</b>: {fmt_number(r.value, lang, decimals)} {unit}".strip()]
    flags = []
    if isinstance(r.status, str) and r.status != "actual":
        flags.append(t(f"obs.{r.status}", lang))
    if _is_true(r.year_approx):
        flags.append(t("obs.year_approx", lang))
    if flags:
        parts.append("(" + ", ".join(flags) + ")")
    if isinstance(r.source, str):
        parts.append(f"{t('word.source', lang)}: {r.source}")
    return "<br>".join(parts)


def _add_targets(
    fig: _Parts,
    raw: pd.DataFrame,
    targets: pd.DataFrame,
    meta: dict,
    lang: str,
    mode: str,
    decimals: int | None,
) -> None:
    unit = meta.get(f"unit_{lang}") or ""
    if len(raw) and (raw["series"] == "").any():
        raw = raw[raw["series"] == ""]
    pace_shown = False  # one legend entry
    for i, tg in enumerate(targets.sort_values("target_year").itertuples()):
        series = raw[raw["area"] == tg.area].sort_values("year") if "area" in targets else raw
        scale = 1.0
        if mode == "index":
            if series.empty or not series["value"].iloc[0]:
                continue
            scale = 100.0 / series["value"].iloc[0]
        label = t(
            "fig.target",
            lang,
            year=int(tg.target_year),
            value=f"{CMP_SIGNS.get(tg.comparator, tg.comparator)} "
            f"{fmt_number(tg.value, lang, decimals)} {unit}".strip(),
        )
        origin = tt.benchmark(tg, lang)  # a national target applied here says so, and whose
        if origin:
            label += f" ({t('st.benchmark_national', lang)})"
        fig.add_trace(
            _scatter(
                x=[tg.target_year],
                y=[tg.value * scale],
                # no text beside the star: the legend names it, and a label beside it
                # covered readings and the next target's star
                mode="markers",
                name=_wrapped(label),
                showlegend=True,
                marker={"symbol": "star", "size": 18, "color": TARGET_COLOUR},
                hovertext=[
                    label
                    + (
                        f"<br>{getattr(tg, 'program_' + lang, '')}"
                        if hasattr(tg, f"program_{lang}")
                        else ""
                    )
                    + (f"<br>{origin}" if origin else "")
                ],
                hoverinfo="text",
                legendgroup=f"target{i}",
                meta={"role": "target"},
            )
        )
        # The required pace only for a target still ahead and not met (the status method's
        # rule, components.status): drawn from the latest value to the target.
        a = tt.judge(list(zip(series["year"], series["value"], strict=True)), tg)
        if not a.pace_matters:
            continue  # a past or met target is judged by its marker
        start_year, start = a.latest_year, a.latest_value
        fig.add_trace(
            _scatter(
                x=[start_year, tg.target_year],
                y=[start * scale, tg.value * scale],
                mode="lines",
                name=_wrapped(t("fig.required_ahead", lang)),
                line={"color": TARGET_COLOUR, "dash": "dash", "width": 2},
                hoverinfo="skip",
                legendgroup=f"target{i}",
                showlegend=not pace_shown,
                meta={"role": "pace"},
            )
        )
        pace_shown = True
    ahead = targets[targets["target_year"] > (raw["year"].max() if len(raw) else 0)]
    if ahead.empty:
        return
    by_area = (
        ahead.groupby("area", sort=False)["target_year"].max()
        if "area" in ahead
        else pd.Series({None: ahead["target_year"].max()})
    )
    for area, to_year in by_area.items():
        series = (raw if area is None else raw[raw["area"] == area]).sort_values("year")
        scale = 1.0
        if mode == "index":
            if series.empty or not series["value"].iloc[0]:
                continue
            scale = 100.0 / series["value"].iloc[0]
        _add_projection(fig, series, int(to_year), lang, scale, decimals, unit)


def _add_projection(
    fig: _Parts,
    series: pd.DataFrame,
    to_year: int,
    lang: str,
    scale: float,
    decimals: int | None,
    unit: str,
) -> None:
    """The recent trend carried to ``to_year``: a dashed line with a band from the spread of
    the recent year-to-year changes (:func:`components.status.projection`), named a
    projection, never data."""
    points = list(zip(series["year"], series["value"], strict=True))
    rows = st.projection(points, to_year)
    if not rows:
        return
    years = [r[0] for r in rows]
    value, low, high = ([r[k] * scale for r in rows] for k in (1, 2, 3))
    first = st.recent_window(st.clean(points))[0][0]
    name = t("fig.projection", lang, first=first, last=years[0])
    fig.add_trace(
        _scatter(
            x=years + years[::-1],
            y=high + low[::-1],
            fill="toself",
            fillcolor="rgba(230,159,0,0.18)",
            line={"width": 0},
            mode="lines",
            name=t("fig.projection_band", lang),
            hoverinfo="skip",
            legendgroup="projection",
            showlegend=False,
        )
    )
    fig.add_trace(
        _scatter(
            x=years,
            y=value,
            mode="lines",
            name=_wrapped(name),
            line={"color": PALETTE[1], "dash": "dash", "width": 2},
            hovertext=[
                t(
                    "fig.projection_hover",
                    lang,
                    year=y,
                    value=f"{fmt_number(v, lang, decimals)} {unit}".strip(),
                    low=fmt_number(lo, lang, decimals),
                    high=fmt_number(hi, lang, decimals),
                )
                for y, v, lo, hi in zip(years, value, low, high, strict=True)
            ],
            hoverinfo="text",
            legendgroup="projection",
            meta={"projection": True},
        )
    )


def sparkline(df: pd.DataFrame, colour: str = PALETTE[0], height: int = 60) -> go.Figure:
    """A small line of one series, no axes: the overview cards' trend."""
    g = _with_gaps(df.sort_values("year")) if len(df) else df
    fig = go.Figure(
        go.Scatter(
            x=g.get("year", []),
            y=g.get("value", []),
            mode="lines+markers",
            connectgaps=False,
            line={"color": colour, "width": 2},
            marker={"size": 4},
            hoverinfo="skip",
        )
    )
    fig.update_layout(
        height=height,
        margin={"l": 2, "r": 2, "t": 2, "b": 2},
        xaxis={"visible": False},
        yaxis={"visible": False},
        showlegend=False,
        template=TEMPLATE,
        paper_bgcolor="rgba(0,0,0,0)",
        plot_bgcolor="rgba(0,0,0,0)",
    )
    return fig


def summary(
    df: pd.DataFrame,
    meta: dict,
    lang: str,
    area_names: dict[str, str],
    targets: pd.DataFrame | None = None,
) -> list[str]:
    """Plain-language sentences describing the chart, one per area (and per target)."""
    name = meta.get(f"name_{lang}") or meta.get("code", "")
    unit = meta.get(f"unit_{lang}") or ""
    decimals = decimals_of(meta)
    out = []
    areas = list(dict.fromkeys(df["area"])) if len(df) else list(area_names)
    for area in areas:
        g = df[(df["area"] == area) & (df["series"] == "")] if len(df) else df
        if g.empty and len(df):
            g = df[df["area"] == area]
        g = g.sort_values("year")
        label = area_names.get(area, area)
        if g.empty:
            out.append(t("sum.none", lang, area=label, indicator=name))
        elif len(g) == 1:
            r = g.iloc[0]
            (value,), shown_unit = amounts([r.value], meta, lang, decimals)
            out.append(
                t(
                    "sum.one",
                    lang,
                    area=label,
                    indicator=name,
                    year=int(r.year),
                    value=value,
                    unit=shown_unit,
                )
            )
        else:
            first, last = g.iloc[0], g.iloc[-1]
            (first_value, last_value), shown_unit = amounts(
                [first.value, last.value], meta, lang, decimals
            )
            out.append(
                t(
                    "sum.series",
                    lang,
                    area=label,
                    indicator=name,
                    first_year=int(first.year),
                    first=first_value,
                    last_year=int(last.year),
                    last=last_value,
                    unit=shown_unit,
                    n=g["year"].nunique(),
                    change=series_change(list(zip(g["year"], g["value"], strict=True)), meta, lang),
                )
            )
    if targets is not None:
        for tg in targets.itertuples():
            out.append(
                t(
                    "sum.target",
                    lang,
                    year=int(tg.target_year),
                    cmp=t(f"cmp.{tg.comparator}", lang),
                    value=fmt_number(tg.value, lang, decimals),
                    unit=unit,
                    program=getattr(tg, f"program_{lang}", tg.program),
                )
            )
    return out


def sparkline_svg(
    points: list[tuple[int, float]],
    colour: str = PALETTE[0],
    width: int = 220,
    height: int = 54,
    labels: tuple[str, str] | None = None,
    hollow: frozenset[int] = frozenset(),
) -> str:
    """A tiny inline SVG of a series (a data: URI), light enough for hundreds of cards.

    The years in ``hollow`` (estimates, derived values, guessed years) are open rings, as
    on Explore's chart.

    One line through every value, a dot on each: solid between consecutive years, dashed and
    lighter across missing years (the gap is marked, not hidden). ``labels`` (first, last)
    are written above the line's two ends. Three paths at most (solid, dashed, the dots as
    round caps of zero-length strokes), no figure object.
    """
    from html import escape
    from urllib.parse import quote

    pts = sorted(
        (int(y), float(v))
        for y, v in points
        if v is not None and not (isinstance(v, float) and math.isnan(v))
    )
    body = ""
    top = 16 if labels else 4
    if pts:
        y0, y1 = pts[0][0], pts[-1][0]
        v0, v1 = min(p[1] for p in pts), max(p[1] for p in pts)
        sx = (width - 8) / (y1 - y0) if y1 > y0 else 0.0
        sy = (height - 4 - top) / (v1 - v0) if v1 > v0 else 0.0
        xy = [
            (
                f"{4 + (sx * (y - y0) if sx else (width - 8) / 2):.1f}".rstrip("0").rstrip("."),
                f"{height - 4 - (sy * (v - v0) if sy else (height - 4 - top) / 2):.1f}".rstrip(
                    "0"
                ).rstrip("."),
            )
            for y, v in pts
        ]
        solid, dashed = [], []  # path commands; a run of consecutive years is one polyline
        for i in range(1, len(pts)):
            (xa, ya), (xb, yb) = xy[i - 1], xy[i]
            gap = pts[i][0] > pts[i - 1][0] + 1
            if gap:
                dashed.append(f"M{xa} {ya}L{xb} {yb}")
            else:
                joined = i > 1 and pts[i - 1][0] == pts[i - 2][0] + 1
                solid.append(f"L{xb} {yb}" if joined else f"M{xa} {ya}L{xb} {yb}")
        paths = ""
        if solid:
            paths += f'<path d="{"".join(solid)}" stroke-width="2"/>'
        if dashed:
            paths += (
                f'<path d="{"".join(dashed)}" stroke-width="2" stroke-dasharray="3 3" '
                'stroke-opacity="0.55"/>'
            )
        dots = "".join(
            f"M{x} {y}h0" for (x, y), p in zip(xy, pts, strict=True) if p[0] not in hollow
        )
        if dots:
            paths += f'<path class="dots" d="{dots}" stroke-width="5"/>'
        rings = "".join(
            f'<circle cx="{x}" cy="{y}" r="2.5"/>'
            for (x, y), p in zip(xy, pts, strict=True)
            if p[0] in hollow
        )
        if rings:
            paths += f'<g class="hollow" fill="#fff" stroke-width="1.5">{rings}</g>'
        body = f'<g fill="none" stroke="{colour}" stroke-linecap="round">{paths}</g>'
        if labels:
            text = f'<text x="2" y="11">{escape(labels[0])}</text>'
            if len(pts) > 1:
                text += f'<text x="{width - 2}" y="11" text-anchor="end">{escape(labels[1])}</text>'
            body += (
                '<g font-family="Liberation Sans, Arial, sans-serif" font-size="11" '
                f'fill="#1a1a1a">{text}</g>'
            )
    svg = (
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}">{body}</svg>'
    )
    # Single quotes (the labels are escaped, so the only ones are the attributes'),
    # percent-encoding only what a URI needs: about a third smaller than base64.
    return "data:image/svg+xml," + quote(svg.replace('"', "'"), safe=" =:/,.'-")
