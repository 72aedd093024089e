"""Areas' display names: the name in a language, with the oblast (or city) it lies in when
another area of the same level bears the same name in that language.

Two «Актогайский район» (in Karaganda and Pavlodar oblasts) read «Актогайский район
(Карагандинская область)» and «Актогайский район (Павлодарская область)» on every page,
chart, table, slide, report and export; a unique name is shown alone.
"""

from __future__ import annotations

import pandas as pd
from sqlalchemy import func, select

from store import schema
from store.queries import COUNTRY, _read, cached

LANGS = ("kk", "ru", "en")


@cached
def area_names() -> pd.DataFrame:
    """Every area with its names, its parent's names and, per language, how many areas of its
    level share its name (``same_kk``, ``same_ru``, ``same_en``): one query."""
    a, p = schema.areas, schema.areas.alias("parent_area")
    cols = [a.c.kato, a.c.level, a.c.parent]
    for lang in LANGS:
        name = a.c[f"name_{lang}"]
        cols += [
            name,
            p.c[f"name_{lang}"].label(f"parent_{lang}"),
            func.count().over(partition_by=[a.c.level, name]).label(f"same_{lang}"),
        ]
    stmt = select(*cols).outerjoin(p, p.c.kato == a.c.parent).order_by(a.c.kato)
    return _read(stmt)


def labels_of(df: pd.DataFrame, lang: str) -> dict[str, str]:
    """KATO -> display label in ``lang`` from :func:`area_names`' frame."""
    name, parent = df[f"name_{lang}"], df[f"parent_{lang}"]
    tell = (df[f"same_{lang}"] > 1) & parent.notna() & (df["parent"] != COUNTRY)
    label = name.where(~tell, name + " (" + parent.fillna("") + ")")
    return dict(zip(df["kato"], label, strict=True))


@cached
def area_labels(lang: str) -> dict[str, str]:
    """KATO -> the area's display label in ``lang`` (name, with its oblast when ambiguous)."""
    return labels_of(area_names(), lang)


def area_label(kato: str | None, lang: str) -> str:
    """The display label of ``kato`` in ``lang`` (the code itself when it is unknown)."""
    return area_labels(lang).get(kato or "", kato or "")
