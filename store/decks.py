"""Slide decks for public hearings: their own small writable database, and frozen figures.

Decks live in ``DECKS_DATABASE_URL``, apart from the indicator database (which the web
process opens read-only and the ETL may rebuild at any time), so they survive a rebuild.
The database is created on first use, and the decks under ``data/decks/*.json`` (the
default Aral district deck) are added then, once.

A deck is a titled, ordered list of slides in one language (kk, ru or en). A slide has a
``kind`` (:data:`KINDS`), ``params`` saying what it shows (an indicator, areas, a year...),
an optional ``title``, ``text`` and speaker ``notes``, and ``translations`` of those three
into the other languages. Positions count from 1.

:func:`slide_data` gathers, from the indicator store, everything a slide needs to be drawn
(observations, targets, the indicator's metadata, area names, sources, boundaries), as
plain JSON. :func:`freeze` stores that for every slide in the deck's ``snapshot`` with an
"as of" date, so a frozen deck shows the figures that were presented even after the data
are reloaded.

Every function takes and returns plain dicts; bad input raises :class:`DeckError`, whose
``status`` is the HTTP status the API answers with.

With ``DECKS_READONLY`` on (read when called), every function that writes raises
:class:`DecksReadOnly` before touching the database, and the database is opened read-only;
if it has never been used (no deck tables), the decks under ``data/decks/`` are served
from an in-memory copy instead, so nothing is written.
"""

from __future__ import annotations

import functools
import json
import logging
import re
import secrets
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any, TypeVar

import pandas as pd
from sqlalchemy import (
    JSON,
    CheckConstraint,
    Column,
    Connection,
    Date,
    DateTime,
    Engine,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    create_engine,
    delete,
    func,
    insert,
    inspect,
    select,
    update,
)
from sqlalchemy.exc import IntegrityError, OperationalError, ProgrammingError
from sqlalchemy.pool import StaticPool

import config
from store import queries
from store.db import readonly_engine, sqlite_path, writable_engine

log = logging.getLogger(__name__)

LANGS = ("kk", "ru", "en")
DECKS_DIR = config.DATA_DIR / "decks"
COUNTRY = "000000000"
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


# --- slide kinds and their parameters ----------------------------------------------------


@dataclass(frozen=True)
class Param:
    """One parameter of a slide kind: its name, type, whether required, and help text.

    Types: ``indicator`` (a catalogue code), ``area`` (a KATO code), ``areas`` (a list of
    KATO codes), ``year`` (an integer), ``date`` (YYYY-MM-DD), ``choice`` (one of
    ``choices``), ``str``.
    """

    name: str
    type: str
    help: str
    required: bool = False
    choices: tuple[str, ...] = ()


KINDS: dict[str, tuple[Param, ...]] = {
    "title": (
        Param("area", "area", "area named under the title"),
        Param("date", "date", "date shown (default: today; a frozen deck's 'as of' date)"),
    ),
    "target": (
        Param("indicator", "indicator", "indicator code", required=True),
        Param("area", "area", "KATO code of the area whose targets are shown", required=True),
        Param("program", "str", "only this program's targets"),
        Param("target_year", "year", "the target to headline (default: the next one due)"),
    ),
    "chart": (
        Param("indicator", "indicator", "indicator code", required=True),
        Param("area", "area", "KATO code of the main area", required=True),
        Param("compare", "areas", "other areas drawn beside it"),
        Param(
            "mode",
            "choice",
            "values as absolute, % change or index",
            choices=("absolute", "change", "index"),
        ),
        Param(
            "source",
            "choice",
            "'all' draws every source's readings as a series",
            choices=("preferred", "all"),
        ),
    ),
    "map": (
        Param("indicator", "indicator", "indicator code", required=True),
        Param(
            "level",
            "choice",
            "district (of an oblast) or oblast (of the country)",
            choices=("district", "oblast"),
        ),
        Param("parent", "area", "the oblast whose districts are shown (default Kyzylorda)"),
        Param("year", "year", "year shown (default: the latest with data)"),
        Param("highlight", "area", "area outlined on the map"),
    ),
    "compare": (
        Param("indicator", "indicator", "indicator code", required=True),
        Param("areas", "areas", "areas compared (default: every area under parent)"),
        Param("parent", "area", "compare the areas under this one (default Kyzylorda)"),
        Param("year", "year", "year compared (default: the latest with data)"),
        Param("highlight", "area", "area drawn in the accent colour"),
    ),
    "text": (),
    "closing": (
        Param(
            "url",
            "str",
            "address behind the QR code (default: this deck's live view); "
            "a path such as /explore?... is joined to the public address",
        ),
    ),
}
DATA_KINDS = ("target", "chart", "map", "compare")
DEFAULT_PARENT = "430000000"  # Kyzylorda oblast


class DeckError(ValueError):
    """Bad input or a missing deck or slide; ``status`` is the HTTP status to answer with."""

    def __init__(self, message: str, status: int = 400) -> None:
        super().__init__(message)
        self.message, self.status = message, status


class DecksReadOnly(DeckError):
    """A write refused because DECKS_READONLY is on (HTTP 403)."""

    def __init__(self) -> None:
        super().__init__("decks are read-only on this server (DECKS_READONLY)", 403)


class DecksLocked(DeckError):
    """A write refused because the client is neither on this machine nor has the token
    (HTTP 403)."""

    def __init__(self) -> None:
        super().__init__(
            "decks can be changed only from this server's own machine or with the access "
            "token (DECKS_WRITE_TOKEN)",
            403,
        )


class DecksNeedAccount(DeckError):
    """A write refused on a server with accounts: the client is not signed in (HTTP 401) or
    its role is below editor (HTTP 403)."""


def read_only() -> bool:
    """Whether DECKS_READONLY is on (read at every call)."""
    return config.flag("DECKS_READONLY")


_write_gate: Callable[[bool], DeckError | None] | None = None


def set_write_gate(gate: Callable[[bool], DeckError | None] | None) -> None:
    """Ask ``gate(csrf=True)`` before every write; a DeckError it returns is raised instead
    (the web layer says here who may write: see api/security.py). ``csrf=False`` asks only
    whether the client may write at all (to offer editing controls)."""
    global _write_gate
    _write_gate = gate


_write_hook: Callable[[str, tuple, dict], None] | None = None


def set_write_hook(hook: Callable[[str, tuple, dict], None] | None) -> None:
    """Call ``hook(function name, args, kwargs)`` after every successful write (the web
    layer records it in the audit log)."""
    global _write_hook
    _write_hook = hook


def write_refusal(*, csrf: bool = True) -> DeckError | None:
    """Why a write would be refused now (DECKS_READONLY, or the write gate), or None."""
    if read_only():
        return DecksReadOnly()
    return _write_gate(csrf) if _write_gate is not None else None


def writable() -> bool:
    """Whether the current client may change decks (editing controls are offered)."""
    return write_refusal(csrf=False) is None


def _limit(name: str) -> int:
    return int(config.get(name))


F = TypeVar("F", bound=Callable[..., Any])


def _writes(fn: F) -> F:
    """Refuse ``fn`` with :class:`DecksReadOnly` while DECKS_READONLY is on, or with what
    the write gate says (:func:`set_write_gate`)."""

    @functools.wraps(fn)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        refusal = write_refusal()
        if refusal is not None:
            raise refusal
        result = fn(*args, **kwargs)
        if _write_hook is not None:
            _write_hook(fn.__name__, args, kwargs)
        return result

    return wrapper  # type: ignore[return-value]


# --- the engine ------------------------------------------------------------------------

_engine: Engine | None = None
_engine_read_only = False
_url: str | None = None
_lock = threading.Lock()


def use(url: str | None = None) -> Engine:
    """Point the deck store at ``url`` (default: DECKS_DATABASE_URL); creates and seeds it
    (with DECKS_READONLY on: opens it read-only, see the module's doc)."""
    global _engine, _engine_read_only, _url
    with _lock:
        if _engine is not None:
            _engine.dispose()
        _url, _engine_read_only = url, read_only()
        full = config.get("DECKS_DATABASE_URL", url)
        if _engine_read_only:
            _engine = _open_read_only(full)
        else:
            _engine = writable_engine(full)
            _create_and_seed(_engine)
        return _engine


def _open_read_only(url: str) -> Engine:
    """The deck database read-only, or, when it has never been used, the shipped decks
    in memory."""
    path = sqlite_path(url)
    if path is None or path.exists():
        eng = readonly_engine(url)
        if inspect(eng).has_table(decks.name):
            return eng
        eng.dispose()
    log.info("decks: %s has no decks yet; serving data/decks/ from memory (read-only)", url)
    eng = create_engine(
        "sqlite://", poolclass=StaticPool, connect_args={"check_same_thread": False}
    )
    _create_and_seed(eng)
    return eng


def engine() -> Engine:
    """The deck database, opened again if DECKS_READONLY has changed since it was opened."""
    if _engine is None or _engine_read_only != read_only():
        return use(_url)
    return _engine


def dispose() -> None:
    """Close the deck database; the next call opens DECKS_DATABASE_URL again."""
    global _engine, _url
    with _lock:
        if _engine is not None:
            _engine.dispose()
        _engine, _url = None, None


def _now() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None, microsecond=0)


def _create_and_seed(eng: Engine, wait: float = 120.0) -> None:
    """Create the tables and add the shipped decks, once, however many processes start
    at the same time (gunicorn workers answering their first requests together).

    On SQLite the whole step holds the write lock (BEGIN IMMEDIATE, waiting up to 30 s for
    it), so the first process creates and seeds while the others wait and then find it
    done; a process that still loses a race (a unique key, a table another created, a busy
    database) rolls back and tries again, for up to ``wait`` seconds.
    """
    deadline = time.monotonic() + wait
    attempt = 0
    while True:
        attempt += 1
        try:
            with eng.connect() as conn:
                if eng.dialect.name == "sqlite":
                    conn.exec_driver_sql("PRAGMA busy_timeout = 30000")
                    conn.exec_driver_sql("BEGIN IMMEDIATE")
                metadata.create_all(conn)
                _seed(conn)
                conn.commit()
            return
        except (IntegrityError, OperationalError, ProgrammingError) as exc:
            if time.monotonic() > deadline:
                raise
            log.info("decks: first use raced another process (%s); trying again", exc.orig)
            time.sleep(min(0.05 * attempt, 1.0))


def _seed(conn: Connection) -> None:
    """Add the decks shipped under data/decks/ the first time the database is used, and
    the random key that signs this server's CSRF tokens (see :func:`secret_key`)."""
    seeded = conn.execute(select(deck_meta.c.value).where(deck_meta.c.key == "seeded")).scalar()
    if not seeded:
        for path in sorted(DECKS_DIR.glob("*.json")):
            doc = json.loads(path.read_text(encoding="utf-8"))
            if _deck_id(conn, doc.get("slug", "")) is None:
                _import(conn, doc, check_refs=False)
                log.info("decks: added %s from %s", doc.get("slug"), path.name)
        conn.execute(insert(deck_meta).values(key="seeded", value=_now().isoformat()))
    has_key = conn.execute(select(deck_meta.c.key).where(deck_meta.c.key == "secret_key")).first()
    if has_key is None:
        conn.execute(insert(deck_meta).values(key="secret_key", value=secrets.token_hex(32)))


def secret_key() -> str:
    """The random key kept in the deck database (made on first use, shared by every
    worker process); a fresh random key per process when the database is read-only and
    has none."""
    global _process_key
    with engine().connect() as conn:
        value = conn.execute(
            select(deck_meta.c.value).where(deck_meta.c.key == "secret_key")
        ).scalar()
    if value:
        return value
    if _process_key is None:
        _process_key = secrets.token_hex(32)
    return _process_key


_process_key: str | None = None


# --- validation --------------------------------------------------------------------------


def slugify(text: str) -> str:
    """'Арал ауданы: тыңдау 2025' -> 'aral-audany-tyndau-2025' (Kazakh and Russian letters
    transliterated; at most 80 characters)."""
    out = "".join(_TRANSLIT.get(ch, ch) for ch in text.lower())
    out = re.sub(r"[^a-z0-9]+", "-", out).strip("-")
    return out[:80].rstrip("-")


_TRANSLIT = dict(
    zip(
        "абвгғдеёжзийкқлмнңоөпрстуұүфхһцчшщъыіьэюяә",
        [
            "a",
            "b",
            "v",
            "g",
            "g",
            "d",
            "e",
            "e",
            "zh",
            "z",
            "i",
            "i",
            "k",
            "q",
            "l",
            "m",
            "n",
            "n",
            "o",
            "o",
            "p",
            "r",
            "s",
            "t",
            "u",
            "u",
            "u",
            "f",
            "kh",
            "h",
            "ts",
            "ch",
            "sh",
            "shch",
            "",
            "y",
            "i",
            "",
            "e",
            "iu",
            "ia",
            "a",
        ],
        strict=True,
    )
)


def _field_limit(field: str) -> int:
    return _limit("DECKS_MAX_TITLE" if field == "title" else "DECKS_MAX_TEXT")


def _text(value: object, what: str, *, required: bool = False, limit: int = 20000) -> str:
    if value is None:
        value = ""
    if not isinstance(value, str):
        raise DeckError(f"{what} must be text, not {type(value).__name__}")
    value = value.strip()
    if required and not value:
        raise DeckError(f"{what} is required")
    if len(value) > limit:
        raise DeckError(f"{what} is longer than {limit} characters")
    return value


def _lang(value: object) -> str:
    if value not in LANGS:
        raise DeckError(f"lang must be one of {', '.join(LANGS)}, not {value!r}")
    return value  # type: ignore[return-value]


def _slug(value: object) -> str:
    if not isinstance(value, str) or not SLUG_RE.match(value):
        raise DeckError(
            f"slug {value!r} is not valid: use 1-80 lower-case latin letters, "
            "digits and hyphens, starting and ending with a letter or digit"
        )
    return value


def _translations(value: object, fields: tuple[str, ...]) -> dict:
    """{lang: {field: text}} with known languages and fields only, empty texts dropped."""
    if value is None:
        return {}
    if not isinstance(value, dict):
        raise DeckError("translations must be an object {lang: {field: text}}")
    out: dict[str, dict[str, str]] = {}
    for lang, texts in value.items():
        _lang(lang)
        if not isinstance(texts, dict):
            raise DeckError(f"translations.{lang} must be an object {{field: text}}")
        for field, text in texts.items():
            if field not in fields:
                raise DeckError(
                    f"translations.{lang}.{field}: unknown field; allowed: {', '.join(fields)}"
                )
            text = _text(text, f"translations.{lang}.{field}", limit=_field_limit(field))
            if text:
                out.setdefault(lang, {})[field] = text
    return out


def check_params(kind: str, params: object, *, check_refs: bool = True) -> dict:
    """The params of a ``kind`` slide, validated and normalised (codes resolved).

    With ``check_refs`` (and a built indicator database) indicators and areas must exist.
    """
    if kind not in KINDS:
        raise DeckError(f"kind {kind!r} is not known; use one of {', '.join(KINDS)}")
    if params is None:
        params = {}
    if not isinstance(params, dict):
        raise DeckError("params must be an object")
    spec = {p.name: p for p in KINDS[kind]}
    unknown = [k for k in params if k not in spec]
    if unknown:
        allowed = ", ".join(spec) or "none"
        raise DeckError(f"unknown parameter {unknown[0]!r} for a {kind} slide; allowed: {allowed}")
    refs = check_refs and queries.is_ready()
    out: dict[str, Any] = {}
    for p in KINDS[kind]:
        value = params.get(p.name)
        if value is None or value == "" or value == []:
            if p.required:
                raise DeckError(f"a {kind} slide needs {p.name!r} ({p.help})")
            continue
        out[p.name] = _param(p, value, kind, refs)
    return out


def _param(p: Param, value: object, kind: str, refs: bool) -> object:
    what = f"{kind} slide: {p.name}"
    if p.type == "year":
        if (
            isinstance(value, bool)
            or not isinstance(value, (int, str))
            or not str(value).isdigit()
            or not 1900 <= int(value) <= 2100
        ):
            raise DeckError(f"{what} must be a year such as 2023, not {value!r}")
        return int(value)
    if p.type == "date":
        try:
            return date.fromisoformat(str(value)).isoformat()
        except ValueError:
            raise DeckError(f"{what} must be a date YYYY-MM-DD, not {value!r}") from None
    if p.type == "choice":
        if value not in p.choices:
            raise DeckError(f"{what} must be one of {', '.join(p.choices)}, not {value!r}")
        return value
    if p.type == "areas":
        items = value.split(",") if isinstance(value, str) else value
        if not isinstance(items, list) or not all(isinstance(v, str) for v in items):
            raise DeckError(f"{what} must be a list of KATO codes")
        return list(dict.fromkeys(_area(v.strip(), what, refs) for v in items if v.strip()))
    if not isinstance(value, str):
        raise DeckError(f"{what} must be text, not {type(value).__name__}")
    value = value.strip()
    if p.type == "area":
        return _area(value, what, refs)
    if p.type == "indicator" and refs and queries.indicator(value) is None:
        raise DeckError(f"{what}: indicator {value!r} is not in the catalogue")
    if p.name == "program" and refs and value not in set(queries.programs()["code"]):
        raise DeckError(f"{what}: program {value!r} is not known")
    return value


def _area(value: str, what: str, refs: bool) -> str:
    if not refs:
        if not re.fullmatch(r"\d{9}", value):
            raise DeckError(f"{what}: {value!r} is not a 9-digit KATO code")
        return value
    kato = queries.resolve_area(value)
    if kato is None:
        raise DeckError(f"{what}: area {value!r} is not known")
    return kato


# --- reading -----------------------------------------------------------------------------


def _deck_id(conn: Connection, slug: str) -> int | None:
    return conn.execute(select(decks.c.id).where(decks.c.slug == slug)).scalar()


def _deck_row(conn: Connection, slug: str) -> dict:
    row = conn.execute(select(decks).where(decks.c.slug == slug)).mappings().first()
    if row is None:
        raise DeckError(f"there is no deck {slug!r}", 404)
    return dict(row)


def _slide_dicts(conn: Connection, deck_id: int) -> list[dict]:
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


def _deck_dict(conn: Connection, row: dict, *, snapshot: bool = False) -> dict:
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
        "slides": _slide_dicts(conn, row["id"]),
    }
    if snapshot:
        out["snapshot"] = row["snapshot"]
    return out


def get_deck(slug: str, *, snapshot: bool = False) -> dict:
    """The deck with its slides in order (and its frozen ``snapshot`` if asked for)."""
    with engine().connect() as conn:
        return _deck_dict(conn, _deck_row(conn, slug), snapshot=snapshot)


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
    with engine().connect() as conn:
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


# --- writing -----------------------------------------------------------------------------


@_writes
def create_deck(doc: dict, *, check_refs: bool = True) -> dict:
    """A new deck from ``{title, lang?, slug?, translations?, slides?: [slide, ...]}``.

    Without a slug one is made from the title (made unique with -2, -3...).
    """
    with engine().begin() as conn:
        slug = _import(conn, doc, check_refs=check_refs)
        return _deck_dict(conn, _deck_row(conn, slug))


def _import(conn: Connection, doc: object, *, check_refs: bool) -> str:
    if not isinstance(doc, dict):
        raise DeckError("a deck must be an object {title, lang, slides}")
    allowed = {"title", "lang", "slug", "translations", "slides"}
    unknown = [k for k in doc if k not in allowed]
    if unknown:
        raise DeckError(f"unknown deck field {unknown[0]!r}; allowed: {', '.join(sorted(allowed))}")
    title = _text(doc.get("title"), "title", required=True, limit=_limit("DECKS_MAX_TITLE"))
    lang = _lang(doc.get("lang") or "kk")
    translations = _translations(doc.get("translations"), ("title",))
    if doc.get("slug"):
        slug = _slug(doc["slug"])
        if _deck_id(conn, slug) is not None:
            raise DeckError(f"there is already a deck {slug!r}", 409)
    else:
        slug = _free_slug(conn, slugify(title) or "deck")
    specs = doc.get("slides") or []
    if not isinstance(specs, list):
        raise DeckError("slides must be a list")
    if len(specs) > _limit("DECKS_MAX_SLIDES"):
        raise DeckError(
            f"a deck has at most {_limit('DECKS_MAX_SLIDES')} slides (DECKS_MAX_SLIDES)"
        )
    n_decks = conn.execute(select(func.count()).select_from(decks)).scalar() or 0
    if n_decks >= _limit("DECKS_MAX_DECKS"):
        raise DeckError(
            f"there are already {n_decks} decks, the most this server keeps (DECKS_MAX_DECKS); "
            "delete one first",
            409,
        )
    checked = [_check_slide(s, f"slides[{i}]", check_refs=check_refs) for i, s in enumerate(specs)]
    now = _now()
    deck_id = conn.execute(
        insert(decks).values(
            slug=slug, title=title, lang=lang, translations=translations, created=now, updated=now
        )
    ).inserted_primary_key[0]
    for i, s in enumerate(checked, start=1):
        conn.execute(insert(slides).values(deck_id=deck_id, position=i, **s))
    return slug


def _free_slug(conn: Connection, base: str) -> str:
    base = base[:76].rstrip("-") or "deck"
    slug, n = base, 1
    while _deck_id(conn, slug) is not None:
        n += 1
        slug = f"{base}-{n}"
    return slug


def _check_slide(
    spec: object, what: str = "slide", *, check_refs: bool = True, partial: bool = False
) -> dict:
    """A slide's columns from ``{kind, params, title, text, notes, translations}``."""
    if not isinstance(spec, dict):
        raise DeckError(f"{what} must be an object {{kind, params, title, text, notes}}")
    allowed = {"kind", "params", "title", "text", "notes", "translations", "position", "id"}
    unknown = [k for k in spec if k not in allowed]
    if unknown:
        raise DeckError(
            f"{what}: unknown field {unknown[0]!r}; allowed: {', '.join(sorted(allowed - {'id'}))}"
        )
    try:
        out: dict[str, Any] = {}
        if not partial or "kind" in spec or "params" in spec:
            kind = spec.get("kind")
            out["kind"] = kind
            out["params"] = check_params(kind, spec.get("params"), check_refs=check_refs)
        for field in TEXT_FIELDS:
            if not partial or field in spec:
                out[field] = _text(spec.get(field), field, limit=_field_limit(field))
        if not partial or "translations" in spec:
            out["translations"] = _translations(spec.get("translations"), TEXT_FIELDS)
    except DeckError as exc:
        raise DeckError(
            f"{what}: {exc.message}" if what != "slide" else exc.message, exc.status
        ) from None
    return out


@_writes
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
        values["title"] = _text(
            changes["title"], "title", required=True, limit=_limit("DECKS_MAX_TITLE")
        )
    if "lang" in changes:
        values["lang"] = _lang(changes["lang"])
    if "translations" in changes:
        values["translations"] = _translations(changes["translations"], ("title",))
    with engine().begin() as conn:
        row = _deck_row(conn, slug)
        if "slug" in changes and changes["slug"] != slug:
            values["slug"] = _slug(changes["slug"])
            if _deck_id(conn, values["slug"]) is not None:
                raise DeckError(f"there is already a deck {values['slug']!r}", 409)
        conn.execute(update(decks).where(decks.c.id == row["id"]).values(updated=_now(), **values))
        return _deck_dict(conn, _deck_row(conn, values.get("slug", slug)))


@_writes
def delete_deck(slug: str) -> None:
    with engine().begin() as conn:
        row = _deck_row(conn, slug)
        conn.execute(delete(slides).where(slides.c.deck_id == row["id"]))
        conn.execute(delete(decks).where(decks.c.id == row["id"]))


def _touch(conn: Connection, deck_id: int) -> None:
    conn.execute(update(decks).where(decks.c.id == deck_id).values(updated=_now()))


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


@_writes
def add_slide(slug: str, spec: dict, *, check_refs: bool = True) -> dict:
    """Add a slide ``{kind, params, title, text, notes, translations, position?}`` (at the
    end unless ``position`` is given); returns it."""
    values = _check_slide(spec, check_refs=check_refs)
    with engine().begin() as conn:
        row = _deck_row(conn, slug)
        _frozen_guard(row, values["kind"], "a new data slide")
        ids = _ordered_ids(conn, row["id"])
        if len(ids) >= _limit("DECKS_MAX_SLIDES"):
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
    for s in _slide_dicts(conn, deck_id):
        if s["id"] == slide_id:
            return s
    raise DeckError(f"this deck has no slide {slide_id!r}", 404)


def get_slide(slug: str, slide_id: int) -> dict:
    with engine().connect() as conn:
        return _slide(conn, _deck_row(conn, slug)["id"], slide_id)


@_writes
def update_slide(slug: str, slide_id: int, changes: dict, *, check_refs: bool = True) -> dict:
    """Change a slide's kind, params, title, text, notes or translations (and position)."""
    if not isinstance(changes, dict):
        raise DeckError("the changes must be an object {kind, params, title, text, notes}")
    with engine().begin() as conn:
        row = _deck_row(conn, slug)
        current = _slide(conn, row["id"], slide_id)
        if "params" in changes and "kind" not in changes:
            changes = {**changes, "kind": current["kind"]}
        if "kind" in changes and "params" not in changes:
            changes = {
                **changes,
                "params": current["params"] if changes["kind"] == current["kind"] else {},
            }
        values = _check_slide(changes, check_refs=check_refs, partial=True)
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


@_writes
def move_slide(slug: str, slide_id: int, position: object) -> dict:
    """Move a slide to ``position`` (1 = first; clamped to the deck); returns the deck."""
    with engine().begin() as conn:
        row = _deck_row(conn, slug)
        _slide(conn, row["id"], slide_id)
        _move(conn, row["id"], slide_id, position)
        _touch(conn, row["id"])
        return _deck_dict(conn, row)


@_writes
def reorder_slides(slug: str, order: object) -> dict:
    """Put the deck's slides in ``order`` (every slide id of the deck, once); returns it."""
    with engine().begin() as conn:
        row = _deck_row(conn, slug)
        ids = _ordered_ids(conn, row["id"])
        if not isinstance(order, list) or sorted(map(str, order)) != sorted(map(str, ids)):
            raise DeckError(f"order must list every slide id of the deck once: {ids}")
        _renumber(conn, [int(i) for i in order])
        _touch(conn, row["id"])
        return _deck_dict(conn, row)


@_writes
def delete_slide(slug: str, slide_id: int) -> dict:
    """Delete a slide (the others close up); returns the deck."""
    with engine().begin() as conn:
        row = _deck_row(conn, slug)
        _slide(conn, row["id"], slide_id)
        conn.execute(delete(slides).where(slides.c.id == slide_id))
        _renumber(conn, _ordered_ids(conn, row["id"]))
        _touch(conn, row["id"])
        return _deck_dict(conn, row)


# --- frozen figures ----------------------------------------------------------------------


@_writes
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
    with engine().begin() as conn:
        row = _deck_row(conn, slug)
        snapshot = {
            "as_of": as_of.isoformat(),
            "taken": _now().isoformat(),
            "data_version": queries.data_version(),
            "slides": {
                str(s["id"]): slide_data(s["kind"], s["params"])
                for s in _slide_dicts(conn, row["id"])
            },
        }
        conn.execute(
            update(decks)
            .where(decks.c.id == row["id"])
            .values(frozen_at=as_of, snapshot=snapshot, updated=_now())
        )
        log.info(
            "decks: froze %s as of %s (data version %s)", slug, as_of, snapshot["data_version"]
        )
        return _deck_dict(conn, _deck_row(conn, slug))


@_writes
def unfreeze(slug: str) -> dict:
    """Drop the frozen figures: the deck shows the current data again."""
    with engine().begin() as conn:
        row = _deck_row(conn, slug)
        conn.execute(
            update(decks)
            .where(decks.c.id == row["id"])
            .values(frozen_at=None, snapshot=None, updated=_now())
        )
        return _deck_dict(conn, _deck_row(conn, slug))


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


def slide_data(kind: str, params: dict) -> dict:
    """Everything a slide needs to be drawn, from the indicator store, as plain JSON."""
    try:
        if not queries.is_ready():
            return {"missing_database": True}
        return _GATHER[kind](params)
    except Exception:  # noqa: BLE001 - one slide's failure must not take the deck down
        log.exception("decks: could not gather data for a %s slide %s", kind, params)
        return {"error": True}


def _records(df: pd.DataFrame, columns: list[str] | None = None) -> list[dict]:
    if columns is not None:
        df = df[[c for c in columns if c in df]]
    return json.loads(df.to_json(orient="records", double_precision=15)) if len(df) else []


def _plain(row: dict | None) -> dict | None:
    if row is None:
        return None
    return json.loads(pd.Series(row, dtype=object).to_json(double_precision=15))


OBS_COLUMNS = [
    "area",
    "year",
    "series",
    "value",
    "status",
    "year_approx",
    "source",
    "other_sources",
]
TARGET_COLUMNS = [
    "program",
    "area",
    "target_year",
    "comparator",
    "value",
    "baseline_year",
    "baseline_value",
    "source",
    "program_kk",
    "program_ru",
    "program_en",
]


def _names(codes: list[str]) -> dict[str, dict]:
    out = {}
    for kato in dict.fromkeys(codes):
        info = queries.area(kato)
        if info:
            out[kato] = {
                "kk": info["name_kk"],
                "ru": info["name_ru"],
                "en": info["name_en"],
                "level": info["level"],
                "parent": info["parent"],
            }
    return out


def _sources(codes: list[str]) -> dict[str, dict]:
    out = {}
    for code in dict.fromkeys(c for c in codes if isinstance(c, str)):
        info = queries.source(code) or {}
        keys = ("title", "publisher", "publisher_kk", "publisher_ru", "address", "tier", "license")
        out[code] = {k: info.get(k) for k in keys}
    return _plain(out) or {}


def _series_data(
    indicator: str, areas: tuple[str, ...], source: str = "preferred", program: str | None = None
) -> dict:
    obs = queries.observations(indicator, areas, source)
    targets = queries.targets(indicator_code=indicator)
    targets = targets[targets["area"].isin(areas)]
    if program:
        targets = targets[targets["program"] == program]
    return {
        "indicator": _plain(queries.indicator(indicator)),
        "observations": _records(obs, OBS_COLUMNS),
        "targets": _records(targets, TARGET_COLUMNS),
        "areas": _names(list(areas)),
        "sources": _sources([*obs["source"], *targets["source"]]),
    }


def _gather_title(params: dict) -> dict:
    return {"areas": _names([params["area"]]) if params.get("area") else {}}


def _gather_target(params: dict) -> dict:
    return _series_data(params["indicator"], (params["area"],), program=params.get("program"))


def _gather_chart(params: dict) -> dict:
    areas = (params["area"], *[a for a in params.get("compare", []) if a != params["area"]])
    return _series_data(params["indicator"], areas, params.get("source", "preferred"))


def _gather_map(params: dict) -> dict:
    level = params.get("level", "district")
    parent = params.get("parent", DEFAULT_PARENT)
    scope = COUNTRY if level == "oblast" else parent
    values = queries.observations_in(params["indicator"], scope)
    years = sorted(int(y) for y in values["year"].unique())
    year = params.get("year") if params.get("year") in years else (years[-1] if years else None)
    vintages = queries.boundary_vintages(level)
    before = [v for v in vintages if year is not None and v <= year]
    vintage = before[-1] if before else (vintages[0] if vintages else None)
    shapes = (
        queries.boundaries(level, parent=scope, vintage=vintage)
        if vintage
        else pd.DataFrame(columns=["area", "geojson"])
    )
    kids = queries.areas(parent=scope)
    return {
        "indicator": _plain(queries.indicator(params["indicator"])),
        "values": _records(values, OBS_COLUMNS),
        "year": year,
        "boundaries": _records(shapes, ["area", "geojson"]),
        "units": list(kids["kato"]),
        "areas": _names([scope, *kids["kato"]]),
        "sources": _sources(list(values["source"])),
    }


def _gather_compare(params: dict) -> dict:
    areas = params.get("areas") or list(
        queries.areas(parent=params.get("parent", DEFAULT_PARENT))["kato"]
    )
    obs = queries.observations(params["indicator"], tuple(areas))
    return {
        "indicator": _plain(queries.indicator(params["indicator"])),
        "observations": _records(obs, OBS_COLUMNS),
        "units": list(areas),
        "areas": _names(list(areas)),
        "sources": _sources(list(obs["source"])),
    }


def _gather_nothing(params: dict) -> dict:
    return {}


_GATHER = {
    "title": _gather_title,
    "target": _gather_target,
    "chart": _gather_chart,
    "map": _gather_map,
    "compare": _gather_compare,
    "text": _gather_nothing,
    "closing": _gather_nothing,
}


def kinds() -> dict[str, list[dict]]:
    """The slide kinds and their parameters, for the deck editor."""
    return {
        kind: [
            {
                "name": p.name,
                "type": p.type,
                "required": p.required,
                "choices": list(p.choices),
                "help": p.help,
            }
            for p in spec
        ]
        for kind, spec in KINDS.items()
    }
