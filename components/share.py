"""The share bar: download the view, copy its link, embed it, cite it.

The pure pieces: the addresses of a view's downloads, page and embed (from its parameters
alone), the slide that shows a view (:func:`deck_slide`), and the layout of the bar
(:func:`share_bar`, :func:`deck_menu`, :func:`deck_card_button`), which receives its links,
texts and deck flags as arguments. What reads the store or the deck store (the citation
metadata, the deck list, adding a slide) and the bar's callbacks are in :mod:`views.share`.
"""

from __future__ import annotations

import logging
from html import escape
from urllib.parse import parse_qs

from dash import dcc, html

from components.i18n import dropdown_labels, t
from components.urlstate import DEFAULT_AREA, query_string, split_list

KINDS = ("explore", "map", "overview")
PAGE_PATHS = {"explore": "/explore", "map": "/map", "overview": "/"}
# The parameters each download and embed address takes (api/downloads.py, api/embed.py).
PARAM_KEYS = {
    "explore": ("indicator", "area", "compare", "source", "mode", "lang"),
    "map": ("indicator", "level", "parent", "year", "normalize", "scale", "since", "lang"),
}
DEFAULTS = {"mode": "absolute", "source": "preferred", "scale": "linear"}  # left out of addresses
# (link key, address stem, format) per kind; the labels are share.fmt.<link key>. The key
# "csv-excel" is the .csv with format=csv-excel (";" separators, "," decimals).
FILES = {
    "explore": (
        ("csv", "data", "csv"),
        ("csv-excel", "data", "csv"),
        ("xlsx", "data", "xlsx"),
        ("json", "data", "json"),
        ("png", "chart", "png"),
        ("svg", "chart", "svg"),
        ("pdf", "chart", "pdf"),
    ),
    "map": (
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
NEW_DECK = "__new__"  # the deck chooser's "New deck…" option
DEFAULT_DECK = "aral-default"  # seeded by store/decks.py


_registered: set[str] = set()
log = logging.getLogger(__name__)


# --- addresses and texts (pure) ----------------------------------------------------------


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


# --- "Add to deck" (reads and writes the deck store) ----------------------------------------


def deck_slide(kind: str, params: dict, *, as_target: bool = False) -> dict:
    """The slide ``{kind, params}`` that shows a view of ``kind`` with the page's ``params``.

    Explore -> a ``chart`` slide (indicator, area, compare, mode, source), or with
    ``as_target`` a ``target`` slide (indicator against its targets for the area); Map -> a
    ``map`` slide (indicator, level, parent, year, the outlined area as highlight); an
    overview card -> ``target`` with ``as_target`` (the card has targets), else ``chart``.
    Defaults are left out, as in the page's own address.
    """
    indicator, area = params.get("indicator"), params.get("area") or DEFAULT_AREA
    if kind == "map":
        level = params.get("level") or "district"
        out = {
            "indicator": indicator,
            "level": level,
            "parent": params.get("parent") if level == "district" else None,
            "year": params.get("year"),
            "highlight": params.get("area"),
        }
        slide_kind = "map"
    elif as_target:
        out, slide_kind = {"indicator": indicator, "area": area}, "target"
    elif kind in ("explore", "overview"):
        mode, source = params.get("mode"), params.get("source")
        out = {
            "indicator": indicator,
            "area": area,
            "compare": [c for c in split_list(params.get("compare")) if c != area],
            "mode": mode if mode in ("change", "index") else None,
            "source": "all" if source == "all" else None,
        }
        slide_kind = "chart"
    else:
        raise ValueError(f"no slide for a {kind!r} view; use one of {', '.join(KINDS)}")
    return {"kind": slide_kind, "params": {k: v for k, v in out.items() if v not in (None, "", [])}}


def default_deck(summaries: list[dict]) -> str | None:
    """The deck a slide goes to when none is chosen: the seeded default deck, else the most
    recently changed one (``summaries`` as :func:`store.decks.list_decks` gives them)."""
    slugs = [d["slug"] for d in summaries]
    if DEFAULT_DECK in slugs:
        return DEFAULT_DECK
    return slugs[0] if slugs else None


def _editor_link(slug: str, lang: str) -> dcc.Link:
    return dcc.Link(t("deck.open", lang), href="/decks" + query_string(lang=lang, deck=slug))


def _problem(text: str) -> html.Span:
    return html.Span(text, role="alert", className="deck-message deck-error")


def before_closing(deck: dict, slide: dict) -> dict:
    """``slide`` placed before the deck's closing slide when the deck ends with one."""
    ordered = deck.get("slides") or []
    if ordered and ordered[-1]["kind"] == "closing" and slide.get("kind") != "closing":
        return {**slide, "position": ordered[-1]["position"]}
    return slide


# --- the component ------------------------------------------------------------------------


def _link_id(prefix: str, key: str) -> dict:
    return {"type": "share-link", "prefix": prefix, "key": key}


def _copy_button(id_: str, label: str, lang: str, target: str | None = None) -> dcc.Clipboard:
    """A copy button: a real <button> (keyboard and screen readers) inside dcc.Clipboard."""
    extra = {"target_id": target} if target else {}
    return dcc.Clipboard(
        id=id_,
        title=label,
        className="share-copy",
        **extra,
        children=html.Button(label, type="button", className="share-button"),
        copied_children=html.Button(
            t("share.copied", lang),
            type="button",
            className="share-button copied",
            **{"aria-live": "polite"},
        ),
    )


def _downloads(prefix: str, kind: str, data: dict, lang: str) -> html.Details:
    items = [
        html.Li(
            html.A(
                t(f"share.fmt.{key}", lang),
                href=data["links"][key],
                download="",
                id=_link_id(prefix, key),
                className="share-file",
            )
        )
        for key, _, _ in FILES[kind]
    ]
    items.append(
        html.Li(
            html.A(
                [
                    t("share.all", lang),
                    " ",
                    html.Span(f"({t('share.all_hint', lang)})", className="muted"),
                ],
                href=data["links"]["all"],
                download="",
                id=_link_id(prefix, "all"),
                className="share-file share-all",
            )
        )
    )
    return html.Details(
        [
            html.Summary(t("share.download", lang), className="share-button"),
            html.Ul(items, className="share-panel share-files"),
        ],
        id=f"{prefix}-share-download",
        className="share-menu",
    )


def _embed(prefix: str, data: dict, lang: str) -> html.Details:
    code = f"{prefix}-share-embed-code"
    return html.Details(
        [
            html.Summary(t("share.embed", lang), className="share-button"),
            html.Div(
                [
                    html.P(t("share.embed_intro", lang), id=f"{code}-label"),
                    html.Pre(
                        html.Code(data["texts"]["embed-code"], id=code),
                        className="share-code",
                        tabIndex="0",
                        **{"aria-labelledby": f"{code}-label"},
                    ),
                    html.Div(
                        [
                            _copy_button(
                                f"{prefix}-share-embed-copy",
                                t("share.embed_copy", lang),
                                lang,
                                code,
                            ),
                            html.A(
                                t("share.embed_preview", lang),
                                href=data["links"]["preview"],
                                id=_link_id(prefix, "preview"),
                                target="_blank",
                                rel="noopener",
                            ),
                        ],
                        className="share-actions",
                    ),
                ],
                className="share-panel",
            ),
        ],
        id=f"{prefix}-share-embed",
        className="share-menu",
    )


def _cite(prefix: str, data: dict, lang: str) -> html.Details:
    text, bib = f"{prefix}-share-cite-text", f"{prefix}-share-bibtex"
    return html.Details(
        [
            html.Summary(t("share.cite", lang), className="share-button"),
            html.Div(
                [
                    html.P(t("share.cite_intro", lang)),
                    html.P(data["texts"]["cite-text"], id=text, className="share-citation"),
                    html.Div(
                        _copy_button(
                            f"{prefix}-share-cite-copy", t("share.cite_copy", lang), lang, text
                        ),
                        className="share-actions",
                    ),
                    html.Pre(
                        html.Code(data["texts"]["bibtex"], id=bib),
                        className="share-code",
                        tabIndex="0",
                        **{"aria-label": "BibTeX"},
                    ),
                    html.Div(
                        _copy_button(
                            f"{prefix}-share-bibtex-copy", t("share.bibtex_copy", lang), lang, bib
                        ),
                        className="share-actions",
                    ),
                ],
                className="share-panel",
            ),
        ],
        id=f"{prefix}-share-cite",
        className="share-menu",
    )


def _card_id(prefix: str, indicator: object, kind: object) -> dict:
    return {"type": "deck-card-add", "prefix": prefix, "indicator": indicator, "kind": kind}


def _card_status_id(prefix: str, indicator: object) -> dict:
    return {"type": "deck-card-status", "prefix": prefix, "indicator": indicator}


def deck_menu(
    prefix: str, kind: str, params: dict, lang: str, targets: bool = False
) -> html.Details:
    """ "Add to deck": a deck chooser (filled when the menu is opened; "New deck…" asks for
    a title) and the Add button(s); on the overview, the chooser for the cards' buttons.
    ``targets``: the view has program targets (the indicator-vs-target button is shown)."""
    choice, new = f"{prefix}-deck-choice", f"{prefix}-deck-new-title"
    panel: list = [
        html.Label(t("deck.choose", lang), htmlFor=choice),
        dcc.Dropdown(
            id=choice,
            options=[],
            value=None,
            clearable=False,
            searchable=False,
            labels=dropdown_labels(lang),
            placeholder=t("deck.default", lang),
            className="deck-choice",
        ),
        html.Div(
            [
                html.Label(t("deck.new_title", lang), htmlFor=new),
                dcc.Input(id=new, type="text", maxLength=300, value="", className="deck-new-title"),
            ],
            id=f"{prefix}-deck-new-box",
            hidden=True,
            className="deck-new",
        ),
    ]
    if kind == "overview":
        panel.append(html.P(t("deck.overview_hint", lang), className="muted"))
    else:
        buttons = [
            html.Button(
                t("deck.add_slide", lang),
                id=f"{prefix}-deck-add",
                type="button",
                className="share-button",
            )
        ]
        if kind == "explore":
            buttons.append(
                html.Button(
                    t("deck.add_target", lang),
                    id=f"{prefix}-deck-add-target",
                    type="button",
                    className="share-button",
                    hidden=not targets,
                )
            )
        panel.append(html.Div(buttons, className="share-actions"))
    panel += [
        html.Div(
            id=f"{prefix}-deck-status",
            className="deck-status",
            role="status",
            **{"aria-live": "polite"},
        ),
        dcc.Store(id=f"{prefix}-deck-params", data=params),
    ]
    return html.Details(
        [
            html.Summary(
                t("deck.add", lang), id=f"{prefix}-deck-summary", className="share-button"
            ),
            html.Div(panel, className="share-panel deck-panel"),
        ],
        id=f"{prefix}-deck",
        className="share-menu",
    )


def deck_card_button(
    prefix: str, indicator: str, name: str, lang: str, targets: bool = False
) -> html.Div:
    """A card's "+ To deck" button: adds a ``target`` slide (``targets``: the card has
    program targets) or a ``chart`` slide of ``indicator`` to the deck chosen in the
    page's :func:`deck_menu`, and says so beside it."""
    return html.Div(
        [
            html.Button(
                t("deck.card_add", lang),
                type="button",
                id=_card_id(prefix, indicator, "target" if targets else "chart"),
                className="share-button deck-card-add",
                **{"aria-label": t("deck.card_add_label", lang, name=name)},
            ),
            html.Span(
                id=_card_status_id(prefix, indicator),
                className="deck-card-status",
                role="status",
                **{"aria-live": "polite"},
            ),
        ],
        className="deck-card",
    )


def check_kind(kind: str) -> None:
    """Raise ValueError unless ``kind`` is a view with a share bar (one of :data:`KINDS`)."""
    if kind not in KINDS:
        raise ValueError(f"unknown share bar kind {kind!r}; use one of {', '.join(KINDS)}")


def share_bar(
    prefix: str,
    kind: str,
    params: dict,
    lang: str,
    data: dict,
    *,
    writable: bool = False,
    targets: bool = False,
) -> html.Div:
    """The share bar of a view of ``kind`` ("explore", "map" or "overview").

    ``params`` is the page's URL state ({'indicator': …, 'area': …, 'lang': …}, as in its
    query string) and ``data`` its links and texts (:func:`views.share.share_data`).
    ``writable``: "Add to deck" is offered; ``targets``: the view has program targets.
    The overview offers the zip, the link and the citation.
    """
    check_kind(kind)
    children = [
        _downloads(prefix, kind, data, lang),
        _copy_button(f"{prefix}-share-link", t("share.copy_link", lang), lang),
    ]
    if "embed-code" in data["texts"]:
        children.append(_embed(prefix, data, lang))
    children.append(_cite(prefix, data, lang))
    if writable:
        children.append(deck_menu(prefix, kind, params, lang, targets))
    children.append(dcc.Store(id=f"{prefix}-share-data", data=data))
    return html.Div(
        children,
        id=f"{prefix}-share",
        className="share-bar",
        role="group",
        **{"aria-label": t("share.label", lang)},
    )
