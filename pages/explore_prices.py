"""Explore's constant prices (views.constant_prices): the mode offered only for a money
series with a Bureau volume index, and the notice that says how the values were derived."""

from __future__ import annotations

from collections.abc import Iterable

import dash
from dash import Input, Output, dcc, html, no_update
from dash import State as DashState
from dash.exceptions import PreventUpdate

from components.figures import MODES
from components.i18n import t
from store import queries
from views import charts as views
from views import constant_prices

PREFIX = "explore"
State = views.ExploreQuery


def mode_options(indicator: str, areas: tuple[str, ...], base: int | None, lang: str) -> list[dict]:
    """The ways to show the values: absolute, change, index and, where the Bureau gives a
    volume index for the money series of the areas shown, in constant prices of the base
    year (views.constant_prices)."""
    options = [{"label": t(f"mode.{m}", lang), "value": m} for m in MODES]
    if not constant_prices.has_index(indicator):
        return options
    money = constant_prices.money_readings(indicator, areas)
    base = base or constant_prices.default_base(money, areas)
    if base is not None and len(
        constant_prices.constant_observations(indicator, areas, base, lang)
    ):
        label = constant_prices.label(base, lang)
        options.append({"label": label, "value": constant_prices.MODE})
    return options


def spans(years: Iterable[int]) -> str:
    """2000, 2001, 2002, 2005 -> '2000–2002, 2005'."""
    runs: list[list[int]] = []
    for year in sorted({int(y) for y in years}):
        if runs and year == runs[-1][-1] + 1:
            runs[-1].append(year)
        else:
            runs.append([year])
    return ", ".join(f"{r[0]}–{r[-1]}" if len(r) > 1 else str(r[0]) for r in runs)


def prices_notice(d: views.ExploreData, state: State, listed: set[str]) -> list:
    """In constant prices: what the values are, how they were computed (each area's note
    with the formula), from which sources (linked to the page's list when ``listed`` there)
    and the other base years the reader may pick (views.constant_prices); else nothing."""
    if state.prices != "constant" or state.base is None:
        return []
    lang = state.lang
    if d.observations.empty:
        return [html.P(t("cp.none", lang), className="notice", id=f"{PREFIX}-prices")]
    codes = list(
        dict.fromkeys([*d.observations["source"], *constant_prices.index_sources(d.observations)])
    )
    links = []
    for code in codes:
        title = (queries.source(code) or {}).get("title") or code
        link = html.A(title, href=f"#src-{code}") if code in listed else title
        links += [", " if links else "", link, f" [{code}]"]
    money = constant_prices.money_readings(state.indicator, state.areas)
    years: list = []
    for year in constant_prices.base_years(money, state.areas):
        link = (
            html.Strong(str(year))
            if year == state.base
            else dcc.Link(str(year), href="/explore" + state.query(base=year))
        )
        years += [" " if years else "", link]
    notes = [
        html.Li([html.Strong(f"{d.names.get(kato, kato)}: {spans(g['year'])}"), " — ", note])
        for (kato, note), g in d.observations.groupby(["area", "note"], sort=False)
    ]
    return [
        html.Div(
            [
                html.P(html.Strong(constant_prices.label(state.base, lang))),
                html.Ul(notes),
                html.P([t("word.sources", lang), ": ", *links]),
                html.P([t("cp.base", lang), ": ", *years], id=f"{PREFIX}-base-years"),
            ],
            className="notice",
            id=f"{PREFIX}-prices",
        )
    ]


@dash.callback(
    Output(f"{PREFIX}-mode", "options"),
    Output(f"{PREFIX}-mode", "value"),
    Input(f"{PREFIX}-indicator", "value"),
    Input(f"{PREFIX}-compare", "value"),
    DashState(f"{PREFIX}-mode", "value"),
    DashState(f"{PREFIX}-state", "data"),
    prevent_initial_call=True,
)
def update_modes(
    indicator: str | None, compare: list[str] | None, mode: str | None, page: dict | None
):
    """Offer constant prices only for an indicator that has a volume index (and leave them
    when the new indicator has none)."""
    page = page if isinstance(page, dict) else {}
    if not isinstance(indicator, str) or queries.indicator(indicator) is None:
        raise PreventUpdate
    try:
        state, _ = views.lenient_explore_query(
            {"indicator": indicator, "area": page.get("area"), "compare": compare}
            | {"lang": page.get("lang"), "base": page.get("base"), "mode": constant_prices.MODE}
        )
    except views.BadParameter:  # a page state no page of ours wrote
        raise PreventUpdate from None
    options = mode_options(indicator, state.areas, state.base, state.lang)
    offered = {o["value"] for o in options}
    kept = isinstance(mode, str) and mode in offered  # a forged value (a list) is not kept
    return options, no_update if kept else "absolute"
