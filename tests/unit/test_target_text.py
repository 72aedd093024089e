"""Each status rule of a past, met or ahead target, on the targets of
data/curated/programs/targets.csv and the readings of the curated observations, and the one
wording every page, slide, report and the API use (components.target_text).

The readings are copied from the curated files named beside them; "today" is 2026 (the year
the issue was seen in)."""

from __future__ import annotations

import pandas as pd
import pytest

from components import status as st
from components import target_text as tt

TODAY = 2026

# data/curated/seed-aral-2008 (2008) and published-2 (2018 estimate, 2019) observations.csv
SALT = [(2008, 277.2), (2018, 400.0), (2019, 500.0)]
# data/curated/published/observations.csv: nas_fish_catch, 433200000
FISH = [(2004, 52.0), (2007, 2000.0), (2020, 7000.0)]
# data/curated/published/observations.csv: nas_water_volume, 433200000 (the total series)
WATER = [(2010, 27.0), (2015, 27.0), (2022, 18.5), (2023, 19.7), (2024, 21.4), (2025, 24.1)]
# published-2 (2016) and published (2002, 2021, 2025) observations.csv: protected_area_share, KZ
KZ_PROTECTED = [(2002, 2.8), (2016, 8.8), (2021, 9.6), (2025, 11.37)]
# Aral district's share, derived in etl/derive.py from data/mappings/protected_area_share_derived
ARAL_PROTECTED = [(2024, 2.9)]


def row(**kw: object) -> dict:
    """A target row as store.queries.targets gives it (the columns the wording reads)."""
    base = {
        "baseline_year": None,
        "baseline_value": None,
        "set_for": None,
        "legal_ref": None,
        "source": "x",
    }
    return base | kw


# targets.csv rows
SALT_2022 = row(
    comparator=">=", value=700.0, target_year=2022, baseline_year=2019, baseline_value=500.0
)
FISH_2015 = row(
    comparator=">=", value=5000.0, target_year=2015, baseline_year=2004, baseline_value=50.0
)
WATER_2025 = row(comparator=">=", value=20.6, target_year=2025)
WATER_2029 = row(comparator=">=", value=24.1, target_year=2029)
WATER_2030 = row(comparator=">=", value=27.0, target_year=2030)
KZ_2020 = row(comparator=">=", value=9.0, target_year=2020, baseline_value=8.8)
ARAL_2024 = row(
    comparator=">=",
    value=10.0,
    target_year=2024,
    set_for="000000000",
    legal_ref="Decree of the President No. 216 of 14.11.2006 (the Concept); Government Decree "
    "No. 848 of 27.09.2007 (its target indicators)",
    legal_ref_ru="Указ Президента Республики Казахстан от 14.11.2006 № 216 (Концепция); "
    "постановление Правительства Республики Казахстан от 27.09.2007 № 848 (её целевые "
    "индикаторы)",
    legal_ref_kk="Қазақстан Республикасы Президентінің 14.11.2006 № 216 Жарлығы (Тұжырымдама); "
    "Қазақстан Республикасы Үкіметінің 27.09.2007 № 848 қаулысы (оның нысаналы көрсеткіштері)",
)
ENV_INDEX_2009 = row(comparator=">=", value=68.0, target_year=2009, baseline_value=63.0)


def test_past_deadline_without_a_reading_of_that_year_says_so_never_a_guess():
    # salt: 700 thousand t by 2022, the last reading 2019 (500): no "Needed to 2022" in 2026
    a = tt.judge(SALT, SALT_2022, TODAY)
    assert a.status == st.NO_READING and a.deadline_passed
    assert a.needed_pace is None and a.basis is None
    assert tt.badge(a, "en") == "No reading for 2022 — deadline passed"
    assert tt.badge(a, "ru") == "Нет данных за 2022 год — срок прошёл"
    assert tt.badge(a, "kk") == "2022 жылға дерек жоқ — мерзімі өтті"
    lines = [text for text, _ in tt.details(a, SALT_2022, "en", "thousand tonnes", 1)]
    assert lines[0] == (
        "Latest reading 2019: 500.0 thousand tonnes, before the target year; whether the "
        "target was met is not known"
    )
    assert not any("Needed" in text for text in lines)


def test_a_reading_of_the_target_year_that_misses_it_is_not_achieved():
    # Aral district's protected share 2.90 % (2024) against the national 10 % by 2024
    a = tt.judge(ARAL_PROTECTED, ARAL_2024, TODAY)
    assert a.status == st.NOT_ACHIEVED and a.judged_year == 2024
    assert tt.badge(a, "en") == "Not achieved (deadline 2024 passed)"
    assert tt.badge(a, "ru") == "Не достигнуто (срок 2024 г. прошёл)"
    assert tt.badge(a, "kk") == "Қол жеткізілмеді (мерзімі 2024 ж. өтті)"
    assert not any(decides for _, decides in tt.details(a, ARAL_2024, "en", "%", 2))


def test_a_target_met_after_its_year_is_achieved_in_the_year_of_that_reading():
    # fish catch: 5000 t by 2015; 2000 t in 2007, 7000 t in 2020, nothing for 2015
    a = tt.judge(FISH, FISH_2015, TODAY)
    assert a.status == st.ACHIEVED and a.judged_year == 2020
    assert tt.badge(a, "en") == "Achieved (in 2020)"
    assert tt.badge(a, "ru") == "Достигнуто (в 2020 году)"
    assert tt.badge(a, "kk") == "Қол жеткізілді (2020 жылы)"
    first = tt.details(a, FISH_2015, "en", "tonnes", 0)[0][0]
    assert first == "No reading for 2015; judged on the next one, 2020: 7,000 tonnes"


def test_a_target_met_before_its_year_is_achieved_and_has_no_pace():
    # water volume: 24.1 bn m³ by 2029, met by the 2025 reading (24.1)
    a = tt.judge(WATER, WATER_2029, TODAY)
    assert a.status == st.ACHIEVED and a.judged_year == 2025 and not a.deadline_passed
    assert a.needed_pace is None and a.required_pace is None and a.basis is None
    texts = tt.details(a, WATER_2029, "en", "bn m³", 1)
    assert not any(decides for _, decides in texts)
    assert not any(text.startswith("Needed") for text, _ in texts)
    assert tt.badge(a, "en") == "Achieved (in 2025)"


def test_the_target_year_reading_decides_a_past_target():
    # water volume: 20.6 bn m³ planned for 2025; the 2025 reading is 24.1
    a = tt.judge(WATER, WATER_2025, TODAY)
    assert (a.status, a.judged_year, a.judged_value) == (st.ACHIEVED, 2025, 24.1)


def test_a_later_reading_decides_when_the_target_year_has_none():
    # national share: 9 % by 2020; 8.8 % in 2016, 9.6 % in 2021
    a = tt.judge(KZ_PROTECTED, KZ_2020, TODAY)
    assert (a.status, a.judged_year) == (st.ACHIEVED, 2021)
    # the same target missed by the first later reading
    missed = tt.judge([(2016, 8.8), (2021, 8.9)], KZ_2020, TODAY)
    assert (missed.status, missed.judged_year) == (st.NOT_ACHIEVED, 2021)


def test_a_past_target_without_any_reading_has_no_reading_not_insufficient_data():
    # the environmental sustainability index: no reading at all, target 68 by 2009
    a = tt.judge([], ENV_INDEX_2009, TODAY)
    assert a.status == st.NO_READING
    assert tt.badge(a, "en") == "No reading for 2009 — deadline passed"
    # a target still ahead without readings: insufficient data
    assert tt.judge([], WATER_2030, TODAY).status == st.INSUFFICIENT


def test_a_target_ahead_and_not_met_keeps_its_paces_and_says_when_it_was_judged():
    a = tt.judge(WATER, WATER_2030, TODAY)
    assert a.status == st.ON_TRACK and a.judged_year == 2025
    assert tt.badge(a, "en") == "On track (judged on 2025)"
    assert tt.badge(a, "ru") == "В графике (по данным за 2025 год)"
    texts = tt.details(a, WATER_2030, "ru", "млрд куб. м", 1)
    assert texts[0] == ("Нужно до 2030 года: +0,580 млрд куб. м в год", False)
    assert texts[1] == ("Тренд 2022–2025: +1,85 млрд куб. м в год", True)


def test_the_target_year_itself_is_not_past_until_a_reading_or_the_year_ends():
    a = tt.judge([(2024, 9.0)], row(comparator=">=", value=10.0, target_year=2026), TODAY)
    assert not a.deadline_passed and a.status == st.INSUFFICIENT
    a = tt.judge([(2026, 9.0)], row(comparator=">=", value=10.0, target_year=2026), TODAY)
    assert a.deadline_passed and a.status == st.NOT_ACHIEVED


@pytest.mark.parametrize(
    ("lang", "expected"),
    [
        (
            "en",
            "National target, applied as a benchmark (Decree of the President No. 216 of "
            "14.11.2006 (the Concept); Government Decree No. 848 of 27.09.2007 (its target "
            "indicators))",
        ),
        ("ru", "Общенациональная цель, применена как ориентир (Указ Президента Республики"),
        ("kk", "Ұлттық мақсат, бағдар ретінде қолданылды (Қазақстан Республикасы Президентінің"),
    ],
)
def test_a_national_target_applied_to_a_district_says_so_with_its_legal_source(lang, expected):
    text = tt.benchmark(ARAL_2024, lang)
    assert text.startswith(expected)
    a = tt.judge(ARAL_PROTECTED, ARAL_2024, TODAY)
    assert tt.details(a, ARAL_2024, lang, "%", 2)[0] == (text, False)
    assert tt.benchmark(SALT_2022, lang) is None  # the district's own (enterprise) target


def test_the_series_judged_is_the_total_with_the_preferred_reading_of_each_year():
    # two 2025 readings of the national share (11.37 first, as the store orders them) and a
    # breakdown that is not the total
    obs = pd.DataFrame(
        {
            "year": [2021, 2025, 2025, 2025],
            "value": [9.6, 11.37, 11.3, 99.0],
            "series": ["", "", "", "annual mean"],
        }
    )
    assert tt.points_of(obs) == [(2021, 9.6), (2025, 11.37)]


def _obs(points: list[tuple[int, float]], area: str = "433200000") -> pd.DataFrame:
    return pd.DataFrame(
        {
            "area": area,
            "series": "",
            "year": [y for y, _ in points],
            "value": [v for _, v in points],
            "status": "actual",
            "year_approx": False,
            "source": "s",
        }
    )


def test_the_chart_draws_a_pace_line_only_for_a_target_ahead_and_not_met():
    from components.figures import time_series

    targets = pd.DataFrame(
        [
            {**WATER_2025, "area": "433200000", "program": "w"},
            {**WATER_2029, "area": "433200000", "program": "w"},
            {**WATER_2030, "area": "433200000", "program": "w"},
        ]
    )
    fig = time_series(_obs(WATER), {"unit_en": "bn m³", "decimals": 1}, "en", targets=targets)
    stars = [tr for tr in fig.data if tr.marker and tr.marker.symbol == "star"]
    pace = [tr for tr in fig.data if (tr.name or "").startswith("Required pace")]
    assert [tr.x[0] for tr in stars] == [2025, 2029, 2030]
    # 2025 is past and 2029 met by the 2025 reading (24.1): only 2030 (27.0) has a pace line
    assert [(tuple(tr.x), tuple(tr.y)) for tr in pace] == [((2025, 2030), (24.1, 27.0))]


def test_the_chart_names_a_national_target_applied_as_a_benchmark():
    from components.figures import time_series

    targets = pd.DataFrame([{**ARAL_2024, "area": "433200000", "program": "c"}])
    fig = time_series(_obs(ARAL_PROTECTED), {"unit_en": "%", "decimals": 2}, "en", targets=targets)
    star = next(tr for tr in fig.data if tr.marker and tr.marker.symbol == "star")
    # the sign is in the legend entry: the star has no label of its own (issue 22)
    assert star.name.replace("<br>", " ") == (
        "Target 2024: ≥ 10.00 % (National target, applied as a benchmark)"
    )
    assert "Government Decree No. 848 of 27.09.2007" in star.hovertext[0]
    assert not [tr for tr in fig.data if (tr.name or "").startswith("Required pace")]


def test_the_chart_draws_no_pace_line_to_a_deadline_that_has_passed():
    # salt: 700 thousand t by 2022, last reading 2019; in 2026 no line from 2019 to 2022
    from components.figures import time_series

    targets = pd.DataFrame([{**SALT_2022, "area": "433200000", "program": "a"}])
    fig = time_series(_obs(SALT), {"unit_en": "thousand t", "decimals": 1}, "en", targets=targets)
    assert [tr.x[0] for tr in fig.data if tr.marker and tr.marker.symbol == "star"] == [2022]
    assert not [tr for tr in fig.data if (tr.name or "").startswith("Required pace")]
