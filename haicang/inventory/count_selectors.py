"""Reads for cycle counts: which tasks a scope sees, who may count and who may review, and what a scan names.

Counting is the operator's work. A task is seen by the warehouse's operator (``inventory:read``); its lines are
recorded and it is submitted by its assignee — warehouse staff hold only ``inventory:read`` — or by anyone of
the operator with ``inventory:write``; only ``inventory:write`` (the operator's owner and manager) creates,
approves, rejects and cancels. A counter never sees the ledger's quantities of a count: the snapshot and the
variances are shown to ``inventory:write`` holders, and only once the task is submitted.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.db.models import Q, QuerySet

from haicang.catalog.identifiers import barcode_key
from haicang.catalog.models import Sku
from haicang.core.actors import Actor
from haicang.core.errors import NotFound
from haicang.core.money import Money
from haicang.inventory.count_rules import Limits, default_limits
from haicang.inventory.errors import CountLineInvalid
from haicang.inventory.models import CountPolicy, CountTask, CountTaskStatus
from haicang.network.models import Location, Warehouse
from haicang.network.models.locations import REAL_KINDS
from haicang.parties.scoping import AccessDenied, Scope, scope_queryset

READ, WRITE = "inventory:read", "inventory:write"


def count_tasks_visible(scope: Scope, *, permission: str = READ) -> QuerySet[CountTask]:
    queryset = CountTask.objects.select_related("warehouse", "sku", "assignee")
    return scope_queryset(queryset, scope, permission=permission)


def count_task_get(scope: Scope, pk: Any) -> CountTask:
    try:
        return count_tasks_visible(scope).get(pk=pk)
    except (CountTask.DoesNotExist, ValueError) as exc:
        raise NotFound(f"no count task with id {pk}") from exc


def is_operator(scope: Scope) -> bool:
    return scope.operator_id is not None


def operator_id_of(scope: Scope) -> uuid.UUID:
    """The acting operator's id; AccessDenied (403) for anyone else."""
    if scope.operator_id is None:
        raise AccessDenied("cycle counts are the warehouse operator's work", permission=READ)
    return scope.operator_id


def may_manage_counts(scope: Scope) -> bool:
    """Create, approve, reject, cancel: the operator's ``inventory:write`` holders."""
    return is_operator(scope) and scope.can(WRITE)


def may_count(scope: Scope, task: CountTask) -> bool:
    """Record lines and submit: the assignee, or a manager of the operator."""
    if not is_operator(scope) or task.operator_id != scope.operator_id:
        return False
    return scope.can(WRITE) or (
        scope.can(READ) and task.assignee_id is not None and task.assignee_id == scope.actor.user_id
    )


def may_review(scope: Scope, task: CountTask) -> bool:
    """See the ledger's snapshot and the variances: a manager, once the counter has submitted."""
    return may_manage_counts(scope) and task.status != CountTaskStatus.OPEN


def is_own_count(task: CountTask, actor: Actor) -> bool:
    """True when ``actor`` counted a line of ``task`` or submitted it: segregation of duties keeps them from
    approving it (the rule ``counting.count_task_approve`` enforces with ``count.self_approval``)."""
    label = actor.label[:200]
    return label == task.submitted_by or task.lines.filter(counted_by=label).exists()


def may_approve(scope: Scope, task: CountTask) -> bool:
    """Approve now: a manager, the task awaiting approval, and not one who counted or submitted it."""
    return (
        may_manage_counts(scope)
        and task.status == CountTaskStatus.COUNTED
        and not is_own_count(task, scope.actor)
    )


def require_count(scope: Scope, task: CountTask) -> None:
    if not may_count(scope, task):
        raise AccessDenied("only the task's assignee or a manager counts", permission=WRITE)


def require_manage(scope: Scope) -> None:
    if not may_manage_counts(scope):
        raise AccessDenied("only the warehouse operator's managers do this", permission=WRITE)


# --- what a scan names ------------------------------------------------------------------------------------


def location_by_code(warehouse: Warehouse, code: str) -> Location:
    text = (code or "").strip().upper()
    location = Location.objects.filter(
        warehouse=warehouse, code__iexact=text, kind__in=sorted(REAL_KINDS)
    ).first()
    if location is None:
        raise CountLineInvalid(f"{warehouse.code} has no location {text}", field="location")
    return location


def sku_by_scan(scope: Scope, text: str) -> Sku:
    """The SKU in scope whose code or barcode is ``text``: refused when none or several sellers' SKUs match."""
    text = (text or "").strip()
    skus = (
        scope_queryset(Sku.objects.all(), scope, permission="catalog:read")
        if scope.can("catalog:read")
        else Sku.objects.none()
    )
    query = Q(code__iexact=text)
    if text:
        query |= Q(barcodes__key=barcode_key(text))
    found = list(skus.filter(query).distinct()[:2])
    if not found:
        raise CountLineInvalid(f"no SKU with code or barcode {text}", field="sku")
    if len(found) > 1:
        raise CountLineInvalid(f"{text} names SKUs of several sellers: scan the barcode instead", field="sku")
    return found[0]


def sku_by_id(scope: Scope, pk: Any) -> Sku:
    sku = scope_queryset(Sku.objects.all(), scope, permission="catalog:read").filter(pk=pk).first()
    if sku is None:
        raise CountLineInvalid(f"no SKU with id {pk}", field="sku")
    return sku


# --- approval limits --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class WarehouseLimits:
    """The approval limits in force at one warehouse; ``is_default`` when it has no policy of its own."""

    warehouse: Warehouse
    limits: Limits
    is_default: bool
    updated_at: dt.datetime | None

    @property
    def max_units(self) -> int:
        return self.limits.max_units

    @property
    def max_value(self) -> Money:
        return self.limits.max_value


def policy_warehouses(scope: Scope) -> QuerySet[Warehouse]:
    """The acting operator's own warehouses (``inventory:read``); AccessDenied (403) for anyone else."""
    operator_id = operator_id_of(scope)
    warehouses = scope_queryset(Warehouse.objects.all(), scope, permission=READ)
    return warehouses.filter(operator_id=operator_id).order_by("code")


def warehouse_limits(warehouses: Iterable[Warehouse]) -> list[WarehouseLimits]:
    """Each warehouse with its limits in force — its policy, else the defaults in its currency (one query)."""
    warehouses = list(warehouses)
    policies = {
        policy.warehouse_id: policy
        for policy in CountPolicy.objects.filter(warehouse__in=[w.pk for w in warehouses])
    }
    rows = []
    for warehouse in warehouses:
        policy = policies.get(warehouse.pk)
        if policy is None or policy.max_value is None:
            rows.append(WarehouseLimits(warehouse, default_limits(warehouse.currency), True, None))
        else:
            limits = Limits(policy.max_units, policy.max_value)
            rows.append(WarehouseLimits(warehouse, limits, False, policy.updated_at))
    return rows
