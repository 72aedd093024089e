"""The REST API (/api/v1/) through the Flask test client, checked against the database.

Expected figures come from direct SQL on the test database (native Python values of the
database's driver: SQLite, or PostgreSQL under `make test-pg`, with the Redis cache),
so an export that adds float noise or drops a reading fails. A property-based run
(schemathesis over the OpenAPI document, and hypothesis over every parameter) finds no 5xx.
"""

from __future__ import annotations

import html
import io
import json
import tempfile
from pathlib import Path
from urllib.parse import quote

import pandas as pd
import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis.configuration import set_hypothesis_home_dir
from openapi_spec_validator import validate
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    negative_data_rejection,
    response_schema_conformance,
    status_code_conformance,
)
from sqlalchemy import text

from api import v1
from store import queries
from store.db import readonly_engine
from tests.conftest import FIXTURES, run_etl

# Hypothesis keeps its caches out of the working directory; no example database.
set_hypothesis_home_dir(Path(tempfile.gettempdir()) / "aral-indicators-hypothesis")
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
    negative_data_rejection,
]

MINI = FIXTURES / "curated_min"
pytestmark = pytest.mark.postgres
API = "/api/v1"
ARAL, KYZYLORDA, COUNTRY = "433200000", "430000000", "000000000"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
OBS_SQL = """
    select o.indicator, o.area, a.name_kk as area_name_kk, a.name_ru as area_name_ru,
           a.name_en as area_name_en, o.year, o.series, o.value, i.unit_en as unit, o.status,
           o.year_approx, o.source, o.note
    from observations o join areas a on a.kato = o.area join indicators i on i.code = o.indicator
    where o.indicator = :indicator and o.area = :area
    order by o.year, o.source
"""


@pytest.fixture(scope="module")
def sql(web_db: str):
    """Run SQL on the test database; rows as dicts of native Python values."""
    engine = readonly_engine(web_db)

    def run(query: str, **params: object) -> list[dict]:
        with engine.connect() as conn:
            return [dict(r) for r in conn.execute(text(query), params).mappings()]

    yield run
    engine.dispose()


def get_json(client, path: str, status: int = 200) -> dict:
    resp = client.get(API + path)
    assert resp.status_code == status, resp.get_data(as_text=True)[:1000]
    assert resp.headers["Access-Control-Allow-Origin"] == "*"
    return resp.get_json()


def obs_rows(rows: list[dict]) -> list[dict]:
    """API rows in the SQL's order, with year_approx as 0/1 (SQLite's; 1 == True)."""
    key = sorted(rows, key=lambda r: (r["year"], r["source"]))
    return [{**r, "year_approx": int(r["year_approx"])} for r in key]


# --- catalogue, areas, programs, targets, sources ---------------------------------------


def test_indicators_are_the_catalogue(client, sql):
    got = get_json(client, "/indicators")
    expected = sql("select * from indicators")
    assert sorted(got["data"], key=lambda r: r["code"]) == sorted(expected, key=lambda r: r["code"])
    assert got["meta"]["count"] == len(expected)
    one = get_json(client, "/indicators/industrial_output")["data"]
    assert one == sql("select * from indicators where code = 'industrial_output'")[0]
    assert {
        "code",
        "name_kk",
        "name_ru",
        "name_en",
        "unit_kk",
        "unit_ru",
        "unit_en",
        "category",
        "direction",
        "sdg_id",
        "preferred_source",
        "description",
    } <= set(one)


def test_unknown_indicator_path_is_404(client):
    err = get_json(client, "/indicators/no_such_thing", 404)
    assert err["parameter"] == "code" and "no_such_thing" in err["error"]


@pytest.mark.parametrize(
    ("query", "where"),
    [
        ("", "1 = 1"),
        ("?level=oblast", "level = 'oblast'"),
        (f"?level=district&parent={KYZYLORDA}", f"level = 'district' and parent = '{KYZYLORDA}'"),
        ("?parent=" + quote("Кызылординская область"), f"parent = '{KYZYLORDA}'"),
    ],
)
def test_areas(client, sql, query, where):
    got = get_json(client, "/areas" + query)["data"]
    assert got == sql(f"select * from areas where {where} order by kato")
    assert got and {
        "kato",
        "level",
        "parent",
        "name_kk",
        "name_ru",
        "name_en",
        "iso_3166_2",
        "valid_from",
        "valid_to",
    } <= set(got[0])


def test_aral_is_a_district_of_kyzylorda(client):
    got = get_json(client, f"/areas?parent={KYZYLORDA}")["data"]
    aral = next(a for a in got if a["kato"] == ARAL)
    assert aral["level"] == "district" and aral["name_en"] == "Aral district"


def test_programs_and_sources_are_the_tables(client, sql):
    assert get_json(client, "/programs")["data"] == sql(
        "select * from programs order by year_start, code"
    )
    assert get_json(client, "/sources")["data"] == sql("select * from sources order by code")


@pytest.mark.parametrize(
    "query",
    [
        "",
        "?indicator=nas_fish_catch",
        f"?area={ARAL}",
        "?program=concept-sd-2007-2024",
        f"?indicator=env_sustainability_index&area={COUNTRY}",
    ],
)
def test_targets(client, sql, query):
    where, params = [], {}
    for key, value in (p.split("=") for p in query.lstrip("?").split("&") if p):
        where.append(f"t.{key} = :{key}")
        params[key] = value
    expected = sql(
        f"""
        select t.*, p.name_kk as program_kk, p.name_ru as program_ru, p.name_en as program_en,
               p.legal_ref
        from targets t join programs p on p.code = t.program
        where {" and ".join(where) or "1 = 1"}
        order by t.indicator, t.area, t.target_year""",
        **params,
    )
    got = get_json(client, "/targets" + query)["data"]
    status = ("status", "status_year", "status_text", "benchmark")  # tests/web/test_target_status
    assert expected and [{k: v for k, v in r.items() if k not in status} for r in got] == expected
    assert all(set(status) <= set(r) for r in got)


# --- observations -----------------------------------------------------------------------


def test_observations_all_sources_are_the_database(client, sql):
    resp = client.get(f"{API}/observations?indicator=industrial_output&area={ARAL}&source=all")
    got = resp.get_json()
    assert obs_rows(got["data"]) == sql(OBS_SQL, indicator="industrial_output", area=ARAL)
    in_2008 = {r["source"]: r["value"] for r in got["data"] if r["year"] == 2008}
    assert in_2008 == {"seed-aral-akim-2008": 2609.1, "bns-kyzylorda-district-workbook": 1946.0}
    text = resp.get_data(as_text=True)
    assert '"value":2609.1,' in text and '"value":1946.0,' in text  # as stored, no noise


def test_observations_meta(client, sql):
    got = get_json(client, f"/observations?indicator=industrial_output&area={ARAL}&source=all")
    meta = got["meta"]
    assert meta["indicator"]["code"] == "industrial_output"
    assert meta["unit"] == meta["indicator"]["units"]["en"] == "million tenge, current prices"
    codes = list(dict.fromkeys(r["source"] for r in got["data"]))
    assert [s["code"] for s in meta["sources"]] == codes
    table = {s["code"]: s for s in sql("select * from sources")}
    for s in meta["sources"]:
        for key in ("title", "publisher", "address", "license"):
            assert s[key] == table[s["code"]][key]
    assert meta["query"] == {
        "indicator": "industrial_output",
        "area": [ARAL],
        "from": None,
        "to": None,
        "series": None,
        "source": "all",
        "format": "json",
        "lang": "en",
    }
    assert "Industrial output" in meta["citation"] and "Aral district" in meta["citation"]
    assert meta["count"] == len(got["data"])
    ru = get_json(client, f"/observations?indicator=industrial_output&area={ARAL}&lang=ru")
    assert ru["data"][0]["unit"] == ru["meta"]["unit"] == "млн тенге, в текущих ценах"


def test_preferred_is_one_reading_a_year_as_the_store_gives(client):
    got = get_json(client, f"/observations?indicator=industrial_output&area={ARAL}")["data"]
    years = [(r["area"], r["series"], r["year"]) for r in got]
    assert len(years) == len(set(years))
    store = queries.observations("industrial_output", (ARAL,), source="preferred")
    assert [(r["year"], r["source"], r["value"]) for r in got] == list(
        zip(store["year"], store["source"], store["value"], strict=True)
    )
    assert {r["source"] for r in got if r["year"] == 2008} == {"bns-kyzylorda-district-workbook"}


def test_one_source_and_years(client, sql):
    got = get_json(
        client, f"/observations?indicator=industrial_output&area={ARAL}&source=seed-aral-akim-2008"
    )["data"]
    assert [(r["year"], r["value"]) for r in got] == [
        (r["year"], r["value"])
        for r in sql(OBS_SQL, indicator="industrial_output", area=ARAL)
        if r["source"] == "seed-aral-akim-2008"
    ]
    got = get_json(
        client,
        f"/observations?indicator=industrial_output&area={ARAL}&source=all&from=2005&to=2010",
    )["data"]
    assert got and {r["year"] for r in got} <= set(range(2005, 2011))
    assert obs_rows(got) == [
        r
        for r in sql(OBS_SQL, indicator="industrial_output", area=ARAL)
        if 2005 <= r["year"] <= 2010
    ]


def test_series_filter(client, sql):
    row = sql("select indicator, area, series from observations where series != '' limit 1")
    if not row:
        pytest.skip("no disaggregated series in the test data")
    ind, area, series = row[0]["indicator"], row[0]["area"], row[0]["series"]
    base = f"/observations?indicator={ind}&area={area}&source=all"
    only = get_json(client, f"{base}&series={quote(series)}")["data"]
    totals = get_json(client, f"{base}&series=")["data"]
    n = sql(
        "select count(*) as n from observations where indicator = :i and area = :a and series = :s",
        i=ind,
        a=area,
        s=series,
    )[0]["n"]
    assert len(only) == n and {r["series"] for r in only} == {series}
    assert {r["series"] for r in totals} <= {""}


@pytest.mark.parametrize("spelling", ["Aral", "Аральский район", "Арал ауданы", ARAL])
def test_area_by_name(client, spelling):
    got = get_json(client, f"/observations?indicator=industrial_output&area={quote(spelling)}")
    assert got["meta"]["query"]["area"] == [ARAL]
    assert {r["area"] for r in got["data"]} == {ARAL}


def test_several_areas(client, sql):
    got = get_json(
        client,
        f"/observations?indicator=industrial_output&source=all&area={ARAL},{KYZYLORDA},{ARAL}",
    )
    assert got["meta"]["query"]["area"] == [ARAL, KYZYLORDA]
    for kato in (ARAL, KYZYLORDA):
        assert obs_rows([r for r in got["data"] if r["area"] == kato]) == sql(
            OBS_SQL, indicator="industrial_output", area=kato
        )


def test_no_area_means_every_area_with_observations(client, sql):
    got = get_json(client, "/observations?indicator=industrial_output&source=all")
    expected = sql("select count(*) as n from observations where indicator = 'industrial_output'")[
        0
    ]["n"]
    assert len(got["data"]) == expected


def test_csv_reads_back_as_stored(client, sql):
    resp = client.get(
        f"{API}/observations?indicator=industrial_output&area={ARAL}&source=all&format=csv"
    )
    assert resp.status_code == 200
    assert resp.headers["Content-Type"].startswith("text/csv")
    assert resp.headers["Access-Control-Allow-Origin"] == "*"
    assert "attachment" in resp.headers["Content-Disposition"]
    body = resp.get_data()
    assert body.startswith(b"\xef\xbb\xbf")
    text = body.decode("utf-8-sig")
    assert ",2609.1," in text and ",1946.0," in text
    df = pd.read_csv(
        io.BytesIO(body), encoding="utf-8-sig", dtype={"area": str}, keep_default_na=False
    )
    expected = sql(OBS_SQL, indicator="industrial_output", area=ARAL)
    got = df.sort_values(["year", "source"], kind="stable")
    assert list(df.columns) == [
        "indicator",
        "area",
        "area_name_kk",
        "area_name_ru",
        "area_name_en",
        "year",
        "series",
        "value",
        "unit",
        "status",
        "year_approx",
        "source",
        "note",
    ]
    assert list(zip(got["area"], got["year"], got["value"], got["source"], strict=True)) == [
        (r["area"], r["year"], r["value"], r["source"]) for r in expected
    ]
    assert list(got["area_name_ru"]) == [r["area_name_ru"] for r in expected]


def test_xlsx_reads_back_as_stored_with_its_sources(client, sql):
    resp = client.get(
        f"{API}/observations?indicator=industrial_output&area={ARAL}&source=all&format=xlsx"
    )
    assert resp.status_code == 200 and resp.headers["Content-Type"] == XLSX
    sheets = pd.read_excel(
        io.BytesIO(resp.get_data()), sheet_name=None, dtype={"area": str}, engine="openpyxl"
    )
    assert set(sheets) >= {"data", "metadata"}
    data = sheets["data"].sort_values(["year", "source"], kind="stable")
    expected = sql(OBS_SQL, indicator="industrial_output", area=ARAL)
    assert list(zip(data["year"], data["value"], data["source"], strict=True)) == [
        (r["year"], r["value"], r["source"]) for r in expected
    ]
    cells = {str(v) for v in sheets["metadata"].to_numpy().ravel() if pd.notna(v)}
    table = {s["code"]: s for s in sql("select * from sources")}
    for code in {r["source"] for r in expected}:
        assert code in cells
        assert table[code]["publisher"] in cells
        assert table[code]["address"] is None or table[code]["address"] in cells


def test_every_indicator_json_is_exact(client, sql):
    """Every stored value of every indicator for Aral district comes back bit for bit."""
    for ind in {
        r["indicator"]
        for r in sql("select distinct indicator from observations where area = :a", a=ARAL)
    }:
        got = get_json(client, f"/observations?indicator={ind}&area={ARAL}&source=all")
        assert obs_rows(got["data"]) == sql(OBS_SQL, indicator=ind, area=ARAL), ind


# --- boundaries ---------------------------------------------------------------------------


def test_boundaries(client, sql):
    if not sql("select 1 from boundaries limit 1"):
        pytest.skip("the test database has no boundaries (../shared/geo/original missing)")
    resp = client.get(f"{API}/boundaries?level=district&parent={KYZYLORDA}")
    assert resp.status_code == 200
    assert resp.headers["Content-Type"] == "application/geo+json"
    assert resp.headers["Access-Control-Allow-Origin"] == "*"
    fc = json.loads(resp.get_data())
    assert fc["type"] == "FeatureCollection"
    expected = sql(
        """select b.area, a.name_kk, a.name_ru, a.name_en, b.geojson from boundaries b
                      join areas a on a.kato = b.area
                      where b.level = 'district' and a.parent = :p and b.vintage =
                        (select max(vintage) from boundaries where level = 'district')
                      order by b.area""",
        p=KYZYLORDA,
    )
    assert [f["id"] for f in fc["features"]] == [r["area"] for r in expected]
    assert ARAL in {f["properties"]["kato"] for f in fc["features"]}
    for feature, row in zip(fc["features"], expected, strict=True):
        props = feature["properties"]
        assert (props["kato"], props["name_kk"], props["name_ru"], props["name_en"]) == (
            row["area"],
            row["name_kk"],
            row["name_ru"],
            row["name_en"],
        )
        assert feature["geometry"] == json.loads(row["geojson"])
    oblasts = get_json(client, "/boundaries?level=oblast")["features"]
    vintages = [
        r["vintage"]
        for r in sql(
            "select distinct vintage from boundaries where level = 'oblast' order by vintage"
        )
    ]
    assert (
        len(oblasts)
        == sql(
            "select count(*) as n from boundaries where level = 'oblast' and vintage = :v",
            v=vintages[-1],
        )[0]["n"]
    )
    old = get_json(client, f"/boundaries?level=oblast&vintage={vintages[0]}")["features"]
    assert {f["properties"]["vintage"] for f in old} == {vintages[0]}
    err = get_json(client, "/boundaries?level=oblast&vintage=1850", 400)
    assert err["parameter"] == "vintage"


@pytest.fixture
def bare_db(dash_app, web_db, databases):
    """The app pointed, for one test, at a small database built without boundaries."""
    url = databases.new("bare")
    code, _, err = run_etl("build", "--db", url, "--no-boundaries", "--data", str(MINI))
    assert code == 0, err
    queries.use(url)
    yield url
    queries.use(web_db)


def test_boundaries_not_installed_is_a_clear_404(client, bare_db):
    err = get_json(client, "/boundaries?level=district", 404)
    assert "not installed" in err["error"] and "etl build" in err["error"]
    assert get_json(client, "/boundaries?level=region", 400)["parameter"] == "level"
    assert get_json(client, "/indicators")["data"]  # the rest works


# --- errors, routes, CORS ---------------------------------------------------------------

OBS = f"/observations?indicator=industrial_output&area={ARAL}"


@pytest.mark.parametrize(
    ("path", "parameter"),
    [
        ("/observations", "indicator"),
        ("/observations?indicator=", "indicator"),
        ("/observations?indicator=no_such_indicator", "indicator"),
        ("/observations?indicator=industrial_output&indicator=fish_catch", "indicator"),
        ("/observations?indicator=industrial%00output", "indicator"),
        ("/observations?indicator=industrial_output&area=999999999", "area"),
        ("/observations?indicator=industrial_output&area=Atlantis", "area"),
        (f"/observations?indicator=industrial_output&area={ARAL},Atlantis", "area"),
        ("/observations?indicator=industrial_output&area=,", "area"),
        (OBS + "&from=abc", "from"),
        (OBS + "&to=20.5", "to"),
        (OBS + "&from=-5", "from"),
        (OBS + "&from=2010&to=2000", "from"),
        (OBS + "&format=pdf", "format"),
        (OBS + "&source=no-such-source", "source"),
        (OBS + "&lang=de", "lang"),
        (OBS + "&colour=red", "colour"),
        ("/areas?level=galaxy", "level"),
        ("/areas?level=", "level"),
        (OBS + "&format=", "format"),
        ("/areas?parent=123", "parent"),
        ("/areas?parent=999999999", "parent"),
        ("/areas?levle=district", "levle"),
        ("/indicators?format=csv", "format"),
        ("/targets?indicator=nope", "indicator"),
        ("/targets?area=nowhere", "area"),
        ("/targets?program=nope", "program"),
        ("/boundaries", "level"),
        ("/boundaries?level=city", "level"),
        ("/boundaries?level=district&vintage=next", "vintage"),
        ("/boundaries?level=district&parent=Atlantis", "parent"),
    ],
)
def test_bad_parameters_are_400_naming_them(client, path, parameter):
    resp = client.get(API + path)
    assert resp.status_code == 400, resp.get_data(as_text=True)
    assert resp.headers["Content-Type"] == "application/json"
    assert resp.headers["Access-Control-Allow-Origin"] == "*"
    body = resp.get_json()
    assert body["parameter"] == parameter and body["error"]


@pytest.mark.parametrize("path", ["/nope", "/indicators/industrial_output/x", "/observations/"])
def test_unknown_routes_are_404_json(client, path):
    err = get_json(client, path, 404)
    assert err["parameter"] is None and "no such endpoint" in err["error"]


def test_other_methods_are_405_json(client):
    resp = client.post(f"{API}/indicators")
    assert resp.status_code == 405 and resp.get_json()["error"]
    assert resp.headers["Allow"] == "GET, HEAD, OPTIONS"
    assert client.delete(f"{API}/nope").status_code == 404


def test_cors_preflight(client):
    resp = client.options(
        f"{API}/observations",
        headers={
            "Origin": "https://example.org",
            "Access-Control-Request-Method": "GET",
            "Access-Control-Request-Headers": "x-requested-with",
        },
    )
    assert resp.status_code == 200
    assert resp.headers["Access-Control-Allow-Origin"] == "*"
    assert "GET" in resp.headers["Access-Control-Allow-Methods"]
    assert resp.headers["Access-Control-Allow-Headers"]


def test_index(client):
    got = get_json(client, "/")
    assert got["docs"] == f"{API}/docs" and got["openapi"] == f"{API}/openapi.json"


# --- OpenAPI and docs ---------------------------------------------------------------------


def test_openapi_document_is_valid_and_complete(client, dash_app):
    doc = get_json(client, "/openapi.json")
    validate(doc)
    rules = {
        r.rule.replace("<", "{").replace(">", "}")
        for r in dash_app.server.url_map.iter_rules()
        if r.endpoint.startswith("api_v1.") and "path:" not in r.rule
    }
    assert set(doc["paths"]) == rules
    params = {
        (path, p["name"]): p["schema"]
        for path, item in doc["paths"].items()
        for p in item["get"]["parameters"]
    }
    assert params[(f"{API}/observations", "format")]["enum"] == [
        "json",
        "csv",
        "xlsx",
        "datapackage",
    ]
    assert params[(f"{API}/boundaries", "level")]["enum"] == ["oblast", "district"]
    assert params[(f"{API}/areas", "level")]["enum"] == ["country", "oblast", "district", "city"]
    source = params[(f"{API}/observations", "source")]["enum"]
    assert source[:2] == ["preferred", "all"] and "seed-aral-akim-2008" in source
    for item in doc["paths"].values():
        responses = item["get"]["responses"]
        assert "200" in responses and "500" in responses
        if item["get"]["parameters"]:
            errors = set(responses) - {"200", "500", "503"}
            assert errors, item["get"]["operationId"]


def test_docs_page_lists_every_endpoint_offline(client):
    doc = get_json(client, "/openapi.json")
    resp = client.get(f"{API}/docs")
    assert resp.status_code == 200 and resp.mimetype == "text/html"
    page = resp.get_data(as_text=True)
    for path, item in doc["paths"].items():
        assert f"<code>{path}</code>" in page
        for p in item["get"]["parameters"]:
            assert f"<code>{p['name']}</code>" in page
    assert (
        "curl -sS 'http://localhost/api/v1/observations?indicator=industrial_output"
        in html.unescape(page)
    )
    assert "<script" not in page and "<link" not in page and "src=" not in page


# --- property-based: no 5xx ------------------------------------------------------------


@pytest.fixture(scope="module")
def api_schema(dash_app):
    """The OpenAPI document as schemathesis loads it from the app (in-process WSGI)."""
    return schemathesis.openapi.from_wsgi(f"{API}/openapi.json", dash_app.server)


# schemathesis' own pytest loader (schemathesis.pytest.from_fixture) fails on pytest 9
# ('Function' object has no attribute '_nodeid'), so its strategies drive plain hypothesis.
@pytest.mark.parametrize(
    ("path", "mode"),
    [
        (API + e.path, mode)
        for e in v1.ENDPOINTS
        for mode in GenerationMode
        if e.params or mode == GenerationMode.POSITIVE
    ],
)  # no invalid request without parameters
def test_schemathesis_finds_no_server_error(api_schema, path, mode):
    """Generated requests, valid and invalid, conform to the document and never give 5xx."""

    @settings(
        max_examples=50, deadline=None, database=None, suppress_health_check=list(HealthCheck)
    )
    @given(case=api_schema[path]["GET"].as_strategy(generation_mode=mode))
    def run(case) -> None:
        # identity: schemathesis' WSGI transport does not decode a compressed body (the
        # compression itself is tested in tests/web/test_compression.py)
        response = case.call(headers={"Accept-Encoding": "identity"})
        assert response.status_code < 500, (case.as_curl_command(), response.text[:500])
        case.validate_response(response, checks=CHECKS)

    run()


@pytest.fixture(scope="module")
def vocab(sql) -> dict[str, list[str]]:
    """The valid values of each parameter, from the database."""
    return {
        "indicator": [r["code"] for r in sql("select code from indicators order by code")],
        "area": [r["kato"] for r in sql("select kato from areas order by kato")]
        + ["Aral", "Аральский район", "Kyzylorda"],
        "source": ["preferred", "all"] + [r["code"] for r in sql("select code from sources")],
        "program": [r["code"] for r in sql("select code from programs")],
    }


junk = st.text(max_size=12)
year = st.one_of(st.integers(-5, 10_000).map(str), junk)


def _param(options: list[str]) -> st.SearchStrategy[str | None]:
    return st.one_of(st.none(), st.sampled_from(options), junk)


@settings(max_examples=80, deadline=None, database=None, suppress_health_check=list(HealthCheck))
@given(data=st.data())
def test_hypothesis_observations_never_5xx(client, vocab, data):
    """Every parameter of /observations, valid or not: never a 5xx; 200 rows obey the query."""
    areas = data.draw(st.lists(_param(vocab["area"]), max_size=3))
    params = {
        "indicator": data.draw(_param(vocab["indicator"])),
        "area": ",".join(a for a in areas if a) or None,
        "from": data.draw(st.one_of(st.none(), year)),
        "to": data.draw(st.one_of(st.none(), year)),
        "series": data.draw(st.one_of(st.none(), st.sampled_from(["", "annual mean"]), junk)),
        "source": data.draw(_param(vocab["source"])),
        "format": data.draw(_param(["json", "csv", "xlsx"])),
        "lang": data.draw(_param(["kk", "ru", "en"])),
    }
    query = {k: v for k, v in params.items() if v is not None}
    resp = client.get(f"{API}/observations", query_string=query)
    assert resp.status_code in (200, 400), (query, resp.get_data(as_text=True)[:500])
    if resp.status_code == 400:
        assert resp.get_json()["parameter"] in {*query, "indicator"}
    elif resp.mimetype == "application/json":
        rows = resp.get_json()["data"]
        lo, hi = query.get("from"), query.get("to")
        assert all(r["indicator"] == query["indicator"] for r in rows)
        assert all(lo is None or r["year"] >= int(lo) for r in rows)
        assert all(hi is None or r["year"] <= int(hi) for r in rows)


@settings(max_examples=80, deadline=None, database=None, suppress_health_check=list(HealthCheck))
@given(data=st.data())
def test_hypothesis_other_endpoints_never_5xx(client, vocab, data):
    """The other endpoints with valid, random and unknown parameters: never a 5xx."""
    path, params = data.draw(
        st.sampled_from(
            [
                (
                    "/areas",
                    {"level": ["country", "oblast", "district", "city"], "parent": vocab["area"]},
                ),
                (
                    "/targets",
                    {
                        "indicator": vocab["indicator"],
                        "area": vocab["area"],
                        "program": vocab["program"],
                    },
                ),
                (
                    "/boundaries",
                    {
                        "level": ["oblast", "district"],
                        "parent": vocab["area"],
                        "vintage": ["2018", "2024"],
                    },
                ),
                (f"/indicators/{data.draw(_param(vocab['indicator']))}", {}),
                ("/indicators", {}),
                ("/programs", {}),
                ("/sources", {}),
                ("/", {}),
            ]
        )
    )
    query = {k: v for k, opts in params.items() if (v := data.draw(_param(opts))) is not None}
    if data.draw(st.booleans()):
        query[data.draw(junk)] = data.draw(junk)
    resp = client.get(API + quote(path), query_string=query)
    assert resp.status_code < 500, (path, query, resp.get_data(as_text=True)[:500])
    assert resp.headers["Access-Control-Allow-Origin"] == "*"
    assert resp.mimetype in ("application/json", "application/geo+json")


def test_docs_path_constant():
    """The footer links here."""
    assert v1.DOCS_PATH == "/api/v1/docs"
