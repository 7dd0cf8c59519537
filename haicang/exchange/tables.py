"""Exchanged files as tables: read and write CSV (UTF-8, with or without BOM) and Excel (.xlsx). Pure: no Django.

Reading gives the header (row 1) and every later row as text cells with the row number a spreadsheet shows
(a CSV record that spans lines inside quotes is one row). Empty rows are skipped but keep their numbers.
A CSV is split on commas, or on semicolons or tabs when the header has no comma. An Excel file is read from
its first sheet, cells as the text a CSV would hold. Problems with the file itself are
:class:`~haicang.exchange.problems.Problem` rows (code ``exchange.file_invalid``), like every other problem.
Every import reads its file here (``docs/exchange.md``); the catalogue's export writes with it too.
"""

from __future__ import annotations

import csv
import io
import zipfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from enum import StrEnum
from typing import Any

from haicang.exchange.errors import ExchangeErrorCode
from haicang.exchange.problems import Problem

MAX_ROWS = 100_000
MAX_FILE_BYTES = 50 * 1024 * 1024


class FileFormat(StrEnum):
    CSV = "csv"
    XLSX = "xlsx"


CONTENT_TYPES = {
    FileFormat.CSV: "text/csv; charset=utf-8",
    FileFormat.XLSX: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


@dataclass
class Table:
    header: list[str] = field(default_factory=list)
    rows: list[tuple[int, list[str]]] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)


def format_guess(filename: str, data: bytes) -> FileFormat:
    """The format named by the file's extension, else recognised from its first bytes (an .xlsx is a zip)."""
    name = filename.lower()
    if name.endswith(".xlsx"):
        return FileFormat.XLSX
    if name.endswith((".csv", ".txt")):
        return FileFormat.CSV
    return FileFormat.XLSX if data[:4] == b"PK\x03\x04" else FileFormat.CSV


def _file_problem(detail: str, *, row: int | None = None) -> Problem:
    return Problem(row=row, column=None, code=ExchangeErrorCode.FILE_INVALID, reason=detail)


def read_table(
    data: bytes, fmt: FileFormat | str, *, max_rows: int = MAX_ROWS, max_bytes: int = MAX_FILE_BYTES
) -> Table:
    """The header and rows of a CSV or XLSX file; problems with the file are in ``Table.problems``. At most
    ``max_rows`` rows and ``max_bytes`` (an import kind may allow more than the defaults)."""
    if len(data) > max_bytes:
        return Table(problems=[_file_problem(f"the file is larger than {max_bytes // (1024 * 1024)} MB")])
    if not data.strip():
        return Table(problems=[_file_problem("the file is empty")])
    table = _read_xlsx(data, max_rows) if FileFormat(fmt) is FileFormat.XLSX else _read_csv(data)
    if not table.problems and not table.header:
        table.problems.append(_file_problem("row 1 must hold the column names", row=1))
    elif not table.problems and len(table.rows) > max_rows:
        table.problems.append(_file_problem(f"the file has more than {max_rows:,} rows; split it"))
    return table


def _clean_row(cells: Sequence[str]) -> list[str]:
    return [cell.strip() for cell in cells]


def _read_csv(data: bytes) -> Table:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        return Table(
            problems=[
                _file_problem(
                    f"the file is not UTF-8 text (line {line}); save it as “CSV UTF-8” or as an Excel workbook",
                    row=line,
                )
            ]
        )
    first_line = text.split("\n", 1)[0]
    delimiter = ","
    if "," not in first_line:
        delimiter = ";" if ";" in first_line else ("\t" if "\t" in first_line else ",")
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    table = Table()
    try:
        for number, cells in enumerate(reader, start=1):
            if number == 1:
                table.header = _clean_row(cells)
            elif any(cell.strip() for cell in cells):
                table.rows.append((number, _clean_row(cells)))
    except csv.Error as exc:
        table.problems.append(
            _file_problem(f"the CSV is malformed near line {reader.line_num}: {exc}", row=None)
        )
    return table


def cell_text(value: Any) -> str:
    """An Excel cell's value as the text a CSV would hold: integral numbers without '.0', no exponents."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        number = Decimal(repr(value))
        if number == number.to_integral_value():
            return str(int(number))
        return format(number.normalize(), "f")
    if isinstance(value, Decimal):
        return format(value, "f")
    if isinstance(value, datetime | date):
        return value.isoformat()
    return str(value).strip()


def _read_xlsx(data: bytes, max_rows: int = MAX_ROWS) -> Table:
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError) as exc:
        return Table(problems=[_file_problem(f"the file is not an Excel workbook (.xlsx): {exc}")])
    try:
        sheet = workbook.worksheets[0]
        sheet.reset_dimensions()  # read every row, whatever size the file claims
        table = Table()
        for number, values in enumerate(sheet.iter_rows(values_only=True), start=1):
            cells = [cell_text(v) for v in values]
            if number == 1:
                while cells and not cells[-1]:
                    cells.pop()
                table.header = cells
            elif any(cells):
                table.rows.append((number, cells))
            if number > max_rows + 1:
                table.problems.append(_file_problem(f"the file has more than {max_rows:,} rows; split it"))
                break
        return table
    finally:
        workbook.close()


def write_csv(header: Sequence[str], rows: Iterable[Sequence[Any]]) -> bytes:
    """UTF-8 with a BOM (so spreadsheet programs read Chinese correctly), CRLF line ends, RFC 4180 quoting."""
    out = io.StringIO()
    out.write("\ufeff")
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(header)
    for row in rows:
        writer.writerow([cell_text(v) for v in row])
    return out.getvalue().encode("utf-8")


def write_xlsx(header: Sequence[str], rows: Iterable[Sequence[Any]], *, sheet_title: str = "Sheet1") -> bytes:
    """One sheet, header frozen and bold; text stays text (a value starting with '=' is never a formula)."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(sheet_title)
    sheet.freeze_panes = "A2"
    for index, name in enumerate(header, start=1):
        sheet.column_dimensions[_column_letter(index)].width = max(10, min(40, len(name) + 4))
    bold = Font(bold=True)
    head = []
    for name in header:
        cell = WriteOnlyCell(sheet, value=name)
        cell.font = bold
        head.append(cell)
    sheet.append(head)
    for row in rows:
        cells: list[Any] = []
        for value in row:
            if isinstance(value, str) and value:
                cell = WriteOnlyCell(sheet, value=value)
                cell.data_type = "s"
                cells.append(cell)
            else:
                cells.append(None if value == "" else value)
        sheet.append(cells)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def _column_letter(index: int) -> str:
    from openpyxl.utils import get_column_letter

    letter: str = get_column_letter(index)
    return letter
