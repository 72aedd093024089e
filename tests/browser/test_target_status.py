"""Target statuses as a planner sees them in a real browser, in kk, ru and en (issue 22): the
Overview card of Aral district and the Programs page say "Not achieved", "Achieved (in …)",
"No reading for … — deadline passed" and "national target, applied as a benchmark", each badge
one short line; Explore draws no pace line for a past or met target.

Expected texts are the issue's wording for targets of data/curated/programs/targets.csv and
readings of the curated observations (see tests/web/test_target_status.py)."""

from __future__ import annotations

import pytest

ARAL = "433200000"

WORDS = {
    "en": (
        "Not achieved (deadline 2024 passed)",
        "No reading for 2022 — deadline passed",
        "Achieved (in 2020)",
        "National target, applied as a benchmark",
    ),
    "ru": (
        "Не достигнуто (срок 2024 г. прошёл)",
        "Нет данных за 2022 год — срок прошёл",
        "Достигнуто (в 2020 году)",
        "Общенациональная цель, применена как ориентир",
    ),
    "kk": (
        "Қол жеткізілмеді (мерзімі 2024 ж. өтті)",
        "2022 жылға дерек жоқ — мерзімі өтті",
        "Қол жеткізілді (2020 жылы)",
        "Ұлттық мақсат, бағдар ретінде қолданылды",
    ),
}

PACE_TRACES = """
() => { const g = document.querySelector('#explore-graph .js-plotly-plot');
        return g.data.filter(t => t.line && t.line.dash === 'dash' && t.mode === 'lines'
                                  && (t.x || []).length === 2)
                     .map(t => Array.from(t.x)); }
"""


@pytest.mark.parametrize("lang", ["kk", "ru", "en"])
def test_overview_card_of_aral_reads_the_statuses(page, lang):
    not_achieved, no_reading, achieved, benchmark = WORDS[lang]
    p = page.goto(f"/?area={ARAL}&lang={lang}")
    p.locator(".status-not_achieved").first.wait_for(timeout=30000)
    badges = [b.strip() for b in p.locator(".status").all_inner_texts()]
    assert f"✘ {not_achieved}" in badges
    assert f"○ {no_reading}" in badges
    assert f"✔ {achieved}" in badges
    # the badge is one short line: the benchmark and the reading judged on go under it
    share = p.locator("p.status-not_achieved").first
    height = share.evaluate("e => e.getBoundingClientRect().height")
    line = share.evaluate("e => parseFloat(getComputedStyle(e).lineHeight) || 24")
    assert height < 2 * line + 16
    under = share.evaluate("e => e.nextElementSibling.innerText")
    assert under.startswith(benchmark) and "848" in under
    assert page.errors == []


@pytest.mark.parametrize("lang", ["kk", "ru", "en"])
def test_programs_page_reads_the_statuses(page, lang):
    not_achieved, no_reading, achieved, benchmark = WORDS[lang]
    p = page.goto(f"/programs?lang={lang}")
    p.locator(".status-not_achieved").first.wait_for(timeout=30000)
    text = p.locator("body").inner_text()
    for words in (not_achieved, no_reading, achieved, benchmark):
        assert words in text, words
    assert page.errors == []


@pytest.mark.parametrize("lang", ["kk", "ru", "en"])
def test_explore_draws_a_pace_line_only_for_the_target_still_ahead(page, lang):
    # North Aral volume: 20.6 by 2025 (past, met) and 24.1 by 2029 (met by 2025's 24.1) have
    # no pace line; 27.0 by 2030 (ahead, not met) has one, from the latest reading (2025)
    p = page.goto(f"/explore?indicator=nas_water_volume&area={ARAL}&lang={lang}")
    p.wait_for_function(
        "document.querySelector('#explore-graph .js-plotly-plot')"
        " && document.querySelector('#explore-graph .js-plotly-plot').data",
        timeout=30000,
    )
    assert p.evaluate(PACE_TRACES) == [[2025, 2030]]
    # salt: 700 thousand t by 2022, last reading 2019: the deadline has passed, no pace line
    p = page.goto(f"/explore?indicator=salt_extraction&area={ARAL}&lang={lang}")
    p.wait_for_function(
        "document.querySelector('#explore-graph .js-plotly-plot')"
        " && document.querySelector('#explore-graph .js-plotly-plot').data"
        " && document.querySelector('#explore-graph .js-plotly-plot').data.length > 1",
        timeout=30000,
    )
    assert p.evaluate(PACE_TRACES) == []
    assert page.errors == []
