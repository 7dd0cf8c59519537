"""The warehouse pages in a real browser (Debian's Chromium through Playwright)."""

from __future__ import annotations

import datetime as dt
import os
import tempfile
from decimal import Decimal
from pathlib import Path

import pytest

from haicang.network.tests.factories import make_bins, make_holiday, make_location, make_warehouse
from haicang.parties.services import membership_add
from haicang.parties.tests.factories import SYSTEM, make_operator
from haicang.web.tests.conftest import PASSWORD
from haicang.web.tests.test_browser import browser_page  # noqa: F401 - the shared Chromium fixture

pytestmark = pytest.mark.browser


def _shot(name: str) -> Path:
    folder = Path(os.environ.get("HAICANG_SCREENSHOT_DIR", tempfile.gettempdir()))
    return folder / f"hc-ui-{name}.png"


def test_an_operator_manager_reads_a_warehouse_in_chinese_and_filters_its_locations(
    live_server,
    transactional_db,
    django_user_model,
    browser_page,  # noqa: F811
):
    from playwright.sync_api import expect

    # given an operator's manager and a warehouse with bins on the floor, a dock and a holiday ahead
    operator = make_operator(code="rhein", country="DE")
    user = django_user_model.objects.create_user(username="max", password=PASSWORD)
    membership_add(actor=SYSTEM, party=operator, user=user, role="manager")
    warehouse = make_warehouse(operator, code="FRA1", name="Rhein-Main Süd", markets=["DE", "FR", "NL"])
    make_bins(warehouse, zone="A", aisles=(1, 4), racks=(1, 6), levels=(1, 1), positions=(1, 1))
    make_location(warehouse, code="DOCK-01", kind="dock", x_m=Decimal("1"), y_m=Decimal("1"))
    make_holiday(warehouse, on=dt.date(2099, 12, 25), name="Christmas Day")
    page = browser_page

    # when he signs in and switches to 简体中文
    page.goto(live_server.url + "/login/")
    page.get_by_label("Username").fill("max")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.get_by_role("button", name="简体中文").click()

    # then the header names his party and role, and links to the warehouses
    expect(page.get_by_text("经理", exact=True).first).to_be_visible()
    nav = page.get_by_role("navigation", name="主导航")
    nav.get_by_role("link", name="仓库", exact=True).click()

    # and the list and the warehouse's page speak Chinese
    expect(page.get_by_role("heading", name="仓库", exact=True)).to_be_visible()
    page.get_by_role("link", name="FRA1").click()
    expect(page.get_by_role("heading", name="FRA1 Rhein-Main Süd")).to_be_visible(timeout=15_000)
    for heading in ("地址", "工作时间", "节假日", "各类型库位数量", "平面图", "库位"):
        expect(page.get_by_role("heading", name=heading, exact=True)).to_be_visible()
    expect(page.get_by_text("Christmas Day")).to_be_visible()
    expect(page.locator("#floor-map .main-svg").first).to_be_visible(timeout=20_000)  # Plotly drew the map
    expect(page.get_by_text("共 25 个库位")).to_be_visible()
    page.screenshot(path=str(_shot("warehouse-zh")), full_page=True)

    # and choosing a kind narrows the locations in place
    page.get_by_label("类型", exact=True).select_option("dock")
    expect(page.get_by_text("共 1 个库位")).to_be_visible()
    expect(page.locator("#location-results").get_by_text("DOCK-01")).to_be_visible()
    assert page.url.endswith(f"/network/warehouses/{warehouse.pk}/")
