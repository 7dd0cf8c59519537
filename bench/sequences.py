"""Document numbers: one writer vs many concurrent writers, numbers per second, on one database."""

from __future__ import annotations

import argparse
import threading
import uuid
from collections.abc import Callable

from bench.harness import Table, django_on, timed


def run(*, db_label: str, total: int) -> Table:
    from django.db import connection, transaction

    from haicang.core.sequences import document_number_next

    table = Table(
        f"Document numbers on {db_label}: {total} numbers, one transaction each",
        ["writers", "seconds", "numbers/s", "distinct", "vs 1 writer"],
    )
    baseline = None
    for writers in (1, 4, 20):
        scope = uuid.uuid4()
        issued: list[str] = []
        lock = threading.Lock()

        def write(
            count: int, scope: uuid.UUID = scope, issued: list[str] = issued, lock: threading.Lock = lock
        ) -> None:
            try:
                for _ in range(count):
                    with transaction.atomic():
                        number = document_number_next(scope=scope, prefix="ORD", year=2026)
                    with lock:
                        issued.append(number)
            finally:
                connection.close()

        def go(writers: int = writers, write: Callable[[int], None] = write) -> None:
            threads = [threading.Thread(target=write, args=(total // writers,)) for _ in range(writers)]
            for t in threads:
                t.start()
            for t in threads:
                t.join()

        seconds = timed(go)
        rate = len(issued) / seconds
        baseline = baseline or rate
        table.add(
            writers,
            f"{seconds:.3f}",
            f"{rate:,.0f}",
            len(set(issued)) == len(issued),
            f"{rate / baseline:.2f}x",
        )
    return table


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--db", default="sqlite")
    parser.add_argument("--url")
    parser.add_argument("--quick", action="store_true")
    args = parser.parse_args()
    with django_on(args.url):
        print(run(db_label=args.db, total=200 if args.quick else 4000).render(), end="\n\n")


if __name__ == "__main__":
    main()
