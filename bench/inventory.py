"""The stock ledger: reservations/s and moves/s through the services with 1 and 2 worker processes, each beside
the same database's raw rate for a one-row guarded ``UPDATE … WHERE n >= k`` transaction measured in the same
run; then ``haicang rebuild-balances`` over N moves generated set-based, with its time and peak memory.

All workers hit one SKU at one warehouse (one stock counter row, one pair of bins): the worst case, and the
same single hot row as the raw transaction. Targets (issue 4, PostgreSQL): reservations ≥ 0.4× raw with 2
workers; rebuild of 1,000,000 moves ≤ 30 s and ≤ 1 GiB peak memory.
"""

from __future__ import annotations

import argparse
import multiprocessing
import os
import re
import resource
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from bench.harness import Table, django_on, timed

RAW_TABLE = "bench_guarded_row"
PLENTY = 1_000_000_000  # units on hand: no run ever runs out


# --- the world ---------------------------------------------------------------------------------------------


def world_create(*, skus: int) -> dict[str, Any]:
    """A seller, a warehouse with receiving and pick bins, ``skus`` SKUs; stock of the first SKU in both bins."""
    from haicang.catalog.services import sku_create
    from haicang.core.actors import Actor
    from haicang.inventory.services import stock_receive
    from haicang.network.models import LocationKind
    from haicang.network.services import location_create, virtual_locations_ensure, warehouse_create
    from haicang.parties.services import operator_create, seller_create

    actor = Actor.system("bench")
    seller = seller_create(actor=actor, code="bench-seller", name="Bench", country="CN", base_currency="CNY")
    operator = operator_create(
        actor=actor, code="bench-op", name="Bench", country="DE", billing_currency="EUR"
    )
    warehouse = warehouse_create(
        actor=actor, operator=operator, code="B1", name="Bench 1", address_line1="Bench Street 1",
        city="Frankfurt", country="DE", time_zone="Europe/Berlin", currency="EUR",
    )  # fmt: skip
    virtual_locations_ensure(actor=actor)
    receiving = location_create(actor=actor, warehouse=warehouse, code="RECV-01", kind=LocationKind.RECEIVING)
    picks = [
        location_create(
            actor=actor,
            warehouse=warehouse,
            code=f"A-01-{n:02d}-1-1",
            kind=LocationKind.PICK,
            pick_sequence=n,
        )
        for n in range(1, 11)
    ]
    made = [
        sku_create(actor=actor, seller=seller, code=f"BENCH-{n:05d}", name_en=f"Item {n}")
        for n in range(skus)
    ]
    for location in (receiving, picks[0]):
        stock_receive(actor=actor, owner=seller, sku=made[0], location=location, quantity=PLENTY)
    return {
        "seller": seller.pk,
        "warehouse": warehouse.pk,
        "receiving": receiving.pk,
        "pick": picks[0].pk,
        "picks": [p.pk for p in picks],
        "skus": [s.pk for s in made],
    }


def raw_table_create() -> None:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(f"CREATE TABLE {RAW_TABLE} (id integer PRIMARY KEY, n bigint NOT NULL)")
        cursor.execute(f"INSERT INTO {RAW_TABLE} (id, n) VALUES (1, %s)", [PLENTY])  # noqa: S608


# --- the workers (each a spawned process with its own Django and connection) ------------------------------


def _operation(kind: str, ids: dict[str, Any]) -> Any:
    from django.db import connection, transaction

    from haicang.catalog.models import Sku
    from haicang.core.actors import Actor
    from haicang.inventory.services import DemandLine, stock_move, stock_reserve
    from haicang.network.models import Location, Warehouse
    from haicang.parties.models import Seller

    actor = Actor.system("bench")
    if kind == "raw":

        def raw(n: int) -> None:
            with transaction.atomic(), connection.cursor() as cursor:
                cursor.execute(f"UPDATE {RAW_TABLE} SET n = n - %s WHERE id = 1 AND n >= %s", [1, 1])  # noqa: S608
                assert cursor.rowcount == 1

        return raw
    seller, sku = Seller.objects.get(pk=ids["seller"]), Sku.objects.get(pk=ids["skus"][0])
    warehouse = Warehouse.objects.get(pk=ids["warehouse"])
    if kind == "reservations":

        def reserve(n: int) -> None:
            stock_reserve(actor=actor, owner=seller, warehouse=warehouse, lines=[DemandLine(sku, 1)],
                          demand_type="order", demand_ref=f"B-{os.getpid()}-{n}")  # fmt: skip

        return reserve
    receiving, pick = Location.objects.get(pk=ids["receiving"]), Location.objects.get(pk=ids["pick"])

    def move(n: int) -> None:
        stock_move(actor=actor, owner=seller, sku=sku, from_location=receiving, to_location=pick, quantity=1)

    return move


def _cpu_seconds() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def _worker(kind: str, ids: dict[str, Any], seconds: float, barrier: Any, results: Any) -> None:
    import django

    django.setup()
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    try:
        op = _operation(kind, ids)
        for n in range(20):  # warm up: connection, query compilation, caches
            op(-n)
        with CaptureQueriesContext(connection) as statements:
            op(-99)
        barrier.wait()
        done, start, cpu = 0, time.monotonic(), _cpu_seconds()
        while time.monotonic() - start < seconds:
            op(done)
            done += 1
        results.put((done, start, time.monotonic(), _cpu_seconds() - cpu, len(statements)))
    finally:
        connection.close()


@dataclass
class Rate:
    per_second: float
    cpu_ms: float  # the worker's own CPU time per operation (Python, Django, the driver)
    statements: int  # SQL statements per operation, BEGIN and COMMIT included


def rate(kind: str, ids: dict[str, Any], *, workers: int, seconds: float) -> Rate:
    """Operations per second of ``workers`` processes running ``kind`` at once for ``seconds``."""
    context = multiprocessing.get_context("spawn")
    barrier, results = context.Barrier(workers), context.Queue()
    processes = [
        context.Process(target=_worker, args=(kind, ids, seconds, barrier, results)) for _ in range(workers)
    ]
    for process in processes:
        process.start()
    outcomes = [results.get(timeout=300) for _ in processes]
    for process in processes:
        process.join()
        assert process.exitcode == 0, f"a {kind} worker failed"
    done = sum(o[0] for o in outcomes)
    elapsed = max(o[2] for o in outcomes) - min(o[1] for o in outcomes)
    return Rate(done / elapsed, 1000 * sum(o[3] for o in outcomes) / done, outcomes[0][4])


def throughput(ids: dict[str, Any], *, db_label: str, seconds: float) -> Table:
    from django.db import connection

    from haicang.inventory.verify import ledger_verify

    raw_table_create()
    connection.close()  # the workers are the only writers while they run
    table = Table(
        f"Stock ledger throughput on {db_label}: one SKU at one warehouse (one hot counter row), {seconds:g} s a run",
        [
            "operation",
            "workers",
            "ops/s",
            "raw guarded UPDATE tx/s",
            "ratio to raw",
            "statements",
            "worker CPU ms/op",
        ],
    )
    for workers in (1, 2):
        raw = rate("raw", ids, workers=workers, seconds=seconds)
        table.add(
            "raw UPDATE", workers, f"{raw.per_second:,.0f}", "", "", raw.statements, f"{raw.cpu_ms:.2f}"
        )
        for kind in ("reservations", "moves"):
            ops = rate(kind, ids, workers=workers, seconds=seconds)
            table.add(
                kind,
                workers,
                f"{ops.per_second:,.0f}",
                f"{raw.per_second:,.0f}",
                f"{ops.per_second / raw.per_second:.2f}x",
                ops.statements,
                f"{ops.cpu_ms:.2f}",
            )
    problems = ledger_verify()
    assert problems == [], problems
    return table


# --- rebuild-balances over N set-based moves ---------------------------------------------------------------


def moves_generate(ids: dict[str, Any], count: int) -> None:
    """Insert ``count`` moves in one INSERT … SELECT: triples of supplier → receiving (3), receiving → a pick
    bin (2), pick bin → customer (1), spread over every (SKU, receipt date of 60, pick bin of 10)."""
    from django.db import connection, models

    from haicang.inventory.models import Move
    from haicang.network.models import Location, LocationKind

    uuid_field = models.UUIDField()

    def prep(value: Any) -> Any:
        return uuid_field.get_db_prep_value(value, connection)

    virtual = dict(Location.objects.filter(warehouse__isnull=True).values_list("kind", "pk"))
    pg = connection.vendor == "postgresql"
    with connection.cursor() as cursor:
        for name, values in (("bench_sku", ids["skus"]), ("bench_bin", ids["picks"])):
            cursor.execute(
                f"CREATE TEMPORARY TABLE {name} (k integer PRIMARY KEY, id {'uuid' if pg else 'char(32)'})"
            )
            insert = f"INSERT INTO {name} (k, id) VALUES (%s, %s)"  # noqa: S608
            cursor.executemany(insert, list(enumerate(map(prep, values))))
        owner, receiving = prep(ids["seller"]), prep(ids["receiving"])
        supplier, customer = prep(virtual[LocationKind.SUPPLIER]), prep(virtual[LocationKind.CUSTOMER])
        if pg:
            series = "generate_series(0, %s - 1) AS g(x)"
            new_id, now = "gen_random_uuid()", "now()"
            day = f"DATE '2026-01-01' + ((x / 3 / {len(ids['skus'])}) %% 60)::int"
        else:
            series = "(WITH RECURSIVE r(x) AS (SELECT 0 UNION ALL SELECT x + 1 FROM r WHERE x < %s - 1) SELECT x FROM r) AS g"
            new_id, now = "lower(hex(randomblob(16)))", "strftime('%%Y-%%m-%%d %%H:%%M:%%f', 'now')"
            day = f"date('2026-01-01', '+' || ((x / 3 / {len(ids['skus'])}) %% 60) || ' days')"
        skus, bins = len(ids["skus"]), len(ids["picks"])
        sql = (
            f"INSERT INTO {connection.ops.quote_name(Move._meta.db_table)} (id, created_at, owner_id, sku_id, lot_code, "  # noqa: S608
            "received_on, quantity, from_location_id, to_location_id, document_type, document_ref, reason, "
            "correction_of_id, actor_kind, actor_label, actor_user_id, effective_at, recorded_at) "
            f"SELECT {new_id}, {now}, %s, s.id, '', {day}, 3 - x %% 3, "
            "CASE x %% 3 WHEN 0 THEN %s WHEN 1 THEN %s ELSE b.id END, "
            "CASE x %% 3 WHEN 0 THEN %s WHEN 1 THEN b.id ELSE %s END, "
            f"'bench', '', '', NULL, 'system', 'bench', NULL, {now}, {now} "
            f"FROM {series} JOIN bench_sku AS s ON s.k = (x / 3) %% {skus} "
            f"JOIN bench_bin AS b ON b.k = (x / 3 / {skus * 60}) %% {bins}"
        )
        cursor.execute(sql, [owner, supplier, receiving, receiving, customer, count])


def _child_run(args: list[str]) -> tuple[float, int, str]:
    """Run ``python -m haicang <args>`` in a child; its wall time, peak RSS (KiB) and output."""
    start = time.perf_counter()
    child = subprocess.Popen(  # noqa: S603
        [sys.executable, "-m", "haicang", *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        cwd=Path(__file__).resolve().parent.parent,
    )
    _, status, usage = os.wait4(child.pid, 0)
    seconds = time.perf_counter() - start
    output = child.stdout.read().decode() if child.stdout else ""
    child.returncode = os.waitstatus_to_exitcode(status)
    assert child.returncode == 0, output
    return seconds, usage.ru_maxrss, output.strip()


def _db_temp_bytes() -> int | None:
    """Bytes PostgreSQL spilled to temporary files in this database so far (sorts and hashes over work_mem)."""
    from django.db import connection

    if connection.vendor != "postgresql":
        return None
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_stat_force_next_flush()")
        cursor.execute("SELECT temp_bytes FROM pg_stat_database WHERE datname = current_database()")
        return int(cursor.fetchone()[0])


def rebuild(ids: dict[str, Any], *, db_label: str, count: int) -> Table:
    from django.db import connection

    from haicang.inventory.models import Balance, StockCounter
    from haicang.inventory.verify import ledger_verify

    generate = timed(lambda: moves_generate(ids, count))
    connection.close()
    temp_before = _db_temp_bytes()
    seconds, peak_kib, output = _child_run(["rebuild-balances"])
    temp_after = _db_temp_bytes()
    verify_seconds = timed(lambda: ledger_verify())
    problems = ledger_verify()
    assert problems == [], problems
    reported = re.search(r"in ([\d.]+) s", output)
    table = Table(
        f"rebuild-balances on {db_label}: {count:,} moves generated set-based in {generate:.1f} s",
        [
            "moves",
            "balances",
            "counters",
            "rebuild s",
            "child wall s",
            "child peak RSS",
            "DB temp spill",
            "verify s",
        ],
    )
    spill = (
        "-" if temp_before is None or temp_after is None else f"{(temp_after - temp_before) / 2**20:,.0f} MiB"
    )
    table.add(
        f"{count:,}",
        f"{Balance.objects.count():,}",
        f"{StockCounter.objects.count():,}",
        reported.group(1) if reported else "?",
        f"{seconds:.1f}",
        f"{peak_kib / 1024:,.0f} MiB",
        spill,
        f"{verify_seconds:.1f}",
    )
    return table


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--db", default="sqlite")
    parser.add_argument("--url")
    parser.add_argument("--quick", action="store_true")
    args = parser.parse_args()
    with django_on(args.url):
        ids = world_create(skus=200)
        print(throughput(ids, db_label=args.db, seconds=1.0 if args.quick else 5.0).render(), end="\n\n")
        print(rebuild(ids, db_label=args.db, count=20_000 if args.quick else 1_000_000).render(), end="\n\n")


if __name__ == "__main__":
    main()
