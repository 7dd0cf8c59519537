"""The outbound pages under ``/fulfillment/`` (namespace ``fulfillment``; docs/fulfillment.md).

- ``outbound/`` — the operator's work queues with counts: requests to accept or reject, cancellation
  requests to answer, short picks and other exceptions to resolve (linked from the work queues page, the
  target of the header's "Outbound" entry: views_queues.py);
- ``waves/`` — wave planning for managers: plan the waiting requests, release or cancel planned waves, the
  carriers' pick-up countdowns; ``waves/<id>/`` — one wave with its pick lists and their walking distances;
- ``pick/`` and ``pick/<id>/`` — sized for a 360 px scanner: the lists to pick, then one list: the next stop
  (bin, SKU, description, quantity, sort slot), scan the bin, then the item with its quantity; a wrong scan is
  refused with a clear message (and kept); "Short" when the bin holds too few.

Operators' members with ``fulfillment:write``; anyone else gets 403, another operator's object 404.
"""

from __future__ import annotations

import uuid
from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from haicang.core.errors import DomainError, NotFound
from haicang.fulfillment import selectors
from haicang.fulfillment.models import (
    ExceptionStatus,
    Outbound,
    OutboundStatus,
    PickException,
    PickList,
    PickListStatus,
    PickScan,
    PickTaskStatus,
    ScanResult,
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
from haicang.fulfillment.picking import (
    UNKNOWN_BARCODE,
    WRONG_BIN,
    WRONG_ITEM,
    WRONG_QUANTITY,
    current_task,
    pick_exception_resolve,
    pick_list_start,
    pick_scan,
    pick_short,
)
from haicang.fulfillment.waves import wave_cancel, wave_plan, wave_release, waves_release
from haicang.network.models import Warehouse
from haicang.orders.models_fulfilment import CancellationState, FulfillmentRequest, RequestStatus
from haicang.parties.access import scope_for_request
from haicang.parties.scoping import AccessDenied, Scope
from haicang.web.pages import scoped_page

WRITE = "fulfillment:write"
RECENT_SCANS = 8

REFUSALS: dict[str, Any] = {
    WRONG_BIN: gettext_lazy("Wrong bin: you scanned %(scanned)s. Go to %(bin)s."),
    UNKNOWN_BARCODE: gettext_lazy("Unknown barcode %(barcode)s: scan %(sku)s."),
    WRONG_ITEM: gettext_lazy("Wrong item: put it back. This stop asks for %(sku)s."),
    WRONG_QUANTITY: gettext_lazy("Wrong quantity: take 1 to %(left)s units here."),
}


SHORT_REASONS: dict[str, Any] = {
    WRONG_BIN: gettext_lazy("wrong bin"),
    UNKNOWN_BARCODE: gettext_lazy("unknown barcode"),
    WRONG_ITEM: gettext_lazy("wrong item"),
    WRONG_QUANTITY: gettext_lazy("wrong quantity"),
}


def _operator_scope(request: HttpRequest) -> Scope:
    scope = scope_for_request(request)
    scope.require(WRITE)
    if scope.operator_id is None:
        raise AccessDenied("outbound work is the warehouse operator's", permission=WRITE)
    return scope


def _acting_for_an_operator(user: Any, request: Any) -> bool:
    from haicang.parties.access import scope_for_user

    scope = scope_for_request(request) if request is not None else scope_for_user(user)
    return scope.operator_id is not None


def register_navigation() -> None:
    """The header's "Outbound" entry: operators' members who work outbound (``fulfillment:write``)."""
    from haicang.web.navigation import NavEntry, RequestVisibility, all_of, has_permission, navigation

    navigation.register(
        NavEntry(
            key="outbound",
            label=gettext_lazy("Outbound"),
            url_name="fulfillment:queues",  # the work queues page (views_queues.py), linking here
            order=37,
            visible_to=all_of(
                has_permission(WRITE), RequestVisibility(_acting_for_an_operator, name="operator")
            ),
        )
    )


def _warehouse(
    scope: Scope, request: HttpRequest, source: Any = None
) -> tuple[list[Warehouse], Warehouse | None]:
    warehouses = selectors.warehouses_of(scope)
    raw = (source if source is not None else request.GET).get("warehouse", "")
    chosen = next((w for w in warehouses if str(w.pk) == raw), None)
    if chosen is None and len(warehouses) == 1:
        chosen = warehouses[0]
    return warehouses, chosen


def _one(queryset: Any, pk: Any, what: str) -> Any:
    try:
        found = queryset.filter(pk=uuid.UUID(str(pk))).first()
    except ValueError:
        found = None
    if found is None:
        raise NotFound(f"no {what} with id {pk}")
    return found


def _back(request: HttpRequest, default: str) -> HttpResponse:
    target = request.POST.get("next", "")
    return redirect(target if target.startswith("/fulfillment/") else default)


def _done(request: HttpRequest, work: Any, success: str) -> bool:
    """Run ``work``; a domain refusal becomes an error message. True when it went through."""
    try:
        work()
    except DomainError as exc:
        messages.error(request, exc.detail)
        return False
    messages.success(request, success)
    return True


# --- the work queues --------------------------------------------------------------------------------------------
@scoped_page
@require_GET
def outbound_home(request: HttpRequest) -> HttpResponse:
    scope = _operator_scope(request)
    warehouses, chosen = _warehouse(scope, request)
    requests = selectors.requests_of_operator(scope)
    work = selectors.outbounds(scope)
    shorts = selectors.pick_exceptions(scope).filter(status=ExceptionStatus.OPEN)
    if chosen is not None:
        requests, work, shorts = (
            requests.filter(warehouse=chosen),
            work.filter(warehouse=chosen),
            shorts.filter(warehouse=chosen),
        )
    context = {
        "warehouses": warehouses,
        "chosen": chosen,
        "queues": selectors.work_queues(scope, warehouse=chosen),
        "to_accept": list(requests.filter(status=RequestStatus.SUBMITTED).order_by("due_at")[:50]),
        "cancellations": list(
            requests.filter(
                cancellation=CancellationState.REQUESTED,
                status__in=(RequestStatus.ACCEPTED, RequestStatus.IN_PROGRESS),
            ).order_by("due_at")[:50]
        ),
        "shorts": list(shorts.order_by("raised_at")[:50]),
        "stuck": list(
            work.filter(status=OutboundStatus.EXCEPTION)
            .exclude(exceptions__status=ExceptionStatus.OPEN)
            .order_by("due_at")[:50]
        ),
        "now": timezone.now(),
    }
    return render(request, "fulfillment/outbound.html", context)


@scoped_page
@require_POST
def request_answer(request: HttpRequest, pk: Any, answer: str) -> HttpResponse:
    """Accept or reject a submitted request, or answer its cancellation request."""
    scope = _operator_scope(request)
    found: FulfillmentRequest = _one(selectors.requests_of_operator(scope), pk, "fulfillment request")
    reason = request.POST.get("reason", "")
    if answer == "accept":
        _done(
            request,
            lambda: outbound_accept(actor=scope.actor, request=found),
            _("%(number)s accepted.") % {"number": found.number},
        )
    elif answer == "reject":
        _done(
            request,
            lambda: outbound_reject(actor=scope.actor, request=found, reason=reason),
            _("%(number)s rejected.") % {"number": found.number},
        )
    else:
        accept = request.POST.get("accept") == "1"
        _done(
            request,
            lambda: outbound_cancellation_answer(
                actor=scope.actor, request=found, accept=accept, reason=reason
            ),
            (
                _("Cancellation of %(number)s accepted.")
                if accept
                else _("Cancellation of %(number)s refused.")
            )
            % {"number": found.number},
        )
    return _back(request, reverse("fulfillment:outbound"))


@scoped_page
@require_POST
def outbound_action(request: HttpRequest, pk: Any, action: str) -> HttpResponse:
    scope = _operator_scope(request)
    outbound: Outbound = _one(selectors.outbounds(scope), pk, "outbound")
    if action == "hand-back":
        reason = request.POST.get("reason", "")
        _done(
            request,
            lambda: outbound_hand_back(actor=scope.actor, outbound=outbound, reason=reason),
            _("%(number)s handed back to the seller.") % {"number": outbound.number},
        )
    else:
        _done(
            request,
            lambda: outbound_requeue(actor=scope.actor, outbound=outbound),
            _("%(number)s waits for the next wave.") % {"number": outbound.number},
        )
    return _back(request, reverse("fulfillment:outbound"))


@scoped_page
@require_POST
def short_resolve(request: HttpRequest, pk: Any) -> HttpResponse:
    scope = _operator_scope(request)
    exception: PickException = _one(selectors.pick_exceptions(scope), pk, "short pick")
    wanted = request.POST.get("resolution", "")
    resolution = wanted if wanted in ("other_bin", "handed_back") else None
    note = request.POST.get("note", "")
    _done(
        request,
        lambda: pick_exception_resolve(
            actor=scope.actor, exception=exception, resolution=resolution, note=note
        ),
        _("The short pick on %(number)s is resolved.") % {"number": exception.outbound.number},
    )
    return _back(request, reverse("fulfillment:outbound"))


# --- waves --------------------------------------------------------------------------------------------------------
@scoped_page
@require_GET
def wave_list(request: HttpRequest) -> HttpResponse:
    scope = _operator_scope(request)
    warehouses, chosen = _warehouse(scope, request)
    now = timezone.now()
    rows = selectors.waves(scope)
    if chosen is not None:
        rows = rows.filter(warehouse=chosen)
    context = {
        "warehouses": warehouses,
        "chosen": chosen,
        "queues": selectors.work_queues(scope, warehouse=chosen),
        "countdowns": selectors.pickup_countdowns(scope, warehouse=chosen, now=now) if chosen else [],
        "planned": list(rows.filter(status=WaveStatus.PLANNED).order_by("pickup_at", "number")),
        "released": list(rows.filter(status=WaveStatus.RELEASED).order_by("pickup_at", "number")[:50]),
        "finished": list(
            rows.filter(status__in=(WaveStatus.DONE, WaveStatus.CANCELLED)).order_by("-planned_at")[:20]
        ),
        "now": now,
    }
    return render(request, "fulfillment/waves.html", context)


@scoped_page
@require_POST
def waves_plan(request: HttpRequest) -> HttpResponse:
    scope = _operator_scope(request)
    _warehouses, chosen = _warehouse(scope, request, request.POST)
    if chosen is None:
        messages.error(request, _("Choose a warehouse."))
        return redirect("fulfillment:waves")
    made: list[Wave] = []

    def plan() -> None:
        made.extend(wave_plan(actor=scope.actor, warehouse=chosen, now=timezone.now()))

    if _done(request, plan, _("The waiting requests are planned.")):
        messages.info(
            request,
            ngettext("%(count)s wave planned.", "%(count)s waves planned.", len(made)) % {"count": len(made)},
        )
    return redirect(reverse("fulfillment:waves") + "?" + urlencode({"warehouse": str(chosen.pk)}))


@scoped_page
@require_POST
def waves_release_planned(request: HttpRequest) -> HttpResponse:
    scope = _operator_scope(request)
    _warehouses, chosen = _warehouse(scope, request, request.POST)
    if chosen is None:
        messages.error(request, _("Choose a warehouse."))
        return redirect("fulfillment:waves")
    planned = list(
        selectors.waves(scope).filter(warehouse=chosen, status=WaveStatus.PLANNED).order_by("pickup_at")
    )
    _done(
        request,
        lambda: waves_release(actor=scope.actor, waves=planned, now=timezone.now()),
        ngettext(
            "%(count)s wave released: its pick lists are ready.",
            "%(count)s waves released: their pick lists are ready.",
            len(planned),
        )
        % {"count": len(planned)},
    )
    return redirect(reverse("fulfillment:waves") + "?" + urlencode({"warehouse": str(chosen.pk)}))


@scoped_page
@require_POST
def wave_action(request: HttpRequest, pk: Any, action: str) -> HttpResponse:
    scope = _operator_scope(request)
    wave: Wave = _one(selectors.waves(scope), pk, "wave")
    if action == "release":
        _done(
            request,
            lambda: wave_release(actor=scope.actor, wave=wave, now=timezone.now()),
            _("%(number)s released: its pick lists are ready.") % {"number": wave.number},
        )
    else:
        _done(
            request,
            lambda: wave_cancel(actor=scope.actor, wave=wave),
            _("%(number)s cancelled: its requests wait for the next plan.") % {"number": wave.number},
        )
    return _back(
        request, reverse("fulfillment:waves") + "?" + urlencode({"warehouse": str(wave.warehouse_id)})
    )


@scoped_page
@require_GET
def wave_detail(request: HttpRequest, pk: Any) -> HttpResponse:
    scope = _operator_scope(request)
    wave: Wave = _one(selectors.waves(scope), pk, "wave")
    lists = list(wave.pick_lists.order_by("number"))
    context = {
        "wave": wave,
        "lists": lists,
        "outbounds": list(wave.outbounds.select_related("planned_service").order_by("due_at", "pk")),
        "walked": sum(pl.route_distance_mm for pl in lists),
        "in_sequence": sum(pl.sequence_distance_mm for pl in lists),
        "now": timezone.now(),
    }
    return render(request, "fulfillment/wave_detail.html", context)


# --- picking on the scanner ----------------------------------------------------------------------------------------
@scoped_page
@require_GET
def pick_lists(request: HttpRequest) -> HttpResponse:
    scope = _operator_scope(request)
    warehouses, chosen = _warehouse(scope, request)
    rows = selectors.pick_lists(scope).filter(status__in=(PickListStatus.OPEN, PickListStatus.IN_PROGRESS))
    if chosen is not None:
        rows = rows.filter(warehouse=chosen)
    context = {
        "warehouses": warehouses,
        "chosen": chosen,
        "lists": list(rows.order_by("wave__pickup_at", "number")[:100]),
    }
    return render(request, "fulfillment/pick_lists.html", context)


def _pick_url(pick_list: PickList, *, bin_code: str = "", scan: PickScan | None = None) -> str:
    query = {}
    if bin_code:
        query["bin"] = bin_code
    if scan is not None:
        query["scan"] = str(scan.pk)
    url = reverse("fulfillment:pick", args=[pick_list.pk])
    return url + ("?" + urlencode(query) if query else "")


def refusal_text(scan: PickScan) -> str:
    task = scan.task
    if task is None:
        return scan.message
    params = {
        "scanned": scan.bin_code or "—",
        "bin": task.location.code,
        "barcode": scan.barcode,
        "sku": task.sku.code,
        "left": task.quantity - task.picked_quantity,
    }
    template = REFUSALS.get(scan.reason_code)
    return str(template) % params if template else scan.message


@scoped_page
@require_http_methods(["GET", "POST"])
def pick_page(request: HttpRequest, pk: Any) -> HttpResponse:
    scope = _operator_scope(request)
    pick_list: PickList = _one(selectors.pick_lists(scope), pk, "pick list")
    if request.method == "POST":
        return _pick_post(request, scope, pick_list)
    task = current_task(pick_list) if pick_list.status == PickListStatus.IN_PROGRESS else None
    confirmed = request.GET.get("bin", "")
    last = None
    if request.GET.get("scan"):
        try:
            last = (
                PickScan.objects.filter(pick_list=pick_list, pk=uuid.UUID(request.GET["scan"]))
                .select_related("task__location", "task__sku")
                .first()
            )
        except ValueError:
            last = None
    tasks = list(selectors.pick_tasks(pick_list))
    done = sum(1 for t in tasks if t.status != PickTaskStatus.OPEN)
    context = {
        "pick_list": pick_list,
        "task": task,
        "left": (task.quantity - task.picked_quantity) if task else 0,
        "bin_confirmed": bool(task and confirmed and confirmed.upper() == task.location.code.upper()),
        "last": last,
        "last_text": refusal_text(last) if last is not None and last.result == ScanResult.REFUSED else "",
        "done_count": done,
        "task_count": len(tasks),
        "scans": [
            (scan, SHORT_REASONS.get(scan.reason_code, scan.reason_code))
            for scan in pick_list.scans.order_by("-occurred_at", "-pk")[:RECENT_SCANS]
        ],
    }
    return render(request, "fulfillment/pick.html", context)


def _quantity(raw: Any) -> Any:
    text = str(raw or "").strip()
    if not text:
        return 1
    try:
        return int(text)
    except ValueError:
        return text


def _pick_post(request: HttpRequest, scope: Scope, pick_list: PickList) -> HttpResponse:
    action = request.POST.get("action", "scan")
    try:
        if action == "start":
            pick_list_start(actor=scope.actor, pick_list=pick_list)
            return redirect(_pick_url(pick_list))
        if action == "short":
            task = pick_list.tasks.filter(pk=request.POST.get("task", "")).select_related("outbound").first()
            if task is None:
                messages.error(request, _("This stop is no longer current."))
                return redirect(_pick_url(pick_list))
            found = _quantity(request.POST.get("found") or "0")
            pick_short(actor=scope.actor, task=task, found=found)
            messages.warning(
                request, _("Short pick reported: the manager resolves it. Go on to the next stop.")
            )
            return redirect(_pick_url(pick_list))
        bin_code = request.POST.get("bin_code", "")
        barcode = request.POST.get("barcode", "")
        if not bin_code.strip():
            messages.error(request, _("Scan the bin first."))
            return redirect(_pick_url(pick_list))
        scan = pick_scan(
            actor=scope.actor,
            pick_list=pick_list,
            bin_code=bin_code,
            barcode=barcode,
            quantity=_quantity(request.POST.get("quantity")) if barcode.strip() else 1,
        )
    except DomainError as exc:
        messages.error(request, exc.detail)
        return redirect(_pick_url(pick_list))
    keep = scan.bin_code if (scan.result == ScanResult.ACCEPTED or scan.reason_code != WRONG_BIN) else ""
    return redirect(_pick_url(pick_list, bin_code=keep, scan=scan))
