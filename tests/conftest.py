"""Shared fixtures: paths, the real files under ../shared, small built databases."""

from __future__ import annotations

import hashlib
import os
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
# The real source files: ../shared beside the project, or INDICATORS_SHARED_DIR (an empty folder
# there reproduces a clone with nothing beside it).
SHARED = Path(os.environ.get("INDICATORS_SHARED_DIR") or ROOT / ".." / "shared").resolve()
FIXTURES = ROOT / "tests" / "fixtures"
# A PostgreSQL server (URL of a database there the tests may create databases from, e.g.
# postgresql+psycopg://postgres@127.0.0.1:5432/postgres) and a Redis (redis://host:port/0):
# when set, the tests marked `postgres` build their databases on that server and the app's
# cache is that Redis (`make test-pg` starts both; see tests/servers.py). Else SQLite files.
PG_SERVER = os.environ.get("DATABASE_URL_TEST_PG", "")
REDIS_SERVER = os.environ.get("REDIS_URL_TEST", "")


class Databases:
    """Empty databases for one test (or module, or session) on the backend under test: a SQLite
    file under ``folder``, or a new database on ``DATABASE_URL_TEST_PG`` dropped at the end."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.made: list[str] = []

    @property
    def postgres(self) -> bool:
        return bool(PG_SERVER)

    def new(self, name: str) -> str:
        """The URL of a new, empty database."""
        if not PG_SERVER:
            return f"sqlite:///{self.folder / f'{name}.db'}"
        from sqlalchemy.engine import make_url

        db = f"t_{uuid.uuid4().hex[:10]}_{name}".lower()
        self._admin(f'CREATE DATABASE "{db}"')
        self.made.append(db)
        return make_url(PG_SERVER).set(database=db).render_as_string(hide_password=False)

    def copy(self, source: str, name: str) -> str:
        """The URL of a new database holding what ``source`` holds (a database of this backend):
        SQLite's backup API, or PostgreSQL's ``CREATE DATABASE ... TEMPLATE`` (which needs the
        source's other sessions closed; pooled engines reconnect)."""
        if not PG_SERVER:
            import sqlite3

            from store.db import sqlite_path

            url = self.new(name)
            src = sqlite3.connect(f"file:{sqlite_path(source)}?mode=ro", uri=True)
            dest = sqlite3.connect(str(sqlite_path(url)))
            try:
                src.backup(dest)
            finally:
                dest.close()
                src.close()
            return url
        from sqlalchemy.engine import make_url

        template = make_url(source).database
        self._admin(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
            f"WHERE datname = '{template}' AND pid <> pg_backend_pid()"
        )
        db = f"t_{uuid.uuid4().hex[:10]}_{name}".lower()
        self._admin(f'CREATE DATABASE "{db}" TEMPLATE "{template}"')
        self.made.append(db)
        return make_url(PG_SERVER).set(database=db).render_as_string(hide_password=False)

    def drop(self) -> None:
        for db in self.made:
            self._admin(f'DROP DATABASE IF EXISTS "{db}" WITH (FORCE)')
        self.made.clear()

    @staticmethod
    def _admin(statement: str) -> None:
        from sqlalchemy import create_engine, text

        engine = create_engine(PG_SERVER, isolation_level="AUTOCOMMIT")
        try:
            with engine.connect() as conn:
                conn.execute(text(statement))
        finally:
            engine.dispose()


@pytest.fixture
def databases(tmp_path: Path) -> Iterator[Databases]:
    """New databases for one test on the backend under test (SQLite or PostgreSQL)."""
    made = Databases(tmp_path)
    yield made
    made.drop()


@pytest.fixture(scope="module")
def module_databases(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Databases]:
    made = Databases(tmp_path_factory.mktemp("db"))
    yield made
    made.drop()


@pytest.fixture(scope="session")
def session_databases(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Databases]:
    made = Databases(tmp_path_factory.mktemp("db"))
    yield made
    made.drop()


def fingerprint(url: str) -> str:
    """What a database holds, to show that something wrote nothing: a SQLite file's bytes, or
    every row of every table of a PostgreSQL database, in key order."""
    from sqlalchemy import create_engine, inspect, text

    from store.db import sqlite_path

    path = sqlite_path(url)
    if path is not None:
        return hashlib.sha256(path.read_bytes()).hexdigest()
    digest = hashlib.sha256()
    engine = create_engine(url)
    try:
        with engine.connect() as conn:
            for name in sorted(inspect(conn).get_table_names()):
                digest.update(name.encode())
                for row in conn.execute(text(f'SELECT * FROM "{name}" ORDER BY 1, 2')):
                    digest.update(repr(tuple(row)).encode())
    finally:
        engine.dispose()
    return digest.hexdigest()


@pytest.fixture(scope="session")
def redis_url() -> Iterator[str]:
    """A Redis server: REDIS_URL_TEST, else a redis-server of the tests' own (tests.servers)."""
    if REDIS_SERVER:
        yield REDIS_SERVER
        return
    from tests import servers

    try:
        with servers.redis() as url:
            yield url
    except servers.ServerError as exc:
        pytest.skip(f"{exc}; see .ci/run")


@pytest.fixture(scope="session")
def shared() -> Path:
    """../shared (or INDICATORS_SHARED_DIR), the real source files; skipped when absent."""
    if not (SHARED / "sources").is_dir():
        pytest.skip(f"real source files not found at {SHARED} (../shared or INDICATORS_SHARED_DIR)")
    return SHARED


@pytest.fixture(scope="session")
def boundaries() -> Path:
    """The geokz shapefiles the test database is built with; tests of drawn maps skip without."""
    geo = SHARED / "geo" / "original"
    if not geo.is_dir():
        pytest.skip(
            f"no boundaries: {geo} is absent (../shared or INDICATORS_SHARED_DIR), "
            "so the test database was built without them"
        )
    return geo


def cached_server(name: str, monkeypatch: pytest.MonkeyPatch, cache_type: str | None = None):
    """A Flask server whose store queries are cached as the backend under test caches them:
    in Redis (REDIS_URL_TEST) under `make test-pg`, else in-process; ``cache_type`` to choose.
    The store goes back to uncached when the test ends."""
    from flask import Flask

    from store import cache as store_cache

    monkeypatch.setattr(store_cache, "_ready", False)
    if REDIS_SERVER:
        monkeypatch.setenv("CACHE_REDIS_URL", REDIS_SERVER)
    monkeypatch.delenv("CACHE_TYPE", raising=False)
    server = Flask(name)
    store_cache.init_cache(server, cache_type or ("RedisCache" if REDIS_SERVER else "SimpleCache"))
    return server


def run_etl(*args: str) -> tuple[int, str, str]:
    """Run `python -m etl ARGS` in-process; returns (exit code, stdout, stderr)."""
    import contextlib
    import io

    from etl.cli import main

    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main(list(args))
    return code, out.getvalue(), err.getvalue()


@pytest.fixture(scope="session")
def web_db(session_databases: Databases) -> str:
    """A database built by `python -m etl build` from the embedded default data."""
    url = session_databases.new("web")
    geo = SHARED / "geo" / "original"
    args = ["build", "--db", url]
    args += ["--boundaries", str(geo)] if geo.is_dir() else ["--no-boundaries"]
    code, _, err = run_etl(*args)
    assert code == 0, err
    return url


@pytest.fixture(scope="session")
def dash_app(web_db: str, tmp_path_factory: pytest.TempPathFactory):
    """The app module's Dash app, pointed at the test database (read-only)."""
    os.environ["DATABASE_URL"] = web_db
    os.environ.setdefault("CACHE_DIR", str(tmp_path_factory.mktemp("cache")))  # deck PDFs
    # The shared Redis cache under `make test-pg`, as gunicorn workers use it; else in-process.
    os.environ["CACHE_TYPE"] = "RedisCache" if REDIS_SERVER else "SimpleCache"
    if REDIS_SERVER:
        os.environ["CACHE_REDIS_URL"] = REDIS_SERVER
    os.environ.setdefault("SECRET_KEY", "tests-only-secret")  # never the deck database's
    import app as app_module
    from store import queries

    queries.use(web_db)
    return app_module.app


def browser_like_client(server):
    """A Flask test client that, like Dash's renderer in a browser, sends the CSRF token
    from its ``_csrf_token`` cookie as ``X-CSRFToken`` (fetching one first if it has none)."""
    from flask.testing import FlaskClient

    class BrowserLike(FlaskClient):
        def open(self, *args, **kwargs):  # noqa: ANN002, ANN003, ANN202
            method = (kwargs.get("method") or "GET").upper()
            if method not in ("GET", "HEAD", "OPTIONS"):
                cookie = self.get_cookie("_csrf_token")
                if cookie is None:
                    super().open("/present/api/csrf")
                    cookie = self.get_cookie("_csrf_token")
                if cookie is not None:
                    headers = dict(kwargs.pop("headers", None) or {})
                    headers.setdefault("X-CSRFToken", cookie.value)
                    kwargs["headers"] = headers
            return super().open(*args, **kwargs)

    server.test_client_class = BrowserLike
    try:
        return server.test_client()
    finally:
        server.test_client_class = None


@pytest.fixture(scope="session")
def client(dash_app):
    """The app as a browser on the server's own machine uses it (loopback, CSRF token)."""
    return browser_like_client(dash_app.server)
