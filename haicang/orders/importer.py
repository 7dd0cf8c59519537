"""The ``orders`` import kind: orders from a CSV or Excel file, **one row per line**, grouped into orders by
(channel account, external id). The order's own values (times, status, amounts, ship-to) are read from the
group's first row.

The ship-to's name, company, street lines, phone and e-mail and the buyer's note are **personal** columns:
the framework seals the upload at rest, masks those values in the preview and problems, and deletes the file
once the job ends (docs/exchange.md). Reasons never quote them.

Every order is checked first (the account is the seller's and active, the rows read into a normalised order);
then the orders are ingested — :func:`haicang.orders.ingest_many.orders_ingest_many`: what
:func:`haicang.orders.services.order_ingest` does for each, in batches — in the framework's one transaction,
so a file re-imported updates its orders, never duplicates them, and bad addresses or unmapped SKUs put orders
on hold rather than failing the file.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.utils.translation import gettext_lazy as _

from haicang.channels.models import AccountStatus, ChannelAccount
from haicang.channels.normalised import NormalisedOrder, PayloadInvalid, Platform
from haicang.exchange.errors import RowsRejected
from haicang.exchange.mapping import ColumnSpec, MappedRow, MappedTable
from haicang.exchange.problems import Problem
from haicang.exchange.registry import ImportContext, Importer, Progress, Validation
from haicang.orders.errors import OrdersErrorCode as C
from haicang.orders.ingest_many import collector_quiet, orders_ingest_many
from haicang.orders.normalised_input import order_parse

CHECK_SHARE = 10  # percent of the apply step's progress that checking every order again takes
ACCOUNT_UNKNOWN = "orders.account_unknown"
ACCOUNT_DISABLED = "orders.account_disabled"
ORDER_INVALID = "orders.input_invalid"


def _c(
    name: str, description: Any, *synonyms: str, required: bool = False, personal: bool = False
) -> ColumnSpec:
    return ColumnSpec(name, required=required, description=description, synonyms=synonyms, personal=personal)


class OrdersImporter(Importer):
    kind = "orders"
    label = _("Orders")
    description = _("Orders from your sales channels, one row per order line, grouped by the order id.")
    columns = (
        _c(
            "channel_account",
            _("The channel account's name."),
            "account",
            "store",
            "shop",
            "店铺",
            required=True,
        ),
        _c("external_id", _("The order id on the platform."), "order_id", "order", "订单号", required=True),
        _c(
            "placed_at",
            _("When it was placed (ISO 8601 with a time zone)."),
            "order_date",
            "下单时间",
            required=True,
        ),
        _c(
            "channel_sku",
            _("The SKU as the platform knows it."),
            "sku",
            "seller_sku",
            "平台SKU",
            required=True,
        ),
        _c("quantity", _("Units of this line."), "qty", "数量", required=True),
        _c("original_quantity", _("Units first ordered (when the line shrank)."), "ordered_quantity"),
        _c(
            "line_id",
            _("The platform's id of the line (default: its place in the order)."),
            "line",
            "item_id",
        ),
        _c("title", _("The line's product title."), "product", "item_title"),
        _c("unit_price", _("Price of one unit."), "price", "单价"),
        _c(
            "discount",
            _("Discount of the line."),
        ),
        _c(
            "tax",
            _("Tax of the line."),
        ),
        _c("price_includes_tax", _("Whether the price includes tax (yes/no)."), "tax_included"),
        _c("currency", _("ISO 4217 currency (default: the account's)."), "币种"),
        _c(
            "status",
            _("pending, unshipped, partially_shipped, shipped, delivered, cancelled, on_hold."),
            "order_status",
        ),
        _c("parent_external_id", _("The platform's parent order, when there is one."), "parent_order_id"),
        _c("display_ref", _("The order's reference as the seller reads it."), "reference"),
        _c(
            "paid_at",
            _("When it was paid."),
        ),
        _c("ship_by", _("The platform's ship-by deadline."), "latest_ship_date"),
        _c("deliver_by", _("The platform's deliver-by deadline."), "latest_delivery_date"),
        _c("shipping_charged", _("Shipping the buyer paid."), "shipping"),
        _c(
            "commission",
            _("The platform's commission."),
        ),
        _c("service_level", _("Shipping option."), "shipping_method"),
        _c("ship_country", _("Ship-to country (ISO 3166-1 alpha-2)."), "country", "国家"),
        _c("ship_postcode", _("Ship-to postcode."), "postcode", "zip", "邮编"),
        _c("ship_city", _("Ship-to city."), "city", "城市"),
        _c("ship_region", _("Ship-to state or province."), "state", "province", "region"),
        _c("ship_name", _("Recipient's name."), "name", "recipient", "收件人", personal=True),
        _c("ship_company", _("Recipient's company."), "company", personal=True),
        _c("ship_street1", _("Street, first line."), "address1", "street", "地址", personal=True),
        _c("ship_street2", _("Street, second line."), "address2", personal=True),
        _c("ship_phone", _("Recipient's phone."), "phone", "电话", personal=True),
        _c("ship_email", _("Recipient's e-mail."), "email", "邮箱", personal=True),
        _c("buyer_note", _("The buyer's note."), "note", personal=True),
    )
    permission = "orders:write"
    party_kinds = ("seller",)
    contains_personal_data = True
    # a marketplace's order export at go-live or a busy season: 200,000 orders are about 360,000 rows, 90 MB
    max_rows = 1_000_000
    max_file_bytes = 256 * 1024 * 1024

    def problem_label(self, code: str) -> object:
        return {
            ACCOUNT_UNKNOWN: _("There is no channel account of yours with this name."),
            ACCOUNT_DISABLED: _("This channel account is disabled."),
            ORDER_INVALID: _("This order cannot be read."),
            C.PLATFORM_MISMATCH: _("The order comes from another platform than the channel account."),
            "channels.payload_invalid": _("This order cannot be read."),
        }.get(code)

    def _groups(self, table: MappedTable) -> dict[tuple[str, str], list[MappedRow]]:
        groups: dict[tuple[str, str], list[MappedRow]] = {}
        for row in table.rows:
            account = " ".join(row.values.get("channel_account", "").split())
            external_id = row.values.get("external_id", "").strip()
            groups.setdefault((account, external_id), []).append(row)
        return groups

    @staticmethod
    def _order_data(rows: list[MappedRow]) -> dict[str, Any]:
        first: Mapping[str, str] = rows[0].values

        def v(name: str) -> str:
            return first.get(name, "").strip()

        ship_to: dict[str, Any] = {}
        if v("ship_country"):
            ship_to = {
                "country": v("ship_country"),
                "postcode": v("ship_postcode"),
                "city": v("ship_city"),
                "region": v("ship_region"),
                "name": v("ship_name"),
                "company": v("ship_company"),
                "street_lines": [line for line in (v("ship_street1"), v("ship_street2")) if line],
                "phone": v("ship_phone"),
                "email": v("ship_email"),
            }
        data: dict[str, Any] = {
            key: v(key)
            for key in (
                "external_id",
                "parent_external_id",
                "display_ref",
                "placed_at",
                "paid_at",
                "ship_by",
                "deliver_by",
                "status",
                "currency",
                "shipping_charged",
                "commission",
                "service_level",
                "buyer_note",
            )
            if v(key)
        }
        data["ship_to"] = ship_to or None
        data["lines"] = [
            {
                key: value
                for key, value in {
                    "channel_sku": row.values.get("channel_sku", "").strip(),
                    "channel_line_id": row.values.get("line_id", "").strip() or str(n),
                    "quantity": row.values.get("quantity", "").strip(),
                    "original_quantity": row.values.get("original_quantity", "").strip(),
                    "title": row.values.get("title", "").strip(),
                    "unit_price": row.values.get("unit_price", "").strip(),
                    "discount": row.values.get("discount", "").strip(),
                    "tax": row.values.get("tax", "").strip(),
                    "price_includes_tax": row.values.get("price_includes_tax", "").strip(),
                }.items()
                if value != ""
            }
            for n, row in enumerate(rows, start=1)
        ]
        return data

    def _check(
        self, context: ImportContext, table: MappedTable, progress: Progress
    ) -> tuple[list[Problem], list[tuple[ChannelAccount, NormalisedOrder]]]:
        problems: list[Problem] = []
        plan: list[tuple[ChannelAccount, NormalisedOrder]] = []
        if not all(table.has(c.name) for c in self.columns if c.required):
            return problems, plan
        accounts = {a.name: a for a in ChannelAccount.objects.filter(seller_id=context.owner.pk)}
        groups = self._groups(table)
        columns = {c.name for c in self.columns}
        for n, ((name, _external_id), rows) in enumerate(groups.items(), start=1):
            first = rows[0].row
            account = accounts.get(name)
            if account is None:
                problems.append(
                    Problem(first, "channel_account", ACCOUNT_UNKNOWN, f"no channel account {name!r}")
                )
                continue
            if account.status != AccountStatus.ACTIVE:
                problems.append(Problem(first, "channel_account", ACCOUNT_DISABLED, f"{name!r} is disabled"))
                continue
            try:
                normalised = order_parse(
                    self._order_data(rows),
                    platform=Platform(account.platform),
                    default_currency=account.currency,
                )
            except PayloadInvalid as exc:
                field = (exc.field or "").removeprefix("ship_to.")
                column = (
                    field if field in columns else (f"ship_{field}" if f"ship_{field}" in columns else None)
                )
                problems.append(Problem(first, column, exc.code, exc.detail))
                continue
            plan.append((account, normalised))
            if n % 200 == 0:
                progress(n, len(groups), "")
        return problems, plan

    def validate(self, context: ImportContext, table: MappedTable, progress: Progress) -> Validation:
        with collector_quiet():  # hundreds of thousands of orders read: see ingest_many
            problems, plan = self._check(context, table, progress)
        return Validation(problems, counts={"orders": len(plan), "lines": len(table.rows)})

    def apply(self, context: ImportContext, table: MappedTable, progress: Progress) -> dict[str, int]:
        # One bar for both steps, counted in orders: checking them all again is its first CHECK_SHARE percent.
        def checking(done: int, total: int | None = None, message: str = "") -> None:
            if total:
                progress(done * CHECK_SHARE // 100, total, message)

        def ingesting(done: int, total: int) -> None:
            progress((total * CHECK_SHARE + done * (100 - CHECK_SHARE)) // 100, total)

        with collector_quiet():
            problems, plan = self._check(context, table, checking)
        if problems:
            raise RowsRejected(problems)
        # in batches: a few statements per batch of orders rather than a dozen per order (ingest_many)
        return orders_ingest_many(actor=context.actor, items=plan, source="import", progress=ingesting)


ORDERS_IMPORTER = OrdersImporter()
