"""A source's official address and the address of the copy that was read are two columns;
a database built when both were one string ("<official> (copy read: <copy>)") is upgraded
in place by the next build or load: the column added, the string split, nothing rebuilt."""

from __future__ import annotations

import pytest
from sqlalchemy import create_engine, text

from etl import build
from tests.conftest import run_etl
from tests.etl.test_revisions import FIGURES, MINI, load, rows, write_dataset

OFFICIAL = "https://stat.gov.kz/"  # tests/fixtures/curated_min/curated/demo/sources.csv
COPY = "https://github.com/o/r/blob/0123abc/Data/a.xls"


@pytest.fixture
def old_db(databases) -> str:
    """The fixture dataset built, then put back in the layout of before copy_address."""
    db = databases.new("old-addresses")
    code, _, err = run_etl("build", "--no-boundaries", "--data", str(MINI), "--db", db)
    assert code == 0, err
    old_signature = build.schema_signature().replace("address,copy_address,", "address,")
    engine = create_engine(db)
    try:
        with engine.begin() as conn:
            conn.execute(text("ALTER TABLE sources DROP COLUMN copy_address"))
            conn.execute(
                text("UPDATE sources SET address = :a WHERE code = 'fx-bns'"),
                {"a": f"{OFFICIAL} (copy read: {COPY})"},
            )
            conn.execute(
                text("UPDATE meta SET value = :v WHERE key = :k"),
                {"v": old_signature, "k": build.SCHEMA_KEY},
            )
    finally:
        engine.dispose()
    return db


@pytest.mark.parametrize("command", ["build", "load"])
def test_an_older_database_gets_the_two_addresses_without_a_rebuild(
    old_db, tmp_path, caplog, command
):
    if command == "build":
        code, _, err = run_etl("build", "--no-boundaries", "--data", str(MINI), "--db", old_db)
        assert code == 0, err
        assert "rebuilding it from scratch" not in caplog.text + err
        assert rows(old_db, "select value from meta where key = 'schema'") == [
            (build.schema_signature(),)
        ]
    else:
        load(old_db, write_dataset(tmp_path / "v1", FIGURES))
    assert rows(old_db, "select address, copy_address from sources where code = 'fx-bns'") == [
        (OFFICIAL, COPY)
    ]
    assert rows(old_db, "select count(*) from sources where address like '%copy read%'") == [(0,)]


def test_every_curated_address_is_one_web_address():
    """Each address of data/curated/*/sources.csv opens in a browser: one http(s) URL, no
    space or parenthesis (the Bureau's sources once held both addresses in one string)."""
    import csv
    from urllib.parse import urlsplit

    from config import DATA_DIR

    bad, copies = [], 0
    for f in sorted((DATA_DIR / "curated").glob("*/sources.csv")):
        for row in csv.DictReader(f.open(encoding="utf-8-sig")):
            for col in ("address", "copy_address"):
                value = row.get(col) or ""
                parts = urlsplit(value)
                if value and (
                    parts.scheme not in ("http", "https")
                    or not parts.netloc
                    or any(c in value for c in " ()")
                ):
                    bad.append(f"{f.parent.name}/{row['code']}: {col} {value!r}")
            copies += bool(row.get("copy_address"))
    assert not bad, "\n".join(bad)
    # every Bureau table read from a GitHub copy (2+2+16+12+7), and the 80 bulletins read
    assert copies == 39 + 80
