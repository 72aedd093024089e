"""No module of the application is longer than :data:`MAX_LINES` lines (issue 12, "rooms of one
purpose"): a longer one mixes concerns and is split along its seams, so that a newcomer can
tell from a file's name what it holds.

:data:`LONG_MODULES` lists the modules still waiting to be split. Whoever splits one removes
it from the list (the test says when a listed module has become short); nothing is added to
it without a reason written beside it.
"""

from __future__ import annotations

from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
MAX_LINES = 450
# Folders that hold no application modules: tests (long test files are fine), environments,
# data and build output.
SKIP = {"tests", "data", "node_modules", "build", "dist"}

# module (relative to the project) -> why it may still be longer than MAX_LINES
LONG_MODULES: dict[str, str] = {
    "api/security.py": "web safety: headers, CSRF, limits; not split yet",
    "components/figures.py": "figure builders per chart kind; not split yet",
    "etl/adapters/bns_district_workbook.py": "the district workbook's layouts; not split yet",
    "etl/adapters/bns_employment.py": "employment tables; not split yet",
    "etl/adapters/bns_table.py": "the Bureau's table reader and its topic blocks; not split yet",
    "etl/adapters/curated.py": "the curated CSV adapter; not split yet",
    "etl/adapters/opensdg.py": "the Open SDG adapter; not split yet",
    "etl/cli.py": "the ETL command line; not split yet",
    "etl/validate.py": "the validation rules; not split yet",
    "pages/about.py": "not split yet",
    "pages/explore.py": "layout apart from callbacks: not split yet",
    "pages/map.py": "layout apart from callbacks: not split yet",
    "pages/programs.py": "not split yet",
    "store/accounts.py": "accounts, audit log and submissions: to split per table",
    "store/queries.py": "every read query of the app: to split per subject",
    "views/charts.py": "params -> data -> figure for every chart kind: not split yet",
}


def modules(root: Path = ROOT) -> list[Path]:
    """Every .py file under ``root``, outside hidden folders and :data:`SKIP`."""
    return sorted(
        path
        for path in root.rglob("*.py")
        if not any(
            part.startswith(".") or part in SKIP or part.endswith(".egg-info")
            for part in path.relative_to(root).parts[:-1]
        )
    )


def lengths(root: Path = ROOT) -> dict[str, int]:
    """{module relative to ``root``: its number of lines}."""
    return {
        path.relative_to(root).as_posix(): len(path.read_text(encoding="utf-8").splitlines())
        for path in modules(root)
    }


def too_long(sizes: dict[str, int], allowed: dict[str, str]) -> dict[str, int]:
    """The modules over :data:`MAX_LINES` lines that ``allowed`` does not list."""
    return {m: n for m, n in sizes.items() if n > MAX_LINES and m not in allowed}


def stale(sizes: dict[str, int], allowed: dict[str, str]) -> dict[str, int | None]:
    """The modules ``allowed`` lists that are gone (None) or no longer too long."""
    return {m: sizes.get(m) for m in allowed if sizes.get(m, 0) <= MAX_LINES}


def test_no_module_is_longer_than_the_limit():
    long = too_long(lengths(), LONG_MODULES)
    assert not long, (
        f"modules over {MAX_LINES} lines: {long}; split them along their seams "
        "(or, with a reason, list them in LONG_MODULES)"
    )


def test_every_listed_long_module_is_still_long():
    assert not stale(lengths(), LONG_MODULES), (
        f"these modules are gone or now at most {MAX_LINES} lines: remove them from LONG_MODULES"
    )


def test_the_modules_split_for_decks_are_checked():
    sizes = lengths()
    for module in (
        "store/decks.py",
        "pages/decks.py",
        "components/slides.py",
        "components/share.py",
    ):
        assert module in sizes and module not in LONG_MODULES


def test_the_check_finds_a_long_module_and_skips_tests(tmp_path):
    (tmp_path / "pkg").mkdir()
    (tmp_path / "tests").mkdir()
    (tmp_path / ".venv").mkdir()
    (tmp_path / "pkg" / "short.py").write_text("x = 1\n" * MAX_LINES)
    (tmp_path / "pkg" / "long.py").write_text("x = 1\n" * (MAX_LINES + 1))
    (tmp_path / "tests" / "test_long.py").write_text("x = 1\n" * 1000)
    (tmp_path / ".venv" / "lib.py").write_text("x = 1\n" * 1000)
    sizes = lengths(tmp_path)
    assert sizes == {"pkg/long.py": MAX_LINES + 1, "pkg/short.py": MAX_LINES}
    assert too_long(sizes, {}) == {"pkg/long.py": MAX_LINES + 1}
    assert too_long(sizes, {"pkg/long.py": "reason"}) == {}
    assert stale(sizes, {"pkg/long.py": "r", "pkg/short.py": "r", "pkg/gone.py": "r"}) == {
        "pkg/short.py": MAX_LINES,
        "pkg/gone.py": None,
    }
