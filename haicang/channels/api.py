"""``/api/v1/channel-accounts/``, ``/api/v1/channel-sku-maps/``, ``/api/v1/stock-share-rules/`` and
``/api/v1/channel-stock/``.

Scoped with ``resource = "orders"`` (channel accounts are the order team's): a seller sees its own, another
party's answers 404, a role without ``orders:write`` gets 403 on writes. Operators see none. Credentials and
webhook secrets are write-only.
"""

from __future__ import annotations

import uuid

from django_filters import rest_framework as django_filters
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, status
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from haicang.catalog.models import Sku
from haicang.channels import services, stock_sync
from haicang.channels.errors import AccountUnknown, SkuUnknown, WarehouseInvalid
from haicang.channels.models import (
    AccountStatus,
    ChannelAccount,
    ChannelSkuMap,
    ChannelStockLevel,
    StockShareRule,
)
from haicang.channels.selectors import READ, WRITE
from haicang.channels.serializers import (
    ChannelAccountSerializer,
    ChannelAccountWriteSerializer,
    ChannelSkuMapSerializer,
    ChannelSkuMapWriteSerializer,
    ChannelStockLevelSerializer,
    StockShareRuleSerializer,
    StockShareRuleWriteSerializer,
)
from haicang.core.errors import ValidationFailed
from haicang.network.models import Warehouse
from haicang.parties.api.base import ScopedViewSetMixin
from haicang.parties.models import Seller
from haicang.parties.scoping import AccessDenied, Scope, scope_queryset


def _seller_of(scope: Scope) -> Seller:
    if scope.seller_id is None:
        raise AccessDenied("channel accounts belong to a seller: act for one", permission=WRITE)
    return Seller.objects.get(pk=scope.seller_id)


def warehouses_resolve(account: ChannelAccount, given: list[str]) -> list[Warehouse]:
    """The warehouses named by id or code among those the account's seller may sell from."""
    allowed = stock_sync.seller_warehouses(account.seller_id)
    chosen = []
    for value in given:
        warehouse = next(
            (w for w in allowed if str(w.pk) == value.strip() or w.code == value.strip().upper()), None
        )
        if warehouse is None:
            raise WarehouseInvalid(
                f"{value!r} is not a warehouse of an active agreement of the seller", field="warehouses"
            )
        chosen.append(warehouse)
    return chosen


def _account_of(scope: Scope, account_id: uuid.UUID | str) -> ChannelAccount:
    accounts = scope_queryset(ChannelAccount.objects.all(), scope, permission=READ)
    account = accounts.filter(pk=account_id).first()
    if account is None:
        raise AccountUnknown("no channel account of yours has this id", field="account")
    return account


class ChannelAccountFilter(django_filters.FilterSet):
    platform = django_filters.CharFilter()
    status = django_filters.ChoiceFilter(choices=AccountStatus.choices)

    class Meta:
        model = ChannelAccount
        fields: list[str] = []


@extend_schema_view(
    list=extend_schema(summary="List the seller's channel accounts"),
    retrieve=extend_schema(summary="Read one channel account (credentials are never shown)"),
    create=extend_schema(
        summary="Add a channel account",
        request=ChannelAccountWriteSerializer,
        responses={201: ChannelAccountSerializer},
    ),
    partial_update=extend_schema(
        summary="Change a channel account (credentials replace the old ones as a whole)",
        request=ChannelAccountWriteSerializer,
        responses={200: ChannelAccountSerializer},
    ),
)
class ChannelAccountViewSet(ScopedViewSetMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin):
    resource = "orders"
    queryset = ChannelAccount.objects.all()
    serializer_class = ChannelAccountSerializer
    filterset_class = ChannelAccountFilter
    ordering = ["name"]

    def create(self, request: Request) -> Response:
        seller = _seller_of(self.scope)
        serializer = ChannelAccountWriteSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        for required in ("platform", "name", "currency"):
            if not data.get(required):
                raise ValidationFailed(f"{required} is required", field=required)
        account = services.channel_account_create(
            actor=self.scope.actor,
            seller=seller,
            platform=data["platform"],
            name=data["name"],
            currency=data["currency"],
            external_shop_id=data.get("external_shop_id", ""),
            region=data.get("region", ""),
            credentials=data.get("credentials"),
            webhook_secret=data.get("webhook_secret"),
        )
        if data.get("warehouses"):
            account = stock_sync.channel_account_warehouses_set(
                actor=self.scope.actor,
                account=account,
                warehouses=warehouses_resolve(account, data["warehouses"]),
            )
        return Response(ChannelAccountSerializer(account).data, status=status.HTTP_201_CREATED)

    def partial_update(self, request: Request, pk: str | None = None) -> Response:
        account = self.get_object()
        serializer = ChannelAccountWriteSerializer(data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        if "platform" in data and data.pop("platform") != account.platform:
            raise ValidationFailed(
                "an account's platform cannot change: add another account", field="platform"
            )
        warehouses = data.pop("warehouses", None)
        account = services.channel_account_update(actor=self.scope.actor, account=account, **data)
        if warehouses is not None:
            account = stock_sync.channel_account_warehouses_set(
                actor=self.scope.actor, account=account, warehouses=warehouses_resolve(account, warehouses)
            )
        return Response(ChannelAccountSerializer(account).data)

    @extend_schema(
        summary="Disable the account (no more orders from it)",
        request=None,
        responses={200: ChannelAccountSerializer},
    )
    @action(detail=True, methods=["post"])
    def disable(self, request: Request, pk: str | None = None) -> Response:
        account = services.channel_account_disable(actor=self.scope.actor, account=self.get_object())
        return Response(ChannelAccountSerializer(account).data)

    @extend_schema(
        summary="Enable the account again", request=None, responses={200: ChannelAccountSerializer}
    )
    @action(detail=True, methods=["post"])
    def enable(self, request: Request, pk: str | None = None) -> Response:
        account = services.channel_account_enable(actor=self.scope.actor, account=self.get_object())
        return Response(ChannelAccountSerializer(account).data)


class ChannelSkuMapFilter(django_filters.FilterSet):
    account = django_filters.UUIDFilter(field_name="account_id")
    sku = django_filters.UUIDFilter(field_name="sku_id")
    channel_sku = django_filters.CharFilter()

    class Meta:
        model = ChannelSkuMap
        fields: list[str] = []


@extend_schema_view(
    list=extend_schema(summary="List channel SKU maps (filter by account, sku, channel_sku)"),
    retrieve=extend_schema(summary="Read one channel SKU map"),
    create=extend_schema(
        summary="Map a channel SKU to a SKU or kit (replaces its current mapping)",
        request=ChannelSkuMapWriteSerializer,
        responses={201: ChannelSkuMapSerializer},
    ),
    destroy=extend_schema(summary="Remove a channel SKU map"),
)
class ChannelSkuMapViewSet(
    ScopedViewSetMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.DestroyModelMixin
):
    resource = "orders"
    queryset = ChannelSkuMap.objects.select_related("sku")
    serializer_class = ChannelSkuMapSerializer
    filterset_class = ChannelSkuMapFilter
    ordering = ["channel_sku"]

    def create(self, request: Request) -> Response:
        serializer = ChannelSkuMapWriteSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        account = _account_of(self.scope, data["account"])
        skus = Sku.objects.filter(seller_id=account.seller_id)
        sku = (
            skus.filter(pk=data["sku"]).first()
            if data.get("sku")
            else skus.filter(code=data["sku_code"]).first()
        )
        if sku is None:
            raise SkuUnknown("no SKU of the account's seller has this id or code", field="sku")
        mapping = services.channel_sku_map_set(
            actor=self.scope.actor,
            account=account,
            channel_sku=data["channel_sku"],
            sku=sku,
            listing=data.get("listing"),
        )
        return Response(ChannelSkuMapSerializer(mapping).data, status=status.HTTP_201_CREATED)

    def perform_destroy(self, instance: ChannelSkuMap) -> None:
        services.channel_sku_map_delete(actor=self.scope.actor, mapping=instance)


class StockShareRuleFilter(django_filters.FilterSet):
    account = django_filters.UUIDFilter(field_name="account_id")
    sku = django_filters.UUIDFilter(field_name="sku_id")
    sku_code = django_filters.CharFilter(field_name="sku__code")
    default = django_filters.BooleanFilter(
        field_name="sku", lookup_expr="isnull", label="account defaults only"
    )

    class Meta:
        model = StockShareRule
        fields: list[str] = []


@extend_schema_view(
    list=extend_schema(summary="List the stock sharing rules (filter by account, sku, sku_code, default)"),
    retrieve=extend_schema(summary="Read one stock sharing rule"),
    create=extend_schema(
        summary="Set an account's share of a SKU, or its default share (replaces the current rule)",
        request=StockShareRuleWriteSerializer,
        responses={201: StockShareRuleSerializer},
    ),
    destroy=extend_schema(
        summary="Remove a stock sharing rule (the SKU falls back to the account's default)"
    ),
)
class StockShareRuleViewSet(
    ScopedViewSetMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.DestroyModelMixin
):
    resource = "orders"
    queryset = StockShareRule.objects.select_related("account", "sku")
    serializer_class = StockShareRuleSerializer
    filterset_class = StockShareRuleFilter
    ordering = ["account__name", "sku__code"]

    def create(self, request: Request) -> Response:
        serializer = StockShareRuleWriteSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        account = _account_of(self.scope, data["account"])
        sku = None
        if data.get("sku") or data.get("sku_code"):
            skus = Sku.objects.filter(seller_id=account.seller_id)
            sku = (
                skus.filter(pk=data["sku"]).first()
                if data.get("sku")
                else skus.filter(code=data["sku_code"]).first()
            )
            if sku is None:
                raise SkuUnknown("no SKU of the account's seller has this id or code", field="sku")
        rule = stock_sync.stock_share_rule_set(
            actor=self.scope.actor,
            account=account,
            sku=sku,
            mode=data["mode"],
            percent=data.get("percent"),
            quantity=data.get("quantity"),
            buffer=data.get("buffer") or 0,
        )
        return Response(StockShareRuleSerializer(rule).data, status=status.HTTP_201_CREATED)

    def perform_destroy(self, instance: StockShareRule) -> None:
        stock_sync.stock_share_rule_delete(actor=self.scope.actor, rule=instance)


class ChannelStockLevelFilter(django_filters.FilterSet):
    account = django_filters.UUIDFilter(field_name="account_id")
    platform = django_filters.CharFilter(field_name="account__platform")
    sku = django_filters.UUIDFilter(field_name="sku_id")
    sku_code = django_filters.CharFilter(field_name="sku__code")
    updated_after = django_filters.IsoDateTimeFilter(field_name="computed_at", lookup_expr="gte")

    class Meta:
        model = ChannelStockLevel
        fields: list[str] = []


@extend_schema_view(
    list=extend_schema(
        summary="What each channel account may sell per SKU (filter by account, platform, sku, sku_code, updated_after)"
    ),
    retrieve=extend_schema(summary="Read one channel stock level"),
)
class ChannelStockLevelViewSet(ScopedViewSetMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin):
    resource = "orders"
    queryset = ChannelStockLevel.objects.select_related("account", "sku")
    serializer_class = ChannelStockLevelSerializer
    filterset_class = ChannelStockLevelFilter
    ordering = ["account__name", "sku__code"]
