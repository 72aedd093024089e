"""Submitting figures, reviewing them, and the audit log: /submit, /review, /audit.

* ``GET /submit``: an editor's page: the Excel template of one of its areas, the upload,
  and a small form for a few figures.
* ``GET /submit/template?area=KATO&lang=``: the template (.xlsx): the area's indicators with
  units, the last years' figures filled in, and a source sheet.
* ``POST /submit/preview``: an uploaded template or the form's figures, checked by the ETL's
  code (:mod:`etl.submission`) and shown as new, changed and unchanged figures with the
  errors and warnings; nothing is stored.
* ``POST /submit``: the previewed figures (signed, checked again) stored for review.
* ``GET /review``, ``GET /review/N``, ``POST /review/N``: a reviewer of the area (not the
  submitter) sees the same preview and approves (the ETL loads it) or rejects it.
* ``GET /audit`` and ``/audit.csv``: the audit log, for admins.

Every POST needs the CSRF token and an Origin of this site; every step is audited.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import logging
from typing import Any

import pandas as pd
from flask import Blueprint, Response, current_app, request
from flask_wtf.csrf import generate_csrf
from itsdangerous import BadSignature, URLSafeSerializer
from markupsafe import Markup, escape
from openpyxl import Workbook
from openpyxl.styles import Font
from werkzeug.exceptions import RequestEntityTooLarge

import config
from api import auth
from components.i18n import fmt_number, request_lang, t
from etl import submission as sub
from etl.batch import LoadError, ValidationFailed
from store import accounts, queries
from store.db import writable_engine

log = logging.getLogger(__name__)
blueprint = Blueprint("submit", __name__)
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
TEMPLATE_YEARS = 5
FORM_ROWS = 5


def _lang() -> str:
    return request_lang(request.args.get("lang") or request.form.get("lang"))


def _page(title_key: str, body: str | Markup, status: int = 200) -> tuple[str, int]:
    lang = _lang()
    return auth.html_page(lang, t(title_key, lang), body, status)


def _alert(text: str) -> str:
    return f'<p role="alert" class="notice notice-warning">{escape(text)}</p>'


def _csrf_field() -> str:
    return f'<input type="hidden" name="csrf_token" value="{generate_csrf()}">'


def _refuse_csrf() -> tuple[str, int] | None:
    problem = auth.form_csrf_problem()
    if problem:
        auth.audit("csrf.refused", request.path, problem, ok=False)
        return _page("acc.submit", _alert(f"CSRF check failed: {problem}"), 403)
    return None


def _area_name(kato: str, lang: str) -> str:
    area = queries.area(kato)
    return area[f"name_{lang}"] if area else kato


def _my_areas(who: auth.Account) -> list[str]:
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


def _area_arg(who: auth.Account, value: str | None) -> str:
    """The requested area, if the account acts for it; else a 4xx."""
    kato = (value or "").strip()
    if not kato or queries.area(kato) is None:
        raise _Refused(400, f"area {kato!r} is not a known KATO code")
    if not who.covers(kato):
        raise _Refused(403, f"your account does not act for area {kato}")
    return kato


class _Refused(Exception):
    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status, self.message = status, message


@blueprint.errorhandler(_Refused)
def _refused(exc: _Refused) -> tuple[str, int]:
    auth.audit("refused", request.path, exc.message, ok=False)
    return _page("acc.submit", _alert(exc.message), exc.status)


@blueprint.errorhandler(RequestEntityTooLarge)
def _too_large(exc: RequestEntityTooLarge) -> tuple[str, int]:
    limit = current_app.config.get("MAX_CONTENT_LENGTH")
    return _page("acc.submit", _alert(t("sub.too_large", _lang(), limit=limit)), 413)


# --- the area's figures ----------------------------------------------------------------------


def _indicators_of(kato: str) -> pd.DataFrame:
    """The indicators with figures for the area, with their catalogue entries."""
    have = queries.area_indicators(kato)
    cat = queries.indicators()
    return cat[cat["code"].isin(set(have["indicator"]))].sort_values("code")


def _shown(pairs: set[tuple[str, str]]) -> dict[tuple[str, str, str, int], dict]:
    """The figure the dashboard shows (preferred source) per (indicator, area, series, year)."""
    out: dict[tuple[str, str, str, int], dict] = {}
    by_indicator: dict[str, set[str]] = {}
    for code, area in pairs:
        by_indicator.setdefault(code, set()).add(area)
    for code, areas_ in by_indicator.items():
        if queries.indicator(code) is None:
            continue
        df = queries.observations(code, tuple(sorted(areas_)), "preferred")
        for r in df.to_dict("records"):
            out[(code, r["area"], r["series"] or "", int(r["year"]))] = r
    return out


def template_bytes(kato: str, lang: str, organisation: str) -> bytes:
    """The Excel template of an area: indicators, units, the last years' figures, a source
    sheet. Headers in ``lang``; any of kk/ru/en is read back."""
    wb = Workbook()
    ws = wb.active
    ws.title = sub.SHEET_NAMES["data"][lang]
    this_year = dt.date.today().year
    years = list(range(this_year - TEMPLATE_YEARS + 1, this_year + 1))
    keys = ["indicator", "name", "unit", "area", "area_name"]
    ws.append([sub.HEADERS[k][lang] for k in keys] + years + [sub.HEADERS["note"][lang]])
    for cell in ws[1]:
        cell.font = Font(bold=True)
    inds = _indicators_of(kato)
    shown = _shown({(c, kato) for c in inds["code"]})
    name = _area_name(kato, lang)
    for r in inds.to_dict("records"):
        values = [shown.get((r["code"], kato, "", y), {}).get("value") for y in years]
        ws.append([r["code"], r[f"name_{lang}"], r[f"unit_{lang}"], kato, name, *values, None])
    widths = [28, 50, 18, 14, 24] + [10] * len(years) + [30]
    for i, w in enumerate(widths, start=1):
        ws.column_dimensions[ws.cell(1, i).column_letter].width = w
    ws.freeze_panes = "F2"
    src = wb.create_sheet(sub.SHEET_NAMES["source"][lang])
    defaults = {"publisher": organisation, "as_of": dt.date.today().isoformat()}
    for key, labels in sub.SOURCE_FIELDS.items():
        src.append([labels[lang], defaults.get(key)])
    src.append([])
    src.append([t("sub.source_help", lang)])
    src.column_dimensions["A"].width = 30
    src.column_dimensions["B"].width = 70
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


# --- preview ---------------------------------------------------------------------------------


def _check(rows: list[dict], source: dict, file_name: str) -> tuple[sub.Checked, dict]:
    """The rows sorted into new, changed and unchanged, and the ETL's checks of the new and
    changed ones (unchanged figures are what the dashboard already shows; they are not kept)."""
    shown = _shown({(r["indicator"], r["area"]) for r in rows})
    previous = {k: float(v["value"]) for k, v in shown.items()}
    groups: dict[str, list[dict]] = {"new": [], "changed": [], "unchanged": []}
    for r in rows:
        old = shown.get((r["indicator"], r["area"], r.get("series") or "", int(r["year"])))
        if old is None:
            groups["new"].append(r)
        elif abs(float(old["value"]) - float(r["value"])) <= 1e-9 * max(1.0, abs(r["value"])):
            groups["unchanged"].append({**r, "old": old["value"], "old_source": old["source"]})
        else:
            groups["changed"].append({**r, "old": old["value"], "old_source": old["source"]})
    kept = groups["new"] + _plain(groups["changed"])
    with queries.engine().connect() as conn:
        checked = sub.check(kept, source, conn, previous, file_name)
    return checked, groups


def _where(e: LoadError) -> str:
    parts = [e.file.rsplit("/", 1)[-1]]
    if e.row is not None:
        parts.append(f"row {e.row}")
    if e.column:
        parts.append(f"column {e.column}")
    return ", ".join(parts)


def _problems(items: list[LoadError], key: str, lang: str) -> str:
    if not items:
        return ""
    lis = "".join(f"<li><b>{escape(_where(e))}</b>: {escape(e.message)}</li>" for e in items[:200])
    more = f"<p>… +{len(items) - 200}</p>" if len(items) > 200 else ""
    return f'<h2 id="{key}">{escape(t("sub." + key, lang))} ({len(items)})</h2><ul class="{key}">{lis}</ul>{more}'


def _table(rows: list[dict], kind: str, lang: str) -> str:
    if not rows:
        return ""
    head = [t("sub.col.indicator", lang), t("sub.col.area", lang), t("sub.col.year", lang)]
    if kind != "new":
        head += [t("sub.col.old", lang), t("sub.col.old_source", lang)]
    head += [t("sub.col.value", lang), t("sub.col.where", lang)]
    ths = "".join(f"<th>{escape(h)}</th>" for h in head)
    trs = []
    for r in rows[:1000]:
        cells = [r["indicator"], _area_name(r["area"], lang), str(r["year"])]
        if kind != "new":
            cells += [fmt_number(r["old"], lang), r["old_source"]]
        cells += [fmt_number(r["value"], lang), f"row {r.get('_row')}, {r.get('_column')}"]
        trs.append("<tr>" + "".join(f"<td>{escape(str(c))}</td>" for c in cells) + "</tr>")
    title = escape(t(f"sub.{kind}", lang))
    table = f'<table class="data {kind}"><thead><tr>{ths}</tr></thead><tbody>{"".join(trs)}</tbody></table>'
    if kind == "unchanged":  # folded: what the dashboard already shows
        return f'<details id="{kind}"><summary>{title} ({len(rows)})</summary>{table}</details>'
    return f'<h2 id="{kind}">{title} ({len(rows)})</h2>{table}'


def _source_list(source: dict, lang: str) -> str:
    items = "".join(
        f"<dt>{escape(sub.SOURCE_FIELDS[k][lang])}</dt><dd>{escape(str(source.get(k) or '—'))}</dd>"
        for k in sub.SOURCE_FIELDS
    )
    return f'<h2>{escape(t("sub.source", lang))}</h2><dl class="source">{items}</dl>'


def preview_html(checked: sub.Checked, groups: dict, lang: str) -> str:
    """Errors, warnings, new, changed and unchanged figures, and the source."""
    return (
        _problems(checked.errors, "errors", lang)
        + _problems(checked.warnings, "warnings", lang)
        + _table(groups["new"], "new", lang)
        + _table(groups["changed"], "changed", lang)
        + _table(groups["unchanged"], "unchanged", lang)
        + _source_list(checked.source, lang)
    )


def _serializer() -> URLSafeSerializer:
    return URLSafeSerializer(current_app.secret_key, salt="submission-draft")


# --- routes ----------------------------------------------------------------------------------


@blueprint.route("/submit", methods=["GET"])
@auth.require("editor")
def submit_page() -> tuple[str, int]:
    lang = _lang()
    who = auth.current()
    assert who is not None
    options = "".join(
        f'<option value="{k}">{escape(_area_name(k, lang))} ({k})</option>' for k in _my_areas(who)
    )
    select = f'<select name="area" required>{options}</select>'
    limit = int(config.get("MAX_REQUEST_BYTES"))
    rows = "".join(
        f"<tr><td><input name='indicator' list='codes' aria-label='{escape(t('sub.col.indicator', lang))} {i}'></td>"
        f"<td><input name='year' inputmode='numeric' size='5' aria-label='{escape(t('sub.col.year', lang))} {i}'></td>"
        f"<td><input name='value' inputmode='decimal' size='10' aria-label='{escape(t('sub.col.value', lang))} {i}'></td>"
        f"<td><input name='note' aria-label='{escape(t('sub.col.note', lang))} {i}'></td></tr>"
        for i in range(1, FORM_ROWS + 1)
    )
    codes = "".join(f'<option value="{escape(c)}">' for c in queries.indicators()["code"])
    source_inputs = "".join(
        f"<p><label>{escape(sub.SOURCE_FIELDS[k][lang])}<br><input name='source_{k}'"
        f"{' required' if k == 'title' else ''}></label></p>"
        for k in sub.SOURCE_FIELDS
    )
    body = f"""
<p class="lead">{escape(t("sub.lead", lang))}</p>
<section><h2>1. {escape(t("sub.download", lang))}</h2>
<form method="get" action="/submit/template"><input type="hidden" name="lang" value="{lang}">
<label>{escape(t("sub.col.area", lang))} {select}</label>
<button type="submit">{escape(t("sub.download", lang))}</button></form></section>
<section><h2>2. {escape(t("sub.upload", lang))}</h2>
<form method="post" action="/submit/preview?lang={lang}" enctype="multipart/form-data">{_csrf_field()}
<label>{escape(t("sub.col.area", lang))} {select}</label>
<p><label>{escape(t("sub.file", lang))} <input type="file" name="file" accept=".xlsx" required></label></p>
<p class="muted">{escape(t("sub.limit", lang, limit=f"{limit / 1e6:.0f} MB", rows=config.get("SUBMIT_MAX_ROWS")))}</p>
<button type="submit">{escape(t("sub.preview", lang))}</button></form></section>
<section><h2>3. {escape(t("sub.form", lang))}</h2>
<form method="post" action="/submit/preview?lang={lang}">{_csrf_field()}
<label>{escape(t("sub.col.area", lang))} {select}</label>
<datalist id="codes">{codes}</datalist>
<table class="data"><thead><tr><th>{escape(t("sub.col.indicator", lang))}</th><th>{escape(t("sub.col.year", lang))}</th>
<th>{escape(t("sub.col.value", lang))}</th><th>{escape(t("sub.col.note", lang))}</th></tr></thead><tbody>{rows}</tbody></table>
{source_inputs}
<button type="submit">{escape(t("sub.preview", lang))}</button></form></section>
<section><h2>{escape(t("sub.mine", lang))}</h2>{_submission_list([s for s in accounts.list_submissions() if s["submitter"] == who.username], lang)}</section>
"""
    return _page("acc.submit", Markup(body))


@blueprint.route("/submit/template", methods=["GET"])
@auth.require("editor")
def template() -> Response:
    who = auth.current()
    assert who is not None
    kato = _area_arg(who, request.args.get("area"))
    lang = _lang()
    data = template_bytes(kato, lang, who.organisation)
    auth.audit("submission.template", kato)
    return Response(
        data,
        mimetype=XLSX,
        headers={"Content-Disposition": f'attachment; filename="figures-{kato}-{lang}.xlsx"'},
    )


def _form_rows(kato: str) -> tuple[list[dict], dict, list[LoadError]]:
    """The small form's figures, read with the curated adapter's cell checks."""
    rows: list[dict] = []
    errors: list[LoadError] = []
    f = request.form
    triples = zip(
        f.getlist("indicator"),
        f.getlist("year"),
        f.getlist("value"),
        f.getlist("note"),
        strict=False,
    )
    for i, (code, year, value, note) in enumerate(triples, start=1):
        code, year, value = code.strip(), year.strip(), value.strip().replace(",", ".")
        if not (code or year or value):
            continue
        r: dict[str, Any] = {"indicator": code, "area": kato, "series": "", "status": "actual"}
        r.update(note=note.strip() or None, _row=i, _column=None, _file="form")
        ok = True
        for col, text in (("year", year), ("value", value)):
            try:
                r[col] = sub._convert(col, text) if text else None
            except ValueError as exc:
                errors.append(LoadError("form", i, col, str(exc)))
                ok = False
            if text == "":
                errors.append(LoadError("form", i, col, "is empty"))
                ok = False
        if ok:
            rows.append(r)
    source = {k: f.get(f"source_{k}", "").strip() for k in sub.SOURCE_FIELDS}
    return rows, {k: v for k, v in source.items() if v}, errors


@blueprint.route("/submit/preview", methods=["POST"])
@auth.require("editor")
def preview() -> tuple[str, int]:
    refused = _refuse_csrf()
    if refused:
        return refused
    lang = _lang()
    who = auth.current()
    assert who is not None
    kato = _area_arg(who, request.form.get("area"))
    max_rows = int(config.get("SUBMIT_MAX_ROWS"))
    upload = request.files.get("file")
    if upload is not None and upload.filename:
        file_name = upload.filename.rsplit("/", 1)[-1][:200]
        try:
            rows, source, cell_errors = sub.read_workbook(upload.read(), file_name, max_rows)
        except sub.SubmissionError as exc:
            auth.audit("submission.unreadable", kato, str(exc), ok=False)
            return _page("acc.submit", _alert(str(exc)), 400)
    else:
        file_name = "form"
        rows, source, cell_errors = _form_rows(kato)
    if not rows and not cell_errors:
        return _page("acc.submit", _alert(t("sub.empty", lang)), 400)
    if len(rows) > max_rows:
        return _page("acc.submit", _alert(f"more than {max_rows} figures"), 413)
    foreign = sorted({r["area"] for r in rows if not who.covers(r["area"])})
    if foreign:
        raise _Refused(403, f"your account does not act for area(s) {', '.join(foreign)}")
    source.setdefault("publisher", who.organisation)
    checked, groups = _check(rows, source, file_name)
    checked.errors = cell_errors + checked.errors
    draft = _serializer().dumps(
        {
            "area": kato,
            "rows": groups["new"] + _plain(groups["changed"]),
            "source": source,
            "file": file_name,
        }
    )
    body = preview_html(checked, groups, lang)
    if checked.errors:
        body += _alert(t("sub.blocked", lang))
        status = 422
    elif not groups["new"] and not groups["changed"]:
        body += _alert(t("sub.nothing_new", lang))
        status = 200
    else:
        tick = (
            f'<p><label><input type="checkbox" name="accept_warnings" value="1" required> '
            f"{escape(t('sub.tick', lang))}</label></p>"
            if checked.warnings
            else ""
        )
        body += (
            f'<form method="post" action="/submit?lang={lang}">{_csrf_field()}'
            f'<input type="hidden" name="draft" value="{escape(draft)}">{tick}'
            f'<button type="submit">{escape(t("sub.send", lang))}</button></form>'
        )
        status = 200
    auth.audit(
        "submission.preview",
        kato,
        f"{file_name}: {len(groups['new'])} new, {len(groups['changed'])} changed, "
        f"{len(groups['unchanged'])} unchanged, {len(checked.errors)} errors, "
        f"{len(checked.warnings)} warnings",
    )
    return auth.html_page(lang, t("sub.preview", lang), Markup(body), status)


def _plain(rows: list[dict]) -> list[dict]:
    return [{k: v for k, v in r.items() if k not in ("old", "old_source")} for r in rows]


@blueprint.route("/submit", methods=["POST"])
@auth.require("editor")
def submit() -> tuple[str, int]:
    refused = _refuse_csrf()
    if refused:
        return refused
    lang = _lang()
    who = auth.current()
    assert who is not None
    try:
        draft = _serializer().loads(request.form.get("draft", ""))
    except BadSignature:
        return _page("acc.submit", _alert(t("sec.retry", lang)), 400)
    kato = _area_arg(who, draft["area"])
    rows = draft["rows"]
    foreign = sorted({r["area"] for r in rows if not who.covers(r["area"])})
    if foreign or not rows:
        raise _Refused(403 if foreign else 400, f"nothing to submit for {', '.join(foreign)}")
    checked, _groups = _check(rows, draft["source"], draft["file"])
    if checked.errors:
        return _page("acc.submit", _alert(t("sub.blocked", lang)), 422)
    accepted = request.form.get("accept_warnings") == "1"
    if checked.warnings and not accepted:
        return _page("acc.submit", _alert(t("sub.tick_needed", lang)), 422)
    saved = accounts.add_submission(
        area=kato,
        submitter=who.username,
        organisation=who.organisation,
        source=draft["source"],
        rows=rows,
        file_name=draft["file"],
        warnings_accepted=bool(checked.warnings),
    )
    auth.audit(
        "submission.create",
        f"submission {saved['id']}",
        f"area {kato}: {len(rows)} figure(s) from {draft['file']}; "
        f"{len(checked.warnings)} warning(s) accepted",
    )
    body = (
        f'<p role="status" class="notice">{escape(t("sub.sent", lang, id=saved["id"]))}</p>'
        f'<p><a href="/submit?lang={lang}">{escape(t("acc.submit", lang))}</a></p>'
    )
    return auth.html_page(lang, t("acc.submit", lang), Markup(body), 201)


# --- review ----------------------------------------------------------------------------------


def _submission_list(items: list[dict], lang: str) -> str:
    if not items:
        return f"<p class='muted'>{escape(t('sub.none', lang))}</p>"
    trs = "".join(
        f"<tr><td><a href='/review/{s['id']}?lang={lang}'>{s['id']}</a></td>"
        f"<td>{escape(_area_name(s['area'], lang))}</td><td>{escape(s['submitter'])}</td>"
        f"<td>{escape(str(s['created']))}</td><td>{len(s['rows'])}</td>"
        f"<td>{escape(t('sub.state.' + s['state'], lang))}</td></tr>"
        for s in items
    )
    head = "".join(
        f"<th>{escape(t(k, lang))}</th>"
        for k in (
            "sub.col.id",
            "sub.col.area",
            "sub.col.by",
            "sub.col.date",
            "sub.col.n",
            "sub.col.state",
        )
    )
    return f"<table class='data submissions'><thead><tr>{head}</tr></thead><tbody>{trs}</tbody></table>"


@blueprint.route("/review", methods=["GET"])
@auth.require("reviewer")
def review_list() -> tuple[str, int]:
    lang = _lang()
    who = auth.current()
    assert who is not None
    mine = [s for s in accounts.list_submissions() if who.covers(s["area"])]
    pending = [s for s in mine if s["state"] == "pending"]
    done = [s for s in mine if s["state"] != "pending"][:100]
    body = (
        f"<h2>{escape(t('sub.state.pending', lang))}</h2>{_submission_list(pending, lang)}"
        f"<h2>{escape(t('sub.decided', lang))}</h2>{_submission_list(done, lang)}"
    )
    return _page("acc.review", Markup(body))


def _reviewable(submission_id: int) -> dict:
    """The submission, if this account may review it (its area, not its own)."""
    who = auth.current()
    assert who is not None
    found = accounts.get_submission(submission_id)
    if found is None:
        raise _Refused(404, f"no submission {submission_id}")
    if not who.covers(found["area"]):
        raise _Refused(403, f"your account does not act for area {found['area']}")
    return found


@blueprint.route("/review/<int:submission_id>", methods=["GET"])
@auth.require("editor")
def review_page(submission_id: int) -> tuple[str, int]:
    lang = _lang()
    who = auth.current()
    assert who is not None
    found = _reviewable(submission_id)
    checked, groups = _check(found["rows"], found["source"], found["file_name"] or "submission")
    info = escape(
        t(
            "sub.info",
            lang,
            id=found["id"],
            by=found["submitter"],
            org=found["organisation"],
            date=found["created"],
            state=t("sub.state." + found["state"], lang),
        )
    )
    body = f"<p class='lead'>{info}</p>"
    if found["state"] != "pending":
        body += f"<p>{escape(found['reviewer'] or '')}: {escape(found['comment'] or '')}</p>"
    body += preview_html(checked, groups, lang)
    if found["state"] == "pending" and who.at_least("reviewer"):
        if who.username == found["submitter"]:
            body += _alert(t("sub.own", lang))
        else:
            body += (
                f'<form method="post" action="/review/{found["id"]}?lang={lang}">{_csrf_field()}'
                f"<p><label>{escape(t('sub.comment', lang))}<br>"
                '<textarea name="comment" rows="3" cols="60"></textarea></label></p>'
                f'<button type="submit" name="decision" value="approve">{escape(t("sub.approve", lang))}</button> '
                f'<button type="submit" name="decision" value="reject">{escape(t("sub.reject", lang))}</button>'
                "</form>"
            )
    return auth.html_page(lang, t("sub.title", lang, id=found["id"]), Markup(body))


@blueprint.route("/review/<int:submission_id>", methods=["POST"])
@auth.require("reviewer")
def decide(submission_id: int) -> tuple[str, int]:
    refused = _refuse_csrf()
    if refused:
        return refused
    lang = _lang()
    who = auth.current()
    assert who is not None
    found = _reviewable(submission_id)
    if who.username == found["submitter"]:
        raise _Refused(403, "a submission is reviewed by someone other than its submitter")
    if found["state"] != "pending":
        raise _Refused(409, f"submission {submission_id} was already {found['state']}")
    decision = request.form.get("decision")
    comment = (request.form.get("comment") or "").strip()[:2000]
    target = f"submission {submission_id}"
    if decision == "reject":
        accounts.decide(submission_id, state="rejected", reviewer=who.username, comment=comment)
        auth.audit("submission.reject", target, comment)
        return _page(
            "acc.review",
            Markup(
                f'<p role="status" class="notice">{escape(t("sub.rejected", lang, id=submission_id))}</p>'
            ),
        )
    if decision != "approve":
        raise _Refused(400, "decision must be approve or reject")
    loaded = _load(found, who.username)
    if isinstance(loaded, tuple):
        return loaded
    accounts.decide(
        submission_id, state="approved", reviewer=who.username, comment=comment, loaded=loaded
    )
    auth.audit("submission.approve", target, comment)
    body = f'<p role="status" class="notice">{escape(t("sub.approved", lang, id=submission_id))} {escape(loaded)}</p>'
    return _page("acc.review", Markup(body))


def _load(found: dict, reviewer: str) -> str | tuple[str, int]:
    """Load an approved submission through the ETL (the only write to the indicator
    database from the web process); a refusal answers 409 and leaves it pending."""
    code = f"{sub.SOURCE_PREFIX}{found['id']}"
    when = found["created"].date().isoformat()
    source = sub.source_row(
        found["source"],
        code,
        submitter=found["submitter"],
        organisation=found["organisation"],
        when=when,
    )
    source["note"] += f"; approved by {reviewer} on {dt.date.today().isoformat()}"
    engine = writable_engine(queries.url())
    try:
        report = sub.load_submission(engine, found["rows"], source, f"submission {found['id']}")
    except ValidationFailed as exc:
        auth.audit("load", f"submission {found['id']}", str(exc), ok=False)
        items = "".join(f"<li>{escape(str(e))}</li>" for e in exc.errors[:50])
        return _page(
            "acc.review", Markup(f"{_alert(t('sub.load_failed', _lang()))}<ul>{items}</ul>"), 409
        )
    finally:
        engine.dispose()
    done = f"{report.observations} observation(s) loaded as source {code}"
    auth.audit(
        "load", f"submission {found['id']}", f"{done}; data version {queries.data_version()}"
    )
    return done


# --- audit log -------------------------------------------------------------------------------

AUDIT_COLUMNS = ("id", "at", "actor", "action", "target", "detail", "ip", "ok")


@blueprint.route("/audit", methods=["GET"])
@auth.require("admin")
def audit_page() -> tuple[str, int]:
    lang = _lang()
    action = request.args.get("action") or None
    actor = request.args.get("actor") or None
    rows = accounts.audit_entries(action=action, actor=actor, limit=1000)
    head = "".join(f"<th>{escape(c)}</th>" for c in AUDIT_COLUMNS)
    trs = "".join(
        "<tr>"
        + "".join(
            f"<td>{escape(str(r[c] if r[c] is not None else ''))}</td>" for c in AUDIT_COLUMNS
        )
        + "</tr>"
        for r in rows
    )
    body = f"""
<form method="get" class="controls"><input type="hidden" name="lang" value="{lang}">
<div><label>action <input name="action" value="{escape(action or "")}"></label></div>
<div><label>actor <input name="actor" value="{escape(actor or "")}"></label></div>
<div><button type="submit">{escape(t("sub.filter", lang))}</button></div></form>
<p><a href="/audit.csv?{escape(request.query_string.decode())}">{escape(t("sub.csv", lang))}</a></p>
<table class="data audit"><thead><tr>{head}</tr></thead><tbody>{trs}</tbody></table>"""
    return _page("acc.audit", Markup(body))


@blueprint.route("/audit.csv", methods=["GET"])
@auth.require("admin")
def audit_csv() -> Response:
    rows = accounts.audit_entries(
        action=request.args.get("action") or None,
        actor=request.args.get("actor") or None,
        limit=None,
    )
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(AUDIT_COLUMNS)
    for r in rows:
        writer.writerow([_csv_cell(r[c]) for c in AUDIT_COLUMNS])
    auth.audit("audit.export", None, f"{len(rows)} entries")
    return Response(
        "\ufeff" + out.getvalue(),
        mimetype="text/csv",
        headers={"Content-Disposition": 'attachment; filename="audit-log.csv"'},
    )


def _csv_cell(value: object) -> str:
    """A cell that a spreadsheet will not run as a formula."""
    text = "" if value is None else str(value)
    return "'" + text if text[:1] in ("=", "+", "-", "@") else text


_ = json  # the draft is JSON inside the signed token
