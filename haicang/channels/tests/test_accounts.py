"""Channel accounts: sealed credentials, uniqueness, disable/enable, audit — on the real databases."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json

import pytest
from django.db import connection

from haicang.channels.errors import CredentialsInvalid, NameTaken, PlatformUnknown, RegionInvalid, ShopTaken
from haicang.channels.models import AccountStatus, ChannelAccount
from haicang.channels.services import (
    channel_account_credentials,
    channel_account_disable,
    channel_account_enable,
    channel_account_update,
    channel_account_webhook_secret,
    channel_webhook_verify,
)
from haicang.channels.tests.factories import make_channel_account
from haicang.channels.tests.fixtures import raw_fixture
from haicang.core.models import AuditEntry
from haicang.parties.tests.factories import SYSTEM, make_seller

pytestmark = pytest.mark.django_db

TOKEN = "shpat_0123456789abcdef-secret-token"
HOOK_SECRET = "whsec-shopify-test-secret"


def _raw_row(pk: object) -> bytes:
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT * FROM {ChannelAccount._meta.db_table} WHERE id = %s",  # noqa: S608 - our table
            [ChannelAccount._meta.pk.get_db_prep_value(pk, connection)],
        )
        row = cursor.fetchone()
    out = b""
    for value in row:
        out += bytes(value) if isinstance(value, bytes | bytearray | memoryview) else str(value).encode()
    return out


def _shopify(seller=None, **fields):
    fields.setdefault("credentials", {"shop_domain": "lumen.myshopify.com", "access_token": TOKEN})
    fields.setdefault("webhook_secret", HOOK_SECRET)
    return make_channel_account(seller or make_seller(), platform="shopify", **fields)


def test_credentials_and_webhook_secret_are_never_in_clear_in_the_row_nor_the_audit_log():
    account = _shopify()  # given an account created with credentials and a webhook secret
    raw = _raw_row(account.pk)  # when its row is read as stored
    audit = "".join(json.dumps(e.changes) for e in AuditEntry.objects.all())
    for secret in (TOKEN, HOOK_SECRET):  # then neither secret is in it nor in the audit trail
        assert secret.encode() not in raw
        assert secret not in audit
    # and the services open them again
    assert channel_account_credentials(account)["access_token"] == TOKEN
    assert channel_account_webhook_secret(account) == HOOK_SECRET
    entry = AuditEntry.objects.filter(action="channel_account.created").get()
    after = entry.changes["after"]
    assert after["credentials"] == ["access_token", "shop_domain"] and after["webhook_secret_set"]


def test_sealed_credentials_are_bound_to_their_account():
    first, second = _shopify(), _shopify()
    second.credentials_sealed = first.credentials_sealed  # a sealed value copied into another row
    from haicang.core.crypto import UnsealError

    with pytest.raises(UnsealError):
        channel_account_credentials(second)


def test_credentials_must_name_what_the_platform_needs():
    with pytest.raises(CredentialsInvalid, match="access_token"):
        _shopify(credentials={"shop_domain": "lumen.myshopify.com"})
    assert ChannelAccount.objects.count() == 0


def test_names_and_stores_are_unique_per_seller():
    seller = make_seller()
    _shopify(seller, name="US store", external_shop_id="lumen")
    with pytest.raises(NameTaken):
        _shopify(seller, name="US store")
    with pytest.raises(ShopTaken):
        _shopify(seller, name="Another", external_shop_id="lumen")
    # another seller may use the same name and store id; two accounts without a store id are fine
    _shopify(make_seller(), name="US store", external_shop_id="lumen")
    _shopify(seller, name="B")
    _shopify(seller, name="C")


def test_unknown_platform_and_bad_region_are_refused():
    with pytest.raises(PlatformUnknown):
        make_channel_account(make_seller(), platform="ebay")
    with pytest.raises(RegionInvalid):
        make_channel_account(make_seller(), platform="temu", region="north america")
    account = make_channel_account(make_seller(), platform="temu", region="us")
    assert account.region == "US" and not account.has_credentials


def test_update_replaces_or_removes_credentials_and_keeps_them_otherwise():
    account = _shopify()
    account = channel_account_update(actor=SYSTEM, account=account, name="Renamed")
    assert channel_account_credentials(account)["access_token"] == TOKEN  # untouched
    new = {"shop_domain": "lumen.myshopify.com", "access_token": "shpat_new", "api_version": "2025-04"}
    account = channel_account_update(actor=SYSTEM, account=account, credentials=new)
    assert channel_account_credentials(account) == new
    account = channel_account_update(actor=SYSTEM, account=account, credentials={}, webhook_secret="")
    assert channel_account_credentials(account) == {} and channel_account_webhook_secret(account) == ""
    assert AuditEntry.objects.filter(action="channel_account.changed").count() == 3


def test_disable_and_enable_are_audited():
    account = _shopify()
    account = channel_account_disable(actor=SYSTEM, account=account)
    assert account.status == AccountStatus.DISABLED and account.disabled_at is not None
    assert channel_account_disable(actor=SYSTEM, account=account).status == AccountStatus.DISABLED  # no-op
    account = channel_account_enable(actor=SYSTEM, account=account)
    assert account.status == AccountStatus.ACTIVE and account.disabled_at is None
    actions = list(
        AuditEntry.objects.filter(action__startswith="channel_account.").values_list("action", flat=True)
    )
    assert sorted(actions) == [
        "channel_account.created",
        "channel_account.disabled",
        "channel_account.enabled",
    ]


def test_a_webhook_is_verified_with_the_accounts_sealed_secret():
    account = _shopify()
    body = raw_fixture("shopify_order")
    signature = base64.b64encode(hmac.new(HOOK_SECRET.encode(), body, hashlib.sha256).digest()).decode()
    assert channel_webhook_verify(
        account=account, headers={"X-Shopify-Hmac-Sha256": signature}, raw_body=body
    )
    assert not channel_webhook_verify(
        account=account, headers={"X-Shopify-Hmac-Sha256": "AAAA"}, raw_body=body
    )
    no_secret = _shopify(webhook_secret=None)
    assert not channel_webhook_verify(
        account=no_secret, headers={"X-Shopify-Hmac-Sha256": signature}, raw_body=body
    )
