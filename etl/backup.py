"""Backup and restore of the indicator database.

SQLite: SQLite's online backup API, a consistent copy taken while the app reads (and while a
load writes: the copy holds the last commit). PostgreSQL: ``pg_dump --format=custom`` and
``pg_restore --clean --single-transaction``. A restore checks the file first (a SQLite file
with the indicator schema that passes ``PRAGMA integrity_check``, or a dump ``pg_restore
--list`` can read), replaces the whole database in one step, and then sets the data version
past both the backup's and the database's, so that no cached result of either survives.
"""

from __future__ import annotations

import glob
import logging
import shutil
import sqlite3
import subprocess
from pathlib import Path

from sqlalchemy import Engine, select, update
from sqlalchemy.engine import make_url

from etl.batch import LoadError, ValidationFailed
from store import schema
from store.db import sqlite_path, writable_engine

log = logging.getLogger(__name__)


class BackupError(Exception):
    """A backup or restore that cannot be done; the message says why."""


def backup(url: str, dest: Path) -> None:
    """Write a backup of the database at ``url`` to ``dest`` (which must not exist)."""
    if dest.exists():
        raise BackupError(f"{dest}: already exists; give a new file name")
    path = sqlite_path(url)
    if path is not None:
        if not path.is_file():
            raise BackupError(f"{path}: no database to back up")
        dest.parent.mkdir(parents=True, exist_ok=True)
        source = sqlite3.connect(f"file:{path.resolve()}?mode=ro", uri=True)
        target = sqlite3.connect(dest)
        try:
            source.backup(target)
            target.execute("PRAGMA journal_mode=DELETE")  # one self-contained file
        finally:
            target.close()
            source.close()
        return
    _run([_pg_tool("pg_dump"), "--format=custom", "--no-owner", "-f", str(dest), _libpq(url)])


def restore(url: str, src: Path) -> str:
    """Replace the database at ``url`` with the backup ``src``; returns the new data version."""
    if not src.is_file():
        raise BackupError(f"{src}: no such backup file")
    path = sqlite_path(url)
    previous = _current_version(url)
    if path is not None:
        _check_sqlite_backup(src)
        path.parent.mkdir(parents=True, exist_ok=True)
        source = sqlite3.connect(f"file:{src.resolve()}?mode=ro", uri=True)
        target = sqlite3.connect(path, timeout=30)
        try:
            source.backup(target)
        finally:
            target.close()
            source.close()
    else:
        pg_restore = _pg_tool("pg_restore")
        _run([pg_restore, "--list", str(src)], what=f"{src}: not a pg_dump archive")
        _run(
            [
                pg_restore,
                "--clean",
                "--if-exists",
                "--no-owner",
                "--single-transaction",
                "--dbname",
                _libpq(url),
                str(src),
            ]
        )
    return _bump_past(writable_engine(url), previous)


def _check_sqlite_backup(src: Path) -> None:
    def refuse(message: str) -> None:
        raise ValidationFailed([LoadError(str(src), None, None, message)])

    try:
        conn = sqlite3.connect(f"file:{src.resolve()}?mode=ro", uri=True)
        try:
            tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master")}
            check = conn.execute("PRAGMA integrity_check").fetchone()[0]
        finally:
            conn.close()
    except sqlite3.DatabaseError as exc:
        refuse(f"not a SQLite database backup ({exc})")
    missing = set(schema.metadata.tables) - tables
    if "revisions" in tables:  # the history before revision_values: the next load moves it
        missing -= {schema.revision_values.name, schema.revision_details.name}
    missing -= {schema.revision_pairs.name}  # a history before it: the next load adds it
    missing = sorted(missing)
    if missing:
        refuse(f"not a backup of the indicator database: no table(s) {', '.join(missing)}")
    if check != "ok":
        refuse(f"the backup is damaged: integrity check says {check!r}")


def _current_version(url: str) -> int:
    """The data version of the database before a restore (0 if it has none)."""
    path = sqlite_path(url)
    if path is not None and not path.is_file():
        return 0
    engine = writable_engine(url)
    try:
        with engine.connect() as conn:
            value = conn.execute(
                select(schema.meta.c.value).where(schema.meta.c.key == "data_version")
            ).scalar()
    except Exception:  # noqa: BLE001 - no schema yet
        value = None
    finally:
        engine.dispose()
    return int(value or 0)


def _bump_past(engine: Engine, other: int) -> str:
    """Set the data version past the restored one and the one before (caches key on it)."""
    with engine.begin() as conn:
        current = conn.execute(
            select(schema.meta.c.value).where(schema.meta.c.key == "data_version")
        ).scalar()
        new = str(max(int(current or 0), other) + 1)
        if current is None:
            conn.execute(schema.meta.insert(), {"key": "data_version", "value": new})
        else:
            conn.execute(
                update(schema.meta).where(schema.meta.c.key == "data_version").values(value=new)
            )
    engine.dispose()
    return new


def _libpq(url: str) -> str:
    """A SQLAlchemy URL as libpq understands it (no "+driver")."""
    parsed = make_url(url).set(drivername="postgresql")
    return parsed.render_as_string(hide_password=False)


def _pg_tool(name: str) -> str:
    found = shutil.which(name) or next(
        iter(sorted(glob.glob(f"/usr/lib/postgresql/*/bin/{name}"), reverse=True)), None
    )
    if found is None:
        raise BackupError(f"{name} not found: install the PostgreSQL client tools")
    return found


def _run(cmd: list[str], what: str | None = None) -> None:
    done = subprocess.run(cmd, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        detail = (done.stderr.strip().splitlines() or ["failed"])[-1]
        raise BackupError(f"{what or Path(cmd[0]).name}: {detail}")
