"""Overview (/): every indicator of one area: its headline indicators first (with every reading
and source), then those with a program target, then the rest by category."""

from __future__ import annotations

from typing import NamedTuple

import dash
import pandas as pd
from dash import MATCH, Input, Output, State, dcc, html
from dash.exceptions import PreventUpdate

from components import target_text as tt
from components.figures import sparkline_svg
from components.i18n import (
    curated_text,
    decimals_of,
    fmt_number,
    localized,
    page_title,
    request_lang,
    t,
)
from components.messages import message, no_database
from components.share import deck_card_button
from components.urlstate import DEFAULT_AREA, query_string
from components.wording import amounts, card_change
from store import queries
from store.area_labels import area_label
from store.cache import remember
from views import response_cache, share
from views.headlines import HEADLINES

dash.register_page(__name__, path="/", name="overview", title=page_title("nav.overview"))
response_cache.cacheable_page("/")
share.register("overview", "overview")

# The indicators an area's overview opens with (views/headlines.py): each gets a card with its
# series, every reading and source, its target and status, and a note when the series is thin.
THIN_YEARS = 3  # a series with fewer years than this gets the "thin series" note


OPEN_MAX = 12  # a category with more cards than this starts collapsed, its cards sent when opened


class Card(NamedTuple):
    """What one card shows, from the area's readings: the preferred reading per year of the
    indicator's main series (or of every series when it has no main one)."""

    points: list[tuple[int, float]]  # (year, value), as stored, in year order
    last_status: str  # the latest reading's status
    others: int  # the most other sources reporting any one year
    flagged: frozenset[int] = frozenset()  # years of estimates, derived values, guessed years


def _cards(readings: pd.DataFrame) -> dict[str, Card]:
    """Indicator -> :class:`Card`, from :func:`store.queries.area_observations` (one pass)."""
    pref = readings[readings["preferred"]]
    out: dict[str, Card] = {}
    cols = zip(
        pref["indicator"].tolist(),
        pref["series"].tolist(),
        pref["year"].tolist(),
        pref["value"].tolist(),
        pref["status"].tolist(),
        pref["other_sources"].tolist(),
        pref["year_approx"].tolist(),
        strict=True,
    )
    rows: dict[str, list] = {}
    for row in cols:
        rows.setdefault(row[0], []).append(row)
    for code, rs in rows.items():
        if any(r[1] == "" for r in rs):
            rs = [r for r in rs if r[1] == ""]
        rs.sort(key=lambda r: r[2])  # stable: series order kept within a year
        flagged = frozenset(int(r[2]) for r in rs if r[4] != "actual" or r[6])
        out[code] = Card(
            [(int(r[2]), r[3]) for r in rs], rs[-1][4], int(max(r[5] for r in rs)), flagged
        )
    return out


def _state(area: str | None) -> str | None:
    """The area's KATO code (the default without ``area``), None when unknown."""
    return queries.resolve_area(area) if area else DEFAULT_AREA


def layout(area: str | None = None, lang: str | None = None, **_: object) -> html.Div:
    lang = request_lang(lang)
    if not queries.is_ready():
        return no_database(lang)
    kato = _state(area)
    if kato is None:
        return message(t("msg.unknown_area", lang, code=area), lang)
    name = area_label(kato, lang)
    heading = t("ov.heading", lang, area=name)
    children: list = [
        html.H1(heading),
        html.P(t("ov.intro", lang), className="lead"),
        share.share_bar("overview", "overview", {"area": kato, "lang": lang}, lang, heading),
        dcc.Store(id="overview-state", data={"area": kato, "lang": lang}),
    ]
    m = _model(kato)
    if m.empty:
        children.append(message(t("ov.no_indicators", lang), lang))
        return html.Div(children, className="page overview")
    targets = queries.targets(area_code=kato)
    by_indicator = {code: g for code, g in targets.groupby("indicator", sort=False)}
    writable = share.decks_writable()

    def card(code: str) -> html.Div:
        return _card(
            code, m.catalogue[code], m.cards.get(code), lang, kato, by_indicator.get(code), writable
        )

    if m.headline:
        children.append(html.H2(t("ov.headline", lang)))
        children.append(
            html.Div(
                [
                    _headline_card(
                        card(code),
                        code,
                        m.catalogue[code],
                        m.readings.get(code),
                        lang,
                        code in by_indicator,
                    )
                    for code in m.headline
                ],
                className="cards headline-cards",
                id="overview-headline",
            )
        )
    children.append(html.H2(t("ov.with_targets", lang)))
    if m.with_target:
        children.append(html.Div([card(c) for c in m.with_target], className="cards"))
    else:
        children.append(html.P(t("ov.no_targets", lang)))
    for category, codes in m.groups:
        # Native <details>: keyboard accessible, and the long lists stay out of the way. A
        # collapsed one's cards are sent when it is first opened (see open_category).
        opened = len(codes) <= OPEN_MAX
        children.append(
            html.Details(
                [
                    html.Summary(
                        html.H2(f"{t(f'cat.{category}', lang)} ({len(codes)})"),
                        id={"type": "overview-category", "category": category},
                    ),
                    html.Div(
                        [card(c) for c in codes] if opened else [],
                        id={"type": "overview-category-cards", "category": category},
                        className="cards",
                    ),
                ],
                open=opened,
                id=f"overview-{category}",
            )
        )
    return html.Div(children, className="page overview")


class Model(NamedTuple):
    """What the Overview's first render of an area needs (the collapsed categories' cards
    are left out: see :func:`_category_cards`)."""

    empty: bool  # the area has no readings
    headline: list[str]  # its headline indicators
    with_target: list[str]  # the other indicators with a target for it
    groups: list[tuple[str, list[str]]]  # the rest: (category, codes)
    cards: dict[str, Card]  # the cards shown at first
    catalogue: dict[str, dict]  # their catalogue rows
    readings: dict[str, pd.DataFrame]  # every reading of each headline indicator


def _everything(kato: str) -> tuple[dict[str, Card], dict[str, dict], list[str], list[str]]:
    """Every card of the area, the catalogue rows, the headline indicators and those with
    targets, from the one query of every reading of the area (cached)."""
    cards = _cards(queries.area_observations(kato))
    targets = list(dict.fromkeys(queries.targets(area_code=kato)["indicator"]))
    catalogue = queries.indicators()
    catalogue = catalogue[catalogue["code"].isin({*cards, *HEADLINES.get(kato, ()), *targets})]
    rows = {r["code"]: r for r in catalogue.to_dict("records")}
    headline = [c for c in HEADLINES.get(kato, ()) if c in rows]
    with_target = [c for c in targets if c in rows and c not in headline]
    return cards, rows, headline, with_target


def _model(kato: str) -> Model:
    """The area's :class:`Model`, kept in the cache under the data version."""

    def build() -> Model:
        cards, catalogue, headline, with_target = _everything(kato)
        groups = _categories(cards, catalogue, {*headline, *with_target})
        first = [*headline, *with_target]
        first += [c for _, codes in groups if len(codes) <= OPEN_MAX for c in codes]
        readings = queries.area_observations(kato)
        headline_readings = {}
        for code in headline:
            mine = readings[readings["indicator"] == code]
            only = mine[mine["series"] == ""] if (mine["series"] == "").any() else mine
            headline_readings[code] = only
        return Model(
            not cards,
            headline,
            with_target,
            groups,
            {c: cards[c] for c in first if c in cards},
            {c: catalogue[c] for c in first},
            headline_readings,
        )

    return remember(("overview", kato), queries.cache_version(), build)


def _category_cards(kato: str, category: str) -> tuple[dict[str, Card], dict[str, dict]]:
    """The cards of one of the area's categories and their catalogue rows (cached)."""

    def build() -> tuple[dict[str, Card], dict[str, dict]]:
        cards, catalogue, headline, with_target = _everything(kato)
        for name, codes in _categories(cards, catalogue, {*headline, *with_target}):
            if name == category:
                return {c: cards[c] for c in codes}, {c: catalogue[c] for c in codes}
        return {}, {}

    return remember(("overview", kato, category), queries.cache_version(), build)


def _categories(
    cards: dict[str, Card], catalogue: dict[str, dict], shown: set[str]
) -> list[tuple[str, list[str]]]:
    """(category, codes) of the area's other indicators, in the page's category order."""
    rest = [c for c in cards if c in catalogue and c not in shown]
    out = []
    for category in ("ecological", "economic", "social"):
        codes = [c for c in rest if catalogue[c]["category"] == category]
        if codes:
            out.append((category, codes))
    return out


@dash.callback(
    Output({"type": "overview-category-cards", "category": MATCH}, "children"),
    Input({"type": "overview-category", "category": MATCH}, "n_clicks"),
    State({"type": "overview-category-cards", "category": MATCH}, "children"),
    State({"type": "overview-category", "category": MATCH}, "id"),
    State("overview-state", "data"),
    prevent_initial_call=True,
)
def open_category(_clicks: int | None, filled: list | None, cat: dict | None, page: dict | None):
    """A collapsed category's cards, when it is first opened."""
    page = page if isinstance(page, dict) else {}
    category = cat.get("category") if isinstance(cat, dict) else None
    area, lang = page.get("area"), page.get("lang")
    if filled or not isinstance(area, str) or not isinstance(category, str):
        raise PreventUpdate
    lang = request_lang(lang if isinstance(lang, str) else None)
    kato = _state(area)
    if kato is None or not queries.is_ready():
        raise PreventUpdate
    cards, catalogue = _category_cards(kato, category)
    if not cards:
        raise PreventUpdate
    writable = share.decks_writable()
    return [_card(c, catalogue[c], cards[c], lang, kato, None, writable) for c in cards]


def _card(
    code: str,
    meta: dict,
    data: Card | None,
    lang: str,
    kato: str,
    targets: pd.DataFrame | None,
    writable: bool,
) -> html.Div:
    decimals = decimals_of(meta)
    unit = meta[f"unit_{lang}"]
    points = data.points if data else []
    body: list = [html.H3(meta[f"name_{lang}"], className="card-title")]
    if not points:
        body.append(html.P(t("msg.no_data", lang), className="card-value muted"))
    else:
        year, value = points[-1]
        status = data.last_status
        flag = "" if status == "actual" else f" ({t('obs.' + status, lang)})"
        (number,), shown_unit = amounts([value], meta, lang, decimals)
        body.append(
            html.P(
                [
                    html.Span(number, className="card-number"),
                    f" {shown_unit}",
                    html.Span(f" · {year}{flag}", className="card-year"),
                ],
                className="card-value",
            )
        )
        if len(points) == 1:
            body.append(html.P(t("msg.one_year", lang, year=year), className="muted"))
    if targets is not None and len(targets):
        body.extend(_target_lines(points, targets, lang, decimals, unit))
    elif len(points) > 1:
        body.extend(
            html.P(line, className="card-change") for line in card_change(points, meta, lang)
        )
    if len(points) > 1:
        shown, _ = amounts([points[0][1], points[-1][1]], meta, lang, decimals)  # as above
        ends = (f"{points[0][0]}: {shown[0]}", f"{points[-1][0]}: {shown[1]}")
        body.append(
            html.Img(
                src=sparkline_svg(points, labels=ends, hollow=data.flagged),
                className="sparkline",
                alt=t("ov.sparkline_alt", lang, first=points[0][0], last=points[-1][0])
                + " ("
                + " → ".join(ends)
                + ")",
            )
        )
    if data and data.others:
        body.append(html.P(t("msg.other_sources", lang, n=data.others), className="card-note"))
    href = "/explore" + query_string(indicator=code, area=kato, lang=lang)
    has_targets = targets is not None and len(targets) > 0
    card: list = [dcc.Link(html.Article(body), href=href, className="card", id=f"card-{code}")]
    if writable:
        card.append(
            deck_card_button("overview", code, meta[f"name_{lang}"], lang, targets=has_targets)
        )
    return html.Div(card, className="card-box")


def _headline_card(
    box: html.Div,
    code: str,
    meta: dict,
    readings: pd.DataFrame | None,
    lang: str,
    has_targets: bool,
) -> html.Div:
    """The overview card ``box`` of a headline indicator, with every one of its
    ``readings`` in the area, its source and flags."""
    if not has_targets:  # the card's <article> is inside its link; the target line goes there
        box.children[0].children.children.append(
            html.P(t("ov.no_target", lang), className="card-target muted")
        )
    if readings is not None and len(readings):  # outside the link: it holds links of its own
        box.children[1:1] = _readings(readings, meta, lang)
    box.className = "card-box headline"
    box.id = f"headline-{code}"
    return box


def _readings(readings: pd.DataFrame, meta: dict, lang: str) -> list:
    """The thin-series note (when it applies) and a table of every reading with its source."""
    out: list = []
    sources = {code: queries.source(code) or {} for code in dict.fromkeys(readings["source"])}
    years = sorted({int(y) for y in readings["year"]})
    if len(years) < THIN_YEARS:
        names = ", ".join(localized(s, "publisher", lang) or code for code, s in sources.items())
        out.append(
            html.P(
                t(
                    "ov.thin",
                    lang,
                    n=len(years),
                    years=", ".join(str(y) for y in years),
                    sources=names,
                ),
                className="card-note thin-series",
            )
        )
    decimals = decimals_of(meta)
    rows = []
    cols = ["year", "value", "status", "year_approx", "source"]  # itertuples costs per column
    for r in readings[cols].sort_values(["year", "source"]).itertuples():
        src = sources.get(r.source, {})
        flags = [t(f"obs.{r.status}", lang)]
        if r.year_approx:
            flags.append(t("obs.year_approx", lang))
        label = curated_text(src, "publisher", lang) if src.get("publisher") else r.source
        rows.append(
            html.Tr(
                [
                    html.Td(str(int(r.year))),
                    html.Td(fmt_number(r.value, lang, decimals)),
                    html.Td(", ".join(flags)),
                    html.Td(html.A(label, href=src["address"]) if src.get("address") else label),
                ]
            )
        )
    head = html.Tr(
        [
            html.Th(t(k, lang), scope="col")
            for k in ("word.year", "word.value", "word.status", "word.source")
        ]
    )
    out.append(
        html.Details(
            [
                html.Summary(t("ov.readings", lang, n=len(readings))),
                html.Table([html.Thead(head), html.Tbody(rows)], className="readings"),
            ],
            className="card-readings",
        )
    )
    return out


def _target_lines(
    points: list, targets: pd.DataFrame, lang: str, decimals: int | None, unit: str
) -> list:
    """Per target: what it asks, its status in one short line, then the lines under it (a
    benchmark's origin, the reading judged on, the paces) as :mod:`components.target_text`
    words them."""
    out = []
    for tg in targets.sort_values("target_year").itertuples():
        a = tt.judge(points, tg)
        out.append(
            html.P(
                t(
                    "ov.target_line",
                    lang,
                    cmp=t(f"cmp.{tg.comparator}", lang),
                    value=f"{fmt_number(tg.value, lang, decimals)} {unit}",
                    year=int(tg.target_year),
                ),
                className="card-target",
            )
        )
        out.append(tt.badge_html(a, lang, html.P))
        lines = tt.details(a, tg, lang, unit, decimals)
        if lines:
            out.append(
                html.Ul(
                    [
                        html.Li(
                            [text]
                            + ([html.Em(f" ({t('pace.decides', lang)})")] if decides else []),
                            className="pace-decides" if decides else None,
                        )
                        for text, decides in lines
                    ],
                    className="card-pace",
                )
            )
    return out
