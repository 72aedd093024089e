"""Finished answers of pure callbacks and API reads, kept whole: a repeated request skips
the callback (or the endpoint), the figure, the JSON and the compression.

Only callbacks registered with :func:`cacheable` (and Dash Pages' router for the pages
registered with :func:`cacheable_page`) take part: those whose answer depends on nothing but
the request body and the data; and GET endpoints registered with :func:`cacheable_get`,
whose answer depends on nothing but the address (path and query string), the data and the
day (a citation's access date). A kept GET answer still answers ``If-None-Match`` / ``If-Modified-Since`` with 304. The key is a digest of the data version
(:func:`store.queries.cache_version`, so a new load misses everything kept before it), the
request body, the headers the answer can depend on (``Accept-Language``,
``Accept-Encoding``: the bytes kept are the compressed ones), the host (share links), the
signed-in account and, for pages, whether the client may change decks. The answer is
kept in the app's cache (``store.cache``: in-process,
files or Redis shared by every worker), only when it is a 200 that sets no cookie.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import logging
from collections.abc import Iterable

import flask
from dash.dependencies import Output

from store import queries
from store.cache import cache, ready

log = logging.getLogger(__name__)

ROUTER = ".._pages_content.children..._pages_store.data.."
_PENDING = "indicators.response_cache_key"  # in the request's WSGI environ, as cache_version
KEPT_HEADERS = (
    "Content-Type",
    "Content-Encoding",
    "Vary",
    "Content-Disposition",
    "ETag",
    "Last-Modified",
)
_outputs: set[str] = set()
_pages: set[str] = set()
_gets: set[str] = set()


def output_key(outputs: Iterable[Output]) -> str:
    """The ``output`` string Dash's renderer posts for a callback with these outputs."""
    parts = [f"{o.component_id}.{o.component_property}" for o in outputs]
    return parts[0] if len(parts) == 1 else ".." + "...".join(parts) + ".."


def cacheable(*outputs: Output) -> None:
    """Keep the answers of the callback with these ``outputs`` (a pure callback: its answer
    depends only on its inputs, its states and the data)."""
    _outputs.add(output_key(outputs))


def cacheable_page(path: str) -> None:
    """Keep the router's answers for the page at ``path`` (its layout depends only on the
    query string, the request's language and the data)."""
    _pages.add(_page(path))


def cacheable_get(path: str) -> None:
    """Keep the answers of GET requests to ``path`` (an endpoint whose answer depends only
    on its query string, the request's language and the data)."""
    _gets.add(path)


def _page(path: str) -> str:
    """``path`` as the router matches it: one leading slash, none trailing."""
    return "/" + path.strip("/")


def _key(body: dict) -> str | None:
    """The cache key of a callback request, or None when it is not one to keep."""
    output = body.get("output")
    if not isinstance(output, str):
        return None
    if output == ROUTER:
        inputs = body.get("inputs") or []
        path = next(
            (
                i.get("value")
                for i in inputs
                if isinstance(i, dict) and i.get("property") == "pathname"
            ),
            None,
        )
        if not isinstance(path, str) or _page(path) not in _pages:
            return None
    elif output not in _outputs:
        return None
    from store import deck_access

    # a page offers "Add to deck" only to a client that may change decks
    return _digest(flask.request.get_data(), deck_access.writable() if output == ROUTER else None)


def _digest(*what: object) -> str:
    """The key of the request: ``what`` it asks, with the data version, the headers the
    answer can depend on, the host (share links) and the signed-in account."""
    from flask_login import current_user

    req = flask.request
    user = current_user.get_id() if current_user and current_user.is_authenticated else None
    parts = (
        queries.cache_version(),
        *what,
        req.headers.get("Accept-Language", ""),
        req.headers.get("Accept-Encoding", ""),
        req.host_url,
        user,
    )
    return "r:" + hashlib.sha1(repr(parts).encode(), usedforsecurity=False).hexdigest()


def _request_key(update_path: str) -> str | None:
    """The cache key of the current request, or None when it is not one to keep."""
    req = flask.request
    if req.method == "GET" and req.path in _gets:
        # the day too: answers that cite their access date say the right one
        return _digest("GET", req.full_path, dt.datetime.now(dt.UTC).date())
    if req.method != "POST" or req.path != update_path:
        return None
    body = req.get_json(silent=True)
    return _key(body) if isinstance(body, dict) else None


def init_response_cache(server: flask.Flask, update_path: str) -> None:
    """Answer repeated requests to ``update_path`` (Dash's ``/_dash-update-component``) from
    the cache. Call before compression is attached, so that the answer kept is the
    compressed one (Flask runs after-request hooks last-registered first)."""

    @server.before_request
    def _hit() -> flask.Response | None:
        req = flask.request
        if not ready():
            return None
        key = _request_key(update_path)
        if key is None:
            return None
        try:
            kept = cache.get(key)
        except Exception:  # noqa: BLE001 - a cache that is down: answer as uncached
            log.exception("response cache read failed")
            return None
        if kept is None:
            req.environ[_PENDING] = key
            return None
        data, headers = kept
        resp = flask.Response(data, status=200)
        for name, value in headers:
            resp.headers[name] = value
        return resp.make_conditional(req) if req.method == "GET" else resp

    @server.after_request
    def _keep(resp: flask.Response) -> flask.Response:
        key = flask.request.environ.pop(_PENDING, None)
        if key is None or resp.status_code != 200 or "Set-Cookie" in resp.headers:
            return resp
        if resp.is_streamed:
            return resp
        headers = [(h, resp.headers[h]) for h in KEPT_HEADERS if h in resp.headers]
        try:
            cache.set(key, (resp.get_data(), headers))
        except Exception:  # noqa: BLE001
            log.exception("response cache write failed")
        return resp
