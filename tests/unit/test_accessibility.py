"""Colour contrast (WCAG 2 AA: 4.5:1 for text) of the stylesheet's text/background pairs,
and colour-blind-safe status marks that do not rely on colour alone."""

from __future__ import annotations

import re

import pytest

from components import status as st
from tests.conftest import ROOT

CSS = (ROOT / "assets" / "style.css").read_text(encoding="utf-8")
VARS = dict(re.findall(r"--([\w-]+):\s*(#[0-9a-fA-F]{6})", CSS))


def luminance(hex_colour: str) -> float:
    channels = [int(hex_colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
    linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast(a: str, b: str) -> float:
    la, lb = sorted((luminance(a), luminance(b)), reverse=True)
    return (la + 0.05) / (lb + 0.05)


def rule_colour(selector: str) -> str:
    block = re.search(re.escape(selector) + r"\s*\{([^}]*)\}", CSS).group(1)
    return re.search(r"(?<!-)color:\s*(#[0-9a-fA-F]{6})", block).group(1)


@pytest.mark.parametrize(
    ("fg", "bg"),
    [
        ("ink", "paper"),
        ("muted", "paper"),
        ("muted", "soft"),
        ("ink", "soft"),
        ("accent", "paper"),
        ("accent-ink", "accent"),
        ("accent", "soft"),
    ],
)
def test_variable_pairs_meet_aa(fg, bg):
    assert contrast(VARS[fg], VARS[bg]) >= 4.5


@pytest.mark.parametrize("status", ["achieved", "on_track", "off_track", "insufficient"])
def test_status_text_meets_aa_on_white(status):
    assert contrast(rule_colour(f".status-{status}"), "#ffffff") >= 4.5


def test_status_has_a_shape_as_well_as_a_colour():
    symbols = [st.SYMBOLS[s] for s in st.STATUSES]
    assert len(set(symbols)) == len(symbols) and all(symbols)


def test_contrast_function_on_known_values():
    assert contrast("#000000", "#ffffff") == pytest.approx(21.0)
    assert contrast("#777777", "#ffffff") == pytest.approx(4.48, abs=0.01)
