"""Everything: the database as a zip of CSV tables, GeoJSON boundaries, a metadata file,
a README with the citation and every source's license, and the SQLite file itself."""

from __future__ import annotations

import datetime as dt
import io
import json
import tempfile
import zipfile
from pathlib import Path
from typing import Any

from api.export_chart import sources_meta
from api.export_citation import bibtex, citation
from api.export_csv import to_csv
from api.exports import BOUNDARY_ATTRIBUTION, PROJECT, slug, utc_now
from components.geo import feature_collection
from components.i18n import LANGS, t
from store import queries, schema


def _column_meta(column: Any) -> dict[str, Any]:
    return {
        "name": column.name,
        "type": str(column.type),
        "nullable": bool(column.nullable),
        "primary_key": bool(column.primary_key),
        "comment": column.comment,
    }


def _readme(meta: dict[str, Any], url: str | None) -> str:
    files = [
        ("README.txt", "this file"),
        ("metadata.json", "every table's columns (type, description) and row count"),
        *[(tb["file"], f"{tb['rows']} rows") for tb in meta["tables"] if tb["file"]],
        *[
            (b["file"], f"{b['features']} areas ({b['level']}, {b['vintage']})")
            for b in meta["boundaries"]
        ],
    ]
    if meta.get("database"):
        files.append((meta["database"], "the SQLite database itself (open with sqlite3)"))
    lines = [
        meta["title"],
        "=" * len(meta["title"]),
        "",
        f"Exported: {meta['exported']}   Data version: {meta['data_version']}",
        f"From: {url}" if url else "",
        "",
        "District and oblast economic and ecological indicators of Kazakhstan with their",
        "sources and the government program targets they are measured against. Where",
        "sources disagree every reading is kept with its source (see observations.source).",
        "",
        "Files",
        "-----",
        *[f"{name:<36} {what}" for name, what in files],
        "",
        "CSV files are UTF-8 with a byte-order mark, comma-separated, one header row;",
        "areas are joined on their 9-digit KATO code; numbers are written exactly as stored.",
        "",
        "How to cite",
        "-----------",
        *[meta["citations"][lang] for lang in ("en", "ru", "kk")],
        "",
        "BibTeX:",
        meta["bibtex"],
        "Licenses and sources",
        "--------------------",
        "The figures remain under the terms of their sources; each is listed below with its",
        'address and license ("not stated" where the source gives none: cite the',
        "publisher).",
        "",
        BOUNDARY_ATTRIBUTION,
        "",
    ]
    for s in meta["sources"]:
        tier = f"{s['tier']} ({s['tier_label']})" if s.get("tier_label") else s.get("tier")
        lines += [
            f"* {s['code']}: {s['title']}",
            f"  Publisher: {s['publisher']}",
            f"  Address:   {s.get('address') or '-'}",
            *([f"  Copy read: {s['copy_address']}"] if s.get("copy_address") else []),
            f"  License:   {s.get('license') or 'not stated'}",
            f"  Tier:      {tier or '-'}",
            "",
        ]
    return "\n".join(lines)


def data_archive(*, url: str | None = None, exported: dt.datetime | None = None) -> bytes:
    """A zip of every table as CSV (boundaries as GeoJSON, one file per level and
    vintage), ``metadata.json``, ``README.txt`` (citation and every source's license) and,
    when the database is SQLite, the database file itself."""
    exported = exported or utc_now()
    buf = io.BytesIO()
    tables, boundaries = [], []
    with zipfile.ZipFile(buf, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        for tb in schema.public_tables():
            df = queries.table(tb.name)
            if tb.name == "boundaries":
                areas = queries.table("areas").set_index("kato")
                for (level, vintage), g in df.groupby(["level", "vintage"], sort=True):
                    g = g.assign(**{f"name_{k}": g["area"].map(areas[f"name_{k}"]) for k in LANGS})
                    name = f"boundaries/{level}_{int(vintage)}.geojson"
                    zf.writestr(name, json.dumps(feature_collection(g), ensure_ascii=False))
                    boundaries.append(
                        {"file": name, "level": level, "vintage": int(vintage), "features": len(g)}
                    )
                tables.append(
                    {
                        "name": tb.name,
                        "rows": len(df),
                        "file": None,
                        "comment": "exported as GeoJSON under boundaries/",
                        "columns": [_column_meta(c) for c in tb.columns],
                    }
                )
                continue
            zf.writestr(f"tables/{tb.name}.csv", to_csv(df))
            tables.append(
                {
                    "name": tb.name,
                    "rows": len(df),
                    "file": f"tables/{tb.name}.csv",
                    "columns": [_column_meta(c) for c in tb.columns],
                }
            )
        db_name = None
        with tempfile.TemporaryDirectory() as tmp:
            copy = Path(tmp) / "indicators.db"
            if queries.copy_sqlite(str(copy)):
                db_name = "indicators.db"
                zf.write(copy, db_name)
        sources = queries.table("sources")
        meta: dict[str, Any] = {
            "title": t("dl.title_all", "en"),
            "exported": exported.isoformat(),
            "data_version": queries.data_version(),
            "url": url,
            "database": db_name,
            "tables": tables,
            "boundaries": boundaries,
            "boundaries_attribution": BOUNDARY_ATTRIBUTION,
            "sources": sources_meta(list(sources["code"]), "en"),
        }
        meta["citations"] = {
            lang: citation(meta | {"title": t("dl.title_all", lang)}, lang, url, exported)
            for lang in LANGS
        }
        meta["citation"] = meta["citations"]["en"]
        meta["bibtex"] = bibtex(meta, "en", url, exported)
        zf.writestr("metadata.json", json.dumps(meta, ensure_ascii=False, indent=1))
        zf.writestr("README.txt", _readme(meta, url))
    return buf.getvalue()


def archive_filename(exported: dt.datetime | None = None) -> str:
    """``aral-indicators_v<data version>_<date>.zip``."""
    day = (exported or utc_now()).date().isoformat()
    return f"{PROJECT}_v{slug(queries.data_version()) or '0'}_{day}.zip"
