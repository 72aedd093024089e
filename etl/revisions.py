"""What a load changed, kept in the revision history (same transaction as the load).

A load replaces what its sources said about its indicators (``etl.load``). Just before its
writer clears a (source, indicator) pair (per chunk for a streamed file), the load's
:class:`Snapshot` copies the readings it is about to replace into a temporary table, by their
integer ids, with their source's title, address and retrieval date as they were. After the new
readings and the load runs are written, :func:`record` compares and keeps, per figure
(indicator, area, year, series, source): ``revised`` when the value changed (the old value and
its details), ``added`` when the figure is new, ``withdrawn`` when the new file no longer has
it. Everything is ``INSERT ... SELECT`` on the ids (``revision_values``, the old values'
details in ``revision_details``; read through the ``revisions`` view). A pair that had no
readings before the load is one ``revision_pairs`` row instead of an ``added`` row per figure
(the view lists its figures); before a figure of such a pair is revised or withdrawn, its
``added`` row is written out (:func:`_materialize`), so the view reads as a row per figure
would. A re-load with identical values records nothing. The first load into an empty
database is the baseline: nothing is recorded for it.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable

from sqlalchemy import (
    Boolean,
    Column,
    Connection,
    Engine,
    Float,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    and_,
    bindparam,
    case,
    cast,
    exists,
    func,
    literal,
    select,
    update,
)

from store import schema

log = logging.getLogger(__name__)

_tmp = MetaData()
_pairs = Table(
    "tmp_load_pairs",
    _tmp,
    Column("source", String(80), primary_key=True),
    Column("indicator", String(80), primary_key=True),
    Column("batch", Integer, nullable=False),
    Column("run", Integer),
    Column("source_id", Integer),
    Column("indicator_id", Integer),
    Column("fresh", Boolean, comment="the pair had no readings before the load"),
    prefixes=["TEMPORARY"],
)
_previous = Table(
    "tmp_previous",
    _tmp,
    Column("seq", Integer, primary_key=True, autoincrement=True),
    Column("indicator_id", Integer),
    Column("area_id", Integer),
    Column("year", Integer),
    Column("series", Text),
    Column("source_id", Integer),
    Column("value", Float),
    Column("status", String(12)),
    Column("year_approx", Boolean),
    Column("note_id", Integer),
    Column("cell", Text),
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
KEY = ("indicator_id", "area_id", "year", "series", "source_id")
Index("ix_tmp_previous", *(_previous.c[k] for k in KEY), unique=True)


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
        _pair_ids(conn)
        known = conn.execute(
            select(p.c.source_id, p.c.indicator_id).where(
                p.c.batch == -1, p.c.source_id.is_not(None), p.c.indicator_id.is_not(None)
            )
        ).all()
        if known:  # pair by pair: a lookup on the primary key, whatever the planner's stats say
            o, s, si = schema.observation_values, _sources, schema.source_ids
            columns = [*KEY, "value", "status", "year_approx", "note_id", "cell"]
            rows = (
                select(*(o.c[c] for c in columns), s.c.title, s.c.address, s.c.retrieved)
                .join(si, si.c.id == o.c.source_id)
                .join(s, s.c.code == si.c.code)
                .where(o.c.indicator_id == bindparam("i_"), o.c.source_id == bindparam("s_"))
            )
            extra = ["source_title", "source_address", "source_retrieved"]
            conn.execute(
                _previous.insert().from_select([*columns, *extra], rows),
                [{"s_": s_, "i_": i_} for s_, i_ in known],
            )
        conn.execute(update(p).where(p.c.batch == -1).values(batch=self.batch))


def _pair_ids(conn: Connection) -> None:
    """The ids of the pairs' codes (those the database knows; new codes get theirs when the
    writer writes, see :func:`record`)."""
    p, si, ii = _pairs, schema.source_ids, schema.indicator_ids
    conn.execute(
        update(p)
        .where(p.c.source_id.is_(None) | p.c.indicator_id.is_(None))
        .values(
            source_id=select(si.c.id).where(si.c.code == p.c.source).scalar_subquery(),
            indicator_id=select(ii.c.id).where(ii.c.code == p.c.indicator).scalar_subquery(),
        )
    )


def snapshot(conn: Connection) -> Snapshot | None:
    """Before a load writes: an empty snapshot, filled by :meth:`Snapshot.take` as the load
    clears its pairs. None when the database has no observations yet (the baseline: nothing
    will be recorded)."""
    if not conn.execute(select(exists().select_from(schema.observation_values))).scalar():
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
    write what changed into ``revision_values``, ``revision_details`` and ``revision_pairs``;
    returns the number of figures recorded (those of wholly new pairs included)."""
    if snap is None:
        return 0
    o, v, d, p, prev = (
        schema.observation_values,
        schema.revision_values,
        schema.revision_details,
        _pairs,
        _previous,
    )
    n = schema.observation_notes
    conn.execute(
        update(p).where(p.c.batch == bindparam("b_")).values(run=bindparam("r_")),
        [{"b_": i, "r_": run} for i, run in enumerate(runs)],
    )
    _pair_ids(conn)  # codes new to the database have their ids now
    pair = and_(p.c.source_id == prev.c.source_id, p.c.indicator_id == prev.c.indicator_id)
    base = conn.execute(select(func.coalesce(func.max(d.c.id), 0))).scalar()
    changed = (  # the snapshot's figures revised or withdrawn, with their kind and new value
        select(
            prev,
            p.c.run,
            o.c.value.label("new_value"),
            case((o.c.year.is_(None), literal("withdrawn")), else_=literal("revised")).label(
                "kind"
            ),
        )
        .join(p, pair)
        .outerjoin(o, _same_key(o, prev))
        .where(o.c.year.is_(None) | (o.c.value != prev.c.value))
        .subquery()
    )
    _materialize(conn, changed)
    location = (n.c.place + func.coalesce(changed.c.cell, "")).label("location")
    conn.execute(
        d.insert().from_select(
            [c.name for c in d.columns],
            select(
                (changed.c.seq + base).label("id"),
                changed.c.status,
                changed.c.year_approx,
                n.c.note,
                n.c.excerpt,
                location,
                changed.c.source_title,
                changed.c.source_address,
                changed.c.source_retrieved,
            ).outerjoin(n, n.c.id == changed.c.note_id),
        )
    )
    head = ["load_run", *KEY, "kind", "new_value"]
    conn.execute(
        v.insert().from_select(
            [*head, "old_value", "detail_id"],
            select(
                changed.c.run,
                *(changed.c[k] for k in KEY),
                changed.c.kind,
                changed.c.new_value,
                changed.c.value,
                (changed.c.seq + base).label("detail_id"),
            ),
        )
    )
    had = select(prev.c.seq).where(pair).limit(1)
    conn.execute(update(p).values(fresh=~exists(had)))
    rp = schema.revision_pairs
    fresh = conn.execute(
        select(p.c.run, p.c.indicator_id, p.c.source_id).where(p.c.fresh == True)  # noqa: E712
    ).all()
    if fresh:  # a wholly new pair: one row for all its figures (counted on the primary key)
        conn.execute(
            rp.insert().from_select(
                ["load_run", "indicator_id", "source_id", "figures"],
                select(*(cast(bindparam(k), Integer) for k in ("r_", "i_", "s_")), func.count())
                .where(o.c.indicator_id == bindparam("i_"), o.c.source_id == bindparam("s_"))
                .having(func.count() > 0),
            ),
            [{"r_": r_, "i_": i_, "s_": s_} for r_, i_, s_ in fresh],
        )
    added = (
        select(p.c.run, *(o.c[k] for k in KEY), literal("added"), o.c.value)
        .join(p, and_(p.c.source_id == o.c.source_id, p.c.indicator_id == o.c.indicator_id))
        .outerjoin(prev, _same_key(o, prev))
        .where(p.c.fresh == False, prev.c.seq.is_(None))  # noqa: E712
    )
    conn.execute(v.insert().from_select(head, added))
    done = sorted(set(runs))
    count = (
        conn.execute(select(func.count()).select_from(v).where(v.c.load_run.in_(done))).scalar()
        + conn.execute(
            select(func.coalesce(func.sum(rp.c.figures), 0)).where(rp.c.load_run.in_(done))
        ).scalar()
    )
    for t in (_previous, _pairs, _sources):
        t.drop(conn)
    return count


def _materialize(conn: Connection, changed) -> None:  # noqa: ANN001
    """Before ``changed`` figures are revised or withdrawn: the "added" row of each whose
    addition is still implicit (its pair's latest ``revision_pairs`` row R, no explicit row of
    the figure at R or later) written explicitly at R, with the value it is losing, which is
    the value as added (the figure was unchanged since R)."""
    v, rp = schema.revision_values, schema.revision_pairs
    q = rp.alias("q")
    same_pair = and_(
        rp.c.indicator_id == changed.c.indicator_id, rp.c.source_id == changed.c.source_id
    )
    latest = select(func.max(q.c.load_run)).where(
        q.c.indicator_id == changed.c.indicator_id, q.c.source_id == changed.c.source_id
    )
    explicit = select(v.c.load_run).where(
        *(v.c[k] == changed.c[k] for k in KEY), v.c.load_run >= rp.c.load_run
    )
    conn.execute(
        v.insert().from_select(
            ["load_run", *KEY, "kind", "new_value"],
            select(rp.c.load_run, *(changed.c[k] for k in KEY), literal("added"), changed.c.value)
            .join(rp, same_pair)
            .where(rp.c.load_run == latest.scalar_subquery(), ~exists(explicit)),
        )
    )


_MIGRATE = """
INSERT INTO revision_details (id, status, year_approx, note, excerpt, location, source_title,
                              source_address, source_retrieved)
SELECT id, old_status, old_year_approx, old_note, old_excerpt, old_location, old_source_title,
       old_source_address, old_source_retrieved
FROM revisions_text WHERE kind <> 'added';
INSERT INTO revision_values (load_run, indicator_id, area_id, year, series, source_id, kind,
                             new_value, old_value, detail_id)
SELECT r.load_run, i.id, a.id, r.year, r.series, s.id, r.kind, r.new_value, r.old_value,
       CASE WHEN r.kind = 'added' THEN NULL ELSE r.id END
FROM revisions_text r
JOIN indicator_ids i ON i.code = r.indicator
JOIN area_ids a ON a.code = r.area
JOIN source_ids s ON s.code = r.source;
DROP TABLE revisions_text
"""


def migrate(engine: Engine) -> None:
    """Move a revision history kept in the older ``revisions`` table (text keys, one column
    per old detail) into ``revision_values`` and ``revision_details`` (the ``revisions`` view
    reads them as before), in one transaction; nothing is lost."""
    log.warning("moving the revision history into its integer-key tables (once)")
    with engine.begin() as conn:
        conn.exec_driver_sql("ALTER TABLE revisions RENAME TO revisions_text")
        for index in ("ix_revisions_key", "ix_revisions_run"):
            conn.exec_driver_sql(f"DROP INDEX IF EXISTS {index}")
        schema.metadata.create_all(conn)
        for ids, column in (
            (schema.indicator_ids, "indicator"),
            (schema.area_ids, "area"),
            (schema.source_ids, "source"),
        ):
            conn.exec_driver_sql(
                f"INSERT INTO {ids.name} (code) SELECT DISTINCT {column} FROM revisions_text "
                f"WHERE {column} NOT IN (SELECT code FROM {ids.name}) ORDER BY {column}"
            )
        for statement in _MIGRATE.split(";"):
            conn.exec_driver_sql(statement)


def add_pairs(engine: Engine) -> None:
    """A database whose history predates ``revision_pairs`` (every added figure a row of
    ``revision_values``, which stay valid as they are): the table, the index on the figure's
    key instead of the older partial one, and the ``revisions`` view of this code, in one
    transaction."""
    log.warning("adding revision_pairs to the revision history (once)")
    v = schema.revision_values
    with engine.begin() as conn:
        schema.revision_pairs.create(conn, checkfirst=True)
        conn.exec_driver_sql(f"DROP INDEX IF EXISTS {schema.OLD_REVISION_INDEX}")
        for index in v.indexes:
            index.create(conn, checkfirst=True)
        schema.replace_views(conn)


__all__ = ["Snapshot", "add_pairs", "migrate", "record", "snapshot"]
