"""Map (/map): one indicator by oblast or by district for one year, and which areas lag.

URL state: ``indicator``, ``level`` (oblast | district), ``parent`` (the oblast whose
districts are shown), ``year``, ``lang`` and ``area`` (outlined, and the default parent).
Clicking an area, or its name in the ranked table, opens it in Explore.
"""

from __future__ import annotations

import logging

import dash
import pandas as pd
import plotly.graph_objects as go
from dash import Input, Output, State, clientside_callback, ctx, dcc, html
from dash.exceptions import PreventUpdate

from components import maps, urlstate
from components.i18n import (
    decimals_of,
    dropdown_labels,
    fmt_number,
    graph_config,
    page_title,
    request_lang,
    t,
)
from components.messages import message, no_database
from components.share_links import parse_query
from components.urlstate import query_string, url_sync
from store import queries
from views import charts as views
from views import response_cache, share
from views.charts import MapQuery

log = logging.getLogger(__name__)

dash.register_page(__name__, path="/map", name="map", title=page_title("nav.map"))
response_cache.cacheable_page("/map")
urlstate.register("map")  # at import, so the URL sync exists before the first request
share.register("map", "map", title_id="map-caption")

PLAY_MS = 1500


def indicator_options(codes: list[str], lang: str) -> list[dict]:
    """Dropdown options for ``codes``, by name in ``lang``."""
    names = queries.indicators().set_index("code")[f"name_{lang}"]
    return sorted(({"label": names[c], "value": c} for c in codes), key=lambda o: o["label"])


def parent_options(lang: str) -> list[dict]:
    """Oblasts, then the cities of republican significance, by name."""
    df = queries.areas(parent=views.COUNTRY)
    df = df[df["valid_to"].isna()]
    df = df.assign(o=(df["level"] != "oblast").astype(int), name=df[f"name_{lang}"])
    df = df.sort_values(["o", "name"])
    whole = {"label": t("map.whole_country", lang), "value": queries.ALL_DISTRICTS}
    return [whole] + [{"label": n, "value": k} for k, n in zip(df["kato"], df["name"], strict=True)]


def resolve(
    indicator: str | None,
    level: str | None,
    parent: str | None,
    year: object,
    area: str | None,
    lang: str,
) -> MapQuery | str:
    """The view for the controls' state, or the text of a friendly error."""
    controls = {"indicator": indicator, "level": level, "parent": parent, "area": area}
    try:
        q, _ = views.lenient_map_query(
            {  # as in a URL: text (a control sent something else: it is read as text)
                **{
                    k: v if v is None or isinstance(v, str) else str(v) for k, v in controls.items()
                },
                "year": year,
                "lang": lang,
            }
        )
    except views.BadParameter as exc:
        return exc.notice or exc.message
    return q


def figure(q: MapQuery, lang: str, area: str | None) -> go.Figure:
    """The map of ``q`` in the page's ``lang`` with its ``area`` outlined: the figure of
    :func:`views.charts.map_figure`, which the downloads and embeds draw too."""
    return views.map_figure(q._replace(lang=lang, area=area))


def figure_key(q: MapQuery) -> list:
    """Everything but the year that the map's figure depends on."""
    return [q.indicator, q.level, q.parent, q.lang, q.area, q.normalize, q.scale]


def drawn_state(q: MapQuery) -> dict:
    """What the browser's map shows (the ``map-drawn`` store): the view's key, its year and
    its shapes' signature."""
    return {"key": figure_key(q), "year": q.year, "shapes": views.map_shapes(q)}


def values_patch(traces: list[dict], layout: dict) -> dash.Patch:
    """A partial update that turns the drawn map into the one of ``traces`` and ``layout``
    when only the values changed (the same shapes): every trace property but the geometry,
    and the layout but its template; the browser keeps the geometry it has."""
    changes, new_layout = maps.value_changes(traces, layout)
    patch = dash.Patch()
    for i, trace in enumerate(changes):
        for key, value in trace.items():
            patch["data"][i][key] = value
    for key, value in new_layout.items():
        patch["layout"][key] = value
    return patch


def map_update(q: MapQuery, drawn: object, year_only: bool) -> tuple[object, object]:
    """The map's figure output and the new ``map-drawn`` for ``q``, given what the browser
    draws (``drawn``): nothing when it already shows ``q`` (PreventUpdate when only the
    year was chosen again), a :func:`values_patch` when only the values change (built from
    the traces as dicts, no figure), else the whole figure."""
    drawn = drawn if isinstance(drawn, dict) else {}
    same_view = drawn.get("key") == figure_key(q)
    if same_view and drawn.get("year") == q.year:
        if year_only:
            raise PreventUpdate
        return dash.no_update, dash.no_update
    state = drawn_state(q)
    if same_view and drawn.get("shapes") == state["shapes"]:
        return values_patch(*views.map_parts(q, geometry=False)), state
    return views.map_figure(q), state


def colours_note(q: MapQuery) -> str:
    """How to read the colours, for the indicator's direction."""
    if not q.indicator:
        return ""
    direction = queries.indicator(q.indicator)["direction"]
    return t(f"map.colours_{direction if direction in ('higher', 'lower') else 'neutral'}", q.lang)


def table(q: MapQuery) -> list:
    """The ranked table: rank, area (a link to Explore), value and source; no data last."""
    if not q.indicator:
        return []
    lang, meta = q.lang, views.map_meta(q)
    ranked = maps.ranking(
        views.map_values(q, titles=True),
        views.map_units(q, views.map_boundaries(q)),
        views.map_names(q),
        meta,
        q.year,
        q.since,
    )
    unit = meta[f"unit_{lang}"]
    change = (
        [html.Th(t("map.change_since", lang, year=q.since), scope="col", className="num")]
        if q.since
        else []
    )
    head = html.Thead(
        html.Tr(
            [
                html.Th(t("map.rank", lang), scope="col", className="num"),
                html.Th(t("word.area", lang), scope="col"),
                html.Th(f"{t('word.value', lang)}, {unit}", scope="col", className="num"),
                *change,
                html.Th(t("word.source", lang), scope="col"),
            ]
        )
    )
    rows = [_row(r, q, meta) for r in ranked.to_dict("records")]
    return [
        html.H2(t("map.rank_heading", lang, year=q.year), id="map-rank-heading"),
        html.P(t(f"map.rank_{meta['direction']}", lang), className="muted"),
        html.Table(
            [head, html.Tbody(rows)],
            className="data map-rank",
            id="map-table",
            **{"aria-labelledby": "map-rank-heading"},
        ),
    ]


def _row(r: dict, q: MapQuery, meta: dict) -> html.Tr:
    lang = q.lang
    href = "/explore" + query_string(indicator=q.indicator, area=r["area"], lang=lang)
    if pd.isna(r["rank"]):
        rank, value, source = "–", t("map.no_data", lang), ""
    else:
        rank = str(int(r["rank"]))
        decimals = decimals_of(meta)
        value = fmt_number(r["value"], lang, decimals)
        status = r.get("status")
        if isinstance(status, str) and status != "actual":
            value += f" ({t(f'obs.{status}', lang)})"
        source = r.get("source") or ""
    current = {"aria-current": "true"} if r["area"] == q.area else {}
    change = [html.Td(_change(r, meta, lang), className="num")] if q.since else []
    return html.Tr(
        [
            html.Td(rank, className="num"),
            html.Td(dcc.Link(r["name"], href=href)),
            html.Td(value, className="num"),
            *change,
            html.Td(source),
        ],
        className="current" if current else None,
        **current,
    )


def _change(r: dict, meta: dict, lang: str) -> str:
    """'+12.5 (+4.1 %)', or '–' without both years' values."""
    d = r.get("change")
    if d is None or pd.isna(d):
        return "–"
    text = ("+" if d > 0 else "") + fmt_number(d, lang, decimals_of(meta))
    pct = r.get("change_pct")
    if pct is not None and not pd.isna(pct):
        text += f" ({'+' if pct > 0 else ''}{fmt_number(pct, lang, 1)} %)"
    return text


def _since_options(q: MapQuery) -> list[dict]:
    return [{"label": str(y), "value": y} for y in q.years if q.year is not None and y < q.year]


def _options(q: MapQuery) -> html.Div:
    """Values as stored / per person / per km², the colour scale and the change's base year."""
    lang = q.lang
    allowed = maps.normalizations(views.map_meta(q._replace(normalize=None)))
    return html.Div(
        [
            html.Fieldset(
                [
                    html.Legend(t("map.normalize", lang)),
                    dcc.RadioItems(
                        id="map-normalize",
                        value=q.normalize or "none",
                        options=[{"label": t("map.norm_none", lang), "value": "none"}]
                        + [
                            {
                                "label": t(f"map.norm_{n}", lang),
                                "value": n,
                                "disabled": n not in allowed,
                            }
                            for n in maps.NORMALIZE
                        ],
                        inline=True,
                    ),
                ],
                className="map-normalize",
            ),
            html.Fieldset(
                [
                    html.Legend(t("map.scale", lang)),
                    dcc.RadioItems(
                        id="map-scale",
                        value=q.scale,
                        options=[
                            {"label": t(f"map.scale_{s}", lang), "value": s} for s in maps.SCALES
                        ],
                        inline=True,
                    ),
                ],
                className="map-scale",
            ),
            html.Div(
                [
                    html.Label(t("map.since", lang), htmlFor="map-since"),
                    dcc.Dropdown(
                        id="map-since",
                        value=q.since,
                        options=_since_options(q),
                        clearable=True,
                        searchable=False,
                    ),
                ],
                className="map-since",
            ),
        ],
        className="controls map-options",
    )


def _slider(q: MapQuery) -> dict:
    """The year slider's min, max, marks and value for the view's years."""
    years = q.years or (0,)
    return {
        "min": years[0],
        "max": years[-1],
        "marks": {y: str(y) for y in q.years},
        "value": q.year,
    }


def _controls(q: MapQuery) -> html.Div:
    lang = q.lang
    return html.Div(
        [
            html.Div(
                [
                    html.Label(t("word.indicator", lang), htmlFor="map-indicator"),
                    dcc.Dropdown(
                        id="map-indicator",
                        value=q.indicator,
                        clearable=False,
                        options=indicator_options(views.map_indicators(q.scope), lang),
                        searchable=True,
                        labels=dropdown_labels(lang),
                    ),
                ],
                className="map-indicator",
            ),
            html.Fieldset(
                [
                    html.Legend(t("map.level", lang)),
                    dcc.RadioItems(
                        id="map-level",
                        value=q.level,
                        options=[
                            {"label": t(f"map.level_{lv}", lang), "value": lv}
                            for lv in views.LEVELS
                        ],
                    ),
                ],
                className="map-level",
            ),
            html.Div(
                [
                    html.Label(t("map.parent", lang), htmlFor="map-parent"),
                    dcc.Dropdown(
                        id="map-parent",
                        options=parent_options(lang),
                        value=q.parent,
                        clearable=False,
                        searchable=True,
                        labels=dropdown_labels(lang),
                    ),
                ],
                id="map-parent-box",
                hidden=q.level != "district",
            ),
        ],
        className="controls",
    )


def _years(q: MapQuery) -> html.Div:
    lang = q.lang
    row = html.Div(
        [
            html.Label(t("word.year", lang), htmlFor="map-year", style={"fontWeight": "bold"}),
            html.Button(
                t("map.play", lang),
                id="map-play",
                n_clicks=0,
                type="button",
                className="map-play",
                **{"aria-pressed": "false"},
            ),
            html.Div(
                dcc.Slider(id="map-year", step=None, included=False, **_slider(q)),
                className="map-slider",
                style={"flex": "1", "minWidth": "16em"},
            ),
            dcc.Interval(id="map-interval", interval=PLAY_MS, disabled=True),
        ],
        style={"display": "flex", "alignItems": "center", "gap": "1em", "flexWrap": "wrap"},
    )
    return html.Div(row, id="map-years-box", className="map-years", hidden=not q.years)


def layout(
    indicator: str | None = None,
    level: str | None = None,
    parent: str | None = None,
    year: str | None = None,
    lang: str | None = None,
    area: str | None = None,
    normalize: str | None = None,
    scale: str | None = None,
    since: str | None = None,
    **_: object,
) -> html.Div:
    lang = request_lang(views.last(lang))
    if not queries.is_ready():
        return no_database(lang)
    try:
        q, notices = views.lenient_map_query(
            {
                "indicator": indicator,
                "level": level,
                "parent": parent,
                "year": year,
                "lang": lang,
                "area": area,
                "normalize": normalize,
                "scale": scale,
                "since": since,
            }
        )
    except views.BadParameter as exc:
        return message(exc.notice or exc.message, lang)
    drawn = queries.has_boundaries()
    warnings = [] if drawn else [message(t("map.no_boundaries", lang), lang, "warning")]
    caption = views.map_caption(q)
    fig = figure(q, lang, q.area) if drawn else {}
    return html.Div(
        [
            html.H1(t("map.heading", lang)),
            html.P(t("map.intro", lang), className="lead"),
            html.Div(warnings, id="map-boundaries-notice"),
            html.Div([message(n, lang) for n in notices] or None, id="map-notice"),
            _controls(q),
            _options(q),
            _years(q),
            html.P(caption, id="map-caption", className="map-caption", **{"aria-live": "polite"}),
            html.Div(
                [
                    dcc.Graph(
                        id="map-graph",
                        figure=fig,
                        config=graph_config(lang, "map"),
                    ),
                    html.P(colours_note(q), id="map-colours", className="muted"),
                    html.P(views.map_formula(q), id="map-formula", className="muted"),
                ],
                id="map-graph-box",
                hidden=not drawn,
            ),
            share.share_bar("map", "map", parse_query(q.query_string()), lang, caption or None),
            html.Div(table(q), id="map-table-box"),
            dcc.Store(id="map-state", data={"lang": lang, "area": q.area, "years": list(q.years)}),
            dcc.Store(id="map-drawn", data=drawn_state(q._replace(lang=lang))),
            dcc.Store(id="map-go"),
            html.Span(id="map-go-sink", hidden=True),
            url_sync("map"),
        ],
        className="page map",
    )


@dash.callback(
    Output("map-indicator", "options"),
    Output("map-indicator", "value"),
    Output("map-parent-box", "hidden"),
    Output("map-year", "min"),
    Output("map-year", "max"),
    Output("map-year", "marks"),
    Output("map-year", "value"),
    Output("map-years-box", "hidden"),
    Output("map-state", "data"),
    Input("map-level", "value"),
    Input("map-parent", "value"),
    Input("map-indicator", "value"),
    State("map-year", "value"),
    State("map-state", "data"),
    prevent_initial_call=True,
)
def on_scope(level, parent, indicator, year, state):  # noqa: ANN001, ANN201
    """A new level, oblast or indicator: the indicators and years available there."""
    state = dict(state) if isinstance(state, dict) else {}
    lang = request_lang(state.get("lang"))
    q = resolve(indicator, level, parent, year, state.get("area"), lang)
    if isinstance(q, str):
        return (dash.no_update,) * 9
    slider = _slider(q)
    state["years"] = list(q.years)
    return (
        indicator_options(views.map_indicators(q.scope), lang),
        q.indicator,
        q.level != "district",
        slider["min"],
        slider["max"],
        slider["marks"],
        slider["value"],
        not q.years,
        state,
    )


VIEW_OUTPUTS = (
    Output("map-graph", "figure"),
    Output("map-caption", "children"),
    Output("map-colours", "children"),
    Output("map-table-box", "children"),
    Output("map-notice", "children"),
    Output("map-url", "data"),
    Output("map-formula", "children"),
    Output("map-since", "options"),
    Output("map-drawn", "data"),
)
# The answer depends only on the controls, what the browser draws and the data.
response_cache.cacheable(*VIEW_OUTPUTS)


@dash.callback(
    *VIEW_OUTPUTS,
    Input("map-year", "value"),
    Input("map-indicator", "value"),
    Input("map-level", "value"),
    Input("map-parent", "value"),
    Input("map-normalize", "value"),
    Input("map-scale", "value"),
    Input("map-since", "value"),
    State("map-state", "data"),
    State("map-drawn", "data"),
    prevent_initial_call=True,
)
def on_view(year, indicator, level, parent, normalize, scale, since, state, drawn):  # noqa: ANN001, ANN201, PLR0913
    """The map, its caption, the ranked table and the URL for the chosen state. Another
    year of the same view patches only the map's values (its geometry stays in the
    browser); the year it already shows changes nothing."""
    state = state if isinstance(state, dict) else {}
    lang, area = request_lang(state.get("lang")), state.get("area")
    params = {"indicator": indicator, "level": level, "parent": parent, "year": year}
    params |= {"area": area, "lang": lang, "normalize": normalize, "scale": scale}
    params |= {"since": since}
    try:
        q, notices = views.lenient_map_query({k: v for k, v in params.items() if v != ""})
    except views.BadParameter as exc:
        text = exc.notice or exc.message
        no = dash.no_update
        return no, "", "", message(text, lang), None, no, "", [], no
    notice = [message(n, lang) for n in notices] or None
    fig, now_drawn = dash.no_update, dash.no_update
    if queries.has_boundaries():
        year_only = {p.split(".")[0] for p in ctx.triggered_prop_ids} == {"map-year"}
        fig, now_drawn = map_update(q._replace(lang=lang, area=area), drawn, year_only)
    return (
        fig,
        views.map_caption(q),
        colours_note(q),
        table(q),
        notice,
        q.query_string(),
        views.map_formula(q),
        _since_options(q),
        now_drawn,
    )


@dash.callback(
    Output("map-interval", "disabled"),
    Output("map-play", "children"),
    Output("map-play", "aria-pressed"),
    Output("map-year", "value", allow_duplicate=True),
    Input("map-play", "n_clicks"),
    Input("map-interval", "n_intervals"),
    State("map-interval", "disabled"),
    State("map-year", "value"),
    State("map-state", "data"),
    prevent_initial_call=True,
)
def on_play(_clicks, _ticks, paused, year, state):  # noqa: ANN001, ANN201
    """Play / Pause steps the year slider through the years with data, then stops."""
    state = state if isinstance(state, dict) else {}
    years = [y for y in state.get("years") or [] if isinstance(y, int)]
    year = year if isinstance(year, int) else None
    lang = request_lang(state.get("lang"))
    if not years:
        return True, t("map.play", lang), "false", dash.no_update
    if ctx.triggered_id == "map-play":
        if not paused:
            return True, t("map.play", lang), "false", dash.no_update
        start = years[0] if year not in years or year == years[-1] else year
        return False, t("map.pause", lang), "true", start
    later = [y for y in years if year is None or y > year]
    if not later:
        return True, t("map.play", lang), "false", dash.no_update
    stop = len(later) == 1
    return (
        stop,
        t("map.play" if stop else "map.pause", lang),
        "false" if stop else "true",
        later[0],
    )


@dash.callback(
    Output("map-go", "data"),
    Input("map-graph", "clickData"),
    State("map-indicator", "value"),
    State("map-state", "data"),
    prevent_initial_call=True,
)
def on_click(click, indicator, state):  # noqa: ANN001, ANN201
    """A click on an area opens it in Explore."""
    points = click.get("points") if isinstance(click, dict) else None
    first = points[0] if isinstance(points, list) and points else None
    kato = first.get("location") if isinstance(first, dict) else None
    if not isinstance(kato, str) or not kato:
        return dash.no_update
    indicator = indicator if isinstance(indicator, str) else None
    lang = request_lang(state.get("lang") if isinstance(state, dict) else None)
    log.debug("map click on %s", kato)
    return "/explore" + query_string(indicator=indicator, area=kato, lang=lang)


# The address on_click chose: open it (a full page load of Explore).
clientside_callback(
    """
    function(href) {
        if (href) { window.location.assign(href); }
        return window.dash_clientside.no_update;
    }
    """,
    Output("map-go-sink", "children"),
    Input("map-go", "data"),
    prevent_initial_call=True,
)
