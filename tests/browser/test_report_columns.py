"""The district report a reader downloads in the browser (issue 22, "Comparisons that are
filled"): Aral district's report in kk, ru and en has the oblast's and the country's figures
where the sources give them. Expected values written by hand from the curated CSVs: Kyzylorda
oblast's population 2023 is the sum of its nine sheets in Kyzylorda_All.xls (841.8 thousand),
the unemployment rates 2023 are the SDG platform's rows «2023,PT,KZKZY,,,,4.9» and
«2023,PT,,,,,4.7»; no source gives the country's population («–»).
"""

from __future__ import annotations

import pytest

ARAL = "433200000"
CASES = {
    "kk": ("Халық саны", "841,8 (аудандар қосындысы)", "Жұмыссыздық деңгейі", "4,9", "4,7"),
    "ru": ("Численность населения", "841,8 (сумма районов)", "Уровень безработицы", "4,9", "4,7"),
    "en": ("Population", "841.8 (sum of districts)", "Unemployment rate", "4.9", "4.7"),
}


@pytest.mark.parametrize("lang", ["kk", "ru", "en"])
def test_downloaded_report_has_the_oblast_and_country_figures(page, lang, tmp_path):
    docx = pytest.importorskip("docx")
    p = page.goto(f"/?area={ARAL}&lang={lang}")
    with p.expect_download() as got:
        p.evaluate(f"location.href = '/report?area={ARAL}&lang={lang}&format=docx'")
    path = tmp_path / got.value.suggested_filename
    got.value.save_as(path)
    assert path.name == f"profile-{ARAL}-{lang}.docx"
    table = docx.Document(str(path)).tables[0]
    rows = [[" ".join(c.text.replace("\xa0", " ").split()) for c in r.cells] for r in table.rows]
    population, pop_oblast, rate, rate_oblast, rate_country = CASES[lang]
    pop = next(r for r in rows if r[0].startswith(population))
    assert (pop[1], pop[-2], pop[-1]) == ("2023", pop_oblast, "–")
    unemployment = next(r for r in rows if r[0].startswith(rate))
    assert (unemployment[1], unemployment[-2], unemployment[-1]) == (
        "2023",
        rate_oblast,
        rate_country,
    )
    assert page.errors == []
