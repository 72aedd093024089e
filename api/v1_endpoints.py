"""Declaring the REST API's endpoints: the blueprint, the addresses, :class:`ApiError`,
:class:`Param` and :class:`Endpoint`, and :func:`api_route`, which records each endpoint in
:data:`ENDPOINTS` (read by the OpenAPI document and the docs) and rejects parameters it
does not declare."""

from __future__ import annotations

import functools
import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from flask import Blueprint, Response, request

PREFIX = "/api/v1"
DOCS_PATH = f"{PREFIX}/docs"
OPENAPI_PATH = f"{PREFIX}/openapi.json"

blueprint = Blueprint("api_v1", __name__, url_prefix=PREFIX)


class ApiError(Exception):
    """An error answered as JSON ``{"error": message, "parameter": parameter}``."""

    def __init__(self, status: int, message: str, parameter: str | None = None) -> None:
        super().__init__(message)
        self.status = status
        self.message = message
        self.parameter = parameter


SchemaFn = Callable[[], dict[str, Any]]


def fixed(schema_: dict[str, Any]) -> SchemaFn:
    """A schema that does not depend on the database."""
    return lambda: schema_


@dataclass(frozen=True)
class Param:
    """One parameter: its OpenAPI schema is a function, as enums may come from the database."""

    name: str
    description: str
    schema: SchemaFn
    required: bool = False
    example: str | int | None = None
    location: str = "query"

    def openapi(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "name": self.name,
            "in": self.location,
            "required": self.required or self.location == "path",
            "description": self.description,
            "schema": self.schema(),
        }
        if self.example is not None:
            out["example"] = self.example
        return out


@dataclass(frozen=True)
class Endpoint:
    """One GET operation: path (OpenAPI style, under the prefix), parameters, responses."""

    path: str
    operation_id: str
    summary: str
    description: str
    params: tuple[Param, ...]
    ok: Mapping[str, str | dict[str, Any]]  # media type -> component name or schema
    errors: tuple[int, ...]
    examples: tuple[str, ...] = ()
    tag: str = "data"
    ok_description: str = "OK"


ENDPOINTS: list[Endpoint] = []


def api_route(
    path: str,
    *,
    summary: str,
    description: str = "",
    params: Iterable[Param] = (),
    ok: Mapping[str, str | dict[str, Any]] | None = None,
    errors: Iterable[int] = (400,),
    examples: Iterable[str] = (),
    tag: str = "data",
    ok_description: str = "OK",
) -> Callable:
    """Declare a GET endpoint at ``PREFIX + path`` (``{name}`` for path parameters).

    The view gets path parameters as keyword arguments; query parameters other than the
    declared ones are answered with a 400 naming them.
    """
    params = tuple(params)
    query_names = frozenset(p.name for p in params if p.location == "query")

    def decorate(view: Callable[..., Response]) -> Callable[..., Response]:
        ENDPOINTS.append(
            Endpoint(
                path=path,
                operation_id=view.__name__,
                summary=summary,
                description=description,
                params=params,
                ok=ok or {"application/json": {"type": "object"}},
                errors=tuple(errors),
                examples=tuple(examples),
                tag=tag,
                ok_description=ok_description,
            )
        )

        @functools.wraps(view)
        def checked(**kwargs: str) -> Response:
            for key in request.args:
                if key not in query_names:
                    takes = ", ".join(sorted(query_names)) or "no parameters"
                    raise ApiError(
                        400, f"unknown parameter {key!r}; this endpoint takes {takes}", key
                    )
            return view(**kwargs)

        rule = re.sub(r"\{(\w+)\}", r"<\1>", path)
        blueprint.add_url_rule(rule, view.__name__, checked, methods=["GET"])
        return view

    return decorate
