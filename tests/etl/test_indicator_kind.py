"""Every catalogue row declares what kind of figure its indicator is (``kind``): a row
without one, or with another word, is refused naming the file, row and column; a database
built before the column existed gets it, filled from the catalogue, without a rebuild."""

from __future__ import annotations

import re
import shutil
import sqlite3
from pathlib import Path

import pytest

from tests.conftest import FIXTURES, run_etl

MINI = FIXTURES / "curated_min"


def catalogue(tmp_path: Path, kind: str | None) -> Path:
    """The fixture data folder with fish_processed's kind replaced by ``kind`` (None: the
    column left out of every row)."""
    data = tmp_path / "data"
    shutil.copytree(MINI, data)
    core = data / "indicators" / "core.csv"
    lines = core.read_text(encoding="utf-8").splitlines()
    if kind is None:
        lines = [line.rsplit(",", 1)[0] for line in lines]
    else:
        lines = [
            line.rsplit(",", 1)[0] + f",{kind}" if line.startswith("fish_processed,") else line
            for line in lines
        ]
    core.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return data


@pytest.mark.parametrize(
    ("kind", "message"),
    [
        ("", "core.csv, row 3, column kind: is empty"),
        ("sometimes", "core.csv, row 3, column kind: 'sometimes' is not one of total, rate"),
        (None, "missing column(s) kind"),
    ],
)
def test_a_catalogue_row_without_a_known_kind_is_refused(tmp_path, kind, message):
    data = catalogue(tmp_path, kind)
    code, _, err = run_etl("validate", str(data), "--db", f"sqlite:///{tmp_path / 'x.db'}")
    assert code == 1, err
    assert message in err
    assert str(data / "indicators" / "core.csv") in err


def test_a_database_built_before_kind_gets_it_from_the_catalogue(tmp_path, caplog):
    db = tmp_path / "old.db"
    url = f"sqlite:///{db}"
    code, _, err = run_etl("build", "--no-boundaries", "--data", str(MINI), "--db", url)
    assert code == 0, err
    with sqlite3.connect(db) as conn:  # as the code before kind left it
        cols = [r[1] for r in conn.execute("pragma table_info(indicators)") if r[1] != "kind"]
        (ddl,) = conn.execute("select sql from sqlite_master where name = 'indicators'").fetchone()
        ddl = re.sub(r"\s*kind VARCHAR\(8\),", "", ddl)
        ddl = re.sub(r"\s*CONSTRAINT indicator_kind CHECK \([^)]*\)\),", "", ddl)
        assert "kind" not in ddl, ddl
        conn.execute("pragma foreign_keys = off")
        conn.execute("pragma legacy_alter_table = on")  # the other tables keep their keys
        conn.execute("alter table indicators rename to new_indicators")
        conn.execute(ddl)
        conn.execute(f"insert into indicators select {', '.join(cols)} from new_indicators")
        conn.execute("drop table new_indicators")
        (schema,) = conn.execute("select value from meta where key = 'schema'").fetchone()
        conn.execute(
            "update meta set value = ? where key = 'schema'",
            (schema.replace(",decimals,kind)", ",decimals)"),),
        )
    code, _, err = run_etl("build", "--no-boundaries", "--data", str(MINI), "--db", url)
    assert code == 0, err
    assert "rebuilding it from scratch" not in caplog.text
    assert "adding indicators.kind" in caplog.text
    with sqlite3.connect(db) as conn:
        kinds = dict(conn.execute("select code, kind from indicators"))
    assert kinds["industrial_output"] == "total" and kinds["fish_processed"] == "total"
