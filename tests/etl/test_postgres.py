"""The same load path on PostgreSQL: build, export round trip, idempotent reload, rollback.

Starts a throwaway PostgreSQL 15 cluster on 127.0.0.1 (Debian package postgresql; .ci/run
installs it) and stops it by its pid; skips with the reason when the server is not installed.
Set DATABASE_URL_TEST_PG to use a running server instead.
"""

from __future__ import annotations

import glob
import io
import os
import shutil
import socket
import subprocess
import tempfile
import time
from pathlib import Path

import pandas as pd
import pytest
from sqlalchemy import create_engine, text

from tests.conftest import FIXTURES, run_etl

MINI = FIXTURES / "curated_min"


def _pg_bin() -> Path | None:
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"))
    return Path(found[-1]).parent if found else None


@pytest.fixture(scope="module")
def pg_url(tmp_path_factory):
    if os.environ.get("DATABASE_URL_TEST_PG"):
        yield os.environ["DATABASE_URL_TEST_PG"]
        return
    bindir = _pg_bin()
    if bindir is None:
        pytest.skip("PostgreSQL server not installed (apt-get install postgresql; see .ci/run)")
    # Not under pytest's tmp folder: that is private to root, and the server runs as postgres.
    data = Path(tempfile.mkdtemp(prefix="aral-pg-"))
    as_user: list[str] = []
    if os.geteuid() == 0:  # postgres refuses to run as root
        if shutil.which("runuser") is None:
            pytest.skip("running as root without runuser: cannot start PostgreSQL")
        shutil.chown(data, "postgres")
        as_user = ["runuser", "-u", "postgres", "--"]
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    subprocess.run(
        [
            *as_user,
            str(bindir / "initdb"),
            "-D",
            str(data / "db"),
            "-A",
            "trust",
            "-U",
            "postgres",
            "-E",
            "UTF8",
            "--no-sync",
        ],
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
            "-c",
            "listen_addresses=127.0.0.1",
            "-k",
            str(data),
            "-c",
            "fsync=off",
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"postgresql+psycopg://postgres@127.0.0.1:{port}/postgres"
    deadline = time.time() + 30
    while True:
        try:
            with create_engine(url).connect() as conn:
                conn.execute(text("SELECT 1"))
            break
        except Exception:  # noqa: BLE001 - still starting
            if time.time() > deadline or proc.poll() is not None:
                proc.kill()
                pytest.fail("PostgreSQL did not start")
            time.sleep(0.2)
    yield url
    proc.terminate()
    proc.wait(timeout=30)
    shutil.rmtree(data, ignore_errors=True)


def _table(url: str, name: str, order: str) -> pd.DataFrame:
    with create_engine(url).connect() as conn:
        return pd.read_sql(text(f"SELECT * FROM {name} ORDER BY {order}"), conn)


def test_build_export_reload_and_rollback_on_postgres(pg_url, tmp_path):
    code, _, err = run_etl(
        "build", "--fresh", "--no-boundaries", "--db", pg_url, "--data", str(MINI)
    )
    assert code == 0, err
    code, out, _ = run_etl(
        "export",
        "--db",
        pg_url,
        "--indicator",
        "industrial_output",
        "--area",
        "433200000",
        "--source",
        "all",
    )
    assert code == 0
    exported = pd.read_csv(io.StringIO(out))
    assert sorted(exported[exported.year == 2008].value) == [1946.0, 2609.1]

    before = _table(pg_url, "observations", "indicator, area, year, series, source")
    assert run_etl("load", "--db", pg_url, str(MINI / "curated" / "demo"))[0] == 0
    pd.testing.assert_frame_equal(
        before, _table(pg_url, "observations", "indicator, area, year, series, source")
    )

    broken = tmp_path / "broken"
    shutil.copytree(MINI / "curated" / "demo", broken)
    obs = broken / "observations.csv"
    obs.write_text(obs.read_text(encoding="utf-8").replace(",1946,", ",19x6,"), encoding="utf-8")
    code, _, err = run_etl("load", "--db", pg_url, str(broken))
    assert code == 1 and "column value" in err
    pd.testing.assert_frame_equal(
        before, _table(pg_url, "observations", "indicator, area, year, series, source")
    )


def test_real_default_build_on_postgres(pg_url):
    code, _, err = run_etl("build", "--fresh", "--no-boundaries", "--db", pg_url)
    assert code == 0, err
    counts = _table(pg_url, "observations", "indicator").groupby("source").size()
    assert counts["bns-kyzylorda-district-workbook"] > 17000


def test_backup_and_restore_on_postgres(pg_url, tmp_path):
    """pg_dump / pg_restore: a restore gives back every observation and target."""
    code, _, err = run_etl(
        "build", "--fresh", "--no-boundaries", "--db", pg_url, "--data", str(MINI)
    )
    assert code == 0, err
    order = {"observations": "indicator, area, year, series, source", "targets": "id"}
    before = {name: _table(pg_url, name, key) for name, key in order.items()}
    saved = tmp_path / "saved.dump"
    code, _, err = run_etl("backup", "--db", pg_url, str(saved))
    assert code == 0, err
    with create_engine(pg_url).begin() as conn:
        conn.execute(text("DELETE FROM targets"))
        conn.execute(text("UPDATE observation_values SET value = value + 1"))
    code, _, err = run_etl("restore", "--db", pg_url, str(saved))
    assert code == 0, err
    for name, key in order.items():
        pd.testing.assert_frame_equal(_table(pg_url, name, key), before[name])
