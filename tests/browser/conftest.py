"""Browser tier: the real app served on 127.0.0.1, driven by Playwright in Debian's chromium.

Every request that does not go to the local server is aborted and recorded, so these
tests also prove the pages work with no internet. Screenshots go to the folder named by
TEST_ARTIFACTS_DIR (default: test-artifacts/, ignored by git).
"""

from __future__ import annotations

import os
import shutil
import threading
from pathlib import Path

import pytest

from tests.conftest import ROOT

CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
ARTIFACTS = Path(os.environ.get("TEST_ARTIFACTS_DIR", ROOT / "test-artifacts"))


def pytest_collection_modifyitems(items):
    for item in items:
        if "tests/browser/" in str(item.fspath).replace(os.sep, "/"):
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def live_server(dash_app):
    """The app on a free port of 127.0.0.1, in a thread; yields its base URL."""
    from werkzeug.serving import make_server

    server = make_server("127.0.0.1", 0, dash_app.server, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()


@pytest.fixture(scope="session")
def browser():
    if not Path(CHROMIUM).exists() and not shutil.which("chromium"):
        pytest.skip(f"no chromium at {CHROMIUM} (apt-get install chromium; see .ci/run)")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        pytest.skip("playwright is not installed (pip install -e '.[test]')")
    with sync_playwright() as p:
        b = p.chromium.launch(
            executable_path=CHROMIUM,
            headless=True,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
            ],
        )
        yield b
        b.close()


class OfflinePage:
    """A page whose requests outside the local server are blocked and remembered."""

    def __init__(self, page, base: str):
        self.page, self.base, self.blocked = page, base, []

        def route(r):
            if r.request.url.startswith(base) or r.request.url.startswith("data:"):
                r.continue_()
            else:
                self.blocked.append(r.request.url)
                r.abort()

        page.route("**/*", route)
        self.errors: list[str] = []
        page.on("pageerror", lambda e: self.errors.append(str(e)))

    def goto(self, path: str):
        self.page.goto(self.base + path)
        self.page.wait_for_selector("#main >> *", timeout=20000)
        return self.page

    def shot(self, name: str) -> Path:
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        path = ARTIFACTS / f"{name}.png"
        self.page.screenshot(path=str(path), full_page=True)
        return path


@pytest.fixture
def strict_page(browser, live_server):
    """A page that keeps the server's Content-Security-Policy (no bypass)."""
    context = browser.new_context(viewport={"width": 1366, "height": 900}, locale="en-US")
    yield OfflinePage(context.new_page(), live_server)
    context.close()


@pytest.fixture
def page(browser, live_server):
    # bypass_csp: Playwright's wait_for_function evaluates strings, which the app's CSP
    # forbids; tests/browser/test_csp.py checks the pages under the CSP itself.
    context = browser.new_context(
        viewport={"width": 1366, "height": 900}, locale="en-US", bypass_csp=True
    )
    p = context.new_page()
    wrapped = OfflinePage(p, live_server)
    yield wrapped
    context.close()
