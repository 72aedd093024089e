"""Source adapters: one module per source format.

Each adapter module defines

    FORMAT: str                      # the name used with --format
    def detect(path: Path) -> bool   # True if this adapter reads ``path``
    def read(path: Path, *, resolver: Resolver, options: dict) -> Batch

and never touches the database. ``options`` carries CLI options such as
``indicator`` (the indicator code for a Bureau table) or ``mapping`` (a mapping file).
"""

from __future__ import annotations

import importlib
from pathlib import Path
from types import ModuleType

# Order matters: the first adapter whose detect() accepts a path reads it.
ADAPTER_MODULES = (
    "etl.adapters.curated",
    "etl.adapters.opensdg",
    "etl.adapters.bns_employment",  # before the workbooks: its tables have their row labels
    "etl.adapters.bns_district_workbook",
    "etl.adapters.bns_table",
    "etl.adapters.boundaries",
)


def adapters() -> list[ModuleType]:
    found = []
    for name in ADAPTER_MODULES:
        try:
            found.append(importlib.import_module(name))
        except ModuleNotFoundError as exc:
            if exc.name != name:
                raise
    return found


def by_format(fmt: str) -> ModuleType:
    for module in adapters():
        if module.FORMAT == fmt:
            return module
    known = ", ".join(m.FORMAT for m in adapters())
    raise KeyError(f"unknown format {fmt!r} (known: {known})")


def detect(path: Path) -> ModuleType | None:
    for module in adapters():
        if module.detect(path):
            return module
    return None
