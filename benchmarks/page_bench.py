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
import time

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
    import app

    client = app.server.test_client()

    def render(path: str, search: str) -> None:
        payload = {
            "output": ".._pages_content.children..._pages_store.data..",
            "outputs": [
                {"id": "_pages_content", "property": "children"},
                {"id": "_pages_store", "property": "data"},
            ],
            "inputs": [
                {"id": "_pages_location", "property": "pathname", "value": path},
                {"id": "_pages_location", "property": "search", "value": search},
            ],
            "changedPropIds": ["_pages_location.pathname"],
            "state": [],
        }
        r = client.post(
            "/_dash-update-component", data=json.dumps(payload), content_type="application/json"
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
