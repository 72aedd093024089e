"""Figures for a projector: dashboard figures restyled for a hall (:func:`projector`), areas
compared as bars (:func:`compare_bars`), and the QR code of a link (:func:`qr_svg`).

Slides are laid out on a 1920 × 1080 canvas that the page scales to the screen, so type
sizes are those of a 1080p projector.
"""

from __future__ import annotations

import json

import pandas as pd
import plotly.graph_objects as go
from plotly.utils import PlotlyJSONEncoder

from components import maps
from components.figures import FONT, PALETTE
from components.i18n import decimals_of, fmt_number, plotly_separators, t

WIDTH, HEIGHT = 1920, 1080
INK, PAPER, ACCENT, GRID = "#000000", "#ffffff", "#0b3d91", "#bdbdbd"


def projector(fig: go.Figure, width: int, height: int) -> go.Figure:
    """Restyle a dashboard figure for a hall: fixed size, large type, thick black lines."""
    fig.update_layout(
        width=width,
        height=height,
        autosize=False,
        template=None,
        paper_bgcolor=PAPER,
        plot_bgcolor=PAPER,
        font={"family": FONT, "size": 26, "color": INK},
        legend={"font": {"size": 24}, "bgcolor": "rgba(255,255,255,0.9)"},
        margin={"l": 120, "r": 40, "t": 80, "b": 90},
    )
    axis = {
        "tickfont": {"size": 24, "color": INK},
        "title": {"font": {"size": 26}},
        "showline": True,
        "linecolor": INK,
        "linewidth": 2,
        "gridcolor": GRID,
        "zerolinecolor": INK,
        "ticks": "outside",
        "tickcolor": INK,
    }
    fig.update_xaxes(**axis)
    fig.update_yaxes(**axis)
    for trace in fig.data:
        if trace.type == "scatter":
            if trace.line is not None and trace.line.width:
                trace.line.width = max(trace.line.width * 1.8, 4)
            size = trace.marker.size if trace.marker is not None else None
            if isinstance(size, (int, float)) and size:
                trace.marker.size = size * 1.6
            elif size is not None and not isinstance(size, str):  # a size for each point
                trace.marker.size = [s * 1.6 for s in size]
            if trace.text is not None:
                trace.textfont = {"size": 24, "color": INK}
    named: dict[str, list] = {}
    for trace in fig.data:
        if trace.type == "scatter" and trace.mode == "lines" and trace.name:
            named.setdefault(trace.name, []).append(trace)
    for group in named.values():  # a dashed or dotted line drawn at all is in the legend
        if not any(tr.showlegend in (True, None) for tr in group):
            group[0].showlegend = True
    for ann in fig.layout.annotations or ():
        ann.font = {"size": max((ann.font.size or 0) if ann.font else 0, 28), "color": INK}
    return fig


def figure_json(fig: go.Figure) -> dict:
    """The figure as plain JSON (as the page's script draws it)."""
    return json.loads(json.dumps(fig.to_plotly_json(), cls=PlotlyJSONEncoder))


def compare_bars(
    values: pd.DataFrame,
    units: list[str],
    names: dict[str, str],
    meta: dict,
    lang: str,
    year: int | None,
    highlight: str | None = None,
) -> go.Figure:
    """Areas side by side for one year: horizontal bars, the leading area on top (by the
    indicator's direction), ``highlight`` in the accent colour, values printed on the bars."""
    ranked = maps.ranking(values, units, names, meta, year)
    ranked = ranked[ranked["rank"].notna()].iloc[::-1]  # Plotly draws the first bar lowest
    decimals = decimals_of(meta)
    colours = [PALETTE[1] if a == highlight else PALETTE[0] for a in ranked["area"]]
    fig = go.Figure(
        go.Bar(
            x=list(ranked["value"]),
            y=list(ranked["name"]),
            orientation="h",
            marker={"color": colours, "line": {"color": INK, "width": 1}},
            text=[fmt_number(v, lang, decimals) for v in ranked["value"]],
            textposition="outside",
            cliponaxis=False,
            textfont={"size": 26, "color": INK},
            hoverinfo="skip",
        )
    )
    if ranked.empty:
        fig.add_annotation(
            text=t("fig.no_data", lang),
            showarrow=False,
            xref="paper",
            yref="paper",
            x=0.5,
            y=0.5,
            font={"size": 30},
        )
    fig.update_layout(
        separators=plotly_separators(lang),
        showlegend=False,
        bargap=0.25,
        xaxis={"title": meta.get(f"unit_{lang}") or "", "rangemode": "tozero", "tickformat": ",~f"},
        yaxis={"automargin": True},
    )
    return fig


def qr_svg(url: str) -> str:
    """The QR code of ``url`` as an inline SVG element (black on white, quiet zone)."""
    import segno

    return segno.make(url, error="m").svg_inline(
        scale=10, dark=INK, light=PAPER, border=4, omitsize=True
    )
