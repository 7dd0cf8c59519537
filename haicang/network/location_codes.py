"""Location codes: the bin scheme ``ZONE-AISLE-RACK-LEVEL-POSITION`` and area codes. Pure: no Django import.

A **bin code** names a storage place: ``A-01-03-2-1`` is zone A, aisle 1, rack 3, level 2, position 1.

- zone: a letter then up to 3 letters or digits (``A``, ``B2``, ``COLD``);
- aisle and rack: 1–999, written with at least two digits (``01``, ``12``, ``120``);
- level (from the floor up) and position (along the rack): 1–99, written without padding.

Parsing is lenient about case, surrounding blanks and zero padding (``a-1-3-2-1`` is ``A-01-03-2-1``) and
strict about everything else; the canonical form (:func:`str` of a :class:`BinCode`) is what is stored, so two
spellings of one bin cannot both exist.

An **area code** names a place that is not a shelf slot — a dock door, a receiving or quarantine area:
upper-case letters and digits in dash-separated groups, starting with a letter, at most 20 characters
(``DOCK-01``, ``RCV``, ``QA-HOLD``). A text that parses as a bin code is a bin code.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from haicang.network.errors import LocationCodeInvalid

ZONE_RE = re.compile(r"[A-Z][A-Z0-9]{0,3}", re.ASCII)
_BIN_RE = re.compile(
    r"([A-Za-z][A-Za-z0-9]{0,3})-([0-9]{1,3})-([0-9]{1,3})-([0-9]{1,2})-([0-9]{1,2})", re.ASCII
)
_AREA_RE = re.compile(r"[A-Z][A-Z0-9]*(?:-[A-Z0-9]+)*", re.ASCII)
AREA_CODE_MAX = 20
CODE_MAX = 20

# (name, lowest, highest) of each numeric part of a bin code.
LIMITS: dict[str, tuple[int, int]] = {
    "aisle": (1, 999),
    "rack": (1, 999),
    "level": (1, 99),
    "position": (1, 99),
}


def zone_check(zone: object, *, field: str = "zone") -> str:
    """The zone upper-cased when it is a letter then up to 3 letters or digits."""
    value = zone.strip().upper() if isinstance(zone, str) else ""
    if not ZONE_RE.fullmatch(value):
        raise LocationCodeInvalid(
            f"zone {zone!r} is a letter then up to 3 letters or digits, e.g. A or B2", field=field
        )
    return value


def part_check(name: str, value: object, *, field: str | None = None) -> int:
    """``value`` when it is a whole number within the limits of the part ``name`` (aisle, rack…)."""
    low, high = LIMITS[name]
    if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
        raise LocationCodeInvalid(
            f"{name} {value!r} is not a whole number from {low} to {high}", field=field or name
        )
    return value


@dataclass(frozen=True, order=True, slots=True)
class BinCode:
    """One bin's address; ``str()`` gives the canonical code."""

    zone: str
    aisle: int
    rack: int
    level: int
    position: int

    def __post_init__(self) -> None:
        if zone_check(self.zone) != self.zone:
            raise LocationCodeInvalid(f"zone {self.zone!r} is not upper-case", field="zone")
        for name in LIMITS:
            part_check(name, getattr(self, name))

    def __str__(self) -> str:
        return f"{self.zone}-{self.aisle:02d}-{self.rack:02d}-{self.level}-{self.position}"


def bin_code_parse(text: object, *, field: str = "code") -> BinCode:
    """The bin code in ``text``; raises LocationCodeInvalid saying what is wrong."""
    if not isinstance(text, str):
        raise LocationCodeInvalid(f"a location code is text, not {type(text).__name__}", field=field)
    match = _BIN_RE.fullmatch(text.strip()) if len(text) <= 2 * CODE_MAX else None
    if match is None:
        raise LocationCodeInvalid(
            f"{text[: 2 * CODE_MAX]!r} is not a bin code ZONE-AISLE-RACK-LEVEL-POSITION such as A-01-03-2-1",
            field=field,
        )
    zone, *numbers = match.groups()
    parts = {name: int(number) for name, number in zip(LIMITS, numbers, strict=True)}
    for name, value in parts.items():
        part_check(name, value, field=field)
    return BinCode(zone=zone.upper(), **parts)


def bin_code_format(*, zone: str, aisle: int, rack: int, level: int, position: int) -> str:
    """The canonical code of a bin: ``bin_code_format(zone="A", aisle=1, rack=3, level=2, position=1)``."""
    return str(BinCode(zone=zone_check(zone), aisle=aisle, rack=rack, level=level, position=position))


def is_bin_code(text: str) -> bool:
    try:
        bin_code_parse(text)
    except LocationCodeInvalid:
        return False
    return True


def area_code_check(text: object, *, field: str = "code") -> str:
    """An area code upper-cased (``dock-01`` → ``DOCK-01``); raises LocationCodeInvalid."""
    value = text.strip().upper() if isinstance(text, str) else ""
    if len(value) > AREA_CODE_MAX or not _AREA_RE.fullmatch(value):
        raise LocationCodeInvalid(
            f"{str(text)[: 2 * AREA_CODE_MAX]!r} is not an area code: letters and digits in dash-separated groups, "
            f"starting with a letter, at most {AREA_CODE_MAX} characters (e.g. DOCK-01)",
            field=field,
        )
    return value


def location_code_normalise(text: object, *, field: str = "code") -> tuple[str, BinCode | None]:
    """The canonical code and, for a bin code, its parts: a bin code when it parses as one, else an area code."""
    try:
        code = bin_code_parse(text, field=field)
    except LocationCodeInvalid:
        return area_code_check(text, field=field), None
    return str(code), code


def span_check(name: str, span: object) -> tuple[int, int]:
    """A ``(first, last)`` pair of one part, both within limits and ``first <= last``."""
    if not isinstance(span, tuple | list) or len(span) != 2:
        raise LocationCodeInvalid(f"{name}s are a (first, last) pair, not {span!r}", field=f"{name}s")
    first, last = (part_check(name, value, field=f"{name}s") for value in span)
    if first > last:
        raise LocationCodeInvalid(
            f"{name}s run from {first} to {last}: the first is after the last", field=f"{name}s"
        )
    return first, last


def span_values(span: tuple[int, int], *, reverse: bool = False) -> Iterator[int]:
    first, last = span
    return iter(range(last, first - 1, -1) if reverse else range(first, last + 1))
