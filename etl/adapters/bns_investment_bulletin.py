"""The Bureau's yearly investment bulletins, «Об инвестициях в основной капитал в … области»:
the region's own fixed-capital investment (format ``bns-investment-bulletin``).

A bulletin holds 15–30 numbered tables whose numbers, sheet names and languages move from year
to year; only the title inside a sheet says what it is. The table read is the one titled
«Инвестиции в основной капитал» (optionally «в разрезе районов / регионов», with or without a
Kazakh title «Негізгі капиталға салынған инвестициялар» and a number), whose header has a
column «Инвестиции в основной капитал» beside «Ввод в эксплуатацию (Введено в действие) новых
основных средств»: one row per territory, the region's total first. Its unit (thousand tenge,
«тыс. тенге», «тыcяч тенге» with a Latin c, «мың теңге») is read above the header; the year is
the cover's «2023 год» / «Январь-декабрь 2024 года», checked against the header's «в % к 2023
году» where there is one. The region is the first territory row that names an oblast or a
city of republican significance (data/area_aliases.csv).

Only the region's total is stored (the districts' figures are in the revised «All» workbooks,
the preferred reading): ``investment_fixed_capital`` in million tenge, restated from the
bulletin's thousand tenge (status ``derived``, the note gives the printed figure). Bulletin
figures are preliminary: the note says so. One source per bulletin, its stat.gov.kz address
from the downloader's list (data/mappings/bns_investment_sources.csv).
"""

from __future__ import annotations

import logging
import re
from collections import Counter
from pathlib import Path

import pandas as pd

from config import DATA_DIR
from etl.adapters.bns_district_workbook import LICENSE, PUBLISHER  # the Bureau, as cited
from etl.adapters.bns_oblast_sums import first_year
from etl.adapters.bns_table import Sheet, classify, location, read_sheets
from etl.areas import Resolver
from etl.batch import Batch, clean_number, file_checksum, observations_frame

FORMAT = "bns-investment-bulletin"
EXPECTS = "a Bureau investment bulletin (.xls/.xlsx) with a table of investment by district"
COUNTRY = "000000000"
SOURCES_FILE = DATA_DIR / "mappings" / "bns_investment_sources.csv"
log = logging.getLogger(__name__)

_TITLE_NOISE = re.compile(
    r"^[\d.\s]*|негізгі капиталға салынған инвестициялар|в разрезе (?:районов|регионов)", re.I
)
_AMOUNT = "инвестиции в основной капитал"
# The amount's header, alone or after its Kazakh text in one bilingual cell.
_AMOUNT_CELL = re.compile(
    r"(?:^|[^\w\s]\s*|инвестициялар\s+)инвестиции в основной капитал\s*\**$", re.I
)
_COMMISSIONED = re.compile(
    r"(?:^|\s)(?:ввод в эксплуатацию|введено в действие|введенные в действие) новых основных",
    re.I,
)
_THOUSAND_TENGE = re.compile(r"тыс(?:\.|яч)?\s*тенге|мың\s*теңге", re.I)
_COVER_YEAR = re.compile(r"^(?:январь\s*-\s*декабрь\s*)?(20\d\d)\s*(?:года|год|жыл)\b", re.I)
_HEADER_YEAR = re.compile(r"к\s*(20\d\d)\s*году|(20\d\d)\s*жылға", re.I)
_REGION_WORD = re.compile(r"^(?:область|облысы?)$", re.I)
_REGION_NAME = re.compile(r"(?<!\w)(?:область|облысы)(?!\w)", re.I)  # «область Абай»


def _text(value: object) -> str:
    """A cell's text, one line, Latin look-alikes of Cyrillic letters replaced («тыc»)."""
    if value is None or (isinstance(value, float) and pd.isna(value)):
        return ""
    text = " ".join(str(value).split())
    return text.translate(str.maketrans("cCoOaAeEpPxX", "сСоОаАеЕрРхХ")) if text else ""


def _texts(sheet: Sheet, row: int) -> list[tuple[int, str]]:
    return [(c, t) for c, v in enumerate(sheet.rows[row]) if (t := _text(v))]


def bulletin_year(sheets: list[Sheet]) -> int | None:
    """The year the bulletin reports, from its cover («2023 год», «Январь-декабрь 2024 года»)."""
    for sheet in sheets[:2]:
        for r in range(min(len(sheet.rows), 40)):
            for _, text in _texts(sheet, r):
                if m := _COVER_YEAR.match(text):
                    return int(m[1])
    return None


def find_table(sheets: list[Sheet]) -> tuple[Sheet, int, int] | None:
    """The sheet of investment by territory, the index of the row above its first territory
    row and the column of the amounts, or None."""
    for sheet in sheets:
        title: list[str] = []
        unit_seen = False
        for r in range(min(len(sheet.rows), 12)):
            texts = _texts(sheet, r)
            amount = [c for c, t in texts if _AMOUNT_CELL.search(t)]
            if amount and any(_COMMISSIONED.search(t) for _, t in texts):
                said = _TITLE_NOISE.sub(" ", " ".join(title)).casefold()
                said = " ".join(_THOUSAND_TENGE.sub(" ", said).split())
                if said in ("", _AMOUNT):
                    return sheet, r, amount[0]
                break
            unit_seen = unit_seen or any(_THOUSAND_TENGE.search(t) for _, t in texts)
            if not unit_seen:  # the title: the rows above the unit
                title += [t for _, t in texts]
    return None


def _regions(resolver: Resolver, label: str) -> set[str]:
    """The current regions a label names or lies in («Аккольский» -> Akmola)."""
    keys = {k for k in resolver.candidates(label) if resolver.is_current(k)}
    return {r for k in keys if (r := resolver.region_of(k))}


def region_row(sheet: Sheet, after: int, resolver: Resolver) -> tuple[int, str] | None:
    """The region's total row, the first territory row: it names the region («Кызылординская
    область», «область Абай») or says «Область» alone, and the rows under it (its districts
    and cities) lie within that region."""
    labels = [
        (r, _text(sheet.rows[r][0]) if sheet.rows[r] else "")
        for r in range(after + 1, len(sheet.rows))
    ]
    labels = [(r, x) for r, x in labels if x]
    if not labels:
        return None
    first, label = labels[0]
    for variant in (label, _REGION_NAME.sub(" ", label).strip()):
        named = {
            k
            for k in resolver.candidates(variant)
            if resolver.parent_of.get(k) == COUNTRY and resolver.is_current(k)
        }
        if len(named) == 1:
            break
    if len(named) == 1:
        return first, named.pop()
    if not _REGION_WORD.match(label):
        return None
    votes = Counter()
    for _, x in labels[1:30]:
        if len(regions := _regions(resolver, x)) == 1:
            votes.update(regions)
    ranked = votes.most_common(2)
    if not ranked or (len(ranked) > 1 and ranked[0][1] == ranked[1][1]):
        return None
    return first, ranked[0][0]


def _boundary_note(resolver: Resolver, region: str, year: int) -> str:
    first = first_year(resolver, region)
    if first is None or year >= first:
        return ""
    return f"; the region as it was in {year}, with the units it gave up in {first}"


def _source(region: str, year: int, path: Path, resolver: Resolver) -> dict:
    known = pd.read_csv(SOURCES_FILE, dtype=str, keep_default_na=False)
    hit = known[(known["region"] == region) & (known["year"] == str(year))]
    row = hit.iloc[0].to_dict() if len(hit) else {}
    names = resolver.areas.set_index("kato")["name_ru"]
    place = names.get(region) or row.get("name") or region  # the title is in Russian
    return {
        "code": row.get("code") or f"bns-investment-bulletin-{region}-{year}",
        "title": f"Об инвестициях в основной капитал ({place}), {year} год",
        "publisher": PUBLISHER,
        "address": row.get("address") or None,
        "copy_address": row.get("copy_address") or None,
        "license": LICENSE,
        "retrieved": row.get("retrieved") or path.name,
        "tier": "A",
        "excerpt": None,
        "note": "Statistical bulletin «Инвестиции в основной капитал» (6th series); "
        "preliminary figures, revised in the next year's district workbook.",
    }


def read(path: Path, *, resolver: Resolver, options: dict | None = None) -> Batch:
    """The region's fixed-capital investment of one bulletin."""
    path = Path(path)
    batch = Batch(file=str(path), format=FORMAT, checksum=file_checksum(path))
    try:
        sheets = read_sheets(path)
    except Exception as exc:
        batch.error(None, None, f"cannot read the file: {exc}")
        return batch
    where = f"{path.parent.name}/{path.name}"  # the region's folder, for the reader of the report
    found = find_table(sheets)
    if found is None:
        batch.warnings.append(f"{where}: no table of investment by district: nothing read")
        return batch
    sheet, header, col = found
    above = " ".join(t for r in range(header) for _, t in _texts(sheet, r))
    stated = {int(m[1] or m[2]) + 1 for r in range(header - 3, header + 4)
              for _, t in _texts(sheet, max(r, 0)) if (m := _HEADER_YEAR.search(t))}  # fmt: skip
    year = bulletin_year(sheets) or (min(stated) if len(stated) == 1 else None)
    if year is None:
        batch.warnings.append(f"{where}: no year on the cover or in the header: nothing read")
        return batch
    if stated and stated != {year}:
        batch.error(None, None, f"sheet «{sheet.name}»: the header says {stated}, cover {year}")
        return batch
    if not _THOUSAND_TENGE.search(above):
        batch.error(None, None, f"sheet «{sheet.name}»: no «тыс. тенге» above the header")
        return batch
    hit = region_row(sheet, header, resolver)
    if hit is None:
        batch.warnings.append(
            f"{where}, sheet «{sheet.name}»: no row names the region: nothing read"
        )
        return batch
    r, region = hit
    kind, printed = classify(sheet.rows[r][col])[:2]
    source = _source(region, year, path, resolver)
    batch.sources.append(source)
    rows = []
    if kind == "number" and printed is not None:
        rows.append(
            {
                "indicator": "investment_fixed_capital",
                "area": region,
                "year": year,
                "value": clean_number(float(printed) / 1000),
                "status": "derived",
                "source": source["code"],
                "note": (
                    f"the bulletin prints {float(printed):.12g} thousand tenge "
                    f"(«{_text(sheet.rows[r][0])}», column «Инвестиции в основной капитал»), "
                    "restated in million tenge; a preliminary figure"
                    + _boundary_note(resolver, region, year)
                ),
                "excerpt": None,
                "location": location(sheet, r, col),
                "_row": r + 1,
                "_column": None,
            }
        )
    batch.observations = observations_frame(rows)
    batch.rows_read = len(rows)
    return batch
