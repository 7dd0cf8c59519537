"""The operator's work queues: counts per warehouse (never another operator's), the next pick-ups, today's
throughput per local hour, and the page (the header's "Outbound" entry leads to it; sellers get 403)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client
from django.utils import timezone

from haicang.fulfillment.models import (
    OutboundStatus,
    Parcel,
    ParcelStatus,
    PickList,
    PickScan,
    ScanResult,
    TrackingAlert,
    TrackingAlertKind,
)
from haicang.fulfillment.queue_selectors import operator_warehouses, throughput_today, warehouse_queues
from haicang.fulfillment.setup import pickup_schedule_create
from haicang.fulfillment.tests.factories import (
    make_fulfilment_world,
    make_in_progress_request,
    make_outbound,
    make_picked_outbound,
    make_shipped_parcel,
)
from haicang.fulfillment.views_queues import countdown_text
from haicang.network.tests.factories import make_warehouse
from haicang.orders.fulfilment import fulfilment_request_create
from haicang.orders.tests.factories import line, make_order
from haicang.parties.access import scope_for_user
from haicang.parties.tests.factories import SYSTEM, make_member, make_seller

pytestmark = pytest.mark.django_db
LA = dt.timezone(dt.timedelta(hours=-8))  # Los Angeles in winter (PST)
# Tuesday 3 March 2026, 14:20 in Los Angeles.
NOW = dt.datetime(2026, 3, 3, 14, 20, tzinfo=LA)


def _busy(world, *, accepted: bool = False) -> None:
    """One request to accept, and outbounds in every queue: 1 to wave, 2 to pick, 1 to pack, 1 to ship, 1 in
    exception, 1 shipped with an open and a resolved tracking alert."""
    order = make_order(world.account, lines=(line(world.channel_skus["TEE"], 1),))
    fulfilment_request_create(actor=SYSTEM, order=order, warehouse=world.warehouse)
    for status in (
        OutboundStatus.TO_WAVE,
        OutboundStatus.PICKING,
        OutboundStatus.PICKING,
        OutboundStatus.PICKED,
        OutboundStatus.PACKED,
        OutboundStatus.EXCEPTION,
    ):
        make_outbound(world, make_in_progress_request(world, reserve=False), status=status)
    parcel = make_shipped_parcel(world)
    now = timezone.now()
    TrackingAlert.objects.create(parcel=parcel, kind=TrackingAlertKind.CUSTOMS_HOLD, raised_at=now)
    TrackingAlert.objects.create(
        parcel=parcel, kind=TrackingAlertKind.NO_SCAN, raised_at=now, resolved_at=now, resolved_by="x"
    )


def _scope(party, role="warehouse_staff"):
    return scope_for_user(make_member(party, role).user)


def test_each_queue_counts_the_warehouses_own_work_and_never_another_operators():
    world, stranger = make_fulfilment_world(stock=0), make_fulfilment_world(stock=0)
    _busy(world)
    _busy(stranger)
    quiet = make_warehouse(world.operator, code="BHX9", country="GB", markets=["GB"])
    scope = _scope(world.operator)

    idle, busy = warehouse_queues(scope, warehouses=operator_warehouses(scope), now=NOW)

    assert (idle.warehouse, idle.total, idle.tracking_alerts) == (quiet, 0, 0)
    assert busy.warehouse == world.warehouse
    counts = (
        busy.to_accept,
        busy.to_wave,
        busy.to_pick,
        busy.to_pack,
        busy.to_ship,
        busy.exceptions,
        busy.tracking_alerts,
    )
    assert counts == (1, 1, 2, 1, 1, 1, 1)
    assert operator_warehouses(scope, warehouse_id=str(quiet.pk)) == [quiet]
    assert operator_warehouses(scope, warehouse_id=str(stranger.warehouse.pk)) == [quiet, world.warehouse]


def test_the_next_pick_ups_come_soonest_first_with_the_work_planned_for_them():
    world = make_fulfilment_world(stock=0)
    ups, usps = world.services["UPS"].carrier, world.services["USPS"].carrier
    pickup_schedule_create(actor=SYSTEM, warehouse=world.warehouse, carrier=ups, pickup_time="16:00")
    pickup_schedule_create(actor=SYSTEM, warehouse=world.warehouse, carrier=usps, pickup_time="15:00")
    planned = make_outbound(
        world, make_in_progress_request(world, reserve=False), status=OutboundStatus.PICKING
    )
    planned.planned_service = world.services["UPS"]
    planned.pickup_at = NOW.replace(hour=16, minute=0)
    planned.save(update_fields=["planned_service", "pickup_at"])
    scope = _scope(world.operator)

    [found] = warehouse_queues(scope, warehouses=[world.warehouse], now=NOW)

    assert [(p.carrier_code, p.pickup_at.astimezone(LA).hour, p.minutes_left) for p in found.pickups] == [
        ("USPS", 15, 40),
        ("UPS", 16, 100),
    ]
    assert (found.pickups[1].outbounds, found.pickups[1].not_picked) == (1, 1)


def test_throughput_counts_units_picked_and_parcels_packed_and_shipped_per_local_hour_of_today():
    world = make_fulfilment_world()
    outbound = make_picked_outbound(world)
    pick_list = PickList.objects.get(tasks__outbound=outbound)

    def scan(at: dt.datetime, quantity: int, result: str = ScanResult.ACCEPTED, barcode: str = "BC") -> None:
        PickScan.objects.create(
            pick_list=pick_list, barcode=barcode, quantity=quantity, result=result, occurred_at=at
        )

    at = NOW.replace  # local times of today
    scan(at(hour=9, minute=5), 2)
    scan(at(hour=9, minute=55), 3)
    scan(at(hour=11, minute=0), 1)
    scan(at(hour=11, minute=1), 5, result=ScanResult.REFUSED)  # refused: not picked
    scan(at(hour=10, minute=0), 0, barcode="")  # a bin scan: no unit
    scan(at(hour=0, minute=0) - dt.timedelta(minutes=1), 4)  # yesterday
    packed = make_shipped_parcel(world, shipped_at=at(hour=13, minute=30))
    Parcel.objects.filter(pk=packed.pk).update(packed_at=at(hour=11, minute=45))
    voided = make_shipped_parcel(world, status=ParcelStatus.VOIDED)
    Parcel.objects.filter(pk=voided.pk).update(packed_at=at(hour=11, minute=50))
    make_shipped_parcel(world, shipped_at=at(hour=14, minute=30))  # packed at 11:30, shipped after now

    figures = throughput_today(_scope(world.operator), warehouse=world.warehouse, now=NOW)

    assert figures.day == dt.date(2026, 3, 3) and figures.hours == list(range(15))
    assert figures.units_picked[9:12] == [5, 0, 1] and sum(figures.units_picked) == 6
    assert figures.parcels_packed[11] == 2 and sum(figures.parcels_packed) == 2
    assert figures.parcels_shipped[13] == 1 and sum(figures.parcels_shipped) == 1
    assert figures.totals == {"units_picked": 6, "parcels_packed": 2, "parcels_shipped": 1}
    assert figures.rows[9] == (9, 5, 0, 0)
    other = make_fulfilment_world(stock=0)
    assert throughput_today(_scope(other.operator), warehouse=world.warehouse, now=NOW).totals == {
        "units_picked": 0,
        "parcels_packed": 0,
        "parcels_shipped": 0,
    }


@pytest.mark.parametrize(
    ("seconds", "text"),
    [(3909, "in 1:05:09"), (59, "in 0:00:59"), (-720, "missed by 0:12:00"), (90000, "in 25:00:00")],
)
def test_a_countdown_reads_hours_minutes_and_seconds(seconds, text):
    assert countdown_text(dt.timedelta(seconds=seconds)) == text


def _browser(party, role="warehouse_staff") -> Client:
    client = Client()
    client.force_login(make_member(party, role).user)
    return client


def test_the_page_shows_each_queue_and_the_header_entry_leads_to_it():
    world = make_fulfilment_world(stock=0)
    _busy(world)
    pickup_schedule_create(
        actor=SYSTEM,
        warehouse=world.warehouse,
        carrier=world.services["UPS"].carrier,
        pickup_time="17:30",
        weekdays=range(1, 8),
    )
    client = _browser(world.operator)

    page = client.get("/fulfillment/queues/")

    html = page.content.decode()
    assert page.status_code == 200
    assert 'href="/fulfillment/queues/" aria-current="page">Outbound</a>' in html
    for key, count in (("to_accept", 1), ("to_pick", 2), ("to_ship", 1), ("tracking_alerts", 1)):
        assert f'data-queue="{key}"' in html
        assert page.context["sections"][0]["queues"].__getattribute__(key) == count
    assert 'data-carrier="UPS"' in html and "data-pickup-at=" in html
    assert "plotly.min.js" in html and f'id="throughput-{world.warehouse.code}-data"' in html
    assert f"/fulfillment/pick/?warehouse={world.warehouse.pk}" in html


def test_sellers_and_members_without_fulfillment_read_are_refused_the_page():
    world = make_fulfilment_world(stock=0)

    assert _browser(make_seller(), "owner").get("/fulfillment/queues/").status_code == 403
    assert _browser(world.operator, "billing").get("/fulfillment/queues/").status_code == 403
    assert Client().get("/fulfillment/queues/").status_code == 302  # to the sign-in page


def test_the_page_speaks_chinese():
    world = make_fulfilment_world(stock=0)
    client = _browser(world.operator)

    page = client.get("/fulfillment/queues/", HTTP_ACCEPT_LANGUAGE="zh-hans")

    html = page.content.decode()
    assert "工作队列" in html and "待拣货" in html
