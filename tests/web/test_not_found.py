"""Unknown pages answer HTTP 404; the dashboard's pages keep answering 200 (issue 16)."""

from __future__ import annotations

import dash
import pytest


@pytest.mark.parametrize("path", ["/no-such-page", "/explore/more", "/map.php", "/Decks"])
def test_an_unknown_page_is_404_with_the_shell(client, path):
    resp = client.get(path)
    assert resp.status_code == 404
    html = resp.get_data(as_text=True)
    assert 'id="_dash-config"' in html  # the shell still loads and says "not found"


def test_every_registered_page_is_200(client):
    paths = sorted(page["path"] for page in dash.page_registry.values())
    assert {"/", "/explore", "/map", "/programs", "/about", "/decks"} <= set(paths)
    for path in paths:
        resp = client.get(path + "?lang=ru")
        assert resp.status_code == 200, path
        assert client.get(path.rstrip("/") + "/").status_code == 200, path


def test_routes_outside_the_page_router_are_unchanged(client):
    assert client.get("/api/v1/indicators").status_code == 200
    assert client.get("/api/v1/nope").status_code == 404
    assert client.get("/_dash-layout").status_code == 200
