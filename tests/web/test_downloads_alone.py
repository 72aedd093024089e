"""A downloaded table can be read alone, as a researcher reads it (issue 22, "Links and
downloads that work"): the CSV comes in a zip with a Frictionless ``datapackage.json``
(title, sources with their official address and the copy read, licences, units, field
types, citation), the Excel file has the same on its metadata sheet, computed values are
rounded, status words are in the reader's language, and a column names each area's oblast,
which tells apart the two «Актогайский район» (Pavlodar and Karaganda).

Expected values come from the curated files under data/ (the Bureau's workbook as read).
"""

from __future__ import annotations

import csv
import gzip
import io
import json
import re
import zipfile

import pytest

from tests.conftest import ROOT

DATA = ROOT / "data"
PAVLODAR_AKTOGAY, KARAGANDA_AKTOGAY = "553200000", "353600000"
PAVLODAR, KARAGANDA = "550000000", "350000000"
PER_PERSON = (
    "/download/map-data.zip?indicator=investment_fixed_capital&level=district"
    f"&parent={PAVLODAR}&year=2024&normalize=per_capita"
)
TWO_AKTOGAYS = (
    f"/download/data.zip?indicator=population&area={PAVLODAR_AKTOGAY}&compare={KARAGANDA_AKTOGAY}"
)
TABLE_TYPES = {"string", "number", "integer", "boolean", "date", "datetime", "year", "any"}
STATUS_WORDS = {"ru": "факт", "kk": "нақты"}  # obs.actual in translations/<lang>


def curated(rel: str) -> list[dict[str, str]]:
    path = DATA / rel
    opener = gzip.open if path.suffix == ".gz" else open
    with opener(path, "rt", encoding="utf-8-sig") as fh:
        return list(csv.DictReader(fh))


def reading(indicator: str, area: str, year: int) -> float:
    rows = curated("curated/bns-regional-workbooks/observations.csv.gz")
    (row,) = [
        r
        for r in rows
        if (r["indicator"], r["area"], r["year"], r["series"]) == (indicator, area, str(year), "")
    ]
    return float(row["value"])


def area_names(lang: str) -> dict[str, str]:
    return {r["kato"]: r[f"name_{lang}"] for r in curated("areas.csv")}


def unzip(client, url: str) -> tuple[dict, list[dict[str, str]], str]:  # noqa: ANN001
    resp = client.get(url)
    assert resp.status_code == 200, resp.get_data(as_text=True)[:500]
    assert resp.mimetype == "application/zip"
    z = zipfile.ZipFile(io.BytesIO(resp.data))
    package = json.loads(z.read("datapackage.json"))
    (name,) = [n for n in z.namelist() if n.endswith(".csv")]
    text = z.read(name).decode("utf-8-sig")
    return package, list(csv.DictReader(io.StringIO(text))), name


def check_package(package: dict, csv_name: str, header: list[str]) -> dict:
    """The Data Package and Table Schema shape (specs.frictionlessdata.io): what a validator
    checks, and that each field's type reads every cell. Returns the resource."""
    assert package["profile"] == "tabular-data-package"
    assert re.fullmatch(r"[a-z0-9._-]+", package["name"])
    assert package["title"] and package["citation"]
    (resource,) = package["resources"]
    assert resource["path"] == csv_name and resource["profile"] == "tabular-data-resource"
    assert re.fullmatch(r"[a-z0-9._-]+", resource["name"])
    fields = resource["schema"]["fields"]
    assert [f["name"] for f in fields] == header
    assert all(f["type"] in TABLE_TYPES and f.get("title") for f in fields)
    for licence in [*package["licenses"], *resource["licenses"]]:
        assert licence.get("name") or licence.get("path")
    for source in package["sources"]:
        assert source["title"]
        assert source.get("path", "https://").startswith("https://")
    return resource


def typed(fields: list[dict], row: dict[str, str]) -> dict:
    """A CSV row read with its declared types (as frictionless-py casts them)."""
    cast = {
        "integer": int,
        "number": float,
        "boolean": lambda v: {"True": True, "False": False}[v],
        "string": str,
    }
    return {f["name"]: cast[f["type"]](row[f["name"]]) if row[f["name"]] else None for f in fields}


@pytest.mark.parametrize("lang", ["kk", "ru"])
def test_the_csv_zip_reads_alone(client, lang):
    package, rows, name = unzip(client, f"{PER_PERSON}&lang={lang}")
    resource = check_package(package, name, list(rows[0]))
    fields = resource["schema"]["fields"]
    (aktogay,) = [typed(fields, r) for r in rows if r["area"] == PAVLODAR_AKTOGAY]
    # the oblast, by code and in the reader's language
    assert aktogay["oblast"] == PAVLODAR
    assert aktogay["oblast_name"] == area_names(lang)[PAVLODAR]
    if lang == "ru":
        assert aktogay["oblast_name"] == "Павлодарская область"
    # per person: the Bureau's 17 657 million tenge over 12.3 thousand people, in tenge per
    # person (the unit's million moved into the figure), whole tenge
    investment = reading("investment_fixed_capital", PAVLODAR_AKTOGAY, 2024)
    people = reading("population", PAVLODAR_AKTOGAY, 2024) * 1000
    assert aktogay["raw_value"] == investment and aktogay["denominator_persons"] == people
    assert aktogay["value"] == round(investment * 1e6 / people) == 1435528
    assert [r["value"] for r in rows if r["area"] == PAVLODAR_AKTOGAY] == ["1435528.0"]
    assert aktogay["status"] == "actual" and aktogay["status_label"] == STATUS_WORDS[lang]
    value = next(f for f in fields if f["name"] == "value")
    assert value["type"] == "number" and value["unit"] and "%" not in value["unit"]
    # the Bureau's source: the official address and the copy read, as curated
    (curated_source,) = [
        s
        for s in curated("curated/bns-regional-workbooks/sources.csv")
        if s["code"] == "bns-regional-workbook-pavlodar"
    ]
    (source,) = [s for s in package["sources"] if s["name"] == "bns-regional-workbook-pavlodar"]
    assert source["path"] == curated_source["address"]
    assert source["path"].startswith("https://stat.gov.kz/")
    assert source["copy_path"] == curated_source["copy_address"]
    assert source["copy_path"].startswith("https://github.com/")
    assert resource["sources"] == package["sources"]
    assert any(lic["title"] == curated_source["license"] for lic in package["licenses"])


@pytest.mark.parametrize("lang", ["kk", "ru"])
def test_two_districts_of_one_name_are_told_apart_by_their_oblast(client, lang):
    package, rows, name = unzip(client, f"{TWO_AKTOGAYS}&lang={lang}")
    check_package(package, name, list(rows[0]))
    names = area_names(lang)
    assert names[PAVLODAR_AKTOGAY] == names[KARAGANDA_AKTOGAY]  # one name, two districts
    seen = {(r["area"], r["area_name"], r["oblast"], r["oblast_name"]) for r in rows}
    # the name carries its oblast too (the one label of namesakes), and the oblast columns
    assert seen == {
        (
            code,
            f"{names[code]} ({names[oblast]})",
            oblast,
            names[oblast],
        )
        for code, oblast in ((PAVLODAR_AKTOGAY, PAVLODAR), (KARAGANDA_AKTOGAY, KARAGANDA))
    }


@pytest.mark.parametrize("lang", ["kk", "ru"])
def test_the_excel_file_reads_alone(client, lang):
    from openpyxl import load_workbook

    url = PER_PERSON.replace("map-data.zip", "map-data.xlsx") + f"&lang={lang}"
    resp = client.get(url)
    assert resp.status_code == 200
    wb = load_workbook(io.BytesIO(resp.data))
    rows = list(wb["data"].iter_rows(values_only=True))
    data = [dict(zip(rows[0], r, strict=True)) for r in rows[1:]]
    (aktogay,) = [r for r in data if r["area"] == PAVLODAR_AKTOGAY]
    assert aktogay["oblast_name"] == area_names(lang)[PAVLODAR]
    assert aktogay["value"] == 1435528 and aktogay["status_label"] == STATUS_WORDS[lang]
    meta = [r for r in wb["metadata"].iter_rows(values_only=True) if r and r[0]]
    by_first = {r[0]: r for r in meta}
    # every data column is described, with its type (the "columns" table)
    types = {r[0]: r[1] for r in meta if len(r) > 1 and r[1] in TABLE_TYPES}
    assert set(rows[0]) <= set(types)
    assert types["value"] == "number" and types["year"] == "integer"
    (source,) = [
        s
        for s in curated("curated/bns-regional-workbooks/sources.csv")
        if s["code"] == "bns-regional-workbook-pavlodar"
    ]
    row = by_first["bns-regional-workbook-pavlodar"]
    assert source["address"] in row and source["copy_address"] in row


@pytest.mark.parametrize("lang", ["kk", "ru"])
def test_target_statuses_in_the_excel_file_are_in_the_readers_language(client, lang):
    from openpyxl import load_workbook

    resp = client.get(f"/download/data.xlsx?indicator=nas_water_volume&area=433200000&lang={lang}")
    assert resp.status_code == 200
    meta = list(load_workbook(io.BytesIO(resp.data))["metadata"].iter_rows(values_only=True))
    targets = [r for r in meta if r and r[0] == "433200000" and r[2] in (2025, 2029, 2030)]
    assert len(targets) == 3  # the three targets of data/curated/programs/targets.csv
    for r in targets:
        status = r[4]
        assert status and re.search(r"[А-Яа-яӘәІіҢңҒғҮүҰұҚқӨөҺһ]", status), r
        assert not re.search(r"[A-Za-z]", status), r


def test_the_apis_csv_stays_plain_and_links_its_data_package(client):
    url = "/api/v1/observations?indicator=population&area=433200000&format=csv&lang=ru"
    resp = client.get(url)
    assert resp.status_code == 200 and resp.mimetype == "text/csv"
    header = resp.get_data(as_text=True).lstrip("\ufeff").splitlines()[0].split(",")
    link = re.fullmatch(
        r'<([^>]+)>; rel="describedby"; type="application/json"', resp.headers["Link"]
    )
    assert link and "format=datapackage" in link[1]
    package = client.get(link[1].replace("http://localhost", "")).get_json()
    (resource,) = package["resources"]
    assert [f["name"] for f in resource["schema"]["fields"]] == header
    assert "format=csv" in resource["path"]
    assert {s["name"] for s in package["sources"]} >= {"bns-kyzylorda-district-workbook"}
