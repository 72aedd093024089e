"""The project's own curated CSV format (see data/README.md): the embedded default.

Reads either the whole data folder (areas, aliases, indicator catalogue and every
dataset under curated/) or one dataset folder (sources, observations, programs,
targets). Every cell is checked here for its type; references between tables are
checked by :mod:`etl.validate`.
"""

from __future__ import annotations

import math
from pathlib import Path

import pandas as pd

from etl.areas import Resolver, norm
from etl.batch import Batch, observations_frame

FORMAT = "curated"

COLUMNS = {
    "areas.csv": [
        "kato",
        "level",
        "parent",
        "name_kk",
        "name_ru",
        "name_en",
        "iso_3166_2",
        "valid_from",
        "valid_to",
        "source",
    ],
    "area_aliases.csv": ["alias", "kato", "lang", "source"],
    "indicators": [
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
    ],
    "sources.csv": [
        "code",
        "title",
        "publisher",
        "address",
        "license",
        "retrieved",
        "tier",
        "excerpt",
        "note",
    ],
    "observations.csv": [
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
    ],
    "programs.csv": [
        "code",
        "name_kk",
        "name_ru",
        "name_en",
        "year_start",
        "year_end",
        "legal_ref",
        "source",
        "note",
    ],
    "targets.csv": [
        "program",
        "indicator",
        "area",
        "target_year",
        "comparator",
        "value",
        "baseline_year",
        "baseline_value",
        "source",
        "excerpt",
        "note",
    ],
}
REQUIRED = {
    "areas.csv": ["kato", "level", "name_kk", "name_ru", "name_en"],
    "area_aliases.csv": ["alias", "kato"],
    "indicators": [
        "code",
        "name_kk",
        "name_ru",
        "name_en",
        "unit_kk",
        "unit_ru",
        "unit_en",
        "category",
        "direction",
    ],
    "sources.csv": ["code", "title", "publisher"],
    "observations.csv": ["indicator", "area", "year", "value", "source"],
    "programs.csv": ["code", "name_kk", "name_ru", "name_en"],
    "targets.csv": ["program", "indicator", "area", "target_year", "comparator", "value", "source"],
}
# Optional Kazakh and Russian versions of a text column that the curators wrote in English
# (``publisher`` -> ``publisher_kk``, ``publisher_ru``); the English column stays.
TRANSLATED = {
    "sources.csv": ["publisher", "license", "note"],
    "programs.csv": ["legal_ref", "note"],
    "targets.csv": ["note"],
}
OPTIONAL = {
    kind: [f"{col}_{lang}" for col in cols for lang in ("kk", "ru")]
    for kind, cols in TRANSLATED.items()
}
INT_COLUMNS = {
    "year",
    "target_year",
    "baseline_year",
    "year_start",
    "year_end",
    "valid_from",
    "valid_to",
    "decimals",
}
FLOAT_COLUMNS = {"value", "baseline_value"}
BOOL_COLUMNS = {"year_approx"}
DATASET_FILES = ("sources.csv", "programs.csv", "observations.csv", "targets.csv")


def detect(path: Path) -> bool:
    if path.is_dir():
        return (path / "areas.csv").exists() or any((path / f).exists() for f in DATASET_FILES)
    return False


def read(path: Path, *, resolver: Resolver | None = None, options: dict | None = None) -> Batch:
    """Read the data folder or one dataset folder into a Batch."""
    batch = Batch(file=str(path), format=FORMAT)
    if (path / "areas.csv").exists():
        batch.areas = _records(batch, path / "areas.csv", "areas.csv")
        aliases = _records(batch, path / "area_aliases.csv", "area_aliases.csv")
        for row in aliases:
            row["key"] = norm(row["alias"])
        batch.aliases = aliases
        for f in sorted((path / "indicators").glob("*.csv")):
            batch.indicators.extend(_records(batch, f, "indicators"))
        for dataset in sorted(p for p in (path / "curated").glob("*") if p.is_dir()):
            _read_dataset(batch, dataset)
    else:
        _read_dataset(batch, path)
    return batch


def _read_dataset(batch: Batch, folder: Path) -> None:
    for name in DATASET_FILES:
        f = folder / name
        if not f.exists():
            continue
        records = _records(batch, f, name)
        if name == "sources.csv":
            batch.sources.extend(records)
        elif name == "programs.csv":
            batch.programs.extend(records)
        elif name == "targets.csv":
            batch.targets.extend(records)
        else:
            frame = observations_frame(records)
            batch.observations = (
                frame if batch.observations.empty else pd.concat([batch.observations, frame])
            )
    batch.observations = batch.observations.reset_index(drop=True)


def _records(batch: Batch, f: Path, kind: str) -> list[dict]:
    """Rows of one curated file as dicts of typed values; cell errors go to batch.errors."""
    try:
        df = pd.read_csv(f, dtype=str, keep_default_na=False, encoding="utf-8-sig")
    except (UnicodeDecodeError, pd.errors.ParserError) as exc:
        batch.errors.append(_err(f, None, None, f"cannot read as UTF-8 CSV: {exc}"))
        return []
    optional = [c for c in OPTIONAL.get(kind, []) if c in df.columns]
    missing = [c for c in COLUMNS[kind] if c not in df.columns]
    unknown = [c for c in df.columns if c not in COLUMNS[kind] and c not in OPTIONAL.get(kind, [])]
    expected = COLUMNS[kind] + optional
    if missing or unknown:
        parts = []
        if missing:
            parts.append(f"missing column(s) {', '.join(missing)}")
        if unknown:
            parts.append(f"unknown column(s) {', '.join(unknown)}")
        batch.errors.append(_err(f, 1, None, "; ".join(parts) + f" (expected {COLUMNS[kind]})"))
        return []
    batch.rows_read += len(df)
    records = []
    for i, raw in enumerate(df.to_dict("records")):
        row_no = i + 2  # 1-based, after the header
        rec: dict = {}
        ok = True
        for col in expected:
            text = raw[col].strip()
            if not text:
                if col in REQUIRED[kind]:
                    batch.errors.append(_err(f, row_no, col, "is empty"))
                    ok = False
                rec[col] = False if col in BOOL_COLUMNS else None
                continue
            try:
                rec[col] = _convert(col, text)
            except ValueError as exc:
                batch.errors.append(_err(f, row_no, col, str(exc)))
                ok = False
        if ok:
            rec["_row"] = row_no
            rec["_column"] = None
            rec["_file"] = str(f)
            records.append(rec)
    return records


def _convert(col: str, text: str):  # noqa: ANN202
    if col in INT_COLUMNS:
        if not text.lstrip("-").isdigit():
            raise ValueError(f"{text!r} is not a whole number")
        return int(text)
    if col in FLOAT_COLUMNS:
        try:
            value = float(text)
        except ValueError:
            raise ValueError(f"{text!r} is not a number (use a dot for decimals)") from None
        if not math.isfinite(value):
            raise ValueError(f"{text!r} is not a finite number")
        return value
    if col in BOOL_COLUMNS:
        lowered = text.lower()
        if lowered not in {"true", "false", "1", "0", "yes", "no"}:
            raise ValueError(f"{text!r} is not true/false")
        return lowered in {"true", "1", "yes"}
    if col in {"kato", "area", "parent"} and not (len(text) == 9 and text.isdigit()):
        raise ValueError(f"{text!r} is not a 9-digit KATO code")
    return text


def _err(f: Path, row: int | None, col: str | None, msg: str):  # noqa: ANN202
    from etl.batch import LoadError

    return LoadError(str(f), row, col, msg)
