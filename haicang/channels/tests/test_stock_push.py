"""The stock push job: levels whose quantity changed (their ``channel.stock_changed`` versions) become each
platform's signed requests — built, not sent, through the sandbox transport; what cannot be pushed is noted and
pushed once fixed; refusals are tried again; listings of one SKU share its quantity; one run at a time."""

from __future__ import annotations

import json
from dataclasses import dataclass

import pytest

from haicang.catalog.tests.factories import make_kit, make_sku
from haicang.channels.connectors.base import PreparedRequest
from haicang.channels.models import ChannelAccount, ChannelStockLevel
from haicang.channels.services import channel_account_update, channel_sku_map_set
from haicang.channels.stock_push import (
    PushResult,
    SandboxTransport,
    _lease_release,
    _lease_take,
    channel_stock_push_run,
)
from haicang.channels.stock_sync import (
    channel_account_warehouses_set,
    channel_stock_recompute,
    channel_stock_sync_run,
)
from haicang.channels.tests.factories import make_channel_account, make_sku_map
from haicang.inventory.services import DemandLine, stock_receive, stock_reserve
from haicang.inventory.tests.factories import StockWorld, make_stock_world
from haicang.network.tests.factories import make_warehouse
from haicang.parties.tests.factories import SYSTEM, make_agreement, make_operator, make_seller

pytestmark = pytest.mark.django_db

SHOPIFY = {"shop_domain": "lumen.myshopify.com", "access_token": "shpat_x", "location_id": "655441491"}
TEMU = {"app_key": "ak", "app_secret": "sk", "access_token": "at"}
AMAZON = {"access_token": "Atza|x", "seller_id": "A3SELLER", "marketplace_id": "ATVPDKIKX0DER"}


@dataclass
class World:
    stock: StockWorld
    shop: ChannelAccount
    temu: ChannelAccount


def _world(*, shop_credentials=SHOPIFY) -> World:
    """100 units of one SKU in one warehouse, sold half and half by a Shopify store and a Temu store."""
    seller, operator = make_seller(), make_operator()
    warehouse = make_warehouse(operator)
    make_agreement(seller, operator, warehouses=[warehouse])
    stock = make_stock_world(seller=seller, warehouse=warehouse)
    stock_receive(actor=SYSTEM, owner=seller, sku=stock.sku, location=stock.pick, quantity=100)
    shop = make_channel_account(seller, platform="shopify", name="Shop", credentials=shop_credentials)
    temu = make_channel_account(seller, platform="temu", name="Temu", credentials=TEMU)
    for account in (shop, temu):
        channel_account_warehouses_set(actor=SYSTEM, account=account, warehouses=[warehouse])
    return World(stock, shop, temu)


def _level(account: ChannelAccount, sku) -> ChannelStockLevel:
    return ChannelStockLevel.objects.get(account=account, sku=sku)


def _bodies(transport: SandboxTransport) -> list[dict]:
    return [json.loads(request.body) for request in transport.sent]


def test_changed_levels_become_each_platforms_signed_request_built_not_sent():
    # given both stores map the SKU with their listing's ids
    w = _world()
    make_sku_map(w.shop, channel_sku="TS-BLK-M", sku=w.stock.sku, listing={"inventory_item_id": "30322695"})
    make_sku_map(
        w.temu, channel_sku="TS-BLK-M", sku=w.stock.sku, listing={"goods_id": "6042", "sku_id": "5822"}
    )
    sandbox = SandboxTransport()

    # when the push job runs
    report = channel_stock_push_run(transport=sandbox)

    # then each store's quantity went into its platform's own call, signed where the platform signs
    assert (report.levels, report.requests, report.pushed, report.skipped, report.failed) == (2, 2, 2, 0, 0)
    shopify, temu = sandbox.sent
    assert shopify.url == "https://lumen.myshopify.com/admin/api/2025-01/graphql.json"
    assert json.loads(shopify.body)["variables"]["input"]["quantities"][0]["quantity"] == 50
    body = json.loads(temu.body)
    assert body["type"] == "bg.local.goods.stock.edit" and body["sign"] == temu.signature
    assert body["skuStockTargetList"] == [{"skuId": 5822, "stockTarget": 50}]
    for account in (w.shop, w.temu):
        level = _level(account, w.stock.sku)
        assert (level.pushed_version, level.pushed_quantity, level.push_note) == (level.version, 50, "")
        assert level.pushed_at is not None

    # a second run has nothing to push
    again = SandboxTransport()
    assert channel_stock_push_run(transport=again).levels == 0 and again.sent == []

    # when stock is reserved, the sync recomputes and the next push sends the new quantities
    stock_reserve(
        actor=SYSTEM, owner=w.stock.seller, warehouse=w.stock.warehouse,
        lines=[DemandLine(w.stock.sku, 10)], demand_type="order", demand_ref="ORD-1",
    )  # fmt: skip
    channel_stock_sync_run()
    later = SandboxTransport()
    channel_stock_push_run(transport=later)
    assert json.loads(later.sent[0].body)["variables"]["input"]["quantities"][0]["quantity"] == 45
    assert json.loads(later.sent[1].body)["skuStockTargetList"][0]["stockTarget"] == 45


def test_what_cannot_be_pushed_is_noted_and_pushed_once_fixed():
    # given a Shopify store without a location, a Temu listing without its ids, and nothing mapped elsewhere
    w = _world(shop_credentials={"shop_domain": "lumen.myshopify.com", "access_token": "shpat_x"})
    make_sku_map(w.shop, channel_sku="TS-BLK-M", sku=w.stock.sku, listing={"inventory_item_id": "30322695"})
    mapping = make_sku_map(w.temu, channel_sku="TS-BLK-M", sku=w.stock.sku)
    unmapped = make_sku(w.stock.seller)
    stock_receive(actor=SYSTEM, owner=w.stock.seller, sku=unmapped, location=w.stock.pick, quantity=4)
    channel_stock_recompute(seller_id=w.stock.seller.pk)
    sandbox = SandboxTransport()

    report = channel_stock_push_run(transport=sandbox)

    # then nothing is sent, every level says why, and none is tried again on the next run
    assert sandbox.sent == [] and report.skipped == 4 and report.pushed == 0
    shop, temu = _level(w.shop, w.stock.sku), _level(w.temu, w.stock.sku)
    assert "location_id" in shop.push_note and shop.pushed_quantity is None
    assert temu.push_note == "TS-BLK-M: the listing needs goods_id, sku_id"
    assert _level(w.temu, unmapped).push_note == "no channel SKU of the account is mapped to this SKU"
    assert channel_stock_push_run(transport=sandbox).levels == 0

    # when the seller completes the credentials and the listing, those levels are due and pushed
    channel_account_update(actor=SYSTEM, account=w.shop, credentials=SHOPIFY)
    channel_sku_map_set(
        actor=SYSTEM, account=w.temu, channel_sku=mapping.channel_sku, sku=w.stock.sku,
        listing={"goods_id": "6042", "sku_id": "5822"},
    )  # fmt: skip
    report = channel_stock_push_run(transport=sandbox)

    assert report.pushed == 2 and len(sandbox.sent) == 2
    assert (_level(w.shop, w.stock.sku).push_note, _level(w.temu, w.stock.sku).pushed_quantity) == ("", 50)


def test_two_listings_of_one_sku_share_its_quantity_and_a_kit_is_pushed_as_its_own_listing():
    w = _world()
    amazon = make_channel_account(w.stock.seller, platform="amazon", name="Amazon US", credentials=AMAZON)
    channel_account_warehouses_set(actor=SYSTEM, account=amazon, warehouses=[w.stock.warehouse])
    stock_share_world_levels = {
        lv.account.name: lv.quantity for lv in ChannelStockLevel.objects.select_related("account")
    }
    assert stock_share_world_levels["Amazon US"] == 33
    make_sku_map(amazon, channel_sku="TS-BLK-M", sku=w.stock.sku)
    make_sku_map(amazon, channel_sku="TS-BLK-M-OLD", sku=w.stock.sku)
    pair = make_kit(w.stock.seller, [(w.stock.sku, 2)], code="TS-PAIR")
    make_sku_map(amazon, channel_sku="TS-PAIR", sku=pair)
    channel_stock_recompute(seller_id=w.stock.seller.pk)
    sandbox = SandboxTransport()

    channel_stock_push_run(transport=sandbox)

    sent = {
        request.url.split("/A3SELLER/")[1].split("?")[0]: json.loads(request.body)["patches"][0]["value"][0][
            "quantity"
        ]
        for request in sandbox.sent
    }
    assert sent == {"TS-BLK-M": 17, "TS-BLK-M-OLD": 16, "TS-PAIR": 16}  # 33 shared; 33 // 2 pairs
    assert sum(v for k, v in sent.items() if k != "TS-PAIR") == _level(amazon, w.stock.sku).quantity


class Refusing:
    def __init__(self) -> None:
        self.calls = 0

    def send(self, request: PreparedRequest) -> PushResult:
        self.calls += 1
        return PushResult(False, "429 Too Many Requests")


def test_a_refused_call_keeps_the_level_due_and_says_why():
    w = _world()
    make_sku_map(w.shop, channel_sku="TS-BLK-M", sku=w.stock.sku, listing={"inventory_item_id": "30322695"})

    report = channel_stock_push_run(transport=Refusing())

    level = _level(w.shop, w.stock.sku)
    assert report.failed == 1 and level.pushed_version == 0
    assert level.push_note == "TS-BLK-M: 429 Too Many Requests"
    assert channel_stock_push_run(transport=SandboxTransport()).pushed == 1
    level.refresh_from_db()
    assert (level.pushed_version, level.push_note) == (level.version, "")


def test_one_run_at_a_time():
    w = _world()
    make_sku_map(w.shop, channel_sku="TS-BLK-M", sku=w.stock.sku, listing={"inventory_item_id": "30322695"})
    assert _lease_take()  # another run holds the lease

    busy = channel_stock_push_run(transport=SandboxTransport())

    assert busy.busy and busy.levels == 0
    _lease_release()
    assert channel_stock_push_run(transport=SandboxTransport()).pushed == 1


def test_a_disabled_account_is_not_pushed():
    from haicang.channels.services import channel_account_disable

    w = _world()
    make_sku_map(w.shop, channel_sku="TS-BLK-M", sku=w.stock.sku, listing={"inventory_item_id": "30322695"})
    channel_account_disable(actor=SYSTEM, account=w.shop)
    sandbox = SandboxTransport()

    channel_stock_push_run(transport=sandbox)

    assert all("myshopify" not in request.url for request in sandbox.sent)
