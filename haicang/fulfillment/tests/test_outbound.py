"""Outbound work: accepting creates the outbound with its estimates, rejecting, adopting requests accepted
elsewhere, cancellation requests answered before shipping, hand-back and requeue."""

from __future__ import annotations

import pytest

from haicang.core.errors import DomainError, ValidationFailed
from haicang.core.models import AuditEntry
from haicang.fulfillment.bin_allocation import held_in_bins
from haicang.fulfillment.errors import TransitionInvalid
from haicang.fulfillment.models import Outbound, OutboundStatus, PickTask, PickTaskStatus
from haicang.fulfillment.outbound import (
    outbound_accept,
    outbound_cancellation_answer,
    outbound_ensure,
    outbound_hand_back,
    outbound_reject,
    outbound_requeue,
)
from haicang.fulfillment.picking import current_task, pick_list_start, pick_scan
from haicang.fulfillment.tests.picking_factories import MONDAY_8, make_floor
from haicang.fulfillment.waves import wave_plan, wave_release
from haicang.integration.models import OutboxEvent
from haicang.orders.fulfilment import CancellationInvalid, fulfilment_request_cancel_request
from haicang.orders.models_fulfilment import CancellationState, RequestStatus
from haicang.orders.tests.factories import SYSTEM

pytestmark = pytest.mark.django_db


@pytest.fixture
def floor():
    f = make_floor()
    tee = f.sku("TEE", barcode="4006381333931", weight_g=250, length_mm=300, width_mm=250, height_mm=20)
    f.receive(tee, "A-01-01-1-1", 10)
    return f


def _release(floor):
    for wave in wave_plan(actor=SYSTEM, warehouse=floor.warehouse, now=MONDAY_8):
        wave_release(actor=SYSTEM, wave=wave, now=MONDAY_8)


def test_accepting_creates_the_outbound_with_estimates_from_the_master_data(floor):
    # given a submitted request for 3 tees
    request = floor.request((floor.skus["TEE"], 3), accept=False, service_level="Expedited")

    # when the operator accepts it
    outbound = outbound_accept(actor=SYSTEM, request=request)

    # then the request is accepted and the outbound waits for a wave with its estimates
    request.refresh_from_db()
    assert request.status == RequestStatus.ACCEPTED
    assert (outbound.status, outbound.number, outbound.units, outbound.lines) == (
        OutboundStatus.TO_WAVE,
        request.number,
        3,
        1,
    )
    assert (outbound.est_weight_g, outbound.est_volume_mm3) == (750, 3 * 300 * 250 * 20)
    assert (outbound.service_level, outbound.due_at) == ("Expedited", request.due_at)
    assert (outbound.seller_id, outbound.operator_id, outbound.warehouse_id) == (
        floor.seller.pk,
        floor.operator.pk,
        floor.warehouse.pk,
    )
    assert AuditEntry.objects.filter(action="outbound.created", subject_id=str(outbound.pk)).exists()
    assert (
        OutboxEvent.objects.filter(
            event_type="fulfillment_request.changed", subject_id=str(request.pk)
        ).count()
        == 2
    )


def test_accepting_twice_is_refused_and_changes_nothing(floor):
    request = floor.request((floor.skus["TEE"], 1), accept=False)
    outbound_accept(actor=SYSTEM, request=request)

    with pytest.raises(DomainError) as refused:
        outbound_accept(actor=SYSTEM, request=request)

    assert refused.value.code == "fulfillment.transition_invalid"
    assert Outbound.objects.count() == 1


def test_rejecting_needs_a_reason_and_creates_no_outbound(floor):
    from haicang.orders.fulfilment import ReasonRequired

    request = floor.request((floor.skus["TEE"], 1), accept=False)
    with pytest.raises(ReasonRequired):
        outbound_reject(actor=SYSTEM, request=request, reason=" ")

    rejected = outbound_reject(actor=SYSTEM, request=request, reason="SKU not stocked here")

    assert (rejected.status, rejected.reject_reason) == (RequestStatus.REJECTED, "SKU not stocked here")
    assert not Outbound.objects.exists()


def test_ensure_adopts_a_request_accepted_elsewhere_once(floor):
    request = floor.request((floor.skus["TEE"], 2))  # accepted through the orders service

    first = outbound_ensure(actor=SYSTEM, request=request)
    again = outbound_ensure(actor=SYSTEM, request=request)

    assert first.pk == again.pk and Outbound.objects.count() == 1


def test_ensure_refuses_a_request_not_accepted(floor):
    request = floor.request((floor.skus["TEE"], 2), accept=False)

    with pytest.raises(TransitionInvalid):
        outbound_ensure(actor=SYSTEM, request=request)


def test_a_cancellation_accepted_while_picking_cancels_the_tasks_and_frees_the_bin(floor):
    # given a released request with one unit already picked
    tee = floor.skus["TEE"]
    request = floor.request((tee, 2))
    _release(floor)
    outbound = Outbound.objects.get(request=request)
    task = PickTask.objects.get(outbound=outbound)
    pick_list = pick_list_start(actor=SYSTEM, pick_list=task.pick_list)
    pick_scan(actor=SYSTEM, pick_list=pick_list, bin_code="A-01-01-1-1", barcode="TEE", quantity=1)
    assert sum(held_in_bins(floor.warehouse, [tee.pk]).values()) == 2
    fulfilment_request_cancel_request(actor=SYSTEM, request=request, reason="customer cancelled")

    # when the operator accepts the cancellation
    done = outbound_cancellation_answer(actor=SYSTEM, request=request, accept=True)

    # then the request and the outbound are cancelled, the task cancelled, the bin holds nothing for it
    assert (done.status, done.cancellation) == (RequestStatus.CANCELLED, CancellationState.ACCEPTED)
    outbound.refresh_from_db()
    task.refresh_from_db()
    assert outbound.status == OutboundStatus.CANCELLED and task.status == PickTaskStatus.CANCELLED
    assert held_in_bins(floor.warehouse, [tee.pk]) == {}
    assert current_task(pick_list) is None
    assert AuditEntry.objects.filter(action="outbound.cancelled", subject_id=str(outbound.pk)).exists()


def test_a_cancellation_refused_needs_a_reason_and_the_work_goes_on(floor):
    request = floor.request((floor.skus["TEE"], 2))
    _release(floor)
    fulfilment_request_cancel_request(actor=SYSTEM, request=request)

    done = outbound_cancellation_answer(actor=SYSTEM, request=request, accept=False, reason="already packed")

    assert (done.status, done.cancellation) == (RequestStatus.IN_PROGRESS, CancellationState.REFUSED)
    assert Outbound.objects.get(request=request).status == OutboundStatus.PICKING


def test_a_cancellation_of_a_shipped_request_cannot_even_be_asked(floor):
    request = floor.request((floor.skus["TEE"], 1))
    outbound = outbound_ensure(actor=SYSTEM, request=request)
    Outbound.objects.filter(pk=outbound.pk).update(status=OutboundStatus.SHIPPED)
    request.status = RequestStatus.SHIPPED
    request.save(update_fields=["status"])

    with pytest.raises(CancellationInvalid):
        fulfilment_request_cancel_request(actor=SYSTEM, request=request)
    with pytest.raises(CancellationInvalid):
        outbound_cancellation_answer(actor=SYSTEM, request=request, accept=True)


def test_an_outbound_nothing_could_be_allocated_for_is_requeued_or_handed_back(floor):
    # given a request for more tees than the bins hold: in exception at release
    tee = floor.skus["TEE"]
    request = floor.request((tee, 11))
    _release(floor)
    outbound = Outbound.objects.get(request=request)
    assert outbound.status == OutboundStatus.EXCEPTION

    # when more arrive and it is requeued, it waits for a wave again
    outbound = outbound_requeue(actor=SYSTEM, outbound=outbound)
    assert (outbound.status, outbound.wave) == (OutboundStatus.TO_WAVE, None)

    # when it is handed back instead, the request is cancelled with the reason
    with pytest.raises(ValidationFailed):  # a reason is required
        outbound_hand_back(actor=SYSTEM, outbound=outbound, reason="")
    outbound = outbound_hand_back(actor=SYSTEM, outbound=outbound, reason="not enough stock on the floor")
    request.refresh_from_db()
    assert outbound.status == OutboundStatus.CANCELLED
    assert outbound.exception_reason == "handed back: not enough stock on the floor"
    assert request.status == RequestStatus.CANCELLED


def test_an_outbound_whose_request_was_cancelled_elsewhere_is_closed_at_the_next_plan(floor):
    from haicang.orders.fulfilment import fulfilment_request_cancel

    tee = floor.skus["TEE"]
    gone = floor.request((tee, 1))
    outbound_ensure(actor=SYSTEM, request=gone)
    fulfilment_request_cancel(actor=SYSTEM, request=gone, reason="duplicate")
    floor.request((tee, 1))

    [wave] = wave_plan(actor=SYSTEM, warehouse=floor.warehouse, now=MONDAY_8)

    assert wave.request_count == 1
    assert Outbound.objects.get(request=gone).status == OutboundStatus.CANCELLED
