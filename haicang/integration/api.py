"""``/api/v1/webhook-subscriptions/``, ``/api/v1/webhook-deliveries/``, ``/api/v1/event-types/``.

Subscriptions and deliveries go through the scoping helper (resource ``integration``): a party sees its own
only, another party's answers 404, a role without ``integration:read``/``integration:write`` answers 403.
The event catalogue is public to every signed-in caller.
"""

from __future__ import annotations

from typing import Any

from django_filters import rest_framework as django_filters
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, status
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from haicang.integration import services
from haicang.integration.catalogue import event_types
from haicang.integration.models import DeliveryStatus, WebhookDelivery, WebhookSubscription
from haicang.integration.serializers import (
    DeliverySerializer,
    EventTypeSerializer,
    RotateSerializer,
    SubscriptionSerializer,
    SubscriptionWithSecretSerializer,
    SubscriptionWriteSerializer,
)
from haicang.parties.api.base import ScopedViewSetMixin
from haicang.parties.models import Operator, Seller
from haicang.parties.scoping import AccessDenied, Scope

WRITE = "integration:write"


def _party_of(scope: Scope) -> Seller | Operator:
    if scope.seller_id is not None:
        return Seller.objects.get(pk=scope.seller_id)
    if scope.operator_id is not None:
        return Operator.objects.get(pk=scope.operator_id)
    raise AccessDenied("webhooks belong to a seller or an operator: act for one", permission=WRITE)


def _with_secret(subscription: WebhookSubscription, secret: str, code: int) -> Response:
    data = SubscriptionWithSecretSerializer(subscription).data
    data["secret"] = secret
    return Response(data, status=code)


@extend_schema_view(
    list=extend_schema(summary="List webhook subscriptions"),
    retrieve=extend_schema(summary="Read one webhook subscription"),
    create=extend_schema(
        summary="Subscribe a URL to event types (the answer holds the secret, shown once)",
        request=SubscriptionWriteSerializer,
        responses={201: SubscriptionWithSecretSerializer},
    ),
    partial_update=extend_schema(
        summary="Change a subscription (turning it on again clears its failures)",
        request=SubscriptionWriteSerializer,
        responses={200: SubscriptionSerializer},
    ),
    destroy=extend_schema(summary="Delete a subscription and its deliveries"),
)
class WebhookSubscriptionViewSet(
    ScopedViewSetMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.DestroyModelMixin,
):
    resource = "integration"
    queryset = WebhookSubscription.objects.all()
    serializer_class = SubscriptionSerializer
    ordering = ["-created_at"]

    def create(self, request: Request) -> Response:
        party = _party_of(self.scope)
        serializer = SubscriptionWriteSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        subscription, secret = services.webhook_subscription_create(
            actor=self.scope.actor,
            party=party,
            url=data["url"],
            event_types=data["event_types"],
            description=data.get("description", ""),
        )
        return _with_secret(subscription, secret, status.HTTP_201_CREATED)

    def partial_update(self, request: Request, pk: str | None = None) -> Response:
        subscription = self.get_object()
        serializer = SubscriptionWriteSerializer(data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        subscription = services.webhook_subscription_update(
            actor=self.scope.actor, subscription=subscription, **serializer.validated_data
        )
        return Response(SubscriptionSerializer(subscription).data)

    def perform_destroy(self, instance: WebhookSubscription) -> None:
        services.webhook_subscription_delete(actor=self.scope.actor, subscription=instance)

    @extend_schema(
        summary="Rotate the secret (the old one stays live until keep_old_until)",
        request=RotateSerializer,
        responses={200: SubscriptionWithSecretSerializer},
    )
    @action(detail=True, methods=["post"], url_path="rotate-secret")
    def rotate_secret(self, request: Request, pk: str | None = None) -> Response:
        subscription = self.get_object()
        serializer = RotateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        subscription, secret = services.webhook_secret_rotate(
            actor=self.scope.actor,
            subscription=subscription,
            keep_old_until=serializer.validated_data.get("keep_old_until"),
        )
        return _with_secret(subscription, secret, status.HTTP_200_OK)

    @extend_schema(
        summary="Send a test event to this subscription", request=None, responses={202: DeliverySerializer}
    )
    @action(detail=True, methods=["post"])
    def test(self, request: Request, pk: str | None = None) -> Response:
        delivery = services.webhook_test_send(actor=self.scope.actor, subscription=self.get_object())
        return Response(DeliverySerializer(delivery).data, status=status.HTTP_202_ACCEPTED)


class DeliveryFilter(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(choices=DeliveryStatus.choices)
    subscription = django_filters.UUIDFilter(field_name="subscription_id")
    event_type = django_filters.CharFilter(field_name="event__event_type")

    class Meta:
        model = WebhookDelivery
        fields: list[str] = []


@extend_schema_view(
    list=extend_schema(summary="List webhook deliveries (filter by status, subscription, event type)"),
    retrieve=extend_schema(summary="Read one delivery with its last answer"),
)
class WebhookDeliveryViewSet(ScopedViewSetMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin):
    resource = "integration"
    queryset = WebhookDelivery.objects.select_related("event")
    serializer_class = DeliverySerializer
    filterset_class = DeliveryFilter
    ordering = ["-created_at"]

    @extend_schema(summary="The dead-letter list", responses={200: DeliverySerializer(many=True)})
    @action(detail=False, methods=["get"], url_path="dead-letters")
    def dead_letters(self, request: Request) -> Response:
        queryset = self.filter_queryset(self.get_queryset()).filter(status=DeliveryStatus.DEAD)
        page = self.paginate_queryset(queryset)
        if page is not None:
            return self.get_paginated_response(DeliverySerializer(page, many=True).data)
        return Response(DeliverySerializer(queryset, many=True).data)

    @extend_schema(
        summary="Replay a dead letter (queue it again)", request=None, responses={202: DeliverySerializer}
    )
    @action(detail=True, methods=["post"])
    def replay(self, request: Request, pk: str | None = None) -> Response:
        self.scope.require(WRITE)
        delivery = services.webhook_delivery_replay(actor=self.scope.actor, delivery=self.get_object())
        return Response(DeliverySerializer(delivery).data, status=status.HTTP_202_ACCEPTED)


class EventTypeListView(APIView):
    """The event catalogue: every event type with its JSON schema and an example payload."""

    @extend_schema(summary="The event catalogue", responses={200: EventTypeSerializer(many=True)})
    def get(self, request: Request) -> Response:
        rows: list[dict[str, Any]] = [
            {
                "name": e.name,
                "schema_version": e.schema_version,
                "subject_type": e.subject_type,
                "description": e.description,
                "data_schema": dict(e.data_schema),
                "example": dict(e.example),
            }
            for e in event_types()
        ]
        return Response(EventTypeSerializer(rows, many=True).data)
