"""The benchmark's databases: the default data plus the SYNTHETIC national dataset, and the ETL
figures (load rows/s, peak memory, size) beside the raw insert floor of the same rows."""

from __future__ import annotations

import csv
import gzip
import logging
import os
import shutil
import sqlite3
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

from sqlalchemy import create_engine, text

import config
from benchmarks.synthetic import area_codes

ROOT = Path(__file__).resolve().parents[1]
GEO = Path(os.environ.get("INDICATORS_SHARED_DIR") or ROOT.parent / "shared") / "geo" / "original"
CHUNK = 50_000
KEY = ("indicator", "area", "year", "series", "source")
log = logging.getLogger("bench")


def refuse_default(url: str) -> None:
    """Stop when ``url`` is the default database (or DATABASE_URL's): synthetic data never
    goes there."""
    defaults = {config.database_url(None), f"sqlite:///{ROOT / 'data' / 'indicators.db'}"}
    path = url.removeprefix("sqlite:///")
    if url in defaults or (
        url.startswith("sqlite:///") and Path(path).resolve() == ROOT / "data" / "indicators.db"
    ):
        raise SystemExit(f"refusing to write synthetic data into the default database {url}")


def etl(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess:
    """``python -m etl ARGS`` in a child process; stops the run with its output when it fails."""
    done = subprocess.run(
        [sys.executable, "-m", "etl", *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        env=env,
    )
    if done.returncode != 0:
        raise SystemExit(
            f"python -m etl {' '.join(args)} failed ({done.returncode}):\n{done.stderr[-3000:]}"
        )
    return done


def build_default(url: str, copy_of: Path | None = None) -> None:
    """The default data in ``url``: a copy of a built SQLite file, else ``python -m etl build``
    (with the boundaries of ../shared/geo/original when present)."""
    refuse_default(url)
    if copy_of is not None:
        dest = Path(url.removeprefix("sqlite:///"))
        if not url.startswith("sqlite:///"):
            raise SystemExit("--base-db can only be copied into a SQLite database")
        shutil.copyfile(copy_of, dest)
        return
    geo = ["--boundaries", str(GEO)] if GEO.is_dir() else ["--no-boundaries"]
    log.info("building the default data into %s", url)
    etl("build", "--fresh", "--db", url, *geo)


def database_mb(url: str) -> float:
    """Size of the database in MB (the SQLite file, or PostgreSQL's pg_database_size)."""
    if url.startswith("sqlite:///"):
        path = Path(url.removeprefix("sqlite:///"))
        extra = [Path(f"{path}-wal")]
        return (path.stat().st_size + sum(p.stat().st_size for p in extra if p.exists())) / 1e6
    engine = create_engine(url)
    with engine.connect() as conn:
        size = conn.execute(text("SELECT pg_database_size(current_database())")).scalar()
    engine.dispose()
    return size / 1e6


def measure_load(url: str, folder: Path, rows: int, scratch: Path) -> dict[str, float]:
    """``python -m etl load FOLDER`` into ``url`` as a child process: wall time, rows/s, the
    child's peak resident memory (its own rusage, from ``os.wait4``) and the database size."""
    refuse_default(url)
    before = database_mb(url)
    cmd = [sys.executable, "-m", "etl", "load", "--db", url, str(folder)]
    logfile = scratch / "etl-load.log"
    with logfile.open("wb") as out:
        started = time.perf_counter()
        proc = subprocess.Popen(cmd, cwd=ROOT, stdout=out, stderr=subprocess.STDOUT)
        _, status, usage = os.wait4(proc.pid, 0)  # this child alone, with its rusage
        wall = time.perf_counter() - started
    proc.returncode = os.waitstatus_to_exitcode(status)
    if proc.returncode != 0:
        tail = logfile.read_text(encoding="utf-8", errors="replace")[-3000:]
        raise SystemExit(f"etl load failed ({proc.returncode}):\n{tail}")
    return {
        "rows": rows,
        "seconds": wall,
        "rows_per_s": rows / wall,
        "peak_mb": usage.ru_maxrss / 1024,
        "db_mb": database_mb(url),
        "db_mb_before": before,
    }


def _rows(folder: Path) -> Iterator[list[tuple]]:
    """The synthetic observations as typed tuples, CHUNK at a time."""
    with gzip.open(folder / "observations.csv.gz", "rt", encoding="utf-8") as fh:
        chunk: list[tuple] = []
        for r in csv.DictReader(fh):
            chunk.append(
                (
                    r["indicator"],
                    r["area"],
                    int(r["year"]),
                    r["series"],
                    float(r["value"]),
                    r["status"],
                    bool(r["year_approx"]),
                    r["source"],
                    r["note"],
                    r["excerpt"] or None,
                    r["location"] or None,
                )
            )
            if len(chunk) == CHUNK:
                yield chunk
                chunk = []
        if chunk:
            yield chunk


FLOOR_TABLE = """CREATE TABLE {name} (indicator TEXT NOT NULL, area TEXT NOT NULL,
 year INTEGER NOT NULL, series TEXT NOT NULL, value DOUBLE PRECISION, status TEXT,
 year_approx BOOLEAN, source TEXT NOT NULL, note TEXT, excerpt TEXT, location TEXT,
 PRIMARY KEY (indicator, area, year, series, source))"""


def insert_floor(url: str, folder: Path, scratch: Path) -> float:
    """Rows/s of a bare ``executemany`` of the same rows into a table with the same text
    primary key (SQLite: a new file with sqlite3; PostgreSQL: psycopg in ``url``'s database).
    Only the inserts and the commit are timed, not reading the CSV."""
    spent = 0.0
    n = 0
    if url.startswith("sqlite"):
        path = scratch / "floor.db"
        path.unlink(missing_ok=True)
        conn = sqlite3.connect(path)
        conn.execute(FLOOR_TABLE.format(name="floor_observations"))
        sql = "INSERT INTO floor_observations VALUES (?,?,?,?,?,?,?,?,?,?,?)"
        for chunk in _rows(folder):
            t0 = time.perf_counter()
            conn.executemany(sql, chunk)
            spent += time.perf_counter() - t0
            n += len(chunk)
        t0 = time.perf_counter()
        conn.commit()
        spent += time.perf_counter() - t0
        conn.close()
        path.unlink()
        return n / spent
    import psycopg
    from sqlalchemy.engine import make_url

    u = make_url(url)
    dsn = f"host={u.host} port={u.port or 5432} dbname={u.database} user={u.username}"
    if u.password:
        dsn += f" password={u.password}"
    with psycopg.connect(dsn) as conn:
        conn.execute("DROP TABLE IF EXISTS bench_floor_observations")
        conn.execute(FLOOR_TABLE.format(name="bench_floor_observations"))
        conn.commit()
        sql = "INSERT INTO bench_floor_observations VALUES (%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s)"
        with conn.cursor() as cur:
            for chunk in _rows(folder):
                t0 = time.perf_counter()
                cur.executemany(sql, chunk)
                spent += time.perf_counter() - t0
                n += len(chunk)
        t0 = time.perf_counter()
        conn.commit()
        spent += time.perf_counter() - t0
        conn.execute("DROP TABLE bench_floor_observations")
        conn.commit()
    return n / spent


def covered_areas(areas: int | None) -> list[str]:
    """The areas the synthetic dataset covers (the first ``areas`` of data/areas.csv)."""
    return area_codes()[: areas or None]
