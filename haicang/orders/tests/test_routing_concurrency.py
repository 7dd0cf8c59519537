"""Fifty orders arriving at once for the last ten units: exactly ten are allocated, forty wait as backorders,
and the ledger stays consistent. Real threads, each with its own connection, on SQLite and PostgreSQL."""

from __future__ import annotations

import threading
from collections import Counter

import pytest
from django.db import connection
from django.db.models import Sum

from haicang.inventory.models import Reservation, StockCounter
from haicang.inventory.verify import ledger_verify
from haicang.orders.models import AllocationStatus, Order
from haicang.orders.tests.factories import ingest, line, normalised
from haicang.orders.tests.routing_factories import make_network

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.timeout(300)]

ORDERS = 50
UNITS = 10


def test_fifty_concurrent_orders_for_the_last_ten_units(account, sku, seller):
    network = make_network(seller, codes=("LAX1",))
    network.receive(seller, sku, "LAX1", UNITS)
    start = threading.Barrier(ORDERS)
    failures: list[BaseException] = []

    def order(n: int) -> None:
        try:
            start.wait()
            ingest(account, normalised(external_id=f"LAST-{n}", lines=(line(quantity=1),)))
        except BaseException as exc:
            failures.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=order, args=(n,)) for n in range(ORDERS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert failures == []
    statuses = Counter(Order.objects.values_list("allocation_status", flat=True))
    assert statuses == {AllocationStatus.ALLOCATED: UNITS, AllocationStatus.BACKORDERED: ORDERS - UNITS}
    assert Reservation.objects.filter(demand_type="order").aggregate(n=Sum("open_quantity"))["n"] == UNITS
    counter = StockCounter.objects.get(sku=sku, warehouse=network.warehouses["LAX1"])
    assert (counter.sellable, counter.reserved) == (UNITS, UNITS)
    allocated = Order.objects.filter(allocation_status=AllocationStatus.ALLOCATED)
    assert all(o.lines.get().reservation_id is not None for o in allocated)
    assert ledger_verify() == []
