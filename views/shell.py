"""The app shell's data: the areas of the picker, read for the pure :mod:`components.shell`."""

from __future__ import annotations

import dash
from dash import Input, Output

from components import shell as parts
from store import queries

layout = parts.layout  # the page frame that :func:`render_shell` fills


def area_options(lang: str, *, with_region: bool = False) -> list[dict]:
    """Areas for the picker: the country, oblasts and cities, then districts, by name (with
    ``with_region``, labelled with their oblast or city)."""
    return parts.area_options(queries.areas(), lang, with_region=with_region)


@dash.callback(
    Output("shell-header", "children"),
    Output("shell-footer", "children"),
    Output("shell-lang", "data"),
    Output("shell-skip", "children"),
    Input("shell-url", "pathname"),
    Input("shell-url", "search"),
)
def render_shell(pathname: str | None, search: str | None):
    """The header, footer, language and skip-link text for the URL (no database: no areas)."""
    return parts.render_shell(pathname, search, queries.areas() if queries.is_ready() else None)
