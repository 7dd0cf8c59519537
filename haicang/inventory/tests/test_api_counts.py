import pytest
from rest_framework.test import APIClient

from haicang.catalog.tests.factories import make_sku
from haicang.inventory.models import Balance, CountTask
from haicang.inventory.services import stock_move
from haicang.inventory.tests.count_factories import make_count_world
from haicang.parties.tests.factories import SYSTEM, make_member, make_operator

pytestmark = pytest.mark.django_db


def client_for(membership):
    client = APIClient()
    client.force_login(membership.user)
    return client


@pytest.fixture
def world():
    w = make_count_world()
    w.receive(w.stock.pick, 10)
    w.receive(w.stock.bulk, 40)
    return w


def create(world, **body):
    payload = {
        "warehouse": str(world.stock.warehouse.pk),
        "location_codes": [world.stock.pick.code.lower(), world.stock.bulk.code],
        "assignee": world.staff.user.username,
        **body,
    }
    payload = {k: v for k, v in payload.items() if v is not None or k == "assignee"}
    response = client_for(world.manager).post("/api/v1/count-tasks/", payload, format="json")
    assert response.status_code == 201, response.json()
    return response.json()


def record(world, task, who=None, **body):
    return client_for(who or world.staff).post(
        f"/api/v1/count-tasks/{task['id']}/lines/", body, format="json"
    )


def test_a_manager_creates_a_task_and_the_assignee_counts_it_blind(world):
    task = create(world, note="aisle A")

    by_code = record(
        world, task, location_code=world.stock.pick.code, sku_code=world.stock.sku.code, quantity=10
    )
    seen = client_for(world.staff).get(f"/api/v1/count-tasks/{task['id']}/").json()

    assert (
        task["number"].startswith("CNT-")
        and task["status"] == "open"
        and task["assignee"] == world.staff.user.username
    )
    assert sorted(loc["code"] for loc in task["locations"]) == sorted(
        [world.stock.pick.code, world.stock.bulk.code]
    )
    assert by_code.status_code == 201
    assert "expected" not in by_code.json() and "variance" not in by_code.json()
    assert seen["reviewed"] is False and [ln["counted"] for ln in seen["lines"]] == [10]
    assert "expected" not in seen["lines"][0]


def test_a_barcode_scan_names_the_sku(world):
    scanned = make_sku(world.stock.seller, barcodes=["4006381333931"])
    task = create(world)

    response = record(world, task, location_code=world.stock.pick.code, sku_code="4006381333931", quantity=0)

    assert response.status_code == 201 and response.json()["sku"]["code"] == scanned.code


def test_a_large_variance_waits_for_approval_and_the_manager_sees_it_once_submitted(world):
    task = create(world)
    record(world, task, location=str(world.stock.pick.pk), sku=str(world.stock.sku.pk), quantity=10)
    record(world, task, location=str(world.stock.bulk.pk), sku=str(world.stock.sku.pk), quantity=20)
    manager = client_for(world.manager)
    while_open = manager.get(f"/api/v1/count-tasks/{task['id']}/").json()

    submitted = client_for(world.staff).post(f"/api/v1/count-tasks/{task['id']}/submit/").json()
    staff_view = client_for(world.staff).get(f"/api/v1/count-tasks/{task['id']}/").json()
    review = manager.get(f"/api/v1/count-tasks/{task['id']}/").json()
    staff_approves = client_for(world.staff).post(
        f"/api/v1/count-tasks/{task['id']}/approve/", {}, format="json"
    )
    approved = manager.post(f"/api/v1/count-tasks/{task['id']}/approve/", {"note": "ok"}, format="json")

    assert while_open["reviewed"] is False  # not even a manager sees the snapshot while counting goes on
    assert submitted["status"] == "counted" and "expected" not in submitted["lines"][0]
    assert staff_view["reviewed"] is False
    assert review["reviewed"] is True
    bulk = next(ln for ln in review["lines"] if ln["location"]["code"] == world.stock.bulk.code)
    assert (bulk["expected"], bulk["variance"], bulk["needs_approval"], bulk["approval_reasons"]) == (
        40,
        -20,
        True,
        ["units"],
    )
    assert bulk["value"] == {"amount": "20.00", "currency": "EUR"}
    assert staff_approves.status_code == 403 and staff_approves.json()["code"] == "access.denied"
    assert approved.status_code == 200 and approved.json()["status"] == "applied"
    assert Balance.objects.get(location=world.stock.bulk).quantity == 20


def test_a_rejected_count_is_open_again_for_a_recount(world):
    task = create(world)
    record(world, task, location_code=world.stock.bulk.code, sku_code=world.stock.sku.code, quantity=1)
    client_for(world.staff).post(f"/api/v1/count-tasks/{task['id']}/submit/")

    missing_reason = client_for(world.manager).post(
        f"/api/v1/count-tasks/{task['id']}/reject/", {}, format="json"
    )
    rejected = client_for(world.manager).post(
        f"/api/v1/count-tasks/{task['id']}/reject/", {"reason": "count bulk again"}, format="json"
    )

    assert missing_reason.status_code == 400 and missing_reason.json()["errors"][0]["field"] == "reason"
    assert (
        rejected.json()["status"] == "open"
        and rejected.json()["round"] == 2
        and rejected.json()["lines"] == []
    )


def test_approving_after_stock_moved_at_a_counted_bin_is_a_409_stale_problem(world):
    task = create(world)
    record(world, task, location_code=world.stock.bulk.code, sku_code=world.stock.sku.code, quantity=1)
    client_for(world.staff).post(f"/api/v1/count-tasks/{task['id']}/submit/")
    stock_move(
        actor=SYSTEM, owner=world.stock.seller, sku=world.stock.sku, from_location=world.stock.bulk,
        to_location=world.stock.pick, quantity=1,
    )  # fmt: skip

    response = client_for(world.manager).post(f"/api/v1/count-tasks/{task['id']}/approve/", {}, format="json")

    assert response.status_code == 409
    assert response.json()["code"] == "count.stale"
    assert CountTask.objects.get(pk=task["id"]).status == "counted"


def test_another_member_of_the_staff_cannot_count_a_task_assigned_to_someone_else(world):
    task = create(world)
    colleague = make_member(world.operator, "warehouse_staff")

    response = record(
        world,
        task,
        who=colleague,
        location_code=world.stock.pick.code,
        sku_code=world.stock.sku.code,
        quantity=1,
    )

    assert response.status_code == 403


def test_sellers_and_other_operators_do_not_see_count_tasks(world):
    task = create(world)
    seller = make_member(world.stock.seller, "owner")
    stranger = make_member(make_operator(), "owner")

    for member in (seller, stranger):
        client = client_for(member)
        assert client.get(f"/api/v1/count-tasks/{task['id']}/").status_code == 404
        assert client.get("/api/v1/count-tasks/").json()["count"] == 0


def test_warehouse_staff_cannot_create_tasks_and_a_scan_of_an_unknown_location_is_refused(world):
    task = create(world)

    as_staff = client_for(world.staff).post(
        "/api/v1/count-tasks/",
        {"warehouse": str(world.stock.warehouse.pk), "location_codes": ["X"]},
        format="json",
    )
    unknown = record(world, task, location_code="NOPE-1", sku_code=world.stock.sku.code, quantity=1)
    no_sku = record(world, task, location_code=world.stock.pick.code, quantity=1)

    assert as_staff.status_code == 403
    assert unknown.status_code == 400 and unknown.json()["code"] == "count.line_invalid"
    assert no_sku.status_code == 400 and no_sku.json()["errors"][0]["field"] == "sku"


def test_count_tasks_list_filters_by_status_and_assignee(world):
    create(world)
    create(world, assignee=None)

    mine = client_for(world.staff).get(f"/api/v1/count-tasks/?assignee={world.staff.user.username}").json()
    open_ = client_for(world.manager).get("/api/v1/count-tasks/?status=open").json()

    assert mine["count"] == 1 and "lines" not in mine["results"][0]
    assert open_["count"] == 2


def test_a_task_by_sku_lists_the_bins_that_hold_it(world):
    task = create(world, location_codes=None, sku=str(world.stock.sku.pk))

    assert task["kind"] == "sku" and task["sku"]["code"] == world.stock.sku.code
    assert {loc["code"] for loc in task["locations"]} == {world.stock.pick.code, world.stock.bulk.code}
