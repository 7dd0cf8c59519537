"""The Imports page takes a kind's options (the packing list's shipment), and links lead to it preselected."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from haicang.exchange.models import ImportJob
from haicang.inbound.tests.factories import make_inbound_world, make_shipment
from haicang.parties.tests.factories import make_member

pytestmark = pytest.mark.django_db(transaction=True)


def test_the_catalogues_own_upload_page_links_to_the_imports_page(client, seller):
    client.force_login(make_member(seller, "owner").user)

    html = client.get("/catalog/import/").content.decode()

    assert 'href="/imports/?kind=catalog"' in html


def test_a_link_preselects_the_packing_list_kind_and_its_shipment_and_the_upload_keeps_the_option(client):
    # given a seller's draft shipment
    world = make_inbound_world()
    draft = make_shipment(world)
    client.force_login(make_member(world.seller, "planner").user)

    # when the planner follows a link to import its packing list
    html = client.get(f"/imports/?kind=inbound_packing_list&shipment={draft.number}").content.decode()

    # then the kind is chosen, the option filled in, and the option explained
    assert '<option value="inbound_packing_list" selected>' in html
    assert f"shipment = {draft.number}" in html
    assert "shipment — " in html

    # and uploading the form creates an import for that draft
    csv = f"carton_no,sku,qty/ctn\n1,{world.skus[0].code},10\n2,{world.skus[1].code},20\n".encode()
    response = client.post(
        "/imports/",
        {
            "kind": "inbound_packing_list",
            "profile": "",
            "options": f"shipment = {draft.number}",
            "file": SimpleUploadedFile("pl.csv", csv, "text/csv"),
        },
    )
    job = ImportJob.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/imports/{job.pk}/"
    assert job.options == {"shipment": draft.number}


def test_an_upload_without_the_shipment_says_so_on_the_page(client):
    world = make_inbound_world()
    client.force_login(make_member(world.seller, "planner").user)

    response = client.post(
        "/imports/",
        {
            "kind": "inbound_packing_list",
            "profile": "",
            "options": "",
            "file": SimpleUploadedFile("pl.csv", b"carton_no,sku,qty/ctn\n1,A,1\n", "text/csv"),
        },
    )

    assert response.status_code == 200
    assert "give the option shipment" in response.content.decode()
    assert not ImportJob.objects.exists()
