"""The figure builders behind the explore page, on inline data."""

from __future__ import annotations

import io

import pandas as pd
import pytest
from pandas.testing import assert_frame_equal

from components.figures import preferred, summary, time_series, transform

META = {
    "code": "industrial_output",
    "name_en": "Industrial output",
    "unit_en": "million tenge",
    "decimals": 1,
}

# As the store returns "all" readings: per area/series/year, the preferred source first.
ALL = """area,series,year,value,status,year_approx,source
433200000,,2007,1863.0,actual,False,bns
433200000,,2007,2452.2,derived,False,seed
433200000,,2008,1946.0,actual,False,bns
433200000,,2008,2609.1,actual,False,seed
433200000,,2010,2100.0,actual,False,bns
"""

TARGETS = """area,target_year,comparator,value,baseline_year,baseline_value,program,program_en
433200000,2030,>=,5000.0,,,p,Program
"""


def frame(text: str) -> pd.DataFrame:
    df = pd.read_csv(io.StringIO(text), dtype={"area": str, "series": str})
    if "series" in df:
        df["series"] = df["series"].fillna("")
    return df


def ys(trace) -> list[float]:  # noqa: ANN001
    return [round(float(v), 4) for v in trace.y if v is not None and v == v]


def test_preferred_keeps_the_first_reading_of_each_year():
    expected = frame("""area,series,year,value,status,year_approx,source
433200000,,2007,1863.0,actual,False,bns
433200000,,2008,1946.0,actual,False,bns
433200000,,2010,2100.0,actual,False,bns
""")
    assert_frame_equal(preferred(frame(ALL)).reset_index(drop=True), expected)


def test_transform_index_per_source():
    out = transform(frame(ALL), "index", ("area", "series", "source"))
    got = out.sort_values(["source", "year"])[["source", "year", "value"]].round(2)
    expected = frame("""source,year,value
bns,2007,100.0
bns,2008,104.46
bns,2010,112.72
seed,2007,100.0
seed,2008,106.4
""")
    assert_frame_equal(got.reset_index(drop=True), expected)


def test_transform_change_needs_the_previous_year():
    out = transform(preferred(frame(ALL)), "change")
    expected = frame("""year,value
2008,4.46
""")
    assert_frame_equal(out[["year", "value"]].round(2).reset_index(drop=True), expected)


def test_time_series_one_series_per_source_and_targets_on_the_preferred_reading():
    fig = time_series(
        frame(ALL),
        META,
        "en",
        targets=frame(TARGETS),
        area_names={"433200000": "Aral district"},
        source_labels={"bns": "Bureau", "seed": "Seed"},
    )
    names = [tr.name for tr in fig.data]
    assert names[:2] == ["Aral district — Bureau", "Aral district — Seed"]
    assert ys(fig.data[0]) == [1863.0, 1946.0, 2100.0]  # 2009 left empty, not joined
    assert ys(fig.data[1]) == [2452.2, 2609.1]
    star = next(tr for tr in fig.data if tr.marker.symbol == "star")
    assert (list(star.x), list(star.y)) == ([2030], [5000.0])
    pace = next(tr for tr in fig.data if tr.name.startswith("Required pace"))
    assert pace.name.replace("<br>", " ") == (
        "Required pace: from the latest value to a target still ahead"
    )
    assert (list(pace.x), list(pace.y)) == ([2010, 2030], [2100.0, 5000.0])  # from the latest


def test_time_series_index_mode_starts_at_100():
    fig = time_series(preferred(frame(ALL)), META, "en", mode="index")
    assert ys(fig.data[0])[0] == 100.0
    assert fig.layout.yaxis.title.text == "Index (first year = 100)"


@pytest.mark.parametrize(
    ("rows", "note"),
    [
        ("", "No data"),
        ("433200000,,2008,308.0,actual,False,seed\n", "One year only: 2008"),
    ],
)
def test_time_series_says_no_data_and_one_year_only(rows, note):
    df = frame("area,series,year,value,status,year_approx,source\n" + rows)
    fig = time_series(df, META, "en")
    # "no data" over the empty chart; "one year only" under the axis, where it covers no
    # marker or star (issue 22)
    said = [a.text for a in fig.layout.annotations] + [fig.layout.xaxis.title.text]
    assert any(note in text for text in said)


def test_summary_of_one_year():
    df = frame(
        "area,series,year,value,status,year_approx,source\n"
        "433200000,,2008,308.0,actual,False,seed\n"
    )
    text = summary(df, META, "en", {"433200000": "Aral district"})
    assert text == [
        "Aral district: Industrial output was 308.0 million tenge in 2008 (one year only)."
    ]


def test_time_series_change_without_consecutive_years_says_so():
    df = frame(
        "area,series,year,value,status,year_approx,source\n"
        "433200000,,2008,308.0,actual,False,seed\n433200000,,2010,300.0,actual,False,seed\n"
    )
    fig = time_series(df, META, "en", mode="change")
    assert [a.text for a in fig.layout.annotations] == [
        "No two consecutive years to compute a change"
    ]


def test_target_marker_reads_as_a_sign():
    fig = time_series(frame(ALL), META, "ru", targets=frame(TARGETS))
    star = next(tr for tr in fig.data if tr.marker.symbol == "star")
    # its legend entry says the sign (a label beside the star covered readings, issue 22)
    assert star.name.replace("<br>", " ") == "Цель 2030: ≥ 5\u00a0000,0"
    assert star.text is None


def test_past_targets_keep_their_marker_but_not_their_pace_line():
    import pandas as pd

    from components.figures import time_series

    df = pd.DataFrame(
        {
            "area": ["000000000"] * 2,
            "series": [""] * 2,
            "year": [2002, 2025],
            "value": [2.8, 11.37],
            "status": ["actual"] * 2,
            "year_approx": [False] * 2,
            "source": ["s"] * 2,
        }
    )
    targets = pd.DataFrame(
        {
            "area": ["000000000"] * 2,
            "target_year": [2020, 2030],
            "comparator": [">=", ">="],
            "value": [9.0, 10.3],
            "baseline_year": [None, None],
            "baseline_value": [None, None],
            "program": ["p", "p"],
        }
    )
    fig = time_series(df, {"unit_en": "%", "decimals": 2}, "en", targets=targets)
    stars = [tr for tr in fig.data if tr.marker and tr.marker.symbol == "star"]
    pace = [tr for tr in fig.data if (tr.name or "").startswith("Required pace")]
    assert [tr.x[0] for tr in stars] == [2020, 2030]
    assert pace == []  # 2020 is past; 2030's 10.3 is already met by 2025's 11.37
    ahead = targets.assign(value=[9.0, 15.0])
    fig = time_series(df, {"unit_en": "%", "decimals": 2}, "en", targets=ahead)
    pace = [tr for tr in fig.data if (tr.name or "").startswith("Required pace")]
    assert [(tuple(tr.x), tuple(tr.y)) for tr in pace] == [((2025, 2030), (11.37, 15.0))]
    assert sum(bool(tr.showlegend) for tr in pace) == 1


NORTH_ARAL = """area,series,year,value,status,year_approx,source
433200000,,2010,27.0,actual,False,q
433200000,,2015,27.0,estimate,True,k
433200000,,2022,18.5,actual,False,z
433200000,,2023,19.7,actual,False,z
433200000,,2024,21.4,actual,False,c
433200000,,2025,24.1,actual,False,z
"""
NAS_TARGET = """area,target_year,comparator,value,baseline_year,baseline_value,program
433200000,2030,>=,27.0,,,water
"""


@pytest.mark.parametrize(
    ("lang", "name"),
    [
        ("en", "Projection from the 2022–2025 trend (not data)"),
        ("ru", "Прогноз по тренду 2022–2025 (не данные)"),
        ("kk", "Болжам: 2022–2025 үрдісі (дерек емес)"),
    ],
)
def test_projection_from_the_recent_trend_is_labelled_never_data(lang, name):
    meta = {"unit_en": "bn m³", "unit_ru": "млрд м³", "unit_kk": "млрд м³", "decimals": 1}
    fig = time_series(frame(NORTH_ARAL), meta, lang, targets=frame(NAS_TARGET))
    line = next(tr for tr in fig.data if (tr.name or "").replace("<br>", " ") == name)
    assert list(line.x) == [2025, 2026, 2027, 2028, 2029, 2030]
    assert line.line.dash == "dash"
    assert line.y[0] == pytest.approx(24.1) and line.y[-1] == pytest.approx(24.1 + 1.85 * 5)
    band = next(tr for tr in fig.data if tr.fill == "toself")
    assert max(band.y) > line.y[-1] > min(band.y[len(band.y) // 2 :])
    data = [tr for tr in fig.data if tr.mode == "lines+markers"]
    assert max(x for tr in data for x in tr.x if x is not None) == 2025  # data stop at 2025


def test_sparkline_is_a_line_with_its_ends_labelled_and_gaps_marked():
    import re
    from urllib.parse import unquote

    from components.figures import sparkline_svg

    uri = sparkline_svg(
        [(2008, 1.0), (2009, 2.0), (2010, 2.5), (2015, 3.0)], labels=("2008: 1", "2015: 3")
    )
    assert uri.startswith("data:image/svg+xml,")
    svg = unquote(uri.split(",", 1)[1])
    paths = re.findall(r"<path ([^>]*)/>", svg)
    solid = [p for p in paths if "dasharray" not in p and "dots" not in p]
    dashed = [p for p in paths if "dasharray" in p]
    dots = [p for p in paths if "dots" in p]
    # 2008-2009-2010 one solid polyline; 2010-2015 across the gap dashed
    assert len(solid) == 1 and re.search(r"d='M[\d. ]+L[\d. ]+L[\d. ]+'", solid[0])
    assert len(dashed) == 1 and re.search(r"d='M[\d. ]+L[\d. ]+'", dashed[0])
    assert len(dots) == 1 and dots[0].count("h0") == 4  # a dot on every value
    assert ">2008: 1</text>" in svg and ">2015: 3</text>" in svg
    assert "plotly" not in svg and "<svg" in svg
