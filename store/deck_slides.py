"""A deck's slides: add, read, change, move, reorder and delete them (positions count from 1).

A frozen deck refuses a new data slide, or a change to what one shows, until it is unfrozen
(its figures would not be the frozen ones). Every write is refused as :mod:`store.deck_access`
says, and touches the deck's ``updated`` time.
"""

from __future__ import annotations

from sqlalchemy import Connection, delete, insert, select, update

from store import deck_database
from store.deck_access import DeckError, writes
from store.deck_checks import check_slide, setting_limit
from store.deck_kinds import DATA_KINDS
from store.deck_tables import deck_dict, deck_row, decks, now_utc, slide_dicts, slides


def _touch(conn: Connection, deck_id: int) -> None:
    conn.execute(update(decks).where(decks.c.id == deck_id).values(updated=now_utc()))


def _frozen_guard(row: dict, kind: str | None, what: str) -> None:
    if row["frozen_at"] is not None and kind in DATA_KINDS:
        raise DeckError(
            f"deck {row['slug']!r} is frozen as of {row['frozen_at']}: {what} "
            "would show figures that were not frozen; unfreeze it first",
            409,
        )


def _position(value: object, n: int) -> int:
    """A 1-based position clamped to 1..n."""
    if (
        isinstance(value, bool)
        or not isinstance(value, (int, str))
        or not str(value).lstrip("-").isdigit()
    ):
        raise DeckError(f"position must be a whole number (1 = first), not {value!r}")
    return max(1, min(int(value), n))


def _renumber(conn: Connection, ids: list[int]) -> None:
    for i, slide_id in enumerate(ids, start=1):
        conn.execute(update(slides).where(slides.c.id == slide_id).values(position=i))


def _ordered_ids(conn: Connection, deck_id: int) -> list[int]:
    return list(
        conn.execute(
            select(slides.c.id)
            .where(slides.c.deck_id == deck_id)
            .order_by(slides.c.position, slides.c.id)
        ).scalars()
    )


@writes
def add_slide(slug: str, spec: dict, *, check_refs: bool = True) -> dict:
    """Add a slide ``{kind, params, title, text, notes, translations, position?}`` (at the
    end unless ``position`` is given); returns it."""
    values = check_slide(spec, check_refs=check_refs)
    with deck_database.engine().begin() as conn:
        row = deck_row(conn, slug)
        _frozen_guard(row, values["kind"], "a new data slide")
        ids = _ordered_ids(conn, row["id"])
        if len(ids) >= setting_limit("DECKS_MAX_SLIDES"):
            raise DeckError(
                f"deck {slug!r} has {len(ids)} slides, the most a deck may have (DECKS_MAX_SLIDES)",
                409,
            )
        slide_id = conn.execute(
            insert(slides).values(deck_id=row["id"], position=len(ids) + 1, **values)
        ).inserted_primary_key[0]
        if spec.get("position") is not None:
            ids.insert(_position(spec["position"], len(ids) + 1) - 1, slide_id)
            _renumber(conn, ids)
        _touch(conn, row["id"])
        return _slide(conn, row["id"], slide_id)


def _slide(conn: Connection, deck_id: int, slide_id: object) -> dict:
    for s in slide_dicts(conn, deck_id):
        if s["id"] == slide_id:
            return s
    raise DeckError(f"this deck has no slide {slide_id!r}", 404)


def get_slide(slug: str, slide_id: int) -> dict:
    """The slide ``slide_id`` of the deck ``slug``."""
    with deck_database.engine().connect() as conn:
        return _slide(conn, deck_row(conn, slug)["id"], slide_id)


@writes
def update_slide(slug: str, slide_id: int, changes: dict, *, check_refs: bool = True) -> dict:
    """Change a slide's kind, params, title, text, notes or translations (and position)."""
    if not isinstance(changes, dict):
        raise DeckError("the changes must be an object {kind, params, title, text, notes}")
    with deck_database.engine().begin() as conn:
        row = deck_row(conn, slug)
        current = _slide(conn, row["id"], slide_id)
        if "params" in changes and "kind" not in changes:
            changes = {**changes, "kind": current["kind"]}
        if "kind" in changes and "params" not in changes:
            changes = {
                **changes,
                "params": current["params"] if changes["kind"] == current["kind"] else {},
            }
        values = check_slide(changes, check_refs=check_refs, partial=True)
        if "kind" in values and (values["kind"], values["params"]) != (
            current["kind"],
            current["params"],
        ):
            _frozen_guard(row, values["kind"], "changing what a data slide shows")
        if values:
            conn.execute(update(slides).where(slides.c.id == slide_id).values(**values))
        if changes.get("position") is not None:
            _move(conn, row["id"], slide_id, changes["position"])
        _touch(conn, row["id"])
        return _slide(conn, row["id"], slide_id)


def _move(conn: Connection, deck_id: int, slide_id: int, position: object) -> None:
    ids = _ordered_ids(conn, deck_id)
    ids.remove(slide_id)
    ids.insert(_position(position, len(ids) + 1) - 1, slide_id)
    _renumber(conn, ids)


@writes
def move_slide(slug: str, slide_id: int, position: object) -> dict:
    """Move a slide to ``position`` (1 = first; clamped to the deck); returns the deck."""
    with deck_database.engine().begin() as conn:
        row = deck_row(conn, slug)
        _slide(conn, row["id"], slide_id)
        _move(conn, row["id"], slide_id, position)
        _touch(conn, row["id"])
        return deck_dict(conn, row)


@writes
def reorder_slides(slug: str, order: object) -> dict:
    """Put the deck's slides in ``order`` (every slide id of the deck, once); returns it."""
    with deck_database.engine().begin() as conn:
        row = deck_row(conn, slug)
        ids = _ordered_ids(conn, row["id"])
        if not isinstance(order, list) or sorted(map(str, order)) != sorted(map(str, ids)):
            raise DeckError(f"order must list every slide id of the deck once: {ids}")
        _renumber(conn, [int(i) for i in order])
        _touch(conn, row["id"])
        return deck_dict(conn, row)


@writes
def delete_slide(slug: str, slide_id: int) -> dict:
    """Delete a slide (the others close up); returns the deck."""
    with deck_database.engine().begin() as conn:
        row = deck_row(conn, slug)
        _slide(conn, row["id"], slide_id)
        conn.execute(delete(slides).where(slides.c.id == slide_id))
        _renumber(conn, _ordered_ids(conn, row["id"]))
        _touch(conn, row["id"])
        return deck_dict(conn, row)
