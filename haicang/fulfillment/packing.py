"""Packing: what an outbound still has to pack, the suggested box, the parcel with its measured weight, and the
carrier service chosen by rate shopping (docs/fulfillment.md, "Packing and rate shopping").

- :func:`items_to_pack` — the units picked for an outbound that are not yet in a live (not voided) parcel;
- :func:`box_suggestion` — the smallest box of the operator's active catalogue that holds them
  (``box_fit.box_suggest`` over the SKUs' dimensions and weights);
- :func:`parcel_pack` — a parcel ``PCL-<year>-NNNNNN`` (per operator) of those units (or the ``lines`` given):
  the suggested box is stored, the packer may use another box or give the outer dimensions; the measured
  weight is recorded, then the parcel is rated. The outbound becomes ``packed``;
- :func:`parcel_rate_shop` — rate the parcel again (after a change), or take the service the packer chose:
  every active service of the warehouse is quoted through ``network.carrier_selectors.rate_quotes`` with the
  measured weight and dimensions — **billable weight** = max(measured, L×W×H / the card's divisor), per card —
  and ``rate_shop`` chooses the cheapest meeting the service level and deadline, with its reason.

Lock order (as picking's, without the warehouse: packing allocates no work): pick lists → outbound → parcels.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any
from zoneinfo import ZoneInfo

from django.db import transaction
from django.db.models import Sum
from django.utils import timezone

from haicang.catalog.models import Sku
from haicang.core.actors import Actor
from haicang.core.audit import audit_record
from haicang.core.errors import ValidationFailed
from haicang.core.money import Money
from haicang.core.sequences import document_number_next
from haicang.fulfillment import box_fit, progress
from haicang.fulfillment.errors import NoBoxFits, NoServiceFits, TransitionInvalid
from haicang.fulfillment.models import (
    BoxType,
    Outbound,
    OutboundStatus,
    Parcel,
    ParcelLine,
    ParcelStatus,
    PickTask,
)
from haicang.fulfillment.outbound import require
from haicang.fulfillment.rate_shop import (
    Choice,
    NoChoice,
    Option,
    Requirement,
    money_label,
    rate_shop,
    requirement_for,
    working_days_after,
)
from haicang.network.carrier_selectors import ServiceQuote, rate_quotes
from haicang.network.models import CarrierService
from haicang.network.rates import Destination, NotServiceable, Quote
from haicang.network.rates import Parcel as RatedParcel
from haicang.orders.models_fulfilment import FulfillmentRequest

PACK_FROM = (OutboundStatus.PICKED, OutboundStatus.PACKED)
LIVE = (ParcelStatus.PACKED, ParcelStatus.LABELLED, ParcelStatus.SHIPPED)
NUMBER_PREFIX = "PCL"


@dataclass(frozen=True)
class PackItem:
    sku: Sku
    quantity: int


@dataclass(frozen=True)
class BoxAdvice:
    """The suggested box (``None``: none fits, or a SKU has no dimensions) and why, with the fit's details."""

    box: BoxType | None
    reason: str
    choice: box_fit.BoxChoice | None = None
    skipped: tuple[box_fit.BoxSkip, ...] = ()


# --- reads ------------------------------------------------------------------------------------------------------


def picked_units(outbound: Outbound) -> dict[uuid.UUID, int]:
    """Units picked for the outbound, per SKU."""
    rows = (
        PickTask.objects.filter(outbound=outbound, picked_quantity__gt=0)
        .values("sku_id")
        .annotate(units=Sum("picked_quantity"))
    )
    return {row["sku_id"]: int(row["units"]) for row in rows}


def packed_units(outbound: Outbound) -> dict[uuid.UUID, int]:
    """Units in the outbound's live parcels, per SKU."""
    rows = (
        ParcelLine.objects.filter(parcel__outbound=outbound, parcel__status__in=LIVE)
        .values("sku_id")
        .annotate(units=Sum("quantity"))
    )
    return {row["sku_id"]: int(row["units"]) for row in rows}


def items_to_pack(outbound: Outbound) -> list[PackItem]:
    """The picked units not yet in a live parcel, by SKU code."""
    picked, packed = picked_units(outbound), packed_units(outbound)
    skus = Sku.objects.in_bulk(list(picked))
    items = [PackItem(skus[sku_id], units - packed.get(sku_id, 0)) for sku_id, units in picked.items()]
    return sorted((i for i in items if i.quantity > 0), key=lambda i: i.sku.code)


def box_catalogue(operator_id: Any) -> list[BoxType]:
    return list(BoxType.objects.filter(operator_id=operator_id, is_active=True).order_by("code"))


def _box(box: BoxType) -> box_fit.Box:
    return box_fit.Box(
        box.code, box.inner_length_mm, box.inner_width_mm, box.inner_height_mm, box.max_weight_g, box.tare_g
    )


def box_suggestion(*, operator_id: Any, items: Sequence[PackItem]) -> BoxAdvice:
    """The smallest active box of the operator's catalogue that holds ``items`` (``box_fit``'s rules)."""
    if not items:
        return BoxAdvice(None, "nothing to pack")
    unknown = [i.sku.code for i in items if not (i.sku.length_mm and i.sku.width_mm and i.sku.height_mm)]
    if unknown:
        return BoxAdvice(None, f"no dimensions for {', '.join(unknown)}: choose a box")
    boxes = box_catalogue(operator_id)
    fit_items = [
        box_fit.Item(
            i.sku.code,
            i.sku.length_mm or 0,
            i.sku.width_mm or 0,
            i.sku.height_mm or 0,
            i.sku.weight_g or 0,
            i.quantity,
        )
        for i in items
    ]
    result = box_fit.box_suggest([_box(b) for b in boxes], fit_items)
    if isinstance(result, box_fit.NoBoxFits):
        return BoxAdvice(None, result.detail, skipped=result.skipped)
    box = next(b for b in boxes if b.code == result.box.code)
    reason = f"{box.code}: the smallest box that holds them ({result.fill_percent} % full)"
    return BoxAdvice(box, reason, choice=result, skipped=result.skipped)


def items_weight_g(items: Sequence[PackItem]) -> int:
    return sum((i.sku.weight_g or 0) * i.quantity for i in items)


# --- packing ----------------------------------------------------------------------------------------------------


def _positive(value: object, field: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value <= 0:
        raise ValidationFailed(f"{field} is a whole number above 0, not {value!r}", field=field)
    return value


def _lines(outbound: Outbound, lines: Sequence[tuple[Sku, int]] | None) -> list[PackItem]:
    left = {i.sku.pk: i for i in items_to_pack(outbound)}
    if lines is None:
        chosen = list(left.values())
    else:
        wanted: dict[uuid.UUID, int] = defaultdict(int)
        skus: dict[uuid.UUID, Sku] = {}
        for sku, quantity in lines:
            wanted[sku.pk] += _positive(quantity, "lines")
            skus[sku.pk] = sku
        chosen = []
        for sku_id, quantity in wanted.items():
            open_units = left[sku_id].quantity if sku_id in left else 0
            if quantity > open_units:
                raise ValidationFailed(
                    f"{skus[sku_id].code}: {quantity} to pack, {open_units} picked and not yet packed",
                    field="lines",
                    sku=skus[sku_id].code,
                )
            chosen.append(PackItem(skus[sku_id], quantity))
    if not chosen:
        raise ValidationFailed(f"{outbound.number} has nothing picked left to pack", field="lines")
    return sorted(chosen, key=lambda i: i.sku.code)


def parcel_pack(
    *,
    actor: Actor,
    outbound: Outbound,
    weight_g: int,
    box_type: BoxType | None = None,
    dims: tuple[int, int, int] | None = None,
    lines: Sequence[tuple[Sku, int]] | None = None,
    now: dt.datetime | None = None,
) -> Parcel:
    """Pack ``lines`` (default: every picked unit not yet packed) of a ``picked`` (or ``packed``: another
    parcel) outbound into one parcel weighing ``weight_g`` (measured). The box is ``box_type`` or else the
    suggested one; the parcel's dimensions are ``dims`` (outer, L×W×H mm) or else the box's. The parcel is
    rated at once (:func:`parcel_rate_shop`); when no service can carry it, it stays unrated with the reason."""
    weight_g = _positive(weight_g, "weight_g")
    if dims is not None:
        dims = (
            _positive(dims[0], "length_mm"),
            _positive(dims[1], "width_mm"),
            _positive(dims[2], "height_mm"),
        )
    if box_type is not None and (box_type.operator_id != outbound.operator_id or not box_type.is_active):
        raise ValidationFailed(f"{box_type.code} is not an active box of your catalogue", field="box_type")
    now = now or timezone.now()
    with transaction.atomic():
        outbound = progress.outbound_lock(outbound)
        require(outbound, *PACK_FROM, action="pack")
        items = _lines(outbound, lines)
        advice = box_suggestion(operator_id=outbound.operator_id, items=items)
        box = box_type or advice.box
        if box is None and dims is None:
            raise NoBoxFits(
                f"{advice.reason}: choose a box or give the parcel's dimensions", field="box_type"
            )
        length, width, height = dims or (box.inner_length_mm, box.inner_width_mm, box.inner_height_mm)  # type: ignore[union-attr]
        parcel = Parcel.objects.create(
            outbound=outbound,
            seller_id=outbound.seller_id,
            operator_id=outbound.operator_id,
            warehouse_id=outbound.warehouse_id,
            number=document_number_next(scope=outbound.operator_id, prefix=NUMBER_PREFIX, year=now.year),
            box_type=box,
            suggested_box=advice.box,
            length_mm=length,
            width_mm=width,
            height_mm=height,
            weight_g=weight_g,
            packed_by=actor.label[:200],
            packed_at=now,
        )
        ParcelLine.objects.bulk_create(
            ParcelLine(parcel=parcel, sku=i.sku, quantity=i.quantity) for i in items
        )
        previous = outbound.status
        if outbound.status != OutboundStatus.PACKED:
            outbound.status, outbound.packed_at = OutboundStatus.PACKED, now
        outbound.version += 1
        outbound.save(update_fields=["status", "packed_at", "version", "updated_at"])
        expected = items_weight_g(items) + (box.tare_g if box is not None else 0)
        audit_record(
            actor=actor,
            action="parcel.packed",
            subject=parcel,
            after={
                "outbound": outbound.number,
                "box": box.code if box is not None else "",
                "suggested_box": advice.box.code if advice.box is not None else "",
                "dims_mm": [length, width, height],
                "weight_g": weight_g,
                "expected_weight_g": expected,
                "lines": {i.sku.code: i.quantity for i in items},
            },
            occurred_at=now,
        )
        if previous != outbound.status:
            audit_record(
                actor=actor,
                action="outbound.packed",
                subject=outbound,
                before={"status": previous},
                after={"status": outbound.status},
                occurred_at=now,
            )
        _rate(actor, parcel, outbound, service=None, now=now, strict=False)
        return parcel


# --- rate shopping ----------------------------------------------------------------------------------------------


def _local_date(moment: dt.datetime, time_zone: str) -> dt.date:
    return moment.astimezone(ZoneInfo(time_zone)).date()


def parcel_destination(request: FulfillmentRequest) -> Destination:
    """Where the parcel goes, as the rate cards see it: residential unless the ship-to names a company (read
    from whether the sealed company is present — nothing is unsealed)."""
    return Destination(
        country=request.ship_country,
        postcode=request.ship_postcode,
        residential=not request.ship_company_sealed,
    )


def parcel_quotes(parcel: Parcel, *, on: dt.date | None = None) -> list[ServiceQuote]:
    """Every active service of the parcel's warehouse priced for its measured weight and dimensions."""
    outbound = parcel.outbound
    rated = RatedParcel(
        weight_g=parcel.weight_g,
        length_mm=max(parcel.length_mm, 1),
        width_mm=max(parcel.width_mm, 1),
        height_mm=max(parcel.height_mm, 1),
    )
    return rate_quotes(
        warehouse=outbound.warehouse,
        parcel=rated,
        destination=parcel_destination(outbound.request),
        on=on,
    )


def service_label(service: CarrierService) -> str:
    """ "UPS Ground": the carrier's name, then the service's (unless the service's name already starts with it)."""
    carrier = service.carrier.name
    return service.name if service.name.lower().startswith(carrier.lower()) else f"{carrier} {service.name}"


def rate_options(quotes: Sequence[ServiceQuote]) -> list[Option]:
    options = []
    for answer in quotes:
        result = answer.result
        if isinstance(result, Quote):
            options.append(
                Option(
                    answer.service.code,
                    service_label(answer.service),
                    answer.service.service_level,
                    result.total,
                    answer.comparable,
                    result.transit_days,
                )
            )
        else:
            assert isinstance(result, NotServiceable)  # noqa: S101 - a quote or a refusal
            options.append(
                Option(
                    answer.service.code,
                    service_label(answer.service),
                    answer.service.service_level,
                    None,
                    None,
                    None,
                    refusal=str(result.reason),
                )
            )
    return options


@dataclass(frozen=True)
class RateShopResult:
    quotes: list[ServiceQuote]
    options: list[Option]
    choice: Choice | NoChoice
    ship_on: dt.date
    requirement: Requirement
    holidays: frozenset[dt.date]

    def arrives_on(self, option: Option) -> dt.date | None:
        if option.transit_days is None:
            return None
        return working_days_after(self.ship_on, option.transit_days, self.holidays)


def parcel_rate_shop_preview(parcel: Parcel, *, now: dt.datetime | None = None) -> RateShopResult:
    """The quotes of every service for the parcel and the rate shop's choice (nothing is written)."""
    now = now or timezone.now()
    outbound = parcel.outbound
    warehouse = outbound.warehouse
    ship_on = _local_date(now, warehouse.time_zone)
    if outbound.pickup_at is not None:
        ship_on = max(ship_on, _local_date(outbound.pickup_at, warehouse.time_zone))
    holidays = frozenset(warehouse.holidays.values_list("on", flat=True))
    requirement = requirement_for(
        outbound.service_level,
        ship_by=_local_date(outbound.due_at, warehouse.time_zone),
        holidays=holidays,
    )
    quotes = parcel_quotes(parcel, on=ship_on)
    options = rate_options(quotes)
    choice = rate_shop(options, requirement, ship_on=ship_on, holidays=holidays)
    return RateShopResult(quotes, options, choice, ship_on, requirement, holidays)


def _rate(
    actor: Actor,
    parcel: Parcel,
    outbound: Outbound,
    *,
    service: CarrierService | None,
    now: dt.datetime,
    strict: bool,
) -> Parcel:
    parcel.outbound = outbound
    shop = parcel_rate_shop_preview(parcel, now=now)
    choice = shop.choice
    if service is None:
        if not isinstance(choice, Choice):
            if strict:
                raise NoServiceFits(choice.reason, field="service")
            chosen_quote, reason = None, choice.reason
        else:
            chosen_quote = next(q for q in shop.quotes if q.service.code == choice.option.code)
            reason = choice.reason
    else:
        chosen_quote = next((q for q in shop.quotes if q.service.pk == service.pk), None)
        if chosen_quote is None or not isinstance(chosen_quote.result, Quote):
            why = (
                chosen_quote.result.detail
                if chosen_quote is not None and isinstance(chosen_quote.result, NotServiceable)
                else "it does not ship from this warehouse"
            )
            raise NoServiceFits(f"{service.code} cannot carry this parcel: {why}", field="service")
        quote = chosen_quote.result
        days = f"{quote.transit_days} d" if quote.transit_days is not None else "transit unknown"
        reason = (
            f"chosen at packing: {service_label(service)} {money_label(quote.total)}, {days} "
            f"(rate shop: {choice.reason})"
        )
    previous = {
        "service": parcel.service_code,
        "rate": str(parcel.rate) if parcel.rate is not None else None,
        "billable_weight_g": parcel.billable_weight_g,
    }
    if chosen_quote is None or not isinstance(chosen_quote.result, Quote):
        parcel.carrier_service, parcel.carrier_code, parcel.service_code = None, "", ""
        parcel.rate, parcel.billable_weight_g = None, 0
    else:
        quote = chosen_quote.result
        parcel.carrier_service = chosen_quote.service
        parcel.carrier_code = chosen_quote.service.carrier.code
        parcel.service_code = chosen_quote.service.code
        parcel.rate = Money(quote.total.amount, quote.total.currency)
        parcel.billable_weight_g = quote.billable_weight_g
    parcel.rate_reason = reason[:500]
    parcel.version += 1
    parcel.save()
    audit_record(
        actor=actor,
        action="parcel.rated",
        subject=parcel,
        before=previous,
        after={
            "service": parcel.service_code,
            "rate": str(parcel.rate) if parcel.rate is not None else None,
            "billable_weight_g": parcel.billable_weight_g,
            "reason": parcel.rate_reason,
        },
        summary=parcel.rate_reason[:200],
        occurred_at=now,
    )
    return parcel


def parcel_rate_shop(
    *,
    actor: Actor,
    parcel: Parcel,
    service: CarrierService | None = None,
    weight_g: int | None = None,
    dims: tuple[int, int, int] | None = None,
    now: dt.datetime | None = None,
) -> Parcel:
    """Rate a packed (not yet labelled) parcel again — after its weight or dimensions were corrected
    (``weight_g``, ``dims``) — and keep the rate shop's choice, or ``service``, the packer's choice (it must be
    able to carry the parcel). Raises NoServiceFits (``pack.no_service``) when none can."""
    now = now or timezone.now()
    if weight_g is not None:
        weight_g = _positive(weight_g, "weight_g")
    if dims is not None:
        dims = (
            _positive(dims[0], "length_mm"),
            _positive(dims[1], "width_mm"),
            _positive(dims[2], "height_mm"),
        )
    with transaction.atomic():
        outbound = progress.outbound_lock(parcel.outbound)
        parcel = Parcel.objects.select_for_update().get(pk=parcel.pk)
        if parcel.status != ParcelStatus.PACKED:
            raise TransitionInvalid(
                f"{parcel.number} is {parcel.status}: only a parcel without a label is rated (void the label first)",
                field="status",
                status=parcel.status,
            )
        if service is not None and service.operator_id != parcel.operator_id:
            raise NoServiceFits(f"{service.code} is not one of your services", field="service")
        if weight_g is not None:
            parcel.weight_g = weight_g
        if dims is not None:
            parcel.length_mm, parcel.width_mm, parcel.height_mm = dims
        return _rate(actor, parcel, outbound, service=service, now=now, strict=True)
