"""The picking API under ``/api/v1/`` (resource ``fulfillment``; docs/fulfillment.md, "Outbound work", "Waves",
"Picking").

- ``outbounds/`` (sellers read their own, without the warehouse's internal fields), ``outbounds/queues/``
  (the operator's counts, and pick-up countdowns with ``?warehouse=``), ``outbounds/{id}/hand-back/``,
  ``…/requeue/``;
- ``outbound-requests/{request id}/accept/``, ``…/reject/``, ``…/answer-cancellation/`` — the operator's answers
  to fulfillment requests, through the outbound services;
- ``waves/``, ``waves/plan/``, ``waves/{id}/release/``, ``…/cancel/``, ``waves/release-planned/``;
- ``pick-lists/``, ``pick-lists/{id}/start/``, ``…/scans/`` (a refused scan is kept: 201 with ``result``
  ``refused`` and its ``reason_code``), ``…/short/``;
- ``pick-exceptions/``, ``pick-exceptions/{id}/resolve/``.

Writes need ``fulfillment:write`` and an operator; another party's object is 404; errors are problem details.
"""

from __future__ import annotations

from dataclasses import asdict, replace
from typing import Any

from django.utils import timezone
from django_filters import rest_framework as django_filters
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import mixins, status
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from haicang.core.errors import NotFound
from haicang.fulfillment import api_picking_serializers as s
from haicang.fulfillment import selectors
from haicang.fulfillment.errors import NothingToWave
from haicang.fulfillment.models import (
    ExceptionResolution,
    ExceptionStatus,
    Outbound,
    OutboundStatus,
    PickException,
    PickList,
    PickListStatus,
    PickMode,
    Wave,
    WaveStatus,
)
from haicang.fulfillment.outbound import (
    outbound_accept,
    outbound_cancellation_answer,
    outbound_hand_back,
    outbound_reject,
    outbound_requeue,
)
from haicang.fulfillment.picking import pick_exception_resolve, pick_list_start, pick_scan, pick_short
from haicang.fulfillment.waves import DEFAULT_LIMITS, wave_cancel, wave_plan, wave_release, waves_release
from haicang.network.models import Warehouse
from haicang.orders.fulfilment_api import request_detail
from haicang.orders.models_fulfilment import FulfillmentRequest
from haicang.parties.api.base import ScopedViewSetMixin
from haicang.parties.scoping import AccessDenied, Scope

WRITE = "fulfillment:write"


def operator_of(scope: Scope) -> Any:
    if scope.operator_id is None:
        raise AccessDenied("this is the warehouse operator's work", permission=WRITE)
    return scope.operator_id


def warehouse_of(scope: Scope, pk: Any) -> Warehouse:
    found = Warehouse.objects.filter(operator_id=operator_of(scope), pk=pk).first() if pk else None
    if found is None:
        raise NotFound(f"no warehouse of yours with id {pk}", field="warehouse")
    return found


# --- outbounds ------------------------------------------------------------------------------------------------
class OutboundFilter(django_filters.FilterSet):
    status = django_filters.MultipleChoiceFilter(choices=OutboundStatus.choices)
    warehouse = django_filters.UUIDFilter(field_name="warehouse_id")
    wave = django_filters.UUIDFilter(field_name="wave_id")
    number = django_filters.CharFilter(lookup_expr="iexact")

    class Meta:
        model = Outbound
        fields: list[str] = []


@extend_schema_view(
    list=extend_schema(summary="List outbounds", responses=s.OutboundSerializer(many=True)),
    retrieve=extend_schema(summary="Read an outbound", responses=s.OutboundSerializer),
)
class OutboundViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, ScopedViewSetMixin):
    resource = "fulfillment"
    queryset = Outbound.objects.all()
    serializer_class = s.OutboundSerializer
    filterset_class = OutboundFilter
    ordering_fields = ["due_at", "accepted_at", "number", "status"]
    ordering = ["due_at"]

    def get_queryset(self) -> Any:
        return selectors.outbounds(self.scope)

    def get_serializer_context(self) -> dict[str, Any]:
        return {**super().get_serializer_context(), "operator": self.scope.operator_id is not None}

    def _answer(self, outbound: Outbound) -> Response:
        fresh = self.get_queryset().get(pk=outbound.pk)
        return Response(s.OutboundSerializer(fresh, context=self.get_serializer_context()).data)

    @extend_schema(
        summary="Work queues and pick-up countdowns (operator)",
        parameters=[OpenApiParameter("warehouse", OpenApiTypes.UUID, description="One warehouse of yours")],
        responses=s.QueuesSerializer,
    )
    @action(detail=False, methods=["get"])
    def queues(self, request: Request) -> Response:
        operator_of(self.scope)
        raw = request.query_params.get("warehouse")
        warehouse = warehouse_of(self.scope, raw) if raw else None
        queues = selectors.work_queues(self.scope, warehouse=warehouse)
        countdowns = (
            selectors.pickup_countdowns(self.scope, warehouse=warehouse, now=timezone.now())
            if warehouse
            else []
        )
        data = {**asdict(queues), "countdowns": countdowns}
        return Response(s.QueuesSerializer(data).data)

    @extend_schema(
        summary="Hand the outbound back to the seller's routing (operator)",
        description="Open pick tasks are cancelled, the outbound is cancelled and the fulfillment request "
        "cancelled with the reason; the seller re-routes.",
        request=s.ReasonInputSerializer,
        responses=s.OutboundSerializer,
    )
    @action(detail=True, methods=["post"], url_path="hand-back")
    def hand_back(self, request: Request, pk: Any = None) -> Response:
        operator_of(self.scope)
        outbound = self.get_object()
        body = s.ReasonInputSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        done = outbound_hand_back(
            actor=self.scope.actor, outbound=outbound, reason=body.validated_data["reason"]
        )
        return self._answer(done)

    @extend_schema(
        summary="Put an outbound in exception back in the wave queue (operator)",
        request=None,
        responses=s.OutboundSerializer,
    )
    @action(detail=True, methods=["post"])
    def requeue(self, request: Request, pk: Any = None) -> Response:
        operator_of(self.scope)
        return self._answer(outbound_requeue(actor=self.scope.actor, outbound=self.get_object()))


class OutboundRequestViewSet(ScopedViewSetMixin):
    """The operator's answers to fulfillment requests, through the outbound services."""

    resource = "fulfillment"
    queryset = FulfillmentRequest.objects.all()
    filter_backends: list[Any] = []

    def _request(self) -> FulfillmentRequest:
        operator = operator_of(self.scope)
        found: FulfillmentRequest = self.get_object()
        if found.operator_id != operator:  # pragma: no cover - scoping shows an operator its own only
            raise AccessDenied("only the warehouse's operator answers a request", permission=WRITE)
        return found

    def _answer(self, request: FulfillmentRequest, code: int = status.HTTP_200_OK) -> Response:
        fresh = (
            selectors.requests_of_operator(self.scope)
            .select_related("agreement", "operator")
            .prefetch_related("lines__sku", "history")
            .get(pk=request.pk)
        )
        return Response(request_detail(fresh, self.scope, now=timezone.now()), status=code)

    @extend_schema(
        summary="Accept a fulfillment request and create its outbound (operator)",
        request=None,
        responses=OpenApiTypes.OBJECT,
    )
    @action(detail=True, methods=["post"])
    def accept(self, request: Request, pk: Any = None) -> Response:
        outbound = outbound_accept(actor=self.scope.actor, request=self._request())
        return self._answer(outbound.request)

    @extend_schema(
        summary="Reject a submitted fulfillment request with a reason (operator)",
        request=s.ReasonInputSerializer,
        responses=OpenApiTypes.OBJECT,
    )
    @action(detail=True, methods=["post"])
    def reject(self, request: Request, pk: Any = None) -> Response:
        found = self._request()
        body = s.ReasonInputSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        return self._answer(
            outbound_reject(actor=self.scope.actor, request=found, reason=body.validated_data["reason"])
        )

    @extend_schema(
        summary="Answer the seller's cancellation request (operator)",
        description="Accept until the outbound has shipped (its pick tasks are cancelled, the outbound and the "
        "request cancelled), or refuse with a reason.",
        request=s.CancellationAnswerInputSerializer,
        responses=OpenApiTypes.OBJECT,
    )
    @action(detail=True, methods=["post"], url_path="answer-cancellation")
    def answer_cancellation(self, request: Request, pk: Any = None) -> Response:
        found = self._request()
        body = s.CancellationAnswerInputSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        done = outbound_cancellation_answer(
            actor=self.scope.actor,
            request=found,
            accept=body.validated_data["accept"],
            reason=body.validated_data["reason"],
        )
        return self._answer(done)


# --- waves ----------------------------------------------------------------------------------------------------
class WaveFilter(django_filters.FilterSet):
    status = django_filters.MultipleChoiceFilter(choices=WaveStatus.choices)
    warehouse = django_filters.UUIDFilter(field_name="warehouse_id")

    class Meta:
        model = Wave
        fields: list[str] = []


@extend_schema_view(
    list=extend_schema(summary="List waves (operator)", responses=s.WaveSerializer(many=True)),
    retrieve=extend_schema(
        summary="Read a wave with its pick lists (operator)", responses=s.WaveDetailSerializer
    ),
)
class WaveViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, ScopedViewSetMixin):
    resource = "fulfillment"
    queryset = Wave.objects.all()
    serializer_class = s.WaveSerializer
    filterset_class = WaveFilter
    ordering_fields = ["pickup_at", "planned_at", "number", "status"]
    ordering = ["-planned_at"]

    def get_queryset(self) -> Any:
        return selectors.waves(self.scope)

    def get_serializer_class(self) -> Any:
        return s.WaveDetailSerializer if self.action == "retrieve" else s.WaveSerializer

    def _answer(self, wave: Wave, code: int = status.HTTP_200_OK) -> Response:
        return Response(s.WaveDetailSerializer(self.get_queryset().get(pk=wave.pk)).data, status=code)

    @extend_schema(
        summary="Plan the waiting requests of a warehouse into waves (operator)",
        description="Every accepted request waiting for a wave is planned: grouped by carrier pick-up, "
        "service level and zone. 409 fulfillment.nothing_to_wave when none waits.",
        request=s.WavePlanInputSerializer,
        responses={201: s.WaveSerializer(many=True)},
    )
    @action(detail=False, methods=["post"])
    def plan(self, request: Request) -> Response:
        operator_of(self.scope)
        body = s.WavePlanInputSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = body.validated_data
        warehouse = warehouse_of(self.scope, data["warehouse"])
        limits = replace(
            DEFAULT_LIMITS,
            **{k: data[k] for k in ("max_units_per_wave", "max_requests_per_wave") if k in data},
        )
        made = wave_plan(actor=self.scope.actor, warehouse=warehouse, limits=limits)
        fresh = self.get_queryset().filter(pk__in=[w.pk for w in made]).order_by("pickup_at", "number")
        return Response(s.WaveSerializer(fresh, many=True).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        summary="Release a planned wave into pick lists (operator)",
        request=s.WaveReleaseInputSerializer,
        responses=s.WaveDetailSerializer,
    )
    @action(detail=True, methods=["post"])
    def release(self, request: Request, pk: Any = None) -> Response:
        operator_of(self.scope)
        wave = self.get_object()
        body = s.WaveReleaseInputSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        limits = replace(DEFAULT_LIMITS, **dict(body.validated_data))
        return self._answer(wave_release(actor=self.scope.actor, wave=wave, limits=limits))

    @extend_schema(
        summary="Release every planned wave of a warehouse at once (operator)",
        description="All or nothing; 409 fulfillment.nothing_to_wave when no wave is planned.",
        request=s.WaveReleaseAllInputSerializer,
        responses=s.WaveSerializer(many=True),
    )
    @action(detail=False, methods=["post"], url_path="release-planned")
    def release_planned(self, request: Request) -> Response:
        operator_of(self.scope)
        body = s.WaveReleaseAllInputSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = dict(body.validated_data)
        warehouse = warehouse_of(self.scope, data.pop("warehouse"))
        planned = list(
            self.get_queryset()
            .filter(warehouse=warehouse, status=WaveStatus.PLANNED)
            .order_by("pickup_at", "number")
        )
        if not planned:
            raise NothingToWave(f"no wave is planned at {warehouse.code}", field="warehouse")
        done = waves_release(actor=self.scope.actor, waves=planned, limits=replace(DEFAULT_LIMITS, **data))
        fresh = self.get_queryset().filter(pk__in=[w.pk for w in done]).order_by("pickup_at", "number")
        return Response(s.WaveSerializer(fresh, many=True).data)

    @extend_schema(summary="Cancel a planned wave (operator)", request=None, responses=s.WaveDetailSerializer)
    @action(detail=True, methods=["post"])
    def cancel(self, request: Request, pk: Any = None) -> Response:
        operator_of(self.scope)
        return self._answer(wave_cancel(actor=self.scope.actor, wave=self.get_object()))


# --- pick lists -----------------------------------------------------------------------------------------------
class PickListFilter(django_filters.FilterSet):
    status = django_filters.MultipleChoiceFilter(choices=PickListStatus.choices)
    mode = django_filters.ChoiceFilter(choices=PickMode.choices)
    warehouse = django_filters.UUIDFilter(field_name="warehouse_id")
    wave = django_filters.UUIDFilter(field_name="wave_id")

    class Meta:
        model = PickList
        fields: list[str] = []


@extend_schema_view(
    list=extend_schema(summary="List pick lists (operator)", responses=s.PickListSerializer(many=True)),
    retrieve=extend_schema(
        summary="Read a pick list with its tasks in walking order (operator)",
        responses=s.PickListDetailSerializer,
    ),
)
class PickListViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, ScopedViewSetMixin):
    resource = "fulfillment"
    queryset = PickList.objects.all()
    serializer_class = s.PickListSerializer
    filterset_class = PickListFilter
    ordering_fields = ["number", "created_at", "status"]
    ordering = ["number"]

    def get_queryset(self) -> Any:
        return selectors.pick_lists(self.scope)

    def get_serializer_class(self) -> Any:
        return s.PickListDetailSerializer if self.action == "retrieve" else s.PickListSerializer

    def _answer(self, pick_list: PickList) -> Response:
        return Response(s.PickListDetailSerializer(self.get_queryset().get(pk=pick_list.pk)).data)

    @extend_schema(
        summary="Start picking a list (operator)",
        request=s.PickStartInputSerializer,
        responses=s.PickListDetailSerializer,
    )
    @action(detail=True, methods=["post"])
    def start(self, request: Request, pk: Any = None) -> Response:
        operator_of(self.scope)
        pick_list = self.get_object()
        body = s.PickStartInputSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        return self._answer(
            pick_list_start(
                actor=self.scope.actor, pick_list=pick_list, assignee=body.validated_data["assignee"]
            )
        )

    @extend_schema(
        summary="Scan at the current stop: bin, then item and quantity (operator)",
        description="The scan is checked against the current task and **kept** either way: 201 with `result` "
        "`accepted`, or `refused` with `reason_code` (pick.wrong_bin, pick.unknown_barcode, pick.wrong_item, "
        "pick.wrong_quantity) and nothing applied. Without `barcode` it is a bin scan only.",
        request=s.PickScanInputSerializer,
        responses={201: s.PickScanSerializer},
    )
    @action(detail=True, methods=["post"])
    def scans(self, request: Request, pk: Any = None) -> Response:
        operator_of(self.scope)
        pick_list = self.get_object()
        body = s.PickScanInputSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = body.validated_data
        scan = pick_scan(
            actor=self.scope.actor,
            pick_list=pick_list,
            bin_code=data["bin_code"],
            barcode=data["barcode"],
            quantity=data["quantity"],
        )
        return Response(s.PickScanSerializer(scan).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        summary="Report a short pick at a task (operator)",
        description="The task becomes short, a pick exception records the missing units, the outbound goes to "
        "exception and the bin is flagged for a cycle count.",
        request=s.PickShortInputSerializer,
        responses={201: s.PickExceptionSerializer},
    )
    @action(detail=True, methods=["post"])
    def short(self, request: Request, pk: Any = None) -> Response:
        operator_of(self.scope)
        pick_list = self.get_object()
        body = s.PickShortInputSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        task = pick_list.tasks.filter(pk=body.validated_data["task"]).select_related("outbound").first()
        if task is None:
            raise NotFound(f"{pick_list.number} has no task {body.validated_data['task']}", field="task")
        exception = pick_short(actor=self.scope.actor, task=task, found=body.validated_data["found"])
        fresh = selectors.pick_exceptions(self.scope).get(pk=exception.pk)
        return Response(s.PickExceptionSerializer(fresh).data, status=status.HTTP_201_CREATED)


# --- short picks ----------------------------------------------------------------------------------------------
class PickExceptionFilter(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(choices=ExceptionStatus.choices)
    warehouse = django_filters.UUIDFilter(field_name="warehouse_id")

    class Meta:
        model = PickException
        fields: list[str] = []


@extend_schema_view(
    list=extend_schema(summary="List short picks (operator)", responses=s.PickExceptionSerializer(many=True)),
    retrieve=extend_schema(summary="Read a short pick (operator)", responses=s.PickExceptionSerializer),
)
class PickExceptionViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, ScopedViewSetMixin):
    resource = "fulfillment"
    queryset = PickException.objects.all()
    serializer_class = s.PickExceptionSerializer
    filterset_class = PickExceptionFilter
    ordering_fields = ["raised_at", "status"]
    ordering = ["-raised_at"]

    def get_queryset(self) -> Any:
        return selectors.pick_exceptions(self.scope)

    @extend_schema(
        summary="Resolve a short pick: another bin, or hand back to the seller (operator)",
        description="`other_bin`: new tasks on the same list from other bins (409 pick.no_other_bin when none "
        "holds the units); `handed_back`: the request goes back to the seller's routing; `auto`: another bin "
        "when one holds them, else hand back.",
        request=s.ResolveInputSerializer,
        responses=s.PickExceptionSerializer,
    )
    @action(detail=True, methods=["post"])
    def resolve(self, request: Request, pk: Any = None) -> Response:
        operator_of(self.scope)
        exception = self.get_object()
        body = s.ResolveInputSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        wanted = body.validated_data["resolution"]
        resolution = None if wanted == "auto" else wanted
        if resolution is not None and resolution not in ExceptionResolution.values:
            from haicang.core.errors import ValidationFailed

            raise ValidationFailed("resolution is other_bin, handed_back or auto", field="resolution")
        done = pick_exception_resolve(
            actor=self.scope.actor,
            exception=exception,
            resolution=resolution,
            note=body.validated_data["note"],
        )
        return Response(s.PickExceptionSerializer(self.get_queryset().get(pk=done.pk)).data)
