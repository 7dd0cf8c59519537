"""The Imports pages: upload, progress through HTMX polling, preview, problems, confirm; mapping profiles."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.test import Client

from haicang.catalog.models import Sku
from haicang.exchange.models import ImportJob, ImportStatus, MappingProfile
from haicang.parties.tests.factories import make_member, make_operator

pytestmark = pytest.mark.django_db(transaction=True)


def client_for(party, role: str = "owner") -> Client:
    client = Client()
    client.force_login(make_member(party, role).user)
    return client


def _worker() -> None:
    call_command("worker", "--once", "--no-schedule", stdout=StringIO(), stderr=StringIO())


def test_a_planner_uploads_watches_the_check_reads_the_preview_and_confirms(seller):
    client = client_for(seller, "planner")
    assert b'id="import-upload"' in client.get("/imports/").content

    upload = SimpleUploadedFile("skus.csv", b"SKU Code,Name EN,weight\nLAMP-1,Desk lamp,1250\n", "text/csv")
    response = client.post("/imports/", {"kind": "catalog", "profile": "", "file": upload})
    job = ImportJob.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/imports/{job.pk}/"

    page = client.get(f"/imports/{job.pk}/").content.decode()
    assert "Checking every row" in page and 'hx-trigger="every 1s"' in page

    _worker()
    fragment = client.get(f"/imports/{job.pk}/", headers={"HX-Request": "true"}).content.decode()
    assert fragment.startswith('<div id="import-job"') and "hx-trigger" not in fragment.split(">", 1)[0]
    assert "Ready to import" in fragment and "Confirm and import" in fragment
    assert '<code>weight_g</code><br><span class="muted small">weight</span>' in fragment
    assert "Desk lamp" in fragment

    assert client.post(f"/imports/{job.pk}/confirm/").status_code == 302
    _worker()
    page = client.get(f"/imports/{job.pk}/").content.decode()
    assert "Imported." in page
    assert Sku.objects.get().weight_g == 1250


def test_every_problem_is_listed_with_its_row_column_value_and_reason(seller):
    client = client_for(seller)
    upload = SimpleUploadedFile("skus.csv", b"sku_code,name_en,weight_g\nA,Lamp,heavy\n", "text/csv")
    client.post("/imports/", {"kind": "catalog", "file": upload})
    _worker()

    page = client.get(f"/imports/{ImportJob.objects.get().pk}/").content.decode()

    assert "The file has problems" in page
    assert "<code>weight_g</code>" in page and "<code>heavy</code>" in page
    assert "Not a whole number in the allowed range." in page
    assert "Confirm and import" not in page


def test_a_viewer_reads_imports_without_an_upload_form_and_strangers_get_404(seller, other_seller):
    client_for(seller).post(
        "/imports/", {"kind": "catalog", "file": SimpleUploadedFile("a.csv", b"sku_code\nA\n", "text/csv")}
    )
    job = ImportJob.objects.get()

    viewer = client_for(seller, "viewer")
    listing = viewer.get("/imports/").content.decode()
    assert "a.csv" in listing and 'id="import-upload"' not in listing
    assert viewer.post(f"/imports/{job.pk}/discard/").status_code == 403
    assert client_for(other_seller).get(f"/imports/{job.pk}/").status_code == 404
    operator_staff = client_for(make_operator(), "warehouse_staff")
    assert operator_staff.get("/imports/").status_code == 403  # no imports:read


def test_a_profile_is_written_one_mapping_per_line_and_used_at_upload(seller):
    client = client_for(seller, "planner")

    response = client.post(
        "/imports/profiles/",
        {"kind": "catalog", "partner": "Nordlicht", "mapping": "Artikel = sku_code\nTitel = name_en\nNotiz =",
         "defaults": "origin_country = DE"},
    )  # fmt: skip

    assert response.status_code == 302
    profile = MappingProfile.objects.get()
    assert profile.mapping == {"Artikel": "sku_code", "Titel": "name_en", "Notiz": ""}
    assert profile.defaults == {"origin_country": "DE"}
    bad = client.post("/imports/profiles/", {"kind": "catalog", "partner": "X", "mapping": "Artikel = nope"})
    assert "which is not a column of this import" in bad.content.decode()

    upload = SimpleUploadedFile("n.csv", b"Artikel,Titel,Notiz\nA,Lampe,x\n", "text/csv")
    client.post("/imports/", {"kind": "catalog", "profile": str(profile.pk), "file": upload})
    _worker()
    assert ImportJob.objects.get().status == ImportStatus.PREVIEWED

    edited = client.post(
        f"/imports/profiles/{profile.pk}/", {"partner": "Nordlicht AG", "mapping": "Artikel = sku_code"}
    )
    assert edited.status_code == 302
    assert MappingProfile.objects.get().partner == "Nordlicht AG"
    assert client.post(f"/imports/profiles/{profile.pk}/delete/").status_code == 302
    assert not MappingProfile.objects.exists()
