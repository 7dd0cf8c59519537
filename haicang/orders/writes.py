"""The end of an ingestion or a routing written together: the order row's changes, its lines' reservations and
the new rows (decision, audit entries…) — on PostgreSQL in **one** statement of data-modifying CTEs, on SQLite
(in-process, no round trip) one statement each.

Every order used to end with a statement per change (the decision, its warehouses, each line's reservation, the
order's allocation status, the audit entry), each a client round trip and an ORM compilation. Rows whose content
depends on something decided at the very end — an audit entry's label names the order's number, taken last —
are added as builders, called when the writes go out.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Sequence
from functools import cache
from typing import Any, cast

from django.db import DEFAULT_DB_ALIAS, connections, models
from django.utils import timezone

from haicang.orders import plain_rows
from haicang.orders.models import Order, OrderLine


def _db() -> Any:
    """The default database's wrapper itself (each use of the ``connection`` proxy is a thread-local lookup)."""
    return connections[DEFAULT_DB_ALIAS]


@cache
def _insert_target(
    model: type[models.Model], with_pk: bool, vendor: str
) -> tuple[str, tuple[models.Field[Any, Any], ...]]:
    quote = _db().ops.quote_name
    fields = tuple(
        f
        for f in model._meta.concrete_fields
        if not f.generated and (with_pk or not (f.primary_key and isinstance(f, models.AutoField)))
    )
    columns = ", ".join(quote(str(f.column)) for f in fields)
    return (
        f"INSERT INTO {quote(model._meta.db_table)} ({columns}) VALUES ({', '.join(['%s'] * len(fields))})",  # noqa: S608
        fields,
    )


def insert_statement(obj: models.Model) -> tuple[str, list[Any]]:
    """The INSERT of a new ``obj`` (an auto-increment key left to the database; other keys must be set)."""
    auto = isinstance(obj._meta.pk, models.AutoField)
    if obj.pk is None and not auto:
        raise ValueError(f"a new row needs its primary key set ({obj!r})")
    db = _db()
    sql, fields = _insert_target(type(obj), obj.pk is not None, db.vendor)
    return sql, [f.get_db_prep_save(f.pre_save(obj, True), db) for f in fields]


def _cast(field: models.Field[Any, Any], db: Any) -> str:
    return str(field.db_type(db))


def statements_run(statements: Sequence[tuple[str, Sequence[Any]]]) -> None:
    """Run ``statements`` (UPDATEs and INSERTs that read nothing back) in order: on PostgreSQL as one statement
    (every CTE runs once, in the same snapshot — so no two of them may change the same row)."""
    if not statements:
        return
    db = _db()
    with plain_rows.cursor() as cursor:
        if db.vendor == "postgresql" and len(statements) > 1:
            ctes = ", ".join(f"w{n} AS ({sql})" for n, (sql, _) in enumerate(statements[:-1]))
            cursor.execute(
                f"WITH {ctes} {statements[-1][0]}", [p for _, params in statements for p in params]
            )
        else:
            for sql, params in statements:
                cursor.execute(sql, list(params))


@cache
def _select_target(
    model: type[models.Model], vendor: str
) -> tuple[str, str, tuple[models.Field[Any, Any], ...]]:
    """``INSERT INTO t (cols) SELECT CAST(%s AS type), … FROM g`` of ``model`` (every column given)."""
    wrapper = _db()
    quote = wrapper.ops.quote_name
    fields = tuple(f for f in model._meta.concrete_fields if not f.generated)
    columns = ", ".join(quote(str(f.column)) for f in fields)
    casts = ", ".join(
        "CAST(%s AS {})".format("text" if t.startswith(("varchar", "char")) else t)
        for t in (str(f.db_type(wrapper)) for f in fields)
    )
    return f"INSERT INTO {quote(model._meta.db_table)} ({columns}) SELECT {casts} FROM g", columns, fields  # noqa: S608


def insert_guarded(guard: tuple[str, Sequence[Any]], rows: Sequence[models.Model]) -> bool:
    """Run ``guard`` (an INSERT … ON CONFLICT DO NOTHING RETURNING 1) and, only if it inserted its row, INSERT
    ``rows`` (keys set) — on PostgreSQL in one statement, each row's INSERT selecting from the guard's. Whether
    the guard's row went in."""
    db = _db()
    sql, params = guard
    with plain_rows.cursor() as cursor:
        if db.vendor != "postgresql":
            cursor.execute(sql, list(params))
            if cursor.fetchone() is None:
                return False
            for row in rows:
                cursor.execute(*insert_statement(row))
        else:
            parts, values = [f"g AS ({sql})"], list(params)
            for n, row in enumerate(rows):
                statement, _columns, fields = _select_target(type(row), db.vendor)
                parts.append(f"i{n} AS ({statement})")
                values += [f.get_db_prep_save(f.pre_save(row, True), db) for f in fields]
            cursor.execute(f"WITH {', '.join(parts)} SELECT 1 FROM g", values)  # noqa: S608
            if cursor.fetchone() is None:
                return False
    for row in rows:
        row._state.adding, row._state.db = False, db.alias
    return True


class OrderWrites:
    """Changes to one order collected during an ingestion or a routing and written by :meth:`flush`."""

    def __init__(self, order: Order) -> None:
        self.order = order
        self.order_changes: dict[str, Any] = {}
        self.line_reservations: dict[uuid.UUID, uuid.UUID] = {}
        self.rows: list[models.Model] = []
        self.builders: list[Callable[[], models.Model]] = []

    def order_set(self, **changes: Any) -> None:
        """Columns of the order row to change (also set on the order object at once)."""
        for name, value in changes.items():
            setattr(self.order, name, value)
        self.order_changes.update(changes)

    def line_reserved(self, line: OrderLine, reservation_id: uuid.UUID) -> None:
        line.reservation_id = reservation_id
        self.line_reservations[line.pk] = reservation_id

    def add(self, *rows: models.Model) -> None:
        self.rows.extend(rows)

    def add_built(self, build: Callable[[], models.Model]) -> None:
        """A row built only when the writes go out (e.g. an audit entry whose label names the order's number)."""
        self.builders.append(build)

    def statements(self) -> list[tuple[str, list[Any]]]:
        db = _db()
        quote = db.ops.quote_name
        now = timezone.now()
        statements: list[tuple[str, list[Any]]] = []
        if self.order_changes:
            changes = {**self.order_changes, "updated_at": now}
            fields = [cast(models.Field[Any, Any], Order._meta.get_field(name)) for name in changes]
            assignments = ", ".join(f"{quote(str(f.column))} = %s" for f in fields)
            params = [f.get_db_prep_save(changes[f.name], db) for f in fields]
            pk = Order._meta.pk
            assert pk is not None  # noqa: S101 - every model has a primary key
            statements.append(
                (
                    f"UPDATE {quote(Order._meta.db_table)} SET {assignments} WHERE {quote(str(pk.column))} = %s",  # noqa: S608
                    [*params, pk.get_db_prep_value(self.order.pk, db)],
                )
            )
        if self.line_reservations:
            id_field = OrderLine._meta.get_field("id")
            reservation = OrderLine._meta.get_field("reservation")
            id_cast, ref_cast = _cast(id_field, db), _cast(reservation, db)
            cases: list[str] = []
            params = []
            for line_id, reservation_id in self.line_reservations.items():
                cases.append(f"WHEN CAST(%s AS {id_cast}) THEN CAST(%s AS {ref_cast})")
                params += [
                    id_field.get_db_prep_value(line_id, db),
                    reservation.get_db_prep_save(reservation_id, db),
                ]
            ids = [id_field.get_db_prep_value(line_id, db) for line_id in self.line_reservations]
            statements.append(
                (
                    f"UPDATE {quote(OrderLine._meta.db_table)} SET {quote(str(reservation.column))} = "  # noqa: S608
                    f"CASE {quote('id')} {' '.join(cases)} END, {quote('updated_at')} = %s "
                    f"WHERE {quote('id')} IN ({', '.join(['%s'] * len(ids))})",
                    [
                        *params,
                        OrderLine._meta.get_field("updated_at").get_db_prep_save(now, db),
                        *ids,
                    ],
                )
            )
        rows = [*self.rows, *(build() for build in self.builders)]
        statements += [insert_statement(row) for row in rows]
        for row in rows:
            row._state.adding = False
            row._state.db = db.alias
        return statements

    def flush(self) -> None:
        """Write everything collected (one statement on PostgreSQL) and start afresh."""
        statements_run(self.statements())
        self.order_changes, self.line_reservations, self.rows, self.builders = {}, {}, [], []
