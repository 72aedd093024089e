"""Programs (/programs): each program with its source and targets, and each target's status.

URL state: ``program`` (show one program only) and ``lang``.
"""

from __future__ import annotations

import math
import re

import dash
import pandas as pd
from dash import dash_table, dcc, html

from components import status as st
from components import target_text as tt
from components.i18n import (
    curated_text,
    decimals_of,
    fmt_number,
    localized,
    page_title,
    request_lang,
    t,
    text_lang,
)
from components.messages import message, no_database
from components.urlstate import query_string
from store import queries
from store.area_labels import area_label

dash.register_page(__name__, path="/programs", name="programs", title=page_title("nav.programs"))


def years_text(start: float | None, end: float | None, lang: str) -> str:
    """'2007–2024', 'until 2030', 'from 2026' or 'not stated', in ``lang``."""
    start = None if start is None or pd.isna(start) else int(start)
    end = None if end is None or pd.isna(end) else int(end)
    if start is not None and end is not None:
        return t("pg.years_range", lang, start=start, end=end)
    if end is not None:
        return t("pg.years_until", lang, end=end)
    if start is not None:
        return t("pg.years_from", lang, start=start)
    return t("pg.not_stated", lang)


def in_order(progs: pd.DataFrame) -> pd.DataFrame:
    """Programs by their first year (the end year when no start is known), undated last."""
    first = progs["year_start"].fillna(progs["year_end"])
    return (
        progs.assign(_first=first)
        .sort_values(["_first", "code"], na_position="last", kind="stable")
        .drop(columns="_first")
        .reset_index(drop=True)
    )


def main_series(obs: pd.DataFrame) -> pd.DataFrame:
    """The total series ('') if there is one, else the first series, sorted by year."""
    if obs.empty:
        return obs
    series = "" if (obs["series"] == "").any() else sorted(obs["series"])[0]
    return obs[obs["series"] == series].sort_values("year")


def _present(value: object) -> bool:
    return (
        value is not None
        and not (isinstance(value, float) and math.isnan(value))
        and str(value).strip() != ""
    )


def layout(program: str | None = None, lang: str | None = None, **_: object) -> html.Div:
    lang = request_lang(lang)
    if not queries.is_ready():
        return no_database(lang)
    progs = in_order(queries.programs())
    head = [
        html.H1(t("pg.heading", lang)),
        html.P(
            [
                t("pg.intro", lang),
                " ",
                dcc.Link(
                    t("pg.method_link", lang), href="/about" + query_string(lang=lang) + "#method"
                ),
            ],
            className="lead",
        ),
        html.P(t("pg.notes_lang", lang), className="muted"),
        html.P(
            [
                t("pg.download", lang),
                " ",
                html.A("JSON (API)", href="/api/v1/targets"),
                " · ",
                html.A(t("pg.download_all", lang), href="/download/all.zip", download=""),
            ],
            className="downloads",
        ),
    ]
    if progs.empty:
        return html.Div(
            [*head, message(t("pg.no_programs", lang), lang)], className="page programs"
        )
    targets = queries.targets()
    if program and program not in set(progs["code"]):
        return html.Div(
            [
                *head,
                message(t("pg.unknown_program", lang, code=program), lang),
                _contents(progs, targets, program, lang),
            ],
            className="page programs",
        )
    shown = progs[progs["code"] == program] if program else progs
    sections = [
        _program(row, targets[targets["program"] == row.code], lang) for row in shown.itertuples()
    ]
    mine = targets[targets["program"].isin(shown["code"])]
    return html.Div(
        [*head, status_table(mine, lang), _contents(progs, targets, program, lang), *sections],
        className="page programs",
    )


def status_rows(targets: pd.DataFrame, lang: str) -> list[dict]:
    """One row per target: program, target, area, year, status, pace needed and a link to
    the target's detail further down the page."""
    rows = []
    for tg in targets.sort_values(["program", "indicator", "target_year"]).itertuples():
        meta = queries.indicator(tg.indicator) or {}
        unit = meta.get(f"unit_{lang}", "")
        obs = main_series(queries.observations(tg.indicator, tg.area))
        a = tt.judge(obs, tg)
        needed = st.pace_lines(a, lang, unit)[0][1] if a.pace_matters else "–"
        benchmark = tt.benchmark(tg, lang)
        anchor = f"target-{tg.program}-{tg.indicator}-{tg.area}"
        href = "/programs" + query_string(program=tg.program, lang=lang) + f"#{anchor}"
        rows.append(
            {
                "program": getattr(tg, f"program_{lang}", None) or tg.program,
                "target": f"{meta.get(f'name_{lang}', tg.indicator)}: "
                f"{t(f'cmp.{tg.comparator}', lang)} "
                f"{fmt_number(tg.value, lang, decimals_of(meta))} {unit}"
                + (f" ({t('st.benchmark_national', lang)})" if benchmark else ""),
                "area": area_label(tg.area, lang),
                "year": int(tg.target_year),
                "status": tt.badge_line(a, lang),
                "needed": needed,
                "detail": f"[{t('pg.col_detail', lang)}]({href})",
            }
        )
    return rows


def status_table(targets: pd.DataFrame, lang: str) -> html.Section:
    """The compact status table on top: sortable and filterable (Dash DataTable)."""
    columns = [
        {"name": t("pg.col_program", lang), "id": "program"},
        {"name": t("word.target", lang), "id": "target"},
        {"name": t("pg.col_area", lang), "id": "area"},
        {"name": t("pg.target_year", lang), "id": "year", "type": "numeric"},
        {"name": t("word.status", lang), "id": "status"},
        {"name": t("pg.col_needed", lang), "id": "needed"},
        {"name": t("pg.col_detail", lang), "id": "detail", "presentation": "markdown"},
    ]
    table = dash_table.DataTable(
        id="programs-status-table",
        columns=columns,
        data=status_rows(targets, lang),
        sort_action="native",
        filter_action="native",
        filter_options={"case": "insensitive", "placeholder_text": "…"},
        page_action="none",
        markdown_options={"link_target": "_self"},
        style_table={"overflowX": "auto"},
        style_cell={
            "fontFamily": "inherit",
            "fontSize": "15px",
            "textAlign": "left",
            "whiteSpace": "normal",
            "height": "auto",
            "padding": "4px 6px",
        },
        style_header={"fontWeight": "bold"},
    )
    return html.Section(
        [
            html.H2(t("pg.table_h", lang), id="programs-status"),
            html.P(t("pg.table_hint", lang), className="muted"),
            table,
        ],
        className="programs-status",
        **{"aria-labelledby": "programs-status"},
    )


def _contents(
    progs: pd.DataFrame, targets: pd.DataFrame, current: str | None, lang: str
) -> html.Nav:
    """Links to each program alone (and to all of them), with their number of targets."""
    counts = targets["program"].value_counts()
    items = [
        html.Li(
            _link_unless_current(
                t("pg.all", lang), "/programs" + query_string(lang=lang), current is None
            )
        )
    ]
    for row in progs.itertuples():
        link = _link_unless_current(
            getattr(row, f"name_{lang}"),
            "/programs" + query_string(program=row.code, lang=lang),
            current == row.code,
        )
        years = years_text(row.year_start, row.year_end, lang)
        n = t("pg.n_targets", lang, n=int(counts.get(row.code, 0)))
        items.append(html.Li([link, html.Span(f" ({years}; {n})", className="muted")]))
    return html.Nav(
        [html.H2(t("pg.contents", lang), id="programs-contents"), html.Ul(items)],
        **{"aria-labelledby": "programs-contents"},
        className="programs-contents",
    )


def _link_unless_current(text: str, href: str, current: bool) -> dcc.Link | html.Strong:
    """A link, or for the page being shown its text in bold (a link to itself helps no one)."""
    return html.Strong(text) if current else dcc.Link(text, href=href)


def _program(row: object, targets: pd.DataFrame, lang: str) -> html.Section:
    facts = [
        html.Dt(t("pg.years", lang)),
        html.Dd(years_text(row.year_start, row.year_end, lang)),
        html.Dt(t("pg.legal", lang)),
        curated_text(row, "legal_ref", lang, html.Dd)
        if _present(row.legal_ref)
        else html.Dd(t("pg.not_stated", lang)),
        html.Dt(t("word.source", lang)),
        html.Dd(_source_ref(row.source, lang)),
    ]
    if _present(row.note):
        facts += [html.Dt(t("word.note", lang)), html.Dd(note_texts(row, lang))]
    body: list = [
        html.H2(getattr(row, f"name_{lang}"), id=f"program-{row.code}"),
        html.Dl(facts, className="facts"),
        html.H3(t("pg.targets", lang)),
    ]
    if targets.empty:
        body.append(html.P(t("pg.no_targets", lang), className="notice"))
    for (code, kato), group in targets.groupby(["indicator", "area"], sort=False):
        body.append(_target_group(code, kato, group, lang))
    return html.Section(body, className="program", **{"aria-labelledby": f"program-{row.code}"})


def _source_ref(code: object, lang: str) -> list | str:
    """'Title — publisher (link)' for a source code, or 'not stated'."""
    info = queries.source(code) if _present(code) else None
    if info is None:
        return t("pg.not_stated", lang)
    title = html.Cite(info["title"], lang=text_lang(info["title"]))
    out: list = [title, f" — {localized(info, 'publisher', lang)} "]
    address = info.get("address")
    if _present(address) and not any(c.isspace() for c in address.strip()):
        out.append(html.A(address, href=address, rel="noopener"))
    elif _present(address):
        out.append(address)
    else:
        out.append(html.Span(f"({t('pg.no_address', lang)})", className="muted"))
    out += [
        " · ",
        dcc.Link(
            t("pg.source_details", lang),
            href="/about" + query_string(lang=lang) + f"#source-{code}",
        ),
    ]
    return out


def _target_group(code: str, kato: str, group: pd.DataFrame, lang: str) -> html.Article:
    """One indicator in one area: a row per target year, then the quoted source text."""
    meta = queries.indicator(code) or {}
    name = meta.get(f"name_{lang}", code)
    unit = meta.get(f"unit_{lang}", "")
    decimals = decimals_of(meta)
    obs = main_series(queries.observations(code, kato))
    head = [
        t("word.target", lang),
        t("pg.target_year", lang),
        t("word.baseline", lang),
        t("word.status", lang),
        t("word.latest", lang),
        t("pg.pace", lang),
        t("word.source", lang),
        "",
    ]
    rows = [
        _target_row(tg, obs, unit, decimals, name, lang)
        for tg in group.sort_values("target_year").itertuples()
    ]
    heading = f"{name} — {area_label(kato, lang)}"
    return html.Article(
        [
            html.H4(heading),
            html.Div(
                html.Table(
                    [
                        html.Thead(html.Tr([html.Th(h, scope="col") for h in head])),
                        html.Tbody(rows),
                    ],
                    className="data",
                ),
                className="table-wrap",
            ),
            *_quotes(group, lang),
            *_notes(group, lang),
        ],
        className="target-group",
        id=f"target-{group['program'].iloc[0]}-{code}-{kato}",
    )


def _target_row(
    tg: object,
    obs: pd.DataFrame,
    unit: str,
    decimals: int | None,
    name: str,
    lang: str,
) -> html.Tr:
    a = tt.judge(obs, tg)
    href = "/explore" + query_string(indicator=tg.indicator, area=tg.area, lang=lang)
    return html.Tr(
        [
            html.Td(f"{t(f'cmp.{tg.comparator}', lang)} {fmt_number(tg.value, lang)} {unit}"),
            html.Td(str(int(tg.target_year)), className="num"),
            html.Td(_baseline(tg, unit, lang)),
            html.Td([tt.badge_html(a, lang), *_details(a, tg, unit, decimals, lang)]),
            html.Td(_latest(a, obs, unit, decimals, lang)),
            html.Td(_pace(a, unit, lang)),
            html.Td(
                dcc.Link(
                    _publisher(tg.source, lang),
                    href="/about" + query_string(lang=lang) + f"#source-{tg.source}",
                )
            ),
            html.Td(
                dcc.Link(
                    t("pg.explore", lang),
                    href=href,
                    title=f"{t('pg.explore', lang)}: {name}, {int(tg.target_year)}",
                )
            ),
        ]
    )


def _details(
    a: st.Assessment, tg: object, unit: str, decimals: int | None, lang: str
) -> list[html.Div]:
    """Under the badge: a benchmark's origin and the reading judged on (the paces have their
    own column)."""
    return [
        html.Div(text, className="status-detail")
        for text, _ in tt.details(a, tg, lang, unit, decimals, paces=False)
    ]


def _baseline(tg: object, unit: str, lang: str) -> str:
    if not _present(tg.baseline_value):
        return t("pg.not_stated", lang)
    year = str(int(tg.baseline_year)) if _present(tg.baseline_year) else t("pg.year_unknown", lang)
    return f"{fmt_number(tg.baseline_value, lang)} {unit} ({year})"


def _latest(a: st.Assessment, obs: pd.DataFrame, unit: str, decimals: int | None, lang: str) -> str:
    if a.latest_year is None:
        return t("msg.no_data", lang)
    last = obs[obs["year"] == a.latest_year].iloc[0]
    flags = [] if last["status"] == "actual" else [t(f"obs.{last['status']}", lang)]
    if last["year_approx"]:
        flags.append(t("obs.year_approx", lang))
    year = f"{a.latest_year}" + (f"; {', '.join(flags)}" if flags else "")
    return f"{fmt_number(a.latest_value, lang, decimals)} {unit} ({year})"


def _pace(a: st.Assessment, unit: str, lang: str) -> list | str:
    """The pace needed from the latest value, the recent trend and the pace since the
    baseline, the one that decides the status marked (as on the cards and slides)."""
    lines = st.pace_lines(a, lang, unit)
    if not lines:
        return "–"
    return [
        html.Div(
            [f"{label}: {value}" if value else label]
            + ([html.Em(f" ({t('pace.decides', lang)})")] if decides else []),
            className="pace-decides" if decides else None,
        )
        for label, value, decides in lines
    ]


def _publisher(code: str, lang: str) -> str:
    info = queries.source(code)
    return localized(info, "publisher", lang) if info else code


def _quotes(group: pd.DataFrame, lang: str) -> list:
    """Each distinct excerpt once, verbatim, with its language and source."""
    seen = group.dropna(subset=["excerpt"]).drop_duplicates(["source", "excerpt"])
    if seen.empty:
        return []
    out: list = [html.H5(t("pg.quotes", lang))]
    for row in seen.itertuples():
        info = queries.source(row.source) or {}
        address = info.get("address")
        address = address if _present(address) and " " not in address.strip() else None
        quote = html.Blockquote(
            _quote_parts(row.excerpt),
            lang=text_lang(_CURATOR_NOTE.sub(" ", row.excerpt)),
            **({"cite": address} if address else {}),
        )
        ref = _source_ref(row.source, lang)
        caption = html.Figcaption(["— ", *(ref if isinstance(ref, list) else [ref])])
        out.append(html.Figure([quote, caption], className="quote"))
    return out


# The curators' words on a transcription inside an excerpt, in English: "[table row; cell
# line-breaks joined]", "[table columns: …]" (what follows the colon is the source's text).
_CURATOR_NOTE = re.compile(r"\[([A-Za-z][A-Za-z ;,.'-]*:?)")


def _quote_parts(excerpt: str) -> list:
    """The excerpt as shown: the curators' English words marked as English, the verbatim
    text as it is."""
    parts: list = []
    last = 0
    for m in _CURATOR_NOTE.finditer(excerpt):
        parts += [excerpt[last : m.start()], html.Span(m.group(0), lang="en", className="muted")]
        last = m.end()
    return [p for p in [*parts, excerpt[last:]] if not isinstance(p, str) or p]


def note_texts(row: object, lang: str) -> list:
    """A curated note in the reader's language first, then the English original (kept as
    written); English alone where no translation exists or the reader reads English."""
    english = getattr(row, "note", None)
    local = getattr(row, f"note_{lang}", None) if lang != "en" else None
    if not _present(local):
        return [html.Span(english, lang="en")]
    return [
        html.Span(local, lang=lang),
        html.Br(),
        html.Small(
            [f"{t('pg.note_original', lang)}: ", html.Span(english, lang="en")], className="muted"
        ),
    ]


def _notes(group: pd.DataFrame, lang: str) -> list:
    rows = group[group["note"].map(_present)].drop_duplicates("note")
    if rows.empty:
        return []
    return [
        html.H5(t("pg.notes", lang)),
        html.Ul(
            [html.Li(note_texts(r, lang)) for r in rows.itertuples()], className="target-notes"
        ),
    ]
