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

Every action is one callback (:func:`pages.deck_actions.act`) that calls the deck store (the
deck database is writable by design) and re-renders the page body
(:func:`pages.deck_editor.body`) from it; a store error becomes a message in the page's
language, never a traceback. The ids of the page's controls are in :mod:`pages.deck_ids`,
its words about decks and slides in :mod:`pages.deck_texts`, the list of decks and the form
for a new one in :mod:`pages.deck_list`.

With DECKS_READONLY on, the page says why decks cannot be changed here and shows the decks,
their slides and their present and export links, with no editing controls.
"""

from __future__ import annotations

import dash
from dash import dcc, html

import pages.deck_actions  # noqa: F401 - registers the page's callbacks
from components import urlstate
from components.i18n import page_title, register, request_lang, t
from components.urlstate import url_sync
from pages.deck_editor import body
from pages.deck_ids import PREFIX
from pages.deck_texts import notice
from store import deck_access

dash.register_page(__name__, path="/decks", name="decks", title=page_title("dk.heading"))

urlstate.register(PREFIX)  # at import, so the URL sync exists before the first request

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


def layout(deck: str | list | None = None, lang: str | list | None = None, **_: object) -> html.Div:
    deck = deck[-1] if isinstance(deck, list) else deck
    lang = request_lang(lang[-1] if isinstance(lang, list) else lang)
    if deck_access.read_only():
        intro = notice(t("dk.readonly", lang))
    elif (refusal := deck_access.write_refusal(csrf=False)) is not None:
        locked = isinstance(refusal, deck_access.DecksNeedAccount)
        intro = notice(t("dk.sign_in" if locked else "dk.locked", lang))
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
