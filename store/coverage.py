"""The coverage page's queries: which indicators have data for which areas and years, counted
in SQL (one query per list, never one per indicator or area)."""

from __future__ import annotations

import pandas as pd
from sqlalchemy import and_, case, func, literal, or_, select, union_all

from store import schema
from store.queries import COUNTRY, _read, area_indicators, cached


def _region(a):  # noqa: ANN001, ANN202
    """The oblast (or republican city) an area lies in: its parent, or itself for a region;
    the country for the country."""
    top = or_(a.c.parent == COUNTRY, a.c.parent.is_(None))
    return case((top, a.c.kato), else_=a.c.parent)


TIERS = ("district", "town", "region", "country", "former")


def _tier(a):  # noqa: ANN001, ANN202
    """An area's tier on the coverage page: the country; a region (an oblast or a city of
    republican significance); a district; a town (a city inside a region); a former unit
    (one that no longer exists under its code: ``valid_to`` set)."""
    return case(
        (a.c.valid_to.is_not(None), literal("former")),
        (a.c.kato == COUNTRY, literal("country")),
        (a.c.parent == COUNTRY, literal("region")),
        (a.c.level == "district", literal("district")),
        else_=literal("town"),
    )


@cached
def indicator_coverage() -> pd.DataFrame:
    """Per indicator and tier (:data:`TIERS`, and ``all``): ``areas`` with data (by KATO
    code), ``first_year``, ``last_year`` and ``years`` (distinct years with data). One query."""
    o, a = schema.observations, schema.areas
    pairs = (
        select(o.c.indicator, o.c.area, o.c.year, _tier(a).label("tier"))
        .join(a, a.c.kato == o.c.area)
        .distinct()
        .subquery()
    )

    def grouped(tier):  # noqa: ANN001, ANN202
        return select(
            pairs.c.indicator,
            tier.label("tier"),
            func.count(func.distinct(pairs.c.area)).label("areas"),
            func.min(pairs.c.year).label("first_year"),
            func.max(pairs.c.year).label("last_year"),
            func.count(func.distinct(pairs.c.year)).label("years"),
        ).group_by(pairs.c.indicator, tier)

    stmt = union_all(grouped(pairs.c.tier), grouped(literal("all")))
    return _read(stmt).sort_values(["indicator", "tier"], ignore_index=True)


@cached
def tier_sizes() -> pd.DataFrame:
    """Per tier: ``areas`` that exist today (``valid_to`` empty)."""
    a = schema.areas
    tier = _tier(a)
    stmt = select(tier.label("tier"), func.count().label("areas"))
    return _read(stmt.where(a.c.valid_to.is_(None)).group_by(tier))


def area_coverage(kato: str) -> pd.DataFrame:
    """The indicators of one area: ``indicator``, ``first_year``, ``last_year``, ``years``
    (distinct years with data) and ``sources`` (distinct sources)."""
    have = area_indicators(kato).rename(columns={"n_sources": "sources"})
    return have[["indicator", "first_year", "last_year", "years", "sources"]]


@cached
def oblast_coverage(indicator_code: str) -> pd.DataFrame:
    """Per region (oblast or republican city) for one indicator: ``region``, ``areas`` (its
    districts and cities that exist today with data), ``own`` (1 if the region itself has
    data), ``first_year``, ``last_year`` and ``years`` (distinct years, the region's and its
    areas', former ones included)."""
    o, a = schema.observations, schema.areas
    region = _region(a)
    inside = and_(a.c.kato != region, a.c.valid_to.is_(None))
    stmt = (
        select(
            region.label("region"),
            func.count(func.distinct(case((inside, o.c.area)))).label("areas"),
            func.max(case((inside, literal(0)), else_=literal(1))).label("own"),
            func.min(o.c.year).label("first_year"),
            func.max(o.c.year).label("last_year"),
            func.count(func.distinct(o.c.year)).label("years"),
        )
        .join(a, a.c.kato == o.c.area)
        .where(o.c.indicator == indicator_code, a.c.kato != COUNTRY)
        .group_by(region)
        .order_by(region)
    )
    return _read(stmt)


@cached
def region_sizes() -> pd.DataFrame:
    """Per region: ``areas``, its districts and cities that exist today (``valid_to`` empty)."""
    a = schema.areas
    region = _region(a)
    stmt = (
        select(region.label("region"), func.count().label("areas"))
        .where(a.c.valid_to.is_(None), a.c.kato != region)
        .group_by(region)
    )
    return _read(stmt)


@cached
def sibling_indicators(kato: str) -> pd.DataFrame:
    """Indicators that the other areas under ``kato``'s parent (those that exist today) have:
    ``indicator``, ``areas`` (how many of them), ``first_year``, ``last_year``; empty for the
    country and the regions."""
    o, a = schema.observations, schema.areas
    parent = select(a.c.parent).where(a.c.kato == kato).scalar_subquery()
    siblings = select(a.c.kato).where(
        and_(a.c.parent == parent, a.c.parent != COUNTRY, a.c.kato != kato, a.c.valid_to.is_(None))
    )
    stmt = (
        select(
            o.c.indicator,
            func.count(func.distinct(o.c.area)).label("areas"),
            func.min(o.c.year).label("first_year"),
            func.max(o.c.year).label("last_year"),
        )
        .where(o.c.area.in_(siblings.scalar_subquery()))
        .group_by(o.c.indicator)
        .order_by(o.c.indicator)
    )
    return _read(stmt)
