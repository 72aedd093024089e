"""The revision history's tables and view, part of :mod:`store.schema` (which re-exports
every name here; import them from there): what each load added, revised or withdrawn."""

from __future__ import annotations

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    Column,
    Float,
    ForeignKey,
    Index,
    Integer,
    String,
    Table,
    Text,
)

from store.schema import VIEW_SQL, metadata, views

CHANGE_KINDS = ("added", "revised", "withdrawn")

# Revisions are stored like observations: integer ids for the figure's codes, one narrow row
# per figure a load added, revised or withdrawn (``revision_values``; an "added" row is the key,
# the kind and the new value), and the old value's details, which only revised and withdrawn
# figures have, out of line in ``revision_details``. The ``revisions`` view gives them back with
# codes and texts: readers never see the ids.
revision_details = Table(
    "revision_details",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=False),
    Column("status", String(12)),
    Column("year_approx", Boolean),
    Column("note", Text),
    Column("excerpt", Text),
    Column("location", Text),
    Column("source_title", Text, comment="the source's title when the old value was loaded"),
    Column("source_address", Text),
    Column("source_retrieved", Text),
    comment="the details of a revised or withdrawn figure's old value, as they were",
)
revision_values = Table(
    "revision_values",
    metadata,
    Column("load_run", Integer, ForeignKey("load_runs.id"), primary_key=True, comment="when"),
    Column("indicator_id", Integer, ForeignKey("indicator_ids.id"), primary_key=True),
    Column("area_id", Integer, ForeignKey("area_ids.id"), primary_key=True),
    Column("year", Integer, primary_key=True),
    Column("series", Text, primary_key=True, comment="disaggregation; '' = total"),
    Column("source_id", Integer, ForeignKey("source_ids.id"), primary_key=True),
    Column("kind", String(10), nullable=False, comment="added, revised or withdrawn"),
    Column("new_value", Float, comment="the value after (empty when withdrawn)"),
    Column("old_value", Float, comment="the value before (empty when added)"),
    Column("detail_id", Integer, ForeignKey("revision_details.id"), comment="empty when added"),
    CheckConstraint(f"kind in {CHANGE_KINDS}", name="revision_kind"),
    comment="What each load changed in observations, one row per figure; read it through the "
    "revisions view",
    sqlite_with_rowid=False,
)
# A (source, indicator) pair that had no readings before a load is recorded as one
# ``revision_pairs`` row ("run R added every figure of the pair") instead of a row per figure:
# the ``revisions`` view lists each figure of the pair as added at R while the figure has no
# explicit row in ``revision_values`` at R or later. Before a later load revises or withdraws
# such a figure, the ETL writes its "added" row explicitly (the value as added), so the view
# gives exactly the rows a row per added figure would (see etl.revisions).
revision_pairs = Table(
    "revision_pairs",
    metadata,
    Column("load_run", Integer, ForeignKey("load_runs.id"), primary_key=True, comment="when"),
    Column("indicator_id", Integer, ForeignKey("indicator_ids.id"), primary_key=True),
    Column("source_id", Integer, ForeignKey("source_ids.id"), primary_key=True),
    Column("figures", Integer, nullable=False, comment="how many figures the run added"),
    comment="a load run that added every figure of a (source, indicator) pair which had no "
    "readings before; read it through the revisions view",
)
# The primary key, load run first, serves "the changes since a date" (the runs finished since);
# the index on the figure's key serves "the history of one indicator in some areas" and the
# view's probe "has this figure an explicit row at or after the pair's run".
Index(
    "ix_revision_values_key",
    revision_values.c.indicator_id,
    revision_values.c.area_id,
    revision_values.c.year,
    revision_values.c.series,
    revision_values.c.source_id,
    revision_values.c.load_run,
)
OLD_REVISION_INDEX = "ix_revision_values_figure"  # the partial index before revision_pairs
VIEW_SQL["revisions"] = """
SELECT i.code AS indicator, a.code AS area, r.year AS year, r.series AS series,
       s.code AS source, r.kind AS kind, r.load_run AS load_run, r.old_value AS old_value,
       r.new_value AS new_value, d.status AS old_status, d.year_approx AS old_year_approx,
       d.note AS old_note, d.excerpt AS old_excerpt, d.location AS old_location,
       d.source_title AS old_source_title, d.source_address AS old_source_address,
       d.source_retrieved AS old_source_retrieved
FROM revision_values r
JOIN indicator_ids i ON i.id = r.indicator_id
JOIN area_ids a ON a.id = r.area_id
JOIN source_ids s ON s.id = r.source_id
LEFT JOIN revision_details d ON d.id = r.detail_id
UNION ALL
SELECT i.code, a.code, o.year, o.series, s.code, 'added', p.load_run, NULL, o.value, NULL,
       NULL, NULL, NULL, NULL, NULL, NULL, NULL
FROM revision_pairs p
JOIN observation_values o ON o.indicator_id = p.indicator_id AND o.source_id = p.source_id
JOIN indicator_ids i ON i.id = o.indicator_id
JOIN area_ids a ON a.id = o.area_id
JOIN source_ids s ON s.id = o.source_id
WHERE NOT EXISTS (
    SELECT 1 FROM revision_pairs q
    WHERE q.indicator_id = p.indicator_id AND q.source_id = p.source_id
      AND q.load_run > p.load_run)
  AND NOT EXISTS (
    SELECT 1 FROM revision_values e
    WHERE e.indicator_id = o.indicator_id AND e.area_id = o.area_id AND e.year = o.year
      AND e.series = o.series AND e.source_id = o.source_id AND e.load_run >= p.load_run)
"""
revisions = Table(
    "revisions",
    views,
    Column("indicator", String(80), nullable=False),
    Column("area", String(9), nullable=False),
    Column("year", Integer, nullable=False),
    Column("series", Text, nullable=False, comment="disaggregation; '' = total"),
    Column("source", String(80), nullable=False),
    Column("kind", String(10), nullable=False, comment="added, revised or withdrawn"),
    Column("load_run", Integer, nullable=False, comment="when (load_runs.id)"),
    Column("old_value", Float, comment="the value before (empty when added)"),
    Column("new_value", Float, comment="the value after (empty when withdrawn)"),
    Column("old_status", String(12)),
    Column("old_year_approx", Boolean),
    Column("old_note", Text),
    Column("old_excerpt", Text),
    Column("old_location", Text),
    Column("old_source_title", Text, comment="the source's title when the old value was loaded"),
    Column("old_source_address", Text),
    Column("old_source_retrieved", Text),
    comment="a view: what each load changed in observations, keyed like them: a figure added, "
    "one replaced by another value of the same source (the old value and its source details "
    "kept), or one withdrawn. The first load into an empty database is the baseline: nothing "
    "recorded.",
)
