"""Finished answers of pure callbacks, kept whole: a repeated request skips the callback,
the figure, Dash's JSON and the compression.

Only callbacks registered with :func:`cacheable` (and Dash Pages' router for the pages
registered with :func:`cacheable_page`) take part: those whose answer depends on nothing but
the request body and the data. The key is a digest of the data version
(:func:`store.queries.cache_version`, so a new load misses everything kept before it), the
request body, the headers the answer can depend on (``Accept-Language``,
``Accept-Encoding``: the bytes kept are the compressed ones), the host (share links), the
signed-in account and, for pages, whether the client may change decks. The answer is
kept in the app's cache (``store.cache``: in-process,
files or Redis shared by every worker), only when it is a 200 that sets no cookie.
"""

from __future__ import annotations

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
KEPT_HEADERS = ("Content-Type", "Content-Encoding", "Vary")
_outputs: set[str] = set()
_pages: set[str] = set()


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


def _page(path: str) -> str:
    """``path`` as the router matches it: one leading slash, none trailing."""
    return "/" + path.strip("/")


def _key(body: dict) -> str | None:
    """The cache key of a callback request, or None when it is not one to keep."""
    output = body.get("output")
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
    from flask_login import current_user

    from store import deck_access

    req = flask.request
    user = current_user.get_id() if current_user and current_user.is_authenticated else None
    parts = (
        queries.cache_version(),
        req.get_data(),
        req.headers.get("Accept-Language", ""),
        req.headers.get("Accept-Encoding", ""),
        req.host_url,
        user,
        # a page offers "Add to deck" only to a client that may change decks
        deck_access.writable() if output == ROUTER else None,
    )
    return "r:" + hashlib.sha1(repr(parts).encode(), usedforsecurity=False).hexdigest()


def init_response_cache(server: flask.Flask, update_path: str) -> None:
    """Answer repeated requests to ``update_path`` (Dash's ``/_dash-update-component``) from
    the cache. Call before compression is attached, so that the answer kept is the
    compressed one (Flask runs after-request hooks last-registered first)."""

    @server.before_request
    def _hit() -> flask.Response | None:
        req = flask.request
        if not ready() or req.method != "POST" or req.path != update_path:
            return None
        body = req.get_json(silent=True)
        key = _key(body) if isinstance(body, dict) else None
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
        return resp

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
