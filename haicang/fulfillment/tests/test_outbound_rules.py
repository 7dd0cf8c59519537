"""The pure estimates behind wave planning: service classes, the parcel estimate, the next pick-up, the zone."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from haicang.fulfillment.outbound_rules import (
    DEFAULT_SIDE_MM,
    DEFAULT_UNIT_WEIGHT_G,
    ItemSize,
    PickupTime,
    majority_zone,
    next_pickup,
    parcel_estimate,
    service_class,
)

LA = ZoneInfo("America/Los_Angeles")
WEEKDAYS = frozenset({1, 2, 3, 4, 5})


@pytest.mark.parametrize(
    ("level", "expected"),
    [
        ("Standard", "ground"),
        ("", "ground"),
        ("Next Day Air", "express"),
        ("SameDay", "express"),
        ("Express", "express"),
        ("Two Day", "expedited"),
        ("Expedited", "expedited"),
        ("Priority Mail", "expedited"),
        ("Economy", "economy"),
        ("SurePost Saver", "economy"),
    ],
)
def test_a_service_level_text_reads_as_its_class(level, expected):
    assert service_class(level) == expected


def test_the_estimate_adds_weights_stacks_heights_and_keeps_the_units_volume():
    estimate = parcel_estimate([ItemSize(2, 400, 300, 200, 50), ItemSize(1, 1000, 350, 100, 100)])

    assert estimate.weight_g == 1800
    assert (estimate.length_mm, estimate.width_mm, estimate.height_mm) == (350, 200, 200)
    assert estimate.volume_mm3 == 2 * 300 * 200 * 50 + 350 * 100 * 100


def test_missing_master_data_counts_the_defaults():
    estimate = parcel_estimate([ItemSize(3, None, None, None, None), ItemSize(0, 9999, 1, 1, 1)])

    assert estimate.weight_g == 3 * DEFAULT_UNIT_WEIGHT_G
    assert estimate.height_mm == 3 * DEFAULT_SIDE_MM
    assert estimate.volume_mm3 == 3 * DEFAULT_SIDE_MM**3


def test_nothing_at_all_is_still_a_one_gram_parcel():
    estimate = parcel_estimate([])

    assert estimate.weight_g == 1 and estimate.length_mm == DEFAULT_SIDE_MM and estimate.volume_mm3 == 0


@pytest.mark.parametrize(
    ("after", "expected"),
    [
        (
            dt.datetime(2026, 3, 2, 9, 0, tzinfo=LA),
            dt.datetime(2026, 3, 2, 16, 0, tzinfo=LA),
        ),  # Monday morning
        (dt.datetime(2026, 3, 2, 16, 0, tzinfo=LA), dt.datetime(2026, 3, 2, 16, 0, tzinfo=LA)),  # at the time
        (dt.datetime(2026, 3, 2, 16, 1, tzinfo=LA), dt.datetime(2026, 3, 3, 16, 0, tzinfo=LA)),  # just missed
        (
            dt.datetime(2026, 3, 6, 17, 0, tzinfo=LA),
            dt.datetime(2026, 3, 9, 16, 0, tzinfo=LA),
        ),  # Friday → Monday
        (dt.datetime(2026, 3, 7, 8, 0, tzinfo=LA), dt.datetime(2026, 3, 9, 16, 0, tzinfo=LA)),  # Saturday
    ],
)
def test_the_next_pickup_is_the_first_scheduled_time_at_or_after(after, expected):
    assert next_pickup([PickupTime(dt.time(16, 0), WEEKDAYS)], after) == expected


def test_the_earliest_of_several_pickups_wins_and_local_time_holds_across_the_spring_change():
    schedule = [PickupTime(dt.time(17, 30), WEEKDAYS), PickupTime(dt.time(11, 0), frozenset({1}))]
    # Sunday 8 March 2026 is the US spring change: Monday's 11:00 is PDT (UTC-7)
    found = next_pickup(schedule, dt.datetime(2026, 3, 7, 12, 0, tzinfo=LA))

    assert found == dt.datetime(2026, 3, 9, 11, 0, tzinfo=LA)
    assert found.utcoffset() == dt.timedelta(hours=-7)


def test_no_schedule_means_no_pickup_and_a_naive_instant_is_refused():
    assert next_pickup([], dt.datetime(2026, 3, 2, 9, tzinfo=LA)) is None
    assert next_pickup([PickupTime(dt.time(16), frozenset())], dt.datetime(2026, 3, 2, 9, tzinfo=LA)) is None
    with pytest.raises(ValueError, match="aware"):
        next_pickup([PickupTime(dt.time(16), WEEKDAYS)], dt.datetime(2026, 3, 2, 9))  # noqa: DTZ001


def test_the_majority_zone_takes_most_units_and_the_first_name_on_a_tie():
    assert majority_zone({"B": 3, "A": 2}) == "B"
    assert majority_zone({"B": 2, "A": 2}) == "A"
    assert majority_zone({}) == ""
    assert majority_zone({"A": 0}) == ""
