"""What `python -m etl build` keeps: a database built from an unchanged data/ is current.

The build stores a checksum of every curated file it read (``etl.adapters.curated.files``)
in the database's ``meta`` table. The next build compares: unchanged data/ and boundaries
present means nothing to do, so figures added since with ``python -m etl load`` stay.
A changed data/ is loaded again on top (each (source, indicator) it carries is replaced,
other sources' readings are kept); ``--fresh`` drops everything first.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import logging
from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path

from sqlalchemy import Connection, Engine, func, inspect, select

from etl import revisions, source_addresses
from etl.adapters import curated
from store import schema

log = logging.getLogger(__name__)

CHECKSUM_KEY, BUILT_AT_KEY, SCHEMA_KEY = "data_checksum", "data_built_at", "schema"


def drop_all(engine: Engine) -> None:
    """Drop every table and view of the schema, also those of an older layout (where
    ``observations`` or ``revisions`` was a table, not a view)."""
    old = set(schema.views.tables) & set(inspect(engine).get_table_names())
    if old:
        with engine.begin() as conn:
            for name in sorted(old):
                conn.exec_driver_sql(f"DROP TABLE {name}")
    schema.metadata.drop_all(engine)


def schema_signature() -> str:
    """The tables and columns this code declares: a database built with others is rebuilt."""
    return ";".join(
        f"{t.name}({','.join(c.name for c in t.columns)})"
        for t in sorted(schema.metadata.tables.values(), key=lambda t: t.name)
    )


# The revisions table before revision_values (text keys, a column per old detail).
OLD_REVISIONS = (
    "revisions(id,indicator,area,year,series,source,kind,load_run,old_value,new_value,"
    "old_status,old_year_approx,old_note,old_excerpt,old_location,old_source_title,"
    "old_source_address,old_source_retrieved)"
)


def _with_copy_address(signature: str) -> str:
    """A stored signature with ``sources.copy_address`` added where the code before it had
    only ``address`` (the two addresses in one string, see :mod:`etl.source_addresses`)."""
    return signature.replace(
        "sources(code,title,publisher,address,license,",
        ("sources(code,title,publisher,address,copy_address,license,"),
    )


def _signature_before_revision_pairs() -> str:
    """:func:`schema_signature` as the code before revision_pairs stamped it."""
    pairs = f"{schema.revision_pairs.name}("
    return ";".join(e for e in schema_signature().split(";") if not e.startswith(pairs))


def _signature_before_revision_values() -> str:
    """:func:`schema_signature` as the code before revision_values stamped it."""
    entries = [
        e
        for e in _signature_before_revision_pairs().split(";")
        if not e.startswith(("revision_values(", "revision_details("))
    ]
    return ";".join(sorted([*entries, OLD_REVISIONS], key=lambda e: e.split("(")[0]))


@dataclass(frozen=True)
class BuildState:
    """What the database says about its last build (empty strings: never built)."""

    checksum: str = ""
    built_at: str = ""
    has_boundaries: bool = False
    schema: str = ""


def data_checksum(data: Path) -> str:
    """SHA-256 over the curated files a build reads (names relative to ``data``, contents)."""
    digest = hashlib.sha256()
    for f in curated.files(data):
        digest.update(str(f.relative_to(data)).encode())
        digest.update(b"\0")
        digest.update(f.read_bytes())
    return digest.hexdigest()


def state(engine: Engine) -> BuildState:
    """The stored checksum and build time, and whether boundaries are loaded."""
    tables = set(inspect(engine).get_table_names())
    if not {"meta", "boundaries"} <= tables:
        return BuildState()
    m = schema.meta
    with engine.connect() as conn:
        stored = {row.key: row.value for row in conn.execute(select(m.c["key"], m.c.value))}
        n = conn.execute(select(func.count()).select_from(schema.boundaries)).scalar()
    return BuildState(
        stored.get(CHECKSUM_KEY, ""),
        stored.get(BUILT_AT_KEY, ""),
        bool(n),
        stored.get(SCHEMA_KEY, ""),
    )


def upgrade(engine: Engine, current: BuildState) -> BuildState:
    """A database whose schema differs from this code's only by an older revision history
    (the ``revisions`` table of text keys, or ``revision_values`` without ``revision_pairs``):
    its history moved (:func:`etl.revisions.migrate`) or completed
    (:func:`etl.revisions.add_pairs`), or whose sources keep both addresses in one string
    (:func:`etl.source_addresses.upgrade`), or that lacks a column added later
    (:data:`ADDED_COLUMNS`, filled by the next load of the curated data): upgraded and the
    schema stamped current, instead of a rebuild from scratch that would lose what was loaded
    since."""
    if not current.schema:
        return current
    before = current.schema
    if _with_copy_address(current.schema) != current.schema and source_addresses.missing(engine):
        source_addresses.upgrade(engine)
        current = replace(current, schema=_with_copy_address(current.schema))
    current = _add_columns(engine, current)
    tables = set(inspect(engine).get_table_names())
    if current.schema == schema_signature():
        if current.schema == before:
            return current
    elif current.schema == _signature_before_revision_values():
        if "revisions" not in tables or "observations" in tables:
            return current
        revisions.migrate(engine)
    elif current.schema == _signature_before_revision_pairs():
        if schema.revision_values.name not in tables:
            return current
        if schema.revision_pairs.name not in tables:
            revisions.add_pairs(engine)
    else:
        return current
    _stamp_schema(engine)
    return replace(current, schema=schema_signature())


def _stamp_schema(engine: Engine) -> None:
    with engine.begin() as conn:
        conn.execute(
            schema.meta.update()
            .where(schema.meta.c.key == SCHEMA_KEY)
            .values(value=schema_signature())
        )


# Columns added to a table after databases were built without them: (table, column, SQL type).
ADDED_COLUMNS = (("indicators", "kind", "VARCHAR(8)"), ("targets", "set_for", "VARCHAR(9)"))


def _entry(table: str, without: str | None = None) -> str:
    t = schema.metadata.tables[table]
    return f"{t.name}({','.join(c.name for c in t.columns if c.name != without)})"


def _add_columns(engine: Engine, current: BuildState) -> BuildState:
    """A database built before a column of :data:`ADDED_COLUMNS`: the column added (empty
    until the curated data is loaded again, which the cleared checksum makes the next build
    do), and the state's schema read as having it."""
    entries = current.schema.split(";")
    for table, column, sql_type in ADDED_COLUMNS:
        old = _entry(table, without=column)
        if old not in entries:
            continue
        log.warning("adding %s.%s to the database (once)", table, column)
        with engine.begin() as conn:
            conn.exec_driver_sql(f"ALTER TABLE {table} ADD COLUMN {column} {sql_type}")
            conn.execute(
                schema.meta.update().where(schema.meta.c.key == CHECKSUM_KEY).values(value="")
            )
        entries = [_entry(table) if e == old else e for e in entries]
        current = replace(current, schema=";".join(entries), checksum="")
    return current


def stamp(checksum: str) -> Callable[[Connection], None]:
    """A step for :func:`etl.load.load` that records the build in the same transaction."""

    def write(conn: Connection) -> None:
        from etl.load import _insert

        now = dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M UTC")
        stmt = _insert(conn, schema.meta)
        stmt = stmt.on_conflict_do_update(
            index_elements=["key"], set_={"value": stmt.excluded.value}
        )
        conn.execute(
            stmt,
            [
                {"key": CHECKSUM_KEY, "value": checksum},
                {"key": BUILT_AT_KEY, "value": now},
                {"key": SCHEMA_KEY, "value": schema_signature()},
            ],
        )

    return write


__all__ = [
    "BuildState",
    "data_checksum",
    "drop_all",
    "schema_signature",
    "stamp",
    "state",
    "upgrade",
]
