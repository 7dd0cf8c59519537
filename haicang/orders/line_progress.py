"""How far an order's lines are: the one notion routing, re-routing and cancellation share (docs/orders.md,
"Routing").

A line's units are **done** when shipped — by the channel's word (``OrderLine.shipped_quantity``) or by
Haicang's warehouses (its units in ``shipped`` fulfillment requests), whichever says more: a channel that
re-sends an order Haicang already shipped (still ``unshipped`` there) does not make it ship twice. Units in
**open** requests (submitted, accepted, in progress) are on their way. Routing takes only what is left:
``quantity − max(channel shipped, Haicang shipped) − units held`` (:func:`units_to_route`).
"""

from __future__ import annotations

import uuid
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import Sum

from haicang.orders.models import OrderLine
from haicang.orders.models_fulfilment import OPEN_STATUSES, FulfillmentRequestLine, RequestStatus


@dataclass(frozen=True)
class RequestUnits:
    """Units of one order line in the requests of one status at one warehouse."""

    order_line_id: uuid.UUID
    sku_id: uuid.UUID
    warehouse_id: uuid.UUID
    status: str
    units: int


@dataclass(frozen=True)
class LineProgress:
    quantity: int
    channel_shipped: int = 0  # the channel's word
    haicang_shipped: int = 0  # in shipped requests
    in_open_requests: int = 0  # in submitted, accepted or in-progress requests

    @property
    def shipped(self) -> int:
        return max(self.channel_shipped, self.haicang_shipped)

    @property
    def outstanding(self) -> int:
        """Units still to ship."""
        return max(0, self.quantity - self.shipped)


def request_units(order_id: uuid.UUID) -> list[RequestUnits]:
    """The order's units in open and shipped requests, per order line, warehouse and request status (one
    query)."""
    rows = (
        FulfillmentRequestLine.objects.filter(
            request__order_id=order_id, request__status__in=(*OPEN_STATUSES, RequestStatus.SHIPPED)
        )
        .values("order_line_id", "sku_id", "request__warehouse_id", "request__status")
        .annotate(units=Sum("quantity"))
        .order_by()
    )
    return [
        RequestUnits(
            order_line_id=row["order_line_id"],
            sku_id=row["sku_id"],
            warehouse_id=row["request__warehouse_id"],
            status=row["request__status"],
            units=int(row["units"]),
        )
        for row in rows
    ]


def lines_progress(
    lines: Iterable[OrderLine], rows: Iterable[RequestUnits] | None = None
) -> dict[uuid.UUID, LineProgress]:
    """The progress of ``lines`` (of one order) by id; ``rows``: the order's :func:`request_units` when the
    caller has them (else read)."""
    lines = list(lines)
    if not lines:
        return {}
    if rows is None:
        rows = request_units(lines[0].order_id)
    shipped: dict[uuid.UUID, int] = defaultdict(int)
    open_: dict[uuid.UUID, int] = defaultdict(int)
    for row in rows:
        (shipped if row.status == RequestStatus.SHIPPED else open_)[row.order_line_id] += row.units
    return {
        line.pk: LineProgress(
            quantity=line.quantity,
            channel_shipped=line.shipped_quantity or 0,
            haicang_shipped=shipped[line.pk],
            in_open_requests=open_[line.pk],
        )
        for line in lines
    }


def units_to_route(progress: LineProgress) -> int:
    """Units routing must still reserve for a line without an open reservation: outstanding, less its units in
    open requests (a line linked to an open reservation holds its units there: routing leaves it alone)."""
    return max(0, progress.outstanding - progress.in_open_requests)
