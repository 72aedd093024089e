"""The text a reader sees in a rendered Dash layout, and the English words in it.

Used by the language tests: a kk or ru page may show English only in proper names and codes
(the allow-list below) and in curated text the page marks as English (``lang="en"``).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from html.parser import HTMLParser

# Props whose text is shown to the reader (or read out by a screen reader).
TEXT_PROPS = ("children", "placeholder", "title", "aria-label", "alt", "label")
# Code, and verbatim quotations (shown in their original language, as the pages say).
SKIP_TYPES = {"Code", "Pre", "Store", "Location", "Script", "Blockquote", "Q"}
# Figure parts with visible text.
FIGURE_TEXT_KEYS = {"text", "name", "ticktext", "title", "legendgrouptitle"}

# Proper names, codes, file formats and units that stay as they are in every language.
ALLOWED = {
    *"""api bibtex csv json xlsx excel png svg pdf html zip qr url utf bom kato sdg iso cc by sa nc
    geokz ocha hdx cod ab unhcr openstreetmap osm github r kaleido plotly dash sqlite postgresql
    kazinform qazinform inform zakon kz kapital lada inbusiness oreanda uzdaily qmonitor edie net
    centralasianlight halyqline tolqyn egemen qazaqstan qazaq times astana the kazpravda spik
    kzvesti kyzylorda news aqmeshit qarmaqshy tany primeminister wikipedia mirror uncensored wiki
    com org www http https stat gov old pad icr synas nas
    araltuz terbenbes shymkent ulytau abai zhetisu baikonur aral
    kk ru en id km ha mln bn tenge kzt usd gcal kwh
    english openapi geojson python eurasianet ecologist newtimes kazmab unesco mab""".split(),
}
_URL = re.compile(r"(https?://\S+|www\.\S+|\b[\w.-]+\.(kz|com|org|net|uz|ru)\b\S*|\S+@\S+)")
_NAMES = re.compile(r"Open SDG|COD-AB Kazakhstan|FDI_crowding_effects")  # names of projects
_WORD = re.compile(r"[A-Za-z]{2,}")
_MD_LINK = re.compile(r"\[([^\]]*)\]\([^)]*\)")
_CODE = re.compile(r"\b[a-z0-9]+(?:[-_][a-z0-9]+)+\b")  # source and indicator codes
_PLACEHOLDER = re.compile(r"\{\w+\}")


def _strings(value: object, page_lang: str | None = None) -> Iterator[str]:
    if isinstance(value, str):
        yield value
    elif isinstance(value, (list, tuple)):
        for v in value:
            yield from _strings(v, page_lang)
    elif isinstance(value, dict):
        if "type" in value and "props" in value:
            yield from visible_strings(value, page_lang)
        elif "label" in value:  # dropdown / radio option
            yield from _strings(value["label"], page_lang)
        else:
            for v in value.values():
                yield from _strings(v, page_lang)


def _figure_strings(fig: object, key: str | None = None) -> Iterator[str]:
    if isinstance(fig, dict):
        for k, v in fig.items():
            if k in ("customdata", "hovertemplate", "meta", "locations", "geojson", "ids"):
                continue
            yield from _figure_strings(v, k)
    elif isinstance(fig, list):
        for v in fig:
            yield from _figure_strings(v, key)
    elif isinstance(fig, str) and key in FIGURE_TEXT_KEYS:
        yield fig


def visible_strings(component: object, page_lang: str | None = None) -> Iterator[str]:
    """Every shown string of a component tree, leaving out what is marked as being in
    another language than ``page_lang`` (a quotation, a title, an untranslated note)."""
    if isinstance(component, (list, tuple)):
        for c in component:
            yield from visible_strings(c, page_lang)
        return
    if isinstance(component, str):
        yield component
        return
    if not isinstance(component, dict) or "props" not in component:
        return
    props = component.get("props") or {}
    marked = props.get("lang")
    if component.get("type") in SKIP_TYPES or props.get("hidden"):
        return
    if marked and (marked == "en" or (page_lang and marked != page_lang)):
        return
    for key in TEXT_PROPS:
        if key in props:
            yield from _strings(props[key], page_lang)
    for key in ("options", "labels"):
        if key in props:
            yield from _strings(props[key], page_lang)
    if component.get("type") == "Graph" and props.get("figure"):
        yield from _figure_strings(props["figure"])
    if component.get("type") == "DataTable":
        yield from _strings([c.get("name") for c in props.get("columns") or []])
        yield from _strings([list(r.values()) for r in props.get("data") or []])


def english_words(texts: Iterator[str] | list[str]) -> set[str]:
    """Latin-script words that are not proper names or codes (see :data:`ALLOWED`)."""
    found = set()
    for text in texts:
        text = _MD_LINK.sub(r"\1", text)  # a markdown link shows its text, not its address
        text = _NAMES.sub(" ", re.sub(r"<[^>]+>", " ", _URL.sub(" ", text)))
        text = _PLACEHOLDER.sub(" ", _CODE.sub(" ", text))
        for w in _WORD.findall(text):
            if w.lower() not in ALLOWED and not w.isupper():
                found.add(w)
    return found


class _HtmlText(HTMLParser):
    """Text of an HTML page outside <code>, <pre>, <style> and elements marked lang="en"."""

    SKIP = {"code", "pre", "style", "script"}

    def __init__(self) -> None:
        super().__init__()
        self.stack: list[bool] = []
        self.texts: list[str] = []

    def handle_starttag(self, tag: str, attrs: list) -> None:
        if tag in ("br", "meta", "link", "img", "input", "hr"):
            return
        skip = tag in self.SKIP or dict(attrs).get("lang") == "en"
        self.stack.append(skip or (bool(self.stack) and self.stack[-1]))

    def handle_endtag(self, tag: str) -> None:
        if self.stack and tag not in ("br", "meta", "link", "img", "input", "hr"):
            self.stack.pop()

    def handle_data(self, data: str) -> None:
        if not (self.stack and self.stack[-1]):
            self.texts.append(data)


def html_strings(page: str) -> list[str]:
    """The visible strings of an HTML page, as :func:`visible_strings` for Dash layouts."""
    parser = _HtmlText()
    parser.feed(page)
    return parser.texts
