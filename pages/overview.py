"""Overview (/): every indicator of one area, those with a program target first."""

from __future__ import annotations

import dash
import pandas as pd
from dash import dcc, html

from components import share
from components import status as st
from components.figures import sparkline_svg
from components.i18n import (
    decimals_of,
    fmt_number,
    page_title,
    register,
    request_lang,
    status_text,
    t,
)
from components.messages import message, no_database
from components.urlstate import DEFAULT_AREA, query_string
from store import queries

dash.register_page(__name__, path="/", name="overview", title=page_title("nav.overview"))
share.register("overview", "overview")

register(
    {
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
        "ov.pace": {
            "kk": "Қарқын: {actual} / қажет {required} {per_year}",
            "ru": "Темп: {actual} / нужно {required} {per_year}",
            "en": "Pace: {actual} vs {required} needed {per_year}",
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
    with_target = [c for c in dict.fromkeys(targets["indicator"]) if c in catalogue.index]
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
    rest = [c for c in have["indicator"] if c not in with_target and c in catalogue.index]
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
        body.append(
            html.Img(
                src=sparkline_svg(points),
                className="sparkline",
                alt=t("ov.sparkline_alt", lang, first=min(years), last=max(years)),
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
            share.deck_card_button(
                "overview", code, meta[f"name_{lang}"], lang, targets=has_targets
            )
        )
    return html.Div(card, className="card-box")


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
        if a.required_pace is not None and a.actual_pace is not None:
            out.append(
                html.P(
                    t(
                        "ov.pace",
                        lang,
                        actual=fmt_number(a.actual_pace, lang, 2),
                        required=fmt_number(a.required_pace, lang, 2),
                        per_year=f"{unit} {t('word.per_year', lang)}",
                    ),
                    className="card-pace",
                )
            )
    return out
