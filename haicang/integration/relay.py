"""The relay: fan events out to subscriptions, claim due deliveries, POST them, record the outcome.

No database lock is held across a network call: a claim is a guarded UPDATE that gives the deliveries a lease
(``claimed_until``) and a token, committed before any POST; each outcome is recorded in its own transaction,
only if the token still holds. A relay that dies after its claim loses nothing: when the lease runs out the
next run takes the delivery again (at least once — receivers deduplicate on ``Haicang-Event-Id``).
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any
from urllib import error as urllib_error
from urllib import request as urllib_request

from django.db import transaction
from django.db.models import F, Q
from django.db.models.functions import Coalesce
from django.utils import timezone

from haicang.core.audit import audit_record
from haicang.integration import retry_rules
from haicang.integration.models import (
    DeliveryStatus,
    DisabledCause,
    OutboxEvent,
    WebhookDelivery,
    WebhookSubscription,
)
from haicang.integration.rendering import (
    RELAY_ACTOR,
    envelope,
    event_data,
    event_visible,
    subscription_scope,
)
from haicang.integration.services import live_secrets
from haicang.integration.signing import signature_header

DISABLE_AFTER_DEAD = 5  # dead letters in a row before a subscription is turned off
EXCERPT_CHARS = 200
DUE = (DeliveryStatus.PENDING, DeliveryStatus.FAILED)


@dataclass
class RelayReport:
    fanned_out: int = 0
    delivered: int = 0
    retrying: int = 0
    dead: int = 0


def relay_fan_out(*, now: datetime | None = None, limit: int = 500) -> int:
    """Make a delivery for every active subscription of the parties an event concerns whose event types match
    and whose party may see the subject. Returns how many deliveries were made."""
    now = now or timezone.now()
    made = 0
    with transaction.atomic():
        events = list(OutboxEvent.objects.filter(fanned_out_at__isnull=True).order_by("id")[:limit])
        if not events:
            return 0
        # the guarded update: a concurrent relay that fans the same events out finds them taken
        taken = OutboxEvent.objects.filter(pk__in=[e.pk for e in events], fanned_out_at__isnull=True).update(
            fanned_out_at=now
        )
        if taken == 0:
            return 0
        sellers = {e.seller_id for e in events if e.seller_id}
        operators = {e.operator_id for e in events if e.operator_id}
        subscriptions = list(
            WebhookSubscription.objects.filter(is_active=True).filter(
                Q(seller_id__in=sellers) | Q(operator_id__in=operators)
            )
        )
        deliveries = []
        for event in events:
            for subscription in subscriptions:
                party = subscription.seller_id or subscription.operator_id
                if event.event_type not in subscription.event_types or party not in (
                    event.seller_id,
                    event.operator_id,
                ):
                    continue
                if subscription.created_at > event.occurred_at:
                    continue  # a subscription receives what happens after it was made
                if not event_visible(event, subscription_scope(subscription)):
                    continue  # the party may not see this subject
                deliveries.append(
                    WebhookDelivery(event=event, subscription=subscription, next_attempt_at=now)
                )
        made = len(WebhookDelivery.objects.bulk_create(deliveries, ignore_conflicts=True))
    return made


def relay_claim(
    *,
    now: datetime | None = None,
    limit: int = 50,
    lease: timedelta | None = None,
    only: Sequence[uuid.UUID] | None = None,
) -> tuple[uuid.UUID, list[WebhookDelivery]]:
    """Lease up to ``limit`` due deliveries (of ``only`` these, if given) to this run (committed before
    returning)."""
    now = now or timezone.now()
    lease = lease or timedelta(seconds=retry_rules.TIMEOUT_SECONDS * limit + 60)
    token = uuid.uuid4()
    free = Q(claimed_until__isnull=True) | Q(claimed_until__lt=now)
    with transaction.atomic():
        due = WebhookDelivery.objects.filter(
            free, status__in=DUE, next_attempt_at__lte=now, subscription__is_active=True
        )
        if only is not None:
            due = due.filter(pk__in=list(only))
        candidates = list(due.order_by("next_attempt_at").values_list("pk", flat=True)[:limit])
        if candidates:
            WebhookDelivery.objects.filter(free, pk__in=candidates, status__in=DUE).update(
                claimed_until=now + lease,
                claim_token=token,
                attempts=F("attempts") + 1,
                last_attempt_at=now,
                first_attempt_at=Coalesce(F("first_attempt_at"), now),
            )
    claimed = list(
        WebhookDelivery.objects.filter(claim_token=token)
        .select_related("event", "subscription")
        .order_by("pk")
    )
    return token, claimed


class _NoRedirects(urllib_request.HTTPRedirectHandler):
    def redirect_request(self, *args: Any, **kwargs: Any) -> None:
        return None  # a redirect is an answer like any other non-2xx: retried, never followed


_OPENER = urllib_request.build_opener(_NoRedirects)


def http_post(url: str, body: bytes, headers: dict[str, str]) -> tuple[int | None, str, str]:
    """POST ``body``: (status code or None, response excerpt, error)."""
    req = urllib_request.Request(url, data=body, headers=headers, method="POST")  # noqa: S310 - checked URL
    try:
        with _OPENER.open(req, timeout=retry_rules.TIMEOUT_SECONDS) as response:
            return response.status, response.read(EXCERPT_CHARS).decode("utf-8", "replace"), ""
    except urllib_error.HTTPError as exc:
        return exc.code, exc.read(EXCERPT_CHARS).decode("utf-8", "replace"), ""
    except (urllib_error.URLError, OSError, ValueError) as exc:
        reason = getattr(exc, "reason", exc)
        return None, "", f"{type(exc).__name__}: {reason}"[:300]


def delivery_request(delivery: WebhookDelivery, *, now: datetime) -> tuple[bytes, dict[str, str]] | None:
    """The body and headers of one attempt, or None if the party may no longer see the subject."""
    subscription = delivery.subscription
    data = event_data(delivery.event, subscription_scope(subscription))
    if data is None:
        return None
    body = json.dumps(envelope(delivery.event, data), separators=(",", ":"), sort_keys=True).encode()
    timestamp = int(now.timestamp())
    headers = {
        "Content-Type": "application/json",
        "User-Agent": "Haicang-Webhooks/1",
        "Haicang-Event-Id": str(delivery.event_id),
        "Haicang-Timestamp": str(timestamp),
        "Haicang-Signature": signature_header(
            secrets=live_secrets(subscription, now=now), timestamp=timestamp, body=body
        ),
    }
    return body, headers


def _record(
    delivery: WebhookDelivery,
    token: uuid.UUID,
    *,
    now: datetime,
    status: int | None,
    excerpt: str,
    error: str,
    final: bool = False,
) -> DeliveryStatus:
    outcome = retry_rules.Outcome.PERMANENT if final else retry_rules.outcome_of(status)
    fields: dict[str, Any] = {
        "last_status_code": status,
        "last_response_excerpt": excerpt[:EXCERPT_CHARS],
        "last_error": error[:300],
        "claimed_until": None,
        "claim_token": None,
        "updated_at": now,
    }
    if outcome is retry_rules.Outcome.DELIVERED:
        fields.update(status=DeliveryStatus.DELIVERED, delivered_at=now)
    elif outcome is retry_rules.Outcome.PERMANENT:
        fields["status"] = DeliveryStatus.DEAD
    else:
        wait = retry_rules.backoff(delivery.attempts)
        deadline = (delivery.first_attempt_at or now) + retry_rules.MAX_AGE
        if wait is None or now >= deadline:
            fields["status"] = DeliveryStatus.DEAD
        else:
            fields.update(status=DeliveryStatus.FAILED, next_attempt_at=min(now + wait, deadline))
    with transaction.atomic():
        if WebhookDelivery.objects.filter(pk=delivery.pk, claim_token=token).update(**fields) != 1:
            return DeliveryStatus(delivery.status)  # our lease ran out and another run took it over
        subscriptions = WebhookSubscription.objects.filter(pk=delivery.subscription_id)
        if fields["status"] == DeliveryStatus.DELIVERED:
            subscriptions.filter(consecutive_failures__gt=0).update(consecutive_failures=0)
        elif fields["status"] == DeliveryStatus.DEAD:
            subscriptions.update(consecutive_failures=F("consecutive_failures") + 1)
            _disable_if_failing(delivery.subscription_id, now=now)
    return DeliveryStatus(fields["status"])


def _disable_if_failing(subscription_id: uuid.UUID, *, now: datetime) -> None:
    reason = f"turned off after {DISABLE_AFTER_DEAD} deliveries in a row ended as dead letters"
    disabled = WebhookSubscription.objects.filter(
        pk=subscription_id, is_active=True, consecutive_failures__gte=DISABLE_AFTER_DEAD
    ).update(
        is_active=False,
        disabled_at=now,
        disabled_reason=reason,
        disabled_cause=DisabledCause.FAILING,
        disabled_acknowledged_at=None,
        updated_at=now,
    )
    if disabled:
        subscription = WebhookSubscription.objects.get(pk=subscription_id)
        audit_record(actor=RELAY_ACTOR, action="webhook.disabled", subject=subscription, summary=reason)


def relay_deliver(
    delivery: WebhookDelivery, token: uuid.UUID, *, now: datetime | None = None
) -> DeliveryStatus:
    """One attempt of a claimed delivery: render, sign, POST (outside any transaction), record."""
    now = now or timezone.now()
    prepared = delivery_request(delivery, now=now)
    if prepared is None:
        return _record(
            delivery, token, now=now, status=None, excerpt="", error="the subject is not visible", final=True
        )
    status, excerpt, error = http_post(delivery.subscription.url, *prepared)
    return _record(delivery, token, now=now, status=status, excerpt=excerpt, error=error)


def relay_run(*, now: datetime | None = None, limit: int = 50) -> RelayReport:
    """One pass: fan out new events, then deliver what is due."""
    now = now or timezone.now()
    report = RelayReport(fanned_out=relay_fan_out(now=now))
    token, claimed = relay_claim(now=now, limit=limit)
    for delivery in claimed:
        outcome = relay_deliver(delivery, token, now=now)
        if outcome == DeliveryStatus.DELIVERED:
            report.delivered += 1
        elif outcome == DeliveryStatus.DEAD:
            report.dead += 1
        else:
            report.retrying += 1
    return report


def relay_attempt_now(delivery: WebhookDelivery, *, now: datetime | None = None) -> WebhookDelivery:
    """One attempt of this delivery at once, if it is due and no relay holds it (the UI's test button): the
    same claim, signing and recording as a relay run, so a failed attempt continues on the normal schedule.
    Returns the delivery as it stands afterwards."""
    token, claimed = relay_claim(now=now, limit=1, only=[delivery.pk])
    for claimed_delivery in claimed:
        relay_deliver(claimed_delivery, token, now=now)
    return WebhookDelivery.objects.select_related("event").get(pk=delivery.pk)
