"""Benchmark: peak memory and time of loading a large curated file (SYNTHETIC observations).

    .venv/bin/python benchmarks/stream_bench.py [--mb 210]

Writes a curated dataset of about ``--mb`` megabytes of synthetic observations (source
``synthetic-stream-benchmark``, labelled as synthetic in its title and every row's note) into
a temporary folder, builds the small fixture database, and runs ``python -m etl load`` on it
in a child process. Prints the file size, rows, wall time, the child's peak resident memory
and how many progress lines it logged; asserts nothing.
"""

from __future__ import annotations

import argparse
import logging
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
MINI = ROOT / "tests" / "fixtures" / "curated_min"
log = logging.getLogger("stream_bench")


def write_dataset(folder: Path, megabytes: int) -> int:
    """A synthetic curated dataset of about ``megabytes`` MB; returns its row count."""
    folder.mkdir(parents=True)
    (folder / "sources.csv").write_text(
        "code,title,publisher,address,license,retrieved,tier,excerpt,note\n"
        "synthetic-stream-benchmark,SYNTHETIC benchmark figures (generated),"
        "benchmarks/stream_bench.py,,,,S,,Synthetic: not data\n",
        encoding="utf-8",
    )
    rows = 0
    with (folder / "observations.csv").open("w", encoding="utf-8") as fh:
        fh.write(
            "indicator,area,year,series,value,status,year_approx,source,note,excerpt,location\n"
        )
        while fh.tell() < megabytes << 20:
            fh.write(
                f"industrial_output,433200000,2010,synthetic={rows},{rows % 997}.5,actual,,"
                f"synthetic-stream-benchmark,SYNTHETIC figure for a benchmark,,row {rows}\n"
            )
            rows += 1
    return rows


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--mb", type=int, default=210, help="size of the synthetic file in MB")
    args = p.parse_args()
    logging.basicConfig(level=logging.INFO, format="%(message)s")
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "synthetic"
        rows = write_dataset(folder, args.mb)
        url = f"sqlite:///{Path(tmp) / 'bench.db'}"
        etl = [sys.executable, "-m", "etl"]
        subprocess.run(
            [*etl, "build", "--no-boundaries", "--db", url, "--data", str(MINI)],
            cwd=ROOT,
            check=True,
            capture_output=True,
        )
        start = time.perf_counter()
        done = subprocess.run(
            [*etl, "load", "--db", url, str(folder)], cwd=ROOT, capture_output=True, text=True
        )
        wall = time.perf_counter() - start
        peak_mb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
        size_mb = (folder / "observations.csv").stat().st_size / (1 << 20)
        lines = sum("rows checked" in x or "rows written" in x for x in done.stderr.splitlines())
        log.info("file: %.0f MB, %d synthetic rows; exit code %d", size_mb, rows, done.returncode)
        log.info("wall time: %.1f s; peak memory of the load: %.0f MB", wall, peak_mb)
        log.info("progress lines logged: %d", lines)


if __name__ == "__main__":
    main()
