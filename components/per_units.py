"""Readable units for a total shown per person or per km²: "million tenge" per person is
0.000358; the same figure in tenge per person is 358. Only the unit changes (a power of ten
taken out of the unit's text), never the figure's precision. Pure: the catalogue row and
the quotients come as arguments."""

from __future__ import annotations

from collections.abc import Mapping

import pandas as pd

from components.i18n import LANGS, t

# The multiplier words the catalogue's units start with, per language.
MULTIPLIERS = {
    "en": {"billion ": 1e9, "million ": 1e6, "thousand ": 1e3},
    "ru": {"млрд ": 1e9, "млн ": 1e6, "тыс. ": 1e3},
    "kk": {"млрд ": 1e9, "млн ": 1e6, "мың ": 1e3},
}
# Tonnes per person below 1 read better in kilograms.
TONNES = {"en": ("tonnes", "kg"), "ru": ("тонн", "кг"), "kk": ("тонна", "кг")}


def _split(unit: str, lang: str) -> tuple[float, str]:
    """(multiplier, the rest) of a unit's text: ("million tenge") -> (1e6, "tenge")."""
    for word, factor in MULTIPLIERS[lang].items():
        if unit.startswith(word):
            return factor, unit[len(word) :]
    return 1.0, unit


def _per(unit: str, how: str, lang: str) -> str:
    """ "tenge per person, current prices": the per-unit words after the unit's first part."""
    head, sep, tail = unit.partition(", ")
    return t(f"norm.{how}_unit", lang, unit=head) + (sep + tail if sep else "")


def readable(meta: Mapping, how: str, quotients: pd.Series) -> tuple[float, dict[str, str]]:
    """The factor the per-person or per-km² ``quotients`` (in the indicator's unit per
    person or per km²) are multiplied by, and the unit they are then in, per language."""
    units = {lang: str(meta.get(f"unit_{lang}") or "") for lang in LANGS}
    split = {lang: _split(units[lang], lang) for lang in LANGS}
    factors = {f for f, _ in split.values()}
    if len(factors) != 1:  # the languages disagree: the unit as written
        return 1.0, {lang: _per(units[lang], how, lang) for lang in LANGS}
    factor = factors.pop()
    rest = {lang: r for lang, (_, r) in split.items()}
    v = (quotients.abs() * factor).dropna()
    tonnes = all(rest[lang].startswith(TONNES[lang][0]) for lang in LANGS)
    if tonnes and len(v) and float(v.median()) < 1:
        factor *= 1000
        rest = {lang: TONNES[lang][1] + rest[lang][len(TONNES[lang][0]) :] for lang in LANGS}
    return factor, {lang: _per(rest[lang], how, lang) for lang in LANGS}
