"""The integration backbone: webhook events relayed per second to a real HTTP receiver on 127.0.0.1, and the extra
cost the outbox adds to a write transaction.

**Relay.** ``N`` ``stock.available_changed`` events are pending (not yet fanned out) for one seller's
subscription; 1, then 2, spawned worker processes (started once, before both runs) each call
:func:`haicang.integration.relay.relay_run` (fan out, lease a batch, render through the seller's scope, sign,
POST, record) until nothing is due. The receiver is a threaded ``http.server`` in this process that checks
every signature. Beside it, the same workers' plain POST rate to the same receiver (a pre-built body, no
database): the ceiling the HTTP round trip alone allows.

**Outbox cost.** One writer, alternating short rounds of each variant: a one-row guarded ``UPDATE``
transaction (alone, and with an audit entry) with and without an
:func:`~haicang.integration.outbox.outbox_emit` in it — the event's version handed out by the outbox (an
upsert) or taken from the row — and, for scale, the real ``stock_receive`` service as it is (one unit into a
pick bin; it announces ``stock.available_changed`` itself).
"""

from __future__ import annotations

import argparse
import json
import multiprocessing
import resource
import threading
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from bench.harness import Table, django_on

RAW_TABLE = "bench_outbox_row"
PLENTY = 1_000_000_000
BATCH = 50  # deliveries a relay run leases, as the scheduled job does


# --- the world ---------------------------------------------------------------------------------------------


def world_create(*, skus: int) -> dict[str, Any]:
    """A seller, an operator's warehouse with one pick bin, ``skus`` SKUs in stock there, a raw counter row."""
    from django.db import connection
    from django.utils import timezone

    from haicang.catalog.services import sku_create
    from haicang.core.actors import Actor
    from haicang.integration.models import OutboxEvent
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
    pick = location_create(actor=actor, warehouse=warehouse, code="A-01-01-1-1", kind=LocationKind.PICK)
    made = [
        sku_create(actor=actor, seller=seller, code=f"BENCH-{n:05d}", name_en=f"Item {n}")
        for n in range(skus)
    ]
    for sku in made:
        stock_receive(actor=actor, owner=seller, sku=sku, location=pick, quantity=PLENTY)
    # the setup's own announcements predate every subscription: take them out of the relay's way
    OutboxEvent.objects.filter(fanned_out_at__isnull=True).update(fanned_out_at=timezone.now())
    with connection.cursor() as cursor:
        cursor.execute(
            f"CREATE TABLE {RAW_TABLE} (id integer PRIMARY KEY, n bigint NOT NULL, version bigint NOT NULL)"
        )
        cursor.execute(f"INSERT INTO {RAW_TABLE} (id, n, version) VALUES (1, %s, 0)", [PLENTY])  # noqa: S608
    return {
        "seller": seller.pk,
        "operator": operator.pk,
        "warehouse": warehouse.pk,
        "pick": pick.pk,
        "skus": [s.pk for s in made],
    }


def events_emit(ids: dict[str, Any], count: int) -> set[str]:
    """``count`` pending ``stock.available_changed`` events over the world's SKUs, as the ledger writes them."""
    from django.db import transaction

    from haicang.integration.catalogue import STOCK_AVAILABLE_CHANGED
    from haicang.integration.outbox import Subject, outbox_emit
    from haicang.integration.rendering import available_subject_id

    made: set[str] = set()
    for start in range(0, count, 500):
        with transaction.atomic():
            for n in range(start, min(count, start + 500)):
                subject_id = available_subject_id(ids["skus"][n % len(ids["skus"])], ids["warehouse"])
                event = outbox_emit(
                    event_type=STOCK_AVAILABLE_CHANGED,
                    subject=Subject("inventory.available", subject_id),
                    seller_id=ids["seller"],
                    operator_id=ids["operator"],
                )
                made.add(str(event.pk))
    return made


# --- the receiver: real HTTP on 127.0.0.1, in a thread of this process -------------------------------------


@dataclass
class Receiver:
    secret: str = ""
    url: str = ""
    lock: threading.Lock = field(default_factory=threading.Lock)
    event_ids: list[str] = field(default_factory=list)  # every verified delivery, duplicates included
    rejected: int = 0
    raw_posts: int = 0


@contextmanager
def receiver_running() -> Iterator[Receiver]:
    from haicang.integration.signing import SignatureRejected, signature_verify

    state = Receiver()

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
            if self.path == "/raw":
                with state.lock:
                    state.raw_posts += 1
                self._answer(200)
                return
            try:
                signature_verify(
                    body=body,
                    timestamp=self.headers.get("Haicang-Timestamp", ""),
                    signature=self.headers.get("Haicang-Signature", ""),
                    secrets=[state.secret],
                )
            except SignatureRejected:
                with state.lock:
                    state.rejected += 1
                self._answer(400)
                return
            event_id = json.loads(body)["id"]
            with state.lock:
                state.event_ids.append(event_id)
            self._answer(200)

        def _answer(self, code: int) -> None:
            self.send_response(code)
            self.send_header("Content-Length", "2")
            self.end_headers()
            self.wfile.write(b"ok")

        def log_message(self, *args: Any) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.request_queue_size = 64
    state.url = f"http://127.0.0.1:{server.server_port}"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield state
    finally:
        server.shutdown()
        server.server_close()


# --- the relay workers (each a spawned process with its own Django and connection) -------------------------


def _cpu_seconds() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def _work_left() -> bool:
    from django.db.models import Q
    from django.utils import timezone

    from haicang.integration.models import OutboxEvent, WebhookDelivery
    from haicang.integration.relay import DUE

    now = timezone.now()
    free = Q(claimed_until__isnull=True) | Q(claimed_until__lt=now)
    return (
        OutboxEvent.objects.filter(fanned_out_at__isnull=True).exists()
        or WebhookDelivery.objects.filter(free, status__in=DUE, next_attempt_at__lte=now).exists()
    )


def _drain() -> tuple[int, int, int]:
    """Relay runs until nothing is left to fan out or deliver: (delivered, retrying, dead)."""
    from haicang.integration.relay import relay_run

    delivered = retrying = dead = 0
    while True:
        report = relay_run(limit=BATCH)
        delivered, retrying, dead = (
            delivered + report.delivered,
            retrying + report.retrying,
            dead + report.dead,
        )
        if report.fanned_out or report.delivered or report.retrying or report.dead:
            continue
        if not _work_left():
            return delivered, retrying, dead
        time.sleep(0.005)  # another worker holds the rest, or made it due a moment after our run began


def _worker(url: str, commands: Any, results: Any) -> None:
    """Wait for commands: ``("raw", n)`` plain POSTs of a pre-built body, ``("relay", 0)`` drain the outbox."""
    import django

    django.setup()
    from django.db import connection

    from haicang.integration.relay import http_post

    try:
        body = json.dumps({"id": str(uuid.uuid4()), "data": {"padding": "x" * 300}}).encode()
        headers = {"Content-Type": "application/json", "Haicang-Event-Id": "raw"}
        _work_left()  # warm up: connection, imports
        results.put(("ready", 0, 0.0, 0.0, 0.0))
        while (command := commands.get()) is not None:
            kind, count = command
            start, cpu = time.monotonic(), _cpu_seconds()
            outcome: object = count
            if kind == "raw":
                for _ in range(count):
                    status, _excerpt, error = http_post(f"{url}/raw", body, headers)
                    assert status == 200, error
            else:
                outcome = _drain()
            results.put((kind, outcome, start, time.monotonic(), _cpu_seconds() - cpu))
    finally:
        connection.close()


@dataclass
class RelayRun:
    events_per_second: float
    delivered: int
    retrying: int
    dead: int
    cpu_ms: float  # the relay workers' own CPU time per event
    raw_posts_per_second: float


class Workers:
    """Spawned worker processes (each with its own Django and connection), started once for every run."""

    def __init__(self, url: str, count: int) -> None:
        context = multiprocessing.get_context("spawn")
        self.results = context.Queue()
        self.commands = [context.Queue() for _ in range(count)]
        self.processes = [
            context.Process(target=_worker, args=(url, commands, self.results)) for commands in self.commands
        ]
        for process in self.processes:
            process.start()
        for _ in self.processes:
            self.results.get(timeout=300)

    def run(self, kind: str, count: int, *, workers: int) -> list[tuple[Any, ...]]:
        """``kind`` on the first ``workers`` workers at once: each one's (kind, outcome, start, end, CPU s)."""
        for commands in self.commands[:workers]:
            commands.put((kind, count))
        return [self.results.get(timeout=600) for _ in range(workers)]

    def stop(self) -> None:
        for commands in self.commands:
            commands.put(None)
        for process in self.processes:
            process.join()
            assert process.exitcode == 0, "a relay worker failed"


def relay_measure(pool: Workers, *, workers: int, events: int) -> RelayRun:
    raw = pool.run("raw", events // workers, workers=workers)
    relay = pool.run("relay", 0, workers=workers)
    raw_elapsed = max(o[3] for o in raw) - min(o[2] for o in raw)
    relay_elapsed = max(o[3] for o in relay) - min(o[2] for o in relay)
    return RelayRun(
        events_per_second=events / relay_elapsed,
        delivered=sum(o[1][0] for o in relay),
        retrying=sum(o[1][1] for o in relay),
        dead=sum(o[1][2] for o in relay),
        cpu_ms=1000 * sum(o[4] for o in relay) / events,
        raw_posts_per_second=sum(o[1] for o in raw) / raw_elapsed,
    )


def relay_throughput(ids: dict[str, Any], *, db_label: str, events: int) -> Table:
    from django.db import connection

    from haicang.core.actors import Actor
    from haicang.integration.catalogue import STOCK_AVAILABLE_CHANGED
    from haicang.integration.models import DeliveryStatus, WebhookDelivery
    from haicang.integration.services import webhook_subscription_create
    from haicang.parties.models import Seller

    table = Table(
        f"Webhook relay on {db_label}: {events:,} pending events to one subscription, "
        f"real HTTP to 127.0.0.1, batches of {BATCH}",
        [
            "workers",
            "seconds",
            "events/s",
            "delivered",
            "received+verified",
            "duplicates",
            "relay CPU ms/event",
            "plain POST/s",
            "relay vs plain",
        ],
    )
    with receiver_running() as receiver:
        subscription, receiver.secret = webhook_subscription_create(
            actor=Actor.system("bench"),
            party=Seller.objects.get(pk=ids["seller"]),
            url=f"{receiver.url}/hooks",
            event_types=[STOCK_AVAILABLE_CHANGED],
        )
        pool = Workers(receiver.url, 2)
        for workers in (1, 2):
            made = events_emit(ids, events)
            before = len(receiver.event_ids)
            connection.close()  # the workers are the only clients while they run
            run = relay_measure(pool, workers=workers, events=events)
            received = receiver.event_ids[before:]
            delivered = WebhookDelivery.objects.filter(
                subscription=subscription,
                event_id__in=[uuid.UUID(e) for e in made],
                status=DeliveryStatus.DELIVERED,
            ).count()
            assert delivered == run.delivered == events, (delivered, run)
            assert set(received) == made and receiver.rejected == 0
            table.add(
                workers,
                f"{events / run.events_per_second:.2f}",
                f"{run.events_per_second:,.0f}",
                f"{delivered:,}",
                f"{len(set(received)):,}",
                len(received) - len(set(received)),
                f"{run.cpu_ms:.2f}",
                f"{run.raw_posts_per_second:,.0f}",
                f"{run.events_per_second / run.raw_posts_per_second:.2f}x",
            )
        pool.stop()
    return table


# --- the outbox's cost in a write transaction --------------------------------------------------------------


Op = Callable[[], object]


def _write_variants(ids: dict[str, Any]) -> list[tuple[str, Op | None, Op]]:
    """(write, without the outbox, with the outbox) for each representative write; None: no variant without."""
    from django.db import connection, transaction

    from haicang.catalog.models import Sku
    from haicang.core.actors import Actor
    from haicang.core.audit import audit_record
    from haicang.integration.catalogue import STOCK_AVAILABLE_CHANGED
    from haicang.integration.outbox import Subject, outbox_emit
    from haicang.integration.rendering import available_subject_id
    from haicang.inventory.services import stock_receive
    from haicang.network.models import Location
    from haicang.parties.models import Seller

    actor, seller = Actor.system("bench"), Seller.objects.get(pk=ids["seller"])
    sku, pick = Sku.objects.get(pk=ids["skus"][0]), Location.objects.get(pk=ids["pick"])
    subject = Subject("inventory.available", available_subject_id(sku.pk, ids["warehouse"]))

    def update() -> int:
        """The change: take one unit from the counter row if there is one; the row's new version."""
        with connection.cursor() as cursor:
            cursor.execute(
                f"UPDATE {RAW_TABLE} SET n = n - %s, version = version + 1 "  # noqa: S608
                "WHERE id = 1 AND n >= %s RETURNING version",
                [1, 1],
            )
            row = cursor.fetchone()
        assert row is not None
        return int(row[0])

    def emit(version: int | None) -> None:
        outbox_emit(
            event_type=STOCK_AVAILABLE_CHANGED,
            subject=subject,
            subject_version=version,
            seller_id=ids["seller"],
            operator_id=ids["operator"],
        )

    def audit(version: int) -> None:
        audit_record(actor=actor, action="bench.counter_taken", subject=seller, after={"version": version})

    def update_only() -> None:
        with transaction.atomic():
            update()

    def update_emit_issued() -> None:
        with transaction.atomic():
            update()
            emit(None)

    def update_emit_own() -> None:
        with transaction.atomic():
            emit(update())

    def audited() -> None:
        with transaction.atomic():
            audit(update())

    def audited_emit() -> None:
        with transaction.atomic():
            version = update()
            audit(version)
            emit(version)

    def receive() -> None:
        stock_receive(actor=actor, owner=seller, sku=sku, location=pick, quantity=1)

    return [
        ("guarded UPDATE; event version from the outbox", update_only, update_emit_issued),
        ("guarded UPDATE; event version = the row's", update_only, update_emit_own),
        ("guarded UPDATE + audit entry; version = the row's", audited, audited_emit),
        ("stock_receive service as it is (emits its event)", None, receive),
    ]


def _statements(op: Op) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured:
        op()
    return len(captured)


def write_cost(ids: dict[str, Any], *, db_label: str, seconds: float, rounds: int = 5) -> Table:
    """Transactions per second of each write without and with its outbox event, one writer, rounds alternating
    between the two so that a noisy moment of the shared machine hits both alike."""
    table = Table(
        f"Outbox cost in a write transaction on {db_label}: one writer, {seconds:g} s a variant in {rounds} "
        "alternating rounds",
        [
            "write",
            "tx/s without",
            "tx/s with outbox",
            "ratio with/without",
            "extra ms/tx",
            "statements without",
            "statements with",
        ],
    )
    for name, without, with_outbox in _write_variants(ids):
        ops = {"with": with_outbox} if without is None else {"without": without, "with": with_outbox}
        for op in ops.values():
            for _ in range(20):  # warm up: query compilation, caches
                op()
        statements = {label: _statements(op) for label, op in ops.items()}
        done = dict.fromkeys(ops, 0)
        spent = dict.fromkeys(ops, 0.0)
        for _ in range(rounds):
            for label, op in ops.items():
                start = time.perf_counter()
                while time.perf_counter() - start < seconds / rounds:
                    op()
                    done[label] += 1
                spent[label] += time.perf_counter() - start
        rate = {label: done[label] / spent[label] for label in ops}
        if without is None:
            table.add(name, "-", f"{rate['with']:,.0f}", "-", "-", "-", statements["with"])
            continue
        table.add(
            name,
            f"{rate['without']:,.0f}",
            f"{rate['with']:,.0f}",
            f"{rate['with'] / rate['without']:.2f}x",
            f"{1000 / rate['with'] - 1000 / rate['without']:.3f}",
            statements["without"],
            statements["with"],
        )
    return table


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--db", default="sqlite")
    parser.add_argument("--url")
    parser.add_argument("--quick", action="store_true")
    args = parser.parse_args()
    with django_on(args.url):
        ids = world_create(skus=5 if args.quick else 50)
        events = 100 if args.quick else 2000
        print(relay_throughput(ids, db_label=args.db, events=events).render(), end="\n\n")
        seconds, rounds = (0.3, 3) if args.quick else (5.0, 5)
        print(write_cost(ids, db_label=args.db, seconds=seconds, rounds=rounds).render(), end="\n\n")


if __name__ == "__main__":
    main()
