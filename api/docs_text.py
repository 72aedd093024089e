"""The API documentation page's own words in Kazakh, Russian and English (/api/v1/docs?lang=).

The page's chrome, the endpoints' summaries and the status texts are translated; the
parameters' reference descriptions are the OpenAPI document's (English), marked as such.
"""

from __future__ import annotations

from components.i18n import t

# English text of the OpenAPI document -> key of its translation.
SUMMARIES = {
    "What the API offers": "api.sum.index",
    "The indicator catalogue": "api.sum.indicators",
    "One indicator": "api.sum.indicator",
    "Administrative units": "api.sum.areas",
    "Observations of one indicator": "api.sum.observations",
    "Program targets": "api.sum.targets",
    "Government programs": "api.sum.programs",
    "Sources of the figures": "api.sum.sources",
    "Boundaries as GeoJSON": "api.sum.boundaries",
    "What changed: figures added, revised or withdrawn": "api.sum.changes",
    "This API as an OpenAPI 3.0 document": "api.sum.openapi",
    "This documentation, as HTML": "api.sum.docs",
    "OK": "api.ok",
    "A parameter is wrong; `parameter` names it.": "api.err.400",
    "Not found: an unknown route or indicator, or (for /boundaries) no boundaries installed.": (
        "api.err.404"
    ),
    "Unexpected error (logged).": "api.err.500",
    "No database: the indicator database has not been built.": "api.err.503",
    "A method other than GET, HEAD or OPTIONS.": "api.err.405",
}


def translate(text: str, lang: str) -> str:
    """A summary or status text of the OpenAPI document in ``lang`` (English as written)."""
    key = SUMMARIES.get(text)
    return text if lang == "en" or key is None else t(key, lang)
