"""The SLA clock of a fulfillment request. Pure: no Django import (the calendar is ``haicang.network.calendar``).

When a request is **released** to the warehouse (created), its clock is fixed:

- **start**: the release instant — unless the warehouse has a daily cut-off and the request came in at or after
  it on a working day, then the next working day's opening ("orders released before the cut-off ship within N
  working hours"; a release exactly at the cut-off has missed it, as in ``WorkingCalendar.next_cutoff``). A
  release outside working hours simply waits for the next opening (working time does not pass at night).
- **agreement due**: ``start`` plus the agreement's ``sla_ship_within_working_hours`` of the warehouse's
  working time (its hours, holidays and time zone, DST-safe — ``WorkingCalendar.add_working_hours``).
- **platform due**: the order's ``ship_by`` (the channel's deadline), if it has one.
- **due**: the stricter (earlier) of the two; ``basis`` says which one (``agreement`` or ``platform``).
- **window**: the working time between start and due. **At risk** once the working time left before the due is
  at most :data:`AT_RISK_SHARE` (20 %) of the window or :data:`AT_RISK_CAP` (4 working hours), whichever is
  **smaller** — so a 24-hour window turns at risk 4 working hours before its due and an 8-hour one 1.6 hours
  before. Because working time left only shrinks as time passes, that moment is one instant, ``at_risk_from``,
  stored with the request: the lists are plain comparisons with "now".
- **Late** once ``now`` reaches the due (and a request shipped after its due was late).

States (:class:`SlaState`): ``on_time``, ``at_risk``, ``late``; a rejected or cancelled request has none.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, time, timedelta
from decimal import Decimal
from enum import StrEnum

from haicang.network.calendar import WorkingCalendar

AT_RISK_SHARE = Decimal("0.2")
AT_RISK_CAP = timedelta(hours=4)


class SlaState(StrEnum):
    ON_TIME = "on_time"
    AT_RISK = "at_risk"
    LATE = "late"


class SlaBasis(StrEnum):
    AGREEMENT = "agreement"
    PLATFORM = "platform"


@dataclass(frozen=True, slots=True)
class SlaClock:
    released_at: datetime
    start: datetime
    agreement_due: datetime
    platform_due: datetime | None
    due: datetime
    basis: SlaBasis
    window: timedelta  # working time between start and due
    at_risk_from: datetime


def _aware(value: datetime, name: str) -> datetime:
    if value.tzinfo is None or value.utcoffset() is None:
        raise ValueError(f"{name} must be an aware datetime")
    return value


def sla_start(calendar: WorkingCalendar, released_at: datetime) -> datetime:
    """When the clock starts for a request released at ``released_at`` (see the module's docstring)."""
    local = calendar.local(_aware(released_at, "released_at"))
    cutoff = calendar.cutoff
    if cutoff is not None and calendar.works_on(local.date()) and local.time().replace(tzinfo=None) >= cutoff:
        next_day = datetime.combine(local.date() + timedelta(days=1), time(0), tzinfo=calendar.zone)
        return calendar.next_working_time(next_day)
    return calendar.next_working_time(local)


def at_risk_threshold(window: timedelta) -> timedelta:
    """How much working time left before the due makes a request at risk: min(20 % of the window, 4 h)."""
    share = timedelta(microseconds=int(Decimal(window // timedelta(microseconds=1)) * AT_RISK_SHARE))
    return min(share, AT_RISK_CAP)


def sla_clock(
    calendar: WorkingCalendar,
    *,
    released_at: datetime,
    ship_within_hours: int,
    ship_by: datetime | None = None,
) -> SlaClock:
    """The clock of a request released at ``released_at`` into a warehouse working on ``calendar``, under an
    agreement promising to ship within ``ship_within_hours`` working hours, for an order the platform wants
    shipped by ``ship_by`` (None: no platform deadline)."""
    start = sla_start(calendar, released_at)
    agreement_due = calendar.add_working_hours(start, ship_within_hours)
    due, basis = agreement_due, SlaBasis.AGREEMENT
    if ship_by is not None and _aware(ship_by, "ship_by") < agreement_due:
        due, basis = calendar.local(ship_by), SlaBasis.PLATFORM
    window = calendar.working_time_between(start, due)
    threshold = at_risk_threshold(window)
    at_risk_from = calendar.add_working_hours(start, window - threshold) if window > threshold else start
    if at_risk_from > due:
        at_risk_from = due
    return SlaClock(
        released_at=released_at,
        start=start,
        agreement_due=agreement_due,
        platform_due=ship_by,
        due=due,
        basis=basis,
        window=window,
        at_risk_from=at_risk_from,
    )


def sla_state(
    *, due: datetime, at_risk_from: datetime, now: datetime, shipped_at: datetime | None = None
) -> SlaState:
    """The state at ``now`` of a request due at ``due``; a shipped request is judged at its ``shipped_at``."""
    if shipped_at is not None:  # shipping at the due itself is in time
        return SlaState.LATE if shipped_at > due else SlaState.ON_TIME
    if now >= due:
        return SlaState.LATE
    return SlaState.AT_RISK if now >= at_risk_from else SlaState.ON_TIME
