"""Seed the demo world through the same services the product uses. Idempotent: running it twice changes nothing."""

from __future__ import annotations

from django.db import transaction

from haicang.core.actors import Actor
from haicang.core.jobs.services import scheduled_jobs_install_defaults
from haicang.demo.carriers import demo_carriers_build
from haicang.demo.fulfillment import demo_fulfillment_build, demo_operations_build
from haicang.demo.inbound import demo_inbound_build
from haicang.demo.orders import demo_orders_build
from haicang.demo.world import ALL_LOGINS, SELLER_CODE, DemoLogin, demo_world_build
from haicang.parties.models import Seller

__all__ = ["ALL_LOGINS", "DemoLogin", "demo_world_seed"]


@transaction.atomic
def demo_world_seed(*, actor: Actor) -> list[DemoLogin]:
    """Build the demo world (if it is not there yet) and the default schedules; return the logins to print."""
    demo_world_build(actor=actor)
    demo_carriers_build(actor=actor)  # the operators' carriers and rate cards (haicang/demo/carriers.py)
    demo_fulfillment_build(actor=actor)  # box catalogues and pick-up times (haicang/demo/fulfillment.py)
    seller = Seller.objects.get(code=SELLER_CODE)
    demo_inbound_build(actor=actor, seller=seller)
    demo_orders_build(actor=actor, seller=seller)  # channel accounts, order history, stock, today's orders
    demo_operations_build(actor=actor, seller=seller)  # the warehouses' day (haicang/demo/fulfillment.py)
    scheduled_jobs_install_defaults(actor=actor)
    return list(ALL_LOGINS)
