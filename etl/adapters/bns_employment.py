"""The Bureau's «Занятое население» table by district (format ``bns-employment``).

``Kyzylorda_Employment.xls`` (sheet «Районы по годам») is a one-indicator Bureau table: the
title «Занятое население1)», the unit «человек» in the last column, years 2014–2024 whose headers
carry footnotes («20143)», «20152)3)»), then the oblast («Кызылординская область»), the two city
akimats («Кызылорда г.а.», «Байконыр г.а.») and the districts by their adjectival names
(«Аральский»). It is read by :func:`etl.adapters.bns_table.read_table`; names resolve within the
oblast and the indicator and source come from the mapping row for the title in
``data/mappings/bns_tables.csv`` (``employed_population``, ``bns-kyzylorda-employment``).
The footnotes of a year header become the note of that year's figures (2014–2015 exclude
Baikonur, whose cells are "-").
"""

from __future__ import annotations

from pathlib import Path

from etl.adapters.bns_table import read_sheets, read_table, table_layout, text_key
from etl.areas import Resolver
from etl.batch import Batch

FORMAT = "bns-employment"
EXPECTS = "a Bureau table of employed population by district (.xls, .xlsx, .csv)"
TITLE = "Занятое население"


def detect(path: Path) -> bool:
    """True for a Bureau table titled «Занятое население» (footnote markers ignored)."""
    path = Path(path)
    if not path.is_file() or path.suffix.lower() not in (".xls", ".xlsx", ".csv"):
        return False
    try:
        layout = table_layout(read_sheets(path)[0])
    except Exception:
        return False
    return layout is not None and text_key(layout.title) == text_key(TITLE)


def read(path: Path, *, resolver: Resolver, options: dict) -> Batch:
    """Employed persons by district and year, as ``employed_population`` observations."""
    return read_table(path, resolver=resolver, options=options or {}, fmt=FORMAT)
