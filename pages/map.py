"""Map (/map): one indicator by oblast or by district for one year, and which areas lag.

URL state: ``indicator``, ``level`` (oblast | district), ``parent`` (the oblast whose
districts are shown), ``year``, ``lang`` and ``area`` (outlined, and the default parent).
Clicking an area, or its name in the ranked table, opens it in Explore.
"""

from __future__ import annotations

import logging

import dash
import pandas as pd
from dash import Input, Output, State, clientside_callback, ctx, dcc, html

from components import maps, share, urlstate
from components.i18n import fmt_number, graph_config, register, request_lang, t
from components.messages import message, no_database
from components.urlstate import query_string, url_sync
from store import queries

log = logging.getLogger(__name__)

dash.register_page(__name__, path="/map", name="map", title="Map")
urlstate.register("map")  # at import, so the URL sync exists before the first request
share.register("map", "map", title_id="map-caption")

COUNTRY = "000000000"
DEFAULT_PARENT = "430000000"  # Kyzylorda oblast
DEFAULT_INDICATOR = "population"
LEVELS = ("district", "oblast")
PLAY_MS = 1500

register({
    "map.heading": {"kk": "Көрсеткіштер картада", "ru": "Показатели на карте",
                    "en": "Indicators on the map"},
    "map.intro": {
        "kk": "Көрсеткіш пен жылды таңдаңыз. Аумақты картада немесе кестеде басып, "
              "оны «Зерттеу» бетінде ашыңыз. Карта астындағы кесте аумақтарды орын "
              "бойынша реттейді.",
        "ru": "Выберите показатель и год. Нажмите на территорию на карте или в таблице, "
              "чтобы открыть её в разделе «Анализ». Таблица под картой ранжирует территории.",
        "en": "Choose an indicator and a year. Click an area on the map or in the table to "
              "open it in Explore. The table under the map ranks the areas."},
    "map.level": {"kk": "Деңгей", "ru": "Уровень", "en": "Level"},
    "map.level_oblast": {"kk": "Облыстар мен республикалық маңызы бар қалалар",
                         "ru": "Области и города республиканского значения",
                         "en": "Oblasts and cities of republican significance"},
    "map.level_district": {"kk": "Облыстың аудандары мен қалалары",
                           "ru": "Районы и города области",
                           "en": "Districts and cities of an oblast"},
    "map.parent": {"kk": "Облыс", "ru": "Область", "en": "Oblast"},
    "map.play": {"kk": "Ойнату", "ru": "Воспроизвести", "en": "Play"},
    "map.pause": {"kk": "Тоқтату", "ru": "Пауза", "en": "Pause"},
    "map.caption_oblast": {
        "kk": "{indicator}, {year}: облыстар мен республикалық маңызы бар қалалар",
        "ru": "{indicator}, {year}: области и города республиканского значения",
        "en": "{indicator}, {year}: oblasts and cities of republican significance"},
    "map.caption_district": {
        "kk": "{indicator}, {year}: {parent} аудандары мен қалалары",
        "ru": "{indicator}, {year}: районы и города — {parent}",
        "en": "{indicator}, {year}: districts and cities of {parent}"},
    "map.no_boundaries": {
        "kk": "Шекаралар орнатылмаған, сондықтан картаны салу мүмкін емес. Төмендегі кесте "
              "аумақтарды бәрібір реттейді. Шекараларды орнату үшін "
              "`python -m etl build --boundaries DIR` іске қосыңыз.",
        "ru": "Границы не установлены, поэтому карту построить нельзя. Таблица ниже всё равно "
              "ранжирует территории. Чтобы установить границы, запустите "
              "`python -m etl build --boundaries DIR`.",
        "en": "Boundaries are not installed, so the map cannot be drawn. The table below "
              "still ranks the areas. To install them, run "
              "`python -m etl build --boundaries DIR`."},
    "map.bad_parent": {
        "kk": "«{code}» облыс та, республикалық маңызы бар қала да емес. Тізімнен таңдаңыз.",
        "ru": "«{code}» — не область и не город республиканского значения. "
              "Выберите из списка.",
        "en": "“{code}” is not an oblast or a city of republican significance. "
              "Choose one from the list."},
    "map.not_here": {
        "kk": "«{code}» көрсеткіші бойынша бұл аумақтарда деректер жоқ; орнына «{shown}» "
              "көрсетілген.",
        "ru": "По показателю «{code}» для этих территорий нет данных; показан «{shown}».",
        "en": "“{code}” has no data for these areas; showing “{shown}” instead."},
    "map.no_indicators": {
        "kk": "Бұл аумақтар бойынша бірде-бір көрсеткіштің деректері жоқ.",
        "ru": "Ни по одному показателю для этих территорий нет данных.",
        "en": "No indicator has data for these areas."},
    "map.rank_heading": {"kk": "{year}: қай аумақтар алда, қайсысы артта",
                         "ru": "Кто впереди и кто отстаёт, {year}",
                         "en": "Which areas lead and which lag, {year}"},
    "map.rank": {"kk": "Орын", "ru": "Место", "en": "Rank"},
    "map.rank_higher": {"kk": "1-орын — ең жоғары мән (көбірек болғаны жақсы).",
                        "ru": "1-е место — наибольшее значение (чем больше, тем лучше).",
                        "en": "Rank 1 is the highest value (higher is better)."},
    "map.rank_lower": {"kk": "1-орын — ең төмен мән (азырақ болғаны жақсы).",
                       "ru": "1-е место — наименьшее значение (чем меньше, тем лучше).",
                       "en": "Rank 1 is the lowest value (lower is better)."},
    "map.rank_neutral": {
        "kk": "1-орын — ең жоғары мән; бұл көрсеткіште жақсы бағыт жоқ.",
        "ru": "1-е место — наибольшее значение; у этого показателя нет «лучшего» направления.",
        "en": "Rank 1 is the highest value; for this indicator neither direction is better."},
    "map.colours_higher": {
        "kk": "Қою түс — төмен мәндер, яғни артта қалғандар; сұр — деректер жоқ.",
        "ru": "Тёмный цвет — низкие значения, то есть отстающие; серый — нет данных.",
        "en": "Dark means low values, the lagging areas; grey means no data."},
    "map.colours_lower": {
        "kk": "Қою түс — жоғары мәндер, яғни артта қалғандар (азырақ болғаны жақсы); "
              "сұр — деректер жоқ.",
        "ru": "Тёмный цвет — высокие значения, то есть отстающие (чем меньше, тем лучше); "
              "серый — нет данных.",
        "en": "Dark means high values, the lagging areas (lower is better); "
              "grey means no data."},
    "map.colours_neutral": {
        "kk": "Қою түс — төмен мәндер, ашық түс — жоғары мәндер; сұр — деректер жоқ.",
        "ru": "Тёмный цвет — низкие значения, светлый — высокие; серый — нет данных.",
        "en": "Dark means low values, light means high values; grey means no data."},
})


class View:
    """The resolved state of the page: what is shown, and a notice if the URL was adjusted.

    (A plain class: Dash Pages runs this module before it is in sys.modules, which
    dataclasses' string annotations need.)
    """

    def __init__(self, level: str, parent: str) -> None:
        self.level, self.parent = level, parent
        self.indicator: str | None = None
        self.year: int | None = None
        self.years: list[int] = []
        self.options: list[dict] = []
        self.notice: str | None = None

    @property
    def scope(self) -> str:
        """The parent whose children are mapped: the country, or the chosen oblast."""
        return COUNTRY if self.level == "oblast" else self.parent


def _default_parent(area: str | None) -> str:
    """The oblast of ``area`` (or ``area`` itself if it is one), else Kyzylorda oblast."""
    info = queries.area(area) if area else None
    if info and info.get("parent") == COUNTRY:
        return area  # type: ignore[return-value]
    if info and info.get("parent"):
        up = queries.area(info["parent"])
        if up and up.get("parent") == COUNTRY:
            return info["parent"]
    return DEFAULT_PARENT


def indicator_codes(scope: str) -> list[str]:
    """Indicators with data for the areas under ``scope``, in catalogue order."""
    have = set(queries.indicators_under(scope)["indicator"])
    return [c for c in queries.indicators()["code"] if c in have]


def indicator_options(codes: list[str], lang: str) -> list[dict]:
    """Dropdown options for ``codes``, by name in ``lang``."""
    names = queries.indicators().set_index("code")[f"name_{lang}"]
    return sorted(({"label": names[c], "value": c} for c in codes), key=lambda o: o["label"])


def parent_options(lang: str) -> list[dict]:
    """Oblasts, then the cities of republican significance, by name."""
    df = queries.areas(parent=COUNTRY)
    df = df[df["valid_to"].isna()]
    df = df.assign(o=(df["level"] != "oblast").astype(int), name=df[f"name_{lang}"])
    df = df.sort_values(["o", "name"])
    return [{"label": n, "value": k} for k, n in zip(df["kato"], df["name"], strict=True)]


def _year(year: object, years: list[int]) -> int | None:
    try:
        wanted = int(year)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        wanted = None
    if wanted in years:
        return wanted
    return years[-1] if years else None


def resolve(indicator: str | None, level: str | None, parent: str | None, year: object,
            area: str | None, lang: str) -> View | str:
    """The view for the URL's (or the controls') state, or the text of a friendly error."""
    level = level if level in LEVELS else "district"
    if parent:
        kato = queries.resolve_area(str(parent))
        info = queries.area(kato) if kato else None
        if info is None or info.get("parent") != COUNTRY:
            return t("map.bad_parent" if info else "msg.unknown_area", lang, code=parent)
        parent = kato
    else:
        parent = _default_parent(area)
    if indicator and queries.indicator(indicator) is None:
        return t("msg.unknown_indicator", lang, code=indicator)
    view = View(level, parent)
    codes = indicator_codes(view.scope)
    view.options = indicator_options(codes, lang)
    if not codes:
        view.notice = t("map.no_indicators", lang)
        return view
    fallback = DEFAULT_INDICATOR if DEFAULT_INDICATOR in codes else codes[0]
    view.indicator = indicator if indicator in codes else fallback
    if indicator and indicator not in codes:
        view.notice = t("map.not_here", lang, code=indicator,
                        shown=queries.indicator(view.indicator)[f"name_{lang}"])
    values = queries.observations_in(view.indicator, view.scope)
    view.years = sorted(int(y) for y in values["year"].unique())
    view.year = _year(year, view.years)
    return view


def _boundary_level(view: View) -> str:
    return "oblast" if view.level == "oblast" else "district"


def _vintage(level: str, year: int | None) -> int | None:
    """The latest boundary vintage not after ``year`` (else the oldest)."""
    vintages = queries.boundary_vintages(level)
    if not vintages:
        return None
    before = [v for v in vintages if year is not None and v <= year]
    return before[-1] if before else vintages[0]


def _boundaries(view: View) -> pd.DataFrame:
    level = _boundary_level(view)
    return queries.boundaries(level, parent=view.scope, vintage=_vintage(level, view.year))


def _units(view: View, boundaries: pd.DataFrame) -> list[str]:
    """Areas a ranking lists: those mapped and those under the scope, if they existed then."""
    kids = queries.areas(parent=view.scope)
    year = view.year if view.year is not None else 9999
    alive = (kids["valid_from"].isna() | (kids["valid_from"] <= year)) & \
            (kids["valid_to"].isna() | (kids["valid_to"] >= year))
    gone = set(kids.loc[~alive, "kato"])
    return [k for k in dict.fromkeys([*boundaries["area"], *kids["kato"]]) if k not in gone]


def _names(view: View, lang: str) -> dict[str, str]:
    kids = queries.areas(parent=view.scope)
    return dict(zip(kids["kato"], kids[f"name_{lang}"], strict=True))


def source_label(title: str, limit: int = 70) -> str:
    """A source's title, cut at a word to about ``limit`` characters."""
    if len(title) <= limit:
        return title
    return title[:limit].rsplit(" ", 1)[0].rstrip(",;:") + "…"


def _values(view: View) -> pd.DataFrame:
    """The indicator's values under the scope, with the source's (short) title in ``source``."""
    values = queries.observations_in(view.indicator, view.scope)
    titles = queries.sources().set_index("code")["title"].to_dict()
    return values.assign(source=values["source"].map(lambda c: source_label(titles.get(c, c))))


def figure(view: View, lang: str, area: str | None = None):  # noqa: ANN201
    """The choropleth of the view (empty boundaries draw an explanatory empty map)."""
    meta = queries.indicator(view.indicator) if view.indicator else {}
    values = _values(view) if view.indicator else pd.DataFrame(
        columns=["area", "year", "value", "source"])
    return maps.choropleth(values, _boundaries(view), _names(view, lang), meta or {}, lang,
                           view.year, highlight=area)


def caption(view: View, lang: str) -> str:
    if not view.indicator:
        return ""
    name = queries.indicator(view.indicator)[f"name_{lang}"]
    if view.level == "oblast":
        return t("map.caption_oblast", lang, indicator=name, year=view.year)
    parent = queries.area(view.parent)[f"name_{lang}"]
    return t("map.caption_district", lang, indicator=name, year=view.year, parent=parent)


def colours_note(view: View, lang: str) -> str:
    """How to read the colours, for the indicator's direction."""
    if not view.indicator:
        return ""
    direction = queries.indicator(view.indicator)["direction"]
    return t(f"map.colours_{direction if direction in ('higher', 'lower') else 'neutral'}",
             lang)


def table(view: View, lang: str, area: str | None = None) -> list:
    """The ranked table: rank, area (a link to Explore), value and source; no data last."""
    if not view.indicator:
        return []
    meta = queries.indicator(view.indicator)
    ranked = maps.ranking(_values(view), _units(view, _boundaries(view)), _names(view, lang),
                          meta, view.year)
    unit = meta[f"unit_{lang}"]
    head = html.Thead(html.Tr([
        html.Th(t("map.rank", lang), scope="col", className="num"),
        html.Th(t("word.area", lang), scope="col"),
        html.Th(f"{t('word.value', lang)}, {unit}", scope="col", className="num"),
        html.Th(t("word.source", lang), scope="col")]))
    rows = [_row(r, view, meta, lang, area) for r in ranked.to_dict("records")]
    return [html.H2(t("map.rank_heading", lang, year=view.year), id="map-rank-heading"),
            html.P(t(f"map.rank_{meta['direction']}", lang), className="muted"),
            html.Table([head, html.Tbody(rows)], className="data map-rank", id="map-table",
                       **{"aria-labelledby": "map-rank-heading"})]


def _row(r: dict, view: View, meta: dict, lang: str, area: str | None) -> html.Tr:
    href = "/explore" + query_string(indicator=view.indicator, area=r["area"], lang=lang)
    if pd.isna(r["rank"]):
        rank, value, source = "–", t("map.no_data", lang), ""
    else:
        rank = str(int(r["rank"]))
        decimals = None if pd.isna(meta.get("decimals")) else int(meta["decimals"])
        value = fmt_number(r["value"], lang, decimals)
        status = r.get("status")
        if isinstance(status, str) and status != "actual":
            value += f" ({t(f'obs.{status}', lang)})"
        source = r.get("source") or ""
    current = {"aria-current": "true"} if r["area"] == area else {}
    return html.Tr([html.Td(rank, className="num"),
                    html.Td(dcc.Link(r["name"], href=href)),
                    html.Td(value, className="num"), html.Td(source)],
                   className="current" if current else None, **current)


def _slider(view: View) -> dict:
    """The year slider's min, max, marks and value for the view's years."""
    years = view.years or [0]
    return {"min": years[0], "max": years[-1], "marks": {y: str(y) for y in view.years},
            "value": view.year}


def _url(view: View, lang: str, area: str | None) -> str:
    return query_string(indicator=view.indicator, level=view.level,
                        parent=view.parent if view.level == "district" else None,
                        year=view.year, lang=lang, area=area)


def _controls(view: View, lang: str) -> html.Div:
    return html.Div([
        html.Div([html.Label(t("word.indicator", lang), htmlFor="map-indicator"),
                  dcc.Dropdown(id="map-indicator", options=view.options, value=view.indicator,
                               clearable=False, searchable=True)], className="map-indicator"),
        html.Fieldset([html.Legend(t("map.level", lang)),
                       dcc.RadioItems(id="map-level", value=view.level, options=[
                           {"label": t(f"map.level_{lv}", lang), "value": lv}
                           for lv in LEVELS])], className="map-level"),
        html.Div([html.Label(t("map.parent", lang), htmlFor="map-parent"),
                  dcc.Dropdown(id="map-parent", options=parent_options(lang), value=view.parent,
                               clearable=False, searchable=True)],
                 id="map-parent-box", hidden=view.level != "district"),
    ], className="controls")


def _years(view: View, lang: str) -> html.Div:
    row = html.Div([
        html.Label(t("word.year", lang), htmlFor="map-year", style={"fontWeight": "bold"}),
        html.Button(t("map.play", lang), id="map-play", n_clicks=0, type="button",
                    className="map-play", **{"aria-pressed": "false"}),
        html.Div(dcc.Slider(id="map-year", step=None, included=False, **_slider(view)),
                 className="map-slider", style={"flex": "1", "minWidth": "16em"}),
        dcc.Interval(id="map-interval", interval=PLAY_MS, disabled=True),
    ], style={"display": "flex", "alignItems": "center", "gap": "1em", "flexWrap": "wrap"})
    return html.Div(row, id="map-years-box", className="map-years", hidden=not view.years)


def layout(indicator: str | None = None, level: str | None = None, parent: str | None = None,
           year: str | None = None, lang: str | None = None, area: str | None = None,
           **_: object) -> html.Div:
    lang = request_lang(lang)
    if not queries.is_ready():
        return no_database(lang)
    area = queries.resolve_area(area) if area else None  # unknown: nothing outlined
    view = resolve(indicator, level, parent, year, area, lang)
    if isinstance(view, str):
        return message(view, lang)
    drawn = queries.has_boundaries()
    notices = [] if drawn else [message(t("map.no_boundaries", lang), lang, "warning")]
    return html.Div([
        html.H1(t("map.heading", lang)),
        html.P(t("map.intro", lang), className="lead"),
        html.Div(notices, id="map-boundaries-notice"),
        html.Div(message(view.notice, lang) if view.notice else None, id="map-notice"),
        _controls(view, lang),
        _years(view, lang),
        html.P(caption(view, lang), id="map-caption", className="map-caption",
               **{"aria-live": "polite"}),
        html.Div([dcc.Graph(id="map-graph", figure=figure(view, lang, area) if drawn else {},
                            config=graph_config(lang, "map")),
                  html.P(colours_note(view, lang), id="map-colours", className="muted")],
                 id="map-graph-box", hidden=not drawn),
        share.share_bar("map", "map", share.parse_query(_url(view, lang, area)), lang,
                        caption(view, lang) or None),
        html.Div(table(view, lang, area), id="map-table-box"),
        dcc.Store(id="map-state", data={"lang": lang, "area": area, "years": view.years}),
        dcc.Store(id="map-go"),
        html.Span(id="map-go-sink", hidden=True),
        url_sync("map"),
    ], className="page map")


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
    state = dict(state or {})
    lang = request_lang(state.get("lang"))
    view = resolve(indicator, level, parent, year, state.get("area"), lang)
    if isinstance(view, str):
        return (dash.no_update,) * 9
    slider = _slider(view)
    state["years"] = view.years
    return (view.options, view.indicator, view.level != "district", slider["min"],
            slider["max"], slider["marks"], slider["value"], not view.years, state)


@dash.callback(
    Output("map-graph", "figure"),
    Output("map-caption", "children"),
    Output("map-colours", "children"),
    Output("map-table-box", "children"),
    Output("map-notice", "children"),
    Output("map-url", "data"),
    Input("map-year", "value"),
    Input("map-indicator", "value"),
    Input("map-level", "value"),
    Input("map-parent", "value"),
    State("map-state", "data"),
    prevent_initial_call=True,
)
def on_view(year, indicator, level, parent, state):  # noqa: ANN001, ANN201
    """The map, its caption, the ranked table and the URL for the chosen state."""
    state = state or {}
    lang, area = request_lang(state.get("lang")), state.get("area")
    view = resolve(indicator, level, parent, year, area, lang)
    if isinstance(view, str):
        return dash.no_update, "", "", message(view, lang), None, dash.no_update
    fig = figure(view, lang, area) if queries.has_boundaries() else dash.no_update
    return (fig, caption(view, lang), colours_note(view, lang), table(view, lang, area), None,
            _url(view, lang, area))


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
    state = state or {}
    lang, years = request_lang(state.get("lang")), state.get("years") or []
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
    return (stop, t("map.play" if stop else "map.pause", lang), "false" if stop else "true",
            later[0])


@dash.callback(
    Output("map-go", "data"),
    Input("map-graph", "clickData"),
    State("map-indicator", "value"),
    State("map-state", "data"),
    prevent_initial_call=True,
)
def on_click(click, indicator, state):  # noqa: ANN001, ANN201
    """A click on an area opens it in Explore."""
    points = (click or {}).get("points") or []
    kato = points[0].get("location") if points else None
    if not kato:
        return dash.no_update
    lang = request_lang((state or {}).get("lang"))
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
