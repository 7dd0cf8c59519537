"""``haicang rotate-keys``: a new data key, every registered sealed column re-sealed under it in batches; old
data still reads; idempotent and resumable; the blind index keeps working (its key never rotates)."""

from __future__ import annotations

import json
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from haicang.channels.models import ChannelAccount
from haicang.channels.services import channel_account_credentials, channel_account_webhook_secret
from haicang.channels.tests.factories import make_channel_account
from haicang.core import blind_index
from haicang.core.crypto import configured_keyring, sealed_version
from haicang.core.keyfiles import DATA_KEYS_FILE, data_key_add
from haicang.core.sealing import sealed_fields
from haicang.integration.models import WebhookSubscription
from haicang.integration.services import live_secrets, webhook_subscription_create
from haicang.orders.contact import SEALED_COLUMNS, contact_open
from haicang.orders.models import Order
from haicang.orders.selectors import search_condition
from haicang.orders.tests.factories import CUSTOMER, SYSTEM, make_order

pytestmark = pytest.mark.django_db


@pytest.fixture
def own_keys(settings, tmp_path):
    """A data folder of this test's own, so rotating does not touch the other tests' keyring."""
    settings.DATA_DIR = tmp_path
    configured_keyring.cache_clear()
    blind_index._index_key.cache_clear()
    configured_keyring()  # creates the key file of version 1
    yield tmp_path
    configured_keyring.cache_clear()
    blind_index._index_key.cache_clear()


def _rotate(*args: str) -> str:
    out = StringIO()
    call_command("rotate_keys", *args, stdout=out, stderr=StringIO())
    return out.getvalue()


def _versions(order: Order) -> set[str]:
    order = Order.objects.get(pk=order.pk)
    return {sealed_version(bytes(getattr(order, c))) for c in SEALED_COLUMNS.values() if getattr(order, c)}


def test_every_sealed_column_the_apps_hold_is_registered():
    labels = {entry.label for entry in sealed_fields()}

    assert {f"orders.Order.{column}" for column in SEALED_COLUMNS.values()} <= labels
    assert {
        "core.IdempotencyRecord.response_body",
        "integration.WebhookSubscription.secret_sealed",
        "integration.WebhookSubscription.previous_secret_sealed",
        "channels.ChannelAccount.credentials_sealed",
        "channels.ChannelAccount.webhook_secret_sealed",
    } <= labels


def test_rotating_reseals_every_value_under_the_new_key_and_old_data_still_reads(own_keys, seller):
    # given orders, a channel account with credentials and a webhook subscription, all sealed under key 1
    account = make_channel_account(
        seller,
        name="Lumen US",
        currency="USD",
        credentials={"shop_domain": "lumen.myshopify.com", "access_token": "shpat_123"},
        webhook_secret="shpss_abc",
    )
    orders = [make_order(account, external_id=f"R-{n}") for n in range(7)]
    subscription, secret = webhook_subscription_create(
        actor=SYSTEM, party=seller, url="http://127.0.0.1:9/hook", event_types=["order.created"]
    )
    assert _versions(orders[0]) == {"1"}

    # when the keys are rotated (batches of 3, so several batches per column)
    output = _rotate("--batch-size", "3")

    # then the key file holds both versions, the new one current, and every value is under it
    ring = json.loads((own_keys / DATA_KEYS_FILE).read_text())
    assert ring["current"] == "2" and set(ring["keys"]) == {"1", "2"}
    assert "orders.Order.ship_name_sealed: 7 re-sealed" in output
    for order in orders:
        assert _versions(order) == {"2"}
        assert contact_open(Order.objects.get(pk=order.pk)).name == CUSTOMER["name"]
    account = ChannelAccount.objects.get(pk=account.pk)
    assert sealed_version(bytes(account.credentials_sealed or b"")) == "2"
    assert channel_account_credentials(account)["access_token"] == "shpat_123"
    assert channel_account_webhook_secret(account) == "shpss_abc"
    subscription = WebhookSubscription.objects.get(pk=subscription.pk)
    assert sealed_version(bytes(subscription.secret_sealed or b"")) == "2" and live_secrets(subscription) == [
        secret
    ]
    # the blind index did not move: a search by e-mail still finds the orders
    assert Order.objects.filter(search_condition(CUSTOMER["email"])).count() == 7


def test_running_again_changes_nothing_and_an_interrupted_rotation_resumes(own_keys, seller):
    account = make_channel_account(seller, name="Lumen US", currency="USD")
    first = make_order(account)
    _rotate()
    sealed = bytes(Order.objects.get(pk=first.pk).ship_email_sealed or b"")

    again = _rotate("--resume")

    assert "0 re-sealed" in again and "1 already current" in again
    assert bytes(Order.objects.get(pk=first.pk).ship_email_sealed or b"") == sealed  # untouched

    # a rotation interrupted after its key was added: values are still under 2, and they still open
    data_key_add(own_keys)
    configured_keyring.cache_clear()
    second = make_order(account)  # written under 3 meanwhile
    assert _versions(first) == {"2"} and _versions(second) == {"3"}
    assert contact_open(Order.objects.get(pk=first.pk)).phone == "+14155550173"
    resumed = _rotate("--resume")
    assert "orders.Order.ship_phone_sealed: 1 re-sealed, 1 already current" in resumed
    assert _versions(first) == {"3"}


def test_a_process_that_read_the_keys_before_a_rotation_still_opens_new_values(own_keys, seller):
    account = make_channel_account(seller, name="Lumen US", currency="USD")
    order = make_order(account)
    configured_keyring()  # this process has the old keyring cached
    data_key_add(own_keys)  # another process rotates
    from haicang.core.crypto import Keyring
    from haicang.core.keyfiles import load_data_keys
    from haicang.core.sealing import sealed_field_reseal

    fresh = Keyring.from_mapping(load_data_keys(own_keys))
    for entry in sealed_fields():
        sealed_field_reseal(entry, keyring=fresh)

    assert contact_open(Order.objects.get(pk=order.pk)).name == CUSTOMER["name"]  # reloads on version 2


def test_keys_from_the_environment_cannot_be_rotated_by_the_command(own_keys, monkeypatch):
    monkeypatch.setenv("HAICANG_DATA_KEYS", json.dumps(json.loads((own_keys / DATA_KEYS_FILE).read_text())))

    with pytest.raises(CommandError, match="HAICANG_DATA_KEYS"):
        _rotate()


def test_the_report_counts_values_per_key_version(own_keys, seller):
    account = make_channel_account(seller, name="Lumen US", currency="USD")
    make_order(account)

    report = _rotate("--report")

    assert "orders.Order.ship_name_sealed: v1: 1" in report
