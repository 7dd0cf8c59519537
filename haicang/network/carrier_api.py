"""``/api/v1/carriers/``, ``/api/v1/carrier-services/``, ``/api/v1/rate-cards/`` and ``/api/v1/rate-quotes/``.

Resource ``network``, through the scoping helper: an operator sees and (``network:write``) changes its own
carriers, services and cards; a seller reads those shipping from the warehouses its agreements cover; another
party's object answers 404. Quoting computes and writes nothing, so ``POST /rate-quotes/`` needs only
``network:read`` — for any warehouse the caller can see.
"""

from __future__ import annotations

import uuid
from typing import Any, ClassVar

from django.db import transaction
from django.db.models import Prefetch, Q, QuerySet
from django_filters import rest_framework as django_filters
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, status
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from haicang.core.errors import NotFound
from haicang.network.carrier_selectors import rate_quotes, warehouse_carrier_services
from haicang.network.carrier_serializers import (
    CarrierSerializer,
    CarrierServiceSerializer,
    CarrierServiceWriteSerializer,
    CarrierWriteSerializer,
    RateCardDetailSerializer,
    RateCardSerializer,
    RateCardWriteSerializer,
    RateQuoteRequestSerializer,
    RateQuotesSerializer,
)
from haicang.network.errors import CarrierInvalid, CarrierServiceInvalid, RateCardInvalid
from haicang.network.models import Carrier, CarrierService, RateCard, RateZone, ServiceLevel, Warehouse
from haicang.network.rates import Destination, Parcel
from haicang.network.services import carriers as services
from haicang.parties.access import scope_for_request
from haicang.parties.api.base import ResourcePermission, ScopedViewSetMixin
from haicang.parties.models import Operator
from haicang.parties.scoping import AccessDenied, Scope, scope_queryset, scoped_get

READ, WRITE = "network:read", "network:write"


def _operator_of(scope: Scope) -> Operator:
    if scope.operator_id is None:
        raise AccessDenied("only a warehouse operator keeps carriers and rate cards", permission=WRITE)
    return Operator.objects.get(pk=scope.operator_id)


def _own(scope: Scope, operator_id: Any) -> None:
    if operator_id != scope.operator_id:
        raise AccessDenied("only the operator whose data this is changes it", permission=WRITE)


def _scoped[M: Any](queryset: QuerySet[M], scope: Scope, pk: uuid.UUID | str, field: str, error: type) -> M:
    """An object named in the body: in scope, else a validation error naming the field (not a 404)."""
    try:
        return scoped_get(queryset, scope, permission=WRITE, pk=pk)
    except NotFound as exc:
        raise error(f"no {field} {pk} of yours", field=field) from exc


class ArchiveMixin:
    """``POST …/{id}/archive/``: the view's ``archive_service`` on the object, by its operator."""

    archive_service: ClassVar[Any]
    subject_name: ClassVar[str]

    def owner_id(self, obj: Any) -> Any:
        return obj.operator_id

    @extend_schema(summary="Archive: no longer quoted; the history stays", request=None)
    @action(detail=True, methods=["post"])
    def archive(self, request: Request, pk: str | None = None) -> Response:
        view: Any = self
        obj = view.get_object()
        _own(view.scope, self.owner_id(obj))
        with transaction.atomic():
            obj = type(self).archive_service(actor=view.scope.actor, **{self.subject_name: obj})
        response: Response = view._render(obj)
        return response


# --- carriers -----------------------------------------------------------------------------------------------
class CarrierFilter(django_filters.FilterSet):
    code = django_filters.CharFilter(field_name="code", lookup_expr="iexact")
    active = django_filters.BooleanFilter(field_name="is_active")

    class Meta:
        model = Carrier
        fields: list[str] = []


@extend_schema_view(
    list=extend_schema(summary="List carriers"),
    retrieve=extend_schema(summary="Read one carrier"),
    create=extend_schema(
        summary="Add a carrier", request=CarrierWriteSerializer, responses={201: CarrierSerializer}
    ),
    partial_update=extend_schema(
        summary="Change a carrier's name or tracking URL",
        request=CarrierWriteSerializer,
        responses={200: CarrierSerializer},
    ),
)
class CarrierViewSet(ArchiveMixin, ScopedViewSetMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin):
    resource = "network"
    queryset = Carrier.objects.all()
    serializer_class = CarrierSerializer
    filterset_class = CarrierFilter
    ordering_fields = ["code", "name", "created_at"]
    ordering = ["code"]
    archive_service = staticmethod(services.carrier_archive)
    subject_name = "carrier"

    def get_serializer_class(self) -> type[Any]:
        return CarrierWriteSerializer if self.action in ("create", "partial_update") else CarrierSerializer

    def _render(self, obj: Any, status_code: int = status.HTTP_200_OK) -> Response:
        return Response(CarrierSerializer(self.get_queryset().get(pk=obj.pk)).data, status=status_code)

    def create(self, request: Request) -> Response:
        operator = _operator_of(self.scope)
        serializer = CarrierWriteSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        with transaction.atomic():
            carrier = services.carrier_create(
                actor=self.scope.actor, operator=operator, **serializer.validated_data
            )
        return self._render(carrier, status.HTTP_201_CREATED)

    def partial_update(self, request: Request, pk: str | None = None) -> Response:
        carrier = self.get_object()
        _own(self.scope, carrier.operator_id)
        serializer = CarrierWriteSerializer(data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        if "code" in data and data.pop("code").strip().upper() != carrier.code:
            raise CarrierInvalid("a carrier's code never changes", field="code")
        with transaction.atomic():
            carrier = services.carrier_update(actor=self.scope.actor, carrier=carrier, **data)
        return self._render(carrier)


# --- services -----------------------------------------------------------------------------------------------
class CarrierServiceFilter(django_filters.FilterSet):
    carrier = django_filters.UUIDFilter(field_name="carrier_id")
    warehouse = django_filters.UUIDFilter(
        field_name="warehouses", distinct=True, label="Ships from this warehouse"
    )
    country = django_filters.CharFilter(field_name="countries__country", lookup_expr="iexact", distinct=True)
    level = django_filters.ChoiceFilter(field_name="service_level", choices=ServiceLevel.choices)
    code = django_filters.CharFilter(field_name="code", lookup_expr="iexact")
    active = django_filters.BooleanFilter(field_name="is_active")

    class Meta:
        model = CarrierService
        fields: list[str] = []


@extend_schema_view(
    list=extend_schema(summary="List carrier services"),
    retrieve=extend_schema(summary="Read one carrier service"),
    create=extend_schema(
        summary="Add a carrier service",
        request=CarrierServiceWriteSerializer,
        responses={201: CarrierServiceSerializer},
    ),
    partial_update=extend_schema(
        summary="Change a service, its warehouses or countries",
        request=CarrierServiceWriteSerializer,
        responses={200: CarrierServiceSerializer},
    ),
)
class CarrierServiceViewSet(
    ArchiveMixin, ScopedViewSetMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin
):
    resource = "network"
    queryset = CarrierService.objects.select_related("carrier").prefetch_related("warehouses", "countries")
    serializer_class = CarrierServiceSerializer
    filterset_class = CarrierServiceFilter
    ordering_fields = ["code", "name", "created_at"]
    ordering = ["code"]
    archive_service = staticmethod(services.carrier_service_archive)
    subject_name = "service"

    def get_serializer_class(self) -> type[Any]:
        if self.action in ("create", "partial_update"):
            return CarrierServiceWriteSerializer
        return CarrierServiceSerializer

    def _render(self, obj: Any, status_code: int = status.HTTP_200_OK) -> Response:
        return Response(CarrierServiceSerializer(self.get_queryset().get(pk=obj.pk)).data, status=status_code)

    def _warehouses(self, ids: list[uuid.UUID]) -> list[Warehouse]:
        return [
            _scoped(Warehouse.objects.all(), self.scope, pk, "warehouses", CarrierServiceInvalid)
            for pk in ids
        ]

    def create(self, request: Request) -> Response:
        _operator_of(self.scope)
        serializer = CarrierServiceWriteSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        carrier = _scoped(
            Carrier.objects.all(), self.scope, data.pop("carrier"), "carrier", CarrierServiceInvalid
        )
        _own(self.scope, carrier.operator_id)
        warehouses = self._warehouses(data.pop("warehouses", []))
        with transaction.atomic():
            service = services.carrier_service_create(
                actor=self.scope.actor, carrier=carrier, warehouses=warehouses, **data
            )
        return self._render(service, status.HTTP_201_CREATED)

    def partial_update(self, request: Request, pk: str | None = None) -> Response:
        service = self.get_object()
        _own(self.scope, service.operator_id)
        serializer = CarrierServiceWriteSerializer(data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        if "code" in data and data.pop("code").strip().upper() != service.code:
            raise CarrierServiceInvalid("a service's code never changes", field="code")
        if "carrier" in data and data.pop("carrier") != service.carrier_id:
            raise CarrierServiceInvalid("a service's carrier never changes", field="carrier")
        if "warehouses" in data:
            data["warehouses"] = self._warehouses(data["warehouses"])
        with transaction.atomic():
            service = services.carrier_service_update(actor=self.scope.actor, service=service, **data)
        return self._render(service)


# --- rate cards ---------------------------------------------------------------------------------------------
class RateCardFilter(django_filters.FilterSet):
    service = django_filters.UUIDFilter(field_name="service_id")
    warehouse = django_filters.UUIDFilter(field_name="service__warehouses", distinct=True)
    active = django_filters.BooleanFilter(field_name="is_active")
    on = django_filters.DateFilter(method="in_effect_on", label="In effect on this date")

    class Meta:
        model = RateCard
        fields: list[str] = []

    def in_effect_on(self, queryset: QuerySet[RateCard], name: str, value: Any) -> QuerySet[RateCard]:
        return queryset.filter(effective_from__lte=value).filter(
            Q(effective_to__isnull=True) | Q(effective_to__gte=value)
        )


_CARD_PARAMS = (
    "effective_from",
    "effective_to",
    "dim_divisor",
    "dim_threshold_mm3",
    "fuel_surcharge_pct",
    "fuel_on_surcharges",
    "residential_surcharge",
    "remote_surcharge",
)


@extend_schema_view(
    list=extend_schema(summary="List rate cards", responses=RateCardSerializer(many=True)),
    retrieve=extend_schema(summary="Read a rate card with its zones, areas and weight breaks"),
    create=extend_schema(
        summary="Add a whole rate card",
        request=RateCardWriteSerializer,
        responses={201: RateCardDetailSerializer},
    ),
    partial_update=extend_schema(
        summary="Change a card's dates, divisor, fuel or surcharges",
        request=RateCardWriteSerializer,
        responses={200: RateCardDetailSerializer},
    ),
)
class RateCardViewSet(ArchiveMixin, ScopedViewSetMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin):
    resource = "network"
    queryset = RateCard.objects.select_related("service")
    serializer_class = RateCardDetailSerializer
    filterset_class = RateCardFilter
    ordering_fields = ["effective_from", "created_at"]
    ordering = ["service__code", "-effective_from"]
    archive_service = staticmethod(services.rate_card_archive)
    subject_name = "card"

    def owner_id(self, obj: Any) -> Any:
        return obj.service.operator_id

    def get_queryset(self) -> QuerySet[Any]:
        queryset = super().get_queryset()
        if self.action != "list":
            zones = RateZone.objects.prefetch_related("areas", "breaks").order_by("name")
            queryset = queryset.prefetch_related(Prefetch("zones", queryset=zones), "remote_areas")
        return queryset

    def get_serializer_class(self) -> type[Any]:
        if self.action in ("create", "partial_update"):
            return RateCardWriteSerializer
        return RateCardSerializer if self.action == "list" else RateCardDetailSerializer

    def _render(self, obj: Any, status_code: int = status.HTTP_200_OK) -> Response:
        return Response(RateCardDetailSerializer(self.get_queryset().get(pk=obj.pk)).data, status=status_code)

    def create(self, request: Request) -> Response:
        _operator_of(self.scope)
        serializer = RateCardWriteSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        service = _scoped(
            CarrierService.objects.all(), self.scope, data.pop("service"), "service", RateCardInvalid
        )
        _own(self.scope, service.operator_id)
        zones = serializer.zone_specs()
        data.pop("zones")
        remote = [(a["country"].upper(), a["prefix"]) for a in data.pop("remote_areas", [])]
        with transaction.atomic():
            card = services.rate_card_create(
                actor=self.scope.actor, service=service, zones=zones, remote_areas=remote, **data
            )
        return self._render(card, status.HTTP_201_CREATED)

    def partial_update(self, request: Request, pk: str | None = None) -> Response:
        card = self.get_object()
        _own(self.scope, card.service.operator_id)
        serializer = RateCardWriteSerializer(data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        fixed = sorted(set(data) - set(_CARD_PARAMS))
        if fixed:
            raise RateCardInvalid(
                f"{', '.join(fixed)} cannot be changed: new prices or zones are a new card", field=fixed[0]
            )
        with transaction.atomic():
            card = services.rate_card_update(actor=self.scope.actor, card=card, **data)
        return self._render(card)


# --- quotes -------------------------------------------------------------------------------------------------
class QuotePermission(ResourcePermission):
    """Quoting computes and writes nothing: ``network:read`` suffices for its POST."""

    def has_permission(self, request: Request, view: Any) -> bool:
        if not (request.user and request.user.is_authenticated):
            return False
        scope_for_request(request).require(READ)
        return True


class RateQuoteViewSet(ScopedViewSetMixin):
    """``POST /api/v1/rate-quotes/``: every service of a warehouse priced for one parcel, cheapest first."""

    resource = "network"
    read_methods = frozenset({"POST"})  # the route walk reads this: the POST needs network:read
    permission_classes = [QuotePermission]
    queryset = CarrierService.objects.all()
    serializer_class = RateQuoteRequestSerializer

    @extend_schema(
        summary="Quote every service of a warehouse for a parcel",
        description=(
            "Serviceable services first, cheapest first (compared in the warehouse's currency), each with its "
            "breakdown; then the services that cannot carry the parcel, with the reason."
        ),
        request=RateQuoteRequestSerializer,
        responses={200: RateQuotesSerializer},
    )
    def create(self, request: Request) -> Response:
        serializer = RateQuoteRequestSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        scope = self.scope
        warehouse = scoped_get(Warehouse.objects.all(), scope, permission=READ, pk=data["warehouse"])
        visible = scope_queryset(warehouse_carrier_services(warehouse), scope, permission=READ)
        answers = rate_quotes(
            warehouse=warehouse,
            parcel=Parcel(**data["parcel"]),
            destination=Destination(
                country=data["destination"]["country"].upper(),
                postcode=data["destination"]["postcode"],
                residential=data["destination"]["residential"],
            ),
            on=data.get("on"),
            services=visible,
        )
        on = data.get("on") or _today(warehouse)
        body = RateQuotesSerializer({"warehouse": warehouse.pk, "on": on, "quotes": answers}).data
        return Response(body)


def _today(warehouse: Warehouse) -> Any:
    from zoneinfo import ZoneInfo

    from django.utils import timezone

    return timezone.localdate(timezone=ZoneInfo(warehouse.time_zone))
