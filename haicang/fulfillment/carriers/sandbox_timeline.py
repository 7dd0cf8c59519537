"""The sandbox carrier's tracking timelines: plausible scans from the label time, the same every time for one
tracking number. Pure: no Django.

:func:`sandbox_timeline` picks a scenario from a hash of the carrier code and the tracking number — most parcels
are delivered; some have a failed attempt, wait at a pick-up point, are damaged, wait in customs (international
only), are refused for the charges (international only), come back for an unknown address, or stop being
scanned — and dates every scan from the label time and the service's transit days. Each scan carries the
carrier's own code and text (:data:`STAGES`), the ones ``tracking_rules`` normalises, so the sandbox exercises
the same mapping tables as live carriers will.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Mapping
from enum import StrEnum
from types import MappingProxyType

from haicang.fulfillment.carriers.base import RawTrackingEvent, SandboxLabel, ServiceKind


class Stage(StrEnum):
    LABEL = "label"
    PICKUP = "pickup"
    DEPART = "depart"
    HUB = "hub"
    ARRIVE = "arrive"
    CUSTOMS_CLEARED = "customs_cleared"
    CUSTOMS_HOLD = "customs_hold"
    OUT_FOR_DELIVERY = "out_for_delivery"
    ATTEMPT = "attempt"
    AT_PICKUP_POINT = "at_pickup_point"
    COLLECTED = "collected"
    EXCEPTION = "exception"
    REFUSED_CHARGES = "refused_charges"
    ADDRESS_UNKNOWN = "address_unknown"
    RETURNED = "returned"
    DELIVERED = "delivered"


class Scenario(StrEnum):
    DELIVERED = "delivered"
    ATTEMPT_THEN_DELIVERED = "attempt_then_delivered"
    PICKUP_POINT = "pickup_point"
    DAMAGED = "damaged"
    CUSTOMS_HOLD = "customs_hold"
    REFUSED_CHARGES = "refused_charges"
    ADDRESS_UNKNOWN = "address_unknown"
    STALLED = "stalled"


# Out of 100: a scenario's share of parcels (by the hash of the tracking number).
_SCENARIOS: tuple[tuple[int, Scenario], ...] = (
    (70, Scenario.DELIVERED),
    (78, Scenario.ATTEMPT_THEN_DELIVERED),
    (84, Scenario.PICKUP_POINT),
    (88, Scenario.DAMAGED),
    (92, Scenario.CUSTOMS_HOLD),
    (94, Scenario.REFUSED_CHARGES),
    (97, Scenario.ADDRESS_UNKNOWN),
    (100, Scenario.STALLED),
)

_Codes = Mapping[Stage, tuple[str, str]]


def _codes(table: dict[Stage, tuple[str, str]]) -> _Codes:
    return MappingProxyType(table)  # every table names every stage (tests/test_sandbox_carrier.py)


S = Stage
# Each carrier's (code, text) for each stage, in the carrier's own words.
STAGES: Mapping[str, _Codes] = MappingProxyType(
    {
        "sandbox": _codes({stage: (stage.upper(), stage.replace("_", " ").capitalize()) for stage in Stage}),
        "ups": _codes(
            {
                S.LABEL: ("M", "Shipper created a label, UPS has not received the package yet."),
                S.PICKUP: ("P", "Pickup Scan"),
                S.DEPART: ("I", "Departed from Facility"),
                S.HUB: ("I", "Arrived at Facility"),
                S.ARRIVE: ("I", "Destination Scan"),
                S.CUSTOMS_CLEARED: ("I", "Your package was released by the customs agency."),
                S.CUSTOMS_HOLD: ("X", "Your package is being held by the customs agency pending clearance."),
                S.OUT_FOR_DELIVERY: ("I", "Out For Delivery Today"),
                S.ATTEMPT: ("X", "The receiver was not available for delivery. We'll make a second attempt."),
                S.AT_PICKUP_POINT: (
                    "I",
                    "Your package is at the UPS Access Point location and is ready for pickup.",
                ),
                S.COLLECTED: ("D", "Delivered: picked up by the receiver at the UPS Access Point location."),
                S.EXCEPTION: ("X", "The package was damaged in transit and is being repackaged."),
                S.REFUSED_CHARGES: (
                    "X",
                    "The receiver refused the delivery because of the duties and taxes due.",
                ),
                S.ADDRESS_UNKNOWN: ("X", "The street address is incorrect."),
                S.RETURNED: ("RS", "Returned to sender."),
                S.DELIVERED: ("D", "Delivered"),
            }
        ),
        "usps": _codes(
            {
                S.LABEL: ("MA", "Shipping Label Created, USPS Awaiting Item"),
                S.PICKUP: ("03", "USPS picked up item"),
                S.DEPART: ("10", "Departed USPS Regional Facility"),
                S.HUB: ("10", "Arrived at USPS Regional Facility"),
                S.ARRIVE: ("07", "Arrived at Post Office"),
                S.CUSTOMS_CLEARED: ("", "Customs Clearance Processing Complete"),
                S.CUSTOMS_HOLD: ("", "Held in Customs"),
                S.OUT_FOR_DELIVERY: ("OF", "Out for Delivery"),
                S.ATTEMPT: ("02", "Notice Left (No Authorized Recipient Available)"),
                S.AT_PICKUP_POINT: ("16", "Available for Pickup"),
                S.COLLECTED: ("17", "Picked Up at Post Office"),
                S.EXCEPTION: ("", "Delivery Exception, Item Damaged"),
                S.REFUSED_CHARGES: ("04", "Refused: customs charges not paid"),
                S.ADDRESS_UNKNOWN: ("22", "Insufficient Address"),
                S.RETURNED: ("09", "Return to Sender Processed"),
                S.DELIVERED: ("01", "Delivered, In/At Mailbox"),
            }
        ),
        "fedex": _codes(
            {
                S.LABEL: ("OC", "Shipment information sent to FedEx"),
                S.PICKUP: ("PU", "Picked up"),
                S.DEPART: ("DP", "Left FedEx origin facility"),
                S.HUB: ("AR", "Arrived at FedEx hub"),
                S.ARRIVE: ("AR", "At local FedEx facility"),
                S.CUSTOMS_CLEARED: ("CC", "International shipment release - Import"),
                S.CUSTOMS_HOLD: ("CD", "Clearance delay - Import"),
                S.OUT_FOR_DELIVERY: ("OD", "On FedEx vehicle for delivery"),
                S.ATTEMPT: ("DE", "Customer not available or business closed"),
                S.AT_PICKUP_POINT: ("HL", "Ready for pickup at FedEx location"),
                S.COLLECTED: ("DL", "Delivered: picked up by the recipient at the FedEx location"),
                S.EXCEPTION: ("SE", "Package damaged, repackaged"),
                S.REFUSED_CHARGES: ("DE", "Recipient refused to pay duties and taxes"),
                S.ADDRESS_UNKNOWN: ("DE", "Incorrect address"),
                S.RETURNED: ("RS", "Return to shipper"),
                S.DELIVERED: ("DL", "Delivered"),
            }
        ),
        "dhl": _codes(
            {
                S.LABEL: (
                    "pre-transit",
                    "The instruction data for this shipment have been provided by the sender to DHL electronically",
                ),
                S.PICKUP: ("transit", "The shipment has been picked up"),
                S.DEPART: ("transit", "The shipment has been processed in the parcel center of origin"),
                S.HUB: ("transit", "The shipment has been processed in the parcel center"),
                S.ARRIVE: ("transit", "The shipment has arrived at the delivery base"),
                S.CUSTOMS_CLEARED: ("transit", "Customs clearance complete; the shipment has been released"),
                S.CUSTOMS_HOLD: ("failure", "The shipment is being held by customs pending clearance"),
                S.OUT_FOR_DELIVERY: ("transit", "The shipment has been loaded onto the delivery vehicle"),
                S.ATTEMPT: ("failure", "The recipient was not at home; a delivery attempt was made"),
                S.AT_PICKUP_POINT: ("transit", "The shipment is ready for pick-up at the Packstation"),
                S.COLLECTED: (
                    "delivered",
                    "The shipment has been picked up by the recipient from the Packstation",
                ),
                S.EXCEPTION: ("failure", "The shipment was damaged and is being repacked"),
                S.REFUSED_CHARGES: ("failure", "The recipient refused to pay the import duties"),
                S.ADDRESS_UNKNOWN: ("failure", "The address is incomplete"),
                S.RETURNED: ("transit", "The shipment is being returned to the sender"),
                S.DELIVERED: ("delivered", "The shipment has been successfully delivered"),
            }
        ),
        "royal_mail": _codes(
            {
                S.LABEL: ("", "Sender preparing item"),
                S.PICKUP: ("", "Item received"),
                S.DEPART: ("", "Item despatched from mail centre"),
                S.HUB: ("EVORI", "Arrived at Royal Mail facility"),
                S.ARRIVE: ("EVODO", "Item despatched to delivery office"),
                S.CUSTOMS_CLEARED: ("", "Item cleared customs"),
                S.CUSTOMS_HOLD: ("", "Item held by customs"),
                S.OUT_FOR_DELIVERY: ("EVGPD", "Due to be delivered today"),
                S.ATTEMPT: ("EVKNA", "Delivery attempted - no answer"),
                S.AT_PICKUP_POINT: ("EVNDA", "Available for redelivery or collection"),
                S.COLLECTED: ("", "Collected by the recipient from the customer service point"),
                S.EXCEPTION: ("", "Item damaged in transit"),
                S.REFUSED_CHARGES: ("", "Item refused - customs fee not paid"),
                S.ADDRESS_UNKNOWN: ("", "Addressee unknown at this address"),
                S.RETURNED: ("", "Item being returned to sender"),
                S.DELIVERED: ("EVKSP", "Delivered and signed for"),
            }
        ),
        "evri": _codes(
            {
                S.LABEL: ("", "We've received your parcel information from the sender"),
                S.PICKUP: ("", "We've got your parcel"),
                S.DEPART: ("", "Your parcel is on its way to our national hub"),
                S.HUB: ("", "Your parcel has been sorted at our national hub"),
                S.ARRIVE: ("", "Your parcel is at your local depot"),
                S.CUSTOMS_CLEARED: ("", "Your parcel has cleared customs"),
                S.CUSTOMS_HOLD: ("", "Your parcel is being held by customs"),
                S.OUT_FOR_DELIVERY: ("", "Your parcel is out for delivery"),
                S.ATTEMPT: ("", "Sorry we missed you - we tried to deliver your parcel"),
                S.AT_PICKUP_POINT: ("", "Your parcel is ready to collect from the ParcelShop"),
                S.COLLECTED: ("", "Your parcel has been collected by the recipient from the ParcelShop"),
                S.EXCEPTION: ("", "Your parcel has been damaged in transit"),
                S.REFUSED_CHARGES: ("", "The recipient refused to pay the customs charges"),
                S.ADDRESS_UNKNOWN: ("", "We couldn't find the delivery address"),
                S.RETURNED: ("", "Your parcel is being returned to the sender"),
                S.DELIVERED: ("", "Your parcel has been delivered"),
            }
        ),
        "hermes": _codes(
            {
                S.LABEL: ("", "Die Sendung wurde Hermes elektronisch angekündigt."),
                S.PICKUP: ("", "Die Sendung wurde vom Absender an Hermes übergeben."),
                S.DEPART: ("", "Die Sendung hat das Hermes Logistikzentrum verlassen."),
                S.HUB: ("", "Die Sendung wurde im Hermes Logistikzentrum sortiert."),
                S.ARRIVE: ("", "Die Sendung ist im Hermes Verteilzentrum eingetroffen."),
                S.CUSTOMS_CLEARED: ("", "Die Sendung wurde vom Zoll freigegeben."),
                S.CUSTOMS_HOLD: ("", "Die Sendung wird vom Zoll zurückgehalten."),
                S.OUT_FOR_DELIVERY: ("", "Die Sendung befindet sich in der Zustellung."),
                S.ATTEMPT: ("", "Der Empfänger wurde nicht angetroffen. Zweiter Zustellversuch folgt."),
                S.AT_PICKUP_POINT: ("", "Die Sendung liegt im PaketShop zur Abholung bereit."),
                S.COLLECTED: ("", "Die Sendung wurde im PaketShop vom Empfänger abgeholt."),
                S.EXCEPTION: ("", "Die Sendung wurde beim Transport beschädigt."),
                S.REFUSED_CHARGES: ("", "Der Empfänger hat die Annahme wegen der Zollgebühren verweigert."),
                S.ADDRESS_UNKNOWN: ("", "Die Adresse des Empfängers ist unbekannt."),
                S.RETURNED: ("", "Die Sendung wird an den Absender zurückgeschickt."),
                S.DELIVERED: ("", "Die Sendung wurde zugestellt."),
            }
        ),
        "dpd": _codes(
            {
                S.LABEL: ("", "Order information has been transmitted to DPD."),
                S.PICKUP: ("ACCEPTED", "The parcel has been handed over to DPD"),
                S.DEPART: ("AT_SENDING_DEPOT", "At the sending depot"),
                S.HUB: ("ON_THE_ROAD", "In transit"),
                S.ARRIVE: ("AT_DELIVERY_DEPOT", "At the delivery depot"),
                S.CUSTOMS_CLEARED: ("ON_THE_ROAD", "Customs clearance complete"),
                S.CUSTOMS_HOLD: ("ON_THE_ROAD", "Parcel held at customs; documents required"),
                S.OUT_FOR_DELIVERY: ("AT_DELIVERY_DEPOT", "Out for delivery"),
                S.ATTEMPT: (
                    "AT_DELIVERY_DEPOT",
                    "We were unable to deliver your parcel as no one was at home",
                ),
                S.AT_PICKUP_POINT: (
                    "DELIVERED",
                    "Delivered to the DPD Pickup parcelshop; ready for collection",
                ),
                S.COLLECTED: ("DELIVERED", "Collected by the recipient from the DPD Pickup parcelshop"),
                S.EXCEPTION: ("ON_THE_ROAD", "Parcel damaged; delay in delivery"),
                S.REFUSED_CHARGES: (
                    "AT_DELIVERY_DEPOT",
                    "Delivery refused by the recipient: duties and taxes not paid",
                ),
                S.ADDRESS_UNKNOWN: ("AT_DELIVERY_DEPOT", "Address incorrect"),
                S.RETURNED: ("ON_THE_ROAD", "Parcel being returned to sender"),
                S.DELIVERED: ("DELIVERED", "Delivered"),
            }
        ),
        "gls": _codes(
            {
                S.LABEL: ("PREADVICE", "The parcel data was entered into the GLS IT system."),
                S.PICKUP: ("INTRANSIT", "The parcel was handed over to GLS."),
                S.DEPART: ("INTRANSIT", "The parcel has left the parcel center."),
                S.HUB: ("INWAREHOUSE", "The parcel has reached the parcel center."),
                S.ARRIVE: ("INWAREHOUSE", "The parcel has reached the delivery depot."),
                S.CUSTOMS_CLEARED: ("INTRANSIT", "Customs clearance has been completed."),
                S.CUSTOMS_HOLD: ("INWAREHOUSE", "The parcel is held at customs awaiting clearance."),
                S.OUT_FOR_DELIVERY: ("INDELIVERY", "The parcel is expected to be delivered during the day."),
                S.ATTEMPT: ("NOTDELIVERED", "The parcel could not be delivered as the consignee was absent."),
                S.AT_PICKUP_POINT: ("DELIVEREDPS", "The parcel has been delivered at the GLS ParcelShop."),
                S.COLLECTED: (
                    "DELIVERED",
                    "The parcel has been picked up by the consignee from the GLS ParcelShop.",
                ),
                S.EXCEPTION: ("INWAREHOUSE", "The parcel has been damaged and is being repackaged."),
                S.REFUSED_CHARGES: (
                    "NOTDELIVERED",
                    "Acceptance refused by the consignee: customs charges not paid.",
                ),
                S.ADDRESS_UNKNOWN: ("NOTDELIVERED", "The consignee's address is incorrect."),
                S.RETURNED: ("NOTDELIVERED", "The parcel is being returned to the sender."),
                S.DELIVERED: ("DELIVERED", "The parcel has been delivered."),
            }
        ),
    }
)


class _Draws:
    """Deterministic numbers from the hash of the tracking number (not a random generator: same input, same
    timeline, in every process)."""

    def __init__(self, seed: str) -> None:
        self._seed = seed
        self._count = 0

    def below(self, n: int) -> int:
        self._count += 1
        digest = hashlib.sha256(f"{self._seed}:{self._count}".encode()).digest()
        return int.from_bytes(digest[:8], "big") % n


def scenario_of(carrier_code: str, tracking_number: str, *, international: bool) -> Scenario:
    """The scenario a tracking number follows (customs and charges only happen to international parcels)."""
    digest = hashlib.sha256(f"{carrier_code}:{tracking_number}".encode()).digest()
    share = int.from_bytes(digest[:8], "big") % 100
    scenario = next(s for limit, s in _SCENARIOS if share < limit)
    if not international and scenario in (Scenario.CUSTOMS_HOLD, Scenario.REFUSED_CHARGES):
        return Scenario.DELIVERED
    return scenario


def sandbox_timeline(label: SandboxLabel, *, kind: ServiceKind, transit_days: int) -> list[RawTrackingEvent]:
    """Every scan the sandbox will report for ``label``, oldest first, including those still in the future (the
    adapter hands out the ones before its clock)."""
    carrier = label.carrier_code
    codes = STAGES.get(carrier, STAGES["sandbox"])
    draws = _Draws(f"{carrier}:{label.tracking_number}")
    scenario = scenario_of(carrier, label.tracking_number, international=label.is_international)
    start = label.labelled_at
    events: list[RawTrackingEvent] = []

    def scan(stage: Stage, at: dt.datetime, location: str = "") -> dt.datetime:
        if events and at <= events[-1].at:
            at = events[-1].at + dt.timedelta(minutes=5 + draws.below(40))
        code, text = codes[stage]
        events.append(RawTrackingEvent(carrier, label.tracking_number, at, code, text, location))
        return at

    def day_at(day: dt.date, hour: int, spread_hours: int) -> dt.datetime:
        minutes = hour * 60 + draws.below(spread_hours * 60)
        return dt.datetime.combine(day, dt.time(), tzinfo=start.tzinfo) + dt.timedelta(minutes=minutes)

    days = max(1, transit_days) + draws.below(2) + (draws.below(4) + 2 if label.is_international else 0)
    if kind is ServiceKind.POSTAL:
        days += draws.below(2)
    delivery_day = start.date() + dt.timedelta(days=days)

    at = scan(Stage.LABEL, start)
    at = scan(Stage.PICKUP, at + dt.timedelta(hours=2, minutes=draws.below(240)), "Origin")
    at = scan(Stage.DEPART, at + dt.timedelta(hours=1, minutes=draws.below(180)), "Origin hub")
    if label.is_international:
        at = at + dt.timedelta(hours=10, minutes=draws.below(600))
        if scenario is Scenario.CUSTOMS_HOLD:
            at = scan(Stage.CUSTOMS_HOLD, at, "Customs")
            held = 1 + draws.below(3)
            delivery_day += dt.timedelta(days=held)
            at = at + dt.timedelta(days=held, hours=draws.below(6))
        at = scan(Stage.CUSTOMS_CLEARED, at, "Customs")
    if days >= 3:
        at = scan(Stage.HUB, at + dt.timedelta(hours=8, minutes=draws.below(600)), "Hub")
    if scenario is Scenario.STALLED:
        return events
    arrive = max(at + dt.timedelta(hours=1), day_at(delivery_day - dt.timedelta(days=1), 19, 4))
    while arrive - at > dt.timedelta(hours=36):  # a long haul is scanned at least every day and a half
        at = scan(Stage.HUB, at + dt.timedelta(hours=20, minutes=draws.below(720)), "Hub")
    at = scan(Stage.ARRIVE, arrive, "Delivery depot")
    if scenario is Scenario.DAMAGED:
        at = scan(Stage.EXCEPTION, at + dt.timedelta(hours=2, minutes=draws.below(120)), "Delivery depot")
        delivery_day += dt.timedelta(days=1)
    at = scan(Stage.OUT_FOR_DELIVERY, day_at(delivery_day, 7, 2), "Delivery depot")
    attempt_at = day_at(delivery_day, 10, 7)
    if scenario is Scenario.ADDRESS_UNKNOWN:
        at = scan(Stage.ADDRESS_UNKNOWN, attempt_at, "Delivery depot")
        scan(
            Stage.RETURNED,
            day_at(delivery_day + dt.timedelta(days=1 + draws.below(2)), 8, 3),
            "Delivery depot",
        )
        return events
    if scenario is Scenario.REFUSED_CHARGES:
        at = scan(Stage.REFUSED_CHARGES, attempt_at, "Recipient's address")
        scan(Stage.RETURNED, day_at(delivery_day + dt.timedelta(days=1), 8, 3), "Delivery depot")
        return events
    if scenario is Scenario.ATTEMPT_THEN_DELIVERED:
        at = scan(Stage.ATTEMPT, attempt_at, "Recipient's address")
        delivery_day += dt.timedelta(days=1)
        at = scan(Stage.OUT_FOR_DELIVERY, day_at(delivery_day, 7, 2), "Delivery depot")
        attempt_at = day_at(delivery_day, 10, 7)
    if scenario is Scenario.PICKUP_POINT:
        at = scan(Stage.ATTEMPT, attempt_at, "Recipient's address")
        at = scan(
            Stage.AT_PICKUP_POINT, at + dt.timedelta(hours=2, minutes=draws.below(120)), "Pick-up point"
        )
        collected_day = delivery_day + dt.timedelta(days=1 + draws.below(3))
        scan(Stage.COLLECTED, day_at(collected_day, 10, 8), "Pick-up point")
        return events
    scan(Stage.DELIVERED, attempt_at, "Recipient's address")
    return events
