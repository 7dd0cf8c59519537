"""Channel SKU maps: a channel SKU stands for a SKU or a kit of the same seller; the CSV import kind."""

from __future__ import annotations

import pytest

from haicang.catalog.tests.factories import make_kit, make_sku
from haicang.channels.errors import AccountDisabled, ChannelSkuInvalid, SkuOtherSeller
from haicang.channels.models import ChannelSkuMap
from haicang.channels.selectors import channel_sku_resolve
from haicang.channels.services import channel_account_disable, channel_sku_map_delete, channel_sku_map_set
from haicang.channels.tests.factories import make_channel_account
from haicang.core.models import AuditEntry
from haicang.exchange.registry import ImportContext, importers
from haicang.exchange.running import import_run
from haicang.parties.tests.factories import SYSTEM, make_seller

pytestmark = pytest.mark.django_db


def test_a_channel_sku_maps_to_a_sku_or_a_kit_and_can_be_remapped():
    seller = make_seller()
    account = make_channel_account(seller, platform="temu")
    sku, part = make_sku(seller), make_sku(seller)
    kit = make_kit(seller, [(part, 2)])
    mapping = channel_sku_map_set(actor=SYSTEM, account=account, channel_sku=" TM-1 ", sku=sku)
    assert mapping.channel_sku == "TM-1" and channel_sku_resolve(account, "TM-1") == sku
    again = channel_sku_map_set(actor=SYSTEM, account=account, channel_sku="TM-1", sku=kit)
    assert again.pk == mapping.pk and channel_sku_resolve(account, "TM-1") == kit
    assert ChannelSkuMap.objects.count() == 1
    assert [
        e.action
        for e in AuditEntry.objects.filter(action__startswith="channel_sku_map.").order_by("occurred_at")
    ] == ["channel_sku_map.created", "channel_sku_map.changed"]
    channel_sku_map_delete(actor=SYSTEM, mapping=again)
    assert channel_sku_resolve(account, "TM-1") is None


def test_without_a_map_the_sku_code_itself_resolves():
    seller = make_seller()
    account = make_channel_account(seller)
    sku = make_sku(seller, code="LUMEN-TS-BLK-M")
    assert channel_sku_resolve(account, "LUMEN-TS-BLK-M") == sku
    assert channel_sku_resolve(make_channel_account(make_seller()), "LUMEN-TS-BLK-M") is None


def test_another_sellers_sku_a_disabled_account_and_a_bad_channel_sku_are_refused():
    seller = make_seller()
    account = make_channel_account(seller)
    with pytest.raises(SkuOtherSeller):
        channel_sku_map_set(actor=SYSTEM, account=account, channel_sku="X", sku=make_sku(make_seller()))
    with pytest.raises(ChannelSkuInvalid):
        channel_sku_map_set(actor=SYSTEM, account=account, channel_sku="  ", sku=make_sku(seller))
    channel_account_disable(actor=SYSTEM, account=account)
    with pytest.raises(AccountDisabled):
        channel_sku_map_set(actor=SYSTEM, account=account, channel_sku="X", sku=make_sku(seller))
    assert ChannelSkuMap.objects.count() == 0


def _run(seller, text: str):
    context = ImportContext(actor=SYSTEM, owner=seller, filename="m.csv")
    return import_run(
        importer=importers.get("channel_sku_map"), context=context, data=text.encode(), fmt="csv"
    )


def test_the_csv_import_checks_every_row_and_writes_all_or_nothing():
    seller = make_seller()
    account = make_channel_account(seller, name="Temu US", platform="temu")
    make_sku(seller, code="A")
    make_sku(seller, code="B")
    bad = "channel_account,channel_sku,sku_code\nTemu US,T-1,A\nNope,T-2,B\nTemu US,T-1,B\nTemu US,T-3,ZZ\n"
    outcome = _run(seller, bad)
    codes = sorted((p.row, p.code) for p in outcome.problems)
    assert codes == [
        (3, "channels.account_unknown"),
        (4, "channels.row_duplicate"),
        (5, "channels.sku_unknown"),
    ]
    assert ChannelSkuMap.objects.count() == 0
    good = "店铺,平台SKU,货号\nTemu US,T-1,A\nTemu US,T-2,B\n"
    outcome = _run(seller, good)
    assert outcome.problems == [] and outcome.counts["created"] == 2
    resolved = channel_sku_resolve(account, "T-2")
    assert resolved is not None and resolved.code == "B"
