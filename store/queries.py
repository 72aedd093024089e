"""Every SELECT the app runs: small named, parameterised functions returning DataFrames.

The web process reads through :func:`engine`, which opens the database read-only.
Call :func:`use` to point the store at another database (tests, the ETL's export).
"""

from __future__ import annotations

import re
import sqlite3
from pathlib import Path

import pandas as pd
from flask import has_request_context, request
from sqlalchemy import Engine, case, exists, func, select

import config
from store import schema
from store.cache import memoized
from store.db import readonly_engine

COUNTRY = "000000000"
ALL_DISTRICTS = "all"  # as a parent: every area under an oblast or republican city, nationwide


def _under(column, parent: str):  # noqa: ANN001, ANN202
    """The condition "an area's parent is ``parent``"; ``ALL_DISTRICTS`` means any region."""
    if parent == ALL_DISTRICTS:
        regions = select(schema.areas.c.kato).where(schema.areas.c.parent == COUNTRY)
        return column.in_(regions.scalar_subquery())
    return column == parent


_engine: Engine | None = None
_url: str | None = None

TIER_RANK = {"A": 0, "B": 1, "C": 2, "S": 3}


def use(url: str | None = None, engine: Engine | None = None) -> Engine:
    """Point the store at ``url`` (default: DATABASE_URL), opened read-only."""
    global _engine, _url
    if _engine is not None:
        _engine.dispose()
    _engine = engine if engine is not None else readonly_engine(url)
    _url = config.database_url(url)
    return _engine


def engine() -> Engine:
    return _engine if _engine is not None else use()


def url() -> str:
    """The URL of the indicator database the store reads (for the ETL's load on approval)."""
    engine()
    return _url or config.database_url()


def _read(stmt) -> pd.DataFrame:  # noqa: ANN001
    with engine().connect() as conn:
        return pd.read_sql(stmt, conn)


def _read_plain(stmt) -> pd.DataFrame:  # noqa: ANN001
    """:func:`_read` without SQLAlchemy's row objects and result processing (the rows as
    the driver's cursor gives them): for large reads of plain columns (text, numbers) only;
    SQLite booleans come as 0/1."""
    with engine().connect() as conn:
        compiled = stmt.compile(dialect=conn.dialect)
        params = compiled.construct_params()
        if compiled.positional:
            params = tuple(params[k] for k in compiled.positiontup)
        result = conn.exec_driver_sql(str(compiled), params)
        try:
            columns = [d[0] for d in result.cursor.description]
            return pd.DataFrame.from_records(result.cursor.fetchall(), columns=columns)
        finally:
            result.close()


def data_version() -> str:
    """The version stamp the ETL bumps on each load ("0" for an empty database)."""
    try:
        with engine().connect() as conn:
            value = conn.execute(
                select(schema.meta.c.value).where(schema.meta.c.key == "data_version")
            ).scalar()
    except Exception:  # noqa: BLE001 - a missing database has no version
        return "missing"
    return value or "0"


def _has_table(name: str) -> bool:
    """True if the database has the table (an older database may lack newer ones)."""
    from sqlalchemy import inspect

    with engine().connect() as conn:
        return inspect(conn).has_table(name)


def is_ready() -> bool:
    """True if the database exists and holds the schema."""
    return data_version() != "missing"


_VERSION_KEY = "indicators.cache_version"


def cache_version() -> str:
    """What cached results depend on: which database, and its data version.

    Read once per web request (kept in the request's WSGI environ, not on ``flask.g``, which
    outlives the request when an application context was pushed around it): a request sees
    one version throughout, and its cached calls cost no query each.
    """
    engine()
    if not has_request_context():
        return f"{_url}|{data_version()}"
    seen = request.environ.get(_VERSION_KEY)
    if seen is None or seen[0] != _url:
        seen = request.environ[_VERSION_KEY] = (_url, f"{_url}|{data_version()}")
    return seen[1]


cached = memoized(cache_version)


@cached
def indicators() -> pd.DataFrame:
    """The indicator catalogue."""
    t = schema.indicators
    return _read(select(t).order_by(t.c.category, t.c.code))


@cached
def indicator(code: str) -> dict | None:
    """One indicator's metadata, or None."""
    t = schema.indicators
    df = _read(select(t).where(t.c.code == code))
    return df.iloc[0].to_dict() if len(df) else None


@cached
def areas(level: str | None = None, parent: str | None = None) -> pd.DataFrame:
    """Areas, optionally of one level and/or under one parent."""
    t = schema.areas
    stmt = select(t)
    if level:
        stmt = stmt.where(t.c.level == level)
    if parent:
        stmt = stmt.where(_under(t.c.parent, parent))
    return _read(stmt.order_by(t.c.kato))


@cached
def area(kato: str) -> dict | None:
    t = schema.areas
    df = _read(select(t).where(t.c.kato == kato))
    return df.iloc[0].to_dict() if len(df) else None


@cached
def resolve_area(name: str) -> str | None:
    """KATO for a code or spelling, through the alias table (None if unknown or ambiguous)."""
    from etl.areas import norm

    if not isinstance(name, str):  # a number or list from a hand-made request: no area
        return None
    if len(name) == 9 and name.isdigit():
        return name if area(name) else None
    t = schema.area_aliases
    df = _read(select(t.c.kato).where(t.c.key == norm(name)).distinct())
    return df["kato"].iloc[0] if len(df) == 1 else None


@cached
def sources() -> pd.DataFrame:
    t = schema.sources
    return _read(select(t).order_by(t.c.code))


def _source_rank(indicator_code: str):  # noqa: ANN202
    """SQL expression ranking sources for an indicator: preferred, then by tier."""
    i, s = schema.indicators, schema.sources
    preferred = select(i.c.preferred_source).where(i.c.code == indicator_code).scalar_subquery()
    tier = case({k: v for k, v in TIER_RANK.items()}, value=s.c.tier, else_=9)
    return case((s.c.code == preferred, -1), else_=tier)


@cached
def observations(
    indicator_code: str, areas_: tuple[str, ...] | str | None, source: str = "preferred"
) -> pd.DataFrame:
    """Observations of one indicator for one or several areas (None: every area).

    ``source``: "preferred" gives one value per area/year/series (the indicator's preferred
    source, else the best tier), with ``other_sources`` counting the other readings;
    "all" gives every source's value; any other value is a source code.
    """
    o, s = schema.observations, schema.sources
    if isinstance(areas_, str):
        areas_ = (areas_,)
    stmt = (
        select(
            o.c.indicator,
            o.c.area,
            o.c.year,
            o.c.series,
            o.c.value,
            o.c.status,
            o.c.year_approx,
            o.c.source,
            o.c.note,
            o.c.excerpt,
            o.c.location,
            s.c.tier,
            _source_rank(indicator_code).label("rank"),
        )
        .join(s, s.c.code == o.c.source)
        .where(o.c.indicator == indicator_code)
    )
    if areas_ is not None:
        stmt = stmt.where(o.c.area.in_(list(areas_)))
    if source not in ("preferred", "all"):
        stmt = stmt.where(o.c.source == source)
    df = _read(stmt.order_by(o.c.area, o.c.series, o.c.year, "rank", o.c.source))
    df["year_approx"] = df["year_approx"].astype(bool)
    key = ["area", "series", "year"]
    if source == "preferred" and len(df):
        counts = df.groupby(key)["source"].transform("size")
        df = df.assign(other_sources=counts - 1)
        df = df.drop_duplicates(key, keep="first")
    else:
        df = df.assign(other_sources=0)
    return df.drop(columns=["rank"]).reset_index(drop=True)


@cached
def observation_counts() -> pd.DataFrame:
    """Observations per source and indicator (for `etl status` and the sources page)."""
    o = schema.observations
    stmt = (
        select(
            o.c.source,
            o.c.indicator,
            func.count().label("n"),
            func.min(o.c.year).label("first_year"),
            func.max(o.c.year).label("last_year"),
        )
        .group_by(o.c.source, o.c.indicator)
        .order_by(o.c.source, o.c.indicator)
    )
    return _read(stmt)


# A path's folders: from a start (/, ./, ../, ~/) to the last slash before the file name.
_FOLDERS = re.compile(r"(?<![^\s'\"(\[=:,])(?:~|\.{1,2})?/(?:[^\s/'\"]+/)*(?=[^\s/'\"])")


def file_name(path: str | None) -> str | None:
    """A load's file or folder without the server's folders: '/srv/x/data.csv' -> 'data.csv'."""
    if path is None:
        return None
    return Path(path).name or path


def strip_folders(text: str | None) -> str | None:
    """``text`` with every file path cut to its last part (no server folders shown)."""
    return _FOLDERS.sub("", text) if isinstance(text, str) else text


@cached
def load_runs() -> pd.DataFrame:
    """Every load, oldest first, with file names and checksums but no server paths."""
    t = schema.load_runs
    return _public_runs(_read(select(t).order_by(t.c.id)))


def _public_runs(df: pd.DataFrame) -> pd.DataFrame:
    return df.assign(file=df["file"].map(file_name), message=df["message"].map(strip_folders))


@cached
def predecessors(kato: str) -> pd.DataFrame:
    """The codes the same unit had before its code changed (the oblasts created in 2022):
    columns predecessor, year (the first year under ``kato``); empty for most areas."""
    t = schema.area_successors
    if not _has_table(t.name):
        return pd.DataFrame(columns=["predecessor", "year"])
    return _read(select(t.c.predecessor, t.c.year).where(t.c.successor == kato))


def observations_linked(indicator_code: str, kato: str, source: str = "preferred") -> pd.DataFrame:
    """One unit's series as one line: its figures under ``kato`` and, for years before its code
    changed and not given under ``kato``, those stored under its predecessor codes. Each row's
    ``area`` keeps the code the figure is stored under."""
    current = observations(indicator_code, kato, source=source)
    parts = [current]
    for p in predecessors(kato).itertuples():
        old = observations(indicator_code, p.predecessor, source=source)
        parts.append(old[(old["year"] < p.year) & ~old["year"].isin(current["year"])])
    parts = [p for p in parts if not p.empty] or [current]
    return pd.concat(parts, ignore_index=True).sort_values(["series", "year"], ignore_index=True)


def load_sheets() -> pd.DataFrame:
    """Every sheet of the loaded regional workbooks: region, file, sheet, area, status,
    reason, table address, observations and unmapped rows (empty before a build)."""
    t = schema.load_sheets
    if not _has_table(t.name):
        return pd.DataFrame(columns=[c.name for c in t.columns])
    return _read(select(t).order_by(t.c.region, t.c.file, t.c.status, t.c.sheet))


@cached
def area_observations(kato: str) -> pd.DataFrame:
    """Every reading of every indicator for one area, in one query (the Overview's cards).

    Columns: ``indicator, area, year, series, value, status, year_approx, source, tier``,
    ``preferred`` (True for the one reading per indicator/series/year that the preferred
    source, else the best tier, gives, as :func:`observations` picks it) and
    ``other_sources`` (on the preferred row: how many other sources report that year).
    Ordered by indicator, series, year, then preference.
    """
    o, s, i = schema.observations, schema.sources, schema.indicators
    tier = case({k: v for k, v in TIER_RANK.items()}, value=s.c.tier, else_=9)
    rank = case((s.c.code == i.c.preferred_source, -1), else_=tier)
    stmt = (
        select(
            o.c.indicator,
            o.c.area,
            o.c.year,
            o.c.series,
            o.c.value,
            o.c.status,
            o.c.year_approx,
            o.c.source,
            s.c.tier,
            rank.label("rank"),
        )
        .join(s, s.c.code == o.c.source)
        .join(i, i.c.code == o.c.indicator)
        .where(o.c.area == kato)
        .order_by(o.c.indicator, o.c.series, o.c.year, "rank", o.c.source)
    )
    df = _read_plain(stmt)
    df["year_approx"] = df["year_approx"].astype(bool)
    key = ["indicator", "series", "year"]
    first = ~df.duplicated(key, keep="first")
    counts = df.groupby(key, sort=False)["source"].transform("size")
    df = df.assign(preferred=first, other_sources=(counts - 1).where(first, 0))
    return df.drop(columns=["rank"]).reset_index(drop=True)


@cached
def observations_in(indicator_code: str, parent: str, level: str | None = None) -> pd.DataFrame:
    """Preferred observations of one indicator for every area under ``parent`` (all years).

    For the national map pass parent "000000000" (oblasts and republican cities).
    """
    a = schema.areas
    stmt = select(a.c.kato).where(_under(a.c.parent, parent))
    if level:
        stmt = stmt.where(a.c.level == level)
    kids = tuple(_read(stmt)["kato"])
    if not kids:
        return observations.uncached(indicator_code, ("",))
    return observations.uncached(indicator_code, kids)


@cached
def area_indicators(kato: str) -> pd.DataFrame:
    """Indicators with observations for an area: code, n, first_year, last_year, years
    (distinct years with data), n_sources."""
    o = schema.observations
    stmt = (
        select(
            o.c.indicator,
            func.count().label("n"),
            func.min(o.c.year).label("first_year"),
            func.max(o.c.year).label("last_year"),
            func.count(func.distinct(o.c.year)).label("years"),
            func.count(func.distinct(o.c.source)).label("n_sources"),
        )
        .where(o.c.area == kato)
        .group_by(o.c.indicator)
        .order_by(o.c.indicator)
    )
    return _read(stmt)


@cached
def indicator_areas(indicator_code: str) -> pd.DataFrame:
    """Areas with observations of an indicator: kato, level, parent, n, first/last year."""
    o, a = schema.observations, schema.areas
    stmt = (
        select(
            o.c.area.label("kato"),
            a.c.level,
            a.c.parent,
            func.count().label("n"),
            func.min(o.c.year).label("first_year"),
            func.max(o.c.year).label("last_year"),
        )
        .join(a, a.c.kato == o.c.area)
        .where(o.c.indicator == indicator_code)
        .group_by(o.c.area, a.c.level, a.c.parent)
        .order_by(o.c.area)
    )
    return _read(stmt)


@cached
def programs() -> pd.DataFrame:
    t = schema.programs
    return _read(select(t).order_by(t.c.year_start, t.c.code))


@cached
def targets(
    indicator_code: str | None = None, area_code: str | None = None, program: str | None = None
) -> pd.DataFrame:
    """Targets, optionally of one indicator, area or program, with the program's names and
    legal reference and the publisher of the target's source."""
    t, p, s = schema.targets, schema.programs, schema.sources
    stmt = (
        select(
            t,
            p.c.name_kk.label("program_kk"),
            p.c.name_ru.label("program_ru"),
            p.c.name_en.label("program_en"),
            p.c.legal_ref,
            p.c.legal_ref_kk,
            p.c.legal_ref_ru,
            s.c.publisher.label("source_publisher"),
            s.c.publisher_kk.label("source_publisher_kk"),
            s.c.publisher_ru.label("source_publisher_ru"),
        )
        .join(p, p.c.code == t.c.program)
        .join(s, s.c.code == t.c.source)
    )
    if indicator_code:
        stmt = stmt.where(t.c.indicator == indicator_code)
    if area_code:
        stmt = stmt.where(t.c.area == area_code)
    if program:
        stmt = stmt.where(t.c.program == program)
    return _read(stmt.order_by(t.c.indicator, t.c.area, t.c.target_year))


@cached
def source(code: str) -> dict | None:
    t = schema.sources
    df = _read(select(t).where(t.c.code == code))
    return df.iloc[0].to_dict() if len(df) else None


@cached
def boundaries(level: str, parent: str | None = None, vintage: int | None = None) -> pd.DataFrame:
    """Boundary geometries (GeoJSON text) of one level, latest vintage unless given."""
    b, a = schema.boundaries, schema.areas
    if vintage is None:
        vintage = _read(select(func.max(b.c.vintage).label("v")).where(b.c.level == level))["v"]
        vintage = vintage.iloc[0] if len(vintage) else None
        if vintage is None or pd.isna(vintage):
            return pd.DataFrame(columns=["area", "vintage", "level", "geojson", "source"])
    stmt = (
        select(b)
        .join(a, a.c.kato == b.c.area)
        .where(b.c.level == level, b.c.vintage == int(vintage))
    )
    if parent:
        stmt = stmt.where(_under(a.c.parent, parent))
    return _read(stmt.order_by(b.c.area))


@cached
def has_boundaries() -> bool:
    with engine().connect() as conn:
        return conn.execute(select(func.count()).select_from(schema.boundaries)).scalar() > 0


@cached
def indicators_under(parent: str) -> list[str]:
    """Codes of the indicators observed in some area directly under ``parent``, in code order.

    One probe of the observations' primary key (indicator, area, ...) per indicator, which
    stops at the first reading: quick however many readings there are.
    """
    ov, ids, aids, a = (
        schema.observation_values,
        schema.indicator_ids,
        schema.area_ids,
        schema.areas,
    )
    kids = select(aids.c.id).join(a, a.c.kato == aids.c.code).where(_under(a.c.parent, parent))
    seen = (
        select(ov.c.indicator_id)
        .where(ov.c.indicator_id == ids.c.id, ov.c.area_id.in_(kids.scalar_subquery()))
        .exists()
    )
    return list(_read(select(ids.c.code).where(seen).order_by(ids.c.code))["code"])


@cached
def boundary_vintages(level: str) -> list[int]:
    """The boundary vintages (years) stored for a level, oldest first."""
    b = schema.boundaries
    stmt = select(b.c.vintage).where(b.c.level == level).distinct().order_by(b.c.vintage)
    return [int(v) for v in _read(stmt)["vintage"]]


def table(name: str) -> pd.DataFrame:
    """Every row of one table of the schema, in primary-key order (the "download all" export).

    Not cached: callers cache what they build from it. Raises KeyError for an unknown table.
    Load runs name their files without the server's folders.
    """
    t = schema.table(name)
    df = _read(select(t).order_by(*t.primary_key.columns))
    if name == schema.load_runs.name:
        df = _public_runs(df)
    return df


def copy_sqlite(dest: str) -> bool:
    """Copy the database to the SQLite file ``dest`` with SQLite's online backup API (a
    consistent snapshot, read through the read-only connection); False if not SQLite."""
    if engine().dialect.name != "sqlite":
        return False
    raw = engine().raw_connection()
    try:
        target = sqlite3.connect(str(dest))
        try:
            raw.driver_connection.backup(target)
            _redact_paths(target)
        finally:
            target.close()
    finally:
        raw.close()
    return True


def _redact_paths(conn: sqlite3.Connection) -> None:
    """In a copy of the database: load runs name files, never the server's folders (and
    VACUUM, so the old text is not left in free pages)."""
    conn.create_function("file_name", 1, file_name, deterministic=True)
    conn.create_function("strip_folders", 1, strip_folders, deterministic=True)
    table = schema.load_runs.name
    conn.execute(f"UPDATE {table} SET file = file_name(file), message = strip_folders(message)")
    conn.commit()
    conn.execute("VACUUM")


@cached
def area_sources(kato: str) -> list[str]:
    """Codes of the sources of an area's observations, official statistics first.

    From :func:`area_observations` (the Overview's one query, cached), not a query of its own.
    """
    df = area_observations(kato)
    if df.empty:
        return []
    ranked = df.assign(rank=df["tier"].map(TIER_RANK).fillna(9))
    best = ranked.groupby("source", as_index=False)["rank"].min()
    return list(best.sort_values(["rank", "source"])["source"])


@cached
def area_sizes(katos: tuple[str, ...], year: int | None = None) -> pd.DataFrame:
    """Land area (km², derived from the boundaries by the ETL) of ``katos``: one row per area,
    from the latest boundary vintage not after ``year`` (else the oldest): area, km2,
    vintage, method, source. Empty on a database built before areas were computed."""
    s = schema.area_sizes
    with engine().connect() as conn:
        if not conn.dialect.has_table(conn, s.name):
            return pd.DataFrame(columns=["area", "vintage", "km2", "method", "source"])
    df = _read(select(s).where(s.c.area.in_(list(katos))).order_by(s.c.area, s.c.vintage))
    if year is None:
        return df.drop_duplicates("area", keep="last").reset_index(drop=True)
    before = df[df["vintage"] <= year].drop_duplicates("area", keep="last")
    after = df[~df["area"].isin(before["area"])].drop_duplicates("area", keep="first")
    return pd.concat([before, after]).sort_values("area").reset_index(drop=True)


# --- revisions: what each load changed --------------------------------------------------------

CHANGE_COLUMNS = [
    "indicator",
    "area",
    "year",
    "series",
    "source",
    "kind",
    "old_value",
    "new_value",
    "old_status",
    "old_note",
    "old_excerpt",
    "old_location",
    "old_source_title",
    "old_source_address",
    "old_source_retrieved",
    "load_run",
    "changed_at",  # when the load finished (UTC)
    "file",  # the load's file, without the server's folders
]


def _changes_stmt():  # noqa: ANN202
    r, runs = schema.revisions, schema.load_runs
    cols = [r.c[c] for c in CHANGE_COLUMNS[:-2]]
    return select(*cols, runs.c.finished_at.label("changed_at"), runs.c.file).join(
        runs, runs.c.id == r.c.load_run
    )


def _changes_frame(stmt) -> pd.DataFrame:  # noqa: ANN001
    if not _has_table(schema.revisions.name):
        return pd.DataFrame(columns=CHANGE_COLUMNS)
    df = _read(stmt)
    return df.assign(file=df["file"].map(file_name))


@cached
def revisions(indicator_code: str, areas_: tuple[str, ...]) -> pd.DataFrame:
    """The history of one indicator's figures in ``areas_``: every revision (value replaced
    by another of the same source) and withdrawal, oldest first, with ``changed_at`` (the
    load's finish, UTC) and the old value's status, note, excerpt, location and source
    details; columns :data:`CHANGE_COLUMNS`."""
    r = schema.revisions
    stmt = _changes_stmt().where(
        r.c.indicator == indicator_code, r.c.area.in_(list(areas_)), r.c.kind != "added"
    )
    return _changes_frame(stmt.order_by(r.c.load_run, r.c.area, r.c.year, r.c.source))


@cached
def changes(after: str, indicator_code: str | None = None, kato: str | None = None) -> pd.DataFrame:
    """Figures added, revised or withdrawn by the loads that finished at or after ``after``
    (ISO date or date-time, UTC), optionally of one indicator and of one area and the areas
    under it; newest first, columns :data:`CHANGE_COLUMNS`."""
    r, runs, a = schema.revisions, schema.load_runs, schema.areas
    since = pd.Timestamp(after).to_pydatetime()
    # the runs by id too: the view's arms are then read from those runs only (a join on the
    # finished time alone would expand every figure of every wholly new pair first)
    if not _has_table(r.name):
        return pd.DataFrame(columns=CHANGE_COLUMNS)
    ids = _read(select(runs.c.id).where(runs.c.finished_at >= since))["id"]
    if ids.empty:
        return pd.DataFrame(columns=CHANGE_COLUMNS)
    stmt = _changes_stmt().where(runs.c.finished_at >= since, r.c.load_run.in_(ids.tolist()))
    if indicator_code:
        stmt = stmt.where(r.c.indicator == indicator_code)
    if kato:
        under = select(a.c.kato).where(a.c.parent == kato).scalar_subquery()
        stmt = stmt.where((r.c.area == kato) | r.c.area.in_(under))
    return _changes_frame(
        stmt.order_by(r.c.load_run.desc(), r.c.indicator, r.c.area, r.c.year, r.c.source)
    )


@cached
def last_release() -> str | None:
    """When the latest load that changed figures started (UTC, ISO), or None."""
    if not _has_table(schema.revisions.name):
        return None
    r, runs, v, rp = (
        schema.revisions,
        schema.load_runs,
        schema.revision_values,
        schema.revision_pairs,
    )
    if _has_table(rp.name):  # the storage tables: the view would expand every implicit row
        changed = exists().where(v.c.load_run == runs.c.id) | exists().where(
            rp.c.load_run == runs.c.id
        )
        stmt = select(func.max(runs.c.started_at).label("at")).where(changed)
    else:  # a history before revision_pairs (the next load adds it)
        stmt = select(func.max(runs.c.started_at).label("at")).join(r, r.c.load_run == runs.c.id)
    at = _read(stmt)["at"].iloc[0]
    return None if at is None or pd.isna(at) else pd.Timestamp(at).isoformat()


@cached
def history_from() -> str | None:
    """When the first load finished (UTC, ISO): changes are recorded from then on."""
    runs = schema.load_runs
    at = _read(select(func.min(runs.c.finished_at).label("at")))["at"].iloc[0]
    return None if at is None or pd.isna(at) else pd.Timestamp(at).isoformat()
