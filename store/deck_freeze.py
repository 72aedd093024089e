"""Frozen figures: a deck frozen "as of" a date keeps every slide's data in its ``snapshot``,
so it shows the figures that were presented even after the data are reloaded.
"""

from __future__ import annotations

import logging
from datetime import date

from sqlalchemy import update

from store import deck_database, queries
from store.deck_access import DeckError, writes
from store.deck_tables import deck_dict, deck_row, decks, now_utc, slide_dicts
from store.slide_data import slide_data

log = logging.getLogger(__name__)


@writes
def freeze(slug: str, as_of: date | str | None = None) -> dict:
    """Store every slide's data in the deck, "as of" ``as_of`` (default: today, never later).

    Freezing a frozen deck takes the figures again.
    """
    if as_of is None or as_of == "":
        as_of = date.today()
    elif not isinstance(as_of, date):
        try:
            as_of = date.fromisoformat(str(as_of))
        except ValueError:
            raise DeckError(f"as_of must be a date YYYY-MM-DD, not {as_of!r}") from None
    if as_of > date.today():
        raise DeckError(
            f"as_of {as_of.isoformat()} is in the future: a deck can only be "
            "frozen with the figures it has now"
        )
    if not queries.is_ready():
        raise DeckError("the indicator database is not built: there are no figures to freeze", 409)
    with deck_database.engine().begin() as conn:
        row = deck_row(conn, slug)
        snapshot = {
            "as_of": as_of.isoformat(),
            "taken": now_utc().isoformat(),
            "data_version": queries.data_version(),
            "slides": {
                str(s["id"]): slide_data(s["kind"], s["params"])
                for s in slide_dicts(conn, row["id"])
            },
        }
        conn.execute(
            update(decks)
            .where(decks.c.id == row["id"])
            .values(frozen_at=as_of, snapshot=snapshot, updated=now_utc())
        )
        log.info(
            "decks: froze %s as of %s (data version %s)", slug, as_of, snapshot["data_version"]
        )
        return deck_dict(conn, deck_row(conn, slug))


@writes
def unfreeze(slug: str) -> dict:
    """Drop the frozen figures: the deck shows the current data again."""
    with deck_database.engine().begin() as conn:
        row = deck_row(conn, slug)
        conn.execute(
            update(decks)
            .where(decks.c.id == row["id"])
            .values(frozen_at=None, snapshot=None, updated=now_utc())
        )
        return deck_dict(conn, deck_row(conn, slug))


def deck_data(deck: dict) -> dict[int, dict]:
    """Each slide's data: from the snapshot of a frozen deck (``deck`` read with
    ``snapshot=True``), else from the indicator store now."""
    frozen = (deck.get("snapshot") or {}).get("slides", {}) if deck.get("frozen") else {}
    return {
        s["id"]: frozen[str(s["id"])]
        if str(s["id"]) in frozen
        else slide_data(s["kind"], s["params"])
        for s in deck["slides"]
    }


def frozen_figures(deck: dict) -> tuple[str | None, set[tuple[str, str, int, str, str]]]:
    """When a frozen deck (read with ``snapshot=True``) took its figures (UTC, ISO) and each
    figure it holds as (indicator, area, year, series, source); (None, empty) if not frozen."""
    snap = deck.get("snapshot") or {}
    if not deck.get("frozen") or not snap.get("taken"):
        return None, set()
    keys = set()
    for data in (snap.get("slides") or {}).values():
        code = (data.get("indicator") or {}).get("code") if isinstance(data, dict) else None
        if not code:
            continue
        for key in ("observations", "values"):
            for o in data.get(key) or []:
                keys.add((code, o["area"], int(o["year"]), o.get("series") or "", o["source"]))
    return snap["taken"], keys
