"""/download/...: every format parsed back equals the database; names, errors, images, zip."""

from __future__ import annotations

import io
import json
import re
import sqlite3
import sys
import xml.etree.ElementTree as ET
import zipfile
from pathlib import Path

import pandas as pd
import plotly.graph_objects as go
import pytest
from plotly.io.json import to_json_plotly
from sqlalchemy import func, select

from api import export_images, exports
from store import queries, schema
from tests.conftest import ROOT
from tests.web.conftest import render, texts
from views import charts as views

ARAL, KYZYLORDA, KAZALY = "433200000", "430000000", "434400000"
EXPLORE = f"indicator=industrial_output&area={ARAL}&source=all&lang=ru"
MAP = f"indicator=population&parent={KYZYLORDA}&year=2023&lang=en"

UNAVAILABLE = export_images.image_export_unavailable()
needs_images = pytest.mark.skipif(
    UNAVAILABLE is not None, reason=f"image export unavailable: {UNAVAILABLE}"
)


def get(client, url: str, status: int = 200):  # noqa: ANN001, ANN201
    resp = client.get(url)
    assert resp.status_code == status, resp.get_data(as_text=True)[:2000]
    return resp


def attachment(resp) -> str:  # noqa: ANN001
    match = re.fullmatch(
        r'attachment; filename="([A-Za-z0-9_.-]+)"', resp.headers["Content-Disposition"]
    )
    assert match, resp.headers["Content-Disposition"]
    return match.group(1)


def stored(indicator: str, area: str) -> pd.DataFrame:
    """Every source's readings as the database holds them."""
    o = schema.observations
    stmt = select(o.c.year, o.c.source, o.c.value, o.c.series, o.c.status).where(
        o.c.indicator == indicator, o.c.area == area
    )
    with queries.engine().connect() as conn:
        df = pd.read_sql(stmt, conn)
    return df.sort_values(["year", "source"]).reset_index(drop=True)


def readings(df: pd.DataFrame) -> list[tuple[int, str, float]]:
    return sorted(
        (int(y), s, v) for y, s, v in zip(df["year"], df["source"], df["value"], strict=True)
    )


# --- data ---------------------------------------------------------------------------------


def test_csv_equals_the_database(client):
    resp = get(client, f"/download/data.csv?{EXPLORE}")
    assert resp.mimetype == "text/csv"
    body = resp.data
    assert body.startswith(b"\xef\xbb\xbf")
    text = body.decode("utf-8-sig")
    assert "2609.1," in text and "2609.09" not in text
    df = pd.read_csv(io.BytesIO(body), encoding="utf-8-sig", dtype={"area": str})
    assert list(df.columns) == exports.COLUMNS
    assert readings(df) == readings(stored("industrial_output", ARAL))
    by = {(int(r.year), r.source): r.value for r in df.itertuples()}
    assert by[(2008, "seed-aral-akim-2008")] == 2609.1
    assert by[(2008, "bns-kyzylorda-district-workbook")] == 1946.0
    assert set(df["area_name"]) == {"Аральский район"}
    assert set(df["unit"]) == {queries.indicator("industrial_output")["unit_ru"]}


def test_json_equals_the_database_with_its_metadata(client):
    doc = get(client, f"/download/data.json?{EXPLORE}").get_json()
    df = pd.DataFrame(doc["data"])
    assert readings(df) == readings(stored("industrial_output", ARAL))
    meta = doc["meta"]
    assert meta["indicator"]["code"] == "industrial_output"
    assert meta["areas"] == [
        {"kato": ARAL, "name": "Аральский район", "name_en": "Aral district", "level": "district"}
    ]
    sources = {s["code"]: s for s in meta["sources"]}
    assert set(sources) == {"bns-kyzylorda-district-workbook", "seed-aral-akim-2008"}
    bns = queries.source("bns-kyzylorda-district-workbook")
    assert sources["bns-kyzylorda-district-workbook"]["address"] == bns["address"]
    assert sources["bns-kyzylorda-district-workbook"]["license"] == bns["license_ru"]
    assert (
        meta["url"] == f"http://localhost/explore?indicator=industrial_output&area={ARAL}"
        "&lang=ru&source=all"
    )
    assert meta["data_version"] == queries.data_version()
    assert any("2609.1" in (n["note"] or "") for n in meta["notes"])
    assert meta["exported"][:4] in meta["citation"] and meta["url"] in meta["citation"]


def test_xlsx_equals_the_database_and_lists_the_sources(client):
    from openpyxl import load_workbook

    resp = get(client, f"/download/data.xlsx?{EXPLORE}")
    assert resp.mimetype == exports.MEDIA_TYPES["xlsx"]
    wb = load_workbook(io.BytesIO(resp.data))
    rows = list(wb["data"].iter_rows(values_only=True))
    df = pd.DataFrame(rows[1:], columns=rows[0])
    assert readings(df) == readings(stored("industrial_output", ARAL))
    meta = {r[0]: r for r in wb["metadata"].iter_rows(values_only=True) if r and r[0]}
    for code in ("bns-kyzylorda-district-workbook", "seed-aral-akim-2008"):
        info = queries.source(code)
        row = meta[code]
        assert row[1] == info["title"]
        assert row[3] == info["address"]
        assert row[4] == info["copy_address"]
        assert row[5] == (info["license_ru"] or info["license"] or "не указана")
    assert meta[ARAL][1] == "Аральский район"
    assert meta["Показатель"][1] == queries.indicator("industrial_output")["name_ru"]


def test_preferred_gives_one_reading_a_year(client):
    df = pd.read_csv(
        io.BytesIO(
            get(client, f"/download/data.csv?indicator=industrial_output&area={ARAL}&lang=en").data
        ),
        encoding="utf-8-sig",
    )
    assert not df.duplicated(["year", "series"]).any()
    assert df.loc[df["year"] == 2008, "value"].tolist() == [1946.0]


def test_compare_and_mode(client):
    doc = get(
        client,
        f"/download/data.json?indicator=industrial_output&area={ARAL}"
        f"&compare={KAZALY}&mode=index&lang=kk",
    ).get_json()
    df = pd.DataFrame(doc["data"])
    assert list(dict.fromkeys(df["area"])) == [ARAL, KAZALY]
    first = df[df["area"] == ARAL].sort_values("year").iloc[0]
    assert first["value_index"] == 100.0
    assert doc["meta"]["mode"] == "index"


def test_file_names(client):
    years = stored("industrial_output", ARAL)["year"]
    span = f"{years.min()}-{years.max()}"
    resp = get(client, f"/download/data.csv?{EXPLORE}")
    assert attachment(resp) == f"industrial_output_aral-district_{span}_all-sources_ru.csv"
    resp = get(client, f"/download/data.xlsx?indicator=industrial_output&area={ARAL}&lang=en")
    assert attachment(resp) == f"industrial_output_aral-district_{span}_en.xlsx"
    resp = get(client, f"/download/map-data.json?{MAP}")
    assert attachment(resp) == "population_kyzylorda-oblast-districts_2023_en.json"


def test_language_from_accept_language(client):
    resp = client.get(
        f"/download/data.csv?indicator=industrial_output&area={ARAL}",
        headers={"Accept-Language": "ru-RU,ru;q=0.9"},
    )
    assert attachment(resp).endswith("_ru.csv")
    assert "Аральский район" in resp.data.decode("utf-8-sig")


def test_map_data_equals_the_database(client):
    resp = get(client, f"/download/map-data.csv?{MAP}")
    df = pd.read_csv(io.BytesIO(resp.data), encoding="utf-8-sig", dtype={"area": str})
    o, a = schema.observations, schema.areas
    stmt = (
        select(o.c.area, o.c.value)
        .join(a, a.c.kato == o.c.area)
        .where(
            o.c.indicator == "population",
            o.c.year == 2023,
            o.c.series == "",
            a.c.parent == KYZYLORDA,
        )
    )
    with queries.engine().connect() as conn:
        expected = dict(conn.execute(stmt).all())
    assert dict(zip(df["area"], df["value"], strict=True)) == expected
    assert df["rank"].tolist() == sorted(df["rank"].tolist())
    assert df["rank"].iloc[0] == 1 and df["value"].iloc[0] == max(expected.values())
    assert set(df["year"]) == {2023}


def test_map_data_defaults_to_the_latest_year(client):
    doc = get(client, "/download/map-data.json?indicator=population&lang=en").get_json()
    assert doc["meta"]["years"]["first"] == max(doc["meta"]["years_available"])
    assert doc["meta"]["scope"]["kato"] == KYZYLORDA


@pytest.mark.parametrize(
    "url, parameter",
    [
        ("/download/data.csv?indicator=no_such_indicator", "indicator"),
        ("/download/data.csv?area=999999999", "area"),
        ("/download/data.csv?area=Atlantis", "area"),
        ("/download/data.csv?compare=433200000,nowhere", "compare"),
        ("/download/data.csv?mode=log", "mode"),
        ("/download/data.csv?source=the-internet", "source"),
        ("/download/data.csv?lang=de", "lang"),
        ("/download/data.txt", "format"),
        ("/download/chart.gif", "format"),
        ("/download/chart.png?width=wide", "width"),
        ("/download/chart.png?scale=100", "scale"),
        ("/download/map-data.csv?level=village", "level"),
        ("/download/map-data.csv?parent=433200000", "parent"),
        ("/download/map-data.csv?parent=nowhere", "parent"),
        ("/download/map-data.csv?year=last", "year"),
        ("/download/map-data.csv?year=1066", "year"),
        ("/download/map-data.csv?indicator=no_such_indicator", "indicator"),
        ("/download/map.svg?area=0", "area"),
    ],
)
def test_bad_parameters_answer_400_naming_them(client, url, parameter):
    resp = client.get(url)
    assert resp.status_code == 400, resp.get_data(as_text=True)
    body = resp.get_json()
    assert body["parameter"] == parameter
    assert parameter in body["error"]


def test_a_parameter_given_twice_takes_the_last(client):
    doc = get(
        client, f"/download/data.json?indicator=nope&indicator=industrial_output&area={ARAL}"
    ).get_json()
    assert doc["meta"]["indicator"]["code"] == "industrial_output"


# --- the views are the pages' figures -----------------------------------------------------


def test_explore_figure_is_the_pages(dash_app):
    explore = sys.modules["pages.explore"]
    for params in (
        {"indicator": "industrial_output", "area": ARAL, "source": "all", "lang": "ru"},
        {
            "indicator": "industrial_output",
            "area": ARAL,
            "compare": KAZALY,
            "mode": "change",
            "lang": "en",
        },
    ):
        q = views.explore_query(params)
        state = explore.State(q.indicator, q.area, q.compare, q.mode, q.source, q.lang)
        # the page sends the figure as plain dicts; validated, they are the download's
        page = go.Figure(explore.view(state).figure).to_plotly_json()
        assert views.explore_figure(q).to_plotly_json() == page
        assert q.query_string() == state.query()


def test_map_figure_is_the_pages(dash_app):
    page = sys.modules["pages.map"]
    q = views.map_query({"indicator": "population", "year": "2023", "lang": "kk", "area": ARAL})
    view = page.resolve("population", None, None, "2023", ARAL, "kk")
    drawn = json.loads(to_json_plotly(page.figure(view, "kk", ARAL)))  # as the page sends it
    assert json.loads(to_json_plotly(views.map_figure(q))) == drawn


def test_lenient_falls_back_where_strict_refuses(dash_app):
    params = {
        "indicator": "no_such",
        "area": ARAL,
        "compare": f"999999999,{KYZYLORDA}",
        "mode": "x",
        "source": "x",
        "lang": "en",
    }
    with pytest.raises(views.BadParameter) as exc:
        views.explore_query(params)
    assert exc.value.name == "indicator"
    q, notices = views.lenient_explore_query(params)
    assert q == views.explore_query({"area": ARAL, "compare": KYZYLORDA, "lang": "en"})
    assert len(notices) == 2
    assert "“no_such” was not found" in notices[0] and "“999999999” was not found" in notices[1]
    for params, name in (
        ({"year": "1900"}, "year"),
        ({"year": "x"}, "year"),
        ({"level": "x"}, "level"),
        ({"area": "999999999"}, "area"),
    ):
        with pytest.raises(views.BadParameter) as exc:
            views.map_query({**params, "lang": "en"})
        assert exc.value.name == name
        assert views.lenient_map_query({**params, "lang": "en"}) == (
            views.map_query({"lang": "en"}),
            [],
        )


def test_lenient_says_why_when_nothing_can_stand_in(dash_app):
    for resolve in (views.explore_query, views.lenient_explore_query):
        with pytest.raises(views.BadParameter) as exc:
            resolve({"area": "999999999", "lang": "ru"})
        assert exc.value.name == "area"
        assert "Территория «999999999» не найдена" in exc.value.notice
    with pytest.raises(views.BadParameter) as exc:
        views.lenient_map_query({"parent": ARAL, "lang": "en"})
    assert exc.value.name == "parent" and "is not an oblast" in exc.value.notice


# --- images -------------------------------------------------------------------------------


@needs_images
@pytest.mark.parametrize("fmt", ["png", "svg", "pdf"])
def test_chart_images(client, fmt):
    resp = get(client, f"/download/chart.{fmt}?{EXPLORE}")
    assert resp.mimetype == exports.MEDIA_TYPES[fmt]
    assert attachment(resp).startswith("industrial_output_aral-district_")
    assert attachment(resp).endswith(f"_all-sources_ru.{fmt}")
    check_image(resp.data, fmt, language_word="Год")


@needs_images
@pytest.mark.parametrize("fmt", ["png", "svg", "pdf"])
def test_map_images_offline(client, fmt):
    if not queries.has_boundaries():
        assert client.get(f"/download/map.{fmt}?{MAP}").status_code == 404
        pytest.skip("no boundaries in the test database (../shared/geo/original absent)")
    resp = get(client, f"/download/map.{fmt}?{MAP}")
    assert attachment(resp) == f"population_kyzylorda-oblast-districts_2023_en.{fmt}"
    check_image(resp.data, fmt, language_word="thousand persons")
    # rendered with the local topojson and a sealed network: nothing came from a CDN
    import plotly.io as pio

    assert pio.defaults.topojson == exports.TOPOJSON_URL
    assert export_images.renderer.SEALED_PROXY.startswith("127.0.0.1:")


@needs_images
def test_images_are_cached(client):
    first = get(client, f"/download/chart.svg?{EXPLORE}&width=800&height=450").data
    again = get(client, f"/download/chart.svg?{EXPLORE}&width=800&height=450").data
    assert first == again
    assert ET.fromstring(first).get("width") == "800"


def test_images_past_the_render_limit_answer_503_with_retry_after(client, monkeypatch):
    made = get(client, f"/download/chart.svg?{EXPLORE}&width=640&height=360").data
    monkeypatch.setenv("IMAGE_RENDERS", "0")  # no room for a new render
    resp = client.get(f"/download/chart.svg?{EXPLORE}&width=641&height=360")
    assert resp.status_code == 503 and int(resp.headers["Retry-After"]) > 0
    assert "busy" in resp.get_json()["error"]
    cached = get(client, f"/download/chart.svg?{EXPLORE}&width=640&height=360")
    assert cached.data == made  # made before: served from the cache


def check_image(body: bytes, fmt: str, language_word: str) -> None:
    if fmt == "png":
        assert body.startswith(b"\x89PNG\r\n\x1a\n")
    elif fmt == "svg":
        root = ET.fromstring(body)
        assert root.tag.endswith("svg")
        texts = " ".join(el.text or "" for el in root.iter() if el.tag.endswith("text"))
        assert language_word in texts
    else:
        assert body.startswith(b"%PDF-")
        assert re.search(rb"/Type\s*/Page\b", body)


# --- everything ---------------------------------------------------------------------------


def test_all_zip(client, tmp_path):
    resp = get(client, "/download/all.zip")
    assert resp.mimetype == "application/zip"
    assert re.fullmatch(r"aral-indicators_v[0-9a-z-]+_\d{4}-\d{2}-\d{2}\.zip", attachment(resp))
    zf = zipfile.ZipFile(io.BytesIO(resp.data))
    names = set(zf.namelist())
    tables = [t.name for t in schema.public_tables() if t.name != "boundaries"]
    for name in tables:
        assert f"tables/{name}.csv" in names
    assert {"metadata.json", "README.txt", "indicators.db"} <= names

    meta = json.loads(zf.read("metadata.json"))
    with queries.engine().connect() as conn:
        n_obs = conn.execute(select(func.count()).select_from(schema.observations)).scalar()
    counts = {t["name"]: t["rows"] for t in meta["tables"]}
    assert counts["observations"] == n_obs
    assert meta["data_version"] == queries.data_version()
    assert meta["exported"]
    obs_table = next(t for t in meta["tables"] if t["name"] == "observations")
    assert {"indicator", "area", "year", "value", "source"} <= {
        c["name"] for c in obs_table["columns"]
    }

    obs = pd.read_csv(
        io.BytesIO(zf.read("tables/observations.csv")),
        encoding="utf-8-sig",
        dtype={"area": str},
        keep_default_na=False,
        na_values={"value": [""]},
    )
    assert zf.read("tables/observations.csv").startswith(b"\xef\xbb\xbf")
    assert len(obs) == n_obs
    hit = obs[
        (obs["indicator"] == "industrial_output") & (obs["area"] == ARAL) & (obs["year"] == 2008)
    ]
    assert sorted(hit["value"]) == [1946.0, 2609.1]

    readme = zf.read("README.txt").decode("utf-8")
    assert "How to cite" in readme and "CC BY 4.0" in readme and "geokz" in readme
    for code in ("bns-kyzylorda-district-workbook", "seed-aral-akim-2008"):
        assert f"* {code}:" in readme
    assert queries.source("bns-kyzylorda-district-workbook")["address"] in readme

    db = tmp_path / "indicators.db"
    db.write_bytes(zf.read("indicators.db"))
    with sqlite3.connect(db) as conn:
        assert conn.execute("select count(*) from observations").fetchone()[0] == n_obs
        assert (
            conn.execute("select value from meta where key = 'data_version'").fetchone()[0]
            == queries.data_version()
        )

    if queries.has_boundaries():
        geo = [n for n in names if n.startswith("boundaries/")]
        assert geo
        fc = json.loads(zf.read(geo[0]))
        assert fc["type"] == "FeatureCollection" and fc["features"][0]["properties"]["name_en"]


def test_csv_names_its_charset_once(client):
    resp = get(client, f"/download/data.csv?{EXPLORE}")
    assert resp.headers["Content-Type"] == "text/csv; charset=utf-8"


def test_all_zip_names_files_but_no_server_paths(client, tmp_path):
    """Load runs list file names and checksums: no folder of the server appears anywhere."""
    with queries.engine().connect() as conn:
        stored_files = [r[0] for r in conn.execute(select(schema.load_runs.c.file))]
    folders = {str(Path(f).resolve().parent) for f in stored_files} | {str(ROOT)}
    assert any("/" in f for f in stored_files)  # the database itself keeps the paths
    zf = zipfile.ZipFile(io.BytesIO(get(client, "/download/all.zip").data))
    for name in zf.namelist():
        body = zf.read(name)
        for folder in folders:
            assert folder.encode() not in body, (name, folder)
    runs = pd.read_csv(io.BytesIO(zf.read("tables/load_runs.csv")), encoding="utf-8-sig")
    assert not runs["file"].str.contains("/").any()
    assert set(runs["file"]) == {Path(f).name for f in stored_files}
    assert runs["checksum"].str.fullmatch(r"[0-9a-f]{64}").all()
    db = tmp_path / "indicators.db"
    db.write_bytes(zf.read("indicators.db"))
    with sqlite3.connect(db) as conn:
        files = [r[0] for r in conn.execute("select file from load_runs")]
        messages = [r[0] or "" for r in conn.execute("select message from load_runs")]
    assert files == [Path(f).name for f in stored_files]
    assert not any("../" in m or str(ROOT) in m for m in messages)


def test_about_page_lists_load_files_without_paths(client):
    text = texts(render(client, "/about", "?lang=en"))
    assert str(ROOT) not in text and "../shared" not in text


def test_the_projection_is_drawn_but_never_exported_as_data(client):
    query = "indicator=nas_water_volume&area=433200000&lang=en"
    rows = client.get(f"/download/data.json?{query}").get_json()["data"]
    assert rows and max(r["year"] for r in rows) <= 2025  # the observations only
    from tests.web.conftest import render

    page = json.loads(render(client, "/explore", f"?{query}"))
    # the legend entry is on lines of its own (<br>), as a phone shows it whole
    drawn = json.dumps(page, ensure_ascii=False).replace("<br>", " ")
    assert "Projection from the 2022–2025 trend (not data)" in drawn
