"""Turn a source file into a curated dataset folder under data/curated/.

    python -m etl curate PATH --format FMT --out data/curated/<dataset> [--indicators-file F]

The embedded default dataset is made this way from the real files under ../shared,
so that a fresh clone can build the database without them. The figures are restated,
each row with its source code and its location in the file.
"""

from __future__ import annotations

import gzip
import re
from pathlib import Path

import pandas as pd

from etl.adapters.curated import COLUMNS
from etl.batch import Batch

# The curated files' columns, as the curated adapter reads them (translations aside).
SOURCE_COLUMNS = COLUMNS["sources.csv"]
INDICATOR_COLUMNS = COLUMNS["indicators"]
CURATED_OBSERVATION_COLUMNS = COLUMNS["observations.csv"]


def _frame(rows: list[dict], columns: list[str]) -> pd.DataFrame:
    df = pd.DataFrame(rows)
    for col in columns:
        if col not in df.columns:
            df[col] = None
    return df[columns]


def write_sources(batch: Batch, path: Path) -> None:
    """Write the batch's sources; the curators' kk/ru columns (``publisher_kk``, ``note_ru``,
    ...) of an existing file are kept for the codes it still has, so a re-curation never
    drops a translation."""
    frame = _frame(batch.sources, SOURCE_COLUMNS)
    if path.exists():
        old = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8-sig")
        kept = [c for c in old.columns if c.endswith(("_kk", "_ru"))]
        if kept:
            frame = frame.merge(old[["code", *kept]], on="code", how="left")
    frame.to_csv(path, index=False)


def write_batch(batch: Batch, out_dir: Path, indicators_file: Path | None = None) -> None:
    """Write the batch's sources and observations (and optionally indicators) as curated CSV."""
    out_dir.mkdir(parents=True, exist_ok=True)
    if batch.sources:
        write_sources(batch, out_dir / "sources.csv")
    obs = batch.observations[CURATED_OBSERVATION_COLUMNS].copy()
    obs = obs.sort_values(["indicator", "area", "series", "year", "source"], kind="stable")
    obs["value"] = obs["value"].map(lambda v: f"{v:.12g}")
    obs["year_approx"] = obs["year_approx"].map(lambda b: "true" if b else "")
    obs.to_csv(out_dir / "observations.csv", index=False)
    if indicators_file is not None and batch.indicators:
        _frame(batch.indicators, INDICATOR_COLUMNS).to_csv(indicators_file, index=False)


SHEET_COLUMNS = [
    "source",
    "region",
    "file",
    "sheet",
    "area",
    "status",
    "reason",
    "address",
    "observations",
    "unmapped",
]
_LOCATION = re.compile(r"^sheet «(?P<sheet>.*)», row (?P<row>\d+), column (?P<col>[A-Z]+)$", re.S)


def short_location(file: str | None, location: str | None) -> str | None:
    """The compact provenance of a cell: "Abay_All.xls!Семей!B6" from the file and
    "sheet «Семей», row 6, column B"; other locations are kept as they are."""
    if not location:
        return location
    m = _LOCATION.match(location)
    if m is None or not file:
        return location
    return f"{Path(file).name}!{m['sheet']}!{m['col']}{m['row']}"


def write_compact(batch: Batch, out_dir: Path) -> None:
    """Write a batch in the compact curated form: sources.csv, observations.csv.gz (gzip,
    reproducible bytes) with ``file!sheet!cell`` locations, and sheets.csv (what became of
    every sheet) when the batch has sheet reports."""
    out_dir.mkdir(parents=True, exist_ok=True)
    write_sources(batch, out_dir / "sources.csv")
    obs = batch.observations.copy()
    files = obs["_file"].where(obs["_file"].notna(), batch.file)
    obs["location"] = [
        short_location(f, loc) for f, loc in zip(files, obs["location"], strict=True)
    ]
    obs = obs[CURATED_OBSERVATION_COLUMNS]
    obs = obs.sort_values(["source", "indicator", "area", "series", "year"], kind="stable")
    obs["value"] = obs["value"].map(lambda v: f"{v:.12g}")
    obs["year_approx"] = obs["year_approx"].map(lambda b: "true" if b else "")
    text = obs.to_csv(index=False).encode("utf-8")
    with (out_dir / "observations.csv.gz").open("wb") as raw:
        with gzip.GzipFile(filename="", mode="wb", fileobj=raw, mtime=0, compresslevel=9) as gz:
            gz.write(text)
    (out_dir / "observations.csv").unlink(missing_ok=True)
    write_sheets(batch, out_dir)


def write_sheets(batch: Batch, out_dir: Path) -> None:
    """sheets.csv: what became of every sheet of the batch's workbooks (if it has any)."""
    if batch.sheet_reports:
        _frame(batch.sheet_reports, SHEET_COLUMNS).to_csv(out_dir / "sheets.csv", index=False)
