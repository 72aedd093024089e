"""Benchmark: what keeping revisions costs a re-load, on SYNTHETIC observations.

    .venv/bin/python benchmarks/revisions_bench.py [--rows 200000] [--db URL]

Loads the synthetic observations of ``benchmarks/load_bench.py`` (labelled synthetic), then
re-loads them unchanged without and with recording changes, and once more with 1% of the
values changed. Prints the times and the rows written to ``revisions``; asserts nothing.
"""

from __future__ import annotations

import argparse
import logging
import tempfile
import time
from pathlib import Path

import pandas as pd
from load_bench import synthetic_batch  # the same labelled synthetic rows
from sqlalchemy import create_engine, text

from etl.batch import Batch
from etl.load import ensure_schema, load
from store import schema

log = logging.getLogger("revisions_bench")


def _timed(engine, batch: Batch, record: bool) -> float:  # noqa: ANN001
    t0 = time.perf_counter()
    load(engine, [batch], progress=False, record_changes=record)
    return time.perf_counter() - t0


def _revisions(engine) -> int:  # noqa: ANN001
    with engine.connect() as conn:
        return conn.execute(text("SELECT count(*) FROM revisions")).scalar() or 0


def main() -> None:
    logging.basicConfig(level=logging.INFO, format="%(message)s")
    p = argparse.ArgumentParser()
    p.add_argument("--rows", type=int, default=200_000)
    p.add_argument("--db", help="database URL (default: a temporary SQLite file)")
    args = p.parse_args()
    url = args.db or f"sqlite:///{Path(tempfile.mkdtemp()) / 'bench.db'}"
    engine = create_engine(url)
    ensure_schema(engine)
    areas = pd.read_csv(Path(__file__).resolve().parents[1] / "data" / "areas.csv", dtype=str)
    with engine.begin() as conn:
        conn.execute(
            schema.sources.insert(),
            [
                {"code": "geokz-1.0.2", "title": "x", "publisher": "x"},
                {"code": "kato-classifier", "title": "x", "publisher": "x"},
            ],
        )
    rows = areas.astype(object).where(areas.notna(), None).to_dict("records")
    load(engine, [Batch(file="areas", format="curated", areas=rows)], progress=False)
    batch = synthetic_batch(args.rows, list(areas["kato"]))
    past = batch.observations["year"] <= time.gmtime().tm_year  # future years are refused
    batch.observations = batch.observations[past].reset_index(drop=True)
    n = len(batch.observations)
    first = _timed(engine, batch, True)  # the baseline: nothing to compare with
    plain = _timed(engine, batch, False)
    recorded = _timed(engine, batch, True)
    after_identical = _revisions(engine)
    changed = batch.observations.copy()
    changed.loc[changed.index[::100], "value"] += 1.0
    batch.observations = changed
    with_changes = _timed(engine, batch, True)
    log.info("database: %s", url)
    log.info("synthetic observations: %s", f"{n:,}")
    log.info("first load (baseline, nothing recorded): %.1f s", first)
    log.info("identical re-load, changes not recorded: %.1f s", plain)
    log.info(
        "identical re-load, changes recorded: %.1f s (%+.0f%%), revisions written: %d",
        recorded,
        100 * (recorded - plain) / plain,
        after_identical,
    )
    log.info(
        "re-load with 1%% of the values changed: %.1f s, revisions written: %s",
        with_changes,
        f"{_revisions(engine) - after_identical:,}",
    )


if __name__ == "__main__":
    main()
