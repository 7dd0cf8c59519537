"""Wave planning and release: grouping, the pre-selected service and pick-up, bins allocated FIFO/FEFO without
over-allocating, single and batch pick lists ordered along an improved walk, requests started."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from haicang.core.models import AuditEntry
from haicang.fulfillment.errors import NothingToWave
from haicang.fulfillment.models import (
    Outbound,
    OutboundStatus,
    PickList,
    PickListStatus,
    PickMode,
    PickTask,
    PickupSchedule,
    Wave,
    WaveStatus,
)
from haicang.fulfillment.tests.picking_factories import MONDAY_8, make_floor
from haicang.fulfillment.waves import WaveLimits, wave_cancel, wave_plan, wave_release
from haicang.integration.models import OutboxEvent
from haicang.inventory.counting import count_task_create
from haicang.orders.fulfilment import fulfilment_request_cancel_request
from haicang.orders.models_fulfilment import RequestStatus
from haicang.orders.tests.factories import SYSTEM

pytestmark = pytest.mark.django_db
LA = ZoneInfo("America/Los_Angeles")


@pytest.fixture
def floor():
    f = make_floor()
    tee, mug = f.sku("TEE", barcode="4006381333931"), f.sku("MUG", weight_g=900)
    f.receive(tee, "A-01-01-1-1", 30)
    f.receive(tee, "A-02-03-1-2", 30)
    f.receive(mug, "A-03-04-1-1", 30)
    f.receive(mug, "B-01-02-1-1", 5)
    return f


def _outbound(request):
    return Outbound.objects.get(request=request)


def test_planning_adopts_accepted_requests_and_groups_them_by_pickup_service_level_and_zone(floor):
    # given two standard requests, an express one, all accepted through the orders service (no outbound yet)
    tee, mug = floor.skus["TEE"], floor.skus["MUG"]
    first = floor.request((tee, 2))
    second = floor.request((tee, 1), (mug, 1))
    rush = floor.request((mug, 1), service_level="Next Day")

    # when the manager plans
    waves = wave_plan(actor=SYSTEM, warehouse=floor.warehouse, now=MONDAY_8)

    # then the express request has a wave of its own, first (faster levels first at one pick-up)
    assert [(w.service_level, w.request_count) for w in waves] == [("express", 1), ("ground", 2)]
    express, ground = waves
    assert set(Outbound.objects.filter(wave=ground).values_list("request_id", flat=True)) == {
        first.pk,
        second.pk,
    }
    assert _outbound(rush).wave == express
    # and each outbound has its estimates, zone, service, reason and the carrier's 16:00 pick-up
    one = _outbound(first)
    assert (one.status, one.units, one.lines, one.est_weight_g, one.zone) == (
        OutboundStatus.WAVED,
        2,
        1,
        800,
        "A",
    )
    assert one.planned_service == floor.ground and str(one.planned_cost.amount) == "4.10"
    assert "cheapest meeting Standard" in one.planned_reason
    assert one.pickup_at == dt.datetime(2026, 3, 2, 16, 0, tzinfo=LA)
    assert _outbound(rush).planned_service == floor.express
    assert all(w.status == WaveStatus.PLANNED and w.number.startswith("WAV-2026-") for w in waves)
    assert AuditEntry.objects.filter(action="wave.planned").count() == 2
    assert AuditEntry.objects.filter(action="outbound.created").count() == 3


def test_without_a_pickup_schedule_a_request_is_planned_against_its_due(floor):
    PickupSchedule.objects.all().delete()
    request = floor.request((floor.skus["TEE"], 1))

    [wave] = wave_plan(actor=SYSTEM, warehouse=floor.warehouse, now=MONDAY_8)

    assert _outbound(request).pickup_at is None
    assert wave.pickup_at == request.due_at


def test_a_pickup_closer_than_the_lead_time_is_not_planned_for(floor):
    request = floor.request((floor.skus["TEE"], 1))
    at_1530 = dt.datetime(2026, 3, 2, 15, 30, tzinfo=LA)

    wave_plan(actor=SYSTEM, warehouse=floor.warehouse, now=at_1530, limits=WaveLimits(pickup_lead_minutes=60))

    assert _outbound(request).pickup_at == dt.datetime(2026, 3, 3, 16, 0, tzinfo=LA)


def test_waves_are_split_at_the_limits(floor):
    for _ in range(5):
        floor.request((floor.skus["TEE"], 1))

    waves = wave_plan(
        actor=SYSTEM, warehouse=floor.warehouse, now=MONDAY_8, limits=WaveLimits(max_requests_per_wave=2)
    )

    assert [w.request_count for w in waves] == [2, 2, 1]


def test_nothing_waiting_is_refused_and_a_pending_cancellation_waits_for_its_answer(floor):
    with pytest.raises(NothingToWave):
        wave_plan(actor=SYSTEM, warehouse=floor.warehouse, now=MONDAY_8)
    asked = floor.request((floor.skus["TEE"], 1))
    fulfilment_request_cancel_request(actor=SYSTEM, request=asked, reason="customer changed mind")
    with pytest.raises(NothingToWave):
        wave_plan(actor=SYSTEM, warehouse=floor.warehouse, now=MONDAY_8)
    asked.refresh_from_db()
    assert asked.status == RequestStatus.ACCEPTED and not Wave.objects.exists()


def test_a_released_wave_has_single_lists_for_large_requests_and_batches_with_slots_for_small_ones(floor):
    # given a large request (12 units) and two small ones, in one wave
    tee, mug = floor.skus["TEE"], floor.skus["MUG"]
    large = floor.request((tee, 12))
    small_a = floor.request((tee, 1), (mug, 1))
    small_b = floor.request((mug, 2))
    [wave] = wave_plan(actor=SYSTEM, warehouse=floor.warehouse, now=MONDAY_8)

    # when it is released
    wave = wave_release(actor=SYSTEM, wave=wave, now=MONDAY_8)

    # then the large request is picked singly, the two small ones on one batch list with slots 1 and 2
    assert wave.status == WaveStatus.RELEASED
    single = PickList.objects.get(mode=PickMode.SINGLE)
    batch = PickList.objects.get(mode=PickMode.BATCH)
    assert set(single.tasks.values_list("outbound__request_id", flat=True)) == {large.pk}
    slots = {o.request_id: o.sort_slot for o in Outbound.objects.filter(pick_mode=PickMode.BATCH)}
    assert sorted(slot or 0 for slot in slots.values()) == [1, 2] and set(slots) == {small_a.pk, small_b.pk}
    assert all(t.sort_slot == slots[t.outbound.request_id] for t in batch.tasks.select_related("outbound"))
    # and every request has started, the seller told
    for request in (large, small_a, small_b):
        request.refresh_from_db()
        assert request.status == RequestStatus.IN_PROGRESS
        assert _outbound(request).status == OutboundStatus.PICKING
    assert (
        OutboxEvent.objects.filter(event_type="fulfillment_request.changed", subject_id=str(large.pk)).count()
        == 3
    )


def test_bins_are_taken_fifo_and_a_list_walks_its_stops_in_improved_order(floor):
    # given 30 tees in A-01-01 (received first) and 30 in A-02-03; a request for 35
    request = floor.request((floor.skus["TEE"], 35))
    [wave] = wave_plan(actor=SYSTEM, warehouse=floor.warehouse, now=MONDAY_8)

    wave_release(actor=SYSTEM, wave=wave, now=MONDAY_8)

    tasks = list(PickTask.objects.filter(outbound__request=request).order_by("stop"))
    assert [(t.location.code, t.quantity, t.stop) for t in tasks] == [
        ("A-01-01-1-1", 30, 1),
        ("A-02-03-1-2", 5, 2),
    ]
    pick_list = tasks[0].pick_list
    assert 0 < pick_list.route_distance_mm <= pick_list.sequence_distance_mm


def test_the_route_never_walks_further_than_the_pick_sequence_and_starts_at_the_dock(floor):
    # given one request whose bins lie at both ends of three aisles
    tee, mug = floor.skus["TEE"], floor.skus["MUG"]
    other = floor.sku("CAP")
    floor.receive(other, "A-03-01-1-1", 5)
    floor.receive(other, "A-01-04-1-2", 5)
    floor.request(
        (tee, 31), (mug, 32), (other, 10)
    )  # takes A-01-01, A-02-03, A-03-04, B-01-02, A-03-01, A-01-04
    [wave] = wave_plan(actor=SYSTEM, warehouse=floor.warehouse, now=MONDAY_8)

    wave_release(actor=SYSTEM, wave=wave, now=MONDAY_8)

    pick_list = PickList.objects.get()
    assert pick_list.tasks.values("location").distinct().count() == 6
    assert pick_list.route_distance_mm < pick_list.sequence_distance_mm


def test_open_work_is_never_allocated_twice_and_a_request_no_bin_can_fill_goes_to_exception(floor):
    # given 35 mugs in all; a first wave takes 30 of them
    mug = floor.skus["MUG"]
    floor.request((mug, 30))
    [first] = wave_plan(actor=SYSTEM, warehouse=floor.warehouse, now=MONDAY_8)
    wave_release(actor=SYSTEM, wave=first, now=MONDAY_8)
    # when two more requests for 5 and for 1 are released
    fits = floor.request((mug, 5))
    too_many = floor.request((mug, 1))
    [second] = wave_plan(actor=SYSTEM, warehouse=floor.warehouse, now=MONDAY_8)
    wave_release(actor=SYSTEM, wave=second, now=MONDAY_8)

    # then the 5 come from the bins' free units, and the last request waits in exception with the reason
    taken = {t.location.code: t.quantity for t in PickTask.objects.filter(outbound__request=fits)}
    assert sum(taken.values()) == 5
    stuck = _outbound(too_many)
    assert stuck.status == OutboundStatus.EXCEPTION and "no bin holds enough" in stuck.exception_reason
    too_many.refresh_from_db()
    assert too_many.status == RequestStatus.ACCEPTED  # not started


def test_fefo_takes_the_lot_expiring_first(floor):
    jam = floor.sku("JAM", track_lot=True, track_expiry=True)
    floor.receive(jam, "A-01-02-1-1", 10, lot_code="L-LATE", expires_on=dt.date(2027, 6, 1))
    floor.receive(jam, "A-02-01-1-1", 10, lot_code="L-SOON", expires_on=dt.date(2026, 9, 1))
    request = floor.request((jam, 4))
    [wave] = wave_plan(actor=SYSTEM, warehouse=floor.warehouse, now=MONDAY_8)

    wave_release(actor=SYSTEM, wave=wave, now=MONDAY_8)

    task = PickTask.objects.get(outbound__request=request)
    assert (task.location.code, task.lot_code, task.quantity) == ("A-02-01-1-1", "L-SOON", 4)


def test_a_bin_being_counted_is_skipped(floor):
    count_task_create(actor=SYSTEM, warehouse=floor.warehouse, locations=[floor.bin("A-01-01-1-1")])
    request = floor.request((floor.skus["TEE"], 2))
    [wave] = wave_plan(actor=SYSTEM, warehouse=floor.warehouse, now=MONDAY_8)

    wave_release(actor=SYSTEM, wave=wave, now=MONDAY_8)

    assert PickTask.objects.get(outbound__request=request).location.code == "A-02-03-1-2"


def test_a_request_cancelled_meanwhile_is_dropped_and_a_pending_cancellation_goes_back_to_the_queue(floor):
    from haicang.orders.fulfilment import fulfilment_request_cancel

    tee = floor.skus["TEE"]
    kept, cancelled, asked = floor.request((tee, 1)), floor.request((tee, 1)), floor.request((tee, 1))
    [wave] = wave_plan(actor=SYSTEM, warehouse=floor.warehouse, now=MONDAY_8)
    fulfilment_request_cancel(actor=SYSTEM, request=cancelled, reason="address undeliverable")
    fulfilment_request_cancel_request(actor=SYSTEM, request=asked, reason="changed mind")

    wave_release(actor=SYSTEM, wave=wave, now=MONDAY_8)

    assert _outbound(kept).status == OutboundStatus.PICKING
    assert _outbound(cancelled).status == OutboundStatus.CANCELLED
    assert (_outbound(asked).status, _outbound(asked).wave) == (OutboundStatus.TO_WAVE, None)


def test_cancelling_a_planned_wave_puts_its_requests_back_in_the_queue(floor):
    request = floor.request((floor.skus["TEE"], 1))
    [wave] = wave_plan(actor=SYSTEM, warehouse=floor.warehouse, now=MONDAY_8)

    wave = wave_cancel(actor=SYSTEM, wave=wave)

    assert wave.status == WaveStatus.CANCELLED
    assert (_outbound(request).status, _outbound(request).wave) == (OutboundStatus.TO_WAVE, None)
    [again] = wave_plan(actor=SYSTEM, warehouse=floor.warehouse, now=MONDAY_8)
    assert again.pk != wave.pk and Wave.objects.count() == 2


def test_a_wave_whose_requests_all_fail_is_done_at_once(floor):
    request = floor.request((floor.skus["MUG"], 36))  # 35 in the bins
    [wave] = wave_plan(actor=SYSTEM, warehouse=floor.warehouse, now=MONDAY_8)

    wave = wave_release(actor=SYSTEM, wave=wave, now=MONDAY_8)

    assert wave.status == WaveStatus.DONE and not PickList.objects.exists()
    assert _outbound(request).status == OutboundStatus.EXCEPTION


def test_pick_lists_are_numbered_per_operator_and_open(floor):
    floor.request((floor.skus["TEE"], 12))
    floor.request((floor.skus["MUG"], 1))
    [wave] = wave_plan(actor=SYSTEM, warehouse=floor.warehouse, now=MONDAY_8)

    wave_release(actor=SYSTEM, wave=wave, now=MONDAY_8)

    assert sorted(PickList.objects.values_list("number", flat=True)) == ["PCK-2026-000001", "PCK-2026-000002"]
    assert set(PickList.objects.values_list("status", flat=True)) == {PickListStatus.OPEN}
    assert AuditEntry.objects.filter(action="pick_list.created").count() == 2
    assert AuditEntry.objects.filter(action="wave.released").count() == 1
