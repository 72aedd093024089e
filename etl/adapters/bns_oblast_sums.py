"""A region's totals from a district workbook that has no sheet for the region itself.

Most regions' «All» workbooks (Pavlodar, Kyzylorda, ...) give one sheet per district and city
administration but none for the oblast: the oblast's population, industrial output,
agricultural output and investment are then the sum of its units' figures. A sum is stored only
where the workbook covers the whole region (every current district and city of the region,
as listed in data/areas.csv, has a sheet with an actual figure for that indicator and year) and
only for the indicators in :data:`SUMMED` (amounts and counts that add up). It is a derived
value (status ``derived``), its note gives the formula and its location lists every cell added;
a workbook with the region's own total sheet (Akmola) keeps the Bureau's figure and gets no sum.
Years before the region had its current units (Abay, Zhetisu, Ulytau created in 2022; East
Kazakhstan, Almaty and Karagandy, which gave them their districts) are not summed.
"""

from __future__ import annotations

import pandas as pd

from etl.areas import Resolver
from etl.batch import clean_number

# The indicators whose units' figures add up to the region's (the comparisons of a report).
SUMMED = (
    "population",
    "industrial_output",
    "agri_output_gross",
    "agri_output_agriculture",
    "investment_fixed_capital",
)


SUM_NOTE = "derived: the sum of the figures"  # how the note of a sum begins


def region_units(resolver: Resolver, region: str) -> list[str]:
    """The current districts and cities directly under ``region``."""
    areas = resolver.areas
    kids = areas[(areas["parent"] == region) & areas["level"].isin(["district", "city"])]
    return sorted(k for k in kids["kato"] if resolver.is_current(k))


def first_year(resolver: Resolver, region: str) -> int | None:
    """The first year the region had its current units: the year it was created (Abay,
    Zhetisu, Ulytau: 2022), or the year after a unit of its last left (East Kazakhstan,
    Almaty, Karagandy: 2022), None when neither happened."""
    areas = resolver.areas
    years = []
    created = areas.loc[areas["kato"] == region, "valid_from"]
    years += [str(v)[:4] for v in created if pd.notna(v)]
    ended = areas[areas["valid_to"].notna() & (areas["valid_to"].astype(str) != "")]
    left = [
        str(v)[:4]
        for k, v in zip(ended["kato"], ended["valid_to"], strict=True)
        if region in resolver.ancestors(k)
    ]
    years += [str(int(v) + 1) for v in left if v.isdigit()]
    years = [int(v) for v in years if v.isdigit()]
    return max(years) if years else None


def region_sums(
    rows: list[dict], region: str, resolver: Resolver, file_name: str, source: str
) -> list[dict]:
    """Derived rows of ``region``'s totals: the sum of its units' actual figures, for each
    indicator of :data:`SUMMED` and year that every unit of the region has; [] when the
    workbook has a sheet for the region itself or misses one of its units."""
    if not rows or any(r["area"] == region for r in rows):
        return []
    units = region_units(resolver, region)
    if not units:
        return []
    obs = pd.DataFrame(rows)
    obs = obs[obs["indicator"].isin(SUMMED) & obs["area"].isin(units)]
    obs = obs[obs["status"] == "actual"]
    since = first_year(resolver, region)
    if since is not None:
        obs = obs[obs["year"] >= since]
    out = []
    for (indicator, year), parts in obs.groupby(["indicator", "year"], sort=True):
        if sorted(parts["area"]) != units:
            continue  # a unit without a figure: no sum
        parts = parts.sort_values("area")
        cells = [_cell(loc) for loc in parts["location"]]
        out.append(
            {
                "indicator": indicator,
                "area": region,
                "year": int(year),
                "value": clean_number(round(float(parts["value"].sum()), 6)),
                "status": "derived",
                "source": source,
                "note": (
                    f"{SUM_NOTE} of the region's {len(units)} districts "
                    "and cities, one sheet each in this workbook (it has no sheet for the "
                    "region's own total); the Bureau's published total for the region may "
                    "differ (revisions, units outside the districts)"
                ),
                "excerpt": None,
                "location": f"{file_name}: sum of " + " + ".join(cells),
                "_row": None,
                "_column": None,
            }
        )
    return out


def _cell(location: str) -> str:
    """'Арал!AH8' from "sheet «Арал», row 8, column AH"."""
    sheet, _, rest = str(location).partition("», row ")
    row, _, col = rest.partition(", column ")
    return f"{sheet.removeprefix('sheet «')}!{col}{row}"
