"""The Excel template of an area (``GET /submit/template``): its indicators with units, the
last years' figures filled in, and a source sheet; :func:`etl.submission.read_workbook`
reads it back."""

from __future__ import annotations

import datetime as dt
import io

import pandas as pd
from openpyxl import Workbook
from openpyxl.styles import Font

from api.submit_pages import area_name
from api.submit_preview import held
from components.i18n import t
from etl import submission as sub
from store import queries

TEMPLATE_YEARS = 5


def indicators_of(kato: str) -> pd.DataFrame:
    """The indicators with figures for the area, with their catalogue entries."""
    have = queries.area_indicators(kato)
    cat = queries.indicators()
    return cat[cat["code"].isin(set(have["indicator"]))].sort_values("code")


def template_bytes(kato: str, lang: str, organisation: str) -> bytes:
    """The Excel template of an area: indicators, units, the last years' figures (the
    organisation's own, else those the dashboard shows), a source sheet. Headers in ``lang``;
    any of kk/ru/en is read back."""
    wb = Workbook()
    ws = wb.active
    ws.title = sub.SHEET_NAMES["data"][lang]
    this_year = dt.date.today().year
    years = list(range(this_year - TEMPLATE_YEARS + 1, this_year + 1))
    keys = ["indicator", "name", "unit", "area", "area_name"]
    ws.append([sub.HEADERS[k][lang] for k in keys] + years + [sub.HEADERS["note"][lang]])
    for cell in ws[1]:
        cell.font = Font(bold=True)
    inds = indicators_of(kato)
    shown = held({(c, kato) for c in inds["code"]}, organisation)
    name = area_name(kato, lang)
    for r in inds.to_dict("records"):
        values = [shown.get((r["code"], kato, "", y), {}).get("value") for y in years]
        ws.append([r["code"], r[f"name_{lang}"], r[f"unit_{lang}"], kato, name, *values, None])
    widths = [28, 50, 18, 14, 24] + [10] * len(years) + [30]
    for i, w in enumerate(widths, start=1):
        ws.column_dimensions[ws.cell(1, i).column_letter].width = w
    ws.freeze_panes = "F2"
    src = wb.create_sheet(sub.SHEET_NAMES["source"][lang])
    defaults = {"publisher": organisation, "as_of": dt.date.today().isoformat()}
    for key, labels in sub.SOURCE_FIELDS.items():
        src.append([labels[lang], defaults.get(key)])
    src.append([])
    src.append([t("sub.source_help", lang)])
    src.column_dimensions["A"].width = 30
    src.column_dimensions["B"].width = 70
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()
