"""The carrier pages: carriers with their services and cards, one card's zones × weight breaks, and a quote form.

Reads go through the request's scope (an operator its own; a seller those shipping from the warehouses its
agreements cover); writes — adding a carrier or a service, archiving a card — are the operator's with
``network:write``. Rate cards come in through the Imports page (kind ``rate_card``) or the API.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.db.models import Prefetch, QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from haicang.core.actors import Actor
from haicang.core.errors import DomainError
from haicang.network.carrier_forms import CarrierForm, CarrierServiceForm, QuoteForm
from haicang.network.carrier_selectors import rate_card_full, rate_quotes, warehouse_carrier_services
from haicang.network.models import Carrier, CarrierService, RateCard, Warehouse
from haicang.network.rates import Destination, LineKind, Parcel, Unserviceable
from haicang.network.services import carriers as services
from haicang.parties.access import scope_for_request
from haicang.parties.roles import PartyKind
from haicang.parties.scoping import AccessDenied, Scope, scope_queryset, scoped_get
from haicang.web.pages import scoped_page

READ, WRITE = "network:read", "network:write"


def _labels() -> dict[str, Any]:
    from django.utils.translation import gettext_lazy

    return {
        "reasons": {
            Unserviceable.COUNTRY_NOT_SERVED: gettext_lazy("Does not deliver to this country"),
            Unserviceable.RESIDENTIAL_NOT_ALLOWED: gettext_lazy("Does not deliver to homes"),
            Unserviceable.NO_ZONE: gettext_lazy("No zone covers this postcode"),
            Unserviceable.TOO_HEAVY: gettext_lazy("Too heavy for the rate card"),
            Unserviceable.NO_RATE_CARD: gettext_lazy("No rate card in effect"),
        },
        "lines": {
            LineKind.BASE: gettext_lazy("Base rate"),
            LineKind.RESIDENTIAL: gettext_lazy("Residential surcharge"),
            LineKind.REMOTE: gettext_lazy("Remote area surcharge"),
            LineKind.FUEL: gettext_lazy("Fuel surcharge"),
            LineKind.ROUNDING: gettext_lazy("Rounding"),
        },
    }


def _is_writer(scope: Scope) -> bool:
    return scope.operator_id is not None and scope.can(WRITE)


def _services(scope: Scope) -> QuerySet[CarrierService]:
    cards = RateCard.objects.order_by("-effective_from")
    queryset = CarrierService.objects.select_related("carrier").prefetch_related(
        "warehouses", "countries", Prefetch("rate_cards", queryset=cards)
    )
    return scope_queryset(queryset, scope, permission=READ).order_by("carrier__code", "code")


def _service_form(scope: Scope, data: Any = None) -> CarrierServiceForm:
    carriers = scope_queryset(Carrier.objects.filter(is_active=True), scope, permission=READ)
    operator_id: Any = scope.operator_id
    warehouses = scope_queryset(Warehouse.objects.filter(operator_id=operator_id), scope, permission=READ)
    return CarrierServiceForm(data, carriers=carriers, warehouses=warehouses, prefix="service")


def _list_page(
    request: HttpRequest,
    scope: Scope,
    *,
    carrier_form: CarrierForm | None = None,
    service_form: CarrierServiceForm | None = None,
) -> HttpResponse:
    writer = _is_writer(scope)
    carriers = scope_queryset(Carrier.objects.all(), scope, permission=READ).order_by("code")
    services_by_carrier: dict[Any, list[CarrierService]] = {}
    for service in _services(scope):
        services_by_carrier.setdefault(service.carrier_id, []).append(service)
    context = {
        "rows": [(carrier, services_by_carrier.get(carrier.pk, [])) for carrier in carriers],
        "is_seller": scope.party_kind is PartyKind.SELLER,
        "can_write": writer,
        "carrier_form": carrier_form or (CarrierForm(prefix="carrier") if writer else None),
        "service_form": service_form or (_service_form(scope) if writer else None),
    }
    failed = any(f is not None and f.errors for f in (carrier_form, service_form))
    return render(request, "network/carrier_list.html", context, status=400 if failed else 200)


@scoped_page
@require_GET
def carrier_list(request: HttpRequest) -> HttpResponse:
    return _list_page(request, scope_for_request(request))


def _operator_id(scope: Scope) -> Any:
    return scope.operator_id


def _writer_scope(request: HttpRequest) -> Scope:
    scope = scope_for_request(request)
    scope.require(WRITE)
    if scope.operator_id is None:
        raise AccessDenied("only a warehouse operator keeps carriers", permission=WRITE)
    return scope


@scoped_page
@require_POST
def carrier_create(request: HttpRequest) -> HttpResponse:
    scope = _writer_scope(request)
    form = CarrierForm(request.POST, prefix="carrier")
    if form.is_valid():
        from haicang.parties.models import Operator

        try:
            carrier = services.carrier_create(
                actor=Actor.for_user(request.user),
                operator=Operator.objects.get(pk=_operator_id(scope)),
                **form.cleaned_data,
            )
        except DomainError as exc:
            form.add_error(exc.field if exc.field in form.fields else None, exc.detail)
        else:
            messages.success(request, _("Carrier %(code)s added.") % {"code": carrier.code})
            return redirect("network:carrier-list")
    return _list_page(request, scope, carrier_form=form)


@scoped_page
@require_POST
def carrier_service_create(request: HttpRequest) -> HttpResponse:
    scope = _writer_scope(request)
    form = _service_form(scope, request.POST)
    if form.is_valid():
        data = dict(form.cleaned_data)
        try:
            service = services.carrier_service_create(
                actor=Actor.for_user(request.user),
                carrier=data.pop("carrier"),
                warehouses=list(data.pop("warehouses")),
                **data,
            )
        except DomainError as exc:
            form.add_error(exc.field if exc.field in form.fields else None, exc.detail)
        else:
            messages.success(request, _("Service %(code)s added.") % {"code": service.code})
            return redirect("network:carrier-list")
    return _list_page(request, scope, service_form=form)


def _matrix(card: RateCard) -> dict[str, Any]:
    """Weight breaks as rows and zones as columns; an empty cell: the zone has no break at that weight."""
    zones = list(card.zones.all())
    weights = sorted({b.max_weight_g for zone in zones for b in zone.breaks.all()})
    prices = {(zone.name, b.max_weight_g): b.price for zone in zones for b in zone.breaks.all()}
    return {
        "zones": zones,
        "rows": [(weight, [prices.get((zone.name, weight)) for zone in zones]) for weight in weights],
    }


@scoped_page
@require_http_methods(["GET", "POST"])
def rate_card_detail(request: HttpRequest, pk: Any) -> HttpResponse:
    scope = scope_for_request(request)
    card = scoped_get(RateCard.objects.all(), scope, permission=READ, pk=pk)
    can_write = _is_writer(scope) and card.service.operator_id == scope.operator_id
    if request.method == "POST":
        if not can_write:
            raise AccessDenied("only the card's operator archives it", permission=WRITE)
        services.rate_card_archive(actor=Actor.for_user(request.user), card=card)
        messages.success(request, _("The rate card is archived: it is no longer quoted."))
        return redirect("network:rate-card-detail", pk=card.pk)
    full = rate_card_full(card.pk)
    fuel = f"{full.fuel_surcharge_pct.normalize():f}"
    context = {
        "card": full,
        "service": full.service,
        "can_write": can_write,
        "fuel_pct": fuel,
        **_matrix(full),
    }
    return render(request, "network/rate_card_detail.html", context)


@scoped_page
@require_GET
def rate_quote(request: HttpRequest) -> HttpResponse:
    scope = scope_for_request(request)
    warehouses = scope_queryset(Warehouse.objects.filter(is_active=True), scope, permission=READ).order_by(
        "code"
    )
    form = QuoteForm(request.GET or None, warehouses=warehouses)
    answers = None
    if form.is_bound and form.is_valid():
        data = form.cleaned_data
        warehouse = data["warehouse"]
        visible = scope_queryset(warehouse_carrier_services(warehouse), scope, permission=READ)
        answers = rate_quotes(
            warehouse=warehouse,
            parcel=Parcel(data["weight_g"], data["length_mm"], data["width_mm"], data["height_mm"]),
            destination=Destination(data["country"], data["postcode"], data["residential"]),
            on=data["on"],
            services=visible,
        )
    labels = _labels()
    rows = [
        {
            "answer": answer,
            "reason": labels["reasons"].get(getattr(answer.result, "reason", None), ""),
            "lines": [(labels["lines"][line.kind], line) for line in getattr(answer.result, "lines", ())],
        }
        for answer in answers or []
    ]
    return render(
        request,
        "network/rate_quote.html",
        {"form": form, "rows": rows, "quoted": answers is not None},
        status=400 if form.is_bound and form.errors else 200,
    )
