"""Write validated batches to the database in one transaction.

Observations of a (source, indicator) pair that a batch carries replace what that
source said before about that indicator, so re-loading a file is idempotent and a
corrected file leaves no stale rows; a batch that replaces figures (a submission,
``Batch.replaces``) replaces only the figures it carries. Everything else is upserted on
its key.
Loads are bulk: executemany in chunks, never one ORM object per row.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

import pandas as pd
from sqlalchemy import Connection, Engine, Table, bindparam, delete, inspect, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.exc import IntegrityError
from tqdm import tqdm

from etl import revisions, source_addresses
from etl.batch import Batch, LoadError, ValidationFailed, WarningsNeedAcceptance
from etl.validate import StreamChecks, _pairs, known_codes, units_of, validate
from etl.write_obs import ObservationWriter, drop_foreign_keys
from store import schema

log = logging.getLogger(__name__)
CHUNK = 20_000
BULK_CACHE_KB = 32 * 1024  # the page cache of a load's connection
ANALYSIS_LIMIT = 1000  # rows of each index ANALYZE samples (SQLite)


@dataclass
class LoadReport:
    files: list[str] = field(default_factory=list)
    files_read: int = 0  # files, counting each file read inside a folder
    rows_read: int = 0
    rows_loaded: int = 0
    rows_rejected: int = 0
    observations: int = 0
    errors: list[LoadError] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    changes: int | None = None  # rows written to `revisions`; None for a baseline load


def ensure_schema(engine: Engine) -> None:
    """Create missing tables (a no-op on an existing database of this schema).

    A database of the layout before integer keys (``observations`` a table) is refused:
    ``python -m etl build`` rebuilds it. One whose revision history is still the ``revisions``
    table of text keys has it moved into ``revision_values`` (:func:`etl.revisions.migrate`);
    one without ``revision_pairs`` gets it (:func:`etl.revisions.add_pairs`); one without
    ``sources.copy_address`` gets it (:func:`etl.source_addresses.upgrade`)."""
    if source_addresses.missing(engine):
        source_addresses.upgrade(engine)
    existing = set(inspect(engine).get_table_names())
    if "revisions" in existing and "observations" not in existing:
        revisions.migrate(engine)
        existing = set(inspect(engine).get_table_names())
    if "revision_values" in existing and schema.revision_pairs.name not in existing:
        revisions.add_pairs(engine)
        existing = set(inspect(engine).get_table_names())
    if "observations" in existing:
        raise ValidationFailed(
            [
                LoadError(
                    str(engine.url.render_as_string(hide_password=True)),
                    None,
                    None,
                    "the database was built by an older version of this code (observations "
                    "stored as text): run `python -m etl build`, which rebuilds it, then load "
                    "again",
                )
            ]
        )
    if not set(schema.metadata.tables) <= existing:
        schema.metadata.create_all(engine)
    drop_foreign_keys(engine)


def load(
    engine: Engine,
    batches: list[Batch],
    *,
    dry_run: bool = False,
    progress: bool | None = None,
    accept_warnings: bool = False,
    before_write: Callable[[Connection], None] | None = None,
    record_changes: bool = True,
) -> LoadReport:
    """Validate the batches together, then write them in one transaction (unless dry_run).

    ``before_write`` runs first inside that transaction (e.g. to record a build).
    What the load changes is kept in ``revisions`` (see :mod:`etl.revisions`) unless
    ``record_changes`` is false or the database held no observations (a baseline).
    Raises ValidationFailed (nothing written) if any batch has an error, and
    WarningsNeedAcceptance if plausibility checks warned and ``accept_warnings`` is false.
    """
    report = LoadReport(files=[b.file for b in batches])
    report.files_read = sum(len(b.files_read) or 1 for b in batches)
    report.rows_read = sum(b.rows_read for b in batches)
    report.warnings = [w for b in batches for w in b.warnings]
    report.rows_rejected = sum(getattr(b, "rows_skipped", 0) for b in batches)
    doubts: list[LoadError] = []
    if dry_run and not _has_schema(engine):
        errors = validate(batches, None, doubts)
    else:
        if not dry_run:
            ensure_schema(engine)
        with engine.connect() as conn:
            # A load checks its large files while it writes them (one read of each; a failed
            # check rolls everything back); it reads them here only to report their errors
            # together with the others'.
            errors = validate(batches, conn, doubts, streams=dry_run)
            if errors and not dry_run:
                errors = validate(batches, conn, [], streams=True)
    if errors:
        report.errors = errors
        raise ValidationFailed(errors)
    if dry_run:
        report.rows_read += sum(s.rows for b in batches for s in b.streams)
        if doubts and not accept_warnings:
            raise WarningsNeedAcceptance(doubts)
        report.warnings += [f"implausible, accepted: {d}" for d in doubts]
        report.observations = sum(
            len(b.observations) + sum(s.rows for s in b.streams) for b in batches
        )
        return report
    try:
        _write(
            engine, batches, report, progress, before_write, doubts, accept_warnings, record_changes
        )
    except IntegrityError as exc:  # a rule the checks above missed: nothing was written
        reason = str(exc.orig).splitlines()[0] if exc.orig else str(exc).splitlines()[0]
        raise ValidationFailed(
            [LoadError(", ".join(report.files), None, None, f"the database refused: {reason}")]
        ) from None
    return report


def _write(
    engine: Engine,
    batches: list[Batch],
    report: LoadReport,
    progress: bool | None,
    before_write: Callable[[Connection], None] | None,
    doubts: list[LoadError],
    accept_warnings: bool,
    record_changes: bool = True,
) -> None:
    """Everything of the batches in one transaction (``before_write`` first); the streams
    are checked as they are written, and their errors (or unaccepted plausibility warnings)
    roll the whole transaction back."""
    started = dt.datetime.now(dt.UTC).replace(tzinfo=None)
    with _bulk_connection(engine) as conn, conn.begin():
        if before_write is not None:
            before_write(conn)
        snap = revisions.snapshot(conn) if record_changes else None
        for b in batches:
            _upsert(conn, schema.sources, b.sources, ["code"])
        for b in batches:
            _upsert(conn, schema.areas, _parents_first(b.areas), ["kato"])
            _upsert(conn, schema.area_aliases, b.aliases, ["key", "kato"])
            _upsert(conn, schema.area_successors, b.successors, ["predecessor"])
        for b in batches:
            report.warnings += _upsert_indicators(conn, b)
            _upsert(conn, schema.programs, b.programs, ["code"])
        writer = ObservationWriter(conn)
        if snap is not None:
            writer.before_clear = snap.take  # each pair's readings, just before they go
        known, units = known_codes(conn), units_of(batches, conn)
        for i, b in enumerate(batches):
            if snap is not None:
                snap.batch = i
            report.observations += _replace_observations(
                writer, b, progress, StreamChecks(b, known, units, doubts)
            )
        report.rows_read += sum(s.rows for b in batches for s in b.streams)
        if doubts and not accept_warnings:
            raise WarningsNeedAcceptance(doubts)
        report.warnings += [f"implausible, accepted: {d}" for d in doubts]
        for b in batches:
            _upsert(
                conn, schema.targets, b.targets, ["program", "indicator", "area", "target_year"]
            )
            _upsert(conn, schema.boundaries, b.boundaries, ["area", "vintage"])
            _upsert(conn, schema.area_sizes, b.area_sizes, ["area", "vintage"])
            _replace_sheets(conn, b.sheet_reports)
        finished = dt.datetime.now(dt.UTC).replace(tzinfo=None)
        runs = []
        for b in batches:
            loaded = _rows_from_file(b)
            report.rows_loaded += loaded
            result = conn.execute(
                schema.load_runs.insert(),
                {
                    "file": b.file,
                    "format": b.format,
                    "checksum": b.checksum,
                    "rows_read": b.rows_read,
                    "rows_loaded": loaded,
                    "rows_rejected": getattr(b, "rows_skipped", 0),
                    "status": "loaded",
                    "started_at": started,
                    "finished_at": finished,
                    "message": "; ".join(b.warnings)[:2000] or None,
                },
            )
            runs.append(result.inserted_primary_key[0])
        if snap is not None:
            report.changes = revisions.record(conn, snap, runs)
        _check_foreign_keys(conn)
        _analyze(conn)
        _bump_version(conn)


def _replace_sheets(conn: Connection, reports: list[dict]) -> None:
    """The sheet reports of a workbook replace what an earlier load said about its sources."""
    rows = _clean(reports, schema.load_sheets)
    if not rows:
        return
    t = schema.load_sheets
    for source in sorted({r["source"] for r in rows}):
        conn.execute(delete(t).where(t.c.source == source))
    _upsert(conn, t, rows, ["source", "file", "sheet"])


def _rows_from_file(b: Batch) -> int:
    """Rows written that were read from the batch's file(s).

    Observations, targets and boundaries always are; catalogue rows (sources, indicators,
    areas, ...) only when read from a file (they carry ``_row``), not when an adapter
    supplies them itself, so "loaded" is never more than what the file held.
    """
    catalogue = [*b.areas, *b.aliases, *b.indicators, *b.sources, *b.programs]
    return (
        len(b.observations)
        + sum(s.rows for s in b.streams)
        + len(b.targets)
        + len(b.boundaries)
        + sum(1 for r in catalogue if r.get("_row") is not None)
    )


def _has_schema(engine: Engine) -> bool:
    return schema.observation_values.name in inspect(engine).get_table_names()


def _clean(rows: list[dict], table: Table) -> list[dict]:
    cols = set(table.c.keys())
    return [{k: v for k, v in r.items() if k in cols} for r in rows]


def _insert(conn: Connection, table: Table):  # noqa: ANN202
    return (postgresql.insert if conn.dialect.name == "postgresql" else sqlite.insert)(table)


def _upsert(conn: Connection, table: Table, rows: list[dict], keys: list[str]) -> None:
    rows = _clean(rows, table)
    if not rows:
        return
    columns = list(dict.fromkeys(k for r in rows for k in r))  # every row's columns
    rows = [{c: r.get(c) for c in columns} for r in rows]
    stmt = _insert(conn, table)
    updates = {c: stmt.excluded[c] for c in columns if c not in keys}
    stmt = (
        stmt.on_conflict_do_update(index_elements=keys, set_=updates)
        if updates
        else stmt.on_conflict_do_nothing(index_elements=keys)
    )
    for start in range(0, len(rows), CHUNK):
        conn.execute(stmt, rows[start : start + CHUNK])


def _upsert_indicators(conn: Connection, b: Batch) -> list[str]:
    """Insert new indicators; redefine an existing one only from the catalogue (a batch with
    the area catalogue) or from the source the indicator prefers. Returns warnings."""
    if not b.indicators:
        return []
    if b.areas:
        _upsert(conn, schema.indicators, b.indicators, ["code"])
        return []
    own = {r["code"] for r in b.sources}
    stored = dict(
        conn.execute(
            select(schema.indicators.c.code, schema.indicators.c.preferred_source).where(
                schema.indicators.c.code.in_([r["code"] for r in b.indicators])
            )
        ).all()
    )
    mine = [r for r in b.indicators if r["code"] not in stored or stored[r["code"]] in own]
    kept = sorted(r["code"] for r in b.indicators if r not in mine)
    _upsert(conn, schema.indicators, mine, ["code"])
    if not kept:
        return []
    shown = ", ".join(kept[:10]) + (f" and {len(kept) - 10} more" if len(kept) > 10 else "")
    return [
        f"{b.file}: kept the definitions of {len(kept)} indicator(s) another source owns: {shown}"
    ]


def _parents_first(areas: list[dict]) -> list[dict]:
    """Areas ordered so that every parent is written before its children."""
    parent_of = {r["kato"]: r.get("parent") for r in areas}

    def depth(kato: str) -> int:
        d, seen = 0, set()
        while parent_of.get(kato) and kato not in seen:
            seen.add(kato)
            kato, d = parent_of[kato], d + 1
        return d

    return sorted(areas, key=lambda r: (depth(r["kato"]), r["kato"]))


def _replace_observations(
    writer: ObservationWriter, b: Batch, progress: bool | None, checks: StreamChecks
) -> int:
    """Replace what the batch's sources said about its indicators: the held observations,
    then each stream chunk by chunk, each chunk checked, then written (a log line for each).
    Raises ValidationFailed after the last chunk if a check failed (the caller rolls back)."""
    obs = b.observations
    if b.replaces == "figures":
        writer.clear_figures(obs)
    elif not obs.empty:
        writer.clear(_pairs(obs))
    written = _with_bar(writer, obs, progress)
    for stream in b.streams:
        check = checks.start(stream)
        done, refused = 0, None
        for chunk in stream.chunks(check.errors):
            pairs = check.chunk(chunk)
            if check.errors or refused is not None:
                continue  # keep checking to report every error; write no more
            writer.clear(pairs)
            try:
                done += writer.insert(chunk)
            except writer.conn.dialect.dbapi.IntegrityError as exc:
                refused = exc  # a duplicate of an earlier chunk: the check names its rows
                continue
            log.info("%s: %d rows written", stream.file, done)
        errors = check.finish()
        if errors:
            raise ValidationFailed(errors)
        if refused is not None:
            raise refused
        written += done
    return written


def _with_bar(writer: ObservationWriter, obs: pd.DataFrame, progress: bool | None) -> int:
    """Insert held observations in chunks, with a progress bar on a terminal."""
    with tqdm(
        total=len(obs), unit="obs", desc="observations", disable=_no_bar(progress), leave=False
    ) as bar:
        for start in range(0, len(obs), CHUNK):
            bar.update(writer.insert(obs.iloc[start : start + CHUNK]))
    return len(obs)


def _analyze(conn: Connection) -> None:
    """Refresh the planner's statistics (sampled: a fraction of a second at national scale),
    so that "everything about one area" walks the primary key once per indicator instead of
    scanning every observation."""
    if conn.dialect.name == "sqlite":
        conn.exec_driver_sql(f"PRAGMA analysis_limit={ANALYSIS_LIMIT}")
        conn.exec_driver_sql("ANALYZE")
    elif conn.dialect.name == "postgresql":
        for t in (*schema.STORAGE_TABLES, schema.areas.name, schema.indicators.name):
            conn.exec_driver_sql(f"ANALYZE {t}")


@contextmanager
def _bulk_connection(engine: Engine) -> Iterator[Connection]:
    """The load's connection. On SQLite: a larger page cache, and foreign keys checked once
    at the end (:func:`_check_foreign_keys`) instead of on every row inserted (PRAGMA
    foreign_keys can only change outside a transaction; it is back on when the load ends)."""
    with engine.connect() as conn:
        if conn.dialect.name != "sqlite":
            yield conn
            return
        conn.exec_driver_sql(f"PRAGMA cache_size=-{BULK_CACHE_KB}")
        conn.exec_driver_sql("PRAGMA foreign_keys=OFF")
        conn.commit()
        try:
            yield conn
        finally:
            conn.rollback()
            conn.exec_driver_sql("PRAGMA foreign_keys=ON")
            conn.commit()


def _check_foreign_keys(conn: Connection) -> None:
    """On SQLite, where a load writes with foreign keys off: every reference of every table
    must hold before the commit (raises IntegrityError, which rolls the load back). The rows
    of observation_values and revision_values are left out: their ids are looked up in the id
    tables the same transaction fills (and the load runs it writes), so they cannot point
    nowhere, and checking 3 million rows would cost as much as writing them."""
    if conn.dialect.name != "sqlite":
        return
    for table in schema.metadata.sorted_tables:
        if table in (schema.observation_values, schema.revision_values):
            continue
        broken = conn.exec_driver_sql(f"PRAGMA foreign_key_check({table.name})").first()
        if broken is not None:
            raise IntegrityError(
                f"PRAGMA foreign_key_check({table.name})",
                None,
                Exception(
                    f"FOREIGN KEY constraint failed: {broken[0]} row {broken[1]} refers to "
                    f"a missing row of {broken[2]}"
                ),
            )


def _bind(name: str):  # noqa: ANN202
    return bindparam(name)


def _no_bar(progress: bool | None) -> bool | None:
    if progress is None:
        return None  # tqdm: off when not a terminal
    return not progress


def _bump_version(conn: Connection) -> None:
    current = conn.execute(
        select(schema.meta.c.value).where(schema.meta.c.key == "data_version")
    ).scalar()
    if current is None:
        conn.execute(schema.meta.insert(), {"key": "data_version", "value": "1"})
    else:
        conn.execute(
            update(schema.meta)
            .where(schema.meta.c.key == "data_version")
            .values(value=str(int(current) + 1))
        )


__all__ = ["LoadReport", "ensure_schema", "load"]
