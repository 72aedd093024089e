"""What changed: the figures added, revised or withdrawn by loads since a date, since the last
data release or since a deck was frozen (the ``revisions`` table the ETL writes).

The one implementation behind the ``/changes`` page, ``/api/v1/changes``, the revision notes
of Explore's data table and the API's ``?history=true``, exports, and the decks' notice
"N figures in this deck changed since it was frozen on ...": the glue between URL
parameters and the store's queries.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from typing import NamedTuple

import pandas as pd

from components.i18n import DEFAULT_LANG, LANGS, fmt_number, t
from store import deck_access, deck_freeze, decks, queries
from store.area_labels import area_labels

SINCE_LAST = "last"
DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
KEY = ["indicator", "area", "year", "series", "source"]


class BadChangesParameter(ValueError):
    """A parameter of a changes query that cannot be used: ``name`` and ``message``."""

    def __init__(self, name: str, message: str) -> None:
        super().__init__(f"{name}: {message}")
        self.name, self.message = name, message


class ChangesQuery(NamedTuple):
    """A resolved changes query: ``after`` (UTC, ISO) is None when nothing was ever changed
    by a load (``since=last`` on a database with no history)."""

    after: str | None
    since: str  # "last", a date YYYY-MM-DD, or "" with a deck
    indicator: str | None = None
    area: str | None = None
    deck: str | None = None
    lang: str = DEFAULT_LANG
    frozen: frozenset = frozenset()  # a deck's figures (indicator, area, year, series, source)


def _one(params: Mapping[str, object], name: str) -> str | None:
    value = params.get(name)
    if isinstance(value, list | tuple):
        if len(value) != 1:
            raise BadChangesParameter(name, f"{name} is given more than once")
        value = value[0]
    if value is None:
        return None
    if not isinstance(value, str):
        raise BadChangesParameter(name, f"{name} must be text")
    value = value.strip()
    if len(value) > 200 or any(ord(c) < 32 for c in value):
        raise BadChangesParameter(name, f"{name} is not a valid value")
    return value or None


def parse_since(value: str | None) -> str | None:
    """``since`` -> when (UTC, ISO) the changes start: a date YYYY-MM-DD (from its start) or
    ``last`` (the latest load that changed figures: None if none did). Raises
    :class:`BadChangesParameter`."""
    if value is None or value == SINCE_LAST:
        return queries.last_release()
    if not DATE.fullmatch(value):
        raise BadChangesParameter(
            "since", f"since must be a date YYYY-MM-DD or {SINCE_LAST!r}; got {value!r}"
        )
    try:
        day = dt.date.fromisoformat(value)
    except ValueError:
        raise BadChangesParameter("since", f"since is not a calendar date: {value!r}") from None
    return dt.datetime.combine(day, dt.time()).isoformat()


def changes_query(params: Mapping[str, object]) -> ChangesQuery:
    """URL parameters (since, deck, indicator, area, lang) -> the query; raises
    :class:`BadChangesParameter` naming the parameter that cannot be used."""
    lang = _one(params, "lang") or DEFAULT_LANG
    if lang not in LANGS:
        raise BadChangesParameter("lang", f"lang must be one of {', '.join(LANGS)}; got {lang!r}")
    since, slug = _one(params, "since"), _one(params, "deck")
    indicator, area = _one(params, "indicator"), _one(params, "area")
    if indicator is not None and queries.indicator(indicator) is None:
        raise BadChangesParameter("indicator", f"unknown indicator {indicator!r}")
    if area is not None:
        kato = queries.resolve_area(area)
        if kato is None:
            raise BadChangesParameter("area", f"unknown or ambiguous area {area!r}")
        area = kato
    if slug is None:
        return ChangesQuery(parse_since(since), since or SINCE_LAST, indicator, area, None, lang)
    if since is not None:
        raise BadChangesParameter("since", "give since or deck, not both")
    try:
        deck = decks.get_deck(slug, snapshot=True)
    except deck_access.DeckError:
        raise BadChangesParameter("deck", f"unknown deck {slug!r}") from None
    taken, keys = deck_freeze.frozen_figures(deck)
    if taken is None:
        raise BadChangesParameter("deck", f"deck {slug!r} is not frozen")
    return ChangesQuery(taken, "", indicator, area, slug, lang, frozenset(keys))


def _restrict(df: pd.DataFrame, keys: frozenset) -> pd.DataFrame:
    if df.empty:
        return df
    mask = pd.Series(
        [k in keys for k in df[KEY].itertuples(index=False, name=None)], index=df.index
    )
    return df[mask & (df["kind"] != "added")]


def changes_frame(q: ChangesQuery) -> pd.DataFrame:
    """The changes of ``q``, newest first: the store's columns with the indicator's and the
    area's names and unit in ``q.lang`` and the source's current title."""
    if q.after is None:
        df = pd.DataFrame(columns=queries.CHANGE_COLUMNS)
    else:
        df = queries.changes(q.after, q.indicator, q.area)
    if q.deck is not None:
        df = _restrict(df, q.frozen)
    inds = queries.indicators().set_index("code")
    titles = queries.sources().set_index("code")["title"]
    return df.assign(
        indicator_name=df["indicator"].map(inds[f"name_{q.lang}"]),
        unit=df["indicator"].map(inds[f"unit_{q.lang}"]),
        area_name=df["area"].map(area_labels(q.lang)),
        source_title=df["source"].map(titles),
    ).reset_index(drop=True)


def utc_iso(value: object) -> str | None:
    """A stored UTC time (naive) as RFC 3339 text: '2026-11-29T05:47:53.190914+00:00'."""
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return None
    ts = pd.Timestamp(value)
    return (ts.tz_localize("UTC") if ts.tzinfo is None else ts.tz_convert("UTC")).isoformat()


def when(value: object) -> str:
    """A load's time as the date it happened: '2026-11-29'."""
    return pd.Timestamp(value).date().isoformat()


def revision_notes(obs: pd.DataFrame, indicator: str, lang: str, decimals: int | None) -> dict:
    """{(area, series, year, source): "revised on 2026-11-29 from 1 946 to 1 950; ..."} for
    the revised or withdrawn figures among ``obs``, oldest revision first."""
    if obs.empty:
        return {}
    history = queries.revisions(indicator, tuple(sorted(set(obs["area"]))))
    out: dict[tuple, list[str]] = {}
    for r in history.itertuples():
        key = (r.area, r.series, int(r.year), r.source)
        old, new = fmt_number(r.old_value, lang, decimals), fmt_number(r.new_value, lang, decimals)
        text = (
            t("ch.revised", lang, date=when(r.changed_at), old=old, new=new)
            if r.kind == "revised"
            else t("ch.withdrawn_note", lang, date=when(r.changed_at), old=old)
        )
        out.setdefault(key, []).append(text)
    return {k: "; ".join(v) for k, v in out.items()}


def history_records(indicator: str, areas: tuple[str, ...]) -> dict[tuple, list[dict]]:
    """{(area, year, series, source): [revision, ...]} for the API's ``history=true``: each
    revision's date (``revised_at``, UTC), kind, old and new value, and the old value's
    status, note, excerpt, location and source details; oldest first."""
    cols = [
        "kind",
        "old_value",
        "new_value",
        "old_status",
        "old_note",
        "old_excerpt",
        "old_location",
        "old_source_title",
        "old_source_address",
        "old_source_retrieved",
    ]
    out: dict[tuple, list[dict]] = {}
    if not areas:
        return out
    for r in queries.revisions(indicator, areas).to_dict("records"):
        item = {"revised_at": utc_iso(r["changed_at"])}
        item |= {c: None if pd.isna(r[c]) else r[c] for c in cols}
        out.setdefault((r["area"], int(r["year"]), r["series"], r["source"]), []).append(item)
    return out


def deck_notice(deck: dict, lang: str) -> str | None:
    """ "3 figures in this deck changed since it was frozen on ..." for a frozen deck (read
    with ``snapshot=True``) whose figures loads have revised or withdrawn since; else None."""
    from components.i18n import fmt_date

    try:
        taken, keys = deck_freeze.frozen_figures(deck)
    except (KeyError, TypeError, ValueError):
        return None
    if taken is None or not keys or not queries.is_ready():
        return None
    changed = _restrict(queries.changes(taken), frozenset(keys))
    n = len(changed.drop_duplicates(KEY))
    if not n:
        return None
    return t("ch.deck_notice", lang, n=n, date=fmt_date(pd.Timestamp(taken).date(), lang))


__all__ = [
    "BadChangesParameter",
    "ChangesQuery",
    "changes_frame",
    "changes_query",
    "deck_notice",
    "history_records",
    "parse_since",
    "revision_notes",
    "utc_iso",
]
