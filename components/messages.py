"""Friendly messages in place of content: unknown codes, no data, no database."""

from __future__ import annotations

from dash import dcc, html

from components.i18n import t
from components.urlstate import query_string


def message(text: str, lang: str, kind: str = "info") -> html.Div:
    """A notice with a way back to the overview; never a traceback."""
    return html.Div(
        [html.P(text), dcc.Link(t("nav.overview", lang), href="/" + query_string(lang=lang))],
        className=f"notice notice-{kind}",
        role="status",
    )


def no_database(lang: str) -> html.Div:
    return message(t("msg.no_database", lang), lang, "warning")
