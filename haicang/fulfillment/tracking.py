"""Tracking: carrier scans applied to parcels, alerts raised and resolved, messages that cannot be applied kept
(docs/fulfillment.md, "Tracking").

- :func:`tracking_event_record` — one scan of one parcel, normalised by ``tracking_rules.tracking_normalise``
  (status, customs hold, refused for charges; the carrier's raw code and text kept). A **replay** (same time,
  code and text: ``dedupe_key``) is recognised and not stored twice. The parcel's ``tracking_status``,
  ``last_event_at`` and ``delivered_at`` are recomputed from all its scans by ``tracking_rules.parcel_status``
  — by event time, so scans arriving out of order land where they belong, and a late non-final scan does not
  reopen a delivered parcel. Each new scan emits ``tracking.updated`` to the seller and the operator;
- alerts (:func:`tracking_alerts_sync`): ``tracking_rules.alerts_for`` says which alerts should be open; the
  missing ones are raised (``tracking.alert_raised``), the open ones no longer listed resolved
  (``tracking.alert_resolved``). A scan syncs the scan-borne kinds (exception, customs hold, refused for
  charges); the no-scan and expiry kinds are the watch job's (``tracking_watch``), except that a scan made after
  such an alert was raised resolves it at once. An alert resolved (by a scan or by hand) is not raised again
  for the same cause — only a newer one;
- :func:`tracking_message_keep` — a message that cannot be applied (unknown carrier or tracking number, a bad
  time, a voided label) is kept with its reason, never dropped;
- :func:`tracking_ingest` — what the API, the carrier webhook and the sandbox poll call: each message finds
  its parcel by carrier and tracking number among the operator's parcels and is recorded, or kept.

Lock order: the parcel row (as shipping's last lock), nothing after it.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import uuid
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from enum import StrEnum
from typing import Any

from django.db import transaction
from django.utils import timezone

from haicang.core.actors import Actor
from haicang.core.audit import audit_record
from haicang.core.errors import DomainError
from haicang.fulfillment import tracking_rules
from haicang.fulfillment.carriers.base import (
    CARRIER_NAMES,
    ServiceKind,
    carrier_code_normalise,
    service_kind_of,
)
from haicang.fulfillment.errors import (
    AlertAlreadyResolved,
    TrackingInvalid,
    TrackingParcelVoided,
    TrackingTimeInvalid,
)
from haicang.fulfillment.models import (
    Parcel,
    ParcelStatus,
    TrackingAlert,
    TrackingAlertKind,
    TrackingEvent,
    TrackingMessage,
    TrackingSource,
)
from haicang.fulfillment.tracking_events import (
    ALERT_RAISED,
    ALERT_RESOLVED,
    ALERT_SUBJECT,
    PARCEL_SUBJECT,
    TRACKING_UPDATED,
)
from haicang.integration.outbox import Subject, outbox_emit
from haicang.network.models import Carrier

TRACKING_ACTOR = Actor.system("fulfillment.tracking")
FUTURE_TOLERANCE = dt.timedelta(hours=24)  # a carrier's clock or time zone may be off, not by more
BEFORE_LABEL_TOLERANCE = dt.timedelta(days=1)
MAX_CODE, MAX_TEXT, MAX_LOCATION = 40, 300, 200
SCAN_KINDS = frozenset(
    {TrackingAlertKind.EXCEPTION, TrackingAlertKind.CUSTOMS_HOLD, TrackingAlertKind.REFUSED_FOR_CHARGES}
)
QUIET_KINDS = frozenset({TrackingAlertKind.NO_SCAN, TrackingAlertKind.EXPIRED})


class Outcome(StrEnum):
    APPLIED = "applied"  # a new scan, stored and applied
    DUPLICATE = "duplicate"  # a replay of a scan already stored: nothing changed
    KEPT = "kept"  # could not be applied: kept as a TrackingMessage with its reason


class KeepReason(StrEnum):
    CARRIER_UNKNOWN = "carrier_unknown"
    TRACKING_UNKNOWN = "tracking_unknown"
    TIME_INVALID = "time_invalid"
    INPUT_INVALID = "input_invalid"
    PARCEL_VOIDED = "parcel_voided"
    PAYLOAD_INVALID = "payload_invalid"


_REASON_OF_ERROR: Mapping[str, KeepReason] = {
    TrackingTimeInvalid.code: KeepReason.TIME_INVALID,
    TrackingParcelVoided.code: KeepReason.PARCEL_VOIDED,
    TrackingInvalid.code: KeepReason.INPUT_INVALID,
}


@dataclass(frozen=True)
class TrackingInput:
    """One scan as a sender gives it: carrier, tracking number, time (aware, or ISO 8601 text with an
    offset), the carrier's code and text, and where it happened."""

    carrier_code: str
    tracking_number: str
    occurred_at: dt.datetime | str | None
    raw_code: str = ""
    raw_text: str = ""
    location: str = ""

    def payload(self) -> dict[str, str]:
        """What is kept of the message when it cannot be applied (plain strings, no personal data)."""
        at = self.occurred_at
        return {
            "carrier": str(self.carrier_code)[:100],
            "tracking_number": str(self.tracking_number)[:100],
            "occurred_at": at.isoformat() if isinstance(at, dt.datetime) else str(at or "")[:100],
            "code": str(self.raw_code)[:100],
            "text": str(self.raw_text)[: MAX_TEXT * 2],
            "location": str(self.location)[: MAX_LOCATION * 2],
        }


@dataclass(frozen=True)
class Recorded:
    outcome: Outcome
    parcel: Parcel | None = None
    event: TrackingEvent | None = None
    message: TrackingMessage | None = None
    reason_code: str = ""
    reason: str = ""
    raised: tuple[TrackingAlert, ...] = field(default=(), repr=False)


# --- reading a message ---------------------------------------------------------------------------------------


def time_parse(value: dt.datetime | str | None) -> dt.datetime:
    """An aware datetime from a datetime or ISO 8601 text with an offset (``Z`` allowed). Raises
    TrackingTimeInvalid."""
    if isinstance(value, dt.datetime):
        moment = value
    elif isinstance(value, str) and value.strip():
        try:
            moment = dt.datetime.fromisoformat(value.strip())
        except ValueError:
            raise TrackingTimeInvalid(
                f"{value!r} is not an ISO 8601 time (e.g. 2026-11-27T07:41:00Z)", field="occurred_at"
            ) from None
    else:
        raise TrackingTimeInvalid("the scan's time is missing", field="occurred_at")
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise TrackingTimeInvalid(
            "the scan's time has no time zone: give an offset (e.g. +08:00) or Z", field="occurred_at"
        )
    return moment.astimezone(dt.UTC)


def dedupe_key(occurred_at: dt.datetime, raw_code: str, raw_text: str) -> str:
    """The same scan sent twice (same second, code and text, whatever the spacing or case) has one key."""
    moment = occurred_at.astimezone(dt.UTC).replace(microsecond=0).isoformat()
    text = " ".join(raw_text.split()).casefold()
    return hashlib.sha256(f"{moment}\x1f{raw_code.strip().upper()}\x1f{text}".encode()).hexdigest()


def service_kind_for(parcel: Parcel) -> ServiceKind:
    return service_kind_of(parcel.carrier_code)


def tracked_events(parcel: Parcel) -> list[tracking_rules.TrackedEvent]:
    """The parcel's stored scans as the rules read them, by time (ties: the order they were received)."""
    return [
        tracking_rules.TrackedEvent(
            at=event.occurred_at,
            status=tracking_rules.TrackingStatus(event.status),
            raw_code=event.raw_code,
            raw_text=event.raw_text,
            location=event.location,
            is_customs_hold=event.is_customs_hold,
            is_refused_for_charges=event.is_refused_for_charges,
        )
        for event in TrackingEvent.objects.filter(parcel=parcel).order_by("occurred_at", "received_at", "id")
    ]


def carrier_known(operator_id: Any, carrier_code: str) -> bool:
    """A carrier Haicang knows (UPS, Royal Mail, …) or one of the operator's own carriers."""
    code = carrier_code_normalise(carrier_code)
    if not code:
        return False
    if code in CARRIER_NAMES:
        return True
    own = Carrier.objects.filter(operator_id=operator_id).values_list("code", flat=True)
    return any(carrier_code_normalise(c) == code for c in own)


def parcel_find(*, operator_id: Any, carrier_code: str, tracking_number: str) -> Parcel | None:
    """The operator's parcel with this tracking number of this carrier (codes compared normalised)."""
    number = "".join(tracking_number.split())
    if not number:
        return None
    code = carrier_code_normalise(carrier_code)
    candidates = Parcel.objects.filter(
        operator_id=operator_id, tracking_number__in={number, number.upper()}
    ).order_by("-packed_at")
    return next((p for p in candidates if carrier_code_normalise(p.carrier_code) == code), None)


def _clean(value: Any, name: str, limit: int, *, cut: bool) -> str:
    if value is None:
        return ""
    if not isinstance(value, str):
        raise TrackingInvalid(f"{name} is text", field=name)
    text = value.strip()
    if len(text) > limit:
        if not cut:
            raise TrackingInvalid(f"{name} is longer than {limit} characters", field=name)
        text = text[: limit - 1] + "…"
    return text


# --- recording a scan ----------------------------------------------------------------------------------------


def _parcel_lock(parcel: Parcel) -> Parcel:
    return Parcel.objects.select_for_update().get(pk=parcel.pk)


@dataclass(frozen=True)
class Scan:
    """One scan of a known parcel: its time, the carrier's code and text, where it happened."""

    occurred_at: dt.datetime | str | None
    raw_code: str = ""
    raw_text: str = ""
    location: str = ""


@dataclass(frozen=True)
class _Cleaned:
    at: dt.datetime
    code: str
    text: str
    where: str


def _scan_clean(scan: Scan) -> _Cleaned:
    at = time_parse(scan.occurred_at)
    code = _clean(scan.raw_code, "code", MAX_CODE, cut=False)
    text = _clean(scan.raw_text, "text", MAX_TEXT, cut=True)
    where = _clean(scan.location, "location", MAX_LOCATION, cut=True)
    if not code and not text:
        raise TrackingInvalid("a scan has the carrier's code, its text, or both", field="code")
    return _Cleaned(at, code, text, where)


def tracking_event_record(
    *,
    actor: Actor,
    parcel: Parcel,
    occurred_at: dt.datetime | str | None,
    raw_code: str,
    raw_text: str,
    location: str = "",
    source: str,
    now: dt.datetime | None = None,
    normalise_as: str = "",
) -> Recorded:
    """Store one scan of ``parcel`` and apply it (see the module's docstring). Returns ``applied`` or
    ``duplicate``. Raises TrackingTimeInvalid (no time zone, more than a day ahead, before the label),
    TrackingInvalid (no code and no text, a code over 40 characters, an unknown source, no tracking number),
    TrackingParcelVoided. ``normalise_as``: the carrier whose code table reads the scan (default the
    parcel's carrier; the sandbox poll names the adapter that produced it)."""
    [recorded] = tracking_scans_record(
        actor=actor,
        parcel=parcel,
        scans=[Scan(occurred_at, raw_code, raw_text, location)],
        source=source,
        now=now,
        normalise_as=normalise_as,
    )
    return recorded


def tracking_scans_record(
    *,
    actor: Actor,
    parcel: Parcel,
    scans: Sequence[Scan],
    source: str,
    now: dt.datetime | None = None,
    normalise_as: str = "",
) -> list[Recorded]:
    """Store several scans of one parcel at once — one lock, one recomputation, one ``tracking.updated`` —
    and return one result per scan (``applied`` or ``duplicate``; the alerts raised ride on the last applied).
    All or nothing: raises as :func:`tracking_event_record` on the first scan that cannot be applied."""
    now = now or timezone.now()
    if source not in TrackingSource.values:
        raise TrackingInvalid(f"{source!r} is not a tracking source", field="source")
    cleaned = [_scan_clean(scan) for scan in scans]
    with transaction.atomic():
        parcel = _parcel_lock(parcel)
        for scan in cleaned:
            _check_parcel(parcel, scan.at, now)
        keys = [dedupe_key(scan.at, scan.code, scan.text) for scan in cleaned]
        stored = set(
            TrackingEvent.objects.filter(parcel=parcel, dedupe_key__in=keys).values_list(
                "dedupe_key", flat=True
            )
        )
        results: list[Recorded] = []
        created: list[TrackingEvent] = []
        for scan, key in zip(cleaned, keys, strict=True):
            if key in stored:
                results.append(Recorded(Outcome.DUPLICATE, parcel=parcel))
                continue
            stored.add(key)
            normalised = tracking_rules.tracking_normalise(
                normalise_as or parcel.carrier_code, scan.code, scan.text
            )
            event = TrackingEvent.objects.create(
                parcel=parcel,
                occurred_at=scan.at,
                status=normalised.status.value,
                raw_code=scan.code,
                raw_text=scan.text,
                location=scan.where,
                is_customs_hold=normalised.is_customs_hold,
                is_refused_for_charges=normalised.is_refused_for_charges,
                source=source,
                received_at=now,
                dedupe_key=key,
            )
            created.append(event)
            results.append(Recorded(Outcome.APPLIED, parcel=parcel, event=event))
        if not created:
            return results
        events = tracked_events(parcel)
        before = _state(parcel)
        _state_apply(parcel, events, now)
        parcel.version += 1
        parcel.save(
            update_fields=["tracking_status", "last_event_at", "delivered_at", "version", "updated_at"]
        )
        newest = created[-1]
        audit_record(
            actor=actor,
            action="tracking.event_recorded",
            subject=parcel,
            before=before,
            after={
                **_state(parcel),
                "scans": [
                    {
                        "at": e.occurred_at.isoformat(),
                        "status": e.status,
                        "code": e.raw_code,
                        "source": source,
                    }
                    for e in created[:50]
                ],
                "count": len(created),
            },
            summary=f"{parcel.number}: {newest.status} ({newest.raw_code or newest.raw_text[:40]})"
            + (f" and {len(created) - 1} more" if len(created) > 1 else ""),
            occurred_at=now,
        )
        _emit_updated(parcel, now)
        raised, _resolved = tracking_alerts_sync(
            actor=actor,
            parcel=parcel,
            events=events,
            now=now,
            kinds=SCAN_KINDS,
            scanned_at=max(e.occurred_at for e in created),
        )
    if raised:
        last = max(i for i, r in enumerate(results) if r.outcome is Outcome.APPLIED)
        results[last] = replace(results[last], raised=tuple(raised))
    return results


def _check_parcel(parcel: Parcel, at: dt.datetime, now: dt.datetime) -> None:
    if not parcel.tracking_number:
        raise TrackingInvalid(f"{parcel.number} has no tracking number yet", field="tracking_number")
    if parcel.status == ParcelStatus.VOIDED:
        raise TrackingParcelVoided(
            f"{parcel.number}'s label {parcel.tracking_number} was voided", field="tracking_number"
        )
    if at > now + FUTURE_TOLERANCE:
        raise TrackingTimeInvalid(
            f"the scan's time {at:%Y-%m-%d %H:%M} UTC is more than a day ahead", field="occurred_at"
        )
    start = parcel.labelled_at or parcel.packed_at
    if start is not None and at < start - BEFORE_LABEL_TOLERANCE:
        raise TrackingTimeInvalid(
            f"the scan's time {at:%Y-%m-%d %H:%M} UTC is before the parcel was labelled "
            f"({start:%Y-%m-%d %H:%M} UTC)",
            field="occurred_at",
        )


def _state(parcel: Parcel) -> dict[str, Any]:
    def iso(value: dt.datetime | None) -> str | None:
        return value.isoformat() if value else None

    return {
        "tracking_status": parcel.tracking_status,
        "last_event_at": iso(parcel.last_event_at),
        "delivered_at": iso(parcel.delivered_at),
    }


def tracking_state(
    parcel: Parcel, events: Sequence[tracking_rules.TrackedEvent], now: dt.datetime
) -> tracking_rules.ParcelTracking:
    """The parcel's tracking now, from its scans (expiry judged only once it has left the warehouse)."""
    shipped = parcel.status == ParcelStatus.SHIPPED
    return tracking_rules.parcel_status(
        events,
        now=now if shipped else None,
        service_kind=service_kind_for(parcel) if shipped else None,
        labelled_at=parcel.shipped_at or parcel.labelled_at,
    )


def _state_apply(parcel: Parcel, events: Sequence[tracking_rules.TrackedEvent], now: dt.datetime) -> bool:
    state = tracking_state(parcel, events, now)
    wanted = (state.status.value, state.last_scan_at, state.delivered_at)
    current = (parcel.tracking_status or tracking_rules.TrackingStatus.PENDING.value, parcel.last_event_at)
    changed = wanted != (*current, parcel.delivered_at)  # blank (never tracked) counts as pending
    parcel.tracking_status, parcel.last_event_at, parcel.delivered_at = wanted
    return changed


def _emit_updated(parcel: Parcel, now: dt.datetime) -> None:
    outbox_emit(
        event_type=TRACKING_UPDATED,
        subject=Subject(PARCEL_SUBJECT, str(parcel.pk)),
        subject_version=parcel.version,
        seller_id=parcel.seller_id,
        operator_id=parcel.operator_id,
        occurred_at=now,
    )


def tracking_status_refresh(*, actor: Actor, parcel: Parcel, now: dt.datetime | None = None) -> Parcel:
    """Recompute the parcel's tracking status from its scans now (e.g. expired after weeks without one);
    emits ``tracking.updated`` when it changed. Called by the watch job inside its transaction."""
    now = now or timezone.now()
    events = tracked_events(parcel)
    before = _state(parcel)
    if _state_apply(parcel, events, now):
        parcel.version += 1
        parcel.save(
            update_fields=["tracking_status", "last_event_at", "delivered_at", "version", "updated_at"]
        )
        audit_record(
            actor=actor,
            action="tracking.status_changed",
            subject=parcel,
            before=before,
            after=_state(parcel),
            summary=f"{parcel.number}: {before['tracking_status'] or 'pending'} → {parcel.tracking_status}",
            occurred_at=now,
        )
        _emit_updated(parcel, now)
    return parcel


# --- alerts --------------------------------------------------------------------------------------------------


def tracking_alerts_sync(
    *,
    actor: Actor,
    parcel: Parcel,
    events: Sequence[tracking_rules.TrackedEvent],
    now: dt.datetime,
    kinds: Iterable[str] = tuple(TrackingAlertKind.values),
    no_scan_days: int | None = None,
    scanned_at: dt.datetime | None = None,
) -> tuple[list[TrackingAlert], list[TrackingAlert]]:
    """Raise the alerts of ``kinds`` that ``tracking_rules.alerts_for`` lists and are not open; resolve the
    open ones of ``kinds`` it no longer lists. ``scanned_at`` (a scan just recorded) also resolves open
    no-scan and expiry alerts raised before it. Runs inside the caller's transaction, the parcel locked."""
    wanted_kinds = frozenset(kinds)
    listed = {
        str(alert.kind): alert
        for alert in tracking_rules.alerts_for(
            events,
            now=now,
            service_kind=service_kind_for(parcel),
            no_scan_days=no_scan_days,
            labelled_at=parcel.shipped_at or parcel.labelled_at,
        )
        if parcel.status == ParcelStatus.SHIPPED or str(alert.kind) in SCAN_KINDS
    }
    open_alerts = {a.kind: a for a in TrackingAlert.objects.filter(parcel=parcel, resolved_at__isnull=True)}
    raised: list[TrackingAlert] = []
    resolved: list[TrackingAlert] = []
    for kind, alert in open_alerts.items():
        stale = kind in wanted_kinds and kind not in listed
        rescanned = kind in QUIET_KINDS and scanned_at is not None and scanned_at > alert.raised_at
        if stale or rescanned:
            why = "a later scan" if rescanned else "the tracking no longer shows it"
            resolved.append(_alert_resolve(actor, alert, now, by=TRACKING_ACTOR.label, note=why))
    still_open = {kind for kind in open_alerts if all(r.kind != kind for r in resolved)}
    for kind, rule_alert in listed.items():
        if kind not in wanted_kinds or kind in still_open:
            continue
        if TrackingAlert.objects.filter(
            parcel=parcel, kind=kind, raised_at__gte=_cause_at(parcel, rule_alert)
        ).exists():
            continue  # raised for this cause already and resolved since: only a newer cause raises it again
        raised.append(_alert_raise(actor, parcel, kind, rule_alert.detail, now))
    return raised, resolved


def _cause_at(parcel: Parcel, alert: tracking_rules.Alert) -> dt.datetime:
    """When Haicang learnt of the alert's cause: the scan's arrival (scans may arrive late), else its time."""
    received = (
        TrackingEvent.objects.filter(parcel=parcel, occurred_at=alert.since)
        .order_by("-received_at")
        .values_list("received_at", flat=True)
        .first()
    )
    return received or alert.since


def _alert_raise(actor: Actor, parcel: Parcel, kind: str, detail: str, now: dt.datetime) -> TrackingAlert:
    alert = TrackingAlert.objects.create(parcel=parcel, kind=kind, detail=detail[:300], raised_at=now)
    audit_record(
        actor=actor,
        action="tracking.alert_raised",
        subject=alert,
        after={"parcel": parcel.number, "kind": kind, "detail": alert.detail},
        summary=f"{parcel.number}: {kind} — {alert.detail}",
        occurred_at=now,
    )
    _emit_alert(ALERT_RAISED, alert, parcel, now)
    return alert


def _alert_resolve(
    actor: Actor, alert: TrackingAlert, now: dt.datetime, *, by: str, note: str
) -> TrackingAlert:
    alert.resolved_at, alert.resolved_by = now, by[:200]
    alert.save(update_fields=["resolved_at", "resolved_by"])
    audit_record(
        actor=actor,
        action="tracking.alert_resolved",
        subject=alert,
        before={"resolved_at": None},
        after={"resolved_at": now.isoformat(), "resolved_by": alert.resolved_by, "note": note[:300]},
        summary=f"{alert.kind} resolved: {note[:200]}",
        occurred_at=now,
    )
    _emit_alert(ALERT_RESOLVED, alert, alert.parcel, now)
    return alert


def _emit_alert(event_type: str, alert: TrackingAlert, parcel: Parcel, now: dt.datetime) -> None:
    outbox_emit(
        event_type=event_type,
        subject=Subject(ALERT_SUBJECT, str(alert.pk)),
        seller_id=parcel.seller_id,
        operator_id=parcel.operator_id,
        occurred_at=now,
    )


def tracking_alert_resolve(*, actor: Actor, alert: TrackingAlert, note: str = "") -> TrackingAlert:
    """The operator resolves an alert by hand (e.g. the customs paperwork was sent). The same cause does not
    raise it again; a newer one does. Raises AlertAlreadyResolved."""
    now = timezone.now()
    with transaction.atomic():
        Parcel.objects.select_for_update().filter(pk=alert.parcel_id).first()
        alert = TrackingAlert.objects.select_related("parcel").get(pk=alert.pk)
        if alert.resolved_at is not None:
            raise AlertAlreadyResolved(
                f"resolved at {alert.resolved_at:%Y-%m-%d %H:%M} UTC by {alert.resolved_by}", field="alert"
            )
        return _alert_resolve(actor, alert, now, by=actor.label, note=note.strip() or "resolved by hand")


# --- messages that cannot be applied -------------------------------------------------------------------------


def tracking_message_keep(
    *,
    actor: Actor,
    operator_id: uuid.UUID | None,
    source: str,
    carrier_code: str,
    tracking_number: str,
    payload: Mapping[str, Any],
    reason_code: str,
    reason: str,
    now: dt.datetime | None = None,
) -> TrackingMessage:
    """Keep a tracking message that could not be applied, with its reason (the operator's list of them)."""
    now = now or timezone.now()
    with transaction.atomic():
        message = TrackingMessage.objects.create(
            operator_id=operator_id,
            source=source if source in TrackingSource.values else TrackingSource.API,
            carrier_code=str(carrier_code)[:20],
            tracking_number=str(tracking_number)[:40],
            payload=dict(payload),
            reason_code=str(reason_code)[:40],
            reason=str(reason)[:300],
            received_at=now,
        )
        audit_record(
            actor=actor,
            action="tracking.message_kept",
            subject=message,
            after={"reason_code": message.reason_code, "tracking_number": message.tracking_number},
            summary=f"{message.tracking_number or '—'}: {message.reason}",
            occurred_at=now,
        )
    return message


# --- ingesting messages ----------------------------------------------------------------------------------------


def tracking_ingest(
    *,
    actor: Actor,
    operator_id: uuid.UUID,
    source: str,
    items: Sequence[TrackingInput],
    now: dt.datetime | None = None,
) -> list[Recorded]:
    """Record each message on the operator's parcel it names, or keep it with its reason. Each message is its
    own transaction: one bad message neither blocks nor undoes the others."""
    results = []
    known_carriers: dict[str, bool] = {}
    for item in items:
        code = carrier_code_normalise(str(item.carrier_code or ""))
        if code not in known_carriers:
            known_carriers[code] = carrier_known(operator_id, code)
        results.append(_ingest_one(actor, operator_id, source, item, known_carriers[code], now))
    return results


def _ingest_one(
    actor: Actor,
    operator_id: uuid.UUID,
    source: str,
    item: TrackingInput,
    carrier_ok: bool,
    now: dt.datetime | None,
) -> Recorded:
    def keep(reason_code: str, reason: str, parcel: Parcel | None = None) -> Recorded:
        message = tracking_message_keep(
            actor=actor,
            operator_id=operator_id,
            source=source,
            carrier_code=str(item.carrier_code or ""),
            tracking_number=str(item.tracking_number or ""),
            payload=item.payload(),
            reason_code=reason_code,
            reason=reason,
            now=now,
        )
        return Recorded(Outcome.KEPT, parcel=parcel, message=message, reason_code=reason_code, reason=reason)

    if not isinstance(item.carrier_code, str) or not carrier_ok:
        return keep(KeepReason.CARRIER_UNKNOWN, f"no carrier {item.carrier_code!r} is known")
    if not isinstance(item.tracking_number, str):
        return keep(KeepReason.INPUT_INVALID, "the tracking number is text")
    parcel = parcel_find(
        operator_id=operator_id, carrier_code=item.carrier_code, tracking_number=item.tracking_number
    )
    if parcel is None:
        return keep(
            KeepReason.TRACKING_UNKNOWN,
            f"no parcel of {item.carrier_code} has the tracking number {item.tracking_number!r}",
        )
    try:
        return tracking_event_record(
            actor=actor,
            parcel=parcel,
            occurred_at=item.occurred_at,
            raw_code=item.raw_code,
            raw_text=item.raw_text,
            location=item.location,
            source=source,
            now=now,
        )
    except DomainError as exc:
        reason = _REASON_OF_ERROR.get(exc.code, KeepReason.INPUT_INVALID)
        return keep(reason, exc.detail, parcel)
