"""Response bytes of the whole-country district map (page and figure callback); prints figures.

DATABASE_URL=sqlite:///data/indicators.db .venv/bin/python benchmarks/map_bytes.py
"""

from __future__ import annotations

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
        page = client.get("/map" + search)
        layout = client.get("/_dash-layout", headers={"Referer": "http://localhost/map" + search})
        data = client.get("/download/map-data.json" + search)
        fig = json.loads(layout.data) if layout.status_code == 200 else {}
        log.info(
            "%s: page %d bytes, layout %d bytes, map-data.json %d bytes%s",
            search,
            len(page.data),
            len(layout.data),
            len(data.data),
            "" if fig else " (layout not JSON)",
        )


if __name__ == "__main__":
    main()
