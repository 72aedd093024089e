"""Per-person and per-km² views and colour scales, on inline frames."""

from __future__ import annotations

import io

import pandas as pd
import pytest
from pandas.testing import assert_frame_equal

from components import maps

VALUES = pd.read_csv(
    io.StringIO(
        """area,year,value,source
433200000,2022,100.0,bns
433200000,2023,120.0,bns
431000000,2023,900.0,bns
434000000,2023,50.0,bns
"""
    ),
    dtype={"area": str},
)
POPULATION = pd.read_csv(
    io.StringIO(
        """area,year,value,source
433200000,2022,78000,pop
433200000,2023,79100,pop
431000000,2023,356400,pop
"""
    ),
    dtype={"area": str},
)


def test_per_capita_is_value_over_population_of_the_same_year():
    out = maps.normalize(VALUES, "per_capita", POPULATION)
    expected = pd.DataFrame(
        {
            "area": ["433200000", "433200000", "431000000"],
            "year": [2022, 2023, 2023],
            "value": [100.0 / 78000, 120.0 / 79100, 900.0 / 356400],
            "source": ["bns"] * 3,
            "denominator": [78000, 79100, 356400],
            "denominator_source": ["pop"] * 3,
            "denominator_year": [2022, 2023, 2023],
            "raw_value": [100.0, 120.0, 900.0],
        }
    )
    assert_frame_equal(out[expected.columns], expected)
    assert "434000000" not in set(out["area"])  # no population in 2023: refused, not guessed


def test_per_km2_divides_by_the_area():
    sizes = pd.DataFrame({"area": ["433200000"], "km2": [55289.8], "source": ["geokz"]})
    out = maps.normalize(VALUES, "per_km2", sizes)
    assert list(out["value"]) == pytest.approx([100.0 / 55289.8, 120.0 / 55289.8])


@pytest.mark.parametrize(
    ("meta", "allowed"),
    [
        ({"code": "industrial_output", "kind": "total"}, maps.NORMALIZE),
        ({"code": "air_emissions_stationary", "kind": "total"}, maps.NORMALIZE),
        ({"code": "population", "kind": "total"}, ("per_km2",)),
        ({"code": "unemployment_rate", "unit_en": "%", "kind": "rate"}, ()),
        ({"code": "birth_rate", "unit_en": "per 1,000 population", "kind": "rate"}, ()),
        ({"code": "wage_nominal_monthly", "unit_en": "tenge", "kind": "mean"}, ()),
        # a mean or a level whose unit reads like a total's is still not divided
        ({"code": "nas_water_area", "unit_en": "km²", "kind": "level"}, ()),
        ({"code": "household_size", "unit_en": "persons", "kind": "mean"}, ()),
        ({"code": "grp_index", "unit_en": "% of the previous year", "kind": "index"}, ()),
        # a total whose unit says "per" (a yearly amount) is divided
        (
            {
                "code": "araltuz_salt_production",
                "unit_en": "thousand tonnes per year",
                "kind": "total",
            },
            maps.NORMALIZE,
        ),  # noqa: E501
        # no declared kind (an Open SDG indicator): never divided
        ({"code": "sdg_1_1_1", "unit_en": "tonnes"}, ()),
    ],
)
def test_only_declared_totals_can_be_divided(meta, allowed):
    assert maps.normalizations(meta) == allowed


def test_scales_change_colours_but_never_values():
    now = pd.Series([1.0, 10.0, 1000.0])
    every = pd.Series([1.0, 10.0, 100.0, 1000.0])
    linear = maps.colour_positions(now, every, "linear")
    log = maps.colour_positions(now, every, "log")
    quantile = maps.colour_positions(now, every, "quantile")
    assert linear[0] == [1.0, 10.0, 1000.0] and (linear[1], linear[2]) == (1.0, 1000.0)
    assert log[0] == pytest.approx([0.0, 1.0, 3.0]) and log[4] == [1.0, 10.0, 100.0, 1000.0]
    assert quantile[0] == pytest.approx([0.125, 0.375, 0.875])
    with pytest.raises(ValueError, match="above zero"):
        maps.colour_positions(now, pd.Series([0.0, 1.0]), "log")


def test_the_figure_keeps_the_values_whatever_the_scale():
    shapes = pd.DataFrame(
        {
            "area": ["433200000", "431000000"],
            "geojson": ['{"type":"Polygon","coordinates":[[[60,45],[60,46],[61,46],[60,45]]]}'] * 2,
        }
    )
    meta = {"unit_en": "t", "direction": "higher", "name_en": "x"}
    figs = {s: maps.choropleth(VALUES, shapes, {}, meta, "en", 2023, scale=s) for s in maps.SCALES}
    assert len({tuple(f.data[0].z) for f in figs.values()}) == 3  # colours differ
    for f in figs.values():
        assert list(f.data[0].customdata) == [120.0, 900.0]
        assert [t.split("<br>")[1] for t in f.data[0].text] == ["120 t", "900 t"]


def test_ranking_shows_the_change_since_an_earlier_year():
    ranked = maps.ranking(VALUES, [], {}, {"direction": "higher"}, 2023, since=2022)
    row = ranked.set_index("area").loc["433200000"]
    assert (row["value"], row["change"]) == (120.0, 20.0)
    assert row["change_pct"] == pytest.approx(20.0)
    assert ranked.set_index("area")["change"].isna().sum() == 2  # no 2022 value
