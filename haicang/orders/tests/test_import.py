"""The `orders` import kind: rows grouped into orders, re-import updates, holds instead of failures, problems
naming row and column without quoting personal values."""

from __future__ import annotations

import pytest

from haicang.exchange.registry import ImportContext, importers
from haicang.exchange.running import import_run
from haicang.orders.models import Order
from haicang.orders.tests.factories import SYSTEM

pytestmark = pytest.mark.django_db

HEADER = "店铺,订单号,placed_at,平台SKU,数量,unit_price,国家,邮编,city,收件人,电话\n"


def _run(seller, text: str):
    return import_run(
        importer=importers.get("orders"),
        context=ImportContext(actor=SYSTEM, owner=seller),
        data=text.encode(),
        fmt="csv",
    )


def test_rows_are_grouped_into_orders_and_a_reimport_updates_them(seller, account, sku):
    text = HEADER + (
        f"{account.name},A-1,2026-03-01T10:00:00Z,TS-BLK-M,1,9.50,DE,10115,Berlin,Jana Roth,+49 30 901820\n"
        f"{account.name},A-1,2026-03-01T10:00:00Z,MUG-RED,2,4.00,DE,10115,Berlin,Jana Roth,+49 30 901820\n"
        f"{account.name},A-2,2026-03-01T11:00:00Z,TS-BLK-M,3,9.50,FR,7500,Paris,Luc Bernard,\n"
    )

    first = _run(seller, text)
    again = _run(seller, text)

    assert first.problems == [] and first.counts == {"created": 2, "changed": 0, "unchanged": 0, "stale": 0}
    assert again.counts["unchanged"] == 2 and Order.objects.count() == 2
    a1, a2 = Order.objects.get(external_id="A-1"), Order.objects.get(external_id="A-2")
    assert a1.lines.count() == 2 and list(a1.holds.values_list("reason", flat=True)) == ["sku_unmapped"]
    assert list(a2.holds.values_list("reason", flat=True)) == ["postcode_invalid"]  # held, not refused


def test_problems_name_the_row_and_column_and_nothing_is_written(seller, account, sku):
    text = HEADER + (
        f"{account.name},B-1,2026-03-01T10:00:00Z,TS-BLK-M,1,9.50,DE,10115,Berlin,Jana Roth,\n"
        f"Nowhere Store,B-2,2026-03-01T10:00:00Z,TS-BLK-M,1,9.50,DE,10115,Berlin,Jana Roth,\n"
        f"{account.name},B-3,yesterday,TS-BLK-M,1,9.50,DE,10115,Berlin,Jana Roth,\n"
    )

    outcome = _run(seller, text)

    found = {(p.row, p.column, p.code) for p in outcome.problems}
    assert found == {
        (3, "channel_account", "orders.account_unknown"),
        (4, "placed_at", "orders.input_invalid"),
    }
    assert all("Jana Roth" not in p.reason for p in outcome.problems)
    assert Order.objects.count() == 0
