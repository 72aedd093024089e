"""Accounts: sign-in, roles against every write route, CSRF, the rate limit, SSO, the audit
log, and submitted figures from the Excel template to the API."""

from __future__ import annotations

import csv
import io
import json
import re
import shutil

import pytest
from openpyxl import load_workbook

from etl import plausibility
from etl.cli import main as etl_main
from store import accounts, deck_database, decks, queries

ARAL = "433200000"  # Aral district
KAZALY = "434400000"  # Kazaly district, same oblast
KYZYLORDA = "430000000"
PASSWORD = "correct horse battery"
DECK = "aral-default"
EVIL = "https://evil.example"

USERS = {
    "viewer": ("viewer", [ARAL]),
    "editor": ("editor", [ARAL]),
    "kazaly": ("editor", [KAZALY]),
    "reviewer": ("reviewer", [KYZYLORDA]),  # an oblast covers its districts
    "admin": ("admin", [KYZYLORDA]),
}


@pytest.fixture
def app_db(tmp_path, monkeypatch, dash_app, web_db):
    """A fresh application database with one account per role, and a private copy of the
    indicator database (approvals write to it)."""
    url = f"sqlite:///{tmp_path / 'app.db'}"
    monkeypatch.setenv("DECKS_DATABASE_URL", url)
    monkeypatch.delenv("DECKS_READONLY", raising=False)
    monkeypatch.delenv("DECKS_WRITE_TOKEN", raising=False)
    deck_database.use(url)
    for name, (role, areas) in USERS.items():
        accounts.add_user(
            name,
            name=name.title(),
            organisation=f"{name} org",
            role=role,
            areas=areas,
            password=PASSWORD,
        )
    copy = tmp_path / "indicators.db"
    shutil.copy(web_db.removeprefix("sqlite:///"), copy)
    queries.use(f"sqlite:///{copy}")
    yield url  # no app context here: the test client's requests would share its `g`
    queries.use(web_db)
    deck_database.dispose()


def csrf_of(html: str) -> str:
    return re.search(r'name="csrf_token" value="([^"]+)"', html).group(1)


def client_for(dash_app, name: str | None, ip: str = "198.51.100.1"):
    c = dash_app.server.test_client()
    c.environ_base["REMOTE_ADDR"] = ip
    if name is not None:
        token = csrf_of(c.get("/login").get_data(as_text=True))
        resp = c.post("/login", data={"username": name, "password": PASSWORD, "csrf_token": token})
        assert resp.status_code == 302, resp.get_data(as_text=True)
    return c


def token(c, path: str = "/login") -> str:
    return csrf_of(c.get(path).get_data(as_text=True))


def actions() -> list[str]:
    return [e["action"] for e in reversed(accounts.audit_entries(limit=None))]


# --- sign-in ---------------------------------------------------------------------------------


def test_sign_in_out_and_wrong_password_are_audited(dash_app, app_db):
    c = dash_app.server.test_client()
    page = c.get("/login?lang=kk").get_data(as_text=True)
    assert "Құпиясөз" in page and "Пароль" in c.get("/login?lang=ru").get_data(as_text=True)
    bad = c.post(
        "/login", data={"username": "editor", "password": "nope", "csrf_token": csrf_of(page)}
    )
    assert bad.status_code == 401
    ok = c.post(
        "/login?next=/submit",
        data={"username": "editor", "password": PASSWORD, "csrf_token": csrf_of(page)},
    )
    assert ok.status_code == 302 and ok.headers["Location"].endswith("/submit")
    session = next(ck for ck in c._cookies.values() if ck.key == "session")
    assert session.http_only
    assert c.get("/submit").status_code == 200
    out = c.post("/logout", data={"csrf_token": token(c, "/submit")})
    assert out.status_code == 302 and c.get("/submit").status_code in (302, 401)
    entries = accounts.audit_entries(limit=None)
    logins = [(e["actor"], e["ok"]) for e in entries if e["action"] == "login"]
    assert ("editor", False) in logins and ("editor", True) in logins
    assert any(e["action"] == "logout" and e["actor"] == "editor" for e in entries)
    assert all(e["ip"] for e in entries if e["action"] in ("login", "logout"))


def test_next_never_leaves_the_site(dash_app, app_db):
    c = dash_app.server.test_client()
    resp = c.post(
        "/login?next=//evil.example/x",
        data={"username": "editor", "password": PASSWORD, "csrf_token": token(c)},
    )
    assert resp.status_code == 302 and "evil" not in resp.headers["Location"]


def test_a_disabled_account_cannot_sign_in(dash_app, app_db):
    code = etl_main(["users", "disable", "editor"])
    assert code == 0
    c = dash_app.server.test_client()
    resp = c.post(
        "/login", data={"username": "editor", "password": PASSWORD, "csrf_token": token(c)}
    )
    assert resp.status_code == 401
    assert "account.disable" in actions()


def test_sign_in_without_csrf_is_refused(dash_app, app_db):
    c = dash_app.server.test_client()
    resp = c.post("/login", data={"username": "editor", "password": PASSWORD})
    assert resp.status_code == 400
    c.get("/login")
    forged = c.post(
        "/login",
        data={"username": "editor", "password": PASSWORD, "csrf_token": "forged"},
    )
    assert forged.status_code == 400


def test_failed_sign_ins_are_rate_limited(dash_app, app_db, monkeypatch):
    monkeypatch.setenv("LOGIN_RATE_LIMIT", "3 per minute")
    c = dash_app.server.test_client()
    c.environ_base["REMOTE_ADDR"] = "192.0.2.99"
    csrf = token(c)
    codes = [
        c.post(
            "/login", data={"username": "editor", "password": "wrong", "csrf_token": csrf}
        ).status_code
        for _ in range(4)
    ]
    assert codes == [401, 401, 401, 429]
    limited = c.post(
        "/login", data={"username": "editor", "password": PASSWORD, "csrf_token": csrf}
    )
    assert limited.status_code == 429  # even the right password waits
    other = client_for(dash_app, "editor", ip="192.0.2.100")  # another address is not limited
    assert other.get("/submit").status_code == 200


def test_login_needs_a_secret_key_outside_tests(dash_app, app_db, monkeypatch):
    monkeypatch.setenv("SECRET_KEY", "")
    monkeypatch.setattr(dash_app.server, "testing", False)
    resp = dash_app.server.test_client().get("/login")
    assert resp.status_code == 503 and "SECRET_KEY" in resp.get_data(as_text=True)


def test_sso_header_only_from_a_trusted_proxy(dash_app, app_db, monkeypatch):
    monkeypatch.setenv("SSO_HEADER", "X-Remote-User")
    c = dash_app.server.test_client()
    c.environ_base["REMOTE_ADDR"] = "127.0.0.1"
    # TRUSTED_PROXIES is 0: the header is anyone's to send, so it is ignored
    assert c.get("/submit", headers={"X-Remote-User": "editor"}).status_code in (302, 401)
    monkeypatch.setenv("TRUSTED_PROXIES", "1")
    assert c.get("/submit", headers={"X-Remote-User": "editor"}).status_code == 200
    far = dash_app.server.test_client()
    far.environ_base["REMOTE_ADDR"] = "203.0.113.9"  # not in SSO_PROXY_ADDRESSES
    assert far.get("/submit", headers={"X-Remote-User": "editor"}).status_code in (302, 401)
    assert c.get("/submit", headers={"X-Remote-User": "nobody"}).status_code in (302, 401)


def test_users_cli_lists_and_refuses_bad_input(app_db, capsys):
    assert etl_main(["users", "list"]) == 0
    out = capsys.readouterr().out
    assert '"username": "editor"' in out and "password" not in out.replace("has_password", "")
    assert etl_main(["users", "set-role", "viewer", "editor", "--area", ARAL]) == 0
    assert accounts.get_user("viewer")["role"] == "editor"
    assert etl_main(["users", "set-role", "nobody", "editor"]) == 2
    assert etl_main(["users", "add", "x1", "--sso", "--area", "12"]) == 2  # not a KATO code
    assert "account.set-role" in actions()
    stored = (
        accounts.engine()
        .connect()
        .exec_driver_sql("select password_hash from users where username='editor'")
        .scalar()
    )
    assert stored.startswith("$argon2id$")


def test_the_audit_log_is_append_only(app_db):
    accounts.audit("test", actor="x")
    with pytest.raises(Exception, match="append-only"):
        with accounts.engine().begin() as conn:
            conn.exec_driver_sql("update audit_log set actor='y'")
    with pytest.raises(Exception, match="append-only"):
        with accounts.engine().begin() as conn:
            conn.exec_driver_sql("delete from audit_log")
    assert not hasattr(accounts, "delete_audit") and accounts.audit_entries()[0]["actor"] == "x"


# --- decks under accounts --------------------------------------------------------------------


def test_deck_writes_need_an_editor_once_accounts_exist(dash_app, app_db):
    anonymous = dash_app.server.test_client()  # even on this machine
    resp = anonymous.post("/present/api/decks", json={"title": "Anon"})
    assert resp.status_code == 401, resp.get_data(as_text=True)
    assert anonymous.get(f"/present/?deck={DECK}").status_code == 200  # presenting stays open
    assert anonymous.get(f"/present/export.html?deck={DECK}").status_code == 200
    assert anonymous.get(f"/present/api/decks/{DECK}").status_code == 200
    viewer = client_for(dash_app, "viewer")
    csrf = token(viewer, "/login")
    resp = viewer.post("/present/api/decks", json={"title": "V"}, headers={"X-CSRFToken": csrf})
    assert resp.status_code == 403
    editor = client_for(dash_app, "editor")
    csrf = token(editor, "/submit")
    nocsrf = editor.post("/present/api/decks", json={"title": "E"})
    assert nocsrf.status_code == 403 and "CSRF" in nocsrf.get_json()["error"]
    evil = editor.post(
        "/present/api/decks", json={"title": "E"}, headers={"X-CSRFToken": csrf, "Origin": EVIL}
    )
    assert evil.status_code == 403
    ok = editor.post(
        "/present/api/decks", json={"title": "Editor deck"}, headers={"X-CSRFToken": csrf}
    )
    assert ok.status_code == 201, ok.get_data(as_text=True)
    entry = next(e for e in accounts.audit_entries() if e["action"].startswith("deck."))
    assert entry["actor"] == "editor" and entry["ip"] == "198.51.100.1"


def test_the_token_header_still_works_for_scripts_with_accounts(dash_app, app_db, monkeypatch):
    monkeypatch.setenv("DECKS_WRITE_TOKEN", "s3cret-token")
    c = dash_app.server.test_client()
    resp = c.post(
        "/present/api/decks", json={"title": "S"}, headers={"X-Decks-Token": "s3cret-token"}
    )
    assert resp.status_code == 201


# --- submitting figures ----------------------------------------------------------------------


def q(app, fn, *args):
    """A store query, in an application context of its own (the cache needs one)."""
    with app.server.app_context():
        return fn(*args)


def _a_figure(app, kato: str) -> tuple[str, int, float]:
    """An indicator the area has figures for, a year without one, and the last value."""
    with app.server.app_context():
        return _first_figure(kato)


def _first_figure(kato: str) -> tuple[str, int, float]:
    have = queries.area_indicators(kato)
    cat = queries.indicators().set_index("code")
    for code in have["indicator"]:
        rules = plausibility.rules_for(code, cat.loc[code, "unit_en"])
        if [(r.min, r.max) for r in rules] != [(0, None)]:
            continue  # a count or quantity: at least 0, no upper bound
        obs = queries.observations(code, kato, "all")
        obs = obs[obs["series"] == ""]
        if obs.empty or obs["value"].iloc[-1] <= 0:
            continue
        last = obs.sort_values("year").iloc[-1]
        return code, int(last["year"]) + 1, float(last["value"])
    raise AssertionError("no indicator to test with")


def _filled_template(c, kato: str, code: str, year: int, value: float, lang: str = "ru") -> bytes:
    resp = c.get(f"/submit/template?area={kato}&lang={lang}")
    assert resp.status_code == 200 and resp.mimetype.endswith("sheet")
    wb = load_workbook(io.BytesIO(resp.data))
    ws = wb.worksheets[0]
    header = [cell.value for cell in ws[1]]
    assert header[0] == "Код показателя" and "Единица измерения" in header
    col = header.index(year) + 1 if year in header else None
    if col is None:  # the year is older than the template's columns: add it
        col = len(header) + 1
        ws.cell(1, col, year)
    row = next(r for r in range(2, ws.max_row + 1) if ws.cell(r, 1).value == code)
    assert ws.cell(row, 3).value  # the unit is filled in
    ws.cell(row, col, value)
    src = wb.worksheets[1]
    src.cell(1, 2, "Отчёт акимата о рыбном хозяйстве")
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def _preview(c, kato: str, data: bytes, name: str = "filled.xlsx"):
    return c.post(
        "/submit/preview?lang=en",
        data={"area": kato, "csrf_token": token(c, "/submit"), "file": (io.BytesIO(data), name)},
        content_type="multipart/form-data",
    )


def _send(c, preview_html: str, tick: bool = True):
    draft = re.search(r'name="draft" value="([^"]+)"', preview_html).group(1)
    data = {"draft": draft, "csrf_token": csrf_of(preview_html)}
    if tick:
        data["accept_warnings"] = "1"
    return c.post("/submit?lang=en", data=data)


def _submission_id(html: str) -> int:
    return int(re.search(r"Submission (\d+)", html).group(1))


def test_template_round_trip_from_upload_to_the_api(dash_app, app_db):
    editor, reviewer = client_for(dash_app, "editor"), client_for(dash_app, "reviewer")
    code, year, last = _a_figure(dash_app, ARAL)
    new_value = round(last * 1.1 + 1, 1)
    data = _filled_template(editor, ARAL, code, year, new_value)
    resp = _preview(editor, ARAL, data)
    html = resp.get_data(as_text=True)
    assert resp.status_code == 200, html
    assert 'id="new"' in html and f"<td>{code}</td>" in html and 'id="errors"' not in html
    assert 'id="unchanged"' in html  # the figures filled in by the template
    assert accounts.list_submissions() == []  # a preview stores nothing
    before = q(dash_app, queries.data_version)
    sent = _send(editor, html)
    assert sent.status_code == 201, sent.get_data(as_text=True)
    (pending,) = accounts.list_submissions("pending")
    assert [r["indicator"] for r in pending["rows"]] == [code]  # unchanged ones are not kept
    # the reviewer sees the same preview, and approves
    page = reviewer.get(f"/review/{pending['id']}?lang=en").get_data(as_text=True)
    assert f"<td>{code}</td>" in page and "Approve" in page
    done = reviewer.post(
        f"/review/{pending['id']}?lang=en",
        data={"decision": "approve", "comment": "checked", "csrf_token": csrf_of(page)},
    )
    assert done.status_code == 200, done.get_data(as_text=True)
    assert q(dash_app, queries.data_version) != before
    source = "submitted-editor-org"  # the organisation's own source
    api = editor.get(f"/api/v1/observations?indicator={code}&area={ARAL}&source=all").get_json()
    row = next(r for r in api["data"] if r["year"] == year and r["source"] == source)
    assert row["value"] == new_value
    src = q(dash_app, queries.source, source)
    assert src["publisher"] == "editor org" and "editor org" in src["title"]
    obs = q(dash_app, queries.observations, code, (ARAL,), source)
    note = obs.loc[obs["year"] == year, "note"].item()  # the figure names its submission
    assert f"submission {pending['id']} by editor (editor org)" in note
    assert "approved by reviewer" in note and "рыбном" in note
    runs = q(dash_app, queries.load_runs)
    assert (runs["file"] == f"submission {pending['id']}").any()
    assert accounts.get_submission(pending["id"])["state"] == "approved"
    steps = actions()
    for step in (
        "login",
        "submission.template",
        "submission.preview",
        "submission.create",
        "load",
        "submission.approve",
    ):
        assert step in steps, step


@pytest.mark.parametrize("lang", ["kk", "ru", "en"])
def test_the_template_in_each_language_is_read_back(dash_app, app_db, lang):
    from etl.submission import HEADERS, read_workbook

    editor = client_for(dash_app, "editor")
    data = editor.get(f"/submit/template?area={ARAL}&lang={lang}").data
    header = [c.value for c in load_workbook(io.BytesIO(data)).worksheets[0][1]]
    assert header[:3] == [HEADERS[k][lang] for k in ("indicator", "name", "unit")]
    rows, source, errors = read_workbook(data, "template.xlsx", 10_000)
    assert errors == [] and rows and {r["area"] for r in rows} == {ARAL}
    assert source["publisher"] == "editor org"  # filled in: the account's organisation
    code, year, last = _a_figure(dash_app, ARAL)  # the last figure, filled in
    if year - 1 in header:
        assert any(r["indicator"] == code and r["value"] == last for r in rows)


def test_a_rejected_batch_writes_nothing(dash_app, app_db):
    editor, reviewer = client_for(dash_app, "editor"), client_for(dash_app, "reviewer")
    code, year, last = _a_figure(dash_app, ARAL)
    html = _preview(editor, ARAL, _filled_template(editor, ARAL, code, year, last)).get_data(
        as_text=True
    )
    assert _send(editor, html).status_code == 201
    (pending,) = accounts.list_submissions("pending")
    before = q(dash_app, queries.data_version)
    page = reviewer.get(f"/review/{pending['id']}").get_data(as_text=True)
    resp = reviewer.post(
        f"/review/{pending['id']}",
        data={"decision": "reject", "comment": "wrong year", "csrf_token": csrf_of(page)},
    )
    assert resp.status_code == 200
    assert q(dash_app, queries.data_version) == before
    assert q(dash_app, queries.source, "submitted-editor-org") is None
    assert accounts.get_submission(pending["id"])["state"] == "rejected"
    entry = next(e for e in accounts.audit_entries() if e["action"] == "submission.reject")
    assert entry["actor"] == "reviewer" and entry["detail"] == "wrong year"
    again = reviewer.post(
        f"/review/{pending['id']}",
        data={"decision": "approve", "csrf_token": csrf_of(page)},
    )
    assert again.status_code == 409


def test_errors_block_and_warnings_need_a_tick(dash_app, app_db):
    editor = client_for(dash_app, "editor")
    code, year, last = _a_figure(dash_app, ARAL)
    jump = _preview(editor, ARAL, _filled_template(editor, ARAL, code, year, last * 3 + 10))
    html = jump.get_data(as_text=True)
    assert jump.status_code == 200 and 'id="warnings"' in html and "50%" in html
    assert re.search(r"row \d+, column [A-Z]+ \(\d{4}\)", html)  # where: row and column
    assert _send(editor, html, tick=False).status_code == 422
    assert accounts.list_submissions() == []
    negative = _preview(editor, ARAL, _filled_template(editor, ARAL, code, year, -5))
    html = negative.get_data(as_text=True)
    assert negative.status_code == 422 and 'id="errors"' in html and "draft" not in html
    future = _preview(editor, ARAL, _filled_template(editor, ARAL, code, 2100, last))
    assert future.status_code == 422 and "after the current year" in future.get_data(as_text=True)
    words = _preview(editor, ARAL, _filled_template(editor, ARAL, code, year, "many"))
    assert words.status_code == 422 and "not a number" in words.get_data(as_text=True)


def test_bad_files_answer_4xx_with_a_message(dash_app, app_db, monkeypatch):
    editor = client_for(dash_app, "editor")
    resp = _preview(editor, ARAL, b"not a workbook at all", "figures.xlsx")
    assert resp.status_code == 400 and "not an Excel" in resp.get_data(as_text=True)
    monkeypatch.setitem(dash_app.server.config, "MAX_CONTENT_LENGTH", 2000)
    big = _preview(editor, ARAL, b"x" * 5000)
    assert big.status_code == 413


def test_the_small_form_submits_a_few_figures(dash_app, app_db):
    editor = client_for(dash_app, "editor")
    code, year, last = _a_figure(dash_app, ARAL)
    resp = editor.post(
        "/submit/preview?lang=en",
        data={
            "area": ARAL,
            "csrf_token": token(editor, "/submit"),
            "indicator": [code, ""],
            "year": [str(year), ""],
            "value": [str(last), ""],
            "note": ["from the register", ""],
            "source_title": "District register",
        },
    )
    html = resp.get_data(as_text=True)
    assert resp.status_code == 200 and 'id="new"' in html, html
    assert _send(editor, html).status_code == 201
    bad = editor.post(  # the form's cells are checked like the template's
        "/submit/preview?lang=en",
        data={
            "area": ARAL,
            "csrf_token": token(editor, "/submit"),
            "indicator": [code, code],
            "year": [str(year), ""],
            "value": ["many", "1"],
        },
    )
    html = bad.get_data(as_text=True)
    assert bad.status_code == 422 and "draft" not in html, html
    assert "<b>form, row 1, column value</b>: " in html and "not a number" in html
    assert "<b>form, row 2, column year</b>: is empty" in html


def _form_preview(c, code: str, figures: dict[int, float]):
    """The small form's preview of ``figures`` {year: value} of ``code`` for Aral."""
    return c.post(
        "/submit/preview?lang=en",
        data={
            "area": ARAL,
            "csrf_token": token(c, "/submit"),
            "indicator": [code] * len(figures),
            "year": [str(y) for y in figures],
            "value": [str(v) for v in figures.values()],
            "note": [""] * len(figures),
            "source_title": "District register",
        },
    )


def _submit_and_approve(c, reviewer, code: str, figures: dict[int, float]) -> str:
    """Submit ``figures`` through the form, approve them; returns the preview."""
    html = _form_preview(c, code, figures).get_data(as_text=True)
    assert _send(c, html).status_code == 201, html
    sid = accounts.list_submissions("pending")[0]["id"]
    page = reviewer.get(f"/review/{sid}").get_data(as_text=True)
    done = reviewer.post(
        f"/review/{sid}", data={"decision": "approve", "csrf_token": csrf_of(page)}
    )
    assert done.status_code == 200, done.get_data(as_text=True)
    return html


def test_revision_history_after_two_submissions(dash_app, app_db):
    """A later submission of the same organisation revises its earlier figure (the revision
    keeps the old value and its submission) and leaves its other figures; another
    organisation's submission revises nothing of the first: both readings are kept."""
    for name, org in (("colleague", "editor org"), ("other", "Другая организация")):
        accounts.add_user(
            name, name=name, organisation=org, role="editor", areas=[ARAL], password=PASSWORD
        )
    editor, colleague, other = (client_for(dash_app, n) for n in ("editor", "colleague", "other"))
    reviewer = client_for(dash_app, "reviewer")
    code, year, last = _a_figure(dash_app, ARAL)
    first, second, third = round(last + 1, 1), round(last + 2, 1), round(last + 3, 1)
    earlier = round(last * 1.01 + 0.5, 1)  # beside the Bureau's figure of the year before
    _submit_and_approve(editor, reviewer, code, {year: first, year - 1: earlier})
    mine = "submitted-editor-org"
    html = _submit_and_approve(colleague, reviewer, code, {year: second})
    assert 'id="changed"' in html and f"<td>{mine}</td>" in html  # old value, old source
    history = q(dash_app, queries.revisions, code, (ARAL,))
    (revised,) = history[history["source"] == mine].to_dict("records")
    assert revised["kind"] == "revised" and revised["year"] == year
    assert (revised["old_value"], revised["new_value"]) == (first, second)
    assert "submission 1 by editor" in revised["old_note"]
    api = editor.get(
        f"/api/v1/observations?indicator={code}&area={ARAL}&source=all&history=true"
    ).get_json()
    row = next(r for r in api["data"] if r["year"] == year and r["source"] == mine)
    assert row["value"] == second and [h["old_value"] for h in row["history"]] == [first]
    kept = next(r for r in api["data"] if r["year"] == year - 1 and r["source"] == mine)
    assert kept["value"] == earlier and kept["history"] == []  # not in the second: left alone
    assert any(r["year"] == year - 1 and r["source"] != mine for r in api["data"])  # the Bureau's
    html = _submit_and_approve(other, reviewer, code, {year: third})
    assert 'class="beside"' in html  # another source's figure, kept beside the new one
    theirs = "submitted-drugaya-organizaciya"
    history = q(dash_app, queries.revisions, code, (ARAL,))
    assert len(history[history["source"] == mine]) == 1 and history["source"].ne(theirs).all()
    readings = q(dash_app, queries.observations, code, (ARAL,), "all")
    readings = readings[readings["year"] == year].set_index("source")["value"]
    assert readings.to_dict() == {mine: second, theirs: third}


# --- every role against every write route ----------------------------------------------------


# Every route of the server that writes, by (method, rule); the matrix below tries each one.
# Not in it: /login (signing in: its CSRF refusal is tested above), /logout, /present/unlock
# (the presentation lock's password, for anyone), /_dash-update-component (Dash callbacks: the
# deck editor's writes go through the same store gate, tried at the end), and the read-only
# API /api/v1/<path> (every write answers 405).
NOT_WRITES = {
    "/login",
    "/logout",
    "/present/unlock",
    "/_dash-update-component",
    "/api/v1/<path:path>",
}
D = "/present/api/decks"
WRITES = {  # (method, rule): how the matrix calls it ("form" or "json" body)
    ("POST", "/submit/preview"): "form",
    ("POST", "/submit"): "form",
    ("POST", "/review/<int:submission_id>"): "form",
    ("POST", D): "json",
    ("PUT", D + "/<slug>"): "json",
    ("DELETE", D + "/<slug>"): "json",
    ("POST", D + "/<slug>/copy"): "json",
    ("POST", D + "/<slug>/freeze"): "json",
    ("POST", D + "/<slug>/unfreeze"): "json",
    ("POST", D + "/<slug>/order"): "json",
    ("POST", D + "/<slug>/slides"): "json",
    ("PUT", D + "/<slug>/slides/<slide_id>"): "json",
    ("DELETE", D + "/<slug>/slides/<slide_id>"): "json",
    ("POST", D + "/<slug>/slides/<slide_id>/move"): "json",
}


def test_every_write_route_is_in_the_role_matrix(dash_app):
    found = {
        (m, r.rule)
        for r in dash_app.server.url_map.iter_rules()
        for m in r.methods - {"GET", "HEAD", "OPTIONS"}
        if r.rule not in NOT_WRITES
    }
    assert found == set(WRITES), "a write route is missing from the role matrix"
    resp = dash_app.server.test_client().post("/api/v1/observations", json={})
    assert resp.status_code == 405


def test_roles_against_write_routes(dash_app, app_db):
    """Anonymous 401; a viewer 403; an editor without the CSRF token or from another site
    403; an editor or reviewer of another district 403 on that district's figures; an editor
    cannot review (its own batch or any); nothing is written by any refused request."""
    accounts.add_user(
        "kazaly_reviewer", name="K", organisation="k", role="reviewer", areas=[KAZALY],
        password=PASSWORD,
    )  # fmt: skip
    editor = client_for(dash_app, "editor")
    code, year, last = _a_figure(dash_app, ARAL)
    html = _preview(editor, ARAL, _filled_template(editor, ARAL, code, year, last)).get_data(
        as_text=True
    )
    draft = re.search(r'name="draft" value="([^"]+)"', html).group(1)
    assert _send(editor, html).status_code == 201
    sid = accounts.list_submissions()[0]["id"]
    deck = decks.get_deck(DECK)
    slide = deck["slides"][0]["id"]
    bodies = {
        "/submit/preview": {"area": ARAL, "indicator": code, "year": year, "value": 1},
        "/submit": {"draft": draft, "accept_warnings": "1"},
        "/review/<int:submission_id>": {"decision": "approve", "comment": "no"},
        D: {"title": "Matrix"},
        D + "/<slug>": {"title": "Changed"},
        D + "/<slug>/freeze": {"as_of": "2024-01-01"},
        D + "/<slug>/order": {"slides": [slide]},
        D + "/<slug>/slides": {"kind": "text", "params": {}},
        D + "/<slug>/slides/<slide_id>": {"params": {}},
        D + "/<slug>/slides/<slide_id>/move": {"position": 1},
    }
    paths = {"<slug>": DECK, "<slide_id>": str(slide), "<int:submission_id>": str(sid)}
    names = ["viewer", "editor", "kazaly", "reviewer", "kazaly_reviewer"]
    clients = {name: client_for(dash_app, name) for name in names}
    clients["anonymous"] = dash_app.server.test_client()
    before = q(dash_app, queries.data_version)

    def call(who: str, method: str, rule: str, *, csrf: bool = True, origin: str | None = None):
        c = clients[who]
        path = rule
        for k, v in paths.items():
            path = path.replace(k, v)
        body = bodies.get(rule, {})
        headers = {"Origin": origin} if origin else {}
        csrf_token = token(c, "/login") if csrf else None
        if WRITES[(method, rule)] == "form":
            data = {**body, **({"csrf_token": csrf_token} if csrf else {})}
            return c.open(path, method=method, data=data, headers=headers).status_code
        if csrf:
            headers["X-CSRFToken"] = csrf_token
        return c.open(path, method=method, json=body, headers=headers).status_code

    for method, rule in WRITES:
        where = (method, rule)
        assert call("anonymous", method, rule) == 401, where
        assert call("viewer", method, rule) == 403, where
        assert call("editor", method, rule, csrf=False) == 403, where
        assert call("editor", method, rule, origin=EVIL) == 403, where
    for rule in ("/submit/preview", "/submit"):  # Aral's figures from Kazaly's editor
        assert call("kazaly", "POST", rule) == 403, rule
    review = "/review/<int:submission_id>"
    for who in ("editor", "kazaly", "kazaly_reviewer"):  # its own; not a reviewer; elsewhere
        assert call(who, "POST", review) == 403, who
    # nothing was written: the submission waits, the deck is as it was, no new figures
    assert [s["state"] for s in accounts.list_submissions()] == ["pending"]
    assert decks.get_deck(DECK) == deck and [d["slug"] for d in decks.list_decks()] == [DECK]
    assert q(dash_app, queries.data_version) == before
    refused = [e for e in accounts.audit_entries(limit=None) if e["action"] == "csrf.refused"]
    assert refused and refused[0]["actor"] == "editor"
    # the deck editor's own writes (Dash callbacks) pass the same gate
    from tests.web.test_deck_editor import act

    for who in ("anonymous", "viewer"):
        out = act(clients[who], "create", deck=None, fields={("new-title", 0): "Anon"})
        assert "Sign in as an editor" in json.dumps(out["dk-status"]), who
    assert [d["slug"] for d in decks.list_decks()] == [DECK]


def test_a_reviewer_cannot_approve_their_own_batch(dash_app, app_db):
    reviewer = client_for(dash_app, "reviewer")
    code, year, last = _a_figure(dash_app, ARAL)
    html = _preview(reviewer, ARAL, _filled_template(reviewer, ARAL, code, year, last)).get_data(
        as_text=True
    )
    assert _send(reviewer, html).status_code == 201
    sid = accounts.list_submissions()[0]["id"]
    page = reviewer.get(f"/review/{sid}?lang=en").get_data(as_text=True)
    assert "cannot review your own" in page
    resp = reviewer.post(
        f"/review/{sid}", data={"decision": "approve", "csrf_token": csrf_of(page)}
    )
    assert resp.status_code == 403 and accounts.get_submission(sid)["state"] == "pending"
    admin = client_for(dash_app, "admin")
    page = admin.get(f"/review/{sid}").get_data(as_text=True)
    nocsrf = admin.post(f"/review/{sid}", data={"decision": "approve"})
    assert nocsrf.status_code == 403 and accounts.get_submission(sid)["state"] == "pending"
    ok = admin.post(f"/review/{sid}", data={"decision": "approve", "csrf_token": csrf_of(page)})
    assert ok.status_code == 200 and accounts.get_submission(sid)["state"] == "approved"


def test_admins_browse_and_export_the_audit_log(dash_app, app_db):
    admin = client_for(dash_app, "admin")
    page = admin.get("/audit?action=login").get_data(as_text=True)
    assert "admin" in page and "198.51.100.1" in page
    resp = admin.get("/audit.csv")
    rows = list(csv.DictReader(io.StringIO(resp.get_data(as_text=True).lstrip("\ufeff"))))
    assert resp.mimetype == "text/csv" and {"login"} <= {r["action"] for r in rows}
    assert set(rows[0]) == {"id", "at", "actor", "action", "target", "detail", "ip", "ok"}
    assert "audit.export" in actions()

    def exported(query: str) -> list[dict]:
        resp = admin.get(f"/audit.csv?{query}")
        assert resp.status_code == 200, resp.get_data(as_text=True)
        return list(csv.DictReader(io.StringIO(resp.get_data(as_text=True).lstrip("\ufeff"))))

    today = rows[0]["at"][:10]
    # who, what and when
    assert {r["actor"] for r in exported("actor=admin")} == {"admin"}
    assert {r["action"] for r in exported("action=audit")} == {"audit.export"}  # audit.*
    assert exported("action=log") == []  # a prefix only before a dot
    assert len(exported(f"since={today}&until={today}&action=login")) == 1
    assert exported("until=2000-01-01") == []
    page = admin.get(f"/audit?since={today}&actor=admin&lang=ru").get_data(as_text=True)
    assert "Кто" in page and f"/audit.csv?actor=admin&amp;since={today}" in page
    bad = admin.get("/audit?since=yesterday")
    assert bad.status_code == 400 and "YYYY-MM-DD" in bad.get_data(as_text=True)


def _header(c, lang: str = "en") -> str:
    from tests.web.conftest import callback

    out = callback(
        c,
        "..shell-header.children...shell-footer.children...shell-lang.data...shell-skip.children..",
        [
            {"id": "shell-header", "property": "children"},
            {"id": "shell-footer", "property": "children"},
            {"id": "shell-lang", "property": "data"},
            {"id": "shell-skip", "property": "children"},
        ],
        [
            {"id": "shell-url", "property": "pathname", "value": "/"},
            {"id": "shell-url", "property": "search", "value": f"?lang={lang}"},
        ],
    )
    return str(out["response"]["shell-header"]["children"])


def test_the_header_offers_sign_in_and_what_the_account_may_do(dash_app, app_db):
    assert "/login?lang=en" in _header(dash_app.server.test_client())
    reviewer = _header(client_for(dash_app, "reviewer"))
    assert "/submit?lang=en" in reviewer and "/review?lang=en" in reviewer
    assert "/audit" not in reviewer and "/logout" in reviewer
    assert "/audit?lang=en" in _header(client_for(dash_app, "admin"))


def test_the_deck_editor_asks_anonymous_visitors_to_sign_in(dash_app, app_db):
    from tests.web.conftest import render, texts

    anonymous = texts(render(dash_app.server.test_client(), "/decks", "?lang=en"))
    assert "Sign in as an editor to change decks" in anonymous
    editor = texts(render(client_for(dash_app, "editor"), "/decks", "?lang=en"))
    assert "Sign in as an editor" not in editor


def test_a_command_line_load_into_the_servers_database_is_audited(app_db, tmp_path, monkeypatch):
    from tests.conftest import FIXTURES

    url = f"sqlite:///{tmp_path / 'cli.db'}"
    monkeypatch.setenv("DATABASE_URL", url)
    assert etl_main(["load", str(FIXTURES / "curated_min"), "--db", url]) == 0
    entry = next(e for e in accounts.audit_entries() if e["action"] == "load")
    assert entry["actor"].startswith("cli:") and "curated_min" in entry["target"]
    other = f"sqlite:///{tmp_path / 'other.db'}"  # not the server's database: not its log
    assert etl_main(["load", str(FIXTURES / "curated_min"), "--db", other]) == 0
    assert len([e for e in accounts.audit_entries() if e["action"] == "load"]) == 1
