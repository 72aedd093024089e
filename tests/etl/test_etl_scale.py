"""benchmarks/etl_scale.py, run small: it loads the synthetic national dataset end to end and
prints every figure. No timing is asserted (the figures are printed by the script)."""

from __future__ import annotations

import re

from benchmarks import etl_scale


def test_a_small_run_loads_every_generated_row_and_prints_every_figure(capsys):
    code = etl_scale.main(["--indicators", "3", "--areas", "12", "--years", "4"])
    out = capsys.readouterr().out
    assert code == 0, out
    generated = re.search(r"= ([\d,]+) rows generated", out)
    loaded = re.search(r"loaded rows: ([\d,]+)", out)
    assert generated and loaded, out
    assert generated.group(1) == loaded.group(1) == "144"  # 3 indicators x 12 areas x 4 years
    for figure in (
        r"etl load: [\d.]+ s wall, [\d.]+ s CPU, [\d,]+ rows/s",
        r"etl load peak RSS: [\d,]+ MB",
        r"database: [\d,]+ bytes",
        r"floor, old text-key schema: [\d,]+ rows/s",
        r"floor, new integer-key schema: [\d,]+ rows/s",
        r"ratio load / floor \(new schema\): [\d.]+",
        r"ratio load / floor \(old schema\): [\d.]+",
    ):
        assert re.search(figure, out), (figure, out)
