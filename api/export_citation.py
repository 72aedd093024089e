"""How to cite an export: a reference in the export's language (GOST R 7.0.100 in
Russian and Kazakh, author-date in English) and a BibTeX entry."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from api.exports import PROJECT
from components.i18n import publisher_name, t


def as_date(value: dt.date | dt.datetime | str) -> dt.date:
    """A date, datetime or ISO string as a date."""
    if isinstance(value, str):
        return dt.datetime.fromisoformat(value).date()
    return value.date() if isinstance(value, dt.datetime) else value


def publishers(meta: dict[str, Any], lang: str, limit: int = 3) -> str:
    """The sources' publishers (up to the first parenthesis), official statistics first;
    past ``limit``, "and others"."""
    tiers = {"A": 0, "B": 1, "C": 2, "S": 3}
    ranked = sorted(meta.get("sources", []), key=lambda s: tiers.get(s.get("tier"), 9))
    names = [publisher_name(s.get("publisher") or s.get("title") or s["code"]) for s in ranked]
    names = list(dict.fromkeys(n for n in names if n))
    if len(names) > limit:
        names = [*names[:limit], t("dl.and_others", lang)]
    return "; ".join(names)


def citation(
    meta: dict[str, Any], lang: str, url: str | None, accessed: dt.date | dt.datetime | str
) -> str:
    """A reference to the exported view: title, publisher, year, sources, URL, access date.

    Russian and Kazakh follow GOST R 7.0.100 ("[Электронный ресурс] … URL: … (дата
    обращения: 26.11.2025)"); English an author-date style with an ISO date.
    """
    day = as_date(accessed)
    url = url or meta.get("url")
    return t(
        "dl.cite",
        lang,
        title=meta["title"],
        publisher=t("app.title", lang),
        year=day.year,
        sources=publishers(meta, lang).rstrip(".") or "–",
        url=f" — URL: {url}" if url and lang != "en" else (f" {url}" if url else ""),
        accessed=day.isoformat() if lang == "en" else day.strftime("%d.%m.%Y"),
    )


_BIB_SPECIAL = {
    "\\": r"\textbackslash{}",
    "{": r"\{",
    "}": r"\}",
    "&": r"\&",
    "%": r"\%",
    "$": r"\$",
    "#": r"\#",
    "_": r"\_",
    "~": r"\textasciitilde{}",
    "^": r"\textasciicircum{}",
}
_BIB_LANG = {"kk": "kazakh", "ru": "russian", "en": "english"}


def _bib(text: str) -> str:
    text = "".join(_BIB_SPECIAL.get(c, c) for c in text)
    return text.replace("–", "--").replace("—", "---")


def bibtex(
    meta: dict[str, Any], lang: str, url: str | None, accessed: dt.date | dt.datetime | str
) -> str:
    """A BibTeX ``@misc`` entry for the exported view (biblatex reads url and urldate;
    classic styles the howpublished and note fields)."""
    day = as_date(accessed)
    url = url or meta.get("url")
    publisher = _bib(t("app.title", lang))
    sources = publishers(meta, "en")
    note = (
        f"Data sources: {sources.rstrip('.')}. Data version {meta.get('data_version', '?')}."
        if sources
        else f"Data version {meta.get('data_version', '?')}."
    )
    code = (meta.get("indicator") or {}).get("code") or "data"
    key = re.sub(r"[^a-z0-9_]+", "_", f"{PROJECT}_{code}_{day.year}")
    fields = [
        ("title", "{" + _bib(meta["title"]) + "}"),
        ("author", "{" + publisher + "}"),
        ("organization", publisher),
        ("year", str(day.year)),
    ]
    if url:
        fields += [("url", url), ("howpublished", r"\url{" + url + "}")]
    fields += [
        ("urldate", day.isoformat()),
        ("note", _bib(note)),
        ("language", _BIB_LANG.get(lang, "english")),
    ]
    body = ",\n".join(f"  {name} = {{{value}}}" for name, value in fields)
    return f"@misc{{{key},\n{body}\n}}\n"
