"""Overview (/): every indicator of one area: its headline indicators first (with every reading
and source), then those with a program target, then the rest by category."""

from __future__ import annotations

import dash
import pandas as pd
from dash import dcc, html

from components import status as st
from components.figures import sparkline_svg
from components.i18n import (
    curated_text,
    decimals_of,
    fmt_number,
    localized,
    page_title,
    register,
    request_lang,
    status_text,
    t,
)
from components.messages import message, no_database
from components.share import deck_card_button
from components.urlstate import DEFAULT_AREA, query_string
from store import queries
from views import share

dash.register_page(__name__, path="/", name="overview", title=page_title("nav.overview"))
share.register("overview", "overview")

# The indicators an area's overview opens with, in this order: for Aral district the four the
# dashboard exists for (issue 14). Each gets a card with its series, every reading and source,
# its target and status, and a note when the series is thin.
HEADLINES: dict[str, tuple[str, ...]] = {
    "433200000": (
        "industrial_output",
        "fish_fingerlings_released",
        "salt_extraction",
        "protected_area_share",
    ),
}
THIN_YEARS = 3  # a series with fewer years than this gets the "thin series" note

register(
    {
        "ov.headline": {
            "kk": "Басты көрсеткіштер",
            "ru": "Главные показатели",
            "en": "Headline indicators",
        },
        "ov.thin": {
            "kk": "Қатар қысқа: деректі жылдар саны — {n} ({years}); дереккөзі: {sources}.",
            "ru": "Короткий ряд: лет с данными — {n} ({years}); источник: {sources}.",
            "en": "Thin series: {n} year(s) with data ({years}), from {sources}.",
        },
        "ov.no_target": {
            "kk": "Бұл көрсеткіш үшін бағдарлама мақсаты жоқ.",
            "ru": "Для этого показателя нет цели программы.",
            "en": "No program target for this indicator.",
        },
        "ov.readings": {
            "kk": "Барлық мәндер және дереккөздері ({n})",
            "ru": "Все значения и источники ({n})",
            "en": "Every reading and its source ({n})",
        },
        "ov.heading": {
            "kk": "{area}: көрсеткіштер мен мақсаттар",
            "ru": "{area}: показатели и цели",
            "en": "{area}: indicators and targets",
        },
        "ov.intro": {
            "kk": "Әр карточка — бір көрсеткіш: соңғы мән, бағдарлама мақсаты және қарқын. "
            "Толығырақ көру үшін карточканы басыңыз.",
            "ru": "Каждая карточка — один показатель: последнее значение, цель программы и темп. "
            "Нажмите на карточку, чтобы открыть подробности.",
            "en": "Each card is one indicator: its latest value, its program target and the pace. "
            "Open a card for the details.",
        },
        "ov.with_targets": {
            "kk": "Мақсаты бар көрсеткіштер",
            "ru": "Показатели с целями",
            "en": "Indicators with targets",
        },
        "ov.no_targets": {
            "kk": "Бұл аумақ үшін бағдарлама мақсаттары жоқ.",
            "ru": "Для этой территории нет целевых показателей программ.",
            "en": "No program targets for this area.",
        },
        "cat.economic": {"kk": "Экономика", "ru": "Экономика", "en": "Economy"},
        "cat.ecological": {"kk": "Экология", "ru": "Экология", "en": "Environment"},
        "cat.social": {"kk": "Әлеуметтік сала", "ru": "Социальная сфера", "en": "Society"},
        "ov.target_line": {
            "kk": "Мақсат: {cmp} {value} ({year})",
            "ru": "Цель: {cmp} {value} ({year})",
            "en": "Target: {cmp} {value} ({year})",
        },
        "ov.change": {
            "kk": "{year} жылмен салыстырғанда: {sign}{pct}%",
            "ru": "К {year} году: {sign}{pct}%",
            "en": "Since {year}: {sign}{pct}%",
        },
        "ov.no_indicators": {
            "kk": "Бұл аумақ бойынша деректер жоқ.",
            "ru": "По этой территории данных нет.",
            "en": "There are no data for this area.",
        },
        "ov.sparkline_alt": {
            "kk": "{first}–{last} жылдардағы үрдіс",
            "ru": "Динамика {first}–{last}",
            "en": "Trend {first}–{last}",
        },
    }
)


def layout(area: str | None = None, lang: str | None = None, **_: object) -> html.Div:
    lang = request_lang(lang)
    if not queries.is_ready():
        return no_database(lang)
    kato = queries.resolve_area(area) if area else DEFAULT_AREA
    if kato is None:
        return message(t("msg.unknown_area", lang, code=area), lang)
    info = queries.area(kato)
    name = info[f"name_{lang}"]
    have = queries.area_indicators(kato)
    targets = queries.targets(area_code=kato)
    heading = t("ov.heading", lang, area=name)
    children: list = [
        html.H1(heading),
        html.P(t("ov.intro", lang), className="lead"),
        share.share_bar("overview", "overview", {"area": kato, "lang": lang}, lang, heading),
    ]
    if have.empty:
        children.append(message(t("ov.no_indicators", lang), lang))
        return html.Div(children, className="page overview")
    catalogue = queries.indicators().set_index("code")
    headline = [c for c in HEADLINES.get(kato, ()) if c in catalogue.index]
    if headline:
        children.append(html.H2(t("ov.headline", lang)))
        children.append(
            html.Div(
                [
                    _headline_card(
                        code, catalogue.loc[code], kato, lang, targets[targets["indicator"] == code]
                    )
                    for code in headline
                ],
                className="cards headline-cards",
                id="overview-headline",
            )
        )
    with_target = [
        c for c in dict.fromkeys(targets["indicator"]) if c in catalogue.index and c not in headline
    ]
    children.append(html.H2(t("ov.with_targets", lang)))
    if with_target:
        children.append(
            html.Div(
                [
                    _card(
                        code, catalogue.loc[code], kato, lang, targets[targets["indicator"] == code]
                    )
                    for code in with_target
                ],
                className="cards",
            )
        )
    else:
        children.append(html.P(t("ov.no_targets", lang)))
    rest = [
        c
        for c in have["indicator"]
        if c not in with_target and c not in headline and c in catalogue.index
    ]
    for category in ("ecological", "economic", "social"):
        codes = [c for c in rest if catalogue.loc[c, "category"] == category]
        if codes:
            # Native <details>: keyboard accessible, and the long lists stay out of the way.
            children.append(
                html.Details(
                    [
                        html.Summary(html.H2(f"{t(f'cat.{category}', lang)} ({len(codes)})")),
                        html.Div(
                            [_card(c, catalogue.loc[c], kato, lang, None) for c in codes],
                            className="cards",
                        ),
                    ],
                    open=category == "ecological" or len(codes) <= 12,
                    id=f"overview-{category}",
                )
            )
    return html.Div(children, className="page overview")


def _card(
    code: str, meta: pd.Series, kato: str, lang: str, targets: pd.DataFrame | None
) -> html.Div:
    obs = queries.observations(code, kato)
    obs = obs[obs["series"] == ""] if (obs["series"] == "").any() else obs
    decimals = decimals_of(meta)
    unit = meta[f"unit_{lang}"]
    points = list(zip(obs["year"], obs["value"], strict=True))
    body: list = [html.H3(meta[f"name_{lang}"], className="card-title")]
    if obs.empty:
        body.append(html.P(t("msg.no_data", lang), className="card-value muted"))
    else:
        last = obs.sort_values("year").iloc[-1]
        flag = "" if last["status"] == "actual" else f" ({t('obs.' + last['status'], lang)})"
        body.append(
            html.P(
                [
                    html.Span(fmt_number(last["value"], lang, decimals), className="card-number"),
                    f" {unit}",
                    html.Span(f" · {int(last['year'])}{flag}", className="card-year"),
                ],
                className="card-value",
            )
        )
        if len(obs) == 1:
            body.append(html.P(t("msg.one_year", lang, year=int(last["year"])), className="muted"))
    if targets is not None and len(targets):
        body.extend(_target_lines(points, targets, lang, decimals, unit))
    elif len(obs) > 1:
        ordered = obs.sort_values("year")
        first = ordered.iloc[0]
        if first["value"]:
            pct = (ordered.iloc[-1]["value"] / first["value"] - 1) * 100
            body.append(
                html.P(
                    t(
                        "ov.change",
                        lang,
                        year=int(first["year"]),
                        sign="+" if pct > 0 else "",
                        pct=fmt_number(pct, lang, 1),
                    ),
                    className="card-change",
                )
            )
    if len(points) > 1:
        years = [p[0] for p in points]
        ordered = sorted(points)
        ends = tuple(f"{y}: {fmt_number(v, lang, decimals)}" for y, v in (ordered[0], ordered[-1]))
        body.append(
            html.Img(
                src=sparkline_svg(points, labels=ends),
                className="sparkline",
                alt=t("ov.sparkline_alt", lang, first=min(years), last=max(years))
                + " ("
                + " → ".join(ends)
                + ")",
            )
        )
    others = int(obs["other_sources"].max()) if len(obs) else 0
    if others:
        body.append(html.P(t("msg.other_sources", lang, n=others), className="card-note"))
    href = "/explore" + query_string(indicator=code, area=kato, lang=lang)
    has_targets = targets is not None and len(targets) > 0
    card: list = [dcc.Link(html.Article(body), href=href, className="card", id=f"card-{code}")]
    if share.decks_writable():
        card.append(
            deck_card_button("overview", code, meta[f"name_{lang}"], lang, targets=has_targets)
        )
    return html.Div(card, className="card-box")


def _headline_card(
    code: str, meta: pd.Series, kato: str, lang: str, targets: pd.DataFrame
) -> html.Div:
    """The overview card of a headline indicator, with every reading, its source and flags."""
    box = _card(code, meta, kato, lang, targets)
    if not len(targets):  # the card's <article> is inside its link; the target line goes there
        box.children[0].children.children.append(
            html.P(t("ov.no_target", lang), className="card-target muted")
        )
    readings = queries.observations(code, kato, source="all")
    readings = readings[readings["series"] == ""] if (readings["series"] == "").any() else readings
    if len(readings):  # outside the link: the table holds links of its own
        box.children[1:1] = _readings(readings, meta, lang)
    box.className = "card-box headline"
    box.id = f"headline-{code}"
    return box


def _readings(readings: pd.DataFrame, meta: pd.Series, lang: str) -> list:
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
    for r in readings.sort_values(["year", "source"]).itertuples():
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
    out = []
    for tg in targets.sort_values("target_year").itertuples():
        target = st.Target(
            tg.comparator,
            tg.value,
            int(tg.target_year),
            None if pd.isna(tg.baseline_year) else int(tg.baseline_year),
            None if pd.isna(tg.baseline_value) else float(tg.baseline_value),
        )
        a = st.assess(points, target)
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
        out.append(
            html.P(
                [
                    html.Span(st.SYMBOLS[a.status], **{"aria-hidden": "true"}),
                    " " + status_text(a.status, lang, a.latest_year, int(tg.target_year)),
                ],
                className=f"status status-{a.status}",
                style={"borderColor": st.COLOURS[a.status]},
            )
        )
        lines = st.pace_lines(a, lang, unit)
        if lines:
            out.append(
                html.Ul(
                    [
                        html.Li(
                            [f"{label}: {value}" if value else label]
                            + ([html.Em(f" ({t('pace.decides', lang)})")] if decides else []),
                            className="pace-decides" if decides else None,
                        )
                        for label, value, decides in lines
                    ],
                    className="card-pace",
                )
            )
    return out
