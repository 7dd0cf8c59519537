"""Writes of carriers, carrier services and rate cards. Each audits (docs/network.md, "Carriers and rate cards").

A rate card is written whole — its parameters, zones (with their postcode areas and weight breaks) and
remote areas — by :func:`rate_card_create`; afterwards only its parameters change (:func:`rate_card_update`:
dates, fuel, surcharges, divisor), because new prices are a new card from a new date. Creating a card whose
period starts after the start of the service's open-ended card closes that card the day before; any other
overlap with an active card of the service is refused (``network.rate_card_overlap``).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import ROUND_DOWN, Decimal
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import Q

from haicang.core.actors import Actor
from haicang.core.audit import audit_record
from haicang.core.countries import country_check
from haicang.core.errors import DomainError
from haicang.core.money import Money, currency_check
from haicang.network.errors import (
    CarrierCodeTaken,
    CarrierInvalid,
    CarrierServiceCodeTaken,
    CarrierServiceInvalid,
    RateCardInvalid,
    RateCardOverlap,
)
from haicang.network.models import (
    Carrier,
    CarrierService,
    CarrierServiceCountry,
    RateCard,
    RateCardRemoteArea,
    RateZone,
    RateZoneArea,
    ServiceLevel,
    Warehouse,
    WeightBreak,
)
from haicang.network.rates import breaks_problem, postcode_key
from haicang.parties.models import Operator, PartyStatus

_CARRIER_CODE = re.compile(r"[A-Z0-9][A-Z0-9-]{0,19}", re.ASCII)
_SERVICE_CODE = re.compile(r"[A-Z0-9][A-Z0-9_-]{0,29}", re.ASCII)
_ZONE_NAME = re.compile(r"[A-Z0-9][A-Z0-9 ._-]{0,19}", re.ASCII)
MAX_PREFIX = 12
MAX_TRANSIT_DAYS = 120
MAX_DIVISOR = 1_000_000
MAX_ZONES = 500
MAX_BREAKS = 500
PRICE_PLACES = 4  # the MoneyField's places


# --- checks shared with the rate-card import ----------------------------------------------------------------
def _text(value: object, *, field: str, limit: int, error: type[DomainError]) -> str:
    text = " ".join(value.split()) if isinstance(value, str) else ""
    if not text or len(text) > limit:
        raise error(f"{field} is 1–{limit} characters", field=field)
    return text


def carrier_code_check(code: object) -> str:
    value = code.strip().upper() if isinstance(code, str) else ""
    if not _CARRIER_CODE.fullmatch(value):
        raise CarrierInvalid(f"code {code!r} is 1–20 letters, digits or dashes (e.g. UPX)", field="code")
    return value


def service_code_check(code: object) -> str:
    value = code.strip().upper() if isinstance(code, str) else ""
    if not _SERVICE_CODE.fullmatch(value):
        raise CarrierServiceInvalid(
            f"code {code!r} is 1–30 letters, digits, dashes or underscores (e.g. UPX-GROUND)", field="code"
        )
    return value


def tracking_template_check(template: object) -> str:
    value = template.strip() if isinstance(template, str) else None
    if value is None or len(value) > 300:
        raise CarrierInvalid("the tracking URL template is text of at most 300 characters", field="tracking")
    if value and (not value.startswith(("https://", "http://")) or "{tracking_number}" not in value):
        raise CarrierInvalid(
            "the tracking URL template is an http(s) URL with {tracking_number} where the number goes",
            field="tracking_url_template",
        )
    return value


def transit_days_check(value: object, *, field: str, error: type[DomainError]) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= MAX_TRANSIT_DAYS:
        raise error(f"{field} is a whole number of days from 0 to {MAX_TRANSIT_DAYS}", field=field)
    return value


def zone_name_check(name: object) -> str:
    value = " ".join(name.split()).upper() if isinstance(name, str) else ""
    if not _ZONE_NAME.fullmatch(value):
        raise RateCardInvalid(
            f"zone {name!r} is 1–20 letters, digits, spaces, dots, dashes or underscores", field="zone"
        )
    return value


def prefix_check(prefix: object, *, field: str = "postcode_prefixes") -> str:
    """A postcode prefix as a key (upper case, letters and digits; empty: the whole country)."""
    if not isinstance(prefix, str):
        raise RateCardInvalid("a postcode prefix is text", field=field)
    key = postcode_key(prefix)
    if len(key) > MAX_PREFIX or (prefix.strip() and not key):
        raise RateCardInvalid(
            f"postcode prefix {prefix!r} is up to {MAX_PREFIX} letters and digits", field=field
        )
    return key


def price_check(money: object, *, currency: str, field: str) -> Money:
    if not isinstance(money, Money):
        raise RateCardInvalid(f"{field} is money", field=field)
    if money.currency != currency:
        raise RateCardInvalid(f"{field} is in {money.currency}, not the card's {currency}", field=field)
    if money.is_negative():
        raise RateCardInvalid(f"{field} is not negative", field=field)
    if -int(money.amount.as_tuple().exponent) > PRICE_PLACES and money != money.rounded(places=PRICE_PLACES):
        raise RateCardInvalid(f"{field} has more than {PRICE_PLACES} decimal places", field=field)
    return money


def fuel_pct_check(value: object) -> Decimal:
    field = "fuel_surcharge_pct"
    if isinstance(value, bool) or not isinstance(value, Decimal | int):
        raise RateCardInvalid("the fuel surcharge is a percentage like 12.5", field=field)
    pct = Decimal(value)
    if (
        not pct.is_finite()
        or not 0 <= pct <= 100
        or pct != pct.quantize(Decimal("0.001"), rounding=ROUND_DOWN)
    ):
        raise RateCardInvalid(
            "the fuel surcharge is a percentage from 0 to 100, at most 3 decimals", field=field
        )
    return pct


def divisor_check(value: object) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not 0 < value <= MAX_DIVISOR:
        raise RateCardInvalid(
            "the dimensional-weight divisor is a whole number of cm³ per kg, e.g. 5000", field="dim_divisor"
        )
    return value


def threshold_check(value: object) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise RateCardInvalid(
            "the volume threshold is a whole number of mm³ (0: always)", field="dim_threshold_mm3"
        )
    return value


# --- carriers -----------------------------------------------------------------------------------------------
def _active_operator(operator: Operator) -> Operator:
    if operator.status != PartyStatus.ACTIVE:
        raise CarrierInvalid(f"operator {operator.code} is {operator.status}", field="operator")
    return operator


@transaction.atomic
def carrier_create(
    *, actor: Actor, operator: Operator, code: str, name: str, tracking_url_template: str = ""
) -> Carrier:
    """A new carrier of ``operator``. Raises CarrierInvalid, CarrierCodeTaken."""
    fields = {
        "code": carrier_code_check(code),
        "name": _text(name, field="name", limit=100, error=CarrierInvalid),
        "tracking_url_template": tracking_template_check(tracking_url_template),
    }
    _active_operator(operator)
    try:
        with transaction.atomic():
            carrier = Carrier.objects.create(operator=operator, **fields)
    except IntegrityError:
        raise CarrierCodeTaken(f"{operator.code} has a carrier {fields['code']}", field="code") from None
    audit_record(
        actor=actor, action="carrier.created", subject=carrier, after={**fields, "operator": operator.pk}
    )
    return carrier


@transaction.atomic
def carrier_update(
    *, actor: Actor, carrier: Carrier, name: str | None = None, tracking_url_template: str | None = None
) -> Carrier:
    """Change the name or tracking URL template (the code never changes); unchanged values write nothing."""
    wanted: dict[str, Any] = {}
    if name is not None:
        wanted["name"] = _text(name, field="name", limit=100, error=CarrierInvalid)
    if tracking_url_template is not None:
        wanted["tracking_url_template"] = tracking_template_check(tracking_url_template)
    locked = Carrier.objects.select_for_update().get(pk=carrier.pk)
    return _changed(actor, locked, wanted, "carrier.updated")


@transaction.atomic
def carrier_archive(*, actor: Actor, carrier: Carrier) -> Carrier:
    """Stop using a carrier: its services are no longer quoted. Its history stays."""
    locked = Carrier.objects.select_for_update().get(pk=carrier.pk)
    return _changed(actor, locked, {"is_active": False}, "carrier.archived")


def _changed(actor: Actor, obj: Any, wanted: dict[str, Any], action: str) -> Any:
    before = {field: getattr(obj, field) for field, value in wanted.items() if getattr(obj, field) != value}
    if not before:
        return obj
    after = {field: wanted[field] for field in before}
    for field, value in after.items():
        setattr(obj, field, value)
    update_fields = []
    for field in after:
        money = getattr(type(obj), field, None)
        amount = getattr(money, "amount_attname", None)
        update_fields += [amount, money.currency_attname] if amount else [field]  # type: ignore[union-attr]
    obj.save(update_fields=[*update_fields, "updated_at"])
    audit_record(actor=actor, action=action, subject=obj, before=before, after=after)
    return obj


# --- services -----------------------------------------------------------------------------------------------
def _countries(countries: Iterable[str]) -> list[str]:
    if isinstance(countries, str):
        raise CarrierServiceInvalid("countries are a list of country codes", field="countries")
    checked = sorted(
        {country_check(c.strip().upper() if isinstance(c, str) else c, field="countries") for c in countries}
    )
    if not checked:
        raise CarrierServiceInvalid("a service delivers to at least one country", field="countries")
    return checked


def _warehouses(operator_id: Any, warehouses: Iterable[Warehouse]) -> list[Warehouse]:
    chosen = list({w.pk: w for w in warehouses}.values())
    for warehouse in chosen:
        if warehouse.operator_id != operator_id:
            raise CarrierServiceInvalid(
                f"{warehouse.code} is not a warehouse of the carrier's operator", field="warehouses"
            )
    return sorted(chosen, key=lambda w: w.code)


def _level(value: object) -> str:
    if value not in ServiceLevel.values:
        raise CarrierServiceInvalid(
            f"service level {value!r} is one of {', '.join(ServiceLevel.values)}", field="service_level"
        )
    return str(value)


@transaction.atomic
def carrier_service_create(
    *,
    actor: Actor,
    carrier: Carrier,
    code: str,
    name: str,
    service_level: str,
    transit_days_default: int,
    countries: Iterable[str],
    warehouses: Iterable[Warehouse] = (),
    residential_allowed: bool = True,
) -> CarrierService:
    """A service of ``carrier`` shipping from ``warehouses`` (the carrier's operator's) to ``countries``."""
    if not carrier.is_active:
        raise CarrierServiceInvalid(f"carrier {carrier.code} is archived", field="carrier")
    if not isinstance(residential_allowed, bool):
        raise CarrierServiceInvalid("residential_allowed is true or false", field="residential_allowed")
    fields: dict[str, Any] = {
        "code": service_code_check(code),
        "name": _text(name, field="name", limit=100, error=CarrierServiceInvalid),
        "service_level": _level(service_level),
        "transit_days_default": transit_days_check(
            transit_days_default, field="transit_days_default", error=CarrierServiceInvalid
        ),
        "residential_allowed": residential_allowed,
    }
    served = _countries(countries)
    ships_from = _warehouses(carrier.operator_id, warehouses)
    try:
        with transaction.atomic():
            service = CarrierService.objects.create(
                operator_id=carrier.operator_id, carrier=carrier, **fields
            )
    except IntegrityError:
        raise CarrierServiceCodeTaken(f"a carrier service {fields['code']} exists", field="code") from None
    service.warehouses.set(ships_from)
    CarrierServiceCountry.objects.bulk_create(
        CarrierServiceCountry(service=service, country=c) for c in served
    )
    audit_record(
        actor=actor,
        action="carrier_service.created",
        subject=service,
        after={
            **fields,
            "carrier": carrier.code,
            "countries": served,
            "warehouses": [w.code for w in ships_from],
        },
    )
    return service


SERVICE_UPDATABLE = ("name", "service_level", "transit_days_default", "residential_allowed")


@transaction.atomic
def carrier_service_update(
    *,
    actor: Actor,
    service: CarrierService,
    countries: Iterable[str] | None = None,
    warehouses: Iterable[Warehouse] | None = None,
    **changes: Any,
) -> CarrierService:
    """Change the named fields (:data:`SERVICE_UPDATABLE`) and replace the countries or warehouses."""
    unknown = sorted(set(changes) - set(SERVICE_UPDATABLE))
    if unknown:
        raise CarrierServiceInvalid(f"{', '.join(unknown)} cannot be changed", field=unknown[0])
    wanted: dict[str, Any] = {}
    if "name" in changes:
        wanted["name"] = _text(changes["name"], field="name", limit=100, error=CarrierServiceInvalid)
    if "service_level" in changes:
        wanted["service_level"] = _level(changes["service_level"])
    if "transit_days_default" in changes:
        wanted["transit_days_default"] = transit_days_check(
            changes["transit_days_default"], field="transit_days_default", error=CarrierServiceInvalid
        )
    if "residential_allowed" in changes:
        if not isinstance(changes["residential_allowed"], bool):
            raise CarrierServiceInvalid("residential_allowed is true or false", field="residential_allowed")
        wanted["residential_allowed"] = changes["residential_allowed"]
    locked = CarrierService.objects.select_for_update().get(pk=service.pk)
    if countries is not None:
        served = _countries(countries)
        current = sorted(locked.countries.values_list("country", flat=True))
        if served != current:
            locked.countries.all().delete()
            CarrierServiceCountry.objects.bulk_create(
                CarrierServiceCountry(service=locked, country=c) for c in served
            )
            audit_record(
                actor=actor,
                action="carrier_service.countries_set",
                subject=locked,
                before={"countries": current},
                after={"countries": served},
            )
    if warehouses is not None:
        ships_from = _warehouses(locked.operator_id, warehouses)
        current_codes = sorted(locked.warehouses.values_list("code", flat=True))
        wanted_codes = [w.code for w in ships_from]
        if current_codes != wanted_codes:
            locked.warehouses.set(ships_from)
            audit_record(
                actor=actor,
                action="carrier_service.warehouses_set",
                subject=locked,
                before={"warehouses": current_codes},
                after={"warehouses": wanted_codes},
            )
    return _changed(actor, locked, wanted, "carrier_service.updated")


@transaction.atomic
def carrier_service_archive(*, actor: Actor, service: CarrierService) -> CarrierService:
    """Stop offering a service: it is no longer quoted; its cards stay for the record."""
    locked = CarrierService.objects.select_for_update().get(pk=service.pk)
    return _changed(actor, locked, {"is_active": False}, "carrier_service.archived")


# --- rate cards ---------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class ZoneSpec:
    """A zone as written: its name, areas ``(country, postcode prefix)``, breaks ``(max g, price)``."""

    name: str
    areas: Sequence[tuple[str, str]]
    breaks: Sequence[tuple[int, Money]]
    transit_days: int | None = None


@dataclass(frozen=True)
class CheckedZone:
    name: str
    areas: list[tuple[str, str]]
    breaks: list[tuple[int, Money]]
    transit_days: int | None


def zones_check(
    zones: Sequence[ZoneSpec], *, currency: str, countries: Iterable[str] | None = None
) -> list[CheckedZone]:
    """The zones normalised, or RateCardInvalid naming the first problem (zone names, areas, breaks)."""
    if not zones:
        raise RateCardInvalid("a rate card has at least one zone", field="zones")
    if len(zones) > MAX_ZONES:
        raise RateCardInvalid(f"a rate card has at most {MAX_ZONES} zones", field="zones")
    served = set(countries) if countries is not None else None
    seen_names: set[str] = set()
    seen_areas: dict[tuple[str, str], str] = {}
    checked: list[CheckedZone] = []
    for spec in zones:
        name = zone_name_check(spec.name)
        if name in seen_names:
            raise RateCardInvalid(f"zone {name} is listed twice", field="zone")
        seen_names.add(name)
        transit = (
            None
            if spec.transit_days is None
            else transit_days_check(spec.transit_days, field="transit_days", error=RateCardInvalid)
        )
        if not spec.areas:
            raise RateCardInvalid(f"zone {name} covers no country or postcode", field="country")
        areas: list[tuple[str, str]] = []
        for country, prefix in spec.areas:
            key = (country_check(country, field="country"), prefix_check(prefix))
            if served is not None and key[0] not in served:
                raise RateCardInvalid(
                    f"the service does not deliver to {key[0]} (zone {name})", field="country"
                )
            if key in seen_areas:
                where = f"{key[0]} {key[1]}".strip()
                raise RateCardInvalid(
                    f"{where} is in zone {seen_areas[key]} and zone {name}", field="postcode_prefixes"
                )
            seen_areas[key] = name
            areas.append(key)
        if len(spec.breaks) > MAX_BREAKS:
            raise RateCardInvalid(
                f"zone {name} has more than {MAX_BREAKS} weight breaks", field="max_weight_g"
            )
        breaks = [
            (weight, price_check(price, currency=currency, field="price")) for weight, price in spec.breaks
        ]
        for weight, _price in breaks:
            if isinstance(weight, bool) or not isinstance(weight, int):
                raise RateCardInvalid("a break's maximum weight is whole grams", field="max_weight_g")
        problem = breaks_problem(breaks)
        if problem:
            raise RateCardInvalid(f"zone {name}: {problem}", field="max_weight_g")
        checked.append(CheckedZone(name, areas, sorted(breaks, key=lambda b: b[0]), transit))
    return checked


def remote_areas_check(areas: Iterable[tuple[str, str]]) -> list[tuple[str, str]]:
    out = sorted(
        {(country_check(c, field="remote_areas"), prefix_check(p, field="remote_areas")) for c, p in areas}
    )
    return out


def _date_check(value: object, field: str) -> dt.date:
    if isinstance(value, dt.datetime) or not isinstance(value, dt.date):
        raise RateCardInvalid(f"{field} is a date", field=field)
    return value


def _dates_check(effective_from: object, effective_to: object) -> tuple[dt.date, dt.date | None]:
    effective_from = _date_check(effective_from, "effective_from")
    until = None if effective_to is None else _date_check(effective_to, "effective_to")
    if until is not None and until < effective_from:
        raise RateCardInvalid("the card ends before it starts", field="effective_to")
    return effective_from, until


def _overlapping(service: CarrierService, start: dt.date, end: dt.date | None, *, exclude: Any = None) -> Any:
    queryset = RateCard.objects.filter(service=service, is_active=True).filter(
        Q(effective_to__isnull=True) | Q(effective_to__gte=start)
    )
    if end is not None:
        queryset = queryset.filter(effective_from__lte=end)
    if exclude is not None:
        queryset = queryset.exclude(pk=exclude)
    return queryset.order_by("effective_from")


def _period(card: RateCard) -> str:
    return f"{card.effective_from.isoformat()}–{card.effective_to.isoformat() if card.effective_to else '…'}"


def _supersedes(other: RateCard, start: dt.date) -> bool:
    """A new card from ``start`` closes ``other`` (open-ended, started earlier) instead of clashing."""
    return other.effective_to is None and other.effective_from < start


def rate_card_overlap_problem(service: CarrierService, start: dt.date, end: dt.date | None) -> str | None:
    """Why a new card of ``service`` for ``start``–``end`` would clash with an active one, or None."""
    for other in _overlapping(service, start, end):
        if not _supersedes(other, start):
            return f"{service.code} has a card in effect {_period(other)}"
    return None


@transaction.atomic
def rate_card_create(
    *,
    actor: Actor,
    service: CarrierService,
    currency: str,
    effective_from: dt.date,
    dim_divisor: int,
    zones: Sequence[ZoneSpec],
    effective_to: dt.date | None = None,
    dim_threshold_mm3: int = 0,
    fuel_surcharge_pct: Decimal = Decimal(0),
    fuel_on_surcharges: bool = False,
    residential_surcharge: Money | None = None,
    remote_surcharge: Money | None = None,
    remote_areas: Iterable[tuple[str, str]] = (),
    source: str = "",
) -> RateCard:
    """A whole rate card of ``service``: parameters, zones with areas and breaks, remote areas.

    Raises RateCardInvalid (naming the field) or RateCardOverlap. An open-ended card of the service that
    started earlier is closed the day before ``effective_from``."""
    currency = currency_check(currency.strip().upper() if isinstance(currency, str) else currency)
    start, end = _dates_check(effective_from, effective_to)
    locked = CarrierService.objects.select_for_update().get(pk=service.pk)
    if not locked.is_active:
        raise RateCardInvalid(f"service {locked.code} is archived", field="service")
    fields: dict[str, Any] = {
        "currency": currency,
        "effective_from": start,
        "effective_to": end,
        "dim_divisor": divisor_check(dim_divisor),
        "dim_threshold_mm3": threshold_check(dim_threshold_mm3),
        "fuel_surcharge_pct": fuel_pct_check(fuel_surcharge_pct),
        "fuel_on_surcharges": bool(fuel_on_surcharges),
        "residential_surcharge": price_check(
            residential_surcharge or Money.zero(currency), currency=currency, field="residential_surcharge"
        ),
        "remote_surcharge": price_check(
            remote_surcharge or Money.zero(currency), currency=currency, field="remote_surcharge"
        ),
        "source": (source or "")[:200],
    }
    checked = zones_check(
        zones, currency=currency, countries=locked.countries.values_list("country", flat=True)
    )
    remote = remote_areas_check(remote_areas)

    closed: list[RateCard] = []
    for other in _overlapping(locked, start, end):
        if _supersedes(other, start):
            before = {"effective_to": None}
            other.effective_to = start - dt.timedelta(days=1)
            other.save(update_fields=["effective_to", "updated_at"])
            audit_record(
                actor=actor,
                action="rate_card.closed",
                subject=other,
                before=before,
                after={"effective_to": other.effective_to},
                summary=f"{locked.code}: superseded from {start.isoformat()}",
            )
            closed.append(other)
            continue
        raise RateCardOverlap(
            f"{locked.code} has a card in effect {_period(other)}", field="effective_from", card=str(other.pk)
        )

    card = RateCard.objects.create(service=locked, **fields)
    zone_rows = RateZone.objects.bulk_create(
        RateZone(card=card, name=z.name, transit_days=z.transit_days) for z in checked
    )
    RateZoneArea.objects.bulk_create(
        RateZoneArea(card=card, zone=row, country=country, prefix=prefix)
        for row, z in zip(zone_rows, checked, strict=True)
        for country, prefix in z.areas
    )
    WeightBreak.objects.bulk_create(
        WeightBreak(zone=row, max_weight_g=weight, price=price)
        for row, z in zip(zone_rows, checked, strict=True)
        for weight, price in z.breaks
    )
    RateCardRemoteArea.objects.bulk_create(
        RateCardRemoteArea(card=card, country=country, prefix=prefix) for country, prefix in remote
    )
    audit_record(
        actor=actor,
        action="rate_card.created",
        subject=card,
        after={
            **fields,
            "service": locked.code,
            "zones": len(checked),
            "zone_areas": sum(len(z.areas) for z in checked),
            "weight_breaks": sum(len(z.breaks) for z in checked),
            "remote_areas": len(remote),
        },
        summary=f"rate card of {locked.code} from {start.isoformat()}",
    )
    return card


CARD_UPDATABLE = (
    "effective_from",
    "effective_to",
    "dim_divisor",
    "dim_threshold_mm3",
    "fuel_surcharge_pct",
    "fuel_on_surcharges",
    "residential_surcharge",
    "remote_surcharge",
)


@transaction.atomic
def rate_card_update(*, actor: Actor, card: RateCard, **changes: Any) -> RateCard:
    """Change a card's parameters (:data:`CARD_UPDATABLE`): dates (checked for overlap), divisor, fuel,
    surcharges. Prices and zones never change: new prices are a new card."""
    unknown = sorted(set(changes) - set(CARD_UPDATABLE))
    if unknown:
        raise RateCardInvalid(f"{', '.join(unknown)} cannot be changed", field=unknown[0])
    locked = RateCard.objects.select_for_update().select_related("service").get(pk=card.pk)
    wanted: dict[str, Any] = {}
    checks = {
        "dim_divisor": divisor_check,
        "dim_threshold_mm3": threshold_check,
        "fuel_surcharge_pct": fuel_pct_check,
    }
    for field, check in checks.items():
        if field in changes:
            wanted[field] = check(changes[field])
    if "fuel_on_surcharges" in changes:
        if not isinstance(changes["fuel_on_surcharges"], bool):
            raise RateCardInvalid("fuel_on_surcharges is true or false", field="fuel_on_surcharges")
        wanted["fuel_on_surcharges"] = changes["fuel_on_surcharges"]
    for field in ("residential_surcharge", "remote_surcharge"):
        if field in changes:
            value = changes[field] or Money.zero(locked.currency)
            wanted[field] = price_check(value, currency=locked.currency, field=field)
    if "effective_from" in changes or "effective_to" in changes:
        start, end = _dates_check(
            changes.get("effective_from", locked.effective_from),
            changes.get("effective_to", locked.effective_to),
        )
        if locked.is_active:
            other = _overlapping(locked.service, start, end, exclude=locked.pk).first()
            if other is not None:
                raise RateCardOverlap(
                    f"{locked.service.code} has a card in effect {_period(other)}",
                    field="effective_from",
                    card=str(other.pk),
                )
        wanted["effective_from"], wanted["effective_to"] = start, end
    return _changed(actor, locked, wanted, "rate_card.updated")


@transaction.atomic
def rate_card_archive(*, actor: Actor, card: RateCard) -> RateCard:
    """Withdraw a card (entered by mistake, say): it is no longer quoted and no longer blocks its dates."""
    locked = RateCard.objects.select_for_update().get(pk=card.pk)
    return _changed(actor, locked, {"is_active": False}, "rate_card.archived")
