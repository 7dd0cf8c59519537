"""``/api/v1/warehouses/``, ``/api/v1/locations/``, ``/api/v1/holidays/``: thin views over the services.

Every query goes through the scoping helper (:class:`~haicang.parties.api.base.ScopedViewSetMixin`, resource
``network``): another party's warehouse, location or holiday answers 404, a role without ``network:read``
(reads) or ``network:write`` (writes) answers 403. Writes are the warehouse's operator's: they parse input,
call services inside one transaction and render the result.
"""

from __future__ import annotations

import uuid
from typing import Any

from django.db import transaction
from django_filters import rest_framework as django_filters
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from haicang.network import services
from haicang.network.errors import LocationInvalid, WarehouseInvalid
from haicang.network.layout import Layout
from haicang.network.models import REAL_KINDS, Holiday, Location, LocationKind, Warehouse
from haicang.network.serializers import (
    HolidaySerializer,
    HolidayWriteSerializer,
    LocationRangeSerializer,
    LocationSerializer,
    LocationWriteSerializer,
    RangeCreatedSerializer,
    WarehouseSerializer,
    WarehouseWriteSerializer,
)
from haicang.parties.api.base import ScopedViewSetMixin
from haicang.parties.models import Operator
from haicang.parties.scoping import AccessDenied, Scope, scoped_get

WRITE = "network:write"
_ADDRESS_FIELDS = {"address_line1", "address_line2", "postcode", "city", "country"}


def _operator_of(scope: Scope) -> Operator:
    if scope.operator_id is None:
        raise AccessDenied("only a warehouse operator changes the warehouse network", permission=WRITE)
    return Operator.objects.get(pk=scope.operator_id)


def _writable_warehouse(scope: Scope, pk: uuid.UUID | str) -> Warehouse:
    """A warehouse in scope (404 otherwise) that the acting operator runs (403 otherwise)."""
    warehouse = scoped_get(Warehouse.objects.all(), scope, permission=WRITE, pk=pk)
    if warehouse.operator_id != scope.operator_id:
        raise AccessDenied("only the warehouse's operator changes it", permission=WRITE)
    return warehouse


# --- warehouses -------------------------------------------------------------------------------------------
class WarehouseFilter(django_filters.FilterSet):
    code = django_filters.CharFilter(field_name="code", lookup_expr="iexact")
    country = django_filters.CharFilter(field_name="country", lookup_expr="iexact")
    market = django_filters.CharFilter(
        field_name="markets__country", lookup_expr="iexact", distinct=True, label="Serves this country"
    )
    active = django_filters.BooleanFilter(field_name="is_active")

    class Meta:
        model = Warehouse
        fields: list[str] = []


@extend_schema_view(
    list=extend_schema(summary="List warehouses"),
    retrieve=extend_schema(summary="Read one warehouse"),
    create=extend_schema(
        summary="Create a warehouse",
        request=WarehouseWriteSerializer,
        responses={201: WarehouseSerializer},
    ),
    partial_update=extend_schema(
        summary="Change a warehouse, its service area or weekly hours",
        request=WarehouseWriteSerializer,
        responses={200: WarehouseSerializer},
    ),
)
class WarehouseViewSet(
    ScopedViewSetMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet
):
    """Warehouses: an operator's own, or those a seller's agreements cover."""

    resource = "network"
    queryset = Warehouse.objects.select_related("operator").prefetch_related("markets", "working_hours")
    serializer_class = WarehouseSerializer
    filterset_class = WarehouseFilter
    ordering_fields = ["code", "name", "created_at"]
    ordering = ["code"]

    def get_serializer_class(self) -> type[Any]:
        if self.action in ("create", "partial_update"):
            return WarehouseWriteSerializer
        return WarehouseSerializer

    def _render(self, warehouse: Warehouse, status_code: int = status.HTTP_200_OK) -> Response:
        fresh = self.get_queryset().get(pk=warehouse.pk)
        return Response(WarehouseSerializer(fresh).data, status=status_code)

    def create(self, request: Request) -> Response:
        operator = _operator_of(self.scope)
        data = self._validated(request, partial=False)
        address = data.pop("address")
        with transaction.atomic():
            warehouse = services.warehouse_create(
                actor=self.scope.actor, operator=operator, **data, **address
            )
        return self._render(warehouse, status.HTTP_201_CREATED)

    def partial_update(self, request: Request, pk: str | None = None) -> Response:
        warehouse = self.get_object()
        _writable_warehouse(self.scope, warehouse.pk)
        data = self._validated(request, partial=True)
        markets = data.pop("markets", None)
        hours = data.pop("working_hours", None)
        if "code" in data and data.pop("code").strip().upper() != warehouse.code:
            raise WarehouseInvalid("a warehouse's code never changes", field="code")
        address = data.pop("address", {})
        fields = {**data, **address}
        with transaction.atomic():
            if fields:
                warehouse = services.warehouse_update(actor=self.scope.actor, warehouse=warehouse, **fields)
            if markets is not None:
                services.warehouse_service_area_set(
                    actor=self.scope.actor, warehouse=warehouse, markets=markets
                )
            if hours is not None:
                services.warehouse_calendar_set(
                    actor=self.scope.actor, warehouse=warehouse, working_hours=hours
                )
        return self._render(warehouse)

    def _validated(self, request: Request, *, partial: bool) -> dict[str, Any]:
        serializer = WarehouseWriteSerializer(data=request.data, partial=partial)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        if "address" in data:
            data["address"] = {key: value for key, value in data["address"].items() if key in _ADDRESS_FIELDS}
        if not partial:
            data.pop("is_active", None)
        return data


# --- locations --------------------------------------------------------------------------------------------
class LocationFilter(django_filters.FilterSet):
    warehouse = django_filters.UUIDFilter(field_name="warehouse_id")
    type = django_filters.MultipleChoiceFilter(
        field_name="kind",
        choices=[(k.value, k.label) for k in LocationKind if k in REAL_KINDS or k == LocationKind.IN_TRANSIT],
    )
    zone = django_filters.CharFilter(field_name="zone", lookup_expr="iexact")
    aisle = django_filters.NumberFilter(field_name="aisle")
    code = django_filters.CharFilter(field_name="code", lookup_expr="iexact")
    active = django_filters.BooleanFilter(field_name="is_active")

    class Meta:
        model = Location
        fields: list[str] = []


@extend_schema_view(
    list=extend_schema(
        summary="List locations", description="Filter by warehouse, type, zone, aisle, active."
    ),
    retrieve=extend_schema(summary="Read one location"),
    create=extend_schema(
        summary="Create one location", request=LocationWriteSerializer, responses={201: LocationSerializer}
    ),
    partial_update=extend_schema(
        summary="Change a location's type, capacity, pick sequence or floor point",
        request=LocationWriteSerializer,
        responses={200: LocationSerializer},
    ),
)
class LocationViewSet(
    ScopedViewSetMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet
):
    """A warehouse's bins and areas, and its in-transit location."""

    resource = "network"
    queryset = Location.objects.select_related("warehouse").filter(warehouse__isnull=False)
    serializer_class = LocationSerializer
    filterset_class = LocationFilter
    ordering_fields = ["code", "pick_sequence", "zone", "created_at"]
    ordering = ["warehouse__code", "code"]

    def get_serializer_class(self) -> type[Any]:
        return {
            "create": LocationWriteSerializer,
            "partial_update": LocationWriteSerializer,
            "ranges": LocationRangeSerializer,
        }.get(self.action or "", LocationSerializer)

    def _render(self, location: Location, status_code: int = status.HTTP_200_OK) -> Response:
        return Response(LocationSerializer(self.get_queryset().get(pk=location.pk)).data, status=status_code)

    def create(self, request: Request) -> Response:
        serializer = LocationWriteSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        warehouse = _writable_warehouse(self.scope, data.pop("warehouse"))
        with transaction.atomic():
            location = services.location_create(
                actor=self.scope.actor, warehouse=warehouse, kind=data.pop("type"), **data
            )
        return self._render(location, status.HTTP_201_CREATED)

    def partial_update(self, request: Request, pk: str | None = None) -> Response:
        location = self._writable_location()
        serializer = LocationWriteSerializer(data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        data.pop("warehouse", None)
        if "code" in data and data.pop("code").strip().upper() != location.code:
            raise LocationInvalid("a location's code never changes", field="code")
        if "type" in data:
            data["kind"] = data.pop("type")
        with transaction.atomic():
            location = services.location_update(actor=self.scope.actor, location=location, **data)
        return self._render(location)

    @extend_schema(summary="Stop using a location", request=None, responses={200: LocationSerializer})
    @action(detail=True, methods=["post"])
    def deactivate(self, request: Request, pk: str | None = None) -> Response:
        location = self._writable_location()
        with transaction.atomic():
            location = services.location_deactivate(actor=self.scope.actor, location=location)
        return self._render(location)

    @extend_schema(summary="Use a location again", request=None, responses={200: LocationSerializer})
    @action(detail=True, methods=["post"])
    def activate(self, request: Request, pk: str | None = None) -> Response:
        location = self._writable_location()
        with transaction.atomic():
            location = services.location_activate(actor=self.scope.actor, location=location)
        return self._render(location)

    @extend_schema(
        summary="Create bins from ranges",
        description="Every bin of the ranges in serpentine walk order; all or nothing.",
        request=LocationRangeSerializer,
        responses={201: RangeCreatedSerializer},
    )
    @action(detail=False, methods=["post"])
    def ranges(self, request: Request) -> Response:
        serializer = LocationRangeSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        warehouse = _writable_warehouse(self.scope, data.pop("warehouse"))
        layout = Layout(**data.pop("layout")) if "layout" in data else None
        with transaction.atomic():
            created = services.locations_create_range(
                actor=self.scope.actor,
                warehouse=warehouse,
                zone=data["zone"],
                aisles=tuple(data["aisles"]),
                racks=tuple(data["racks"]),
                levels=tuple(data["levels"]),
                positions=tuple(data["positions"]),
                kind=data["type"],
                capacity_volume_mm3=data.get("capacity_volume_mm3"),
                capacity_weight_g=data.get("capacity_weight_g"),
                layout=layout,
            )
        return Response(RangeCreatedSerializer(created).data, status=status.HTTP_201_CREATED)

    def _writable_location(self) -> Location:
        location = self.get_object()
        _writable_warehouse(self.scope, location.warehouse_id)
        return location


# --- holidays ---------------------------------------------------------------------------------------------
class HolidayFilter(django_filters.FilterSet):
    warehouse = django_filters.UUIDFilter(field_name="warehouse_id")
    on_or_after = django_filters.DateFilter(field_name="on", lookup_expr="gte")
    on_or_before = django_filters.DateFilter(field_name="on", lookup_expr="lte")

    class Meta:
        model = Holiday
        fields: list[str] = []


@extend_schema_view(
    list=extend_schema(summary="List warehouse holidays"),
    retrieve=extend_schema(summary="Read one holiday"),
    create=extend_schema(
        summary="Add a holiday", request=HolidayWriteSerializer, responses={201: HolidaySerializer}
    ),
    destroy=extend_schema(summary="Remove a holiday"),
)
class HolidayViewSet(
    ScopedViewSetMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet
):
    """Local dates on which a warehouse does not work."""

    resource = "network"
    queryset = Holiday.objects.select_related("warehouse")
    serializer_class = HolidaySerializer
    filterset_class = HolidayFilter
    ordering_fields = ["on", "created_at"]
    ordering = ["on"]

    def get_serializer_class(self) -> type[Any]:
        return HolidayWriteSerializer if self.action == "create" else HolidaySerializer

    def create(self, request: Request) -> Response:
        serializer = HolidayWriteSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        warehouse = _writable_warehouse(self.scope, data["warehouse"])
        with transaction.atomic():
            holiday = services.holiday_add(
                actor=self.scope.actor, warehouse=warehouse, on=data["on"], name=data["name"]
            )
        return Response(HolidaySerializer(holiday).data, status=status.HTTP_201_CREATED)

    def destroy(self, request: Request, pk: str | None = None) -> Response:
        holiday = self.get_object()
        _writable_warehouse(self.scope, holiday.warehouse_id)
        with transaction.atomic():
            services.holiday_remove(actor=self.scope.actor, holiday=holiday)
        return Response(status=status.HTTP_204_NO_CONTENT)
