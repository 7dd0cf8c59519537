"""The demo's day of warehouse work (haicang/demo/fulfillment.py, "The day's operations"): every warehouse has
waves, pick lists, parcels and tracking from its morning, work waiting at every stage, today's throughput spread
over the morning — and the ledger still consistent."""

from __future__ import annotations

import datetime as dt
import io
from collections import Counter
from zoneinfo import ZoneInfo

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.utils import timezone

from haicang.core.actors import Actor
from haicang.demo.fulfillment import DAYS, Morning, demo_operations_build
from haicang.demo.seed import demo_world_seed
from haicang.demo.world import SELLER_CODE
from haicang.fulfillment.models import (
    Outbound,
    Parcel,
    PickException,
    PickList,
    PickScan,
    TrackingAlert,
    TrackingEvent,
    Wave,
)
from haicang.fulfillment.queue_selectors import throughput_today, warehouse_queues
from haicang.inventory.verify import ledger_verify
from haicang.network.models import Warehouse
from haicang.orders.models_fulfilment import FulfillmentRequest
from haicang.orders.sla import request_sla_state
from haicang.parties.access import scope_for_user
from haicang.parties.models import Seller

pytestmark = pytest.mark.django_db

MANAGERS = {"LAX1": "pacific.manager", "FRA1": "eurohub.manager", "BHX1": "eurohub.manager"}


def _by_status(queryset, warehouse) -> Counter[str]:
    return Counter(queryset.filter(warehouse=warehouse).values_list("status", flat=True))


def test_every_demo_warehouse_has_worked_its_morning_and_has_work_waiting_at_every_stage():
    # given the demo world with its sales, when it is seeded
    demo_world_seed(actor=Actor.system("demo"))
    now = timezone.now()

    for warehouse in Warehouse.objects.filter(code__in=list(DAYS)).order_by("code"):
        code = warehouse.code
        # then the morning's waves are released (and done), one wave is planned, requests wait for a wave and
        # to be accepted
        waves = _by_status(Wave.objects, warehouse)
        assert waves["planned"] >= 1 and waves["done"] + waves["released"] >= 3, (code, waves)
        outbounds = _by_status(Outbound.objects, warehouse)
        for status in ("to_wave", "waved", "picking", "picked", "packed", "shipped"):
            assert outbounds[status] >= 1, (code, status, outbounds)
        assert FulfillmentRequest.objects.filter(warehouse=warehouse, status="submitted").exists(), code
        # pick lists picked bin by bin, one being picked now, and a wrong item refused and kept
        lists = _by_status(PickList.objects, warehouse)
        assert lists["done"] >= 2 and lists["in_progress"] >= 1, (code, lists)
        scans = Counter(
            PickScan.objects.filter(pick_list__warehouse=warehouse).values_list("result", "reason_code")
        )
        assert scans[("accepted", "")] >= 10 and scans[("refused", "pick.wrong_item")] == 1, (code, scans)
        # parcels packed in the suggested box, labelled, two shipped, one waiting at the dock, one without label
        parcels = list(Parcel.objects.filter(warehouse=warehouse))
        assert all(p.box_type_id == p.suggested_box_id is not None for p in parcels), code
        assert Counter(p.status for p in parcels) == {"shipped": 2, "labelled": 1, "packed": 1}, code
        assert all(p.tracking_number and p.label_zpl for p in parcels if p.status != "packed"), code
        # the shipped parcels have the carrier's scans
        shipped = [p for p in parcels if p.status == "shipped"]
        assert all(TrackingEvent.objects.filter(parcel=p).exists() for p in shipped), code
        # the work queues page counts work at every stage and today's throughput spreads over the morning
        scope = scope_for_user(get_user_model().objects.get(username=MANAGERS[code]))
        [queues] = warehouse_queues(scope, warehouses=[warehouse], now=now)
        for stage in ("to_accept", "to_wave", "to_pick", "to_pack", "to_ship"):
            assert getattr(queues, stage) > 0, (code, stage)
        throughput = throughput_today(scope, warehouse=warehouse, now=now)
        assert all(total > 0 for total in throughput.totals.values()), (code, throughput.totals)
        assert throughput.totals["parcels_shipped"] == 2, code
        morning = Morning.of(warehouse, now)
        if morning.end - morning.start >= dt.timedelta(hours=2):
            zone = ZoneInfo(warehouse.time_zone)
            hours = {p.shipped_at.astimezone(zone).hour for p in shipped if p.shipped_at}
            busy = [hour for hour, *figures in throughput.rows if any(figures)]
            assert len(hours) == 2 and len(busy) >= 3, (code, hours, busy)

    # one short pick left open at LAX1 (its bin flagged for a count), one parcel damaged in transit
    assert list(PickException.objects.values_list("warehouse__code", "status")) == [("LAX1", "open")]
    assert list(TrackingAlert.objects.filter(resolved_at=None).values_list("kind", flat=True)) == [
        "exception"
    ]
    # the sales demo's at-risk and late requests are still there to see, and the ledger is consistent
    states = Counter(str(request_sla_state(r, now=now)) for r in FulfillmentRequest.objects.all())
    assert states["at_risk"] >= 1 and states["late"] >= 1
    assert ledger_verify() == []
    out = io.StringIO()
    call_command("verify", stdout=out)
    assert "consistent" in out.getvalue()


def test_the_days_operations_run_once():
    # given a seeded demo
    demo_world_seed(actor=Actor.system("demo"))
    counts = (
        Wave.objects.count(),
        PickScan.objects.count(),
        Parcel.objects.count(),
        TrackingEvent.objects.count(),
    )

    # when the day's operations are asked for again
    again = demo_operations_build(actor=Actor.system("demo"), seller=Seller.objects.get(code=SELLER_CODE))

    # then nothing is done
    assert again is None
    assert (
        Wave.objects.count(),
        PickScan.objects.count(),
        Parcel.objects.count(),
        TrackingEvent.objects.count(),
    ) == counts


@pytest.mark.parametrize(
    ("local", "start", "end"),
    [
        ("15:00", "07:00", "14:40"),  # a working day: from the shift's start to twenty minutes ago
        ("08:00", "05:40", "07:40"),  # early: the two hours before
        ("01:00", "00:00", "00:48"),  # just after midnight: never yesterday
        ("00:10", "00:00", "00:08"),
    ],
)
def test_the_morning_is_today_in_the_warehouses_time_zone_whenever_the_demo_is_seeded(local, start, end):
    # given a warehouse in Los Angeles and the local time of the seeding
    warehouse = Warehouse(code="LAX1", time_zone="America/Los_Angeles")
    zone = ZoneInfo("America/Los_Angeles")
    hour, minute = map(int, local.split(":"))
    now = dt.datetime(2026, 11, 25, hour, minute, tzinfo=zone).astimezone(dt.UTC)

    # when the morning is laid out
    morning = Morning.of(warehouse, now)

    # then it runs from start to end, local time, that same day
    assert morning.start.astimezone(zone).strftime("%d %H:%M") == f"25 {start}"
    assert morning.end.astimezone(zone).strftime("%d %H:%M") == f"25 {end}"
    assert morning.at(0) == morning.start and morning.at(1) == morning.end
