"""``/api/v1/orders/``: ingest (POST a normalised order), list with filters, read one.

Scoped with ``resource = "orders"``: a seller sees its own orders, another party's answers 404; **operators see
none** (they will see what an agreement grants through fulfillment requests). The detail shows the customer's
personal data only to a reader holding ``orders:pii`` — and audits that read; others get it masked.
"""

from __future__ import annotations

from typing import Any

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import mixins, status
from rest_framework.request import Request
from rest_framework.response import Response

from haicang.channels.models import ChannelAccount
from haicang.channels.normalised import Platform
from haicang.orders import selectors
from haicang.orders.errors import AccountUnknown
from haicang.orders.models import Order
from haicang.orders.normalised_input import InputInvalid, order_parse, time_parse
from haicang.orders.selectors import PII, READ
from haicang.orders.serializers import OrderDetailSerializer, OrderListSerializer
from haicang.orders.services import Outcome, order_contact_read, order_ingest
from haicang.parties.api.base import ScopedViewSetMixin
from haicang.parties.scoping import scope_queryset

_FILTERS = [
    OpenApiParameter("status", str, description="pending, unshipped, partially_shipped, shipped, …"),
    OpenApiParameter("channel_account", OpenApiTypes.UUID),
    OpenApiParameter(
        "hold", str, description="true, false, or a hold reason (sku_unmapped, postcode_invalid…)"
    ),
    OpenApiParameter("placed_from", OpenApiTypes.DATETIME),
    OpenApiParameter("placed_to", OpenApiTypes.DATETIME),
    OpenApiParameter(
        "search",
        str,
        description="order number, channel order id or reference, or the customer's exact e-mail or phone",
    ),
]


@extend_schema_view(
    list=extend_schema(summary="List the seller's orders", parameters=_FILTERS),
    retrieve=extend_schema(
        summary="Read one order (personal data in clear only with orders:pii; the read is audited)"
    ),
)
class OrderViewSet(ScopedViewSetMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin):
    resource = "orders"
    queryset = Order.objects.all()
    serializer_class = OrderListSerializer
    filterset_class = None
    ordering = ["-placed_at"]

    def get_queryset(self) -> Any:
        queryset = selectors.orders(self.scope)
        if self.action != "list":
            return queryset.prefetch_related("lines__sku", "holds", "history")
        params = self.request.query_params
        try:
            placed_from = time_parse(params.get("placed_from"), "placed_from")
            placed_to = time_parse(params.get("placed_to"), "placed_to")
        except InputInvalid:
            raise
        return selectors.orders_filter(
            queryset,
            status=params.get("status", ""),
            account=params.get("channel_account", ""),
            hold=params.get("hold", ""),
            placed_from=placed_from,
            placed_to=placed_to,
            search=params.get("search", ""),
        )

    def retrieve(self, request: Request, pk: str | None = None) -> Response:
        order = self.get_object()
        context: dict[str, Any] = {"request": request}
        if self.scope.can(PII):
            context["contact"] = order_contact_read(actor=self.scope.actor, order=order, purpose="api")
        return Response(OrderDetailSerializer(order, context=context).data)

    @extend_schema(
        summary="Ingest a normalised order (creates it, or updates it when the channel account already has it)",
        request=OpenApiTypes.OBJECT,
        responses={201: OrderDetailSerializer, 200: OrderDetailSerializer},
    )
    def create(self, request: Request) -> Response:
        data = request.data
        if not isinstance(data, dict):
            raise InputInvalid("an order is a JSON object", field=None)
        accounts = scope_queryset(ChannelAccount.objects.all(), self.scope, permission=READ)
        account = accounts.filter(pk=_uuid_or_none(data.get("channel_account"))).first()
        if account is None:
            raise AccountUnknown("no channel account of yours has this id", field="channel_account")
        normalised = order_parse(data, platform=Platform(account.platform), default_currency=account.currency)
        result = order_ingest(actor=self.scope.actor, account=account, normalised=normalised, source="api")
        order = (
            selectors.orders(self.scope)
            .prefetch_related("lines__sku", "holds", "history")
            .get(pk=result.order.pk)
        )
        data = OrderDetailSerializer(order, context={"request": request}).data  # personal data masked
        body = {**data, "outcome": result.outcome}
        code = status.HTTP_201_CREATED if result.outcome == Outcome.CREATED else status.HTTP_200_OK
        return Response(body, status=code)


def _uuid_or_none(value: Any) -> Any:
    import uuid

    try:
        return uuid.UUID(str(value))
    except (TypeError, ValueError):
        return None
