"""The inbound shipment pages, through Django's test client: list and filters, the draft's form with every
problem placed next to its row, the lifecycle steps, the landed cost on the detail page, and scoping."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pytest
from django.utils import timezone

from haicang.core.money import Money
from haicang.inbound import services, views
from haicang.inbound.costing import shipment_landed_cost
from haicang.inbound.models import InboundShipment, ShipmentStatus
from haicang.inbound.tests.factories import (
    SYSTEM,
    InboundWorld,
    make_inbound_world,
    make_shipment,
    record_rates,
)
from haicang.parties.tests.factories import make_member, make_seller
from haicang.web.templatetags.haicang_web import money

pytestmark = pytest.mark.django_db


@pytest.fixture
def world() -> InboundWorld:
    return make_inbound_world()


@pytest.fixture
def seller_client(client, world):
    client.force_login(make_member(world.seller, "owner").user)
    return client


@pytest.fixture
def operator_client(client, world):
    client.force_login(make_member(world.operator, "manager").user)
    return client


def _html(response: Any) -> str:
    return response.content.decode()


def _management(prefix: str, total: int) -> dict[str, str]:
    return {
        f"{prefix}-TOTAL_FORMS": str(total),
        f"{prefix}-INITIAL_FORMS": "0",
        f"{prefix}-MIN_NUM_FORMS": "0",
        f"{prefix}-MAX_NUM_FORMS": "1000",
    }


def _post(world: InboundWorld, **rows: list[dict[str, str]]) -> dict[str, str]:
    """A form submission: the header, then each table's rows (``lines=[{"sku": …, "quantity": …}]``)."""
    data = {
        "warehouse": str(world.warehouse.pk),
        "mode": "sea_lcl",
        "origin_country": "CN",
        "origin_port": "CNSZX",
        "carrier": "COSCO",
        "etd": "2026-03-01",
        "eta": "2026-04-01",
    }
    for prefix in ("lines", "cartons", "customs", "costs"):
        given = rows.get(prefix, [])
        data |= _management(prefix, len(given))
        for i, row in enumerate(given):
            data |= {f"{prefix}-{i}-{name}": value for name, value in row.items()}
    return data


# --- the list ----------------------------------------------------------------------------------------------


def test_the_list_shows_the_sellers_shipments_and_filters_them(seller_client, world):
    # given a draft by air, a sea shipment in transit, and another seller's shipment
    draft = make_shipment(world, mode="air", eta=dt.date(2026, 5, 10))
    at_sea = make_shipment(world, status="in_transit", eta=dt.date(2026, 4, 1))
    other = make_inbound_world()
    foreign = make_shipment(other)

    # when the seller opens the list
    html = _html(seller_client.get("/inbound/"))

    # then both of its shipments show, with status and mode, and not the other seller's
    assert f"/inbound/{draft.pk}/" in html and f"/inbound/{at_sea.pk}/" in html
    assert f"/inbound/{foreign.pk}/" not in html
    assert "In transit" in html and "Air" in html
    assert 'href="/inbound/"' in html  # the navigation entry

    # and each filter narrows it (as an HTMX fragment too)
    by_status = _html(seller_client.get("/inbound/?status=in_transit", HTTP_HX_REQUEST="true"))
    assert "<html" not in by_status
    assert at_sea.number in by_status and draft.number not in by_status
    by_mode = _html(seller_client.get("/inbound/?mode=air"))
    assert draft.number in by_mode and at_sea.number not in by_mode
    by_eta = _html(seller_client.get("/inbound/?eta_from=2026-05-01&eta_to=2026-05-31"))
    assert draft.number in by_eta and at_sea.number not in by_eta
    by_warehouse = _html(seller_client.get(f"/inbound/?warehouse={world.warehouse.pk}"))
    assert draft.number in by_warehouse and at_sea.number in by_warehouse
    by_number = _html(seller_client.get(f"/inbound/?q={at_sea.number}"))
    assert at_sea.number in by_number and draft.number not in by_number


def test_the_list_pages_through_htmx(seller_client, world, monkeypatch):
    monkeypatch.setattr(views, "PAGE_SIZE", 2)
    shipments = [make_shipment(world) for _ in range(3)]  # newest first

    first = _html(seller_client.get("/inbound/"))
    second = _html(seller_client.get("/inbound/?page=2", HTTP_HX_REQUEST="true"))

    assert shipments[2].number in first and shipments[0].number not in first
    assert shipments[0].number in second and "Page 2 of 2" in second


# --- the draft's form --------------------------------------------------------------------------------------


def test_a_draft_with_problems_lists_every_one_next_to_its_row_and_saves_nothing(seller_client, world):
    sku = world.skus[0]
    data = _post(
        world,
        lines=[{"sku": sku.code, "quantity": "0"}, {"sku": "NO-SUCH-SKU", "quantity": "5"}],
        cartons=[{"numbers": "1-2", "contents": f"{sku.code}*3"}],
        costs=[{"kind": "freight", "amount": "100", "currency": "CNY"}],
    )

    response = seller_client.post("/inbound/new/", data)

    html = _html(response)
    assert response.status_code == 200
    assert InboundShipment.objects.count() == 0
    # every problem is in the summary with its path …
    summary = html[html.index('id="problems"') :]
    for path in ("lines.0.quantity", "lines.1.sku"):
        assert f"<code>{path}</code>" in summary
    assert "Unknown SKU" in summary and "NO-SUCH-SKU" in summary
    # … and beside its row: the second line's SKU field is marked invalid and says why
    rows = re.findall(r'<tr class="inbound-row[^"]*">.*?</tr>', html, flags=re.S)
    unknown_row = next(row for row in rows if 'value="NO-SUCH-SKU"' in row)
    assert "row-invalid" in unknown_row and "the seller has no SKU NO-SUCH-SKU" in unknown_row
    zero_row = next(row for row in rows if 'name="lines-0-quantity"' in row)
    assert "a whole number above 0" in zero_row


def test_a_destination_without_an_agreement_is_refused_on_its_field(seller_client, world):
    from haicang.parties.models import ServiceAgreement

    ServiceAgreement.objects.filter(seller=world.seller).update(status="terminated")
    data = _post(world, lines=[{"sku": world.skus[0].code, "quantity": "4"}])

    html = _html(seller_client.post("/inbound/new/", data))

    assert InboundShipment.objects.count() == 0
    assert "<code>warehouse</code>" in html
    assert "not under an active service agreement" in html


def test_a_valid_draft_is_saved_with_default_costs_and_carton_ranges_and_edits_round_trip(
    seller_client, world
):
    # given a form with two lines (one without a purchase cost), identical cartons 1-2 and a freight cost
    first, second = world.skus
    page = _html(seller_client.get("/inbound/new/"))
    assert f'<option value="{first.code}">' in page  # the SKU suggestions
    assert money(first.purchase_cost) in page  # each SKU's default purchase cost, for the lines
    data = _post(
        world,
        lines=[
            {"sku": first.code, "quantity": "20"},
            {
                "sku": second.code,
                "quantity": "6",
                "purchase_cost_amount": "3.5",
                "purchase_cost_currency": "usd",
            },
        ],
        cartons=[
            {
                "numbers": "1-2",
                "length_cm": "60",
                "width_cm": "40",
                "height_cm": "40",
                "weight_kg": "12.5",
                "contents": f"{first.code}*10",
            },
            {"numbers": "3", "contents": f"{second.code} × 6"},
        ],
        customs=[{"sku": first.code}],
        costs=[{"kind": "freight", "amount": "800", "currency": "CNY"}, {"kind": "duty", "amount": "30"}],
    )

    # when the seller saves it
    response = seller_client.post("/inbound/new/", data)

    # then the draft is there, with the SKU's own purchase cost on the first line and three cartons
    shipment = InboundShipment.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/inbound/{shipment.pk}/"
    lines = list(shipment.lines.order_by("position"))
    assert lines[0].purchase_cost == first.purchase_cost
    assert lines[1].purchase_cost == Money.of("3.5", "USD")
    cartons = list(shipment.cartons.order_by("number"))
    assert [c.number for c in cartons] == [1, 2, 3]
    assert (cartons[0].length_mm, cartons[0].gross_weight_g) == (600, 12_500)
    duty = shipment.costs.get(kind="duty")
    assert duty.amount == Money.of("30", world.seller.base_currency) and duty.basis == "value"
    assert shipment.customs_lines.get().hs_code == "6109100010"

    # and the edit page shows the cartons as a range again
    edit = _html(seller_client.get(f"/inbound/{shipment.pk}/edit/"))
    assert 'name="cartons-0-numbers" value="1-2"' in edit
    assert (
        'name="cartons-0-length_cm" value="60"' in edit and 'name="cartons-0-weight_kg" value="12.5"' in edit
    )
    assert 'name="cartons-1-numbers" value="3"' in edit


def test_editing_a_draft_replaces_its_document(seller_client, world):
    shipment = make_shipment(world)
    sku = world.skus[0]
    data = _post(world, lines=[{"sku": sku.code, "quantity": "7"}]) | {"version": str(shipment.version)}
    data["reference"] = "PO-9"

    response = seller_client.post(f"/inbound/{shipment.pk}/edit/", data)

    assert response.status_code == 302
    shipment.refresh_from_db()
    assert shipment.reference == "PO-9"
    assert [(ln.sku_id, ln.expected_quantity) for ln in shipment.lines.all()] == [(sku.pk, 7)]
    assert shipment.cartons.count() == 0


def test_a_stale_edit_says_someone_changed_the_shipment(seller_client, world):
    shipment = make_shipment(world)
    data = _post(world, lines=[{"sku": world.skus[0].code, "quantity": "7"}]) | {"version": "1"}
    services.inbound_update(actor=SYSTEM, shipment=shipment, changes={"reference": "X"})

    html = _html(seller_client.post(f"/inbound/{shipment.pk}/edit/", data))

    assert "Someone changed this shipment meanwhile" in html
    shipment.refresh_from_db()
    assert shipment.reference == "X"


# --- the lifecycle -----------------------------------------------------------------------------------------


def test_the_seller_submits_after_confirming_and_the_detail_shows_the_landed_cost(seller_client, world):
    # given a draft priced in CNY for a seller in EUR, and today's CNY rate
    record_rates(timezone.localdate(), CNY="0.128")
    shipment = make_shipment(world)
    detail = _html(seller_client.get(f"/inbound/{shipment.pk}/"))
    assert f"/inbound/{shipment.pk}/submit/" in detail

    # when the seller asks to submit, then confirms
    confirm = seller_client.get(f"/inbound/{shipment.pk}/submit/")
    assert confirm.status_code == 200 and "operator sees the shipment" in _html(confirm)
    response = seller_client.post(f"/inbound/{shipment.pk}/submit/", {"note": ""}, follow=True)

    # then it is submitted, and the detail shows the milestone and the landed-cost breakdown
    shipment.refresh_from_db()
    assert shipment.status == ShipmentStatus.SUBMITTED
    html = _html(response)
    assert f"Shipment {shipment.number} submitted to the warehouse." in html
    assert 'class="step step-current" aria-current="step"' in html
    landed = shipment_landed_cost(shipment)
    section = html[html.index('id="landed-cost"') :]
    assert "1 CNY = 0.128 EUR" in section
    assert money(landed.total) in section and money(landed.goods_total) in section
    for line in landed.lines:
        assert money(line.unit_cost) in section
    for cost in landed.costs:
        assert money(cost.converted) in section
    assert "Freight" in section and "by volume" in section and "Duty" in section


def test_dispatch_eta_change_arrival_and_the_averages_on_the_detail(seller_client, world):
    from haicang.inbound.receiving import ReceiptLine, inbound_receive

    record_rates(timezone.localdate(), CNY="0.128")
    shipment = make_shipment(world, status="submitted")

    seller_client.post(f"/inbound/{shipment.pk}/dispatch/", {"note": "on board"})
    seller_client.post(f"/inbound/{shipment.pk}/eta/", {"eta": "2026-04-20", "reason": "port congestion"})
    shipment.refresh_from_db()
    assert shipment.status == ShipmentStatus.IN_TRANSIT and shipment.eta == dt.date(2026, 4, 20)

    seller_client.post(f"/inbound/{shipment.pk}/arrive/", {"note": ""})
    line = shipment.lines.order_by("position")[0]
    inbound_receive(actor=SYSTEM, shipment=shipment, lines=[ReceiptLine(line.sku_id, 4)])
    html = _html(seller_client.get(f"/inbound/{shipment.pk}/"))

    assert "port congestion" in html and "2026-04-01" in html and "2026-04-20" in html  # the ETA history
    assert "on board" in html  # the dispatch milestone's note
    line.refresh_from_db()
    assert line.landed_unit_cost is not None and money(line.landed_unit_cost) in html
    averages = html[html.index("Weighted-average landed cost at") :]
    assert line.sku.code in averages and money(line.landed_unit_cost) in averages


def test_cancel_asks_first_and_a_step_not_allowed_now_is_refused(seller_client, world):
    shipment = make_shipment(world, status="submitted")

    assert seller_client.get(f"/inbound/{shipment.pk}/arrive/").status_code == 403  # not in transit
    assert "can never be reopened" in _html(seller_client.get(f"/inbound/{shipment.pk}/cancel/"))
    seller_client.post(f"/inbound/{shipment.pk}/cancel/", {"reason": "supplier late"})

    shipment.refresh_from_db()
    assert shipment.status == ShipmentStatus.CANCELLED
    response = seller_client.post(f"/inbound/{shipment.pk}/submit/", follow=True)
    assert "This step is not possible now." in _html(response)


def test_the_costs_of_a_submitted_shipment_are_replaced_on_their_own_page(seller_client, world):
    shipment = make_shipment(world, status="submitted")
    page = _html(seller_client.get(f"/inbound/{shipment.pk}/costs/"))
    assert 'name="costs-0-amount" value="1000.00"' in page

    data = _management("costs", 2) | {
        "costs-0-kind": "freight",
        "costs-0-amount": "1200",
        "costs-0-currency": "CNY",
        "costs-1-kind": "import_vat",
        "costs-1-amount": "-5",
    }
    bad = _html(seller_client.post(f"/inbound/{shipment.pk}/costs/", data))
    assert "Enter a valid value" in bad
    data["costs-1-amount"] = "55.12345"
    problems = _html(seller_client.post(f"/inbound/{shipment.pk}/costs/", data))
    assert "<code>costs.1.amount</code>" in problems and "at most 4 decimals" in problems
    data["costs-1-amount"] = "55"
    seller_client.post(f"/inbound/{shipment.pk}/costs/", data)

    assert sorted((c.kind, str(c.amount)) for c in shipment.costs.all()) == [
        ("freight", "CNY 1200.00"),
        ("import_vat", "EUR 55.00"),
    ]


# --- who sees what -----------------------------------------------------------------------------------------


def test_the_operator_sees_submitted_shipments_read_only_without_prices_and_records_the_arrival(
    operator_client, world
):
    draft = make_shipment(world)
    shipment = make_shipment(world, status="in_transit")

    listed = _html(operator_client.get("/inbound/"))
    assert shipment.number in listed and draft.number not in listed
    assert world.seller.name in listed  # the seller column
    assert operator_client.get(f"/inbound/{draft.pk}/").status_code == 404

    html = _html(operator_client.get(f"/inbound/{shipment.pk}/"))
    assert "Landed cost" not in html and "Purchase cost" not in html and "Freight costs" not in html
    assert f"/inbound/{shipment.pk}/edit/" not in html and f"/inbound/{shipment.pk}/cancel/" not in html
    assert f"/inbound/{shipment.pk}/arrive/" in html
    assert operator_client.get(f"/inbound/{shipment.pk}/cancel/").status_code == 403
    assert operator_client.get("/inbound/new/").status_code == 403

    operator_client.post(f"/inbound/{shipment.pk}/arrive/", {"note": "gate 3"})
    shipment.refresh_from_db()
    assert shipment.status == ShipmentStatus.ARRIVED


def test_another_sellers_shipment_is_not_found_on_every_page(client, world):
    shipment = make_shipment(world, status="submitted")
    stranger = make_seller(code="harbour", currency="EUR")
    client.force_login(make_member(stranger, "owner").user)

    for url in ("", "edit/", "costs/", "labels.pdf", "submit/", "dispatch/", "cancel/", "eta/"):
        assert client.get(f"/inbound/{shipment.pk}/{url}").status_code == 404, url
    assert client.post(f"/inbound/{shipment.pk}/cancel/", {"reason": "x"}).status_code == 404
    shipment.refresh_from_db()
    assert shipment.status == ShipmentStatus.SUBMITTED
    assert shipment.number not in _html(client.get("/inbound/"))


def test_a_viewer_reads_but_has_no_buttons(client, world):
    shipment = make_shipment(world)
    client.force_login(make_member(world.seller, "viewer").user)

    html = _html(client.get(f"/inbound/{shipment.pk}/"))

    assert shipment.number in html and f"/inbound/{shipment.pk}/submit/" not in html
    assert client.get("/inbound/new/").status_code == 403
    assert client.post(f"/inbound/{shipment.pk}/submit/").status_code == 403


def test_the_pages_speak_chinese(seller_client, world):
    shipment = make_shipment(world, status="submitted")

    listed = _html(seller_client.get("/inbound/", HTTP_ACCEPT_LANGUAGE="zh-hans"))
    detail = _html(seller_client.get(f"/inbound/{shipment.pk}/", HTTP_ACCEPT_LANGUAGE="zh-hans"))

    assert "入库货件" in listed and "已提交" in listed
    assert "到岸成本" in detail and "里程碑" in detail


def test_the_labels_download_as_a_pdf_with_a_page_per_carton(seller_client, world):
    from io import BytesIO

    from pypdf import PdfReader

    shipment = make_shipment(world)

    response = seller_client.get(f"/inbound/{shipment.pk}/labels.pdf")
    a4 = seller_client.get(f"/inbound/{shipment.pk}/labels.pdf?layout=a4")

    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert f"{shipment.number}-labels.pdf" in response["Content-Disposition"]
    assert len(PdfReader(BytesIO(response.content)).pages) == shipment.cartons.count() == 2
    assert len(PdfReader(BytesIO(a4.content)).pages) == 1


def test_a_draft_links_to_the_packing_list_import_with_the_kind_and_the_shipment_preselected(
    seller_client, world, client
):
    # given a draft
    shipment = make_shipment(world)

    # when its seller opens it, then "Import packing list" leads to the Imports page with both preselected
    detail = _html(seller_client.get(f"/inbound/{shipment.pk}/"))
    link = f'href="/imports/?kind=inbound_packing_list&amp;shipment={shipment.number}"'
    assert link in detail and "Import packing list" in detail
    imports = _html(seller_client.get(f"/imports/?kind=inbound_packing_list&shipment={shipment.number}"))
    assert shipment.number in imports
    # and once submitted, or for a viewer, there is no such link
    services.inbound_submit(actor=SYSTEM, shipment=shipment)
    assert "Import packing list" not in _html(seller_client.get(f"/inbound/{shipment.pk}/"))
    client.force_login(make_member(world.seller, "viewer").user)
    assert "Import packing list" not in _html(client.get(f"/inbound/{shipment.pk}/"))


def test_an_arrived_or_closed_shipment_links_to_its_receipt_report_for_both_parties(
    seller_client, world, client
):
    from haicang.inbound.receiving import inbound_close

    shipment = make_shipment(world, status="in_transit")
    report = f'href="/receiving/{shipment.pk}/report/"'
    assert report not in _html(seller_client.get(f"/inbound/{shipment.pk}/"))

    services.inbound_arrive(actor=SYSTEM, shipment=shipment)
    assert "Receipt report (preview)" in _html(seller_client.get(f"/inbound/{shipment.pk}/"))

    inbound_close(actor=SYSTEM, shipment=shipment)
    detail = _html(seller_client.get(f"/inbound/{shipment.pk}/"))
    assert report in detail and "Receipt report" in detail
    assert seller_client.get(f"/receiving/{shipment.pk}/report/").status_code == 200
    client.force_login(make_member(world.operator, "manager").user)
    assert report in _html(client.get(f"/inbound/{shipment.pk}/"))
