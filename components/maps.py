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
range spans the values of the year shown (its lowest to its highest), so that the areas
of that year are told apart; the colour bar says the range.
Areas without a value are drawn as a separate grey trace named "no data", never as zero.
The map is framed on its shapes (longitude and latitude ranges), so the country or the
oblast fills the canvas.
"""

from __future__ import annotations

import hashlib
import json
import math

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from components.figures import FONT
from components.geo import bounds, feature_collection
from components.i18n import decimals_of, fmt_number, plotly_separators, t
from components.kinds import divisible

COLORSCALE = "Viridis"
NORMALIZE = ("per_capita", "per_km2")  # None: the values as stored
SCALES = ("linear", "quantile", "log")
NO_DATA_COLOUR = "#d9d9d9"
BORDER_COLOUR = "#ffffff"
HIGHLIGHT_COLOUR = "#000000"


def normalizations(meta: dict) -> tuple[str, ...]:
    """The views per person and per km² an indicator allows, from its declared ``kind``
    (:func:`components.kinds.divisible`): both for totals (counts, money, tonnes), per km²
    only for the population itself (the denominator of per person), none for the rest."""
    if not divisible(meta):
        return ()
    return ("per_km2",) if meta.get("code") == "population" else NORMALIZE


def unit_factor(unit_en: str) -> float:
    """1000 for "thousand persons", 1e6 for "million ...", else 1."""
    unit = unit_en.lower()
    return 1e6 if unit.startswith("million") else 1e3 if unit.startswith("thousand") else 1.0


def normalize(values: pd.DataFrame, how: str, denominators: pd.DataFrame) -> pd.DataFrame:
    """``values`` divided by a denominator: per person (``denominators`` with ``area, year,
    value, source`` in persons, matched on the same year) or per km² (``area, km2, source``).

    Returns ``values`` with ``value`` replaced by the quotient and ``raw_value``,
    ``denominator``, ``denominator_year`` and ``denominator_source`` added; rows without a
    denominator are left out (never guessed from another year).
    """
    if how not in NORMALIZE:
        raise ValueError(f"normalize must be one of {', '.join(NORMALIZE)}")
    df = values[values["value"].notna()]
    if how == "per_capita":
        d = denominators[["area", "year", "value", "source"]].rename(
            columns={"value": "denominator", "source": "denominator_source"}
        )
        d = d.assign(denominator_year=d["year"])
        out = df.merge(d, on=["area", "year"], how="inner")
    else:
        d = denominators[["area", "km2", "source"]].rename(
            columns={"km2": "denominator", "source": "denominator_source"}
        )
        out = df.merge(d.assign(denominator_year=pd.NA), on="area", how="inner")
    out = out[out["denominator"] > 0]
    return out.assign(raw_value=out["value"], value=out["value"] / out["denominator"]).reset_index(
        drop=True
    )


def significant_decimals(values: pd.Series, digits: int = 3) -> int:
    """Decimals that show the median magnitude of ``values`` to ``digits`` significant digits."""
    v = values.abs()
    v = v[v > 0]
    if v.empty:
        return 0
    return max(0, min(8, digits - 1 - math.floor(math.log10(float(v.median())))))


def colour_positions(
    now: pd.Series, every: pd.Series, scale: str
) -> tuple[list[float], float, float, list[float] | None, list[float] | None]:
    """Where each value of ``now`` falls on the colour scale, judged against ``every`` (the
    values of the year shown): (z, zmin, zmax, tick positions, tick values).

    ``linear``: the value itself; ``log``: its base-10 logarithm (every value must be > 0);
    ``quantile``: its rank among ``every`` from 0 to 1, ticks at the quartiles. The values
    themselves never change; only their colours do.
    """
    every = every.dropna().astype(float)
    now = now.astype(float)
    if scale == "linear":
        return list(now), float(every.min()), float(every.max()), None, None
    if scale == "log":
        if (every <= 0).any():
            raise ValueError("a logarithmic scale needs every value to be above zero")
        lo, hi = math.log10(every.min()), math.log10(every.max())
        ticks = [10.0**k for k in range(math.floor(lo), math.ceil(hi) + 1)]
        ticks = [v for v in ticks if lo <= math.log10(v) <= hi] or [float(every.min())]
        return list(np.log10(now)), lo, hi, [math.log10(v) for v in ticks], ticks
    if scale == "quantile":
        ordered = np.sort(every.to_numpy())
        n = len(ordered)
        rank = (np.searchsorted(ordered, now, "left") + np.searchsorted(ordered, now, "right")) / 2
        z = list(rank / n) if n else []
        qs = [0.0, 0.25, 0.5, 0.75, 1.0]
        return z, 0.0, 1.0, qs, [float(np.quantile(ordered, q)) for q in qs]
    raise ValueError(f"scale must be one of {', '.join(SCALES)}")


def default_year(coverage: dict[int, int]) -> int | None:
    """The year a map opens on, from how many areas have a value each year: the latest year
    that at least half as many areas have as the best-covered year (a latest year that only
    a few areas have already published is not the default)."""
    if not coverage:
        return None
    best = max(coverage.values())
    return max(y for y, n in coverage.items() if 2 * n >= best)


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
    values: pd.DataFrame,
    units: list[str],
    names: dict[str, str],
    meta: dict,
    year: int | None,
    since: int | None = None,
) -> pd.DataFrame:
    """Areas ranked for ``year``: rank 1 leads (the highest value, or the lowest when lower
    is better); areas of ``units`` without a value follow with rank NA.

    Returns columns ``area, name, value, rank`` plus ``source, status`` when present, and
    with ``since`` (an earlier year) ``change`` and ``change_pct`` from that year's value.
    """
    have = year_values(values, year)
    if since is not None:
        before = year_values(values, since).set_index("area")["value"]
        old = have["area"].map(before)
        have = have.assign(
            change=have["value"] - old,
            change_pct=((have["value"] / old - 1) * 100).where(old != 0),
        )
    ascending = meta.get("direction") == "lower"
    have = have.sort_values("value", ascending=ascending, kind="stable")
    cols = ("area", "value", "change", "change_pct", "source", "status", "year_approx")
    keep = [c for c in cols if c in have]
    ranked = have[keep].assign(rank=have["value"].rank(method="min", ascending=ascending))
    ranked_areas = set(ranked["area"])
    missing = [u for u in dict.fromkeys(units) if u not in ranked_areas]
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
    scale: str = "linear",
) -> go.Figure:
    """One indicator by area for ``year`` on a geo map with no basemap (nothing fetched).

    ``names`` maps KATO -> area name in ``lang``; ``meta`` is the indicator's catalogue
    row (``unit_<lang>``, ``direction``, ``decimals``); ``highlight`` outlines one area;
    ``scale`` (linear, quantile, log) places the values on the colours. The figure of
    :func:`choropleth_parts`.
    """
    traces, layout = choropleth_parts(
        values, boundaries, names, meta, lang, year, highlight=highlight, scale=scale
    )
    return go.Figure(data=traces, layout=layout)


def choropleth_parts(
    values: pd.DataFrame,
    boundaries: pd.DataFrame,
    names: dict[str, str],
    meta: dict,
    lang: str,
    year: int | None,
    *,
    highlight: str | None = None,
    scale: str = "linear",
) -> tuple[list[dict], dict]:
    """The traces and the layout of :func:`choropleth` as plain dicts (the layout names its
    template)."""
    shapes, now, missing = _split(values, boundaries, year)
    traces: list[dict] = []
    if len(now):
        traces.append(_values_trace(now, shapes, values, names, meta, lang, highlight, scale))
    if missing:
        traces.append(_no_data_trace(missing, shapes, names, lang, year, highlight))
    layout: dict = {
        "height": 560,
        "separators": plotly_separators(lang),
        "template": "plotly_white",
        "font": {"family": FONT, "size": 15, "color": "#1a1a1a"},
        "margin": {"l": 0, "r": 0, "t": 10, "b": 0},
        "dragmode": False,
        "geo": {
            "visible": False,
            "projection": {"type": "mercator"},
            "bgcolor": "rgba(0,0,0,0)",
        }
        | (bounds(shapes["geojson"]) or {"fitbounds": "locations"}),
        "legend": {
            "orientation": "h",
            "x": 0,
            "y": 0,
            "yanchor": "bottom",
            "bgcolor": "rgba(255,255,255,0.8)",
        },
        "hoverlabel": {"font": {"size": 15}},
    }
    if shapes.empty:
        layout["annotations"] = [
            {
                "text": t("map.no_boundaries_here", lang),
                "showarrow": False,
                "xref": "paper",
                "yref": "paper",
                "x": 0.5,
                "y": 0.5,
                "font": {"size": 18},
            }
        ]
    return traces, layout


def _split(
    values: pd.DataFrame, boundaries: pd.DataFrame, year: int | None
) -> tuple[pd.DataFrame, pd.DataFrame, list[str]]:
    """The shapes drawn, the values of ``year`` among them, and the shapes without one."""
    shapes = boundaries[["area", "geojson"]].drop_duplicates("area")
    now = year_values(values, year)
    now = now[now["area"].isin(set(shapes["area"]))]
    have = set(now["area"])
    return shapes, now, [a for a in shapes["area"] if a not in have]


def shapes_signature(values: pd.DataFrame, boundaries: pd.DataFrame, year: int | None) -> str:
    """A digest of the shapes :func:`choropleth` draws for ``year``: the areas of each trace
    (with a value, without) in order and their geometry. Two maps with the same signature
    differ only in values, colours and text."""
    shapes, now, missing = _split(values, boundaries, year)
    geo = dict(zip(shapes["area"], shapes["geojson"], strict=True))
    digest = hashlib.sha256()
    for areas in (list(now["area"]), missing):
        if areas:
            digest.update(json.dumps(areas).encode("utf-8"))
            for area in areas:  # the stored GeoJSON text as it is (no re-encoding), sized
                shape = geo[area] if isinstance(geo[area], str) else json.dumps(geo[area])
                digest.update(f"{len(shape)}:{shape}".encode())
    return digest.hexdigest()


def value_arrays(
    values: pd.DataFrame,
    boundaries: pd.DataFrame,
    year: int | None,
    scale: str = "linear",
    meta: dict | None = None,
    lang: str = "en",
) -> dict:
    """What a year change of a drawn map with the same :func:`shapes_signature` sends: the
    ``z``, ``customdata``, ``zmin`` and ``zmax`` of :func:`choropleth`'s values trace for
    ``year`` in its order, and its colour bar's ``tickvals`` and ``ticktext`` (None on a
    linear scale)."""
    _, now, _ = _split(values, boundaries, year)
    if now.empty:
        return {"z": [], "customdata": [], "zmin": None, "zmax": None}
    z, zmin, zmax, colorbar = _colours(now, scale, meta or {}, lang)
    return {
        "z": z,
        "customdata": [float(v) for v in now["value"]],
        "zmin": zmin,
        "zmax": zmax,
        "tickvals": colorbar.get("tickvals"),
        "ticktext": colorbar.get("ticktext"),
    }


def _colours(now: pd.DataFrame, scale: str, meta: dict, lang: str) -> tuple:
    """(z, zmin, zmax, colour bar ticks) of the values of the year shown."""
    z, zmin, zmax, tickvals, ticks = colour_positions(now["value"], now["value"], scale)
    colorbar: dict = {}
    if tickvals is None and zmin == zmax:  # one value (or all equal): one tick, at it
        tickvals, ticks = [zmin], [zmin]
    if tickvals is not None:
        decimals = decimals_of(meta)
        colorbar = {
            "tickvals": [float(v) for v in tickvals],
            "ticktext": [fmt_number(v, lang, decimals) for v in ticks],
        }
    return [float(v) for v in z], float(zmin), float(zmax), colorbar


def _values_trace(
    now: pd.DataFrame,
    shapes: pd.DataFrame,
    values: pd.DataFrame,
    names: dict[str, str],
    meta: dict,
    lang: str,
    highlight: str | None,
    scale: str = "linear",
) -> dict:
    areas = list(now["area"])
    unit = meta.get(f"unit_{lang}") or ""
    z, zmin, zmax, ticks = _colours(now, scale, meta, lang)
    colorbar: dict = {
        "title": {"text": unit, "side": "right"},
        "thickness": 16,
        "len": 0.8,
        "tickformat": ",~f",  # 1 000 000, not 1M, beside "млн теңге"
    } | ticks
    text = [
        hover_text(r, names.get(r["area"], r["area"]), meta, lang) for r in now.to_dict("records")
    ]
    return {
        "type": "choropleth",
        "geojson": _geojson(shapes, areas),
        "featureidkey": "id",
        "locations": areas,
        "z": z,
        "customdata": [float(v) for v in now["value"]],
        "text": text,
        "hovertemplate": "%{text}<extra></extra>",
        "name": meta.get(f"name_{lang}") or "",
        "colorscale": COLORSCALE,
        "reversescale": reverse_scale(meta),
        "zmin": zmin,
        "zmax": zmax,
        "marker": {"line": _line(areas, highlight)},
        "showlegend": False,
        "colorbar": colorbar,
    }


def _geojson(shapes: pd.DataFrame, areas: list[str]) -> dict | None:
    """The FeatureCollection of ``areas`` (None when none of them has a shape)."""
    picked = shapes[shapes["area"].isin(areas)]
    if picked["geojson"].isna().all():
        return None
    return feature_collection(picked)


def _no_data_trace(
    missing: list[str],
    shapes: pd.DataFrame,
    names: dict[str, str],
    lang: str,
    year: int | None,
    highlight: str | None,
) -> dict:
    return {
        "type": "choropleth",
        "geojson": _geojson(shapes, missing),
        "featureidkey": "id",
        "locations": missing,
        "z": [1] * len(missing),
        "text": [_no_data_text(names.get(a, a), lang, year) for a in missing],
        "hovertemplate": "%{text}<extra></extra>",
        "name": t("map.no_data", lang),
        "colorscale": [[0, NO_DATA_COLOUR], [1, NO_DATA_COLOUR]],
        "showscale": False,
        "marker": {"line": _line(missing, highlight)},
        "showlegend": True,
    }
