"""Webhook secrets at rest: sealed in the database, shown once by the API, opened only to sign."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone
from rest_framework.test import APIClient

from haicang.core.crypto import UnsealError
from haicang.core.models import AuditEntry
from haicang.integration.catalogue import STOCK_AVAILABLE_CHANGED
from haicang.integration.models import WebhookSubscription
from haicang.integration.services import (
    live_secrets,
    webhook_secret_rotate,
    webhook_subscription_create,
)
from haicang.parties.tests.factories import SYSTEM, make_member, make_seller

URL = "https://erp.example.com/hooks"


def _raw_row(pk) -> bytes:
    """Every column of the subscription's row as the database holds it, joined into one byte string."""
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT * FROM {WebhookSubscription._meta.db_table} WHERE id = %s",  # noqa: S608 - our table
            [WebhookSubscription._meta.pk.get_db_prep_value(pk, connection)],
        )
        row = cursor.fetchone()
    assert row is not None
    out = b""
    for value in row:
        if isinstance(value, (bytes, bytearray, memoryview)):
            out += bytes(value)
        elif value is not None:
            out += str(value).encode()
        out += b"|"
    return out


@pytest.mark.django_db
def test_the_secret_appears_nowhere_in_clear_in_the_row_nor_in_the_audit_trail():
    # given a subscription and a rotation (two live secrets)
    seller = make_seller()
    subscription, first = webhook_subscription_create(
        actor=SYSTEM, party=seller, url=URL, event_types=[STOCK_AVAILABLE_CHANGED]
    )
    subscription, second = webhook_secret_rotate(actor=SYSTEM, subscription=subscription)

    # when the row is read as stored
    raw = _raw_row(subscription.pk)

    # then neither secret is in it, in any column, nor in any audit entry
    for secret in (first, second):
        assert secret.encode() not in raw
        assert secret[len("whsec_") :].encode() not in raw
    assert b"whsec_" not in raw
    for entry in AuditEntry.objects.all():
        assert first not in str(entry.changes) and second not in str(entry.changes)
    # and yet signing opens both
    assert live_secrets(WebhookSubscription.objects.get(pk=subscription.pk)) == [second, first]


@pytest.mark.django_db
def test_a_sealed_secret_copied_to_another_subscription_does_not_open():
    seller = make_seller()
    one, _ = webhook_subscription_create(actor=SYSTEM, party=seller, url=URL, event_types=["webhook.test"])
    other, _ = webhook_subscription_create(actor=SYSTEM, party=seller, url=URL, event_types=["webhook.test"])

    WebhookSubscription.objects.filter(pk=other.pk).update(secret_sealed=bytes(one.secret_sealed))

    with pytest.raises(UnsealError):
        live_secrets(WebhookSubscription.objects.get(pk=other.pk))


@pytest.mark.django_db
def test_the_api_shows_the_secret_once_at_creation_and_rotation_and_never_when_reading():
    seller = make_seller()
    client = APIClient()
    client.force_login(make_member(seller, "owner").user)

    created = client.post(
        "/api/v1/webhook-subscriptions/", {"url": URL, "event_types": ["webhook.test"]}, format="json"
    )
    pk = created.json()["id"]
    read = client.get(f"/api/v1/webhook-subscriptions/{pk}/")
    listed = client.get("/api/v1/webhook-subscriptions/")
    rotated = client.post(f"/api/v1/webhook-subscriptions/{pk}/rotate-secret/", {}, format="json")

    assert created.json()["secret"].startswith("whsec_")
    assert (
        rotated.json()["secret"].startswith("whsec_") and rotated.json()["secret"] != created.json()["secret"]
    )
    assert "secret" not in read.json() and "secret_sealed" not in read.json()
    assert created.json()["secret"] not in listed.content.decode()


@pytest.mark.django_db(transaction=True)
def test_the_migration_seals_the_secrets_of_existing_rows_and_going_back_unseals_them():
    # given the schema before sealing, with a subscription holding its secrets in clear
    seller = make_seller()
    before, latest = [("integration", "0001_initial")], [("integration", "0003_drop_clear_secrets")]
    executor = MigrationExecutor(connection)
    executor.migrate(before)
    try:
        old_apps = executor.loader.project_state(before).apps
        Old = old_apps.get_model("integration", "WebhookSubscription")
        now = timezone.now()
        old = Old.objects.create(
            seller_id=seller.pk,
            url=URL,
            event_types=["webhook.test"],
            secret="whsec_current-in-clear",
            secret_created_at=now,
            previous_secret="whsec_previous-in-clear",
            previous_secret_expires_at=now + timedelta(hours=1),
        )
        failed = Old.objects.create(
            seller_id=seller.pk,
            url=URL,
            event_types=["webhook.test"],
            secret="whsec_of-a-failing-one",
            secret_created_at=now,
            is_active=False,
            disabled_at=now,
            disabled_reason="turned off after 5 deliveries in a row ended as dead letters",
        )

        # when the migrations run
        executor = MigrationExecutor(connection)
        executor.migrate(latest)

        # then the secrets are sealed, open for signing, and nowhere in clear
        subscription = WebhookSubscription.objects.get(pk=old.pk)
        assert live_secrets(subscription) == ["whsec_current-in-clear", "whsec_previous-in-clear"]
        raw = _raw_row(old.pk)
        assert b"in-clear" not in raw and b"whsec_" not in raw
        # and a subscription the relay had turned off is marked so, its notice not yet seen
        turned_off = WebhookSubscription.objects.get(pk=failed.pk)
        assert turned_off.disabled_cause == "failing" and turned_off.disabled_acknowledged_at is None

        # when the migrations are undone, the clear columns come back with the secrets
        executor = MigrationExecutor(connection)
        executor.migrate(before)
        Old = executor.loader.project_state(before).apps.get_model("integration", "WebhookSubscription")
        back = Old.objects.get(pk=old.pk)
        assert (back.secret, back.previous_secret) == ("whsec_current-in-clear", "whsec_previous-in-clear")
    finally:
        executor = MigrationExecutor(connection)
        executor.migrate(latest)
