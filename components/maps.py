"""Pure map builders: one indicator across areas in one year. No database access.

Values come as a DataFrame with columns ``area, year, value, source`` (and optionally
``status``, ``year_approx``, ``series``), as :func:`store.queries.observations_in`
returns them; boundaries as ``area, geojson`` rows (exterior rings clockwise, as the ETL
stores them). Areas are joined on their KATO code, never on names.

Colours: viridis, a sequential scale readable with the common colour-vision
deficiencies and in greyscale, with no grey in it, so the light grey of "no data"
cannot be mistaken for a value. The scale is oriented by the indicator's ``direction``
so that dark always marks the lagging end: for "higher" (and "neutral") indicators low
values are dark, for "lower" indicators (emissions) high values are dark. The colour
range spans every year in ``values``, so colours stay comparable while the year changes.
Areas without a value are drawn as a separate grey trace named "no data", never as zero.
"""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from components.figures import FONT
from components.i18n import decimals_of, fmt_number, plotly_separators, register, t
from store.geo import feature_collection

COLORSCALE = "Viridis"
NO_DATA_COLOUR = "#d9d9d9"
BORDER_COLOUR = "#ffffff"
HIGHLIGHT_COLOUR = "#000000"

register(
    {
        "map.no_data": {"kk": "Деректер жоқ", "ru": "Нет данных", "en": "No data"},
        "map.no_boundaries_here": {
            "kk": "Бұл аумақтардың шекаралары жоқ.",
            "ru": "Для этих территорий нет границ.",
            "en": "There are no boundaries for these areas.",
        },
        "map.hover_year": {"kk": "Жыл: {year}", "ru": "Год: {year}", "en": "Year: {year}"},
    }
)


def shown(values: pd.DataFrame) -> pd.DataFrame:
    """One row per area and year: the total series ('') if there is one, else the first."""
    df = values[values["value"].notna()]
    if "series" in df:
        df = df.assign(_total=df["series"].fillna("") != "")
        df = df.sort_values(["area", "year", "_total"], kind="stable").drop(columns="_total")
    return df.drop_duplicates(["area", "year"]).reset_index(drop=True)


def year_values(values: pd.DataFrame, year: int | None) -> pd.DataFrame:
    """The values shown for ``year``, one row per area."""
    if values.empty or year is None:
        return values.iloc[0:0]
    return shown(values[values["year"] == year])


def reverse_scale(meta: dict) -> bool:
    """True when lower is better, so that the dark end of the scale is the lagging one."""
    return meta.get("direction") == "lower"


def ranking(
    values: pd.DataFrame, units: list[str], names: dict[str, str], meta: dict, year: int | None
) -> pd.DataFrame:
    """Areas ranked for ``year``: rank 1 leads (the highest value, or the lowest when lower
    is better); areas of ``units`` without a value follow with rank NA.

    Returns columns ``area, name, value, rank`` plus ``source, status`` when present.
    """
    have = year_values(values, year)
    ascending = meta.get("direction") == "lower"
    have = have.sort_values("value", ascending=ascending, kind="stable")
    keep = [c for c in ("area", "value", "source", "status", "year_approx") if c in have]
    ranked = have[keep].assign(rank=have["value"].rank(method="min", ascending=ascending))
    missing = [u for u in dict.fromkeys(units) if u not in set(ranked["area"])]
    missing = sorted(missing, key=lambda k: names.get(k, k))
    rest = pd.DataFrame({"area": missing})
    out = pd.concat([ranked, rest], ignore_index=True) if missing else ranked
    out["rank"] = out["rank"].astype("Int64")
    out.insert(1, "name", [names.get(k, k) for k in out["area"]])
    return out.reset_index(drop=True)


def hover_text(row: dict, name: str, meta: dict, lang: str) -> str:
    """'<b>Aral district</b><br>71,5 thousand persons (estimate)<br>Year: 2023<br>Source: …'."""
    unit = meta.get(f"unit_{lang}") or ""
    value = f"{fmt_number(row['value'], lang, decimals_of(meta))} {unit}".strip()
    status = row.get("status")
    if isinstance(status, str) and status != "actual":
        value += f" ({t(f'obs.{status}', lang)})"
    lines = [f"<b>{name}</b>", value, t("map.hover_year", lang, year=int(row["year"]))]
    if isinstance(row.get("source"), str):
        lines.append(f"{t('word.source', lang)}: {row['source']}")
    return "<br>".join(lines)


def _no_data_text(name: str, lang: str, year: int | None) -> str:
    when = f" ({year})" if year is not None else ""
    return f"<b>{name}</b><br>{t('map.no_data', lang)}{when}"


def _line(areas: list[str], highlight: str | None) -> dict:
    return {
        "color": [HIGHLIGHT_COLOUR if a == highlight else BORDER_COLOUR for a in areas],
        "width": [3 if a == highlight else 1 for a in areas],
    }


def choropleth(
    values: pd.DataFrame,
    boundaries: pd.DataFrame,
    names: dict[str, str],
    meta: dict,
    lang: str,
    year: int | None,
    *,
    highlight: str | None = None,
) -> go.Figure:
    """One indicator by area for ``year`` on a geo map with no basemap (nothing fetched).

    ``names`` maps KATO -> area name in ``lang``; ``meta`` is the indicator's catalogue
    row (``unit_<lang>``, ``direction``, ``decimals``); ``highlight`` outlines one area.
    """
    shapes = boundaries[["area", "geojson"]].drop_duplicates("area")
    drawn = set(shapes["area"])
    now = year_values(values, year)
    now = now[now["area"].isin(drawn)]
    fig = go.Figure()
    if len(now):
        _add_values(fig, now, shapes, values, names, meta, lang, highlight)
    missing = [a for a in shapes["area"] if a not in set(now["area"])]
    if missing:
        _add_no_data(fig, missing, shapes, names, lang, year, highlight)
    if shapes.empty:
        fig.add_annotation(
            text=t("map.no_boundaries_here", lang),
            showarrow=False,
            xref="paper",
            yref="paper",
            x=0.5,
            y=0.5,
            font={"size": 18},
        )
    fig.update_layout(
        height=560,
        separators=plotly_separators(lang),
        template="plotly_white",
        font={"family": FONT, "size": 15, "color": "#1a1a1a"},
        margin={"l": 0, "r": 0, "t": 10, "b": 0},
        dragmode=False,
        geo={
            "visible": False,
            "fitbounds": "locations",
            "projection": {"type": "mercator"},
            "bgcolor": "rgba(0,0,0,0)",
        },
        legend={
            "orientation": "h",
            "x": 0,
            "y": 0,
            "yanchor": "bottom",
            "bgcolor": "rgba(255,255,255,0.8)",
        },
        hoverlabel={"font": {"size": 15}},
    )
    return fig


def _add_values(
    fig: go.Figure,
    now: pd.DataFrame,
    shapes: pd.DataFrame,
    values: pd.DataFrame,
    names: dict[str, str],
    meta: dict,
    lang: str,
    highlight: str | None,
) -> None:
    areas = list(now["area"])
    every = shown(values)["value"]
    unit = meta.get(f"unit_{lang}") or ""
    text = [
        hover_text(r, names.get(r["area"], r["area"]), meta, lang) for r in now.to_dict("records")
    ]
    fig.add_trace(
        go.Choropleth(
            geojson=feature_collection(shapes[shapes["area"].isin(areas)]),
            featureidkey="id",
            locations=areas,
            z=list(now["value"].astype(float)),
            text=text,
            hovertemplate="%{text}<extra></extra>",
            name=meta.get(f"name_{lang}") or "",
            colorscale=COLORSCALE,
            reversescale=reverse_scale(meta),
            zmin=float(every.min()),
            zmax=float(every.max()),
            marker={"line": _line(areas, highlight)},
            showlegend=False,
            colorbar={
                "title": {"text": unit, "side": "right"},
                "thickness": 16,
                "len": 0.8,
                "tickformat": ",~f",  # 1 000 000, not 1M, beside "млн теңге"
            },
        )
    )


def _add_no_data(
    fig: go.Figure,
    missing: list[str],
    shapes: pd.DataFrame,
    names: dict[str, str],
    lang: str,
    year: int | None,
    highlight: str | None,
) -> None:
    fig.add_trace(
        go.Choropleth(
            geojson=feature_collection(shapes[shapes["area"].isin(missing)]),
            featureidkey="id",
            locations=missing,
            z=[1] * len(missing),
            text=[_no_data_text(names.get(a, a), lang, year) for a in missing],
            hovertemplate="%{text}<extra></extra>",
            name=t("map.no_data", lang),
            colorscale=[[0, NO_DATA_COLOUR], [1, NO_DATA_COLOUR]],
            showscale=False,
            marker={"line": _line(missing, highlight)},
            showlegend=True,
        )
    )
