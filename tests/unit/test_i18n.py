"""Language helpers: display decimals of an indicator."""

from __future__ import annotations

import pytest


@pytest.mark.parametrize(
    ("meta", "expected"),
    [
        ({"decimals": 1}, 1),
        ({"decimals": 2.0}, 2),
        ({"decimals": None}, None),
        ({"decimals": float("nan")}, None),
        ({}, None),
        (None, None),
    ],
)
def test_decimals_of(meta, expected):
    import pandas as pd

    from components.i18n import decimals_of

    assert decimals_of(meta) == expected
    if meta:
        assert decimals_of(pd.Series(meta, dtype=object)) == expected
