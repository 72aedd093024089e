"""Every link on every main page is a web address a browser can open (issue 22, "Links and
downloads that work"): each ``href`` of each page, in kk, ru and en, parses as an http(s) or
mailto URL with a host, or as a path of this site, with no space or parenthesis around it.
The Bureau's sources once held two addresses in one string, a link that led nowhere."""

from __future__ import annotations

from urllib.parse import urlsplit

import pytest

ARAL = "433200000"
PAGES = (
    "/",
    f"/?area={ARAL}",
    f"/explore?indicator=industrial_output&area={ARAL}",
    "/map",
    "/programs",
    "/changes",
    "/decks",
    "/about",
    "/login",
    "/present?deck=aral-default",
    "/api/v1/docs",
)
HREFS = "Array.from(document.querySelectorAll('[href]'), e => e.getAttribute('href'))"


def problem(href: str) -> str | None:
    """Why ``href`` is not a working link, or None."""
    if href != href.strip() or any(c.isspace() for c in href):
        return "space in it"
    if href.startswith("(") or href.endswith((")", ").")):
        return "parenthesis around it"
    parts = urlsplit(href)
    if not parts.scheme:
        return None if href.startswith(("/", "?", "#")) else "neither a URL nor a site path"
    if parts.scheme == "mailto":
        return None if "@" in parts.path else "mailto without an address"
    if parts.scheme not in ("http", "https"):
        return f"scheme {parts.scheme}"
    return None if parts.netloc and "." in parts.netloc or ":" in parts.netloc else "no host"


def test_the_check_tells_a_broken_link():
    assert problem("https://stat.gov.kz/api/iblock/element/region/291836/file/ru/") is None
    assert problem("/explore?indicator=population&lang=kk") is None
    assert problem("mailto:data@example.kz") is None
    assert problem("https://stat.gov.kz/ (copy read: https://github.com/o/r/a.xls)")
    assert problem("(https://github.com/o/r)")
    assert problem("stat.gov.kz") and problem("https:///x") and problem("javascript:void(0)")


@pytest.mark.parametrize("lang", ["kk", "ru", "en"])
def test_every_href_of_every_page_is_a_working_address(page, lang):
    seen: dict[str, str] = {}
    for path in PAGES:
        url = f"{path}{'&' if '?' in path else '?'}lang={lang}"
        p = page.page
        p.goto(page.base + url)
        p.wait_for_load_state("networkidle", timeout=30000)
        hrefs = p.evaluate(HREFS)
        assert hrefs, f"{url}: no link at all"
        for href in hrefs:
            seen.setdefault(href, url)
    bad = [f"{url}: {href!r} ({problem(href)})" for href, url in seen.items() if problem(href)]
    assert not bad, "\n".join(bad)
    absolute = {h for h in seen if h.startswith("http")}
    # the sources' own addresses are among them, apart: the official one and the copy read
    assert "https://stat.gov.kz/api/iblock/element/region/291836/file/ru/" in absolute
    assert any(
        h.startswith("https://github.com/askhat-omar/FDI_crowding_effects/blob/") for h in absolute
    )
    assert page.errors == []
