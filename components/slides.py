"""Slides for public hearings: the slide model, its words and dates, and the texts and data
every slide kind reads. No database.

A slide (as :mod:`store.decks` returns it) and its data (live from the store, or from a
frozen deck's snapshot, see :mod:`store.slide_data`) become a :class:`SlideModel`: the
title, the facts, the figure (Plotly JSON), the sources line, the speaker notes and, for a
frozen deck, its "data as of" date. The rooms:

- :mod:`components.slide_kinds`: :func:`~components.slide_kinds.build`, one module per kind;
- :mod:`components.slide_figures`: figures restyled for a projector, bars, QR codes;
- :mod:`components.slide_html`: the models as the HTML document of /present and its export.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd

from components.i18n import (
    localized,
    publisher_name,
    t,
)

OBS_COLUMNS = [
    "area",
    "year",
    "series",
    "value",
    "status",
    "year_approx",
    "source",
    "other_sources",
]
MAX_SOURCES = 4


@dataclass
class Fact:
    """One large figure on a slide: its label, value, a note under it, a status key."""

    label: str
    value: str
    note: str = ""
    status: str | None = None


@dataclass
class SlideModel:
    """Everything a slide shows, in one language, ready to render."""

    kind: str
    title: str
    subtitle: str = ""
    facts: list[Fact] = field(default_factory=list)
    paragraphs: list[str] = field(default_factory=list)
    bullets: list[str] = field(default_factory=list)
    figure: dict | None = None
    figure_alt: str = ""
    ranking: list[tuple[str, str, str, bool]] = field(default_factory=list)
    ranking_title: str = ""
    sources: list[str] = field(default_factory=list)
    notes: str = ""
    as_of: str | None = None
    message: str | None = None
    qr_svg: str | None = None
    link: str | None = None


# --- texts -------------------------------------------------------------------------------


def slide_texts(slide: dict, lang: str) -> dict[str, str]:
    """The slide's title, text and notes in ``lang``: its translation if it has one."""
    tr = (slide.get("translations") or {}).get(lang) or {}
    return {f: tr.get(f) or slide.get(f) or "" for f in ("title", "text", "notes")}


def deck_title(deck: dict, lang: str) -> str:
    """The deck's title in ``lang``: its translation if it has one."""
    return ((deck.get("translations") or {}).get(lang) or {}).get("title") or deck["title"]


def area_name(data: dict, kato: str | None, lang: str) -> str:
    """The name of the area ``kato`` in ``lang`` from the slide's data (its code if unknown)."""
    info = (data.get("areas") or {}).get(kato or "")
    return info[lang] if info else (kato or "")


def split_text(text: str) -> tuple[list[str], list[str]]:
    """Paragraphs (blank-line separated) and bullets (lines starting '- ', '• ' or '* ')."""
    paragraphs, bullets = [], []
    for block in text.replace("\r\n", "\n").split("\n\n"):
        lines = [ln.strip() for ln in block.split("\n") if ln.strip()]
        rest = []
        for ln in lines:
            if ln[:2] in ("- ", "• ", "* "):
                bullets.append(ln[2:].strip())
            else:
                rest.append(ln)
        if rest:
            paragraphs.append(" ".join(rest))
    return paragraphs, bullets


def short_source(info: dict, limit: int = 90, lang: str = "en") -> str:
    """'Publisher — title' (the publisher in ``lang``), cut at a word to about ``limit``."""
    publisher = publisher_name(localized(info, "publisher", lang))
    title = (info.get("title") or "").strip()
    text = (
        f"{publisher} — {title}"
        if publisher and title and publisher not in title
        else (title or publisher)
    )
    return text if len(text) <= limit else text[:limit].rsplit(" ", 1)[0].rstrip(",;:—") + "…"


def sources_line(data: dict, codes: list[str], lang: str) -> list[str]:
    """The sources of ``codes``, shortened, at most :data:`MAX_SOURCES` and how many more."""
    info = data.get("sources") or {}
    codes = [c for c in dict.fromkeys(codes) if isinstance(c, str)]
    out = [short_source(info.get(c) or {"title": c}, lang=lang) for c in codes[:MAX_SOURCES]]
    if len(codes) > MAX_SOURCES:
        out.append(t("pr.more_sources", lang, n=len(codes) - MAX_SOURCES))
    return out


def obs_frame(data: dict, key: str = "observations") -> pd.DataFrame:
    """The slide data's observations (or ``key``) as a typed DataFrame."""
    df = pd.DataFrame(data.get(key) or [], columns=OBS_COLUMNS)
    df["series"] = df["series"].fillna("")
    df["year_approx"] = df["year_approx"].fillna(False).astype(bool)
    df["value"] = df["value"].astype(float)
    if len(df):
        df["year"] = df["year"].astype(int)
    return df


def targets_frame(data: dict) -> pd.DataFrame:
    """The slide data's targets as a typed DataFrame."""
    cols = [
        "program",
        "area",
        "target_year",
        "comparator",
        "value",
        "baseline_year",
        "baseline_value",
        "source",
        "program_kk",
        "program_ru",
        "program_en",
        "set_for",
        "legal_ref",
        "legal_ref_kk",
        "legal_ref_ru",
        "source_publisher",
        "source_publisher_kk",
        "source_publisher_ru",
    ]
    df = pd.DataFrame(data.get("targets") or [], columns=cols)
    if len(df):
        df["target_year"] = df["target_year"].astype(int)
        df["value"] = df["value"].astype(float)
    return df


def auto_title(meta: dict, areas: list[str], data: dict, lang: str) -> str:
    """'<indicator>: <areas>', the title of a data slide that has none of its own."""
    return t(
        "pr.heading",
        lang,
        indicator=meta[f"name_{lang}"],
        area=", ".join(area_name(data, a, lang) for a in areas),
    )
