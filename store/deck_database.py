"""The deck database: opening ``DECKS_DATABASE_URL``, creating it on first use and adding the
shipped decks (data/decks/*.json) then, once; read-only with DECKS_READONLY (see
:mod:`store.decks`); and the random key kept in it that signs this server's CSRF tokens.
"""

from __future__ import annotations

import json
import logging
import secrets
import threading
import time

from sqlalchemy import Connection, Engine, create_engine, insert, inspect, select
from sqlalchemy.exc import IntegrityError, OperationalError, ProgrammingError
from sqlalchemy.pool import StaticPool

import config
from store.db import readonly_engine, sqlite_path, writable_engine
from store.deck_access import read_only
from store.deck_checks import import_deck
from store.deck_tables import deck_id_of, deck_meta, decks, metadata, now_utc

log = logging.getLogger(__name__)

DECKS_DIR = config.DATA_DIR / "decks"


_engine: Engine | None = None
_engine_read_only = False
_url: str | None = None
_lock = threading.Lock()


def use(url: str | None = None) -> Engine:
    """Point the deck store at ``url`` (default: DECKS_DATABASE_URL); creates and seeds it
    (with DECKS_READONLY on: opens it read-only, see the module's doc)."""
    global _engine, _engine_read_only, _url
    with _lock:
        if _engine is not None:
            _engine.dispose()
        _url, _engine_read_only = url, read_only()
        full = config.get("DECKS_DATABASE_URL", url)
        if _engine_read_only:
            _engine = _open_read_only(full)
        else:
            _engine = writable_engine(full)
            _create_and_seed(_engine)
        return _engine


def _open_read_only(url: str) -> Engine:
    """The deck database read-only, or, when it has never been used, the shipped decks
    in memory."""
    path = sqlite_path(url)
    if path is None or path.exists():
        eng = readonly_engine(url)
        if inspect(eng).has_table(decks.name):
            return eng
        eng.dispose()
    log.info("decks: %s has no decks yet; serving data/decks/ from memory (read-only)", url)
    eng = create_engine(
        "sqlite://", poolclass=StaticPool, connect_args={"check_same_thread": False}
    )
    _create_and_seed(eng)
    return eng


def engine() -> Engine:
    """The deck database, opened again if DECKS_READONLY has changed since it was opened."""
    if _engine is None or _engine_read_only != read_only():
        return use(_url)
    return _engine


def dispose() -> None:
    """Close the deck database; the next call opens DECKS_DATABASE_URL again."""
    global _engine, _url
    with _lock:
        if _engine is not None:
            _engine.dispose()
        _engine, _url = None, None


def _create_and_seed(eng: Engine, wait: float = 120.0) -> None:
    """Create the tables and add the shipped decks, once, however many processes start
    at the same time (gunicorn workers answering their first requests together).

    On SQLite the whole step holds the write lock (BEGIN IMMEDIATE, waiting up to 30 s for
    it), so the first process creates and seeds while the others wait and then find it
    done; a process that still loses a race (a unique key, a table another created, a busy
    database) rolls back and tries again, for up to ``wait`` seconds.
    """
    deadline = time.monotonic() + wait
    attempt = 0
    while True:
        attempt += 1
        try:
            with eng.connect() as conn:
                if eng.dialect.name == "sqlite":
                    conn.exec_driver_sql("PRAGMA busy_timeout = 30000")
                    conn.exec_driver_sql("BEGIN IMMEDIATE")
                metadata.create_all(conn)
                _seed(conn)
                conn.commit()
            return
        except (IntegrityError, OperationalError, ProgrammingError) as exc:
            if time.monotonic() > deadline:
                raise
            log.info("decks: first use raced another process (%s); trying again", exc.orig)
            time.sleep(min(0.05 * attempt, 1.0))


def _seed(conn: Connection) -> None:
    """Add the decks shipped under data/decks/ the first time the database is used, and
    the random key that signs this server's CSRF tokens (see :func:`secret_key`)."""
    seeded = conn.execute(select(deck_meta.c.value).where(deck_meta.c.key == "seeded")).scalar()
    if not seeded:
        for path in sorted(DECKS_DIR.glob("*.json")):
            doc = json.loads(path.read_text(encoding="utf-8"))
            if deck_id_of(conn, doc.get("slug", "")) is None:
                import_deck(conn, doc, check_refs=False)
                log.info("decks: added %s from %s", doc.get("slug"), path.name)
        conn.execute(insert(deck_meta).values(key="seeded", value=now_utc().isoformat()))
    has_key = conn.execute(select(deck_meta.c.key).where(deck_meta.c.key == "secret_key")).first()
    if has_key is None:
        conn.execute(insert(deck_meta).values(key="secret_key", value=secrets.token_hex(32)))


def secret_key() -> str:
    """The random key kept in the deck database (made on first use, shared by every
    worker process); a fresh random key per process when the database is read-only and
    has none."""
    global _process_key
    with engine().connect() as conn:
        value = conn.execute(
            select(deck_meta.c.value).where(deck_meta.c.key == "secret_key")
        ).scalar()
    if value:
        return value
    if _process_key is None:
        _process_key = secrets.token_hex(32)
    return _process_key


_process_key: str | None = None
