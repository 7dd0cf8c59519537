"""Reads for cycle counts: which tasks a scope sees, who may count and who may review, and what a scan names.

Counting is the operator's work. A task is seen by the warehouse's operator (``inventory:read``); its lines are
recorded and it is submitted by its assignee — warehouse staff hold only ``inventory:read`` — or by anyone of
the operator with ``inventory:write``; only ``inventory:write`` (the operator's owner and manager) creates,
approves, rejects and cancels. A counter never sees the ledger's quantities of a count: the snapshot and the
variances are shown to ``inventory:write`` holders, and only once the task is submitted.
"""

from __future__ import annotations

import uuid
from typing import Any

from django.db.models import Q, QuerySet

from haicang.catalog.identifiers import barcode_key
from haicang.catalog.models import Sku
from haicang.core.errors import NotFound
from haicang.inventory.errors import CountLineInvalid
from haicang.inventory.models import CountTask, CountTaskStatus
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
