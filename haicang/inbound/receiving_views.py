"""The receiving pages, sized for a 360 px scanner and driven by the keyboard (a scanner "types" and presses
Enter): the shipments waiting at the operator's warehouses; one shipment — scan a carton label (or choose a
carton), then items, each adding 1 (or type a quantity first), mark units damaged, confirm a carton as
labelled; counted vs expected per SKU for the carton and the shipment; every scan listed, rejected ones
with their reason. Lot-tracked items are received into the lot typed with the scan (kept for the next
scans). Discrepancies with a note and a photo; close; the receipt report both parties read, the seller
acknowledges or disputes, and the operator answers a dispute (accept with the adjustment, or reject with
the reason).

Included by the project under ``/receiving/`` (namespace ``receiving``). Operators' members with
``inbound:write`` receive; the report is read with ``inbound:read`` and answered by the seller's members with
``inbound:write``.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.db.models import Q
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from haicang.core.errors import DomainError, NotFound
from haicang.core.files import file_open
from haicang.inbound.discrepancies import Photo, discrepancy_record
from haicang.inbound.errors import InboundErrorCode, ReceivingErrorCode
from haicang.inbound.models import (
    Carton,
    Discrepancy,
    InboundShipment,
    ReceivingScan,
    ScanKind,
    ScanStatus,
    ShipmentStatus,
)
from haicang.inbound.receipt_report import (
    inbound_report_acknowledge,
    inbound_report_dispute,
    inbound_report_resolve,
    report_or_preview,
    report_rows_live,
)
from haicang.inbound.receiving import RECEIVABLE, inbound_close
from haicang.inbound.receiving_rules import carton_progress, report_totals
from haicang.inbound.scanning import (
    counted_in_carton,
    declared_in_carton,
    expiry_of,
    receiving_carton_confirm,
    receiving_scan_record,
    sku_for_scan,
)
from haicang.inventory.errors import InventoryErrorCode
from haicang.network.models import Warehouse
from haicang.parties.access import scope_for_request
from haicang.parties.scoping import AccessDenied, Scope, scope_queryset
from haicang.web.pages import scoped_page

READ, WRITE = "inbound:read", "inbound:write"
RECENT_SCANS = 15

REASONS: dict[str, Any] = {
    ReceivingErrorCode.SCAN_UNKNOWN: gettext_lazy("Unknown barcode: no item of this seller has it."),
    ReceivingErrorCode.SKU_NOT_ON_SHIPMENT: gettext_lazy(
        "This item is not on the shipment: record it as an unexpected SKU."
    ),
    ReceivingErrorCode.CARTON_UNKNOWN: gettext_lazy("Not a carton of this shipment."),
    InboundErrorCode.OVER_RECEIPT: gettext_lazy("More than expected: record the extra units as over."),
    InboundErrorCode.STATUS_INVALID: gettext_lazy("The shipment is not open for receiving."),
    InboundErrorCode.LOCATION_MISSING: gettext_lazy("The warehouse has no receiving or damaged location."),
    InboundErrorCode.RECEIPT_INVALID: gettext_lazy("This could not be received."),
    ReceivingErrorCode.DISCREPANCY_INVALID: gettext_lazy("The discrepancy could not be recorded."),
    ReceivingErrorCode.PHOTO_INVALID: gettext_lazy("The photo must be a JPEG, PNG, GIF or WebP image."),
    InventoryErrorCode.LOT_INVALID: gettext_lazy(
        "Name the item's lot (and its expiry date when the lot is new), as printed on the carton."
    ),
}
KIND_LABELS = {
    "short": gettext_lazy("Short"),
    "over": gettext_lazy("Over"),
    "damaged": gettext_lazy("Damaged"),
    "unexpected_sku": gettext_lazy("Unexpected SKU"),
}
REPORT_STATUS_LABELS = {
    "preview": gettext_lazy("Preview: not closed yet"),
    "open": gettext_lazy("Awaiting the seller"),
    "acknowledged": gettext_lazy("Acknowledged"),
    "disputed": gettext_lazy("Disputed"),
    "resolved": gettext_lazy("Dispute answered"),
}
RESOLUTION_LABELS = {
    "accepted": gettext_lazy("Claim accepted"),
    "rejected": gettext_lazy("Claim rejected"),
}
STATUS_LABELS = {
    ShipmentStatus.ARRIVED: gettext_lazy("Arrived"),
    ShipmentStatus.RECEIVING: gettext_lazy("Receiving"),
    ShipmentStatus.CLOSED: gettext_lazy("Closed"),
}


def reason_text(code: str, detail: str) -> str:
    return str(REASONS.get(code, detail)) if code else ""


def _operator_scope(request: HttpRequest, permission: str = WRITE) -> Scope:
    scope = scope_for_request(request)
    scope.require(permission)
    if scope.operator_id is None:
        raise AccessDenied("receiving is the warehouse operator's work", permission=permission)
    return scope


def _operator_id(scope: Scope) -> Any:
    if scope.operator_id is None:  # pragma: no cover - _operator_scope refused it
        raise AccessDenied("receiving is the warehouse operator's work", permission=WRITE)
    return scope.operator_id


def _shipment(scope: Scope, pk: Any) -> InboundShipment:
    found = (
        scope_queryset(InboundShipment.objects.all(), scope, permission=READ)
        .select_related("seller", "warehouse")
        .filter(pk=pk)
        .first()
    )
    if found is None:
        raise NotFound(f"no inbound shipment with id {pk}")
    return found


def _acting_for_an_operator(user: Any, request: Any) -> bool:
    from haicang.parties.access import scope_for_user

    scope = scope_for_request(request) if request is not None else scope_for_user(user)
    return scope.operator_id is not None


def register_navigation() -> None:
    """The header's Receiving entry: operators' members who may receive (``inbound:write``)."""
    from haicang.web.navigation import NavEntry, RequestVisibility, all_of, has_permission, navigation

    navigation.register(
        NavEntry(
            key="receiving",
            label=gettext_lazy("Receiving"),
            url_name="receiving:list",
            order=36,
            visible_to=all_of(
                has_permission(WRITE), RequestVisibility(_acting_for_an_operator, name="operator")
            ),
        )
    )


# --- the list -----------------------------------------------------------------------------------------------


@scoped_page
@require_GET
def receiving_list(request: HttpRequest) -> HttpResponse:
    """Shipments arrived or being received at the operator's warehouses, and the last ones closed."""
    scope = _operator_scope(request)
    warehouses = list(
        Warehouse.objects.filter(operator_id=_operator_id(scope), is_active=True).order_by("code")
    )
    chosen = next((w for w in warehouses if str(w.pk) == request.GET.get("warehouse")), None)
    visible = scope_queryset(InboundShipment.objects.all(), scope, permission=READ).select_related(
        "seller", "warehouse"
    )
    if chosen is not None:
        visible = visible.filter(warehouse=chosen)
    context = {
        "warehouses": warehouses,
        "chosen": chosen,
        "open": list(visible.filter(status__in=RECEIVABLE).order_by("arrived_at", "number")[:100]),
        "closed": list(visible.filter(status=ShipmentStatus.CLOSED).order_by("-closed_at")[:10]),
        "status_labels": STATUS_LABELS,
    }
    return render(request, "inbound/receiving/list.html", context)


# --- one shipment on the scanner ----------------------------------------------------------------------------


def _carton_number(raw: Any) -> int | None:
    try:
        value = int(str(raw).strip())
    except (TypeError, ValueError):
        return None
    return value if value > 0 else None


def _carton(shipment: InboundShipment, number: int | None) -> Carton | None:
    if number is None:
        return None
    return Carton.objects.filter(shipment=shipment, number=number).first()


def _quantity(raw: Any) -> Any:
    text = str(raw or "").strip()
    if not text:
        return 1
    try:
        return int(text)
    except ValueError:
        return text


def _scan_url(
    shipment: InboundShipment,
    carton: Carton | None,
    scan: ReceivingScan | None = None,
    lot: tuple[str, str] = ("", ""),
) -> str:
    """The scanner page again, with the carton, the last scan and the lot typed (``lot``: code, expiry) kept."""
    url = reverse("receiving:shipment", args=[shipment.pk])
    query: dict[str, Any] = {}
    if carton is not None:
        query["carton"] = carton.number
    if scan is not None:
        query["scan"] = str(scan.pk)
    if lot[0].strip():
        query["lot"] = lot[0].strip()
        if lot[1].strip():
            query["expires"] = lot[1].strip()
    return url + ("?" + urlencode(query) if query else "")


def _lot_typed(source: Any) -> tuple[str, str]:
    return (str(source.get("lot", ""))[:64], str(source.get("expires", ""))[:10])


def _tracked_skus(shipment: InboundShipment) -> list[Any]:
    """The shipment's SKUs received by lot (lot- or expiry-tracked), by code."""
    from haicang.catalog.models import Sku

    return list(
        Sku.objects.filter(pk__in=shipment.lines.values("sku_id"))
        .filter(Q(track_lot=True) | Q(track_expiry=True))
        .order_by("code")
    )


def _scan_rows(scans: list[ReceivingScan]) -> list[dict[str, Any]]:
    return [
        {
            "scan": scan,
            "reason": reason_text(scan.reason_code, scan.reason),
            "offer": _offer(scan),
        }
        for scan in scans
    ]


def _offer(scan: ReceivingScan) -> str:
    """The discrepancy a rejected scan suggests recording ("over", "unexpected_sku"), if any."""
    if scan.status != ScanStatus.REJECTED:
        return ""
    if scan.reason_code == InboundErrorCode.OVER_RECEIPT:
        return "over"
    if scan.reason_code == ReceivingErrorCode.SKU_NOT_ON_SHIPMENT:
        return "unexpected_sku"
    return ""


def _shipment_context(
    shipment: InboundShipment, carton: Carton | None, last: ReceivingScan | None
) -> dict[str, Any]:
    rows = report_rows_live(shipment)
    names = {row.sku_id: row for row in rows}
    carton_rows = []
    if carton is not None:
        progress = carton_progress(declared_in_carton(carton), counted_in_carton(carton))
        from haicang.catalog.models import Sku

        skus = Sku.objects.in_bulk([sku_id for sku_id, _, _ in progress])
        carton_rows = [
            {"sku": skus[sku_id], "declared": declared, "counted": counted, "done": counted >= declared}
            for sku_id, declared, counted in progress
        ]
    scans = list(
        ReceivingScan.objects.filter(shipment=shipment)
        .select_related("sku", "carton")
        .order_by("-at", "-id")[:RECENT_SCANS]
    )
    return {
        "shipment": shipment,
        "carton": carton,
        "cartons": list(shipment.cartons.order_by("number")),
        "carton_rows": carton_rows,
        "rows": rows,
        "names": names,
        "totals": report_totals(rows),
        "scans": _scan_rows(scans),
        "last": _scan_rows([last])[0] if last is not None else None,
        "receivable": shipment.status in RECEIVABLE,
        "status_labels": STATUS_LABELS,
        "tracked": _tracked_skus(shipment),
    }


@scoped_page
@require_http_methods(["GET", "POST"])
def receiving_shipment(request: HttpRequest, pk: Any) -> HttpResponse:
    """The scanner page of one shipment. Every POST records a scan (kept even when rejected), chooses a
    carton or confirms one, then comes back here (with the carton kept)."""
    scope = _operator_scope(request)
    shipment = _shipment(scope, pk)
    if request.method == "POST":
        return _receiving_post(request, scope, shipment)
    carton = _carton(shipment, _carton_number(request.GET.get("carton")))
    last = None
    if request.GET.get("scan"):
        try:
            last = ReceivingScan.objects.filter(shipment=shipment, pk=request.GET["scan"]).first()
        except Exception:
            last = None
    context = _shipment_context(shipment, carton, last)
    context["lot"], context["expires"] = _lot_typed(request.GET)
    return render(request, "inbound/receiving/shipment.html", context)


def _receiving_post(request: HttpRequest, scope: Scope, shipment: InboundShipment) -> HttpResponse:
    action = request.POST.get("action", "scan")
    carton = _carton(shipment, _carton_number(request.POST.get("carton")))
    lot = _lot_typed(request.POST)
    if action == "carton":
        return redirect(_scan_url(shipment, carton, lot=lot))
    if action == "confirm":
        if carton is None:
            messages.error(request, _("Choose a carton first."))
            return redirect(_scan_url(shipment, None, lot=lot))
        scans = receiving_carton_confirm(
            actor=scope.actor, shipment=shipment, carton=carton, lot_code=lot[0], expires_on=lot[1]
        )
        return redirect(_scan_url(shipment, carton, scans[0], lot=lot))
    raw = request.POST.get("raw", "")
    if not raw.strip():
        messages.error(request, _("Scan a carton label or an item."))
        return redirect(_scan_url(shipment, carton, lot=lot))
    scan = receiving_scan_record(
        actor=scope.actor,
        shipment=shipment,
        raw=raw,
        carton=carton,
        quantity=_quantity(request.POST.get("quantity")),
        damaged=request.POST.get("damaged") == "1",
        note=request.POST.get("note", ""),
        lot_code=lot[0],
        expires_on=lot[1],
    )
    if scan.kind == ScanKind.CARTON and scan.status == ScanStatus.APPLIED:
        carton = scan.carton
    return redirect(_scan_url(shipment, carton, scan, lot=lot))


# --- discrepancies ------------------------------------------------------------------------------------------


@scoped_page
@require_http_methods(["GET", "POST"])
def receiving_discrepancy(request: HttpRequest, pk: Any) -> HttpResponse:
    """Record units over, of an unexpected SKU, or damaged, with a note and an optional photo."""
    scope = _operator_scope(request)
    shipment = _shipment(scope, pk)
    source = request.POST if request.method == "POST" else request.GET
    values = {
        "kind": source.get("kind", "over"),
        "sku": source.get("sku", ""),
        "quantity": source.get("quantity", "1"),
        "carton": source.get("carton", ""),
        "note": source.get("note", ""),
        "lot": source.get("lot", ""),
        "expires": source.get("expires", ""),
    }
    errors: list[str] = []
    if request.method == "POST":
        upload = request.FILES.get("photo")
        try:
            sku = sku_for_scan(shipment, values["sku"])
            quantity = _quantity(values["quantity"])
            expires_on = expiry_of(values["expires"])
            discrepancy_record(
                actor=scope.actor,
                shipment=shipment,
                kind=values["kind"],
                sku=sku,
                quantity=quantity,
                note=values["note"],
                carton=_carton(shipment, _carton_number(values["carton"])),
                photo=Photo(upload.read(), upload.name or "") if upload is not None else None,
                lot_code=values["lot"][:64],
                expires_on=expires_on,
            )
        except DomainError as exc:
            errors.append(_discrepancy_error(exc))
        else:
            messages.success(
                request,
                _("Recorded: %(kind)s, %(quantity)s × %(sku)s.")
                % {
                    "kind": KIND_LABELS.get(values["kind"], values["kind"]),
                    "quantity": quantity,
                    "sku": sku.code,
                },
            )
            return redirect(_scan_url(shipment, _carton(shipment, _carton_number(values["carton"]))))
    context = {
        "shipment": shipment,
        "values": values,
        "errors": errors,
        "kinds": [(k, KIND_LABELS[k]) for k in ("over", "unexpected_sku", "damaged")],
        "cartons": list(shipment.cartons.order_by("number")),
        "tracked": _tracked_skus(shipment),
    }
    return render(request, "inbound/receiving/discrepancy.html", context, status=400 if errors else 200)


def _discrepancy_error(exc: DomainError) -> str:
    if exc.code == ReceivingErrorCode.DISCREPANCY_INVALID:
        if exc.field == "note":
            return _("Say in a note what was found.")
        if exc.field == "quantity" and "open" in exc.context:
            return _("%(open)s units are still expected: receive them first, then record what is over.") % {
                "open": exc.context["open"]
            }
        if exc.field == "quantity":
            return _("Type a whole number above 0.")
        if exc.field == "kind":
            return _("This item is on the shipment: record the extra units as over.")
    if exc.code == InboundErrorCode.RECEIPT_INVALID and exc.field == "expires_on":
        return _("Type the expiry date as 2027-03-31.")
    return reason_text(str(exc.code), exc.detail) or exc.detail


# --- close, report ------------------------------------------------------------------------------------------


@scoped_page
@require_POST
def receiving_close(request: HttpRequest, pk: Any) -> HttpResponse:
    scope = _operator_scope(request)
    shipment = _shipment(scope, pk)
    try:
        inbound_close(actor=scope.actor, shipment=shipment, note=request.POST.get("note", "")[:500])
    except DomainError as exc:
        messages.error(request, reason_text(str(exc.code), exc.detail))
        return redirect(_scan_url(shipment, None))
    messages.success(
        request, _("%(number)s closed: the receipt report is ready.") % {"number": shipment.number}
    )
    return redirect("receiving:report", pk=shipment.pk)


@scoped_page
@require_GET
def receiving_report(request: HttpRequest, pk: Any) -> HttpResponse:
    """The receipt report (a preview before the close), for both parties; the seller answers it here."""
    scope = scope_for_request(request)
    scope.require(READ)
    shipment = _shipment(scope, pk)
    report = report_or_preview(shipment)
    resolution = report.get("resolution")
    context = {
        "shipment": shipment,
        "report": report,
        "report_status": REPORT_STATUS_LABELS.get(report["status"], report["status"]),
        "kind_labels": KIND_LABELS,
        "may_answer": scope.seller_id is not None
        and scope.can(WRITE)
        and report["status"] in ("open", "disputed", "resolved"),
        "may_dispute": report["status"] == "open",
        "may_resolve": scope.operator_id is not None and scope.can(WRITE) and report["status"] == "disputed",
        "resolution_label": RESOLUTION_LABELS.get(resolution["outcome"], "") if resolution else "",
        "is_operator": scope.operator_id is not None,
    }
    return render(request, "inbound/receiving/report.html", context)


@scoped_page
@require_POST
def receiving_report_answer(request: HttpRequest, pk: Any) -> HttpResponse:
    scope = scope_for_request(request)
    scope.require(WRITE)
    shipment = _shipment(scope, pk)
    if scope.seller_id is None:
        raise AccessDenied("the seller answers the receipt report", permission=WRITE)
    note = request.POST.get("note", "")
    try:
        if request.POST.get("answer") == "dispute":
            inbound_report_dispute(actor=scope.actor, shipment=shipment, note=note)
            messages.success(request, _("You disputed the receipt report. The warehouse is told."))
        else:
            inbound_report_acknowledge(actor=scope.actor, shipment=shipment, note=note)
            messages.success(request, _("You acknowledged the receipt report."))
    except DomainError as exc:
        if exc.field == "note":
            messages.error(request, _("Say why you dispute the report."))
        else:
            messages.error(request, _("The receipt report was already answered."))
    return redirect("receiving:report", pk=shipment.pk)


@scoped_page
@require_POST
def receiving_report_resolve(request: HttpRequest, pk: Any) -> HttpResponse:
    """The operator answers the seller's dispute: accept (with the adjustment made) or reject (with why)."""
    scope = _operator_scope(request)
    shipment = _shipment(scope, pk)
    outcome = request.POST.get("outcome", "")
    try:
        inbound_report_resolve(
            actor=scope.actor, shipment=shipment, outcome=outcome, note=request.POST.get("note", "")
        )
    except DomainError as exc:
        if exc.field == "note" and outcome == "accepted":
            messages.error(request, _("Say what you adjust for the seller's claim."))
        elif exc.field == "note":
            messages.error(request, _("Say why you reject the seller's claim."))
        elif exc.field == "outcome":
            messages.error(request, _("Accept or reject the seller's claim."))
        else:
            messages.error(request, _("The dispute was already answered."))
    else:
        if outcome == "accepted":
            messages.success(request, _("You accepted the seller's claim. The seller is told."))
        else:
            messages.success(request, _("You rejected the seller's claim. The seller is told."))
    return redirect("receiving:report", pk=shipment.pk)


def photo_response(discrepancy: Discrepancy) -> FileResponse:
    """The discrepancy's photo as a download (404 when it has none)."""
    if not discrepancy.photo:
        raise NotFound("this discrepancy has no photo")
    extension = discrepancy.photo.rsplit(".", 1)[-1].lower()
    kinds = {"jpg": "image/jpeg", "png": "image/png", "gif": "image/gif", "webp": "image/webp"}
    response = FileResponse(
        file_open(path=discrepancy.photo), content_type=kinds.get(extension, "image/jpeg")
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response


@scoped_page
@require_GET
def discrepancy_photo(request: HttpRequest, pk: Any) -> HttpResponse:
    scope = scope_for_request(request)
    scope.require(READ)
    found = scope_queryset(Discrepancy.objects.all(), scope, permission=READ).filter(pk=pk).first()
    if found is None:
        raise NotFound(f"no discrepancy with id {pk}")
    return photo_response(found)  # type: ignore[return-value]  # a streamed file is the page
