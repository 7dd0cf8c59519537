"""The ``channel_sku_map`` import kind: a file of channel SKUs and the seller's SKUs (or kits) they stand for.

Columns: ``channel_account`` (the account's name), ``channel_sku``, ``sku_code``. Every row is checked first
(the account is the seller's and active, the channel SKU is valid and appears once per account in the file,
the SKU exists); then every row is written in the framework's one transaction. A row that maps a channel SKU
already mapped replaces the mapping. Registered from ``ChannelsConfig.ready()``; see docs/exchange.md.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from haicang.catalog.models import Sku
from haicang.channels.errors import ChannelsErrorCode as C
from haicang.channels.errors import ChannelSkuInvalid
from haicang.channels.models import AccountStatus, ChannelAccount, ChannelSkuMap
from haicang.channels.services import channel_sku_check, channel_sku_map_set
from haicang.exchange.errors import RowsRejected
from haicang.exchange.mapping import ColumnSpec, MappedTable
from haicang.exchange.problems import Problem
from haicang.exchange.registry import ImportContext, Importer, Progress, Validation

DUPLICATE = "channels.row_duplicate"


class ChannelSkuMapImporter(Importer):
    kind = "channel_sku_map"
    label = _("Channel SKU mapping")
    description = _("Which of your SKUs or kits each marketplace SKU stands for, per channel account.")
    columns = (
        ColumnSpec(
            "channel_account",
            required=True,
            description=_("The channel account's name."),
            synonyms=("account", "store", "shop", "店铺"),
        ),
        ColumnSpec(
            "channel_sku",
            required=True,
            description=_("The SKU as the marketplace knows it."),
            synonyms=("platform_sku", "marketplace_sku", "seller_sku", "平台SKU"),
        ),
        ColumnSpec(
            "sku_code",
            required=True,
            description=_("Your SKU or kit it stands for."),
            synonyms=("sku", "货号"),
        ),
    )
    permission = "orders:write"
    party_kinds = ("seller",)

    def problem_label(self, code: str) -> object:
        return {
            C.ACCOUNT_UNKNOWN: _("There is no channel account of yours with this name."),
            C.ACCOUNT_DISABLED: _("This channel account is disabled."),
            C.CHANNEL_SKU_INVALID: _("A channel SKU has 1 to 200 printable characters."),
            C.SKU_UNKNOWN: _("There is no SKU of yours with this code."),
            DUPLICATE: _("This channel SKU of this account is already in an earlier row."),
        }.get(code)

    def _check(
        self, context: ImportContext, table: MappedTable, progress: Progress
    ) -> tuple[list[Problem], list[tuple[ChannelAccount, str, Sku]]]:
        problems: list[Problem] = []
        plan: list[tuple[ChannelAccount, str, Sku]] = []
        if not all(table.has(c.name) for c in self.columns):
            return problems, plan
        seller_id = context.owner.pk
        accounts = {a.name: a for a in ChannelAccount.objects.filter(seller_id=seller_id)}
        codes = {row.values.get("sku_code", "").strip() for row in table.rows}
        skus = {s.code: s for s in Sku.objects.filter(seller_id=seller_id, code__in=codes)}
        seen: dict[tuple[str, str], int] = {}
        for n, row in enumerate(table.rows, start=1):
            name = " ".join(row.values.get("channel_account", "").split())
            account = accounts.get(name)
            if account is None:
                problems.append(
                    Problem(row.row, "channel_account", C.ACCOUNT_UNKNOWN, f"no channel account {name!r}")
                )
            elif account.status != AccountStatus.ACTIVE:
                problems.append(
                    Problem(row.row, "channel_account", C.ACCOUNT_DISABLED, f"{name!r} is disabled")
                )
            try:
                channel_sku = channel_sku_check(row.values.get("channel_sku", ""))
            except ChannelSkuInvalid as exc:
                problems.append(Problem(row.row, "channel_sku", C.CHANNEL_SKU_INVALID, exc.detail))
                channel_sku = ""
            if channel_sku and (name, channel_sku) in seen:
                problems.append(
                    Problem(row.row, "channel_sku", DUPLICATE, f"already in row {seen[(name, channel_sku)]}")
                )
            elif channel_sku:
                seen[(name, channel_sku)] = row.row
            code = row.values.get("sku_code", "").strip()
            sku = skus.get(code)
            if sku is None:
                problems.append(Problem(row.row, "sku_code", C.SKU_UNKNOWN, f"no SKU {code!r}"))
            if account is not None and sku is not None and channel_sku:
                plan.append((account, channel_sku, sku))
            if n % 500 == 0:
                progress(n, len(table.rows))
        return problems, plan

    def validate(self, context: ImportContext, table: MappedTable, progress: Progress) -> Validation:
        problems, plan = self._check(context, table, progress)
        existing = {
            (m.account_id, m.channel_sku): m.sku_id
            for m in ChannelSkuMap.objects.filter(account__seller_id=context.owner.pk)
        }
        created = sum(1 for a, c, _s in plan if (a.pk, c) not in existing)
        changed = sum(1 for a, c, s in plan if (a.pk, c) in existing and existing[(a.pk, c)] != s.pk)
        return Validation(problems, counts={"created": created, "changed": changed})

    def apply(self, context: ImportContext, table: MappedTable, progress: Progress) -> dict[str, int]:
        problems, plan = self._check(context, table, progress)
        if problems:
            raise RowsRejected(problems)
        before = {
            (m.account_id, m.channel_sku): m.sku_id
            for m in ChannelSkuMap.objects.filter(account__seller_id=context.owner.pk)
        }
        counts = {"created": 0, "changed": 0, "unchanged": 0}
        for account, channel_sku, sku in plan:
            old = before.get((account.pk, channel_sku))
            channel_sku_map_set(actor=context.actor, account=account, channel_sku=channel_sku, sku=sku)
            key = "created" if old is None else ("unchanged" if old == sku.pk else "changed")
            counts[key] += 1
        return counts


CHANNEL_SKU_MAP_IMPORTER = ChannelSkuMapImporter()
