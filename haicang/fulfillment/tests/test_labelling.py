"""Labels: bought through the carrier interface (the sandbox for demo carriers), stored sealed as PDF and ZPL,
read back audited; voided before the carrier has the parcel."""

from __future__ import annotations

import datetime as dt
from io import BytesIO

import pytest
from pypdf import PdfReader

from haicang.core.audit import audit_entries_for
from haicang.core.files import file_exists, file_read
from haicang.fulfillment.carriers.formats import tracking_number_valid
from haicang.fulfillment.errors import LabelMissing, LabelRefused, NoServiceFits
from haicang.fulfillment.labelling import parcel_label, parcel_label_document, parcel_label_void
from haicang.fulfillment.models import OutboundStatus, Parcel, ParcelStatus
from haicang.fulfillment.packing import items_to_pack, parcel_pack
from haicang.fulfillment.shipping import outbound_ship
from haicang.fulfillment.tests.factories import (
    make_fulfilment_world,
    make_in_progress_request,
    make_picked_outbound,
)
from haicang.network.tests.carrier_factories import flat_zone, make_card, make_carrier, make_service
from haicang.orders.tests.factories import CUSTOMER, ship_to
from haicang.parties.tests.factories import SYSTEM

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    return make_fulfilment_world()


def packed(world, lines=(("TEE", 2),), weight_g=520):
    outbound = make_picked_outbound(world, lines)
    return outbound, parcel_pack(actor=SYSTEM, outbound=outbound, weight_g=weight_g)


def test_a_label_gets_a_real_format_tracking_number_and_is_stored_sealed(world):
    outbound, parcel = packed(world)

    parcel = parcel_label(actor=SYSTEM, parcel=parcel)

    assert parcel.status == ParcelStatus.LABELLED
    assert parcel.labelled_at is not None
    assert parcel.tracking_number.startswith("1Z")
    assert tracking_number_valid("ups", parcel.tracking_number)
    # stored sealed: neither the file nor the column holds the customer's name in clear
    name = str(parcel.label_pdf.name)
    assert name.startswith("labels/") and name.endswith(".pdf.sealed")
    stored = file_read(path=name)
    assert not stored.startswith(b"%PDF")
    assert CUSTOMER["name"].encode() not in stored
    assert parcel.label_zpl.startswith("sealed:")
    assert CUSTOMER["name"] not in parcel.label_zpl
    # read back in clear for the printer
    pdf = parcel_label_document(actor=SYSTEM, parcel=parcel, fmt="pdf")
    zpl = parcel_label_document(actor=SYSTEM, parcel=parcel, fmt="zpl").decode()
    assert pdf.startswith(b"%PDF")
    assert zpl.startswith("^XA") and parcel.tracking_number in zpl
    assert "SANDBOX" in zpl
    # audited: the sealed ship-to read for the label, the label bought, the label read
    request_actions = set(audit_entries_for(subject=outbound.request).values_list("action", flat=True))
    assert "fulfillment_request.contact_read" in request_actions
    actions = list(audit_entries_for(subject=parcel).values_list("action", flat=True))
    assert {"parcel.labelled", "parcel.label_read"} <= set(actions)
    assert actions.count("parcel.label_read") == 2


def test_a_european_name_gets_a_label_with_every_letter(world):
    # given a customer whose letters the CJK label font lacks (ş ı ç Ł ź)
    request = make_in_progress_request(world, ship_to=ship_to(name="Ayşe Kılıç", city="Łódź"))
    outbound = make_picked_outbound(world, request=request)
    parcel = parcel_pack(actor=SYSTEM, outbound=outbound, weight_g=520)

    parcel = parcel_label(actor=SYSTEM, parcel=parcel)

    # then the label is bought, and both documents carry the name and the city whole
    assert parcel.status == ParcelStatus.LABELLED
    pdf = PdfReader(BytesIO(parcel_label_document(actor=SYSTEM, parcel=parcel, fmt="pdf")))
    text = "".join(pdf.pages[0].extract_text().replace("\x00", "").split())
    assert "AyşeKılıç" in text and "Łódź" in text
    zpl = parcel_label_document(actor=SYSTEM, parcel=parcel, fmt="zpl").decode()
    assert "^FDAyşe Kılıç^FS" in zpl and "Łódź" in zpl


def test_a_second_label_is_refused(world):
    _, parcel = packed(world)
    first = parcel_label(actor=SYSTEM, parcel=parcel)

    with pytest.raises(LabelRefused):
        parcel_label(actor=SYSTEM, parcel=parcel)

    assert Parcel.objects.get(pk=parcel.pk).tracking_number == first.tracking_number


def test_a_parcel_without_a_service_cannot_be_labelled(world):
    _, parcel = packed(world, weight_g=25000)  # too heavy for every card: unrated

    with pytest.raises(NoServiceFits):
        parcel_label(actor=SYSTEM, parcel=parcel)

    assert Parcel.objects.get(pk=parcel.pk).status == ParcelStatus.PACKED


def test_a_carrier_no_adapter_knows_is_served_by_the_sandbox_carrier(world):
    carrier = make_carrier(world.operator, code="CPX", name="City Parcel Express")
    service = make_service(
        carrier, warehouses=[world.warehouse], countries=("US",), code="CPX-ECO", name="Eco"
    )
    make_card(service, currency="USD", zones=[flat_zone("US", "US", [(5000, "2.00")], "USD", transit_days=2)])
    _, parcel = packed(world)
    assert parcel.service_code == "CPX-ECO"

    parcel = parcel_label(actor=SYSTEM, parcel=parcel)

    assert parcel.tracking_number.startswith("SBX")
    assert tracking_number_valid("sandbox", parcel.tracking_number)
    assert parcel_label_document(actor=SYSTEM, parcel=parcel, fmt="pdf").startswith(b"%PDF")


def test_tracking_numbers_never_repeat(world):
    numbers = set()
    for _ in range(3):
        _, parcel = packed(world, lines=(("MUG", 1),), weight_g=450)
        numbers.add(parcel_label(actor=SYSTEM, parcel=parcel).tracking_number)

    assert len(numbers) == 3


def test_voiding_a_label_frees_the_units_to_pack_again(world, django_capture_on_commit_callbacks):
    outbound, parcel = packed(world)
    parcel = parcel_label(actor=SYSTEM, parcel=parcel)
    stored = str(parcel.label_pdf.name)

    with django_capture_on_commit_callbacks(execute=True):
        voided = parcel_label_void(actor=SYSTEM, parcel=parcel, reason="wrong box")

    assert voided.status == ParcelStatus.VOIDED
    assert (voided.label_pdf.name, voided.label_zpl) == ("", "")
    assert not file_exists(path=stored)
    outbound.refresh_from_db()
    assert outbound.status == OutboundStatus.PICKED
    assert [(i.sku.code, i.quantity) for i in items_to_pack(outbound)] == [(world.skus["TEE"].code, 2)]
    with pytest.raises(LabelMissing):
        parcel_label_document(actor=SYSTEM, parcel=voided, fmt="pdf")
    assert "parcel.label_voided" in set(audit_entries_for(subject=parcel).values_list("action", flat=True))

    # packed and labelled again: a new tracking number
    again = parcel_label(actor=SYSTEM, parcel=parcel_pack(actor=SYSTEM, outbound=outbound, weight_g=520))
    assert again.tracking_number != parcel.tracking_number


def test_a_label_the_carrier_has_scanned_cannot_be_voided(world):
    _, parcel = packed(world)
    parcel = parcel_label(actor=SYSTEM, parcel=parcel)
    assert parcel.labelled_at is not None
    Parcel.objects.filter(pk=parcel.pk).update(labelled_at=parcel.labelled_at - dt.timedelta(days=10))

    with pytest.raises(LabelRefused) as caught:
        parcel_label_void(actor=SYSTEM, parcel=parcel)

    assert caught.value.context["carrier_reason"] == "already_in_transit"
    assert Parcel.objects.get(pk=parcel.pk).status == ParcelStatus.LABELLED


def test_a_shipped_or_unlabelled_parcel_cannot_be_voided(world):
    outbound, parcel = packed(world)
    with pytest.raises(LabelRefused):
        parcel_label_void(actor=SYSTEM, parcel=parcel)

    parcel_label(actor=SYSTEM, parcel=parcel)
    outbound_ship(actor=SYSTEM, outbound=outbound)
    with pytest.raises(LabelRefused):
        parcel_label_void(actor=SYSTEM, parcel=parcel)
    # a shipped parcel's label can still be read
    assert parcel_label_document(actor=SYSTEM, parcel=Parcel.objects.get(pk=parcel.pk), fmt="zpl")
