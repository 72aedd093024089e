"""The coverage page's pieces: pure builders of its three tables from the frames that
:mod:`views.coverage` reads, in the page's language."""

from __future__ import annotations

import pandas as pd
from dash import dcc, html

from components.i18n import N_, t
from components.urlstate import query_string

TIER_KEYS = (
    ("district", N_("cov.col_districts")),
    ("town", N_("cov.col_towns")),
    ("region", N_("cov.col_regions")),
)


def _span(first: object, last: object) -> str:
    if pd.isna(first):
        return "–"
    first, last = int(first), int(last)
    return str(first) if first == last else f"{first}–{last}"


def data_table(table_id: str, caption: str, head: list, rows: list, lang: str) -> html.Div:
    """A table with a caption and column headers, scrolled inside its own box on a narrow
    screen (a focusable region, so that a keyboard can scroll it)."""
    return html.Div(
        html.Table(
            [
                html.Caption(caption),
                html.Thead(html.Tr([html.Th(h, scope="col") for h in head])),
                *rows,
            ],
            className="data cov-table",
            id=table_id,
        ),
        className="table-wrap",
        tabIndex="0",
        role="region",
        **{"aria-label": caption},
    )


def _row(head: object, cells: list, note: str = "") -> html.Tr:
    return html.Tr(
        [
            html.Th(head, scope="row"),
            *[html.Td(c, className="num") for c in cells],
            html.Td(note, className="cov-note"),
        ],
        className="cov-thin" if note else None,
    )


def by_category(df: pd.DataFrame, columns: int, row, lang: str) -> list:  # noqa: ANN001
    """One table body per indicator category, headed by its name, a ``row(r)`` per indicator."""
    return [
        html.Tbody(
            [
                html.Tr(
                    html.Th(t(f"cat.{category}", lang), colSpan=columns, scope="rowgroup"),
                    className="cov-group",
                ),
                *[row(r) for r in group.itertuples()],
            ]
        )
        for category, group in df.groupby("category", sort=False)
    ]


def indicator_section(df: pd.DataFrame, sizes: dict[str, int], area: str, lang: str) -> list:
    """Every indicator: areas with data by tier, the years covered, and where data is thin
    (``note``). An indicator's name opens its coverage by region (``?indicator=``)."""
    few_years, few_districts = int(df["few_years"].sum()), int(df["few_districts"].sum())
    head = [
        t("cov.col_indicator", lang),
        *[t(key, lang, n=sizes.get(tier, 0)) for tier, key in TIER_KEYS],
        t("cov.col_country", lang),
        t("cov.col_span", lang),
        t("cov.col_nyears", lang),
        t("cov.col_note", lang),
    ]

    def row(r) -> html.Tr:  # noqa: ANN001
        link = dcc.Link(
            r.name,
            href="/coverage"
            + query_string(indicator=r.code, area=area, lang=lang)
            + "#cov-regions",
        )
        cells = [
            *[str(getattr(r, tier)) for tier, _ in TIER_KEYS],
            t("cov.yes", lang) if r.country else "–",
            _span(r.first_year, r.last_year),
            str(r.years),
        ]
        return _row(link, cells, r.note)

    bodies = by_category(df, len(head), row, lang)
    return [
        html.H2(t("cov.by_indicator", lang), id="cov-indicators"),
        html.P(
            t(
                "cov.thin_summary",
                lang,
                years=few_years,
                districts=few_districts,
                total=len(df),
                n=sizes.get("district", 0),
            )
        ),
        data_table("cov-indicator-table", t("cov.caption_indicators", lang), head, bodies, lang),
        html.P(t("cov.counting", lang), className="cov-small"),
    ]


def region_section(df: pd.DataFrame, indicator: str, name: str, lang: str) -> list:
    """One indicator by region: its districts and towns with data of those existing today,
    its own figures, the years. A region's name opens the map of its districts."""
    head = [
        t("cov.col_region", lang),
        t("cov.col_areas", lang),
        t("cov.col_own", lang),
        t("cov.col_span", lang),
        t("cov.col_nyears", lang),
        t("cov.col_note", lang),
    ]
    rows = []
    for r in df.itertuples():
        link = dcc.Link(
            r.name,
            href="/map"
            + query_string(indicator=indicator, level="district", parent=r.region, lang=lang),
        )
        cells = [
            t("cov.of", lang, n=r.areas, total=r.size),
            t("cov.yes", lang) if r.own else "–",
            _span(r.first_year, r.last_year),
            str(r.years),
        ]
        rows.append(_row(link, cells, r.note))
    caption = t("cov.caption_regions", lang, indicator=name)
    return [
        html.H2(t("cov.by_region", lang, indicator=name), id="cov-regions"),
        html.P(t("cov.by_region_hint", lang)),
        data_table("cov-region-table", caption, head, [html.Tbody(rows)], lang),
    ]


def area_section(ac, lang: str) -> list:  # noqa: ANN001 - views.coverage.AreaCoverage
    """The area's indicators (each opening Explore for it and the area), and those that the
    other districts and towns of its region have and it lacks (each opening the region's map)."""
    head = [
        t("cov.col_indicator", lang),
        t("cov.col_span", lang),
        t("cov.col_nyears", lang),
        t("cov.col_sources", lang),
        t("cov.col_note", lang),
    ]

    def row(r) -> html.Tr:  # noqa: ANN001
        href = "/explore" + query_string(indicator=r.code, area=ac.kato, lang=lang)
        cells = [_span(r.first_year, r.last_year), str(r.years), str(r.sources)]
        return _row(dcc.Link(r.name, href=href), cells, r.note)

    out: list = [
        html.H2(t("cov.area_title", lang, area=ac.name), id="cov-area"),
        *_lacking(ac, lang),
        html.H3(t("cov.area_heading", lang, area=ac.name, n=len(ac.has)), id="cov-has"),
    ]
    if ac.has.empty:
        out.append(html.P(t("cov.area_empty", lang, area=ac.name)))
        return out
    caption = t("cov.caption_area", lang, area=ac.name)
    bodies = by_category(ac.has, len(head), row, lang)
    out.append(data_table("cov-area-table", caption, head, bodies, lang))
    return out


def _lacking(ac, lang: str) -> list:  # noqa: ANN001 - views.coverage.AreaCoverage
    """What the other districts and towns of the area's region have and it lacks."""
    if ac.parent is None:
        return [html.P(t("cov.lacks_region", lang))]
    out: list = [
        html.H3(
            t("cov.lacks_heading", lang, area=ac.name, region=ac.parent_name, n=len(ac.lacks)),
            id="cov-lacks",
        )
    ]
    if ac.lacks.empty:
        out.append(html.P(t("cov.lacks_none", lang, area=ac.name, region=ac.parent_name)))
        return out
    head = [
        t("cov.col_indicator", lang),
        t("cov.col_siblings", lang),
        t("cov.col_span", lang),
    ]
    rows = [
        html.Tr(
            [
                html.Th(
                    dcc.Link(
                        r.name,
                        href="/map"
                        + query_string(
                            indicator=r.code, level="district", parent=ac.parent, lang=lang
                        ),
                    ),
                    scope="row",
                ),
                html.Td(t("cov.of", lang, n=int(r.areas), total=ac.siblings), className="num"),
                html.Td(_span(r.first_year, r.last_year), className="num"),
            ]
        )
        for r in ac.lacks.itertuples()
    ]
    caption = t("cov.caption_lacks", lang, area=ac.name, region=ac.parent_name)
    out.append(data_table("cov-lacks-table", caption, head, [html.Tbody(rows)], lang))
    return out
