"""The query cache works with each configured backend: simple, filesystem and Redis."""

from __future__ import annotations

import shutil
import socket
import subprocess
import time

import pytest
from flask import Flask

from store import cache as store_cache
from store import queries
from tests.conftest import FIXTURES, run_etl


@pytest.fixture
def mini_db(tmp_path):
    url = f"sqlite:///{tmp_path / 'mini.db'}"
    assert (
        run_etl("build", "--no-boundaries", "--db", url, "--data", str(FIXTURES / "curated_min"))[0]
        == 0
    )
    queries.use(url)
    yield url
    queries.use()


def _exercise(server: Flask, monkeypatch) -> None:
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
        import os

        return len([f for f in os.listdir(backend._path) if not f.startswith("__")])
    return len(backend._write_client.keys("*"))  # RedisCache


def test_filesystem_cache(mini_db, tmp_path, monkeypatch):
    monkeypatch.setenv("CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.setattr(store_cache, "_ready", False)
    server = Flask("fs")
    store_cache.init_cache(server, "FileSystemCache")
    _exercise(server, monkeypatch)
    assert any((tmp_path / "cache").iterdir())
    monkeypatch.setattr(store_cache, "_ready", False)


@pytest.fixture
def redis_url(tmp_path):
    exe = shutil.which("redis-server")
    if exe is None:
        pytest.skip("redis-server is not installed (apt-get install redis-server; see .ci/run)")
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    proc = subprocess.Popen(
        [
            exe,
            "--port",
            str(port),
            "--bind",
            "127.0.0.1",
            "--save",
            "",
            "--appendonly",
            "no",
            "--dir",
            str(tmp_path),
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.time() + 10
    while time.time() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            break
        except OSError:
            time.sleep(0.05)
    yield f"redis://127.0.0.1:{port}/0"
    proc.terminate()
    proc.wait(timeout=10)


def test_redis_cache(mini_db, redis_url, monkeypatch):
    monkeypatch.setenv("CACHE_REDIS_URL", redis_url)
    monkeypatch.setattr(store_cache, "_ready", False)
    server = Flask("redis")
    store_cache.init_cache(server, "RedisCache")
    _exercise(server, monkeypatch)
    monkeypatch.setattr(store_cache, "_ready", False)
