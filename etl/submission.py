"""Figures submitted through the web (``/submit``): read, checked, and loaded on approval.

A submission is a set of figures for one area: rows ``{indicator, area, year, value,
series, status, note, _row, _column, _file}`` read from the Excel template
(:func:`read_workbook`) or the small form, and a ``source`` dict that says where the
figures come from (the template's source sheet). They are checked by the ETL's own code:
the curated adapter's cell conversion (:func:`etl.adapters.curated._convert`),
:func:`etl.validate.validate` against the indicator database and the plausibility rules of
:mod:`etl.plausibility` (plus :func:`etl.plausibility.year_on_year` for jumps).

An approved submission becomes a :class:`Batch` whose source is the submitting
organisation's own source (code ``submitted-<organisation>``, :func:`source_code`) and is
loaded by :func:`etl.load.load`: one transaction, one ``load_runs`` row (``submission N``).
The batch replaces only the figures it carries (``Batch.replaces = "figures"``): a later
submission of the same organisation revises its earlier figures (the ``revisions`` table keeps
the old value, note and source details) and leaves its other figures alone, and it never
touches another source's readings (the Bureau's, another organisation's): those stay beside
it. Each figure's note names its submission: submitter, organisation, dates, the reviewer and
the source sheet (:func:`figure_note`).
"""

from __future__ import annotations

import hashlib
import io
import logging
import re
import unicodedata
import zipfile
from dataclasses import dataclass, field
from datetime import date, datetime
from itertools import zip_longest

from openpyxl import load_workbook
from openpyxl.utils import get_column_letter
from sqlalchemy import Connection, Engine

from etl import plausibility
from etl.adapters.curated import _convert
from etl.batch import Batch, LoadError, observations_frame
from etl.load import LoadReport, load
from etl.validate import validate

log = logging.getLogger(__name__)

FORMAT = "submission"
SOURCE_PREFIX = "submitted-"
STATUSES = ("actual", "estimate", "provisional")

# Header labels of the template, in every language; a column is found by its label.
HEADERS: dict[str, dict[str, str]] = {
    "indicator": {"kk": "Көрсеткіш коды", "ru": "Код показателя", "en": "Indicator code"},
    "name": {"kk": "Көрсеткіш", "ru": "Показатель", "en": "Indicator"},
    "unit": {"kk": "Өлшем бірлігі", "ru": "Единица измерения", "en": "Unit"},
    "area": {"kk": "Аумақ коды (КАТО)", "ru": "Код территории (КАТО)", "en": "Area code (KATO)"},
    "area_name": {"kk": "Аумақ", "ru": "Территория", "en": "Area"},
    "status": {"kk": "Мәртебесі", "ru": "Статус", "en": "Status"},
    "note": {"kk": "Ескерту", "ru": "Примечание", "en": "Note"},
}
SOURCE_FIELDS: dict[str, dict[str, str]] = {
    "title": {"kk": "Дереккөз атауы", "ru": "Название источника", "en": "Source title"},
    "publisher": {"kk": "Ұйым", "ru": "Организация", "en": "Organisation"},
    "address": {
        "kk": "Сілтеме немесе құжат",
        "ru": "Ссылка или документ",
        "en": "Link or document",
    },
    "as_of": {"kk": "Күні", "ru": "Дата", "en": "Date"},
    "note": {"kk": "Сипаттама", "ru": "Описание", "en": "Description"},
}
SHEET_NAMES = {
    "data": {"kk": "Деректер", "ru": "Данные", "en": "Data"},
    "source": {"kk": "Дереккөз", "ru": "Источник", "en": "Source"},
}
MAX_HEADER_ROW = 20


class SubmissionError(ValueError):
    """A file that cannot be read as a template at all (HTTP 400/413 with the message)."""


@dataclass
class Checked:
    """What the checks found: the rows, errors (block) and warnings (need a tick)."""

    rows: list[dict]
    source: dict
    errors: list[LoadError] = field(default_factory=list)
    warnings: list[LoadError] = field(default_factory=list)


def _label_map(labels: dict[str, dict[str, str]]) -> dict[str, str]:
    out = {}
    for key, texts in labels.items():
        out[key.lower()] = key
        for text in texts.values():
            out[text.strip().lower()] = key
    return out


_HEADER_KEYS = _label_map(HEADERS)
_SOURCE_KEYS = _label_map(SOURCE_FIELDS)


def _text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime | date):
        return value.isoformat()[:10]
    return str(value).strip()


def _year_header(value: object) -> int | None:
    text = _text(value)
    if len(text) == 4 and text.isdigit():
        return int(text)
    return None


def read_workbook(data: bytes, file_name: str, max_rows: int) -> tuple[list[dict], dict, list]:
    """The figures, the source sheet and the cell errors of an uploaded template.

    The data sheet is the one with an "indicator code" header (in any language) and year
    columns; the source sheet the one whose first column holds the source labels.
    Raises :class:`SubmissionError` when the file is no Excel workbook or has no data sheet.
    """
    try:
        wb = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, ValueError, OSError) as exc:
        raise SubmissionError(f"{file_name}: not an Excel .xlsx workbook ({exc})") from None
    rows: list[dict] = []
    source: dict = {}
    errors: list[LoadError] = []
    found = False
    for ws in wb.worksheets:
        cells = [list(r) for r in ws.iter_rows(values_only=True)]
        header_at = _find_header(cells)
        if header_at is not None:
            found = True
            rows += _data_rows(cells, header_at, f"{file_name}, sheet «{ws.title}»", errors)
        elif _is_source_sheet(cells):
            source = _source_sheet(cells)
        if len(rows) > max_rows:
            raise SubmissionError(f"{file_name}: more than {max_rows} figures in one submission")
    wb.close()
    if not found:
        raise SubmissionError(
            f"{file_name}: no sheet with an {HEADERS['indicator']['en']!r} column and year "
            "columns; download the template from /submit"
        )
    return rows, source, errors


def _find_header(cells: list[list]) -> int | None:
    for i, row in enumerate(cells[:MAX_HEADER_ROW]):
        keys = {_HEADER_KEYS.get(_text(c).lower()) for c in row}
        if "indicator" in keys and any(_year_header(c) for c in row):
            return i
    return None


def _is_source_sheet(cells: list[list]) -> bool:
    return any(row and _SOURCE_KEYS.get(_text(row[0]).lower()) == "title" for row in cells)


def _source_sheet(cells: list[list]) -> dict:
    out = {}
    for row in cells:
        if len(row) >= 2 and (key := _SOURCE_KEYS.get(_text(row[0]).lower())):
            value = _text(row[1])
            if value:
                out[key] = value
    return out


def _data_rows(cells: list[list], at: int, where: str, errors: list[LoadError]) -> list[dict]:
    header = cells[at]
    cols: dict[str, int] = {}
    years: dict[int, int] = {}
    for j, c in enumerate(header):
        if (y := _year_header(c)) is not None:
            years[j] = y
        elif (key := _HEADER_KEYS.get(_text(c).lower())) and key not in cols:
            cols[key] = j
    if "area" not in cols:
        errors.append(LoadError(where, at + 1, None, "no area code (KATO) column"))
        return []
    out = []
    for i, row in enumerate(cells[at + 1 :], start=at + 2):
        row = row + [None] * (len(header) - len(row))
        code = _text(row[cols["indicator"]])
        if not code:
            continue
        area_text = _text(row[cols["area"]])
        try:
            area = _convert("area", area_text)
        except ValueError as exc:
            errors.append(LoadError(where, i, get_column_letter(cols["area"] + 1), str(exc)))
            continue
        status = _text(row[cols["status"]]).lower() if "status" in cols else ""
        note = _text(row[cols["note"]]) if "note" in cols else ""
        for j, year in years.items():
            cell = row[j]
            if cell is None or _text(cell) == "":
                continue
            column = f"{get_column_letter(j + 1)} ({year})"
            try:
                value = (
                    float(cell) if isinstance(cell, int | float) else _convert("value", _text(cell))
                )
            except ValueError as exc:
                errors.append(LoadError(where, i, column, str(exc)))
                continue
            out.append(
                {
                    "indicator": code,
                    "area": area,
                    "year": year,
                    "series": "",
                    "value": value,
                    "status": status or "actual",
                    "note": note or None,
                    "_row": i,
                    "_column": column,
                    "_file": where,
                }
            )
    return out


def read_form(
    columns: dict[str, list[str]], source: dict[str, str], kato: str
) -> tuple[list[dict], dict, list[LoadError]]:
    """The figures, source and cell errors of the small form on /submit: ``columns``
    ``indicator``, ``year``, ``value`` and ``note`` (one entry per form row) for area ``kato``,
    read with the same cell checks as the template; empty form rows are skipped."""
    rows: list[dict] = []
    errors: list[LoadError] = []
    keys = ("indicator", "year", "value", "note")
    lines = zip_longest(*(columns.get(k, []) for k in keys), fillvalue="")
    for i, (code, year, value, note) in enumerate(lines, start=1):
        code, year, value = code.strip(), year.strip(), value.strip().replace(",", ".")
        if not (code or year or value):
            continue
        r = {"indicator": code, "area": kato, "series": "", "status": "actual"}
        r |= {"note": note.strip() or None, "_row": i, "_column": None, "_file": "form"}
        for col, text in (("year", year), ("value", value)):
            try:
                r[col] = _convert(col, text) if text else None
            except ValueError as exc:
                errors.append(LoadError("form", i, col, str(exc)))
            if text == "":
                errors.append(LoadError("form", i, col, "is empty"))
        if all(r.get(c) is not None for c in ("year", "value")):
            rows.append(r)
    given = {k: (source.get(k) or "").strip() for k in SOURCE_FIELDS}
    return rows, {k: v for k, v in given.items() if v}, errors


# Cyrillic (Russian and Kazakh letters) to Latin, for readable source codes
_LATIN = str.maketrans(
    {
        **dict(zip("абвгдезийклмнопрстуфхцыэ", "abvgdezijklmnoprstufhcye", strict=True)),
        **dict(zip("әғқңөұүһі", "agqnouuhi", strict=True)),
        "ё": "e", "ж": "zh", "ч": "ch", "ш": "sh", "щ": "sch", "ю": "yu", "я": "ya",
        "ъ": "", "ь": "",
    }
)  # fmt: skip


def source_code(organisation: str) -> str:
    """The source code of an organisation's submitted figures: ``submitted-`` and its name
    in lower-case Latin letters ("Kamystybas hatchery" -> ``submitted-kamystybas-hatchery``);
    a name with no Latin or Cyrillic letters gets a short hash of itself."""
    name = " ".join(organisation.split()).casefold()
    latin = unicodedata.normalize("NFKD", name.translate(_LATIN))
    slug = re.sub(r"[^a-z0-9]+", "-", latin.encode("ascii", "ignore").decode()).strip("-")
    slug = slug[:60].strip("-") or hashlib.sha256(name.encode()).hexdigest()[:12]
    return SOURCE_PREFIX + slug


def source_row(organisation: str, when: str) -> dict:
    """The ``sources`` row of an organisation's submitted figures (``retrieved``: the date of
    its last approved submission); each figure's note says which submission it came from."""
    return {
        "code": source_code(organisation),
        "title": f"Figures submitted by {organisation} through the dashboard",
        "publisher": organisation,
        "address": None,
        "retrieved": when,
        "note": (
            f"figures that {organisation} submitted on the dashboard's /submit page, each "
            "approved by a reviewer; each figure's note names its submission (submitter, "
            "dates, reviewer, where the figures come from); a later submission of the "
            "organisation revises its earlier figures, whose values stay in the revisions"
        ),
    }


def figure_note(
    source: dict,
    *,
    submission: int | str,
    submitter: str,
    organisation: str,
    when: str,
    reviewer: str = "",
    approved: str = "",
) -> str:
    """The note every figure of a submission carries: which submission, by whom, for whom,
    when, approved by whom, and where the figures come from (the template's source sheet)."""
    note = f"submission {submission} by {submitter} ({organisation}) on {when}"
    if reviewer:
        note += f", approved by {reviewer} on {approved}"
    cited = ", ".join(str(source[k]) for k in ("title", "publisher", "address") if source.get(k))
    if cited:
        note += f"; source: {cited}"
    if source.get("as_of"):
        note += f"; figures as of {source['as_of']}"
    if source.get("note"):
        note += f"; {source['note']}"
    return note


def _location(r: dict, file_name: str) -> str | None:
    """Where a submitted figure was: "figures.xlsx, sheet «Data», row 5, column G (2023)"."""
    if not r.get("_row"):
        return None
    where = f"{r.get('_file') or file_name}, row {r['_row']}"
    return where + (f", column {r['_column']}" if r.get("_column") else "")


def to_batch(rows: list[dict], source: dict, file_name: str, note: str | None = None) -> Batch:
    """The submission as a Batch of the ETL that replaces only its figures: its observations'
    source is ``source``; ``note`` (the submission's) goes before each figure's own note."""
    obs = [
        {
            **{k: v for k, v in r.items() if k != "_file"},
            "_file": r.get("_file"),
            "source": source["code"],
            "location": _location(r, file_name),
            "note": "; ".join(x for x in (note, r.get("note")) if x) or None,
        }
        for r in rows
    ]
    batch = Batch(file=file_name, format=FORMAT, rows_read=len(rows), replaces="figures")
    batch.sources = [source]
    batch.observations = observations_frame(obs)
    batch.checksum = ""
    return batch


def check(
    rows: list[dict],
    source: dict,
    conn: Connection | None,
    previous: dict[tuple[str, str, str, int], float],
    file_name: str = "submission",
) -> Checked:
    """Run the ETL's checks on submitted rows (nothing is written).

    ``previous`` maps (indicator, area, series, year) to the value the database shows; a
    change of more than half from the year before is a warning.
    """
    result = Checked(rows=rows, source=source)
    for r in rows:
        if r.get("status") not in STATUSES:
            result.errors.append(
                LoadError(
                    r.get("_file") or file_name,
                    r.get("_row"),
                    r.get("_column"),
                    f"status {r.get('status')!r} is not one of {', '.join(STATUSES)}",
                )
            )
    batch = to_batch(rows, source_row(source.get("publisher") or "new", ""), file_name)
    result.errors += validate([batch], conn, result.warnings)
    obs = batch.observations
    submitted = {
        (r["indicator"], r["area"], r.get("series") or "", int(r["year"])): r["value"] for r in rows
    }
    for idx, message in plausibility.year_on_year(obs, {**previous, **submitted}):
        row = obs.loc[idx]
        result.warnings.append(
            LoadError(str(row["_file"] or file_name), int(row["_row"]), row["_column"], message)
        )
    return result


def load_submission(
    engine: Engine, rows: list[dict], source: dict, file_name: str, note: str
) -> LoadReport:
    """Load an approved submission through the ETL's load path (one transaction, a load run):
    ``source`` is the organisation's source row (:func:`source_row`), ``note`` the
    submission's (:func:`figure_note`). Its plausibility warnings were accepted when it was
    submitted and reviewed."""
    batch = to_batch(rows, source, file_name, note)
    return load(engine, [batch], accept_warnings=True, progress=False)
