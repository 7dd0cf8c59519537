"""Webhook subscriptions and their deliveries: the writes a party makes through the API or the UI.

Secrets are shown once, when made (create, rotate), and stored sealed (:mod:`haicang.core.crypto`, AES-GCM
under the data keyring, bound to the subscription's id): only :func:`live_secrets` opens them, to sign a
delivery. During a rotation the previous secret stays live until the time the party chose, and every delivery
is signed with both.
"""

from __future__ import annotations

import ipaddress
import secrets as secrets_module
from collections.abc import Sequence
from datetime import datetime, timedelta
from urllib.parse import urlsplit

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from haicang.core.actors import Actor
from haicang.core.audit import audit_record
from haicang.core.crypto import seal, unseal
from haicang.integration.catalogue import WEBHOOK_TEST, event_type_get
from haicang.integration.errors import (
    DeliveryNotDead,
    EventTypeUnknown,
    SecretRotationInvalid,
    SubscriptionInactive,
    WebhookUrlInvalid,
)
from haicang.integration.models import DeliveryStatus, DisabledCause, WebhookDelivery, WebhookSubscription
from haicang.integration.outbox import Subject, outbox_emit
from haicang.parties.models import Operator, Seller

DEFAULT_ROTATION_OVERLAP = timedelta(hours=24)
MAX_ROTATION_OVERLAP = timedelta(days=7)
SECRET_PREFIX = "whsec_"  # noqa: S105 - a prefix, not a secret


def _secret_new() -> str:
    return SECRET_PREFIX + secrets_module.token_urlsafe(32)


def _secret_context(subscription: WebhookSubscription) -> bytes:
    return f"webhook-secret:{subscription.pk}".encode("ascii")


def _secret_seal(subscription: WebhookSubscription, secret: str) -> bytes:
    return seal(secret.encode(), context=_secret_context(subscription))


def _secret_unseal(subscription: WebhookSubscription, sealed: bytes | memoryview) -> str:
    return unseal(bytes(sealed), context=_secret_context(subscription)).decode()


def _is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def webhook_url_check(url: str) -> str:
    """``url`` if Haicang may post to it: HTTPS, or plain HTTP to a loopback address (any host under DEBUG)."""
    parts = urlsplit(url.strip())
    if parts.scheme not in {"https", "http"} or not parts.hostname:
        raise WebhookUrlInvalid("a webhook URL is an absolute http(s) URL", field="url")
    if parts.username or parts.password:
        raise WebhookUrlInvalid("a webhook URL carries no user name or password", field="url")
    if parts.scheme == "http" and not (settings.DEBUG or _is_loopback(parts.hostname)):
        raise WebhookUrlInvalid("a webhook URL must use HTTPS (plain HTTP only to 127.0.0.1)", field="url")
    return url.strip()


def _event_types_check(event_types: Sequence[str]) -> list[str]:
    names = list(dict.fromkeys(str(name) for name in event_types))
    if not names:
        raise EventTypeUnknown("a subscription names at least one event type", field="event_types")
    unknown = [name for name in names if event_type_get(name) is None]
    if unknown:
        raise EventTypeUnknown(f"not in the event catalogue: {', '.join(unknown)}", field="event_types")
    return names


def live_secrets(subscription: WebhookSubscription, *, now: datetime | None = None) -> list[str]:
    """The secrets deliveries are signed with: the current one, and the previous one until it expires."""
    now = now or timezone.now()
    live = [_secret_unseal(subscription, subscription.secret_sealed)]
    expires = subscription.previous_secret_expires_at
    previous = subscription.previous_secret_sealed
    if previous and expires is not None and expires > now:
        live.append(_secret_unseal(subscription, previous))
    return live


def _snapshot(subscription: WebhookSubscription) -> dict[str, object]:
    return {
        "url": subscription.url,
        "event_types": subscription.event_types,
        "is_active": subscription.is_active,
        "description": subscription.description,
    }


@transaction.atomic
def webhook_subscription_create(
    *, actor: Actor, party: Seller | Operator, url: str, event_types: Sequence[str], description: str = ""
) -> tuple[WebhookSubscription, str]:
    """A new subscription of ``party`` and its secret (shown this once)."""
    secret = _secret_new()
    subscription = WebhookSubscription(
        seller=party if isinstance(party, Seller) else None,
        operator=party if isinstance(party, Operator) else None,
        url=webhook_url_check(url),
        event_types=_event_types_check(event_types),
        description=description[:200],
        secret_created_at=timezone.now(),
    )
    subscription.secret_sealed = _secret_seal(subscription, secret)  # the id is set on construction
    subscription.save(force_insert=True)
    audit_record(actor=actor, action="webhook.created", subject=subscription, after=_snapshot(subscription))
    return subscription, secret


@transaction.atomic
def webhook_subscription_update(
    *,
    actor: Actor,
    subscription: WebhookSubscription,
    url: str | None = None,
    event_types: Sequence[str] | None = None,
    description: str | None = None,
    is_active: bool | None = None,
) -> WebhookSubscription:
    """Change a subscription; turning it on again clears the failure count and the reason it was disabled."""
    before = _snapshot(subscription)
    if url is not None:
        subscription.url = webhook_url_check(url)
    if event_types is not None:
        subscription.event_types = _event_types_check(event_types)
    if description is not None:
        subscription.description = description[:200]
    if is_active is not None and is_active != subscription.is_active:
        subscription.is_active = is_active
        if is_active:
            subscription.consecutive_failures = 0
            subscription.disabled_at = None
            subscription.disabled_reason = ""
            subscription.disabled_cause = ""
            subscription.disabled_acknowledged_at = None
        else:
            now = timezone.now()
            subscription.disabled_at = now
            subscription.disabled_reason = "turned off by the party"
            subscription.disabled_cause = DisabledCause.PARTY
            subscription.disabled_acknowledged_at = now  # nothing to tell the party it did itself
    subscription.save()
    audit_record(
        actor=actor,
        action="webhook.changed",
        subject=subscription,
        before=before,
        after=_snapshot(subscription),
    )
    return subscription


@transaction.atomic
def webhook_subscription_delete(*, actor: Actor, subscription: WebhookSubscription) -> None:
    audit_record(actor=actor, action="webhook.deleted", subject=subscription, before=_snapshot(subscription))
    subscription.delete()


@transaction.atomic
def webhook_secret_rotate(
    *, actor: Actor, subscription: WebhookSubscription, keep_old_until: datetime | None = None
) -> tuple[WebhookSubscription, str]:
    """A new secret (shown this once); the current one stays live until ``keep_old_until`` (default 24 h,
    at most 7 days; ``now`` retires it at once)."""
    now = timezone.now()
    until = now + DEFAULT_ROTATION_OVERLAP if keep_old_until is None else keep_old_until
    if timezone.is_naive(until):
        raise SecretRotationInvalid(
            "the time the old secret expires needs a time zone", field="keep_old_until"
        )
    if until > now + MAX_ROTATION_OVERLAP:
        raise SecretRotationInvalid("the old secret may stay live for at most 7 days", field="keep_old_until")
    secret = _secret_new()
    subscription.previous_secret_sealed = subscription.secret_sealed  # sealed to the same subscription
    subscription.previous_secret_expires_at = max(until, now)
    subscription.secret_sealed = _secret_seal(subscription, secret)
    subscription.secret_created_at = now
    subscription.save()
    audit_record(
        actor=actor,
        action="webhook.secret_rotated",
        subject=subscription,
        after={"previous_secret_expires_at": subscription.previous_secret_expires_at},
    )
    return subscription, secret


@transaction.atomic
def webhook_test_send(*, actor: Actor, subscription: WebhookSubscription) -> WebhookDelivery:
    """Queue a ``webhook.test`` event for this subscription alone; the relay delivers it like any other."""
    if not subscription.is_active:
        raise SubscriptionInactive("turn the subscription on before sending it a test event")
    event = outbox_emit(
        event_type=WEBHOOK_TEST,
        subject=Subject("integration.webhook_subscription", str(subscription.pk)),
        seller_id=subscription.seller_id,
        operator_id=subscription.operator_id,
    )
    now = timezone.now()
    event.fanned_out_at = now  # addressed to this subscription only
    event.save(update_fields=["fanned_out_at"])
    delivery = WebhookDelivery.objects.create(event=event, subscription=subscription, next_attempt_at=now)
    audit_record(actor=actor, action="webhook.test_sent", subject=subscription, after={"event": event.pk})
    return delivery


@transaction.atomic
def webhook_delivery_replay(*, actor: Actor, delivery: WebhookDelivery) -> WebhookDelivery:
    """Queue a dead letter again: a fresh round of attempts, starting now."""
    now = timezone.now()
    updated = WebhookDelivery.objects.filter(pk=delivery.pk, status=DeliveryStatus.DEAD).update(
        status=DeliveryStatus.PENDING,
        attempts=0,
        first_attempt_at=None,
        next_attempt_at=now,
        claimed_until=None,
        claim_token=None,
        updated_at=now,
    )
    if updated != 1:
        raise DeliveryNotDead("only a dead letter can be replayed")
    delivery.refresh_from_db()
    audit_record(
        actor=actor, action="webhook.delivery_replayed", subject=delivery, after={"status": "pending"}
    )
    return delivery


@transaction.atomic
def webhook_deliveries_replay(*, actor: Actor, deliveries: Sequence[WebhookDelivery]) -> int:
    """Queue several dead letters again (the dead-letter list's bulk replay); others are skipped. Returns how
    many were queued."""
    replayed = 0
    for delivery in deliveries:
        try:
            webhook_delivery_replay(actor=actor, delivery=delivery)
        except DeliveryNotDead:
            continue
        replayed += 1
    return replayed


@transaction.atomic
def webhook_disabled_acknowledge(*, actor: Actor, subscription: WebhookSubscription) -> WebhookSubscription:
    """The party saw that the relay turned the subscription off: the banner about it goes away."""
    if subscription.is_active or subscription.disabled_acknowledged_at is not None:
        return subscription
    subscription.disabled_acknowledged_at = timezone.now()
    subscription.save(update_fields=["disabled_acknowledged_at", "updated_at"])
    audit_record(
        actor=actor,
        action="webhook.disabled_acknowledged",
        subject=subscription,
        after={"disabled_acknowledged_at": subscription.disabled_acknowledged_at},
    )
    return subscription
