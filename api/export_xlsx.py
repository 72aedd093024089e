"""Data as an Excel workbook: the rows on a "data" sheet, what they are and where they
come from on a "metadata" sheet, labelled in the export's language."""

from __future__ import annotations

import io
import re
from typing import Any

import pandas as pd

from api import export_package
from api.exports import plain
from components.i18n import strings, t


def _metadata_rows(
    meta: dict[str, Any], df: pd.DataFrame | None = None
) -> list[tuple[str, list[Any]]]:
    """The metadata sheet as (kind, cells): "field" label/value pairs, then small tables
    (the data sheet's columns, areas, sources, notes, targets), each a "heading", a "header"
    and its "row"s; labels in the export's language. The columns and sources say what the
    CSV's datapackage.json says (:mod:`api.export_package`)."""
    lang = meta["lang"]

    def L(key: str) -> str:  # noqa: N802
        return t(f"dl.sheet.{key}", lang)

    ind = meta["indicator"]
    first, last = meta["years"]["first"], meta["years"]["last"]
    fields = [
        ("title", meta["title"]),
        ("indicator", ind["name"]),
        ("code", ind["code"]),
        ("unit", meta["unit"]),
        ("description" if lang == "en" else "description_en", ind.get("description")),
        ("years", first if first == last else f"{first}–{last}"),
        ("mode", meta.get("mode_label") or t("mode.absolute", lang)),
        ("source_mode", L(f"source_mode.{meta.get('source_mode', 'preferred')}")),
        ("exported", meta["exported"]),
        ("data_version", meta.get("data_version")),
        ("url", meta.get("url")),
        ("citation", meta.get("citation")),
    ]
    rows: list[tuple[str, list[Any]]] = [("field", [L(k), v]) for k, v in fields]
    rows.append(("field", ["BibTeX", meta.get("bibtex")]))

    def table(key: str, header: list[str], body: list[list[Any]]) -> None:
        rows.extend([("blank", []), ("heading", [L(key)]), ("header", header)])
        rows.extend(("row", r) for r in body)

    if df is not None:
        fields = export_package.datapackage(df, meta, "data")["resources"][0]["schema"]
        table(
            "columns",
            [L("column"), L("type"), L("name"), L("description")],
            [
                [f["name"], f["type"], f.get("title"), f.get("description") or f.get("unit")]
                for f in fields["fields"]
            ],
        )
    table(
        "areas",
        [L("code"), L("name"), L("level")],
        [[a["kato"], a["name"], _level(a["level"], lang)] for a in meta["areas"]],
    )
    table(
        "sources",
        [
            L("code"),
            L("title"),
            L("publisher"),
            L("address"),
            L("copy_address"),
            L("license"),
            L("tier"),
            L("retrieved"),
        ],
        [
            [
                s["code"],
                s["title"],
                s["publisher"],
                s["address"],
                s.get("copy_address"),
                s["license"] or L("license_none"),
                f"{s['tier']} — {s['tier_label']}" if s.get("tier_label") else s.get("tier"),
                s["retrieved"],
            ]
            for s in meta["sources"]
        ],
    )
    if meta.get("notes"):
        table(
            "notes",
            [L("where"), L("note"), L("excerpt"), L("location"), t("word.source", lang)],
            [
                [n["where"], n["note"], n["excerpt"], n["location"], n["source"]]
                for n in meta["notes"]
            ],
        )
    if meta.get("revisions"):
        table(
            "revisions",
            [
                t("word.area", lang),
                t("word.year", lang),
                t("word.source", lang),
                L("revised_at"),
                L("old_value"),
                L("new_value"),
            ],
            [
                [
                    r["area"] + (f" — {r['series']}" if r["series"] else ""),
                    r["year"],
                    r["source"],
                    r["revised_at"][:10],
                    r["old_value"],
                    r["new_value"] if r["kind"] == "revised" else t("ch.kind.withdrawn", lang),
                ]
                for r in meta["revisions"]
            ],
        )
    table("codes", [L("column"), L("value_code"), L("meaning")], _code_rows(meta, lang))
    if meta.get("targets"):
        table(
            "targets",
            [
                t("word.area", lang),
                L("program"),
                L("target_year"),
                L("target"),
                L("status"),
                t("word.source", lang),
            ],
            [
                [
                    tg["area"],
                    tg["program_name"],
                    tg["target_year"],
                    f"{tg['comparator']} {tg['value']!r}",
                    tg.get("status_label"),
                    tg["source"],
                ]
                for tg in meta["targets"]
            ],
        )
    return rows


def _level(level: object, lang: str) -> object:
    """An area level ("district") in ``lang``, its code after it: "район (district)"."""
    if not isinstance(level, str) or f"dl.level.{level}" not in strings():
        return level
    text = t(f"dl.level.{level}", lang)
    return text if lang == "en" else f"{text} ({level})"


def _code_rows(meta: dict[str, Any], lang: str) -> list[list[Any]]:
    """What the data sheet's codes mean, in ``lang``: status, year_approx and the levels."""
    rows: list[list[Any]] = [
        ["status", s, t(f"obs.{s}", lang)] for s in ("actual", "estimate", "derived", "provisional")
    ]
    rows += [
        ["year_approx", str(v), t(f"dl.year_approx.{str(v).lower()}", lang)] for v in (True, False)
    ]
    levels = dict.fromkeys(a.get("level") for a in meta.get("areas", []) if a.get("level"))
    rows += [
        ["level", lv, t(f"dl.level.{lv}", lang)] for lv in levels if f"dl.level.{lv}" in strings()
    ]
    return rows


def to_xlsx(df: pd.DataFrame, meta: dict[str, Any]) -> bytes:
    """An Excel workbook: sheet "data" (the rows, numbers as numbers) and sheet
    "metadata" (indicator, unit, areas, every source with address and license, notes,
    export date, URL, citation)."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font

    wb = Workbook()
    data = wb.active
    data.title = "data"
    data.append(list(df.columns))
    for row in df.itertuples(index=False):
        data.append([plain(v) for v in row])
    for cell in data[1]:
        cell.font = Font(bold=True)
    data.freeze_panes = "A2"
    data.auto_filter.ref = data.dimensions
    widths = {"area_name": 28, "source": 32, "note": 60, "status": 11, "unit": 24}
    for i, name in enumerate(df.columns, start=1):
        data.column_dimensions[data.cell(1, i).column_letter].width = widths.get(name, 13)

    sheet = wb.create_sheet("metadata")
    for kind, cells in _metadata_rows(meta, df):
        sheet.append([plain(v) for v in cells])
        for cell in sheet[sheet.max_row] if cells else ():
            cell.alignment = Alignment(wrap_text=True, vertical="top")
            if kind in ("heading", "header") or (kind == "field" and cell.column == 1):
                cell.font = Font(bold=True, size=13 if kind == "heading" else 11)
            if isinstance(cell.value, str) and re.fullmatch(r"https?://\S+", cell.value):
                cell.hyperlink = cell.value
    for col, width in zip("ABCDEFG", (26, 60, 40, 40, 30, 30, 30), strict=True):
        sheet.column_dimensions[col].width = width
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()
