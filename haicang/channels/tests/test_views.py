"""The channel account pages: list, add, edit, disable — secrets never shown back."""

from __future__ import annotations

import pytest
from django.test import Client

from haicang.channels.models import AccountStatus, ChannelAccount
from haicang.channels.services import channel_account_credentials
from haicang.channels.tests.factories import make_channel_account
from haicang.parties.tests.factories import make_member, make_seller

pytestmark = pytest.mark.django_db


def _client(member) -> Client:
    client = Client()
    client.force_login(member.user)
    return client


def test_add_list_and_edit_an_account_without_showing_its_secrets():
    seller = make_seller()
    client = _client(make_member(seller, "owner"))
    form = {
        "platform": "temu",
        "name": "Temu US",
        "currency": "usd",
        "region": "US",
        "credentials": "app_key = k1\napp_secret = SUPERSECRET\naccess_token = tok",
        "webhook_secret": "",
    }
    response = client.post("/channels/new/", form)  # when the owner adds an account
    assert response.status_code == 302  # then it is saved with sealed credentials
    account = ChannelAccount.objects.get(seller=seller)
    assert channel_account_credentials(account)["app_secret"] == "SUPERSECRET"
    listing = client.get("/channels/")
    assert listing.status_code == 200 and b"Temu US" in listing.content and b"app_secret" in listing.content
    edit = client.get(f"/channels/{account.pk}/")
    assert (
        edit.status_code == 200
        and b"SUPERSECRET" not in edit.content
        and b"SUPERSECRET" not in listing.content
    )
    # saving the form with empty credentials keeps them
    saved = client.post(f"/channels/{account.pk}/", {"name": "Temu US 1", "currency": "USD", "region": "US"})
    assert saved.status_code == 302
    account.refresh_from_db()
    assert account.name == "Temu US 1" and channel_account_credentials(account)["app_secret"] == "SUPERSECRET"
    client.post(f"/channels/{account.pk}/status/", {"status": "disabled"})
    account.refresh_from_db()
    assert account.status == AccountStatus.DISABLED


def test_incomplete_credentials_and_a_taken_name_are_shown_on_the_form():
    seller = make_seller()
    make_channel_account(seller, name="Taken")
    client = _client(make_member(seller, "owner"))
    response = client.post("/channels/new/", {"platform": "shopify", "name": "Taken", "currency": "USD"})
    assert (
        response.status_code == 400 and "You already have a channel account with this name." in response.text
    )
    response = client.post(
        "/channels/new/",
        {"platform": "shopify", "name": "New", "currency": "USD", "credentials": "shop_domain = x"},
    )
    assert response.status_code == 400 and "access_token" in response.text
    assert ChannelAccount.objects.filter(seller=seller).count() == 1


def test_a_viewer_reads_but_cannot_add_and_another_seller_gets_404():
    seller = make_seller()
    account = make_channel_account(seller)
    viewer = _client(make_member(seller, "viewer"))
    assert viewer.get("/channels/").status_code == 200
    assert viewer.get("/channels/new/").status_code == 403
    assert viewer.post(f"/channels/{account.pk}/", {"name": "x", "currency": "USD"}).status_code == 403
    assert _client(make_member(make_seller(), "owner")).get(f"/channels/{account.pk}/").status_code == 404


def test_the_account_page_sets_warehouses_and_rules_and_shows_the_channel_stock():
    from haicang.channels.models import ChannelStockLevel, StockShareRule
    from haicang.inventory.services import stock_receive
    from haicang.inventory.tests.factories import make_stock_world
    from haicang.network.tests.factories import make_warehouse
    from haicang.parties.tests.factories import SYSTEM, make_agreement, make_operator

    # given a seller with 40 units in a warehouse of its agreement, and one account
    seller = make_seller()
    operator = make_operator()
    warehouse = make_warehouse(operator)
    make_agreement(seller, operator, warehouses=[warehouse])
    stock = make_stock_world(seller=seller, warehouse=warehouse)
    stock_receive(actor=SYSTEM, owner=seller, sku=stock.sku, location=stock.pick, quantity=40)
    account = make_channel_account(seller, name="Lumen Shop")
    client = _client(make_member(seller, "owner"))
    page = client.get(f"/channels/{account.pk}/")
    assert page.status_code == 200 and warehouse.code.encode() in page.content
    # when the owner ticks the warehouse, then sets a 25 % rule with a buffer of 2
    response = client.post(f"/channels/{account.pk}/warehouses/", {"warehouses": [str(warehouse.pk)]})
    assert response.status_code == 302
    response = client.post(
        f"/channels/{account.pk}/share-rules/",
        {"sku_code": "", "mode": "percent", "value": "25", "buffer": "2"},
    )
    assert response.status_code == 302
    # then the page shows the rule and the quantity it may sell: 25 % of 40 − 2 = 8
    assert ChannelStockLevel.objects.get(account=account, sku=stock.sku).quantity == 8
    page = client.get(f"/channels/{account.pk}/")
    assert b'id="channel-stock"' in page.content and stock.sku.code.encode() in page.content
    assert b"25.00 %" in page.content
    # a bad percent is refused on the page, and a rule is removed
    bad = client.post(
        f"/channels/{account.pk}/share-rules/", {"mode": "percent", "value": "120", "buffer": "0"}
    )
    assert bad.status_code == 400
    rule = StockShareRule.objects.get(account=account)
    assert client.post(f"/channels/{account.pk}/share-rules/{rule.pk}/delete/").status_code == 302
    assert not StockShareRule.objects.filter(account=account).exists()
    assert ChannelStockLevel.objects.get(account=account, sku=stock.sku).quantity == 40


def test_a_viewer_sees_the_channel_stock_but_no_forms():
    seller = make_seller()
    account = make_channel_account(seller)
    page = _client(make_member(seller, "viewer")).get(f"/channels/{account.pk}/")
    assert page.status_code == 200
    assert b'id="channel-stock"' in page.content and b"share-rules/" not in page.content
