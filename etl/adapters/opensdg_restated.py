"""National SDG platform series that measure a catalogue indicator, restated under its code.

The Bureau publishes some comparisons only on its SDG platform (kazstat-sdg): the unemployment
rate of every oblast and of the country (SDG 8.5.2) is the labour force survey's rate that the
regional tables give as ``unemployment_rate``. ``data/mappings/opensdg_restated.csv``
(``sdg_id,unit,indicator,note``) declares which series is which indicator: the file is read by
:mod:`etl.adapters.opensdg`, its totals (series "") are kept, and they are stored under the
declared indicator with the declared note, the platform's source and the file's row as location.
A file whose unit is not the declared one is an error; nothing is rescaled.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from config import DATA_DIR
from etl.adapters import opensdg
from etl.areas import Resolver
from etl.batch import Batch

MAPPING_FILE = DATA_DIR / "mappings" / "opensdg_restated.csv"


def read(path: Path, *, resolver: Resolver, options: dict | None = None) -> Batch:
    """The totals of one Open SDG data file, under the catalogue indicator it measures."""
    batch = opensdg.read(Path(path), resolver=resolver, options=options)
    declared = pd.read_csv(MAPPING_FILE, dtype=str, keep_default_na=False)
    rules = {r["sdg_id"]: r for r in declared.to_dict("records")}
    kept = []
    for ind in batch.indicators:
        rule = rules.get(ind.get("sdg_id") or "")
        if rule is None:
            batch.warnings.append(f"SDG {ind.get('sdg_id')}: no indicator declared, not read")
            continue
        units = _units(Path(path))
        if units != {rule["unit"]}:
            batch.error(None, "UNIT_MEASURE", f"units {sorted(units)}, declared {rule['unit']}")
            continue
        obs = batch.observations
        obs = obs[(obs["indicator"] == ind["code"]) & (obs["series"] == "")].copy()
        obs["indicator"] = rule["indicator"]
        obs["note"] = rule["note"]
        kept.append(obs)
    batch.indicators = []  # the catalogue's own definitions apply
    if kept:
        batch.observations = pd.concat(kept, ignore_index=True)
    else:
        batch.observations = batch.observations.iloc[0:0]
    return batch


def _units(path: Path) -> set[str]:
    df = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8-sig")
    return set(df["UNIT_MEASURE"]) - {""} if "UNIT_MEASURE" in df else set()
