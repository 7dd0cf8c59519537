"""Pure rules of receiving: what a line still expects, and the receipt report's rows per SKU. No Django.

A report row holds, for one SKU, the units the ASN expected, the good units received (over units
included), the damaged units, the units short (expected, neither received nor damaged), the units over
(recorded ``over`` discrepancies, or every unit of a SKU that was not on the shipment) and the
discrepancies themselves.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

OVER_KINDS = ("over", "unexpected_sku")
NOTE_REQUIRED = ("over", "unexpected_sku")
RECORDABLE = ("over", "unexpected_sku", "damaged")  # ``short`` is written by the close


@dataclass(frozen=True, slots=True)
class LineCounts:
    sku_id: uuid.UUID
    sku_code: str
    sku_name: str
    expected: int
    received: int
    damaged: int

    @property
    def open(self) -> int:
        """Units still expected: neither received nor damaged yet."""
        return max(self.expected - self.received - self.damaged, 0)


@dataclass(frozen=True, slots=True)
class DiscrepancyFact:
    id: uuid.UUID
    kind: str
    sku_id: uuid.UUID
    sku_code: str
    sku_name: str
    quantity: int
    note: str
    photo: bool
    carton: int | None
    actor: str
    at: dt.datetime


@dataclass(slots=True)
class ReportRow:
    sku_id: uuid.UUID
    sku_code: str
    sku_name: str
    on_shipment: bool
    expected: int = 0
    received: int = 0
    damaged: int = 0
    short: int = 0
    over: int = 0
    discrepancies: list[DiscrepancyFact] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        return {
            "sku": {"id": str(self.sku_id), "code": self.sku_code, "name": self.sku_name},
            "on_shipment": self.on_shipment,
            "expected": self.expected,
            "received": self.received,
            "damaged": self.damaged,
            "short": self.short,
            "over": self.over,
            "discrepancies": [
                {
                    "id": str(d.id),
                    "kind": d.kind,
                    "quantity": d.quantity,
                    "note": d.note,
                    "photo": d.photo,
                    "carton": d.carton,
                    "actor": d.actor,
                    "at": d.at.isoformat(),
                }
                for d in self.discrepancies
            ],
        }


def report_rows(lines: Sequence[LineCounts], discrepancies: Sequence[DiscrepancyFact]) -> list[ReportRow]:
    """One row per SKU of the shipment's lines (in their order), then one per unexpected SKU (by code).
    ``received`` counts the good units of the line plus those recorded over; ``short`` is what is open."""
    rows: dict[uuid.UUID, ReportRow] = {}
    for line in lines:
        rows[line.sku_id] = ReportRow(
            sku_id=line.sku_id,
            sku_code=line.sku_code,
            sku_name=line.sku_name,
            on_shipment=True,
            expected=line.expected,
            received=line.received,
            damaged=line.damaged,
            short=line.open,
        )
    extra: dict[uuid.UUID, ReportRow] = {}
    for fact in discrepancies:
        row = rows.get(fact.sku_id) or extra.get(fact.sku_id)
        if row is None:
            row = extra[fact.sku_id] = ReportRow(
                sku_id=fact.sku_id, sku_code=fact.sku_code, sku_name=fact.sku_name, on_shipment=False
            )
        if fact.kind in OVER_KINDS:
            row.over += fact.quantity
            row.received += fact.quantity
        row.discrepancies.append(fact)
    return [*rows.values(), *sorted(extra.values(), key=lambda r: r.sku_code)]


def report_totals(rows: Sequence[ReportRow]) -> dict[str, int]:
    return {
        name: sum(getattr(row, name) for row in rows)
        for name in ("expected", "received", "damaged", "short", "over")
    }


def carton_progress(
    declared: dict[uuid.UUID, int], counted: dict[uuid.UUID, int]
) -> list[tuple[uuid.UUID, int, int]]:
    """Per SKU of a carton (declared first, in their order, then any other counted in it): (sku, declared,
    counted)."""
    out = [(sku_id, quantity, counted.get(sku_id, 0)) for sku_id, quantity in declared.items()]
    out += [(sku_id, 0, n) for sku_id, n in counted.items() if sku_id not in declared]
    return out


def carton_remaining(declared: dict[uuid.UUID, int], counted: dict[uuid.UUID, int]) -> dict[uuid.UUID, int]:
    """What confirming a carton as labelled receives: per declared SKU, what was not counted in it yet."""
    remaining = {sku_id: quantity - counted.get(sku_id, 0) for sku_id, quantity in declared.items()}
    return {sku_id: n for sku_id, n in remaining.items() if n > 0}
