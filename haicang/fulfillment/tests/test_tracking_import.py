"""The ``tracking_events`` import kind: carrier scans from a file, all or nothing, every problem by row and column."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from haicang.exchange.registry import ImportContext, importers
from haicang.exchange.running import import_run
from haicang.fulfillment.models import ParcelStatus, TrackingEvent
from haicang.fulfillment.tests.factories import make_fulfilment_world, make_shipped_parcel
from haicang.parties.tests.factories import SYSTEM

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    return make_fulfilment_world(stock=0)


def run(owner, text: str, **options: str):
    return import_run(
        importer=importers.get("tracking_events"),
        context=ImportContext(actor=SYSTEM, owner=owner, filename="ups-export.csv", options=options),
        data=text.encode(),
        fmt="csv",
    )


def local(hours_ago: float) -> str:
    """A Los Angeles wall-clock time without an offset, as a carrier's export prints it."""
    moment = timezone.now().astimezone(dt.timezone(dt.timedelta(hours=-8))) - dt.timedelta(hours=hours_ago)
    return moment.strftime("%Y-%m-%d %H:%M")


def test_the_kind_is_the_operators_with_fulfillment_write():
    importer = importers.get("tracking_events")

    assert importer.party_kinds == ("operator",) and importer.permission == "fulfillment:write"
    assert [c.name for c in importer.columns if c.required] == ["carrier", "tracking_number", "occurred_at"]


def test_a_carriers_export_imports_whole_with_its_own_headers_and_local_times(world):
    parcel = make_shipped_parcel(world, shipped_at=timezone.now() - dt.timedelta(days=2))
    other = make_shipped_parcel(world, carrier="USPS", shipped_at=timezone.now() - dt.timedelta(days=2))
    out_for_delivery = local(3)
    text = "\n".join(
        [
            "Courier,Tracking No.,Scan Time,Status Code,Description,Location",
            f'UPS,{parcel.tracking_number},{local(30)},I,Departed from Facility,"Ontario, CA, US"',
            f'UPS,{parcel.tracking_number},{out_for_delivery},I,Out For Delivery Today,"Pasadena, CA, US"',
            f'UPS,{parcel.tracking_number},{out_for_delivery},I,Out For Delivery Today,"Pasadena, CA, US"',
            f'usps,{other.tracking_number.lower()},{local(2)},01,Delivered,"Pasadena, CA 91101"',
        ]
    )

    outcome = run(world.operator, text, time_zone="Etc/GMT+8")

    assert outcome.problems == []
    assert outcome.counts == {"scans": 3, "replays": 1}
    parcel.refresh_from_db()
    other.refresh_from_db()
    assert (parcel.tracking_status, other.tracking_status) == ("out_for_delivery", "delivered")
    events = list(TrackingEvent.objects.filter(parcel=parcel).order_by("occurred_at"))
    assert [(e.raw_code, e.raw_text, e.location, e.source) for e in events] == [
        ("I", "Departed from Facility", "Ontario, CA, US", "csv"),
        ("I", "Out For Delivery Today", "Pasadena, CA, US", "csv"),
    ]
    pacific = dt.timezone(dt.timedelta(hours=-8))  # Etc/GMT+8 is eight hours behind UTC
    assert events[1].occurred_at == dt.datetime.fromisoformat(out_for_delivery).replace(tzinfo=pacific)

    # the same file again: only replays
    assert run(world.operator, text, time_zone="Etc/GMT+8").counts == {"scans": 0, "replays": 4}


def test_every_problem_is_named_by_row_and_column_and_nothing_is_written(world):
    parcel = make_shipped_parcel(world, shipped_at=timezone.now() - dt.timedelta(days=2))
    voided = make_shipped_parcel(world, status=ParcelStatus.VOIDED)
    stranger = make_shipped_parcel(make_fulfilment_world(stock=0))
    tn = parcel.tracking_number
    now = timezone.now()
    rows = [
        "carrier,tracking_number,occurred_at,code,text,location",
        f"UPS,{tn},{(now - dt.timedelta(hours=5)).isoformat()},I,Arrived at Facility,",  # row 2: fine
        f"Pony,{tn},{now.isoformat()},I,Arrived,",  # row 3: unknown carrier
        f"UPS,1ZNOSUCH,{now.isoformat()},I,Arrived,",  # row 4: unknown tracking number
        f"UPS,{stranger.tracking_number},{now.isoformat()},I,Arrived,",  # row 5: another operator's
        f"UPS,{tn},2026-11-27 07:41,I,Arrived,",  # row 6: no offset, no time zone given
        f"UPS,{tn},{(now + dt.timedelta(days=3)).isoformat()},I,Arrived,",  # row 7: ahead
        f"UPS,{tn},{(now - dt.timedelta(days=40)).isoformat()},I,Arrived,",  # row 8: before the label
        f"UPS,{tn},{now.isoformat()},{'X' * 41},Arrived,",  # row 9: code too long
        f"UPS,{tn},{now.isoformat()},,,",  # row 10: nothing said
        f"UPS,,{now.isoformat()},I,Arrived,",  # row 11: no tracking number
        f"UPS,{voided.tracking_number},{now.isoformat()},I,Arrived,",  # row 12: voided label
        f"UPS,{tn},soon,I,Arrived,",  # row 13: not a time
    ]

    outcome = run(world.operator, "\n".join(rows) + "\n")

    found = {(p.row, p.column, p.code) for p in outcome.problems}
    assert found == {
        (3, "carrier", "tracking.carrier_unknown"),
        (4, "tracking_number", "tracking.tracking_unknown"),
        (5, "tracking_number", "tracking.tracking_unknown"),
        (6, "occurred_at", "tracking.time_invalid"),
        (7, "occurred_at", "tracking.time_invalid"),
        (8, "occurred_at", "tracking.time_invalid"),
        (9, "code", "tracking.code_too_long"),
        (10, "code", "tracking.scan_empty"),
        (11, "tracking_number", "tracking.value_required"),
        (12, "tracking_number", "tracking.parcel_voided"),
        (13, "occurred_at", "tracking.time_invalid"),
    }
    assert all(p.reason for p in outcome.problems)
    assert not TrackingEvent.objects.exists()


def test_a_bad_time_zone_option_is_refused(world):
    importer = importers.get("tracking_events")

    assert importer.options_problems(world.operator, {"time_zone": "Mars/Olympus"}) != []
    assert importer.options_problems(world.operator, {"time_zone": "America/Los_Angeles"}) == []


def test_a_seller_cannot_import_scans(world):
    parcel = make_shipped_parcel(world)
    text = f"carrier,tracking_number,occurred_at,text\nUPS,{parcel.tracking_number},{timezone.now().isoformat()},Arrived\n"

    outcome = run(world.seller, text)

    assert [p.code for p in outcome.problems] == ["tracking.not_operator"]
    assert not TrackingEvent.objects.exists()
