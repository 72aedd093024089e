"""Page state in the URL query: every view can be bookmarked and shared.

A page's layout reads its state from the query string (Dash Pages passes it as keyword
arguments). When a control changes, the page's callback writes the new query string
to a ``dcc.Store`` made by :func:`url_sync`, and a small clientside callback replaces
the browser's URL with it (history.replaceState), so the page is not re-rendered and
keyboard focus stays where it was.
"""

from __future__ import annotations

from urllib.parse import urlencode

from dash import Input, Output, clientside_callback, dcc, html

DEFAULT_AREA = "433200000"  # Aral district
STATE_KEYS = ("indicator", "area", "year", "compare", "mode", "level", "parent", "program", "lang")

_REPLACE_STATE = """
function(search) {
    if (typeof search === "string") {
        const url = window.location.pathname + search;
        if (url !== window.location.pathname + window.location.search) {
            window.history.replaceState(window.history.state, "", url);
        }
    }
    return window.dash_clientside.no_update;
}
"""

_registered: set[str] = set()


def query_string(**params: object) -> str:
    """'?indicator=x&area=y' from the non-empty params, in :data:`STATE_KEYS` order."""
    items = []
    for key in STATE_KEYS + tuple(k for k in params if k not in STATE_KEYS):
        value = params.get(key)
        if value is None or value == "" or value == []:
            continue
        if isinstance(value, (list, tuple)):
            value = ",".join(str(v) for v in value)
        items.append((key, str(value)))
    return "?" + urlencode(items, safe=",") if items else ""


def url_sync(prefix: str) -> html.Div:
    """The store a page writes its query string to, and the target of the clientside sync.

    The page module must also call :func:`register` with the same prefix when it is
    imported: Dash collects callbacks before the first request, not from inside layouts.
    """
    return html.Div(
        [dcc.Store(id=f"{prefix}-url"), html.Span(id=f"{prefix}-url-sync", hidden=True)]
    )


def register(prefix: str) -> None:
    if prefix in _registered:
        return
    _registered.add(prefix)
    clientside_callback(
        _REPLACE_STATE, Output(f"{prefix}-url-sync", "children"), Input(f"{prefix}-url", "data")
    )


def split_list(value: str | None) -> list[str]:
    """'a,b,,c' -> ['a', 'b', 'c']."""
    return [v.strip() for v in (value or "").split(",") if v.strip()]
