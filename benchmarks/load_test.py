"""Load test: many concurrent clients against gunicorn on 127.0.0.1, mixed traffic.

    .venv/bin/python benchmarks/load_test.py [--clients 50] [--duration 60] [--workers 4]
                                             [--db URL] [--url http://127.0.0.1:PORT]

Starts ``gunicorn -w WORKERS app:server`` on a free port of 127.0.0.1 (or uses ``--url``,
which must be a loopback address) with a fresh deck database and cache in a temporary
folder, so the workers' first requests also race to create the deck database. Then
CLIENTS threads send requests for DURATION seconds, each drawn at random: page loads
(the HTML and the page router callback), Explore and Map callbacks, REST API calls,
downloads (CSV, a chart image, the zip), embeds, deck reads and deck PDF exports.

Prints, per kind of request and overall: requests, errors (5xx other than a 503 with
Retry-After, 4xx, connection failures), refusals (503 with Retry-After: the PDF or image
pool was full), p50 and p95 in milliseconds. Asserts nothing; the exit code is 1 when any
request failed. Every request goes to the loopback address and the loop stops by itself.
"""

from __future__ import annotations

import argparse
import ipaddress
import json
import logging
import os
import random
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
log = logging.getLogger("load_test")

ARAL, KYZYLORDA = "433200000", "430000000"
INDICATORS = ["industrial_output", "population", "air_emissions_stationary", "employed"]
LANGS = ["kk", "ru", "en"]


def _router(path: str, search: str) -> dict:
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


def _explore_update(indicator: str, lang: str) -> dict:
    ids = ["heading", "intro", "graph", "summary", "readings", "table", "sources", "url"]
    props = ["children"] * 2 + ["figure"] + ["children"] * 4 + ["data"]
    return {
        "output": "..explore-"
        + "...explore-".join(f"{i}.{p}" for i, p in zip(ids, props, strict=True))
        + "..",
        "outputs": [{"id": f"explore-{i}", "property": p} for i, p in zip(ids, props, strict=True)],
        "inputs": [
            {"id": "explore-indicator", "property": "value", "value": indicator},
            {"id": "explore-compare", "property": "value", "value": [KYZYLORDA]},
            {"id": "explore-mode", "property": "value", "value": "absolute"},
            {"id": "explore-source", "property": "value", "value": []},
        ],
        "state": [
            {"id": "explore-state", "property": "data", "value": {"area": ARAL, "lang": lang}}
        ],
        "changedPropIds": ["explore-indicator.value"],
    }


@dataclass(frozen=True)
class Request:
    kind: str
    method: str
    path: str
    body: dict | None = None


def _pick(rng: random.Random) -> Request:
    """One request of the mix (weights: pages 30, callbacks 30, API 25, exports 15)."""
    ind, lang = rng.choice(INDICATORS), rng.choice(LANGS)
    page = rng.choice(
        [
            ("/", f"?lang={lang}"),
            ("/explore", f"?indicator={ind}&area={ARAL}&lang={lang}"),
            ("/map", f"?indicator={ind}&level=district&parent={KYZYLORDA}&lang={lang}"),
            ("/map", f"?indicator={ind}&level=oblast&lang={lang}"),
            ("/programs", f"?lang={lang}"),
            ("/about", f"?lang={lang}"),
            ("/decks", f"?lang={lang}"),
        ]
    )
    choices: list[tuple[int, Callable[[], Request]]] = [
        (12, lambda: Request("page html", "GET", page[0] + page[1])),
        (18, lambda: Request("page router", "POST", "/_dash-update-component", _router(*page))),
        (
            18,
            lambda: Request(
                "explore callback", "POST", "/_dash-update-component", _explore_update(ind, lang)
            ),
        ),
        (
            12,
            lambda: Request(
                "api", "GET", f"/api/v1/observations?indicator={ind}&area={ARAL}&source=all"
            ),
        ),
        (5, lambda: Request("api", "GET", f"/api/v1/areas?parent={KYZYLORDA}")),
        (4, lambda: Request("api", "GET", "/api/v1/indicators")),
        (4, lambda: Request("api", "GET", "/present/api/decks")),
        (
            5,
            lambda: Request(
                "download", "GET", f"/download/data.csv?indicator={ind}&area={ARAL}&lang={lang}"
            ),
        ),
        (
            3,
            lambda: Request(
                "image export",
                "GET",
                f"/download/chart.svg?indicator={ind}&area={ARAL}&lang={lang}",
            ),
        ),
        (1, lambda: Request("download", "GET", "/download/all.zip")),
        (
            3,
            lambda: Request("embed", "GET", f"/embed/explore?indicator={ind}&area={ARAL}"),
        ),
        (
            2,
            lambda: Request(
                "pdf export", "GET", f"/present/export.pdf?deck=aral-default&lang={lang}"
            ),
        ),
        (2, lambda: Request("deck html", "GET", f"/present?deck=aral-default&lang={lang}")),
    ]
    weights = [w for w, _ in choices]
    return rng.choices([make for _, make in choices], weights=weights)[0]()


@dataclass
class Tally:
    times: list[float] = field(default_factory=list)
    errors: int = 0
    refused: int = 0
    statuses: dict[int, int] = field(default_factory=lambda: defaultdict(int))
    examples: list[str] = field(default_factory=list)


def _send(base: str, req: Request, timeout: float) -> tuple[int, dict[str, str]]:
    data = json.dumps(req.body).encode() if req.body is not None else None
    r = urllib.request.Request(base + req.path, data=data, method=req.method)
    if data is not None:
        r.add_header("Content-Type", "application/json")
    try:
        with urllib.request.urlopen(r, timeout=timeout) as resp:
            resp.read()
            return resp.status, dict(resp.headers)
    except urllib.error.HTTPError as exc:
        exc.read()
        return exc.code, dict(exc.headers)


def warm_up(base: str) -> None:
    """Each page, callback and API once, so the figures are of a warm server."""
    rng = random.Random(0)
    seen: set[str] = set()
    for _ in range(200):
        req = _pick(rng)
        if req.kind in seen or req.kind == "pdf export":
            continue
        seen.add(req.kind)
        try:
            _send(base, req, timeout=120)
        except OSError as exc:
            log.warning("warm-up: %s %s: %s", req.method, req.path, exc)


def run(base: str, clients: int, duration: float, seed: int = 1) -> dict[str, Tally]:
    """CLIENTS threads sending the mix to ``base`` for ``duration`` seconds."""
    tallies: dict[str, Tally] = defaultdict(Tally)
    lock = threading.Lock()
    stop = time.monotonic() + duration

    def client(n: int) -> None:
        rng = random.Random(seed * 1000 + n)
        while time.monotonic() < stop:
            req = _pick(rng)
            started = time.perf_counter()
            try:
                status, headers = _send(base, req, timeout=120)
                problem = None
                if status == 503 and "Retry-After" in headers:
                    problem = "refused"
                elif status >= 400:
                    problem = f"HTTP {status}"
            except OSError as exc:
                status, problem = 0, f"{type(exc).__name__}: {exc}"
            elapsed = (time.perf_counter() - started) * 1000
            with lock:
                t = tallies[req.kind]
                t.statuses[status] += 1
                if problem == "refused":
                    t.refused += 1
                    continue
                t.times.append(elapsed)
                if problem:
                    t.errors += 1
                    if len(t.examples) < 3:
                        t.examples.append(f"{req.method} {req.path}: {problem}")

    threads = [threading.Thread(target=client, args=(n,), daemon=True) for n in range(clients)]
    for th in threads:
        th.start()
    for th in threads:
        th.join(duration + 180)
    return dict(tallies)


def _pct(values: list[float], q: float) -> float:
    if not values:
        return float("nan")
    if len(values) == 1:
        return values[0]
    return statistics.quantiles(values, n=100, method="inclusive")[int(q) - 1]


def report(tallies: dict[str, Tally], duration: float) -> str:
    """The figures as a table (one line a kind of request, then all)."""
    rows = [
        f"{'kind':<18} {'requests':>8} {'errors':>6} {'refused':>7} {'p50 ms':>8} {'p95 ms':>8}"
    ]
    every = Tally()
    for kind in sorted(tallies):
        t = tallies[kind]
        n = len(t.times) + t.refused
        rows.append(
            f"{kind:<18} {n:>8} {t.errors:>6} {t.refused:>7} "
            f"{_pct(t.times, 50):>8.0f} {_pct(t.times, 95):>8.0f}"
        )
        every.times += t.times
        every.errors += t.errors
        every.refused += t.refused
    n = len(every.times) + every.refused
    rows.append(
        f"{'all':<18} {n:>8} {every.errors:>6} {every.refused:>7} "
        f"{_pct(every.times, 50):>8.0f} {_pct(every.times, 95):>8.0f}"
    )
    rows.append(f"throughput: {n / duration:.1f} requests/s over {duration:.0f} s")
    for kind, t in sorted(tallies.items()):
        for ex in t.examples:
            rows.append(f"error ({kind}): {ex}")
    return "\n".join(rows)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _wait_up(base: str, proc: subprocess.Popen, timeout: float = 180) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"gunicorn exited with {proc.returncode}")
        try:
            with urllib.request.urlopen(base + "/api/v1/", timeout=5):
                return
        except (urllib.error.URLError, OSError):
            time.sleep(0.5)
    raise RuntimeError(f"gunicorn did not answer at {base} within {timeout} s")


def start_gunicorn(workers: int, db: str | None, folder: Path) -> tuple[subprocess.Popen, str]:
    """gunicorn with ``workers`` sync workers on a free loopback port; (process, base URL)."""
    port = _free_port()
    env = {
        **os.environ,
        "DECKS_DATABASE_URL": f"sqlite:///{folder / 'decks.db'}",
        "CACHE_DIR": str(folder / "cache"),
    }
    if db:
        env["DATABASE_URL"] = db
    cmd = [
        sys.executable,
        "-m",
        "gunicorn",
        "-w",
        str(workers),
        "-b",
        f"127.0.0.1:{port}",
        "--timeout",
        "120",
        "--log-level",
        "warning",
        "app:server",
    ]
    proc = subprocess.Popen(cmd, cwd=ROOT, env=env)
    base = f"http://127.0.0.1:{port}"
    try:
        _wait_up(base, proc)
    except Exception:
        proc.terminate()
        proc.wait(30)
        raise
    return proc, base


def _loopback(url: str) -> bool:
    host = urllib.parse.urlsplit(url).hostname or ""
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--clients", type=int, default=50)
    p.add_argument("--duration", type=float, default=60.0, help="seconds")
    p.add_argument("--workers", type=int, default=4, help="gunicorn workers")
    p.add_argument("--db", help="indicator database URL (default: DATABASE_URL)")
    p.add_argument("--url", help="a server already running on this machine (loopback only)")
    p.add_argument("--seed", type=int, default=1)
    args = p.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(message)s")
    if args.url and not _loopback(args.url):
        p.error("--url must be a loopback address (127.0.0.0/8, ::1 or localhost)")
    with tempfile.TemporaryDirectory(prefix="load-test-") as tmp:
        proc = None
        base = args.url.rstrip("/") if args.url else None
        if base is None:
            proc, base = start_gunicorn(args.workers, args.db, Path(tmp))
        try:
            log.info(
                "load test: %d clients for %.0f s against %s%s",
                args.clients,
                args.duration,
                base,
                f" (gunicorn, {args.workers} workers)" if proc else "",
            )
            warm_up(base)
            tallies = run(base, args.clients, args.duration, args.seed)
        finally:
            if proc is not None:
                proc.terminate()
                proc.wait(60)
    log.info("%s", report(tallies, args.duration))
    return 1 if any(t.errors for t in tallies.values()) else 0


if __name__ == "__main__":
    sys.exit(main())
