"""Column mapping: a partner's header names to an importer's canonical columns. Pure: no Django import.

Each header cell of row 1 is matched, in this order:

1. by the mapping profile chosen for the upload (``{"Artikelnummer": "sku_code", "Notes": ""}``; an empty
   target ignores that column);
2. by the canonical column's name;
3. by one of the column's synonyms.

Names are compared after :func:`header_key`: case, surrounding and repeated spaces, dashes and underscores
and full-width characters do not matter (``SKU Code``, ``sku-code`` and ``ＳＫＵ_code`` are ``sku_code``).
A header that matches nothing is a problem (``exchange.column_unknown``) unless the importer ignores unknown
columns; a column matched twice, or a required column that is absent and has no default, is a problem too.
A profile's *defaults* fill a column that the file lacks, and any empty cell of it.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from haicang.exchange.errors import ExchangeErrorCode
from haicang.exchange.problems import MASK, Problem
from haicang.exchange.tables import MAX_FILE_BYTES, MAX_ROWS, FileFormat, read_table

PREVIEW_ROWS = 20
MAX_DEFAULT_LENGTH = 500

_NOISE = re.compile(r"[\s\-_]+")


@dataclass(frozen=True, slots=True)
class ColumnSpec:
    """One canonical column of an import kind.

    ``personal``: the column holds personal data (names, street lines, phones, e-mails); its values are
    masked in previews and problem lists, and the kind's files are sealed at rest and erased after use.
    """

    name: str
    required: bool = False
    description: Any = ""  # text or a lazily translated string
    synonyms: tuple[str, ...] = ()
    personal: bool = False
    # Units a header may name after the column's name or synonym ("Length (cm)", "G.W. [kgs]", "长cm"); the
    # unit found is kept in ``MappedTable.units``. Lower case, e.g. ("cm", "mm").
    units: tuple[str, ...] = ()


def header_key(text: str) -> str:
    """``text`` as compared with column names: NFKC, lower case, runs of spaces, dashes and ``_`` as one ``_``."""
    return _NOISE.sub("_", unicodedata.normalize("NFKC", text).strip().lower()).strip("_")


@dataclass
class HeaderMap:
    positions: dict[str, int] = field(default_factory=dict)  # canonical column → index in a row
    sources: dict[str, str] = field(default_factory=dict)  # canonical column → the file's header text
    ignored: list[str] = field(default_factory=list)  # headers left out on purpose (profile, importer)
    units: dict[str, str] = field(default_factory=dict)  # canonical column → the unit its header names
    width: int = 0
    problems: list[Problem] = field(default_factory=list)


def _lookup(columns: Sequence[ColumnSpec]) -> dict[str, str]:
    names: dict[str, str] = {}
    for column in columns:
        names.setdefault(header_key(column.name), column.name)
    for column in columns:
        for synonym in column.synonyms:
            names.setdefault(header_key(synonym), column.name)
    return names


def _unit_split(raw: str, units: Sequence[str]) -> tuple[str, str] | None:
    """``raw`` as (stem, unit) when it ends with one of ``units``: ``Length (cm)``, ``L[mm]``, ``GW/kgs``,
    ``Length cm``, ``长cm`` (the longest unit first); None otherwise. A bare Latin unit right after a Latin
    letter or digit is not split off (``items`` is not ``item`` + ``s``)."""
    text = unicodedata.normalize("NFKC", raw).strip().lower()
    for unit in sorted(units, key=len, reverse=True):
        for form in (f"({unit})", f"[{unit}]", f"/{unit}", unit):
            if not text.endswith(form) or len(text) == len(form):
                continue
            before = text[-len(form) - 1]
            if form == unit and unit.isascii() and before.isascii() and before.isalnum():
                continue
            stem = text[: -len(form)].rstrip(" _-/")
            if stem:
                return stem, unit
    return None


def _unit_of(raw: str, column: ColumnSpec) -> str | None:
    split = _unit_split(raw, column.units) if column.units else None
    return split[1] if split else None


def header_map(
    header: Sequence[str],
    columns: Sequence[ColumnSpec],
    *,
    mapping: Mapping[str, str | None] | None = None,
    defaults: Mapping[str, str] | None = None,
    ignore_unknown: bool = False,
) -> HeaderMap:
    """Match row 1 of a file to ``columns``; see the module's docstring for the rules."""
    known = {c.name for c in columns}
    by_key = _lookup(columns)
    chosen = {header_key(source): (target or "") for source, target in (mapping or {}).items()}
    result = HeaderMap(width=len(header))
    for index, raw in enumerate(header):
        if not raw:
            continue
        key = header_key(raw)
        if key in chosen:
            target = chosen[key]
            if not target:
                result.ignored.append(raw)
                continue
            if target not in known:
                result.problems.append(
                    Problem(1, raw, ExchangeErrorCode.COLUMN_UNKNOWN, f"the profile maps {raw!r} to "
                            f"{target!r}, which is not a column of this import", value=raw)
                )  # fmt: skip
                continue
        elif key in by_key:
            target = by_key[key]
        elif (found := _unit_lookup(raw, columns, by_key)) is not None:
            target = found
        elif ignore_unknown:
            result.ignored.append(raw)
            continue
        else:
            result.problems.append(
                Problem(1, raw, ExchangeErrorCode.COLUMN_UNKNOWN, f"unknown column {raw!r}", value=raw)
            )
            continue
        if target in result.positions:
            result.problems.append(
                Problem(
                    1,
                    target,
                    ExchangeErrorCode.COLUMN_DUPLICATE,
                    f"{target} appears twice (as {result.sources[target]!r} and {raw!r})",
                    value=raw,
                )
            )
            continue
        result.positions[target] = index
        result.sources[target] = raw
        spec = next(c for c in columns if c.name == target)
        if (unit := _unit_of(raw, spec)) is not None:
            result.units[target] = unit
    for column in columns:
        if column.required and column.name not in result.positions and not (defaults or {}).get(column.name):
            result.problems.append(
                Problem(
                    1, column.name, ExchangeErrorCode.COLUMN_MISSING, f"the {column.name} column is required"
                )
            )
    return result


def _unit_lookup(raw: str, columns: Sequence[ColumnSpec], by_key: Mapping[str, str]) -> str | None:
    """The column a header names with a unit suffix (``Length (cm)`` → the column whose name or synonym is
    ``length`` and that declares ``cm``), or None."""
    for column in columns:
        split = _unit_split(raw, column.units) if column.units else None
        if split is not None and by_key.get(header_key(split[0])) == column.name:
            return column.name
    return None


@dataclass(frozen=True, slots=True)
class MappedRow:
    row: int  # as a spreadsheet numbers it
    values: dict[str, str]  # canonical column → text (only the columns of the table)


@dataclass
class MappedTable:
    """The rows of a file under the importer's column names. ``columns`` are those the file (or a default)
    provides, in the importer's order; a column that is absent is not in ``values`` at all."""

    columns: tuple[str, ...]
    rows: list[MappedRow]
    sources: dict[str, str] = field(default_factory=dict)
    ignored: tuple[str, ...] = ()
    units: dict[str, str] = field(default_factory=dict)  # column → the unit its header names ("cm")

    def has(self, name: str) -> bool:
        return name in self.columns


def rows_map(
    rows: Sequence[tuple[int, list[str]]],
    header: HeaderMap,
    columns: Sequence[ColumnSpec],
    *,
    defaults: Mapping[str, str] | None = None,
) -> tuple[MappedTable, list[Problem]]:
    """Every row as a :class:`MappedRow`; a value in a column without a header is a problem."""
    fill = {name: value for name, value in (defaults or {}).items() if value}
    present = [c.name for c in columns if c.name in header.positions or c.name in fill]
    problems: list[Problem] = []
    mapped: list[MappedRow] = []
    for number, cells in rows:
        values: dict[str, str] = {}
        for name in present:
            index = header.positions.get(name)
            text = cells[index] if index is not None and index < len(cells) else ""
            values[name] = text or fill.get(name, "")
        for index in range(header.width, len(cells)):
            if cells[index]:
                problems.append(
                    Problem(
                        number,
                        f"column {index + 1}",
                        ExchangeErrorCode.COLUMN_UNKNOWN,
                        "a value in a column without a name",
                        value=cells[index],
                    )
                )
        mapped.append(MappedRow(number, values))
    table = MappedTable(
        columns=tuple(present),
        rows=mapped,
        sources=dict(header.sources),
        ignored=tuple(header.ignored),
        units=dict(header.units),
    )
    return table, problems


@dataclass
class Prepared:
    """A file read and mapped: ``table`` is None when the file itself could not be read."""

    table: MappedTable | None
    problems: list[Problem]


def file_prepare(
    data: bytes,
    fmt: FileFormat | str,
    columns: Sequence[ColumnSpec],
    *,
    mapping: Mapping[str, str | None] | None = None,
    defaults: Mapping[str, str] | None = None,
    ignore_unknown: bool = False,
    max_rows: int = MAX_ROWS,
    max_bytes: int = MAX_FILE_BYTES,
) -> Prepared:
    """Read ``data`` and map its header and rows to ``columns``, listing every problem of the file's shape."""
    table = read_table(data, fmt, max_rows=max_rows, max_bytes=max_bytes)
    if table.problems:
        return Prepared(None, list(table.problems))
    header = header_map(
        table.header, columns, mapping=mapping, defaults=defaults, ignore_unknown=ignore_unknown
    )
    mapped, problems = rows_map(table.rows, header, columns, defaults=defaults)
    return Prepared(mapped, [*header.problems, *problems])


def mapping_problems(
    mapping: Mapping[str, object], defaults: Mapping[str, object], columns: Sequence[ColumnSpec]
) -> list[str]:
    """What is wrong with a profile's ``mapping`` (source header → column or "") and ``defaults``."""
    known = {c.name for c in columns}
    problems: list[str] = []
    seen_keys: dict[str, str] = {}
    targets: dict[str, str] = {}
    for source, target in mapping.items():
        if not isinstance(source, str) or not header_key(source):
            problems.append(f"{source!r} is not a header name")
            continue
        if len(source) > 200:
            problems.append(f"the header {source[:40]!r}… is longer than 200 characters")
        key = header_key(source)
        if key in seen_keys:
            problems.append(f"{source!r} and {seen_keys[key]!r} are the same header")
        seen_keys[key] = source
        if target is None or target == "":
            continue
        if not isinstance(target, str) or target not in known:
            problems.append(f"{source!r} maps to {target!r}, which is not a column of this import")
        elif target in targets:
            problems.append(f"{source!r} and {targets[target]!r} both map to {target}")
        else:
            targets[target] = source
    for name, value in defaults.items():
        if name not in known:
            problems.append(f"a default for {name!r}, which is not a column of this import")
        elif not isinstance(value, str):
            problems.append(f"the default for {name} must be text")
        elif len(value) > MAX_DEFAULT_LENGTH:
            problems.append(f"the default for {name} is longer than {MAX_DEFAULT_LENGTH} characters")
    return problems


def preview_rows(
    table: MappedTable, columns: Sequence[ColumnSpec], *, limit: int = PREVIEW_ROWS
) -> dict[str, Any]:
    """The first ``limit`` mapped rows for people to check, personal columns masked."""
    personal = {c.name for c in columns if c.personal}
    return {
        "columns": list(table.columns),
        "sources": dict(table.sources),
        "ignored": list(table.ignored),
        "rows": [
            {
                "row": row.row,
                "values": {k: (MASK if k in personal and v else v) for k, v in row.values.items()},
            }
            for row in table.rows[:limit]
        ],
    }


def problems_complete(
    problems: Sequence[Problem], table: MappedTable | None, columns: Sequence[ColumnSpec]
) -> list[Problem]:
    """Each row problem with the value found in its cell and the file's header of its column; values of
    personal columns masked. The order is kept."""
    personal = {c.name for c in columns if c.personal}
    by_row = {row.row: row.values for row in table.rows} if table is not None else {}
    sources = table.sources if table is not None else {}
    out: list[Problem] = []
    for problem in problems:
        column = problem.column or ""
        value = None
        if problem.row is not None and problem.row > 1 and column in by_row.get(problem.row, {}):
            value = by_row[problem.row][column]
        source = sources.get(column)
        problem = problem.with_value(value, source_column=source if source and source != column else None)
        if column in personal and problem.value:
            problem = Problem(
                problem.row, problem.column, problem.code, problem.reason, MASK, problem.source_column
            )
        out.append(problem)
    return out
