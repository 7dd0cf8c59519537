"""``/api/v1/stock/``, ``/moves/``, ``/reservations/``, ``/corrections/``: thin views over the ledger.

Scoped with ``resource = "inventory"`` through the one scoping helper: a seller sees its own stock in every
warehouse, an operator the stock of its sellers in its own warehouses; another party's object answers 404, a
role without ``inventory:read`` (reads) or ``inventory:write`` (writes) 403. Cycle counts are in
``haicang.inventory.count_api``.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet
from django.http import HttpResponseBase
from django_filters import rest_framework as django_filters
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import mixins, status
from rest_framework.decorators import action
from rest_framework.renderers import JSONRenderer
from rest_framework.request import Request
from rest_framework.response import Response

from haicang.catalog.models import Sku
from haicang.core.api.filters import AwareDateTimeFilter
from haicang.core.errors import ValidationFailed
from haicang.inventory import serializers as s
from haicang.inventory.labels import STATES
from haicang.inventory.models import Balance, Move, Reservation, ReservationStatus
from haicang.inventory.move_export import moves_csv_response
from haicang.inventory.selectors import move_history
from haicang.inventory.services import stock_correct
from haicang.inventory.stock_report import StockRow, scoped_balances, stock_keys, stock_rows
from haicang.network.models import Location
from haicang.parties.api.base import ScopedViewSetMixin
from haicang.parties.models import Seller
from haicang.parties.scoping import AccessDenied, scope_queryset

READ, WRITE = "inventory:read", "inventory:write"


class CsvRenderer(JSONRenderer):
    """Lets ``?format=csv`` through content negotiation; the view answers the CSV itself, and an error (a
    problem) is still rendered as JSON by the renderer this extends."""

    media_type = "text/csv"
    format = "csv"


def _invalid(filterset: django_filters.FilterSet) -> None:
    if not filterset.is_valid():
        from rest_framework.exceptions import ValidationError

        raise ValidationError(filterset.errors)


# --- stock levels -----------------------------------------------------------------------------------------


class StockFilter(django_filters.FilterSet):
    sku = django_filters.UUIDFilter(field_name="sku_id")
    sku_code = django_filters.CharFilter(field_name="sku__code", lookup_expr="iexact")
    warehouse = django_filters.UUIDFilter(field_name="location__warehouse_id")
    warehouse_code = django_filters.CharFilter(field_name="location__warehouse__code", lookup_expr="iexact")
    owner = django_filters.UUIDFilter(field_name="owner_id", label="The seller who owns the stock")
    has_stock = django_filters.BooleanFilter(
        method="keep", label="true: only SKU × warehouse with units in any state; false: only those with none"
    )

    class Meta:
        model = Balance
        fields: list[str] = []

    def keep(self, queryset: QuerySet[Balance], name: str, value: bool | None) -> QuerySet[Balance]:
        return queryset  # applied to the totals per SKU × warehouse, after grouping


@extend_schema_view(
    list=extend_schema(
        summary="Stock levels by SKU × warehouse × state",
        description="One row per SKU and warehouse, ordered by SKU code then warehouse code.",
    )
)
class StockViewSet(mixins.ListModelMixin, ScopedViewSetMixin):
    resource = "inventory"
    queryset = Balance.objects.all()
    serializer_class = s.StockLevelSerializer
    filterset_class = StockFilter

    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        filterset = StockFilter(request.query_params, queryset=scoped_balances(self.scope), request=request)
        _invalid(filterset)
        balances = filterset.qs
        keys = stock_keys(balances, has_stock=filterset.form.cleaned_data.get("has_stock"))
        page = self.paginate_queryset(keys)
        rows = stock_rows(self.scope, list(page if page is not None else keys), balances)
        return self.get_paginated_response(
            s.StockLevelSerializer([_level(row) for row in rows], many=True).data
        )


def _level(row: StockRow) -> dict[str, Any]:
    lv = row.levels
    return {
        "owner": row.owner_id,
        "sku": row.sku,
        "warehouse": row.warehouse,
        **{state: getattr(lv, state) for state in STATES},
    }


# --- moves ------------------------------------------------------------------------------------------------


class MoveFilter(django_filters.FilterSet):
    sku = django_filters.UUIDFilter(field_name="sku_id")
    sku_code = django_filters.CharFilter(field_name="sku__code", lookup_expr="iexact")
    owner = django_filters.UUIDFilter(field_name="owner_id")
    warehouse = django_filters.UUIDFilter(
        method="by_warehouse", label="From or to a location of this warehouse"
    )
    location = django_filters.UUIDFilter(method="by_location", label="From or to this location")
    location_code = django_filters.CharFilter(
        method="by_location_code", label="From or to a location with this code"
    )
    document_type = django_filters.CharFilter()
    document_ref = django_filters.CharFilter()
    lot_code = django_filters.CharFilter()
    effective_after = AwareDateTimeFilter(field_name="effective_at", lookup_expr="gte")
    effective_before = AwareDateTimeFilter(field_name="effective_at", lookup_expr="lt")

    class Meta:
        model = Move
        fields: list[str] = []

    def by_warehouse(self, queryset: QuerySet[Move], name: str, value: Any) -> QuerySet[Move]:
        return queryset.filter(Q(from_location__warehouse_id=value) | Q(to_location__warehouse_id=value))

    def by_location(self, queryset: QuerySet[Move], name: str, value: Any) -> QuerySet[Move]:
        return queryset.filter(Q(from_location_id=value) | Q(to_location_id=value))

    def by_location_code(self, queryset: QuerySet[Move], name: str, value: str) -> QuerySet[Move]:
        code = value.strip()
        return queryset.filter(Q(from_location__code__iexact=code) | Q(to_location__code__iexact=code))


CSV_PARAMETER = OpenApiParameter(
    "format", OpenApiTypes.STR, enum=["json", "csv"], description="`csv`: every matching move as a CSV file"
)


@extend_schema_view(
    list=extend_schema(
        summary="Move history",
        description="Filter, order and page through the moves; `?format=csv` streams every match as CSV.",
        parameters=[CSV_PARAMETER],
    ),
    retrieve=extend_schema(summary="Read one move"),
)
class MoveViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, ScopedViewSetMixin):
    resource = "inventory"
    queryset = move_history(Move.objects.all())
    serializer_class = s.MoveSerializer
    filterset_class = MoveFilter
    ordering_fields = ["effective_at", "recorded_at", "quantity"]
    ordering = ["-effective_at"]
    renderer_classes = [JSONRenderer, CsvRenderer]

    def list(self, request: Request, *args: Any, **kwargs: Any) -> HttpResponseBase:  # type: ignore[override]
        if request.accepted_renderer.format == "csv":
            return self._csv()
        return super().list(request, *args, **kwargs)

    def _csv(self) -> HttpResponseBase:
        return moves_csv_response(self.filter_queryset(self.get_queryset()))

    @extend_schema(
        summary="Export the move history as CSV",
        description="The same filters and ordering as the list; streamed, not paginated.",
        responses={(200, "text/csv"): OpenApiTypes.BINARY},
    )
    @action(detail=False, methods=["get"], renderer_classes=[CsvRenderer, JSONRenderer])
    def export(self, request: Request) -> HttpResponseBase:
        return self._csv()


# --- reservations -----------------------------------------------------------------------------------------


class ReservationFilter(django_filters.FilterSet):
    sku = django_filters.UUIDFilter(field_name="sku_id")
    sku_code = django_filters.CharFilter(field_name="sku__code", lookup_expr="iexact")
    warehouse = django_filters.UUIDFilter(field_name="warehouse_id")
    owner = django_filters.UUIDFilter(field_name="owner_id")
    status = django_filters.ChoiceFilter(choices=ReservationStatus.choices)
    demand_type = django_filters.CharFilter()
    demand_ref = django_filters.CharFilter()

    class Meta:
        model = Reservation
        fields: list[str] = []


@extend_schema_view(
    list=extend_schema(summary="List reservations"), retrieve=extend_schema(summary="Read one reservation")
)
class ReservationViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, ScopedViewSetMixin):
    resource = "inventory"
    queryset = Reservation.objects.select_related("sku", "warehouse")
    serializer_class = s.ReservationSerializer
    filterset_class = ReservationFilter
    ordering_fields = ["created_at", "updated_at"]
    ordering = ["-created_at"]


# --- corrections ------------------------------------------------------------------------------------------


@extend_schema_view(
    create=extend_schema(
        summary="Correct on-hand at one location (compare-and-set)",
        description=(
            "Sets the on-hand of one SKU (one lot) at one location of your warehouse to `counted` if it still is "
            "`expected`; otherwise nothing changes and the answer is a 409 problem `stock.stale_correction`. "
            "The difference is posted as an adjustment against inventory loss with your reason. Operators only."
        ),
        request=s.CorrectionSerializer,
        responses={201: s.CorrectionResultSerializer, 200: s.CorrectionResultSerializer},
    )
)
class CorrectionViewSet(mixins.CreateModelMixin, ScopedViewSetMixin):
    resource = "inventory"
    queryset = Move.objects.none()
    serializer_class = s.CorrectionSerializer

    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        scope = self.scope
        if scope.operator_id is None:
            raise AccessDenied("only the warehouse's operator corrects its on-hand", permission=WRITE)
        body = s.CorrectionSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = body.validated_data
        location = (
            scope_queryset(Location.objects.select_related("warehouse"), scope, permission=WRITE)
            .filter(pk=data["location"], warehouse__operator_id=scope.operator_id)
            .first()
        )
        if location is None:
            raise ValidationFailed(
                f"no location with id {data['location']} in your warehouses", field="location"
            )
        sku = scope_queryset(Sku.objects.all(), scope, permission=WRITE).filter(pk=data["sku"]).first()
        if sku is None:
            raise ValidationFailed(f"no SKU with id {data['sku']}", field="sku")
        moves = stock_correct(
            actor=scope.actor,
            owner=Seller.objects.get(pk=sku.seller_id),
            sku=sku,
            location=location,
            expected=data["expected"],
            counted=data["counted"],
            reason=data["reason"],
            lot_code=data["lot_code"],
            expires_on=data["expires_on"],
        )
        rendered = s.MoveSerializer(
            move_history(Move.objects.filter(pk__in=[m.pk for m in moves])), many=True
        ).data
        return Response(
            {"on_hand": data["counted"], "moves": rendered},
            status=status.HTTP_201_CREATED if moves else status.HTTP_200_OK,
        )
