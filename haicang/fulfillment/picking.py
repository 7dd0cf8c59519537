"""Picking: start a list, confirm every pick by scanning, report a short pick, resolve it (docs/fulfillment.md,
"Picking").

A picker starts a released pick list (:func:`pick_list_start`) and walks its stops in order. The **current task**
is the first one still to pick by stop, then sort slot. Each scan (:func:`pick_scan`) names the **bin**, then the
SKU's **barcode** (any barcode of the SKU in the catalogue, or its code as typed) and the **quantity** (at most
what the task still needs; fewer is a partial pick, the task stays current):

- a wrong bin (``pick.wrong_bin``), an unknown barcode (``pick.unknown_barcode``), another SKU
  (``pick.wrong_item``) or a quantity of 0 or above what the task needs (``pick.wrong_quantity``) is
  **refused**: nothing is applied, and the scan is kept as a :class:`~haicang.fulfillment.models.PickScan`
  with its reason code and a sentence for the screen;
- a bin scan alone (no barcode) is kept as an accepted scan of quantity 0 (the page's first step);
- an accepted scan adds to the task's ``picked_quantity`` (the task is ``picked`` when complete); the outbound is
  ``picked`` when none of its tasks is left, the list ``done``, the wave ``done`` (``progress``).

Picking moves **no stock**: ship confirmation later consumes the reservation from the picked bins.

A request cancelled or rejected **elsewhere** (the orders API's cancel or cancellation answer) leaves its
outbound on the list: its tasks are never current, and :func:`pick_list_sync` — run before every start and scan —
closes the outbound (tasks cancelled, list settled).

**Short picks** (:func:`pick_short`): the bin holds fewer than the task needs. The picker says how many of the
missing units were found (``found``, taken at once); the task becomes ``short``, a
:class:`~haicang.fulfillment.models.PickException` records the units missing, the outbound goes to
``exception``, and the bin is flagged for a **cycle count** (``inventory.counting.count_task_create``, unless a
count of it is open already) — until the count is done no new task is allocated from it. The picker carries on.

**Resolution** (:func:`pick_exception_resolve`): ``other_bin`` re-allocates the missing units from other bins
with stock (new tasks on the same list, at its end; the list and the wave re-open if they were done), refused
with ``pick.no_other_bin`` when none holds them; ``handed_back`` gives the request back to the seller's routing
(``outbound.outbound_hand_back`` with the reason "short pick"); ``None`` (automatic) takes another bin when one
holds the units, else hands back.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.db import transaction
from django.db.models import Max, Q
from django.utils import timezone

from haicang.catalog.identifiers import barcode_key
from haicang.catalog.models import Sku
from haicang.core.actors import Actor
from haicang.core.audit import audit_record
from haicang.core.errors import DomainError, ValidationFailed
from haicang.fulfillment import progress
from haicang.fulfillment.bin_allocation import stock_load
from haicang.fulfillment.errors import FoundInvalid, NoOtherBin, TransitionInvalid
from haicang.fulfillment.models import (
    ExceptionResolution,
    ExceptionStatus,
    Outbound,
    OutboundStatus,
    PickException,
    PickList,
    PickListStatus,
    PickScan,
    PickTask,
    PickTaskStatus,
    ScanResult,
    WaveStatus,
)
from haicang.fulfillment.outbound import outbound_hand_back, outbounds_sync, warehouse_lock
from haicang.inventory.models import CountTask, CountTaskStatus
from haicang.orders.models_fulfilment import RequestStatus

WRONG_BIN = "pick.wrong_bin"
UNKNOWN_BARCODE = "pick.unknown_barcode"
WRONG_ITEM = "pick.wrong_item"
WRONG_QUANTITY = "pick.wrong_quantity"
SHORT_PICK_REASON = "short pick"
CLOSED_REQUEST = (RequestStatus.CANCELLED, RequestStatus.REJECTED)


def _require_list(pick_list: PickList, *allowed: str, action: str) -> None:
    if pick_list.status not in allowed:
        raise TransitionInvalid(
            f"{pick_list.number} is {pick_list.status}: cannot {action} (needs {' or '.join(allowed)})",
            field="status",
            status=pick_list.status,
        )


def current_task(pick_list: PickList) -> PickTask | None:
    """The next task to pick: the first still open by stop, then sort slot — never one whose request was
    cancelled or rejected meanwhile (:func:`pick_list_sync` closes those)."""
    return (
        pick_list.tasks.filter(status=PickTaskStatus.OPEN)
        .exclude(outbound__request__status__in=CLOSED_REQUEST)
        .select_related("location", "sku", "outbound")
        .order_by("stop", "sort_slot", "pk")
        .first()
    )


def pick_list_sync(*, actor: Actor, pick_list: PickList, now: datetime | None = None) -> int:
    """Close the outbounds on ``pick_list`` whose request was cancelled or rejected elsewhere (the orders API's
    cancel or cancellation answer, which do not reach the outbound): their tasks still to pick are cancelled and
    the list settled (``outbound.outbounds_sync``). Runs before every start and scan; returns how many closed."""
    stale = list(
        pick_list.tasks.filter(status=PickTaskStatus.OPEN, outbound__request__status__in=CLOSED_REQUEST)
        .values_list("outbound_id", flat=True)
        .distinct()
    )
    if not stale:
        return 0
    now = now or timezone.now()
    with transaction.atomic():
        closed = 0
        for outbound in Outbound.objects.filter(pk__in=stale).order_by("pk"):
            locked = progress.outbound_lock(outbound)
            closed += not outbounds_sync(actor=actor, outbounds=[locked], now=now)
        return closed


def pick_list_start(
    *, actor: Actor, pick_list: PickList, assignee: str = "", now: datetime | None = None
) -> PickList:
    """A picker takes the list: ``open`` → ``in_progress`` (``assignee``: the picker's label, default the actor)."""
    now = now or timezone.now()
    pick_list_sync(actor=actor, pick_list=pick_list, now=now)
    with transaction.atomic():
        pick_list = PickList.objects.select_for_update().select_related("wave").get(pk=pick_list.pk)
        _require_list(pick_list, PickListStatus.OPEN, action="start it")
        if pick_list.wave.status != WaveStatus.RELEASED:
            raise TransitionInvalid(
                f"wave {pick_list.wave.number} is {pick_list.wave.status}", field="status"
            )
        pick_list.status, pick_list.started_at = PickListStatus.IN_PROGRESS, now
        pick_list.assignee = (assignee or actor.label).strip()[:200]
        pick_list.save(update_fields=["status", "started_at", "assignee", "updated_at"])
        audit_record(
            actor=actor,
            action="pick_list.started",
            subject=pick_list,
            before={"status": PickListStatus.OPEN},
            after={"status": pick_list.status, "assignee": pick_list.assignee},
            occurred_at=now,
        )
        return pick_list


def _sku_for_barcode(seller_id: Any, text: str) -> Sku | None:
    if not text:
        return None
    return (
        Sku.objects.filter(seller_id=seller_id)
        .filter(Q(barcodes__key=barcode_key(text)) | Q(code__iexact=text))
        .distinct()
        .order_by("code")
        .first()
    )


def _judge(task: PickTask, bin_code: str, barcode: str, quantity: Any) -> tuple[str, str]:
    """``(reason code, sentence)`` of a refused scan, or ``("", "")`` when it may be applied."""
    expected = task.location.code
    if bin_code.upper() != expected.upper():
        return WRONG_BIN, f"{bin_code or '(nothing)'} is not the bin of this stop: go to {expected}"
    if not barcode:
        return "", ""
    found = _sku_for_barcode(task.sku.seller_id, barcode)
    if found is None:
        return UNKNOWN_BARCODE, f"{barcode} is no item of this seller: scan {task.sku.code}"
    if found.pk != task.sku_id:
        return WRONG_ITEM, f"this is {found.code}, the stop asks for {task.sku.code}"
    left = task.quantity - task.picked_quantity
    if isinstance(quantity, bool) or not isinstance(quantity, int) or not 1 <= quantity <= left:
        return (
            WRONG_QUANTITY,
            f"{quantity} is not a quantity for this stop: take 1 to {left} × {task.sku.code}",
        )
    return "", ""


def pick_scan(
    *,
    actor: Actor,
    pick_list: PickList,
    bin_code: str,
    barcode: str = "",
    quantity: Any = 1,
    now: datetime | None = None,
) -> PickScan:
    """Check a scan against the current task and apply it, or refuse it (module docstring). Always returns the
    kept scan; raises ``fulfillment.transition_invalid`` when the list is not being picked or nothing is left."""
    now = now or timezone.now()
    bin_code, barcode = (bin_code or "").strip()[:40], (barcode or "").strip()[:64]
    pick_list_sync(actor=actor, pick_list=pick_list, now=now)
    with transaction.atomic():
        pick_list = PickList.objects.select_for_update().get(pk=pick_list.pk)
        _require_list(pick_list, PickListStatus.IN_PROGRESS, action="scan")
        task = current_task(pick_list)
        if task is None:
            raise TransitionInvalid(f"{pick_list.number} has nothing left to pick", field="status")
        outbound = progress.outbound_lock(task.outbound)
        task = PickTask.objects.select_for_update().select_related("location", "sku").get(pk=task.pk)
        code, message = _judge(task, bin_code, barcode, quantity)
        amount = quantity if isinstance(quantity, int) and not isinstance(quantity, bool) else 0
        scan = PickScan.objects.create(
            pick_list=pick_list,
            task=task,
            actor=actor.label[:200],
            bin_code=bin_code,
            barcode=barcode,
            quantity=0 if not barcode else max(-(2**31), min(amount, 2**31 - 1)),
            result=ScanResult.REFUSED if code else ScanResult.ACCEPTED,
            reason_code=code,
            message=message[:300],
            occurred_at=now,
        )
        if code:
            audit_record(
                actor=actor,
                action="pick.scan_refused",
                subject=pick_list,
                after={"task": str(task.pk), "reason_code": code, "bin": bin_code, "barcode": barcode},
                summary=message[:200],
                occurred_at=now,
            )
            return scan
        if not barcode:
            return scan
        before = {"picked_quantity": task.picked_quantity, "status": task.status}
        task.picked_quantity += amount
        task.picked_by, task.picked_at = actor.label[:200], now
        if task.picked_quantity == task.quantity:
            task.status = PickTaskStatus.PICKED
        task.save(update_fields=["picked_quantity", "picked_by", "picked_at", "status"])
        audit_record(
            actor=actor,
            action="pick.scanned",
            subject=pick_list,
            before=before,
            after={
                "task": str(task.pk),
                "picked_quantity": task.picked_quantity,
                "status": task.status,
                "bin": task.location.code,
                "sku": task.sku.code,
            },
            occurred_at=now,
        )
        if task.status == PickTaskStatus.PICKED:
            progress.outbound_settle(actor, outbound, now)
            progress.pick_list_settle(actor, pick_list, now)
        return scan


def _count_flag(actor: Actor, task: PickTask, pick_list: PickList) -> None:
    """Ask for a cycle count of the task's bin, unless one is open for it already."""
    from haicang.inventory.counting import count_task_create

    open_count = CountTask.objects.filter(
        warehouse_id=pick_list.warehouse_id,
        locations=task.location,
        status__in=(CountTaskStatus.OPEN, CountTaskStatus.COUNTED),
    ).exists()
    if open_count:
        return
    try:
        with transaction.atomic():
            count_task_create(
                actor=actor,
                warehouse=pick_list.warehouse,
                locations=[task.location],
                note=f"short pick on {pick_list.number}: {task.sku.code} at {task.location.code}",
            )
    except DomainError:  # a count that cannot be opened must not stop the picker
        return


def pick_short(*, actor: Actor, task: PickTask, found: int = 0, now: datetime | None = None) -> PickException:
    """The bin holds fewer than the task needs (module docstring); ``found``: the units taken from it now."""
    now = now or timezone.now()
    with transaction.atomic():
        pick_list = PickList.objects.select_for_update().select_related("warehouse").get(pk=task.pick_list_id)
        _require_list(pick_list, PickListStatus.IN_PROGRESS, action="report a short pick")
        outbound = progress.outbound_lock(task.outbound)
        task = PickTask.objects.select_for_update().select_related("location", "sku").get(pk=task.pk)
        if task.status != PickTaskStatus.OPEN:
            raise TransitionInvalid(
                f"the task is {task.status}: only a task to pick can be short", field="status"
            )
        left = task.quantity - task.picked_quantity
        if isinstance(found, bool) or not isinstance(found, int) or not 0 <= found < left:
            raise FoundInvalid(f"found is 0 to {left - 1} (the task still needs {left})", field="found")
        missing = left - found
        task.picked_quantity += found
        task.short_quantity = missing
        task.status = PickTaskStatus.SHORT
        task.picked_by, task.picked_at = actor.label[:200], now
        task.save(update_fields=["picked_quantity", "short_quantity", "status", "picked_by", "picked_at"])
        exception = PickException.objects.create(
            task=task,
            outbound=outbound,
            warehouse_id=pick_list.warehouse_id,
            quantity=missing,
            raised_by=actor.label[:200],
            raised_at=now,
        )
        previous = outbound.status
        if outbound.status in (OutboundStatus.PICKING, OutboundStatus.PICKED):
            outbound.status = OutboundStatus.EXCEPTION
        outbound.exception_reason = (
            f"short pick: {missing} × {task.sku.code} missing at {task.location.code}"[:300]
        )
        outbound.version += 1
        outbound.save(update_fields=["status", "exception_reason", "version", "updated_at"])
        audit_record(
            actor=actor,
            action="pick.short",
            subject=outbound,
            before={"status": previous},
            after={
                "status": outbound.status,
                "task": str(task.pk),
                "bin": task.location.code,
                "sku": task.sku.code,
                "missing": missing,
                "found": found,
            },
            summary=outbound.exception_reason,
            occurred_at=now,
        )
        _count_flag(actor, task, pick_list)
        progress.pick_list_settle(actor, pick_list, now)
        return exception


def pick_exception_resolve(
    *,
    actor: Actor,
    exception: PickException,
    resolution: str | None = None,
    note: str = "",
    now: datetime | None = None,
) -> PickException:
    """Resolve a short pick: ``other_bin``, ``handed_back`` or ``None`` for automatic (module docstring)."""
    now = now or timezone.now()
    if resolution not in (None, ExceptionResolution.OTHER_BIN, ExceptionResolution.HANDED_BACK):
        raise ValidationFailed("resolution is other_bin or handed_back", field="resolution")
    with transaction.atomic():
        warehouse = warehouse_lock(exception.warehouse_id)
        exception = PickException.objects.select_related("task", "task__pick_list", "task__sku").get(
            pk=exception.pk
        )
        task = exception.task
        list(PickList.objects.select_for_update().filter(pk=task.pick_list_id))
        outbound = progress.outbound_lock(exception.outbound)
        exception = (
            PickException.objects.select_for_update()
            .select_related("task__sku", "task__location")
            .get(pk=exception.pk)
        )
        if exception.status != ExceptionStatus.OPEN:
            raise TransitionInvalid(
                "the short pick is resolved already", field="status", status=exception.status
            )
        if resolution != ExceptionResolution.HANDED_BACK:
            stock = stock_load(warehouse, [(outbound.seller_id, task.sku_id)])
            takes, missing = stock.take(
                outbound.seller_id, task.sku_id, exception.quantity, exclude=[task.location_id]
            )
            if not missing:
                return _other_bin(actor, exception, outbound, takes, note, now)
            if resolution == ExceptionResolution.OTHER_BIN:
                raise NoOtherBin(
                    f"no other bin holds {exception.quantity} × {task.sku.code}: hand it back",
                    field="resolution",
                    missing=missing,
                )
        reason = f"{SHORT_PICK_REASON}: {exception.quantity} × {task.sku.code} missing"
        if note.strip():
            reason += f" ({note.strip()})"
        exception.note = note.strip()[:300]
        exception.save(update_fields=["note"])
        outbound_hand_back(actor=actor, outbound=outbound, reason=reason[:300], now=now)
        exception.refresh_from_db()
        return exception


def _other_bin(
    actor: Actor, exception: PickException, outbound: Any, takes: list[Any], note: str, now: datetime
) -> PickException:
    task = exception.task
    pick_list = PickList.objects.get(pk=task.pick_list_id)
    last = pick_list.tasks.aggregate(last=Max("stop"))["last"] or 0
    stops: dict[Any, int] = {}
    created = []
    for take in takes:
        if take.location.pk not in stops:
            stops[take.location.pk] = last + len(stops) + 1
        created.append(
            PickTask.objects.create(
                pick_list=pick_list,
                outbound=outbound,
                sku_id=task.sku_id,
                location=take.location,
                lot_code=take.lot_code,
                quantity=take.quantity,
                stop=stops[take.location.pk],
                sort_slot=task.sort_slot,
            )
        )
    bins = ", ".join(f"{t.quantity} from {t.location.code}" for t in takes)
    exception.status, exception.resolution = ExceptionStatus.RESOLVED, ExceptionResolution.OTHER_BIN
    exception.resolved_by, exception.resolved_at = actor.label[:200], now
    exception.note = (note.strip() or bins)[:300]
    exception.save(update_fields=["status", "resolution", "resolved_by", "resolved_at", "note"])
    previous = outbound.status
    if not PickException.objects.filter(outbound=outbound, status=ExceptionStatus.OPEN).exists():
        outbound.status, outbound.exception_reason = OutboundStatus.PICKING, ""
    outbound.version += 1
    outbound.save(update_fields=["status", "exception_reason", "version", "updated_at"])
    audit_record(
        actor=actor,
        action="pick.exception_resolved",
        subject=outbound,
        before={"status": previous},
        after={"status": outbound.status, "resolution": exception.resolution, "bins": bins},
        occurred_at=now,
    )
    progress.pick_list_settle(actor, pick_list, now)
    return exception
