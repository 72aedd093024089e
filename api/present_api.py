"""/present/api: the JSON API for the deck editor (JSON in and out; errors are
``{"error": "..."}`` with 400 bad input, 404 unknown deck or slide, 409 conflict, and 403
for every POST, PUT and DELETE while DECKS_READONLY is on):

    GET    /present/api/kinds                              slide kinds and their parameters
    GET    /present/api/decks                              {"decks": [summary, ...]}
    POST   /present/api/decks                              create {title, lang?, slug?,
                                                           translations?, slides?} -> 201 deck
    GET    /present/api/decks/SLUG                         the deck with its slides
    PUT    /present/api/decks/SLUG                         change {title?, lang?, slug?,
                                                           translations?}
    DELETE /present/api/decks/SLUG                         -> {"deleted": SLUG}
    POST   /present/api/decks/SLUG/copy                    copy {slug?, title?} -> 201 deck
    GET    /present/api/decks/SLUG/export                  the deck as a file to import
    POST   /present/api/decks/SLUG/slides                  add {kind, params?, title?, text?,
                                                           notes?, translations?, position?}
                                                           -> 201 slide
    GET    /present/api/decks/SLUG/slides/ID               one slide
    PUT    /present/api/decks/SLUG/slides/ID               change a slide (same fields)
    DELETE /present/api/decks/SLUG/slides/ID               -> the deck
    POST   /present/api/decks/SLUG/slides/ID/move          {position} -> the deck
    POST   /present/api/decks/SLUG/order                   {order: [ID, ...]} -> the deck
    POST   /present/api/decks/SLUG/freeze                  {as_of?: YYYY-MM-DD} -> the deck
    POST   /present/api/decks/SLUG/unfreeze                -> the deck
"""

from __future__ import annotations

import functools
import json
from collections.abc import Callable
from urllib.parse import urlencode

from flask import Blueprint, Response, jsonify, request, url_for

from api import security
from components.i18n import LANGS
from store import deck_access, deck_freeze, deck_kinds, deck_slides, decks

blueprint = Blueprint("present_api", __name__, url_prefix="/present/api")


def _api(fn: Callable) -> Callable:
    """Answer a DeckError as JSON ``{"error": message}`` with its status; refuse a write
    (403) before reading the request while DECKS_READONLY is on, or when the client may
    not write or fails the CSRF check (see api/security.py)."""

    @functools.wraps(fn)
    def wrapper(*args: object, **kwargs: object) -> Response | tuple:
        try:
            if request.method not in ("GET", "HEAD", "OPTIONS"):
                refusal = deck_access.write_refusal()
                if refusal is not None:
                    raise refusal
            return fn(*args, **kwargs)
        except deck_access.DeckError as exc:
            return jsonify({"error": exc.message}), exc.status

    return wrapper


def _body() -> dict:
    raw = request.get_data()
    if not raw:
        return {}
    try:
        data = json.loads(raw)
    except (ValueError, RecursionError):
        data = None
    if data is None or not request.is_json:
        raise deck_access.DeckError(
            "the request body must be JSON (Content-Type: application/json)"
        )
    if security.json_depth(data, security.MAX_JSON_DEPTH) > security.MAX_JSON_DEPTH:
        raise deck_access.DeckError(f"the JSON nests deeper than {security.MAX_JSON_DEPTH} levels")
    if not isinstance(data, dict):
        raise deck_access.DeckError("the request body must be a JSON object")
    return data


def _slide_id(value: str) -> int:
    if not value.isdigit():
        raise deck_access.DeckError(f"there is no slide {value!r}", 404)
    return int(value)


def _with_urls(deck: dict) -> dict:
    q = urlencode({"deck": deck["slug"]})
    deck["urls"] = {
        "present": f"{url_for('present.present')}?{q}",
        "presenter": f"{url_for('present.notes')}?{q}",
        "html": f"{url_for('present.export_html')}?{q}",
        "pdf": f"{url_for('present.export_pdf')}?{q}",
    }
    return deck


@blueprint.get("/kinds")
@_api
def api_kinds() -> Response:
    return jsonify({"kinds": deck_kinds.kinds(), "langs": list(LANGS)})


@blueprint.get("/decks")
@_api
def api_decks() -> Response:
    return jsonify({"decks": decks.list_decks()})


@blueprint.post("/decks")
@_api
def api_create() -> tuple:
    return jsonify(_with_urls(decks.create_deck(_body()))), 201


@blueprint.get("/decks/<slug>")
@_api
def api_deck(slug: str) -> Response:
    return jsonify(_with_urls(decks.get_deck(slug)))


@blueprint.put("/decks/<slug>")
@_api
def api_update(slug: str) -> Response:
    return jsonify(_with_urls(decks.update_deck(slug, _body())))


@blueprint.delete("/decks/<slug>")
@_api
def api_delete(slug: str) -> Response:
    decks.delete_deck(slug)
    return jsonify({"deleted": slug})


@blueprint.post("/decks/<slug>/copy")
@_api
def api_copy(slug: str) -> tuple:
    body = _body()
    unknown = [k for k in body if k not in ("slug", "title")]
    if unknown:
        raise deck_access.DeckError(f"unknown field {unknown[0]!r}; allowed: slug, title")
    doc = decks.export_deck(slug)
    doc.pop("slug")
    doc.update({k: v for k, v in body.items() if v})
    return jsonify(_with_urls(decks.create_deck(doc, check_refs=False))), 201


@blueprint.get("/decks/<slug>/export")
@_api
def api_export(slug: str) -> Response:
    return jsonify(decks.export_deck(slug))


@blueprint.post("/decks/<slug>/slides")
@_api
def api_add_slide(slug: str) -> tuple:
    return jsonify(deck_slides.add_slide(slug, _body())), 201


@blueprint.get("/decks/<slug>/slides/<slide_id>")
@_api
def api_slide(slug: str, slide_id: str) -> Response:
    return jsonify(deck_slides.get_slide(slug, _slide_id(slide_id)))


@blueprint.put("/decks/<slug>/slides/<slide_id>")
@_api
def api_update_slide(slug: str, slide_id: str) -> Response:
    return jsonify(deck_slides.update_slide(slug, _slide_id(slide_id), _body()))


@blueprint.delete("/decks/<slug>/slides/<slide_id>")
@_api
def api_delete_slide(slug: str, slide_id: str) -> Response:
    return jsonify(_with_urls(deck_slides.delete_slide(slug, _slide_id(slide_id))))


@blueprint.post("/decks/<slug>/slides/<slide_id>/move")
@_api
def api_move_slide(slug: str, slide_id: str) -> Response:
    body = _body()
    if "position" not in body:
        raise deck_access.DeckError('give the new position: {"position": 1} (1 = first)')
    return jsonify(_with_urls(deck_slides.move_slide(slug, _slide_id(slide_id), body["position"])))


@blueprint.post("/decks/<slug>/order")
@_api
def api_order(slug: str) -> Response:
    return jsonify(_with_urls(deck_slides.reorder_slides(slug, _body().get("order"))))


@blueprint.post("/decks/<slug>/freeze")
@_api
def api_freeze(slug: str) -> Response:
    return jsonify(_with_urls(deck_freeze.freeze(slug, _body().get("as_of"))))


@blueprint.post("/decks/<slug>/unfreeze")
@_api
def api_unfreeze(slug: str) -> Response:
    return jsonify(_with_urls(deck_freeze.unfreeze(slug)))
