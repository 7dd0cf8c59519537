"""The Simplified Chinese catalogue is complete: every string the code marks for translation is in it,
translated, not fuzzy, with the same placeholders, and compiled."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.core.management import call_command

from haicang.web.tests.po import header_fields, incomplete, parse_po, read_po

PACKAGE_DIR = Path(django_settings.BASE_DIR)
CATALOGUE = PACKAGE_DIR / "locale" / "zh_Hans" / "LC_MESSAGES" / "django.po"
PLACEHOLDER = re.compile(r"%\((\w+)\)[sdif]|\{(\w*)\}")
SOURCE_SUFFIXES = {".py", ".html", ".txt", ".po"}


def _nplurals(entries) -> int:
    match = re.search(r"nplurals\s*=\s*(\d+)", header_fields(entries).get("Plural-Forms", ""))
    assert match, "the catalogue header must state Plural-Forms"
    return int(match.group(1))


def test_the_strict_reader_sees_fuzzy_untranslated_and_missing_plural_entries():
    text = (
        'msgid ""\nmsgstr ""\n"Plural-Forms: nplurals=1; plural=0;\\n"\n\n'
        '#, fuzzy\nmsgid "Ship"\nmsgstr "发货"\n\n'
        'msgid "Pack"\nmsgstr ""\n\n'
        'msgid "%(n)s box"\nmsgid_plural "%(n)s boxes"\nmsgstr[1] "x"\n\n'
        'msgctxt "verb"\nmsgid "Count"\nmsgstr ""\n"盘点"\n\n'
        '#~ msgid "Gone"\n#~ msgstr ""\n'
    )

    entries = parse_po(text)

    problems = incomplete(entries, nplurals=1)
    assert [e.msgid for e in entries] == ["", "Ship", "Pack", "%(n)s box", "Count", "Gone"]
    assert entries[4].msgctxt == "verb" and entries[4].msgstr == "盘点"
    assert len(problems) == 3
    assert "'Ship'" in problems[0] and "fuzzy" in problems[0]
    assert "'Pack'" in problems[1] and "not translated" in problems[1]
    assert "plural form" in problems[2]


def test_every_entry_of_the_chinese_catalogue_is_translated_and_none_is_fuzzy():
    entries = read_po(CATALOGUE)

    problems = incomplete(entries, nplurals=_nplurals(entries))

    assert not problems, "Translate these in " + str(CATALOGUE) + ":\n" + "\n".join(problems)
    assert header_fields(entries)["Content-Type"] == "text/plain; charset=UTF-8"
    assert header_fields(entries)["Language"] == "zh_Hans"


def test_the_catalogue_keeps_no_obsolete_entries():
    obsolete = [e.msgid for e in read_po(CATALOGUE) if e.obsolete]

    assert not obsolete, f"remove the obsolete (#~) entries from {CATALOGUE}: {obsolete}"


def test_every_translation_keeps_the_placeholders_of_its_source_string():
    mismatches = []
    for entry in read_po(CATALOGUE):
        if entry.is_header or entry.obsolete:
            continue
        for source in filter(None, [entry.msgid, entry.msgid_plural]):
            wanted = sorted(PLACEHOLDER.findall(source))
            for text in entry.translations():
                if sorted(PLACEHOLDER.findall(text)) != wanted:
                    mismatches.append(f"{entry.msgid!r} → {text!r}")

    assert not mismatches, "placeholders differ:\n" + "\n".join(mismatches)


def _copy_sources(destination: Path) -> None:
    def ignore(folder: str, names: list[str]) -> set[str]:
        return {
            n
            for n in names
            if n in {"tests", "__pycache__", "static"}
            or ((Path(folder) / n).is_file() and Path(n).suffix not in SOURCE_SUFFIXES)
        }

    shutil.copytree(PACKAGE_DIR, destination, ignore=ignore)


@pytest.mark.timeout(120)
def test_the_catalogue_holds_every_string_the_code_marks_for_translation(tmp_path, settings, monkeypatch):
    # given a copy of the sources with the catalogue as committed
    if shutil.which("xgettext") is None or shutil.which("msgmerge") is None:
        pytest.fail("GNU gettext (Debian package gettext) is needed: apt-get install gettext")
    copy = tmp_path / "haicang"
    _copy_sources(copy)
    settings.LOCALE_PATHS = [copy / "locale"]
    monkeypatch.chdir(copy)

    # when makemessages merges what the code marks today into the copy's catalogue
    call_command("makemessages", locale=["zh_Hans"], ignore_patterns=["tests"], verbosity=0)

    # then nothing new appears: every entry is still translated and none was guessed (fuzzy)
    merged = read_po(copy / "locale" / "zh_Hans" / "LC_MESSAGES" / "django.po")
    committed = {e.key for e in read_po(CATALOGUE) if not e.is_header and not e.obsolete}
    problems = incomplete(merged, nplurals=_nplurals(merged))
    missing = [repr(e.msgid) for e in merged if not e.obsolete and not e.is_header and e.key not in committed]
    findings = missing + [p for p in problems if not any(m in p for m in missing)]
    assert not findings, (
        "The code marks strings that the catalogue lacks. Run\n"
        "  cd haicang && ../.venv/bin/haicang makemessages -l zh_Hans --ignore=tests\n"
        "then translate them in haicang/locale/zh_Hans/LC_MESSAGES/django.po:\n" + "\n".join(findings)
    )
    # and nothing in the catalogue is stale (strings the code no longer marks)
    stale = [e.msgid for e in merged if e.obsolete]
    assert not stale, f"the catalogue has strings the code no longer uses; rerun makemessages: {stale}"


def test_the_compiled_catalogue_is_there_and_not_older_than_its_source():
    compiled = CATALOGUE.with_suffix(".mo")

    assert compiled.exists(), "translations are not compiled: run `make messages`"
    assert compiled.stat().st_mtime >= CATALOGUE.stat().st_mtime, (
        "django.mo is older than django.po: run `make messages`"
    )
