"""Race-free per-party document numbers such as ``ORD-2026-000123``.

One upsert advances the counter and returns the new value in the same statement, so no two transactions
can read the same value: PostgreSQL holds the row lock until the caller's transaction ends, and SQLite
serialises writers (``transaction_mode`` IMMEDIATE). Numbers are issued inside the caller's transaction;
if it rolls back, the number is not used and is issued again, so committed numbers have no gaps.
"""

from __future__ import annotations

import re
import uuid

from django.db import connection
from django.utils import timezone

from haicang.core.errors import CoreErrorCode, ValidationFailed
from haicang.core.models.sequences import DocumentSequence

_PREFIX = re.compile(r"^[A-Z][A-Z0-9]{1,11}$")


class InvalidSequence(ValidationFailed):
    code = CoreErrorCode.SEQUENCE_INVALID


def document_number_next(*, scope: uuid.UUID, prefix: str, year: int | None = None, width: int = 6) -> str:
    """Issue the next number for ``scope`` (a party's id) and ``prefix`` (``ORD``, ``ASN``, …) in ``year``."""
    if not _PREFIX.match(prefix):
        raise InvalidSequence(f"prefix {prefix!r} must be 2–12 upper-case letters or digits", field="prefix")
    year = timezone.now().year if year is None else year
    if not 2000 <= year <= 9999:
        raise InvalidSequence(f"year {year} is out of range", field="year")
    value = _advance(scope=scope, prefix=prefix, year=year)
    return f"{prefix}-{year}-{value:0{width}d}"


def document_numbers_take(
    *, scope: uuid.UUID, prefix: str, year: int, count: int, width: int = 6
) -> list[str]:
    """Issue ``count`` consecutive numbers in one statement (a bulk load numbering thousands of documents)."""
    if isinstance(count, bool) or not isinstance(count, int) or count < 1:
        raise InvalidSequence(f"count {count!r} must be a whole number of at least 1", field="count")
    if not _PREFIX.match(prefix):
        raise InvalidSequence(f"prefix {prefix!r} must be 2–12 upper-case letters or digits", field="prefix")
    if not 2000 <= year <= 9999:
        raise InvalidSequence(f"year {year} is out of range", field="year")
    last = _advance(scope=scope, prefix=prefix, year=year, by=count)
    return [f"{prefix}-{year}-{value:0{width}d}" for value in range(last - count + 1, last + 1)]


def _advance(*, scope: uuid.UUID, prefix: str, year: int, by: int = 1) -> int:
    table = connection.ops.quote_name(DocumentSequence._meta.db_table)
    scope_db = DocumentSequence._meta.get_field("scope").get_db_prep_value(scope, connection)
    sql = (
        f"INSERT INTO {table} (scope, prefix, year, last_value) VALUES (%s, %s, %s, %s) "  # noqa: S608
        f"ON CONFLICT (scope, prefix, year) DO UPDATE SET last_value = {table}.last_value + %s "
        "RETURNING last_value"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [scope_db, prefix, year, by, by])
        row = cursor.fetchone()
    assert row is not None  # noqa: S101 - RETURNING always yields the row
    return int(row[0])
