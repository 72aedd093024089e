"""Explore's 'in constant prices of 2023' in a real browser, in kk, ru and en: the reader picks
it beside the other modes, the URL keeps it, the chart and table show the derived values with
their unit, and the formula is on the page.

Aral district's industrial output 2023 = 33679 and its volume index 2023 = 110.0 % of 2022
(data/curated/bns-kyzylorda-districts/observations.csv, sheet «Арал», rows 87-88): in 2023
prices 2022 = 33679 / 1.1 = 30617.3.
"""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

LABELS = {
    "kk": "2023 жылғы тұрақты бағамен (Бюроның нақты көлем индекстері бойынша есептелген)",
    "ru": "в постоянных ценах 2023 года (рассчитано по индексам физического объёма Бюро)",
    "en": "in constant prices of 2023 (derived from the Bureau's volume indices)",
}
UNITS = {
    "kk": "млн теңге, 2023 жылғы тұрақты бағамен",
    "ru": "млн тенге, в постоянных ценах 2023 года",
    "en": "million tenge, constant 2023 prices",
}
VALUE_2022 = {"kk": "30 617,3", "ru": "30 617,3", "en": "30,617.3"}


def spaced(text: str) -> str:
    return re.sub(r"[\u00a0\u202f]", " ", text)


@pytest.mark.parametrize("lang", ["kk", "ru", "en"])
def test_explore_offers_constant_prices_with_its_label_chart_and_formula(page, lang):
    p = page.goto(f"/explore?indicator=industrial_output&area=433200000&lang={lang}")
    p.wait_for_selector("#explore-graph .js-plotly-plot", timeout=20000)
    p.get_by_label(LABELS[lang]).check()
    p.wait_for_url(re.compile(r"mode=constant"), timeout=20000)
    notice = p.locator("#explore-prices")
    expect(notice).to_contain_text(LABELS[lang], timeout=20000)
    expect(notice).to_contain_text("V(t) = V(t−1) × I(t) / 100")
    expect(p.locator("#explore-graph .ytitle")).to_have_text(UNITS[lang], timeout=20000)
    assert p.locator("#explore-graph .scatterlayer .point").count() >= 24  # 2000-2023
    row = p.locator("#explore-data tr", has_text="2022")
    assert VALUE_2022[lang] in spaced(row.inner_text())
    assert UNITS[lang] in row.inner_text()
    p.reload()  # the URL keeps the choice
    p.wait_for_selector("#explore-graph .js-plotly-plot", timeout=20000)
    assert p.get_by_label(LABELS[lang]).is_checked()
    page.shot(f"explore-constant-prices-{lang}")
    assert page.blocked == [] and page.errors == []


def test_constant_prices_are_not_offered_for_population(page):
    p = page.goto("/explore?indicator=population&area=433200000&lang=en")
    p.wait_for_selector("#explore-graph .js-plotly-plot", timeout=20000)
    expect(p.locator("#explore-mode")).to_contain_text("Index (first year = 100)")
    assert "constant prices" not in p.locator("#explore-mode").inner_text()
