"""The app shell: skip link, header (navigation, area picker, language), footer.

The header is rendered from the URL by a callback (in :mod:`views.shell`, which reads the
areas for the picker), so it follows the page's language and area; the language and area controls navigate to the same page with the new
``lang`` or ``area`` in its query, keeping the rest of the page's state.
"""

from __future__ import annotations

from urllib.parse import parse_qs

import dash
import pandas as pd
from dash import Input, Output, clientside_callback, dcc, html

from components.i18n import LANG_NAMES, LANGS, collation_key, dropdown_labels, request_lang, t
from components.urlstate import DEFAULT_AREA, query_string

COUNTRY = "000000000"

NAV = (
    ("/", "nav.overview"),
    ("/explore", "nav.explore"),
    ("/map", "nav.map"),
    ("/programs", "nav.programs"),
    ("/changes", "nav.changes"),
    ("/decks", "nav.decks"),
    ("/about", "nav.about"),
)


def layout() -> html.Div:
    return html.Div(
        [
            dcc.Location(id="shell-url", refresh=False),
            dcc.Store(id="shell-lang"),
            html.A(id="shell-skip", href="#main", className="skip-link"),
            html.Header(id="shell-header", className="shell-header"),
            html.Main(dash.page_container, id="main", tabIndex="-1"),
            html.Footer(id="shell-footer", className="shell-footer"),
            html.Div(
                [html.Span(id=f"shell-sink-{n}") for n in ("lang", "area", "doc")], hidden=True
            ),
        ]
    )


def _params(search: str | None) -> dict[str, str]:
    return {k: v[0] for k, v in parse_qs((search or "").lstrip("?")).items()}


def area_options(
    df: pd.DataFrame,
    lang: str,
    *,
    with_region: bool = False,
    labels: dict[str, str] | None = None,
) -> list[dict]:
    """Areas for the picker: the country, oblasts and cities, then districts, by name. With
    ``with_region``, an area inside an oblast or city is labelled with it in ``lang``
    («Абайский район (Карагандинская область)»), so that namesakes in different regions differ;
    else each area reads its label in ``labels`` (KATO -> display label,
    :func:`store.area_labels.area_labels`, which names the oblast of namesakes only).

    ``df`` is the areas table (:func:`store.queries.areas`)."""
    if df.empty:
        return []
    names = dict(zip(df["kato"], df[f"name_{lang}"], strict=True))
    df = df[df["valid_to"].isna()]
    order = {"country": 0, "oblast": 1, "city": 2, "district": 3}
    df = df.assign(o=df["level"].map(order).fillna(9), name=df[f"name_{lang}"])
    if with_region:
        inside = df["parent"].map(lambda p: p in names and p != COUNTRY)
        region = df.loc[inside, "parent"].map(names)
        df.loc[inside, "name"] = df.loc[inside, "name"] + " (" + region + ")"
    elif labels:
        df = df.assign(name=df["kato"].map(labels).fillna(df["name"]))
    df = df.assign(key=df["name"].map(lambda n: collation_key(n, lang)))
    df = df.sort_values(["o", "key"], kind="stable")
    return [{"label": n, "value": k} for k, n in zip(df["kato"], df["name"], strict=True)]


def page_lang(search: str | None) -> str:
    """The language of the page with query ``search``."""
    return request_lang(_params(search).get("lang"))


def render_shell(
    pathname: str | None,
    search: str | None,
    areas: pd.DataFrame | None,
    account: list[tuple[str, str]] | None = None,
    labels: dict[str, str] | None = None,
):
    """The header, footer, language and skip-link text for the page at ``pathname`` with
    query ``search``; ``areas`` fills the area picker (None: no database yet), each area
    named by its display label in ``labels``; ``account`` (href, text) links end the header
    (sign in; submit, review...)."""
    params = _params(search)
    lang = request_lang(params.get("lang"))
    area = params.get("area") or DEFAULT_AREA
    ready = areas is not None
    keep = {"lang": lang, "area": params.get("area")}
    nav = html.Nav(
        [
            dcc.Link(
                t(key, lang),
                href=path + query_string(**keep),
                className="nav-link active" if (pathname or "/") == path else "nav-link",
            )
            for path, key in NAV
        ],
        className="shell-nav",
        **{"aria-label": t("app.title", lang)},
    )
    picker = html.Div(
        [
            html.Label(t("shell.area", lang), htmlFor="shell-area"),
            dcc.Dropdown(
                id="shell-area",
                options=area_options(areas, lang, labels=labels) if ready else [],
                value=area,
                clearable=False,
                searchable=True,
                labels=dropdown_labels(lang),
                className="shell-area",
            ),
        ],
        className="shell-picker",
    )
    langs = html.Div(
        [
            html.Span(t("shell.language", lang) + ":", className="shell-lang-label"),
            *[
                html.A(
                    LANG_NAMES[code],
                    href="#",
                    id={"type": "shell-lang-link", "lang": code},
                    lang=code,
                    className="lang-link active" if code == lang else "lang-link",
                    **({"aria-current": "true"} if code == lang else {}),
                )
                for code in LANGS
            ],
        ],
        className="shell-langs",
    )
    header = [
        html.Div(
            dcc.Link(t("app.title", lang), href="/" + query_string(**keep)), className="shell-title"
        ),
        nav,
        picker,
        langs,
    ]
    if account:
        header.append(
            html.Div(
                [html.A(text, href=href, className="nav-link") for href, text in account],
                className="shell-account",
            )
        )
    footer = [
        html.P(t("footer.data", lang)),
        html.P(t("footer.boundaries", lang)),
        html.P(
            [
                dcc.Link(t("nav.about", lang), href="/about" + query_string(lang=lang)),
                " · ",
                dcc.Link(t("cov.title", lang), href="/coverage" + query_string(**keep)),
                " · ",
                html.A(t("footer.api", lang), href="/api/v1/docs" + query_string(lang=lang)),
                " · ",
                html.A(t("footer.download_all", lang), href="/download/all.zip", download=""),
            ]
        ),
    ]
    return header, footer, lang, t("shell.skip", lang)


# Language links: navigate to the same URL (as it is now, with the page's state) with lang=X.
clientside_callback(
    """
    function(clicks) {
        const ctx = window.dash_clientside.callback_context;
        if (!ctx.triggered.length || !ctx.triggered[0].value) {
            return window.dash_clientside.no_update;
        }
        const id = JSON.parse(ctx.triggered[0].prop_id.split(".")[0]);
        const params = new URLSearchParams(window.location.search);
        params.set("lang", id.lang);
        window.location.assign(window.location.pathname + "?" + params.toString());
        return window.dash_clientside.no_update;
    }
    """,
    Output("shell-sink-lang", "children"),
    Input({"type": "shell-lang-link", "lang": dash.ALL}, "n_clicks"),
    prevent_initial_call=True,
)

# Area picker: the same page for another area.
clientside_callback(
    """
    function(area) {
        const params = new URLSearchParams(window.location.search);
        if (!area || params.get("area") === area ||
            (!params.get("area") && area === "DEFAULT_AREA")) {
            return window.dash_clientside.no_update;
        }
        params.set("area", area);
        window.location.assign(window.location.pathname + "?" + params.toString());
        return window.dash_clientside.no_update;
    }
    """.replace("DEFAULT_AREA", DEFAULT_AREA),
    Output("shell-sink-area", "children"),
    Input("shell-area", "value"),
    prevent_initial_call=True,
)

# The lang attribute of the document follows the language.
clientside_callback(
    """
    function(lang) {
        if (lang) { document.documentElement.lang = lang; }
        return window.dash_clientside.no_update;
    }
    """,
    Output("shell-sink-doc", "children"),
    Input("shell-lang", "data"),
)
