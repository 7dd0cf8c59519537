"""Tracking: scans normalised and applied to parcels, replays, out-of-order arrivals, alerts raised and resolved,
messages that cannot be applied kept with their reason."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from haicang.channels.tests.event_schemas import assert_follows_catalogue
from haicang.core.audit import audit_entries_for
from haicang.fulfillment.errors import AlertAlreadyResolved, TrackingParcelVoided, TrackingTimeInvalid
from haicang.fulfillment.models import (
    ParcelStatus,
    TrackingAlert,
    TrackingEvent,
    TrackingMessage,
    TrackingSource,
)
from haicang.fulfillment.tests.factories import make_fulfilment_world, make_shipped_parcel
from haicang.fulfillment.tracking import (
    Outcome,
    TrackingInput,
    tracking_alert_resolve,
    tracking_event_record,
    tracking_ingest,
)
from haicang.integration.models import OutboxEvent
from haicang.integration.rendering import event_data
from haicang.parties.roles import PartyKind, permissions_for
from haicang.parties.scoping import Scope
from haicang.parties.tests.factories import SYSTEM, make_operator

pytestmark = pytest.mark.django_db

API = TrackingSource.API


@pytest.fixture
def world():
    return make_fulfilment_world(stock=0)


@pytest.fixture
def now():
    return timezone.now().replace(microsecond=0)


def _scope(kind: PartyKind, party_id) -> Scope:
    return Scope(actor=SYSTEM, party_kind=kind, party_id=party_id, permissions=permissions_for(kind, "owner"))


def scan(parcel, at, code, text, location="", **kwargs):
    return tracking_event_record(
        actor=SYSTEM, parcel=parcel, occurred_at=at, raw_code=code, raw_text=text, location=location,
        source=kwargs.pop("source", API), **kwargs,
    )  # fmt: skip


def events_of(kind, subject_id=None):
    rows = OutboxEvent.objects.filter(event_type=kind)
    return rows.filter(subject_id=str(subject_id)) if subject_id is not None else rows


def test_a_scan_is_normalised_with_its_raw_code_and_text_kept_and_both_parties_are_told(world, now):
    # given a parcel handed to UPS yesterday
    parcel = make_shipped_parcel(world, shipped_at=now - dt.timedelta(days=1))

    # when UPS reports it out for delivery (its broad code I, told by the text)
    recorded = scan(parcel, now - dt.timedelta(hours=1), "I", "Out For Delivery Today", "Pasadena, CA, US")

    # then
    assert recorded.outcome is Outcome.APPLIED
    event = recorded.event
    assert (event.status, event.raw_code, event.raw_text, event.location) == (
        "out_for_delivery", "I", "Out For Delivery Today", "Pasadena, CA, US",
    )  # fmt: skip
    parcel.refresh_from_db()
    assert (parcel.tracking_status, parcel.last_event_at, parcel.delivered_at) == (
        "out_for_delivery", now - dt.timedelta(hours=1), None,
    )  # fmt: skip
    [outbox] = events_of("tracking.updated", parcel.pk)
    assert (outbox.seller_id, outbox.operator_id, outbox.subject_version) == (
        world.seller.pk, world.operator.pk, parcel.version,
    )  # fmt: skip
    for kind, party in ((PartyKind.SELLER, world.seller.pk), (PartyKind.OPERATOR, world.operator.pk)):
        data = event_data(outbox, _scope(kind, party))
        assert data is not None
        assert_follows_catalogue("tracking.updated", data)
        assert data["status"] == "out_for_delivery"
        assert data["latest_event"]["raw_text"] == "Out For Delivery Today"
        assert data["tracking_url"] == f"https://track.example/{parcel.tracking_number}"
    assert event_data(outbox, _scope(PartyKind.OPERATOR, make_operator().pk)) is None
    assert "tracking.event_recorded" in set(
        audit_entries_for(subject=parcel).values_list("action", flat=True)
    )


def test_a_replay_of_a_scan_is_recognised_and_not_stored_twice(world, now):
    parcel = make_shipped_parcel(world, shipped_at=now - dt.timedelta(days=1))
    at = now - dt.timedelta(hours=3)
    scan(parcel, at, "I", "Departed from Facility")

    # when the carrier sends it again, respaced, with its time in another zone
    again = scan(
        parcel, at.astimezone(dt.timezone(dt.timedelta(hours=8))), " I ", "Departed  from   facility"
    )

    assert again.outcome is Outcome.DUPLICATE
    assert TrackingEvent.objects.filter(parcel=parcel).count() == 1
    assert events_of("tracking.updated", parcel.pk).count() == 1


def test_scans_arriving_out_of_order_are_applied_by_event_time(world, now):
    parcel = make_shipped_parcel(world, shipped_at=now - dt.timedelta(days=3))
    t = now - dt.timedelta(days=2)

    # the in-transit scan arrives before the older manifest scan
    scan(parcel, t + dt.timedelta(hours=10), "I", "Arrived at Facility", "Ontario, CA, US")
    scan(parcel, t, "M", "Shipper created a label, UPS has not received the package yet.")
    parcel.refresh_from_db()
    assert (parcel.tracking_status, parcel.last_event_at) == ("in_transit", t + dt.timedelta(hours=10))

    # delivered; then a late departure scan from before the delivery does not reopen the parcel
    scan(parcel, t + dt.timedelta(hours=30), "D", "DELIVERED", "Pasadena, CA, US")
    scan(parcel, t + dt.timedelta(hours=20), "I", "Departed from Facility")
    parcel.refresh_from_db()
    assert (parcel.tracking_status, parcel.delivered_at) == ("delivered", t + dt.timedelta(hours=30))
    assert parcel.last_event_at == t + dt.timedelta(hours=30)
    assert list(TrackingEvent.objects.filter(parcel=parcel).values_list("status", flat=True)) == [
        "info_received", "in_transit", "in_transit", "delivered",
    ]  # fmt: skip


def test_a_customs_hold_raises_its_alert_to_both_parties_and_a_release_resolves_it(world, now):
    parcel = make_shipped_parcel(world, shipped_at=now - dt.timedelta(days=2))

    held = scan(parcel, now - dt.timedelta(hours=5), "X", "Held by customs: awaiting clearance documents")

    parcel.refresh_from_db()
    assert parcel.tracking_status == "exception"
    assert held.event.is_customs_hold
    [alert] = held.raised
    assert (alert.kind, alert.resolved_at) == ("customs_hold", None)
    [raised] = events_of("tracking.alert_raised", alert.pk)
    assert (raised.seller_id, raised.operator_id) == (world.seller.pk, world.operator.pk)
    data = event_data(raised, _scope(PartyKind.SELLER, world.seller.pk))
    assert data is not None
    assert_follows_catalogue("tracking.alert_raised", data)
    assert (data["alert"]["kind"], data["status"]) == ("customs_hold", "exception")

    # when customs release it
    scan(
        parcel, now - dt.timedelta(hours=1), "I", "Released by clearance agency. Now in-transit for delivery"
    )

    alert.refresh_from_db()
    assert alert.resolved_at is not None and alert.resolved_by == "system:fulfillment.tracking"
    [resolved] = events_of("tracking.alert_resolved", alert.pk)
    resolved_data = event_data(resolved, _scope(PartyKind.OPERATOR, world.operator.pk))
    assert resolved_data is not None
    assert_follows_catalogue("tracking.alert_resolved", resolved_data)
    assert resolved_data["alert"]["resolved_by"] == "system:fulfillment.tracking"


def test_a_refusal_over_charges_stays_alerted_until_the_parcel_is_delivered(world, now):
    parcel = make_shipped_parcel(world, shipped_at=now - dt.timedelta(days=4))

    refused = scan(
        parcel, now - dt.timedelta(days=2), "X", "The receiver refused the delivery due to unpaid duties"
    )
    scan(parcel, now - dt.timedelta(days=1), "I", "Arrived at Facility")

    assert [a.kind for a in refused.raised] == ["refused_for_charges"]
    assert TrackingAlert.objects.get(parcel=parcel, kind="refused_for_charges").resolved_at is None

    scan(parcel, now - dt.timedelta(hours=1), "D", "DELIVERED")

    assert TrackingAlert.objects.get(parcel=parcel, kind="refused_for_charges").resolved_at is not None


def test_an_exception_resolved_by_hand_is_not_raised_again_for_the_same_cause_but_for_a_newer_one(world, now):
    parcel = make_shipped_parcel(world, shipped_at=now - dt.timedelta(days=3))
    [alert] = scan(parcel, now - dt.timedelta(hours=6), "X", "Damaged - the parcel will be returned").raised
    assert alert.kind == "exception"

    tracking_alert_resolve(actor=SYSTEM, alert=alert, note="Claim opened with UPS")
    with pytest.raises(AlertAlreadyResolved):
        tracking_alert_resolve(actor=SYSTEM, alert=alert)

    # a replay of that scan and an unrelated older one raise nothing
    scan(parcel, now - dt.timedelta(hours=6), "X", "Damaged - the parcel will be returned")
    scan(parcel, now - dt.timedelta(hours=7), "I", "Arrived at Facility")
    assert TrackingAlert.objects.filter(parcel=parcel).count() == 1

    # a newer exception does
    newer = scan(parcel, now - dt.timedelta(minutes=5), "X", "Delivery exception: address incomplete")
    assert [a.kind for a in newer.raised] == ["exception"]
    assert TrackingAlert.objects.filter(parcel=parcel, resolved_at__isnull=True).count() == 1
    entry = audit_entries_for(subject=alert).filter(action="tracking.alert_resolved").get()
    assert entry.changes["after"]["note"] == "Claim opened with UPS"


@pytest.mark.parametrize(
    "at",
    [
        "2026-11-27T07:41:00",  # no time zone
        "yesterday",
        "future",
        "before the label",
    ],
)
def test_an_implausible_time_is_refused(world, now, at):
    parcel = make_shipped_parcel(world, shipped_at=now - dt.timedelta(days=1))
    moment = {"future": now + dt.timedelta(days=2), "before the label": now - dt.timedelta(days=30)}.get(
        at, at
    )

    with pytest.raises(TrackingTimeInvalid):
        scan(parcel, moment, "I", "Arrived at Facility")

    assert not TrackingEvent.objects.filter(parcel=parcel).exists()


def test_a_voided_label_takes_no_scans(world, now):
    parcel = make_shipped_parcel(world, status=ParcelStatus.VOIDED)

    with pytest.raises(TrackingParcelVoided):
        scan(parcel, now, "I", "Arrived at Facility")


def test_ingest_applies_what_it_can_and_keeps_every_other_message_with_its_reason(world, now):
    # given one parcel of ours, and another operator's parcel with its own tracking number
    parcel = make_shipped_parcel(world, shipped_at=now - dt.timedelta(days=1))
    stranger = make_shipped_parcel(make_fulfilment_world(stock=0), shipped_at=now - dt.timedelta(days=1))
    at = (now - dt.timedelta(hours=2)).isoformat()
    items = [
        TrackingInput("ups", parcel.tracking_number.lower(), at, "I", "Arrived at Facility"),  # applied
        TrackingInput("UPS", parcel.tracking_number, at, "I", "Arrived at Facility"),  # replay
        TrackingInput("UPS", "1ZNOSUCHNUMBER0001", at, "D", "DELIVERED"),
        TrackingInput("UPS", stranger.tracking_number, at, "D", "DELIVERED"),  # not ours: unknown to us
        TrackingInput("Pony Express", parcel.tracking_number, at, "D", "DELIVERED"),
        TrackingInput("UPS", parcel.tracking_number, "2026-11-27 07:41", "D", "DELIVERED"),
        TrackingInput("UPS", parcel.tracking_number, at, "", ""),
    ]

    results = tracking_ingest(actor=SYSTEM, operator_id=world.operator.pk, source=API, items=items)

    assert [(r.outcome.value, r.reason_code) for r in results] == [
        ("applied", ""),
        ("duplicate", ""),
        ("kept", "tracking_unknown"),
        ("kept", "tracking_unknown"),
        ("kept", "carrier_unknown"),
        ("kept", "time_invalid"),
        ("kept", "input_invalid"),
    ]
    kept = TrackingMessage.objects.filter(operator=world.operator).order_by("received_at", "id")
    assert kept.count() == 5
    assert {m.reason_code for m in kept} == {
        "tracking_unknown",
        "carrier_unknown",
        "time_invalid",
        "input_invalid",
    }
    message = kept.get(tracking_number="1ZNOSUCHNUMBER0001")
    assert message.payload["text"] == "DELIVERED" and message.source == "api"
    assert not TrackingEvent.objects.filter(parcel=stranger).exists()
    parcel.refresh_from_db()
    assert parcel.tracking_status == "in_transit"
