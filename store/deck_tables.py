"""The deck database's tables, and its rows read as the plain dicts every deck function returns.

``decks`` (a titled deck in one language, with its frozen ``snapshot``), ``slides`` (ordered
by ``position``, 1 = first) and ``deck_meta`` (whether the shipped decks were added, the
CSRF key). The tables live in ``DECKS_DATABASE_URL`` (see :mod:`store.deck_database`).
"""

from __future__ import annotations

import re
from datetime import UTC, datetime

from sqlalchemy import (
    JSON,
    CheckConstraint,
    Column,
    Connection,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    select,
)

from store.deck_access import DeckError

LANGS = ("kk", "ru", "en")
SLUG_RE = re.compile(r"^[a-z0-9](?:[a-z0-9-]{0,78}[a-z0-9])?$")
TEXT_FIELDS = ("title", "text", "notes")

metadata = MetaData()

decks = Table(
    "decks",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("slug", String(80), nullable=False, unique=True),
    Column("title", Text, nullable=False),
    Column("lang", String(2), nullable=False),
    Column("translations", JSON, nullable=False, comment='{"ru": {"title": ...}, ...}'),
    Column("created", DateTime, nullable=False),
    Column("updated", DateTime, nullable=False),
    Column("frozen_at", Date, comment="the 'data as of' date of a frozen deck"),
    Column("snapshot", JSON, comment="every slide's data when the deck was frozen"),
    CheckConstraint(f"lang in {LANGS}", name="deck_lang"),
)

slides = Table(
    "slides",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("deck_id", Integer, ForeignKey("decks.id", ondelete="CASCADE"), nullable=False),
    Column("position", Integer, nullable=False, comment="1 = first"),
    Column("kind", String(12), nullable=False),
    Column("params", JSON, nullable=False),
    Column("title", Text, nullable=False),
    Column("text", Text, nullable=False),
    Column("notes", Text, nullable=False),
    Column(
        "translations",
        JSON,
        nullable=False,
        comment='{"ru": {"title": ..., "text": ..., "notes": ...}, ...}',
    ),
)
Index("ix_slides_deck", slides.c.deck_id, slides.c.position)

deck_meta = Table(
    "deck_meta",
    metadata,
    Column("key", String(64), primary_key=True),
    Column("value", Text, nullable=False),
)


def now_utc() -> datetime:
    """Now in UTC, to the second, without a time zone (as the tables store it)."""
    return datetime.now(UTC).replace(tzinfo=None, microsecond=0)


def deck_id_of(conn: Connection, slug: str) -> int | None:
    """The id of the deck ``slug``, or None."""
    return conn.execute(select(decks.c.id).where(decks.c.slug == slug)).scalar()


def deck_row(conn: Connection, slug: str) -> dict:
    """The row of the deck ``slug``; a 404 DeckError if there is none."""
    row = conn.execute(select(decks).where(decks.c.slug == slug)).mappings().first()
    if row is None:
        raise DeckError(f"there is no deck {slug!r}", 404)
    return dict(row)


def slide_dicts(conn: Connection, deck_id: int) -> list[dict]:
    """The deck's slides in order, as dicts."""
    rows = conn.execute(
        select(slides).where(slides.c.deck_id == deck_id).order_by(slides.c.position, slides.c.id)
    ).mappings()
    return [
        {
            "id": r["id"],
            "position": r["position"],
            "kind": r["kind"],
            "params": r["params"] or {},
            "title": r["title"],
            "text": r["text"],
            "notes": r["notes"],
            "translations": r["translations"] or {},
        }
        for r in rows
    ]


def deck_dict(conn: Connection, row: dict, *, snapshot: bool = False) -> dict:
    """The deck ``row`` with its slides (and its ``snapshot`` if asked for) as a dict."""
    out = {
        "id": row["id"],
        "slug": row["slug"],
        "title": row["title"],
        "lang": row["lang"],
        "translations": row["translations"] or {},
        "created": row["created"].isoformat(),
        "updated": row["updated"].isoformat(),
        "frozen": row["frozen_at"] is not None,
        "frozen_at": row["frozen_at"].isoformat() if row["frozen_at"] else None,
        "slides": slide_dicts(conn, row["id"]),
    }
    if snapshot:
        out["snapshot"] = row["snapshot"]
    return out
