"""Money series in constant prices of a base year, chained from the Bureau's volume indices.

The Bureau publishes some money series in current prices (industrial output, investment in
fixed capital, agricultural output) beside a physical volume index of the same aggregate for
the same area, in % of the previous year. Chaining the indices carries the base year's value
to the other years at the base year's prices:

    V_B(B) = V(B)                           the value of the base year, in current prices
    V_B(t) = V_B(t-1) × I(t) / 100          for the years after B
    V_B(t-1) = V_B(t) ÷ (I(t) / 100)        for the years before B

Only the Bureau's own readings are used (money and index), and only while every link of the
chain has an index: the first year without one ends the chain on that side. A value is given
for the years that have a current-price reading. The values are computed when they are
read, never stored: every source's readings stay as loaded, and the reader may pick the base
year. They are marked ``derived``, with the formula and both sources in their note.

:data:`VOLUME_INDICES` declares which money series has which index. The base of every index
was checked in the sources: the industrial indices' rows say «в процентах к предыдущему
году»; the agricultural index is «в % к предыдущему году» in the Akmola and Shymkent
workbooks and «в %» under the same title elsewhere; the investment index row has no unit,
and the Kyzylorda investment bulletin for 2023 gives the same figure for Aral district
(144.0) in its column «В процентах к прошлому году». The Kyzylorda workbook's agricultural
index is titled for agriculture alone but stands under agriculture, forestry and fishery
(``agri_output_gross``): it is paired with ``agri_output_agriculture`` only, whose scope it
names.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

import pandas as pd

from components.i18n import N_, decimals_of, fmt_number, t
from store import queries

PRICES = ("current", "constant")  # the first is the default
MODE = "constant"  # Explore's ``mode`` (its URL and control) for constant prices
# the notices of a page whose prices cannot be shown as asked (views.charts)
NO_INDEX = N_("cp.no_index")
BAD_BASE = N_("cp.bad_base")
BUREAU_PREFIX = "bns-"  # the code of every source the Bureau of National Statistics published

# money series in current prices -> its physical volume index (% of the previous year)
VOLUME_INDICES: dict[str, str] = {
    "industrial_output": "industrial_production_index",
    "industrial_output_mining": "industrial_production_index_mining",
    "industrial_output_manufacturing": "industrial_production_index_manufacturing",
    "industrial_output_electricity": "industrial_production_index_electricity",
    "industrial_output_water": "industrial_production_index_water",
    "investment_fixed_capital": "investment_fixed_capital_index",
    "agri_output_agriculture": "agri_production_index",
    "agri_output_crop": "agri_production_index_crop",
    "agri_output_livestock": "agri_production_index_livestock",
}


def chain(values: Mapping[int, float], index: Mapping[int, float], base: int) -> dict[int, float]:
    """``values`` (year -> current prices) in constant prices of ``base``, by chaining
    ``index`` (year -> % of the previous year). Years without a current-price value are not
    given; a year without an index ends the chain on its side. Empty if ``base`` has no value.
    """
    if base not in values:
        return {}
    out = {base: float(values[base])}
    first, last = min(values), max(values)
    level, year = float(values[base]), base
    while year < last and _usable(index.get(year + 1)):
        year += 1
        level = level * index[year] / 100
        if year in values:
            out[year] = level
    level, year = float(values[base]), base
    while year > first and _usable(index.get(year)):
        level = level / (index[year] / 100)
        year -= 1
        if year in values:
            out[year] = level
    return dict(sorted(out.items()))


def _usable(value: float | None) -> bool:
    return value is not None and not pd.isna(value) and value > 0


def has_index(indicator: str) -> bool:
    """Whether ``indicator`` is a money series with a Bureau volume index."""
    return indicator in VOLUME_INDICES


def bureau_readings(obs: pd.DataFrame) -> pd.DataFrame:
    """The Bureau's readings of ``obs`` (every source's, best first), one per area, series
    and year."""
    if obs.empty:
        return obs
    mine = obs[obs["source"].astype(str).str.startswith(BUREAU_PREFIX)]
    return mine.drop_duplicates(["area", "series", "year"], keep="first")


def base_years(money: pd.DataFrame, areas: Iterable[str]) -> list[int]:
    """The years that could be the base: those with a current-price reading for every one
    of ``areas`` that has any (newest first)."""
    common: set[int] | None = None
    for kato in areas:
        years = set(money.loc[money["area"] == kato, "year"].astype(int))
        if years:
            common = years if common is None else common & years
    return sorted(common or (), reverse=True)


def default_base(money: pd.DataFrame, areas: tuple[str, ...]) -> int | None:
    """The latest year with a current-price reading for every area shown; failing that,
    the first area's latest."""
    years = base_years(money, areas)
    if years:
        return years[0]
    mine = money.loc[money["area"] == areas[0], "year"] if areas else money["year"]
    return int(mine.max()) if len(mine) else None


def derive(
    money: pd.DataFrame,
    index: pd.DataFrame,
    base: int,
    meta: Mapping,
    index_meta: Mapping,
    lang: str,
) -> pd.DataFrame:
    """The derived observations: ``money`` in constant prices of ``base``, chained from
    ``index`` (both as :func:`bureau_readings` gives them), one row per area, series and year,
    with the columns of :func:`store.queries.observations` and ``index_source`` (the index's
    sources). Values are rounded to the indicator's decimals; the note gives the formula."""
    decimals = decimals_of(dict(meta))
    rows = []
    for (kato, series), g in money.groupby(["area", "series"], sort=False):
        values = dict(zip(g["year"].astype(int), g["value"].astype(float), strict=True))
        links = index[(index["area"] == kato) & (index["series"] == series)]
        rates = dict(zip(links["year"].astype(int), links["value"].astype(float), strict=True))
        found = chain(values, rates, base)
        if len(found) < 2:  # the base year alone is no series in constant prices
            continue
        anchor = g[g["year"] == base].iloc[0]
        used = links[links["year"].between(min(found) + 1, max(found))]
        index_sources = ", ".join(dict.fromkeys(used["source"]))
        note = formula_note(
            meta, index_meta, base, float(anchor["value"]), anchor["source"], index_sources, lang
        )
        restated = sorted(used.loc[used["status"] == "derived", "year"].astype(int))
        if restated:  # the Bureau wrote «N раза»: N × 100 %, as precise as N
            note += " " + t("cp.note_restated", lang, years=", ".join(map(str, restated)))
        for year, value in found.items():
            rows.append(
                {
                    "indicator": anchor["indicator"],
                    "area": kato,
                    "year": year,
                    "series": series,
                    "value": round(value, decimals) if decimals is not None else value,
                    "status": "derived",
                    "year_approx": False,
                    "source": anchor["source"],
                    "note": note,
                    "excerpt": None,
                    "location": None,
                    "tier": anchor.get("tier"),
                    "other_sources": 0,
                    "index_source": index_sources,
                }
            )
    return pd.DataFrame(rows, columns=[*money.columns, "index_source"])


def formula_note(
    meta: Mapping,
    index_meta: Mapping,
    base: int,
    value: float,
    source: str,
    index_sources: str,
    lang: str,
) -> str:
    """The note of a derived series: how it was computed, from which figures and sources."""
    return t(
        "cp.note",
        lang,
        name=meta[f"name_{lang}"],
        base=base,
        value=fmt_number(value, lang, decimals_of(dict(meta))),
        unit=meta[f"unit_{lang}"],
        source=source,
        index=index_meta[f"name_{lang}"],
        index_unit=index_meta[f"unit_{lang}"],
        index_source=index_sources,
    )


def label(base: int, lang: str) -> str:
    """'in constant prices of 2023 (derived from the Bureau's volume indices)'."""
    return t("cp.label", lang, year=base)


def constant_meta(meta: Mapping, base: int) -> dict:
    """The indicator's catalogue row as the derived series reads: its name with
    :func:`label` and its unit in constant prices, in every language."""
    out = dict(meta)
    for lang in ("kk", "ru", "en"):
        out[f"name_{lang}"] = f"{meta[f'name_{lang}']}, {label(base, lang)}"
        out[f"unit_{lang}"] = t("cp.unit", lang, year=base)
    return out


FORMULA = (
    "V_B(B) = V(B), the value of the base year B in current prices; "
    "V_B(t) = V_B(t-1) x I(t) / 100 for t after B; V_B(t-1) = V_B(t) / (I(t) / 100) for t-1 "
    "before B; I(t) = the Bureau's physical volume index of year t, % of the previous year. "
    "The chain ends at the first year without an index."
)


def prices_meta(indicator: str, base: int, lang: str) -> dict:
    """What an export of the derived series says about it (``meta["prices"]``)."""
    return {
        "prices": "constant",
        "base": base,
        "label": label(base, lang),
        "unit": t("cp.unit", lang, year=base),
        "index": VOLUME_INDICES[indicator],
        "status": "derived",
        "formula": FORMULA,
    }


def index_sources(obs: pd.DataFrame) -> list[str]:
    """The sources of the indices a derived series was chained with (first-seen order)."""
    codes = obs["index_source"] if "index_source" in obs else []
    return list(dict.fromkeys(c for v in codes if isinstance(v, str) for c in v.split(", ") if c))


def money_readings(indicator: str, areas: tuple[str, ...] | None) -> pd.DataFrame:
    """The Bureau's current-price readings of ``indicator`` for ``areas``."""
    return bureau_readings(queries.observations(indicator, areas, "all"))


def constant_observations(
    indicator: str, areas: tuple[str, ...] | None, base: int, lang: str
) -> pd.DataFrame:
    """``indicator``'s observations for ``areas`` in constant prices of ``base`` (see
    :func:`derive`); empty when the indicator has no volume index."""
    money = money_readings(indicator, areas)
    code = VOLUME_INDICES.get(indicator)
    if code is None or money.empty:
        return derive(money.iloc[0:0], money.iloc[0:0], base, {}, {}, lang)
    index = bureau_readings(queries.observations(code, areas, "all"))
    meta, index_meta = queries.indicator(indicator), queries.indicator(code)
    return derive(money, index, base, meta, index_meta, lang)


__all__ = [
    "MODE",
    "PRICES",
    "VOLUME_INDICES",
    "base_years",
    "bureau_readings",
    "chain",
    "constant_meta",
    "constant_observations",
    "default_base",
    "derive",
    "formula_note",
    "has_index",
    "index_sources",
    "prices_meta",
    "label",
    "money_readings",
]
