"""Packing: the suggested box, the parcel with its measured weight, billable weight and rate shopping."""

from __future__ import annotations

import pytest

from haicang.core.audit import audit_entries_for
from haicang.core.errors import ValidationFailed
from haicang.core.money import Money
from haicang.fulfillment.errors import NoBoxFits, NoServiceFits, TransitionInvalid
from haicang.fulfillment.models import OutboundStatus, Parcel, ParcelStatus
from haicang.fulfillment.packing import (
    box_suggestion,
    items_to_pack,
    parcel_pack,
    parcel_rate_shop,
    parcel_rate_shop_preview,
)
from haicang.fulfillment.tests.factories import (
    make_box,
    make_fulfilment_world,
    make_in_progress_request,
    make_picked_outbound,
)
from haicang.network.rates import Quote
from haicang.network.tests.carrier_factories import flat_zone, make_card, make_carrier, make_service
from haicang.parties.tests.factories import SYSTEM, make_operator

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    return make_fulfilment_world()


def test_packing_suggests_the_smallest_box_records_the_weight_and_rates_the_parcel(world):
    # given: two T-shirts (250 × 200 × 20 mm) picked — too long for box S, so M
    outbound = make_picked_outbound(world, [("TEE", 2)])

    # when
    parcel = parcel_pack(actor=SYSTEM, outbound=outbound, weight_g=520)

    # then
    assert parcel.number.startswith("PCL-")
    assert parcel.suggested_box is not None and parcel.box_type is not None
    assert (parcel.suggested_box.code, parcel.box_type.code) == ("M", "M")
    assert (parcel.length_mm, parcel.width_mm, parcel.height_mm, parcel.weight_g) == (300, 250, 150, 520)
    assert [(line.sku.code, line.quantity) for line in parcel.lines.all()] == [(world.skus["TEE"].code, 2)]
    assert parcel.status == ParcelStatus.PACKED
    # billable: 300 × 250 × 150 mm³ / 5000 = 2250 g > 520 g measured
    assert (parcel.service_code, parcel.rate, parcel.billable_weight_g) == (
        "UPS-GROUND",
        Money.of("7.10", "USD"),
        2250,
    )
    assert parcel.rate_reason.startswith("UPS Ground $7.10, 3 d — cheapest meeting Standard by ")
    assert "USPS Priority $8.40" in parcel.rate_reason
    assert "FedEx 2Day $15.20 (faster than needed)" in parcel.rate_reason
    outbound.refresh_from_db()
    assert (outbound.status, outbound.packed_at is not None) == (OutboundStatus.PACKED, True)
    assert items_to_pack(outbound) == []
    actions = set(audit_entries_for(subject=parcel).values_list("action", flat=True))
    assert actions == {"parcel.packed", "parcel.rated"}


def test_the_packer_may_take_a_bigger_box_and_its_dimensional_weight_is_billed(world):
    outbound = make_picked_outbound(world, [("TEE", 2)])

    parcel = parcel_pack(actor=SYSTEM, outbound=outbound, weight_g=520, box_type=world.boxes["L"])

    assert parcel.suggested_box is not None and parcel.box_type is not None
    assert (parcel.suggested_box.code, parcel.box_type.code) == ("M", "L")
    # 450 × 350 × 300 / 5000 = 9450 g: over the 5 kg break
    assert (parcel.billable_weight_g, parcel.rate) == (9450, Money.of("19.80", "USD"))


def test_measured_outer_dimensions_override_the_box(world):
    outbound = make_picked_outbound(world, [("TEE", 1)])

    parcel = parcel_pack(actor=SYSTEM, outbound=outbound, weight_g=300, dims=(260, 210, 30))

    assert (parcel.length_mm, parcel.width_mm, parcel.height_mm) == (260, 210, 30)
    assert parcel.billable_weight_g == 328  # 1,638,000 / 5000 = 327.6, rounded up


def test_billable_weight_follows_each_cards_divisor(world):
    # given: a cheap carrier whose card divides by 2000 (dimensional weight 2.5 × the others')
    carrier = make_carrier(world.operator, code="DHL", name="DHL")
    service = make_service(
        carrier, warehouses=[world.warehouse], countries=("US",), code="DHL-PKT", name="Paket"
    )
    make_card(service, currency="USD", dim_divisor=2000,
              zones=[flat_zone("US", "US", [(2000, "5.00"), (20000, "30.00")], "USD", transit_days=3)])  # fmt: skip
    outbound = make_picked_outbound(world, [("TEE", 2)])

    # when: packed in M (11,250,000 mm³)
    parcel = parcel_pack(actor=SYSTEM, outbound=outbound, weight_g=520)
    quotes = {q.service.code: q.result for q in parcel_rate_shop_preview(parcel).quotes}
    assert isinstance(quotes["DHL-PKT"], Quote) and isinstance(quotes["UPS-GROUND"], Quote)

    # then: DHL bills 5625 g (30.00), UPS 2250 g (7.10) — UPS stays the cheapest
    assert (quotes["DHL-PKT"].billable_weight_g, quotes["DHL-PKT"].total) == (5625, Money.of("30.00", "USD"))
    assert quotes["UPS-GROUND"].billable_weight_g == 2250
    assert parcel.service_code == "UPS-GROUND"
    assert "DHL Paket $30.00" in parcel.rate_reason

    # when the packer takes DHL anyway: its billable weight is stored
    parcel = parcel_rate_shop(actor=SYSTEM, parcel=parcel, service=service)
    assert (parcel.service_code, parcel.billable_weight_g, parcel.carrier_code) == ("DHL-PKT", 5625, "DHL")
    assert parcel.rate_reason.startswith(
        "chosen at packing: DHL Paket $30.00, 3 d (rate shop: UPS Ground $7.10"
    )


def test_a_faster_service_level_takes_a_faster_class(world):
    outbound = make_picked_outbound(world, [("MUG", 1)], service_level="Expedited")

    parcel = parcel_pack(actor=SYSTEM, outbound=outbound, weight_g=450)

    assert parcel.service_code == "USPS-PRIORITY"
    assert "UPS Ground $7.10 (below Expedited)" in parcel.rate_reason


def test_a_mixed_order_is_suggested_a_box_for_all_its_units(world):
    outbound = make_picked_outbound(world, [("TEE", 1), ("MUG", 2)])

    advice = box_suggestion(operator_id=world.operator.pk, items=items_to_pack(outbound))

    assert advice.box is not None and advice.choice is not None
    assert advice.box.code == "M"
    assert [s.code for s in advice.skipped] == ["S"]
    assert len(advice.choice.placements) == 3


def test_an_order_can_go_in_two_parcels_and_cannot_pack_more_than_was_picked(world):
    request = make_in_progress_request(world, [("TEE", 3)])
    outbound = make_picked_outbound(world, [("TEE", 3)], request=request)
    tee = world.skus["TEE"]

    first = parcel_pack(actor=SYSTEM, outbound=outbound, weight_g=400, lines=[(tee, 2)])
    with pytest.raises(ValidationFailed) as caught:
        parcel_pack(actor=SYSTEM, outbound=outbound, weight_g=400, lines=[(tee, 2)])
    second = parcel_pack(actor=SYSTEM, outbound=outbound, weight_g=200)

    assert caught.value.field == "lines"
    assert [line.quantity for line in first.lines.all()] == [2]
    assert [line.quantity for line in second.lines.all()] == [1]
    with pytest.raises(ValidationFailed, match="nothing picked left"):
        parcel_pack(actor=SYSTEM, outbound=outbound, weight_g=200)


def test_an_outbound_still_being_picked_cannot_be_packed(world):
    outbound = make_picked_outbound(world, [("TEE", 1)], picked=False)

    with pytest.raises(TransitionInvalid):
        parcel_pack(actor=SYSTEM, outbound=outbound, weight_g=200)

    assert not Parcel.objects.filter(outbound=outbound).exists()


def test_when_no_box_fits_the_packer_gives_the_dimensions(world):
    # given: a catalogue of one small box only
    world.boxes["M"].is_active = False
    world.boxes["M"].save()
    world.boxes["L"].is_active = False
    world.boxes["L"].save()
    outbound = make_picked_outbound(world, [("TEE", 2)])

    with pytest.raises(NoBoxFits):
        parcel_pack(actor=SYSTEM, outbound=outbound, weight_g=400)
    parcel = parcel_pack(actor=SYSTEM, outbound=outbound, weight_g=400, dims=(260, 210, 50))

    assert (parcel.suggested_box, parcel.box_type) == (None, None)
    assert parcel.service_code == "UPS-GROUND"


@pytest.mark.parametrize(
    ("arguments", "field"),
    [
        ({"weight_g": 0}, "weight_g"),
        ({"weight_g": -5}, "weight_g"),
        ({"weight_g": "300"}, "weight_g"),
        ({"weight_g": 300, "dims": (300, 0, 10)}, "width_mm"),
    ],
)
def test_a_measurement_must_be_whole_and_positive(world, arguments, field):
    outbound = make_picked_outbound(world, [("TEE", 1)])

    with pytest.raises(ValidationFailed) as caught:
        parcel_pack(actor=SYSTEM, outbound=outbound, **arguments)

    assert caught.value.field == field
    assert not Parcel.objects.filter(outbound=outbound).exists()


def test_another_operators_box_is_refused(world):
    outbound = make_picked_outbound(world, [("TEE", 1)])
    foreign = make_box(make_operator(), "X", 500, 500, 500, 30000, 500)

    with pytest.raises(ValidationFailed) as caught:
        parcel_pack(actor=SYSTEM, outbound=outbound, weight_g=300, box_type=foreign)

    assert caught.value.field == "box_type"


def test_a_parcel_no_service_can_carry_is_packed_unrated_with_the_reason(world):
    outbound = make_picked_outbound(world, [("TEE", 1)])

    parcel = parcel_pack(actor=SYSTEM, outbound=outbound, weight_g=25000)

    assert (parcel.carrier_service, parcel.rate, parcel.billable_weight_g) == (None, None, 0)
    assert parcel.rate_reason.startswith("no service can carry this parcel — ")
    assert "too_heavy" in parcel.rate_reason
    with pytest.raises(NoServiceFits):
        parcel_rate_shop(actor=SYSTEM, parcel=parcel)

    # when the weight is corrected, it is rated
    parcel = parcel_rate_shop(actor=SYSTEM, parcel=parcel, weight_g=2500)
    assert (parcel.weight_g, parcel.service_code) == (2500, "UPS-GROUND")


def test_a_service_of_another_operator_is_refused(world):
    outbound = make_picked_outbound(world, [("TEE", 1)])
    parcel = parcel_pack(actor=SYSTEM, outbound=outbound, weight_g=300)
    other = make_fulfilment_world(stock=0)

    with pytest.raises(NoServiceFits):
        parcel_rate_shop(actor=SYSTEM, parcel=parcel, service=other.services["UPS"])

    parcel.refresh_from_db()
    assert parcel.service_code == "UPS-GROUND"
