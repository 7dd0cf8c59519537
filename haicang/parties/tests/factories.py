"""Plain functions that build parties through the services, for tests across the apps."""

from __future__ import annotations

import datetime as dt
import itertools
from decimal import Decimal
from typing import Any

from django.contrib.auth import get_user_model

from haicang.core.actors import Actor
from haicang.core.money import Money
from haicang.parties.agreements import agreement_activate, agreement_create, fee_schedule_set
from haicang.parties.models import Membership, Operator, Seller, ServiceAgreement
from haicang.parties.services import membership_add, operator_create, seller_create

SYSTEM = Actor.system("tests")
_n = itertools.count(1)


def make_seller(*, code: str | None = None, currency: str = "CNY", country: str = "CN") -> Seller:
    n = next(_n)
    return seller_create(
        actor=SYSTEM, code=code or f"seller-{n}", name=f"Seller {n}", country=country, base_currency=currency
    )


def make_operator(*, code: str | None = None, currency: str = "EUR", country: str = "DE") -> Operator:
    n = next(_n)
    return operator_create(
        actor=SYSTEM,
        code=code or f"operator-{n}",
        name=f"Operator {n}",
        country=country,
        billing_currency=currency,
    )


def make_user(username: str | None = None, **extra: Any) -> Any:
    return get_user_model().objects.create_user(
        username=username or f"user-{next(_n)}", password="correct horse battery", **extra
    )


def make_member(party: Seller | Operator, role: str = "owner", *, username: str | None = None) -> Membership:
    return membership_add(actor=SYSTEM, party=party, user=make_user(username), role=role)


def make_warehouse(operator: Operator, *, code: str | None = None) -> Any:
    from haicang.network.tests.factories import make_warehouse as network_warehouse

    return network_warehouse(operator, code=code)


def make_agreement(
    seller: Seller, operator: Operator, *, warehouses: list[Any] | None = None, active: bool = True
) -> ServiceAgreement:
    warehouses = warehouses or [make_warehouse(operator)]
    agreement = agreement_create(
        actor=SYSTEM, seller=seller, operator=operator, warehouses=warehouses, valid_from=dt.date(2026, 1, 1)
    )
    cur = operator.billing_currency
    fee_schedule_set(
        actor=SYSTEM,
        agreement=agreement,
        effective_from=dt.date(2026, 1, 1),
        lines={
            "outbound_order": Money(Decimal("1.80"), cur),
            "outbound_extra_unit": Money(Decimal("0.35"), cur),
            "storage_m3_day": Money(Decimal("0.45"), cur),
        },
        storage_free_days=30,
    )
    if active:
        agreement_activate(actor=SYSTEM, agreement=agreement)
    return agreement
