"""Shared fixtures: paths, the real files under ../shared, small built databases."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
# The real source files: ../shared beside the project, or INDICATORS_SHARED_DIR (an empty folder
# there reproduces a clone with nothing beside it).
SHARED = Path(os.environ.get("INDICATORS_SHARED_DIR") or ROOT / ".." / "shared").resolve()
FIXTURES = ROOT / "tests" / "fixtures"


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
def web_db(tmp_path_factory: pytest.TempPathFactory) -> str:
    """A database built by `python -m etl build` from the embedded default data."""
    db = tmp_path_factory.mktemp("web") / "web.db"
    url = f"sqlite:///{db}"
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
    # decks of the tests' own, never data/decks.db (tests that use decks set their own too)
    os.environ.setdefault(
        "DECKS_DATABASE_URL", f"sqlite:///{tmp_path_factory.mktemp('decks') / 'decks.db'}"
    )
    os.environ["CACHE_TYPE"] = "SimpleCache"
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
