"""The packing and shipping API under ``/api/v1/`` (resource ``fulfillment``; docs/fulfillment.md, "Packing and
rate shopping", "Labels", "Ship confirmation").

- ``outbounds/{id}/pack/`` — ``GET``: what is left to pack, the suggested box and the parcels so far;
  ``POST`` ``{weight_g, box_type?, length_mm?, width_mm?, height_mm?, lines?}``: pack a parcel (201);
- ``outbounds/{id}/ship/`` — confirm every labelled parcel and ship the outbound;
- ``box-suggestions/`` — ``POST {items: [{sku, quantity}]}``: the smallest box of your catalogue for them;
- ``parcels/`` (sellers read their own, without rate and reason), ``parcels/{id}/rates/`` (the quotes and the
  rate shop's choice, operator), ``…/rate/`` (re-rate, or take a service), ``…/label/`` (buy the label),
  ``…/label/pdf/`` and ``…/label/zpl/`` (downloads), ``…/void/``, ``…/ship/``;
- ``dock-scans/`` — ``POST {raw, warehouse?}``: confirm a scanned label (201; a refused label is kept and
  answered with ``result`` ``refused`` and its ``reason_code``), ``GET``: the latest scans.

Writes need ``fulfillment:write`` and an operator; another party's object is 404; errors are problem details.
"""

from __future__ import annotations

import uuid
from typing import Any

from django.db.models import Q
from django.http import HttpResponse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import mixins, status
from rest_framework.decorators import action
from rest_framework.permissions import IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response

from haicang.catalog.models import Sku
from haicang.core.errors import NotFound, ValidationFailed
from haicang.fulfillment import api_packing_serializers as s
from haicang.fulfillment import packing_selectors
from haicang.fulfillment.labelling import parcel_label, parcel_label_document, parcel_label_void
from haicang.fulfillment.models import BoxType, DockScan, Outbound, Parcel
from haicang.fulfillment.packing import (
    BoxAdvice,
    PackItem,
    RateShopResult,
    box_suggestion,
    items_to_pack,
    items_weight_g,
    parcel_pack,
    parcel_rate_shop,
    parcel_rate_shop_preview,
)
from haicang.fulfillment.rate_shop import Choice
from haicang.fulfillment.shipping import dock_scan, outbound_ship, parcel_ship
from haicang.network.models import CarrierService, Warehouse
from haicang.network.rates import Quote
from haicang.parties.api.base import ScopedViewSetMixin
from haicang.parties.scoping import AccessDenied, Scope

WRITE = "fulfillment:write"


def operator_of(scope: Scope) -> Any:
    if scope.operator_id is None:
        raise AccessDenied("this is the warehouse operator's work", permission=WRITE)
    return scope.operator_id


def label_access_check(scope: Scope) -> None:
    """A label carries the customer's name and address: the operator's staff read it, a seller's member only with
    ``orders:pii`` (as on the order page) — else 403."""
    if scope.seller_id is not None and not scope.can("orders:pii"):
        raise AccessDenied("the label carries the customer's name and address", permission="orders:pii")


def _uuid(raw: Any) -> uuid.UUID | None:
    try:
        return uuid.UUID(str(raw))
    except ValueError:
        return None


def box_of(scope: Scope, raw: Any) -> BoxType | None:
    if raw in (None, ""):
        return None
    key = _uuid(raw)
    boxes = BoxType.objects.filter(operator_id=operator_of(scope), is_active=True)
    found = boxes.filter(pk=key).first() if key else boxes.filter(code__iexact=str(raw).strip()).first()
    if found is None:
        raise ValidationFailed(f"{raw!r} is not an active box of your catalogue", field="box_type")
    return found


def service_of(scope: Scope, raw: Any) -> CarrierService | None:
    if raw in (None, ""):
        return None
    key = _uuid(raw)
    services = CarrierService.objects.filter(operator_id=operator_of(scope)).select_related("carrier")
    found = services.filter(pk=key).first() if key else services.filter(code__iexact=str(raw).strip()).first()
    if found is None:
        raise ValidationFailed(f"{raw!r} is not one of your carrier services", field="service")
    return found


def sku_of(outbound_seller_id: Any, raw: Any) -> Sku:
    key = _uuid(raw)
    skus = Sku.objects.filter(seller_id=outbound_seller_id)
    found = skus.filter(pk=key).first() if key else skus.filter(code=str(raw).strip()).first()
    if found is None:
        raise ValidationFailed(f"no SKU {raw!r} of this seller", field="lines")
    return found


def _dims(data: dict[str, Any]) -> tuple[int, int, int] | None:
    sides = [data.get("length_mm"), data.get("width_mm"), data.get("height_mm")]
    if all(side is None for side in sides):
        return None
    if any(side is None for side in sides):
        raise ValidationFailed("give all three dimensions, or none", field="length_mm")
    return (int(sides[0]), int(sides[1]), int(sides[2]))  # type: ignore[arg-type]


def suggestion_data(advice: BoxAdvice) -> dict[str, Any]:
    choice = advice.choice
    return {
        "box": {"id": advice.box.pk, "code": advice.box.code} if advice.box is not None else None,
        "reason": advice.reason,
        "fill_percent": choice.fill_percent if choice is not None else None,
        "gross_weight_g": choice.gross_weight_g if choice is not None else None,
        "skipped": [{"code": k.code, "reason": str(k.reason), "detail": k.detail} for k in advice.skipped],
        "placements": [p._asdict() for p in choice.placements] if choice is not None else [],
    }


def _money(value: Any) -> dict[str, str] | None:
    return None if value is None else {"amount": str(value.amount), "currency": value.currency}


def rate_shop_data(shop: RateShopResult) -> dict[str, Any]:
    choice = shop.choice
    chosen = choice.option.code if isinstance(choice, Choice) else None
    options = {o.code: o for o in shop.options}
    quotes = []
    for answer in shop.quotes:
        option = options[answer.service.code]
        quote = answer.result if isinstance(answer.result, Quote) else None
        quotes.append(
            {
                "service": {"id": answer.service.pk, "code": answer.service.code},
                "label": option.label,
                "service_class": option.service_class,
                "serviceable": quote is not None,
                "refusal": option.refusal,
                "total": _money(quote.total) if quote else None,
                "comparable": _money(answer.comparable),
                "transit_days": option.transit_days,
                "arrives_on": shop.arrives_on(option) if quote else None,
                "billable_weight_g": quote.billable_weight_g if quote else None,
                "dimensional_weight_g": quote.dimensional_weight_g if quote else None,
                "chosen": answer.service.code == chosen,
            }
        )
    chosen_service = next((q.service for q in shop.quotes if q.service.code == chosen), None)
    return {
        "ship_on": shop.ship_on,
        "requirement": shop.requirement.label,
        "deliver_by": shop.requirement.deliver_by,
        "chosen": {"id": chosen_service.pk, "code": chosen_service.code} if chosen_service else None,
        "late": bool(isinstance(choice, Choice) and choice.late),
        "reason": choice.reason,
        "quotes": quotes,
    }


# --- outbounds: pack and ship ------------------------------------------------------------------------------------
class PackingOutboundViewSet(ScopedViewSetMixin):
    """Packing and shipping an outbound (the outbound itself is read at ``outbounds/{id}/``)."""

    resource = "fulfillment"
    queryset = Outbound.objects.all()
    filter_backends: list[Any] = []

    def _parcel_context(self) -> dict[str, Any]:
        return {"request": self.request, "operator": self.scope.operator_id is not None}

    def _to_pack(self, outbound: Outbound) -> dict[str, Any]:
        items = items_to_pack(outbound)
        advice = box_suggestion(operator_id=outbound.operator_id, items=items)
        parcels = (
            packing_selectors.parcels(self.scope).filter(outbound=outbound).order_by("packed_at", "number")
        )
        return {
            "outbound": {"id": outbound.pk, "number": outbound.number},
            "status": outbound.status,
            "service_level": outbound.service_level,
            "due_at": outbound.due_at,
            "items": [{"sku": {"id": i.sku.pk, "code": i.sku.code}, "quantity": i.quantity} for i in items],
            "items_weight_g": items_weight_g(items),
            "suggestion": suggestion_data(advice),
            "parcels": list(parcels),  # serialised by ToPackSerializer (with this view's context)
        }

    @extend_schema(
        methods=["GET"],
        summary="What is left to pack, the suggested box and the parcels so far (operator)",
        responses=s.ToPackSerializer,
    )
    @extend_schema(
        methods=["POST"],
        summary="Pack a parcel",
        description="Records the measured weight, the box (default: the suggested one) and the outer "
        "dimensions (default: the box's), then rate-shops the parcel. 409 fulfillment.transition_invalid "
        "unless the outbound is picked or packed; 400 pack.no_box_fits when no box fits and no dimensions are "
        "given.",
        request=s.PackInputSerializer,
        responses={201: s.PackedParcelSerializer},
    )
    @action(detail=True, methods=["get", "post"])
    def pack(self, request: Request, pk: Any = None) -> Response:
        outbound = packing_selectors.outbound_get(self.scope, pk)  # first: another party's outbound is 404
        operator_of(self.scope)
        if request.method == "GET":
            return Response(s.ToPackSerializer(self._to_pack(outbound), context=self._parcel_context()).data)
        self.scope.require(WRITE)
        body = s.PackInputSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = body.validated_data
        lines = data.get("lines")
        parcel = parcel_pack(
            actor=self.scope.actor,
            outbound=outbound,
            weight_g=data["weight_g"],
            box_type=box_of(self.scope, data.get("box_type")),
            dims=_dims(data),
            lines=[(sku_of(outbound.seller_id, line["sku"]), line["quantity"]) for line in lines]
            if lines
            else None,
        )
        fresh = packing_selectors.parcel_get(self.scope, parcel.pk)
        return Response(
            s.PackedParcelSerializer(fresh, context=self._parcel_context()).data,
            status=status.HTTP_201_CREATED,
        )

    @extend_schema(
        summary="Ship the outbound: confirm every labelled parcel",
        description="Consumes the reservation from the picked bins, marks the request shipped with the "
        "carrier and tracking numbers and tells the seller (outbound.shipped). 409 ship.already_shipped on a "
        "second confirmation, ship.units_not_packed, ship.not_labelled.",
        request=None,
        responses={200: s.PackedParcelSerializer(many=True)},
    )
    @action(detail=True, methods=["post"])
    def ship(self, request: Request, pk: Any = None) -> Response:
        operator_of(self.scope)
        self.scope.require(WRITE)
        outbound = packing_selectors.outbound_get(self.scope, pk)
        outbound_ship(actor=self.scope.actor, outbound=outbound)
        parcels = (
            packing_selectors.parcels(self.scope).filter(outbound=outbound).order_by("packed_at", "number")
        )
        return Response(s.PackedParcelSerializer(parcels, many=True, context=self._parcel_context()).data)


class BoxSuggestionViewSet(ScopedViewSetMixin):
    """The smallest box of the operator's catalogue for some SKUs."""

    resource = "fulfillment"
    read_methods = frozenset({"POST"})  # the route walk reads this: the POST needs fulfillment:read
    queryset = BoxType.objects.all()
    filter_backends: list[Any] = []
    permission_classes = [IsAuthenticated]  # a suggestion writes nothing: fulfillment:read is checked below

    @extend_schema(
        summary="Suggest a box for items",
        description="Reads only; needs fulfillment:read and an operator. The SKUs must belong to one seller "
        "under an agreement with you.",
        request=s.SuggestInputSerializer,
        responses=s.BoxSuggestionSerializer,
    )
    def create(self, request: Request) -> Response:
        operator = operator_of(self.scope)
        self.scope.require("fulfillment:read")
        body = s.SuggestInputSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        items = []
        for line in body.validated_data["items"]:
            key = _uuid(line["sku"])
            skus = Sku.objects.filter(seller__agreements__operator_id=operator).distinct()
            sku = skus.filter(pk=key).first() if key else skus.filter(code=str(line["sku"]).strip()).first()
            if sku is None:
                raise ValidationFailed(f"no SKU {line['sku']!r} of a seller of yours", field="items")
            items.append(PackItem(sku, line["quantity"]))
        advice = box_suggestion(operator_id=operator, items=items)
        return Response(s.BoxSuggestionSerializer(suggestion_data(advice)).data)


# --- parcels -----------------------------------------------------------------------------------------------------
@extend_schema_view(
    list=extend_schema(summary="List parcels", responses=s.PackedParcelSerializer(many=True)),
    retrieve=extend_schema(summary="Read a parcel", responses=s.PackedParcelSerializer),
)
class ParcelViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, ScopedViewSetMixin):
    resource = "fulfillment"
    queryset = Parcel.objects.all()
    serializer_class = s.PackedParcelSerializer
    ordering = ["-packed_at"]
    filter_backends: list[Any] = []

    def get_queryset(self) -> Any:
        queryset = packing_selectors.parcels(self.scope).order_by("-packed_at", "number")
        params = self.request.query_params
        if params.get("outbound"):
            outbound_id = _uuid(params["outbound"])
            queryset = queryset.filter(outbound_id=outbound_id) if outbound_id else queryset.none()
        if params.get("status"):
            queryset = queryset.filter(status=params["status"])
        if params.get("tracking_number"):
            text = params["tracking_number"].strip()
            queryset = queryset.filter(Q(tracking_number__iexact=text) | Q(number__iexact=text))
        return queryset

    def get_serializer_context(self) -> dict[str, Any]:
        return {**super().get_serializer_context(), "operator": self.scope.operator_id is not None}

    def _answer(self, parcel: Parcel, code: int = status.HTTP_200_OK) -> Response:
        fresh = packing_selectors.parcel_get(self.scope, parcel.pk)
        return Response(
            s.PackedParcelSerializer(fresh, context=self.get_serializer_context()).data, status=code
        )

    def _mine(self, pk: Any, *, write: bool = True) -> Parcel:
        parcel = packing_selectors.parcel_get(self.scope, pk)  # first: another party's parcel is 404
        operator_of(self.scope)
        if write:
            self.scope.require(WRITE)
        return parcel

    @extend_schema(
        summary="Rate quotes for a parcel and the rate shop's choice (operator)",
        responses=s.RateShopSerializer,
    )
    @action(detail=True, methods=["get"])
    def rates(self, request: Request, pk: Any = None) -> Response:
        parcel = self._mine(pk, write=False)
        return Response(s.RateShopSerializer(rate_shop_data(parcel_rate_shop_preview(parcel))).data)

    @extend_schema(
        summary="Rate a packed parcel again, or take a service",
        description="With `service`: that service (it must be able to carry the parcel); without: the rate "
        "shop's choice. A corrected weight or dimensions may be given. 409 pack.no_service when none can carry "
        "it; fulfillment.transition_invalid once labelled.",
        request=s.RateInputSerializer,
        responses=s.PackedParcelSerializer,
    )
    @action(detail=True, methods=["post"])
    def rate(self, request: Request, pk: Any = None) -> Response:
        parcel = self._mine(pk)
        body = s.RateInputSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = body.validated_data
        parcel_rate_shop(
            actor=self.scope.actor,
            parcel=parcel,
            service=service_of(self.scope, data.get("service")),
            weight_g=data.get("weight_g"),
            dims=_dims(data),
        )
        return self._answer(parcel)

    @extend_schema(
        summary="Buy the parcel's label",
        description="Through the carrier's adapter (the sandbox carrier for demo carriers): the tracking "
        "number and the 4×6 in label as PDF and ZPL. 409 label.refused once labelled; carrier.* errors.",
        request=None,
        responses={201: s.PackedParcelSerializer},
    )
    @action(detail=True, methods=["post"])
    def label(self, request: Request, pk: Any = None) -> Response:
        parcel = self._mine(pk)
        parcel_label(actor=self.scope.actor, parcel=parcel)
        return self._answer(parcel, status.HTTP_201_CREATED)

    def _document(self, pk: Any, fmt: str) -> HttpResponse:
        parcel = packing_selectors.parcel_get(self.scope, pk)  # sellers may read their parcels' labels…
        label_access_check(self.scope)  # … when they may see their customers' personal data
        body = parcel_label_document(actor=self.scope.actor, parcel=parcel, fmt=fmt)
        kind = "application/pdf" if fmt == "pdf" else "application/vnd.zebra.zpl"
        response = HttpResponse(body, content_type=kind)
        response["Content-Disposition"] = (
            f'{"inline" if fmt == "pdf" else "attachment"}; filename="{parcel.number}.{fmt}"'
        )
        response["Cache-Control"] = "no-store"
        response["X-Content-Type-Options"] = "nosniff"
        return response

    @extend_schema(
        summary="The label as PDF (4×6 in)",
        responses={(200, "application/pdf"): OpenApiResponse(OpenApiTypes.BINARY, description="The label")},
    )
    @action(detail=True, methods=["get"], url_path="label/pdf", url_name="label-pdf")
    def label_pdf(self, request: Request, pk: Any = None) -> HttpResponse:
        return self._document(pk, "pdf")

    @extend_schema(
        summary="The label as ZPL (thermal printers, 203 dpi)",
        responses={
            (200, "application/vnd.zebra.zpl"): OpenApiResponse(OpenApiTypes.BINARY, description="ZPL II")
        },
    )
    @action(detail=True, methods=["get"], url_path="label/zpl", url_name="label-zpl")
    def label_zpl(self, request: Request, pk: Any = None) -> HttpResponse:
        return self._document(pk, "zpl")

    @extend_schema(
        summary="Void the parcel's label",
        description="The carrier cancels it (refused once it has scanned the parcel: 409 label.refused); the "
        "parcel is voided and its units are to pack again.",
        request=s.VoidInputSerializer,
        responses=s.PackedParcelSerializer,
    )
    @action(detail=True, methods=["post"])
    def void(self, request: Request, pk: Any = None) -> Response:
        parcel = self._mine(pk)
        body = s.VoidInputSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        parcel_label_void(actor=self.scope.actor, parcel=parcel, reason=body.validated_data.get("reason", ""))
        return self._answer(parcel)

    @extend_schema(
        summary="Confirm the parcel shipped",
        description="The outbound ships with its last parcel. 409 ship.already_shipped on a second "
        "confirmation, ship.not_labelled.",
        request=None,
        responses=s.PackedParcelSerializer,
    )
    @action(detail=True, methods=["post"])
    def ship(self, request: Request, pk: Any = None) -> Response:
        parcel = self._mine(pk)
        parcel_ship(actor=self.scope.actor, parcel=parcel)
        return self._answer(parcel)


# --- the dock ----------------------------------------------------------------------------------------------------
def dock_scan_data(scan: DockScan) -> dict[str, Any]:
    return {
        "id": scan.pk,
        "raw": scan.raw,
        "result": scan.result,
        "reason_code": scan.reason_code,
        "message": scan.message,
        "parcel_ref": {"id": scan.parcel.pk, "number": scan.parcel.number}
        if scan.parcel is not None
        else None,
        "warehouse_id": scan.warehouse_id,
        "actor": scan.actor,
        "occurred_at": scan.occurred_at,
    }


class DockScanViewSet(mixins.ListModelMixin, ScopedViewSetMixin):
    """Parcel labels scanned at the dock: confirmed as shipped, or refused with the reason (kept)."""

    resource = "fulfillment"
    queryset = DockScan.objects.all()
    filter_backends: list[Any] = []

    @extend_schema(summary="The latest dock scans (operator)", responses=s.DockScanSerializer(many=True))
    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        operator_of(self.scope)
        scans = self.get_queryset().select_related("parcel").order_by("-occurred_at")
        page = self.paginate_queryset(scans)
        rows = [dock_scan_data(scan) for scan in (page if page is not None else scans[:100])]
        data = s.DockScanSerializer(rows, many=True).data
        return self.get_paginated_response(data) if page is not None else Response(data)

    @extend_schema(
        summary="Scan a parcel label at the dock",
        description="Confirms the parcel as shipped. A wrong or unknown label is refused and kept: the answer "
        "is still 201, with result `refused` and the reason_code (ship.label_unknown, ship.wrong_warehouse, "
        "ship.already_shipped, ship.not_labelled…).",
        request=s.DockScanInputSerializer,
        responses={201: s.DockScanSerializer},
    )
    def create(self, request: Request) -> Response:
        operator = operator_of(self.scope)
        self.scope.require(WRITE)
        body = s.DockScanInputSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        raw_warehouse = body.validated_data.get("warehouse")
        warehouse = None
        if raw_warehouse is not None:
            warehouse = Warehouse.objects.filter(operator_id=operator, pk=raw_warehouse).first()
            if warehouse is None:
                raise NotFound(f"no warehouse of yours with id {raw_warehouse}", field="warehouse")
        scan = dock_scan(
            actor=self.scope.actor, operator_id=operator, raw=body.validated_data["raw"], warehouse=warehouse
        )
        return Response(s.DockScanSerializer(dock_scan_data(scan)).data, status=status.HTTP_201_CREATED)
