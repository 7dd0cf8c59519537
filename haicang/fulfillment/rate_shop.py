"""Rate shopping at packing: the cheapest carrier service that meets the order's service level and deadline,
with the reason in words. Pure: no Django (``haicang.fulfillment.packing`` gathers the quotes).

The rules (docs/fulfillment.md, "Packing and rate shopping"):

1. **What the order asks for.** The request's service level (free text from the channel: "Standard",
   "Expedited", "Next Day Air"…) is read as everywhere else: its *lowest service class* (economy < ground <
   expedited < express) by ``outbound_rules.service_class`` (the class waves group by; default ground), its
   *promise* in working days by ``orders.routing_rules.promise_days`` (next day 1, two day 2, express 2,
   priority and expedited 3), else by its class (:data:`CLASS_DAYS`: ground 5, economy 8).
2. **The deadline.** *Deliver by* = the request's ship-by date (its SLA due date in the warehouse's time zone)
   plus the promise in working days. Shipping early never moves it.
3. **Arrival.** A service's arrival = the ship date plus its transit days (from the rate card's zone, else the
   service's default) in working days: Saturdays, Sundays and the given holidays do not count. A service
   without transit days cannot be shown to arrive in time.
4. **Choice.** Among the services that can carry the parcel (their quote has a price), of a high enough class
   and arriving by the deadline: the cheapest (prices compared in the warehouse's currency), then the fastest,
   then by code. When none arrives in time the earliest arrival of a high enough class is taken (then any
   class), cheapest first, and the reason says it is **late**. When no service can carry the parcel at all,
   there is no choice (:class:`NoChoice`, with every service's reason).
5. **The reason** names the chosen service, its price, transit and why, then each alternative with its price
   and a note: ``(faster than needed)`` for a dearer service that would arrive sooner, ``(arrives 2 Dec, too
   late)``, ``(below Express)``, ``(transit unknown)``, ``(cannot: too_heavy)``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection, Sequence
from dataclasses import dataclass
from decimal import Decimal

from haicang.core.money import Money, minor_units
from haicang.fulfillment.outbound_rules import service_class
from haicang.orders.routing_rules import promise_days

CLASSES: tuple[str, ...] = ("economy", "ground", "expedited", "express")  # slowest first
DEFAULT_LEVEL = "Standard"
REASON_LIMIT = 500  # Parcel.rate_reason


# The promise of a service level no fast-level word names, by its class (working days).
CLASS_DAYS: dict[str, int] = {"economy": 8, "ground": 5, "expedited": 3, "express": 2}


def _rank(service_class: str) -> int:
    return CLASSES.index(service_class) if service_class in CLASSES else 0


def working_days_after(start: dt.date, days: int, holidays: Collection[dt.date] = ()) -> dt.date:
    """The date ``days`` working days after ``start`` (Saturdays, Sundays and ``holidays`` skipped); 0 days is
    ``start`` itself, moved to the next working day when it is not one."""
    if days < 0:
        raise ValueError(f"days is a whole number ≥ 0, not {days}")
    day = start
    while day.weekday() >= 5 or day in holidays:
        day += dt.timedelta(days=1)
    left = days
    while left:
        day += dt.timedelta(days=1)
        if day.weekday() < 5 and day not in holidays:
            left -= 1
    return day


@dataclass(frozen=True, slots=True)
class Requirement:
    """What the parcel must meet: the level's label and lowest class, and the date it must arrive by."""

    label: str
    lowest_class: str
    deliver_by: dt.date


def requirement_for(
    service_level: str, *, ship_by: dt.date, holidays: Collection[dt.date] = ()
) -> Requirement:
    """Rule 1 and 2: the requirement of an order with ``service_level`` to ship by ``ship_by``."""
    lowest = service_class(service_level)
    days = promise_days(days_until_deliver_by=None, service_level=service_level)
    if days is None:
        days = CLASS_DAYS.get(lowest, CLASS_DAYS["ground"])
    label = " ".join(service_level.split())[:40] or DEFAULT_LEVEL
    return Requirement(label, lowest, working_days_after(ship_by, days, holidays))


@dataclass(frozen=True, slots=True)
class Option:
    """One service's answer for the parcel: its price (``None`` with ``refusal`` when it cannot carry it),
    the price in the warehouse's currency to compare by (``None``: no FX rate), and its transit days."""

    code: str
    label: str  # for people, e.g. "UPS Ground"
    service_class: str
    total: Money | None
    comparable: Money | None = None
    transit_days: int | None = None
    refusal: str = ""

    @property
    def serviceable(self) -> bool:
        return self.total is not None and not self.refusal


@dataclass(frozen=True, slots=True)
class Choice:
    option: Option
    arrives_on: dt.date | None
    late: bool  # no service of the class arrives in time: the earliest was taken
    reason: str


@dataclass(frozen=True, slots=True)
class NoChoice:
    reason: str


_FAR = Decimal("1e18")
_NEVER = dt.date.max


def _price_key(option: Option) -> tuple[int, Decimal]:
    if option.comparable is not None:
        return 0, option.comparable.amount
    return 1, option.total.amount if option.total is not None else _FAR


def _arrival(option: Option, ship_on: dt.date, holidays: Collection[dt.date]) -> dt.date | None:
    if option.transit_days is None:
        return None
    return working_days_after(ship_on, option.transit_days, holidays)


def rate_shop(
    options: Sequence[Option],
    requirement: Requirement,
    *,
    ship_on: dt.date,
    holidays: Collection[dt.date] = (),
) -> Choice | NoChoice:
    """Rule 4 and 5: the service to ship with and why (see the module's docstring)."""
    arrivals = {o.code: _arrival(o, ship_on, holidays) for o in options}
    carriers = [o for o in options if o.serviceable]
    if not carriers:
        detail = "; ".join(f"{o.label}: {o.refusal or 'no price'}" for o in options)
        return NoChoice(f"no service can carry this parcel — {detail}" if detail else "no carrier service")
    high_enough = [o for o in carriers if _rank(o.service_class) >= _rank(requirement.lowest_class)]

    def in_time(option: Option) -> bool:
        arrival = arrivals[option.code]
        return arrival is not None and arrival <= requirement.deliver_by

    def by_price(option: Option) -> tuple[tuple[int, Decimal], int, str]:
        return (
            _price_key(option),
            option.transit_days if option.transit_days is not None else 999,
            option.code,
        )

    def by_arrival(option: Option) -> tuple[dt.date, tuple[int, Decimal], str]:
        return arrivals[option.code] or _NEVER, _price_key(option), option.code

    meeting = sorted((o for o in high_enough if in_time(o)), key=by_price)
    if meeting:
        chosen, late = meeting[0], False
    else:
        chosen, late = min(high_enough or carriers, key=by_arrival), True
    reason = _reason(chosen, late, options, requirement, arrivals)
    return Choice(chosen, arrivals[chosen.code], late, reason)


def money_label(money: Money) -> str:
    """``$7.10``, ``£3.20``, ``€4.95``; other currencies as ``CHF 7.10``."""
    symbol = {"USD": "$", "GBP": "£", "EUR": "€"}.get(money.currency)
    exponent = money.amount.as_tuple().exponent
    places = max(minor_units(money.currency), -exponent if isinstance(exponent, int) else 0)
    amount = f"{money.amount:,.{places}f}"
    return f"{symbol}{amount}" if symbol else f"{money.currency} {amount}"


def _day(date: dt.date) -> str:
    return f"{date.day} {date:%b}"


def _days(option: Option) -> str:
    return f"{option.transit_days} d" if option.transit_days is not None else "transit unknown"


def _reason(
    chosen: Option,
    late: bool,
    options: Sequence[Option],
    requirement: Requirement,
    arrivals: dict[str, dt.date | None],
) -> str:
    assert chosen.total is not None  # noqa: S101 - only a serviceable option is chosen
    by = f"{requirement.label} by {_day(requirement.deliver_by)}"
    if not late:
        why = f"cheapest meeting {by}"
    else:
        arrival = arrivals[chosen.code]
        when = f"arrives {_day(arrival)}" if arrival is not None else "transit unknown"
        why = f"LATE: none meets {by}; earliest arrival ({when})"
    head = f"{chosen.label} {money_label(chosen.total)}, {_days(chosen)} — {why}"
    chosen_arrival = arrivals[chosen.code] or _NEVER
    notes: list[str] = []
    others = sorted(
        (o for o in options if o.code != chosen.code), key=lambda o: (not o.serviceable, _price_key(o))
    )
    for option in others:
        if not option.serviceable or option.total is None:
            notes.append(f"{option.label} (cannot: {option.refusal or 'no price'})")
            continue
        text = f"{option.label} {money_label(option.total)}"
        arrival = arrivals[option.code]
        if _rank(option.service_class) < _rank(requirement.lowest_class):
            text += f" (below {requirement.label})"
        elif arrival is None:
            text += " (transit unknown)"
        elif arrival > requirement.deliver_by:
            text += f" (arrives {_day(arrival)}, too late)"
        elif arrival < chosen_arrival and _price_key(option) > _price_key(chosen):
            text += " (faster than needed)"
        notes.append(text)
    return _fit("; ".join([head, *notes]))


def _fit(text: str) -> str:
    """The reason cut to :data:`REASON_LIMIT` characters at an alternative's boundary."""
    if len(text) <= REASON_LIMIT:
        return text
    parts = text.split("; ")
    kept = parts[:1]
    for part in parts[1:]:
        more = f"; … {len(parts) - len(kept)} more"
        if len("; ".join([*kept, part])) + len(more) > REASON_LIMIT:
            break
        kept.append(part)
    left = len(parts) - len(kept)
    text = "; ".join(kept) + (f"; … {left} more" if left else "")
    return text[:REASON_LIMIT]
