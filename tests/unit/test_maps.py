"""The choropleth builder and the ranking, on inline data."""

from __future__ import annotations

import io
import json

import pandas as pd
import plotly.graph_objects as go
import pytest

from components.maps import (
    NO_DATA_COLOUR,
    choropleth,
    choropleth_parts,
    hover_text,
    ranking,
    shapes_signature,
    value_arrays,
    year_values,
)

SQUARE = '{{"type": "Polygon", "coordinates": [[[{x}, 45], [{x}, 46], [{x1}, 46], [{x1}, 45], [{x}, 45]]]}}'  # noqa: E501

BOUNDARIES = pd.DataFrame(
    {
        "area": ["433200000", "434400000", "431900000"],
        "geojson": [SQUARE.format(x=60 + i, x1=61 + i) for i in range(3)],
    }
)

VALUES = pd.read_csv(
    io.StringIO("""\
area,year,series,value,status,source
433200000,2022,,80.1,actual,BNS
433200000,2023,,81.5,estimate,BNS
433200000,2023,men,40.0,actual,BNS
434400000,2022,,78.0,actual,BNS
434400000,2023,,2609.1,actual,Akimat
"""),
    dtype={"area": str},
    keep_default_na=False,
    na_values={"value": [""]},
)

NAMES = {"433200000": "Aral district", "434400000": "Kazaly district", "431900000": "Baykonyr city"}
META = {
    "code": "population",
    "name_en": "Population",
    "unit_en": "thousand persons",
    "unit_ru": "тыс. человек",
    "direction": "neutral",
    "decimals": 1,
}


def traces(fig: go.Figure) -> dict[str, go.Choropleth]:
    data, *rest = fig.data
    return {"values": data, **({"no_data": rest[0]} if rest else {})}


def test_year_values_takes_the_total_series_of_the_year():
    got = year_values(VALUES, 2023)
    assert list(got["area"]) == ["433200000", "434400000"]
    assert list(got["value"]) == [81.5, 2609.1]


def test_choropleth_has_one_trace_of_values_and_one_of_no_data():
    fig = choropleth(VALUES, BOUNDARIES, NAMES, META, "en", 2023)
    assert [type(tr).__name__ for tr in fig.data] == ["Choropleth", "Choropleth"]
    values, no_data = fig.data
    assert list(values.locations) == ["433200000", "434400000"]
    assert list(values.z) == [81.5, 2609.1]
    assert values.featureidkey == "id"
    assert [f["id"] for f in values.geojson["features"]] == ["433200000", "434400000"]
    assert list(no_data.locations) == ["431900000"]
    assert no_data.name == "No data" and no_data.showlegend is True
    assert no_data.showscale is False
    assert {c for _, c in no_data.colorscale} == {NO_DATA_COLOUR}
    assert [f["id"] for f in no_data.geojson["features"]] == ["431900000"]


def test_no_data_is_never_a_zero_in_the_hover():
    _, no_data = choropleth(VALUES, BOUNDARIES, NAMES, META, "en", 2023).data
    assert no_data.text == ("<b>Baykonyr city</b><br>No data (2023)",)
    assert no_data.hovertemplate == "%{text}<extra></extra>"


def test_hover_has_name_value_unit_year_and_source_in_the_language():
    values, _ = choropleth(VALUES, BOUNDARIES, NAMES, META, "en", 2023).data
    assert values.text[1] == (
        "<b>Kazaly district</b><br>2,609.1 thousand persons<br>Year: 2023<br>Source: Akimat"
    )
    assert "(estimate)" in values.text[0]
    row = {"value": 2609.1, "year": 2023, "source": "БНС", "status": "actual"}
    assert hover_text(row, "Қазалы", META, "ru") == (
        "<b>Қазалы</b><br>2\u00a0609,1 тыс. человек<br>Год: 2023<br>Источник: БНС"
    )


def test_layout_geo_without_basemap_framed_on_the_areas():
    fig = choropleth(VALUES, BOUNDARIES, NAMES, META, "ru", 2022)
    assert fig.layout.geo.visible is False
    # the three squares span 60-63 °E and 45-46 °N; the frame adds 2 % on each side
    assert list(fig.layout.geo.lonaxis.range) == pytest.approx([59.94, 63.06])
    assert list(fig.layout.geo.lataxis.range) == pytest.approx([44.98, 46.02])
    assert fig.layout.separators == ",\u00a0"
    values = fig.data[0]
    assert values.colorbar.title.text == "тыс. человек"
    assert (values.zmin, values.zmax) == (78.0, 80.1)  # the year shown (2022) only
    assert "http" not in json.dumps(fig.to_plotly_json(), default=str)


def test_the_colour_range_is_that_of_the_year_shown():
    values = choropleth(VALUES, BOUNDARIES, NAMES, META, "en", 2023).data[0]
    assert (values.zmin, values.zmax) == (81.5, 2609.1)


def test_the_scale_is_reversed_when_lower_is_better():
    normal = choropleth(VALUES, BOUNDARIES, NAMES, META, "en", 2023).data[0]
    lower = choropleth(VALUES, BOUNDARIES, NAMES, {**META, "direction": "lower"}, "en", 2023).data[
        0
    ]
    assert not normal.reversescale and lower.reversescale


def test_a_year_without_values_is_all_no_data():
    fig = choropleth(VALUES, BOUNDARIES, NAMES, META, "en", 2010)
    assert len(fig.data) == 1
    assert list(fig.data[0].locations) == list(BOUNDARIES["area"])


def test_highlight_outlines_one_area():
    values, _ = choropleth(VALUES, BOUNDARIES, NAMES, META, "en", 2023, highlight="433200000").data
    assert list(values.marker.line.width) == [3, 1]


def test_no_boundaries_gives_an_empty_map_with_a_note():
    fig = choropleth(VALUES, BOUNDARIES.iloc[0:0], NAMES, META, "en", 2023)
    assert not fig.data
    assert fig.layout.annotations[0].text == "There are no boundaries for these areas."


def test_ranking_leaders_first_then_no_data():
    expected = pd.read_csv(
        io.StringIO("""\
area,name,value,rank
434400000,Kazaly district,2609.1,1
433200000,Aral district,81.5,2
431900000,Baykonyr city,,
"""),
        dtype={"area": str, "rank": "Int64"},
    )
    got = ranking(VALUES, list(BOUNDARIES["area"]), NAMES, META, 2023)
    pd.testing.assert_frame_equal(got[["area", "name", "value", "rank"]], expected)


def test_ranking_when_lower_is_better():
    got = ranking(VALUES, ["433200000", "434400000"], NAMES, {"direction": "lower"}, 2023)
    assert list(got["area"]) == ["433200000", "434400000"]
    assert list(got["rank"]) == [1, 2]


@pytest.mark.parametrize("scale", ["linear", "quantile", "log"])
@pytest.mark.parametrize("year", [2022, 2023])
def test_a_year_change_sends_the_z_and_values_of_that_year_s_map(scale, year):
    parts, _ = choropleth_parts(VALUES, BOUNDARIES, NAMES, META, "en", year, scale=scale)
    sent = value_arrays(VALUES, BOUNDARIES, year, scale, META, "en")
    assert sent["z"] == parts[0]["z"] and sent["customdata"] == parts[0]["customdata"]
    assert (sent["zmin"], sent["zmax"]) == (parts[0]["zmin"], parts[0]["zmax"])
    assert sent["tickvals"] == parts[0]["colorbar"].get("tickvals")
    assert sent["ticktext"] == parts[0]["colorbar"].get("ticktext")


def test_the_shapes_signature_changes_with_the_areas_drawn_or_their_shapes():
    same = shapes_signature(VALUES, BOUNDARIES, 2022)
    assert same == shapes_signature(VALUES, BOUNDARIES.iloc[::-1], 2022)
    assert same != shapes_signature(VALUES, BOUNDARIES, 2021)  # every area without data
    moved = BOUNDARIES.assign(geojson=[SQUARE.format(x=70 + i, x1=71 + i) for i in range(3)])
    assert same != shapes_signature(VALUES, moved, 2022)


def test_one_value_in_the_year_has_one_tick_at_it():
    one = VALUES[VALUES["area"] == "433200000"]
    values = choropleth(one, BOUNDARIES, NAMES, META, "en", 2022).data[0]
    assert (values.zmin, values.zmax) == (80.1, 80.1)
    assert list(values.colorbar.tickvals) == [80.1] and list(values.colorbar.ticktext) == ["80.1"]
