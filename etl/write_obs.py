"""Write observation frames into ``observation_values``: codes to integer ids, repeated texts
stored once, rows in bulk (executemany of plain tuples on SQLite, COPY on PostgreSQL).

The frames have the columns of :data:`etl.batch.OBSERVATION_COLUMNS` (object or categorical
columns alike) and are already validated. Work is done column by column with pandas and numpy
on the distinct values of each column; the only per-row Python objects are the tuples handed
to the driver.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable, Iterable

import numpy as np
import pandas as pd
from sqlalchemy import Connection, Engine, func, inspect, select

from store import schema

log = logging.getLogger(__name__)

KEYS = (
    (schema.indicator_ids, schema.indicators.c.code),
    (schema.area_ids, schema.areas.c.kato),
    (schema.source_ids, schema.sources.c.code),
)
COLUMNS = [c.name for c in schema.observation_values.columns]
# Where a location's "place" (the file and sheet, shared by many rows) ends and its cell begins:
# after the last "!" (``file.xlsx!sheet!B12``), else before ", row " (``sheet «X», row 8, column
# AH``); otherwise the whole location is the place. Any split is lossless: location = place+cell.
_SPLIT = re.compile(r"^(.*!|.*?(?=, row ))(.*)$", re.DOTALL)


def split_location(location: str | None) -> tuple[str | None, str | None]:
    """(place, cell) of a location: place + cell == location; cell None when empty."""
    if location is None:
        return None, None
    m = _SPLIT.match(location)
    if m is None:
        return location, None
    return m.group(1), m.group(2) or None


class ObservationWriter:
    """Writes observations through one connection, inside the load's transaction."""

    def __init__(self, conn: Connection) -> None:
        self.conn = conn
        self.ids = {t.name: _sync_ids(conn, t, catalogue) for t, catalogue in KEYS}
        n = schema.observation_notes
        self.notes: dict[tuple, int] = {
            (r.note, r.excerpt, r.place): r.id
            for r in conn.execute(select(n.c.id, n.c.note, n.c.excerpt, n.c.place))
        }
        self.next_note = (conn.execute(select(func.max(n.c.id))).scalar() or 0) + 1
        self.cleared: set[tuple[str, str]] = set()
        # called with the pairs of every clear() before anything is deleted (etl.revisions)
        self.before_clear: Callable[[set[tuple[str, str]]], None] | None = None

    def clear(self, pairs: Iterable[tuple[str, str]]) -> None:
        """Delete what each (source, indicator) pair said before, once per pair per load (the
        rows this load wrote stay)."""
        pairs = set(pairs)
        if self.before_clear is not None:
            self.before_clear(pairs)
        todo = sorted(pairs - self.cleared)
        if not todo:
            return
        self.cleared.update(todo)
        src, ind = self.ids["source_ids"], self.ids["indicator_ids"]
        params = [(src[s], ind[i]) for s, i in todo if s in src and i in ind]
        if params:
            self.conn.exec_driver_sql(
                f"DELETE FROM {schema.observation_values.name} "
                f"WHERE source_id = {_mark(self.conn)} AND indicator_id = {_mark(self.conn)}",
                params,
            )

    def clear_figures(self, obs: pd.DataFrame) -> None:
        """Delete what the sources of ``obs`` said before about exactly its figures (indicator,
        area, year, series), leaving their other figures: a batch that replaces figures, not
        whole (source, indicator) pairs. ``before_clear`` sees the pairs concerned."""
        if obs.empty:
            return
        keys = obs[["source", "indicator", "area", "year", "series"]].drop_duplicates()
        if self.before_clear is not None:
            self.before_clear(set(zip(keys["source"], keys["indicator"], strict=True)))
        src, ind, area = (self.ids[t] for t in ("source_ids", "indicator_ids", "area_ids"))
        params = [
            (src[s], ind[i], area[a], int(y), str(se or ""))
            for s, i, a, y, se in keys.itertuples(index=False)
            if s in src and i in ind and a in area
        ]
        if params:
            m = _mark(self.conn)
            self.conn.exec_driver_sql(
                f"DELETE FROM {schema.observation_values.name} WHERE source_id = {m} "
                f"AND indicator_id = {m} AND area_id = {m} AND year = {m} AND series = {m}",
                params,
            )

    def insert(self, obs: pd.DataFrame) -> int:
        """Insert validated observations (their pairs cleared first); returns the rows."""
        if obs.empty:
            return 0
        ind = self._codes(obs["indicator"], "indicator_ids")
        area = self._codes(obs["area"], "area_ids")
        src = self._codes(obs["source"], "source_ids")
        year = pd.to_numeric(obs["year"]).to_numpy(dtype=np.int64)
        value = pd.to_numeric(obs["value"]).to_numpy(dtype=np.float64)
        series = _texts(obs["series"], "")
        status = _texts(obs["status"], "actual")
        approx = obs["year_approx"].astype(object).fillna(False).astype(bool).to_numpy()
        note_id, cell = self._notes(obs)
        order = np.lexsort((src, year, area, ind))  # the primary key's order: appends
        rows = zip(
            ind[order].tolist(),
            area[order].tolist(),
            year[order].tolist(),
            series[order].tolist(),
            src[order].tolist(),
            value[order].tolist(),
            status[order].tolist(),
            approx[order].tolist(),
            note_id[order].tolist(),
            cell[order].tolist(),
            strict=True,
        )
        _bulk_insert(self.conn, rows)
        return len(obs)

    def _codes(self, column: pd.Series, table: str) -> np.ndarray:
        codes, uniques = pd.factorize(column)
        known = self.ids[table]
        return np.array([known[u] for u in uniques], dtype=np.int64)[codes]

    def _notes(self, obs: pd.DataFrame) -> tuple[np.ndarray, np.ndarray]:
        """The id of each row's (note, excerpt, place) (new ones inserted) and its cell."""
        loc_codes, locs = pd.factorize(obs["location"])
        split = [split_location(x) for x in locs]
        place_codes, places = pd.factorize(
            pd.Series([p for p, _ in split], dtype=object), use_na_sentinel=True
        )
        cells = np.array([c for _, c in split] + [None], dtype=object)
        cell = cells[loc_codes]  # -1 (no location) takes the None at the end
        place = np.append(place_codes, -1)[loc_codes]
        note_codes, notes = pd.factorize(obs["note"])
        excerpt_codes, excerpts = pd.factorize(obs["excerpt"])
        # one integer per (note, excerpt, place) triple, each code shifted past its -1
        e, p = len(excerpts) + 1, len(places) + 1
        triple = (note_codes + 1).astype(np.int64) * e * p + (excerpt_codes + 1) * p + (place + 1)
        uniq, inverse = np.unique(triple, return_inverse=True)
        ids = np.empty(len(uniq), dtype=np.int64)
        new = []
        for k, t in enumerate(uniq.tolist()):
            n, rest = divmod(t, e * p)
            x, q = divmod(rest, p)
            key = (
                notes[n - 1] if n else None,
                excerpts[x - 1] if x else None,
                places[q - 1] if q else None,
            )
            if key not in self.notes:
                self.notes[key] = self.next_note
                new.append(
                    {"id": self.next_note, "note": key[0], "excerpt": key[1], "place": key[2]}
                )
                self.next_note += 1
            ids[k] = self.notes[key]
        if new:
            self.conn.execute(schema.observation_notes.insert(), new)
        return ids[inverse.reshape(-1)], cell


def _texts(column: pd.Series, empty: str) -> np.ndarray:
    """A text column as an object array (one Python string per distinct value, shared)."""
    codes, uniques = pd.factorize(column)
    values = np.array([*map(str, uniques), empty], dtype=object)
    return values[codes]


def _sync_ids(conn: Connection, ids, catalogue) -> dict[str, int]:  # noqa: ANN001
    """Give every code of the catalogue an id (new codes in code order); code -> id."""
    have = select(ids.c.code)
    conn.execute(
        ids.insert().from_select(
            ["code"],
            select(catalogue).where(catalogue.not_in(have)).order_by(catalogue),
        )
    )
    return dict(conn.execute(select(ids.c.code, ids.c.id)).all())


def _mark(conn: Connection) -> str:
    return "?" if conn.dialect.name == "sqlite" else "%s"


def _bulk_insert(conn: Connection, rows: Iterable[tuple]) -> None:
    """Rows into observation_values: the driver's executemany on SQLite, COPY on PostgreSQL,
    inside the connection's transaction."""
    table = schema.observation_values.name
    raw = conn.connection.driver_connection
    if conn.dialect.name == "sqlite":
        marks = ", ".join("?" for _ in COLUMNS)
        raw.executemany(f"INSERT INTO {table} ({', '.join(COLUMNS)}) VALUES ({marks})", rows)
    elif conn.dialect.driver == "psycopg":
        with raw.cursor() as cur, cur.copy(f"COPY {table} ({', '.join(COLUMNS)}) FROM STDIN") as cp:
            for row in rows:
                cp.write_row(row)
    else:
        conn.execute(
            schema.observation_values.insert(), [dict(zip(COLUMNS, r, strict=True)) for r in rows]
        )


def drop_foreign_keys(engine: Engine) -> None:
    """On PostgreSQL: drop the foreign keys that databases created before they were left out
    kept on observation_values (see store.schema: a lookup per row per key on every load); called by
    etl.load.ensure_schema.
    SQLite cannot drop them, and its loads never check them."""
    if engine.dialect.name != "postgresql":
        return
    table = schema.observation_values.name
    names = [fk["name"] for fk in inspect(engine).get_foreign_keys(table) if fk.get("name")]
    if not names:
        return
    log.warning("dropping %d foreign keys of %s (once)", len(names), table)
    with engine.begin() as conn:
        for name in names:
            conn.exec_driver_sql(f'ALTER TABLE {table} DROP CONSTRAINT IF EXISTS "{name}"')


__all__ = ["ObservationWriter", "drop_foreign_keys", "split_location"]
