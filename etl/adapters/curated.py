"""The project's own curated CSV format (see data/README.md): the embedded default.

Reads either the whole data folder (areas, aliases, indicator catalogue and every
dataset under curated/) or one dataset folder (sources, observations, programs,
targets, and optionally its own indicators.csv defining the indicators it brings). Every cell is checked here for its type; references between tables are
checked by :mod:`etl.validate`.
"""

from __future__ import annotations

import math
import warnings
from pathlib import Path

import numpy as np
import pandas as pd

from etl.areas import Resolver, norm
from etl.batch import Batch, LoadError, ObservationStream

FORMAT = "curated"
EXPECTS = "the data folder (areas.csv, indicators/, curated/) or a dataset folder with sources.csv, observations.csv, programs.csv or targets.csv"

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
    "area_successors.csv": ["predecessor", "successor", "year", "source", "note"],
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
        "kind",
    ],
    "sources.csv": [
        "code",
        "title",
        "publisher",
        "address",
        "copy_address",
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
    "sheets.csv": [
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
    "area_successors.csv": ["predecessor", "successor", "year"],
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
        "kind",
    ],
    "sources.csv": ["code", "title", "publisher"],
    "observations.csv": ["indicator", "area", "year", "value", "source"],
    "programs.csv": ["code", "name_kk", "name_ru", "name_en"],
    "targets.csv": ["program", "indicator", "area", "target_year", "comparator", "value", "source"],
    "sheets.csv": ["source", "file", "sheet", "status"],
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
# Columns added to a format later: a file written before them may lack them (read as empty).
# ``copy_address``: the address of the copy that was read, apart from the official ``address``.
ADDED_LATER = {"sources.csv": ["copy_address"]}
# targets.csv: the area a target was set for when it is applied to `area` as a benchmark
OPTIONAL["targets.csv"].append("set_for")
INT_COLUMNS = {
    "year",
    "target_year",
    "baseline_year",
    "year_start",
    "year_end",
    "valid_from",
    "valid_to",
    "decimals",
    "observations",
    "unmapped",
}
FLOAT_COLUMNS = {"value", "baseline_value"}
BOOL_COLUMNS = {"year_approx"}
# observations.csv files larger than this are checked and written chunk by chunk, never held
# whole in memory; smaller ones are read in the same chunks and kept.
STREAM_BYTES = 16 << 20
CHUNK_ROWS = 50_000
DATASET_FILES = ("sources.csv", "programs.csv", "observations.csv", "targets.csv", "sheets.csv")
DATASET_INDICATORS = "indicators.csv"  # a dataset folder may define its own indicators


def detect(path: Path) -> bool:
    if path.is_dir():
        names = (DATASET_INDICATORS, *DATASET_FILES)
        return (path / "areas.csv").exists() or any(_files(path, f) for f in names)
    return False


def files(path: Path) -> list[Path]:
    """Every file :func:`read` reads under ``path`` (the data folder or one dataset folder)."""
    path = Path(path)
    if (path / "areas.csv").exists():
        names = ("areas.csv", "area_aliases.csv", "area_successors.csv")
        found = [path / n for n in names if (path / n).exists()]
        found += sorted((path / "indicators").glob("*.csv"))
        for dataset in sorted(p for p in (path / "curated").glob("*") if p.is_dir()):
            found += _dataset_files(dataset)
        return found
    return _dataset_files(path)


def _dataset_files(folder: Path) -> list[Path]:
    return [f for name in (DATASET_INDICATORS, *DATASET_FILES) for f in _files(folder, name)]


def read(path: Path, *, resolver: Resolver | None = None, options: dict | None = None) -> Batch:
    """Read the data folder or one dataset folder into a Batch."""
    batch = Batch(file=str(path), format=FORMAT)
    if (path / "areas.csv").exists():
        batch.areas = _records(batch, path / "areas.csv", "areas.csv")
        aliases = _records(batch, path / "area_aliases.csv", "area_aliases.csv")
        for row in aliases:
            row["key"] = norm(row["alias"])
        batch.aliases = aliases
        if (path / "area_successors.csv").exists():
            batch.successors = _records(batch, path / "area_successors.csv", "area_successors.csv")
        for f in sorted((path / "indicators").glob("*.csv")):
            batch.indicators.extend(_records(batch, f, "indicators"))
        for dataset in sorted(p for p in (path / "curated").glob("*") if p.is_dir()):
            _read_dataset(batch, dataset)
    else:
        _read_dataset(batch, path)
    batch.files_read = [str(f) for f in files(path)]
    return batch


def _files(folder: Path, name: str) -> list[Path]:
    """A dataset's file ``name`` as plain CSV and/or gzip-compressed (``name.gz``)."""
    return [f for f in (folder / name, folder / f"{name}.gz") if f.exists()]


def _read_dataset(batch: Batch, folder: Path) -> None:
    if (folder / DATASET_INDICATORS).exists():
        # marked: such a definition may not change an indicator others' readings use
        own = _records(batch, folder / DATASET_INDICATORS, "indicators")
        batch.indicators.extend({**r, "_dataset": True} for r in own)
    for name in DATASET_FILES:
        for f in _files(folder, name):
            _read_file(batch, f, name)
    batch.observations = batch.observations.reset_index(drop=True)


def _read_file(batch: Batch, f: Path, name: str) -> None:
    if name == "observations.csv":
        if f.stat().st_size > STREAM_BYTES:
            batch.streams.append(ObservationStream(str(f), _observation_chunks(f)))
            return
        errors: list[LoadError] = []
        frames = [_plain(c) for c in _observation_chunks(f)(errors) if not c.empty]
        batch.errors += errors
        batch.rows_read += sum(len(c) for c in frames)
        if frames:
            batch.observations = pd.concat(
                [batch.observations, *frames] if not batch.observations.empty else frames
            )
        return
    records = _records(batch, f, name)
    if name == "sources.csv":
        batch.sources.extend(records)
    elif name == "programs.csv":
        batch.programs.extend(records)
    elif name == "targets.csv":
        batch.targets.extend(records)
    else:
        batch.sheet_reports.extend(records)


def _observation_chunks(f: Path):  # noqa: ANN202
    """A function that reads ``f`` chunk by chunk: yields observation frames and appends
    cell errors to the list it is given. Memory stays that of one chunk."""

    def chunks(errors: list[LoadError]):  # noqa: ANN202
        first = 2
        for df in _frames(errors, f, "observations.csv"):
            yield _observation_frame(errors, f, df, first)
            first += len(df)

    return chunks


def _observation_frame(
    errors: list[LoadError], f: Path, df: pd.DataFrame, first_row: int
) -> pd.DataFrame:
    """The rows ``first_row``… of an observations file as a frame with
    :data:`~etl.batch.OBSERVATION_COLUMNS` (text columns categorical); rows with a cell that
    cannot be read are left out, each such cell an error in ``errors`` (in row order)."""
    kind = "observations.csv"
    n = len(df)
    bad = np.zeros(n, dtype=bool)
    found: list[tuple[int, int, LoadError]] = []
    out: dict[str, object] = {}
    for k, col in enumerate(COLUMNS[kind]):
        if col == "value":
            out[col] = _float_column(found, bad, f, df[col].to_numpy(dtype=object), first_row, k)
            continue
        # each distinct text is checked and converted once (codes and areas repeat)
        codes, uniques = pd.factorize(df[col].to_numpy(dtype=object))
        converted, failed = [], np.zeros(len(uniques), dtype=bool)
        for i, raw in enumerate(uniques):
            text = str(raw).strip()
            if not text:
                if col in REQUIRED[kind]:
                    failed[i] = True
                    converted.append(ValueError("is empty"))
                else:
                    converted.append(False if col in BOOL_COLUMNS else None)
                continue
            try:
                converted.append(_convert(col, text))
            except ValueError as exc:
                failed[i] = True
                converted.append(exc)
        for pos in np.flatnonzero(failed[codes]) if failed.any() else ():
            bad[pos] = True
            row = first_row + int(pos)
            found.append((row, k, _err(f, row, col, str(converted[codes[pos]]))))
        out[col] = _typed(col, converted, codes)
    errors += [e for *_, e in sorted(found, key=lambda t: t[:2])]
    frame = pd.DataFrame(out)
    frame["year_approx"] = frame["year_approx"].astype(bool)
    frame["_row"] = np.arange(first_row, first_row + n, dtype=np.int64)
    frame["_column"] = None
    frame["_file"] = str(f)
    if bad.any():
        frame = frame[~bad]
        frame["year"] = frame["year"].astype(np.int64)
    return frame.reset_index(drop=True)


def _typed(col: str, converted: list, codes: np.ndarray):  # noqa: ANN202
    """A column from its categories' converted values: numbers as numbers, text as a
    categorical (None where empty; failed cells as missing)."""
    if col in INT_COLUMNS or col in BOOL_COLUMNS:
        fill = False if col in BOOL_COLUMNS else np.nan
        values = np.array([fill if isinstance(v, Exception) or v is None else v for v in converted])
        return values[codes]
    texts = [None if isinstance(v, Exception) else v for v in converted]
    if col == "series":
        texts = ["" if v is None else v for v in texts]
    new_codes, uniques = pd.factorize(pd.Series(texts, dtype=object), use_na_sentinel=True)
    remap = np.append(new_codes, -1)
    return pd.Categorical.from_codes(remap[codes], categories=pd.Index(uniques, dtype=object))


def _float_column(
    found: list, bad: np.ndarray, f: Path, raw: np.ndarray, first_row: int, k: int
) -> np.ndarray:
    """The value column: Python's float() of each cell (whitespace allowed), in one numpy
    conversion; only when that fails are the cells read one by one for their messages."""
    try:
        values = raw.astype(np.float64)
        failures = np.flatnonzero(~np.isfinite(values))
    except ValueError:
        values = np.full(len(raw), np.nan)
        failures = range(len(raw))
    for pos in failures:
        text = str(raw[pos]).strip()
        row = first_row + int(pos)
        try:
            if not text:
                raise ValueError("is empty")
            values[pos] = _convert("value", text)
        except ValueError as exc:
            bad[pos] = True
            found.append((row, k, _err(f, row, "value", str(exc))))
    return values


def _plain(frame: pd.DataFrame) -> pd.DataFrame:
    """A held (small) file's frame with plain object text columns, as other adapters give."""
    cats = [c for c in frame.columns if isinstance(frame[c].dtype, pd.CategoricalDtype)]
    frame = frame.astype(dict.fromkeys(cats, object))
    return (
        frame.astype(object)
        .where(frame.notna(), None)
        .astype({c: frame[c].dtype for c in frame.columns if c not in cats})
    )


def _frames(errors: list[LoadError], f: Path, kind: str):  # noqa: ANN202
    """The file's rows as string DataFrames of CHUNK_ROWS rows; a file that cannot be read is
    one error. The header is checked against the format's columns first."""
    options = {"dtype": str, "keep_default_na": False, "encoding": "utf-8-sig"}
    try:
        columns = [str(c) for c in pd.read_csv(f, nrows=0, **options).columns]
        expected = COLUMNS[kind]
        missing = [c for c in expected if c not in columns + ADDED_LATER.get(kind, [])]
        unknown = [c for c in columns if c not in expected and c not in OPTIONAL.get(kind, [])]
        if missing or unknown:
            parts = []
            if missing:
                parts.append(f"missing column(s) {', '.join(missing)}")
            if unknown:
                parts.append(f"unknown column(s) {', '.join(unknown)}")
            errors.append(_err(f, 1, None, "; ".join(parts) + f" (expected {expected})"))
            return
        with pd.read_csv(f, chunksize=CHUNK_ROWS, index_col=False, **options) as reader:
            while True:
                with warnings.catch_warnings():  # pandas would drop a row's extra cells
                    warnings.simplefilter("error", pd.errors.ParserWarning)
                    try:
                        chunk = next(reader)
                    except StopIteration:
                        return
                yield chunk
    except pd.errors.ParserWarning:
        errors.append(
            _err(f, None, None, "cannot read as UTF-8 CSV: rows have more cells than the header")
        )
    except (UnicodeDecodeError, pd.errors.ParserError) as exc:
        errors.append(_err(f, None, None, f"cannot read as UTF-8 CSV: {exc}"))
    except pd.errors.EmptyDataError:
        errors.append(_err(f, 1, None, f"the file is empty: expected a header row {COLUMNS[kind]}"))


def _records(batch: Batch, f: Path, kind: str) -> list[dict]:
    """Rows of one curated file as dicts of typed values; cell errors go to batch.errors."""
    records: list[dict] = []
    first = 2
    for df in _frames(batch.errors, f, kind):
        records += _convert_rows(batch.errors, f, kind, df, first)
        first += len(df)
    batch.rows_read += first - 2
    return records


def _convert_rows(
    errors: list[LoadError], f: Path, kind: str, df: pd.DataFrame, first_row: int
) -> list[dict]:
    """Typed dicts of rows ``first_row``… of a curated file; cell errors go to ``errors``."""
    later = ADDED_LATER.get(kind, [])
    expected = [c for c in COLUMNS[kind] if c in df.columns or c not in later]
    expected += [c for c in OPTIONAL.get(kind, []) if c in df.columns]
    records = []
    for i, raw in enumerate(df.to_dict("records")):
        row_no = first_row + i  # 1-based, after the header
        rec: dict = {}
        ok = True
        for col in expected:
            text = raw[col].strip()
            if not text:
                if col in REQUIRED[kind]:
                    errors.append(_err(f, row_no, col, "is empty"))
                    ok = False
                rec[col] = False if col in BOOL_COLUMNS else None
                continue
            try:
                rec[col] = _convert(col, text)
            except ValueError as exc:
                errors.append(_err(f, row_no, col, str(exc)))
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
    if col in {"kato", "area", "parent", "region", "predecessor", "successor", "set_for"} and not (
        len(text) == 9 and text.isdigit()
    ):
        raise ValueError(f"{text!r} is not a 9-digit KATO code")
    return text


def _err(f: Path, row: int | None, col: str | None, msg: str) -> LoadError:
    return LoadError(str(f), row, col, msg)
