"""The coverage page's data: URL parameters -> the indicator, region and area lists, each read
in one query (:mod:`store.coverage`) and named in the page's language."""

from __future__ import annotations

from typing import NamedTuple

import pandas as pd

from components.i18n import collation_key, request_lang, t
from components.urlstate import DEFAULT_AREA
from store import coverage, queries
from store.area_labels import area_labels
from views.charts import last

DEFAULT_INDICATOR = "industrial_output"
FEW_YEARS = 2  # an indicator with data for at most this many years is thin
FEW_DISTRICTS = 0.25  # ... or with data for fewer than this share of today's districts
FEW_IN_REGION = 0.5  # a region with data for fewer than this share of its areas is thin


class BadCoverageParameter(ValueError):
    """A parameter of the URL that names nothing (answered with a message, not a trace)."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class CoverageQuery(NamedTuple):
    lang: str
    area: str  # KATO of the area whose indicators are listed
    indicator: str  # the indicator whose coverage by region is shown


def coverage_query(params: dict) -> CoverageQuery:
    """The page's state from its URL parameters; unknown names raise
    :class:`BadCoverageParameter` with a message in the page's language."""
    lang = request_lang(last(params.get("lang")))
    area_param = last(params.get("area")) or DEFAULT_AREA
    area = queries.resolve_area(area_param)
    if area is None:
        raise BadCoverageParameter(t("msg.unknown_area", lang, code=str(area_param)))
    indicator = last(params.get("indicator")) or DEFAULT_INDICATOR
    if not isinstance(indicator, str) or queries.indicator(indicator) is None:
        raise BadCoverageParameter(t("cov.unknown_indicator", lang, code=str(indicator)))
    return CoverageQuery(lang, area, indicator)


def _names(lang: str) -> pd.DataFrame:
    """The catalogue's code, category and name in ``lang``."""
    cat = queries.indicators()
    return cat[["code", "category"]].assign(name=cat[f"name_{lang}"])


def _by_name(
    df: pd.DataFrame, lang: str, first: str | None = None, descending: bool = False
) -> pd.DataFrame:
    """``df`` in alphabetical order of ``name`` in ``lang`` (after ``first``, if given)."""
    key = df["name"].map(lambda n: collation_key(n, lang))
    columns = ([first] if first else []) + ["_key"]
    order = [not descending, True] if first else [True]
    df = df.assign(_key=key).sort_values(columns, ascending=order, kind="stable")
    return df.drop(columns="_key").reset_index(drop=True)


def indicator_table(lang: str) -> pd.DataFrame:
    """One row per indicator with data: code, category, name; per tier (district, town,
    region, country) the number of areas with data; first_year, last_year, years (over every
    area); few_years and few_districts (thin data, as the page says)."""
    df = coverage.indicator_coverage()
    counts = df.pivot(index="indicator", columns="tier", values="areas")
    counts = counts.reindex(columns=list(coverage.TIERS)).fillna(0).astype(int)
    overall = df[df["tier"] == "all"].set_index("indicator")[["first_year", "last_year", "years"]]
    table = _names(lang).merge(counts.join(overall), left_on="code", right_index=True)
    districts = tier_sizes().get("district", 0)
    few_years = table["years"] <= FEW_YEARS
    few_districts = (table["district"] > 0) & (table["district"] < FEW_DISTRICTS * districts)
    notes = pd.DataFrame(
        {
            "years": few_years.map({True: t("cov.thin_years", lang, n=FEW_YEARS), False: ""}),
            "districts": few_districts.map({True: t("cov.thin_districts", lang), False: ""}),
        }
    )
    reasons = notes.apply(lambda r: ", ".join(x for x in r if x), axis=1)
    note = reasons.map(lambda r: t("cov.thin", lang, reasons=r) if r else "")
    return table.assign(few_years=few_years, few_districts=few_districts, note=note).sort_values(
        ["category", "name"], ignore_index=True
    )


def tier_sizes() -> dict[str, int]:
    """{tier: the number of its areas that exist today}."""
    df = coverage.tier_sizes()
    return dict(zip(df["tier"], df["areas"].astype(int), strict=True))


def region_table(indicator: str, lang: str) -> pd.DataFrame:
    """One row per region (oblast or republican city; the old regions too when they have
    data): region, name, areas (its districts and towns with data), size (those existing
    today), own (the region's own figures), first_year, last_year, years."""
    cov = coverage.oblast_coverage(indicator)
    sizes = coverage.region_sizes().set_index("region")["areas"]
    regions = queries.areas()
    regions = regions[(regions["parent"] == queries.COUNTRY) & regions["valid_to"].isna()]
    df = pd.DataFrame({"region": list(dict.fromkeys([*regions["kato"], *cov["region"]]))})
    df = df.merge(cov, on="region", how="left")
    labels = area_labels(lang)
    df = df.assign(
        name=df["region"].map(labels),
        areas=df["areas"].fillna(0).astype(int),
        own=df["own"].fillna(0).astype(bool),
        size=df["region"].map(sizes).fillna(0).astype(int),
        years=df["years"].fillna(0).astype(int),
    )
    thin = (df["years"] > 0) & (df["areas"] < FEW_IN_REGION * df["size"])
    note = thin.map({True: t("cov.thin_region", lang), False: ""})
    note = note.where(df["years"] > 0, t("cov.no_data", lang))
    return _by_name(df.assign(note=note), lang)


class AreaCoverage(NamedTuple):
    kato: str
    name: str
    parent: str | None  # the region it lies in (None for the country and the regions)
    parent_name: str | None
    has: pd.DataFrame  # code, name, first_year, last_year, years, sources
    lacks: pd.DataFrame  # code, name, areas (siblings with data), first_year, last_year
    siblings: int  # the other areas of its region that exist today


def area_coverage(kato: str, lang: str) -> AreaCoverage:
    """What ``kato`` has, and what the other areas of its region have that it lacks."""
    labels = area_labels(lang)
    info = queries.area(kato) or {}
    parent = info.get("parent")
    parent = parent if isinstance(parent, str) and parent != queries.COUNTRY else None
    names = _names(lang)
    has = coverage.area_coverage(kato).rename(columns={"indicator": "code"})
    has = _by_name(names.merge(has, on="code"), lang, first="category")
    has = has.assign(note=(has["years"] == 1).map({True: t("cov.thin_one_year", lang), False: ""}))
    lacks = coverage.sibling_indicators(kato).rename(columns={"indicator": "code"})
    lacks = lacks[~lacks["code"].isin(has["code"])]
    lacks = _by_name(names.merge(lacks, on="code"), lang, first="areas", descending=True)
    siblings = 0
    if parent:
        kids = queries.areas(parent=parent)
        siblings = int((kids["valid_to"].isna() & (kids["kato"] != kato)).sum())
    return AreaCoverage(
        kato,
        labels.get(kato, kato),
        parent,
        labels.get(parent) if parent else None,
        has,
        lacks,
        siblings,
    )
