"""Fulfillment requests: release with only what the agreement grants, the state machine, cancellation requests,
history, outbox and audit."""

from __future__ import annotations

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

import pytest

from haicang.core.crypto import UnsealError
from haicang.core.models import AuditEntry
from haicang.core.money import Money
from haicang.integration.models import OutboxEvent
from haicang.network.services import holiday_add
from haicang.orders.fulfilment import (
    CancellationInvalid,
    LinesInvalid,
    NoAgreement,
    OrderNotReleasable,
    ReasonRequired,
    RequestLine,
    TransitionInvalid,
    fulfilment_request_accept,
    fulfilment_request_cancel,
    fulfilment_request_cancel_answer,
    fulfilment_request_cancel_request,
    fulfilment_request_create,
    fulfilment_request_reject,
    fulfilment_request_ship,
    fulfilment_request_start,
    request_contact_open,
)
from haicang.orders.models_fulfilment import CancellationState, FulfillmentRequest, RequestStatus
from haicang.orders.tests.factories import CUSTOMER, SYSTEM
from haicang.orders.tests.fulfilment_factories import make_fulfilment_request, make_sold_order
from haicang.parties.tests.factories import make_agreement, make_operator, make_seller, make_warehouse

pytestmark = pytest.mark.django_db
BERLIN = ZoneInfo("Europe/Berlin")
MONDAY_9 = datetime(2026, 3, 2, 9, tzinfo=BERLIN)


@pytest.fixture
def world():
    seller, operator = make_seller(currency="USD", country="US"), make_operator()
    agreement = make_agreement(seller, operator)
    return seller, operator, agreement, agreement.warehouses.get()


def _grant(agreement, **grants):
    for name, value in grants.items():
        setattr(agreement, name, value)
    agreement.save()


def test_a_release_copies_the_ship_to_sealed_and_nothing_the_agreement_keeps(world):
    # given an agreement with the default scope: no prices, no e-mail, no phone
    seller, operator, _agreement, warehouse = world
    order = make_sold_order(seller)

    # when the seller releases the order to the warehouse
    fr = fulfilment_request_create(actor=SYSTEM, order=order, warehouse=warehouse, now=MONDAY_9)

    # then the request has the SKU lines, the address, and neither phone, e-mail nor prices
    fr = FulfillmentRequest.objects.get(pk=fr.pk)
    assert fr.number.startswith("FR-2026-") and fr.status == RequestStatus.SUBMITTED
    assert (fr.seller_id, fr.operator_id, fr.order_number) == (seller.pk, operator.pk, order.number)
    assert [(line.sku_id, line.quantity, line.unit_price) for line in fr.lines.all()] == [
        (order.lines.get().sku_id, 2, None)
    ]
    assert fr.ship_phone_sealed is None and fr.ship_email_sealed is None and fr.currency == ""
    contact = request_contact_open(fr)
    assert (contact.name, contact.street_lines) == (CUSTOMER["name"], CUSTOMER["street_lines"])
    assert (contact.phone, contact.email, contact.buyer_note) == ("", "", "")
    assert fr.ship_name_sealed is not None and CUSTOMER["name"].encode() not in bytes(fr.ship_name_sealed)


def test_granted_phone_email_and_prices_are_copied(world):
    seller, _operator, agreement, warehouse = world
    _grant(agreement, share_prices=True, share_customer_email=True, share_customer_phone=True)

    fr = make_fulfilment_request(seller, warehouse, now=MONDAY_9)

    contact = request_contact_open(fr)
    assert contact.email == CUSTOMER["email"] and contact.phone == "+14155550173"
    assert fr.lines.get().unit_price == Money.of("19.99", "USD") and fr.currency == "USD"


def test_a_sealed_value_copied_to_another_request_does_not_open(world):
    seller, _operator, _agreement, warehouse = world
    first, second = make_fulfilment_request(seller, warehouse), make_fulfilment_request(seller, warehouse)
    FulfillmentRequest.objects.filter(pk=second.pk).update(ship_name_sealed=first.ship_name_sealed)

    with pytest.raises(UnsealError, match="another context"):
        request_contact_open(FulfillmentRequest.objects.get(pk=second.pk))


def test_the_sla_due_is_fixed_at_release_on_the_warehouse_calendar(world):
    # given a Berlin warehouse (Mon–Fri 08–17, cut-off 14:00), a 24-working-hour SLA and a holiday on Wednesday
    seller, _operator, _agreement, warehouse = world
    holiday_add(actor=SYSTEM, warehouse=warehouse, on=date(2026, 3, 4), name="Test day")
    order = make_sold_order(seller)

    fr = fulfilment_request_create(actor=SYSTEM, order=order, warehouse=warehouse, now=MONDAY_9)

    # then 24 working hours from Monday 09:00 skip Wednesday: Mon 8 h + Tue 9 h + Thu 7 h → Thursday 15:00
    assert fr.sla_start_at == MONDAY_9
    assert fr.due_at == datetime(2026, 3, 5, 15, tzinfo=BERLIN)
    assert fr.sla_basis == "agreement"
    assert fr.at_risk_from == datetime(2026, 3, 5, 11, tzinfo=BERLIN)  # 4 working hours before


def test_a_stricter_platform_ship_by_is_the_due(world):
    seller, _operator, _agreement, warehouse = world
    order = make_sold_order(seller, ship_by=datetime(2026, 3, 2, 15, tzinfo=UTC))

    fr = fulfilment_request_create(actor=SYSTEM, order=order, warehouse=warehouse, now=MONDAY_9)

    assert fr.due_at == datetime(2026, 3, 2, 15, tzinfo=UTC) and fr.sla_basis == "platform"


def test_lines_can_be_split_but_never_beyond_the_order_line(world):
    seller, _operator, _agreement, warehouse = world
    order = make_sold_order(seller)
    order_line = order.lines.get()

    fulfilment_request_create(
        actor=SYSTEM, order=order, warehouse=warehouse, lines=[RequestLine(order_line, 1)]
    )
    fulfilment_request_create(actor=SYSTEM, order=order, warehouse=warehouse, lines=[(order_line, 1)])

    with pytest.raises(LinesInvalid, match="0 not yet requested"):
        fulfilment_request_create(actor=SYSTEM, order=order, warehouse=warehouse, lines=[(order_line, 1)])
    with pytest.raises(LinesInvalid, match="nothing left"):
        fulfilment_request_create(actor=SYSTEM, order=order, warehouse=warehouse)


def test_a_rejected_request_frees_its_units_for_another_release(world):
    seller, _operator, _agreement, warehouse = world
    fr = make_fulfilment_request(seller, warehouse)
    fulfilment_request_reject(actor=SYSTEM, request=fr, reason="no space")

    again = fulfilment_request_create(actor=SYSTEM, order=fr.order, warehouse=warehouse)

    assert again.lines.get().quantity == 2


def test_refusals_of_a_release(world):
    seller, operator, _agreement, warehouse = world
    order = make_sold_order(seller)
    other = make_sold_order(seller)
    uncovered = make_warehouse(operator)
    with pytest.raises(NoAgreement):
        fulfilment_request_create(actor=SYSTEM, order=order, warehouse=uncovered)
    with pytest.raises(LinesInvalid, match="another order"):
        fulfilment_request_create(
            actor=SYSTEM, order=order, warehouse=warehouse, lines=[(other.lines.get(), 1)]
        )
    with pytest.raises(LinesInvalid, match="at least 1"):
        fulfilment_request_create(
            actor=SYSTEM, order=order, warehouse=warehouse, lines=[(order.lines.get(), 0)]
        )
    held = make_sold_order(seller, ship_to=None)  # no address yet: on hold
    with pytest.raises(OrderNotReleasable, match="on hold"):
        fulfilment_request_create(actor=SYSTEM, order=held, warehouse=warehouse)
    assert not FulfillmentRequest.objects.exists()


def test_another_sellers_agreement_does_not_cover_the_warehouse(world):
    _seller, _operator, _agreement, warehouse = world
    stranger = make_seller()

    with pytest.raises(NoAgreement):
        make_fulfilment_request(stranger, warehouse)


def test_the_happy_path_writes_history_outbox_and_audit_at_every_step(world):
    seller, operator, _agreement, warehouse = world
    fr = make_fulfilment_request(seller, warehouse)

    fr = fulfilment_request_accept(actor=SYSTEM, request=fr)
    fr = fulfilment_request_start(actor=SYSTEM, request=fr)
    fr = fulfilment_request_ship(actor=SYSTEM, request=fr, carrier="dhl", tracking_numbers=["00340434", " "])

    assert fr.status == RequestStatus.SHIPPED and fr.tracking_numbers == ["00340434"] and fr.version == 4
    history = list(fr.history.values_list("version", "event", "status", "actor"))
    assert history == [
        (1, "created", "submitted", "system:tests"),
        (2, "accepted", "accepted", "system:tests"),
        (3, "started", "in_progress", "system:tests"),
        (4, "shipped", "shipped", "system:tests"),
    ]
    events = OutboxEvent.objects.filter(event_type="fulfillment_request.changed", subject_id=str(fr.pk))
    assert sorted(events.values_list("subject_version", flat=True)) == [1, 2, 3, 4]
    assert {(e.seller_id, e.operator_id) for e in events} == {(seller.pk, operator.pk)}
    actions = AuditEntry.objects.filter(subject_id=str(fr.pk)).values_list("action", flat=True)
    assert set(actions) == {
        "fulfillment_request.created",
        "fulfillment_request.accepted",
        "fulfillment_request.started",
        "fulfillment_request.shipped",
    }


@pytest.mark.parametrize(
    ("path", "step"),
    [
        ([], "start"),
        ([], "ship"),
        (["accept"], "accept"),
        (["accept"], "reject"),
        (["accept"], "ship"),
        (["accept", "start"], "start"),
        (["accept", "start", "ship"], "cancel"),
    ],
)
def test_steps_out_of_order_are_refused(world, path, step):
    seller, _operator, _agreement, warehouse = world
    fr = make_fulfilment_request(seller, warehouse)
    steps = {
        "accept": lambda r: fulfilment_request_accept(actor=SYSTEM, request=r),
        "reject": lambda r: fulfilment_request_reject(actor=SYSTEM, request=r, reason="no"),
        "start": lambda r: fulfilment_request_start(actor=SYSTEM, request=r),
        "ship": lambda r: fulfilment_request_ship(actor=SYSTEM, request=r),
        "cancel": lambda r: fulfilment_request_cancel(actor=SYSTEM, request=r, reason="no"),
    }
    for done in path:
        fr = steps[done](fr)

    with pytest.raises(TransitionInvalid):
        steps[step](fr)


def test_reject_and_cancel_need_a_reason(world):
    seller, _operator, _agreement, warehouse = world
    fr = make_fulfilment_request(seller, warehouse)
    with pytest.raises(ReasonRequired):
        fulfilment_request_reject(actor=SYSTEM, request=fr, reason="  ")
    fr = fulfilment_request_accept(actor=SYSTEM, request=fr)
    with pytest.raises(ReasonRequired):
        fulfilment_request_cancel(actor=SYSTEM, request=fr, reason="")


def test_a_cancellation_request_before_acceptance_cancels_at_once(world):
    seller, _operator, _agreement, warehouse = world
    fr = make_fulfilment_request(seller, warehouse)

    fr = fulfilment_request_cancel_request(actor=SYSTEM, request=fr, reason="customer cancelled")

    assert (fr.status, fr.cancellation) == (RequestStatus.CANCELLED, CancellationState.ACCEPTED)
    assert [h.detail for h in fr.history.all()][-1] == "customer cancelled"


def test_a_cancellation_request_in_progress_waits_for_the_operator_and_blocks_shipping(world):
    seller, _operator, _agreement, warehouse = world
    fr = make_fulfilment_request(seller, warehouse)
    fr = fulfilment_request_start(actor=SYSTEM, request=fulfilment_request_accept(actor=SYSTEM, request=fr))

    fr = fulfilment_request_cancel_request(actor=SYSTEM, request=fr, reason="buyer changed mind")

    assert (fr.status, fr.cancellation) == (RequestStatus.IN_PROGRESS, CancellationState.REQUESTED)
    with pytest.raises(TransitionInvalid, match="pending cancellation"):
        fulfilment_request_ship(actor=SYSTEM, request=fr)
    with pytest.raises(CancellationInvalid, match="already"):
        fulfilment_request_cancel_request(actor=SYSTEM, request=fr)
    # the operator refuses (with a reason): work goes on and it may ship
    with pytest.raises(ReasonRequired):
        fulfilment_request_cancel_answer(actor=SYSTEM, request=fr, accept=False)
    fr = fulfilment_request_cancel_answer(actor=SYSTEM, request=fr, accept=False, reason="already packed")
    assert (fr.status, fr.cancellation, fr.cancellation_answer) == (
        RequestStatus.IN_PROGRESS,
        CancellationState.REFUSED,
        "already packed",
    )
    # asked again, and accepted this time
    fr = fulfilment_request_cancel_request(actor=SYSTEM, request=fr)
    fr = fulfilment_request_cancel_answer(actor=SYSTEM, request=fr, accept=True)
    assert (fr.status, fr.cancellation) == (RequestStatus.CANCELLED, CancellationState.ACCEPTED)
    assert [h.event for h in fr.history.all()][-4:] == [
        "cancellation_requested",
        "cancellation_refused",
        "cancellation_requested",
        "cancellation_accepted",
    ]


def test_a_shipped_request_cannot_be_asked_to_cancel(world):
    seller, _operator, _agreement, warehouse = world
    fr = make_fulfilment_request(seller, warehouse)
    for step in (fulfilment_request_accept, fulfilment_request_start, fulfilment_request_ship):
        fr = step(actor=SYSTEM, request=fr)

    with pytest.raises(CancellationInvalid, match="no longer"):
        fulfilment_request_cancel_request(actor=SYSTEM, request=fr)
    with pytest.raises(CancellationInvalid, match="no pending"):
        fulfilment_request_cancel_answer(actor=SYSTEM, request=fr, accept=True)
