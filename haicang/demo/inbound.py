"""The demo seller's first-leg shipments, one at every stage, built through the inbound services.

Lumen Living (base currency CNY) ships from Chinese ports to the three warehouses:

==========  =========  ======================================================  =====================================
status      to         what                                                    costs (currencies)
==========  =========  ======================================================  =====================================
draft       FRA1       sea LCL from Ningbo: T-shirts and leggings               freight USD, insurance CNY
submitted   LAX1       air from Shenzhen: desk lamps and chargers              freight USD (by weight), duty USD
in transit  LAX1       sea FCL from Yantian, at sea, ETA moved once            freight USD, insurance CNY, duty USD
arrived     FRA1       rail from Xi'an: shirts, totes, pillow covers           freight USD, broker/duty/VAT EUR
receiving   BHX1       sea LCL from Shanghai, partly received                  freight CNY, duty/VAT/broker GBP
closed      LAX1       air from Shenzhen: cables and mounts, received with     freight USD (by weight), duty USD
                       damaged and over units (discrepancies), closed short
==========  =========  ======================================================  =====================================

Dates are relative to the day the demo is seeded (at sea now, arriving in nine days …). FX rates are recorded
for the dispatch dates, so every dispatched shipment has its landed cost; the German and British import VAT is
recoverable for Lumen (its market profile) and so not counted, the US has none. Cartons follow the SKUs'
carton sizes and weights from the catalogue.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from django.utils import timezone

from haicang.catalog.models import Sku
from haicang.core.actors import Actor
from haicang.core.fx import fx_rate_record
from haicang.core.money import Money
from haicang.inbound.asn_rules import AsnSpec, CartonSpec, ContentSpec, CostSpec, LineSpec
from haicang.inbound.models import InboundShipment
from haicang.inbound.receiving import ReceiptLine, inbound_close, inbound_receive
from haicang.inbound.services import (
    inbound_arrive,
    inbound_create,
    inbound_dispatch,
    inbound_eta_change,
    inbound_submit,
)
from haicang.network.models import Warehouse
from haicang.parties.models import Seller

# Rates (1 base = rate CNY) recorded this many days before the seeding day: the landed cost of a shipment
# dispatched on a day uses the latest rate on or before it.
FX_HISTORY = (
    (90, {"USD": "7.1080", "EUR": "7.6590", "GBP": "8.9870"}),
    (45, {"USD": "7.1160", "EUR": "7.6840", "GBP": "9.0150"}),
    (20, {"USD": "7.1210", "EUR": "7.6950", "GBP": "9.0330"}),
)


@dataclass(frozen=True)
class Plan:
    status: str
    warehouse: str
    mode: str
    carrier: str
    origin_city: str
    origin_port: str
    etd: int  # days from today
    eta: int
    lines: tuple[tuple[str, int], ...]  # SKU code, full cartons
    costs: tuple[tuple[str, str, str, str | None], ...]  # kind, amount, currency, basis (None: default)
    reference: str = ""
    container_number: str = ""
    bill_of_lading: str = ""
    air_waybill: str = ""
    note: str = ""
    first_eta: int | None = None  # the ETA first given, when it moved later


PLANS = (
    Plan(
        "draft", "FRA1", "sea_lcl", "ONE Ocean Network Express", "Ningbo", "CNNGB", 12, 48,
        (("TEE-BASIC-WHT-M", 2), ("TEE-BASIC-WHT-L", 2), ("LEG-YOGA-BLK-M", 2)),
        (("freight", "640.00", "USD", None), ("insurance", "180.00", "CNY", None)),
        reference="PO-2026-118", note="Spring top-up; waiting for the supplier's packing list",
    ),
    Plan(
        "submitted", "LAX1", "air", "Cathay Cargo", "Shenzhen", "CNSZX", 3, 6,
        (("LAMP-DESK-BLK", 4), ("LAMP-DESK-WHT", 3), ("CHARGER-65W-BLK", 2)),
        (("freight", "1180.00", "USD", "weight"), ("duty", "95.00", "USD", None)),
        reference="PO-2026-121", air_waybill="160-12345675",
    ),
    Plan(
        "in_transit", "LAX1", "sea_fcl", "COSCO Shipping", "Shenzhen", "CNYTN", -18, 9,
        (("HOOD-FLEECE-BLK-M", 10), ("HOOD-FLEECE-BLK-L", 10), ("HOOD-FLEECE-GRY-M", 8),
         ("JACKET-RAIN-NAV-M", 10), ("BOTTLE-STEEL-BLK", 20), ("MUG-CER-WHT", 20)),
        (("freight", "2850.00", "USD", None), ("insurance", "420.00", "CNY", None),
         ("duty", "1260.00", "USD", None), ("broker", "175.00", "USD", None)),
        reference="PO-2026-109", container_number="MSKU7319022", bill_of_lading="COSU6389114520", first_eta=7,
    ),
    Plan(
        "arrived", "FRA1", "rail", "DB Cargo China-Europe", "Xi'an", "CNXIY", -26, -1,
        (("SHIRT-OXF-WHT-M", 5), ("SHIRT-OXF-NAV-L", 4), ("BAG-TOTE-BLK", 5), ("PILLOW-COVER-GRY", 4)),
        (("freight", "1950.00", "USD", None), ("broker", "180.00", "EUR", None),
         ("duty", "410.00", "EUR", None), ("import_vat", "1480.00", "EUR", None)),
        reference="PO-2026-104", container_number="TGHU8812340",
    ),
    Plan(
        "receiving", "BHX1", "sea_lcl", "Evergreen Line", "Shanghai", "CNSHA", -44, -3,
        (("TOWEL-BATH-GRY", 10), ("TOWEL-BATH-WHT", 10), ("CAP-BASE-NAV", 4), ("SOCK-RUN-BLK-M", 4)),
        (("freight", "6800.00", "CNY", None), ("duty", "265.00", "GBP", None),
         ("import_vat", "930.00", "GBP", None), ("broker", "95.00", "GBP", None)),
        reference="PO-2026-097", bill_of_lading="EGLV142600318811",
    ),
    Plan(
        "closed", "LAX1", "air", "China Southern Cargo", "Shenzhen", "CNSZX", -62, -58,
        (("CABLE-USBC-BLK", 2), ("CABLE-USBC-WHT", 1), ("MOUNT-MAG-BLK", 2)),
        (("freight", "980.00", "USD", "weight"), ("duty", "38.00", "USD", None)),
        reference="PO-2026-088", air_waybill="784-55501234",
    ),
)  # fmt: skip


def _spec(plan: Plan, skus: dict[str, Sku], today: dt.date) -> AsnSpec:
    lines: list[LineSpec] = []
    cartons: list[CartonSpec] = []
    for code, count in plan.lines:
        sku = skus[code]
        per_carton = sku.units_per_carton or 1
        lines.append(LineSpec(code, per_carton * count))
        for _ in range(count):
            cartons.append(
                CartonSpec(
                    number=len(cartons) + 1,
                    contents=[ContentSpec(code, per_carton)],
                    length_mm=sku.carton_length_mm,
                    width_mm=sku.carton_width_mm,
                    height_mm=sku.carton_height_mm,
                    gross_weight_g=sku.carton_weight_g,
                )
            )
    return AsnSpec(
        mode=plan.mode,
        origin_country="CN",
        reference=plan.reference,
        carrier=plan.carrier,
        origin_city=plan.origin_city,
        origin_port=plan.origin_port,
        container_number=plan.container_number,
        bill_of_lading=plan.bill_of_lading,
        air_waybill=plan.air_waybill,
        etd=today + dt.timedelta(days=plan.etd),
        eta=today + dt.timedelta(days=plan.eta if plan.first_eta is None else plan.first_eta),
        note=plan.note,
        lines=lines,
        cartons=cartons,
        costs=[
            CostSpec(kind, Money.of(amount, currency), basis) for kind, amount, currency, basis in plan.costs
        ],
    )


def _at(today: dt.date, days: int, hour: int = 10) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(today + dt.timedelta(days=days), dt.time(hour)))


def _receive_partly(actor: Actor, shipment: InboundShipment) -> None:
    """Day one of unloading: all grey towels, half the white ones (two wet cartons set aside), some caps."""
    inbound_receive(
        actor=actor,
        shipment=shipment,
        lines=[
            ReceiptLine("TOWEL-BATH-GRY", 240),
            ReceiptLine("TOWEL-BATH-WHT", 118, damaged=2),
            ReceiptLine("CAP-BASE-NAV", 200),
        ],
    )


def _receive_with_discrepancies(actor: Actor, shipment: InboundShipment, skus: dict[str, Sku]) -> None:
    """Cables: 4 damaged; white cables: 12 more than the ASN; mounts: 12 short (written off at the close)."""
    from haicang.inbound.discrepancies import discrepancy_record

    inbound_receive(
        actor=actor,
        shipment=shipment,
        lines=[
            ReceiptLine("CABLE-USBC-BLK", 596),
            ReceiptLine("CABLE-USBC-WHT", 300),
            ReceiptLine("MOUNT-MAG-BLK", 228),
        ],
    )
    discrepancy_record(
        actor=actor,
        shipment=shipment,
        kind="damaged",
        sku=skus["CABLE-USBC-BLK"],
        quantity=4,
        note="Connector housings crushed; carton 1 was dented",
    )
    discrepancy_record(
        actor=actor,
        shipment=shipment,
        kind="over",
        sku=skus["CABLE-USBC-WHT"],
        quantity=12,
        note="Supplier packed 12 extra units in carton 3",
    )
    inbound_close(actor=actor, shipment=shipment, note="12 magnetic mounts missing from carton 5")


def demo_inbound_build(
    *, actor: Actor, seller: Seller, today: dt.date | None = None
) -> list[InboundShipment]:
    """The shipments of the table above, unless the seller has shipments already; returns those created."""
    if InboundShipment.objects.filter(seller=seller).exists():
        return []
    today = today or timezone.localdate()
    for days, rates in FX_HISTORY:
        for currency, rate in rates.items():
            fx_rate_record(
                actor=actor,
                base=currency,
                quote="CNY",
                on=today - dt.timedelta(days=days),
                rate=Decimal(rate),
                source="demo",
            )
    codes = {code for plan in PLANS for code, _ in plan.lines}
    skus = {sku.code: sku for sku in Sku.objects.filter(seller=seller, code__in=codes)}
    warehouses = {w.code: w for w in Warehouse.objects.filter(code__in={p.warehouse for p in PLANS})}
    operator_actor = Actor.system("demo warehouse team")
    created: list[InboundShipment] = []
    for plan in PLANS:
        shipment = inbound_create(
            actor=actor, seller=seller, warehouse=warehouses[plan.warehouse], spec=_spec(plan, skus, today)
        )
        created.append(shipment)
        if plan.status == "draft":
            continue
        shipment = inbound_submit(actor=actor, shipment=shipment)
        if plan.status == "submitted":
            continue
        shipment = inbound_dispatch(actor=actor, shipment=shipment, at=_at(today, plan.etd), note="Loaded")
        if plan.status == "in_transit":
            inbound_eta_change(
                actor=actor,
                shipment=shipment,
                eta=today + dt.timedelta(days=plan.eta),
                reason="Port congestion at Long Beach: berthing two days later",
            )
            continue
        shipment = inbound_arrive(actor=operator_actor, shipment=shipment, at=_at(today, plan.eta, 15))
        if plan.status == "receiving":
            _receive_partly(operator_actor, shipment)
        elif plan.status == "closed":
            _receive_with_discrepancies(operator_actor, shipment, skus)
    return created
