"""The indicators an area's Overview and its report open with, in this order: for Aral
district the four the dashboard exists for (issue 14)."""

from __future__ import annotations

HEADLINES: dict[str, tuple[str, ...]] = {
    "433200000": (
        "industrial_output",
        "fish_fingerlings_released",
        "salt_extraction",
        "protected_area_share",
    ),
}
