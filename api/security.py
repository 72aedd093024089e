"""Web safety for the whole server: who may change decks, CSRF, request limits, security
headers, and 400 (never 500) for requests the framework cannot read.

Deck writes (the JSON API under /present/api, the deck editor's and "Add to deck"'s
callbacks) are allowed, until accounts exist, only

* from the machine itself: a loopback client address; a request that came through a proxy
  (X-Forwarded-For, Forwarded or X-Real-IP present) counts as from the machine only when
  ``TRUSTED_PROXIES`` says how many proxies to believe, and then the address they forward
  is the one checked;
* or with ``DECKS_WRITE_TOKEN``: in an ``Authorization: Bearer TOKEN`` or ``X-Decks-Token``
  header (scripts), or in the cookie that ``/present/unlock`` sets (browsers).

Every write that rides on an ambient credential (the loopback address or the token
cookie) also needs a CSRF token (Flask-WTF, signed with ``SECRET_KEY``) in the
``X-CSRFToken`` header, and an ``Origin``, when sent, of this server. Dash's renderer sends
the header by itself from the ``_csrf_token`` cookie, which is set for clients that may
write; scripts on the machine get one from ``GET /present/api/csrf``. The check sits in
:mod:`store.decks`' write gate (:func:`write_refusal`), so no write path can skip it.
"""

from __future__ import annotations

import hashlib
import hmac
import ipaddress
import json
import logging
from base64 import b64encode
from collections.abc import Callable

import dash
from dash import _callback
from flask import Flask, Response, current_app, has_request_context, jsonify, redirect, request
from flask_wtf.csrf import CSRFError, generate_csrf, validate_csrf
from markupsafe import escape
from werkzeug.exceptions import BadRequest, HTTPException, RequestEntityTooLarge
from werkzeug.middleware.proxy_fix import ProxyFix
from werkzeug.serving import WSGIRequestHandler
from wtforms.validators import ValidationError

import config
from components.i18n import request_lang, t
from store import deck_access, deck_database

log = logging.getLogger(__name__)

CSRF_COOKIE = "_csrf_token"  # the name Dash's renderer reads
CSRF_HEADER = "X-CSRFToken"  # the header it sends
TOKEN_COOKIE = "decks_token"
TOKEN_HEADER = "X-Decks-Token"
FORWARDING_HEADERS = ("X-Forwarded-For", "Forwarded", "X-Real-IP")
DASH_UPDATE = "/_dash-update-component"
MAX_JSON_DEPTH = 64

_inline_scripts: list[str] = []


def allow_inline_script(script: str) -> None:
    """Let the Content-Security-Policy run this exact inline ``<script>`` text."""
    if script not in _inline_scripts:
        _inline_scripts.append(script)


def _hash(script: str) -> str:
    return "'sha256-" + b64encode(hashlib.sha256(script.encode("utf-8")).digest()).decode() + "'"


# --- who may write -------------------------------------------------------------------------


def trusted_proxies() -> int:
    """TRUSTED_PROXIES as a number (0 when it is not one)."""
    raw = config.get("TRUSTED_PROXIES").strip()
    return int(raw) if raw.isdigit() else 0


def from_this_machine() -> bool:
    """Whether the client is on this machine (a loopback address, not a proxy's)."""
    if trusted_proxies() == 0 and any(h in request.headers for h in FORWARDING_HEADERS):
        return False
    try:
        return ipaddress.ip_address(request.remote_addr or "").is_loopback
    except ValueError:
        return False


def _same(given: str | None, wanted: str) -> bool:
    return bool(given) and hmac.compare_digest(given.encode(), wanted.encode())


def _header_token() -> str | None:
    auth = request.headers.get("Authorization", "")
    if auth[:7].lower() == "bearer ":
        return auth[7:].strip()
    return request.headers.get(TOKEN_HEADER)


def token_in_header() -> bool:
    """Whether the request carries DECKS_WRITE_TOKEN in a header (not an ambient cookie)."""
    wanted = config.get("DECKS_WRITE_TOKEN")
    return bool(wanted) and _same(_header_token(), wanted)


def token_in_cookie() -> bool:
    wanted = config.get("DECKS_WRITE_TOKEN")
    return bool(wanted) and _same(request.cookies.get(TOKEN_COOKIE), wanted)


def may_write() -> bool:
    """Whether this client may change decks (before CSRF); never while DECKS_READONLY is on.

    With accounts (see api/auth.py): a signed-in editor, reviewer or admin, or a script with
    DECKS_WRITE_TOKEN in a header. Without accounts: from the machine, or with the token."""
    if deck_access.read_only():
        return False
    from api import auth

    if auth.accounts_enabled():
        return auth.deck_refusal() is None or token_in_header()
    return from_this_machine() or token_in_header() or token_in_cookie()


def may_post_forms() -> bool:
    """Whether this client gets the CSRF cookie: it may change decks or is signed in."""
    from api import auth

    return may_write() or auth.current() is not None


def _origin_ok() -> bool:
    origin = request.headers.get("Origin")
    if origin is None:
        return True
    allowed = {request.host_url.rstrip("/")}
    if config.get("PUBLIC_BASE_URL"):
        base = config.get("PUBLIC_BASE_URL").split("://", 1)
        allowed.add(f"{base[0]}://{base[-1].split('/', 1)[0]}")
    return origin.rstrip("/") in allowed


def csrf_problem() -> str | None:
    """Why this request fails the CSRF check (None: it passes)."""
    if not _origin_ok():
        return f"the request comes from another site ({request.headers.get('Origin')})"
    try:
        validate_csrf(request.headers.get(CSRF_HEADER))
    except Exception as exc:  # noqa: BLE001 - wtforms' ValidationError and the like
        return f"{exc} Send the {CSRF_HEADER} header (GET /present/api/csrf gives one)."
    return None


def write_refusal(csrf: bool = True) -> deck_access.DeckError | None:
    """The store's write gate: why this request may not change decks, or None (with
    ``csrf=False``: whether this client may write at all, before the CSRF check)."""
    if not has_request_context():
        return None  # the CLI, tests and the server's own code
    if not may_write():
        from api import auth

        if auth.accounts_enabled():
            return auth.deck_refusal()
        return deck_access.DecksLocked()
    if not csrf or token_in_header():
        return None  # a header token is a credential a browser never adds by itself
    problem = csrf_problem()
    if problem:
        log.warning("decks: write refused (CSRF) from %s: %s", request.remote_addr, problem)
        return deck_access.DeckError(f"CSRF check failed: {problem}", 403)
    return None


# --- Dash callback requests ----------------------------------------------------------------


def json_depth(value: object, limit: int) -> int:
    """The nesting depth of ``value``, stopping past ``limit`` (no recursion)."""
    stack, deepest = [(value, 1)], 0
    while stack:
        item, d = stack.pop()
        deepest = max(deepest, d)
        if deepest > limit:
            return deepest
        if isinstance(item, dict):
            stack.extend((v, d + 1) for v in item.values())
        elif isinstance(item, list):
            stack.extend((v, d + 1) for v in item)
    return deepest


def read_json() -> object:
    """The request's JSON body; BadRequest (400) when it is not JSON or nests too deep."""
    try:
        data = json.loads(request.get_data(cache=True) or b"null")
    except (ValueError, RecursionError):
        raise BadRequest("the request body is not valid JSON") from None
    if json_depth(data, MAX_JSON_DEPTH) > MAX_JSON_DEPTH:
        raise BadRequest(f"the JSON nests deeper than {MAX_JSON_DEPTH} levels")
    return data


_NUMBER = (int, float)
_SCALAR = (str, int, float, type(None))
# What the browser sends for the properties the project's callbacks read (Dash's own
# components); a "value" is a scalar or a flat list (dropdowns, sliders, radio items).
PROP_CHECKS: dict[str, Callable[[object], bool]] = {
    "n_clicks": lambda v: v is None or isinstance(v, _NUMBER),
    "n_intervals": lambda v: v is None or isinstance(v, _NUMBER),
    "submit_n_clicks": lambda v: v is None or isinstance(v, _NUMBER),
    "pathname": lambda v: v is None or (isinstance(v, str) and v.startswith("/")),
    "search": lambda v: v is None or isinstance(v, str),
    "hash": lambda v: v is None or isinstance(v, str),
    "href": lambda v: v is None or isinstance(v, str),
    "date": lambda v: v is None or isinstance(v, str),
    "clickData": lambda v: v is None or isinstance(v, dict),
    "value": lambda v: (
        isinstance(v, _SCALAR) or (isinstance(v, list) and all(isinstance(i, _SCALAR) for i in v))
    ),
}


def _bad_value(item: dict) -> bool:
    check = PROP_CHECKS.get(item["property"])
    return check is not None and "value" in item and not check(item["value"])


def _is_prop(item: object) -> bool:
    return (
        isinstance(item, dict)
        and isinstance(item.get("id"), (str, dict))
        and isinstance(item.get("property"), str)
    )


def _props(value: object) -> bool:
    """A callback's inputs/state: a list of {id, property, value} or of lists of them
    (wildcards)."""
    if not isinstance(value, list):
        return False
    return all(_is_prop(i) or (isinstance(i, list) and all(map(_is_prop, i))) for i in value)


def _flat(items: list) -> list[dict]:
    return [p for i in items for p in (i if isinstance(i, list) else [i])]


def dash_request_problem(body: object, callback_map: dict) -> str | None:
    """What is wrong with a /_dash-update-component body (None: its shape is right)."""
    if not isinstance(body, dict):
        return "the body must be a JSON object"
    output = body.get("output")
    if not isinstance(output, str) or output not in callback_map:
        return "'output' names no callback of this app"
    outputs = body.get("outputs")
    if not (
        _is_prop(outputs)
        or (isinstance(outputs, list) and all(_is_prop(o) or isinstance(o, list) for o in outputs))
    ):
        return "'outputs' must be {id, property} or a list of them"
    if not _props(body.get("inputs")):
        return "'inputs' must be a list of {id, property, value}"
    if "state" in body and not _props(body["state"]):
        return "'state' must be a list of {id, property, value}"
    for item in _flat([*body["inputs"], *body.get("state", [])]):
        if _bad_value(item):
            return f"{item['property']} of {item['id']!r} cannot be {item['value']!r}"[:300]
    changed = body.get("changedPropIds", [])
    if not isinstance(changed, list) or not all(isinstance(c, str) for c in changed):
        return "'changedPropIds' must be a list of strings"
    spec = callback_map[output]
    if spec.get("callback") is None:
        return "this callback runs in the browser"
    if len(body["inputs"]) != len(spec.get("inputs", [])):
        return f"this callback takes {len(spec.get('inputs', []))} inputs"
    if len(body.get("state", [])) != len(spec.get("state", [])):
        return f"this callback takes {len(spec.get('state', []))} states"
    return None


# --- headers -------------------------------------------------------------------------------


class _Csp:
    """The Content-Security-Policy: scripts from this server and the exact inline scripts
    Dash (renderer, clientside callbacks) and the project's pages use; recomputed when
    new inline scripts appear."""

    def __init__(self, app: dash.Dash) -> None:
        self.app = app
        self.count = -1
        self.hashes: list[str] = []

    def script_src(self) -> str:
        count = len(self.app._inline_scripts) + len(_callback.GLOBAL_INLINE_SCRIPTS)
        count += len(_inline_scripts)
        if count != self.count:
            self.hashes = list(
                dict.fromkeys([*self.app.csp_hashes(), *map(_hash, _inline_scripts)])
            )
            self.count = len(self.app._inline_scripts) + len(_inline_scripts)
        return " ".join(["'self'", *self.hashes])

    def header(self, frame_ancestors: str) -> str:
        framing = [] if frame_ancestors == "*" else [f"frame-ancestors {frame_ancestors}"]
        return "; ".join(
            [
                "default-src 'self'",
                f"script-src {self.script_src()}",
                "style-src 'self' 'unsafe-inline'",  # Plotly and React set styles inline
                "img-src 'self' data: blob:",
                "font-src 'self' data:",
                "connect-src 'self'",
                "worker-src 'self' blob:",
                "object-src 'none'",
                "base-uri 'self'",
                "form-action 'self'",
                *framing,  # "*": no frame-ancestors, so any page (also a local file) may frame
            ]
        )


def _frame_ancestors() -> str:
    if request.path.startswith("/embed/"):
        return config.get("EMBED_FRAME_ANCESTORS").strip() or "'self'"
    return "'self'"


class DevRequestHandler(WSGIRequestHandler):
    """The development server (`python app.py`) without its and Python's version in the
    Server header (gunicorn sends just "gunicorn")."""

    def version_string(self) -> str:
        return "aral-indicators"


# --- wiring --------------------------------------------------------------------------------


def init_security(app: dash.Dash) -> None:
    """Attach the write gate, CSRF, limits, headers and error handlers to ``app``."""
    server: Flask = app.server
    proxies = trusted_proxies()
    if proxies:
        server.wsgi_app = ProxyFix(  # type: ignore[method-assign]
            server.wsgi_app, x_for=proxies, x_proto=proxies, x_host=proxies, x_port=proxies
        )
    server.config["SECRET_KEY"] = config.get("SECRET_KEY") or None
    server.config["WTF_CSRF_TIME_LIMIT"] = None  # valid as long as the browser session
    server.config["MAX_CONTENT_LENGTH"] = int(config.get("MAX_REQUEST_BYTES"))
    server.config["SESSION_COOKIE_SAMESITE"] = "Lax"
    server.config["SESSION_COOKIE_HTTPONLY"] = True
    deck_access.set_write_gate(write_refusal)
    from api.auth import init_auth

    # Without SECRET_KEY, the key is made on first use and kept in the deck database.
    init_auth(server, make_key=_lazy_secret)
    csp = _Csp(app)

    @server.before_request
    def _check_dash_request() -> tuple[Response, int] | None:
        if request.path != DASH_UPDATE or request.method != "POST":
            return None
        problem = dash_request_problem(read_json(), app.callback_map)
        if problem:
            return jsonify({"error": f"bad callback request: {problem}", "status": 400}), 400
        return None

    @server.after_request
    def _headers(resp: Response) -> Response:
        h = resp.headers
        h.setdefault("X-Content-Type-Options", "nosniff")
        h.setdefault("Referrer-Policy", "same-origin")
        if resp.mimetype == "text/html":
            h.setdefault("Content-Security-Policy", csp.header(_frame_ancestors()))
            if not request.path.startswith("/embed/"):
                h.setdefault("X-Frame-Options", "SAMEORIGIN")
            if may_post_forms() and resp.status_code < 400:
                _set_csrf_cookie(resp)
        elif request.path == DASH_UPDATE and not _csrf_cookie_current() and may_post_forms():
            _set_csrf_cookie(resp)
        return resp

    @server.errorhandler(CSRFError)
    def _csrf(exc: CSRFError) -> tuple[Response, int]:
        return jsonify({"error": f"CSRF check failed: {exc.description}", "status": 400}), 400

    @server.errorhandler(RequestEntityTooLarge)
    def _too_large(exc: HTTPException) -> tuple[Response, int]:
        limit = server.config["MAX_CONTENT_LENGTH"]
        return jsonify({"error": f"the request is larger than {limit} bytes", "status": 413}), 413

    @server.errorhandler(RecursionError)
    def _too_deep(exc: RecursionError) -> tuple[Response, int]:
        return jsonify({"error": "the request nests too deep", "status": 400}), 400

    @server.errorhandler(BadRequest)
    def _bad_request(exc: BadRequest) -> tuple[Response, int] | HTTPException:
        if request.path == DASH_UPDATE or request.path.startswith("/present/api"):
            return jsonify({"error": exc.description, "status": 400}), 400
        return exc

    server.add_url_rule("/present/api/csrf", "csrf_token", _csrf_token)
    server.add_url_rule("/present/unlock", "unlock", _unlock, methods=["GET", "POST"])


def _lazy_secret() -> str:
    try:
        return deck_database.secret_key()
    except Exception:  # noqa: BLE001 - a key per process still protects (one worker)
        log.exception("could not read the secret key from the deck database")
        import secrets

        return secrets.token_hex(32)


def _csrf_cookie_current() -> bool:
    """Whether the request carries a CSRF cookie the session accepts: a callback's answer
    then leaves it as it is (no account lookup, no new token on every callback)."""
    sent = request.cookies.get(CSRF_COOKIE)
    if not sent:
        return False
    try:
        validate_csrf(sent)
    except ValidationError:
        return False
    return True


def _set_csrf_cookie(resp: Response) -> None:
    if not current_app.secret_key:
        current_app.secret_key = _lazy_secret()
    resp.set_cookie(
        CSRF_COOKIE,
        generate_csrf(),
        samesite="Strict",
        secure=request.is_secure,
        httponly=False,  # Dash's renderer reads it
    )


def _csrf_token() -> tuple[Response, int]:
    """``{"csrf_token": ...}`` for a client that may write (with the session cookie)."""
    if not may_post_forms():
        refusal = write_refusal(csrf=False) or deck_access.DecksLocked()
        return jsonify({"error": refusal.message, "status": refusal.status}), refusal.status
    resp = jsonify({"csrf_token": generate_csrf(), "header": CSRF_HEADER})
    _set_csrf_cookie(resp)
    return resp, 200


def _unlock_page(lang: str, message_key: str | None, status: int) -> tuple[str, int]:
    message = f"<p role='alert'>{escape(t(message_key, lang))}</p>" if message_key else ""
    title = escape(t("sec.unlock", lang))
    page = (
        f'<!DOCTYPE html><html lang="{lang}"><head><meta charset="utf-8"><title>{title}</title>'
        f"</head><body><main><h1>{title}</h1>{message}"
        f'<form method="post"><input type="hidden" name="csrf_token" value="{generate_csrf()}">'
        f'<label>{escape(t("sec.token", lang))} <input name="token" type="password" '
        'autocomplete="current-password" required></label> '
        f'<button type="submit">{escape(t("sec.submit", lang))}</button></form>'
        "</main></body></html>"
    )
    return page, status


def _unlock() -> Response | tuple[str, int]:
    """GET: a form for DECKS_WRITE_TOKEN; POST: the token in a cookie, then /decks."""
    lang = request_lang(request.args.get("lang"))
    wanted = config.get("DECKS_WRITE_TOKEN")
    if not wanted:
        return _unlock_page(lang, "sec.no_token", 404)
    if request.method == "GET":
        return _unlock_page(lang, None, 200)
    try:
        validate_csrf(request.form.get("csrf_token"))
    except Exception:  # noqa: BLE001 - wtforms' ValidationError
        return _unlock_page(lang, "sec.retry", 400)
    if not _same(request.form.get("token"), wanted):
        log.warning("decks: wrong access token from %s", request.remote_addr)
        return _unlock_page(lang, "sec.wrong", 403)
    resp = redirect(f"/decks?lang={lang}")
    resp.set_cookie(
        TOKEN_COOKIE, wanted, httponly=True, samesite="Strict", secure=request.is_secure
    )
    return resp
