"""Move history as CSV, streamed row by row (a million moves never sit in memory), for the API and the pages."""

from __future__ import annotations

import csv
from collections.abc import Iterator

from django.db.models import QuerySet
from django.http import StreamingHttpResponse
from django.utils import timezone

from haicang.inventory.models import Move
from haicang.network.models import Location

COLUMNS = [
    "id",
    "effective_at",
    "recorded_at",
    "owner",
    "sku",
    "lot_code",
    "received_on",
    "quantity",
    "from_warehouse",
    "from_location",
    "from_kind",
    "to_warehouse",
    "to_location",
    "to_kind",
    "document_type",
    "document_ref",
    "reason",
    "correction_of",
    "actor",
]
CHUNK = 2000


class _Echo:
    """A file-like object whose ``write`` hands back what it was given (csv.writer writes one row a call)."""

    def write(self, value: str) -> str:
        return value


def _text(value: object) -> str:
    """A cell as text; one a spreadsheet would read as a formula gets a leading apostrophe."""
    text = "" if value is None else str(value)
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


def _place(location: Location) -> tuple[str, str, str]:
    return (location.warehouse.code if location.warehouse else "", location.code, location.kind)


def move_rows(moves: QuerySet[Move]) -> Iterator[list[object]]:
    yield list(COLUMNS)
    rows = moves.select_related(
        "sku", "owner", "from_location__warehouse", "to_location__warehouse"
    ).iterator(chunk_size=CHUNK)
    for move in rows:
        yield [
            move.pk,
            move.effective_at.isoformat(),
            move.recorded_at.isoformat(),
            _text(move.owner.code),
            _text(move.sku.code),
            _text(move.lot_code),
            move.received_on.isoformat(),
            move.quantity,
            *map(_text, _place(move.from_location)),
            *map(_text, _place(move.to_location)),
            _text(move.document_type),
            _text(move.document_ref),
            _text(move.reason),
            move.correction_of_id or "",
            _text(move.actor_label),
        ]


def moves_csv_response(moves: QuerySet[Move]) -> StreamingHttpResponse:
    writer = csv.writer(_Echo())
    response = StreamingHttpResponse(
        (writer.writerow(row) for row in move_rows(moves)), content_type="text/csv; charset=utf-8"
    )
    stamp = timezone.now().strftime("%Y%m%d-%H%M%S")
    response["Content-Disposition"] = f'attachment; filename="moves-{stamp}.csv"'
    return response
