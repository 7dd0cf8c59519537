"""Putaway through the REST API: the queue, the suggestion, the putaway; errors and who may do what."""

from __future__ import annotations

from typing import Any

import pytest
from rest_framework.test import APIClient

from haicang.inbound.tests.putaway_factories import make_putaway_world
from haicang.inventory.verify import ledger_verify
from haicang.parties.tests.factories import make_member, make_operator

pytestmark = pytest.mark.django_db

BASE = "/api/v1/putaway/"


def _client(member: Any) -> APIClient:
    client = APIClient()
    client.force_login(member.user)
    return client


def test_the_whole_putaway_through_the_api():
    # given 10 × A and 20 × B received
    w = make_putaway_world()
    w.receive(a=10, b=20)
    api = _client(w.staff)

    # when the staff read the queue of the warehouse
    queue = api.get(f"{BASE}queue/", {"warehouse": str(w.warehouse.pk)})

    # then both wait at the receiving area, with their shipment
    assert queue.status_code == 200, queue.content
    rows = queue.json()["results"]
    assert sorted((r["sku"]["code"], r["location"]["code"], r["quantity"]) for r in rows) == sorted(
        [(w.a.code, "RCV-01", 10), (w.b.code, "RCV-01", 20)]
    )
    assert rows[0]["shipments"] == [{"id": str(w.rw.shipment.pk), "number": w.rw.shipment.number}]
    assert rows[0]["warehouse"]["code"] == w.warehouse.code

    # when they ask where 4 × A should go
    answer = api.get(
        f"{BASE}suggestion/", {"warehouse": str(w.warehouse.pk), "sku": str(w.a.pk), "quantity": "4"}
    )

    # then P1, an empty pick bin, with the reason in words and in parts
    assert answer.status_code == 200, answer.content
    body = answer.json()
    assert body["location"]["code"] == w.p1.code and body["rule"] == "empty_pick" and body["fit"] == "yes"
    assert (
        body["reason"]
        == f"{w.p1.code} is an empty pick bin with room for 4. It comes first in pick sequence."
    )
    assert [s["code"] for s in body["sentences"]] == ["empty_pick", "lowest"]

    # when they put 4 away into P1, naming the receiving area by id
    put = api.post(
        BASE,
        {
            "sku": str(w.a.pk),
            "from_location": str(w.receiving.pk),
            "to_location": w.p1.code.lower(),
            "quantity": 4,
            "suggested": w.p1.code,
        },
        format="json",
    )

    # then it is done and 6 are left
    assert put.status_code == 201, put.content
    done = put.json()
    assert (done["to_location"]["code"], done["quantity"], done["left"], done["followed"]) == (
        w.p1.code,
        4,
        6,
        True,
    )
    assert len(done["moves"]) == 1

    # and the rest goes to the bulk bin, naming the receiving area by code
    rest = api.post(
        BASE,
        {
            "sku": str(w.a.pk),
            "warehouse": str(w.warehouse.pk),
            "from_location": "rcv-01",
            "to_location": w.bulk.code,
            "quantity": 6,
        },
        format="json",
    )
    assert rest.status_code == 201, rest.content
    assert rest.json()["left"] == 0
    after = api.get(f"{BASE}queue/").json()["results"]
    assert [r["sku"]["code"] for r in after] == [w.b.code]
    assert ledger_verify() == []


def _post(api: APIClient, w: Any, **body: Any) -> Any:
    data = {"sku": str(w.a.pk), "from_location": str(w.receiving.pk), "quantity": 1, **body}
    return api.post(BASE, data, format="json")


def test_a_wrong_bin_a_bin_not_suggested_and_too_many_units_answer_problems():
    w = make_putaway_world()
    w.receive(a=2)
    api = _client(w.staff)

    wrong = _post(api, w, to_location="RCV-01")
    assert (wrong.status_code, wrong.json()["code"]) == (400, "putaway.wrong_bin")
    assert "not a pick or bulk bin" in wrong.json()["detail"]
    unknown = _post(api, w, to_location="Q-09-09-9-9")
    assert (unknown.status_code, unknown.json()["code"]) == (400, "putaway.wrong_bin")

    mismatch = _post(api, w, to_location=w.p2.code, suggested=w.p1.code)
    assert (mismatch.status_code, mismatch.json()["code"]) == (409, "putaway.bin_mismatch")
    chosen = _post(api, w, to_location=w.p2.code, suggested=w.p1.code, other_bin=True)
    assert chosen.status_code == 201 and chosen.json()["followed"] is False

    too_many = _post(api, w, to_location=w.p2.code, quantity=5)
    assert (too_many.status_code, too_many.json()["code"]) == (409, "putaway.not_enough")
    zero = _post(api, w, to_location=w.p2.code, quantity=0)
    assert zero.status_code == 400
    bad_quantity = api.get(
        f"{BASE}suggestion/", {"warehouse": str(w.warehouse.pk), "sku": str(w.a.pk), "quantity": "x"}
    )
    assert (bad_quantity.status_code, bad_quantity.json()["code"]) == (400, "putaway.invalid")


def test_a_seller_is_refused_and_another_operator_sees_and_moves_nothing():
    w = make_putaway_world()
    w.receive(a=3)
    seller = _client(make_member(w.rw.world.seller, "owner"))
    stranger = _client(make_member(make_operator(), "owner"))

    assert seller.get(f"{BASE}queue/").status_code == 403
    assert _post(seller, w, to_location=w.p1.code).status_code == 403

    assert stranger.get(f"{BASE}queue/").json()["results"] == []
    assert stranger.get(f"{BASE}queue/", {"warehouse": str(w.warehouse.pk)}).status_code == 404
    suggestion = stranger.get(
        f"{BASE}suggestion/", {"warehouse": str(w.warehouse.pk), "sku": str(w.a.pk), "quantity": "1"}
    )
    assert suggestion.status_code == 404
    assert _post(stranger, w, to_location=w.p1.code).status_code == 404
    assert w.at(w.receiving) == 3


def test_the_operators_billing_role_may_not_put_away():
    w = make_putaway_world()
    w.receive(a=3)
    billing = _client(make_member(w.rw.world.operator, "billing"))

    assert billing.get(f"{BASE}queue/").status_code == 403
    assert _post(billing, w, to_location=w.p1.code).status_code == 403
