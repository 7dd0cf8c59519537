"""API representations of orders. The customer's personal data appears only in the detail, in clear for a
reader holding ``orders:pii`` (and then the read is audited), masked (``•••``) for everyone else. Lists never
carry it."""

from __future__ import annotations

from typing import Any

from rest_framework import serializers

from haicang.core.api.money_fields import MoneyField
from haicang.orders.contact import Contact, contact_masked
from haicang.orders.models import Order, OrderHistory, OrderHold, OrderLine


class OrderListSerializer(serializers.ModelSerializer[Order]):
    on_hold = serializers.SerializerMethodField()

    class Meta:
        model = Order
        fields = [
            "id",
            "number",
            "seller",
            "account",
            "platform",
            "external_id",
            "parent_external_id",
            "display_ref",
            "status",
            "platform_status",
            "placed_at",
            "paid_at",
            "ship_by",
            "deliver_by",
            "currency",
            "service_level",
            "ship_country",
            "ship_postcode",
            "ship_city",
            "ship_region",
            "on_hold",
            "allocation_status",
            "version",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields

    def get_on_hold(self, order: Order) -> bool:
        annotated = getattr(order, "on_hold", None)
        if annotated is not None:
            return bool(annotated)
        return order.holds.filter(released_at__isnull=True).exists()


class OrderLineSerializer(serializers.ModelSerializer[OrderLine]):
    sku_code = serializers.CharField(source="sku.code", default=None, read_only=True)
    unit_price = MoneyField(allow_null=True, read_only=True)
    discount = MoneyField(allow_null=True, read_only=True)
    tax = MoneyField(allow_null=True, read_only=True)

    class Meta:
        model = OrderLine
        fields = [
            "id",
            "position",
            "kind",
            "kit_line",
            "channel_line_id",
            "channel_sku",
            "platform_item_id",
            "title",
            "sku",
            "sku_code",
            "quantity",
            "original_quantity",
            "shipped_quantity",
            "unit_price",
            "discount",
            "tax",
            "price_includes_tax",
            "reservation",
        ]
        read_only_fields = fields


class OrderHoldSerializer(serializers.ModelSerializer[OrderHold]):
    class Meta:
        model = OrderHold
        fields = ["id", "reason", "detail", "created_at", "released_at"]
        read_only_fields = fields


class OrderHistorySerializer(serializers.ModelSerializer[OrderHistory]):
    class Meta:
        model = OrderHistory
        fields = [
            "version",
            "event",
            "status",
            "previous_status",
            "platform_status",
            "changed_fields",
            "source",
            "occurred_at",
        ]
        read_only_fields = fields


class OrderDetailSerializer(OrderListSerializer):
    """The order with lines, holds, history, amounts and the ship-to. ``contact`` in the context: the opened
    personal data (a reader with ``orders:pii``); without it the personal fields are masked."""

    shipping_charged = MoneyField(allow_null=True, read_only=True)
    commission = MoneyField(allow_null=True, read_only=True)
    total = MoneyField(allow_null=True, read_only=True)
    ship_to = serializers.SerializerMethodField()
    buyer_note = serializers.SerializerMethodField()
    pii = serializers.SerializerMethodField()
    lines = OrderLineSerializer(many=True, read_only=True)
    holds = OrderHoldSerializer(many=True, read_only=True)
    history = OrderHistorySerializer(many=True, read_only=True)
    routing = serializers.SerializerMethodField()

    class Meta(OrderListSerializer.Meta):
        fields = [
            *OrderListSerializer.Meta.fields,
            "marketplace",
            "flags",
            "cancelled_at",
            "cancelled_by",
            "shipping_charged",
            "commission",
            "total",
            "pii",
            "ship_to",
            "buyer_note",
            "lines",
            "holds",
            "history",
            "routing",
        ]
        read_only_fields = fields

    def get_routing(self, order: Order) -> dict[str, Any] | None:
        """The latest routing decision (haicang.orders.routing_api), ``None`` before the first."""
        from haicang.orders.routing_api import routing_representation

        return routing_representation(order)

    def _personal(self, order: Order) -> dict[str, Any]:
        contact: Contact | None = self.context.get("contact")
        if contact is None:
            return contact_masked(order)
        return {
            "name": contact.name,
            "company": contact.company,
            "street_lines": list(contact.street_lines),
            "phone": contact.phone,
            "email": contact.email,
            "buyer_note": contact.buyer_note,
        }

    def get_pii(self, order: Order) -> str:
        """``clear`` when the personal fields are shown, ``masked`` otherwise."""
        return "clear" if self.context.get("contact") is not None else "masked"

    def get_ship_to(self, order: Order) -> dict[str, Any]:
        personal = self._personal(order)
        return {
            "country": order.ship_country,
            "postcode": order.ship_postcode,
            "city": order.ship_city,
            "region": order.ship_region,
            **{k: v for k, v in personal.items() if k != "buyer_note"},
        }

    def get_buyer_note(self, order: Order) -> str:
        return str(self._personal(order)["buyer_note"])
