"""A chart slide: an indicator's series for an area and the areas compared with it."""

from __future__ import annotations

from components.figures import preferred, summary, time_series
from components.i18n import t
from components.slide_figures import figure_json, projector
from components.slides import (
    SlideModel,
    area_name,
    auto_title,
    obs_frame,
    short_source,
    sources_line,
    targets_frame,
)


def fill(
    model: SlideModel, slide: dict, data: dict, deck: dict, lang: str, texts: dict, ctx: dict
) -> None:
    """Fill ``model`` in as a chart slide."""
    params = slide["params"]
    meta = data["indicator"]
    areas = [params["area"], *[a for a in params.get("compare", []) if a != params["area"]]]
    names = {a: area_name(data, a, lang) for a in areas}
    obs, targets = obs_frame(data), targets_frame(data)
    rank = {a: i for i, a in enumerate(areas)}
    obs = obs.sort_values("area", key=lambda s: s.map(rank), kind="stable")
    labels = None
    if params.get("source") == "all":
        info = data.get("sources") or {}
        labels = {c: short_source(info.get(c) or {"title": c}, 40, lang) for c in obs["source"]}
    fig = time_series(
        obs,
        meta,
        lang,
        targets=targets,
        area_names=names,
        mode=params.get("mode", "absolute"),
        source_labels=labels,
    )
    model.title = texts["title"] or auto_title(meta, areas, data, lang)
    if len(areas) == 1:
        best = preferred(obs)
        model.subtitle = " ".join(summary(best, meta, lang, names)[:1])
    model.figure = figure_json(projector(fig, 1790, 680 if model.subtitle else 740))
    model.figure_alt = t("pr.chart_alt", lang, title=model.title)
    model.sources = sources_line(data, [*obs["source"], *targets["source"]], lang)
