"""Downloading the geokz shapefiles, against a local HTTP server on 127.0.0.1 (never the internet)."""

from __future__ import annotations

import functools
import logging
import shutil
import socket
import threading
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer

import pytest

from etl import download
from etl.download import DownloadError, boundaries_dir, expected_checksums, fetch_boundaries
from tests.conftest import SHARED

ORIGINAL = SHARED / "geo" / "original"


class Handler(SimpleHTTPRequestHandler):
    def log_request(self, code="-", size="-"):
        self.server.requests.append(self.path)

    def log_message(self, *args):
        pass


@pytest.fixture
def serve():
    """serve(folder) -> base URL of an HTTP server on a free local port; it records requests."""
    servers = []

    def start(folder):
        server = ThreadingHTTPServer(
            ("127.0.0.1", 0), functools.partial(Handler, directory=str(folder))
        )
        server.requests = []
        threading.Thread(target=server.serve_forever, daemon=True).start()
        servers.append(server)
        return f"http://127.0.0.1:{server.server_port}/", server.requests

    yield start
    for server in servers:
        server.shutdown()
        server.server_close()


@pytest.fixture
def original():
    if not (ORIGINAL / "SHA256SUMS").exists():
        pytest.skip(f"{ORIGINAL} is absent: the geokz shapefiles are served from ../shared/geo")
    return ORIGINAL


@pytest.fixture
def closed_port_url():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    return f"http://127.0.0.1:{port}/"


@pytest.fixture
def settings(monkeypatch, tmp_path):
    monkeypatch.delenv("INDICATORS_BOUNDARIES_DIR", raising=False)
    monkeypatch.setenv("INDICATORS_DOWNLOAD_DIR", str(tmp_path / "downloads"))
    return monkeypatch


def test_embedded_checksums_are_geokz_own(original):
    assert download.CHECKSUMS_FILE.read_text() == (original / "SHA256SUMS").read_text()


def test_embedded_checksums_list_the_twenty_files():
    checksums = expected_checksums()
    assert sorted(checksums) == sorted(
        f"kaz_admbnda_adm{level}_{year}{ext}"
        for level in (1, 2)
        for year in (2018, 2024)
        for ext in (".shp", ".shx", ".dbf", ".prj", ".cpg")
    )
    assert all(len(d) == 64 for d in checksums.values())
    assert download.GEOKZ_BASE == (
        "https://raw.githubusercontent.com/arodionoff/geokz/"
        "41c1a00454ec9e01bda031b5074920bd82de02ce/inst/shape/"
    )


def test_download_verifies_and_then_skips(original, serve, tmp_path):
    base_url, requests = serve(original)
    dest = tmp_path / "geokz"
    assert fetch_boundaries(dest, base_url) == dest
    assert len(requests) == 20
    assert sorted(p.name for p in dest.iterdir()) == sorted(expected_checksums())
    for name, digest in expected_checksums().items():
        assert download.sha256(dest / name) == digest

    fetch_boundaries(dest, base_url)
    assert len(requests) == 20  # all present and verified: nothing fetched

    (dest / "kaz_admbnda_adm2_2024.prj").write_text("not a projection")
    fetch_boundaries(dest, base_url)
    assert requests[20:] == ["/kaz_admbnda_adm2_2024.prj"]
    assert (dest / "kaz_admbnda_adm2_2024.prj").read_bytes() == (
        original / "kaz_admbnda_adm2_2024.prj"
    ).read_bytes()


def test_checksum_mismatch_keeps_nothing(original, serve, tmp_path):
    tampered = tmp_path / "tampered"
    shutil.copytree(original, tampered)
    first = sorted(expected_checksums())[0]  # fetched first, so nothing else is on disk yet
    (tampered / first).write_bytes(b"tampered")
    base_url, _ = serve(tampered)
    dest = tmp_path / "geokz"
    with pytest.raises(DownloadError) as info:
        fetch_boundaries(dest, base_url)
    message = str(info.value)
    assert first in message and "checksum mismatch" in message
    assert expected_checksums()[first] in message
    assert download.hashlib.sha256(b"tampered").hexdigest() in message
    assert list(dest.iterdir()) == []


def test_offline_is_a_clear_error(closed_port_url, tmp_path):
    with pytest.raises(DownloadError, match="cannot download .*offline"):
        fetch_boundaries(tmp_path / "geokz", closed_port_url, timeout=5)
    assert list((tmp_path / "geokz").iterdir()) == []


def test_http_error_is_named(serve, tmp_path):
    (tmp_path / "empty").mkdir()
    base_url, _ = serve(tmp_path / "empty")  # nothing to serve: 404
    with pytest.raises(DownloadError, match="HTTP 404"):
        fetch_boundaries(tmp_path / "geokz", base_url)


def test_boundaries_dir_prefers_the_argument_then_the_setting(settings, tmp_path):
    explicit, configured = tmp_path / "explicit", tmp_path / "configured"
    explicit.mkdir()
    configured.mkdir()
    settings.setenv("INDICATORS_BOUNDARIES_DIR", str(configured))
    assert boundaries_dir(str(explicit)) == explicit
    assert boundaries_dir(None) == configured
    with pytest.raises(FileNotFoundError, match="INDICATORS_BOUNDARIES_DIR"):
        boundaries_dir(str(tmp_path / "nowhere"))


def test_boundaries_dir_downloads_into_the_download_dir(settings, original, serve, tmp_path):
    base_url, _ = serve(original)
    folder = boundaries_dir(None, base_url=base_url)
    assert folder == tmp_path / "downloads" / "geokz"
    assert (folder / "kaz_admbnda_adm2_2024.shp").is_file()


def test_boundaries_dir_is_none_when_the_download_fails(settings, closed_port_url, caplog):
    with caplog.at_level(logging.WARNING, logger="etl.download"):
        assert boundaries_dir(None, base_url=closed_port_url) is None
    assert "building without boundaries" in caplog.text
