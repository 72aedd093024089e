"""Response bytes of the whole-country district map (page and figure callback); prints figures.

DATABASE_URL=sqlite:///data/indicators.db .venv/bin/python benchmarks/map_bytes.py
"""

from __future__ import annotations

import gzip
import json
import logging
import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

log = logging.getLogger("map_bytes")


def main() -> None:
    logging.basicConfig(level=logging.INFO, format="%(message)s")
    os.environ.setdefault("CACHE_TYPE", "SimpleCache")
    import app as app_module

    client = app_module.app.server.test_client()
    for search in (
        "?level=district&parent=430000000&indicator=employed&year=2023&lang=en",
        "?level=district&parent=all&indicator=employed&year=2023&lang=en",
        "?level=oblast&indicator=employed&year=2023&lang=en",
    ):
        payload = {
            "output": ".._pages_content.children..._pages_store.data..",
            "outputs": [
                {"id": "_pages_content", "property": "children"},
                {"id": "_pages_store", "property": "data"},
            ],
            "inputs": [
                {"id": "_pages_location", "property": "pathname", "value": "/map"},
                {"id": "_pages_location", "property": "search", "value": search},
            ],
            "changedPropIds": ["_pages_location.pathname", "_pages_location.search"],
            "state": [],
        }
        page = client.post(
            "/_dash-update-component", data=json.dumps(payload), content_type="application/json"
        )
        data = client.get("/download/map-data.json" + search)
        log.info(
            "%s: page content with the figure %d bytes (gzip %d), map-data.json %d bytes",
            search,
            len(page.data),
            len(gzip.compress(page.data)),
            len(data.data),
        )


if __name__ == "__main__":
    main()
