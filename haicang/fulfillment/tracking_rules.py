"""Tracking events normalised to one vocabulary; a parcel's status; expiry and alerts. Pure: no Django.

**Vocabulary** (DOMAIN.md, "Tracking vocabulary"): ``pending``, ``info_received``, ``in_transit``,
``out_for_delivery``, ``attempt_failed``, ``available_for_pickup``, ``delivered``, ``exception``,
``returned_to_sender``, ``expired``. The carrier's raw code and text are always kept next to the status.

**Normalising one event** (:func:`tracking_normalise`):

1. The carrier's **code table** (:data:`CODE_TABLES`) maps its code — UPS status types (``M``, ``P``, ``I``,
   ``X``, ``D``, ``RS``), USPS event codes (``MA``, ``03``, ``OF``, ``01``, ``02``, ``16``, ``09``, …), FedEx
   status codes (``OC``, ``PU``, ``OD``, ``DL``, ``DE``, ``CD``, ``HL``, ``RS``, …), DHL ``statusCode``
   (``pre-transit``, ``transit``, ``delivered``, ``failure``, ``unknown``), Royal Mail event codes (``EVGPD``,
   ``EVKNA``, ``EVNDA``, ``EVKSP``, …), DPD parcel life-cycle states, GLS states (``PREADVICE`` …
   ``DELIVEREDPS``, ``NOTDELIVERED``) and the sandbox's codes. Hermes and Evri publish no code list: their
   events are read from the text alone.
2. A **broad code** (UPS ``I`` or ``X``, DHL ``transit`` or ``failure``, FedEx ``DE``, …) is *refined* by the
   text within limits (:data:`REFINEMENTS`): "Out For Delivery Today" under UPS ``I`` is out for delivery; "The
   receiver was not available" under ``X`` is a failed attempt; "ready for pickup" under a delivered code means
   waiting at a pick-up point. A refinement never turns an exception into a delivery.
3. An unknown code (or none) is classified by the **text rules** (:data:`TEXT_RULES`, English and German, first
   match wins); with no match the event counts as ``in_transit`` and is marked ``matched_by="default"`` so
   unmapped codes can be found and added to the tables.
4. **Customs holds** ("held by customs", "clearance delay", "Zoll … zurückgehalten", FedEx ``CD``) and
   **refused for charges** (a refusal together with duties, taxes, fees or customs charges) are flagged from
   codes and text; either makes the event an ``exception`` unless it already says the parcel was delivered or
   is going back to the sender. A customs event that says released, cleared or complete is no hold.

**A parcel's status** (:func:`parcel_status`): its events by time (ties keep their order); the latest event's
status, except that once a parcel is delivered or returned to sender a later non-final scan (late data,
duplicates out of order) does not reopen it. No events: ``pending``. ``expired`` (:func:`is_expired`): no scan
for 30 days on express services, 60 on postal ones — judged only when asked with the time and the service kind.

**Alerts** (:func:`alerts_for`): the alerts that should be open now — ``customs_hold`` while the latest customs
hold has not been followed by progress; ``refused_for_charges`` from the refusal until the parcel is delivered
(the seller has to act on the return); ``exception`` while the latest event is any other exception;
``no_scan`` when an undelivered parcel has had no scan for N days (:data:`NO_SCAN_DAYS` by default: 3 express,
7 postal; counted from the label when there is no scan yet); ``expired`` instead of ``no_scan`` past the expiry.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from types import MappingProxyType

from haicang.fulfillment.carriers.base import RawTrackingEvent, ServiceKind, carrier_code_normalise
from haicang.fulfillment.tracking_tables import (
    CODE_TABLES,
    REFINEMENTS,
    TEXT_RULES,
    CodeRule,
    TextRule,
    TrackingStatus,
    customs_hold_in,
    refused_for_charges_in,
)

__all__ = [
    "CODE_TABLES",
    "REFINEMENTS",
    "TEXT_RULES",
    "Alert",
    "AlertKind",
    "CodeRule",
    "MatchedBy",
    "Normalised",
    "ParcelTracking",
    "TrackedEvent",
    "TrackingStatus",
    "alerts_for",
    "customs_hold_in",
    "event_normalise",
    "is_expired",
    "parcel_status",
    "refused_for_charges_in",
    "tracking_normalise",
]


T = TrackingStatus
TERMINAL = frozenset({T.DELIVERED, T.RETURNED_TO_SENDER, T.EXPIRED})
FINAL_SCANS = frozenset({T.DELIVERED, T.RETURNED_TO_SENDER})  # what a carrier can say that ends the trip
EXPIRY_DAYS: Mapping[ServiceKind, int] = MappingProxyType({ServiceKind.EXPRESS: 30, ServiceKind.POSTAL: 60})
NO_SCAN_DAYS: Mapping[ServiceKind, int] = MappingProxyType({ServiceKind.EXPRESS: 3, ServiceKind.POSTAL: 7})


class MatchedBy(StrEnum):
    CODE = "code"  # the code table alone
    CODE_AND_TEXT = "code_and_text"  # a broad code refined by the text
    TEXT = "text"  # no code entry: the text rules
    DEFAULT = "default"  # nothing matched: counted as in transit


@dataclass(frozen=True)
class Normalised:
    """One carrier event in the vocabulary, with the carrier's raw code and text kept."""

    status: TrackingStatus
    carrier_code: str
    raw_code: str
    raw_text: str
    is_customs_hold: bool = False
    is_refused_for_charges: bool = False
    matched_by: MatchedBy = MatchedBy.CODE
    rule: str = ""  # the text rule that decided, if one did

    @property
    def is_exception(self) -> bool:
        return self.status is T.EXCEPTION


def _text_status(text: str) -> TextRule | None:
    return next((rule for rule in TEXT_RULES if rule.matches(text)), None)


def tracking_normalise(carrier_code: str, raw_code: str, raw_text: str) -> Normalised:
    """One carrier event → the vocabulary (see the module's docstring for the rules)."""
    carrier = carrier_code_normalise(carrier_code)
    code, text = raw_code.strip(), " ".join(raw_text.split())
    rule = CODE_TABLES.get(carrier, {}).get(code.upper()) if code else None
    by_text = _text_status(text) if text else None
    refused = (rule is not None and rule.refused_for_charges) or refused_for_charges_in(text)
    customs = ((rule is not None and rule.customs_hold) or customs_hold_in(text)) and not refused

    matched_by, rule_name = MatchedBy.DEFAULT, ""
    if rule is not None:
        status, matched_by = rule.status, MatchedBy.CODE
        if (
            rule.refine
            and by_text is not None
            and by_text.status in REFINEMENTS.get(rule.status, frozenset())
        ):
            status, matched_by, rule_name = by_text.status, MatchedBy.CODE_AND_TEXT, by_text.name
    elif by_text is not None:
        status, matched_by, rule_name = by_text.status, MatchedBy.TEXT, by_text.name
    else:
        status = T.IN_TRANSIT
    if (customs or refused) and status not in FINAL_SCANS:
        status = T.EXCEPTION
    return Normalised(
        status=status,
        carrier_code=carrier,
        raw_code=raw_code,
        raw_text=raw_text,
        is_customs_hold=customs,
        is_refused_for_charges=refused,
        matched_by=matched_by,
        rule=rule_name,
    )


# --- a parcel's events -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class TrackedEvent:
    """A normalised event of one parcel (what the app stores: status, flags, raw code and text)."""

    at: dt.datetime
    status: TrackingStatus
    raw_code: str = ""
    raw_text: str = ""
    location: str = ""
    is_customs_hold: bool = False
    is_refused_for_charges: bool = False


def event_normalise(event: RawTrackingEvent) -> TrackedEvent:
    """A carrier's raw event as a :class:`TrackedEvent`."""
    normalised = tracking_normalise(event.carrier_code, event.code, event.text)
    return TrackedEvent(
        at=event.at,
        status=normalised.status,
        raw_code=event.code,
        raw_text=event.text,
        location=event.location,
        is_customs_hold=normalised.is_customs_hold,
        is_refused_for_charges=normalised.is_refused_for_charges,
    )


def _aware(value: dt.datetime, name: str) -> dt.datetime:
    if value.tzinfo is None or value.utcoffset() is None:
        raise ValueError(f"{name} must be an aware datetime")
    return value


def is_expired(last_scan_at: dt.datetime, now: dt.datetime, *, service_kind: ServiceKind) -> bool:
    """No scan for 30 days (express) or 60 days (postal) since ``last_scan_at``."""
    days = EXPIRY_DAYS[service_kind]
    return _aware(now, "now") - _aware(last_scan_at, "last_scan_at") >= dt.timedelta(days=days)


@dataclass(frozen=True)
class ParcelTracking:
    status: TrackingStatus
    since: dt.datetime | None  # when the parcel reached this status (the event, or the expiry moment)
    last_event: TrackedEvent | None  # the event the status comes from (None: pending, or expired unscanned)
    last_scan_at: dt.datetime | None  # the newest event of all, whatever it said
    delivered_at: dt.datetime | None
    events: tuple[TrackedEvent, ...] = field(default=(), repr=False)  # by time

    @property
    def is_terminal(self) -> bool:
        return self.status in TERMINAL


def _ordered(events: Iterable[TrackedEvent]) -> tuple[TrackedEvent, ...]:
    return tuple(sorted(events, key=lambda e: _aware(e.at, "event time")))


def parcel_status(
    events: Iterable[TrackedEvent],
    *,
    now: dt.datetime | None = None,
    service_kind: ServiceKind | None = None,
    labelled_at: dt.datetime | None = None,
) -> ParcelTracking:
    """A parcel's status from its events (see the module's docstring). ``expired`` is judged when ``now`` and
    ``service_kind`` are given, from the last scan or, with none, from ``labelled_at``."""
    ordered = _ordered(events)
    current: TrackedEvent | None = None
    for event in ordered:
        if current is not None and current.status in FINAL_SCANS and event.status not in FINAL_SCANS:
            continue  # a late or replayed scan does not reopen a delivered or returned parcel
        current = event
    last_scan_at = ordered[-1].at if ordered else None
    delivered_at = current.at if current is not None and current.status is T.DELIVERED else None
    status = current.status if current is not None else T.PENDING
    since = current.at if current is not None else None
    if now is not None and service_kind is not None and status not in TERMINAL:
        reference = last_scan_at or labelled_at
        if reference is not None and is_expired(reference, now, service_kind=service_kind):
            status, since = T.EXPIRED, reference + dt.timedelta(days=EXPIRY_DAYS[service_kind])
    return ParcelTracking(status, since, current, last_scan_at, delivered_at, ordered)


# --- alerts ------------------------------------------------------------------------------------------------


class AlertKind(StrEnum):
    EXCEPTION = "exception"
    CUSTOMS_HOLD = "customs_hold"
    REFUSED_FOR_CHARGES = "refused_for_charges"
    NO_SCAN = "no_scan"
    EXPIRED = "expired"


@dataclass(frozen=True)
class Alert:
    kind: AlertKind
    since: dt.datetime  # the event that raised it, or the last scan it counts from
    detail: str


def _latest(events: Iterable[TrackedEvent], test: Callable[[TrackedEvent], bool]) -> int | None:
    found = None
    for index, event in enumerate(events):
        if test(event):
            found = index
    return found


def alerts_for(
    events: Iterable[TrackedEvent],
    *,
    now: dt.datetime,
    service_kind: ServiceKind,
    no_scan_days: int | None = None,
    labelled_at: dt.datetime | None = None,
) -> list[Alert]:
    """The alerts that should be open for a parcel now (see the module's docstring): the caller raises the
    ones not open yet and resolves the open ones no longer listed."""
    state = parcel_status(events, now=now, service_kind=service_kind, labelled_at=labelled_at)
    ordered = state.events
    alerts: list[Alert] = []

    held = _latest(ordered, lambda e: e.is_customs_hold)
    if held is not None and all(e.status is T.EXCEPTION for e in ordered[held + 1 :]):
        event = ordered[held]
        alerts.append(Alert(AlertKind.CUSTOMS_HOLD, event.at, _detail("held in customs", event)))

    refused = _latest(ordered, lambda e: e.is_refused_for_charges)
    if refused is not None and state.status is not T.DELIVERED:
        event = ordered[refused]
        alerts.append(Alert(AlertKind.REFUSED_FOR_CHARGES, event.at, _detail("refused over charges", event)))

    last = state.last_event
    if (
        last is not None
        and last.status is T.EXCEPTION
        and not (last.is_customs_hold or last.is_refused_for_charges)
        and state.status is T.EXCEPTION
    ):
        alerts.append(Alert(AlertKind.EXCEPTION, last.at, _detail("exception", last)))

    reference = state.last_scan_at or labelled_at
    if state.status is T.EXPIRED and reference is not None:
        days = (now - reference).days
        alerts.append(Alert(AlertKind.EXPIRED, reference, f"no scan for {days} days: the parcel is expired"))
    elif not state.is_terminal and reference is not None:
        limit = NO_SCAN_DAYS[service_kind] if no_scan_days is None else no_scan_days
        quiet = now - reference
        if quiet >= dt.timedelta(days=limit):
            what = "no scan" if state.last_scan_at is not None else "no first scan since the label"
            alerts.append(
                Alert(AlertKind.NO_SCAN, reference, f"{what} for {quiet.days} days (limit {limit})")
            )
    return alerts


def _detail(what: str, event: TrackedEvent) -> str:
    raw = " ".join(part for part in (event.raw_code, event.raw_text) if part)
    return f"{what}: {raw}"[:300] if raw else what
