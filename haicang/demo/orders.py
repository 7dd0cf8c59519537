"""The demo seller's sales: channel accounts on five platforms, four months of order history, the stock on the
shelves, and today's open orders in every state the order team deals with. Built through the services;
idempotent: a seller with channel accounts already is left alone.

1. **Channel accounts** (:data:`haicang.demo.order_data.ACCOUNTS`): two Temu stores (US, EU), SHEIN Europe,
   TikTok Shop UK, Amazon US and the Shopify web shop — each with (invented) credentials, the warehouses
   serving it, **SKU maps** where the store names SKUs its own way (Amazon ``LUM-…``, TikTok ``TT-…``, SHEIN
   ``SH…``, kits on Amazon), and **stock sharing rules** so the stores that share a warehouse split its stock.
2. **Order history** (:mod:`haicang.demo.order_history`, about 8,000 orders): loaded with
   :func:`haicang.orders.backfill.orders_backfill` in bulk. *Decision:* past orders **move no stock** — in the
   demo's story they shipped before Haicang kept Lumen's ledger; what is on the shelves today is step 3.
3. **Opening stock**: per warehouse and SKU, 20–80 days of the last four weeks' sales, received into a pick bin
   (document type ``opening``) in two layers dated when they came in (weeks and months ago, so stock ageing
   has something to show). Some SKUs are out: hoodies and desk lamps in Los Angeles (they are on the container
   and the air shipment of the inbound demo), white bath towels in Coventry (still in the receiving area),
   white oxford shirts in Frankfurt (the rail shipment has arrived, not yet received).
4. **Today's open orders** (:data:`OPEN`), through :func:`haicang.orders.services.order_ingest` — so they are
   routed and reserved, held or backordered exactly as live orders are — then released to the warehouses
   (fulfillment requests), some accepted or started by the warehouse staff, one with a cancellation request,
   one at risk of missing its SLA and one late.

Finally the channels' available-to-sell levels are computed once (``channel_stock_recompute``).
"""

from __future__ import annotations

import datetime as dt
import math
import random
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, replace

from django.utils import timezone

from haicang.catalog.models import KitComponent, Sku
from haicang.channels.models import ChannelAccount
from haicang.channels.normalised import NormalisedOrder, OrderFlag
from haicang.channels.services import channel_account_create, channel_sku_map_set
from haicang.channels.stock_sync import (
    channel_account_warehouses_set,
    channel_stock_recompute,
    stock_share_rule_set,
)
from haicang.core.actors import Actor
from haicang.demo import order_data as data
from haicang.demo.order_history import (
    Drawn,
    Listing,
    Sampler,
    channel_sku_of,
    history,
    kit_listings,
    listings,
    normalised,
    person,
)
from haicang.inventory.models import StockCounter
from haicang.inventory.services import stock_receive
from haicang.network.models import Location, LocationKind, Warehouse
from haicang.network.selectors import warehouse_calendar
from haicang.orders.backfill import orders_backfill
from haicang.orders.fulfilment import (
    agreement_covering,
    fulfilment_request_accept,
    fulfilment_request_cancel_request,
    fulfilment_request_create,
    fulfilment_request_start,
)
from haicang.orders.models import Order
from haicang.orders.routing import routing_decision_latest
from haicang.orders.services import order_ingest
from haicang.orders.sla_rules import SlaState, sla_clock, sla_state
from haicang.parties.models import Seller

# Out of stock today (warehouse → SKUs): what today's backorders wait for.
STOCK_OUTS = {
    "LAX1": ("HOOD-FLEECE-BLK-M", "HOOD-FLEECE-BLK-L", "HOOD-FLEECE-GRY-M", "LAMP-DESK-BLK", "LAMP-DESK-WHT"),
    "BHX1": ("TOWEL-BATH-WHT",),
    "FRA1": ("SHIRT-OXF-WHT-M",),
}
STOCK_WEEKS = 4  # opening stock covers 20–80 days of the sales of the last four weeks
SHARE_RULES = (
    # account, SKU (None: the default), mode, percent or quantity, buffer
    ("Amazon US", None, "percent", "50", 2),
    ("Temu US · Lumen Home", None, "percent", "30", 1),
    ("Lumen Living (Shopify)", None, "percent", "20", 0),
    ("Temu EU · Lumen Living", None, "percent", "45", 1),
    ("SHEIN Europe", None, "percent", "35", 1),
    ("TikTok Shop UK", None, "percent", "80", 1),
    ("Amazon US", "CHARGER-65W-BLK", "percent", "70", 5),
    ("TikTok Shop UK", "LEG-YOGA-BLK-M", "fixed", 30, 0),  # the allotment for a live-stream promotion
)


@dataclass(frozen=True)
class Open:
    """One of today's open orders: which store, what happens to it, how long ago it was placed."""

    account: str
    kind: (
        str  # released, accepted, started, cancel_asked, at_risk, late, allocated, backorder, pending, hold:*
    )
    hours_ago: float
    lines: tuple[tuple[str, int], ...] = ()  # (SKU code, units); empty: drawn from what the warehouse holds
    country: str = ""  # empty: drawn from the store's markets


AMZ, TEMU_US, TEMU_EU = "Amazon US", "Temu US · Lumen Home", "Temu EU · Lumen Living"
SHEIN, TIKTOK, SHOP = "SHEIN Europe", "TikTok Shop UK", "Lumen Living (Shopify)"
OPEN: tuple[Open, ...] = (
    # released to the warehouse this morning, waiting for it to take them
    Open(AMZ, "released", 9.5, (("CABLE-USBC-BLK", 2),)),
    Open(AMZ, "released", 8.0, (("KIT-TRAVEL-CHARGE", 1),)),
    Open(AMZ, "released", 6.5),
    Open(AMZ, "released", 5.0),
    Open(TEMU_US, "released", 9.0, (("MOUNT-MAG-BLK", 1),)),
    Open(TEMU_US, "released", 7.5),
    Open(TEMU_US, "released", 4.0),
    Open(TEMU_EU, "released", 8.5, country="DE"),
    Open(TEMU_EU, "released", 6.0, country="FR"),
    Open(TEMU_EU, "released", 3.5, country="NL"),
    Open(SHEIN, "released", 7.0, (("LEG-YOGA-BLK-M", 1), ("TEE-BASIC-WHT-S", 1)), country="DE"),
    Open(SHEIN, "released", 5.5, country="FR"),
    Open(TIKTOK, "released", 6.0, (("EARBUD-TWS-BLK", 1),)),
    Open(TIKTOK, "released", 4.5),
    Open(SHOP, "released", 7.0, country="GB"),
    Open(SHOP, "released", 5.0, (("KIT-MORNING", 1),), country="DE"),
    # taken by the warehouse
    Open(AMZ, "accepted", 20.0),
    Open(TEMU_EU, "accepted", 19.0, country="DE"),
    Open(TIKTOK, "accepted", 18.0),
    Open(AMZ, "started", 26.0, (("BOTTLE-STEEL-BLK", 1), ("MUG-CER-WHT", 2))),
    Open(SHOP, "started", 25.0, country="US"),
    Open(TEMU_US, "cancel_asked", 22.0),
    # the SLA clock: one request at risk of missing its due, one late
    Open(AMZ, "at_risk", 78.0),  # its ship-by was moved to 45 minutes from now
    Open(TIKTOK, "late", 75.0),
    # routed and reserved, not yet released (placed within the hour)
    Open(AMZ, "allocated", 0.6),
    Open(TEMU_US, "allocated", 0.4),
    Open(SHEIN, "allocated", 0.5, country="NL"),
    Open(SHOP, "allocated", 0.3, country="US"),
    # on hold, with the reason
    Open(AMZ, "hold:postcode", 3.0),
    Open(TIKTOK, "hold:phone", 2.5),
    Open(AMZ, "hold:unmapped", 2.0, (("LAMP-FLOOR-OAK", 1),)),
    Open(TEMU_EU, "hold:address_change", 4.0, country="FR"),
    Open(TIKTOK, "hold:platform", 1.5),
    Open(TEMU_US, "hold:no_address", 1.0),
    # backordered: nothing on the shelves of the warehouse that serves them
    Open(AMZ, "backorder", 11.0, (("HOOD-FLEECE-BLK-M", 1),)),
    Open(TEMU_US, "backorder", 10.0, (("HOOD-FLEECE-GRY-M", 1),)),
    Open(SHOP, "backorder", 12.0, (("LAMP-DESK-BLK", 1),), country="US"),
    Open(TIKTOK, "backorder", 9.0, (("TOWEL-BATH-WHT", 1),)),
    Open(SHEIN, "backorder", 8.0, (("SHIRT-OXF-WHT-M", 1),), country="DE"),
    # not paid yet: not routed
    Open(SHOP, "pending", 2.0, country="US"),
    Open(TIKTOK, "pending", 0.8),
)


@dataclass(frozen=True)
class DemoOrders:
    accounts: int
    sku_maps: int
    history: int
    history_lines: int
    opening_receipts: int
    open_orders: Counter[str]
    requests: int


def demo_orders_build(*, actor: Actor, seller: Seller, now: dt.datetime | None = None) -> DemoOrders | None:
    """Build the seller's sales (see the module's docstring) unless it has channel accounts; None then."""
    if ChannelAccount.objects.filter(seller=seller).exists():
        return None
    now = now or timezone.now()
    today = timezone.localdate(now)
    skus = {sku.code: sku for sku in Sku.objects.filter(seller=seller)}
    warehouses = {w.code: w for w in Warehouse.objects.filter(code__in=data.WAREHOUSE_OF.values())}
    accounts, maps = _accounts(actor, seller, skus, warehouses)
    past = [(accounts[name], order) for name, order in history(today=today, now=now)]
    loaded = orders_backfill(actor=actor, orders=past, source="backfill")
    receipts = _opening_stock(actor, seller, past, skus, warehouses, now)
    serials = Counter(account.name for account, _ in past)
    kinds, requests = _open_orders(actor, seller, accounts, serials, now)
    channel_stock_recompute(seller_id=seller.pk)
    return DemoOrders(
        accounts=len(accounts),
        sku_maps=maps,
        history=loaded.orders,
        history_lines=loaded.lines,
        opening_receipts=receipts,
        open_orders=kinds,
        requests=requests,
    )


# --- 1. channel accounts --------------------------------------------------------------------------------------
def _accounts(
    actor: Actor, seller: Seller, skus: dict[str, Sku], warehouses: dict[str, Warehouse]
) -> tuple[dict[str, ChannelAccount], int]:
    accounts: dict[str, ChannelAccount] = {}
    maps = 0
    for plan in data.ACCOUNTS:
        account = channel_account_create(
            actor=actor, seller=seller, platform=plan.platform, name=plan.name, currency=plan.currency,
            external_shop_id=plan.shop_id, region=plan.region, credentials=dict(plan.credentials),
            webhook_secret="demo-shopify-webhook-secret" if plan.platform == "shopify" else None,
        )  # fmt: skip
        channel_account_warehouses_set(
            actor=actor, account=account, warehouses=[warehouses[code] for code in plan.warehouses]
        )
        for listing in (*listings(plan), *kit_listings(plan)):
            if listing.channel_sku != listing.code:
                channel_sku_map_set(
                    actor=actor, account=account, channel_sku=listing.channel_sku, sku=skus[listing.code]
                )
                maps += 1
        accounts[plan.name] = account
    for name, code, mode, value, buffer in SHARE_RULES:
        stock_share_rule_set(
            actor=actor, account=accounts[name], sku=skus[code] if code else None, mode=mode,
            percent=str(value) if mode == "percent" else None, quantity=int(value) if mode == "fixed" else None,
            buffer=buffer,
        )  # fmt: skip
    return accounts, maps


# --- 3. opening stock -----------------------------------------------------------------------------------------
def _recent_sales(
    past: Sequence[tuple[ChannelAccount, NormalisedOrder]], skus: dict[str, Sku], since: dt.datetime
) -> Counter[tuple[str, str]]:
    """Units shipped per (warehouse, SKU code) since ``since`` (kits counted as their components)."""
    resolve: dict[tuple[str, str], str] = {}
    for plan in data.ACCOUNTS:
        for listing in (*listings(plan), *kit_listings(plan)):
            resolve[(plan.name, listing.channel_sku)] = listing.code
    parts: dict[str, list[tuple[str, int]]] = defaultdict(list)
    for part in KitComponent.objects.filter(kit__in=[s for s in skus.values() if s.is_kit]).select_related(
        "kit", "component"
    ):
        parts[part.kit.code].append((part.component.code, part.quantity))
    sold: Counter[tuple[str, str]] = Counter()
    for account, order in past:
        if order.placed_at < since or order.ship_to is None:
            continue
        warehouse = data.WAREHOUSE_OF[order.ship_to.country]
        for line in order.lines:
            code = resolve.get((account.name, line.channel_sku), line.channel_sku)
            for component, per_kit in parts.get(code, [(code, 1)]):
                sold[(warehouse, component)] += line.quantity * per_kit
    return sold


def _opening_stock(
    actor: Actor,
    seller: Seller,
    past: Sequence[tuple[ChannelAccount, NormalisedOrder]],
    skus: dict[str, Sku],
    warehouses: dict[str, Warehouse],
    now: dt.datetime,
) -> int:
    sold = _recent_sales(past, skus, now - dt.timedelta(weeks=STOCK_WEEKS))
    rng = random.Random(f"{data.SEED}:opening-stock")  # noqa: S311 - demo data
    bins: dict[str, list[Location]] = {
        code: list(
            Location.objects.filter(warehouse=warehouse, kind=LocationKind.PICK).order_by(
                "pick_sequence", "code"
            )
        )
        for code, warehouse in warehouses.items()
    }
    receipts = 0
    for (code, sku_code), units in sorted(sold.items()):
        if sku_code in STOCK_OUTS.get(code, ()) or sku_code not in skus:
            continue
        sku = skus[sku_code]
        quantity = math.ceil(units / (STOCK_WEEKS * 7) * rng.uniform(20, 80)) + 4
        older = quantity * rng.randint(40, 70) // 100
        location = bins[code][receipts // 2 % len(bins[code])]
        for part, days_ago in ((older, rng.randint(45, 110)), (quantity - older, rng.randint(4, 30))):
            if part <= 0:
                continue
            stock_receive(
                actor=actor, owner=seller, sku=sku, location=location, quantity=part,
                lot_code=f"L{(now - dt.timedelta(days=days_ago)):%y%m}" if sku.track_lot or sku.track_expiry else "",
                expires_on=(now + dt.timedelta(days=540)).date() if sku.track_expiry else None,
                document_type="opening", document_ref=f"OPENING-{code}",
                effective_at=now - dt.timedelta(days=days_ago),
            )  # fmt: skip
            receipts += 1
    return receipts


# --- 4. today's open orders -----------------------------------------------------------------------------------
def _open_order(
    spec: Open,
    sampler: Sampler,
    serial: int,
    now: dt.datetime,
    in_stock: dict[str, set[str]],
) -> NormalisedOrder:
    plan = sampler.plan
    rng = sampler.rng
    country = spec.country or plan.markets[0][0]
    who = person(country, 5000 + serial)  # new customers
    by_code = {item.code: item for item in (*sampler.listings, *sampler.kits)}
    if spec.lines:  # a SKU the store does not list yet keeps the store's naming (and is not mapped)
        lines = tuple(
            (by_code.get(code) or Listing(code, channel_sku_of(plan, code), code, code, 1.0), units, units)
            for code, units in spec.lines
        )
    else:
        held = in_stock[data.WAREHOUSE_OF[country]]
        choices = [item for item in sampler.listings if item.code in held]
        lines = ((rng.choice(choices), 1, 1),)
    placed = now - dt.timedelta(hours=spec.hours_ago)
    status = {"pending": "pending", "hold:platform": "on_hold"}.get(spec.kind, "unshipped")
    flags = (
        frozenset({OrderFlag.PENDING_ADDRESS_CHANGE}) if spec.kind == "hold:address_change" else frozenset()
    )
    drawn = Drawn(plan=plan, serial=serial, placed_at=placed, who=who, lines=lines)
    order = normalised(
        drawn,
        status=status,
        updated_at=placed + dt.timedelta(minutes=3),
        flags=flags,
        ship_to_given=spec.kind != "hold:no_address",
    )
    if order.ship_to is not None and spec.kind == "hold:postcode":
        order = replace(order, ship_to=replace(order.ship_to, postcode=order.ship_to.postcode[:4]))
    if order.ship_to is not None and spec.kind == "hold:phone":
        order = replace(order, ship_to=replace(order.ship_to, phone="12345"))
    if spec.kind == "at_risk":
        order = replace(order, ship_by=now + dt.timedelta(minutes=45))
    if spec.kind == "late":
        order = replace(order, ship_by=now - dt.timedelta(hours=3))
    return order


def _at_risk_release(warehouse: Warehouse, seller: Seller, order: Order, now: dt.datetime) -> dt.datetime:
    """A release time (within the last three days) that leaves the request at risk now, on the warehouse's own
    calendar — whatever day and hour the demo is seeded (on a Monday before opening: Friday's)."""
    calendar = warehouse_calendar(warehouse)
    agreement = agreement_covering(seller_id=seller.pk, warehouse=warehouse, on=now.date())
    hours = agreement.sla_ship_within_working_hours if agreement else 24
    for half_hours in range(2, 153):
        released = now - dt.timedelta(minutes=30 * half_hours)
        if released < order.placed_at:
            break
        clock = sla_clock(calendar, released_at=released, ship_within_hours=hours, ship_by=order.ship_by)
        if sla_state(due=clock.due, at_risk_from=clock.at_risk_from, now=now) == SlaState.AT_RISK:
            return released
    return order.placed_at + dt.timedelta(minutes=30)


def _open_orders(
    actor: Actor,
    seller: Seller,
    accounts: dict[str, ChannelAccount],
    serials: Counter[str],
    now: dt.datetime,
) -> tuple[Counter[str], int]:
    in_stock: dict[str, set[str]] = defaultdict(set)
    for code, sku_code in StockCounter.objects.filter(owner=seller, sellable__gte=10).values_list(
        "warehouse__code", "sku__code"
    ):
        in_stock[code].add(sku_code)
    samplers = {
        plan.name: Sampler(plan, random.Random(f"{data.SEED}:open:{plan.name}"))  # noqa: S311 - demo data
        for plan in data.ACCOUNTS
    }
    staff = _staff_actors()
    kinds: Counter[str] = Counter()
    requests = 0
    for spec in OPEN:
        account = accounts[spec.account]
        serial = serials[spec.account]
        serials[spec.account] += 1
        order = order_ingest(
            actor=actor,
            account=account,
            normalised=_open_order(spec, samplers[spec.account], serial, now, in_stock),
            source="demo",
        ).order
        kinds[spec.kind.split(":")[0]] += 1
        if spec.kind in ("allocated", "backorder", "pending") or spec.kind.startswith("hold:"):
            continue
        decision = routing_decision_latest(order)
        warehouse = decision.warehouses.order_by("code").first() if decision else None
        if warehouse is None:  # not allocated after all (the demo's stock ran out): it stays backordered
            continue
        released = now - dt.timedelta(minutes=5)
        if spec.kind == "at_risk":
            released = _at_risk_release(warehouse, seller, order, now)
        elif spec.kind == "late":
            released = order.placed_at + dt.timedelta(minutes=30)
        request = fulfilment_request_create(actor=actor, order=order, warehouse=warehouse, now=released)
        requests += 1
        operator = staff.get(warehouse.operator_id, Actor.system("demo warehouse team"))
        if spec.kind in ("accepted", "started", "cancel_asked", "at_risk", "late"):
            request = fulfilment_request_accept(actor=operator, request=request)
        if spec.kind in ("started", "late"):
            request = fulfilment_request_start(actor=operator, request=request)
        if spec.kind == "cancel_asked":
            fulfilment_request_cancel_request(
                actor=actor, request=request, reason="The buyer asked for another size; please hold it back"
            )
    return kinds, requests


def _staff_actors() -> dict[object, Actor]:
    """The warehouse staff login of each operator (the demo's users), to act as the warehouse."""
    from haicang.parties.models import Membership

    actors: dict[object, Actor] = {}
    staff = Membership.objects.filter(role="warehouse_staff", operator__isnull=False).select_related("user")
    for membership in staff.order_by("created_at", "pk"):
        actors.setdefault(membership.operator_id, Actor.for_user(membership.user))
    return actors
