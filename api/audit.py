"""The audit log for admins: ``GET /audit`` (a table) and ``GET /audit.csv`` (every matching
entry), filtered by who (``actor``), what (``action``, e.g. ``submission`` for every
``submission.*``) and when (``since``, ``until``: dates, inclusive, UTC)."""

from __future__ import annotations

import csv
import datetime as dt
import io
from urllib.parse import urlencode

from flask import Blueprint, Response, request
from markupsafe import Markup, escape

from api import auth
from api.submit_pages import Refused, handle_refusals, lang, page
from components.i18n import t
from store import accounts

blueprint = Blueprint("audit", __name__)
handle_refusals(blueprint)
COLUMNS = ("id", "at", "actor", "action", "target", "detail", "ip", "ok")
FILTERS = ("actor", "action", "since", "until")
PAGE_ROWS = 1000


def _day(name: str) -> dt.date | None:
    text = (request.args.get(name) or "").strip()
    if not text:
        return None
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise Refused(400, f"{name}={text!r} is not a date (YYYY-MM-DD)") from None


def _entries(limit: int | None) -> list[dict]:
    """The entries the request's filters select, newest first."""
    since, until = _day("since"), _day("until")
    return accounts.audit_entries(
        action=(request.args.get("action") or "").strip() or None,
        actor=(request.args.get("actor") or "").strip() or None,
        since=dt.datetime.combine(since, dt.time()) if since else None,
        before=dt.datetime.combine(until + dt.timedelta(days=1), dt.time()) if until else None,
        limit=limit,
    )


@blueprint.route("/audit", methods=["GET"])
@auth.require("admin")
def audit_page() -> tuple[str, int]:
    here = lang()
    rows = _entries(PAGE_ROWS)
    head = "".join(f"<th>{escape(c)}</th>" for c in COLUMNS)
    trs = "".join(
        "<tr>"
        + "".join(f"<td>{escape(str(r[c] if r[c] is not None else ''))}</td>" for c in COLUMNS)
        + "</tr>"
        for r in rows
    )
    inputs = "".join(
        f'<div><label>{escape(t("audit." + k, here))} <input name="{k}"'
        f"{' type=date' if k in ('since', 'until') else ''}"
        f' value="{escape(request.args.get(k) or "")}"></label></div>'
        for k in FILTERS
    )
    chosen = {k: request.args[k] for k in FILTERS if request.args.get(k)}
    body = f"""
<form method="get" class="controls"><input type="hidden" name="lang" value="{here}">{inputs}
<div><button type="submit">{escape(t("sub.filter", here))}</button></div></form>
<p>{escape(t("audit.shown", here, n=len(rows), limit=PAGE_ROWS))}
<a href="/audit.csv?{escape(urlencode(chosen))}">{escape(t("sub.csv", here))}</a></p>
<table class="data audit"><thead><tr>{head}</tr></thead><tbody>{trs}</tbody></table>"""
    return page("acc.audit", Markup(body))


@blueprint.route("/audit.csv", methods=["GET"])
@auth.require("admin")
def audit_csv() -> Response:
    rows = _entries(None)
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(COLUMNS)
    for r in rows:
        writer.writerow([_csv_cell(r[c]) for c in COLUMNS])
    chosen = ", ".join(f"{k}={request.args[k]}" for k in FILTERS if request.args.get(k))
    auth.audit("audit.export", chosen or None, f"{len(rows)} entries")
    return Response(
        "\ufeff" + out.getvalue(),
        mimetype="text/csv",
        headers={"Content-Disposition": 'attachment; filename="audit-log.csv"'},
    )


def _csv_cell(value: object) -> str:
    """A cell that a spreadsheet will not run as a formula."""
    text = "" if value is None else str(value)
    return "'" + text if text[:1] in ("=", "+", "-", "@") else text
