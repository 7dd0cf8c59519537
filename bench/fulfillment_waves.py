"""Wave planning and release for N accepted fulfillment requests through the real services, with the database.

**The world.** One operator's warehouse in California: three pick zones (A, B, C) of 8 aisles × 12 racks × 2
levels × 2 positions (1,152 bins with floor coordinates, a dock at the front), one carrier with a ground and an
express service (rate cards to the whole US) and two daily pick-ups (11:00 and 16:00); one seller with 400
SKUs (weights and dimensions), each stocked in two bins of one zone. N requests (1–3 lines of 1–3 units; one in
ten a large order of 12 units; 80 % Standard, 15 % Expedited, 5 % Next Day) are loaded in bulk as **accepted**
through the orders API would leave them — with no outbound yet, so planning adopts them all (what
``outbounds_adopt`` writes is part of the planning time).

**Measured.** ``wave_plan`` (adopt the requests as outbounds with their estimates, zones from the bins,
carrier pre-selection per request with ``rate_shop``, pick-ups, ``waves_plan``, the waves and outbounds
written and audited) and ``waves_release`` of every wave at once (re-quote, bins allocated FIFO without
over-allocating, single and batch pick lists routed with ``pick_path.route_improved``, tasks written, every
request started through ``fulfilment_request_start`` with its history row, outbox event and audit entry).
Target (issue 8): planning + release of 10,000 requests ≤ 10 s. Also reported: pick lists per second, and the
improved walk against the pick-sequence walk summed over all lists.
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import time
from decimal import Decimal
from typing import Any

from bench.harness import Table, django_on

NOW = dt.datetime(2026, 3, 2, 16, 0, tzinfo=dt.UTC)  # Monday 08:00 in Los Angeles
SKUS = 400
LEVELS = (("Standard", 80), ("Expedited", 15), ("Next Day", 5))
POSTCODES = ("10001", "60601", "73301", "80202", "90012", "94105", "98101", "33101", "30301", "02108")


def world_create() -> dict[str, Any]:
    from haicang.catalog.services import sku_create
    from haicang.core.actors import Actor
    from haicang.core.money import Money
    from haicang.fulfillment.models import PickupSchedule
    from haicang.inventory.services import stock_receive
    from haicang.network.layout import Layout
    from haicang.network.models import Location, LocationKind
    from haicang.network.services import (
        location_create,
        locations_create_range,
        virtual_locations_ensure,
        warehouse_create,
    )
    from haicang.network.services.carriers import (
        ZoneSpec,
        carrier_create,
        carrier_service_create,
        rate_card_create,
    )
    from haicang.parties.agreements import agreement_activate, agreement_create, fee_schedule_set
    from haicang.parties.services import operator_create, seller_create

    actor = Actor.system("bench")
    operator = operator_create(
        actor=actor, code="bench-op", name="Bench 3PL", country="US", billing_currency="USD"
    )
    seller = seller_create(actor=actor, code="bench-seller", name="Bench", country="US", base_currency="USD")
    warehouse = warehouse_create(
        actor=actor, operator=operator, code="LAX-B", name="Bench LA", address_line1="1 Bench Way",
        city="Ontario", postcode="91761", country="US", time_zone="America/Los_Angeles", currency="USD",
        markets=["US"],
    )  # fmt: skip
    virtual_locations_ensure(actor=actor)
    for n, zone in enumerate("ABC"):
        locations_create_range(
            actor=actor, warehouse=warehouse, zone=zone, aisles=(1, 8), racks=(1, 12), levels=(1, 2),
            positions=(1, 2), layout=Layout(origin_x_m=Decimal(n * 30)),
        )  # fmt: skip
    location_create(
        actor=actor,
        warehouse=warehouse,
        code="DOCK-01",
        kind=LocationKind.DOCK,
        x_m=Decimal(40),
        y_m=Decimal(-4),
    )
    carrier = carrier_create(actor=actor, operator=operator, code="CPX", name="Coastal Parcel")
    for code, level, days, prices in (
        ("CPX-GROUND", "ground", 4, [(1000, "4.10"), (5000, "7.80"), (30000, "19.00")]),
        ("CPX-EXPRESS", "express", 1, [(1000, "12.50"), (5000, "18.00"), (30000, "45.00")]),
    ):
        service = carrier_service_create(
            actor=actor, carrier=carrier, code=code, name=code.title(), service_level=level,
            transit_days_default=days, countries=["US"], warehouses=[warehouse],
        )  # fmt: skip
        rate_card_create(
            actor=actor, service=service, currency="USD", effective_from=dt.date(2026, 1, 1), dim_divisor=5000,
            zones=[ZoneSpec(name="US", areas=[("US", "")], breaks=[(w, Money(Decimal(p), "USD")) for w, p in prices], transit_days=days)],
        )  # fmt: skip
    for at in (dt.time(11, 0), dt.time(16, 0)):
        PickupSchedule.objects.create(
            warehouse=warehouse, carrier=carrier, pickup_time=at, weekdays=[1, 2, 3, 4, 5]
        )
    agreement = agreement_create(
        actor=actor, seller=seller, operator=operator, warehouses=[warehouse], valid_from=dt.date(2026, 1, 1)
    )
    fee_schedule_set(
        actor=actor,
        agreement=agreement,
        effective_from=dt.date(2026, 1, 1),
        lines={"outbound_order": Money(Decimal("1.80"), "USD")},
        storage_free_days=30,
    )
    agreement_activate(actor=actor, agreement=agreement)
    rng = random.Random(8)
    bins = list(
        Location.objects.filter(warehouse=warehouse, kind=LocationKind.PICK).order_by("pick_sequence")
    )
    skus = []
    for n in range(SKUS):
        sku = sku_create(
            actor=actor, seller=seller, code=f"B-{n:04d}", name_en=f"Bench item {n}",
            weight_g=rng.randint(80, 1500), length_mm=rng.randint(80, 400), width_mm=rng.randint(60, 300),
            height_mm=rng.randint(10, 150),
        )  # fmt: skip
        skus.append(sku)
        zone = bins[(n * 7) % len(bins)].zone
        in_zone = [b for b in bins if b.zone == zone]
        for location in rng.sample(in_zone, 2):
            stock_receive(actor=actor, owner=seller, sku=sku, location=location, quantity=200)
    return {
        "seller": seller,
        "operator": operator,
        "warehouse": warehouse,
        "agreement": agreement,
        "skus": skus,
    }


def requests_load(world: dict[str, Any], count: int) -> None:
    """``count`` accepted requests (with their orders), written in bulk: the state the orders API leaves."""
    from haicang.channels.models import ChannelAccount
    from haicang.core.sequences import document_numbers_take
    from haicang.orders.models import Order, OrderLine
    from haicang.orders.models_fulfilment import FulfillmentRequest, FulfillmentRequestLine

    rng = random.Random(10)
    seller, warehouse, agreement = world["seller"], world["warehouse"], world["agreement"]
    account = ChannelAccount.objects.create(
        seller=seller, platform="shopify", name="Bench shop", currency="USD"
    )
    numbers = document_numbers_take(scope=seller.pk, prefix="FR", year=2026, count=count)
    orders, lines, requests, request_lines = [], [], [], []
    levels = [level for level, weight in LEVELS for _ in range(weight)]
    for n in range(count):
        order = Order(
            seller=seller, account=account, number=f"ORD-2026-{n + 1:06d}", platform="shopify",
            external_id=f"B{n}", placed_at=NOW - dt.timedelta(hours=2), status="unshipped", currency="USD",
            service_level=rng.choice(levels), ship_country="US", ship_postcode=rng.choice(POSTCODES), ship_city="X",
        )  # fmt: skip
        orders.append(order)
        picks = [(rng.choice(world["skus"]), 12)] if n % 10 == 0 else [
            (sku, rng.randint(1, 3)) for sku in rng.sample(world["skus"], rng.randint(1, 3))
        ]  # fmt: skip
        request = FulfillmentRequest(
            seller=seller, operator_id=warehouse.operator_id, warehouse=warehouse, agreement=agreement, order=order,
            number=numbers[n], order_number=order.number, status="accepted", service_level=order.service_level,
            ship_country="US", ship_postcode=order.ship_postcode, ship_city="X", released_at=NOW,
            sla_start_at=NOW, agreement_due_at=NOW + dt.timedelta(days=1), due_at=NOW + dt.timedelta(days=1),
            sla_basis="agreement", at_risk_from=NOW + dt.timedelta(hours=20), accepted_at=NOW,
        )  # fmt: skip
        requests.append(request)
        for position, (sku, quantity) in enumerate(picks, start=1):
            line = OrderLine(
                order=order, position=position, channel_line_id=str(position), channel_sku=sku.code, sku=sku,
                quantity=quantity, original_quantity=quantity,
            )  # fmt: skip
            lines.append(line)
            request_lines.append(
                FulfillmentRequestLine(
                    request=request, order_line=line, position=position, sku=sku, quantity=quantity
                )
            )
    Order.objects.bulk_create(orders, batch_size=1000)
    OrderLine.objects.bulk_create(lines, batch_size=1000)
    FulfillmentRequest.objects.bulk_create(requests, batch_size=1000)
    FulfillmentRequestLine.objects.bulk_create(request_lines, batch_size=1000)


def run(*, db_label: str, count: int) -> Table:
    from django.db import connection

    from haicang.core.actors import Actor
    from haicang.fulfillment.models import PickList, PickTask
    from haicang.fulfillment.waves import wave_plan, waves_release

    world = world_create()
    requests_load(world, count)
    actor = Actor.system("bench")
    connection.close()  # a fresh connection, as a request would have
    start, cpu = time.perf_counter(), time.process_time()
    waves = wave_plan(actor=actor, warehouse=world["warehouse"], now=NOW)
    planned, planned_cpu = time.perf_counter() - start, time.process_time() - cpu
    start, cpu = time.perf_counter(), time.process_time()
    waves_release(actor=actor, waves=waves, now=NOW)
    released, released_cpu = time.perf_counter() - start, time.process_time() - cpu
    lists = list(PickList.objects.values_list("route_distance_mm", "sequence_distance_mm"))
    walked = sum(r for r, _ in lists)
    in_sequence = sum(s for _, s in lists)
    table = Table(
        f"Wave planning and release, {count:,} accepted requests ({db_label})",
        ["step", "seconds", "client CPU s", "per second", "made"],
    )
    table.add(
        "plan (adopt + estimate + pre-select + group)",
        f"{planned:.2f}",
        f"{planned_cpu:.2f}",
        f"{count / planned:,.0f} req",
        f"{len(waves)} waves",
    )
    table.add(
        "release every wave (waves_release)",
        f"{released:.2f}",
        f"{released_cpu:.2f}",
        f"{len(lists) / released:,.0f} lists",
        f"{len(lists)} lists, {PickTask.objects.count():,} tasks",
    )
    table.add(
        "plan + release",
        f"{planned + released:.2f}",
        f"{planned_cpu + released_cpu:.2f}",
        f"{count / (planned + released):,.0f} req",
        "target ≤ 10 s at 10,000",
    )
    saved = 100 * (1 - walked / in_sequence) if in_sequence else 0.0
    table.add(
        "walk, improved vs pick sequence",
        "",
        "",
        "",
        f"{walked / 1000:,.0f} m vs {in_sequence / 1000:,.0f} m (−{saved:.1f} %)",
    )
    return table


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--db", default="sqlite")
    parser.add_argument("--url")
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--count", type=int)
    args = parser.parse_args()
    with django_on(args.url):
        print(run(db_label=args.db, count=args.count or (300 if args.quick else 10_000)).render(), end="\n\n")


if __name__ == "__main__":
    main()
