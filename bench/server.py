"""Server-side figures of one backend, in a process of its own (the app reads DATABASE_URL and
CACHE_TYPE when imported): the main callbacks through Dash's ``/_dash-update-component`` and the
API through the Flask test client, cold (cache cleared before each request) and warm, with the
floor of each (the store's query uncached + ``go.Figure`` + JSON of the same data).

    python -m bench.server QUESTIONS.json OUT.json [--requests 50] [--budget 60]

Run by ``python -m bench``; writes its figures as JSON.
"""

from __future__ import annotations

import argparse
import gzip
import json
import logging
import os
import statistics
import time
import zlib
from collections.abc import Callable
from pathlib import Path
from typing import Any

log = logging.getLogger("bench")

BROWSER_HEADERS = {"Accept-Encoding": "gzip, deflate, br", "Accept-Language": "en"}


def rss_mb() -> float:
    """Resident memory of this process in MB (VmRSS)."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def pct(values: list[float], q: int) -> float:
    """The q-th percentile (inclusive method; the value itself for one sample)."""
    if len(values) == 1:
        return values[0]
    return statistics.quantiles(values, n=100, method="inclusive")[q - 1]


def decoded(body: bytes, encoding: str | None) -> bytes:
    """The body as the browser sees it after undoing Content-Encoding."""
    if encoding == "gzip":
        return gzip.decompress(body)
    if encoding == "deflate":
        return zlib.decompress(body)
    if encoding == "br":
        import brotli  # only there when the app compresses with brotli

        return brotli.decompress(body)
    return body


# --- Dash requests built from the app's own callback map ------------------------------------


def _outputs(key: str) -> list[dict[str, str]]:
    parts = key[2:-2].split("...") if key.startswith("..") else [key]
    out = []
    for part in parts:
        cid, prop = part.rsplit(".", 1)
        out.append({"id": cid, "property": prop})
    return out


def payload(dep: dict, values: dict[str, Any], changed: list[str]) -> dict:
    """The body Dash's renderer posts for callback ``dep`` with these component values."""
    outs = _outputs(dep["output"])

    def fill(items: list[dict]) -> list[dict]:
        return [{**i, "value": values.get(f"{i['id']}.{i['property']}")} for i in items]

    return {
        "output": dep["output"],
        "outputs": outs if len(outs) > 1 else outs[0],
        "inputs": fill(dep["inputs"]),
        "state": fill(dep.get("state", [])),
        "changedPropIds": changed,
    }


def component_values(tree: Any, found: dict[str, Any] | None = None) -> dict[str, Any]:
    """{"id.prop": value} of every component with a string id in a rendered layout."""
    found = {} if found is None else found
    if isinstance(tree, list):
        for item in tree:
            component_values(item, found)
    elif isinstance(tree, dict):
        props = tree.get("props") if "type" in tree else None
        if isinstance(props, dict):
            cid = props.get("id")
            if isinstance(cid, str):
                for prop, value in props.items():
                    found[f"{cid}.{prop}"] = value
            for value in props.values():
                component_values(value, found)
        else:  # the answer's wrapping ({"response": {"_pages_content": {"children": ...}}})
            for value in tree.values():
                component_values(value, found)
    return found


class Dash:
    """Posts to ``/_dash-update-component`` as the browser does, from ``/_dash-dependencies``."""

    def __init__(self, client: Any) -> None:
        self.client = client
        deps = client.get("/_dash-dependencies").get_json()
        self.server_side = [d for d in deps if not d.get("clientside_function")]
        self.router = next(d for d in self.server_side if "_pages_content.children" in d["output"])

    def triggered_by(self, prop: str) -> list[dict]:
        """The server callbacks the renderer fires when ``prop`` ("id.prop") changes."""
        return [
            d
            for d in self.server_side
            if any(f"{i['id']}.{i['property']}" == prop for i in d["inputs"])
        ]

    def post(self, body: dict) -> Any:
        resp = self.client.post(
            "/_dash-update-component",
            data=json.dumps(body),
            content_type="application/json",
            headers=BROWSER_HEADERS,
        )
        if resp.status_code not in (200, 204):
            raise RuntimeError(f"{body['output']}: HTTP {resp.status_code}: {resp.data[:500]!r}")
        return resp

    def page_body(self, path: str, search: str) -> dict:
        values = {"_pages_location.pathname": path, "_pages_location.search": search}
        changed = ["_pages_location.pathname", "_pages_location.search"]
        return payload(self.router, values, changed)

    def page_values(self, path: str, search: str) -> dict[str, Any]:
        resp = self.post(self.page_body(path, search))
        body = decoded(resp.data, resp.headers.get("Content-Encoding"))
        return component_values(json.loads(body)["response"])


# --- timing ---------------------------------------------------------------------------------


class Series:
    """Cold and warm timings and the response sizes of one request (or a group of requests)."""

    def __init__(self, send: Callable[[], list[Any]], clear: Callable[[], None]) -> None:
        self.send, self.clear = send, clear

    def run(self, requests: int, budget: float, minimum: int = 10) -> dict[str, Any]:
        def timed() -> tuple[float, list[Any]]:
            t0 = time.perf_counter()
            resps = self.send()
            return (time.perf_counter() - t0) * 1000, resps

        cold: list[float] = []
        stop = time.monotonic() + budget
        while len(cold) < requests and (len(cold) < minimum or time.monotonic() < stop):
            self.clear()
            ms, resps = timed()
            cold.append(ms)
        timed()  # fills the cache
        warm: list[float] = []
        stop = time.monotonic() + budget
        while len(warm) < requests and (len(warm) < minimum or time.monotonic() < stop):
            ms, resps = timed()
            warm.append(ms)
        sent = sum(len(r.data) for r in resps)
        raw = sum(len(decoded(r.data, r.headers.get("Content-Encoding"))) for r in resps)
        return {
            "cold_p50": pct(cold, 50),
            "cold_p95": pct(cold, 95),
            "warm_p50": pct(warm, 50),
            "warm_p95": pct(warm, 95),
            "n_cold": len(cold),
            "n_warm": len(warm),
            "bytes": sent,
            "raw_bytes": raw,
            "encoding": ",".join(
                sorted({r.headers.get("Content-Encoding") or "none" for r in resps})
            ),
        }


def floor_ms(fn: Callable[[], Any], repeat: int = 20, budget: float = 30) -> float:
    """Median time of ``fn`` in ms (after one untimed call)."""
    fn()
    times: list[float] = []
    stop = time.monotonic() + budget
    while len(times) < repeat and (len(times) < 3 or time.monotonic() < stop):
        t0 = time.perf_counter()
        fn()
        times.append((time.perf_counter() - t0) * 1000)
    return statistics.median(times)


# --- the questions --------------------------------------------------------------------------


def searches(q: dict) -> dict[str, tuple[str, str]]:
    """The page addresses of the questions (path, query string)."""
    explore = f"?indicator={q['indicator']}&area={q['area']}&compare={','.join(q['compare'])}"
    mapped = f"?indicator={q['indicator']}&level=district&parent=all&year={q['year']}"
    return {
        "explore": ("/explore", explore + f"&lang={q['lang']}"),
        "map": ("/map", mapped + f"&lang={q['lang']}"),
        "overview": ("/", f"?area={q['area']}&lang={q['lang']}"),
    }


def floors(q: dict, repeat: int = 20) -> dict[str, float]:
    """The floor of each question: the store's query uncached, ``go.Figure`` and JSON."""
    import pandas as pd
    import plotly.graph_objects as go
    from sqlalchemy import select

    from store import queries, schema

    explore_areas = (q["area"], *q["compare"])
    katos = tuple(queries.indicator_areas.uncached(q["indicator"])["kato"])

    def explore() -> str:
        df = queries.observations.uncached(q["indicator"], explore_areas)
        traces = [go.Scatter(x=g["year"], y=g["value"], name=a) for a, g in df.groupby("area")]
        return go.Figure(traces).to_json()

    def year_values(year: int) -> Any:
        df = queries.observations_in.uncached(q["indicator"], "all", "district")
        return df[df["year"] == year]

    def map_() -> str:
        df = year_values(q["year"])
        geo = queries.boundaries.uncached("district", "all")
        features = [
            {"type": "Feature", "id": r.area, "geometry": json.loads(r.geojson)}
            for r in geo.itertuples()
        ]
        fig = go.Figure(
            go.Choroplethmap(
                geojson={"type": "FeatureCollection", "features": features},
                locations=df["area"],
                z=df["value"],
            )
        )
        return fig.to_json()

    def year_change() -> str:
        df = year_values(q["year2"])
        return json.dumps(dict(zip(df["area"], df["value"], strict=True)))

    def overview() -> str:
        o = schema.observations
        with queries.engine().connect() as conn:
            df = pd.read_sql(select(o).where(o.c.area == q["area"]), conn)
        return df.to_json(orient="records")

    def api_csv() -> str:
        return queries.observations.uncached(q["indicator"], katos).to_csv(index=False)

    def api_json() -> str:
        return queries.observations.uncached(q["indicator"], katos).to_json(orient="records")

    jobs = {
        "explore": explore,
        "explore_cb": explore,
        "map": map_,
        "map_year": year_change,
        "overview": overview,
        "api_csv": api_csv,
        "api_json": api_json,
    }
    return {name: floor_ms(fn, repeat) for name, fn in jobs.items()}


def measure(q: dict, requests: int, budget: float) -> dict[str, Any]:
    """Every server-side figure of the questions ``q`` on the app's configured backend."""
    import app as app_module
    from store.cache import cache

    if os.environ.get("CACHE_TYPE") == "RedisCache":  # clear only this run's keys
        cache.cache.key_prefix = f"aral-bench-{os.getpid()}:"
    client = app_module.app.server.test_client()
    dash = Dash(client)
    clear = cache.clear
    pages = searches(q)
    results: dict[str, Any] = {}

    def page(name: str) -> Callable[[], list[Any]]:
        body = dash.page_body(*pages[name])
        return lambda: [dash.post(body)]

    # Map year change: the server callbacks the slider fires, on the page as the map rendered it.
    values = dash.page_values(*pages["map"])
    values["map-year.value"] = q["year2"]
    fired = dash.triggered_by("map-year.value")
    year_bodies = [payload(d, values, ["map-year.value"]) for d in fired]

    def year_change() -> list[Any]:
        return [dash.post(b) for b in year_bodies]

    # The Explore callback: its controls as the page rendered them, the indicator changed.
    values = dash.page_values(*pages["explore"])
    explore_bodies = [
        payload(d, values, ["explore-indicator.value"])
        for d in dash.triggered_by("explore-indicator.value")
        if "explore-graph.figure" in d["output"]
    ]

    def explore_callback() -> list[Any]:
        return [dash.post(b) for b in explore_bodies]

    def api(fmt: str) -> Callable[[], list[Any]]:
        url = f"/api/v1/observations?indicator={q['indicator']}&format={fmt}"

        def get() -> list[Any]:
            resp = client.get(url, headers=BROWSER_HEADERS)
            if resp.status_code != 200:
                raise RuntimeError(f"{url}: HTTP {resp.status_code}")
            return [resp]

        return get

    jobs = {
        "explore": page("explore"),
        "explore_cb": explore_callback,
        "map": page("map"),
        "map_year": year_change,
        "overview": page("overview"),
        "api_csv": api("csv"),
        "api_json": api("json"),
    }
    for fn in jobs.values():  # first requests of the process (imports, connections)
        fn()
    for name, fn in jobs.items():
        log.info("server: %s", name)
        results[name] = Series(fn, clear).run(requests, budget)
    results["map_year"]["callbacks"] = [d["output"] for d in fired]
    results["app_rss_mb"] = rss_mb()
    log.info("server: floors")
    for name, ms in floors(q, max(3, min(20, requests))).items():
        results[name]["floor_ms"] = ms
    return results


def main(argv: list[str] | None = None) -> None:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("questions", type=Path)
    p.add_argument("out", type=Path)
    p.add_argument("--requests", type=int, default=50)
    p.add_argument("--budget", type=float, default=60.0)
    args = p.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(message)s")
    for noisy in ("etl", "store", "pages", "components", "api"):
        logging.getLogger(noisy).setLevel(logging.WARNING)
    q = json.loads(args.questions.read_text(encoding="utf-8"))
    results = measure(q, args.requests, args.budget)
    args.out.write_text(json.dumps(results, indent=1), encoding="utf-8")


if __name__ == "__main__":
    main()
