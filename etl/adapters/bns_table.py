"""Bureau of National Statistics tables in their published layout (format ``bns-table``).

The layout, as stat.gov.kz publishes a one-indicator table::

    row 0   title                                   («Выбросы в атмосферу …»)
    row 1   the unit, in the last column            («тыс. тонн»)
    row 2   the years                               (2005 … 2022; «20143)» or «2022*» with a footnote)
    row 3…  one row per territory, named in Russian or Kazakh, "-" or "…" where there is no figure
    below   footnotes («3) Без г.Байконыр», «* предварительные данные»)

Both language editions are read: territory names in Kazakh or Russian, with or without their
type word («Қазақстан Республикасы», «Оңтүстік Қазақстан облысы»), and the unit in either
language of the indicator's catalogue entry («мың тонна» = «тыс. тонн»).

The same layout is read from ``.xls`` (xlrd), ``.xlsx`` (openpyxl) and ``.csv``. The year row is
found by scanning, not assumed to be row 2. Which indicator a table holds, its unit and its source
come from ``options["indicator"]`` or from the mapping file ``data/mappings/bns_tables.csv``,
matched on the table title; nothing about a particular table is written in code.

The cell helpers here (:func:`read_sheets`, :func:`classify`, :func:`text_key`, ...) are shared by
the other Bureau adapters.
"""

from __future__ import annotations

import csv
import logging
import re
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache, lru_cache
from pathlib import Path

import pandas as pd

from config import DATA_DIR
from etl.areas import Resolver, norm
from etl.batch import Batch, clean_number, file_checksum, observations_frame

FORMAT = "bns-table"
EXPECTS = "a Bureau table by territory (.xls, .xlsx, .csv) with a title, a row of years and a row per territory"
COUNTRY = "000000000"
MAPPING_FILE = DATA_DIR / "mappings" / "bns_tables.csv"
SUFFIXES = (".xls", ".xlsx", ".csv")

log = logging.getLogger(__name__)

Cell = float | str | None

# Latin letters that look like Cyrillic ones; the Bureau's titles sometimes mix them
# («Выброcы» with a Latin c). Keys are compared after mapping them to Cyrillic.
_HOMOGLYPHS = str.maketrans("aceopxyABCEHKMOPTXY", "асеорхуАВСЕНКМОРТХУ")
_FOOTNOTE_MARK = re.compile(r"(?<!\d)\d{1,2}\)|\*+")
_FOOTNOTE_LINE = re.compile(r"^\s*(\d{1,2}\)|\*+)\s*(.*\S)", re.S)
_YEAR = re.compile(r"^\s*((?:19|20)\d\d)((?:\d{1,2}\)|\*+)*)\s*$")
_MARKS = re.compile(r"\d{1,2}|\*+")
_ELLIPSES = {"…", "...", "..", "...."}
# Type words of a territory's name: «Қазақстан Республикасы» is «Қазақстан».
_TERRITORY_TYPE = re.compile(
    r"\s*\b(облысы|облыстары|области|область|обл|республикасы|республика|oblast|region|"
    r"republic of)(?!\w)\.?\s*",
    re.IGNORECASE,
)
_NUMBER = re.compile(r"^[+-]?\d+(?:\.\d+)?$")
_DASHES = {"-", "–", "—"}
_CONFIDENTIAL = {"х", "x"}  # Cyrillic and Latin, compared case-folded


@dataclass
class Sheet:
    """One worksheet (or a CSV file) as a grid of cell values: float, str or None."""

    name: str | None
    rows: list[list[Cell]]

    def cell(self, row: int, col: int) -> Cell:
        if row >= len(self.rows) or col >= len(self.rows[row]):
            return None
        return self.rows[row][col]

    def text(self, row: int, col: int) -> str:
        value = self.cell(row, col)
        return "" if value is None else str(value).strip()


# --------------------------------------------------------------------------- reading files


def read_sheets(path: Path) -> list[Sheet]:
    """Every sheet of an .xls/.xlsx workbook, or the one table of a .csv file (read once per
    version of the file: detection and reading share it)."""
    stat = Path(path).stat()
    return _read_sheets(str(path), stat.st_mtime_ns, stat.st_size)


@lru_cache(maxsize=8)
def _read_sheets(name: str, _mtime: int, _size: int) -> list[Sheet]:
    path = Path(name)
    suffix = path.suffix.lower()
    if suffix == ".xls":
        return _read_xls(path)
    if suffix == ".xlsx":
        return _read_xlsx(path)
    if suffix == ".csv":
        return [_read_csv(path)]
    raise ValueError(f"not a spreadsheet: {path.name} (expected {', '.join(SUFFIXES)})")


def _read_xls(path: Path) -> list[Sheet]:
    import xlrd

    book = xlrd.open_workbook(str(path))
    sheets = []
    for sh in book.sheets():
        rows = []
        for r in range(sh.nrows):
            row: list[Cell] = []
            for c in range(sh.ncols):
                cell = sh.cell(r, c)
                if cell.ctype in (xlrd.XL_CELL_EMPTY, xlrd.XL_CELL_BLANK):
                    row.append(None)
                elif cell.ctype == xlrd.XL_CELL_NUMBER:
                    row.append(float(cell.value))
                elif cell.ctype == xlrd.XL_CELL_TEXT:
                    row.append(cell.value)
                else:  # boolean, error, date: never a figure in these tables
                    row.append(f"#{xlrd.error_text_from_code.get(cell.value, cell.value)}")
            rows.append(row)
        sheets.append(Sheet(sh.name, rows))
    return sheets


def _read_xlsx(path: Path) -> list[Sheet]:
    import openpyxl

    book = openpyxl.load_workbook(path, read_only=True, data_only=True)
    try:
        sheets = []
        for ws in book.worksheets:
            rows = []
            # A stated dimension of A1:XFD… would pad every row to 16384 cells.
            ws.reset_dimensions()
            for values in ws.iter_rows(values_only=True):
                row: list[Cell] = []
                for v in values:
                    if v is None or isinstance(v, str):
                        row.append(v)
                    elif isinstance(v, int | float) and not isinstance(v, bool):
                        row.append(float(v))
                    else:
                        row.append(str(v))
                while row and row[-1] is None:
                    row.pop()
                rows.append(row)
            sheets.append(Sheet(ws.title, rows))
        return sheets
    finally:
        book.close()


def _read_csv(path: Path) -> Sheet:
    text = path.read_text(encoding="utf-8-sig")
    try:
        dialect = csv.Sniffer().sniff(text[:4096], delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    rows = [
        [v if v.strip() else None for v in row] for row in csv.reader(text.splitlines(), dialect)
    ]
    return Sheet(None, rows)


# --------------------------------------------------------------------------- cells and labels


def column_letter(col: int) -> str:
    """Excel column letter of a 0-based column index: 0 -> A, 18 -> S, 33 -> AH."""
    letters = ""
    col += 1
    while col:
        col, rem = divmod(col - 1, 26)
        letters = chr(65 + rem) + letters
    return letters


def location(sheet: Sheet, row: int, col: int) -> str:
    """Where a cell is, for people: "sheet «ООС», row 15, column S" (1-based row)."""
    where = f"row {row + 1}, column {column_letter(col)}"
    return f"sheet «{sheet.name}», {where}" if sheet.name is not None else where


def territory_figure(
    batch: Batch,
    sheet: Sheet,
    r: int,
    c: int,
    label: str,
    year: int,
    area: str,
    resolver: Resolver,
    tally: Counter,
    junk_reason: Callable[[Cell], str | None] | None = None,
) -> float | None:
    """The figure of one territory's cell, or None when there is none to store.

    A cell that is not a number is an error naming the cell (unless ``junk_reason`` gives it
    a reason to be tallied instead); marks («-», «…», «х», footnote only) are tallied; a year
    before an oblast existed is tallied, never stored under a code it did not have yet."""
    value = sheet.cell(r, c)
    kind, figure = classify(value)
    if kind == "junk" and junk_reason is not None:
        kind = junk_reason(value) or kind
    if kind == "junk":
        batch.error(
            r + 1,
            column_letter(c),
            f"{location(sheet, r, c)} ({label}, {year}): {value!r} is not a number",
        )
        return None
    if kind != "number":
        tally[kind] += 1
        return None
    start = resolver.valid_from.get(area)
    if resolver.level_of.get(area) == "oblast" and start and year < int(start):
        tally[f"«{label}» {year}: before {area} existed ({start})"] += 1
        return None
    return figure


def strip_footnotes(text: str) -> str:
    """A label without its footnote markers: «Число школ, единиц2)» -> «Число школ, единиц»."""
    return _FOOTNOTE_MARK.sub("", str(text)).strip()


def text_key(text: str) -> str:
    """The matching key of a title or label: no footnote markers, Latin look-alikes made
    Cyrillic, then :func:`etl.areas.norm` (case, spaces and punctuation ignored)."""
    return norm(strip_footnotes(text).translate(_HOMOGLYPHS))


def parse_year(value: Cell) -> tuple[int, list[str]] | None:
    """A year header and its footnote numbers: 2016.0 -> (2016, []); '20152)3)' -> (2015, ['2','3'])."""
    if isinstance(value, float):
        if value.is_integer() and 1900 <= value <= 2100:
            return int(value), []
        return None
    if isinstance(value, str):
        if m := _YEAR.match(value):
            return int(m.group(1)), _MARKS.findall(m.group(2))
        if (number := number_text(value)) is not None:  # "2016.0" from a CSV export
            return parse_year(number)
    return None


def find_year_row(sheet: Sheet, start: int = 0, first: int | None = None) -> int | None:
    """The first row at or after ``start`` whose cells right of column A are all years
    (and, if ``first`` is given, which holds that year)."""
    for r in range(start, len(sheet.rows)):
        cells = [v for v in sheet.rows[r][1:] if v is not None and str(v).strip()]
        years = [parse_year(v) for v in cells]
        if cells and all(years) and (first is None or any(y[0] == first for y in years)):
            return r
    return None


def year_columns(sheet: Sheet, row: int) -> dict[int, tuple[int, list[str]]]:
    """{column: (year, footnotes)} of a year row."""
    found = {}
    for c, v in enumerate(sheet.rows[row]):
        if c > 0 and (year := parse_year(v)):
            found[c] = year
    return found


def footnotes_of(sheet: Sheet, start: int = 0) -> dict[str, str]:
    """The footnotes printed in column A at or below ``start``: {'3': '3) Без г.Байконыр'}."""
    notes = {}
    for r in range(start, len(sheet.rows)):
        m = _FOOTNOTE_LINE.match(sheet.text(r, 0))
        if m and not any(sheet.text(r, c) for c in range(1, len(sheet.rows[r]))):
            mark = m.group(1).rstrip(")")
            notes[mark] = re.sub(r"\s+", " ", f"{m.group(1)} {m.group(2)}")
    return notes


def number_text(text: str) -> float | None:
    """A number written as text: '9 479 ' -> 9479.0, '1,6' -> 1.6; None if it is not one."""
    compact = re.sub(r"[\s\u00a0\u202f]", "", text).replace(",", ".")
    return clean_number(float(compact)) if _NUMBER.match(compact) else None


def classify(value: Cell) -> tuple[str, float | None]:
    """What a value cell holds: ("number", x), ("empty"|"missing"|"confidential"|"junk", None).

    "missing" is the Bureau's "-" (no figure); "confidential" its "х".
    """
    if value is None:
        return "empty", None
    if isinstance(value, float):
        return "number", clean_number(value)
    text = str(value).strip()
    if not text:
        return "empty", None
    if text in _DASHES or text in _ELLIPSES:
        return "missing", None
    if text.casefold() in _CONFIDENTIAL:
        return "confidential", None
    number = number_text(text)
    return ("number", number) if number is not None else ("junk", None)


# --------------------------------------------------------------------------- the table layout


@dataclass
class Layout:
    """Where the parts of a one-indicator Bureau table are."""

    title: str
    title_row: int
    unit: str
    unit_cell: tuple[int, int] | None
    year_row: int
    years: dict[int, tuple[int, list[str]]]


def table_layout(sheet: Sheet) -> Layout | None:
    """The title, unit and year row of a Bureau table, or None if the sheet is not one."""
    title_row = next((r for r in range(len(sheet.rows)) if sheet.text(r, 0)), None)
    if title_row is None:
        return None
    year_row = find_year_row(sheet, title_row + 1)
    if year_row is None:
        return None
    years = year_columns(sheet, year_row)
    last_col = max(years)
    unit, unit_cell = "", None
    for r in range(title_row + 1, year_row):
        for c in range(len(sheet.rows[r]) - 1, -1, -1):
            if sheet.text(r, c):
                unit, unit_cell = sheet.text(r, c), (r, c)
                break
    if unit_cell is not None and unit_cell[1] != last_col:
        return None  # text between the title and the years that is not the unit
    return Layout(sheet.text(title_row, 0), title_row, unit, unit_cell, year_row, years)


def _bad_year_cell(sheet: Sheet) -> tuple[int, int, str] | None:
    """The first non-year cell of a row whose other cells right of column A are mostly years."""
    for r, row in enumerate(sheet.rows):
        cells = [(c, v) for c, v in enumerate(row) if c > 0 and v is not None and str(v).strip()]
        bad = [(c, v) for c, v in cells if not parse_year(v)]
        if len(cells) >= 3 and bad and len(bad) * 3 <= len(cells):
            return r, bad[0][0], str(bad[0][1]).strip()
    return None


def resolve_territory(resolver: Resolver, name: str, parent: str | None) -> str:
    """The KATO code of a territory named in Russian or Kazakh, with or without its type word."""
    try:
        return resolver.resolve(name, parent)
    except LookupError:
        bare = _TERRITORY_TYPE.sub(" ", name).strip()
        if not bare or bare == name.strip():
            raise
        return resolver.resolve(bare, parent)


@cache
def catalogue_units(indicator: str) -> tuple[str, ...]:
    """The indicator's unit in every language of the catalogue (data/indicators/*.csv)."""
    for path in sorted((DATA_DIR / "indicators").glob("*.csv")):
        df = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8-sig")
        row = df[df["code"] == indicator]
        if not row.empty:
            return tuple(u for c in ("unit_kk", "unit_ru", "unit_en") if (u := row.iloc[0][c]))
    return ()


def load_mapping(path: Path = MAPPING_FILE) -> pd.DataFrame:
    """The table mapping: title_ru -> indicator, unit and source (see data/mappings/)."""
    return pd.read_csv(path, dtype=str, keep_default_na=False)


def _spec(layout: Layout, options: dict, batch: Batch) -> dict | None:
    """The mapping row for this table (indicator, unit, source...), or None after an error."""
    mapping_path = Path(options.get("mapping") or MAPPING_FILE)
    mapping = load_mapping(mapping_path)
    by_title = mapping[mapping["title_ru"].map(text_key) == text_key(layout.title)]
    indicator = options.get("indicator")
    if indicator:
        rows = mapping[mapping["indicator"] == indicator]
        if len(rows) > 1:
            rows = rows[rows.index.isin(by_title.index)]
        if rows.empty:
            if not options.get("source"):
                batch.error(
                    layout.title_row + 1,
                    "A",
                    f"indicator {indicator!r} is not in {mapping_path.name}; pass its source code",
                )
                return None
            return {
                "indicator": indicator,
                "unit_ru": options.get("unit", ""),
                "source_code": options["source"],
                "parent": "",
            }
    else:
        rows = by_title
    if rows.empty:
        batch.error(
            layout.title_row + 1,
            "A",
            f"no mapping for the title {layout.title!r} in {mapping_path.name}: "
            "pass an indicator or add a row there",
        )
        return None
    if len(rows) > 1:
        batch.error(
            layout.title_row + 1,
            "A",
            f"the title {layout.title!r} matches {len(rows)} rows of {mapping_path.name}",
        )
        return None
    return rows.iloc[0].to_dict()


def _source(spec: dict) -> dict | None:
    if not spec.get("source_title"):
        return None
    return {
        "code": spec["source_code"],
        "title": spec["source_title"],
        "publisher": spec.get("source_publisher") or None,
        "address": spec.get("source_address") or None,
        "copy_address": spec.get("source_copy_address") or None,
        "license": spec.get("license") or None,
        "retrieved": spec.get("retrieved") or None,
        "tier": spec.get("tier") or "A",
        "excerpt": None,
        "note": spec.get("note") or None,
    }


def read_table(path: Path, *, resolver: Resolver, options: dict, fmt: str = FORMAT) -> Batch:
    """Read a one-indicator Bureau table; shared by ``bns-table`` and ``bns-employment``."""
    path = Path(path)
    batch = Batch(file=str(path), format=fmt, checksum=file_checksum(path))
    try:
        sheets = read_sheets(path)
    except Exception as exc:  # an unreadable file is an error of the batch, not a crash
        batch.error(None, None, f"cannot read the file: {exc}")
        return batch
    if fmt == FORMAT and not options.get("indicator") and not options.get("sheet"):
        if not _title_mapped(sheets[0], options):
            topic = read_topic(path, sheets, resolver=resolver, options=options)
            if topic is not None:
                return topic
    sheet = sheets[0]
    if options.get("sheet"):
        sheet = next((s for s in sheets if s.name == options["sheet"]), None)
        if sheet is None:
            batch.error(None, None, f"no sheet named {options['sheet']!r}")
            return batch
    layout = table_layout(sheet)
    if layout is None:
        row, col, text = _bad_year_cell(sheet) or (None, None, None)
        if row is not None:
            batch.error(
                row + 1,
                column_letter(col),
                f"year header {text!r} is not a year (a row of years has this cell)",
            )
        else:
            batch.error(None, None, "not a Bureau table: no title, year row and unit found")
        return batch
    spec = _spec(layout, options, batch)
    if spec is None:
        return batch
    indicator, source = spec["indicator"], spec["source_code"]
    expected_unit = options.get("unit") or spec.get("unit_ru", "")
    units = {norm(expected_unit), *(norm(u) for u in catalogue_units(indicator))}
    if expected_unit and norm(layout.unit) not in units:
        row, col = layout.unit_cell or (layout.title_row + 1, max(layout.years))
        batch.error(
            row + 1,
            column_letter(col),
            f"unit {layout.unit!r} is not {expected_unit!r}, the unit of {indicator}",
        )
        return batch
    if (src := _source(spec)) is not None:
        batch.sources.append(src)
    parent = options.get("parent") or spec.get("parent") or COUNTRY
    notes = footnotes_of(sheet, layout.year_row + 1)

    rows, skipped, seen = [], Counter(), {}
    for r in range(layout.year_row + 1, len(sheet.rows)):
        name = sheet.text(r, 0)
        if not any(classify(sheet.cell(r, c))[0] != "empty" for c in layout.years):
            continue  # blank line or footnote
        if not name:
            batch.error(r + 1, "A", "a row with figures but no territory name")
            continue
        try:
            area = resolve_territory(resolver, name, parent)
        except LookupError as exc:
            batch.error(r + 1, "A", f"territory {name!r}: {exc}")
            continue
        for c, (year, marks) in layout.years.items():
            batch.rows_read += 1
            kind, value = classify(sheet.cell(r, c))
            if kind == "junk":
                batch.error(
                    r + 1,
                    column_letter(c),
                    f"cell {column_letter(c)}{r + 1} ({name}, {year}): "
                    f"{sheet.cell(r, c)!r} is not a number",
                )
                continue
            if kind != "number":
                skipped[kind] += 1
                continue
            if (area, year) in seen:
                batch.error(
                    r + 1, column_letter(c), f"{name} {year} already read at {seen[area, year]}"
                )
                continue
            seen[area, year] = location(sheet, r, c)
            note = "; ".join(notes[m] for m in marks if m in notes) or None
            rows.append(
                {
                    "indicator": indicator,
                    "area": area,
                    "year": year,
                    "value": value,
                    "source": source,
                    "note": note,
                    "location": location(sheet, r, c),
                    "_row": r + 1,
                    "_column": column_letter(c),
                }
            )
    batch.observations = observations_frame(rows)
    for kind, label in (
        ("missing", "'-' (no figure)"),
        ("confidential", "'х' (confidential)"),
        ("empty", "empty"),
    ):
        if skipped[kind]:
            batch.warnings.append(f"{skipped[kind]} {label} cells skipped")
    log.info(
        "%s: %d observations of %s, %d error(s)", path.name, len(rows), indicator, len(batch.errors)
    )
    return batch


def detect(path: Path) -> bool:
    """True for a spreadsheet or CSV whose first sheet has the Bureau's table layout."""
    path = Path(path)
    if not path.is_file() or path.suffix.lower() not in SUFFIXES:
        return False
    try:
        sheets = read_sheets(path)
        layout = table_layout(sheets[0])
        if layout is not None and layout.unit_cell is not None:
            return True
        return is_topic_table(sheets)
    except Exception:
        return False


def is_topic_table(sheets: list[Sheet]) -> bool:
    """True when a sheet has a block mapped in bns_topic_blocks.csv with two or more rows
    naming areas (a district workbook's rows name indicators, not areas)."""
    from etl.areas import default_resolver

    mapping, resolver = load_topic_mapping(), default_resolver()
    for sheet in sheets:
        title = next(
            (str(v).strip() for row in sheet.rows for v in row if v and str(v).strip()), ""
        )
        for block in topic_blocks(sheet):
            if topic_spec(mapping, title, block) is None:
                continue
            named = [r for r in block.rows if resolver.candidates(sheet.text(r, block.label_col))]
            if len(named) >= 2:
                return True
    return False


def _title_mapped(sheet: Sheet, options: dict) -> bool:
    """True when the sheet is a one-indicator table whose title is in bns_tables.csv."""
    layout = table_layout(sheet)
    if layout is None:
        return False
    mapping = load_mapping(Path(options.get("mapping") or MAPPING_FILE))
    return (
        "title_ru" in mapping
        and (mapping["title_ru"].map(text_key) == text_key(layout.title)).any()
    )


def read(path: Path, *, resolver: Resolver, options: dict) -> Batch:
    """Observations of one Bureau table (indicator from options or bns_tables.csv), or of a
    topic table (blocks mapped in bns_topic_blocks.csv)."""
    return read_table(path, resolver=resolver, options=options or {})


# --------------------------------------------------------------------------- topic tables
#
# A topic table (``topic-tables/`` of the regional workbooks: Atyrau's production by section,
# agriculture and retail; Almaty city's; Karagandy's agriculture) is a sheet title, an optional
# unit row, a row of years and then blocks: a block title row («Валовая продукция
# растениеводства», «Хлеб свежий, тонн»; none for the first block, whose title is the sheet's)
# and one row per territory. A regional summary («Динамика основных … показателей») has a unit
# column between the labels and the years; its rows with a unit and figures are the region's own.
# Blocks map to indicators through data/mappings/bns_topic_blocks.csv (sheet title, block title,
# unit); territories resolve within the table's region like the labour-market tables'.

TOPIC_FILE = DATA_DIR / "mappings" / "bns_topic_blocks.csv"
TOPIC_SOURCES_FILE = DATA_DIR / "mappings" / "bns_topic_sources.csv"
# The unit words a block title may end with («Хлеб свежий, тонн», «Электроэнергия, млн.кВт.ч»).
_UNIT_SUFFIX = re.compile(
    r"^\s*(?:тыс\.?|тысяч|млн\.?|млрд\.?)?\s*(?:тонн|литров|кв\.?\s*м\.?|куб\.?\s*м\.?|пар|"
    r"квт\.?\s*ч|гкал|тенге|теңге|человек|голов|штук|единиц|га|%)\s*$",
    re.I,
)
_CONTINUED = re.compile(r"^\s*в\s*(?:т\.\s*ч\.?|том\s+числе)", re.I)


@dataclass
class TopicBlock:
    """One block of a topic table: its title, unit, year columns and rows."""

    title: str
    title_row: int
    unit: str
    years: dict[int, tuple[int, list[str]]]
    label_col: int
    rows: list[int]
    own_row: bool = False  # a summary row with its own unit: the region's figure
    stray: list[int] | None = None  # figure columns on the title row itself


def split_unit(text: str) -> tuple[str, str]:
    """A label and the unit after its last comma: «Хлеб свежий, тонн» -> («Хлеб свежий»,
    «тонн»); («label», "") when the text after the last comma is not a unit."""
    text = re.sub(r"\s+", " ", str(text)).strip()
    if "," in text:
        head, tail = text.rsplit(",", 1)
        if _UNIT_SUFFIX.match(tail):
            return head.strip(), tail.strip()
    return text, ""


def _figure(value: Cell) -> bool:
    return classify(value)[0] in ("number", "missing", "confidential")


def topic_year_row(sheet: Sheet, r: int) -> bool:
    """A row of three or more increasing years right of the labels; other headers in it
    (months of the current year: «2024 январь-март», «декабрь 2019г.») are columns not read."""
    from etl.adapters.bns_employment import _year_cells, plain

    years = _year_cells(sheet, r)
    if len(years) < 3:
        return False
    values = [years[c][0] for c in sorted(years)]
    if any(b <= a for a, b in zip(values, values[1:], strict=False)):
        return False
    filled = [c for c in range(min(years), len(sheet.rows[r])) if plain(sheet.cell(r, c))]
    return len(years) * 2 >= len(filled)


def topic_blocks(sheet: Sheet) -> list[TopicBlock]:
    """Every block of a topic-table sheet, found from its year rows and title rows."""
    from etl.adapters.bns_employment import _label_col, _year_cells, plain

    starts = [r for r in range(len(sheet.rows)) if topic_year_row(sheet, r)]
    blocks: list[TopicBlock] = []
    for i, yr in enumerate(starts):
        years = _year_cells(sheet, yr)
        first = min(years)
        end = starts[i + 1] if i + 1 < len(starts) else len(sheet.rows)
        label_col = _label_col(sheet, yr + 1, end, first)
        texts = Counter(
            c
            for r in range(yr, end)
            for c in range(label_col + 1, first)
            if plain(sheet.cell(r, c)) and not _figure(sheet.cell(r, c))
        )
        unit_col = max(texts, key=lambda c: (texts[c], -c)) if texts else None
        top = blocks[-1].rows[-1] + 1 if blocks and blocks[-1].rows else 0
        title, unit = "", ""
        for r in range(top if i else 0, yr):
            cells = [plain(v) for v in sheet.rows[r] if plain(v)]
            if cells and not title:
                title = cells[0]
            elif cells:
                unit = cells[
                    -1
                ]  # the unit row: its rightmost text («в действующих ценах, млн. тенге»)
        if not title:
            title = plain(sheet.cell(yr, label_col))
        sheet_unit = split_unit(unit)[1] or unit
        block = TopicBlock(title, yr, sheet_unit, years, label_col, [])
        for r in range(yr + 1, end):
            label = plain(sheet.cell(r, label_col))
            figures = [c for c in years if _figure(sheet.cell(r, c))]
            unit_cell = plain(sheet.cell(r, unit_col)) if unit_col is not None else ""
            unit_cell = "" if _figure(sheet.cell(r, unit_col or 0)) else unit_cell
            if not label:
                continue  # a stray row of '...' or an empty line
            if figures and unit_cell:
                blocks.append(block)
                block = TopicBlock(label, r, unit_cell, years, label_col, [r], own_row=True)
                blocks.append(block)
                block = TopicBlock(label, r, unit_cell, years, label_col, [])
                continue
            if figures and not split_unit(label)[1]:
                block.rows.append(r)
                continue
            if _CONTINUED.match(label) and block.rows:
                continue  # «в т.ч. по районам:» continues the block
            blocks.append(block)
            head, suffix = split_unit(label)
            block = TopicBlock(
                head if suffix else label,
                r,
                unit_cell or suffix or sheet_unit,
                years,
                label_col,
                [],
                stray=[c for c in figures if classify(sheet.cell(r, c))[0] == "number"] or None,
            )
        blocks.append(block)
    return [b for b in blocks if b.rows]


def load_topic_mapping(path: Path = TOPIC_FILE) -> list[dict]:
    """The rows of data/mappings/bns_topic_blocks.csv (table_ru, label_ru, unit_ru, indicator)."""
    return pd.read_csv(path, dtype=str, keep_default_na=False).to_dict("records")


def topic_spec(mapping: list[dict], table: str, block: TopicBlock) -> dict | None:
    """The mapping row of a block: its title and unit match, and the sheet title starts with
    the row's ``table_ru`` when it gives one (the most specific row wins)."""
    key, unit, table_key = text_key(block.title), norm(block.unit), text_key(table)
    rows = [
        m
        for m in mapping
        if text_key(m["label_ru"]) == key
        and norm(m["unit_ru"]) == unit
        and table_key.startswith(text_key(m["table_ru"]))
    ]
    return max(rows, key=lambda m: len(m["table_ru"])) if rows else None


def _topic_source(region: str, path: Path, titles: list[str]) -> dict:
    from etl.adapters.bns_district_workbook import LICENSE, PUBLISHER

    table = pd.read_csv(TOPIC_SOURCES_FILE, dtype=str, keep_default_na=False)
    known = table[(table["region"] == region) & (table["file"] == path.name)]
    note = "Topic table by territory" + (f", titled «{titles[0]}»" if titles else "") + "."
    if known.empty:
        return {
            "code": f"bns-topic-{region}-{norm(path.stem)}",
            "title": titles[0] if titles else path.name,
            "publisher": PUBLISHER,
            "address": None,
            "license": LICENSE,
            "retrieved": path.name,
            "tier": "A",
            "excerpt": None,
            "note": note + f" Not in {TOPIC_SOURCES_FILE.name}: no address recorded.",
        }
    row = known.iloc[0]
    return {
        "code": row["code"],
        "title": row["title"],
        "publisher": PUBLISHER,
        "address": row["address"],
        "copy_address": row.get("copy_address") or None,
        "license": LICENSE,
        "retrieved": row["retrieved"],
        "tier": "A",
        "excerpt": None,
        "note": row["note"] or note,
    }


def _by_territory(
    sheet: Sheet, block: TopicBlock, areas: dict[str, str], skipped: dict[str, str]
) -> bool:
    """A block lists territories when one of its labels is a territory (the others must be)."""
    from etl.adapters.bns_employment import plain

    return any(plain(sheet.cell(r, block.label_col)) in {**areas, **skipped} for r in block.rows)


def read_topic(
    path: Path, sheets: list[Sheet], *, resolver: Resolver, options: dict
) -> Batch | None:
    """Observations of every mapped block of a topic table; None when no block is mapped (not a
    topic table)."""
    from etl.adapters.bns_district_workbook import _TIMES, skip_reason
    from etl.adapters.bns_employment import (
        _variants,
        detect_region,
        plain,
        resolve_labels,
        split_regions,
    )

    def _times(value: Cell) -> str | None:
        if _TIMES.match(plain(value)):
            return "times the previous year («2,8 раза»), not a per-cent figure:"
        return None

    from etl.adapters.bns_employment import (
        footnotes_of as sheet_footnotes,
    )

    mapping = load_topic_mapping(Path(options.get("mapping") or TOPIC_FILE))
    found = []
    for sheet in sheets:
        blocks = topic_blocks(sheet)
        title = next((plain(v) for row in sheet.rows for v in row if plain(v)), "")
        found.append((sheet, title, blocks))
    if not any(topic_spec(mapping, t, b) for _, t, bl in found for b in bl):
        return None
    batch = Batch(file=str(path), format=FORMAT, checksum=file_checksum(path))
    labels = list(
        dict.fromkeys(
            plain(s.cell(r, b.label_col)) for s, _, bl in found for b in bl for r in b.rows
        )
    )
    splits = split_regions(resolver)
    region = options.get("parent") or detect_region(labels, resolver, splits)
    if region is None:
        batch.error(None, None, "cannot tell whose table this is; pass a parent (--parent)")
        return batch
    source = _topic_source(region, path, [t for _, t, _ in found if t])
    batch.sources.append(source)
    skipped = {
        lab: why
        for lab in labels
        if (why := next((w for v in _variants(lab) if (w := skip_reason(v, region))), None))
    }
    areas, remarks, errors = resolve_labels(
        [lab for lab in labels if lab not in skipped], region, resolver, splits
    )
    rows: list[dict] = []
    seen: dict[tuple, str] = {}
    tally: Counter = Counter()
    unmapped: Counter = Counter()
    for sheet, title, blocks in found:
        notes = sheet_footnotes(sheet)
        report = {
            "source": source["code"],
            "region": region,
            "file": path.name,
            "sheet": sheet.name,
            "area": region,
            "status": "loaded",
            "reason": None,
            "address": None,
            "observations": 0,
            "unmapped": 0,
        }
        batch.sheet_reports.append(report)
        if not blocks:
            report.update(status="skipped", reason="no row of years: a title page")
            continue
        count = len(rows)
        for block in blocks:
            if block.stray:
                cells = ", ".join(f"{column_letter(c)}{block.title_row + 1}" for c in block.stray)
                batch.warnings.append(
                    f"{location(sheet, block.title_row, block.label_col)}: figures on the title "
                    f"row of «{block.title}» not read ({cells})"
                )
            spec = topic_spec(mapping, title, block)
            own = block.own_row or not _by_territory(sheet, block, areas, skipped)
            if spec is None or (own and not block.own_row):
                why = "not by territory" if spec else f"not in {TOPIC_FILE.name}"
                unmapped[f"«{block.title}» ({block.unit or 'no unit'}): {why}"] += len(block.rows)
                report["unmapped"] += len(block.rows)
                continue
            for r in block.rows:
                label = plain(sheet.cell(r, block.label_col))
                if block.own_row:
                    area = region
                elif label in skipped:
                    tally[f"«{label}» ({skipped[label]})"] += 1
                    continue
                elif label in errors:
                    batch.error(
                        r + 1,
                        column_letter(block.label_col),
                        f"{path.name}, sheet «{sheet.name}», row {r + 1}: {errors[label]}",
                    )
                    continue
                else:
                    area = areas[label]
                for c, (year, marks) in block.years.items():
                    value = territory_figure(
                        batch, sheet, r, c, label, year, area, resolver, tally, _times
                    )
                    if value is None:
                        continue
                    key = (spec["indicator"], area, year)
                    if key in seen:
                        batch.error(
                            r + 1, column_letter(c), f"{label} {year} already read at {seen[key]}"
                        )
                        continue
                    seen[key] = location(sheet, r, c)
                    texts = [notes[m] for m in marks if m in notes]
                    texts += [t for t in (spec.get("note"), remarks.get(label)) if t]
                    rows.append(
                        {
                            "indicator": spec["indicator"],
                            "area": area,
                            "year": year,
                            "value": value,
                            "source": source["code"],
                            "note": "; ".join(dict.fromkeys(texts)) or None,
                            "location": location(sheet, r, c),
                            "_row": r + 1,
                            "_column": column_letter(c),
                        }
                    )
        report["observations"] = len(rows) - count
        last = max(c for b in blocks for c in b.years)
        report["address"] = f"{sheet.name}!A1:{column_letter(last)}{len(sheet.rows)}"
    batch.observations = observations_frame(rows)
    batch.rows_read = len(rows)
    for what, n in sorted(tally.items()):
        label = {"missing": "'-' (no figure) cells", "confidential": "'х' (confidential) cells"}
        batch.warnings.append(f"{n} {label.get(what, what)} skipped")
    for what, n in sorted(unmapped.items()):
        batch.warnings.append(f"block {what}: {n} rows not read")
    for label, remark in sorted(remarks.items()):
        batch.warnings.append(f"«{label}» is {remark}")
    log.info("%s: %d observations, %d error(s)", path.name, len(rows), len(batch.errors))
    return batch
