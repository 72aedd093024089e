"""The map as its reader sees it (issue 22): every district of the country opens on 2023,
which 146 districts have (2024 has 63), and says so; choosing quantile colours, the share
bar's PNG download answers an image; the colour bar spans the year shown."""

from __future__ import annotations

import re

import pytest

SEARCH = "/map?indicator=population&level=district&parent=all&lang={lang}"
SAYS = {
    "en": r"146 of \d+ areas have data for 2023",
    "ru": r"Территорий с данными за 2023 год: 146 из \d+",
    "kk": r"2023 жылғы деректері бар аумақтар: \d+ аумақтың 146",
}
QUANTILE = {"en": "Quantiles", "ru": "Квантили", "kk": "Квантильдер"}


def colour_range(p) -> list[float]:  # noqa: ANN001
    return p.evaluate(
        """() => {
            const g = document.querySelector('#map-graph .js-plotly-plot');
            const t = g.data.find(d => d.showscale !== false);
            return [t.zmin, t.zmax];
        }"""
    )


@pytest.mark.parametrize("lang", ["kk", "ru", "en"])
def test_the_map_opens_on_the_year_most_districts_have(page, lang):
    p = page.goto(SEARCH.format(lang=lang))
    caption = p.locator("#map-caption")
    caption.wait_for()
    p.wait_for_function("document.querySelector('#map-caption').innerText.includes('146')")
    assert re.search(SAYS[lang], caption.inner_text())
    thumb = p.locator("#map-year [role=slider]")
    assert thumb.get_attribute("aria-valuenow") == "2023"
    p.wait_for_selector("#map-graph .js-plotly-plot")
    first = colour_range(p)
    # another year: the colours span that year's values
    thumb.focus()
    thumb.press("End")  # the last year on the slider, 2024
    p.wait_for_function("document.querySelector('#map-caption').innerText.includes('63')")
    p.wait_for_function(
        f"(() => {{ const g = document.querySelector('#map-graph .js-plotly-plot');"
        f" const t = g.data.find(d => d.showscale !== false); return t.zmin !== {first[0]}"
        f" || t.zmax !== {first[1]}; }})()"
    )
    assert page.errors == []


@pytest.mark.parametrize("lang", ["kk", "ru"])
def test_the_png_download_works_with_quantile_colours(page, lang):
    p = page.goto(SEARCH.format(lang=lang))
    p.wait_for_selector("#map-graph .js-plotly-plot")
    p.get_by_label(QUANTILE[lang]).check()
    p.wait_for_function("window.location.search.includes('scale=quantile')")
    link = p.locator(".share-file[href*='/download/map.png']")
    p.wait_for_function(
        "document.querySelector(\".share-file[href*='/download/map.png']\")"
        ".getAttribute('href').includes('scale=quantile')"
    )
    href = link.get_attribute("href")
    resp = p.request.get(page.base + href)
    assert resp.status == 200, resp.text()[:300]
    assert resp.headers["content-type"] == "image/png"
    assert resp.body()[:8] == b"\x89PNG\r\n\x1a\n"
