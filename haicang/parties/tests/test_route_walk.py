"""Walk EVERY API route in the URL configuration and prove the access model on each one.

For every route of a party-scoped viewset (one with a ``resource``):
- a detail route answers 404 to the other world's parties for every method (the object exists only for its owners);
- its list never shows the other world's objects;
- a role without the route's permission answers 403.
A new endpoint is covered automatically; if its model has no factory below, this test fails and says so.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

import pytest
from django.urls import URLPattern, URLResolver, get_resolver
from rest_framework.test import APIClient

from haicang.catalog.models import Product, Sku
from haicang.catalog.tests.factories import make_product, make_sku
from haicang.channels.models import ChannelAccount, ChannelSkuMap, ChannelStockLevel, StockShareRule
from haicang.channels.tests.factories import make_channel_account, make_sku_map
from haicang.exchange.models import ImportJob, MappingProfile
from haicang.fulfillment.models import (
    BoxType,
    DockScan,
    Outbound,
    Parcel,
    PickException,
    PickList,
    PickupSchedule,
    TrackingAlert,
    TrackingEvent,
    TrackingMessage,
    TrackingWebhookSecret,
    Wave,
)
from haicang.fulfillment.tests import factories as ff
from haicang.inbound.models import Discrepancy, InboundShipment, LandedCostAverage, ReceivingScan
from haicang.inbound.tests.factories import make_landed_average, make_submitted_shipment
from haicang.inbound.tests.receiving_factories import make_discrepancy, make_receiving_scan
from haicang.integration.models import WebhookDelivery, WebhookSubscription
from haicang.inventory.models import Balance, CountTask, Move, Reservation
from haicang.network.models import Carrier, CarrierService, Holiday, Location, RateCard, Warehouse
from haicang.network.tests.carrier_factories import make_card, make_carrier, make_service
from haicang.network.tests.factories import make_holiday, make_location
from haicang.orders.models import Order, OrderSettings
from haicang.orders.models_fulfilment import FulfillmentRequest
from haicang.orders.routing import order_settings_set
from haicang.orders.tests.factories import make_order
from haicang.orders.tests.fulfilment_factories import make_fulfilment_request
from haicang.parties.models import ApiKey, Membership, Operator, Seller, ServiceAgreement
from haicang.parties.roles import OPERATOR_ROLES, SELLER_ROLES, PartyKind, permissions_for
from haicang.parties.services import api_key_issue
from haicang.parties.tests.factories import SYSTEM, make_agreement, make_member, make_operator, make_seller

pytestmark = pytest.mark.django_db


@dataclass
class World:
    seller: Seller
    operator: Operator
    agreement: ServiceAgreement
    seller_owner: Membership
    operator_owner: Membership


def _world() -> World:
    seller, operator = make_seller(), make_operator()
    return World(
        seller=seller,
        operator=operator,
        agreement=make_agreement(seller, operator),
        seller_owner=make_member(seller, "owner"),
        operator_owner=make_member(operator, "owner"),
    )


def _warehouse(w: World) -> Warehouse:
    warehouse = w.agreement.warehouses.first()
    assert warehouse is not None
    return warehouse


def _stocked(w: World) -> Any:
    """A bin of the world's warehouse holding 5 units of a new SKU of its seller: (sku, bin, moves)."""
    from haicang.inventory.services import stock_receive
    from haicang.network.services.virtual import virtual_locations_ensure

    virtual_locations_ensure(actor=SYSTEM)
    sku, where = make_sku(w.seller), make_location(_warehouse(w))
    return sku, where, stock_receive(actor=SYSTEM, owner=w.seller, sku=sku, location=where, quantity=5)


def _channel_stock_level(w: World) -> Any:
    from haicang.channels.stock_sync import channel_account_warehouses_set

    sku, _where, _moves = _stocked(w)
    account = make_channel_account(w.seller)
    channel_account_warehouses_set(actor=SYSTEM, account=account, warehouses=[_warehouse(w)])
    return ChannelStockLevel.objects.get(account=account, sku=sku)


def _share_rule(w: World) -> Any:
    from haicang.channels.stock_sync import stock_share_rule_set

    return stock_share_rule_set(
        actor=SYSTEM, account=make_channel_account(w.seller), mode="fixed", quantity=3
    )


def _reservation(w: World) -> Any:
    from haicang.inventory.services import DemandLine, stock_reserve

    sku, _where, _moves = _stocked(w)
    lines = [DemandLine(sku, 2)]
    return stock_reserve(
        actor=SYSTEM,
        owner=w.seller,
        warehouse=_warehouse(w),
        lines=lines,
        demand_type="order",
        demand_ref="W-1",
    )[0]


def _count_task(w: World) -> Any:
    from haicang.inventory.counting import count_task_create

    _sku, where, _moves = _stocked(w)
    return count_task_create(actor=SYSTEM, warehouse=_warehouse(w), locations=[where])


def _subscription(w: World) -> Any:
    from haicang.integration.services import webhook_subscription_create

    return webhook_subscription_create(
        actor=SYSTEM, party=w.seller, url="https://example.com/hooks", event_types=["stock.available_changed"]
    )[0]


def _delivery(w: World) -> Any:
    from haicang.integration.services import webhook_test_send

    return webhook_test_send(actor=SYSTEM, subscription=_subscription(w))


def _import_job(w: World) -> Any:
    from haicang.exchange.services import import_job_create

    return import_job_create(
        actor=SYSTEM,
        owner=w.seller,
        kind="catalog",
        content=b"sku_code,name_en\nA,Lamp\n",
        filename="walk.csv",
    )


def _mapping_profile(w: World) -> Any:
    from haicang.core.ids import new_id
    from haicang.exchange.services import mapping_profile_create

    return mapping_profile_create(
        actor=SYSTEM,
        owner=w.seller,
        kind="catalog",
        partner=f"walk {new_id()}",
        mapping={"Artikel": "sku_code"},
    )


_FLOORS: dict[Any, ff.FulfilmentWorld] = {}


def _fw(w: World) -> ff.FulfilmentWorld:
    """The fulfillment floor (bin, carrier service, box, a SKU in stock) of the world's parties, made once."""
    if w.seller.pk not in _FLOORS:
        _FLOORS[w.seller.pk] = ff.fulfilment_world_of(w.seller, w.operator, _warehouse(w), stock=500)
    return _FLOORS[w.seller.pk]


def _dock_scan(w: World) -> Any:
    from haicang.fulfillment.shipping import dock_scan

    return dock_scan(actor=SYSTEM, operator_id=w.operator.pk, raw="NO-SUCH-LABEL", warehouse=_warehouse(w))


def _webhook_secret(w: World) -> Any:
    from haicang.fulfillment.tracking_secrets import tracking_webhook_secret_issue

    carrier = make_carrier(w.operator)
    return tracking_webhook_secret_issue(actor=SYSTEM, operator=w.operator, carrier_code=carrier.code)[0]


def _pickup_schedule(w: World) -> Any:
    from haicang.fulfillment.setup import pickup_schedule_create

    carrier = make_carrier(w.operator)
    return pickup_schedule_create(actor=SYSTEM, warehouse=_warehouse(w), carrier=carrier, pickup_time="16:00")


# How to make one object of each scoped model inside a world. Add a line for every new API model.
FACTORIES: dict[type, Callable[[World], Any]] = {
    Seller: lambda w: w.seller,
    Operator: lambda w: w.operator,
    ServiceAgreement: lambda w: w.agreement,
    Membership: lambda w: make_member(w.seller, "viewer"),
    ApiKey: lambda w: api_key_issue(actor=SYSTEM, party=w.seller, name="walk", scopes=["catalog:read"])[0],
    Warehouse: _warehouse,
    Location: lambda w: make_location(_warehouse(w)),
    Holiday: lambda w: make_holiday(_warehouse(w)),
    Sku: lambda w: make_sku(w.seller),
    Product: lambda w: make_product(w.seller),
    Balance: lambda w: Balance.objects.get(location=_stocked(w)[1]),
    Move: lambda w: _stocked(w)[2][0],
    Reservation: _reservation,
    CountTask: _count_task,
    WebhookSubscription: _subscription,
    WebhookDelivery: _delivery,
    ImportJob: _import_job,
    MappingProfile: _mapping_profile,
    Carrier: lambda w: make_carrier(w.operator),
    CarrierService: lambda w: make_service(make_carrier(w.operator), warehouses=[_warehouse(w)]),
    RateCard: lambda w: make_card(make_service(make_carrier(w.operator), warehouses=[_warehouse(w)])),
    InboundShipment: lambda w: make_submitted_shipment(w.seller, _warehouse(w)),
    LandedCostAverage: lambda w: make_landed_average(w.seller, _warehouse(w)),
    ChannelAccount: lambda w: make_channel_account(w.seller),
    ChannelSkuMap: lambda w: make_sku_map(make_channel_account(w.seller)),
    StockShareRule: _share_rule,
    ChannelStockLevel: _channel_stock_level,
    Order: lambda w: make_order(make_channel_account(w.seller)),
    FulfillmentRequest: lambda w: make_fulfilment_request(w.seller, _warehouse(w)),
    OrderSettings: lambda w: order_settings_set(actor=SYSTEM, seller_id=w.seller.pk, allow_split=False),
    ReceivingScan: lambda w: make_receiving_scan(w.seller, _warehouse(w)),
    Discrepancy: lambda w: make_discrepancy(w.seller, _warehouse(w)),
    Outbound: lambda w: ff.make_picked_outbound(_fw(w)),
    Wave: lambda w: ff.make_wave(_fw(w)),
    PickList: lambda w: ff.make_pick_list(_fw(w)),
    PickException: lambda w: ff.make_pick_exception(_fw(w)),
    BoxType: lambda w: _fw(w).boxes["M"],
    Parcel: lambda w: ff.make_labelled_parcel(_fw(w)),
    DockScan: _dock_scan,
    TrackingEvent: lambda w: ff.make_tracking_event(_fw(w)),
    TrackingAlert: lambda w: ff.make_tracking_alert(_fw(w)),
    TrackingMessage: lambda w: ff.make_tracking_message(_fw(w)),
    TrackingWebhookSecret: _webhook_secret,
    PickupSchedule: _pickup_schedule,
}


@dataclass
class Route:
    path: str  # with {pk} in place of the detail id
    methods: list[str]
    view: Any  # the viewset or view class
    detail: bool


def _walk(patterns: list[Any], prefix: str = "") -> Iterator[tuple[str, URLPattern]]:
    for p in patterns:
        if isinstance(p, URLResolver):
            yield from _walk(p.url_patterns, prefix + str(p.pattern))
        elif isinstance(p, URLPattern):
            yield prefix + str(p.pattern), p


def api_routes() -> list[Route]:
    routes = []
    for raw, pattern in _walk(get_resolver().url_patterns):
        if not raw.startswith("api/v1/"):
            continue
        view = getattr(pattern.callback, "cls", None)
        actions = getattr(pattern.callback, "actions", None)
        if view is None or not getattr(view, "resource", None):
            continue
        path = "/" + re.sub(r"\(\?P<pk>[^)]+\)|<(?:\w+:)?pk>", "{pk}", raw)
        path = path.replace("^", "").replace("$", "")
        methods = [m.upper() for m in (actions or {})] or ["GET"]
        routes.append(Route(path=path, methods=methods, view=view, detail="{pk}" in path))
    return routes


def _client(membership: Membership) -> APIClient:
    client = APIClient()
    client.force_login(membership.user)
    return client


def _body(response: Any) -> str:
    """The text of an answer, streamed (a CSV export) or not."""
    if getattr(response, "streaming", False):
        return b"".join(response.streaming_content).decode()
    return str(response.content.decode())


def _call(client: APIClient, method: str, path: str) -> Any:
    return getattr(client, method.lower())(path, {}, format="json")


def test_the_walk_finds_the_party_routes():
    paths = {r.path for r in api_routes()}
    assert "/api/v1/sellers/{pk}/" in paths
    assert "/api/v1/agreements/{pk}/fee-schedules/" in paths


def test_every_scoped_api_route_hides_other_parties_objects_and_checks_roles():
    a, b = _world(), _world()
    factories = FACTORIES
    problems: list[str] = []

    for route in api_routes():
        model = route.view.queryset.model
        if model not in factories:
            problems.append(f"{route.path}: no route-walk factory for {model.__name__}")
            continue
        obj = factories[model](a)
        path = route.path.replace("{pk}", str(obj.pk))
        owners = [a.seller_owner, a.operator_owner]
        strangers = [b.seller_owner, b.operator_owner]

        if route.detail:
            # the owners' side sees it (otherwise a 404 below would prove nothing)
            if "GET" in route.methods and not any(
                _call(_client(m), "GET", path).status_code == 200 for m in owners
            ):
                problems.append(f"GET {path}: no owner of the object can read it")
            for stranger in strangers:
                for method in route.methods:
                    status = _call(_client(stranger), method, path).status_code
                    # 403 is acceptable only when the stranger's role lacks the permission outright
                    if status != 404 and not (status == 403 and _lacks(stranger, route, method)):
                        problems.append(f"{method} {path} as {stranger}: {status}, expected 404")
        elif "GET" in route.methods:
            for stranger in strangers:
                response = _call(_client(stranger), "GET", path)
                if response.status_code == 200 and str(obj.pk) in _body(response):
                    problems.append(f"GET {path} as {stranger}: lists the other party's {model.__name__}")

        # a role without the permission answers 403
        for method in route.methods:
            denied = _role_without(route, method, a)
            if denied is not None:
                status = _call(_client(denied), method, path).status_code
                if status != 403:
                    problems.append(f"{method} {path} as {denied.role}: {status}, expected 403")

    assert problems == []


def _permission(route: Route, method: str) -> str:
    reads = {"GET", "HEAD", "OPTIONS", *getattr(route.view, "read_methods", ())}  # e.g. POST of a quote
    return f"{route.view.resource}:{'read' if method in reads else 'write'}"


def _lacks(member: Membership, route: Route, method: str) -> bool:
    kind = PartyKind.SELLER if member.seller_id else PartyKind.OPERATOR
    return _permission(route, method) not in permissions_for(kind, member.role)


def _role_without(route: Route, method: str, world: World) -> Membership | None:
    """A member of the world whose role lacks the route's permission, if any role of either kind does."""
    needed = _permission(route, method)
    for table, party in ((SELLER_ROLES, world.seller), (OPERATOR_ROLES, world.operator)):
        for role, perms in table.items():
            if needed not in perms and any(needed in p for p in table.values()):
                return make_member(party, role.value)
    return None
