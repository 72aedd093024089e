"""Data coverage (/coverage): for each indicator, how many areas and years have figures, and
by region; for one area (``?area=``), which indicators it has and which the other districts
of its region have that it lacks.

URL state: ``area``, ``indicator`` (the one shown by region) and ``lang``. Every link is a
plain link, so the page has no callbacks of its own.
"""

from __future__ import annotations

import dash
from dash import Input, Output, clientside_callback, dcc, html

from components import coverage as parts
from components.i18n import page_title, request_lang, t
from components.messages import message, no_database
from store import queries
from views import coverage
from views.charts import last

dash.register_page(__name__, path="/coverage", name="coverage", title=page_title("cov.title"))


def layout(
    area: str | None = None,
    indicator: str | None = None,
    lang: str | None = None,
    **_: object,
) -> html.Div:
    lang = request_lang(last(lang))
    if not queries.is_ready():
        return no_database(lang)
    head = [html.H1(t("cov.title", lang)), html.P(t("cov.intro", lang), className="lead")]
    try:
        q = coverage.coverage_query({"area": area, "indicator": indicator, "lang": lang})
    except coverage.BadCoverageParameter as exc:
        return html.Div([*head, message(exc.message, lang, "warning")])
    name = queries.indicator(q.indicator)[f"name_{lang}"]
    return html.Div(
        [
            *head,
            html.Nav(
                html.Ul(
                    [
                        html.Li(html.A(t("cov.jump_area", lang), href="#cov-area")),
                        html.Li(html.A(t("cov.by_indicator", lang), href="#cov-indicators")),
                        html.Li(html.A(t("cov.jump_regions", lang), href="#cov-regions")),
                    ]
                ),
                className="cov-jump",
                **{"aria-label": t("cov.jump", lang)},
            ),
            html.Section(parts.area_section(coverage.area_coverage(q.area, lang), lang)),
            html.Section(
                parts.indicator_section(
                    coverage.indicator_table(lang), coverage.tier_sizes(), q.area, lang
                )
            ),
            html.Section(
                parts.region_section(
                    coverage.region_table(q.indicator, lang), q.indicator, name, lang
                )
            ),
            dcc.Store(id="cov-state", data=q._asdict()),
            html.Span(id="cov-scrolled", hidden=True),
        ],
        className="coverage-page",
    )


# A link to another indicator reopens the page at its table by region (the URL's #fragment):
# the page is drawn after the browser looked for the fragment, so scroll to it once drawn.
clientside_callback(
    """
    function(state) {
        const target = window.location.hash && document.getElementById(window.location.hash.slice(1));
        if (target) { target.scrollIntoView(); }
        return window.dash_clientside.no_update;
    }
    """,
    Output("cov-scrolled", "children"),
    Input("cov-state", "data"),
)
