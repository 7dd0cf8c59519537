"""Working calendars: when a warehouse works, computed in its own time zone. Pure: no Django import.

A :class:`WorkingCalendar` has

- a time zone (an IANA name such as ``Europe/Berlin``);
- opening hours per weekday (0 = Monday … 6 = Sunday) as local wall-clock times ``opens``–``closes``;
  ``closes`` 00:00 means midnight at the end of the day (00:00–00:00 is a whole day); a weekday without hours
  is a day off. Hours never cross midnight: a night shift is two days' hours;
- holidays: local dates on which nothing works;
- an optional daily cut-off (local time): orders released before it leave that working day.

**DST.** A bound is a local wall-clock time turned into an instant through the zone on its own date, so
08:00–17:00 stays 08:00–17:00 local across a clock change. A bound inside the spring-forward gap (02:30 in
Berlin on the last Sunday of March) moves forward by the gap (03:30 summer time); a bound in the repeated
autumn hour takes its first occurrence. Working time is real elapsed time: a 00:00–24:00 day lasts 23 hours
when the clocks spring forward and 25 when they fall back.

Every instant taken or returned is an aware ``datetime``; results are in the calendar's zone.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal, InvalidOperation
from functools import cache
from types import MappingProxyType
from zoneinfo import ZoneInfo, available_timezones

from haicang.network.errors import CalendarInvalid, NoWorkingTime, TimeZoneUnknown

MIDNIGHT = time(0)
SEARCH_DAYS = 3 * 366
"""How far past a start the calendar looks for working time before it raises NoWorkingTime."""
DAY_NAMES = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
_NOT_ZONES = frozenset({"localtime", "Factory"})  # files in the zone database that are not places
_MICROSECONDS_PER_HOUR = 3_600_000_000

OpeningHours = Mapping[int, tuple[time, time]]


@cache
def _zone_names() -> frozenset[str]:
    return frozenset(available_timezones()) - _NOT_ZONES


def time_zone_check(name: object, *, field: str = "time_zone") -> str:
    """``name`` when it is an IANA time zone; raises TimeZoneUnknown otherwise."""
    if not isinstance(name, str) or name not in _zone_names():
        raise TimeZoneUnknown(f"{name!r} is not an IANA time zone such as Europe/Berlin", field=field)
    return name


def _local_time_check(value: object, *, what: str, field: str) -> time:
    if not isinstance(value, time) or value.tzinfo is not None:
        raise CalendarInvalid(f"{what} is a local time of day without a time zone", field=field)
    return value


def opening_hours_check(hours: OpeningHours, *, field: str = "working_hours") -> dict[int, tuple[time, time]]:
    """The opening hours, sorted by weekday; raises CalendarInvalid naming the first wrong day."""
    out: dict[int, tuple[time, time]] = {}
    for weekday, bounds in hours.items():
        if isinstance(weekday, bool) or not isinstance(weekday, int) or not 0 <= weekday <= 6:
            raise CalendarInvalid(f"weekday {weekday!r} is not 0 (Monday) to 6 (Sunday)", field=field)
        opens, closes = bounds
        day = DAY_NAMES[weekday]
        _local_time_check(opens, what=f"{day}'s opening", field=field)
        _local_time_check(closes, what=f"{day}'s closing", field=field)
        if closes != MIDNIGHT and closes <= opens:
            raise CalendarInvalid(
                f"on {day} the warehouse closes ({closes:%H:%M}) before it opens ({opens:%H:%M}); "
                "hours do not cross midnight (00:00 closes at the end of the day)",
                field=field,
            )
        out[weekday] = (opens, closes)
    return dict(sorted(out.items()))


def _aware(value: object, name: str) -> datetime:
    if not isinstance(value, datetime) or value.tzinfo is None or value.utcoffset() is None:
        raise ValueError(f"{name} must be an aware datetime")
    return value


def working_duration(hours: int | Decimal | timedelta) -> timedelta:
    """``hours`` (an int, a Decimal or a timedelta) as a non-negative timedelta; floats are refused."""
    if isinstance(hours, timedelta):
        duration = hours
    elif isinstance(hours, bool) or not isinstance(hours, int | Decimal):
        raise TypeError(f"hours are an int, a Decimal or a timedelta, not {type(hours).__name__}")
    else:
        try:
            micro = (Decimal(hours) * _MICROSECONDS_PER_HOUR).to_integral_value()
            duration = timedelta(microseconds=int(micro))
        except (InvalidOperation, OverflowError, ValueError):
            raise ValueError(f"{hours} is not a number of hours") from None
    if duration < timedelta(0):
        raise ValueError(f"cannot add a negative working time ({hours})")
    return duration


@dataclass(frozen=True, eq=False)
class WorkingCalendar:
    """When one warehouse works. Build it with validated data; see the module docstring for the rules."""

    time_zone: str
    hours: OpeningHours
    holidays: frozenset[date] = frozenset()
    cutoff: time | None = None

    def __post_init__(self) -> None:
        time_zone_check(self.time_zone)
        object.__setattr__(self, "hours", MappingProxyType(opening_hours_check(self.hours)))
        holidays = frozenset(self.holidays)
        if any(isinstance(day, datetime) or not isinstance(day, date) for day in holidays):
            raise CalendarInvalid("holidays are dates", field="holidays")
        object.__setattr__(self, "holidays", holidays)
        if self.cutoff is not None:
            _local_time_check(self.cutoff, what="the cut-off", field="cutoff_time")

    # --- days -----------------------------------------------------------------------------------------------
    @property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.time_zone)

    def local(self, at: datetime) -> datetime:
        """``at`` in the calendar's zone."""
        return _aware(at, "at").astimezone(self.zone)

    def works_on(self, day: date) -> bool:
        """Whether ``day`` (a local date) has working hours: a working weekday that is not a holiday."""
        return day.weekday() in self.hours and day not in self.holidays

    def _instant(self, day: date, at: time) -> datetime:
        return datetime.combine(day, at, tzinfo=self.zone).astimezone(UTC)

    def period_on(self, day: date) -> tuple[datetime, datetime] | None:
        """The working period of local date ``day`` as two UTC instants ``[start, end)``, or None."""
        if not self.works_on(day):
            return None
        opens, closes = self.hours[day.weekday()]
        start = self._instant(day, opens)
        end = (
            self._instant(day + timedelta(days=1), MIDNIGHT)
            if closes == MIDNIGHT
            else self._instant(day, closes)
        )
        return (start, end) if end > start else None  # a period wholly inside a DST gap is empty

    def periods_from(self, start: datetime) -> Iterator[tuple[datetime, datetime]]:
        """The working periods that end after ``start``, in order, the first clipped to begin at ``start``.

        UTC instants. Stops after :data:`SEARCH_DAYS` days.
        """
        start = _aware(start, "start").astimezone(UTC)
        day = self.local(start).date()
        for offset in range(SEARCH_DAYS + 1):
            period = self.period_on(day + timedelta(days=offset))
            if period is not None and period[1] > start:
                yield max(period[0], start), period[1]

    # --- questions ------------------------------------------------------------------------------------------
    def is_working_time(self, at: datetime) -> bool:
        """Whether the warehouse works at instant ``at`` (opening included, closing excluded)."""
        at = _aware(at, "at")
        period = self.period_on(self.local(at).date())
        return period is not None and period[0] <= at < period[1]

    def next_working_time(self, at: datetime) -> datetime:
        """The first working instant at or after ``at`` (``at`` itself during working time)."""
        for start, _end in self.periods_from(at):
            return start.astimezone(self.zone)
        raise self._never_works(at)

    def add_working_hours(self, start: datetime, hours: int | Decimal | timedelta) -> datetime:
        """The earliest instant by which ``hours`` of working time have passed since ``start``.

        Time outside working hours (nights, days off, holidays) does not count. Adding 0 returns ``start``;
        work that fills a day exactly ends at that day's closing, not at the next opening.
        """
        start = _aware(start, "start")
        remaining = working_duration(hours)
        if not remaining:
            return self.local(start)
        for period_start, period_end in self.periods_from(start):
            length = period_end - period_start
            if remaining <= length:
                return (period_start + remaining).astimezone(self.zone)
            remaining -= length
        raise self._never_works(start)

    def working_time_between(self, start: datetime, end: datetime) -> timedelta:
        """How much working time lies in ``[start, end)``; zero when ``end`` is not after ``start``."""
        start, end = _aware(start, "start"), _aware(end, "end")
        total = timedelta(0)
        if end <= start:
            return total
        for period_start, period_end in self.periods_from(start):
            if period_start >= end:
                break
            total += min(period_end, end) - period_start
        return total

    def next_cutoff(self, at: datetime) -> datetime:
        """The first cut-off strictly after ``at`` on a working day.

        An order released exactly at a cut-off has missed it. Raises CalendarInvalid without a cut-off time.
        """
        at = _aware(at, "at")
        if self.cutoff is None:
            raise CalendarInvalid("the calendar has no cut-off time", field="cutoff_time")
        day = self.local(at).date()
        for offset in range(SEARCH_DAYS + 1):
            candidate = day + timedelta(days=offset)
            if self.works_on(candidate):
                instant = self._instant(candidate, self.cutoff)
                if instant > at:
                    return instant.astimezone(self.zone)
        raise self._never_works(at)

    def _never_works(self, at: datetime) -> NoWorkingTime:
        return NoWorkingTime(
            f"no working time within {SEARCH_DAYS} days of {self.local(at).isoformat()} in {self.time_zone}",
            field="working_hours",
        )
