"""``/api/v1/box-types/`` and ``/api/v1/pickup-schedules/``: the operator's box catalogue and its carriers'
pick-up times (docs/fulfillment.md, "Setup: boxes and pick-up times").

Resource ``fulfillment``, through the scoping helper: an operator reads (``fulfillment:read``) and changes
(``fulfillment:write``) its own; a seller sees none; another operator's object answers 404. The views parse and
call one service of ``haicang.fulfillment.setup``, which checks and audits.
"""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django_filters import rest_framework as django_filters
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, serializers, status
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from haicang.fulfillment import setup as services
from haicang.fulfillment.errors import PickupInvalid
from haicang.fulfillment.models import BoxType, PickupSchedule
from haicang.fulfillment.setup import MAX_BOX_WEIGHT_G, MAX_SIDE_MM
from haicang.network.carrier_serializers import CarrierRefSerializer
from haicang.network.models import Carrier, Warehouse
from haicang.parties.api.base import ScopedViewSetMixin
from haicang.parties.models import Operator
from haicang.parties.scoping import AccessDenied, Scope

WRITE = "fulfillment:write"


def _operator_of(scope: Scope) -> Operator:
    if scope.operator_id is None:
        raise AccessDenied("only a warehouse operator keeps boxes and pick-up times", permission=WRITE)
    return Operator.objects.get(pk=scope.operator_id)


# --- serializers -------------------------------------------------------------------------------------------------
class BoxTypeSerializer(serializers.ModelSerializer):
    operator = serializers.UUIDField(source="operator_id", read_only=True)
    inner_volume_mm3 = serializers.IntegerField(read_only=True, min_value=1)

    class Meta:
        model = BoxType
        fields = [
            "id",
            "operator",
            "code",
            "name",
            "inner_length_mm",
            "inner_width_mm",
            "inner_height_mm",
            "inner_volume_mm3",
            "max_weight_g",
            "tare_g",
            "is_active",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields


class BoxTypeWriteSerializer(serializers.Serializer):
    code = serializers.CharField(max_length=20, help_text="Unique in your catalogue; never changes, e.g. S2")
    name = serializers.CharField(max_length=100)
    inner_length_mm = serializers.IntegerField(min_value=1, max_value=MAX_SIDE_MM)
    inner_width_mm = serializers.IntegerField(min_value=1, max_value=MAX_SIDE_MM)
    inner_height_mm = serializers.IntegerField(min_value=1, max_value=MAX_SIDE_MM)
    max_weight_g = serializers.IntegerField(
        min_value=1, max_value=MAX_BOX_WEIGHT_G, help_text="Rated gross weight: items and box together"
    )
    tare_g = serializers.IntegerField(min_value=0, max_value=MAX_BOX_WEIGHT_G, default=0)


class BoxTypeUpdateSerializer(BoxTypeWriteSerializer):
    """The code never changes; a box parcels were packed in keeps its inner size and tare (409 box.in_use)."""

    code = None  # type: ignore[assignment]


class PickupWarehouseSerializer(serializers.Serializer):
    id = serializers.UUIDField()
    code = serializers.CharField()
    time_zone = serializers.CharField()


class PickupScheduleSerializer(serializers.ModelSerializer):
    warehouse = PickupWarehouseSerializer(read_only=True)
    carrier = CarrierRefSerializer(read_only=True)
    pickup_time = serializers.TimeField(
        format="%H:%M", read_only=True, help_text="Local time at the warehouse"
    )
    weekdays = serializers.ListField(
        child=serializers.IntegerField(min_value=1, max_value=7),
        read_only=True,
        help_text="ISO weekdays, 1 = Monday … 7 = Sunday",
    )

    class Meta:
        model = PickupSchedule
        fields = [
            "id",
            "warehouse",
            "carrier",
            "pickup_time",
            "weekdays",
            "is_active",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields


class PickupScheduleWriteSerializer(serializers.Serializer):
    warehouse = serializers.UUIDField()
    carrier = serializers.UUIDField()
    pickup_time = serializers.TimeField(help_text="Local time at the warehouse, HH:MM")
    weekdays = serializers.ListField(
        child=serializers.IntegerField(min_value=1, max_value=7),
        min_length=1,
        max_length=7,
        default=[1, 2, 3, 4, 5],
        help_text="ISO weekdays, 1 = Monday … 7 = Sunday",
    )


class PickupScheduleUpdateSerializer(serializers.Serializer):
    pickup_time = serializers.TimeField(required=False, help_text="Local time at the warehouse, HH:MM")
    weekdays = serializers.ListField(
        child=serializers.IntegerField(min_value=1, max_value=7), min_length=1, max_length=7, required=False
    )
    is_active = serializers.BooleanField(required=False, help_text="false: paused")


# --- filters -----------------------------------------------------------------------------------------------------
class BoxTypeFilter(django_filters.FilterSet):
    code = django_filters.CharFilter(field_name="code", lookup_expr="iexact")
    active = django_filters.BooleanFilter(field_name="is_active")

    class Meta:
        model = BoxType
        fields: list[str] = []


class PickupScheduleFilter(django_filters.FilterSet):
    warehouse = django_filters.UUIDFilter(field_name="warehouse_id")
    carrier = django_filters.UUIDFilter(field_name="carrier_id")
    active = django_filters.BooleanFilter(field_name="is_active")

    class Meta:
        model = PickupSchedule
        fields: list[str] = []


# --- views -------------------------------------------------------------------------------------------------------
@extend_schema_view(
    list=extend_schema(summary="List the boxes of your catalogue"),
    retrieve=extend_schema(summary="Read one box"),
    create=extend_schema(
        summary="Add a box to your catalogue",
        request=BoxTypeWriteSerializer,
        responses={201: BoxTypeSerializer},
    ),
    partial_update=extend_schema(
        summary="Change a box's name, size, rated weight or tare",
        request=BoxTypeUpdateSerializer,
        responses={200: BoxTypeSerializer},
    ),
)
class BoxTypeViewSet(
    ScopedViewSetMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin
):
    resource = "fulfillment"
    queryset = BoxType.objects.all()
    serializer_class = BoxTypeSerializer
    filterset_class = BoxTypeFilter
    ordering_fields = ["code", "name", "created_at"]
    ordering = ["code"]
    http_method_names = ["get", "post", "patch", "head", "options"]

    def _render(self, box: BoxType, status_code: int = status.HTTP_200_OK) -> Response:
        return Response(BoxTypeSerializer(box).data, status=status_code)

    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        operator = _operator_of(self.scope)
        body = BoxTypeWriteSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        with transaction.atomic():
            box = services.box_type_create(actor=self.scope.actor, operator=operator, **body.validated_data)
        return self._render(box, status.HTTP_201_CREATED)

    def partial_update(self, request: Request, pk: str | None = None) -> Response:
        box = self.get_object()
        body = BoxTypeUpdateSerializer(data=request.data, partial=True)
        body.is_valid(raise_exception=True)
        with transaction.atomic():
            box = services.box_type_update(actor=self.scope.actor, box_type=box, **body.validated_data)
        return self._render(box)

    @extend_schema(summary="Deactivate a box: no longer suggested nor offered", request=None)
    @action(detail=True, methods=["post"])
    def deactivate(self, request: Request, pk: str | None = None) -> Response:
        with transaction.atomic():
            box = services.box_type_deactivate(actor=self.scope.actor, box_type=self.get_object())
        return self._render(box)

    @extend_schema(summary="Offer a deactivated box again", request=None)
    @action(detail=True, methods=["post"])
    def reactivate(self, request: Request, pk: str | None = None) -> Response:
        with transaction.atomic():
            box = services.box_type_reactivate(actor=self.scope.actor, box_type=self.get_object())
        return self._render(box)


@extend_schema_view(
    list=extend_schema(summary="List the carriers' pick-up times at your warehouses"),
    retrieve=extend_schema(summary="Read one pick-up time"),
    create=extend_schema(
        summary="Add a carrier's pick-up time at a warehouse",
        request=PickupScheduleWriteSerializer,
        responses={201: PickupScheduleSerializer},
    ),
    partial_update=extend_schema(
        summary="Move, change the days of, pause or resume a pick-up time",
        request=PickupScheduleUpdateSerializer,
        responses={200: PickupScheduleSerializer},
    ),
    destroy=extend_schema(summary="Delete a pick-up time"),
)
class PickupScheduleViewSet(
    ScopedViewSetMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.DestroyModelMixin,
):
    resource = "fulfillment"
    queryset = PickupSchedule.objects.select_related("warehouse", "carrier")
    serializer_class = PickupScheduleSerializer
    filterset_class = PickupScheduleFilter
    ordering_fields = ["pickup_time", "created_at"]
    ordering = ["warehouse__code", "pickup_time"]
    http_method_names = ["get", "post", "patch", "delete", "head", "options"]

    def _render(self, schedule: PickupSchedule, status_code: int = status.HTTP_200_OK) -> Response:
        found = PickupSchedule.objects.select_related("warehouse", "carrier").get(pk=schedule.pk)
        return Response(PickupScheduleSerializer(found).data, status=status_code)

    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        operator = _operator_of(self.scope)
        body = PickupScheduleWriteSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = body.validated_data
        warehouse = Warehouse.objects.filter(operator=operator, pk=data["warehouse"]).first()
        if warehouse is None:
            raise PickupInvalid(f"no warehouse {data['warehouse']} of yours", field="warehouse")
        carrier = Carrier.objects.filter(operator=operator, pk=data["carrier"]).first()
        if carrier is None:
            raise PickupInvalid(f"no carrier {data['carrier']} of yours", field="carrier")
        with transaction.atomic():
            schedule = services.pickup_schedule_create(
                actor=self.scope.actor,
                warehouse=warehouse,
                carrier=carrier,
                pickup_time=data["pickup_time"],
                weekdays=data["weekdays"],
            )
        return self._render(schedule, status.HTTP_201_CREATED)

    def partial_update(self, request: Request, pk: str | None = None) -> Response:
        schedule = self.get_object()
        body = PickupScheduleUpdateSerializer(data=request.data, partial=True)
        body.is_valid(raise_exception=True)
        with transaction.atomic():
            schedule = services.pickup_schedule_update(
                actor=self.scope.actor, schedule=schedule, **body.validated_data
            )
        return self._render(schedule)

    def destroy(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        schedule = self.get_object()
        with transaction.atomic():
            services.pickup_schedule_delete(actor=self.scope.actor, schedule=schedule)
        return Response(status=status.HTTP_204_NO_CONTENT)
