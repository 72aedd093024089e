"""Checking what a deck or a slide is given, and adding a whole deck document.

Texts within the DECKS_MAX_* limits, languages, slugs (made from titles by :func:`slugify`),
translations and slide specs; :func:`import_deck` writes a checked deck document
(``{title, lang?, slug?, translations?, slides?}``, as data/decks/*.json hold) into the
deck tables in the caller's transaction.
"""

from __future__ import annotations

import re
from typing import Any

from sqlalchemy import Connection, func, insert, select

import config
from store.deck_access import DeckError
from store.deck_kinds import check_params
from store.deck_tables import LANGS, SLUG_RE, TEXT_FIELDS, deck_id_of, decks, now_utc, slides


def setting_limit(name: str) -> int:
    """The DECKS_MAX_* setting ``name`` as a number (read at every call)."""
    return int(config.get(name))


def slugify(text: str) -> str:
    """'Арал ауданы: тыңдау 2025' -> 'aral-audany-tyndau-2025' (Kazakh and Russian letters
    transliterated; at most 80 characters)."""
    out = "".join(_TRANSLIT.get(ch, ch) for ch in text.lower())
    out = re.sub(r"[^a-z0-9]+", "-", out).strip("-")
    return out[:80].rstrip("-")


_TRANSLIT = dict(
    zip(
        "абвгғдеёжзийкқлмнңоөпрстуұүфхһцчшщъыіьэюяә",
        [
            "a",
            "b",
            "v",
            "g",
            "g",
            "d",
            "e",
            "e",
            "zh",
            "z",
            "i",
            "i",
            "k",
            "q",
            "l",
            "m",
            "n",
            "n",
            "o",
            "o",
            "p",
            "r",
            "s",
            "t",
            "u",
            "u",
            "u",
            "f",
            "kh",
            "h",
            "ts",
            "ch",
            "sh",
            "shch",
            "",
            "y",
            "i",
            "",
            "e",
            "iu",
            "ia",
            "a",
        ],
        strict=True,
    )
)


def _field_limit(field: str) -> int:
    return setting_limit("DECKS_MAX_TITLE" if field == "title" else "DECKS_MAX_TEXT")


def check_text(value: object, what: str, *, required: bool = False, limit: int = 20000) -> str:
    """``value`` as stripped text of at most ``limit`` characters (None is empty)."""
    if value is None:
        value = ""
    if not isinstance(value, str):
        raise DeckError(f"{what} must be text, not {type(value).__name__}")
    value = value.strip()
    if required and not value:
        raise DeckError(f"{what} is required")
    if len(value) > limit:
        raise DeckError(f"{what} is longer than {limit} characters")
    return value


def check_lang(value: object) -> str:
    """``value`` if it is one of kk, ru, en."""
    if value not in LANGS:
        raise DeckError(f"lang must be one of {', '.join(LANGS)}, not {value!r}")
    return value  # type: ignore[return-value]


def check_slug(value: object) -> str:
    """``value`` if it is a valid slug (see :data:`store.deck_tables.SLUG_RE`)."""
    if not isinstance(value, str) or not SLUG_RE.match(value):
        raise DeckError(
            f"slug {value!r} is not valid: use 1-80 lower-case latin letters, "
            "digits and hyphens, starting and ending with a letter or digit"
        )
    return value


def check_translations(value: object, fields: tuple[str, ...]) -> dict:
    """{lang: {field: text}} with known languages and fields only, empty texts dropped."""
    if value is None:
        return {}
    if not isinstance(value, dict):
        raise DeckError("translations must be an object {lang: {field: text}}")
    out: dict[str, dict[str, str]] = {}
    for lang, texts in value.items():
        check_lang(lang)
        if not isinstance(texts, dict):
            raise DeckError(f"translations.{lang} must be an object {{field: text}}")
        for field, text in texts.items():
            if field not in fields:
                raise DeckError(
                    f"translations.{lang}.{field}: unknown field; allowed: {', '.join(fields)}"
                )
            text = check_text(text, f"translations.{lang}.{field}", limit=_field_limit(field))
            if text:
                out.setdefault(lang, {})[field] = text
    return out


def import_deck(conn: Connection, doc: object, *, check_refs: bool) -> str:
    """Check the deck document ``doc`` and add it with its slides; returns its slug."""
    if not isinstance(doc, dict):
        raise DeckError("a deck must be an object {title, lang, slides}")
    allowed = {"title", "lang", "slug", "translations", "slides"}
    unknown = [k for k in doc if k not in allowed]
    if unknown:
        raise DeckError(f"unknown deck field {unknown[0]!r}; allowed: {', '.join(sorted(allowed))}")
    title = check_text(
        doc.get("title"), "title", required=True, limit=setting_limit("DECKS_MAX_TITLE")
    )
    lang = check_lang(doc.get("lang") or "kk")
    translations = check_translations(doc.get("translations"), ("title",))
    if doc.get("slug"):
        slug = check_slug(doc["slug"])
        if deck_id_of(conn, slug) is not None:
            raise DeckError(f"there is already a deck {slug!r}", 409)
    else:
        slug = free_slug(conn, slugify(title) or "deck")
    specs = doc.get("slides") or []
    if not isinstance(specs, list):
        raise DeckError("slides must be a list")
    if len(specs) > setting_limit("DECKS_MAX_SLIDES"):
        raise DeckError(
            f"a deck has at most {setting_limit('DECKS_MAX_SLIDES')} slides (DECKS_MAX_SLIDES)"
        )
    n_decks = conn.execute(select(func.count()).select_from(decks)).scalar() or 0
    if n_decks >= setting_limit("DECKS_MAX_DECKS"):
        raise DeckError(
            f"there are already {n_decks} decks, the most this server keeps (DECKS_MAX_DECKS); "
            "delete one first",
            409,
        )
    checked = [check_slide(s, f"slides[{i}]", check_refs=check_refs) for i, s in enumerate(specs)]
    now = now_utc()
    deck_id = conn.execute(
        insert(decks).values(
            slug=slug, title=title, lang=lang, translations=translations, created=now, updated=now
        )
    ).inserted_primary_key[0]
    for i, s in enumerate(checked, start=1):
        conn.execute(insert(slides).values(deck_id=deck_id, position=i, **s))
    return slug


def free_slug(conn: Connection, base: str) -> str:
    """``base``, or ``base-2``, ``base-3``... whichever no deck has yet."""
    base = base[:76].rstrip("-") or "deck"
    slug, n = base, 1
    while deck_id_of(conn, slug) is not None:
        n += 1
        slug = f"{base}-{n}"
    return slug


def check_slide(
    spec: object, what: str = "slide", *, check_refs: bool = True, partial: bool = False
) -> dict:
    """A slide's columns from ``{kind, params, title, text, notes, translations}``."""
    if not isinstance(spec, dict):
        raise DeckError(f"{what} must be an object {{kind, params, title, text, notes}}")
    allowed = {"kind", "params", "title", "text", "notes", "translations", "position", "id"}
    unknown = [k for k in spec if k not in allowed]
    if unknown:
        raise DeckError(
            f"{what}: unknown field {unknown[0]!r}; allowed: {', '.join(sorted(allowed - {'id'}))}"
        )
    try:
        out: dict[str, Any] = {}
        if not partial or "kind" in spec or "params" in spec:
            kind = spec.get("kind")
            out["kind"] = kind
            out["params"] = check_params(kind, spec.get("params"), check_refs=check_refs)
        for field in TEXT_FIELDS:
            if not partial or field in spec:
                out[field] = check_text(spec.get(field), field, limit=_field_limit(field))
        if not partial or "translations" in spec:
            out["translations"] = check_translations(spec.get("translations"), TEXT_FIELDS)
    except DeckError as exc:
        raise DeckError(
            f"{what}: {exc.message}" if what != "slide" else exc.message, exc.status
        ) from None
    return out
