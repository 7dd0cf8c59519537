"""The packing and dock pages under ``/fulfillment/`` (namespace ``fulfillment``; docs/fulfillment.md), sized for
a 360 px scanner and driven by the keyboard (a scanner "types" and presses Enter):

- ``pack/`` — scan a pick list, an outbound (request) number or a parcel label; or choose from the outbounds
  waiting to be packed;
- ``pack/<id>/`` — one outbound: the items, the suggested box and why, the weight (and, when measured, the
  outer dimensions); "Pack" makes the parcel and shows the rate-shop result with its reason; "Print label"
  buys the label (the PDF opens, the ZPL downloads); "Void label"; "Ship";
- ``ship/`` — the dock: scan parcel labels to confirm them shipped; a wrong or unknown label is refused with
  its reason and kept;
- ``parcels/<id>/label.pdf`` and ``label.zpl`` — the label downloads (the parcel's seller may read them too).

Operators' members with ``fulfillment:write`` pack and ship; anyone else gets 403, another operator's object 404.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods

from haicang.core.errors import DomainError
from haicang.fulfillment import packing_selectors, selectors
from haicang.fulfillment.api_packing import box_of, label_access_check, service_of
from haicang.fulfillment.labelling import parcel_label, parcel_label_document, parcel_label_void
from haicang.fulfillment.models import BoxType, Outbound, OutboundStatus, Parcel, ParcelStatus, ScanResult
from haicang.fulfillment.packing import (
    box_suggestion,
    items_to_pack,
    items_weight_g,
    parcel_pack,
    parcel_rate_shop,
    parcel_rate_shop_preview,
)
from haicang.fulfillment.rate_shop import money_label
from haicang.fulfillment.shipping import dock_scan, dock_scans_recent, outbound_ship
from haicang.network.models import CarrierService, Warehouse
from haicang.parties.access import scope_for_request
from haicang.parties.scoping import AccessDenied, Scope
from haicang.web.pages import scoped_page

WRITE = "fulfillment:write"

# Why a dock scan was refused, in the packer's words (the codes are ``DockScan.reason_code``).
DOCK_REFUSALS: dict[str, Any] = {
    "ship.label_unknown": gettext_lazy("Unknown label: no parcel of yours has it. Put the parcel aside."),
    "ship.wrong_warehouse": gettext_lazy("Wrong dock: this parcel ships from another warehouse."),
    "ship.already_shipped": gettext_lazy("Already shipped: this label was confirmed before."),
    "ship.not_labelled": gettext_lazy("No label bought for this parcel yet."),
    "fulfillment.transition_invalid": gettext_lazy(
        "This parcel cannot ship now (voided, or its order is not ready)."
    ),
}
PACK_REFUSALS: dict[str, Any] = {
    "pack.no_box_fits": gettext_lazy("No box of the catalogue fits: choose a box or type the dimensions."),
    "pack.no_service": gettext_lazy("No carrier service can take this parcel by its deadline."),
    "fulfillment.transition_invalid": gettext_lazy("This step is not allowed in the current state."),
    "label.refused": gettext_lazy("The label cannot be bought or voided now."),
    "ship.already_shipped": gettext_lazy("Already shipped."),
    "ship.units_not_packed": gettext_lazy("Some picked units are not packed yet."),
    "ship.not_labelled": gettext_lazy("Print the labels first."),
}
STATUS_LABELS = dict(ParcelStatus.choices)


def _operator_scope(request: HttpRequest) -> Scope:
    scope = scope_for_request(request)
    scope.require(WRITE)
    if scope.operator_id is None:
        raise AccessDenied("packing and shipping is the warehouse operator's work", permission=WRITE)
    return scope


def _warehouses(scope: Scope, request: HttpRequest) -> tuple[list[Warehouse], Warehouse | None]:
    warehouses = selectors.warehouses_of(scope)
    raw = request.POST.get("warehouse") or request.GET.get("warehouse", "")
    chosen = next((w for w in warehouses if str(w.pk) == raw), None)
    if chosen is None and len(warehouses) == 1:
        chosen = warehouses[0]
    return warehouses, chosen


def _problem(exc: DomainError, table: dict[str, Any]) -> str:
    known = table.get(str(exc.code))
    return f"{known} ({exc.detail})" if known else exc.detail


def _int(raw: Any) -> int | None:
    text = str(raw or "").strip()
    if not text:
        return None
    try:
        return int(text)
    except ValueError:
        return -1  # refused by the service as not a whole number above 0


# --- the pack bench ----------------------------------------------------------------------------------------------


@scoped_page
@require_http_methods(["GET", "POST"])
def pack_start(request: HttpRequest) -> HttpResponse:
    """Scan a pick list, an outbound number or a parcel label; or choose an outbound waiting to be packed."""
    scope = _operator_scope(request)
    warehouses, chosen = _warehouses(scope, request)
    raw = (request.POST.get("scan") or request.GET.get("scan") or "").strip()
    found: list[Outbound] = []
    if raw:
        found = packing_selectors.outbounds_for_scan(scope, raw)
        if len(found) == 1:
            return redirect("fulfillment:pack-outbound", pk=found[0].pk)
        if not found:
            messages.error(
                request,
                _("Nothing to pack for %(scan)s: scan a pick list, an order or a label.") % {"scan": raw},
            )
    context = {
        "warehouses": warehouses,
        "chosen": chosen,
        "scanned": raw,
        "found": found,
        "waiting": packing_selectors.outbounds_to_pack(scope, warehouse=chosen),
    }
    return render(request, "fulfillment/pack_start.html", context)


def _parcel_rows(parcels: list[Parcel]) -> list[dict[str, Any]]:
    rows = []
    for parcel in parcels:
        rows.append(
            {
                "parcel": parcel,
                "status": STATUS_LABELS.get(parcel.status, parcel.status),
                "rate": money_label(parcel.rate) if parcel.rate is not None else "",
                "lines": list(parcel.lines.select_related("sku")),
                "labelled": parcel.status in (ParcelStatus.LABELLED, ParcelStatus.SHIPPED),
            }
        )
    return rows


@scoped_page
@require_http_methods(["GET", "POST"])
def pack_outbound(request: HttpRequest, pk: Any) -> HttpResponse:
    """One outbound at the pack bench (module docstring). Every POST does one step and comes back here."""
    scope = _operator_scope(request)
    outbound = packing_selectors.outbound_get(scope, pk)
    if request.method == "POST":
        return _pack_post(request, scope, outbound)
    items = items_to_pack(outbound)
    advice = box_suggestion(operator_id=outbound.operator_id, items=items)
    parcels = list(
        packing_selectors.parcels(scope)
        .filter(outbound=outbound)
        .exclude(status=ParcelStatus.VOIDED)
        .order_by("packed_at")
    )
    rates = None
    open_parcel = next((p for p in parcels if p.status == ParcelStatus.PACKED), None)
    if open_parcel is not None:
        rates = parcel_rate_shop_preview(open_parcel)
    context = {
        "outbound": outbound,
        "items": items,
        "items_weight_g": items_weight_g(items),
        "advice": advice,
        "expected_weight_g": items_weight_g(items) + (advice.box.tare_g if advice.box is not None else 0),
        "boxes": list(
            BoxType.objects.filter(operator_id=outbound.operator_id, is_active=True).order_by("code")
        ),
        "parcels": _parcel_rows(parcels),
        "open_parcel": open_parcel,
        "rates": rates,
        "quotes": [
            {
                "code": o.code,
                "label": o.label,
                "price": money_label(o.total) if o.total is not None else "",
                "days": o.transit_days,
                "refusal": o.refusal,
                "serviceable": o.serviceable,
            }
            for o in (rates.options if rates is not None else [])
        ],
        "can_pack": outbound.status in (OutboundStatus.PICKED, OutboundStatus.PACKED) and bool(items),
        "can_ship": outbound.status == OutboundStatus.PACKED
        and not items
        and bool(parcels)
        and all(p.status != ParcelStatus.PACKED for p in parcels),
        "print": request.GET.get("print", ""),
        "status_label": dict(OutboundStatus.choices).get(outbound.status, outbound.status),
    }
    return render(request, "fulfillment/pack_outbound.html", context)


def _pack_post(request: HttpRequest, scope: Scope, outbound: Outbound) -> HttpResponse:
    action = request.POST.get("action", "")
    back = reverse("fulfillment:pack-outbound", args=[outbound.pk])
    try:
        if action == "pack":
            sides = [_int(request.POST.get(name)) for name in ("length_mm", "width_mm", "height_mm")]
            dims = None if all(side is None for side in sides) else tuple(side or -1 for side in sides)
            parcel = parcel_pack(
                actor=scope.actor,
                outbound=outbound,
                weight_g=_int(request.POST.get("weight_g")) or -1,
                box_type=box_of(scope, request.POST.get("box_type")),
                dims=dims,  # type: ignore[arg-type]
            )
            messages.success(request, _("%(parcel)s packed.") % {"parcel": parcel.number})
            return redirect(back)
        if action == "ship":
            outbound_ship(actor=scope.actor, outbound=outbound)
            messages.success(request, _("%(number)s shipped.") % {"number": outbound.number})
            return redirect(
                f"{reverse('fulfillment:pack')}?{urlencode({'warehouse': str(outbound.warehouse_id)})}"
            )
        parcel = packing_selectors.parcel_get(scope, request.POST.get("parcel"))
        if parcel.outbound_id != outbound.pk:
            raise AccessDenied("not a parcel of this outbound", permission=WRITE)
        if action == "rate":
            service: CarrierService | None = service_of(scope, request.POST.get("service"))
            parcel_rate_shop(actor=scope.actor, parcel=parcel, service=service)
            messages.success(request, _("%(parcel)s rated again.") % {"parcel": parcel.number})
        elif action == "label":
            parcel = parcel_label(actor=scope.actor, parcel=parcel)
            messages.success(
                request,
                _("Label bought: %(tracking)s.") % {"tracking": parcel.tracking_number},
            )
            return redirect(f"{back}?{urlencode({'print': str(parcel.pk)})}")
        elif action == "void":
            parcel_label_void(actor=scope.actor, parcel=parcel, reason=request.POST.get("reason", ""))
            messages.success(request, _("Label voided: pack the units again."))
    except DomainError as exc:
        if isinstance(exc, AccessDenied):
            raise
        messages.error(request, _problem(exc, PACK_REFUSALS))
    return redirect(back)


@scoped_page
@require_GET
def parcel_label_download(request: HttpRequest, pk: Any, fmt: str) -> HttpResponse:
    """The label (PDF inline, ZPL as a download) for the parcel's operator or seller."""
    scope = scope_for_request(request)
    parcel = packing_selectors.parcel_get(scope, pk)
    label_access_check(scope)
    try:
        body = parcel_label_document(actor=scope.actor, parcel=parcel, fmt=fmt)
    except DomainError as exc:
        from django.http import Http404

        raise Http404(exc.detail) from exc
    kind = "application/pdf" if fmt == "pdf" else "application/vnd.zebra.zpl"
    response = HttpResponse(body, content_type=kind)
    disposition = "inline" if fmt == "pdf" else "attachment"
    response["Content-Disposition"] = f'{disposition}; filename="{parcel.number}.{fmt}"'
    response["Cache-Control"] = "no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response


# --- the dock ----------------------------------------------------------------------------------------------------


@scoped_page
@require_http_methods(["GET", "POST"])
def ship_dock(request: HttpRequest) -> HttpResponse:
    """Scan parcel labels to confirm them shipped (module docstring)."""
    scope = _operator_scope(request)
    operator_id: Any = scope.operator_id  # set: _operator_scope refuses others
    warehouses, chosen = _warehouses(scope, request)
    if request.method == "POST":
        raw = request.POST.get("raw", "")
        if not raw.strip():
            messages.error(request, _("Scan a parcel label."))
        else:
            scan = dock_scan(actor=scope.actor, operator_id=operator_id, raw=raw, warehouse=chosen)
            query = {"scan": str(scan.pk), **({"warehouse": str(chosen.pk)} if chosen else {})}
            return redirect(f"{reverse('fulfillment:ship')}?{urlencode(query)}")
    scans = list(dock_scans_recent(operator_id=operator_id, limit=15))
    last = next((s for s in scans if str(s.pk) == request.GET.get("scan", "")), None)
    waiting = Parcel.objects.filter(operator_id=operator_id, status=ParcelStatus.LABELLED)
    if chosen is not None:
        waiting = waiting.filter(warehouse=chosen)
    context = {
        "warehouses": warehouses,
        "chosen": chosen,
        "last": last,
        "last_reason": str(DOCK_REFUSALS.get(last.reason_code, last.message)) if last is not None else "",
        "scans": [
            {
                "scan": s,
                "reason": str(DOCK_REFUSALS.get(s.reason_code, s.message))
                if s.result == ScanResult.REFUSED
                else "",
            }
            for s in scans
        ],
        "waiting": list(waiting.select_related("carrier_service__carrier").order_by("labelled_at")[:50]),
    }
    return render(request, "fulfillment/ship_dock.html", context)
