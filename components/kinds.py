"""What kind of quantity an indicator is, as its catalogue row declares it (``kind``), and
what follows from that. One place for the question, for the map, the charts and the API.

    total  a sum over areas (output, population, emissions, a count of units): it grows
           with an area's size, so it may be shown per person or per km²
    rate   per some base (births per 1,000, yield per hectare, unemployment rate)
    share  a part of a whole, in per cent
    index  an index (previous year = 100, a composite score)
    mean   an average over people or firms (a wage, a subsistence minimum)
    level  a state of something (a sea's level, surface area or salinity)

The list itself is declared with the schema (``store.schema.KINDS``); an indicator without a
declared kind (one read from Open SDG) is treated as not divisible.
"""

from __future__ import annotations

from collections.abc import Mapping

DIVISIBLE = frozenset({"total"})
RATES = frozenset({"rate", "share"})  # changes are told in percentage points


def divisible(meta: Mapping) -> bool:
    """True when the indicator is a total, which may be divided by population or area."""
    return meta.get("kind") in DIVISIBLE


def is_rate(meta: Mapping) -> bool:
    """True when the indicator is a rate or a share, whose changes are percentage points
    (for a rate per 1,000 or per hectare: points of that unit), not per cent."""
    return meta.get("kind") in RATES
