"""The API documentation page's own words in Kazakh, Russian and English (/api/v1/docs?lang=).

The page's chrome, the endpoints' summaries and the status texts are translated; the
parameters' reference descriptions are the OpenAPI document's (English), marked as such.
"""

from __future__ import annotations

from components.i18n import register, t

# English text of the OpenAPI document -> key of its translation.
SUMMARIES = {
    "What the API offers": "api.sum.index",
    "The indicator catalogue": "api.sum.indicators",
    "One indicator": "api.sum.indicator",
    "Administrative units": "api.sum.areas",
    "Observations of one indicator": "api.sum.observations",
    "Program targets": "api.sum.targets",
    "Government programs": "api.sum.programs",
    "Sources of the figures": "api.sum.sources",
    "Boundaries as GeoJSON": "api.sum.boundaries",
    "What changed: figures added, revised or withdrawn": "api.sum.changes",
    "This API as an OpenAPI 3.0 document": "api.sum.openapi",
    "This documentation, as HTML": "api.sum.docs",
    "OK": "api.ok",
    "A parameter is wrong; `parameter` names it.": "api.err.400",
    "Not found: an unknown route or indicator, or (for /boundaries) no boundaries installed.": (
        "api.err.404"
    ),
    "Unexpected error (logged).": "api.err.500",
    "No database: the indicator database has not been built.": "api.err.503",
    "A method other than GET, HEAD or OPTIONS.": "api.err.405",
}

register(
    {
        "api.title": {
            "kk": "Арал өңірі көрсеткіштерінің API-і",
            "ru": "API показателей Приаралья",
            "en": "Aral indicators API",
        },
        "api.intro": {
            "kk": "Қазақстан аудандары мен облыстарының экономикалық және экологиялық "
            "көрсеткіштері (алдымен Арал ауданы, ҚАТО 433200000, Қызылорда облысы, 430000000), "
            "әр сан өз дереккөзімен, және мемлекеттік бағдарламалардың мақсаттары. Тек оқу: "
            "тек GET; әр жауап кез келген доменге рұқсат береді (CORS). Қателер JSON түрінде "
            "қате параметрді атайды; белгісіз параметрлер де қате.",
            "ru": "Экономические и экологические показатели районов и областей Казахстана "
            "(сначала Аральский район, КАТО 433200000, Кызылординской области, 430000000), "
            "каждая цифра со своим источником, и цели государственных программ. Только чтение: "
            "только GET; каждый ответ разрешён для любого домена (CORS). Ошибки — JSON с "
            "названием неверного параметра; неизвестные параметры — тоже ошибка.",
            "en": "Economic and ecological indicators of Kazakhstan's districts and oblasts "
            "(first Aral district, KATO 433200000, of Kyzylorda oblast, 430000000), each figure "
            "with its source, and the targets of government programs. Read-only: GET only; "
            "every response allows any origin (CORS). Errors are JSON naming the bad "
            "parameter; unknown parameters are errors too.",
        },
        "api.machine": {
            "kk": "Машинаға арналған нұсқасы:",
            "ru": "Для программ:",
            "en": "Machine-readable:",
        },
        "api.python": {"kk": "Python тілінде:", "ru": "На Python:", "en": "In Python:"},
        "api.endpoints": {"kk": "Мекенжайлар", "ru": "Адреса", "en": "Endpoints"},
        "api.errors": {"kk": "Қателер", "ru": "Ошибки", "en": "Errors"},
        "api.errors_intro": {
            "kk": "Әр қате — JSON {json} (қате параметр болмаса, `parameter` мәні `null`).",
            "ru": "Каждая ошибка — JSON {json} (`parameter` равен `null`, если дело не в "
            "параметре).",
            "en": "Every error is JSON {json} (`parameter` is `null` when no parameter is at "
            "fault).",
        },
        "api.status": {"kk": "Күйі", "ru": "Статус", "en": "Status"},
        "api.when": {"kk": "Қашан", "ru": "Когда", "en": "When"},
        "api.parameter": {"kk": "Параметр", "ru": "Параметр", "en": "Parameter"},
        "api.in": {"kk": "Орны", "ru": "Где", "en": "In"},
        "api.required": {"kk": "Міндетті", "ru": "Обязателен", "en": "Required"},
        "api.type": {"kk": "Түрі мен мәндері", "ru": "Тип и значения", "en": "Type and values"},
        "api.description": {"kk": "Сипаттамасы", "ru": "Описание", "en": "Description"},
        "api.description_en": {
            "kk": "Сипаттамасы (ағылшынша)",
            "ru": "Описание (на английском)",
            "en": "Description",
        },
        "api.content": {"kk": "Мазмұны", "ru": "Содержимое", "en": "Content"},
        "api.yes": {"kk": "иә", "ru": "да", "en": "yes"},
        "api.no": {"kk": "жоқ", "ru": "нет", "en": "no"},
        "api.none": {"kk": "Параметрлері жоқ.", "ru": "Параметров нет.", "en": "No parameters."},
        "api.examples": {"kk": "Мысалдар:", "ru": "Примеры:", "en": "Examples:"},
        "api.example": {"kk": "Мысал:", "ru": "Пример:", "en": "Example:"},
        "api.one_of": {"kk": "мүмкін мәндері", "ru": "одно из", "en": "one of"},
        "api.default": {"kk": "әдепкі", "ru": "по умолчанию", "en": "default"},
        "api.values": {"kk": "мән", "ru": "значений", "en": "values"},
        "api.sum.index": {
            "kk": "API не ұсынады",
            "ru": "Что предлагает API",
            "en": "What the API offers",
        },
        "api.sum.indicators": {
            "kk": "Көрсеткіштер каталогы",
            "ru": "Каталог показателей",
            "en": "The indicator catalogue",
        },
        "api.sum.indicator": {
            "kk": "Бір көрсеткіш",
            "ru": "Один показатель",
            "en": "One indicator",
        },
        "api.sum.areas": {
            "kk": "Әкімшілік бірліктер",
            "ru": "Административные единицы",
            "en": "Administrative units",
        },
        "api.sum.observations": {
            "kk": "Бір көрсеткіштің мәндері",
            "ru": "Значения одного показателя",
            "en": "Observations of one indicator",
        },
        "api.sum.targets": {
            "kk": "Бағдарламалардың мақсаттары",
            "ru": "Цели программ",
            "en": "Program targets",
        },
        "api.sum.programs": {
            "kk": "Мемлекеттік бағдарламалар",
            "ru": "Государственные программы",
            "en": "Government programs",
        },
        "api.sum.sources": {
            "kk": "Сандардың дереккөздері",
            "ru": "Источники цифр",
            "en": "Sources of the figures",
        },
        "api.sum.boundaries": {
            "kk": "Шекаралар GeoJSON түрінде",
            "ru": "Границы в формате GeoJSON",
            "en": "Boundaries as GeoJSON",
        },
        "api.sum.changes": {
            "kk": "Не өзгерді: қосылған, түзетілген немесе алынып тасталған сандар",
            "ru": "Что изменилось: добавленные, исправленные или снятые цифры",
            "en": "What changed: figures added, revised or withdrawn",
        },
        "api.sum.openapi": {
            "kk": "Осы API — OpenAPI 3.0 құжаты",
            "ru": "Этот API как документ OpenAPI 3.0",
            "en": "This API as an OpenAPI 3.0 document",
        },
        "api.sum.docs": {
            "kk": "Осы құжаттама, HTML",
            "ru": "Эта документация в HTML",
            "en": "This documentation, as HTML",
        },
        "api.ok": {"kk": "Сәтті", "ru": "Успешно", "en": "OK"},
        "api.err.400": {
            "kk": "Параметр қате; `parameter` оны атайды.",
            "ru": "Неверный параметр; его называет `parameter`.",
            "en": "A parameter is wrong; `parameter` names it.",
        },
        "api.err.404": {
            "kk": "Табылмады: белгісіз мекенжай немесе көрсеткіш, не (`/boundaries` үшін) "
            "шекаралар орнатылмаған.",
            "ru": "Не найдено: неизвестный адрес или показатель, либо (для `/boundaries`) "
            "границы не установлены.",
            "en": "Not found: an unknown route or indicator, or (for /boundaries) no boundaries installed.",
        },
        "api.err.500": {
            "kk": "Күтпеген қате (журналға жазылды).",
            "ru": "Непредвиденная ошибка (записана в журнал).",
            "en": "Unexpected error (logged).",
        },
        "api.err.503": {
            "kk": "Дерекқор жоқ: көрсеткіштер дерекқоры әлі құрылмаған.",
            "ru": "Нет базы данных: база показателей ещё не построена.",
            "en": "No database: the indicator database has not been built.",
        },
        "api.err.405": {
            "kk": "GET, HEAD немесе OPTIONS-тен басқа әдіс.",
            "ru": "Метод, отличный от GET, HEAD или OPTIONS.",
            "en": "A method other than GET, HEAD or OPTIONS.",
        },
    }
)


def translate(text: str, lang: str) -> str:
    """A summary or status text of the OpenAPI document in ``lang`` (English as written)."""
    key = SUMMARIES.get(text)
    return text if lang == "en" or key is None else t(key, lang)
