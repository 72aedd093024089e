"""Plausibility rules per indicator: a figure outside them is refused or needs a second look.

Every indicator gets rules derived from the kind of its unit (``unit_en`` in the catalogue):

| unit kind | example units | rule |
| --- | --- | --- |
| share | ``%``, ``% of territory`` | 0 to 100 |
| index | ``% of the previous year``, ``as a percentage to 2005`` | at least 0; above 10 000 is a warning |
| count or quantity | persons, units, tonnes, head, hectares, m³, per 1,000 population | at least 0 |
| anything else | money (can be a loss), SDG's generic ``Percent`` (also growth rates) | none |

``data/plausibility.csv`` (``indicator,min,max,severity,why``) overrides the derived bounds of
an indicator: its rows replace them (an empty ``min``/``max`` is no bound), e.g. natural increase
and net migration may be negative. Every figure, whatever its indicator, must also be smaller
than 10^15 in size, and its year may not be after the current year unless its status is
``estimate`` (a projection).

A broken ``error`` rule refuses the load; a broken ``warning`` rule refuses it unless the
load is run with ``--accept-warnings``.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import numpy as np
import pandas as pd

import config

OVERRIDES_FILE = config.DATA_DIR / "plausibility.csv"
MAGNITUDE = 1e15
SEVERITIES = ("error", "warning")

_INDEX = re.compile(r"previous year|as a percentage to|base year|= ?100", re.IGNORECASE)
_SHARE = re.compile(r"^\s*%(\s+of\s+(territory|area|land|total|population))?\s*$", re.IGNORECASE)
_QUANTITY = re.compile(
    r"\b(persons?|people|units|tonnes?|tons?|head|hectares?|ha|m³|m²|km²|kwh|gcal|beds|cases|"
    r"births|megawatts|passenger-km|tonne-km|per 1,?000|per 100 ?000|per 10,?000)\b",
    re.IGNORECASE,
)
_MONEY = re.compile(r"tenge|dollar|usd|euro|rouble", re.IGNORECASE)


@dataclass(frozen=True)
class Rule:
    """Bounds for the figures of one indicator; None = no bound."""

    min: float | None
    max: float | None
    severity: str
    why: str

    def broken_by(self, values: pd.Series) -> pd.Series:
        mask = pd.Series(False, index=values.index)
        if self.min is not None:
            mask |= values < self.min
        if self.max is not None:
            mask |= values > self.max
        return mask

    def describe(self) -> str:
        if self.min is not None and self.max is not None:
            bounds = f"between {self.min:g} and {self.max:g}"
        elif self.min is not None:
            bounds = f"at least {self.min:g}"
        else:
            bounds = f"at most {self.max:g}"
        return f"{bounds} ({self.why})"


def derived_rules(unit_en: str | None) -> list[Rule]:
    """The rules the unit's kind implies (see the module's table)."""
    unit = (unit_en or "").strip()
    if not unit or _MONEY.search(unit):
        return []
    if _INDEX.search(unit):
        return [
            Rule(0, None, "error", "an index, a percentage of a base, is not negative"),
            Rule(None, 10_000, "warning", "an index above 10 000 is a hundredfold change"),
        ]
    if _SHARE.match(unit):
        return [Rule(0, 100, "error", "a share in per cent")]
    if ";" not in unit and _QUANTITY.search(unit):
        return [Rule(0, None, "error", f"a count or quantity in {unit} is not negative")]
    return []


@cache
def overrides(path: Path = OVERRIDES_FILE) -> dict[str, list[Rule]]:
    """The rules of data/plausibility.csv by indicator code."""
    if not path.is_file():
        return {}
    df = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8-sig")
    rules: dict[str, list[Rule]] = {}
    for row in df.itertuples(index=False):
        severity = row.severity.strip() or "error"
        if severity not in SEVERITIES:
            raise ValueError(f"{path}: severity {severity!r} is not one of {SEVERITIES}")
        bounds = [float(v) if v.strip() else None for v in (row.min, row.max)]
        rule = Rule(bounds[0], bounds[1], severity, row.why.strip() or "data/plausibility.csv")
        rules.setdefault(row.indicator.strip(), [])
        if rule.min is not None or rule.max is not None:
            rules[row.indicator.strip()].append(rule)
    return rules


def rules_for(code: str, unit_en: str | None) -> list[Rule]:
    """The bounds of one indicator: its overrides if it has any, else the derived ones."""
    declared = overrides()
    return declared[code] if code in declared else derived_rules(unit_en)


def check(obs: pd.DataFrame, units: dict[str, str | None]) -> list[tuple[int, str, str, str]]:
    """(index of the row, column, severity, message) for every implausible observation.

    ``units`` gives each indicator's ``unit_en``; rows of an indicator it lacks are only
    checked for size and year (an unknown indicator is an error of its own elsewhere).
    """
    if obs.empty:
        return []
    found: list[tuple[int, str, str, str]] = []
    values = pd.to_numeric(obs["value"], errors="coerce").astype(float)
    years = pd.to_numeric(obs["year"], errors="coerce")
    huge = np.isfinite(values) & (values.abs() >= MAGNITUDE)
    for idx in obs.index[huge.to_numpy()]:
        found.append((idx, "value", "error", f"value {values[idx]:g} is implausibly large"))
    this_year = dt.date.today().year
    future = (years > this_year) & (obs["status"] != "estimate")
    for idx in obs.index[future.to_numpy()]:
        found.append(
            (
                idx,
                "year",
                "error",
                f"year {int(years[idx])} is after the current year ({this_year}) for a figure "
                f"of status {obs.at[idx, 'status']!r}; only an estimate (projection) may be",
            )
        )
    for code, rows in obs.groupby("indicator", sort=False).groups.items():
        if code not in units:
            continue
        for rule in rules_for(code, units[code]):
            broken = rule.broken_by(values.loc[rows])
            for idx in broken.index[broken.to_numpy()]:
                found.append(
                    (
                        idx,
                        "value",
                        rule.severity,
                        f"value {values[idx]:g} of {code} is implausible: it should be "
                        + rule.describe(),
                    )
                )
    return found


JUMP = 0.5  # a change of more than half from the year before


def year_on_year(
    obs: pd.DataFrame, values: dict[tuple[str, str, str, int], float]
) -> list[tuple[int, str]]:
    """(index of the row, message) for every figure more than :data:`JUMP` (50%) away from
    the figure of the year before; ``values`` maps (indicator, area, series, year) to the
    figure known for that year (what the database shows, or what the same batch says)."""
    found = []
    for idx, row in obs.iterrows():
        prev = values.get(
            (row["indicator"], row["area"], row["series"] or "", int(row["year"]) - 1)
        )
        value = float(row["value"])
        if prev is None or not np.isfinite(value):
            continue
        if prev == 0:
            jump = value != 0
        else:
            jump = abs(value - prev) / abs(prev) > JUMP
        if jump:
            found.append(
                (
                    idx,
                    f"value {value:g} of {row['indicator']} for {int(row['year'])} changes by more "
                    f"than {JUMP:.0%} from {prev:g} the year before: check it",
                )
            )
    return found
