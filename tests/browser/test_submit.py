"""The submission flow in a real browser: an editor signs in, downloads the template, fills
it in, uploads it, sees the preview and sends it; a reviewer approves it; the figure is in
Explore's data table with the organisation's submitted figures as its source."""

from __future__ import annotations

import shutil

import pytest
from openpyxl import load_workbook

from store import accounts, deck_database, queries
from tests.web.test_accounts import ARAL, KYZYLORDA, PASSWORD, _first_figure


@pytest.fixture
def accounts_db(tmp_path, monkeypatch, dash_app, web_db, live_server):
    url = f"sqlite:///{tmp_path / 'app.db'}"
    monkeypatch.setenv("DECKS_DATABASE_URL", url)
    monkeypatch.delenv("DECKS_READONLY", raising=False)
    deck_database.use(url)
    accounts.add_user(
        "asel",
        name="Asel",
        organisation="Aral akimat",
        role="editor",
        areas=[ARAL],
        password=PASSWORD,
    )
    accounts.add_user(
        "berik",
        name="Berik",
        organisation="Oblast akimat",
        role="reviewer",
        areas=[KYZYLORDA],
        password=PASSWORD,
    )
    copy = tmp_path / "indicators.db"
    shutil.copy(web_db.removeprefix("sqlite:///"), copy)
    queries.use(f"sqlite:///{copy}")
    yield url
    queries.use(web_db)
    deck_database.dispose()


def sign_in(p, base: str, name: str) -> None:
    p.goto(f"{base}/login?lang=en")
    p.get_by_label("User name").fill(name)
    p.get_by_label("Password").fill(PASSWORD)
    p.get_by_role("button", name="Sign in").click()
    p.wait_for_load_state()


def test_sign_in_upload_preview_approve_and_see_it_in_explore(
    page, accounts_db, dash_app, tmp_path
):
    base, p = page.base, page.page
    with dash_app.server.app_context():
        code, year, last = _first_figure(ARAL)
    value = round(last * 1.2 + 3, 1)
    sign_in(p, base, "asel")
    p.goto(f"{base}/submit?lang=en")
    with p.expect_download() as got:
        p.get_by_role("button", name="Download the template").click()
    path = tmp_path / "template.xlsx"
    got.value.save_as(path)
    wb = load_workbook(path)
    ws = wb.worksheets[0]
    header = [c.value for c in ws[1]]
    col = header.index(year) + 1 if year in header else len(header) + 1
    ws.cell(1, col, year)
    row = next(r for r in range(2, ws.max_row + 1) if ws.cell(r, 1).value == code)
    ws.cell(row, col, value)
    wb.worksheets[1].cell(1, 2, "Browser test figures")
    wb.save(path)
    p.locator("input[type=file]").set_input_files(str(path))
    p.locator("form[enctype] button[type=submit]").click()
    p.wait_for_selector("#new")
    assert code in p.locator("table.new").inner_text()
    page.shot("submit-preview-en")
    tick = p.locator("input[name=accept_warnings]")
    if tick.count():
        tick.check()
    p.get_by_role("button", name="Send for review").click()
    p.wait_for_selector("[role=status]")
    (pending,) = accounts.list_submissions("pending")
    p.get_by_role("button", name="Sign out").click()
    p.wait_for_load_state()

    sign_in(p, base, "berik")
    p.goto(f"{base}/review?lang=en")
    p.get_by_role("link", name=str(pending["id"]), exact=True).click()
    p.wait_for_selector("table.new")
    p.get_by_label("Comment").fill("matches the hatchery's report")
    p.get_by_role("button", name="Approve and load").click()
    p.wait_for_selector("[role=status]")
    assert "approved" in p.locator("[role=status]").inner_text()

    source = "submitted-aral-akimat"  # the organisation's own source
    page.goto(f"/explore?indicator={code}&area={ARAL}&source=all&lang=en")
    p.wait_for_selector(f'#explore-table a[href="#src-{source}"]', timeout=20000)
    row_text = p.locator(f'#explore-table tr:has(a[href="#src-{source}"])').first.inner_text()
    assert str(year) in row_text
    assert page.blocked == [] and page.errors == []
    actions = {e["action"] for e in accounts.audit_entries(limit=None)}
    assert {"login", "logout", "submission.create", "submission.approve", "load"} <= actions
