"""Throwaway PostgreSQL and Redis servers on 127.0.0.1, started for a run and stopped by pid."""

from __future__ import annotations

import contextlib
import glob
import logging
import os
import shutil
import socket
import subprocess
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

log = logging.getLogger("bench")


class Unavailable(RuntimeError):
    """A server this machine cannot start (not installed, or no way to run it)."""


def free_port() -> int:
    """A free TCP port on 127.0.0.1."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _pg_bin() -> Path | None:
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"))
    return Path(found[-1]).parent if found else None


def _stop(proc: subprocess.Popen, name: str) -> None:
    if proc.poll() is None:
        proc.terminate()
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            log.warning("%s (pid %d) did not stop in 30 s: killing it", name, proc.pid)
            proc.kill()
            proc.wait(timeout=30)


@contextlib.contextmanager
def throwaway_postgres() -> Iterator[str]:
    """A fresh PostgreSQL cluster (Debian's ``postgresql``) on a free port of 127.0.0.1.

    Yields its SQLAlchemy URL; stops the server by its pid and deletes the cluster on exit.
    Raises :class:`Unavailable` when the server is not installed.
    """
    from sqlalchemy import create_engine, text

    bindir = _pg_bin()
    if bindir is None:
        raise Unavailable("PostgreSQL server not installed (apt-get install postgresql)")
    as_user: list[str] = []
    data = Path(tempfile.mkdtemp(prefix="bench-pg-"))
    if os.geteuid() == 0:  # postgres refuses to run as root
        if shutil.which("runuser") is None:
            raise Unavailable("running as root without runuser: cannot start PostgreSQL")
        shutil.chown(data, "postgres")
        as_user = ["runuser", "-u", "postgres", "--"]
    port = free_port()
    initdb = [str(bindir / "initdb"), "-D", str(data / "db"), "-A", "trust", "-U", "postgres"]
    subprocess.run(
        [*as_user, *initdb, "-E", "UTF8", "--no-sync"],
        check=True,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    proc = subprocess.Popen(
        [
            *as_user,
            str(bindir / "postgres"),
            "-D",
            str(data / "db"),
            "-p",
            str(port),
            "-k",
            str(data),
            "-c",
            "listen_addresses=127.0.0.1",
            "-c",
            "fsync=off",
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"postgresql+psycopg://postgres@127.0.0.1:{port}/postgres"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                engine = create_engine(url)
                with engine.connect() as conn:
                    conn.execute(text("SELECT 1"))
                engine.dispose()
                break
            except Exception as exc:  # noqa: BLE001 - still starting
                if time.monotonic() > deadline or proc.poll() is not None:
                    raise Unavailable(f"PostgreSQL did not start: {exc}") from exc
                time.sleep(0.2)
        log.info("throwaway PostgreSQL on 127.0.0.1:%d (pid %d)", port, proc.pid)
        yield url
    finally:
        _stop(proc, "PostgreSQL")
        shutil.rmtree(data, ignore_errors=True)


@contextlib.contextmanager
def throwaway_redis() -> Iterator[str]:
    """A fresh ``redis-server`` on a free port of 127.0.0.1, without persistence.

    Yields its URL; stops it by its pid on exit. Raises :class:`Unavailable` when
    redis-server is not installed.
    """
    import redis

    exe = shutil.which("redis-server")
    if exe is None:
        raise Unavailable("redis-server not installed (apt-get install redis-server)")
    port = free_port()
    proc = subprocess.Popen(
        [exe, "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"redis://127.0.0.1:{port}/0"
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                redis.Redis.from_url(url).ping()
                break
            except redis.ConnectionError as exc:
                if time.monotonic() > deadline or proc.poll() is not None:
                    raise Unavailable(f"redis-server did not start: {exc}") from exc
                time.sleep(0.1)
        log.info("throwaway Redis on 127.0.0.1:%d (pid %d)", port, proc.pid)
        yield url
    finally:
        _stop(proc, "redis-server")


@contextlib.contextmanager
def own_database(server_url: str) -> Iterator[str]:
    """A new database on the PostgreSQL server at ``server_url``, dropped on exit.

    The benchmark's synthetic data goes there, never into the database the URL names.
    """
    from sqlalchemy import create_engine, text
    from sqlalchemy.engine import make_url

    name = f"aral_bench_synthetic_{os.getpid()}"
    admin = create_engine(server_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}"'))
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    url = make_url(server_url).set(database=name).render_as_string(hide_password=False)
    try:
        yield url
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()
