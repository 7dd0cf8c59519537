"""The SLA clock (pure): start after the cut-off, working hours only, holidays skipped, DST-safe, the stricter of
the platform's ship-by and the agreement's SLA, and the at-risk threshold."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest

from haicang.network.calendar import WorkingCalendar
from haicang.orders.sla_rules import SlaBasis, SlaState, at_risk_threshold, sla_clock, sla_state

BERLIN = ZoneInfo("Europe/Berlin")
LA = ZoneInfo("America/Los_Angeles")
WEEKDAYS = {day: (time(8), time(17)) for day in range(5)}  # Mon–Fri 08:00–17:00, 9 h a day
EVERY_DAY = {day: (time(0), time(0)) for day in range(7)}  # round the clock


def berlin(year: int, month: int, day: int, hour: int = 0, minute: int = 0) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=BERLIN)


CALENDAR = WorkingCalendar("Europe/Berlin", WEEKDAYS, holidays=frozenset({date(2026, 4, 3)}), cutoff=time(14))


@pytest.mark.parametrize(
    ("case", "released", "hours", "start", "due"),
    [
        # 2026-03-02 is a Monday.
        (
            "before the cut-off: the clock runs at once",
            berlin(2026, 3, 2, 9),
            8,
            berlin(2026, 3, 2, 9),
            berlin(2026, 3, 2, 17),
        ),
        (
            "the hours spill into the next working day",
            berlin(2026, 3, 2, 13),
            9,
            berlin(2026, 3, 2, 13),
            berlin(2026, 3, 3, 13),
        ),
        (
            "at the cut-off: missed, starts next opening",
            berlin(2026, 3, 2, 14),
            8,
            berlin(2026, 3, 3, 8),
            berlin(2026, 3, 3, 16),
        ),
        (
            "after the cut-off on Friday: Monday",
            berlin(2026, 3, 6, 15),
            4,
            berlin(2026, 3, 9, 8),
            berlin(2026, 3, 9, 12),
        ),
        (
            "before opening: starts at opening",
            berlin(2026, 3, 2, 6, 30),
            2,
            berlin(2026, 3, 2, 8),
            berlin(2026, 3, 2, 10),
        ),
        (
            "on a Sunday: starts Monday",
            berlin(2026, 3, 8, 11),
            24,
            berlin(2026, 3, 9, 8),
            berlin(2026, 3, 11, 14),
        ),
        # Good Friday 2026-04-03 is a holiday: Thursday after the cut-off jumps to Monday.
        ("a holiday is skipped", berlin(2026, 4, 2, 16), 9, berlin(2026, 4, 6, 8), berlin(2026, 4, 6, 17)),
        (
            "across the spring clock change (weekday hours stay local)",
            berlin(2026, 3, 27, 10),
            9,
            berlin(2026, 3, 27, 10),
            berlin(2026, 3, 30, 10),
        ),
    ],
)
def test_the_agreement_due_counts_working_hours_of_the_warehouse(case, released, hours, start, due):
    # given a Berlin warehouse working Mon–Fri 08–17 with a 14:00 cut-off and Good Friday off
    # when a request is released with an SLA of `hours` working hours and no platform deadline
    clock = sla_clock(CALENDAR, released_at=released, ship_within_hours=hours)

    # then the clock starts and ends where the calendar says
    assert (clock.start, clock.agreement_due, clock.due, clock.basis) == (
        start,
        due,
        due,
        SlaBasis.AGREEMENT,
    ), case


@pytest.mark.parametrize(
    ("zone", "released", "hours", "due_local"),
    [
        # Berlin springs forward on Sunday 2026-03-29 (02:00 → 03:00): 24 real hours end at 13:00 summer time.
        ("Europe/Berlin", (2026, 3, 28, 12), 24, (2026, 3, 29, 13)),
        # Los Angeles falls back on Sunday 2026-11-01 (02:00 → 01:00): 24 real hours end at 11:00 standard time.
        ("America/Los_Angeles", (2026, 10, 31, 12), 24, (2026, 11, 1, 11)),
    ],
)
def test_a_round_the_clock_warehouse_counts_real_hours_across_a_dst_change(zone, released, hours, due_local):
    calendar = WorkingCalendar(zone, EVERY_DAY)
    tz = ZoneInfo(zone)
    released = datetime(released[0], released[1], released[2], released[3], tzinfo=tz)
    due_local = datetime(due_local[0], due_local[1], due_local[2], due_local[3], tzinfo=tz)

    clock = sla_clock(calendar, released_at=released, ship_within_hours=hours)

    assert clock.due == due_local
    real = clock.due.astimezone(UTC) - released.astimezone(UTC)
    assert real == timedelta(hours=24)  # real elapsed time, though the wall clock moved 25 or 23 hours
    assert clock.window == timedelta(hours=24)


@pytest.mark.parametrize(
    ("ship_by", "due", "basis"),
    [
        (None, berlin(2026, 3, 3, 17), SlaBasis.AGREEMENT),
        (
            datetime(2026, 3, 3, 10, tzinfo=UTC),
            berlin(2026, 3, 3, 11),
            SlaBasis.PLATFORM,
        ),  # earlier: it binds
        (
            datetime(2026, 3, 5, 23, 59, tzinfo=UTC),
            berlin(2026, 3, 3, 17),
            SlaBasis.AGREEMENT,
        ),  # later: SLA binds
    ],
)
def test_the_due_is_the_stricter_of_the_platform_ship_by_and_the_agreement(ship_by, due, basis):
    clock = sla_clock(CALENDAR, released_at=berlin(2026, 3, 2, 8), ship_within_hours=18, ship_by=ship_by)

    assert (clock.due, clock.basis) == (due, basis)
    assert clock.agreement_due == berlin(2026, 3, 3, 17)


@pytest.mark.parametrize(
    ("window_hours", "threshold"),
    [
        (24, timedelta(hours=4)),  # 20 % is 4.8 h: the 4 h cap is smaller
        (8, timedelta(hours=1, minutes=36)),  # 20 % of 8 h
        (20, timedelta(hours=4)),  # both 4 h
        (0, timedelta(0)),
    ],
)
def test_at_risk_is_the_smaller_of_20_percent_of_the_window_and_4_working_hours(window_hours, threshold):
    assert at_risk_threshold(timedelta(hours=window_hours)) == threshold


def test_at_risk_from_leaves_the_threshold_of_working_time_before_the_due():
    # given 18 working hours from Monday 08:00: due Tuesday 17:00, at risk 3.6 h of working time before
    clock = sla_clock(CALENDAR, released_at=berlin(2026, 3, 2, 8), ship_within_hours=18)

    assert clock.at_risk_from == berlin(2026, 3, 3, 13, 24)
    assert CALENDAR.working_time_between(clock.at_risk_from, clock.due) == timedelta(hours=3, minutes=36)


def test_at_risk_from_skips_the_night_backwards():
    # given 10 working hours from Monday 08:00: due Tuesday 09:00; the threshold is 2 h of working time,
    # i.e. 1 h on Tuesday morning and 1 h on Monday evening
    clock = sla_clock(CALENDAR, released_at=berlin(2026, 3, 2, 8), ship_within_hours=10)

    assert clock.due == berlin(2026, 3, 3, 9)
    assert clock.at_risk_from == berlin(2026, 3, 2, 16)


DUE, RISK = berlin(2026, 3, 3, 17), berlin(2026, 3, 3, 13)


@pytest.mark.parametrize(
    ("now", "shipped_at", "state"),
    [
        (berlin(2026, 3, 3, 12, 59), None, SlaState.ON_TIME),
        (berlin(2026, 3, 3, 13), None, SlaState.AT_RISK),
        (berlin(2026, 3, 3, 16, 59), None, SlaState.AT_RISK),
        (berlin(2026, 3, 3, 17), None, SlaState.LATE),
        (berlin(2026, 3, 9), berlin(2026, 3, 3, 17), SlaState.ON_TIME),  # shipped at the due: in time
        (berlin(2026, 3, 9), berlin(2026, 3, 3, 15), SlaState.ON_TIME),  # shipped while at risk: in time
        (berlin(2026, 3, 9), berlin(2026, 3, 3, 17, 1), SlaState.LATE),
    ],
)
def test_the_state_at_a_moment(now, shipped_at, state):
    assert sla_state(due=DUE, at_risk_from=RISK, now=now, shipped_at=shipped_at) == state


def test_a_naive_release_time_is_refused():
    with pytest.raises(ValueError, match="aware"):
        sla_clock(CALENDAR, released_at=datetime(2026, 3, 2, 9), ship_within_hours=8)  # noqa: DTZ001
