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
5. **The database agrees**: check constraints refuse ``reserved > sellable`` and negative reserved stock even if
   a bug slipped past a guard.
"""

from __future__ import annotations

import datetime
import random
import time
import uuid
from collections.abc import Callable

from django.db import OperationalError, connection, models, transaction
from django.db.models import F, QuerySet

from haicang.inventory.errors import InsufficientStock
from haicang.inventory.models import Balance, StockCounter

RETRIES = 5
_RETRYABLE_PG = {"40001", "40P01"}


class StockContention(Exception):
    """A guarded update lost to a concurrent writer after the read that planned it: retry the transaction."""


def _retryable(exc: BaseException) -> bool:
    cause = exc.__cause__ or exc
    pgcode = getattr(cause, "sqlstate", None) or getattr(cause, "pgcode", None)
    if pgcode in _RETRYABLE_PG:
        return True
    return connection.vendor == "sqlite" and "locked" in str(exc).lower()


def ledger_atomic[T](fn: Callable[[], T]) -> T:
    """Run ``fn`` in a transaction; retry it on deadlock / serialization failure when this is the outermost one."""
    if connection.in_atomic_block:  # the caller owns the transaction (and its retries)
        try:
            with transaction.atomic():
                return fn()
        except StockContention as exc:
            raise InsufficientStock("the stock changed while this was being done; try again") from exc
    for attempt in range(1, RETRIES + 1):
        try:
            with transaction.atomic():
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


def balance_add(key: BalanceKey, quantity: int) -> None:
    """Add ``quantity`` (may be negative only for virtual locations — the caller decides) in one upsert."""
    owner_id, sku_id, location_id, lot_code, received_on = key
    table = connection.ops.quote_name(Balance._meta.db_table)
    uuid_field = models.UUIDField()
    params = [
        uuid_field.get_db_prep_value(owner_id, connection),
        uuid_field.get_db_prep_value(sku_id, connection),
        uuid_field.get_db_prep_value(location_id, connection),
        lot_code,
        models.DateField().get_db_prep_value(received_on, connection),
        quantity,
    ]
    sql = (
        f"INSERT INTO {table} (owner_id, sku_id, location_id, lot_code, received_on, quantity) "  # noqa: S608
        "VALUES (%s, %s, %s, %s, %s, %s) "
        "ON CONFLICT (owner_id, sku_id, location_id, lot_code, received_on) "
        f"DO UPDATE SET quantity = {table}.quantity + excluded.quantity"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, params)


def balance_take(key: BalanceKey, quantity: int) -> bool:
    """Take ``quantity`` from a real location's balance if it holds that much; False (nothing changed) if not."""
    owner_id, sku_id, location_id, lot_code, received_on = key
    updated = Balance.objects.filter(
        owner_id=owner_id,
        sku_id=sku_id,
        location_id=location_id,
        lot_code=lot_code,
        received_on=received_on,
        quantity__gte=quantity,
    ).update(quantity=F("quantity") - quantity)
    return updated == 1


# --- stock counters ----------------------------------------------------------------------------------------

CounterKey = tuple[uuid.UUID, uuid.UUID, uuid.UUID]  # owner, sku, warehouse


def counter_ensure(key: CounterKey) -> None:
    owner_id, sku_id, warehouse_id = key
    StockCounter.objects.bulk_create(
        [StockCounter(owner_id=owner_id, sku_id=sku_id, warehouse_id=warehouse_id)], ignore_conflicts=True
    )


def _counter(key: CounterKey) -> QuerySet[StockCounter]:
    owner_id, sku_id, warehouse_id = key
    return StockCounter.objects.filter(owner_id=owner_id, sku_id=sku_id, warehouse_id=warehouse_id)


def counter_reserve(key: CounterKey, quantity: int) -> bool:
    """Hold ``quantity`` if that many sellable units are unreserved; False (nothing changed) if not."""
    counter_ensure(key)
    updated: int = (
        _counter(key).filter(sellable__gte=F("reserved") + quantity).update(reserved=F("reserved") + quantity)
    )
    return updated == 1


def counter_unreserve(key: CounterKey, quantity: int) -> bool:
    updated: int = _counter(key).filter(reserved__gte=quantity).update(reserved=F("reserved") - quantity)
    return updated == 1


def counter_sellable_change(key: CounterKey, delta: int, *, unreserve: int = 0) -> bool:
    """Change sellable by ``delta`` and reserved by ``-unreserve`` together, only if reserved stays ≤ sellable
    and neither goes negative; False (nothing changed) if not. Shipping reserved units: ``delta=-n, unreserve=n``."""
    counter_ensure(key)
    # sellable + delta >= reserved - unreserve >= 0: reserved never exceeds sellable, nothing goes negative
    query = _counter(key).filter(sellable__gte=F("reserved") - unreserve - delta, reserved__gte=unreserve)
    updated: int = query.update(sellable=F("sellable") + delta, reserved=F("reserved") - unreserve)
    return updated == 1
