"""The share bar of a view: download it, copy its link, embed it, cite it, add it to a deck.

:func:`share_bar` lays the bar out from the view's links and texts (made by
:mod:`views.share` from :mod:`components.share_links`); its "Add to deck" menu is
:func:`components.share.deck_menu`.
"""

from __future__ import annotations

from dash import dcc, html

from components.i18n import t
from components.share import KINDS, deck_menu
from components.share_links import FILES


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
