"""Real concurrency against the real database (file-backed SQLite, or PostgreSQL): threads, each with its own
connection, released together by a barrier. Every thread closes its connection when it ends."""

from __future__ import annotations

import datetime as dt
import threading
import time
from collections import Counter
from collections.abc import Callable, Sequence
from functools import partial
from typing import Any

import pytest
from django.db import connection
from django.db.models import Sum

from haicang.inventory import locks
from haicang.inventory.errors import InsufficientStock
from haicang.inventory.models import Balance, Reservation, StockCounter
from haicang.inventory.services import (
    DemandLine,
    stock_consume,
    stock_move,
    stock_receive,
    stock_reserve,
    stock_transfer_dispatch,
)
from haicang.inventory.tests.factories import StockWorld, make_stock_world
from haicang.inventory.verify import ledger_verify
from haicang.network.models import LocationKind
from haicang.network.models.locations import REAL_KINDS
from haicang.network.tests.factories import make_warehouse
from haicang.parties.tests.factories import SYSTEM

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.timeout(240)]


def run_together(workers: Sequence[Callable[[], str]]) -> Counter[str]:
    """Run each worker in its own thread, all released at once; count what they return. An exception that is
    not a refusal the worker expected fails the test."""
    start = threading.Barrier(len(workers))
    outcomes: Counter[str] = Counter()
    failures: list[BaseException] = []
    lock = threading.Lock()

    def run(work: Callable[[], str]) -> None:
        try:
            start.wait()
            outcome = work()
            with lock:
                outcomes[outcome] += 1
        except BaseException as exc:
            failures.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(work,)) for work in workers]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=200)
    assert not any(t.is_alive() for t in threads), "a worker never finished"
    assert failures == []
    return outcomes


class NegativeWatch:
    """A thread that reads the ledger over and over while the workers run, remembering any committed state with
    a negative balance at a real location or more reserved than sellable."""

    def __init__(self) -> None:
        self.seen: list[str] = []
        self.reads = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._watch)

    def _watch(self) -> None:
        try:
            while not self._stop.is_set():
                negative = Balance.objects.filter(location__kind__in=sorted(REAL_KINDS), quantity__lt=0)
                self.seen += [f"balance {b}" for b in negative]
                self.seen += [f"counter {c}" for c in StockCounter.objects.all() if c.reserved > c.sellable]
                self.reads += 1
        finally:
            connection.close()

    def __enter__(self) -> NegativeWatch:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join(timeout=60)


def reserve_one(w: StockWorld, n: int) -> str:
    try:
        stock_reserve(actor=SYSTEM, owner=w.seller, warehouse=w.warehouse, lines=[DemandLine(w.sku, 1)],
                      demand_type="order", demand_ref=f"ORD-{n}")  # fmt: skip
    except InsufficientStock:
        return "refused"
    return "reserved"


def counter(w: StockWorld, sku: Any = None) -> tuple[int, int]:
    row = StockCounter.objects.get(owner=w.seller, sku=sku or w.sku, warehouse=w.warehouse)
    return row.sellable, row.reserved


def test_fifty_threads_reserving_one_unit_of_ten_get_exactly_ten():
    # given 10 sellable units (and 5 in a damaged bin, which cannot be reserved)
    w = make_stock_world()
    stock_receive(actor=SYSTEM, owner=w.seller, sku=w.sku, location=w.pick, quantity=6)
    stock_receive(actor=SYSTEM, owner=w.seller, sku=w.sku, location=w.bulk, quantity=4)
    stock_receive(actor=SYSTEM, owner=w.seller, sku=w.sku, location=w.damaged, quantity=5)

    # when 50 threads each reserve one unit at the same moment
    outcomes = run_together([partial(reserve_one, w, n) for n in range(50)])

    # then exactly 10 succeed, 40 are refused, and the counter and every invariant agree
    assert outcomes == Counter(reserved=10, refused=40)
    assert Reservation.objects.filter(sku=w.sku).count() == 10
    assert counter(w) == (10, 10)
    assert ledger_verify() == []


def test_two_skus_held_moved_and_shipped_in_opposite_orders_by_many_workers_all_finish():
    # given two SKUs with 40 sellable units each
    w = make_stock_world()
    other = make_stock_world(seller=w.seller, warehouse=w.warehouse)
    skus = [w.sku, other.sku]
    for sku in skus:
        stock_receive(actor=SYSTEM, owner=w.seller, sku=sku, location=w.pick, quantity=30)
        stock_receive(actor=SYSTEM, owner=w.seller, sku=sku, location=w.bulk, quantity=10)

    def demand(n: int) -> str:
        """One order of both SKUs, its lines in either order (the service takes its locks in one order)."""
        lines = [DemandLine(s, 1) for s in (skus if n % 2 else skus[::-1])]
        try:
            stock_reserve(actor=SYSTEM, owner=w.seller, warehouse=w.warehouse, lines=lines,
                          demand_type="order", demand_ref=f"ORD-{n}")  # fmt: skip
        except InsufficientStock:
            return "refused"
        return "reserved"

    def reserve_and_ship(n: int) -> str:
        """One transaction of the caller's that holds A then B (or B then A) and ships both, or nothing: the
        outermost ``ledger_atomic`` retries it whole if the database breaks a deadlock."""

        def work() -> None:
            for sku in skus if n % 2 else skus[::-1]:
                [held] = stock_reserve(actor=SYSTEM, owner=w.seller, warehouse=w.warehouse,
                                       lines=[DemandLine(sku, 1)], demand_type="order", demand_ref=f"SHIP-{n}")  # fmt: skip
                stock_consume(actor=SYSTEM, reservation=held)

        try:
            locks.ledger_atomic(work)
        except InsufficientStock:
            return "refused"
        return "shipped"

    def shuffle(n: int) -> str:
        """Moves of both SKUs, pick → bulk for one and bulk → pick for the other, in either order."""

        def work() -> None:
            order = [(skus[0], w.pick, w.bulk), (skus[1], w.bulk, w.pick)]
            for sku, source, target in order if n % 2 else order[::-1]:
                stock_move(actor=SYSTEM, owner=w.seller, sku=sku, from_location=source, to_location=target,
                           quantity=1)  # fmt: skip

        try:
            locks.ledger_atomic(work)
        except InsufficientStock:
            return "refused"
        return "moved"

    # when 16 demands, 10 shippers and 6 movers run at once
    workers = [partial(demand, n) for n in range(16)]
    workers += [partial(reserve_and_ship, n) for n in range(10)]
    workers += [partial(shuffle, n) for n in range(6)]
    with NegativeWatch() as watch:
        outcomes = run_together(workers)

    # then every worker finished (no deadlock left unhandled), nothing was ever negative, the invariants hold,
    # and the units add up: 40 of each SKU = shipped + still sellable
    assert outcomes == Counter(reserved=16, shipped=10, moved=6)
    assert watch.seen == [] and watch.reads > 0
    assert ledger_verify() == []
    for sku in skus:
        assert counter(w, sku) == (40 - 10, 16)
        shipped = Balance.objects.filter(sku=sku, location__kind=LocationKind.CUSTOMER).aggregate(
            t=Sum("quantity")
        )
        assert shipped["t"] == 10


def test_shipping_and_moving_to_damaged_from_one_bin_at_once_never_goes_negative():
    # given 20 units in one pick bin, 10 of them held by ten one-unit orders
    w = make_stock_world()
    stock_receive(actor=SYSTEM, owner=w.seller, sku=w.sku, location=w.pick, quantity=20)
    held = [
        stock_reserve(actor=SYSTEM, owner=w.seller, warehouse=w.warehouse, lines=[DemandLine(w.sku, 1)],
                      demand_type="order", demand_ref=f"ORD-{n}")[0]
        for n in range(10)
    ]  # fmt: skip

    def ship(n: int) -> str:
        stock_consume(actor=SYSTEM, reservation=held[n])
        return "shipped"

    def damage() -> str:
        """Move one unit to the damaged bin at a time until the bin's unreserved units are gone."""
        moved = 0
        while True:
            try:
                stock_move(actor=SYSTEM, owner=w.seller, sku=w.sku, from_location=w.pick, to_location=w.damaged,
                           quantity=1)  # fmt: skip
            except InsufficientStock:
                return f"damaged {moved}"
            moved += 1

    # when ten shippers and five damage movers work on the same bin at once
    with NegativeWatch() as watch:
        outcomes = run_together([partial(ship, n) for n in range(10)] + [damage] * 5)

    # then every reserved unit shipped, exactly the 10 unreserved units went to damaged, nothing was negative
    assert outcomes["shipped"] == 10
    assert sum(int(k.split()[1]) * v for k, v in outcomes.items() if k.startswith("damaged")) == 10
    assert watch.seen == [] and watch.reads > 0
    assert Balance.objects.get(location=w.pick).quantity == 0
    assert Balance.objects.get(location=w.damaged).quantity == 10
    assert counter(w) == (0, 0)
    assert ledger_verify() == []


def test_reserved_units_ship_while_the_same_layers_are_moved_between_bins():
    # given forty one-unit receipt layers in a pick bin (and more stock in another), twenty orders of one unit
    w = make_stock_world()
    for day in range(40):
        stock_receive(actor=SYSTEM, owner=w.seller, sku=w.sku, location=w.pick, quantity=1,
                      effective_at=dt.datetime(2026, 1, 1, tzinfo=dt.UTC) + dt.timedelta(days=day))  # fmt: skip
    stock_receive(actor=SYSTEM, owner=w.seller, sku=w.sku, location=w.pick2, quantity=100,
                  effective_at=dt.datetime(2026, 3, 1, tzinfo=dt.UTC))  # fmt: skip
    held = [
        stock_reserve(actor=SYSTEM, owner=w.seller, warehouse=w.warehouse, lines=[DemandLine(w.sku, 1)],
                      demand_type="order", demand_ref=f"ORD-{n}")[0]
        for n in range(20)
    ]  # fmt: skip

    def ship(n: int) -> str:
        stock_consume(actor=SYSTEM, reservation=held[n])  # FIFO: the oldest layers, in the pick bin
        return "shipped"

    def rebin() -> str:
        """Move the oldest units from the pick bin to the bulk bin, one at a time, until none is left."""
        while True:
            try:
                stock_move(actor=SYSTEM, owner=w.seller, sku=w.sku, from_location=w.pick, to_location=w.bulk,
                           quantity=1)  # fmt: skip
            except InsufficientStock:
                return "rebinned"

    # when twenty shipments and six re-binners take the same oldest layers at once
    outcomes = run_together([partial(ship, n) for n in range(20)] + [rebin] * 6)

    # then every order ships: a layer taken between picking and posting is picked again, never a refusal
    assert outcomes == Counter(shipped=20, rebinned=6)
    assert counter(w) == (120, 0)
    assert ledger_verify() == []


def deadlocks_broken() -> int | None:
    """How many deadlocks PostgreSQL has broken in this database, once every other session has gone (their
    statistics are flushed when they end). None on SQLite, where one writer at a time cannot deadlock."""
    if connection.vendor != "postgresql":
        return None
    with connection.cursor() as cursor:
        for _ in range(100):
            cursor.execute("SELECT count(*) FROM pg_stat_activity WHERE datname = current_database()")
            if cursor.fetchone()[0] == 1:
                break
            time.sleep(0.05)
        cursor.execute("SELECT pg_stat_clear_snapshot()")
        cursor.execute("SELECT deadlocks FROM pg_stat_database WHERE datname = current_database()")
        return int(cursor.fetchone()[0])


def test_transfers_and_moves_out_of_one_bin_at_once_take_their_locks_in_one_order():
    # given 60 units in one pick bin, and a second warehouse to send some to
    w = make_stock_world()
    there = make_warehouse(w.warehouse.operator)
    stock_receive(actor=SYSTEM, owner=w.seller, sku=w.sku, location=w.pick, quantity=60)
    before = deadlocks_broken()

    def dispatch() -> str:
        for _ in range(5):
            stock_transfer_dispatch(actor=SYSTEM, owner=w.seller, sku=w.sku, from_warehouse=w.warehouse,
                                    to_warehouse=there, quantity=1)  # fmt: skip
        return "dispatched 5"

    def damage() -> str:
        for _ in range(5):
            stock_move(actor=SYSTEM, owner=w.seller, sku=w.sku, from_location=w.pick, to_location=w.damaged,
                       quantity=1)  # fmt: skip
        return "damaged 5"

    # when six dispatchers and six movers take units out of the bin at once
    outcomes = run_together([dispatch] * 6 + [damage] * 6)

    # then all of them succeed, and the database never had to break a deadlock (balances, then counters)
    assert outcomes == Counter({"dispatched 5": 6, "damaged 5": 6})
    assert deadlocks_broken() == before
    assert Balance.objects.get(location=w.pick).quantity == 0
    assert Balance.objects.get(location=w.damaged).quantity == 30
    assert ledger_verify() == []
