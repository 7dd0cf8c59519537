"""Schedule maths: the first run of a rule strictly after a given instant (pure, no database)."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta, timezone

import pytest
from hypothesis import given
from hypothesis import strategies as st

from haicang.core.jobs.errors import JobsErrorCode, ScheduleInvalid
from haicang.core.jobs.schedule import DailyAt, Every, next_run_after, rule_from_fields

T0 = datetime(2026, 3, 1, 12, 0, 0, tzinfo=UTC)


def test_an_interval_without_anchor_runs_one_interval_after_the_given_instant():
    assert next_run_after(Every(600), T0) == T0 + timedelta(minutes=10)


def test_an_interval_keeps_the_phase_of_its_anchor_and_skips_missed_runs():
    anchor = T0 - timedelta(minutes=35)  # planned runs at -35, -25, -15, -5, +5 … minutes
    assert next_run_after(Every(600), T0, anchor=anchor) == T0 + timedelta(minutes=5)


def test_an_interval_run_that_falls_exactly_on_the_instant_is_not_after_it():
    assert next_run_after(Every(600), T0, anchor=T0) == T0 + timedelta(minutes=10)


def test_an_anchor_in_the_future_gives_the_first_run_on_its_phase_after_the_instant():
    anchor = T0 + timedelta(minutes=25)
    assert next_run_after(Every(600), T0, anchor=anchor) == T0 + timedelta(minutes=5)


def test_a_daily_time_later_today_runs_today():
    assert next_run_after(DailyAt(time(13, 30)), T0) == datetime(2026, 3, 1, 13, 30, tzinfo=UTC)


def test_a_daily_time_already_passed_or_now_runs_tomorrow():
    assert next_run_after(DailyAt(time(9, 0)), T0) == datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
    assert next_run_after(DailyAt(time(12, 0)), T0) == datetime(2026, 3, 2, 12, 0, tzinfo=UTC)


def test_a_daily_time_is_read_in_utc_whatever_the_zone_of_the_instant():
    shanghai = timezone(timedelta(hours=8))
    after = datetime(2026, 3, 2, 1, 0, tzinfo=shanghai)  # 2026-03-01 17:00 UTC
    assert next_run_after(DailyAt(time(18, 0)), after) == datetime(2026, 3, 1, 18, 0, tzinfo=UTC)


def test_a_daily_time_crosses_month_and_year_ends():
    after = datetime(2026, 12, 31, 23, 0, tzinfo=UTC)
    assert next_run_after(DailyAt(time(3, 30)), after) == datetime(2027, 1, 1, 3, 30, tzinfo=UTC)


def test_a_naive_instant_is_refused():
    with pytest.raises(ValueError, match="aware"):
        next_run_after(Every(60), datetime(2026, 3, 1, 12, 0))  # noqa: DTZ001


@pytest.mark.parametrize("seconds", [0, -5, 366 * 24 * 3600 + 1])
def test_an_interval_out_of_range_is_a_schedule_error(seconds):
    with pytest.raises(ScheduleInvalid) as caught:
        Every(seconds)
    assert caught.value.code == JobsErrorCode.SCHEDULE_INVALID


def test_a_daily_time_with_a_foreign_offset_is_a_schedule_error():
    with pytest.raises(ScheduleInvalid):
        DailyAt(time(3, 0, tzinfo=timezone(timedelta(hours=8))))


@pytest.mark.parametrize(("interval", "daily"), [(None, None), (60, time(3, 0))])
def test_a_rule_needs_exactly_one_of_interval_and_daily_time(interval, daily):
    with pytest.raises(ScheduleInvalid) as caught:
        rule_from_fields(interval_seconds=interval, daily_at=daily)
    assert caught.value.code == "jobs.schedule_invalid"


def test_rule_from_fields_builds_the_rule_given():
    assert rule_from_fields(interval_seconds=60, daily_at=None) == Every(60)
    assert rule_from_fields(interval_seconds=None, daily_at=time(4, 5)) == DailyAt(time(4, 5))


NAIVE_MIN = datetime(2000, 1, 1)  # noqa: DTZ001 - hypothesis bounds are naive; it adds the zone
NAIVE_MAX = datetime(2100, 1, 1)  # noqa: DTZ001
instants = st.datetimes(min_value=NAIVE_MIN, max_value=NAIVE_MAX, timezones=st.just(UTC))


@given(seconds=st.integers(1, 7 * 24 * 3600), after=instants, anchor=instants)
def test_the_next_interval_run_is_the_first_on_the_anchor_phase_after_the_instant(seconds, after, anchor):
    step = timedelta(seconds=seconds)
    result = next_run_after(Every(seconds), after, anchor=anchor)
    assert after < result <= after + step
    assert (result - anchor) % step == timedelta(0)


@given(at=st.times(), after=instants)
def test_the_next_daily_run_is_within_a_day_at_the_time_of_day(at, after):
    at = at.replace(microsecond=0)
    result = next_run_after(DailyAt(at), after)
    assert after < result <= after + timedelta(days=1)
    assert result.timetz().replace(tzinfo=None) == at
