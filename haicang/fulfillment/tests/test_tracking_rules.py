"""Tracking events normalised to DOMAIN.md's vocabulary, pure: per-carrier code tables refined by the text, the
text rules (English and German), customs holds and refusals over charges, a parcel's status, expiry, alerts."""

from __future__ import annotations

import datetime as dt

import pytest

from haicang.fulfillment.carriers.base import RawTrackingEvent, ServiceKind
from haicang.fulfillment.tracking_rules import (
    CODE_TABLES,
    AlertKind,
    MatchedBy,
    TrackedEvent,
    TrackingStatus,
    alerts_for,
    event_normalise,
    is_expired,
    parcel_status,
    tracking_normalise,
)

T = TrackingStatus
EXPRESS, POSTAL = ServiceKind.EXPRESS, ServiceKind.POSTAL
START = dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.UTC)

# (carrier, raw code, raw text) → status
TABLE = [
    # UPS status types: broad codes refined by the description
    ("ups", "M", "Shipper created a label, UPS has not received the package yet.", T.INFO_RECEIVED),
    ("ups", "P", "Pickup Scan", T.IN_TRANSIT),
    ("ups", "I", "Arrival Scan", T.IN_TRANSIT),
    ("ups", "I", "Out For Delivery Today", T.OUT_FOR_DELIVERY),
    (
        "ups",
        "X",
        "The receiver was not available for delivery. We'll make a second attempt tomorrow.",
        T.ATTEMPT_FAILED,
    ),
    ("ups", "X", "A severe weather condition has delayed delivery.", T.EXCEPTION),
    ("ups", "D", "DELIVERED", T.DELIVERED),
    ("ups", "D", "Delivered to UPS Access Point™", T.AVAILABLE_FOR_PICKUP),
    ("ups", "RS", "Returned to shipper", T.RETURNED_TO_SENDER),
    ("ups", "i", "In Transit", T.IN_TRANSIT),  # codes are case-insensitive
    # USPS event codes
    ("usps", "MA", "Shipping Label Created, USPS Awaiting Item", T.INFO_RECEIVED),
    ("usps", "03", "USPS picked up item", T.IN_TRANSIT),
    ("usps", "10", "Processed through USPS Facility", T.IN_TRANSIT),
    ("usps", "OF", "Out for Delivery", T.OUT_FOR_DELIVERY),
    ("usps", "02", "Notice Left (No Authorized Recipient Available)", T.ATTEMPT_FAILED),
    ("usps", "53", "Receptacle Blocked", T.ATTEMPT_FAILED),
    ("usps", "16", "Available for Pickup", T.AVAILABLE_FOR_PICKUP),
    ("usps", "17", "Picked Up at Post Office", T.DELIVERED),
    ("usps", "01", "Delivered, Front Door/Porch", T.DELIVERED),
    ("usps", "21", "No Such Number", T.EXCEPTION),
    ("usps", "09", "Return to Sender Processed", T.RETURNED_TO_SENDER),
    # FedEx status codes
    ("fedex", "OC", "Shipment information sent to FedEx", T.INFO_RECEIVED),
    ("fedex", "AR", "Arrived at FedEx location", T.IN_TRANSIT),
    ("fedex", "OD", "On FedEx vehicle for delivery", T.OUT_FOR_DELIVERY),
    ("fedex", "DE", "Customer not available or business closed", T.ATTEMPT_FAILED),
    ("fedex", "DE", "Package damaged", T.EXCEPTION),
    ("fedex", "HL", "Ready for pickup", T.AVAILABLE_FOR_PICKUP),
    ("fedex", "DL", "Delivered", T.DELIVERED),
    ("fedex", "RS", "Return to shipper", T.RETURNED_TO_SENDER),
    # DHL statusCode
    ("dhl", "pre-transit", "Shipment information received", T.INFO_RECEIVED),
    ("dhl", "transit", "The shipment has been loaded onto the delivery vehicle", T.OUT_FOR_DELIVERY),
    ("dhl", "transit", "The shipment is on its way back to the sender", T.RETURNED_TO_SENDER),
    ("dhl", "failure", "The recipient was not at home; a delivery attempt was made", T.ATTEMPT_FAILED),
    (
        "dhl",
        "delivered",
        "The shipment has been delivered to the Packstation and is ready for pick-up",
        T.AVAILABLE_FOR_PICKUP,
    ),
    ("dhl", "DELIVERED", "The shipment has been successfully delivered", T.DELIVERED),
    ("dhl", "unknown", "", T.PENDING),
    # Royal Mail event codes
    ("royal_mail", "EVGPD", "Due to be delivered today", T.OUT_FOR_DELIVERY),
    ("royal_mail", "EVKNA", "Delivery attempted - no answer", T.ATTEMPT_FAILED),
    ("royal_mail", "EVNDA", "Available for redelivery or collection", T.AVAILABLE_FOR_PICKUP),
    ("royal_mail", "EVKSF", "Delivered to safeplace", T.DELIVERED),
    ("royal_mail", "EVNMI", "Forwarded - Mis-sort", T.IN_TRANSIT),
    # DPD and GLS states
    ("dpd", "AT_DELIVERY_DEPOT", "Out for delivery", T.OUT_FOR_DELIVERY),
    ("dpd", "DELIVERED", "Delivered", T.DELIVERED),
    ("gls", "PREADVICE", "The parcel data was entered into the GLS IT system.", T.INFO_RECEIVED),
    ("gls", "INDELIVERY", "The parcel is expected to be delivered during the day.", T.OUT_FOR_DELIVERY),
    ("gls", "DELIVEREDPS", "The parcel has been delivered at the GLS ParcelShop.", T.AVAILABLE_FOR_PICKUP),
    (
        "gls",
        "NOTDELIVERED",
        "The parcel could not be delivered as the consignee was absent.",
        T.ATTEMPT_FAILED,
    ),
    # Hermes and Evri: text only (German and English)
    ("hermes", "", "Die Sendung wurde Hermes elektronisch angekündigt.", T.INFO_RECEIVED),
    ("hermes", "", "Die Sendung befindet sich in der Zustellung.", T.OUT_FOR_DELIVERY),
    ("hermes", "", "Der Empfänger wurde nicht angetroffen.", T.ATTEMPT_FAILED),
    ("hermes", "", "Die Sendung liegt im PaketShop zur Abholung bereit.", T.AVAILABLE_FOR_PICKUP),
    ("hermes", "", "Die Sendung wurde zugestellt.", T.DELIVERED),
    ("hermes", "", "Die Sendung wird an den Absender zurückgeschickt.", T.RETURNED_TO_SENDER),
    ("evri", "", "We've received your parcel information from the sender", T.INFO_RECEIVED),
    ("evri", "", "Sorry we missed you", T.ATTEMPT_FAILED),
    ("evri", "", "Your parcel will be delivered tomorrow", T.IN_TRANSIT),  # a promise, not a delivery
    ("evri", "", "Your parcel has been delivered", T.DELIVERED),
    # the sandbox's own codes
    ("sandbox", "AT_PICKUP_POINT", "At pickup point", T.AVAILABLE_FOR_PICKUP),
]


@pytest.mark.parametrize(("carrier", "code", "text", "status"), TABLE)
def test_carrier_events_map_to_the_vocabulary(carrier, code, text, status):
    normalised = tracking_normalise(carrier, code, text)
    assert normalised.status is status
    assert (normalised.raw_code, normalised.raw_text) == (code, text)  # kept as they came


CUSTOMS_AND_CHARGES = [
    # (carrier, code, text, customs hold, refused for charges, status)
    ("fedex", "CD", "Clearance delay - Import", True, False, T.EXCEPTION),
    (
        "ups",
        "X",
        "Your package is being held by the customs agency pending clearance.",
        True,
        False,
        T.EXCEPTION,
    ),
    (
        "ups",
        "I",
        "Your package is held in customs awaiting documents.",
        True,
        False,
        T.EXCEPTION,
    ),  # over a broad code
    (
        "dhl",
        "transit",
        "Customs clearance complete; the shipment has been released",
        False,
        False,
        T.IN_TRANSIT,
    ),
    ("royal_mail", "", "We're holding your item. There's a fee to pay", True, False, T.EXCEPTION),
    ("hermes", "", "Die Sendung wird vom Zoll zurückgehalten.", True, False, T.EXCEPTION),
    ("hermes", "", "Die Sendung wurde vom Zoll freigegeben.", False, False, T.IN_TRANSIT),
    ("usps", "04", "Refused: customs charges not paid", False, True, T.EXCEPTION),
    (
        "ups",
        "X",
        "The receiver refused the delivery because of the duties and taxes due.",
        False,
        True,
        T.EXCEPTION,
    ),
    (
        "gls",
        "NOTDELIVERED",
        "Acceptance refused by the consignee: customs charges not paid.",
        False,
        True,
        T.EXCEPTION,
    ),
    (
        "hermes",
        "",
        "Der Empfänger hat die Annahme wegen der Zollgebühren verweigert.",
        False,
        True,
        T.EXCEPTION,
    ),
    (
        "ups",
        "RS",
        "Returning to sender: the receiver refused the package due to the duties",
        False,
        True,
        T.RETURNED_TO_SENDER,
    ),
    ("usps", "04", "Refused", False, False, T.EXCEPTION),  # refused, but not over charges
    ("sandbox", "REFUSED_CHARGES", "Refused charges", False, True, T.EXCEPTION),
]


@pytest.mark.parametrize(("carrier", "code", "text", "customs", "refused", "status"), CUSTOMS_AND_CHARGES)
def test_customs_holds_and_refusals_over_charges_are_flagged(carrier, code, text, customs, refused, status):
    normalised = tracking_normalise(carrier, code, text)
    assert (normalised.is_customs_hold, normalised.is_refused_for_charges, normalised.status) == (
        customs,
        refused,
        status,
    )


def test_the_text_never_turns_an_exception_code_into_a_delivery():
    # given an exception code whose text mentions a delivery
    normalised = tracking_normalise("ups", "X", "Package delivered to the wrong address")
    assert normalised.status is T.EXCEPTION and normalised.matched_by is MatchedBy.CODE


def test_an_unknown_code_is_read_from_its_text_and_an_unreadable_event_is_marked_default():
    by_text = tracking_normalise("usps", "ZZ", "Arrived at USPS Regional Destination Facility")
    unreadable = tracking_normalise("usps", "ZZ", "Status 47")

    assert (by_text.status, by_text.matched_by) == (T.IN_TRANSIT, MatchedBy.TEXT)
    assert (unreadable.status, unreadable.matched_by) == (T.IN_TRANSIT, MatchedBy.DEFAULT)


def test_an_unknown_carrier_is_read_from_the_text_alone():
    assert tracking_normalise("pigeon_post", "7", "Out for delivery").status is T.OUT_FOR_DELIVERY


def test_code_tables_use_only_the_vocabulary():
    assert {rule.status for table in CODE_TABLES.values() for rule in table.values()} <= set(T) - {T.EXPIRED}


def _event(
    hours: float,
    status: TrackingStatus,
    *,
    is_customs_hold: bool = False,
    is_refused_for_charges: bool = False,
) -> TrackedEvent:
    return TrackedEvent(
        at=START + dt.timedelta(hours=hours),
        status=status,
        raw_text=status.value,
        is_customs_hold=is_customs_hold,
        is_refused_for_charges=is_refused_for_charges,
    )


def test_a_parcel_takes_the_status_of_its_latest_event_whatever_order_they_arrive_in():
    events = [_event(30, T.OUT_FOR_DELIVERY), _event(0, T.INFO_RECEIVED), _event(5, T.IN_TRANSIT)]

    state = parcel_status(events)

    assert state.status is T.OUT_FOR_DELIVERY and state.since == START + dt.timedelta(hours=30)
    assert [e.status for e in state.events] == [T.INFO_RECEIVED, T.IN_TRANSIT, T.OUT_FOR_DELIVERY]


def test_a_late_scan_after_delivery_does_not_reopen_the_parcel_but_a_return_does():
    delivered = [_event(0, T.IN_TRANSIT), _event(20, T.DELIVERED), _event(21, T.IN_TRANSIT)]
    returned = [*delivered, _event(50, T.RETURNED_TO_SENDER)]

    assert parcel_status(delivered).status is T.DELIVERED
    assert parcel_status(delivered).delivered_at == START + dt.timedelta(hours=20)
    assert parcel_status(delivered).last_scan_at == START + dt.timedelta(hours=21)
    assert parcel_status(returned).status is T.RETURNED_TO_SENDER


def test_a_parcel_without_events_is_pending():
    state = parcel_status([])
    assert state.status is T.PENDING and state.last_event is None and not state.is_terminal


@pytest.mark.parametrize(
    ("kind", "quiet", "expired"),
    [
        (EXPRESS, dt.timedelta(days=29, hours=23), False),
        (EXPRESS, dt.timedelta(days=30), True),
        (POSTAL, dt.timedelta(days=59, hours=23), False),
        (POSTAL, dt.timedelta(days=60), True),
    ],
)
def test_a_parcel_expires_after_30_days_without_a_scan_on_express_and_60_on_postal(kind, quiet, expired):
    assert is_expired(START, START + quiet, service_kind=kind) is expired
    state = parcel_status([_event(0, T.IN_TRANSIT)], now=START + quiet, service_kind=kind)
    assert (state.status is T.EXPIRED) is expired


def test_a_delivered_parcel_never_expires_and_naive_times_are_refused():
    state = parcel_status([_event(0, T.DELIVERED)], now=START + dt.timedelta(days=400), service_kind=EXPRESS)
    assert state.status is T.DELIVERED
    with pytest.raises(ValueError, match="aware"):
        is_expired(START.replace(tzinfo=None), START, service_kind=EXPRESS)


def _kinds(events, hours: float, kind: ServiceKind = EXPRESS, **kwargs) -> list[AlertKind]:
    now = START + dt.timedelta(hours=hours)
    return [alert.kind for alert in alerts_for(events, now=now, service_kind=kind, **kwargs)]


def test_a_customs_hold_alert_stays_open_until_the_parcel_moves_on():
    held = [_event(0, T.IN_TRANSIT), _event(10, T.EXCEPTION, is_customs_hold=True)]
    still_held = [*held, _event(30, T.EXCEPTION, is_customs_hold=True)]
    released = [*held, _event(40, T.IN_TRANSIT)]

    assert _kinds(held, 12) == [AlertKind.CUSTOMS_HOLD]  # its own alert, not a generic exception
    assert _kinds(still_held, 32) == [AlertKind.CUSTOMS_HOLD]
    assert _kinds(released, 42) == []


def test_a_refusal_over_charges_stays_open_through_the_return_until_a_delivery():
    refused = [_event(0, T.OUT_FOR_DELIVERY), _event(3, T.EXCEPTION, is_refused_for_charges=True)]
    returning = [*refused, _event(30, T.RETURNED_TO_SENDER)]
    delivered_after_all = [*refused, _event(50, T.DELIVERED)]

    assert _kinds(refused, 4) == [AlertKind.REFUSED_FOR_CHARGES]
    assert _kinds(returning, 31) == [AlertKind.REFUSED_FOR_CHARGES]
    assert _kinds(delivered_after_all, 51) == []


def test_an_exception_alert_is_open_while_the_latest_event_is_an_exception():
    damaged = [_event(0, T.IN_TRANSIT), _event(5, T.EXCEPTION)]
    repaired = [*damaged, _event(20, T.OUT_FOR_DELIVERY)]

    alerts = alerts_for(damaged, now=START + dt.timedelta(hours=6), service_kind=EXPRESS)

    assert [a.kind for a in alerts] == [AlertKind.EXCEPTION] and alerts[0].detail == "exception: exception"
    assert _kinds(repaired, 21) == []


@pytest.mark.parametrize(
    ("kind", "days", "expected"),
    [
        (EXPRESS, 2.9, []),
        (EXPRESS, 3, [AlertKind.NO_SCAN]),
        (POSTAL, 6.9, []),
        (POSTAL, 7, [AlertKind.NO_SCAN]),
        (EXPRESS, 30, [AlertKind.EXPIRED]),  # expired replaces no scan
        (POSTAL, 45, [AlertKind.NO_SCAN]),
        (POSTAL, 60, [AlertKind.EXPIRED]),
    ],
)
def test_a_parcel_without_scans_for_n_days_raises_no_scan_then_expired(kind, days, expected):
    assert _kinds([_event(0, T.IN_TRANSIT)], days * 24, kind) == expected


def test_the_no_scan_limit_can_be_set_and_counts_from_the_label_when_nothing_was_scanned():
    assert _kinds([_event(0, T.IN_TRANSIT)], 30, no_scan_days=1) == [AlertKind.NO_SCAN]
    assert _kinds([], 24 * 4, labelled_at=START) == [AlertKind.NO_SCAN]
    assert _kinds([], 24 * 4) == []  # no label time, nothing to count from


def test_a_delivered_parcel_raises_nothing_however_quiet():
    assert _kinds([_event(0, T.IN_TRANSIT), _event(5, T.DELIVERED)], 24 * 90) == []


def test_a_raw_carrier_event_normalises_with_its_time_location_and_flags():
    raw = RawTrackingEvent("fedex", "700000000010", START, "CD", "Clearance delay - Import", "Memphis, TN")

    event = event_normalise(raw)

    assert event == TrackedEvent(
        at=START,
        status=T.EXCEPTION,
        raw_code="CD",
        raw_text="Clearance delay - Import",
        location="Memphis, TN",
        is_customs_hold=True,
    )
