"""What a hand-back tells the stock (docs/fulfillment.md, "Outbound work": *what the seller's routing does with a
handed-back request*).

- :func:`units_withheld` — per SKU of a handed-back request, the units of the warehouse that the seller's
  re-routing must not count now: what sits in the warehouse's bins waiting for a cycle count (a short pick opens
  one; wave release skips those bins, so the warehouse could not pick them either), less the open work already
  taking units from those bins, plus the units of a short pick whose bin got no count.
- :func:`shortages_write_off` — the **shortage is written off when the request is handed back**: per short
  pick handed back, the missing units leave the short bin for *inventory loss* (``inventory.stock_adjust``,
  document type ``short_pick``, the outbound's number, a reason naming the list, SKU and bin), after the order's
  reservation there was released. So the warehouse's available stock is right at once and stays right for
  every later routing, and the cycle count still open on the bin verifies it: counted blind against the lowered
  book, units found after all come back as a count variance. Not written off (left to the count's approval):
  when the bin was counted since the short pick (the count line holds the variance already; a write-off would
  make it stale), or when the ledger refuses it (the bin holds fewer units, or other orders hold the warehouse's
  stock: reserved would exceed sellable). A short resolved from another bin is not written off: the count
  settles that bin.

Callers hold the hand-back's locks (warehouse → pick lists → outbound); the write-off takes the ledger's own.
"""

from __future__ import annotations

import uuid
from collections import defaultdict
from collections.abc import Iterable, Sequence
from datetime import datetime

from django.db import transaction
from django.db.models import Sum

from haicang.core.actors import Actor
from haicang.core.audit import audit_record
from haicang.core.errors import DomainError
from haicang.fulfillment.bin_allocation import bins_in_count, held_in_bins
from haicang.fulfillment.models import Outbound, PickException
from haicang.inventory.models import Balance, CountLine, CountTaskStatus
from haicang.network.models import Warehouse
from haicang.network.models.locations import SELLABLE_KINDS

DOCUMENT_TYPE = "short_pick"


def units_withheld(
    warehouse: Warehouse, seller_id: uuid.UUID, sku_ids: Iterable[uuid.UUID], shorts: Sequence[PickException]
) -> dict[uuid.UUID, int]:
    """Units per SKU the re-routing must not count at ``warehouse`` (module docstring). Call it once the
    handed-back outbound's own tasks are cancelled."""
    skus = set(sku_ids)
    counting = bins_in_count(warehouse)
    out: dict[uuid.UUID, int] = defaultdict(int)
    if counting and skus:
        held = held_in_bins(warehouse, skus)
        rows = (
            Balance.objects.filter(
                owner_id=seller_id,
                sku_id__in=skus,
                location_id__in=counting,
                location__kind__in=sorted(SELLABLE_KINDS),
                quantity__gt=0,
            )
            .values("sku_id", "location_id", "lot_code")
            .annotate(units=Sum("quantity"))
        )
        for row in rows:
            key = (row["location_id"], row["lot_code"])
            out[row["sku_id"]] += max(0, int(row["units"]) - held.get((row["sku_id"], key), 0))
    for short in shorts:
        if short.task.location_id not in counting:
            out[short.task.sku_id] += short.quantity
    return {sku: units for sku, units in out.items() if units > 0}


def _counted_since(short: PickException) -> bool:
    """Whether a cycle count recorded the short bin's SKU after the short pick (the count owns the variance)."""
    return CountLine.objects.filter(
        location_id=short.task.location_id,
        sku_id=short.task.sku_id,
        counted_at__gte=short.raised_at,
        task__status__in=(CountTaskStatus.OPEN, CountTaskStatus.COUNTED, CountTaskStatus.APPLIED),
    ).exists()


def shortages_write_off(
    *, actor: Actor, outbound: Outbound, shorts: Sequence[PickException], now: datetime
) -> dict[str, int]:
    """Write off the missing units of each short pick handed back (module docstring). Call it after the order's
    reservation at the warehouse was released. Returns the units ``written_off`` and ``left_to_count``."""
    from haicang.inventory.services import stock_adjust

    totals = {"written_off": 0, "left_to_count": 0}
    for short in shorts:
        task = short.task
        reason = f"short pick on {task.pick_list.number}: {short.quantity} × {task.sku.code} not found at "
        reason += task.location.code
        written, why = False, "counted since the short pick"
        if not _counted_since(short):
            try:
                with transaction.atomic():
                    stock_adjust(
                        actor=actor,
                        owner=outbound.seller,
                        sku=task.sku,
                        location=task.location,
                        delta=-short.quantity,
                        reason=reason,
                        lot_code=task.lot_code,
                        document_type=DOCUMENT_TYPE,
                        document_ref=outbound.number,
                    )
                written = True
            except DomainError as exc:  # the ledger refuses: the count's approval settles it
                why = str(exc)[:200]
        totals["written_off" if written else "left_to_count"] += short.quantity
        audit_record(
            actor=actor,
            action="pick.short_written_off" if written else "pick.short_left_to_count",
            subject=outbound,
            after={
                "bin": task.location.code,
                "sku": task.sku.code,
                "lot": task.lot_code,
                "units": short.quantity,
                **({} if written else {"why": why}),
            },
            summary=reason[:200],
            occurred_at=now,
        )
    return totals
