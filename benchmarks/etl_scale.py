"""Benchmark: `python -m etl load` of the SYNTHETIC national dataset beside its raw insert floors.

    .venv/bin/python benchmarks/etl_scale.py [--indicators 400] [--areas N] [--years 30]
                                             [--beside-default]

Writes the synthetic national dataset of :mod:`benchmarks.synthetic` (every area x indicators
x years, labelled synthetic) into a temporary folder, loads the area catalogue into a fresh
temporary SQLite database (``DATABASE_URL`` points the child processes at it, never at the
default database), then runs ``python -m etl load FOLDER`` in a child process and reads the
child's own resource usage (``os.wait4``): wall and CPU time, peak resident memory. In the
same run it measures the floors: plain ``sqlite3`` ``executemany`` of the same rows (the
rows built before the clock starts, one transaction) into the observation table of the old
text-key layout (text primary key and its three indexes) and into the new integer-key
``observation_values``, each in a fresh file. With ``--beside-default`` the synthetic rows
are loaded beside the default data (``python -m etl build --fresh --no-boundaries`` first),
so the load is not a baseline and records what it added in the revision history (whose size
is printed). Prints every figure and the ratios; asserts nothing. :func:`run` returns the figures as a dict (for ``python -m bench``).
"""

from __future__ import annotations

import argparse
import csv
import logging
import os
import sqlite3
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pandas as pd

if __package__ in (None, ""):  # run as a script: the project root on the path
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks.synthetic import ROOT, SOURCE, write_synthetic_national  # noqa: E402

log = logging.getLogger("etl_scale")
CHUNK = 50_000
CATALOGUE_FILES = ("areas.csv", "area_aliases.csv", "area_successors.csv")
# The observation table with a text primary key (the layout before integer keys, and the
# floor's table on PostgreSQL), then the old layout's three indexes.
TEXT_KEY_TABLE = """
CREATE TABLE {name} (
    indicator VARCHAR(80) NOT NULL, area VARCHAR(9) NOT NULL, year INTEGER NOT NULL,
    series TEXT NOT NULL, value FLOAT NOT NULL, status VARCHAR(12) NOT NULL,
    year_approx BOOLEAN NOT NULL, source VARCHAR(80) NOT NULL, note TEXT, excerpt TEXT,
    location TEXT, PRIMARY KEY (indicator, area, year, series, source))"""
OLD_SCHEMA = (
    TEXT_KEY_TABLE.format(name="observations")
    + """;
CREATE INDEX ix_obs_indicator_year ON observations (indicator, year);
CREATE INDEX ix_obs_area ON observations (area, indicator);
CREATE INDEX ix_obs_source ON observations (source, indicator);
"""
)


def write_catalogue(folder: Path, data: Path = ROOT / "data") -> Path:
    """A data folder holding only the area catalogue of ``data`` and the sources it cites
    (what the synthetic dataset's rows refer to); returns it."""
    (folder / "indicators").mkdir(parents=True)
    for name in CATALOGUE_FILES:
        if (data / name).exists():
            (folder / name).write_bytes((data / name).read_bytes())
    cited = set()
    for name in CATALOGUE_FILES:
        if (data / name).exists():
            with (data / name).open(encoding="utf-8") as fh:
                cited |= {r.get("source") for r in csv.DictReader(fh)}
    sources = pd.concat(
        pd.read_csv(f, dtype=str, keep_default_na=False)
        for f in sorted((data / "curated").glob("*/sources.csv"))
    )
    sources = sources[sources["code"].isin(cited)].drop_duplicates("code")
    (folder / "curated" / "catalogue").mkdir(parents=True)
    sources.to_csv(folder / "curated" / "catalogue" / "sources.csv", index=False)
    return folder


def etl(args: list[str], url: str, log_file: Path) -> dict:
    """Run ``python -m etl ARGS`` on ``url`` in a child process; its exit code, wall time,
    CPU time and peak resident memory (bytes), from the child's own rusage."""
    # bytecode cached as in any installation (a PYTHONDONTWRITEBYTECODE of the caller's shell
    # would make every child compile every module again)
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    env["DATABASE_URL"] = url
    started = time.perf_counter()
    with log_file.open("w") as err:
        proc = subprocess.Popen(
            [sys.executable, "-m", "etl", *args], cwd=ROOT, env=env, stdout=err, stderr=err
        )
        _, status, usage = os.wait4(proc.pid, 0)
    proc.returncode = os.waitstatus_to_exitcode(status)
    return {
        "code": proc.returncode,
        "wall_s": time.perf_counter() - started,
        "cpu_s": usage.ru_utime + usage.ru_stime,
        "peak_rss_bytes": usage.ru_maxrss * 1024,  # Linux: kilobytes
    }


def db_bytes(path: Path) -> int:
    """The database's size on disk (the file and any write-ahead log left)."""
    return sum(p.stat().st_size for p in (path, Path(f"{path}-wal")) if p.exists())


def table_bytes(path: Path, prefixes: tuple[str, ...]) -> int:
    """Bytes of the tables and indexes whose names start with one of ``prefixes`` (SQLite's
    ``dbstat``; 0 when this SQLite lacks it)."""
    with sqlite3.connect(path) as conn:
        try:
            pages = conn.execute("SELECT name, sum(pgsize) FROM dbstat GROUP BY name").fetchall()
        except sqlite3.OperationalError:
            return 0
    return sum(n for name, n in pages if name.startswith(prefixes))


REVISION_TABLES = ("revision", "ix_revision", "sqlite_autoindex_revision")


def _chunks(folder: Path) -> Iterator[pd.DataFrame]:
    yield from pd.read_csv(
        folder / "observations.csv.gz",
        dtype=str,
        keep_default_na=False,
        chunksize=CHUNK,
    )


def floor(conn, setup: Callable, rows: Callable) -> dict:  # noqa: ANN001
    """Rows per second of plain DB-API ``executemany`` on ``conn`` (sqlite3 or psycopg):
    ``setup(conn)`` creates the table and returns the INSERT; ``rows(conn)`` yields lists of
    tuples (built off the clock). Only the inserts and the commit are timed."""
    sql = setup(conn)
    conn.commit()
    wall = cpu = 0.0
    n = 0
    cur = conn.cursor()
    for chunk in rows(conn):
        t, c = time.perf_counter(), time.process_time()
        cur.executemany(sql, chunk)
        wall, cpu = wall + time.perf_counter() - t, cpu + time.process_time() - c
        n += len(chunk)
    t, c = time.perf_counter(), time.process_time()
    conn.commit()
    wall, cpu = wall + time.perf_counter() - t, cpu + time.process_time() - c
    return {"rows": n, "wall_s": wall, "cpu_s": cpu, "rows_per_s": n / wall}


def _sqlite_floor(path: Path, setup: Callable, rows: Callable) -> dict:
    """:func:`floor` into a fresh SQLite file, with the file's size."""
    conn = sqlite3.connect(path)
    try:
        out = floor(conn, setup, rows)
    finally:
        conn.close()
    return {**out, "bytes": db_bytes(path)}


def text_key_rows(folder: Path) -> Callable[..., Iterator[list[tuple]]]:
    """The synthetic rows of ``folder`` as tuples for the text-key table, CHUNK at a time."""

    def rows(_conn) -> Iterator[list[tuple]]:  # noqa: ANN001
        for df in _chunks(folder):
            yield list(
                zip(
                    df["indicator"],
                    df["area"],
                    df["year"].astype(int).tolist(),
                    df["series"],
                    df["value"].astype(float).tolist(),
                    df["status"],
                    [False] * len(df),
                    df["source"],
                    df["note"].replace("", None),
                    df["excerpt"].replace("", None),
                    df["location"].replace("", None),
                    strict=True,
                )
            )

    return rows


def old_floor(path: Path, folder: Path) -> dict:
    """The floor with the old text-key observation table."""

    def setup(conn: sqlite3.Connection) -> str:
        conn.executescript(OLD_SCHEMA)
        return f"INSERT INTO observations VALUES ({', '.join('?' * 11)})"

    return _sqlite_floor(path, setup, text_key_rows(folder))


def new_floor(path: Path, folder: Path) -> dict:
    """The floor with the integer-key observation_values of store/schema.py (its ids and the
    one shared note row written off the clock)."""
    from sqlalchemy import create_engine

    from etl.write_obs import COLUMNS, split_location
    from store import schema

    engine = create_engine(f"sqlite:///{path}")
    schema.metadata.create_all(engine)  # the exact tables the ETL writes
    engine.dispose()
    ids: dict[str, dict[str, int]] = {}
    notes: dict[tuple, int] = {}

    def setup(conn: sqlite3.Connection) -> str:
        conn.execute("PRAGMA foreign_keys=OFF")
        return (
            f"INSERT INTO observation_values ({', '.join(COLUMNS)}) "
            f"VALUES ({', '.join('?' * len(COLUMNS))})"
        )

    def key(conn: sqlite3.Connection, table: str, codes) -> list[int]:  # noqa: ANN001
        known = ids.setdefault(table, {})
        for code in sorted(set(codes) - known.keys()):
            known[code] = len(known) + 1
            conn.execute(f"INSERT INTO {table} (id, code) VALUES (?, ?)", (known[code], code))
        return [known[c] for c in codes]

    def rows(conn: sqlite3.Connection) -> Iterator[list[tuple]]:
        for df in _chunks(folder):
            cells = []
            for note, excerpt, loc in zip(df["note"], df["excerpt"], df["location"], strict=True):
                place, cell = split_location(loc or None)
                triple = (note or None, excerpt or None, place)
                if triple not in notes:
                    notes[triple] = len(notes) + 1
                    conn.execute(
                        "INSERT INTO observation_notes VALUES (?, ?, ?, ?)",
                        (notes[triple], *triple),
                    )
                cells.append((notes[triple], cell))
            yield list(
                zip(
                    key(conn, "indicator_ids", df["indicator"]),
                    key(conn, "area_ids", df["area"]),
                    df["year"].astype(int).tolist(),
                    df["series"],
                    key(conn, "source_ids", df["source"]),
                    df["value"].astype(float).tolist(),
                    df["status"],
                    [0] * len(df),
                    *zip(*cells, strict=True),
                    strict=True,
                )
            )

    return _sqlite_floor(path, setup, rows)


def run(
    indicators: int = 400, areas: int | None = None, years: int = 30, beside_default: bool = False
) -> dict:
    """Generate, load and measure; every figure in a dict (times in seconds, sizes in bytes).
    ``beside_default``: load into a build of the default data instead of the bare catalogue."""
    with tempfile.TemporaryDirectory(prefix="etl-scale-") as tmp:
        tmp = Path(tmp)
        folder = tmp / "synthetic"
        t = time.perf_counter()
        generated = write_synthetic_national(
            folder, indicators=indicators, areas=areas, years=years
        )
        log.info("generated %d synthetic rows in %.1f s", generated, time.perf_counter() - t)
        db = tmp / "scale.db"
        url = f"sqlite:///{db}"
        first = (
            ["build", "--fresh", "--no-boundaries"]
            if beside_default
            else ["load", str(write_catalogue(tmp / "catalogue"))]
        )
        catalogue = etl(first, url, tmp / "c.log")
        if catalogue["code"] != 0:
            raise RuntimeError((tmp / "c.log").read_text())
        loaded = etl(["load", str(folder)], url, tmp / "load.log")
        if loaded["code"] != 0:
            raise RuntimeError((tmp / "load.log").read_text())
        with sqlite3.connect(db) as conn:
            count = conn.execute(
                "SELECT count(*) FROM observations WHERE source = ?", (SOURCE,)
            ).fetchone()[0]
            revisions = conn.execute("SELECT count(*) FROM revisions").fetchone()[0]
        size = db_bytes(db)
        revisions_size = table_bytes(db, REVISION_TABLES)
        old = old_floor(tmp / "floor-old.db", folder)
        new = new_floor(tmp / "floor-new.db", folder)
    rate = generated / loaded["wall_s"]
    return {
        "indicators": indicators,
        "areas": areas,
        "years": years,
        "generated_rows": generated,
        "loaded_rows": count,
        "load_wall_s": loaded["wall_s"],
        "load_cpu_s": loaded["cpu_s"],
        "load_rows_per_s": rate,
        "load_peak_rss_bytes": loaded["peak_rss_bytes"],
        "database_bytes": size,
        "beside_default": beside_default,
        "revision_rows": revisions,
        "revision_bytes": revisions_size,
        "floor_old_rows_per_s": old["rows_per_s"],
        "floor_old_cpu_s": old["cpu_s"],
        "floor_old_database_bytes": old["bytes"],
        "floor_new_rows_per_s": new["rows_per_s"],
        "floor_new_cpu_s": new["cpu_s"],
        "floor_new_database_bytes": new["bytes"],
        "ratio_to_floor_new": rate / new["rows_per_s"],
        "ratio_to_floor_old": rate / old["rows_per_s"],
        "cpu_ratio_to_floor_new": new["cpu_s"] / loaded["cpu_s"],
    }


def report(r: dict) -> str:
    """The figures as printed lines."""
    mb = 1 << 20
    return "\n".join(
        [
            f"synthetic dataset: {r['indicators']} indicators x {r['areas'] or 'all'} areas x "
            f"{r['years']} years = {r['generated_rows']:,} rows generated",
            f"loaded rows: {r['loaded_rows']:,}",
            f"etl load: {r['load_wall_s']:.1f} s wall, {r['load_cpu_s']:.1f} s CPU, "
            f"{r['load_rows_per_s']:,.0f} rows/s",
            f"etl load peak RSS: {r['load_peak_rss_bytes'] / mb:,.0f} MB",
            f"database: {r['database_bytes']:,} bytes ({r['database_bytes'] / mb:,.1f} MB)"
            + (" (the default data included)" if r.get("beside_default") else ""),
            f"revision history: {r.get('revision_rows', 0):,} rows, "
            f"{r.get('revision_bytes', 0) / mb:,.1f} MB",
            f"floor, old text-key schema: {r['floor_old_rows_per_s']:,.0f} rows/s "
            f"({r['floor_old_cpu_s']:.1f} s CPU, {r['floor_old_database_bytes'] / mb:,.1f} MB)",
            f"floor, new integer-key schema: {r['floor_new_rows_per_s']:,.0f} rows/s "
            f"({r['floor_new_cpu_s']:.1f} s CPU, {r['floor_new_database_bytes'] / mb:,.1f} MB)",
            f"ratio load / floor (new schema): {r['ratio_to_floor_new']:.2f}",
            f"ratio load / floor (old schema): {r['ratio_to_floor_old']:.2f}",
            f"CPU ratio floor / load (new schema): {r['cpu_ratio_to_floor_new']:.2f}",
        ]
    )


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--indicators", type=int, default=400)
    p.add_argument("--areas", type=int, default=None, help="the first N areas (default: all)")
    p.add_argument("--years", type=int, default=30)
    p.add_argument(
        "--beside-default",
        action="store_true",
        help="load beside the default data (not a baseline load: revisions are recorded)",
    )
    a = p.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(message)s")
    print(report(run(a.indicators, a.areas, a.years, a.beside_default)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
