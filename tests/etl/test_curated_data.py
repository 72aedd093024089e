"""The curated datasets seed-aral-2008, published and programs, checked two ways.

Structure (needs only the project): columns exactly as data/README.md documents them, allowed
status and comparator values, whole-number years, codes defined once, every referenced indicator,
area, source and programme defined, no duplicate observation key.

Provenance (needs ../shared, skipped without it): every excerpt is verbatim in the seed thesis or in
published_figures.csv, and every value is in the text or row it came from.
"""

from __future__ import annotations

import csv
import math
import re
from pathlib import Path

import pytest

from store import schema
from tests.conftest import ROOT, SHARED

DATA = ROOT / "data"
CURATED = DATA / "curated"
SEED_DIR, PUBLISHED_DIR, PUBLISHED_2_DIR, PROGRAMS_DIR = (
    CURATED / d for d in ("seed-aral-2008", "published", "published-2", "programs")
)
MY_INDICATOR_FILES = tuple(
    DATA / "indicators" / f for f in ("aral_seed.csv", "published.csv", "published_2.csv")
)
SEED_TEXT = SHARED / "seed" / "000_0ebd74238b528939.txt"
PUBLISHED_CSV = SHARED / "data-sources" / "published_figures.csv"
PUBLISHED_2_CSV = SHARED / "data-sources" / "published_figures_2.csv"

ARAL = "433200000"
SEED_SOURCE = "seed-aral-akim-2008"
NAS_NOTE = (
    "North Aral Sea (a water body, not an administrative area), recorded under Aral district."
)
NAS_DESCRIPTION = "North Aral Sea, recorded under Aral district"
# loaded by another dataset from the Bureau's own files; must not be restated from the press table
BUREAU_INDICATORS = {"air_emissions_stationary", "env_protection_expenditure"}


def read(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8-sig", newline="") as fh:
        return list(csv.DictReader(fh))


def header(path: Path) -> list[str]:
    with path.open(encoding="utf-8-sig", newline="") as fh:
        return next(csv.reader(fh))


def documented_columns() -> dict[str, list[str]]:
    """Columns per file as data/README.md's table gives them, keyed by the file's name."""
    columns = {}
    for line in (DATA / "README.md").read_text(encoding="utf-8").splitlines():
        m = re.match(r"^\| `([^`]+)` \|[^`]*`([^`]+)`", line)
        if m:
            columns[m.group(1).rsplit("/", 1)[-1]] = m.group(2).split(",")
    return columns


def all_rows(name: str) -> list[dict[str, str]]:
    """Rows of `name` (e.g. sources.csv) from every curated dataset, each tagged with its dataset."""
    rows = []
    for f in sorted(CURATED.glob(f"*/{name}")):
        rows += [{**r, "_dataset": f.parent.name} for r in read(f)]
    return rows


def numbers_in(text: str) -> set[float]:
    """Every number a text can be read as, with ',' or '.' as decimal mark or thousands separator."""
    found = set()
    for token in re.findall(r"\d+(?:[ \u00a0]\d{3})*(?:[.,]\d+)*", text):
        compact = token.replace(" ", "").replace("\u00a0", "")
        for variant in (
            compact.replace(",", "."),
            compact.replace(",", ""),
            compact.replace(".", "").replace(",", "."),
            compact.replace(".", ""),
        ):
            try:
                found.add(float(variant))
            except ValueError:
                pass
    return found


def stated_in(value: float, text: str, factors: tuple[float, ...] = (1.0,)) -> bool:
    return any(math.isclose(value * f, n, rel_tol=1e-9) for f in factors for n in numbers_in(text))


def my_observations() -> list[dict[str, str]]:
    return [
        {**r, "_dataset": d.name}
        for d in (SEED_DIR, PUBLISHED_DIR, PUBLISHED_2_DIR)
        for r in read(d / "observations.csv")
    ]


@pytest.fixture(scope="module")
def seed_lines() -> list[str]:
    if not SEED_TEXT.is_file():
        pytest.skip(f"seed thesis not found at {SEED_TEXT} (../shared from the project root)")
    return SEED_TEXT.read_text(encoding="utf-8").split("\n")


@pytest.fixture(scope="module")
def published_rows() -> list[dict[str, str]]:
    if not PUBLISHED_CSV.is_file():
        pytest.skip(f"published_figures.csv not found at {PUBLISHED_CSV} (../shared)")
    return read(PUBLISHED_CSV)


# --- structure: the project alone ------------------------------------------------------------


@pytest.mark.parametrize(
    "path",
    [
        *(
            d / f
            for d in (SEED_DIR, PUBLISHED_DIR, PUBLISHED_2_DIR)
            for f in ("sources.csv", "observations.csv")
        ),
        *(PROGRAMS_DIR / f for f in ("sources.csv", "programs.csv", "targets.csv")),
        *MY_INDICATOR_FILES,
    ],
    ids=lambda p: str(p.relative_to(DATA)),
)
def test_columns_are_exactly_as_documented(path):
    documented = documented_columns()
    key = "*.csv" if path.parent.name == "indicators" else path.name
    assert header(path) == documented[key]
    assert header(DATA / "indicators" / "core.csv") == documented["*.csv"]


@pytest.mark.parametrize(
    "dataset", [SEED_DIR, PUBLISHED_DIR, PUBLISHED_2_DIR, PROGRAMS_DIR], ids=lambda p: p.name
)
def test_dataset_has_a_readme(dataset):
    assert (dataset / "README.md").stat().st_size > 500


def test_observation_cells_are_well_formed():
    problems = []
    for r in my_observations():
        where = f"{r['_dataset']}: {r['indicator']} {r['area']} {r['year']}"
        if r["status"] not in schema.STATUSES:
            problems.append(f"{where}: status {r['status']!r}")
        if not re.fullmatch(r"(19|20)\d\d", r["year"]):
            problems.append(f"{where}: year {r['year']!r} is not a whole year")
        if r["year_approx"] not in {"", "true", "false"}:
            problems.append(f"{where}: year_approx {r['year_approx']!r}")
        if not math.isfinite(float(r["value"])):
            problems.append(f"{where}: value {r['value']!r}")
        if not (r["excerpt"] and r["location"] and r["note"]):
            problems.append(f"{where}: excerpt, location and note are all required here")
        if r["status"] in {"derived", "estimate"} or r["year_approx"] == "true":
            if len(r["note"]) < 40:
                problems.append(
                    f"{where}: a derived, estimated or approximate-year row needs a note saying why"
                )
        if r["status"] == "derived" and "derived" not in r["note"].lower():
            problems.append(f"{where}: a derived row's note must show the derivation")
    assert not problems, "\n".join(problems)


def test_target_cells_are_well_formed():
    problems = []
    for t in read(PROGRAMS_DIR / "targets.csv"):
        where = f"{t['program']} {t['indicator']} {t['target_year']}"
        if t["comparator"] not in schema.COMPARATORS:
            problems.append(f"{where}: comparator {t['comparator']!r}")
        if not re.fullmatch(r"(19|20)\d\d", t["target_year"]):
            problems.append(f"{where}: target_year {t['target_year']!r}")
        if t["baseline_year"] and not re.fullmatch(r"(19|20)\d\d", t["baseline_year"]):
            problems.append(f"{where}: baseline_year {t['baseline_year']!r}")
        float(t["value"])
        if t["baseline_value"]:
            float(t["baseline_value"])
        if not (t["excerpt"] and t["note"]):
            problems.append(f"{where}: excerpt and note are required")
    for p in read(PROGRAMS_DIR / "programs.csv"):
        for col in ("year_start", "year_end"):
            if p[col] and not re.fullmatch(r"(19|20)\d\d", p[col]):
                problems.append(f"{p['code']}: {col} {p[col]!r}")
    assert not problems, "\n".join(problems)


def test_targets_are_unique_per_program_indicator_area_year():
    keys = [
        (t["program"], t["indicator"], t["area"], t["target_year"])
        for t in read(PROGRAMS_DIR / "targets.csv")
    ]
    assert len(keys) == len(set(keys))


def test_no_duplicate_observation_key_across_curated_datasets():
    seen: dict[tuple, str] = {}
    dups = []
    for r in all_rows("observations.csv"):
        key = (r["indicator"], r["area"], r["year"], r["series"], r["source"])
        if key in seen:
            dups.append(f"{key} in {seen[key]} and {r['_dataset']}")
        seen.setdefault(key, r["_dataset"])
    assert not dups, "\n".join(dups)


def test_codes_are_defined_once():
    def twice(codes: list[str]) -> set[str]:
        return {c for c in codes if codes.count(c) > 1}

    indicator_codes = [
        r["code"] for f in sorted((DATA / "indicators").glob("*.csv")) for r in read(f)
    ]
    assert not twice(indicator_codes), "indicator defined in more than one place"
    assert not twice([r["code"] for r in all_rows("sources.csv")]), "source defined twice"
    assert not twice([r["code"] for r in all_rows("programs.csv")]), "programme defined twice"


def test_every_referenced_code_exists():
    indicators = {r["code"] for f in (DATA / "indicators").glob("*.csv") for r in read(f)}
    areas = {r["kato"] for r in read(DATA / "areas.csv")}
    sources = {r["code"] for r in all_rows("sources.csv")}
    programs = {r["code"] for r in all_rows("programs.csv")}
    targets = read(PROGRAMS_DIR / "targets.csv")
    problems = []
    for r in my_observations() + targets:
        for col, known in (("indicator", indicators), ("area", areas), ("source", sources)):
            if r[col] not in known:
                problems.append(f"unknown {col} {r[col]!r}")
    problems += [
        f"unknown program {t['program']!r}" for t in targets if t["program"] not in programs
    ]
    problems += [
        f"programme {p['code']}: unknown source {p['source']!r}"
        for p in read(PROGRAMS_DIR / "programs.csv")
        if p["source"] not in sources
    ]
    for f in MY_INDICATOR_FILES:
        for r in read(f):
            if r["preferred_source"] and r["preferred_source"] not in sources:
                problems.append(f"{r['code']}: unknown preferred_source {r['preferred_source']!r}")
    assert not problems, "\n".join(problems)


def test_my_indicator_rows_are_valid():
    problems = []
    for f in MY_INDICATOR_FILES:
        for r in read(f):
            if r["category"] not in schema.CATEGORIES or r["direction"] not in schema.DIRECTIONS:
                problems.append(f"{r['code']}: category/direction {r['category']}/{r['direction']}")
            if not all(
                r[c]
                for c in (
                    "name_kk",
                    "name_ru",
                    "name_en",
                    "unit_kk",
                    "unit_ru",
                    "unit_en",
                    "description",
                )
            ):
                problems.append(f"{r['code']}: names, units and description are required")
            if r["code"].startswith("nas_") and NAS_DESCRIPTION not in r["description"]:
                problems.append(f"{r['code']}: description must say '{NAS_DESCRIPTION}'")
    assert not problems, "\n".join(problems)


def test_north_aral_sea_rows_are_under_aral_district_and_say_so():
    rows = my_observations() + read(PROGRAMS_DIR / "targets.csv")
    nas = [r for r in rows if r["indicator"].startswith("nas_")]
    assert nas
    bad = [r for r in nas if r["area"] != ARAL or NAS_NOTE not in r["note"]]
    assert not bad, bad


def test_published_leaves_out_the_bureau_tables_and_partial_years_have_their_own_codes():
    rows = read(PUBLISHED_DIR / "observations.csv")
    assert not {r["indicator"] for r in rows} & BUREAU_INDICATORS
    for r in rows:
        if re.search(r"January-(June|November)", r["note"]):
            assert re.search(r"_jan_(jun|nov)$", r["indicator"]), r


def test_seed_rows_are_aral_district_2007_or_2008():
    for r in read(SEED_DIR / "observations.csv"):
        assert (r["area"], r["source"]) == (ARAL, SEED_SOURCE)
        assert r["year"] == "2008" or (r["year"], r["status"]) == ("2007", "derived"), r


# --- provenance: against ../shared -------------------------------------------------------------


def test_seed_excerpts_and_values_are_in_the_seed(seed_lines):
    problems = []
    for r in read(SEED_DIR / "observations.csv"):
        m = re.fullmatch(r"seed thesis, line (\d+)", r["location"])
        if not m:
            problems.append(f"{r['indicator']}: location {r['location']!r}")
            continue
        line = seed_lines[int(m.group(1)) - 1]
        if r["excerpt"] not in line:
            problems.append(f"{r['indicator']}: excerpt not verbatim on seed line {m.group(1)}")
        if r["status"] != "derived" and r["value"].replace(".", ",") not in r["excerpt"]:
            problems.append(
                f"{r['indicator']}: {r['value']} (Kazakh: decimal comma) not in excerpt"
            )
    assert not problems, "\n".join(problems)


def test_derived_2007_industrial_output_follows_from_the_seed():
    rows = {(r["indicator"], r["year"]): r for r in read(SEED_DIR / "observations.csv")}
    output_2008 = float(rows["industrial_output", "2008"]["value"])
    ratio = float(rows["industrial_output_nominal_index", "2008"]["value"])
    assert float(rows["industrial_output", "2007"]["value"]) == round(output_2008 / ratio * 100, 1)


def test_published_excerpts_and_values_are_in_published_figures(published_rows):
    problems = []
    for r in read(PUBLISHED_DIR / "observations.csv"):
        where = f"{r['indicator']} {r['area']} {r['year']} ({r['source']})"
        candidates = [
            p
            for p in published_rows
            if p["excerpt"] == r["excerpt"]
            and not p["indicator"].startswith(("TARGET", "REFERENCE NORM"))
        ]
        if not candidates:
            problems.append(
                f"{where}: excerpt is not verbatim a (non-target) published_figures row"
            )
            continue
        value = float(r["value"])
        if r["status"] == "derived":  # an index stated as growth: value = 100 + growth
            matches = [p for p in candidates if stated_in(value - 100, p["value"])]
        else:
            factors = (1.0, 1000.0, 0.001) if "converted" in r["note"] else (1.0,)
            matches = [p for p in candidates if stated_in(value, p["value"], factors)]
        if not matches:
            problems.append(f"{where}: value {r['value']} is not the row's value")
            continue
        p = matches[0]
        if p["year"].startswith("n.d."):
            problems.append(f"{where}: undated row used")
        if p["year"].startswith("c.") and (r["year_approx"], r["status"]) != ("true", "estimate"):
            problems.append(f"{where}: a c.YYYY row must be year_approx true and status estimate")
        if re.match(r"\s*(~|около)", p["value"]) and r["status"] != "estimate":
            problems.append(f"{where}: an approximate value must have status estimate")
        if re.search(r"[<>]|\d\s*-\s*\d| of |;", p["value"]):
            problems.append(f"{where}: range, inequality or mixed value used")
        if "January-" in p["year"] and not re.search(r"_jan_[a-z]{3}$", r["indicator"]):
            problems.append(f"{where}: partial-year row under an annual indicator")
        source = next(s for s in read(PUBLISHED_DIR / "sources.csv") if s["code"] == r["source"])
        if source["address"] != p["source_address"]:
            problems.append(f"{where}: source address differs from the row's source_address")
    assert not problems, "\n".join(problems)


def test_target_values_are_in_their_excerpts_and_source_rows(seed_lines, published_rows):
    seed_text = "\n".join(seed_lines)
    # published_figures_2.csv marks its plans with an indicator ending in "_target"
    published_rows = published_rows + [
        {**p, "indicator": "TARGET: " + p["indicator"]}
        for p in (read(PUBLISHED_2_CSV) if PUBLISHED_2_CSV.is_file() else [])
        if p["indicator"].endswith("_target")
    ]
    problems = []
    for t in read(PROGRAMS_DIR / "targets.csv"):
        where = f"{t['program']} {t['indicator']} {t['target_year']}"
        value = float(t["value"])
        if not stated_in(value, t["excerpt"]):
            problems.append(f"{where}: value {t['value']} not in excerpt")
        if t["baseline_value"] and not stated_in(
            float(t["baseline_value"]), t["excerpt"] + " " + t["note"]
        ):
            problems.append(f"{where}: baseline {t['baseline_value']} not in excerpt or note")
        if t["source"].startswith("seed-"):
            if t["excerpt"] not in seed_text:
                problems.append(f"{where}: excerpt not verbatim in the seed thesis")
            continue
        rows = [
            p
            for p in published_rows
            if p["excerpt"] == t["excerpt"]
            and p["indicator"].startswith("TARGET")
            and stated_in(value, p["value"])
        ]
        if not rows:
            problems.append(
                f"{where}: no TARGET row of published_figures.csv with this excerpt and value"
            )
    assert not problems, "\n".join(problems)
