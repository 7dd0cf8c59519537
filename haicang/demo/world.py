"""The demo world: one seller, two operators, three warehouses with real bin layouts, a catalogue, agreements
with fee schedules, FX rates, and one user per role. Built only through the services, so it is audited like
any other data, and idempotent: a world already there is left as it is.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.contrib.auth import get_user_model

from haicang.catalog.models import Product, Sku
from haicang.catalog.services import kit_set_components, product_create, sku_create
from haicang.core.actors import Actor
from haicang.core.fx import fx_rate_record
from haicang.core.money import Money
from haicang.demo.catalogue import FAMILIES, KITS, gtin13, variant_rows
from haicang.network.layout import Layout
from haicang.network.models import LocationKind, Warehouse
from haicang.network.services.locations import location_create, locations_create_range
from haicang.network.services.virtual import virtual_locations_ensure
from haicang.network.services.warehouses import holiday_add, warehouse_create
from haicang.parties.agreements import BandInput, agreement_activate, agreement_create, fee_schedule_set
from haicang.parties.models import Operator, Seller, ServiceAgreement
from haicang.parties.services import (
    compliance_id_set,
    membership_add,
    operator_create,
    seller_create,
    seller_market_set,
)

SELLER_CODE = "lumen"
GTIN_PREFIX = "6971234"


@dataclass(frozen=True)
class DemoLogin:
    username: str
    password: str
    who: str


def _login(username: str, who: str) -> DemoLogin:
    return DemoLogin(username, f"{username}-demo-2026", who)


ADMIN = DemoLogin("admin", "admin-demo-2026", "installation admin (Django admin, API docs; no party data)")
SELLER_LOGINS = {
    "owner": _login("lumen.owner", "Lumen — owner"),
    "planner": _login("lumen.planner", "Lumen — planner"),
    "order_manager": _login("lumen.orders", "Lumen — order manager"),
    "finance": _login("lumen.finance", "Lumen — finance"),
    "viewer": _login("lumen.viewer", "Lumen — viewer"),
}
EUROHUB_LOGINS = {
    "owner": _login("eurohub.owner", "EuroHub Logistics — owner"),
    "manager": _login("eurohub.manager", "EuroHub Logistics — manager"),
    "warehouse_staff": _login("eurohub.staff", "EuroHub Logistics — warehouse staff (FRA1, BHX1)"),
    "billing": _login("eurohub.billing", "EuroHub Logistics — billing"),
}
PACIFIC_LOGINS = {
    "owner": _login("pacific.owner", "Pacific Gate Fulfillment — owner"),
    "manager": _login("pacific.manager", "Pacific Gate Fulfillment — manager"),
    "warehouse_staff": _login("pacific.staff", "Pacific Gate Fulfillment — warehouse staff (LAX1)"),
    "billing": _login("pacific.billing", "Pacific Gate Fulfillment — billing"),
}
ALL_LOGINS = [ADMIN, *SELLER_LOGINS.values(), *EUROHUB_LOGINS.values(), *PACIFIC_LOGINS.values()]

WAREHOUSES = (
    # code, operator, name, address, postcode, city, country, tz, currency, markets, holidays
    (
        "LAX1",
        "pacific",
        "Los Angeles (Ontario, CA)",
        "4500 E Airport Dr",
        "91761",
        "Ontario",
        "US",
        "America/Los_Angeles",
        "USD",
        ["US"],
        [(dt.date(2026, 11, 26), "Thanksgiving"), (dt.date(2026, 12, 25), "Christmas Day")],
    ),
    (
        "FRA1",
        "eurohub",
        "Frankfurt area (Raunheim)",
        "Kelsterbacher Straße 20",
        "65479",
        "Raunheim",
        "DE",
        "Europe/Berlin",
        "EUR",
        ["DE", "FR", "NL", "BE", "AT"],
        [(dt.date(2026, 12, 25), "1. Weihnachtstag"), (dt.date(2026, 12, 26), "2. Weihnachtstag")],
    ),
    (
        "BHX1",
        "eurohub",
        "Midlands (Coventry)",
        "Siskin Parkway East",
        "CV3 4PE",
        "Coventry",
        "GB",
        "Europe/London",
        "GBP",
        ["GB"],
        [(dt.date(2026, 12, 25), "Christmas Day"), (dt.date(2026, 12, 28), "Boxing Day (substitute)")],
    ),
)

FX = (  # 1 base = rate quote, on 2026-11-20 (demo values)
    ("USD", "CNY", "7.1250"), ("EUR", "CNY", "7.7030"), ("GBP", "CNY", "9.0410"),
    ("EUR", "USD", "1.0811"), ("GBP", "USD", "1.2689"), ("EUR", "GBP", "0.8520"),
)  # fmt: skip


def _user(login: DemoLogin, *, staff: bool = False) -> Any:
    users = get_user_model()
    user, created = users.objects.get_or_create(username=login.username)
    if created:
        user.set_password(login.password)
        user.is_staff = user.is_superuser = staff
        user.save()
    return user


def _members(actor: Actor, party: Seller | Operator, logins: dict[str, DemoLogin]) -> None:
    for role, login in logins.items():
        membership_add(actor=actor, party=party, user=_user(login), role=role)


def _warehouse(actor: Actor, operator: Operator, spec: tuple[Any, ...]) -> Warehouse:
    code, _, name, address, postcode, city, country, tz, currency, markets, holidays = spec
    warehouse = warehouse_create(
        actor=actor, operator=operator, code=code, name=name, address_line1=address, postcode=postcode,
        city=city, country=country, time_zone=tz, currency=currency, markets=markets,
        cutoff_time=dt.time(14, 0),
    )  # fmt: skip
    for on, holiday in holidays:
        holiday_add(actor=actor, warehouse=warehouse, on=on, name=holiday)
    # Pick face: zone A, 6 aisles × 10 racks × 4 levels × 2 positions; bulk: zone B behind it.
    locations_create_range(
        actor=actor, warehouse=warehouse, zone="A", aisles=(1, 6), racks=(1, 10), levels=(1, 4), positions=(1, 2),
        kind=LocationKind.PICK, capacity_volume_mm3=400 * 600 * 350, capacity_weight_g=25_000,
        layout=Layout(origin_x_m=Decimal("5.00"), origin_y_m=Decimal("10.00")),
    )  # fmt: skip
    locations_create_range(
        actor=actor, warehouse=warehouse, zone="B", aisles=(1, 4), racks=(1, 8), levels=(1, 3), positions=(1, 1),
        kind=LocationKind.BULK, capacity_volume_mm3=1200 * 1000 * 1500, capacity_weight_g=1_000_000,
        layout=Layout(origin_x_m=Decimal("30.00"), origin_y_m=Decimal("10.00"), aisle_spacing_m=Decimal("4.00")),
    )  # fmt: skip
    for area, kind, x in (
        ("DOCK-01", LocationKind.DOCK, "2.00"),
        ("RECV-01", LocationKind.RECEIVING, "4.00"),
        ("RET-01", LocationKind.RETURNS, "6.00"),
        ("QC-01", LocationKind.QUARANTINE, "8.00"),
        ("DMG-01", LocationKind.DAMAGED, "10.00"),
    ):
        location_create(
            actor=actor, warehouse=warehouse, code=area, kind=kind, x_m=Decimal(x), y_m=Decimal("2.00")
        )
    return warehouse


def _fees(actor: Actor, agreement: ServiceAgreement, currency: str, scale: Decimal) -> None:
    def m(amount: str) -> Money:
        return Money((Decimal(amount) * scale).quantize(Decimal("0.0001")), currency)

    fee_schedule_set(
        actor=actor,
        agreement=agreement,
        effective_from=dt.date(2026, 1, 1),
        lines={
            "inbound_carton": m("1.20"),
            "inbound_pallet": m("9.50"),
            "inbound_unit": m("0.08"),
            "storage_m3_day": m("0.55"),
            "outbound_order": m("1.85"),
            "outbound_extra_unit": m("0.35"),
            "packaging": m("0.25"),
            "return_unit": m("1.50"),
            "labelling": m("0.10"),
            "kitting": m("0.60"),
        },
        storage_free_days=30,
        age_bands=[
            BandInput(0, 90, m("0")),
            BandInput(91, 180, m("0.10")),
            BandInput(181, 365, m("0.45")),
            BandInput(366, None, m("1.20")),
        ],
        peak_factor=Decimal("2.0"),
        peak_months=[10, 11, 12],
    )


def _catalogue(actor: Actor, seller: Seller) -> None:
    products: dict[str, Product] = {}
    for family in FAMILIES:
        products[family.style] = product_create(
            actor=actor, seller=seller, style_code=family.style, name_en=family.name_en, name_zh=family.name_zh,
            brand="Lumen", category=family.category,
        )  # fmt: skip
    skus: dict[str, Sku] = {}
    for n, v in enumerate(variant_rows(), start=1):
        f = v.family
        skus[v.code] = sku_create(
            actor=actor, seller=seller, code=v.code, name_en=v.name_en, name_zh=v.name_zh, product=products[f.style],
            barcodes=[gtin13(GTIN_PREFIX, n)], colour=v.colour, size=v.size,
            length_mm=f.dims_mm[0], width_mm=f.dims_mm[1], height_mm=f.dims_mm[2], weight_g=f.weight_g,
            units_per_carton=f.units_per_carton, carton_length_mm=600, carton_width_mm=400, carton_height_mm=400,
            carton_weight_g=f.weight_g * f.units_per_carton + 800, hs_code=f.hs_code, origin_country="CN",
            declared_value=Money(f.declared_usd, "USD"), purchase_cost=Money(f.cost_cny, "CNY"),
            supplier_name="Dongguan Everbright Manufacturing", moq=f.moq, lead_time_days=f.lead_time_days,
            **dict.fromkeys(f.flags, True),
        )  # fmt: skip
    for code, name_en, name_zh, components in KITS:
        kit = sku_create(actor=actor, seller=seller, code=code, name_en=name_en, name_zh=name_zh)
        kit_set_components(actor=actor, kit=kit, components=[(skus[c], q) for c, q in components])


def demo_world_build(*, actor: Actor) -> bool:
    """Build the world unless it exists; True when it was built now."""
    _user(ADMIN, staff=True)
    if Seller.objects.filter(code=SELLER_CODE).exists():
        return False
    virtual_locations_ensure(actor=actor)
    for base, quote, rate in FX:
        fx_rate_record(
            actor=actor, base=base, quote=quote, on=dt.date(2026, 11, 20), rate=Decimal(rate), source="demo"
        )

    seller = seller_create(
        actor=actor, code=SELLER_CODE, name="Lumen Living", legal_name="Shenzhen Lumen Trading Co., Ltd.",
        country="CN", base_currency="CNY",
    )  # fmt: skip
    for market, recoverable in (("US", False), ("DE", True), ("FR", True), ("NL", True), ("BE", True),
                                ("AT", True), ("GB", True)):  # fmt: skip
        seller_market_set(actor=actor, seller=seller, country=market, import_vat_recoverable=recoverable)
    for kind, market, value in (
        ("eori", "EU", "DE123456789012345"), ("eori", "GB", "GB123456789000"), ("vat", "DE", "DE136695976"),
        ("vat", "GB", "GB980780684"), ("ioss", "EU", "IM2500000014"), ("de_lucid", "DE", "DE4123456789012"),
        ("fr_epr", "FR", "FR312345_01ABCD"),
    ):  # fmt: skip
        compliance_id_set(actor=actor, seller=seller, kind=kind, market=market, value=value)
    _members(actor, seller, SELLER_LOGINS)

    pacific = operator_create(
        actor=actor, code="pacific", name="Pacific Gate Fulfillment", legal_name="Pacific Gate Fulfillment LLC",
        country="US", billing_currency="USD",
    )  # fmt: skip
    eurohub = operator_create(
        actor=actor, code="eurohub", name="EuroHub Logistics", legal_name="EuroHub Logistics GmbH",
        country="DE", billing_currency="EUR",
    )  # fmt: skip
    _members(actor, pacific, PACIFIC_LOGINS)
    _members(actor, eurohub, EUROHUB_LOGINS)
    operators = {"pacific": pacific, "eurohub": eurohub}
    warehouses = {spec[0]: _warehouse(actor, operators[spec[1]], spec) for spec in WAREHOUSES}

    for operator, codes, currency, scale in (
        (pacific, ["LAX1"], "USD", Decimal("1.08")),
        (eurohub, ["FRA1", "BHX1"], "EUR", Decimal("1")),
    ):
        agreement = agreement_create(
            actor=actor, seller=seller, operator=operator, warehouses=[warehouses[c] for c in codes],
            valid_from=dt.date(2026, 1, 1), sla_ship_within_working_hours=24,
        )  # fmt: skip
        _fees(actor, agreement, currency, scale)
        agreement_activate(actor=actor, agreement=agreement)

    _catalogue(actor, seller)
    return True
