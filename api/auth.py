"""Accounts on the web: sign in and out, who the client is, what it may do, the audit trail.

* Sessions: Flask-Login in Flask's signed session cookie (HttpOnly, SameSite=Lax, Secure
  over HTTPS), signed with ``SECRET_KEY``. With accounts in use, the server refuses to sign
  anyone in until ``SECRET_KEY`` is set (except in debug and tests).
* Passwords: argon2id (:mod:`store.accounts`). Failed sign-ins are rate-limited per client
  address by Flask-Limiter (``LOGIN_RATE_LIMIT``; only failures count).
* CSRF: every form carries Flask-WTF's token and is checked with the ``Origin``
  (:func:`form_csrf_problem`); JSON writes send it in ``X-CSRFToken``.
* SSO: with ``SSO_HEADER`` set, a request that reached the server through a proxy listed in
  ``SSO_PROXY_ADDRESSES`` (and ``TRUSTED_PROXIES`` above 0) is signed in as the active
  account the header names; the header from anyone else is ignored.

The pages here (/login, /logout) are plain server-rendered HTML in kk, ru and en.
"""

from __future__ import annotations

import ipaddress
import logging
from collections.abc import Callable
from functools import wraps
from typing import Any
from urllib.parse import urlsplit

from flask import Flask, Request, Response, current_app, jsonify, redirect, request
from flask.sessions import SecureCookieSession, SecureCookieSessionInterface
from flask_limiter import Limiter
from flask_limiter.errors import RateLimitExceeded
from flask_login import LoginManager, UserMixin, current_user, login_user, logout_user
from flask_wtf.csrf import generate_csrf, validate_csrf
from markupsafe import Markup, escape

import config
from components.i18n import request_lang, t
from store import accounts, deck_access, queries
from views import shell as views_shell

log = logging.getLogger(__name__)


class Account(UserMixin):
    """The signed-in account of a request (a row of :data:`store.accounts.users`)."""

    def __init__(self, row: dict) -> None:
        self.row = row
        self.id = row["username"]
        self.username: str = row["username"]
        self.role: str = row["role"]
        self.areas: list[str] = list(row["areas"])
        self.organisation: str = row["organisation"]
        self.name: str = row["name"]

    def at_least(self, role: str) -> bool:
        return accounts.role_at_least(self.role, role)

    def covers(self, kato: str) -> bool:
        """Whether this account acts for ``kato`` (one of its areas, or an area above it)."""
        return accounts.covers(self.areas, kato, _parent_of)


def _parent_of(kato: str) -> str | None:
    area = queries.area(kato)
    return area.get("parent") if area else None


# --- who the client is -------------------------------------------------------------------


def accounts_enabled() -> bool:
    """Whether this server has accounts (remembered for the request)."""
    env = request.environ
    if _ENABLED not in env:
        try:
            env[_ENABLED] = accounts.enabled()
        except Exception:  # noqa: BLE001 - a broken app database: behave as without accounts
            log.exception("accounts: cannot read the application database")
            env[_ENABLED] = False
    return env[_ENABLED]


_ENABLED = "aral.accounts_enabled"


def current() -> Account | None:
    """The signed-in account of this request, or None (anonymous, or no accounts)."""
    if not accounts_enabled():
        return None
    user = current_user
    return user if getattr(user, "is_authenticated", False) else None  # type: ignore[return-value]


def client_ip() -> str | None:
    return request.remote_addr


def audit(
    action: str, target: str | None = None, detail: str | None = None, ok: bool = True
) -> None:
    """Append to the audit log: this request's account (or none) and client address."""
    who = current()
    try:
        accounts.audit(
            action,
            actor=who.username if who else None,
            target=target,
            detail=detail,
            ip=client_ip(),
            ok=ok,
        )
    except Exception:  # noqa: BLE001 - never lose the answer; the log says it failed
        log.exception("audit: could not record %s %s", action, target)


def secret_problem(app: Flask) -> str | None:
    """Why sign-in is refused for want of a configured SECRET_KEY (None: it is set, or
    this is a debug or test server)."""
    if config.get("SECRET_KEY") or app.debug or app.testing:
        return None
    return "accounts need the SECRET_KEY setting (a long random value) in the environment"


def refuse(status: int, message: str) -> tuple[Response, int]:
    return jsonify({"error": message, "status": status}), status


def require(role: str) -> Callable:
    """A view decorator: 401 for an anonymous client, 403 for an account below ``role``;
    404 when this server has no accounts."""

    def deco(view: Callable) -> Callable:
        @wraps(view)
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            if not accounts_enabled():
                return refuse(404, "this server has no accounts")
            who = current()
            if who is None:
                if request.method == "GET" and request.accept_mimetypes.accept_html:
                    lang = request_lang(request.args.get("lang"))
                    return redirect(f"/login?lang={lang}&next={request.full_path.rstrip('?')}")
                return refuse(401, "sign in first (/login)")
            if not who.at_least(role):
                return refuse(403, f"this needs the {role} role; yours is {who.role}")
            return view(*args, **kwargs)

        return wrapper

    return deco


def form_csrf_problem() -> str | None:
    """Why this form or JSON write fails the CSRF check (None: it passes): the Origin must
    be this site and the token (form field ``csrf_token`` or header X-CSRFToken) valid."""
    from api.security import CSRF_HEADER, csrf_problem

    token = request.form.get("csrf_token") if request.form else None
    if token is None:
        return csrf_problem()
    from api.security import _origin_ok

    if not _origin_ok():
        return f"the request comes from another site ({request.headers.get('Origin')})"
    try:
        validate_csrf(token)
    except Exception as exc:  # noqa: BLE001 - wtforms' ValidationError
        return f"{exc} (form field csrf_token or header {CSRF_HEADER})"
    return None


# --- deck writes -----------------------------------------------------------------------------


def deck_refusal() -> deck_access.DeckError | None:
    """With accounts: who may change decks (editors and up); None = allowed."""
    who = current()
    if who is None:
        return deck_access.DecksNeedAccount("sign in as an editor to change decks (/login)", 401)
    if not who.at_least("editor"):
        return deck_access.DecksNeedAccount(
            f"changing decks needs the editor role; yours is {who.role}", 403
        )
    return None


def _after_deck_write(name: str, args: tuple, kwargs: dict) -> None:
    target = next((a for a in args if isinstance(a, str)), None)
    if has_request():
        audit(f"deck.{name}", target)
        return
    try:
        accounts.audit(f"deck.{name}", actor=None, target=target)
    except Exception:  # noqa: BLE001 - the deck is written; the log says the entry failed
        log.exception("audit: could not record deck.%s %s", name, target)


def has_request() -> bool:
    from flask import has_request_context

    return has_request_context()


# --- SSO --------------------------------------------------------------------------------------


def _peer() -> str:
    """The address of the machine that opened the connection (the proxy, if any)."""
    orig = request.environ.get("werkzeug.proxy_fix.orig", {})
    return orig.get("REMOTE_ADDR") or request.environ.get("REMOTE_ADDR", "")


def sso_user() -> str | None:
    """The user name a trusted proxy asserts in SSO_HEADER, or None."""
    header = config.get("SSO_HEADER").strip()
    if not header or header not in request.headers:
        return None
    from api.security import trusted_proxies

    allowed = config.get("SSO_PROXY_ADDRESSES").split()
    try:
        peer = ipaddress.ip_address(_peer())
        trusted = trusted_proxies() > 0 and any(
            peer in ipaddress.ip_network(a, strict=False) for a in allowed
        )
    except ValueError:
        trusted = False
    if not trusted:
        log.warning("accounts: ignored %s from %s (not a trusted proxy)", header, _peer())
        return None
    return request.headers[header].strip().lower() or None


# --- pages ------------------------------------------------------------------------------------


def html_page(lang: str, title: str, body: str | Markup, status: int = 200) -> tuple[str, int]:
    """A plain page in the site's style: header with the sign-in state, the body."""
    who = current() if has_request() else None
    links = [f'<a href="/?lang={lang}">{escape(t("app.title", lang))}</a>']
    if who is not None:
        if who.at_least("editor"):
            links.append(f'<a href="/submit?lang={lang}">{escape(t("acc.submit", lang))}</a>')
        if who.at_least("reviewer"):
            links.append(f'<a href="/review?lang={lang}">{escape(t("acc.review", lang))}</a>')
        if who.at_least("admin"):
            links.append(f'<a href="/audit?lang={lang}">{escape(t("acc.audit", lang))}</a>')
        links.append(
            f'<span class="acc-who">{escape(who.name)} ({escape(t("acc.role." + who.role, lang))})'
            f"</span> "
            f'<form method="post" action="/logout?lang={lang}" class="inline">'
            f'<input type="hidden" name="csrf_token" value="{generate_csrf()}">'
            f'<button type="submit">{escape(t("acc.logout", lang))}</button></form>'
        )
    langs = " ".join(
        f'<a class="lang-link" href="?lang={code}" lang="{code}">{code.upper()}</a>'
        for code in ("kk", "ru", "en")
    )
    page = (
        f'<!DOCTYPE html><html lang="{lang}"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{escape(title)}</title>"
        '<link rel="stylesheet" href="/assets/style.css"></head><body>'
        f'<header class="shell-header"><nav class="shell-nav">{" ".join(links)}</nav>'
        f'<div class="shell-langs">{langs}</div></header>'
        f'<main id="main"><h1>{escape(title)}</h1>{body}</main></body></html>'
    )
    return page, status


def _safe_next(target: str | None, lang: str) -> str:
    """Only a path on this site (never another host) to go to after signing in."""
    if target and target.startswith("/") and not target.startswith("//"):
        parts = urlsplit(target)
        if not parts.netloc and not parts.scheme:
            return target
    return f"/?lang={lang}"


def _login_page(lang: str, message: str | None, status: int, username: str = "") -> tuple[str, int]:
    alert = (
        f'<p role="alert" class="notice notice-warning">{escape(message)}</p>' if message else ""
    )
    nxt = escape(request.args.get("next", ""))
    body = (
        f"{alert}"
        f'<form method="post" action="/login?lang={lang}&amp;next={nxt}" class="acc-form">'
        f'<input type="hidden" name="csrf_token" value="{generate_csrf()}">'
        f"<p><label>{escape(t('acc.username', lang))}<br>"
        f'<input name="username" autocomplete="username" required value="{escape(username)}">'
        "</label></p>"
        f"<p><label>{escape(t('acc.password', lang))}<br>"
        '<input name="password" type="password" autocomplete="current-password" required>'
        "</label></p>"
        f'<p><button type="submit">{escape(t("acc.login", lang))}</button></p></form>'
        f'<p class="muted">{escape(t("acc.login_help", lang))}</p>'
    )
    return html_page(lang, t("acc.login", lang), body, status)


def login_view() -> Response | tuple[str, int]:
    """GET: the sign-in form; POST: check the password, sign in, go to ``next``."""
    lang = request_lang(request.args.get("lang"))
    if not accounts_enabled():
        return html_page(lang, t("acc.login", lang), escape(t("acc.none", lang)), 404)
    problem = secret_problem(current_app)
    if problem:
        log.error("accounts: %s", problem)
        return html_page(lang, t("acc.login", lang), escape(problem), 503)
    if request.method == "GET":
        return _login_page(lang, None, 200)
    username = (request.form.get("username") or "").strip().lower()
    problem = form_csrf_problem()
    if problem:
        log.warning("accounts: sign-in refused (CSRF) from %s: %s", client_ip(), problem)
        return _login_page(lang, t("sec.retry", lang), 400, username)
    row = accounts.authenticate(username, request.form.get("password") or "")
    if row is None:
        accounts.audit("login", actor=username[:64] or None, ip=client_ip(), ok=False)
        return _login_page(lang, t("acc.wrong", lang), 401, username)
    login_user(Account(row))
    accounts.audit("login", actor=row["username"], ip=client_ip())
    return redirect(_safe_next(request.args.get("next"), lang))


def logout_view() -> Response | tuple[str, int]:
    """GET: a button; POST (with the CSRF token): sign out."""
    lang = request_lang(request.args.get("lang"))
    who = current()
    if request.method == "GET" or who is None:
        if who is None:
            return redirect(f"/?lang={lang}")
        return html_page(lang, t("acc.logout", lang), "")  # the header has the button
    if form_csrf_problem():
        return html_page(lang, t("acc.logout", lang), escape(t("sec.retry", lang)), 400)
    audit("logout")
    logout_user()
    return redirect(f"/?lang={lang}")


# --- wiring -----------------------------------------------------------------------------------


class _AutoSecureSession(SecureCookieSessionInterface):
    """The session cookie is Secure whenever the request came over HTTPS (also through a
    trusted proxy), and always with SESSION_COOKIE_SECURE. Without a SECRET_KEY, ``make_key``
    gives the app its key before the first session is opened (a session opened without
    one cannot be written: the first request of a worker would fail)."""

    def __init__(self, make_key: Callable[[], str] | None = None) -> None:
        self.make_key = make_key

    def open_session(self, app: Flask, req: Request) -> SecureCookieSession | None:
        if not app.secret_key and self.make_key is not None:
            app.secret_key = self.make_key()
        return super().open_session(app, req)

    def get_cookie_secure(self, app: Flask) -> bool:
        return bool(app.config.get("SESSION_COOKIE_SECURE")) or (
            has_request() and request.is_secure
        )


limiter = Limiter(
    key_func=lambda: request.remote_addr or "unknown",
    storage_uri=None,
    headers_enabled=True,
)


def _failed(resp: Response) -> bool:
    return request.method == "POST" and resp.status_code >= 400


def init_auth(server: Flask, make_key: Callable[[], str] | None = None) -> None:
    """Sessions (``make_key``: the secret key when none is configured), the sign-in pages,
    the rate limit, SSO and the deck write audit."""
    server.session_interface = _AutoSecureSession(make_key)
    server.config.setdefault("RATELIMIT_STORAGE_URI", config.get("RATELIMIT_STORAGE_URL"))
    limiter.init_app(server)
    manager = LoginManager()
    manager.session_protection = "basic"
    manager.init_app(server)

    @manager.user_loader
    def _load(username: str) -> Account | None:
        row = accounts.get_user(username)
        return Account(row) if row and row["active"] else None

    @manager.request_loader
    def _from_proxy(req: Any) -> Account | None:
        name = sso_user()
        if not name:
            return None
        row = accounts.get_user(name)
        if row is None or not row["active"]:
            log.warning("accounts: SSO user %r has no active account", name)
            return None
        return Account(row)

    @server.errorhandler(RateLimitExceeded)
    def _limited(exc: RateLimitExceeded) -> tuple[str, int]:
        lang = request_lang(request.args.get("lang"))
        accounts.audit("login.limited", actor=None, ip=client_ip(), ok=False)
        return html_page(lang, t("acc.login", lang), escape(t("acc.limited", lang)), 429)

    login = limiter.limit(
        lambda: config.get("LOGIN_RATE_LIMIT"), methods=["POST"], deduct_when=_failed
    )(login_view)
    server.add_url_rule("/login", "login", login, methods=["GET", "POST"])
    server.add_url_rule("/logout", "logout", logout_view, methods=["GET", "POST"])
    deck_access.set_write_hook(_after_deck_write)
    views_shell.set_account_links(account_links)


def account_links(lang: str) -> list[tuple[str, str]]:
    """The header's account links: none without accounts; "Sign in" for an anonymous
    visitor; what the account may do, and "Sign out", for a signed-in one."""
    if not has_request() or not accounts_enabled():
        return []
    who = current()
    if who is None:
        return [(f"/login?lang={lang}", t("acc.login", lang))]
    links = []
    for role, path, key in (
        ("editor", "/submit", "acc.submit"),
        ("reviewer", "/review", "acc.review"),
        ("admin", "/audit", "acc.audit"),
    ):
        if who.at_least(role):
            links.append((f"{path}?lang={lang}", t(key, lang)))
    links.append((f"/logout?lang={lang}", f"{t('acc.logout', lang)} ({who.name})"))
    return links
