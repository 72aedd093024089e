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
