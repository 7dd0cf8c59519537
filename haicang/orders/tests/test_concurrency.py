"""Ten threads delivering the same order at once make one order (the unique constraint decides; the losers
carry on as replays of the winner's row)."""

from __future__ import annotations

import threading

import pytest
from django.db import connection

from haicang.integration.models import OutboxEvent
from haicang.orders.models import Order, OrderHistory, OrderLine
from haicang.orders.services import Outcome
from haicang.orders.tests.factories import ingest, normalised

pytestmark = pytest.mark.django_db(transaction=True)


def test_ten_threads_ingesting_the_same_order_make_one_row(account, sku):
    given = normalised(external_id="RACE-1")
    barrier = threading.Barrier(10)
    outcomes: list[str] = []
    errors: list[BaseException] = []

    def deliver() -> None:
        try:
            barrier.wait()
            outcomes.append(ingest(account, given).outcome)
        except BaseException as exc:
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=deliver) for _ in range(10)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert errors == []
    assert sorted(outcomes) == [Outcome.CREATED] + [Outcome.UNCHANGED] * 9
    assert Order.objects.filter(external_id="RACE-1").count() == 1
    assert OrderLine.objects.count() == 1 and OrderHistory.objects.count() == 1
    assert OutboxEvent.objects.filter(event_type="order.created").count() == 1
