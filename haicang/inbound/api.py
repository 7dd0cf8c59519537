"""``/api/v1/inbound-shipments/`` and ``/api/v1/landed-costs/``: thin views over the inbound services.

Resource ``inbound``. The seller creates, changes (drafts), submits, dispatches and cancels its shipments,
changes their ETA and costs, and reads their landed cost; the operator of the destination warehouse sees
them from submission on (without prices), records arrival, receives and closes. Another party's shipment,
and a draft for the operator, answer 404. A shipment document with problems answers one 400 problem
``inbound.invalid`` whose ``errors`` list every one of them.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django.utils import timezone
from django_filters import rest_framework as django_filters
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, status
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import set_rollback

from haicang.core.api.problems import PROBLEM_CONTENT_TYPE, problem_body
from haicang.inbound import receiving, services
from haicang.inbound import serializers as s
from haicang.inbound.costing import shipment_landed_cost
from haicang.inbound.errors import InboundInvalid, ReceiptInvalid
from haicang.inbound.models import InboundShipment, LandedCostAverage, ShipmentStatus, TransportMode
from haicang.network.models import Location, Warehouse
from haicang.network.selectors import location_by_code
from haicang.parties.api.base import ScopedViewSetMixin
from haicang.parties.models import Seller
from haicang.parties.roles import PartyKind
from haicang.parties.scoping import AccessDenied, Scope, scope_queryset

READ, WRITE = "inbound:read", "inbound:write"


def _seller_of(scope: Scope) -> Seller:
    if scope.party_kind is not PartyKind.SELLER or scope.party_id is None:
        raise AccessDenied("only the seller does this with its shipments", permission=WRITE)
    return Seller.objects.get(pk=scope.party_id)


def _require_operator(scope: Scope) -> None:
    if scope.party_kind is not PartyKind.OPERATOR:
        raise AccessDenied("only the warehouse's operator does this", permission=WRITE)


class ShipmentFilter(django_filters.FilterSet):
    status = django_filters.MultipleChoiceFilter(choices=ShipmentStatus.choices)
    mode = django_filters.ChoiceFilter(choices=TransportMode.choices)
    warehouse = django_filters.UUIDFilter(field_name="warehouse_id")
    seller = django_filters.UUIDFilter(field_name="seller_id")
    number = django_filters.CharFilter(lookup_expr="iexact")
    container_number = django_filters.CharFilter(lookup_expr="iexact")
    eta_after = django_filters.DateFilter(field_name="eta", lookup_expr="gte")
    eta_before = django_filters.DateFilter(field_name="eta", lookup_expr="lt")

    class Meta:
        model = InboundShipment
        fields: list[str] = []


def invalid_problem(exc: InboundInvalid, instance: str) -> Response:
    set_rollback()
    body = problem_body(
        status=exc.status,
        code=exc.code,
        title=exc.title,
        detail=exc.detail,
        instance=instance,
        errors=[p.as_dict() for p in exc.problems],
    )
    return Response(body, status=exc.status, content_type=PROBLEM_CONTENT_TYPE)


@extend_schema_view(
    list=extend_schema(
        summary="List inbound shipments", responses=s.InboundShipmentListSerializer(many=True)
    ),
    retrieve=extend_schema(summary="Read an inbound shipment", responses=s.InboundShipmentSerializer),
)
class InboundShipmentViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, ScopedViewSetMixin):
    resource = "inbound"
    queryset = InboundShipment.objects.select_related("seller", "warehouse").prefetch_related(
        "lines__sku", "cartons__contents__sku", "customs_lines__sku", "costs", "milestones", "eta_changes"
    )
    serializer_class = s.InboundShipmentSerializer
    filterset_class = ShipmentFilter
    ordering_fields = ["created_at", "number", "eta", "status"]
    ordering = ["-created_at"]

    def get_serializer_class(self) -> Any:
        return s.InboundShipmentListSerializer if self.action == "list" else s.InboundShipmentSerializer

    def get_serializer_context(self) -> dict[str, Any]:
        return {**super().get_serializer_context(), "priced": self.scope.party_kind is PartyKind.SELLER}

    def handle_exception(self, exc: Exception) -> Response:
        if isinstance(exc, InboundInvalid):
            return invalid_problem(exc, self.request.path)
        return super().handle_exception(exc)

    def _render(self, shipment: InboundShipment, code: int = status.HTTP_200_OK) -> Response:
        fresh = self.get_queryset().get(pk=shipment.pk)
        return Response(
            s.InboundShipmentSerializer(fresh, context=self.get_serializer_context()).data, status=code
        )

    def _warehouse(self, pk: Any) -> Warehouse | None:
        """The destination by id among the warehouses the seller may see (its agreements'); None otherwise —
        the service then says why it is not a destination."""
        return (
            scope_queryset(Warehouse.objects.all(), self.scope, permission="network:read")
            .filter(pk=pk)
            .first()
        )

    @extend_schema(
        summary="Create a draft shipment",
        request=s.ShipmentWriteSerializer,
        responses={201: s.InboundShipmentSerializer},
    )
    def create(self, request: Request) -> Response:
        seller = _seller_of(self.scope)
        body = s.ShipmentWriteSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        with transaction.atomic():
            shipment = services.inbound_create(
                actor=self.scope.actor,
                seller=seller,
                warehouse=self._warehouse(body.validated_data["warehouse"]),
                spec=s.spec_from(body.validated_data),
            )
        return self._render(shipment, status.HTTP_201_CREATED)

    @extend_schema(
        summary="Change a draft shipment",
        description="Any fields; a nested list (`lines`, `cartons`, `customs_lines`, `costs`) replaces the whole "
        "list. With `version`, refused (409 `inbound.stale`) unless it is the current one.",
        request=s.ShipmentWriteSerializer,
        responses=s.InboundShipmentSerializer,
    )
    def partial_update(self, request: Request, pk: Any = None) -> Response:
        shipment = self.get_object()
        _seller_of(self.scope)
        body = s.ShipmentWriteSerializer(data=request.data, partial=True)
        body.is_valid(raise_exception=True)
        changes = s.changes_of(body.validated_data)
        if "warehouse" in body.validated_data:
            changes["warehouse"] = self._warehouse(body.validated_data["warehouse"])
        with transaction.atomic():
            changed = services.inbound_update(
                actor=self.scope.actor,
                shipment=shipment,
                changes=changes,
                version=body.validated_data.get("version"),
            )
        return self._render(changed)

    @extend_schema(
        summary="Submit the draft to the warehouse", request=None, responses=s.InboundShipmentSerializer
    )
    @action(detail=True, methods=["post"])
    def submit(self, request: Request, pk: Any = None) -> Response:
        shipment = self.get_object()
        _seller_of(self.scope)
        return self._render(services.inbound_submit(actor=self.scope.actor, shipment=shipment))

    @extend_schema(
        summary="The goods left the supplier",
        description="Units move from the supplier to in transit to the warehouse; the landed cost is kept.",
        request=s.MilestoneInSerializer,
        responses=s.InboundShipmentSerializer,
    )
    @action(detail=True, methods=["post"], url_path="dispatch", url_name="dispatch")
    def dispatch_goods(self, request: Request, pk: Any = None) -> Response:
        shipment = self.get_object()
        _seller_of(self.scope)
        body = s.MilestoneInSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        done = services.inbound_dispatch(
            actor=self.scope.actor,
            shipment=shipment,
            at=body.validated_data.get("at"),
            note=body.validated_data["note"],
        )
        return self._render(done)

    @extend_schema(
        summary="The shipment arrived", request=s.MilestoneInSerializer, responses=s.InboundShipmentSerializer
    )
    @action(detail=True, methods=["post"])
    def arrive(self, request: Request, pk: Any = None) -> Response:
        shipment = self.get_object()
        body = s.MilestoneInSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        done = services.inbound_arrive(
            actor=self.scope.actor,
            shipment=shipment,
            at=body.validated_data.get("at"),
            note=body.validated_data["note"],
        )
        return self._render(done)

    @extend_schema(
        summary="Cancel before arrival", request=s.CancelSerializer, responses=s.InboundShipmentSerializer
    )
    @action(detail=True, methods=["post"])
    def cancel(self, request: Request, pk: Any = None) -> Response:
        shipment = self.get_object()
        _seller_of(self.scope)
        body = s.CancelSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        return self._render(
            services.inbound_cancel(
                actor=self.scope.actor, shipment=shipment, reason=body.validated_data["reason"]
            )
        )

    @extend_schema(summary="Change the ETA", request=s.EtaSerializer, responses=s.InboundShipmentSerializer)
    @action(detail=True, methods=["post"])
    def eta(self, request: Request, pk: Any = None) -> Response:
        shipment = self.get_object()
        _seller_of(self.scope)
        body = s.EtaSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        return self._render(
            services.inbound_eta_change(
                actor=self.scope.actor,
                shipment=shipment,
                eta=body.validated_data["eta"],
                reason=body.validated_data["reason"],
            )
        )

    @extend_schema(
        summary="Replace the freight costs",
        description="Allowed until the shipment is closed; after dispatch the landed cost is kept again.",
        request=s.CostsSetSerializer,
        responses=s.InboundShipmentSerializer,
    )
    @action(detail=True, methods=["post"])
    def costs(self, request: Request, pk: Any = None) -> Response:
        shipment = self.get_object()
        _seller_of(self.scope)
        body = s.CostsSetSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        return self._render(
            services.inbound_costs_set(
                actor=self.scope.actor, shipment=shipment, costs=s.costs_of(body.validated_data["costs"])
            )
        )

    @extend_schema(
        summary="Receive counted units",
        description="Good units to a receiving location, damaged ones to a damaged location, dated the day of "
        "receipt. A lot-tracked SKU's line names its `lot_code` (and `expires_on` for a new lot of an "
        "expiry-tracked SKU; 400 `stock.lot_invalid` otherwise). More than expected is refused (409 "
        "`inbound.over_receipt`).",
        request=s.ReceiptSerializer,
        responses=s.InboundShipmentSerializer,
    )
    @action(detail=True, methods=["post"])
    def receive(self, request: Request, pk: Any = None) -> Response:
        shipment = self.get_object()
        _require_operator(self.scope)
        body = s.ReceiptSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = body.validated_data
        done = receiving.inbound_receive(
            actor=self.scope.actor,
            shipment=shipment,
            lines=s.receipt_lines_of(data["lines"]),
            location=self._location(shipment, data.get("location"), "location"),
            damaged_location=self._location(shipment, data.get("damaged_location"), "damaged_location"),
        )
        return self._render(done)

    def _location(self, shipment: InboundShipment, code: str | None, field: str) -> Location | None:
        if not code:
            return None
        try:
            return location_by_code(shipment.warehouse, code)
        except Exception as exc:  # a malformed or unknown code
            raise ReceiptInvalid(f"no location {code} in {shipment.warehouse.code}", field=field) from exc

    @extend_schema(
        summary="Close the shipment",
        description="Units not received are written off from in transit; the landed cost is kept once more.",
        request=s.NoteSerializer,
        responses=s.InboundShipmentSerializer,
    )
    @action(detail=True, methods=["post"])
    def close(self, request: Request, pk: Any = None) -> Response:
        shipment = self.get_object()
        _require_operator(self.scope)
        body = s.NoteSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        return self._render(
            receiving.inbound_close(
                actor=self.scope.actor, shipment=shipment, note=body.validated_data["note"]
            )
        )

    @extend_schema(
        summary="The landed cost, line by line and cost by cost",
        description="In the seller's base currency at the rates of the dispatch date (before dispatch: "
        "today's). 409 `inbound.landed_cost_unavailable` names the currencies without a rate. Sellers only.",
        request=None,
        responses=s.LandedCostSerializer,
    )
    @action(detail=True, methods=["get"], url_path="landed-cost")
    def landed_cost(self, request: Request, pk: Any = None) -> Response:
        shipment = self.get_object()
        if self.scope.party_kind is not PartyKind.SELLER:
            raise AccessDenied("the landed cost is the seller's", permission=READ)
        result = shipment_landed_cost(shipment)
        data = {
            "currency": result.currency,
            "fx_date": shipment.fx_date or _today(),
            "goods_total": result.goods_total,
            "costs_total": result.costs_total,
            "total": result.total,
            "lines": result.lines,
            "costs": result.costs,
        }
        return Response(s.LandedCostSerializer(data).data)


def _today() -> dt.date:
    return timezone.localdate()


class LandedCostFilter(django_filters.FilterSet):
    sku = django_filters.UUIDFilter(field_name="sku_id")
    sku_code = django_filters.CharFilter(field_name="sku__code")
    warehouse = django_filters.UUIDFilter(field_name="warehouse_id")

    class Meta:
        model = LandedCostAverage
        fields: list[str] = []


@extend_schema_view(
    list=extend_schema(summary="Weighted-average landed unit cost per SKU and warehouse (sellers)"),
    retrieve=extend_schema(summary="One SKU's weighted-average landed unit cost at one warehouse"),
)
class LandedCostAverageViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, ScopedViewSetMixin):
    resource = "inbound"
    queryset = LandedCostAverage.objects.select_related("sku", "warehouse", "last_shipment").filter(
        units_received__gt=0
    )
    serializer_class = s.LandedCostAverageSerializer
    filterset_class = LandedCostFilter
    ordering_fields = ["updated_at"]
    ordering = ["sku__code", "warehouse__code"]


# --- receiving: scans, discrepancies, the receipt report (operator; the seller answers the report) ---------

from haicang.inbound.models import Carton, Discrepancy, ReceivingScan  # noqa: E402


def _carton_of(shipment: InboundShipment, number: int | None) -> Carton | None:
    if number is None:
        return None
    carton = Carton.objects.filter(shipment=shipment, number=number).first()
    if carton is None:
        raise ReceiptInvalid(f"{shipment.number} has no carton {number}", field="carton")
    return carton


def _location_of(shipment: InboundShipment, code: str | None, field: str) -> Location | None:
    if not code:
        return None
    try:
        return location_by_code(shipment.warehouse, code)
    except Exception as exc:  # a malformed or unknown code
        raise ReceiptInvalid(f"no location {code} in {shipment.warehouse.code}", field=field) from exc


class InboundReceivingViewSet(ScopedViewSetMixin):
    """``inbound-shipments/{id}/scans/``, ``…/confirm-carton/``, ``…/discrepancies/``,
    ``…/receipt-report/`` (+ ``acknowledge/``, ``dispute/``; the operator's ``resolve/``): receiving routes of
    a shipment."""

    resource = "inbound"
    queryset = InboundShipment.objects.select_related("seller", "warehouse")
    serializer_class = s.ReceiptReportSerializer

    @extend_schema(
        summary="Record a scan (operator)",
        description="A carton label (`<seller>/<ASN number>/<carton>`) selects a carton; a SKU's barcode or code "
        "receives `quantity` units (default 1; `damaged` sends them to the damaged location with a damaged "
        "discrepancy). The scan is **kept** either way: 201 with `status` `applied`, or `rejected` with "
        "`reason_code` (`inbound.scan_unknown`, `inbound.sku_not_on_shipment`, `inbound.carton_unknown`, "
        "`inbound.over_receipt`, `inbound.status_invalid`, …) and `reason`.",
        request=s.ScanInSerializer,
        responses={201: s.ReceivingScanSerializer},
    )
    @action(detail=True, methods=["post"])
    def scans(self, request: Request, pk: Any = None) -> Response:
        from haicang.inbound.scanning import receiving_scan_record

        shipment = self.get_object()
        _require_operator(self.scope)
        body = s.ScanInSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = body.validated_data
        scan = receiving_scan_record(
            actor=self.scope.actor,
            shipment=shipment,
            raw=data["raw"],
            carton=_carton_of(shipment, data.get("carton")),
            quantity=data["quantity"],
            damaged=data["damaged"],
            note=data["note"],
            location=_location_of(shipment, data.get("location"), "location"),
            damaged_location=_location_of(shipment, data.get("damaged_location"), "damaged_location"),
            lot_code=data["lot_code"],
            expires_on=data["expires_on"],
        )
        return Response(s.ReceivingScanSerializer(scan).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        summary="Confirm a carton as labelled (operator)",
        description="Receives, per SKU the carton declares, the units not counted in it yet. Kept as scans "
        "(`kind` `confirm`); refused as a whole as one rejected scan.",
        request=s.CartonConfirmInSerializer,
        responses={201: s.ReceivingScanSerializer(many=True)},
    )
    @action(detail=True, methods=["post"], url_path="confirm-carton", url_name="confirm-carton")
    def confirm_carton(self, request: Request, pk: Any = None) -> Response:
        from haicang.inbound.scanning import receiving_carton_confirm

        shipment = self.get_object()
        _require_operator(self.scope)
        body = s.CartonConfirmInSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        carton = _carton_of(shipment, body.validated_data["carton"])
        if carton is None:
            raise ReceiptInvalid("name the carton to confirm", field="carton")
        scans = receiving_carton_confirm(
            actor=self.scope.actor,
            shipment=shipment,
            carton=carton,
            location=_location_of(shipment, body.validated_data.get("location"), "location"),
            lot_code=body.validated_data["lot_code"],
            expires_on=body.validated_data["expires_on"],
        )
        return Response(s.ReceivingScanSerializer(scans, many=True).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        summary="Record a discrepancy (operator)",
        description="`over` (units beyond what a SKU of the shipment expects, once nothing is open) and "
        "`unexpected_sku` (a SKU not on the shipment) are received into a receiving location and need a `note`; "
        "`damaged` units go to the damaged location. JSON, or multipart with a `photo`. `short` is recorded "
        "by the close.",
        request={
            "application/json": s.DiscrepancyInSerializer,
            "multipart/form-data": s.DiscrepancyInSerializer,
        },
        responses={201: s.DiscrepancySerializer},
    )
    @action(detail=True, methods=["post"])
    def discrepancies(self, request: Request, pk: Any = None) -> Response:
        from haicang.catalog.models import Sku
        from haicang.inbound.discrepancies import Photo, discrepancy_record

        shipment = self.get_object()
        _require_operator(self.scope)
        body = s.DiscrepancyInSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = body.validated_data
        ref = s.sku_ref(data)
        skus = Sku.objects.filter(seller_id=shipment.seller_id)
        sku = skus.filter(pk=ref).first() if not isinstance(ref, str) else skus.filter(code=ref).first()
        if sku is None:
            raise ReceiptInvalid(f"{ref} is not a SKU of {shipment.seller.code}", field="sku")
        upload = data.get("photo")
        found = discrepancy_record(
            actor=self.scope.actor,
            shipment=shipment,
            kind=data["kind"],
            sku=sku,
            quantity=data["quantity"],
            note=data["note"],
            carton=_carton_of(shipment, data.get("carton")),
            photo=Photo(upload.read(), upload.name) if upload is not None else None,
            location=_location_of(shipment, data.get("location"), "location"),
            damaged_location=_location_of(shipment, data.get("damaged_location"), "damaged_location"),
            lot_code=data["lot_code"],
            expires_on=data["expires_on"],
        )
        return Response(s.DiscrepancySerializer(found).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        summary="The receipt report",
        description="Per SKU expected, received (over included), damaged, short, over and the discrepancies. "
        "Kept when the shipment is closed (`status` open, acknowledged, disputed, resolved — the operator "
        "answered the dispute; the `dispute` and its `resolution` stay readable); before that a `preview` from "
        "the current counts. Both parties.",
        request=None,
        responses=s.ReceiptReportSerializer,
    )
    @action(detail=True, methods=["get"], url_path="receipt-report", url_name="receipt-report")
    def receipt_report(self, request: Request, pk: Any = None) -> Response:
        from haicang.inbound.receipt_report import report_or_preview

        shipment = self.get_object()
        return Response(s.ReceiptReportSerializer(report_or_preview(shipment)).data)

    def _answer(self, request: Request, dispute: bool) -> Response:
        from haicang.inbound.receipt_report import (
            inbound_report_acknowledge,
            inbound_report_dispute,
            report_payload,
        )

        shipment = self.get_object()
        _seller_of(self.scope)
        body = s.ReportAnswerSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        note = body.validated_data["note"]
        answer = inbound_report_dispute if dispute else inbound_report_acknowledge
        report = answer(actor=self.scope.actor, shipment=shipment, note=note)
        return Response(s.ReceiptReportSerializer(report_payload(report)).data)

    @extend_schema(
        summary="Acknowledge the receipt report (seller)",
        description="Final; also after a dispute. 409 `inbound.report_missing` before the close, "
        "`inbound.report_status_invalid` when already acknowledged.",
        request=s.ReportAnswerSerializer,
        responses=s.ReceiptReportSerializer,
    )
    @action(
        detail=True,
        methods=["post"],
        url_path="receipt-report/acknowledge",
        url_name="receipt-report-acknowledge",
    )
    def receipt_report_acknowledge(self, request: Request, pk: Any = None) -> Response:
        return self._answer(request, dispute=False)

    @extend_schema(
        summary="Dispute the receipt report (seller)",
        description="With a `note` saying why (required); announced as `inbound.report_disputed`.",
        request=s.ReportAnswerSerializer,
        responses=s.ReceiptReportSerializer,
    )
    @action(
        detail=True, methods=["post"], url_path="receipt-report/dispute", url_name="receipt-report-dispute"
    )
    def receipt_report_dispute(self, request: Request, pk: Any = None) -> Response:
        return self._answer(request, dispute=True)

    @extend_schema(
        summary="Answer the seller's dispute (operator)",
        description="The operator of the shipment's warehouse answers a disputed receipt report once: "
        "`outcome` `accepted` (the claim holds; `note` says what is adjusted) or `rejected` (`note` says why). "
        "Announced as `inbound.report_resolved` to both parties. 409 `inbound.report_status_invalid` unless "
        "the report is disputed; 403 for a seller; 404 for a shipment of another operator's warehouse.",
        request=s.ReportResolveSerializer,
        responses=s.ReceiptReportSerializer,
    )
    @action(
        detail=True, methods=["post"], url_path="receipt-report/resolve", url_name="receipt-report-resolve"
    )
    def receipt_report_resolve(self, request: Request, pk: Any = None) -> Response:
        from haicang.inbound.receipt_report import inbound_report_resolve, report_payload

        shipment = self.get_object()
        _require_operator(self.scope)
        body = s.ReportResolveSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        report = inbound_report_resolve(
            actor=self.scope.actor,
            shipment=shipment,
            outcome=body.validated_data["outcome"],
            note=body.validated_data["note"],
        )
        return Response(s.ReceiptReportSerializer(report_payload(report)).data)


class ScanFilter(django_filters.FilterSet):
    shipment = django_filters.UUIDFilter(field_name="shipment_id")
    status = django_filters.ChoiceFilter(choices=[("applied", "applied"), ("rejected", "rejected")])
    carton = django_filters.NumberFilter(field_name="carton__number")

    class Meta:
        model = ReceivingScan
        fields: list[str] = []


@extend_schema_view(
    list=extend_schema(summary="Receiving scans, applied and rejected (operator)"),
    retrieve=extend_schema(summary="One receiving scan"),
)
class ReceivingScanViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, ScopedViewSetMixin):
    resource = "inbound"
    queryset = ReceivingScan.objects.select_related("shipment", "carton", "sku")
    serializer_class = s.ReceivingScanSerializer
    filterset_class = ScanFilter
    ordering_fields = ["at"]
    ordering = ["-at"]


class DiscrepancyFilter(django_filters.FilterSet):
    shipment = django_filters.UUIDFilter(field_name="shipment_id")
    kind = django_filters.CharFilter()

    class Meta:
        model = Discrepancy
        fields: list[str] = []


@extend_schema_view(
    list=extend_schema(summary="Discrepancies found on receipt (both parties)"),
    retrieve=extend_schema(summary="One discrepancy"),
)
class DiscrepancyViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, ScopedViewSetMixin):
    resource = "inbound"
    queryset = Discrepancy.objects.select_related("shipment", "carton", "sku")
    serializer_class = s.DiscrepancySerializer
    filterset_class = DiscrepancyFilter
    ordering_fields = ["at"]
    ordering = ["at"]

    @extend_schema(summary="The discrepancy's photo", request=None, responses={(200, "image/*"): bytes})
    @action(detail=True, methods=["get"])
    def photo(self, request: Request, pk: Any = None) -> Any:
        from haicang.inbound.receiving_views import photo_response

        return photo_response(self.get_object())
