"""The single declaration of the database schema (SQLAlchemy 2.x Core).

Areas are joined on their 9-digit KATO code. Observations are unique per
indicator / area / year / series / source: when sources disagree, each reading
is kept with its own source, and ``indicators.preferred_source`` names the one
shown by default (official statistics first).
"""

from __future__ import annotations

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    Column,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    UniqueConstraint,
    event,
)

metadata = MetaData()

AREA_LEVELS = ("country", "oblast", "district", "city")
CATEGORIES = ("economic", "ecological", "social")
DIRECTIONS = ("higher", "lower", "neutral")
# What kind of quantity an indicator is (declared per indicator in the catalogue); what each
# kind allows is said in components/kinds.py (a total may be shown per person or per km²).
KINDS = ("total", "rate", "share", "index", "mean", "level")
STATUSES = ("actual", "estimate", "derived", "provisional")
COMPARATORS = (">=", "<=", "=")

meta = Table(
    "meta",
    metadata,
    Column("key", String(64), primary_key=True),
    Column("value", Text, nullable=False),
)

sources = Table(
    "sources",
    metadata,
    Column("code", String(80), primary_key=True),
    Column("title", Text, nullable=False),
    Column("publisher", Text, nullable=False),
    Column("address", Text, comment="the official address, where the publisher offers it"),
    Column("copy_address", Text, comment="the address of the copy that was read, if another"),
    Column("license", Text),
    Column("retrieved", Text, comment="retrieval commit or date"),
    Column("tier", String(2), comment="A official, B agency/ministry, C press/reference, S seed"),
    Column("excerpt", Text),
    Column("note", Text),
    Column("publisher_kk", Text),
    Column("publisher_ru", Text),
    Column("license_kk", Text),
    Column("license_ru", Text),
    Column("note_kk", Text),
    Column("note_ru", Text),
)

areas = Table(
    "areas",
    metadata,
    Column("kato", String(9), primary_key=True),
    Column("level", String(10), nullable=False),
    Column("parent", String(9), ForeignKey("areas.kato")),
    Column("name_kk", Text, nullable=False),
    Column("name_ru", Text, nullable=False),
    Column("name_en", Text, nullable=False),
    Column("iso_3166_2", String(10)),
    Column("valid_from", Integer, comment="first year the unit existed, if it did not always"),
    Column("valid_to", Integer, comment="last year the unit existed, if it no longer does"),
    Column("source", String(80), ForeignKey("sources.code")),
    CheckConstraint("length(kato) = 9", name="kato_9_digits"),
    CheckConstraint(f"level in {AREA_LEVELS}", name="area_level"),
)

area_aliases = Table(
    "area_aliases",
    metadata,
    Column("key", Text, primary_key=True, comment="normalised spelling (see etl.areas.norm)"),
    Column("kato", String(9), ForeignKey("areas.kato"), primary_key=True),
    Column("alias", Text, nullable=False),
    Column("lang", String(8), comment="kk, ru, en or code"),
)

indicators = Table(
    "indicators",
    metadata,
    Column("code", String(80), primary_key=True),
    Column("name_kk", Text, nullable=False),
    Column("name_ru", Text, nullable=False),
    Column("name_en", Text, nullable=False),
    Column("unit_kk", Text, nullable=False),
    Column("unit_ru", Text, nullable=False),
    Column("unit_en", Text, nullable=False),
    Column("category", String(12), nullable=False),
    Column("direction", String(8), nullable=False),
    Column("description", Text),
    Column("sdg_id", String(20)),
    Column("preferred_source", String(80), ForeignKey("sources.code")),
    Column("decimals", Integer),
    Column(
        "kind",
        String(8),
        comment="total, rate, share, index, mean or level; empty: not declared (never divided)",
    ),
    CheckConstraint(f"category in {CATEGORIES}", name="indicator_category"),
    CheckConstraint(f"kind is null or kind in {KINDS}", name="indicator_kind"),
    CheckConstraint(f"direction in {DIRECTIONS}", name="indicator_direction"),
)

load_runs = Table(
    "load_runs",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("file", Text, nullable=False),
    Column("format", String(40), nullable=False),
    Column("checksum", String(64), nullable=False),
    Column("rows_read", Integer, nullable=False),
    Column("rows_loaded", Integer, nullable=False),
    Column("rows_rejected", Integer, nullable=False),
    Column("status", String(12), nullable=False),
    Column("started_at", DateTime, nullable=False),
    Column("finished_at", DateTime, nullable=False),
    Column("message", Text),
)

area_successors = Table(
    "area_successors",
    metadata,
    Column("predecessor", String(9), ForeignKey("areas.kato"), primary_key=True),
    Column("successor", String(9), ForeignKey("areas.kato"), nullable=False),
    Column("year", Integer, nullable=False, comment="first year under the successor's code"),
    Column("note", Text),
    comment="Units whose KATO code changed (the oblasts created in 2022): the same unit's "
    "series before `year` may be stored under the predecessor's code.",
)

load_sheets = Table(
    "load_sheets",
    metadata,
    Column("source", String(80), primary_key=True, comment="the region's source code"),
    Column("file", Text, primary_key=True, comment="the workbook's file name"),
    Column("sheet", Text, primary_key=True),
    Column("region", String(9), comment="KATO of the oblast or city whose workbook it is"),
    Column("area", String(9), comment="KATO the sheet was loaded as; empty when skipped"),
    Column("status", String(12), nullable=False, comment="loaded or skipped"),
    Column("reason", Text, comment="why skipped, or a remark on the area"),
    Column("address", Text, comment="the table read: sheet!A3:AI251"),
    Column("observations", Integer),
    Column("unmapped", Integer, comment="rows with figures whose label is not mapped"),
    comment="What became of every sheet of a multi-sheet workbook (load report per region).",
)

# Observations are stored with integer keys (``observation_values``): the codes of indicators,
# areas and sources get small ids once (``indicator_ids``, ``area_ids``, ``source_ids``), and the
# texts that repeat from row to row (note, excerpt and the file/sheet part of the location) are
# stored once in ``observation_notes``. The ``observations`` view joins them back: every reader
# (store, API, exports, SQL in a notebook) sees codes and texts, never ids.


def _id_table(name: str, target: Column, what: str) -> Table:
    """The small integer key of each ``target`` code in observation_values."""
    return Table(
        name,
        metadata,
        Column("id", Integer, primary_key=True, autoincrement=True),
        Column("code", target.type, ForeignKey(target), nullable=False, unique=True),
        comment=f"the small integer key of each {what} in observation_values",
    )


indicator_ids = _id_table("indicator_ids", indicators.c.code, "indicator")
area_ids = _id_table("area_ids", areas.c.kato, "area (KATO code)")
source_ids = _id_table("source_ids", sources.c.code, "source")
observation_notes = Table(
    "observation_notes",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=False),
    Column("note", Text),
    Column("excerpt", Text, comment="verbatim passage stating the figure"),
    Column("place", Text, comment="the file/sheet part of the location, before the cell"),
    comment="texts that repeat from observation to observation, stored once (the ETL reuses "
    "a row with the same three texts)",
)
observation_values = Table(
    "observation_values",
    metadata,
    Column("indicator_id", Integer, primary_key=True, comment="indicator_ids.id"),
    Column("area_id", Integer, primary_key=True, comment="area_ids.id"),
    Column("year", Integer, primary_key=True),
    Column("series", Text, primary_key=True, comment="disaggregation; '' = total"),
    Column("source_id", Integer, primary_key=True, comment="source_ids.id"),
    Column("value", Float, nullable=False),
    Column("status", String(12), nullable=False, default="actual"),
    Column("year_approx", Boolean, nullable=False, default=False, comment="year inferred"),
    Column("note_id", Integer, comment="observation_notes.id"),
    Column("cell", Text, comment="the rest of the location after observation_notes.place"),
    CheckConstraint(f"status in {STATUSES}", name="observation_status"),
    comment="every reading, one row each; read it through the observations view",
    sqlite_with_rowid=False,
)
# No foreign keys on these ids: the ETL, the only writer, takes them from the id tables it
# fills in the same transaction (SQLite loads never checked them either, see
# etl.load._check_foreign_keys), and on PostgreSQL a foreign key is a lookup per row per key,
# which made a load of 3 million rows 15 times slower to write (etl.load.ensure_schema drops
# them from a database created with them).
# The primary key (indicator, area, year, series, source) is the only index: it serves "one
# indicator for some or all areas" (Explore, maps, the API) and replacing a source's readings
# of an indicator; "everything about one area" walks it once per indicator (the view's join
# from indicator_ids), which is quick with a few thousand indicators and saves an index as
# large as a third of the table.
_VIEW_SQL = """
SELECT i.code AS indicator, a.code AS area, o.year AS year, o.series AS series,
       o.value AS value, o.status AS status, o.year_approx AS year_approx, s.code AS source,
       n.note AS note, n.excerpt AS excerpt, n.place || coalesce(o.cell, '') AS location
FROM observation_values o
JOIN indicator_ids i ON i.id = o.indicator_id
JOIN area_ids a ON a.id = o.area_id
JOIN source_ids s ON s.id = o.source_id
LEFT JOIN observation_notes n ON n.id = o.note_id
"""
views = MetaData()  # views: readable like tables, created and dropped with ``metadata``
observations = Table(
    "observations",
    views,
    Column("indicator", String(80), primary_key=True),
    Column("area", String(9), primary_key=True),
    Column("year", Integer, primary_key=True),
    Column("series", Text, primary_key=True, comment="disaggregation; '' = total"),
    Column("value", Float, nullable=False),
    Column("status", String(12), nullable=False),
    Column("year_approx", Boolean, nullable=False, comment="year inferred"),
    Column("source", String(80), primary_key=True),
    Column("note", Text),
    Column("excerpt", Text, comment="verbatim passage stating the figure"),
    Column("location", Text, comment="where in the source: sheet, row, column"),
    comment="a view: observation_values with codes and texts",
)
VIEW_SQL = {observations.name: _VIEW_SQL}  # every view of ``views``: its SELECT


def _create_views(target: MetaData, connection, **kw) -> None:  # noqa: ANN001, ARG001
    """After create_all: the views (SQLite has no CREATE OR REPLACE VIEW)."""
    verb = (
        "CREATE VIEW IF NOT EXISTS"
        if connection.dialect.name == "sqlite"
        else ("CREATE OR REPLACE VIEW")
    )
    for name, sql in VIEW_SQL.items():
        connection.exec_driver_sql(f"{verb} {name} AS {sql}")


def _drop_views(target: MetaData, connection, **kw) -> None:  # noqa: ANN001, ARG001
    for name in VIEW_SQL:
        connection.exec_driver_sql(f"DROP VIEW IF EXISTS {name}")


def replace_views(connection) -> None:  # noqa: ANN001
    """Drop and create every view again (an existing database gets this code's definitions;
    SQLite's CREATE VIEW IF NOT EXISTS would keep an older one)."""
    _drop_views(metadata, connection)
    _create_views(metadata, connection)


event.listen(metadata, "after_create", _create_views)
event.listen(metadata, "before_drop", _drop_views)
STORAGE_TABLES = (
    "indicator_ids",
    "area_ids",
    "source_ids",
    "observation_notes",
    "observation_values",
    "revision_details",
    "revision_values",
    "revision_pairs",
)


def public_tables() -> list[Table]:
    """The tables a reader sees (the "download all" export): every table of the schema in
    dependency order, the storage of observations and revisions replaced by their views."""
    out = [t for t in metadata.sorted_tables if t.name not in STORAGE_TABLES]
    return [*out, *views.tables.values()]


def table(name: str) -> Table:
    """A table or view of the schema by name (KeyError if unknown)."""
    return views.tables[name] if name in views.tables else metadata.tables[name]


programs = Table(
    "programs",
    metadata,
    Column("code", String(80), primary_key=True),
    Column("name_kk", Text, nullable=False),
    Column("name_ru", Text, nullable=False),
    Column("name_en", Text, nullable=False),
    Column("year_start", Integer),
    Column("year_end", Integer),
    Column("legal_ref", Text),
    Column("source", String(80), ForeignKey("sources.code")),
    Column("note", Text, comment="the curators' note, in English"),
    Column("legal_ref_kk", Text),
    Column("legal_ref_ru", Text),
    Column("note_kk", Text, comment="the note in Kazakh (curated translation)"),
    Column("note_ru", Text, comment="the note in Russian (curated translation)"),
)

targets = Table(
    "targets",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("program", String(80), ForeignKey("programs.code"), nullable=False),
    Column("indicator", String(80), ForeignKey("indicators.code"), nullable=False),
    Column("area", String(9), ForeignKey("areas.kato"), nullable=False),
    Column("target_year", Integer, nullable=False),
    Column("comparator", String(2), nullable=False),
    Column("value", Float, nullable=False),
    Column("baseline_year", Integer),
    Column("baseline_value", Float),
    Column("source", String(80), ForeignKey("sources.code"), nullable=False),
    Column("excerpt", Text),
    Column("note", Text, comment="the curators' note, in English"),
    Column("note_kk", Text, comment="the note in Kazakh (curated translation)"),
    Column("note_ru", Text, comment="the note in Russian (curated translation)"),
    Column(
        "set_for",
        String(9),
        ForeignKey("areas.kato"),
        comment="the area the target was set for when it is applied to `area` as a benchmark "
        "(000000000: a national target); empty when it was set for `area` itself",
    ),
    UniqueConstraint("program", "indicator", "area", "target_year", name="uq_target"),
    CheckConstraint(f"comparator in {COMPARATORS}", name="target_comparator"),
)
Index("ix_targets_indicator_area", targets.c.indicator, targets.c.area)

boundaries = Table(
    "boundaries",
    metadata,
    Column("area", String(9), ForeignKey("areas.kato"), primary_key=True),
    Column("vintage", Integer, primary_key=True),
    Column("level", String(10), nullable=False),
    Column("geojson", Text, nullable=False, comment="simplified, exterior rings clockwise"),
    Column("source", String(80), ForeignKey("sources.code"), nullable=False),
)
Index("ix_boundaries_level", boundaries.c.level, boundaries.c.vintage)

area_sizes = Table(
    "area_sizes",
    metadata,
    Column("area", String(9), ForeignKey("areas.kato"), primary_key=True),
    Column("vintage", Integer, primary_key=True),
    Column(
        "km2", Float, nullable=False, comment="derived from the boundary, equal-area projection"
    ),
    Column("method", Text, nullable=False, comment="how km2 was computed"),
    Column("source", String(80), ForeignKey("sources.code"), nullable=False),
    comment="land area of each boundary, computed by the ETL (a derived value)",
)

# The revision history (store/schema_revisions.py, in the same metadata), re-exported here.
from store.schema_revisions import (  # noqa: E402, F401
    CHANGE_KINDS,
    OLD_REVISION_INDEX,
    revision_details,
    revision_pairs,
    revision_values,
    revisions,
)
