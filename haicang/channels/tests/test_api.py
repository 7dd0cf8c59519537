"""The channels API: CRUD of channel accounts (credentials write-only), SKU maps, scoping and roles."""

from __future__ import annotations

import pytest
from rest_framework.test import APIClient

from haicang.catalog.tests.factories import make_sku
from haicang.channels.models import ChannelAccount
from haicang.channels.services import channel_account_credentials
from haicang.channels.tests.factories import make_channel_account
from haicang.parties.tests.factories import make_agreement, make_member, make_operator, make_seller

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
