"""The status method, on inline series."""

from __future__ import annotations

import pytest

from components.status import (
    ACHIEVED,
    BASELINE,
    INSUFFICIENT,
    NOT_ACHIEVED,
    OFF_TRACK,
    ON_TRACK,
    RECENT,
    Target,
    assess,
    pace_lines,
    projection,
)

UP_2030 = Target(">=", 10.0, 2030, 2020, 5.0)  # needs +0.5 a year
BEFORE_2025 = 2024  # "today" for the inline series whose targets are due in 2025


@pytest.mark.parametrize(
    ("points", "target", "status"),
    [
        ([], UP_2030, INSUFFICIENT),
        ([(2022, 6.0)], Target(">=", 10.0, 2030), INSUFFICIENT),  # one value, no baseline
        ([(2022, 6.0)], UP_2030, ON_TRACK),  # +0.5/yr exactly
        ([(2022, 5.8)], UP_2030, OFF_TRACK),  # +0.4/yr < 0.95 * 0.5
        ([(2022, 5.96)], UP_2030, ON_TRACK),  # +0.48/yr >= 0.475
        ([(2021, 5.0), (2024, 10.5)], UP_2030, ACHIEVED),
        ([(2031, 9.9)], UP_2030, NOT_ACHIEVED),  # a reading after the target year
        ([(2010, 40.0), (2015, 30.0)], Target("<=", 20.0, 2025), ON_TRACK),  # -2/yr needs -1/yr
        ([(2010, 40.0), (2015, 38.0)], Target("<=", 20.0, 2025), OFF_TRACK),  # -0.4 vs -1
        ([(2010, 40.0), (2015, 19.0)], Target("<=", 20.0, 2025), ACHIEVED),
        ([(2020, 100.0), (2022, 101.0)], Target("=", 100.0, 2025), ACHIEVED),  # within 1 %
        ([(2020, 80.0), (2022, 90.0)], Target("=", 100.0, 2025), ON_TRACK),
        ([(2020, 12.0), (2022, 8.0)], Target(">=", 10.0, 2030), OFF_TRACK),  # fell below
    ],
)
def test_status(points, target, status):
    assert assess(points, target, BEFORE_2025).status == status


def test_paces_and_projection_are_reported():
    a = assess([(2020, 5.0), (2022, 5.8)], Target(">=", 10.0, 2030))
    assert a.baseline_year == 2020 and a.latest_year == 2022
    assert a.actual_pace == pytest.approx(0.4)
    assert a.required_pace == pytest.approx(0.5)
    assert a.needed_pace == pytest.approx(4.2 / 8)
    assert a.basis == BASELINE and a.recent_pace is None  # two values: no recent trend
    assert a.projected == pytest.approx(5.8 + 0.4 * 8)


# The North Aral Sea volume (bn m³) as the overview reads it: 27.0 by 2010 and 2015, a low of
# 18.5 in 2022, then 19.7, 21.4, 24.1; the target is 27.0 by 2030 with no stated baseline.
NORTH_ARAL = [(2010, 27.0), (2015, 27.0), (2022, 18.5), (2023, 19.7), (2024, 21.4), (2025, 24.1)]


def test_baseline_already_meeting_the_target_judged_by_the_pace_from_today():
    a = assess(NORTH_ARAL, Target(">=", 27.0, 2030))
    assert (a.baseline_year, a.baseline_value) == (2010, 27.0)
    assert a.actual_pace == pytest.approx(-2.9 / 15)  # -0.193 a year since 2010
    assert a.required_pace == pytest.approx(0.0)  # the baseline already met the target
    assert a.needed_pace == pytest.approx(0.58)  # (27.0 - 24.1) / 5
    assert a.recent_from == 2022 and a.recent_pace == pytest.approx(1.85)  # 2022-2025
    assert a.basis == RECENT and a.deciding_pace == pytest.approx(1.85)
    assert a.status == ON_TRACK
    assert a.projected == pytest.approx(24.1 + 1.85 * 5)


def test_the_three_paces_read_the_same_everywhere():
    a = assess(NORTH_ARAL, Target(">=", 27.0, 2030))
    assert pace_lines(a, "ru", "млрд куб. м") == [
        ("Нужно до 2030 года", "+0,580 млрд куб. м в год", False),
        ("Тренд 2022–2025", "+1,85 млрд куб. м в год", True),
        ("С 2010 года", "-0,193 млрд куб. м в год", False),
    ]
    met = assess(NORTH_ARAL, Target(">=", 20.6, 2025))
    assert met.status == ACHIEVED
    # a met target has no pace needed and no pace that decides
    assert pace_lines(met, "en", "bn m³") == [
        ("Trend 2022–2025", "+1.85 bn m³ a year", False),
        ("Since 2010", "-0.193 bn m³ a year", False),
    ]


def test_recent_reversal_decides_over_the_long_pace():
    points = [(2000, 0.0), (2010, 20.0), (2019, 38.0), (2021, 37.0), (2022, 36.0), (2023, 35.0)]
    a = assess(points, Target(">=", 40.0, 2030))
    assert a.actual_pace == pytest.approx(35.0 / 23)  # 1.52 a year: would be on track
    assert a.needed_pace == pytest.approx(5.0 / 7)  # 0.714 a year
    assert a.recent_from == 2019 and a.recent_pace == pytest.approx(-6.5 / 8.75)  # -0.743
    assert a.basis == RECENT and a.status == OFF_TRACK


@pytest.mark.parametrize(
    ("points", "target", "pace", "needed", "status"),
    [
        # one value in the last five years: the pace since the baseline decides
        (
            [(2008, 100.0), (2016, 130.0), (2024, 150.0)],
            Target(">=", 200.0, 2030),
            3.125,
            50 / 6,
            OFF_TRACK,
        ),
        ([(2019, 5.0), (2024, 9.0)], Target(">=", 12.0, 2028), 0.8, 0.75, ON_TRACK),
        # a stated baseline gives a pace from one value
        ([(2024, 9.0)], Target(">=", 12.0, 2028, 2019, 5.0), 0.8, 0.75, ON_TRACK),
    ],
)
def test_sparse_years(points, target, pace, needed, status):
    a = assess(points, target)
    assert a.basis == BASELINE and a.recent_pace is None
    assert a.actual_pace == pytest.approx(pace)
    assert a.needed_pace == pytest.approx(needed)
    assert a.status == status


def test_projection_from_the_recent_trend_with_a_band():
    rows = projection(NORTH_ARAL, 2030)
    assert [r[0] for r in rows] == list(range(2025, 2031))
    assert rows[0][1:] == pytest.approx((24.1, 24.1, 24.1))  # starts at the latest value
    year, value, low, high = rows[-1]
    spread = (((1.2 - 5.6 / 3) ** 2 + (1.7 - 5.6 / 3) ** 2 + (2.7 - 5.6 / 3) ** 2) / 2) ** 0.5
    assert value == pytest.approx(24.1 + 1.85 * 5)
    assert (high - value) == pytest.approx(spread * 5**0.5) and (value - low) == pytest.approx(
        spread * 5**0.5
    )
    assert projection([(2019, 5.0), (2024, 9.0)], 2030) is None  # no recent trend
    assert projection(NORTH_ARAL, 2025) is None


def test_nan_values_are_ignored():
    assert assess([(2020, float("nan"))], UP_2030).status == INSUFFICIENT
