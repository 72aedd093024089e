"""The Bureau's regional district workbooks, «All» (format ``bns-district-workbook``).

Every region publishes «Основные (социально-экономические) показатели …» as one workbook with
one sheet per district, city administration («г.а.»), monotown or oblast total, years across the
columns and indicator rows down the sheet. The layouts differ by region; three families are read
without anything about a particular file in code:

* a title row, a year row, section rows and indicator rows, the unit in the label
  («…, тыс. человек») or on the rows below it (Kyzylorda, Akmola, Pavlodar, Turkistan, ...);
* «Динамика основных показателей …» with a «Показатели» header cell on the year row
  (East Kazakhstan, Karagandy, Abay);
* a numbered table, «№ п/п» and a column of row numbers before the labels (Almaty, Astana,
  Shymkent, Zhetisu).

The year row is the first row holding two or more increasing years (``1991``, ``'2023'``,
``'202411)'`` with footnote 11, ``'2023**'``, «Январь-декабрь 2024 года15)»); the label column is
the column left of the first year with the most text below. A label row either holds its own
figures or heads the rows under it (units such as «тыс. человек», or items such as «лошади»).

Which rows are read, and as which indicator, comes from ``data/mappings/bns_district_rows.csv``
(``label_ru,unit_ru,indicator,is_index,note,scale,scope``): ``label_ru`` is the label (or group)
row and ``unit_ru`` the unit (or item) row under it, or the unit after the label's last comma;
empty when the label row holds the figures. Labels are matched after
:func:`~etl.adapters.bns_table.text_key`. ``scale`` restates a figure in the indicator's unit
(1000 for a row in thousand persons of an indicator in persons; status ``derived``); ``scope``
limits a row to one oblast (a sheet-specific mislabelling). Rows with figures that are not mapped
are counted per label in the warnings.

The region (the oblast or city whose workbook it is) is ``options["parent"]`` or else the one
current region within which most sheet names resolve (data/area_aliases.csv); sheet names are
then resolved within that region only, so «Алматы» in Astana's workbook is Astana's district.
A sheet named after a city of republican significance that resolves nowhere in the region
(«г.Шымкент» in Turkistan's workbook, split out in 2018) is that city. Monotown sheets,
«вне районов» and unnamed sheets («Лист5») are skipped and reported; a sheet named after the
region itself is the region's total, and the districts' sums are compared with it (differences
above 1% are warnings); a workbook without such a sheet gets the region's totals as the derived
sum of its units (:mod:`etl.adapters.bns_oblast_sums`). A sheet that resolves to nothing is an
error naming the nearest names.

Cells: "-" and "…" are no figure, "х" is confidential, a cell holding only a footnote mark
("1)") has no figure (all skipped and counted); numbers may be stored as text ("1 280",
"6,69"); a footnote number may be glued on ("1,613)" is 1,6 with footnote 13, see
:func:`split_footnote`) and so may asterisks ("14,4**"); index rows may say "2,3 раза"
(restated as 230 %, status ``derived``).
"""

from __future__ import annotations

import difflib
import logging
import math
import re
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from config import DATA_DIR
from etl.adapters.bns_oblast_sums import region_sums
from etl.adapters.bns_table import (
    Sheet,
    classify,
    column_letter,
    is_topic_table,
    location,
    number_text,
    read_sheets,
    text_key,
)
from etl.areas import AmbiguousArea, Resolver, norm
from etl.batch import Batch, clean_number, file_checksum, observations_frame

FORMAT = "bns-district-workbook"
EXPECTS = "a Bureau regional workbook (.xls/.xlsx) with a sheet per district"
COUNTRY = "000000000"
MAPPING_FILE = DATA_DIR / "mappings" / "bns_district_rows.csv"
SOURCES_FILE = DATA_DIR / "mappings" / "bns_regional_sources.csv"
SHEETS_FILE = DATA_DIR / "mappings" / "bns_district_sheets.csv"
INDICATOR_DIR = DATA_DIR / "indicators"
PUBLISHER = (
    "Бюро национальной статистики Агентства по стратегическому планированию и реформам "
    "Республики Казахстан (stat.gov.kz)"
)
LICENSE = (
    "No license file in the copy's repository; official government statistics, "
    "cite the Bureau of National Statistics"
)
TOTAL_TOLERANCE = 0.01  # districts summing to more than 1% off the oblast total are reported
# Sheets that are not areas of their own, whatever the region: (pattern, reason).
SKIP_SHEETS = (
    (
        re.compile(r"моног", re.I),
        "monotown: part of a city administration, not an area of its own",
    ),
    (re.compile(r"вне\s*район", re.I), "outside the districts: not an area of its own"),
    (re.compile(r"^\s*(лист|sheet|парақ)\s*\d*\s*$", re.I), "an unnamed sheet, not an area"),
)

log = logging.getLogger(__name__)

_TIMES = re.compile(r"^(?:в\s*)?(\d+(?:[.,]\d+)?)\s*(?:раза|раз|есе|р)\.?$", re.I)
_YEAR_CELL = re.compile(
    r"^\s*(?:январь\s*-\s*декабрь\s*)?((?:19|20)\d\d)\s*(?:года|год|г\.?)?\s*"
    r"((?:\d{1,2}\))*)\s*(\**)\s*$",
    re.I,
)
_FOOTNOTE_ONLY = re.compile(r"^\d{1,2}\)$")
_NO_FIGURE = re.compile(r"^(?:[-–—]|[.…]+)\s*(?:\d{1,2}\))?$")  # '-', '…', '....', ' - 7)'
_MORE_MARKS = re.compile(r"^(.*\d{1,2}\))((?:\d{1,2}\))+)$")  # '936,9511)12)'
_TRAILING_COMMA = re.compile(r"^([+-]?[\d\s]+(?:,\d+)?),$")  # '152,2,'

_STARS = re.compile(r"^(.*?)\s*(\*+)$")
_FOOTNOTE_LINE = re.compile(r"^\s*(\d{1,2}\)|\*+)\s*(.*\S)", re.S)


@dataclass(frozen=True)
class Rule:
    """One mapped row: the indicator, whether it is an index, a note, a scale and a scope."""

    label_ru: str
    unit_ru: str
    indicator: str
    is_index: bool
    note: str | None
    scale: float | None = None
    scope: str = ""


@dataclass
class Rules:
    """The row mapping, looked up by (label key, unit key) within a region."""

    by_key: dict[tuple[str, str, str], Rule]

    def get(self, label: str | None, unit: str, region: str) -> Rule | None:
        if label is None:
            return None
        return self.by_key.get((label, unit, region)) or self.by_key.get((label, unit, ""))

    @property
    def headings(self) -> set[str]:
        return {label for label, unit, _ in self.by_key if unit}

    @property
    def indicators(self) -> set[str]:
        return {r.indicator for r in self.by_key.values()}


@dataclass
class Tally:
    """What was skipped or adjusted while reading, for the batch's warnings."""

    counts: Counter = field(default_factory=Counter)
    confidential: list[str] = field(default_factory=list)
    shifted: list[str] = field(default_factory=list)
    unmapped: Counter = field(default_factory=Counter)
    inconsistent: list[str] = field(default_factory=list)
    junk: list[str] = field(default_factory=list)
    conflicts: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class Reading:
    """What one value cell says."""

    kind: str  # number, empty, missing, confidential, footnote_only, junk, times
    value: float | None = None
    footnote: str | None = None  # the footnote number glued to the figure
    times: str | None = None  # the text of an "N раза" index cell
    stars: str | None = None  # asterisks glued to the figure


@dataclass
class Layout:
    """Where a sheet's title, years and labels are."""

    title: str
    header: int
    label_col: int
    years: dict[int, tuple[int, list[str]]]


def load_rules(path: Path = MAPPING_FILE) -> dict[tuple[str, str, str], Rule]:
    """{(label key, unit key, scope): Rule} from the row mapping file."""
    table = pd.read_csv(path, dtype=str, keep_default_na=False)
    for col in ("scale", "scope"):
        if col not in table.columns:
            table[col] = ""
    rules = {}
    for r in table.itertuples(index=False):
        key = (text_key(r.label_ru), text_key(r.unit_ru), r.scope.strip())
        if key in rules:
            raise ValueError(f"{path.name}: {r.label_ru!r} / {r.unit_ru!r} is mapped twice")
        rules[key] = Rule(
            r.label_ru,
            r.unit_ru,
            r.indicator,
            r.is_index.strip().lower() in {"true", "yes", "1"},
            r.note or None,
            float(r.scale) if r.scale.strip() else None,
            r.scope.strip(),
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
    the figure has no more decimals than its neighbours (a row of 1-decimal figures makes
    '1,613)' 1,6 + 13, not 1,61 + 3, even where the sheet's list of footnotes lacks 13);
    the footnote exists on the sheet; it has as many as
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
            target is not None and decimals > target,
            bool(footnotes) and mark not in footnotes,
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
    raw = cells[col]
    if isinstance(raw, str):
        text = raw.strip()
        if _NO_FIGURE.match(text):
            return Reading("missing")
        if m := _MORE_MARKS.match(text):
            inner = read_cell([m.group(1)], 0, footnotes)
            if inner.kind == "number" and inner.footnote:
                extra = ",".join(re.findall(r"\d{1,2}", m.group(2)))
                return Reading("number", inner.value, f"{inner.footnote},{extra}")
        if m := _TRAILING_COMMA.match(text):
            inner = read_cell([m.group(1)], 0, footnotes)
            if inner.kind == "number":
                return Reading("number", inner.value, stars=",")
        if _FOOTNOTE_ONLY.match(text):
            # '19)' is the figure 1 with footnote 9 when the sheet has a footnote 9 and no 19.
            split = split_footnote(text, _neighbours(cells, col), footnotes)
            if split and split[1] in footnotes and text[:-1] not in footnotes:
                return Reading("number", split[0], footnote=split[1])
            return Reading("footnote_only", footnote=text[:-1])
        if (m := _STARS.match(text)) and m.group(1):
            inner = read_cell([m.group(1)], 0, footnotes)
            if inner.kind == "number":
                return Reading("number", inner.value, inner.footnote, stars=m.group(2))
            return inner
    kind, value = classify(raw)
    if kind != "junk":
        return Reading(kind, value)
    text = str(raw).strip()
    split = split_footnote(text, _neighbours(cells, col), footnotes)
    if split is not None:
        return Reading("number", split[0], footnote=split[1])
    if m := _TIMES.match(text):
        return Reading("times", clean_number(float(m.group(1).replace(",", ".")) * 100), times=text)
    return Reading("junk")


def parse_year_cell(value: object) -> tuple[int, list[str]] | None:
    """A year-row cell: 1991.0 -> (1991, []); '202411)' -> (2024, ['11']); '2023**' ->
    (2023, ['**']); «Январь-декабрь 2024 года15)» -> (2024, ['15']); else None."""
    if isinstance(value, float):
        return (int(value), []) if value.is_integer() and 1900 <= value <= 2100 else None
    if not isinstance(value, str):
        return None
    m = _YEAR_CELL.match(value)
    if not m:
        return None
    marks = re.findall(r"\d{1,2}", m.group(2)) + ([m.group(3)] if m.group(3) else [])
    return int(m.group(1)), marks


def sheet_layout(sheet: Sheet, scan: int = 60) -> Layout | None:
    """The year row (increasing years, nothing else right of the first),
    the label column and the title of a district sheet; None if it has no year row."""
    for r in range(min(len(sheet.rows), scan)):
        row = sheet.rows[r]
        years = {c: y for c, v in enumerate(row) if c > 0 and (y := parse_year_cell(v))}
        if not years:
            continue
        first = min(years)
        seq = [years[c][0] for c in sorted(years)]
        others = [c for c in range(first, len(row)) if c not in years and sheet.text(r, c)]
        if others or any(b <= a for a, b in zip(seq, seq[1:], strict=False)):
            continue
        label_col = _label_column(sheet, r, first)
        if label_col is None:
            continue
        title = next(
            (
                re.sub(r"\s+", " ", sheet.text(t, c))
                for t in range(r)
                for c in range(len(sheet.rows[t]))
                if re.search(r"[^\W\d_]{4}", sheet.text(t, c))
            ),
            "",
        )
        return Layout(title, r, label_col, years)
    return None


def _label_column(sheet: Sheet, header: int, first_year_col: int) -> int | None:
    """The column left of the years holding the most labels (text with letters) below."""
    counts = Counter()
    for r in range(header + 1, len(sheet.rows)):
        for c in range(first_year_col):
            v = sheet.cell(r, c)
            if isinstance(v, str) and re.search(r"[^\W\d_]", v):
                counts[c] += 1
    if not counts:
        return None
    best = max(counts.values())
    return max(c for c, n in counts.items() if n == best)


def footnotes_of(sheet: Sheet, start: int, label_col: int) -> dict[str, str]:
    """Footnotes printed in the label column at or below ``start`` with no figures beside
    them: {'3': '3) Без г.Байконыр', '**': '** предварительные данные'}."""
    notes = {}
    for r in range(start, len(sheet.rows)):
        for c in range(label_col + 1):
            m = _FOOTNOTE_LINE.match(sheet.text(r, c))
            if m and not any(sheet.text(r, k) for k in range(c + 1, len(sheet.rows[r]))):
                mark = m.group(1).rstrip(")")
                notes[mark] = re.sub(r"\s+", " ", f"{m.group(1)} {m.group(2)}")
    return notes


# --------------------------------------------------------------------------- areas and sources


def skip_reason(name: str, region: str | None = None) -> str | None:
    """Why a sheet is not an area of its own (monotown, outside districts, unnamed, or listed
    in data/mappings/bns_district_sheets.csv for its region), or None."""
    if region is not None and SHEETS_FILE.exists():
        listed = pd.read_csv(SHEETS_FILE, dtype=str, keep_default_na=False)
        for r in listed.itertuples(index=False):
            if r.region == region and norm(r.sheet) == norm(name):
                return r.reason
    for pattern, reason in SKIP_SHEETS:
        if pattern.search(name):
            return reason
    return None


def detect_region(sheets: list[Sheet], resolver: Resolver) -> tuple[str | None, str]:
    """The current region (oblast or city of republican significance) within which most
    sheet names resolve, and how it was found; None when no single region leads."""
    votes: Counter = Counter()
    for sheet in sheets:
        if skip_reason(sheet.name or ""):
            continue
        bare = _CITY_ADMIN.sub(" ", sheet.name or "").strip()
        regions = {
            resolver.region_of(k)
            for variant in {sheet.name, bare, f"г. {bare}"}
            for k in resolver.candidates(variant)
            if resolver.is_current(k)
        }
        votes.update(r for r in regions if r)
    ranked = votes.most_common(2)
    if not ranked or (len(ranked) > 1 and ranked[0][1] == ranked[1][1]):
        return None, f"sheet names resolve in {dict(votes) or 'no region'}"
    region, n = ranked[0]
    return region, f"{n} of {len(sheets)} sheet names resolve within {region}"


def sheet_area(resolver: Resolver, name: str, region: str) -> tuple[str, str | None]:
    """The KATO code of a sheet within ``region`` and a note when it lies outside the region
    (a city of republican significance); raises LookupError naming the nearest names."""
    try:
        return _within(resolver, name, region), None
    except LookupError as exc:
        cities = [
            k
            for k in resolver.candidates(name)
            if resolver.parent_of.get(k) == COUNTRY and resolver.level_of.get(k) == "city"
        ]
        if len(cities) == 1 and cities[0] != region:
            return cities[0], (
                f"a city of republican significance ({cities[0]}), no longer part of "
                f"{region}: loaded under its own code"
            )
        near = difflib.get_close_matches(norm(name), resolver.keys_within(region), n=3, cutoff=0.5)
        hint = f"; nearest known names: {', '.join(near)}" if near else ""
        raise LookupError(f"{exc}{hint}") from None


_CITY_ADMIN = re.compile(r"(?<![^\W\d_])г\.\s*а\.?(?![^\W\d_])", re.I)


def _within(resolver: Resolver, name: str, region: str) -> str:
    """Resolve a sheet name within the region, also without «г.а.» (city administration:
    the city with its villages, which is how KATO's city units are counted)."""
    try:
        return resolver.within(name, region)
    except AmbiguousArea as exc:
        # «Абай» in Abay oblast's workbook: the district; a total sheet says «область».
        inside = [k for k in resolver.candidates(name) if region in resolver.ancestors(k)]
        if region in resolver.candidates(name) and len(inside) == 1:
            return inside[0]
        raise exc
    except LookupError as exc:
        bare = _CITY_ADMIN.sub(" ", name).strip()
        if bare and bare != name.strip():
            for variant in (bare, f"г. {bare}"):
                try:
                    return resolver.within(variant, region)
                except LookupError:
                    continue
        raise exc


def region_sources(path: Path = SOURCES_FILE) -> dict[str, dict]:
    """{region KATO: source fields} from data/mappings/bns_regional_sources.csv."""
    if not path.exists():
        return {}
    table = pd.read_csv(path, dtype=str, keep_default_na=False)
    return {r["region"]: r for r in table.to_dict("records")}


def _source(region: str, sheets: list[Sheet], layouts: dict, path: Path) -> dict:
    known = region_sources().get(region)
    titles = [lay.title for lay in layouts.values() if lay.title]
    dated = []
    for sheet in sheets:
        for r in range(min(len(sheet.rows), 8)):
            for c in range(min(len(sheet.rows[r]), 3)):
                text = re.sub(r"\s+", " ", sheet.text(r, c))
                if "дата актуализации" in text.casefold():
                    dated.append(f"Sheet «{sheet.name}» says «{text}»")
    note = f"One sheet per district or city ({len(sheets)} sheets)"
    note += f", titled like «{titles[0]}». " if titles else ". "
    note += "; ".join(dated) + ". " if dated else ""
    note += "Money in current prices. Footnotes at the bottom of each sheet."
    if known:
        return {
            "code": known["code"],
            "title": known["title"],
            "publisher": known.get("publisher") or PUBLISHER,
            "address": known.get("address") or None,
            "copy_address": known.get("copy_address") or None,
            "license": LICENSE,
            "retrieved": known.get("retrieved") or None,
            "tier": "A",
            "excerpt": None,
            "note": note,
        }
    return {
        "code": f"bns-district-workbook-{region}",
        "title": titles[0] if titles else path.name,
        "publisher": PUBLISHER,
        "address": None,
        "license": LICENSE,
        "retrieved": path.name,
        "tier": "A",
        "excerpt": None,
        "note": note + f" Region {region} is not in {SOURCES_FILE.name}: no address recorded.",
    }


# --------------------------------------------------------------------------- the workbook


def detect(path: Path) -> bool:
    """True for a workbook with a sheet that has a year row and at least three mapped labels."""
    path = Path(path)
    if not path.is_file() or path.suffix.lower() not in (".xls", ".xlsx"):
        return False
    try:
        labels = {k for key in load_rules() for k in key[:2] if k}
        sheets = read_sheets(path)
        if is_topic_table(sheets):
            return False  # a topic table's rows name territories, not indicators
        for sheet in sheets:
            lay = sheet_layout(sheet)
            if lay is not None:
                keys = set()
                for r in range(lay.header + 1, len(sheet.rows)):
                    label = sheet.text(r, lay.label_col)
                    keys.add(text_key(label))
                    if "," in label:
                        keys.add(text_key(label.rsplit(",", 1)[0]))
                if len(keys & labels) >= 3:
                    return True
    except Exception:
        return False
    return False


def read(path: Path, *, resolver: Resolver, options: dict) -> Batch:
    """Observations of every mapped row of every area sheet of a regional workbook."""
    options = options or {}
    path = Path(path)
    batch = Batch(file=str(path), format=FORMAT, checksum=file_checksum(path))
    try:
        sheets = read_sheets(path)
    except Exception as exc:
        batch.error(None, None, f"cannot read the file: {exc}")
        return batch
    rules = Rules(load_rules(Path(options.get("mapping") or MAPPING_FILE)))
    region = options.get("parent")
    how = "given"
    if not region:
        region, how = detect_region(sheets, resolver)
        if region is None:
            batch.error(None, None, f"cannot tell whose workbook this is ({how}); pass a parent")
            return batch
    layouts = {s.name: lay for s in sheets if (lay := sheet_layout(s)) is not None}
    source = _source(region, sheets, layouts, path)
    batch.sources.append(source)
    rows: list[dict] = []
    tally = Tally()
    for sheet in sheets:
        report = {
            "source": source["code"],
            "region": region,
            "file": path.name,
            "sheet": sheet.name,
            "area": None,
            "status": "skipped",
            "reason": None,
            "address": None,
            "observations": 0,
            "unmapped": 0,
        }
        batch.sheet_reports.append(report)
        if reason := skip_reason(sheet.name or "", region):
            report["reason"] = reason
            continue
        try:
            area, remark = sheet_area(resolver, sheet.name, region)
        except LookupError as exc:
            batch.error(None, None, f"{path.name}, sheet «{sheet.name}»: {exc}")
            report["reason"] = f"not an area: {exc}"
            continue
        lay = layouts.get(sheet.name)
        if lay is None:
            batch.error(None, None, f"{path.name}, sheet «{sheet.name}»: no row of years found")
            report["reason"] = "no row of years"
            continue
        if remark:
            batch.warnings.append(f"sheet «{sheet.name}» is {remark}")
        before = sum(tally.unmapped.values())
        got = _read_sheet(batch, sheet, lay, area, region, rules, tally, source["code"])
        rows += got
        last = column_letter(max(lay.years))
        report.update(
            area=area,
            status="loaded",
            reason=remark or ("the region's total" if area == region else None),
            address=f"{sheet.name}!{column_letter(lay.label_col)}{lay.header + 1}:"
            f"{last}{len(sheet.rows)}",
            observations=len(got),
            unmapped=sum(tally.unmapped.values()) - before,
        )
    batch.rows_read = len(rows)
    rows += region_sums(rows, region, resolver, path.name, source["code"])
    batch.observations = observations_frame(rows)
    batch.warnings += _warnings(tally)
    batch.warnings += compare_totals(batch.observations, region, resolver)
    log.info("%s: %d observations, %d error(s)", path.name, len(rows), len(batch.errors))
    return batch


def _warnings(tally: Tally) -> list[str]:
    out = []
    if tally.confidential:
        out.append(
            f"{len(tally.confidential)} confidential cells ('х') skipped: "
            + ", ".join(tally.confidential)
        )
    if tally.shifted:
        out.append(
            f"{len(tally.shifted)} cells skipped because their label row holds a figure in the "
            "same column (the block looks shifted by a row): " + ", ".join(tally.shifted)
        )
    if tally.inconsistent:
        out.append(
            f"{len(tally.inconsistent)} rows not read because their figures fall in two groups "
            "about 1000 times apart (a unit other than the row's in some years; not guessed): "
            + ", ".join(tally.inconsistent)
        )
    if tally.junk:
        out.append(
            f"{len(tally.junk)} cells are not a figure and were skipped: " + ", ".join(tally.junk)
        )
    if tally.conflicts:
        out.append(
            f"{len(tally.conflicts)} indicator-years given twice with different figures on one "
            "sheet (neither read): " + "; ".join(tally.conflicts)
        )
    for kind, text in (
        ("missing", "'-' or '…' (no figure) cells skipped in mapped rows"),
        ("footnote_only", "cells holding only a footnote mark (no figure) skipped"),
        (
            "footnote",
            "figures carried a glued footnote number (split off; the footnote is in the note)",
        ),
        ("times", "index cells written as «N раза» restated as N × 100 % (status derived)"),
        ("scaled", "figures restated in the indicator's unit (status derived, see the note)"),
        ("repeated", "cells repeat a figure already read for the same indicator and year"),
    ):
        if tally.counts[kind]:
            out.append(f"{tally.counts[kind]} {text}")
    if tally.unmapped:
        labels = "; ".join(f"«{k}» ×{n}" for k, n in tally.unmapped.most_common())
        out.append(
            f"{sum(tally.unmapped.values())} rows with figures ({len(tally.unmapped)} labels) "
            f"are not in the mapping and were not read: {labels}"
        )
    return out


def _lookup(rules: Rules, heading: str | None, label: str, region: str) -> tuple[Rule | None, bool]:
    """The rule of a row and whether it stands alone (not under the current heading)."""
    key = text_key(label)
    if (rule := rules.get(heading, key, region)) is not None:
        return rule, False
    if (rule := rules.get(key, "", region)) is not None:
        return rule, True
    if "," in label:
        head, tail = label.rsplit(",", 1)
        if (rule := rules.get(text_key(head), text_key(tail), region)) is not None:
            return rule, True
    return None, False


def _mixed_units(values: list[float]) -> bool:
    """True when a row's figures fall in two groups about 1000 times apart (persons written
    in a row of thousands, or the reverse)."""
    pos = sorted(abs(v) for v in values if v)
    return any(b / a >= 300 for a, b in zip(pos, pos[1:], strict=False))


def _read_sheet(
    batch: Batch,
    sheet: Sheet,
    lay: Layout,
    area: str,
    region: str,
    rules: Rules,
    tally: Tally,
    source: str,
) -> list[dict]:
    """The observations of one sheet; its errors and warnings go to ``batch`` and ``tally``."""
    rows: list[dict] = []
    years, lc = lay.years, lay.label_col
    notes = footnotes_of(sheet, lay.header + 1, lc)
    marks = set(notes)
    year_notes = {
        c: [f"year {notes.get(m, m + ')' if m.isdigit() else m)}" for m in ms]
        for c, (_, ms) in years.items()
        if ms
    }
    headings = rules.headings
    counted = _counted_units()
    heading: str | None = None
    heading_label = ""
    suspect: set[int] = set()  # columns where the heading row itself holds a figure
    found: set[str] = set()
    seen: dict[tuple[str, int], tuple[float, str]] = {}
    conflicts: set[tuple[str, int]] = set()
    for r in range(lay.header + 1, len(sheet.rows)):
        label = sheet.text(r, lc)
        if not label:
            continue
        key = text_key(label)
        cells = sheet.rows[r]
        rule, alone = _lookup(rules, heading, label, region)
        if rule is not None and alone:
            heading, suspect = None, set()
        if rule is None:
            readings = {
                c: read_cell(cells, c, marks).kind if c < len(cells) else "empty" for c in years
            }
            kinds = set(readings.values())
            if key in headings or not kinds & {"number", "junk", "times"}:
                heading, heading_label = key, label
                # A label row should be blank: a non-zero figure on it means the block
                # below is shifted by a row in that column (Жалагаш 2023, «Безработное
                # население»), so those cells of the block are not read.
                # A label row that holds figures in most columns is a row of its own in
                # another unit (Zhambyl: persons above «тыс. человек»), not a shifted block.
                suspect = {
                    c
                    for c in years
                    if c < len(cells)
                    and classify(cells[c])[0] == "number"
                    and classify(cells[c])[1]
                }
                if len(suspect) > max(2, len(years) // 4):
                    suspect = set()
            else:
                name = f"{heading_label} / {label}" if heading and len(label) < 40 else label
                tally.unmapped[re.sub(r"\s+", " ", name.strip())] += 1
            continue
        found.add(rule.indicator)
        path = f"{heading_label} / {label}" if not alone else label
        readings = {c: read_cell(cells, c, marks) for c in years if c < len(cells)}
        if rule.indicator in counted and _mixed_units(
            [x.value for x in readings.values() if x.kind == "number"]
        ):
            tally.inconsistent.append(f"«{sheet.name}» row {r + 1} ({rule.indicator})")
            continue
        for c, reading in readings.items():
            year = years[c][0]
            if not alone and c in suspect and reading.kind != "empty":
                tally.shifted.append(
                    f"«{sheet.name}» {column_letter(c)}{r + 1} ({rule.indicator} {year})"
                )
                continue
            if reading.kind == "times" and not rule.is_index:
                reading = Reading("junk")
            if reading.kind == "junk":
                tally.junk.append(f"«{sheet.name}» {column_letter(c)}{r + 1} {cells[c]!r}")
                continue
            if reading.kind in ("empty", "missing", "confidential", "footnote_only"):
                tally.counts[reading.kind] += 1
                if reading.kind == "confidential":
                    tally.confidential.append(
                        f"«{sheet.name}» {column_letter(c)}{r + 1} ({rule.indicator} {year})"
                    )
                continue
            value, status = reading.value, "actual"
            note = [rule.note] if rule.note else []
            if rule.scale:
                tally.counts["scaled"] += 1
                value, status = clean_number(value * rule.scale), "derived"
                note.append(
                    f"derived: the Bureau gives {reading.value:g} in the row's unit "
                    f"(«{path}»), restated × {rule.scale:g}"
                )
            if (rule.indicator, year) in seen:
                first_value, first_at = seen[rule.indicator, year]
                if first_value == value:
                    tally.counts["repeated"] += 1
                else:
                    conflicts.add((rule.indicator, year))
                    tally.conflicts.append(
                        f"«{sheet.name}» {rule.indicator} {year}: {value:g} at "
                        f"{column_letter(c)}{r + 1}, {first_value:g} at {first_at}"
                    )
                continue
            seen[rule.indicator, year] = (value, f"{column_letter(c)}{r + 1}")
            excerpt = None
            if reading.footnote:
                tally.counts["footnote"] += 1
                for mark in reading.footnote.split(","):
                    note.append(f"footnote {notes.get(mark, mark + ')')}")
            if reading.stars == ",":
                note.append(f"written «{cells[c].strip()}» (a stray comma after the figure)")
            elif reading.stars:
                note.append(f"marked {notes.get(reading.stars, reading.stars)}")
            note += year_notes.get(c, [])
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
                    "value": value,
                    "status": status,
                    "source": source,
                    "note": "; ".join(note) or None,
                    "excerpt": excerpt,
                    "location": location(sheet, r, c),
                    "_row": r + 1,
                    "_column": column_letter(c),
                }
            )
    return [x for x in rows if (x["indicator"], x["year"]) not in conflicts]


def _catalogue() -> pd.DataFrame:
    files = sorted(INDICATOR_DIR.glob("*.csv"))
    return pd.concat(
        [pd.read_csv(f, dtype=str, keep_default_na=False) for f in files], ignore_index=True
    )


def _counted_units() -> set[str]:
    """Indicators counted in persons or head (where a row of mixed units is caught)."""
    cat = _catalogue()
    unit = cat["unit_en"].str.casefold()
    return set(cat.loc[unit.str.contains("persons|head") & ~unit.str.contains("per "), "code"])


def _additive() -> set[str]:
    """Indicators whose district figures add up to the region's (counts, amounts)."""
    cat = _catalogue()
    unit = cat["unit_en"].str.casefold()
    return set(cat.loc[~unit.str.contains(r"per |%|centner|index|years"), "code"])


def compare_totals(obs: pd.DataFrame, region: str, resolver: Resolver) -> list[str]:
    """Warnings where the districts of a region sum to more than 1% off its total sheet."""
    obs = obs[obs["indicator"].isin(_additive()) & (obs["status"] == "actual")]
    if obs.empty or not (obs["area"] == region).any():
        return []
    total = obs[obs["area"] == region].set_index(["indicator", "year"])["value"]
    parts = obs[(obs["area"] != region) & (obs["area"].map(resolver.region_of) == region)]
    n_areas = parts["area"].nunique()
    sums = parts.groupby(["indicator", "year"])["value"].agg(["sum", "count"])
    sums = sums[sums["count"] == n_areas].join(total.rename("total"), how="inner")
    sums = sums[sums["total"] != 0]
    sums["diff"] = sums["sum"] / sums["total"] - 1
    off = sums[sums["diff"].abs() > TOTAL_TOLERANCE]
    if off.empty:
        return [
            f"region {region}: the districts sum to the total sheet within 1% "
            f"({len(sums)} indicator-years compared)"
        ]
    listed = [
        f"{ind} {year} (sum {r['sum']:g}, total {r['total']:g}, {r['diff']:+.1%})"
        for (ind, year), r in off.iterrows()
    ]
    return [
        f"region {region}: {len(off)} of {len(sums)} indicator-years differ from the total "
        f"sheet by more than 1% (quality check, not an error): " + "; ".join(listed)
    ]
