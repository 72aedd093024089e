"""Per-person and per-km² quotients in a readable unit: only the unit's power of ten moves
into the figure (the catalogue's units are those of data/indicators/*.csv)."""

from __future__ import annotations

import pandas as pd
import pytest

from components import kinds, per_units
from store import schema

INDUSTRIAL_OUTPUT = {  # data/indicators/core.csv
    "unit_kk": "млн теңге, ағымдағы бағамен",
    "unit_ru": "млн тенге, в текущих ценах",
    "unit_en": "million tenge, current prices",
}
EMISSIONS = {"unit_kk": "мың тонна", "unit_ru": "тыс. тонн", "unit_en": "thousand tonnes"}
POPULATION = {"unit_kk": "мың адам", "unit_ru": "тыс. человек", "unit_en": "thousand persons"}


def test_million_tenge_per_person_is_shown_in_tenge_per_person():
    factor, units = per_units.readable(INDUSTRIAL_OUTPUT, "per_capita", pd.Series([0.000358]))
    assert factor == 1e6
    assert 0.000358 * factor == pytest.approx(358)
    assert units == {
        "kk": "теңге, бір адамға, ағымдағы бағамен",
        "ru": "тенге на человека, в текущих ценах",
        "en": "tenge per person, current prices",
    }


def test_thousand_tonnes_per_person_below_a_tonne_are_kilograms():
    factor, units = per_units.readable(EMISSIONS, "per_capita", pd.Series([0.00005, 0.00002]))
    assert factor == 1e6  # 0.00005 thousand t = 50 kg
    assert units == {"kk": "кг, бір адамға", "ru": "кг на человека", "en": "kg per person"}
    factor, units = per_units.readable(EMISSIONS, "per_capita", pd.Series([0.002, 0.003]))
    assert factor == 1e3 and units["en"] == "tonnes per person"


def test_population_per_km2_is_persons_per_km2():
    factor, units = per_units.readable(POPULATION, "per_km2", pd.Series([0.0023]))
    assert factor == 1e3
    assert units == {"kk": "адам, 1 км²-ге", "ru": "человек на км²", "en": "persons per km²"}


def test_every_kind_the_code_speaks_of_is_declared_in_the_schema():
    assert kinds.DIVISIBLE | kinds.RATES <= set(schema.KINDS)
    assert kinds.is_rate({"kind": "share"}) and kinds.is_rate({"kind": "rate"})
    assert not kinds.is_rate({"kind": "total"}) and not kinds.is_rate({})
