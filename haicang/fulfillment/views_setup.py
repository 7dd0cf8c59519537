"""The setup pages under ``/fulfillment/setup/`` (namespace ``fulfillment``; docs/fulfillment.md, "Setup: boxes
and pick-up times"):

- ``setup/boxes/`` — the operator's box catalogue (``?state=all`` shows deactivated boxes too), with *Add a
  box* (``setup/boxes/new/``), *Edit* (``setup/boxes/<id>/``), *Deactivate* and *Activate again*;
- ``setup/pickups/`` — the carriers' pick-up times per warehouse with the next pick-up of each, with *Add a
  pick-up time* (``setup/pickups/new/``), *Edit* (``setup/pickups/<id>/``: time, days, paused) and *Delete*.

Operators' members with ``fulfillment:read`` see them; the forms and buttons need ``fulfillment:write``. A seller
gets 403, another operator's box or schedule 404.
"""

from __future__ import annotations

import uuid
from typing import Any
from zoneinfo import ZoneInfo

from django.contrib import messages
from django.db.models import Count, F, QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from haicang.core.errors import DomainError, NotFound
from haicang.fulfillment import setup as services
from haicang.fulfillment.models import BoxType, Parcel, PickupSchedule
from haicang.fulfillment.outbound_rules import PickupTime, next_pickup
from haicang.fulfillment.setup_forms import WEEKDAY_CHOICES, BoxTypeForm, PickupScheduleForm
from haicang.network.models import Carrier, Warehouse
from haicang.parties.access import scope_for_request
from haicang.parties.models import Operator
from haicang.parties.scoping import AccessDenied, Scope, scope_queryset
from haicang.web.pages import scoped_page

READ, WRITE = "fulfillment:read", "fulfillment:write"
BOX_FIELDS = ("name", "inner_length_mm", "inner_width_mm", "inner_height_mm", "max_weight_g", "tare_g")


def operator_scope(request: HttpRequest, permission: str = READ) -> Scope:
    """The request's scope when it acts for an operator holding ``permission`` (else 403)."""
    scope = scope_for_request(request)
    scope.require(permission)
    if scope.operator_id is None:
        raise AccessDenied(
            "the box catalogue and pick-up times are the warehouse operator's", permission=permission
        )
    return scope


def _operator_id(scope: Scope) -> uuid.UUID:
    if scope.operator_id is None:  # pragma: no cover - operator_scope() refused it already
        raise AccessDenied("the warehouse operator's setup", permission=READ)
    return scope.operator_id


def _one[M: BoxType | PickupSchedule](queryset: QuerySet[M], pk: Any, what: str) -> M:
    try:
        found = queryset.filter(pk=uuid.UUID(str(pk))).first()
    except ValueError:
        found = None
    if found is None:
        raise NotFound(f"no {what} with id {pk}")
    return found


def _refused(form: Any, exc: DomainError) -> None:
    form.add_error(exc.field if exc.field in form.fields else None, exc.detail)


# --- boxes -------------------------------------------------------------------------------------------------------
def _boxes(scope: Scope) -> QuerySet[BoxType]:
    return scope_queryset(BoxType.objects.all(), scope, permission=READ)


@scoped_page
@require_http_methods(["GET"])
def box_list(request: HttpRequest) -> HttpResponse:
    scope = operator_scope(request)
    state = "all" if request.GET.get("state") == "all" else "active"
    # Smallest first, as packing tries them (docs/fulfillment.md, "Packing: box suggestion").
    volume = F("inner_length_mm") * F("inner_width_mm") * F("inner_height_mm")
    boxes = _boxes(scope).annotate(volume=volume).order_by("-is_active", "volume", "tare_g", "code")
    if state == "active":
        boxes = boxes.filter(is_active=True)
    used = dict(
        Parcel.objects.filter(box_type__in=boxes.values("pk"))
        .values_list("box_type")
        .annotate(n=Count("pk"))
        .values_list("box_type", "n")
    )
    rows = [(box, used.get(box.pk, 0)) for box in boxes]
    context = {
        "rows": rows,
        "state": state,
        "can_write": scope.can(WRITE),
        "inactive": _boxes(scope).filter(is_active=False).count(),
    }
    return render(request, "fulfillment/setup/boxes.html", context)


@scoped_page
@require_http_methods(["GET", "POST"])
def box_create(request: HttpRequest) -> HttpResponse:
    scope = operator_scope(request, WRITE)
    form = BoxTypeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            box = services.box_type_create(
                actor=scope.actor, operator=Operator.objects.get(pk=_operator_id(scope)), **form.cleaned_data
            )
        except DomainError as exc:
            _refused(form, exc)
        else:
            messages.success(request, _("Box %(code)s added.") % {"code": box.code})
            return redirect("fulfillment:boxes")
    status = 400 if request.method == "POST" else 200
    return render(request, "fulfillment/setup/box_form.html", {"form": form, "box": None}, status=status)


@scoped_page
@require_http_methods(["GET", "POST"])
def box_edit(request: HttpRequest, pk: Any) -> HttpResponse:
    scope = operator_scope(request, WRITE)
    box = _one(_boxes(scope), pk, "box")
    initial = {field: getattr(box, field) for field in BOX_FIELDS}
    form = BoxTypeForm(request.POST or None, initial=initial, editing=True)
    if request.method == "POST" and form.is_valid():
        try:
            services.box_type_update(actor=scope.actor, box_type=box, **form.cleaned_data)
        except DomainError as exc:
            _refused(form, exc)
        else:
            messages.success(request, _("Box %(code)s saved.") % {"code": box.code})
            return redirect("fulfillment:boxes")
    context = {"form": form, "box": box, "in_use": services.box_in_use(box)}
    return render(
        request, "fulfillment/setup/box_form.html", context, status=400 if request.method == "POST" else 200
    )


@scoped_page
@require_POST
def box_activation(request: HttpRequest, pk: Any, active: bool) -> HttpResponse:
    scope = operator_scope(request, WRITE)
    box = _one(_boxes(scope), pk, "box")
    if active:
        services.box_type_reactivate(actor=scope.actor, box_type=box)
        messages.success(request, _("Box %(code)s is offered again.") % {"code": box.code})
    else:
        services.box_type_deactivate(actor=scope.actor, box_type=box)
        messages.success(request, _("Box %(code)s deactivated: no longer offered.") % {"code": box.code})
    return redirect(reverse("fulfillment:boxes") + ("" if active else "?state=all"))


# --- pick-up times -----------------------------------------------------------------------------------------------
def _schedules(scope: Scope) -> QuerySet[PickupSchedule]:
    return scope_queryset(PickupSchedule.objects.all(), scope, permission=READ).select_related(
        "warehouse", "carrier"
    )


def _warehouses(scope: Scope) -> QuerySet[Warehouse]:
    return Warehouse.objects.filter(operator_id=_operator_id(scope), is_active=True).order_by("code")


def _carriers(scope: Scope) -> QuerySet[Carrier]:
    return Carrier.objects.filter(operator_id=_operator_id(scope), is_active=True).order_by("code")


DAY_LABELS = dict(WEEKDAY_CHOICES)


def _days(weekdays: list[int]) -> str:
    days = sorted(int(d) for d in weekdays)
    if days == [1, 2, 3, 4, 5]:
        return _("Mon–Fri")
    if days == [1, 2, 3, 4, 5, 6]:
        return _("Mon–Sat")
    if days == list(range(1, 8)):
        return _("Every day")
    return " ".join(str(DAY_LABELS[d]) for d in days if d in DAY_LABELS)


@scoped_page
@require_http_methods(["GET"])
def pickup_list(request: HttpRequest) -> HttpResponse:
    scope = operator_scope(request)
    now = timezone.now()
    groups: list[dict[str, Any]] = []
    schedules = list(_schedules(scope).order_by("warehouse__code", "pickup_time", "carrier__code"))
    for warehouse in _warehouses(scope):
        local_now = now.astimezone(ZoneInfo(warehouse.time_zone))
        rows = []
        for schedule in (s for s in schedules if s.warehouse_id == warehouse.pk):
            upcoming = (
                next_pickup(
                    [PickupTime(schedule.pickup_time, frozenset(int(d) for d in schedule.weekdays))],
                    local_now,
                )
                if schedule.is_active
                else None
            )
            rows.append({"schedule": schedule, "days": _days(schedule.weekdays), "next": upcoming})
        groups.append({"warehouse": warehouse, "rows": rows})
    context = {"groups": groups, "can_write": scope.can(WRITE)}
    return render(request, "fulfillment/setup/pickups.html", context)


@scoped_page
@require_http_methods(["GET", "POST"])
def pickup_create(request: HttpRequest) -> HttpResponse:
    scope = operator_scope(request, WRITE)
    initial = {}
    chosen = request.GET.get("warehouse", "")
    if chosen:
        initial["warehouse"] = _warehouses(scope).filter(pk=chosen).first() if _is_uuid(chosen) else None
    form = PickupScheduleForm(
        request.POST or None, initial=initial, warehouses=_warehouses(scope), carriers=_carriers(scope)
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            schedule = services.pickup_schedule_create(
                actor=scope.actor,
                warehouse=data["warehouse"],
                carrier=data["carrier"],
                pickup_time=data["pickup_time"],
                weekdays=data["weekdays"],
            )
        except DomainError as exc:
            _refused(form, exc)
        else:
            messages.success(
                request,
                _("%(carrier)s collects at %(warehouse)s at %(time)s.")
                % {
                    "carrier": schedule.carrier.code,
                    "warehouse": schedule.warehouse.code,
                    "time": f"{schedule.pickup_time:%H:%M}",
                },
            )
            return redirect("fulfillment:pickups")
    status = 400 if request.method == "POST" else 200
    return render(
        request, "fulfillment/setup/pickup_form.html", {"form": form, "schedule": None}, status=status
    )


def _is_uuid(text: str) -> bool:
    try:
        uuid.UUID(text)
    except ValueError:
        return False
    return True


@scoped_page
@require_http_methods(["GET", "POST"])
def pickup_edit(request: HttpRequest, pk: Any) -> HttpResponse:
    scope = operator_scope(request, WRITE)
    schedule = _one(_schedules(scope), pk, "pick-up time")
    initial = {
        "pickup_time": schedule.pickup_time,
        "weekdays": [int(d) for d in schedule.weekdays],
        "is_active": schedule.is_active,
    }
    form = PickupScheduleForm(
        request.POST or None,
        initial=initial,
        warehouses=_warehouses(scope),
        carriers=_carriers(scope),
        editing=True,
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.pickup_schedule_update(
                actor=scope.actor,
                schedule=schedule,
                pickup_time=data["pickup_time"],
                weekdays=data["weekdays"],
                is_active=data["is_active"],
            )
        except DomainError as exc:
            _refused(form, exc)
        else:
            messages.success(request, _("Pick-up time saved."))
            return redirect("fulfillment:pickups")
    status = 400 if request.method == "POST" else 200
    return render(
        request, "fulfillment/setup/pickup_form.html", {"form": form, "schedule": schedule}, status=status
    )


@scoped_page
@require_POST
def pickup_delete(request: HttpRequest, pk: Any) -> HttpResponse:
    scope = operator_scope(request, WRITE)
    schedule = _one(_schedules(scope), pk, "pick-up time")
    label = {
        "carrier": schedule.carrier.code,
        "warehouse": schedule.warehouse.code,
        "time": f"{schedule.pickup_time:%H:%M}",
    }
    services.pickup_schedule_delete(actor=scope.actor, schedule=schedule)
    messages.success(request, _("%(carrier)s no longer collects at %(warehouse)s at %(time)s.") % label)
    return redirect("fulfillment:pickups")
