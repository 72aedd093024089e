"""Who may change decks: the errors every deck function raises, DECKS_READONLY, and the write
gate and hook through which the web layer says who may write and records what was written.

Every function that writes is wrapped in :func:`writes`, which asks :func:`write_refusal`
first, so no write path can skip the gate.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any, TypeVar

import config


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


F = TypeVar("F", bound=Callable[..., Any])


def writes(fn: F) -> F:
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
