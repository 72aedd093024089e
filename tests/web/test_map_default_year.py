"""The map of every district's population (the view of issue 22) opens on the latest year
that most districts have, says how many areas have data, and colours the year shown; a
total per person is in a readable unit; a mean or a level cannot be divided."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import create_engine, text

from components.i18n import fmt_number
from tests.web.conftest import render
from tests.web.test_map import find, with_boundaries  # noqa: F401 - a fixture

COUNTRY = "000000000"
ALL = "?indicator=population&level=district&parent=all"
COVERAGE = {
    "en": "146 of {m} areas have data for 2023",
    "ru": "Территорий с данными за 2023 год: 146 из {m}",
    "kk": "2023 жылғы деректері бар аумақтар: {m} аумақтың 146",
}


def sql(url: str, query: str, **params: object) -> list[tuple]:
    with create_engine(url).connect() as conn:
        return [tuple(r) for r in conn.execute(text(query), params)]


def districts_alive(url: str, year: int) -> int:
    """Areas under every oblast and city of republican significance that existed in ``year``."""
    ((n,),) = sql(
        url,
        """select count(*) from areas a join areas p on p.kato = a.parent
           where p.parent = :country and (a.valid_from is null or a.valid_from <= :y)
             and (a.valid_to is null or a.valid_to >= :y)""",
        country=COUNTRY,
        y=year,
    )
    return n


def population(url: str, year: int) -> dict[str, float]:
    """Every district's population of ``year`` (thousand persons; one source each)."""
    rows = sql(
        url,
        """select o.area, o.value from observations o
           join areas a on a.kato = o.area join areas p on p.kato = a.parent
           where o.indicator = 'population' and o.year = :y and o.series = ''
             and p.parent = :country""",
        y=year,
        country=COUNTRY,
    )
    assert len(rows) == len(dict(rows))
    return dict(rows)


def page(client, search: str) -> dict:  # noqa: ANN001
    return json.loads(render(client, "/map", search))


@pytest.mark.parametrize("lang", ["kk", "ru", "en"])
def test_the_whole_country_opens_on_2023_which_146_districts_have(client, web_db, lang):
    assert len(population(web_db, 2024)) == 63  # the latest year, which few districts have
    assert len(population(web_db, 2023)) == 146
    rendered = page(client, f"{ALL}&lang={lang}")
    assert find(rendered, "map-year")["props"]["value"] == 2023
    caption = find(rendered, "map-caption")["props"]["children"]
    assert COVERAGE[lang].format(m=districts_alive(web_db, 2023)) in caption
    assert "2023" in caption
    rule = find(rendered, "map-year-rule")["props"]["children"]
    assert rule and "2023" not in rule  # the rule, stated in the page's notes


@pytest.mark.parametrize("lang", ["kk", "ru", "en"])
def test_the_colour_bar_spans_the_year_shown(client, web_db, with_boundaries, lang):  # noqa: F811
    values = population(web_db, 2023)
    drawn = sql(  # the district boundaries of the latest vintage up to 2023
        web_db,
        """select area from boundaries where level = 'district' and vintage = (
           select max(vintage) from boundaries where level = 'district' and vintage <= 2023)""",
    )
    drawn = {a for (a,) in drawn} & set(values)
    fig = find(page(client, f"{ALL}&lang={lang}"), "map-graph")["props"]["figure"]
    trace = next(tr for tr in fig["data"] if tr.get("showscale") is not False)
    assert set(trace["locations"]) == drawn
    shown = [values[a] for a in drawn]
    assert (trace["zmin"], trace["zmax"]) == (min(shown), max(shown))
    every_year = sql(
        web_db, "select min(value), max(value) from observations where indicator = 'population'"
    )[0]
    assert (trace["zmin"], trace["zmax"]) != every_year


def test_a_year_asked_for_is_kept(client):
    rendered = page(client, f"{ALL}&year=2024&lang=en")
    assert find(rendered, "map-year")["props"]["value"] == 2024
    assert "63 of" in find(rendered, "map-caption")["props"]["children"]


@pytest.mark.parametrize(
    ("lang", "unit"),
    [
        ("kk", "теңге, бір адамға, ағымдағы бағамен"),
        ("ru", "тенге на человека, в текущих ценах"),
        ("en", "tenge per person, current prices"),
    ],
)
def test_money_per_person_is_in_tenge_per_person(client, web_db, with_boundaries, lang, unit):  # noqa: F811
    kyzylorda, aral = "430000000", "433200000"
    search = f"?indicator=industrial_output&parent={kyzylorda}&year=2023&normalize=per_capita"
    rendered = page(client, f"{search}&lang={lang}")
    fig = find(rendered, "map-graph")["props"]["figure"]
    trace = next(tr for tr in fig["data"] if tr.get("showscale") is not False)
    assert trace["colorbar"]["title"]["text"] == unit
    # Aral's industrial output (million tenge) over its population (thousand persons), 2023
    ((output,),) = sql(
        web_db,
        "select value from observations where indicator = 'industrial_output' and area = :a "
        "and year = 2023 and series = ''",
        a=aral,
    )
    people = population(web_db, 2023)[aral]
    tenge = output * 1e6 / (people * 1e3)
    assert 1_000 < tenge < 10_000_000  # a readable number, not 0.000358
    hover = trace["text"][trace["locations"].index(aral)]
    decimals = 0 if tenge >= 100 else 2
    assert f"{fmt_number(tenge, lang, decimals)} {unit}" in hover or unit in hover
    rows = find(rendered, "map-rows")["props"]["data"]["rows"]
    shown = next(r for r in rows if r[0] == aral)[2]
    plain = shown.replace(",", "") if lang == "en" else shown.replace(",", ".")
    assert float(plain.replace("\u00a0", "").replace(" ", "")) == pytest.approx(tenge, rel=5e-3)


@pytest.mark.parametrize("lang", ["kk", "ru", "en"])
def test_a_level_offers_no_per_person_or_per_km2_view(client, lang):
    """The North Aral Sea's surface area (km², a level recorded under Aral district)."""
    search = "?indicator=nas_water_area&parent=430000000&normalize=per_capita"
    rendered = page(client, f"{search}&lang={lang}")
    options = find(rendered, "map-normalize")["props"]
    assert options["value"] == "none"
    disabled = {o["value"]: o.get("disabled", False) for o in options["options"]}
    assert disabled == {"none": False, "per_capita": True, "per_km2": True}
    assert find(rendered, "map-notice")["props"]["children"]  # says why it is shown as it is


def catalogue_kind(code: str) -> str:
    """The kind data/indicators/*.csv declares for ``code``."""
    import csv
    from pathlib import Path

    for path in sorted((Path(__file__).parents[2] / "data" / "indicators").glob("*.csv")):
        with path.open(encoding="utf-8") as fh:
            for row in csv.DictReader(fh):
                if row["code"] == code:
                    return row["kind"]
    raise KeyError(code)


@pytest.mark.parametrize("code", ["nas_water_area", "industrial_output", "unemployment_rate"])
def test_the_api_says_each_indicator_s_declared_kind(client, code):
    resp = client.get(f"/api/v1/indicators/{code}")
    assert resp.status_code == 200
    body = resp.get_json()
    record = body.get("data", body)
    record = record[0] if isinstance(record, list) else record
    assert record["kind"] == catalogue_kind(code)
    meta = client.get(
        f"/download/map-data.json?indicator={code}&parent=430000000&lang=en"
    ).get_json()["meta"]
    assert meta["indicator"]["kind"] == catalogue_kind(code)
