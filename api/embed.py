"""Chart-only views for iframes: /embed/explore and /embed/map.

Each is a small HTML page without the Dash shell: a title, the plain-language summary,
the figure (built by :mod:`views.charts` with the same pure builders and store
queries as the pages), and an attribution line (the data sources, a link back to the full
view on the dashboard and, for maps, the boundaries). plotly.js is served from the
installed plotly package (/embed/static/plotly.min.js) and the world topojson from
/assets/topojson/, so an embedded chart fetches nothing from elsewhere.

Framing is allowed from any page (no ``X-Frame-Options``, no CSP ``frame-ancestors``). An unknown code gives a friendly page with status 404, a malformed
parameter 400, a missing database 503; never a traceback.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from importlib.resources import files
from typing import TypeVar

import pandas as pd
import plotly
import plotly.graph_objects as go
from flask import Blueprint, Response, render_template_string, request, send_file
from markupsafe import Markup
from werkzeug.exceptions import HTTPException

from api import export_chart, security
from components.i18n import decimals_of, fmt_number, graph_config, publisher_name, request_lang, t
from components.urlstate import query_string
from store import queries
from views import charts as views

log = logging.getLogger(__name__)

blueprint = Blueprint("embed", __name__, url_prefix="/embed")

PLOTLY_JS = files("plotly") / "package_data" / "plotly.min.js"
PLOTLY_SRC = f"/embed/static/plotly.min.js?v={plotly.__version__}"
MALFORMED = ("lang", "mode", "source", "level")  # 400; any other bad parameter is 404
Q = TypeVar("Q")
UNKNOWN_CODE = {
    "indicator": "msg.unknown_indicator",
    "area": "msg.unknown_area",
    "compare": "msg.unknown_area",
    "parent": "msg.unknown_area",
}


# The page's one inline script (allowed by its hash in the Content-Security-Policy).
DRAW_SCRIPT = """
(function () {
  var fig = JSON.parse(document.getElementById("embed-figure").textContent);
  var config = JSON.parse(document.getElementById("embed-config").textContent);
  Plotly.newPlot("chart", fig.data, fig.layout, config);
})();
"""
security.allow_inline_script(DRAW_SCRIPT)

PAGE = """<!doctype html>
<html lang="{{ lang }}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex">
<title>{{ title }}</title>
<style>
html, body { height: 100%; margin: 0; }
body { display: flex; flex-direction: column; font-family: "Liberation Sans", Arial, sans-serif;
       font-size: 14px; line-height: 1.35; color: #1a1a1a; background: #ffffff; }
header { flex: none; padding: 6px 10px 0; }
h1 { font-size: 1.08em; margin: 0; }
.summary { margin: 2px 0 0; color: #4d4d4d; font-size: .92em; }
figure { flex: 1 1 auto; position: relative; min-height: 180px; margin: 0; }
#chart { position: absolute; inset: 0; }
footer { flex: none; padding: 4px 10px 6px; border-top: 1px solid #c8c8c8; color: #4d4d4d;
         font-size: 12px; }
footer p { margin: 1px 0; }
a { color: #0b5394; }
:focus-visible { outline: 3px solid #e69f00; outline-offset: 2px; }
.message { max-width: 40em; margin: 1.5em auto; padding: 0 1em; font-size: 16px; }
</style>
</head>
<body>
{% if chart %}
<header>
<h1 id="embed-title">{{ title }}</h1>
<p id="embed-summary" class="summary">{{ summary }}</p>
</header>
<figure aria-labelledby="embed-title" aria-describedby="embed-summary">
<div id="chart" class="embed-chart"></div>
</figure>
<footer>
{% if sources %}<p class="sources">{{ sources_label }}: {{ sources }}.</p>{% endif %}
<p class="attribution">{{ full_view }}</p>
{% if boundaries %}<p class="boundaries">{{ boundaries }}</p>{% endif %}
</footer>
<script src="{{ plotly_src }}"></script>
<script type="application/json" id="embed-figure">{{ figure }}</script>
<script type="application/json" id="embed-config">{{ config|tojson }}</script>
<script>{{ draw_script }}</script>
{% else %}
<main class="message" role="alert">
<h1>{{ title }}</h1>
<p>{{ message }}</p>
{% if detail %}<p><small>{{ detail }}</small></p>{% endif %}
<p><a href="{{ home }}" target="_blank" rel="noopener">{{ home_label }}</a></p>
</main>
{% endif %}
</body>
</html>
"""


# --- pieces -------------------------------------------------------------------------------


def figure_json(fig: go.Figure) -> Markup:
    """The figure as JSON that is safe inside <script> (no '<', '>' or '&')."""
    text = fig.to_json()
    for char, escaped in (("&", "\\u0026"), ("<", "\\u003c"), (">", "\\u003e")):
        text = text.replace(char, escaped)
    return Markup(text)


def responsive(fig: go.Figure) -> go.Figure:
    """The figure sized by its container (the iframe), not by a fixed height."""
    fig = go.Figure(fig)
    fig.layout.height = None
    fig.layout.width = None
    fig.update_layout(autosize=True)
    return fig


def publishers(sources: list[dict]) -> str:
    """'Bureau of National Statistics; Akimat of Aral district': each publisher once."""
    names = [publisher_name(s.get("publisher") or s.get("title") or s.get("code")) for s in sources]
    return "; ".join(dict.fromkeys(n.strip() for n in names if n and n.strip()))


def _value(value: float, meta: dict, lang: str) -> str:
    decimals = decimals_of(meta)
    return f"{fmt_number(value, lang, decimals)} {meta.get(f'unit_{lang}') or ''}".strip()


def map_summary(df: pd.DataFrame, meta: dict, q: views.MapQuery, missing: int) -> str:
    """Which area ranks first and which last in the year (``df``: ranked rows)."""
    lang = q.lang
    if df.empty:
        text = t("embed.map_none", lang, year=q.year)
    elif len(df) == 1:
        r = df.iloc[0]
        text = t(
            "embed.map_one",
            lang,
            year=q.year,
            name=r["area_name"],
            value=_value(r["value"], meta, lang),
        )
    else:
        first, last = df.iloc[0], df.iloc[-1]
        text = t(
            "embed.map_summary",
            lang,
            year=q.year,
            n=len(df),
            first=first["area_name"],
            first_value=_value(first["value"], meta, lang),
            last=last["area_name"],
            last_value=_value(last["value"], meta, lang),
        )
        direction = meta.get("direction")
        text += " " + t(
            f"embed.rank_{direction if direction in ('higher', 'lower') else 'neutral'}", lang
        )
    if missing:
        text += " " + t("embed.map_missing", lang, n=missing)
    return text


def _full_view(path: str, lang: str) -> Markup:
    """'Full view: <a href=path>Aral indicators dashboard</a>', escaped."""
    link = Markup('<a href="{}" target="_blank" rel="noopener">{}</a>').format(
        path, t("embed.dashboard", lang)
    )
    before, _, after = t("embed.full_view", lang, link="\x00").partition("\x00")
    return Markup("{}{}{}").format(before, link, after)


def _render(status: int = 200, **context: object) -> Response:
    body = render_template_string(
        PAGE, plotly_src=PLOTLY_SRC, draw_script=Markup(DRAW_SCRIPT), **context
    )
    return Response(body, status=status, mimetype="text/html")


def _chart(
    lang: str,
    title: str,
    summary_text: str,
    fig: go.Figure,
    sources: list[dict],
    full_path: str,
    boundaries: bool,
) -> Response:
    config = graph_config(lang) | {"responsive": True}
    return _render(
        lang=lang,
        chart=True,
        title=title,
        summary=summary_text,
        figure=figure_json(responsive(fig)),
        config=config,
        sources=publishers(sources),
        sources_label=t("word.sources", lang),
        full_view=_full_view(full_path, lang),
        boundaries=t("footer.boundaries", lang) if boundaries else None,
    )


def _message(lang: str, status: int, message: str, detail: str | None = None) -> Response:
    return _render(
        status,
        lang=lang,
        chart=False,
        title=t("embed.not_found", lang),
        message=message,
        detail=detail,
        home="/" + query_string(lang=lang),
        home_label=t("embed.open_dashboard", lang),
    )


def _bad(exc: views.BadParameter) -> Response:
    """A friendly page for a parameter that cannot be shown: 404 unknown, 400 malformed."""
    lang = request_lang(request.args.get("lang") if exc.name != "lang" else None)
    log.info("embed %s: %s", request.path, exc)
    value = request.args.get(exc.name, "")
    key = UNKNOWN_CODE.get(exc.name)
    if key and value and "unknown" in exc.message:
        return _message(lang, 404, t(key, lang, code=value))
    status = 400 if exc.name in MALFORMED else 404
    return _message(lang, status, t("embed.bad_parameter", lang, name=exc.name), exc.message)


# --- routes -------------------------------------------------------------------------------


def _view(parse: Callable[[views.Params], Q], chart: Callable[[Q], Response]) -> Response:
    """``chart`` of the view the query string names, or a friendly page saying why not."""
    if not queries.is_ready():
        lang = request_lang(request.args.get("lang"))
        return _message(lang, 503, t("msg.no_database", lang))
    try:
        q = parse(request.args.to_dict(flat=False))
    except views.BadParameter as exc:
        return _bad(exc)
    return chart(q)


def _explore_chart(q: views.ExploreQuery) -> Response:
    d = views.explore_data(q)
    meta = export_chart.explore_chart_data(q).meta
    return _chart(
        q.lang,
        meta["title"],
        views.explore_summary(q, d),
        views.explore_figure(q, d),
        meta["sources"],
        "/explore" + q.query_string(),
        boundaries=False,
    )


def _map_chart(q: views.MapQuery) -> Response:
    chart = export_chart.map_chart_data(q)
    info = queries.indicator(q.indicator) or {}
    text = map_summary(chart.df, info, q, len(chart.meta.get("areas_without_data", [])))
    return _chart(
        q.lang,
        chart.meta["title"],
        text,
        views.map_figure(q),
        chart.meta["sources"],
        "/map" + q.query_string(),
        boundaries=True,
    )


@blueprint.get("/explore")
def explore() -> Response:
    """/embed/explore?indicator=&area=&compare=&mode=&source=&lang= — the Explore chart."""
    return _view(views.explore_query, _explore_chart)


@blueprint.get("/map")
def map_view() -> Response:
    """/embed/map?indicator=&level=&parent=&year=&lang= — the Map view's choropleth."""
    return _view(views.map_query, _map_chart)


@blueprint.get("/static/plotly.min.js")
def plotly_js() -> Response:
    """plotly.js from the installed plotly package (cached: the address names the version)."""
    return send_file(
        str(PLOTLY_JS), mimetype="text/javascript", max_age=30 * 24 * 3600, conditional=True
    )


@blueprint.errorhandler(Exception)
def _failed(exc: Exception) -> Response:
    lang = request_lang(request.args.get("lang"))
    if isinstance(exc, HTTPException):
        return _message(lang, exc.code or 500, exc.description or "")
    log.exception("embed %s failed", request.full_path)
    return _message(lang, 500, t("embed.error", lang))


@blueprint.after_request
def _frameable(response: Response) -> Response:
    """Any page may frame these, a local file too: no X-Frame-Options and no CSP
    ``frame-ancestors`` (whose ``*`` would leave out file: and about: pages)."""
    response.headers.pop("X-Frame-Options", None)
    return response
