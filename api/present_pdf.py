"""Printing a self-contained HTML document to PDF with headless Chromium (Playwright),
offline: the decks' PDF export and the area report's PDF."""

from __future__ import annotations

import shutil

import config

PDF_TIMEOUT_MS = 90_000


class PdfUnavailable(RuntimeError):
    """No Chromium (or no Playwright) to print the PDF with."""


def chromium_path() -> str | None:
    """The Chromium to print with: CHROMIUM, else `chromium` on the PATH, else None
    (Playwright's own browser)."""
    return config.get("CHROMIUM") or shutil.which("chromium") or None


def render_pdf(
    document: str,
    *,
    width: str = "1920px",
    height: str = "1080px",
    ready: str | None = "window.deckReady === true",
) -> bytes:
    """Print an HTML document (self-contained) to PDF, ``width`` × ``height`` pages (1920 ×
    1080 px slides by default), no network; ``ready`` is the script condition to wait for."""
    try:
        from playwright.sync_api import Error as PlaywrightError
        from playwright.sync_api import sync_playwright
    except ImportError as exc:
        raise PdfUnavailable("playwright is not installed") from exc
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(
                executable_path=chromium_path(),
                headless=True,
                args=[
                    "--no-sandbox",
                    "--disable-gpu",
                    "--disable-dev-shm-usage",
                    "--disable-background-networking",
                    "--no-first-run",
                ],
            )
            try:
                page = browser.new_page(viewport={"width": 1920, "height": 1080})
                page.route(
                    "**/*",
                    lambda r: (
                        r.continue_()
                        if r.request.url.startswith(("data:", "about:"))
                        else r.abort()
                    ),
                )
                page.set_content(document, wait_until="load", timeout=PDF_TIMEOUT_MS)
                if ready:
                    page.wait_for_function(ready, timeout=PDF_TIMEOUT_MS)
                return page.pdf(
                    width=width,
                    height=height,
                    print_background=True,
                    prefer_css_page_size=True,
                    margin={"top": "0", "right": "0", "bottom": "0", "left": "0"},
                )
            finally:
                browser.close()
    except PlaywrightError as exc:
        if "Executable doesn't exist" in str(exc) or "ENOENT" in str(exc):
            raise PdfUnavailable(str(exc).splitlines()[0]) from exc
        raise
