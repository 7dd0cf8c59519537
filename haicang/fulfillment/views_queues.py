"""The operator's work queues page, ``/fulfillment/queues/`` (namespace ``fulfillment``, name ``queues``): the
landing page of warehouse work and the target of the header's "Outbound" entry (docs/fulfillment.md, "Work
queues").

Per warehouse of the operator (``?warehouse=<id>`` narrows to one): the counts of what waits — to accept, to
wave, to pick, to pack, to ship, exceptions, tracking alerts — each linking to the page where it is worked; the
next carrier pick-ups with a live countdown (``fulfillment/queues.js``, no library); and today's throughput per
hour (units picked, parcels packed, parcels shipped) as a Plotly bar chart served from the installed package,
with the same figures in a table.

Operators' members with ``fulfillment:read``; a seller gets 403.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET

from haicang.fulfillment import queue_selectors
from haicang.fulfillment.views_setup import WRITE, operator_scope
from haicang.web.pages import scoped_page


def chart_data(throughput: queue_selectors.Throughput) -> dict[str, Any]:
    """What ``queues.js`` draws: one bar series per measure over the local hours of today."""
    return {
        "hours": [f"{hour:02d}:00" for hour in throughput.hours],
        "series": [
            {"name": _("Units picked"), "values": throughput.units_picked},
            {"name": _("Parcels packed"), "values": throughput.parcels_packed},
            {"name": _("Parcels shipped"), "values": throughput.parcels_shipped},
        ],
        "y_title": _("Per hour"),
    }


def countdown_text(left: dt.timedelta) -> str:
    """``in 1:05:09`` or ``missed by 0:12:00`` — what ``queues.js`` then keeps counting, every second."""
    seconds = int(abs(left.total_seconds()))
    clock = f"{seconds // 3600}:{seconds % 3600 // 60:02d}:{seconds % 60:02d}"
    return (_("missed by {t}") if left.total_seconds() < 0 else _("in {t}")).replace("{t}", clock)


def _tiles(found: queue_selectors.WarehouseQueues, *, can_write: bool) -> list[dict[str, Any]]:
    """The counts of one warehouse, each with the page where it is worked (pages for writers only)."""
    here = f"?warehouse={found.warehouse.pk}"
    rows: list[tuple[str, str, int, str, bool, str]] = [
        (
            "to_accept",
            _("to accept"),
            found.to_accept,
            "fulfillment:outbound",
            False,
            ngettext("%(n)s cancellation to answer", "%(n)s cancellations to answer", found.cancellations)
            % {"n": found.cancellations}
            if found.cancellations
            else "",
        ),
        ("to_wave", _("to wave"), found.to_wave, "fulfillment:waves", False, ""),
        ("to_pick", _("to pick"), found.to_pick, "fulfillment:pick-lists", False, ""),
        ("to_pack", _("to pack"), found.to_pack, "fulfillment:pack", False, ""),
        ("to_ship", _("to ship"), found.to_ship, "fulfillment:ship", False, ""),
        ("exceptions", _("exceptions"), found.exceptions, "fulfillment:outbound", True, ""),
        (
            "tracking_alerts",
            _("tracking alerts"),
            found.tracking_alerts,
            "fulfillment:tracking-alerts",
            True,
            "",
        ),
    ]
    tiles = []
    for key, label, count, url_name, warn, note in rows:
        readable = can_write or key == "tracking_alerts"  # the alerts page needs fulfillment:read only
        if not readable:
            url = ""
        elif key == "tracking_alerts":
            url = reverse(url_name)
        else:
            url = reverse(url_name) + here + ("#exceptions" if key == "exceptions" else "")
        tiles.append(
            {"key": key, "label": label, "count": count, "url": url, "warn": warn and count, "note": note}
        )
    return tiles


def _pickups(found: queue_selectors.WarehouseQueues, now: dt.datetime) -> list[dict[str, Any]]:
    out = []
    for pickup in found.pickups:
        left = pickup.pickup_at - now
        out.append(
            {
                "pickup": pickup,
                "countdown": countdown_text(left),
                "soon": not pickup.missed and pickup.minutes_left < 60,
            }
        )
    return out


@scoped_page
@require_GET
def queues(request: HttpRequest) -> HttpResponse:
    scope = operator_scope(request)
    now = timezone.now()
    warehouses = queue_selectors.operator_warehouses(scope)
    shown = queue_selectors.operator_warehouses(scope, warehouse_id=request.GET.get("warehouse", ""))
    sections = []
    for found in queue_selectors.warehouse_queues(scope, warehouses=shown, now=now):
        throughput = queue_selectors.throughput_today(scope, warehouse=found.warehouse, now=now)
        sections.append(
            {
                "queues": found,
                "throughput": throughput,
                "chart": chart_data(throughput),
                "chart_id": f"throughput-{found.warehouse.code}",
                "data_id": f"throughput-{found.warehouse.code}-data",
                "tiles": _tiles(found, can_write=scope.can(WRITE)),
                "pickups": _pickups(found, now),
            }
        )
    context = {
        "sections": sections,
        "warehouses": warehouses,
        "chosen": shown[0] if len(shown) == 1 and len(warehouses) > 1 else None,
        "can_write": scope.can(WRITE),
        "now": now,
    }
    return render(request, "fulfillment/queues.html", context)
