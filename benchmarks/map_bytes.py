"""Response bytes of the whole-country district map (page and figure callback), and of a year
change on the map against its floor; prints figures, asserts nothing.

DATABASE_URL=sqlite:///data/indicators.db .venv/bin/python benchmarks/map_bytes.py [--runs 20]

A year change goes through Dash's real ``/_dash-update-component`` (the Map page's ``on_view``
callback) with the ``map-drawn`` state the page holds; it prints the response's bytes as sent
(raw, and as the server compresses them for a browser: br, and gzip), how much of it is the
map's figure and how much the values of the table and map (the ``map-rows`` store), and the
server time (median with the cache cleared before each request, and warm) beside the floor:
one query of the values (uncached) plus the JSON of those values. The page render's server
time is the median of up to five renders with the cache cleared.
"""

from __future__ import annotations

import argparse
import gzip
import json
import logging
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

log = logging.getLogger("map_bytes")

VIEWS = (
    "?level=district&parent=430000000&indicator=employed&year=2023&lang=en",
    "?level=district&parent=all&indicator=employed&year=2023&lang=en",
    "?level=oblast&indicator=employed&year=2023&lang=en",
)


def page_bytes(client: object, runs: int) -> None:
    """The Map page's content (with the figure) and its map-data.json, per view."""
    for search in VIEWS:
        payload = {
            "output": ".._pages_content.children..._pages_store.data..",
            "outputs": [
                {"id": "_pages_content", "property": "children"},
                {"id": "_pages_store", "property": "data"},
            ],
            "inputs": [
                {"id": "_pages_location", "property": "pathname", "value": "/map"},
                {"id": "_pages_location", "property": "search", "value": search},
            ],
            "changedPropIds": ["_pages_location.pathname", "_pages_location.search"],
            "state": [],
        }

        def render(body: str = json.dumps(payload)) -> object:
            return client.post(
                "/_dash-update-component", data=body, content_type="application/json"
            )

        cold = statistics.median(
            timed(render, clear=client.application) for _ in range(min(runs, 5))
        )
        page = render()
        data = client.get("/download/map-data.json" + search)
        log.info(
            "%s: page content with the figure %d bytes (gzip %d), cold render median %.0f ms; "
            "map-data.json %d bytes",
            search,
            len(page.data),
            len(gzip.compress(page.data)),
            cold,
            len(data.data),
        )


def year_change_payload(q: object, year: int, drawn: dict) -> dict:
    """The request Dash's renderer sends when the Map page's year slider moves to ``year``."""
    from pages import map as map_page

    outputs = [(o.component_id, o.component_property) for o in map_page.VIEW_OUTPUTS]
    values = {
        "map-year": year,
        "map-indicator": q.indicator,
        "map-level": q.level,
        "map-parent": q.parent,
        "map-normalize": q.normalize or "none",
        "map-scale": q.scale,
        "map-since": q.since,
    }
    return {
        "output": ".." + "...".join(f"{i}.{p}" for i, p in outputs) + "..",
        "outputs": [{"id": i, "property": p} for i, p in outputs],
        "inputs": [{"id": k, "property": "value", "value": v} for k, v in values.items()],
        "changedPropIds": ["map-year.value"],
        "state": [
            {"id": "map-state", "property": "data", "value": {"lang": q.lang, "area": q.area}},
            {"id": "map-drawn", "property": "data", "value": drawn},
        ],
    }


def timed(fn: object, clear: object = None) -> float:
    """Milliseconds of ``fn()``; with ``clear`` (the Flask app), its cache cleared first."""
    if clear is not None:
        from store.cache import cache

        with clear.app_context():
            cache.clear()
    t0 = time.perf_counter()
    fn()
    return (time.perf_counter() - t0) * 1000


def year_changes(client: object, runs: int) -> None:
    """Bytes and server time of a year change (and of the same year again) per view."""
    from pages import map as map_page
    from store import queries
    from views import charts as views

    for search in VIEWS:
        params = dict(p.split("=") for p in search[1:].split("&"))
        q, _ = views.lenient_map_query(params)
        years = [y for y in q.years if y < q.year]  # the year before: the same boundaries
        if not years:
            log.info("%s: one year only, no year change to measure", search)
            continue
        drawn = map_page.drawn_state(q)
        payload = year_change_payload(q, years[-1], drawn)
        body = json.dumps(payload)

        def post(encoding: str, body: str = body) -> object:
            return client.post(
                "/_dash-update-component",
                data=body,
                content_type="application/json",
                headers={"Accept-Encoding": encoding},
            )

        warm = [timed(lambda: post("")) for _ in range(runs)]
        cold = [timed(lambda: post(""), clear=client.application) for _ in range(runs)]
        raw = post("").get_data()
        answer = json.loads(raw)["response"]
        figure = len(json.dumps(answer["map-graph"]["figure"])) if "map-graph" in answer else 0
        rows = answer.get("map-rows", {}).get("data")
        rows_bytes = len(json.dumps(rows, ensure_ascii=False).encode()) if rows else 0
        br, gz = len(post("br").get_data()), len(post("gzip").get_data())

        def floor_once(q: object = q) -> None:
            values = queries.observations_in.uncached(q.indicator, q.scope)
            values.to_json(orient="records")

        floor = statistics.median(timed(floor_once) for _ in range(runs))
        log.info(
            "%s year %s -> %s: response %d bytes (br %d, gzip %d), of it the map's figure %d "
            "bytes, the table's and map's values (map-rows) %d bytes; server cold (cache "
            "cleared) median %.1f ms, warm median %.1f ms; floor (one query + JSON of the "
            "values) median %.1f ms",
            search,
            q.year,
            years[-1],
            len(raw),
            br,
            gz,
            figure,
            rows_bytes,
            statistics.median(cold),
            statistics.median(warm),
            floor,
        )
        same = year_change_payload(q, q.year, drawn)
        r = post("", json.dumps(same))
        log.info(
            "%s the same year %s again: status %d, %d bytes",
            search,
            q.year,
            r.status_code,
            len(r.get_data()),
        )


def main() -> None:
    logging.basicConfig(level=logging.INFO, format="%(message)s")
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=20)
    args = parser.parse_args()
    os.environ.setdefault("CACHE_TYPE", "SimpleCache")
    import app as app_module

    client = app_module.app.server.test_client()
    page_bytes(client, args.runs)
    year_changes(client, args.runs)


if __name__ == "__main__":
    main()
