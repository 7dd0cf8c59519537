"""The channels API: CRUD of channel accounts (credentials write-only), SKU maps, scoping and roles."""

from __future__ import annotations

import pytest
from rest_framework.test import APIClient

from haicang.catalog.tests.factories import make_sku
from haicang.channels.models import ChannelAccount
from haicang.channels.services import channel_account_credentials
from haicang.channels.tests.factories import make_channel_account
from haicang.parties.tests.factories import SYSTEM, make_agreement, make_member, make_operator, make_seller

pytestmark = pytest.mark.django_db

TOKEN = "shpat_api_secret_value"


def _client(member) -> APIClient:
    client = APIClient()
    client.force_login(member.user)
    return client


def test_an_account_is_created_and_its_credentials_are_never_answered():
    seller = make_seller()
    client = _client(make_member(seller, "order_manager"))
    body = {
        "platform": "shopify",
        "name": "Lumen US",
        "currency": "usd",
        "external_shop_id": "lumen",
        "region": "US",
        "credentials": {"shop_domain": "lumen.myshopify.com", "access_token": TOKEN},
        "webhook_secret": "hook-secret",
    }
    response = client.post("/api/v1/channel-accounts/", body, format="json")  # when
    assert response.status_code == 201, response.content  # then
    data = response.json()
    assert data["currency"] == "USD" and data["has_credentials"] and data["has_webhook_secret"]
    assert data["credential_names"] == ["access_token", "shop_domain"]
    for answer in (
        response,
        client.get(f"/api/v1/channel-accounts/{data['id']}/"),
        client.get("/api/v1/channel-accounts/"),
    ):
        assert TOKEN.encode() not in answer.content and b"hook-secret" not in answer.content
    account = ChannelAccount.objects.get(pk=data["id"])
    assert account.seller == seller and channel_account_credentials(account)["access_token"] == TOKEN


def test_errors_are_problems_naming_the_field():
    client = _client(make_member(make_seller(), "owner"))
    response = client.post(
        "/api/v1/channel-accounts/",
        {"platform": "temu", "name": "T", "currency": "USD", "credentials": {"app_key": "k"}},
        format="json",
    )
    assert response.status_code == 400
    problem = response.json()
    assert problem["code"] == "channels.credentials_invalid"
    assert problem["errors"][0]["field"] == "credentials"
    response = client.post("/api/v1/channel-accounts/", {"platform": "temu", "name": "T"}, format="json")
    assert response.status_code == 400 and response.json()["errors"][0]["field"] == "currency"


def test_update_disable_and_the_platform_cannot_change():
    seller = make_seller()
    account = make_channel_account(seller, platform="temu", name="Temu US")
    client = _client(make_member(seller, "owner"))
    url = f"/api/v1/channel-accounts/{account.pk}/"
    response = client.patch(url, {"name": "Temu US 2", "region": "us"}, format="json")
    assert response.status_code == 200 and response.json()["name"] == "Temu US 2"
    assert response.json()["region"] == "US"
    assert client.patch(url, {"platform": "shein"}, format="json").status_code == 400
    response = client.post(url + "disable/")
    assert response.status_code == 200 and response.json()["status"] == "disabled"
    assert client.get("/api/v1/channel-accounts/?status=disabled").json()["count"] == 1
    assert client.post(url + "enable/").json()["status"] == "active"


def test_roles_and_parties():
    seller, operator = make_seller(), make_operator()
    make_agreement(seller, operator)
    account = make_channel_account(seller)
    url = f"/api/v1/channel-accounts/{account.pk}/"
    # a viewer reads but does not write; a planner (no orders:write) cannot write either
    viewer = _client(make_member(seller, "viewer"))
    assert viewer.get(url).status_code == 200
    assert viewer.patch(url, {"name": "x"}, format="json").status_code == 403
    # an operator with an agreement still sees no channel account
    operator_owner = _client(make_member(operator, "owner"))
    assert operator_owner.get(url).status_code == 404
    assert operator_owner.get("/api/v1/channel-accounts/").json()["count"] == 0
    # another seller's owner gets 404
    assert _client(make_member(make_seller(), "owner")).get(url).status_code == 404


def test_sku_maps_by_id_or_code_and_only_to_the_accounts_seller():
    seller = make_seller()
    account = make_channel_account(seller)
    sku = make_sku(seller, code="LUMEN-TS-BLK-M")
    client = _client(make_member(seller, "order_manager"))
    response = client.post(
        "/api/v1/channel-sku-maps/",
        {"account": str(account.pk), "channel_sku": "shopify-variant-1", "sku_code": "LUMEN-TS-BLK-M"},
        format="json",
    )
    assert response.status_code == 201, response.content
    assert response.json()["sku"] == str(sku.pk) and not response.json()["sku_is_kit"]
    listed = client.get(f"/api/v1/channel-sku-maps/?account={account.pk}").json()
    assert [row["channel_sku"] for row in listed["results"]] == ["shopify-variant-1"]
    other = make_sku(make_seller())
    response = client.post(
        "/api/v1/channel-sku-maps/",
        {"account": str(account.pk), "channel_sku": "x", "sku": str(other.pk)},
        format="json",
    )
    assert response.status_code == 400 and response.json()["code"] == "channels.sku_unknown"
    stranger = make_channel_account(make_seller())
    response = client.post(
        "/api/v1/channel-sku-maps/",
        {"account": str(stranger.pk), "channel_sku": "x", "sku": str(sku.pk)},
        format="json",
    )
    assert response.status_code == 400 and response.json()["code"] == "channels.account_unknown"
    mapping_id = listed["results"][0]["id"]
    assert client.delete(f"/api/v1/channel-sku-maps/{mapping_id}/").status_code == 204


def test_stock_share_rules_and_channel_stock_through_the_api():
    from haicang.channels.models import ChannelStockLevel
    from haicang.inventory.services import stock_receive
    from haicang.inventory.tests.factories import make_stock_world

    # given a seller with 10 units in the warehouse of its agreement and two accounts
    seller, operator = make_seller(), make_operator()
    agreement = make_agreement(seller, operator)
    warehouse = agreement.warehouses.get()
    stock = make_stock_world(seller=seller, warehouse=warehouse)
    stock_receive(actor=SYSTEM, owner=seller, sku=stock.sku, location=stock.pick, quantity=10)
    client = _client(make_member(seller, "order_manager"))
    first = make_channel_account(seller, name="A")
    second = make_channel_account(seller, name="B")
    # when both are given the warehouse (by code and by id) and A a fixed 7 for the SKU
    for account, ref in ((first, warehouse.code), (second, str(warehouse.pk))):
        answer = client.patch(f"/api/v1/channel-accounts/{account.pk}/", {"warehouses": [ref]}, format="json")
        assert answer.status_code == 200, answer.content
        assert answer.json()["warehouses"] == [{"id": str(warehouse.pk), "code": warehouse.code}]
    body = {"account": str(first.pk), "sku_code": stock.sku.code, "mode": "fixed", "quantity": 7, "buffer": 1}
    created = client.post("/api/v1/stock-share-rules/", body, format="json")
    assert created.status_code == 201, created.content
    assert created.json()["quantity"] == 7 and created.json()["sku_code"] == stock.sku.code
    # then the channel stock lists A 6 (7 − 1) and B the 3 left
    listing = client.get("/api/v1/channel-stock/", {"sku_code": stock.sku.code}).json()
    rows = {row["account_name"]: row for row in listing["results"]}
    assert {name: row["quantity"] for name, row in rows.items()} == {"A": 6, "B": 3}
    assert rows["A"]["version"] >= 1 and rows["A"]["updated"]
    assert client.get("/api/v1/channel-stock/", {"account": str(second.pk)}).json()["count"] == 1
    # bad values answer problems with stable codes
    bad = client.post(
        "/api/v1/stock-share-rules/",
        {"account": str(first.pk), "mode": "percent", "percent": "150"},
        format="json",
    )
    assert bad.status_code == 400 and bad.json()["code"] == "channels.share_rule_invalid"
    foreign = client.patch(f"/api/v1/channel-accounts/{first.pk}/", {"warehouses": ["NOPE"]}, format="json")
    assert foreign.status_code == 400 and foreign.json()["code"] == "channels.warehouse_invalid"
    # another seller sees none of it
    other = _client(make_member(make_seller(), "owner"))
    assert other.get("/api/v1/channel-stock/").json()["count"] == 0
    level = ChannelStockLevel.objects.filter(account=first).get()
    assert other.get(f"/api/v1/channel-stock/{level.pk}/").status_code == 404
    # removing the rule gives the SKU back to the equal split
    rule_id = created.json()["id"]
    assert client.delete(f"/api/v1/stock-share-rules/{rule_id}/").status_code == 204
    assert sorted(ChannelStockLevel.objects.values_list("quantity", flat=True)) == [5, 5]


def test_a_maps_listing_ids_and_the_levels_push_state_through_the_api():
    from haicang.channels.stock_push import SandboxTransport, channel_stock_push_run
    from haicang.channels.stock_sync import channel_account_warehouses_set
    from haicang.inventory.services import stock_receive
    from haicang.inventory.tests.factories import make_stock_world

    seller, operator = make_seller(), make_operator()
    warehouse = make_agreement(seller, operator).warehouses.get()
    stock = make_stock_world(seller=seller, warehouse=warehouse)
    stock_receive(actor=SYSTEM, owner=seller, sku=stock.sku, location=stock.pick, quantity=8)
    account = make_channel_account(
        seller,
        platform="temu",
        name="Temu",
        credentials={"app_key": "a", "app_secret": "s", "access_token": "t"},
    )
    channel_account_warehouses_set(actor=SYSTEM, account=account, warehouses=[warehouse])
    client = _client(make_member(seller, "order_manager"))

    bad = client.post(
        "/api/v1/channel-sku-maps/",
        {
            "account": str(account.pk),
            "channel_sku": "T-1",
            "sku_code": stock.sku.code,
            "listing": {"Goods Id": "1"},
        },
        format="json",
    )
    made = client.post(
        "/api/v1/channel-sku-maps/",
        {
            "account": str(account.pk),
            "channel_sku": "T-1",
            "sku_code": stock.sku.code,
            "listing": {"goods_id": "6042", "sku_id": 5822},
        },
        format="json",
    )
    channel_stock_push_run(transport=SandboxTransport())
    level = client.get("/api/v1/channel-stock/", {"account": str(account.pk)}).json()["results"][0]

    assert bad.status_code == 400 and bad.json()["code"] == "channels.listing_invalid"
    assert made.status_code == 201, made.content
    assert made.json()["listing"] == {"goods_id": "6042", "sku_id": "5822"}
    assert (level["quantity"], level["pushed_quantity"], level["push_note"]) == (8, 8, "")
    assert level["pushed_version"] == level["version"] and level["pushed_at"]
