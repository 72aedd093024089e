"""Response compression (flask-compress): pages, callback and API JSON, scripts and styles.

The codings come from ``COMPRESS_ALGORITHMS`` (default ``br,gzip``: brotli for browsers, gzip
for every other client); empty turns compression off. A compressed answer keeps its
validators: flask-compress appends the coding to a strong ``ETag`` and answers a matching
``If-None-Match`` with 304, so the assets' and Dash scripts' caching works as before.
"""

from __future__ import annotations

import logging

import flask
from flask_compress import Compress

import config

log = logging.getLogger(__name__)

CODINGS = ("br", "gzip", "deflate", "zstd")
# Besides flask-compress's own list (HTML, CSS, JS, JSON, XML, plain text): the API's and the
# downloads' CSV (a whole indicator is over 1 MB, a tenth of that compressed), SVG images and
# GeoJSON boundaries.
EXTRA_MIMETYPES = ("text/csv", "image/svg+xml", "application/geo+json")


def algorithms(value: str | None = None) -> list[str]:
    """The codings of ``COMPRESS_ALGORITHMS`` (or ``value``); ValueError names an unknown one."""
    raw = config.get("COMPRESS_ALGORITHMS", value)
    chosen = [c.strip().lower() for c in raw.split(",") if c.strip()]
    unknown = [c for c in chosen if c not in CODINGS]
    if unknown:
        raise ValueError(
            f"COMPRESS_ALGORITHMS: unknown coding {', '.join(unknown)} "
            f"(use some of {', '.join(CODINGS)}, or nothing to turn compression off)"
        )
    return chosen


def init_compression(server: flask.Flask, value: str | None = None) -> bool:
    """Compress ``server``'s answers with the configured codings; False when turned off."""
    chosen = algorithms(value)
    if not chosen:
        log.info("compression off (COMPRESS_ALGORITHMS is empty)")
        return False
    server.config["COMPRESS_ALGORITHM"] = chosen
    # Files (assets/) are streamed: the same codings (gzip too), and conditional requests
    # (If-None-Match, If-Modified-Since) still answered 304 for them.
    server.config["COMPRESS_ALGORITHM_STREAMING"] = chosen
    server.config["COMPRESS_STREAMING_ENDPOINT_CONDITIONAL"] = [
        "static",
        *(f"{name}.static" for name in server.blueprints),
    ]
    defaults = flask.Flask("compress-defaults")
    Compress(defaults)  # flask-compress's default media types, read from its own config
    server.config["COMPRESS_MIMETYPES"] = [
        *defaults.config["COMPRESS_MIMETYPES"],
        *(m for m in EXTRA_MIMETYPES if m not in defaults.config["COMPRESS_MIMETYPES"]),
    ]
    Compress(server)
    return True
