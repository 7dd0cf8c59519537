"""The ``rate_card`` import kind: one CSV/Excel file is one rate card of one carrier service.

Registered from ``NetworkConfig.ready()``; runs through the file-exchange framework (docs/exchange.md), so the
file is mapped, every row checked, previewed, and applied all or nothing. The layout (docs/network.md):

* **Card columns** — ``service_code``, ``currency``, ``effective_from``, ``effective_to``, ``dim_divisor``,
  ``dim_threshold_mm3``, ``fuel_surcharge_pct``, ``fuel_on_surcharges``, ``residential_surcharge``,
  ``remote_surcharge`` — hold one value for the whole card. Give it on the first data row (or on every row,
  or through a mapping profile's defaults); empty cells inherit it; a different value on another row is a
  problem of that row.
* **Row columns** — ``zone``, ``country``, ``postcode_prefixes``, ``transit_days``, ``max_weight_g``,
  ``price``, ``remote_postcode_prefixes`` — describe zones. A zone covers, for each country named on its
  rows, the prefixes its rows list (``|``, ``,``, ``;`` or spaces between them) — or the whole country when
  none of its rows lists one for that country. A row with ``max_weight_g`` and ``price`` adds one weight
  break to its zone. So the usual flat sheet — one row per zone and weight, coverage repeated or given once —
  works, and so does a sheet with coverage rows and break rows apart. The ``remote_postcode_prefixes`` of a
  row are remote areas of its country.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from haicang.core.countries import country_check
from haicang.core.errors import DomainError
from haicang.core.money import Money, amount_parse, currency_check
from haicang.exchange.errors import RowsRejected
from haicang.exchange.mapping import ColumnSpec, MappedTable
from haicang.exchange.problems import Problem
from haicang.exchange.registry import ImportContext, Importer, Progress, Validation
from haicang.network.errors import RateCardInvalid
from haicang.network.models import CarrierService
from haicang.network.rates import breaks_problem
from haicang.network.services.carriers import (
    ZoneSpec,
    divisor_check,
    fuel_pct_check,
    prefix_check,
    price_check,
    rate_card_create,
    rate_card_overlap_problem,
    service_code_check,
    threshold_check,
    transit_days_check,
    zone_name_check,
    zones_check,
)

_SPLIT = re.compile(r"[|,;\s]+")
_INT = re.compile(r"[0-9]{1,12}")
_TRUE = {"1", "true", "yes", "y", "是"}
_FALSE = {"0", "false", "no", "n", "否"}


class Code:
    """Problem codes of the rate-card import."""

    VALUE_INVALID = "network.rate_import.value_invalid"
    CARD_VALUE_CONFLICT = "network.rate_import.card_value_conflict"
    CARD_VALUE_MISSING = "network.rate_import.card_value_missing"
    SERVICE_UNKNOWN = "network.rate_import.service_unknown"
    COUNTRY_MISSING = "network.rate_import.country_missing"
    BREAK_INCOMPLETE = "network.rate_import.break_incomplete"
    BREAK_DUPLICATE = "network.rate_import.break_duplicate"
    AREA_DUPLICATE = "network.rate_import.area_duplicate"
    TRANSIT_CONFLICT = "network.rate_import.transit_conflict"
    CARD_INVALID = "network.rate_import.card_invalid"
    CARD_OVERLAP = "network.rate_import.card_overlap"


PROBLEM_LABELS: dict[str, Any] = {
    Code.VALUE_INVALID: _("This value is not valid here."),
    Code.CARD_VALUE_CONFLICT: _("The card already has a different value for this column on an earlier row."),
    Code.CARD_VALUE_MISSING: _("The card needs this value on at least one row."),
    Code.SERVICE_UNKNOWN: _("You have no active carrier service with this code."),
    Code.COUNTRY_MISSING: _("Postcode prefixes need a country on the same row."),
    Code.BREAK_INCOMPLETE: _("A weight break needs both a maximum weight and a price."),
    Code.BREAK_DUPLICATE: _("This zone already has a break with this maximum weight."),
    Code.AREA_DUPLICATE: _("This country and postcode prefix already belong to another zone."),
    Code.TRANSIT_CONFLICT: _("The zone already has different transit days on an earlier row."),
    Code.CARD_INVALID: _("The rate card is not valid."),
    Code.CARD_OVERLAP: _("Another rate card of the service is in effect on these dates."),
}

CARD_COLUMNS = (
    "service_code",
    "currency",
    "effective_from",
    "effective_to",
    "dim_divisor",
    "dim_threshold_mm3",
    "fuel_surcharge_pct",
    "fuel_on_surcharges",
    "residential_surcharge",
    "remote_surcharge",
)
_REQUIRED_CARD = ("service_code", "currency", "effective_from", "dim_divisor")

COLUMNS: tuple[ColumnSpec, ...] = (
    ColumnSpec("service_code", True, _("The carrier service's code (card)."), ("service", "服务代码")),
    ColumnSpec("currency", True, _("Currency of every price (card)."), ("ccy", "币种")),
    ColumnSpec("effective_from", True, _("First day the card applies, YYYY-MM-DD (card)."), ("valid_from",)),
    ColumnSpec("effective_to", False, _("Last day, YYYY-MM-DD; empty: open-ended (card)."), ("valid_to",)),
    ColumnSpec(
        "dim_divisor",
        True,
        _("Dimensional-weight divisor in cm³/kg, e.g. 5000 (card)."),
        ("divisor", "dim_factor"),
    ),
    ColumnSpec("dim_threshold_mm3", False, _("Dimensional weight only above this volume in mm³ (card).")),
    ColumnSpec("fuel_surcharge_pct", False, _("Fuel surcharge in percent (card)."), ("fuel", "fuel_pct")),
    ColumnSpec("fuel_on_surcharges", False, _("yes: fuel applies to the surcharges too (card).")),
    ColumnSpec("residential_surcharge", False, _("Per parcel to a home address (card)."), ("residential",)),
    ColumnSpec("remote_surcharge", False, _("Per parcel to a remote postcode (card)."), ("remote",)),
    ColumnSpec("zone", True, _("Zone name, e.g. 2 or EU-1."), ("zone_name", "分区")),
    ColumnSpec("country", False, _("ISO country of the row's postcodes."), ("destination_country", "国家")),
    ColumnSpec(
        "postcode_prefixes",
        False,
        _("Postcode prefixes of the zone separated by | (empty: the whole country)."),
        ("postcodes", "zip_prefixes", "prefixes", "邮编前缀"),
    ),
    ColumnSpec("transit_days", False, _("Transit days of the zone."), ("transit", "days", "时效")),
    ColumnSpec("max_weight_g", False, _("Weight break: up to this many grams."), ("max_weight", "weight_g")),
    ColumnSpec("price", False, _("Price of the weight break."), ("rate", "价格")),
    ColumnSpec(
        "remote_postcode_prefixes",
        False,
        _("Remote postcode prefixes of the row's country, separated by |."),
        ("remote_prefixes", "remote_postcodes"),
    ),
)


@dataclass
class _Zone:
    name: str
    first_row: int
    transit_days: int | None = None
    prefixes: dict[str, dict[str, int]] = field(default_factory=dict)  # country → prefix → first row
    first_rows: dict[str, int] = field(default_factory=dict)  # country → first row of the zone naming it
    areas: dict[tuple[str, str], int] = field(default_factory=dict)  # (country, prefix) → row
    breaks: dict[int, tuple[Money, int]] = field(default_factory=dict)


@dataclass
class Plan:
    """What the file says, once every row checks out."""

    service: CarrierService | None = None
    card: dict[str, Any] = field(default_factory=dict)
    zones: dict[str, _Zone] = field(default_factory=dict)
    remote: dict[tuple[str, str], int] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)

    def counts(self) -> dict[str, int]:
        return {
            "cards": 1,
            "zones": len(self.zones),
            "zone_areas": sum(len(z.areas) for z in self.zones.values()),
            "weight_breaks": sum(len(z.breaks) for z in self.zones.values()),
            "remote_areas": len(self.remote),
        }

    def zone_specs(self) -> list[ZoneSpec]:
        return [
            ZoneSpec(
                name=z.name,
                areas=list(z.areas),
                breaks=[(weight, price) for weight, (price, _row) in z.breaks.items()],
                transit_days=z.transit_days,
            )
            for z in self.zones.values()
        ]


def _integer(text: str, name: str) -> int:
    if not _INT.fullmatch(text):
        raise ValueError(f"{name} is a whole number, not {text!r}")
    return int(text)


def _date(text: str, name: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text) if len(text) == 10 else _bad_date(text, name)
    except ValueError:
        return _bad_date(text, name)


def _bad_date(text: str, name: str) -> dt.date:
    raise ValueError(f"{name} is a date like 2027-01-01, not {text!r}")


def _bool(text: str, name: str) -> bool:
    lowered = text.lower()
    if lowered in _TRUE:
        return True
    if lowered in _FALSE:
        return False
    raise ValueError(f"{name} is yes or no, not {text!r}")


def _card_value(name: str, text: str, currency: str | None) -> Any:
    """One card column's value parsed and checked; ValueError or DomainError when wrong."""
    if name == "service_code":
        return service_code_check(text)
    if name == "currency":
        return currency_check(text.upper())
    if name in ("effective_from", "effective_to"):
        return _date(text, name)
    if name == "dim_divisor":
        return divisor_check(_integer(text, name))
    if name == "dim_threshold_mm3":
        return threshold_check(_integer(text, name))
    if name == "fuel_surcharge_pct":
        return fuel_pct_check(amount_parse(text.rstrip("%").strip()))
    if name == "fuel_on_surcharges":
        return _bool(text, name)
    # the surcharges: amounts in the card's currency
    amount = amount_parse(text)
    return amount if currency is None else price_check(Money(amount, currency), currency=currency, field=name)


def _cell(row: Any, name: str) -> str:
    return str(row.values.get(name, "") or "").strip()


def rate_card_plan(*, operator: Any, table: MappedTable, progress: Progress) -> Plan:
    """Check every row of the file; the plan has every problem, and the card when there are none."""
    plan = Plan()
    problems = plan.problems
    given: dict[str, tuple[Any, int]] = {}

    # 1. card columns: one value each, the first row that gives it wins; others must agree
    currency_text = next((_cell(r, "currency") for r in table.rows if _cell(r, "currency")), "")
    try:
        currency: str | None = currency_check(currency_text.upper()) if currency_text else None
    except DomainError:
        currency = None
    for row in table.rows:
        for name in CARD_COLUMNS:
            text = _cell(row, name)
            if not text:
                continue
            try:
                value = _card_value(name, text, currency)
            except (ValueError, DomainError) as exc:
                problems.append(Problem(row.row, name, Code.VALUE_INVALID, _reason(exc)))
                continue
            if name not in given:
                given[name] = (value, row.row)
            elif given[name][0] != value:
                problems.append(
                    Problem(
                        row.row,
                        name,
                        Code.CARD_VALUE_CONFLICT,
                        f"{name} is {given[name][0]} on row {given[name][1]}",
                    )
                )
    for name in _REQUIRED_CARD:
        if table.has(name) and name not in given and not any(p.column == name for p in problems):
            problems.append(Problem(None, name, Code.CARD_VALUE_MISSING, f"no row gives the card's {name}"))
    plan.card = {name: value for name, (value, _row) in given.items()}
    if "service_code" in given:
        code, row_no = given["service_code"]
        plan.service = (
            CarrierService.objects.filter(operator=operator, code=code, is_active=True)
            .select_related("carrier")
            .first()
        )
        if plan.service is None:
            problems.append(
                Problem(row_no, "service_code", Code.SERVICE_UNKNOWN, f"no active service {code} of yours")
            )
    if (
        "effective_to" in given
        and "effective_from" in given
        and given["effective_to"][0] < given["effective_from"][0]
    ):
        problems.append(
            Problem(
                given["effective_to"][1], "effective_to", Code.VALUE_INVALID, "the card ends before it starts"
            )
        )

    # 2. rows: zones, areas, breaks, remote areas
    for index, row in enumerate(table.rows, start=1):
        if index % 500 == 0:
            progress(index, len(table.rows), "")
        _row_check(plan, row, currency)

    _areas_resolve(plan)

    # 3. the card as a whole (only when every row is fine: the zones are then complete)
    if not problems and plan.service is not None and currency is not None:
        served = plan.service.countries.values_list("country", flat=True)
        try:
            zones_check(plan.zone_specs(), currency=currency, countries=list(served))
        except DomainError as exc:
            problems.append(Problem(None, exc.field, Code.CARD_INVALID, exc.detail))
        overlap = rate_card_overlap_problem(
            plan.service, plan.card["effective_from"], plan.card.get("effective_to")
        )
        if overlap:
            problems.append(Problem(given["effective_from"][1], "effective_from", Code.CARD_OVERLAP, overlap))
    progress(len(table.rows), len(table.rows), "")
    return plan


def _areas_resolve(plan: Plan) -> None:
    """Each zone's areas: per country named on its rows, the prefixes its rows list, or — when none of its
    rows lists one for that country — the whole country. An area in two zones is a problem."""
    owner: dict[tuple[str, str], str] = {}
    for zone in plan.zones.values():
        for country, prefixes in zone.prefixes.items():
            chosen = prefixes or {"": zone.first_rows.get(country, zone.first_row)}
            for prefix, row in chosen.items():
                key = (country, prefix)
                other = owner.setdefault(key, zone.name)
                if other != zone.name:
                    where = f"{country} {prefix}".strip() if prefix else f"{country} (the whole country)"
                    plan.problems.append(
                        Problem(
                            row,
                            "postcode_prefixes",
                            Code.AREA_DUPLICATE,
                            f"{where} is already in zone {other}",
                        )
                    )
                else:
                    zone.areas[key] = row


def _reason(exc: Exception) -> str:
    return exc.detail if isinstance(exc, DomainError) else str(exc)


def _prefixes(text: str, column: str) -> list[str]:
    return [prefix_check(part, field=column) for part in _SPLIT.split(text) if part] or [""]


def _row_check(plan: Plan, row: Any, currency: str | None) -> None:
    problems = plan.problems
    n = row.row
    zone_text = _cell(row, "zone")
    if not zone_text:
        problems.append(Problem(n, "zone", Code.VALUE_INVALID, "every row names its zone"))
        return
    try:
        name = zone_name_check(zone_text)
    except DomainError as exc:
        problems.append(Problem(n, "zone", Code.VALUE_INVALID, exc.detail))
        return
    zone = plan.zones.setdefault(name, _Zone(name=name, first_row=n))

    country: str | None = None
    country_text = _cell(row, "country")
    if country_text:
        try:
            country = country_check(country_text.upper(), field="country")
        except DomainError as exc:
            problems.append(Problem(n, "country", Code.VALUE_INVALID, exc.detail))

    for column in ("postcode_prefixes", "remote_postcode_prefixes"):
        text = _cell(row, column)
        if text and not country_text:
            problems.append(Problem(n, column, Code.COUNTRY_MISSING, f"{column} without a country"))
            continue
        if column == "remote_postcode_prefixes" and not text:
            continue
        if country is None:
            continue
        try:
            prefixes = _prefixes(text, column)
        except DomainError as exc:
            problems.append(Problem(n, column, Code.VALUE_INVALID, exc.detail))
            continue
        for prefix in prefixes:
            if column == "remote_postcode_prefixes":
                plan.remote.setdefault((country, prefix), n)
            else:
                zone.prefixes.setdefault(country, {})
                zone.first_rows.setdefault(country, n)
                if prefix:
                    zone.prefixes[country].setdefault(prefix, n)

    transit_text = _cell(row, "transit_days")
    if transit_text:
        try:
            transit = transit_days_check(
                _integer(transit_text, "transit_days"), field="transit_days", error=RateCardInvalid
            )
        except (ValueError, DomainError) as exc:
            problems.append(Problem(n, "transit_days", Code.VALUE_INVALID, _reason(exc)))
        else:
            if zone.transit_days is None:
                zone.transit_days = transit
            elif zone.transit_days != transit:
                problems.append(
                    Problem(
                        n, "transit_days", Code.TRANSIT_CONFLICT, f"zone {name} has {zone.transit_days} days"
                    )
                )

    weight_text, price_text = _cell(row, "max_weight_g"), _cell(row, "price")
    if not weight_text and not price_text:
        return
    if not weight_text or not price_text:
        missing = "max_weight_g" if not weight_text else "price"
        problems.append(Problem(n, missing, Code.BREAK_INCOMPLETE, f"{missing} is empty"))
        return
    try:
        weight = _integer(weight_text, "max_weight_g")
        if weight <= 0:
            raise ValueError("max_weight_g is a positive number of grams")
    except ValueError as exc:
        problems.append(Problem(n, "max_weight_g", Code.VALUE_INVALID, str(exc)))
        return
    try:
        amount = amount_parse(price_text)
        price = price_check(Money(amount, currency), currency=currency, field="price") if currency else None
    except DomainError as exc:
        problems.append(Problem(n, "price", Code.VALUE_INVALID, exc.detail))
        return
    if price is None:
        return
    if weight in zone.breaks:
        problems.append(
            Problem(
                n,
                "max_weight_g",
                Code.BREAK_DUPLICATE,
                f"zone {name} has ≤ {weight} g on row {zone.breaks[weight][1]}",
            )
        )
        return
    problem = breaks_problem([*((w, p) for w, (p, _r) in zone.breaks.items()), (weight, price)])
    if problem:
        problems.append(Problem(n, "price", Code.VALUE_INVALID, f"zone {name}: {problem}"))
    else:
        zone.breaks[weight] = (price, n)


def _zero_decimal(value: Any) -> Decimal:
    return value if isinstance(value, Decimal) else Decimal(0)


class RateCardImporter(Importer):
    kind = "rate_card"
    label = _("Rate card (carrier prices)")
    description = _(
        "One file is one rate card of one of your carrier services: zones by postcode prefix, weight breaks "
        "and the card's surcharges. An open-ended earlier card of the service ends the day before."
    )
    columns = COLUMNS
    permission = "network:write"
    party_kinds = ("operator",)

    def problem_label(self, code: str) -> object:
        return PROBLEM_LABELS.get(code)

    def validate(self, context: ImportContext, table: MappedTable, progress: Progress) -> Validation:
        plan = rate_card_plan(operator=context.owner, table=table, progress=progress)
        return Validation(problems=plan.problems, counts=plan.counts() if not plan.problems else {})

    def apply(self, context: ImportContext, table: MappedTable, progress: Progress) -> dict[str, int]:
        plan = rate_card_plan(operator=context.owner, table=table, progress=progress)
        if plan.problems or plan.service is None:
            raise RowsRejected(plan.problems)
        card = plan.card
        try:
            with transaction.atomic():
                rate_card_create(
                    actor=context.actor,
                    service=plan.service,
                    currency=card["currency"],
                    effective_from=card["effective_from"],
                    effective_to=card.get("effective_to"),
                    dim_divisor=card["dim_divisor"],
                    dim_threshold_mm3=card.get("dim_threshold_mm3", 0),
                    fuel_surcharge_pct=_zero_decimal(card.get("fuel_surcharge_pct")),
                    fuel_on_surcharges=card.get("fuel_on_surcharges", False),
                    residential_surcharge=card.get("residential_surcharge"),
                    remote_surcharge=card.get("remote_surcharge"),
                    remote_areas=list(plan.remote),
                    zones=plan.zone_specs(),
                    source=context.filename,
                )
        except DomainError as exc:  # the data changed between the checks and the write
            raise RowsRejected([Problem(None, exc.field, Code.CARD_INVALID, exc.detail)]) from exc
        return plan.counts()


RATE_CARD_IMPORTER = RateCardImporter()
