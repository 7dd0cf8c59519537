"""Reads of the webhook pages, always through the reader's scope (resource ``integration``)."""

from __future__ import annotations

from django.db.models import Count, Q, QuerySet

from haicang.integration.models import DeliveryStatus, DisabledCause, WebhookDelivery, WebhookSubscription
from haicang.parties.scoping import Scope, scope_queryset

READ = "integration:read"
WRITE = "integration:write"


def subscriptions(scope: Scope) -> QuerySet[WebhookSubscription]:
    """The party's subscriptions with their count of dead letters, newest first."""
    queryset = WebhookSubscription.objects.annotate(
        dead_letters=Count("deliveries", filter=Q(deliveries__status=DeliveryStatus.DEAD))
    )
    return scope_queryset(queryset, scope, permission=READ).order_by("-created_at")


def deliveries(scope: Scope) -> QuerySet[WebhookDelivery]:
    queryset = WebhookDelivery.objects.select_related("event", "subscription")
    return scope_queryset(queryset, scope, permission=READ)


def dead_letters(scope: Scope) -> QuerySet[WebhookDelivery]:
    return deliveries(scope).filter(status=DeliveryStatus.DEAD).order_by("-updated_at", "-pk")


def disabled_unacknowledged(scope: Scope) -> QuerySet[WebhookSubscription]:
    """Subscriptions the relay turned off whose notice the party has not acknowledged (nor turned them on)."""
    queryset = WebhookSubscription.objects.filter(
        is_active=False, disabled_cause=DisabledCause.FAILING, disabled_acknowledged_at__isnull=True
    )
    return scope_queryset(queryset, scope, permission=WRITE).order_by("-disabled_at")
