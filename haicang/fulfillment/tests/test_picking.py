"""Picking: scan to confirm (bin, item, quantity), wrong scans refused and logged, short picks with a cycle count,
resolved from another bin or handed back to the seller's routing."""

from __future__ import annotations

import pytest

from haicang.core.models import AuditEntry
from haicang.fulfillment.errors import TransitionInvalid
from haicang.fulfillment.models import (
    ExceptionResolution,
    ExceptionStatus,
    Outbound,
    OutboundStatus,
    PickException,
    PickList,
    PickListStatus,
    PickMode,
    PickScan,
    PickTask,
    PickTaskStatus,
    ScanResult,
    WaveStatus,
)
from haicang.fulfillment.picking import (
    FoundInvalid,
    NoOtherBin,
    current_task,
    pick_exception_resolve,
    pick_list_start,
    pick_scan,
    pick_short,
)
from haicang.fulfillment.tests.picking_factories import MONDAY_8, make_floor
from haicang.fulfillment.waves import wave_plan, wave_release
from haicang.inventory.models import CountTask, CountTaskStatus
from haicang.orders.fulfilment import fulfilment_request_create
from haicang.orders.models_fulfilment import FulfillmentRequest, RequestStatus
from haicang.orders.tests.factories import SYSTEM
from haicang.parties.tests.factories import make_agreement

pytestmark = pytest.mark.django_db
GTIN = "4006381333931"


@pytest.fixture
def floor():
    f = make_floor()
    tee, mug = f.sku("TEE", barcode=GTIN), f.sku("MUG", barcode="0012345678905")
    f.receive(tee, "A-01-01-1-1", 20)
    f.receive(mug, "A-03-04-1-1", 4)
    f.receive(mug, "A-02-02-1-1", 10)
    return f


def _released(floor, *lines, **kw):
    request = floor.request(*lines, **kw)
    for wave in wave_plan(actor=SYSTEM, warehouse=floor.warehouse, now=MONDAY_8):
        wave_release(actor=SYSTEM, wave=wave, now=MONDAY_8)
    outbound = Outbound.objects.get(request=request)
    pick_list = PickTask.objects.filter(outbound=outbound)[0].pick_list
    return request, outbound, pick_list


def _current(pick_list):
    task = current_task(pick_list)
    assert task is not None
    return task


def _pick_all(pick_list):
    while (task := current_task(pick_list)) is not None:
        barcode = task.sku.barcodes.all()[0].value
        pick_scan(actor=SYSTEM, pick_list=pick_list, bin_code=task.location.code)
        scan = pick_scan(
            actor=SYSTEM,
            pick_list=pick_list,
            bin_code=task.location.code,
            barcode=barcode,
            quantity=task.quantity - task.picked_quantity,
        )
        assert scan.result == ScanResult.ACCEPTED, scan.message


def test_a_batch_list_picked_scan_by_scan_completes_the_outbounds_the_list_and_the_wave(floor):
    # given a batch list of two small requests, started by the picker
    _, first, pick_list = _released(floor, (floor.skus["TEE"], 2))
    assert pick_list.mode == PickMode.BATCH
    pick_list = pick_list_start(actor=SYSTEM, pick_list=pick_list, assignee="picker-7")
    assert (pick_list.status, pick_list.assignee) == (PickListStatus.IN_PROGRESS, "picker-7")
    task = _current(pick_list)

    # when the picker scans the bin, then the item with a quantity of 1, then 1 more
    bin_scan = pick_scan(actor=SYSTEM, pick_list=pick_list, bin_code=task.location.code.lower())
    one = pick_scan(actor=SYSTEM, pick_list=pick_list, bin_code=task.location.code, barcode=GTIN, quantity=1)
    task.refresh_from_db()
    assert (task.status, task.picked_quantity) == (PickTaskStatus.OPEN, 1)  # a partial pick: still current
    pick_scan(actor=SYSTEM, pick_list=pick_list, bin_code=task.location.code, barcode="TEE", quantity=1)

    # then every scan is kept, the task is picked, the outbound picked, the list and the wave done
    assert (bin_scan.result, bin_scan.quantity, one.result) == (ScanResult.ACCEPTED, 0, ScanResult.ACCEPTED)
    task.refresh_from_db()
    assert (task.status, task.picked_quantity, task.picked_by) == (PickTaskStatus.PICKED, 2, SYSTEM.label)
    first.refresh_from_db()
    pick_list.refresh_from_db()
    assert first.status == OutboundStatus.PICKED and first.picked_at is not None
    assert pick_list.status == PickListStatus.DONE
    assert pick_list.wave.status == WaveStatus.DONE
    assert PickScan.objects.filter(pick_list=pick_list).count() == 3
    assert AuditEntry.objects.filter(action="pick.scanned").count() == 2
    assert AuditEntry.objects.filter(action="outbound.picked", subject_id=str(first.pk)).exists()


@pytest.mark.parametrize(
    ("bin_code", "barcode", "quantity", "reason"),
    [
        ("A-02-02-1-1", "", 1, "pick.wrong_bin"),
        ("", GTIN, 1, "pick.wrong_bin"),
        ("A-01-01-1-1", "0000000000000", 1, "pick.unknown_barcode"),
        ("A-01-01-1-1", "0012345678905", 1, "pick.wrong_item"),
        ("A-01-01-1-1", GTIN, 3, "pick.wrong_quantity"),
        ("A-01-01-1-1", GTIN, 0, "pick.wrong_quantity"),
        ("A-01-01-1-1", GTIN, -1, "pick.wrong_quantity"),
    ],
)
def test_a_wrong_scan_is_refused_and_logged_and_nothing_is_applied(
    floor, bin_code, barcode, quantity, reason
):
    # given a started list whose current task takes 2 tees from A-01-01-1-1
    _, outbound, pick_list = _released(floor, (floor.skus["TEE"], 2))
    pick_list_start(actor=SYSTEM, pick_list=pick_list)
    task = _current(pick_list)

    # when the picker scans wrongly
    scan = pick_scan(actor=SYSTEM, pick_list=pick_list, bin_code=bin_code, barcode=barcode, quantity=quantity)

    # then the scan is refused with its reason, kept, audited, and the task is untouched
    assert (scan.result, scan.reason_code, scan.task_id) == (ScanResult.REFUSED, reason, task.pk)
    assert scan.message and PickScan.objects.filter(pk=scan.pk, result="refused").exists()
    task.refresh_from_db()
    assert (task.status, task.picked_quantity) == (PickTaskStatus.OPEN, 0)
    outbound.refresh_from_db()
    assert outbound.status == OutboundStatus.PICKING
    assert AuditEntry.objects.filter(action="pick.scan_refused").count() == 1


def test_a_short_pick_raises_an_exception_flags_the_bin_for_a_count_and_the_picker_goes_on(floor):
    # given a list taking 3 mugs from A-02-02-1-1 (first in walk order of the day's receipts) and a tee
    mug, tee = floor.skus["MUG"], floor.skus["TEE"]
    _, outbound, pick_list = _released(floor, (mug, 3), (tee, 1))
    pick_list_start(actor=SYSTEM, pick_list=pick_list)
    mug_task = PickTask.objects.get(outbound=outbound, sku=mug)
    assert mug_task.location.code == "A-02-02-1-1"

    # when the picker finds 1 mug where 3 were expected
    exception = pick_short(actor=SYSTEM, task=mug_task, found=1)

    # then the task is short by 2, the outbound in exception, a count asked for the bin
    mug_task.refresh_from_db()
    assert (mug_task.status, mug_task.picked_quantity, mug_task.short_quantity) == (
        PickTaskStatus.SHORT,
        1,
        2,
    )
    assert (exception.quantity, exception.status) == (2, ExceptionStatus.OPEN)
    outbound.refresh_from_db()
    assert (
        outbound.status == OutboundStatus.EXCEPTION
        and "2 × MUG missing at A-02-02-1-1" in outbound.exception_reason
    )
    count = CountTask.objects.get(warehouse=floor.warehouse)
    assert count.status == CountTaskStatus.OPEN and list(count.locations.all()) == [mug_task.location]
    # and the next stop is current
    assert _current(pick_list).sku == tee
    # and the short task cannot be short again
    with pytest.raises(TransitionInvalid):
        pick_short(actor=SYSTEM, task=mug_task, found=0)


def test_found_must_be_fewer_than_the_task_needs(floor):
    _, outbound, pick_list = _released(floor, (floor.skus["MUG"], 3))
    pick_list_start(actor=SYSTEM, pick_list=pick_list)
    task = PickTask.objects.get(outbound=outbound)
    with pytest.raises(FoundInvalid):
        pick_short(actor=SYSTEM, task=task, found=3)


def test_a_short_resolved_from_another_bin_adds_a_task_to_the_same_list_and_the_order_ships_whole(floor):
    # given a short of 2 mugs at A-02-02 (A-03-04 holds 4 more)
    mug = floor.skus["MUG"]
    _, outbound, pick_list = _released(floor, (mug, 3))
    pick_list_start(actor=SYSTEM, pick_list=pick_list)
    task = PickTask.objects.get(outbound=outbound)
    exception = pick_short(actor=SYSTEM, task=task, found=1)
    pick_list.refresh_from_db()
    assert pick_list.status == PickListStatus.DONE  # nothing left to pick…

    # when the manager resolves it from another bin
    resolved = pick_exception_resolve(
        actor=SYSTEM, exception=exception, resolution=ExceptionResolution.OTHER_BIN
    )

    # then a new task on the same list takes the 2 from A-03-04, the list and the outbound are open again
    assert (resolved.status, resolved.resolution) == (ExceptionStatus.RESOLVED, ExceptionResolution.OTHER_BIN)
    extra = PickTask.objects.get(outbound=outbound, status=PickTaskStatus.OPEN)
    assert (extra.pick_list_id, extra.location.code, extra.quantity) == (pick_list.pk, "A-03-04-1-1", 2)
    assert extra.stop > task.stop
    pick_list.refresh_from_db()
    outbound.refresh_from_db()
    assert (pick_list.status, outbound.status) == (PickListStatus.IN_PROGRESS, OutboundStatus.PICKING)
    # when it is picked, the outbound is picked
    _pick_all(pick_list)
    outbound.refresh_from_db()
    assert outbound.status == OutboundStatus.PICKED


def test_a_short_pick_with_no_other_bin_is_handed_back_and_the_seller_can_route_it_elsewhere(floor):
    # given a request for 3 tees; the only bin (20 on the ledger) holds none
    tee = floor.skus["TEE"]
    request, outbound, pick_list = _released(floor, (tee, 3))
    pick_list_start(actor=SYSTEM, pick_list=pick_list)
    exception = pick_short(actor=SYSTEM, task=PickTask.objects.get(outbound=outbound), found=0)
    # another bin is refused when none holds the units
    with pytest.raises(NoOtherBin):
        pick_exception_resolve(actor=SYSTEM, exception=exception, resolution=ExceptionResolution.OTHER_BIN)

    # when it is resolved automatically
    resolved = pick_exception_resolve(actor=SYSTEM, exception=exception, resolution=None, note="bin empty")

    # then it is handed back: the outbound cancelled, the request cancelled with the reason "short pick"
    assert (
        resolved.resolution == ExceptionResolution.HANDED_BACK and resolved.status == ExceptionStatus.RESOLVED
    )
    outbound.refresh_from_db()
    request.refresh_from_db()
    assert outbound.status == OutboundStatus.CANCELLED and outbound.exception_reason.startswith(
        "handed back: short pick"
    )
    assert request.status == RequestStatus.CANCELLED
    assert request.history.order_by("-version").first().detail.startswith("short pick: 3 × TEE missing")
    assert AuditEntry.objects.filter(action="outbound.handed_back", subject_id=str(outbound.pk)).exists()
    # and the seller's routing can release the same units to another warehouse of the operator
    from haicang.network.tests.factories import make_warehouse

    other = make_warehouse(floor.operator, code="LAX10", country="US", markets=["US"])
    make_agreement(floor.seller, floor.operator, warehouses=[other])
    again = fulfilment_request_create(actor=SYSTEM, order=request.order, warehouse=other)
    assert again.status == RequestStatus.SUBMITTED and again.lines.get().quantity == 3


def test_scanning_a_list_not_started_or_done_is_a_transition_refused(floor):
    _, _, pick_list = _released(floor, (floor.skus["TEE"], 1))
    with pytest.raises(TransitionInvalid):
        pick_scan(actor=SYSTEM, pick_list=pick_list, bin_code="A-01-01-1-1", barcode=GTIN)
    pick_list_start(actor=SYSTEM, pick_list=pick_list)
    _pick_all(pick_list)
    with pytest.raises(TransitionInvalid):
        pick_scan(actor=SYSTEM, pick_list=pick_list, bin_code="A-01-01-1-1", barcode=GTIN)
    assert PickList.objects.get(pk=pick_list.pk).status == PickListStatus.DONE
    assert not PickException.objects.exists()
    assert FulfillmentRequest.objects.get().status == RequestStatus.IN_PROGRESS
