"""Slide kinds, their parameters, and checking the parameters a slide is given.

Each kind (:data:`KINDS`) says which :class:`Param` a slide of it takes: an indicator, areas,
a year... :func:`check_params` validates and normalises them (resolving area codes against
the indicator store when it is built); :func:`kinds` describes them for the deck editor.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from typing import Any

from store import queries
from store.deck_access import DeckError

COUNTRY = "000000000"


@dataclass(frozen=True)
class Param:
    """One parameter of a slide kind: its name, type, whether required, and help text.

    Types: ``indicator`` (a catalogue code), ``area`` (a KATO code), ``areas`` (a list of
    KATO codes), ``year`` (an integer), ``date`` (YYYY-MM-DD), ``choice`` (one of
    ``choices``), ``str``.
    """

    name: str
    type: str
    help: str
    required: bool = False
    choices: tuple[str, ...] = ()


KINDS: dict[str, tuple[Param, ...]] = {
    "title": (
        Param("area", "area", "area named under the title"),
        Param("date", "date", "date shown (default: today; a frozen deck's 'as of' date)"),
    ),
    "target": (
        Param("indicator", "indicator", "indicator code", required=True),
        Param("area", "area", "KATO code of the area whose targets are shown", required=True),
        Param("program", "str", "only this program's targets"),
        Param("target_year", "year", "the target to headline (default: the next one due)"),
    ),
    "chart": (
        Param("indicator", "indicator", "indicator code", required=True),
        Param("area", "area", "KATO code of the main area", required=True),
        Param("compare", "areas", "other areas drawn beside it"),
        Param(
            "mode",
            "choice",
            "values as absolute, % change or index",
            choices=("absolute", "change", "index"),
        ),
        Param(
            "source",
            "choice",
            "'all' draws every source's readings as a series",
            choices=("preferred", "all"),
        ),
    ),
    "map": (
        Param("indicator", "indicator", "indicator code", required=True),
        Param(
            "level",
            "choice",
            "district (of an oblast) or oblast (of the country)",
            choices=("district", "oblast"),
        ),
        Param("parent", "area", "the oblast whose districts are shown (default Kyzylorda)"),
        Param("year", "year", "year shown (default: the latest with data)"),
        Param("highlight", "area", "area outlined on the map"),
    ),
    "compare": (
        Param("indicator", "indicator", "indicator code", required=True),
        Param("areas", "areas", "areas compared (default: every area under parent)"),
        Param("parent", "area", "compare the areas under this one (default Kyzylorda)"),
        Param("year", "year", "year compared (default: the latest with data)"),
        Param("highlight", "area", "area drawn in the accent colour"),
    ),
    "text": (),
    "closing": (
        Param(
            "url",
            "str",
            "address behind the QR code (default: this deck's live view); "
            "a path such as /explore?... is joined to the public address",
        ),
    ),
}
DATA_KINDS = ("target", "chart", "map", "compare")
DEFAULT_PARENT = "430000000"  # Kyzylorda oblast


def check_params(kind: str, params: object, *, check_refs: bool = True) -> dict:
    """The params of a ``kind`` slide, validated and normalised (codes resolved).

    With ``check_refs`` (and a built indicator database) indicators and areas must exist.
    """
    if kind not in KINDS:
        raise DeckError(f"kind {kind!r} is not known; use one of {', '.join(KINDS)}")
    if params is None:
        params = {}
    if not isinstance(params, dict):
        raise DeckError("params must be an object")
    spec = {p.name: p for p in KINDS[kind]}
    unknown = [k for k in params if k not in spec]
    if unknown:
        allowed = ", ".join(spec) or "none"
        raise DeckError(f"unknown parameter {unknown[0]!r} for a {kind} slide; allowed: {allowed}")
    refs = check_refs and queries.is_ready()
    out: dict[str, Any] = {}
    for p in KINDS[kind]:
        value = params.get(p.name)
        if value is None or value == "" or value == []:
            if p.required:
                raise DeckError(f"a {kind} slide needs {p.name!r} ({p.help})")
            continue
        out[p.name] = _param(p, value, kind, refs)
    return out


def _param(p: Param, value: object, kind: str, refs: bool) -> object:
    what = f"{kind} slide: {p.name}"
    if p.type == "year":
        if (
            isinstance(value, bool)
            or not isinstance(value, (int, str))
            or not str(value).isdigit()
            or not 1900 <= int(value) <= 2100
        ):
            raise DeckError(f"{what} must be a year such as 2023, not {value!r}")
        return int(value)
    if p.type == "date":
        try:
            return date.fromisoformat(str(value)).isoformat()
        except ValueError:
            raise DeckError(f"{what} must be a date YYYY-MM-DD, not {value!r}") from None
    if p.type == "choice":
        if value not in p.choices:
            raise DeckError(f"{what} must be one of {', '.join(p.choices)}, not {value!r}")
        return value
    if p.type == "areas":
        items = value.split(",") if isinstance(value, str) else value
        if not isinstance(items, list) or not all(isinstance(v, str) for v in items):
            raise DeckError(f"{what} must be a list of KATO codes")
        return list(dict.fromkeys(_area(v.strip(), what, refs) for v in items if v.strip()))
    if not isinstance(value, str):
        raise DeckError(f"{what} must be text, not {type(value).__name__}")
    value = value.strip()
    if p.type == "area":
        return _area(value, what, refs)
    if p.type == "indicator" and refs and queries.indicator(value) is None:
        raise DeckError(f"{what}: indicator {value!r} is not in the catalogue")
    if p.name == "program" and refs and value not in set(queries.programs()["code"]):
        raise DeckError(f"{what}: program {value!r} is not known")
    return value


def _area(value: str, what: str, refs: bool) -> str:
    if not refs:
        if not re.fullmatch(r"\d{9}", value):
            raise DeckError(f"{what}: {value!r} is not a 9-digit KATO code")
        return value
    kato = queries.resolve_area(value)
    if kato is None:
        raise DeckError(f"{what}: area {value!r} is not known")
    return kato


def kinds() -> dict[str, list[dict]]:
    """The slide kinds and their parameters, for the deck editor."""
    return {
        kind: [
            {
                "name": p.name,
                "type": p.type,
                "required": p.required,
                "choices": list(p.choices),
                "help": p.help,
            }
            for p in spec
        ]
        for kind, spec in KINDS.items()
    }
