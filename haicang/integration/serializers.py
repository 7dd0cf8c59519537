"""API representations of webhook subscriptions, deliveries and the event catalogue. Read serializers render;
write serializers only parse input — the views hand it to the services. Secrets are never rendered except in
the answer that made them."""

from __future__ import annotations

from typing import Any

from rest_framework import serializers

from haicang.integration.catalogue import event_types
from haicang.integration.models import DeliveryStatus, WebhookDelivery, WebhookSubscription


def _event_type_choices() -> list[str]:
    return [event.name for event in event_types()]


class SubscriptionSerializer(serializers.ModelSerializer[WebhookSubscription]):
    party_kind = serializers.SerializerMethodField()
    party_id = serializers.SerializerMethodField()
    previous_secret_live_until = serializers.DateTimeField(
        source="previous_secret_expires_at", read_only=True
    )

    class Meta:
        model = WebhookSubscription
        fields = [
            "id",
            "party_kind",
            "party_id",
            "url",
            "description",
            "event_types",
            "is_active",
            "secret_created_at",
            "previous_secret_live_until",
            "consecutive_failures",
            "disabled_at",
            "disabled_reason",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields

    def get_party_kind(self, obj: WebhookSubscription) -> str:
        return "seller" if obj.seller_id else "operator"

    def get_party_id(self, obj: WebhookSubscription) -> str:
        return str(obj.seller_id or obj.operator_id)


class SubscriptionWithSecretSerializer(SubscriptionSerializer):
    secret = serializers.CharField(read_only=True, help_text="Shown once: store it now.")

    class Meta(SubscriptionSerializer.Meta):
        fields = [*SubscriptionSerializer.Meta.fields, "secret"]
        read_only_fields = fields


class SubscriptionWriteSerializer(serializers.Serializer[Any]):
    url = serializers.CharField(max_length=500)
    event_types = serializers.ListField(child=serializers.CharField(max_length=64), allow_empty=False)
    description = serializers.CharField(max_length=200, required=False, allow_blank=True)
    is_active = serializers.BooleanField(required=False)


class RotateSerializer(serializers.Serializer[Any]):
    keep_old_until = serializers.DateTimeField(
        required=False, help_text="Until when the current secret stays live (default: 24 hours from now)."
    )


class DeliverySerializer(serializers.ModelSerializer[WebhookDelivery]):
    event_id = serializers.UUIDField(source="event.id", read_only=True)
    event_type = serializers.CharField(source="event.event_type", read_only=True)
    subject_type = serializers.CharField(source="event.subject_type", read_only=True)
    subject_id = serializers.CharField(source="event.subject_id", read_only=True)
    subject_version = serializers.IntegerField(source="event.subject_version", read_only=True)
    subscription_id = serializers.UUIDField(read_only=True)
    status = serializers.ChoiceField(choices=DeliveryStatus.choices, read_only=True)

    class Meta:
        model = WebhookDelivery
        fields = [
            "id",
            "event_id",
            "event_type",
            "subject_type",
            "subject_id",
            "subject_version",
            "subscription_id",
            "status",
            "attempts",
            "first_attempt_at",
            "last_attempt_at",
            "next_attempt_at",
            "last_status_code",
            "last_error",
            "last_response_excerpt",
            "delivered_at",
            "created_at",
        ]
        read_only_fields = fields


class EventTypeSerializer(serializers.Serializer[Any]):
    name = serializers.CharField()
    schema_version = serializers.IntegerField()
    subject_type = serializers.CharField()
    description = serializers.CharField()
    data_schema = serializers.JSONField()
    example = serializers.JSONField()
