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
from datetime import date

import pandas as pd

from components.i18n import (
    localized,
    publisher_name,
    register,
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

register(
    {
        "pr.slide_no": {"kk": "{n} / {total}", "ru": "{n} / {total}", "en": "{n} / {total}"},
        "pr.slide_label": {
            "kk": "{n}-слайд, барлығы {total}: {title}",
            "ru": "Слайд {n} из {total}: {title}",
            "en": "Slide {n} of {total}: {title}",
        },
        "pr.as_of": {
            "kk": "Деректер {date} жағдай бойынша",
            "ru": "Данные на {date}",
            "en": "Data as of {date}",
        },
        "pr.frozen": {
            "kk": "Бекітілген деректер",
            "ru": "Зафиксированные данные",
            "en": "Frozen figures",
        },
        "pr.latest": {
            "kk": "Соңғы мән ({year})",
            "ru": "Последнее значение ({year})",
            "en": "Latest value ({year})",
        },
        "pr.target": {
            "kk": "{year} жылға мақсат",
            "ru": "Цель на {year} год",
            "en": "Target for {year}",
        },
        "pr.pace_needed": {"kk": "Қажетті қарқын", "ru": "Необходимый темп", "en": "Pace needed"},
        "pr.other_targets": {"kk": "Басқа мақсаттар", "ru": "Другие цели", "en": "Other targets"},
        "pr.no_targets": {
            "kk": "Бұл көрсеткіш пен аумақ үшін мақсаттар жоқ.",
            "ru": "Для этого показателя и территории целей нет.",
            "en": "There are no targets for this indicator and area.",
        },
        "pr.no_value": {"kk": "Мән жоқ", "ru": "Нет значения", "en": "No value"},
        "pr.heading": {
            "kk": "{indicator}: {area}",
            "ru": "{indicator}: {area}",
            "en": "{indicator}: {area}",
        },
        "pr.map_caption_district": {
            "kk": "{indicator}, {year}: {parent} аудандары мен қалалары",
            "ru": "{indicator}, {year}: районы и города — {parent}",
            "en": "{indicator}, {year}: districts and cities of {parent}",
        },
        "pr.map_caption_oblast": {
            "kk": "{indicator}, {year}: облыстар мен республикалық маңызы бар қалалар",
            "ru": "{indicator}, {year}: области и города республиканского значения",
            "en": "{indicator}, {year}: oblasts and cities of republican significance",
        },
        "pr.ranking": {"kk": "Орындар, {year}", "ru": "Места, {year}", "en": "Ranking, {year}"},
        "pr.compare_caption": {
            "kk": "{indicator}, {year}, {unit}",
            "ru": "{indicator}, {year}, {unit}",
            "en": "{indicator}, {year}, {unit}",
        },
        "pr.no_boundaries": {
            "kk": "Шекаралар орнатылмаған: картаны салу мүмкін емес.",
            "ru": "Границы не установлены: карту построить нельзя.",
            "en": "Boundaries are not installed: the map cannot be drawn.",
        },
        "pr.error": {
            "kk": "Бұл слайдтың деректерін оқу мүмкін болмады.",
            "ru": "Не удалось прочитать данные этого слайда.",
            "en": "The data of this slide could not be read.",
        },
        "pr.thanks": {
            "kk": "Назарларыңызға рақмет",
            "ru": "Спасибо за внимание",
            "en": "Thank you",
        },
        "pr.scan": {
            "kk": "Презентацияны телефоннан ашу үшін сканерлеңіз",
            "ru": "Отсканируйте, чтобы открыть презентацию на телефоне",
            "en": "Scan to open this presentation on your phone",
        },
        "pr.scan_link": {
            "kk": "Сілтемені ашу үшін сканерлеңіз",
            "ru": "Отсканируйте, чтобы открыть ссылку",
            "en": "Scan to open the link",
        },
        "pr.qr_alt": {"kk": "QR-код: {url}", "ru": "QR-код: {url}", "en": "QR code: {url}"},
        "pr.more_sources": {"kk": "тағы {n}", "ru": "ещё {n}", "en": "{n} more"},
        "pr.chart_alt": {"kk": "График: {title}", "ru": "График: {title}", "en": "Chart: {title}"},
        "pr.map_alt": {"kk": "Карта: {title}", "ru": "Карта: {title}", "en": "Map: {title}"},
        # the page's controls, help and presenter view
        "pr.prev": {"kk": "Алдыңғы слайд", "ru": "Предыдущий слайд", "en": "Previous slide"},
        "pr.next": {"kk": "Келесі слайд", "ru": "Следующий слайд", "en": "Next slide"},
        "pr.fullscreen": {"kk": "Толық экран", "ru": "Полный экран", "en": "Full screen"},
        "pr.presenter": {
            "kk": "Баяндамашы көрінісі",
            "ru": "Режим докладчика",
            "en": "Presenter view",
        },
        "pr.help": {"kk": "Пернелер", "ru": "Клавиши", "en": "Keys"},
        "pr.close": {"kk": "Жабу", "ru": "Закрыть", "en": "Close"},
        "pr.key_next": {
            "kk": "→, PageDown, бос орын: келесі слайд",
            "ru": "→, PageDown, пробел: следующий слайд",
            "en": "→, PageDown, Space: next slide",
        },
        "pr.key_prev": {
            "kk": "←, PageUp: алдыңғы слайд",
            "ru": "←, PageUp: предыдущий слайд",
            "en": "←, PageUp: previous slide",
        },
        "pr.key_ends": {
            "kk": "Home / End: бірінші / соңғы слайд",
            "ru": "Home / End: первый / последний слайд",
            "en": "Home / End: first / last slide",
        },
        "pr.key_full": {
            "kk": "F: толық экран, Esc: шығу",
            "ru": "F: полный экран, Esc: выход",
            "en": "F: full screen, Esc: leave it",
        },
        "pr.key_presenter": {
            "kk": "S: баяндамашы көрінісі (екінші терезе)",
            "ru": "S: режим докладчика (второе окно)",
            "en": "S: presenter view (a second window)",
        },
        "pr.key_black": {"kk": "B: қара экран", "ru": "B: чёрный экран", "en": "B: black screen"},
        "pr.key_help": {"kk": "?: осы анықтама", "ru": "?: эта справка", "en": "?: this help"},
        "pr.current": {"kk": "Қазіргі слайд", "ru": "Текущий слайд", "en": "Current slide"},
        "pr.upcoming": {"kk": "Келесі слайд", "ru": "Следующий слайд", "en": "Next slide"},
        "pr.notes": {
            "kk": "Баяндамашының жазбалары",
            "ru": "Заметки докладчика",
            "en": "Speaker notes",
        },
        "pr.no_notes": {
            "kk": "Бұл слайдта жазба жоқ.",
            "ru": "К этому слайду заметок нет.",
            "en": "No notes for this slide.",
        },
        "pr.end": {
            "kk": "Презентацияның соңы",
            "ru": "Конец презентации",
            "en": "End of the presentation",
        },
        "pr.timer": {"kk": "Уақыт", "ru": "Время", "en": "Time"},
        "pr.pause": {"kk": "Кідірту", "ru": "Пауза", "en": "Pause"},
        "pr.resume": {"kk": "Жалғастыру", "ru": "Продолжить", "en": "Resume"},
        "pr.reset": {"kk": "Нөлдеу", "ru": "Сбросить", "en": "Reset"},
        "pr.clock": {"kk": "Сағат", "ru": "Часы", "en": "Clock"},
    }
)

_MONTHS_GEN = {
    "kk": [
        "қаңтар",
        "ақпан",
        "наурыз",
        "сәуір",
        "мамыр",
        "маусым",
        "шілде",
        "тамыз",
        "қыркүйек",
        "қазан",
        "қараша",
        "желтоқсан",
    ],
    "ru": [
        "января",
        "февраля",
        "марта",
        "апреля",
        "мая",
        "июня",
        "июля",
        "августа",
        "сентября",
        "октября",
        "ноября",
        "декабря",
    ],
    "en": [
        "January",
        "February",
        "March",
        "April",
        "May",
        "June",
        "July",
        "August",
        "September",
        "October",
        "November",
        "December",
    ],
}


def fmt_date(d: date, lang: str) -> str:
    """'2025 жылғы 14 наурыз' (kk), '14 марта 2025 г.' (ru), '14 March 2025' (en)."""
    month = _MONTHS_GEN.get(lang, _MONTHS_GEN["en"])[d.month - 1]
    if lang == "kk":
        return f"{d.year} жылғы {d.day} {month}"
    if lang == "ru":
        return f"{d.day} {month} {d.year} г."
    return f"{d.day} {month} {d.year}"


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
