"""A small, strict reader of gettext .po files, for the catalogue tests.

It understands what makemessages and msgmerge write: comments (``#``, ``#.``, ``#:``, ``#,`` flags, ``#|``
previous strings), ``msgctxt``, ``msgid``, ``msgid_plural``, ``msgstr`` and ``msgstr[n]``, each continued
by quoted lines, and obsolete entries (``#~``). Anything else is an error naming the line.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

_ESCAPES = {"n": "\n", "t": "\t", "r": "\r", '"': '"', "\\": "\\", "a": "\a", "b": "\b", "f": "\f", "v": "\v"}
_KEYWORD = re.compile(r'^(msgctxt|msgid|msgid_plural|msgstr|msgstr\[(\d+)\])\s+(".*")$')
_QUOTED = re.compile(r'^".*"$')


class PoSyntaxError(ValueError):
    pass


@dataclass
class PoEntry:
    line: int
    msgid: str = ""
    msgctxt: str | None = None
    msgid_plural: str | None = None
    msgstr: str = ""
    msgstr_plural: dict[int, str] = field(default_factory=dict)
    flags: set[str] = field(default_factory=set)
    obsolete: bool = False

    @property
    def is_header(self) -> bool:
        return self.msgid == "" and self.msgctxt is None

    @property
    def fuzzy(self) -> bool:
        return "fuzzy" in self.flags

    @property
    def key(self) -> tuple[str | None, str]:
        return (self.msgctxt, self.msgid)

    def translations(self) -> list[str]:
        if self.msgid_plural is None:
            return [self.msgstr]
        return [self.msgstr_plural[n] for n in sorted(self.msgstr_plural)]


def _unquote(text: str, lineno: int) -> str:
    if not _QUOTED.match(text) or len(text) < 2:
        raise PoSyntaxError(f"line {lineno}: expected a quoted string, got {text!r}")
    body, out, i = text[1:-1], [], 0
    while i < len(body):
        char = body[i]
        if char == '"':
            raise PoSyntaxError(f"line {lineno}: unescaped quote")
        if char == "\\":
            if i + 1 >= len(body) or body[i + 1] not in _ESCAPES:
                raise PoSyntaxError(f"line {lineno}: unknown escape in {text!r}")
            out.append(_ESCAPES[body[i + 1]])
            i += 2
            continue
        out.append(char)
        i += 1
    return "".join(out)


def parse_po(text: str) -> list[PoEntry]:
    entries: list[PoEntry] = []
    current: PoEntry | None = None
    target: str | None = None  # the field that continuation lines extend
    seen_msgid = False

    def finish() -> None:
        nonlocal current, target, seen_msgid
        if current is not None:
            if not seen_msgid:
                raise PoSyntaxError(f"line {current.line}: entry without msgid")
            entries.append(current)
        current, target, seen_msgid = None, None, False

    for lineno, raw in enumerate(text.splitlines(), start=1):
        line = raw.strip()
        obsolete = line.startswith("#~")
        if obsolete:
            line = line[2:].strip()
            if line.startswith("|"):  # previous string of an obsolete entry
                continue
        if not line:
            finish()
            continue
        if line.startswith("#"):
            if current is not None and seen_msgid:
                finish()
            if current is None:
                current = PoEntry(line=lineno)
            if line.startswith("#,"):
                current.flags.update(f.strip() for f in line[2:].split(",") if f.strip())
            continue
        if current is None:
            current = PoEntry(line=lineno)
        current.obsolete = current.obsolete or obsolete
        match = _KEYWORD.match(line)
        if match:
            keyword, index, quoted = match.groups()
            value = _unquote(quoted, lineno)
            if keyword == "msgctxt":
                if seen_msgid:
                    finish()
                    current = PoEntry(line=lineno, obsolete=obsolete)
                current.msgctxt = value
            elif keyword == "msgid":
                if seen_msgid:
                    raise PoSyntaxError(f"line {lineno}: second msgid in one entry")
                current.msgid, seen_msgid = value, True
            elif keyword == "msgid_plural":
                current.msgid_plural = value
            elif keyword == "msgstr":
                current.msgstr = value
            else:
                current.msgstr_plural[int(index)] = value
            target = keyword
            continue
        if _QUOTED.match(line) and target is not None:
            value = _unquote(line, lineno)
            if target == "msgctxt":
                current.msgctxt = (current.msgctxt or "") + value
            elif target == "msgid":
                current.msgid += value
            elif target == "msgid_plural":
                current.msgid_plural = (current.msgid_plural or "") + value
            elif target == "msgstr":
                current.msgstr += value
            else:
                n = int(target[7:-1])
                current.msgstr_plural[n] += value
            continue
        raise PoSyntaxError(f"line {lineno}: cannot read {raw!r}")
    finish()
    return entries


def read_po(path: Path) -> list[PoEntry]:
    return parse_po(path.read_text(encoding="utf-8"))


def header_fields(entries: list[PoEntry]) -> dict[str, str]:
    headers = [e for e in entries if e.is_header and not e.obsolete]
    if len(headers) != 1:
        raise PoSyntaxError("a catalogue has exactly one header entry")
    fields = {}
    for line in headers[0].msgstr.splitlines():
        name, _, value = line.partition(":")
        fields[name.strip()] = value.strip()
    return fields


def incomplete(entries: list[PoEntry], *, nplurals: int) -> list[str]:
    """Every live entry that is fuzzy, untranslated, or lacks a plural form, described for a failure message."""
    problems = []
    for entry in entries:
        if entry.obsolete:
            continue
        name = f"line {entry.line}: {entry.msgid!r}" + (
            f" (context {entry.msgctxt!r})" if entry.msgctxt else ""
        )
        if entry.fuzzy:
            problems.append(f"{name} is fuzzy")
        if entry.is_header:
            continue
        if entry.msgid_plural is not None and sorted(entry.msgstr_plural) != list(range(nplurals)):
            problems.append(
                f"{name} needs exactly {nplurals} plural form(s), has {sorted(entry.msgstr_plural)}"
            )
        if any(not text.strip() for text in entry.translations()) or not entry.translations():
            problems.append(f"{name} is not translated")
    return problems
