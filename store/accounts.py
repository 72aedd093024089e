"""Accounts, the audit log and submitted figures: the application's own writable database.

These tables live beside the decks (``DECKS_DATABASE_URL``, see :mod:`store.decks`), never
in the indicator database, which only the ETL writes. Submitted figures wait here for
review; an approved batch is loaded by the ETL's own load path (:mod:`etl.submission`).

Roles, each including the one before: ``viewer`` (browses; the default, no account
needed), ``editor`` (submits figures for its areas, edits decks), ``reviewer`` (approves or
rejects submissions for its areas) and ``admin`` (manages accounts, reads the audit log).
An account acts for a list of areas (KATO codes); an area covers the areas under it.

The audit log is append-only: this module has no function that changes or deletes a row,
and on SQLite triggers refuse UPDATE and DELETE on the table.
"""

from __future__ import annotations

import logging
import re
import threading
import time
from collections.abc import Callable, Iterable
from datetime import UTC, datetime
from typing import Any

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError
from sqlalchemy import (
    JSON,
    Boolean,
    CheckConstraint,
    Column,
    DateTime,
    Engine,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    func,
    insert,
    select,
    update,
)
from sqlalchemy.exc import IntegrityError, OperationalError, ProgrammingError

from store import deck_access, deck_database

log = logging.getLogger(__name__)

ROLES = ("viewer", "editor", "reviewer", "admin")
SUBMISSION_STATES = ("pending", "approved", "rejected")
USERNAME_RE = re.compile(r"^[a-z0-9][a-z0-9._@-]{1,63}$")
KATO_RE = re.compile(r"^\d{9}$")
COUNTRY = "000000000"

metadata = MetaData()

users = Table(
    "users",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("username", String(64), nullable=False, unique=True),
    Column("name", Text, nullable=False),
    Column("organisation", Text, nullable=False),
    Column("role", String(10), nullable=False),
    Column("areas", JSON, nullable=False, comment="KATO codes the account acts for"),
    Column("password_hash", Text, comment="argon2id; empty for accounts that sign in by SSO"),
    Column("active", Boolean, nullable=False),
    Column("created", DateTime, nullable=False),
    Column("updated", DateTime, nullable=False),
    CheckConstraint(f"role in {ROLES}", name="user_role"),
)

audit_log = Table(
    "audit_log",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("at", DateTime, nullable=False),
    Column("actor", String(64), comment="username; empty for an anonymous client"),
    Column("action", String(40), nullable=False),
    Column("target", Text, comment="what was acted on: an account, a deck, a submission"),
    Column("detail", Text),
    Column("ip", String(64)),
    Column("ok", Boolean, nullable=False),
)
Index("ix_audit_at", audit_log.c.at)

submissions = Table(
    "submissions",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("area", String(9), nullable=False),
    Column("submitter", String(64), nullable=False),
    Column("organisation", Text, nullable=False),
    Column("created", DateTime, nullable=False),
    Column("state", String(10), nullable=False),
    Column("source", JSON, nullable=False, comment="the source sheet: title, publisher, ..."),
    Column("rows", JSON, nullable=False, comment="the figures: indicator, area, year, value, ..."),
    Column("file_name", Text),
    Column("warnings_accepted", Boolean, nullable=False),
    Column("reviewer", String(64)),
    Column("reviewed", DateTime),
    Column("comment", Text),
    Column("loaded", Text, comment="what the load wrote (observations, data version)"),
    CheckConstraint(f"state in {SUBMISSION_STATES}", name="submission_state"),
)

_APPEND_ONLY = (
    "CREATE TRIGGER IF NOT EXISTS audit_log_no_update BEFORE UPDATE ON audit_log "
    "BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END",
    "CREATE TRIGGER IF NOT EXISTS audit_log_no_delete BEFORE DELETE ON audit_log "
    "BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END",
)


class AccountError(ValueError):
    """Bad input for an account or a submission; ``status`` is the HTTP status to answer."""

    def __init__(self, message: str, status: int = 400) -> None:
        super().__init__(message)
        self.message, self.status = message, status


_hasher = PasswordHasher()
_READY = "_aral_accounts_ready"  # set on an engine whose tables exist
_lock = threading.Lock()


def engine() -> Engine:
    """The application database (the deck database) with these tables in it."""
    eng = deck_database.engine()
    if not getattr(eng, _READY, False):
        with _lock:
            if not getattr(eng, _READY, False):
                if not deck_access.read_only():
                    _create(eng)
                setattr(eng, _READY, True)
    return eng


def _create(eng: Engine, attempts: int = 5) -> None:
    """Create the tables (and SQLite's append-only triggers) once, however many processes
    try at the same time: on SQLite under the write lock; a lost race is tried again."""
    for attempt in range(1, attempts + 1):
        try:
            with eng.connect() as conn:
                if eng.dialect.name == "sqlite":
                    conn.exec_driver_sql("PRAGMA busy_timeout = 30000")
                    conn.exec_driver_sql("BEGIN IMMEDIATE")
                metadata.create_all(conn)
                if eng.dialect.name == "sqlite":
                    for ddl in _APPEND_ONLY:
                        conn.exec_driver_sql(ddl)
                conn.commit()
            return
        except (IntegrityError, OperationalError, ProgrammingError):
            if attempt == attempts:
                raise
            log.info("accounts: creating the tables raced another process; trying again")
            time.sleep(0.1 * attempt)


def _now() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None, microsecond=0)


# --- accounts ------------------------------------------------------------------------------


def enabled() -> bool:
    """Whether this server has accounts: at least one active account exists (and the
    database is writable; with DECKS_READONLY on there are none)."""
    if deck_access.read_only():
        return False
    eng = engine()
    with eng.connect() as conn:
        return bool(conn.scalar(select(func.count()).select_from(users).where(users.c.active)))


def role_at_least(role: str | None, wanted: str) -> bool:
    """Whether ``role`` includes ``wanted`` (viewer < editor < reviewer < admin)."""
    return role in ROLES and ROLES.index(role) >= ROLES.index(wanted)


def _check_role(role: str) -> str:
    if role not in ROLES:
        raise AccountError(f"role must be one of {', '.join(ROLES)}, not {role!r}")
    return role


def _check_areas(areas: Iterable[str]) -> list[str]:
    out = []
    for a in areas:
        a = str(a).strip()
        if not KATO_RE.match(a):
            raise AccountError(f"area {a!r} is not a 9-digit KATO code")
        out.append(a)
    return sorted(set(out))


def hash_password(password: str) -> str:
    """An argon2id hash of ``password`` (at least 10 characters)."""
    if len(password) < 10:
        raise AccountError("a password needs at least 10 characters")
    return _hasher.hash(password)


def add_user(
    username: str,
    *,
    name: str,
    organisation: str,
    role: str = "viewer",
    areas: Iterable[str] = (),
    password: str | None = None,
) -> dict:
    """Create an account; ``password`` None makes an account that signs in only by SSO."""
    username = username.strip().lower()
    if not USERNAME_RE.match(username):
        raise AccountError(
            f"user name {username!r}: use 2-64 lower-case latin letters, digits, . _ @ -"
        )
    row = {
        "username": username,
        "name": name.strip() or username,
        "organisation": organisation.strip(),
        "role": _check_role(role),
        "areas": _check_areas(areas),
        "password_hash": hash_password(password) if password is not None else None,
        "active": True,
        "created": _now(),
        "updated": _now(),
    }
    with engine().begin() as conn:
        if conn.scalar(select(users.c.id).where(users.c.username == username)) is not None:
            raise AccountError(f"user {username!r} already exists", 409)
        conn.execute(insert(users).values(**row))
    return get_user(username)  # type: ignore[return-value]


def _public(row: Any) -> dict:
    d = dict(row._mapping)
    d["has_password"] = bool(d.pop("password_hash", None))
    return d


def get_user(username: str) -> dict | None:
    """An account (without its password hash), or None."""
    with engine().connect() as conn:
        row = conn.execute(select(users).where(users.c.username == username.lower())).first()
    return _public(row) if row is not None else None


def list_users() -> list[dict]:
    with engine().connect() as conn:
        rows = conn.execute(select(users).order_by(users.c.username)).all()
    return [_public(r) for r in rows]


def _change(username: str, **values: Any) -> dict:
    with engine().begin() as conn:
        done = conn.execute(
            update(users)
            .where(users.c.username == username.lower())
            .values(**values, updated=_now())
        )
        if done.rowcount == 0:
            raise AccountError(f"no user {username!r}", 404)
    return get_user(username)  # type: ignore[return-value]


def set_role(username: str, role: str, areas: Iterable[str] | None = None) -> dict:
    """Change an account's role (and, when given, its areas)."""
    values: dict[str, Any] = {"role": _check_role(role)}
    if areas is not None:
        values["areas"] = _check_areas(areas)
    return _change(username, **values)


def set_active(username: str, active: bool) -> dict:
    """Disable (or enable again) an account; a disabled account cannot sign in."""
    return _change(username, active=active)


def set_password(username: str, password: str) -> dict:
    return _change(username, password_hash=hash_password(password))


def authenticate(username: str, password: str) -> dict | None:
    """The active account whose password this is, or None (a wrong name costs a hash too)."""
    with engine().connect() as conn:
        row = conn.execute(
            select(users).where(users.c.username == username.strip().lower())
        ).first()
    stored = row.password_hash if row is not None else None
    try:
        if not stored:
            _hasher.verify(_DUMMY, password + "x")  # the same work for an unknown name
            return None
        _hasher.verify(stored, password)
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return None
    if not row.active:
        return None
    if _hasher.check_needs_rehash(stored):
        set_password(row.username, password)
    return _public(row)


_DUMMY = _hasher.hash("not a password of anyone")


def covers(account_areas: Iterable[str], kato: str, parent_of: Callable[[str], str | None]) -> bool:
    """Whether an account acting for ``account_areas`` may act for ``kato``: one of them is
    ``kato``, an area above it (``parent_of`` walks up), or the whole country."""
    mine = set(account_areas)
    if COUNTRY in mine:
        return True
    seen: set[str] = set()
    current: str | None = kato
    while current and current not in seen:
        if current in mine:
            return True
        seen.add(current)
        current = parent_of(current)
    return False


# --- audit log -----------------------------------------------------------------------------


def audit(
    action: str,
    *,
    actor: str | None,
    target: str | None = None,
    detail: str | None = None,
    ip: str | None = None,
    ok: bool = True,
) -> None:
    """Append one entry to the audit log (never changed or deleted afterwards)."""
    if deck_access.read_only():
        log.info("audit (read-only server, not stored): %s %s %s", actor, action, target)
        return
    with engine().begin() as conn:
        conn.execute(
            insert(audit_log).values(
                at=_now(),
                actor=actor or None,
                action=action[:40],
                target=(target or None) and target[:2000],
                detail=(detail or None) and detail[:4000],
                ip=(ip or None) and ip[:64],
                ok=ok,
            )
        )


def audit_entries(
    *,
    action: str | None = None,
    actor: str | None = None,
    since: datetime | None = None,
    before: datetime | None = None,
    limit: int | None = 500,
) -> list[dict]:
    """Audit entries, newest first: ``action`` exactly or as a prefix before a dot
    ("submission" matches ``submission.create``), ``actor`` exactly, at or after ``since`` and
    before ``before`` (UTC)."""
    stmt = select(audit_log).order_by(audit_log.c.id.desc())
    if action:
        stmt = stmt.where(
            (audit_log.c.action == action)
            | audit_log.c.action.startswith(f"{action}.", autoescape=True)
        )
    if actor:
        stmt = stmt.where(audit_log.c.actor == actor)
    if since is not None:
        stmt = stmt.where(audit_log.c.at >= since)
    if before is not None:
        stmt = stmt.where(audit_log.c.at < before)
    if limit:
        stmt = stmt.limit(limit)
    with engine().connect() as conn:
        return [dict(r._mapping) for r in conn.execute(stmt)]


# --- submissions ---------------------------------------------------------------------------


def add_submission(
    *,
    area: str,
    submitter: str,
    organisation: str,
    source: dict,
    rows: list[dict],
    file_name: str | None,
    warnings_accepted: bool,
) -> dict:
    """Store a checked batch of figures, pending review."""
    with engine().begin() as conn:
        new_id = conn.execute(
            insert(submissions).values(
                area=area,
                submitter=submitter,
                organisation=organisation,
                created=_now(),
                state="pending",
                source=source,
                rows=rows,
                file_name=file_name,
                warnings_accepted=warnings_accepted,
            )
        ).inserted_primary_key[0]
    return get_submission(new_id)  # type: ignore[return-value]


def get_submission(submission_id: int) -> dict | None:
    with engine().connect() as conn:
        row = conn.execute(select(submissions).where(submissions.c.id == submission_id)).first()
    return dict(row._mapping) if row is not None else None


def list_submissions(state: str | None = None) -> list[dict]:
    stmt = select(submissions).order_by(submissions.c.id.desc())
    if state:
        stmt = stmt.where(submissions.c.state == state)
    with engine().connect() as conn:
        return [dict(r._mapping) for r in conn.execute(stmt)]


def decide(
    submission_id: int,
    *,
    state: str,
    reviewer: str,
    comment: str,
    loaded: str | None = None,
) -> dict:
    """Record a review decision on a pending submission (approved or rejected)."""
    if state not in ("approved", "rejected"):
        raise AccountError(f"a decision is approved or rejected, not {state!r}")
    with engine().begin() as conn:
        done = conn.execute(
            update(submissions)
            .where(submissions.c.id == submission_id, submissions.c.state == "pending")
            .values(state=state, reviewer=reviewer, reviewed=_now(), comment=comment, loaded=loaded)
        )
        if done.rowcount == 0:
            raise AccountError(f"submission {submission_id} is not pending review", 409)
    return get_submission(submission_id)  # type: ignore[return-value]
