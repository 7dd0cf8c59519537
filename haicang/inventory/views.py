"""The stock pages: stock by SKU × warehouse (search, filters, pages through HTMX), one SKU in every warehouse by
state, and the move history with filters and a CSV export. Every read goes through the request's scope:
a seller sees its own stock everywhere, an operator its sellers' stock in its own warehouses; a role without
``inventory:read`` gets the 403 page, another party's SKU the 404 page. Count pages: ``count_views``."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

from django.core.paginator import Paginator
from django.db.models import Q, QuerySet
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from haicang.catalog.models import Sku
from haicang.catalog.selectors import sku_search
from haicang.core.errors import NotFound
from haicang.inventory.labels import STATES
from haicang.inventory.models import Balance, Move
from haicang.inventory.move_export import moves_csv_response
from haicang.inventory.selectors import move_history
from haicang.inventory.stock_report import scoped_balances, stock_keys, stock_rows
from haicang.network.models import Warehouse
from haicang.parties.access import scope_for_request
from haicang.parties.roles import PartyKind
from haicang.parties.scoping import Scope, scope_queryset
from haicang.web.pages import scoped_page

READ = "inventory:read"
PAGE_SIZE = 50
# The columns of the stock tables, in order.
COLUMNS = [
    "available",
    "reserved",
    "sellable",
    "receiving",
    "in_returns",
    "quarantine",
    "damaged",
    "on_hand",
    "in_transit",
]
assert set(COLUMNS) == set(STATES)  # noqa: S101 - kept in step with the labels


def _warehouses(scope: Scope) -> QuerySet[Warehouse]:
    """The warehouses the scope's stock can be at: an operator's own; those a seller's stock is in."""
    if scope.operator_id is not None:
        return Warehouse.objects.filter(operator_id=scope.operator_id).order_by("code")
    ids = scoped_balances(scope).values("location__warehouse_id")
    return Warehouse.objects.filter(pk__in=ids).order_by("code")


def _query(pairs: dict[str, str]) -> str:
    return urlencode({k: v for k, v in pairs.items() if v})


@dataclass(frozen=True)
class StockFilters:
    q: str
    warehouse: str
    has_stock: bool

    @classmethod
    def from_query(cls, query: Any, warehouses: QuerySet[Warehouse]) -> StockFilters:
        warehouse = query.get("warehouse", "")
        valid = {str(pk) for pk in warehouses.values_list("pk", flat=True)}
        return cls(
            q=query.get("q", "").strip()[:200],
            warehouse=warehouse if warehouse in valid else "",
            has_stock=query.get("all") != "1",
        )

    def apply(self, balances: QuerySet[Balance], scope: Scope) -> QuerySet[Balance]:
        if self.warehouse:
            balances = balances.filter(location__warehouse_id=self.warehouse)
        if self.q:
            skus = sku_search(scope_queryset(Sku.objects.all(), scope, permission="catalog:read"), self.q)
            balances = balances.filter(sku_id__in=skus.values("pk"))
        return balances

    def query(self) -> str:
        return _query({"q": self.q, "warehouse": self.warehouse, "all": "" if self.has_stock else "1"})


@scoped_page
@require_GET
def stock_list(request: HttpRequest) -> HttpResponse:
    scope = scope_for_request(request)
    scope.require(READ)
    warehouses = _warehouses(scope)
    filters = StockFilters.from_query(request.GET, warehouses)
    balances = filters.apply(scoped_balances(scope), scope)
    page = Paginator(stock_keys(balances, has_stock=filters.has_stock or None), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    context = {
        "page": page,
        "rows": stock_rows(scope, list(page.object_list), balances),
        "columns": COLUMNS,
        "filters": filters,
        "query": filters.query(),
        "warehouses": warehouses,
        "several_sellers": scope.party_kind is PartyKind.OPERATOR,
        "user_is_operator": scope.operator_id is not None,
        "tab": "stock",
    }
    if getattr(request, "htmx", False):
        return render(request, "inventory/_stock_results.html", context)
    return render(request, "inventory/stock_list.html", context)


@scoped_page
@require_GET
def stock_sku(request: HttpRequest, pk: Any) -> HttpResponse:
    scope = scope_for_request(request)
    scope.require(READ)
    sku = (
        scope_queryset(Sku.objects.select_related("seller"), scope, permission="catalog:read")
        .filter(pk=pk)
        .first()
    )
    if sku is None:
        raise NotFound(f"no SKU with id {pk}")
    balances = scoped_balances(scope).filter(sku=sku)
    rows = stock_rows(scope, list(stock_keys(balances)), balances)
    totals = {column: sum(getattr(row.levels, column) for row in rows) for column in COLUMNS}
    context = {
        "sku": sku,
        "rows": rows,
        "columns": COLUMNS,
        "totals": totals,
        "tab": "stock",
        "user_is_operator": scope.operator_id is not None,
    }
    return render(request, "inventory/stock_sku.html", context)


# --- move history -----------------------------------------------------------------------------------------


def _day_start(text: str) -> dt.datetime | None:
    try:
        day = dt.date.fromisoformat(text)
    except ValueError:
        return None
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min))


@dataclass(frozen=True)
class MoveFilters:
    sku: str
    warehouse: str
    location: str
    document_type: str
    document_ref: str
    date_from: str
    date_to: str

    @classmethod
    def from_query(cls, query: Any, warehouses: QuerySet[Warehouse]) -> MoveFilters:
        warehouse = query.get("warehouse", "")
        valid = {str(pk) for pk in warehouses.values_list("pk", flat=True)}

        def text(name: str, size: int = 64) -> str:
            return str(query.get(name, "")).strip()[:size]

        return cls(
            sku=text("sku"),
            warehouse=warehouse if warehouse in valid else "",
            location=text("location", 20),
            document_type=text("document_type", 32),
            document_ref=text("document_ref"),
            date_from=text("from", 10) if _day_start(text("from", 10)) else "",
            date_to=text("to", 10) if _day_start(text("to", 10)) else "",
        )

    def apply(self, moves: QuerySet[Move]) -> QuerySet[Move]:
        if self.sku:
            moves = moves.filter(sku__code__iexact=self.sku)
        if self.warehouse:
            moves = moves.filter(
                Q(from_location__warehouse_id=self.warehouse) | Q(to_location__warehouse_id=self.warehouse)
            )
        if self.location:
            moves = moves.filter(
                Q(from_location__code__iexact=self.location) | Q(to_location__code__iexact=self.location)
            )
        if self.document_type:
            moves = moves.filter(document_type=self.document_type)
        if self.document_ref:
            moves = moves.filter(document_ref__iexact=self.document_ref)
        start, end = _day_start(self.date_from), _day_start(self.date_to)
        if start:
            moves = moves.filter(effective_at__gte=start)
        if end:
            moves = moves.filter(effective_at__lt=end + dt.timedelta(days=1))
        return moves

    def query(self) -> str:
        return _query(
            {
                "sku": self.sku,
                "warehouse": self.warehouse,
                "location": self.location,
                "document_type": self.document_type,
                "document_ref": self.document_ref,
                "from": self.date_from,
                "to": self.date_to,
            }
        )


def _moves(scope: Scope, request: HttpRequest) -> tuple[QuerySet[Move], MoveFilters, QuerySet[Warehouse]]:
    scope.require(READ)
    warehouses = _warehouses(scope)
    filters = MoveFilters.from_query(request.GET, warehouses)
    moves = filters.apply(scope_queryset(move_history(Move.objects.all()), scope, permission=READ))
    return moves.order_by("-effective_at", "-recorded_at", "-id"), filters, warehouses


@scoped_page
@require_GET
def move_list(request: HttpRequest) -> HttpResponse:
    scope = scope_for_request(request)
    moves, filters, warehouses = _moves(scope, request)
    page = Paginator(moves, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "page": page,
        "filters": filters,
        "query": filters.query(),
        "warehouses": warehouses,
        "document_types": list(
            scope_queryset(Move.objects.all(), scope, permission=READ)
            .order_by("document_type")
            .values_list("document_type", flat=True)
            .distinct()
        ),
        "several_sellers": scope.party_kind is PartyKind.OPERATOR,
        "user_is_operator": scope.operator_id is not None,
        "tab": "moves",
    }
    if getattr(request, "htmx", False):
        return render(request, "inventory/_move_results.html", context)
    return render(request, "inventory/move_list.html", context)


@scoped_page  # type: ignore[arg-type] # a streamed answer is not an HttpResponse, but a response all the same
@require_GET
def move_export(request: HttpRequest) -> HttpResponseBase:
    moves, _filters, _warehouses = _moves(scope_for_request(request), request)
    return moves_csv_response(moves)
