"""Map (/map): one indicator by oblast or by district for one year, and which areas lag.

URL state: ``indicator``, ``level`` (oblast | district), ``parent`` (the oblast whose
districts are shown), ``year``, ``lang`` and ``area`` (outlined, and the default parent).
Clicking an area, or its name in the ranked table, opens it in Explore.
"""

from __future__ import annotations

import logging
from pathlib import Path

import dash
from dash import Input, Output, State, clientside_callback, ctx, dcc, html
from dash.exceptions import PreventUpdate

from components import maps, urlstate
from components.i18n import (
    dropdown_labels,
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
from views import map_table, response_cache, share
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


def figure(q: MapQuery, lang: str, area: str | None) -> dict:
    """The map of ``q`` in the page's ``lang`` with its ``area`` outlined: the figure of
    :func:`views.charts.map_figure` (which the downloads and embeds draw) as a dict."""
    return views.map_figure_dict(q._replace(lang=lang, area=area))


def figure_key(q: MapQuery) -> list:
    """Everything but the year that the map's figure depends on."""
    return [q.indicator, q.level, q.parent, q.lang, q.area, q.normalize, q.scale]


def drawn_state(q: MapQuery) -> dict:
    """What the browser shows (the ``map-drawn`` store): the map's view key, its year and
    its shapes' signature, and the view key of the ranked table's names and headings."""
    key = figure_key(q)
    return {"key": key, "year": q.year, "shapes": views.map_shapes(q), "table": key}


def map_update(q: MapQuery, drawn: dict, year_only: bool) -> tuple[object, dict, bool]:
    """The map's figure output, the new ``map-drawn`` and whether the browser patches the
    map's values itself, for ``q`` given what the browser draws (``drawn``): nothing when
    it already shows ``q`` (PreventUpdate when only the year was chosen again); a patch in
    the browser (``pages/map_patch.js`` from the ``map-rows`` store) when only the values
    change (the same shapes); else the whole figure."""
    same_view = drawn.get("key") == figure_key(q)
    if same_view and drawn.get("year") == q.year:
        if year_only:
            raise PreventUpdate
        return dash.no_update, drawn, False
    state = drawn_state(q)
    if same_view and drawn.get("shapes") == state["shapes"]:
        return dash.no_update, state, True
    return views.map_figure_dict(q), state, False


def caption(q: MapQuery) -> str:
    """The map's caption and how many of its areas have data in the year shown."""
    text = views.map_caption(q)
    return f"{text}. {map_table.coverage_text(q)}" if text else ""


def colours_note(q: MapQuery) -> str:
    """How to read the colours, for the indicator's direction."""
    if not q.indicator:
        return ""
    direction = queries.indicator(q.indicator)["direction"]
    return t(f"map.colours_{direction if direction in ('higher', 'lower') else 'neutral'}", q.lang)


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
    title = views.map_caption(q)
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
            html.P(
                caption(q), id="map-caption", className="map-caption", **{"aria-live": "polite"}
            ),
            html.Div(
                [
                    dcc.Graph(
                        id="map-graph",
                        figure=fig,
                        config=graph_config(lang, "map"),
                    ),
                    html.P(colours_note(q), id="map-colours", className="muted"),
                    html.P(views.map_formula(q), id="map-formula", className="muted"),
                    html.P(t("mp.year_rule", lang), id="map-year-rule", className="muted"),
                ],
                id="map-graph-box",
                hidden=not drawn,
            ),
            share.share_bar("map", "map", parse_query(q.query_string()), lang, title or None),
            html.Div(id="map-table-box"),
            dcc.Store(id="map-table-view", data=map_table.table_view(q)),
            dcc.Store(id="map-rows", data=map_table.table_rows(q)),
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
    Output("map-rows", "data"),
    Output("map-table-view", "data"),
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
    """The map, its caption, the ranked table's data and the URL for the chosen state.
    Another year of the same view sends only that year's values: the browser keeps the
    map's geometry and the table's names, patches the map and redraws the table
    (``pages/map_patch.js``, ``pages/map_table.js``); the year it already shows changes
    nothing."""
    state = state if isinstance(state, dict) else {}
    drawn = drawn if isinstance(drawn, dict) else {}
    lang, area = request_lang(state.get("lang")), state.get("area")
    params = {"indicator": indicator, "level": level, "parent": parent, "year": year}
    params |= {"area": area, "lang": lang, "normalize": normalize, "scale": scale}
    params |= {"since": since}
    try:
        q, notices = views.lenient_map_query({k: v for k, v in params.items() if v != ""})
    except views.BadParameter as exc:
        text = exc.notice or exc.message
        no = dash.no_update
        return no, "", "", None, no, message(text, lang), no, "", [], no
    notice = [message(n, lang) for n in notices] or None
    fig, now_drawn, patch = dash.no_update, dict(drawn), False
    if queries.has_boundaries():
        year_only = {p.split(".")[0] for p in ctx.triggered_prop_ids} == {"map-year"}
        fig, now_drawn, patch = map_update(q, drawn, year_only)
    key = figure_key(q)
    view = dash.no_update if drawn.get("table") == key else map_table.table_view(q)
    return (
        fig,
        caption(q),
        colours_note(q),
        map_table.table_rows(q, patch=patch),
        view,
        notice,
        q.query_string(),
        views.map_formula(q),
        _since_options(q),
        {**now_drawn, "table": key},
    )


# The ranked table, drawn in the browser from its stores (a year change sends only its rows).
clientside_callback(
    (Path(__file__).parent / "map_table.js").read_text(encoding="utf-8"),
    Output("map-table-box", "children"),
    Input("map-rows", "data"),
    Input("map-table-view", "data"),
)
# Another year of the drawn map: its values patched in the browser, the geometry kept.
clientside_callback(
    (Path(__file__).parent / "map_patch.js").read_text(encoding="utf-8"),
    Output("map-graph", "figure", allow_duplicate=True),
    Input("map-rows", "data"),
    State("map-table-view", "data"),
    State("map-graph", "figure"),
    prevent_initial_call=True,
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
