"""The district profile report: one area's headline indicators, targets and sources, as a
Word document (.docx) or an HTML page that prints to PDF.

Like :mod:`views.charts`, this module reads the store: it is the glue between an area
and the pure pieces (the status method, the figure builders, the number formats). Figures
are the stored ones, formatted with the indicator's decimals; nothing is estimated here.
"""

from __future__ import annotations

import base64
import datetime as dt
import html
import io
import logging
from dataclasses import dataclass, field

import pandas as pd

from components import status as st
from components import target_text as tt
from components.figures import preferred, time_series
from components.i18n import LANGS, decimals_of, fmt_date, fmt_number, fmt_percent, t
from components.kinds import is_rate
from store import queries
from store.area_labels import area_label
from views import report_meta as meta_

log = logging.getLogger(__name__)

COUNTRY = "000000000"
FORMATS = ("docx", "pdf")
CHANGE_YEARS = 5  # change since the value five years before the latest (else the first)
MAX_CHARTS = 4


class ReportError(ValueError):
    """A parameter the report cannot use: ``name`` is the parameter, the text says why."""

    def __init__(self, name: str, message: str) -> None:
        super().__init__(f"{name}: {message}")
        self.name = name
        self.message = message


@dataclass
class Line:
    """One headline indicator: the area's latest value and the comparisons."""

    code: str
    name: str
    unit: str
    year: int
    value: str
    raw: float
    change: str
    oblast: str
    country: str
    source: str


@dataclass
class TargetLine:
    program: str
    indicator: str
    target: str
    year: int
    status: str
    status_text: str
    pace: list[str]


@dataclass
class Report:
    area: str
    name: str
    lang: str
    year: int | None
    made: dt.datetime
    oblast_name: str | None
    country_name: str
    lines: list[Line] = field(default_factory=list)
    targets: list[TargetLine] = field(default_factory=list)
    charts: list[tuple[str, bytes]] = field(default_factory=list)
    sources: list[dict] = field(default_factory=list)

    @property
    def as_of(self) -> int | None:
        """The year of the report's latest figure (not the date of the build)."""
        return meta_.latest_year([line.year for line in self.lines])

    @property
    def title(self) -> str:
        return t("rep.title", self.lang, area=self.name)


def parse(params: dict) -> tuple[str, str, int | None, str]:
    """(area, lang, year, format) from request parameters; raises :class:`ReportError`."""
    area = (params.get("area") or "").strip()
    if not area:
        raise ReportError("area", "give the area's 9-digit KATO code, e.g. area=433200000")
    kato = queries.resolve_area(area)
    if kato is None:
        raise ReportError("area", f"unknown area {area!r}; give a 9-digit KATO code")
    lang = (params.get("lang") or "kk").strip()
    if lang not in LANGS:
        raise ReportError("lang", f"unknown language {lang!r}; use one of {', '.join(LANGS)}")
    year = (params.get("year") or "").strip() or None
    if year is not None:
        try:
            year = int(year)
        except ValueError:
            raise ReportError("year", f"{year!r} is not a year") from None
        if not 1900 <= year <= 2100:
            raise ReportError("year", f"{year} is out of range (1900–2100)")
    fmt = (params.get("format") or "docx").strip()
    if fmt not in FORMATS:
        raise ReportError("format", f"unknown format {fmt!r}; use one of {', '.join(FORMATS)}")
    return kato, lang, year, fmt


def _series(code: str, kato: str, year: int | None) -> pd.DataFrame:
    obs = queries.observations(code, kato)
    obs = obs[obs["series"] == ""] if len(obs) else obs
    if year is not None and len(obs):
        obs = obs[obs["year"] <= year]
    return obs.sort_values("year", kind="stable")


def _value_in(code: str, kato: str | None, year: int, meta: dict, lang: str) -> str:
    obs = _series(code, kato, year) if kato else pd.DataFrame()
    hit = obs[obs["year"] == year] if len(obs) else obs
    if hit.empty:
        return "–"
    best = preferred(hit).iloc[0]
    text = fmt_number(float(best["value"]), lang, decimals_of(meta))
    return meta_.comparison(text, str(best["status"]), best.get("note"), lang)


def build(kato: str, lang: str, year: int | None = None, *, charts: bool = True) -> Report:
    """The profile of area ``kato`` in ``lang``, with values up to ``year`` (default: all)."""
    info = queries.area(kato)
    if info is None:
        raise ReportError("area", f"unknown area {kato!r}")
    parent = info.get("parent")
    oblast = parent if parent and parent != COUNTRY else None
    oblast_info = queries.area(oblast) if oblast else None
    country = queries.area(COUNTRY)
    report = Report(
        area=kato,
        name=area_label(kato, lang),
        lang=lang,
        year=year,
        made=meta_.now(),
        oblast_name=oblast_info[f"name_{lang}"] if oblast_info else None,
        country_name=country[f"name_{lang}"] if country else COUNTRY,
    )
    catalogue = queries.indicators().set_index("code")
    targets = queries.targets(area_code=kato)
    have = set(queries.area_indicators(kato)["indicator"])
    codes = meta_.report_codes(kato, have, list(targets["indicator"]))
    used_sources: list[str] = []
    for code in codes:
        meta = catalogue.loc[code].to_dict() | {"code": code}
        obs = _series(code, kato, year)
        if obs.empty:
            continue
        line = _line(code, meta, obs, kato if kato != COUNTRY else None, oblast, lang)
        report.lines.append(line)
        used_sources.append(line.source)
        if charts and len(report.charts) < MAX_CHARTS and obs["year"].nunique() > 1:
            report.charts.append((meta[f"name_{lang}"], _chart(obs, meta, lang)))
    for tg in targets.sort_values(["indicator", "target_year"]).itertuples():
        meta = catalogue.loc[tg.indicator].to_dict()
        obs = _series(tg.indicator, kato, year)
        report.targets.append(_target_line(tg, meta, obs, lang, year))
        used_sources.append(tg.source)
    report.sources = [queries.source(c) or {"code": c} for c in dict.fromkeys(used_sources)]
    return report


def _line(
    code: str, meta: dict, obs: pd.DataFrame, kato: str | None, oblast: str | None, lang: str
) -> Line:
    decimals, unit = decimals_of(meta), meta[f"unit_{lang}"]
    last = obs.iloc[-1]
    latest_year, latest = int(last["year"]), float(last["value"])
    earlier = obs[obs["year"] <= latest_year - CHANGE_YEARS]
    base = earlier.iloc[-1] if len(earlier) else obs.iloc[0]
    change = "–"
    then = float(base["value"])
    if int(base["year"]) < latest_year and is_rate(meta):  # a share or rate
        pp = latest - then
        change = t(
            "rep.change_pp",
            lang,
            year=int(base["year"]),
            pp=("+" if pp > 0 else "") + fmt_number(pp, lang, 1),
        )
    elif int(base["year"]) < latest_year and then:
        pct = (latest / then - 1) * 100
        change = t(
            "rep.change_since",
            lang,
            year=int(base["year"]),
            pct=("+" if pct > 0 else "") + fmt_percent(pct / 100, lang, 1),
        )
    flag = "" if last["status"] == "actual" else f" ({t('obs.' + last['status'], lang)})"
    return Line(
        code=code,
        name=meta[f"name_{lang}"],
        unit=unit,
        year=latest_year,
        value=fmt_number(latest, lang, decimals) + flag,
        raw=latest,
        change=change,
        oblast=_value_in(code, oblast, latest_year, meta, lang),
        country=_value_in(code, COUNTRY if kato else None, latest_year, meta, lang),
        source=str(last["source"]),
    )


def _target_line(
    tg: object, meta: dict, obs: pd.DataFrame, lang: str, today: int | None
) -> TargetLine:
    a = tt.judge(obs, tg, today)
    unit, decimals = meta[f"unit_{lang}"], decimals_of(meta)
    under = tt.details(a, tg, lang, unit, decimals, paces=False)  # benchmark, reading judged on
    return TargetLine(
        program=getattr(tg, f"program_{lang}", None) or tg.program,
        indicator=meta[f"name_{lang}"],
        target=f"{t(f'cmp.{tg.comparator}', lang)} {fmt_number(tg.value, lang, decimals)} {unit}",
        year=int(tg.target_year),
        status=a.status,
        status_text="\n".join([tt.badge_line(a, lang), *(text for text, _ in under)]),
        pace=[
            (f"{label}: {value}" if value else label)
            + (f" ({t('pace.decides', lang)})" if decides else "")
            for label, value, decides in st.pace_lines(a, lang, unit)
        ],
    )


def _chart(obs: pd.DataFrame, meta: dict, lang: str) -> bytes:
    """A small line chart of the area's series as PNG (kaleido, offline)."""
    from api.export_images import figure_image  # the one image renderer of the app

    best = preferred(obs)  # no legend: the main series alone, no unnamed "annual mean"
    fig = time_series(best[best["series"] == ""] if len(best) else best, meta, lang, height=300)
    fig.update_layout(title=None, showlegend=False, margin={"l": 60, "r": 20, "t": 20, "b": 40})
    return figure_image(fig, "png", 2, width=640, height=300)


# --- rendering ----------------------------------------------------------------------------


def _head(lang: str) -> list[str]:
    return [
        t("rep.indicator", lang),
        t("word.year", lang),
        t("rep.latest", lang),
        t("rep.change", lang),
    ]


def _rows(report: Report) -> tuple[list[str], list[list[str]]]:
    lang = report.lang
    head = _head(lang)
    if report.oblast_name:
        head.append(report.oblast_name)
    head.append(report.country_name)
    rows = []
    for line in report.lines:
        row = [meta_.row_label(line.name, line.unit), str(line.year), line.value, line.change]
        if report.oblast_name:
            row.append(line.oblast)
        row.append(line.country)
        rows.append(row)
    return head, rows


def _target_rows(report: Report) -> tuple[list[str], list[list[str]]]:
    lang = report.lang
    head = [
        t("rep.program", lang),
        t("rep.indicator", lang),
        t("rep.target", lang),
        t("word.year", lang),
        t("word.status", lang),
        t("rep.pace", lang),
    ]
    rows = [
        [tg.program, tg.indicator, tg.target, str(tg.year), tg.status_text, "; ".join(tg.pace)]
        for tg in report.targets
    ]
    return head, rows


def _source_text(s: dict, lang: str) -> str:
    copy = s.get("copy_address")
    copy = f"{t('dl.copy_address', lang)}: {copy}" if copy and not pd.isna(copy) else None
    parts = [s.get("title") or s.get("code"), s.get("publisher"), s.get("address"), copy]
    licence = s.get("license")
    text = ". ".join(str(p) for p in parts if p and not pd.isna(p))
    return f"{text}. {licence}" if licence and not pd.isna(licence) else text


def _subtitle(report: Report) -> str:
    lang = report.lang
    bits = [t("cmp.prepared", lang, date=fmt_date(report.made.date(), lang))]
    if report.as_of is not None:
        bits.insert(0, t("cmp.as_of", lang, year=report.as_of))
    if report.year is not None:
        bits.append(t("rep.up_to", lang, year=report.year))
    return " · ".join(bits)


def to_docx(report: Report) -> bytes:
    """The report as a Word document."""
    from docx import Document
    from docx.shared import Cm, Pt

    lang = report.lang
    doc = Document()
    style = doc.styles["Normal"]
    style.font.name = "Liberation Sans"
    style.font.size = Pt(10)
    meta_.docx_properties(doc, report.title, lang, report.made)
    doc.add_heading(report.title, level=1)
    doc.add_paragraph(_subtitle(report))
    doc.add_heading(t("rep.headline", lang), level=2)
    if report.lines:
        _docx_table(doc, *_rows(report))
        doc.add_paragraph(t("cmp.columns_note", lang))
    else:
        doc.add_paragraph(t("rep.no_data", lang))
    doc.add_heading(t("rep.targets", lang), level=2)
    if report.targets:
        _docx_table(doc, *_target_rows(report))
        doc.add_paragraph(t("rep.method", lang))
    else:
        doc.add_paragraph(t("rep.no_targets", lang))
    if report.charts:
        doc.add_heading(t("rep.charts", lang), level=2)
        for title, png in report.charts:
            doc.add_paragraph(title)
            doc.add_picture(io.BytesIO(png), width=Cm(15))
    doc.add_heading(t("rep.sources", lang), level=2)
    for s in report.sources:
        doc.add_paragraph(_source_text(s, lang), style="List Bullet")
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


def _docx_table(doc: object, head: list[str], rows: list[list[str]]) -> None:
    table = doc.add_table(rows=1, cols=len(head))
    table.style = "Table Grid"
    for cell, text in zip(table.rows[0].cells, head, strict=True):
        cell.text = text
        for run in cell.paragraphs[0].runs:
            run.bold = True
    for row in rows:
        cells = table.add_row().cells
        for cell, text in zip(cells, row, strict=True):
            cell.text = text


def to_html(report: Report) -> str:
    """The report as one self-contained HTML page (A4, for printing to PDF)."""
    lang = report.lang
    e = html.escape

    def table(head: list[str], rows: list[list[str]]) -> str:
        th = "".join(f"<th>{e(h)}</th>" for h in head)
        body = "".join(
            "<tr>" + "".join(f"<td>{e(c).replace(chr(10), '<br>')}</td>" for c in r) + "</tr>"
            for r in rows
        )
        return f"<table><thead><tr>{th}</tr></thead><tbody>{body}</tbody></table>"

    parts = [f"<h1>{e(report.title)}</h1>", f"<p>{e(_subtitle(report))}</p>"]
    parts.append(f"<h2>{e(t('rep.headline', lang))}</h2>")
    parts.append(table(*_rows(report)) if report.lines else f"<p>{e(t('rep.no_data', lang))}</p>")
    parts += [f"<p>{e(t('cmp.columns_note', lang))}</p>"] if report.lines else []
    parts.append(f"<h2>{e(t('rep.targets', lang))}</h2>")
    if report.targets:
        parts.append(table(*_target_rows(report)))
        parts.append(f"<p>{e(t('rep.method', lang))}</p>")
    else:
        parts.append(f"<p>{e(t('rep.no_targets', lang))}</p>")
    if report.charts:
        parts.append(f"<h2>{e(t('rep.charts', lang))}</h2>")
        for title, png in report.charts:
            data = base64.b64encode(png).decode()
            parts.append(
                f'<figure><img src="data:image/png;base64,{data}" alt="{e(title)}">'
                f"<figcaption>{e(title)}</figcaption></figure>"
            )
    parts.append(f"<h2>{e(t('rep.sources', lang))}</h2><ul>")
    parts += [f"<li>{e(_source_text(s, lang))}</li>" for s in report.sources]
    parts.append("</ul>")
    style = (
        "@page{size:A4;margin:15mm}body{font-family:'Liberation Sans',Arial,sans-serif;"
        "font-size:10pt;color:#1a1a1a;margin:0}h1{font-size:16pt}h2{font-size:13pt;"
        "margin-top:1.2em}table{border-collapse:collapse;width:100%}th,td{border:1px solid "
        "#999;padding:3px 5px;vertical-align:top;text-align:left}figure{break-inside:avoid;"
        "margin:0 0 1em}img{width:15cm}"
    )
    return (
        f'<!doctype html><html lang="{lang}"><head><meta charset="utf-8">'
        f"<title>{e(report.title)}</title><style>{style}</style></head>"
        f"<body>{''.join(parts)}</body></html>"
    )


def filename(report: Report, fmt: str) -> str:
    """'profile-433200000-ru-2023.docx'."""
    year = f"-{report.year}" if report.year is not None else ""
    return f"profile-{report.area}-{report.lang}{year}.{fmt}"


def areas_for(kato: str) -> list[str]:
    """The areas a batch report covers: an oblast's districts and cities, else the area."""
    info = queries.area(kato)
    if info is None:
        raise ReportError("area", f"unknown area {kato!r}")
    if info.get("parent") == COUNTRY or kato == COUNTRY:
        kids = queries.areas(parent=kato)
        kids = kids[kids["valid_to"].isna()]
        return list(kids["kato"])
    return [kato]
