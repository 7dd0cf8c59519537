"""``rows_insert``: write several new rows — of any models — in one round trip to the database.

A hot write path (a reservation: its row, its outbox event, its audit entry) would otherwise pay one client
round trip and one ORM compilation per row. Here each model's ``INSERT`` is compiled once per process and
the rows go together: on PostgreSQL as one statement of data-modifying CTEs (``WITH a AS (INSERT …),
b AS (INSERT …) INSERT …``), on SQLite (in-process, no round trip) as one ``INSERT`` per row.

Rows are new instances with their primary key set already (UUIDv7 ``Entity`` keys are made in Python).
Field defaults and ``auto_now_add`` are applied as ``Model.save()`` would; constraints are the database's, as
always. Nothing is read back: this is for rows whose every value the caller knows.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import cache
from typing import Any

from django.db import connection, models


@cache
def _columns(model: type[models.Model], vendor: str) -> tuple[str, tuple[models.Field[Any, Any], ...]]:
    """The quoted table and column list of ``model``'s ``INSERT``, and the fields in that order."""
    quote = connection.ops.quote_name
    fields = tuple(f for f in model._meta.concrete_fields if not f.generated)
    columns = ", ".join(quote(str(f.column)) for f in fields)
    return f"{quote(model._meta.db_table)} ({columns})", fields


def _values(obj: models.Model, fields: Sequence[models.Field[Any, Any]]) -> list[Any]:
    return [f.get_db_prep_save(f.pre_save(obj, True), connection) for f in fields]


def rows_insert(objects: Sequence[models.Model]) -> None:
    """INSERT every object of ``objects`` (in order) in one round trip; marks them saved."""
    if not objects:
        return
    statements: list[str] = []
    params: list[Any] = []
    for obj in objects:
        if obj.pk is None:
            raise ValueError(f"rows_insert needs the primary key of every row set ({obj!r})")
        target, fields = _columns(type(obj), connection.vendor)
        statements.append(f"INSERT INTO {target} VALUES ({', '.join(['%s'] * len(fields))})")  # noqa: S608
        params.append(_values(obj, fields))
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql" and len(statements) > 1:
            ctes = ", ".join(f"r{n} AS ({sql})" for n, sql in enumerate(statements[:-1]))
            cursor.execute(f"WITH {ctes} {statements[-1]}", [value for row in params for value in row])
        else:
            for sql, row in zip(statements, params, strict=True):
                cursor.execute(sql, row)
    for obj in objects:
        obj._state.adding = False
        obj._state.db = connection.alias
