"""What changed (/changes): the figures loads added, revised or withdrawn, with old and new
values and sources, since the last data release, since a date or since a deck was frozen.

URL state: ``since`` (``last`` or YYYY-MM-DD), ``deck`` (a frozen deck's slug),
``indicator``, ``area`` and ``lang``. The choices are a plain GET form: submitting it opens
the URL of the view, so the page has no callbacks of its own.
"""

from __future__ import annotations

import logging

import dash
import pandas as pd
from dash import dcc, html

from components.i18n import (
    decimals_of,
    fmt_number,
    localized,
    page_title,
    publisher_name,
    request_lang,
    series_label,
    t,
)
from components.messages import message, no_database
from components.urlstate import query_string
from store import decks, queries
from store.area_labels import area_labels
from views import changes

dash.register_page(__name__, path="/changes", name="changes", title=page_title("nav.changes"))

MAX_ROWS = 500
log = logging.getLogger(__name__)


def layout(
    since: str | None = None,
    deck: str | None = None,
    indicator: str | None = None,
    area: str | None = None,
    lang: str | None = None,
    **_: object,
) -> html.Div:
    lang = request_lang(lang if isinstance(lang, str) else None)
    if not queries.is_ready():
        return no_database(lang)
    params = {"since": since, "deck": deck, "indicator": indicator, "area": area, "lang": lang}
    try:
        q = changes.changes_query(params)
    except changes.BadChangesParameter as exc:
        return html.Div([_head(lang), message(exc.message, lang, "warning")])
    df = changes.changes_frame(q)
    return html.Div(
        [
            _head(lang),
            _form(q),
            html.H2(_title(q)),
            *_summary(df, q),
            _table(df, q),
        ],
        className="changes-page",
    )


def _date(value: object, lang: str) -> str:
    from components.i18n import fmt_date

    return fmt_date(pd.Timestamp(value).date(), lang)


def _head(lang: str) -> html.Div:
    start = queries.history_from()
    intro = t("ch.intro", lang, date=_date(start, lang)) if start else t("ch.no_history", lang)
    return html.Div([html.H1(t("ch.heading", lang)), html.P(intro, className="lead")])


def _title(q: changes.ChangesQuery) -> str:
    if q.deck is not None:
        info = decks.get_deck(q.deck)
        title = ((info.get("translations") or {}).get(q.lang) or {}).get("title") or info["title"]
        return t("ch.since_deck", q.lang, title=title, date=_date(q.after, q.lang))
    if q.since == changes.SINCE_LAST:
        if q.after is None:
            return t("ch.since_none", q.lang)
        return t("ch.since_last", q.lang, date=_date(q.after, q.lang))
    return t("ch.since_date", q.lang, date=_date(q.after, q.lang))


def _form(q: changes.ChangesQuery) -> html.Div:
    """A GET form (since, indicator, area), the last-release link and the frozen decks."""
    lang = q.lang
    inds = queries.indicators()
    areas = queries.areas()
    labels = area_labels(lang)
    date_value = q.since if q.since not in ("", changes.SINCE_LAST) else ""
    form = html.Form(
        [
            html.Label(
                [
                    t("ch.form_since", lang),
                    " ",
                    dcc.Input(
                        type="text",
                        name="since",
                        value=date_value,
                        placeholder=t("ch.date_placeholder", lang),
                        pattern=r"[0-9]{4}-[0-9]{2}-[0-9]{2}",
                        id="ch-since",
                    ),
                ]
            ),
            " ",
            html.Select(
                [html.Option(t("ch.all_indicators", lang), value="")]
                + [
                    html.Option(
                        r[f"name_{lang}"], value=r["code"], selected=r["code"] == q.indicator
                    )
                    for r in inds.sort_values(f"name_{lang}").to_dict("records")
                ],
                name="indicator",
                **{"aria-label": t("ch.col_indicator", lang)},
            ),
            " ",
            html.Select(
                [html.Option(t("ch.all_areas", lang), value="")]
                + [
                    html.Option(labels.get(k, k), value=k, selected=k == q.area)
                    for k in areas["kato"]
                ],
                name="area",
                **{"aria-label": t("word.area", lang)},
            ),
            dcc.Input(type="hidden", name="lang", value=lang, id="ch-lang"),
            " ",
            html.Button(t("ch.show", lang), type="submit"),
        ],
        method="get",
        action="/changes",
        id="ch-form",
    )
    links: list = [
        dcc.Link(t("ch.last_link", lang), href="/changes" + query_string(lang=lang)),
    ]
    try:
        frozen = [d for d in decks.list_decks() if d.get("frozen")]
    except Exception:  # noqa: BLE001 - the deck database is optional for this page
        log.exception("changes: could not list the decks")
        frozen = []
    if frozen:
        links += [" · ", t("ch.decks", lang), " "]
        for i, d in enumerate(frozen):
            title = ((d.get("translations") or {}).get(lang) or {}).get("title") or d["title"]
            links += [", "] if i else []
            links.append(dcc.Link(title, href="/changes" + query_string(deck=d["slug"], lang=lang)))
    return html.Div([form, html.P(links, className="muted")], className="controls")


def _api_query(q: changes.ChangesQuery, fmt: str | None) -> str:
    since = None if q.deck is not None or q.since == changes.SINCE_LAST else q.since
    return query_string(
        since=since, deck=q.deck, indicator=q.indicator, area=q.area, lang=q.lang, format=fmt
    )


def _summary(df: pd.DataFrame, q: changes.ChangesQuery) -> list:
    lang = q.lang
    kinds = df["kind"].value_counts() if len(df) else pd.Series(dtype=int)
    out = [
        html.P(
            t(
                "ch.count",
                lang,
                n=len(df),
                **{k: int(kinds.get(k, 0)) for k in ("added", "revised", "withdrawn")},
            ),
            id="ch-count",
        ),
        html.P(
            [
                t("ch.download", lang),
                " ",
                html.A("CSV", href="/api/v1/changes" + _api_query(q, "csv"), download=""),
                " · ",
                html.A("JSON (API)", href="/api/v1/changes" + _api_query(q, None)),
            ],
            className="downloads",
        ),
    ]
    if len(df) > MAX_ROWS:
        out.append(html.P(t("ch.first_rows", lang, shown=MAX_ROWS), className="muted"))
    return out


def _table(df: pd.DataFrame, q: changes.ChangesQuery) -> html.Div:
    lang = q.lang
    if df.empty:
        return html.P(t("ch.nothing", lang), className="muted", id="ch-table")
    decimals = {r["code"]: decimals_of(r) for r in queries.indicators().to_dict("records")}
    publishers = {
        r["code"]: publisher_name(localized(r, "publisher", lang)) or r["code"]
        for r in queries.sources().to_dict("records")
    }
    head = [
        t("ch.col_when", lang),
        t("ch.col_kind", lang),
        t("ch.col_indicator", lang),
        t("word.area", lang),
        t("word.year", lang),
        t("ch.col_old", lang),
        t("ch.col_new", lang),
        t("word.unit", lang),
        t("word.source", lang),
    ]
    numeric = {4, 5, 6}
    rows = []
    for r in df.head(MAX_ROWS).to_dict("records"):
        d = decimals.get(r["indicator"])
        area = r["area_name"] if isinstance(r["area_name"], str) else r["area"]
        if r["series"]:
            area += f" — {series_label(r['series'], lang)}"
        source: list = [publishers.get(r["source"], r["source"])]
        retrieved = r.get("old_source_retrieved")
        if isinstance(retrieved, str) and retrieved and r["kind"] != "added":
            source += [" (", t("ch.old_retrieved", lang, retrieved=retrieved), ")"]
        cells = [
            changes.when(r["changed_at"]),
            t(f"ch.kind.{r['kind']}", lang),
            dcc.Link(
                r["indicator_name"] if isinstance(r["indicator_name"], str) else r["indicator"],
                href="/explore"
                + query_string(indicator=r["indicator"], area=r["area"], source="all", lang=lang),
            ),
            area,
            str(int(r["year"])),
            "" if pd.isna(r["old_value"]) else fmt_number(r["old_value"], lang, d),
            "" if pd.isna(r["new_value"]) else fmt_number(r["new_value"], lang, d),
            r["unit"] if isinstance(r["unit"], str) else "",
            source,
        ]
        rows.append(
            html.Tr(
                [html.Td(c, className="num" if i in numeric else None) for i, c in enumerate(cells)]
            )
        )
    return html.Div(
        html.Table(
            [
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
            id="ch-table",
        ),
        className="table-wrap",
    )
