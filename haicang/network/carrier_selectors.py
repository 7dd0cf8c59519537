"""Reads of carriers and rate cards, and the quotes of a warehouse's services for one parcel.

:func:`rate_quotes` is what routing calls (estimated last-mile cost per warehouse) and what the
``POST /api/v1/rate-quotes/`` endpoint and the quote form show: every active service of the warehouse whose
carrier is active, each with the card in effect on the day, priced by the pure calculator
(``haicang.network.rates``), cheapest first, the services that cannot carry the parcel last with their reason.
"""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass
from decimal import Decimal
from typing import cast

from django.db.models import Prefetch, Q, QuerySet
from django.utils import timezone

from haicang.core.errors import DomainError
from haicang.core.fx import fx_convert
from haicang.core.money import Money
from haicang.network.models import CarrierService, RateCard, RateZone, Warehouse
from haicang.network.rates import (
    Destination,
    NotServiceable,
    Parcel,
    Quote,
    RateCardRules,
    RemoteArea,
    Unserviceable,
    WeightBreak,
    ZoneArea,
    ZoneRates,
    rate_quote,
)


def rate_cards_in_effect(on: dt.date) -> QuerySet[RateCard]:
    return RateCard.objects.filter(is_active=True, effective_from__lte=on).filter(
        Q(effective_to__isnull=True) | Q(effective_to__gte=on)
    )


def rate_card_in_effect(service: CarrierService, on: dt.date) -> RateCard | None:
    """The service's active card in effect on ``on`` (cards of a service never overlap)."""
    return rate_cards_in_effect(on).filter(service=service).order_by("-effective_from").first()


def rate_card_full(card_id: uuid.UUID | str) -> RateCard:
    """A card with its zones, their areas and breaks, and its remote areas loaded."""
    zones = RateZone.objects.prefetch_related("areas", "breaks").order_by("name")
    return (
        RateCard.objects.select_related("service", "service__carrier")
        .prefetch_related(Prefetch("zones", queryset=zones), "remote_areas")
        .get(pk=card_id)
    )


def rate_card_rules(card: RateCard, service: CarrierService | None = None) -> RateCardRules:
    """The pure calculator's view of ``card`` (load it with :func:`rate_card_full` to save queries)."""
    service = service or card.service
    zones = list(card.zones.all())
    return RateCardRules(
        currency=card.currency,
        dim_divisor=card.dim_divisor,
        dim_threshold_mm3=card.dim_threshold_mm3,
        fuel_pct=Decimal(card.fuel_surcharge_pct),
        fuel_on_surcharges=card.fuel_on_surcharges,
        residential_surcharge=card.residential_surcharge,
        remote_surcharge=card.remote_surcharge,
        remote_areas=tuple(RemoteArea(r.country, r.prefix) for r in card.remote_areas.all()),
        zones=tuple(
            ZoneRates(
                name=zone.name,
                transit_days=zone.transit_days,
                breaks=tuple(WeightBreak(b.max_weight_g, cast(Money, b.price)) for b in zone.breaks.all()),
            )
            for zone in zones
        ),
        areas=tuple(ZoneArea(a.country, a.prefix, zone.name) for zone in zones for a in zone.areas.all()),
        countries=frozenset(service.countries.values_list("country", flat=True)),
        residential_allowed=service.residential_allowed,
        default_transit_days=service.transit_days_default,
    )


@dataclass(frozen=True)
class ServiceQuote:
    """One service's answer for a parcel: a quote, or why it cannot carry it."""

    service: CarrierService
    card: RateCard | None
    result: Quote | NotServiceable
    comparable: Money | None = None  # the total in the warehouse's currency, to sort by

    @property
    def serviceable(self) -> bool:
        return isinstance(self.result, Quote)


def _comparable(total: Money, currency: str, on: dt.date) -> Money | None:
    if total.currency == currency:
        return total
    try:
        return fx_convert(money=total, to=currency, on=on)
    except DomainError:
        return None


def warehouse_carrier_services(warehouse: Warehouse) -> QuerySet[CarrierService]:
    """The active services shipping from ``warehouse`` whose carrier is active."""
    return (
        CarrierService.objects.filter(warehouses=warehouse, is_active=True, carrier__is_active=True)
        .select_related("carrier")
        .order_by("code")
    )


def rate_quotes(
    *,
    warehouse: Warehouse,
    parcel: Parcel,
    destination: Destination,
    on: dt.date | None = None,
    services: QuerySet[CarrierService] | None = None,
) -> list[ServiceQuote]:
    """Every active service of ``warehouse`` priced for ``parcel`` to ``destination`` on ``on`` (default:
    today in the warehouse's time zone). Serviceable ones first, cheapest first (totals compared in the
    warehouse's currency through the day's FX rate; then by transit days and code), then the others."""
    if on is None:
        on = timezone.localdate(timezone=_zone(warehouse.time_zone))
    candidates = services if services is not None else warehouse_carrier_services(warehouse)
    answers: list[ServiceQuote] = []
    for service in candidates:
        card = rate_card_in_effect(service, on)
        if card is None:
            answers.append(
                ServiceQuote(
                    service,
                    None,
                    NotServiceable(Unserviceable.NO_RATE_CARD, f"no rate card in effect on {on.isoformat()}"),
                )
            )
            continue
        result = rate_quote(rate_card_rules(rate_card_full(card.pk), service), parcel, destination)
        comparable = _comparable(result.total, warehouse.currency, on) if isinstance(result, Quote) else None
        answers.append(ServiceQuote(service, card, result, comparable))
    return sorted(answers, key=_order)


def _order(answer: ServiceQuote) -> tuple[int, Decimal, int, str]:
    result = answer.result
    if isinstance(result, Quote):
        amount = answer.comparable.amount if answer.comparable is not None else result.total.amount
        rank = 0 if answer.comparable is not None else 1
        return (
            rank,
            amount,
            result.transit_days if result.transit_days is not None else 999,
            answer.service.code,
        )
    return 2, Decimal(0), 0, answer.service.code


def _zone(name: str) -> dt.tzinfo:
    from zoneinfo import ZoneInfo

    return ZoneInfo(name)
