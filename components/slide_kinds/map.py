"""A map slide: the districts of an oblast (or the oblasts) shaded by an indicator, with a
ranking beside it."""

from __future__ import annotations

import pandas as pd

from components import maps
from components.i18n import decimals_of, fmt_number
from components.slide_figures import figure_json, projector
from components.slides import SlideModel, area_name, obs_frame, short_source, sources_line, t


def fill(
    model: SlideModel, slide: dict, data: dict, deck: dict, lang: str, texts: dict, ctx: dict
) -> None:
    """Fill ``model`` in as a map slide."""
    params = slide["params"]
    meta, year = data["indicator"], data.get("year")
    level = params.get("level", "district")
    parent = params.get("parent", "430000000")
    units = data.get("units") or []
    names = {k: area_name(data, k, lang) for k in units}
    values = obs_frame(data, "values")
    info = data.get("sources") or {}
    values = values.assign(
        source=[short_source(info.get(c) or {"title": c}, 50, lang) for c in values["source"]]
    )
    name = meta[f"name_{lang}"]
    caption = t(
        f"pr.map_caption_{level}",
        lang,
        indicator=name,
        year=year,
        parent=area_name(data, parent, lang),
    )
    model.title = texts["title"] or caption
    if texts["title"]:
        model.subtitle = caption
    shapes = pd.DataFrame(data.get("boundaries") or [], columns=["area", "geojson"])
    highlight = params.get("highlight")
    if shapes.empty:
        model.message = t("pr.no_boundaries", lang)
    else:
        fig = maps.choropleth(values, shapes, names, meta, lang, year, highlight=highlight)
        fig.update_traces(
            colorbar={
                "tickfont": {"size": 24},
                "title": {"font": {"size": 24}},
                "thickness": 28,
                "tickformat": ",~f",
            },
            selector={"type": "choropleth"},
        )
        fig = projector(fig, 1150, 740 if not model.subtitle else 700)
        fig.update_layout(margin={"l": 0, "r": 0, "t": 10, "b": 0}, legend={"font": {"size": 24}})
        model.figure = figure_json(fig)
        model.figure_alt = t("pr.map_alt", lang, title=caption)
    ranked = maps.ranking(values, units, names, meta, year)
    decimals, unit = decimals_of(meta), meta.get(f"unit_{lang}") or ""
    model.ranking_title = f"{t('pr.ranking', lang, year=year)}, {unit}"
    for r in ranked.head(12).to_dict("records"):
        no = pd.isna(r["rank"])
        model.ranking.append(
            (
                "–" if no else str(int(r["rank"])),
                r["name"],
                t("map.no_data", lang) if no else fmt_number(r["value"], lang, decimals),
                r["area"] == highlight,
            )
        )
    model.sources = sources_line(data, list(obs_frame(data, "values")["source"]), lang)
