"""The programs page, rendered through the Flask test client, and its pure helpers."""

from __future__ import annotations

import csv
import importlib
import io
import json

import pandas as pd
import pytest
from pandas.testing import assert_frame_equal

from components import status as st
from tests.conftest import ROOT
from tests.web.conftest import render, texts

CURATED = ROOT / "data" / "curated" / "programs"


def _rows(name: str) -> list[dict]:
    with (CURATED / name).open(encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def _find(node: object, type_: str) -> list[dict]:
    """Every component of ``type_`` in a rendered layout (JSON), depth first."""
    found = []
    if isinstance(node, dict):
        if node.get("type") == type_:
            found.append(node)
        for value in node.values():
            found += _find(value, type_)
    elif isinstance(node, list):
        for value in node:
            found += _find(value, type_)
    return found


@pytest.fixture(scope="module")
def page_module(dash_app):
    """pages.programs as the app loaded it (its strings and page are registered)."""
    return importlib.import_module("pages.programs")


@pytest.mark.parametrize(
    ("lang", "heading", "achieved", "insufficient"),
    [
        ("kk", "Бағдарламалар мен олардың мақсаттары", "Қол жеткізілді", "Деректер жеткіліксіз"),
        ("ru", "Программы и их целевые показатели", "Достигнуто", "Недостаточно данных"),
        ("en", "Programs and their targets", "Achieved", "Insufficient data"),
    ],
)
def test_every_program_in_each_language(client, lang, heading, achieved, insufficient):
    page = texts(render(client, "/programs", f"?lang={lang}"))
    assert heading in page
    for program in _rows("programs.csv"):
        assert program[f"name_{lang}"] in page
    # Kazakhstan's protected-area share is above 10 %; the index has no observations.
    assert achieved in page and st.SYMBOLS[st.ACHIEVED] in page
    assert insufficient in page and st.SYMBOLS[st.INSUFFICIENT] in page
    assert "Traceback" not in page


def test_program_facts_source_and_targets(client):
    page = texts(render(client, "/programs", "?lang=en"))
    assert "Decree of the President No. 216 of 14.11.2006" in page  # legal reference
    assert "https://zakon.uchet.kz/kaz/docs/P070000848_" in page  # the source's address
    assert "2007–2024" in page
    assert "at least 5,000 tonnes" in page  # comparator, value and unit
    assert "at most 0.1 " in page
    assert "2035 is the concept's horizon, not a stated year" in page  # a target's note
    assert "/explore?indicator=nas_fish_catch&area=433200000&lang=en" in page
    assert "/about?lang=en#method" in page


def _joined(children: object) -> str:
    """The text of a component's children: strings and the text of nested components."""
    if isinstance(children, str):
        return children
    if isinstance(children, dict):
        return _joined(children.get("props", {}).get("children"))
    if isinstance(children, list):
        return "".join(_joined(c) for c in children)
    return ""


def test_excerpts_are_verbatim_blockquotes_with_their_language(client):
    layout = json.loads(render(client, "/programs", "?lang=en"))
    quotes = {_joined(q["props"]["children"]): q["props"] for q in _find(layout, "Blockquote")}
    for target in _rows("targets.csv"):
        assert target["excerpt"] in quotes
    decree = next(t["excerpt"] for t in _rows("targets.csv") if t["source"] == "decree-848-2007")
    assert quotes[decree]["lang"] == "kk"
    assert quotes[decree]["cite"] == "https://zakon.uchet.kz/kaz/docs/P070000848_"
    synas = next(t["excerpt"] for t in _rows("targets.csv") if t["program"] == "synas-2")
    assert quotes[synas]["lang"] == "en"
    moa = next(
        t["excerpt"] for t in _rows("targets.csv") if t["program"] == "moa-protected-areas-plan"
    )
    assert quotes[moa]["lang"] == "ru"
    # The Decree's row is quoted once for its four target years.
    children = [_joined(q["props"]["children"]) for q in _find(layout, "Blockquote")]
    # the curators' words in the Decree's excerpt are marked as English, the rest is verbatim
    marked = [
        c
        for q in _find(layout, "Blockquote")
        if isinstance(q["props"]["children"], list)
        for c in q["props"]["children"]
        if isinstance(c, dict)
    ]
    assert marked and all(c["props"]["lang"] == "en" for c in marked)
    assert children.count(decree) == 1


def test_one_program(client):
    page = texts(render(client, "/programs", "?program=synas-2&lang=ru"))
    assert "Проект «Регулирование русла реки Сырдарьи" in page
    assert "about 50 tons per year in 2004" in page
    assert "Экологиялық орнықтылықтың индексі |" not in page  # another program's excerpt
    assert "Traceback" not in page


def test_program_without_targets_says_so(client):
    page = texts(
        render(client, "/programs", "?program=kyzylorda-industrial-innovative-2007-2010&lang=kk")
    )
    assert "Бұл бағдарлама үшін сандық мақсаттар тіркелмеген." in page


def test_unknown_program_gives_a_friendly_message(client):
    page = texts(render(client, "/programs", "?program=no-such-plan&lang=en"))
    assert "Program “no-such-plan” was not found" in page
    assert "/programs?program=synas-2&lang=en" in page  # the list to choose from
    assert "/programs?lang=en" in page  # and all of them
    assert "Traceback" not in page


def test_language_from_accept_language(client):
    page = texts(render(client, "/programs", "", accept_language="ru-RU,ru;q=0.9"))
    assert "Программы и их целевые показатели" in page


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        ("ерекше қорғалатын табиғи аумақтардың ауданын", "kk"),
        ("В 2025 году объем воды в море планировалось довести", "ru"),
        ("Станом на 2010 рік населення становило", "uk"),
        ("Qazaqstanda jańa memlekettik ulttyq park qurylady", "kk-Latn"),
        ("قازاقستان رەسپۋبليكاسى", "kk-Arab"),
        ("Einwohnerzahl laut Volkszählung: 78 687 (1. Januar 2023), Fläche", "de"),
        ("catches will climb from about 50 tons per year in 2004", "en"),
        ("[table row] 1.1 | Экологиялық орнықтылықтың индексі | 63 | 68", "kk"),
        ("", None),
        (None, None),
        ("12 345,6", None),
        ("中华人民共和国", None),
    ],
)
def test_text_lang(page_module, text, lang):
    assert page_module.text_lang(text) == lang


@pytest.mark.parametrize(
    ("start", "end", "lang", "expected"),
    [
        (2007, 2024, "en", "2007–2024"),
        (2007.0, 2024.0, "ru", "2007–2024 гг."),
        (None, 2030, "en", "until 2030"),
        (float("nan"), 2015.0, "kk", "2015 жылға дейін"),
        (2026, None, "ru", "с 2026 года"),
        (None, float("nan"), "en", "not stated"),
    ],
)
def test_years_text(page_module, start, end, lang, expected):
    assert page_module.years_text(start, end, lang) == expected


@pytest.mark.parametrize(
    ("value", "decimals"),
    [
        (450.0, 0),
        (12.3, 1),
        (1.25, 2),
        (-0.0175, 4),
        (0.00001, 4),
        (0.0, 0),
        (float("nan"), 0),
    ],
)
def test_pace_decimals(page_module, value, decimals):
    assert st.pace_decimals(value) == decimals


def test_target_of_reads_optional_baselines():
    from components.target_text import target_of

    rows = pd.read_csv(
        io.StringIO(
            "comparator,value,target_year,baseline_year,baseline_value\n"
            ">=,5000,2015,2004,50\n"
            "<=,0.24,2009,,0.31\n"
        )
    )
    first, second = list(rows.itertuples())
    assert target_of(first) == st.Target(">=", 5000.0, 2015, 2004, 50.0)
    assert target_of(second) == st.Target("<=", 0.24, 2009, None, 0.31)


def test_main_series_prefers_the_total(page_module):
    obs = pd.read_csv(
        io.StringIO("series,year,value\nannual mean,2022,18.9\n,2023,21.0\n,2022,18.5\n"),
        keep_default_na=False,
    )
    expected = pd.read_csv(
        io.StringIO("series,year,value\n,2022,18.5\n,2023,21.0\n"), keep_default_na=False
    )
    assert_frame_equal(page_module.main_series(obs).reset_index(drop=True), expected)
    only = obs[obs["series"] == "annual mean"]
    assert list(page_module.main_series(only)["value"]) == [18.9]


def test_programs_in_order_of_their_first_year(page_module):
    progs = pd.read_csv(
        io.StringIO(
            "code,year_start,year_end\n"
            "water,,\n"
            "moa,,2030\n"
            "synas,,2015\n"
            "concept,2007,2024\n"
            "biodiversity,2026,2035\n"
        )
    )
    assert list(page_module.in_order(progs)["code"]) == [
        "concept",
        "synas",
        "biodiversity",
        "moa",
        "water",
    ]


def test_targets_table_can_be_downloaded(client):
    from tests.web.conftest import render, texts

    page = texts(render(client, "/programs", "?lang=en"))
    assert '"href": "/api/v1/targets"' in page and '"href": "/download/all.zip"' in page
    assert client.get("/api/v1/targets").status_code == 200


def _by_id(node: object, wanted: str) -> dict | None:
    if isinstance(node, dict):
        if (node.get("props") or {}).get("id") == wanted:
            return node
        for value in node.values():
            hit = _by_id(value, wanted)
            if hit:
                return hit
    if isinstance(node, list):
        for value in node:
            hit = _by_id(value, wanted)
            if hit:
                return hit
    return None


def test_status_table_on_top_is_sortable_filterable_and_links_to_details(client):
    page = json.loads(render(client, "/programs", "?lang=en"))
    table = _by_id(page, "programs-status-table")["props"]
    assert table["sort_action"] == "native" and table["filter_action"] == "native"
    rows = table["data"]
    assert len(rows) == len(_rows("targets.csv"))
    nas = next(r for r in rows if r["target"].startswith("North Aral") and r["year"] == 2030)
    assert nas["area"] == "Aral district"
    # the recent trend (+1.85 a year) beats +0.580 needed; judged on the 2025 reading
    assert nas["status"] == "▲ On track (judged on 2025)"
    assert nas["needed"].startswith("+0.580 ")
    assert "#target-water-resources-concept-nas_water_volume-433200000)" in nas["detail"]


@pytest.mark.parametrize(
    ("lang", "first", "original"),
    [
        ("ru", "Северное Аральское море (водоём", "Английский оригинал"),
        ("kk", "Солтүстік Арал теңізі (әкімшілік аумақ емес", "Ағылшынша түпнұсқасы"),
    ],
)
def test_notes_read_in_the_readers_language_first_with_the_english_kept(
    client, lang, first, original
):
    page = texts(render(client, "/programs", f"?program=water-resources-concept&lang={lang}"))
    english = "North Aral Sea (a water body, not an administrative area)"
    assert first in page and original in page and english in page
    assert page.index(first) < page.index(english)


def test_every_note_has_kk_and_ru():
    notes = {
        r["note"] for name in ("programs.csv", "targets.csv") for r in _rows(name) if r["note"]
    }
    rows = [r for name in ("programs.csv", "targets.csv") for r in _rows(name) if r["note"]]
    assert notes and len(rows) >= len(notes)
    assert all(r["note_kk"] and r["note_ru"] and r["note_kk"] != r["note"] for r in rows)
