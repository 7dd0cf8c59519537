"""The packing-list import kind through the file-exchange framework: a supplier's CSV or Excel file becomes
the cartons and lines of a draft shipment, all or nothing, every problem named by row, column and value."""

from __future__ import annotations

import io
from io import StringIO

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from openpyxl import Workbook
from rest_framework.test import APIClient

from haicang.catalog.tests.factories import make_sku
from haicang.core.audit import audit_entries_for
from haicang.core.money import Money
from haicang.exchange.errors import ImportOptionsInvalid
from haicang.exchange.models import ImportJob, ImportStatus
from haicang.exchange.running import import_job_apply_run, import_job_validate_run
from haicang.exchange.services import import_job_confirm, import_job_create
from haicang.inbound.asn_rules import AsnSpec, CostSpec, CustomsSpec, LineSpec
from haicang.inbound.models import InboundShipment
from haicang.inbound.services import inbound_create, inbound_submit
from haicang.inbound.tests.factories import SYSTEM, InboundWorld, make_inbound_world
from haicang.parties.tests.factories import make_member

KIND = "inbound_packing_list"
EAN = "4006381333931"


def _world() -> tuple[InboundWorld, InboundShipment]:
    """A draft of SKU 0 (10 units at a negotiated 12.34 CNY, declared 20 USD) and SKU 2 (to be dropped);
    SKU 1 (barcode EAN) is not on it yet."""
    world = make_inbound_world(skus=3)
    world.skus[1] = make_sku(
        world.seller,
        code="LMP-NEW",
        barcodes=[EAN],
        length_mm=100,
        width_mm=100,
        height_mm=100,
        weight_g=300,
        purchase_cost=Money.of("7.50", "CNY"),
        hs_code="9405110000",
        origin_country="CN",
        declared_value=Money.of("1.50", "USD"),
    )
    a, _, c = world.skus
    draft = inbound_create(
        actor=SYSTEM,
        seller=world.seller,
        warehouse=world.warehouse,
        spec=AsnSpec(
            mode="sea_lcl",
            origin_country="CN",
            lines=[LineSpec(a.code, 10, Money.of("12.34", "CNY")), LineSpec(c.code, 5)],
            customs_lines=[CustomsSpec(a.code, declared_value=Money.of("20.00", "USD")), CustomsSpec(c.code)],
            costs=[CostSpec("freight", Money.of("800.00", "CNY"))],
        ),
    )
    return world, draft


def _run(world: InboundWorld, content: bytes, filename: str, **options: str) -> ImportJob:
    """Upload, validate and — when the file is good — confirm and apply, as the worker would."""
    job = import_job_create(
        actor=SYSTEM,
        owner=world.seller,
        kind=KIND,
        content=content,
        filename=filename,
        options=options,
        enqueue=False,
    )
    job = import_job_validate_run(job_id=str(job.pk)) or job
    if job.status == ImportStatus.PREVIEWED:
        import_job_confirm(actor=SYSTEM, job=job, enqueue=False)
        job = import_job_apply_run(job_id=str(job.pk)) or job
    return ImportJob.objects.get(pk=job.pk)


def _xlsx(rows: list[list[object]]) -> bytes:
    book = Workbook()
    sheet = book.active
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


@pytest.mark.django_db
def test_a_suppliers_csv_in_chinese_becomes_the_drafts_cartons_and_its_lines_quantities():
    # given a draft and the packing list the Dongguan factory sent: two ranges of identical cartons, a mixed
    # last carton, one SKU named by its barcode, and columns the import reads but does not use
    world, draft = _world()
    a, b, _c = world.skus
    csv = (
        "箱号,货号,品名,每箱数量,箱数,长(cm),宽(cm),高(cm),毛重(kg),净重(kg),总数量\n"
        f"1-20,{a.code},北欧台灯,24,20,60,40,35,12.5,11.8,480\n"
        f"21-25,{EAN},LED灯泡,50,5,50,40,30,8.2,7.6,250\n"
        f"26,{a.code},北欧台灯,6,1,60,40,35,9.6,,6\n"
        f"26,{EAN},LED灯泡,10,1,,,,,,10\n"
    ).encode()

    # when it is imported for the draft
    job = _run(world, csv, "装箱单-PL20261120.csv", shipment=draft.number)

    # then the draft holds the 26 cartons; its lines add up to them, in the file's order
    assert job.status == ImportStatus.APPLIED, job.problems
    assert job.result == {"cartons": 26, "lines": 2, "units": 20 * 24 + 6 + 5 * 50 + 10}
    draft.refresh_from_db()
    cartons = list(draft.cartons.order_by("number"))
    assert [c.number for c in cartons] == list(range(1, 27))
    assert (cartons[0].length_mm, cartons[0].width_mm, cartons[0].height_mm) == (600, 400, 350)
    assert cartons[0].gross_weight_g == 12_500 and cartons[24].gross_weight_g == 8_200
    mixed = {x.sku.code: x.quantity for x in cartons[25].contents.select_related("sku")}
    assert mixed == {a.code: 6, b.code: 10}
    lines = list(draft.lines.order_by("position").select_related("sku"))
    assert [(line.sku.code, line.expected_quantity) for line in lines] == [(a.code, 486), (b.code, 260)]
    # the negotiated cost of a SKU already on the draft is kept; the new SKU takes its default
    assert [line.purchase_cost for line in lines] == [Money.of("12.34", "CNY"), Money.of("7.50", "CNY")]
    # the dropped SKU's customs line goes; the kept one keeps its value per unit (20 USD / 10 units)
    customs = {x.sku_id: x.declared_value for x in draft.customs_lines.all()}
    assert customs == {a.pk: Money.of("972.00", "USD")}
    assert draft.costs.count() == 1
    actions = [e.action for e in audit_entries_for(subject=draft)]
    assert "inbound.packing_list_imported" in actions and "inbound.updated" in actions


@pytest.mark.django_db
def test_an_xlsx_with_mm_in_the_header_and_mistakes_is_refused_with_every_problem_and_nothing_written():
    # given an Excel packing list in millimetres (the header says so) with a mistake on nearly every row
    world, draft = _world()
    a, _, c = world.skus
    content = _xlsx(
        [
            ["Carton No.", "SKU", "Qty/Ctn", "Ctns", "L (mm)", "W (mm)", "H (mm)", "G.W. (KGS)"],
            ["1-20", a.code, 24, 19, 600, 400, 350, 12.5],  # the range is 20 cartons
            ["21-22", "NO-SUCH-SKU", 10, 2, 500, 400, 300, 8],
            ["23", c.code, "twelve", 1, 500, 400, 300, 8],
            ["25-24", c.code, 5, None, 500, 400, 300, 8],
            ["26", c.code, 5, 1, 500, 400, 300, "heavy"],
        ]
    )
    before = (draft.version, list(draft.lines.values_list("sku_id", "expected_quantity")))

    # when it is imported
    job = _run(world, content, "PL-Everbright.xlsx", shipment=draft.number)

    # then the job is invalid and lists each problem with its row, column, value, the file's header and reason
    assert job.status == ImportStatus.INVALID
    got = [(p["row"], p["column"], p["source_column"], p["value"], p["code"]) for p in job.problems]
    assert got == [
        (2, "carton_count", "Ctns", "19", "packing_list.carton_count_mismatch"),
        (3, "sku_code", "SKU", "NO-SUCH-SKU", "packing_list.sku_unknown"),
        (4, "qty_per_carton", "Qty/Ctn", "twelve", "packing_list.quantity_invalid"),
        (5, "carton_no", "Carton No.", "25-24", "packing_list.carton_number_invalid"),
        (6, "gross_weight_kg", "G.W. (KGS)", "heavy", "packing_list.weight_invalid"),
    ]
    assert all(p["reason"] for p in job.problems)
    assert "20 cartons" in job.problems[0]["reason"]
    # and nothing was written
    draft.refresh_from_db()
    assert (draft.version, list(draft.lines.values_list("sku_id", "expected_quantity"))) == before
    assert draft.cartons.count() == 0


@pytest.mark.django_db
def test_a_good_xlsx_in_millimetres_with_a_unit_column_and_numbers_as_excel_stores_them():
    world, draft = _world()
    a = world.skus[0]
    content = _xlsx(
        [
            ["carton_no", "sku_code", "qty_per_carton", "carton_count", "length", "width", "height",
             "dimension_unit", "gross_weight_kg"],
            ["1-3", a.code, 12, 3, 600, 400, 350.5, "mm", 10.25],
        ]
    )  # fmt: skip

    job = _run(world, content, "pl.xlsx", shipment=draft.pk.hex)

    assert job.status == ImportStatus.APPLIED, job.problems
    carton = draft.cartons.get(number=3)
    assert (carton.length_mm, carton.width_mm, carton.height_mm, carton.gross_weight_g) == (
        600,
        400,
        351,
        10_250,
    )
    assert list(draft.lines.values_list("expected_quantity", flat=True)) == [36]


@pytest.mark.django_db
def test_a_sku_without_a_purchase_cost_is_named_on_its_row():
    world, draft = _world()
    free = make_sku(world.seller, code="SAMPLE-1")

    job = _run(
        world,
        f"carton_no,sku,qty/ctn\n1,{world.skus[0].code},5\n2,{free.code},3\n".encode(),
        "pl.csv",
        shipment=draft.number,
    )

    assert job.status == ImportStatus.INVALID
    assert [(p["row"], p["column"], p["value"], p["code"]) for p in job.problems] == [
        (3, "sku_code", "SAMPLE-1", "inbound.purchase_cost_missing")
    ]


@pytest.mark.django_db
def test_the_upload_must_name_a_draft_of_the_seller():
    world, draft = _world()
    _other, other_draft = _world()
    file = b"carton_no,sku,qty/ctn\n1,X,1\n"

    def upload(**options: str) -> None:
        import_job_create(
            actor=SYSTEM, owner=world.seller, kind=KIND, content=file, filename="pl.csv", options=options
        )

    with pytest.raises(ImportOptionsInvalid, match="give the option shipment"):
        upload()
    with pytest.raises(ImportOptionsInvalid, match="no inbound shipment"):
        upload(shipment=str(other_draft.pk))  # another seller's draft is no shipment of this one
    with pytest.raises(ImportOptionsInvalid, match="has no option"):
        upload(shipment=draft.number, warehouse="FRA1")
    inbound_submit(actor=SYSTEM, shipment=draft)
    with pytest.raises(ImportOptionsInvalid, match="only a draft"):
        upload(shipment=draft.number)
    assert not ImportJob.objects.exists()


@pytest.mark.django_db
def test_a_draft_submitted_after_the_preview_fails_the_apply_and_nothing_is_written():
    # given a packing list checked and previewed for a draft
    world, draft = _world()
    job = import_job_create(
        actor=SYSTEM,
        owner=world.seller,
        kind=KIND,
        content=f"carton_no,sku,qty/ctn,ctns\n1-2,{world.skus[0].code},5,2\n".encode(),
        filename="pl.csv",
        options={"shipment": draft.number},
        enqueue=False,
    )
    checked = import_job_validate_run(job_id=str(job.pk))
    assert checked is not None and checked.status == ImportStatus.PREVIEWED
    assert checked.counts == {"cartons": 2, "lines": 1, "units": 10}

    # when the seller submits the draft before the import is confirmed
    inbound_submit(actor=SYSTEM, shipment=draft)
    import_job_confirm(actor=SYSTEM, job=checked, enqueue=False)
    applied = import_job_apply_run(job_id=str(job.pk))

    # then the apply fails saying why, and the shipment is as it was submitted
    assert applied is not None and applied.status == ImportStatus.FAILED
    assert [(p["row"], p["code"]) for p in applied.problems] == [(None, "packing_list.shipment_invalid")]
    assert "only a draft" in applied.problems[0]["reason"]
    assert draft.cartons.count() == 0
    assert sorted(draft.lines.values_list("expected_quantity", flat=True)) == [5, 10]


@pytest.mark.django_db(transaction=True)
def test_a_planner_imports_a_packing_list_through_the_api_naming_the_draft_in_the_options():
    world, draft = _world()
    client = APIClient()
    client.force_login(make_member(world.seller, "planner").user)
    kinds = {k["kind"]: k for k in client.get("/api/v1/imports/kinds/").json()}
    assert kinds[KIND]["options"][0]["name"] == "shipment" and kinds[KIND]["options"][0]["required"]
    csv = f"箱号,SKU,每箱数量,箱数,长,宽,高,毛重\n1-4,{world.skus[0].code},6,4,60,40,35,12\n"

    response = client.post(
        "/api/v1/imports/",
        {
            "file": SimpleUploadedFile("pl.csv", csv.encode(), "text/csv"),
            "kind": KIND,
            "options": f'{{"shipment": "{draft.number}"}}',
        },
        format="multipart",
    )
    assert response.status_code == 202, response.content
    job = response.json()
    assert job["options"] == {"shipment": draft.number}
    call_command("worker", "--once", "--no-schedule", stdout=StringIO(), stderr=StringIO())
    detail = client.get(f"/api/v1/imports/{job['id']}/").json()
    assert detail["status"] == "previewed" and detail["counts"] == {"cartons": 4, "lines": 1, "units": 24}
    assert client.post(f"/api/v1/imports/{job['id']}/confirm/").status_code == 202
    call_command("worker", "--once", "--no-schedule", stdout=StringIO(), stderr=StringIO())

    assert client.get(f"/api/v1/imports/{job['id']}/").json()["status"] == "applied"
    assert draft.cartons.count() == 4
    missing = client.post(
        "/api/v1/imports/",
        {"file": SimpleUploadedFile("pl.csv", csv.encode(), "text/csv"), "kind": KIND},
        format="multipart",
    )
    assert missing.status_code == 400 and missing.json()["code"] == "exchange.options_invalid"


@pytest.mark.django_db
def test_the_command_line_takes_the_shipment_as_an_option(tmp_path):
    world, draft = _world()
    path = tmp_path / "pl.csv"
    path.write_text(f"carton_no,sku,qty/ctn\n1,{world.skus[0].code},7\n", encoding="utf-8")
    out = StringIO()

    call_command(
        "import", KIND, str(path), "--seller", world.seller.code, "--option", f"shipment={draft.number}",
        "--yes", stdout=out, stderr=StringIO(),
    )  # fmt: skip

    assert "1 cartons, 1 lines, 7 units" in out.getvalue()
    assert list(draft.lines.values_list("expected_quantity", flat=True)) == [7]
