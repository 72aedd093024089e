"""The district profile report: /report and `python -m etl report`, opened with python-docx
and pypdf and checked against the database."""

from __future__ import annotations

import io
import shutil

import pytest

from components.i18n import decimals_of, fmt_number
from store import queries
from tests.conftest import run_etl
from views import report as rep

ARAL = "433200000"


def _latest(code: str, year: int | None = None) -> tuple[int, float]:
    obs = queries.observations(code, ARAL)
    obs = obs[obs["series"] == ""]
    if year is not None:
        obs = obs[obs["year"] <= year]
    last = obs.sort_values("year").iloc[-1]
    return int(last["year"]), float(last["value"])


def test_the_docx_figures_are_the_databases(client):
    docx = pytest.importorskip("docx")
    resp = client.get(f"/report?area={ARAL}&lang=ru&format=docx&year=2020")
    assert resp.status_code == 200, resp.get_data(as_text=True)
    assert resp.headers["Content-Disposition"].endswith('profile-433200000-ru-2020.docx"')
    doc = docx.Document(io.BytesIO(resp.data))
    assert doc.paragraphs[0].text == "Аральский район: профиль территории"
    rows = {r.cells[0].text: [c.text for c in r.cells] for r in doc.tables[0].rows}
    pop = next(v for k, v in rows.items() if k.startswith("Численность населения"))
    year, value = _latest("population", 2020)
    decimals = decimals_of(queries.indicator("population"))
    assert (pop[1], pop[2]) == (str(year), fmt_number(value, "ru", decimals))
    output = next(v for k, v in rows.items() if k.startswith("Объем промышленного"))
    year, value = _latest("industrial_output", 2020)
    decimals = decimals_of(queries.indicator("industrial_output"))
    assert output[1] == str(year) and output[2] == fmt_number(value, "ru", decimals)
    statuses = [r.cells[4].text for r in doc.tables[1].rows[1:]]
    assert statuses and all(s.split(" ", 1)[0] in "✔✘○▲▼?" for s in statuses)
    text = "\n".join(p.text for p in doc.paragraphs)
    assert "Данные по состоянию на" in text and "Источники" in text
    assert len(doc.inline_shapes) >= 1  # the small charts


def test_the_pdf_figures_are_the_databases(client):
    pypdf = pytest.importorskip("pypdf")
    if not shutil.which("chromium"):
        pytest.skip("chromium is not installed")
    resp = client.get(f"/report?area={ARAL}&lang=en&format=pdf")
    assert resp.status_code == 200, resp.get_data(as_text=True)
    text = " ".join(p.extract_text() for p in pypdf.PdfReader(io.BytesIO(resp.data)).pages)
    text = " ".join(text.split())
    assert "Aral district: area profile" in text
    year, value = _latest("population")
    decimals = decimals_of(queries.indicator("population"))
    assert f"{year} {fmt_number(value, 'en', decimals)}" in text
    assert "Data as of" in text and "Program targets" in text


@pytest.mark.parametrize(
    ("query", "parameter"),
    [
        ("", "area"),
        ("area=999999999", "area"),
        (f"area={ARAL}&lang=de", "lang"),
        (f"area={ARAL}&year=twenty", "year"),
        (f"area={ARAL}&format=odt", "format"),
    ],
)
def test_bad_parameters_answer_400(client, query, parameter):
    resp = client.get(f"/report?{query}")
    assert resp.status_code == 400
    assert resp.get_json()["parameter"] == parameter


def test_an_oblast_gives_every_district(client):
    kids = set(rep.areas_for("430000000"))
    assert ARAL in kids and len(kids) == 9
    assert rep.areas_for(ARAL) == [ARAL]


def test_the_cli_writes_one_file_per_area(client, web_db, tmp_path):
    docx = pytest.importorskip("docx")
    code, out, err = run_etl(
        "report", "--db", web_db, "--area", ARAL, "--format", "docx", "--lang", "kk",
        "--out", str(tmp_path),
    )  # fmt: skip
    assert code == 0, err
    path = tmp_path / "profile-433200000-kk.docx"
    assert out.strip() == str(path)
    doc = docx.Document(str(path))
    assert doc.paragraphs[0].text.endswith("аумақ профилі")
    code, _, err = run_etl("report", "--db", web_db, "--area", "nowhere", "--out", str(tmp_path))
    assert code == 2 and "unknown" in err
