"""The coverage page (/coverage): the counts a reader sees, checked against counts made by
hand from the curated files (data/curated, data/areas.csv, data/indicators)."""

from __future__ import annotations

import gzip
import json
from pathlib import Path

import pandas as pd
import pytest

from tests.web.conftest import render
from tests.web.test_explore import find, text

DATA = Path(__file__).resolve().parents[2] / "data"
ARAL = "433200000"


def curated_observations() -> pd.DataFrame:
    """indicator, area and year of every curated reading (plain and gzipped files)."""
    frames = []
    for path in sorted((DATA / "curated").glob("*/observations.csv*")):
        opener = gzip.open if path.suffix == ".gz" else open
        with opener(path, "rt", encoding="utf-8") as f:
            frames.append(pd.read_csv(f, dtype=str, usecols=["indicator", "area", "year"]))
    return pd.concat(frames, ignore_index=True)


def catalogue() -> pd.DataFrame:
    files = sorted((DATA / "indicators").glob("*.csv"))
    return pd.concat([pd.read_csv(f, dtype=str) for f in files]).set_index("code")


def page(client, search: str):  # noqa: ANN201
    out = json.loads(render(client, "/coverage", search))
    return out["response"]["_pages_content"]["children"]


def rows(table) -> dict[str, list[str]]:  # noqa: ANN001
    """{row header's text: the texts of the row's other cells} of a rendered table."""
    out = {}

    def walk(node):  # noqa: ANN001, ANN202
        if isinstance(node, list):
            for n in node:
                walk(n)
        elif isinstance(node, dict):
            if node.get("type") == "Tr":
                cells = node["props"]["children"]
                cells = cells if isinstance(cells, list) else [cells]
                if cells and cells[0]["props"].get("scope") == "row":
                    out[text(cells[0])] = [text(c) for c in cells[1:]]
                    return
            walk(node.get("props", {}).get("children"))

    walk(table)
    return out


@pytest.mark.parametrize("lang", ["kk", "ru"])
def test_industrial_output_lists_as_many_districts_as_the_curated_files_hold(client, lang):
    obs = curated_observations()
    areas = pd.read_csv(DATA / "areas.csv", dtype=str)
    today = areas["valid_to"].isna()  # former units' codes count in the years only
    districts = set(areas.loc[(areas["level"] == "district") & today, "kato"])
    expected = obs[(obs["indicator"] == "industrial_output") & obs["area"].isin(districts)]
    expected = expected["area"].nunique()
    assert expected > 100  # the Bureau's workbooks of every region
    name = catalogue().at["industrial_output", f"name_{lang}"]

    table = rows(find(page(client, f"?lang={lang}"), "cov-indicator-table"))
    assert name in table
    assert table[name][0] == str(expected)  # the districts column
    heading = {"kk": "Аудандар (184 ішінен)", "ru": "Районы (из 184)"}[lang]
    assert heading in text(find(page(client, f"?lang={lang}"), "cov-indicator-table"))


@pytest.mark.parametrize("lang", ["kk", "ru", "en"])
def test_aral_lists_its_indicators(client, lang):
    obs = curated_observations()
    derived = pd.read_csv(DATA / "mappings" / "protected_area_share_derived.csv", dtype=str)
    codes = set(obs.loc[obs["area"] == ARAL, "indicator"])
    codes |= set(derived.loc[derived["area"] == ARAL, "indicator"])
    names = catalogue()[f"name_{lang}"]

    tree = page(client, f"?area={ARAL}&lang={lang}")
    listed = rows(find(tree, "cov-area-table"))
    assert set(listed) == {names[c] for c in codes}
    aral = {"kk": "Арал ауданы", "ru": "Аральский район", "en": "Aral district"}[lang]
    assert f"{aral} — {len(codes)}" in text(tree) or f"{aral}: {len(codes)}" in text(tree)
    # a reading of 2008 alone is marked as thin
    fish = names["fish_fingerlings_released"]
    assert listed[fish][0] == "2008" and listed[fish][-1] != ""


def test_aral_lists_what_kyzylorda_districts_have_and_it_lacks(client):
    obs = curated_observations()
    areas = pd.read_csv(DATA / "areas.csv", dtype=str)
    others = areas[
        (areas["parent"] == "430000000") & (areas["kato"] != ARAL) & areas["valid_to"].isna()
    ]
    theirs = obs[obs["area"].isin(others["kato"])].groupby("indicator")["area"].nunique()
    mine = set(obs.loc[obs["area"] == ARAL, "indicator"])
    lacking = theirs[~theirs.index.isin(mine)]
    names = catalogue()["name_en"]

    listed = rows(find(page(client, f"?area={ARAL}&lang=en"), "cov-lacks-table"))
    assert listed == {
        names[c]: [f"{n} of {len(others)}", listed[names[c]][1]] for c, n in lacking.items()
    }


def test_industrial_output_by_region_counts_the_districts_of_pavlodar(client):
    obs = curated_observations()
    areas = pd.read_csv(DATA / "areas.csv", dtype=str)
    pavlodar = areas[(areas["parent"] == "550000000") & areas["valid_to"].isna()]
    have = obs[(obs["indicator"] == "industrial_output") & obs["area"].isin(pavlodar["kato"])]
    today = len(pavlodar)

    tree = page(client, "?indicator=industrial_output&lang=ru")
    listed = rows(find(tree, "cov-region-table"))
    assert listed["Павлодарская область"][0] == f"{have['area'].nunique()} из {today}"


@pytest.mark.parametrize("search", ["?area=nowhere&lang=ru", "?indicator=nothing&lang=kk"])
def test_unknown_names_get_a_message(client, search):
    out = text(page(client, search))
    assert "nowhere" in out or "nothing" in out
    assert find(page(client, search), "cov-indicator-table") is None


def test_the_links_open_explore_for_the_indicator_and_the_area(client):
    tree = json.dumps(page(client, f"?area={ARAL}&lang=kk"))
    assert f'"/explore?indicator=industrial_output&area={ARAL}&lang=kk"' in tree


def test_regions_are_listed_in_the_kazakh_alphabets_order(client):
    listed = list(rows(find(page(client, "?indicator=schools&lang=kk"), "cov-region-table")))
    # Kazakh alphabet: А Ә Б В Г Ғ Д Е Ж З И Й К Қ Л М Н Ң О Ө П Р С Т У Ұ Ү Ф Х Һ Ц Ч Ш ...
    assert listed[:3] == ["Абай облысы", "Ақмола облысы", "Ақтөбе облысы"]
    assert listed.index("Қарағанды облысы") > listed.index("Жетісу облысы")
    assert listed.index("Ұлытау облысы") < listed.index("Шымкент қаласы")
