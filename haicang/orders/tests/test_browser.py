"""The order team's pages in a real browser (Debian's Chromium through Playwright): the orders list with its
holds, an order's routing decision with the reason per warehouse, a held order, the order settings; and the
fulfillment requests as the warehouse sees them — at risk and late, and one accepted."""

from __future__ import annotations

import os
import tempfile
from datetime import timedelta
from pathlib import Path

import pytest
from django.utils import timezone

from haicang.orders.models_fulfilment import FulfillmentRequest
from haicang.orders.routing import order_settings_of
from haicang.orders.tests.factories import line, make_order, ship_to
from haicang.orders.tests.fulfilment_factories import make_fulfilment_request
from haicang.orders.tests.routing_factories import make_network
from haicang.parties.services import membership_add
from haicang.parties.tests.factories import SYSTEM, make_agreement, make_operator, make_seller
from haicang.web.tests.conftest import PASSWORD
from haicang.web.tests.test_browser import browser_page  # noqa: F401 - the shared Chromium fixture

pytestmark = pytest.mark.browser


def _shot(name: str) -> Path:
    folder = Path(os.environ.get("HAICANG_SCREENSHOT_DIR", tempfile.gettempdir()))
    return folder / f"hc-ui-{name}.png"


def _sign_in(page, base_url: str, username: str, next_path: str) -> None:
    page.goto(f"{base_url}/login/?next={next_path}")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()


def test_the_order_team_sees_why_an_order_ships_from_a_warehouse_and_why_another_is_held(
    live_server,
    transactional_db,
    django_user_model,
    browser_page,  # noqa: F811
    seller,
    account,
    sku,
):
    from playwright.sync_api import expect

    # given three US warehouses under agreement, 12 units in Los Angeles, a routed order and one on hold
    network = make_network(seller)
    network.receive(seller, sku, "LAX1", 12)
    routed = make_order(account, external_id="1042", display_ref="#1042", lines=(line(quantity=2),))
    held = make_order(account, external_id="1043", display_ref="#1043", ship_to=ship_to(postcode="9747"))
    user = django_user_model.objects.create_user(username="olga", password=PASSWORD)
    membership_add(actor=SYSTEM, party=seller, user=user, role="order_manager")
    page = browser_page

    # when the order manager signs in and opens the orders from the navigation
    _sign_in(page, live_server.url, "olga", "/")
    page.get_by_role("navigation", name="Main navigation").get_by_role("link", name="Orders").click()

    # then both orders are listed, the held one with its reason as a badge
    expect(page.get_by_role("heading", name="Orders", exact=True)).to_be_visible()
    held_row = page.locator(f"#order-{held.pk}")
    expect(held_row.get_by_text("Postcode invalid")).to_be_visible()
    expect(page.locator(f"#order-{routed.pk}").get_by_text("#1042")).to_be_visible()
    # and the hold filter narrows the list to it
    page.locator('select[name="hold"]').select_option("true")
    page.get_by_role("button", name="Filter").click()
    expect(page.locator(f"#order-{routed.pk}")).to_have_count(0)
    expect(held_row).to_be_visible()
    page.screenshot(path=str(_shot("orders-held")), full_page=True)

    # and the held order says why, and that it is not routed while held
    held_row.get_by_role("link", name=held.number).click()
    expect(page.get_by_role("heading", name=held.number)).to_be_visible()
    holds = page.locator("#holds")
    expect(holds.get_by_text("Postcode invalid")).to_be_visible()
    expect(holds.get_by_text("'9747' is not a postcode of US")).to_be_visible()
    expect(page.locator("#routing").get_by_text("Not routed: the order is on hold.")).to_be_visible()

    # and the routed order shows the decision with the reason for every candidate warehouse
    page.goto(f"{live_server.url}/orders/{routed.pk}/")
    routing = page.locator("#routing")
    expect(routing.get_by_text("Allocated", exact=True)).to_be_visible()
    chosen = routing.locator("li", has=page.locator("strong"))
    expect(chosen).to_contain_text("LAX1: 12 in stock, USD 4.10")
    expect(chosen.get_by_text("Chosen")).to_be_visible()
    expect(routing.get_by_text("FRA1: 0 in stock")).to_be_visible()
    expect(routing.get_by_text("NJ1: 0 in stock")).to_be_visible()
    page.screenshot(path=str(_shot("order-routing")), full_page=True)

    # and the order settings let her allow splitting orders across warehouses
    page.goto(f"{live_server.url}/orders/")
    page.get_by_role("link", name="Order settings").click()
    expect(page.get_by_role("heading", name="Order settings")).to_be_visible()
    box = page.get_by_label("Allow splitting an order across warehouses")
    expect(box).not_to_be_checked()
    box.check()
    page.get_by_role("button", name="Save settings").click()
    expect(page.get_by_text("Order settings saved.")).to_be_visible()
    expect(page.get_by_label("Allow splitting an order across warehouses")).to_be_checked()
    assert order_settings_of(seller.pk).allow_split is True


def test_the_warehouse_sees_what_is_late_and_accepts_a_request(
    live_server,
    transactional_db,
    django_user_model,
    browser_page,  # noqa: F811
):
    from playwright.sync_api import expect

    # given a seller's requests to an operator's warehouse: one late, one just released
    seller, operator = make_seller(currency="USD", country="US"), make_operator()
    warehouse = make_agreement(seller, operator).warehouses.get()
    late = make_fulfilment_request(seller, warehouse)
    fresh = make_fulfilment_request(seller, warehouse)
    now = timezone.now()
    FulfillmentRequest.objects.filter(pk=late.pk).update(
        due_at=now - timedelta(hours=2), at_risk_from=now - timedelta(hours=6)
    )
    user = django_user_model.objects.create_user(username="wei", password=PASSWORD)
    membership_add(actor=SYSTEM, party=operator, user=user, role="warehouse_staff")
    page = browser_page

    # when the warehouse staff signs in and opens Fulfillment, then "At risk and late"
    _sign_in(page, live_server.url, "wei", "/")
    page.get_by_role("navigation", name="Main navigation").get_by_role("link", name="Fulfillment").click()
    expect(page.get_by_role("heading", name="Fulfillment requests")).to_be_visible()
    expect(page.locator(f"#fr-{fresh.pk}")).to_be_visible()
    page.get_by_role("link", name="At risk and late").click()

    # then only the late request is there, marked late
    expect(page.get_by_role("heading", name="At risk and late")).to_be_visible()
    expect(page.locator(f"#fr-{late.pk} [data-sla='late']")).to_be_visible()
    expect(page.locator(f"#fr-{fresh.pk}")).to_have_count(0)
    page.screenshot(path=str(_shot("fulfilment-at-risk")), full_page=True)

    # and opening the late one, the staff accepts it: its status and history say so
    page.get_by_role("link", name=late.number).click()
    expect(page.get_by_role("heading", name=late.number)).to_be_visible()
    expect(page.get_by_text(late.order_number).first).to_be_visible()
    page.get_by_role("button", name="Accept", exact=True).click()
    expect(page.locator("h1 .badge").first).to_have_text("Accepted")
    # and the warehouse works it as outbound work from now on: it starts when its wave is released
    expect(page.locator("#outbound")).to_be_visible()
    expect(page.get_by_role("button", name="Start work")).to_have_count(0)
    late.refresh_from_db()
    assert late.status == "accepted"
    assert list(late.history.values_list("event", flat=True)) == ["created", "accepted"]
