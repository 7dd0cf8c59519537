"""The warehouse pages: the list, and one warehouse with its address, calendar, locations and floor map.

Every read goes through the request's scope: an operator sees its own warehouses, a seller those its
agreements cover; another party's warehouse answers 404, a role without ``network:read`` 403. The
warehouse's operator (``network:write``) adds holidays from the detail page.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Count, F, QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.dates import WEEKDAYS
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from haicang.core.actors import Actor
from haicang.core.errors import DomainError
from haicang.network import services
from haicang.network.errors import NoWorkingTime
from haicang.network.forms import HolidayForm
from haicang.network.labels import error_message, location_kind_label
from haicang.network.models import REAL_KINDS, Holiday, Location, LocationKind, Warehouse
from haicang.network.selectors import warehouse_calendar
from haicang.parties.access import scope_for_request
from haicang.parties.roles import PartyKind
from haicang.parties.scoping import AccessDenied, Scope, scope_queryset, scoped_get
from haicang.web.pages import scoped_page

READ, WRITE = "network:read", "network:write"
LOCATIONS_PAGE_SIZE = 50
REAL_KIND_ORDER = [kind.value for kind in LocationKind if kind in REAL_KINDS]


def _warehouses(scope: Scope) -> QuerySet[Warehouse]:
    queryset = Warehouse.objects.select_related("operator").prefetch_related("markets")
    return scope_queryset(queryset, scope, permission=READ)


def _can_write(scope: Scope, warehouse: Warehouse) -> bool:
    return scope.can(WRITE) and scope.operator_id == warehouse.operator_id


@scoped_page
@require_GET
def warehouse_list(request: HttpRequest) -> HttpResponse:
    scope = scope_for_request(request)
    context = {
        "warehouses": _warehouses(scope).order_by("code"),
        "is_seller": scope.party_kind is PartyKind.SELLER,
    }
    return render(request, "network/warehouse_list.html", context)


@dataclass(frozen=True)
class LocationFilters:
    zone: str
    kind: str

    @classmethod
    def from_query(cls, query: Any, *, zones: list[str]) -> LocationFilters:
        zone, kind = query.get("zone", ""), query.get("kind", "")
        return cls(zone=zone if zone in zones else "", kind=kind if kind in REAL_KIND_ORDER else "")

    def apply(self, locations: QuerySet[Location]) -> QuerySet[Location]:
        if self.zone:
            locations = locations.filter(zone=self.zone)
        if self.kind:
            locations = locations.filter(kind=self.kind)
        return locations

    def query(self) -> str:
        return urlencode({k: v for k, v in (("zone", self.zone), ("kind", self.kind)) if v})


def _locations(scope: Scope, warehouse: Warehouse) -> QuerySet[Location]:
    """The warehouse's real locations (not its virtual in-transit one), in walk order."""
    queryset = Location.objects.filter(warehouse=warehouse, kind__in=REAL_KIND_ORDER)
    return scope_queryset(queryset, scope, permission=READ).order_by(
        F("pick_sequence").asc(nulls_last=True), "code"
    )


def _kind_counts(locations: QuerySet[Location]) -> list[dict[str, Any]]:
    counted = {
        row["kind"]: row["n"]
        for row in locations.filter(is_active=True).order_by().values("kind").annotate(n=Count("id"))
    }
    return [
        {"kind": kind, "label": location_kind_label(kind), "count": counted[kind]}
        for kind in REAL_KIND_ORDER
        if counted.get(kind)
    ]


def _floor_map(locations: QuerySet[Location]) -> dict[str, Any] | None:
    """The bins with floor coordinates, for the Plotly map (metres, as numbers for drawing only)."""
    points = locations.filter(is_active=True, x_m__isnull=False, y_m__isnull=False).values_list(
        "code", "kind", "x_m", "y_m"
    )
    bins = [
        {"code": code, "kind": str(location_kind_label(kind)), "x": float(x), "y": float(y)}
        for code, kind, x, y in points
        if x is not None and y is not None
    ]
    if not bins:
        return None
    return {"bins": bins, "x_title": _("x (m)"), "y_title": _("y (m)")}


def _calendar(warehouse: Warehouse) -> dict[str, Any]:
    hours = {row.weekday: row for row in warehouse.working_hours.all()}
    week = [{"day": WEEKDAYS[day], "hours": hours.get(day)} for day in range(7)]
    calendar = warehouse_calendar(warehouse)
    now = timezone.now()
    try:
        next_cutoff = calendar.next_cutoff(now)
    except NoWorkingTime:
        next_cutoff = None
    local_today = calendar.local(now).date()
    holidays = list(warehouse.holidays.order_by("on"))
    return {
        "week": week,
        "local_now": calendar.local(now),
        "next_cutoff": next_cutoff,
        "upcoming_holidays": [h for h in holidays if h.on >= local_today],
        "past_holidays": [h for h in holidays if h.on < local_today][::-1],
    }


def _detail_page(
    request: HttpRequest, scope: Scope, warehouse: Warehouse, *, holiday_form: HolidayForm | None = None
) -> HttpResponse:
    locations = _locations(scope, warehouse)
    zones = sorted(set(locations.exclude(zone="").order_by().values_list("zone", flat=True).distinct()))
    filters = LocationFilters.from_query(request.GET, zones=zones)
    page = Paginator(filters.apply(locations), LOCATIONS_PAGE_SIZE).get_page(request.GET.get("page"))
    list_context = {
        "warehouse": warehouse,
        "page": page,
        "filters": filters,
        "query": filters.query(),
    }
    if getattr(request, "htmx", False) and request.method == "GET":
        return render(request, "network/_location_results.html", list_context)
    can_write = _can_write(scope, warehouse)
    context = {
        **list_context,
        **_calendar(warehouse),
        "markets": [m.country for m in warehouse.markets.all()],
        "kind_counts": _kind_counts(locations),
        "zones": zones,
        "kinds": [(kind, location_kind_label(kind)) for kind in REAL_KIND_ORDER],
        "floor_map": _floor_map(locations),
        "can_write": can_write,
        "holiday_form": holiday_form or (HolidayForm() if can_write else None),
        "is_seller": scope.party_kind is PartyKind.SELLER,
    }
    status = 400 if holiday_form is not None and holiday_form.errors else 200
    return render(request, "network/warehouse_detail.html", context, status=status)


@scoped_page
@require_GET
def warehouse_detail(request: HttpRequest, pk: Any) -> HttpResponse:
    scope = scope_for_request(request)
    warehouse = scoped_get(_warehouses(scope), scope, permission=READ, pk=pk)
    return _detail_page(request, scope, warehouse)


@scoped_page
@require_POST
def holiday_create(request: HttpRequest, pk: Any) -> HttpResponse:
    """Add a day off to the warehouse's calendar: its operator's people with ``network:write`` only."""
    scope = scope_for_request(request)
    warehouse = scoped_get(_warehouses(scope), scope, permission=WRITE, pk=pk)
    if not _can_write(scope, warehouse):
        raise AccessDenied("only the warehouse's operator changes its calendar", permission=WRITE)
    form = HolidayForm(request.POST)
    if form.is_valid():
        try:
            holiday: Holiday = services.holiday_add(
                actor=Actor.for_user(request.user),
                warehouse=warehouse,
                on=form.cleaned_data["on"],
                name=form.cleaned_data["name"],
            )
        except DomainError as exc:
            form.add_error(exc.field if exc.field in form.fields else None, str(error_message(exc)))
        else:
            messages.success(
                request,
                _("%(warehouse)s is closed on %(day)s (%(name)s).")
                % {"warehouse": warehouse.code, "day": holiday.on.isoformat(), "name": holiday.name},
            )
            return redirect("network:warehouse-detail", pk=warehouse.pk)
    return _detail_page(request, scope, warehouse, holiday_form=form)
