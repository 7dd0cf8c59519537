"""Import dated FX rates from a CSV file: strict, all or nothing, every error with row, column and reason.

The file is UTF-8 (a byte-order mark is allowed) with a header row naming the columns ``date,base,quote,rate``
and optionally ``source``, in any order. Row 1 is the header; data rows are numbered from 2 as a spreadsheet
shows them. Each row says that on ``date`` (``YYYY-MM-DD``) 1 ``base`` buys ``rate`` ``quote`` (upper-case
ISO 4217 codes; the rate a plain decimal such as ``1.0842``). Cells are trimmed of surrounding blanks; a row
that is wholly empty is skipped. The same pair and date twice in one file is an error. Every row is recorded
through :func:`haicang.core.fx.fx_rate_record` (re-recording a day replaces its rate) in one transaction that
is rolled back when any row is wrong, so nothing is written then.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import IO, Any

from django.db import transaction

from haicang.core.actors import Actor
from haicang.core.errors import DomainError
from haicang.core.fx import SOURCE_MAX, fx_rate_record
from haicang.core.money import CurrencyUnknown, amount_parse, currency_check
from haicang.network.errors import FxImportInvalid

REQUIRED_COLUMNS = ("date", "base", "quote", "rate")
OPTIONAL_COLUMNS = ("source",)
MAX_ROWS = 100_000
MAX_ERRORS = 200
_DATE_RE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}", re.ASCII)
# Fields named by fx_rate_record's errors → the file's columns.
_FIELD_COLUMNS = {"on": "date", "base": "base", "quote": "quote", "rate": "rate", "source": "source"}


@dataclass(frozen=True)
class FxImportError:
    row: int
    column: str | None
    detail: str

    def as_dict(self) -> dict[str, Any]:
        return {"row": self.row, "column": self.column, "detail": self.detail}

    def __str__(self) -> str:
        return f"row {self.row}" + (f", {self.column}" if self.column else "") + f": {self.detail}"


@dataclass(frozen=True)
class FxImportResult:
    rows: int
    pairs: list[str]
    first_date: date | None
    last_date: date | None


@dataclass(frozen=True)
class _Rate:
    row: int
    on: date
    base: str
    quote: str
    rate: Decimal
    source: str


class _Errors(list[FxImportError]):
    def add(self, row: int, column: str | None, detail: str) -> None:
        self.append(FxImportError(row, column, detail))

    def raise_if_any(self) -> None:
        if not self:
            return
        shown = self[:MAX_ERRORS]
        more = f" (the first {MAX_ERRORS} are listed)" if len(self) > MAX_ERRORS else ""
        first = str(self[0])
        raise FxImportInvalid(
            f"{len(self)} error(s) in the FX rate file{more}; nothing was imported. First: {first}",
            errors=[error.as_dict() for error in shown],
            error_count=len(self),
        )


def _text_of(file: IO[str] | IO[bytes] | str | bytes) -> str:
    data = file if isinstance(file, str | bytes) else file.read()
    if isinstance(data, bytes):
        try:
            return data.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            raise FxImportInvalid(
                f"the file is not UTF-8 text (byte {exc.start + 1} cannot be read); nothing was imported",
                errors=[{"row": None, "column": None, "detail": "the file is not UTF-8 text"}],
            ) from None
    return data.removeprefix("\ufeff")


def _header(row: list[str], errors: _Errors) -> list[str]:
    names = [cell.strip().lower() for cell in row]
    allowed = (*REQUIRED_COLUMNS, *OPTIONAL_COLUMNS)
    for index, name in enumerate(names, start=1):
        if name not in allowed:
            errors.add(1, name or f"column {index}", f"unknown column; the columns are {', '.join(allowed)}")
        elif names.index(name) != index - 1:
            errors.add(1, name, "the column appears twice")
    for name in REQUIRED_COLUMNS:
        if name not in names:
            errors.add(1, name, "the column is missing")
    return names


def _parse_row(number: int, cells: dict[str, str], errors: _Errors) -> _Rate | None:
    before = len(errors)
    on: date | None = None
    raw_date = cells["date"]
    if not _DATE_RE.fullmatch(raw_date):
        errors.add(number, "date", f"{raw_date!r} is not a date written YYYY-MM-DD")
    else:
        try:
            on = date.fromisoformat(raw_date)
        except ValueError:
            errors.add(number, "date", f"{raw_date!r} is not a calendar date")
    codes: dict[str, str] = {}
    for column in ("base", "quote"):
        value = cells[column]
        try:
            codes[column] = currency_check(value)
        except CurrencyUnknown:
            errors.add(number, column, f"{value!r} is not an upper-case ISO 4217 currency code Haicang knows")
    if len(codes) == 2 and codes["base"] == codes["quote"]:
        errors.add(number, "quote", f"the quote currency is the base currency ({codes['base']})")
    rate: Decimal | None = None
    try:
        rate = amount_parse(cells["rate"])
    except DomainError:
        errors.add(number, "rate", f"{cells['rate'][:40]!r} is not a decimal rate such as 1.0842")
    if rate is not None and rate <= 0:
        errors.add(number, "rate", f"a rate is positive, not {rate}")
    source = cells.get("source", "")
    if len(source) > SOURCE_MAX:
        errors.add(number, "source", f"longer than {SOURCE_MAX} characters")
    if len(errors) > before or on is None or rate is None:
        return None
    return _Rate(row=number, on=on, base=codes["base"], quote=codes["quote"], rate=rate, source=source)


def _parse(text: str, errors: _Errors) -> list[_Rate]:
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    try:
        rows = list(reader)
    except csv.Error as exc:
        errors.add(reader.line_num, None, f"the file is not valid CSV: {exc}")
        return []
    if not rows or not any(cell.strip() for cell in rows[0]):
        errors.add(1, None, f"the header row is missing; expected {','.join(REQUIRED_COLUMNS)}[,source]")
        return []
    if len(rows) - 1 > MAX_ROWS:
        errors.add(MAX_ROWS + 2, None, f"the file has more than {MAX_ROWS} rows; split it")
        return []
    names = _header(rows[0], errors)
    if errors:
        return []
    rates: list[_Rate] = []
    seen: dict[tuple[str, str, date], int] = {}
    for number, row in enumerate(rows[1:], start=2):
        cells = [cell.strip() for cell in row]
        if not any(cells):
            continue
        if len(cells) > len(names):
            errors.add(
                number,
                f"column {len(names) + 1}",
                f"the row has {len(cells)} cells; the header names {len(names)}",
            )
            continue
        values = dict(zip(names, cells + [""] * (len(names) - len(cells)), strict=True))
        missing = [name for name in REQUIRED_COLUMNS if not values[name]]
        for name in missing:
            errors.add(number, name, "the value is missing")
        if missing:
            continue
        parsed = _parse_row(number, values, errors)
        if parsed is None:
            continue
        key = (parsed.base, parsed.quote, parsed.on)
        if key in seen:
            errors.add(
                number, "date", f"{parsed.base}/{parsed.quote} on {parsed.on} is also on row {seen[key]}"
            )
            continue
        seen[key] = number
        rates.append(parsed)
    return rates


class _RolledBack(Exception):
    pass


def fx_rates_import_csv(*, actor: Actor, file: IO[str] | IO[bytes] | str | bytes) -> FxImportResult:
    """Record every rate of the CSV ``file`` (a text or binary stream, or its content), or none.

    Raises FxImportInvalid whose ``context["errors"]`` lists ``{row, column, detail}`` for every error found
    (at most :data:`MAX_ERRORS`); nothing is written then.
    """
    errors = _Errors()
    rates = _parse(_text_of(file), errors)
    try:
        with transaction.atomic():
            # Rows that parsed are recorded even when others did not, so that the rates' own rules (decimal
            # places, significant digits) are reported in the same pass; the transaction is then rolled back.
            for rate in rates:
                try:  # fx_rate_record validates before it writes, in its own savepoint
                    fx_rate_record(
                        actor=actor,
                        base=rate.base,
                        quote=rate.quote,
                        on=rate.on,
                        rate=rate.rate,
                        source=rate.source,
                    )
                except DomainError as exc:
                    errors.add(rate.row, _FIELD_COLUMNS.get(exc.field or "", exc.field), exc.detail)
            if errors:
                raise _RolledBack
    except _RolledBack:
        errors.sort(key=lambda error: error.row)  # stable: columns stay in the order found
        errors.raise_if_any()
    if not rates:
        raise FxImportInvalid(
            "the file has no rates; nothing was imported",
            errors=[{"row": 2, "column": None, "detail": "no data rows"}],
        )
    dates = [rate.on for rate in rates]
    return FxImportResult(
        rows=len(rates),
        pairs=sorted({f"{rate.base}/{rate.quote}" for rate in rates}),
        first_date=min(dates),
        last_date=max(dates),
    )
