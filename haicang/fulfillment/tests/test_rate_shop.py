"""Rate shopping, pure: service levels, working days, the choice and the reason, as tables."""

from __future__ import annotations

import datetime as dt

import pytest

from haicang.core.money import Money
from haicang.fulfillment.rate_shop import (
    REASON_LIMIT,
    Choice,
    NoChoice,
    Option,
    Requirement,
    money_label,
    rate_shop,
    requirement_for,
    working_days_after,
)

MON = dt.date(2025, 11, 24)  # a Monday
FRI_BEFORE = dt.date(2025, 11, 21)


def usd(amount: str) -> Money:
    return Money.of(amount, "USD")


def option(code: str, label: str, price: str | None, days: int | None, service_class: str = "ground", **kw):
    total = usd(price) if price is not None else None
    return Option(
        code, label, service_class, total, comparable=kw.pop("comparable", total), transit_days=days, **kw
    )


UPS_GROUND = option("UPS-GND", "UPS Ground", "7.10", 3)
USPS_PRIORITY = option("USPS-PRI", "USPS Priority", "8.40", 3, "expedited")
FEDEX_2DAY = option("FDX-2D", "FedEx 2Day", "15.20", 2, "expedited")
STANDARD_BY_28_NOV = Requirement("Standard", "economy", dt.date(2025, 11, 28))


def shop(options, requirement=STANDARD_BY_28_NOV, ship_on=MON, **kw):
    return rate_shop(options, requirement, ship_on=ship_on, **kw)


def test_the_cheapest_service_meeting_the_deadline_is_chosen_with_the_alternatives_in_the_reason():
    result = shop([FEDEX_2DAY, USPS_PRIORITY, UPS_GROUND])

    assert isinstance(result, Choice)
    assert result.option is UPS_GROUND
    assert (result.arrives_on, result.late) == (dt.date(2025, 11, 27), False)
    assert result.reason == (
        "UPS Ground $7.10, 3 d — cheapest meeting Standard by 28 Nov; USPS Priority $8.40; "
        "FedEx 2Day $15.20 (faster than needed)"
    )


@pytest.mark.parametrize(
    ("name", "options", "requirement", "chosen", "late", "in_reason"),
    [
        (
            "a cheaper service that arrives too late is passed over",
            [option("SLOW", "Post Economy", "4.00", 6, "economy"), UPS_GROUND],
            STANDARD_BY_28_NOV,
            "UPS-GND",
            False,
            "Post Economy $4.00 (arrives 2 Dec, too late)",
        ),
        (
            "a service below the order's class is passed over even when in time",
            [UPS_GROUND, FEDEX_2DAY, option("FDX-ON", "FedEx Overnight", "31.00", 1, "express")],
            Requirement("Express", "express", dt.date(2025, 11, 26)),
            "FDX-ON",
            False,
            "UPS Ground $7.10 (below Express)",
        ),
        (
            "when none is in time the earliest arrival is taken and the reason says late",
            [UPS_GROUND, USPS_PRIORITY, FEDEX_2DAY],
            Requirement("Next Day", "ground", dt.date(2025, 11, 25)),
            "FDX-2D",
            True,
            "FedEx 2Day $15.20, 2 d — LATE: none meets Next Day by 25 Nov; earliest arrival (arrives 26 Nov)",
        ),
        (
            "late and no service of the class: the earliest of any class",
            [UPS_GROUND, USPS_PRIORITY],
            Requirement("Same Day", "express", dt.date(2025, 11, 24)),
            "UPS-GND",
            True,
            "LATE",
        ),
        (
            "a service whose transit is unknown cannot be shown to arrive in time",
            [option("NODAYS", "Mystery Post", "3.00", None), UPS_GROUND],
            STANDARD_BY_28_NOV,
            "UPS-GND",
            False,
            "Mystery Post $3.00 (transit unknown)",
        ),
        (
            "a service that cannot carry the parcel is listed with why",
            [option("HEAVY", "Letter Post", None, 2, refusal="too_heavy"), UPS_GROUND],
            STANDARD_BY_28_NOV,
            "UPS-GND",
            False,
            "Letter Post (cannot: too_heavy)",
        ),
        (
            "at one price the faster wins",
            [option("B", "Carrier B", "7.10", 3), option("A", "Carrier A", "7.10", 2)],
            STANDARD_BY_28_NOV,
            "A",
            False,
            "Carrier A $7.10, 2 d",
        ),
        (
            "at one price and speed the code decides",
            [option("B", "Carrier B", "7.10", 3), option("A", "Carrier A", "7.10", 3)],
            STANDARD_BY_28_NOV,
            "A",
            False,
            "Carrier B $7.10",
        ),
        (
            "prices are compared in the warehouse's currency",
            [
                Option("DHL", "DHL Paket", "ground", Money.of("6.00", "EUR"), usd("6.90"), 3),
                option("UPS", "UPS Ground", "6.50", 3),
            ],
            STANDARD_BY_28_NOV,
            "UPS",
            False,
            "DHL Paket €6.00",
        ),
        (
            "a price with no FX rate ranks after the comparable ones",
            [
                Option("DHL", "DHL Paket", "ground", Money.of("1.00", "EUR"), None, 3),
                option("UPS", "UPS", "6.50", 3),
            ],
            STANDARD_BY_28_NOV,
            "UPS",
            False,
            "DHL Paket €1.00",
        ),
    ],
)
def test_rate_shopping_table(name, options, requirement, chosen, late, in_reason):
    result = shop(options, requirement)

    assert isinstance(result, Choice), name
    assert (result.option.code, result.late) == (chosen, late), name
    assert in_reason in result.reason, name


def test_no_service_that_can_carry_the_parcel_is_no_choice_with_every_reason():
    result = shop(
        [
            option("A", "Letter Post", None, 2, refusal="too_heavy"),
            option("B", "Ground", None, 3, refusal="no_zone"),
        ]
    )

    assert isinstance(result, NoChoice)
    assert result.reason == "no service can carry this parcel — Letter Post: too_heavy; Ground: no_zone"
    assert isinstance(shop([]), NoChoice)


def test_a_long_reason_is_cut_at_an_alternative_and_says_how_many_more():
    options = [option(f"S{n:02d}", f"Carrier number {n:02d} Ground", f"{10 + n}.00", 3) for n in range(40)]

    result = shop(options)

    assert isinstance(result, Choice)
    assert len(result.reason) <= REASON_LIMIT
    assert result.reason.startswith("Carrier number 00 Ground $10.00, 3 d")
    assert result.reason.endswith(" more")


@pytest.mark.parametrize(
    ("text", "label", "deliver_by", "lowest"),
    [
        ("Standard", "Standard", dt.date(2025, 11, 28), "ground"),  # ground: 5 working days
        ("", "Standard", dt.date(2025, 11, 28), "ground"),
        ("Free  shipping", "Free shipping", dt.date(2025, 11, 28), "ground"),
        ("Economy International", "Economy International", dt.date(2025, 12, 3), "economy"),  # 8 days
        ("Expedited", "Expedited", dt.date(2025, 11, 26), "expedited"),  # 3 days
        ("USPS Priority Mail", "USPS Priority Mail", dt.date(2025, 11, 26), "expedited"),
        ("FedEx 2Day", "FedEx 2Day", dt.date(2025, 11, 25), "expedited"),  # 2 days
        ("Express", "Express", dt.date(2025, 11, 25), "express"),
        ("Next Day Air", "Next Day Air", MON, "express"),  # 1 day
        ("Same day", "Same day", FRI_BEFORE, "express"),  # 0 days
    ],
)
def test_service_levels_are_read_from_the_channel_text(text, label, deliver_by, lowest):
    requirement = requirement_for(text, ship_by=FRI_BEFORE)

    assert requirement == Requirement(label, lowest, deliver_by)


@pytest.mark.parametrize(
    ("start", "days", "holidays", "expected"),
    [
        (MON, 0, (), MON),
        (MON, 3, (), dt.date(2025, 11, 27)),
        (dt.date(2025, 11, 27), 2, (), dt.date(2025, 12, 1)),  # Thursday + 2: over the weekend
        (dt.date(2025, 11, 22), 0, (), MON),  # a Saturday moves to Monday
        (dt.date(2025, 11, 22), 1, (), dt.date(2025, 11, 25)),
        (MON, 3, (dt.date(2025, 11, 27),), dt.date(2025, 11, 28)),  # a holiday does not count
    ],
)
def test_working_days_skip_weekends_and_holidays(start, days, holidays, expected):
    assert working_days_after(start, days, holidays) == expected


def test_negative_days_are_refused():
    with pytest.raises(ValueError, match="days"):
        working_days_after(MON, -1)


def test_the_deadline_is_the_ship_by_date_plus_the_promise_in_working_days():
    requirement = requirement_for("Standard", ship_by=FRI_BEFORE)

    assert requirement == Requirement("Standard", "ground", dt.date(2025, 11, 28))
    assert requirement_for("Expedited", ship_by=FRI_BEFORE, holidays={MON}).deliver_by == dt.date(
        2025, 11, 27
    )


@pytest.mark.parametrize(
    ("money", "label"),
    [
        (Money.of("7.1", "USD"), "$7.10"),
        (Money.of("3.2", "GBP"), "£3.20"),
        (Money.of("1234.5", "EUR"), "€1,234.50"),
        (Money.of("700", "JPY"), "JPY 700"),
    ],
)
def test_money_is_shown_with_its_symbol(money, label):
    assert money_label(money) == label
