"""Embedded charts in a real browser, offline: the /embed pages alone and inside an iframe
of another page, and the share bar's embed code, links and "Copy link" on Explore."""

from __future__ import annotations

import re

ARAL, KYZYLORDA = "433200000", "430000000"
EXPLORE = f"/embed/explore?indicator=industrial_output&area={ARAL}&lang=ru"
MAP = f"/embed/map?indicator=population&level=district&parent={KYZYLORDA}&lang=en"


def host_page(body: str) -> str:
    """A page of some other site that embeds our chart."""
    return (
        "<!doctype html><html lang='en'><head><meta charset='utf-8'>"
        "<title>A newsroom article</title></head><body style='font-family:sans-serif'>"
        f"<h1>News about the Aral Sea</h1><p>Before the chart.</p>{body}"
        "<p>After the chart.</p></body></html>"
    )


def test_embed_explore_renders_offline(page):
    p = page.page
    p.set_viewport_size({"width": 800, "height": 500})
    p.goto(page.base + EXPLORE)
    p.wait_for_selector("#chart .main-svg", timeout=20000)
    assert p.locator("#embed-title").inner_text().startswith("Объем промышленного производства")
    assert p.evaluate("document.querySelector('#chart').data.length") >= 1
    box = p.locator("#chart .main-svg").first.bounding_box()
    assert box["width"] > 700 and box["height"] > 250  # fills the window
    page.shot("embed-explore-ru")
    assert page.blocked == [] and page.errors == []


def test_embed_map_renders_offline(page, boundaries):
    p = page.page
    p.set_viewport_size({"width": 800, "height": 600})
    p.goto(page.base + MAP)
    p.wait_for_selector("#chart .main-svg", timeout=20000)
    types = p.evaluate("document.querySelector('#chart').data.map(t => t.type)")
    assert "choropleth" in types
    assert "geokz" in p.locator("footer").inner_text()
    page.shot("embed-map-en")
    assert page.blocked == [] and page.errors == []


def test_embed_renders_inside_an_iframe_of_another_page(page, tmp_path):
    p = page.page
    snippet = (
        f'<iframe src="{page.base}{EXPLORE}" width="800" height="500" '
        'title="Industrial output" style="border:0"></iframe>'
    )
    html_file = tmp_path / "host.html"
    html_file.write_text(host_page(snippet), encoding="utf-8")
    p.set_content(html_file.read_text(encoding="utf-8"))
    frame = p.frame_locator("iframe")
    frame.locator("#chart .main-svg").first.wait_for(timeout=20000)
    box = frame.locator("#chart .main-svg").first.bounding_box()
    assert 700 < box["width"] <= 800 and 250 < box["height"] < 500
    assert "Дашборд показателей Приаралья" in frame.locator("footer").inner_text()
    page.shot("embed-in-iframe")
    assert page.blocked == [] and page.errors == []


def test_share_bar_embed_code_links_and_copy_link_follow_the_page(page):
    p = page.goto(f"/explore?indicator=industrial_output&area={ARAL}&lang=en")
    p.context.grant_permissions(["clipboard-read", "clipboard-write"], origin=page.base)
    p.wait_for_selector("#explore-graph .js-plotly-plot", timeout=20000)
    # the CSV with its datapackage.json first (readable alone), then the plain CSV
    csv = p.locator("#explore-share-download a", has_text="CSV").first
    assert csv.get_attribute("href") == (
        f"/download/data.zip?indicator=industrial_output&area={ARAL}&lang=en"
    )
    plain = p.locator("#explore-share-download a", has_text="CSV").nth(1)
    assert plain.get_attribute("href") == (
        f"/download/data.csv?indicator=industrial_output&area={ARAL}&lang=en"
    )
    assert csv.get_attribute("download") is not None

    # A control changes: the URL, the download links and the embed code follow.
    p.get_by_label("Index (first year = 100)").check()
    p.wait_for_url(re.compile(r"mode=index"), timeout=20000)
    p.wait_for_function(
        "document.querySelector('#explore-share-download a')"
        ".getAttribute('href').includes('mode=index')",
        timeout=20000,
    )
    assert "mode=index" in csv.get_attribute("href")
    p.locator("#explore-share-embed > summary").click()
    code = p.locator("#explore-share-embed-code")
    p.wait_for_function(
        "document.querySelector('#explore-share-embed-code').textContent.includes('mode=index')",
        timeout=20000,
    )
    snippet = code.inner_text()
    assert snippet.startswith(f'<iframe src="{page.base}/embed/explore?')
    cite = p.locator("#explore-share-cite-text").text_content()
    assert f"{page.base}/explore?" in cite and "mode=index" in cite

    # "Copy link", from the keyboard, copies the address as it is now.
    button = p.locator("#explore-share-link button")
    button.focus()
    p.keyboard.press("Enter")
    for _ in range(50):
        copied = p.evaluate("navigator.clipboard.readText()")
        if copied:
            break
        p.wait_for_timeout(200)
    assert copied == p.url and "mode=index" in copied
    p.wait_for_timeout(1700)  # "Copied ✓" shows for a second, then the button is back
    assert p.evaluate("document.activeElement.closest('#explore-share-link') !== null")
    assert p.evaluate("document.activeElement.tagName") == "BUTTON"

    # The menus open from the keyboard.
    p.keyboard.press("Shift+Tab")
    assert p.evaluate("document.activeElement.parentElement.id") == "explore-share-download"
    p.keyboard.press("Enter")
    assert p.evaluate("document.getElementById('explore-share-download').open")
    p.keyboard.press("Tab")
    assert p.evaluate("document.activeElement.getAttribute('href')").startswith(
        "/download/data.zip?"
    )
    page.shot("share-bar-embed-open-en")

    # "Copy embed code" copies the snippet, which works in another page.
    p.locator("#explore-share-embed-copy button").click()
    for _ in range(50):
        copied = p.evaluate("navigator.clipboard.readText()")
        if copied.startswith("<iframe"):
            break
        p.wait_for_timeout(200)
    assert copied == snippet
    p.set_content(host_page(copied))
    p.frame_locator("iframe").locator("#chart .main-svg").first.wait_for(timeout=20000)
    assert page.blocked == [] and page.errors == []
