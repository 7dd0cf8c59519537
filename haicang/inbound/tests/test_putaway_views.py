"""The putaway pages through Django's test client: the queue, one item, scanning, errors, who sees what."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from haicang.core.audit import AuditEntry
from haicang.inbound.tests.putaway_factories import make_putaway_world
from haicang.parties.tests.factories import make_member, make_operator

pytestmark = pytest.mark.django_db


def _client(member: Any) -> Client:
    client = Client()
    client.force_login(member.user)
    return client


def _item_url(w: Any, sku: Any = None) -> str:
    return f"/putaway/{(sku or w.a).pk}/{w.receiving.pk}/"


def test_the_queue_lists_what_waits_and_links_each_item():
    w = make_putaway_world()
    w.receive(a=10, b=20)

    html = _client(w.staff).get("/putaway/").content.decode()

    assert w.a.code in html and w.b.code in html
    assert "× 10" in html and "× 20" in html
    assert "RCV-01" in html and w.rw.shipment.number in html
    assert f'href="{_item_url(w)}"' in html
    assert 'href="/putaway/"' in html  # the header's Putaway entry


def test_an_item_shows_its_suggestion_and_scanning_it_puts_the_units_away():
    w = make_putaway_world()
    w.receive(a=10)
    staff = _client(w.staff)

    page = staff.get(_item_url(w), {"quantity": 4}).content.decode()
    assert "Suggested bin" in page and w.p1.code in page
    assert "is an empty pick bin with room for 4." in page
    assert "10 waiting at RCV-01" in page

    # a partial putaway comes back to the item for the rest
    done = staff.post(
        _item_url(w), {"quantity": "4", "bin": "a-1-1-1-1", "suggested": w.p1.code, "suggested_for": "4"}
    )
    assert done.status_code == 302 and done["Location"] == _item_url(w)
    assert (w.at(w.p1), w.at(w.receiving)) == (4, 6)
    follow = staff.get(_item_url(w)).content.decode()
    assert f"Put away 4 × {w.a.code} into {w.p1.code}." in follow
    assert "6 waiting at RCV-01" in follow

    # the last units lead back to the queue
    last = staff.post(
        _item_url(w), {"quantity": "6", "bin": w.bulk.code, "suggested": w.bulk.code, "suggested_for": "6"}
    )
    assert last.status_code == 302 and last["Location"].startswith("/putaway/?warehouse=")
    assert w.at(w.receiving) == 0
    assert staff.get(_item_url(w)).status_code == 302  # nothing waits any more


def test_a_wrong_bin_shows_why_and_another_bin_is_taken_only_when_chosen():
    w = make_putaway_world()
    w.receive(a=10)
    staff = _client(w.staff)
    form = {"quantity": "2", "suggested": w.p1.code, "suggested_for": "2"}

    wrong = staff.post(_item_url(w), {**form, "bin": "RCV-01"}).content.decode()
    assert "RCV-01 is not a pick or bulk bin" in wrong and 'role="alert"' in wrong
    unknown = staff.post(_item_url(w), {**form, "bin": "Q-09-09-9-9"}).content.decode()
    assert f"There is no bin Q-09-09-9-9 in {w.warehouse.code}." in unknown

    other = staff.post(_item_url(w), {**form, "bin": w.p3.code}).content.decode()
    assert f"You scanned {w.p3.code}, not the suggested bin {w.p1.code}." in other
    assert f"Put away into {w.p3.code} instead" in other
    assert w.at(w.p3) == 0

    chosen = staff.post(_item_url(w), {**form, "bin": w.p3.code, "other_bin": "1"})
    assert chosen.status_code == 302 and w.at(w.p3) == 2
    assert AuditEntry.objects.get(action="inbound.putaway").changes["after"]["chosen_by_operator"] is True


def test_a_changed_quantity_is_checked_against_the_suggestion_for_it():
    # given P1 suggested for 4, the operator types 10 (more than a pick bin takes) and scans P1
    w = make_putaway_world()
    w.receive(a=10)
    answer = _client(w.staff).post(
        _item_url(w), {"quantity": "10", "bin": w.p1.code, "suggested": w.p1.code, "suggested_for": "4"}
    )
    # then the suggestion for 10 (the bulk bin) is what the scan is compared with
    html = answer.content.decode()
    assert f"not the suggested bin {w.bulk.code}" in html
    assert w.at(w.p1) == 0


def test_too_many_units_or_no_number_are_refused_on_the_page():
    w = make_putaway_world()
    w.receive(a=3)
    staff = _client(w.staff)

    many = staff.post(_item_url(w), {"quantity": "5", "bin": w.bulk.code, "other_bin": "1"}).content.decode()
    assert "Only 3 wait here" in many
    text = staff.post(_item_url(w), {"quantity": "lots", "bin": w.bulk.code}).content.decode()
    assert "Type a whole number above 0." in text
    assert w.at(w.receiving) == 3


def test_a_seller_gets_403_and_another_operator_sees_nothing():
    w = make_putaway_world()
    w.receive(a=3)
    seller = _client(make_member(w.rw.world.seller, "owner"))
    stranger = _client(make_member(make_operator(), "warehouse_staff"))

    assert seller.get("/putaway/").status_code == 403
    assert 'href="/putaway/"' not in seller.get("/").content.decode()
    assert stranger.get("/putaway/").status_code == 200
    assert w.a.code not in stranger.get("/putaway/").content.decode()
    assert stranger.get(_item_url(w)).status_code == 404
    assert stranger.post(_item_url(w), {"quantity": "1", "bin": w.p1.code}).status_code == 404
    assert w.at(w.receiving) == 3


def test_the_pages_read_in_chinese():
    w = make_putaway_world()
    w.receive(a=10)
    staff = _client(w.staff)
    staff.post("/i18n/setlang/", {"language": "zh-hans", "next": "/"})

    queue = staff.get("/putaway/").content.decode()
    item = staff.get(_item_url(w), {"quantity": 4}).content.decode()

    assert "上架" in queue
    assert "建议库位" in item and w.p1.code in item
    assert "Suggested bin" not in item and "is an empty pick bin" not in item
