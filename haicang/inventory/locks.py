"""The concurrency rules of the stock ledger — all of them, in one place.

1. **Guarded atomic updates, never read-then-write.** Every change to a quantity that must not go below a
   limit is one ``UPDATE … SET q = q - n WHERE key AND <limit holds after the change>``; the statement's row
   count says whether it happened. PostgreSQL re-checks the ``WHERE`` on the latest row version after waiting
   for a concurrent writer (READ COMMITTED), and SQLite runs one writer at a time (``transaction_mode``
   IMMEDIATE takes the write lock at ``BEGIN``), so two transactions can never both pass a guard that only one
   of them should. ``select_for_update()`` is not relied on (it does nothing on SQLite).
2. **Upserts for increments**: ``INSERT … ON CONFLICT (key) DO UPDATE SET q = q + excluded.q`` creates or
   increments a row in one statement.
3. **One lock order.** Within a transaction, balances are touched in ascending key order, then stock counters
   in ascending (owner, SKU, warehouse) order, then reservations. Two transactions therefore never wait on each
   other in a cycle.
4. **Bounded retries.** A deadlock (40P01), serialization failure (40001), SQLite busy error, or a guarded
   update that lost to a writer who committed after our read (:class:`StockContention`) rolls the whole
   transaction back; :func:`ledger_atomic` runs it again, at most ``RETRIES`` times, with a short jittered
   backoff. Only the outermost transaction retries. No lock is held across a network call: services take no
   network I/O inside their transaction.
   **A retry runs alone.** On PostgreSQL every outermost ledger transaction first takes one advisory lock in
   shared mode, and a retry takes it exclusively: the retry waits for the transactions in flight, runs beside
   no other ``ledger_atomic`` transaction, and cannot deadlock or lose a guard again. Without this, callers
   who post in opposite orders in their own transaction (ship order lines A then B, and B then A) kept
   deadlocking each other on every retry until the retries ran out. (SQLite runs one writer at a time.)
5. **The database agrees**: check constraints refuse ``reserved > sellable`` and negative reserved stock even if
   a bug slipped past a guard.
"""

from __future__ import annotations

import datetime
import random
import time
import uuid
from collections.abc import Callable
from typing import Any

from django.db import OperationalError, connection, models, transaction

from haicang.inventory.errors import InsufficientStock
from haicang.inventory.models import Balance, StockCounter

RETRIES = 5
_RETRYABLE_PG = {"40001", "40P01"}
_LEDGER_LOCK = 0x48434C47  # the PostgreSQL advisory lock key of the ledger's writers ("HCLG")


class StockContention(Exception):
    """A guarded update lost to a concurrent writer after the read that planned it: retry the transaction."""


def _retryable(exc: BaseException) -> bool:
    cause = exc.__cause__ or exc
    pgcode = getattr(cause, "sqlstate", None) or getattr(cause, "pgcode", None)
    if pgcode in _RETRYABLE_PG:
        return True
    return connection.vendor == "sqlite" and "locked" in str(exc).lower()


def _admit(*, alone: bool) -> None:
    """Take the ledger's advisory lock for this transaction: shared, or exclusive for a retry (PostgreSQL)."""
    if connection.vendor != "postgresql":
        return
    function = "pg_advisory_xact_lock" if alone else "pg_advisory_xact_lock_shared"
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {function}(%s)", [_LEDGER_LOCK])


def ledger_atomic[T](fn: Callable[[], T], *, one_row_lock: bool = False) -> T:
    """Run ``fn`` in a transaction; retry it on deadlock / serialization failure when this is the outermost one.

    ``one_row_lock``: the caller promises ``fn`` locks a single row (one stock counter) and then only inserts.
    Such a transaction never waits while holding a lock, so it cannot be part of a deadlock; it skips the
    advisory lock's admission (a round trip) on its first attempt."""
    if connection.in_atomic_block:  # the caller owns the transaction (and its retries)
        try:
            with transaction.atomic():
                return fn()
        except StockContention as exc:
            raise InsufficientStock("the stock changed while this was being done; try again") from exc
    for attempt in range(1, RETRIES + 1):
        try:
            with transaction.atomic():
                if attempt > 1 or not one_row_lock:
                    _admit(alone=attempt > 1)
                return fn()
        except StockContention as exc:
            if attempt == RETRIES:
                raise InsufficientStock(
                    "the stock kept changing while this was being done; try again"
                ) from exc
        except OperationalError as exc:
            if attempt == RETRIES or not _retryable(exc):
                raise
        time.sleep(random.uniform(0, 0.005 * 2**attempt))  # noqa: S311 - jitter, not security
    raise AssertionError("unreachable")  # pragma: no cover


# --- balances ---------------------------------------------------------------------------------------------

BalanceKey = tuple[
    uuid.UUID, uuid.UUID, uuid.UUID, str, datetime.date
]  # owner, sku, location, lot, received_on


def _uuid(value: uuid.UUID) -> Any:
    return models.UUIDField().get_db_prep_value(value, connection)


def _balance_key_params(key: BalanceKey) -> list[Any]:
    owner_id, sku_id, location_id, lot_code, received_on = key
    received = models.DateField().get_db_prep_value(received_on, connection)
    return [_uuid(owner_id), _uuid(sku_id), _uuid(location_id), lot_code, received]


def _execute(sql: str, params: list[Any]) -> int:
    """Run one statement; its row count. (Plain SQL: these statements run in every ledger transaction, and
    building them through the ORM cost more client time than the database took to run them.)"""
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return int(cursor.rowcount)


def balance_add(key: BalanceKey, quantity: int) -> None:
    """Add ``quantity`` (may be negative only for virtual locations — the caller decides) in one upsert."""
    table = connection.ops.quote_name(Balance._meta.db_table)
    sql = (
        f"INSERT INTO {table} (owner_id, sku_id, location_id, lot_code, received_on, quantity) "  # noqa: S608
        "VALUES (%s, %s, %s, %s, %s, %s) "
        "ON CONFLICT (owner_id, sku_id, location_id, lot_code, received_on) "
        f"DO UPDATE SET quantity = {table}.quantity + excluded.quantity"
    )
    _execute(sql, [*_balance_key_params(key), quantity])


def balance_take(key: BalanceKey, quantity: int) -> bool:
    """Take ``quantity`` from a real location's balance if it holds that much; False (nothing changed) if not."""
    table = connection.ops.quote_name(Balance._meta.db_table)
    sql = (
        f"UPDATE {table} SET quantity = quantity - %s WHERE owner_id = %s AND sku_id = %s "  # noqa: S608
        "AND location_id = %s AND lot_code = %s AND received_on = %s AND quantity >= %s"
    )
    return _execute(sql, [quantity, *_balance_key_params(key), quantity]) == 1


# --- stock counters ----------------------------------------------------------------------------------------

CounterKey = tuple[uuid.UUID, uuid.UUID, uuid.UUID]  # owner, sku, warehouse


def counter_ensure(key: CounterKey) -> None:
    owner_id, sku_id, warehouse_id = key
    StockCounter.objects.bulk_create(
        [StockCounter(owner_id=owner_id, sku_id=sku_id, warehouse_id=warehouse_id)], ignore_conflicts=True
    )


def _counter_update(
    key: CounterKey, assignments: str, changes: list[int], guard: str, limits: list[int]
) -> int | None:
    """``UPDATE`` the counter of ``key``: ``assignments`` where ``guard`` holds, and bump its version, in one
    statement; the new version if done, None if not."""
    table = connection.ops.quote_name(StockCounter._meta.db_table)
    sql = (
        f"UPDATE {table} SET {assignments}, version = version + 1 "  # noqa: S608
        f"WHERE owner_id = %s AND sku_id = %s AND warehouse_id = %s AND {guard} RETURNING version"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [*changes, *map(_uuid, key), *limits])
        row = cursor.fetchone()
    return None if row is None else int(row[0])


def counter_reserve(key: CounterKey, quantity: int) -> int | None:
    """Hold ``quantity`` if that many sellable units are unreserved: the counter's new version; None (nothing
    changed) if not. No counter row means nothing sellable was ever there: refused too."""
    return _counter_update(
        key, "reserved = reserved + %s", [quantity], "sellable - reserved >= %s", [quantity]
    )


def counter_reserve_writing(
    key: CounterKey, quantity: int, rows: list[Any], *, version_into: int
) -> int | None:
    """:func:`counter_reserve`, and only if it held the units, INSERT ``rows`` — the counter's new version goes
    into ``rows[version_into].subject_version``. On PostgreSQL one statement (``rows_insert_if``): the counter's
    row lock is held from that statement to COMMIT, as short as a bare guarded UPDATE's."""
    from haicang.core.rows import rows_insert_if

    table = connection.ops.quote_name(StockCounter._meta.db_table)
    sql = (
        f"UPDATE {table} SET reserved = reserved + %s, version = version + 1 "  # noqa: S608
        "WHERE owner_id = %s AND sku_id = %s AND warehouse_id = %s AND sellable - reserved >= %s "
        "RETURNING version AS returned"
    )
    return rows_insert_if(
        sql, [quantity, *map(_uuid, key), quantity], rows, returned_into={version_into: "subject_version"}
    )


def counters_reserve(totals: dict[CounterKey, int]) -> tuple[dict[CounterKey, int], CounterKey | None]:
    """:func:`counter_reserve` for many counters in two statements, whatever their number: lock them all in the
    lock order (``SELECT … ORDER BY … FOR UPDATE``; SQLite runs one writer anyway), then one guarded ``UPDATE …
    FROM (VALUES …)``. The new version of each counter updated, and the first key (in the lock order) whose
    guard failed, or None. When one failed the caller rolls back: the others were updated."""
    if not totals:
        return {}, None
    table = connection.ops.quote_name(StockCounter._meta.db_table)
    keys = sorted(totals, key=lambda k: tuple(map(str, k)))
    uuid_type = models.UUIDField().db_type(connection)
    if connection.vendor == "postgresql":
        marks = ", ".join(["(%s, %s, %s)"] * len(keys))
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT 1 FROM {table} WHERE (owner_id, sku_id, warehouse_id) IN ({marks}) "  # noqa: S608
                "ORDER BY owner_id, sku_id, warehouse_id FOR UPDATE",
                [_uuid(part) for key in keys for part in key],
            )
        source = "(VALUES {}) AS v (o, s, w, q)".format(
            ", ".join(
                [
                    f"(CAST(%s AS {uuid_type}), CAST(%s AS {uuid_type}), CAST(%s AS {uuid_type}), CAST(%s AS integer))"
                ]
                * len(keys)
            )
        )
        o, sk, w, q = "v.o", "v.s", "v.w", "v.q"
    else:  # SQLite names a VALUES list's columns column1, column2, …
        source = "(VALUES {}) AS v".format(", ".join(["(%s, %s, %s, %s)"] * len(keys)))
        o, sk, w, q = "v.column1", "v.column2", "v.column3", "v.column4"
    sql = (
        f"UPDATE {table} SET reserved = {table}.reserved + {q}, version = {table}.version + 1 "  # noqa: S608
        f"FROM {source} WHERE {table}.owner_id = {o} AND {table}.sku_id = {sk} AND {table}.warehouse_id = {w} "
        f"AND {table}.sellable - {table}.reserved >= {q} "
        f"RETURNING {table}.owner_id, {table}.sku_id, {table}.warehouse_id, {table}.version"
    )
    params = [value for key in keys for value in (*map(_uuid, key), totals[key])]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    field = models.UUIDField()
    versions = {tuple(field.to_python(part) for part in row[:3]): int(row[3]) for row in rows}
    failed = next((key for key in keys if key not in versions), None)
    return versions, failed


def counter_unreserve(key: CounterKey, quantity: int) -> int | None:
    return _counter_update(key, "reserved = reserved - %s", [quantity], "reserved >= %s", [quantity])


def counter_sellable_change(key: CounterKey, delta: int, *, unreserve: int = 0) -> int | None:
    """Change sellable by ``delta`` and reserved by ``-unreserve`` together, only if reserved stays ≤ sellable
    and neither goes negative: the counter's new version; None (nothing changed) if not. Shipping reserved
    units: ``delta=-n, unreserve=n``."""

    def change() -> int | None:
        # sellable + delta >= reserved - unreserve >= 0: reserved never exceeds sellable, nothing goes negative
        return _counter_update(
            key,
            "sellable = sellable + %s, reserved = reserved - %s",
            [delta, unreserve],
            "sellable + %s >= reserved - %s AND reserved >= %s",
            [delta, unreserve, unreserve],
        )

    version = change()
    if version is not None:
        return version
    counter_ensure(key)  # no row yet: the first sellable units of this SKU here (else the guard refused)
    return change()
