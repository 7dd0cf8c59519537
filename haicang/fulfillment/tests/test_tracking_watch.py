"""The tracking watch job: no-scan alerts, expiry by service kind, and polling the sandbox carrier."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from haicang.core.jobs.registry import periodic_jobs_declared
from haicang.core.jobs.services import scheduled_job_upsert
from haicang.fulfillment import tracking_rules
from haicang.fulfillment.carrier_ledger import adapter_for_carrier
from haicang.fulfillment.carriers.base import ServiceKind
from haicang.fulfillment.models import TrackingAlert, TrackingEvent, TrackingSource
from haicang.fulfillment.tasks import TRACKING_WATCH, tracking_watch
from haicang.fulfillment.tests.factories import make_fulfilment_world, make_shipped_parcel
from haicang.fulfillment.tracking import tracked_events, tracking_alert_resolve, tracking_event_record
from haicang.fulfillment.tracking_watch import tracking_watch_run
from haicang.integration.models import OutboxEvent
from haicang.parties.tests.factories import SYSTEM

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    return make_fulfilment_world(stock=0)


@pytest.fixture
def now():
    return timezone.now().replace(microsecond=0)


def days(n: float) -> dt.timedelta:
    return dt.timedelta(days=n)


def shipped_with_last_scan(world, now, *, carrier="UPS", quiet_days: float):
    """A parcel whose one scan (in transit) was ``quiet_days`` ago."""
    parcel = make_shipped_parcel(world, carrier=carrier, shipped_at=now - days(quiet_days + 1))
    tracking_event_record(
        actor=SYSTEM, parcel=parcel, occurred_at=now - days(quiet_days), raw_code="",
        raw_text="Departed from facility", source=TrackingSource.API, now=now - days(quiet_days),
    )  # fmt: skip
    parcel.refresh_from_db()
    return parcel


def run(now, **kwargs):
    return tracking_watch_run(actor=SYSTEM, now=now, poll=False, **kwargs)


def open_kinds(parcel):
    return set(
        TrackingAlert.objects.filter(parcel=parcel, resolved_at__isnull=True).values_list("kind", flat=True)
    )


def test_a_parcel_without_a_scan_for_n_days_gets_one_no_scan_alert(world, now):
    quiet = shipped_with_last_scan(world, now, quiet_days=6)
    busy = shipped_with_last_scan(world, now, quiet_days=2)

    report = run(now, no_scan_days=5)
    again = run(now + dt.timedelta(hours=1), no_scan_days=5)

    assert open_kinds(quiet) == {"no_scan"} and open_kinds(busy) == set()
    assert (report.raised, again.raised) == (1, 0)
    alert = TrackingAlert.objects.get(parcel=quiet)
    assert alert.detail == "no scan for 6 days (limit 5)"
    assert (
        OutboxEvent.objects.filter(event_type="tracking.alert_raised", subject_id=str(alert.pk)).count() == 1
    )


def test_the_default_limit_depends_on_the_service_kind(world, now):
    express = shipped_with_last_scan(world, now, carrier="UPS", quiet_days=4)
    postal = shipped_with_last_scan(world, now, carrier="USPS", quiet_days=4)

    run(now)

    assert open_kinds(express) == {"no_scan"}  # 3 days on express services
    assert open_kinds(postal) == set()  # 7 on postal ones


def test_a_parcel_expires_after_30_days_express_and_60_postal(world, now):
    express = shipped_with_last_scan(world, now, carrier="UPS", quiet_days=31)
    postal = shipped_with_last_scan(world, now, carrier="USPS", quiet_days=31)
    postal_old = shipped_with_last_scan(world, now, carrier="USPS", quiet_days=61)
    version = express.version

    report = run(now, no_scan_days=5)

    for parcel in (express, postal, postal_old):
        parcel.refresh_from_db()
    assert (express.tracking_status, postal.tracking_status, postal_old.tracking_status) == (
        "expired", "in_transit", "expired",
    )  # fmt: skip
    assert (open_kinds(express), open_kinds(postal), open_kinds(postal_old)) == (
        {"expired"}, {"no_scan"}, {"expired"},
    )  # fmt: skip
    assert report.expired == 2
    assert express.version == version + 1
    assert OutboxEvent.objects.filter(
        event_type="tracking.updated", subject_id=str(express.pk), subject_version=express.version
    ).exists()
    # expired parcels are no longer watched
    assert run(now + days(1), no_scan_days=5).checked == 1


def test_a_new_scan_resolves_the_no_scan_alert_and_a_late_old_one_does_not(world, now):
    parcel = shipped_with_last_scan(world, now - days(1), quiet_days=6)
    run(now - days(1), no_scan_days=5)
    assert open_kinds(parcel) == {"no_scan"}

    # a scan from before the alert, arriving late, leaves it to the watch
    tracking_event_record(
        actor=SYSTEM, parcel=parcel, occurred_at=now - days(6), raw_code="", raw_text="Arrived at facility",
        source=TrackingSource.API, now=now,
    )  # fmt: skip
    assert open_kinds(parcel) == {"no_scan"}

    # a scan made after it resolves it at once
    tracking_event_record(
        actor=SYSTEM, parcel=parcel, occurred_at=now - dt.timedelta(hours=1), raw_code="",
        raw_text="Out for delivery", source=TrackingSource.API, now=now,
    )  # fmt: skip
    assert open_kinds(parcel) == set()
    assert TrackingAlert.objects.get(parcel=parcel).resolved_by == "system:fulfillment.tracking"


def test_a_no_scan_alert_resolved_by_hand_is_not_raised_again_until_the_next_quiet_spell(world, now):
    parcel = shipped_with_last_scan(world, now, quiet_days=6)
    run(now, no_scan_days=5)
    tracking_alert_resolve(actor=SYSTEM, alert=TrackingAlert.objects.get(parcel=parcel), note="asked UPS")

    run(now + days(1), no_scan_days=5)

    assert open_kinds(parcel) == set()
    assert TrackingAlert.objects.filter(parcel=parcel).count() == 1


def test_the_watch_polls_the_sandbox_carrier_and_records_its_scans_once(world, now):
    # given a parcel labelled through the sandbox (UPS's stand-in) ten days ago
    parcel = make_shipped_parcel(
        world, carrier="UPS", tracking_number="1ZHC58X10312345678", shipped_at=now - days(10)
    )
    expected = [e for e in adapter_for_carrier("UPS").track(parcel.tracking_number) if e.at <= now]
    assert expected  # the sandbox knows the label

    report = tracking_watch_run(actor=SYSTEM, now=now, poll=True)
    again = tracking_watch_run(actor=SYSTEM, now=now, poll=True)

    stored = list(TrackingEvent.objects.filter(parcel=parcel).order_by("occurred_at", "received_at"))
    assert [(e.occurred_at, e.raw_code, e.raw_text) for e in stored] == [
        (e.at, e.code, e.text) for e in expected
    ]
    assert {e.source for e in stored} == {"carrier"}
    assert (report.polled, report.scans, again.scans) == (1, len(expected), 0)
    parcel.refresh_from_db()
    state = tracking_rules.parcel_status(
        tracked_events(parcel),
        now=now,
        service_kind=ServiceKind.EXPRESS,
        labelled_at=parcel.shipped_at,
    )
    assert parcel.tracking_status == state.status.value


def test_the_job_is_declared_hourly_and_its_task_runs(world, now):
    parcel = shipped_with_last_scan(world, timezone.now(), quiet_days=6)
    [job] = [job for job in periodic_jobs_declared() if job.name == TRACKING_WATCH]
    assert (job.task_path, job.interval_seconds) == ("haicang.fulfillment.tasks.tracking_watch", 3600)
    scheduled_job_upsert(
        actor=SYSTEM, name=job.name, task_path=job.task_path, kwargs=dict(job.kwargs), interval_seconds=3600
    )

    result = tracking_watch.call(no_scan_days=5, poll=False)

    assert result["raised"] == 1 and open_kinds(parcel) == {"no_scan"}
