"""The layers import one way: sources -> etl -> database -> store -> views -> pages/api.

``components/`` are pure pieces taking DataFrames: they never query. ``views/`` is the one glue
layer (params -> data -> figure) that reads the store for pages, downloads, embeds, reports and
decks. Each module is parsed with :mod:`ast`, so lazy imports inside functions count too.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]

# package -> top-level packages it must never import
FORBIDDEN = {
    "components": {"store", "views", "pages", "api", "sqlalchemy", "etl"},
    "views": {"pages", "api"},
    "store": {"views", "components", "pages", "api"},
}
# Known exceptions, to be removed: views/ still borrows the export metadata, the citation and
# the image renderer from api.export_* (ChartData, citation, bibtex, figure_image), which are
# glue themselves and belong in views/. (module, imported name) -> no new ones may appear.
PENDING = {
    ("views/report.py", "api.export_images.figure_image"),
    ("views/share.py", "api.export_chart"),
    ("views/share.py", "api.export_citation.bibtex"),
    ("views/share.py", "api.export_citation.citation"),
}


def imports(path: Path) -> set[tuple[int, str]]:
    """(line, dotted name) of every absolute import in the module at ``path``: the module
    for ``import a.b``, each ``a.b.name`` for ``from a.b import name``."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    found: set[tuple[int, str]] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.update((node.lineno, alias.name) for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            found.update((node.lineno, f"{node.module}.{alias.name}") for alias in node.names)
    return found


def violations(package: str) -> list[str]:
    """Every import in ``package`` of a package its layer must not reach."""
    modules = sorted((ROOT / package).rglob("*.py"))
    assert modules, f"no modules under {package}/"
    return [
        f"{path.relative_to(ROOT)}:{line} imports {name}"
        for path in modules
        for line, name in sorted(imports(path))
        if name.split(".")[0] in FORBIDDEN[package]
        and (path.relative_to(ROOT).as_posix(), name) not in PENDING
    ]


@pytest.mark.parametrize("package", sorted(FORBIDDEN))
def test_layer_imports_only_downwards(package):
    assert violations(package) == []


def test_the_check_sees_lazy_imports(tmp_path):
    module = tmp_path / "m.py"
    module.write_text("import os\n\ndef f():\n    from store import queries\n    import api.v1\n")
    assert {name for _, name in imports(module)} == {"os", "store.queries", "api.v1"}


# Modules split along their seams (issue 12): the REST API (v1*.py), the exports
# (export*.py) and the slide decks (present*.py). None of them may grow back past the limit.
MAX_LINES = 450
SPLIT = ("api/v1", "api/export", "api/present")


def long_modules(folder: Path, limit: int = MAX_LINES) -> dict[str, int]:
    """{path relative to the project: lines} of every module under ``folder`` longer than
    ``limit`` lines."""
    lines = {
        path.relative_to(ROOT).as_posix() if path.is_relative_to(ROOT) else str(path): len(
            path.read_text(encoding="utf-8").splitlines()
        )
        for path in sorted(folder.rglob("*.py"))
    }
    return {path: n for path, n in lines.items() if n > limit}


def test_split_api_modules_stay_short():
    long = long_modules(ROOT / "api")
    grown = {path: n for path, n in long.items() if path.startswith(SPLIT)}
    assert not grown, f"split modules over {MAX_LINES} lines: {grown} (all long ones: {long})"
    assert (ROOT / "api" / "v1.py").is_file() and (ROOT / "api" / "exports.py").is_file()


def test_the_length_check_sees_a_long_module(tmp_path):
    (tmp_path / "short.py").write_text("x = 1\n" * MAX_LINES)
    (tmp_path / "long.py").write_text("x = 1\n" * (MAX_LINES + 1))
    assert long_modules(tmp_path) == {str(tmp_path / "long.py"): MAX_LINES + 1}
