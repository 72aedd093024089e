"""Slide kinds: a slide (as :mod:`store.decks` returns it) and its data -> a :class:`SlideModel`.

:func:`build` makes the model common to every kind (title, notes, the "data as of" date, or
the message of a slide whose data could not be read), then one module per kind fills it in
(``fill(model, slide, data, deck, lang, texts, ctx)``): :mod:`.title`, :mod:`.text`,
:mod:`.closing`, :mod:`.target`, :mod:`.chart`, :mod:`.map`, :mod:`.compare`.
"""

from __future__ import annotations

from datetime import date

from components.i18n import fmt_date, t
from components.slide_kinds import chart, closing, compare, target, text, title
from components.slide_kinds import map as map_slide
from components.slides import SlideModel, slide_texts

FILL = {
    "title": title.fill,
    "target": target.fill,
    "chart": chart.fill,
    "map": map_slide.fill,
    "compare": compare.fill,
    "text": text.fill,
    "closing": closing.fill,
}


def build(
    slide: dict,
    data: dict,
    deck: dict,
    lang: str,
    *,
    as_of: str | None = None,
    link: str | None = None,
    base: str = "",
    today: date | None = None,
) -> SlideModel:
    """The model of ``slide`` in ``lang`` from its ``data`` (see :func:`store.slide_data.slide_data`).

    ``as_of`` (YYYY-MM-DD) marks a frozen deck's figures; ``link`` is the live view's
    address, shown as a QR code on a closing slide (whose ``url`` parameter, when it is a
    path, is joined to ``base``, the public address of the dashboard).
    """
    texts = slide_texts(slide, lang)
    model = SlideModel(kind=slide["kind"], title=texts["title"], notes=texts["notes"])
    if as_of:
        model.as_of = t("pr.as_of", lang, date=fmt_date(date.fromisoformat(as_of), lang))
    if slide["kind"] in ("target", "chart", "map", "compare"):
        if data.get("missing_database"):
            model.message = t("msg.no_database", lang)
        elif data.get("error") or not data.get("indicator"):
            model.message = t("pr.error", lang)
        if model.message:
            model.title = model.title or t("pr.error", lang)
            return model
    FILL[slide["kind"]](
        model,
        slide,
        data,
        deck,
        lang,
        texts,
        {"link": link, "base": base, "today": today or date.today(), "as_of": as_of},
    )
    return model
