"""Throwaway PostgreSQL and Redis servers on 127.0.0.1 for the tests, stopped by their PID.

``python -m tests.servers -- COMMAND...`` (what ``make test-pg`` runs) starts a PostgreSQL
cluster (the newest ``/usr/lib/postgresql/*/bin``, as the unprivileged ``postgres`` user when
run as root: the server refuses root) and a ``redis-server``, each on a free port, runs
COMMAND with ``DATABASE_URL_TEST_PG`` and ``REDIS_URL_TEST`` pointing at them, then stops both
by PID and deletes their files, whether COMMAND passed, failed or was interrupted. The exit
code is COMMAND's. The tests start a Redis of their own the same way when ``REDIS_URL_TEST``
is not set.
"""

from __future__ import annotations

import argparse
import contextlib
import glob
import logging
import os
import pwd
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

log = logging.getLogger("tests.servers")
STARTUP_SECONDS = 60


class ServerError(RuntimeError):
    """A server could not be started (not installed, or it did not answer in time)."""


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on now."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _wait(ready, proc: subprocess.Popen, what: str) -> None:  # noqa: ANN001
    """Poll ``ready()`` until it answers True; fail if the server exits or takes too long."""
    deadline = time.monotonic() + STARTUP_SECONDS
    while not ready():
        if proc.poll() is not None:
            raise ServerError(f"{what} exited with code {proc.returncode} while starting")
        if time.monotonic() > deadline:
            raise ServerError(f"{what} did not answer within {STARTUP_SECONDS} s")
        time.sleep(0.1)


def _stop(proc: subprocess.Popen, what: str, sig: int = signal.SIGTERM) -> None:
    """Stop one server by its PID: ``sig``, then SIGKILL if it is still there after 30 s."""
    if proc.poll() is None:
        log.info("stopping %s (pid %d)", what, proc.pid)
        os.kill(proc.pid, sig)
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.kill(proc.pid, signal.SIGKILL)
            proc.wait(timeout=30)


def _pg_bin() -> Path | None:
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"), key=_version_key)
    return Path(found[-1]).parent if found else None


def _version_key(path: str) -> tuple[int, ...]:
    part = Path(path).parents[1].name
    return tuple(int(p) for p in part.split(".") if p.isdigit())


def _as_postgres_user() -> dict:
    """Popen arguments that run a child as ``postgres`` when this process is root."""
    if os.geteuid() != 0:
        return {}
    try:
        pw = pwd.getpwnam("postgres")
    except KeyError as exc:
        raise ServerError("running as root and there is no 'postgres' user") from exc
    return {"user": pw.pw_uid, "group": pw.pw_gid, "extra_groups": []}


@contextlib.contextmanager
def postgres() -> Iterator[str]:
    """A fresh PostgreSQL cluster on 127.0.0.1; yields its URL (database ``postgres``)."""
    bindir = _pg_bin()
    if bindir is None:
        raise ServerError("PostgreSQL is not installed (apt-get install postgresql)")
    # Not under pytest's tmp folder: that is private to root, and the server runs as postgres.
    folder = Path(tempfile.mkdtemp(prefix="aral-pg-"))
    user = _as_postgres_user()
    if user:
        os.chown(folder, user["user"], user["group"])
    port = free_port()
    quiet = {"stdout": subprocess.DEVNULL, "cwd": folder, **user}
    proc = None
    try:
        _initdb(bindir, folder, quiet)
        proc = subprocess.Popen(
            [str(bindir / "postgres"), "-D", str(folder / "db"), "-p", str(port), "-k", str(folder)]
            + ["-c", "listen_addresses=127.0.0.1", "-c", "fsync=off"]
            + ["-c", "synchronous_commit=off", "-c", "full_page_writes=off"],
            stderr=subprocess.DEVNULL,
            **quiet,
        )
        url = f"postgresql+psycopg://postgres@127.0.0.1:{port}/postgres"
        _wait(lambda: _pg_answers(port), proc, "PostgreSQL")
        log.info("PostgreSQL %s on 127.0.0.1:%d (pid %d)", bindir.parent.name, port, proc.pid)
        yield url
    finally:
        if proc is not None:
            _stop(proc, "PostgreSQL", signal.SIGINT)  # SIGINT: fast shutdown
        shutil.rmtree(folder, ignore_errors=True)


def _initdb(bindir: Path, folder: Path, how: dict) -> None:
    made = subprocess.run(
        [str(bindir / "initdb"), "-D", str(folder / "db"), "-A", "trust", "-U", "postgres"]
        + ["-E", "UTF8", "--no-sync", "--locale=C"],
        stderr=subprocess.PIPE,
        text=True,
        **how,
    )
    if made.returncode != 0:
        raise ServerError(f"initdb failed: {made.stderr.strip()[-500:]}")


def _pg_answers(port: int) -> bool:
    import psycopg

    try:
        psycopg.connect(f"host=127.0.0.1 port={port} user=postgres dbname=postgres").close()
    except psycopg.OperationalError:
        return False
    return True


@contextlib.contextmanager
def redis() -> Iterator[str]:
    """A fresh redis-server on 127.0.0.1 that keeps nothing on disk; yields its URL."""
    exe = shutil.which("redis-server")
    if exe is None:
        raise ServerError("redis-server is not installed (apt-get install redis-server)")
    folder = Path(tempfile.mkdtemp(prefix="aral-redis-"))
    port = free_port()
    proc = subprocess.Popen(
        [exe, "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"]
        + ["--dir", str(folder)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"redis://127.0.0.1:{port}/0"
    try:
        _wait(lambda: _redis_answers(url), proc, "redis-server")
        log.info("redis-server on 127.0.0.1:%d (pid %d)", port, proc.pid)
        yield url
    finally:
        _stop(proc, "redis-server")
        shutil.rmtree(folder, ignore_errors=True)


def _redis_answers(url: str) -> bool:
    import redis as redis_client

    try:
        return bool(redis_client.Redis.from_url(url, socket_timeout=1).ping())
    except redis_client.RedisError:
        return False


def _interrupt(signum: int, _frame) -> None:  # noqa: ANN001
    raise KeyboardInterrupt(f"signal {signum}")


def main(argv: list[str] | None = None) -> int:
    """Start PostgreSQL and Redis, run the command with their URLs, stop both; its exit code."""
    parser = argparse.ArgumentParser(prog="python -m tests.servers", description=__doc__)
    parser.add_argument("command", nargs=argparse.REMAINDER, help="command to run (after --)")
    args = parser.parse_args(argv)
    command = args.command[1:] if args.command[:1] == ["--"] else args.command
    if not command:
        parser.error("give the command to run after --")
    logging.basicConfig(level=logging.INFO, format="%(name)s: %(message)s")
    # A SIGTERM (CI cancelled, `kill`) stops the servers too, like Ctrl-C.
    signal.signal(signal.SIGTERM, _interrupt)
    try:
        with postgres() as pg_url, redis() as redis_url:
            env = {**os.environ, "DATABASE_URL_TEST_PG": pg_url, "REDIS_URL_TEST": redis_url}
            return subprocess.run(command, env=env).returncode
    except ServerError as exc:
        log.error("%s", exc)
        return 1
    except KeyboardInterrupt:
        log.error("interrupted")
        return 130


if __name__ == "__main__":
    sys.exit(main())
