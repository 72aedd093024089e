"""The query cache works with each configured backend: simple, filesystem and Redis; with
Redis, app instances (gunicorn workers, web hosts) share it and a new load invalidates it."""

from __future__ import annotations

import os
import shutil

import pytest
from flask import Flask
from sqlalchemy import text

from store import cache as store_cache
from store import queries
from store.db import writable_engine
from tests.conftest import FIXTURES, cached_server, run_etl

MINI = FIXTURES / "curated_min"
ARAL = "433200000"
pytestmark = pytest.mark.postgres


@pytest.fixture
def mini_db(databases):
    url = databases.new("mini")
    assert run_etl("build", "--no-boundaries", "--db", url, "--data", str(MINI))[0] == 0
    queries.use(url)
    yield url
    queries.use()


def _exercise(server: Flask) -> None:
    with server.app_context():
        first = queries.indicators()
        assert store_cache.cache.cache is not None
        key_count_before = _keys(server)
        second = queries.indicators()
        assert first.equals(second)
        assert _keys(server) == key_count_before >= 1


def _keys(server: Flask) -> int:
    backend = store_cache.cache.cache
    if hasattr(backend, "_cache"):  # SimpleCache
        return len(backend._cache)
    if hasattr(backend, "_path"):  # FileSystemCache
        return len([f for f in os.listdir(backend._path) if not f.startswith("__")])
    return len(backend._write_client.keys("*"))  # RedisCache


def test_filesystem_cache(mini_db, tmp_path, monkeypatch):
    monkeypatch.setenv("CACHE_DIR", str(tmp_path / "cache"))
    _exercise(cached_server("fs", monkeypatch, "FileSystemCache"))
    assert any((tmp_path / "cache").iterdir())


def test_redis_cache(mini_db, redis_url, monkeypatch):
    monkeypatch.setenv("CACHE_REDIS_URL", redis_url)
    _exercise(cached_server("redis", monkeypatch, "RedisCache"))


def test_a_redis_url_alone_makes_the_cache_redis(redis_url, monkeypatch):
    monkeypatch.setattr(store_cache, "_ready", False)
    monkeypatch.delenv("CACHE_TYPE", raising=False)
    monkeypatch.setenv("CACHE_REDIS_URL", redis_url)
    server = Flask("auto")
    store_cache.init_cache(server)
    with server.app_context():
        assert type(store_cache.cache.cache).__name__ == "RedisCache"
    monkeypatch.delenv("CACHE_REDIS_URL")
    other = Flask("default")
    store_cache.init_cache(other)
    with other.app_context():
        assert type(store_cache.cache.cache).__name__ == "SimpleCache"


def _fish(server: Flask) -> list[float]:
    with server.app_context():
        return queries.observations("fish_processed", ARAL).value.tolist()


def test_app_instances_share_the_redis_cache_and_a_load_invalidates_it(
    mini_db, redis_url, monkeypatch, tmp_path
):
    """Two app instances with their own Redis clients, as two gunicorn workers (or two web
    hosts) have: what one cached, the other answers from Redis without reading the database."""
    monkeypatch.setenv("CACHE_REDIS_URL", redis_url)
    first = cached_server("worker-1", monkeypatch, "RedisCache")
    second = Flask("worker-2")
    store_cache.init_cache(second, "RedisCache")
    alone = Flask("own-cache")  # an instance with an in-process cache shares nothing
    store_cache.init_cache(alone, "SimpleCache")

    assert _fish(first) == [308.0]
    # A write that bypasses the ETL does not bump the data version: cached answers stay.
    with writable_engine(mini_db).begin() as conn:
        conn.execute(
            text(
                "UPDATE observation_values SET value = 999 WHERE indicator_id = "
                "(SELECT id FROM indicator_ids WHERE code = 'fish_processed')"
            )
        )
    assert _fish(second) == [308.0]  # the first instance's result, from Redis
    assert _fish(alone) == [999.0]  # what the database holds now

    changed = tmp_path / "demo"
    shutil.copytree(MINI / "curated" / "demo", changed)
    obs = changed / "observations.csv"
    obs.write_text(obs.read_text(encoding="utf-8").replace(",308,", ",310,"), encoding="utf-8")
    assert run_etl("load", "--db", mini_db, str(changed))[0] == 0
    assert _fish(second) == [310.0]  # a new load: a new data version, new keys
    assert _fish(first) == [310.0]
