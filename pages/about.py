"""Sources and method (/about): every source and what it supports, the status method,
the preferred-source rule, known data gaps, the load history and the boundaries.

Sections carry anchors (#sources, #method, #preferred, #gaps, #loads, #boundaries, and
#source-<code> for each source) so other pages can link to them.
"""

from __future__ import annotations

import re
from pathlib import PurePosixPath, PureWindowsPath

import dash
import pandas as pd
from dash import dcc, html

import components.figures  # noqa: F401  (registers the comparator strings cmp.*)
from components import status as st
from components.i18n import (
    curated_text,
    fmt_number,
    page_title,
    register,
    request_lang,
    t,
    text_lang,
)
from components.messages import no_database
from components.urlstate import query_string
from store import queries

dash.register_page(__name__, path="/about", name="about", title=page_title("nav.about"))

SECTIONS = ("sources", "method", "preferred", "gaps", "loads", "boundaries")
GAPS = (
    "salt_fish",
    "seed",
    "population",
    "industry",
    "money",
    "nas",
    "catch",
    "protected",
    "decree848",
    "cereals",
)
OPEN_UP_TO = 8  # a source's list of indicators starts folded when it is longer
URL = re.compile(r"https?://[^\s<>()\[\]]+")
BOUNDARY_LINKS = (
    ("geokz 1.0.2", "https://github.com/arodionoff/geokz"),
    ("CC BY 4.0", "https://creativecommons.org/licenses/by/4.0/"),
    ("OCHA HDX COD-AB", "https://data.humdata.org/dataset/cod-ab-kaz"),
    ("© OpenStreetMap", "https://www.openstreetmap.org/copyright"),
)

register(
    {
        "ab.intro": {
            "kk": "Әр сан өз дереккөзімен бірге сақталады. Бұл бетте барлық дереккөздер, олардың "
            "сенімділік деңгейі және не үшін пайдаланылатыны, мақсатқа жету мәртебесінің "
            "әдісі, белгілі олқылықтар және жүктеу тарихы берілген.",
            "ru": "Каждая цифра хранится вместе со своим источником. На этой странице — все "
            "источники, их уровень надёжности и то, что они подтверждают, метод оценки "
            "статуса целей, известные пробелы и история загрузок.",
            "en": "Every figure is kept with its source. This page lists every source, its tier and "
            "what it supports, the method behind the target statuses, the known gaps and the "
            "load history.",
        },
        "ab.contents": {"kk": "Осы бетте", "ru": "На этой странице", "en": "On this page"},
        "ab.sources_intro": {
            "kk": "Дереккөздер сенімділік деңгейі бойынша топтастырылған. Құрастырушылардың "
            "ескертпелері ағылшын тілінде.",
            "ru": "Источники сгруппированы по уровню надёжности. Примечания составителей — на "
            "английском языке.",
            "en": "Sources are grouped by tier. The curators' notes are in English.",
        },
        "ab.tier.A": {
            "kk": "A — ресми статистика немесе құқықтық акт",
            "ru": "A — официальная статистика или правовой акт",
            "en": "A — official statistics or legal act",
        },
        "ab.tier.A.about": {
            "kk": "Ұлттық статистика бюросының кестелері (кейде үшінші тараптың көшірмесі, ұяшық "
            "бойынша тексерілген), Үкімет қаулылары мен классификаторлар.",
            "ru": "Таблицы Бюро национальной статистики (иногда в копии третьей стороны, сверенной "
            "по ячейкам), постановления Правительства и классификаторы.",
            "en": "Tables of the Bureau of National Statistics (sometimes a third party's copy, "
            "checked cell by cell), Government decrees and classifiers.",
        },
        "ab.tier.B": {
            "kk": "B — министрлік немесе ведомство мәлімдемесі",
            "ru": "B — заявление министерства или ведомства",
            "en": "B — ministry or agency statement",
        },
        "ab.tier.B.about": {
            "kk": "Министрліктердің, әкімдіктердің немесе Дүниежүзілік банктің ұлттық ақпарат "
            "агенттіктері мен баспасөз арқылы жеткен мәлімдемелері. Әдетте сенімді, бірақ "
            "бастапқы құжат емес.",
            "ru": "Заявления министерств, акиматов или Всемирного банка в передаче национальных "
            "информагентств и прессы. Обычно надёжны, но это не первичные документы.",
            "en": "Statements of ministries, akimats or the World Bank relayed by national news "
            "agencies and the press. Generally reliable, but not primary documents.",
        },
        "ab.tier.C": {
            "kk": "C — баспасөз немесе анықтамалық",
            "ru": "C — пресса или справочное издание",
            "en": "C — press or reference",
        },
        "ab.tier.C.about": {
            "kk": "Өңірлік баспасөз (көбіне әкімнің есебі), Уикипедия көшірмелері, талдау "
            "мақалалары мен энциклопедиялар.",
            "ru": "Региональная пресса (чаще всего отчёт акима), копии Википедии, аналитические "
            "статьи и энциклопедии.",
            "en": "Regional press (usually an akim's report), Wikipedia copies, analysis and "
            "encyclopaedias.",
        },
        "ab.tier.S": {
            "kk": "S — жарияланбаған қолжазба (аудан әкімінің есебі)",
            "ru": "S — неопубликованная рукопись (отчёт акима района)",
            "en": "S — unpublished manuscript (the district akim's report)",
        },
        "ab.tier.S.about": {
            "kk": "Жобаның негізі болған жарияланбаған қазақша қолжазба; ол Арал ауданы әкімінің "
            "2008 жылғы есебін қайталайды. Оның 2008 жылғы сандарының ешқайсысы жария "
            "дереккөздерден табылмады, сондықтан ол ең соңғы кезекте таңдалады.",
            "ru": "Неопубликованная рукопись на казахском языке, с которой начался проект; она "
            "пересказывает отчёт акима Аральского района за 2008 год. Ни одна её цифра за "
            "2008 год не найдена в публичных источниках, поэтому она выбирается последней.",
            "en": "The unpublished Kazakh manuscript the project started from; it restates the Aral "
            "district akim's report on 2008. None of its 2008 figures was found in a public "
            "source, so it is chosen last.",
        },
        "ab.tier.other": {
            "kk": "Деңгейі көрсетілмеген",
            "ru": "Уровень не указан",
            "en": "Tier not stated",
        },
        "ab.code": {"kk": "Коды", "ru": "Код", "en": "Code"},
        "ab.copy_read": {
            "kk": "(оқылған көшірмесі: ",
            "ru": "(прочитана копия: ",
            "en": "(copy read: ",
        },
        "ab.publisher": {"kk": "Жариялаушы", "ru": "Издатель", "en": "Publisher"},
        "ab.address": {"kk": "Мекенжайы", "ru": "Адрес", "en": "Address"},
        "ab.no_address": {
            "kk": "жария мекенжайы жоқ",
            "ru": "нет публичного адреса",
            "en": "no public address",
        },
        "ab.license_none": {
            "kk": "лицензия көрсетілмеген",
            "ru": "лицензия не указана",
            "en": "license not stated",
        },
        "ab.tier": {"kk": "Сенімділік деңгейі", "ru": "Уровень надёжности", "en": "Tier"},
        "ab.retrieved": {"kk": "Алынған нұсқасы", "ru": "Получено (версия)", "en": "Retrieved"},
        "ab.not_recorded": {"kk": "тіркелмеген", "ru": "не записано", "en": "not recorded"},
        "ab.obs_line": {
            "kk": "{indicator}: {years} (мәндер саны: {n})",
            "ru": "{indicator}: {years} (значений: {n})",
            "en": "{indicator}: {years} (values: {n})",
        },
        "ab.obs_summary": {
            "kk": "Бақылаулар — көрсеткіштер: {k}, мәндер: {n}",
            "ru": "Наблюдения — показателей: {k}, значений: {n}",
            "en": "Observations — indicators: {k}, values: {n}",
        },
        "ab.load.loaded": {"kk": "жүктелді", "ru": "загружено", "en": "loaded"},
        "ab.targets": {
            "kk": "Көрсетілген мақсаттар",
            "ru": "Указанные цели",
            "en": "Targets it states",
        },
        "ab.target_line": {
            "kk": "{program}: {indicator} — {year} жылға қарай {cmp} {value}, {area}",
            "ru": "{program}: {indicator} — {cmp} {value} к {year} году, {area}",
            "en": "{program}: {indicator} — {cmp} {value} by {year}, {area}",
        },
        "ab.supports_nothing": {
            "kk": "Бұл дереккөзде бақылаулар да, мақсаттар да жоқ (мысалы, аумақтар тізімінің "
            "немесе шекаралардың дереккөзі).",
            "ru": "У этого источника нет ни наблюдений, ни целей (например, это источник списка "
            "территорий или границ).",
            "en": "This source has no observations or targets (for example, it is the source of "
            "the area list or the boundaries).",
        },
        "ab.method_h": {
            "kk": "Мақсатқа жету мәртебесі қалай анықталады",
            "ru": "Как определяется статус достижения цели",
            "en": "How a target's status is determined",
        },
        "ab.method_intro": {
            "kk": "Әдіс Open SDG прогресс өлшемінің идеясына сүйенеді, бірақ оңай түсіндіру үшін "
            "қарапайымдалған. Көрсеткіштің таңдаулы дереккөздегі мәндері (жылына бір мән) "
            "мақсатпен салыстырылады; тексерулер осы ретпен жүреді:",
            "ru": "Метод следует идее показателя прогресса Open SDG, упрощённой так, чтобы её "
            "было легко объяснить. Значения показателя из предпочтительного источника (одно "
            "в год) сравниваются с целью; проверки идут в таком порядке:",
            "en": "The method follows the idea of Open SDG's progress measure, kept simple enough "
            "to explain. The indicator's values from its preferred source (one a year) are "
            "compared with the target; the checks run in this order:",
        },
        "ab.m.achieved": {
            "kk": "соңғы мән мақсатқа жетті: «кемінде» мақсаттарда одан кем емес, «аспайтын» "
            "мақсаттарда одан аспайды, «тең» мақсаттарда мақсат мәнінен {tol}% шегінде.",
            "ru": "последнее значение уже отвечает цели: для целей «не менее» — не ниже её, "
            "для «не более» — не выше, для «равно» — в пределах {tol}% от целевого значения.",
            "en": "the latest value already meets the target: at least the target value for "
            "“at least” targets, at most for “at most” targets, and within {tol}% of it for "
            "“equal to” targets.",
        },
        "ab.m.insufficient": {
            "kk": "мән жоқ немесе қарқынды өлшеуге болмайды: соңғы {recent} жылда {min} мән "
            "жоқ және базалық жылдан кейінгі мән жоқ. Базалық деңгей — мақсаттың өз базалық "
            "мәні (мәні де, жылы да көрсетілсе), әйтпесе алғашқы бақыланған мән.",
            "ru": "значений нет или темп измерить нельзя: за последние {recent} лет меньше {min} "
            "значений и нет значения позже базового года. Базовый уровень — собственное базовое "
            "значение цели (если указаны и значение, и год), иначе первое наблюдённое значение.",
            "en": "there is no value, or no pace can be measured: fewer than {min} values in the "
            "last {recent} years and no value later than the baseline year. The baseline is the "
            "target's own baseline when it gives both a value and a year, otherwise the first "
            "observed value.",
        },
        "ab.m.off_track": {
            "kk": "мақсатты жыл өтті, ал мақсатқа жетпеді; немесе шешуші қарқын соңғы мәннен "
            "мақсатқа өз жылында жету үшін қажетті қарқынның {ratio}%-ынан төмен. Шешуші "
            "қарқын — соңғы үрдіс (соңғы {recent} жылда кемінде {min} мән болса); әйтпесе "
            "базалық деңгейден бергі қарқын.",
            "ru": "целевой год прошёл, а цель не достигнута; или определяющий темп ниже {ratio}% "
            "темпа, необходимого, чтобы от последнего значения достичь цели к её году. "
            "Определяющий темп — недавний тренд (если за последние {recent} лет есть не менее "
            "{min} значений), иначе темп с базового года.",
            "en": "the target year has passed without the target being met, or the deciding "
            "pace is below {ratio}% of the pace needed from the latest value to reach the target "
            "by its year. The deciding pace is the recent trend (when the last {recent} years "
            "hold at least {min} values), otherwise the pace since the baseline.",
        },
        "ab.m.on_track": {
            "kk": "қалған жағдайлардың бәрі: шешуші қарқын қажетті қарқынның кемінде {ratio}%-ы.",
            "ru": "все остальные случаи: определяющий темп составляет не менее {ratio}% "
            "необходимого.",
            "en": "otherwise: the deciding pace is at least {ratio}% of the pace needed.",
        },
        "ab.m.pace": {
            "kk": "Барлық қарқын сызықтық, көрсеткіш бірлігімен жылына. Қажетті қарқын = "
            "(мақсат мәні − соңғы мән) ÷ (мақсатты жыл − соңғы жыл): бүгіннен бастап не "
            "істеу керек. Соңғы үрдіс — соңғы {recent} жылдағы мәндердің ең кіші квадраттар "
            "көлбеулігі. Базалық деңгейден бергі қарқын (бағдарламаның өз өлшемі) = (соңғы мән "
            "− базалық мән) ÷ (соңғы жыл − базалық жыл); ол әрқашан қатар көрсетіледі, бірақ "
            "соңғы үрдіс өлшенсе, мәртебені анықтамайды. Карточкалар, слайдтар, бағдарламалар "
            "беті мен есептер үш қарқынды да көрсетіп, шешушісін белгілейді.",
            "ru": "Все темпы линейные, в единицах показателя в год. Необходимый темп = (целевое "
            "значение − последнее) ÷ (целевой год − последний год): что нужно делать начиная с "
            "сегодняшнего дня. Недавний тренд — наклон прямой наименьших квадратов по значениям "
            "последних {recent} лет. Темп с базового года (мера самой программы) = (последнее "
            "значение − базовое) ÷ (последний год − базовый год); он показывается всегда, но "
            "статус не определяет, если недавний тренд измерен. Карточки, слайды, страница "
            "программ и отчёты показывают все три темпа и отмечают определяющий.",
            "en": "All paces are linear, in the indicator's units per year. Pace needed = (target "
            "value − latest value) ÷ (target year − latest year): what it takes from today. The "
            "recent trend is the least-squares slope of the values of the last {recent} years. "
            "The pace since the baseline (the program's own measure) = (latest value − "
            "baseline) ÷ (latest year − baseline year); it is always shown beside the others but "
            "does not decide the status when the recent trend can be measured. Cards, slides, "
            "the programs page and reports show all three and mark the one that decides.",
        },
        "ab.m.symbols": {
            "kk": "Мәртебе тек түспен емес, таңбамен және мәтінмен де көрсетіледі.",
            "ru": "Статус обозначается не только цветом, но и значком и текстом.",
            "en": "A status is shown by a symbol and text, never by colour alone.",
        },
        "ab.pref_h": {
            "kk": "Бірнеше дереккөз болғанда қайсысы көрсетіледі",
            "ru": "Какой источник показывается, когда их несколько",
            "en": "Which source is shown when there are several",
        },
        "ab.pref_text": {
            "kk": "Бір көрсеткіш, аумақ және жыл үшін бірнеше дереккөз мән берсе, әдепкі бойынша "
            "біреуі көрсетіледі: көрсеткіштің таңдаулы дереккөзі, ол мән бермесе — "
            "сенімділік деңгейі жоғарырақ дереккөз ({order}). Мақсат мәртебесі де осы "
            "мәндер бойынша есептеледі. Басқа мәндер жойылмайды: олар өз дереккөзімен "
            "сақталады, «Зерттеу» бетінде сұрау бойынша көрсетіледі, ал карточкаларда "
            "«Басқа дереккөздерде өзге мәндер бар» деп белгіленеді.",
            "ru": "Если для одного показателя, территории и года значения дают несколько "
            "источников, по умолчанию показывается одно: из предпочтительного источника "
            "показателя, а если его нет — из источника более высокого уровня ({order}). "
            "По этим же значениям рассчитывается статус цели. Остальные значения не "
            "удаляются: они хранятся со своими источниками, показываются по запросу в "
            "разделе «Анализ» и отмечены на карточках пометкой «В других источниках есть "
            "иные значения».",
            "en": "When several sources give a value for the same indicator, area and year, one is "
            "shown by default: the indicator's preferred source, or failing that the source "
            "of the highest tier ({order}). Target statuses use these values too. The other "
            "readings are not discarded: they are kept with their sources, shown on request "
            "in Explore, and flagged on the cards as “Other sources give other readings”.",
        },
        "ab.gaps_h": {
            "kk": "Белгілі олқылықтар мен ескертулер",
            "ru": "Известные пробелы и оговорки",
            "en": "Known gaps and cautions",
        },
        "gap.salt_fish": {
            "kk": "Арал ауданы бойынша тұз өндірудің (Аралтұз АҚ) және балық өңдеудің жылдық "
            "қатары жоқ: бастапқы жұмыстағы 2008 жылғы сандардан басқа тек жекелеген жылдар "
            "бар.",
            "ru": "Годовых рядов добычи соли (АО «Аралтұз») и переработки рыбы по Аральскому "
            "району нет: кроме цифр исходной работы за 2008 год, есть лишь отдельные годы.",
            "en": "There is no annual series of Aral-district salt extraction (Araltuz JSC) or of "
            "fish processed: beyond the akim's report's 2008 figures there are only scattered "
            "years.",
        },
        "gap.seed": {
            "kk": "Бастапқы жұмыстың 2008 жылғы сандарының ешқайсысы жария дереккөздерден "
            "табылмады; есеп кезеңі жылдың бір бөлігін ғана қамтуы мүмкін.",
            "ru": "Ни одна из цифр исходной работы за 2008 год не найдена в публичных источниках; "
            "отчётный период может охватывать лишь часть года.",
            "en": "None of the 2008 figures of the akim's report (known from an unpublished "
            "thesis) was found in a public source, and its reporting period may cover only "
            "part of the year.",
        },
        "gap.population": {
            "kk": "Аудандардың халық саны әр санақ бойынша қайта есептеледі (2009 және 2021 "
            "жылдары үзілістер бар), шекаралар да өзгерген; бұл үзілістерді өсім немесе кему "
            "деп оқымаңыз.",
            "ru": "Численность населения районов пересчитывается по каждой переписи (разрывы в "
            "2009 и 2021 годах), менялись и границы; не читайте эти разрывы как рост или "
            "убыль.",
            "en": "District population is rebased on each census (breaks in 2009 and 2021), and "
            "boundaries changed; do not read these breaks as growth or decline.",
        },
        "gap.industry": {
            "kk": "Өнеркәсіп өнімі кәсіпорын тіркелген жерге жатқызылады: мысалы, Қызылорда "
            "қаласында тіркелген компаниялардың мұнай-газ өндірісі. Бұл өндіру орнын "
            "көрсетпейді.",
            "ru": "Промышленная продукция учитывается по месту регистрации предприятия: например, "
            "добыча нефти и газа компаниями, зарегистрированными в Кызылорде. Это не "
            "показывает, где ведётся добыча.",
            "en": "Industrial output is counted where firms are registered — for example, the oil "
            "and gas output of companies registered in Kyzylorda city. It does not show "
            "where extraction happens.",
        },
        "gap.money": {
            "kk": "Барлық ақшалай көрсеткіштер номиналды, ағымдағы бағамен берілген.",
            "ru": "Все денежные показатели номинальные, в текущих ценах.",
            "en": "All money figures are nominal, in current prices.",
        },
        "gap.nas": {
            "kk": "Солтүстік Арал теңізінің сандары (деңгейі, көлемі, аулау) — министрлік "
            "мәлімдемелерінің баспасөздегі қайталануы; 2005–2021 жылдарға жылдық қатар жоқ. "
            "Теңіз әкімшілік аумақ емес, сондықтан оның сандары Арал ауданына жазылған.",
            "ru": "Цифры по Северному Аральскому морю (уровень, объём, улов) — пересказ заявлений "
            "министерства в прессе; годового ряда за 2005–2021 годы нет. Море — не "
            "административная единица, поэтому его цифры записаны за Аральским районом.",
            "en": "North Aral Sea figures (level, volume, catch) are press restatements of "
            "ministry statements, with no annual series for 2005–2021. The sea is not an "
            "administrative area, so its figures are recorded under Aral district.",
        },
        "gap.catch": {
            "kk": "Балық аулау сандары әртүрлі жиынтықтарға жатады (облыс бойынша, «арал "
            "балықшылары», тек Кіші Арал), оларды бір қатарға біріктіруге болмайды.",
            "ru": "Цифры вылова рыбы относятся к разным совокупностям (по области, «аральские "
            "рыбаки», только Малый Арал), и сводить их в один ряд нельзя.",
            "en": "Fish-catch figures are different aggregates (the oblast, “Aral fishermen”, the "
            "Small Aral alone) and cannot be spliced into one series.",
        },
        "gap.protected": {
            "kk": "Ерекше қорғалатын табиғи аумақтардың «кемінде 10%» мақсатын 2007–2024 жылдарға "
            "арналған Тұжырымдаманың өз мәтінінен тексеру мүмкін болмады; ол бастапқы "
            "жұмысқа сілтеме жасалып беріледі.",
            "ru": "Цель «не менее 10 %» по особо охраняемым природным территориям не удалось "
            "проверить по тексту самой Концепции на 2007–2024 годы; она приводится со "
            "ссылкой на исходную работу.",
            "en": "The “at least 10 %” protected-area target could not be verified in the text of "
            "the 2007–2024 Concept itself; it is cited to an unpublished thesis that restates it.",
        },
        "gap.decree848": {
            "kk": "№ 848 қаулының кестесінен тек алғашқы екі жол оқылды; базалық бағанның "
            "(«Ағымдағы ахуал») жылы көрсетілмеген (шамамен 2006–2007).",
            "ru": "Из таблицы постановления № 848 прочитаны только первые две строки; год "
            "базового столбца («Ағымдағы ахуал», текущее положение) не указан (около "
            "2006–2007).",
            "en": "Only the first two rows of the Decree No. 848 table could be read; its baseline "
            "column («Ағымдағы ахуал», current situation) has no year (c.2006–2007).",
        },
        "gap.cereals": {
            "kk": "Аудандық «дәнді (күрішті қоса) және бұршақ дақылдары» — тек күріш емес, барлық "
            "дәнді және бұршақ дақылдары.",
            "ru": "Районные «зерновые (включая рис) и бобовые культуры» — это все зерновые и "
            "бобовые, а не только рис.",
            "en": "District “cereals (including rice) and pulses” are all cereals and pulses, not "
            "rice alone.",
        },
        "ab.loads_h": {"kk": "Жүктеу тарихы", "ru": "История загрузок", "en": "Load history"},
        "ab.loads_intro": {
            "kk": "Дерекқорға жүктелген әр файл: пішімі, уақыты (UTC) және жолдар саны.",
            "ru": "Каждый файл, загруженный в базу данных: формат, время (UTC) и число строк.",
            "en": "Every file loaded into the database: its format, time (UTC) and rows.",
        },
        "ab.no_loads": {
            "kk": "Жүктеулер әлі жоқ.",
            "ru": "Загрузок пока нет.",
            "en": "Nothing has been loaded yet.",
        },
        "ab.file": {"kk": "Файл", "ru": "Файл", "en": "File"},
        "ab.checksum": {
            "kk": "Бақылау сомасы (SHA-256)",
            "ru": "Контрольная сумма (SHA-256)",
            "en": "Checksum (SHA-256)",
        },
        "ab.regions_title": {
            "kk": "Аймақтық жинақтар: аймақ бойынша не жүктелді",
            "ru": "Региональные сборники: что загружено по регионам",
            "en": "Regional workbooks: what was loaded per region",
        },
        "ab.regions_intro": {
            "kk": "Әр аймақтың жинағы: қай файлдан, қай кестелер (парақ!ауқым) жүктелді, "
            "қай парақтар не себепті өткізілді және картаға түспеген жолдар саны.",
            "ru": "Сборник каждого региона: из какого файла и каких таблиц (лист!диапазон) "
            "загружено, какие листы пропущены и почему, и сколько строк не сопоставлено.",
            "en": "Each region's workbook: the file and tables (sheet!range) loaded, the sheets "
            "skipped and why, and how many rows with figures are not mapped.",
        },
        "ab.region": {"kk": "Аймақ", "ru": "Регион", "en": "Region"},
        "ab.sheets_loaded": {
            "kk": "Жүктелген парақтар",
            "ru": "Загружены листы",
            "en": "Sheets loaded",
        },
        "ab.sheets_skipped": {
            "kk": "Өткізілген парақтар",
            "ru": "Пропущены листы",
            "en": "Sheets skipped",
        },
        "ab.observations": {"kk": "Мәндер", "ru": "Значения", "en": "Observations"},
        "ab.unmapped": {
            "kk": "Сәйкестендірілмеген жолдар",
            "ru": "Несопоставленные строки",
            "en": "Unmapped rows",
        },
        "ab.format": {"kk": "Пішімі", "ru": "Формат", "en": "Format"},
        "ab.when": {"kk": "Уақыты", "ru": "Время", "en": "When"},
        "ab.rows_read": {"kk": "Оқылды", "ru": "Прочитано", "en": "Rows read"},
        "ab.rows_loaded": {"kk": "Жүктелді", "ru": "Загружено", "en": "Rows loaded"},
        "ab.rows_rejected": {"kk": "Қабылданбады", "ru": "Отклонено", "en": "Rows rejected"},
        "ab.bounds_h": {"kk": "Шекаралар", "ru": "Границы", "en": "Boundaries"},
        "ab.bounds_yes": {
            "kk": "Шекаралар дерекқорға орнатылған, карталар жұмыс істейді.",
            "ru": "Границы установлены в базе данных, карты работают.",
            "en": "Boundaries are installed in the database; the maps work.",
        },
        "ab.bounds_no": {
            "kk": "Шекаралар орнатылмаған: карталардан басқасының бәрі жұмыс істейді. Оларды "
            "орнату үшін `python -m etl build` іске қосыңыз.",
            "ru": "Границы не установлены: работает всё, кроме карт. Чтобы установить их, "
            "запустите `python -m etl build`.",
            "en": "Boundaries are not installed: everything but the maps works. Run "
            "`python -m etl build` to install them.",
        },
    }
)


def linkify(text: str) -> list:
    """The text with each web address in it made a link (a source's address may hold two)."""
    out: list = []
    pos = 0
    for match in URL.finditer(text):
        url = match.group(0).rstrip(".,;:")
        if match.start() > pos:
            out.append(text[pos : match.start()])
        out.append(html.A(url, href=url, rel="noopener"))
        pos = match.start() + len(url)
    if pos < len(text):
        out.append(text[pos:])
    return out


def percent(fraction: float, lang: str) -> str:
    """A fraction as a percentage number in ``lang``: 0.95 -> '95', 0.015 -> '1,5' (kk, ru)."""
    return fmt_number(round(fraction * 100, 6), lang)


def years_span(first: object, last: object) -> str:
    """'2005–2022', or '2008' when both are the same year."""
    first, last = int(first), int(last)
    return str(first) if first == last else f"{first}–{last}"


def tier_order() -> list[str]:
    """Tiers from most to least preferred, as the store ranks them."""
    return sorted(queries.TIER_RANK, key=queries.TIER_RANK.get)


def layout(lang: str | None = None, **_: object) -> html.Div:
    lang = request_lang(lang)
    if not queries.is_ready():
        return no_database(lang)
    return html.Div(
        [
            html.H1(t("nav.about", lang)),
            html.P(t("ab.intro", lang), className="lead"),
            _contents(lang),
            _sources(lang),
            _method(lang),
            _preferred(lang),
            _gaps(lang),
            _loads(lang),
            _boundaries(lang),
        ],
        className="page about",
    )


def _heading_key(section: str) -> str:
    return {
        "sources": "word.sources",
        "method": "ab.method_h",
        "preferred": "ab.pref_h",
        "gaps": "ab.gaps_h",
        "loads": "ab.loads_h",
        "boundaries": "ab.bounds_h",
    }[section]


def _section(section: str, lang: str, children: list) -> html.Section:
    return html.Section(
        [html.H2(t(_heading_key(section), lang), id=f"{section}-h"), *children],
        id=section,
        **{"aria-labelledby": f"{section}-h"},
    )


def _contents(lang: str) -> html.Nav:
    return html.Nav(
        [
            html.H2(t("ab.contents", lang), id="about-contents"),
            html.Ul([html.Li(html.A(t(_heading_key(s), lang), href=f"#{s}")) for s in SECTIONS]),
        ],
        **{"aria-labelledby": "about-contents"},
    )


def _sources(lang: str) -> html.Section:
    srcs = queries.sources()
    counts = queries.observation_counts()
    targets = queries.targets()
    names = _indicator_names(lang)
    areas = _area_names(lang)
    known = tier_order()
    children: list = [html.P(t("ab.sources_intro", lang))]
    for tier in [*known, None]:
        group = srcs[srcs["tier"] == tier] if tier else srcs[~srcs["tier"].isin(known)]
        if group.empty:
            continue
        label = t(f"ab.tier.{tier}", lang) if tier else t("ab.tier.other", lang)
        children.append(html.H3(label, id=f"tier-{tier or 'other'}"))
        if tier:
            children.append(html.P(t(f"ab.tier.{tier}.about", lang), className="muted"))
        children += [
            _source(
                row,
                counts[counts["source"] == row.code],
                targets[targets["source"] == row.code],
                names,
                areas,
                lang,
            )
            for row in group.itertuples()
        ]
    return _section("sources", lang, children)


def _indicator_names(lang: str) -> dict[str, tuple[str, str]]:
    df = queries.indicators()
    return {
        c: (n, u)
        for c, n, u in zip(df["code"], df[f"name_{lang}"], df[f"unit_{lang}"], strict=True)
    }


def _area_names(lang: str) -> dict[str, str]:
    df = queries.areas()
    return dict(zip(df["kato"], df[f"name_{lang}"], strict=True))


def _given(value: object) -> bool:
    return value is not None and not pd.isna(value) and str(value).strip() != ""


def _source(
    row: object, counts: pd.DataFrame, targets: pd.DataFrame, names: dict, areas: dict, lang: str
) -> html.Article:
    address = (
        linkify(row.address.replace("(copy read: ", t("ab.copy_read", lang)))
        if _given(row.address)
        else t("ab.no_address", lang)
    )
    tier = (
        t(f"ab.tier.{row.tier}", lang)
        if row.tier in queries.TIER_RANK
        else t("ab.tier.other", lang)
    )
    facts = [
        (t("ab.code", lang), html.Code(row.code)),
        (t("ab.publisher", lang), curated_text(row, "publisher", lang)),
        (t("ab.address", lang), address),
        (
            t("word.license", lang),
            curated_text(row, "license", lang)
            if _given(row.license)
            else t("ab.license_none", lang),
        ),
        (t("ab.tier", lang), tier),
        (
            t("ab.retrieved", lang),
            html.Code(row.retrieved) if _given(row.retrieved) else t("ab.not_recorded", lang),
        ),
    ]
    items: list = []
    for label, value in facts:
        items += [html.Dt(label), html.Dd(value)]
    if _given(row.note):
        items += [html.Dt(t("word.note", lang)), curated_text(row, "note", lang, html.Dd)]
    return html.Article(
        [
            html.H4(row.title, id=f"source-{row.code}", lang=text_lang(row.title)),
            html.Dl(items, className="facts"),
            *_supports(counts, targets, names, areas, lang),
        ],
        className="source",
    )


def _supports(
    counts: pd.DataFrame, targets: pd.DataFrame, names: dict, areas: dict, lang: str
) -> list:
    """What a source supports: observations per indicator, and the targets it states."""
    if counts.empty and targets.empty:
        return [html.P(t("ab.supports_nothing", lang), className="muted")]
    out: list = []
    if not counts.empty:
        summary = t(
            "ab.obs_summary", lang, k=len(counts), n=fmt_number(int(counts["n"].sum()), lang)
        )
        out.append(
            html.Details(
                [
                    html.Summary(summary),
                    html.Ul(
                        [
                            html.Li(
                                t(
                                    "ab.obs_line",
                                    lang,
                                    indicator=names.get(r.indicator, (r.indicator,))[0],
                                    n=fmt_number(int(r.n), lang),
                                    years=years_span(r.first_year, r.last_year),
                                )
                            )
                            for r in counts.itertuples()
                        ]
                    ),
                ],
                open=len(counts) <= OPEN_UP_TO,
            )
        )
    if not targets.empty:
        out += [
            html.H5(t("ab.targets", lang)),
            html.Ul(
                [
                    html.Li(_target_line(r, names, areas, lang))
                    for r in targets.sort_values(
                        ["program", "indicator", "target_year"]
                    ).itertuples()
                ]
            ),
        ]
    return out


def _target_line(r: object, names: dict, areas: dict, lang: str) -> dcc.Link:
    name, unit = names.get(r.indicator, (r.indicator, ""))
    text = t(
        "ab.target_line",
        lang,
        program=getattr(r, f"program_{lang}"),
        indicator=name,
        cmp=t(f"cmp.{r.comparator}", lang),
        value=f"{fmt_number(r.value, lang)} {unit}",
        year=int(r.target_year),
        area=areas.get(r.area, r.area),
    )
    return dcc.Link(text, href="/programs" + query_string(program=r.program, lang=lang))


def _method(lang: str) -> html.Section:
    ratio = percent(st.ON_TRACK_RATIO, lang)
    tol = percent(st.EQUAL_TOLERANCE, lang)
    fmt = {"ratio": ratio, "tol": tol, "recent": st.RECENT_YEARS, "min": st.RECENT_MIN_VALUES}
    order = (st.ACHIEVED, st.INSUFFICIENT, st.OFF_TRACK, st.ON_TRACK)
    steps = [html.Li([_badge(s, lang), ": ", t(f"ab.m.{s}", lang, **fmt)]) for s in order]
    return _section(
        "method",
        lang,
        [
            html.P(t("ab.method_intro", lang)),
            html.Ol(steps, className="method-steps"),
            html.P(t("ab.m.pace", lang, **fmt)),
            html.P(t("ab.m.symbols", lang), className="muted"),
        ],
    )


def _badge(status: str, lang: str) -> html.Span:
    return html.Span(
        [
            html.Span(st.SYMBOLS[status], **{"aria-hidden": "true"}),
            " " + t(f"status.{status}", lang),
        ],
        className=f"status status-{status}",
        style={"borderColor": st.COLOURS[status]},
    )


def _preferred(lang: str) -> html.Section:
    order = " > ".join(tier_order())
    return _section("preferred", lang, [html.P(t("ab.pref_text", lang, order=order))])


def _gaps(lang: str) -> html.Section:
    return _section("gaps", lang, [html.Ul([html.Li(t(f"gap.{g}", lang)) for g in GAPS])])


def _loads(lang: str) -> html.Section:
    runs = queries.load_runs()
    if runs.empty:
        return _section("loads", lang, [html.P(t("ab.no_loads", lang))])
    head = [
        ("ab.file", ""),
        ("ab.checksum", ""),
        ("ab.format", ""),
        ("ab.when", ""),
        ("ab.rows_read", "num"),
        ("ab.rows_loaded", "num"),
        ("ab.rows_rejected", "num"),
        ("word.status", ""),
    ]
    rows = [
        html.Tr(
            [
                html.Td(html.Code(file_name(r.file))),
                html.Td(html.Code(f"{r.checksum[:12]}…", title=f"SHA-256 {r.checksum}")),
                html.Td(html.Code(r.format)),
                html.Td(f"{pd.Timestamp(r.finished_at):%Y-%m-%d %H:%M}"),
                *[
                    html.Td(fmt_number(int(v), lang), className="num")
                    for v in (r.rows_read, r.rows_loaded, r.rows_rejected)
                ],
                html.Td(_load_status(r.status, lang)),
            ]
        )
        for r in runs.sort_values("id", ascending=False).itertuples()
    ]
    table = html.Table(
        [
            html.Thead(html.Tr([html.Th(t(k, lang), scope="col", className=c) for k, c in head])),
            html.Tbody(rows),
        ],
        className="data",
    )
    return _section(
        "loads",
        lang,
        [
            html.P(t("ab.loads_intro", lang)),
            html.Div(table, className="table-wrap"),
            *_regions(lang),
        ],
    )


def file_name(path: str) -> str:
    """The file's own name, without the server's folders (a load's path is not public)."""
    return PureWindowsPath(str(path)).name if "\\" in str(path) else PurePosixPath(str(path)).name


def _regions(lang: str) -> list:
    """Per region: the workbook, the tables loaded, the sheets skipped and why."""
    sheets = queries.load_sheets()
    if sheets.empty:
        return []
    names = _area_names(lang)
    rows = []
    for (region, file), g in sheets.groupby(["region", "file"], sort=False):
        loaded = g[g["status"] == "loaded"]
        skipped = g[g["status"] != "loaded"]
        rows.append(
            html.Tr(
                [
                    html.Td(names.get(region, region)),
                    html.Td(html.Code(file)),
                    html.Td(
                        html.Details(
                            [
                                html.Summary(fmt_number(len(loaded), lang)),
                                html.Ul([html.Li(html.Code(a)) for a in loaded["address"]]),
                            ]
                        )
                    ),
                    html.Td(
                        html.Ul(
                            [
                                html.Li(f"«{r.sheet}»: {r.reason}", lang=text_lang(r.reason))
                                for r in skipped.itertuples()
                            ]
                        )
                        if len(skipped)
                        else "—"
                    ),
                    html.Td(fmt_number(int(loaded["observations"].sum()), lang), className="num"),
                    html.Td(fmt_number(int(g["unmapped"].fillna(0).sum()), lang), className="num"),
                ]
            )
        )
    head = [
        ("ab.region", ""),
        ("ab.file", ""),
        ("ab.sheets_loaded", ""),
        ("ab.sheets_skipped", ""),
        ("ab.observations", "num"),
        ("ab.unmapped", "num"),
    ]
    table = html.Table(
        [
            html.Thead(html.Tr([html.Th(t(k, lang), scope="col", className=c) for k, c in head])),
            html.Tbody(rows),
        ],
        className="data",
    )
    return [
        html.H3(t("ab.regions_title", lang), id="regions"),
        html.P(t("ab.regions_intro", lang)),
        html.Div(table, className="table-wrap"),
    ]


def _load_status(status: str, lang: str) -> str:
    return t(f"ab.load.{status}", lang) if status == "loaded" else status


def _boundaries(lang: str) -> html.Section:
    installed = queries.has_boundaries()
    links = html.Ul(
        [html.Li(html.A(label, href=href, rel="noopener")) for label, href in BOUNDARY_LINKS]
    )
    state = html.P(
        t("ab.bounds_yes" if installed else "ab.bounds_no", lang),
        className="notice" if installed else "notice notice-warning",
    )
    return _section("boundaries", lang, [html.P(t("footer.boundaries", lang)), links, state])
