"""Putaway through the selectors and the service: the queue, the suggestion from the warehouse as it is, and
the move confirmed by scanning the bin — on the real ledger."""

from __future__ import annotations

import pytest

from haicang.catalog.tests.factories import make_sku
from haicang.core.actors import Actor
from haicang.core.audit import AuditEntry
from haicang.core.errors import NotFound
from haicang.inbound.putaway import (
    REASON_TEXTS,
    PutawayBinMismatch,
    PutawayInvalid,
    PutawayNotEnough,
    PutawayWrongBin,
    putaway_confirm,
    putaway_queue,
    putaway_sku_get,
    putaway_suggestion,
    reason_text,
)
from haicang.inbound.putaway_rules import TEXTS, Fit, Rule
from haicang.inbound.tests.factories import SYSTEM
from haicang.inbound.tests.putaway_factories import make_putaway_world
from haicang.inventory.models import Move
from haicang.inventory.services import stock_receive
from haicang.inventory.verify import ledger_verify
from haicang.network.models import LocationKind
from haicang.network.services.locations import location_deactivate
from haicang.network.tests.factories import make_location
from haicang.parties.access import scope_for_membership
from haicang.parties.scoping import AccessDenied
from haicang.parties.tests.factories import make_member, make_operator, make_seller

pytestmark = pytest.mark.django_db


def _scope(member):
    return scope_for_membership(member, actor=Actor.for_user(member.user))


def _put(w, scanned, quantity, *, sku=None, suggested="", other_bin=False, member=None):
    member = member or w.staff
    return putaway_confirm(
        actor=Actor.for_user(member.user),
        sku=sku or w.a,
        from_location=w.receiving,
        scanned=scanned,
        quantity=quantity,
        suggested=suggested,
        other_bin=other_bin,
    )


def test_the_translated_reasons_are_the_same_sentences_as_the_rules():
    assert {code: str(text) for code, text in REASON_TEXTS.items()} == TEXTS


def test_the_queue_lists_what_waits_in_receiving_with_its_shipment_for_the_operator_only():
    # given 10 × A and 20 × B received into the receiving area
    w = make_putaway_world()
    w.receive(a=10, b=20)

    # when the warehouse staff read the queue
    rows = putaway_queue(_scope(w.staff))

    # then both SKUs wait there, with the shipment that brought them
    assert [(r.sku.code, r.location.code, r.quantity) for r in rows] == sorted(
        [(w.a.code, "RCV-01", 10), (w.b.code, "RCV-01", 20)]
    )
    assert {s.number for r in rows for s in r.shipments} == {w.rw.shipment.number}
    assert rows[0].shipments[0].id == w.rw.shipment.pk
    # and another operator sees nothing of it, and a seller may not read the queue at all
    stranger = make_member(make_operator(), "owner")
    assert putaway_queue(_scope(stranger)) == []
    with pytest.raises(NotFound):
        putaway_sku_get(_scope(stranger), w.a.pk)
    with pytest.raises(AccessDenied):
        putaway_queue(_scope(make_member(w.rw.world.seller, "owner")))


def test_the_suggestion_follows_the_warehouse_as_it_is():
    w = make_putaway_world()
    w.receive(a=10)

    # an empty pick bin for what fits one, lowest in pick sequence; bulk for more
    four = putaway_suggestion(warehouse=w.warehouse, sku=w.a, quantity=4)
    assert (four.code, four.rule) == (w.p1.code, Rule.EMPTY_PICK)
    ten = putaway_suggestion(warehouse=w.warehouse, sku=w.a, quantity=10)
    assert (ten.code, ten.rule) == (w.bulk.code, Rule.EMPTY_BULK)
    assert "No empty pick bin is known to have room for 10." in ten.reason

    # once 3 × A are in P2, P2 takes 2 more; 3 more do not fit it, so the nearest empty pick bin (P1 before P3)
    _put(w, w.p2.code, 3)
    two = putaway_suggestion(warehouse=w.warehouse, sku=w.a, quantity=2)
    assert (two.code, two.rule, two.fit) == (w.p2.code, Rule.HOLDS_SKU, Fit.YES)
    assert two.reason == f"{w.p2.code} already holds 3 × {w.a.code} and has room for 2 more."
    three = putaway_suggestion(warehouse=w.warehouse, sku=w.a, quantity=3)
    assert (three.code, three.rule) == (w.p1.code, Rule.EMPTY_PICK)
    assert three.reason.startswith(f"The pick bins holding {w.a.code} have no room for 3 more.")

    # another seller's stock in P1 makes it neither empty nor a bin holding A
    other = make_seller()
    stock_receive(
        actor=SYSTEM,
        owner=other,
        sku=make_sku(other, length_mm=10, width_mm=10, height_mm=10, weight_g=1),
        location=w.p1,
        quantity=1,
    )
    assert putaway_suggestion(warehouse=w.warehouse, sku=w.a, quantity=3).code == w.p3.code


def test_a_sku_without_dimensions_gets_a_suggestion_whose_reason_says_its_room_is_unknown():
    w = make_putaway_world()
    bare = make_sku(w.rw.world.seller, code="BARE-1")
    stock_receive(actor=SYSTEM, owner=w.rw.world.seller, sku=bare, location=w.receiving, quantity=2)

    suggestion = putaway_suggestion(warehouse=w.warehouse, sku=bare, quantity=2)

    assert (suggestion.code, suggestion.fit) == (w.bulk.code, Fit.YES)  # the bulk bin has no limits
    w.bulk.capacity_volume_mm3 = 10**9
    w.bulk.save()
    unknown = putaway_suggestion(warehouse=w.warehouse, sku=bare, quantity=2)
    assert unknown.fit is Fit.UNKNOWN
    assert "BARE-1 has no dimensions, so its volume is unknown." in unknown.reason


def test_scanning_the_suggested_bin_moves_the_units_through_the_ledger_and_audits_it():
    # given 10 × A waiting, and P1 suggested for 4
    w = make_putaway_world()
    w.receive(a=10)
    shown = putaway_suggestion(warehouse=w.warehouse, sku=w.a, quantity=4)

    # when the staff scan P1's code as the scanner sends it (any case, no zero padding)
    done = _put(w, "a-1-1-1-1", 4, suggested=shown.code)

    # then 4 units moved from receiving into P1, 6 are left, and the move names the shipment
    assert (done.to_location, done.quantity, done.left, done.followed) == (w.p1, 4, 6, True)
    assert (w.at(w.receiving), w.at(w.p1)) == (6, 4)
    move = Move.objects.get(pk=done.moves[0].pk)
    assert (move.document_type, move.document_ref) == ("putaway", w.rw.shipment.number)
    assert move.actor_user_id == w.staff.user_id
    entry = AuditEntry.objects.get(action="inbound.putaway")
    after = entry.changes["after"]
    assert after["to_location"] == w.p1.code and after["suggested"] == w.p1.code
    assert after["followed"] is True and after["suggestion_reason"] == shown.reason
    assert ledger_verify() == []


@pytest.mark.parametrize(
    ("scanned", "reason"),
    [
        ("", "empty"),
        ("not a code!", "not_a_code"),
        ("Z-99-99-9-9", "unknown"),
        ("RCV-01", "kind"),
        ("DMG-01", "kind"),
    ],
)
def test_a_wrong_bin_is_refused_with_a_clear_error_and_nothing_moves(scanned, reason):
    w = make_putaway_world()
    w.receive(a=10)

    with pytest.raises(PutawayWrongBin) as caught:
        _put(w, scanned, 1)

    assert caught.value.context["reason"] == reason
    assert caught.value.field == "to_location"
    assert w.at(w.receiving) == 10
    assert not Move.objects.filter(document_type="putaway").exists()


def test_an_inactive_bin_and_another_warehouses_bin_are_refused():
    w = make_putaway_world()
    w.receive(a=10)
    location_deactivate(actor=SYSTEM, location=w.p3)
    with pytest.raises(PutawayWrongBin, match="not in use"):
        _put(w, w.p3.code, 1)
    from haicang.network.tests.factories import make_warehouse

    make_location(make_warehouse(make_operator()), code="C-01-01-1-1")
    with pytest.raises(PutawayWrongBin, match="no bin C-01-01-1-1"):
        _put(w, "C-01-01-1-1", 1)


def test_another_bin_than_suggested_is_refused_unless_the_operator_chooses_it_and_the_choice_is_recorded():
    w = make_putaway_world()
    w.receive(a=10)

    # when P2 is scanned while P1 was suggested
    with pytest.raises(PutawayBinMismatch) as caught:
        _put(w, w.p2.code, 2, suggested=w.p1.code)
    assert caught.value.context == {"scanned": w.p2.code, "suggested": w.p1.code}
    assert w.at(w.p2) == 0

    # when the operator chooses P2 on purpose
    done = _put(w, w.p2.code, 2, suggested=w.p1.code, other_bin=True)

    # then the units are in P2 and the audit says P1 was suggested and P2 chosen
    assert (done.followed, w.at(w.p2)) == (False, 2)
    after = AuditEntry.objects.get(action="inbound.putaway").changes["after"]
    assert (after["shown"], after["to_location"], after["chosen_by_operator"]) == (w.p1.code, w.p2.code, True)
    assert "suggested A-01-01-1-1" in Move.objects.get(pk=done.moves[0].pk).reason
    assert ledger_verify() == []


def test_partial_putaways_until_nothing_waits_then_more_is_refused():
    w = make_putaway_world()
    w.receive(a=10, b=4)

    _put(w, w.p1.code, 5)
    _put(w, w.bulk.code, 3)
    with pytest.raises(PutawayNotEnough) as caught:
        _put(w, w.bulk.code, 3)
    assert caught.value.context["waiting"] == 2
    last = _put(w, w.bulk.code, 2)
    _put(w, w.p3.code, 4, sku=w.b)

    assert last.left == 0
    assert (w.at(w.p1), w.at(w.bulk), w.at(w.receiving)) == (5, 5, 0)
    assert putaway_queue(_scope(w.staff)) == []
    assert Move.objects.filter(document_type="putaway").count() == 4
    assert ledger_verify() == []


@pytest.mark.parametrize("quantity", [0, -2, True])
def test_a_quantity_is_a_whole_number_above_zero(quantity):
    w = make_putaway_world()
    w.receive(a=1)
    with pytest.raises(PutawayInvalid):
        _put(w, w.p1.code, quantity)


def test_units_are_put_away_from_a_receiving_location_only():
    w = make_putaway_world()
    w.receive(a=3)
    _put(w, w.p1.code, 3)
    with pytest.raises(PutawayInvalid, match="not a receiving location"):
        putaway_confirm(actor=SYSTEM, sku=w.a, from_location=w.p1, scanned=w.p2.code, quantity=1)


def test_the_reason_is_translated_for_a_chinese_reader():
    from django.utils import translation

    w = make_putaway_world()
    w.receive(a=10)
    suggestion = putaway_suggestion(warehouse=w.warehouse, sku=w.a, quantity=4)
    with translation.override("zh-hans"):
        text = reason_text(suggestion)
    assert w.p1.code in text and text != suggestion.reason
    assert "LocationKind" not in text and LocationKind.PICK not in text
