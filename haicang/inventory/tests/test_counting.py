from decimal import Decimal

import pytest
from django.utils import timezone

from haicang.catalog.tests.factories import make_sku
from haicang.core.audit import audit_entries_for
from haicang.core.fx import fx_rate_record
from haicang.core.money import Money
from haicang.inventory.counting import (
    count_limits,
    count_line_record,
    count_policy_set,
    count_task_approve,
    count_task_assign,
    count_task_cancel,
    count_task_create,
    count_task_reject,
    count_task_submit,
)
from haicang.inventory.errors import (
    CountAssigneeInvalid,
    CountInvalid,
    CountLineInvalid,
    CountSelfApproval,
    CountStatusInvalid,
    InsufficientStock,
    StaleCount,
)
from haicang.inventory.models import Balance, CountLine, CountTaskStatus, Move
from haicang.inventory.services import DemandLine, lot_ensure, stock_move, stock_reserve
from haicang.inventory.tests.count_factories import make_count_world
from haicang.inventory.verify import ledger_verify
from haicang.parties.tests.factories import SYSTEM, make_member, make_operator

pytestmark = pytest.mark.django_db


def on_hand(world, location, sku=None):
    rows = Balance.objects.filter(sku=sku or world.stock.sku, location=location)
    return sum(b.quantity for b in rows)


def count_moves(task):
    return list(Move.objects.filter(document_type="cycle_count", document_ref=task.number))


def test_a_count_that_matches_the_ledger_is_applied_at_submit_without_moves():
    w = make_count_world()
    w.receive(w.stock.pick, 7)
    task = w.task(w.stock.pick)

    count_line_record(actor=w.staff_actor, task=task, location=w.stock.pick, sku=w.stock.sku, quantity=7)
    task = count_task_submit(actor=w.staff_actor, task=task)

    assert task.status == CountTaskStatus.APPLIED
    assert task.number.startswith("CNT-")
    assert count_moves(task) == []
    assert ledger_verify() == []


def test_a_small_variance_becomes_an_adjustment_with_a_reason_at_submit():
    w = make_count_world()
    w.receive(w.stock.pick, 7)
    task = w.task(w.stock.pick)

    count_line_record(actor=w.staff_actor, task=task, location=w.stock.pick, sku=w.stock.sku, quantity=5)
    task = count_task_submit(actor=w.staff_actor, task=task)

    assert task.status == CountTaskStatus.APPLIED
    [move] = count_moves(task)
    assert (move.quantity, move.from_location, move.to_location.kind) == (2, w.stock.pick, "inventory_loss")
    assert move.reason == f"cycle count {task.number}"
    assert on_hand(w, w.stock.pick) == 5
    assert ledger_verify() == []


def test_found_units_are_booked_in_from_inventory_loss():
    w = make_count_world()
    w.receive(w.stock.pick, 3)
    task = w.task(w.stock.pick)

    count_line_record(actor=w.staff_actor, task=task, location=w.stock.pick, sku=w.stock.sku, quantity=4)
    count_task_submit(actor=w.staff_actor, task=task)

    [move] = count_moves(task)
    assert (move.from_location.kind, move.to_location, move.quantity) == ("inventory_loss", w.stock.pick, 1)
    assert on_hand(w, w.stock.pick) == 4


def test_a_variance_above_the_unit_limit_waits_for_a_manager_and_is_applied_on_approval():
    w = make_count_world()
    w.receive(w.stock.bulk, 50)
    task = w.task(w.stock.bulk)

    count_line_record(actor=w.staff_actor, task=task, location=w.stock.bulk, sku=w.stock.sku, quantity=30)
    task = count_task_submit(actor=w.staff_actor, task=task)

    assert task.status == CountTaskStatus.COUNTED
    line = task.lines.get()
    assert (line.expected, line.variance, line.needs_approval) == (50, -20, True)
    assert "units" in line.approval_reasons
    assert count_moves(task) == [] and on_hand(w, w.stock.bulk) == 50

    task = count_task_approve(actor=w.manager_actor, task=task, note="shrinkage confirmed")

    assert task.status == CountTaskStatus.APPLIED
    assert on_hand(w, w.stock.bulk) == 30
    assert [e.action for e in audit_entries_for(subject=task)][:2] == ["count.approved", "count.submitted"]
    assert ledger_verify() == []


def test_a_variance_worth_more_than_the_value_limit_needs_approval_even_when_few_units():
    w = make_count_world(purchase_cost=Money(Decimal("80.00"), "EUR"))
    w.receive(w.stock.pick, 10)
    count_policy_set(
        actor=SYSTEM, warehouse=w.stock.warehouse, max_units=10, max_value=Money.of("100", "EUR")
    )
    small, large = w.task(w.stock.pick), w.task(w.stock.pick2)

    count_line_record(actor=w.staff_actor, task=small, location=w.stock.pick, sku=w.stock.sku, quantity=9)
    small = count_task_submit(actor=w.staff_actor, task=small)
    w.receive(w.stock.pick2, 10)
    count_line_record(actor=w.staff_actor, task=large, location=w.stock.pick2, sku=w.stock.sku, quantity=8)
    large = count_task_submit(actor=w.staff_actor, task=large)

    assert small.status == CountTaskStatus.APPLIED  # 1 × 80 EUR ≤ 100 EUR
    assert large.status == CountTaskStatus.COUNTED  # 2 × 80 EUR > 100 EUR
    line = large.lines.get()
    assert line.value == Money.of("160.00", "EUR") and line.approval_reasons == "value"


def test_a_variance_that_cannot_be_valued_waits_for_approval():
    w = make_count_world(purchase_cost=None)
    w.receive(w.stock.pick, 10)
    task = w.task(w.stock.pick)

    count_line_record(actor=w.staff_actor, task=task, location=w.stock.pick, sku=w.stock.sku, quantity=9)
    task = count_task_submit(actor=w.staff_actor, task=task)

    assert task.status == CountTaskStatus.COUNTED
    assert task.lines.get().approval_reasons == "value_unknown"


def test_a_purchase_cost_in_another_currency_is_converted_at_the_days_rate():
    w = make_count_world(purchase_cost=Money(Decimal("30.000000"), "USD"))
    w.receive(w.stock.pick, 10)
    count_policy_set(actor=SYSTEM, warehouse=w.stock.warehouse, max_units=10, max_value=Money.of("50", "EUR"))
    fx_rate_record(actor=SYSTEM, base="EUR", quote="USD", on=timezone.localdate(), rate=Decimal("1.25"))
    task = w.task(w.stock.pick)

    count_line_record(actor=w.staff_actor, task=task, location=w.stock.pick, sku=w.stock.sku, quantity=8)
    task = count_task_submit(actor=w.staff_actor, task=task)

    line = task.lines.get()
    assert line.value == Money.of("48.00", "EUR")  # 2 × 30 USD at 1.25 USD per EUR
    assert task.status == CountTaskStatus.APPLIED


def test_stock_moving_elsewhere_during_the_count_does_not_show_as_a_variance():
    w = make_count_world()
    w.receive(w.stock.pick, 5)
    w.receive(w.stock.bulk, 5)
    task = w.task(w.stock.pick, w.stock.bulk)
    count_line_record(actor=w.staff_actor, task=task, location=w.stock.pick, sku=w.stock.sku, quantity=5)

    # a replenishment moves 3 units from the bulk bin (not counted yet) to the counted pick bin
    stock_move(
        actor=SYSTEM,
        owner=w.stock.seller,
        sku=w.stock.sku,
        from_location=w.stock.bulk,
        to_location=w.stock.pick,
        quantity=3,
    )
    count_line_record(actor=w.staff_actor, task=task, location=w.stock.bulk, sku=w.stock.sku, quantity=2)

    task = count_task_submit(actor=w.staff_actor, task=task)

    # each bin was compared with the ledger when it was counted: no variance, nothing to adjust
    assert [ln.variance for ln in task.lines.all()] == [0, 0]
    assert task.status == CountTaskStatus.APPLIED and count_moves(task) == []


def test_a_count_of_a_bin_stock_later_moved_into_is_refused_as_stale_and_nothing_changes():
    w = make_count_world()
    w.receive(w.stock.pick, 10)
    task = w.task(w.stock.pick)
    count_line_record(actor=w.staff_actor, task=task, location=w.stock.pick, sku=w.stock.sku, quantity=9)
    w.receive(w.stock.pick, 1)  # after the count: now 11 in the bin

    with pytest.raises(StaleCount) as refused:
        count_task_submit(actor=w.staff_actor, task=task)

    assert refused.value.code == "count.stale" and refused.value.status == 409
    task.refresh_from_db()
    assert task.status == CountTaskStatus.OPEN and task.lines.count() == 1
    assert on_hand(w, w.stock.pick) == 11 and count_moves(task) == []

    # when the counter counts the bin again, the new snapshot is taken and the variance applies
    count_line_record(actor=w.staff_actor, task=task, location=w.stock.pick, sku=w.stock.sku, quantity=10)
    task = count_task_submit(actor=w.staff_actor, task=task)
    assert task.status == CountTaskStatus.APPLIED and on_hand(w, w.stock.pick) == 10
    assert ledger_verify() == []


def test_approving_a_stale_count_is_refused_and_rejecting_it_opens_a_recount():
    w = make_count_world()
    w.receive(w.stock.bulk, 40)
    task = w.task(w.stock.bulk)
    count_line_record(actor=w.staff_actor, task=task, location=w.stock.bulk, sku=w.stock.sku, quantity=20)
    task = count_task_submit(actor=w.staff_actor, task=task)
    stock_move(
        actor=SYSTEM,
        owner=w.stock.seller,
        sku=w.stock.sku,
        from_location=w.stock.bulk,
        to_location=w.stock.pick,
        quantity=5,
    )

    with pytest.raises(StaleCount):
        count_task_approve(actor=w.manager_actor, task=task)
    task.refresh_from_db()
    assert task.status == CountTaskStatus.COUNTED and on_hand(w, w.stock.bulk) == 35

    with pytest.raises(CountInvalid):
        count_task_reject(actor=w.manager_actor, task=task, reason=" ")
    task = count_task_reject(actor=w.manager_actor, task=task, reason="stock moved: recount")

    assert (task.status, task.round, task.lines.count()) == (CountTaskStatus.OPEN, 2, 0)
    rejected = audit_entries_for(subject=task)[0]
    assert rejected.action == "count.rejected" and rejected.changes["before"]["lines"][0]["counted"] == 20


def test_stock_nobody_recorded_at_a_task_location_counts_as_zero():
    w = make_count_world()
    other = make_sku(w.stock.seller, purchase_cost=Money.of("2.50", "EUR"))
    w.receive(w.stock.pick, 4)
    w.receive(w.stock.pick, 2, sku=other)
    task = w.task(w.stock.pick)

    count_line_record(actor=w.staff_actor, task=task, location=w.stock.pick, sku=w.stock.sku, quantity=4)
    task = count_task_submit(actor=w.staff_actor, task=task)

    implied = task.lines.get(sku=other)
    assert (implied.implied, implied.counted, implied.expected) == (True, 0, 2)
    assert task.status == CountTaskStatus.APPLIED  # 2 units at EUR 2.50: within the limits
    assert on_hand(w, w.stock.pick, sku=other) == 0
    assert ledger_verify() == []


def test_a_sku_count_visits_every_bin_that_holds_the_sku_and_refuses_other_skus():
    w = make_count_world()
    w.receive(w.stock.pick, 3)
    w.receive(w.stock.damaged, 1)
    other = make_sku(w.stock.seller)

    task = w.task(sku=w.stock.sku)

    assert set(task.locations.all()) == {w.stock.pick, w.stock.damaged}
    with pytest.raises(CountLineInvalid) as refused:
        count_line_record(actor=w.staff_actor, task=task, location=w.stock.pick, sku=other, quantity=1)
    assert refused.value.field == "sku"
    count_line_record(actor=w.staff_actor, task=task, location=w.stock.pick, sku=w.stock.sku, quantity=3)
    task = count_task_submit(actor=w.staff_actor, task=task)
    assert task.lines.get(location=w.stock.damaged).implied


def test_a_count_of_a_sku_the_warehouse_does_not_hold_is_refused():
    w = make_count_world()

    with pytest.raises(CountInvalid):
        w.task(sku=w.stock.sku)


def test_lines_outside_the_task_or_with_a_bad_lot_or_quantity_are_refused():
    w = make_count_world()
    lotted = make_sku(w.stock.seller, track_lot=True)
    lot_ensure(owner=w.stock.seller, sku=lotted, code="L1", expires_on=None)
    task = w.task(w.stock.pick)
    elsewhere = w.stock.bulk  # in the warehouse, not in the task

    for location, sku, quantity, lot, field in [
        (elsewhere, w.stock.sku, 1, "", "location"),
        (w.stock.pick, lotted, 1, "", "lot_code"),
        (w.stock.pick, lotted, 1, "NOPE", "lot_code"),
        (w.stock.pick, w.stock.sku, 1, "L1", "lot_code"),
        (w.stock.pick, w.stock.sku, -1, "", "quantity"),
    ]:
        with pytest.raises(CountLineInvalid) as refused:
            count_line_record(
                actor=w.staff_actor, task=task, location=location, sku=sku, quantity=quantity, lot_code=lot
            )
        assert refused.value.field == field

    line = count_line_record(
        actor=w.staff_actor, task=task, location=w.stock.pick, sku=lotted, quantity=2, lot_code="L1"
    )
    assert (line.lot_code, line.expected) == ("L1", 0)


def test_recording_a_line_again_replaces_the_count():
    w = make_count_world()
    w.receive(w.stock.pick, 6)
    task = w.task(w.stock.pick)

    count_line_record(actor=w.staff_actor, task=task, location=w.stock.pick, sku=w.stock.sku, quantity=2)
    count_line_record(actor=w.staff_actor, task=task, location=w.stock.pick, sku=w.stock.sku, quantity=6)

    assert list(CountLine.objects.filter(task=task).values_list("counted", flat=True)) == [6]


def test_only_an_open_task_takes_counts_and_only_a_counted_one_is_approved():
    w = make_count_world()
    w.receive(w.stock.pick, 30)
    task = w.task(w.stock.pick)

    with pytest.raises(CountStatusInvalid):
        count_task_approve(actor=w.manager_actor, task=task)
    count_line_record(actor=w.staff_actor, task=task, location=w.stock.pick, sku=w.stock.sku, quantity=1)
    task = count_task_submit(actor=w.staff_actor, task=task)
    with pytest.raises(CountStatusInvalid) as refused:
        count_line_record(actor=w.staff_actor, task=task, location=w.stock.pick, sku=w.stock.sku, quantity=2)
    assert refused.value.code == "count.status_invalid"
    with pytest.raises(CountStatusInvalid):
        count_task_submit(actor=w.staff_actor, task=task)

    task = count_task_cancel(actor=w.manager_actor, task=task, reason="wrong bin")
    assert task.status == CountTaskStatus.CANCELLED and on_hand(w, w.stock.pick) == 30


def test_the_assignee_must_be_a_member_of_the_warehouses_operator():
    w = make_count_world()
    stranger = make_member(make_operator(), "warehouse_staff")

    with pytest.raises(CountAssigneeInvalid):
        w.task(w.stock.pick, assignee=stranger.user)


def test_a_task_names_locations_of_its_own_warehouse_only():
    w = make_count_world()
    other = make_count_world()

    with pytest.raises(CountInvalid):
        count_task_create(actor=w.manager_actor, warehouse=w.stock.warehouse, locations=[other.stock.pick])
    with pytest.raises(CountInvalid):
        count_task_create(actor=w.manager_actor, warehouse=w.stock.warehouse, locations=[])


def test_a_loss_below_the_reserved_quantity_cannot_be_applied_until_reservations_are_released():
    w = make_count_world(purchase_cost=Money(Decimal("1.00"), "EUR"))
    w.receive(w.stock.pick, 5)
    stock_reserve(
        actor=SYSTEM, owner=w.stock.seller, warehouse=w.stock.warehouse, lines=[DemandLine(w.stock.sku, 5)],
        demand_type="order", demand_ref="ORD-9",
    )  # fmt: skip
    task = w.task(w.stock.pick)
    count_line_record(actor=w.staff_actor, task=task, location=w.stock.pick, sku=w.stock.sku, quantity=4)

    with pytest.raises(InsufficientStock):
        count_task_submit(actor=w.staff_actor, task=task)

    task.refresh_from_db()
    assert task.status == CountTaskStatus.OPEN and ledger_verify() == []


def test_limits_come_from_the_warehouses_policy_or_the_defaults_in_its_currency():
    w = make_count_world()

    default = count_limits(w.stock.warehouse)
    count_policy_set(
        actor=SYSTEM, warehouse=w.stock.warehouse, max_units=3, max_value=Money.of("25.5", "EUR")
    )

    assert (default.max_units, default.max_value) == (10, Money.of("100", w.stock.warehouse.currency))
    assert count_limits(w.stock.warehouse).max_units == 3
    assert count_limits(w.stock.warehouse).max_value == Money.of("25.50", "EUR")


def test_every_step_of_a_count_is_audited():
    w = make_count_world()
    w.receive(w.stock.pick, 2)
    task = w.task(w.stock.pick)
    count_line_record(actor=w.staff_actor, task=task, location=w.stock.pick, sku=w.stock.sku, quantity=2)
    count_task_submit(actor=w.staff_actor, task=task)

    actions = [e.action for e in audit_entries_for(subject=task)]

    assert actions == ["count.applied", "count.line_recorded", "count.task_created"]


def test_an_open_task_can_be_given_to_another_member_of_the_operator():
    w = make_count_world()
    w.receive(w.stock.pick, 1)
    task = w.task(w.stock.pick)
    colleague = make_member(w.operator, "warehouse_staff")

    task = count_task_assign(actor=w.manager_actor, task=task, assignee=colleague.user)

    assert task.assignee == colleague.user
    assert audit_entries_for(subject=task)[0].changes["after"] == {"assignee": colleague.user.username}


def test_whoever_counted_a_task_cannot_approve_its_variances():
    # given a manager who counted a bin himself and submitted a variance above the limit
    w = make_count_world()
    w.receive(w.stock.bulk, 50)
    task = w.task(w.stock.bulk)
    count_line_record(actor=w.manager_actor, task=task, location=w.stock.bulk, sku=w.stock.sku, quantity=30)
    task = count_task_submit(actor=w.manager_actor, task=task)

    # when he approves it himself, then it is refused and nothing is applied
    with pytest.raises(CountSelfApproval) as caught:
        count_task_approve(actor=w.manager_actor, task=task)
    assert caught.value.code == "count.self_approval"
    task.refresh_from_db()
    assert task.status == CountTaskStatus.COUNTED and on_hand(w, w.stock.bulk) == 50
