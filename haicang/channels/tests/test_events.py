"""``channel.stock_changed`` — a plain SKU's level and a kit's — renders for the seller exactly what the event
catalogue's schema declares, field by field, inside a valid envelope."""

from __future__ import annotations

import pytest

from haicang.catalog.tests.factories import make_kit, make_sku
from haicang.channels.stock_sync import channel_account_warehouses_set, channel_stock_recompute
from haicang.channels.tests.event_schemas import assert_follows_catalogue
from haicang.channels.tests.factories import make_channel_account
from haicang.integration.models import OutboxEvent
from haicang.integration.rendering import envelope, event_data
from haicang.inventory.services import stock_receive
from haicang.inventory.tests.factories import make_stock_world
from haicang.network.tests.factories import make_warehouse
from haicang.parties.roles import PartyKind, permissions_for
from haicang.parties.scoping import Scope
from haicang.parties.tests.factories import SYSTEM, make_agreement, make_operator, make_seller

pytestmark = pytest.mark.django_db


def test_every_channel_stock_changed_event_follows_its_schema():
    seller, operator = make_seller(), make_operator()
    warehouse = make_warehouse(operator)
    make_agreement(seller, operator, warehouses=[warehouse])
    stock = make_stock_world(seller=seller, warehouse=warehouse)
    saucer = make_sku(seller, code="SAUCER")
    for sku in (stock.sku, saucer):
        stock_receive(actor=SYSTEM, owner=seller, sku=sku, location=stock.pick, quantity=12)
    make_kit(seller, [(stock.sku, 2), (saucer, 1)], code="SET")
    account = make_channel_account(seller, platform="temu", name="Temu US")
    channel_account_warehouses_set(actor=SYSTEM, account=account, warehouses=[warehouse])
    channel_stock_recompute(seller_id=seller.pk)
    scope = Scope(
        actor=SYSTEM,
        party_kind=PartyKind.SELLER,
        party_id=seller.pk,
        permissions=permissions_for(PartyKind.SELLER, "owner"),
    )

    events = list(OutboxEvent.objects.filter(event_type="channel.stock_changed").order_by("pk"))

    rendered = []
    for event in events:
        data = event_data(event, scope)
        assert data is not None
        assert_follows_catalogue(event.event_type, data, envelope=envelope(event, data))
        rendered.append((data["sku"]["code"], data["quantity"]))
    assert sorted(rendered) == [("SAUCER", 12), ("SET", 6), (stock.sku.code, 12)]
