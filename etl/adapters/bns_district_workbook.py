"""The Bureau's regional district workbook (format ``bns-district-workbook``).

``Kyzylorda_All.xls`` («Основные показатели социально-экономического развития … района
Кызылординской области») has one sheet per district or city, named by the unit ("Арал",
"г.Кызылорда"), the years 1991… in a header row (found by looking for 1991), and indicator
labels in column A, in three patterns:

* a label row holding its own figures («Уровень безработицы, в процентах»);
* a label row followed by unit rows that hold the figures («тыс. человек», «млн. тенге»,
  «индексы физического объема …»);
* a group label followed by item rows («Численность скота … тыс. голов» / «лошади»).

Which rows are read, and as which indicator, comes from ``data/mappings/bns_district_rows.csv``
(``label_ru,unit_ru,indicator,is_index,note``): ``label_ru`` is the label (or group) row and
``unit_ru`` the unit (or item) row under it, empty when the label row holds the figures. Labels
are matched after :func:`~etl.adapters.bns_table.text_key` (footnote markers, case, spaces and
punctuation ignored). Sheet names are resolved to KATO within ``options["parent"]`` (default
Kyzylorda oblast, 430000000).

Cells: "-" is no figure and "х" is confidential (both skipped, and counted); numbers may be
stored as text ("9 479 ", "6,69"); a footnote number may be glued on ("1,613)" is 1,6 with
footnote 13, see :func:`split_footnote`); index rows may say "2,3 раза" (2.3 times the previous
year), which is restated as 230 % with status ``derived`` when the mapping marks the row as an
index.
"""

from __future__ import annotations

import logging
import math
import re
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from config import DATA_DIR
from etl.adapters.bns_table import (
    Sheet,
    classify,
    column_letter,
    find_year_row,
    footnotes_of,
    location,
    number_text,
    read_sheets,
    text_key,
    year_columns,
)
from etl.areas import Resolver
from etl.batch import Batch, clean_number, file_checksum, observations_frame

FORMAT = "bns-district-workbook"
EXPECTS = "a Bureau regional workbook (.xls/.xlsx) with a sheet per district"
KYZYLORDA_OBLAST = "430000000"
FIRST_YEAR = 1991
MAPPING_FILE = DATA_DIR / "mappings" / "bns_district_rows.csv"
SOURCE = {
    "code": "bns-kyzylorda-district-workbook",
    "title": "Основные показатели социально-экономического развития районов и городов "
    "Кызылординской области, 1991–2023 (по листу на район)",
    "publisher": "Бюро национальной статистики Агентства по стратегическому планированию и "
    "реформам Республики Казахстан (stat.gov.kz), Кызылординский областной департамент",
    "address": "https://stat.gov.kz/api/iblock/element/region/291836/file/ru/ (copy read: "
    "https://github.com/askhat-omar/FDI_crowding_effects/blob/"
    "29a0c4ded046c372d74963c9fbe862e6cb3219fe/Data/Controls/Kyzylorda_All.xls)",
    "license": "No license file in the copy's repository; official government statistics, "
    "cite the Bureau of National Statistics",
    "retrieved": "github.com/askhat-omar/FDI_crowding_effects@"
    "29a0c4ded046c372d74963c9fbe862e6cb3219fe (Data/Controls/Kyzylorda_All.xls)",
    "tier": "A",
    "excerpt": None,
}

log = logging.getLogger(__name__)

_TIMES = re.compile(r"^(?:в\s*)?(\d+(?:[.,]\d+)?)\s*(?:раза|раз|есе|р)\.?$", re.I)


@dataclass(frozen=True)
class Rule:
    """One mapped row: the indicator, whether it is an index, and a note for its figures."""

    label_ru: str
    unit_ru: str
    indicator: str
    is_index: bool
    note: str | None


@dataclass
class Tally:
    """What was skipped or adjusted while reading, for the batch's warnings."""

    counts: Counter = field(default_factory=Counter)
    confidential: list[str] = field(default_factory=list)
    shifted: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class Reading:
    """What one value cell says."""

    kind: str  # number, empty, missing, confidential, junk
    value: float | None = None
    footnote: str | None = None  # the footnote number glued to the figure
    times: str | None = None  # the text of an "N раза" index cell


def load_rules(path: Path = MAPPING_FILE) -> dict[tuple[str, str], Rule]:
    """{(label key, unit key): Rule} from the row mapping file."""
    table = pd.read_csv(path, dtype=str, keep_default_na=False)
    rules = {}
    for r in table.itertuples(index=False):
        key = (text_key(r.label_ru), text_key(r.unit_ru))
        if key in rules:
            raise ValueError(f"{path.name}: {r.label_ru!r} / {r.unit_ru!r} is mapped twice")
        rules[key] = Rule(
            r.label_ru,
            r.unit_ru,
            r.indicator,
            r.is_index.strip().lower() in {"true", "yes", "1"},
            r.note or None,
        )
    return rules


# --------------------------------------------------------------------------- cells


def _decimals(text: str) -> int:
    """Digits after the decimal separator of a number as written: '1,6' -> 1, '16' -> 0."""
    text = text.strip().replace(",", ".")
    return len(text.split(".", 1)[1]) if "." in text else 0


def _float_decimals(value: float) -> int:
    return _decimals(f"{value:.12g}")


def _neighbours(cells: list, col: int, reach: int = 3) -> list[float]:
    """Up to ``reach`` numbers each side of ``cells[col]`` (plain numbers only)."""
    found = []
    for step in (-1, 1):
        c, n = col + step, 0
        while 0 <= c < len(cells) and n < reach:
            kind, value = classify(cells[c])
            if kind == "number":
                found.append(value)
                n += 1
            c += step
    return found


def split_footnote(
    text: str, neighbours: list[float], footnotes: set[str] | frozenset[str] = frozenset()
) -> tuple[float, str] | None:
    """Split a figure from the footnote number glued to it: '1,613)' -> (1.6, '13').

    The last one or two digits before ")" are the footnote. Candidates are ranked by:
    the footnote exists on the sheet; the figure has no more decimals than its neighbours
    (a row of 1-decimal figures makes '1,613)' 1,6 + 13, not 1,61 + 3); it has as many as
    they do; and it is closest in magnitude to them ('80714)' next to 9 000s is 8071 + 4,
    not 807 + 14).
    """
    body = text.strip()
    if not body.endswith(")"):
        return None
    body = body[:-1].rstrip()
    target = max((_float_decimals(v) for v in neighbours), default=None)
    ref = sorted(abs(v) for v in neighbours)[len(neighbours) // 2] if neighbours else None
    ranked = []
    for k in (1, 2):
        number, mark = body[:-k], body[-k:]
        if not mark.isdigit() or mark.startswith("0") or (value := number_text(number)) is None:
            continue
        decimals = _decimals(number)
        score = (
            bool(footnotes) and mark not in footnotes,
            target is not None and decimals > target,
            abs(decimals - target) if target is not None else 0,
            abs(math.log1p(abs(value)) - math.log1p(ref)) if ref is not None else 0.0,
        )
        ranked.append((score, value, mark))
    if not ranked:
        return None
    _, value, mark = min(ranked)
    return value, mark


def read_cell(cells: list, col: int, footnotes: set[str]) -> Reading:
    """Read the value cell ``cells[col]`` of a workbook row."""
    kind, value = classify(cells[col])
    if kind != "junk":
        return Reading(kind, value)
    text = str(cells[col]).strip()
    split = split_footnote(text, _neighbours(cells, col), footnotes)
    if split is not None:
        return Reading("number", split[0], footnote=split[1])
    if m := _TIMES.match(text):
        return Reading("times", clean_number(float(m.group(1).replace(",", ".")) * 100), times=text)
    return Reading("junk")


# --------------------------------------------------------------------------- the workbook


def detect(path: Path) -> bool:
    """True for a workbook with a sheet whose header row starts at 1991 and whose column A
    holds at least three of the mapped labels."""
    path = Path(path)
    if not path.is_file() or path.suffix.lower() not in (".xls", ".xlsx"):
        return False
    try:
        labels = {k for pair in load_rules() for k in pair if k}
        for sheet in read_sheets(path):
            header = find_year_row(sheet, 0, first=FIRST_YEAR)
            if header is not None:
                keys = {text_key(sheet.text(r, 0)) for r in range(header + 1, len(sheet.rows))}
                if len(keys & labels) >= 3:
                    return True
    except Exception:
        return False
    return False


def _source(sheets: list[Sheet]) -> dict:
    titles, dated = [], []
    for sheet in sheets:
        for r in range(min(len(sheet.rows), 8)):
            text = re.sub(r"\s+", " ", sheet.text(r, 0))
            if "показател" in text.casefold() and not titles:
                titles.append(text)
            if "дата актуализации" in text.casefold():
                dated.append(f"Sheet «{sheet.name}» says «{text}»")
    note = (
        f"One sheet per district or city ({len(sheets)} sheets), titled like «{titles[0]}». "
        if titles
        else ""
    )
    note += "; ".join(dated) + ". " if dated else ""
    note += "Money in current prices. Footnotes at the bottom of each sheet."
    return {**SOURCE, "note": note}


def read(path: Path, *, resolver: Resolver, options: dict) -> Batch:
    """Observations of every mapped row of every sheet of a district workbook."""
    options = options or {}
    path = Path(path)
    batch = Batch(file=str(path), format=FORMAT, checksum=file_checksum(path))
    try:
        sheets = read_sheets(path)
    except Exception as exc:
        batch.error(None, None, f"cannot read the file: {exc}")
        return batch
    rules = load_rules(Path(options.get("mapping") or MAPPING_FILE))
    parent = options.get("parent") or KYZYLORDA_OBLAST
    batch.sources.append(_source(sheets))
    rows: list[dict] = []
    tally = Tally()
    for sheet in sheets:
        try:
            area = resolver.resolve(sheet.name, parent)
        except LookupError as exc:
            batch.error(None, None, f"sheet «{sheet.name}»: {exc}")
            continue
        rows += _read_sheet(batch, sheet, area, rules, tally)
    batch.observations = observations_frame(rows)
    if tally.confidential:
        batch.warnings.append(
            f"{len(tally.confidential)} confidential cells ('х') skipped: "
            + ", ".join(tally.confidential)
        )
    if tally.shifted:
        batch.warnings.append(
            f"{len(tally.shifted)} cells skipped because their label row holds a figure in the "
            "same column (the block looks shifted by a row): " + ", ".join(tally.shifted)
        )
    for kind, text in (
        ("missing", "'-' (no figure) cells skipped in mapped rows"),
        (
            "footnote",
            "figures carried a glued footnote number (split off; the footnote is in the note)",
        ),
        ("times", "index cells written as «N раза» restated as N × 100 % (status derived)"),
        ("unmapped", "rows with figures are not in the mapping and were not read"),
    ):
        if tally.counts[kind]:
            batch.warnings.append(f"{tally.counts[kind]} {text}")
    log.info("%s: %d observations, %d error(s)", path.name, len(rows), len(batch.errors))
    return batch


def _read_sheet(
    batch: Batch, sheet: Sheet, area: str, rules: dict[tuple[str, str], Rule], tally: Tally
) -> list[dict]:
    """The observations of one sheet; its errors and warnings go to ``batch`` and ``tally``."""
    rows: list[dict] = []
    header = find_year_row(sheet, 0, first=FIRST_YEAR)
    if header is None:
        batch.error(None, None, f"sheet «{sheet.name}»: no header row with the year {FIRST_YEAR}")
        return rows
    years = year_columns(sheet, header)
    notes = footnotes_of(sheet, header + 1)
    marks = set(notes)
    headings = {label for label, unit in rules if unit}
    heading: str | None = None
    heading_row = 0
    suspect: set[int] = set()  # columns where the heading row itself holds a figure
    found: set[str] = set()
    seen: dict[tuple[str, int], str] = {}
    for r in range(header + 1, len(sheet.rows)):
        label = sheet.text(r, 0)
        if not label:
            continue
        key = text_key(label)
        cells = sheet.rows[r]
        rule = rules.get((heading, key)) if heading is not None else None
        if rule is None and (rule := rules.get((key, ""))) is not None:
            heading, suspect = None, set()
        if rule is None:
            readings = {c: classify(cells[c]) if c < len(cells) else ("empty", None) for c in years}
            kinds = {kind for kind, _ in readings.values()}
            if key in headings or not kinds & {"number", "junk"}:
                heading, heading_row = key, r
                # A label row should be blank: a non-zero figure on it means the block
                # below is shifted by a row in that column (Жалагаш 2023, «Безработное
                # население»), so those cells of the block are not read.
                suspect = {c for c, (kind, v) in readings.items() if kind == "number" and v}
            else:
                tally.counts["unmapped"] += 1
                log.debug("sheet «%s» row %d not mapped: %s", sheet.name, r + 1, label)
            continue
        found.add(rule.indicator)
        path = f"{sheet.text(heading_row, 0)} / {label}" if rule.unit_ru else label
        for c, (year, _) in years.items():
            if c >= len(cells):
                continue
            reading = read_cell(cells, c, marks)
            where = f"sheet «{sheet.name}», cell {column_letter(c)}{r + 1}"
            if rule.unit_ru and c in suspect and reading.kind != "empty":
                tally.shifted.append(
                    f"«{sheet.name}» {column_letter(c)}{r + 1} ({rule.indicator} {year})"
                )
                continue
            if reading.kind == "times" and not rule.is_index:
                reading = Reading("junk")
            if reading.kind == "junk":
                batch.error(
                    r + 1,
                    column_letter(c),
                    f"{where} ({rule.indicator}, {year}): {cells[c]!r} is not a number",
                )
                continue
            if reading.kind in ("empty", "missing", "confidential"):
                tally.counts[reading.kind] += 1
                if reading.kind == "confidential":
                    tally.confidential.append(
                        f"«{sheet.name}» {column_letter(c)}{r + 1} ({rule.indicator} {year})"
                    )
                continue
            if (rule.indicator, year) in seen:
                batch.error(
                    r + 1,
                    column_letter(c),
                    f"{where}: {rule.indicator} {year} is also at {seen[rule.indicator, year]}",
                )
                continue
            seen[rule.indicator, year] = location(sheet, r, c)
            note = [rule.note] if rule.note else []
            status, excerpt = "actual", None
            if reading.footnote:
                tally.counts["footnote"] += 1
                note.append(f"footnote {notes.get(reading.footnote, reading.footnote + ')')}")
            if reading.times:
                tally.counts["times"] += 1
                status = "derived"
                note.append(
                    f"derived: the Bureau writes «{reading.times}» (times the previous "
                    f"year), restated as {reading.value:g} %"
                )
            if isinstance(cells[c], str):
                excerpt = f"{path} | {year} | {cells[c].strip()}"
            rows.append(
                {
                    "indicator": rule.indicator,
                    "area": area,
                    "year": year,
                    "value": reading.value,
                    "status": status,
                    "source": SOURCE["code"],
                    "note": "; ".join(note) or None,
                    "excerpt": excerpt,
                    "location": location(sheet, r, c),
                    "_row": r + 1,
                    "_column": column_letter(c),
                }
            )
    missing = sorted({rule.indicator for rule in rules.values()} - found)
    if missing:
        batch.warnings.append(f"sheet «{sheet.name}»: no row for {', '.join(missing)}")
    return rows
