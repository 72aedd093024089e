"""The REST API's query parameters: each declared once (:class:`Param`, for the OpenAPI
document and the docs) and read and checked by small functions that raise :class:`ApiError`
naming the parameter."""

from __future__ import annotations

import re
from collections.abc import Iterable

from flask import request

from api.v1_endpoints import PREFIX, ApiError, Param, fixed
from components.i18n import LANGS
from store import queries, schema
from views import constant_prices as cp

FORMATS = ("json", "csv", "xlsx", "datapackage")
BOUNDARY_LEVELS = ("oblast", "district")
MAX_ARG_LENGTH = 2000
MAX_AREAS = 300
YEAR = re.compile(r"[0-9]{1,4}")


def _indicator_codes() -> list[str]:
    return sorted(queries.indicators()["code"])


def _source_codes() -> list[str]:
    return sorted(queries.sources()["code"])


P_INDICATOR = Param(
    "indicator",
    "Indicator code (see `GET /api/v1/indicators`).",
    lambda: {"type": "string", "enum": _indicator_codes()},
    required=True,
    example="industrial_output",
)
P_INDICATOR_OPT = Param(
    "indicator",
    "Only targets of this indicator (code, see `GET /api/v1/indicators`).",
    lambda: {"type": "string", "enum": _indicator_codes()},
    example="industrial_output",
)
P_CODE = Param(
    "code",
    "Indicator code.",
    lambda: {"type": "string", "enum": _indicator_codes()},
    example="industrial_output",
    location="path",
)
P_AREA = Param(
    "area",
    "One area or several, comma-separated: 9-digit KATO codes (000000000 = Kazakhstan) or "
    "names in Kazakh, Russian or English and their spelling variants (e.g. `Aral`, "
    "`Аральский район`). Default: every area with observations of the indicator.",
    fixed({"type": "string", "maxLength": MAX_ARG_LENGTH}),
    example="433200000,430000000",
)
P_AREA_ONE = Param(
    "area",
    "Only targets for this area (KATO code or name).",
    fixed({"type": "string", "maxLength": MAX_ARG_LENGTH}),
    example="433200000",
)
P_FROM = Param(
    "from",
    "First year (inclusive).",
    fixed({"type": "integer", "minimum": 0, "maximum": 9999}),
    example=2000,
)
P_TO = Param(
    "to",
    "Last year (inclusive); not before `from`.",
    fixed({"type": "integer", "minimum": 0, "maximum": 9999}),
    example=2023,
)
P_SERIES = Param(
    "series",
    "Only this disaggregation (e.g. `annual mean`); an empty value keeps the totals only. "
    "Default: every series.",
    fixed({"type": "string", "maxLength": MAX_ARG_LENGTH}),
)
P_SOURCE = Param(
    "source",
    "`preferred` (default): one value per area, year and series, from the indicator's "
    "preferred source, else the most authoritative one; `all`: every source's value, so a "
    "year may have several; or a source code (see `GET /api/v1/sources`): that source only.",
    lambda: {
        "type": "string",
        "enum": ["preferred", "all", *_source_codes()],
        "default": "preferred",
    },
    example="all",
)
P_FORMAT = Param(
    "format",
    "`json` (default): `{data, meta}`; `csv`: UTF-8 with a byte-order mark; `xlsx`: an Excel "
    "workbook with a `data` sheet and a `metadata` sheet (indicator, unit, query, citation "
    "and sources); `datapackage`: the Frictionless Data Package describing the CSV (column "
    "types, unit, sources with both addresses, licences, citation), which the CSV links in "
    'its `Link: <…>; rel="describedby"` header.',
    fixed({"type": "string", "enum": list(FORMATS), "default": "json"}),
    example="csv",
)
P_LANG = Param(
    "lang",
    "Language of `unit`, of the names in `meta` and of the Excel metadata sheet.",
    fixed({"type": "string", "enum": list(LANGS), "default": "en"}),
    example="ru",
)
P_PRICES = Param(
    "prices",
    "`current` (default): the values as published; `constant`: a money series with a Bureau "
    "volume index (industrial output and its sections, investment in fixed capital, output "
    "of agriculture, crops and livestock) in constant prices of `base`, derived by chaining "
    "the Bureau's indices (% of the previous year). Derived rows have status `derived` and "
    "the formula and both sources in `note`; `meta.prices` gives the base year and label.",
    fixed({"type": "string", "enum": ["current", "constant"], "default": "current"}),
    example="constant",
)
P_BASE = Param(
    "base",
    "With `prices=constant`: the base year, whose value in current prices the chain starts "
    "from. Default: the latest year with a value in current prices for every area asked.",
    fixed({"type": "integer", "minimum": 0, "maximum": 9999}),
    example=2023,
)
P_LEVEL = Param(
    "level",
    "Only areas of this level.",
    fixed({"type": "string", "enum": list(schema.AREA_LEVELS)}),
    example="district",
)
P_PARENT = Param(
    "parent",
    "Only areas directly under this one (KATO code or name).",
    fixed({"type": "string", "maxLength": MAX_ARG_LENGTH}),
    example="430000000",
)
P_BLEVEL = Param(
    "level",
    "Boundaries of oblasts (and republican cities) or of districts.",
    fixed({"type": "string", "enum": list(BOUNDARY_LEVELS)}),
    required=True,
    example="district",
)
P_BPARENT = Param(
    "parent",
    "Only the units directly under this area (KATO code or name), e.g. the "
    "districts of one oblast.",
    fixed({"type": "string", "maxLength": MAX_ARG_LENGTH}),
    example="430000000",
)
P_VINTAGE = Param(
    "vintage",
    "Boundary vintage (year of the administrative division); default the latest.",
    fixed({"type": "integer", "minimum": 0, "maximum": 9999}),
    example=2024,
)
P_HISTORY = Param(
    "history",
    "`true`: each row also gives its `history`, the revisions of that figure (oldest first): "
    "when a later load of the same source replaced or withdrew it, the earlier value with its "
    "status, note, excerpt, location and the source's title, address and retrieval as they "
    "were. In CSV and Excel, one text column. Default `false`.",
    fixed({"type": "string", "enum": ["true", "false"], "default": "false"}),
    example="true",
)
P_SINCE = Param(
    "since",
    "`last` (default): what the latest data release changed (the latest load that changed "
    "figures); or a date `YYYY-MM-DD`: every change by loads finished on or after that day "
    "(UTC). Not with `deck`.",
    fixed({"type": "string", "maxLength": 10, "default": "last"}),
    example="2026-01-01",
)
P_DECK = Param(
    "deck",
    "A frozen deck's slug (see `/present`): the revisions of its figures since it was frozen.",
    fixed({"type": "string", "maxLength": 80}),
)
P_CH_INDICATOR = Param(
    "indicator",
    "Only changes of this indicator (code, see `GET /api/v1/indicators`).",
    lambda: {"type": "string", "enum": _indicator_codes()},
    example="industrial_output",
)
P_CH_AREA = Param(
    "area",
    "Only changes in this area and the areas directly under it (KATO code or name).",
    fixed({"type": "string", "maxLength": MAX_ARG_LENGTH}),
    example="433200000",
)
P_CH_FORMAT = Param(
    "format",
    "`json` (default): `{data, meta}`; `csv`: UTF-8 with a byte-order mark.",
    fixed({"type": "string", "enum": ["json", "csv"], "default": "json"}),
    example="csv",
)
P_PROGRAM = Param(
    "program",
    "Only targets of this program (code, see `GET /api/v1/programs`).",
    lambda: {"type": "string", "enum": sorted(queries.programs()["code"])},
)


def arg(
    name: str, *, required: bool = False, keep_empty: bool = False, repeatable: bool = False
) -> str | None:
    """The query parameter ``name`` (stripped), None if absent; empty is an error unless
    ``keep_empty``."""
    values = request.args.getlist(name)
    if len(values) > 1 and not repeatable:
        raise ApiError(400, f"{name} is given more than once", name)
    raw = ",".join(values) if values else None
    value = raw.strip() if raw is not None else None
    if raw is not None:
        if len(raw) > MAX_ARG_LENGTH:  # as sent: the schema's maxLength counts every character
            raise ApiError(400, f"{name} is longer than {MAX_ARG_LENGTH} characters", name)
        if any(ord(ch) < 32 for ch in value):
            raise ApiError(400, f"{name} contains a control character", name)
    if value == "" and not keep_empty:
        raise ApiError(400, f"{name} is empty", name)
    if value is None and required:
        raise ApiError(400, f"{name} is required", name)
    return value


def choice(
    name: str, allowed: Iterable[str], *, default: str | None = None, required: bool = False
) -> str | None:
    """The parameter ``name``, one of ``allowed``; ``default`` when absent."""
    value = arg(name, required=required)
    if value is None:
        return default
    allowed = tuple(allowed)
    if value not in allowed:
        raise ApiError(400, f"{name} must be one of {', '.join(allowed)}; got {value!r}", name)
    return value


def year_arg(name: str) -> int | None:
    """The parameter ``name`` as a year (0 to 9999), None when absent."""
    value = arg(name)
    if value is None:
        return None
    if not YEAR.fullmatch(value):
        raise ApiError(
            400, f"{name} must be a year (an integer from 0 to 9999); got {value!r}", name
        )
    return int(value)


def indicator_arg(name: str = "indicator", *, required: bool = False) -> str | None:
    """The parameter ``name`` as a known indicator code, None when absent."""
    value = arg(name, required=required)
    if value is None:
        return None
    if queries.indicator(value) is None:
        raise ApiError(400, f"unknown indicator {value!r} (see {PREFIX}/indicators)", name)
    return value


def area_code(value: str, name: str) -> str:
    """A KATO code or a name/alias -> KATO code, or a 400 naming ``name``."""
    if len(value) == 9 and value.isascii() and value.isdigit():
        if queries.area(value) is not None:
            return value
        raise ApiError(400, f"unknown area code {value!r} (see {PREFIX}/areas)", name)
    kato = queries.resolve_area(value)
    if kato is None:
        raise ApiError(
            400,
            f"unknown or ambiguous area {value!r}: give its 9-digit KATO code (see {PREFIX}/areas)",
            name,
        )
    return kato


def one_area(name: str) -> str | None:
    """The parameter ``name`` as one KATO code (given as a code or a name), None when absent."""
    value = arg(name)
    return None if value is None else area_code(value, name)


def many_areas(name: str = "area") -> tuple[str, ...] | None:
    """The parameter ``name`` as KATO codes (comma-separated, repeatable), None when absent."""
    value = arg(name, repeatable=True)
    if value is None:
        return None
    parts = [p.strip() for p in value.split(",") if p.strip()]
    if not parts:
        raise ApiError(400, f"{name} names no area", name)
    if len(parts) > MAX_AREAS:
        raise ApiError(400, f"{name} names more than {MAX_AREAS} areas", name)
    return tuple(dict.fromkeys(area_code(p, name) for p in parts))


def source_arg() -> str:
    """The ``source`` parameter: preferred (default), all or a source code."""
    value = arg("source")
    if value is None:
        return "preferred"
    if value not in ("preferred", "all") and value not in set(queries.sources()["code"]):
        raise ApiError(
            400,
            f"source must be preferred, all or a source code (see {PREFIX}/sources); got {value!r}",
            "source",
        )
    return value


def prices_arg(code: str, katos: tuple[str, ...] | None) -> int | None:
    """The base year when ``prices=constant`` (see :data:`P_PRICES`), None for current
    prices; 400 when the indicator has no volume index or the base year no value."""
    base = year_arg("base")
    if choice("prices", cp.PRICES, default="current") == "current":
        if base is not None:
            raise ApiError(400, "base is for prices=constant", "base")
        return None
    if not cp.has_index(code):
        raise ApiError(
            400,
            f"{code} has no volume index, so no constant prices; they are offered for "
            f"{', '.join(cp.VOLUME_INDICES)}",
            "prices",
        )
    money = cp.money_readings(code, katos)
    areas = katos or tuple(dict.fromkeys(money["area"]))
    if base is None:
        base = cp.default_base(money, areas)
        if base is None:
            raise ApiError(400, f"no value of {code} in current prices for these areas", "prices")
        return base
    if base not in cp.base_years(money, areas):
        raise ApiError(
            400,
            f"base {base} has no value of {code} in current prices for every area asked",
            "base",
        )
    return base
