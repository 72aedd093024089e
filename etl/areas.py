"""Resolve area names and foreign codes to KATO through the alias table.

Names are matched after :func:`norm` (case, ё/е, spaces and punctuation ignored).
A name can be ambiguous nationally ("Жамбылский" is a district in three oblasts):
pass ``parent`` (the oblast's KATO) to resolve it within one oblast.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import pandas as pd

from config import DATA_DIR

_NON_WORD = re.compile(r"[\W_]+", re.UNICODE)


_CYRILLIC = re.compile(r"[\u0400-\u04ff]")
_WORD = re.compile(r"\w+", re.UNICODE)
# Latin letters that look like Cyrillic ones, found in Cyrillic words («Солтүстiк» with a
# Latin i): mapped to the Cyrillic letter within a word that has Cyrillic letters.
_LOOKALIKES = str.maketrans("aceopxyi", "асеорхуі")


def norm(name: str) -> str:
    """The lookup key of a spelling: lower case, ё->е, Latin look-alikes in Cyrillic words made
    Cyrillic, no spaces or punctuation."""
    text = str(name).casefold().replace("ё", "е")
    if _CYRILLIC.search(text):
        text = _WORD.sub(
            lambda m: m[0].translate(_LOOKALIKES) if _CYRILLIC.search(m[0]) else m[0], text
        )
    return _NON_WORD.sub("", text)


class UnknownArea(LookupError):
    pass


class AmbiguousArea(LookupError):
    pass


@dataclass
class Resolver:
    """Maps spellings and codes to KATO codes, optionally within a parent area."""

    areas: pd.DataFrame  # kato, level, parent, ...
    aliases: pd.DataFrame  # key, kato, alias, lang

    def __post_init__(self) -> None:
        self.parent_of = dict(zip(self.areas["kato"], self.areas["parent"], strict=True))
        self._by_key: dict[str, list[str]] = {}
        for key, kato in zip(self.aliases["key"], self.aliases["kato"], strict=True):
            self._by_key.setdefault(key, []).append(kato)
        for kato in self.areas["kato"]:
            self._by_key.setdefault(kato, []).append(kato)

    def resolve(self, name: str, parent: str | None = None) -> str:
        """The KATO code for ``name``; raises UnknownArea or AmbiguousArea."""
        candidates = sorted(set(self._by_key.get(norm(name), [])))
        if parent is not None and len(candidates) > 1:
            candidates = [k for k in candidates if k == parent or self.parent_of.get(k) == parent]
        if not candidates:
            raise UnknownArea(f"unknown area {name!r}" + (f" in {parent}" if parent else ""))
        if len(candidates) > 1:
            raise AmbiguousArea(f"area {name!r} is ambiguous: {', '.join(candidates)}")
        return candidates[0]

    def get(self, name: str, parent: str | None = None) -> str | None:
        try:
            return self.resolve(name, parent)
        except LookupError:
            return None

    @classmethod
    def from_files(cls, areas_csv: Path, aliases_csv: Path) -> Resolver:
        areas = pd.read_csv(areas_csv, dtype=str, keep_default_na=False)
        aliases = pd.read_csv(aliases_csv, dtype=str, keep_default_na=False)
        aliases["key"] = aliases["alias"].map(norm)
        areas["parent"] = areas["parent"].replace("", None)
        return cls(areas, aliases)


@cache
def default_resolver() -> Resolver:
    """The resolver over the project's curated area files (data/areas.csv, area_aliases.csv)."""
    return Resolver.from_files(DATA_DIR / "areas.csv", DATA_DIR / "area_aliases.csv")
