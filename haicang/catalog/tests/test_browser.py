"""The catalogue in a real browser (Debian's Chromium through Playwright)."""

from __future__ import annotations

import pytest

from haicang.catalog.tests.factories import make_product, make_sku
from haicang.parties.services import membership_add
from haicang.parties.tests.factories import SYSTEM, make_seller
from haicang.web.tests.conftest import PASSWORD

pytestmark = pytest.mark.browser


def test_a_seller_lists_skus_in_chinese_and_searches_as_they_type(
    live_server, transactional_db, django_user_model, browser_page
):
    from playwright.sync_api import expect

    # given a seller's member and SKUs named in both languages
    seller = make_seller(code="lumen", currency="USD")
    user = django_user_model.objects.create_user(username="mei", password=PASSWORD)
    membership_add(actor=SYSTEM, party=seller, user=user, role="planner")
    tee = make_product(seller, style_code="TEE", name_en="Cotton tee", name_zh="纯棉T恤")
    make_sku(
        seller,
        code="TEE-RED-M",
        name_en="Cotton tee red M",
        name_zh="纯棉T恤 红色 M",
        product=tee,
        colour="Red",
        size="M",
        barcodes=["4006381333931"],
    )
    make_sku(seller, code="LAMP-01", name_en="Desk lamp", name_zh="台灯", weight_g=1250)
    make_sku(seller, code="TORCH-01", name_en="Torch", name_zh="手电筒", lithium_battery=True)
    page = browser_page

    # when she signs in, opens the catalogue and switches to 简体中文
    page.goto(live_server.url + "/login/?next=/catalog/")
    page.get_by_label("Username").fill("mei")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("heading", name="SKUs", exact=True)).to_be_visible()
    page.get_by_role("button", name="简体中文").click()

    # then the list speaks Chinese: headings, navigation and the SKUs' Chinese names
    expect(page.get_by_role("heading", name="SKU 列表")).to_be_visible()
    table = page.locator("table.catalog-table")
    for heading in ("SKU 编码", "名称", "款号", "颜色", "尺码", "条码", "重量", "状态"):
        expect(table.get_by_role("columnheader", name=heading, exact=True)).to_be_visible()
    expect(page.get_by_role("navigation", name="主导航").get_by_role("link", name="商品目录")).to_be_visible()
    for name in ("纯棉T恤 红色 M", "台灯", "手电筒"):
        expect(table.get_by_text(name, exact=True)).to_be_visible()
    expect(table.get_by_text("在售").first).to_be_visible()
    expect(page.get_by_text("共 3 个 SKU")).to_be_visible()
    page.screenshot(path=str(_shot("catalog-zh")), full_page=True)

    # and typing in the search box narrows the list without leaving the page
    page.get_by_role("searchbox", name="搜索 SKU").fill("手电")
    expect(page.get_by_text("共 1 个 SKU")).to_be_visible()
    expect(table.get_by_text("手电筒", exact=True)).to_be_visible()
    expect(table.get_by_text("台灯", exact=True)).to_have_count(0)
    assert "/catalog/?q=%E6%89%8B%E7%94%B5" in page.url  # the address keeps the search

    # and a SKU's page shows its details in Chinese
    table.get_by_role("link", name="TORCH-01").click()
    expect(page.get_by_role("heading", name="TORCH-01 手电筒")).to_be_visible()
    expect(page.get_by_text("锂电池")).to_be_visible()


def _shot(name: str):
    import os
    import tempfile
    from pathlib import Path

    folder = Path(os.environ.get("HAICANG_SCREENSHOT_DIR", tempfile.gettempdir()))
    return folder / f"hc-ui-{name}.png"
