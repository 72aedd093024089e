"""Every rendered page is a tree React can draw: no list nested directly in a list.

Dash 4 does not flatten ``[a, [b, c]]``; the browser then fails with React error #31
and the page re-renders in a loop. Checked on the router's JSON for every page.
"""

from __future__ import annotations

import json

import pytest

from tests.web.conftest import render

PAGES = [
    "/",
    "/explore",
    "/explore?indicator=protected_area_share&area=000000000",
    "/map",
    "/map?level=oblast",
    "/programs",
    "/about",
]


def nested_lists(node, path="root"):
    if isinstance(node, dict):
        for k, v in node.get("props", node).items() if "props" in node else node.items():
            yield from nested_lists(v, f"{path}.{k}")
    elif isinstance(node, list):
        for i, item in enumerate(node):
            if isinstance(item, list) and path.endswith("children"):
                yield f"{path}[{i}]"
            yield from nested_lists(item, f"{path}[{i}]")


@pytest.mark.parametrize("lang", ["kk", "ru", "en"])
@pytest.mark.parametrize("url", PAGES)
def test_no_nested_children_lists(client, url, lang):
    path, _, query = url.partition("?")
    search = "?" + "&".join(filter(None, [query, f"lang={lang}"]))
    tree = json.loads(render(client, path, search))
    assert list(nested_lists(tree)) == []
