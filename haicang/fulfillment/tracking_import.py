"""The ``tracking_events`` import kind: carrier scans from a CSV or Excel file (a carrier's export, a tracking
aggregator's report) recorded on the operator's parcels (docs/fulfillment.md, "Tracking": "CSV import").

Columns: ``carrier``, ``tracking_number``, ``occurred_at`` (ISO 8601; a time without an offset is read in the
upload's option ``time_zone``, else refused), ``code`` and ``text`` (the carrier's own; at least one),
``location``. **All or nothing**: every row is checked first — the carrier is known, the operator has a parcel
of that carrier with that tracking number and its label is not voided, the time is plausible (not more than a
day ahead, not before the label) — and every problem names its row, column and reason; only a file without
problems is applied, each row through ``tracking.tracking_event_record`` in the framework's one transaction. A
row that repeats a scan already stored (or an earlier row) is a replay: counted, not stored twice.
Registered from ``FulfillmentConfig.ready()``; see docs/exchange.md for the flow.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from haicang.core.errors import DomainError
from haicang.exchange.errors import RowsRejected
from haicang.exchange.mapping import ColumnSpec, MappedTable
from haicang.exchange.problems import Problem
from haicang.exchange.registry import ImportContext, Importer, OptionSpec, Progress, Validation
from haicang.fulfillment.carriers.base import carrier_code_normalise
from haicang.fulfillment.models import Parcel, ParcelStatus, TrackingEvent, TrackingSource
from haicang.fulfillment.tracking import (
    BEFORE_LABEL_TOLERANCE,
    FUTURE_TOLERANCE,
    MAX_CODE,
    MAX_TEXT,
    Outcome,
    Scan,
    carrier_known,
    dedupe_key,
    tracking_scans_record,
)
from haicang.parties.models import Operator


class Code:
    VALUE_REQUIRED = "tracking.value_required"
    CARRIER_UNKNOWN = "tracking.carrier_unknown"
    TRACKING_UNKNOWN = "tracking.tracking_unknown"
    PARCEL_VOIDED = "tracking.parcel_voided"
    TIME_INVALID = "tracking.time_invalid"
    CODE_TOO_LONG = "tracking.code_too_long"
    SCAN_EMPTY = "tracking.scan_empty"
    TIME_ZONE_INVALID = "tracking.time_zone_invalid"
    NOT_OPERATOR = "tracking.not_operator"


PROBLEM_LABELS: dict[str, Any] = {
    Code.VALUE_REQUIRED: _("A value is required."),
    Code.CARRIER_UNKNOWN: _("No carrier with this code is known."),
    Code.TRACKING_UNKNOWN: _("None of your parcels of this carrier has this tracking number."),
    Code.PARCEL_VOIDED: _("The parcel's label was voided."),
    Code.TIME_INVALID: _("Not a plausible scan time for this parcel."),
    Code.CODE_TOO_LONG: _("The carrier's code is longer than 40 characters."),
    Code.SCAN_EMPTY: _("A scan needs the carrier's code, its text, or both."),
    Code.TIME_ZONE_INVALID: _("Not a time zone name such as America/Los_Angeles."),
    Code.NOT_OPERATOR: _("Only a warehouse operator imports tracking events."),
}

COLUMNS: tuple[ColumnSpec, ...] = (
    ColumnSpec(
        "carrier",
        required=True,
        description=_("The carrier's code, e.g. UPS, USPS, Royal Mail, DHL (as on your carriers page)."),
        synonyms=("carrier_code", "courier", "承运商", "物流商"),
    ),
    ColumnSpec(
        "tracking_number",
        required=True,
        description=_("The parcel's tracking number."),
        synonyms=(
            "tracking",
            "tracking no",
            "tracking no.",
            "awb",
            "waybill",
            "跟踪号",
            "运单号",
            "快递单号",
        ),
    ),
    ColumnSpec(
        "occurred_at",
        required=True,
        description=_(
            "When the carrier scanned the parcel, ISO 8601 with its offset (2026-11-27T07:41:00-08:00); without "
            "an offset the time is read in the upload's time zone."
        ),
        synonyms=("time", "date", "event time", "scan time", "timestamp", "时间", "扫描时间"),
    ),
    ColumnSpec(
        "code",
        description=_("The carrier's own event code, kept as it is."),
        synonyms=("status code", "event code", "raw code", "状态码"),
    ),
    ColumnSpec(
        "text",
        description=_("The carrier's own event text, kept as it is."),
        synonyms=("description", "status", "event", "message", "raw text", "描述", "轨迹"),
    ),
    ColumnSpec(
        "location",
        description=_("Where the scan happened, e.g. Pasadena, CA, US."),
        synonyms=("place", "city", "地点"),
    ),
)


@dataclass(frozen=True)
class PlannedScan:
    row: int
    parcel: Parcel
    occurred_at: dt.datetime
    code: str
    text: str
    location: str
    is_replay: bool


def _zone(options: Mapping[str, str]) -> tuple[ZoneInfo | None, str]:
    name = (options.get("time_zone") or "").strip()
    if not name:
        return None, ""
    try:
        return ZoneInfo(name), ""
    except (ZoneInfoNotFoundError, ValueError):
        return None, f"{name!r} is not a time zone name such as America/Los_Angeles"


def _time(text: str, zone: ZoneInfo | None) -> dt.datetime | str:
    """The aware time in ``text`` (UTC), or why it is not one."""
    try:
        moment = dt.datetime.fromisoformat(text.strip())
    except ValueError:
        return f"{text!r} is not an ISO 8601 time (e.g. 2026-11-27T07:41:00Z)"
    if moment.tzinfo is None or moment.utcoffset() is None:
        if zone is None:
            return f"{text!r} has no offset: add one (e.g. -08:00 or Z) or name the upload's time zone"
        moment = moment.replace(tzinfo=zone)
    return moment.astimezone(dt.UTC)


def _parcels(operator: Operator, numbers: set[str]) -> dict[tuple[str, str], Parcel]:
    found: dict[tuple[str, str], Parcel] = {}
    wanted = numbers | {n.upper() for n in numbers}
    for parcel in Parcel.objects.filter(operator=operator, tracking_number__in=wanted).order_by("packed_at"):
        found[(carrier_code_normalise(parcel.carrier_code), parcel.tracking_number.upper())] = parcel
    return found


def tracking_import_plan(
    context: ImportContext, table: MappedTable, progress: Progress
) -> tuple[list[Problem], list[PlannedScan]]:
    """Every problem of the file, and the scans it would record (in file order)."""
    owner = context.owner
    if not isinstance(owner, Operator):
        return [
            Problem(None, None, Code.NOT_OPERATOR, "only a warehouse operator imports tracking events")
        ], []
    zone, zone_problem = _zone(context.options)
    problems: list[Problem] = []
    if zone_problem:
        problems.append(Problem(None, None, Code.TIME_ZONE_INVALID, zone_problem))
    rows = table.rows
    progress(0, len(rows), "reading the scans")
    numbers = {"".join(r.values.get("tracking_number", "").split()) for r in rows} - {""}
    parcels = _parcels(owner, numbers)
    known: dict[str, bool] = {}
    stored: dict[Any, set[str]] = {}
    seen: set[tuple[Any, str]] = set()
    now = timezone.now()
    plan: list[PlannedScan] = []
    for done, mapped in enumerate(rows, start=1):
        values, row = mapped.values, mapped.row
        row_problems: list[Problem] = []
        carrier = values.get("carrier", "").strip()
        number = "".join(values.get("tracking_number", "").split())
        code, text = values.get("code", "").strip(), " ".join(values.get("text", "").split())
        for column, value in (("carrier", carrier), ("tracking_number", number)):
            if not value:
                row_problems.append(Problem(row, column, Code.VALUE_REQUIRED, f"{column} is required"))
        code_key = carrier_code_normalise(carrier)
        if carrier and code_key not in known:
            known[code_key] = carrier_known(owner.pk, carrier)
        if carrier and not known[code_key]:
            row_problems.append(
                Problem(row, "carrier", Code.CARRIER_UNKNOWN, f"no carrier {carrier!r} is known")
            )
        parcel = parcels.get((code_key, number.upper())) if carrier and number else None
        if carrier and number and known.get(code_key) and parcel is None:
            row_problems.append(
                Problem(
                    row,
                    "tracking_number",
                    Code.TRACKING_UNKNOWN,
                    f"no parcel of {carrier} has the tracking number {number}",
                )
            )
        if parcel is not None and parcel.status == ParcelStatus.VOIDED:
            row_problems.append(
                Problem(row, "tracking_number", Code.PARCEL_VOIDED, f"{parcel.number}'s label was voided")
            )
        at: dt.datetime | str = "occurred_at is required"
        if values.get("occurred_at", "").strip():
            at = _time(values["occurred_at"], zone)
        if isinstance(at, dt.datetime) and parcel is not None:
            start = parcel.labelled_at or parcel.packed_at
            if at > now + FUTURE_TOLERANCE:
                at = f"{at:%Y-%m-%d %H:%M} UTC is more than a day ahead"
            elif start is not None and at < start - BEFORE_LABEL_TOLERANCE:
                at = f"{at:%Y-%m-%d %H:%M} UTC is before the parcel was labelled ({start:%Y-%m-%d %H:%M} UTC)"
        if isinstance(at, str):
            problem_code = Code.VALUE_REQUIRED if at == "occurred_at is required" else Code.TIME_INVALID
            row_problems.append(Problem(row, "occurred_at", problem_code, at))
        if len(code) > MAX_CODE:
            row_problems.append(
                Problem(row, "code", Code.CODE_TOO_LONG, f"{len(code)} characters; at most 40")
            )
        if not code and not text:
            row_problems.append(
                Problem(row, "code", Code.SCAN_EMPTY, "neither the carrier's code nor its text")
            )
        problems += row_problems
        if not row_problems and parcel is not None and isinstance(at, dt.datetime):
            if parcel.pk not in stored:
                stored[parcel.pk] = set(
                    TrackingEvent.objects.filter(parcel=parcel).values_list("dedupe_key", flat=True)
                )
            key = dedupe_key(at, code, text if len(text) <= MAX_TEXT else text[: MAX_TEXT - 1] + "…")
            replay = key in stored[parcel.pk] or (parcel.pk, key) in seen
            seen.add((parcel.pk, key))
            plan.append(PlannedScan(row, parcel, at, code, text, values.get("location", ""), replay))
        if done % 500 == 0:
            progress(done, len(rows), "checking the scans")
    if not rows:
        problems.append(Problem(None, None, Code.SCAN_EMPTY, "the file has no rows"))
    return problems, plan


def _counts(plan: list[PlannedScan]) -> dict[str, int]:
    replays = sum(1 for scan in plan if scan.is_replay)
    return {"scans": len(plan) - replays, "replays": replays}


class TrackingEventsImporter(Importer):
    kind = "tracking_events"
    label = _("Tracking events (carrier scans)")
    description = _(
        "Carrier scans of your parcels, e.g. a carrier's or a tracking service's export: each row is normalised "
        "and added to its parcel's timeline; a scan already recorded is skipped. All or nothing."
    )
    columns = COLUMNS
    permission = "fulfillment:write"
    party_kinds = ("operator",)
    options = (
        OptionSpec(
            "time_zone",
            description=_("The time zone of times without an offset, e.g. America/Los_Angeles (optional)."),
        ),
    )

    def problem_label(self, code: str) -> Any:
        return PROBLEM_LABELS.get(code)

    def options_problems(self, owner: Any, options: Mapping[str, str]) -> list[str]:
        _zone_found, problem = _zone(options)
        return [problem] if problem else []

    def validate(self, context: ImportContext, table: MappedTable, progress: Progress) -> Validation:
        problems, plan = tracking_import_plan(context, table, progress)
        return Validation(problems=problems, counts={} if problems else _counts(plan))

    def apply(self, context: ImportContext, table: MappedTable, progress: Progress) -> dict[str, int]:
        problems, plan = tracking_import_plan(context, table, progress)
        if problems:
            raise RowsRejected(problems)
        counts = {"scans": 0, "replays": 0}
        by_parcel: dict[Any, list[PlannedScan]] = {}
        for planned in plan:
            by_parcel.setdefault(planned.parcel.pk, []).append(planned)
        done = 0
        for rows in by_parcel.values():  # one parcel's rows at once: one lock, one recomputation
            try:
                results = tracking_scans_record(
                    actor=context.actor,
                    parcel=rows[0].parcel,
                    scans=[Scan(r.occurred_at, r.code, r.text, r.location) for r in rows],
                    source=TrackingSource.CSV,
                )
            except DomainError as exc:  # changed since the check (e.g. the label was voided meanwhile)
                raise RowsRejected([Problem(rows[0].row, exc.field, exc.code, exc.detail)]) from exc
            for recorded in results:
                counts["scans" if recorded.outcome is Outcome.APPLIED else "replays"] += 1
            done += len(rows)
            progress(done, len(plan), "recording the scans")
        return counts


TRACKING_EVENTS_IMPORTER = TrackingEventsImporter()
