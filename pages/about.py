"""Sources and method (/about): every source and what it supports, the status method,
the preferred-source rule, known data gaps, the load history and the boundaries.

Sections carry anchors (#sources, #method, #preferred, #gaps, #loads, #boundaries, and
#source-<code> for each source) so other pages can link to them.
"""

from __future__ import annotations

import re
from pathlib import PurePosixPath, PureWindowsPath

import dash
import pandas as pd
from dash import dcc, html

from components import status as st
from components.i18n import (
    curated_text,
    fmt_number,
    fmt_percent,
    page_title,
    request_lang,
    t,
    text_lang,
)
from components.messages import no_database
from components.urlstate import query_string
from store import queries
from store.area_labels import area_labels

dash.register_page(__name__, path="/about", name="about", title=page_title("nav.about"))

SECTIONS = ("sources", "method", "preferred", "gaps", "loads", "boundaries")
GAPS = (
    "salt_fish",
    "seed",
    "population",
    "industry",
    "money",
    "nas",
    "catch",
    "protected",
    "decree848",
    "cereals",
)
OPEN_UP_TO = 8  # a source's list of indicators starts folded when it is longer
URL = re.compile(r"https?://[^\s<>()\[\]]+")
BOUNDARY_LINKS = (
    ("geokz 1.0.2", "https://github.com/arodionoff/geokz"),
    ("CC BY 4.0", "https://creativecommons.org/licenses/by/4.0/"),
    ("OCHA HDX COD-AB", "https://data.humdata.org/dataset/cod-ab-kaz"),
    ("© OpenStreetMap", "https://www.openstreetmap.org/copyright"),
)


def linkify(text: str) -> list:
    """The text with each web address in it made a link."""
    out: list = []
    pos = 0
    for match in URL.finditer(text):
        url = match.group(0).rstrip(".,;:")
        if match.start() > pos:
            out.append(text[pos : match.start()])
        out.append(html.A(url, href=url, rel="noopener"))
        pos = match.start() + len(url)
    if pos < len(text):
        out.append(text[pos:])
    return out


def percent(fraction: float, lang: str) -> str:
    """A fraction as a percentage in ``lang``: 0.95 -> '95 %' (ru), 0.015 -> '1,5%' (kk)."""
    return fmt_percent(fraction, lang)


def years_span(first: object, last: object) -> str:
    """'2005–2022', or '2008' when both are the same year."""
    first, last = int(first), int(last)
    return str(first) if first == last else f"{first}–{last}"


def tier_order() -> list[str]:
    """Tiers from most to least preferred, as the store ranks them."""
    return sorted(queries.TIER_RANK, key=queries.TIER_RANK.get)


def layout(lang: str | None = None, **_: object) -> html.Div:
    lang = request_lang(lang)
    if not queries.is_ready():
        return no_database(lang)
    return html.Div(
        [
            html.H1(t("nav.about", lang)),
            html.P(t("ab.intro", lang), className="lead"),
            _contents(lang),
            _sources(lang),
            _method(lang),
            _preferred(lang),
            _gaps(lang),
            _loads(lang),
            _boundaries(lang),
        ],
        className="page about",
    )


def _heading_key(section: str) -> str:
    return {
        "sources": "word.sources",
        "method": "ab.method_h",
        "preferred": "ab.pref_h",
        "gaps": "ab.gaps_h",
        "loads": "ab.loads_h",
        "boundaries": "ab.bounds_h",
    }[section]


def _section(section: str, lang: str, children: list) -> html.Section:
    return html.Section(
        [html.H2(t(_heading_key(section), lang), id=f"{section}-h"), *children],
        id=section,
        **{"aria-labelledby": f"{section}-h"},
    )


def _contents(lang: str) -> html.Nav:
    return html.Nav(
        [
            html.H2(t("ab.contents", lang), id="about-contents"),
            html.Ul([html.Li(html.A(t(_heading_key(s), lang), href=f"#{s}")) for s in SECTIONS]),
        ],
        **{"aria-labelledby": "about-contents"},
    )


def _sources(lang: str) -> html.Section:
    srcs = queries.sources()
    counts = queries.observation_counts()
    targets = queries.targets()
    names = _indicator_names(lang)
    areas = _area_names(lang)
    known = tier_order()
    children: list = [html.P(t("ab.sources_intro", lang))]
    for tier in [*known, None]:
        group = srcs[srcs["tier"] == tier] if tier else srcs[~srcs["tier"].isin(known)]
        if group.empty:
            continue
        label = t(f"ab.tier.{tier}", lang) if tier else t("ab.tier.other", lang)
        children.append(html.H3(label, id=f"tier-{tier or 'other'}"))
        if tier:
            children.append(html.P(t(f"ab.tier.{tier}.about", lang), className="muted"))
        children += [
            _source(
                row,
                counts[counts["source"] == row.code],
                targets[targets["source"] == row.code],
                names,
                areas,
                lang,
            )
            for row in group.itertuples()
        ]
    return _section("sources", lang, children)


def _indicator_names(lang: str) -> dict[str, tuple[str, str]]:
    df = queries.indicators()
    return {
        c: (n, u)
        for c, n, u in zip(df["code"], df[f"name_{lang}"], df[f"unit_{lang}"], strict=True)
    }


def _area_names(lang: str) -> dict[str, str]:
    return area_labels(lang)


def _given(value: object) -> bool:
    return value is not None and not pd.isna(value) and str(value).strip() != ""


def _source(
    row: object, counts: pd.DataFrame, targets: pd.DataFrame, names: dict, areas: dict, lang: str
) -> html.Article:
    address = linkify(row.address) if _given(row.address) else t("ab.no_address", lang)
    copy = getattr(row, "copy_address", None)
    tier = (
        t(f"ab.tier.{row.tier}", lang)
        if row.tier in queries.TIER_RANK
        else t("ab.tier.other", lang)
    )
    facts = [
        (t("ab.code", lang), html.Code(row.code)),
        (t("ab.publisher", lang), curated_text(row, "publisher", lang)),
        (t("ab.address", lang), address),
        *([(t("dl.copy_address", lang), linkify(copy))] if _given(copy) else []),
        (
            t("word.license", lang),
            curated_text(row, "license", lang)
            if _given(row.license)
            else t("ab.license_none", lang),
        ),
        (t("ab.tier", lang), tier),
        (
            t("ab.retrieved", lang),
            html.Code(row.retrieved) if _given(row.retrieved) else t("ab.not_recorded", lang),
        ),
    ]
    items: list = []
    for label, value in facts:
        items += [html.Dt(label), html.Dd(value)]
    if _given(row.note):
        items += [html.Dt(t("word.note", lang)), curated_text(row, "note", lang, html.Dd)]
    return html.Article(
        [
            html.H4(row.title, id=f"source-{row.code}", lang=text_lang(row.title)),
            html.Dl(items, className="facts"),
            *_supports(counts, targets, names, areas, lang),
        ],
        className="source",
    )


def _supports(
    counts: pd.DataFrame, targets: pd.DataFrame, names: dict, areas: dict, lang: str
) -> list:
    """What a source supports: observations per indicator, and the targets it states."""
    if counts.empty and targets.empty:
        return [html.P(t("ab.supports_nothing", lang), className="muted")]
    out: list = []
    if not counts.empty:
        summary = t(
            "ab.obs_summary", lang, k=len(counts), n=fmt_number(int(counts["n"].sum()), lang)
        )
        out.append(
            html.Details(
                [
                    html.Summary(summary),
                    html.Ul(
                        [
                            html.Li(
                                t(
                                    "ab.obs_line",
                                    lang,
                                    indicator=names.get(r.indicator, (r.indicator,))[0],
                                    n=fmt_number(int(r.n), lang),
                                    years=years_span(r.first_year, r.last_year),
                                )
                            )
                            for r in counts.itertuples()
                        ]
                    ),
                ],
                open=len(counts) <= OPEN_UP_TO,
            )
        )
    if not targets.empty:
        out += [
            html.H5(t("ab.targets", lang)),
            html.Ul(
                [
                    html.Li(_target_line(r, names, areas, lang))
                    for r in targets.sort_values(
                        ["program", "indicator", "target_year"]
                    ).itertuples()
                ]
            ),
        ]
    return out


def _target_line(r: object, names: dict, areas: dict, lang: str) -> dcc.Link:
    name, unit = names.get(r.indicator, (r.indicator, ""))
    text = t(
        "ab.target_line",
        lang,
        program=getattr(r, f"program_{lang}"),
        indicator=name,
        cmp=t(f"cmp.{r.comparator}", lang),
        value=f"{fmt_number(r.value, lang)} {unit}",
        year=int(r.target_year),
        area=areas.get(r.area, r.area),
    )
    return dcc.Link(text, href="/programs" + query_string(program=r.program, lang=lang))


def _method(lang: str) -> html.Section:
    ratio = percent(st.ON_TRACK_RATIO, lang)
    tol = percent(st.EQUAL_TOLERANCE, lang)
    fmt = {"ratio": ratio, "tol": tol, "recent": st.RECENT_YEARS, "min": st.RECENT_MIN_VALUES}
    past = (st.ACHIEVED, st.NOT_ACHIEVED, st.NO_READING)
    ahead = (st.ACHIEVED, st.INSUFFICIENT, st.OFF_TRACK, st.ON_TRACK)
    keys = {st.INSUFFICIENT: "ab.m.insufficient", st.ON_TRACK: "ab.m.on_track"}

    def steps(order: tuple, when: str) -> html.Ol:
        return html.Ol(
            [
                html.Li([_badge(s, lang), ": ", t(keys.get(s, f"st.m.{when}_{s}"), lang, **fmt)])
                for s in order
            ],
            className="method-steps",
        )

    return _section(
        "method",
        lang,
        [
            html.P(t("ab.method_intro", lang)),
            html.P(t("st.m.past", lang, **fmt)),
            steps(past, "past"),
            html.P(t("st.m.ahead", lang, **fmt)),
            steps(ahead, "ahead"),
            html.P(t("st.m.pace", lang, **fmt)),
            html.P(t("st.m.benchmark", lang)),
            html.P(t("ab.m.symbols", lang), className="muted"),
            html.H3(t("cp.about_h", lang), id="constant-prices"),
            html.P(t("cp.method", lang), id="constant-prices-method"),
        ],
    )


def _badge(status: str, lang: str) -> html.Span:
    return html.Span(
        [
            html.Span(st.SYMBOLS[status], **{"aria-hidden": "true"}),
            " " + t(f"status.{status}", lang),
        ],
        className=f"status status-{status}",
        style={"borderColor": st.COLOURS[status]},
    )


def _preferred(lang: str) -> html.Section:
    order = " > ".join(tier_order())
    return _section("preferred", lang, [html.P(t("ab.pref_text", lang, order=order))])


def _gaps(lang: str) -> html.Section:
    return _section("gaps", lang, [html.Ul([html.Li(t(f"gap.{g}", lang)) for g in GAPS])])


def _loads(lang: str) -> html.Section:
    runs = queries.load_runs()
    if runs.empty:
        return _section("loads", lang, [html.P(t("ab.no_loads", lang))])
    head = [
        ("ab.file", ""),
        ("ab.checksum", ""),
        ("ab.format", ""),
        ("ab.when", ""),
        ("ab.rows_read", "num"),
        ("ab.rows_loaded", "num"),
        ("ab.rows_rejected", "num"),
        ("word.status", ""),
    ]
    rows = [
        html.Tr(
            [
                html.Td(html.Code(file_name(r.file))),
                html.Td(html.Code(f"{r.checksum[:12]}…", title=f"SHA-256 {r.checksum}")),
                html.Td(html.Code(r.format)),
                html.Td(f"{pd.Timestamp(r.finished_at):%Y-%m-%d %H:%M}"),
                *[
                    html.Td(fmt_number(int(v), lang), className="num")
                    for v in (r.rows_read, r.rows_loaded, r.rows_rejected)
                ],
                html.Td(_load_status(r.status, lang)),
            ]
        )
        for r in runs.sort_values("id", ascending=False).itertuples()
    ]
    table = html.Table(
        [
            html.Thead(html.Tr([html.Th(t(k, lang), scope="col", className=c) for k, c in head])),
            html.Tbody(rows),
        ],
        className="data",
    )
    return _section(
        "loads",
        lang,
        [
            html.P(t("ab.loads_intro", lang)),
            html.Div(table, className="table-wrap"),
            *_regions(lang),
        ],
    )


def file_name(path: str) -> str:
    """The file's own name, without the server's folders (a load's path is not public)."""
    return PureWindowsPath(str(path)).name if "\\" in str(path) else PurePosixPath(str(path)).name


def _regions(lang: str) -> list:
    """Per region: the workbook, the tables loaded, the sheets skipped and why."""
    sheets = queries.load_sheets()
    if sheets.empty:
        return []
    names = _area_names(lang)
    rows = []
    for (region, file), g in sheets.groupby(["region", "file"], sort=False):
        loaded = g[g["status"] == "loaded"]
        skipped = g[g["status"] != "loaded"]
        rows.append(
            html.Tr(
                [
                    html.Td(names.get(region, region)),
                    html.Td(html.Code(file)),
                    html.Td(
                        html.Details(
                            [
                                html.Summary(fmt_number(len(loaded), lang)),
                                html.Ul([html.Li(html.Code(a)) for a in loaded["address"]]),
                            ]
                        )
                    ),
                    html.Td(
                        html.Ul(
                            [
                                html.Li(f"«{r.sheet}»: {r.reason}", lang=text_lang(r.reason))
                                for r in skipped.itertuples()
                            ]
                        )
                        if len(skipped)
                        else "—"
                    ),
                    html.Td(fmt_number(int(loaded["observations"].sum()), lang), className="num"),
                    html.Td(fmt_number(int(g["unmapped"].fillna(0).sum()), lang), className="num"),
                ]
            )
        )
    head = [
        ("ab.region", ""),
        ("ab.file", ""),
        ("ab.sheets_loaded", ""),
        ("ab.sheets_skipped", ""),
        ("ab.observations", "num"),
        ("ab.unmapped", "num"),
    ]
    table = html.Table(
        [
            html.Thead(html.Tr([html.Th(t(k, lang), scope="col", className=c) for k, c in head])),
            html.Tbody(rows),
        ],
        className="data",
    )
    return [
        html.H3(t("ab.regions_title", lang), id="regions"),
        html.P(t("ab.regions_intro", lang)),
        html.Div(table, className="table-wrap"),
    ]


def _load_status(status: str, lang: str) -> str:
    return t(f"ab.load.{status}", lang) if status == "loaded" else status


def _boundaries(lang: str) -> html.Section:
    installed = queries.has_boundaries()
    links = html.Ul(
        [html.Li(html.A(label, href=href, rel="noopener")) for label, href in BOUNDARY_LINKS]
    )
    state = html.P(
        t("ab.bounds_yes" if installed else "ab.bounds_no", lang),
        className="notice" if installed else "notice notice-warning",
    )
    return _section("boundaries", lang, [html.P(t("footer.boundaries", lang)), links, state])
