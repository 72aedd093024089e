"""Shared fixtures: paths, the real files under ../shared, small built databases."""

from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SHARED = (ROOT / ".." / "shared").resolve()
FIXTURES = ROOT / "tests" / "fixtures"


@pytest.fixture(scope="session")
def shared() -> Path:
    """../shared, the real source files; tests that need it skip when it is absent."""
    if not (SHARED / "sources").is_dir():
        pytest.skip(f"real source files not found at {SHARED} (../shared from the project root)")
    return SHARED


def run_etl(*args: str) -> tuple[int, str, str]:
    """Run `python -m etl ARGS` in-process; returns (exit code, stdout, stderr)."""
    import contextlib
    import io

    from etl.cli import main

    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main(list(args))
    return code, out.getvalue(), err.getvalue()
