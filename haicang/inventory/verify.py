"""Check every invariant of the stock ledger, and rebuild its caches from the moves (set-based SQL).

Invariants:
1. conservation: per (owner, SKU) the balances over all locations sum to zero;
2. balances = the sum of their moves (in minus out) per (owner, SKU, location, lot, layer);
3. no negative balance at a real location or in transit;
4. stock counters = their rows: sellable = on hand in pick and bulk bins per (owner, SKU, warehouse),
   reserved = open reservations;
5. reserved ≤ sellable, and reserved ≥ 0.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db import connection, transaction

from haicang.inventory.models import Balance, Move, Reservation, StockCounter
from haicang.network.models import Location
from haicang.network.models.locations import REAL_KINDS, SELLABLE_KINDS


@dataclass(frozen=True)
class Problem:
    invariant: str
    detail: str

    def __str__(self) -> str:
        return f"{self.invariant}: {self.detail}"


def _q(model: type) -> str:
    return connection.ops.quote_name(model._meta.db_table)  # type: ignore[attr-defined]


def _rows(sql: str, params: list[Any] | None = None) -> list[tuple[object, ...]]:
    with connection.cursor() as cursor:
        cursor.execute(sql, params or [])
        return list(cursor.fetchall())


def _kinds(kinds: frozenset[str]) -> str:
    return ", ".join(f"'{k}'" for k in sorted(kinds))


def _moves_sum_sql() -> str:
    m = _q(Move)
    return (
        f"SELECT owner_id, sku_id, loc, lot_code, received_on, SUM(q) AS qty FROM ("  # noqa: S608
        f" SELECT owner_id, sku_id, to_location_id AS loc, lot_code, received_on, quantity AS q FROM {m}"
        f" UNION ALL"
        f" SELECT owner_id, sku_id, from_location_id AS loc, lot_code, received_on, -quantity AS q FROM {m}"
        f") AS flows GROUP BY owner_id, sku_id, loc, lot_code, received_on"
    )


def ledger_verify(*, limit: int = 50) -> list[Problem]:
    """Every broken invariant (at most ``limit`` per invariant), or an empty list."""
    b, c, r, loc = _q(Balance), _q(StockCounter), _q(Reservation), _q(Location)
    problems: list[Problem] = []
    for owner, sku, total in _rows(
        f"SELECT owner_id, sku_id, SUM(quantity) FROM {b} GROUP BY owner_id, sku_id HAVING SUM(quantity) <> 0 LIMIT {limit}"  # noqa: S608
    ):
        problems.append(Problem("conservation", f"owner {owner} SKU {sku}: balances sum to {total}, not 0"))
    for row in _rows(
        f"SELECT COALESCE(f.owner_id, x.owner_id), COALESCE(f.sku_id, x.sku_id), COALESCE(f.loc, x.location_id), "  # noqa: S608
        f"COALESCE(f.qty, 0), COALESCE(x.quantity, 0) FROM ({_moves_sum_sql()}) AS f "
        f"FULL OUTER JOIN {b} AS x ON x.owner_id = f.owner_id AND x.sku_id = f.sku_id AND x.location_id = f.loc "
        f"AND x.lot_code = f.lot_code AND x.received_on = f.received_on "
        f"WHERE COALESCE(f.qty, 0) <> COALESCE(x.quantity, 0) LIMIT {limit}"
    ):
        problems.append(
            Problem(
                "balances = moves",
                f"owner {row[0]} SKU {row[1]} location {row[2]}: moves give {row[3]}, balance says {row[4]}",
            )
        )
    layered = _kinds(frozenset(REAL_KINDS) | {"in_transit"})
    for owner, sku, location, qty in _rows(
        f"SELECT x.owner_id, x.sku_id, x.location_id, x.quantity FROM {b} AS x JOIN {loc} AS l ON l.id = x.location_id "  # noqa: S608
        f"WHERE l.kind IN ({layered}) AND x.quantity < 0 LIMIT {limit}"
    ):
        problems.append(Problem("no negatives", f"owner {owner} SKU {sku} location {location}: {qty}"))
    sellable = (
        f"SELECT x.owner_id, x.sku_id, l.warehouse_id, SUM(x.quantity) AS qty FROM {b} AS x "  # noqa: S608
        f"JOIN {loc} AS l ON l.id = x.location_id WHERE l.kind IN ({_kinds(frozenset(SELLABLE_KINDS))}) "
        f"GROUP BY x.owner_id, x.sku_id, l.warehouse_id"
    )
    for row in _rows(
        f"SELECT COALESCE(s.owner_id, c.owner_id), COALESCE(s.sku_id, c.sku_id), COALESCE(s.warehouse_id, c.warehouse_id), "  # noqa: S608
        f"COALESCE(s.qty, 0), COALESCE(c.sellable, 0) FROM ({sellable}) AS s FULL OUTER JOIN {c} AS c "
        f"ON c.owner_id = s.owner_id AND c.sku_id = s.sku_id AND c.warehouse_id = s.warehouse_id "
        f"WHERE COALESCE(s.qty, 0) <> COALESCE(c.sellable, 0) LIMIT {limit}"
    ):
        problems.append(
            Problem(
                "counter = sellable",
                f"owner {row[0]} SKU {row[1]} warehouse {row[2]}: bins hold {row[3]}, counter says {row[4]}",
            )
        )
    held = (
        f"SELECT owner_id, sku_id, warehouse_id, SUM(open_quantity) AS qty FROM {r} "  # noqa: S608
        f"WHERE status = 'open' GROUP BY owner_id, sku_id, warehouse_id"
    )
    for row in _rows(
        f"SELECT COALESCE(h.owner_id, c.owner_id), COALESCE(h.sku_id, c.sku_id), COALESCE(h.warehouse_id, c.warehouse_id), "  # noqa: S608
        f"COALESCE(h.qty, 0), COALESCE(c.reserved, 0) FROM ({held}) AS h FULL OUTER JOIN {c} AS c "
        f"ON c.owner_id = h.owner_id AND c.sku_id = h.sku_id AND c.warehouse_id = h.warehouse_id "
        f"WHERE COALESCE(h.qty, 0) <> COALESCE(c.reserved, 0) LIMIT {limit}"
    ):
        problems.append(
            Problem(
                "counter = reservations",
                f"owner {row[0]} SKU {row[1]} warehouse {row[2]}: open reservations {row[3]}, counter says {row[4]}",
            )
        )
    for owner, sku, warehouse, reserved, sellable_qty in _rows(
        f"SELECT owner_id, sku_id, warehouse_id, reserved, sellable FROM {c} WHERE reserved > sellable OR reserved < 0 LIMIT {limit}"  # noqa: S608
    ):
        problems.append(
            Problem(
                "reserved ≤ sellable",
                f"owner {owner} SKU {sku} warehouse {warehouse}: {reserved} reserved of {sellable_qty}",
            )
        )
    return problems


@transaction.atomic
def balances_rebuild() -> dict[str, int]:
    """Recompute balances from the moves and the counters from balances and reservations, in set-based SQL."""
    b, c, r, loc = _q(Balance), _q(StockCounter), _q(Reservation), _q(Location)
    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {b}")  # noqa: S608
        cursor.execute(
            f"INSERT INTO {b} (owner_id, sku_id, location_id, lot_code, received_on, quantity) "  # noqa: S608
            f"SELECT owner_id, sku_id, loc, lot_code, received_on, qty FROM ({_moves_sum_sql()}) AS f WHERE qty <> 0"
        )
        balances = cursor.rowcount
        # Counters keep their rows and versions (the subject versions of their events): zero, then upsert.
        cursor.execute(f"UPDATE {c} SET sellable = 0, reserved = 0")  # noqa: S608
        cursor.execute(
            f"INSERT INTO {c} (owner_id, sku_id, warehouse_id, sellable, reserved, version) "  # noqa: S608
            f"SELECT owner_id, sku_id, warehouse_id, SUM(sellable), SUM(reserved), 0 FROM ("
            f" SELECT x.owner_id, x.sku_id, l.warehouse_id, x.quantity AS sellable, 0 AS reserved FROM {b} AS x"
            f" JOIN {loc} AS l ON l.id = x.location_id WHERE l.kind IN ({_kinds(frozenset(SELLABLE_KINDS))})"
            f" UNION ALL"
            f" SELECT owner_id, sku_id, warehouse_id, 0, open_quantity FROM {r} WHERE status = 'open'"
            f") AS parts GROUP BY owner_id, sku_id, warehouse_id"
            f" ON CONFLICT (owner_id, sku_id, warehouse_id)"
            f" DO UPDATE SET sellable = excluded.sellable, reserved = excluded.reserved"
        )
        counters = cursor.rowcount
    return {"balances": balances, "counters": counters}
