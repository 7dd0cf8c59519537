"""Cycle counts: create a task, record blind counts, submit, approve or reject; variances become adjustments.

Life of a task: ``open`` (counting) → submit → ``applied`` at once when no variance needs approval, else
``counted`` → approve (→ ``applied``) or reject (→ ``open`` again for a recount, ``round`` + 1). An open or
counted task can be cancelled.

**Blind counting.** The counter never sees what the ledger holds. The expected quantity of a line is
snapshotted server-side *when the line is recorded* (not when the task is created): a bin counted at 10:05
is compared with the ledger at 10:05, so picks and putaways elsewhere in the task during a long count do
not show up as variances. Stock of a task location that nobody recorded is taken as counted 0 when the task
is submitted, with its expected quantity snapshotted then.

**Compare-and-set on apply.** Applying a task checks, per line with a variance, that the location still
holds the snapshotted quantity; if stock moved there since it was counted the whole task is refused with
``count.stale`` naming the lines (nothing is applied) — record those lines again (open task) or reject the
task for a recount (counted task). The variances are posted through the one ledger writer
(:func:`haicang.inventory.ledger.moves_post`) as moves between the location and *inventory loss*, document
type ``cycle_count``, document ref the task's number, with a reason — in one transaction, one call per owner
in ascending owner order (balances in ascending key order inside each, as ``locks`` requires).
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections import defaultdict
from collections.abc import Sequence
from typing import Any

from django.db import transaction
from django.db.models import Sum
from django.utils import timezone

from haicang.catalog.models import Sku
from haicang.core.actors import Actor
from haicang.core.audit import audit_record
from haicang.core.fx import FxRateMissing, fx_convert
from haicang.core.money import Money
from haicang.core.sequences import document_number_next
from haicang.inventory import locks
from haicang.inventory.count_rules import (
    DEFAULT_MAX_UNITS,
    DEFAULT_MAX_VALUE,
    MAX_POLICY_UNITS,
    MAX_POLICY_VALUE,
    Limits,
    approval_reasons,
    variance_value,
)
from haicang.inventory.count_selectors import is_own_count
from haicang.inventory.errors import (
    CountAssigneeInvalid,
    CountInvalid,
    CountLineInvalid,
    CountPolicyInvalid,
    CountSelfApproval,
    CountStatusInvalid,
    StaleCount,
)
from haicang.inventory.ledger import MoveLine, moves_post
from haicang.inventory.models import (
    Balance,
    CountLine,
    CountPolicy,
    CountTask,
    CountTaskKind,
    CountTaskStatus,
    Lot,
)
from haicang.network.models import Location, LocationKind, Warehouse
from haicang.network.models.locations import REAL_KINDS
from haicang.parties.models import Membership, ServiceAgreement

DOCUMENT_TYPE = "cycle_count"
MAX_LOCATIONS = 5000

# --- policy -----------------------------------------------------------------------------------------------


def count_limits(warehouse: Warehouse) -> Limits:
    """The approval limits of ``warehouse``: its policy, else the defaults in the warehouse's currency."""
    policy = CountPolicy.objects.filter(warehouse=warehouse).first()
    if policy is None or policy.max_value is None:
        return Limits(DEFAULT_MAX_UNITS, Money(DEFAULT_MAX_VALUE, warehouse.currency))
    return Limits(policy.max_units, policy.max_value)


def count_policy_set(*, actor: Actor, warehouse: Warehouse, max_units: int, max_value: Money) -> CountPolicy:
    """Set when a variance at ``warehouse`` needs a manager's approval."""
    if isinstance(max_units, bool) or not isinstance(max_units, int) or max_units < 0:
        raise CountPolicyInvalid("max_units is a whole number, 0 or more", field="max_units")
    if max_units > MAX_POLICY_UNITS:
        raise CountPolicyInvalid(f"max_units is at most {MAX_POLICY_UNITS}", field="max_units")
    if not isinstance(max_value, Money):
        raise CountPolicyInvalid("max_value is an amount of money", field="max_value")
    if max_value.is_negative():
        raise CountPolicyInvalid("max_value is 0 or more", field="max_value")
    if max_value.amount > MAX_POLICY_VALUE:
        raise CountPolicyInvalid(f"max_value is at most {MAX_POLICY_VALUE}", field="max_value")
    with transaction.atomic():
        before = CountPolicy.objects.filter(warehouse=warehouse).first()
        policy, _created = CountPolicy.objects.update_or_create(
            warehouse=warehouse, defaults={"max_units": max_units, "max_value": max_value.rounded()}
        )
        audit_record(
            actor=actor,
            action="count.policy_set",
            subject=policy,
            before={"max_units": before.max_units, "max_value": str(before.max_value)} if before else None,
            after={"max_units": policy.max_units, "max_value": str(policy.max_value)},
        )
    return policy


# --- tasks ------------------------------------------------------------------------------------------------


def _check_assignee(warehouse: Warehouse, assignee: Any | None) -> None:
    if assignee is None:
        return
    if not Membership.objects.filter(
        user=assignee, operator_id=warehouse.operator_id, is_active=True
    ).exists():
        raise CountAssigneeInvalid(
            f"{assignee} is not a member of the warehouse's operator", field="assignee"
        )


def _sku_locations(warehouse: Warehouse, sku: Sku) -> list[Location]:
    ids = (
        Balance.objects.filter(
            sku=sku, location__warehouse=warehouse, location__kind__in=sorted(REAL_KINDS), quantity__gt=0
        )
        .values_list("location_id", flat=True)
        .distinct()
    )
    return list(Location.objects.filter(pk__in=ids))


def count_task_create(
    *,
    actor: Actor,
    warehouse: Warehouse,
    locations: Sequence[Location] | None = None,
    sku: Sku | None = None,
    assignee: Any | None = None,
    note: str = "",
) -> CountTask:
    """A task to count ``locations`` of ``warehouse``, or ``sku`` at every location of the warehouse that
    holds it now (exactly one of the two)."""
    if (locations is None) == (sku is None):
        raise CountInvalid("count either some locations or one SKU", field="locations")
    _check_assignee(warehouse, assignee)
    if sku is not None:
        targets = _sku_locations(warehouse, sku)
        if not targets:
            raise CountInvalid(f"{warehouse.code} holds no {sku.code}", field="sku")
    else:
        targets = list({loc.pk: loc for loc in locations or []}.values())
        if not targets:
            raise CountInvalid("name at least one location", field="locations")
        if len(targets) > MAX_LOCATIONS:
            raise CountInvalid(f"a task counts at most {MAX_LOCATIONS} locations", field="locations")
        for location in targets:
            if location.warehouse_id != warehouse.pk or location.kind not in REAL_KINDS:
                raise CountInvalid(f"{location} is not a location of {warehouse.code}", field="locations")
    with transaction.atomic():
        task = CountTask.objects.create(
            number=document_number_next(scope=warehouse.operator_id, prefix="CNT"),
            operator_id=warehouse.operator_id,
            warehouse=warehouse,
            kind=CountTaskKind.SKU if sku is not None else CountTaskKind.LOCATION,
            sku=sku,
            assignee=assignee,
            note=(note or "").strip()[:500],
            created_by=actor.label[:200],
        )
        task.locations.set(targets)
        audit_record(
            actor=actor,
            action="count.task_created",
            subject=task,
            after={
                "warehouse": warehouse.code,
                "kind": task.kind,
                "sku": sku.code if sku else None,
                "locations": sorted(loc.code for loc in targets)[:200],
                "assignee": assignee.get_username() if assignee else None,
            },
        )
    return task


def count_task_assign(*, actor: Actor, task: CountTask, assignee: Any | None) -> CountTask:
    with transaction.atomic():
        task = _hold(task, CountTaskStatus.OPEN, CountTaskStatus.COUNTED)
        _check_assignee(task.warehouse, assignee)
        before = task.assignee.get_username() if task.assignee else None
        task.assignee = assignee
        task.save(update_fields=["assignee", "updated_at"])
        after = assignee.get_username() if assignee else None
        audit_record(
            actor=actor,
            action="count.assigned",
            subject=task,
            before={"assignee": before},
            after={"assignee": after},
        )
    return task


def _hold(task: CountTask, *statuses: str) -> CountTask:
    """Lock the task's row (a guarded no-op update) and read it again; refused unless it is in ``statuses``.
    Recording, submitting and deciding all start here, so they never interleave on one task."""
    held = CountTask.objects.filter(pk=task.pk, status__in=statuses).update(updated_at=timezone.now())
    fresh = CountTask.objects.select_related("warehouse", "sku", "assignee").get(pk=task.pk)
    if held != 1:
        raise CountStatusInvalid(
            f"count {fresh.number} is {fresh.status}; this needs it {' or '.join(statuses)}",
            status=fresh.status,
        )
    return fresh


def _on_hand(
    *, owner_id: uuid.UUID, sku_id: uuid.UUID, location_id: uuid.UUID, lot_code: str, lock: bool = False
) -> int:
    rows = Balance.objects.filter(
        owner_id=owner_id, sku_id=sku_id, location_id=location_id, lot_code=lot_code
    )
    if lock:  # PostgreSQL: keep these layers as read until commit; SQLite holds the write lock from BEGIN
        rows = rows.select_for_update()
    return int(rows.aggregate(total=Sum("quantity"))["total"] or 0)


def _check_line(task: CountTask, location: Location, sku: Sku, lot_code: str) -> None:
    if location.warehouse_id != task.warehouse_id or location.kind not in REAL_KINDS:
        raise CountLineInvalid(f"{location} is not a location of {task.warehouse.code}", field="location")
    if task.kind == CountTaskKind.LOCATION and not task.locations.filter(pk=location.pk).exists():
        raise CountLineInvalid(
            f"{location.code} is not one of the locations of {task.number}", field="location"
        )
    if task.kind == CountTaskKind.SKU and sku.pk != task.sku_id:
        raise CountLineInvalid(f"{task.number} counts {task.sku.code if task.sku else ''} only", field="sku")
    if not ServiceAgreement.objects.filter(seller_id=sku.seller_id, warehouses=task.warehouse).exists():
        raise CountLineInvalid(f"{sku.code} is not stored at {task.warehouse.code}", field="sku")
    if sku.track_lot:
        if not lot_code:
            raise CountLineInvalid(f"{sku.code} is lot-tracked: name the lot", field="lot_code")
        if not Lot.objects.filter(sku=sku, code=lot_code).exists():
            raise CountLineInvalid(f"{sku.code} has no lot {lot_code}", field="lot_code")
    elif lot_code:
        raise CountLineInvalid(f"{sku.code} is not lot-tracked", field="lot_code")


def count_line_record(
    *, actor: Actor, task: CountTask, location: Location, sku: Sku, quantity: int, lot_code: str = ""
) -> CountLine:
    """Record that ``quantity`` units of ``sku`` (lot ``lot_code``) are at ``location`` — replacing an earlier
    count of the same line. The ledger's quantity is snapshotted now and kept from the counter."""
    if isinstance(quantity, bool) or not isinstance(quantity, int) or quantity < 0:
        raise CountLineInvalid("a counted quantity is a whole number, 0 or more", field="quantity")
    lot_code = (lot_code or "").strip()
    with transaction.atomic():
        task = _hold(task, CountTaskStatus.OPEN)
        _check_line(task, location, sku, lot_code)
        now = timezone.now()
        expected = _on_hand(owner_id=sku.seller_id, sku_id=sku.pk, location_id=location.pk, lot_code=lot_code)
        line, created = CountLine.objects.update_or_create(
            task=task,
            location=location,
            sku=sku,
            lot_code=lot_code,
            defaults={
                "owner_id": sku.seller_id,
                "counted": quantity,
                "expected": expected,
                "counted_at": now,
                "counted_by": actor.label[:200],
                "implied": False,
            },
        )
        audit_record(
            actor=actor,
            action="count.line_recorded",
            subject=task,
            after={"location": location.code, "sku": sku.code, "lot": lot_code, "counted": quantity},
            summary="" if created else "recounted",
        )
    return line


def _implied_lines(task: CountTask, *, actor: Actor) -> list[CountLine]:
    """Stock at the task's locations that nobody recorded: counted 0, expected snapshotted now."""
    recorded = set(task.lines.values_list("location_id", "sku_id", "lot_code"))
    rows = Balance.objects.filter(location__in=task.locations.all(), quantity__gt=0)
    if task.kind == CountTaskKind.SKU and task.sku_id is not None:
        rows = rows.filter(sku_id=task.sku_id)
    totals = rows.values("owner_id", "sku_id", "location_id", "lot_code").annotate(total=Sum("quantity"))
    now = timezone.now()
    lines = [
        CountLine(
            task=task,
            location_id=row["location_id"],
            owner_id=row["owner_id"],
            sku_id=row["sku_id"],
            lot_code=row["lot_code"],
            counted=0,
            expected=int(row["total"]),
            counted_at=now,
            counted_by=actor.label[:200],
            implied=True,
        )
        for row in totals
        if (row["location_id"], row["sku_id"], row["lot_code"]) not in recorded and row["total"] > 0
    ]
    return CountLine.objects.bulk_create(lines)


def _value(line: CountLine, limits: Limits, on: dt.date) -> Money | None:
    value = variance_value(line.variance, line.sku.purchase_cost)
    if value is None:
        return None
    if value.currency != limits.max_value.currency:
        try:
            return fx_convert(money=value, to=limits.max_value.currency, on=on)
        except FxRateMissing:
            return None
    return value.rounded()


def _review(task: CountTask) -> list[CountLine]:
    """Value each line's variance and mark the ones that wait for approval."""
    limits = count_limits(task.warehouse)
    today = timezone.localdate()
    lines = list(task.lines.select_related("sku", "location"))
    for line in lines:
        line.value = _value(line, limits, today) if line.variance else None
        reasons = approval_reasons(variance=line.variance, value=line.value, limits=limits)
        line.needs_approval = bool(reasons)
        line.approval_reasons = ",".join(reasons)
    CountLine.objects.bulk_update(
        lines, ["value_amount", "value_currency", "needs_approval", "approval_reasons"]
    )
    return lines


def _variance_summary(lines: list[CountLine]) -> dict[str, Any]:
    changed = [ln for ln in lines if ln.variance]
    return {
        "lines": len(lines),
        "variances": len(changed),
        "units_found": sum(ln.variance for ln in changed if ln.variance > 0),
        "units_lost": -sum(ln.variance for ln in changed if ln.variance < 0),
    }


def _apply(task: CountTask, *, actor: Actor) -> int:
    """Post every variance as an adjustment, compare-and-set against the snapshots; the number of lines posted."""
    lines = sorted(
        (ln for ln in task.lines.select_related("sku", "location") if ln.variance),
        key=lambda ln: (str(ln.owner_id), str(ln.location_id), str(ln.sku_id), ln.lot_code),
    )
    stale = [line for line in lines if _on_hand_of(line, lock=True) != line.expected]
    if stale:
        _refuse_stale(task, stale)
    loss = Location.objects.get(warehouse__isnull=True, kind=LocationKind.INVENTORY_LOSS)
    by_owner: dict[uuid.UUID, list[MoveLine]] = defaultdict(list)
    for line in lines:
        by_owner[line.owner_id].append(
            MoveLine(line.sku_id, loss, line.location, line.variance, lot_code=line.lot_code)
            if line.variance > 0
            else MoveLine(
                line.sku_id,
                line.location,
                loss,
                -line.variance,
                lot_code=line.lot_code,
                fefo=line.sku.track_expiry,
            )
        )
    for owner_id in sorted(by_owner, key=str):
        moves_post(
            actor=actor,
            owner_id=owner_id,
            lines=by_owner[owner_id],
            document_type=DOCUMENT_TYPE,
            document_ref=task.number,
            reason=f"cycle count {task.number}",
        )
    # A layer inserted after the snapshot (PostgreSQL locks only rows it read) would slip past the check
    # above: read the totals once more and refuse unless every line now holds what was counted.
    late = [line for line in lines if _on_hand_of(line) != line.counted]
    if late:
        _refuse_stale(task, late)
    return len(lines)


def _on_hand_of(line: CountLine, *, lock: bool = False) -> int:
    return _on_hand(
        owner_id=line.owner_id,
        sku_id=line.sku_id,
        location_id=line.location_id,
        lot_code=line.lot_code,
        lock=lock,
    )


def _refuse_stale(task: CountTask, stale: list[CountLine]) -> None:
    names = [
        f"{line.location.code} {line.sku.code}{' ' + line.lot_code if line.lot_code else ''}"
        for line in stale
    ]
    raise StaleCount(
        f"stock moved at {', '.join(names[:10])}{' …' if len(names) > 10 else ''} after it was counted "
        f"for {task.number}: nothing was applied; count those lines again",
        field="lines",
        lines=[str(line.pk) for line in stale],
    )


def count_task_submit(*, actor: Actor, task: CountTask) -> CountTask:
    """The counter is done. Stock nobody recorded at the task's locations counts as 0; variances are valued;
    with none above the limits the task is applied at once, else it waits for approval (``counted``).
    Raises StaleCount (nothing changes, the task stays open) when stock moved at a counted line."""

    def submit() -> CountTask:
        fresh = _hold(task, CountTaskStatus.OPEN)
        _implied_lines(fresh, actor=actor)
        lines = _review(fresh)
        now = timezone.now()
        fresh.submitted_at, fresh.submitted_by = now, actor.label[:200]
        waiting = [ln for ln in lines if ln.needs_approval]
        if waiting:
            fresh.status = CountTaskStatus.COUNTED
        else:
            _apply(fresh, actor=actor)
            fresh.status, fresh.applied_at = CountTaskStatus.APPLIED, now
        fresh.save(update_fields=["status", "submitted_at", "submitted_by", "applied_at", "updated_at"])
        audit_record(
            actor=actor,
            action="count.submitted" if waiting else "count.applied",
            subject=fresh,
            before={"status": CountTaskStatus.OPEN},
            after={"status": fresh.status, **_variance_summary(lines), "awaiting_approval": len(waiting)},
        )
        return fresh

    return locks.ledger_atomic(submit)


def count_task_approve(*, actor: Actor, task: CountTask, note: str = "") -> CountTask:
    """A manager accepts the variances of a counted task: they are applied now (compare-and-set). Segregation of
    duties: the approver is none of the people who counted or submitted it (``count.self_approval``)."""

    def approve() -> CountTask:
        fresh = _hold(task, CountTaskStatus.COUNTED)
        if is_own_count(fresh, actor):
            raise CountSelfApproval(
                f"you counted or submitted count {fresh.number}: another manager approves its variances"
            )
        posted = _apply(fresh, actor=actor)
        now = timezone.now()
        fresh.status, fresh.applied_at = CountTaskStatus.APPLIED, now
        fresh.decided_at, fresh.decided_by, fresh.decision_note = (
            now,
            actor.label[:200],
            (note or "").strip()[:500],
        )
        fresh.save(
            update_fields=["status", "applied_at", "decided_at", "decided_by", "decision_note", "updated_at"]
        )
        audit_record(
            actor=actor,
            action="count.approved",
            subject=fresh,
            before={"status": CountTaskStatus.COUNTED},
            after={"status": fresh.status, "adjusted_lines": posted, "note": fresh.decision_note},
        )
        return fresh

    return locks.ledger_atomic(approve)


def count_task_reject(*, actor: Actor, task: CountTask, reason: str) -> CountTask:
    """A manager refuses the count: nothing is applied, the lines are dropped and the task is open again for a
    recount (``round`` + 1). The dropped counts stay in the audit log."""
    reason = (reason or "").strip()
    if not reason:
        raise CountInvalid("say why the count is rejected", field="reason")
    with transaction.atomic():
        fresh = _hold(task, CountTaskStatus.COUNTED)
        dropped = [
            {
                "location": ln.location.code,
                "sku": ln.sku.code,
                "lot": ln.lot_code,
                "counted": ln.counted,
                "variance": ln.variance,
            }
            for ln in fresh.lines.select_related("location", "sku")
        ]
        fresh.lines.all().delete()
        now = timezone.now()
        fresh.status, fresh.round = CountTaskStatus.OPEN, fresh.round + 1
        fresh.submitted_at, fresh.submitted_by = None, ""
        fresh.decided_at, fresh.decided_by, fresh.decision_note = now, actor.label[:200], reason[:500]
        fresh.save(
            update_fields=[
                "status",
                "round",
                "submitted_at",
                "submitted_by",
                "decided_at",
                "decided_by",
                "decision_note",
                "updated_at",
            ]
        )
        audit_record(
            actor=actor,
            action="count.rejected",
            subject=fresh,
            before={"status": CountTaskStatus.COUNTED, "lines": dropped[:500]},
            after={"status": CountTaskStatus.OPEN, "round": fresh.round, "reason": reason},
        )
    return fresh


def count_task_cancel(*, actor: Actor, task: CountTask, reason: str = "") -> CountTask:
    """Give up an open or counted task: nothing is applied."""
    with transaction.atomic():
        fresh = _hold(task, CountTaskStatus.OPEN, CountTaskStatus.COUNTED)
        before = fresh.status
        now = timezone.now()
        fresh.status = CountTaskStatus.CANCELLED
        fresh.decided_at, fresh.decided_by, fresh.decision_note = (
            now,
            actor.label[:200],
            (reason or "").strip()[:500],
        )
        fresh.save(update_fields=["status", "decided_at", "decided_by", "decision_note", "updated_at"])
        audit_record(
            actor=actor,
            action="count.cancelled",
            subject=fresh,
            before={"status": before},
            after={"status": fresh.status, "reason": fresh.decision_note},
        )
    return fresh
