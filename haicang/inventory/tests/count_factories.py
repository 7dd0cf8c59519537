"""A stocked world for cycle-count tests: a seller under agreement with the operator of a warehouse, its
manager and warehouse staff, and stock in bins."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from haicang.core.actors import Actor
from haicang.core.money import Money
from haicang.inventory.counting import count_task_create
from haicang.inventory.models import CountTask
from haicang.inventory.services import stock_receive
from haicang.inventory.tests.factories import StockWorld, make_stock_world
from haicang.parties.models import Membership, Operator
from haicang.parties.tests.factories import SYSTEM, make_agreement, make_member, make_operator, make_seller


@dataclass
class CountWorld:
    stock: StockWorld
    operator: Operator
    manager: Membership
    staff: Membership
    seller_owner: Membership | None = None

    @property
    def manager_actor(self) -> Actor:
        return Actor.for_user(self.manager.user)

    @property
    def staff_actor(self) -> Actor:
        return Actor.for_user(self.staff.user)

    def receive(self, location: Any, quantity: int, *, sku: Any = None, lot_code: str = "") -> None:
        stock_receive(
            actor=SYSTEM,
            owner=self.stock.seller,
            sku=sku or self.stock.sku,
            location=location,
            quantity=quantity,
            lot_code=lot_code,
        )

    def task(self, *locations: Any, **fields: Any) -> CountTask:
        fields.setdefault("assignee", self.staff.user)
        if "sku" not in fields:
            fields["locations"] = list(locations) or [self.stock.pick]
        return count_task_create(actor=self.manager_actor, warehouse=self.stock.warehouse, **fields)


def make_count_world(**sku_fields: Any) -> CountWorld:
    """The SKU costs EUR 1.00 unless ``purchase_cost`` is given (None: no cost known)."""
    sku_fields.setdefault("purchase_cost", Money(Decimal("1.00"), "EUR"))
    operator = make_operator()
    agreement = make_agreement(make_seller(currency="EUR"), operator)
    warehouse = agreement.warehouses.get()
    stock = make_stock_world(seller=agreement.seller, warehouse=warehouse, **sku_fields)
    return CountWorld(
        stock=stock,
        operator=operator,
        manager=make_member(operator, "manager"),
        staff=make_member(operator, "warehouse_staff"),
    )
