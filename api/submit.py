"""Submitting figures: ``/submit``. The review is in :mod:`api.review`, the audit log in
:mod:`api.audit`, the template in :mod:`api.submit_template`, the preview in
:mod:`api.submit_preview`.

* ``GET /submit``: an editor's page: the Excel template of one of its areas, the upload,
  and a small form for a few figures.
* ``GET /submit/template?area=KATO&lang=``: the template (.xlsx): the area's indicators with
  units, the last years' figures filled in, and a source sheet.
* ``POST /submit/preview``: an uploaded template or the form's figures, checked by the ETL's
  code (:mod:`etl.submission`) and shown as new, changed and unchanged figures with the
  errors and warnings; nothing is stored.
* ``POST /submit``: the previewed figures (signed, checked again) stored for review.

Every POST needs the CSRF token and an Origin of this site; every step is audited.
"""

from __future__ import annotations

from flask import Blueprint, Response, current_app, request
from itsdangerous import BadSignature, URLSafeSerializer
from markupsafe import Markup, escape

import config
from api import auth
from api.submit_pages import (
    Refused,
    alert,
    area_arg,
    area_name,
    csrf_field,
    handle_refusals,
    lang,
    my_areas,
    page,
    refuse_csrf,
    submission_list,
)
from api.submit_preview import check, kept, preview_html
from api.submit_template import template_bytes
from components.i18n import t
from etl import submission as sub
from store import accounts, queries

blueprint = Blueprint("submit", __name__)
handle_refusals(blueprint)
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
FORM_ROWS = 5


def _organisation(who: auth.Account) -> str:
    """The organisation an account submits for (its user name when it has none)."""
    return who.organisation or who.username


def _serializer() -> URLSafeSerializer:
    return URLSafeSerializer(current_app.secret_key, salt="submission-draft")


@blueprint.route("/submit", methods=["GET"])
@auth.require("editor")
def submitpage() -> tuple[str, int]:
    here = lang()
    who = auth.current()
    assert who is not None
    options = "".join(
        f'<option value="{k}">{escape(area_name(k, here))} ({k})</option>' for k in my_areas(who)
    )
    select = f'<select name="area" required>{options}</select>'
    limit = int(config.get("MAX_REQUEST_BYTES"))
    rows = "".join(
        f"<tr><td><input name='indicator' list='codes' aria-label='{escape(t('sub.col.indicator', here))} {i}'></td>"
        f"<td><input name='year' inputmode='numeric' size='5' aria-label='{escape(t('sub.col.year', here))} {i}'></td>"
        f"<td><input name='value' inputmode='decimal' size='10' aria-label='{escape(t('sub.col.value', here))} {i}'></td>"
        f"<td><input name='note' aria-label='{escape(t('sub.col.note', here))} {i}'></td></tr>"
        for i in range(1, FORM_ROWS + 1)
    )
    codes = "".join(f'<option value="{escape(c)}">' for c in queries.indicators()["code"])
    source_inputs = "".join(
        f"<p><label>{escape(sub.SOURCE_FIELDS[k][here])}<br><input name='source_{k}'"
        f"{' required' if k == 'title' else ''}></label></p>"
        for k in sub.SOURCE_FIELDS
    )
    body = f"""
<p class="lead">{escape(t("sub.lead", here))}</p>
<section><h2>1. {escape(t("sub.download", here))}</h2>
<form method="get" action="/submit/template"><input type="hidden" name="lang" value="{here}">
<label>{escape(t("sub.col.area", here))} {select}</label>
<button type="submit">{escape(t("sub.download", here))}</button></form></section>
<section><h2>2. {escape(t("sub.upload", here))}</h2>
<form method="post" action="/submit/preview?lang={here}" enctype="multipart/form-data">{csrf_field()}
<label>{escape(t("sub.col.area", here))} {select}</label>
<p><label>{escape(t("sub.file", here))} <input type="file" name="file" accept=".xlsx" required></label></p>
<p class="muted">{escape(t("sub.limit", here, limit=f"{limit / 1e6:.0f} MB", rows=config.get("SUBMIT_MAX_ROWS")))}</p>
<button type="submit">{escape(t("sub.preview", here))}</button></form></section>
<section><h2>3. {escape(t("sub.form", here))}</h2>
<form method="post" action="/submit/preview?lang={here}">{csrf_field()}
<label>{escape(t("sub.col.area", here))} {select}</label>
<datalist id="codes">{codes}</datalist>
<table class="data"><thead><tr><th>{escape(t("sub.col.indicator", here))}</th><th>{escape(t("sub.col.year", here))}</th>
<th>{escape(t("sub.col.value", here))}</th><th>{escape(t("sub.col.note", here))}</th></tr></thead><tbody>{rows}</tbody></table>
{source_inputs}
<button type="submit">{escape(t("sub.preview", here))}</button></form></section>
<section><h2>{escape(t("sub.mine", here))}</h2>{submission_list([s for s in accounts.list_submissions() if s["submitter"] == who.username], here)}</section>
"""
    return page("acc.submit", Markup(body))


@blueprint.route("/submit/template", methods=["GET"])
@auth.require("editor")
def template() -> Response:
    who = auth.current()
    assert who is not None
    kato = area_arg(who, request.args.get("area"))
    here = lang()
    data = template_bytes(kato, here, _organisation(who))
    auth.audit("submission.template", kato)
    return Response(
        data,
        mimetype=XLSX,
        headers={"Content-Disposition": f'attachment; filename="figures-{kato}-{here}.xlsx"'},
    )


@blueprint.route("/submit/preview", methods=["POST"])
@auth.require("editor")
def preview() -> tuple[str, int]:
    refused = refuse_csrf()
    if refused:
        return refused
    here = lang()
    who = auth.current()
    assert who is not None
    kato = area_arg(who, request.form.get("area"))
    max_rows = int(config.get("SUBMIT_MAX_ROWS"))
    upload = request.files.get("file")
    if upload is not None and upload.filename:
        file_name = upload.filename.rsplit("/", 1)[-1][:200]
        try:
            rows, source, cell_errors = sub.read_workbook(upload.read(), file_name, max_rows)
        except sub.SubmissionError as exc:
            auth.audit("submission.unreadable", kato, str(exc), ok=False)
            return page("acc.submit", alert(str(exc)), 400)
    else:
        file_name = "form"
        f = request.form
        columns = {k: f.getlist(k) for k in ("indicator", "year", "value", "note")}
        given = {k: f.get(f"source_{k}", "") for k in sub.SOURCE_FIELDS}
        rows, source, cell_errors = sub.read_form(columns, given, kato)
    if not rows and not cell_errors:
        return page("acc.submit", alert(t("sub.empty", here)), 400)
    if len(rows) > max_rows:
        return page("acc.submit", alert(f"more than {max_rows} figures"), 413)
    foreign = sorted({r["area"] for r in rows if not who.covers(r["area"])})
    if foreign:
        raise Refused(403, f"your account does not act for area(s) {', '.join(foreign)}")
    source.setdefault("publisher", who.organisation)
    checked, groups = check(rows, source, file_name, _organisation(who))
    checked.errors = cell_errors + checked.errors
    draft = _serializer().dumps(
        {
            "area": kato,
            "rows": kept(groups),
            "source": source,
            "file": file_name,
        }
    )
    body = preview_html(checked, groups, here, _organisation(who))
    if checked.errors:
        body += alert(t("sub.blocked", here))
        status = 422
    elif not groups["new"] and not groups["changed"]:
        body += alert(t("sub.nothing_new", here))
        status = 200
    else:
        tick = (
            f'<p><label><input type="checkbox" name="accept_warnings" value="1" required> '
            f"{escape(t('sub.tick', here))}</label></p>"
            if checked.warnings
            else ""
        )
        body += (
            f'<form method="post" action="/submit?lang={here}">{csrf_field()}'
            f'<input type="hidden" name="draft" value="{escape(draft)}">{tick}'
            f'<button type="submit">{escape(t("sub.send", here))}</button></form>'
        )
        status = 200
    auth.audit(
        "submission.preview",
        kato,
        f"{file_name}: {len(groups['new'])} new, {len(groups['changed'])} changed, "
        f"{len(groups['unchanged'])} unchanged, {len(checked.errors)} errors, "
        f"{len(checked.warnings)} warnings",
    )
    return auth.html_page(here, t("sub.preview", here), Markup(body), status)


@blueprint.route("/submit", methods=["POST"])
@auth.require("editor")
def submit() -> tuple[str, int]:
    refused = refuse_csrf()
    if refused:
        return refused
    here = lang()
    who = auth.current()
    assert who is not None
    try:
        draft = _serializer().loads(request.form.get("draft", ""))
    except BadSignature:
        return page("acc.submit", alert(t("sec.retry", here)), 400)
    kato = area_arg(who, draft["area"])
    rows = draft["rows"]
    foreign = sorted({r["area"] for r in rows if not who.covers(r["area"])})
    if foreign or not rows:
        raise Refused(403 if foreign else 400, f"nothing to submit for {', '.join(foreign)}")
    checked, _groups = check(rows, draft["source"], draft["file"], _organisation(who))
    if checked.errors:
        return page("acc.submit", alert(t("sub.blocked", here)), 422)
    accepted = request.form.get("accept_warnings") == "1"
    if checked.warnings and not accepted:
        return page("acc.submit", alert(t("sub.tick_needed", here)), 422)
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
        f'<p role="status" class="notice">{escape(t("sub.sent", here, id=saved["id"]))}</p>'
        f'<p><a href="/submit?lang={here}">{escape(t("acc.submit", here))}</a></p>'
    )
    return auth.html_page(here, t("acc.submit", here), Markup(body), 201)
