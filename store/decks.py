"""Slide decks for public hearings: reading decks, and creating, changing and deleting them.

Decks live in ``DECKS_DATABASE_URL``, apart from the indicator database (which the web
process opens read-only and the ETL may rebuild at any time), so they survive a rebuild.
The database is created on first use, and the decks under ``data/decks/*.json`` (the
default Aral district deck) are added then, once.

A deck is a titled, ordered list of slides in one language (kk, ru or en). A slide has a
``kind`` (:data:`store.deck_kinds.KINDS`), ``params`` saying what it shows (an indicator,
areas, a year...), an optional ``title``, ``text`` and speaker ``notes``, and
``translations`` of those three into the other languages. Positions count from 1.

Every function takes and returns plain dicts; bad input raises
:class:`store.deck_access.DeckError`, whose ``status`` is the HTTP status the API answers with.

With ``DECKS_READONLY`` on (read when called), every function that writes raises
:class:`store.deck_access.DecksReadOnly` before touching the database, and the database is
opened read-only; if it has never been used (no deck tables), the decks under
``data/decks/`` are served from an in-memory copy instead, so nothing is written.

The deck store, room by room:

- :mod:`store.decks` (here): read decks, create, change and delete them;
- :mod:`store.deck_slides`: add, change, move and delete a deck's slides;
- :mod:`store.deck_freeze`: freeze a deck's figures "as of" a date, and read them back;
- :mod:`store.slide_data`: gather what a slide needs to be drawn from the indicator store;
- :mod:`store.deck_kinds`: the slide kinds and their parameters;
- :mod:`store.deck_checks`: checking what a deck or slide is given, importing a deck document;
- :mod:`store.deck_access`: the errors, DECKS_READONLY, and the write gate and hook;
- :mod:`store.deck_database`: opening, creating and seeding the deck database;
- :mod:`store.deck_tables`: the tables, and rows read as dicts.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import delete, func, select, update

from store import deck_database
from store.deck_access import DeckError, writes
from store.deck_checks import (
    check_lang,
    check_slug,
    check_text,
    check_translations,
    import_deck,
    setting_limit,
)
from store.deck_tables import deck_dict, deck_id_of, deck_row, decks, now_utc, slides


def get_deck(slug: str, *, snapshot: bool = False) -> dict:
    """The deck with its slides in order (and its frozen ``snapshot`` if asked for)."""
    with deck_database.engine().connect() as conn:
        return deck_dict(conn, deck_row(conn, slug), snapshot=snapshot)


def list_decks() -> list[dict]:
    """Every deck: slug, title, lang, translations, slides (count), frozen_at, updated."""
    n = select(slides.c.deck_id, func.count().label("n")).group_by(slides.c.deck_id).subquery()
    stmt = (
        select(
            decks.c.slug,
            decks.c.title,
            decks.c.lang,
            decks.c.translations,
            decks.c.frozen_at,
            decks.c.updated,
            func.coalesce(n.c.n, 0).label("n"),
        )
        .outerjoin(n, n.c.deck_id == decks.c.id)
        .order_by(decks.c.updated.desc(), decks.c.slug)
    )
    with deck_database.engine().connect() as conn:
        rows = conn.execute(stmt).mappings().all()
    return [
        {
            "slug": r["slug"],
            "title": r["title"],
            "lang": r["lang"],
            "translations": r["translations"] or {},
            "slides": r["n"],
            "frozen": r["frozen_at"] is not None,
            "frozen_at": r["frozen_at"].isoformat() if r["frozen_at"] else None,
            "updated": r["updated"].isoformat(),
        }
        for r in rows
    ]


def export_deck(slug: str) -> dict:
    """The deck in the format :func:`create_deck` takes (and data/decks/*.json use)."""
    deck = get_deck(slug)
    keep = ("kind", "params", "title", "text", "notes", "translations")
    return {
        "slug": deck["slug"],
        "title": deck["title"],
        "lang": deck["lang"],
        "translations": deck["translations"],
        "slides": [{k: s[k] for k in keep} for s in deck["slides"]],
    }


@writes
def create_deck(doc: dict, *, check_refs: bool = True) -> dict:
    """A new deck from ``{title, lang?, slug?, translations?, slides?: [slide, ...]}``.

    Without a slug one is made from the title (made unique with -2, -3...).
    """
    with deck_database.engine().begin() as conn:
        slug = import_deck(conn, doc, check_refs=check_refs)
        return deck_dict(conn, deck_row(conn, slug))


@writes
def update_deck(slug: str, changes: dict) -> dict:
    """Change a deck's ``title``, ``lang``, ``slug`` or ``translations``."""
    if not isinstance(changes, dict):
        raise DeckError("the changes must be an object {title, lang, slug, translations}")
    allowed = {"title", "lang", "slug", "translations"}
    unknown = [k for k in changes if k not in allowed]
    if unknown:
        raise DeckError(
            f"unknown deck field {unknown[0]!r}; allowed: "
            f"{', '.join(sorted(allowed))} (slides have routes of their own)"
        )
    values: dict[str, Any] = {}
    if "title" in changes:
        values["title"] = check_text(
            changes["title"], "title", required=True, limit=setting_limit("DECKS_MAX_TITLE")
        )
    if "lang" in changes:
        values["lang"] = check_lang(changes["lang"])
    if "translations" in changes:
        values["translations"] = check_translations(changes["translations"], ("title",))
    with deck_database.engine().begin() as conn:
        row = deck_row(conn, slug)
        if "slug" in changes and changes["slug"] != slug:
            values["slug"] = check_slug(changes["slug"])
            if deck_id_of(conn, values["slug"]) is not None:
                raise DeckError(f"there is already a deck {values['slug']!r}", 409)
        conn.execute(
            update(decks).where(decks.c.id == row["id"]).values(updated=now_utc(), **values)
        )
        return deck_dict(conn, deck_row(conn, values.get("slug", slug)))


@writes
def delete_deck(slug: str) -> None:
    """Delete the deck ``slug`` and its slides."""
    with deck_database.engine().begin() as conn:
        row = deck_row(conn, slug)
        conn.execute(delete(slides).where(slides.c.deck_id == row["id"]))
        conn.execute(delete(decks).where(decks.c.id == row["id"]))
