"""Two operators putting away the same received units at the same moment, each in its own connection."""

from __future__ import annotations

import pytest

from haicang.core.actors import Actor
from haicang.inbound.putaway import PutawayNotEnough, putaway_confirm
from haicang.inbound.tests.putaway_factories import make_putaway_world
from haicang.inventory.errors import InsufficientStock
from haicang.inventory.tests.test_concurrency import run_together
from haicang.inventory.verify import ledger_verify

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.timeout(240)]


def _putter(w, member, bin, quantity: int):
    def work() -> str:
        try:
            putaway_confirm(
                actor=Actor.for_user(member.user),
                sku=w.a,
                from_location=w.receiving,
                scanned=bin.code,
                quantity=quantity,
            )
        except (PutawayNotEnough, InsufficientStock):
            return "refused"
        return "done"

    return work


def test_two_putaways_of_the_same_units_never_move_more_than_waits():
    # given 10 × A waiting in receiving
    w = make_putaway_world()
    w.receive(a=10)

    # when two operators each put 6 away at once (into different bins), then two others 2 each
    first = run_together([_putter(w, w.staff, w.bulk, 6), _putter(w, w.manager, w.p1, 6)])
    second = run_together([_putter(w, w.staff, w.p2, 2), _putter(w, w.manager, w.p3, 2)])

    # then one of the first pair was refused, both of the second pair passed, and the ledger is right
    assert first == {"done": 1, "refused": 1}
    assert second == {"done": 2}
    assert w.at(w.receiving) == 0
    assert w.at(w.bulk) + w.at(w.p1) == 6 and (w.at(w.p2), w.at(w.p3)) == (2, 2)
    assert ledger_verify() == []
