"""Benchmark: server time to render each page and an API call (Flask test client), and the
bytes a browser transfers on a page's first load.

    .venv/bin/python benchmarks/page_bench.py [--db URL] [--runs 7]
    .venv/bin/python benchmarks/page_bench.py --first-load [--db URL]

Builds nothing: point it at a built database (default: DATABASE_URL). Prints the first
(cold cache) and the median of later (warm cache) times per URL; asserts nothing.

``--first-load`` serves the app on 127.0.0.1 and opens ``/``, ``/explore`` and ``/map`` in
headless Chromium (``CHROMIUM``, default /usr/bin/chromium) with an empty cache, and prints per
page the requests and the bytes transferred (encoded body sizes, as on the wire, plus headers)
until the page's charts are drawn: "before" as the app was before compression and the partial
plotly.js bundle (the browser asks for no compression and the bundle is withheld, so Dash's
dcc.Graph fetches plotly.py's full plotly.min.js as it used to), "after" as it is served now.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

URLS = [
    ("/", "?lang=ru"),
    ("/explore", "?indicator=industrial_output&area=433200000&lang=kk"),
    ("/map", "?level=district&parent=430000000&lang=en"),
    ("/map", "?level=oblast&lang=en"),
    ("/programs", "?lang=ru"),
    ("/about", "?lang=en"),
]
FIRST_LOAD = [
    ("/", "?lang=ru"),
    ("/explore", "?indicator=industrial_output&area=433200000&lang=kk"),
    ("/map", "?indicator=population&level=district&parent=430000000&lang=en"),
    ("/map", "?indicator=population&level=district&parent=all&lang=en"),
]
BUNDLE = "/assets/plotly/"


@contextmanager
def served(server: object) -> Iterator[str]:
    """``server`` (a Flask app) on a free port of 127.0.0.1; yields its base URL."""
    from werkzeug.serving import make_server

    http = make_server("127.0.0.1", 0, server, threaded=True)
    thread = threading.Thread(target=http.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{http.server_port}"
    finally:
        http.shutdown()


def first_load(base: str, path: str, before: bool) -> tuple[int, int, int]:
    """(requests, bytes transferred, bytes decoded) of one first load of ``base + path`` in a
    fresh headless Chromium context, waiting until every chart on it is drawn."""
    from playwright.sync_api import sync_playwright

    chromium = os.environ.get("CHROMIUM", "/usr/bin/chromium")
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium, headless=True, args=["--no-sandbox"])
        headers = {"Accept-Encoding": "identity"} if before else {}
        context = browser.new_context(extra_http_headers=headers)
        page = context.new_page()
        if before:
            page.route(f"**{BUNDLE}**", lambda r: r.abort())
        done: list = []
        page.on("requestfinished", lambda request: done.append(request))
        page.goto(base + path)
        page.wait_for_selector("#main >> *", timeout=60000)
        page.wait_for_load_state("networkidle")
        if page.locator(".dash-graph").count():
            page.wait_for_selector(".js-plotly-plot .main-svg", timeout=60000)
            page.wait_for_load_state("networkidle")
        wire = decoded = 0
        for request in done:
            sizes = request.sizes()
            wire += sizes["responseBodySize"] + sizes["responseHeadersSize"]
            response = request.response()
            decoded += len(response.body()) if response else 0
        browser.close()
    return len(done), wire, decoded


def print_first_loads() -> None:
    """Requests and bytes of each page's first load, before and after, as a table."""
    import logging

    import app

    logging.getLogger("werkzeug").setLevel(logging.WARNING)
    print(f"{'first load':<78} {'requests':>8} {'kB wire':>9} {'kB decoded':>10}")
    with served(app.server) as base:
        for path, search in FIRST_LOAD:
            for before in (True, False):
                n, wire, decoded = first_load(base, path + search, before)
                label = f"{'before' if before else 'after '} {path}{search}"
                print(f"{label:<78} {n:>8} {wire / 1000:>9.1f} {decoded / 1000:>10.1f}")


def main() -> None:
    p = argparse.ArgumentParser()
    p.add_argument("--db")
    p.add_argument("--runs", type=int, default=7)
    p.add_argument("--first-load", action="store_true", help="bytes of first loads in Chromium")
    args = p.parse_args()
    if args.db:
        os.environ["DATABASE_URL"] = args.db
    os.environ.setdefault("SECRET_KEY", "benchmark-only-secret")
    if args.first_load:
        print_first_loads()
        return
    import app
    from benchmarks.web_perf import page_payload
    from tests.conftest import browser_like_client  # sends the CSRF token as a browser does

    client = browser_like_client(app.server)

    def render(path: str, search: str) -> None:
        r = client.post(
            "/_dash-update-component",
            data=json.dumps(page_payload(path, search)),
            content_type="application/json",
        )
        assert r.status_code == 200

    def api() -> None:
        r = client.get("/api/v1/observations?indicator=population&area=433200000&format=json")
        assert r.status_code == 200

    jobs = [(f"page {p}{s}", lambda p=p, s=s: render(p, s)) for p, s in URLS]
    jobs.append(("api observations population/Aral json", api))
    print(f"{'what':<70} {'cold ms':>8} {'warm ms':>8}")
    for name, job in jobs:
        times = []
        for _ in range(args.runs):
            t0 = time.perf_counter()
            job()
            times.append((time.perf_counter() - t0) * 1000)
        print(f"{name:<70} {times[0]:>8.1f} {statistics.median(times[1:]):>8.1f}")


if __name__ == "__main__":
    main()
