"""A target slide: the latest value against the target it headlines, with the status and
the pace needed, the other targets as bullets, and the series with its targets."""

from __future__ import annotations

from datetime import date

import pandas as pd

from components import status as st
from components import target_text as tt
from components.figures import CMP_SIGNS, preferred, time_series
from components.i18n import decimals_of, fmt_number, t
from components.slide_figures import figure_json, projector
from components.slides import (
    Fact,
    SlideModel,
    area_name,
    auto_title,
    obs_frame,
    sources_line,
    targets_frame,
)


def headline_target(targets: pd.DataFrame, year: int, wanted: int | None = None) -> int | None:
    """Which target a slide headlines: ``wanted`` if there is one for that year, else the
    first due in ``year`` or later, else the last one (the row's index), None if none."""
    if targets.empty:
        return None
    ordered = targets.sort_values(["target_year", "value"], kind="stable")
    if wanted is not None and (ordered["target_year"] == wanted).any():
        return ordered[ordered["target_year"] == wanted].index[0]
    due = ordered[ordered["target_year"] >= year]
    return (due if len(due) else ordered).index[-1 if due.empty else 0]


def fill(
    model: SlideModel, slide: dict, data: dict, deck: dict, lang: str, texts: dict, ctx: dict
) -> None:
    """Fill ``model`` in as a target slide."""
    params = slide["params"]
    meta, area = data["indicator"], params["area"]
    unit, decimals = meta.get(f"unit_{lang}") or "", decimals_of(meta)
    obs, targets = obs_frame(data), targets_frame(data)
    if (obs["series"] == "").any():  # targets are set on the total, not on breakdowns
        obs = obs[obs["series"] == ""]
    total = preferred(obs).sort_values("year")
    points = list(zip(total["year"], total["value"], strict=True))
    model.title = texts["title"] or auto_title(meta, [area], data, lang)
    if points:
        year, value = points[-1]
        model.facts.append(
            Fact(
                t("pr.latest", lang, year=int(year)),
                f"{fmt_number(value, lang, decimals)} {unit}".strip(),
            )
        )
    else:
        model.facts.append(Fact(t("word.latest", lang), t("pr.no_value", lang)))
    now = date.fromisoformat(ctx["as_of"]).year if ctx["as_of"] else ctx["today"].year
    chosen = headline_target(targets, now, params.get("target_year"))
    if chosen is None:
        model.paragraphs.append(t("pr.no_targets", lang))
    else:
        tg = targets.loc[chosen]
        program = tg.get(f"program_{lang}") or tg["program"]
        model.facts.append(
            Fact(
                t("pr.target", lang, year=int(tg["target_year"])),
                f"{CMP_SIGNS.get(tg['comparator'], tg['comparator'])} "
                f"{fmt_number(tg['value'], lang, decimals)} {unit}".strip(),
                program,
            )
        )
        a = tt.judge(points, tg, now)
        # under the badge: a benchmark's origin; the reading judged on when it is not the
        # latest value the slide shows above
        under = [tt.benchmark(tg, lang)]
        if a.judged_year is not None and a.judged_year != a.latest_year:
            under += [text for text, _ in tt.details(a, tg, lang, unit, decimals, paces=False)]
        model.facts.append(
            Fact(
                t("word.status", lang),
                tt.badge_line(a, lang),
                "; ".join(dict.fromkeys(text for text in under if text)),
                status=a.status,
            )
        )
        if a.pace_matters:  # only a target still ahead and not met has a pace
            model.facts.append(_pace_fact(a, lang, unit))
        for i, other in targets.sort_values("target_year").iterrows():
            if i == chosen:
                continue
            o = tt.judge(points, other, now)
            origin = tt.benchmark(other, lang)
            model.bullets.append(
                f"{int(other['target_year'])}: {CMP_SIGNS.get(other['comparator'], '')} "
                f"{fmt_number(other['value'], lang, decimals)} — {tt.badge_line(o, lang)}"
                + (f" ({origin})" if origin else "")
            )
    fig = time_series(
        obs, meta, lang, targets=targets, area_names={area: area_name(data, area, lang)}
    )
    model.figure = figure_json(projector(fig, 1160, 700))
    model.figure_alt = t("pr.chart_alt", lang, title=model.title)
    model.sources = sources_line(data, [*obs["source"], *targets["source"]], lang)


def _pace_fact(a: st.Assessment, lang: str, unit: str) -> Fact:
    """The pace needed from the latest value, with the other paces as its note and the one
    that decides the status marked (the same lines as the overview cards and programs page)."""
    (_, needed, _), *others = st.pace_lines(a, lang, unit)
    notes = [
        f"{lab}: {val}" + (f" ({t('pace.decides', lang)})" if d else "") for lab, val, d in others
    ]
    return Fact(t("pr.pace_needed", lang), needed, "; ".join(notes))
