"""National-scale benchmark: the default data plus the SYNTHETIC national dataset, every figure
beside its floor measured in the same run, the ratio and the goal of issue 9.

    python -m bench [--scale small|national] [--indicators N] [--skip-browser]
                    [--postgres URL] [--redis URL] [--sqlite-only] [--json FILE]

The synthetic dataset (benchmarks/synthetic.py, labelled SYNTHETIC in its names, source and
notes) is written to a temporary folder and loaded, beside the default data, into databases of
the run's own (a temporary SQLite file; a new database on the PostgreSQL server), never into the
default one. Figures: the ETL load (rows/s against a bare ``executemany`` of the same rows, peak
memory, database size); the main callbacks through ``/_dash-update-component`` and the API, cold
and warm, against the store's query + ``go.Figure`` + JSON; the naive baseline (read every
observation with pandas, then filter); first loads in headless Chromium; worker memory. SQLite
with Flask-Caching's SimpleCache, then PostgreSQL with Redis (given, or throwaway servers on
127.0.0.1 stopped by pid). Prints figures; asserts nothing.
"""

from __future__ import annotations

import argparse
import contextlib
import csv
import json
import logging
import os
import signal
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

from bench import browser, data, report
from benchmarks.synthetic import write_synthetic_national
from tests import servers

log = logging.getLogger("bench")
ARAL = "433200000"
FIRST_YEAR = 1995
# --scale: areas (None = all 270), synthetic indicators, years.
TITLES = {"sqlite": "SQLite + SimpleCache", "postgres": "PostgreSQL + Redis"}
SCALES = {"small": (15, 4, 8), "national": (None, 400, 30)}


def questions(areas: int | None, years: int) -> dict[str, Any]:
    """What the server-side figures ask: one synthetic indicator, an area with 4 to compare
    (Aral district when the synthetic data covers it), the map of a middle year and the next."""
    covered = set(data.covered_areas(areas))
    with (data.ROOT / "data" / "areas.csv").open(encoding="utf-8") as fh:
        rows = [r for r in csv.DictReader(fh) if r["kato"] in covered]
    districts = [r for r in rows if r["level"] == "district"]
    area = next((r for r in districts if r["kato"] == ARAL), districts[0])
    near = sorted(districts, key=lambda r: (r["parent"] != area["parent"], r["kato"]))
    year = FIRST_YEAR + years // 2
    return {
        "indicator": "synthetic_0001",
        "area": area["kato"],
        "compare": [r["kato"] for r in near if r["kato"] != area["kato"]][:4],
        "year": year,
        "year2": year + 1,
        "lang": "en",
    }


def child(module: str, *args: str, env: dict[str, str]) -> None:
    """``python -m MODULE ARGS`` (a part of the benchmark in a process of its own)."""
    done = subprocess.run([sys.executable, "-m", module, *args], cwd=data.ROOT, env=env)
    if done.returncode != 0:
        raise SystemExit(f"python -m {module} failed with exit code {done.returncode}")


def run_backend(
    name: str,
    url: str,
    cache: dict[str, str],
    args: argparse.Namespace,
    work: Path,
    synthetic: tuple[Path, int],
    q: dict[str, Any],
) -> dict[str, Any]:
    """Every figure of one backend (database ``url`` with the ``cache`` settings)."""
    scratch = work / name
    scratch.mkdir()
    folder, rows = synthetic
    data.build_default(url, args.base_db if url.startswith("sqlite") else None)
    log.info("%s: loading %d synthetic rows with python -m etl load", name, rows)
    etl = data.measure_load(url, folder, rows, scratch)
    log.info("%s: the executemany floor", name)
    etl["floor_rows_per_s"] = data.insert_floor(url, folder, scratch)
    env = {
        **os.environ,
        **cache,
        "DATABASE_URL": url,
        "DECKS_DATABASE_URL": f"sqlite:///{scratch / 'decks.db'}",
        "CACHE_DIR": str(scratch / "cache"),
        "SECRET_KEY": os.environ.get("SECRET_KEY") or "bench-only-secret",
    }
    qfile = scratch / "questions.json"
    qfile.write_text(json.dumps(q), encoding="utf-8")
    out: dict[str, Any] = {"etl": etl}
    extra = ["--requests", str(args.requests), "--budget", str(args.budget)]
    child("bench.server", str(qfile), str(scratch / "server.json"), *extra, env=env)
    out["server"] = json.loads((scratch / "server.json").read_text(encoding="utf-8"))
    log.info("%s: the naive baseline", name)
    child("bench.naive", url, str(qfile), str(scratch / "naive.json"), env=env)
    out["naive"] = json.loads((scratch / "naive.json").read_text(encoding="utf-8"))
    if not args.skip_browser:
        reason = browser.unavailable()
        if reason:
            log.warning("%s: no browser figures: %s", name, reason)
        else:
            log.info("%s: first loads in Chromium", name)
            keep = ("DECKS_DATABASE_URL", "SECRET_KEY", *cache)
            out["browser"] = browser.measure(url, {k: env[k] for k in keep}, q)
    return out


def parser() -> argparse.ArgumentParser:
    """The command line of ``python -m bench``."""
    p = argparse.ArgumentParser(
        prog="python -m bench", description=__doc__.split("\n\n")[0].replace("\n", " ")
    )
    p.add_argument("--scale", choices=sorted(SCALES), default="national")
    p.add_argument("--indicators", type=int, help="synthetic indicators (default: the scale's)")
    p.add_argument("--skip-browser", action="store_true", help="no Chromium first loads")
    p.add_argument("--postgres", metavar="URL", help="a PostgreSQL server to run on too")
    p.add_argument("--redis", metavar="URL", help="a Redis server for the PostgreSQL run")
    p.add_argument("--sqlite-only", action="store_true", help="no PostgreSQL + Redis run")
    p.add_argument("--json", metavar="FILE", type=Path, help="write the figures here as JSON")
    p.add_argument(
        "--requests", type=int, help="requests per cold and warm series (national 50, small 5)"
    )
    p.add_argument(
        "--budget", type=float, default=60.0, help="seconds per series before it stops early"
    )
    p.add_argument("--base-db", type=Path, help="a built default SQLite database to copy")
    return p


def parse(argv: list[str] | None) -> argparse.Namespace:
    args = parser().parse_args(argv)
    if args.requests is None:
        args.requests = 50 if args.scale == "national" else 5
    return args


def main(argv: list[str] | None = None) -> int:
    args = parse(argv)
    # stopped with SIGTERM: leave through the with-blocks, which stop the throwaway servers
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(message)s", datefmt="%H:%M:%S")
    areas, indicators, years = SCALES[args.scale]
    indicators = args.indicators or indicators
    with tempfile.TemporaryDirectory(prefix="bench-") as tmp, contextlib.ExitStack() as stack:
        work = Path(tmp)
        folder = work / "synthetic"
        rows = write_synthetic_national(folder, areas=areas, indicators=indicators, years=years)
        log.info("%d SYNTHETIC observations written to %s", rows, folder)
        q = questions(areas, years)
        runs = [("sqlite", f"sqlite:///{work / 'bench.db'}", {"CACHE_TYPE": "SimpleCache"})]
        if not args.sqlite_only:
            try:
                server = args.postgres or stack.enter_context(servers.postgres())
                pg = stack.enter_context(data.own_database(server))
                redis = args.redis or stack.enter_context(servers.redis())
                runs.append(
                    ("postgres", pg, {"CACHE_TYPE": "RedisCache", "CACHE_REDIS_URL": redis})
                )
            except servers.ServerError as exc:
                log.warning("no PostgreSQL + Redis run: %s", exc)
        scope = (
            f"scale {args.scale}: {rows:,} SYNTHETIC observations ({areas or 'all'} areas x "
            f"{indicators} indicators x {years} years) beside the default data; indicator "
            f"{q['indicator']}, area {q['area']}, years {q['year']}->{q['year2']}"
        )
        everything: dict[str, Any] = {"scope": scope, "questions": q, "backends": {}}
        for name, url, cache in runs:
            figs = report.figures(run_backend(name, url, cache, args, work, (folder, rows), q))
            # each backend's table as soon as it is done, so a long run shows what it has
            if not everything["backends"]:
                print(scope)
                print("goals are issue 9's, set for the national scale; ratio = value / floor\n")
            print(report.table(TITLES[name], figs) + "\n", flush=True)
            everything["backends"][name] = report.as_json(figs)
            if args.json:
                args.json.write_text(json.dumps(everything, indent=1), encoding="utf-8")
    return 0
