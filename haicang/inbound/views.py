"""The inbound shipment pages (``/inbound/``): the list with filters, a draft's form (header, lines, cartons,
customs lines, costs), one shipment with its milestones, ETA changes, lines and landed cost, the lifecycle
steps behind a confirmation page, the costs after submission, and the carton labels as PDF.

Every read goes through the request's scope: a seller sees its own shipments; the operator of the destination
warehouse sees them from submission on, read-only and without any price, and records the arrival. Another
party's shipment answers the 404 page. Writes call the services with the scope's actor; their problems show
next to the fields and rows they are about.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.core.paginator import Paginator
from django.db import transaction
from django.db.models import Q, QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from haicang.catalog.models import Sku
from haicang.core.errors import DomainError
from haicang.core.fx import FxRateMissing, fx_rate_on
from haicang.core.money import Money
from haicang.inbound import services
from haicang.inbound.costing import shipment_landed_cost
from haicang.inbound.errors import InboundInvalid
from haicang.inbound.forms import (
    BASIS_LABELS,
    COST_KIND_LABELS,
    MODE_LABELS,
    STATUS_LABELS,
    CancelForm,
    CostFormSet,
    EtaForm,
    NoteForm,
    ShipmentDocument,
    costs_initial,
    error_message,
    problem_text,
)
from haicang.inbound.landed_cost import CostAllocation, LandedCost, LandedCostUnavailable, LineLanded
from haicang.inbound.models import (
    InboundShipment,
    LandedCostAverage,
    ShipmentLine,
    ShipmentStatus,
    TransportMode,
)
from haicang.network.models import Warehouse
from haicang.parties.access import scope_for_request
from haicang.parties.models import Seller
from haicang.parties.roles import PartyKind
from haicang.parties.scoping import AccessDenied, Scope, scope_queryset, scoped_get
from haicang.web.pages import scoped_page
from haicang.web.templatetags.haicang_web import money

READ, WRITE = "inbound:read", "inbound:write"
PAGE_SIZE = 50
SKU_CHOICES = 2000  # SKUs offered in the form's suggestion list


def _shipments(scope: Scope) -> QuerySet[InboundShipment]:
    return scope_queryset(
        InboundShipment.objects.select_related("seller", "warehouse"), scope, permission=READ
    )


def _shipment(scope: Scope, pk: Any, *, permission: str = READ) -> InboundShipment:
    return scoped_get(
        InboundShipment.objects.select_related("seller", "warehouse"), scope, permission=permission, pk=pk
    )


def _seller(scope: Scope) -> Seller:
    scope.require(WRITE)
    if scope.party_kind is not PartyKind.SELLER or scope.party_id is None:
        raise AccessDenied("only the seller writes its shipments", permission=WRITE)
    return Seller.objects.get(pk=scope.party_id)


def _priced(scope: Scope) -> bool:
    """Prices (purchase costs, freight costs, declared values, landed costs) are the seller's only."""
    return scope.party_kind is PartyKind.SELLER


def _query(pairs: dict[str, str]) -> str:
    return urlencode({k: v for k, v in pairs.items() if v})


def _date(text: str) -> dt.date | None:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        return None


# --- the list ----------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ListFilters:
    q: str
    status: str
    warehouse: str
    mode: str
    eta_from: str
    eta_to: str

    @classmethod
    def from_query(cls, query: Any, warehouses: QuerySet[Warehouse]) -> ListFilters:
        def text(name: str, size: int = 64) -> str:
            return str(query.get(name, "")).strip()[:size]

        warehouse = text("warehouse", 40)
        valid = {str(pk) for pk in warehouses.values_list("pk", flat=True)}
        status, mode = text("status", 12), text("mode", 8)
        return cls(
            q=text("q"),
            status=status if status in ShipmentStatus.values else "",
            warehouse=warehouse if warehouse in valid else "",
            mode=mode if mode in TransportMode.values else "",
            eta_from=text("eta_from", 10) if _date(text("eta_from", 10)) else "",
            eta_to=text("eta_to", 10) if _date(text("eta_to", 10)) else "",
        )

    def apply(self, shipments: QuerySet[InboundShipment]) -> QuerySet[InboundShipment]:
        if self.q:
            shipments = shipments.filter(
                Q(number__icontains=self.q)
                | Q(reference__icontains=self.q)
                | Q(container_number__icontains=self.q.replace(" ", ""))
                | Q(bill_of_lading__icontains=self.q)
                | Q(air_waybill__icontains=self.q)
            )
        if self.status:
            shipments = shipments.filter(status=self.status)
        if self.warehouse:
            shipments = shipments.filter(warehouse_id=self.warehouse)
        if self.mode:
            shipments = shipments.filter(mode=self.mode)
        if self.eta_from:
            shipments = shipments.filter(eta__gte=_date(self.eta_from))
        if self.eta_to:
            shipments = shipments.filter(eta__lte=_date(self.eta_to))
        return shipments

    def query(self) -> str:
        return _query(
            {
                "q": self.q,
                "status": self.status,
                "warehouse": self.warehouse,
                "mode": self.mode,
                "eta_from": self.eta_from,
                "eta_to": self.eta_to,
            }
        )


@scoped_page
@require_GET
def shipment_list(request: HttpRequest) -> HttpResponse:
    scope = scope_for_request(request)
    shipments = _shipments(scope)
    warehouses = Warehouse.objects.filter(pk__in=shipments.values("warehouse_id")).order_by("code")
    filters = ListFilters.from_query(request.GET, warehouses)
    rows = filters.apply(shipments).order_by("-created_at")
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "page": page,
        "filters": filters,
        "query": filters.query(),
        "warehouses": warehouses,
        "statuses": list(STATUS_LABELS.items()),
        "modes": list(MODE_LABELS.items()),
        "several_sellers": scope.party_kind is PartyKind.OPERATOR,
        "can_create": scope.party_kind is PartyKind.SELLER and scope.can(WRITE),
    }
    if getattr(request, "htmx", False):
        return render(request, "inbound/_shipment_results.html", context)
    return render(request, "inbound/shipment_list.html", context)


# --- the draft's form --------------------------------------------------------------------------------------


def _destinations(scope: Scope) -> QuerySet[Warehouse]:
    """The warehouses the seller may see (those its agreements cover); the service says which may receive."""
    return scope_queryset(
        Warehouse.objects.filter(is_active=True), scope, permission="network:read"
    ).order_by("code")


def _sku_suggestions(seller: Seller) -> list[dict[str, str]]:
    skus = Sku.objects.filter(seller=seller, status="active").order_by("code")[:SKU_CHOICES]
    return [
        {
            "code": sku.code,
            "name": (sku.name_zh or sku.name_en) if _chinese() else (sku.name_en or sku.name_zh),
            "cost": _money_text(sku.purchase_cost),
            "currency": sku.purchase_cost.currency if sku.purchase_cost else "",
        }
        for sku in skus
    ]


def _chinese() -> bool:
    return (get_language() or "").startswith("zh")


def _money_text(value: Money | None) -> str:
    return money(value) if value is not None else ""


def _defaults(document: ShipmentDocument, suggestions: list[dict[str, str]], seller: Seller) -> None:
    """Show each line's default purchase cost (the SKU's) beside its own field, and as its placeholder."""
    by_code = {s["code"]: s for s in suggestions}
    wanted = {
        str(form["sku"].value() or "").strip() for form in document.lines.forms if form["sku"].value()
    } - set(by_code)
    for sku in Sku.objects.filter(seller=seller, code__in=wanted):
        by_code[sku.code] = {"code": sku.code, "cost": _money_text(sku.purchase_cost)}
    for form in document.lines.forms:
        code = str(form["sku"].value() or "").strip()
        default = by_code.get(code, {}).get("cost", "")
        form.default_cost = default
        if default:
            form.fields["purchase_cost_amount"].widget.attrs["placeholder"] = default


def _sku_currencies(seller: Seller, document: ShipmentDocument) -> dict[str, str]:
    codes = [form.cleaned_data.get("sku") for form in document.lines.forms if form.cleaned_data.get("sku")]
    return {
        sku.code: sku.purchase_cost.currency
        for sku in Sku.objects.filter(seller=seller, code__in=codes)
        if sku.purchase_cost is not None
    }


def _document_page(request: HttpRequest, pk: Any = None) -> HttpResponse:
    scope = scope_for_request(request)
    seller = _seller(scope)
    shipment = _shipment(scope, pk, permission=WRITE) if pk else None
    if shipment is not None and shipment.status != ShipmentStatus.DRAFT:
        messages.info(request, _("Only a draft can be edited; change the ETA or the costs instead."))
        return redirect("inbound:shipment-detail", pk=shipment.pk)
    data = request.POST if request.method == "POST" else None
    document = ShipmentDocument.build(
        data, warehouses=_destinations(scope), base_currency=seller.base_currency, shipment=shipment
    )
    if data is not None and document.is_valid():
        spec = document.spec(_sku_currencies(seller, document))
        warehouse = document.header.cleaned_data["warehouse"]
        try:
            with transaction.atomic():
                if shipment is None:
                    saved = services.inbound_create(
                        actor=scope.actor, seller=seller, warehouse=warehouse, spec=spec
                    )
                else:
                    changes: dict[str, Any] = {name: getattr(spec, name) for name in document.header.header()}
                    changes |= {
                        "warehouse": warehouse,
                        "lines": spec.lines,
                        "cartons": spec.cartons,
                        "customs_lines": spec.customs_lines,
                        "costs": spec.costs,
                    }
                    saved = services.inbound_update(
                        actor=scope.actor,
                        shipment=shipment,
                        changes=changes,
                        version=document.header.cleaned_data.get("version"),
                    )
        except InboundInvalid as exc:
            document.place(exc)
        except DomainError as exc:
            document.header.add_error(None, error_message(exc))
        else:
            messages.success(request, _("Shipment %(number)s saved.") % {"number": saved.number})
            return redirect("inbound:shipment-detail", pk=saved.pk)
    suggestions = _sku_suggestions(seller)
    _defaults(document, suggestions, seller)
    context = {
        "document": document,
        "shipment": shipment,
        "seller": seller,
        "suggestions": suggestions,
        "sku_costs": {s["code"]: s["cost"] for s in suggestions},
    }
    return render(request, "inbound/shipment_form.html", context)


@scoped_page
@require_http_methods(["GET", "POST"])
def shipment_create(request: HttpRequest) -> HttpResponse:
    return _document_page(request)


@scoped_page
@require_http_methods(["GET", "POST"])
def shipment_edit(request: HttpRequest, pk: uuid.UUID) -> HttpResponse:
    return _document_page(request, pk)


# --- one shipment ------------------------------------------------------------------------------------------


TIMELINE = (
    ShipmentStatus.DRAFT,
    ShipmentStatus.SUBMITTED,
    ShipmentStatus.IN_TRANSIT,
    ShipmentStatus.ARRIVED,
    ShipmentStatus.RECEIVING,
    ShipmentStatus.CLOSED,
)


@dataclass
class Step:
    status: str
    label: Any
    state: str  # done, current, upcoming, cancelled
    milestones: list[Any] = field(default_factory=list)


def _timeline(shipment: InboundShipment, milestones: list[Any]) -> list[Step]:
    by_status: dict[str, list[Any]] = {}
    for milestone in milestones:
        by_status.setdefault(milestone.status, []).append(milestone)
    reached = [s for s in TIMELINE if s in by_status]
    last = TIMELINE.index(reached[-1]) if reached else 0
    steps = []
    for i, status in enumerate(TIMELINE):
        if status == shipment.status:
            state = "current"
        elif i <= last or status in by_status:
            state = "done"
        else:
            state = "upcoming"
        if shipment.status == ShipmentStatus.CANCELLED and status not in by_status:
            continue
        steps.append(Step(status, STATUS_LABELS[status], state, by_status.get(status, [])))
    if shipment.status == ShipmentStatus.CANCELLED:
        steps.append(
            Step(
                ShipmentStatus.CANCELLED,
                STATUS_LABELS[ShipmentStatus.CANCELLED],
                "cancelled",
                by_status.get(ShipmentStatus.CANCELLED, []),
            )
        )
    return steps


@dataclass
class LandedRow:
    line: ShipmentLine
    landed: LineLanded
    parts: list[Money]


@dataclass
class LandedBreakdown:
    result: LandedCost | None
    fx_date: dt.date
    preview: bool
    rates: list[tuple[str, str]]  # (currency, how many base units one buys)
    rows: list[LandedRow]
    costs: list[CostAllocation]
    problem: str = ""


def _landed(shipment: InboundShipment, lines: list[ShipmentLine]) -> LandedBreakdown:
    day = shipment.fx_date or timezone.localdate()
    preview = shipment.fx_date is None
    try:
        result = shipment_landed_cost(shipment)
    except LandedCostUnavailable as exc:
        return LandedBreakdown(None, day, preview, [], [], [], problem=error_message(exc))
    currencies = {line.purchase_cost.currency for line in lines if line.purchase_cost is not None}
    currencies |= {cost.amount.currency for cost in result.costs}
    rates = []
    for currency in sorted(currencies - {result.currency}):
        try:
            rate = fx_rate_on(base=currency, quote=result.currency, on=day)
            rates.append((currency, f"{rate.normalize():f}"))
        except FxRateMissing:  # pragma: no cover - the landed cost above would have failed
            continue
    rows = [
        LandedRow(line, landed, [cost.parts[i] for cost in result.costs])
        for i, (line, landed) in enumerate(zip(lines, result.lines, strict=True))
    ]
    return LandedBreakdown(result, day, preview, rates, rows, list(result.costs))


def _actions(scope: Scope, shipment: InboundShipment) -> set[str]:
    """The steps the scope may take now, by the services' rules: the seller drafts (and fills a draft's
    cartons from a packing list, with ``imports:write``), submits, dispatches, changes the ETA and the costs,
    cancels; the arrival is the operator's or the seller's."""
    if not scope.can(WRITE):
        return set()
    status = shipment.status
    actions: set[str] = set()
    if scope.party_kind is PartyKind.SELLER and scope.party_id == shipment.seller_id:
        if status == ShipmentStatus.DRAFT:
            actions |= {"edit", "submit"}
            if scope.can("imports:write"):
                actions.add("import_packing_list")
        if status == ShipmentStatus.SUBMITTED:
            actions.add("dispatch")
        if status in services.BEFORE_ARRIVAL:
            actions.add("cancel")
            if status != ShipmentStatus.DRAFT:
                actions.add("eta")
        if status not in (ShipmentStatus.DRAFT, ShipmentStatus.CLOSED, ShipmentStatus.CANCELLED):
            actions.add("costs")
        if status == ShipmentStatus.IN_TRANSIT:
            actions.add("arrive")
    elif scope.party_kind is PartyKind.OPERATOR and status == ShipmentStatus.IN_TRANSIT:
        actions.add("arrive")
    return actions


@scoped_page
@require_GET
def shipment_detail(request: HttpRequest, pk: uuid.UUID) -> HttpResponse:
    scope = scope_for_request(request)
    shipment = _shipment(scope, pk)
    priced = _priced(scope)
    lines = list(shipment.lines.select_related("sku").order_by("position"))
    milestones = list(shipment.milestones.order_by("at", "id"))
    cartons = list(shipment.cartons.prefetch_related("contents__sku").order_by("number"))
    context: dict[str, Any] = {
        "shipment": shipment,
        "status_label": STATUS_LABELS.get(shipment.status, shipment.status),
        "mode_label": MODE_LABELS.get(shipment.mode, shipment.mode),
        "lines": lines,
        "totals": {
            "expected": sum(line.expected_quantity for line in lines),
            "received": sum(line.received_quantity for line in lines),
            "damaged": sum(line.damaged_quantity for line in lines),
            "short": sum(line.short_quantity for line in lines),
        },
        "cartons": cartons,
        "customs": list(shipment.customs_lines.select_related("sku").order_by("id")),
        "milestones": milestones,
        "timeline": _timeline(shipment, milestones),
        "eta_changes": list(shipment.eta_changes.order_by("at", "id")),
        "priced": priced,
        "actions": _actions(scope, shipment),
        "several_sellers": scope.party_kind is PartyKind.OPERATOR,
        "has_report": shipment.status
        in (ShipmentStatus.ARRIVED, ShipmentStatus.RECEIVING, ShipmentStatus.CLOSED),
        "packing_list_url": reverse("exchange:job-list")
        + "?"
        + urlencode({"kind": "inbound_packing_list", "shipment": shipment.number}),
    }
    if priced:
        context["costs"] = [
            {
                "cost": cost,
                "kind": COST_KIND_LABELS.get(cost.kind, cost.kind),
                "basis": BASIS_LABELS.get(cost.basis),
            }
            for cost in shipment.costs.order_by("id")
        ]
        context["cost_kinds"] = COST_KIND_LABELS
        context["basis_labels"] = BASIS_LABELS
        context["landed"] = _landed(shipment, lines) if lines else None
        context["averages"] = list(
            scope_queryset(
                LandedCostAverage.objects.select_related("sku", "warehouse", "last_shipment"),
                scope,
                permission=READ,
            )
            .filter(
                warehouse=shipment.warehouse, sku_id__in=[line.sku_id for line in lines], units_received__gt=0
            )
            .order_by("sku__code")
        )
    return render(request, "inbound/shipment_detail.html", context)


# --- the steps ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class StepPage:
    title: Any
    explain: Any
    button: Any
    form: type[Any]
    danger: bool = False


def _steps() -> dict[str, StepPage]:
    return {
        "submit": StepPage(
            _("Submit to the warehouse"),
            _(
                "The warehouse's operator sees the shipment from now on. It is checked once more; "
                "a submitted shipment can no longer be edited, only its ETA and costs change."
            ),
            _("Submit"),
            NoteForm,
        ),
        "dispatch": StepPage(
            _("The goods left the supplier"),
            _(
                "Every line's units move from the supplier to in transit to the warehouse, and the landed cost "
                "is kept at today's exchange rates."
            ),
            _("Mark as dispatched"),
            NoteForm,
        ),
        "arrive": StepPage(
            _("The shipment arrived"),
            _("The shipment is at the warehouse, ready to be received. Seller and operator are told."),
            _("Mark as arrived"),
            NoteForm,
        ),
        "cancel": StepPage(
            _("Cancel the shipment"),
            _(
                "A cancelled shipment stays visible but can never be reopened. Units already in transit go "
                "back to the supplier."
            ),
            _("Cancel the shipment"),
            CancelForm,
            danger=True,
        ),
        "eta": StepPage(
            _("Change the ETA"),
            _("Every change is kept with the previous date and your reason."),
            _("Change the ETA"),
            EtaForm,
        ),
    }


def _perform(step: str, scope: Scope, shipment: InboundShipment, data: dict[str, Any]) -> InboundShipment:
    actor = scope.actor
    calls: dict[str, Callable[[], InboundShipment]] = {
        "submit": lambda: services.inbound_submit(actor=actor, shipment=shipment),
        "dispatch": lambda: services.inbound_dispatch(actor=actor, shipment=shipment, note=data["note"]),
        "arrive": lambda: services.inbound_arrive(actor=actor, shipment=shipment, note=data["note"]),
        "cancel": lambda: services.inbound_cancel(actor=actor, shipment=shipment, reason=data["reason"]),
        "eta": lambda: services.inbound_eta_change(
            actor=actor, shipment=shipment, eta=data["eta"], reason=data["reason"]
        ),
    }
    return calls[step]()


def _done_message(step: str) -> str:
    return {
        "submit": _("Shipment %(number)s submitted to the warehouse."),
        "dispatch": _("Shipment %(number)s is in transit."),
        "arrive": _("Shipment %(number)s arrived."),
        "cancel": _("Shipment %(number)s cancelled."),
        "eta": _("The ETA of %(number)s changed."),
    }[step]


@scoped_page
@require_http_methods(["GET", "POST"])
def shipment_step(request: HttpRequest, pk: uuid.UUID, step: str) -> HttpResponse:
    """A lifecycle step: GET asks for confirmation (and a note, reason or date), POST carries it out."""
    scope = scope_for_request(request)
    shipment = _shipment(scope, pk, permission=WRITE)
    page = _steps().get(step)
    if page is None or step not in _actions(scope, shipment):
        if request.method == "POST":
            messages.error(request, _("This step is not possible now."))
            return redirect("inbound:shipment-detail", pk=shipment.pk)
        raise AccessDenied(f"{step} is not possible for {shipment.number} now", permission=WRITE)
    initial = {"eta": shipment.eta} if step == "eta" else None
    form = page.form(request.POST or None, initial=initial)
    problems: list[str] = []
    if request.method == "POST" and form.is_valid():
        try:
            done = _perform(step, scope, shipment, form.cleaned_data)
        except InboundInvalid as exc:
            problems = [
                problem_text(p) if not p.field else f"{p.field}: {problem_text(p)}" for p in exc.problems
            ]
        except DomainError as exc:
            messages.error(request, error_message(exc))
            return redirect("inbound:shipment-detail", pk=shipment.pk)
        else:
            messages.success(request, _done_message(step) % {"number": done.number})
            return redirect("inbound:shipment-detail", pk=done.pk)
    context = {"shipment": shipment, "page": page, "form": form, "step": step, "problems": problems}
    return render(request, "inbound/shipment_step.html", context)


@scoped_page
@require_http_methods(["GET", "POST"])
def shipment_costs(request: HttpRequest, pk: uuid.UUID) -> HttpResponse:
    """Replace the freight costs of a submitted shipment (duty and VAT are often known on arrival only)."""
    scope = scope_for_request(request)
    seller = _seller(scope)
    shipment = _shipment(scope, pk, permission=WRITE)
    if shipment.status == ShipmentStatus.DRAFT:
        return redirect("inbound:shipment-edit", pk=shipment.pk)
    if "costs" not in _actions(scope, shipment):
        messages.error(request, _("The costs of a closed or cancelled shipment no longer change."))
        return redirect("inbound:shipment-detail", pk=shipment.pk)
    data = request.POST if request.method == "POST" else None
    document = ShipmentDocument.build(
        data, warehouses=Warehouse.objects.none(), base_currency=seller.base_currency
    )
    document.costs = CostFormSet(data, prefix="costs", initial=None if data else costs_initial(shipment))
    for form in [*document.costs.forms, document.costs.empty_form]:
        form.fields["currency"].widget.attrs["placeholder"] = seller.base_currency
    if data is not None and document.costs.is_valid():
        try:
            services.inbound_costs_set(actor=scope.actor, shipment=shipment, costs=document.cost_specs())
        except InboundInvalid as exc:
            document.place(exc)
        except DomainError as exc:
            messages.error(request, error_message(exc))
            return redirect("inbound:shipment-detail", pk=shipment.pk)
        else:
            messages.success(request, _("The costs of %(number)s are saved.") % {"number": shipment.number})
            return redirect("inbound:shipment-detail", pk=shipment.pk)
    return render(request, "inbound/shipment_costs.html", {"shipment": shipment, "document": document})


# --- carton labels -----------------------------------------------------------------------------------------


@scoped_page
@require_GET
def shipment_labels(request: HttpRequest, pk: uuid.UUID) -> HttpResponse:
    """The carton labels as one PDF: ``?layout=label`` (100 × 150 mm, one a page) or ``a4`` (four a page)."""
    from haicang.inbound.labels_pdf import LAYOUTS, LabelFontMissing, carton_labels_pdf

    scope = scope_for_request(request)
    shipment = _shipment(scope, pk)
    layout = request.GET.get("layout", "label")
    layout = layout if layout in LAYOUTS else "label"
    if not shipment.cartons.exists():
        messages.error(request, _("This shipment has no cartons to label."))
        return redirect("inbound:shipment-detail", pk=shipment.pk)
    try:
        content = carton_labels_pdf(shipment, layout=layout)
    except LabelFontMissing as exc:
        messages.error(request, _("The labels cannot be printed: %(reason)s") % {"reason": exc.detail})
        return redirect("inbound:shipment-detail", pk=shipment.pk)
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{shipment.number}-labels.pdf"'
    return response
