"""The message catalogs in translations/: extract, update, annotate, compile and check them.

    python -m tools.translations           # what `make translations` runs: extract, update,
                                           # annotate (English beside kk/ru), compile
    python -m tools.translations check     # list what is missing, fuzzy, stale or mismatched
    python -m tools.translations absorb    # move register({...}) blocks left in the code into
                                           # the catalogs and delete them from the code

A message's id is the key the code passes to ``t(key, lang)``; the English text lives in
en/messages.po like the Kazakh and Russian ones. Every kk and ru entry carries the English text
as an extracted comment (``#. en: ...``) so a translator sees the source text in any PO editor;
when the English text changes, ``make translations`` marks the kk and ru entries fuzzy.
"""

from __future__ import annotations

import argparse
import ast
import logging
import string
import sys
from collections.abc import Iterable, Mapping
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_dir, extract_from_file
from babel.messages.frontend import CommandLineInterface
from babel.messages.pofile import read_po, write_po

log = logging.getLogger(__name__)

ROOT = Path(__file__).resolve().parent.parent
TRANSLATIONS = ROOT / "translations"
DOMAIN = "messages"
LANGS = ("kk", "ru", "en")
SOURCE_LANG = "en"
# Where the interface code lives, and the functions whose first argument is a message key:
# t(key, lang, **fmt); N_(key) marks a key the code builds at run time (components/i18n_keys.py);
# page_title(key) names a page.
SOURCES = ("app.py", "api", "components", "pages", "views", "store", "etl")
KEYWORDS = {"t": (1,), "N_": None, "page_title": None}
METHOD = "tools.translations:extract_keys_ast"
METHOD_MAP = [("**.py", METHOD)]
EN_TAG = "en: "
HEADER = (
    "# Texts of the Aral region sustainability indicators dashboard, one entry per message key.\n"
    "# Edit the msgstr lines with any PO editor; `make translations` (README, Translations)."
)
NAMES = {"kk": "Kazakh", "ru": "Russian", "en": "English"}
WIDTH = 76


def po_path(lang: str, root: Path = TRANSLATIONS) -> Path:
    return root / lang / "LC_MESSAGES" / f"{DOMAIN}.po"


def template_path(root: Path = TRANSLATIONS) -> Path:
    return root / f"{DOMAIN}.pot"


def load(path: Path, lang: str | None = None) -> Catalog:
    with path.open("rb") as f:
        return read_po(f, locale=lang)


def save(catalog: Catalog, path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("wb") as f:
        write_po(f, catalog, width=WIDTH)


def _literal_keys(node: ast.AST) -> list[str]:
    """The keys an argument can be: a string, or either branch of ``a if c else b``."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return [node.value]
    if isinstance(node, ast.IfExp):
        return _literal_keys(node.body) + _literal_keys(node.orelse)
    return []


def extract_keys_ast(fileobj, keywords, comment_tags, options):  # noqa: ANN001, ANN201
    """A Babel extraction method reading the module with :mod:`ast`: the first argument of
    each keyword call when it is a string or a ``"a" if c else "b"`` of strings, inside
    f-strings too. (Babel's own Python extractor joins the two strings of a conditional.)"""
    tree = ast.parse(fileobj.read().decode(options.get("encoding", "utf-8")))
    for node in ast.walk(tree):
        if not (isinstance(node, ast.Call) and node.args):
            continue
        func = node.func
        name = func.id if isinstance(func, ast.Name) else getattr(func, "attr", None)
        if name in keywords:
            for key in _literal_keys(node.args[0]):
                yield node.lineno, name, key, []


def extract_keys(root: Path = ROOT, sources: Iterable[str] = SOURCES) -> dict[str, set[str]]:
    """Every message key the code names, with the files that name it (a live extraction
    with the same keywords as ``make translations``)."""
    found: dict[str, set[str]] = {}
    for name in sources:
        path = root / name
        if path.is_dir():
            messages = (
                (f"{name}/{fn}", msg)
                for fn, _, msg, *_ in extract_from_dir(path, METHOD_MAP, keywords=KEYWORDS)
            )
        elif path.is_file():
            messages = (
                (name, msg) for _, msg, *_ in extract_from_file(METHOD, path, keywords=KEYWORDS)
            )
        else:
            continue
        for where, msg in messages:
            if isinstance(msg, str):
                found.setdefault(msg, set()).add(where)
    return found


def _fields(text: str) -> set[str]:
    """The ``{placeholders}`` of a text; ValueError for unbalanced braces."""
    return {f for _, f, _, _ in string.Formatter().parse(text) if f is not None}


def check(root: Path = TRANSLATIONS, used: Mapping[str, object] | None = None) -> list[str]:
    """Every problem of the catalogs under ``root``: a key the code uses (``used``, default
    a live extraction) missing, empty or fuzzy in a language, obsolete though used, an entry
    the code no longer uses, placeholders that differ from the English text, a kk/ru entry
    whose ``#. en:`` comment is not the current English text, a template not current."""
    used = extract_keys() if used is None else used
    problems: list[str] = []
    catalogs: dict[str, Catalog] = {}
    for lang in LANGS:
        path = po_path(lang, root)
        if not path.exists():
            problems.append(f"{path}: missing")
            continue
        catalogs[lang] = load(path, lang)
    template = template_path(root)
    if not template.exists():
        problems.append(f"{template}: missing (run `make translations`)")
    else:
        in_template = {m.id for m in load(template) if m.id}
        for key in sorted(set(used) - in_template):
            problems.append(f"{template}: lacks {key!r} (run `make translations`)")
        for key in sorted(in_template - set(used)):
            problems.append(f"{template}: {key!r} is not used (run `make translations`)")
    for lang, cat in catalogs.items():
        where = po_path(lang, root).relative_to(root.parent)
        for key in sorted(used):
            msg = cat.get(key)
            if msg is None:
                note = " (obsolete, yet used)" if key in cat.obsolete else ""
                problems.append(f"{where}: {key!r} is missing{note}")
            elif not msg.string:
                problems.append(f"{where}: {key!r} has no translation")
            elif msg.fuzzy:
                problems.append(f"{where}: {key!r} is fuzzy (review it, remove the flag)")
        for msg in cat:
            if msg.id and msg.id not in used:
                problems.append(f"{where}: {msg.id!r} is not used in the code")
    english = catalogs.get(SOURCE_LANG)
    for key in sorted(used):
        texts = {
            lang: cat[key].string
            for lang, cat in catalogs.items()
            if cat.get(key) is not None and isinstance(cat[key].string, str) and cat[key].string
        }
        fields: dict[str, set[str]] = {}
        for lang, text in texts.items():
            try:
                fields[lang] = _fields(text)
            except ValueError as exc:
                problems.append(f"{lang}: {key!r}: {exc} in {text!r}")
        ref = fields.get(SOURCE_LANG)
        for lang, f in fields.items():
            if ref is not None and f != ref:
                problems.append(
                    f"{lang}: {key!r} has placeholders {sorted(f)}, English {sorted(ref)}"
                )
        en_text = texts.get(SOURCE_LANG)
        if english is None or en_text is None:
            continue
        for lang in LANGS:
            if lang == SOURCE_LANG or catalogs.get(lang) is None or key not in catalogs[lang]:
                continue
            if _en_comment(catalogs[lang][key]) != _en_note(en_text):
                problems.append(
                    f"{lang}: {key!r}: the English comment is not the current English text"
                    " (run `make translations`)"
                )
    return problems


def _en_note(text: str) -> str:
    """The ``en:`` comment of a text, whitespace collapsed (a PO file wraps long comments)."""
    return EN_TAG + " ".join(text.split())


def _en_comment(msg: object) -> str | None:
    """The ``en:`` comment of an entry: its last extracted comments, from the ``en:`` line."""
    lines = msg.auto_comments
    start = next((i for i, c in enumerate(lines) if c.startswith(EN_TAG)), None)
    return None if start is None else " ".join(" ".join(lines[start:]).split())


def revive(root: Path = TRANSLATIONS) -> None:
    """Give an untranslated entry the text of its obsolete entry (``#~``): a key that the
    code dropped and uses again (a module moved, a merge) keeps its translations."""
    for lang in LANGS:
        path = po_path(lang, root)
        cat = load(path, lang)
        revived = 0
        for msg in cat:
            old = cat.obsolete.get(msg.id) if msg.id and not msg.string else None
            if old is not None and old.string:
                msg.string, msg.flags = old.string, set(old.flags)
                msg.auto_comments = msg.auto_comments + [
                    c for c in old.auto_comments if c.startswith(EN_TAG)
                ]
                del cat.obsolete[msg.id]
                revived += 1
        if revived:
            log.info("%s: %d entries revived from obsolete ones", lang, revived)
            save(cat, path)


def annotate(root: Path = TRANSLATIONS, before: Mapping[str, Mapping[str, str]] | None = None):
    """Write the English text as ``#. en: ...`` on every kk and ru entry; an entry whose
    English text changed since ``before`` (lang -> key -> old comment) becomes fuzzy."""
    english = load(po_path(SOURCE_LANG, root), SOURCE_LANG)
    for lang in LANGS:
        if lang == SOURCE_LANG:
            continue
        path = po_path(lang, root)
        cat = load(path, lang)
        old = (before or {}).get(lang, {})
        for msg in cat:
            if not msg.id:
                continue
            en = english.get(msg.id)
            note = _en_note(en.string) if en is not None and en.string else None
            previous = old.get(msg.id, _en_comment(msg))
            if note and previous and previous != note and msg.string and not msg.fuzzy:
                log.warning("%s: %r: the English text changed, marked fuzzy", lang, msg.id)
                msg.flags.add("fuzzy")
            start = next((i for i, c in enumerate(msg.auto_comments) if c.startswith(EN_TAG)), None)
            msg.auto_comments = msg.auto_comments[:start]
            if note:
                msg.auto_comments.append(note)
        save(cat, path)


def _pybabel(*args: str) -> None:
    log.info("pybabel %s", " ".join(args))
    CommandLineInterface().run(["pybabel", "-q", *args])


def _undated(pot: str) -> str:
    return "\n".join(line for line in pot.split("\n") if "POT-Creation-Date" not in line)


def translations(root: Path = TRANSLATIONS) -> None:
    """Extract the template from the code, update kk/ru/en from it, annotate, compile."""
    template = template_path(root)
    old = template.read_text(encoding="utf-8") if template.exists() else None
    keywords = [a for k in KEYWORDS for a in ("-k", k)]
    sources = [s for s in SOURCES if (ROOT / s).exists()]
    _pybabel(
        "extract", "--no-default-keywords", *keywords, "--sort-output", "--add-location=file",
        "--project=aral-indicators", f"--header-comment={HEADER}", "-F", str(ROOT / "babel.cfg"), "-o", str(template), *sources,
    )  # fmt: skip
    if old is not None and _undated(old) == _undated(template.read_text(encoding="utf-8")):
        template.write_text(old, encoding="utf-8")  # nothing changed but the date: keep it
    before = {
        lang: {m.id: c for m in load(po_path(lang, root), lang) if (c := _en_comment(m))}
        for lang in LANGS
        if lang != SOURCE_LANG and po_path(lang, root).exists()
    }
    for lang in LANGS:
        if not po_path(lang, root).exists():
            _pybabel("init", "-D", DOMAIN, "-i", str(template), "-d", str(root), "-l", lang)
    _pybabel(
        "update", "-D", DOMAIN, "-i", str(template), "-d", str(root),
        "--no-fuzzy-matching", "--ignore-pot-creation-date",
    )  # fmt: skip
    revive(root)
    annotate(root, before)
    _pybabel("compile", "-D", DOMAIN, "-d", str(root), "--statistics")


def register_blocks(path: Path) -> list[tuple[ast.stmt, dict[str, dict[str, str]]]]:
    """The module-level ``register({key: {kk, ru, en}})`` calls of a module (under any
    name that components.i18n's ``register`` is imported as), with their literal strings."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names = {"register"} if path.name == "i18n.py" else set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module == "components.i18n":
            names |= {a.asname or a.name for a in node.names if a.name == "register"}
    blocks = []
    for node in tree.body:
        call = node.value if isinstance(node, ast.Expr) else None
        if (
            isinstance(call, ast.Call)
            and isinstance(call.func, ast.Name)
            and call.func.id in names
            and len(call.args) == 1
            and isinstance(call.args[0], ast.Dict)
        ):
            blocks.append((node, ast.literal_eval(call.args[0])))
    return blocks


def _drop_register_import(source: list[str], path: Path) -> list[str]:
    tree = ast.parse("\n".join(source))
    for node in tree.body:
        if isinstance(node, ast.ImportFrom) and node.module == "components.i18n":
            kept = [a for a in node.names if a.name != "register"]
            if len(kept) == len(node.names):
                continue
            node.names = kept
            new = [ast.unparse(node)] if kept else []
            return source[: node.lineno - 1] + new + source[node.end_lineno :]
    return source


def absorb(root: Path = ROOT, catalogs: Path = TRANSLATIONS, prefer_catalog: bool = False) -> int:
    """Move every register({...}) block of the code into the catalogs and delete it from
    the code; refuses (changing nothing) when a key already has a different text, unless
    ``prefer_catalog`` (then the catalog's text stays and the block's is dropped, logged)."""
    found: dict[str, dict[str, str]] = {}
    files: dict[Path, list[ast.stmt]] = {}
    conflicts = []
    for name in SOURCES:
        base = root / name
        for path in [base] if base.is_file() else sorted(base.rglob("*.py")):
            for node, strings in register_blocks(path):
                files.setdefault(path, []).append(node)
                for key, texts in strings.items():
                    if key in found and found[key] != texts:
                        conflicts.append(f"{path}: {key!r} registered twice, differently")
                    found[key] = dict(texts)
    cats = {
        lang: load(po_path(lang, catalogs), lang)
        if po_path(lang, catalogs).exists()
        else Catalog(locale=lang, project="aral-indicators", fuzzy=False)
        for lang in LANGS
    }
    for key, texts in found.items():
        for lang in LANGS:
            if not texts.get(lang):
                conflicts.append(f"{key!r} lacks {lang}")
            old = cats[lang].get(key)
            if old is not None and old.string and old.string != texts.get(lang):
                if prefer_catalog:
                    log.warning("%s: %r: kept %r, dropped %r", lang, key, old.string, texts[lang])
                    texts[lang] = old.string
                else:
                    conflicts.append(f"{lang}: {key!r} is {old.string!r} in the catalog")
    if conflicts:
        raise SystemExit("nothing absorbed:\n" + "\n".join(conflicts))
    for key, texts in found.items():
        for lang in LANGS:
            cats[lang].add(key, texts[lang])
    for lang, cat in cats.items():
        save(cat, po_path(lang, catalogs))
    for path, nodes in files.items():
        source = path.read_text(encoding="utf-8").split("\n")
        for node in sorted(nodes, key=lambda n: -n.lineno):
            del source[node.lineno - 1 : node.end_lineno]
        if path.name != "i18n.py":
            source = _drop_register_import(source, path)
        path.write_text("\n".join(source), encoding="utf-8")
        log.info("%s: %d block(s) absorbed", path.relative_to(root), len(nodes))
    return len(found)


def main(argv: list[str] | None = None) -> int:
    logging.basicConfig(level=logging.INFO, format="%(message)s")
    parser = argparse.ArgumentParser(
        prog="python -m tools.translations",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("command", nargs="?", default="all", choices=["all", "check", "absorb"])
    parser.add_argument(
        "--prefer-catalog",
        action="store_true",
        help="absorb: where a block's text differs from the catalog's, keep the catalog's",
    )
    args = parser.parse_args(argv)
    if args.command == "absorb":
        n = absorb(prefer_catalog=args.prefer_catalog)
        log.info("%d strings absorbed; now run `make translations`", n)
        return 0
    if args.command == "all":
        translations()
    problems = check()
    for p in problems:
        log.error("%s", p)
    return 1 if problems and args.command == "check" else 0


if __name__ == "__main__":
    sys.exit(main())
