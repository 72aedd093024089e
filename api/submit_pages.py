"""What the /submit, /review and /audit pages share: the request's language, a plain page, a
refusal as a 4xx page, the CSRF field and check, and the areas an account acts for."""

from __future__ import annotations

from flask import Blueprint, current_app, request
from flask_wtf.csrf import generate_csrf
from markupsafe import Markup, escape
from werkzeug.exceptions import RequestEntityTooLarge

from api import auth
from components.i18n import request_lang, t
from store import accounts, queries
from store.area_labels import area_label


class Refused(Exception):
    """A request refused with ``status`` and ``message`` (a 4xx page, audited)."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status, self.message = status, message


def lang() -> str:
    """The language of the request (``?lang=`` or the form's ``lang``)."""
    return request_lang(request.args.get("lang") or request.form.get("lang"))


def page(title_key: str, body: str | Markup, status: int = 200) -> tuple[str, int]:
    """A plain page titled with ``title_key``, in the request's language."""
    here = lang()
    return auth.html_page(here, t(title_key, here), body, status)


def alert(text: str) -> str:
    """A warning notice (escaped)."""
    return f'<p role="alert" class="notice notice-warning">{escape(text)}</p>'


def csrf_field() -> str:
    """The hidden CSRF token of a form."""
    return f'<input type="hidden" name="csrf_token" value="{generate_csrf()}">'


def refuse_csrf() -> tuple[str, int] | None:
    """A 403 page (audited) when the form fails the CSRF check; None when it passes."""
    problem = auth.form_csrf_problem()
    if problem:
        auth.audit("csrf.refused", request.path, problem, ok=False)
        return page("acc.submit", alert(f"CSRF check failed: {problem}"), 403)
    return None


def handle_refusals(blueprint: Blueprint) -> None:
    """Answer :class:`Refused` and a too large upload on ``blueprint`` with a 4xx page."""

    def refused(exc: Refused) -> tuple[str, int]:
        auth.audit("refused", request.path, exc.message, ok=False)
        return page("acc.submit", alert(exc.message), exc.status)

    def too_large(exc: RequestEntityTooLarge) -> tuple[str, int]:
        limit = current_app.config.get("MAX_CONTENT_LENGTH")
        return page("acc.submit", alert(t("sub.too_large", lang(), limit=limit)), 413)

    blueprint.register_error_handler(Refused, refused)
    blueprint.register_error_handler(RequestEntityTooLarge, too_large)


def area_name(kato: str, lang_: str) -> str:
    """The area's display label in ``lang_`` (its code when unknown)."""
    return area_label(kato, lang_)


def my_areas(who: auth.Account) -> list[str]:
    """The areas an account may submit for: its own and every area under them."""
    if accounts.COUNTRY in who.areas:
        return sorted(queries.areas()["kato"])
    out = set(who.areas)
    frontier = list(who.areas)
    while frontier:
        kids = queries.areas(parent=frontier.pop())
        for k in kids["kato"]:
            if k not in out:
                out.add(k)
                frontier.append(k)
    return sorted(out)


def area_arg(who: auth.Account, value: str | None) -> str:
    """The requested area, if the account acts for it; else :class:`Refused` (400 or 403)."""
    kato = (value or "").strip()
    if not kato or queries.area(kato) is None:
        raise Refused(400, f"area {kato!r} is not a known KATO code")
    if not who.covers(kato):
        raise Refused(403, f"your account does not act for area {kato}")
    return kato


def submission_list(items: list[dict], lang_: str) -> str:
    """A table of submissions linking to their review pages."""
    if not items:
        return f"<p class='muted'>{escape(t('sub.none', lang_))}</p>"
    trs = "".join(
        f"<tr><td><a href='/review/{s['id']}?lang={lang_}'>{s['id']}</a></td>"
        f"<td>{escape(area_name(s['area'], lang_))}</td><td>{escape(s['submitter'])}</td>"
        f"<td>{escape(str(s['created']))}</td><td>{len(s['rows'])}</td>"
        f"<td>{escape(t('sub.state.' + s['state'], lang_))}</td></tr>"
        for s in items
    )
    keys = (
        "sub.col.id",
        "sub.col.area",
        "sub.col.by",
        "sub.col.date",
        "sub.col.n",
        "sub.col.state",
    )
    head = "".join(f"<th>{escape(t(k, lang_))}</th>" for k in keys)
    return f"<table class='data submissions'><thead><tr>{head}</tr></thead><tbody>{trs}</tbody></table>"
