"""The addresses of a shared view: its downloads, its page and its embed (from its parameters
alone), and the <iframe> that embeds it. Pure: no store, no Dash.
"""

from __future__ import annotations

from html import escape
from urllib.parse import parse_qs

from components.urlstate import query_string

PAGE_PATHS = {"explore": "/explore", "map": "/map", "overview": "/"}
# The parameters each download and embed address takes (api/downloads.py, api/embed.py).
PARAM_KEYS = {
    "explore": ("indicator", "area", "compare", "source", "mode", "lang"),
    "map": ("indicator", "level", "parent", "year", "normalize", "scale", "since", "lang"),
}
DEFAULTS = {"mode": "absolute", "source": "preferred", "scale": "linear"}  # left out of addresses
# (link key, address stem, format) per kind; the labels are share.fmt.<link key>. The key
# "csv-excel" is the .csv with format=csv-excel (";" separators, "," decimals); "zip" is the
# CSV with its datapackage.json, readable alone (the first offered).
FILES = {
    "explore": (
        ("zip", "data", "zip"),
        ("csv", "data", "csv"),
        ("csv-excel", "data", "csv"),
        ("xlsx", "data", "xlsx"),
        ("json", "data", "json"),
        ("png", "chart", "png"),
        ("svg", "chart", "svg"),
        ("pdf", "chart", "pdf"),
    ),
    "map": (
        ("zip", "map-data", "zip"),
        ("csv", "map-data", "csv"),
        ("csv-excel", "map-data", "csv"),
        ("xlsx", "map-data", "xlsx"),
        ("json", "map-data", "json"),
        ("png", "map", "png"),
        ("svg", "map", "svg"),
        ("pdf", "map", "pdf"),
    ),
    "overview": (),
}
ALL_ZIP = "/download/all.zip"
EMBED_SIZE = (800, 500)


def parse_query(search: str | None) -> dict[str, str]:
    """'?indicator=x&area=y' -> {'indicator': 'x', 'area': 'y'} (the last value wins)."""
    return {k: v[-1] for k, v in parse_qs((search or "").lstrip("?")).items()}


def _subset(kind: str, params: dict, lang: str) -> dict:
    """The parameters the download and embed addresses of ``kind`` take, defaults left out."""
    out = {k: params.get(k) for k in PARAM_KEYS.get(kind, ())}
    out = {k: v for k, v in out.items() if v not in (None, "", [], ()) and DEFAULTS.get(k) != v}
    out["lang"] = params.get("lang") or lang
    return out


def download_links(kind: str, params: dict, lang: str) -> dict[str, str]:
    """Link key -> address of each file offered for the view, and ``all`` (the zip)."""
    subset = _subset(kind, params, lang)
    links = {
        key: f"/download/{stem}.{fmt}"
        + query_string(**subset, **({"format": key} if key != fmt else {}))
        for key, stem, fmt in FILES[kind]
    }
    links["all"] = ALL_ZIP
    return links


def page_path(kind: str, params: dict, lang: str) -> str:
    """The page's own address for ``params``: '/explore?indicator=…'."""
    return PAGE_PATHS[kind] + query_string(**{**params, "lang": params.get("lang") or lang})


def embed_path(kind: str, params: dict, lang: str) -> str | None:
    """'/embed/explore?…' for the view, or None when the view cannot be embedded."""
    if kind not in PARAM_KEYS:
        return None
    return f"/embed/{kind}" + query_string(**_subset(kind, params, lang))


def embed_snippet(url: str, title: str) -> str:
    """The <iframe> to paste into another page (``url`` is percent-encoded, so its ``&``
    stay as they are, readable; a quote or bracket in it is encoded)."""
    width, height = EMBED_SIZE
    src = url.replace('"', "%22").replace("<", "%3C").replace(">", "%3E")
    return (
        f'<iframe src="{src}" width="{width}" height="{height}" '
        f'title="{escape(title)}" style="border:0;max-width:100%" loading="lazy" '
        f'referrerpolicy="no-referrer-when-downgrade"></iframe>'
    )


def request_origin() -> str:
    """'http://host:port' of the current Flask request ('' outside a request)."""
    from flask import has_request_context, request

    return request.host_url.rstrip("/") if has_request_context() else ""
