"""A channel re-sends an order Haicang has already shipped through the warehouse (the channel still says
``unshipped``, say with a changed note): routing counts the units shipped by Haicang as done and reserves nothing
again; a partly shipped line is routed for the rest only (docs/orders.md, "Routing")."""

from __future__ import annotations

import pytest

from haicang.fulfillment.labelling import parcel_label
from haicang.fulfillment.models import Outbound, PickList
from haicang.fulfillment.outbound import outbound_accept
from haicang.fulfillment.packing import parcel_pack
from haicang.fulfillment.picking import pick_list_start, pick_scan
from haicang.fulfillment.selectors import pick_tasks
from haicang.fulfillment.shipping import outbound_ship
from haicang.fulfillment.tests.factories import FulfilmentWorld, make_fulfilment_world
from haicang.fulfillment.waves import wave_plan, wave_release
from haicang.inventory.models import Reservation, ReservationStatus, StockCounter
from haicang.inventory.services import stock_release
from haicang.inventory.verify import ledger_verify
from haicang.orders.fulfilment import fulfilment_request_create
from haicang.orders.models import Order
from haicang.orders.models_fulfilment import FulfillmentRequest, RequestStatus
from haicang.orders.tests.factories import SYSTEM, ingest, line, normalised

pytestmark = pytest.mark.django_db


def _ship(world: FulfilmentWorld, request: FulfillmentRequest) -> None:
    """The warehouse works ``request`` end to end: accept, wave, pick, pack, label, ship."""
    outbound_accept(actor=SYSTEM, request=request)
    for wave in wave_plan(actor=SYSTEM, warehouse=world.warehouse):
        wave_release(actor=SYSTEM, wave=wave)
    pick_list = PickList.objects.filter(tasks__outbound__request=request).distinct().get()
    pick_list_start(actor=SYSTEM, pick_list=pick_list)
    for task in list(pick_tasks(pick_list)):
        pick_scan(
            actor=SYSTEM,
            pick_list=pick_list,
            bin_code=task.location.code,
            barcode=f"BC-{task.sku.code}",
            quantity=task.quantity,
        )
    outbound = Outbound.objects.get(request=request)
    parcel = parcel_label(actor=SYSTEM, parcel=parcel_pack(actor=SYSTEM, outbound=outbound, weight_g=400))
    outbound_ship(actor=SYSTEM, outbound=outbound)
    request.refresh_from_db()
    assert request.status == RequestStatus.SHIPPED
    assert parcel.pk


def _tee_order(world: FulfilmentWorld, quantity: int, **fields: object):
    return normalised(
        external_id="R-1",
        lines=(line(world.channel_skus["TEE"], quantity, channel_line_id="L1"),),
        **fields,
    )


def _reserved(world: FulfilmentWorld) -> int:
    return StockCounter.objects.get(warehouse=world.warehouse, sku=world.skus["TEE"]).reserved


def test_a_replay_of_an_order_shipped_by_haicang_reserves_nothing():
    # given an order of 2 T-shirts that the warehouse shipped in full
    world = make_fulfilment_world()
    order = ingest(world.account, _tee_order(world, 2)).order
    _ship(world, fulfilment_request_create(actor=SYSTEM, order=order, warehouse=world.warehouse))
    assert _reserved(world) == 0
    # when the channel sends it again, still unshipped, with a changed note
    replay = ingest(world.account, _tee_order(world, 2, buyer_note="changed note"))
    # then nothing is reserved again and the ledger is clean
    assert replay.order.pk == order.pk
    assert Reservation.objects.filter(status=ReservationStatus.OPEN, open_quantity__gt=0).count() == 0
    assert Reservation.objects.count() == 1
    assert _reserved(world) == 0
    assert ledger_verify() == []


def test_a_partly_shipped_line_is_routed_for_the_rest_only():
    # given a line of 3 of which the warehouse shipped 2, the last unit's reservation given back
    world = make_fulfilment_world()
    order = ingest(world.account, _tee_order(world, 3)).order
    order_line = order.lines.get()
    _ship(
        world,
        fulfilment_request_create(
            actor=SYSTEM, order=order, warehouse=world.warehouse, lines=[(order_line, 2)]
        ),
    )
    consumed = Reservation.objects.get()
    assert (consumed.open_quantity, consumed.consumed_quantity) == (1, 2)
    stock_release(actor=SYSTEM, reservation=consumed)
    assert _reserved(world) == 0
    # when the channel sends it again, still saying nothing shipped
    replay = ingest(world.account, _tee_order(world, 3, buyer_note="changed note"))
    # then routing reserves the one unit not shipped, not the whole line
    assert replay.order.pk == order.pk
    fresh = Reservation.objects.get(status=ReservationStatus.OPEN, open_quantity__gt=0)
    assert fresh.open_quantity == 1
    assert Order.objects.get(pk=order.pk).lines.get().reservation_id == fresh.pk
    assert _reserved(world) == 1
    assert ledger_verify() == []


def test_the_channels_shipped_quantity_counts_when_it_says_more():
    # given the same line of 3, 2 shipped by Haicang and the rest given back
    world = make_fulfilment_world()
    order = ingest(world.account, _tee_order(world, 3)).order
    order_line = order.lines.get()
    _ship(
        world,
        fulfilment_request_create(
            actor=SYSTEM, order=order, warehouse=world.warehouse, lines=[(order_line, 2)]
        ),
    )
    stock_release(actor=SYSTEM, reservation=Reservation.objects.get())
    # when the channel says all 3 shipped while the order is still partly shipped
    ingest(
        world.account,
        normalised(
            external_id="R-1",
            lines=(line(world.channel_skus["TEE"], 3, channel_line_id="L1", shipped_quantity=3),),
            buyer_note="changed note",
        ),
    )
    # then nothing is reserved
    assert _reserved(world) == 0
    assert ledger_verify() == []
