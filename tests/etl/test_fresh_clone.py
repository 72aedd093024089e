"""The README's promises on a fresh clone with nothing beside it and no internet (issue 16).

The tracked files (`git ls-files`) are copied to tmp_path; `make build` runs there with this
checkout's virtualenv, INDICATORS_SHARED_DIR pointed at an empty folder, and every download sent
to a closed local port (the build must not need the network). Then the README's "Load your own
data" runs in the clone, and a second `make build` (what `make run` does) keeps it.
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import ROOT
from tests.etl.test_own_data import code_blocks, readme_section

pytestmark = pytest.mark.slow


def tracked_files() -> list[str]:
    if shutil.which("git") is None or shutil.which("make") is None:
        pytest.skip("git and make are needed to copy the checkout and run its Makefile")
    done = subprocess.run(
        ["git", "ls-files", "-z"], cwd=ROOT, capture_output=True, text=True, check=False
    )
    if done.returncode != 0:
        pytest.skip(f"not a git checkout: {done.stderr.strip()}")
    return [f for f in done.stdout.split("\0") if f]


@pytest.fixture(scope="module")
def clone(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("clone") / "project"
    for name in tracked_files():
        source = ROOT / name
        if source.is_file():
            (root / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, root / name)
    (root / ".venv").symlink_to(Path(sys.prefix))
    return root


def make(clone: Path, *targets: str, empty: Path) -> subprocess.CompletedProcess:
    venv = Path(sys.prefix)
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in {"DATABASE_URL", "INDICATORS_BOUNDARIES_DIR", "INDICATORS_DOWNLOAD_DIR"}
    }
    # No internet: every HTTP(S) request goes to a port nobody listens on.
    env |= {"https_proxy": "http://127.0.0.1:9", "http_proxy": "http://127.0.0.1:9"}
    env |= {"HTTPS_PROXY": "http://127.0.0.1:9", "HTTP_PROXY": "http://127.0.0.1:9"}
    env.pop("no_proxy", None)
    env.pop("NO_PROXY", None)
    return subprocess.run(
        # -o: the checkout's virtualenv is set up; do not reinstall it from the copy
        ["make", "-o", f"{venv}/.installed", *targets, f"VENV={venv}"]
        + [f"INDICATORS_SHARED_DIR={empty}"],
        cwd=clone,
        env=env,
        capture_output=True,
        text=True,
        timeout=1200,
    )


def test_make_build_then_your_own_data_then_make_build_again(clone, tmp_path):
    empty = tmp_path / "no-shared"
    empty.mkdir()
    first = make(clone, "build", empty=empty)
    assert first.returncode == 0, first.stderr
    assert "--fresh" not in first.stdout
    assert "building without boundaries: cannot download" in first.stderr
    assert "boundaries are not installed: maps will say so" in first.stderr
    assert "built: " in first.stderr and "0 rows rejected" in first.stderr
    db = clone / "data" / "indicators.db"
    assert db.is_file()

    (_, script), (_, expected) = code_blocks(readme_section("Load your own data"))
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    done = subprocess.run(
        ["bash", "-e", "-c", script], cwd=clone, env=env, capture_output=True, text=True
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout == expected

    again = make(clone, "build", empty=empty)
    assert again.returncode == 0, again.stderr
    assert "database is current" in again.stderr and "boundaries are still missing" in again.stderr
    with sqlite3.connect(db) as conn:
        n = conn.execute("select count(*) from observations where source = 'my-bns-aral'")
        assert n.fetchone() == (4,)


def test_make_run_builds_without_fresh_and_make_rebuild_with_it(clone, tmp_path):
    dry = {t: make(clone, "-n", t, empty=tmp_path).stdout for t in ("run", "rebuild")}
    assert "-m etl build" in dry["run"] and "--fresh" not in dry["run"]
    assert "app.py" in dry["run"]
    assert "-m etl build --fresh" in dry["rebuild"]
