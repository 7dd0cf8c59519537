from __future__ import annotations

from decimal import Decimal
from typing import Any

from rest_framework import serializers

from haicang.core.api.money_fields import MoneyField
from haicang.parties.models import (
    ApiKey,
    ComplianceId,
    FeeKind,
    FeeSchedule,
    Membership,
    Operator,
    Seller,
    SellerMarket,
    ServiceAgreement,
)
from haicang.parties.roles import RESOURCES


class SellerSerializer(serializers.ModelSerializer[Seller]):
    class Meta:
        model = Seller
        fields = ["id", "code", "name", "legal_name", "country", "base_currency", "status", "created_at"]


class OperatorSerializer(serializers.ModelSerializer[Operator]):
    class Meta:
        model = Operator
        fields = ["id", "code", "name", "legal_name", "country", "billing_currency", "status", "created_at"]


class SellerMarketSerializer(serializers.ModelSerializer[SellerMarket]):
    class Meta:
        model = SellerMarket
        fields = ["country", "import_vat_recoverable"]


class ComplianceIdSerializer(serializers.ModelSerializer[ComplianceId]):
    class Meta:
        model = ComplianceId
        fields = ["kind", "market", "value", "valid_from", "valid_to"]


class MembershipSerializer(serializers.ModelSerializer[Membership]):
    username = serializers.CharField(source="user.username", read_only=True)
    party_id = serializers.SerializerMethodField()

    class Meta:
        model = Membership
        fields = ["id", "username", "party_id", "role", "is_active", "created_at"]

    def get_party_id(self, obj: Membership) -> str:
        return str(obj.party.pk)


class MembershipCreateSerializer(serializers.Serializer[Any]):
    username = serializers.CharField()
    role = serializers.CharField()


class MembershipUpdateSerializer(serializers.Serializer[Any]):
    role = serializers.CharField()


class ApiKeySerializer(serializers.ModelSerializer[ApiKey]):
    class Meta:
        model = ApiKey
        fields = ["id", "name", "prefix", "scopes", "expires_at", "revoked_at", "last_used_at", "created_at"]


class ApiKeyCreateSerializer(serializers.Serializer[Any]):
    name = serializers.CharField(max_length=100)
    scopes = serializers.ListField(
        child=serializers.ChoiceField(choices=[f"{r}:{a}" for r in RESOURCES for a in ("read", "write")]),
        allow_empty=False,
    )
    expires_at = serializers.DateTimeField(required=False, allow_null=True)


class ApiKeyIssuedSerializer(ApiKeySerializer):
    key = serializers.CharField(help_text="The whole key. It is shown once and never again.")

    class Meta(ApiKeySerializer.Meta):
        fields = [*ApiKeySerializer.Meta.fields, "key"]


class FeeLineSerializer(serializers.Serializer[Any]):
    kind = serializers.ChoiceField(choices=FeeKind.choices)
    amount = MoneyField()


class AgeBandSerializer(serializers.Serializer[Any]):
    from_day = serializers.IntegerField(min_value=0)
    to_day = serializers.IntegerField(min_value=0, allow_null=True, required=False)
    surcharge_m3_day = MoneyField()


class FeeScheduleSerializer(serializers.ModelSerializer[FeeSchedule]):
    lines = serializers.SerializerMethodField()
    age_bands = serializers.SerializerMethodField()

    class Meta:
        model = FeeSchedule
        fields = [
            "id",
            "currency",
            "effective_from",
            "storage_free_days",
            "peak_factor",
            "peak_months",
            "lines",
            "age_bands",
        ]

    def get_lines(self, obj: FeeSchedule) -> list[dict[str, Any]]:
        return [
            FeeLineSerializer({"kind": line.kind, "amount": line.amount}).data for line in obj.lines.all()
        ]

    def get_age_bands(self, obj: FeeSchedule) -> list[dict[str, Any]]:
        return [
            AgeBandSerializer(
                {"from_day": b.from_day, "to_day": b.to_day, "surcharge_m3_day": b.surcharge_m3_day}
            ).data
            for b in obj.age_bands.all()
        ]


class FeeScheduleWriteSerializer(serializers.Serializer[Any]):
    effective_from = serializers.DateField()
    storage_free_days = serializers.IntegerField(min_value=0, default=0)
    peak_factor = serializers.DecimalField(max_digits=6, decimal_places=3, default=Decimal(1))
    peak_months = serializers.ListField(
        child=serializers.IntegerField(min_value=1, max_value=12), default=list
    )
    lines = FeeLineSerializer(many=True)
    age_bands = AgeBandSerializer(many=True, default=list)


class AgreementSerializer(serializers.ModelSerializer[ServiceAgreement]):
    seller = serializers.CharField(source="seller.code", read_only=True)
    operator = serializers.CharField(source="operator.code", read_only=True)
    warehouses = serializers.SerializerMethodField()
    fee_schedules = FeeScheduleSerializer(many=True, read_only=True)

    class Meta:
        model = ServiceAgreement
        fields = [
            "id",
            "reference",
            "seller",
            "operator",
            "warehouses",
            "status",
            "valid_from",
            "valid_to",
            "sla_ship_within_working_hours",
            "share_prices",
            "share_customer_email",
            "share_customer_phone",
            "fee_schedules",
        ]

    def get_warehouses(self, obj: ServiceAgreement) -> list[str]:
        return sorted(w.code for w in obj.warehouses.all())


class AgreementCreateSerializer(serializers.Serializer[Any]):
    seller = serializers.UUIDField(
        help_text="The seller's id (operators create agreements with their sellers)"
    )
    warehouses = serializers.ListField(child=serializers.UUIDField(), allow_empty=False)
    valid_from = serializers.DateField()
    valid_to = serializers.DateField(required=False, allow_null=True)
    sla_ship_within_working_hours = serializers.IntegerField(default=24)
    share_prices = serializers.BooleanField(default=False)
    share_customer_email = serializers.BooleanField(default=False)
    share_customer_phone = serializers.BooleanField(default=False)


class ScopeSerializer(serializers.Serializer[Any]):
    party_kind = serializers.CharField(allow_null=True)
    party_id = serializers.UUIDField(allow_null=True)
    permissions = serializers.ListField(child=serializers.CharField())
    is_installation_admin = serializers.BooleanField()
