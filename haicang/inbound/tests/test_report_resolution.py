"""The operator answers the seller's dispute of a receipt report — accepting the claim with the adjustment it
makes, or rejecting it with the reason — once, audited and announced; both parties read the claim and the
answer; only the operator of the shipment's warehouse answers. Through the service, the API and the page."""

from __future__ import annotations

from typing import Any

import jsonschema  # drf-spectacular's dependency
import pytest
from django.test import Client
from rest_framework.test import APIClient

from haicang.core.audit import audit_entries
from haicang.core.errors import ValidationFailed
from haicang.inbound.errors import ReportStatusInvalid
from haicang.inbound.receipt_report import (
    inbound_report_acknowledge,
    inbound_report_dispute,
    inbound_report_resolve,
    report_payload,
)
from haicang.inbound.receiving import inbound_close
from haicang.inbound.scanning import receiving_scan_record
from haicang.inbound.tests.factories import SYSTEM
from haicang.inbound.tests.receiving_factories import ReceivingWorld, make_arrived
from haicang.integration.catalogue import event_type_get
from haicang.integration.models import OutboxEvent
from haicang.integration.rendering import event_data
from haicang.parties.roles import PartyKind, permissions_for
from haicang.parties.scoping import Scope
from haicang.parties.tests.factories import make_member, make_operator

pytestmark = pytest.mark.django_db
CLAIM = "Carton 2 was signed for intact: 20 × B cannot be missing."


def _closed(*, disputed: bool = True) -> ReceivingWorld:
    """A shipment closed with B short (nothing of it received); the seller disputes the report."""
    rw = make_arrived()
    receiving_scan_record(actor=SYSTEM, shipment=rw.shipment, raw=rw.a.code, quantity=10)
    inbound_close(actor=SYSTEM, shipment=rw.shipment)
    if disputed:
        inbound_report_dispute(actor=SYSTEM, shipment=rw.shipment, note=CLAIM)
    return rw


# --- the service -------------------------------------------------------------------------------------------------


def test_the_operator_accepts_a_claim_once_saying_what_it_adjusts_audited_and_announced():
    rw = _closed()

    # when the operator accepts the claim without a note, it is refused; with one, the report is resolved
    with pytest.raises(ValidationFailed) as caught:
        inbound_report_resolve(actor=SYSTEM, shipment=rw.shipment, outcome="accepted", note=" ")
    assert caught.value.field == "note"
    report = inbound_report_resolve(
        actor=SYSTEM, shipment=rw.shipment, outcome="accepted", note="Found carton 2; 20 × B added to RCV-01."
    )

    # then the claim and the answer are kept, audited and announced to both parties
    payload = report_payload(report)
    assert payload["status"] == "resolved"
    assert payload["dispute"]["note"] == CLAIM
    assert (payload["resolution"]["outcome"], payload["resolution"]["note"]) == (
        "accepted",
        "Found carton 2; 20 × B added to RCV-01.",
    )
    entry = audit_entries().get(action="inbound.report_resolved")
    assert entry.changes["after"]["outcome"] == "accepted" and entry.changes["before"]["claim"] == CLAIM
    event = OutboxEvent.objects.get(event_type="inbound.report_resolved")
    assert (event.seller_id, event.operator_id) == (rw.world.seller.pk, rw.world.operator.pk)

    # and a second answer is refused; the seller then acknowledges, and the claim and answer stay
    with pytest.raises(ReportStatusInvalid):
        inbound_report_resolve(actor=SYSTEM, shipment=rw.shipment, outcome="rejected", note="no")
    done = report_payload(inbound_report_acknowledge(actor=SYSTEM, shipment=rw.shipment, note="thanks"))
    assert done["status"] == "acknowledged" and done["response_note"] == "thanks"
    assert done["dispute"]["note"] == CLAIM and done["resolution"]["outcome"] == "accepted"
    disputed = OutboxEvent.objects.get(event_type="inbound.report_disputed")
    rendered = event_data(disputed, _scope(PartyKind.OPERATOR, rw.world.operator.pk))
    assert rendered is not None and rendered["report"]["note"] == CLAIM  # not the later "thanks"


def test_only_a_disputed_report_is_answered_and_the_answer_is_accepted_or_rejected():
    rw = _closed(disputed=False)

    with pytest.raises(ReportStatusInvalid):
        inbound_report_resolve(actor=SYSTEM, shipment=rw.shipment, outcome="rejected", note="not disputed")
    inbound_report_dispute(actor=SYSTEM, shipment=rw.shipment, note=CLAIM)
    with pytest.raises(ValidationFailed) as caught:
        inbound_report_resolve(actor=SYSTEM, shipment=rw.shipment, outcome="maybe", note="hm")
    assert caught.value.field == "outcome"

    report = inbound_report_resolve(
        actor=SYSTEM, shipment=rw.shipment, outcome="rejected", note="The pallet arrived with 1 carton."
    )
    assert (report.status, report.resolution) == ("resolved", "rejected")
    assert OutboxEvent.objects.filter(event_type="inbound.report_resolved").count() == 1


def test_the_resolved_event_renders_its_schema_for_both_parties_and_nothing_for_a_stranger():
    rw = _closed()
    inbound_report_resolve(actor=SYSTEM, shipment=rw.shipment, outcome="rejected", note="1 carton arrived")
    event = OutboxEvent.objects.get(event_type="inbound.report_resolved")
    known = event_type_get("inbound.report_resolved")
    assert known is not None

    for kind, party in ((PartyKind.SELLER, rw.world.seller.pk), (PartyKind.OPERATOR, rw.world.operator.pk)):
        data = event_data(event, _scope(kind, party))
        assert data is not None
        jsonschema.validate(data, known.data_schema)
        assert data["report"]["dispute"]["note"] == CLAIM
        assert data["report"]["resolution"]["outcome"] == "rejected"
    assert event_data(event, _scope(PartyKind.OPERATOR, make_operator().pk)) is None


def _scope(kind: PartyKind, party_id: Any) -> Scope:
    return Scope(actor=SYSTEM, party_kind=kind, party_id=party_id, permissions=permissions_for(kind, "owner"))


# --- the API -----------------------------------------------------------------------------------------------------


def _api(party: Any, role: str = "owner") -> APIClient:
    client = APIClient()
    client.force_login(make_member(party, role).user)
    return client


def test_through_the_api_only_the_warehouses_operator_answers_and_both_read_the_answer():
    rw = _closed()
    url = f"/api/v1/inbound-shipments/{rw.shipment.pk}/receipt-report/"
    body = {"outcome": "accepted", "note": "Credit note CN-7 for 20 × B."}

    # the seller cannot answer its own dispute; another operator does not see the shipment; a note is needed
    assert _api(rw.world.seller).post(url + "resolve/", body, format="json").status_code == 403
    assert _api(make_operator()).post(url + "resolve/", body, format="json").status_code == 404
    manager = _api(rw.world.operator, "manager")
    assert manager.post(url + "resolve/", {"outcome": "accepted"}, format="json").status_code == 400

    answered = manager.post(url + "resolve/", body, format="json")
    assert answered.status_code == 200, answered.json()
    assert answered.json()["status"] == "resolved"

    seen = _api(rw.world.seller, "planner").get(url).json()
    assert seen["dispute"]["note"] == CLAIM
    assert seen["resolution"]["outcome"] == "accepted" and seen["resolution"]["note"] == body["note"]
    again = manager.post(url + "resolve/", body, format="json")
    assert again.status_code == 409 and again.json()["code"] == "inbound.report_status_invalid"


# --- the page ----------------------------------------------------------------------------------------------------


def _page(party: Any, role: str = "owner") -> Client:
    client = Client()
    client.force_login(make_member(party, role).user)
    return client


def test_on_the_report_page_the_operator_answers_and_the_seller_reads_the_answer():
    rw = _closed()
    page = f"/receiving/{rw.shipment.pk}/report/"
    seller, manager = _page(rw.world.seller), _page(rw.world.operator, "manager")

    # the seller reads its claim and that it is not answered yet; it has no form to answer it
    shown = seller.get(page).text
    assert "Carton 2 was signed for intact" in shown and "Not answered yet." in shown
    assert "Answer the dispute" not in shown

    # the operator has the form; rejecting without a reason is refused with a message
    shown = manager.get(page).text
    assert "Answer the dispute" in shown and 'value="rejected"' in shown
    refused = manager.post(page + "resolve/", {"outcome": "rejected", "note": ""}, follow=True)
    assert "Say why you reject the seller&#x27;s claim." in refused.text

    done = manager.post(
        page + "resolve/", {"outcome": "rejected", "note": "Only 1 carton arrived."}, follow=True
    )
    assert "You rejected the seller&#x27;s claim." in done.text and "Answer the dispute" not in done.text

    # then both read the answer
    for client in (seller, manager):
        shown = client.get(page).text
        assert "Claim rejected" in shown and "Only 1 carton arrived." in shown

    # another operator's staff get the 404 page; the seller cannot post an answer
    assert (
        _page(make_operator(), "manager").post(page + "resolve/", {"outcome": "accepted"}).status_code == 404
    )
    assert seller.post(page + "resolve/", {"outcome": "accepted", "note": "x"}).status_code == 403
