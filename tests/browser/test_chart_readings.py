"""Every reading in Explore's table is a marker on its chart, in kk, ru and en (issue 22):
estimates and inferred years as hollow circles, the curators' derived values as hollow
diamonds, each kind named in the legend; a one-year series is a point; no label covers a
marker or a target star; the intro names targets and the pace line only when drawn; the
summary says the last turn of the North Aral Sea's volume.

Counted as a reader sees them: the markers drawn on the page (with a size) against the rows
of the data table under the chart, and the legend's text."""

from __future__ import annotations

import pytest

ARAL = "433200000"

# The markers of the readings traces that have a size on the page, and every text on the
# plot with the boxes of every marker, as the browser laid them out.
DRAWN = r"""
() => {
  const g = document.querySelector('#explore-graph .js-plotly-plot');
  const box = el => { const r = el.getBoundingClientRect();
                      return {x0: r.left, x1: r.right, y0: r.top, y1: r.bottom}; };
  let readings = 0, symbols = [];
  const markers = [];
  g.querySelectorAll('.scatterlayer .trace').forEach(tr => {
    const trace = tr.__data__ && tr.__data__[0] && tr.__data__[0].trace;
    const role = trace && trace.meta && trace.meta.role;
    tr.querySelectorAll('path.point').forEach(pt => {
      const b = box(pt);
      const style = getComputedStyle(pt);
      const paint = (colour, opacity) => colour && colour !== 'none' && Number(opacity) > 0
        && !/^rgb\(255, 255, 255\)$|^white$/.test(colour);
      const seen = paint(style.fill, style.fillOpacity)
        || (paint(style.stroke, style.strokeOpacity) && parseFloat(style.strokeWidth) > 0);
      if (b.x1 - b.x0 < 2 || !seen) return;  // no size, or white on the white plot
      markers.push(b);
      if (role === 'readings') readings += 1;
    });
  });
  const texts = [...g.querySelectorAll('.textpoint, .annotation-text-g')].map(box);
  const lines = t => [...t.querySelectorAll('tspan.line')].map(l => l.textContent);
  // an entry on several lines reads as one text, as a reader reads it
  const legend = [...g.querySelectorAll('.legendtext')]
    .map(t => lines(t).length ? lines(t).join(' ') : t.textContent);
  return {readings, markers, texts, legend};
}
"""

LEGEND = {
    "approx": {
        "kk": "Бағалау не шамамен алынған жыл",
        "ru": "Оценка или примерный год",
        "en": "Estimate or approximate year",
    },
    "derived": {
        "kk": "Құрастырушылар есебі",
        "ru": "Расчёт составителей",
        "en": "Derived by the curators",
    },
}
INTRO = {
    "pace": {
        "kk": "Көрсеткіштің жылдар бойынша мәндері, бағдарлама мақсаттары (жұлдызша) және "
        "мақсатқа жету үшін қажетті қарқын (үзік сызық).",
        "ru": "Значения показателя по годам, цели программ (звёздочка) и темп, необходимый "
        "для их достижения (пунктир).",
        "en": "The indicator's values by year, program targets (stars) and the pace needed "
        "to reach them (dashed line).",
    },
    "targets": {
        "kk": "Көрсеткіштің жылдар бойынша мәндері және бағдарлама мақсаттары (жұлдызша).",
        "ru": "Значения показателя по годам и цели программ (звёздочка).",
        "en": "The indicator's values by year and program targets (stars).",
    },
    "plain": {
        "kk": "Көрсеткіштің жылдар бойынша мәндері. Деректер",
        "ru": "Значения показателя по годам. Годы",
        "en": "The indicator's values by year. Years",
    },
}


def overlaps(a: dict, b: dict) -> bool:
    return a["x0"] < b["x1"] and b["x0"] < a["x1"] and a["y0"] < b["y1"] and b["y0"] < a["y1"]


def drawn(page, path: str) -> tuple[object, dict]:
    p = page.goto(path)
    p.wait_for_selector("#explore-graph .js-plotly-plot .scatterlayer", timeout=20000)
    p.wait_for_selector("#explore-data tbody tr", timeout=20000)
    return p, p.evaluate(DRAWN)


@pytest.mark.parametrize("lang", ["kk", "ru", "en"])
@pytest.mark.parametrize(
    ("code", "kind", "intro"),
    [
        # 2008 (akim's report), 2018 = 400 (estimate, year inferred), 2019; target 2022, past
        ("salt_extraction", "approx", "targets"),
        # 2010, 2015 (estimate), 2022-2025 and the 2022 annual mean; targets to 2030
        ("nas_water_volume", "approx", "pace"),
        # one derived value, 2.90 % in 2024; the 10 % benchmark of 2024 (no pace: its year)
        ("protected_area_share", "derived", "targets"),
    ],
)
def test_every_reading_of_the_table_is_a_marker(page, lang, code, kind, intro):
    p, seen = drawn(page, f"/explore?indicator={code}&area={ARAL}&lang={lang}")
    rows = p.locator("#explore-data tbody tr").count()
    assert rows >= 1
    assert seen["readings"] == rows, (code, lang, seen["readings"], rows)
    assert LEGEND[kind][lang] in seen["legend"]
    for text in seen["texts"]:  # no label covers a marker or a star
        assert not any(overlaps(text, m) for m in seen["markers"]), (code, lang, text)
    assert p.locator("#explore-intro").inner_text().startswith(INTRO[intro][lang])
    page.shot(f"chart-readings-{code}-{lang}")
    assert page.errors == []


@pytest.mark.parametrize("lang", ["kk", "ru", "en"])
def test_intro_without_targets_names_no_stars(page, lang):
    p, seen = drawn(page, f"/explore?indicator=industrial_output&area={ARAL}&lang={lang}")
    intro = p.locator("#explore-intro").inner_text()
    assert intro.startswith(INTRO["plain"][lang])
    assert seen["readings"] == p.locator("#explore-data tbody tr").count()


@pytest.mark.parametrize(
    ("lang", "turn"),
    [
        ("kk", "10,7% төмендеу, бірақ 2022–2025 жылдары өсім: 18,5 → 24,1"),
        ("ru", "снижение на 10,7\u00a0%, но в 2022–2025 гг. рост: 18,5 → 24,1"),
        ("en", "down 10.7%, but rose in 2022–2025: 18.5 → 24.1"),
    ],
)
def test_summary_says_the_seas_last_turn(page, lang, turn):
    p, _ = drawn(page, f"/explore?indicator=nas_water_volume&area={ARAL}&lang={lang}")
    assert turn in p.locator("#explore-summary").inner_text()


@pytest.mark.parametrize(
    ("lang", "amount", "inflation"),
    [
        ("kk", "33,7 млрд теңге", "ағымдағы бағамен, яғни инфляцияны қоса алғанда"),
        ("ru", "33,7 млрд тенге", "в текущих ценах, то есть вместе с инфляцией"),
        ("en", "33.7 billion tenge", "in current prices, so including inflation"),
    ],
)
def test_cards_say_large_money_compactly_with_inflation(page, lang, amount, inflation):
    # Aral's industrial output, 2023: 33 679 million tenge (the district workbook)
    p = page.goto(f"/?area={ARAL}&lang={lang}")
    card = p.locator("#card-industrial_output")
    card.wait_for(timeout=20000)
    text = " ".join(card.inner_text().split())
    assert amount in text and inflation in text
    assert "33 679" not in text.replace("\u00a0", " ")
    # the sea's 2015 estimate is an open ring on its card's sparkline, as on the chart
    spark = p.locator("#card-nas_water_volume img.sparkline").get_attribute("src")
    assert "circle" in spark
    assert page.errors == []


@pytest.mark.parametrize("lang", ["kk", "ru", "en"])
def test_on_a_phone_the_legend_stays_above_the_plot(page, lang):
    # the sea's chart has nine legend entries: on a phone each takes a line or two
    page.page.set_viewport_size({"width": 390, "height": 844})
    p, _ = drawn(page, f"/explore?indicator=nas_water_volume&area={ARAL}&lang={lang}")
    legend = p.locator("#explore-graph .legend").bounding_box()
    plot = p.locator("#explore-graph .nsewdrag").first.bounding_box()
    assert legend["y"] + legend["height"] <= plot["y"] + 1, (legend, plot)
    # every entry shown whole above the plot: none scrolled away or cut at the edge
    entries = p.locator("#explore-graph .legendtext")
    for i in range(entries.count()):
        box = entries.nth(i).bounding_box()
        assert box["y"] + box["height"] <= plot["y"] + 1, entries.nth(i).text_content()
        assert box["x"] + box["width"] <= 390, entries.nth(i).text_content()
