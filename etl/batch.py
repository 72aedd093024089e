"""What every source adapter returns: a Batch of rows ready for validation and loading.

An adapter reads one file (or folder) and returns a :class:`Batch`. It never touches
the database. Rows it cannot read become :class:`LoadError` entries naming the
file, row, column and what is wrong; the loader refuses a batch with errors
(nothing is written) unless the caller chose to skip rejected rows.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

OBSERVATION_COLUMNS = [
    "indicator",  # indicator code
    "area",  # 9-digit KATO code (string)
    "year",  # int
    "series",  # disaggregation label, "" for the total
    "value",  # float
    "status",  # actual / estimate / derived / provisional
    "year_approx",  # bool: the year is inferred
    "source",  # source code
    "note",  # free text or None
    "excerpt",  # verbatim passage or None
    "location",  # where in the file: "sheet «Арал», row 8, column AH"
    "_row",  # provenance for error messages: row number in the file (1-based)
    "_column",  # provenance: column name or letter
    "_file",  # provenance: the file, when a batch spans several (None = Batch.file)
]


@dataclass(frozen=True)
class LoadError:
    """A problem in a source file, named precisely enough to find and fix it."""

    file: str
    row: int | None
    column: str | None
    message: str

    def __str__(self) -> str:
        where = [self.file]
        if self.row is not None:
            where.append(f"row {self.row}")
        if self.column:
            where.append(f"column {self.column}")
        return f"{', '.join(where)}: {self.message}"


class ValidationFailed(Exception):
    """Raised when a batch has errors; carries them all."""

    def __init__(self, errors: list[LoadError]):
        self.errors = errors
        super().__init__(f"{len(errors)} error(s); first: {errors[0] if errors else ''}")


class WarningsNeedAcceptance(ValidationFailed):
    """Raised when a load has plausibility warnings and was not run with --accept-warnings."""


@dataclass
class ObservationStream:
    """Observations of a file too large to hold: read chunk by chunk, twice (checked, then
    written), never whole. ``chunks(errors)`` yields frames with :data:`OBSERVATION_COLUMNS`
    and appends the cells it cannot read to ``errors``. Validation fills in ``rows`` and the
    (source, indicator) ``pairs`` the file replaces."""

    file: str
    chunks: Callable[[list[LoadError]], Iterator[pd.DataFrame]]
    rows: int = 0
    pairs: set[tuple[str, str]] = field(default_factory=set)


@dataclass
class Batch:
    """Rows read from one source file, in the shape of the schema's tables.

    ``observations`` is a DataFrame with :data:`OBSERVATION_COLUMNS`; the other
    tables are lists of dicts whose keys are the schema's column names.
    """

    file: str
    format: str
    checksum: str = ""
    rows_read: int = 0
    rows_skipped: int = 0  # rows read but not loaded (e.g. an area that cannot be resolved)
    sources: list[dict] = field(default_factory=list)
    indicators: list[dict] = field(default_factory=list)
    areas: list[dict] = field(default_factory=list)
    aliases: list[dict] = field(default_factory=list)
    programs: list[dict] = field(default_factory=list)
    targets: list[dict] = field(default_factory=list)
    boundaries: list[dict] = field(default_factory=list)
    area_sizes: list[dict] = field(default_factory=list)  # km² of each boundary (derived)
    observations: pd.DataFrame = field(default_factory=lambda: empty_observations())
    errors: list[LoadError] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    files_read: list[str] = field(default_factory=list)  # when a folder: the files read in it
    streams: list[ObservationStream] = field(default_factory=list)
    # What became of each sheet of a workbook: source, region, file, sheet, area, status
    # (loaded / skipped), reason, address (the table read), observations, unmapped.
    sheet_reports: list[dict] = field(default_factory=list)
    successors: list[dict] = field(default_factory=list)  # predecessor, successor, year, note
    # What the observations replace: "pairs" (everything their sources said about their
    # indicators: a file is the whole truth of its source) or "figures" (only the figures they
    # carry, each (indicator, area, year, series) of its source: a submission, which corrects
    # some figures of its organisation's source and keeps the rest).
    replaces: str = "pairs"

    def error(self, row: int | None, column: str | None, message: str) -> None:
        self.errors.append(LoadError(self.file, row, column, message))


def empty_observations() -> pd.DataFrame:
    return pd.DataFrame({c: pd.Series(dtype="object") for c in OBSERVATION_COLUMNS})


def observations_frame(rows: list[dict]) -> pd.DataFrame:
    """A DataFrame with exactly :data:`OBSERVATION_COLUMNS`, defaults filled in."""
    if not rows:
        return empty_observations()
    df = pd.DataFrame(rows)
    defaults = {
        "series": "",
        "status": "actual",
        "year_approx": False,
        "note": None,
        "excerpt": None,
        "location": None,
        "_row": None,
        "_column": None,
        "_file": None,
    }
    for col, default in defaults.items():
        if col not in df.columns:
            df[col] = default
    df["series"] = df["series"].fillna("")
    df["year_approx"] = df["year_approx"].fillna(False).astype(bool)
    return df[OBSERVATION_COLUMNS]


def file_checksum(path: str | Path) -> str:
    """SHA-256 of a file, or of every file under a folder (sorted by relative path)."""
    path = Path(path)
    digest = hashlib.sha256()
    files = sorted(p for p in path.rglob("*") if p.is_file()) if path.is_dir() else [path]
    for p in files:
        if path.is_dir():
            digest.update(str(p.relative_to(path)).encode())
        with p.open("rb") as fh:
            for chunk in iter(lambda: fh.read(1 << 20), b""):
                digest.update(chunk)
    return digest.hexdigest()


def clean_number(value: float) -> float:
    """Drop binary float noise from spreadsheet cells: 2407.4557910000003 -> 2407.455791."""
    return float(f"{value:.12g}")
