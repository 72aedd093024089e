"""What a load changed, kept in the ``revisions`` table (same transaction as the load).

A load replaces what its sources said about its indicators (``etl.load``). Just before its
writer clears a (source, indicator) pair (per chunk for a streamed file), the load's
:class:`Snapshot` copies the readings it is about to replace into a temporary table, with
their source's title, address and retrieval date as they were. After the new readings and
the load runs are written, :func:`record` compares and keeps, per figure (indicator, area,
year, series, source): ``revised`` when the value changed (the old value and its details),
``added`` when the figure is new, ``withdrawn`` when the new file no longer has it. A
re-load with identical values records nothing. The first load into an empty database is the
baseline: nothing is recorded for it.
"""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import (
    Boolean,
    Column,
    Connection,
    Float,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    and_,
    bindparam,
    exists,
    func,
    literal,
    select,
    update,
)

from store import schema

_tmp = MetaData()
_pairs = Table(
    "tmp_load_pairs",
    _tmp,
    Column("source", String(80), primary_key=True),
    Column("indicator", String(80), primary_key=True),
    Column("batch", Integer, nullable=False),
    Column("run", Integer),
    prefixes=["TEMPORARY"],
)
_previous = Table(
    "tmp_previous",
    _tmp,
    Column("indicator", String(80)),
    Column("area", String(9)),
    Column("year", Integer),
    Column("series", Text),
    Column("source", String(80)),
    Column("value", Float),
    Column("status", String(12)),
    Column("year_approx", Boolean),
    Column("note", Text),
    Column("excerpt", Text),
    Column("location", Text),
    Column("source_title", Text),
    Column("source_address", Text),
    Column("source_retrieved", Text),
    prefixes=["TEMPORARY"],
)
_sources = Table(  # the sources as they were before the load upserted its own
    "tmp_sources",
    _tmp,
    Column("code", String(80), primary_key=True),
    Column("title", Text),
    Column("address", Text),
    Column("retrieved", Text),
    prefixes=["TEMPORARY"],
)
Index(
    "ix_tmp_previous", *(_previous.c[k] for k in ("indicator", "area", "year", "series", "source"))
)

KEY = ("indicator", "area", "year", "series", "source")


class Snapshot:
    """The readings a load replaces, taken pair by pair just before the load's writer clears
    each (source, indicator) pair (:meth:`take`), so a file streamed chunk by chunk, whose
    pairs become known one chunk at a time, is covered like a small one."""

    def __init__(self, conn: Connection) -> None:
        self.conn = conn
        self.batch = 0  # the batch being written; a pair in several batches belongs to the last
        self.owner: dict[tuple[str, str], int] = {}

    def take(self, pairs: Iterable[tuple[str, str]]) -> None:
        """Before the writer clears ``pairs`` (source, indicator): copy the current readings
        of those not seen before in this load; the pairs belong to the current batch."""
        pairs = set(pairs)
        new = sorted(pairs - self.owner.keys())
        moved = sorted(x for x in pairs - set(new) if self.owner[x] != self.batch)
        self.owner.update(dict.fromkeys(pairs, self.batch))
        p, conn = _pairs, self.conn
        if moved:
            conn.execute(
                update(p)
                .where(p.c.source == bindparam("s_"), p.c.indicator == bindparam("i_"))
                .values(batch=self.batch),
                [{"s_": s_, "i_": i_} for s_, i_ in moved],
            )
        if not new:
            return
        conn.execute(p.insert(), [{"source": s_, "indicator": i_, "batch": -1} for s_, i_ in new])
        o, s = schema.observations, _sources
        columns = [*KEY, "value", "status", "year_approx", "note", "excerpt", "location"]
        rows = (
            select(*(o.c[c] for c in columns), s.c.title, s.c.address, s.c.retrieved)
            .join(p, and_(p.c.source == o.c.source, p.c.indicator == o.c.indicator))
            .join(s, s.c.code == o.c.source)
            .where(p.c.batch == -1)
        )
        extra = ["source_title", "source_address", "source_retrieved"]
        conn.execute(_previous.insert().from_select([*columns, *extra], rows))
        conn.execute(update(p).where(p.c.batch == -1).values(batch=self.batch))


def snapshot(conn: Connection) -> Snapshot | None:
    """Before a load writes: an empty snapshot, filled by :meth:`Snapshot.take` as the load
    clears its pairs. None when the database has no observations yet (the baseline: nothing
    will be recorded)."""
    if not conn.execute(select(exists().select_from(schema.observations))).scalar():
        return None
    for t in (_pairs, _previous, _sources):
        t.drop(conn, checkfirst=True)
        t.create(conn)
    s = schema.sources
    conn.execute(
        _sources.insert().from_select(
            ["code", "title", "address", "retrieved"],
            select(s.c.code, s.c.title, s.c.address, s.c.retrieved),
        )
    )
    return Snapshot(conn)


def _same_key(a: Table, b: Table):  # noqa: ANN202
    return and_(*(a.c[k] == b.c[k] for k in KEY))


def record(conn: Connection, snap: Snapshot | None, runs: list[int]) -> int:
    """After a load wrote its readings and its load runs (``runs[i]`` the run of batch i):
    write what changed into ``revisions``; returns the number of rows written."""
    if snap is None:
        return 0
    o, r, p, prev = schema.observations, schema.revisions, _pairs, _previous
    conn.execute(
        update(p).where(p.c.batch == bindparam("b_")).values(run=bindparam("r_")),
        [{"b_": i, "r_": run} for i, run in enumerate(runs)],
    )
    pair = and_(p.c.source == prev.c.source, p.c.indicator == prev.c.indicator)
    old = [
        prev.c.value,
        prev.c.status,
        prev.c.year_approx,
        prev.c.note,
        prev.c.excerpt,
        prev.c.location,
        prev.c.source_title,
        prev.c.source_address,
        prev.c.source_retrieved,
    ]
    old_names = [
        "old_value",
        "old_status",
        "old_year_approx",
        "old_note",
        "old_excerpt",
        "old_location",
        "old_source_title",
        "old_source_address",
        "old_source_retrieved",
    ]
    before = conn.execute(select(func.count()).select_from(r)).scalar() or 0
    revised = (
        select(*(prev.c[k] for k in KEY), literal("revised"), p.c.run, o.c.value, *old)
        .join(p, pair)
        .join(o, _same_key(o, prev))
        .where(o.c.value != prev.c.value)
    )
    withdrawn = (
        select(*(prev.c[k] for k in KEY), literal("withdrawn"), p.c.run, *old)
        .join(p, pair)
        .outerjoin(o, _same_key(o, prev))
        .where(o.c.indicator.is_(None))
    )
    added = (
        select(*(o.c[k] for k in KEY), literal("added"), p.c.run, o.c.value)
        .join(p, and_(p.c.source == o.c.source, p.c.indicator == o.c.indicator))
        .outerjoin(prev, _same_key(o, prev))
        .where(prev.c.indicator.is_(None))
    )
    head = [*KEY, "kind", "load_run"]
    conn.execute(r.insert().from_select([*head, "new_value", *old_names], revised))
    conn.execute(r.insert().from_select([*head, *old_names], withdrawn))
    conn.execute(r.insert().from_select([*head, "new_value"], added))
    for t in (_previous, _pairs, _sources):
        t.drop(conn)
    return (conn.execute(select(func.count()).select_from(r)).scalar() or 0) - before


__all__ = ["Snapshot", "record", "snapshot"]
