"""Engines: read-write for the ETL, read-only for the web process."""

from __future__ import annotations

import logging
import sqlite3
from pathlib import Path

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import make_url
from sqlalchemy.pool import QueuePool

import config

log = logging.getLogger(__name__)
BUSY_TIMEOUT_MS = 30_000


def _sqlite_pragmas(engine: Engine) -> None:
    """Foreign keys on; write-ahead logging, so that readers keep reading the last committed
    data while a load writes, and a killed load leaves nothing for them to recover."""

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_conn, _record):  # noqa: ANN001
        cur = dbapi_conn.cursor()
        cur.execute("PRAGMA foreign_keys=ON")
        cur.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
        cur.execute("PRAGMA journal_mode=WAL")
        cur.close()


def recover_sqlite(path: Path) -> bool:
    """Roll back what a killed writer left in a rollback journal and switch the file to WAL.

    A read-only connection cannot roll back a hot journal, so a database written before WAL
    (or by another tool) would be unreadable after a crash until some writer opened it. This
    is that writer, run before a read-only engine opens the file; it changes no data. True if
    it recovered something. WAL databases need no step: readers ignore uncommitted frames.
    """
    journal = path.with_name(path.name + "-journal")
    if not (path.is_file() and journal.is_file() and journal.stat().st_size > 0):
        return False
    try:
        conn = sqlite3.connect(str(path), timeout=BUSY_TIMEOUT_MS / 1000)
        try:
            conn.execute("SELECT count(*) FROM sqlite_master").fetchone()  # rolls back
            conn.execute("PRAGMA journal_mode=WAL")
        finally:
            conn.close()
    except (sqlite3.Error, OSError) as exc:
        log.warning("%s: could not recover the interrupted write (%s)", path, exc)
        return False
    log.warning("%s: rolled back an interrupted write", path)
    return True


def sqlite_path(url: str) -> Path | None:
    """The file of a SQLite URL, or None for other databases and in-memory SQLite."""
    parsed = make_url(url)
    if (
        parsed.get_backend_name() != "sqlite"
        or not parsed.database
        or parsed.database == ":memory:"
    ):
        return None
    return Path(parsed.database)


def writable_engine(url: str | None = None) -> Engine:
    """An engine the ETL writes through; creates the SQLite file's folder if needed."""
    url = config.database_url(url)
    path = sqlite_path(url)
    if path is not None:
        path.parent.mkdir(parents=True, exist_ok=True)
    engine = create_engine(url)
    if engine.dialect.name == "sqlite":
        _sqlite_pragmas(engine)
    return engine


def readonly_engine(url: str | None = None) -> Engine:
    """An engine that cannot write: SQLite opened with mode=ro, PostgreSQL read-only sessions."""
    url = config.database_url(url)
    path = sqlite_path(url)
    if path is not None:
        recover_sqlite(path)
        uri = f"file:{path.resolve()}?mode=ro"
        # QueuePool: each request thread checks out a connection of its own (the default
        # pool for "sqlite://" shares per-thread singletons, unsafe with many threads).
        return create_engine(
            "sqlite://",
            creator=lambda: _sqlite_ro_connect(uri),
            poolclass=QueuePool,
            pool_size=5,
            max_overflow=10,
        )
    engine = create_engine(url, pool_pre_ping=True)
    if engine.dialect.name == "postgresql":

        @event.listens_for(engine, "connect")
        def _ro(dbapi_conn, _record):  # noqa: ANN001
            cur = dbapi_conn.cursor()
            cur.execute("SET SESSION CHARACTERISTICS AS TRANSACTION READ ONLY")
            cur.close()
            dbapi_conn.commit()

    return engine


def _sqlite_ro_connect(uri: str):  # noqa: ANN202
    """A read-only connection. A WAL database in a folder this process cannot write (no
    -shm file can be made) is opened as immutable when no -wal file exists: then every
    committed page is in the main file."""
    conn = sqlite3.connect(uri, uri=True, check_same_thread=False)
    try:
        conn.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
        conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
    except sqlite3.OperationalError:
        conn.close()
        path = Path(uri.removeprefix("file:").split("?", 1)[0])
        if path.with_name(path.name + "-wal").exists():
            raise
        conn = sqlite3.connect(uri + "&immutable=1", uri=True, check_same_thread=False)
    return conn
