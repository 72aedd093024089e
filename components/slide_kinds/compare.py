"""A compare slide: areas side by side for one year, as bars."""

from __future__ import annotations

import pandas as pd

from components import maps
from components.slide_figures import compare_bars, figure_json, projector
from components.slides import SlideModel, area_name, obs_frame, sources_line, t


def compare_year(values: pd.DataFrame, wanted: int | None = None) -> int | None:
    """``wanted`` if it has data, else the latest year in which the most areas have data."""
    if values.empty:
        return None
    counts = values.groupby("year")["area"].nunique()
    if wanted is not None and wanted in counts.index:
        return int(wanted)
    return int(counts[counts == counts.max()].index.max())


def fill(
    model: SlideModel, slide: dict, data: dict, deck: dict, lang: str, texts: dict, ctx: dict
) -> None:
    """Fill ``model`` in as a compare slide."""
    params = slide["params"]
    meta = data["indicator"]
    units = data.get("units") or []
    names = {k: area_name(data, k, lang) for k in units}
    obs = obs_frame(data)
    year = compare_year(maps.shown(obs) if len(obs) else obs, params.get("year"))
    fig = compare_bars(obs, units, names, meta, lang, year, params.get("highlight"))
    caption = t(
        "pr.compare_caption",
        lang,
        indicator=meta[f"name_{lang}"],
        year=year,
        unit=meta.get(f"unit_{lang}") or "",
    )
    model.title = texts["title"] or caption
    if texts["title"]:
        model.subtitle = caption
    fig = projector(fig, 1790, 680 if model.subtitle else 740)
    fig.update_layout(margin={"l": 40, "r": 160, "t": 20, "b": 90})
    model.figure = figure_json(fig)
    model.figure_alt = t("pr.chart_alt", lang, title=caption)
    used = obs[obs["year"] == year]["source"] if year is not None else obs["source"]
    model.sources = sources_line(data, list(used), lang)
