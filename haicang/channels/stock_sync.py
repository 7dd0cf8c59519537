"""Channel stock sync: which warehouses an account sells from, its sharing rules, and the available-to-sell per
account and SKU kept up to date from the inventory's ``stock.available_changed`` outbox events.

Writes (each rule and warehouse change audited): :func:`channel_account_warehouses_set`,
:func:`stock_share_rule_set`, :func:`stock_share_rule_delete`. They recompute the levels they affect in their
own transaction. :func:`channel_stock_recompute` recomputes some SKUs of a seller; :func:`channel_stock_sync_run`
(the periodic job ``channels.stock-sync``) reads the outbox from its stored cursor and recomputes every SKU an
event names. A level that changes is written with its version bumped and a ``channel.stock_changed`` outbox
event (seller only) in the same transaction. Levels are a derived cache (like the inventory's counters): their
changes are announced by events, not audited one by one. ``stock_push.py`` hands the changed levels to the
platforms.

**Kits** have levels too: a recompute of a SKU also recomputes the kits that hold it (and their other
components); a kit's level is ``stock_share_rules.kit_quantities`` of its components' levels on the account.

**Ordering.** Every recompute first locks the sync's cursor row (one writer at a time; SQLite serialises
writers anyway), then reads the stock counters: a recompute never overwrites a newer one with an older view.

**The cursor.** Event ids are UUIDv7 (time-ordered), taken when the event is built inside its transaction, so
an event may commit a little after one with a higher id. The job reads every event after its cursor but stores
a cursor no later than :data:`LAG` before now: the last ``LAG`` seconds are read again by the next run, which is
harmless (a recompute that changes nothing writes nothing) and catches an event that committed late.
"""

from __future__ import annotations

import uuid
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import timedelta
from decimal import Decimal, InvalidOperation
from typing import Any

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from haicang.catalog.models import KitComponent, Sku
from haicang.channels.errors import AccountDisabled, ShareRuleInvalid, SkuOtherSeller, WarehouseInvalid
from haicang.channels.models import (
    AccountStatus,
    ChannelAccount,
    ChannelStockLevel,
    RuleMode,
    StockShareRule,
    StockSyncCursor,
)
from haicang.channels.stock_share_rules import (
    DEFAULT_RULE,
    AccountShare,
    ShareMode,
    ShareRule,
    kit_quantities,
    share_stock,
)
from haicang.core.actors import Actor
from haicang.core.audit import audit_record
from haicang.integration.catalogue import CHANNEL_STOCK_CHANGED, STOCK_AVAILABLE_CHANGED
from haicang.integration.models import OutboxEvent
from haicang.integration.outbox import Subject, outbox_event_build
from haicang.inventory.models import StockCounter
from haicang.network.models import Warehouse
from haicang.parties.models import AgreementStatus, ServiceAgreement

CURSOR = "stock-sync"
LAG = timedelta(seconds=30)
SUBJECT_TYPE = "channels.stock_level"
MAX_FIXED = 1_000_000_000
MAX_BUFFER = 1_000_000_000


# --- the lock and the cursor ---------------------------------------------------------------------------------
def _cursor_lock() -> StockSyncCursor:
    """The sync's cursor row, locked until the transaction ends (created on first use)."""
    StockSyncCursor.objects.bulk_create(
        [StockSyncCursor(name=CURSOR)], ignore_conflicts=True, unique_fields=["name"]
    )
    now = timezone.now()
    StockSyncCursor.objects.filter(name=CURSOR).update(updated_at=now)  # takes the row lock on PostgreSQL
    return StockSyncCursor.objects.get(name=CURSOR)


def uuid7_floor(moment: Any) -> uuid.UUID:
    """The smallest UUIDv7 of ``moment``'s millisecond: every id made at or after it sorts after this one."""
    ms = int(moment.timestamp() * 1000)
    return uuid.UUID(int=(ms << 80) | (0x7 << 76) | (0b10 << 62))


# --- recompute -----------------------------------------------------------------------------------------------
@dataclass
class RecomputeReport:
    skus: int = 0
    changed: int = 0


def _rule(row: StockShareRule | None) -> ShareRule:
    if row is None:
        return DEFAULT_RULE
    if row.mode == RuleMode.FIXED:
        return ShareRule(mode=ShareMode.FIXED, value=int(row.quantity or 0), buffer=row.buffer)
    return ShareRule(mode=ShareMode.PERCENT, value=Decimal(row.percent or 0), buffer=row.buffer)


def _kits(seller_id: uuid.UUID, skus: set[uuid.UUID]) -> dict[uuid.UUID, dict[uuid.UUID, int]]:
    """The recipes ({component: units per kit}) of the seller's kits that are in ``skus`` or contain one of them
    (a kit without components has an empty recipe)."""
    kit_ids = set(
        Sku.objects.filter(pk__in=skus, seller_id=seller_id, is_kit=True).values_list("pk", flat=True)
    )
    kit_ids |= set(
        KitComponent.objects.filter(kit__seller_id=seller_id, component_id__in=skus).values_list(
            "kit_id", flat=True
        )
    )
    recipes: dict[uuid.UUID, dict[uuid.UUID, int]] = {kit: {} for kit in kit_ids}
    for kit_id, component_id, units in KitComponent.objects.filter(kit_id__in=kit_ids).values_list(
        "kit_id", "component_id", "quantity"
    ):
        recipes[kit_id][component_id] = units
    return recipes


def _recompute(seller_id: uuid.UUID, sku_ids: Iterable[uuid.UUID]) -> RecomputeReport:
    """Recompute ``sku_ids`` of the seller — with the kits that contain them and the components of those kits —
    for all its accounts (inside the caller's locked transaction)."""
    wanted = set(sku_ids)
    report = RecomputeReport(skus=len(wanted))
    if not wanted:
        return report
    recipes = _kits(seller_id, wanted)
    plain = sorted((wanted | {c for r in recipes.values() for c in r}) - set(recipes), key=str)
    kits = sorted(recipes, key=str)
    skus = [*plain, *kits]
    report.skus = len(skus)
    accounts = list(ChannelAccount.objects.filter(seller_id=seller_id).order_by("pk"))
    active = [a for a in accounts if a.status == AccountStatus.ACTIVE]
    served: dict[uuid.UUID, set[uuid.UUID]] = defaultdict(set)
    for account_id, warehouse_id in ChannelAccount.warehouses.through.objects.filter(
        channelaccount__in=[a.pk for a in active]
    ).values_list("channelaccount_id", "warehouse_id"):
        served[account_id].add(warehouse_id)
    rules: dict[tuple[uuid.UUID, uuid.UUID | None], StockShareRule] = {}
    for row in StockShareRule.objects.filter(
        Q(sku__isnull=True) | Q(sku__in=skus), account__in=[a.pk for a in active]
    ):
        rules[(row.account_id, row.sku_id)] = row
    available: dict[uuid.UUID, dict[uuid.UUID, int]] = defaultdict(dict)
    warehouses = set().union(*served.values()) if served else set()
    for sku_id, warehouse_id, sellable, reserved in StockCounter.objects.filter(
        owner_id=seller_id, sku_id__in=plain, warehouse_id__in=warehouses
    ).values_list("sku_id", "warehouse_id", "sellable", "reserved"):
        available[sku_id][warehouse_id] = sellable - reserved
    shared: dict[uuid.UUID, dict[uuid.UUID, int]] = {}
    for sku_id in plain:
        shares = [
            AccountShare(
                account=a.pk,
                warehouses=frozenset(served.get(a.pk, ())),
                rule=_rule(rules.get((a.pk, sku_id)) or rules.get((a.pk, None))),
            )
            for a in active
        ]
        shared[sku_id] = share_stock(available.get(sku_id, {}), shares).quantities
    for kit_id in kits:
        own = {a.pk: _rule(rules[(a.pk, kit_id)]) for a in active if (a.pk, kit_id) in rules}
        recipe = recipes[kit_id]
        shared[kit_id] = kit_quantities({c: shared.get(c, {}) for c in recipe}, recipe, own)
    levels = {
        (level.account_id, level.sku_id): level
        for level in ChannelStockLevel.objects.filter(account__in=[a.pk for a in accounts], sku_id__in=skus)
    }
    now = timezone.now()
    events: list[OutboxEvent] = []
    created: list[ChannelStockLevel] = []
    for sku_id in skus:
        quantities = shared[sku_id]
        for account in accounts:
            quantity = quantities.get(account.pk, 0)  # a disabled account sells nothing
            level = levels.get((account.pk, sku_id))
            if level is None:
                if quantity == 0:
                    continue  # no row means 0: nothing to announce
                level = ChannelStockLevel(
                    account_id=account.pk, sku_id=sku_id, quantity=quantity, version=1, computed_at=now
                )
                created.append(level)
            elif level.quantity == quantity:
                continue
            else:
                updated = ChannelStockLevel.objects.filter(pk=level.pk, version=level.version).update(
                    quantity=quantity, version=level.version + 1, computed_at=now
                )
                if updated != 1:  # the cursor lock makes this impossible; never publish a stale version
                    raise RuntimeError(f"channel stock level {level.pk} changed under the sync's lock")
                level.quantity, level.version, level.computed_at = quantity, level.version + 1, now
            events.append(
                outbox_event_build(
                    event_type=CHANNEL_STOCK_CHANGED,
                    subject=Subject(SUBJECT_TYPE, str(level.pk)),
                    subject_version=level.version,
                    seller_id=seller_id,
                    occurred_at=now,
                )
            )
    ChannelStockLevel.objects.bulk_create(created)
    OutboxEvent.objects.bulk_create(events)
    report.changed = len(events)
    return report


@transaction.atomic
def channel_stock_recompute(
    *, seller_id: uuid.UUID, sku_ids: Iterable[uuid.UUID] | None = None
) -> RecomputeReport:
    """Recompute the seller's levels for ``sku_ids`` (None: every SKU it has stock counters or levels of)."""
    _cursor_lock()
    if sku_ids is None:
        sku_ids = set(
            StockCounter.objects.filter(owner_id=seller_id).values_list("sku_id", flat=True).distinct()
        ) | set(
            ChannelStockLevel.objects.filter(account__seller_id=seller_id).values_list("sku_id", flat=True)
        )
    return _recompute(seller_id, sku_ids)


@dataclass
class SyncReport:
    events: int = 0
    skus: int = 0
    changed: int = 0


def channel_stock_sync_run(*, limit: int = 500) -> SyncReport:
    """Read the ``stock.available_changed`` events after the cursor, ``limit`` per transaction, and recompute
    the SKUs they name. Idempotent: running it again changes nothing and emits nothing."""
    report = SyncReport()
    position: uuid.UUID | None = None
    while True:
        with transaction.atomic():
            cursor = _cursor_lock()
            start = position if position is not None else cursor.last_event_id
            events = OutboxEvent.objects.filter(event_type=STOCK_AVAILABLE_CHANGED)
            if start is not None:
                events = events.filter(pk__gt=start)
            batch = list(events.order_by("pk").values_list("pk", "seller_id", "subject_id")[:limit])
            wanted: dict[uuid.UUID, set[uuid.UUID]] = defaultdict(set)
            for _, seller_id, subject_id in batch:
                try:
                    wanted[seller_id].add(uuid.UUID(subject_id.split(":", 1)[0]))
                except ValueError:
                    continue  # a malformed subject names no SKU
            for seller_id in sorted(wanted, key=str):
                done = _recompute(seller_id, wanted[seller_id])
                report.skus += done.skus
                report.changed += done.changed
            report.events += len(batch)
            if batch:
                position = batch[-1][0]
            settled = uuid7_floor(timezone.now() - LAG)
            if position is not None:
                new = min(position, settled)
                if cursor.last_event_id is None or new > cursor.last_event_id:
                    StockSyncCursor.objects.filter(pk=cursor.pk).update(last_event_id=new)
        if len(batch) < limit:
            return report


# --- warehouses and rules ------------------------------------------------------------------------------------
def _active(account: ChannelAccount) -> ChannelAccount:
    account = ChannelAccount.objects.select_for_update().get(pk=account.pk)
    if account.status != AccountStatus.ACTIVE:
        raise AccountDisabled(f"channel account {account.name!r} is disabled")
    return account


def seller_warehouses(seller_id: uuid.UUID) -> Any:
    """The warehouses of the seller's active service agreements: those an account may sell from."""
    agreements = ServiceAgreement.objects.filter(seller_id=seller_id, status=AgreementStatus.ACTIVE)
    return Warehouse.objects.filter(agreements__in=agreements).distinct().order_by("code")


@transaction.atomic
def channel_account_warehouses_set(
    *, actor: Actor, account: ChannelAccount, warehouses: Sequence[Warehouse]
) -> ChannelAccount:
    """The warehouses whose stock ``account`` sells (replaces the set); each must be in an active agreement of
    the account's seller. Recomputes the seller's levels."""
    account = _active(account)
    allowed = set(seller_warehouses(account.seller_id).values_list("pk", flat=True))
    chosen = {w.pk: w for w in warehouses}
    for warehouse in chosen.values():
        if warehouse.pk not in allowed:
            raise WarehouseInvalid(
                f"{warehouse.code} is not a warehouse of an active agreement of the seller",
                field="warehouses",
            )
    before = sorted(account.warehouses.values_list("code", flat=True))
    after = sorted(w.code for w in chosen.values())
    if before == after:
        return account
    account.warehouses.set(list(chosen.values()))
    audit_record(
        actor=actor,
        action="channel_account.warehouses_set",
        subject=account,
        before={"warehouses": before},
        after={"warehouses": after},
    )
    channel_stock_recompute(seller_id=account.seller_id)
    return account


def _rule_values(
    mode: str, percent: Any, quantity: Any, buffer: Any
) -> tuple[Decimal | None, int | None, int]:
    def whole(value: Any, field: str, top: int) -> int:
        if isinstance(value, bool):
            raise ShareRuleInvalid(f"{field} is a whole number", field=field)
        try:
            number = int(str(value).strip())
        except (TypeError, ValueError):
            raise ShareRuleInvalid(f"{field} is a whole number", field=field) from None
        if not 0 <= number <= top:
            raise ShareRuleInvalid(f"{field} is from 0 to {top:,}", field=field)
        return number

    units = whole(buffer if buffer not in (None, "") else 0, "buffer", MAX_BUFFER)
    if mode == RuleMode.FIXED:
        return None, whole(quantity, "quantity", MAX_FIXED), units
    if mode != RuleMode.PERCENT:
        raise ShareRuleInvalid("a share is a percent of the pool or a fixed quantity", field="mode")
    if isinstance(percent, float | bool):
        raise ShareRuleInvalid("give the percent as text or a decimal, never a float", field="percent")
    try:
        value = Decimal(str(percent).strip().rstrip("%"))
    except (InvalidOperation, ValueError):
        raise ShareRuleInvalid("a percent is a number from 0 to 100", field="percent") from None
    if not value.is_finite() or not 0 <= value <= 100 or value != value.quantize(Decimal("0.01")):
        raise ShareRuleInvalid("a percent is from 0 to 100, with at most 2 decimals", field="percent")
    return value.quantize(Decimal("0.01")), None, units


def _rule_snapshot(rule: StockShareRule) -> dict[str, object]:
    return {
        "sku": rule.sku.code if rule.sku_id and rule.sku else None,
        "mode": rule.mode,
        "percent": str(rule.percent) if rule.percent is not None else None,
        "quantity": rule.quantity,
        "buffer": rule.buffer,
    }


@transaction.atomic
def stock_share_rule_set(
    *,
    actor: Actor,
    account: ChannelAccount,
    sku: Sku | None = None,
    mode: str,
    percent: Decimal | str | None = None,
    quantity: int | None = None,
    buffer: int = 0,
) -> StockShareRule:
    """Set the account's share of ``sku`` (None: its default for SKUs without a rule): ``mode`` ``percent`` with
    ``percent`` (0–100, 2 decimals) or ``fixed`` with ``quantity`` units, and a safety ``buffer`` of units held
    back. Creates or replaces the rule and recomputes what it affects."""
    account = _active(account)
    if sku is not None and sku.seller_id != account.seller_id:
        raise SkuOtherSeller("the SKU belongs to another seller than the channel account", field="sku")
    value_percent, value_quantity, units = _rule_values(mode, percent, quantity, buffer)
    existing = (
        StockShareRule.objects.select_for_update().filter(account=account, sku=sku).order_by("pk").first()
    )
    rule = existing or StockShareRule(account=account, sku=sku)
    before = _rule_snapshot(rule) if existing else None
    rule.mode, rule.percent, rule.quantity, rule.buffer = mode, value_percent, value_quantity, units
    after = _rule_snapshot(rule)
    if before == after:
        return rule
    rule.save()
    audit_record(
        actor=actor,
        action="stock_share_rule.changed" if existing else "stock_share_rule.created",
        subject=rule,
        before=before,
        after={**after, "account": account.name},
    )
    channel_stock_recompute(seller_id=account.seller_id, sku_ids=None if sku is None else [sku.pk])
    return rule


@transaction.atomic
def stock_share_rule_delete(*, actor: Actor, rule: StockShareRule) -> None:
    """Remove a rule: the SKU falls back to the account's default, the default to 100 % without a buffer."""
    seller_id = rule.account.seller_id
    sku_id = rule.sku_id
    audit_record(actor=actor, action="stock_share_rule.deleted", subject=rule, before=_rule_snapshot(rule))
    rule.delete()
    channel_stock_recompute(seller_id=seller_id, sku_ids=None if sku_id is None else [sku_id])
