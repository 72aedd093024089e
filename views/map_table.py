"""The Map page's ranked table and a year change of its map, as compact data for the browser.

The browser draws the table (and patches the map's values on a year change) from two stores
with a clientside callback (``pages/map_client.js``), so that another year sends only its
values, never the table's components again nor the map's geometry:

- :func:`table_view`: what stays while only the year changes (area names, the Explore link,
  headings, the outlined area); sent when the view changes.
- :func:`table_rows`: one year's ranking, one short row per area, and with ``patch`` the
  values trace's ``z`` and ``customdata`` in the drawn map's order.
"""

from __future__ import annotations

import pandas as pd

from components import maps
from components.i18n import decimals_of, fmt_number, t
from components.kinds import is_rate
from components.urlstate import query_string
from views.charts import (
    MapQuery,
    map_boundaries,
    map_meta,
    map_names,
    map_units,
    map_values,
)

AREA = "__AREA__"  # where the area's code goes in the Explore link's template


def table_view(q: MapQuery) -> dict | None:
    """The table's parts that do not depend on the year (None without an indicator)."""
    if not q.indicator:
        return None
    lang, meta = q.lang, map_meta(q)
    unit = meta.get(f"unit_{lang}") or ""
    return {
        "names": map_names(q),
        "href": "/explore" + query_string(indicator=q.indicator, area=AREA, lang=lang),
        "area": q.area,
        "lang": lang,
        "unit": unit,
        "rank": t("map.rank", lang),
        "area_head": t("word.area", lang),
        "value_head": f"{t('word.value', lang)}, {unit}",
        "source": t("word.source", lang),
        "note": t(f"map.rank_{meta['direction']}", lang),
        "no_data": t("map.no_data", lang),
    }


def table_rows(q: MapQuery, *, patch: bool = False) -> dict | None:
    """One year's ranking: ``rows`` of ``[area, rank, number, status, source, change]`` (rank
    leads, no data last with rank, number and source None; ``source`` indexes ``sources``;
    ``change`` only with ``since``), the headings of the year, and with ``patch`` the map's
    per-year values (``map``: ``z``, ``customdata``, ``zmin``, ``zmax`` and the colour bar's
    ticks of the values trace in its order, the hover's year line). None without an indicator."""
    if not q.indicator:
        return None
    lang, meta = q.lang, map_meta(q)
    values, boundaries = map_values(q, titles=True), map_boundaries(q)
    names = map_names(q)
    ranked = maps.ranking(values, map_units(q, boundaries), names, meta, q.year, q.since)
    sources: dict[str, int] = {}
    rows = [_row(r, meta, lang, q.since, sources) for r in ranked.to_dict("records")]
    out: dict = {
        "year": q.year,
        "heading": t("map.rank_heading", lang, year=q.year),
        "change": t("map.change_since", lang, year=q.since) if q.since else None,
        "sources": list(sources),
        "rows": rows,
    }
    if patch:
        arrays = maps.value_arrays(values, boundaries, q.year, q.scale, meta, lang)
        if arrays["customdata"] == arrays["z"]:
            arrays["customdata"] = None  # None: the same as z
        out["map"] = arrays | {"hover_year": t("map.hover_year", lang, year=q.year)}
    return out


def _row(r: dict, meta: dict, lang: str, since: int | None, sources: dict[str, int]) -> list:
    if pd.isna(r["rank"]):
        row: list = [r["area"], None, None, "", None]
    else:
        status = r.get("status")
        status = t(f"obs.{status}", lang) if isinstance(status, str) and status != "actual" else ""
        source = r.get("source")
        index = sources.setdefault(source, len(sources)) if isinstance(source, str) else None
        number = fmt_number(r["value"], lang, decimals_of(meta))
        row = [r["area"], int(r["rank"]), number, status, index]
    if since:
        row.append(_change(r, meta, lang))
    return row


def _change(r: dict, meta: dict, lang: str) -> str:
    """'+12.5 (+4.1 %)' ('+0.3' for a rate: its difference is in percentage points), or '–'
    without both years' values."""
    d = r.get("change")
    if d is None or pd.isna(d):
        return "–"
    text = ("+" if d > 0 else "") + fmt_number(d, lang, decimals_of(meta))
    pct = r.get("change_pct")
    if pct is not None and not pd.isna(pct) and not is_rate(meta):
        text += f" ({'+' if pct > 0 else ''}{fmt_number(pct, lang, 1)} %)"
    return text


def coverage(q: MapQuery) -> tuple[int, int]:
    """(areas with a value in the year shown, areas of the level shown under the scope that
    existed that year): the map's "N of M areas have data"."""
    if not q.indicator:
        return 0, 0
    units = map_units(q, map_boundaries(q))
    have = set(maps.year_values(map_values(q), q.year)["area"])
    return len(have & set(units)), len(units)


def coverage_text(q: MapQuery) -> str:
    """'146 of 224 areas have data for 2023' (empty without an indicator)."""
    n, m = coverage(q)
    return t("mp.coverage", q.lang, n=n, m=m, year=q.year) if q.indicator else ""
