"""The demo operators' outbound setup: a box catalogue each and their carriers' pick-up times (docs/fulfillment.md,
"Setup: boxes and pick-up times").

Pacific Gate (LAX1) packs into US carton sizes in whole inches and padded mailers; EuroHub (FRA1, BHX1) into
metric cartons in the usual German/UK e-commerce sizes and mailer bags. Every carrier of a warehouse collects on
weekdays in the afternoon, local time (UPS twice, national posts on Saturdays too). Written through the setup
services; idempotent: an operator that has boxes, or a warehouse that has pick-up times, is left as it is.
"""

from __future__ import annotations

import datetime as dt

from haicang.core.actors import Actor
from haicang.fulfillment.models import BoxType, PickupSchedule
from haicang.fulfillment.setup import box_type_create, pickup_schedule_create
from haicang.network.models import Carrier, Warehouse
from haicang.parties.models import Operator

# (code, name, inner length, width, height mm, rated gross weight g, tare g)
BoxRow = tuple[str, str, int, int, int, int, int]
BOXES: dict[str, tuple[BoxRow, ...]] = {
    "pacific": (
        ("PM-6X9", "Padded mailer 6×9 in", 152, 229, 25, 1000, 20),
        ("PM-10X15", "Padded mailer 10½×15 in", 267, 381, 40, 2000, 45),
        ("B8-6-4", "Box 8×6×4 in", 203, 152, 102, 9000, 120),
        ("B6-6-6", "Cube 6×6×6 in", 152, 152, 152, 9000, 110),
        ("B10-8-6", "Box 10×8×6 in", 254, 203, 152, 15000, 210),
        ("B12-10-8", "Box 12×10×8 in", 305, 254, 203, 20000, 320),
        ("B14-10-10", "Box 14×10×10 in", 356, 254, 254, 25000, 410),
        ("B16-12-12", "Box 16×12×12 in", 406, 305, 305, 30000, 540),
        ("B18-18-16", "Box 18×18×16 in", 457, 457, 406, 30000, 820),
        ("B24-18-18", "Box 24×18×18 in, double wall", 610, 457, 457, 31500, 1150),
    ),
    "eurohub": (
        ("MB-A5", "Mailer bag A5", 250, 175, 30, 1000, 15),
        ("MB-A4", "Mailer bag A4", 330, 250, 50, 2000, 25),
        ("BOOK", "Book wrap", 320, 240, 80, 3000, 140),
        ("XS", "Carton XS", 225, 145, 35, 2000, 60),
        ("S", "Carton S", 250, 175, 100, 5000, 120),
        ("M", "Carton M", 375, 300, 135, 10000, 250),
        ("L", "Carton L", 450, 350, 200, 20000, 400),
        ("XL", "Carton XL (long)", 600, 300, 150, 20000, 450),
        ("XXL", "Carton XXL, double wall", 600, 400, 400, 31500, 800),
    ),
}
WEEKDAYS = (1, 2, 3, 4, 5)
WITH_SATURDAY = (1, 2, 3, 4, 5, 6)
# warehouse → (carrier code, local time, ISO weekdays)
PICKUPS: dict[str, tuple[tuple[str, dt.time, tuple[int, ...]], ...]] = {
    "LAX1": (
        ("USPS", dt.time(15, 0), WITH_SATURDAY),
        ("FEDEX", dt.time(16, 0), WEEKDAYS),
        ("UPS", dt.time(12, 0), WEEKDAYS),
        ("UPS", dt.time(17, 30), WEEKDAYS),
    ),
    "BHX1": (
        ("EVRI", dt.time(15, 0), WEEKDAYS),
        ("ROYAL-MAIL", dt.time(16, 30), WITH_SATURDAY),
        ("DPD", dt.time(17, 30), WEEKDAYS),
    ),
    "FRA1": (
        ("HERMES", dt.time(14, 30), WEEKDAYS),
        ("DHL", dt.time(16, 0), WITH_SATURDAY),
        ("GLS", dt.time(17, 0), WEEKDAYS),
    ),
}


def demo_boxes_build(*, actor: Actor) -> int:
    """Each demo operator's box catalogue unless it has one; the number of boxes added."""
    added = 0
    for operator in Operator.objects.filter(code__in=list(BOXES)).order_by("code"):
        if BoxType.objects.filter(operator=operator).exists():
            continue
        for code, name, length, width, height, max_g, tare_g in BOXES[operator.code]:
            box_type_create(
                actor=actor,
                operator=operator,
                code=code,
                name=name,
                inner_length_mm=length,
                inner_width_mm=width,
                inner_height_mm=height,
                max_weight_g=max_g,
                tare_g=tare_g,
            )
            added += 1
    return added


def demo_pickups_build(*, actor: Actor) -> int:
    """The carriers' pick-up times at each demo warehouse that has none; the number added."""
    added = 0
    for warehouse in Warehouse.objects.filter(code__in=list(PICKUPS)).order_by("code"):
        if PickupSchedule.objects.filter(warehouse=warehouse).exists():
            continue
        carriers = {
            c.code: c for c in Carrier.objects.filter(operator_id=warehouse.operator_id, is_active=True)
        }
        for carrier_code, at, weekdays in PICKUPS[warehouse.code]:
            carrier = carriers.get(carrier_code)
            if carrier is None:  # a world seeded with other carriers: no pick-up for a missing one
                continue
            pickup_schedule_create(
                actor=actor, warehouse=warehouse, carrier=carrier, pickup_time=at, weekdays=weekdays
            )
            added += 1
    return added


def demo_fulfillment_build(*, actor: Actor) -> bool:
    """The demo's outbound setup (boxes, pick-up times); True when anything was added now."""
    boxes = demo_boxes_build(actor=actor)
    pickups = demo_pickups_build(actor=actor)
    return bool(boxes or pickups)
