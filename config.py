"""Every setting of the project, declared once: name, default and help text.

Precedence: an explicit argument > the environment variable > the default.
The README's "Settings" table is checked against this list by the tests.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent
DATA_DIR = ROOT / "data"


@dataclass(frozen=True)
class Setting:
    name: str
    default: str
    help: str


SETTINGS: tuple[Setting, ...] = (
    Setting(
        "DATABASE_URL",
        f"sqlite:///{DATA_DIR / 'indicators.db'}",
        "SQLAlchemy URL of the indicator database (SQLite file under data/ by default; "
        "postgresql+psycopg://user@host/db for PostgreSQL).",
    ),
    Setting("HOST", "127.0.0.1", "Address that `python app.py` listens on."),
    Setting("PORT", "8050", "Port that `python app.py` listens on."),
    Setting(
        "INDICATORS_BOUNDARIES_DIR",
        "",
        "Folder with the geokz boundary shapefiles for `python -m etl build`; when empty, "
        "build downloads them from their public address and verifies their checksums.",
    ),
    Setting(
        "INDICATORS_DOWNLOAD_DIR",
        str(DATA_DIR / "downloads"),
        "Where downloaded source files (boundaries) are kept between builds.",
    ),
    Setting(
        "CACHE_TYPE",
        "",
        "flask-caching backend for the store queries: SimpleCache (in each process), "
        "FileSystemCache, RedisCache (shared by every worker and host) or NullCache; empty = "
        "RedisCache when CACHE_REDIS_URL is set, else SimpleCache.",
    ),
    Setting("CACHE_DIR", str(DATA_DIR / "cache"), "Folder for CACHE_TYPE=FileSystemCache."),
    Setting(
        "CACHE_REDIS_URL",
        "",
        "Redis URL of the shared query cache (redis://host:6379/0); setting it makes the cache "
        "Redis unless CACHE_TYPE says otherwise (RedisCache with no URL: redis://127.0.0.1:6379/0).",
    ),
    Setting("CACHE_DEFAULT_TIMEOUT", "3600", "Seconds a cached query result is kept."),
    Setting(
        "DECKS_DATABASE_URL",
        f"sqlite:///{DATA_DIR / 'decks.db'}",
        "SQLAlchemy URL of the writable slide-deck database (created on first use, kept apart "
        "from the read-only indicator database so decks survive an ETL rebuild).",
    ),
    Setting(
        "DECKS_READONLY",
        "false",
        "true/1/yes: nobody can create, change or delete decks through this server (the API "
        "answers 403, the editor only lists, presents and exports); for a public deployment.",
    ),
    Setting(
        "DECKS_WRITE_TOKEN",
        "",
        "Access token that lets a client on another machine change decks (header "
        "`Authorization: Bearer TOKEN` or `X-Decks-Token`, or the cookie /present/unlock sets); "
        "empty = decks can be changed only from the server's own machine (loopback).",
    ),
    Setting(
        "TRUSTED_PROXIES",
        "0",
        "How many reverse proxies in front of the server to believe about the client's "
        "address (X-Forwarded-For/-Proto/-Host); 0 = none: a request that came through a "
        "proxy never counts as from this machine.",
    ),
    Setting(
        "SECRET_KEY",
        "",
        "Key that signs the CSRF tokens and the sign-in session cookie; empty = a random key "
        "made on first use and kept in the deck database (shared by every worker). A server "
        "with accounts refuses to sign anyone in until it is set (except in debug and tests).",
    ),
    Setting(
        "LOGIN_RATE_LIMIT",
        "10 per minute; 50 per hour",
        "Failed sign-ins one client address may make (Flask-Limiter syntax, e.g. "
        "`5 per minute`); more answer 429. Successful sign-ins do not count.",
    ),
    Setting(
        "RATELIMIT_STORAGE_URL",
        "memory://",
        "Where the sign-in rate limit counts attempts: `memory://` (per process) or a Redis "
        "URL such as redis://127.0.0.1:6379/1 (shared by every worker).",
    ),
    Setting(
        "SSO_HEADER",
        "",
        "Name of a header (e.g. X-Remote-User) in which a reverse proxy that has "
        "authenticated the user passes the user name; the account of that name is signed "
        "in. Honoured only when TRUSTED_PROXIES is above 0 and the connection comes from "
        "SSO_PROXY_ADDRESSES; empty = off.",
    ),
    Setting(
        "SSO_PROXY_ADDRESSES",
        "127.0.0.1 ::1",
        "Addresses or networks (space-separated) of the reverse proxies whose SSO_HEADER "
        "is believed.",
    ),
    Setting(
        "SUBMIT_MAX_ROWS",
        "5000",
        "Most figures one submission (an uploaded template or the form) may carry.",
    ),
    Setting("DECKS_MAX_DECKS", "200", "Most decks the deck database keeps."),
    Setting("DECKS_MAX_SLIDES", "100", "Most slides one deck may have."),
    Setting("DECKS_MAX_TITLE", "300", "Most characters in a deck's or a slide's title."),
    Setting("DECKS_MAX_TEXT", "20000", "Most characters in a slide's text or speaker notes."),
    Setting(
        "MAX_REQUEST_BYTES",
        "10000000",
        "Largest request body the server reads (bytes); larger ones answer 413.",
    ),
    Setting(
        "EMBED_FRAME_ANCESTORS",
        "*",
        "Sites allowed to show /embed/* pages in an iframe (the Content-Security-Policy's "
        "frame-ancestors: `*`, or origins such as `https://example.org`, space-separated); "
        "every other page only in this site's own frames.",
    ),
    Setting(
        "PUBLIC_BASE_URL",
        "",
        "Public address of the dashboard (https://host/prefix) for the QR code on a deck's "
        "closing slide; empty = the address of the request.",
    ),
    Setting(
        "PDF_WORKERS",
        "1",
        "Deck PDFs rendered at once across all the server's processes (each runs a "
        "headless Chromium for 15-30 s, apart from the web workers).",
    ),
    Setting(
        "PDF_QUEUE",
        "2",
        "Deck PDFs one process keeps waiting for a free renderer; more answer 503 with "
        "Retry-After.",
    ),
    Setting(
        "IMAGE_RENDERS",
        "4",
        "Uncached chart and map images one process renders (or queues for its browser) at "
        "once; more answer 503 with Retry-After (made images are cached per data version).",
    ),
    Setting("PDF_CACHE_FILES", "50", "Deck PDFs kept in CACHE_DIR/pdf (the newest)."),
    Setting(
        "COMPRESS_ALGORITHMS",
        "br,gzip",
        "Content codings the server compresses its pages, callbacks, API answers, scripts and "
        "styles with, in order of preference (br, gzip, deflate, zstd); empty = none (when "
        "a reverse proxy compresses).",
    ),
    Setting(
        "CHROMIUM",
        "",
        "Chromium executable that renders a deck's PDF (headless); empty = `chromium` on the "
        "PATH, else Playwright's own browser.",
    ),
)

_BY_NAME = {s.name: s for s in SETTINGS}


def get(name: str, override: str | None = None) -> str:
    """The value of setting ``name``: ``override`` if given, else the environment, else default."""
    setting = _BY_NAME[name]
    if override is not None:
        return override
    return os.environ.get(name, setting.default)


def flag(name: str, override: str | None = None) -> bool:
    """A yes/no setting: "true", "1" or "yes" (any case) is yes, anything else no."""
    return get(name, override).strip().lower() in ("true", "1", "yes")


def database_url(override: str | None = None) -> str:
    return get("DATABASE_URL", override)
