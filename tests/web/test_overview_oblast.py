"""Pavlodar oblast's overview (/?area=550000000) shows the oblast's population, industrial
output, investment, agricultural output and unemployment rate (issue 22, "Comparisons that are
filled"). Pavlodar_All.xlsx has no sheet for the oblast: the first four are the sums of the
2024 column of its 13 sheets (written out below, read by hand with openpyxl), shown as derived;
the investment card shows the oblast's bulletin; the unemployment rate is the Bureau's
labour-market table (Pavlodar.xlsx, sheet «год», L101).
No table the dashboard reads gives Pavlodar oblast's average wage: it has no card.
"""

from __future__ import annotations

import json

import pytest

from tests.web.conftest import render

PAVLODAR = "550000000"
# Population 2024, thousand persons: Павлодар г.а. 370.4, Аксу г.а. 72.4, Экибастуз г.а. 144.4,
# and the ten districts 12.3 + 22.8 + 14.6 + 16.2 + 19.3 + 11.7 + 10 + 26 + 12.3 + 18.5 = 750.9.
# Industrial output 2024, million tenge: 1330851 + 721740 + 1271899 + 634 + 48288 + 1974 + 3087
# + 2828 + 277 + 1893 + 4680 + 1200 + 6810 = 3 396 161. Investment 2024: 407233 + 164627 + 346942
# + 17657 + 23139 + 16733 + 22819 + 20642 + 19704 + 20603 + 22556 + 13168 + 18087 = 1 113 910.
# Agriculture 2024: 22738.2 + 41657 + 27770.9 + 22219.3 + 23229.1 + 32158.7 + 43855.5 + 41269.7
# + 31782.8 + 22137.4 + 70055.8 + 33277.3 + 39755.7 = 451 907.4.
# Money of a billion and more is said compactly on the cards (3 396 161 million tenge = 3.4
# trillion, 451 907.4 million = 451.9 billion): "3,4 T" and "451,9 B" below.
COMPACT = {
    "T": {"kk": "{} трлн", "ru": "{} трлн", "en": "{} trillion"},
    "B": {"kk": "{} млрд", "ru": "{} млрд", "en": "{} billion"},
}
CARDS = {
    "population": ("750,9", True),
    "industrial_output": ("3,4 T", True),
    # the bulletin's own total (Pavlodar/2024_Investments.xlsx, «2»!C5: 1113909042 thousand
    # tenge), preferred to the sum of the sheets (1 113 910, listed as another source's value)
    "investment_fixed_capital": ("1,1 T", True),
    "agri_output_agriculture": ("451,9 B", True),
    "unemployment_rate": ("4,7", False),
}
NAMES = {
    "kk": ("Халық саны (жыл соңында)", "Жұмыссыздық деңгейі"),
    "ru": ("Численность населения на конец года", "Уровень безработицы"),
    "en": ("Population, end of year", "Unemployment rate (labour force survey)"),
}
DERIVED = {"kk": "кураторлардың есебі", "ru": "расчёт кураторов", "en": "curators"}


def _find(node, wanted: str):
    if isinstance(node, dict):
        props = node.get("props")
        if isinstance(props, dict) and props.get("id") == wanted:
            return node
        return next((f for v in node.values() if (f := _find(v, wanted)) is not None), None)
    if isinstance(node, list):
        return next((f for v in node if (f := _find(v, wanted)) is not None), None)
    return None


def _strings(node, out: list[str]) -> list[str]:
    if isinstance(node, dict):
        props = node.get("props")
        if isinstance(props, dict) and isinstance(props.get("children"), str):
            out.append(" ".join(props["children"].replace("\xa0", " ").split()))
        for v in node.values():
            _strings(v, out)
    elif isinstance(node, list):
        for v in node:
            _strings(v, out)
    return out


@pytest.mark.parametrize("lang", ["kk", "ru", "en"])
def test_pavlodar_oblast_shows_its_totals_from_the_sources(client, lang):
    page = json.loads(render(client, "/", f"?area={PAVLODAR}&lang={lang}"))
    for code, (value, derived) in CARDS.items():
        card = _find(page, f"card-{code}")
        assert card is not None, f"no card for {code}"
        said = _strings(card, [])
        number, _, scale = value.partition(" ")
        if lang == "en":  # 750.9, 3.4 trillion
            number = number.replace(",", ".")
        value = COMPACT[scale][lang].format(number) if scale else number
        assert value in said, (code, said)
        year = next(s for s in said if "2024" in s)
        assert (DERIVED[lang] in year) is derived, (code, said)
    population, unemployment = NAMES[lang]
    assert population in _strings(_find(page, "card-population"), [])
    assert unemployment in _strings(_find(page, "card-unemployment_rate"), [])
    assert _find(page, "card-wage_nominal_monthly") is None
