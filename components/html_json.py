"""HTML elements as the JSON Dash sends for them, built as plain dicts.

``el("Td", "12,5", className="num")`` is what ``html.Td("12,5", className="num")`` becomes
on the wire. For large tables (hundreds of rows of cells) building and serialising Dash
component objects costs tens of milliseconds; these dicts cost a tenth of that and the
browser receives the same elements. Use them for repeated rows; keep components elsewhere.
"""

from __future__ import annotations

NAMESPACE = "dash_html_components"


def el(tag: str, children: object = None, **props: object) -> dict:
    """The element ``tag`` (an ``html`` component name: "Td", "A", ...) with ``children``
    and ``props`` (None values left out, as Dash does)."""
    kept = {k: v for k, v in props.items() if v is not None}
    return {"props": {"children": children, **kept}, "type": tag, "namespace": NAMESPACE}
