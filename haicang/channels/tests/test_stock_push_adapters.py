"""Stock push adapters: each platform's stock update call is built and signed without a network; the signatures
are computed again here independently with ``hashlib``/``hmac``, and the wrong order of the signed parts gives
another signature."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
from datetime import UTC, datetime
from urllib.parse import parse_qs, urlsplit

import jsonschema
import pytest

from haicang.channels.connectors import STOCK_PUSH_ADAPTERS, stock_push_adapter_for
from haicang.channels.connectors.amazon import AmazonStockPush, amazon_inventory_feed
from haicang.channels.connectors.shein import SheinStockPush
from haicang.channels.connectors.shopify import ShopifyStockPush
from haicang.channels.connectors.stock import StockItem
from haicang.channels.connectors.temu import TemuStockPush
from haicang.channels.connectors.tiktok import TikTokStockPush
from haicang.channels.normalised import PayloadInvalid, Platform

NOW = datetime(2026, 3, 2, 15, 4, 5, 123000, tzinfo=UTC)


def test_every_platform_has_a_stock_adapter():
    assert set(STOCK_PUSH_ADAPTERS) == set(Platform)
    assert stock_push_adapter_for("temu").label == "Temu"  # type: ignore[union-attr]
    assert stock_push_adapter_for("nowhere") is None


def test_a_stock_item_is_a_whole_non_negative_quantity_of_a_named_sku():
    with pytest.raises(ValueError, match="whole number"):
        StockItem("A", -1)
    with pytest.raises(ValueError, match="whole number"):
        StockItem("A", True)
    with pytest.raises(ValueError, match="channel SKU"):
        StockItem("", 1)


# --- Shopify -----------------------------------------------------------------------------------------------
SHOPIFY = {"shop_domain": "lumen.myshopify.com", "access_token": "shpat_test", "location_id": "655441491"}


def test_shopify_sets_available_quantities_at_the_accounts_location():
    adapter = ShopifyStockPush()
    items = [
        StockItem("TS-BLK-M", 7, {"inventory_item_id": "30322695"}),
        StockItem("MUG", 0, {"inventory_item_id": "gid://shopify/InventoryItem/4410"}),
    ]

    request = adapter.build_request(SHOPIFY, items, now=NOW)

    assert (request.method, request.url) == (
        "POST",
        "https://lumen.myshopify.com/admin/api/2025-01/graphql.json",
    )
    assert request.headers["X-Shopify-Access-Token"] == "shpat_test"
    body = json.loads(request.body)
    assert "inventorySetQuantities(input: $input)" in body["query"]
    assert body["variables"]["input"] == {
        "name": "available",
        "reason": "correction",
        "ignoreCompareQuantity": True,
        "quantities": [
            {
                "inventoryItemId": "gid://shopify/InventoryItem/30322695",
                "locationId": "gid://shopify/Location/655441491",
                "quantity": 7,
            },
            {
                "inventoryItemId": "gid://shopify/InventoryItem/4410",
                "locationId": "gid://shopify/Location/655441491",
                "quantity": 0,
            },
        ],
    }


def test_shopify_needs_a_location_and_each_listings_inventory_item():
    adapter = ShopifyStockPush()
    with pytest.raises(PayloadInvalid, match="location_id"):
        adapter.build_request(
            {**SHOPIFY, "location_id": ""}, [StockItem("A", 1, {"inventory_item_id": "1"})], now=NOW
        )
    assert adapter.missing(StockItem("A", 1)) == ("inventory_item_id",)
    assert adapter.missing(StockItem("A", 1, {"inventory_item_id": "1"})) == ()
    assert [len(b) for b in adapter.batches([StockItem(f"S{n}", 1) for n in range(300)])] == [250, 50]


# --- Amazon ------------------------------------------------------------------------------------------------
AMAZON = {"access_token": "Atza|test", "seller_id": "A3SELLER", "marketplace_id": "ATVPDKIKX0DER"}


def test_amazon_patches_one_listings_fulfillment_availability():
    adapter = AmazonStockPush()

    request = adapter.build_request(AMAZON, [StockItem("TS/BLK M", 12)], now=NOW)

    url = urlsplit(request.url)
    assert request.method == "PATCH"
    assert url.netloc == "sellingpartnerapi-na.amazon.com"
    assert url.path == "/listings/2021-08-01/items/A3SELLER/TS%2FBLK%20M"  # the SKU is one path segment
    assert parse_qs(url.query) == {"marketplaceIds": ["ATVPDKIKX0DER"], "issueLocale": ["en_US"]}
    assert request.headers["x-amz-access-token"] == "Atza|test"
    assert request.headers["x-amz-date"] == "20260302T150405Z"
    assert json.loads(request.body) == {
        "productType": "PRODUCT",
        "patches": [
            {
                "op": "merge",
                "path": "/attributes/fulfillment_availability",
                "value": [{"fulfillment_channel_code": "DEFAULT", "quantity": 12}],
            }
        ],
    }
    assert [len(b) for b in adapter.batches([StockItem("A", 1), StockItem("B", 2)])] == [1, 1]
    with pytest.raises(ValueError, match="one SKU"):
        adapter.build_request(AMAZON, [StockItem("A", 1), StockItem("B", 2)], now=NOW)
    with pytest.raises(PayloadInvalid, match="seller_id"):
        adapter.build_request({"access_token": "x", "marketplace_id": "y"}, [StockItem("A", 1)], now=NOW)


# The parts of Amazon's Listings Feed schema v2 a PATCH feed relies on.
LISTINGS_FEED = {
    "type": "object",
    "required": ["header", "messages"],
    "properties": {
        "header": {
            "type": "object",
            "required": ["sellerId", "version"],
            "properties": {"sellerId": {"type": "string"}, "version": {"const": "2.0"}},
        },
        "messages": {
            "type": "array",
            "minItems": 1,
            "items": {
                "type": "object",
                "required": ["messageId", "sku", "operationType", "productType", "patches"],
                "not": {"required": ["attributes"]},
                "properties": {
                    "messageId": {"type": "integer", "minimum": 1},
                    "sku": {"type": "string", "minLength": 1},
                    "operationType": {"const": "PATCH"},
                    "productType": {"type": "string", "minLength": 1},
                    "patches": {
                        "type": "array",
                        "items": {
                            "type": "object",
                            "required": ["op", "path"],
                            "properties": {"op": {"enum": ["add", "replace", "merge", "delete"]}},
                        },
                    },
                },
            },
        },
    },
}


def test_amazon_json_listings_feed_document_patches_every_sku():
    document = json.loads(
        amazon_inventory_feed("A3SELLER", [StockItem("A", 3), StockItem("B", 0, {"product_type": "SHIRT"})])
    )

    jsonschema.validate(document, LISTINGS_FEED)
    assert document["header"] == {"sellerId": "A3SELLER", "version": "2.0", "issueLocale": "en_US"}
    assert [(m["messageId"], m["sku"], m["productType"]) for m in document["messages"]] == [
        (1, "A", "PRODUCT"),
        (2, "B", "SHIRT"),
    ]
    assert document["messages"][1]["patches"][0]["value"] == [
        {"fulfillment_channel_code": "DEFAULT", "quantity": 0}
    ]


# --- TikTok Shop -----------------------------------------------------------------------------------------------
TIKTOK = {"app_key": "6abc", "app_secret": "s3cr3t", "access_token": "TTP_tok", "shop_cipher": "GCP_XF90"}


def _tiktok_expected(path: str, query: dict[str, str], body: bytes) -> str:
    secret = TIKTOK["app_secret"]
    pairs = "".join(f"{k}{query[k]}" for k in sorted(query) if k not in ("sign", "access_token"))
    message = (secret + path + pairs).encode() + body + secret.encode()
    return hmac.new(secret.encode(), message, hashlib.sha256).hexdigest()


def test_tiktok_updates_one_products_skus_and_signs_path_query_and_body():
    adapter = TikTokStockPush()
    items = [
        StockItem("TS-BLK-M", 5, {"product_id": "1729592969712203232", "sku_id": "1729592969712207008"}),
        StockItem("TS-BLK-L", 0, {"product_id": "1729592969712203232", "sku_id": "1729592969712207009"}),
    ]

    request = adapter.build_request({**TIKTOK, "warehouse_id": "7068517275539719942"}, items, now=NOW)

    url = urlsplit(request.url)
    path = "/product/202309/products/1729592969712203232/inventory/update"
    assert (request.method, url.path) == ("POST", path)
    query = {k: v[0] for k, v in parse_qs(url.query).items()}
    assert query["timestamp"] == str(int(NOW.timestamp())) and query["shop_cipher"] == "GCP_XF90"
    assert request.headers["x-tts-access-token"] == "TTP_tok"
    assert json.loads(request.body) == {
        "skus": [
            {
                "id": "1729592969712207008",
                "inventory": [{"quantity": 5, "warehouse_id": "7068517275539719942"}],
            },
            {
                "id": "1729592969712207009",
                "inventory": [{"quantity": 0, "warehouse_id": "7068517275539719942"}],
            },
        ]
    }
    unsigned = {k: v for k, v in query.items() if k != "sign"}
    expected = _tiktok_expected(path, unsigned, request.body)
    assert query["sign"] == request.signature == expected
    # the body is part of what is signed, and so is the order of the parts
    assert expected != _tiktok_expected(path, unsigned, b"{}")
    swapped = hmac.new(
        b"s3cr3t", b"s3cr3t" + request.body + path.encode() + b"s3cr3t", hashlib.sha256
    ).hexdigest()
    assert swapped != expected


def test_tiktok_calls_are_one_product_each():
    adapter = TikTokStockPush()
    items = [
        StockItem("A", 1, {"product_id": "P1", "sku_id": "1"}),
        StockItem("B", 1, {"product_id": "P2", "sku_id": "2"}),
        StockItem("C", 1, {"product_id": "P1", "sku_id": "3"}),
    ]
    assert [[i.channel_sku for i in batch] for batch in adapter.batches(items)] == [["A", "C"], ["B"]]
    with pytest.raises(ValueError, match="one product"):
        adapter.build_request(TIKTOK, items, now=NOW)
    assert adapter.missing(StockItem("A", 1, {"product_id": "P1"})) == ("sku_id",)


# --- Temu --------------------------------------------------------------------------------------------------
TEMU = {"app_key": "ak-temu", "app_secret": "sk-temu", "access_token": "at-temu", "gateway": "EU"}


def test_temu_sets_absolute_targets_of_one_goods_with_the_md5_signature():
    adapter = TemuStockPush()
    items = [
        StockItem("TS-BLK-M", 9, {"goods_id": "604269868588112", "sku_id": "58224724203874"}),
        StockItem("TS-BLK-L", 0, {"goods_id": "604269868588112", "sku_id": "58224724203875"}),
    ]

    request = adapter.build_request(TEMU, items, now=NOW)

    assert (request.method, request.url) == ("POST", "https://openapi-b-eu.temu.com/openapi/router")
    body = json.loads(request.body)
    assert body["type"] == "bg.local.goods.stock.edit"
    assert (body["goodsId"], body["stockType"]) == (604269868588112, 0)
    assert body["skuStockTargetList"] == [
        {"skuId": 58224724203874, "stockTarget": 9},
        {"skuId": 58224724203875, "stockTarget": 0},
    ]
    assert "skuStockChangeList" not in body  # never the difference form
    # the sign, computed independently: secret + sorted key+value (JSON values as their exact text) + secret
    text = request.body.decode()
    targets = text[text.index('"skuStockTargetList":') + len('"skuStockTargetList":') : text.index(',"sign"')]
    params = {k: v for k, v in body.items() if k != "sign"}
    params["skuStockTargetList"] = targets
    pairs = "".join(f"{k}{params[k]}" for k in sorted(params))
    expected = hashlib.md5(f"sk-temu{pairs}sk-temu".encode(), usedforsecurity=False).hexdigest().upper()
    assert body["sign"] == request.signature == expected
    unsorted = "".join(f"{k}{params[k]}" for k in params)
    assert (
        hashlib.md5(f"sk-temu{unsorted}sk-temu".encode(), usedforsecurity=False).hexdigest().upper()
        != expected
    )


def test_temu_calls_are_one_goods_each():
    adapter = TemuStockPush()
    items = [StockItem(f"S{n}", n, {"goods_id": f"G{n % 2}", "sku_id": str(n)}) for n in range(4)]
    assert [[i.quantity for i in batch] for batch in adapter.batches(items)] == [[0, 2], [1, 3]]
    with pytest.raises(ValueError, match="one goods"):
        adapter.build_request(TEMU, items, now=NOW)


# --- SHEIN -------------------------------------------------------------------------------------------------
SHEIN = {"open_key_id": "OPENKEY1", "secret_key": "SECRET1", "warehouse_code": "PS30720142"}


def test_shein_changes_saleable_inventory_with_its_signature():
    adapter = SheinStockPush()
    items = [
        StockItem("LUMEN-TS", 66, {"sku_code": "I569gfcaeopb"}),
        StockItem("LUMEN-MUG", 0, {"sku_code": "I91iicgnj561"}),
    ]

    request = adapter.build_request(SHEIN, items, now=NOW)

    assert (request.method, request.url) == (
        "POST",
        "https://openapi.sheincorp.com/open-api/gsp/goods/change-inventory",
    )
    assert json.loads(request.body) == {
        "updateSkuInventoryQuantityRequests": [
            {"skuCode": "I569gfcaeopb", "saleInventory": 66, "warehouseCode": "PS30720142"},
            {"skuCode": "I91iicgnj561", "saleInventory": 0, "warehouseCode": "PS30720142"},
        ]
    }
    timestamp = request.headers["x-lt-timestamp"]
    assert timestamp == "1772463845123" and request.headers["x-lt-openKeyId"] == "OPENKEY1"
    signature = request.headers["x-lt-signature"]
    random_key = signature[:5]
    digest = hmac.new(
        f"SECRET1{random_key}".encode(),
        f"OPENKEY1&{timestamp}&/open-api/gsp/goods/change-inventory".encode(),
        hashlib.sha256,
    ).hexdigest()
    assert signature == request.signature == random_key + base64.b64encode(digest.encode()).decode()
    other = hmac.new(
        f"SECRET1{random_key}".encode(),
        f"{timestamp}&OPENKEY1&/open-api/gsp/goods/change-inventory".encode(),
        hashlib.sha256,
    ).hexdigest()
    assert random_key + base64.b64encode(other.encode()).decode() != signature


def test_shein_without_a_warehouse_code_and_in_calls_of_100():
    adapter = SheinStockPush()
    request = adapter.build_request(
        {"open_key_id": "K", "secret_key": "S"}, [StockItem("A", 1, {"sku_code": "I1"})], now=NOW
    )
    assert json.loads(request.body) == {
        "updateSkuInventoryQuantityRequests": [{"skuCode": "I1", "saleInventory": 1}]
    }
    assert [len(b) for b in adapter.batches([StockItem(f"S{n}", 1) for n in range(150)])] == [100, 50]
