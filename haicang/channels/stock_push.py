"""Pushing each channel account's available-to-sell to its platform.

The stock sync (``stock_sync.py``) keeps ``ChannelStockLevel`` per (account, SKU) and announces every change as a
``channel.stock_changed`` event whose subject version is the level's ``version``. This module consumes the same
changes from the levels themselves: a level whose ``version`` is above its ``pushed_version`` has news for the
platform. :func:`channel_stock_push_run` (the periodic job ``channels.stock-push``) takes them account by account:

1. the account's platform adapter (``connectors.stock``) and its credentials (unsealed only here, never stored
   or logged elsewhere); an account whose credentials lack what the adapter needs is noted, not pushed;
2. each level becomes one :class:`~haicang.channels.connectors.stock.StockItem` per **channel SKU mapped to its
   SKU** (reverse mapping through ``ChannelSkuMap``, with the listing's platform ids from ``ChannelSkuMap.listing``).
   Two listings of one SKU on one account **share** its quantity (split evenly, largest remainder), so the
   account never offers more than its share; a level without a mapped channel SKU, or whose listing lacks the
   platform's ids, is noted;
3. the adapter groups the items into calls and builds each signed :class:`PreparedRequest`; a **transport**
   sends it. The default transport is :class:`SandboxTransport`: **built, not sent** — it keeps the requests for
   inspection and answers "accepted"; a live transport (HTTP with retries and rate limits) takes its place when
   Haicang is allowed to call the platforms;
4. a level whose calls were accepted gets ``pushed_version`` = the version pushed, ``pushed_quantity``,
   ``pushed_at`` and a note of what was skipped; one the transport refused keeps its ``pushed_version`` (tried
   again next run) with the platform's answer as its note; a level that cannot be pushed (no mapping, missing
   ids or credentials, a platform without an adapter) is marked done with the reason — changing the mapping or
   the account's credentials makes it due again (:func:`levels_push_again`).

Quantities are sent as absolute values, so a repeated call never drifts the platform's count. **One run at a
time**: a run takes a lease (the ``stock-push`` row of ``StockSyncCursor``, 5 minutes) without holding a database
lock while it sends, so a slow platform never blocks other writers; a second run meanwhile does nothing. Only
active accounts are pushed (a disabled account's listings are left as they are).
"""

from __future__ import annotations

import logging
import uuid
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import NamedTuple, Protocol
from urllib.parse import urlsplit

from django.db import transaction
from django.db.models import F
from django.utils import timezone

from haicang.channels.connectors import stock_push_adapter_for
from haicang.channels.connectors.base import PreparedRequest
from haicang.channels.connectors.stock import StockItem, StockPushAdapter
from haicang.channels.models import (
    AccountStatus,
    ChannelAccount,
    ChannelSkuMap,
    ChannelStockLevel,
    StockSyncCursor,
)
from haicang.channels.normalised import PayloadInvalid
from haicang.core.allocation import allocate_units

logger = logging.getLogger(__name__)

LEASE = "stock-push"
LEASE_FOR = timedelta(minutes=5)
NOTE_LENGTH = 300


class PushResult(NamedTuple):
    accepted: bool
    note: str = ""  # the platform's answer when refused (never a secret)


class StockPushTransport(Protocol):
    """Sends a prepared request and says whether the platform accepted it. It must not raise for a refusal."""

    def send(self, request: PreparedRequest) -> PushResult: ...


class SandboxTransport:
    """Built, not sent: keeps every prepared request in :attr:`sent` (this process only) and answers
    "accepted". It logs the method, host and path and the body's size — never headers (tokens) nor bodies."""

    def __init__(self) -> None:
        self.sent: list[PreparedRequest] = []

    def send(self, request: PreparedRequest) -> PushResult:
        self.sent.append(request)
        url = urlsplit(request.url)
        logger.info(
            "stock push (sandbox, not sent): %s %s%s, %d bytes",
            request.method,
            url.netloc,
            url.path,
            len(request.body),
        )
        return PushResult(True, "sandbox: built, not sent")


@dataclass
class PushReport:
    levels: int = 0  # levels looked at
    requests: int = 0  # prepared requests handed to the transport
    pushed: int = 0  # levels whose quantity the platform accepted
    skipped: int = 0  # levels that cannot be pushed (noted)
    failed: int = 0  # levels whose call the transport refused (tried again)
    busy: bool = False  # another run holds the lease


# --- the lease -----------------------------------------------------------------------------------------------
def _lease_take() -> bool:
    """Take the run's lease: the ``stock-push`` row's ``updated_at`` is the lease's expiry; it is taken (one
    guarded update, no lock kept) when that lies in the past — a new row's creation time does."""
    StockSyncCursor.objects.bulk_create(
        [StockSyncCursor(name=LEASE)], ignore_conflicts=True, unique_fields=["name"]
    )
    moment = timezone.now()
    taken = StockSyncCursor.objects.filter(name=LEASE, updated_at__lte=moment).update(
        updated_at=moment + LEASE_FOR
    )
    return taken == 1


def _lease_release() -> None:
    StockSyncCursor.objects.filter(name=LEASE).update(updated_at=timezone.now() - timedelta(seconds=1))


# --- the run -------------------------------------------------------------------------------------------------
@dataclass
class _Outcome:
    level: ChannelStockLevel
    notes: list[str] = field(default_factory=list)
    refused: list[str] = field(default_factory=list)
    sent: bool = False


def channel_stock_push_run(
    *, transport: StockPushTransport | None = None, limit: int = 500, now: datetime | None = None
) -> PushReport:
    """Push up to ``limit`` levels whose quantity the platforms have not been sent yet (see the module's
    docstring). ``transport`` defaults to a :class:`SandboxTransport`."""
    transport = transport or SandboxTransport()
    now = now or timezone.now()
    report = PushReport()
    if not _lease_take():
        report.busy = True
        return report
    try:
        due = list(
            ChannelStockLevel.objects.filter(
                version__gt=F("pushed_version"), account__status=AccountStatus.ACTIVE
            )
            .select_related("account")
            .order_by("account_id", "computed_at", "pk")[:limit]
        )
        report.levels = len(due)
        by_account: dict[uuid.UUID, list[ChannelStockLevel]] = defaultdict(list)
        for level in due:
            by_account[level.account_id].append(level)
        for levels in by_account.values():
            _push_account(levels[0].account, levels, transport, now, report)
    finally:
        _lease_release()
    return report


def _push_account(
    account: ChannelAccount,
    levels: Sequence[ChannelStockLevel],
    transport: StockPushTransport,
    now: datetime,
    report: PushReport,
) -> None:
    from haicang.channels.services import channel_account_credentials

    outcomes = {level.pk: _Outcome(level) for level in levels}
    adapter = stock_push_adapter_for(account.platform)
    if adapter is None:
        _skip_all(outcomes, f"Haicang cannot push stock to {account.platform}", now, report)
        return
    try:
        credentials = adapter.credentials_check(channel_account_credentials(account))
    except PayloadInvalid as exc:
        _skip_all(outcomes, f"not pushed: {exc.detail}", now, report)
        return
    owners: list[tuple[StockItem, uuid.UUID]] = []
    for level, items in _items(account, levels, adapter, outcomes):
        owners.extend((item, level.pk) for item in items)
    owner_of = {id(item): level_id for item, level_id in owners}
    for batch in adapter.batches([item for item, _ in owners]):
        request = adapter.build_request(credentials, batch, now=now)
        result = transport.send(request)
        report.requests += 1
        for item in batch:
            outcome = outcomes[owner_of[id(item)]]
            if result.accepted:
                outcome.sent = True
            else:
                outcome.refused.append(f"{item.channel_sku}: {result.note or 'refused'}")
    _record(outcomes.values(), now, report)


def _items(
    account: ChannelAccount,
    levels: Sequence[ChannelStockLevel],
    adapter: StockPushAdapter,
    outcomes: dict[uuid.UUID, _Outcome],
) -> Iterable[tuple[ChannelStockLevel, list[StockItem]]]:
    """Each level's items: one per channel SKU mapped to its SKU, the quantity split evenly between them."""
    maps: dict[uuid.UUID, list[ChannelSkuMap]] = defaultdict(list)
    for mapping in ChannelSkuMap.objects.filter(
        account=account, sku_id__in=[lv.sku_id for lv in levels]
    ).order_by("channel_sku"):
        maps[mapping.sku_id].append(mapping)
    for level in levels:
        listings = maps.get(level.sku_id, [])
        if not listings:
            outcomes[level.pk].notes.append("no channel SKU of the account is mapped to this SKU")
            continue
        shares = (
            allocate_units(int(level.quantity), [1] * len(listings))
            if level.quantity
            else [0] * len(listings)
        )
        items: list[StockItem] = []
        for mapping, quantity in zip(listings, shares, strict=True):
            listing = {str(k): str(v) for k, v in (mapping.listing or {}).items()}
            item = StockItem(mapping.channel_sku, quantity, listing)
            missing = adapter.missing(item)
            if missing:
                outcomes[level.pk].notes.append(
                    f"{mapping.channel_sku}: the listing needs {', '.join(missing)}"
                )
                continue
            items.append(item)
        yield level, items


def _skip_all(outcomes: dict[uuid.UUID, _Outcome], note: str, now: datetime, report: PushReport) -> None:
    for outcome in outcomes.values():
        outcome.notes.append(note)
    _record(outcomes.values(), now, report)


def _record(outcomes: Iterable[_Outcome], now: datetime, report: PushReport) -> None:
    """Write each level's push state (guarded: a run never moves ``pushed_version`` backwards)."""
    with transaction.atomic():
        for outcome in outcomes:
            level = outcome.level
            note = "; ".join([*outcome.refused, *outcome.notes])[:NOTE_LENGTH]
            rows = ChannelStockLevel.objects.filter(pk=level.pk)
            if outcome.refused:
                rows.update(push_note=note)
                report.failed += 1
                continue
            rows.filter(pushed_version__lt=level.version).update(
                pushed_version=level.version,
                pushed_quantity=level.quantity if outcome.sent else F("pushed_quantity"),
                pushed_at=now if outcome.sent else F("pushed_at"),
                push_note=note,
            )
            if outcome.sent:
                report.pushed += 1
            else:
                report.skipped += 1


def levels_push_again(*, account_id: uuid.UUID, sku_ids: Iterable[uuid.UUID] | None = None) -> int:
    """Make the account's levels (of ``sku_ids``, or all) due again: its mapping or credentials changed."""
    rows = ChannelStockLevel.objects.filter(account_id=account_id, pushed_version__gt=0)
    if sku_ids is not None:
        rows = rows.filter(sku_id__in=list(sku_ids))
    return rows.update(pushed_version=0)
