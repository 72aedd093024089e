"""The closing slide: thanks, the text, and a QR code of the live view or of its ``url``."""

from __future__ import annotations

from components.slide_figures import qr_svg
from components.slides import SlideModel, split_text, t


def fill(
    model: SlideModel, slide: dict, data: dict, deck: dict, lang: str, texts: dict, ctx: dict
) -> None:
    """Fill ``model`` in as a closing slide."""
    model.title = texts["title"] or t("pr.thanks", lang)
    model.paragraphs, model.bullets = split_text(texts["text"])
    url = (slide.get("params") or {}).get("url")
    if url and not url.startswith(("http://", "https://")):
        url = ctx["base"].rstrip("/") + "/" + url.lstrip("/")
    link = url or ctx["link"]
    if link:
        model.link = link
        model.qr_svg = qr_svg(link)
        model.figure_alt = t("pr.qr_alt", lang, url=link)
        model.subtitle = t("pr.scan_link" if url else "pr.scan", lang)
