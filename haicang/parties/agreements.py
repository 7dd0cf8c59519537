"""Writes and reads of service agreements and their fee schedules."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal

from django.db import transaction

from haicang.core.actors import Actor
from haicang.core.audit import audit_record
from haicang.core.money import Money
from haicang.core.sequences import document_number_next
from haicang.network.models import Warehouse
from haicang.parties.errors import AgreementInvalid, FeeScheduleInvalid
from haicang.parties.fee_rules import AgeBand, FeeTable, bands_check
from haicang.parties.models import (
    AgreementStatus,
    FeeKind,
    FeeLine,
    FeeSchedule,
    Operator,
    Seller,
    ServiceAgreement,
    StorageAgeBand,
)


@transaction.atomic
def agreement_create(
    *,
    actor: Actor,
    seller: Seller,
    operator: Operator,
    warehouses: Iterable[Warehouse],
    valid_from: dt.date,
    valid_to: dt.date | None = None,
    sla_ship_within_working_hours: int = 24,
    share_prices: bool = False,
    share_customer_email: bool = False,
    share_customer_phone: bool = False,
) -> ServiceAgreement:
    """A draft agreement for ``warehouses`` of ``operator``; numbered ``AGR-<year>-…`` per seller."""
    warehouses = list(warehouses)
    if not warehouses:
        raise AgreementInvalid("an agreement covers at least one warehouse", field="warehouses")
    foreign = [str(w) for w in warehouses if getattr(w, "operator_id", None) != operator.pk]
    if foreign:
        raise AgreementInvalid(f"not warehouses of {operator}: {', '.join(foreign)}", field="warehouses")
    if valid_to is not None and valid_to < valid_from:
        raise AgreementInvalid("valid_to is before valid_from", field="valid_to")
    if not 1 <= sla_ship_within_working_hours <= 24 * 14:
        raise AgreementInvalid("the SLA is 1 to 336 working hours", field="sla_ship_within_working_hours")
    agreement = ServiceAgreement.objects.create(
        seller=seller,
        operator=operator,
        reference=document_number_next(scope=seller.pk, prefix="AGR", year=valid_from.year),
        valid_from=valid_from,
        valid_to=valid_to,
        sla_ship_within_working_hours=sla_ship_within_working_hours,
        share_prices=share_prices,
        share_customer_email=share_customer_email,
        share_customer_phone=share_customer_phone,
    )
    agreement.warehouses.set(warehouses)
    audit_record(
        actor=actor,
        action="agreement.created",
        subject=agreement,
        after={
            "seller": seller.code,
            "operator": operator.code,
            "warehouses": sorted(str(getattr(w, "code", w)) for w in warehouses),
            "valid_from": valid_from,
            "valid_to": valid_to,
            "share_prices": share_prices,
            "share_customer_email": share_customer_email,
            "share_customer_phone": share_customer_phone,
        },
    )
    return agreement


@transaction.atomic
def agreement_activate(*, actor: Actor, agreement: ServiceAgreement) -> ServiceAgreement:
    if agreement.status != AgreementStatus.DRAFT:
        raise AgreementInvalid(f"only a draft agreement can be activated; this one is {agreement.status}")
    if not agreement.fee_schedules.exists():
        raise AgreementInvalid(
            "an agreement needs a fee schedule before it is activated", field="fee_schedules"
        )
    agreement.status = AgreementStatus.ACTIVE
    agreement.save(update_fields=["status"])
    audit_record(
        actor=actor,
        action="agreement.activated",
        subject=agreement,
        before={"status": "draft"},
        after={"status": "active"},
    )
    return agreement


@transaction.atomic
def agreement_terminate(*, actor: Actor, agreement: ServiceAgreement, on: dt.date) -> ServiceAgreement:
    if agreement.status == AgreementStatus.TERMINATED:
        return agreement
    if on < agreement.valid_from:
        raise AgreementInvalid("an agreement cannot end before it starts", field="on")
    before = {"status": agreement.status, "valid_to": agreement.valid_to}
    agreement.status = AgreementStatus.TERMINATED
    agreement.valid_to = on if agreement.valid_to is None else min(on, agreement.valid_to)
    agreement.save(update_fields=["status", "valid_to"])
    audit_record(
        actor=actor,
        action="agreement.terminated",
        subject=agreement,
        before=before,
        after={"status": agreement.status, "valid_to": agreement.valid_to},
    )
    return agreement


@dataclass(frozen=True)
class BandInput:
    from_day: int
    to_day: int | None
    surcharge_m3_day: Money


def _check_money(value: Money, currency: str, field: str) -> Money:
    if value.currency != currency:
        raise FeeScheduleInvalid(
            f"{field} is in {value.currency}; the schedule bills in {currency}", field=field
        )
    if value.amount < 0:
        raise FeeScheduleInvalid(f"{field} cannot be negative", field=field)
    return value


@transaction.atomic
def fee_schedule_set(
    *,
    actor: Actor,
    agreement: ServiceAgreement,
    effective_from: dt.date,
    lines: Mapping[str, Money],
    storage_free_days: int = 0,
    age_bands: Sequence[BandInput] = (),
    peak_factor: Decimal = Decimal(1),
    peak_months: Iterable[int] = (),
) -> FeeSchedule:
    """Write (or replace) the schedule effective from a date, in the operator's billing currency."""
    currency = agreement.operator.billing_currency
    unknown = sorted(set(lines) - set(FeeKind.values))
    if unknown:
        raise FeeScheduleInvalid(f"unknown fee kinds: {', '.join(unknown)}", field="lines")
    for kind, money in lines.items():
        _check_money(money, currency, f"lines.{kind}")
    for i, band in enumerate(age_bands):
        _check_money(band.surcharge_m3_day, currency, f"age_bands.{i}.surcharge_m3_day")
    try:
        bands_check([AgeBand(b.from_day, b.to_day, b.surcharge_m3_day.amount) for b in age_bands])
    except ValueError as exc:
        raise FeeScheduleInvalid(str(exc), field="age_bands") from exc
    months = sorted(set(peak_months))
    if any(not 1 <= m <= 12 for m in months):
        raise FeeScheduleInvalid("peak months are 1 to 12", field="peak_months")
    if peak_factor < 1:
        raise FeeScheduleInvalid("the peak factor is at least 1", field="peak_factor")
    if storage_free_days < 0:
        raise FeeScheduleInvalid("free days cannot be negative", field="storage_free_days")

    FeeSchedule.objects.filter(agreement=agreement, effective_from=effective_from).delete()
    schedule = FeeSchedule.objects.create(
        agreement=agreement,
        currency=currency,
        effective_from=effective_from,
        storage_free_days=storage_free_days,
        peak_factor=peak_factor,
        peak_months=months,
    )
    FeeLine.objects.bulk_create(
        FeeLine(schedule=schedule, kind=k, amount=m) for k, m in sorted(lines.items())
    )
    StorageAgeBand.objects.bulk_create(
        StorageAgeBand(
            schedule=schedule, from_day=b.from_day, to_day=b.to_day, surcharge_m3_day=b.surcharge_m3_day
        )
        for b in age_bands
    )
    audit_record(
        actor=actor,
        action="agreement.fee_schedule_set",
        subject=agreement,
        after={
            "effective_from": effective_from,
            "currency": currency,
            "lines": {k: str(m.amount) for k, m in sorted(lines.items())},
            "free_days": storage_free_days,
            "bands": [[b.from_day, b.to_day, str(b.surcharge_m3_day.amount)] for b in age_bands],
            "peak": [str(peak_factor), months],
        },
    )
    return schedule


def _amount(money: Money | None) -> Decimal:
    return Decimal(0) if money is None else money.amount


def fee_table_on(*, agreement: ServiceAgreement, on: dt.date) -> FeeTable | None:
    """The fee schedule in force on ``on`` as a pure :class:`FeeTable`, or None if none had started."""
    schedule = (
        FeeSchedule.objects.filter(agreement=agreement, effective_from__lte=on)
        .prefetch_related("lines", "age_bands")
        .order_by("-effective_from")
        .first()
    )
    if schedule is None:
        return None
    return FeeTable(
        currency=schedule.currency,
        lines={line.kind: _amount(line.amount) for line in schedule.lines.all()},
        free_days=schedule.storage_free_days,
        bands=tuple(
            AgeBand(b.from_day, b.to_day, _amount(b.surcharge_m3_day)) for b in schedule.age_bands.all()
        ),
        peak_factor=schedule.peak_factor,
        peak_months=frozenset(schedule.peak_months),
    )
