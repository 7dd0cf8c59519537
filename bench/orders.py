"""Orders: ingested + routed + reserved per second through the real service, and a big CSV import.

**Throughput.** ``haicang.orders.services.order_ingest`` — everything it writes: the order with its sealed
personal fields and blind indexes, its lines, history row, ``order.created`` outbox event and audit entry, the
routing decision with a reason per candidate warehouse, the reservation through the ledger (its counter update,
``stock.available_changed`` event and audit entry), ``order.routed`` — with 1 and 2 spawned worker processes,
beside the same database's raw rate for a one-row ``UPDATE`` transaction (one row, as the ledger benchmark's)
measured in the same run, with the ratio. Target (issue 7, PostgreSQL, 2 workers): ≥ 500 orders/s.

The world is realistic: one seller selling on Shopify (US), Amazon (DE) and TikTok Shop (GB), four warehouses
of two operators — LAX1 and NJ1 serving the US, FRA1 (Germany) serving DE and GB, CV1 (Coventry) serving GB and
DE — each with a rate card zoned by postcode prefix, every SKU in stock in every warehouse, so routing has to
choose: an order to New York ships from NJ1, one to Los Angeles from LAX1, one to Manchester from CV1. Orders
have 1–3 lines (some channel SKUs mapped, some matching the SKU code), real addresses and phones in US/DE/GB.

**Profile.** Statements per order (by verb and table) and client CPU per order, in this process.

**Import.** An N-order CSV (one row per line) through ``haicang import orders FILE --seller … --yes`` in a
child process — the exchange framework's orders kind, validated then applied all or nothing, with the
progress bar on stderr — timed. Target (PostgreSQL, 200,000 orders): ≤ 5 minutes.
"""

from __future__ import annotations

import argparse
import cProfile
import csv
import io
import multiprocessing
import os
import pstats
import queue
import random
import re
import resource
import subprocess
import sys
import tempfile
import time
from collections import Counter, defaultdict
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

from bench.harness import Table, django_on

RAW_TABLE = "bench_orders_row"
PLENTY = 1_000_000_000  # units on hand per SKU and warehouse: no run ever runs out

# --- realistic ship-to addresses: (country, city, region, postcode, street, phone) -------------------------
ADDRESSES: list[tuple[str, str, str, str, str, str]] = [
    ("US", "New York", "NY", "10001", "350 Fifth Avenue", "+1 212-555-0148"),
    ("US", "Brooklyn", "NY", "11201", "55 Water Street", "+1 646-555-0123"),
    ("US", "Boston", "MA", "02108", "24 Beacon Street", "(617) 555-0131"),
    ("US", "Philadelphia", "PA", "19106", "520 Chestnut Street", "+1 215-555-0177"),
    ("US", "Chicago", "IL", "60601", "151 N Franklin St", "+1 312-555-0112"),
    ("US", "Austin", "TX", "78701", "1100 Congress Ave", "+1 512-555-0166"),
    ("US", "Denver", "CO", "80202", "1701 Wynkoop St", "+1 303-555-0158"),
    ("US", "Los Angeles", "CA", "90012", "200 N Spring St", "(310) 555-0192"),
    ("US", "San Francisco", "CA", "94103", "1355 Market St", "+1 415-555-0173"),
    ("US", "Seattle", "WA", "98101", "400 Pine St", "+1 206 555 0100"),
    ("DE", "Berlin", "Berlin", "10115", "Invalidenstraße 117", "030 12345678"),
    ("DE", "München", "Bayern", "80331", "Marienplatz 8", "089 2190 3456"),
    ("DE", "Hamburg", "Hamburg", "20095", "Mönckebergstraße 7", "+49 40 4288 1234"),
    ("DE", "Köln", "Nordrhein-Westfalen", "50667", "Hohe Straße 52", "+49 221 2345678"),
    ("DE", "Frankfurt am Main", "Hessen", "60311", "Zeil 106", "+49 69 21231234"),
    ("GB", "London", "Greater London", "SW1A 1AA", "10 Downing Street", "+44 20 7946 0958"),
    ("GB", "London", "Greater London", "EC1A 1BB", "1 St Martin's Le Grand", "020 7946 0321"),
    ("GB", "Manchester", "Greater Manchester", "M1 1AE", "1 Piccadilly Gardens", "0161 496 0713"),
    ("GB", "Edinburgh", "Scotland", "EH1 1YZ", "1 Princes Street", "0131 496 0021"),
    ("GB", "Birmingham", "West Midlands", "B1 1BB", "1 Victoria Square", "0121 496 0542"),
]
FIRST = [
    "Emma",
    "Liam",
    "Olivia",
    "Noah",
    "Mia",
    "Lukas",
    "Sophie",
    "Jonas",
    "Amelia",
    "Oliver",
    "Hannah",
    "Jack",
]
LAST = ["Smith", "Johnson", "Müller", "Schmidt", "Taylor", "Brown", "Wagner", "Davies", "Garcia", "Fischer"]
# channel account name → (platform, currency, the country its buyers live in)
ACCOUNTS = {
    "Bench Shopify US": ("shopify", "USD", "US"),
    "Bench Amazon DE": ("amazon", "EUR", "DE"),
    "Bench TikTok GB": ("tiktok", "GBP", "GB"),
}
SERVICE_LEVELS = ["Standard"] * 8 + ["Expedited", "Two Day"]


# --- the world ---------------------------------------------------------------------------------------------


def _zone(name: str, country: str, prefixes: list[str], prices: list[str], currency: str, days: int) -> Any:
    from haicang.core.money import Money
    from haicang.network.services.carriers import ZoneSpec

    breaks = [(1000, prices[0]), (2000, prices[1]), (5000, prices[2]), (30000, prices[3])]
    return ZoneSpec(
        name=name,
        areas=[(country, prefix) for prefix in prefixes],
        breaks=[(weight, Money(Decimal(price), currency)) for weight, price in breaks],
        transit_days=days,
    )


US_EAST, US_CENTRAL, US_WEST = ["0", "1", "2", "3"], ["4", "5", "6", "7"], ["8", "9"]
DE_ALL = [str(d) for d in range(10)]
GB_ALL = [""]


def _warehouse_cards(code: str) -> tuple[str, list[tuple[str, str, list[str], list[str], int]]]:
    """A warehouse's carrier card: its currency and zones (name, country, prefixes, 4 breaks, transit days)."""
    near, mid, far = ["4.10", "4.90", "6.80", "14.00"], ["6.20", "7.10", "9.40", "18.00"], ["8.40", "9.30", "12.10", "24.00"]  # fmt: skip
    if code == "LAX1":
        return "USD", [("West", "US", US_WEST, near, 2), ("Central", "US", US_CENTRAL, mid, 4), ("East", "US", US_EAST, far, 5)]  # fmt: skip
    if code == "NJ1":
        return "USD", [("East", "US", US_EAST, near, 2), ("Central", "US", US_CENTRAL, mid, 3), ("West", "US", US_WEST, far, 5)]  # fmt: skip
    if code == "FRA1":
        return "EUR", [("DE", "DE", DE_ALL, ["3.90", "4.60", "5.90", "12.00"], 2), ("GB", "GB", GB_ALL, ["9.50", "10.80", "13.90", "29.00"], 4)]  # fmt: skip
    return "GBP", [("GB", "GB", GB_ALL, ["2.95", "3.60", "4.80", "11.00"], 2), ("DE", "DE", DE_ALL, ["8.00", "9.10", "11.90", "25.00"], 4)]  # fmt: skip


def world_create(*, skus: int) -> dict[str, Any]:
    """The seller, its channel accounts, SKUs and SKU maps, two operators with four warehouses and rate cards,
    active agreements, FX rates, and every SKU in stock everywhere. Returns the ids the workers need."""
    import datetime as dt

    from django.utils import timezone

    from haicang.catalog.services import sku_create
    from haicang.channels.services import channel_account_create, channel_sku_map_set
    from haicang.core.actors import Actor
    from haicang.core.fx import fx_rate_record
    from haicang.core.money import Money
    from haicang.inventory.services import stock_receive
    from haicang.network.models import LocationKind
    from haicang.network.services import location_create, virtual_locations_ensure, warehouse_create
    from haicang.network.services.carriers import carrier_create, carrier_service_create, rate_card_create
    from haicang.parties.agreements import agreement_activate, agreement_create, fee_schedule_set
    from haicang.parties.services import operator_create, seller_create

    actor = Actor.system("bench")
    seller = seller_create(actor=actor, code="bench-seller", name="Bench", country="CN", base_currency="CNY")
    virtual_locations_ensure(actor=actor)
    today = timezone.localdate()
    for base, quote, rate in (("EUR", "USD", "1.0850"), ("GBP", "USD", "1.2700"), ("GBP", "EUR", "1.1700")):
        fx_rate_record(
            actor=actor, base=base, quote=quote, on=today - dt.timedelta(days=1), rate=Decimal(rate)
        )
    sites = {
        "US": ("bench-op-us", "USD", [("LAX1", "US", "Ontario", "91761", "America/Los_Angeles", "USD", ["US"]),
                                      ("NJ1", "US", "Edison", "08817", "America/New_York", "USD", ["US"])]),
        "EU": ("bench-op-eu", "EUR", [("FRA1", "DE", "Frankfurt am Main", "60549", "Europe/Berlin", "EUR", ["DE", "GB"]),
                                      ("CV1", "GB", "Coventry", "CV6 4QJ", "Europe/London", "GBP", ["GB", "DE"])]),
    }  # fmt: skip
    bins: dict[str, Any] = {}
    warehouses: dict[str, Any] = {}
    for region, (op_code, billing, places) in sites.items():
        operator = operator_create(
            actor=actor, code=op_code, name=f"Bench {region}", country=places[0][1], billing_currency=billing
        )
        carrier = carrier_create(actor=actor, operator=operator, code=f"PX{region}", name=f"Parcel {region}")
        made = []
        for code, country, city, postcode, zone, currency, markets in places:
            warehouse = warehouse_create(
                actor=actor, operator=operator, code=code, name=f"Bench {code}", address_line1="Logistics Park 1",
                postcode=postcode, city=city, country=country, time_zone=zone, currency=currency, markets=markets,
            )  # fmt: skip
            warehouses[code] = warehouse
            bins[code] = location_create(
                actor=actor, warehouse=warehouse, code="A-01-01-1-1", kind=LocationKind.PICK
            )
            card_currency, zones = _warehouse_cards(code)
            service = carrier_service_create(
                actor=actor, carrier=carrier, code=f"GND-{code}", name=f"Ground from {code}", service_level="ground",
                transit_days_default=4, countries=sorted({z[1] for z in zones}), warehouses=[warehouse],
            )  # fmt: skip
            rate_card_create(
                actor=actor, service=service, currency=card_currency, effective_from=dt.date(2026, 1, 1),
                dim_divisor=5000, zones=[_zone(n, c, p, b, card_currency, d) for n, c, p, b, d in zones],
                fuel_surcharge_pct=Decimal("8.5"), residential_surcharge=Money(Decimal("0.45"), card_currency),
            )  # fmt: skip
            made.append(warehouse)
        agreement = agreement_create(
            actor=actor, seller=seller, operator=operator, warehouses=made, valid_from=dt.date(2026, 1, 1)
        )
        fee_schedule_set(
            actor=actor, agreement=agreement, effective_from=dt.date(2026, 1, 1),
            lines={"outbound_order": Money(Decimal("1.80"), billing), "outbound_extra_unit": Money(Decimal("0.35"), billing)},
        )  # fmt: skip
        agreement_activate(actor=actor, agreement=agreement)
    accounts = {
        name: channel_account_create(
            actor=actor, seller=seller, platform=platform, name=name, currency=currency
        )
        for name, (platform, currency, _country) in ACCOUNTS.items()
    }
    rng = random.Random(7)
    made_skus = []
    for n in range(skus):
        made_skus.append(
            sku_create(
                actor=actor,
                seller=seller,
                code=f"BN-{n:05d}",
                name_en=f"Bench item {n}",
                weight_g=rng.choice([120, 250, 400, 650, 900, 1400]),
                length_mm=rng.choice([150, 220, 300]),
                width_mm=rng.choice([100, 150, 200]),
                height_mm=rng.choice([20, 40, 80]),
            )
        )
    channel_skus: dict[str, list[str]] = {}
    for name, account in accounts.items():
        codes = []
        for n, sku in enumerate(made_skus):
            if n % 2:  # every other SKU has a platform-specific channel SKU, mapped
                channel_sku = f"{ACCOUNTS[name][0][:3].upper()}-{sku.code}"
                channel_sku_map_set(actor=actor, account=account, channel_sku=channel_sku, sku=sku)
                codes.append(channel_sku)
            else:  # the others are sold under the SKU's own code
                codes.append(sku.code)
        channel_skus[name] = codes
    for sku in made_skus:
        for code in warehouses:
            stock_receive(actor=actor, owner=seller, sku=sku, location=bins[code], quantity=PLENTY)
    return {
        "seller": seller.pk,
        "seller_code": seller.code,
        "accounts": {name: account.pk for name, account in accounts.items()},
        "channel_skus": channel_skus,
    }


def raw_table_create() -> None:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(f"CREATE TABLE {RAW_TABLE} (id integer PRIMARY KEY, n bigint NOT NULL)")
        cursor.execute(f"INSERT INTO {RAW_TABLE} (id, n) VALUES (1, 0)")  # noqa: S608


# --- orders ------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class OrderSpec:
    """One generated order, as plain values (to build a NormalisedOrder or CSV rows from)."""

    account: str
    external_id: str
    placed_at: datetime
    currency: str
    service_level: str
    address: tuple[str, str, str, str, str, str]
    phone: str
    name: str
    email: str
    lines: tuple[tuple[str, int, Decimal], ...]  # (channel SKU, quantity, unit price)
    shipping: Decimal


def order_specs(ids: dict[str, Any], count: int, *, prefix: str, seed: int) -> list[OrderSpec]:
    """``count`` orders over the accounts: buyers in the account's country, 1–3 lines, 1–2 units a line."""
    rng = random.Random(seed)
    by_country: dict[str, list[tuple[str, str, str, str, str, str]]] = {}
    for address in ADDRESSES:
        by_country.setdefault(address[0], []).append(address)
    names = list(ACCOUNTS)
    weights = [5, 3, 2]  # US, DE, GB
    start = datetime(2026, 3, 2, 8, 0, tzinfo=UTC)
    specs = []
    for n in range(count):
        account = rng.choices(names, weights)[0]
        _platform, currency, country = ACCOUNTS[account]
        first, last = rng.choice(FIRST), rng.choice(LAST)
        address = rng.choice(by_country[country])
        skus = ids["channel_skus"][account]
        chosen = rng.sample(range(len(skus)), rng.choice([1, 1, 2, 2, 3]))
        specs.append(
            OrderSpec(
                account=account,
                external_id=f"{prefix}-{n:07d}",
                placed_at=start + timedelta(seconds=n * 7),
                currency=currency,
                service_level=rng.choice(SERVICE_LEVELS),
                address=address,
                phone=address[5][:-2] + f"{rng.randrange(100):02d}",  # a hundred customers per street
                name=f"{first} {last}",
                email=f"{first}.{last}{n % 997}@example.com".lower(),
                lines=tuple(
                    (skus[i], rng.choice([1, 1, 1, 2]), Decimal(rng.randrange(499, 4999)) / 100)
                    for i in chosen
                ),
                shipping=Decimal(rng.choice(["0.00", "3.99", "4.99"])),
            )
        )
    return specs


def normalised(spec: OrderSpec) -> Any:
    from haicang.channels.normalised import NormalisedLine, NormalisedOrder, OrderStatus, Platform, ShipTo
    from haicang.core.money import Money

    platform, currency, _ = ACCOUNTS[spec.account]
    country, city, region, postcode, street, _ = spec.address
    taxed = country != "US"
    return NormalisedOrder(
        platform=Platform(platform),
        external_id=spec.external_id,
        placed_at=spec.placed_at,
        paid_at=spec.placed_at + timedelta(minutes=1),
        ship_by=spec.placed_at + timedelta(days=2),
        status=OrderStatus.UNSHIPPED,
        platform_status="paid",
        lines=tuple(
            NormalisedLine(
                channel_sku=sku,
                channel_line_id=str(n),
                quantity=qty,
                original_quantity=qty,
                unit_price=Money(price, currency),
                tax=Money((price * qty * Decimal("0.08")).quantize(Decimal("0.01")), currency),
                price_includes_tax=taxed,
                title=f"Item {sku}",
            )
            for n, (sku, qty, price) in enumerate(spec.lines, start=1)
        ),
        raw_ref=f"{platform}:bench:{spec.external_id}",
        currency=currency,
        shipping_charged=Money(spec.shipping, currency),
        service_level=spec.service_level,
        ship_to=ShipTo(
            country=country,
            name=spec.name,
            street_lines=(street,),
            city=city,
            region=region,
            postcode=postcode,
            phone=spec.phone,
            email=spec.email,
        ),
        buyer_note="Please leave it at the door" if spec.external_id.endswith("7") else "",
    )


# --- the workers (each a spawned process with its own Django and connection) ------------------------------


def _operation(kind: str, ids: dict[str, Any]) -> Any:
    from django.db import connection, transaction

    from haicang.channels.models import ChannelAccount
    from haicang.core.actors import Actor
    from haicang.orders.services import order_ingest

    if kind == "raw":

        def raw(n: int) -> None:
            with transaction.atomic(), connection.cursor() as cursor:
                cursor.execute(f"UPDATE {RAW_TABLE} SET n = n + 1 WHERE id = 1")  # noqa: S608
                assert cursor.rowcount == 1

        return raw
    actor = Actor.system("bench")
    accounts = {name: ChannelAccount.objects.get(pk=pk) for name, pk in ids["accounts"].items()}
    # templates built before the clock runs; each call only takes a fresh external id
    templates = [
        (accounts[spec.account], normalised(spec))
        for spec in order_specs(ids, 400, prefix="T", seed=os.getpid())
    ]
    tag = f"W{os.getpid()}"

    def ingest(n: int) -> None:
        account, order = templates[n % len(templates)]
        order = replace(order, external_id=f"{tag}-{n}", raw_ref=f"bench:{tag}-{n}")
        result = order_ingest(actor=actor, account=account, normalised=order, source="api")
        assert result.outcome == "created", result.outcome

    return ingest


def _cpu_seconds() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


KINDS = ("raw", "orders")


def _worker(ids: dict[str, Any], commands: Any, barrier: Any, results: Any) -> None:
    """A worker process: both operations ready (and warmed up), then a run of one of them per command, all
    workers together (the barrier), until told to stop (None)."""
    import django

    django.setup()
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    try:
        ops = {kind: _operation(kind, ids) for kind in KINDS}
        statements: dict[str, float] = {}
        for kind, op in ops.items():
            for n in range(30):  # warm up: connection, prepared statements, caches
                op(-1 - n)
            with CaptureQueriesContext(connection) as captured:
                for n in range(20):
                    op(-100 - n)
            statements[kind] = len(captured) / 20
        done = 0
        while (command := commands.get()) is not None:
            kind, seconds = command
            barrier.wait()
            count, start, cpu = 0, time.monotonic(), _cpu_seconds()
            while time.monotonic() - start < seconds:
                ops[kind](done)
                done += 1
                count += 1
            results.put((kind, count, start, time.monotonic(), _cpu_seconds() - cpu, statements[kind]))
    finally:
        connection.close()


@dataclass
class Rate:
    per_second: float
    cpu_ms: float  # the worker's own CPU time per operation (Python, Django, the driver)
    statements: float  # SQL statements per operation (the mean of 20), BEGIN and COMMIT included


def rates(ids: dict[str, Any], *, workers: int, rounds: int, seconds: float) -> dict[str, Rate]:
    """Operations per second of ``workers`` processes running each kind at once, in ``rounds`` alternating
    runs of ``seconds`` per kind (so that a busy spell on the machine hits both kinds alike)."""
    context = multiprocessing.get_context("spawn")
    barrier, results = context.Barrier(workers), context.Queue()
    commands = [context.Queue() for _ in range(workers)]
    processes = [
        context.Process(target=_worker, args=(ids, commands[n], barrier, results)) for n in range(workers)
    ]
    for process in processes:
        process.start()
    totals: dict[str, list[float]] = {
        kind: [0.0, 0.0, 0.0, 0.0] for kind in KINDS
    }  # ops, seconds, cpu, statements
    try:
        for _ in range(rounds):
            for kind in KINDS:
                for command in commands:
                    command.put((kind, seconds))
                outcomes: list[Any] = []
                while len(outcomes) < workers:  # a worker that dies never reports: stop rather than wait
                    try:
                        outcomes.append(results.get(timeout=1))
                    except queue.Empty:
                        dead = [p.exitcode for p in processes if p.exitcode not in (None, 0)]
                        assert not dead, f"a worker failed (exit status {dead[0]})"
                total = totals[kind]
                total[0] += sum(o[1] for o in outcomes)
                total[1] += max(o[3] for o in outcomes) - min(o[2] for o in outcomes)
                total[2] += sum(o[4] for o in outcomes)
                total[3] = outcomes[0][5]
    finally:
        for command in commands:
            command.put(None)
        for process in processes:
            process.join()
    for process in processes:
        assert process.exitcode == 0, "a worker failed"
    return {
        kind: Rate(done / elapsed, 1000 * cpu / done, statements)
        for kind, (done, elapsed, cpu, statements) in totals.items()
    }


def _routing_summary() -> str:
    """How the orders so far were routed: allocation statuses and the chosen warehouses."""
    from haicang.orders.models import Order, RoutingDecision

    statuses = Counter(Order.objects.values_list("allocation_status", flat=True))
    chosen = Counter(
        code for codes in RoutingDecision.objects.values_list("allocations", flat=True) for code in
        (a["warehouse"] for a in codes)
    )  # fmt: skip
    total = sum(chosen.values()) or 1
    return (
        ", ".join(f"{k} {v:,}" for k, v in sorted(statuses.items()))
        + "; shipped from "
        + ", ".join(f"{k} {100 * v / total:.0f}%" for k, v in sorted(chosen.items()))
    )


def throughput(ids: dict[str, Any], *, db_label: str, rounds: int, seconds: float) -> tuple[Table, str]:
    from django.db import connection

    from haicang.inventory.verify import ledger_verify

    raw_table_create()
    connection.close()  # the workers are the only writers while they run
    table = Table(
        f"Orders ingested + routed + reserved on {db_label} (order_ingest, 1-3 lines, 4 warehouses; "
        f"{rounds} alternating runs of {seconds:g} s per kind)",
        [
            "operation",
            "workers",
            "ops/s",
            "raw UPDATE tx/s",
            "ratio to raw",
            "statements",
            "worker CPU ms/op",
        ],
    )
    for workers in (1, 2):
        measured = rates(ids, workers=workers, rounds=rounds, seconds=seconds)
        raw, ops = measured["raw"], measured["orders"]
        table.add(
            "raw UPDATE",
            workers,
            f"{raw.per_second:,.0f}",
            "",
            "",
            f"{raw.statements:.0f}",
            f"{raw.cpu_ms:.2f}",
        )
        table.add(
            "orders",
            workers,
            f"{ops.per_second:,.0f}",
            f"{raw.per_second:,.0f}",
            f"{ops.per_second / raw.per_second:.3f}x",
            f"{ops.statements:.1f}",
            f"{ops.cpu_ms:.2f}",
        )
    problems = ledger_verify()
    assert problems == [], problems
    return table, _routing_summary()


# --- where an order's statements and CPU go ---------------------------------------------------------------

_TABLE = re.compile(r'(?:FROM|INTO|UPDATE)\s+"?([a-z_0-9]+)"?', re.IGNORECASE)


def _statement_kind(sql: str) -> tuple[str, str]:
    """(verb, main table) of a statement: the first table named outside parentheses (a SELECT's own FROM, not
    a sub-select's); a CTE statement is named for its first sub-statement."""
    sql = sql.lstrip()
    if sql.startswith("QUERY = "):  # how Django logs a statement of a server-binding (prepared) cursor
        sql = sql.removeprefix("QUERY = ").strip("'\"")
    verb = sql.split(None, 1)[0].upper() if sql else "?"
    if verb == "WITH":
        match = re.search(r"AS \((\w+)", sql)
        return f"WITH {match.group(1).upper() if match else '?'}…", (_TABLE.search(sql) or [None, ""])[
            1
        ] or ""
    depth, top = 0, []
    for char in sql:
        depth += char == "("
        top.append(char if depth == 0 else " ")
        depth -= char == ")"
    match = _TABLE.search("".join(top)) or _TABLE.search(sql)
    return verb, match.group(1) if match else ""


def profile(ids: dict[str, Any], *, db_label: str, count: int, top: int) -> tuple[Table, str]:
    """Ingest ``count`` orders in this process: statements per order by verb and table, CPU per order; and the
    functions that take the most CPU (cProfile) when ``top``."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from haicang.channels.models import ChannelAccount
    from haicang.core.actors import Actor
    from haicang.orders.services import order_ingest

    actor = Actor.system("bench")
    accounts = {name: ChannelAccount.objects.get(pk=pk) for name, pk in ids["accounts"].items()}
    specs = [(accounts[s.account], normalised(s)) for s in order_specs(ids, count + 20, prefix="P", seed=11)]
    for account, order in specs[:20]:  # warm up
        order_ingest(actor=actor, account=account, normalised=order)
    specs = specs[20:]
    by_kind: Counter[tuple[str, str]] = Counter()
    waited: dict[tuple[str, str], float] = defaultdict(float)
    cpu, start, statements = _cpu_seconds(), time.perf_counter(), 0
    for chunk in range(0, count, 100):  # Django keeps the last 9,000 statements only
        connection.queries_log.clear()
        with CaptureQueriesContext(connection) as queries:
            for account, order in specs[chunk : chunk + 100]:
                order_ingest(actor=actor, account=account, normalised=order)
        statements += len(queries)
        for query in queries.captured_queries:
            key = _statement_kind(query["sql"])
            by_kind[key] += 1
            waited[key] += float(query["time"])
    cpu_ms = 1000 * (_cpu_seconds() - cpu) / count
    wall_ms = 1000 * (time.perf_counter() - start) / count
    table = Table(
        f"Statements per order on {db_label} ({count} orders in one process: {wall_ms:.2f} ms/order, of which "
        f"client CPU {cpu_ms:.2f} ms; {statements / count:.1f} statements/order)",
        ["verb", "table", "per order", "ms per order (round trip)"],
    )
    for key, n in sorted(by_kind.items(), key=lambda kv: -kv[1]):
        table.add(*key, f"{n / count:.2f}", f"{1000 * waited[key] / count:.3f}")
    report = ""
    if top:
        more = [(accounts[s.account], normalised(s)) for s in order_specs(ids, count, prefix="Q", seed=12)]
        profiler = cProfile.Profile()
        profiler.enable()
        for account, order in more:
            order_ingest(actor=actor, account=account, normalised=order)
        profiler.disable()
        out = io.StringIO()
        pstats.Stats(profiler, stream=out).sort_stats("cumulative").print_stats(top)
        report = out.getvalue()
    return table, report


# --- a big CSV through `haicang import orders` ------------------------------------------------------------

CSV_HEADER = [
    "channel_account", "external_id", "placed_at", "paid_at", "ship_by", "status", "currency", "service_level",
    "shipping_charged", "line_id", "channel_sku", "quantity", "unit_price", "tax", "price_includes_tax", "title",
    "ship_country", "ship_postcode", "ship_city", "ship_region", "ship_name", "ship_street1", "ship_phone",
    "ship_email",
]  # fmt: skip


def orders_csv(ids: dict[str, Any], count: int, path: Path) -> int:
    """Write ``count`` orders as a CSV of one row per line; returns the number of rows."""
    rows = 0
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(CSV_HEADER)
        for spec in order_specs(ids, count, prefix="IMP", seed=3):
            country, city, region, postcode, street, _ = spec.address
            placed = spec.placed_at.isoformat()
            for n, (sku, qty, price) in enumerate(spec.lines, start=1):
                first = n == 1
                writer.writerow([
                    spec.account, spec.external_id, placed,
                    (spec.placed_at + timedelta(minutes=1)).isoformat() if first else "",
                    (spec.placed_at + timedelta(days=2)).isoformat() if first else "",
                    "unshipped", spec.currency, spec.service_level, spec.shipping if first else "", n, sku, qty,
                    price, (price * qty * Decimal("0.08")).quantize(Decimal("0.01")),
                    "yes" if country != "US" else "no", f"Item {sku}",
                    country, postcode, city, region, spec.name, street, spec.phone, spec.email,
                ])  # fmt: skip
                rows += 1
    return rows


def import_run(ids: dict[str, Any], *, db_label: str, count: int) -> Table:
    from django.db import connection

    from haicang.inventory.verify import ledger_verify
    from haicang.orders.models import Order

    before = Order.objects.count()
    connection.close()
    with tempfile.TemporaryDirectory(prefix="haicang-bench-orders-") as folder:
        path = Path(folder) / f"orders-{count}.csv"
        start = time.perf_counter()
        rows = orders_csv(ids, count, path)
        written = time.perf_counter() - start
        size = path.stat().st_size
        start = time.perf_counter()
        child = subprocess.Popen(  # noqa: S603
            [
                sys.executable,
                "-m",
                "haicang",
                "import",
                "orders",
                str(path),
                "--seller",
                ids["seller_code"],
                "--yes",
            ],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            cwd=Path(__file__).resolve().parent.parent,
        )
        _, status, usage = os.wait4(child.pid, 0)
        seconds = time.perf_counter() - start
        out = child.stdout.read().decode() if child.stdout else ""
        err = child.stderr.read().decode() if child.stderr else ""
        assert os.waitstatus_to_exitcode(status) == 0, out + err
    imported = Order.objects.count() - before
    assert imported == count, (imported, count, out)
    problems = ledger_verify()
    assert problems == [], problems
    bar = [line for line in err.splitlines() if "[" in line]
    table = Table(
        f"Orders import on {db_label}: `haicang import orders` of a {count:,}-order CSV ({rows:,} rows, "
        f"{size / 2**20:,.1f} MiB, written in {written:.1f} s)",
        [
            "orders",
            "rows",
            "total s",
            "orders/s",
            "child CPU s",
            "child peak RSS",
            "progress lines",
            "last progress line",
        ],
    )
    table.add(
        f"{count:,}", f"{rows:,}", f"{seconds:.1f}", f"{count / seconds:,.0f}", f"{usage.ru_utime + usage.ru_stime:.1f}",
        f"{usage.ru_maxrss / 1024:,.0f} MiB", len(bar), bar[-1].strip() if bar else "(none)",
    )  # fmt: skip
    return table


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--db", default="sqlite")
    parser.add_argument("--url")
    parser.add_argument("--quick", action="store_true")
    parser.add_argument(
        "--profile", type=int, default=0, metavar="N", help="print the top N functions (cProfile)"
    )
    parser.add_argument("--skip", action="append", default=[], choices=["throughput", "profile", "import"])
    parser.add_argument("--import-orders", type=int, help="orders in the CSV (default 200,000; quick 2,000)")
    args = parser.parse_args()
    with django_on(args.url):
        ids = world_create(skus=60 if args.quick else 300)
        if "profile" not in args.skip:
            table, report = profile(ids, db_label=args.db, count=100 if args.quick else 500, top=args.profile)
            print(table.render(), end="\n\n")
            if report:
                print(report)
        if "throughput" not in args.skip:
            table, summary = throughput(
                ids, db_label=args.db, rounds=2 if args.quick else 5, seconds=1.0 if args.quick else 3.0
            )
            print(table.render())
            print(f"routing: {summary}", end="\n\n")
        if "import" not in args.skip:
            count = args.import_orders or (2_000 if args.quick else 200_000)
            print(import_run(ids, db_label=args.db, count=count).render(), end="\n\n")


if __name__ == "__main__":
    main()
