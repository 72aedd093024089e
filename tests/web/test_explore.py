"""The explore page (/explore), rendered through the Flask test client."""

from __future__ import annotations

import base64
import io
import json
import math
import sys

import numpy as np
import pandas as pd
import pytest
from pandas.testing import assert_frame_equal

from components.i18n import fmt_number
from tests.web.conftest import callback, render

ARAL, KAZAKHSTAN, KYZYLORDA = "433200000", "000000000", "430000000"
OUTPUTS = [
    "heading.children",
    "intro.children",
    "graph.figure",
    "summary.children",
    "readings.children",
    "table.children",
    "sources.children",
    "url.data",
]


# --- helpers ------------------------------------------------------------------------------


def page(client, search: str, accept_language: str | None = None):  # noqa: ANN201
    """The component tree the Pages router returns for /explore + search."""
    out = json.loads(render(client, "/explore", search, accept_language))
    return out["response"]["_pages_content"]["children"]


def find(node, id_: str):  # noqa: ANN001, ANN201
    if isinstance(node, list):
        return next((r for r in (find(n, id_) for n in node) if r is not None), None)
    if isinstance(node, dict):
        props = node.get("props", {})
        if props.get("id") == id_:
            return node
        return next((r for r in (find(v, id_) for v in props.values()) if r is not None), None)
    return None


def text(node) -> str:  # noqa: ANN001
    if isinstance(node, list):
        return " ".join(text(n) for n in node)
    if isinstance(node, dict):
        return text(node.get("props", {}).get("children"))
    return "" if node is None else str(node)


def values(array) -> list:  # noqa: ANN001
    """A Plotly JSON array (a list, or typed {dtype, bdata}) as a list without gaps."""
    if isinstance(array, dict):
        array = np.frombuffer(base64.b64decode(array["bdata"]), dtype=array["dtype"]).tolist()
    return [v for v in array if v is not None and not (isinstance(v, float) and math.isnan(v))]


def figure(tree) -> dict:  # noqa: ANN001
    graph = find(tree, "explore-graph")
    assert graph is not None, text(tree)
    return graph["props"]["figure"]


def area_traces(fig: dict) -> list[dict]:
    return [tr for tr in fig["data"] if tr.get("mode") == "lines+markers"]


def table_rows(node) -> list[list[str]]:  # noqa: ANN001
    body = find(node, "explore-data")["props"]["children"][2]["props"]["children"]
    return [[text(td) for td in tr["props"]["children"]] for tr in body]


@pytest.fixture(scope="module")
def q(dash_app):  # noqa: ANN001, ANN201
    """The store's queries, uncached (outside a request)."""
    from store import queries

    class Uncached:
        def __getattr__(self, name: str):  # noqa: ANN204
            fn = getattr(queries, name)
            return getattr(fn, "uncached", fn)

    return Uncached()


@pytest.fixture(scope="module")
def explore(dash_app):  # noqa: ANN001, ANN201
    return sys.modules["pages.explore"]


# --- the page -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("lang", "heading", "unit_word"),
    [
        ("kk", "Өнеркәсіп өнімінің көлемі: Арал ауданы", "теңге"),
        ("ru", "Объем промышленного производства: Аральский район", "тенге"),
        ("en", "Industrial output: Aral district", "tenge"),
    ],
)
def test_each_language_renders_the_chart(client, lang, heading, unit_word):
    tree = page(client, f"?indicator=industrial_output&area={ARAL}&lang={lang}")
    assert text(find(tree, "explore-heading")) == heading
    fig = figure(tree)
    assert area_traces(fig)
    assert unit_word in fig["layout"]["yaxis"]["title"]["text"]
    summary = find(tree, "explore-summary")
    assert summary["props"]["className"] == "summary" and text(summary)
    chart = next(n for n in tree["props"]["children"] if n.get("type") == "Figure")
    assert chart["props"]["aria-describedby"] == "explore-summary"
    assert "Traceback" not in json.dumps(tree)


def test_language_from_accept_language(client):
    tree = page(client, "?indicator=industrial_output", accept_language="ru-RU,ru;q=0.9")
    assert (
        text(find(tree, "explore-heading")) == "Объем промышленного производства: Аральский район"
    )


def test_numbers_follow_the_language(client):
    tree = page(client, f"?indicator=industrial_output&area={ARAL}&lang=ru")
    graph = find(tree, "explore-graph")["props"]
    assert graph["config"]["locale"] == "ru"
    assert graph["figure"]["layout"]["separators"] == ",\u00a0"


def test_default_indicator_has_a_target_for_the_area(client, q):
    tree = page(client, "?lang=en")
    first = q.targets(area_code=ARAL)["indicator"].iloc[0]
    assert find(tree, "explore-indicator")["props"]["value"] == first


def test_preferred_readings_and_all_readings(client, q):
    preferred = q.observations("industrial_output", (ARAL,), "preferred")
    assert preferred["source"].str.startswith("bns").any(), "BNS data expected"
    tree = page(client, f"?indicator=industrial_output&area={ARAL}&lang=en")
    (trace,) = area_traces(figure(tree))
    assert values(trace["y"]) == pytest.approx(preferred["value"].tolist())
    assert 2609.1 not in values(trace["y"])
    notice = find(tree, "explore-other-sources")
    assert "Other sources give other readings" in text(notice)
    link = notice["props"]["children"][-1]
    assert "source=all" in link["props"]["href"]

    tree = page(client, f"?indicator=industrial_output&area={ARAL}&lang=en&source=all")
    traces = area_traces(figure(tree))
    assert len(traces) >= 2
    assert any(2609.1 in values(tr["y"]) for tr in traces)
    assert ["Aral district", "2008", "2,609.1"] in [r[:3] for r in table_rows(tree)]
    assert find(tree, "explore-source")["props"]["value"] == ["all"]


def test_table_lists_the_database_figures(client, q):
    meta = q.indicator("industrial_output")
    obs = q.observations("industrial_output", (ARAL,), "all")
    tree = page(client, f"?indicator=industrial_output&area={ARAL}&lang=ru&source=all")
    got = pd.DataFrame([r[1:3] for r in table_rows(tree)], columns=["year", "value"])
    expected = pd.DataFrame(
        {
            "year": obs["year"].astype(int).astype(str),
            "value": [fmt_number(v, "ru", int(meta["decimals"])) for v in obs["value"]],
        }
    )
    assert_frame_equal(got, expected)
    sources = text(find(tree, "explore-sources"))
    for code in obs["source"].unique():
        assert q.source(code)["title"] in sources


def test_targets_are_marker_traces(client, q):
    targets = q.targets("protected_area_share", KAZAKHSTAN)
    assert len(targets)
    tree = page(client, f"?indicator=protected_area_share&area={KAZAKHSTAN}&lang=en")
    fig = figure(tree)
    stars = [tr for tr in fig["data"] if tr.get("marker", {}).get("symbol") == "star"]
    assert sorted(x for tr in stars for x in values(tr["x"])) == sorted(
        targets["target_year"].tolist()
    )
    assert "Target:" in text(find(tree, "explore-summary"))


@pytest.mark.parametrize("mode", ["index", "change"])
def test_modes_change_the_values(client, q, mode):
    obs = q.observations("industrial_output", (ARAL,), "preferred")
    v = dict(zip(obs["year"].astype(int), obs["value"], strict=True))
    tree = page(client, f"?indicator=industrial_output&area={ARAL}&lang=en&mode={mode}")
    (trace,) = area_traces(figure(tree))
    ys = values(trace["y"])
    if mode == "index":
        first = v[min(v)]
        assert ys[0] == pytest.approx(100.0)
        assert ys == pytest.approx([v[y] / first * 100 for y in sorted(v)])
    else:
        expected = [(v[y] / v[y - 1] - 1) * 100 for y in sorted(v) if y - 1 in v]
        assert ys == pytest.approx(expected)
    assert find(tree, "explore-mode")["props"]["value"] == mode


@pytest.mark.parametrize(
    ("search", "says"),
    [
        ("?indicator=industrial_output&area=999999999&lang=en", "Area “999999999” was not found"),
        (
            "?indicator=industrial_output&area=999999999&lang=ru",
            "Территория «999999999» не найдена",
        ),
    ],
)
def test_unknown_area_gives_a_friendly_message(client, search, says):
    tree = page(client, search)
    assert says in text(tree)
    assert find(tree, "explore-graph") is None


def test_unknown_indicator_is_named_and_the_list_offered(client, q):
    tree = page(client, f"?indicator=no_such_thing&area={ARAL}&lang=en")
    assert "Indicator “no_such_thing” was not found" in text(tree)
    default = q.targets(area_code=ARAL)["indicator"].iloc[0]
    assert find(tree, "explore-indicator")["props"]["value"] == default
    assert area_traces(figure(tree))


def test_unknown_compare_area_is_named_and_the_rest_shown(client):
    tree = page(
        client, f"?indicator=industrial_output&area={ARAL}&compare=999999999,{KYZYLORDA}&lang=en"
    )
    assert "Area “999999999” was not found" in text(tree)
    assert find(tree, "explore-compare")["props"]["value"] == [KYZYLORDA]
    assert "Kyzylorda oblast" in text(find(tree, "explore-heading"))


def test_no_data_for_the_area(client, q):
    have = set(q.area_indicators(ARAL)["indicator"])
    code = next(c for c in q.indicators()["code"] if c not in have)
    tree = page(client, f"?indicator={code}&area={ARAL}&lang=en")
    assert "No data" in [a["text"] for a in figure(tree)["layout"].get("annotations", [])]
    assert "no data for" in text(find(tree, "explore-summary"))


def test_one_year_only(client, q):
    counts = q.area_indicators(ARAL)
    row = counts[(counts["first_year"] == counts["last_year"])].iloc[0]
    tree = page(client, f"?indicator={row['indicator']}&area={ARAL}&lang=en")
    # said under the x axis, where it covers no marker or star (issue 22)
    axis = figure(tree)["layout"]["xaxis"]["title"]["text"]
    assert axis.endswith(f"One year only: {int(row['first_year'])}")
    (readings,) = [
        tr for tr in figure(tree)["data"] if (tr.get("meta") or {}).get("role") == "readings"
    ]
    assert readings["mode"] == "markers"  # the one value is a point
    assert "(one year only)" in text(find(tree, "explore-summary"))


# --- the callback -------------------------------------------------------------------------


def call(
    client, indicator: str, compare: list[str], mode: str, source: list[str], lang: str = "en"
) -> dict:
    outputs = [{"id": f"explore-{o.split('.')[0]}", "property": o.split(".")[1]} for o in OUTPUTS]
    output = ".." + "...".join(f"explore-{o}" for o in OUTPUTS) + ".."
    inputs = [
        {"id": "explore-indicator", "property": "value", "value": indicator},
        {"id": "explore-compare", "property": "value", "value": compare},
        {"id": "explore-mode", "property": "value", "value": mode},
        {"id": "explore-source", "property": "value", "value": source},
    ]
    state = [{"id": "explore-state", "property": "data", "value": {"area": ARAL, "lang": lang}}]
    return callback(client, output, outputs, inputs, state)["response"]


def test_callback_returns_figure_table_summary_and_url(client):
    out = call(client, "industrial_output", [KYZYLORDA], "index", [])
    fig = out["explore-graph"]["figure"]
    assert {tr["name"] for tr in area_traces(fig)} >= {"Aral district"}
    assert all(values(tr["y"])[0] == pytest.approx(100.0) for tr in area_traces(fig))
    assert "Aral district" in out["explore-summary"]["children"]
    assert find(out["explore-table"]["children"], "explore-data") is not None
    assert out["explore-url"]["data"] == (
        f"?indicator=industrial_output&area={ARAL}&compare={KYZYLORDA}&mode=index&lang=en"
    )


def test_callback_all_sources_in_the_url(client):
    out = call(client, "industrial_output", [], "absolute", ["all"], lang="kk")
    assert out["explore-url"]["data"] == (
        f"?indicator=industrial_output&area={ARAL}&lang=kk&source=all"
    )
    assert any(2609.1 in values(tr["y"]) for tr in area_traces(out["explore-graph"]["figure"]))


@pytest.mark.parametrize(("compare", "source"), [(7, 5), ([3, None], "all"), ([], [2])])
def test_callback_ignores_controls_of_the_wrong_type(client, compare, source):
    """A hand-made request with numbers where the controls send strings draws the chart of
    the indicator alone, preferred sources (it used to answer 500)."""
    out = call(client, "industrial_output", compare, "absolute", source)
    assert {tr["name"] for tr in area_traces(out["explore-graph"]["figure"])} == {"Aral district"}
    assert out["explore-url"]["data"] == f"?indicator=industrial_output&area={ARAL}&lang=en"


# --- the page's pure helpers --------------------------------------------------------------


def test_short_publisher(explore):
    assert (
        explore.short_publisher("The project's seed thesis (Kazakh; unpublished)")
        == "The project's seed thesis"
    )
    assert explore.short_publisher("x" * 50, limit=10) == "x" * 9 + "…"
    assert explore.short_publisher(None) == ""


@pytest.mark.parametrize(
    ("status", "approx", "lang", "expected"),
    [
        ("actual", False, "en", ""),
        ("estimate", False, "en", "estimate"),
        ("derived", True, "ru", "расчёт кураторов, а не значение из источника, год приблизителен"),
    ],
)
def test_flags(explore, status, approx, lang, expected):
    assert explore.flags(status, approx, lang) == expected


def test_reading_notes_group_the_years_a_note_applies_to(explore):
    obs = pd.read_csv(
        io.StringIO("""area,year,source,note,excerpt,location
433200000,2007,seed,same period,quote,line 42
433200000,2008,seed,same period,quote,line 42
430000000,2008,seed,same period,quote,line 42
433200000,2008,bns,,,row 87
"""),
        dtype={"area": str},
    )
    notes = pd.DataFrame(explore.reading_notes(obs, {"433200000": "Aral", "430000000": "Oblast"}))
    expected = pd.DataFrame(
        [
            {
                "source": "seed",
                "note": "same period",
                "excerpt": "quote",
                "location": "line 42",
                "where": "Aral: 2007, 2008; Oblast: 2008",
            }
        ]
    )
    assert_frame_equal(notes, expected)


def test_state_query_keeps_defaults_out(explore):
    s = explore.State("industrial_output", ARAL, (KYZYLORDA,), "absolute", "preferred", "kk")
    assert s.areas == (ARAL, KYZYLORDA)
    assert s.query() == f"?indicator=industrial_output&area={ARAL}&compare={KYZYLORDA}&lang=kk"
    assert s.query(mode="index", source="all").endswith("&mode=index&lang=kk&source=all")
