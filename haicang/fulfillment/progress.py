"""How pick lists, outbounds and waves follow their tasks (docs/fulfillment.md, "Picking").

Called by the services that change tasks (scans, shorts, resolutions, cancellations), inside their
transaction, after the change:

- a **pick list** is ``done`` when none of its tasks is still to pick and at least one was picked or short;
  ``cancelled`` when every task was cancelled; a done list that gets a new task (a short re-allocated to
  another bin) is open again — ``in_progress`` when it was started;
- an **outbound** that is ``picking`` is ``picked`` once none of its tasks is still to pick and none of its
  short picks waits for a resolution;
- a released **wave** is ``done`` when every pick list is done or cancelled (and open again when a list
  re-opens).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import datetime
from typing import Any

from django.db.models import Model

from haicang.core.actors import Actor
from haicang.core.audit import audit_entry_build, audit_record
from haicang.core.rows import rows_insert_bulk
from haicang.fulfillment.models import (
    ExceptionStatus,
    Outbound,
    OutboundStatus,
    PickException,
    PickList,
    PickListStatus,
    PickTask,
    PickTaskStatus,
    Wave,
    WaveStatus,
)

CLOSED_LIST = (PickListStatus.DONE, PickListStatus.CANCELLED)


def audit_bulk(
    *,
    actor: Actor,
    action: str,
    changes: Iterable[tuple[Model, Mapping[str, Any] | None, Mapping[str, Any] | None]],
    occurred_at: datetime,
) -> None:
    """One audit entry per ``(subject, before, after)`` written with one prepared statement (waves write
    thousands): what ``audit_record_many`` writes, without the ORM's per-batch statement compilation."""
    rows_insert_bulk(
        [
            audit_entry_build(
                actor=actor,
                action=action,
                subject=subject,
                before=before,
                after=after,
                occurred_at=occurred_at,
            )
            for subject, before, after in changes
        ]
    )


def pick_list_settle(actor: Actor, pick_list: PickList, now: datetime) -> PickList:
    """Bring the list's status in line with its tasks, then its wave's."""
    statuses = set(pick_list.tasks.values_list("status", flat=True))
    previous = pick_list.status
    if PickTaskStatus.OPEN in statuses:
        if previous in CLOSED_LIST:
            pick_list.status = PickListStatus.IN_PROGRESS if pick_list.started_at else PickListStatus.OPEN
            pick_list.completed_at = None
    elif statuses & {PickTaskStatus.PICKED, PickTaskStatus.SHORT}:
        pick_list.status = PickListStatus.DONE
        pick_list.completed_at = pick_list.completed_at or now
    else:
        pick_list.status = PickListStatus.CANCELLED
        pick_list.completed_at = pick_list.completed_at or now
    if pick_list.status != previous:
        pick_list.save(update_fields=["status", "completed_at", "updated_at"])
        audit_record(
            actor=actor,
            action=f"pick_list.{pick_list.status}",
            subject=pick_list,
            before={"status": previous},
            after={"status": pick_list.status},
            occurred_at=now,
        )
    wave_settle(actor, Wave.objects.get(pk=pick_list.wave_id), now)
    return pick_list


def wave_settle(actor: Actor, wave: Wave, now: datetime) -> Wave:
    if wave.status not in (WaveStatus.RELEASED, WaveStatus.DONE):
        return wave
    open_lists = wave.pick_lists.exclude(status__in=CLOSED_LIST).exists()
    previous = wave.status
    if wave.status == WaveStatus.RELEASED and not open_lists:
        wave.status, wave.completed_at = WaveStatus.DONE, now
    elif wave.status == WaveStatus.DONE and open_lists:
        wave.status, wave.completed_at = WaveStatus.RELEASED, None
    if wave.status != previous:
        wave.save(update_fields=["status", "completed_at", "updated_at"])
        audit_record(
            actor=actor,
            action=f"wave.{'done' if wave.status == WaveStatus.DONE else 'reopened'}",
            subject=wave,
            before={"status": previous},
            after={"status": wave.status},
            occurred_at=now,
        )
    return wave


def outbound_settle(actor: Actor, outbound: Outbound, now: datetime) -> Outbound:
    """``picking`` → ``picked`` when nothing is left to pick and no short pick waits (see the module)."""
    if outbound.status != OutboundStatus.PICKING:
        return outbound
    if outbound.pick_tasks.filter(status=PickTaskStatus.OPEN).exists():
        return outbound
    if PickException.objects.filter(outbound=outbound, status=ExceptionStatus.OPEN).exists():
        return outbound
    outbound.status, outbound.picked_at = OutboundStatus.PICKED, now
    outbound.version += 1
    outbound.save(update_fields=["status", "picked_at", "version", "updated_at"])
    audit_record(
        actor=actor,
        action="outbound.picked",
        subject=outbound,
        before={"status": OutboundStatus.PICKING},
        after={"status": OutboundStatus.PICKED},
        occurred_at=now,
    )
    return outbound


def outbound_tasks_cancel(actor: Actor, outbound: Outbound, now: datetime) -> list[PickList]:
    """Cancel the outbound's tasks still to pick (picked units go back to their bins: picking moves no stock),
    close its open short picks, and settle the lists they were on. Returns those lists."""
    lists = list(
        PickList.objects.select_for_update()
        .filter(pk__in=outbound.pick_tasks.values("pick_list_id"))
        .order_by("pk")
    )
    touched = outbound.pick_tasks.filter(status=PickTaskStatus.OPEN).update(status=PickTaskStatus.CANCELLED)
    PickException.objects.filter(outbound=outbound, status=ExceptionStatus.OPEN).update(
        status=ExceptionStatus.RESOLVED,
        resolved_by=actor.label[:200],
        resolved_at=now,
        note="outbound closed",
    )
    if touched or lists:
        for pick_list in lists:
            pick_list_settle(actor, pick_list, now)
    return lists


def outbound_lock(outbound: Outbound) -> Outbound:
    """Lock the outbound's pick lists (by id), then the outbound, and read it again: the one lock order of
    the picking services (warehouse → pick lists → outbound → tasks), so a scan and a cancellation never wait
    for each other in a circle."""
    list(
        PickList.objects.select_for_update()
        .filter(pk__in=PickTask.objects.filter(outbound_id=outbound.pk).values("pick_list_id"))
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    return Outbound.objects.select_for_update().get(pk=outbound.pk)
