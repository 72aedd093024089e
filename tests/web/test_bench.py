"""``python -m bench --scale small`` runs end to end and prints every figure (no timing checks)."""

from __future__ import annotations

import json
import math
import sqlite3
import subprocess
import sys

from bench.report import QUESTIONS
from tests.conftest import ROOT

PER_QUESTION = ("cold_p50", "cold_p95", "warm_p50", "warm_p95", "bytes", "raw_bytes", "speedup")
OTHERS = ("etl.rows_per_s", "etl.peak_mb", "etl.db_mb", "naive.read_s", "naive.peak_mb")


def test_small_benchmark_prints_every_figure(web_db, tmp_path):
    out = tmp_path / "figures.json"
    base = web_db.removeprefix("sqlite:///")
    done = subprocess.run(
        [sys.executable, "-m", "bench", "--scale", "small", "--skip-browser", "--sqlite-only"]
        + ["--requests", "2", "--base-db", base, "--json", str(out)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=900,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    figures = json.loads(out.read_text(encoding="utf-8"))
    assert list(figures["backends"]) == ["sqlite"]
    by_key = {f["key"]: f for f in figures["backends"]["sqlite"]}
    expected = [f"{q}.{m}" for q in QUESTIONS for m in PER_QUESTION] + [*OTHERS, "app.rss_mb"]
    assert sorted(set(expected) - set(by_key)) == []
    for key in expected:
        f = by_key[key]
        assert isinstance(f["value"], int | float) and not math.isnan(f["value"]), f
        assert f["label"] in done.stdout, f["label"]
    for q in QUESTIONS:  # each timing beside its floor and the ratio
        f = by_key[f"{q}.cold_p95"]
        assert f["floor"] > 0 and f["ratio"] == f["value"] / f["floor"]
    assert by_key["etl.rows_per_s"]["floor"] > 0
    assert "SYNTHETIC observations" in done.stdout
    # the synthetic data went into the run's own database, not the one it was copied from
    with sqlite3.connect(base) as conn:
        synthetic = "SELECT count(*) FROM indicators WHERE code LIKE 'synthetic%'"
        assert conn.execute(synthetic).fetchone()[0] == 0
