"""A downloaded table that can be read alone: a Frictionless Data Package
(https://specs.frictionlessdata.io/) describing it, and the CSV with it in one zip.

``datapackage.json`` holds the title, the citation, every source with its official address
(``path``) and the address of the copy that was read (``copy_path``), the licences, and the
CSV's schema: each column's type, title and description in the export's language, the unit of
the values and how they are rounded (:mod:`api.export_columns`). The CSV stays the plain file
of :mod:`api.export_csv`, for machines; the zip is what the pages' download button gives.
"""

from __future__ import annotations

import io
import json
import re
import zipfile
from typing import Any

import pandas as pd

from api.export_csv import to_csv
from api.exports import PROJECT, plain
from components.i18n import N_, strings, t

PACKAGE_FILE = "datapackage.json"
# Licences the sources state, as the Open Definition names them (others: their own words).
KNOWN_LICENSES = {
    "CC BY 4.0": ("CC-BY-4.0", "https://creativecommons.org/licenses/by/4.0/"),
    "CC BY-SA 3.0": ("CC-BY-SA-3.0", "https://creativecommons.org/licenses/by-sa/3.0/"),
}
# The title (and, with ".about", the description) of each column a download may have.
FIELD_KEYS = (
    N_("dl.field.indicator"),
    N_("dl.field.area"),
    N_("dl.field.area_name"),
    N_("dl.field.oblast"),
    N_("dl.field.oblast.about"),
    N_("dl.field.oblast_name"),
    N_("dl.field.year"),
    N_("dl.field.series"),
    N_("dl.field.value"),
    N_("dl.field.value.about"),
    N_("dl.field.unit"),
    N_("dl.field.status"),
    N_("dl.field.status.about"),
    N_("dl.field.status_label"),
    N_("dl.field.year_approx"),
    N_("dl.field.source"),
    N_("dl.field.note"),
    N_("dl.field.rank"),
    N_("dl.field.raw_value"),
    N_("dl.field.raw_unit"),
    N_("dl.field.denominator_persons"),
    N_("dl.field.denominator_km2"),
    N_("dl.field.denominator_year"),
    N_("dl.field.denominator_source"),
    N_("dl.field.value_change_pct"),
    N_("dl.field.value_index"),
    N_("dl.field.change_since"),
    N_("dl.field.change_pct_since"),
)
# A column named with a year ("change_since_2015") is described by its stem's key.
DATED = re.compile(r"^(change_since|change_pct_since)_(\d{4})$")


def _type(series: pd.Series) -> str:
    if pd.api.types.is_bool_dtype(series):
        return "boolean"
    if pd.api.types.is_integer_dtype(series):
        return "integer"
    if pd.api.types.is_float_dtype(series):
        return "number"
    return "string"


def _field(name: str, series: pd.Series, meta: dict[str, Any]) -> dict[str, Any]:
    """A Table Schema field: name, type, title and description in the export's language."""
    lang = meta["lang"]
    dated = DATED.match(name)
    key = f"dl.field.{dated[1] if dated else name}"
    fmt = {"year": dated[2]} if dated else {"unit": meta.get("unit") or "–"}
    field: dict[str, Any] = {"name": name, "type": _type(series)}
    known = strings()
    if key in known:
        field["title"] = t(key, lang, **fmt)
    if f"{key}.about" in known:
        field["description"] = t(f"{key}.about", lang, **fmt)
    if name == "value":
        field["unit"] = meta.get("unit")
    if field["type"] == "boolean":
        field |= {"trueValues": ["True"], "falseValues": ["False"]}
    return field


def _license(text: str | None, lang: str) -> dict[str, str]:
    """A Data Package licence for a source's licence text."""
    if not text:
        return {"name": "notspecified", "title": t("dl.sheet.license_none", lang)}
    for words, (name, path) in KNOWN_LICENSES.items():
        if text.startswith(words):
            return {"name": name, "path": path, "title": text}
    return {"name": "notspecified", "title": text}


def _source(s: dict[str, Any]) -> dict[str, Any]:
    out = {"name": s["code"], "title": s.get("title") or s["code"]}
    if s.get("address"):
        out["path"] = s["address"]
    if s.get("copy_address"):
        out["copy_path"] = s["copy_address"]
    return out | {
        k: v for k in ("publisher", "license", "tier", "retrieved") if (v := plain(s.get(k)))
    }


def _name(text: str) -> str:
    """A package or resource name: lower case letters, digits, '-', '_' and '.'."""
    return re.sub(r"[^a-z0-9._-]+", "-", text.lower()).strip("-") or "data"


def datapackage(df: pd.DataFrame, meta: dict[str, Any], path: str) -> dict[str, Any]:
    """The Data Package of ``df`` (written as :func:`api.export_csv.to_csv` writes it) at
    ``path`` (a file name beside it, or a URL), from the export's ``meta``."""
    lang = meta["lang"]
    sources = [_source(s) for s in meta.get("sources", [])]
    licenses = list(
        {
            json.dumps(lic, sort_keys=True): lic
            for lic in (_license(s.get("license"), lang) for s in meta.get("sources", []))
        }.values()
    )
    indicator = meta.get("indicator", {})
    stem = path.rsplit("/", 1)[-1].split("?", 1)[0].rsplit(".", 1)[0]
    resource = {
        "name": _name(stem),
        "path": path,
        "profile": "tabular-data-resource",
        "title": meta.get("title"),
        "format": "csv",
        "mediatype": "text/csv",
        "encoding": "utf-8",
        "dialect": {"delimiter": ",", "lineTerminator": "\r\n", "header": True},
        "schema": {
            "fields": [_field(c, df[c], meta) for c in df.columns],
            "missingValues": [""],
        },
        "sources": sources,
        "licenses": licenses,
    }
    package = {
        "profile": "tabular-data-package",
        "name": _name(f"{PROJECT}-{stem}"),
        "title": meta.get("title"),
        "description": t("dl.package.about", lang, unit=meta.get("unit") or "–"),
        "homepage": meta.get("url"),
        "created": meta.get("exported"),
        "version": meta.get("data_version"),
        "keywords": [k for k in (indicator.get("code"), indicator.get("category")) if k],
        "contributors": [{"title": t("app.title", lang), "role": "publisher"}],
        "licenses": licenses,
        "sources": sources,
        "citation": meta.get("citation"),
        "bibtex": meta.get("bibtex"),
        "indicator": {
            k: plain(indicator.get(k))
            for k in ("code", "name", "unit", "decimals", "description", "direction")
        },
        "resources": [resource],
    }
    if meta.get("prices"):  # values derived in constant prices (views.constant_prices)
        package["prices"] = meta["prices"]
        package["description"] += f" {meta['prices']['label']}: {meta['prices']['formula']}"
    return package


def csv_zip(df: pd.DataFrame, meta: dict[str, Any], csv_name: str) -> bytes:
    """A zip of the CSV ``csv_name`` and its ``datapackage.json``."""
    package = datapackage(df, meta, csv_name)
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr(csv_name, to_csv(df))
        z.writestr(PACKAGE_FILE, json.dumps(package, ensure_ascii=False, indent=1))
    return out.getvalue()


__all__ = ["PACKAGE_FILE", "csv_zip", "datapackage"]
