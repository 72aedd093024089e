"""Round trips on the real files: load, export, compare with the source; reload; aliases."""

from __future__ import annotations

import io

import pandas as pd
import pytest
import xlrd
from sqlalchemy import create_engine, text

from etl.areas import default_resolver
from tests.conftest import run_etl

REQUIRED = [
    "industrial_output",
    "industrial_production_index",
    "salt_extraction",
    "salt_products_processed",
    "fish_processed",
    "fish_fingerlings_released",
    "protected_area_share",
    "air_emissions_stationary",
    "env_protection_expenditure",
]


pytestmark = pytest.mark.postgres


@pytest.fixture(scope="module")
def areas_db(module_databases, web_db):
    """A copy of the default build (every embedded dataset) that these tests may load into."""
    url = module_databases.copy(web_db, "rt")
    return url, url


def test_default_build_holds_every_district_workbook_figure(areas_db):
    url, _ = areas_db
    with create_engine(url).connect() as conn:
        n = conn.execute(
            text(
                "SELECT count(*) FROM observations WHERE source = 'bns-kyzylorda-district-workbook'"
            )
        ).scalar()
    assert n > 17000


def test_bns_table_round_trip_and_idempotent_reload(shared, areas_db):
    db, url = areas_db
    xls = shared / "sources" / "stat-gov-kz" / "air_emissions_stationary_sources_2005_2022.xls"
    sheet = xlrd.open_workbook(str(xls)).sheet_by_index(0)
    years = [int(y) for y in sheet.row_values(2)[1:]]
    row = next(
        sheet.row_values(r)
        for r in range(sheet.nrows)
        if sheet.cell_value(r, 0).strip() == "Кызылординская"
    )
    expected = {y: float(f"{v:.12g}") for y, v in zip(years, row[1:], strict=True) if v != "-"}

    assert run_etl("load", "--db", url, str(xls))[0] == 0
    code, out, _ = run_etl(
        "export",
        "--db",
        url,
        "--indicator",
        "air_emissions_stationary",
        "--area",
        "430000000",
        "--source",
        "bns-air-emissions-stationary",
    )
    assert code == 0
    got = pd.read_csv(io.StringIO(out))
    assert dict(zip(got.year, got.value, strict=True)) == expected

    engine = create_engine(url)
    query = text("SELECT * FROM observations ORDER BY indicator, area, year, series, source")
    with engine.connect() as conn:
        before = pd.read_sql(query, conn)
    assert run_etl("load", "--db", url, str(xls))[0] == 0
    with engine.connect() as conn:
        after = pd.read_sql(query, conn)
    pd.testing.assert_frame_equal(before, after)


def test_national_2021_figure_is_stored_exactly(shared, areas_db):
    _, url = areas_db
    code, out, _ = run_etl(
        "export",
        "--db",
        url,
        "--indicator",
        "air_emissions_stationary",
        "--area",
        "Республика Казахстан",
        "--format",
        "json",
    )
    assert code == 0
    assert '"value": 2407.455791' in out.replace(" ", "").replace('":', '": ')


def test_the_seed_and_the_bureau_disagree_and_both_are_kept(areas_db):
    _, url = areas_db
    code, out, _ = run_etl(
        "export",
        "--db",
        url,
        "--indicator",
        "industrial_output",
        "--area",
        "433200000",
        "--source",
        "all",
    )
    assert code == 0
    df = pd.read_csv(io.StringIO(out))
    readings = df[df.year == 2008].set_index("source").value.to_dict()
    assert readings == {"bns-kyzylorda-district-workbook": 1946.0, "seed-aral-akim-2008": 2609.1}
    _, out, _ = run_etl(
        "export", "--db", url, "--indicator", "industrial_output", "--area", "433200000"
    )
    preferred = pd.read_csv(io.StringIO(out))
    assert preferred[preferred.year == 2008].value.tolist() == [1946.0]


def test_required_indicators_exist_with_their_units(areas_db):
    db, _ = areas_db
    with create_engine(db).connect() as conn:
        units = dict(conn.execute(text("SELECT code, unit_en FROM indicators")).all())
    assert set(REQUIRED) <= set(units)
    assert units["industrial_output"] == "million tenge, current prices"
    assert units["salt_extraction"] == "thousand tonnes"
    assert units["env_protection_expenditure"] == "thousand tenge"


@pytest.mark.parametrize(
    ("name", "parent", "kato"),
    [
        ("Арал", None, "433200000"),
        ("Аральский", None, "433200000"),
        ("Aral", None, "433200000"),
        ("Шиелі", None, "435200000"),
        ("Чиилийский", None, "435200000"),
        ("Shieli", None, "435200000"),
        ("Кызылординская", None, "430000000"),
        ("г.Астана", None, "710000000"),
        ("г. Астана", None, "710000000"),
        ("KZKZY", None, "430000000"),
        ("Туркестанская ", None, "610000000"),
        ("Южно-Казахстанская", None, "510000000"),
        ("Жетісу", "000000000", "330000000"),
        ("Жетісу", "750000000", "751510000"),
        ("Жамбылский", "310000000", "314000000"),
    ],
)
def test_alias_resolution(name, parent, kato):
    assert default_resolver().resolve(name, parent) == kato


def test_ambiguous_district_name_needs_its_oblast():
    from etl.areas import AmbiguousArea

    with pytest.raises(AmbiguousArea):
        default_resolver().resolve("Жамбылский")


def test_areas_with_validity_years_are_not_aliases(areas_db):
    db, _ = areas_db
    with create_engine(db).connect() as conn:
        rows = dict(
            conn.execute(
                text(
                    "SELECT kato, coalesce(cast(valid_from AS varchar), '') || '-' || "
                    "coalesce(cast(valid_to AS varchar), '') FROM areas "
                    "WHERE kato IN ('510000000','610000000','790000000','100000000','330000000',"
                    "'620000000')"
                )
            ).all()
        )
    assert rows == {
        "510000000": "-2017",
        "610000000": "2018-",
        "790000000": "2018-",
        "100000000": "2022-",
        "330000000": "2022-",
        "620000000": "2022-",
    }
