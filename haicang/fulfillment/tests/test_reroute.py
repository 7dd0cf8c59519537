"""Cancellation consistency between the warehouse and the seller's routing: a short pick handed back is re-routed
at once (another warehouse with the stock, or backorder) and its missing units written off; a packed outbound
whose cancellation is accepted voids its labels; a request cancelled elsewhere drops out of the pick list."""

from __future__ import annotations

import datetime as dt

import pytest

from haicang.core.audit import audit_entries_for
from haicang.core.files import file_exists
from haicang.fulfillment.errors import LabelRefused, TransitionInvalid
from haicang.fulfillment.labelling import parcel_label
from haicang.fulfillment.models import (
    ExceptionResolution,
    Outbound,
    OutboundStatus,
    Parcel,
    ParcelStatus,
    PickListStatus,
    PickTask,
    PickTaskStatus,
    WaveStatus,
)
from haicang.fulfillment.outbound import outbound_cancellation_answer
from haicang.fulfillment.packing import parcel_pack
from haicang.fulfillment.picking import (
    current_task,
    pick_exception_resolve,
    pick_list_start,
    pick_scan,
    pick_short,
)
from haicang.fulfillment.shipping import dock_scan, parcel_ship
from haicang.fulfillment.short_stock import DOCUMENT_TYPE
from haicang.fulfillment.tests.factories import make_fulfilment_world, make_picked_outbound
from haicang.fulfillment.tests.picking_factories import MONDAY_8, make_floor
from haicang.fulfillment.waves import wave_plan, wave_release
from haicang.inventory.counting import count_line_record, count_task_submit
from haicang.inventory.models import CountTask, CountTaskStatus, Move, StockCounter
from haicang.inventory.services import stock_receive
from haicang.inventory.verify import ledger_verify
from haicang.network.models import Location
from haicang.network.tests.factories import make_bins, make_warehouse
from haicang.orders.fulfilment import (
    fulfilment_request_cancel_answer,
    fulfilment_request_cancel_request,
    fulfilment_request_create,
)
from haicang.orders.models import AllocationStatus
from haicang.orders.models_fulfilment import CancellationState, RequestStatus
from haicang.orders.routing import backorders_allocate
from haicang.orders.tests.factories import SYSTEM
from haicang.parties.tests.factories import make_agreement

pytestmark = pytest.mark.django_db
GTIN = "4006381333931"
SHORT_BIN = "A-01-01-1-1"


@pytest.fixture
def floor():
    f = make_floor()
    f.sku("TEE", barcode=GTIN)
    return f


def _second_warehouse(floor, units: int):
    """LAX10: another warehouse of the operator serving the US, under the seller's agreement, holding ``units``
    tees (no carrier service: routing prefers LAX9 while LAX9 has the stock)."""
    other = make_warehouse(floor.operator, code="LAX10", country="US", markets=["US"])
    make_bins(other, zone="A", aisles=(1, 1), racks=(1, 1), levels=(1, 1), positions=(1, 1))
    make_agreement(floor.seller, floor.operator, warehouses=[other])
    stock_receive(
        actor=SYSTEM,
        owner=floor.seller,
        sku=floor.skus["TEE"],
        location=Location.objects.filter(warehouse=other).order_by("code")[0],
        quantity=units,
    )
    return other


def _short_picked(floor, quantity: int, found: int):
    """A request for ``quantity`` tees released and picked: the bin gives ``found``."""
    request = floor.request((floor.skus["TEE"], quantity))
    for wave in wave_plan(actor=SYSTEM, warehouse=floor.warehouse, now=MONDAY_8):
        wave_release(actor=SYSTEM, wave=wave, now=MONDAY_8)
    outbound = Outbound.objects.get(request=request)
    task = PickTask.objects.get(outbound=outbound)
    assert task.location.code == SHORT_BIN
    pick_list_start(actor=SYSTEM, pick_list=task.pick_list)
    exception = pick_short(actor=SYSTEM, task=task, found=found)
    return request, outbound, exception


def _counter(floor, warehouse=None) -> StockCounter:
    return StockCounter.objects.get(warehouse=warehouse or floor.warehouse, sku=floor.skus["TEE"])


def test_a_short_pick_handed_back_is_rerouted_to_the_warehouse_that_has_the_stock(floor):
    # given 3 tees on LAX9's book, an order of 3 routed there and released; the picker finds 1
    floor.receive(floor.skus["TEE"], SHORT_BIN, 3)
    request, outbound, exception = _short_picked(floor, 3, found=1)
    other = _second_warehouse(floor, 5)

    # when the short is resolved automatically (no other bin at LAX9: handed back)
    resolved = pick_exception_resolve(actor=SYSTEM, exception=exception)

    # then the request is cancelled and the order line's 3 units are reserved at LAX10
    assert resolved.resolution == ExceptionResolution.HANDED_BACK
    request.refresh_from_db()
    assert request.status == RequestStatus.CANCELLED
    order_line = request.order.lines.select_related("reservation__warehouse").get()
    assert order_line.reservation is not None
    assert (order_line.reservation.warehouse.code, order_line.reservation.open_quantity) == ("LAX10", 3)
    request.order.refresh_from_db()
    assert request.order.allocation_status == AllocationStatus.ALLOCATED
    # and LAX9 holds nothing for it; the 2 missing tees were written off the short bin (1 left on the book)
    assert (_counter(floor).reserved, _counter(floor).sellable) == (0, 1)
    assert (_counter(floor, other).reserved, _counter(floor, other).sellable) == (3, 5)
    [move] = Move.objects.filter(document_type=DOCUMENT_TYPE, document_ref=outbound.number)
    assert (move.from_location.code, move.to_location.kind, move.quantity) == (SHORT_BIN, "inventory_loss", 2)
    actions = set(audit_entries_for(subject=outbound).values_list("action", flat=True))
    assert {"outbound.handed_back", "pick.short_written_off"} <= actions
    assert "order.rerouted" in set(audit_entries_for(subject=request.order).values_list("action", flat=True))
    # and the bin's cycle count is still open to verify it
    assert CountTask.objects.get(warehouse=floor.warehouse).status == CountTaskStatus.OPEN
    assert ledger_verify() == []
    # and the seller releases the units to LAX10
    again = fulfilment_request_create(actor=SYSTEM, order=request.order, warehouse=other)
    assert again.lines.get().quantity == 3


def test_with_no_warehouse_holding_the_units_the_order_is_backordered_until_the_count_clears_the_bin(floor):
    # given 20 tees on the book of the short bin; the picker finds none of the 3 asked for
    floor.receive(floor.skus["TEE"], SHORT_BIN, 20)
    request, _, exception = _short_picked(floor, 3, found=0)

    # when it is handed back
    pick_exception_resolve(actor=SYSTEM, exception=exception, resolution=ExceptionResolution.HANDED_BACK)

    # then the 3 are written off, and the 17 left on the book — in a bin waiting for its count, which no wave
    # would pick from — are not offered either: the order is backordered, nothing reserved
    order = request.order
    order.refresh_from_db()
    assert order.allocation_status == AllocationStatus.BACKORDERED
    assert order.lines.get().reservation is None
    assert (_counter(floor).sellable, _counter(floor).reserved) == (17, 0)
    assert ledger_verify() == []

    # when the count finds the 17 (no variance: applied at once), the backorder job allocates them there
    count = CountTask.objects.get(warehouse=floor.warehouse)
    count_line_record(
        actor=SYSTEM, task=count, location=floor.bin(SHORT_BIN), sku=floor.skus["TEE"], quantity=17
    )
    assert count_task_submit(actor=SYSTEM, task=count).status == CountTaskStatus.APPLIED
    assert backorders_allocate(actor=SYSTEM) == {"allocated": 1}
    assert _counter(floor).reserved == 3
    assert ledger_verify() == []


def test_a_bin_counted_since_the_short_pick_is_left_to_the_count(floor):
    # given a short pick of 2 of 3 tees whose bin was counted (1 found) before the hand-back
    floor.receive(floor.skus["TEE"], SHORT_BIN, 3)
    request, outbound, exception = _short_picked(floor, 3, found=1)
    count = CountTask.objects.get(warehouse=floor.warehouse)
    count_line_record(
        actor=SYSTEM, task=count, location=floor.bin(SHORT_BIN), sku=floor.skus["TEE"], quantity=1
    )

    # when it is handed back
    pick_exception_resolve(actor=SYSTEM, exception=exception, resolution=ExceptionResolution.HANDED_BACK)

    # then nothing is written off (the count holds the variance), the bin is still not offered: backorder
    assert not Move.objects.filter(document_type=DOCUMENT_TYPE).exists()
    assert "pick.short_left_to_count" in set(
        audit_entries_for(subject=outbound).values_list("action", flat=True)
    )
    assert (_counter(floor).sellable, _counter(floor).reserved) == (3, 0)
    request.order.refresh_from_db()
    assert request.order.allocation_status == AllocationStatus.BACKORDERED
    assert ledger_verify() == []


def test_a_request_cancelled_elsewhere_drops_out_of_its_pick_list(floor):
    # given two orders of one tee batch-picked on one list
    floor.receive(floor.skus["TEE"], SHORT_BIN, 5)
    keep = floor.request((floor.skus["TEE"], 1))
    drop = floor.request((floor.skus["TEE"], 1))
    for wave in wave_plan(actor=SYSTEM, warehouse=floor.warehouse, now=MONDAY_8):
        wave_release(actor=SYSTEM, wave=wave, now=MONDAY_8)
    pick_list = PickTask.objects.get(outbound__request=keep).pick_list
    assert PickTask.objects.get(outbound__request=drop).pick_list_id == pick_list.pk
    pick_list_start(actor=SYSTEM, pick_list=pick_list)

    # when the second is cancelled through the orders services (not the outbound's)
    fulfilment_request_cancel_request(actor=SYSTEM, request=drop, reason="buyer cancelled")
    fulfilment_request_cancel_answer(actor=SYSTEM, request=drop, accept=True)

    # then the picker is never sent to its stop; picking the other completes the list and the wave
    task = current_task(pick_list)
    assert task is not None and task.outbound.request_id == keep.pk
    pick_scan(actor=SYSTEM, pick_list=pick_list, bin_code=SHORT_BIN, barcode=GTIN, quantity=1)
    dropped = Outbound.objects.get(request=drop)
    assert dropped.status == OutboundStatus.CANCELLED
    assert PickTask.objects.get(outbound=dropped).status == PickTaskStatus.CANCELLED
    pick_list.refresh_from_db()
    assert pick_list.status == PickListStatus.DONE and pick_list.wave.status == WaveStatus.DONE
    assert Outbound.objects.get(request=keep).status == OutboundStatus.PICKED


# --- a packed outbound cancelled -------------------------------------------------------------------------------
@pytest.fixture
def world():
    return make_fulfilment_world()


def _packed_and_cancel_asked(world, *, labelled: int, unlabelled: int = 0):
    outbound = make_picked_outbound(world, (("TEE", labelled + unlabelled),))
    parcels = [
        parcel_pack(actor=SYSTEM, outbound=outbound, weight_g=300, lines=[(world.skus["TEE"], 1)])
        for _ in range(labelled + unlabelled)
    ]
    parcels = [parcel_label(actor=SYSTEM, parcel=p) for p in parcels[:labelled]] + parcels[labelled:]
    request = fulfilment_request_cancel_request(
        actor=SYSTEM, request=outbound.request, reason="buyer cancelled"
    )
    return outbound, parcels, request


def test_accepting_the_cancellation_of_a_packed_outbound_voids_its_labels_and_parcels(
    world, django_capture_on_commit_callbacks
):
    # given a packed outbound with a labelled parcel and a packed one without a label
    outbound, (labelled, packed), request = _packed_and_cancel_asked(world, labelled=1, unlabelled=1)
    stored = str(labelled.label_pdf.name)
    assert file_exists(path=stored)

    # when the operator accepts the seller's cancellation
    with django_capture_on_commit_callbacks(execute=True):
        outbound_cancellation_answer(actor=SYSTEM, request=request, accept=True)

    # then both parcels are voided, the label cancelled with the carrier and its file gone
    labelled.refresh_from_db()
    packed.refresh_from_db()
    assert (labelled.status, packed.status) == (ParcelStatus.VOIDED, ParcelStatus.VOIDED)
    assert (labelled.label_pdf.name, labelled.label_zpl) == ("", "")
    assert not file_exists(path=stored)
    assert "parcel.label_voided" in set(audit_entries_for(subject=labelled).values_list("action", flat=True))
    assert "parcel.voided" in set(audit_entries_for(subject=packed).values_list("action", flat=True))
    outbound.refresh_from_db()
    request.refresh_from_db()
    assert (outbound.status, request.status) == (OutboundStatus.CANCELLED, RequestStatus.CANCELLED)


def test_a_packed_outbound_whose_parcel_the_carrier_has_cannot_be_cancelled(world):
    # given a labelled parcel the carrier has scanned already (labelled 10 days ago)
    outbound, (parcel,), request = _packed_and_cancel_asked(world, labelled=1)
    Parcel.objects.filter(pk=parcel.pk).update(labelled_at=parcel.labelled_at - dt.timedelta(days=10))

    # when the operator tries to accept the cancellation
    with pytest.raises(LabelRefused):
        outbound_cancellation_answer(actor=SYSTEM, request=request, accept=True)

    # then nothing changed: the parcel keeps its label, the cancellation waits for a refusal
    parcel.refresh_from_db()
    outbound.refresh_from_db()
    request.refresh_from_db()
    assert parcel.status == ParcelStatus.LABELLED and outbound.status == OutboundStatus.PACKED
    assert (request.status, request.cancellation) == (RequestStatus.IN_PROGRESS, CancellationState.REQUESTED)


def test_no_parcel_leaves_while_a_cancellation_request_waits(world):
    # given a packed outbound of two labelled parcels whose seller asked to cancel
    outbound, (first, second), request = _packed_and_cancel_asked(world, labelled=2)

    # when the dock confirms the first parcel, by the service or by a scan
    with pytest.raises(TransitionInvalid):
        parcel_ship(actor=SYSTEM, parcel=first)
    scan = dock_scan(actor=SYSTEM, operator_id=world.operator.pk, raw=second.tracking_number)

    # then both stay labelled: the cancellation can still be accepted
    assert scan.result == "refused" and scan.reason_code == "fulfillment.transition_invalid"
    assert set(Parcel.objects.filter(outbound=outbound).values_list("status", flat=True)) == {"labelled"}
    outbound_cancellation_answer(actor=SYSTEM, request=request, accept=True)
    assert set(Parcel.objects.filter(outbound=outbound).values_list("status", flat=True)) == {"voided"}
