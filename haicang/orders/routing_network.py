"""What routing reads of the warehouse network for one order — in four plain statements — and the carrier quotes
it computes from that.

Routing needs, for the order's ship-to country: the candidate warehouses (active, serving the country, under an
active agreement of the seller in force today, with the strictest agreement's SLA) and the seller's split
setting; the available stock of the order's SKUs there; each candidate's active carrier services (of active
carriers) with the countries they serve and the rate card in effect; and each candidate's working calendar.
Read one at a time through the ORM that was some twenty statements per order (a card alone is five: the card,
its zones, their areas and weight breaks, its remote areas). :func:`network_view` reads it in four:

1. the candidates and the split setting; 2. the stock counters (:func:`stock_available`); 3. the services,
their countries and the cards in effect (one row per service × country × card); 4. working hours and
holidays (from two days back on) — 3 and 4 only when something is to be priced.

**What is kept between orders, and why it is never stale.** A rate card's prices and zones never change
(``network.services.carriers.rate_card_update``: "new prices are a new card"); its own parameters (dates,
divisor, fuel, surcharges) change only with its ``updated_at``. So the card's rules are kept per process under
(card id, ``updated_at``) and loaded once with ``rate_card_full``; the service's own values (countries,
residential, default transit days) come with every order's statement 3 and replace the kept ones. Everything
else is read with every order.

:meth:`NetworkView.quotes` answers what ``network.carrier_selectors.rate_quotes`` answers for a warehouse (every
active service priced for the parcel on the warehouse's local date, serviceable ones first, cheapest first in
the warehouse's currency, then transit days and code); ``tests/test_routing_network.py`` checks they agree.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from decimal import ROUND_HALF_EVEN, Context, Decimal, DivisionByZero, InvalidOperation, Overflow
from functools import cache
from typing import Any, cast
from zoneinfo import ZoneInfo

from django.db import DEFAULT_DB_ALIAS, connections, models

from haicang.core.errors import DomainError
from haicang.core.models.fx import FxRate
from haicang.core.money import Money
from haicang.network.calendar import WorkingCalendar
from haicang.network.models import (
    Carrier,
    CarrierService,
    CarrierServiceCountry,
    Holiday,
    RateCard,
    Warehouse,
    WarehouseMarket,
    WorkingHours,
)
from haicang.network.rates import (
    Destination,
    NotServiceable,
    Parcel,
    Quote,
    RateCardRules,
    Unserviceable,
    rate_quote,
)
from haicang.orders import plain_rows

CARD_RULES_KEPT = 2000  # card rules kept per process (a card is a few kB); the cache starts afresh beyond

# (card id, updated_at) → the card's rules; (card id, updated_at, countries, residential, transit days) → with
# its service's limits
_card_rules: dict[tuple[Any, ...], RateCardRules] = {}


@dataclass(frozen=True)
class ServiceAnswer:
    """One service's answer for a parcel (``rate_quotes``' ``ServiceQuote`` without the model instances)."""

    service_code: str
    result: Quote | NotServiceable
    comparable: Money | None = None  # the total in the warehouse's currency, to sort by

    @property
    def serviceable(self) -> bool:
        return isinstance(self.result, Quote)


@dataclass(frozen=True)
class _Service:
    code: str
    residential_allowed: bool
    transit_days_default: int
    countries: frozenset[str]
    card: tuple[uuid.UUID, dt.datetime] | None  # the card in effect on the warehouse's local date


@dataclass
class NetworkView:
    """The network as one order's routing sees it (see the module's docstring). The services and calendars
    are read on the first quote (an order nobody has stock for is never priced)."""

    seller_id: uuid.UUID
    now: dt.datetime
    candidates: dict[Warehouse, int]  # warehouse → SLA hours of the strictest agreement, by code
    allow_split: bool
    local_dates: dict[uuid.UUID, dt.date] = field(default_factory=dict)
    services: dict[uuid.UUID, tuple[_Service, ...]] = field(default_factory=dict)
    calendars: dict[uuid.UUID, WorkingCalendar | DomainError] = field(default_factory=dict)
    _fx: dict[tuple[str, str, dt.date], Decimal | None] = field(default_factory=dict)
    memo: dict[Any, Any] = field(default_factory=dict)  # what the view's users work out once from it
    _priced: bool = False

    def _ready(self) -> None:
        if self._priced or not self.candidates:
            return
        ids = [w.pk for w in self.candidates]
        self.local_dates = {w.pk: self.now.astimezone(ZoneInfo(w.time_zone)).date() for w in self.candidates}
        self.services = _services(ids, self.local_dates)
        self.calendars = _calendars(self.candidates, self.now.date())
        self._priced = True

    def convert(self, money: Money, to: str, on: dt.date) -> Money | None:
        """``money`` in ``to`` as ``fx_convert`` converts it (None when no rate does); each rate read once a view."""
        if money.currency == to:
            return money
        key = (money.currency, to, on)
        if key not in self._fx:
            self._fx[key] = fx_rate(money.currency, to, on)
        rate = self._fx[key]
        return None if rate is None else (Money(money.amount, to) * rate).rounded()

    def calendar(self, warehouse_id: uuid.UUID) -> WorkingCalendar:
        """The warehouse's working calendar; raises the DomainError its data gave (``warehouse_calendar`` would)."""
        self._ready()
        calendar = self.calendars[warehouse_id]
        if isinstance(calendar, DomainError):
            raise calendar
        return calendar

    def quotes(self, warehouse: Warehouse, parcel: Parcel, destination: Destination) -> list[ServiceAnswer]:
        """Every active service of ``warehouse`` priced for ``parcel`` to ``destination`` on the warehouse's local
        date: serviceable first, cheapest first (in the warehouse's currency), then transit days, then code.
        The same question twice (orders routed together often ship the same parcel to the same postcode) is
        worked out once."""
        key = ("quotes", warehouse.pk, parcel, destination)
        if key not in self.memo:
            self.memo[key] = self._quotes(warehouse, parcel, destination)
        return list(self.memo[key])

    def _quotes(self, warehouse: Warehouse, parcel: Parcel, destination: Destination) -> list[ServiceAnswer]:
        self._ready()
        on = self.local_dates[warehouse.pk]
        answers = []
        for service in self.services.get(warehouse.pk, ()):
            if service.card is None:
                reason = NotServiceable(
                    Unserviceable.NO_RATE_CARD, f"no rate card in effect on {on.isoformat()}"
                )
                answers.append(ServiceAnswer(service.code, reason))
                continue
            result = rate_quote(_service_rules(service), parcel, destination)
            comparable = (
                self.convert(result.total, warehouse.currency, on) if isinstance(result, Quote) else None
            )
            answers.append(ServiceAnswer(service.code, result, comparable))
        return sorted(answers, key=_order)


# as haicang.core.fx divides for an inverse rate
_INVERSE = Context(prec=34, rounding=ROUND_HALF_EVEN, traps=[InvalidOperation, DivisionByZero, Overflow])


@cache
def _fx_sql(vendor: str) -> str:
    f, v = FxRate, vendor
    latest = (
        f"(SELECT {_col(f, 'base', v)}, {_col(f, 'on', v)}, CAST({_col(f, 'rate', v)} AS TEXT) "  # noqa: S608
        f"FROM {_table(f, v)} WHERE {_col(f, 'base', v)} = %s AND {_col(f, 'quote', v)} = %s "
        f"AND {_col(f, 'on', v)} <= %s ORDER BY {_col(f, 'on', v)} DESC LIMIT 1) AS {{name}}"
    )
    return f"SELECT * FROM {latest.format(name='d')} UNION ALL SELECT * FROM {latest.format(name='i')}"  # noqa: S608


def fx_rate(base: str, quote: str, on: dt.date) -> Decimal | None:
    """What ``haicang.core.fx.fx_rate_on`` answers (the latest rate on or before ``on``, in either direction; the
    direct one on a tie), or None where it raises — in one plain statement instead of two."""
    if base == quote:
        return Decimal(1)
    db = _db()
    day = _day(db, on)
    rows = {
        row[0]: (_date(row[1]), Decimal(str(row[2])))
        for row in _rows(db, _fx_sql(db.vendor), [base, quote, day, quote, base, day])
    }
    direct, inverse = rows.get(base), rows.get(quote)
    if direct is not None and (inverse is None or direct[0] >= inverse[0]):
        return direct[1]
    if inverse is not None:
        return _INVERSE.divide(Decimal(1), inverse[1])
    return None


def _order(answer: ServiceAnswer) -> tuple[int, Decimal, int, str]:
    result = answer.result
    if isinstance(result, Quote):
        amount = answer.comparable.amount if answer.comparable is not None else result.total.amount
        rank = 0 if answer.comparable is not None else 1
        transit = result.transit_days if result.transit_days is not None else 999
        return rank, amount, transit, answer.service_code
    return 2, Decimal(0), 0, answer.service_code


def _service_rules(service: _Service) -> RateCardRules:
    """The card's rules with the service's own limits (kept too: building them checks every weight break)."""
    assert service.card is not None  # noqa: S101 - the caller checked
    key = (*service.card, service.countries, service.residential_allowed, service.transit_days_default)
    rules = _card_rules.get(key)
    if rules is None:
        rules = replace(
            _rules(*service.card),
            countries=service.countries,
            residential_allowed=service.residential_allowed,
            default_transit_days=service.transit_days_default,
        )
        _card_rules[key] = rules
    return rules


def _rules(card_id: uuid.UUID, updated_at: dt.datetime) -> RateCardRules:
    """The card's rules (zones, areas, breaks, remote areas, parameters), kept per (id, updated_at)."""
    key = (card_id, updated_at)
    rules = _card_rules.get(key)
    if rules is None:
        from haicang.network.carrier_selectors import rate_card_full, rate_card_rules

        if len(_card_rules) >= CARD_RULES_KEPT:
            _card_rules.clear()
        rules = rate_card_rules(rate_card_full(card_id))
        _card_rules[key] = rules
    return rules


# --- the four statements ------------------------------------------------------------------------------------
# Plain SQL, each text built once per process (per database and number of values): these run with every order.
def _db() -> Any:
    """The default database's wrapper itself (each use of the ``connection`` proxy is a thread-local lookup)."""
    return connections[DEFAULT_DB_ALIAS]


@cache
def _q(name: str, vendor: str) -> str:
    return str(connections[DEFAULT_DB_ALIAS].ops.quote_name(name))


def _table(model: type[models.Model], vendor: str) -> str:
    return _q(model._meta.db_table, vendor)


def _col(model: type[models.Model], name: str, vendor: str) -> str:
    return _q(str(cast(models.Field[Any, Any], model._meta.get_field(name)).column), vendor)


_UUID = models.UUIDField()
_DATE = models.DateField()


def _uuids(db: Any, values: Iterable[Any]) -> list[Any]:
    return [_UUID.get_db_prep_value(value, db) for value in values]


def _day(db: Any, value: dt.date) -> Any:
    return _DATE.get_db_prep_value(value, db)


def _uuid(value: Any) -> uuid.UUID:
    return value if isinstance(value, uuid.UUID) else uuid.UUID(str(value))


def _date(value: Any) -> dt.date:
    return value if isinstance(value, dt.date) else dt.date.fromisoformat(str(value))


def _time(value: Any) -> dt.time:
    return value if isinstance(value, dt.time) else dt.time.fromisoformat(str(value))


def _datetime(value: Any) -> dt.datetime:
    if isinstance(value, dt.datetime):
        return value
    return dt.datetime.fromisoformat(str(value))


def _marks(count: int) -> str:
    return ", ".join(["%s"] * count)


def _rows(db: Any, sql: str, params: Sequence[Any]) -> list[tuple[Any, ...]]:
    with plain_rows.cursor() as cursor:
        cursor.execute(sql, list(params))
        return list(cursor.fetchall())


_WAREHOUSE_FIELDS = ("id", "operator_id", "code", "time_zone", "currency", "cutoff_time")


@cache
def _candidates_sql(vendor: str) -> str:
    from haicang.orders.models import OrderSettings
    from haicang.parties.models import ServiceAgreement

    through = ServiceAgreement.warehouses.through
    w, a, m, st, v = Warehouse, ServiceAgreement, WarehouseMarket, OrderSettings, vendor
    columns = ", ".join(f"w.{_col(w, name.removesuffix('_id'), v)}" for name in _WAREHOUSE_FIELDS)
    return (
        f"SELECT {columns}, MIN(a.{_col(a, 'sla_ship_within_working_hours', v)}), "  # noqa: S608
        f"(SELECT st.{_col(st, 'allow_split', v)} FROM {_table(st, v)} st WHERE st.{_col(st, 'seller', v)} = %s) "
        f"FROM {_table(a, v)} a "
        f"JOIN {_table(through, v)} aw ON aw.{_col(through, 'serviceagreement', v)} = a.{_col(a, 'id', v)} "
        f"JOIN {_table(w, v)} w ON w.{_col(w, 'id', v)} = aw.{_col(through, 'warehouse', v)} "
        f"JOIN {_table(m, v)} m ON m.{_col(m, 'warehouse', v)} = w.{_col(w, 'id', v)} "
        f"WHERE a.{_col(a, 'seller', v)} = %s AND a.{_col(a, 'status', v)} = %s "
        f"AND a.{_col(a, 'valid_from', v)} <= %s "
        f"AND (a.{_col(a, 'valid_to', v)} IS NULL OR a.{_col(a, 'valid_to', v)} >= %s) "
        f"AND w.{_col(w, 'is_active', v)} AND m.{_col(m, 'country', v)} = %s "
        f"GROUP BY {columns} ORDER BY w.{_col(w, 'code', v)}"
    )


def _candidates(seller_id: uuid.UUID, country: str, today: dt.date) -> tuple[dict[Warehouse, int], bool]:
    from haicang.parties.models.agreements import AgreementStatus

    db = _db()
    (seller,) = _uuids(db, [seller_id])
    day = _day(db, today)
    rows = _rows(
        db, _candidates_sql(db.vendor), [seller, seller, AgreementStatus.ACTIVE, day, day, country.upper()]
    )
    candidates: dict[Warehouse, int] = {}
    allow_split = False
    for row in rows:
        values = list(row[: len(_WAREHOUSE_FIELDS)])
        values[0], values[1], values[5] = _uuid(values[0]), _uuid(values[1]), _time(values[5])
        # from_db: the fields not read stay deferred (loaded if anyone asks), never silently empty
        warehouse = Warehouse.from_db(db.alias, list(_WAREHOUSE_FIELDS), values)
        candidates[warehouse] = int(row[len(_WAREHOUSE_FIELDS)])
        allow_split = bool(row[-1])
    return candidates, allow_split


@cache
def _stock_sql(vendor: str, skus: int, warehouses: int) -> str:
    from haicang.inventory.models import StockCounter as C

    v = vendor
    return (
        f"SELECT {_col(C, 'warehouse', v)}, {_col(C, 'sku', v)}, "  # noqa: S608
        f"{_col(C, 'sellable', v)} - {_col(C, 'reserved', v)} FROM {_table(C, v)} "
        f"WHERE {_col(C, 'owner', v)} = %s AND {_col(C, 'sku', v)} IN ({_marks(skus)}) "
        f"AND {_col(C, 'warehouse', v)} IN ({_marks(warehouses)})"
    )


def stock_available(
    seller_id: uuid.UUID, sku_ids: Sequence[uuid.UUID], warehouse_ids: Sequence[uuid.UUID]
) -> dict[tuple[uuid.UUID, uuid.UUID], int]:
    """Available units (sellable − reserved, at least 0) per (warehouse, SKU), in one plain statement."""
    if not sku_ids or not warehouse_ids:
        return {}
    db = _db()
    sql = _stock_sql(db.vendor, len(sku_ids), len(warehouse_ids))
    rows = _rows(db, sql, _uuids(db, [seller_id, *sku_ids, *warehouse_ids]))
    return {(_uuid(w), _uuid(s)): max(0, int(n)) for w, s, n in rows}


@cache
def _services_sql(vendor: str, warehouses: int) -> str:
    through = CarrierService.warehouses.through
    s, cr, sc, rc, v = CarrierService, Carrier, CarrierServiceCountry, RateCard, vendor
    return (
        f"SELECT sw.{_col(through, 'warehouse', v)}, s.{_col(s, 'id', v)}, s.{_col(s, 'code', v)}, "  # noqa: S608
        f"s.{_col(s, 'residential_allowed', v)}, s.{_col(s, 'transit_days_default', v)}, "
        f"sc.{_col(sc, 'country', v)}, c.{_col(rc, 'id', v)}, c.{_col(rc, 'updated_at', v)}, "
        f"c.{_col(rc, 'effective_from', v)}, c.{_col(rc, 'effective_to', v)} "
        f"FROM {_table(through, v)} sw "
        f"JOIN {_table(s, v)} s ON s.{_col(s, 'id', v)} = sw.{_col(through, 'carrierservice', v)} "
        f"JOIN {_table(cr, v)} cr ON cr.{_col(cr, 'id', v)} = s.{_col(s, 'carrier', v)} "
        f"LEFT JOIN {_table(sc, v)} sc ON sc.{_col(sc, 'service', v)} = s.{_col(s, 'id', v)} "
        f"LEFT JOIN {_table(rc, v)} c ON c.{_col(rc, 'service', v)} = s.{_col(s, 'id', v)} "
        f"AND c.{_col(rc, 'is_active', v)} AND c.{_col(rc, 'effective_from', v)} <= %s "
        f"AND (c.{_col(rc, 'effective_to', v)} IS NULL OR c.{_col(rc, 'effective_to', v)} >= %s) "
        f"WHERE sw.{_col(through, 'warehouse', v)} IN ({_marks(warehouses)}) "
        f"AND s.{_col(s, 'is_active', v)} AND cr.{_col(cr, 'is_active', v)}"
    )


def _services(
    warehouse_ids: Sequence[uuid.UUID], local_dates: dict[uuid.UUID, dt.date]
) -> dict[uuid.UUID, tuple[_Service, ...]]:
    db = _db()
    dates = list(local_dates.values())
    params = [_day(db, max(dates)), _day(db, min(dates)), *_uuids(db, warehouse_ids)]
    found: dict[tuple[uuid.UUID, uuid.UUID], dict[str, Any]] = {}
    for warehouse_id, service_id, code, residential, transit, country, card_id, updated, start, end in _rows(
        db, _services_sql(db.vendor, len(warehouse_ids)), params
    ):
        key = (_uuid(warehouse_id), _uuid(service_id))
        entry = found.get(key)
        if entry is None:
            entry = found[key] = {
                "code": code,
                "residential": bool(residential),
                "transit": int(transit),
                "countries": set(),
                "cards": {},
            }
        if country is not None:
            entry["countries"].add(country)
        if card_id is not None:
            entry["cards"][_uuid(card_id)] = (_datetime(updated), _date(start), _date(end) if end else None)
    services: dict[uuid.UUID, list[_Service]] = defaultdict(list)
    for (warehouse_id, _service_id), entry in found.items():
        on = local_dates[warehouse_id]
        in_effect = [
            (start, card_id, updated)
            for card_id, (updated, start, end) in entry["cards"].items()
            if start <= on and (end is None or end >= on)
        ]
        card = None
        if in_effect:
            _start, card_id, updated = max(in_effect)  # the latest start (cards of a service never overlap)
            card = (card_id, updated)
        services[warehouse_id].append(
            _Service(
                code=entry["code"],
                residential_allowed=entry["residential"],
                transit_days_default=entry["transit"],
                countries=frozenset(entry["countries"]),
                card=card,
            )
        )
    return {w: tuple(sorted(found_services, key=lambda s: s.code)) for w, found_services in services.items()}


@cache
def _calendars_sql(vendor: str, warehouses: int) -> str:
    h, d, v = WorkingHours, Holiday, vendor
    return (
        f"SELECT {_col(h, 'warehouse', v)}, {_col(h, 'weekday', v)}, {_col(h, 'opens', v)}, "  # noqa: S608
        f"{_col(h, 'closes', v)}, NULL FROM {_table(h, v)} "
        f"WHERE {_col(h, 'warehouse', v)} IN ({_marks(warehouses)}) "
        f"UNION ALL SELECT {_col(d, 'warehouse', v)}, NULL, NULL, NULL, {_col(d, 'on', v)} FROM {_table(d, v)} "
        f"WHERE {_col(d, 'warehouse', v)} IN ({_marks(warehouses)}) AND {_col(d, 'on', v)} >= %s"
    )


def _calendars(
    warehouses: Iterable[Warehouse], today: dt.date
) -> dict[uuid.UUID, WorkingCalendar | DomainError]:
    db = _db()
    warehouses = list(warehouses)
    ids = _uuids(db, [w.pk for w in warehouses])
    # holidays from two days back: the local date of "now" may be yesterday's UTC date
    params = [*ids, *ids, _day(db, today - dt.timedelta(days=2))]
    hours: dict[uuid.UUID, dict[int, tuple[dt.time, dt.time]]] = defaultdict(dict)
    holidays: dict[uuid.UUID, set[dt.date]] = defaultdict(set)
    for warehouse_id, weekday, opens, closes, on in _rows(db, _calendars_sql(db.vendor, len(ids)), params):
        if weekday is not None:
            hours[_uuid(warehouse_id)][int(weekday)] = (_time(opens), _time(closes))
        else:
            holidays[_uuid(warehouse_id)].add(_date(on))
    calendars: dict[uuid.UUID, WorkingCalendar | DomainError] = {}
    for warehouse in warehouses:
        try:
            calendars[warehouse.pk] = WorkingCalendar(
                time_zone=warehouse.time_zone,
                hours=hours.get(warehouse.pk, {}),
                holidays=frozenset(holidays.get(warehouse.pk, ())),
                cutoff=warehouse.cutoff_time,
            )
        except DomainError as exc:
            calendars[warehouse.pk] = exc
    return calendars


def network_view(*, seller_id: uuid.UUID, country: str, now: dt.datetime) -> NetworkView:
    """What routing an order of ``seller_id`` to ``country`` needs of the network at ``now`` (see the module's
    docstring): the candidates and the split setting now, the services and calendars on the first quote. The
    stock is :func:`stock_available`'s."""
    candidates, allow_split = _candidates(seller_id, country, now.date())
    return NetworkView(seller_id=seller_id, now=now, candidates=candidates, allow_split=allow_split)
