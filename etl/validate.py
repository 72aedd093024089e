"""Check a batch against the schema's rules and against what the database already holds.

Nothing here writes. Every problem becomes a LoadError naming file, row and column.
"""

from __future__ import annotations

import logging

import numpy as np
import pandas as pd
from sqlalchemy import Connection, select

from etl import plausibility
from etl.batch import Batch, LoadError, ObservationStream
from store import schema

log = logging.getLogger(__name__)
OBS_KEY = ["indicator", "area", "year", "series", "source"]
STREAM_LOG_ROWS = 50_000
MAX_STREAM_ERRORS = 1000

YEAR_RANGE = (1900, 2100)
UNKNOWN_INDICATOR = (
    "unknown indicator {!r}: define it in an indicators.csv (the columns of "
    "data/indicators/*.csv) in the dataset folder, or in a folder loaded first with "
    '`python -m etl load FOLDER`; see README.md, "Load your own data"'
)


def known_codes(conn: Connection | None) -> dict[str, set[str]]:
    """Codes already in the database, per table (empty sets for a new database)."""
    known = {"areas": set(), "indicators": set(), "sources": set(), "programs": set()}
    if conn is None:
        return known
    known["areas"] = set(conn.scalars(select(schema.areas.c.kato)))
    known["indicators"] = set(conn.scalars(select(schema.indicators.c.code)))
    known["sources"] = set(conn.scalars(select(schema.sources.c.code)))
    known["programs"] = set(conn.scalars(select(schema.programs.c.code)))
    return known


def validate(
    batches: list[Batch],
    conn: Connection | None,
    warnings: list[LoadError] | None = None,
    *,
    streams: bool = True,
) -> list[LoadError]:
    """All errors of the batches, read together (a build loads several at once).

    Plausibility warnings (see :mod:`etl.plausibility`) are appended to ``warnings``.
    ``streams=False`` leaves out the large files (the loader checks them as it writes).
    """
    known = known_codes(conn)
    units = units_of(batches, conn)
    errors: list[LoadError] = [e for b in batches for e in b.errors]
    for b in batches:
        known["areas"] |= {r["kato"] for r in b.areas}
        known["indicators"] |= {r["code"] for r in b.indicators}
        known["sources"] |= {r["code"] for r in b.sources}
        known["programs"] |= {r["code"] for r in b.programs}
    seen: dict[str, dict] = {"sources": {}, "indicators": {}, "areas": {}, "programs": {}}
    for b in batches:
        errors += _check_unique(b, b.sources, "code", seen["sources"], "source")
        errors += _check_unique(b, b.indicators, "code", seen["indicators"], "indicator")
        errors += _check_unique(b, b.areas, "kato", seen["areas"], "area")
        errors += _check_unique(b, b.programs, "code", seen["programs"], "program")
        errors += _check_rows(
            b, b.areas, known, {"level": schema.AREA_LEVELS, "parent": "areas", "source": "sources"}
        )
        errors += _check_rows(b, b.aliases, known, {"kato": "areas"})
        errors += _check_rows(
            b,
            b.indicators,
            known,
            {
                "category": schema.CATEGORIES,
                "direction": schema.DIRECTIONS,
                "kind": schema.KINDS,
                "preferred_source": "sources",
            },
        )
        errors += _check_rows(b, b.programs, known, {"source": "sources"})
        errors += _check_rows(
            b,
            b.targets,
            known,
            {
                "program": "programs",
                "indicator": "indicators",
                "area": "areas",
                "set_for": "areas",
                "source": "sources",
                "comparator": schema.COMPARATORS,
            },
        )
        errors += _check_rows(b, b.boundaries, known, {"area": "areas", "source": "sources"})
        errors += _check_rows(b, b.area_sizes, known, {"area": "areas", "source": "sources"})
        errors += _check_observations(b, known, b.observations)
        _check_plausible(b, b.observations, units, errors, warnings)
        for stream in b.streams if streams else ():
            errors += _check_stream(b, stream, known, units, warnings)
        errors += _check_owners(b, conn)
        errors += _check_redefined(b, conn)
        for rows, table in (
            (b.sources, schema.sources),
            (b.areas, schema.areas),
            (b.aliases, schema.area_aliases),
            (b.indicators, schema.indicators),
            (b.programs, schema.programs),
            (b.targets, schema.targets),
        ):
            errors += _check_lengths(b, rows, table)
    return errors


def _check_redefined(b: Batch, conn: Connection | None) -> list[LoadError]:
    """A dataset's own indicators.csv may define new indicators, or change one only its own
    sources observe; changing one that other sources' readings use would change their meaning."""
    own = [r for r in b.indicators if r.get("_dataset")]
    if conn is None or not own:
        return []
    t, o = schema.indicators, schema.observations
    ours = {r["code"] for r in b.sources} | set(b.observations["source"].dropna())
    errors = []
    for r in own:
        stored = conn.execute(select(t).where(t.c.code == r["code"])).mappings().first()
        if stored is None:
            continue
        changed = [c for c in t.c.keys() if c in r and r[c] != stored[c]]
        others = conn.scalars(select(o.c.source).where(o.c.indicator == r["code"]).distinct()).all()
        if changed and set(others) - ours:
            errors.append(
                _at(
                    b,
                    r,
                    changed[0],
                    f"indicator {r['code']!r} is already defined, differently "
                    f"({', '.join(changed)}), and observed by other sources: "
                    "give your indicator a code of its own",
                )
            )
    return errors


def units_of(batches: list[Batch], conn: Connection | None) -> dict[str, str | None]:
    """unit_en of every indicator the batches define or the database holds."""
    units: dict[str, str | None] = {}
    if conn is not None:
        units.update(
            conn.execute(select(schema.indicators.c.code, schema.indicators.c.unit_en)).all()
        )
    for b in batches:
        units.update({r["code"]: r.get("unit_en") for r in b.indicators})
    return units


def _check_owners(b: Batch, conn: Connection | None) -> list[LoadError]:
    """A batch may not take another source's code, targets or boundaries.

    A source code already in the database with a different address is another source; a
    target or boundary already stated by another source is that source's, not this batch's.
    """
    if conn is None:
        return []
    errors = []
    codes = [r["code"] for r in b.sources]
    if codes:
        stored = dict(
            conn.execute(
                select(schema.sources.c.code, schema.sources.c.address).where(
                    schema.sources.c.code.in_(codes)
                )
            ).all()
        )
        for r in b.sources:
            old, new = stored.get(r["code"]), r.get("address")
            if old and new and old.rstrip("/") != new.rstrip("/"):
                errors.append(
                    _at(
                        b,
                        r,
                        "code",
                        f"source code {r['code']!r} in the database is {old}; this one is {new}: "
                        "another source cannot take its code (give it a code of its own)",
                    )
                )
    for rows, table, key, what in (
        (b.targets, schema.targets, ("program", "indicator", "area", "target_year"), "target"),
        (b.boundaries, schema.boundaries, ("area", "vintage"), "boundary"),
    ):
        if not rows:
            continue
        stored = {
            tuple(r[:-1]): r[-1]
            for r in conn.execute(select(*(table.c[k] for k in key), table.c.source)).all()
        }
        for r in rows:
            owner = stored.get(tuple(r.get(k) for k in key))
            if owner is not None and owner != r.get("source"):
                errors.append(
                    _at(
                        b,
                        r,
                        "source",
                        f"this {what} ({', '.join(str(r.get(k)) for k in key)}) is already stated "
                        f"by source {owner!r}; a load never overwrites another source's figures",
                    )
                )
    return errors


def _max_lengths(table) -> dict[str, int]:  # noqa: ANN001
    return {
        c.name: c.type.length for c in table.columns if getattr(c.type, "length", None) is not None
    }


def _check_lengths(b: Batch, rows: list[dict], table) -> list[LoadError]:  # noqa: ANN001
    """Text longer than its column allows: an error here, not a database error later."""
    errors = []
    limits = _max_lengths(table)
    for r in rows:
        for col, limit in limits.items():
            value = r.get(col)
            if isinstance(value, str) and len(value) > limit:
                errors.append(
                    _at(b, r, col, f"is {len(value)} characters long; at most {limit} allowed")
                )
    return errors


def _check_unique(b: Batch, rows: list[dict], key: str, seen: dict, what: str) -> list[LoadError]:
    errors = []
    for r in rows:
        code = r.get(key)
        if code in seen and _differ(seen[code], r):
            errors.append(
                _at(
                    b,
                    r,
                    key,
                    f"{what} {code!r} is defined twice, differently "
                    f"(also in {seen[code].get('_file', b.file)})",
                )
            )
        seen.setdefault(code, r)
    return errors


def _differ(a: dict, b: dict) -> bool:
    """Whether two definitions disagree on a field both give (a translation only one of them
    carries, e.g. ``publisher_kk``, is no disagreement)."""
    pa, pb = _public(a), _public(b)
    return any(
        pa[k] != pb[k] for k in pa.keys() & pb.keys() if pa[k] is not None and pb[k] is not None
    ) or (
        {k for k, v in pa.items() if v is not None and k[-3:] not in ("_kk", "_ru")}
        != {k for k, v in pb.items() if v is not None and k[-3:] not in ("_kk", "_ru")}
    )


def _public(row: dict) -> dict:
    return {k: v for k, v in row.items() if not k.startswith("_")}


def _check_rows(b: Batch, rows: list[dict], known: dict, rules: dict) -> list[LoadError]:
    errors = []
    for r in rows:
        for col, rule in rules.items():
            value = r.get(col)
            if value is None:
                continue
            if isinstance(rule, tuple):
                if value not in rule:
                    errors.append(_at(b, r, col, f"{value!r} is not one of {', '.join(rule)}"))
            elif value not in known[rule]:
                message = f"unknown {rule[:-1]} {value!r}"
                if rule == "indicators":
                    message = UNKNOWN_INDICATOR.format(value)
                errors.append(_at(b, r, col, message))
    return errors


def _check_plausible(
    b: Batch,
    obs: pd.DataFrame,
    units: dict,
    errors: list[LoadError],
    warnings: list[LoadError] | None,
) -> None:
    for idx, col, severity, msg in plausibility.check(obs, units):
        found = _obs_at(b, obs.loc[idx], col, msg)
        (errors if severity == "error" or warnings is None else warnings).append(found)


def _check_stream(
    b: Batch,
    stream: ObservationStream,
    known: dict,
    units: dict,
    warnings: list[LoadError] | None,
) -> list[LoadError]:
    """Check a file chunk by chunk (a log line per chunk), writing nothing."""
    check = StreamCheck(b, stream, known, units, warnings)
    for chunk in stream.chunks(check.errors):
        check.chunk(chunk)
        if check.stopped:
            return check.errors
    return check.finish()


class StreamChecks:
    """Starts the :class:`StreamCheck` of each stream of a batch (the loader's use)."""

    def __init__(self, b: Batch, known: dict, units: dict, warnings: list[LoadError]) -> None:
        self.b, self.known, self.units, self.warnings = b, known, units, warnings

    def start(self, stream: ObservationStream) -> StreamCheck:
        return StreamCheck(self.b, stream, self.known, self.units, self.warnings)


class StreamCheck:
    """The checks of one stream, chunk by chunk: :meth:`chunk` checks a chunk (and counts
    its rows and (source, indicator) pairs), :meth:`finish` adds the duplicates found across
    chunks from 8-byte hashes of the key, so memory grows by 16 bytes a row at most. The
    loader runs it while it writes (one read of the file); a failed check rolls back."""

    def __init__(
        self,
        b: Batch,
        stream: ObservationStream,
        known: dict,
        units: dict,
        warnings: list[LoadError] | None,
    ) -> None:
        self.b, self.stream, self.known, self.units = b, stream, known, units
        self.warnings = warnings
        self.errors: list[LoadError] = []
        self.stopped = False
        self._hashes: list[np.ndarray] = []
        self._rows: list[np.ndarray] = []
        stream.rows, stream.pairs = 0, set()
        log.info("%s: checking, %d rows at a time", stream.file, STREAM_LOG_ROWS)

    def chunk(self, chunk: pd.DataFrame) -> set[tuple[str, str]]:
        """Check one chunk; errors and warnings go to the lists, nothing is raised. Returns
        the chunk's (source, indicator) pairs."""
        stream = self.stream
        stream.rows += len(chunk)
        pairs: set[tuple[str, str]] = set()
        if not chunk.empty:
            self.errors += _check_observations(self.b, self.known, chunk, duplicates=False)
            _check_plausible(self.b, chunk, self.units, self.errors, self.warnings)
            pairs = _pairs(chunk)
            stream.pairs |= pairs
            self._hashes.append(pd.util.hash_pandas_object(chunk[OBS_KEY], index=False).to_numpy())
            self._rows.append(chunk["_row"].to_numpy(dtype=np.int64))
        log.info("%s: %d rows checked, %d error(s)", stream.file, stream.rows, len(self.errors))
        if len(self.errors) >= MAX_STREAM_ERRORS and not self.stopped:
            self.errors.append(
                LoadError(
                    stream.file, None, None, f"stopped checking after {len(self.errors)} errors"
                )
            )
            self.stopped = True
        return pairs

    def finish(self) -> list[LoadError]:
        """Every error of the stream, the duplicates across chunks included."""
        if self.stopped or not self._hashes:
            return self.errors
        keys, row_nos = np.concatenate(self._hashes), np.concatenate(self._rows)
        self._hashes, self._rows = [], []
        order = np.argsort(keys, kind="stable")
        keys, row_nos = keys[order], row_nos[order]
        repeat = np.flatnonzero(keys[1:] == keys[:-1]) + 1
        start = -1
        for i in repeat:
            if start < 0 or keys[start] != keys[i]:
                start = i - 1
            first = row_nos[start]
            self.errors.append(
                LoadError(
                    self.stream.file,
                    int(row_nos[i]),
                    None,
                    "duplicate observation: the same indicator, area, year, series and source "
                    f"as row {int(first)}",
                )
            )
        return self.errors


def _pairs(obs: pd.DataFrame) -> set[tuple[str, str]]:
    """The (source, indicator) pairs of observations."""
    pairs = obs[["source", "indicator"]].drop_duplicates()
    return set(zip(pairs["source"].astype(object), pairs["indicator"].astype(object), strict=True))


def _where(values: pd.Series, bad) -> np.ndarray:  # noqa: ANN001
    """Positions of the rows whose value ``bad(uniques)`` marks, computed on the distinct
    values only (a column of codes has few)."""
    if isinstance(values.dtype, pd.CategoricalDtype):
        codes, uniques = values.cat.codes.to_numpy(), values.cat.categories
    else:
        codes, uniques = pd.factorize(values, use_na_sentinel=True)
    if not len(uniques):
        return np.flatnonzero(np.zeros(len(values), dtype=bool))
    flags = np.asarray(bad(pd.Index(uniques)), dtype=bool)
    return np.flatnonzero(np.where(codes >= 0, flags[np.maximum(codes, 0)], False))


def _check_observations(
    b: Batch, known: dict, obs: pd.DataFrame, duplicates: bool = True
) -> list[LoadError]:
    if obs.empty:
        return []
    errors = []
    checks = [
        (
            "indicator",
            _where(obs["indicator"], lambda u: ~u.isin(known["indicators"])),
            UNKNOWN_INDICATOR,
        ),
        ("area", _where(obs["area"], lambda u: ~u.isin(known["areas"])), "unknown area {!r}"),
        (
            "source",
            _where(obs["source"], lambda u: ~u.isin(known["sources"])),
            "unknown source {!r}",
        ),
        (
            "status",
            _where(obs["status"], lambda u: ~u.isin(schema.STATUSES)),
            "status {!r} is not one of " + ", ".join(schema.STATUSES),
        ),
    ]
    for col in ("indicator", "area", "source", "status"):  # a missing code is unknown too
        missing = np.flatnonzero(obs[col].isna().to_numpy())
        if len(missing):
            checks.append((col, missing, checks[[c[0] for c in checks].index(col)][2]))
    years = pd.to_numeric(obs["year"], errors="coerce")
    checks.append(
        (
            "year",
            np.flatnonzero(
                (
                    years.isna()
                    | (years < YEAR_RANGE[0])
                    | (years > YEAR_RANGE[1])
                    | (years != years.round())
                ).to_numpy()
            ),
            "year {!r} is not a year between 1900 and 2100",
        )
    )
    values = pd.to_numeric(obs["value"], errors="coerce").astype(float)
    checks.append(
        (
            "value",
            np.flatnonzero(~np.isfinite(values.to_numpy())),
            "value {!r} is not a finite number",
        )
    )
    for col, positions, template in checks:
        for pos in positions:
            idx = obs.index[pos]
            errors.append(_obs_at(b, obs.loc[idx], col, template.format(obs.at[idx, col])))
    for col, limit in _max_lengths(schema.observations).items():
        if col in obs.columns:
            too_long = _where(obs[col], lambda u, n=limit: u.astype(str).str.len() > n)
            for pos in too_long:
                idx = obs.index[pos]
                errors.append(_obs_at(b, obs.loc[idx], col, f"is longer than {limit} characters"))
    if not duplicates:
        return errors
    key = OBS_KEY
    dup = obs.duplicated(key, keep="first")
    for idx in obs.index[dup.to_numpy()]:
        row = obs.loc[idx]
        errors.append(
            _obs_at(
                b, row, None, "duplicate observation for " + ", ".join(f"{k}={row[k]}" for k in key)
            )
        )
    return errors


def _at(b: Batch, r: dict, col: str | None, msg: str) -> LoadError:
    return LoadError(r.get("_file") or b.file, r.get("_row"), r.get("_column") or col, msg)


def _obs_at(b: Batch, row: pd.Series, col: str | None, msg: str) -> LoadError:
    file = row.get("_file") or b.file
    row_no = row.get("_row")
    row_no = int(row_no) if row_no is not None and pd.notna(row_no) else None
    column = row.get("_column") if col in {"value", "year", "area"} else None
    return LoadError(str(file), row_no, column or col, msg)
