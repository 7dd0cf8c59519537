"""Four months of Lumen's past orders, drawn from :mod:`haicang.demo.order_data` with a fixed seed.

For every store and day: the number of orders is a Poisson draw around the store's daily rate × the weekday
(Sundays and Mondays are busiest) × a growth trend × sales events (Prime Big Deal Days on Amazon, 11.11 on
Temu, SHEIN and TikTok, Black Friday week everywhere); each order is placed at a local evening-heavy hour,
ships to one of the store's markets, and holds one to three SKUs drawn by popularity — the family's weight,
moved by its season (hoodies climb into winter, linen dresses fade), the colour (black sells best) and the size
(M and L) — or a kit. Customers come back: each country has a pool of invented people drawn with repeats.

Orders older than a few days are delivered (or stay *shipped* where the platform never reports delivery:
Amazon, Shopify); a few percent were cancelled before shipping, some lines cancelled in part. Prices are the
list prices in the order's currency, VAT included for Europe and Britain, US sales tax on top; discounts,
shipping charged and the platform's commission as each platform has them (Temu sends no amounts).

Pure: no database. The same seed and seeding day give the same orders (the ids of the rows differ).
"""

from __future__ import annotations

import datetime as dt
import math
import random
import unicodedata
from bisect import bisect
from collections.abc import Iterator
from dataclasses import dataclass, replace
from functools import cache
from itertools import accumulate
from zoneinfo import ZoneInfo

from haicang.channels.normalised import (
    NormalisedLine,
    NormalisedOrder,
    OrderFlag,
    OrderStatus,
    Platform,
    ShipTo,
)
from haicang.core.money import Money
from haicang.demo import order_data as data
from haicang.demo.catalogue import Variant, variant_rows

ZONES = {
    "US": ZoneInfo("America/Chicago"),
    "DE": ZoneInfo("Europe/Berlin"),
    "FR": ZoneInfo("Europe/Paris"),
    "NL": ZoneInfo("Europe/Amsterdam"),
    "GB": ZoneInfo("Europe/London"),
}
PLATFORM_STATUS = {  # (platform, normalised status) → the platform's own status text
    ("temu", "unshipped"): "2", ("temu", "shipped"): "4", ("temu", "delivered"): "5",
    ("temu", "cancelled"): "3", ("temu", "pending"): "1",
    ("amazon", "unshipped"): "Unshipped", ("amazon", "shipped"): "Shipped", ("amazon", "cancelled"): "Canceled",
    ("amazon", "pending"): "Pending",
    ("tiktok", "unshipped"): "AWAITING_SHIPMENT", ("tiktok", "shipped"): "IN_TRANSIT",
    ("tiktok", "delivered"): "DELIVERED", ("tiktok", "cancelled"): "CANCELLED", ("tiktok", "pending"): "UNPAID",
    ("tiktok", "on_hold"): "ON_HOLD",
    ("shein", "unshipped"): "2", ("shein", "shipped"): "3", ("shein", "delivered"): "5",
    ("shein", "cancelled"): "6", ("shein", "pending"): "1",
    ("shopify", "unshipped"): "paid/unfulfilled", ("shopify", "shipped"): "paid/fulfilled",
    ("shopify", "cancelled"): "cancelled/refunded/unfulfilled", ("shopify", "pending"): "pending/unfulfilled",
}  # fmt: skip
RAW_REF = {
    "temu": "temu:bg.order.detail.v2.get:{id}",
    "amazon": "amazon:orders/v0:{id}",
    "tiktok": "tiktok:order/202309:{id}",
    "shein": "shein:order-info:{id}",
    "shopify": "shopify:order:{id}",
}
DISCOUNTS = {"shopify": (0.12, 10), "shein": (0.15, 15), "tiktok": (0.2, 20), "amazon": (0.05, 5)}


# --- what a store sells ---------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Listing:
    code: str  # the seller's SKU (or kit) code
    channel_sku: str
    family: str
    title: str
    weight: float  # base popularity in this store


def channel_sku_of(plan: data.AccountPlan, code: str) -> str:
    return plan.channel_sku.format(code=code, plain=code.replace("-", ""))


@cache
def _variants() -> tuple[Variant, ...]:
    return tuple(variant_rows())


def listings(plan: data.AccountPlan) -> tuple[Listing, ...]:
    """The SKUs ``plan``'s store lists, with their popularity there (seeded per store: stores differ a little)."""
    rng = random.Random(f"{data.SEED}:{plan.name}")  # noqa: S311 - demo data, not secrets
    rows = []
    for variant in _variants():
        style = variant.family.style
        if plan.families and style not in plan.families:
            continue
        weight = data.POPULARITY[style] * data.COLOUR_SHARE.get(variant.colour, 1.0)
        weight *= data.SIZE_SHARE.get(variant.size, 1.0) / 2.0 if variant.size else 1.0
        weight *= math.exp(rng.gauss(0.0, 0.45))  # some variants simply sell better
        rows.append(Listing(variant.code, channel_sku_of(plan, variant.code), style, variant.name_en, weight))
    return tuple(rows)


def kit_listings(plan: data.AccountPlan) -> tuple[Listing, ...]:
    return tuple(Listing(code, channel, code, code, 1.0) for code, channel in plan.kits)


def season(style: str, t: float) -> float:
    start, end = data.SEASON.get(style, (1.0, 1.0))
    return start + (end - start) * t


# --- the customers --------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Person:
    country: str
    name: str
    street_lines: tuple[str, ...]
    city: str
    region: str
    postcode: str
    phone: str
    email: str
    tax_percent: float  # US sales tax where the person lives


def _ascii(text: str) -> str:
    return unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower().replace(" ", "")


@cache
def person(country: str, number: int) -> Person:
    """The ``number``-th invented customer of ``country`` (always the same person)."""
    rng = random.Random(f"{data.SEED}:person:{country}:{number}")  # noqa: S311 - demo data
    towns = data.TOWNS[country]
    city, region, postcode, _, tax, area = rng.choices(towns, weights=[t[3] for t in towns])[0]
    first = rng.choice(data.FIRST_NAMES[country])
    last = rng.choice(data.LAST_NAMES[country])
    street = rng.choice(data.STREETS[country]).format(n=rng.randint(1, 240))
    lines = [street]
    if data.APARTMENT[country] and rng.random() < 0.3:
        lines.append(data.APARTMENT[country].format(n=rng.randint(2, 48)))
    email = f"{_ascii(first)}.{_ascii(last)}{rng.randint(1, 99)}@{rng.choice(data.MAIL_DOMAINS)}"
    return Person(
        country=country,
        name=f"{first} {last}",
        street_lines=tuple(lines),
        city=city,
        region=region,
        postcode=postcode,
        phone=data.phone(country, area, rng.randint(0, 10**8)),
        email=email,
        tax_percent=tax,
    )


def ship_to(plan: data.AccountPlan, who: Person, serial: int) -> ShipTo:
    email = ""
    if plan.platform == "shopify":
        email = who.email
    elif plan.platform == "amazon":  # Amazon relays e-mail through its own addresses
        email = f"{serial * 7919 % 10**12:012x}@marketplace.amazon.com"
    return ShipTo(
        country=who.country,
        name=who.name,
        street_lines=who.street_lines,
        city=who.city,
        region=who.region,
        postcode=who.postcode,
        phone=who.phone,
        email=email,
    )


# --- ids in each platform's shape -----------------------------------------------------------------------------
def external_id(platform: str, serial: int) -> str:
    if platform == "temu":
        return f"PO-211-{21905452000000000 + serial * 7919:017d}"
    if platform == "amazon":
        return f"114-{(serial * 7919 + 1234567) % 10**7:07d}-{(serial * 104729 + 7654321) % 10**7:07d}"
    if platform == "tiktok":
        return f"5769{serial * 7919 + 10**13:014d}"
    if platform == "shein":
        return f"GSH{serial * 7919 + 4 * 10**10:011d}"
    return f"{5901000000000 + serial * 7919}"  # Shopify's order id


def line_id(platform: str, order_serial: int, position: int) -> str:
    if platform == "temu":
        return f"211-{21905473000000000 + order_serial * 7919 * 4 + position:017d}"
    return f"{14000000000000 + order_serial * 10 + position}"


# --- amounts --------------------------------------------------------------------------------------------------
def list_price(code: str, currency: str) -> int:
    """The list price in minor units of ``currency``."""
    family = code if code in data.PRICE_USD else "-".join(code.split("-")[:2])
    cents = data.PRICE_USD.get(family, 5999)  # a SKU the catalogue does not have yet (an unmapped listing)
    return round(cents * 0.85 / 100) * 100 - 1 if currency == "GBP" else cents


@dataclass(frozen=True)
class Drawn:
    """An order before it is dressed in its platform's shape."""

    plan: data.AccountPlan
    serial: int
    placed_at: dt.datetime
    who: Person
    lines: tuple[tuple[Listing, int, int], ...]  # listing, quantity, ordered
    discount_percent: int = 0
    expedited: bool = False


def _pct(amount: int, percent: float) -> int:
    return round(amount * percent / 100)


def normalised(
    drawn: Drawn,
    *,
    status: str,
    updated_at: dt.datetime | None,
    flags: frozenset[OrderFlag] = frozenset(),
    ship_to_given: bool = True,
) -> NormalisedOrder:
    """``drawn`` as its platform would describe it, in ``status``."""
    plan, platform = drawn.plan, drawn.plan.platform
    country = drawn.who.country
    priced = platform != "temu"
    currency = (data.CURRENCY_OF[country] if platform == "shopify" else plan.currency) if priced else None
    vat = data.VAT.get(country)
    lines: list[NormalisedLine] = []
    goods = discount_total = tax_total = 0
    for position, (listing, quantity, ordered) in enumerate(drawn.lines, start=1):
        unit_price = unit_money = discount = tax = None
        if currency is not None:
            unit_price = list_price(listing.code, currency)
            gross = unit_price * (ordered if status == "cancelled" else quantity)  # amounts
            cut = _pct(gross, drawn.discount_percent)
            net = gross - cut
            line_tax = round(net * vat / (100 + vat)) if vat else _pct(net, drawn.who.tax_percent)
            goods, discount_total, tax_total = goods + gross, discount_total + cut, tax_total + line_tax
            unit_money = Money.of_minor(unit_price, currency)
            discount = Money.of_minor(cut, currency) if cut else None
            tax = Money.of_minor(line_tax, currency)
        serial_line = line_id(platform, drawn.serial + 1_000_000 * data.ACCOUNTS.index(plan), position)
        units = tuple(f"{serial_line}{u}" for u in range(ordered)) if platform in ("tiktok", "shein") else ()
        lines.append(
            NormalisedLine(
                channel_sku=listing.channel_sku,
                channel_line_id=serial_line,
                quantity=quantity,
                original_quantity=ordered,
                unit_price=unit_money,
                discount=discount,
                tax=tax,
                price_includes_tax=bool(vat),
                title=listing.title[:120],
                shipped_quantity=quantity if platform == "amazon" and status == "shipped" else None,
                unit_line_ids=units,
            )
        )
    shipping = commission = total = None
    if currency is not None:
        net = goods - discount_total
        charge = 0
        if platform == "shopify" and net < 5000:
            charge = 399 if currency == "GBP" else 499
        elif platform == "shein" and net < 2900:
            charge = 399
        elif drawn.expedited:
            charge = 899
        shipping = Money.of_minor(charge, currency)
        if platform in data.COMMISSION:
            commission = Money.of_minor(_pct(net, data.COMMISSION[platform]), currency)
        total = Money.of_minor(net + charge + (0 if vat else tax_total), currency)
    ext = external_id(platform, drawn.serial + 1_000_000 * data.ACCOUNTS.index(plan))  # unique across stores
    placed = drawn.placed_at
    service = {
        "amazon": "Expedited" if drawn.expedited else "Standard",
        "shopify": "Express" if drawn.expedited else "Standard shipping",
        "tiktok": "Standard shipping",
    }.get(platform, "")
    return NormalisedOrder(
        platform=Platform(platform),
        external_id=ext,
        display_ref=f"#{1001 + drawn.serial}" if platform == "shopify" else ext,
        placed_at=placed,
        paid_at=None if status == "pending" else placed + dt.timedelta(minutes=2),
        ship_by=placed + dt.timedelta(hours=plan.ship_by_hours) if plan.ship_by_hours else None,
        deliver_by=placed + dt.timedelta(days=3 if drawn.expedited else 7) if platform == "amazon" else None,
        updated_at=updated_at,
        status=OrderStatus(status),
        platform_status=data_status(platform, status),
        lines=tuple(lines),
        raw_ref=RAW_REF[platform].format(id=ext),
        currency=currency,
        shipping_charged=shipping,
        commission=commission,
        total=total,
        service_level=service,
        ship_to=ship_to(plan, drawn.who, drawn.serial) if ship_to_given else None,
        flags=flags | ({OrderFlag.PRIME} if platform == "amazon" and drawn.serial % 5 < 2 else frozenset()),
        marketplace={"amazon": "ATVPDKIKX0DER", "temu": "211" if plan.region == "US" else ""}.get(
            platform, ""
        ),
    )


def data_status(platform: str, status: str) -> str:
    return PLATFORM_STATUS.get((platform, status), status)


# --- the draws ------------------------------------------------------------------------------------------------
def _poisson(rng: random.Random, lam: float) -> int:
    """A Poisson draw (Knuth's method below 30, a rounded normal above)."""
    if lam >= 30:
        return max(0, round(rng.gauss(lam, math.sqrt(lam))))
    limit, k, p = math.exp(-lam), 0, 1.0
    while True:
        p *= rng.random()
        if p <= limit:
            return k
        k += 1


def _pick(rng: random.Random, table: tuple[tuple[int, float], ...]) -> int:
    return rng.choices([v for v, _ in table], weights=[w for _, w in table])[0]


class Sampler:
    """Draws a store's orders: its markets, its listings by popularity on a day, its customers."""

    def __init__(self, plan: data.AccountPlan, rng: random.Random) -> None:
        self.plan, self.rng = plan, rng
        self.listings = listings(plan)
        self.kits = kit_listings(plan)
        self.markets = [c for c, _ in plan.markets]
        self.market_weights = list(accumulate(w for _, w in plan.markets))
        self._weights: dict[int, list[float]] = {}

    def cumulative(self, t: float) -> list[float]:
        key = round(t * 100)
        if key not in self._weights:
            self._weights[key] = list(
                accumulate(item.weight * season(item.family, key / 100) for item in self.listings)
            )
        return self._weights[key]

    def lines(self, t: float) -> tuple[tuple[Listing, int, int], ...]:
        rng = self.rng
        if self.kits and rng.random() < data.KIT_SHARE:
            kit = rng.choice(self.kits)
            return ((kit, 1, 1),)
        weights = self.cumulative(t)
        chosen: dict[str, tuple[Listing, int]] = {}
        for _ in range(_pick(rng, data.LINES_PER_ORDER)):
            item = self.listings[bisect(weights, rng.random() * weights[-1])]
            units = _pick(rng, data.UNITS_PER_LINE)
            before = chosen.get(item.code, (item, 0))[1]  # the same SKU drawn twice: one line
            chosen[item.code] = (item, before + units)
        return tuple((item, units, units) for item, units in chosen.values())

    def customer(self, pool: int) -> Person:
        country = self.markets[bisect(self.market_weights, self.rng.random() * self.market_weights[-1])]
        # a skewed draw: regulars come back more often
        return person(country, int(pool * self.rng.random() ** 1.6))

    def moment(self, day: dt.date, country: str) -> dt.datetime:
        hour = self.rng.choices(range(24), weights=data.HOURS)[0]
        local = dt.datetime.combine(day, dt.time(hour, self.rng.randrange(60), self.rng.randrange(60)))
        return local.replace(tzinfo=ZONES[country]).astimezone(dt.UTC)


def _closed_status(
    plan: data.AccountPlan, rng: random.Random, placed: dt.datetime, now: dt.datetime
) -> tuple[str, dt.datetime]:
    """What became of an order placed at ``placed``, seen at ``now``: cancelled, shipped or delivered, and when."""
    if rng.random() < plan.cancel_rate:
        return "cancelled", min(placed + dt.timedelta(hours=rng.uniform(0.3, 20)), now)
    shipped = min(placed + dt.timedelta(hours=rng.uniform(5, 34)), now - dt.timedelta(minutes=30))
    delivered = shipped + dt.timedelta(days=rng.uniform(1.5, 6.5))
    if plan.reports_delivery and delivered < now:
        return "delivered", delivered
    return "shipped", shipped


def history(*, today: dt.date, now: dt.datetime) -> Iterator[tuple[str, NormalisedOrder]]:
    """Every store's past orders, ``HISTORY_DAYS`` days up to yesterday: ``(account name, order)``."""
    for index, plan in enumerate(data.ACCOUNTS):
        rng = random.Random(f"{data.SEED}:{index}:{plan.name}")  # noqa: S311 - demo data
        sampler = Sampler(plan, rng)
        pool = max(50, int(plan.per_day * data.HISTORY_DAYS * 0.6))
        serial = 0
        for offset in range(data.HISTORY_DAYS, 0, -1):
            day = today - dt.timedelta(days=offset)
            t = (data.HISTORY_DAYS - offset) / (data.HISTORY_DAYS - 1)
            rate = (
                plan.per_day
                * data.WEEKDAY[day.weekday()]
                * (data.TREND[0] + (data.TREND[1] - data.TREND[0]) * t)
            )
            rate *= data.event_factor(day, plan.platform)
            for _ in range(_poisson(rng, rate)):
                who = sampler.customer(pool)
                placed = sampler.moment(day, who.country)
                if placed >= now:
                    continue
                lines = sampler.lines(t)
                status, when = _closed_status(plan, rng, placed, now)
                if (
                    status != "cancelled" and rng.random() < 0.04
                ):  # a unit of a line cancelled before shipping
                    listing, quantity, ordered = lines[0]
                    lines = ((listing, quantity, ordered + 1), *lines[1:])
                discount = DISCOUNTS.get(plan.platform, (0.0, 0))
                drawn = Drawn(
                    plan=plan,
                    serial=serial,
                    placed_at=placed,
                    who=who,
                    lines=lines,
                    discount_percent=discount[1] if rng.random() < discount[0] else 0,
                    expedited=plan.platform in ("amazon", "shopify") and rng.random() < 0.08,
                )
                serial += 1
                if status == "cancelled":
                    drawn = replace(
                        drawn, lines=tuple((item, 0, ordered) for item, _, ordered in drawn.lines)
                    )
                yield plan.name, normalised(drawn, status=status, updated_at=when)
