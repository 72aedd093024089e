"""Engines: read-write for the ETL, read-only for the web process."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import make_url
from sqlalchemy.pool import QueuePool

import config


def _sqlite_pragmas(engine: Engine) -> None:
    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_conn, _record):  # noqa: ANN001
        cur = dbapi_conn.cursor()
        cur.execute("PRAGMA foreign_keys=ON")
        cur.close()


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
    import sqlite3

    return sqlite3.connect(uri, uri=True, check_same_thread=False)
