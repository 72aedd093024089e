"""A catalogue of bad or unusual input files: each is refused with one clear message, exit code
1 or 2, and the database unchanged byte for byte.

Every file is generated here in tmp_path (the Open SDG repositories are the hand-made
fixtures under tests/fixtures/opensdg/). The database is the small fixture dataset
(tests/fixtures/curated_min) with two test indicators added, a share in per cent and an index.
"""

from __future__ import annotations

import shutil
import sqlite3
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import openpyxl
import pytest

from tests.conftest import FIXTURES, run_etl

MINI = FIXTURES / "curated_min"
OPENSDG = FIXTURES / "opensdg"
OBS_HEADER = "indicator,area,year,series,value,status,year_approx,source,note,excerpt,location"
SOURCES = (
    "code,title,publisher,address,license,retrieved,tier,excerpt,note\n"
    "fx-bad,Test source of the bad-input catalogue,Test,,,,C,,\n"
)
TEST_INDICATORS = (
    "share_fixture,Үлес,Доля,Share (test indicator),%,%,%,social,neutral,,,,1,share\n"
    "index_fixture,Индекс,Индекс,Index (test indicator),алдыңғы жылға %,% к предыдущему году,"
    "% of the previous year,economic,neutral,,,,1,index\n"
)


def obs_row(
    indicator: str = "industrial_output",
    area: str = "433200000",
    year: str = "2010",
    value: str = "100",
    status: str = "actual",
    year_approx: str = "",
    source: str = "fx-bad",
    series: str = "",
) -> str:
    return f"{indicator},{area},{year},{series},{value},{status},{year_approx},{source},,,"


def dataset(tmp: Path, *rows: str, sources: str = SOURCES, header: str = OBS_HEADER) -> Path:
    """A curated dataset folder with these observation rows."""
    folder = tmp / "dataset"
    folder.mkdir()
    (folder / "sources.csv").write_text(sources, encoding="utf-8")
    (folder / "observations.csv").write_text("\n".join([header, *rows]) + "\n", encoding="utf-8")
    return folder


def write_xlsx(path: Path, rows: list[list]) -> Path:
    book = openpyxl.Workbook()
    for row in rows:
        book.active.append(row)
    book.save(path)
    return path


EMISSIONS_TITLE = "Выбросы в атмосферу загрязняющих веществ, отходящих от стационарных источников"


def bns_rows(
    title: str = EMISSIONS_TITLE,
    unit: str = "тыс. тонн",
    years: tuple = (2020, 2021, 2022),
    rows: tuple = (("Кызылординская", 28.3, 29.2, 23.4),),
) -> list[list]:
    return [[title], [None, None, None, unit], [None, *years], *[list(r) for r in rows]]


# --------------------------------------------------------------------------- the catalogue


@dataclass(frozen=True)
class Case:
    name: str
    make: Callable[[Path], list[str]]  # writes the input, returns the CLI arguments after --db
    code: int
    message: str
    command: str = "load"


def _curated(*rows: str, **kw) -> Callable[[Path], list[str]]:
    return lambda tmp: [str(dataset(tmp, *rows, **kw))]


def _file(name: str, content: bytes, *options: str) -> Callable[[Path], list[str]]:
    def make(tmp: Path) -> list[str]:
        path = tmp / name
        path.write_bytes(content)
        return [str(path), *options]

    return make


def _xlsx(rows: list[list], *options: str) -> Callable[[Path], list[str]]:
    return lambda tmp: [str(write_xlsx(tmp / "table.xlsx", rows)), *options]


def _cp1251(tmp: Path) -> list[str]:
    folder = dataset(tmp)
    text = OBS_HEADER + "\n" + obs_row() + "Арал\n"
    (folder / "observations.csv").write_bytes(text.encode("cp1251"))
    return [str(folder)]


def _symlink_loop(tmp: Path) -> list[str]:
    (tmp / "a").symlink_to(tmp / "b")
    (tmp / "b").symlink_to(tmp / "a")
    return [str(tmp / "a")]


def _empty_dir(*options: str) -> Callable[[Path], list[str]]:
    def make(tmp: Path) -> list[str]:
        (tmp / "empty").mkdir()
        return [str(tmp / "empty"), *options]

    return make


def _zip_bomb(tmp: Path) -> list[str]:
    """64 MB of zeros as a 64 kB zip, named like a boundary file: never inflated."""
    path = tmp / "boundaries.zip"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        with zf.open("kaz_admbnda_adm1_2018.shp", "w") as member:
            block = b"\0" * (1 << 20)
            for _ in range(64):
                member.write(block)
    return [str(path), "--format", "boundaries"]


def _repo(name: str, *options: str) -> Callable[[Path], list[str]]:
    return lambda tmp: [str(OPENSDG / name), *options]


def _opensdg_with(data: str) -> Callable[[Path], list[str]]:
    """A Kazakh-configured Open SDG repository with one data file."""

    def make(tmp: Path) -> list[str]:
        repo = tmp / "repo"
        (repo / "data").mkdir(parents=True)
        (repo / "meta").mkdir()
        shutil.copy(OPENSDG / "mini" / "config_data.yml", repo / "config_data.yml")
        (repo / "data" / "indicator_15-1-1.csv").write_text(data, encoding="utf-8")
        return [str(repo)]

    return make


def _opensdg_no_files(tmp: Path) -> list[str]:
    repo = tmp / "repo"
    (repo / "data").mkdir(parents=True)
    (repo / "meta").mkdir()
    return [str(repo), "--format", "opensdg"]


def _target_of_another_source(tmp: Path) -> list[str]:
    folder = dataset(tmp)
    (folder / "observations.csv").unlink()
    (folder / "targets.csv").write_text(
        "program,indicator,area,target_year,comparator,value,baseline_year,baseline_value,"
        "source,excerpt,note\n"
        "fx-prog,industrial_output,433200000,2015,>=,9999,,,fx-bad,,\n",
        encoding="utf-8",
    )
    return [str(folder)]


def _benchmark_for(set_for: str) -> Callable[[Path], list[str]]:
    """A target applied as a benchmark (targets.csv ``set_for``) whose level is not an area."""

    def make(tmp: Path) -> list[str]:
        folder = dataset(tmp)
        (folder / "observations.csv").unlink()
        (folder / "targets.csv").write_text(
            "program,indicator,area,target_year,comparator,value,baseline_year,baseline_value,"
            "source,excerpt,note,set_for\n"
            f"fx-prog,industrial_output,433200000,2040,>=,9999,,,fx-bad,,,{set_for}\n",
            encoding="utf-8",
        )
        return [str(folder)]

    return make


def _restore_garbage(tmp: Path) -> list[str]:
    path = tmp / "backup.db"
    path.write_bytes(b"SQLite format 2\0" + b"x" * 4000)
    return [str(path)]


CASES = [
    # --- curated files: structure
    Case("empty observations.csv", _curated(header=""), 1, "the file is empty"),
    Case("header only", _curated(), 1, "found nothing to load as curated"),
    Case(
        "missing column",
        _curated(header=OBS_HEADER.replace(",value", "")),
        1,
        "missing column(s) value",
    ),
    Case("unknown column", _curated(header=OBS_HEADER + ",extra"), 1, "unknown column(s) extra"),
    Case(
        "ragged row",
        _curated(obs_row() + ",one too many"),
        1,
        "cannot read as UTF-8 CSV",
    ),
    Case("Windows-1251 encoding", _cp1251, 1, "cannot read as UTF-8 CSV"),
    Case("empty required cell", _curated(obs_row(value="")), 1, "column value: is empty"),
    # --- curated files: cells
    Case("value with a letter", _curated(obs_row(value="19x6")), 1, "'19x6' is not a number"),
    Case("decimal comma", _curated(obs_row(value='"1,5"')), 1, "(use a dot for decimals)"),
    Case("NaN value", _curated(obs_row(value="nan")), 1, "'nan' is not a finite number"),
    Case("infinite value", _curated(obs_row(value="inf")), 1, "'inf' is not a finite number"),
    Case("1e308", _curated(obs_row(value="1e308")), 1, "value 1e+308 is implausibly large"),
    Case("letter in a year", _curated(obs_row(year="20l0")), 1, "'20l0' is not a whole number"),
    Case("year 1850", _curated(obs_row(year="1850")), 1, "is not a year between 1900 and 2100"),
    Case(
        "actual figure for 2100",
        _curated(obs_row(year="2100")),
        1,
        "year 2100 is after the current year",
    ),
    Case("8-digit area", _curated(obs_row(area="43320000")), 1, "is not a 9-digit KATO code"),
    Case("unknown area", _curated(obs_row(area="999999999")), 1, "unknown area '999999999'"),
    Case(
        "unknown indicator",
        _curated(obs_row(indicator="no_such_thing")),
        1,
        "unknown indicator 'no_such_thing'",
    ),
    Case("unknown source", _curated(obs_row(source="nobody")), 1, "unknown source 'nobody'"),
    Case("unknown status", _curated(obs_row(status="guess")), 1, "status 'guess' is not one of"),
    Case("bad year_approx", _curated(obs_row(year_approx="maybe")), 1, "is not true/false"),
    Case("duplicate row", _curated(obs_row(), obs_row()), 1, "duplicate observation"),
    Case(
        "negative tonnes",
        _curated(obs_row(indicator="fish_processed", value="-5")),
        1,
        "should be at least 0",
    ),
    Case(
        "share above 100 %",
        _curated(obs_row(indicator="share_fixture", value="120")),
        1,
        "should be between 0 and 100",
    ),
    Case(
        "index above 10 000 (a warning)",
        _curated(obs_row(indicator="index_fixture", value="20000")),
        1,
        "load again with --accept-warnings",
    ),
    Case(
        "source code too long",
        _curated(obs_row(), sources=SOURCES.replace("fx-bad,", "x" * 81 + ",")),
        1,
        "at most 80 allowed",
    ),
    Case(
        "another source's code",
        _curated(
            obs_row(source="fx-bns"),
            sources=SOURCES.replace("fx-bad,Test", "fx-bns,Test").replace(
                ",,,,C", ",https://example.org/,,,C"
            ),
        ),
        1,
        "another source cannot take its code",
    ),
    Case("another source's target", _target_of_another_source, 1, "already stated by source"),
    Case("benchmark of a short code", _benchmark_for("00000000"), 1, "is not a 9-digit KATO code"),
    Case("benchmark of no area", _benchmark_for("999999999"), 1, "unknown area '999999999'"),
    # --- paths and formats
    Case(
        "one CSV file as curated",
        _file("observations.csv", (OBS_HEADER + "\n").encode(), "--format", "curated"),
        1,
        "found nothing to load as curated",
    ),
    Case("empty folder as curated", _empty_dir("--format", "curated"), 1, "found nothing"),
    Case("empty folder", _empty_dir(), 2, "cannot tell its format; give --format"),
    Case("no such path", lambda tmp: [str(tmp / "nowhere")], 2, "no such file or folder"),
    Case("symlink loop", _symlink_loop, 2, "a symbolic link that cannot be followed"),
    Case("unknown format", _empty_dir("--format", "parquet"), 2, "unknown format 'parquet'"),
    Case("binary junk", _file("junk.bin", bytes(range(256)) * 64), 2, "cannot tell its format"),
    # --- Open SDG repositories
    Case("Open SDG starter template", _repo("starter"), 1, "config_data.yml names no site"),
    Case(
        "another country's repository",
        _repo("foreign"),
        1,
        "not recognisably Kazakhstan's Open SDG repository",
    ),
    Case(
        "another country taking kazstat-sdg",
        _repo("foreign", "--source", "kazstat-sdg"),
        1,
        "is Kazakhstan's national SDG platform",
    ),
    Case("GeoCode without REF_AREA", _repo("geocode"), 1, "GeoCode 'KZ03' without a REF_AREA"),
    Case("unknown disaggregation", _repo("unknowncol"), 1, "unknown column 'Mystery'"),
    Case(
        "geography column", _repo("unknowncol"), 1, "unknown column 'Region' looks like a geography"
    ),
    Case("opensdg without data/", _empty_dir("--format", "opensdg"), 1, "no data/ folder"),
    Case("opensdg without data files", _opensdg_no_files, 1, "no data/indicator_*.csv files"),
    Case(
        "opensdg value n/a",
        _opensdg_with("Year,Value\n2019,n/a\n"),
        1,
        "value 'n/a' is not a number",
    ),
    Case(
        "opensdg empty file",
        _opensdg_with(""),
        1,
        "found nothing to load as opensdg",
    ),
    # --- Bureau tables
    Case(
        "unknown territory",
        _xlsx(bns_rows(rows=(("Атлантида", 1.0, 2.0, 3.0),))),
        1,
        "territory 'Атлантида'",
    ),
    Case(
        "junk in a figure cell",
        _xlsx(bns_rows(rows=(("Кызылординская", 28.3, "29.2 т", 23.4),))),
        1,
        "'29.2 т' is not a number",
    ),
    Case(
        "typo in a year header",
        _xlsx(bns_rows(years=(2020, 2021, "2O22")), "--format", "bns-table"),
        1,
        "year header '2O22' is not a year",
    ),
    Case("wrong unit", _xlsx(bns_rows(unit="тыс. тенге")), 1, "unit 'тыс. тенге' is not"),
    Case(
        "unmapped title",
        _xlsx(bns_rows(title="Неизвестная таблица")),
        1,
        "no mapping for the title 'Неизвестная таблица'",
    ),
    Case(
        "xlsx that is not a workbook",
        _file("table.xlsx", b"PK\x03\x04 not really a zip", "--format", "bns-table"),
        1,
        "cannot read the file",
    ),
    # --- boundaries
    Case("zip bomb as boundaries", _zip_bomb, 1, "cannot be read as boundaries"),
    Case(
        "junk GeoJSON",
        _file(
            "areas.geojson",
            b'{"type": "FeatureCollection", "features": [',
            "--format",
            "boundaries",
        ),
        1,
        "cannot be read as boundaries",
    ),
    # --- restore
    Case("restore of junk", _restore_garbage, 1, "not a SQLite database backup", "restore"),
]


@pytest.fixture(scope="module")
def template_db(tmp_path_factory) -> Path:
    """The fixture dataset with the two test indicators, built once, checkpointed."""
    root = tmp_path_factory.mktemp("bad")
    data = root / "data"
    shutil.copytree(MINI, data)
    with (data / "indicators" / "core.csv").open("a", encoding="utf-8") as fh:
        fh.write(TEST_INDICATORS)
    db = root / "template.db"
    code, _, err = run_etl(
        "build", "--no-boundaries", "--db", f"sqlite:///{db}", "--data", str(data)
    )
    assert code == 0, err
    conn = sqlite3.connect(db)
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    conn.close()
    return db


def _dump(db: Path) -> list[str]:
    conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    try:
        return list(conn.iterdump())
    finally:
        conn.close()


def test_the_catalogue_has_at_least_40_cases():
    assert len(CASES) >= 40
    assert len({c.name for c in CASES}) == len(CASES)


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_bad_input_is_refused_with_one_message(case, template_db, tmp_path):
    db = tmp_path / "live.db"
    shutil.copy(template_db, db)
    before_bytes, before_rows = db.read_bytes(), _dump(db)
    args = case.make(tmp_path)
    code, out, err = run_etl(case.command, "--db", f"sqlite:///{db}", *args)
    assert code == case.code, err
    assert case.message in err, err
    assert "Traceback" not in err + out
    assert db.read_bytes() == before_bytes
    assert _dump(db) == before_rows


def test_a_warning_loads_with_accept_warnings(template_db, tmp_path, caplog):
    db = tmp_path / "live.db"
    shutil.copy(template_db, db)
    folder = dataset(tmp_path, obs_row(indicator="index_fixture", value="20000"))
    code, _, err = run_etl("load", "--db", f"sqlite:///{db}", str(folder), "--accept-warnings")
    assert code == 0, err
    assert any("implausible, accepted" in r.getMessage() for r in caplog.records)
    conn = sqlite3.connect(db)
    assert conn.execute("SELECT value FROM observations WHERE source='fx-bad'").fetchall() == [
        (20000.0,)
    ]
    conn.close()
