"""The district report's comparison columns and its document (issue 22, "Comparisons that are
filled"): Aral district's report in kk and ru, opened as a user opens the downloaded file.

Expected figures were written by hand from the curated CSVs (and the source files they cite):
Kyzylorda oblast's population at the end of 2023 is the sum of its nine units' sheets in
Kyzylorda_All.xls (356.4 + 33.8 + 79.1 + 36.0 + 81.3 + 79.1 + 52.2 + 38.0 + 85.9 = 841.8),
its industrial output 2023 the sum of the same sheets' rows (1 036 987.0 million tenge); the
unemployment rates 2023 are the national SDG platform's rows «2023,PT,KZKZY,,,,4.9» and
«2023,PT,,,,,4.7» of data/indicator_8-5-2.csv. No table the dashboard reads gives an oblast or
national average wage or the country's population: those cells say «–».
"""

from __future__ import annotations

import datetime as dt
import io
import shutil

import pytest

ARAL = "433200000"
APP = {
    "kk": "Арал өңірінің тұрақты даму көрсеткіштері",
    "ru": "Показатели устойчивого развития Приаралья",
}
SUM = {"kk": "аудандар қосындысы", "ru": "сумма районов"}
# Row label starts, oblast and Kazakhstan columns (2023 figures).
EXPECTED = {
    "kk": {
        "Халық саны (жыл соңында), мың адам": ("841,8 (аудандар қосындысы)", "–"),
        "Өнеркәсіп өнімінің көлемі": ("1 036 987,0 (аудандар қосындысы)", "–"),
        "Жұмыссыздық деңгейі, %": ("4,9", "4,7"),
        "Бір қызметкердің орташа айлық номиналды жалақысы": ("–", "–"),
    },
    "ru": {
        "Численность населения на конец года, тыс. человек": ("841,8 (сумма районов)", "–"),
        "Объем промышленного производства": ("1 036 987,0 (сумма районов)", "–"),
        "Уровень безработицы, %": ("4,9", "4,7"),
        "Среднемесячная номинальная заработная плата": ("–", "–"),
    },
}
HEADLINE_ROWS = {
    "kk": [
        "Өнеркәсіп өнімінің көлемі",
        "Су айдындарына жіберілген шабақтар",
        "Тұз өндіру",
        "Ерекше қорғалатын табиғи аумақтардың үлесі",
    ],
    "ru": [
        "Объем промышленного производства",
        "Выпущено молоди рыб",
        "Добыча соли",
        "Доля особо охраняемых природных территорий",
    ],
}
MONTHS = {  # December, as each language writes it in a long date
    "kk": ["қаңтар", "ақпан", "наурыз", "сәуір", "мамыр", "маусым", "шілде", "тамыз",
           "қыркүйек", "қазан", "қараша", "желтоқсан"],
    "ru": ["января", "февраля", "марта", "апреля", "мая", "июня", "июля", "августа",
           "сентября", "октября", "ноября", "декабря"],
}  # fmt: skip
AS_OF = {"kk": "Деректер 2025 жылғы жағдай бойынша", "ru": "Данные по состоянию на 2025 год"}


def plain(text: str) -> str:
    return " ".join(text.replace("\xa0", " ").replace("\u202f", " ").split())


def docx_of(client, lang: str):
    docx = pytest.importorskip("docx")
    resp = client.get(f"/report?area={ARAL}&lang={lang}&format=docx")
    assert resp.status_code == 200, resp.get_data(as_text=True)
    return docx.Document(io.BytesIO(resp.data))


def table_rows(doc) -> list[list[str]]:
    return [[plain(c.text) for c in r.cells] for r in doc.tables[0].rows]


@pytest.mark.parametrize("lang", ["kk", "ru"])
def test_oblast_and_kazakhstan_columns_hold_the_sources_figures(client, lang):
    rows = table_rows(docx_of(client, lang))
    head = rows[0]
    assert head[-2:] == (
        ["Қызылорда облысы", "Қазақстан Республикасы"]
        if lang == "kk"
        else ["Кызылординская область", "Республика Казахстан"]
    )
    for start, (oblast, country) in EXPECTED[lang].items():
        row = next(r for r in rows[1:] if r[0].startswith(start))
        assert row[1] == "2023", row
        assert (row[-2], row[-1]) == (oblast, country), row


@pytest.mark.parametrize("lang", ["kk", "ru"])
def test_report_opens_with_the_four_headline_indicators(client, lang):
    rows = table_rows(docx_of(client, lang))
    firsts = [r[0] for r in rows[1:5]]
    for label, start in zip(firsts, HEADLINE_ROWS[lang], strict=True):
        assert label.startswith(start), firsts


@pytest.mark.parametrize("lang", ["kk", "ru"])
def test_each_unit_is_said_once(client, lang):
    rows = table_rows(docx_of(client, lang))
    employed = next(r[0] for r in rows if r[0].startswith(("Занятое", "Жұмыспен")))
    assert employed in ("Занятое население (тыс. человек)", "Жұмыспен қамтылған халық (мың адам)")
    for label, *_ in rows[1:]:
        name, _, unit = label.rpartition(", ")
        assert not name or unit not in name, label


@pytest.mark.parametrize("lang", ["kk", "ru"])
def test_docx_is_a4_by_the_dashboard_with_dates_in_the_readers_language(client, lang):
    before = dt.datetime.now(dt.UTC).replace(microsecond=0, tzinfo=None)
    doc = docx_of(client, lang)
    after = dt.datetime.now(dt.UTC).replace(tzinfo=None)
    section = doc.sections[0]
    assert round(section.page_width.mm) == 210 and round(section.page_height.mm) == 297
    props = doc.core_properties
    assert props.author == APP[lang] and props.last_modified_by == APP[lang]
    assert "python-docx" not in f"{props.author} {props.comments} {props.last_modified_by}"
    created = props.created.replace(tzinfo=None)
    assert before <= created <= after and props.modified.replace(tzinfo=None) == created
    subtitle = plain(doc.paragraphs[1].text)
    today = dt.datetime.now(dt.UTC).date()
    assert subtitle.startswith(AS_OF[lang]), subtitle  # the latest figure: water volume 2025
    assert MONTHS[lang][today.month - 1] in subtitle and str(today.year) in subtitle
    assert "-" not in subtitle.replace(AS_OF[lang], "")  # no ISO date
    text = plain(" ".join(p.text for p in doc.paragraphs))
    assert SUM[lang] in text  # the note under the table says what a sum is


def test_an_earlier_year_is_as_of_that_year(client):
    doc = docx_of(client, "ru")
    assert plain(doc.paragraphs[1].text).startswith("Данные по состоянию на 2025 год")
    docx = pytest.importorskip("docx")
    resp = client.get(f"/report?area={ARAL}&lang=ru&format=docx&year=2020")
    doc = docx.Document(io.BytesIO(resp.data))
    assert plain(doc.paragraphs[1].text).startswith("Данные по состоянию на 2020 год")
    rows = table_rows(doc)
    pop = next(r for r in rows if r[0].startswith("Численность населения"))
    # Kyzylorda_All.xls, 2020 column: 312.4 + 35.1 + 80.6 + ... summed by the curated row
    assert pop[1] == "2020" and pop[-2].endswith("(сумма районов)")
    rate = next(r for r in rows if r[0].startswith("Уровень безработицы"))
    assert (rate[-2], rate[-1]) == ("4,9", "4,9")  # «2020,PT,KZKZY,,,,4.9», «2020,PT,,,,,4.9»


@pytest.mark.parametrize("lang", ["kk", "ru"])
def test_pdf_is_a4_and_names_the_dashboard(client, lang):
    pypdf = pytest.importorskip("pypdf")
    if not shutil.which("chromium"):
        pytest.skip("chromium is not installed")
    resp = client.get(f"/report?area={ARAL}&lang={lang}&format=pdf")
    assert resp.status_code == 200, resp.get_data(as_text=True)
    reader = pypdf.PdfReader(io.BytesIO(resp.data))
    box = reader.pages[0].mediabox
    assert round(float(box.width) / 72 * 25.4) == 210
    assert round(float(box.height) / 72 * 25.4) == 297
    info = reader.metadata
    assert info["/Author"] == info["/Creator"] == info["/Producer"] == APP[lang]
    today = dt.datetime.now(dt.UTC).strftime("%Y%m%d")
    assert info["/CreationDate"].startswith(f"D:{today}")
    # pypdf splits some Kazakh letters from their words: compare without spaces
    text = "".join(plain(" ".join(p.extract_text() for p in reader.pages)).split())
    for said in (AS_OF[lang], MONTHS[lang][int(today[4:6]) - 1], "841,8", "1036987,0", SUM[lang]):
        assert "".join(said.split()) in text, said
