"""Reviewing submitted figures: ``GET /review`` (the submissions of the reviewer's areas),
``GET /review/N`` (the same preview the editor saw) and ``POST /review/N`` (approve: the
ETL loads the figures; reject: nothing is written), each decision audited. A submission is
reviewed by a reviewer of its area who did not submit it."""

from __future__ import annotations

import datetime as dt

from flask import Blueprint, request
from markupsafe import Markup, escape

from api import auth
from api.submit_pages import (
    Refused,
    alert,
    csrf_field,
    handle_refusals,
    lang,
    page,
    refuse_csrf,
    submission_list,
)
from api.submit_preview import check, preview_html
from components.i18n import t
from etl import submission as sub
from etl.batch import ValidationFailed
from store import accounts, queries
from store.db import writable_engine

blueprint = Blueprint("review", __name__)
handle_refusals(blueprint)


def organisation_of(found: dict) -> str:
    """The organisation a submission was made for (its submitter when the account has none)."""
    return found["organisation"] or found["submitter"]


@blueprint.route("/review", methods=["GET"])
@auth.require("reviewer")
def review_list() -> tuple[str, int]:
    here = lang()
    who = auth.current()
    assert who is not None
    mine = [s for s in accounts.list_submissions() if who.covers(s["area"])]
    pending = [s for s in mine if s["state"] == "pending"]
    done = [s for s in mine if s["state"] != "pending"][:100]
    body = (
        f"<h2>{escape(t('sub.state.pending', here))}</h2>{submission_list(pending, here)}"
        f"<h2>{escape(t('sub.decided', here))}</h2>{submission_list(done, here)}"
    )
    return page("acc.review", Markup(body))


def _reviewable(submission_id: int) -> dict:
    """The submission, if this account acts for its area."""
    who = auth.current()
    assert who is not None
    found = accounts.get_submission(submission_id)
    if found is None:
        raise Refused(404, f"no submission {submission_id}")
    if not who.covers(found["area"]):
        raise Refused(403, f"your account does not act for area {found['area']}")
    return found


@blueprint.route("/review/<int:submission_id>", methods=["GET"])
@auth.require("editor")
def review_page(submission_id: int) -> tuple[str, int]:
    here = lang()
    who = auth.current()
    assert who is not None
    found = _reviewable(submission_id)
    org = organisation_of(found)
    checked, groups = check(found["rows"], found["source"], found["file_name"] or "submission", org)
    state = t("sub.state." + found["state"], here)
    info = t(
        "sub.info",
        here,
        id=found["id"],
        by=found["submitter"],
        org=found["organisation"],
        date=found["created"],
        state=state,
    )
    body = f"<p class='lead'>{escape(info)}</p>"
    if found["state"] != "pending":
        body += f"<p>{escape(found['reviewer'] or '')}: {escape(found['comment'] or '')}</p>"
    body += preview_html(checked, groups, here, org)
    if found["state"] == "pending" and who.at_least("reviewer"):
        if who.username == found["submitter"]:
            body += alert(t("sub.own", here))
        else:
            body += (
                f'<form method="post" action="/review/{found["id"]}?lang={here}">{csrf_field()}'
                f"<p><label>{escape(t('sub.comment', here))}<br>"
                '<textarea name="comment" rows="3" cols="60"></textarea></label></p>'
                f'<button type="submit" name="decision" value="approve">{escape(t("sub.approve", here))}</button> '
                f'<button type="submit" name="decision" value="reject">{escape(t("sub.reject", here))}</button>'
                "</form>"
            )
    return auth.html_page(here, t("sub.title", here, id=found["id"]), Markup(body))


@blueprint.route("/review/<int:submission_id>", methods=["POST"])
@auth.require("reviewer")
def decide(submission_id: int) -> tuple[str, int]:
    refused = refuse_csrf()
    if refused:
        return refused
    here = lang()
    who = auth.current()
    assert who is not None
    found = _reviewable(submission_id)
    if who.username == found["submitter"]:
        raise Refused(403, "a submission is reviewed by someone other than its submitter")
    if found["state"] != "pending":
        raise Refused(409, f"submission {submission_id} was already {found['state']}")
    decision = request.form.get("decision")
    comment = (request.form.get("comment") or "").strip()[:2000]
    target = f"submission {submission_id}"
    if decision == "reject":
        accounts.decide(submission_id, state="rejected", reviewer=who.username, comment=comment)
        auth.audit("submission.reject", target, comment)
        text = escape(t("sub.rejected", here, id=submission_id))
        return page("acc.review", Markup(f'<p role="status" class="notice">{text}</p>'))
    if decision != "approve":
        raise Refused(400, "decision must be approve or reject")
    loaded = _load(found, who.username)
    if isinstance(loaded, tuple):
        return loaded
    accounts.decide(
        submission_id, state="approved", reviewer=who.username, comment=comment, loaded=loaded
    )
    auth.audit("submission.approve", target, comment)
    text = f"{escape(t('sub.approved', here, id=submission_id))} {escape(loaded)}"
    return page("acc.review", Markup(f'<p role="status" class="notice">{text}</p>'))


def _load(found: dict, reviewer: str) -> str | tuple[str, int]:
    """Load an approved submission through the ETL (the only write to the indicator
    database from the web process) as its organisation's source, replacing only the
    organisation's own earlier readings of the same figures; a refusal answers 409 and
    leaves it pending."""
    organisation = organisation_of(found)
    today = dt.date.today().isoformat()
    source = sub.source_row(organisation, today)
    note = sub.figure_note(
        found["source"],
        submission=found["id"],
        submitter=found["submitter"],
        organisation=organisation,
        when=found["created"].date().isoformat(),
        reviewer=reviewer,
        approved=today,
    )
    what = f"submission {found['id']}"
    engine = writable_engine(queries.url())
    try:
        report = sub.load_submission(engine, found["rows"], source, what, note)
    except ValidationFailed as exc:
        auth.audit("load", what, str(exc), ok=False)
        items = "".join(f"<li>{escape(str(e))}</li>" for e in exc.errors[:50])
        return page(
            "acc.review", Markup(f"{alert(t('sub.load_failed', lang()))}<ul>{items}</ul>"), 409
        )
    finally:
        engine.dispose()
    done = (
        f"{report.observations} observation(s) loaded as source {source['code']}; "
        f"{report.changes or 0} change(s) recorded"
    )
    auth.audit("load", what, f"{done}; data version {queries.data_version()}")
    return done
