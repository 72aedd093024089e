"""The web tier: the real app on a database built from data/ (and ../shared boundaries)."""

from __future__ import annotations

import json
from pathlib import Path

from benchmarks.web_perf import page_payload


def render(client, path: str, search: str = "", accept_language: str | None = None) -> str:
    """The page content that Dash Pages' router returns for a URL, as JSON text.

    This is what the browser receives after loading ``path + search``.
    """
    payload = page_payload(path, search)
    headers = {"Accept-Language": accept_language} if accept_language else {}
    resp = client.post(
        "/_dash-update-component",
        data=json.dumps(payload),
        content_type="application/json",
        headers=headers,
    )
    assert resp.status_code == 200, resp.get_data(as_text=True)[:2000]
    return resp.get_data(as_text=True)


def callback(
    client,
    output: str,
    outputs: list[dict],
    inputs: list[dict],
    state: list[dict] | None = None,
    accept_language: str | None = None,
) -> dict:
    """Call one callback through the Flask test client; returns the response JSON."""
    payload = {
        "output": output,
        "outputs": outputs if len(outputs) > 1 else outputs[0],
        "inputs": inputs,
        "state": state or [],
        "changedPropIds": [f"{i['id']}.{i['property']}" for i in inputs],
    }
    headers = {"Accept-Language": accept_language} if accept_language else {}
    resp = client.post(
        "/_dash-update-component",
        data=json.dumps(payload),
        content_type="application/json",
        headers=headers,
    )
    assert resp.status_code in (200, 204), resp.get_data(as_text=True)[:2000]
    return resp.get_json() if resp.status_code == 200 else {}


def texts(rendered: str) -> str:
    """Decoded JSON text (so Cyrillic can be searched for)."""
    return json.dumps(json.loads(rendered), ensure_ascii=False)


__all__ = ["Path", "callback", "render", "texts"]
