"""Compressed answers (gzip for any client that accepts it, brotli for browsers), validators
kept, and the pages' scripts: the local partial plotly.js bundle, no CDN, no full plotly."""

from __future__ import annotations

import gzip
import json
import re

import brotli
import plotly.offline
import pytest

from api.compression import algorithms
from tests.conftest import ROOT
from tests.web.conftest import render

PAGES = ["/", "/explore", "/map"]
SRC = re.compile(r'<script[^>]*src="([^"]+)"')
BUNDLES = sorted((ROOT / "assets" / "plotly").glob("plotly-*-dashboard.min.js"))


def test_the_bundle_is_plotly_py_s_plotly_js_version():
    assert [b.name for b in BUNDLES] == [
        f"plotly-{plotly.offline.get_plotlyjs_version()}-dashboard.min.js"
    ]
    readme = (ROOT / "assets" / "plotly" / "README.md").read_text(encoding="utf-8")
    assert BUNDLES[0].name in readme and (ROOT / "assets" / "plotly" / "LICENSE").exists()


@pytest.mark.parametrize("path", PAGES)
def test_pages_are_gzip_encoded_when_the_client_accepts_it(client, path):
    plain = client.get(path, headers={"Accept-Encoding": ""})
    zipped = client.get(path, headers={"Accept-Encoding": "gzip"})
    assert plain.headers.get("Content-Encoding") is None
    assert zipped.headers["Content-Encoding"] == "gzip"
    assert "Accept-Encoding" in zipped.headers["Vary"]
    unzipped = gzip.decompress(zipped.get_data()).decode("utf-8")
    # the same page (Dash signs a fresh token into each load, so compare all but it)
    assert unzipped.startswith("<!DOCTYPE html>") and unzipped.rstrip().endswith("</html>")
    assert SRC.findall(unzipped) == SRC.findall(plain.get_data(as_text=True))
    assert zipped.headers["Content-Security-Policy"] == plain.headers["Content-Security-Policy"]


def test_callback_json_is_compressed(client):
    plain = render(client, "/map", "?lang=en")
    payload = {
        "output": ".._pages_content.children..._pages_store.data..",
        "outputs": [
            {"id": "_pages_content", "property": "children"},
            {"id": "_pages_store", "property": "data"},
        ],
        "inputs": [
            {"id": "_pages_location", "property": "pathname", "value": "/map"},
            {"id": "_pages_location", "property": "search", "value": "?lang=en"},
        ],
        "changedPropIds": ["_pages_location.pathname", "_pages_location.search"],
        "state": [],
    }
    r = client.post(
        "/_dash-update-component",
        data=json.dumps(payload),
        content_type="application/json",
        headers={"Accept-Encoding": "gzip"},
    )
    assert r.headers["Content-Encoding"] == "gzip"
    assert json.loads(gzip.decompress(r.get_data())) == json.loads(plain)


def test_api_json_is_compressed(client):
    r = client.get("/api/v1/indicators", headers={"Accept-Encoding": "gzip"})
    assert r.status_code == 200 and r.headers["Content-Encoding"] == "gzip"
    assert json.loads(gzip.decompress(r.get_data()))


def test_api_csv_is_compressed_and_still_revalidates(client):
    url = "/api/v1/observations?indicator=population&format=csv"
    plain = client.get(url, headers={"Accept-Encoding": ""})
    r = client.get(url, headers={"Accept-Encoding": "gzip"})
    assert r.status_code == 200 and r.headers["Content-Encoding"] == "gzip"
    assert gzip.decompress(r.get_data()) == plain.get_data()
    assert len(r.get_data()) < len(plain.get_data()) / 3
    again = client.get(url, headers={"Accept-Encoding": "gzip", "If-None-Match": r.headers["ETag"]})
    assert again.status_code == 304


def scripts(client, path: str) -> list[str]:
    html = client.get(path, headers={"Accept-Encoding": ""}).get_data(as_text=True)
    return SRC.findall(html)


@pytest.mark.parametrize("path", PAGES)
def test_pages_load_the_local_partial_bundle_and_no_cdn(client, path):
    srcs = scripts(client, path)
    assert [s for s in srcs if s.startswith(f"/assets/plotly/{BUNDLES[0].name}")]
    assert not [s for s in srcs if "://" in s or s.startswith("//")], srcs
    assert not [s for s in srcs if "plotly.min.js" in s], srcs


def test_the_bundle_is_brotli_encoded_for_browsers_and_revalidates(client):
    src = next(s for s in scripts(client, "/map") if "/assets/plotly/" in s)
    browser = {"Accept-Encoding": "gzip, deflate, br, zstd"}
    r = client.get(src, headers=browser)
    assert r.status_code == 200 and r.headers["Content-Encoding"] == "br"
    body = brotli.decompress(r.get_data())
    assert body == BUNDLES[0].read_bytes()
    again = client.get(src, headers={**browser, "If-None-Match": r.headers["ETag"]})
    assert again.status_code == 304
    zipped = client.get(src, headers={"Accept-Encoding": "gzip"})
    assert zipped.headers["Content-Encoding"] == "gzip"
    assert gzip.decompress(zipped.get_data()) == BUNDLES[0].read_bytes()


def test_compress_algorithms_setting():
    assert algorithms() == ["br", "gzip"]
    assert algorithms("") == []
    assert algorithms(" GZIP ") == ["gzip"]
    with pytest.raises(ValueError, match="unknown coding lzma"):
        algorithms("gzip,lzma")
