"""Turn a source file into a curated dataset folder under data/curated/.

    python -m etl curate PATH --format FMT --out data/curated/<dataset> [--indicators-file F]

The embedded default dataset is made this way from the real files under ../shared,
so that a fresh clone can build the database without them. The figures are restated,
each row with its source code and its location in the file.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from etl.batch import Batch

SOURCE_COLUMNS = [
    "code",
    "title",
    "publisher",
    "address",
    "license",
    "retrieved",
    "tier",
    "excerpt",
    "note",
]
INDICATOR_COLUMNS = [
    "code",
    "name_kk",
    "name_ru",
    "name_en",
    "unit_kk",
    "unit_ru",
    "unit_en",
    "category",
    "direction",
    "description",
    "sdg_id",
    "preferred_source",
    "decimals",
]
CURATED_OBSERVATION_COLUMNS = [
    "indicator",
    "area",
    "year",
    "series",
    "value",
    "status",
    "year_approx",
    "source",
    "note",
    "excerpt",
    "location",
]


def _frame(rows: list[dict], columns: list[str]) -> pd.DataFrame:
    df = pd.DataFrame(rows)
    for col in columns:
        if col not in df.columns:
            df[col] = None
    return df[columns]


def write_batch(batch: Batch, out_dir: Path, indicators_file: Path | None = None) -> None:
    """Write the batch's sources and observations (and optionally indicators) as curated CSV."""
    out_dir.mkdir(parents=True, exist_ok=True)
    if batch.sources:
        _frame(batch.sources, SOURCE_COLUMNS).to_csv(out_dir / "sources.csv", index=False)
    obs = batch.observations[CURATED_OBSERVATION_COLUMNS].copy()
    obs = obs.sort_values(["indicator", "area", "series", "year", "source"], kind="stable")
    obs["value"] = obs["value"].map(lambda v: f"{v:.12g}")
    obs["year_approx"] = obs["year_approx"].map(lambda b: "true" if b else "")
    obs.to_csv(out_dir / "observations.csv", index=False)
    if indicators_file is not None and batch.indicators:
        _frame(batch.indicators, INDICATOR_COLUMNS).to_csv(indicators_file, index=False)
