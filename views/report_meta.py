"""What the district report says about itself and its rows: which indicators it holds, the
date its figures are as of, its dates in the reader's language, its page size and document
properties (the dashboard, not the library that wrote the file), and a row's label with its
unit said once.
"""

from __future__ import annotations

import datetime as dt
import io

import pandas as pd

from components.i18n import t
from views.headlines import HEADLINES

A4_MM = (210, 297)
# How the ETL's note of an oblast's sum of its districts begins (etl/adapters/bns_oblast_sums.py).
SUM_NOTE = "derived: the sum of the figures"
# The indicators a report compares with the oblast and the country, in this order, after the
# area's own headline indicators (those of its Overview) and before those with targets.
COMPARED = (
    "population",
    "industrial_output",
    "agri_output_gross",
    "agri_output_agriculture",
    "investment_fixed_capital",
    "retail_trade",
    "employed",
    "unemployment_rate",
    "wage_nominal_monthly",
    "air_emissions_stationary",
    "env_protection_expenditure",
    "fish_processed",
    "salt_extraction",
)


def report_codes(kato: str, have: set[str], with_targets: list[str]) -> list[str]:
    """The report's indicators: the area's headline ones, the compared ones, then those with
    targets, each once and only where the area has figures."""
    order = [*HEADLINES.get(kato, ()), *COMPARED, *with_targets]
    return [c for c in dict.fromkeys(order) if c in have]


def now() -> dt.datetime:
    """The time the document is made (UTC, whole seconds)."""
    return dt.datetime.now(dt.UTC).replace(microsecond=0)


def row_label(name: str, unit: str) -> str:
    """'Population, thousand persons'; the name alone when it already says its unit."""
    if not unit or unit.casefold() in name.casefold():
        return name
    return f"{name}, {unit}"


def comparison(value: str, status: str | None, note: str | None, lang: str) -> str:
    """A comparison column's figure, flagged when it is not the Bureau's figure as printed:
    an oblast's sum of its districts, a bulletin's preliminary figure, an estimate."""
    if not status or status == "actual" or value == "–":
        return value
    note = str(note or "")
    if status == "derived" and note.startswith(SUM_NOTE):
        flag = t("cmp.derived_short", lang)
    elif status == "derived" and "preliminary" in note:
        flag = t("obs.provisional", lang)
    else:
        flag = t(f"obs.{status}", lang)
    return f"{value} ({flag})"


def docx_properties(doc: object, title: str, lang: str, made: dt.datetime) -> None:
    """A4 portrait pages and the core properties: title, the dashboard as author, dates."""
    from docx.shared import Mm

    for section in doc.sections:
        section.page_width, section.page_height = Mm(A4_MM[0]), Mm(A4_MM[1])
        section.left_margin = section.right_margin = Mm(20)
    props = doc.core_properties
    props.title = title
    props.language = lang
    props.author = props.last_modified_by = t("app.title", lang)
    props.comments = t("cmp.made_by", lang, app=t("app.title", lang))
    naive = made.replace(tzinfo=None)  # python-docx writes naive datetimes as UTC
    props.created = props.modified = naive
    props.revision = 1


def pdf_properties(pdf: bytes, title: str, lang: str, made: dt.datetime) -> bytes:
    """The PDF with its document information naming the dashboard (not the browser that
    printed it), its title, language and dates."""
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(pdf)))
    stamp = made.strftime("D:%Y%m%d%H%M%SZ")
    app = t("app.title", lang)
    writer.add_metadata(
        {
            "/Title": title,
            "/Author": app,
            "/Creator": app,
            "/Producer": app,
            "/CreationDate": stamp,
            "/ModDate": stamp,
        }
    )
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def latest_year(years: list[int]) -> int | None:
    """The year of the report's latest figure, or None without figures."""
    years = [int(y) for y in years if y is not None and not pd.isna(y)]
    return max(years) if years else None
