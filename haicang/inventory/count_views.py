"""The cycle-count pages: the list of tasks, a new task, one task (with the manager's approval), and the
scanner-sized counting page — location, then SKU or barcode, then quantity; the ledger's quantity is never
shown there. Operators only (a seller gets the 403 page); who may do what: ``count_selectors``."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from haicang.core.errors import DomainError, NotFound
from haicang.inventory import count_selectors as cs
from haicang.inventory import counting
from haicang.inventory.count_forms import (
    CountLineForm,
    CountPolicyForm,
    CountTaskForm,
    DecisionForm,
    RejectForm,
)
from haicang.inventory.labels import COUNT_STATUS_LABELS, error_message
from haicang.inventory.models import CountTask, CountTaskStatus
from haicang.network.models import Warehouse
from haicang.parties.access import scope_for_request
from haicang.parties.models import Membership
from haicang.parties.scoping import Scope
from haicang.web.pages import scoped_page

PAGE_SIZE = 50


def _operator_scope(request: HttpRequest) -> Scope:
    scope = scope_for_request(request)
    scope.require(cs.READ)
    cs.operator_id_of(scope)
    return scope


def _base(scope: Scope) -> dict[str, Any]:
    return {"tab": "counts", "user_is_operator": True, "can_manage": cs.may_manage_counts(scope)}


@scoped_page
@require_GET
def count_list(request: HttpRequest) -> HttpResponse:
    scope = _operator_scope(request)
    status = request.GET.get("status", "")
    status = status if status in CountTaskStatus.values else ""
    mine = request.GET.get("mine") == "1"
    tasks = cs.count_tasks_visible(scope)
    if status:
        tasks = tasks.filter(status=status)
    if mine:
        tasks = tasks.filter(assignee_id=scope.actor.user_id)
    page = Paginator(tasks.order_by("-created_at"), PAGE_SIZE).get_page(request.GET.get("page"))
    query = "&".join(p for p in (f"status={status}" if status else "", "mine=1" if mine else "") if p)
    context = {
        **_base(scope),
        "page": page,
        "status": status,
        "mine": mine,
        "query": query,
        "statuses": list(COUNT_STATUS_LABELS.items()),
    }
    if getattr(request, "htmx", False):
        return render(request, "inventory/_count_results.html", context)
    return render(request, "inventory/count_list.html", context)


def _form_choices(scope: Scope) -> dict[str, Any]:
    operator_id = cs.operator_id_of(scope)
    return {
        "warehouses": Warehouse.objects.filter(operator_id=operator_id, is_active=True).order_by("code"),
        "members": Membership.objects.filter(operator_id=operator_id, is_active=True)
        .select_related("user")
        .order_by("user__username"),
    }


@scoped_page
@require_http_methods(["GET", "POST"])
def count_create(request: HttpRequest) -> HttpResponse:
    scope = _operator_scope(request)
    cs.require_manage(scope)
    choices = _form_choices(scope)
    form = CountTaskForm(request.POST or None, **choices)
    if request.method == "POST" and form.is_valid():
        try:
            task = counting.count_task_create(actor=scope.actor, **form.task_arguments(scope))
        except DomainError as exc:
            form.add_error(form.field_for(exc), str(error_message(exc)))
        else:
            messages.success(request, _("Count %(number)s created.") % {"number": task.number})
            return redirect("inventory:count-detail", pk=task.pk)
    return render(request, "inventory/count_form.html", {**_base(scope), "form": form})


def _task(scope: Scope, pk: Any) -> CountTask:
    return cs.count_task_get(scope, pk)


@scoped_page
@require_GET
def count_detail(request: HttpRequest, pk: Any) -> HttpResponse:
    scope = _operator_scope(request)
    task = _task(scope, pk)
    review = cs.may_review(scope, task)
    lines = list(
        task.lines.select_related("location", "sku").order_by("location__code", "sku__code", "lot_code")
    )
    context = {
        **_base(scope),
        "task": task,
        "lines": lines,
        "review": review,
        "may_count": cs.may_count(scope, task) and task.status == CountTaskStatus.OPEN,
        "may_approve": cs.may_approve(scope, task),
        "awaiting": [ln for ln in lines if ln.needs_approval] if review else [],
        "locations": list(task.locations.order_by("code").values_list("code", flat=True)[:200]),
        "decision_form": DecisionForm(),
        "reject_form": RejectForm(),
    }
    return render(request, "inventory/count_detail.html", context)


def _decide(request: HttpRequest, pk: Any, decision: str) -> HttpResponse:
    scope = _operator_scope(request)
    task = _task(scope, pk)
    cs.require_manage(scope)
    form = RejectForm(request.POST) if decision == "reject" else DecisionForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Say why the count is rejected."))
        return redirect("inventory:count-detail", pk=task.pk)
    try:
        if decision == "approve":
            counting.count_task_approve(actor=scope.actor, task=task, note=form.cleaned_data["note"])
            messages.success(
                request, _("Count %(number)s approved: the variances are applied.") % {"number": task.number}
            )
        elif decision == "reject":
            counting.count_task_reject(actor=scope.actor, task=task, reason=form.cleaned_data["reason"])
            messages.success(
                request, _("Count %(number)s rejected: it is open for a recount.") % {"number": task.number}
            )
        else:
            counting.count_task_cancel(actor=scope.actor, task=task, reason=form.cleaned_data["note"])
            messages.success(request, _("Count %(number)s cancelled.") % {"number": task.number})
    except DomainError as exc:
        messages.error(request, error_message(exc))
    return redirect("inventory:count-detail", pk=task.pk)


@scoped_page
@require_POST
def count_approve(request: HttpRequest, pk: Any) -> HttpResponse:
    return _decide(request, pk, "approve")


@scoped_page
@require_POST
def count_reject(request: HttpRequest, pk: Any) -> HttpResponse:
    return _decide(request, pk, "reject")


@scoped_page
@require_POST
def count_cancel(request: HttpRequest, pk: Any) -> HttpResponse:
    return _decide(request, pk, "cancel")


# --- approval limits --------------------------------------------------------------------------------------


def _policy_form(row: cs.WarehouseLimits, data: Any = None) -> CountPolicyForm:
    initial = {
        "max_units": row.max_units,
        "amount": row.max_value.amount,
        "currency": row.max_value.currency,
    }
    return CountPolicyForm(data, initial=initial, auto_id=f"id_{row.warehouse.pk}_%s")


def _limits_page(
    request: HttpRequest, scope: Scope, bound: tuple[Any, CountPolicyForm] | None = None
) -> HttpResponse:
    can_manage = cs.may_manage_counts(scope)
    rows = cs.warehouse_limits(cs.policy_warehouses(scope))
    entries = [
        {
            "row": row,
            "form": (bound[1] if bound and bound[0] == row.warehouse.pk else _policy_form(row))
            if can_manage
            else None,
        }
        for row in rows
    ]
    context = {**_base(scope), "tab": "limits", "entries": entries}
    return render(request, "inventory/count_limits.html", context)


@scoped_page
@require_GET
def count_limits(request: HttpRequest) -> HttpResponse:
    """Each warehouse of the operator with its approval limits; a manager changes them here."""
    return _limits_page(request, _operator_scope(request))


@scoped_page
@require_POST
def count_limits_set(request: HttpRequest, pk: Any) -> HttpResponse:
    scope = _operator_scope(request)
    cs.require_manage(scope)
    warehouse = cs.policy_warehouses(scope).filter(pk=pk).first()
    if warehouse is None:
        raise NotFound(f"no warehouse with id {pk} of yours")
    row = cs.warehouse_limits([warehouse])[0]
    form = _policy_form(row, request.POST)
    if form.is_valid():
        try:
            counting.count_policy_set(
                actor=scope.actor,
                warehouse=warehouse,
                max_units=form.cleaned_data["max_units"],
                max_value=form.max_value(),
            )
        except DomainError as exc:
            form.add_error(form.field_for(exc), str(error_message(exc)))
        else:
            messages.success(
                request, _("Approval limits of %(warehouse)s saved.") % {"warehouse": warehouse.code}
            )
            return redirect("inventory:count-limits")
    return _limits_page(request, scope, (warehouse.pk, form))


# --- the counting page ------------------------------------------------------------------------------------


def _scan_context(scope: Scope, task: CountTask, form: CountLineForm, **extra: Any) -> dict[str, Any]:
    lines = list(task.lines.select_related("location", "sku").order_by("-counted_at")[:200])
    return {
        **_base(scope),
        "task": task,
        "form": form,
        "lines": lines,
        "line_count": task.lines.count(),
        **extra,
    }


@scoped_page
@require_http_methods(["GET", "POST"])
def count_scan(request: HttpRequest, pk: Any) -> HttpResponse:
    """Count one task on a scanner: every POST records one line (blind) and keeps the location for the next."""
    scope = _operator_scope(request)
    task = _task(scope, pk)
    cs.require_count(scope, task)
    if task.status != CountTaskStatus.OPEN:
        messages.info(request, _("This count is no longer open."))
        return redirect("inventory:count-detail", pk=task.pk)
    recorded = None
    if request.method == "POST":
        form = CountLineForm(request.POST)
        if form.is_valid():
            try:
                location = cs.location_by_code(task.warehouse, form.cleaned_data["location"])
                sku = cs.sku_by_scan(scope, form.cleaned_data["sku"])
                recorded = counting.count_line_record(
                    actor=scope.actor,
                    task=task,
                    location=location,
                    sku=sku,
                    quantity=form.cleaned_data["quantity"],
                    lot_code=form.cleaned_data["lot"],
                )
            except DomainError as exc:
                form.add_error(form.field_for(exc), str(error_message(exc)))
            else:
                form = CountLineForm(initial={"location": location.code})
    else:
        form = CountLineForm()
    context = _scan_context(scope, task, form, recorded=recorded)
    template = (
        "inventory/_count_scan_panel.html" if getattr(request, "htmx", False) else "inventory/count_scan.html"
    )
    return render(request, template, context)


@scoped_page
@require_POST
def count_submit(request: HttpRequest, pk: Any) -> HttpResponse:
    scope = _operator_scope(request)
    task = _task(scope, pk)
    cs.require_count(scope, task)
    try:
        task = counting.count_task_submit(actor=scope.actor, task=task)
    except DomainError as exc:
        messages.error(request, error_message(exc))
        return redirect("inventory:count-scan", pk=task.pk)
    if task.status == CountTaskStatus.APPLIED:
        messages.success(request, _("Count %(number)s submitted and applied.") % {"number": task.number})
    else:
        messages.success(
            request, _("Count %(number)s submitted: a manager will review it.") % {"number": task.number}
        )
    return redirect("inventory:count-detail", pk=task.pk)
