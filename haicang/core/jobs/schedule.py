"""Schedule maths, without Django: when does a periodic job run next?

A rule is either :class:`Every` (a fixed interval in seconds) or :class:`DailyAt` (a time of day in UTC).
:func:`next_run_after` answers the first run of the rule strictly after a given aware instant. Runs that
were missed (the worker was down) are not caught up one by one: the next run is the first one after
*now*, so a job that was due many times runs once.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, time, timedelta

from haicang.core.jobs.errors import ScheduleInvalid

MAX_INTERVAL_SECONDS = 366 * 24 * 3600


@dataclass(frozen=True, slots=True)
class Every:
    """Every ``seconds`` seconds, keeping the phase of the previous run when there is one."""

    seconds: int

    def __post_init__(self) -> None:
        if isinstance(self.seconds, bool) or not isinstance(self.seconds, int):
            raise ScheduleInvalid("the interval must be a whole number of seconds", field="interval_seconds")
        if not 1 <= self.seconds <= MAX_INTERVAL_SECONDS:
            raise ScheduleInvalid(
                f"the interval must be between 1 and {MAX_INTERVAL_SECONDS} seconds", field="interval_seconds"
            )


@dataclass(frozen=True, slots=True)
class DailyAt:
    """Once a day at ``at`` (a time of day in UTC, to the second)."""

    at: time

    def __post_init__(self) -> None:
        if self.at.tzinfo is not None and self.at.utcoffset() != timedelta(0):
            raise ScheduleInvalid(
                "the time of day is read in UTC; give it without an offset", field="daily_at"
            )
        if self.at.microsecond:
            raise ScheduleInvalid("the time of day is given to the second", field="daily_at")


type Rule = Every | DailyAt


def rule_from_fields(*, interval_seconds: int | None, daily_at: time | None) -> Rule:
    """The rule stored as the two columns of the schedule table; exactly one of them must be given."""
    if (interval_seconds is None) == (daily_at is None):
        raise ScheduleInvalid("give either an interval in seconds or a daily time, not both or neither")
    if interval_seconds is not None:
        return Every(interval_seconds)
    assert daily_at is not None  # noqa: S101 - narrowed by the check above
    return DailyAt(daily_at)


def next_run_after(rule: Rule, after: datetime, *, anchor: datetime | None = None) -> datetime:
    """The first run of ``rule`` strictly after ``after`` (aware), in UTC.

    For :class:`Every`, ``anchor`` (a previous or planned run) fixes the phase: runs fall on
    ``anchor + k * interval``. Without it the next run is one interval after ``after``.
    """
    after = _utc(after, "after")
    match rule:
        case Every(seconds=seconds):
            step = timedelta(seconds=seconds)
            if anchor is None:
                return after + step
            anchor = _utc(anchor, "anchor")
            periods = (after - anchor) // step + 1
            return anchor + periods * step
        case DailyAt(at=at):
            candidate = datetime.combine(after.date(), at.replace(tzinfo=None), tzinfo=UTC)
            if candidate <= after:
                candidate += timedelta(days=1)
            return candidate


def _utc(value: datetime, name: str) -> datetime:
    if value.tzinfo is None or value.utcoffset() is None:
        raise ValueError(f"{name} must be an aware datetime")
    return value.astimezone(UTC)
