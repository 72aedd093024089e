"""The Bureau's topic tables by territory (``bns-table``): blocks found from the sheets' structure."""

from __future__ import annotations

import pandas as pd
import pytest
from sqlalchemy import create_engine, text

from etl.adapters import bns_table, detect
from etl.areas import default_resolver
from etl.curate_bns import TOPIC_FILES
from tests.conftest import run_etl

FILES = {
    "Almaty-city_Agriculture.xls",
    "Almaty-city_Production.xls",
    "Almaty-city_Retail.xlsx",
    "Atyrau_Agriculture.xls",
    "Atyrau_Production.xls",
    "Atyrau_Retail.xls",
    "Karagandy_Agriculture.xls",
}


@pytest.fixture(scope="module")
def files(shared):
    found = sorted(p for p in (shared / TOPIC_FILES).iterdir() if p.suffix in (".xls", ".xlsx"))
    assert {p.name for p in found} == FILES
    return found


@pytest.fixture(scope="module")
def batches(files):
    resolver = default_resolver()
    return {f.name: bns_table.read(f, resolver=resolver, options={}) for f in files}


def at(batches, file, location):
    """The one observation read from a cell, given as "sheet «…», row R, column C"."""
    obs = batches[file].observations
    hit = obs[obs["location"] == location]
    assert len(hit) == 1, (file, location, len(hit))
    return hit.iloc[0]


def test_every_topic_table_is_detected_and_reads_without_errors(files, batches):
    for f in files:
        assert detect(f) is bns_table, f.name
        batch = batches[f.name]
        assert batch.errors == [], f"{f.name}: {batch.errors[:3]}"
        assert len(batch.sources) == 1 and batch.sources[0]["address"].startswith(
            "https://stat.gov.kz/"
        )
        assert batch.sheet_reports and all(r["file"] == f.name for r in batch.sheet_reports)
        assert len(batch.observations) > 100, f.name
        assert not batch.observations.duplicated(["indicator", "area", "year"]).any()
        assert batch.observations["location"].str.startswith("sheet «").all()
    sources = {b.sources[0]["code"] for b in batches.values()}
    assert len(sources) == len(files)  # each file is its own source


# Figures read by hand from the files (xlrd / openpyxl, the cell named in the last column).
@pytest.mark.parametrize(
    ("file", "where", "indicator", "area", "year", "expected"),
    [
        # the oblast's total row «Атырау» is the oblast; «Атырау қ.ә.» the city
        ("Atyrau_Agriculture.xls", "«валовый выпуск», row 5, column I", "agri_output_gross",
         "230000000", 2001, 5176.728),
        ("Karagandy_Agriculture.xls", "«валовый выпуск», row 5, column B",
         "agri_output_agriculture", "350000000", 1998, 13047.2),
        ("Atyrau_Agriculture.xls", "«валовый выпуск», row 17, column R", "agri_output_crop",
         "231000000", 2010, 4735.4),
        # a product block, unit after the title's comma («Хлеб свежий, тонн»)
        ("Atyrau_Production.xls", "«обрабатыв», row 198, column AI", "bread_fresh_production",
         "231000000", 2023, 12800.0),
        ("Atyrau_Production.xls", "«электроэнергия», row 6, column AI", "electricity_production",
         "231000000", 2023, 5256.8),
        ("Atyrau_Production.xls", "«горнодоб», row 13, column AI", "oil_condensate_production",
         "235200000", 2023, 479.5),
        # sheet names with a leading space (« всего»)
        ("Atyrau_Retail.xls", "« всего», row 11, column Y", "retail_trade", "234800000", 2023,
         1831.4),
        ("Atyrau_Retail.xls", "« индексы», row 5, column B", "retail_trade_index", "230000000",
         2000, 139.6),
        ("Almaty-city_Production.xls", "«Лист1», row 6, column W", "industrial_output",
         "751110000", 2023, 214325.0),
        ("Almaty-city_Agriculture.xls", "«валовый выпуск», row 12, column J",
         "agri_output_agriculture", "751810000", 2024, 815.8),
        # the regional summary: a territory block, a Kazakh spelling, a row of the city's own
        ("Almaty-city_Retail.xlsx", "«демография», row 4, column AH", "population", "750000000",
         2022, 2161.9),
        ("Almaty-city_Retail.xlsx", "«демография», row 13, column AH", "population", "751910000",
         2022, 252.1),
        ("Almaty-city_Retail.xlsx", "«труд и занятость», row 22, column AH", "labour_force",
         "750000000", 2022, 1051.0),
        ("Almaty-city_Retail.xlsx", "«промышленность», row 3, column AI", "industrial_output",
         "750000000", 2023, 2096034.0),
        # a figure stored as text with a no-break space and a decimal comma ('6\xa0073,1')
        ("Karagandy_Agriculture.xls", "«валовый выпуск», row 15, column K",
         "agri_output_agriculture", "353200000", 2007, 6073.1),
    ],
)  # fmt: skip
def test_figures_read_by_hand(batches, file, where, indicator, area, year, expected):
    row = at(batches, file, f"sheet {where}")
    assert (row["indicator"], row["area"], row["year"]) == (indicator, area, year)
    assert row["value"] == expected


def test_a_sheet_with_several_blocks(batches):
    # Atyrau's agriculture sheet: gross output, crop and livestock blocks under one year row.
    obs = batches["Atyrau_Agriculture.xls"].observations
    city_2010 = obs[(obs.area == "231000000") & (obs.year == 2010)].set_index("indicator")
    assert city_2010["value"].to_dict() == {
        "agri_output_gross": 5817.8,
        "agri_output_crop": 4735.4,
        "agri_output_livestock": 1063.2,
    }
    assert sorted(city_2010["location"]) == [
        "sheet «валовый выпуск», row 17, column R",
        "sheet «валовый выпуск», row 29, column R",
        "sheet «валовый выпуск», row 6, column R",
    ]


def test_units_moved_to_ulytau_keep_their_current_codes(batches):
    row = at(batches, "Karagandy_Agriculture.xls", "sheet «валовый выпуск», row 8, column B")
    assert (row["area"], row["year"], row["value"]) == ("621000000", 1998, 796.6)  # Zhezkazgan
    assert "since 2022" in row["note"]


def test_unmapped_blocks_and_stray_figures_are_reported(batches):
    warnings = batches["Atyrau_Production.xls"].warnings
    assert any("«Сыр и творог» (тонн): not in bns_topic_blocks.csv: 9 rows" in w for w in warnings)
    # a figure on the title row of «Окна …, тыс.кв. м» is not a territory's
    assert any("row 340" in w and "X340" in w and "not read" in w for w in warnings)
    reports = {r["sheet"]: r for r in batches["Almaty-city_Retail.xlsx"].sheet_reports}
    assert reports["титул"]["status"] == "skipped"
    assert reports["демография"]["observations"] > 0 and reports["демография"]["unmapped"] > 0


def _table(path, names: list[str]) -> None:
    import openpyxl

    book = openpyxl.Workbook()
    ws = book.active
    ws.title = "валовый выпуск"
    ws.append(["Валовый выпуск продукции (услуг) сельского хозяйства"])
    ws.append([None, None, None, "в действующих ценах, млн. тенге"])
    ws.append([None, 2021, 2022, 2023])
    for block in ("Валовый выпуск", "Валовая продукция растениеводства"):
        ws.append([block])
        for i, name in enumerate(names):
            ws.append([name, 100.0 + i, 110.0 + i, 120.0 + i])
    book.save(path)


def test_unknown_territory_stops_the_load_naming_file_sheet_row_and_nearest_names(tmp_path):
    path = tmp_path / "topic.xlsx"
    _table(path, ["Карагандинская область", "Абайский район", "Осакаровскый район"])
    batch = bns_table.read(path, resolver=default_resolver(), options={})
    assert len(batch.errors) == 2  # the misspelt row of each block
    message = str(batch.errors[0])
    assert "topic.xlsx" in message and "«валовый выпуск»" in message and "row 7" in message
    assert "nearest known names" in message and "осакаровский" in message


def test_a_table_written_to_these_rules_loads_with_no_code_change(tmp_path):
    path = tmp_path / "topic.xlsx"
    _table(path, ["Карагандинская область", "Абайский район", "Осакаровский район"])
    batch = bns_table.read(path, resolver=default_resolver(), options={})
    assert batch.errors == []
    obs = batch.observations.set_index(["indicator", "area", "year"])["value"]
    assert obs["agri_output_agriculture", "350000000", 2021] == 100.0
    assert obs["agri_output_crop", "353200000", 2023] == 121.0
    assert len(obs) == 18


def test_load_and_reload_changes_nothing(files, tmp_path):
    url = f"sqlite:///{tmp_path / 't.db'}"
    assert run_etl("build", "--no-boundaries", "--db", url)[0] == 0
    engine = create_engine(url)

    def snapshot():
        with engine.connect() as conn:
            return pd.read_sql(
                text(
                    "SELECT indicator, area, year, series, value, source FROM observations "
                    "WHERE source LIKE 'bns-topic-%' ORDER BY 1, 2, 3, 4, 6"
                ),
                conn,
            )

    built = snapshot()
    assert len(built) > 8000  # the default build holds the curated topic tables
    assert built["source"].nunique() == len(files)
    picked = [str(f) for f in files if f.name.startswith(("Atyrau_Agri", "Almaty-city_Prod"))]
    code, _, err = run_etl("load", *picked, "--db", url)
    assert code == 0, err
    assert run_etl("load", *picked, "--db", url)[0] == 0
    pd.testing.assert_frame_equal(snapshot(), built)
    # the workbooks' readings of the same indicators are still there beside them
    with engine.connect() as conn:
        n = conn.execute(
            text(
                "SELECT COUNT(*) FROM observations WHERE indicator = 'agri_output_agriculture' "
                "AND source = 'bns-regional-workbook-karagandy'"
            )
        ).scalar()
    assert n > 0
