"""Explore (/explore): one indicator for one or several areas over time, against its targets.

The chart, the plain-language summary, the table of the same figures and their sources are
built by :func:`view` from a :class:`State`; the layout renders it server-side (so the page
works before any callback) and the callback re-renders it when a control changes, writing
the new query string to the URL store.
"""

from __future__ import annotations

import logging
from typing import NamedTuple

import dash
import pandas as pd
from dash import Input, Output, dcc, html, no_update
from dash import State as DashState
from dash.exceptions import PreventUpdate

from components import urlstate
from components.figures import transform
from components.html_json import el
from components.i18n import (
    curated_text,
    decimals_of,
    dropdown_labels,
    fmt_number,
    graph_config,
    is_translated,
    localized,
    page_title,
    request_lang,
    series_label,
    t,
    text_lang,
)
from components.messages import message, no_database
from components.share_links import parse_query
from components.urlstate import url_sync
from pages.explore_prices import mode_options, prices_notice
from store import queries
from store.cache import remember
from views import charts as views
from views import response_cache, share
from views.changes import revision_notes
from views.charts import (
    area_name,
    reading_notes,
    short_publisher,  # noqa: F401 - one of the page's helpers
    source_labels,
)
from views.shell import area_options

log = logging.getLogger(__name__)

dash.register_page(__name__, path="/explore", name="explore", title=page_title("nav.explore"))
response_cache.cacheable_page("/explore")

PREFIX = "explore"
urlstate.register(PREFIX)  # at import, so the URL sync exists before the first request
share.register(PREFIX, "explore", title_id=f"{PREFIX}-heading")
CATEGORIES = ("ecological", "economic", "social")
TIERS = ("A", "B", "C", "S")


State = views.ExploreQuery  # what the page shows; every field is in the URL


class View(NamedTuple):
    heading: str
    intro: str
    figure: object
    summary: str
    readings: list
    table: list
    sources: list


# --- the page ---------------------------------------------------------------------------


def layout(
    indicator: str | None = None,
    area: str | None = None,
    compare: str | None = None,
    mode: str | None = None,
    source: str | None = None,
    lang: str | None = None,
    base: str | None = None,
    **_: object,
) -> html.Div:
    lang = request_lang(views.last(lang))
    if not queries.is_ready():
        return no_database(lang)
    try:
        state, notices = views.lenient_explore_query(
            {
                "indicator": indicator,
                "area": area,
                "compare": compare,
                "mode": mode,
                "source": source,
                "lang": lang,
                "base": base,
            }
        )
    except views.BadParameter as exc:
        return message(exc.notice or exc.message, lang)
    v = view(state)
    return html.Div(
        [
            *[message(n, lang) for n in notices],
            html.H1(v.heading, id=f"{PREFIX}-heading"),
            html.P(v.intro, id=f"{PREFIX}-intro", className="lead"),
            controls(state),
            html.Figure(
                [
                    dcc.Graph(
                        id=f"{PREFIX}-graph",
                        figure=v.figure,
                        config=graph_config(lang, filename=state.indicator),
                    )
                ],
                className="chart",
                **{"aria-labelledby": f"{PREFIX}-heading", "aria-describedby": f"{PREFIX}-summary"},
            ),
            share.share_bar(PREFIX, "explore", parse_query(state.query()), lang, v.heading),
            html.P(
                v.summary, id=f"{PREFIX}-summary", className="summary", **{"aria-live": "polite"}
            ),
            html.Div(v.readings, id=f"{PREFIX}-readings"),
            html.H2(t("ex.table_heading", lang)),
            html.Div(v.table, id=f"{PREFIX}-table", className="table-wrap"),
            html.H2(t("ex.sources_heading", lang)),
            html.Div(v.sources, id=f"{PREFIX}-sources", className="sources"),
            dcc.Store(
                id=f"{PREFIX}-state", data={"area": state.area, "lang": lang, "base": state.base}
            ),
            url_sync(PREFIX),
        ],
        className="page explore",
    )


def controls(state: State) -> html.Div:
    lang = state.lang
    labels = dropdown_labels(lang)
    return html.Div(
        [
            html.Div(
                [
                    html.Label(t("word.indicator", lang), htmlFor=f"{PREFIX}-indicator"),
                    dcc.Dropdown(
                        id=f"{PREFIX}-indicator",
                        options=indicator_options(state.area, lang),
                        value=state.indicator,
                        clearable=False,
                        searchable=True,
                        search_order="original",
                        labels=labels,
                        maxHeight=420,
                    ),
                ],
                className="control control-indicator",
                style={"flex": "2 1 22em"},
            ),
            html.Div(
                [
                    html.Label(t("ex.compare", lang), htmlFor=f"{PREFIX}-compare"),
                    dcc.Dropdown(
                        id=f"{PREFIX}-compare",
                        multi=True,
                        value=list(state.compare),
                        options=[
                            o
                            for o in area_options(lang, with_region=True)
                            if o["value"] != state.area
                        ],
                        placeholder=t("ex.compare_placeholder", lang),
                        searchable=True,
                        search_order="original",
                        labels=labels,
                    ),
                ],
                className="control control-compare",
                style={"flex": "1 1 16em"},
            ),
            html.Fieldset(
                [
                    html.Legend(t("ex.mode", lang)),
                    dcc.RadioItems(
                        id=f"{PREFIX}-mode",
                        value=views.mode_value(state),
                        options=mode_options(state.indicator, state.areas, state.base, lang),
                        inline=True,
                        labelStyle={"fontWeight": "normal"},
                    ),
                ],
                className="control control-mode",
            ),
            html.Fieldset(
                [
                    html.Legend(t("ex.sources_control", lang)),
                    dcc.Checklist(
                        id=f"{PREFIX}-source",
                        value=["all"] if state.source == "all" else [],
                        options=[{"label": t("ex.all_sources", lang), "value": "all"}],
                        inline=True,
                        labelStyle={"fontWeight": "normal"},
                    ),
                ],
                className="control control-source",
            ),
        ],
        className="controls",
    )


def indicator_options(kato: str, lang: str) -> list[dict]:
    """Indicators grouped by category (a disabled heading each), named in ``lang``;
    those without data for the area say so. Search also finds codes and other languages."""
    key = ("explore-options", kato, lang)
    return remember(key, queries.cache_version(), lambda: _indicator_options(kato, lang))


def _indicator_options(kato: str, lang: str) -> list[dict]:
    catalogue = queries.indicators()
    have = set(queries.area_indicators(kato)["indicator"])
    options: list[dict] = []
    for category in CATEGORIES:
        group = catalogue[catalogue["category"] == category]
        if group.empty:
            continue
        group = group.assign(has=group["code"].isin(have), name=group[f"name_{lang}"])
        options.append(
            {"label": t(f"cat.{category}", lang), "value": f"category:{category}", "disabled": True}
        )
        for r in group.sort_values(["has", "name"], ascending=[False, True]).itertuples():
            label = r.name if r.has else t("ex.no_data_option", lang, name=r.name)
            search = " ".join([r.code, r.name_kk, r.name_ru, r.name_en, t(f"cat.{category}", lang)])
            options.append({"label": label, "value": r.code, "search": search})
    return options


# --- the view: chart, summary, readings notice, table, sources ---------------------------


def view(state: State) -> View:
    """Everything the page shows for ``state`` (the indicator code must exist); the figure
    as its JSON-ready dict. Pure given the state and the data, so kept in the cache under
    the data version (a new load invalidates it)."""
    key = ("explore-view", tuple(state))
    return remember(key, queries.cache_version(), lambda: _view(state))


def _view(state: State) -> View:
    lang = state.lang
    d = views.explore_data(state)
    figure = views.explore_figure_dict(state, d)
    # The heading and the sources do not change with the mode (the callback keeps them when
    # only the mode changed): in constant prices, the published figures' (views.constant_prices)
    published = (
        d if state.prices == "current" else views.explore_data(state._replace(prices="current"))
    )
    return View(
        heading=t(
            "ex.heading",
            lang,
            indicator=published.meta[f"name_{lang}"],
            area=", ".join(d.names.values()),
        ),
        intro=views.explore_intro(figure, lang),
        figure=figure,
        summary=views.explore_summary(state, d),
        readings=[
            *prices_notice(d, state, set(published.observations["source"])),
            *readings_notice(d.observations, state),
        ],
        table=data_table(d.observations, d.meta, state, d.names),
        sources=sources_section(published.observations, published.targets, state, published.names),
    )


def readings_notice(obs: pd.DataFrame, state: State) -> list:
    """Say when the one-reading-a-year view hides other sources' readings, with the way
    to show them all (and back)."""
    lang = state.lang
    if state.source == "all":
        return [
            html.P(
                [
                    t("ex.showing_all", lang),
                    " ",
                    dcc.Link(
                        t("ex.show_preferred", lang),
                        href="/explore" + state.query(source="preferred"),
                    ),
                ],
                className="notice",
            )
        ]
    hidden = obs[obs["other_sources"] > 0] if len(obs) else obs
    if hidden.empty:
        return []
    readings = other_readings(hidden, state)
    return [
        html.P(
            [
                t("msg.other_sources", lang, n=int(hidden["other_sources"].sum())),
                " ",
                html.Span("; ".join(readings) + ".", className="other-readings"),
                " ",
                t("ex.preferred_rule", lang),
                " ",
                dcc.Link(t("ex.show_all", lang), href="/explore" + state.query(source="all")),
            ],
            className="notice",
            id=f"{PREFIX}-other-sources",
        )
    ]


def other_readings(shown: pd.DataFrame, state: State) -> list[str]:
    """The readings the one-a-year view leaves out, each with its value and who reported
    it: "Отчёт акима района (2008): 2 609,1 млн тенге за 2008 год" (a value the curators
    derived says so)."""
    lang = state.lang
    meta = queries.indicator(state.indicator) or {}
    unit, decimals = meta.get(f"unit_{lang}") or "", decimals_of(meta)
    every = queries.observations(state.indicator, state.areas, "all")
    key = ["area", "series", "year"]
    merged = every.merge(shown[[*key, "source"]], on=key, suffixes=("", "_shown"))
    others = merged[merged["source"] != merged["source_shown"]]
    publishers = source_labels(others["source"].unique(), lang)
    multi = len(state.areas) > 1
    out = []
    for r in others.sort_values(["year", "area"]).itertuples():
        who = publishers.get(r.source, r.source)
        if multi:
            who = f"{who} ({area_name(r.area, lang)})"
        value = f"{fmt_number(r.value, lang, decimals)} {unit}".strip()
        text = t("ex.other_reading", lang, publisher=who, value=value, year=int(r.year))
        marks = flags(r.status, bool(r.year_approx), lang)
        out.append(f"{text} ({marks})" if marks else text)
    return out


def flags(status: str | None, year_approx: bool, lang: str) -> str:
    """'estimate, year approximate' — the reading's status flags, empty for an actual value."""
    out = []
    if isinstance(status, str) and status != "actual":
        out.append(t(f"obs.{status}", lang))
    if year_approx:
        out.append(t("obs.year_approx", lang))
    return ", ".join(out)


def data_table(obs: pd.DataFrame, meta: dict, state: State, names: dict[str, str]) -> list:
    """The chart's figures as a table: area, year, value, unit, flags, source (and the
    value in the chosen mode when it is not absolute)."""
    lang = state.lang
    if obs.empty:
        return [html.P(t("msg.no_data", lang), className="muted")]
    decimals = decimals_of(meta)
    by = ("area", "series", "source") if state.source == "all" else ("area", "series")
    moded = transform(obs, state.mode, by)["value"] if state.mode != "absolute" else None
    labels = source_labels(obs["source"].unique(), lang)
    revised = revision_notes(obs, state.indicator, lang, decimals)
    head = [t("word.area", lang), t("word.year", lang), t("word.value", lang), t("word.unit", lang)]
    if moded is not None:
        head.append(t(f"mode.{state.mode}", lang))
    head += [t("word.status", lang), t("word.source", lang)]
    numeric = {1, 2} | ({4} if moded is not None else set())
    unit = meta[f"unit_{lang}"]
    rows = []  # plain dicts (components.html_json): a few hundred rows of cells
    for idx, r in zip(obs.index, obs.itertuples(), strict=True):
        area = names.get(r.area, r.area) + (
            f" — {series_label(r.series, lang)}" if r.series else ""
        )
        cells = [area, str(int(r.year)), fmt_number(r.value, lang, decimals), unit]
        if moded is not None:
            cells.append(fmt_number(moded.get(idx), lang, 1))
        marks = flags(r.status, bool(r.year_approx), lang)
        note = revised.get((r.area, r.series, int(r.year), r.source))
        if note:
            revised_note = el("Span", note, className="revised")
            marks = [marks, el("Br"), revised_note] if marks else note
        cells += [marks, el("A", labels[r.source], href=f"#src-{r.source}")]
        rows.append(
            el(
                "Tr",
                [
                    el("Td", c, className="num" if i in numeric else None)
                    for i, c in enumerate(cells)
                ],
            )
        )
    return [
        html.Table(
            [
                html.Caption(t("ex.table_caption", lang, indicator=meta[f"name_{lang}"])),
                html.Thead(
                    html.Tr(
                        [
                            html.Th(h, scope="col", className="num" if i in numeric else None)
                            for i, h in enumerate(head)
                        ]
                    )
                ),
                html.Tbody(rows),
            ],
            className="data",
            id=f"{PREFIX}-data",
        )
    ]


def sources_section(
    obs: pd.DataFrame, targets: pd.DataFrame, state: State, names: dict[str, str]
) -> list:
    """Each source used (readings and targets) with its publisher, address, license and
    tier; then the notes on the readings and targets."""
    lang = state.lang
    codes = list(dict.fromkeys([*obs["source"], *targets["source"]]))
    items = [_source_item(code, lang) for code in codes]
    notes = [_note_item(n, lang) for n in reading_notes(obs, names)]
    for tg in targets.sort_values(["area", "target_year"]).itertuples():
        if isinstance(tg.note, str) and tg.note or isinstance(tg.excerpt, str) and tg.excerpt:
            notes.append(
                _note_item(
                    {
                        "source": tg.source,
                        "note": localized(tg, "note", lang),
                        "note_en": not is_translated(tg, "note", lang),
                        "excerpt": tg.excerpt or "",
                        "location": "",
                        "where": f"{names.get(tg.area, tg.area)}: "
                        f"{t('ex.target_note', lang, year=int(tg.target_year))}",
                    },
                    lang,
                )
            )
    out: list = (
        [html.Ul(items, className="source-list")]
        if items
        else [html.P(t("msg.no_data", lang), className="muted")]
    )
    if notes:
        out += [html.H3(t("ex.notes_heading", lang)), html.Ul(notes, className="note-list")]
    return out


def _source_item(code: str, lang: str) -> html.Li:
    info = queries.source(code) or {"title": code}
    title = info.get("title") or code
    address = info.get("address")
    tier = info.get("tier")
    body: list = [
        html.A(title, href=address, rel="noopener", lang=text_lang(title))
        if address
        else html.Span(title, className="source-title", lang=text_lang(title)),
        f". {t('ex.publisher', lang)}: {localized(info, 'publisher', lang) or '–'}",
        f". {t('word.license', lang)}: "
        f"{localized(info, 'license', lang) or t('ex.license_none', lang)}",
    ]
    if tier in TIERS:
        body.append(f". {t('ex.tier', lang)}: {tier} — {t(f'ex.tier.{tier}', lang)}")
    if info.get("copy_address"):
        copy = info["copy_address"]
        body += [f". {t('dl.copy_address', lang)}: ", html.A(copy, href=copy, rel="noopener")]
    body.append(".")
    if info.get("note"):
        body.append(html.Br())
        body.append(curated_text(info, "note", lang, html.Small))
    return html.Li(body, id=f"src-{code}")


def _note_item(note: dict, lang: str) -> html.Li:
    body: list = [html.Strong(note["where"]), " — "]
    if note["note"]:
        english = note.get("note_en", lang != "en")
        body.append(html.Span(note["note"], **({"lang": "en"} if english else {})))
    if note["excerpt"]:
        body += [" ", html.Q(note["excerpt"], lang=text_lang(note["excerpt"]))]
    if note["location"]:  # as the curators wrote it, in English
        where = html.Span(note["location"], **({"lang": "en"} if lang != "en" else {}))
        body += [f" ({t('ex.location', lang, where='')}", where, ")"]
    body.append(html.Span(f" [{note['source']}]", className="muted"))
    return html.Li(body)


# --- the callback -----------------------------------------------------------------------


UPDATE_OUTPUTS = (
    Output(f"{PREFIX}-heading", "children"),
    Output(f"{PREFIX}-intro", "children"),
    Output(f"{PREFIX}-graph", "figure"),
    Output(f"{PREFIX}-summary", "children"),
    Output(f"{PREFIX}-readings", "children"),
    Output(f"{PREFIX}-table", "children"),
    Output(f"{PREFIX}-sources", "children"),
    Output(f"{PREFIX}-url", "data"),
)
# The answer depends only on the controls and the data: kept whole (views.response_cache).
response_cache.cacheable(*UPDATE_OUTPUTS)


@dash.callback(
    *UPDATE_OUTPUTS,
    Input(f"{PREFIX}-indicator", "value"),
    Input(f"{PREFIX}-compare", "value"),
    Input(f"{PREFIX}-mode", "value"),
    Input(f"{PREFIX}-source", "value"),
    DashState(f"{PREFIX}-state", "data"),
    prevent_initial_call=True,
)
def update(
    indicator: str | None,
    compare: list[str] | None,
    mode: str | None,
    source: list[str] | None,
    page: dict | None,
):
    """Controls -> heading, figure, summary, readings notice, table, sources, URL."""
    page = page if isinstance(page, dict) else {}
    if not isinstance(indicator, str) or not indicator or queries.indicator(indicator) is None:
        log.info("explore: ignoring unknown indicator %r", indicator)
        raise PreventUpdate
    state, _ = views.lenient_explore_query(
        {
            "indicator": indicator,
            "area": page.get("area"),
            "compare": compare,
            "mode": mode,
            "source": "all" if isinstance(source, list) and "all" in source else None,
            "lang": page.get("lang"),
            "base": page.get("base"),
        }
    )
    v = view(state)
    # Send only what changed: the heading names the indicator and areas, the sources list
    # depends on neither the mode nor (for the heading) the sources shown.
    changed = {key.rsplit(".", 1)[0] for key in dash.ctx.triggered_prop_ids}
    keep = no_update
    same_heading = changed <= {f"{PREFIX}-mode", f"{PREFIX}-source"}
    same_sources = changed <= {f"{PREFIX}-mode"}
    return (
        keep if same_heading else v.heading,
        v.intro,
        v.figure,
        v.summary,
        v.readings,
        v.table,
        keep if same_sources else v.sources,
        state.query(),
    )
