"""The rate calculator: what one carrier service charges for one parcel to one destination. Pure: no Django.

Used by routing now (estimated last-mile cost per warehouse) and by rate shopping at packing later. The
inputs are plain dataclasses — :class:`RateCardRules` (a rate card with its zones, weight breaks and
surcharges, plus the service's own limits), :class:`Parcel` and :class:`Destination` — and the answer is a
:class:`Quote` or a :class:`NotServiceable` with its reason. ``haicang.network.carrier_selectors`` builds the
rules from the database.

The rules (see docs/network.md, "Carriers and rate cards"):

1. **Service limits.** The destination country must be one the service serves (else ``country_not_served``);
   a residential address needs a service that delivers to homes (else ``residential_not_allowed``).
2. **Zone.** Postcodes are compared as keys: upper case, letters and digits only (``cv6 4qj`` → ``CV64QJ``,
   ``90001-1234`` → ``900011234``). Among the card's zone areas for the country, the one with the **longest
   prefix** the postcode starts with wins; an empty prefix is the whole country (the fallback). A card never
   has one (country, prefix) twice, so there are no ties. No area: ``no_zone``.
3. **Billable weight** = max(actual weight, dimensional weight). Dimensional weight = L × W × H / divisor, in
   grams, with dimensions in mm and the divisor in cm³/kg — which is the same number as mm³/g (5000 cm³/kg =
   5000 mm³/g) — **rounded up to a whole gram**. A card may apply it only above a volume (``dim_threshold_mm3``,
   e.g. one cubic foot for US postal ground); at or below it the dimensional weight is 0.
4. **Weight break**: the zone's first break whose ``max_weight_g`` is ≥ the billable weight (breaks are upper
   bounds, so "round up to the next pound or half kilo" is in the table itself). Heavier than the last break:
   ``too_heavy``.
5. **Surcharges**: the residential surcharge when the address is residential, the remote surcharge when the
   postcode starts with one of the card's remote prefixes for the country (an empty prefix: the whole country).
6. **Fuel** is the card's percentage of the base price; when the card says ``fuel_on_surcharges`` (as the
   US integrators do) it is the percentage of base + residential + remote.
7. **Rounding once.** Every line is exact (``Decimal``, no rounding); the total is rounded **half up** to the
   currency's minor unit once, at the end, and a ``rounding`` line carries the difference so the lines always
   add up to the total exactly.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from enum import StrEnum
from typing import TypeGuard

from haicang.core.money import Money, currency_check

_NOT_KEY = re.compile(r"[^0-9A-Z]+")
HUNDRED = Decimal(100)


class Unserviceable(StrEnum):
    """Why a service cannot carry a parcel (stable codes: the API and the routing reasons carry them)."""

    COUNTRY_NOT_SERVED = "country_not_served"
    RESIDENTIAL_NOT_ALLOWED = "residential_not_allowed"
    NO_ZONE = "no_zone"
    TOO_HEAVY = "too_heavy"
    NO_RATE_CARD = "no_rate_card"  # used by the selectors: no card in effect on the day


class LineKind(StrEnum):
    BASE = "base"
    RESIDENTIAL = "residential"
    REMOTE = "remote"
    FUEL = "fuel"
    ROUNDING = "rounding"


def postcode_key(text: str) -> str:
    """``text`` as postcodes and prefixes are compared: upper case, letters and digits only."""
    return _NOT_KEY.sub("", text.upper())


def _whole(name: str, value: object, *, minimum: int) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < minimum:
        raise ValueError(f"{name} is a whole number ≥ {minimum}, not {value!r}")
    return value


@dataclass(frozen=True, slots=True)
class Parcel:
    """One parcel: weight in grams, outside dimensions in millimetres (whole numbers, all positive)."""

    weight_g: int
    length_mm: int
    width_mm: int
    height_mm: int

    def __post_init__(self) -> None:
        _whole("weight_g", self.weight_g, minimum=1)
        for name in ("length_mm", "width_mm", "height_mm"):
            _whole(name, getattr(self, name), minimum=1)

    @property
    def volume_mm3(self) -> int:
        return self.length_mm * self.width_mm * self.height_mm


@dataclass(frozen=True, slots=True)
class Destination:
    """Where the parcel goes: ISO country, postcode (any spelling) and whether it is a home address."""

    country: str
    postcode: str = ""
    residential: bool = False

    @property
    def postcode_key(self) -> str:
        return postcode_key(self.postcode)


@dataclass(frozen=True, slots=True)
class WeightBreak:
    """Parcels up to ``max_weight_g`` (billable) cost ``price``."""

    max_weight_g: int
    price: Money


@dataclass(frozen=True, slots=True)
class ZoneRates:
    """A zone of a card: its name, transit days (None: the service's default) and weight breaks."""

    name: str
    breaks: tuple[WeightBreak, ...]
    transit_days: int | None = None

    def __post_init__(self) -> None:
        object.__setattr__(self, "breaks", tuple(sorted(self.breaks, key=lambda b: b.max_weight_g)))


@dataclass(frozen=True, slots=True)
class ZoneArea:
    """Postcodes of ``country`` starting with ``prefix`` (a postcode key; empty: all) are in ``zone``."""

    country: str
    prefix: str
    zone: str


@dataclass(frozen=True, slots=True)
class RemoteArea:
    country: str
    prefix: str


@dataclass(frozen=True)
class RateCardRules:
    """A rate card and its service's limits, as the calculator needs them."""

    currency: str
    dim_divisor: int
    zones: tuple[ZoneRates, ...]
    areas: tuple[ZoneArea, ...]
    dim_threshold_mm3: int = 0
    fuel_pct: Decimal = Decimal(0)
    fuel_on_surcharges: bool = False
    residential_surcharge: Money | None = None
    remote_surcharge: Money | None = None
    remote_areas: tuple[RemoteArea, ...] = ()
    countries: frozenset[str] = frozenset()  # the service's countries; empty: those of the areas
    residential_allowed: bool = True
    default_transit_days: int | None = None
    _zones: dict[str, ZoneRates] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        currency_check(self.currency)
        _whole("dim_divisor", self.dim_divisor, minimum=1)
        _whole("dim_threshold_mm3", self.dim_threshold_mm3, minimum=0)
        if not isinstance(self.fuel_pct, Decimal) or not self.fuel_pct.is_finite() or self.fuel_pct < 0:
            raise ValueError(f"fuel_pct is a Decimal ≥ 0, not {self.fuel_pct!r}")
        prices = [b.price for z in self.zones for b in z.breaks]
        surcharges = [m for m in (self.residential_surcharge, self.remote_surcharge) if m is not None]
        for money in [*prices, *surcharges]:
            if money.currency != self.currency:
                raise ValueError(f"{money} is not in the card's currency {self.currency}")
        object.__setattr__(self, "_zones", {zone.name: zone for zone in self.zones})
        unknown = sorted({a.zone for a in self.areas} - set(self._zones))
        if unknown:
            raise ValueError(f"areas name zones the card does not have: {', '.join(unknown)}")

    def zone(self, name: str) -> ZoneRates:
        return self._zones[name]

    @property
    def served(self) -> frozenset[str]:
        return self.countries or frozenset(a.country for a in self.areas)


@dataclass(frozen=True, slots=True)
class QuoteLine:
    kind: LineKind
    amount: Money
    detail: str = ""


@dataclass(frozen=True, slots=True)
class Quote:
    """What the parcel costs: ``total`` (rounded once) and the ``lines`` that add up to it exactly."""

    total: Money
    lines: tuple[QuoteLine, ...]
    zone: str
    transit_days: int | None
    billable_weight_g: int
    dimensional_weight_g: int
    weight_break_g: int

    serviceable = True


@dataclass(frozen=True, slots=True)
class NotServiceable:
    reason: Unserviceable
    detail: str

    serviceable = False


def dimensional_weight_g(parcel: Parcel, *, divisor: int, threshold_mm3: int = 0) -> int:
    """L × W × H / divisor in grams, rounded up; 0 when the volume is at or below ``threshold_mm3``."""
    volume = parcel.volume_mm3
    if volume <= threshold_mm3:
        return 0
    return -(-volume // divisor)


def zone_area_for(areas: Iterable[ZoneArea], destination: Destination) -> ZoneArea | None:
    """The area with the longest prefix that the destination's postcode starts with, in its country."""
    key = destination.postcode_key
    country = destination.country.upper()
    best: ZoneArea | None = None
    for area in areas:
        matches = area.country == country and key.startswith(area.prefix)
        if matches and (best is None or len(area.prefix) > len(best.prefix)):
            best = area
    return best


def is_remote(remote_areas: Iterable[RemoteArea], destination: Destination) -> bool:
    key = destination.postcode_key
    country = destination.country.upper()
    return any(r.country == country and key.startswith(r.prefix) for r in remote_areas)


def weight_break_for(breaks: Sequence[WeightBreak], billable_weight_g: int) -> WeightBreak | None:
    """The first break (by weight) whose upper bound holds ``billable_weight_g``; None when too heavy."""
    for weight_break in breaks:
        if weight_break.max_weight_g >= billable_weight_g:
            return weight_break
    return None


def _charged(surcharge: Money | None) -> TypeGuard[Money]:
    """A surcharge that adds something (None or zero: no line)."""
    return surcharge is not None and not surcharge.is_zero()


def _pct(value: Decimal) -> str:
    return f"{value.normalize():f}%"


def rate_quote(card: RateCardRules, parcel: Parcel, destination: Destination) -> Quote | NotServiceable:
    """The price of carrying ``parcel`` to ``destination`` under ``card``, or why it cannot be carried."""
    country = destination.country.upper()
    if country not in card.served:
        return NotServiceable(Unserviceable.COUNTRY_NOT_SERVED, f"the service does not deliver to {country}")
    if destination.residential and not card.residential_allowed:
        return NotServiceable(
            Unserviceable.RESIDENTIAL_NOT_ALLOWED, "the service does not deliver to residential addresses"
        )
    area = zone_area_for(card.areas, destination)
    if area is None:
        return NotServiceable(
            Unserviceable.NO_ZONE, f"no zone of the rate card covers {country} {destination.postcode}".strip()
        )
    zone = card.zone(area.zone)
    dimensional = dimensional_weight_g(parcel, divisor=card.dim_divisor, threshold_mm3=card.dim_threshold_mm3)
    billable = max(parcel.weight_g, dimensional)
    weight_break = weight_break_for(zone.breaks, billable)
    if weight_break is None:
        heaviest = zone.breaks[-1].max_weight_g if zone.breaks else 0
        return NotServiceable(
            Unserviceable.TOO_HEAVY,
            f"billable weight {billable} g is over the heaviest break of zone {zone.name} ({heaviest} g)",
        )

    currency = card.currency
    lines = [
        QuoteLine(LineKind.BASE, weight_break.price, f"zone {zone.name}, ≤ {weight_break.max_weight_g} g")
    ]
    if destination.residential and _charged(card.residential_surcharge):
        lines.append(QuoteLine(LineKind.RESIDENTIAL, card.residential_surcharge))
    if _charged(card.remote_surcharge) and is_remote(card.remote_areas, destination):
        lines.append(QuoteLine(LineKind.REMOTE, card.remote_surcharge))
    if card.fuel_pct:
        fuel_base = weight_break.price
        if card.fuel_on_surcharges:
            fuel_base = sum((line.amount for line in lines[1:]), fuel_base)
        fuel = fuel_base * (card.fuel_pct / HUNDRED)
        lines.append(QuoteLine(LineKind.FUEL, fuel, f"{_pct(card.fuel_pct)} of {fuel_base}"))
    exact = sum((line.amount for line in lines[1:]), lines[0].amount)
    total = exact.rounded(ROUND_HALF_UP)
    if total != exact:
        lines.append(QuoteLine(LineKind.ROUNDING, total - exact))
    return Quote(
        total=Money(total.amount, currency),
        lines=tuple(lines),
        zone=zone.name,
        transit_days=zone.transit_days if zone.transit_days is not None else card.default_transit_days,
        billable_weight_g=billable,
        dimensional_weight_g=dimensional,
        weight_break_g=weight_break.max_weight_g,
    )


def breaks_problem(breaks: Sequence[tuple[int, Money]]) -> str | None:
    """Why a zone's breaks (max weight g, price) are not a valid table, or None: at least one, weights
    positive and distinct, prices not negative and not falling as the weight grows."""
    if not breaks:
        return "a zone has at least one weight break"
    ordered = sorted(breaks, key=lambda b: b[0])
    for (weight, price), previous in zip(ordered, [None, *ordered[:-1]], strict=True):
        if weight <= 0:
            return f"a break's maximum weight is a positive number of grams, not {weight}"
        if price.is_negative():
            return f"the price for ≤ {weight} g is negative"
        if previous is not None:
            if previous[0] == weight:
                return f"the break ≤ {weight} g is listed twice"
            if price < previous[1]:
                return f"the price for ≤ {weight} g ({price}) is below the lighter break's ({previous[1]})"
    return None
