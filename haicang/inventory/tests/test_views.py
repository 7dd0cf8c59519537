import pytest
from django.test import Client

from haicang.catalog.tests.factories import make_sku
from haicang.inventory import views
from haicang.inventory.counting import count_line_record, count_task_submit
from haicang.inventory.models import Balance, CountTask
from haicang.inventory.services import stock_move
from haicang.inventory.tests.count_factories import make_count_world
from haicang.parties.tests.factories import SYSTEM, make_member, make_seller
from haicang.web.navigation import navigation

pytestmark = pytest.mark.django_db


def client_for(membership):
    client = Client()
    client.force_login(membership.user)
    return client


@pytest.fixture
def world():
    w = make_count_world()
    w.receive(w.stock.pick, 37)
    w.receive(w.stock.damaged, 2)
    w.seller_owner = make_member(w.stock.seller, "owner")
    return w


def text(response):
    return response.content.decode()


def main(response):
    """The page's own content (not the header, which names the party)."""
    page = text(response)
    return page[page.find("<main") : page.find("</main>")] if "<main" in page else page


# --- stock ------------------------------------------------------------------------------------------------


def test_a_seller_sees_its_stock_by_warehouse_and_state(world):
    response = client_for(world.seller_owner).get("/inventory/stock/")

    assert response.status_code == 200
    page = text(response)
    assert world.stock.sku.code in page and world.stock.warehouse.code in page
    assert "Available" in page and "Damaged" in page and ">37<" in page


def test_searching_stock_as_you_type_answers_only_the_results(world):
    other = make_sku(world.stock.seller, code="LAMP-7")
    world.receive(world.stock.pick2, 1, sku=other)
    client = client_for(world.seller_owner)

    response = client.get("/inventory/stock/?q=lamp", headers={"HX-Request": "true"})

    assert response.status_code == 200
    assert "<html" not in text(response)
    assert "LAMP-7" in text(response) and world.stock.sku.code not in text(response)


def test_the_stock_list_pages_and_hides_empty_rows_unless_asked(world, monkeypatch):
    from haicang.inventory.services import stock_adjust

    monkeypatch.setattr(views, "PAGE_SIZE", 1)
    gone = make_sku(world.stock.seller, code="AAA-GONE")
    world.receive(world.stock.pick2, 1, sku=gone)
    stock_adjust(
        actor=SYSTEM, owner=world.stock.seller, sku=gone, location=world.stock.pick2, delta=-1, reason="x"
    )
    client = client_for(world.seller_owner)

    stocked = text(client.get("/inventory/stock/"))
    everything = text(client.get("/inventory/stock/?all=1"))
    second = text(client.get("/inventory/stock/?all=1&page=2"))

    assert "AAA-GONE" not in stocked
    assert "AAA-GONE" in everything and "Page 1 of 2" in everything
    assert world.stock.sku.code in second


def test_one_sku_in_every_warehouse_and_another_sellers_sku_is_not_found(world):
    client = client_for(world.seller_owner)
    stranger_sku = make_sku(make_seller())

    page = client.get(f"/inventory/stock/skus/{world.stock.sku.pk}/")
    missing = client.get(f"/inventory/stock/skus/{stranger_sku.pk}/")

    assert page.status_code == 200 and "All warehouses" in text(page)
    assert missing.status_code == 404


def test_a_role_without_inventory_access_gets_the_403_page(world):
    billing = make_member(world.operator, "billing")

    assert client_for(billing).get("/inventory/stock/").status_code == 403
    assert client_for(billing).get("/inventory/stock/moves/").status_code == 403


# --- moves ------------------------------------------------------------------------------------------------


def test_the_move_history_filters_and_links_its_csv_export(world):
    client = client_for(world.manager)

    page = text(client.get(f"/inventory/stock/moves/?location={world.stock.damaged.code}"))
    export = client.get(f"/inventory/stock/moves/export/?location={world.stock.damaged.code}")

    assert f'href="/inventory/stock/moves/export/?location={world.stock.damaged.code}"' in page
    assert "1 move" in page
    rows = b"".join(export.streaming_content).decode().strip().splitlines()
    assert export["Content-Type"].startswith("text/csv") and len(rows) == 2


# --- counts -----------------------------------------------------------------------------------------------


def test_sellers_do_not_reach_the_count_pages_and_see_no_counts_entry(world, rf):
    assert client_for(world.seller_owner).get("/inventory/counts/").status_code == 403

    request = rf.get("/")
    request.user, request.session = world.seller_owner.user, {}
    keys = [link.key for link in navigation.links_for(user=request.user, path="/", request=request)]
    assert "stock" in keys and "counts" not in keys
    request = rf.get("/")
    request.user, request.session = world.staff.user, {}
    staff_keys = [link.key for link in navigation.links_for(user=request.user, path="/", request=request)]
    assert "counts" in staff_keys


def test_a_manager_creates_a_count_from_the_form(world):
    client = client_for(world.manager)

    response = client.post(
        "/inventory/counts/new/",
        {
            "warehouse": world.stock.warehouse.pk,
            "kind": "location",
            "locations": f"{world.stock.pick.code}, {world.stock.damaged.code.lower()}",
            "assignee": world.staff.pk,
        },
    )

    task = CountTask.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/inventory/counts/{task.pk}/"
    assert task.assignee == world.staff.user and task.locations.count() == 2


def test_the_count_form_names_an_unknown_location(world):
    response = client_for(world.manager).post(
        "/inventory/counts/new/",
        {"warehouse": world.stock.warehouse.pk, "kind": "location", "locations": "NOPE-9"},
    )

    assert response.status_code == 200 and "has no location NOPE-9" in text(response)
    assert client_for(world.staff).get("/inventory/counts/new/").status_code == 403


def test_the_counter_scans_counts_and_submits_without_ever_seeing_the_expected_quantity(world):
    world.receive(world.stock.bulk, 8641)
    task = world.task(world.stock.bulk)
    client = client_for(world.staff)

    page = client.get(f"/inventory/counts/{task.pk}/count/")
    scanned = client.post(
        f"/inventory/counts/{task.pk}/count/",
        {"location": world.stock.bulk.code.lower(), "sku": world.stock.sku.code, "lot": "", "quantity": "20"},
        headers={"HX-Request": "true"},
    )
    submitted = client.post(f"/inventory/counts/{task.pk}/submit/")
    detail = client.get(f"/inventory/counts/{task.pk}/")

    assert page.status_code == 200 and 'inputmode="numeric"' in text(page)
    assert scanned.status_code == 200 and "Recorded 20 ×" in text(scanned)
    assert f'value="{world.stock.bulk.code}"' in text(scanned)  # the location stays for the next item
    for response in (page, scanned, detail):
        assert "8641" not in main(response)  # the ledger's quantity never reaches the counter
    assert submitted.status_code == 302
    assert "Awaiting approval" in text(detail) and "Variance" not in text(detail)


def test_a_scan_of_an_unknown_item_is_explained_on_the_page(world):
    task = world.task(world.stock.pick)

    response = client_for(world.staff).post(
        f"/inventory/counts/{task.pk}/count/",
        {"location": world.stock.pick.code, "sku": "NO-SUCH", "quantity": "1"},
        headers={"HX-Request": "true"},
    )

    assert "no SKU with code or barcode NO-SUCH" in text(response)


def test_a_manager_reviews_the_variances_and_approves(world):
    task = world.task(world.stock.pick)
    count_line_record(
        actor=world.staff_actor, task=task, location=world.stock.pick, sku=world.stock.sku, quantity=20
    )
    count_task_submit(actor=world.staff_actor, task=task)
    client = client_for(world.manager)

    review = text(client.get(f"/inventory/counts/{task.pk}/"))
    approved = client.post(f"/inventory/counts/{task.pk}/approve/", {"note": "ok"}, follow=True)

    assert "Variance" in review and "−17" in review and "more units than the limit" in review
    assert "approved: the variances are applied" in text(approved)
    assert Balance.objects.get(location=world.stock.pick).quantity == 20


def test_approving_a_stale_count_shows_why_and_rejecting_opens_a_recount(world):
    task = world.task(world.stock.pick)
    count_line_record(
        actor=world.staff_actor, task=task, location=world.stock.pick, sku=world.stock.sku, quantity=20
    )
    count_task_submit(actor=world.staff_actor, task=task)
    stock_move(
        actor=SYSTEM, owner=world.stock.seller, sku=world.stock.sku, from_location=world.stock.pick,
        to_location=world.stock.bulk, quantity=1,
    )  # fmt: skip
    client = client_for(world.manager)

    refused = text(client.post(f"/inventory/counts/{task.pk}/approve/", follow=True))
    rejected = text(client.post(f"/inventory/counts/{task.pk}/reject/", {"reason": "moved"}, follow=True))

    assert "Stock moved at a counted location" in refused
    assert "open for a recount" in rejected
    task.refresh_from_db()
    assert (task.status, task.round) == ("open", 2)


def test_a_colleague_not_assigned_cannot_open_the_counting_page(world):
    task = world.task(world.stock.pick)
    colleague = make_member(world.operator, "warehouse_staff")

    assert client_for(colleague).get(f"/inventory/counts/{task.pk}/count/").status_code == 403
    assert client_for(colleague).get(f"/inventory/counts/{task.pk}/").status_code == 200


def test_the_count_list_filters_by_status(world):
    world.task(world.stock.pick)
    client = client_for(world.staff)

    open_ = text(client.get("/inventory/counts/?status=open", headers={"HX-Request": "true"}))
    applied = text(client.get("/inventory/counts/?status=applied", headers={"HX-Request": "true"}))

    assert "CNT-" in open_ and "No counts here." in applied
