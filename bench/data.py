"""The benchmark's databases: the default data plus the SYNTHETIC national dataset, and the ETL
figures (load rows/s, peak memory, size) beside the raw insert floor of the same rows."""

from __future__ import annotations

import contextlib
import logging
import os
import shutil
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

from sqlalchemy import create_engine, text

import config
from benchmarks import etl_scale
from benchmarks.synthetic import area_codes

ROOT = Path(__file__).resolve().parents[1]
GEO = Path(os.environ.get("INDICATORS_SHARED_DIR") or ROOT.parent / "shared") / "geo" / "original"
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


def insert_floor(url: str, folder: Path, scratch: Path) -> float:
    """Rows/s of a bare ``executemany`` of the same rows (benchmarks/etl_scale.py's floors):
    on SQLite into the integer-key tables the ETL writes, in a new file; on PostgreSQL into
    a table with the same text primary key in ``url``'s database, dropped after."""
    if url.startswith("sqlite"):
        path = scratch / "floor.db"
        path.unlink(missing_ok=True)
        rate = etl_scale.new_floor(path, folder)["rows_per_s"]
        path.unlink()
        return rate
    import psycopg
    from sqlalchemy.engine import make_url

    u = make_url(url)
    dsn = f"host={u.host} port={u.port or 5432} dbname={u.database} user={u.username}"
    if u.password:
        dsn += f" password={u.password}"
    table = "bench_floor_observations"

    def setup(conn) -> str:  # noqa: ANN001
        conn.execute(f"DROP TABLE IF EXISTS {table}")
        conn.execute(etl_scale.TEXT_KEY_TABLE.format(name=table))
        return f"INSERT INTO {table} VALUES ({', '.join(['%s'] * 11)})"

    with psycopg.connect(dsn) as conn:
        rate = etl_scale.floor(conn, setup, etl_scale.text_key_rows(folder))["rows_per_s"]
        conn.execute(f"DROP TABLE {table}")
        conn.commit()
    return rate


@contextlib.contextmanager
def own_database(server_url: str) -> Iterator[str]:
    """A new database on the PostgreSQL server at ``server_url``, dropped on exit.

    The benchmark's synthetic data goes there, never into the database the URL names.
    """
    from sqlalchemy.engine import make_url

    name = f"aral_bench_synthetic_{os.getpid()}"
    admin = create_engine(server_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}"'))
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    url = make_url(server_url).set(database=name).render_as_string(hide_password=False)
    try:
        yield url
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def covered_areas(areas: int | None) -> list[str]:
    """The areas the synthetic dataset covers (the first ``areas`` of data/areas.csv)."""
    return area_codes()[: areas or None]
