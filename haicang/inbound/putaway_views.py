"""The putaway pages, sized for a 360 px scanner: what waits in the receiving locations of the operator's
warehouses, and one item — its suggested bin with the reason, the quantity, and the bin to scan.

Operators only (a seller gets the 403 page); who may do what: ``haicang.inbound.putaway``. Included by the
project under ``/putaway/`` (namespace ``putaway``)."""

from __future__ import annotations

from typing import Any, cast

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from haicang.core.errors import DomainError, NotFound
from haicang.inbound import putaway as p
from haicang.network.models import Location, LocationKind, Warehouse
from haicang.parties.access import scope_for_request
from haicang.parties.scoping import Scope
from haicang.web.pages import scoped_page


def _scope(request: HttpRequest, permission: str = p.READ) -> Scope:
    scope = scope_for_request(request)
    p.operator_id_of(scope, permission)
    return scope


@scoped_page
@require_GET
def putaway_queue(request: HttpRequest) -> HttpResponse:
    """What waits in receiving, one tappable row per SKU and receiving location."""
    scope = _scope(request)
    warehouses = list(p.putaway_warehouses(scope))
    chosen = next((w for w in warehouses if str(w.pk) == request.GET.get("warehouse")), None)
    rows = p.putaway_queue(scope, warehouse=chosen)
    context = {"warehouses": warehouses, "chosen": chosen, "rows": rows}
    return render(request, "inbound/putaway/queue.html", context)


def _wrong_bin_message(exc: DomainError, warehouse_code: str) -> str:
    reason, scanned = exc.context.get("reason"), exc.context.get("scanned", "")
    if reason == "not_a_code":
        return _("%(scanned)s is not a location code.") % {"scanned": scanned}
    if reason == "unknown":
        return _("There is no bin %(scanned)s in %(warehouse)s.") % {
            "scanned": scanned,
            "warehouse": warehouse_code,
        }
    if reason == "kind":
        return _("%(scanned)s is not a pick or bulk bin: put the units into a bin.") % {"scanned": scanned}
    if reason == "inactive":
        return _("%(scanned)s is not in use.") % {"scanned": scanned}
    return _("Scan the bin's code.")


def error_text(exc: DomainError, warehouse_code: str) -> str:
    """A putaway error as the operator reads it."""
    if isinstance(exc, p.PutawayWrongBin):
        return _wrong_bin_message(exc, warehouse_code)
    if isinstance(exc, p.PutawayBinMismatch):
        return _(
            "You scanned %(scanned)s, not the suggested bin %(suggested)s. Scan %(suggested)s, "
            "or put the units into %(scanned)s instead."
        ) % {"scanned": exc.context.get("scanned"), "suggested": exc.context.get("suggested")}
    if isinstance(exc, p.PutawayNotEnough):
        return _("Only %(waiting)s wait here: put away at most that many.") % {
            "waiting": exc.context.get("waiting")
        }
    if isinstance(exc, p.PutawayInvalid) and exc.field == "quantity":
        return _("Type a whole number above 0.")
    return exc.detail


def _positive(raw: Any) -> int | None:
    try:
        value = int(str(raw).strip())
    except (TypeError, ValueError):
        return None
    return value if value > 0 else None


def _receiving(scope: Scope, pk: Any) -> Location:
    location = (
        Location.objects.filter(pk=pk, kind=LocationKind.RECEIVING, warehouse__in=p.putaway_warehouses(scope))
        .select_related("warehouse")
        .first()
    )
    if location is None:
        raise NotFound(f"no receiving location with id {pk}")
    return location


@scoped_page
@require_http_methods(["GET", "POST"])
def putaway_item(request: HttpRequest, sku: Any, location: Any) -> HttpResponse:
    """One SKU waiting at one receiving location: the suggestion, then quantity and the scanned bin."""
    scope = _scope(request, p.WRITE if request.method == "POST" else p.READ)
    item = p.putaway_sku_get(scope, sku)
    source = _receiving(scope, location)
    warehouse = cast(Warehouse, source.warehouse)
    queue_url = f"{reverse('putaway:queue')}?warehouse={warehouse.pk}"
    waiting = p.waiting_units(sku=item, location=source)
    if waiting <= 0:
        messages.info(
            request,
            _("Nothing of %(sku)s waits at %(location)s any more.")
            % {"sku": item.code, "location": source.code},
        )
        return redirect(queue_url)
    errors: list[str] = []
    offer_other = ""
    data = request.POST if request.method == "POST" else request.GET
    quantity = _positive(data.get("quantity")) if data.get("quantity") else waiting
    scanned = (data.get("bin") or "").strip() if request.method == "POST" else ""
    if quantity is None:
        errors.append(_("Type a whole number above 0."))
        quantity_shown: Any = data.get("quantity")
        suggestion = p.putaway_suggestion(warehouse=warehouse, sku=item, quantity=waiting)
    else:
        quantity_shown = quantity
        suggestion = p.putaway_suggestion(warehouse=warehouse, sku=item, quantity=quantity)
    if request.method == "POST" and quantity is not None:
        # The bin to compare with: the one shown for this quantity, else the suggestion for the new quantity.
        shown = data.get("suggested", "") if _positive(data.get("suggested_for")) == quantity else ""
        try:
            done = p.putaway_confirm(
                actor=scope.actor,
                sku=item,
                from_location=source,
                scanned=scanned,
                quantity=quantity,
                suggested=shown or (suggestion.code or ""),
                other_bin=data.get("other_bin") == "1",
            )
        except p.PutawayBinMismatch as exc:
            errors.append(error_text(exc, warehouse.code))
            offer_other = str(exc.context.get("scanned", ""))
        except DomainError as exc:
            errors.append(error_text(exc, warehouse.code))
        else:
            messages.success(
                request,
                _("Put away %(quantity)s × %(sku)s into %(bin)s.")
                % {"quantity": done.quantity, "sku": item.code, "bin": done.to_location.code},
            )
            if done.left > 0:
                return redirect("putaway:item", sku=item.pk, location=source.pk)
            return redirect(queue_url)
    shipments = [
        ref.number
        for row in p.putaway_queue(scope, warehouse=warehouse)
        if row.sku.pk == item.pk and row.location.pk == source.pk
        for ref in row.shipments
    ]
    context = {
        "sku": item,
        "source": source,
        "warehouse": warehouse,
        "waiting": waiting,
        "quantity": quantity_shown,
        "suggestion": suggestion,
        "suggested_for": quantity if quantity is not None else waiting,
        "reason": p.reason_text(suggestion),
        "errors": errors,
        "scanned": scanned if errors else "",
        "offer_other": offer_other,
        "shipments": shipments[:3],
        "queue_url": queue_url,
    }
    return render(request, "inbound/putaway/item.html", context)


def _acting_for_an_operator(user: Any, request: Any) -> bool:
    from haicang.parties.access import scope_for_user

    scope = scope_for_request(request) if request is not None else scope_for_user(user)
    return scope.operator_id is not None


def register_navigation() -> None:
    """The header's Putaway entry: operators' members who may put away (``inbound:write``)."""
    from django.utils.translation import gettext_lazy

    from haicang.web.navigation import NavEntry, RequestVisibility, all_of, has_permission, navigation

    navigation.register(
        NavEntry(
            key="putaway",
            label=gettext_lazy("Putaway"),
            url_name="putaway:queue",
            order=37,
            visible_to=all_of(
                has_permission(p.WRITE), RequestVisibility(_acting_for_an_operator, name="operator")
            ),
        )
    )
