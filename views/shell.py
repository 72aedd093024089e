"""The app shell's data: the areas of the picker, read for the pure :mod:`components.shell`."""

from __future__ import annotations

from collections.abc import Callable

import dash
from dash import Input, Output

from components import shell as parts
from store import queries
from store.area_labels import area_labels
from store.cache import remember

layout = parts.layout  # the page frame that :func:`render_shell` fills


def area_options(lang: str, *, with_region: bool = False) -> list[dict]:
    """Areas for the picker: the country, oblasts and cities, then districts, by name (with
    ``with_region``, labelled with their oblast or city); kept in the cache under the data
    version."""
    return remember(
        ("area_options", lang, with_region),
        queries.cache_version(),
        lambda: parts.area_options(
            queries.areas(), lang, with_region=with_region, labels=area_labels(lang)
        ),
    )


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
    lang = parts.page_lang(search)
    account = _account_links(lang) if _account_links is not None else None
    if not queries.is_ready():
        return parts.render_shell(pathname, search, None, account)
    return parts.render_shell(pathname, search, queries.areas(), account, area_labels(lang))


# The account links of the current request (sign in; submit, review...): set by the web
# layer (api/auth.py) as a function of the language returning (href, text) pairs.
_account_links: Callable[[str], list[tuple[str, str]]] | None = None


def set_account_links(fn: Callable[[str], list[tuple[str, str]]] | None) -> None:
    """End the header with the links ``fn(lang)`` returns (none: no accounts)."""
    global _account_links
    _account_links = fn
