"""The benchmark's first-load figures in headless Chromium (``python -m bench``): every page's
transferred bytes and requests are counted and printed (no timing or size checks)."""

from __future__ import annotations

from bench import browser as first_load
from bench.report import PAGES, browser_figures, table


def test_first_loads_are_counted_and_printed(browser, live_server):
    loads = first_load.first_loads(live_server, browser)
    assert sorted(loads) == sorted(PAGES)
    for path, page in loads.items():
        assert page["requests"] >= 3, (path, page)  # the HTML, scripts, the router callback
        assert page["bytes"] > 10_000, (path, page)
        assert page["elsewhere"] == 0, (path, page)  # nothing but the local server
    printed = table("first loads", browser_figures({"pages": loads}))
    for path in PAGES:
        assert f"first load of {path}: bytes transferred" in printed
        assert f"first load of {path}: requests" in printed
