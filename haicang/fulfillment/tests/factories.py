"""Small builders for the fulfillment tests: a US warehouse world, and outbounds picked without the wave
services (packing and shipping tests build them directly). Append new functions; do not change these."""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from django.utils import timezone

from haicang.catalog.models import Sku
from haicang.catalog.services import barcode_add
from haicang.catalog.tests.factories import make_sku
from haicang.channels.tests.factories import make_channel_account, make_sku_map
from haicang.fulfillment.models import (
    BoxType,
    Outbound,
    OutboundStatus,
    PickList,
    PickListStatus,
    PickMode,
    PickTask,
    PickTaskStatus,
    Wave,
    WaveStatus,
)
from haicang.inventory.services import DemandLine, stock_receive, stock_release, stock_reserve
from haicang.network.models import CarrierService, Location, LocationKind, Warehouse
from haicang.network.services.virtual import virtual_locations_ensure
from haicang.network.tests.carrier_factories import flat_zone, make_card, make_carrier, make_service
from haicang.network.tests.factories import make_location, make_warehouse
from haicang.orders.fulfilment import (
    fulfilment_request_accept,
    fulfilment_request_create,
    fulfilment_request_start,
)
from haicang.orders.models_fulfilment import FulfillmentRequest
from haicang.orders.tests.factories import line, make_order
from haicang.parties.models import Operator, Seller
from haicang.parties.tests.factories import SYSTEM, make_agreement, make_operator, make_seller

_n = itertools.count(1)

# (carrier code, service name, class, price in USD up to 5 kg, price up to 20 kg, transit days)
US_SERVICES: tuple[tuple[str, str, str, str, str, int], ...] = (
    ("UPS", "Ground", "ground", "7.10", "19.80", 3),
    ("USPS", "Priority", "expedited", "8.40", "24.00", 3),
    ("FEDEX", "2Day", "expedited", "15.20", "41.00", 2),
)
# (code, inner length, width, height mm, max weight g, tare g)
BOXES: tuple[tuple[str, int, int, int, int, int], ...] = (
    ("S", 220, 160, 60, 2000, 80),
    ("M", 300, 250, 150, 10000, 200),
    ("L", 450, 350, 300, 20000, 450),
)


@dataclass
class FulfilmentWorld:
    """One US operator's warehouse with pick and bulk bins, three priced carrier services, a box catalogue,
    and a seller under an agreement with two SKUs in stock (a T-shirt and a mug)."""

    operator: Operator
    seller: Seller
    warehouse: Warehouse
    bins: dict[str, Location]
    services: dict[str, CarrierService]
    boxes: dict[str, BoxType]
    skus: dict[str, Sku]
    account: Any
    channel_skus: dict[str, str] = field(default_factory=dict)


def make_box(
    operator: Operator, code: str, l_mm: int, w_mm: int, h_mm: int, max_g: int, tare_g: int
) -> BoxType:
    return BoxType.objects.create(
        operator=operator,
        code=code,
        name=f"Box {code}",
        inner_length_mm=l_mm,
        inner_width_mm=w_mm,
        inner_height_mm=h_mm,
        max_weight_g=max_g,
        tare_g=tare_g,
    )


def make_fulfilment_world(*, stock: int = 20) -> FulfilmentWorld:
    operator = make_operator(currency="USD", country="US")
    seller = make_seller(currency="USD", country="US")
    virtual_locations_ensure(actor=SYSTEM)
    n = next(_n)
    warehouse = make_warehouse(operator, code=f"LAX{n}", country="US", markets=["US"])
    bins = {
        "A1": make_location(warehouse, code="A-01-01-1-1", kind=LocationKind.PICK),
        "A2": make_location(warehouse, code="A-01-02-1-1", kind=LocationKind.PICK),
        "B1": make_location(warehouse, code="B-01-01-1-1", kind=LocationKind.BULK),
    }
    make_agreement(seller, operator, warehouses=[warehouse])
    services: dict[str, CarrierService] = {}
    for code, name, service_class, light, heavy, days in US_SERVICES:
        carrier = make_carrier(operator, code=code, name={"FEDEX": "FedEx"}.get(code, code))
        service = make_service(
            carrier,
            warehouses=[warehouse],
            countries=("US",),
            code=f"{code}-{name.upper()}",
            name=name,
            service_level=service_class,
            transit_days_default=days,
        )
        make_card(
            service,
            currency="USD",
            dim_divisor=5000,
            zones=[flat_zone("US", "US", [(5000, light), (20000, heavy)], "USD", transit_days=days)],
        )
        services[code] = service
    boxes = {spec[0]: make_box(operator, *spec) for spec in BOXES}
    account = make_channel_account(seller)
    skus = {
        "TEE": make_sku(seller, code=f"TEE-{n}", length_mm=250, width_mm=200, height_mm=20, weight_g=180),
        "MUG": make_sku(seller, code=f"MUG-{n}", length_mm=120, width_mm=100, height_mm=110, weight_g=400),
    }
    channel_skus: dict[str, str] = {}
    for key, sku in skus.items():
        barcode_add(actor=SYSTEM, sku=sku, value=f"BC-{sku.code}")
        channel_skus[key] = f"CH-{sku.code}"
        make_sku_map(account, channel_sku=channel_skus[key], sku=sku)
    if stock:
        stock_receive(actor=SYSTEM, owner=seller, sku=skus["TEE"], location=bins["A1"], quantity=stock)
        stock_receive(actor=SYSTEM, owner=seller, sku=skus["TEE"], location=bins["B1"], quantity=stock)
        stock_receive(actor=SYSTEM, owner=seller, sku=skus["MUG"], location=bins["A2"], quantity=stock)
    return FulfilmentWorld(operator, seller, warehouse, bins, services, boxes, skus, account, channel_skus)


def make_in_progress_request(
    world: FulfilmentWorld,
    lines: Sequence[tuple[str, int]] = (("TEE", 2),),
    *,
    service_level: str = "Standard",
    reserve: bool = True,
    **order_fields: Any,
) -> FulfillmentRequest:
    """A request of a new order of ``world.seller`` (its stock reserved as routing would), accepted and started."""
    order = make_order(
        world.account,
        lines=tuple(line(world.channel_skus[key], quantity) for key, quantity in lines),
        service_level=service_level,
        **order_fields,
    )
    # Ingestion routes the order (and reserves its stock) when it can; make sure of what was asked for.
    order_lines = list(order.lines.select_related("sku", "reservation"))
    if not reserve:
        for order_line in order_lines:
            if order_line.reservation is not None and order_line.reservation.open_quantity:
                stock_release(actor=SYSTEM, reservation=order_line.reservation)
            order_line.reservation = None
            order_line.save(update_fields=["reservation", "updated_at"])
    missing = [ol for ol in order_lines if reserve and ol.sku is not None and ol.reservation is None]
    if missing:
        reservations = stock_reserve(
            actor=SYSTEM,
            owner=world.seller,
            warehouse=world.warehouse,
            lines=[DemandLine(sku=ol.sku, quantity=ol.quantity) for ol in missing if ol.sku is not None],
            demand_type="order",
            demand_ref=str(order.pk),
        )
        held = {r.sku_id: r for r in reservations}
        for order_line in missing:
            assert order_line.sku_id is not None  # only lines with a SKU are in missing
            order_line.reservation = held[order_line.sku_id]
            order_line.save(update_fields=["reservation", "updated_at"])
    request = fulfilment_request_create(actor=SYSTEM, order=order, warehouse=world.warehouse)
    request = fulfilment_request_accept(actor=SYSTEM, request=request)
    return fulfilment_request_start(actor=SYSTEM, request=request)


def make_outbound(
    world: FulfilmentWorld,
    request: FulfillmentRequest,
    *,
    status: str = OutboundStatus.PICKING,
    wave: Wave | None = None,
) -> Outbound:
    """The outbound of ``request`` as wave planning would create it (without estimates)."""
    lines = list(request.lines.all())
    return Outbound.objects.create(
        request=request,
        seller=world.seller,
        operator=world.operator,
        warehouse=world.warehouse,
        number=request.number,
        status=status,
        service_level=request.service_level,
        due_at=request.due_at,
        units=sum(rl.quantity for rl in lines),
        lines=len(lines),
        accepted_at=request.accepted_at or timezone.now(),
        wave=wave,
        pick_mode=PickMode.SINGLE,
    )


def make_wave(world: FulfilmentWorld, *, status: str = WaveStatus.RELEASED) -> Wave:
    n = next(_n)
    now = timezone.now()
    return Wave.objects.create(
        operator=world.operator,
        warehouse=world.warehouse,
        number=f"WAV-T-{n:06d}",
        status=status,
        planned_at=now,
        released_at=now if status != WaveStatus.PLANNED else None,
    )


def make_picked_outbound(
    world: FulfilmentWorld,
    lines: Sequence[tuple[str, int]] = (("TEE", 2),),
    *,
    bins: Sequence[str] | None = None,
    picked: bool = True,
    service_level: str = "Standard",
    request: FulfillmentRequest | None = None,
) -> Outbound:
    """An outbound whose pick list has one task per line, from ``bins`` (default: the SKU's pick bin), all
    picked (``picked=False``: still to pick). The outbound is ``picked`` (else ``picking``)."""
    request = request or make_in_progress_request(world, lines, service_level=service_level)
    wave = make_wave(world)
    outbound = make_outbound(
        world, request, status=OutboundStatus.PICKED if picked else OutboundStatus.PICKING, wave=wave
    )
    now = timezone.now()
    pick_list = PickList.objects.create(
        wave=wave,
        operator=world.operator,
        warehouse=world.warehouse,
        number=f"PCK-T-{next(_n):06d}",
        mode=PickMode.SINGLE,
        status=PickListStatus.DONE if picked else PickListStatus.OPEN,
        created_at=now,
        completed_at=now if picked else None,
    )
    default_bins = {"TEE": "A1", "MUG": "A2"}
    for stop, (key, quantity) in enumerate(lines, start=1):
        bin_key = bins[stop - 1] if bins is not None else default_bins[key]
        PickTask.objects.create(
            pick_list=pick_list,
            outbound=outbound,
            sku=world.skus[key],
            location=world.bins[bin_key],
            quantity=quantity,
            picked_quantity=quantity if picked else 0,
            stop=stop,
            status=PickTaskStatus.PICKED if picked else PickTaskStatus.OPEN,
            picked_by="picker" if picked else "",
            picked_at=now if picked else None,
        )
    if picked:
        outbound.picked_at = now
        outbound.save(update_fields=["picked_at", "updated_at"])
    return outbound


def day(year: int, month: int, dd: int, hour: int = 12) -> dt.datetime:
    return dt.datetime(year, month, dd, hour, tzinfo=dt.UTC)


def mark_labelled(parcel: Any, tracking_number: str | None = None) -> Any:
    """The parcel as if its label had been bought (no carrier, no files): for ship-confirmation tests."""
    from haicang.fulfillment.models import ParcelStatus

    parcel.status = ParcelStatus.LABELLED
    parcel.tracking_number = tracking_number or f"1ZTEST{next(_n):012d}"
    parcel.labelled_at = timezone.now()
    parcel.save(update_fields=["status", "tracking_number", "labelled_at", "updated_at"])
    return parcel


def make_shipped_parcel(
    world: FulfilmentWorld,
    *,
    carrier: str = "UPS",
    tracking_number: str | None = None,
    shipped_at: dt.datetime | None = None,
    status: str = "shipped",
) -> Any:
    """A parcel of a new request of ``world.seller`` with a label of ``carrier`` (one of ``world.services``),
    handed over at ``shipped_at`` (default now), without stock or packing work: for the tracking tests."""
    from haicang.fulfillment.models import Parcel, ParcelStatus

    request = make_in_progress_request(world, reserve=False)
    outbound = make_outbound(world, request, status=OutboundStatus.SHIPPED)
    service = world.services[carrier]
    at = shipped_at or timezone.now()
    n = next(_n)
    return Parcel.objects.create(
        outbound=outbound,
        seller=world.seller,
        operator=world.operator,
        warehouse=world.warehouse,
        number=f"PCL-T-{n:06d}",
        status=status,
        weight_g=500,
        carrier_service=service,
        carrier_code=service.carrier.code,
        service_code=service.code,
        tracking_number=tracking_number or f"1ZTRK{n:013d}",
        labelled_at=at - dt.timedelta(hours=2),
        shipped_at=at if status == ParcelStatus.SHIPPED else None,
        packed_at=at - dt.timedelta(hours=3),
    )


def api_key_client(party: Seller | Operator, *scopes: str, client_class: Any = None) -> Any:
    """An API client (``client_class``, default DRF's) of a machine holding an API key of ``party`` with
    ``scopes``: a bearer token, no session."""
    from rest_framework.test import APIClient

    from haicang.parties.services import api_key_issue

    _key, plaintext = api_key_issue(
        actor=SYSTEM, party=party, name=f"machine {next(_n)}", scopes=list(scopes)
    )
    return (client_class or APIClient)(HTTP_AUTHORIZATION=f"Bearer {plaintext}")


def make_released_request(
    world: FulfilmentWorld, lines: Sequence[tuple[str, int]] = (("TEE", 2),), **order_fields: Any
) -> FulfillmentRequest:
    """A new order of ``world.seller`` ingested as the API would (routing reserves its stock at ``world``'s
    warehouse), released to the warehouse as a request still ``submitted`` — waiting for the operator."""
    order = make_order(
        world.account,
        lines=tuple(
            line(world.channel_skus[key], quantity, channel_line_id=f"L{n}")
            for n, (key, quantity) in enumerate(lines, start=1)
        ),
        **order_fields,
    )
    assert all(ol.reservation_id for ol in order.lines.all()), "routing reserved every line"
    return fulfilment_request_create(actor=SYSTEM, order=order, warehouse=world.warehouse)


# --- objects of parties that already exist (the route walk, haicang/parties/tests/test_route_walk.py) -----------
def fulfilment_world_of(
    seller: Seller, operator: Operator, warehouse: Warehouse, *, stock: int = 20
) -> FulfilmentWorld:
    """A world around a seller and an operator already under an agreement covering ``warehouse``: a new pick bin,
    carrier service to the US (priced) and box of the operator, and a new T-shirt of the seller, ``stock`` in stock, mapped on a new
    channel account. Every code is new, so it may be called again for the same parties."""
    n = next(_n)
    virtual_locations_ensure(actor=SYSTEM)
    bins = {"A1": make_location(warehouse, kind=LocationKind.PICK)}
    service = make_service(make_carrier(operator), warehouses=[warehouse], countries=("US",))
    make_card(service, currency=operator.billing_currency)
    boxes = {"M": make_box(operator, f"W{n}", 300, 250, 150, 10000, 200)}
    account = make_channel_account(seller)
    skus = {
        "TEE": make_sku(seller, code=f"WTEE-{n}", length_mm=250, width_mm=200, height_mm=20, weight_g=180)
    }
    make_sku_map(account, channel_sku=f"CH-WTEE-{n}", sku=skus["TEE"])
    stock_receive(actor=SYSTEM, owner=seller, sku=skus["TEE"], location=bins["A1"], quantity=stock)
    return FulfilmentWorld(
        operator,
        seller,
        warehouse,
        bins,
        {"UPS": service},
        boxes,
        skus,
        account,
        {"TEE": f"CH-WTEE-{n}"},
    )


def make_pick_list(world: FulfilmentWorld) -> PickList:
    """An open pick list of one task (2 T-shirts from bin A1) of a new outbound being picked."""
    outbound = make_picked_outbound(world, picked=False)
    return PickList.objects.get(tasks__outbound=outbound)


def make_pick_exception(world: FulfilmentWorld) -> Any:
    """An open short pick: the picker found nothing at the task of a new pick list (through the services)."""
    from haicang.fulfillment.picking import pick_list_start, pick_short

    pick_list = pick_list_start(actor=SYSTEM, pick_list=make_pick_list(world), assignee="picker")
    task = pick_list.tasks.get()
    return pick_short(actor=SYSTEM, task=task, found=0)


def make_tracking_alert(world: FulfilmentWorld, kind: str = "exception") -> Any:
    """An open tracking alert of ``kind`` on a new shipped parcel."""
    from haicang.fulfillment.models import TrackingAlert

    parcel = make_shipped_parcel(world)
    return TrackingAlert.objects.create(parcel=parcel, kind=kind, detail="test", raised_at=timezone.now())


def make_tracking_event(world: FulfilmentWorld) -> Any:
    """A carrier scan recorded (through the service) on a new shipped parcel."""
    from haicang.fulfillment.tracking import tracking_event_record

    parcel = make_shipped_parcel(world)
    recorded = tracking_event_record(
        actor=SYSTEM,
        parcel=parcel,
        occurred_at=timezone.now() - dt.timedelta(minutes=5),
        raw_code="IT",
        raw_text="In transit",
        source="api",
    )
    return recorded.event


def make_tracking_message(world: FulfilmentWorld) -> Any:
    """A scan of an unknown tracking number kept for the operator (through the service)."""
    from haicang.fulfillment.tracking import KeepReason, tracking_message_keep

    return tracking_message_keep(
        actor=SYSTEM,
        operator_id=world.operator.pk,
        source="api",
        carrier_code=world.services["UPS"].carrier.code,
        tracking_number=f"1ZUNKNOWN{next(_n):09d}",
        payload={"code": "IT"},
        reason_code=KeepReason.TRACKING_UNKNOWN,
        reason="no parcel with this tracking number",
    )


def make_labelled_parcel(world: FulfilmentWorld) -> Any:
    """A parcel of a new picked outbound, packed, rated and labelled through the services (sealed PDF and ZPL;
    a carrier no adapter knows is served by the sandbox carrier)."""
    from haicang.fulfillment.labelling import parcel_label
    from haicang.fulfillment.packing import parcel_pack

    parcel = parcel_pack(actor=SYSTEM, outbound=make_picked_outbound(world), weight_g=520)
    return parcel_label(actor=SYSTEM, parcel=parcel)
