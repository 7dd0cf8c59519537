"""A child process for ``test_crash``: post batches of ledger work in a loop, one transaction per batch, until
it is killed. Run as ``python -m haicang.inventory.tests.crash_batches`` with ``DATABASE_URL`` naming the test
database and ``CRASH_WORLD`` the seller, SKU and bins (primary keys, comma-separated).

Each batch receives, puts away, reserves and ships: ``PER_BATCH`` moves, all with the document reference
``<run>-<n>`` (``CRASH_RUN``). It prints ``begin <n>`` before a batch and ``committed <n>`` after its commit.
"""

from __future__ import annotations

import datetime as dt
import functools
import os

from django.db import connection

ROUNDS = 40  # receive, put away, ship: three moves a round
PER_BATCH = 3 * ROUNDS
RECEIVED = dt.datetime(2026, 1, 5, 9, tzinfo=dt.UTC)  # one receipt layer: every round's moves are single


def database_url() -> str:
    """The URL of the database this process is connected to (in a test: the test database)."""
    db = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{db['NAME']}"
    password = f":{db['PASSWORD']}" if db.get("PASSWORD") else ""
    return (
        f"postgresql://{db['USER']}{password}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"
    )


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "haicang.settings_test")
    import django

    django.setup()
    from haicang.catalog.models import Sku
    from haicang.core.actors import Actor
    from haicang.inventory import locks
    from haicang.inventory.services import DemandLine, stock_consume, stock_move, stock_receive, stock_reserve
    from haicang.network.models import Location, Warehouse
    from haicang.parties.models import Seller

    seller_id, sku_id, receiving_id, pick_id = os.environ["CRASH_WORLD"].split(",")
    seller, sku = Seller.objects.get(pk=seller_id), Sku.objects.get(pk=sku_id)
    receiving, pick = Location.objects.get(pk=receiving_id), Location.objects.get(pk=pick_id)
    warehouse = Warehouse.objects.get(locations=pick)
    actor = Actor.system("crash test")
    run = os.environ.get("CRASH_RUN", "run")

    def batch(n: int) -> None:
        ref = f"{run}-{n}"
        for _ in range(ROUNDS):
            stock_receive(actor=actor, owner=seller, sku=sku, location=receiving, quantity=2,
                          document_ref=ref, effective_at=RECEIVED)  # fmt: skip
            stock_move(actor=actor, owner=seller, sku=sku, from_location=receiving, to_location=pick, quantity=2,
                       document_ref=ref)  # fmt: skip
            [held] = stock_reserve(actor=actor, owner=seller, warehouse=warehouse,
                                   lines=[DemandLine(sku, 1)], demand_type="order", demand_ref=ref)  # fmt: skip
            stock_consume(actor=actor, reservation=held, document_ref=ref)

    n = 0
    while True:
        n += 1
        print(f"begin {n}", flush=True)
        locks.ledger_atomic(functools.partial(batch, n))
        print(f"committed {n}", flush=True)


if __name__ == "__main__":
    main()
