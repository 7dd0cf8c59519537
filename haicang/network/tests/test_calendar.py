"""The working-calendar maths: weekends, holidays, cut-offs and DST in Berlin and Los Angeles."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from haicang.network.calendar import WorkingCalendar, time_zone_check
from haicang.network.errors import CalendarInvalid, NoWorkingTime, TimeZoneUnknown

BERLIN = ZoneInfo("Europe/Berlin")
LA = ZoneInfo("America/Los_Angeles")
OFFICE = {day: (time(8), time(17)) for day in range(5)}  # Monday–Friday 08:00–17:00
ALWAYS = {day: (time(0), time(0)) for day in range(7)}  # every day, midnight to midnight


def berlin(year: int, month: int, day: int, hour: int = 0, minute: int = 0) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=BERLIN)


def la(year: int, month: int, day: int, hour: int = 0, minute: int = 0) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=LA)


def office(zone: str = "Europe/Berlin", **kwargs) -> WorkingCalendar:
    return WorkingCalendar(time_zone=zone, hours=OFFICE, cutoff=time(14), **kwargs)


# --- adding working hours -------------------------------------------------------------------------------------
def test_hours_left_on_friday_carry_over_the_weekend_to_monday():
    assert office().add_working_hours(berlin(2026, 3, 6, 16, 0), 3) == berlin(2026, 3, 9, 10, 0)


def test_work_that_fills_a_day_exactly_ends_at_closing_not_at_the_next_opening():
    assert office().add_working_hours(berlin(2026, 3, 9, 8, 0), 9) == berlin(2026, 3, 9, 17, 0)


def test_a_start_before_opening_or_on_a_weekend_counts_from_the_next_opening():
    cal = office()
    assert cal.add_working_hours(berlin(2026, 3, 9, 6, 30), 1) == berlin(2026, 3, 9, 9, 0)
    assert cal.add_working_hours(berlin(2026, 3, 7, 11, 0), 1) == berlin(2026, 3, 9, 9, 0)
    assert cal.add_working_hours(berlin(2026, 3, 9, 18, 0), 1) == berlin(2026, 3, 10, 9, 0)


def test_adding_nothing_returns_the_start_in_the_warehouse_zone():
    start = datetime(2026, 3, 7, 10, 0, tzinfo=UTC)
    result = office().add_working_hours(start, 0)
    assert result == start
    assert result.tzinfo == BERLIN


def test_hours_may_be_a_decimal_or_a_timedelta_but_not_a_float():
    cal = office()
    monday = berlin(2026, 3, 9, 8, 0)
    assert cal.add_working_hours(monday, Decimal("1.5")) == berlin(2026, 3, 9, 9, 30)
    assert cal.add_working_hours(monday, timedelta(minutes=45)) == berlin(2026, 3, 9, 8, 45)
    with pytest.raises(TypeError):
        cal.add_working_hours(monday, 1.5)  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="negative"):
        cal.add_working_hours(monday, -1)


def test_a_naive_start_is_refused():
    with pytest.raises(ValueError, match="aware"):
        office().add_working_hours(datetime(2026, 3, 9, 8, 0), 1)  # noqa: DTZ001


def test_holidays_are_skipped_like_weekends():
    cal = office(holidays=frozenset({date(2026, 12, 25)}))
    # Thursday 24 December 16:00 + 2 h: 1 h on Thursday, Friday is Christmas, the weekend, then Monday 09:00.
    assert cal.add_working_hours(berlin(2026, 12, 24, 16, 0), 2) == berlin(2026, 12, 28, 9, 0)
    assert not cal.works_on(date(2026, 12, 25))


def test_a_result_is_returned_in_the_warehouse_zone_with_the_offset_of_its_date():
    # Berlin springs forward on Sunday 29 March 2026: Friday is +01:00, Monday +02:00.
    result = office().add_working_hours(berlin(2026, 3, 27, 16, 0), 3)
    assert result == berlin(2026, 3, 30, 10, 0)
    assert result.utcoffset() == timedelta(hours=2)
    elapsed = result.astimezone(UTC) - berlin(2026, 3, 27, 16, 0).astimezone(UTC)
    assert elapsed == timedelta(hours=65)  # one real hour fewer than the wall clocks show


def test_local_opening_hours_keep_their_wall_clock_across_the_autumn_change_in_los_angeles():
    # LA falls back on Sunday 1 November 2026: Friday is -07:00, Monday -08:00.
    cal = office("America/Los_Angeles")
    assert cal.add_working_hours(la(2026, 10, 30, 16, 0), 2) == la(2026, 11, 2, 9, 0)
    assert la(2026, 11, 2, 9, 0).utcoffset() == timedelta(hours=-8)


@pytest.mark.parametrize(
    ("zone", "day", "hours"),
    [
        ("Europe/Berlin", date(2026, 3, 29), 23),
        ("Europe/Berlin", date(2026, 10, 25), 25),
        ("America/Los_Angeles", date(2026, 3, 8), 23),
        ("America/Los_Angeles", date(2026, 11, 1), 25),
        ("Europe/Berlin", date(2026, 6, 14), 24),
    ],
)
def test_a_round_the_clock_day_lasts_as_long_as_the_clocks_say(zone, day, hours):
    cal = WorkingCalendar(time_zone=zone, hours=ALWAYS)
    midnight = datetime.combine(day, time(0), tzinfo=ZoneInfo(zone))
    next_midnight = datetime.combine(day + timedelta(days=1), time(0), tzinfo=ZoneInfo(zone))
    assert cal.working_time_between(midnight, next_midnight) == timedelta(hours=hours)
    assert cal.add_working_hours(midnight, hours) == next_midnight


def test_twenty_four_working_hours_over_the_spring_change_end_an_hour_later_on_the_clock():
    cal = WorkingCalendar(time_zone="Europe/Berlin", hours=ALWAYS)
    assert cal.add_working_hours(berlin(2026, 3, 28, 12, 0), 24) == berlin(2026, 3, 29, 13, 0)


def test_an_opening_inside_the_spring_gap_moves_forward_by_the_gap():
    # LA has no 02:00–03:00 on 8 March 2026; a Sunday opening at 02:30 opens at 03:30 PDT.
    cal = WorkingCalendar(time_zone="America/Los_Angeles", hours={6: (time(2, 30), time(10))})
    sunday = la(2026, 3, 8, 0, 0)
    assert cal.next_working_time(sunday) == la(2026, 3, 8, 3, 30)
    assert cal.next_working_time(sunday).utcoffset() == timedelta(hours=-7)
    assert cal.working_time_between(sunday, la(2026, 3, 9, 0, 0)) == timedelta(hours=6, minutes=30)


def test_an_opening_in_the_repeated_autumn_hour_takes_its_first_occurrence():
    # On 1 November 2026 LA lives 01:00–02:00 twice; 01:30–05:00 then lasts 4½ real hours.
    cal = WorkingCalendar(time_zone="America/Los_Angeles", hours={6: (time(1, 30), time(5))})
    start = cal.next_working_time(la(2026, 11, 1, 0, 0))
    assert start.astimezone(UTC) == datetime(2026, 11, 1, 8, 30, tzinfo=UTC)
    assert cal.working_time_between(la(2026, 11, 1, 0, 0), la(2026, 11, 2, 0, 0)) == timedelta(hours=4.5)


# --- is it working time? --------------------------------------------------------------------------------------
def test_working_time_includes_the_opening_and_excludes_the_closing():
    cal = office(holidays=frozenset({date(2026, 3, 10)}))
    assert cal.is_working_time(berlin(2026, 3, 9, 8, 0))
    assert cal.is_working_time(berlin(2026, 3, 9, 16, 59))
    assert not cal.is_working_time(berlin(2026, 3, 9, 17, 0))
    assert not cal.is_working_time(berlin(2026, 3, 9, 7, 59))
    assert not cal.is_working_time(berlin(2026, 3, 7, 12, 0))  # Saturday
    assert not cal.is_working_time(berlin(2026, 3, 10, 12, 0))  # holiday


def test_working_time_is_judged_in_the_warehouse_zone_whatever_the_zone_of_the_instant():
    cal = office("America/Los_Angeles")
    # 16:30 UTC on a Monday in March (after the change) is 09:30 in LA.
    assert cal.is_working_time(datetime(2026, 3, 9, 16, 30, tzinfo=UTC))
    assert not cal.is_working_time(datetime(2026, 3, 9, 14, 30, tzinfo=UTC))


# --- cut-offs ------------------------------------------------------------------------------------------------
def test_the_next_cutoff_is_today_before_it_and_the_next_working_day_from_it_on():
    cal = office()
    assert cal.next_cutoff(berlin(2026, 3, 9, 13, 59)) == berlin(2026, 3, 9, 14, 0)
    assert cal.next_cutoff(berlin(2026, 3, 9, 14, 0)) == berlin(2026, 3, 10, 14, 0)
    assert cal.next_cutoff(berlin(2026, 3, 6, 15, 0)) == berlin(2026, 3, 9, 14, 0)


def test_the_next_cutoff_skips_holidays_and_follows_the_clock_change():
    cal = office(holidays=frozenset({date(2026, 3, 30)}))
    result = cal.next_cutoff(berlin(2026, 3, 27, 15, 0))
    assert result == berlin(2026, 3, 31, 14, 0)
    assert result.utcoffset() == timedelta(hours=2)


def test_a_calendar_without_a_cutoff_cannot_answer_the_next_cutoff():
    cal = WorkingCalendar(time_zone="Europe/Berlin", hours=OFFICE)
    with pytest.raises(CalendarInvalid):
        cal.next_cutoff(berlin(2026, 3, 9, 12, 0))


# --- what a calendar refuses ----------------------------------------------------------------------------------
def test_unknown_time_zones_are_refused():
    for name in ("Europe/Frankfurt", "CET+1", "", "localtime", "../etc/passwd"):
        with pytest.raises(TimeZoneUnknown):
            time_zone_check(name)
    assert time_zone_check("Asia/Shanghai") == "Asia/Shanghai"


def test_hours_that_close_before_they_open_or_name_no_weekday_are_refused():
    with pytest.raises(CalendarInvalid, match="closes"):
        WorkingCalendar(time_zone="Europe/Berlin", hours={0: (time(17), time(8))})
    with pytest.raises(CalendarInvalid, match="weekday"):
        WorkingCalendar(time_zone="Europe/Berlin", hours={7: (time(8), time(17))})
    with pytest.raises(CalendarInvalid, match="local time"):
        WorkingCalendar(time_zone="Europe/Berlin", hours={0: (time(8, tzinfo=UTC), time(17))})


def test_a_calendar_that_never_works_says_so_instead_of_looping():
    never = WorkingCalendar(time_zone="Europe/Berlin", hours={}, cutoff=time(14))
    with pytest.raises(NoWorkingTime):
        never.add_working_hours(berlin(2026, 3, 9, 8, 0), 1)
    with pytest.raises(NoWorkingTime):
        never.next_cutoff(berlin(2026, 3, 9, 8, 0))


# --- properties ---------------------------------------------------------------------------------------------
CALENDARS = [
    office(holidays=frozenset({date(2026, 3, 30), date(2026, 10, 26), date(2026, 12, 25)})),
    office("America/Los_Angeles", holidays=frozenset({date(2026, 3, 9), date(2026, 11, 2)})),
    WorkingCalendar(
        time_zone="Europe/Berlin", hours={**OFFICE, 5: (time(0), time(0)), 6: (time(1, 30), time(3))}
    ),
    WorkingCalendar(time_zone="America/Los_Angeles", hours=ALWAYS),
]
# Hypothesis takes naive bounds and attaches the zone itself.
FIRST, LAST = datetime(2026, 2, 20), datetime(2026, 11, 20)  # noqa: DTZ001
starts = st.datetimes(min_value=FIRST, max_value=LAST, timezones=st.just(UTC))
durations = st.integers(min_value=0, max_value=120 * 60).map(lambda minutes: timedelta(minutes=minutes))


@given(cal=st.sampled_from(CALENDARS), start=starts, duration=durations)
def test_the_working_time_from_the_start_to_the_result_is_the_time_added(cal, start, duration):
    end = cal.add_working_hours(start, duration)
    assert end >= start
    assert cal.working_time_between(start, end) == duration
    if duration:  # and it is the earliest such instant: it ends inside a working period
        assert cal.is_working_time(end - timedelta(microseconds=1))


@given(cal=st.sampled_from(CALENDARS), start=starts, first=durations, second=durations)
def test_adding_in_two_steps_lands_where_adding_at_once_does(cal, start, first, second):
    in_two = cal.add_working_hours(cal.add_working_hours(start, first), second)
    assert in_two == cal.add_working_hours(start, first + second)


@given(cal=st.sampled_from(CALENDARS), at=starts)
def test_the_next_cutoff_is_after_the_instant_on_a_working_day_at_the_cutoff_time(cal, at):
    if cal.cutoff is None:
        return
    cutoff = cal.next_cutoff(at)
    assert cutoff > at
    assert cal.works_on(cutoff.date())
    assert cutoff.timetz().replace(tzinfo=None) == cal.cutoff
