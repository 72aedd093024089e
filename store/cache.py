"""Memoization of the store's query functions with flask-caching.

The cache key of every call includes the database's URL and ``data_version`` (bumped by
each ETL load), so a new load invalidates everything cached before it, in every worker and
on every host that shares the Redis cache. Outside a web
process (ETL, tests) no cache is configured and the functions run directly.
"""

from __future__ import annotations

import functools
import hashlib
import logging
from collections.abc import Callable
from typing import Any

from flask import Flask, has_app_context
from flask_caching import Cache

import config

cache = Cache()
DEFAULT_REDIS_URL = "redis://127.0.0.1:6379/0"  # CACHE_TYPE=RedisCache without a URL
log = logging.getLogger(__name__)
_ready = False


def init_cache(server: Flask, cache_type: str | None = None) -> None:
    """Attach the cache to the Flask server, configured from the settings: CACHE_TYPE, else
    Redis when CACHE_REDIS_URL is set (shared by every worker and host), else in-process."""
    global _ready
    redis_url = config.get("CACHE_REDIS_URL")
    cache_type = config.get("CACHE_TYPE", cache_type) or (
        "RedisCache" if redis_url else "SimpleCache"
    )
    cfg: dict[str, Any] = {
        "CACHE_TYPE": cache_type,
        "CACHE_DEFAULT_TIMEOUT": int(config.get("CACHE_DEFAULT_TIMEOUT")),
    }
    if cache_type == "FileSystemCache":
        cfg["CACHE_DIR"] = config.get("CACHE_DIR")
    if cache_type == "RedisCache":
        cfg["CACHE_REDIS_URL"] = redis_url or DEFAULT_REDIS_URL
    cache.init_app(server, config=cfg)
    _ready = True


_MISS = object()


def ready() -> bool:
    """True when a cache is configured (in the web process)."""
    return _ready


def remember(key: object, version: str, build: Callable[[], Any]) -> Any:  # noqa: ANN401
    """``build()``, kept in the cache under ``key`` (its ``repr``) and ``version``.

    The cache key is a digest of both, so a new ``version`` (a new load) misses everything
    kept before it. ``None`` results are kept too. Without a cache, ``build()`` runs.
    """
    if not _ready or not has_app_context():
        return build()
    name = "m:" + hashlib.sha1(repr((version, key)).encode(), usedforsecurity=False).hexdigest()
    try:
        hit = cache.get(name)
    except Exception:  # noqa: BLE001 - a cache backend that is down: compute, as uncached
        log.exception("cache read failed; computing %s", key)
        return build()
    if hit is not None:
        return hit[0]
    value = build()
    try:
        cache.set(name, (value,))
    except Exception:  # noqa: BLE001
        log.exception("cache write failed for %s", key)
    return value


def memoized(version: Callable[[], str]) -> Callable:
    """Decorator: memoize when a cache is configured, keyed on ``version()`` and the args.

    One cache read per call (flask-caching's own ``memoize`` reads a per-function version
    first, a second round trip, and inspects the signature each time).
    """

    def decorate(fn: Callable) -> Callable:
        name = f"{fn.__module__}.{fn.__qualname__}"

        @functools.wraps(fn)
        def wrapper(*args: Any, **kwargs: Any) -> Any:  # noqa: ANN401
            if not _ready:
                return fn(*args, **kwargs)
            key = (name, args, tuple(sorted(kwargs.items())))
            return remember(key, version(), lambda: fn(*args, **kwargs))

        wrapper.uncached = fn  # type: ignore[attr-defined]
        return wrapper

    return decorate
