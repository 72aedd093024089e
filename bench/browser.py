"""First loads in headless Chromium against gunicorn on 127.0.0.1, and the worker's memory.

Bytes are counted as transferred: each response's encoded body (after Content-Encoding) plus
its headers, from Playwright's ``request.sizes()``.
"""

from __future__ import annotations

import json
import logging
import os
import tempfile
import urllib.error
import urllib.request
from pathlib import Path
from typing import Any

from benchmarks.load_test import start_gunicorn

CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
PAGES = ("/", "/explore", "/map")
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run"]
log = logging.getLogger("bench")


def unavailable() -> str | None:
    """Why the browser figures cannot be taken here (None: they can)."""
    if not Path(CHROMIUM).exists():
        return f"no chromium at {CHROMIUM} (apt-get install chromium)"
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return "playwright is not installed"
    return None


def rss_mb(pid: int) -> float:
    """Resident memory of process ``pid`` in MB."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def children(pid: int) -> list[int]:
    """The child processes of ``pid`` (gunicorn's workers)."""
    text = Path(f"/proc/{pid}/task/{pid}/children").read_text()
    return [int(x) for x in text.split()]


def first_loads(base: str, chromium: Any = None) -> dict[str, dict[str, int]]:
    """Transferred bytes and the number of requests of a first load (empty cache) of each page,
    in ``chromium`` (a Playwright browser; default: Debian's chromium started for this)."""
    if chromium is None:
        from playwright.sync_api import sync_playwright

        with sync_playwright() as p:
            chromium = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=ARGS)
            try:
                return first_loads(base, chromium)
            finally:
                chromium.close()
    out: dict[str, dict[str, int]] = {}
    for path in PAGES:
        context = chromium.new_context(viewport={"width": 1366, "height": 900})
        page = context.new_page()
        done: list = []
        page.on("requestfinished", lambda r, done=done: done.append(r))
        page.goto(base + path, wait_until="networkidle", timeout=120_000)
        page.wait_for_selector("#main >> *", timeout=60_000)
        if page.query_selector(".dash-graph"):  # its plotly.js bundle loads on demand
            page.wait_for_selector(".js-plotly-plot", timeout=180_000)
        page.wait_for_load_state("networkidle")
        sizes = [r.sizes() for r in done if r.url.startswith(base)]
        out[path] = {
            "bytes": sum(s["responseBodySize"] + s["responseHeadersSize"] for s in sizes),
            "requests": len(sizes),
            "elsewhere": sum(not r.url.startswith(base) for r in done),
        }
        context.close()
    return out


class HttpClient:
    """The slice of Flask's test client that :class:`bench.server.Dash` uses, over HTTP."""

    class Response:
        def __init__(self, status: int, data: bytes, headers: dict[str, str]) -> None:
            self.status_code, self.data, self.headers = status, data, headers

        def get_json(self) -> Any:
            return json.loads(self.data)

    def __init__(self, base: str) -> None:
        self.base = base

    def _send(self, req: urllib.request.Request) -> HttpClient.Response:
        try:
            with urllib.request.urlopen(req, timeout=300) as resp:
                return self.Response(resp.status, resp.read(), dict(resp.headers))
        except urllib.error.HTTPError as exc:
            return self.Response(exc.code, exc.read(), dict(exc.headers))

    def get(self, path: str, headers: dict[str, str] | None = None) -> HttpClient.Response:
        return self._send(urllib.request.Request(self.base + path, headers=headers or {}))

    def post(
        self, path: str, data: str, content_type: str, headers: dict[str, str] | None = None
    ) -> HttpClient.Response:
        req = urllib.request.Request(
            self.base + path,
            data=data.encode(),
            headers={**(headers or {}), "Content-Type": content_type},
            method="POST",
        )
        return self._send(req)


def warm_up(base: str, questions: dict) -> None:
    """Each page of the questions rendered through the router callback, and the API."""
    from bench.server import Dash, searches

    client = HttpClient(base)
    dash = Dash(client)
    for path, search in searches(questions).values():
        dash.post(dash.page_body(path, search))
    for fmt in ("csv", "json"):
        client.get(f"/api/v1/observations?indicator={questions['indicator']}&format={fmt}")


def measure(url: str, env: dict[str, str], questions: dict) -> dict:
    """Serve ``url`` with gunicorn (one worker, the given cache settings), take the first loads,
    warm the worker up with the questions and read its resident memory."""
    saved = dict(os.environ)
    os.environ.update(env)
    try:
        with tempfile.TemporaryDirectory(prefix="bench-web-") as tmp:
            proc, base = start_gunicorn(1, url, Path(tmp))
            try:
                loads = first_loads(base)
                warm_up(base, questions)
                workers = children(proc.pid)
                worker_mb = max(rss_mb(w) for w in workers) if workers else float("nan")
            finally:
                proc.terminate()
                proc.wait(60)
    finally:
        os.environ.clear()
        os.environ.update(saved)
    return {"pages": loads, "worker_rss_mb": worker_mb}
