"""A slide of text: paragraphs and bullets."""

from __future__ import annotations

from components.slides import SlideModel, split_text


def fill(
    model: SlideModel, slide: dict, data: dict, deck: dict, lang: str, texts: dict, ctx: dict
) -> None:
    """Fill ``model`` in as a text slide."""
    model.paragraphs, model.bullets = split_text(texts["text"])
