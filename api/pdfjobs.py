"""Deck PDFs rendered in the background by a bounded pool and kept on disk by content.

Printing a deck with headless Chromium takes 15-30 s, so a request never waits for it:
``/present/export.pdf`` answers a PDF made before for the very same document at once
(:meth:`PdfJobs.result`), else starts a render and answers 202 with ``Retry-After`` (a
page that reloads itself), or, when the pool is full, 503 with ``Retry-After``.

* At most ``PDF_WORKERS`` renders run at once across every process of the server (a
  lock file per slot under ``CACHE_DIR/pdf``), on threads apart from the request threads.
* At most ``PDF_QUEUE`` renders wait for a slot in one process; more are refused.
* A document being rendered by any process is not rendered twice (a marker file).
* A failed render is remembered for a minute (its message), so reloads do not retry it
  in a loop.
* The newest ``PDF_CACHE_FILES`` PDFs are kept.

Files are written to a temporary name and renamed, so a reader never sees half a PDF.
"""

from __future__ import annotations

import fcntl
import hashlib
import logging
import os
import threading
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import config

log = logging.getLogger(__name__)

FAILURE_TTL = 60.0  # seconds a failed render is remembered
STALE_AFTER = 300.0  # seconds after which a render marker is taken to be abandoned
SLOT_WAIT = 240.0  # seconds a queued render waits for a slot before giving up


def document_key(document: str) -> str:
    """The cache key of a document: its SHA-256 (the PDF depends on nothing else)."""
    return hashlib.sha256(document.encode("utf-8")).hexdigest()


class PdfJobs:
    """The bounded pool and disk cache for one rendering function (document -> PDF bytes)."""

    def __init__(self, render: Callable[[str], bytes]) -> None:
        self.render = render
        self._lock = threading.Lock()
        self._pending: set[str] = set()
        self._pool: ThreadPoolExecutor | None = None
        self._pool_size = 0

    # --- settings and files ---------------------------------------------------------------

    @staticmethod
    def workers() -> int:
        return max(1, int(config.get("PDF_WORKERS")))

    @staticmethod
    def queue() -> int:
        return max(0, int(config.get("PDF_QUEUE")))

    @staticmethod
    def folder() -> Path:
        path = Path(config.get("CACHE_DIR")) / "pdf"
        path.mkdir(parents=True, exist_ok=True)
        return path

    def _path(self, key: str, suffix: str) -> Path:
        return self.folder() / f"{key}{suffix}"

    def result(self, key: str) -> Path | None:
        """The PDF rendered for ``key``, if there is one."""
        path = self._path(key, ".pdf")
        return path if path.is_file() else None

    def failure(self, key: str) -> str | None:
        """Why the last render of ``key`` failed, if it failed within FAILURE_TTL."""
        path = self._path(key, ".err")
        try:
            if time.time() - path.stat().st_mtime < FAILURE_TTL:
                return path.read_text(encoding="utf-8")
        except OSError:
            return None
        return None

    def pending(self) -> int:
        """Renders this process has started or queued."""
        with self._lock:
            return len(self._pending)

    # --- submitting -----------------------------------------------------------------------

    def submit(self, key: str, document: str) -> str:
        """Start rendering ``document``: "started", "running" (already being rendered,
        here or by another process) or "full" (no room in the queue)."""
        with self._lock:
            if key in self._pending:
                return "running"
            if len(self._pending) >= self.workers() + self.queue():
                return "full"
            if not self._claim(key):
                return "running"
            self._pending.add(key)
            pool = self._executor()
        pool.submit(self._run, key, document)
        return "started"

    def _executor(self) -> ThreadPoolExecutor:
        size = self.workers()
        if self._pool is None or self._pool_size != size:
            self._pool = ThreadPoolExecutor(max_workers=size, thread_name_prefix="pdf")
            self._pool_size = size
        return self._pool

    def _claim(self, key: str) -> bool:
        """Create the marker that ``key`` is being rendered (False: another has it)."""
        marker = self._path(key, ".running")
        for _ in range(2):
            try:
                fd = os.open(marker, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o644)
            except FileExistsError:
                try:
                    if time.time() - marker.stat().st_mtime > STALE_AFTER:
                        marker.unlink(missing_ok=True)  # its process died: take it over
                        continue
                except OSError:
                    continue
                return False
            os.write(fd, str(os.getpid()).encode())
            os.close(fd)
            return True
        return False

    # --- rendering ------------------------------------------------------------------------

    def _slot(self) -> int | None:
        """A file descriptor holding one of the PDF_WORKERS slots, or None after SLOT_WAIT."""
        deadline = time.monotonic() + SLOT_WAIT
        while time.monotonic() < deadline:
            for i in range(self.workers()):
                fd = os.open(self.folder() / f"slot-{i}.lock", os.O_CREAT | os.O_RDWR, 0o644)
                try:
                    fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                    return fd
                except BlockingIOError:
                    os.close(fd)
            time.sleep(0.25)
        return None

    def _run(self, key: str, document: str) -> None:
        marker, err = self._path(key, ".running"), self._path(key, ".err")
        try:
            slot = self._slot()
            if slot is None:
                raise RuntimeError("every PDF slot stayed busy; try again later")
            try:
                started = time.monotonic()
                pdf = self.render(document)
                tmp = self._path(key, f".{os.getpid()}.tmp")
                tmp.write_bytes(pdf)
                os.replace(tmp, self._path(key, ".pdf"))
                err.unlink(missing_ok=True)
                log.info("pdf: rendered %s in %.1f s", key[:12], time.monotonic() - started)
            finally:
                fcntl.flock(slot, fcntl.LOCK_UN)
                os.close(slot)
            self._prune()
        except Exception as exc:  # noqa: BLE001 - remembered and shown to the next request
            log.warning("pdf: rendering %s failed: %s", key[:12], exc)
            try:
                err.write_text(f"{type(exc).__name__}: {exc}", encoding="utf-8")
            except OSError:
                log.exception("pdf: could not record the failure")
        finally:
            marker.unlink(missing_ok=True)
            with self._lock:
                self._pending.discard(key)

    def _prune(self) -> None:
        keep = int(config.get("PDF_CACHE_FILES"))
        pdfs = sorted(self.folder().glob("*.pdf"), key=lambda p: p.stat().st_mtime, reverse=True)
        for old in pdfs[keep:]:
            old.unlink(missing_ok=True)

    def wait(self, key: str, timeout: float) -> Path | None:
        """Wait up to ``timeout`` seconds for ``key``'s PDF (for scripts and tests)."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            path = self.result(key)
            if path is not None or self.failure(key):
                return path
            time.sleep(0.2)
        return self.result(key)
