"""API representations of channel accounts and SKU maps. Credentials and webhook secrets are write-only: the
API never answers them, only which credential names are set."""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from haicang.channels.models import (
    PLATFORM_CHOICES,
    AccountStatus,
    ChannelAccount,
    ChannelSkuMap,
    ChannelStockLevel,
    RuleMode,
    StockShareRule,
)
from haicang.channels.services import channel_account_credentials


class ChannelAccountSerializer(serializers.ModelSerializer[ChannelAccount]):
    status = serializers.ChoiceField(choices=AccountStatus.choices, read_only=True)
    has_credentials = serializers.BooleanField(read_only=True)
    credential_names = serializers.SerializerMethodField()
    has_webhook_secret = serializers.BooleanField(read_only=True)
    warehouses = serializers.SerializerMethodField(help_text="The warehouses whose stock the account sells.")

    class Meta:
        model = ChannelAccount
        fields = [
            "id",
            "seller",
            "platform",
            "name",
            "external_shop_id",
            "region",
            "currency",
            "status",
            "has_credentials",
            "credential_names",
            "has_webhook_secret",
            "warehouses",
            "credentials_updated_at",
            "disabled_at",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields

    def get_credential_names(self, obj: ChannelAccount) -> list[str]:
        return sorted(channel_account_credentials(obj))

    @extend_schema_field(
        {
            "type": "array",
            "items": {
                "type": "object",
                "properties": {"id": {"type": "string", "format": "uuid"}, "code": {"type": "string"}},
            },
        }
    )
    def get_warehouses(self, obj: ChannelAccount) -> list[dict[str, str]]:
        return [{"id": str(w.pk), "code": w.code} for w in obj.warehouses.order_by("code")]


class ChannelAccountWriteSerializer(serializers.Serializer[Any]):
    platform = serializers.ChoiceField(choices=PLATFORM_CHOICES, required=False)
    name = serializers.CharField(max_length=100, required=False)
    currency = serializers.CharField(max_length=3, required=False)
    external_shop_id = serializers.CharField(max_length=100, required=False, allow_blank=True)
    region = serializers.CharField(max_length=16, required=False, allow_blank=True)
    credentials = serializers.DictField(
        child=serializers.CharField(allow_blank=True, trim_whitespace=False),
        required=False,
        write_only=True,
        help_text="The platform's credentials by name (write-only; {} removes them).",
    )
    webhook_secret = serializers.CharField(
        required=False,
        allow_blank=True,
        write_only=True,
        trim_whitespace=False,
        help_text="The secret the platform signs webhooks with (write-only; empty removes it).",
    )
    warehouses = serializers.ListField(
        child=serializers.CharField(max_length=64),
        required=False,
        help_text="The warehouses (ids or codes) whose stock the account sells; replaces the set.",
    )


class ChannelSkuMapSerializer(serializers.ModelSerializer[ChannelSkuMap]):
    account = serializers.UUIDField(source="account_id", read_only=True)
    sku = serializers.UUIDField(source="sku_id", read_only=True)
    sku_code = serializers.CharField(source="sku.code", read_only=True)
    sku_is_kit = serializers.BooleanField(source="sku.is_kit", read_only=True)

    class Meta:
        model = ChannelSkuMap
        fields = [
            "id",
            "account",
            "channel_sku",
            "sku",
            "sku_code",
            "sku_is_kit",
            "listing",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields


class ChannelSkuMapWriteSerializer(serializers.Serializer[Any]):
    account = serializers.UUIDField()
    channel_sku = serializers.CharField(max_length=200)
    sku = serializers.UUIDField(required=False)
    sku_code = serializers.CharField(max_length=64, required=False)
    listing = serializers.DictField(
        required=False,
        help_text='the platform\'s ids of the listing that stock pushes need, e.g. {"inventory_item_id": '
        '"30322695"} (Shopify), {"product_id", "sku_id"} (TikTok Shop), {"goods_id", "sku_id"} '
        '(Temu), {"sku_code"} (SHEIN)',
    )

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        if not attrs.get("sku") and not attrs.get("sku_code"):
            raise serializers.ValidationError({"sku": "give the SKU's id or its code"})
        return attrs


class StockShareRuleSerializer(serializers.ModelSerializer[StockShareRule]):
    account = serializers.UUIDField(source="account_id", read_only=True)
    sku = serializers.UUIDField(source="sku_id", read_only=True, allow_null=True)
    sku_code = serializers.CharField(source="sku.code", read_only=True, allow_null=True, default=None)

    class Meta:
        model = StockShareRule
        fields = [
            "id",
            "account",
            "sku",
            "sku_code",
            "mode",
            "percent",
            "quantity",
            "buffer",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields


class StockShareRuleWriteSerializer(serializers.Serializer[Any]):
    account = serializers.UUIDField()
    sku = serializers.UUIDField(
        required=False, allow_null=True, help_text="None or absent: the account's default."
    )
    sku_code = serializers.CharField(max_length=64, required=False, allow_blank=True)
    mode = serializers.ChoiceField(choices=RuleMode.choices)
    percent = serializers.CharField(required=False, allow_null=True, help_text="0 to 100, for mode percent.")
    quantity = serializers.IntegerField(required=False, allow_null=True, help_text="Units, for mode fixed.")
    buffer = serializers.IntegerField(required=False, default=0, help_text="Safety buffer: units held back.")


class ChannelStockLevelSerializer(serializers.ModelSerializer[ChannelStockLevel]):
    account = serializers.UUIDField(source="account_id", read_only=True)
    account_name = serializers.CharField(source="account.name", read_only=True)
    platform = serializers.CharField(source="account.platform", read_only=True)
    sku = serializers.UUIDField(source="sku_id", read_only=True)
    sku_code = serializers.CharField(source="sku.code", read_only=True)
    updated = serializers.DateTimeField(source="computed_at", read_only=True)

    class Meta:
        model = ChannelStockLevel
        fields = [
            "id",
            "account",
            "account_name",
            "platform",
            "sku",
            "sku_code",
            "quantity",
            "version",
            "updated",
            "pushed_version",
            "pushed_quantity",
            "pushed_at",
            "push_note",
        ]
        read_only_fields = fields
