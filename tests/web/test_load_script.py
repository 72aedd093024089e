"""benchmarks/load_test.py, run short: gunicorn on 127.0.0.1 serves the whole mix with no error.

No timing is asserted (the figures are printed by the script)."""

from __future__ import annotations

from benchmarks import load_test


def test_a_short_load_run_has_no_errors(web_db, caplog):
    caplog.set_level("INFO", logger="load_test")
    code = load_test.main(["--clients", "6", "--duration", "8", "--workers", "2", "--db", web_db])
    text = caplog.text
    assert "p95 ms" in text and "throughput" in text
    rows = {line.split()[0]: line.split() for line in text.splitlines() if line.strip()}
    assert int(rows["all"][1]) > 0 and rows["all"][2] == "0"  # requests made, no error
    assert {"api", "page", "explore", "download"} & set(rows)
    assert code == 0, text
