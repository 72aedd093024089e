"""Benchmark: server time to render each page and an API call (Flask test client).

    .venv/bin/python benchmarks/page_bench.py [--db URL] [--runs 7]

Builds nothing: point it at a built database (default: DATABASE_URL). Prints the first
(cold cache) and the median of later (warm cache) times per URL; asserts nothing.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import time
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


def main() -> None:
    p = argparse.ArgumentParser()
    p.add_argument("--db")
    p.add_argument("--runs", type=int, default=7)
    args = p.parse_args()
    if args.db:
        os.environ["DATABASE_URL"] = args.db
    os.environ.setdefault("SECRET_KEY", "benchmark-only-secret")
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
