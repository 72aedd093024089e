"""The REST API's documentation as one self-contained HTML page (no scripts, no CDN),
written from the OpenAPI document in Kazakh, Russian or English."""

from __future__ import annotations

import html
import re
import shlex
from collections.abc import Mapping
from typing import Any

from api.docs_text import translate
from api.v1_endpoints import OPENAPI_PATH, PREFIX
from api.v1_openapi import ERROR_TEXT
from components.i18n import t

ENUM_SHOWN = 10
DOCS_CSS = """
body{font:15px/1.5 system-ui,sans-serif;max-width:960px;margin:2em auto;padding:0 1em;color:#222}
code,pre{font:13px/1.4 ui-monospace,monospace;background:#f4f4f4}
pre{padding:.6em;overflow-x:auto}code{padding:0 .2em}
table{border-collapse:collapse;width:100%;margin:.5em 0}
th,td{border:1px solid #ddd;padding:.3em .5em;text-align:left;vertical-align:top}
th{background:#f0f0f0}h2{border-top:2px solid #ccc;padding-top:.8em;margin-top:2em}
.method{font-weight:bold;color:#064}
"""


def _md(text: str) -> str:
    """Escape, then render `code` spans (the only markup the descriptions use)."""
    return re.sub(r"`([^`]+)`", r"<code>\1</code>", html.escape(text))


def _schema_text(s: Mapping[str, Any], lang: str = "en") -> str:
    if "$ref" in s:
        return f"<code>{html.escape(s['$ref'].rsplit('/', 1)[-1])}</code>"
    text = f"<code>{html.escape(str(s.get('type', 'object')))}</code>"
    if "enum" in s:
        values = [f"<code>{html.escape(str(v))}</code>" for v in s["enum"]]
        more = len(values) - ENUM_SHOWN
        shown = ", ".join(values[:ENUM_SHOWN])
        if more > 0:
            shown += f", … ({len(values)} {t('api.values', lang)})"
        text += f": {t('api.one_of', lang)} {shown}"
    if "default" in s:
        text += f"; {t('api.default', lang)} <code>{html.escape(str(s['default']))}</code>"
    return text


def _curl(base: str, path: str) -> str:
    url = base + path
    out = ""
    if "format=xlsx" in path or "format=csv" in path:
        out = " -o data." + ("xlsx" if "format=xlsx" in path else "csv")
    return f"curl -sS {shlex.quote(url)}{out}"


def docs_html(doc: Mapping[str, Any], base_url: str, lang: str = "en") -> str:
    """A self-contained HTML page (no scripts, no CDN) describing the OpenAPI document, in
    ``lang``: the page's words and the summaries translated, the parameters' reference
    descriptions as the document gives them (English, marked ``lang="en"``)."""
    info = doc["info"]
    en = ' lang="en"' if lang != "en" else ""

    def T(key: str, **fmt: object) -> str:  # noqa: N802
        return html.escape(t(key, lang, **fmt))

    def say(text: str) -> str:
        return _md(translate(text, lang))

    title = html.escape(info["title"]) if lang == "en" else T("api.title")
    intro = _md(info["description"]) if lang == "en" else T("api.intro")
    parts = [
        f'<!DOCTYPE html><html lang="{lang}"><head><meta charset="utf-8">',
        f"<title>{title}</title>",
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<style>{DOCS_CSS}</style></head><body>",
        f"<h1>{title} <small>{html.escape(info['version'])}</small></h1>",
        f"<p>{intro}</p>",
        f'<p>{T("api.machine")} <a href="{html.escape(base_url + OPENAPI_PATH)}">'
        f"<code>{OPENAPI_PATH}</code></a> (OpenAPI {html.escape(doc['openapi'])}).</p>",
        f"<p>{T('api.python')}</p><pre>import pandas as pd\n"
        + html.escape(
            f'df = pd.read_csv("{base_url}{PREFIX}/observations'
            '?indicator=industrial_output&area=433200000&source=all&format=csv")'
        )
        + "</pre>",
        f"<h3>{T('api.endpoints')}</h3><ul>",
    ]
    for path, item in doc["paths"].items():
        op = item["get"]
        parts.append(
            f'<li><a href="#{op["operationId"]}"><code>GET {html.escape(path)}'
            f"</code></a> — {say(op['summary'])}</li>"
        )
    parts.append("</ul>")
    error_json = '<code>{"error": "…", "parameter": "name"}</code>'
    parts.append(
        f"<h3>{T('api.errors')}</h3><p>"
        + _md(t("api.errors_intro", lang, json="\x00")).replace("\x00", error_json)
        + f"</p><table><tr><th>{T('api.status')}</th><th>{T('api.when')}</th></tr>"
    )
    errors = {**ERROR_TEXT, 405: "A method other than GET, HEAD or OPTIONS."}
    for status, text in sorted(errors.items()):
        parts.append(f"<tr><td>{status}</td><td>{say(text)}</td></tr>")
    parts.append("</table>")
    for path, item in doc["paths"].items():
        op = item["get"]
        parts.append(
            f'<h2 id="{op["operationId"]}"><span class="method">GET</span> '
            f"<code>{html.escape(path)}</code></h2><p><b>{say(op['summary'])}</b></p>"
        )
        if op.get("description"):
            parts.append(f"<p{en}>{_md(op['description'])}</p>")
        if op["parameters"]:
            described = T("api.description_en" if lang != "en" else "api.description")
            parts.append(
                f"<table><tr><th>{T('api.parameter')}</th><th>{T('api.in')}</th>"
                f"<th>{T('api.required')}</th><th>{T('api.type')}</th>"
                f"<th>{described}</th></tr>"
            )
            for p in op["parameters"]:
                example = (
                    f"<br>{T('api.example')} <code>{html.escape(str(p['example']))}</code>"
                    if "example" in p
                    else ""
                )
                parts.append(
                    f"<tr><td><code>{html.escape(p['name'])}</code></td>"
                    f"<td><code>{p['in']}</code></td>"
                    f"<td>{T('api.yes') if p['required'] else T('api.no')}</td>"
                    f"<td>{_schema_text(p['schema'], lang)}</td>"
                    f"<td><span{en}>{_md(p['description'])}</span>{example}</td></tr>"
                )
            parts.append("</table>")
        else:
            parts.append(f"<p>{T('api.none')}</p>")
        parts.append(
            f"<table><tr><th>{T('api.status')}</th><th>{T('api.content')}</th>"
            f"<th>{T('api.description')}</th></tr>"
        )
        for status, resp in op["responses"].items():
            content = ", ".join(
                f"<code>{html.escape(media)}</code> ({_schema_text(c['schema'], lang)})"
                for media, c in resp.get("content", {}).items()
            )
            parts.append(
                f"<tr><td>{status}</td><td>{content}</td><td>{say(resp['description'])}</td></tr>"
            )
        parts.append("</table>")
        examples = op.get("x-examples", [])
        if examples:
            parts.append(
                f"<p>{T('api.examples')}</p><pre>"
                + "\n".join(html.escape(_curl(base_url, x)) for x in examples)
                + "</pre>"
            )
    parts.append("</body></html>")
    return "\n".join(parts)
