"""``/api/v1/channel-accounts/`` and ``/api/v1/channel-sku-maps/``.

Scoped with ``resource = "orders"`` (channel accounts are the order team's): a seller sees its own, another
party's answers 404, a role without ``orders:write`` gets 403 on writes. Operators see none. Credentials and
webhook secrets are write-only.
"""

from __future__ import annotations

from django_filters import rest_framework as django_filters
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, status
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from haicang.catalog.models import Sku
from haicang.channels import services
from haicang.channels.errors import AccountUnknown, SkuUnknown
from haicang.channels.models import AccountStatus, ChannelAccount, ChannelSkuMap
from haicang.channels.selectors import READ, WRITE
from haicang.channels.serializers import (
    ChannelAccountSerializer,
    ChannelAccountWriteSerializer,
    ChannelSkuMapSerializer,
    ChannelSkuMapWriteSerializer,
)
from haicang.core.errors import ValidationFailed
from haicang.parties.api.base import ScopedViewSetMixin
from haicang.parties.models import Seller
from haicang.parties.scoping import AccessDenied, Scope, scope_queryset


def _seller_of(scope: Scope) -> Seller:
    if scope.seller_id is None:
        raise AccessDenied("channel accounts belong to a seller: act for one", permission=WRITE)
    return Seller.objects.get(pk=scope.seller_id)


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
        account = services.channel_account_update(actor=self.scope.actor, account=account, **data)
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
        accounts = scope_queryset(ChannelAccount.objects.all(), self.scope, permission=READ)
        account = accounts.filter(pk=data["account"]).first()
        if account is None:
            raise AccountUnknown("no channel account of yours has this id", field="account")
        skus = Sku.objects.filter(seller_id=account.seller_id)
        sku = (
            skus.filter(pk=data["sku"]).first()
            if data.get("sku")
            else skus.filter(code=data["sku_code"]).first()
        )
        if sku is None:
            raise SkuUnknown("no SKU of the account's seller has this id or code", field="sku")
        mapping = services.channel_sku_map_set(
            actor=self.scope.actor, account=account, channel_sku=data["channel_sku"], sku=sku
        )
        return Response(ChannelSkuMapSerializer(mapping).data, status=status.HTTP_201_CREATED)

    def perform_destroy(self, instance: ChannelSkuMap) -> None:
        services.channel_sku_map_delete(actor=self.scope.actor, mapping=instance)
