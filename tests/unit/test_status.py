"""The status method, on inline series."""

from __future__ import annotations

import pytest

from components.status import (
    ACHIEVED,
    INSUFFICIENT,
    OFF_TRACK,
    ON_TRACK,
    Target,
    assess,
)

UP_2030 = Target(">=", 10.0, 2030, 2020, 5.0)  # needs +0.5 a year


@pytest.mark.parametrize(
    ("points", "target", "status"),
    [
        ([], UP_2030, INSUFFICIENT),
        ([(2022, 6.0)], Target(">=", 10.0, 2030), INSUFFICIENT),  # one value, no baseline
        ([(2022, 6.0)], UP_2030, ON_TRACK),  # +0.5/yr exactly
        ([(2022, 5.8)], UP_2030, OFF_TRACK),  # +0.4/yr < 0.95 * 0.5
        ([(2022, 5.96)], UP_2030, ON_TRACK),  # +0.48/yr >= 0.475
        ([(2021, 5.0), (2024, 10.5)], UP_2030, ACHIEVED),
        ([(2031, 9.9)], UP_2030, OFF_TRACK),  # past the target year
        ([(2010, 40.0), (2015, 30.0)], Target("<=", 20.0, 2025), ON_TRACK),  # -2/yr needs -1/yr
        ([(2010, 40.0), (2015, 38.0)], Target("<=", 20.0, 2025), OFF_TRACK),  # -0.4 vs -1
        ([(2010, 40.0), (2015, 19.0)], Target("<=", 20.0, 2025), ACHIEVED),
        ([(2020, 100.0), (2022, 101.0)], Target("=", 100.0, 2025), ACHIEVED),  # within 1 %
        ([(2020, 80.0), (2022, 90.0)], Target("=", 100.0, 2025), ON_TRACK),
        ([(2020, 12.0), (2022, 8.0)], Target(">=", 10.0, 2030), OFF_TRACK),  # fell below
    ],
)
def test_status(points, target, status):
    assert assess(points, target).status == status


def test_paces_and_projection_are_reported():
    a = assess([(2020, 5.0), (2022, 5.8)], Target(">=", 10.0, 2030))
    assert a.baseline_year == 2020 and a.latest_year == 2022
    assert a.actual_pace == pytest.approx(0.4)
    assert a.required_pace == pytest.approx(0.5)
    assert a.projected == pytest.approx(5.8 + 0.4 * 8)


def test_nan_values_are_ignored():
    assert assess([(2020, float("nan"))], UP_2030).status == INSUFFICIENT
