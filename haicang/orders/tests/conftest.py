import pytest

from haicang.catalog.tests.factories import make_sku
from haicang.channels.tests.factories import make_channel_account, make_sku_map
from haicang.parties.tests.factories import make_seller


@pytest.fixture
def seller(db):
    return make_seller(currency="USD", country="US")


@pytest.fixture
def account(seller):
    return make_channel_account(seller, platform="shopify", name="Lumen US", currency="USD")


@pytest.fixture
def sku(seller, account):
    sku = make_sku(seller, code="LUMEN-TS-BLK-M")
    make_sku_map(account, channel_sku="TS-BLK-M", sku=sku)
    return sku
