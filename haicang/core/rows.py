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

from collections.abc import Callable, Sequence
from functools import cache, partial
from operator import attrgetter
from typing import Any

from django.db import DEFAULT_DB_ALIAS, connection, connections, models

from haicang.core.prepared import prepared_cursor


@cache
def _columns(model: type[models.Model], vendor: str) -> tuple[str, tuple[models.Field[Any, Any], ...]]:
    """The quoted table and column list of ``model``'s ``INSERT``, and the fields in that order."""
    quote = connection.ops.quote_name
    fields = tuple(f for f in model._meta.concrete_fields if not f.generated)
    columns = ", ".join(quote(str(f.column)) for f in fields)
    return f"{quote(model._meta.db_table)} ({columns})", fields


def _values(obj: models.Model, fields: Sequence[models.Field[Any, Any]]) -> list[Any]:
    db = connections[DEFAULT_DB_ALIAS]  # the wrapper itself: each use of the proxy is a thread-local lookup
    return [f.get_db_prep_save(f.pre_save(obj, True), db) for f in fields]


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


def rows_insert_bulk(objects: Sequence[models.Model]) -> None:
    """INSERT many new rows of **one** model with one prepared statement (``executemany``): a bulk load of
    thousands of rows, without the ORM compiling a statement per batch (``bulk_create`` does, and on SQLite its
    batches are a few dozen rows). Same rules as :func:`rows_insert`: primary keys set, nothing read back."""
    if not objects:
        return
    model = type(objects[0])
    target, fields = _columns(model, connection.vendor)
    params = []
    for obj in objects:
        if type(obj) is not model or obj.pk is None:
            raise ValueError(f"rows_insert_bulk takes rows of one model with their primary key set ({obj!r})")
        params.append(_values(obj, fields))
    with connection.cursor() as cursor:
        cursor.executemany(f"INSERT INTO {target} VALUES ({', '.join(['%s'] * len(fields))})", params)  # noqa: S608
    for obj in objects:
        obj._state.adding = False
        obj._state.db = connection.alias


# Fields whose Python value the PostgreSQL driver sends as it is (the field converts nothing on the way).
_AS_IS = (
    models.CharField,
    models.TextField,
    models.UUIDField,
    models.IntegerField,
    models.BooleanField,
    models.DecimalField,
    models.DateField,  # and DateTimeField
    models.BinaryField,
    models.ForeignKey,
)


def _auto_value(field: models.Field[Any, Any], obj: models.Model) -> Any:
    return field.pre_save(obj, True)


def _saved_value(field: models.Field[Any, Any], db: Any, obj: models.Model) -> Any:
    return field.get_db_prep_save(field.pre_save(obj, True), db)


@cache
def _copy_plan(
    model: type[models.Model], vendor: str
) -> tuple[str, Callable[[Any], tuple[Any, ...]], tuple[tuple[int, Callable[[Any], Any]], ...]]:
    """``COPY table (columns) FROM STDIN`` of ``model`` (an auto-increment key left to the database), a getter
    of every column's attribute at once, and the columns whose value is worked out as ``save()`` would (auto
    timestamps, JSON, anything the field converts) with how."""
    db = connections[DEFAULT_DB_ALIAS]
    quote = db.ops.quote_name
    fields = [
        f
        for f in model._meta.concrete_fields
        if not f.generated and not (f.primary_key and isinstance(f, models.AutoField))
    ]
    worked_out: list[tuple[int, Callable[[Any], Any]]] = []
    for index, field in enumerate(fields):
        if getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False):
            worked_out.append((index, partial(_auto_value, field)))
        elif not isinstance(field, _AS_IS) or isinstance(field, models.JSONField):
            worked_out.append((index, partial(_saved_value, field, db)))
    columns = ", ".join(quote(str(f.column)) for f in fields)
    names = [f.attname for f in fields]
    every = attrgetter(*names) if len(names) > 1 else (lambda obj, name=names[0]: (getattr(obj, name),))
    return f"COPY {quote(model._meta.db_table)} ({columns}) FROM STDIN", every, tuple(worked_out)


def rows_copy(objects: Sequence[models.Model]) -> None:
    """INSERT many new rows of **one** model: on PostgreSQL with one ``COPY`` — the cheapest bulk load for the
    client and the server alike (no statement per row) — elsewhere as :func:`rows_insert_bulk`. Auto-increment
    keys (many-to-many rows) are left to the database; other keys must be set. Nothing is read back."""
    if not objects:
        return
    model = type(objects[0])
    db = connections[DEFAULT_DB_ALIAS]
    auto = isinstance(model._meta.pk, models.AutoField)
    if db.vendor != "postgresql":
        if auto:
            model._default_manager.bulk_create(objects)
        else:
            rows_insert_bulk(objects)
        return
    sql, every, worked_out = _copy_plan(model, db.vendor)
    with db.cursor() as cursor, cursor.copy(sql) as copy:
        for obj in objects:
            if type(obj) is not model or (obj.pk is None and not auto):
                raise ValueError(f"rows_copy takes rows of one model with their primary key set ({obj!r})")
            values = list(every(obj))
            for index, work_out in worked_out:
                values[index] = work_out(obj)
            copy.write_row(values)
    for obj in objects:
        obj._state.adding = False
        obj._state.db = db.alias


@cache
def _cast_types(model: type[models.Model], vendor: str) -> tuple[str, ...]:
    """The types values are cast to inside ``INSERT … SELECT``, per field of :func:`_columns` (text for character
    columns, so that a value too long for its column is an error on assignment, never a silent truncation)."""
    types = (str(f.db_type(connection)) for f in _columns(model, vendor)[1])
    return tuple("text" if t.startswith(("varchar", "char")) else t for t in types)


def rows_insert_if(
    update_sql: str,
    update_params: Sequence[Any],
    objects: Sequence[models.Model],
    *,
    returned_into: dict[int, str] | None = None,
) -> int | None:
    """Run a guarded ``UPDATE … RETURNING <one integer>`` and, only if it changed a row, INSERT ``objects`` — on
    PostgreSQL in ONE statement (the UPDATE as the first CTE, each INSERT selecting from it), so the row lock the
    UPDATE takes is held from that statement to COMMIT and no longer; on SQLite (one writer at a time anyway) as
    the UPDATE then :func:`rows_insert`. ``returned_into`` maps an index of ``objects`` to the field that takes the
    returned integer (e.g. an outbox event's subject version). The returned integer, or None (nothing written)."""
    targets = returned_into or {}
    if connection.vendor != "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(update_sql, list(update_params))
            row = cursor.fetchone()
        if row is None:
            return None
        value = int(row[0])
        for index, attname in targets.items():
            setattr(objects[index], attname, value)
        rows_insert(objects)
        return value
    parts = [f"g AS ({update_sql})"]
    params: list[Any] = list(update_params)
    selects: list[str] = []
    for index, obj in enumerate(objects):
        if obj.pk is None:
            raise ValueError(f"rows_insert_if needs the primary key of every row set ({obj!r})")
        target, fields = _columns(type(obj), connection.vendor)
        expressions = []
        casts = _cast_types(type(obj), connection.vendor)
        for field, cast, value in zip(fields, casts, _values(obj, fields), strict=True):
            if field.attname == targets.get(index):
                expressions.append("g.returned")
            else:
                expressions.append(f"CAST(%s AS {cast})")
                params.append(value)
        selects.append(f"INSERT INTO {target} SELECT {', '.join(expressions)} FROM g")  # noqa: S608
    parts += [f"i{n} AS ({sql})" for n, sql in enumerate(selects)]
    with prepared_cursor() as cursor:  # planned once per connection: it runs with every reservation
        cursor.execute(f"WITH {', '.join(parts)} SELECT returned FROM g", params)  # noqa: S608
        row = cursor.fetchone()
    if row is None:
        return None
    value = int(row[0])
    for index, attname in targets.items():
        setattr(objects[index], attname, value)
    for obj in objects:
        obj._state.adding = False
        obj._state.db = connection.alias
    return value
