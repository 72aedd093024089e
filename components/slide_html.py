"""Slides as HTML: a deck's slide models rendered as one document for the present page, the
presenter view and the self-contained export (:func:`document`), with the words the page's
script shows and the files it loads (present.css, present.js).

Slides are laid out on a 1920 × 1080 canvas that the page scales to the screen, so type
sizes are those of a 1080p projector: body text 32 px, titles 60 px.
"""

from __future__ import annotations

import html
import json
from pathlib import Path

from plotly.utils import PlotlyJSONEncoder

from components.i18n import LANGS, OFFLINE_PLOTLY_CONFIG, plotly_locales, t
from components.slides import SlideModel, deck_title

STATIC_DIR = Path(__file__).resolve().parent / "slides_static"


def _e(text: object) -> str:
    return html.escape(str(text), quote=True)


def render_slide(model: SlideModel, index: int, total: int, title: str, lang: str) -> str:
    """One slide as a <section>; its figure is drawn into ``#fig-<index>`` by the page."""
    n = index + 1
    label = t("pr.slide_label", lang, n=n, total=total, title=model.title)
    parts = [
        f'<section class="slide kind-{model.kind}" id="slide-{n}" data-index="{index}" '
        f'aria-label="{_e(label)}" aria-roledescription="slide">'
    ]
    heading = "h1" if model.kind in ("title", "closing") else "h2"
    parts.append(
        f'<header class="slide-head"><{heading} class="slide-title">{_e(model.title)}</{heading}>'
    )
    if model.subtitle:
        parts.append(f'<p class="slide-subtitle">{_e(model.subtitle)}</p>')
    parts.append("</header>")
    parts.append(f'<div class="slide-body">{_body(model, index)}</div>')
    if model.sources:
        parts.append(
            f'<p class="slide-sources"><span class="label">'
            f"{_e(t('word.sources', lang))}:</span> "
            f"{_e('; '.join(model.sources))}</p>"
        )
    as_of = f'<span class="as-of">{_e(model.as_of)}</span>' if model.as_of else "<span></span>"
    parts.append(
        f'<footer class="slide-foot"><span class="deck-title">{_e(title)}</span>'
        f'{as_of}<span class="slide-no">'
        f"{_e(t('pr.slide_no', lang, n=n, total=total))}</span></footer>"
    )
    parts.append("</section>")
    return "".join(parts)


def _body(model: SlideModel, index: int) -> str:
    out = []
    if model.message:
        out.append(f'<p class="slide-message" role="status">{_e(model.message)}</p>')
    side = []
    if model.facts:
        items = "".join(
            f'<div class="fact{" status-" + f.status if f.status else ""}">'
            f'<dt>{_e(f.label)}</dt><dd class="value">{_e(f.value)}</dd>'
            + (f'<dd class="note">{_e(f.note)}</dd>' if f.note else "")
            + "</div>"
            for f in model.facts
        )
        side.append(f'<dl class="facts">{items}</dl>')
    if model.ranking:
        rows = "".join(
            f'<li{" class=current" if cur else ""}><span class="rank">{_e(r)}</span>'
            f'<span class="name">{_e(nm)}</span><span class="value">{_e(v)}</span>'
            "</li>"
            for r, nm, v, cur in model.ranking
        )
        side.append(
            f'<div class="ranking"><p class="ranking-title">{_e(model.ranking_title)}'
            f"</p><ol>{rows}</ol></div>"
        )
    text = "".join(f"<p>{_e(p)}</p>" for p in model.paragraphs)
    if model.bullets:
        text += "<ul>" + "".join(f"<li>{_e(b)}</li>" for b in model.bullets) + "</ul>"
    if model.qr_svg:
        out.append(
            f'<div class="closing"><figure class="qr" role="img" '
            f'aria-label="{_e(model.figure_alt)}">{model.qr_svg}</figure>'
            f'<div class="closing-text">{text}<p class="link">{_e(model.link)}</p>'
            "</div></div>"
        )
        return "".join(out)
    figure = (
        (
            f'<div class="figure" id="fig-{index}" role="img" '
            f'aria-label="{_e(model.figure_alt)}"></div>'
        )
        if model.figure
        else ""
    )
    if figure and side:
        out.append(
            f'<div class="split"><div class="side">{"".join(side)}{text}</div>{figure}</div>'
        )
    else:
        out.append("".join(side) + (f'<div class="text">{text}</div>' if text else "") + figure)
    return "".join(out)


def _json_script(element_id: str, data: object) -> str:
    text = json.dumps(data, ensure_ascii=False, cls=PlotlyJSONEncoder, separators=(",", ":"))
    text = text.replace("</", "<\\/").replace("<!--", "<\\!--")
    return f'<script type="application/json" id="{element_id}">{text}</script>'


def client_strings(lang: str) -> dict[str, str]:
    """The words the page's script shows (controls, help, presenter view) in ``lang``."""
    keys = (
        "prev",
        "next",
        "fullscreen",
        "presenter",
        "help",
        "close",
        "current",
        "upcoming",
        "notes",
        "no_notes",
        "end",
        "timer",
        "pause",
        "resume",
        "reset",
        "clock",
    )
    return {k: t(f"pr.{k}", lang) for k in keys}


def document(
    deck: dict,
    models: list[SlideModel],
    lang: str,
    *,
    mode: str = "audience",
    start: int = 0,
    head: str = "",
    scripts: str = "",
    options: dict | None = None,
) -> str:
    """The HTML document presenting ``models``: every slide, the controls and help, the
    figures and notes as JSON for the page's script.

    ``mode``: "audience" or "presenter" (current and next slide, notes, timer); ``head``
    and ``scripts``: the tags of the style sheet and scripts (linked or inline); ``options``
    are passed to the script (URLs, Plotly config, export flag).
    """
    lang = lang if lang in LANGS else "kk"
    title = deck_title(deck, lang)
    total = len(models)
    start = max(0, min(start, total - 1)) if total else 0
    slides_html = "".join(render_slide(m, i, total, title, lang) for i, m in enumerate(models))
    config = {
        "slug": deck["slug"],
        "title": title,
        "lang": lang,
        "mode": mode,
        "start": start,
        "total": total,
        "strings": client_strings(lang),
        "titles": [m.title for m in models],
        "notes": [m.notes for m in models],
        "figures": [m.figure for m in models],
        "plotlyConfig": {
            **OFFLINE_PLOTLY_CONFIG,
            "staticPlot": True,
            "displayModeBar": False,
            "responsive": False,
            "locale": lang if lang in ("ru", "kk") else "en",
            "locales": plotly_locales(),
        },
    }
    options = dict(options or {})
    config["plotlyConfig"].update(options.pop("plotlyConfig", {}))
    config.update(options)
    help_items = "".join(
        f"<li>{_e(t(f'pr.key_{k}', lang))}</li>"
        for k in ("next", "prev", "ends", "full", "presenter", "black", "help")
    )
    s = client_strings(lang)
    controls = (
        '<nav class="controls" aria-label="controls">'
        f'<button type="button" data-action="prev" aria-label="{_e(s["prev"])}" '
        f'title="{_e(s["prev"])}">◀</button>'
        f'<span class="counter" aria-live="polite"></span>'
        f'<button type="button" data-action="next" aria-label="{_e(s["next"])}" '
        f'title="{_e(s["next"])}">▶</button>'
        f'<button type="button" data-action="fullscreen" aria-label="{_e(s["fullscreen"])}" '
        f'title="{_e(s["fullscreen"])}">⛶</button>'
        f'<button type="button" data-action="presenter" aria-label="{_e(s["presenter"])}" '
        f'title="{_e(s["presenter"])}">▤</button>'
        f'<button type="button" data-action="help" aria-label="{_e(s["help"])}" '
        f'title="{_e(s["help"])}">?</button></nav>'
    )
    help_box = (
        f'<div class="help" id="help" role="dialog" aria-label="{_e(s["help"])}" hidden>'
        f"<h2>{_e(s['help'])}</h2><ul>{help_items}</ul>"
        f'<button type="button" data-action="help">{_e(s["close"])}</button></div>'
    )
    return (
        f'<!DOCTYPE html>\n<html lang="{lang}"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{_e(title)}</title>{head}</head>"
        f'<body class="present mode-{_e(mode)}">'
        f'<main class="viewport" id="viewport"><div class="deck" id="deck">{slides_html}'
        "</div></main>"
        f'<div class="blackout" id="blackout" hidden></div>{controls}{help_box}'
        f"{_json_script('deck-config', config)}{scripts}</body></html>"
    )


def static_text(name: str) -> str:
    """The text of a file of the present page (present.css, present.js)."""
    return (STATIC_DIR / name).read_text(encoding="utf-8")
