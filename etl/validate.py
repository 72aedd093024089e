"""Check a batch against the schema's rules and against what the database already holds.

Nothing here writes. Every problem becomes a LoadError naming file, row and column.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from sqlalchemy import Connection, select

from etl.batch import Batch, LoadError
from store import schema

YEAR_RANGE = (1900, 2100)


def known_codes(conn: Connection | None) -> dict[str, set[str]]:
    """Codes already in the database, per table (empty sets for a new database)."""
    known = {"areas": set(), "indicators": set(), "sources": set(), "programs": set()}
    if conn is None:
        return known
    known["areas"] = set(conn.scalars(select(schema.areas.c.kato)))
    known["indicators"] = set(conn.scalars(select(schema.indicators.c.code)))
    known["sources"] = set(conn.scalars(select(schema.sources.c.code)))
    known["programs"] = set(conn.scalars(select(schema.programs.c.code)))
    return known


def validate(batches: list[Batch], conn: Connection | None) -> list[LoadError]:
    """All errors of the batches, read together (a build loads several at once)."""
    known = known_codes(conn)
    errors: list[LoadError] = [e for b in batches for e in b.errors]
    for b in batches:
        known["areas"] |= {r["kato"] for r in b.areas}
        known["indicators"] |= {r["code"] for r in b.indicators}
        known["sources"] |= {r["code"] for r in b.sources}
        known["programs"] |= {r["code"] for r in b.programs}
    seen: dict[str, dict] = {"sources": {}, "indicators": {}, "areas": {}, "programs": {}}
    for b in batches:
        errors += _check_unique(b, b.sources, "code", seen["sources"], "source")
        errors += _check_unique(b, b.indicators, "code", seen["indicators"], "indicator")
        errors += _check_unique(b, b.areas, "kato", seen["areas"], "area")
        errors += _check_unique(b, b.programs, "code", seen["programs"], "program")
        errors += _check_rows(
            b, b.areas, known, {"level": schema.AREA_LEVELS, "parent": "areas", "source": "sources"}
        )
        errors += _check_rows(b, b.aliases, known, {"kato": "areas"})
        errors += _check_rows(
            b,
            b.indicators,
            known,
            {
                "category": schema.CATEGORIES,
                "direction": schema.DIRECTIONS,
                "preferred_source": "sources",
            },
        )
        errors += _check_rows(b, b.programs, known, {"source": "sources"})
        errors += _check_rows(
            b,
            b.targets,
            known,
            {
                "program": "programs",
                "indicator": "indicators",
                "area": "areas",
                "source": "sources",
                "comparator": schema.COMPARATORS,
            },
        )
        errors += _check_rows(b, b.boundaries, known, {"area": "areas", "source": "sources"})
        errors += _check_observations(b, known)
        for rows, table in (
            (b.sources, schema.sources),
            (b.areas, schema.areas),
            (b.aliases, schema.area_aliases),
            (b.indicators, schema.indicators),
            (b.programs, schema.programs),
            (b.targets, schema.targets),
        ):
            errors += _check_lengths(b, rows, table)
    return errors


def _max_lengths(table) -> dict[str, int]:  # noqa: ANN001
    return {
        c.name: c.type.length for c in table.columns if getattr(c.type, "length", None) is not None
    }


def _check_lengths(b: Batch, rows: list[dict], table) -> list[LoadError]:  # noqa: ANN001
    """Text longer than its column allows: an error here, not a database error later."""
    errors = []
    limits = _max_lengths(table)
    for r in rows:
        for col, limit in limits.items():
            value = r.get(col)
            if isinstance(value, str) and len(value) > limit:
                errors.append(
                    _at(b, r, col, f"is {len(value)} characters long; at most {limit} allowed")
                )
    return errors


def _check_unique(b: Batch, rows: list[dict], key: str, seen: dict, what: str) -> list[LoadError]:
    errors = []
    for r in rows:
        code = r.get(key)
        if code in seen and _differ(seen[code], r):
            errors.append(
                _at(
                    b,
                    r,
                    key,
                    f"{what} {code!r} is defined twice, differently "
                    f"(also in {seen[code].get('_file', b.file)})",
                )
            )
        seen.setdefault(code, r)
    return errors


def _differ(a: dict, b: dict) -> bool:
    """Whether two definitions disagree on a field both give (a translation only one of them
    carries, e.g. ``publisher_kk``, is no disagreement)."""
    pa, pb = _public(a), _public(b)
    return any(
        pa[k] != pb[k] for k in pa.keys() & pb.keys() if pa[k] is not None and pb[k] is not None
    ) or (
        {k for k, v in pa.items() if v is not None and k[-3:] not in ("_kk", "_ru")}
        != {k for k, v in pb.items() if v is not None and k[-3:] not in ("_kk", "_ru")}
    )


def _public(row: dict) -> dict:
    return {k: v for k, v in row.items() if not k.startswith("_")}


def _check_rows(b: Batch, rows: list[dict], known: dict, rules: dict) -> list[LoadError]:
    errors = []
    for r in rows:
        for col, rule in rules.items():
            value = r.get(col)
            if value is None:
                continue
            if isinstance(rule, tuple):
                if value not in rule:
                    errors.append(_at(b, r, col, f"{value!r} is not one of {', '.join(rule)}"))
            elif value not in known[rule]:
                errors.append(_at(b, r, col, f"unknown {rule[:-1]} {value!r}"))
    return errors


def _check_observations(b: Batch, known: dict) -> list[LoadError]:
    obs = b.observations
    if obs.empty:
        return []
    errors = []
    checks = [
        ("indicator", ~obs["indicator"].isin(known["indicators"]), "unknown indicator {!r}"),
        ("area", ~obs["area"].isin(known["areas"]), "unknown area {!r}"),
        ("source", ~obs["source"].isin(known["sources"]), "unknown source {!r}"),
        (
            "status",
            ~obs["status"].isin(schema.STATUSES),
            "status {!r} is not one of " + ", ".join(schema.STATUSES),
        ),
    ]
    years = pd.to_numeric(obs["year"], errors="coerce")
    checks.append(
        (
            "year",
            years.isna()
            | (years < YEAR_RANGE[0])
            | (years > YEAR_RANGE[1])
            | (years != years.round()),
            "year {!r} is not a year between 1900 and 2100",
        )
    )
    values = pd.to_numeric(obs["value"], errors="coerce").astype(float)
    checks.append(
        (
            "value",
            pd.Series(~np.isfinite(values.to_numpy()), index=obs.index),
            "value {!r} is not a finite number",
        )
    )
    for col, mask, template in checks:
        for idx in obs.index[mask.to_numpy()]:
            errors.append(_obs_at(b, obs.loc[idx], col, template.format(obs.at[idx, col])))
    for col, limit in _max_lengths(schema.observations).items():
        if col in obs.columns:
            too_long = obs[col].astype(str).str.len() > limit
            for idx in obs.index[too_long.to_numpy()]:
                errors.append(_obs_at(b, obs.loc[idx], col, f"is longer than {limit} characters"))
    key = ["indicator", "area", "year", "series", "source"]
    dup = obs.duplicated(key, keep="first")
    for idx in obs.index[dup.to_numpy()]:
        row = obs.loc[idx]
        errors.append(
            _obs_at(
                b, row, None, "duplicate observation for " + ", ".join(f"{k}={row[k]}" for k in key)
            )
        )
    return errors


def _at(b: Batch, r: dict, col: str | None, msg: str) -> LoadError:
    return LoadError(r.get("_file") or b.file, r.get("_row"), r.get("_column") or col, msg)


def _obs_at(b: Batch, row: pd.Series, col: str | None, msg: str) -> LoadError:
    file = row.get("_file") or b.file
    row_no = row.get("_row")
    row_no = int(row_no) if row_no is not None and pd.notna(row_no) else None
    column = row.get("_column") if col in {"value", "year", "area"} else None
    return LoadError(str(file), row_no, column or col, msg)
