"""Bins from ranges: one bulk insert per range vs one service call per bin, bins per second, on one database."""

from __future__ import annotations

import argparse
import itertools

from bench.harness import Table, django_on, timed

_n = itertools.count(1)


def run(*, db_label: str, sizes: tuple[int, ...], one_by_one: int) -> Table:
    from haicang.core.actors import Actor
    from haicang.network.models import Location, Warehouse
    from haicang.network.services import location_create, locations_create_range, warehouse_create
    from haicang.parties.services import operator_create

    actor = Actor.system("bench")
    operator = operator_create(
        actor=actor, code="bench-op", name="Bench", country="DE", billing_currency="EUR"
    )

    def warehouse() -> Warehouse:
        n = next(_n)
        return warehouse_create(
            actor=actor,
            operator=operator,
            code=f"B{n}",
            name=f"Bench {n}",
            address_line1="Bench Street 1",
            city="Frankfurt",
            country="DE",
            time_zone="Europe/Berlin",
            currency="EUR",
        )

    table = Table(
        f"Bins from ranges on {db_label}: serpentine plan + all-or-nothing insert",
        ["variant", "bins", "seconds", "bins/s", "rows"],
    )
    for size in sizes:
        wh = warehouse()
        aisles = max(1, size // (20 * 4 * 3))

        def create(wh: Warehouse = wh, aisles: int = aisles) -> None:
            locations_create_range(
                actor=actor,
                warehouse=wh,
                zone="A",
                aisles=(1, aisles),
                racks=(1, 20),
                levels=(1, 4),
                positions=(1, 3),
            )

        seconds = timed(create)
        count = Location.objects.filter(warehouse=wh, zone="A").count()
        table.add(
            "range, bulk insert", count, f"{seconds:.3f}", f"{count / seconds:,.0f}", count == aisles * 240
        )

    wh = warehouse()

    def singles(wh: Warehouse = wh) -> None:
        for i in range(one_by_one):
            location_create(
                actor=actor,
                warehouse=wh,
                code=f"S-01-{i // 12 + 1:02d}-{i % 4 + 1}-{i % 12 // 4 + 1}",
                kind="pick",
            )

    seconds = timed(singles)
    count = Location.objects.filter(warehouse=wh, zone="S").count()
    table.add("location_create each", count, f"{seconds:.3f}", f"{count / seconds:,.0f}", count == one_by_one)
    return table


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--db", default="sqlite")
    parser.add_argument("--url")
    parser.add_argument("--quick", action="store_true")
    args = parser.parse_args()
    with django_on(args.url):
        sizes = (240, 2400) if args.quick else (2400, 24000)
        print(run(db_label=args.db, sizes=sizes, one_by_one=240 if args.quick else 1200).render(), end="\n\n")


if __name__ == "__main__":
    main()
