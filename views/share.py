"""The share bar's data and callbacks: what it shows of a view reads the store.

:func:`share_bar` fetches a view's links and texts (:func:`share_data`) and whether the deck
menu is offered, then lays the bar out with the pure :func:`components.share_bar.share_bar`;
:func:`register` (called by the page module at import, like
:func:`components.urlstate.register`) adds the callbacks that keep it in step with the page:

* the page writes its query string to ``{prefix}-url`` (see :mod:`components.urlstate`);
  a server callback turns it into :func:`share_data` (download links, embed code,
  citation) in the store ``{prefix}-share-data``, so every address and text is built by
  the same Python functions as on first render;
* a clientside callback writes that data into the links and texts, replacing the
  server's idea of the origin with ``window.location.origin`` (which is right behind a
  proxy), and "Copy link" copies ``window.location.href`` at the moment of the click
  (the page changes its URL with ``history.replaceState``).

"Add to deck" (:func:`components.share.deck_menu`, and
:func:`components.share.deck_card_button` on the overview's cards) adds a slide showing the
view, with the page's current parameters (:func:`components.share.deck_slide`), to a deck of
:mod:`store.decks`; the deck list is read only when the menu is opened, so a page view never
touches the deck database. With DECKS_READONLY on it is left out (:func:`decks_writable`).

The citation is the one the downloads carry (:func:`api.export_citation.citation` and
:func:`api.export_citation.bibtex` on the view's export metadata), so building it reads the store.
"""

from __future__ import annotations

import datetime as dt
import logging

import dash
from dash import ALL, Input, Output, State, clientside_callback, html
from dash.exceptions import PreventUpdate

from components import share_bar as bar
from components.i18n import request_lang, t
from components.share import (
    NEW_DECK,
    _card_id,
    _card_status_id,
    _editor_link,
    _problem,
    before_closing,
    deck_slide,
    default_deck,
)
from components.share_bar import _link_id
from components.share_links import (
    PARAM_KEYS,
    download_links,
    embed_path,
    embed_snippet,
    page_path,
    parse_query,
    request_origin,
)

_registered: set[str] = set()
log = logging.getLogger(__name__)


def cite_meta(kind: str, params: dict, lang: str, title: str | None) -> dict:
    """What the citation says about the view: the export metadata of :mod:`api.export_chart`
    (title, sources, data version), so the Cite block and a download cite alike.

    Reads the store (through :mod:`views.charts`); the overview is cited with its
    ``title`` and the sources of the area's figures. Kept in the cache under the data
    version.
    """
    from store import queries
    from store.cache import remember

    key = ("cite_meta", kind, sorted(params.items()), lang, title)
    return remember(key, queries.cache_version(), lambda: _cite_meta(kind, params, lang, title))


def _cite_meta(kind: str, params: dict, lang: str, title: str | None) -> dict:
    from api import export_chart
    from store import queries
    from views import charts as views

    query = {**params, "lang": params.get("lang") or lang}
    try:
        if kind == "explore":
            return export_chart.explore_chart_data(views.explore_query(query)).meta
        if kind == "map":
            return export_chart.map_chart_data(views.map_query(query)).meta
    except views.BadParameter as exc:
        log.info("share: citing %s without its data (%s)", kind, exc)
    codes = queries.area_sources(params["area"]) if params.get("area") else []
    fields = ("title", "publisher", "tier")
    catalogue = queries.sources().set_index("code")[list(fields)]  # one query, cached
    known = catalogue.loc[catalogue.index.intersection(codes)].to_dict("index")
    sources = [{"code": c, **{k: known.get(c, {}).get(k) for k in fields}} for c in codes]
    return {
        "title": title or t("app.title", lang),
        "sources": sources,
        "data_version": queries.data_version(),
    }


def share_data(
    kind: str,
    params: dict,
    lang: str,
    title: str | None,
    origin: str,
    accessed: dt.date | None = None,
) -> dict:
    """Everything the share bar shows for a view: links, embed code, citation, BibTeX.

    ``origin`` ('https://host') makes the embed and citation addresses absolute; the
    clientside callback replaces it with the browser's. Text keys are element ids' suffixes.
    """
    from api.export_citation import bibtex, citation

    accessed = accessed or dt.date.today()
    meta = cite_meta(kind, params, lang, title)
    url = origin + page_path(kind, params, lang)
    links = download_links(kind, params, lang)
    texts = {
        "cite-text": citation(meta, lang, url, accessed),
        "bibtex": bibtex(meta, lang, url, accessed).rstrip(),
    }
    embed = embed_path(kind, params, lang)
    if embed:
        links["preview"] = embed
        texts["embed-code"] = embed_snippet(origin + embed, meta["title"])
    return {"origin": origin, "links": links, "texts": texts}


def has_targets(indicator: str | None, area: str | None) -> bool:
    """Whether the indicator has a program target for the area (an indicator-vs-target
    slide is offered then)."""
    from store import queries

    if not indicator or not area or not queries.is_ready():
        return False
    return not queries.targets(indicator_code=indicator, area_code=area).empty


def deck_options(lang: str, wanted: str | None = None) -> tuple[list[dict], str]:
    """The deck chooser's options (every deck, then "New deck…") and its value: ``wanted``
    if it is one of them, else :func:`default_deck`, else "New deck…"."""
    from components.slides import deck_title
    from store import decks

    summaries = decks.list_decks()
    options = [
        {
            "label": t("deck.n_slides", lang, title=deck_title(d, lang), n=d["slides"]),
            "value": d["slug"],
        }
        for d in summaries
    ]
    options.append({"label": t("deck.new", lang), "value": NEW_DECK})
    values = [o["value"] for o in options]
    return options, wanted if wanted in values else (default_deck(summaries) or NEW_DECK)


def add_to_deck(
    choice: str | None, new_title: str | None, slide: dict, lang: str
) -> tuple[html.Span, str | None]:
    """Add ``slide`` to the deck ``choice`` (:data:`NEW_DECK`: a new deck titled
    ``new_title``; None: :func:`default_deck`).

    Returns the message to show ("Added to «deck» as slide N", with a link to the deck
    editor, or what went wrong, in ``lang``) and the slug of the deck the slide went to
    (None when it was not added). Never raises.
    """
    from components.i18n import fmt_date
    from components.slides import deck_title
    from store import deck_access, deck_kinds, deck_slides, decks

    try:
        if choice == NEW_DECK:
            title = (new_title or "").strip()
            if not title:
                return _problem(t("deck.need_title", lang)), None
            deck = decks.create_deck({"title": title, "lang": lang})
            log.info("share: created deck %s for a %s slide", deck["slug"], slide["kind"])
        else:
            slug = choice or default_deck(decks.list_decks())
            if slug is None:
                return _problem(t("deck.need_title", lang)), None
            deck = decks.get_deck(slug)
        name = deck_title(deck, lang)
        if deck["frozen"] and slide["kind"] in deck_kinds.DATA_KINDS:
            when = fmt_date(dt.date.fromisoformat(deck["frozen_at"]), lang)
            return html.Span(
                [
                    t("deck.frozen", lang, deck=name, date=when),
                    " ",
                    _editor_link(deck["slug"], lang),
                ],
                role="alert",
                className="deck-message deck-error",
            ), None
        added = deck_slides.add_slide(deck["slug"], before_closing(deck, slide))
    except deck_access.DeckError as exc:
        log.info("share: slide not added to %r: %s", choice, exc.message)
        if exc.status == 404 and choice not in (None, NEW_DECK):
            return _problem(t("deck.missing", lang, slug=choice)), None
        return _problem(t("deck.invalid", lang, detail=exc.message)), None
    except Exception:  # noqa: BLE001 - a page must answer, whatever the deck store does
        log.exception("share: could not add a %s slide to %r", slide.get("kind"), choice)
        return _problem(t("deck.unavailable", lang)), None
    log.info("share: added a %s slide to %s at %s", slide["kind"], deck["slug"], added["position"])
    return html.Span(
        [
            t("deck.added", lang, deck=name, n=added["position"]),
            " ",
            _editor_link(deck["slug"], lang),
        ],
        className="deck-message deck-added",
    ), deck["slug"]


def decks_writable() -> bool:
    """Whether "Add to deck" is offered: not while DECKS_READONLY is on, nor to a client
    that may not change decks (see api/security.py)."""
    from store import deck_access

    return deck_access.writable()


def share_bar(
    prefix: str, kind: str, params: dict, lang: str, title: str | None = None
) -> html.Div:
    """The share bar of a view of ``kind`` ("explore", "map" or "overview").

    ``params`` is the page's URL state ({'indicator': …, 'area': …, 'lang': …}, as in its
    query string) and ``title`` what the view shows (the page heading), used in the
    citation and the embed code. The overview offers the zip, the link and the citation.
    """
    bar.check_kind(kind)
    writable = decks_writable()
    return bar.share_bar(
        prefix,
        kind,
        params,
        lang,
        share_data(kind, params, lang, title, request_origin()),
        writable=writable,
        targets=writable
        and kind == "explore"
        and has_targets(params.get("indicator"), params.get("area")),
    )


# --- callbacks ----------------------------------------------------------------------------

_APPLY = """
function(data) {
    const nu = window.dash_clientside.no_update;
    const ctx = window.dash_clientside.callback_context;
    if (!data) { return ctx.outputs_list.map(o => Array.isArray(o) ? o.map(() => nu) : nu); }
    const here = window.location.origin;
    const fix = s => (typeof s === "string" && data.origin && data.origin !== here)
        ? s.split(data.origin).join(here) : s;
    const links = ctx.outputs_list[0].map(o => data.links[o.id.key] || nu);
    const texts = ctx.outputs_list.slice(1).map(
        o => fix(data.texts[o.id.slice(o.id.indexOf("-share-") + 7)]));
    return [links, ...texts];
}
"""

# Copy buttons: "Copy link" copies the address as it is at the click (the page changes it
# with replaceState). dcc.Clipboard swaps its button for the "Copied" one and back, which
# drops keyboard focus; it is put back on the button while it has gone to <body>.
_COPY = """
function() {
    const ctx = window.dash_clientside.callback_context;
    const id = ctx.triggered_id;
    const box = id && document.getElementById(id);
    const keep = () => {
        const button = box && box.querySelector("button");
        if (button && document.activeElement === document.body) { button.focus(); }
    };
    if (box && (box.contains(document.activeElement) || document.activeElement === document.body)) {
        for (const ms of [20, 100, 300, 1050, 1200, 1500]) { setTimeout(keep, ms); }
    }
    return id === "LINK" ? window.location.href : window.dash_clientside.no_update;
}
"""


def register(prefix: str, kind: str, title_id: str | None = None) -> None:
    """Add the share bar's callbacks for ``prefix`` (once, at the page module's import).

    ``title_id`` is the element whose text titles the view (the page heading), the
    citation's title when the view's own metadata cannot be built.
    """
    if prefix in _registered:
        return
    _registered.add(prefix)
    texts = (["embed-code"] if kind in PARAM_KEYS else []) + ["cite-text", "bibtex"]
    clientside_callback(
        _APPLY,
        Output(_link_id(prefix, ALL), "href"),
        *[Output(f"{prefix}-share-{name}", "children") for name in texts],
        Input(f"{prefix}-share-data", "data"),
    )
    copies = ["link", *(["embed-copy"] if kind in PARAM_KEYS else []), "cite-copy", "bibtex-copy"]
    clientside_callback(
        _COPY.replace("LINK", f"{prefix}-share-link"),
        Output(f"{prefix}-share-link", "content"),
        *[Input(f"{prefix}-share-{name}", "n_clicks") for name in copies],
        prevent_initial_call=True,
    )
    _register_deck(prefix, kind)
    if kind not in PARAM_KEYS:  # the overview's state changes only with a page load
        return
    states = [State(title_id, "children")] if title_id else []

    @dash.callback(
        Output(f"{prefix}-share-data", "data"),
        Input(f"{prefix}-url", "data"),
        *states,
        prevent_initial_call=True,
    )
    def _follow(search: str | None, title: object = None) -> dict:
        """The page's new query string -> the share bar's links and texts."""
        if not isinstance(search, str):
            raise PreventUpdate
        params = parse_query(search)
        lang = request_lang(params.get("lang"))
        return share_data(
            kind, params, lang, title if isinstance(title, str) else None, request_origin()
        )


_NEW_BOX = """
function(choice) {
    const hidden = choice !== "NEW";
    if (!hidden) {
        setTimeout(() => { const el = document.getElementById("BOX");
                           if (el) { el.focus(); } }, 50);
    }
    return hidden;
}
"""


def _register_deck(prefix: str, kind: str) -> None:
    """The callbacks of :func:`deck_menu` (and of the cards' :func:`deck_card_button`)."""
    choice, new = f"{prefix}-deck-choice", f"{prefix}-deck-new-title"
    clientside_callback(
        _NEW_BOX.replace("NEW", NEW_DECK).replace("BOX", new),
        Output(f"{prefix}-deck-new-box", "hidden"),
        Input(choice, "value"),
    )
    outputs = [
        Output(choice, "options"),
        Output(choice, "value"),
        Output(f"{prefix}-deck-status", "children"),
        Output(new, "value"),
    ]
    triggers = [Input(f"{prefix}-deck-summary", "n_clicks")]
    if kind == "overview":
        outputs.append(Output(_card_status_id(prefix, ALL), "children"))
        triggers.append(Input(_card_id(prefix, ALL, ALL), "n_clicks"))
    else:
        triggers.append(Input(f"{prefix}-deck-add", "n_clicks"))
        if kind == "explore":
            triggers.append(Input(f"{prefix}-deck-add-target", "n_clicks"))
    states = [State(choice, "value"), State(new, "value"), State(f"{prefix}-deck-params", "data")]
    if kind in PARAM_KEYS:
        states.append(State(f"{prefix}-url", "data"))

    if kind == "explore":

        @dash.callback(
            Output(f"{prefix}-deck-add-target", "hidden"),
            Input(f"{prefix}-url", "data"),
            prevent_initial_call=True,
        )
        def _target_button(search: str | None) -> bool:
            """The indicator-vs-target button is offered when the view has targets."""
            if not isinstance(search, str):
                raise PreventUpdate
            params = parse_query(search)
            return not has_targets(params.get("indicator"), params.get("area"))

    @dash.callback(*outputs, *triggers, *states, prevent_initial_call=True)
    def _deck(*_: object) -> tuple:
        """Menu opened -> the decks; Add -> a slide of the view in the chosen deck."""
        trigger = dash.ctx.triggered_id
        if trigger is None or not dash.ctx.triggered[0]["value"]:
            raise PreventUpdate
        state = dash.ctx.states
        chosen = state.get(f"{choice}.value")
        stored = state.get(f"{prefix}-deck-params.data")
        params = dict(stored) if isinstance(stored, dict) else {}
        search = state.get(f"{prefix}-url.data")
        if isinstance(search, str):  # the page's state as it is now
            params = parse_query(search)
        lang = request_lang(params.get("lang"))
        cards = dash.ctx.outputs_list[4] if kind == "overview" else None
        keep: list = [dash.no_update] * (len(outputs) - 2)
        if cards is not None:  # a wildcard output takes a list, one item a card
            keep[-1] = [dash.no_update] * len(cards)
        if trigger == f"{prefix}-deck-summary":
            try:
                return (*deck_options(lang, chosen), *keep)
            except Exception:  # noqa: BLE001 - the page stays usable without the deck list
                log.exception("share: could not list the decks")
                return (
                    dash.no_update,
                    dash.no_update,
                    _problem(t("deck.unavailable", lang)),
                    *keep[1:],
                )
        if kind == "overview":
            slide = deck_slide(
                "overview",
                {**params, "indicator": trigger["indicator"]},
                as_target=trigger["kind"] == "target",
            )
        else:
            slide = deck_slide(kind, params, as_target=trigger == f"{prefix}-deck-add-target")
        note, slug = add_to_deck(chosen, state.get(f"{new}.value"), slide, lang)
        try:
            options, value = deck_options(lang, slug or chosen)
        except Exception:  # noqa: BLE001
            log.exception("share: could not list the decks")
            options, value = dash.no_update, dash.no_update
        cleared = "" if slug and chosen == NEW_DECK else dash.no_update
        if cards is None:
            return options, value, note, cleared
        statuses = [note if o["id"]["indicator"] == trigger["indicator"] else "" for o in cards]
        return options, value, dash.no_update, cleared, statuses
