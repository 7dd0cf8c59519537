"""Reads for packing and shipping: the parcels each party may see, and what a scan at the pack bench names."""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet

from haicang.core.errors import NotFound
from haicang.fulfillment.models import Outbound, OutboundStatus, Parcel, PickList, PickTask
from haicang.parties.scoping import Scope, scope_queryset

READ = "fulfillment:read"
TO_PACK = (OutboundStatus.PICKED, OutboundStatus.PACKED)


def parcels(scope: Scope) -> QuerySet[Parcel]:
    return scope_queryset(Parcel.objects.all(), scope, permission=READ).select_related(
        "outbound", "outbound__request", "warehouse", "box_type", "suggested_box", "carrier_service__carrier"
    )


def parcel_get(scope: Scope, pk: Any) -> Parcel:
    try:
        found = parcels(scope).filter(pk=pk).first()
    except (ValueError, TypeError):  # not a UUID
        found = None
    if found is None:
        raise NotFound(f"no parcel with id {pk}", field="parcel")
    return found


def outbound_get(scope: Scope, pk: Any) -> Outbound:
    try:
        found = (
            scope_queryset(Outbound.objects.all(), scope, permission=READ)
            .select_related("warehouse", "request")
            .filter(pk=pk)
            .first()
        )
    except (ValueError, TypeError):
        found = None
    if found is None:
        raise NotFound(f"no outbound with id {pk}", field="outbound")
    return found


def outbounds_for_scan(scope: Scope, raw: str) -> list[Outbound]:
    """The outbounds a scan at the pack bench names: an outbound (request) number, a pick list number (all its
    outbounds still to pack), or a parcel number or tracking number (its outbound)."""
    text = "".join(raw.split())
    if not text:
        return []
    visible = scope_queryset(Outbound.objects.all(), scope, permission=READ).select_related(
        "warehouse", "request"
    )
    direct = list(visible.filter(number__iexact=text))
    if direct:
        return direct
    lists = scope_queryset(PickList.objects.filter(number__iexact=text), scope, permission=READ)
    if lists.exists():
        ids = PickTask.objects.filter(pick_list__in=lists).values("outbound_id")
        return list(visible.filter(pk__in=ids, status__in=TO_PACK).order_by("sort_slot", "number"))
    parcel = (
        scope_queryset(Parcel.objects.all(), scope, permission=READ)
        .filter(Q(number__iexact=text) | Q(tracking_number__iexact=text))
        .first()
    )
    if parcel is not None:
        return list(visible.filter(pk=parcel.outbound_id))
    return []


def outbounds_to_pack(scope: Scope, *, warehouse: Any = None, limit: int = 50) -> list[Outbound]:
    visible = scope_queryset(Outbound.objects.all(), scope, permission=READ).filter(status__in=TO_PACK)
    if warehouse is not None:
        visible = visible.filter(warehouse=warehouse)
    return list(visible.select_related("warehouse").order_by("due_at", "number")[:limit])
