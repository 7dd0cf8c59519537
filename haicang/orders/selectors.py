"""Reads of the orders app, always through the reader's scope (resource ``orders``; operators see none)."""

from __future__ import annotations

from datetime import datetime

from django.db.models import Exists, OuterRef, Q, QuerySet

from haicang.core.blind_index import email_normalise
from haicang.orders.address_rules import phone_e164
from haicang.orders.contact import email_index, phone_index
from haicang.orders.models import Order, OrderHold
from haicang.parties.scoping import Scope, scope_queryset

READ = "orders:read"
WRITE = "orders:write"
PII = "orders:pii"


def open_holds() -> QuerySet[OrderHold]:
    return OrderHold.objects.filter(order=OuterRef("pk"), released_at__isnull=True)


def orders(scope: Scope) -> QuerySet[Order]:
    queryset = Order.objects.select_related("account").annotate(on_hold=Exists(open_holds()))
    return scope_queryset(queryset, scope, permission=READ).order_by("-placed_at", "-id")


def orders_filter(
    queryset: QuerySet[Order],
    *,
    status: str = "",
    account: str = "",
    hold: str = "",
    placed_from: datetime | None = None,
    placed_to: datetime | None = None,
    search: str = "",
) -> QuerySet[Order]:
    """Narrow a list: ``hold`` is ``true``/``false`` or a hold reason; ``search`` matches the order number, the
    channel's order id or reference, or — through the blind indexes — the customer's exact e-mail or phone."""
    if status:
        queryset = queryset.filter(status=status)
    if account:
        queryset = queryset.filter(**{"account_id": account})
    if hold in {"true", "1", "yes"}:
        queryset = queryset.filter(Exists(open_holds()))
    elif hold in {"false", "0", "no"}:
        queryset = queryset.exclude(Exists(open_holds()))
    elif hold:
        queryset = queryset.filter(Exists(open_holds().filter(reason=hold)))
    if placed_from is not None:
        queryset = queryset.filter(placed_at__gte=placed_from)
    if placed_to is not None:
        queryset = queryset.filter(placed_at__lt=placed_to)
    if search:
        queryset = queryset.filter(search_condition(search))
    return queryset


def search_condition(text: str) -> Q:
    text = text.strip()
    condition = Q(number__iexact=text) | Q(external_id=text) | Q(display_ref=text)
    if "@" in text:
        condition |= Q(email_index=email_index(email_normalise(text)))
    digits = sum(c.isdigit() for c in text)
    if digits >= 6:
        # "+…" is read as is; a national number is tried as a number of each main market.
        countries = ("US",) if text.startswith("+") else ("US", "GB", "DE", "FR")
        for country in countries:
            e164, problem = phone_e164(country, text)
            if problem is None and e164:
                condition |= Q(phone_index=phone_index(e164))
    return condition
