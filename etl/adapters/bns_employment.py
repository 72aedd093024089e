"""The Bureau's labour-market tables by district (format ``bns-employment``).

Every region publishes «Основные индикаторы рынка труда по районам …» (labour force survey): one
sheet of blocks down the rows, one block per indicator («Рабочая сила», «Занятое население»,
«Наемные работники», «Безработное население», «Уровень безработицы», …), each a title row, an
optional unit row («тыс.человек», «человек», «процент»), a year row and one row per territory
(the region's total, its cities and districts). Kyzylorda's «Занятое население» table is the
same thing with one block. Nothing about a particular file is written in code:

* a block starts at a **year row** (two or more years right of the label column: ``2014``,
  ``'2015 год4)'``, ``'2015 год²⁾'``); a row under it naming periods («год», «I квартал», «1 кв.»)
  makes the columns annual or quarterly. Annual figures are the indicator's main series,
  quarterly ones the series ``Q1``..``Q4``; the two are never mixed;
* the block's **title** is the nearest text above the year row that is not a unit, and its
  **unit** a unit cell between the title and the year row (spellings in
  ``data/mappings/bns_units.csv``). A block that states no unit takes the unit stated above it on
  the sheet (a table's unit is printed once at its top); a rate («Уровень безработицы») needs none;
  a count block on a sheet that states no unit at all is skipped and reported;
* which indicator a block is comes from ``data/mappings/bns_employment_blocks.csv``
  (``label_ru,unit_ru,indicator,unit_optional,note``), matched on the title and unit; blocks
  not in it are skipped and counted per title in the warnings;
* the **territory** of a row is its label resolved through ``data/area_aliases.csv`` within the
  table's region (``options["parent"]``, else the region a territory row names, else the region
  most labels resolve in), or within an oblast created in 2022 from it (``data/area_successors.csv``:
  Taldykorgan in Almaty oblast's table is stored under its current code), or a city of republican
  significance («г.Шымкент» in Turkistan's table). Monotowns and «вне районов» rows are skipped
  and reported; a label that resolves to nothing stops the load naming the file, sheet, row and
  the nearest known names. A region's total in years before the region existed (Turkistan
  oblast before 2018: the footnote says South Kazakhstan's figures) is not loaded and reported.

Footnote marks on titles and year headers become the note of the figures they mark; the source of
each region's table is in ``data/mappings/bns_employment_sources.csv`` (its stat.gov.kz address).
"""

from __future__ import annotations

import difflib
import logging
import re
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from config import DATA_DIR
from etl.adapters.bns_district_workbook import LICENSE, PUBLISHER, skip_reason
from etl.adapters.bns_table import (
    Sheet,
    column_letter,
    location,
    read_sheets,
    strip_footnotes,
    territory_figure,
    text_key,
)
from etl.areas import AmbiguousArea, Resolver, norm
from etl.batch import Batch, file_checksum, observations_frame

FORMAT = "bns-employment"
EXPECTS = "a Bureau labour-market table by district (.xls, .xlsx), one or more indicator blocks"
COUNTRY = "000000000"
BLOCKS_FILE = DATA_DIR / "mappings" / "bns_employment_blocks.csv"
UNITS_FILE = DATA_DIR / "mappings" / "bns_units.csv"
SOURCES_FILE = DATA_DIR / "mappings" / "bns_employment_sources.csv"
SUCCESSORS_FILE = DATA_DIR / "area_successors.csv"

log = logging.getLogger(__name__)

_SUPERSCRIPTS = str.maketrans("⁰¹²³⁴⁵⁶⁷⁸⁹⁾", "0123456789)")
_YEAR = re.compile(r"^\s*((?:19|20)\d\d)\s*,?\s*(?:года|год|г\.?)?\s*((?:\d{1,2}\)\s*)*)$", re.I)
_QUARTER = re.compile(r"^\s*(I{1,3}|IV|[1-4])\s*(?:-?\s*й)?\s*(?:квартал|кв)\.?", re.I)
_ANNUAL = re.compile(r"^\s*(?:год|жыл|year)\b", re.I)
_FOOTNOTE_LINE = re.compile(r"^\s*(\d{1,2})\)\s*(.*\S)", re.S)
_NOT_TITLES = ("наименование", "продолжение")  # header and continuation cells, not titles
_ROMAN = {"I": 1, "II": 2, "III": 3, "IV": 4}
_CITY_ADMIN = re.compile(r"(?<![^\W\d_])(?:г\.\s*а|қ\.\s*ә)\.?(?![^\W\d_])", re.I)


def plain(value: object) -> str:
    """A cell's text with superscript footnote marks made ordinary («³⁾» -> «3)»)."""
    return "" if value is None else str(value).translate(_SUPERSCRIPTS).strip()


def parse_year(value: object) -> tuple[int, list[str]] | None:
    """A year header: 2016.0 -> (2016, []); '2015 год4)' / '2015 год²⁾' -> (2015, ['4'])."""
    if isinstance(value, float):
        return (int(value), []) if value.is_integer() and 1900 <= value <= 2100 else None
    m = _YEAR.match(plain(value)) if isinstance(value, str) else None
    return (int(m.group(1)), re.findall(r"\d{1,2}", m.group(2))) if m else None


def parse_period(value: object) -> str | None:
    """A period header under a year: «год» -> "" (annual), «II квартал» / «2 кв.» -> "Q2"."""
    text = plain(value)
    if _ANNUAL.match(text):
        return ""
    if m := _QUARTER.match(text):
        q = m.group(1).upper()
        return f"Q{_ROMAN.get(q, q)}"
    return None


# --------------------------------------------------------------------------- mappings


def load_units(path: Path = UNITS_FILE) -> dict[str, str]:
    """{normalised spelling: unit_ru} from data/mappings/bns_units.csv."""
    table = pd.read_csv(path, dtype=str, keep_default_na=False)
    return {norm(r.spelling): r.unit_ru for r in table.itertuples(index=False)}


def load_blocks(path: Path = BLOCKS_FILE) -> dict[tuple[str, str], dict]:
    """{(title key, unit_ru): mapping row} from data/mappings/bns_employment_blocks.csv."""
    table = pd.read_csv(path, dtype=str, keep_default_na=False)
    return {(text_key(r["label_ru"]), r["unit_ru"]): r for r in table.to_dict("records")}


def region_sources(path: Path = SOURCES_FILE) -> dict[str, dict]:
    """{region KATO: source fields} from data/mappings/bns_employment_sources.csv."""
    table = pd.read_csv(path, dtype=str, keep_default_na=False)
    return {r["region"]: r for r in table.to_dict("records")}


def split_regions(resolver: Resolver, path: Path = SUCCESSORS_FILE) -> dict[str, set[str]]:
    """{region: regions that took units from it} from data/area_successors.csv."""
    out: dict[str, set[str]] = {}
    if not path.exists():
        return out
    table = pd.read_csv(path, dtype=str, keep_default_na=False)
    for r in table.itertuples(index=False):
        old, new = resolver.region_of(r.predecessor), resolver.region_of(r.successor)
        if old and new and old != new:
            out.setdefault(old, set()).add(new)
    return out


# --------------------------------------------------------------------------- layout


@dataclass
class Block:
    """One indicator block of a sheet."""

    title: str
    title_cell: tuple[int, int]
    unit: str | None  # unit_ru, None when the block states none
    unit_cell: tuple[int, int] | None
    year_row: int
    columns: dict[int, tuple[int, str, list[str]]]  # column -> (year, series, footnote marks)
    label_col: int
    rows: list[int]  # territory rows (label and at least one value cell)


def _year_cells(sheet: Sheet, r: int) -> dict[int, tuple[int, list[str]]]:
    return {c: y for c, v in enumerate(sheet.rows[r]) if c > 0 and (y := parse_year(v))}


def _is_year_row(sheet: Sheet, r: int) -> bool:
    years = _year_cells(sheet, r)
    if len(years) < 2:
        return False
    texts = [c for c in range(min(years), len(sheet.rows[r])) if plain(sheet.cell(r, c))]
    return all(c in years for c in texts)


def _columns(sheet: Sheet, r: int) -> tuple[dict[int, tuple[int, str, list[str]]], int]:
    """The value columns of a year row and the first row after the header."""
    years = _year_cells(sheet, r)
    below = r + 1
    cells = sheet.rows[below] if below < len(sheet.rows) else []
    periods = {c: p for c, v in enumerate(cells) if c > 0 and (p := parse_period(v)) is not None}
    if not periods:
        return {c: (y, "", marks) for c, (y, marks) in years.items()}, below
    cols = {}
    for c, series in periods.items():
        left = [k for k in years if k <= c]
        if left:  # a merged year cell spans its quarters
            year, marks = years[max(left)]
            marks = marks + re.findall(r"\d{1,2}(?=\))", plain(sheet.cell(below, c)))
            cols[c] = (year, series, marks)
    return cols, below + 1


def _label_col(sheet: Sheet, start: int, end: int, first: int) -> int:
    counts = Counter(
        c
        for r in range(start, end)
        for c in range(first)
        if re.search(r"[^\W\d_]", plain(sheet.cell(r, c)))
    )
    return max(counts, key=lambda c: (counts[c], -c)) if counts else 0


def find_blocks(sheet: Sheet, units: dict[str, str]) -> list[Block]:
    """Every block of a sheet: title, unit, year columns and territory rows."""
    starts = [r for r in range(len(sheet.rows)) if _is_year_row(sheet, r)]
    blocks: list[Block] = []
    for i, r in enumerate(starts):
        cols, first_data = _columns(sheet, r)
        if not cols:
            continue
        end = starts[i + 1] if i + 1 < len(starts) else len(sheet.rows)
        top = blocks[-1].rows[-1] + 1 if blocks and blocks[-1].rows else 0
        title, title_cell, unit, unit_cell = "", None, None, None
        for t in range(r - 1, top - 1, -1):
            for c in range(len(sheet.rows[t])):
                text = plain(sheet.cell(t, c))
                if not text:
                    continue
                if norm(text) in units and unit is None:
                    unit, unit_cell = units[norm(text)], (t, c)
                elif title_cell is None and re.search(r"[^\W\d_]{4}", text):
                    if not text_key(text).startswith(_NOT_TITLES):
                        title, title_cell = text.splitlines()[0].strip(), (t, c)
            if title_cell is not None:
                break
        label_col = _label_col(sheet, first_data, end, min(cols))
        rows = []
        for d in range(first_data, end):
            if _FOOTNOTE_LINE.match(plain(sheet.cell(d, label_col))) and not any(
                plain(sheet.cell(d, c)) for c in cols
            ):
                break
            if plain(sheet.cell(d, label_col)) and any(plain(sheet.cell(d, c)) for c in cols):
                rows.append(d)
        if title_cell is None:
            title_cell = (r, label_col)
        blocks.append(Block(title, title_cell, unit, unit_cell, r, cols, label_col, rows))
    return blocks


def footnotes_of(sheet: Sheet) -> dict[str, str]:
    """Footnote lines of a sheet ({'3': '3) Без г.Байконыр'}): a mark and text, no figures."""
    notes = {}
    for r in range(len(sheet.rows)):
        cells = [plain(v) for v in sheet.rows[r] if plain(v)]
        if len(cells) == 1 and (m := _FOOTNOTE_LINE.match(cells[0])):
            notes.setdefault(m.group(1), re.sub(r"\s+", " ", f"{m.group(1)}) {m.group(2)}"))
    return notes


# --------------------------------------------------------------------------- territories


def _is_region(resolver: Resolver, kato: str) -> bool:
    return resolver.parent_of.get(kato) == COUNTRY


def detect_region(
    labels: list[str], resolver: Resolver, splits: dict[str, set[str]] | None = None
) -> str | None:
    """The region a table covers: the first label naming a current region, else the current
    region most labels resolve within, counting the units it handed over in 2022 to an oblast
    created from it (Almaty oblast's table lists Taldykorgan); None if none leads."""
    for label in labels:
        regions = {
            k
            for v in _variants(label)
            for k in resolver.candidates(v)
            if _is_region(resolver, k) and resolver.is_current(k)
        }
        if len(regions) == 1 and not _inside(resolver, label, next(iter(regions)))[1:]:
            return regions.pop()
    votes: Counter = Counter()
    for label in labels:
        found = {
            resolver.region_of(k)
            for v in _variants(label)
            for k in resolver.candidates(v)
            if resolver.is_current(k)
        }
        votes.update(r for r in found if r)
    splits = splits or {}
    score = {r: (n + sum(votes[s] for s in splits.get(r, ())), n) for r, n in votes.items()}
    ranked = sorted(score.items(), key=lambda kv: kv[1], reverse=True)[:2]
    if not ranked or (len(ranked) > 1 and ranked[0][1] == ranked[1][1]):
        return None
    return ranked[0][0]


_CITY_WORD = re.compile(r"^(?:город|г\.)\s*(.+)$|^(.+?)\s+(?:қ\.|қаласы|г\.\s*а\.?)$", re.I)
_DISTRICT_WORD = re.compile(r"^район\s+(.+)$", re.I)
_REGION_WORD = re.compile(r"^область\s+(.+)$", re.I)


def _variants(label: str) -> list[str]:
    """The spellings a territory label may be listed under: «г.а. Кокшетау» also as
    «Кокшетау» and «г. Кокшетау», «город Семей» as «г. Семей», «Балқаш қ.» as «Балқаш
    қаласы», «район Ақсуат» as «Ақсуат», «Область Жетісу» as «Жетісу облысы»."""
    label = re.sub(r"\s+", " ", label).strip()
    out = [label]
    bare = _CITY_ADMIN.sub(" ", label).strip()
    if m := _CITY_WORD.match(bare):
        bare = (m.group(1) or m.group(2)).strip()
    if bare != label:
        out += [bare, f"г. {bare}", f"{bare} қаласы"]
    if m := _DISTRICT_WORD.match(label):
        out += [m.group(1), f"{m.group(1)} район", f"{m.group(1)} ауданы"]
    if m := _REGION_WORD.match(label):
        out += [f"{m.group(1)} облысы", f"{m.group(1)} область"]
    return list(dict.fromkeys(out))


def _inside(resolver: Resolver, label: str, root: str) -> list[str]:
    return sorted(
        {
            k
            for v in _variants(label)
            for k in resolver.candidates(v)
            if k == root or root in resolver.ancestors(k)
        }
    )


def resolve_labels(
    labels: list[str], region: str, resolver: Resolver, splits: dict[str, set[str]]
) -> tuple[dict[str, str], dict[str, str], dict[str, str]]:
    """Resolve a table's territory labels: ({label: KATO}, {label: remark}, {label: error})."""
    found: dict[str, str] = {}
    remarks: dict[str, str] = {}
    errors: dict[str, str] = {}
    pending: dict[str, list[str]] = {}
    for label in labels:
        inside = _inside(resolver, label, region)
        if len(inside) > 1:
            current = [k for k in inside if resolver.is_current(k)]
            inside = current or inside
        if _CITY_ADMIN.search(label):
            # a city administration is a city: «Атырау қ.ә.» beside «Атырау» (the oblast's total)
            inside = [k for k in inside if resolver.level_of.get(k) == "city"]
        if len(inside) == 1:
            found[label] = inside[0]
            continue
        if inside:
            pending[label] = inside
            continue
        for other in sorted(splits.get(region, ())):
            moved = [k for k in _inside(resolver, label, other) if resolver.is_current(k)]
            if len(moved) == 1:
                found[label] = moved[0]
                remarks[label] = f"part of {other} since 2022: stored under its current code"
                break
        else:
            cities = [
                k
                for v in _variants(label)
                for k in resolver.candidates(v)
                if _is_region(resolver, k) and resolver.level_of.get(k) == "city" and k != region
            ]
            if len(set(cities)) == 1:
                found[label] = cities[0]
                remarks[label] = f"a city of republican significance ({cities[0]})"
            else:
                near = difflib.get_close_matches(
                    norm(label), resolver.keys_within(region), n=3, cutoff=0.5
                )
                hint = f"; nearest known names: {', '.join(near)}" if near else ""
                errors[label] = f"unknown area {label!r} in {region}{hint}"
    taken = set(found.values())
    for label, inside in pending.items():
        # «Абай» heading Abay oblast's table is the oblast: its district has a row of its own.
        free = [k for k in inside if k not in taken]
        if len(free) == 1:
            found[label] = free[0]
        else:
            errors[label] = str(
                AmbiguousArea(f"area {label!r} is ambiguous in {region}: {', '.join(inside)}")
            )
    return found, remarks, errors


# --------------------------------------------------------------------------- reading


def _source(region: str, path: Path, blocks: int) -> dict:
    known = region_sources().get(region)
    note = (
        f"«Основные индикаторы рынка труда» by district: {blocks} blocks (labour force survey). "
        "Footnotes at the bottom of the sheet."
    )
    if known is None:
        return {
            "code": f"bns-employment-{region}",
            "title": path.name,
            "publisher": PUBLISHER,
            "address": None,
            "license": LICENSE,
            "retrieved": path.name,
            "tier": "A",
            "excerpt": None,
            "note": note + f" Region {region} is not in {SOURCES_FILE.name}: no address recorded.",
        }
    return {
        "code": known["code"],
        "title": known["title"],
        "publisher": PUBLISHER,
        "address": known["address"],
        "copy_address": known.get("copy_address") or None,
        "license": LICENSE,
        "retrieved": known["retrieved"],
        "tier": "A",
        "excerpt": None,
        "note": (known.get("note") or note),
    }


def detect(path: Path) -> bool:
    """True for a spreadsheet whose first block on a sheet is a mapped labour-market block
    (a district workbook's first block is its general title, never one of these)."""
    path = Path(path)
    if not path.is_file() or path.suffix.lower() not in (".xls", ".xlsx"):
        return False
    try:
        titles = {k[0] for k in load_blocks()}
        units = load_units()
        for sheet in read_sheets(path):
            blocks = find_blocks(sheet, units)
            if blocks and text_key(plain(blocks[0].title)) in titles:
                return True
        return False
    except Exception:
        return False


def read(path: Path, *, resolver: Resolver, options: dict) -> Batch:
    """Observations of every mapped block of a labour-market table by district."""
    options = options or {}
    path = Path(path)
    batch = Batch(file=str(path), format=FORMAT, checksum=file_checksum(path))
    try:
        sheets = read_sheets(path)
    except Exception as exc:
        batch.error(None, None, f"cannot read the file: {exc}")
        return batch
    units, mapping = load_units(), load_blocks(Path(options.get("mapping") or BLOCKS_FILE))
    found = [(s, find_blocks(s, units)) for s in sheets]
    found = [(s, bl) for s, bl in found if bl]
    if not found:
        batch.error(None, None, "no block with a row of years found")
        return batch
    labels = list(
        dict.fromkeys(plain(s.cell(r, b.label_col)) for s, bl in found for b in bl for r in b.rows)
    )
    splits = split_regions(resolver)
    region = options.get("parent") or detect_region(labels, resolver, splits)
    if region is None:
        batch.error(None, None, "cannot tell whose table this is; pass a parent (--parent)")
        return batch
    source = _source(region, path, sum(len(bl) for _, bl in found))
    batch.sources.append(source)
    skipped_labels = {
        lab: why
        for lab in labels
        if (why := next((w for v in _variants(lab) if (w := skip_reason(v, region))), None))
    }
    areas, remarks, errors = resolve_labels(
        [lab for lab in labels if lab not in skipped_labels], region, resolver, splits
    )
    rows: list[dict] = []
    seen: dict[tuple, str] = {}
    tally: Counter = Counter()
    unmapped: Counter = Counter()
    for sheet, blocks in found:
        notes = footnotes_of(sheet)
        sheet_unit = None
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
        for block in blocks:
            if block.unit is not None:
                sheet_unit = block.unit
            title = strip_footnotes(plain(block.title))
            marks = re.findall(r"(?<!\d)(\d{1,2})\)", plain(block.title))
            spec = _spec(mapping, block, sheet_unit)
            if spec is None:
                unit = block.unit or sheet_unit
                why = (
                    f"not in {BLOCKS_FILE.name}"
                    if unit or not any(k == text_key(title) for k, _ in mapping)
                    else "the table states no unit for it"
                )
                unmapped[f"«{title}» ({unit or 'no unit'}): {why}"] += len(block.rows)
                report["unmapped"] += len(block.rows)
                continue
            spec, unit_note = spec
            for r in block.rows:
                label = plain(sheet.cell(r, block.label_col))
                if label in skipped_labels:
                    tally[f"«{label}» ({skipped_labels[label]})"] += 1
                    continue
                if label in errors:
                    batch.error(
                        r + 1,
                        column_letter(block.label_col),
                        f"{path.name}, sheet «{sheet.name}», row {r + 1}: {errors[label]}",
                    )
                    continue
                area = areas[label]
                for c, (year, series, year_marks) in block.columns.items():
                    value = territory_figure(batch, sheet, r, c, label, year, area, resolver, tally)
                    if value is None:
                        continue
                    key = (spec["indicator"], area, year, series)
                    if key in seen:
                        batch.error(
                            r + 1,
                            column_letter(c),
                            f"{label} {year} {series or 'annual'} already read at {seen[key]}",
                        )
                        continue
                    seen[key] = location(sheet, r, c)
                    texts = [notes[m] for m in marks + year_marks if m in notes]
                    texts += [t for t in (unit_note, remarks.get(label)) if t]
                    rows.append(
                        {
                            "indicator": spec["indicator"],
                            "area": area,
                            "year": year,
                            "series": series,
                            "value": value,
                            "source": source["code"],
                            "note": "; ".join(dict.fromkeys(texts)) or None,
                            "location": location(sheet, r, c),
                            "_row": r + 1,
                            "_column": column_letter(c),
                        }
                    )
        report["observations"] = sum(
            1 for o in rows if o["location"].startswith(f"sheet «{sheet.name}»")
        )
        report["address"] = (
            f"{sheet.name}!A1:{column_letter(max(max(b.columns) for b in blocks))}{len(sheet.rows)}"
        )
    batch.observations = observations_frame(rows)
    batch.rows_read = len(rows)
    for what, n in sorted(tally.items()):
        label = {"missing": "'-' (no figure) cells", "confidential": "'х' (confidential) cells"}
        batch.warnings.append(
            f"{n} {label.get(what, what + ' cells' if what == 'empty' else what)} skipped"
        )
    for what, n in sorted(unmapped.items()):
        batch.warnings.append(f"block {what}: {n} rows not read")
    for label, remark in sorted(remarks.items()):
        batch.warnings.append(f"«{label}» is {remark}")
    log.info("%s: %d observations, %d error(s)", path.name, len(rows), len(batch.errors))
    return batch


def _spec(mapping: dict, block: Block, sheet_unit: str | None) -> tuple[dict, str | None] | None:
    """The mapping row of a block and a note when its unit was not stated in the block."""
    key = text_key(plain(block.title))
    if block.unit is not None:
        spec = mapping.get((key, block.unit))
        return (spec, None) if spec else None
    rows = [v for (k, _), v in mapping.items() if k == key]
    implied = [v for v in rows if v["unit_optional"]]
    if len(implied) == 1:
        return implied[0], None
    if sheet_unit is not None and (spec := mapping.get((key, sheet_unit))):
        return spec, f"unit «{sheet_unit}» as stated once at the top of the table"
    return None
