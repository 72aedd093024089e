"""Decks (/decks): the slide decks shown at /present — list, create, edit, freeze, delete.

``/decks?deck=SLUG&lang=`` opens a deck in the editor: its slides in order (kind, title,
what they show), each with its title, text and speaker notes editable inline, buttons to
move it up or down and to delete it (after a confirmation); title and text slides can be
added; the deck can be renamed, given another language, frozen "as of" a date, unfrozen or
deleted. Charts, maps and overview cards come in through "Add to deck"
(:mod:`views.share`).

Texts are edited in the page's language: in the deck's own fields when that is the deck's
language (and the slide has no translation into it), otherwise as the slide's translation
into the page's language, which is what /present shows in that language.

Every action is one callback (:func:`act`) that calls :mod:`store.decks` (the deck
database is writable by design) and re-renders the page body from the store; a store
error becomes a message in the page's language, never a traceback.

With DECKS_READONLY on, the page says why decks cannot be changed here and shows the decks,
their slides and their present and export links, with no editing controls.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from datetime import date
from typing import NamedTuple
from urllib.parse import urlencode

import dash
import flask
from dash import ALL, Input, Output, State, clientside_callback, dcc, html
from dash.exceptions import PreventUpdate

import config
from components import urlstate
from components.i18n import LANG_NAMES, LANGS, page_title, register, request_lang, t
from components.slides import deck_title, fmt_date, slide_texts
from components.urlstate import query_string, url_sync
from store import deck_access, deck_freeze, deck_kinds, deck_slides, decks, queries
from views import changes

log = logging.getLogger(__name__)

dash.register_page(__name__, path="/decks", name="decks", title=page_title("dk.heading"))

PREFIX = "decks"
urlstate.register(PREFIX)  # at import, so the URL sync exists before the first request
TEXT_KINDS = ("title", "text", "closing")  # the kinds whose slide shows its text
SLIDE_FIELDS = ("title", "text", "notes")

register(
    {
        "dk.heading": {"kk": "Презентациялар", "ru": "Презентации", "en": "Presentations"},
        "dk.intro": {
            "kk": "Қоғамдық тыңдауларға арналған слайдтар. Презентацияны таңдап, слайдтарын "
            "өңдеңіз, ретін өзгертіңіз және деректерін бекітіңіз. Графиктер, карталар мен "
            "карточкалар «Презентацияға қосу» батырмасымен қосылады.",
            "ru": "Слайды для общественных слушаний. Выберите презентацию, чтобы править слайды, "
            "менять их порядок и фиксировать данные. Графики, карты и карточки добавляются "
            "кнопкой «Добавить в презентацию».",
            "en": "Slides for public hearings. Choose a deck to edit its slides, change their "
            "order and freeze its figures. Charts, maps and cards are added with "
            "“Add to deck”.",
        },
        "dk.no_public_url": {
            "kk": "PUBLIC_BASE_URL орнатылмаған: қорытынды слайдтағы QR-код осы сервердің "
            "мекенжайына ({here}) апарады, оны тыңдаушылар аша алмауы мүмкін. Тыңдаудан бұрын "
            "PUBLIC_BASE_URL айнымалысына дашбордтың жалпыға ашық мекенжайын жазыңыз.",
            "ru": "PUBLIC_BASE_URL не задан: QR-код на заключительном слайде ведёт на адрес "
            "этого сервера ({here}), который слушатели, скорее всего, не откроют. Перед "
            "слушаниями укажите в PUBLIC_BASE_URL публичный адрес дашборда.",
            "en": "PUBLIC_BASE_URL is not set: the QR code on the closing slide points to this "
            "server's address ({here}), which the audience probably cannot open. Set "
            "PUBLIC_BASE_URL to the dashboard's public address before a hearing.",
        },
        "dk.locked": {
            "kk": "Презентацияларды тек сервердің өз компьютерінен немесе қол жеткізу кілтімен "
            "(DECKS_WRITE_TOKEN, /present/unlock) өзгертуге болады. Мұнда оларды көрсетуге "
            "және HTML немесе PDF ретінде экспорттауға болады.",
            "ru": "Презентации можно изменять только с компьютера, на котором работает сервер, "
            "или с ключом доступа (DECKS_WRITE_TOKEN, /present/unlock). Здесь их можно "
            "показывать и экспортировать в HTML или PDF.",
            "en": "Decks can be changed only on the server's own machine or with the access "
            "token (DECKS_WRITE_TOKEN, /present/unlock). Here you can present them and export "
            "them as HTML or PDF.",
        },
        "dk.sign_in": {
            "kk": "Презентацияларды өңдеу үшін редактор ретінде кіріңіз (/login). Мұнда оларды "
            "көрсетуге және HTML немесе PDF ретінде экспорттауға болады.",
            "ru": "Чтобы изменять презентации, войдите как редактор (/login). Здесь их можно "
            "показывать и экспортировать в HTML или PDF.",
            "en": "Sign in as an editor to change decks (/login). Here you can present them "
            "and export them as HTML or PDF.",
        },
        "dk.readonly": {
            "kk": "Бұл серверде презентацияларды өзгертуге болмайды: ол баршаға ашық, сондықтан "
            "өңдеу өшірілген (DECKS_READONLY). Презентацияларды көрсетуге және HTML немесе "
            "PDF ретінде экспорттауға болады. Презентацияны өңдеу үшін бағдарламаны өз "
            "компьютеріңізде іске қосып, экспортталған файлды әкеліңіз немесе қолжетімділігі "
            "шектелген серверді пайдаланыңыз.",
            "ru": "На этом сервере презентации нельзя изменять: он открыт для всех, поэтому "
            "редактирование отключено (DECKS_READONLY). Презентации можно показывать и "
            "экспортировать в HTML или PDF. Чтобы изменить презентацию, запустите приложение "
            "на своём компьютере и принесите экспортированный файл или используйте сервер "
            "с ограниченным доступом.",
            "en": "Decks cannot be changed on this server: it is public, so editing is switched "
            "off (DECKS_READONLY). You can present the decks and export them as HTML or PDF. "
            "To edit a deck, run the dashboard on your own computer and bring the exported "
            "file, or use a server behind access control.",
        },
        "dk.list": {"kk": "Барлық презентациялар", "ru": "Все презентации", "en": "All decks"},
        "dk.no_decks": {
            "kk": "Презентациялар әлі жоқ.",
            "ru": "Презентаций пока нет.",
            "en": "There are no decks yet.",
        },
        "dk.col_title": {"kk": "Атауы", "ru": "Название", "en": "Title"},
        "dk.col_lang": {"kk": "Тілі", "ru": "Язык", "en": "Language"},
        "dk.col_slides": {"kk": "Слайдтар", "ru": "Слайдов", "en": "Slides"},
        "dk.col_data": {"kk": "Деректер", "ru": "Данные", "en": "Data"},
        "dk.col_links": {
            "kk": "Көрсету және экспорт",
            "ru": "Показ и экспорт",
            "en": "Show and export",
        },
        "dk.editing": {"kk": "(өңделуде)", "ru": "(редактируется)", "en": "(editing)"},
        "dk.live": {"kk": "Ағымдағы деректер", "ru": "Текущие данные", "en": "Live data"},
        "dk.frozen_as_of": {
            "kk": "{date} жағдай бойынша бекітілген",
            "ru": "Зафиксированы на {date}",
            "en": "Frozen as of {date}",
        },
        "dk.present": {"kk": "Көрсету", "ru": "Показать", "en": "Present"},
        "dk.presenter": {
            "kk": "Баяндамашы көрінісі",
            "ru": "Режим докладчика",
            "en": "Presenter view",
        },
        "dk.export_html": {"kk": "HTML экспорты", "ru": "Экспорт HTML", "en": "Export HTML"},
        "dk.export_pdf": {"kk": "PDF экспорты", "ru": "Экспорт PDF", "en": "Export PDF"},
        "dk.create": {"kk": "Жаңа презентация", "ru": "Новая презентация", "en": "New deck"},
        "dk.title_label": {"kk": "Атауы", "ru": "Название", "en": "Title"},
        "dk.lang_label": {
            "kk": "Презентация тілі",
            "ru": "Язык презентации",
            "en": "Presentation language",
        },
        "dk.create_button": {
            "kk": "Презентация құру",
            "ru": "Создать презентацию",
            "en": "Create deck",
        },
        "dk.created": {
            "kk": "«{deck}» презентациясы құрылды.",
            "ru": "Презентация «{deck}» создана.",
            "en": "Created the deck “{deck}”.",
        },
        "dk.unknown": {
            "kk": "«{slug}» презентациясы табылмады. Төмендегі тізімнен таңдаңыз.",
            "ru": "Презентация «{slug}» не найдена. Выберите её из списка ниже.",
            "en": "There is no deck “{slug}”. Choose one from the list below.",
        },
        "dk.summary": {
            "kk": "Тілі: {language} · слайдтар: {n} · {data}",
            "ru": "Язык: {language} · слайдов: {n} · {data}",
            "en": "Language: {language} · slides: {n} · {data}",
        },
        "dk.settings": {
            "kk": "Презентация баптаулары",
            "ru": "Настройки презентации",
            "en": "Deck settings",
        },
        "dk.deck_title_label": {
            "kk": "Атауы ({language})",
            "ru": "Название ({language})",
            "en": "Title ({language})",
        },
        "dk.save_deck": {
            "kk": "Баптауларды сақтау",
            "ru": "Сохранить настройки",
            "en": "Save settings",
        },
        "dk.deck_saved": {
            "kk": "Презентация баптаулары сақталды.",
            "ru": "Настройки презентации сохранены.",
            "en": "Deck settings saved.",
        },
        "dk.freeze_heading": {
            "kk": "Деректерді бекіту",
            "ru": "Фиксация данных",
            "en": "Freeze the figures",
        },
        "dk.freeze_help": {
            "kk": "Бекітілген презентация деректер кейін жаңартылса да, көрсетілген сандарды "
            "сақтайды.",
            "ru": "Зафиксированная презентация сохраняет показанные цифры, даже если данные потом "
            "обновятся.",
            "en": "A frozen deck keeps the figures it showed, even after the data are reloaded.",
        },
        "dk.as_of_label": {"kk": "Деректер күні", "ru": "Данные на дату", "en": "Data as of"},
        "dk.freeze": {"kk": "Бекіту", "ru": "Зафиксировать", "en": "Freeze"},
        "dk.refreeze": {"kk": "Қайта бекіту", "ru": "Зафиксировать заново", "en": "Freeze again"},
        "dk.unfreeze": {"kk": "Бекітуді алу", "ru": "Снять фиксацию", "en": "Unfreeze"},
        "dk.frozen_done": {
            "kk": "Деректер {date} жағдай бойынша бекітілді.",
            "ru": "Данные зафиксированы на {date}.",
            "en": "Figures frozen as of {date}.",
        },
        "dk.unfrozen_done": {
            "kk": "Бекіту алынды: презентация ағымдағы деректерді көрсетеді.",
            "ru": "Фиксация снята: презентация показывает текущие данные.",
            "en": "Unfrozen: the deck shows the current data.",
        },
        "dk.slides": {"kk": "Слайдтар", "ru": "Слайды", "en": "Slides"},
        "dk.slides_lang": {
            "kk": "Мәтіндер осы беттің тілінде өңделеді ({language}). Басқа тілдегі мәтіндерді өңдеу "
            "үшін жоғарыдан тілді ауыстырыңыз. Жылжыту, қосу және жою өңделген мәтіндерді "
            "сақтайды.",
            "ru": "Тексты правятся на языке страницы ({language}). Чтобы править другой язык, "
            "переключите язык вверху. Перемещение, добавление и удаление сохраняют "
            "изменённые тексты.",
            "en": "Texts are edited in the page's language ({language}); switch the language at the "
            "top to edit another. Moving, adding and deleting slides keep edited texts.",
        },
        "dk.no_slides": {
            "kk": "Бұл презентацияда слайдтар жоқ.",
            "ru": "В этой презентации нет слайдов.",
            "en": "This deck has no slides.",
        },
        "dk.slide_heading": {
            "kk": "{n}-слайд · {kind}",
            "ru": "Слайд {n} · {kind}",
            "en": "Slide {n} · {kind}",
        },
        "dk.kind.title": {"kk": "Титул слайды", "ru": "Титульный слайд", "en": "Title slide"},
        "dk.kind.target": {
            "kk": "Көрсеткіш пен мақсат",
            "ru": "Показатель и цель",
            "en": "Indicator vs target",
        },
        "dk.kind.chart": {"kk": "График", "ru": "График", "en": "Chart"},
        "dk.kind.map": {"kk": "Карта", "ru": "Карта", "en": "Map"},
        "dk.kind.compare": {"kk": "Салыстыру", "ru": "Сравнение", "en": "Comparison"},
        "dk.kind.text": {"kk": "Мәтін", "ru": "Текст", "en": "Text"},
        "dk.kind.closing": {
            "kk": "Қорытынды слайд",
            "ru": "Заключительный слайд",
            "en": "Closing slide",
        },
        "dk.field_title": {
            "kk": "Тақырып (бос болса — автоматты)",
            "ru": "Заголовок (если пусто — автоматически)",
            "en": "Title (empty: automatic)",
        },
        "dk.field_text": {
            "kk": "Мәтін (тізім жолдары «- » белгісімен басталады)",
            "ru": "Текст (строки списка начинаются с «- »)",
            "en": "Text (list lines start with “- ”)",
        },
        "dk.field_notes": {
            "kk": "Баяндамашының жазбалары",
            "ru": "Заметки докладчика",
            "en": "Speaker notes",
        },
        "dk.fallback": {
            "kk": "Аудармасы жоқ: презентацияның өз мәтіні көрсетілген.",
            "ru": "Перевода нет: показан собственный текст презентации.",
            "en": "Not translated: the deck's own text is shown.",
        },
        "dk.save": {"kk": "Сақтау", "ru": "Сохранить", "en": "Save"},
        "dk.save_label": {
            "kk": "{n}-слайдты сақтау",
            "ru": "Сохранить слайд {n}",
            "en": "Save slide {n}",
        },
        "dk.up": {"kk": "↑ Жоғары", "ru": "↑ Выше", "en": "↑ Up"},
        "dk.up_label": {
            "kk": "{n}-слайдты жоғары жылжыту",
            "ru": "Переместить слайд {n} выше",
            "en": "Move slide {n} up",
        },
        "dk.down": {"kk": "↓ Төмен", "ru": "↓ Ниже", "en": "↓ Down"},
        "dk.down_label": {
            "kk": "{n}-слайдты төмен жылжыту",
            "ru": "Переместить слайд {n} ниже",
            "en": "Move slide {n} down",
        },
        "dk.delete": {"kk": "Жою", "ru": "Удалить", "en": "Delete"},
        "dk.delete_label": {
            "kk": "{n}-слайдты жою",
            "ru": "Удалить слайд {n}",
            "en": "Delete slide {n}",
        },
        "dk.confirm_slide": {
            "kk": "{n}-слайдты жою керек пе? Мұны қайтару мүмкін емес.",
            "ru": "Удалить слайд {n}? Это нельзя отменить.",
            "en": "Delete slide {n}? This cannot be undone.",
        },
        "dk.slide_saved": {
            "kk": "{n}-слайд сақталды.",
            "ru": "Слайд {n} сохранён.",
            "en": "Slide {n} saved.",
        },
        "dk.slide_moved": {
            "kk": "{old}-слайд енді {n}-орында.",
            "ru": "Слайд {old} теперь на месте {n}.",
            "en": "Slide {old} is now slide {n}.",
        },
        "dk.slide_deleted": {
            "kk": "{n}-слайд жойылды.",
            "ru": "Слайд {n} удалён.",
            "en": "Slide {n} deleted.",
        },
        "dk.slide_added": {
            "kk": "{n}-слайд қосылды.",
            "ru": "Добавлен слайд {n}.",
            "en": "Slide {n} added.",
        },
        "dk.add_heading": {"kk": "Слайд қосу", "ru": "Добавить слайд", "en": "Add a slide"},
        "dk.add_title": {"kk": "+ Титул слайды", "ru": "+ Титульный слайд", "en": "+ Title slide"},
        "dk.add_text": {"kk": "+ Мәтін слайды", "ru": "+ Текстовый слайд", "en": "+ Text slide"},
        "dk.add_hint": {
            "kk": "Графиктер, карталар мен карточкалар «Зерттеу», «Карта» және «Шолу» беттеріндегі "
            "«Презентацияға қосу» батырмасымен қосылады.",
            "ru": "Графики, карты и карточки добавляются кнопкой «Добавить в презентацию» на "
            "страницах «Анализ», «Карта» и «Обзор».",
            "en": "Charts, maps and cards are added with “Add to deck” on the Explore, Map and "
            "Overview pages.",
        },
        "dk.danger": {
            "kk": "Презентацияны жою",
            "ru": "Удаление презентации",
            "en": "Delete the deck",
        },
        "dk.delete_deck": {
            "kk": "Презентацияны жою",
            "ru": "Удалить презентацию",
            "en": "Delete deck",
        },
        "dk.confirm_deck": {
            "kk": "«{deck}» презентациясын барлық слайдтарымен жою керек пе? Мұны қайтару мүмкін "
            "емес.",
            "ru": "Удалить презентацию «{deck}» со всеми слайдами? Это нельзя отменить.",
            "en": "Delete the deck “{deck}” with all its slides? This cannot be undone.",
        },
        "dk.deck_deleted": {
            "kk": "«{deck}» презентациясы жойылды.",
            "ru": "Презентация «{deck}» удалена.",
            "en": "Deleted the deck “{deck}”.",
        },
        "dk.err_missing": {
            "kk": "Бұл презентация немесе слайд енді жоқ (оны басқа біреу өзгерткен болуы мүмкін). "
            "Бет жаңартылды.",
            "ru": "Этой презентации или слайда больше нет (возможно, их изменил кто-то другой). "
            "Страница обновлена.",
            "en": "That deck or slide no longer exists (someone else may have changed it). "
            "The page has been refreshed.",
        },
        "dk.err_frozen": {
            "kk": "Презентация бекітілген: деректер слайдын өзгерту үшін алдымен бекітуді алыңыз.",
            "ru": "Презентация зафиксирована: чтобы менять слайды с данными, сначала снимите "
            "фиксацию.",
            "en": "The deck is frozen: unfreeze it before changing what its data slides show.",
        },
        "dk.err_title": {"kk": "Атауын жазыңыз.", "ru": "Введите название.", "en": "Type a title."},
        "dk.err_date": {
            "kk": "Бүгінгі немесе өткен күнді таңдаңыз.",
            "ru": "Выберите сегодняшнюю или прошедшую дату.",
            "en": "Choose today or a date in the past.",
        },
        "dk.err_invalid": {
            "kk": "Өзгеріс сақталмады: {detail}",
            "ru": "Изменение не сохранено: {detail}",
            "en": "The change was not saved: {detail}",
        },
        "dk.err_store": {
            "kk": "Презентациялар дерекқоры қолжетімсіз; өзгеріс сақталмады.",
            "ru": "База презентаций недоступна; изменение не сохранено.",
            "en": "The deck database cannot be reached; the change was not saved.",
        },
        "dk.err_list": {
            "kk": "Презентациялар дерекқоры қолжетімсіз.",
            "ru": "База презентаций недоступна.",
            "en": "The deck database cannot be reached.",
        },
        "dk.p_compare": {
            "kk": "салыстыру: {areas}",
            "ru": "сравнение: {areas}",
            "en": "compared with {areas}",
        },
        "dk.p_all_sources": {
            "kk": "барлық дереккөздер",
            "ru": "все источники",
            "en": "every source",
        },
        "dk.p_districts": {
            "kk": "{parent} аудандары",
            "ru": "районы: {parent}",
            "en": "districts of {parent}",
        },
        "dk.p_oblasts": {"kk": "облыстар", "ru": "области", "en": "oblasts"},
        "dk.p_year": {"kk": "{year} жыл", "ru": "{year} год", "en": "{year}"},
        "dk.p_latest": {"kk": "соңғы жыл", "ru": "последний год", "en": "latest year"},
        "dk.p_highlight": {
            "kk": "белгіленген: {area}",
            "ru": "выделено: {area}",
            "en": "highlighted: {area}",
        },
        "dk.p_program": {
            "kk": "бағдарлама: {program}",
            "ru": "программа: {program}",
            "en": "program: {program}",
        },
        "dk.p_target_year": {
            "kk": "{year} жылғы мақсат",
            "ru": "цель на {year} год",
            "en": "{year} target",
        },
        "dk.p_qr_deck": {
            "kk": "QR-код: осы презентация",
            "ru": "QR-код: эта презентация",
            "en": "QR code: this deck",
        },
        "dk.p_qr": {"kk": "QR-код: {url}", "ru": "QR-код: {url}", "en": "QR code: {url}"},
    }
)


# --- ids -----------------------------------------------------------------------------------


def _btn(action: object, slide: object = 0) -> dict:
    """An action button; every action goes to :func:`act`."""
    return {"type": "dk-btn", "action": action, "slide": slide}


def _confirm(action: object, slide: object = 0) -> dict:
    """A confirmed action (:class:`dcc.ConfirmDialogProvider`, ``submit_n_clicks``)."""
    return {"type": "dk-confirm", "action": action, "slide": slide}


def _field(name: object, slide: object = 0) -> dict:
    """A field whose ``value`` the actions read."""
    return {"type": "dk-field", "name": name, "slide": slide}


def _date_field(name: object) -> dict:
    return {"type": "dk-date", "name": name}


# --- texts -----------------------------------------------------------------------------------


def _indicator_name(code: str, lang: str) -> str:
    info = queries.indicator(code) if queries.is_ready() else None
    return info[f"name_{lang}"] if info else code


def _area_name(kato: str, lang: str) -> str:
    info = queries.area(kato) if queries.is_ready() else None
    return info[f"name_{lang}"] if info else kato


def describe(kind: str, params: dict, lang: str) -> str:
    """What a slide shows, in a line: 'Industrial output · Aral district · every source'."""
    p = params or {}
    parts: list[str] = []
    if p.get("indicator"):
        parts.append(_indicator_name(p["indicator"], lang))
    if kind in ("title", "target", "chart") and p.get("area"):
        parts.append(_area_name(p["area"], lang))
    if kind == "title" and p.get("date"):
        parts.append(fmt_date(date.fromisoformat(p["date"]), lang))
    if kind == "target":
        if p.get("program"):
            parts.append(t("dk.p_program", lang, program=p["program"]))
        if p.get("target_year"):
            parts.append(t("dk.p_target_year", lang, year=p["target_year"]))
    if kind == "chart":
        if p.get("compare"):
            parts.append(
                t("dk.p_compare", lang, areas=", ".join(_area_name(a, lang) for a in p["compare"]))
            )
        if p.get("mode") in ("change", "index"):
            parts.append(t(f"mode.{p['mode']}", lang))
        if p.get("source") == "all":
            parts.append(t("dk.p_all_sources", lang))
    if kind in ("map", "compare"):
        if kind == "map" and p.get("level") == "oblast":
            parts.append(t("dk.p_oblasts", lang))
        elif kind == "compare" and p.get("areas"):
            parts.append(", ".join(_area_name(a, lang) for a in p["areas"]))
        else:
            parts.append(
                t(
                    "dk.p_districts",
                    lang,
                    parent=_area_name(p.get("parent") or deck_kinds.DEFAULT_PARENT, lang),
                )
            )
        parts.append(
            t("dk.p_year", lang, year=p["year"]) if p.get("year") else t("dk.p_latest", lang)
        )
        if p.get("highlight"):
            parts.append(t("dk.p_highlight", lang, area=_area_name(p["highlight"], lang)))
    if kind == "closing":
        parts.append(t("dk.p_qr", lang, url=p["url"]) if p.get("url") else t("dk.p_qr_deck", lang))
    return " · ".join(parts)


def text_changes(slide: dict, deck_lang: str, lang: str, values: dict[str, str | None]) -> dict:
    """The :func:`store.decks.update_slide` changes that make the slide read ``values``
    ({field: text}) in ``lang``: the slide's own fields when ``lang`` is the deck's language
    and the slide has no translation of that field into it, else its translation."""
    shown = slide_texts(slide, lang)
    translations = {k: dict(v) for k, v in (slide.get("translations") or {}).items()}
    own = set(translations.get(lang, {}))
    changes: dict = {}
    for field, value in values.items():
        if value is None:
            continue
        value = value.strip()
        if value == shown[field]:
            continue
        if lang == deck_lang and field not in own:
            changes[field] = value
        else:
            translations.setdefault(lang, {})[field] = value
            changes["translations"] = translations
    return changes


def title_changes(deck: dict, lang: str, title: str) -> dict:
    """The :func:`store.decks.update_deck` changes that title the deck ``title`` in ``lang``
    (its own title, or its translation, as :func:`text_changes` decides for slides)."""
    if title == deck_title(deck, lang):
        return {}
    translations = {k: dict(v) for k, v in (deck.get("translations") or {}).items()}
    if lang == deck["lang"] and "title" not in translations.get(lang, {}):
        return {"title": title}
    translations.setdefault(lang, {})["title"] = title
    return {"translations": translations}


def _frozen_text(frozen_at: str | None, lang: str) -> str:
    if not frozen_at:
        return t("dk.live", lang)
    return t("dk.frozen_as_of", lang, date=fmt_date(date.fromisoformat(frozen_at), lang))


def _notice(text: str, kind: str = "info", alert: bool = False) -> html.Div:
    return html.Div(
        html.P(text), className=f"notice notice-{kind}", role="alert" if alert else "status"
    )


# --- the page --------------------------------------------------------------------------------


def layout(deck: str | list | None = None, lang: str | list | None = None, **_: object) -> html.Div:
    deck = deck[-1] if isinstance(deck, list) else deck
    lang = request_lang(lang[-1] if isinstance(lang, list) else lang)
    if deck_access.read_only():
        intro = _notice(t("dk.readonly", lang))
    elif (refusal := deck_access.write_refusal(csrf=False)) is not None:
        locked = isinstance(refusal, deck_access.DecksNeedAccount)
        intro = _notice(t("dk.sign_in" if locked else "dk.locked", lang))
    else:
        intro = html.P(t("dk.intro", lang), className="lead")
    return html.Div(
        [
            html.H1(t("dk.heading", lang)),
            intro,
            html.Div(
                id="dk-status", className="dk-status", role="status", **{"aria-live": "polite"}
            ),
            html.Div(body(deck or None, lang), id="dk-body"),
            dcc.Store(id="dk-state", data={"deck": deck or None, "lang": lang}),
            dcc.Store(id="dk-focus"),
            html.Span(id="dk-focus-sink", hidden=True),
            url_sync(PREFIX),
        ],
        className="page decks",
    )


def body(slug: str | None, lang: str) -> list:
    """The page under its heading: the chosen deck's editor (or why it cannot be shown), the
    list of decks and the form for a new one (with DECKS_READONLY: the deck without
    editing controls, and the list)."""
    read_only = not deck_access.writable()
    out: list = []
    if slug:
        try:
            deck = decks.get_deck(slug)
            out += _changed_notice(deck, lang)
            out.append(viewer(deck, lang) if read_only else editor(deck, lang))
        except deck_access.DeckError:
            out.append(_notice(t("dk.unknown", lang, slug=slug), "warning"))
        except Exception:  # noqa: BLE001 - the page answers whatever the store does
            log.exception("decks: could not read deck %r", slug)
            out.append(_notice(t("dk.err_list", lang), "warning", alert=True))
    out.append(deck_list(slug, lang))
    if not read_only:
        out.append(create_form(lang))
    return out


def _changed_notice(deck: dict, lang: str) -> list:
    """A frozen deck whose figures loads revised since: how many, with the list's link."""
    if not deck.get("frozen"):
        return []
    text = changes.deck_notice(decks.get_deck(deck["slug"], snapshot=True), lang)
    if not text:
        return []
    link = dcc.Link(
        t("nav.changes", lang), href="/changes" + query_string(deck=deck["slug"], lang=lang)
    )
    return [
        html.Div(
            html.P([text, " ", link]),
            className="notice notice-warning",
            role="status",
            id="dk-changed",
        )
    ]


def _deck_links(slug: str, lang: str) -> list:
    q = urlencode({"deck": slug, "lang": lang})
    links = [
        ("dk.present", f"/present?{q}"),
        ("dk.presenter", f"/present/notes?{q}"),
        ("dk.export_html", f"/present/export.html?{q}"),
        ("dk.export_pdf", f"/present/export.pdf?{q}"),
    ]
    out: list = []
    for i, (key, href) in enumerate(links):
        if i:
            out.append(" · ")
        out.append(html.A(t(key, lang), href=href))
    return out


def deck_list(current: str | None, lang: str) -> html.Section:
    """Every deck: title (opens it in the editor), language, slides, frozen or live data,
    and links to present and export it."""
    heading = html.H2(t("dk.list", lang), id="dk-list-heading", tabIndex="-1")
    try:
        summaries = decks.list_decks()
    except Exception:  # noqa: BLE001
        log.exception("decks: could not list the decks")
        return html.Section(
            [heading, _notice(t("dk.err_list", lang), "warning", alert=True)], className="dk-list"
        )
    if not summaries:
        return html.Section([heading, html.P(t("dk.no_decks", lang))], className="dk-list")
    head = html.Tr(
        [
            html.Th(t(f"dk.col_{c}", lang), scope="col", className="num" if c == "slides" else None)
            for c in ("title", "lang", "slides", "data", "links")
        ]
    )
    rows = []
    for d in summaries:
        here = d["slug"] == current
        title: list = [
            dcc.Link(deck_title(d, lang), href="/decks" + query_string(lang=lang, deck=d["slug"]))
        ]
        if here and deck_access.writable():
            title += [" ", html.Span(t("dk.editing", lang), className="muted")]
        rows.append(
            html.Tr(
                [
                    html.Th(title, scope="row"),
                    html.Td(LANG_NAMES.get(d["lang"], d["lang"]), lang=d["lang"]),
                    html.Td(str(d["slides"]), className="num"),
                    html.Td(_frozen_text(d["frozen_at"], lang)),
                    html.Td(_deck_links(d["slug"], lang)),
                ],
                id=f"dk-row-{d['slug']}",
                className="current" if here else None,
                **({"aria-current": "true"} if here else {}),
            )
        )
    return html.Section(
        [
            heading,
            html.Div(
                html.Table([html.Thead(head), html.Tbody(rows)], className="data dk-decks"),
                className="table-wrap",
            ),
        ],
        className="dk-list",
    )


def _lang_choice(id_: dict, value: str) -> dcc.RadioItems:
    return dcc.RadioItems(
        id=id_,
        value=value,
        inline=True,
        options=[{"label": LANG_NAMES[code], "value": code} for code in LANGS],
        labelStyle={"fontWeight": "normal", "marginRight": "1em"},
    )


def create_form(lang: str) -> html.Section:
    """Title and language of a new deck."""
    return html.Section(
        [
            html.H2(t("dk.create", lang)),
            html.Div(
                [
                    html.Label(
                        [
                            t("dk.title_label", lang),
                            dcc.Input(
                                id=_field("new-title"),
                                type="text",
                                value="",
                                maxLength=300,
                                className="dk-input",
                            ),
                        ],
                        className="dk-label",
                    ),
                    html.Fieldset(
                        [
                            html.Legend(t("dk.lang_label", lang)),
                            _lang_choice(_field("new-lang"), lang),
                        ],
                        className="dk-fieldset",
                    ),
                    html.Button(
                        t("dk.create_button", lang),
                        id=_btn("create"),
                        type="button",
                        className="share-button",
                        **{"data-control": "create"},
                    ),
                ],
                className="dk-form",
            ),
        ],
        className="dk-create",
    )


def _deck_head(deck: dict, lang: str) -> list:
    return [
        html.H2(deck_title(deck, lang), id="dk-editor-heading", tabIndex="-1"),
        html.P(
            t(
                "dk.summary",
                lang,
                language=LANG_NAMES.get(deck["lang"], deck["lang"]),
                n=len(deck["slides"]),
                data=_frozen_text(deck["frozen_at"], lang),
            ),
            className="muted",
        ),
        html.P(_deck_links(deck["slug"], lang), className="dk-links"),
    ]


def _slide_heading(slide: dict, n: int, lang: str) -> str:
    heading = t("dk.slide_heading", lang, n=n, kind=t(f"dk.kind.{slide['kind']}", lang))
    title = slide_texts(slide, lang)["title"]
    return f"{heading}: {title}" if title else heading


def viewer(deck: dict, lang: str) -> html.Section:
    """The deck with no editing controls (DECKS_READONLY): its summary, present and export
    links, and what each slide shows."""
    items = []
    for n, s in enumerate(deck["slides"], start=1):
        what = describe(s["kind"], s["params"], lang)
        items.append(
            html.Li(
                [
                    html.H4(_slide_heading(s, n, lang), className="dk-slide-heading"),
                    *([html.P(what, className="muted dk-params")] if what else []),
                ],
                id=f"dk-slide-{s['id']}",
                className=f"dk-slide dk-kind-{s['kind']}",
            )
        )
    return html.Section(
        [
            *_deck_head(deck, lang),
            html.H3(t("dk.slides", lang), id="dk-slides-heading"),
            html.Ol(items, className="dk-slides", **{"aria-labelledby": "dk-slides-heading"})
            if items
            else html.P(t("dk.no_slides", lang)),
        ],
        id="dk-editor",
        className="dk-editor dk-readonly",
        **{"aria-labelledby": "dk-editor-heading"},
    )


def _public_url_warning(lang: str) -> list:
    """A warning when PUBLIC_BASE_URL is not set (the closing QR code would point here)."""
    if config.get("PUBLIC_BASE_URL"):
        return []
    here = flask.request.url_root if flask.has_request_context() else "http://127.0.0.1"
    text = t("dk.no_public_url", lang, here=here.rstrip("/"))
    return [
        html.Div(html.P(text), id="dk-public-url", className="notice notice-warning", role="alert")
    ]


def editor(deck: dict, lang: str) -> html.Section:
    """The deck's settings, frozen figures, slides (editable, movable) and deletion."""
    slides = deck["slides"]
    today = date.today().isoformat()
    frozen = deck["frozen"]
    return html.Section(
        [
            *_deck_head(deck, lang),
            *_public_url_warning(lang),
            html.Section(
                [
                    html.H3(t("dk.settings", lang)),
                    html.Div(
                        [
                            html.Label(
                                [
                                    t("dk.deck_title_label", lang, language=LANG_NAMES[lang]),
                                    dcc.Input(
                                        id=_field("deck-title"),
                                        type="text",
                                        maxLength=300,
                                        value=deck_title(deck, lang),
                                        className="dk-input",
                                    ),
                                ],
                                className="dk-label",
                            ),
                            html.Fieldset(
                                [
                                    html.Legend(t("dk.lang_label", lang)),
                                    _lang_choice(_field("deck-lang"), deck["lang"]),
                                ],
                                className="dk-fieldset",
                            ),
                            html.Button(
                                t("dk.save_deck", lang),
                                id=_btn("save-deck"),
                                type="button",
                                className="share-button",
                                **{"data-control": "save-deck"},
                            ),
                        ],
                        className="dk-form",
                    ),
                ],
                className="dk-settings",
            ),
            html.Section(
                [
                    html.H3(t("dk.freeze_heading", lang)),
                    html.P(
                        [
                            t("dk.freeze_help", lang),
                            " ",
                            html.Strong(
                                _frozen_text(deck["frozen_at"], lang), id="dk-frozen-state"
                            ),
                        ]
                    ),
                    html.Div(
                        [
                            html.Label(
                                [
                                    t("dk.as_of_label", lang),
                                    dcc.DatePickerSingle(
                                        id=_date_field("freeze-date"),
                                        date=deck["frozen_at"] or today,
                                        max_date_allowed=today,
                                        clearable=False,
                                        display_format="YYYY-MM-DD"
                                        if lang == "en"
                                        else "DD.MM.YYYY",
                                        first_day_of_week=0 if lang == "en" else 1,
                                    ),
                                ],
                                className="dk-label",
                            ),
                            html.Button(
                                t("dk.refreeze" if frozen else "dk.freeze", lang),
                                id=_btn("freeze"),
                                type="button",
                                className="share-button",
                                **{"data-control": "freeze"},
                            ),
                            *(
                                [
                                    html.Button(
                                        t("dk.unfreeze", lang),
                                        id=_btn("unfreeze"),
                                        type="button",
                                        className="share-button",
                                        **{"data-control": "unfreeze"},
                                    )
                                ]
                                if frozen
                                else []
                            ),
                        ],
                        className="dk-form",
                    ),
                ],
                className="dk-freeze",
            ),
            html.Section(
                [
                    html.H3(t("dk.slides", lang), id="dk-slides-heading", tabIndex="-1"),
                    html.P(t("dk.slides_lang", lang, language=LANG_NAMES[lang]), className="muted"),
                    html.Ol(
                        [
                            slide_item(s, i, len(slides), deck, lang)
                            for i, s in enumerate(slides, start=1)
                        ],
                        className="dk-slides",
                        **{"aria-labelledby": "dk-slides-heading"},
                    )
                    if slides
                    else html.P(t("dk.no_slides", lang)),
                    html.H4(t("dk.add_heading", lang)),
                    html.Div(
                        [
                            html.Button(
                                t(f"dk.add_{kind}", lang),
                                id=_btn(f"add-{kind}"),
                                type="button",
                                className="share-button",
                                **{"data-control": f"add-{kind}"},
                            )
                            for kind in ("title", "text")
                        ],
                        className="share-actions",
                    ),
                    html.P(t("dk.add_hint", lang), className="muted"),
                ],
                className="dk-slides-box",
            ),
            html.Section(
                [
                    html.H3(t("dk.danger", lang)),
                    dcc.ConfirmDialogProvider(
                        html.Button(
                            t("dk.delete_deck", lang),
                            type="button",
                            className="share-button dk-danger",
                            **{"data-control": "delete-deck"},
                        ),
                        id=_confirm("delete-deck"),
                        message=t("dk.confirm_deck", lang, deck=deck_title(deck, lang)),
                    ),
                ],
                className="dk-delete",
            ),
        ],
        id="dk-editor",
        className="dk-editor",
        **{"aria-labelledby": "dk-editor-heading"},
    )


def slide_item(slide: dict, n: int, total: int, deck: dict, lang: str) -> html.Li:
    """One slide: kind, title and what it shows; its texts, Save, Up, Down, Delete."""
    sid, kind = slide["id"], slide["kind"]
    texts = slide_texts(slide, lang)
    own = (slide.get("translations") or {}).get(lang) or {}
    fallback = lang != deck["lang"] and any(
        texts[f] and f not in own for f in SLIDE_FIELDS if f != "text" or kind in TEXT_KINDS
    )
    heading = _slide_heading(slide, n, lang)
    what = describe(kind, slide["params"], lang)
    fields: list = [
        html.Label(
            [
                t("dk.field_title", lang),
                dcc.Input(
                    id=_field("title", sid),
                    type="text",
                    maxLength=300,
                    value=texts["title"],
                    className="dk-input",
                ),
            ],
            className="dk-label",
        )
    ]
    if kind in TEXT_KINDS:
        fields.append(
            html.Label(
                [
                    t("dk.field_text", lang),
                    dcc.Textarea(
                        id=_field("text", sid), value=texts["text"], rows=3, className="dk-textarea"
                    ),
                ],
                className="dk-label",
            )
        )
    fields.append(
        html.Label(
            [
                t("dk.field_notes", lang),
                dcc.Textarea(
                    id=_field("notes", sid), value=texts["notes"], rows=3, className="dk-textarea"
                ),
            ],
            className="dk-label",
        )
    )
    buttons = [
        html.Button(
            t("dk.save", lang),
            id=_btn("save", sid),
            type="button",
            className="share-button",
            **{"data-control": "save", "aria-label": t("dk.save_label", lang, n=n)},
        ),
        html.Button(
            t("dk.up", lang),
            id=_btn("up", sid),
            type="button",
            disabled=n == 1,
            className="share-button",
            **{"data-control": "up", "aria-label": t("dk.up_label", lang, n=n)},
        ),
        html.Button(
            t("dk.down", lang),
            id=_btn("down", sid),
            type="button",
            disabled=n == total,
            className="share-button",
            **{"data-control": "down", "aria-label": t("dk.down_label", lang, n=n)},
        ),
        dcc.ConfirmDialogProvider(
            html.Button(
                t("dk.delete", lang),
                type="button",
                className="share-button dk-danger",
                **{"data-control": "delete", "aria-label": t("dk.delete_label", lang, n=n)},
            ),
            id=_confirm("delete-slide", sid),
            message=t("dk.confirm_slide", lang, n=n),
        ),
    ]
    return html.Li(
        [
            html.H4(heading, className="dk-slide-heading"),
            *([html.P(what, className="muted dk-params")] if what else []),
            *([html.P(t("dk.fallback", lang), className="muted dk-fallback")] if fallback else []),
            html.Div(fields, className="dk-fields"),
            html.Div(buttons, className="share-actions dk-slide-actions"),
        ],
        id=f"dk-slide-{sid}",
        className=f"dk-slide dk-kind-{kind}",
        tabIndex="-1",
        **{"data-slide": str(sid)},
    )


# --- actions -------------------------------------------------------------------------------


class Outcome(NamedTuple):
    """What an action did: the message, where keyboard focus goes (CSS selectors, the first
    that is there and enabled), the deck chosen afterwards, and whether to re-render."""

    note: str
    focus: list[str]
    deck: str | None
    render: bool = True


class Request(NamedTuple):
    """An action's input: the deck, the slide (0: none), the fields' values, the language."""

    deck: str | None
    slide: int
    fields: dict[tuple[str, int], object]
    lang: str


def _control(sid: int, control: str) -> str:
    return f'#dk-slide-{sid} [data-control="{control}"]'


def _slide_values(req: Request, sid: int) -> dict[str, str | None]:
    return {
        f: req.fields.get((f, sid))
        for f in SLIDE_FIELDS
        if isinstance(req.fields.get((f, sid)), str)
    }


def _position(deck: dict, sid: int) -> int:
    for s in deck["slides"]:
        if s["id"] == sid:
            return s["position"]
    raise deck_access.DeckError(f"this deck has no slide {sid!r}", 404)


def save_pending(req: Request, skip: int | None = None) -> None:
    """Keep the texts typed into the slides (all but ``skip``) before the page re-renders."""
    deck = decks.get_deck(req.deck or "")
    for s in deck["slides"]:
        if s["id"] == skip:
            continue
        changes = text_changes(s, deck["lang"], req.lang, _slide_values(req, s["id"]))
        if changes:
            deck_slides.update_slide(deck["slug"], s["id"], changes, check_refs=False)


def _create(req: Request) -> Outcome:
    title = str(req.fields.get(("new-title", 0)) or "").strip()
    if not title:
        return Outcome(
            t("dk.err_title", req.lang), ['[data-control="create"]'], req.deck, render=False
        )
    lang = req.fields.get(("new-lang", 0))
    deck = decks.create_deck({"title": title, "lang": lang if lang in LANGS else req.lang})
    log.info("decks: created %s", deck["slug"])
    return Outcome(t("dk.created", req.lang, deck=title), ["#dk-editor-heading"], deck["slug"])


def _save_deck(req: Request) -> Outcome:
    deck = decks.get_deck(req.deck or "")
    title = str(req.fields.get(("deck-title", 0)) or "").strip()
    if not title:
        return Outcome(
            t("dk.err_title", req.lang), ['[data-control="save-deck"]'], req.deck, render=False
        )
    save_pending(req)
    changes = title_changes(deck, req.lang, title)
    lang = req.fields.get(("deck-lang", 0))
    if lang in LANGS and lang != deck["lang"]:
        changes["lang"] = lang
    if changes:
        decks.update_deck(deck["slug"], changes)
    return Outcome(t("dk.deck_saved", req.lang), ['[data-control="save-deck"]'], req.deck)


def _freeze(req: Request) -> Outcome:
    as_of = req.fields.get(("freeze-date", 0)) or date.today().isoformat()
    try:
        when = date.fromisoformat(str(as_of)[:10])
    except ValueError:
        when = None
    if when is None or when > date.today():
        return Outcome(
            t("dk.err_date", req.lang), ['[data-control="freeze"]'], req.deck, render=False
        )
    save_pending(req)
    deck_freeze.freeze(req.deck or "", when)
    return Outcome(
        t("dk.frozen_done", req.lang, date=fmt_date(when, req.lang)),
        ['[data-control="unfreeze"]'],
        req.deck,
    )


def _unfreeze(req: Request) -> Outcome:
    save_pending(req)
    deck_freeze.unfreeze(req.deck or "")
    return Outcome(t("dk.unfrozen_done", req.lang), ['[data-control="freeze"]'], req.deck)


def _delete_deck(req: Request) -> Outcome:
    deck = decks.get_deck(req.deck or "")
    decks.delete_deck(deck["slug"])
    log.info("decks: deleted %s", deck["slug"])
    return Outcome(
        t("dk.deck_deleted", req.lang, deck=deck_title(deck, req.lang)), ["#dk-list-heading"], None
    )


def _add(kind: str) -> Callable[[Request], Outcome]:
    def add(req: Request) -> Outcome:
        save_pending(req)
        slide = deck_slides.add_slide(req.deck or "", {"kind": kind, "params": {}})
        return Outcome(
            t("dk.slide_added", req.lang, n=slide["position"]),
            [f"#dk-slide-{slide['id']} input", f"#dk-slide-{slide['id']}"],
            req.deck,
        )

    return add


def _save(req: Request) -> Outcome:
    deck = decks.get_deck(req.deck or "")
    n = _position(deck, req.slide)
    slide = deck["slides"][n - 1]
    changes = text_changes(slide, deck["lang"], req.lang, _slide_values(req, req.slide))
    if changes:
        deck_slides.update_slide(deck["slug"], req.slide, changes, check_refs=False)
    return Outcome(
        t("dk.slide_saved", req.lang, n=n), [_control(req.slide, "save")], req.deck, render=False
    )


def _move(step: int) -> Callable[[Request], Outcome]:
    def move(req: Request) -> Outcome:
        save_pending(req)
        old = _position(decks.get_deck(req.deck or ""), req.slide)
        deck = deck_slides.move_slide(req.deck or "", req.slide, old + step)
        new = _position(deck, req.slide)
        control = "up" if step < 0 else "down"
        return Outcome(
            t("dk.slide_moved", req.lang, old=old, n=new),
            [
                _control(req.slide, control),
                _control(req.slide, "down" if control == "up" else "up"),
                f"#dk-slide-{req.slide}",
            ],
            req.deck,
        )

    return move


def _delete_slide(req: Request) -> Outcome:
    save_pending(req, skip=req.slide)
    n = _position(decks.get_deck(req.deck or ""), req.slide)
    deck = deck_slides.delete_slide(req.deck or "", req.slide)
    rest = deck["slides"]
    focus = [f"#dk-slide-{rest[min(n, len(rest)) - 1]['id']}"] if rest else []
    return Outcome(t("dk.slide_deleted", req.lang, n=n), [*focus, "#dk-slides-heading"], req.deck)


ACTIONS: dict[str, Callable[[Request], Outcome]] = {
    "create": _create,
    "save-deck": _save_deck,
    "freeze": _freeze,
    "unfreeze": _unfreeze,
    "delete-deck": _delete_deck,
    "add-title": _add("title"),
    "add-text": _add("text"),
    "save": _save,
    "up": _move(-1),
    "down": _move(1),
    "delete-slide": _delete_slide,
}


def error_text(exc: deck_access.DeckError, lang: str) -> str:
    """A store error in ``lang``: read-only, gone, frozen, no indicator database, or its own
    words."""
    if isinstance(exc, deck_access.DecksLocked):
        return t("dk.locked", lang)
    if isinstance(exc, deck_access.DecksNeedAccount):
        return t("dk.sign_in", lang)
    if exc.status == 403 and exc.message.startswith("CSRF"):
        return t("dk.err_invalid", lang, detail=exc.message)
    if exc.status == 403:
        return t("dk.readonly", lang)
    if exc.status == 404:
        return t("dk.err_missing", lang)
    if exc.status == 409 and "frozen" in exc.message:
        return t("dk.err_frozen", lang)
    if exc.status == 409 and "not built" in exc.message:
        return t("msg.no_database", lang)
    return t("dk.err_invalid", lang, detail=exc.message)


def run(action: str, req: Request) -> tuple[Outcome, bool]:
    """Do ``action``; returns its outcome and whether it went wrong. Never raises."""
    try:
        return ACTIONS[action](req), False
    except deck_access.DeckError as exc:
        log.info("decks: %s on %r failed: %s", action, req.deck, exc.message)
        return Outcome(error_text(exc, req.lang), [], req.deck, render=exc.status == 404), True
    except Exception:  # noqa: BLE001 - a message, never a traceback
        log.exception("decks: %s on %r failed", action, req.deck)
        return Outcome(t("dk.err_store", req.lang), [], req.deck, render=False), True


@dash.callback(
    Output("dk-body", "children"),
    Output("dk-status", "children"),
    Output("dk-focus", "data"),
    Output("dk-state", "data"),
    Output(f"{PREFIX}-url", "data"),
    Input(_btn(ALL, ALL), "n_clicks"),
    Input(_confirm(ALL, ALL), "submit_n_clicks"),
    State(_field(ALL, ALL), "value"),
    State(_date_field(ALL), "date"),
    State("dk-state", "data"),
    prevent_initial_call=True,
)
def act(_clicks: list, _confirms: list, _values: list, _dates: list, state: dict | None) -> tuple:
    """A button (or a confirmed deletion) -> the store changed, the page re-rendered, a
    message, focus, and the URL (``deck``, ``lang``)."""
    trigger = dash.ctx.triggered_id
    if (
        not isinstance(trigger, dict)
        or not dash.ctx.triggered
        or not dash.ctx.triggered[0]["value"]
        or trigger.get("action") not in ACTIONS
    ):
        raise PreventUpdate
    state = state or {}
    lang = request_lang(state.get("lang"))
    fields = {(s["id"]["name"], s["id"]["slide"]): s.get("value") for s in dash.ctx.states_list[0]}
    fields.update({(s["id"]["name"], 0): s.get("value") for s in dash.ctx.states_list[1]})
    req = Request(state.get("deck"), trigger.get("slide") or 0, fields, lang)
    outcome, failed = run(trigger["action"], req)
    note = html.P(
        outcome.note,
        role="alert" if failed else None,
        className="dk-error" if failed else "dk-done",
    )
    focus = {"targets": outcome.focus, "at": time.time()} if outcome.focus else dash.no_update
    return (
        body(outcome.deck, lang) if outcome.render else dash.no_update,
        note,
        focus,
        {"deck": outcome.deck, "lang": lang},
        query_string(lang=lang, deck=outcome.deck),
    )


# Focus the first of the given elements that is there and enabled, once the page has drawn.
clientside_callback(
    """
    function(focus) {
        const targets = focus && focus.targets;
        if (!Array.isArray(targets)) { return window.dash_clientside.no_update; }
        setTimeout(() => {
            for (const selector of targets) {
                const el = document.querySelector(selector);
                if (el && !el.disabled) { el.focus(); break; }
            }
        }, 80);
        return window.dash_clientside.no_update;
    }
    """,
    Output("dk-focus-sink", "children"),
    Input("dk-focus", "data"),
)
