"""Slides for public hearings: a slide's spec and data -> a slide model -> HTML. No database.

:func:`build` turns one slide (as :mod:`store.decks` returns it) and its data (live from the
store, or from a frozen deck's snapshot) into a :class:`SlideModel`: the title, the facts,
the figure (Plotly JSON, drawn by :mod:`components.figures` and :mod:`components.maps`,
restyled for a projector by :func:`projector`), the sources line, the speaker notes and,
for a frozen deck, its "data as of" date. :func:`document` renders a deck's models as one
HTML document for the present page, the presenter view and the self-contained export.

Slides are laid out on a 1920 × 1080 canvas that the page scales to the screen, so type
sizes are those of a 1080p projector: body text 32 px, titles 60 px.
"""

from __future__ import annotations

import html
import json
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import pandas as pd
import plotly.graph_objects as go
from plotly.utils import PlotlyJSONEncoder

from components import maps
from components import status as st
from components.figures import (
    CMP_SIGNS,
    FONT,
    PALETTE,
    preferred,
    summary,
    time_series,
)
from components.i18n import (
    LANGS,
    OFFLINE_PLOTLY_CONFIG,
    decimals_of,
    fmt_date,
    fmt_number,
    localized,
    plotly_locales,
    plotly_separators,
    publisher_name,
    status_text,
    t,
)

WIDTH, HEIGHT = 1920, 1080
INK, PAPER, ACCENT, GRID = "#000000", "#ffffff", "#0b3d91", "#bdbdbd"
STATIC_DIR = Path(__file__).resolve().parent / "slides_static"
OBS_COLUMNS = [
    "area",
    "year",
    "series",
    "value",
    "status",
    "year_approx",
    "source",
    "other_sources",
]
MAX_SOURCES = 4


@dataclass
class Fact:
    """One large figure on a slide: its label, value, a note under it, a status key."""

    label: str
    value: str
    note: str = ""
    status: str | None = None


@dataclass
class SlideModel:
    """Everything a slide shows, in one language, ready to render."""

    kind: str
    title: str
    subtitle: str = ""
    facts: list[Fact] = field(default_factory=list)
    paragraphs: list[str] = field(default_factory=list)
    bullets: list[str] = field(default_factory=list)
    figure: dict | None = None
    figure_alt: str = ""
    ranking: list[tuple[str, str, str, bool]] = field(default_factory=list)
    ranking_title: str = ""
    sources: list[str] = field(default_factory=list)
    notes: str = ""
    as_of: str | None = None
    message: str | None = None
    qr_svg: str | None = None
    link: str | None = None


# --- texts -------------------------------------------------------------------------------


def slide_texts(slide: dict, lang: str) -> dict[str, str]:
    """The slide's title, text and notes in ``lang``: its translation if it has one."""
    tr = (slide.get("translations") or {}).get(lang) or {}
    return {f: tr.get(f) or slide.get(f) or "" for f in ("title", "text", "notes")}


def deck_title(deck: dict, lang: str) -> str:
    return ((deck.get("translations") or {}).get(lang) or {}).get("title") or deck["title"]


def _name(data: dict, kato: str | None, lang: str) -> str:
    info = (data.get("areas") or {}).get(kato or "")
    return info[lang] if info else (kato or "")


def _split_text(text: str) -> tuple[list[str], list[str]]:
    """Paragraphs (blank-line separated) and bullets (lines starting '- ', '• ' or '* ')."""
    paragraphs, bullets = [], []
    for block in text.replace("\r\n", "\n").split("\n\n"):
        lines = [ln.strip() for ln in block.split("\n") if ln.strip()]
        rest = []
        for ln in lines:
            if ln[:2] in ("- ", "• ", "* "):
                bullets.append(ln[2:].strip())
            else:
                rest.append(ln)
        if rest:
            paragraphs.append(" ".join(rest))
    return paragraphs, bullets


def short_source(info: dict, limit: int = 90, lang: str = "en") -> str:
    """'Publisher — title' (the publisher in ``lang``), cut at a word to about ``limit``."""
    publisher = publisher_name(localized(info, "publisher", lang))
    title = (info.get("title") or "").strip()
    text = (
        f"{publisher} — {title}"
        if publisher and title and publisher not in title
        else (title or publisher)
    )
    return text if len(text) <= limit else text[:limit].rsplit(" ", 1)[0].rstrip(",;:—") + "…"


def _sources_line(data: dict, codes: list[str], lang: str) -> list[str]:
    info = data.get("sources") or {}
    codes = [c for c in dict.fromkeys(codes) if isinstance(c, str)]
    out = [short_source(info.get(c) or {"title": c}, lang=lang) for c in codes[:MAX_SOURCES]]
    if len(codes) > MAX_SOURCES:
        out.append(t("pr.more_sources", lang, n=len(codes) - MAX_SOURCES))
    return out


def _obs(data: dict, key: str = "observations") -> pd.DataFrame:
    df = pd.DataFrame(data.get(key) or [], columns=OBS_COLUMNS)
    df["series"] = df["series"].fillna("")
    df["year_approx"] = df["year_approx"].fillna(False).astype(bool)
    df["value"] = df["value"].astype(float)
    if len(df):
        df["year"] = df["year"].astype(int)
    return df


def _targets(data: dict) -> pd.DataFrame:
    cols = [
        "program",
        "area",
        "target_year",
        "comparator",
        "value",
        "baseline_year",
        "baseline_value",
        "source",
        "program_kk",
        "program_ru",
        "program_en",
    ]
    df = pd.DataFrame(data.get("targets") or [], columns=cols)
    if len(df):
        df["target_year"] = df["target_year"].astype(int)
        df["value"] = df["value"].astype(float)
    return df


# --- figures for a projector -------------------------------------------------------------


def projector(fig: go.Figure, width: int, height: int) -> go.Figure:
    """Restyle a dashboard figure for a hall: fixed size, large type, thick black lines."""
    fig.update_layout(
        width=width,
        height=height,
        autosize=False,
        template=None,
        paper_bgcolor=PAPER,
        plot_bgcolor=PAPER,
        font={"family": FONT, "size": 26, "color": INK},
        legend={"font": {"size": 24}, "bgcolor": "rgba(255,255,255,0.9)"},
        margin={"l": 120, "r": 40, "t": 80, "b": 90},
    )
    axis = {
        "tickfont": {"size": 24, "color": INK},
        "title": {"font": {"size": 26}},
        "showline": True,
        "linecolor": INK,
        "linewidth": 2,
        "gridcolor": GRID,
        "zerolinecolor": INK,
        "ticks": "outside",
        "tickcolor": INK,
    }
    fig.update_xaxes(**axis)
    fig.update_yaxes(**axis)
    for trace in fig.data:
        if trace.type == "scatter" and trace.marker is not None and trace.marker.symbol == "star":
            trace.showlegend = False  # each target star is labelled on the chart itself
        if trace.type == "scatter":
            if trace.line is not None and trace.line.width:
                trace.line.width = max(trace.line.width * 1.8, 4)
            if trace.marker is not None and trace.marker.size:
                trace.marker.size = trace.marker.size * 1.6
            if trace.text is not None:
                trace.textfont = {"size": 24, "color": INK}
    named: dict[str, list] = {}
    for trace in fig.data:
        if trace.type == "scatter" and trace.mode == "lines" and trace.name:
            named.setdefault(trace.name, []).append(trace)
    for group in named.values():  # a dashed or dotted line drawn at all is in the legend
        if not any(tr.showlegend in (True, None) for tr in group):
            group[0].showlegend = True
    for ann in fig.layout.annotations or ():
        ann.font = {"size": max((ann.font.size or 0) if ann.font else 0, 28), "color": INK}
    return fig


def _fig_json(fig: go.Figure) -> dict:
    return json.loads(json.dumps(fig.to_plotly_json(), cls=PlotlyJSONEncoder))


def compare_bars(
    values: pd.DataFrame,
    units: list[str],
    names: dict[str, str],
    meta: dict,
    lang: str,
    year: int | None,
    highlight: str | None = None,
) -> go.Figure:
    """Areas side by side for one year: horizontal bars, the leading area on top (by the
    indicator's direction), ``highlight`` in the accent colour, values printed on the bars."""
    ranked = maps.ranking(values, units, names, meta, year)
    ranked = ranked[ranked["rank"].notna()].iloc[::-1]  # Plotly draws the first bar lowest
    decimals = decimals_of(meta)
    colours = [PALETTE[1] if a == highlight else PALETTE[0] for a in ranked["area"]]
    fig = go.Figure(
        go.Bar(
            x=list(ranked["value"]),
            y=list(ranked["name"]),
            orientation="h",
            marker={"color": colours, "line": {"color": INK, "width": 1}},
            text=[fmt_number(v, lang, decimals) for v in ranked["value"]],
            textposition="outside",
            cliponaxis=False,
            textfont={"size": 26, "color": INK},
            hoverinfo="skip",
        )
    )
    if ranked.empty:
        fig.add_annotation(
            text=t("fig.no_data", lang),
            showarrow=False,
            xref="paper",
            yref="paper",
            x=0.5,
            y=0.5,
            font={"size": 30},
        )
    fig.update_layout(
        separators=plotly_separators(lang),
        showlegend=False,
        bargap=0.25,
        xaxis={"title": meta.get(f"unit_{lang}") or "", "rangemode": "tozero", "tickformat": ",~f"},
        yaxis={"automargin": True},
    )
    return fig


def qr_svg(url: str) -> str:
    """The QR code of ``url`` as an inline SVG element (black on white, quiet zone)."""
    import segno

    return segno.make(url, error="m").svg_inline(
        scale=10, dark=INK, light=PAPER, border=4, omitsize=True
    )


# --- slide models ------------------------------------------------------------------------


def build(
    slide: dict,
    data: dict,
    deck: dict,
    lang: str,
    *,
    as_of: str | None = None,
    link: str | None = None,
    base: str = "",
    today: date | None = None,
) -> SlideModel:
    """The model of ``slide`` in ``lang`` from its ``data`` (see :func:`store.decks.slide_data`).

    ``as_of`` (YYYY-MM-DD) marks a frozen deck's figures; ``link`` is the live view's
    address, shown as a QR code on a closing slide (whose ``url`` parameter, when it is a
    path, is joined to ``base``, the public address of the dashboard).
    """
    texts = slide_texts(slide, lang)
    model = SlideModel(kind=slide["kind"], title=texts["title"], notes=texts["notes"])
    if as_of:
        model.as_of = t("pr.as_of", lang, date=fmt_date(date.fromisoformat(as_of), lang))
    if slide["kind"] in ("target", "chart", "map", "compare"):
        if data.get("missing_database"):
            model.message = t("msg.no_database", lang)
        elif data.get("error") or not data.get("indicator"):
            model.message = t("pr.error", lang)
        if model.message:
            model.title = model.title or t("pr.error", lang)
            return model
    _BUILDERS[slide["kind"]](
        model,
        slide,
        data,
        deck,
        lang,
        texts,
        {"link": link, "base": base, "today": today or date.today(), "as_of": as_of},
    )
    return model


def _title_slide(
    model: SlideModel, slide: dict, data: dict, deck: dict, lang: str, texts: dict, ctx: dict
) -> None:
    params = slide.get("params") or {}
    model.title = texts["title"] or deck_title(deck, lang)
    model.subtitle = texts["text"]
    when = date.fromisoformat(params.get("date") or ctx["as_of"] or ctx["today"].isoformat())
    area = _name(data, params.get("area"), lang) if params.get("area") else ""
    model.paragraphs = [p for p in (area, fmt_date(when, lang)) if p]


def _text_slide(
    model: SlideModel, slide: dict, data: dict, deck: dict, lang: str, texts: dict, ctx: dict
) -> None:
    model.paragraphs, model.bullets = _split_text(texts["text"])


def _closing_slide(
    model: SlideModel, slide: dict, data: dict, deck: dict, lang: str, texts: dict, ctx: dict
) -> None:
    model.title = texts["title"] or t("pr.thanks", lang)
    model.paragraphs, model.bullets = _split_text(texts["text"])
    url = (slide.get("params") or {}).get("url")
    if url and not url.startswith(("http://", "https://")):
        url = ctx["base"].rstrip("/") + "/" + url.lstrip("/")
    link = url or ctx["link"]
    if link:
        model.link = link
        model.qr_svg = qr_svg(link)
        model.figure_alt = t("pr.qr_alt", lang, url=link)
        model.subtitle = t("pr.scan_link" if url else "pr.scan", lang)


def _auto_title(meta: dict, areas: list[str], data: dict, lang: str) -> str:
    return t(
        "pr.heading",
        lang,
        indicator=meta[f"name_{lang}"],
        area=", ".join(_name(data, a, lang) for a in areas),
    )


def headline_target(targets: pd.DataFrame, year: int, wanted: int | None = None) -> int | None:
    """Which target a slide headlines: ``wanted`` if there is one for that year, else the
    first due in ``year`` or later, else the last one (the row's index), None if none."""
    if targets.empty:
        return None
    ordered = targets.sort_values(["target_year", "value"], kind="stable")
    if wanted is not None and (ordered["target_year"] == wanted).any():
        return ordered[ordered["target_year"] == wanted].index[0]
    due = ordered[ordered["target_year"] >= year]
    return (due if len(due) else ordered).index[-1 if due.empty else 0]


def _assessment(points: list[tuple[int, float]], tg: pd.Series) -> st.Assessment:
    base_year = None if pd.isna(tg["baseline_year"]) else int(tg["baseline_year"])
    base = None if pd.isna(tg["baseline_value"]) else float(tg["baseline_value"])
    return st.assess(
        points,
        st.Target(tg["comparator"], float(tg["value"]), int(tg["target_year"]), base_year, base),
    )


def _target_slide(
    model: SlideModel, slide: dict, data: dict, deck: dict, lang: str, texts: dict, ctx: dict
) -> None:
    params = slide["params"]
    meta, area = data["indicator"], params["area"]
    unit, decimals = meta.get(f"unit_{lang}") or "", decimals_of(meta)
    obs, targets = _obs(data), _targets(data)
    if (obs["series"] == "").any():  # targets are set on the total, not on breakdowns
        obs = obs[obs["series"] == ""]
    total = preferred(obs).sort_values("year")
    points = list(zip(total["year"], total["value"], strict=True))
    model.title = texts["title"] or _auto_title(meta, [area], data, lang)
    if points:
        year, value = points[-1]
        model.facts.append(
            Fact(
                t("pr.latest", lang, year=int(year)),
                f"{fmt_number(value, lang, decimals)} {unit}".strip(),
            )
        )
    else:
        model.facts.append(Fact(t("word.latest", lang), t("pr.no_value", lang)))
    now = date.fromisoformat(ctx["as_of"]).year if ctx["as_of"] else ctx["today"].year
    chosen = headline_target(targets, now, params.get("target_year"))
    if chosen is None:
        model.paragraphs.append(t("pr.no_targets", lang))
    else:
        tg = targets.loc[chosen]
        program = tg.get(f"program_{lang}") or tg["program"]
        model.facts.append(
            Fact(
                t("pr.target", lang, year=int(tg["target_year"])),
                f"{CMP_SIGNS.get(tg['comparator'], tg['comparator'])} "
                f"{fmt_number(tg['value'], lang, decimals)} {unit}".strip(),
                program,
            )
        )
        a = _assessment(points, tg)
        model.facts.append(
            Fact(
                t("word.status", lang),
                f"{st.SYMBOLS[a.status]} "
                f"{status_text(a.status, lang, a.latest_year, int(tg['target_year']))}",
                status=a.status,
            )
        )
        model.facts.append(_pace_fact(a, points, lang, unit))
        for i, other in targets.sort_values("target_year").iterrows():
            if i == chosen:
                continue
            o = _assessment(points, other)
            model.bullets.append(
                f"{int(other['target_year'])}: {CMP_SIGNS.get(other['comparator'], '')} "
                f"{fmt_number(other['value'], lang, decimals)} — "
                f"{st.SYMBOLS[o.status]} "
                f"{status_text(o.status, lang, o.latest_year, int(other['target_year']))}"
            )
    fig = time_series(obs, meta, lang, targets=targets, area_names={area: _name(data, area, lang)})
    model.figure = _fig_json(projector(fig, 1160, 700))
    model.figure_alt = t("pr.chart_alt", lang, title=model.title)
    model.sources = _sources_line(data, [*obs["source"], *targets["source"]], lang)


def _pace_fact(a: st.Assessment, points: list, lang: str, unit: str) -> Fact:
    """The pace needed from the latest value, with the pace that decides the status as its
    note (the same lines as the overview cards and the programs page)."""
    label = t("pr.pace_needed", lang)
    if not points:
        return Fact(label, "—", t("status.insufficient", lang))
    lines = st.pace_lines(a, lang, unit)
    first_label, first_value, _ = lines[0]
    if not first_value:  # met, or the target year has passed
        return Fact(label, "—", first_label)
    others = [
        f"{lab}: {val}" + (f" ({t('pace.decides', lang)})" if d else "")
        for lab, val, d in lines[1:]
    ]
    return Fact(label, first_value, "; ".join([first_label, *others]))


def _chart_slide(
    model: SlideModel, slide: dict, data: dict, deck: dict, lang: str, texts: dict, ctx: dict
) -> None:
    params = slide["params"]
    meta = data["indicator"]
    areas = [params["area"], *[a for a in params.get("compare", []) if a != params["area"]]]
    names = {a: _name(data, a, lang) for a in areas}
    obs, targets = _obs(data), _targets(data)
    rank = {a: i for i, a in enumerate(areas)}
    obs = obs.sort_values("area", key=lambda s: s.map(rank), kind="stable")
    labels = None
    if params.get("source") == "all":
        info = data.get("sources") or {}
        labels = {c: short_source(info.get(c) or {"title": c}, 40, lang) for c in obs["source"]}
    fig = time_series(
        obs,
        meta,
        lang,
        targets=targets,
        area_names=names,
        mode=params.get("mode", "absolute"),
        source_labels=labels,
    )
    model.title = texts["title"] or _auto_title(meta, areas, data, lang)
    if len(areas) == 1:
        best = preferred(obs)
        model.subtitle = " ".join(summary(best, meta, lang, names)[:1])
    model.figure = _fig_json(projector(fig, 1790, 680 if model.subtitle else 740))
    model.figure_alt = t("pr.chart_alt", lang, title=model.title)
    model.sources = _sources_line(data, [*obs["source"], *targets["source"]], lang)


def _map_slide(
    model: SlideModel, slide: dict, data: dict, deck: dict, lang: str, texts: dict, ctx: dict
) -> None:
    params = slide["params"]
    meta, year = data["indicator"], data.get("year")
    level = params.get("level", "district")
    parent = params.get("parent", "430000000")
    units = data.get("units") or []
    names = {k: _name(data, k, lang) for k in units}
    values = _obs(data, "values")
    info = data.get("sources") or {}
    values = values.assign(
        source=[short_source(info.get(c) or {"title": c}, 50, lang) for c in values["source"]]
    )
    name = meta[f"name_{lang}"]
    caption = t(
        f"pr.map_caption_{level}", lang, indicator=name, year=year, parent=_name(data, parent, lang)
    )
    model.title = texts["title"] or caption
    if texts["title"]:
        model.subtitle = caption
    shapes = pd.DataFrame(data.get("boundaries") or [], columns=["area", "geojson"])
    highlight = params.get("highlight")
    if shapes.empty:
        model.message = t("pr.no_boundaries", lang)
    else:
        fig = maps.choropleth(values, shapes, names, meta, lang, year, highlight=highlight)
        fig.update_traces(
            colorbar={
                "tickfont": {"size": 24},
                "title": {"font": {"size": 24}},
                "thickness": 28,
                "tickformat": ",~f",
            },
            selector={"type": "choropleth"},
        )
        fig = projector(fig, 1150, 740 if not model.subtitle else 700)
        fig.update_layout(margin={"l": 0, "r": 0, "t": 10, "b": 0}, legend={"font": {"size": 24}})
        model.figure = _fig_json(fig)
        model.figure_alt = t("pr.map_alt", lang, title=caption)
    ranked = maps.ranking(values, units, names, meta, year)
    decimals, unit = decimals_of(meta), meta.get(f"unit_{lang}") or ""
    model.ranking_title = f"{t('pr.ranking', lang, year=year)}, {unit}"
    for r in ranked.head(12).to_dict("records"):
        no = pd.isna(r["rank"])
        model.ranking.append(
            (
                "–" if no else str(int(r["rank"])),
                r["name"],
                t("map.no_data", lang) if no else fmt_number(r["value"], lang, decimals),
                r["area"] == highlight,
            )
        )
    model.sources = _sources_line(data, list(_obs(data, "values")["source"]), lang)


def compare_year(values: pd.DataFrame, wanted: int | None = None) -> int | None:
    """``wanted`` if it has data, else the latest year in which the most areas have data."""
    if values.empty:
        return None
    counts = values.groupby("year")["area"].nunique()
    if wanted is not None and wanted in counts.index:
        return int(wanted)
    return int(counts[counts == counts.max()].index.max())


def _compare_slide(
    model: SlideModel, slide: dict, data: dict, deck: dict, lang: str, texts: dict, ctx: dict
) -> None:
    params = slide["params"]
    meta = data["indicator"]
    units = data.get("units") or []
    names = {k: _name(data, k, lang) for k in units}
    obs = _obs(data)
    year = compare_year(maps.shown(obs) if len(obs) else obs, params.get("year"))
    fig = compare_bars(obs, units, names, meta, lang, year, params.get("highlight"))
    caption = t(
        "pr.compare_caption",
        lang,
        indicator=meta[f"name_{lang}"],
        year=year,
        unit=meta.get(f"unit_{lang}") or "",
    )
    model.title = texts["title"] or caption
    if texts["title"]:
        model.subtitle = caption
    fig = projector(fig, 1790, 680 if model.subtitle else 740)
    fig.update_layout(margin={"l": 40, "r": 160, "t": 20, "b": 90})
    model.figure = _fig_json(fig)
    model.figure_alt = t("pr.chart_alt", lang, title=caption)
    used = obs[obs["year"] == year]["source"] if year is not None else obs["source"]
    model.sources = _sources_line(data, list(used), lang)


_BUILDERS = {
    "title": _title_slide,
    "target": _target_slide,
    "chart": _chart_slide,
    "map": _map_slide,
    "compare": _compare_slide,
    "text": _text_slide,
    "closing": _closing_slide,
}


# --- HTML --------------------------------------------------------------------------------


def _e(text: object) -> str:
    return html.escape(str(text), quote=True)


def render_slide(model: SlideModel, index: int, total: int, title: str, lang: str) -> str:
    """One slide as a <section>; its figure is drawn into ``#fig-<index>`` by the page."""
    n = index + 1
    label = t("pr.slide_label", lang, n=n, total=total, title=model.title)
    parts = [
        f'<section class="slide kind-{model.kind}" id="slide-{n}" data-index="{index}" '
        f'aria-label="{_e(label)}" aria-roledescription="slide">'
    ]
    heading = "h1" if model.kind in ("title", "closing") else "h2"
    parts.append(
        f'<header class="slide-head"><{heading} class="slide-title">{_e(model.title)}</{heading}>'
    )
    if model.subtitle:
        parts.append(f'<p class="slide-subtitle">{_e(model.subtitle)}</p>')
    parts.append("</header>")
    parts.append(f'<div class="slide-body">{_body(model, index)}</div>')
    if model.sources:
        parts.append(
            f'<p class="slide-sources"><span class="label">'
            f"{_e(t('word.sources', lang))}:</span> "
            f"{_e('; '.join(model.sources))}</p>"
        )
    as_of = f'<span class="as-of">{_e(model.as_of)}</span>' if model.as_of else "<span></span>"
    parts.append(
        f'<footer class="slide-foot"><span class="deck-title">{_e(title)}</span>'
        f'{as_of}<span class="slide-no">'
        f"{_e(t('pr.slide_no', lang, n=n, total=total))}</span></footer>"
    )
    parts.append("</section>")
    return "".join(parts)


def _body(model: SlideModel, index: int) -> str:
    out = []
    if model.message:
        out.append(f'<p class="slide-message" role="status">{_e(model.message)}</p>')
    side = []
    if model.facts:
        items = "".join(
            f'<div class="fact{" status-" + f.status if f.status else ""}">'
            f'<dt>{_e(f.label)}</dt><dd class="value">{_e(f.value)}</dd>'
            + (f'<dd class="note">{_e(f.note)}</dd>' if f.note else "")
            + "</div>"
            for f in model.facts
        )
        side.append(f'<dl class="facts">{items}</dl>')
    if model.ranking:
        rows = "".join(
            f'<li{" class=current" if cur else ""}><span class="rank">{_e(r)}</span>'
            f'<span class="name">{_e(nm)}</span><span class="value">{_e(v)}</span>'
            "</li>"
            for r, nm, v, cur in model.ranking
        )
        side.append(
            f'<div class="ranking"><p class="ranking-title">{_e(model.ranking_title)}'
            f"</p><ol>{rows}</ol></div>"
        )
    text = "".join(f"<p>{_e(p)}</p>" for p in model.paragraphs)
    if model.bullets:
        text += "<ul>" + "".join(f"<li>{_e(b)}</li>" for b in model.bullets) + "</ul>"
    if model.qr_svg:
        out.append(
            f'<div class="closing"><figure class="qr" role="img" '
            f'aria-label="{_e(model.figure_alt)}">{model.qr_svg}</figure>'
            f'<div class="closing-text">{text}<p class="link">{_e(model.link)}</p>'
            "</div></div>"
        )
        return "".join(out)
    figure = (
        (
            f'<div class="figure" id="fig-{index}" role="img" '
            f'aria-label="{_e(model.figure_alt)}"></div>'
        )
        if model.figure
        else ""
    )
    if figure and side:
        out.append(
            f'<div class="split"><div class="side">{"".join(side)}{text}</div>{figure}</div>'
        )
    else:
        out.append("".join(side) + (f'<div class="text">{text}</div>' if text else "") + figure)
    return "".join(out)


def _json_script(element_id: str, data: object) -> str:
    text = json.dumps(data, ensure_ascii=False, cls=PlotlyJSONEncoder, separators=(",", ":"))
    text = text.replace("</", "<\\/").replace("<!--", "<\\!--")
    return f'<script type="application/json" id="{element_id}">{text}</script>'


def client_strings(lang: str) -> dict[str, str]:
    """The words the page's script shows (controls, help, presenter view) in ``lang``."""
    keys = (
        "prev",
        "next",
        "fullscreen",
        "presenter",
        "help",
        "close",
        "current",
        "upcoming",
        "notes",
        "no_notes",
        "end",
        "timer",
        "pause",
        "resume",
        "reset",
        "clock",
    )
    return {k: t(f"pr.{k}", lang) for k in keys}


def document(
    deck: dict,
    models: list[SlideModel],
    lang: str,
    *,
    mode: str = "audience",
    start: int = 0,
    head: str = "",
    scripts: str = "",
    options: dict | None = None,
) -> str:
    """The HTML document presenting ``models``: every slide, the controls and help, the
    figures and notes as JSON for the page's script.

    ``mode``: "audience" or "presenter" (current and next slide, notes, timer); ``head``
    and ``scripts``: the tags of the style sheet and scripts (linked or inline); ``options``
    are passed to the script (URLs, Plotly config, export flag).
    """
    lang = lang if lang in LANGS else "kk"
    title = deck_title(deck, lang)
    total = len(models)
    start = max(0, min(start, total - 1)) if total else 0
    slides_html = "".join(render_slide(m, i, total, title, lang) for i, m in enumerate(models))
    config = {
        "slug": deck["slug"],
        "title": title,
        "lang": lang,
        "mode": mode,
        "start": start,
        "total": total,
        "strings": client_strings(lang),
        "titles": [m.title for m in models],
        "notes": [m.notes for m in models],
        "figures": [m.figure for m in models],
        "plotlyConfig": {
            **OFFLINE_PLOTLY_CONFIG,
            "staticPlot": True,
            "displayModeBar": False,
            "responsive": False,
            "locale": lang if lang in ("ru", "kk") else "en",
            "locales": plotly_locales(),
        },
    }
    options = dict(options or {})
    config["plotlyConfig"].update(options.pop("plotlyConfig", {}))
    config.update(options)
    help_items = "".join(
        f"<li>{_e(t(f'pr.key_{k}', lang))}</li>"
        for k in ("next", "prev", "ends", "full", "presenter", "black", "help")
    )
    s = client_strings(lang)
    controls = (
        '<nav class="controls" aria-label="controls">'
        f'<button type="button" data-action="prev" aria-label="{_e(s["prev"])}" '
        f'title="{_e(s["prev"])}">◀</button>'
        f'<span class="counter" aria-live="polite"></span>'
        f'<button type="button" data-action="next" aria-label="{_e(s["next"])}" '
        f'title="{_e(s["next"])}">▶</button>'
        f'<button type="button" data-action="fullscreen" aria-label="{_e(s["fullscreen"])}" '
        f'title="{_e(s["fullscreen"])}">⛶</button>'
        f'<button type="button" data-action="presenter" aria-label="{_e(s["presenter"])}" '
        f'title="{_e(s["presenter"])}">▤</button>'
        f'<button type="button" data-action="help" aria-label="{_e(s["help"])}" '
        f'title="{_e(s["help"])}">?</button></nav>'
    )
    help_box = (
        f'<div class="help" id="help" role="dialog" aria-label="{_e(s["help"])}" hidden>'
        f"<h2>{_e(s['help'])}</h2><ul>{help_items}</ul>"
        f'<button type="button" data-action="help">{_e(s["close"])}</button></div>'
    )
    return (
        f'<!DOCTYPE html>\n<html lang="{lang}"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{_e(title)}</title>{head}</head>"
        f'<body class="present mode-{_e(mode)}">'
        f'<main class="viewport" id="viewport"><div class="deck" id="deck">{slides_html}'
        "</div></main>"
        f'<div class="blackout" id="blackout" hidden></div>{controls}{help_box}'
        f"{_json_script('deck-config', config)}{scripts}</body></html>"
    )


def static_text(name: str) -> str:
    """The text of a file of the present page (present.css, present.js)."""
    return (STATIC_DIR / name).read_text(encoding="utf-8")
