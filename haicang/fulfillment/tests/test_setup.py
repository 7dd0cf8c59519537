"""The operator's setup: the box catalogue and the carriers' pick-up times — checked, audited, and the rules on
boxes in use and on duplicate pick-ups."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from haicang.core.models import AuditEntry
from haicang.fulfillment.errors import BoxCodeTaken, BoxInUse, BoxInvalid, PickupInvalid, PickupTaken
from haicang.fulfillment.models import BoxType, PickupSchedule
from haicang.fulfillment.setup import (
    box_type_create,
    box_type_deactivate,
    box_type_reactivate,
    box_type_update,
    pickup_schedule_create,
    pickup_schedule_delete,
    pickup_schedule_update,
)
from haicang.fulfillment.tests.factories import make_fulfilment_world, make_shipped_parcel
from haicang.network.tests.carrier_factories import make_carrier
from haicang.network.tests.factories import make_warehouse
from haicang.parties.tests.factories import SYSTEM, make_operator

pytestmark = pytest.mark.django_db

MEDIUM: dict[str, Any] = {
    "code": "m2",
    "name": "  Medium   carton ",
    "inner_length_mm": 300,
    "inner_width_mm": 250,
    "inner_height_mm": 150,
    "max_weight_g": 10_000,
    "tare_g": 220,
}


@pytest.fixture
def operator():
    return make_operator(currency="USD", country="US")


def _audit(action: str) -> list[AuditEntry]:
    return list(AuditEntry.objects.filter(action=action))


# --- boxes -------------------------------------------------------------------------------------------------------
def test_a_box_is_added_with_a_tidy_code_and_name_and_audited(operator):
    box = box_type_create(actor=SYSTEM, operator=operator, **MEDIUM)

    assert (box.code, box.name, box.inner_volume_mm3, box.is_active) == (
        "M2",
        "Medium carton",
        11_250_000,
        True,
    )
    [entry] = _audit("box_type.created")
    assert entry.changes["after"]["code"] == "M2" and entry.changes["after"]["tare_g"] == 220


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"code": "M 2"}, "code"),
        ({"code": ""}, "code"),
        ({"name": "   "}, "name"),
        ({"inner_length_mm": 0}, "inner_length_mm"),
        ({"inner_width_mm": 3001}, "inner_width_mm"),
        ({"inner_height_mm": "150"}, "inner_height_mm"),
        ({"max_weight_g": 0}, "max_weight_g"),
        ({"tare_g": -1}, "tare_g"),
        ({"tare_g": 10_000}, "tare_g"),  # the tare is below the rated gross weight
        ({"inner_length_mm": True}, "inner_length_mm"),
    ],
)
def test_an_invalid_box_is_refused_naming_the_field_and_nothing_is_written(operator, change, field):
    with pytest.raises(BoxInvalid) as refused:
        box_type_create(actor=SYSTEM, operator=operator, **{**MEDIUM, **change})

    assert refused.value.field == field and refused.value.code == "box.invalid"
    assert not BoxType.objects.exists() and not _audit("box_type.created")


def test_a_code_is_unique_in_an_operators_catalogue_but_not_across_operators(operator):
    box_type_create(actor=SYSTEM, operator=operator, **MEDIUM)

    with pytest.raises(BoxCodeTaken):
        box_type_create(actor=SYSTEM, operator=operator, **{**MEDIUM, "code": "M2", "name": "Other"})
    other = box_type_create(actor=SYSTEM, operator=make_operator(), **MEDIUM)
    assert other.code == "M2" and BoxType.objects.count() == 2


def test_updating_writes_only_what_changed_and_an_unchanged_update_writes_nothing(operator):
    box = box_type_create(actor=SYSTEM, operator=operator, **MEDIUM)

    box_type_update(actor=SYSTEM, box_type=box, name="Medium carton", inner_height_mm=150)
    assert not _audit("box_type.updated")

    box_type_update(actor=SYSTEM, box_type=box, name="Medium (double wall)", inner_height_mm=160)
    box.refresh_from_db()
    [entry] = _audit("box_type.updated")
    assert (box.name, box.inner_height_mm) == ("Medium (double wall)", 160)
    assert entry.changes["before"] == {"name": "Medium carton", "inner_height_mm": 150}
    assert entry.changes["after"] == {"name": "Medium (double wall)", "inner_height_mm": 160}


def test_the_code_of_a_box_never_changes(operator):
    box = box_type_create(actor=SYSTEM, operator=operator, **MEDIUM)

    with pytest.raises(BoxInvalid) as refused:
        box_type_update(actor=SYSTEM, box_type=box, code="M3")
    assert refused.value.field == "code"


def test_raising_the_tare_to_the_rated_weight_is_refused(operator):
    box = box_type_create(actor=SYSTEM, operator=operator, **MEDIUM)

    with pytest.raises(BoxInvalid) as refused:
        box_type_update(actor=SYSTEM, box_type=box, max_weight_g=220)
    assert refused.value.field == "tare_g"


def test_a_box_parcels_were_packed_in_keeps_its_size_but_may_be_renamed_and_rerated():
    world = make_fulfilment_world()
    box = world.boxes["M"]
    parcel = make_shipped_parcel(world)
    parcel.box_type = box
    parcel.save(update_fields=["box_type"])

    with pytest.raises(BoxInUse) as refused:
        box_type_update(actor=SYSTEM, box_type=box, inner_length_mm=box.inner_length_mm + 10)
    assert refused.value.field == "inner_length_mm"

    box_type_update(actor=SYSTEM, box_type=box, name="Medium, reinforced", max_weight_g=12_000)
    box.refresh_from_db()
    assert (box.name, box.max_weight_g) == ("Medium, reinforced", 12_000)


def test_a_deactivated_box_is_no_longer_offered_and_can_be_offered_again(operator):
    box = box_type_create(actor=SYSTEM, operator=operator, **MEDIUM)

    box_type_deactivate(actor=SYSTEM, box_type=box)
    box_type_deactivate(actor=SYSTEM, box_type=box)  # again: nothing more
    assert not BoxType.objects.get(pk=box.pk).is_active
    assert len(_audit("box_type.deactivated")) == 1

    box_type_reactivate(actor=SYSTEM, box_type=box)
    assert BoxType.objects.get(pk=box.pk).is_active and len(_audit("box_type.reactivated")) == 1


# --- pick-up times -----------------------------------------------------------------------------------------------
@pytest.fixture
def yard(operator):
    warehouse = make_warehouse(operator, code="LAX7", country="US", markets=["US"])
    return warehouse, make_carrier(operator, code="UPS", name="UPS")


def test_a_pick_up_time_is_added_with_sorted_weekdays_and_audited(yard):
    warehouse, carrier = yard

    schedule = pickup_schedule_create(
        actor=SYSTEM, warehouse=warehouse, carrier=carrier, pickup_time="16:30", weekdays=[5, 1, 3]
    )

    assert (schedule.pickup_time, schedule.weekdays) == (dt.time(16, 30), [1, 3, 5])
    [entry] = _audit("pickup_schedule.created")
    assert entry.changes["after"] == {
        "warehouse": "LAX7",
        "carrier": "UPS",
        "pickup_time": "16:30",
        "weekdays": [1, 3, 5],
    }


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"pickup_time": "25:00"}, "pickup_time"),
        ({"pickup_time": "4pm"}, "pickup_time"),
        ({"pickup_time": dt.time(16, 0, 30)}, "pickup_time"),
        ({"pickup_time": dt.time(16, 0, tzinfo=dt.UTC)}, "pickup_time"),
        ({"weekdays": []}, "weekdays"),
        ({"weekdays": [0, 1]}, "weekdays"),
        ({"weekdays": [1, 8]}, "weekdays"),
        ({"weekdays": [1, 1]}, "weekdays"),
        ({"weekdays": "12345"}, "weekdays"),
        ({"weekdays": [True]}, "weekdays"),
    ],
)
def test_an_invalid_pick_up_time_is_refused_naming_the_field(yard, fields, field):
    warehouse, carrier = yard
    given = {"pickup_time": "16:00", "weekdays": [1, 2, 3, 4, 5], **fields}

    with pytest.raises(PickupInvalid) as refused:
        pickup_schedule_create(actor=SYSTEM, warehouse=warehouse, carrier=carrier, **given)

    assert refused.value.field == field
    assert not PickupSchedule.objects.exists()


def test_a_carrier_of_another_operator_or_an_archived_one_cannot_collect(yard):
    warehouse, carrier = yard
    stranger = make_carrier(make_operator(), code="DHL")

    with pytest.raises(PickupInvalid) as refused:
        pickup_schedule_create(actor=SYSTEM, warehouse=warehouse, carrier=stranger, pickup_time="16:00")
    assert refused.value.field == "carrier"

    carrier.is_active = False
    carrier.save(update_fields=["is_active"])
    with pytest.raises(PickupInvalid):
        pickup_schedule_create(actor=SYSTEM, warehouse=warehouse, carrier=carrier, pickup_time="16:00")


def test_a_carrier_may_collect_twice_a_day_but_not_twice_at_the_same_time(yard):
    warehouse, carrier = yard
    pickup_schedule_create(actor=SYSTEM, warehouse=warehouse, carrier=carrier, pickup_time="12:00")
    late = pickup_schedule_create(actor=SYSTEM, warehouse=warehouse, carrier=carrier, pickup_time="17:30")

    with pytest.raises(PickupTaken):
        pickup_schedule_create(actor=SYSTEM, warehouse=warehouse, carrier=carrier, pickup_time="12:00")
    with pytest.raises(PickupTaken):
        pickup_schedule_update(actor=SYSTEM, schedule=late, pickup_time="12:00")
    assert PickupSchedule.objects.get(pk=late.pk).pickup_time == dt.time(17, 30)


def test_moving_pausing_and_deleting_a_pick_up_time_are_audited(yard):
    warehouse, carrier = yard
    schedule = pickup_schedule_create(actor=SYSTEM, warehouse=warehouse, carrier=carrier, pickup_time="16:00")

    pickup_schedule_update(actor=SYSTEM, schedule=schedule, weekdays=[5, 4, 3, 2, 1])  # the same days
    assert not _audit("pickup_schedule.updated")
    pickup_schedule_update(actor=SYSTEM, schedule=schedule, pickup_time="17:15", weekdays=[1, 2, 3, 4, 5, 6])
    pickup_schedule_update(actor=SYSTEM, schedule=schedule, is_active=False)
    schedule.refresh_from_db()
    assert (schedule.pickup_time, schedule.weekdays, schedule.is_active) == (
        dt.time(17, 15),
        [1, 2, 3, 4, 5, 6],
        False,
    )
    moved, paused = sorted(_audit("pickup_schedule.updated"), key=lambda e: e.occurred_at)
    assert (
        moved.changes["before"]["pickup_time"] == "16:00" and moved.changes["after"]["pickup_time"] == "17:15"
    )
    assert paused.changes["after"] == {"is_active": False}

    pickup_schedule_delete(actor=SYSTEM, schedule=schedule)
    assert not PickupSchedule.objects.exists()
    [deleted] = _audit("pickup_schedule.deleted")
    assert deleted.changes["before"]["pickup_time"] == "17:15" and deleted.subject_id == str(schedule.pk)
