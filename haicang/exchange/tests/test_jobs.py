"""Imports as background jobs: upload, validation of every row by the worker, preview, all-or-nothing apply,
and the erasure of files that carry personal data. Tasks run through the real task backend (`worker --once`)."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command
from django.tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from haicang.catalog.models import Sku
from haicang.catalog.tests.factories import make_sku
from haicang.core.audit import audit_entries_for
from haicang.core.errors import ValidationFailed
from haicang.core.files import file_exists, file_read
from haicang.core.jobs.progress import job_progress_get
from haicang.exchange import running
from haicang.exchange.errors import ImportJobState, ImportKindNotForParty, MappingProfileInvalid
from haicang.exchange.models import ImportJob, ImportStatus
from haicang.exchange.services import (
    import_job_confirm,
    import_job_create,
    import_job_discard,
    mapping_profile_create,
)
from haicang.parties.tests.factories import SYSTEM, make_operator

pytestmark = pytest.mark.django_db(transaction=True)


def _worker() -> None:
    call_command("worker", "--once", "--no-schedule", stdout=StringIO(), stderr=StringIO())


def _upload(
    owner, text: str, *, kind: str = "catalog", profile=None, filename: str = "skus.csv"
) -> ImportJob:
    return import_job_create(
        actor=SYSTEM, owner=owner, kind=kind, content=text.encode(), filename=filename, profile=profile
    )


def _fresh(job: ImportJob) -> ImportJob:
    return ImportJob.objects.get(pk=job.pk)


def test_an_upload_with_a_saved_profile_is_validated_by_the_worker_and_previews_the_mapped_rows(seller):
    # given a partner whose files name the columns their own way, and its saved profile
    profile = mapping_profile_create(
        actor=SYSTEM,
        owner=seller,
        kind="catalog",
        partner="Nordlicht GmbH",
        mapping={
            "Artikelnummer": "sku_code",
            "Bezeichnung": "name_en",
            "Gewicht (g)": "weight_g",
            "Notiz": "",
        },
        defaults={"origin_country": "DE"},
    )
    text = "Artikelnummer,Bezeichnung,Gewicht (g),Notiz\nLAMP-1,Desk lamp,1250,fragile\nLAMP-2,Floor lamp,,\n"

    # when the file is uploaded and the worker runs
    job = _upload(seller, text, profile=profile)
    assert job.status == ImportStatus.UPLOADED
    _worker()

    # then every row was checked and the preview shows them under the catalogue's names
    job = _fresh(job)
    assert job.status == ImportStatus.PREVIEWED
    assert (job.rows_total, job.problem_count) == (2, 0)
    assert job.counts["created"] == 2
    assert job.preview["columns"] == ["sku_code", "name_en", "weight_g", "origin_country"]
    assert job.preview["sources"]["weight_g"] == "Gewicht (g)"
    assert job.preview["ignored"] == ["Notiz"]
    assert job.preview["rows"][0] == {
        "row": 2,
        "values": {"sku_code": "LAMP-1", "name_en": "Desk lamp", "weight_g": "1250", "origin_country": "DE"},
    }
    assert DBTaskResult.objects.get(id=job.task_result_id).status == TaskResultStatus.SUCCESSFUL
    progress = job_progress_get(result_id=job.task_result_id)
    assert progress is not None and (progress.done, progress.total) == (2, 2)
    assert not Sku.objects.exists()  # nothing written before the confirmation

    # when it is confirmed and the worker runs again
    import_job_confirm(actor=SYSTEM, job=job)
    _worker()

    # then the rows are written, with the profile's default
    job = _fresh(job)
    assert job.status == ImportStatus.APPLIED
    assert job.result == {
        "created": 2,
        "updated": 0,
        "unchanged": 0,
        "products_created": 0,
        "products_updated": 0,
    }
    assert list(Sku.objects.order_by("code").values_list("code", "weight_g", "origin_country")) == [
        ("LAMP-1", 1250, "DE"),
        ("LAMP-2", None, "DE"),
    ]
    assert file_exists(path=job.file_path)  # a catalogue file holds no personal data: it is kept
    actions = set(audit_entries_for(subject=job).values_list("action", flat=True))
    assert {
        "import_job.uploaded",
        "import_job.previewed",
        "import_job.confirmed",
        "import_job.applied",
    } <= actions


def test_every_row_is_validated_and_every_problem_names_its_row_column_value_and_reason(seller):
    make_sku(seller, code="TAKEN", barcodes=["4006381333931"])
    text = (
        "SKU Code,Name EN,weight_g,hs_code,barcodes,bogus\n"
        "A,Lamp,heavy,61,,\n"
        "B,,100,610910,4006381333931,\n"
        "C,Torch,-3,,,\n"
    )

    job = _upload(seller, text)
    _worker()

    job = _fresh(job)
    assert job.status == ImportStatus.INVALID
    found = [(p["row"], p["column"], p["value"], p["code"]) for p in job.problems]
    assert found == [
        (1, "bogus", "bogus", "exchange.column_unknown"),
        (2, "weight_g", "heavy", "catalog.number_invalid"),
        (2, "hs_code", "61", "catalog.hs_code_invalid"),
        (3, "name_en", "", "catalog.field_required"),
        (3, "barcodes", "4006381333931", "catalog.barcode_taken"),
        (4, "weight_g", "-3", "catalog.number_invalid"),
    ]
    assert all(p["reason"] for p in job.problems)
    assert job.problem_count == 6
    with pytest.raises(ImportJobState):
        import_job_confirm(actor=SYSTEM, job=job)


def test_a_problem_found_while_applying_the_last_row_rolls_back_every_row_before_it(seller, contacts):
    # given a file whose rows all pass validation, but whose last row the apply step refuses
    text = "code,name,quantity\n" + "".join(f"C-{n},Person {n},1\n" for n in range(5)) + "C-LAST,Last,13\n"
    job = _upload(seller, text, kind="test_contacts")
    _worker()
    assert _fresh(job).status == ImportStatus.PREVIEWED

    # when it is applied
    import_job_confirm(actor=SYSTEM, job=_fresh(job))
    _worker()

    # then nothing is written, and the job says why
    job = _fresh(job)
    assert job.status == ImportStatus.FAILED
    assert not Sku.objects.exists()
    assert [(p["row"], p["column"], p["value"], p["code"]) for p in job.problems] == [
        (7, "quantity", "13", "test.unlucky")
    ]


def test_a_catalogue_change_after_the_preview_fails_the_apply_and_writes_nothing(seller):
    text = "sku_code,name_en,barcodes\nA,Lamp,\nB,Torch,\nC,Fan,96385074\n"
    job = _upload(seller, text)
    _worker()
    assert _fresh(job).status == ImportStatus.PREVIEWED
    make_sku(seller, code="OTHER", barcodes=["96385074"])  # the last row's barcode is taken meanwhile

    import_job_confirm(actor=SYSTEM, job=_fresh(job))
    _worker()

    job = _fresh(job)
    assert job.status == ImportStatus.FAILED
    assert [(p["row"], p["column"], p["code"]) for p in job.problems] == [
        (4, "barcodes", "catalog.barcode_taken")
    ]
    assert list(Sku.objects.values_list("code", flat=True)) == ["OTHER"]


def test_a_file_with_personal_data_is_sealed_at_rest_and_erased_after_the_apply(seller, contacts):
    text = "Ref,Full Name,phone\nC-1,Li Wei,+86 13800000000\n"
    job = _upload(seller, text, kind="test_contacts", filename="contacts.csv")

    assert job.contains_personal_data and job.file_sealed
    stored = file_read(path=job.file_path)
    assert b"Li Wei" not in stored and b"+86" not in stored
    assert running.job_file_read(job) == text.encode()

    _worker()
    job = _fresh(job)
    assert job.preview["rows"][0]["values"] == {"code": "C-1", "name": "•••", "phone": "•••"}
    path = job.file_path
    import_job_confirm(actor=SYSTEM, job=job)
    _worker()

    job = _fresh(job)
    assert job.status == ImportStatus.APPLIED
    assert not file_exists(path=path)
    assert job.file_path == "" and job.file_erased_at is not None


def test_a_file_with_personal_data_is_erased_when_it_fails_validation_and_its_values_are_masked(
    seller, contacts
):
    job = _upload(seller, "code,name,phone\nC-1,Li Wei,13800000000\n", kind="test_contacts")
    path = job.file_path

    _worker()

    job = _fresh(job)
    assert job.status == ImportStatus.INVALID
    assert [(p["column"], p["value"]) for p in job.problems] == [("phone", "•••")]
    assert not file_exists(path=path) and job.file_erased_at is not None


def test_a_file_with_personal_data_is_erased_when_its_apply_fails(seller, contacts):
    job = _upload(seller, "code,name,quantity\nC-1,Li Wei,13\n", kind="test_contacts")
    _worker()
    path = _fresh(job).file_path
    import_job_confirm(actor=SYSTEM, job=_fresh(job))

    _worker()

    job = _fresh(job)
    assert job.status == ImportStatus.FAILED
    assert not file_exists(path=path) and job.file_erased_at is not None


def test_discarding_an_import_deletes_its_file_and_an_applied_one_cannot_be_discarded(seller, contacts):
    job = _upload(seller, "code,name\nC-1,Li Wei\n", kind="test_contacts")
    path = job.file_path

    import_job_discard(actor=SYSTEM, job=job)
    _worker()  # the queued validation finds the job discarded and leaves it

    job = _fresh(job)
    assert job.status == ImportStatus.DISCARDED
    assert not file_exists(path=path) and job.file_erased_at is not None

    applied = _upload(seller, "sku_code,name_en\nA,Lamp\n")
    _worker()
    import_job_confirm(actor=SYSTEM, job=_fresh(applied))
    _worker()
    with pytest.raises(ImportJobState):
        import_job_discard(actor=SYSTEM, job=_fresh(applied))


def test_stored_problems_are_capped_and_the_total_is_kept(seller, monkeypatch):
    monkeypatch.setattr(running, "PROBLEMS_KEPT", 10)
    text = "sku_code,name_en,weight_g\n" + "".join(f"S-{n},Item,x\n" for n in range(25))

    job = _upload(seller, text)
    _worker()

    job = _fresh(job)
    assert (job.problem_count, len(job.problems)) == (25, 10)


def test_an_operator_cannot_import_a_catalogue_and_a_profile_must_be_the_partys_own(seller, other_seller):
    with pytest.raises(ImportKindNotForParty):
        _upload(make_operator(), "sku_code\nA\n")
    profile = mapping_profile_create(
        actor=SYSTEM, owner=other_seller, kind="catalog", partner="P", mapping={}
    )
    with pytest.raises(MappingProfileInvalid):
        _upload(seller, "sku_code\nA\n", profile=profile)
    with pytest.raises(ValidationFailed):
        import_job_create(actor=SYSTEM, owner=seller, kind="nope", content=b"x", filename="x.csv")
    assert not ImportJob.objects.exists()
