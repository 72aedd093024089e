"""The export formats, file names, citations and image rendering, on inline data."""

from __future__ import annotations

import io
import json
import re
import shutil
import subprocess
import sys
import threading
import xml.etree.ElementTree as ET

import pandas as pd
import plotly.graph_objects as go
import plotly.io as pio
import pytest
from pandas.testing import assert_frame_equal

from api import export_citation, export_csv, export_images, export_json, export_xlsx, exports
from components.figures import time_series
from tests.conftest import ROOT

UNAVAILABLE = export_images.image_export_unavailable()
needs_images = pytest.mark.skipif(
    UNAVAILABLE is not None, reason=f"image export unavailable: {UNAVAILABLE}"
)

DATA = """indicator,area,area_name,oblast,oblast_name,year,series,value,unit,status,status_label,year_approx,source,note
industrial_output,433200000,Аральский район,430000000,Кызылординская область,2007,,1863.0,млн тенге,actual,факт,False,bns,
industrial_output,433200000,Аральский район,430000000,Кызылординская область,2007,,2452.2,млн тенге,derived,расчётное,False,seed,2609.1 / 1.064
industrial_output,433200000,Аральский район,430000000,Кызылординская область,2008,,1946.0,млн тенге,actual,факт,False,bns,
industrial_output,433200000,Аральский район,430000000,Кызылординская область,2008,,2609.1,млн тенге,actual,факт,False,seed,"report, «period»"
industrial_output,433200000,Аральский район,430000000,Кызылординская область,2009,,0.30000000000000004,млн тенге,estimate,оценка,True,bns,
"""

SOURCES = [
    {
        "code": "bns",
        "title": "Основные показатели",
        "publisher": "Бюро национальной статистики (stat.gov.kz)",
        "address": "https://stat.gov.kz/x",
        "license": "official statistics, cite the Bureau",
        "tier": "A",
        "tier_label": "официальная статистика",
        "retrieved": "2024",
    },
    {
        "code": "seed",
        "title": "Thesis",
        "publisher": "The project's seed thesis",
        "address": None,
        "license": None,
        "tier": "S",
        "tier_label": "seed",
        "retrieved": None,
    },
]


def frame() -> pd.DataFrame:
    df = pd.read_csv(
        io.StringIO(DATA),
        dtype={"area": str, "series": str, "note": str},
        keep_default_na=False,
        na_values={"value": [""]},
    )
    df["year"] = df["year"].astype("Int64")
    df["note"] = df["note"].replace("", None)
    return df


def meta(**change: object) -> dict:
    m = {
        "view": "explore",
        "title": "Объем промышленного производства: Аральский район, 2007–2009",
        "lang": "ru",
        "indicator": {
            "code": "industrial_output",
            "name": "Объем промышленного производства",
            "description": "Volume of industrial production",
        },
        "unit": "млн тенге",
        "areas": [
            {
                "kato": "433200000",
                "name": "Аральский район",
                "name_en": "Aral district",
                "level": "district",
            }
        ],
        "years": {"first": 2007, "last": 2009},
        "mode": "absolute",
        "mode_label": "Абсолютные",
        "source_mode": "all",
        "sources": SOURCES,
        "notes": [],
        "targets": [],
        "exported": "2025-11-26T10:00:00+00:00",
        "data_version": "7",
        "url": "http://example.org/explore?indicator=industrial_output&area=433200000",
    }
    m.update(change)
    m["citation"] = export_citation.citation(m, m["lang"], m["url"], m["exported"])
    m["bibtex"] = export_citation.bibtex(m, m["lang"], m["url"], m["exported"])
    return m


# --- names --------------------------------------------------------------------------------


def test_slug_is_ascii():
    assert exports.slug("Aral district") == "aral-district"
    assert exports.slug("Kyzylorda (city)") == "kyzylorda-city"
    assert exports.slug("Shieli  district — ’s") == "shieli-district-s"
    assert exports.slug("Аральский") == ""


def test_filename_says_what_it_is():
    assert (
        exports.filename(meta(source_mode="preferred"), "csv")
        == "industrial_output_aral-district_2007-2009_ru.csv"
    )
    assert (
        exports.filename(meta(), "xlsx")
        == "industrial_output_aral-district_2007-2009_all-sources_ru.xlsx"
    )
    many = [{"kato": str(i), "name_en": f"Area {i}"} for i in range(5)]
    assert (
        exports.filename(meta(areas=many, mode="index", lang="en", source_mode="preferred"), "png")
        == "industrial_output_area-0_area-1_area-2_and-2-more_2007-2009_index_en.png"
    )
    one_year = meta(years={"first": 2008, "last": 2008}, source_mode="preferred", lang="kk")
    assert exports.filename(one_year, "json") == "industrial_output_aral-district_2008_kk.json"


def test_filename_of_a_map():
    m = meta(
        view="map",
        level="district",
        lang="en",
        years={"first": 2023, "last": 2023},
        scope={"kato": "430000000", "name_en": "Kyzylorda oblast"},
    )
    m["indicator"] = {"code": "population"}
    assert exports.filename(m, "csv") == "population_kyzylorda-oblast-districts_2023_en.csv"
    m["level"] = "oblast"
    assert exports.filename(m, "pdf") == "population_kazakhstan-oblasts_2023_en.pdf"


# --- citations ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "lang, date", [("en", "2025-11-26"), ("ru", "26.11.2025"), ("kk", "26.11.2025")]
)
def test_citation_has_title_publisher_year_url_and_access_date(lang, date):
    m = meta(lang=lang)
    text = export_citation.citation(m, lang, m["url"], "2025-11-26T10:00:00+00:00")
    assert m["title"] in text
    assert "2025" in text and date in text
    assert m["url"] in text
    assert "Бюро национальной статистики" in text  # the sources' publishers
    assert "(stat.gov.kz)" not in text  # up to the first parenthesis
    assert ".." not in text


def test_citation_in_russian_follows_gost():
    text = meta()["citation"]
    assert "[Электронный ресурс]" in text
    assert f"URL: {meta()['url']} (дата обращения: 26.11.2025)" in text


def test_bibtex_is_a_misc_entry_with_url_and_urldate():
    m = meta(title="Output_1 & 50% of {x}: 2007–2009", lang="en")
    entry = export_citation.bibtex(m, "en", m["url"], "2025-11-26")
    assert entry.startswith("@misc{aral_indicators_industrial_output_2025,\n")
    assert r"title = {{Output\_1 \& 50\% of \{x\}: 2007--2009}}" in entry
    assert "year = {2025}" in entry
    assert f"url = {{{m['url']}}}" in entry
    assert "urldate = {2025-11-26}" in entry
    assert "author = {{Aral region sustainability indicators}}" in entry
    note = re.search(r"note = \{(.*)\},", entry).group(1)
    assert "Бюро национальной статистики" in note and "The project's seed thesis" in note
    assert "Data version 7" in note
    assert entry.count("{") - entry.count(r"\{") == entry.count("}") - entry.count(r"\}")


# --- data formats -------------------------------------------------------------------------


def test_csv_has_a_bom_and_exact_numbers():
    body = export_csv.to_csv(frame(), meta())
    assert body.startswith(b"\xef\xbb\xbf")
    text = body.decode("utf-8-sig")
    assert ",2609.1," in text and ",0.30000000000000004," in text
    assert "Аральский район" in text
    back = pd.read_csv(
        io.BytesIO(body),
        encoding="utf-8-sig",
        dtype={"area": str},
        keep_default_na=False,
        na_values={"value": [""]},
    )
    assert list(back.columns) == exports.COLUMNS
    assert back["value"].tolist() == frame()["value"].tolist()  # exact, not approximate
    assert back["note"].tolist()[3] == "report, «period»"


def test_json_round_trip():
    df, m = frame(), meta()
    doc = json.loads(export_json.to_json(df, m))
    assert set(doc) == {"data", "meta"}
    assert [r["value"] for r in doc["data"]] == df["value"].tolist()
    assert doc["data"][0]["note"] is None and doc["data"][0]["year_approx"] is False
    assert doc["data"][4]["year_approx"] is True and doc["data"][0]["year"] == 2007
    assert doc["meta"]["sources"][0]["address"] == "https://stat.gov.kz/x"
    back = pd.DataFrame(doc["data"]).astype({"year": "Int64"})
    assert_frame_equal(back, df, check_dtype=False)


def test_xlsx_has_data_and_metadata_sheets():
    from openpyxl import load_workbook

    df, m = frame(), meta()
    wb = load_workbook(io.BytesIO(export_xlsx.to_xlsx(df, m)))
    assert wb.sheetnames == ["data", "metadata"]
    rows = list(wb["data"].iter_rows(values_only=True))
    assert list(rows[0]) == exports.COLUMNS
    # Excel cells hold 16 significant digits (openpyxl): every value of the database
    # round-trips (tests/web), a float needing 17 digits comes back to within one ulp.
    assert [r[7] for r in rows[1:5]] == df["value"].tolist()[:4]
    assert rows[5][7] == pytest.approx(df["value"].iloc[4], rel=1e-15)
    assert rows[4][5] == 2008 and rows[4][12] == "seed"
    cells = {r[0]: r for r in wb["metadata"].iter_rows(values_only=True) if r and r[0]}
    assert cells["Показатель"][1] == "Объем промышленного производства"
    assert cells["Единица"][1] == "млн тенге"
    assert cells["433200000"][1] == "Аральский район"
    assert cells["bns"][3] == "https://stat.gov.kz/x"
    assert cells["bns"][4] is None  # no copy read apart from the official address
    assert cells["bns"][5] == "official statistics, cite the Bureau"
    assert cells["seed"][5] == "не указана"
    assert cells["Дата выгрузки"][1] == m["exported"]
    assert cells["Как цитировать"][1] == m["citation"]


# --- images -------------------------------------------------------------------------------


def chart(lang: str = "kk") -> go.Figure:
    df = frame().assign(status="actual", year_approx=False)
    info = {"code": "industrial_output", f"unit_{lang}": "млн теңге", "decimals": 1}
    return time_series(
        df.drop_duplicates(["year"]), info, lang, area_names={"433200000": "Арал ауданы"}
    )


def assert_png(body: bytes) -> None:
    assert body.startswith(b"\x89PNG\r\n\x1a\n")


def assert_svg(body: bytes) -> ET.Element:
    root = ET.fromstring(body)
    assert root.tag.endswith("svg")
    return root


def assert_pdf(body: bytes) -> None:
    assert body.startswith(b"%PDF-")
    assert re.search(rb"/Type\s*/Page\b", body)


def test_plotly_uses_the_local_topojson():
    assert pio.defaults.topojson == exports.TOPOJSON_URL
    assert exports.TOPOJSON_URL.startswith("file://")
    assert (exports.TOPOJSON_DIR / "world_110m.json").is_file()


def test_unknown_image_format():
    with pytest.raises(ValueError, match="eps"):
        export_images.figure_image(go.Figure(), "eps")


@needs_images
def test_chart_images_are_valid():
    fig = chart("kk")
    assert_png(export_images.figure_image(fig, "png"))
    root = assert_svg(export_images.figure_image(fig, "svg", scale=1))
    assert (root.get("width"), root.get("height")) == (
        str(export_images.IMAGE_WIDTH),
        str(export_images.IMAGE_HEIGHT),
    )
    texts = " ".join(el.text or "" for el in root.iter() if el.tag.endswith("text"))
    assert "Жыл" in texts and "млн теңге" in texts  # the figure's language
    assert "2\u00a0000" in texts or "2 000" in texts  # kk thousands separator
    assert_pdf(export_images.figure_image(fig, "pdf"))


@needs_images
def test_png_scale_and_size():
    import struct

    body = export_images.figure_image(chart(), "png", scale=1, width=640, height=360)
    width, height = struct.unpack(">II", body[16:24])
    assert (width, height) == (640, 360)


GEO = go.Figure(go.Scattergeo(lon=[61.7], lat=[46.8], mode="markers"))
GEO.update_layout(geo={"visible": True, "showcountries": True, "fitbounds": "locations"})


@needs_images
def test_a_map_that_needs_the_world_topojson_renders_offline():
    """The renderer's network is sealed, so this works only with the local topojson."""
    assert_png(export_images.figure_image(GEO, "png"))
    assert_pdf(export_images.figure_image(GEO, "pdf"))


@needs_images
def test_renders_from_many_threads():
    starts = export_images.renderer.starts
    results: list[bytes] = []
    errors: list[BaseException] = []

    def work(fmt: str) -> None:
        try:
            results.append(export_images.figure_image(chart(), fmt))
        except BaseException as exc:  # noqa: BLE001
            errors.append(exc)

    threads = [threading.Thread(target=work, args=(f,)) for f in ("png", "svg", "png", "pdf")]
    for th in threads:
        th.start()
    for th in threads:
        th.join(120)
    assert not errors
    assert sorted(r[:4] for r in results) == sorted([b"\x89PNG", b"\x89PNG", b"%PDF", b"<svg"])
    assert export_images.renderer.starts - starts <= 1  # one browser, however many callers


OFFLINE_SCRIPT = """
import json, sys
import plotly.graph_objects as go
from api.export_images import figure_image
square = {"type": "Polygon", "coordinates": [[[60, 45], [60, 47], [62, 47], [62, 45], [60, 45]]]}
fc = {"type": "FeatureCollection", "features": [{"type": "Feature", "id": "a", "geometry": square}]}
choropleth = go.Figure(go.Choropleth(geojson=fc, locations=["a"], z=[1], featureidkey="id"))
choropleth.update_layout(geo={"visible": False, "fitbounds": "locations"})
world = go.Figure(go.Scattergeo(lon=[61.7], lat=[46.8]))
world.update_layout(geo={"visible": True, "showcountries": True})
out = {}
for name, fig in (("choropleth", choropleth), ("world", world)):
    for fmt in ("png", "svg", "pdf"):
        out[f"{name}.{fmt}"] = figure_image(fig, fmt)[:5].decode("latin-1")
print(json.dumps(out))
"""


@needs_images
def test_maps_render_with_no_network_at_all():
    """In a network namespace of its own (no interface but a down loopback)."""
    unshare = shutil.which("unshare")
    if (
        unshare is None
        or subprocess.run([unshare, "-rn", "true"], capture_output=True).returncode != 0
    ):
        pytest.skip("cannot make a network namespace here (unshare -rn)")
    done = subprocess.run(
        [unshare, "-rn", sys.executable, "-c", OFFLINE_SCRIPT],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    out = json.loads(done.stdout.strip().splitlines()[-1])
    for name in ("choropleth", "world"):
        assert out[f"{name}.png"].startswith("\x89PNG")
        assert out[f"{name}.svg"].startswith("<svg")
        assert out[f"{name}.pdf"] == "%PDF-"
