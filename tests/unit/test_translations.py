"""The message catalogs in translations/: complete, current, and the checks that say so."""

from __future__ import annotations

import shutil

import pytest

from components import i18n
from tools import translations as tr


@pytest.fixture(scope="module")
def used() -> dict[str, set[str]]:
    """The message keys the code names (a live extraction, as `make translations` does)."""
    return tr.extract_keys()


@pytest.fixture
def copy(tmp_path):
    """A copy of the real catalogs to break."""
    root = tmp_path / "translations"
    shutil.copytree(tr.TRANSLATIONS, root, ignore=shutil.ignore_patterns("*.mo"))
    return root


def edit(root, lang, change):
    cat = tr.load(tr.po_path(lang, root), lang)
    change(cat)
    tr.save(cat, tr.po_path(lang, root))


def test_the_catalogs_have_every_key_in_kk_ru_and_en(used):
    assert tr.check(used=used) == []
    assert len(used) > 600


def test_no_register_block_is_left_in_the_code():
    blocks = [
        path
        for name in tr.SOURCES
        for path in (
            [tr.ROOT / name] if (tr.ROOT / name).is_file() else (tr.ROOT / name).rglob("*.py")
        )
        if tr.register_blocks(path)
    ]
    assert blocks == [], "run `python -m tools.translations absorb`"


def test_a_missing_empty_or_fuzzy_translation_fails(copy, used):
    assert tr.check(copy, used) == []
    edit(copy, "kk", lambda c: c.delete("msg.no_data"))
    edit(copy, "ru", lambda c: setattr(c["word.year"], "string", ""))
    edit(copy, "en", lambda c: c["word.value"].flags.add("fuzzy"))
    problems = "\n".join(tr.check(copy, used))
    assert "kk/LC_MESSAGES/messages.po: 'msg.no_data' is missing" in problems
    assert "ru/LC_MESSAGES/messages.po: 'word.year' has no translation" in problems
    assert "en/LC_MESSAGES/messages.po: 'word.value' is fuzzy" in problems


def test_an_obsolete_entry_that_the_code_uses_fails(copy, used):
    def obsolete(cat):
        cat.obsolete["nav.map"] = cat["nav.map"]
        cat.delete("nav.map")

    edit(copy, "ru", obsolete)
    assert '#~ msgid "nav.map"' in tr.po_path("ru", copy).read_text(encoding="utf-8")
    assert any("'nav.map' is missing (obsolete, yet used)" in p for p in tr.check(copy, used))


def test_placeholders_that_differ_between_languages_fail(copy, used):
    edit(copy, "ru", lambda c: setattr(c["msg.one_year"], "string", "Только один год: {yr}"))
    edit(copy, "kk", lambda c: setattr(c["msg.other_sources"], "string", "Басқа ({n)"))
    problems = "\n".join(tr.check(copy, used))
    assert "ru: 'msg.one_year' has placeholders ['yr'], English ['year']" in problems
    assert "kk: 'msg.other_sources'" in problems


def test_a_key_the_code_uses_but_no_catalog_has_fails(copy, used):
    problems = tr.check(copy, {**used, "nav.new_page": {"pages/new.py"}})
    for lang in tr.LANGS:
        assert f"{lang}/LC_MESSAGES/messages.po: 'nav.new_page' is missing" in "\n".join(problems)
    assert any("lacks 'nav.new_page'" in p for p in problems)  # the template is stale too


def test_an_entry_no_code_uses_fails(copy, used):
    edit(copy, "kk", lambda c: c.add("old.gone", "ескі"))
    assert any("'old.gone' is not used in the code" in p for p in tr.check(copy, used))


def test_a_changed_english_text_marks_kk_and_ru_fuzzy(copy, used):
    edit(copy, "en", lambda c: setattr(c["nav.map"], "string", "Maps"))
    problems = tr.check(copy, used)
    assert "kk: 'nav.map': the English comment is not the current English text" in "\n".join(
        problems
    )
    tr.annotate(copy)
    for lang in ("kk", "ru"):
        msg = tr.load(tr.po_path(lang, copy), lang)["nav.map"]
        assert msg.fuzzy and "en: Maps" in msg.auto_comments
    assert any("'nav.map' is fuzzy" in p for p in tr.check(copy, used))
    # A fuzzy entry is left out at run time: the English text stands in.
    texts = i18n.load_catalogs(copy)
    assert texts["nav.map"] == {"en": "Maps"}


def test_every_kk_and_ru_entry_shows_the_english_text():
    for lang in ("kk", "ru"):
        text = tr.po_path(lang).read_text(encoding="utf-8")
        assert "#. en: Aral region sustainability indicators\n#: " in text
        cat = tr.load(tr.po_path(lang), lang)
        assert all(tr._en_comment(m) for m in cat if m.id)


def test_the_extractor_reads_conditionals_and_f_strings(tmp_path):
    (tmp_path / "page.py").write_text(
        "from components.i18n import N_, t\n"
        "a = t('x.one' if ok else 'x.two', lang)\n"
        "b = f\"{t('x.three', lang, n=1)} and {t(f'x.{kind}', lang)}\"\n"
        "KEYS = (N_('x.four'),)\n"
        "title = page_title('x.five')\n",
        encoding="utf-8",
    )
    found = tr.extract_keys(tmp_path, ("page.py",))
    assert sorted(found) == ["x.five", "x.four", "x.one", "x.three", "x.two"]


def test_t_raises_a_clear_error_for_an_unknown_key():
    with pytest.raises(KeyError, match="no message 'no.such_key'.*make translations"):
        i18n.t("no.such_key", "kk")
    assert i18n.t("msg.one_year", "ru", year=2020) == "Только один год: 2020"
    assert i18n.t("msg.one_year", "xx", year=2020) == i18n.t("msg.one_year", "kk", year=2020)


def test_catalogs_load_from_the_po_when_the_mo_is_missing(copy):
    assert not list(copy.rglob("*.mo"))
    assert i18n.load_catalogs(copy) == i18n.strings()
    shutil.rmtree(copy / "ru")
    with pytest.raises(FileNotFoundError, match="no message catalog for 'ru'"):
        i18n.load_catalogs(copy)


def test_absorb_moves_register_blocks_into_the_catalogs(tmp_path, copy):
    page = tmp_path / "pages" / "new.py"
    page.parent.mkdir()
    page.write_text(
        "from components.i18n import register, t\n\n"
        'register({"x.new": {"kk": "жаңа", "ru": "новый", "en": "new"}})\n\n\n'
        "def f(lang):\n    return t('x.new', lang)\n",
        encoding="utf-8",
    )
    assert tr.absorb(tmp_path, copy) == 1
    assert tr.load(tr.po_path("kk", copy), "kk")["x.new"].string == "жаңа"
    code = page.read_text(encoding="utf-8")
    assert "register" not in code and "from components.i18n import t\n" in code
    # A text that differs from the catalog's: refused, nothing changed; or the catalog's kept.
    clash = 'from components.i18n import register\nregister({"nav.map": {"kk": "X", "ru": "Y", "en": "Z"}})\n'
    page.write_text(clash, encoding="utf-8")
    with pytest.raises(SystemExit, match="kk: 'nav.map' is 'Карта' in the catalog"):
        tr.absorb(tmp_path, copy)
    assert page.read_text(encoding="utf-8") == clash
    assert tr.absorb(tmp_path, copy, prefer_catalog=True) == 1
    assert tr.load(tr.po_path("en", copy), "en")["nav.map"].string == "Map"
    assert "register" not in page.read_text(encoding="utf-8")
