"""Benchmark: server time and bytes of the Overview, Explore and the observations API, each
beside its floor measured in the same run (issue 9).

    .venv/bin/python benchmarks/web_perf.py [--db URL] [--synthetic-db URL | --indicators N]
        [-n 50]

Through the real app (Flask test client, Dash's ``/_dash-update-component``), cold (the
app's cache emptied before each request) and warm (cached), p50 and p95 over ``-n``
requests, the response bytes; the floors:

- Explore (5 areas): the store query, a ``go.Figure`` with one line per area and its JSON;
- API CSV (JSON) of one indicator for every area: the store query and pandas ``to_csv``
  (``to_json``);
- Overview: the one store query of every reading of the area (no floor in the issue).

Runs on the default data (``--db``, default: build it into a temporary folder as
benchmarks/export_bench.py does) and on the synthetic national dataset
(benchmarks/synthetic.py, labelled synthetic): ``--synthetic-db`` names a database that
already holds it, else ``--indicators N`` (0: skip) writes it and loads it with
``python -m etl load`` into a copy of the default database in the temporary folder.
Prints figures; asserts nothing.
"""

from __future__ import annotations

import argparse
import contextlib
import io
import json
import logging
import os
import shutil
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

log = logging.getLogger("web_perf")

AREA = "433200000"  # Aral district: the Overview's area and Explore's first
COMPARE = ("431000000", "433600000", "434000000", "434400000")  # Kyzylorda city, 3 districts
INDICATOR = "industrial_output"
EXPLORE_OUTPUTS = ("heading.children", "graph.figure", "summary.children", "readings.children")
EXPLORE_OUTPUTS += ("table.children", "sources.children", "url.data")


def page_payload(path: str, search: str) -> dict:
    """The request Dash Pages' router sends for a URL (the page's content)."""
    return {
        "output": ".._pages_content.children..._pages_store.data..",
        "outputs": [
            {"id": "_pages_content", "property": "children"},
            {"id": "_pages_store", "property": "data"},
        ],
        "inputs": [
            {"id": "_pages_location", "property": "pathname", "value": path},
            {"id": "_pages_location", "property": "search", "value": search},
        ],
        "changedPropIds": ["_pages_location.pathname", "_pages_location.search"],
        "state": [],
    }


def explore_payload(indicator: str, mode: str = "absolute") -> dict:
    """The Explore callback's request: ``indicator`` for Aral and the :data:`COMPARE` areas."""
    return {
        "output": ".." + "...".join(f"explore-{o}" for o in EXPLORE_OUTPUTS) + "..",
        "outputs": [
            {"id": f"explore-{o.split('.')[0]}", "property": o.split(".")[1]}
            for o in EXPLORE_OUTPUTS
        ],
        "inputs": [
            {"id": "explore-indicator", "property": "value", "value": indicator},
            {"id": "explore-compare", "property": "value", "value": list(COMPARE)},
            {"id": "explore-mode", "property": "value", "value": mode},
            {"id": "explore-source", "property": "value", "value": []},
        ],
        "state": [
            {"id": "explore-state", "property": "data", "value": {"area": AREA, "lang": "ru"}}
        ],
        "changedPropIds": ["explore-indicator.value"],
    }


def overview_open_payload(category: str) -> dict:
    """The request a click on a collapsed Overview category sends."""
    cards = {"category": category, "type": "overview-category-cards"}
    summary = {"category": category, "type": "overview-category"}
    wild = json.dumps({**cards, "category": ["MATCH"]}, separators=(",", ":"), sort_keys=True)
    return {
        "output": f"{wild}.children",
        "outputs": {"id": cards, "property": "children"},
        "inputs": [{"id": summary, "property": "n_clicks", "value": 1}],
        "state": [
            {"id": cards, "property": "children", "value": []},
            {"id": summary, "property": "id", "value": summary},
            {"id": "overview-state", "property": "data", "value": {"area": AREA, "lang": "ru"}},
        ],
        "changedPropIds": [
            json.dumps(summary, separators=(",", ":"), sort_keys=True) + ".n_clicks"
        ],
    }


def percentile(times: list[float], p: float) -> float:
    ordered = sorted(times)
    return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))]


class Runner:
    """Times requests through the app's test client, cold and warm."""

    def __init__(self, n: int) -> None:
        import app as app_module
        from tests.conftest import browser_like_client  # the CSRF token, as a browser sends it

        self.client = browser_like_client(app_module.app.server)
        self.n = n
        self.lines: list[str] = []

    def request(self, kind: str, target: Any) -> tuple[int, int]:  # noqa: ANN401
        """One request: (status, bytes)."""
        if kind == "get":
            resp = self.client.get(target)
        else:
            resp = self.client.post(
                "/_dash-update-component", data=json.dumps(target), content_type="application/json"
            )
        if resp.status_code not in (200, 204):
            raise SystemExit(f"{target}: HTTP {resp.status_code} {resp.get_data()[:300]!r}")
        return resp.status_code, len(resp.get_data())

    def timed(self, kind: str, target: Any, *, cold: bool) -> tuple[list[float], int]:  # noqa: ANN401
        from store.cache import cache

        times, size = [], 0
        if not cold:
            self.request(kind, target)  # fill the cache
        for _ in range(self.n):
            if cold:
                cache.clear()
            t0 = time.perf_counter()
            _, size = self.request(kind, target)
            times.append((time.perf_counter() - t0) * 1000)
        return times, size

    def measure(
        self,
        label: str,
        kind: str,
        target: Any,  # noqa: ANN401
        floor: Callable[[], object] | None = None,
    ) -> None:
        cold, size = self.timed(kind, target, cold=True)
        warm, _ = self.timed(kind, target, cold=False)
        floor_ms = statistics.median(timings(floor, self.n)) if floor else None
        ratio = f"{percentile(cold, 95) / floor_ms:5.2f}x" if floor_ms else "    —"
        self.emit(
            f"{label:<44} {statistics.median(cold):8.1f} {percentile(cold, 95):8.1f} "
            f"{statistics.median(warm):8.2f} {percentile(warm, 95):8.2f} {size / 1000:9.1f} "
            + (f"{floor_ms:8.1f}" if floor_ms else "       —")
            + f" {ratio}"
        )

    def emit(self, line: str) -> None:
        """Print a line of the report as soon as it is measured."""
        self.lines.append(line)
        print(line, flush=True)

    def header(self, title: str) -> None:
        self.emit("")
        self.emit(title)
        self.emit(
            f"{'what':<44} {'cold p50':>8} {'cold p95':>8} {'warm p50':>8} {'warm p95':>8} "
            f"{'kB':>9} {'floor':>8} {'cold p95/floor':>6}"
        )


def timings(fn: Callable[[], object], n: int) -> list[float]:
    out = []
    for _ in range(n):
        t0 = time.perf_counter()
        fn()
        out.append((time.perf_counter() - t0) * 1000)
    return out


def explore_floor(indicator: str) -> Callable[[], object]:
    """Query + go.Figure (one line per area) + JSON, of the same data."""
    import plotly.graph_objects as go

    from store import queries

    def run() -> str:
        df = queries.observations.uncached(indicator, (AREA, *COMPARE))
        fig = go.Figure(
            [go.Scatter(x=g["year"], y=g["value"], name=a) for a, g in df.groupby("area")]
        )
        return fig.to_json()

    return run


def csv_floor(indicator: str) -> Callable[[], object]:
    """Query + pandas ``to_csv`` of the same rows."""
    from store import queries

    katos = tuple(queries.indicator_areas.uncached(indicator)["kato"])

    def run() -> bytes:
        df = queries.observations.uncached(indicator, katos)
        return df.to_csv(index=False).encode("utf-8")

    return run


def json_floor(indicator: str) -> Callable[[], object]:
    """Query + pandas ``to_json`` (one object per row) of the same rows."""
    from store import queries

    katos = tuple(queries.indicator_areas.uncached(indicator)["kato"])

    def run() -> str:
        return queries.observations.uncached(indicator, katos).to_json(orient="records")

    return run


def overview_floor() -> Callable[[], object]:
    """The Overview's one query (every reading of the area)."""
    from store import queries

    return lambda: queries.area_observations.uncached(AREA)


def run_dataset(runner: Runner, title: str, url: str, indicator: str) -> None:
    from store import queries

    queries.use(url)
    n_ind = len(queries.area_indicators.uncached(AREA))
    runner.header(f"{title}: {url} (Aral district has {n_ind} indicators)")
    search = f"?area={AREA}&lang=ru"
    runner.measure(f"Overview /{search}", "post", page_payload("/", search), overview_floor())
    for category in ("economic", "social", "ecological"):
        runner.measure(f"Overview: open {category}", "post", overview_open_payload(category))
    compare = ",".join(COMPARE)
    search = f"?indicator={indicator}&area={AREA}&compare={compare}&lang=ru"
    runner.measure(
        "Explore page, 5 areas", "post", page_payload("/explore", search), explore_floor(indicator)
    )
    runner.measure(
        "Explore callback, 5 areas", "post", explore_payload(indicator), explore_floor(indicator)
    )
    api = f"/api/v1/observations?indicator={indicator}"
    runner.measure("API CSV, all areas", "get", api + "&format=csv", csv_floor(indicator))
    runner.measure("API JSON, all areas", "get", api + "&format=json", json_floor(indicator))


def build_synthetic(folder: Path, default_url: str, indicators: int) -> str:
    """A copy of the default database with the synthetic national dataset loaded."""
    from benchmarks.synthetic import write_synthetic_national
    from etl.cli import main as etl

    src = Path(default_url.removeprefix("sqlite:///"))
    dest = folder / "synthetic.db"
    shutil.copy(src, dest)
    rows = write_synthetic_national(folder / "synthetic", indicators=indicators)
    log.info("loading %d synthetic observations…", rows)
    url = f"sqlite:///{dest}"
    with contextlib.redirect_stdout(io.StringIO()):
        code = etl(["load", "--db", url, "--accept-warnings", str(folder / "synthetic")])
    if code != 0:
        raise SystemExit(f"etl load of the synthetic dataset failed with exit code {code}")
    return url


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--db", help="database URL of the default data (default: build it)")
    p.add_argument("--synthetic-db", help="database URL holding the synthetic dataset")
    p.add_argument("--indicators", type=int, default=100, help="synthetic indicators (0: skip)")
    p.add_argument("-n", type=int, default=50, help="requests per figure")
    p.add_argument("--no-default", action="store_true", help="only the synthetic dataset")
    args = p.parse_args()
    logging.basicConfig(level=logging.INFO, format="%(message)s")
    logging.getLogger("etl").setLevel(logging.ERROR)

    from benchmarks.export_bench import build_database

    tmp = Path(tempfile.mkdtemp(prefix="web_perf_"))
    try:
        url = args.db or build_database(tmp)
        os.environ["DATABASE_URL"] = url
        os.environ["CACHE_TYPE"] = "SimpleCache"
        os.environ.setdefault("SECRET_KEY", "benchmark-only-secret")
        synthetic = args.synthetic_db
        if synthetic is None and args.indicators > 0:
            synthetic = build_synthetic(tmp, url, args.indicators)
        runner = Runner(args.n)
        print(f"times in ms, n={args.n} requests each; floor = p50 of the same work done plainly")
        if not args.no_default:
            run_dataset(runner, "default data", url, INDICATOR)
        if synthetic:
            run_dataset(runner, "SYNTHETIC national dataset", synthetic, "synthetic_0001")
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
