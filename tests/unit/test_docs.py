"""Every setting and every CLI command is documented in the README."""

from __future__ import annotations

import pytest

import config
from etl import adapters
from etl.cli import COMMANDS
from tests.conftest import ROOT

README = (ROOT / "README.md").read_text(encoding="utf-8")


@pytest.mark.parametrize("setting", [s.name for s in config.SETTINGS])
def test_setting_is_in_readme(setting):
    assert f"`{setting}`" in README


@pytest.mark.parametrize("command", sorted(COMMANDS))
def test_cli_command_is_in_readme(command):
    assert f"python -m etl {command}" in README


@pytest.mark.parametrize("fmt", [m.FORMAT for m in adapters.adapters()])
def test_source_format_is_in_readme(fmt):
    assert f"`{fmt}`" in README


def test_readme_gives_the_two_commands():
    assert "make run" in README and "make test" in README


def test_settings_resolve_argument_over_environment_over_default(monkeypatch):
    monkeypatch.delenv("PORT", raising=False)
    assert config.get("PORT") == "8050"
    monkeypatch.setenv("PORT", "9000")
    assert config.get("PORT") == "9000"
    assert config.get("PORT", "9100") == "9100"


def _bench_options() -> list[str]:
    from bench.cli import parser

    return sorted(
        o
        for a in parser()._actions
        for o in a.option_strings
        if o.startswith("--") and o != "--help"
    )


@pytest.mark.parametrize("option", _bench_options())
def test_bench_option_is_in_readme(option):
    assert "python -m bench" in README
    assert f"`{option}" in README


def test_readme_documents_revisions_changes_and_their_parameters():
    from api import v1

    section = README[README.index("## Revisions and what changed") :]
    section = section[: section.index("\n## ", 4)]
    changes = next(e for e in v1.ENDPOINTS if e.path == "/changes")
    for p in changes.params:
        assert f"`{p.name}=" in section or f"`{p.name}`" in section, p.name
    assert "history=true" in section and "`revisions`" in section
    assert "| `/changes` |" in README and "changes?since=" in README
