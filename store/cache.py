"""Memoization of the store's query functions with flask-caching.

The cache key of every call includes the database's URL and ``data_version`` (bumped by
each ETL load), so a new load invalidates everything cached before it, in every worker and
on every host that shares the Redis cache. Outside a web
process (ETL, tests) no cache is configured and the functions run directly.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any

from flask import Flask
from flask_caching import Cache

import config

cache = Cache()
DEFAULT_REDIS_URL = "redis://127.0.0.1:6379/0"  # CACHE_TYPE=RedisCache without a URL
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


def memoized(version: Callable[[], str]) -> Callable:
    """Decorator: memoize when a cache is configured, keyed on ``version()`` and the args."""

    def decorate(fn: Callable) -> Callable:
        def _with_version(_version: str, *args: Any, **kwargs: Any) -> Any:
            return fn(*args, **kwargs)

        # flask-caching keys memoized functions by module and qualified name: give each
        # wrapper its function's, or every query would share one key.
        _with_version.__module__ = fn.__module__
        _with_version.__qualname__ = fn.__qualname__
        _with_version.__name__ = fn.__name__
        _with_version = cache.memoize()(_with_version)

        @functools.wraps(fn)
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            if not _ready:
                return fn(*args, **kwargs)
            return _with_version(version(), *args, **kwargs)

        wrapper.uncached = fn  # type: ignore[attr-defined]
        return wrapper

    return decorate
