"""A target slide: the latest value against the target it headlines, with the status and
the pace needed, the other targets as bullets, and the series with its targets."""

from __future__ import annotations

from datetime import date

import pandas as pd

from components import status as st
from components.figures import CMP_SIGNS, preferred, time_series
from components.i18n import decimals_of, fmt_number, status_text, t
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


def _assessment(points: list[tuple[int, float]], tg: pd.Series) -> st.Assessment:
    base_year = None if pd.isna(tg["baseline_year"]) else int(tg["baseline_year"])
    base = None if pd.isna(tg["baseline_value"]) else float(tg["baseline_value"])
    return st.assess(
        points,
        st.Target(tg["comparator"], float(tg["value"]), int(tg["target_year"]), base_year, base),
    )


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
        a = _assessment(points, tg)
        model.facts.append(
            Fact(
                t("word.status", lang),
                f"{st.SYMBOLS[a.status]} "
                f"{status_text(a.status, lang, a.latest_year, int(tg['target_year']))}",
                status=a.status,
            )
        )
        model.facts.append(_pace_fact(a, points, lang, unit))
        for i, other in targets.sort_values("target_year").iterrows():
            if i == chosen:
                continue
            o = _assessment(points, other)
            model.bullets.append(
                f"{int(other['target_year'])}: {CMP_SIGNS.get(other['comparator'], '')} "
                f"{fmt_number(other['value'], lang, decimals)} — "
                f"{st.SYMBOLS[o.status]} "
                f"{status_text(o.status, lang, o.latest_year, int(other['target_year']))}"
            )
    fig = time_series(
        obs, meta, lang, targets=targets, area_names={area: area_name(data, area, lang)}
    )
    model.figure = figure_json(projector(fig, 1160, 700))
    model.figure_alt = t("pr.chart_alt", lang, title=model.title)
    model.sources = sources_line(data, [*obs["source"], *targets["source"]], lang)


def _pace_fact(a: st.Assessment, points: list, lang: str, unit: str) -> Fact:
    """The pace needed from the latest value, with the pace that decides the status as its
    note (the same lines as the overview cards and the programs page)."""
    label = t("pr.pace_needed", lang)
    if not points:
        return Fact(label, "—", t("status.insufficient", lang))
    lines = st.pace_lines(a, lang, unit)
    first_label, first_value, _ = lines[0]
    if not first_value:  # met, or the target year has passed
        return Fact(label, "—", first_label)
    others = [
        f"{lab}: {val}" + (f" ({t('pace.decides', lang)})" if d else "")
        for lab, val, d in lines[1:]
    ]
    return Fact(label, first_value, "; ".join([first_label, *others]))
